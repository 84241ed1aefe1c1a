"""Who sees which FGD: narasumber only theirs, OPD staff their agency's, nobody another region's."""

from fgd.models import FollowUp, Input, Meeting
from tests.fgd.factories import (
    invite,
    make_follow_up,
    make_meeting,
    make_resource_person,
    scoped_meeting,
)
from tests.writes import changes_nothing


def test_narasumber_see_only_the_fgds_they_are_invited_to(world, client_for):
    mine = scoped_meeting(world)
    other = make_meeting(world.plan, title="FGD Draf Rancangan Teknokratik")
    invite(other, world.agency_a, make_resource_person(world.region))
    client = client_for("resource_person")

    page = client.get(f"/rencana/{world.plan.pk}/fgd/").text
    assert f"/fgd/{mine.pk}/" in page
    assert "FGD Draf Rancangan Teknokratik" not in page
    assert client.get(f"/fgd/{other.pk}/").status_code == 404
    assert set(Meeting.objects.visible_to(world.resource_person)) == {mine}


def test_opd_staff_see_only_fgds_their_agency_is_invited_to(world, client_for):
    ours = scoped_meeting(world)
    theirs = make_meeting(world.plan, title="FGD Kesehatan")
    invite(theirs, world.agency_b)
    assert set(Meeting.objects.visible_to(world.staff_a)) == {ours}
    assert set(Meeting.objects.visible_to(world.staff_b)) == {theirs}
    assert client_for("opd").get(f"/fgd/{theirs.pk}/").status_code == 404
    page = client_for("opd").get(f"/rencana/{world.plan.pk}/fgd/").text
    assert "FGD Kesehatan" not in page


def test_planners_and_leaders_see_every_fgd_of_their_region_only(world):
    meeting = scoped_meeting(world)
    outsider = make_meeting(world.other_plan, stage=world.other_stage)
    assert set(Meeting.objects.visible_to(world.planner)) == {meeting}
    assert set(Meeting.objects.visible_to(world.leader)) == {meeting}
    assert set(Meeting.objects.visible_to(world.other_planner)) == {outsider}


def test_a_narasumber_records_their_own_input_as_themselves(world, client_for):
    meeting = scoped_meeting(world)
    other = make_resource_person(world.region)
    response = client_for("resource_person").post(
        f"/fgd/{meeting.pk}/masukan/baru/",
        # An attempt to speak for someone else is ignored: the author is the account's record.
        {
            "kind": "suggestion",
            "text": "Gunakan DTKS terbaru.",
            "resource_person": other.pk,
            "author_kind": "agency",
            "agency": world.agency_b.pk,
        },
    )
    assert response.status_code == 302
    item = Input.objects.get()
    assert item.resource_person.user == world.resource_person
    assert item.agency is None and item.created_by == world.resource_person


def test_the_planner_records_an_agency_input_with_its_speaker(world, client_for):
    meeting = scoped_meeting(world)
    response = client_for("planner").post(
        f"/fgd/{meeting.pk}/masukan/baru/",
        {
            "author_kind": "agency",
            "agency": world.agency_a.pk,
            "speaker": "Ahmad Fauzi",
            "resource_person": "",
            "kind": "data_correction",
            "text": "APK SMP 2019 keliru.",
        },
    )
    assert response.status_code == 302
    item = Input.objects.get()
    assert (item.agency, item.speaker, item.resource_person) == (
        world.agency_a,
        "Ahmad Fauzi",
        None,
    )
    assert item.author == "Disdikbud (Ahmad Fauzi)"


def test_an_input_without_an_author_is_refused_and_kept_in_the_form(world, client_for):
    meeting = scoped_meeting(world)
    response = client_for("planner").post(
        f"/fgd/{meeting.pk}/masukan/baru/",
        {"author_kind": "resource_person", "kind": "suggestion", "text": "Teks yang diketik"},
    )
    assert response.status_code == 200
    assert "Pilih siapa yang menyampaikan masukan ini." in response.text
    assert "Teks yang diketik" in response.text
    assert not Input.objects.exists()


def test_opd_staff_see_and_complete_only_their_agencys_follow_ups(world, client_for):
    meeting = scoped_meeting(world)
    invite(meeting, world.agency_b)
    ours = make_follow_up(meeting, world.agency_a, text="Data APK SMP")
    theirs = make_follow_up(meeting, world.agency_b, text="Data stunting")
    client = client_for("opd")
    page = client.get(f"/rencana/{world.plan.pk}/tindak-lanjut/").text
    assert "Data APK SMP" in page and "Data stunting" not in page
    assert "Data stunting" not in client.get(f"/fgd/{meeting.pk}/").text

    with changes_nothing():
        assert client.post(f"/tindak-lanjut/{theirs.pk}/selesai/", {"note": "x"}).status_code == 404

    response = client.post(f"/tindak-lanjut/{ours.pk}/selesai/", {"note": "Data dikirim 10/3."})
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.is_done and ours.done_by == world.staff_a and ours.done_note == "Data dikirim 10/3."
    assert not FollowUp.objects.get(pk=theirs.pk).is_done


