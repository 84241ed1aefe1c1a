"""Potensi and faktor pendorong/penghambat (issue 17): recording with evidence, who may edit
what, the history, the link from FGD inputs and strategic issues, and the data block."""

from __future__ import annotations

import pytest

from drafts.blocks import REGISTRY, render_table
from issues.models import Attachment, Factor, Potential, Problem
from tests.fgd.factories import make_input, scoped_meeting
from tests.issues.factories import affair, make_potential, make_problem, pdf_bytes, upload
from tests.xss import XSS_PAYLOADS, assert_no_injection

S = Problem.Status


def potential_data(affair_pk: int, **overrides) -> dict:
    return {
        "kind": "opportunity",
        "affair": affair_pk,
        "title": "Lahan pertanian pangan berkelanjutan 120 ribu hektare",
        "description": "Lahan sawah dan ladang yang belum tergarap.",
        "source": "RTRW Kabupaten Kutai Kartanegara",
    } | overrides


def test_opd_records_its_agencys_potensi_with_evidence(world, client_for, affairs):
    opd = client_for("opd")
    data = potential_data(affairs["education"].pk)
    data["attachments"] = [upload("peta-lahan.pdf", pdf_bytes("Peta lahan"))]
    response = opd.post(f"/rencana/{world.plan.pk}/potensi/baru/", data)
    assert response.status_code == 302
    potential = Potential.objects.get()
    assert potential.agency == world.agency_a and potential.created_by == world.staff_a
    assert potential.kind == Potential.Kind.OPPORTUNITY
    (attachment,) = potential.attachments.all()
    assert attachment.problem is None and attachment.original_name == "peta-lahan.pdf"
    page = opd.get(response["Location"])
    assert "Lahan pertanian pangan" in page.text and "peta-lahan.pdf" in page.text
    download = opd.get(f"/lampiran/{attachment.pk}/unduh/")
    assert download.status_code == 200
    # Another agency neither reads the potensi nor its evidence.
    other = client_for("opd_b")
    assert other.get(f"/potensi/{potential.pk}/").status_code == 404
    assert other.get(f"/lampiran/{attachment.pk}/unduh/").status_code == 404


def test_a_refused_file_keeps_what_was_typed_and_stores_nothing(world, client_for, affairs):
    data = potential_data(affairs["education"].pk)
    data["attachments"] = [upload("bukan.pdf", b"<html><script>alert(1)</script></html>")]
    response = client_for("opd").post(f"/rencana/{world.plan.pk}/potensi/baru/", data)
    assert response.status_code == 200
    assert "Lahan pertanian pangan berkelanjutan" in response.text
    assert not Potential.objects.exists() and not Attachment.objects.exists()


def test_a_blank_potensi_is_refused_in_indonesian(world, client_for, affairs):
    response = client_for("opd").post(
        f"/rencana/{world.plan.pk}/potensi/baru/", potential_data(affairs["education"].pk, title="")
    )
    assert response.status_code == 200 and "Bidang ini tidak boleh kosong." in response.text
    assert not Potential.objects.exists()


def test_who_edits_which_potensi(world, client_for):
    own = make_potential(world.plan, agency=world.agency_a, by=world.staff_a)
    theirs = make_potential(world.plan, agency=world.agency_b, by=world.staff_b)
    opd = client_for("opd")
    assert opd.get(f"/potensi/{own.pk}/ubah/").status_code == 200
    assert opd.get(f"/potensi/{theirs.pk}/ubah/").status_code == 404
    planner = client_for("planner")
    assert planner.get(f"/potensi/{theirs.pk}/ubah/").status_code == 200
    assert client_for("leader").get(f"/potensi/{own.pk}/ubah/").status_code == 403
    # The list shows an agency only its own.
    listed = opd.get(f"/rencana/{world.plan.pk}/potensi/").context["potentials"]
    assert list(listed) == [own]


