"""The client address behind a reverse proxy (issue 13): one helper, rpjmd.addresses.client_ip,
for login throttling, the audit trail and the FGD check-in limit; forged X-Forwarded-For
entries never choose the address."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.helpers import get_client_ip_address
from django.test import Client, RequestFactory

from fgd.models import CheckInAttempt
from rpjmd.addresses import client_ip
from rpjmd.models import AuditEvent, User
from tests.factories import make_user
from tests.fgd.test_check_in import WITA, at_meeting

PASSWORD = "Sandi-Uji-Yang-Panjang-1"
PROXY = "10.0.0.1"  # the TLS proxy: every request reaches the app from here


def request_via(xff: str | None, remote: str = PROXY):
    headers = {"HTTP_X_FORWARDED_FOR": xff} if xff is not None else {}
    return RequestFactory().post("/masuk/", REMOTE_ADDR=remote, **headers)


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        # One proxy: it appended what it saw; whatever the client sent is on the left.
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.66, 203.0.113.7", "203.0.113.7"),
        (1, "forged, 203.0.113.7", "203.0.113.7"),
        (1, "1.1.1.1, 2.2.2.2, 203.0.113.7", "203.0.113.7"),
        # A client on the office LAN behind the proxy is still that client.
        (1, "8.8.8.8, 192.168.1.20", "192.168.1.20"),
        # Two proxies (a CDN, then nginx): the second from the right.
        (2, "198.51.100.66, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        # No proxy: the header is the client's own text and is ignored.
        (0, "198.51.100.66, 203.0.113.7", PROXY),
        (0, None, PROXY),
        # Fewer entries than proxies: it did not come through them all; only the peer counts.
        (2, "203.0.113.7", PROXY),
        (1, None, PROXY),
        (1, "", PROXY),
    ],
)
def test_the_client_is_the_address_the_last_trusted_proxy_saw(settings, proxies, xff, expected):
    settings.PROXY_COUNT = proxies
    request = request_via(xff)
    assert client_ip(request) == expected
    # axes asks the same helper.
    assert get_client_ip_address(request) == expected


def test_no_request_no_address():
    assert client_ip(None) is None


def login(client, username, password, xff):
    return client.post(
        "/masuk/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=xff,
    )


def test_a_lockout_behind_the_proxy_holds_one_client_not_everyone(world, settings):
    settings.PROXY_COUNT = 1
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    attacker, colleague = "203.0.113.7", "198.51.100.20"
    for n in range(5):
        login(Client(), "ahmad", f"salah-{n}", attacker)
    assert login(Client(), "ahmad", PASSWORD, attacker).status_code == 429
    # A forged left-most entry does not give the attacker a fresh address.
    assert login(Client(), "ahmad", PASSWORD, f"192.0.2.1, {attacker}").status_code == 429
    # Another client behind the same proxy logs in.
    assert login(Client(), "ahmad", PASSWORD, colleague).status_code == 302
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert set(failed.values_list("ip_address", flat=True)) == {attacker}


def test_without_a_proxy_a_forged_header_cannot_escape_the_lockout(world, settings):
    settings.PROXY_COUNT = 0
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    for n in range(5):
        login(Client(), "ahmad", f"salah-{n}", f"203.0.113.{n}")
    assert login(Client(), "ahmad", PASSWORD, "198.51.100.99").status_code == 429
    failed = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert set(failed.values_list("ip_address", flat=True)) == {PROXY}


def test_fgd_check_in_limit_counts_the_client_behind_the_proxy(world, client_for, settings):
    settings.PROXY_COUNT = 1
    at_meeting(world)
    with time_machine.travel(dt.datetime(2020, 3, 7, 9, 0, tzinfo=WITA)):
        client_for("opd").post(
            "/presensi/",
            {"code": "ZZZZZZ"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7",
        )
    assert list(CheckInAttempt.objects.values_list("address", flat=True)) == ["203.0.113.7"]
