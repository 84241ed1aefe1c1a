"""Error answers: generic, in Indonesian, never a traceback, setting, SQL or path (QUALITY A4).

* Whole pages for normal requests: 400, 403, 404, 500, 503 (database unavailable: "coba lagi"),
  507 (disk full) and the refused-CSRF page.
* htmx requests get a small message fragment instead, swapped into the page's `#messages` area
  (`HX-Retarget`/`HX-Reswap`), so a failing panel never fills with a whole error page.
  `HtmxErrorMiddleware` does this for every failed htmx response that does not already choose
  its own target; `static/js/app.js` lets htmx swap these error responses.
* The 500/503/507 and CSRF pages are rendered without the request and without the database:
  they must work when the database is the thing that failed.
"""

from __future__ import annotations

import datetime as dt
import errno
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from rpjmd import audit

RETRY_AFTER_SECONDS = 5
CSRF_AUDIT_PERIOD = dt.timedelta(minutes=1)


def message_for(status: int) -> str:
    messages = {
        400: _("Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi."),
        403: _("Akses ditolak: peran Anda tidak mengizinkan tindakan ini."),
        404: _("Data tidak ditemukan atau tidak dapat Anda akses. Muat ulang halaman."),
        429: _("Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi."),
        500: _(
            "Terjadi gangguan pada server. Tidak ada data yang setengah tersimpan; "
            "silakan coba lagi."
        ),
        503: _(
            "Layanan sedang tidak tersedia sebentar. Tidak ada data yang setengah tersimpan; "
            "coba lagi dalam beberapa detik."
        ),
        507: _("Ruang penyimpanan server penuh. Berkas tidak tersimpan; hubungi administrator."),
    }
    if status in messages:
        return messages[status]
    if status >= 500:
        return messages[500]
    return messages[400]


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for part of a page (a boosted link or a history restore wants a page).

    Read from the headers, not `request.htmx`: the error may have happened before
    django-htmx's middleware ran.
    """
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def error_fragment(status: int, message: str) -> HttpResponse:
    html = render_to_string("includes/error_fragment.html", {"message": message})
    response = HttpResponse(html, status=status)
    response["HX-Retarget"] = "#messages"
    response["HX-Reswap"] = "outerHTML"
    return response


def standalone_page(template: str, status: int, **context) -> HttpResponse:
    """A page that needs neither the request nor the database."""
    return HttpResponse(render_to_string(template, context), status=status)


class HtmxErrorMiddleware:
    """Failed htmx requests answer with a message for `#messages`, whatever produced the error
    (a 405 from `require_POST`, a 404, a 403, a 500): never a whole page inside a panel.

    A view that wants to place its own error elsewhere sets `HX-Retarget` itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and wants_fragment(request)
            and not response.has_header("HX-Retarget")
            and not response.streaming
        ):
            # Replace the body, keep the headers (security headers, Allow, Retry-After, ...).
            fragment = error_fragment(response.status_code, message_for(response.status_code))
            response.content = fragment.content
            for header in ("Content-Type", "HX-Retarget", "HX-Reswap"):
                response[header] = fragment[header]
        return response


def _record_denial(request: HttpRequest, action: str, outcome: str) -> None:
    """Audit a refused request, naming the URL and its arguments as the object asked for."""
    match = getattr(request, "resolver_match", None)
    audit.record(
        request,
        action,
        outcome=outcome,
        object_type=match.view_name if match else "",
        object_id=",".join(f"{k}={v}" for k, v in sorted(match.kwargs.items())) if match else "",
        detail={"method": request.method},
    )


def _error_page(request: HttpRequest, status: int, template: str) -> HttpResponse:
    """The page (with the site's navigation), or the message fragment for htmx."""
    if wants_fragment(request):
        return error_fragment(status, message_for(status))
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    # Often a forged Host header: the request's host must not be read again here.
    if wants_fragment(request):
        return error_fragment(400, message_for(400))
    return standalone_page("400.html", 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    _record_denial(request, audit.Action.PERMISSION_DENIED, audit.Outcome.DENIED)
    return _error_page(request, 403, "403.html")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    user = getattr(request, "user", None)
    already = getattr(request, "_audit_recorded", False)
    if user is not None and user.is_authenticated and not already:
        # Someone logged in asked for something that is not theirs or not there: breach triage
        # wants both (see get_visible_or_404 for the precise "exists but not visible" case).
        _record_denial(request, audit.Action.NOT_FOUND, audit.Outcome.FAILURE)
    return _error_page(request, 404, "404.html")


def database_unavailable(exc: BaseException | None) -> bool:
    """PostgreSQL down, restarting, or the connection lost: a retry will succeed."""
    return isinstance(exc, OperationalError | InterfaceError)


def disk_full(exc: BaseException | None) -> bool:
    return isinstance(exc, OSError) and exc.errno in {errno.ENOSPC, errno.EDQUOT}


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: called while the exception is being handled, so it can tell the kinds apart."""
    exc = sys.exc_info()[1]
    if database_unavailable(exc):
        status, template = 503, "503.html"
    elif disk_full(exc):
        status, template = 507, "507.html"
    else:
        status, template = 500, "500.html"
    if wants_fragment(request):
        response = error_fragment(status, message_for(status))
    else:
        response = standalone_page(template, status, retry_after=RETRY_AFTER_SECONDS)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: mostly a page left open past its session, or a second tab."""
    audit.record(
        request,
        audit.Action.CSRF_FAILED,
        outcome=audit.Outcome.DENIED,
        detail={"reason": reason, "method": request.method},
        # Anyone can post a form without a token: one stored row per address and minute.
        anonymous_once_per=CSRF_AUDIT_PERIOD,
    )
    message = _(
        "Formulir ini sudah kedaluwarsa atau dikirim dari luar aplikasi. "
        "Muat ulang halaman, lalu kirim sekali lagi."
    )
    if wants_fragment(request):
        return error_fragment(403, message)
    return standalone_page("403_csrf.html", 403)
