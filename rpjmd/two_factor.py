"""Two-factor login (TOTP) with single-use recovery codes.

Planners and administrators hold the plan and the accounts, so after their password they must
give a code from an authenticator app (settings.TWO_FACTOR_ROLES); anyone else may turn it on
and is then asked for it too. django-otp keeps the devices and marks the session verified; this
module decides who needs it, sends unverified sessions to the right step, and keeps the
recovery codes.

Until the second step is done a session reaches only that step (or the setup, when there is no
device yet), logging out, and the public pages: everything else redirects there.
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote

import segno
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rpjmd.models import User
from rpjmd.requests import positive_int

RECOVERY_CODE_COUNT = 10
# Without 0/1/8/9 (and so without O, I, B, g look-alikes once upper-cased): read off paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz234567"
DEVICE_NAME = "Aplikasi autentikator"
NOT_TURNED_ON = "two_factor_not_turned_on"


def two_factor_exempt(view):
    """Mark a view that a session may reach before its second step (logout, the steps)."""
    view.two_factor_exempt = True
    return view


def authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def required_for(user: User) -> bool:
    """Whether this user must pass the second step: by role, or because they turned it on."""
    return user.role in settings.TWO_FACTOR_ROLES or authenticator(user) is not None


def is_verified(request) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or is_verified(request):
            return None
        if getattr(view_func, "login_required", True) is False:  # public pages
            return None
        if getattr(view_func, "two_factor_exempt", False):
            return None
        if user.role not in settings.TWO_FACTOR_ROLES and request.session.get(NOT_TURNED_ON):
            return None  # known at login: no query on every page
        has_authenticator = authenticator(user) is not None
        if not has_authenticator and user.role not in settings.TWO_FACTOR_ROLES:
            return None
        step = "two_factor_verify" if has_authenticator else "two_factor_setup"
        if getattr(view_func, "two_factor_setup", False) and not has_authenticator:
            return None
        target = f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            current = request.htmx.current_url_abs_path or resolve_url("home")
            return HttpResponseClientRedirect(f"{reverse(step)}?{urlencode({'next': current})}")
        return redirect(target)


def note_at_login(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: whether this optional user has the second step turned on,
    so the middleware needs no query on every page. A device added in another session
    applies from that session's next login."""
    if request is not None and user.role not in settings.TWO_FACTOR_ROLES:
        if authenticator(user) is None:
            request.session[NOT_TURNED_ON] = True
        else:
            request.session.pop(NOT_TURNED_ON, None)


def new_secret() -> str:
    """A 20-byte TOTP key, hex as django-otp stores it."""
    return secrets.token_hex(20)


def base32_secret(hex_key: str) -> str:
    """The key as authenticator apps take it by hand: base32, in groups of four."""
    text = b32encode(unhexlify(hex_key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_uri(hex_key: str, user: User) -> str:
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{user.get_username()}")
    secret = base32_secret(hex_key).replace(" ", "")
    return f"otpauth://totp/{label}?{urlencode({'secret': secret, 'issuer': issuer})}"


def qr_svg_data_uri(uri: str) -> str:
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def code_matches(hex_key: str, code: str) -> bool:
    """Check a code against a key not yet saved (setup): now, or one step either side."""
    if not (len(code) == 6 and positive_int(code, minimum=0) is not None):
        return False
    totp = TOTP(unhexlify(hex_key))
    return totp.verify(int(code), tolerance=1)


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def new_recovery_codes() -> list[str]:
    return [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def show_recovery_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def replace_recovery_codes(user: User) -> list[str]:
    """Issue a fresh set of recovery codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Kode cadangan", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = new_recovery_codes()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return [show_recovery_code(c) for c in codes]


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def turn_on(user: User, hex_key: str) -> tuple[TOTPDevice, list[str]]:
    """Save the confirmed authenticator and issue recovery codes."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=hex_key, confirmed=True)
    # The setup code was checked against this step: the same code must not log in again.
    device.last_t = TOTP(unhexlify(hex_key)).t()
    device.save(update_fields=["last_t"])
    return device, replace_recovery_codes(user)


def check_code(user: User, code: str):
    """The device that accepts this code (authenticator or a recovery code), else None, and
    whether the user must wait (too many wrong codes) before trying again."""
    code = normalise_code(code)
    if len(code) == 6 and positive_int(code, minimum=0) is not None:
        device = authenticator(user)
    else:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return None, False
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return None, True
    with transaction.atomic():
        # Row lock: two requests with the same code cannot both pass (TOTP replay, recovery reuse).
        device = type(device).objects.select_for_update().get(pk=device.pk)
        return (device if device.verify_token(code) else None), False
