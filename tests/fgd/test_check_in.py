"""Check-in on a phone: by link or code, only in the meeting's window, rate-limited."""

import datetime as dt

import time_machine
from django.test import Client

from fgd.models import Attendance, CheckInAttempt, Meeting
from fgd.workflow import CHECK_IN_MAX_FAILURES
from tests.factories import sign_in
from tests.fgd.factories import invite, make_meeting, make_resource_person

WITA = dt.timezone(dt.timedelta(hours=8))


def at_meeting(world, hour=9, minute=0, day=7):
    """An FGD on 7 March 2020, 09:00–16:00 WITA, agency A and a narasumber invited."""
    meeting = make_meeting(
        world.plan,
        starts_at=dt.datetime(2020, 3, 7, 9, 0, tzinfo=WITA),
        ends_at=dt.datetime(2020, 3, 7, 16, 0, tzinfo=WITA),
    )
    invite(meeting, world.agency_a, make_resource_person(world.region, user=world.resource_person))
    return meeting


def test_check_in_by_code_records_the_agency_and_the_method(world, client_for):
    meeting = at_meeting(world)
    with time_machine.travel(dt.datetime(2020, 3, 7, 8, 30, tzinfo=WITA)):
        response = client_for("opd").post("/presensi/", {"code": meeting.check_in_code.lower()})
    assert response.status_code == 302 and response["Location"] == f"/fgd/{meeting.pk}/"
    row = Attendance.objects.get()
    assert (row.user, row.agency, row.method) == (world.staff_a, world.agency_a, "code")


def test_checking_in_twice_is_harmless(world, client_for):
    meeting = at_meeting(world)
    client = client_for("opd")
    with time_machine.travel(dt.datetime(2020, 3, 7, 9, 5, tzinfo=WITA)):
        client.post("/presensi/", {"code": meeting.check_in_code})
        first = Attendance.objects.get().checked_in_at
    with time_machine.travel(dt.datetime(2020, 3, 7, 10, 0, tzinfo=WITA)):
        response = client.post(f"/fgd/{meeting.pk}/presensi/{meeting.check_in_token}/", follow=True)
        assert "sudah tercatat sebelumnya" in response.text
    assert Attendance.objects.count() == 1
    assert Attendance.objects.get().checked_in_at == first


def test_a_narasumber_checks_in_as_their_narasumber_record(world, client_for):
    meeting = at_meeting(world)
    with time_machine.travel(dt.datetime(2020, 3, 7, 9, 0, tzinfo=WITA)):
        client_for("resource_person").post(f"/fgd/{meeting.pk}/presensi/{meeting.check_in_token}/")
    row = Attendance.objects.get()
    assert row.resource_person.user == world.resource_person and row.user is None
    assert row.method == "link"


def test_check_in_opens_an_hour_before_and_closes_at_the_end_of_the_day(world, client_for):
    meeting = at_meeting(world)
    for moment, allowed in [
        (dt.datetime(2020, 3, 7, 7, 59, tzinfo=WITA), False),
        (dt.datetime(2020, 3, 7, 8, 0, tzinfo=WITA), True),
        (dt.datetime(2020, 3, 7, 23, 59, tzinfo=WITA), True),
        (dt.datetime(2020, 3, 8, 0, 0, tzinfo=WITA), False),
    ]:
        Attendance.objects.all().delete()
        with time_machine.travel(moment):
            # A fresh login each time: a session lasts one working day, also in 2020.
            response = client_for("opd").post("/presensi/", {"code": meeting.check_in_code})
        assert Attendance.objects.exists() is allowed, moment
        if not allowed:
            assert "satu jam sebelum acara" in response.text


def test_wrong_codes_are_rate_limited_per_user(world, client_for):
    meeting = at_meeting(world)
    client = client_for("opd")
    with time_machine.travel(dt.datetime(2020, 3, 7, 9, 0, tzinfo=WITA)):
        for _ in range(CHECK_IN_MAX_FAILURES):
            response = client.post("/presensi/", {"code": "ZZZZZZ"})
            assert "Kode presensi tidak dikenal" in response.text
        response = client.post("/presensi/", {"code": meeting.check_in_code})
        assert "Terlalu banyak kode yang salah" in response.text
        assert not Attendance.objects.exists()
    # Ten minutes later the user may try again.
    with time_machine.travel(dt.datetime(2020, 3, 7, 9, 11, tzinfo=WITA)):
        client.post("/presensi/", {"code": meeting.check_in_code})
    assert Attendance.objects.count() == 1


