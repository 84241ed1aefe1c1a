"""Security headers on every response, cookie flags and page hygiene (QUALITY A2, A3, B7).

The walk covers every named URL of the project (the authorization matrix), as every role, GET,
POST and htmx, so routes added by later modules are covered as soon as their matrix rows exist.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz_matrix import MATRIX, ROLES
from tests.factories import sign_in
from tests.test_authorization import APP_ROUTES

PASSWORD = "Sandi-Uji-Yang-Panjang-1"
YEAR = 60 * 60 * 24 * 365


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


# Features no page of the app uses: switched off everywhere (Permissions-Policy).
STRICT_FEATURES = {
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "bluetooth",
    "hid",
    "midi",
    "display-capture",
    "accelerometer",
    "gyroscope",
    "magnetometer",
}


def permissions_policy(header: str) -> dict[str, str]:
    return {
        name.strip(): value.strip()
        for name, _, value in (part.partition("=") for part in header.split(","))
        if name.strip()
    }


def assert_security_headers(response, context: str, *, documents: bool = True) -> None:
    hsts = response.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    assert max_age and int(max_age.group(1)) >= YEAR, (context, hsts)
    assert "includeSubDomains" in hsts, context

    csp = csp_directives(response.get("Content-Security-Policy", ""))
    if csp.get("default-src") == ["'none'"]:
        # A download's own, stricter policy (nothing loads, sandboxed): fine.
        assert "sandbox" in csp, (context, csp)
    else:
        assert csp.get("default-src") == ["'self'"], (context, csp)
        assert csp.get("script-src") == ["'self'"], (context, csp)  # no inline, no eval
        assert csp.get("object-src") == ["'none'"], context
        assert csp.get("base-uri") == ["'none'"], context
        assert csp.get("frame-ancestors") == ["'none'"], context
        assert csp.get("form-action") == ["'self'"], context
        assert set(csp.get("img-src", [])) == {"'self'", "data:", "blob:"}, context

    assert response.get("X-Content-Type-Options") == "nosniff", context
    assert response.get("Referrer-Policy") == "same-origin", context
    assert response.get("Cross-Origin-Opener-Policy") == "same-origin", context
    policy = permissions_policy(response.get("Permissions-Policy", ""))
    for feature in STRICT_FEATURES:
        assert policy.get(feature) == "()", (context, feature, policy)
    assert set(policy) >= STRICT_FEATURES, context
    assert all(v in ("()", "(self)") for v in policy.values()), (context, policy)
    if documents:  # (static files are not documents: frame-ancestors covers them anyway)
        assert response.get("X-Frame-Options") == "DENY", context


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)


def assert_page_hygiene(response, context: str, *, logged_in: bool) -> None:
    """A full HTML page: nothing the CSP would block, and a way to log out (B7)."""
    html = response.text
    inline = [m for m in INLINE_SCRIPT.findall(html) if "application/json" not in m]
    assert not inline, (context, inline)
    assert not EVENT_HANDLER.search(html), context
    assert not STYLE_ATTRIBUTE.search(html), context
    assert '"includeIndicatorStyles": false' in html, context
    if logged_in:
        assert '<form method="post" action="/keluar/"' in html, context
        assert "no-store" in response["Cache-Control"], context


@pytest.mark.parametrize("name", APP_ROUTES)
def test_every_response_carries_the_security_headers(world, production, name):
    route = MATRIX[name]
    for role in ROLES:
        client = Client()
        if world.user(role) is not None:
            sign_in(client, world.user(role))
        for method, headers in [("get", {}), ("post", {}), ("get", {"HX-Request": "true"})]:
            url = reverse(name, kwargs=route.kwargs(world))
            response = getattr(client, method)(url, secure=True, headers=headers)
            context = f"{method.upper()} {url} as {role} {headers}"
            assert_security_headers(response, context)
            # A whole page, not a fragment some script fetches (block previews, presence).
            is_page = (
                response.status_code == 200
                and response["Content-Type"].startswith("text/html")
                and not headers
                and response.text.lstrip()[:15].lower() == "<!doctype html>"
            )
            if is_page:
                assert_page_hygiene(response, context, logged_in=role != "anonymous")


def test_error_pages_static_files_and_the_admin_carry_the_headers(world, production):
    client = Client()
    sign_in(client, world.admin)
    for url in ["/tidak-ada/", "/static/css/app.css", "/admin/", "/admin/rpjmd/plan/"]:
        response = client.get(url, secure=True)
        assert response.status_code in (200, 404), url
        assert_security_headers(response, url, documents=not url.startswith("/static/"))


def test_plain_http_is_sent_to_https_before_anything_else(world, production):
    response = Client().get("/masuk/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/masuk/"
    assert "camera=()" in response["Permissions-Policy"]


def parse_set_cookies(response) -> dict[str, dict]:
    cookies = {}
    for name, morsel in response.cookies.items():
        cookies[name] = {key: morsel[key] for key in morsel} | {"value": morsel.value}
    return cookies


def test_session_and_csrf_cookies_are_secure_httponly_and_samesite(world, production):
    from tests.factories import make_user

    make_user("opd", agency=world.agency_a, password=PASSWORD, username="ahmad")
    client = Client()
    page = client.get("/masuk/", secure=True)
    csrf = parse_set_cookies(page)["__Host-csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"
    assert csrf["path"] == "/" and not csrf["domain"]

    response = client.post(
        "/masuk/",
        {"username": "ahmad", "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    session = parse_set_cookies(response)["__Host-sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    # __Host- cookies must be host-only and for the whole site, or browsers drop them.
    assert session["path"] == "/" and not session["domain"]
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_production_settings_pass_djangos_deploy_check_with_the_csp_app(production_values):
    # (the deploy check itself runs in tests/rpjmd/test_settings.py; here: what it relies on)
    assert production_values["SECURE_SSL_REDIRECT"] is True
    assert production_values["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production_values["CSRF_COOKIE_NAME"].startswith("__Host-")
