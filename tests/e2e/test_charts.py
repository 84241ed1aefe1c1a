"""Charts in Chromium (issue 16): the leader's dashboard draws its four charts at their size,
their figures open as a table, and the document's figure shows in the reading view."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from drafts.models import Section
from rpjmd.demo import DEMO_PASSWORD
from rpjmd.models import Plan
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_leader_sees_four_charts_and_their_figures_as_a_table(page, screenshot):
    call_command("demo", "--quiet")
    log_in(page, "wiyono", DEMO_PASSWORD)
    # The finished 2020 plan has all four (the live plan has no scores yet).
    page.goto(f"/rencana/{Plan.objects.get(start_year=2021).pk}/")
    charts = page.locator("figure.chart")
    expect(charts).to_have_count(4)
    for title in (
        "Permasalahan per perangkat daerah menurut status",
        "Kehadiran FGD",
        "Skor isu strategis menurut kriteria",
        "Bagian dokumen per bab menurut status",
    ):
        chart = charts.filter(has_text=title)
        picture = chart.get_by_role("img", name=title)
        expect(picture).to_be_visible()
        box = picture.bounding_box()
        assert box["width"] > 400 and box["height"] > 60, (title, box)  # one FGD: one bar
    problems = charts.filter(has_text="Permasalahan per perangkat daerah")
    table = problems.locator("table")
    expect(table).to_be_hidden()
    problems.get_by_text("Lihat angka dalam tabel").click()
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader", name="Disdikbud")).to_be_visible()
    screenshot(page, "dashboard-charts-wiyono")

    section = Section.objects.filter(
        body__contains="grafik-komposisi-pendapatan", chapter__document__plan__start_year=2021
    ).get()
    page.goto(f"/bab/{section.chapter_id}/")
    figure = page.locator("figure.data-block").filter(has=page.locator("svg"))
    expect(figure.first.locator("figcaption")).to_contain_text(
        "Gambar 3.1 Komposisi Realisasi Pendapatan Daerah"
    )
    assert figure.first.locator("svg").bounding_box()["width"] > 400
    screenshot(page, "document-figure-bab3")
