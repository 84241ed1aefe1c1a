import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.translation import gettext as _

SESSION_TZ_KEY = "region_time_zone"


class RegionTimezoneMiddleware:
    """Show every time in the user's region's zone (WITA for Kutai Kartanegara).

    The zone is looked up once per session and kept there: it changes only if an admin moves
    the user to another pemda, and then the next login picks it up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tzname = settings.TIME_ZONE
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            tzname = request.session.get(SESSION_TZ_KEY)
            if tzname is None:
                tzname = user.region.time_zone if user.region_id else settings.TIME_ZONE
                request.session[SESSION_TZ_KEY] = tzname
        timezone.activate(tzname)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


SESSION_STARTED_KEY = "_auth_started_at"
SESSION_SEEN_KEY = "_auth_seen_at"
# The last-seen time is written at most once a minute, so reading pages does not save the
# session on every request.
SEEN_RESOLUTION_SECONDS = 60


class SessionTimeoutMiddleware:
    """End a session after SESSION_IDLE_TIMEOUT without requests, or SESSION_ABSOLUTE_TIMEOUT
    after login, whichever comes first (QUALITY B5; policy in docs/decisions.md).

    An expired session is logged out here; LoginRequiredMiddleware then sends the user to the
    login page (htmx requests get an HX-Redirect, rpjmd/htmx.py) with `next` kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED_KEY, now)
            seen = session.get(SESSION_SEEN_KEY, now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - started > absolute:
                self.expire(
                    request,
                    _(
                        "Sesi Anda berakhir karena sudah berlangsung satu hari kerja. "
                        "Silakan masuk lagi."
                    ),
                )
            elif now - seen > idle:
                self.expire(
                    request,
                    _("Sesi Anda berakhir karena terlalu lama tidak aktif. Silakan masuk lagi."),
                )
            elif now - seen >= SEEN_RESOLUTION_SECONDS or SESSION_SEEN_KEY not in session:
                session[SESSION_SEEN_KEY] = now
        return self.get_response(request)

    @staticmethod
    def expire(request, message: str) -> None:
        request._session_expired = True  # the audit log says "expired", not "logout"
        logout(request)
        messages.info(request, message)


def start_session_clock(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: the absolute timeout counts from the login itself."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_SEEN_KEY] = now


class NoStoreMiddleware:
    """Pages for a logged-in user hold unpublished plans and personal data: browsers and
    proxies must not keep a copy (the back button after logout on a shared office computer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


# Browser features the app never uses, switched off for it and anything it might ever frame: a
# script injected despite the CSP still cannot open the camera, microphone or location, take
# payments or talk to USB or serial devices. The editor's full-screen mode is the one feature
# kept, for this origin only.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "bluetooth=()",
        "camera=()",
        "clipboard-read=()",
        "display-capture=()",
        "encrypted-media=()",
        "fullscreen=(self)",
        "geolocation=()",
        "gyroscope=()",
        "hid=()",
        "idle-detection=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "picture-in-picture=()",
        "publickey-credentials-get=()",
        "screen-wake-lock=()",
        "serial=()",
        "usb=()",
        "xr-spatial-tracking=()",
    ]
)


class PermissionsPolicyMiddleware:
    """Sets Permissions-Policy on every response (Django has no setting for it). Outermost, so
    the HTTPS redirect, static files (WhiteNoise) and error pages carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
