"""Inputs linked to the problems they concern: chosen among the FGD's tabled problems, shown on
the input, and listed as "Masukan FGD" on the problem's own page."""

import re

import pytest

from fgd.documents import document_html
from fgd.models import Input
from issues.models import Problem
from tests.fgd.factories import make_input, make_meeting, scoped_meeting, table
from tests.issues.factories import affair, make_problem
from tests.writes import changes_nothing

S = Problem.Status


@pytest.fixture
def setting(world):
    """The matrix FGD (agency A and the narasumber invited) with two tabled problems, one of
    agency B, which is not invited, and one submitted problem that is not tabled."""
    meeting = scoped_meeting(world)
    school = make_problem(world.agency_a, status=S.SUBMITTED, statement="Putus sekolah SMP")
    stunting = make_problem(
        world.agency_b,
        status=S.ACCEPTED,
        statement="Stunting tinggi",
        affair=affair("1.02", "Kesehatan"),
    )
    untabled = make_problem(world.agency_a, status=S.SUBMITTED, statement="Guru belum merata")
    table(meeting, school, stunting)
    return meeting, school, stunting, untabled


def agency_input(world, **fields):
    return {
        "author_kind": "agency",
        "agency": world.agency_a.pk,
        "speaker": "Ahmad Fauzi",
        "kind": "data_correction",
        "text": "Data putus sekolah 2019 perlu dipadankan dengan Dapodik.",
    } | fields


def test_the_planner_links_an_input_to_tabled_problems(world, client_for, setting):
    meeting, school, stunting, _ = setting
    response = client_for("planner").post(
        f"/fgd/{meeting.pk}/masukan/baru/", agency_input(world, problems=[school.pk, stunting.pk])
    )
    assert response.status_code == 302
    assert set(Input.objects.get().problems.all()) == {school, stunting}


def test_the_input_form_offers_only_the_problems_tabled_in_this_fgd(world, client_for, setting):
    meeting, school, stunting, untabled = setting
    page = client_for("planner").get(f"/fgd/{meeting.pk}/masukan/baru/").text
    assert "Putus sekolah SMP" in page and "Stunting tinggi" in page
    assert "Guru belum merata" not in page
    planner = client_for("planner")
    with changes_nothing():
        response = planner.post(
            f"/fgd/{meeting.pk}/masukan/baru/", agency_input(world, problems=[untabled.pk])
        )
        assert response.status_code == 200
        assert "Data putus sekolah 2019" in response.text  # what was typed comes back


def test_the_narasumber_links_their_own_input_to_a_tabled_problem(world, client_for, setting):
    meeting, _, stunting, untabled = setting
    narasumber = client_for("resource_person")
    page = narasumber.get(f"/fgd/{meeting.pk}/masukan/baru/").text
    assert "Stunting tinggi" in page and "Guru belum merata" not in page
    refused = narasumber.post(
        f"/fgd/{meeting.pk}/masukan/baru/",
        {"kind": "suggestion", "text": "Perkuat 1000 HPK.", "problems": [untabled.pk]},
    )
    assert refused.status_code == 200 and not Input.objects.exists()
    response = narasumber.post(
        f"/fgd/{meeting.pk}/masukan/baru/",
        {"kind": "suggestion", "text": "Perkuat 1000 HPK.", "problems": [stunting.pk]},
    )
    assert response.status_code == 302
    item = Input.objects.get()
    assert item.resource_person.user == world.resource_person
    assert list(item.problems.all()) == [stunting]


def test_without_tabled_problems_the_form_says_why_there_is_nothing_to_link(world, client_for):
    meeting = make_meeting(world.plan)
    page = client_for("planner").get(f"/fgd/{meeting.pk}/masukan/baru/").text
    assert 'name="problems"' not in page
    assert "Belum ada permasalahan yang dibahas dalam FGD ini" in page
    response = client_for("planner").post(f"/fgd/{meeting.pk}/masukan/baru/", agency_input(world))
    assert response.status_code == 302 and not Input.objects.get().problems.exists()


