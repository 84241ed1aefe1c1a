"""Two-factor login (TOTP) for planners and admins, with recovery codes (QUALITY C: login)."""

from __future__ import annotations

import datetime as dt
import re
from binascii import unhexlify

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rpjmd.models import AuditEvent
from rpjmd.two_factor import replace_recovery_codes
from rpjmd.views_two_factor import PENDING_KEY
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "perahu kayu menyusuri sungai"
SETUP = "/akun/dua-langkah/"
VERIFY = "/akun/dua-langkah/verifikasi/"


def code_for(hex_key: str, steps_ahead: int = 0) -> str:
    totp = TOTP(unhexlify(hex_key))
    totp.time = totp.time + steps_ahead * 30
    return f"{totp.token():06d}"


def password_login(client: Client, user, next_path: str = "") -> None:
    data = {"username": user.username, "password": PASSWORD}
    if next_path:
        data["next"] = next_path
    response = client.post("/masuk/", data)
    assert response.status_code == 302, response.content[:300]


@pytest.fixture
def planner(world):
    return make_user("planner", agency=world.bappeda, username="rina", password=PASSWORD)


@pytest.fixture
def planner_with_app(planner):
    key = "3132333435363738393031323334353637383930"
    TOTPDevice.objects.create(user=planner, name="app", key=key, confirmed=True)
    return planner, key


def test_a_planner_without_an_app_is_sent_to_set_it_up_and_reaches_nothing_else(world, planner):
    client = Client()
    password_login(client, planner)
    for path in ["/", "/rencana/", f"/rencana/{world.plan.pk}/", "/admin/", "/notifikasi/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP + "?next="), path
    # htmx asks for a fragment: it is told to load the setup page as a whole page.
    response = client.get("/notifikasi/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(SETUP)
    # Logging out still works.
    assert client.post("/keluar/").status_code == 302
    assert client.get("/rencana/")["Location"].startswith("/masuk/")


def test_setting_up_checks_a_code_then_shows_ten_recovery_codes_once(world, planner):
    client = Client()
    password_login(client, planner)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Aktifkan verifikasi dua langkah" in page.text
    assert 'src="data:image/svg+xml' in page.text  # the QR code, no external request
    assert TOTPDevice.objects.filter(user=planner).count() == 0  # GET saves nothing
    key = client.session[PENDING_KEY]

    wrong = client.post(SETUP, {"code": "000000" if code_for(key) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Kode tidak cocok" in wrong.text
    assert TOTPDevice.objects.filter(user=planner).count() == 0

    done = client.post(SETUP, {"code": code_for(key), "next": "/rencana/"})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z2-7]{5}-[a-z2-7]{5})</code>", done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    device = TOTPDevice.objects.get(user=planner)
    assert device.confirmed and device.key == key
    assert StaticToken.objects.filter(device__user=planner).count() == 10
    assert client.get("/rencana/").status_code == 200  # this session is verified
    assert PENDING_KEY not in client.session
    assert AuditEvent.objects.filter(action="two_factor_on", actor=planner).exists()
    # The status page replaces the setup form from now on.
    assert "Kode cadangan tersisa" in client.get(SETUP).text


def test_logging_in_asks_for_the_code_and_keeps_where_the_user_was_going(world, planner_with_app):
    planner, key = planner_with_app
    client = Client()
    target = f"/rencana/{world.plan.pk}/"
    password_login(client, planner, next_path=target)
    response = client.get(target)
    assert response["Location"] == f"{VERIFY}?next={target.replace('/', '%2F')}"
    page = client.get(response["Location"])
    assert "Kode verifikasi" in page.text

    wrong = client.post(VERIFY, {"code": "12345", "next": target})
    assert wrong.status_code == 200
    assert "Kode tidak cocok atau sudah dipakai" in wrong.text
    assert 'value="12345"' in wrong.text  # what the user typed is kept
    assert client.get(target).status_code == 302  # still not in

    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)):
        right = client.post(VERIFY, {"code": code_for(key), "next": target})
        assert right.status_code == 302 and right["Location"] == target
        assert client.get(target).status_code == 200
    events = AuditEvent.objects.filter(action="two_factor", actor=planner)
    assert list(events.order_by("pk").values_list("outcome", flat=True)) == [
        "failure",
        "success",
    ]


