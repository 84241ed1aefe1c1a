"""What every benchmark needs: Django on its own PostgreSQL database, and honest timing.

Benchmarks are not tests: they print figures against the budgets in the issues and never fail
on a slow machine. They run against PostgreSQL (BENCH_DATABASE_URL, default a database
`rpjmd_bench` on 127.0.0.1), created fresh by `fresh_database()`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rpjmd_bench"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def setup_django() -> None:
    """Configure Django like production (DEBUG off) against the benchmark database."""
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("SECRET_KEY", "benchmark-only-key-not-a-secret-0123456789")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("STATIC_MANIFEST", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rpjmd.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def process_env(folder: Path, database: str) -> dict[str, str]:
    """The environment of a process started as production starts it (gunicorn, a db_worker),
    working in its own folder: DEBUG off, plain HTTP on 127.0.0.1, no mail sent."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    return base | {
        "DATABASE_URL": database,
        "DEBUG": "0",
        "HTTPS": "0",
        "LOG_LEVEL": "WARNING",
        "VAR_DIR": str(folder),
        "MEDIA_ROOT": str(folder / "media"),
        "PDF_CACHE_DIR": str(folder / "cache" / "pdf"),
        "HEAVY_WORK_LOCK_DIR": str(folder / "locks"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def fresh_database() -> None:
    """Drop and recreate the benchmark database, then migrate it (before setup_django)."""
    parts = urlsplit(database_url())
    name = parts.path.lstrip("/")
    admin = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-d",
        "postgres",
        "-q",
        "-c",
    ]
    subprocess.run([*admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run([*admin, f'CREATE DATABASE "{name}"'], check=True)
    env = os.environ | {"DATABASE_URL": database_url(), "DEBUG": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)


def measure(action: Callable[[], object], *, runs: int = 30, warmup: int = 3) -> list[float]:
    """Wall-clock seconds of `runs` calls after `warmup` uncounted ones."""
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return timings


def summary(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": p95 * 1000,
        "min_ms": ordered[0] * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def report(
    name: str,
    timings: list[float],
    *,
    budget_median_ms: float | None = None,
    budget_p95_ms: float | None = None,
) -> dict[str, float]:
    """Print one line of figures and whether they are within the budget."""
    figures = summary(timings)
    verdicts = []
    if budget_median_ms is not None:
        ok = figures["median_ms"] <= budget_median_ms
        verdicts.append(f"median {'within' if ok else 'OVER'} {budget_median_ms:g} ms")
    if budget_p95_ms is not None:
        ok = figures["p95_ms"] <= budget_p95_ms
        verdicts.append(f"p95 {'within' if ok else 'OVER'} {budget_p95_ms:g} ms")
    print(
        f"{name:<48} median {figures['median_ms']:8.1f} ms  p95 {figures['p95_ms']:8.1f} ms  "
        f"(min {figures['min_ms']:.1f}, max {figures['max_ms']:.1f}, n={len(timings)})"
        + (f"  [{'; '.join(verdicts)}]" if verdicts else ""),
        flush=True,
    )
    return figures
