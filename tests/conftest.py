from __future__ import annotations

import os
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client

from rpjmd.models import Agency, Plan, Region, Stage, User
from tests.factories import make_agency, make_plan, make_region, make_stage, make_user, sign_in

ROLES = ["opd", "planner", "resource_person", "leader", "admin"]


@dataclass
class World:
    """The cast every test can use: two agencies of one pemda, a user per role, and an outsider
    pemda with its own planner and OPD staff (for cross-region and cross-agency checks)."""

    region: Region
    agency_a: Agency
    agency_b: Agency
    bappeda: Agency
    plan: Plan
    stage: Stage
    staff_a: User
    staff_b: User
    planner: User
    resource_person: User
    leader: User
    admin: User
    other_region: Region
    other_plan: Plan
    other_stage: Stage
    other_planner: User
    other_staff: User

    def user(self, role: str) -> User | None:
        return {
            "anonymous": None,
            "opd": self.staff_a,
            "opd_b": self.staff_b,
            "planner": self.planner,
            "resource_person": self.resource_person,
            "leader": self.leader,
            "admin": self.admin,
            "other_planner": self.other_planner,
            "other_staff": self.other_staff,
        }[role]


@pytest.fixture
def world(db) -> World:
    region = make_region(name="Kutai Kartanegara", code="64.02")
    bappeda = make_agency(
        region,
        name="Badan Perencanaan Pembangunan Daerah",
        short_name="Bappeda",
        is_planning_agency=True,
    )
    agency_a = make_agency(region, name="Dinas Pendidikan dan Kebudayaan", short_name="Disdikbud")
    agency_b = make_agency(region, name="Dinas Kesehatan", short_name="Dinkes")
    plan = make_plan(region)
    other_region = make_region(name="Kota Uji", kind=Region.Kind.CITY)
    other_agency = make_agency(other_region)
    other_plan = make_plan(other_region, title="RPJMD Kota Uji")
    return World(
        region=region,
        agency_a=agency_a,
        agency_b=agency_b,
        bappeda=bappeda,
        plan=plan,
        stage=make_stage(plan),
        staff_a=make_user("opd", agency=agency_a, username="staff_a"),
        staff_b=make_user("opd", agency=agency_b, username="staff_b"),
        planner=make_user("planner", agency=bappeda, username="planner"),
        resource_person=make_user("resource_person", region=region, username="narasumber"),
        leader=make_user("leader", agency=bappeda, username="leader"),
        admin=make_user("admin", region=region, username="admin", is_superuser=True),
        other_region=other_region,
        other_plan=other_plan,
        other_stage=make_stage(other_plan),
        other_planner=make_user("planner", agency=other_agency, username="other_planner"),
        other_staff=make_user("opd", agency=other_agency, username="other_staff"),
    )


@pytest.fixture
def client_for(world):
    """A logged-in test client for a role name ("anonymous" gives a fresh client)."""

    def build(role: str) -> Client:
        client = Client()
        user = world.user(role)
        if user is not None:
            sign_in(client, user)
        return client

    return build


# What CI also runs on SQLite, the engine of `make run`, beside the full PostgreSQL pass: the tests
# of code that branches on the engine or leans on what differs between the two (docs/decisions.md,
# "The SQLite pass: what differs between engines"). A developer's plain `make test` still runs
# the whole suite on SQLite.
SQLITE_TOO = {
    # make run's path: migrations, the demo loaded twice, the outbox, every demo page rendered
    "tests/rpjmd/test_demo.py",
    "tests/rpjmd/test_demo_live.py",
    "tests/rpjmd/test_first_hour.py",
    "tests/drafts/test_demo.py",
    # search: PostgreSQL full text versus SQLite's contains; similar problems: trigrams versus
    # word overlap (issues/models.py, issues/similarity.py)
    "tests/issues/test_list.py",
    "tests/issues/test_similar.py",
    # backup and restore: pg_dump versus SQLite's backup API (rpjmd/backup.py)
    "tests/hardening/test_backup.py",
    # the task queue's database backend and the PDF worker on SQLite's locking
    "tests/drafts/test_export.py",
    # decimals (SQLite keeps them as text or floats), dates in the region's time zone, aggregates
    "tests/issues/test_spreadsheets.py",
    "tests/regional/test_spreadsheets.py",
    "tests/regional/test_indicators.py",
    "tests/fgd/test_check_in.py",
    "tests/rpjmd/test_dashboard.py",
    # version checks: an UPDATE's row count decides a conflict on both engines
    "tests/issues/test_edit_conflicts.py",
    "tests/drafts/test_edit_conflicts.py",
}


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need real PostgreSQL (row locks, parallel connections).

    A module whose tests use the shared `demo` must use it in every database test: the demo
    stays loaded from the first such test to the module's end, so a test beside it that builds
    its own world would meet the demo's rows."""
    from django.conf import settings

    for item in items:
        if item.nodeid.split("::")[0] in SQLITE_TOO:
            item.add_marker(pytest.mark.sqlite_too)

    by_module: dict[str, list] = {}
    for item in items:
        by_module.setdefault(item.nodeid.split("::")[0], []).append(item)
    for module, tests in by_module.items():
        fixtures = [set(getattr(item, "fixturenames", ())) for item in tests]
        if any("demo" in names for names in fixtures):
            strays = [
                item.name
                for item, names in zip(tests, fixtures, strict=True)
                if "demo" not in names and names & {"db", "world", "transactional_db"}
            ]
            if strays:
                raise pytest.UsageError(f"{module}: use the `demo` fixture in {strays} too")

    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: make test with DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def no_secrets_in_logs():
    """Every log record of the whole run is checked for phone numbers, passwords, session ids
    and CSRF tokens (QUALITY G4); one is enough to fail the run."""
    import logging

    from tests.logscan import LogWatch

    watch = LogWatch()
    root = logging.getLogger()
    root.addHandler(watch)
    yield watch
    root.removeHandler(watch)
    assert not watch.offences, "secrets in the logs:\n" + "\n".join(watch.offences[:20])