def test_wrong_codes_are_rate_limited_per_address(world, client_for):
    meeting = at_meeting(world)
    with time_machine.travel(dt.datetime(2020, 3, 7, 9, 0, tzinfo=WITA)):
        for role in ["opd_b", "leader"] * (CHECK_IN_MAX_FAILURES // 2):
            client_for(role).post("/presensi/", {"code": "ZZZZZZ"}, REMOTE_ADDR="10.9.8.7")
        # Another user on the same address (one hotel Wi-Fi, one attacker) must wait too.
        response = client_for("opd").post(
            "/presensi/", {"code": meeting.check_in_code}, REMOTE_ADDR="10.9.8.7"
        )
        assert "Terlalu banyak kode yang salah" in response.text
        response = client_for("opd").post(
            "/presensi/", {"code": meeting.check_in_code}, REMOTE_ADDR="10.9.8.8"
        )
    assert Attendance.objects.filter(user=world.staff_a).exists()
    assert CheckInAttempt.objects.count() == CHECK_IN_MAX_FAILURES


def test_staff_of_an_agency_not_invited_cannot_check_in_even_with_the_code(world, client_for):
    meeting = at_meeting(world)
    with time_machine.travel(dt.datetime(2020, 3, 7, 9, 0, tzinfo=WITA)):
        response = client_for("opd_b").post("/presensi/", {"code": meeting.check_in_code})
        assert "tidak diundang" in response.text
        assert (
            client_for("opd_b")
            .get(f"/fgd/{meeting.pk}/presensi/{meeting.check_in_token}/")
            .status_code
            == 404
        )
    assert not Attendance.objects.exists()


def test_the_link_needs_the_meetings_token(world, client_for):
    meeting = at_meeting(world)
    assert client_for("opd").get(f"/fgd/{meeting.pk}/presensi/salah/").status_code == 404


def test_check_in_pages_fit_a_phone_and_need_login(world):
    meeting = at_meeting(world)
    response = Client().get(f"/fgd/{meeting.pk}/presensi/{meeting.check_in_token}/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")
    client = Client()
    sign_in(client, world.staff_a)
    page = client.get("/presensi/").text
    assert 'name="viewport"' in page and 'autocapitalize="characters"' in page


def test_planner_marks_invitees_and_adds_walk_in_guests(world, client_for):
    meeting = at_meeting(world)
    planner = client_for("planner")
    response = planner.post(
        f"/fgd/{meeting.pk}/daftar-hadir/tandai/",
        {"user": world.staff_a.pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert "tercatat hadir" in response.text
    # Agency B was not invited: its staff cannot be marked from the roster.
    planner.post(f"/fgd/{meeting.pk}/daftar-hadir/tandai/", {"user": world.staff_b.pk})
    response = planner.post(
        f"/fgd/{meeting.pk}/daftar-hadir/tamu/",
        {
            "guest_name": "Yusran, S.Pi.",
            "guest_position": "Kepala Seksi",
            "guest_institution": "Dinas Perikanan",
            "guest_contact": "0811-222-333",
        },
    )
    assert response.status_code == 302
    assert {a.name for a in Attendance.objects.all()} == {world.staff_a.full_name, "Yusran, S.Pi."}
    assert Attendance.objects.count() == 2
    assert Meeting.objects.get().attendances.filter(guest_contact="0811-222-333").exists()


def test_a_guest_without_a_name_is_refused_and_nothing_is_saved(world, client_for):
    meeting = at_meeting(world)
    response = client_for("planner").post(
        f"/fgd/{meeting.pk}/daftar-hadir/tamu/", {"guest_institution": "Dinas Perikanan"}
    )
    assert response.status_code == 200
    assert 'value="Dinas Perikanan"' in response.text
    assert not Attendance.objects.exists()


def test_guest_contacts_are_shown_to_organisers_only(world, client_for):
    from tests.fgd.factories import make_guest

    meeting = at_meeting(world)
    make_guest(meeting, guest_contact="0813-4444-1111")
    assert "0813-4444-1111" in client_for("planner").get(f"/fgd/{meeting.pk}/daftar-hadir/").text
    assert "0813-4444-1111" not in client_for("leader").get(f"/fgd/{meeting.pk}/daftar-hadir/").text
    assert "0813-4444-1111" not in client_for("opd").get(f"/fgd/{meeting.pk}/").text
    response = client_for("planner").get(f"/fgd/{meeting.pk}/daftar-hadir/")
    assert "no-store" in response["Cache-Control"]
