"""Regional data in Chromium, on the Kutai Kartanegara demo: an OPD author enters an indicator
series under Data daerah, a planner accepts it, and the new row appears in the capaian block of
the Bab II section that already cites it, in the chapter preview."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from drafts.models import Section
from regional.models import FinanceEntry, RegionalIndicator
from rpjmd.demo import DEMO_PASSWORD
from rpjmd.models import Plan
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "Angka partisipasi murni SMP/MTs"


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


def test_opd_series_accepted_shows_in_the_chapter_preview(page, planner_page, demo, screenshot):
    plan = Plan.objects.get(start_year=2021)
    section = Section.objects.get(
        chapter__document__plan=plan, title="Urusan Wajib Pelayanan Dasar"
    )
    assert 'data-block="capaian-urusan"' in section.body

    # The OPD author types the series in the browser.
    log_in(page, "opd.disdikbud", DEMO_PASSWORD)
    page.goto(f"/rencana/{plan.pk}/")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Data daerah"
    ).click()
    page.get_by_role("link", name="Tambah indikator").click()
    page.get_by_label("Aspek").select_option("pelayanan_umum")
    page.get_by_label("Nama indikator").fill(NAME)
    page.get_by_label("Satuan").fill("persen")
    page.get_by_label("Sumber data").fill("Dinas Pendidikan dan Kebudayaan, Dapodik 2019")
    for year, actual, target in [(2018, "71,40", "72,00"), (2019, "73,25", "74,00")]:
        page.get_by_label(f"Realisasi {year}").fill(actual)
        page.get_by_label(f"Target {year}").fill(target)
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#messages")).to_contain_text("diajukan ke Bappeda")
    indicator = RegionalIndicator.objects.get(plan=plan, name=NAME)
    assert indicator.status == RegionalIndicator.Status.SUBMITTED
    assert indicator.actuals["2019"] == "73.25"

    # Before review, the chapter does not print it.
    planner = planner_page
    log_in(planner, "perencana", DEMO_PASSWORD)
    planner.goto(f"/rencana/{plan.pk}/")  # the 2020 plan: the dashboard opens the live one
    planner.goto(f"/bab/{section.chapter_id}/")
    expect(planner.locator("main")).not_to_contain_text(NAME)

    # The planner accepts it from the list.
    planner.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Data daerah"
    ).click()
    planner.get_by_role("link", name=NAME).click()
    planner.get_by_label("Keputusan").select_option("accept")
    planner.get_by_role("button", name="Simpan keputusan").click()
    indicator.refresh_from_db()
    assert indicator.status == RegionalIndicator.Status.ACCEPTED

    # The section that cites the capaian block shows the new row in the chapter preview.
    planner.goto(f"/bab/{section.chapter_id}/")
    row = planner.locator("tr", has_text=NAME)
    expect(row).to_be_visible()
    expect(row).to_contain_text("73,25")
    screenshot(planner, "regional-series-in-chapter")


def test_two_planners_on_the_apbd_grid_and_the_cell_both_changed(
    page, planner_page, demo, screenshot
):
    """Two planners open the APBD grid. The first changes Pajak daerah 2019 and saves; the
    second, on the page opened before, changes the same cell: nothing is saved, the cell says
    what it holds now, the typed figure stays, and saving again keeps the second figure."""
    plan = Plan.objects.get(start_year=2021)
    url = f"/rencana/{plan.pk}/data-daerah/keuangan/"
    log_in(page, "perencana", DEMO_PASSWORD)
    page.goto(url)
    log_in(planner_page, "perencana.ekonomi", DEMO_PASSWORD)
    planner_page.goto(url)

    page.get_by_label("Pajak daerah 2019", exact=True).fill("150.000.000.000")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#messages")).to_contain_text("Realisasi APBD disimpan (1 sel berubah)")

    cell = planner_page.get_by_label("Pajak daerah 2019", exact=True)
    cell.fill("151.000.000.000")
    planner_page.get_by_label("Retribusi daerah 2019", exact=True).fill("18.000.000.000")
    planner_page.get_by_role("button", name="Simpan").click()
    expect(planner_page.get_by_role("alert")).to_contain_text("Tidak ada yang disimpan")
    expect(planner_page.locator("td", has=cell)).to_contain_text("sekarang: 150.000.000.000.")
    expect(cell).to_have_value("151.000.000.000")
    screenshot(planner_page, "apbd-grid-conflict")
    assert FinanceEntry.objects.get(plan=plan, year=2019, account="4.1.02").amount == Decimal(
        "17000000000"
    )

    planner_page.get_by_role("button", name="Simpan").click()
    expect(planner_page.locator("#messages")).to_contain_text("Realisasi APBD disimpan")
    stored = dict(
        FinanceEntry.objects.filter(plan=plan, year=2019).values_list("account", "amount")
    )
    assert stored["4.1.01"] == Decimal("151000000000") and stored["4.1.02"] == Decimal(
        "18000000000"
    )
