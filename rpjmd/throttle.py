"""Login throttling on top of django-axes (AXES_HANDLER).

Axes locks one (username, address) pair after AXES_FAILURE_LIMIT failures. That leaves password
spraying open: one address trying a common password against many usernames never fails twice
for the same pair. This handler adds a second, address-wide rule on axes' own attempt records:
LOGIN_ADDRESS_FAILURE_LIMIT failures from one address within the cool-off, whatever the
usernames, lock that address for every username until the cool-off has passed. The limit is
higher than the pair's because a whole office can share one address behind its NAT.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address within the cool-off, over all usernames."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressAwareHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # Read by the lockout page, which explains this lock differently.
            request.login_address_locked = True
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        # Axes flags the request (for AxesMiddleware's lockout page) only for its own rule.
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            request.login_address_locked = True
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
