"""Every role lands on a dashboard fitted to it; planners manage the plan and its stages."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rpjmd.models import Plan, Stage
from tests.factories import make_stage, make_user, sign_in

# 10:00 WITA on 27 November 2026 (02:00 UTC): the same calendar day in UTC and in the region.
NOW = "2026-11-27 10:00 +0800"


@pytest.fixture
def timeline(world):
    world.stage.delete()
    plan = world.plan
    make_stage(
        plan,
        order=1,
        kind=Stage.Kind.IDENTIFICATION,
        name="Identifikasi permasalahan",
        opens_on=dt.date(2026, 11, 2),
        closes_on=dt.date(2026, 11, 20),
        state="closed",
    )
    make_stage(
        plan,
        order=2,
        kind=Stage.Kind.DRAFT_FGD,
        name="FGD rancangan",
        opens_on=dt.date(2026, 11, 23),
        closes_on=dt.date(2026, 12, 4),
        state="open",
    )
    make_stage(
        plan,
        order=3,
        kind=Stage.Kind.FINALISATION,
        name="Finalisasi",
        opens_on=dt.date(2026, 12, 7),
        closes_on=dt.date(2026, 12, 11),
        state="planned",
    )
    return plan


def timeline_section(html: str) -> str:
    start = html.index('id="timeline-title"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("role", ["opd", "planner", "resource_person", "leader", "admin"])
@time_machine.travel(NOW, tick=False)
def test_each_role_sees_the_plan_and_its_timeline(world, client_for, timeline, role):
    response = client_for(role).get(f"/rencana/{timeline.pk}/")
    assert response.status_code == 200
    assert "Rancangan Teknokratik RPJMD Uji 2021–2026" in response.text
    text = timeline_section(response.text)
    assert (
        text.index("Identifikasi permasalahan")
        < text.index("FGD rancangan")
        < text.index("Finalisasi")
    )
    assert "Hari ini · Jumat, 27 November 2026" in text
    # Today falls inside the second stage: the marker sits before it.
    assert (
        text.index("Identifikasi permasalahan")
        < text.index("Hari ini ·")
        < text.index("FGD rancangan")
    )
    assert "Tenggat 7 hari lagi" in text  # FGD rancangan closes on 4 December
    assert "Tenggat 14 hari lagi" in text  # Finalisasi closes on 11 December
    assert "Tahapan telah ditutup" in text


@pytest.mark.parametrize("role", ["opd", "planner", "resource_person", "leader", "admin"])
@time_machine.travel(NOW, tick=False)
def test_the_dashboard_reads_the_stages_once(world, client_for, timeline, role):
    """The timeline and the cards of every module share one read of the plan's stages (the
    dashboard is the page every user opens most)."""
    client = client_for(role)
    client.get(f"/rencana/{timeline.pk}/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/rencana/{timeline.pk}/").status_code == 200
    stage_reads = [q["sql"] for q in queries if 'FROM "rpjmd_stage"' in q["sql"]]
    assert len(stage_reads) == 1, stage_reads
    # The header's agency comes with the user, not from a query of its own.
    assert not [q for q in queries if q["sql"].startswith('SELECT "rpjmd_agency"."id"')]
    # 20 before issue 16: the planner's four charts read what the cards do not, and the line
    # linking the region's other plans reads them.
    assert len(queries) <= 22


@time_machine.travel(NOW, tick=False)
def test_cards_differ_by_role(world, client_for, timeline):
    world.agency_a.affairs.create(
        code="1.01",
        group_code="1",
        group_name="Wajib",
        name="Pendidikan",
        nomenclature="URUSAN PEMERINTAHAN BIDANG PENDIDIKAN",
        kind="wajib",
    )
    planner = client_for("planner").get(f"/rencana/{timeline.pk}/").text
    opd = client_for("opd").get(f"/rencana/{timeline.pk}/").text
    assert "Tahapan berjalan" in planner and "Kelola tahapan" in planner
    assert "Tahapan berjalan" not in opd and "Kelola tahapan" not in opd
    assert "Bidang urusan instansi Anda" in opd and "1.01 Pendidikan" in opd
    assert "Tenggat terdekat" in opd and "7 hari lagi" in opd


@time_machine.travel("2026-11-28 00:30 +0800", tick=False)
def test_today_is_the_regions_date_not_utc(world, client_for, timeline):
    # At 00:30 WITA on the 28th it is still the 27th in UTC; deadlines count in the region.
    text = client_for("opd").get(f"/rencana/{timeline.pk}/").text
    assert "Sabtu, 28 November 2026" in text
    assert "Tenggat 6 hari lagi" in text


@time_machine.travel(NOW, tick=False)
def test_passed_deadlines_are_counted_as_overdue(world, client_for):
    make_stage(
        world.plan,
        order=2,
        kind=Stage.Kind.SUBMISSION,
        name="Penyampaian",
        opens_on=dt.date(2020, 4, 13),
        closes_on=dt.date(2020, 4, 24),
        state="planned",
    )
    text = client_for("leader").get(f"/rencana/{world.plan.pk}/").text
    assert "Lewat tenggat" in text
    assert "Tenggat terlewati 2.408 hari" in text


def test_planner_edits_the_plan_and_errors_keep_what_was_typed(world, client_for):
    client = client_for("planner")
    url = f"/rencana/{world.plan.pk}/ubah/"
    data = {
        "title": "RPJMD Baru",
        "kind": "rpjmd",
        "start_year": 2026,
        "end_year": 2021,
        "rpjmn_period": "2025-2029",
        "seen_version": world.plan.version,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Tahun akhir harus setelah tahun awal." in response.text
    assert 'value="RPJMD Baru"' in response.text
    world.plan.refresh_from_db()
    assert world.plan.title == "Rancangan Teknokratik RPJMD Uji 2021–2026"

    response = client.post(url, data | {"start_year": 2025, "end_year": 2029})
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert (world.plan.title, world.plan.end_year) == ("RPJMD Baru", 2029)
    assert world.plan.history.first().history_user == world.planner


def test_planner_creates_a_plan_in_their_own_region(world, client_for):
    response = client_for("planner").post(
        "/rencana/baru/",
        {
            "title": "RPD Kutai Kartanegara 2025–2026",
            "kind": "rpd",
            "start_year": 2025,
            "end_year": 2026,
            "rpjmn_period": "2025-2029",
            "region": world.other_region.pk,
        },
    )
    plan = Plan.objects.get(title="RPD Kutai Kartanegara 2025–2026")
    assert response["Location"] == f"/rencana/{plan.pk}/tahapan/"
    assert plan.region == world.region  # a posted region is ignored


def test_planner_adds_a_stage_and_sees_errors_in_indonesian(world, client_for):
    client = client_for("planner")
    url = f"/rencana/{world.plan.pk}/tahapan/baru/"
    data = {
        "name": "Finalisasi",
        "kind": "finalisation",
        "order": 3,
        "opens_on": "2026-12-11",
        "closes_on": "2026-12-07",
        "state": "planned",
        "description": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Tenggat tidak boleh sebelum tanggal mulai." in response.text
    assert 'value="2026-12-11"' in response.text
    response = client.post(url, data | {"kind": "identification"} | {"closes_on": "2026-12-18"})
    assert "Rencana ini sudah memiliki tahapan berjenis ini." in response.text
    response = client.post(url, data | {"closes_on": "2026-12-18"})
    assert response.status_code == 302
    assert world.plan.stages.filter(name="Finalisasi", closes_on=dt.date(2026, 12, 18)).exists()


def test_planner_closes_a_stage_in_place_with_htmx(world, client_for):
    response = client_for("planner").post(
        f"/tahapan/{world.stage.pk}/status/", {"state": "closed"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="stages"' in response.text and 'hx-swap-oob="true"' in response.text
    assert "kini ditutup" in response.text
    assert "stage-changed" in response["HX-Trigger"]
    world.stage.refresh_from_db()
    assert world.stage.state == Stage.State.CLOSED


def test_unknown_stage_state_is_refused(world, client_for):
    response = client_for("planner").post(
        f"/tahapan/{world.stage.pk}/status/", {"state": "x"}, follow=True
    )
    assert "Status tahapan tidak dikenal." in response.text
    world.stage.refresh_from_db()
    assert world.stage.state == Stage.State.OPEN


def test_planner_deletes_a_stage(world, client_for):
    response = client_for("planner").post(f"/tahapan/{world.stage.pk}/hapus/", follow=True)
    assert "dihapus" in response.text
    assert not Stage.objects.filter(pk=world.stage.pk).exists()


def test_stage_list_fragment_for_htmx(world, client_for):
    response = client_for("planner").get(
        f"/rencana/{world.plan.pk}/tahapan/", headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="stages"')


def test_user_without_a_plan_is_told_what_happens_next(world, client_for):
    Plan.objects.all().delete()
    assert "Perencana Bappeda akan membuat rencana" in client_for("opd").get("/").text
    assert "Buat rencana" in client_for("planner").get("/").text


def test_agency_card_counts_each_agency_once(world, client_for):
    # Two OPD accounts in one agency must not make that agency count twice.
    from tests.factories import make_user

    make_user("opd", agency=world.agency_a)
    text = client_for("planner").get(f"/rencana/{world.plan.pk}/").text
    assert "3 memiliki akun staf OPD" not in text
    card = text[text.index("Perangkat daerah</h3>") :][:200]
    assert '<p class="stat__value">3</p>' in card  # Bappeda, Disdikbud, Dinkes
    assert "2 memiliki akun staf OPD" in card


def main_menu(html: str) -> str:
    return html.split('aria-label="Navigasi utama"')[1].split("</nav>")[0]


@pytest.mark.parametrize("role", ["opd", "planner", "resource_person", "leader", "admin"])
def test_the_menu_links_the_rpjpd_exactly_for_those_who_may_open_it(world, client_for, role):
    client = client_for(role)
    rpjpd = f"/rencana/{world.plan.pk}/rpjpd/"
    menu = main_menu(client.get(f"/rencana/{world.plan.pk}/").text)
    may_open = client.get(rpjpd).status_code == 200
    assert may_open == (role != "admin")  # the pemda reads it; IT administrators do not
    assert (f'href="{rpjpd}"' in menu) == may_open
    if may_open:
        assert f'href="{rpjpd}" aria-current="page"' in main_menu(client.get(rpjpd).text)


def test_a_superuser_planner_of_another_pemda_gets_no_rpjpd_link_to_this_plan(world):
    """Superusers see every plan, but the RPJPD opens only inside one's own pemda: the link
    follows the view, not the role."""
    outsider = make_user(
        "planner", agency=world.other_planner.agency, username="pusat", is_superuser=True
    )
    client = Client()
    sign_in(client, outsider)
    rpjpd = f"/rencana/{world.plan.pk}/rpjpd/"
    page = client.get(f"/rencana/{world.plan.pk}/")
    assert page.status_code == 200 and client.get(rpjpd).status_code == 403
    assert f'href="{rpjpd}"' not in main_menu(page.text)
