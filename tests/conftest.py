from __future__ import annotations

from dataclasses import dataclass

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


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need real PostgreSQL (row locks, parallel connections)."""
    from django.conf import settings

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
