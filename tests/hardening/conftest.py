"""Fixtures for the hardening suite: the production settings as production computes them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The settings that differ between plain HTTP (tests) and production behind HTTPS.
SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_NAME",
    "CONTENT_SECURITY_POLICY",
]


def settings_of(env: dict[str, str], names: list[str]) -> dict:
    """Import rpjmd.settings in a fresh interpreter with `env` and return the named values."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS", "SECRET_KEY"}}
    code = (
        "import json, sys, rpjmd.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean | {"SECRET_KEY": "x" * 50} | env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="session")
def production_values() -> dict:
    """What rpjmd/settings.py gives in production (DEBUG off, HTTPS on by default)."""
    return settings_of({}, SECURITY_SETTINGS)


@pytest.fixture
def production(settings, production_values):
    """Apply the production security settings to this test (the suite runs plain HTTP)."""
    for name, value in production_values.items():
        setattr(settings, name, value)
    return settings
