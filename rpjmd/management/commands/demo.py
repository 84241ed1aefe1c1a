from django.conf import settings
from django.core.management.base import BaseCommand

from rpjmd.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, load_demo
from rpjmd.demo_live import find_live_plan
from rpjmd.two_factor import base32_secret

# Printed for the reader to copy: DEBUG=1 because a shell outside `make run` has no DEBUG, and
# without it the settings refuse to start with no SECRET_KEY (tests run it as printed).
DEMO_CODE_COMMAND = "DEBUG=1 .venv/bin/python manage.py demo_code"


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
        live = find_live_plan(plan.region)
        self.stdout.write(self.style.SUCCESS("Demo siap:"))
        if live is not None:
            self.stdout.write(f"  berjalan: {live} (tahapan dan FGD dihitung dari hari dimuat)")
        self.stdout.write(f"  selesai:  {plan} (proses teknokratik 2020)")
        self.stdout.write(f"Akun demo (kata sandi awal semuanya: {DEMO_PASSWORD})")
        for user in users:
            agency = user.agency.short_name if user.agency_id else "-"
            self.stdout.write(f"  {user.username:<17} {user.get_role_display():<20} {agency}")
        self.stdout.write(
            "Perencana dan admin memakai verifikasi dua langkah. Kode yang berlaku sekarang: "
            f"`{DEMO_CODE_COMMAND} perencana` (atau admin); atau tambahkan kunci "
            f"{base32_secret(DEMO_TOTP_KEY)} ke aplikasi autentikator."
        )
        if settings.EMAIL_BACKEND == "rpjmd.mail.OutboxBackend":
            self.stdout.write(
                "Surel pemberitahuan tidak dikirim: satu berkas per surel di "
                f"{settings.EMAIL_OUTBOX_DIR}"
            )
