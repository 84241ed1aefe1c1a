"""The dashboard cards of each role, and the demo's deadline extensions (loaded at a set day)."""

import datetime as dt

import time_machine
from django.core.management import call_command

from issues.models import DeadlineExtension, Problem
from tests.issues.factories import make_problem

S = Problem.Status


def test_demo_extends_the_deadline_of_the_three_demo_agencies_from_today(db):
    with time_machine.travel("2026-05-04 09:00 +0800", tick=False):
        call_command("demo", "--quiet")
    extensions = DeadlineExtension.objects.select_related("agency")
    assert {e.agency.short_name for e in extensions} == {"Disdikbud", "Dinkes", "DPU"}
    assert {e.until for e in extensions} == {dt.date(2026, 6, 15)}
    with time_machine.travel("2026-09-01 09:00 +0800", tick=False):
        call_command("demo", "--quiet")  # created only when missing: the date stays
    assert {e.until for e in DeadlineExtension.objects.all()} == {dt.date(2026, 6, 15)}


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