def test_editing_keeps_history_and_a_stale_form_answers_409(world, client_for):
    potential = make_potential(world.plan, agency=world.agency_a, by=world.staff_a)
    opd = client_for("opd")
    data = potential_data(potential.affair_id, seen_version=potential.version)
    assert opd.post(f"/potensi/{potential.pk}/ubah/", data).status_code == 302
    potential.refresh_from_db()
    assert potential.title.startswith("Lahan pertanian")
    latest = potential.history.first()
    assert latest.history_type == "~" and latest.history_user == world.staff_a
    # The same (now old) version again: nothing written, both sides shown.
    stale = opd.post(
        f"/potensi/{potential.pk}/ubah/", data | {"title": "Versi lama", "seen_version": 1}
    )
    assert stale.status_code == 409 and "Versi lama" in stale.text
    potential.refresh_from_db()
    assert potential.title.startswith("Lahan pertanian")
    assert potential.history.count() == 2
    page = client_for("planner").get(f"/potensi/{potential.pk}/")
    assert page.context["history"] and "Riwayat perubahan" in page.text


def test_a_narasumber_records_potensi_from_their_fgd_input(world, client_for, affairs):
    meeting = scoped_meeting(world)
    person = meeting.invitations.filter(resource_person__isnull=False).first().resource_person
    said = make_input(meeting, resource_person=person, text="Perikanan tangkap Mahakam kuat.")
    narasumber = client_for("resource_person")
    form = narasumber.get(f"/masukan/{said.pk}/potensi/")
    assert form.status_code == 200 and "Perikanan tangkap Mahakam kuat." in form.text
    assert meeting.title in form.context["form"].initial["source"]
    response = narasumber.post(
        f"/masukan/{said.pk}/potensi/",
        potential_data(affairs["education"].pk, title="Perikanan tangkap Sungai Mahakam"),
    )
    assert response.status_code == 302
    potential = Potential.objects.get()
    assert potential.agency is None and potential.created_by == world.resource_person
    assert list(said.potentials.all()) == [potential]
    # Theirs to read and edit; the FGD page names it beside the input.
    assert narasumber.get(f"/potensi/{potential.pk}/ubah/").status_code == 200
    fgd_page = client_for("planner").get(f"/fgd/{meeting.pk}/")
    assert "Perikanan tangkap Sungai Mahakam" in fgd_page.text
    # Another agency's input is not theirs to record from.
    agency_input = make_input(meeting, agency=world.agency_a)
    assert narasumber.get(f"/masukan/{agency_input.pk}/potensi/").status_code == 403


def test_strategic_issues_show_the_potensi_that_support_them(world, client_for):
    from tests.issues.strategic_factories import accepted, make_issue

    issue = make_issue(world.plan, problems=[accepted(world.agency_a)])
    potential = make_potential(world.plan, agency=world.agency_a, by=world.staff_a)
    planner = client_for("planner")
    data = {
        "title": issue.title,
        "description": "",
        "rationale": "",
        "lead_agency": "",
        "potentials": [potential.pk],
        "seen_version": issue.version,
    }
    assert planner.post(f"/isu-strategis/{issue.pk}/ubah/", data).status_code == 302
    assert list(issue.potentials.all()) == [potential]
    page = planner.get(f"/isu-strategis/{issue.pk}/")
    assert f'href="/potensi/{potential.pk}/"' in page.text
    assert issue.title in planner.get(f"/potensi/{potential.pk}/").text


def test_factors_are_ordered_lists_kept_with_history(world, client_for):
    problem = make_problem(world.agency_a, status=S.RETURNED)
    opd = client_for("opd")
    page = opd.get(f"/permasalahan/{problem.pk}/faktor/")
    seen = page.context["form"].initial["seen"]
    response = opd.post(
        f"/permasalahan/{problem.pk}/faktor/",
        {
            "driving": "Dana BOS daerah\n\n  Sekolah satu atap  ",
            "hindering": "Medan sungai sulit dijangkau",
            "seen": seen,
        },
    )
    assert response.status_code == 302
    driving = problem.factors.filter(kind=Factor.Kind.DRIVING)
    assert [(f.order, f.text) for f in driving] == [
        (1, "Dana BOS daerah"),
        (2, "Sekolah satu atap"),
    ]
    assert Factor.history.filter(problem_id=problem.pk).count() == 3
    detail = opd.get(f"/permasalahan/{problem.pk}/").text
    assert "Faktor penghambat" in detail and "Medan sungai sulit dijangkau" in detail
    # The form opened before that save is stale: nothing is written, the typed lists stay.
    stale = opd.post(
        f"/permasalahan/{problem.pk}/faktor/",
        {"driving": "Versi lama", "hindering": "", "seen": seen},
    )
    assert stale.status_code == 409 and "Versi lama" in stale.text
    assert problem.factors.count() == 3
    # Too many factors: an Indonesian error, nothing written.
    many = "\n".join(f"Faktor {n}" for n in range(25))
    fresh = opd.get(f"/permasalahan/{problem.pk}/faktor/").context["form"].initial["seen"]
    refused = opd.post(
        f"/permasalahan/{problem.pk}/faktor/", {"driving": many, "hindering": "", "seen": fresh}
    )
    assert refused.status_code == 200 and "Paling banyak 20 faktor" in refused.text
    assert problem.factors.count() == 3


