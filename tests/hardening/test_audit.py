"""The audit trail (QUALITY G1, G2, G4, G5, G6): who did what, stored and logged, no secrets."""

from __future__ import annotations

import json
import logging

import pytest
import time_machine
from django.db import connection
from django.test import Client, RequestFactory

from rpjmd import audit
from rpjmd.logs import JsonFormatter
from rpjmd.models import AuditEvent, User
from tests.factories import make_user
from tests.logscan import secrets_in

PASSWORD = "Sandi-Uji-Yang-Panjang-1"
Action = AuditEvent.Action


def login(client, username, password, ip="10.1.2.3"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def audit_lines(caplog) -> list[str]:
    """The audit records as the production log shows them: one JSON line each."""
    formatter = JsonFormatter()
    return [formatter.format(r) for r in caplog.records if r.name == "rpjmd.audit"]


@pytest.fixture
def ahmad(world):
    return make_user(User.Role.OPD, agency=world.agency_a, password=PASSWORD, username="ahmad")


def test_login_and_logout_are_recorded_with_user_address_and_time(ahmad, caplog):
    caplog.set_level(logging.INFO, logger="rpjmd.audit")
    client = Client()
    assert login(client, "ahmad", PASSWORD).status_code == 302
    client.post("/keluar/", REMOTE_ADDR="10.1.2.3")
    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.action, e.outcome) for e in events] == [
        ("login", "success"),
        ("logout", "success"),
    ]
    for event in events:
        assert event.actor == ahmad and event.username == "ahmad"
        assert event.ip_address == "10.1.2.3"
        assert event.created_at.utcoffset().total_seconds() == 0  # stored in UTC
    lines = audit_lines(caplog)
    assert len(lines) == 2
    entry = json.loads(lines[0])
    assert entry["audit"]["action"] == "login" and entry["audit"]["actor_id"] == ahmad.pk
    assert entry["audit"]["ip"] == "10.1.2.3" and entry["time"].endswith("+00:00")
    assert PASSWORD not in "".join(lines)


def test_failed_logins_and_the_lockout_are_recorded_without_the_password(ahmad, caplog):
    caplog.set_level(logging.INFO)
    client = Client()
    for n in range(5):
        login(client, "ahmad", f"salah-rahasia-{n}")
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED)
    assert failed.count() == 5
    assert set(failed.values_list("username", "outcome", "ip_address")) == {
        ("ahmad", "failure", "10.1.2.3")
    }
    assert AuditEvent.objects.filter(action=Action.LOCKOUT, username="ahmad").exists()
    everything = " ".join(r.getMessage() + json.dumps(vars(r), default=str) for r in caplog.records)
    assert "salah-rahasia" not in everything
    stored = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "salah-rahasia" not in stored


def test_anonymous_csrf_failures_store_one_row_per_address_and_minute(world, caplog):
    """A script posting without a token cannot fill the audit table (issue 13)."""
    caplog.set_level(logging.INFO, logger="rpjmd.audit")
    refused = Action.CSRF_FAILED

    def post(ip):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/masuk/", {"username": "x", "password": "y"}, REMOTE_ADDR=ip)
        assert response.status_code == 403
        assert "kedaluwarsa" in response.text  # every refusal still gets the page

    with time_machine.travel("2026-11-27 08:00:00 +0800", tick=False) as clock:
        for _ in range(30):
            post("10.6.6.6")
        post("10.7.7.7")
        assert AuditEvent.objects.filter(action=refused).count() == 2
        clock.shift(59)
        post("10.6.6.6")
        assert AuditEvent.objects.filter(action=refused, ip_address="10.6.6.6").count() == 1
        clock.shift(2)  # a minute after the stored one: the next is stored again
        post("10.6.6.6")
        assert AuditEvent.objects.filter(action=refused, ip_address="10.6.6.6").count() == 2
    # Every refusal is still in the log; the ones not stored say so.
    entries = [json.loads(line)["audit"] for line in audit_lines(caplog)]
    entries = [e for e in entries if e["action"] == refused]
    assert len(entries) == 33
    assert sum(e["throttled"] for e in entries) == 30
    assert all(e["stored"] != e["throttled"] for e in entries)


def test_csrf_failures_of_a_logged_in_user_are_each_stored(world, client_for):
    client = client_for("opd")
    client.handler.enforce_csrf_checks = True
    for _ in range(3):
        assert client.post("/keluar/", REMOTE_ADDR="10.6.6.6").status_code == 403
    events = AuditEvent.objects.filter(action=Action.CSRF_FAILED)
    assert events.count() == 3
    assert {e.actor for e in events} == {world.staff_a}


