"""The client's address: the one helper behind login throttling (django-axes, through
AXES_CLIENT_IP_CALLABLE), the audit trail and the FGD check-in limit.

Without a proxy (PROXY_COUNT=0) it is the connection's address, REMOTE_ADDR; X-Forwarded-For
is ignored, since anyone can send it. Behind PROXY_COUNT trusted proxies, each of which appends
the address it received the request from to X-Forwarded-For (nginx's
`$proxy_add_x_forwarded_for`), the client is the address the outermost trusted proxy saw: the
PROXY_COUNT-th entry from the right. Everything left of it was written by the client and is
ignored, so a forged "X-Forwarded-For: 1.2.3.4" cannot pick a fresh address per login attempt.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware.ip import get_client_ip


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies > 0:
        # python-ipware counts the proxies *after* the client in the header; the last trusted
        # proxy's own address is REMOTE_ADDR, not a header entry, hence the - 1. Not strict:
        # extra (forged) entries on the left are allowed and skipped.
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxies - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address is not None:
            return address
        # A chain shorter than the proxies configured did not come through them all: trust
        # only the connection (over-throttling the sender, never under-throttling it).
    address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address
