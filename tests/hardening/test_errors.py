"""Generic error answers without internals, htmx error fragments, database outages and forged
Host headers (QUALITY A4, A5; I2's user-facing half)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.test import Client

from tests.factories import sign_in
from tests.hardening.conftest import ROOT

LEAKS = ["Traceback", "hunter2", "SELECT", "/srv/app", "settings.py", "SECRET_KEY", "RuntimeError"]
HTMX = {"HX-Request": "true"}


def assert_generic(response, status: int, *, page: bool = True) -> None:
    assert response.status_code == status
    for leak in LEAKS:
        assert leak not in response.text, leak
    if page:
        assert "<html" in response.text and "Meja Kerja RPJMD" in response.text
        assert "HX-Retarget" not in response
    else:
        assert "<html" not in response.text
        assert response["HX-Retarget"] == "#messages"
        assert response["HX-Reswap"] == "outerHTML"
        assert 'id="messages"' in response.text and 'role="alert"' in response.text


def broken_client(world) -> Client:
    client = Client(raise_request_exception=False)
    sign_in(client, world.planner)
    return client


@pytest.mark.urls("tests.hardening.urls_failing")
def test_an_unexpected_error_shows_a_generic_page_or_fragment(world):
    client = broken_client(world)
    page = client.get("/uji/gagal/")
    assert_generic(page, 500)
    assert "Terjadi gangguan pada server" in page.text
    fragment = client.get("/uji/gagal/", headers=HTMX)
    assert_generic(fragment, 500, page=False)
    assert "silakan coba lagi" in fragment.text


@pytest.mark.urls("tests.hardening.urls_failing")
def test_a_lost_database_answers_503_try_again(world):
    client = broken_client(world)
    page = client.post("/uji/basis-data/")
    assert_generic(page, 503)
    assert "coba lagi" in page.text.lower()
    assert page["Retry-After"] == "5"
    fragment = client.post("/uji/basis-data/", headers=HTMX)
    assert_generic(fragment, 503, page=False)
    assert "coba lagi dalam beberapa detik" in fragment.text


@pytest.mark.urls("tests.hardening.urls_failing")
def test_a_full_disk_says_so_without_internals(world):
    client = broken_client(world)
    page = client.post("/uji/disk-penuh/")
    assert_generic(page, 507)
    assert "Ruang penyimpanan server penuh" in page.text


def test_not_found_and_forbidden_are_generic_pages_and_htmx_fragments(world, client_for):
    opd = client_for("opd")
    missing = opd.get("/rencana/999999/")
    assert_generic(missing, 404)
    assert "Halaman tidak ditemukan" in missing.text
    assert_generic(opd.get("/rencana/999999/", headers=HTMX), 404, page=False)

    forbidden = opd.get(f"/rencana/{world.plan.pk}/tahapan/")
    assert_generic(forbidden, 403)
    assert "Akses ditolak" in forbidden.text
    fragment = opd.post(f"/tahapan/{world.stage.pk}/status/", headers=HTMX)
    assert_generic(fragment, 403, page=False)
    assert "peran Anda tidak mengizinkan" in fragment.text


def test_a_wrong_method_from_htmx_gets_a_message_not_an_empty_panel(world, client_for):
    response = client_for("planner").get(f"/tahapan/{world.stage.pk}/hapus/", headers=HTMX)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Permintaan tidak dapat diproses" in response.text
    assert response["HX-Retarget"] == "#messages"


def test_a_boosted_navigation_gets_the_whole_error_page(world, client_for):
    response = client_for("opd").get(
        "/rencana/999999/", headers={"HX-Request": "true", "HX-Boosted": "true"}
    )
    assert_generic(response, 404)


def test_a_forged_host_header_is_refused_with_a_generic_400(world, client_for):
    for client in (Client(), client_for("planner")):
        response = client.get("/rencana/", HTTP_HOST="evil.example")
        assert_generic(response, 400)
        assert "evil.example" not in response.text
        assert "Permintaan tidak valid" in response.text


def test_forwarded_host_headers_are_not_trusted(world, client_for):
    response = client_for("planner").get(
        f"/rencana/{world.plan.pk}/", HTTP_X_FORWARDED_HOST="evil.example"
    )
    assert response.status_code == 200
    assert "evil.example" not in response.text


PROBE = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.conf import settings
    from django.test import Client
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32
    results = {}
    for name, method, path, headers in [
        ("page", "get", "/rencana/", {}),
        ("fragment", "post", "/tahapan/1/status/", {"HX-Request": "true"}),
        ("login", "post", "/masuk/", {}),
        ("health", "get", "/health/", {}),
    ]:
        kwargs = {"data": {"username": "a", "password": "b"}} if path == "/masuk/" else {}
        response = getattr(client, method)(path, headers=headers, **kwargs)
        results[name] = {
            "status": response.status_code,
            "body": response.content.decode(),
            "retarget": response.get("HX-Retarget"),
        }
    print(json.dumps(results))
    """
)


def test_postgresql_unreachable_gives_a_clear_503_never_a_traceback():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # Nothing listens on port 1: every connection attempt is refused at once.
        "DATABASE_URL": "postgres://rpjmd:x@127.0.0.1:1/rpjmd?connect_timeout=2",
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["page"]["status"] == 503
    assert "Layanan sementara tidak tersedia" in answers["page"]["body"]
    assert answers["fragment"]["status"] == 503
    assert answers["fragment"]["retarget"] == "#messages"
    assert "coba lagi" in answers["fragment"]["body"]
    assert answers["login"]["status"] == 503
    assert answers["health"]["status"] == 503
    for answer in answers.values():
        for leak in ["Traceback", "OperationalError", "127.0.0.1:1", "psycopg", "/work/"]:
            assert leak not in answer["body"], leak
    # The operators still get the details, in the server's log.
    assert "connection" in result.stderr.lower()