def test_an_accepted_problem_is_frozen_for_its_agency_but_not_for_planners(world, client_for):
    problem = make_problem(world.agency_a, status=S.ACCEPTED)
    assert client_for("opd").get(f"/permasalahan/{problem.pk}/faktor/").status_code == 403
    assert client_for("planner").get(f"/permasalahan/{problem.pk}/faktor/").status_code == 200


def _block(plan, viewer=None):
    return REGISTRY["potensi_permasalahan"].build(plan, "", viewer=viewer)


def test_the_block_tables_potensi_beside_accepted_problems_per_urusan(world):
    education, health = affair("1.01", "Pendidikan"), affair("1.02", "Kesehatan")
    make_problem(world.agency_a, status=S.ACCEPTED, affair=education, statement="Putus sekolah")
    make_problem(world.agency_a, status=S.ACCEPTED, affair=education, statement="Guru kurang")
    make_problem(world.agency_b, status=S.SUBMITTED, affair=health, statement="Belum diterima")
    make_potential(world.plan, agency=world.agency_a, affair=education, title="Sekolah satu atap")
    make_potential(world.plan, agency=None, affair=health, title="Jamu tradisional")
    table = _block(world.plan)
    texts = [[c.text for c in row] for row in table.rows]
    assert texts[0][:2] == ["1", "1.01 Pendidikan"] and table.rows[0][0].rowspan == 2
    assert texts[0][2] == "Sekolah satu atap (kekuatan)" and texts[0][3] == "1.1 Putus sekolah"
    assert texts[1] == ["–", "1.2 Guru kurang"]
    # Health has a potensi but no accepted problem yet.
    assert texts[2] == ["2", "1.02 Kesehatan", "Jamu tradisional (kekuatan)", "–"]
    assert "Belum diterima" not in str(texts)
    assert table.source and "Potensi" in table.caption


def test_the_block_shows_a_reader_only_what_they_may_read(world):
    education = affair("1.01", "Pendidikan")
    make_potential(world.plan, agency=world.agency_a, affair=education, title="Milik A")
    make_potential(world.plan, agency=world.agency_b, affair=education, title="Milik B")
    for_a = str([[c.text for c in row] for row in _block(world.plan, world.staff_a).rows])
    assert "Milik A" in for_a and "Milik B" not in for_a
    assert _block(world.plan, world.staff_a).note
    assert not _block(world.plan, world.planner).note


def test_potensi_text_in_the_block_is_escaped(world):
    for payload in XSS_PAYLOADS[:5]:
        make_potential(world.plan, agency=world.agency_a, title=payload[:300])
    assert_no_injection(render_table(_block(world.plan)))


@pytest.mark.parametrize("role", ["leader", "resource_person"])
def test_readers_without_an_agency_do_not_record_potensi_on_the_page(world, client_for, role):
    assert client_for(role).get(f"/rencana/{world.plan.pk}/potensi/baru/").status_code == 403


def test_potential_permissions_refuse_outsiders_and_other_roles(world):
    from fgd.permissions import can_record_potential_from
    from issues.permissions import can_edit_factors, can_edit_potential

    agencys = make_potential(world.plan, agency=world.agency_a, by=world.staff_a)
    narasumbers = make_potential(world.plan, agency=None, by=world.resource_person)
    assert not can_edit_potential(world.other_planner, agencys)
    assert not can_edit_potential(world.admin, agencys)
    assert not can_edit_potential(world.resource_person, agencys)
    assert can_edit_potential(world.resource_person, narasumbers)
    assert not can_edit_potential(world.staff_a, narasumbers)
    problem = make_problem(world.agency_a, status=S.SUBMITTED)
    assert can_edit_factors(world.planner, problem) and not can_edit_factors(world.leader, problem)
    meeting = scoped_meeting(world)
    other_person_input = make_input(meeting, agency=world.agency_a)
    assert not can_record_potential_from(world.resource_person, other_person_input)
    assert not can_record_potential_from(world.other_planner, other_person_input)
