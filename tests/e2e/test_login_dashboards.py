import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from rpjmd.demo import DEMO_PASSWORD
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_ROLES = [
    ("perencana", "Perencana Bappeda", "Kelola tahapan"),
    ("opd.disdikbud", "Staf OPD", "Bidang urusan instansi Anda"),
    ("opd.dinkes", "Staf OPD", "Bidang urusan instansi Anda"),
    ("sumedi", "Narasumber", "Tahapan penyusunan"),
    ("wiyono", "Pimpinan", "Tahapan ditutup"),
    ("admin", "Administrator", "Pengguna aktif"),
]


@pytest.fixture
def demo():
    call_command("demo", "--quiet")


@pytest.mark.parametrize(("username", "role", "marker"), DEMO_ROLES)
def test_each_demo_user_lands_on_their_dashboard_in_indonesian(
    page, demo, screenshot, username, role, marker
):
    log_in(page, username, DEMO_PASSWORD)
    expect(page.locator("h1")).to_contain_text(
        "Rancangan Teknokratik RPJMD Kabupaten Kutai Kartanegara"
    )
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator(".user-menu")).to_contain_text(role)
    expect(page.locator("main")).to_contain_text(marker)
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("FGD Identifikasi Permasalahan Pembangunan Daerah")
    expect(timeline.locator(".timeline__today")).to_contain_text("Hari ini")
    screenshot(page, f"dashboard-{username}")


def test_wrong_password_five_times_locks_with_a_clear_message(page, demo, screenshot):
    for attempt in range(5):
        log_in(page, "opd.dinkes", f"salah-{attempt}")
    expect(page.locator("[role=alert]")).to_contain_text("Akun dikunci sementara.")
    log_in(page, "opd.dinkes", DEMO_PASSWORD)
    expect(page.locator("[role=alert]")).to_contain_text("Akun dikunci sementara.")
    screenshot(page, "login-locked")


def test_planner_closes_a_stage_without_reloading_and_switches_to_english(page, demo, screenshot):
    log_in(page, "perencana", DEMO_PASSWORD)
    page.get_by_role("link", name="Kelola tahapan").click()
    row = page.locator("tr", has_text="FGD Identifikasi Permasalahan")
    expect(row).to_contain_text("Dibuka")
    page.evaluate("window.__sameDocument = true")
    row.get_by_role("button", name="Tutup").click()
    expect(page.locator("#messages")).to_contain_text("kini ditutup")
    expect(page.locator("tr", has_text="FGD Identifikasi Permasalahan")).to_contain_text("Ditutup")
    assert page.evaluate("window.__sameDocument") is True  # swapped in place, no reload
    screenshot(page, "stages-planner")
    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_contain_text("Stages and deadlines")
    expect(page.locator("html")).to_have_attribute("lang", "en")
