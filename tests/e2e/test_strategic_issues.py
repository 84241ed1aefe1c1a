"""The strategic issue journey in Chromium: the planner creates issues from unmapped problems,
sets the criteria, two raters score, the planner opens the results, adopts the top issue and
downloads the XLSX annex."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from issues.models import Criterion, IssueChange, Score, StrategicIssue
from tests.e2e.conftest import log_in
from tests.issues.strategic_factories import accepted

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Uji-Isu-Strategis-2020"


def context_for(browser, live_server, username):
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, username, PASSWORD)
    return context, page


def score_sheet(page, plan_id: int, values: list[str]) -> None:
    """Type each value and Tab on, as a keyboard user would; each field saves on its own."""
    page.goto(f"/rencana/{plan_id}/isu-strategis/penilaian/")
    inputs = page.locator(".score-input")
    expect(inputs).to_have_count(len(values))
    inputs.first.focus()
    for value in values:
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    total = len(values)
    expect(page.locator("#sheet-progress")).to_contain_text(f"{total} dari {total} nilai terisi")


def test_planner_ranks_and_adopts_strategic_issues_with_two_raters(
    browser, live_server, world, screenshot
):
    plan = world.plan
    school = accepted(world.agency_a, statement="Angka putus sekolah SMP di hulu Mahakam tinggi")
    teachers = accepted(world.agency_a, statement="Guru ASN di sekolah satu atap kurang")
    stunting = accepted(world.agency_b, statement="Prevalensi balita stunting di atas target")
    for user in (world.planner, world.resource_person):
        user.set_password(PASSWORD)
        user.save()

    planner_context, planner = context_for(browser, live_server, "planner")
    planner.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Isu strategis"
    ).click()
    unmapped = planner.locator("#unmapped")
    expect(unmapped).to_contain_text(school.statement)
    # Two problems into a new issue, the third into another one.
    unmapped.get_by_label(school.statement, exact=False).check()
    unmapped.get_by_label(teachers.statement, exact=False).check()
    planner.locator("#id_new_title").fill("Ketimpangan akses dan mutu pendidikan")
    planner.get_by_role("button", name="Pindahkan ke isu strategis").click()
    expect(planner.locator("#messages")).to_contain_text("2 permasalahan dipindahkan")
    planner.locator("#unmapped").get_by_label(stunting.statement, exact=False).check()
    planner.locator("#id_new_title").fill("Tingginya prevalensi stunting")
    planner.get_by_role("button", name="Pindahkan ke isu strategis").click()
    expect(planner.locator("#unmapped")).to_contain_text("Semua permasalahan yang diterima")
    screenshot(planner, "strategic-issues-list")

    # Criteria: the six standard ones are offered; a wrong total is refused in Indonesian.
    planner.get_by_role("link", name="Kriteria").first.click()
    expect(planner.locator("#weight-sum")).to_have_text("100")
    planner.locator("#id_criteria-0-weight").fill("30")
    expect(planner.locator("#weight-sum")).to_have_text("110")
    planner.get_by_role("button", name="Simpan kriteria").click()
    expect(planner.locator(".form-errors")).to_contain_text("Jumlah bobot harus 100; sekarang 110.")
    planner.locator("#id_criteria-0-weight").fill("20")
    planner.get_by_role("button", name="Simpan kriteria").click()
    expect(planner.locator("#messages")).to_contain_text("Kriteria penilaian disimpan")
    planner.get_by_role("button", name="Hapus kriteria janji politik dan sesuaikan bobot").click()
    expect(planner.locator("#messages")).to_contain_text("bobot lainnya disesuaikan menjadi 100")
    expect(planner.locator("#weight-sum")).to_have_text("100")
    assert Criterion.objects.filter(plan=plan).count() == 5

    # Raters: the planner and the narasumber.
    planner.get_by_role("link", name="Penilai", exact=True).click()
    planner.get_by_label(world.planner.full_name, exact=False).check()
    planner.get_by_label(world.resource_person.full_name, exact=False).check()
    planner.get_by_role("button", name="Simpan penilai").click()
    expect(planner.locator("#messages")).to_contain_text("Penilai disimpan")

    # Issue order on the sheet: education first (created first). Planner: 5s and 3s.
    score_sheet(planner, plan.pk, ["5"] * 5 + ["3"] * 5)
    screenshot(planner, "strategic-issues-sheet")
    narasumber_context, narasumber = context_for(browser, live_server, "narasumber")
    score_sheet(narasumber, plan.pk, ["4"] * 5 + ["2"] * 5)
    # The narasumber sees no results before the planner opens them.
    narasumber.goto(f"/rencana/{plan.pk}/isu-strategis/hasil/")
    expect(narasumber.locator("h1")).not_to_have_text("Hasil penilaian isu strategis")
    assert Score.objects.filter(rater__plan=plan).count() == 20

    planner.goto(f"/rencana/{plan.pk}/isu-strategis/hasil/")
    expect(planner.locator("#ranking")).to_have_count(0)
    planner.get_by_role("button", name="Buka hasil").click()
    ranking = planner.locator("#ranking tbody tr")
    expect(ranking).to_have_count(2)
    expect(ranking.first).to_contain_text("Ketimpangan akses dan mutu pendidikan")
    expect(ranking.first).to_contain_text("4,50")
    planner.get_by_label("Jumlah isu (N)").fill("1")
    planner.get_by_label("Catatan keputusan").fill("Rapat pembahasan isu strategis")
    planner.get_by_role("button", name="Tetapkan", exact=True).click()
    expect(planner.locator("#messages")).to_contain_text("1 isu strategis ditetapkan")
    adopted = StrategicIssue.objects.get(adopted_rank=1)
    assert adopted.title == "Ketimpangan akses dan mutu pendidikan"
    assert IssueChange.objects.get(kind="adopt").details["note"] == "Rapat pembahasan isu strategis"
    screenshot(planner, "strategic-issues-results")

    with planner.expect_download() as download_info:
        planner.locator("#export-xlsx").click()
    with open(download_info.value.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    ranking_sheet, _criteria, matrix = book.worksheets
    assert ranking_sheet.cell(row=5, column=2).value == "Ketimpangan akses dan mutu pendidikan"
    assert ranking_sheet.cell(row=5, column=3).value == pytest.approx(4.5)
    assert ranking_sheet.cell(row=5, column=6).value == "Ya"
    assert matrix.max_row == 1 + 2 * 2  # header + 2 raters × 2 issues
    narasumber_context.close()
    planner_context.close()
