"""The problem journey in Chromium: an OPD hands a problem in, Bappeda returns it, the OPD
revises and resubmits, Bappeda accepts it; both see the timeline."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from issues.models import Problem
from rpjmd.demo import DEMO_PASSWORD
from tests.e2e.conftest import log_in
from tests.issues.factories import pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STATEMENT = "Angka putus sekolah SMP di Kecamatan Tabang tinggi karena jarak ke sekolah jauh"


@pytest.fixture
def demo():
    call_command("demo", "--quiet")


@pytest.fixture
def planner_page(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, "perencana", DEMO_PASSWORD)
    yield page
    context.close()


def test_a_problem_goes_round_the_review_and_both_see_the_timeline(
    page, planner_page, demo, screenshot
):
    staff = page
    log_in(staff, "opd.disdikbud", DEMO_PASSWORD)
    staff.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Permasalahan"
    ).click()
    expect(staff.locator("h1")).to_have_text("Permasalahan pembangunan daerah")
    screenshot(staff, "problems-list-opd")
    staff.get_by_role("link", name="Tambah permasalahan").first.click()

    # The form: core problem, statement, two root causes, kecamatan, an indicator, a file.
    staff.get_by_label("Bidang urusan").select_option(label="1.01 Pendidikan")
    staff.get_by_label("Masalah pokok baru").fill("Belum meratanya akses pendidikan dasar")
    staff.get_by_label("Masalah", exact=True).fill(STATEMENT)
    staff.locator("#id_causes-0-text").fill("Jarak ke SMP terdekat lebih dari 10 km")
    staff.locator("#id_causes-1-text").fill("Anak ikut bekerja saat musim panen")
    staff.get_by_label("Tabang", exact=True).check()
    staff.locator("#id_indicators-0-name").fill("Rata-rata lama sekolah")
    staff.locator("#id_indicators-0-unit").fill("tahun")
    # The live plan (RPJMD 2025–2029) opens first: its baseline years are 2020–2024.
    staff.locator("#id_indicators-0-value_2024").fill("9,27")
    staff.locator("#id_indicators-0-comparison_value").fill("9,7")
    staff.locator("#id_indicators-0-comparison_kind").select_option(label="Rata-rata provinsi")
    staff.locator("#id_indicators-0-source").fill("BPS Kabupaten Kutai Kartanegara")
    staff.locator("#id_attachments").set_input_files(
        files=[{"name": "Data RLS 2019.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    staff.get_by_role("button", name="Tambah akar masalah").click()  # JS adds a third row
    expect(staff.locator("#id_causes-2-text")).to_be_visible()
    screenshot(staff, "problem-form")
    staff.get_by_role("button", name="Simpan", exact=True).click()

    expect(staff.locator("#messages")).to_contain_text("disimpan sebagai draf")
    expect(staff.locator(".root-causes li")).to_have_count(2)
    expect(staff.locator(".indicator-table")).to_contain_text("9,27")
    expect(staff.get_by_role("link", name="Data RLS 2019.pdf")).to_be_visible()
    problem = Problem.objects.get(statement=STATEMENT)
    staff.get_by_role("button", name="Ajukan ke Bappeda").click()
    expect(staff.locator("#messages")).to_contain_text("diajukan ke Bappeda")
    expect(staff.locator("#workflow")).to_contain_text("Diajukan")

    # The planner finds it in the list (search in the URL) and returns it with a note.
    planner = planner_page
    planner.goto(f"/rencana/{problem.plan_id}/permasalahan/")
    planner.get_by_label("Cari").fill("putus sekolah tabang")
    expect(planner).to_have_url(re.compile(r"q=putus"))
    expect(planner.locator("#results tbody tr")).to_have_count(1)
    screenshot(planner, "problems-list-planner")
    planner.locator("#results").get_by_role("link", name=f"#{problem.pk}").click()
    planner.evaluate("window.__sameDocument = true")
    planner.get_by_label("Keputusan").select_option("return")
    planner.get_by_label("Catatan untuk perangkat daerah").fill(
        "Tambahkan data angka putus sekolah per desa dari Dapodik."
    )
    planner.get_by_role("button", name="Simpan keputusan").click()
    expect(planner.locator("#workflow")).to_contain_text("Dikembalikan")
    expect(planner.locator("#messages")).to_contain_text("kini dikembalikan")
    assert planner.evaluate("window.__sameDocument") is True  # swapped in place by htmx

    # The agency sees the note (and a notification), revises and resubmits.
    staff.goto("/notifikasi/")
    note = staff.locator(".notification-list li", has_text="dikembalikan dengan catatan")
    note.get_by_role("button", name="Buka").click()
    expect(staff).to_have_url(re.compile(rf"/permasalahan/{problem.pk}/$"))
    expect(staff.locator(".reviewer-note")).to_contain_text("Dapodik")
    staff.get_by_role("link", name="Ubah", exact=True).click()
    staff.get_by_label("Masalah", exact=True).fill(
        STATEMENT + "; 312 anak putus sekolah di 19 desa (Dapodik 2019)"
    )
    staff.get_by_role("button", name="Simpan", exact=True).click()
    expect(staff.locator("#messages")).to_contain_text("disimpan")
    staff.get_by_role("button", name="Ajukan ulang ke Bappeda").click()
    expect(staff.locator("#workflow")).to_contain_text("Diajukan")

    # The planner accepts; both see the whole timeline.
    planner.reload()
    planner.get_by_label("Keputusan").select_option("accept")
    planner.get_by_role("button", name="Simpan keputusan").click()
    expect(planner.locator("#workflow .badge")).to_have_text("Diterima")
    for viewer in (planner, staff):
        viewer.goto(f"/permasalahan/{problem.pk}/")
        items = viewer.locator(".status-timeline li")
        expect(items).to_have_count(4)
        expect(items.nth(0)).to_contain_text("Diajukan")
        expect(items.nth(1)).to_contain_text("Dikembalikan")
        expect(items.nth(1)).to_contain_text("Dapodik")
        expect(items.nth(3)).to_contain_text("Diterima")
    screenshot(planner, "problem-detail-planner")
    screenshot(staff, "problem-detail-opd")
    expect(staff.get_by_role("link", name="Ubah", exact=True)).to_have_count(0)

    # The file is served to the planner, by the view, as an attachment.
    with planner.expect_download() as download:
        planner.get_by_role("link", name="Data RLS 2019.pdf").click()
    assert download.value.suggested_filename == "Data RLS 2019.pdf"


def test_planner_pages_progress_and_bulk_review(planner_page, demo, screenshot):
    planner = planner_page
    plan_id = Problem.objects.first().plan_id
    planner.goto(f"/rencana/{plan_id}/permasalahan/progres/")
    expect(planner.locator("h1")).to_have_text("Progres pengumpulan permasalahan")
    expect(planner.locator(".progress-table")).to_contain_text("Dinas Pendidikan dan Kebudayaan")
    screenshot(planner, "problems-progress")
    planner.goto(f"/rencana/{plan_id}/permasalahan/?status=submitted")
    rows = planner.locator("#results tbody tr")
    count = rows.count()
    assert count >= 2
    planner.locator(".select-all").check()
    planner.get_by_label("Keputusan").select_option("accept")
    planner.get_by_role("button", name="Terapkan ke yang dipilih").click()
    expect(planner.locator("#messages")).to_contain_text(f"{count} permasalahan ditinjau")
    expect(planner.locator("#results")).to_contain_text("Tidak ada permasalahan yang cocok")
    planner.goto(f"/rencana/{plan_id}/")
    screenshot(planner, "dashboard-planner-problems")
    # At an FGD people use their phones: the list and a problem still read on a narrow screen.
    planner.set_viewport_size({"width": 390, "height": 844})
    planner.goto(f"/rencana/{plan_id}/permasalahan/")
    screenshot(planner, "problems-list-phone")
    planner.locator("#results tbody tr a").first.click()
    expect(planner.locator("#workflow")).to_be_visible()
    screenshot(planner, "problem-detail-phone")
