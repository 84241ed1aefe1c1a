"""Two-factor login in Chromium: a new planner turns it on, then logs in with the app's code."""

import pytest
from playwright.sync_api import expect

from rpjmd.models import Region
from rpjmd.two_factor import authenticator
from tests.e2e.conftest import authenticator_code, code_from_secret
from tests.factories import make_agency, make_plan, make_region, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "perahu kayu menyusuri sungai"


def test_a_new_planner_turns_on_two_factor_login_and_uses_it_next_time(page, screenshot):
    region = make_region(name="Kutai Kartanegara", kind=Region.Kind.REGENCY)
    make_plan(region)
    bappeda = make_agency(region, name="Bappeda", short_name="Bappeda")
    rina = make_user("planner", agency=bappeda, username="rina", password=PASSWORD)

    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill("rina")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator("h1")).to_have_text("Aktifkan verifikasi dua langkah")
    expect(page.locator(".main-nav")).to_have_count(0)  # nothing else until it is on
    expect(page.get_by_role("img", name="Kode QR untuk aplikasi autentikator")).to_be_visible()
    screenshot(page, "two-factor-setup")
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Kode dari aplikasi").fill("000000")
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.locator("main")).to_contain_text("Kode tidak cocok")
    page.get_by_label("Kode dari aplikasi").fill(code_from_secret(secret))
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.locator("h1")).to_have_text("Kode cadangan")
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    screenshot(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan").click()
    expect(page.locator("h1")).to_contain_text("Rancangan Teknokratik RPJMD")

    page.get_by_role("button", name="Keluar").click()
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill("rina")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator("h1")).to_have_text("Verifikasi dua langkah")
    page.get_by_label("Kode verifikasi").fill(authenticator_code("rina"))
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.locator("h1")).to_contain_text("Rancangan Teknokratik RPJMD")
    assert authenticator(rina) is not None
