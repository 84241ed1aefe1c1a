"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, a test database in a file of each test process's own instead of Django's
    shared-cache in-memory one. There a table is locked, not waited for: the live server's
    request, the test's own queries and the task worker's polling thread meet, and a request
    fails at once with "database table is locked" (a 503; seen with two browser-test processes
    on two cores). A file database waits for the lock (SQLite's busy timeout) as make run's
    does."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        test = database.setdefault("TEST", {})
        if database["ENGINE"] == "django.db.backends.sqlite3" and not test.get("NAME"):
            worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
            test["NAME"] = str(Path(settings.VAR_DIR) / f"e2e-{worker}.sqlite3")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls our tests make to
    # set up data are still plain synchronous calls, so Django's async guard must stand aside.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make e2e`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot for people to look at (var/screenshots/NAME.png)."""

    def save(page, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return save


def log_in(page, username: str, password: str) -> None:
    """Log in as a person would, typing the authenticator app's code where one is asked."""
    page.goto("/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()
    if "/akun/dua-langkah/verifikasi/" in page.url:
        page.get_by_label("Kode verifikasi").fill(authenticator_code(username))
        with page.expect_navigation():
            page.get_by_role("button", name="Verifikasi").click()
    elif "/akun/dua-langkah/" in page.url:  # a planner's first login: add the app, then go on
        secret = page.get_by_test_id("totp-secret").inner_text()
        page.get_by_label("Kode dari aplikasi").fill(code_from_secret(secret))
        page.get_by_role("button", name="Aktifkan").click()
        with page.expect_navigation():
            page.get_by_role("link", name="Saya sudah menyimpannya, lanjutkan").click()


def code_from_secret(secret: str) -> str:
    """What an authenticator app shows after the user typed the key from the setup page."""
    import base64

    from django_otp.oath import TOTP

    key = secret.replace(" ", "")
    return f"{TOTP(base64.b32decode(key + '=' * (-len(key) % 8))).token():06d}"


def authenticator_code(username: str) -> str:
    """What the user's authenticator app shows: a code of a time step not used yet (a code
    is accepted once, and one step ahead is tolerated)."""
    import time

    from django_otp.oath import TOTP

    from rpjmd.models import User
    from rpjmd.two_factor import authenticator

    device = authenticator(User.objects.get(username=username))
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() <= device.last_t:
        if totp.t() + 1 > device.last_t:
            totp.time = time.time() + device.step
        else:  # both this step and the next were used: wait for the next one
            time.sleep(1)
            totp.time = time.time()
    return f"{totp.token():06d}"
