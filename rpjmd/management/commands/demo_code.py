from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from rpjmd.demo import DEMO_TOTP_KEY
from rpjmd.models import User
from rpjmd.two_factor import authenticator


class Command(BaseCommand):
    help = (
        "Cetak kode verifikasi dua langkah yang berlaku sekarang untuk akun demo "
        "(hanya perangkat dengan kunci demo yang dipublikasikan)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="perencana")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        device = authenticator(user) if user else None
        # Real accounts have their own secret keys; only the published demo key is printed.
        if device is None or device.key != DEMO_TOTP_KEY:
            raise CommandError(f"{username}: bukan akun demo dengan verifikasi dua langkah demo.")
        self.stdout.write(f"{TOTP(device.bin_key).token():06d}")
