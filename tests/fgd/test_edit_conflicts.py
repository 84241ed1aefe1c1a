"""Stale FGD, narasumber and berita acara forms (issue 13): 409, nothing written."""

from fgd.models import Input, Meeting
from fgd.workflow import close_meeting, start_meeting
from tests.fgd.factories import make_input, make_record, make_resource_person
from tests.stale import assert_conflict, open_form, save_on_top, save_twice, typed


def test_a_stale_meeting_form_is_refused(world, client_for, meeting):
    url = f"/fgd/{meeting.pk}/ubah/"
    response = save_twice(
        client_for("planner"),
        client_for("planner"),
        url,
        mine={"venue": "Aula Bappeda, Tenggarong"},
        theirs={"venue": "Hotel Grand Elty, Tenggarong"},
    )
    page = assert_conflict(response, "Aula Bappeda, Tenggarong", "Hotel Grand Elty, Tenggarong")
    meeting.refresh_from_db()
    assert meeting.venue == "Aula Bappeda, Tenggarong"
    assert save_on_top(client_for("planner"), page, url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.venue == "Hotel Grand Elty, Tenggarong"


def test_a_meeting_closed_meanwhile_stays_closed_and_the_typed_text_comes_back(
    world, client_for, meeting
):
    url = f"/fgd/{meeting.pk}/ubah/"
    stale = open_form(client_for("planner"), url)
    start_meeting(meeting=meeting, by=world.planner)
    close_meeting(meeting=meeting, by=world.planner)
    response = client_for("planner").post(url, typed(stale, title="Judul dari formulir lama"))
    page = assert_conflict(response, "Judul dari formulir lama", "Ditutup")
    assert "di atas versi tersimpan" not in page
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert meeting.title != "Judul dari formulir lama"


def test_a_stale_resource_person_form_is_refused(world, client_for):
    person = make_resource_person(world.region, position="Direktur")
    url = f"/narasumber/{person.pk}/ubah/"
    response = save_twice(
        client_for("planner"),
        client_for("planner"),
        url,
        mine={"position": "Deputi Bidang Pembangunan Daerah"},
        theirs={"position": "Staf Ahli Menteri"},
    )
    assert_conflict(response, "Deputi Bidang Pembangunan Daerah", "Staf Ahli Menteri")
    person.refresh_from_db()
    assert person.position == "Deputi Bidang Pembangunan Daerah"


def test_a_stale_official_record_form_is_refused(world, client_for, meeting):
    record = make_record(meeting)
    url = f"/fgd/{meeting.pk}/berita-acara/"
    response = save_twice(
        client_for("planner"),
        client_for("planner"),
        url,
        mine={"number": "050/200/Bappeda/III/2020"},
        theirs={"number": "050/201/Bappeda/III/2020"},
    )
    assert_conflict(response, "050/200/Bappeda/III/2020", "050/201/Bappeda/III/2020")
    record.refresh_from_db()
    assert record.number == "050/200/Bappeda/III/2020"


def test_a_stale_response_to_an_input_is_refused(world, client_for, meeting):
    item = make_input(meeting)
    url = f"/masukan/{item.pk}/tanggapan/"
    response = save_twice(
        client_for("planner"),
        client_for("planner"),
        url,
        mine={"response": "accepted", "landed_in": "Bab IV isu strategis 2"},
        theirs={"response": "rejected", "response_reason": "Di luar kewenangan daerah"},
    )
    assert_conflict(response, "Bab IV isu strategis 2", "Di luar kewenangan daerah")
    item.refresh_from_db()
    assert item.response == Input.Response.ACCEPTED and item.response_reason == ""