def test_a_follow_up_needs_a_note_to_be_reported_done(world, client_for):
    follow_up = make_follow_up(scoped_meeting(world), world.agency_a)
    response = client_for("opd").post(f"/tindak-lanjut/{follow_up.pk}/selesai/", {"note": ""})
    assert response.status_code == 200
    follow_up.refresh_from_db()
    assert not follow_up.is_done


def test_phone_numbers_of_narasumber_are_shown_only_to_planners(world, client_for):
    meeting = scoped_meeting(world)
    person = meeting.invitations.get(resource_person__isnull=False).resource_person
    assert person.phone in client_for("planner").get("/narasumber/").text
    for role in ["opd", "resource_person", "leader"]:
        assert person.phone not in client_for(role).get(f"/fgd/{meeting.pk}/").text
    assert client_for("leader").get("/narasumber/").status_code == 403


def test_planner_gives_a_narasumber_an_account_that_sees_only_their_fgds(world, client_for):
    person = make_resource_person(world.region, full_name="Agus Manshur, SE, MA")
    meeting = make_meeting(world.plan)
    invite(meeting, person)
    make_meeting(world.plan, title="FGD lain")
    response = client_for("planner").post(
        f"/narasumber/{person.pk}/akun/", {"username": "agus.manshur"}
    )
    assert response.status_code == 200 and "Kata sandi awal" in response.text
    person.refresh_from_db()
    user = person.user
    assert user.username == "agus.manshur" and user.is_resource_person
    assert user.full_name == "Agus Manshur, SE, MA" and user.region == world.region
    assert list(Meeting.objects.visible_to(user)) == [meeting]


def test_planner_creates_an_fgd_and_invites_agencies_and_a_narasumber(world, client_for):
    planner = client_for("planner")
    response = planner.post(
        f"/rencana/{world.plan.pk}/fgd/baru/",
        {
            "stage": world.stage.pk,
            "title": "FGD Identifikasi Permasalahan",
            "purposes": "Mengidentifikasi permasalahan\n\nMerumuskan isu strategis",
            "starts_at": "2026-11-20T08:00",
            "ends_at": "2026-11-20T16:00",
            "venue": "Hotel Astara, Balikpapan",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.purpose_list == ["Mengidentifikasi permasalahan", "Merumuskan isu strategis"]
    assert meeting.starts_at.isoformat() == "2026-11-20T00:00:00+00:00"  # 08:00 WITA
    person = make_resource_person(world.region)
    response = planner.post(
        f"/fgd/{meeting.pk}/undangan/baru/",
        {"agencies": [world.agency_a.pk, world.agency_b.pk], "resource_persons": [person.pk]},
    )
    assert response.status_code == 302
    assert meeting.invitations.count() == 3
    assert world.staff_a.notifications.filter(message__contains="Anda diundang").exists()
    page = client_for("opd").get(f"/fgd/{meeting.pk}/").text
    assert "Jumat, 20 November 2026" in page and "08.00–16.00 WITA" in page


def test_an_fgd_must_end_after_it_starts_and_have_a_place(world, client_for):
    response = client_for("planner").post(
        f"/rencana/{world.plan.pk}/fgd/baru/",
        {
            "stage": world.stage.pk,
            "title": "FGD",
            "purposes": "Tujuan",
            "starts_at": "2026-11-20T16:00",
            "ends_at": "2026-11-20T08:00",
        },
    )
    assert response.status_code == 200
    assert "Waktu selesai harus setelah waktu mulai." in response.text
    assert "Isi tempat atau tautan daring." in response.text
    assert not Meeting.objects.exists()


def test_a_stage_of_another_plan_cannot_be_chosen(world, client_for):
    response = client_for("planner").post(
        f"/rencana/{world.plan.pk}/fgd/baru/",
        {
            "stage": world.other_stage.pk,
            "title": "FGD",
            "purposes": "Tujuan",
            "starts_at": "2026-11-20T08:00",
            "ends_at": "2026-11-20T16:00",
            "venue": "Tenggarong",
        },
    )
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_the_meeting_list_groups_by_stage_and_filters_with_htmx(
    world, client_for, django_assert_max_num_queries
):
    from rpjmd.models import Stage

    second = Stage.objects.create(
        plan=world.plan,
        order=2,
        name="FGD Draf Rancangan",
        kind="draft_fgd",
        opens_on=world.stage.opens_on,
        closes_on=world.stage.closes_on,
    )
    for n in range(5):
        make_meeting(world.plan, title=f"FGD identifikasi {n}")
        make_meeting(world.plan, stage=second, title=f"FGD draf {n}")
    planner = client_for("planner")
    with django_assert_max_num_queries(12):
        page = planner.get(f"/rencana/{world.plan.pk}/fgd/").text
    assert page.index("FGD Identifikasi Permasalahan") < page.index("FGD Draf Rancangan")
    fragment = planner.get(
        f"/rencana/{world.plan.pk}/fgd/?tahapan={second.pk}", headers={"HX-Request": "true"}
    ).text
    assert (
        "<html" not in fragment and "FGD draf 3" in fragment and "FGD identifikasi" not in fragment
    )
