"""Deny by default: walk every URL pattern as every role (QUALITY C1, C2, C3)."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz_matrix import LOGIN, MATRIX, OUTSIDERS, PUBLIC_URL_NAMES, ROLES

LOGIN_PATH = "/masuk/"


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


def db_fingerprint() -> str:
    """A hash of every row of every table, except sessions, login bookkeeping and the audit
    trail (which records the very attempts these tests make)."""
    digest = hashlib.sha256()
    skip = {"sessions", "axes"}
    for model in sorted(apps.get_models(), key=lambda m: m._meta.db_table):
        if model._meta.app_label in skip or model._meta.label == "rpjmd.AuditEvent":
            continue
        rows = model._default_manager.order_by("pk").values_list()
        digest.update(model._meta.db_table.encode())
        digest.update(repr(list(rows)).encode())
    return digest.hexdigest()


def test_every_route_has_a_matrix_entry():
    missing = set(APP_ROUTES) - set(MATRIX)
    stale = set(MATRIX) - set(APP_ROUTES)
    assert not missing, f"routes without an authorization matrix entry: {sorted(missing)}"
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


def test_only_the_reviewed_views_are_public():
    public = {name for name, _, view in walk() if getattr(view, "login_required", True) is False}
    assert public == PUBLIC_URL_NAMES


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", APP_ROUTES)
def test_role_matrix(world, client_for, name, role, method):
    route = MATRIX[name]
    url = reverse(name, kwargs=route.kwargs(world))
    response = getattr(client_for(role), method)(url)
    assert_outcome(response, getattr(route, method)[role], f"{method.upper()} {url} as {role}")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", [n for n in APP_ROUTES if n not in PUBLIC_URL_NAMES])
def test_anonymous_htmx_requests_get_a_full_page_redirect_to_login(world, client, name, method):
    url = reverse(name, kwargs=MATRIX[name].kwargs(world))
    response = getattr(client, method)(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(LOGIN_PATH + "?next=")


# Every object-scoped route, by every outsider, with each method the route answers at all.
SCOPED = [
    (name, outsider, method)
    for name in APP_ROUTES
    if MATRIX[name].scope
    for outsider in OUTSIDERS[MATRIX[name].scope]
    for method in ["get", "post"]
    if any(expected not in (405, LOGIN) for expected in getattr(MATRIX[name], method).values())
]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(("name", "outsider", "method"), SCOPED)
def test_outsiders_get_404_and_change_nothing(world, client_for, name, outsider, method, htmx):
    route = MATRIX[name]
    url = reverse(name, kwargs=route.kwargs(world))
    client = client_for(outsider)
    before = db_fingerprint()
    headers = {"HX-Request": "true"} if htmx else {}
    response = getattr(client, method)(url, {"state": "closed"}, headers=headers)
    assert response.status_code == 404, f"{method.upper()} {url} as {outsider}"
    assert db_fingerprint() == before


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