def test_answering_an_input_corrects_its_links(world, client_for, setting):
    meeting, school, stunting, _ = setting
    item = make_input(meeting)
    item.problems.add(school)
    planner = client_for("planner")
    page = planner.get(f"/masukan/{item.pk}/tanggapan/").text
    assert re.search(rf'name="problems" value="{school.pk}"[^>]* checked', page)
    assert not re.search(rf'name="problems" value="{stunting.pk}"[^>]* checked', page)
    response = planner.post(
        f"/masukan/{item.pk}/tanggapan/",
        {
            "response": "accepted",
            "response_reason": "",
            "landed_in": "Tabel permasalahan Dinkes",
            "problems": [stunting.pk],
            "seen_version": item.version,
        },
    )
    assert response.status_code == 302
    assert list(item.problems.all()) == [stunting]
    # Unlinked, the school problem may now leave the table.
    row = meeting.tabled_problems.get(problem=school)
    planner.post(f"/permasalahan-dibahas/{row.pk}/hapus/")
    assert not meeting.tabled_problems.filter(problem=school).exists()


def test_the_fgd_page_shows_which_problems_an_input_concerns(world, client_for, setting):
    meeting, school, stunting, _ = setting
    make_input(meeting, text="Pakai data Dapodik.").problems.add(school, stunting)
    for role in ["planner", "opd", "resource_person"]:
        page = client_for(role).get(f"/fgd/{meeting.pk}/").text
        inputs = page[page.index('id="masukan"') :]
        assert "Permasalahan terkait" in inputs, role
        assert f'href="/permasalahan/{school.pk}/"' in inputs, role
        assert f'href="/permasalahan/{stunting.pk}/"' in inputs, role
    section = page[page.index('id="permasalahan"') : page.index('id="masukan"')]
    assert "1 masukan" in section
    assert f"{school.number}" in document_html(meeting, "notulensi")


def test_the_problem_page_lists_the_fgd_inputs_that_concern_it(world, client_for, setting):
    meeting, _, stunting, _ = setting
    answered = make_input(meeting, text="Stunting perlu data e-PPGBM per desa.")
    answered.response, answered.response_reason = "partly", "Data per kecamatan dulu."
    answered.save()
    answered.problems.add(stunting)
    make_input(meeting, text="Masukan lain yang tidak terkait.")
    # Agency B owns the problem but was not invited: it reads what was said, not the FGD.
    owner = client_for("opd_b").get(f"/permasalahan/{stunting.pk}/").text
    box = owner[owner.index('id="masukan-fgd"') :]
    assert "Stunting perlu data e-PPGBM per desa." in box
    assert "Diterima sebagian" in box and "Data per kecamatan dulu." in box
    assert "Masukan lain yang tidak terkait." not in box
    assert meeting.title in box and f'href="/fgd/{meeting.pk}/' not in box
    for role in ["planner", "resource_person", "opd"]:
        page = client_for(role).get(f"/permasalahan/{stunting.pk}/").text
        assert "Stunting perlu data e-PPGBM per desa." in page, role
        assert f'href="/fgd/{meeting.pk}/#masukan"' in page, role


def test_a_problem_never_discussed_has_no_fgd_box(world, client_for, setting):
    *_, untabled = setting
    page = client_for("opd").get(f"/permasalahan/{untabled.pk}/").text
    assert 'id="masukan-fgd"' not in page


def test_a_tabled_problem_without_inputs_says_where_it_was_discussed(world, client_for, setting):
    meeting, school, *_ = setting
    page = client_for("opd").get(f"/permasalahan/{school.pk}/").text
    box = page[page.index('id="masukan-fgd"') :]
    assert meeting.title in box
    assert "Belum ada masukan FGD yang dikaitkan dengan permasalahan ini." in box
