import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rpjmd.backup import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = (
        "Cadangkan basis data (pg_dump format custom) dan berkas unggahan (tar) ke satu folder "
        "bertanda waktu; hapus cadangan yang lebih tua dari --keep-days."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dest",
            default=os.environ.get("BACKUP_DIR", str(settings.VAR_DIR / "backups")),
            help="Folder cadangan (bawaan: BACKUP_DIR atau var/backups).",
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=int(os.environ.get("BACKUP_KEEP_DAYS", "0")),
            help="Hapus cadangan yang lebih tua dari sekian hari (0: simpan semua).",
        )

    def handle(self, *args, dest, keep_days, **options):
        try:
            folder = create_backup(dest=Path(dest), media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Cadangan dibuat: {folder}"))
        if getattr(settings, "S3_BUCKET", ""):
            # The archive takes MEDIA_ROOT only; with object storage the files are in the bucket.
            self.stdout.write(
                self.style.WARNING(
                    f"Berkas unggahan dan ekspor tersimpan di bucket S3 {settings.S3_BUCKET!r} "
                    "dan tidak masuk cadangan ini: cadangkan bucket itu dengan versioning dan "
                    "replikasi penyedia penyimpanan (docs/deploy.md)."
                )
            )
        if keep_days:
            for old in prune_backups(Path(dest), keep_days=keep_days):
                self.stdout.write(f"Cadangan lama dihapus: {old}")
