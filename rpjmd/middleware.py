from django.conf import settings
from django.utils import timezone

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
