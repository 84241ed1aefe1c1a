"""CSRF on every unsafe method (QUALITY D1).

The walk in tests/test_authorization.py posts every route as every role with CSRF checks on:
without a token it is refused with the Indonesian "reload the page" answer; with the token in
the `X-CSRFToken` header, exactly as htmx sends it from `<body hx-headers>`, it gets what the
matrix expects. This file holds what the walk does not: htmx fragments, Origin checks over
HTTPS and the failure page itself.
"""

from __future__ import annotations

import html
import json
import re

from django.test import Client

from rpjmd.models import AuditEvent
from tests.factories import sign_in

HX_HEADERS = re.compile(r"<body[^>]*\shx-headers='([^']*)'")


def token_from_page(client: Client, url: str) -> str:
    """The CSRF token a page hands to htmx in <body hx-headers='{"X-CSRFToken": "..."}'>."""
    page = client.get(url)
    assert page.status_code == 200
    match = HX_HEADERS.search(page.text)
    assert match, "the page has no <body hx-headers>"
    headers = json.loads(html.unescape(match.group(1)))
    return headers["X-CSRFToken"]


def client_as(world, role: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    if world.user(role) is not None:
        sign_in(client, world.user(role))
    return client


def test_an_htmx_post_without_token_gets_a_message_fragment(world):
    client = client_as(world, "planner")
    response = client.post(
        f"/tahapan/{world.stage.pk}/status/",
        {"state": "closed"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#messages"
    assert "<html" not in response.text
    assert "Muat ulang halaman" in response.text
    event = AuditEvent.objects.get(action=AuditEvent.Action.CSRF_FAILED)
    assert event.actor == world.planner
    assert event.detail["reason"].startswith("CSRF")
    world.stage.refresh_from_db()
    assert world.stage.state == "open"


def test_an_htmx_post_with_the_body_token_succeeds(world):
    client = client_as(world, "planner")
    token = token_from_page(client, f"/rencana/{world.plan.pk}/tahapan/")
    response = client.post(
        f"/tahapan/{world.stage.pk}/status/",
        {"state": "closed"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    world.stage.refresh_from_db()
    assert world.stage.state == "closed"


def test_over_https_a_foreign_origin_is_refused_even_with_a_token(world, production):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, world.planner)
    page = client.get("/rencana/", secure=True)
    token = json.loads(html.unescape(HX_HEADERS.search(page.text).group(1)))["X-CSRFToken"]
    url = f"/tahapan/{world.stage.pk}/status/"
    foreign = client.post(
        url,
        {"state": "closed"},
        secure=True,
        headers={"X-CSRFToken": token, "Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    same = client.post(
        url,
        {"state": "closed"},
        secure=True,
        headers={"X-CSRFToken": token, "Origin": "https://testserver"},
    )
    assert same.status_code == 302


def test_the_csrf_page_is_generic_indonesian_and_standalone(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/masuk/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    text = response.text
    assert "Formulir kedaluwarsa" in text
    assert "muat ulang halaman" in text
    for leak in ["CSRF token", "Traceback", "settings", "csrfmiddlewaretoken", "DEBUG"]:
        assert leak not in text, leak
