import datetime as dt

import time_machine

from tests.fgd.factories import make_follow_up, make_input, scoped_meeting


def test_planner_sees_upcoming_fgds_and_inputs_awaiting_response(world, client_for):
    meeting = scoped_meeting(world)
    make_input(meeting)
    page = client_for("planner").get(f"/rencana/{world.plan.pk}/").text
    assert "FGD mendatang" in page and meeting.title in page
    assert "Masukan menunggu tanggapan" in page


def test_opd_staff_see_their_agencys_open_follow_ups(world, client_for):
    meeting = scoped_meeting(world)
    make_follow_up(meeting, world.agency_a, due_on=dt.date(2026, 11, 1))
    with time_machine.travel(dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)):
        page = client_for("opd").get(f"/rencana/{world.plan.pk}/").text
    assert "Tindak lanjut FGD instansi Anda" in page
    assert "1 lewat tenggat" in page
    assert "Masukan menunggu tanggapan" not in page


def test_narasumber_see_only_the_fgd_card(world, client_for):
    scoped_meeting(world)
    page = client_for("resource_person").get(f"/rencana/{world.plan.pk}/").text
    assert "FGD mendatang" in page
    assert "Tindak lanjut FGD" not in page
