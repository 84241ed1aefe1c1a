"""Deny by default: walk every URL pattern as every role (QUALITY C1, C2, C3, C5, D1, G2).

One test per route. It builds the test world once, then sends every request the route owes a
check to, each inside a savepoint that is rolled back, so every request meets the world as built:

- every role, GET and POST, gets the answer the matrix expects (C2); the POST carries the CSRF
  token in the `X-CSRFToken` header exactly as htmx sends it (D1), and every GET, plain or htmx,
  writes nothing (C5);
- the same POST without a token is refused with the Indonesian "reload the page" answer and
  writes nothing (D1);
- anonymous htmx requests get `HX-Redirect` to the login page (C1);
- on object-scoped routes every outsider gets 404, plain and htmx, writes nothing, and leaves
  exactly one audit record naming the object (C3, G2).

Writes are detected by capturing the SQL (tests/writes.py). Each check is recorded; the run ends
with a table of routes × roles × methods walked (`var/test/authz-walk.tsv`, summary printed).
"""

from __future__ import annotations

import html
import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rpjmd.models import AuditEvent
from tests.authz_matrix import LOGIN, MATRIX, OUTSIDERS, PUBLIC_URL_NAMES, ROLES
from tests.factories import sign_in
from tests.writes import rolled_back, written_tables

LOGIN_PATH = "/masuk/"
HX_HEADERS = re.compile(r"<body[^>]*\shx-headers='([^']*)'")
HTMX = {"HX-Request": "true"}
# The refusal page of a POST without a valid CSRF token (templates/403_csrf.html).
CSRF_REFUSED = "Formulir kedaluwarsa"


