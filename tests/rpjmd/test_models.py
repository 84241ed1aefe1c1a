import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rpjmd.models import Plan, Stage, User
from tests.factories import make_agency, make_plan, make_region, make_stage, make_user


@pytest.fixture
def region(db):
    return make_region()


def test_plan_end_year_must_come_after_start_year(region):
    plan = Plan(
        region=region, title="RPJMD", start_year=2026, end_year=2021, rpjmn_period="2020-2024"
    )
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert "Tahun akhir harus setelah tahun awal." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_plan_with_ordered_years_is_valid(region):
    plan = Plan(
        region=region, title="RPJMD", start_year=2021, end_year=2026, rpjmn_period="2020-2024"
    )
    plan.full_clean()
    plan.save()
    assert plan.period_label == "2021–2026"


def test_stage_deadline_cannot_precede_its_start(region):
    plan = make_plan(region)
    stage = Stage(
        plan=plan,
        name="Finalisasi",
        kind=Stage.Kind.FINALISATION,
        opens_on=dt.date(2020, 4, 10),
        closes_on=dt.date(2020, 4, 6),
    )
    with pytest.raises(ValidationError) as error:
        stage.full_clean()
    assert "Tenggat tidak boleh sebelum tanggal mulai." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        stage.save()


def test_a_stage_may_open_and_close_on_the_same_day(region):
    stage = make_stage(
        make_plan(region), opens_on=dt.date(2020, 3, 7), closes_on=dt.date(2020, 3, 7)
    )
    stage.full_clean()


def test_a_plan_has_at_most_one_stage_of_each_named_kind(region):
    plan = make_plan(region)
    make_stage(plan, kind=Stage.Kind.IDENTIFICATION)
    duplicate = Stage(
        plan=plan,
        name="Identifikasi lagi",
        kind=Stage.Kind.IDENTIFICATION,
        opens_on=dt.date(2020, 3, 2),
        closes_on=dt.date(2020, 3, 13),
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "sudah memiliki tahapan berjenis ini" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # "Other" stages may repeat.
    make_stage(plan, kind=Stage.Kind.OTHER, name="Rapat koordinasi 1")
    make_stage(plan, kind=Stage.Kind.OTHER, name="Rapat koordinasi 2")


def test_stage_status_follows_dates_until_closed(region):
    stage = make_stage(
        make_plan(region), opens_on=dt.date(2020, 3, 2), closes_on=dt.date(2020, 3, 13)
    )
    assert stage.timeline_status(dt.date(2020, 3, 1)) == "upcoming"
    assert stage.timeline_status(dt.date(2020, 3, 2)) == "ongoing"
    assert stage.timeline_status(dt.date(2020, 3, 13)) == "ongoing"
    assert stage.timeline_status(dt.date(2020, 3, 14)) == "overdue"
    assert stage.days_left(dt.date(2020, 3, 10)) == 3
    assert stage.days_left(dt.date(2020, 3, 16)) == -3
    stage.set_state(Stage.State.CLOSED)
    assert stage.timeline_status(dt.date(2020, 3, 5)) == "closed"


def test_opd_user_must_have_an_agency(region):
    user = User(username="tanpa.opd", full_name="Tanpa OPD", role=User.Role.OPD, region=region)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "Staf OPD harus terdaftar pada satu perangkat daerah." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_every_user_has_exactly_one_known_role(region):
    user = User(username="tanpa.peran", full_name="Tanpa Peran", role="", region=region)
    with pytest.raises(ValidationError):
        user.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()
    user.role = "superhero"
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_user_region_follows_agency_and_must_match_it(region):
    agency = make_agency(region)
    user = make_user(User.Role.OPD, agency=agency, region=None)
    assert user.region == region
    user.region = make_region()
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "Perangkat daerah harus berada di daerah pengguna." in str(error.value)


def test_only_administrators_reach_the_django_admin(region):
    planner = make_user(User.Role.PLANNER, region=region, is_staff=True)
    admin = make_user(User.Role.ADMIN, region=region)
    assert planner.is_staff is False
    assert admin.is_staff is True


def test_createsuperuser_makes_an_administrator(db):
    user = User.objects.create_superuser(
        "root", "root@example.invalid", "x-Long-password-1", full_name="Root"
    )
    assert user.role == User.Role.ADMIN
    assert user.is_staff and user.is_superuser


def test_users_see_only_plans_of_their_own_region(region):
    own = make_plan(region)
    other = make_plan(make_region())
    planner = make_user(User.Role.PLANNER, region=region)
    assert list(Plan.objects.visible_to(planner)) == [own]
    superuser = make_user(User.Role.ADMIN, region=region, is_superuser=True)
    assert set(Plan.objects.visible_to(superuser)) == {own, other}
    planner.is_active = False
    assert not Plan.objects.visible_to(planner).exists()
