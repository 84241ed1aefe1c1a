from django.core.management.base import BaseCommand, CommandError

from rpjmd.health import database_reachable


class Command(BaseCommand):
    help = (
        "Periksa koneksi ke basis data (untuk health check kontainer worker); keluar 1 bila gagal."
    )

    def handle(self, *args, **options):
        if not database_reachable():
            raise CommandError("Basis data tidak dapat dihubungi.")
        self.stdout.write("ok")
