"""deploy/prod.sh (make prod) starts production over HTTPS unless plain HTTP is asked for
(issue 13): a .env that forgets HTTPS must not serve logins over plain HTTP."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dry_run(tmp_path: Path, env_file: str | None = None, **env: str) -> str:
    """prod.sh and with-env.sh in a checkout of their own (so no developer's .env is read)."""
    (tmp_path / "deploy").mkdir()
    for name in ["prod.sh", "with-env.sh"]:
        shutil.copy2(ROOT / "deploy" / name, tmp_path / "deploy" / name)
    if env_file is not None:
        (tmp_path / ".env").write_text(env_file)
    base = {k: v for k, v in os.environ.items() if k not in {"HTTPS", "DEBUG", "PROXY_COUNT"}}
    result = subprocess.run(
        [str(tmp_path / "deploy" / "prod.sh")],
        env=base
        | {"PROD_DRY_RUN": "1", "PROD_ENV_LOADED": "", "SECRET_KEY": "k" * 50}
        | {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/rpjmd_dry_run"}
        | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_without_https_in_the_environment_or_env_file_production_uses_https(tmp_path):
    out = dry_run(tmp_path, env_file="PROXY_COUNT=1\nALLOWED_HOSTS=rpjmd.example\n")
    assert "DEBUG=0 HTTPS=1 PROXY_COUNT=1" in out
    assert "Mode: HTTPS" in out


def test_plain_http_is_an_explicit_choice_and_says_so(tmp_path):
    out = dry_run(tmp_path, HTTPS="0")
    assert "HTTPS=0" in out
    assert "HTTP biasa" in out and "hanya untuk 127.0.0.1" in out


def test_the_env_file_may_choose_plain_http_too(tmp_path):
    out = dry_run(tmp_path, env_file="HTTPS=0\n")
    assert "HTTPS=0" in out and "HTTP biasa" in out