def test_a_code_works_once_and_a_foreign_next_is_ignored(planner_with_app):
    planner, key = planner_with_app
    first = Client()
    password_login(first, planner)
    code = code_for(key)
    response = first.post(VERIFY, {"code": code, "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    second = Client()
    password_login(second, planner)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3), tick=False):
        replay = second.post(VERIFY, {"code": code})
    assert replay.status_code == 200 and "sudah dipakai" in replay.text


def test_wrong_codes_make_the_next_try_wait(planner_with_app):
    planner, key = planner_with_app
    client = Client()
    password_login(client, planner)
    now = dt.datetime.now(dt.UTC)
    with time_machine.travel(now, tick=False):
        for _ in range(3):
            client.post(VERIFY, {"code": "999999" if code_for(key) != "999999" else "888888"})
        # Right code, but too soon after three wrong ones (django-otp waits 1, 2, 4 ... s).
        too_soon = client.post(VERIFY, {"code": code_for(key)})
        assert "Terlalu banyak kode salah" in too_soon.text
        assert client.get("/rencana/").status_code == 302
    with time_machine.travel(now + dt.timedelta(seconds=5), tick=False):
        assert client.post(VERIFY, {"code": code_for(key)}).status_code == 302
        assert client.get("/rencana/").status_code == 200


def test_a_recovery_code_logs_in_once(planner_with_app):
    planner, _ = planner_with_app
    codes = replace_recovery_codes(planner)
    client = Client()
    password_login(client, planner)
    response = client.post(VERIFY, {"code": codes[0].upper()}, follow=True)
    assert response.redirect_chain[0][0] == "/"
    assert "sisa 9 kode" in response.text
    again = Client()
    password_login(again, planner)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=3)):
        refused = again.post(VERIFY, {"code": codes[0]})
    assert refused.status_code == 200 and "sudah dipakai" in refused.text


def test_new_recovery_codes_replace_the_old_ones(planner_with_app):
    planner, key = planner_with_app
    old = replace_recovery_codes(planner)
    client = Client()
    password_login(client, planner)
    assert client.post(VERIFY, {"code": code_for(key)}).status_code == 302
    page = client.post("/akun/dua-langkah/kode-cadangan/")
    new = re.findall(r"<code>([a-z2-7]{5}-[a-z2-7]{5})</code>", page.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=planner).count() == 10
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert {c.replace("-", "") for c in new} == stored


def test_opd_staff_log_in_with_the_password_alone_and_may_turn_the_app_on(world):
    staff = make_user("opd", agency=world.agency_a, username="ahmad", password=PASSWORD)
    client = Client()
    password_login(client, staff)
    assert client.get("/rencana/").status_code == 200
    client.get(SETUP)
    key = client.session[PENDING_KEY]
    assert client.post(SETUP, {"code": code_for(key)}).status_code == 200
    later = Client()
    password_login(later, staff)
    assert later.get("/rencana/")["Location"].startswith(VERIFY)


def test_the_django_admin_needs_the_second_step_too(world):
    admin = make_user(
        "admin", region=world.region, username="it", password=PASSWORD, is_superuser=True
    )
    client = Client()
    password_login(client, admin)
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_the_demo_planner_and_admin_use_the_published_demo_key(capsys):
    from benchmarks.live import DEMO_TOTP_KEY as HARNESS_KEY
    from rpjmd.demo import DEMO_TOTP_KEY

    call_command("demo", "--quiet")
    call_command("demo", "--quiet")  # idempotent: still one device each
    devices = TOTPDevice.objects.filter(user__username__in=["perencana", "admin"])
    assert sorted(d.user.username for d in devices) == ["admin", "perencana"]
    assert {d.key for d in devices} == {DEMO_TOTP_KEY} and HARNESS_KEY == DEMO_TOTP_KEY
    call_command("demo_code", "perencana")
    printed = capsys.readouterr().out.strip()
    assert printed == code_for(DEMO_TOTP_KEY)
    client = Client()
    client.post("/masuk/", {"username": "perencana", "password": "Demo-2020-Teknokratik"})
    assert client.post(VERIFY, {"code": printed}).status_code == 302
    assert client.get("/rencana/").status_code == 200


def test_the_demo_code_command_refuses_real_accounts(planner_with_app):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("demo_code", "rina")
