"""The demo's live plan on a phone: an OPD sees its deadline ahead and checks in by code to
today's FGD, as a newcomer would right after `make run`."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from fgd.demo_live import TITLE
from fgd.models import Attendance, Meeting
from rpjmd.demo import DEMO_PASSWORD
from rpjmd.demo_live import LIVE_START_YEAR
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_page(browser, live_server):
    call_command("demo", "--quiet")
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_an_opd_on_a_phone_sees_the_deadline_ahead_and_checks_in_to_todays_fgd(
    phone_page, screenshot
):
    page = phone_page
    meeting = Meeting.objects.get(plan__start_year=LIVE_START_YEAR)
    log_in(page, "opd.dinkes", DEMO_PASSWORD)

    # The newest plan opens first: its identification stage is running, the deadline ahead.
    expect(page.locator("h1")).to_contain_text("2025–2029")
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("Tenggat 14 hari lagi")
    expect(timeline).not_to_contain_text("Tenggat terlewati")
    expect(page.get_by_text("Rencana lain:")).to_be_visible()
    screenshot(page, "live-demo-phone-dashboard")

    # From the FGD list to the check-in form, with the code the planner shows in the room.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="FGD").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_role("link", name="Presensi dengan kode").click()
    page.get_by_label("Kode presensi").fill(meeting.check_in_code.lower())
    page.get_by_role("button", name="Catat kehadiran").click()
    expect(page.locator("#messages")).to_contain_text("kehadiran Anda di")
    expect(page.locator("h1")).to_have_text(TITLE)
    screenshot(page, "live-demo-phone-checked-in")

    attendance = Attendance.objects.get(meeting=meeting, user__username="opd.dinkes")
    assert attendance.method == Attendance.Method.CODE
