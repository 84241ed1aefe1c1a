"""The demo's two plans: the finished 2020 process and the live RPJMD 2025–2029, dated from the
day the demo is loaded (rpjmd/demo_live.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from drafts.demo_final import FINAL_NAME
from drafts.models import Document, Section, Snapshot
from fgd.demo_live import meeting_times
from fgd.models import Attendance, Meeting, OfficialRecord
from fgd.workflow import check_in_by_code
from issues.models import Problem
from rpjmd.demo_live import LIVE_END_YEAR, LIVE_START_YEAR, anchor_day
from rpjmd.models import Plan, Stage, User
from tests.factories import sign_in

WITA = ZoneInfo("Asia/Makassar")


def live_plan() -> Plan:
    return Plan.objects.get(start_year=LIVE_START_YEAR, end_year=LIVE_END_YEAR)


def test_the_2020_process_is_a_finished_plan(demo):
    plan = Plan.objects.get(start_year=2021)
    assert set(plan.stages.values_list("state", flat=True)) == {Stage.State.CLOSED}
    meeting = Meeting.objects.get(plan=plan)
    assert meeting.is_closed and meeting.starts_at.astimezone(WITA).date() == dt.date(2020, 3, 7)
    assert OfficialRecord.objects.get(meeting=meeting).is_signed
    final = Snapshot.objects.get(document__plan=plan, is_final=True)
    assert final.name == FINAL_NAME and final.approved_by.username == "wiyono"
    assert final.approved_at.astimezone(WITA).date() == dt.date(2020, 4, 24)


def test_the_handed_in_2020_document_shows_no_section_late(demo):
    """Its final versi beku was approved on 24 April 2020: what was due by then went in with it.
    A section due after that day and not approved is late again."""
    plan = Plan.objects.get(start_year=2021)
    document = Document.objects.get(plan=plan)
    unapproved = Section.objects.filter(chapter__document=document).exclude(
        status=Section.Status.APPROVED
    )
    # The demo approved every written section before the hand-in; one not written (a chapter
    # the rancangan teknokratik does not print) was due before it all the same.
    Section.objects.filter(pk=unapproved.first().pk).update(due_date=dt.date(2020, 4, 10))
    assert unapproved.filter(due_date__lt=dt.date(2020, 4, 24)).exists()
    client = Client()
    sign_in(client, User.objects.get(username="perencana"))
    page = client.get(f"/rencana/{plan.pk}/dokumen/")
    assert page.status_code == 200 and page.context["late"] == 0
    board = client.get(f"/rencana/{plan.pk}/dokumen/papan/")
    assert board.status_code == 200 and board.context["late"] == 0
    assert (
        Section.objects.filter(chapter__document=document)
        .late(plan.region.today(), document.handed_in_on(plan.region.zone))
        .count()
        == 0
    )
    section = unapproved.first()
    Section.objects.filter(pk=section.pk).update(due_date=dt.date(2020, 5, 4))
    section.refresh_from_db()
    assert section.late_on(plan.region.today(), document.handed_in_on(plan.region.zone))
    assert client.get(f"/rencana/{plan.pk}/dokumen/").context["late"] == 1


def test_the_live_plan_is_the_rpjmd_2025_2029_under_rpjmn_2025_2029(demo):
    plan = live_plan()
    assert plan.region == Plan.objects.get(start_year=2021).region
    assert plan.rpjmn_period == "2025-2029"
    assert anchor_day(plan) == plan.region.today()
    problems = Problem.objects.filter(plan=plan)
    assert problems.filter(status=Problem.Status.SUBMITTED).count() == 3
    assert {"Disdikbud", "Dinkes", "DPU"} == set(
        problems.filter(status=Problem.Status.SUBMITTED).values_list(
            "agency__short_name", flat=True
        )
    )
    for problem in problems:
        priorities = list(problem.national_priorities.all())
        assert priorities and {p.period for p in priorities} == {"2025-2029"}
        assert problem.root_causes.exists() and problem.indicators.exists()


def test_the_live_identification_stage_is_open_with_its_deadline_ahead(demo):
    plan = live_plan()
    today = plan.region.today()
    stage = plan.stage_of_kind(Stage.Kind.IDENTIFICATION)
    assert stage.state == Stage.State.OPEN and stage.opens_on < today < stage.closes_on
    assert stage.timeline_status(today) == "ongoing" and stage.days_left(today) == 14
    later = plan.stages.exclude(pk=stage.pk)
    assert all(s.state == Stage.State.PLANNED and s.opens_on > today for s in later)


def test_an_invited_opd_checks_in_by_code_to_todays_fgd(demo):
    plan = live_plan()
    meeting = Meeting.objects.get(plan=plan)
    assert meeting.starts_at.astimezone(WITA).date() == plan.region.today()
    assert meeting.tabled_problems.count() == 3
    staff = User.objects.get(username="opd.dinkes")
    at = max(meeting.starts_at, meeting.starts_at.astimezone(WITA).replace(hour=10))
    found, attendance, created = check_in_by_code(
        code=meeting.check_in_code.lower(), user=staff, address="127.0.0.1", now=at
    )
    assert found == meeting and created and attendance.method == Attendance.Method.CODE


def test_chapters_are_being_written_with_due_dates_ahead(demo):
    plan = live_plan()
    today = plan.region.today()
    sections = Section.objects.filter(chapter__document__plan=plan)
    written = sections.filter(version__gt=0)
    assert {s.title for s in written} >= {"Latar Belakang", "Urusan Wajib Pelayanan Dasar"}
    assert sections.get(title="Dasar Hukum Penyusunan").status == Section.Status.REVIEW
    assigned = sections.exclude(due_date=None)
    assert assigned.count() >= 5 and all(s.due_date > today for s in assigned)
    education = sections.get(title="Urusan Wajib Pelayanan Dasar")
    assert education.assigned_agency.short_name == "Disdikbud" and "9,27" in education.body


def test_the_dashboard_shows_the_deadline_ahead_and_offers_both_plans(demo):
    client = Client()
    sign_in(client, User.objects.get(username="opd.disdikbud"))
    home = client.get("/", follow=True)
    assert home.redirect_chain[-1][0] == f"/rencana/{live_plan().pk}/"
    page = home.text
    assert "Tenggat 14 hari lagi" in page and "Tenggat terlewati" not in page
    finished = Plan.objects.get(start_year=2021)
    assert f'href="/rencana/{finished.pk}/"' in page
    old = client.get(f"/rencana/{finished.pk}/").text
    assert "Tahapan telah ditutup" in old and "Tenggat terlewati" not in old
    assert f'href="/rencana/{live_plan().pk}/"' in old


def counts():
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"sessions", "django_tasks_db"}
    }


def test_running_the_demo_on_a_later_day_changes_nothing(demo):
    plan = live_plan()
    dates = list(plan.stages.values_list("opens_on", "closes_on"))
    starts = Meeting.objects.get(plan=plan).starts_at
    before = counts()
    with time_machine.travel(dt.datetime.now(WITA) + dt.timedelta(days=10), tick=False):
        call_command("demo", "--quiet")
    assert counts() == before
    assert list(plan.stages.values_list("opens_on", "closes_on")) == dates
    assert Meeting.objects.get(plan=plan).starts_at == starts


def test_the_fgd_starts_at_eight_unless_the_demo_is_loaded_before_seven():
    day = dt.date(2026, 12, 7)
    at_nine = dt.datetime(2026, 12, 7, 9, 30, tzinfo=WITA)
    assert meeting_times(day, WITA, at_nine) == (
        dt.datetime(2026, 12, 7, 8, tzinfo=WITA),
        dt.datetime(2026, 12, 7, 16, tzinfo=WITA),
    )
    early = dt.datetime(2026, 12, 7, 5, 40, tzinfo=WITA)
    starts, ends = meeting_times(day, WITA, early)
    assert starts == dt.datetime(2026, 12, 7, 5, tzinfo=WITA) and ends.hour == 16


def test_the_live_plans_problems_are_aligned_with_rpjpn_and_the_regions_rpjpd(demo):
    """The current-cycle alignment runs after the live plan exists (it found none before)."""
    problems = Problem.objects.filter(plan=live_plan())
    assert problems.exists()
    aligned = problems.filter(long_term_goals__period="2025-2045").distinct()
    assert aligned.count() == problems.count()
    assert problems.filter(regional_missions__isnull=False).distinct().count() == problems.count()


def test_an_object_page_of_the_2020_plan_puts_the_menu_on_that_plan(demo):
    """With the live plan last opened, a link straight to a chapter, problem or FGD of the 2020
    plan shows the 2020 plan's menu: its Beranda, Permasalahan, Dokumen and RPJPD, not the live
    ones."""
    from django.urls import reverse

    from drafts.models import Chapter
    from issues.models import StrategicIssue

    old, live = Plan.objects.get(start_year=2021), live_plan()
    client = Client()
    sign_in(client, User.objects.get(username="perencana"))
    assert client.get(f"/rencana/{live.pk}/").status_code == 200
    pages = [
        reverse("drafts:chapter", args=[Chapter.objects.filter(document__plan=old).first().pk]),
        reverse("drafts:section", args=[Section.objects.filter(chapter__document__plan=old)[0].pk]),
        reverse("drafts:snapshot", args=[Snapshot.objects.filter(document__plan=old)[0].pk]),
        reverse(
            "issues:detail",
            args=[Problem.objects.filter(plan=old, status=Problem.Status.ACCEPTED)[0].pk],
        ),
        reverse("fgd:meeting_detail", args=[Meeting.objects.get(plan=old).pk]),
        reverse("strategic:detail", args=[StrategicIssue.objects.filter(plan=old)[0].pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        menu = response.content.decode().split('aria-label="Navigasi utama"')[1].split("</nav>")[0]
        assert f'href="/rencana/{old.pk}/"' in menu, url
        assert f'href="/rencana/{old.pk}/rpjpd/"' in menu, url
        assert f'href="/rencana/{live.pk}/' not in menu, url
