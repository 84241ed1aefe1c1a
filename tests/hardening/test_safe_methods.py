"""No state change on GET (QUALITY C5): every route, every role, plain and htmx."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz_matrix import MATRIX, ROLES
from tests.factories import sign_in
from tests.test_authorization import APP_ROUTES, db_fingerprint


@pytest.mark.parametrize("name", APP_ROUTES)
def test_reading_any_page_changes_nothing(world, name):
    route = MATRIX[name]
    visits = []
    for role in ROLES:
        client = Client()
        if world.user(role) is not None:
            sign_in(client, world.user(role))
        # (the kwargs may create the object the route needs: before the fingerprint)
        visits.append((role, client, reverse(name, kwargs=route.kwargs(world))))
    before = db_fingerprint()
    for role, client, url in visits:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            assert response.status_code < 500, (url, role, headers)
    assert db_fingerprint() == before, f"GET {name} changed data"
