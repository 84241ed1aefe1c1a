"""The demo's problems (the dashboard cards of each role: tests/issues/test_dashboard.py)."""

from django.core.management import call_command
from django.test import Client

from issues.models import Indicator, Problem
from rpjmd.models import Plan, User
from tests.factories import sign_in

S = Problem.Status


def test_demo_has_realistic_problems_in_every_status_and_real_figures(demo):
    plan = Plan.objects.get(start_year=2021)
    problems = Problem.objects.filter(plan=plan)
    agencies = set(problems.values_list("agency__short_name", flat=True))
    assert {"Disdikbud", "Dinkes", "DPU", "BPBD", "Disperindag"} <= agencies
    statuses = list(problems.values_list("status", flat=True))
    assert statuses.count(S.RETURNED) == 1
    assert {S.SUBMITTED, S.ACCEPTED, S.DRAFT} <= set(statuses)
    returned = problems.get(status=S.RETURNED)
    assert returned.reviewer_note and returned.transitions.last().note == returned.reviewer_note
    # A March 2020 document: no figure after 2019; an unofficial figure says it is illustrative.
    indicators = Indicator.objects.filter(problem__plan=plan)
    stunting = indicators.get(name__startswith="Prevalensi balita stunting")
    assert stunting.values == {"2019": "26.4"} and "ilustrasi" in stunting.source
    roads = indicators.get(name="Panjang jalan kabupaten kondisi rusak berat")
    assert roads.values == {"2019": "316"}
    mining = indicators.get(name__startswith="Kontribusi pertambangan")
    assert mining.values == {"2019": "66.2"} and "ilustrasi" in mining.source
    assert all(int(year) <= 2020 for i in indicators.all() for year in i.values)
    assert not indicators.filter(source__icontains="wikipedia").exists()
    assert all(p.search_text for p in problems)
    assert all(p.root_causes.exists() for p in problems)


def test_running_the_demo_twice_keeps_what_users_changed(demo):
    problem = Problem.objects.get(status=S.RETURNED, plan__start_year=2021)
    problem.statement = "Diubah oleh staf Dinkes"
    problem.save()
    count = Problem.objects.count()
    call_command("demo", "--quiet")
    assert Problem.objects.count() == count
    assert Problem.objects.get(pk=problem.pk).statement == "Diubah oleh staf Dinkes"


def test_demo_staff_can_resubmit_the_returned_problem_today(demo):
    # In the live plan: the 2020 identification stage is closed (tests/rpjmd/test_demo_live.py).
    problem = Problem.objects.get(status=S.RETURNED, plan__start_year=2025)
    client = Client()
    sign_in(client, User.objects.get(username="opd.dinkes"))
    response = client.post(f"/permasalahan/{problem.pk}/ajukan/", follow=True)
    assert "diajukan ke Bappeda" in response.text
    assert Problem.objects.get(pk=problem.pk).status == S.SUBMITTED
