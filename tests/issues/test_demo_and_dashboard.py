"""The demo's problems and the dashboard cards of each role."""

import datetime as dt

import time_machine
from django.core.management import call_command
from django.test import Client

from issues.models import DeadlineExtension, Indicator, Problem
from rpjmd.models import Plan, User
from tests.factories import sign_in
from tests.issues.factories import make_problem

S = Problem.Status


def test_demo_has_realistic_problems_in_every_status_and_real_figures(db):
    call_command("demo", "--quiet")
    plan = Plan.objects.get()
    problems = Problem.objects.filter(plan=plan)
    agencies = set(problems.values_list("agency__short_name", flat=True))
    assert {"Disdikbud", "Dinkes", "DPU", "BPBD", "Disperindag"} <= agencies
    statuses = list(problems.values_list("status", flat=True))
    assert statuses.count(S.RETURNED) == 1
    assert {S.SUBMITTED, S.ACCEPTED, S.DRAFT} <= set(statuses)
    returned = problems.get(status=S.RETURNED)
    assert returned.reviewer_note and returned.transitions.last().note == returned.reviewer_note
    stunting = Indicator.objects.get(name__startswith="Prevalensi balita stunting")
    assert stunting.values == {"2021": "26.4"} and str(stunting.comparison_value) == "22.8000"
    roads = Indicator.objects.get(name="Panjang jalan kabupaten kondisi rusak berat")
    assert roads.values == {"2019": "316"}
    mining = Indicator.objects.get(name__startswith="Kontribusi pertambangan")
    assert mining.values == {"2021": "64.1"}
    assert all(p.search_text for p in problems)
    assert all(p.root_causes.exists() for p in problems)


def test_demo_extends_the_deadline_of_the_three_demo_agencies_from_today(db):
    with time_machine.travel("2026-05-04 09:00 +0800", tick=False):
        call_command("demo", "--quiet")
    extensions = DeadlineExtension.objects.select_related("agency")
    assert {e.agency.short_name for e in extensions} == {"Disdikbud", "Dinkes", "DPU"}
    assert {e.until for e in extensions} == {dt.date(2026, 6, 15)}
    with time_machine.travel("2026-09-01 09:00 +0800", tick=False):
        call_command("demo", "--quiet")  # created only when missing: the date stays
    assert {e.until for e in DeadlineExtension.objects.all()} == {dt.date(2026, 6, 15)}


def test_running_the_demo_twice_keeps_what_users_changed(db):
    call_command("demo", "--quiet")
    problem = Problem.objects.get(status=S.RETURNED)
    problem.statement = "Diubah oleh staf Dinkes"
    problem.save()
    count = Problem.objects.count()
    call_command("demo", "--quiet")
    assert Problem.objects.count() == count
    assert Problem.objects.get(pk=problem.pk).statement == "Diubah oleh staf Dinkes"


def test_demo_staff_can_resubmit_the_returned_problem_today(db):
    call_command("demo", "--quiet")
    problem = Problem.objects.get(status=S.RETURNED)
    client = Client()
    sign_in(client, User.objects.get(username="opd.dinkes"))
    response = client.post(f"/permasalahan/{problem.pk}/ajukan/", follow=True)
    assert "diajukan ke Bappeda" in response.text
    assert Problem.objects.get(pk=problem.pk).status == S.SUBMITTED


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_dashboard_cards_fit_each_role(world, client_for):
    make_problem(world.agency_a)
    make_problem(world.agency_a, status=S.SUBMITTED)
    make_problem(world.agency_a, status=S.RETURNED)
    url = f"/rencana/{world.plan.pk}/"
    staff = client_for("opd").get(url).text
    assert (
        "Permasalahan instansi Anda" in staff
        and "1 draf · 1 diajukan · 0 diterima · 1 dikembalikan" in staff
    )
    assert (
        "Perlu diperbaiki" in staff and "Batas pengajuan Anda" in staff and "21 hari lagi" in staff
    )
    planner = client_for("planner").get(url).text
    assert "Menunggu tinjauan" in planner and "Belum mengajukan" in planner
    leader = client_for("leader").get(url).text
    assert "Permasalahan diajukan" in leader and "Menunggu tinjauan" not in leader
    narasumber = client_for("resource_person").get(url).text
    assert "Menunggu tinjauan" not in narasumber and "Permasalahan diajukan" not in narasumber


def test_an_extension_shows_on_the_staff_dashboard(world, client_for):
    DeadlineExtension.objects.create(
        stage=world.stage, agency=world.agency_a, until=dt.date(2026, 12, 20), reason="x"
    )
    with time_machine.travel("2026-12-15 10:00 +0800", tick=False):
        page = client_for("opd").get(f"/rencana/{world.plan.pk}/").text
    assert "20 Des 2026" in page and "diperpanjang · 5 hari lagi" in page
