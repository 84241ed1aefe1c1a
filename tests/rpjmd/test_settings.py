"""Production configuration (QUALITY A1, A6)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from rpjmd.settings import database_from_url

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "HTTPS",
            "STATIC_MANIFEST",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=clean | {"DJANGO_SETTINGS_MODULE": "rpjmd.settings"} | env,
    )


def test_check_deploy_passes_with_production_values():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="rpjmd.kukarkab.go.id",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues (0 silenced)" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_url_parsing():
    pg = database_from_url("postgres://rpjmd:s%40ndi@db.internal:5433/rpjmd?sslmode=require")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "rpjmd",
        "s@ndi",
        "db.internal",
        "5433",
        "rpjmd",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    # Choice fields iterate with .iterator(): no server-side cursor round trips, and what a
    # transaction-pooling PgBouncer requires.
    assert pg["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert database_from_url("sqlite:////srv/rpjmd/db.sqlite3")["NAME"] == "/srv/rpjmd/db.sqlite3"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https_in_production(client, db):
    response = client.get("/masuk/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_unknown_host_is_refused(client, db):
    assert client.get("/masuk/", HTTP_HOST="evil.example").status_code == 400
