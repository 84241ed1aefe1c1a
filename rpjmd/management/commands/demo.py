from django.core.management.base import BaseCommand

from rpjmd.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, load_demo
from rpjmd.two_factor import base32_secret


class Command(BaseCommand):
    help = (
        "Muat demo Kabupaten Kutai Kartanegara (rencana, tahapan, pengguna per peran); idempoten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Jangan cetak daftar akun demo.")

    def handle(self, *args, quiet=False, **options):
        plan, users = load_demo()
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS(f"Demo siap: {plan}"))
        self.stdout.write(f"Akun demo (kata sandi awal semuanya: {DEMO_PASSWORD})")
        for user in users:
            agency = user.agency.short_name if user.agency_id else "-"
            self.stdout.write(f"  {user.username:<15} {user.get_role_display():<20} {agency}")
        self.stdout.write(
            "Perencana dan admin memakai verifikasi dua langkah. Kode yang berlaku sekarang: "
            "`.venv/bin/python manage.py demo_code perencana` (atau admin); atau tambahkan kunci "
            f"{base32_secret(DEMO_TOTP_KEY)} ke aplikasi autentikator."
        )
