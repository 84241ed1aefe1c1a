"""The evaluation of RPJMD 2016–2021 in Chromium, on the Kutai Kartanegara demo: an OPD author
enters an indicator of the RPJMD that is ending and sees its capaian category; a planner
accepts it and finds it in the evaluation table of Bab IV, in the chapter preview."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from drafts.models import Section
from regional.models import RegionalIndicator
from rpjmd.demo import DEMO_PASSWORD
from rpjmd.models import Plan
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "Angka putus sekolah SMP/MTs"


@pytest.fixture
def demo():
    call_command("demo", "--quiet")


@pytest.fixture
def planner_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_opd_enters_an_evaluation_row_and_the_planner_sees_it_in_chapter_four(
    page, planner_page, demo, screenshot
):
    plan = Plan.objects.get(start_year=2021)
    section = Section.objects.get(chapter__document__plan=plan, title="Permasalahan Pembangunan")
    assert 'data-block="evaluasi-rpjmd-lalu"' in section.body

    # The OPD author opens the evaluation from Data daerah and types the row.
    log_in(page, "opd.disdikbud", DEMO_PASSWORD)
    page.goto(f"/rencana/{plan.pk}/")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Data daerah"
    ).click()
    page.get_by_role("link", name="Evaluasi RPJMD periode lalu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("RPJMD 2016–2021")
    page.get_by_role("link", name="Tambah indikator").click()
    page.get_by_label("Aspek").select_option("pelayanan_umum")
    page.get_by_label("Nama indikator").fill(NAME)
    page.get_by_label("Satuan").fill("persen")
    page.get_by_label("Polaritas").select_option("down")
    page.get_by_label("Sumber data").fill("RPJMD 2016–2021; realisasi: ilustrasi")
    for year, actual, target in [(2018, "1,9", "1,5"), (2019, "1,8", "1,2")]:
        page.get_by_label(f"Realisasi {year}").fill(actual)
        page.get_by_label(f"Target {year}").fill(target)
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#messages")).to_contain_text("diajukan ke Bappeda")
    # (2 − 1,8 ÷ 1,2) × 100 = 50: "sangat rendah", shown beside the row.
    row = page.locator("#evaluation-table tr", has_text=NAME)
    expect(row).to_contain_text("50")
    expect(row.locator(".badge")).to_have_text("Sangat rendah")
    screenshot(page, "evaluation-list-opd")
    indicator = RegionalIndicator.objects.evaluations().get(plan=plan, name=NAME)
    assert indicator.status == RegionalIndicator.Status.SUBMITTED

    # Not in the document before review.
    planner = planner_page
    log_in(planner, "perencana", DEMO_PASSWORD)
    planner.goto(f"/bab/{section.chapter_id}/")
    expect(planner.locator("main")).not_to_contain_text(NAME)
    expect(planner.locator("main")).to_contain_text("Evaluasi Capaian Indikator Kinerja RPJMD")

    # The planner accepts it and sees it in the chapter preview with its category.
    planner.goto(f"/rencana/{plan.pk}/evaluasi-rpjmd/")
    planner.get_by_role("link", name=NAME).click()
    planner.get_by_label("Keputusan").select_option("accept")
    planner.get_by_role("button", name="Simpan keputusan").click()
    indicator.refresh_from_db()
    assert indicator.status == RegionalIndicator.Status.ACCEPTED
    planner.goto(f"/bab/{section.chapter_id}/")
    table_row = planner.locator("tr", has_text=NAME)
    expect(table_row).to_be_visible()
    expect(table_row).to_contain_text("Sangat rendah")
    expect(planner.locator("main")).to_contain_text("ilustrasi")
    screenshot(planner, "evaluation-in-chapter-four")
