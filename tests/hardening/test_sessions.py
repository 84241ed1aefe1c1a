"""Session lifecycle and timeouts (QUALITY B4, B5): idle 30 minutes, absolute 10 hours."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.conf import settings
from django.test import Client

from rpjmd.models import AuditEvent, User
from tests.factories import make_user, sign_in

PASSWORD = "Sandi-Uji-Yang-Panjang-1"
START = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def logged_in_client(username: str = "ahmad", password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post("/masuk/", {"username": username, "password": password})
    assert response.status_code == 302 and response["Location"] == "/"
    return client


def is_logged_in(client: Client, world) -> bool:
    response = client.get(f"/rencana/{world.plan.pk}/")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and response["Location"].startswith("/masuk/?next=")
    return False


def test_the_written_policy_is_what_the_settings_say():
    assert dt.timedelta(minutes=30) == settings.SESSION_IDLE_TIMEOUT
    assert dt.timedelta(hours=10) == settings.SESSION_ABSOLUTE_TIMEOUT
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_a_session_idle_for_more_than_30_minutes_asks_for_login_again(world):
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    with time_machine.travel(START, tick=False) as clock:
        client = logged_in_client()
        clock.shift(dt.timedelta(minutes=29))
        assert is_logged_in(client, world)
        clock.shift(dt.timedelta(minutes=29))  # 29 minutes after the last request: still fine
        assert is_logged_in(client, world)
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(f"/rencana/{world.plan.pk}/", follow=True)
        assert response.redirect_chain[-1][0] == f"/masuk/?next=/rencana/{world.plan.pk}/"
        assert "terlalu lama tidak aktif" in response.text
    event = AuditEvent.objects.get(action=AuditEvent.Action.SESSION_EXPIRED)
    assert event.username == "ahmad"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT).exists()


def test_an_active_session_still_ends_10_hours_after_login(world):
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    with time_machine.travel(START, tick=False) as clock:
        client = logged_in_client()
        for _ in range(29):  # a request every 20 minutes keeps the session alive...
            clock.shift(dt.timedelta(minutes=20))
            assert is_logged_in(client, world)
        clock.shift(dt.timedelta(minutes=21))  # ...until 10 hours and 1 minute after login
        response = client.get(f"/rencana/{world.plan.pk}/", follow=True)
        assert "/masuk/" in response.redirect_chain[-1][0]
        assert "satu hari kerja" in response.text


def test_an_expired_session_during_an_htmx_request_redirects_the_whole_page(world):
    rina = make_user(User.Role.PLANNER, agency=world.bappeda, password=PASSWORD, username="rina")
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        sign_in(client, rina)  # password and authenticator code
        assert is_logged_in(client, world)
        clock.shift(dt.timedelta(minutes=45))
        response = client.post(
            f"/tahapan/{world.stage.pk}/status/",
            {"state": "closed"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        assert response["HX-Redirect"].startswith("/masuk/?next=")
    world.stage.refresh_from_db()
    assert world.stage.state == "open"  # the request was not carried out


def test_deactivating_a_user_ends_all_their_sessions(world):
    user = make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    office, phone = logged_in_client(), logged_in_client()
    assert is_logged_in(office, world) and is_logged_in(phone, world)
    admin = Client()
    sign_in(admin, world.admin)
    response = admin.post(
        f"/admin/rpjmd/user/{user.pk}/change/",
        {
            "username": "ahmad",
            "full_name": user.full_name,
            "email": "",
            "position": "",
            "role": "opd",
            "region": world.region.pk,
            "agency": world.agency_a.pk,
            "is_active": "",  # unticked
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    user.refresh_from_db()
    assert user.is_active is False
    assert not is_logged_in(office, world)
    assert not is_logged_in(phone, world)


def test_changing_the_password_ends_the_other_sessions_but_keeps_this_one(world):
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    office, phone = logged_in_client(), logged_in_client()
    new = "kopi susu di tepi sungai setiap pagi hari"
    response = office.post(
        "/akun/kata-sandi/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert is_logged_in(office, world)
    assert not is_logged_in(phone, world)
    assert logged_in_client(password=new)  # the new password works
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGED)
    assert event.username == "ahmad"


def test_a_session_cookie_replayed_after_logout_is_worthless(world):
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    client = logged_in_client()
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/keluar/").status_code == 302
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert not is_logged_in(thief, world)


def test_login_gives_a_new_session_key_even_to_a_planted_one(world):
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    client = Client()
    client.get("/masuk/")
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = planted
    client.post("/masuk/", {"username": "ahmad", "password": PASSWORD})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted
    assert is_logged_in(client, world)