def walk(patterns=None, namespace=""):
    """Yield (qualified name, route regex, view callback) for every named pattern."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern, entry.callback


APP_ROUTES = sorted(name for name, _, _ in walk() if not name.startswith("admin:"))
ADMIN_ROUTES = sorted(name for name, _, _ in walk() if name.startswith("admin:"))


def assert_outcome(response, expected, context):
    if expected == LOGIN:
        assert response.status_code == 302, context
        assert response["Location"].startswith(LOGIN_PATH + "?next="), context
    else:
        assert response.status_code == expected, (context, response.status_code)


def answered(route, method: str) -> bool:
    """Whether a route answers `method` at all (for someone), so outsiders must try it."""
    return any(expected not in (405, LOGIN) for expected in getattr(route, method).values())


# Every object-scoped route, by every outsider, with each method the route answers at all.
SCOPED = [
    (name, outsider, method)
    for name in APP_ROUTES
    if MATRIX[name].scope
    for outsider in OUTSIDERS[MATRIX[name].scope]
    for method in ["get", "post"]
    if answered(MATRIX[name], method)
]


class Visitors:
    """A signed-in session (and CSRF cookie and token) per role, made before any request of
    the walk, so that a rolled-back request cannot take a session with it. Each request gets a
    fresh client carrying those cookies: a logout or a language switch stays in its request."""

    def __init__(self, world, roles):
        self.cookies: dict[str, dict[str, str]] = {}
        self.tokens: dict[str, str] = {}
        for role in roles:
            client = Client()
            if world.user(role) is not None:
                sign_in(client, world.user(role))
            page = client.get(LOGIN_PATH if world.user(role) is None else "/rencana/")
            match = HX_HEADERS.search(page.text)
            assert match, f"the page for {role} has no <body hx-headers>"
            self.tokens[role] = json.loads(html.unescape(match.group(1)))["X-CSRFToken"]
            self.cookies[role] = {key: morsel.value for key, morsel in client.cookies.items()}

    def client(self, role: str, *, csrf: bool = False) -> Client:
        client = Client(enforce_csrf_checks=csrf)
        for key, value in self.cookies[role].items():
            client.cookies[key] = value
        return client


def test_every_route_has_a_matrix_entry():
    missing = set(APP_ROUTES) - set(MATRIX)
    stale = set(MATRIX) - set(APP_ROUTES)
    assert not missing, f"routes without an authorization matrix entry: {sorted(missing)}"
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


def test_only_the_reviewed_views_are_public():
    public = {name for name, _, view in walk() if getattr(view, "login_required", True) is False}
    assert public == PUBLIC_URL_NAMES


def test_no_view_is_exempt_from_csrf():
    """The CSRF middleware guards every view unless one opts out: none may (D1, with the
    semgrep rule that bans `csrf_exempt` in the source)."""
    exempt = sorted(name for name, _, view in walk() if getattr(view, "csrf_exempt", False))
    assert exempt == []


@pytest.mark.parametrize("name", APP_ROUTES)
def test_route(world, walk_log, name):
    route = MATRIX[name]
    outsiders = OUTSIDERS[route.scope] if route.scope else []
    visitors = Visitors(world, ROLES + [o for o in outsiders if o not in ROLES])
    url = reverse(name, kwargs=route.kwargs(world))

    for role in ROLES:
        for headers in ({}, HTMX):
            context = f"GET {url} as {role} {headers}"
            with rolled_back() as queries:
                response = visitors.client(role).get(url, headers=headers)
            if headers and role == "anonymous" and name not in PUBLIC_URL_NAMES:
                assert response.status_code == 200, context
                assert response["HX-Redirect"].startswith(LOGIN_PATH + "?next="), context
                walk_log(name, role, "GET", "htmx-login", "HX-Redirect")
            elif headers:
                assert response.status_code < 500, context
            else:
                assert_outcome(response, route.get[role], context)
                walk_log(name, role, "GET", "matrix", route.get[role])
            assert written_tables(queries) == [], f"{context} wrote {written_tables(queries)}"
        walk_log(name, role, "GET", "no-writes", "plain+htmx")

        context = f"POST {url} as {role}"
        with rolled_back() as queries:
            response = visitors.client(role, csrf=True).post(
                url, {"state": "closed"}, headers={"X-CSRFToken": visitors.tokens[role]}
            )
        assert CSRF_REFUSED not in response.text, context
        assert_outcome(response, route.post[role], context)
        walk_log(name, role, "POST", "matrix", route.post[role])

        # The CSRF check comes before the method check: even a page that only answers GET
        # refuses a token-less POST with 403 rather than 405.
        with rolled_back() as queries:
            response = visitors.client(role, csrf=True).post(url, {"state": "closed"})
        assert response.status_code == 403, f"{context} without token"
        assert CSRF_REFUSED in response.text, f"{context} without token"
        assert "muat ulang halaman" in response.text, f"{context} without token"
        assert "Traceback" not in response.text
        assert written_tables(queries) == [], f"{context} without token wrote"
        walk_log(name, role, "POST", "csrf-refused", 403)

        if role == "anonymous" and name not in PUBLIC_URL_NAMES:
            with rolled_back():
                response = visitors.client(role).post(url, headers=HTMX)
            assert response.status_code == 200, f"htmx {context}"
            assert response["HX-Redirect"].startswith(LOGIN_PATH + "?next="), context
            walk_log(name, role, "POST", "htmx-login", "HX-Redirect")

    for outsider in outsiders:
        for method in ["get", "post"]:
            if not answered(route, method):
                continue
            for headers in ({}, HTMX):
                context = f"{method.upper()} {url} as {outsider} {headers}"
                with rolled_back() as queries:
                    before = AuditEvent.objects.count()
                    client = visitors.client(outsider)
                    response = getattr(client, method)(url, {"state": "closed"}, headers=headers)
                    trail = list(AuditEvent.objects.order_by("pk")[before:])
                assert response.status_code == 404, context
                assert written_tables(queries) == [], f"{context} wrote {written_tables(queries)}"
                # G2: the denied attempt leaves one trace that says who asked for what.
                assert len(trail) == 1, f"{context}: {trail}"
                assert trail[0].actor == world.user(outsider), context
                assert trail[0].action in {
                    AuditEvent.Action.OBJECT_DENIED,
                    AuditEvent.Action.NOT_FOUND,
                }, context
                assert trail[0].object_id, f"{context}: the trail must name the object"
                assert trail[0].detail["method"] == method.upper(), context
                variant = "outsider-htmx" if headers else "outsider"
                walk_log(name, outsider, method.upper(), variant, 404)


def admin_url(pattern) -> str:
    """Fill every converter in an admin route with 1, enough to reach its permission check."""
    regex = pattern.regex.pattern if hasattr(pattern, "regex") else str(pattern)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", regex).strip("^$").replace("\\", "")
    return path


@pytest.mark.parametrize("name", [n for n in ADMIN_ROUTES if n not in PUBLIC_URL_NAMES])
def test_admin_pages_send_non_admins_to_the_admin_login(world, client_for, name):
    url = reverse(name, kwargs=None) if name.endswith(("index", "logout", "jsi18n")) else None
    if url is None:
        resolver_entry = next(p for n, p, _ in walk() if n == name)
        url = "/admin/" + admin_url(resolver_entry)
    for role in ["anonymous", "opd", "planner", "resource_person", "leader"]:
        response = client_for(role).get(url)
        if response.status_code == 405:  # admin logout: POST only, for everyone
            continue
        assert response.status_code == 302, (url, role)
        # (admin logout sends non-staff to the admin index, which then asks for the admin login)
        assert response["Location"].startswith(("/admin/login/", "/admin/", LOGIN_PATH)), (
            url,
            role,
        )


def test_admin_can_open_every_model_list(world, client_for):
    from django.contrib import admin

    client = client_for("admin")
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
