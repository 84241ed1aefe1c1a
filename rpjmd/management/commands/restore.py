from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rpjmd.backup import BackupError, Target, restore_backup
from rpjmd.settings import database_from_url


class Command(BaseCommand):
    help = (
        "Pulihkan cadangan (make backup) ke basis data dan folder media yang masih kosong. "
        "Tanpa opsi: basis data dan MEDIA_ROOT dari pengaturan."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="Folder cadangan, mis. var/backups/20261127T231500Z")
        parser.add_argument(
            "--database-url",
            help="Basis data tujuan (postgres://... atau sqlite:///...); dibuat bila belum ada.",
        )
        parser.add_argument("--media-root", help="Folder media tujuan (harus kosong).")

    def handle(self, *args, backup, database_url=None, media_root=None, **options):
        database = (
            database_from_url(database_url) if database_url else settings.DATABASES["default"]
        )
        target = Target(database=database, media_root=Path(media_root or settings.MEDIA_ROOT))
        try:
            manifest = restore_backup(Path(backup), target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Dipulihkan: cadangan {manifest['created_at']} ke {database['NAME']} "
                f"({manifest['media_files']} berkas media ke {target.media_root})."
            )
        )
