"""Login, throttling, logout and the htmx login redirect."""

import time_machine
from django.test import Client

from rpjmd.models import AuditEvent, User
from tests.factories import make_user

PASSWORD = "Sandi-Uji-Yang-Panjang-1"


def login(client, username, password, ip="10.0.0.1", next_url=""):
    return client.post(
        "/masuk/",
        {"username": username, "password": password, "next": next_url},
        REMOTE_ADDR=ip,
    )


def test_login_lands_on_the_plan_dashboard(world):
    user = make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    client = Client()
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"/rencana/{world.plan.pk}/"
    assert "Rancangan Teknokratik RPJMD Uji" in response.text


def test_wrong_password_shows_a_clear_indonesian_error(world):
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    response = login(Client(), "ahmad", "salah-sandi")
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.text
    assert 'value="ahmad"' in response.text  # what the user typed is kept


def test_five_wrong_passwords_lock_the_username_from_that_address(world):
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    client = Client()
    statuses = [login(client, "ahmad", f"salah-{n}").status_code for n in range(5)]
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429
    locked = login(client, "ahmad", PASSWORD)  # even the right password is refused now
    assert locked.status_code == 429
    assert "Akun dikunci sementara." in locked.text
    assert "_auth_user_id" not in client.session


def test_lockout_holds_for_that_pair_only_and_ends_after_the_cool_off(world):
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    make_user(User.Role.OPD, agency=world.agency_b, password=PASSWORD, username="siti")
    with time_machine.travel("2026-11-27 08:00 +0800", tick=False) as clock:
        for n in range(5):
            login(Client(), "ahmad", f"salah-{n}", ip="10.0.0.1")
        assert login(Client(), "ahmad", PASSWORD, ip="10.0.0.1").status_code == 429
        # Another address, or another user from the same address, is not affected.
        assert login(Client(), "ahmad", PASSWORD, ip="10.0.0.2").status_code == 302
        assert login(Client(), "siti", PASSWORD, ip="10.0.0.1").status_code == 302
        clock.shift(60 * 31)
        assert login(Client(), "ahmad", PASSWORD, ip="10.0.0.1").status_code == 302


def test_password_spraying_from_one_address_locks_that_address(world, settings):
    """One address trying many usernames never fails five times for one pair; after
    LOGIN_ADDRESS_FAILURE_LIMIT failures it is refused for every username."""
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert 5 < limit <= 50  # above the pair limit (an office behind NAT), still a real brake
    with time_machine.travel("2026-11-27 08:00 +0800", tick=False) as clock:
        for n in range(limit - 1):
            response = login(Client(), f"pegawai{n}", "Tahun-2026!", ip="10.0.0.9")
            assert response.status_code == 200, n
        # One below the limit, the right password still works from there.
        assert login(Client(), "ahmad", PASSWORD, ip="10.0.0.9").status_code == 302
        last = login(Client(), "pegawai-terakhir", "Tahun-2026!", ip="10.0.0.9")
        assert last.status_code == 429  # the failure that reaches the limit is refused too
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.LOCKOUT, ip_address="10.0.0.9", username="pegawai-terakhir"
        ).exists()
        client = Client()
        refused = login(client, "ahmad", PASSWORD, ip="10.0.0.9")
        assert refused.status_code == 429
        assert "Alamat Anda diblokir sementara." in refused.text
        assert "untuk berbagai nama" in refused.text
        assert "_auth_user_id" not in client.session
        # Another address is not affected; the block ends after the cool-off.
        assert login(Client(), "ahmad", PASSWORD, ip="10.0.0.10").status_code == 302
        clock.shift(60 * 31)
        assert login(Client(), "ahmad", PASSWORD, ip="10.0.0.9").status_code == 302


def test_login_keeps_next_only_when_it_is_on_this_site(world):
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    for evil in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        response = login(Client(), "ahmad", PASSWORD, next_url=evil)
        assert response.status_code == 302
        assert response["Location"] == "/", evil
    response = login(Client(), "ahmad", PASSWORD, next_url=f"/rencana/{world.plan.pk}/")
    assert response["Location"] == f"/rencana/{world.plan.pk}/"


def test_login_rotates_the_session_key(world):
    make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")
    client = Client()
    client.get("/masuk/")
    client.session.save()
    before = client.session.session_key
    login(client, "ahmad", PASSWORD)
    assert client.session.session_key != before


def test_inactive_user_cannot_log_in(world):
    make_user(
        User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad", is_active=False
    )
    response = login(Client(), "ahmad", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session


def test_logout_is_a_post_and_ends_the_session(world, client_for):
    client = client_for("opd")
    assert client.get("/keluar/").status_code == 405
    response = client.post("/keluar/")
    assert response.status_code == 302 and response["Location"] == "/masuk/"
    assert client.get(f"/rencana/{world.plan.pk}/")["Location"].startswith("/masuk/")


def test_every_page_offers_a_post_logout_form(world, client_for):
    response = client_for("opd").get(f"/rencana/{world.plan.pk}/")
    assert '<form method="post" action="/keluar/"' in response.text


def test_expired_session_during_htmx_request_redirects_the_whole_page(world, client):
    page = f"http://testserver/rencana/{world.plan.pk}/tahapan/"
    response = client.post(
        f"/tahapan/{world.stage.pk}/status/",
        {"state": "closed"},
        headers={"HX-Request": "true", "HX-Current-URL": page},
    )
    assert response.status_code == 200
    # The login page replaces the whole page and brings the user back to where they were.
    assert response["HX-Redirect"] == f"/masuk/?next=/rencana/{world.plan.pk}/tahapan/"


def test_htmx_login_redirect_ignores_a_foreign_current_url(world, client):
    response = client.get(
        f"/rencana/{world.plan.pk}/",
        headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/x"},
    )
    assert response["HX-Redirect"] == f"/masuk/?next=/rencana/{world.plan.pk}/"


def test_health_endpoint_reports_the_database(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
