"""The second login step and its setup (see rpjmd.two_factor)."""

from __future__ import annotations

import django_otp
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from rpjmd import audit, two_factor
from rpjmd.forms import TwoFactorCodeForm, TwoFactorSetupForm
from rpjmd.requests import AuthedRequest

PENDING_KEY = "two_factor_pending_key"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path only: redirect() takes anything else ("abc", "²") for a view name to reverse.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _done(request, device) -> None:
    # A new session id for the now fully signed-in session (as login() does after the password).
    request.session.cycle_key()
    django_otp.login(request, device)


@two_factor.two_factor_exempt
@never_cache
def verify(request: AuthedRequest) -> HttpResponse:
    """After the password: the code from the authenticator app, or a recovery code."""
    next_url = _next_url(request)
    if two_factor.is_verified(request) or two_factor.authenticator(request.user) is None:
        return redirect(next_url or "home")
    form = TwoFactorCodeForm(
        request.POST or None, check=lambda code: two_factor.check_code(request.user, code)
    )
    if request.method == "POST":
        if form.is_valid():
            _done(request, form.device)
            used_recovery = isinstance(form.device, StaticDevice)
            audit.record(
                request,
                audit.Action.TWO_FACTOR,
                outcome=audit.Outcome.SUCCESS,
                detail={"cara": "kode cadangan" if used_recovery else "aplikasi"},
            )
            if used_recovery:
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "Anda masuk dengan kode cadangan; sisa %(n)s kode. Terbitkan kode baru di "
                        "halaman Verifikasi dua langkah bila tinggal sedikit."
                    )
                    % {"n": left},
                )
            return HttpResponseRedirect(next_url or "/")
        audit.record(
            request,
            audit.Action.TWO_FACTOR,
            outcome=audit.Outcome.FAILURE,
            detail={"alasan": form.errors.as_data()["code"][0].code},
        )
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@never_cache
def setup(request: AuthedRequest) -> HttpResponse:
    """Turn the second step on (required for planners and administrators), or see its state."""
    user = request.user
    device = two_factor.authenticator(user)
    if device is not None:
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return render(
            request,
            "registration/two_factor_status.html",
            {
                "device": device,
                "required": user.role in settings.TWO_FACTOR_ROLES,
                "codes_left": two_factor.recovery_codes_left(user),
            },
        )
    # The key waits in the session until a code proves the app has it; GET saves nothing.
    hex_key = request.session.get(PENDING_KEY) or two_factor.new_secret()
    request.session[PENDING_KEY] = hex_key
    form = TwoFactorSetupForm(
        request.POST or None, matches=lambda code: two_factor.code_matches(hex_key, code)
    )
    if request.method == "POST" and form.is_valid():
        device, codes = two_factor.turn_on(user, hex_key)
        del request.session[PENDING_KEY]
        request.session.pop(two_factor.NOT_TURNED_ON, None)
        _done(request, device)
        audit.record(request, audit.Action.TWO_FACTOR_ON, outcome=audit.Outcome.SUCCESS)
        return render(
            request,
            "registration/two_factor_codes.html",
            {"codes": codes, "next": _next_url(request), "first_time": True},
        )
    uri = two_factor.provisioning_uri(hex_key, user)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr": two_factor.qr_svg_data_uri(uri),
            "secret": two_factor.base32_secret(hex_key),
            "next": _next_url(request),
            "required": user.role in settings.TWO_FACTOR_ROLES,
        },
    )


setup.two_factor_setup = True


@require_POST
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """A new set of recovery codes (the old ones stop working), shown once."""
    if two_factor.authenticator(request.user) is None:
        messages.error(request, _("Aktifkan verifikasi dua langkah terlebih dahulu."))
        return redirect("two_factor_setup")
    codes = two_factor.replace_recovery_codes(request.user)
    audit.record(request, audit.Action.RECOVERY_CODES, outcome=audit.Outcome.SUCCESS)
    return render(
        request, "registration/two_factor_codes.html", {"codes": codes, "first_time": False}
    )
