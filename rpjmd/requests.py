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


# The largest value every id column takes (PostgreSQL integer); SQLite overflows past 2**63.
MAX_ID = 2**31 - 1


def positive_int(value: str | None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """`value` as an int when it is plain ASCII digits within bounds, else None.

    `str.isdigit()` accepts "²" and other Unicode digits that `int()` refuses, and a huge
    number passes `int()` but overflows the database: query strings and form keys come here.
    """
    # Long strings never reach int(): past 4,300 digits it raises, and it is slow before that.
    if not value or len(value) > 20 or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None
