from django.core.management.base import BaseCommand

from rpjmd.demo import DEMO_PASSWORD, load_demo


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