# --- The authorization walk's record (tests/test_authorization.py) ------------------------------

WALK_DIR = Path(__file__).resolve().parents[1] / "var" / "test"
WALK_REPORT = WALK_DIR / "authz-walk.tsv"


def _walk_part(worker: str | None = None) -> Path:
    # One file per worker of this run: several runs in one checkout keep apart.
    worker = worker or os.environ.get("PYTEST_XDIST_WORKER", "main")
    return WALK_DIR / f"authz-walk.{os.environ['RPJMD_WALK_RUN']}.{worker}.part"


def pytest_configure(config):
    # Set before xdist starts its workers, which inherit it.
    os.environ.setdefault("RPJMD_WALK_RUN", uuid.uuid4().hex)


@pytest.fixture(scope="session")
def walk_log():
    """Record one check of the walk: route, who, method, what was checked, the answer."""
    WALK_DIR.mkdir(parents=True, exist_ok=True)
    with _walk_part().open("a", encoding="utf-8") as part:

        def log(name, who, method, check, expected):
            part.write(f"{name}\t{who}\t{method}\t{check}\t{expected}\n")

        yield log


def pytest_terminal_summary(terminalreporter):
    """Print what tests reported for people to read (their `report` property: a worker's own
    output never reaches this terminal), then merge the workers' records into
    var/test/authz-walk.tsv and print what was walked."""
    if "PYTEST_XDIST_WORKER" in os.environ:
        return
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, text in getattr(report, "user_properties", []):
                if name == "report" and report.when == "call":
                    terminalreporter.write_line(text)
    parts = sorted(WALK_DIR.glob(f"authz-walk.{os.environ['RPJMD_WALK_RUN']}.*.part"))
    rows = sorted({line for part in parts for line in part.read_text("utf-8").splitlines()})
    for part in parts:
        part.unlink()
    if not rows:
        return
    WALK_REPORT.write_text("route\twho\tmethod\tcheck\texpected\n" + "\n".join(rows) + "\n")
    fields = [row.split("\t") for row in rows]
    checks = Counter(check for _, _, _, check, _ in fields)
    routes = {name for name, *_ in fields}
    matrix = {(name, who, method) for name, who, method, check, _ in fields if check == "matrix"}
    terminalreporter.write_line(
        f"authorization walk: {len(routes)} routes, {len(matrix)} route × role × method answers "
        "checked; "
        + ", ".join(f"{check} {n}" for check, n in sorted(checks.items()))
        + f" (table: {WALK_REPORT.relative_to(WALK_DIR.parents[1])})"
    )


# --- The demo, loaded once per test module -------------------------------------------------------


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """`manage.py demo` once for the module, inside a transaction rolled back at its end.

    Loading the demo takes seconds (it issues the FGD's berita acara as a PDF); the tests that
    read it need it as loaded, not each their own copy. Each test runs in a savepoint inside
    this transaction (pytest-django's `db`), so what one test changes the next does not see."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo", "--quiet")
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_loaded, db):
    """The Kutai Kartanegara demo as `make run` loads it (shared by the module, see above)."""
