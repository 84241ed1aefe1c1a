from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from rpjmd.models import User


class AuthedRequest(HttpRequest):
    """A request behind LoginRequiredMiddleware: the user is always a real User."""

    user: User
    htmx: HtmxDetails


def is_partial(request: HttpRequest) -> bool:
    """An htmx request for a fragment (a boosted navigation wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted
