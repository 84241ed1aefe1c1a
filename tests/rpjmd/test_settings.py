"""Production configuration (QUALITY A1, A6)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from rpjmd.settings import database_from_url

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, under: tuple[str, ...] = (), **env):
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
        [*under, sys.executable, "manage.py", *args],
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


PDF_ENVIRONMENT = {
    "PDF_CACHE_DIR": "/srv/cache/pdf",
    "PDF_CACHE_DAYS": "7",
    "PDF_EXPORT_WORKERS": "0",
    "PDF_SEGMENT_CHARS": "30000",
    "PDF_EXPORT_NICE": "5",
    "PDF_EXPORT_LOWER_WORKER_PRIORITY": "0",
    "PDF_EXPORT_MEMORY_MB": "1024",
    "PDF_EXPORT_TIMEOUT": "300",
}


def test_the_pdf_export_settings_come_from_the_environment():
    names = ", ".join(f"settings.{name}" for name in PDF_ENVIRONMENT)
    code = f"from django.conf import settings; print(repr(({names},)))"
    result = run_manage("shell", "-c", code, DEBUG="1", **PDF_ENVIRONMENT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr(
        (Path("/srv/cache/pdf"), 7, 0, 30000, 5, False, 1024, 300)
    )
    defaults = run_manage("shell", "-c", code, DEBUG="1")
    assert defaults.stdout.strip().splitlines()[-1].endswith("14, 2, 30000, 3, True, 2048, 600)")


def test_render_slots_default_to_the_cores_the_process_may_use_not_the_hosts():
    # A worker in a container (or under taskset) given one core of a bigger host renders one
    # part at a time: its cpuset, not os.cpu_count(), is its machine.
    code = "from django.conf import settings; print(settings.PDF_RENDER_SLOTS)"
    one_core = run_manage("shell", "-c", code, under=("taskset", "--cpu-list", "0"), DEBUG="1")
    assert one_core.returncode == 0, one_core.stderr
    assert one_core.stdout.strip().splitlines()[-1] == "1"
    every_core = run_manage("shell", "-c", code, DEBUG="1")
    assert every_core.stdout.strip().splitlines()[-1] == str(len(os.sched_getaffinity(0)))


def test_a_pdf_setting_that_is_not_a_number_stops_the_start_with_its_name():
    result = run_manage("check", DEBUG="1", PDF_EXPORT_WORKERS="dua")
    assert result.returncode != 0
    assert "PDF_EXPORT_WORKERS must be a whole number of at least 0: 'dua'" in result.stderr


def test_the_pdf_settings_are_read_from_settings_with_no_default_of_their_own():
    for path in (ROOT / "drafts").rglob("*.py"):
        assert 'getattr(settings, "PDF_' not in path.read_text(), path
