"""Stale plan and stage forms (issue 13): refused with 409, the first save intact."""

from rpjmd.models import Stage
from tests.stale import assert_conflict, open_form, save_on_top, save_twice, typed


def test_a_stale_plan_form_is_refused(world, client_for):
    url = f"/rencana/{world.plan.pk}/ubah/"
    response = save_twice(
        client_for("planner"),
        client_for("planner"),
        url,
        mine={"title": "RPJMD Kukar 2027-2031"},
        theirs={"title": "RPJMD Kutai Kartanegara"},
    )
    page = assert_conflict(response, "RPJMD Kukar 2027-2031", "RPJMD Kutai Kartanegara")
    world.plan.refresh_from_db()
    assert world.plan.title == "RPJMD Kukar 2027-2031"
    assert world.plan.history.count() == 2  # created, first save
    assert save_on_top(client_for("planner"), page, url).status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.title == "RPJMD Kutai Kartanegara" and world.plan.history.count() == 3


def test_a_stale_stage_form_is_refused(world, client_for):
    url = f"/tahapan/{world.stage.pk}/ubah/"
    response = save_twice(
        client_for("planner"),
        client_for("planner"),
        url,
        mine={"name": "Identifikasi (diperpanjang)"},
        theirs={"description": "Catatan tab kedua"},
    )
    assert_conflict(response, "Identifikasi (diperpanjang)", "Catatan tab kedua")
    world.stage.refresh_from_db()
    assert world.stage.name == "Identifikasi (diperpanjang)" and world.stage.description == ""


def test_closing_a_stage_meanwhile_is_never_reverted_by_an_open_form(world, client_for):
    url = f"/tahapan/{world.stage.pk}/ubah/"
    stale = open_form(client_for("planner"), url)
    assert stale["state"] == [Stage.State.OPEN]
    answer = client_for("planner").post(f"/tahapan/{world.stage.pk}/status/", {"state": "closed"})
    assert answer.status_code == 302
    response = client_for("planner").post(url, typed(stale, name="Nama baru"))
    assert_conflict(response, "Nama baru")
    world.stage.refresh_from_db()
    assert world.stage.state == Stage.State.CLOSED and world.stage.name != "Nama baru"