def test_permission_denials_are_recorded_with_the_page_and_its_object(world, client_for):
    client_for("opd").get(f"/rencana/{world.plan.pk}/tahapan/")
    event = AuditEvent.objects.get(action=Action.PERMISSION_DENIED)
    assert event.actor == world.staff_a
    assert event.outcome == "denied"
    assert event.object_type == "stage_list"
    assert event.object_id == f"plan_id={world.plan.pk}"
    assert event.path == f"/rencana/{world.plan.pk}/tahapan/"
    assert event.detail == {"method": "GET"}


def test_an_object_of_another_region_is_recorded_as_a_denied_object_access(world, client_for):
    response = client_for("other_planner").post(
        f"/tahapan/{world.stage.pk}/status/", {"state": "closed"}
    )
    assert response.status_code == 404
    event = AuditEvent.objects.exclude(action=Action.LOGIN).get()
    assert (event.action, event.outcome) == ("object_denied", "denied")
    assert event.actor == world.other_planner
    assert (event.object_type, event.object_id) == ("rpjmd.Stage", f"pk={world.stage.pk}")
    assert event.detail == {"method": "POST"}


def test_a_missing_object_is_recorded_as_not_found_once(world, client_for):
    assert client_for("planner").get("/rencana/987654/").status_code == 404
    event = AuditEvent.objects.exclude(action=Action.LOGIN).get()
    assert (event.action, event.object_type, event.object_id) == (
        "not_found",
        "plan_dashboard",
        "plan_id=987654",
    )


def test_a_username_with_newlines_and_ansi_codes_is_one_escaped_json_line(world, caplog):
    caplog.set_level(logging.INFO, logger="rpjmd.audit")
    forged = 'ahmad\n{"level": "INFO", "message": "audit login success"}\x1b[2J\x1b[31mroot'
    login(Client(), forged, "apa-saja")
    lines = audit_lines(caplog)
    assert len(lines) == 1
    line = lines[0]
    assert "\n" not in line and "\r" not in line and "\x1b" not in line
    assert line.isascii()
    assert json.loads(line)["audit"]["username"] == forged


def test_phone_numbers_are_masked_in_the_trail_and_the_log(world, caplog):
    caplog.set_level(logging.INFO, logger="rpjmd.audit")
    for typed in ["081234567890", "+62 812-3456-7890", "0541 661234"]:
        login(Client(), typed, "apa-saja")
    stored = list(AuditEvent.objects.values_list("username", flat=True))
    assert stored == ["[nomor disamarkan]"] * 3
    for line in audit_lines(caplog):
        assert secrets_in(line) == []


def test_exports_are_recorded_through_the_documented_hook(world):
    request = RequestFactory().get("/rencana/1/unduh.pdf", REMOTE_ADDR="10.9.8.7")
    request.user = world.leader
    audit.record_export(request, world.plan, kind="pdf")
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == world.leader
    assert (event.object_type, event.object_id) == ("rpjmd.Plan", str(world.plan.pk))
    assert event.detail == {"kind": "pdf"} and event.ip_address == "10.9.8.7"
    # "Whose data did user X export in period Y" is one query:
    assert AuditEvent.objects.filter(actor=world.leader, action=Action.EXPORT).count() == 1


def test_audit_events_cannot_be_changed_or_deleted_by_the_application(world):
    event = audit.record(None, Action.LOGIN, outcome="success", actor=world.planner)
    event.username = "orang-lain"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(username="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().username == "planner"


def test_the_admin_shows_the_trail_read_only(world, client_for):
    event = audit.record(None, Action.LOGIN, outcome="success", actor=world.planner)
    admin = client_for("admin")
    assert admin.get("/admin/rpjmd/auditevent/").status_code == 200
    detail = admin.get(f"/admin/rpjmd/auditevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert 'name="username"' not in detail.text  # shown, not editable
    assert admin.get("/admin/rpjmd/auditevent/add/").status_code == 403
    assert admin.post(f"/admin/rpjmd/auditevent/{event.pk}/delete/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
def test_postgresql_itself_refuses_to_rewrite_the_trail(world):
    from django.db import DatabaseError, transaction

    event = audit.record(None, Action.LOGIN, outcome="success", actor=world.planner)
    for statement in [
        "UPDATE rpjmd_auditevent SET username = 'x' WHERE id = %s",
        "DELETE FROM rpjmd_auditevent WHERE id = %s",
    ]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get().username == "planner"


def test_the_log_watch_recognises_what_must_not_be_logged():
    assert secrets_in("peserta 0812-3456-7890 hadir") == ["phone number"]
    assert secrets_in("login password=rahasia") == ["password"]
    assert secrets_in("Cookie: sessionid=abc123def") == ["session cookie"]
    assert secrets_in("csrfmiddlewaretoken=" + "a1" * 16) == ["csrf token"]
    assert secrets_in('AXES: login by {username: "*****"}, path_info: "/masuk/"') == []
    assert secrets_in("Not Found: /rencana/2026/ (pk=081)") == []
