"""Tabling problems for an FGD: the planner picks submitted or accepted problems of the plan,
everyone invited reads them with their evidence, and untabling stops where the record starts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fgd.models import TabledProblem
from fgd.workflow import WorkflowError, close_meeting, table_problems
from issues.models import Problem
from tests.fgd.factories import (
    invite,
    make_input,
    make_meeting,
    scoped_meeting,
    table,
    tabled_problem,
)
from tests.issues.factories import affair, attach, make_indicator, make_problem
from tests.writes import changes_nothing

S = Problem.Status


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def health():
    return affair("1.02", "Kesehatan")


@pytest.fixture
def problems(world, health):
    """Problems of both agencies in every status, and one of the other pemda."""
    return {
        "school": make_problem(world.agency_a, status=S.SUBMITTED, statement="Putus sekolah SMP"),
        "teachers": make_problem(world.agency_a, status=S.ACCEPTED, statement="Guru belum merata"),
        "draft": make_problem(world.agency_a, statement="Draf perpustakaan desa"),
        "returned": make_problem(world.agency_a, status=S.RETURNED, statement="Data PAUD"),
        "stunting": make_problem(
            world.agency_b, status=S.SUBMITTED, affair=health, statement="Stunting tinggi"
        ),
        "clinic": make_problem(
            world.agency_b, status=S.ACCEPTED, affair=health, statement="Puskesmas jauh"
        ),
        "elsewhere": make_problem(
            world.other_staff.agency, status=S.SUBMITTED, statement="Masalah pemda lain"
        ),
    }


def tabled(meeting) -> set[str]:
    return set(meeting.tabled_problems.values_list("problem__statement", flat=True))


def test_the_planner_tables_the_ticked_problems(world, client_for, problems):
    meeting = scoped_meeting(world)
    picked = [problems["school"].pk, problems["clinic"].pk]
    response = client_for("planner").post(
        f"/fgd/{meeting.pk}/permasalahan/", {"problems": picked, "status": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/fgd/{meeting.pk}/permasalahan/"
    assert tabled(meeting) == {"Putus sekolah SMP", "Puskesmas jauh"}
    row = TabledProblem.objects.get(problem=problems["school"])
    assert row.tabled_by == world.planner and row.meeting == meeting


def test_the_list_offers_only_submitted_and_accepted_problems_of_the_plan(
    world, client_for, problems
):
    meeting = scoped_meeting(world)
    table(meeting, problems["teachers"])
    page = client_for("planner").get(f"/fgd/{meeting.pk}/permasalahan/").text
    for shown in ["Putus sekolah SMP", "Guru belum merata", "Stunting tinggi", "Puskesmas jauh"]:
        assert shown in page
    for hidden in ["Draf perpustakaan desa", "Data PAUD", "Masalah pemda lain"]:
        assert hidden not in page
    # Already tabled: no checkbox, a badge instead.
    assert f'name="problems" value="{problems["teachers"].pk}"' not in page
    assert f'name="problems" value="{problems["school"].pk}"' in page
    assert "4 permasalahan · 3 belum dibahas" in page


def test_the_filter_narrows_the_list_and_htmx_gets_only_the_list(
    world, client_for, problems, health
):
    meeting = scoped_meeting(world)
    planner = client_for("planner")
    page = planner.get(f"/fgd/{meeting.pk}/permasalahan/?urusan={health.pk}").text
    assert "Stunting tinggi" in page and "Putus sekolah SMP" not in page
    assert "Bahas semua (2) bidang Kesehatan" in page
    fragment = planner.get(
        f"/fgd/{meeting.pk}/permasalahan/?opd={world.agency_a.pk}", headers={"HX-Request": "true"}
    )
    assert "<html" not in fragment.text and 'id="candidates"' in fragment.text
    assert "Putus sekolah SMP" in fragment.text and "Stunting tinggi" not in fragment.text
    assert "Bahas semua (2) dari Disdikbud" in fragment.text


def test_tabling_all_of_a_bidang_urusan_is_one_action(world, client_for, problems, health):
    meeting = scoped_meeting(world)
    table(meeting, problems["stunting"])
    response = client_for("planner").post(
        f"/fgd/{meeting.pk}/permasalahan/", {"urusan": health.pk, "all": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/fgd/{meeting.pk}/permasalahan/?urusan={health.pk}"
    assert "1 permasalahan ditambahkan ke bahasan FGD." in response.text
    assert tabled(meeting) == {"Stunting tinggi", "Puskesmas jauh"}


def test_tabling_all_of_an_agency_takes_only_its_submitted_and_accepted_problems(
    world, client_for, problems
):
    meeting = scoped_meeting(world)
    response = client_for("planner").post(
        f"/fgd/{meeting.pk}/permasalahan/", {"opd": world.agency_a.pk, "all": "1"}
    )
    assert response.status_code == 302
    assert tabled(meeting) == {"Putus sekolah SMP", "Guru belum merata"}


def test_tabling_all_without_a_bidang_or_agency_is_refused(world, client_for, problems):
    meeting = scoped_meeting(world)
    response = client_for("planner").post(f"/fgd/{meeting.pk}/permasalahan/", {"all": "1"})
    assert response.status_code == 200
    assert "Pilih bidang urusan atau perangkat daerah sebelum membahas semuanya." in response.text
    assert not TabledProblem.objects.exists()


def test_ticking_nothing_is_refused_with_a_message(world, client_for, problems):
    meeting = scoped_meeting(world)
    response = client_for("planner").post(f"/fgd/{meeting.pk}/permasalahan/", {})
    assert response.status_code == 200
    assert "Pilih sedikitnya satu permasalahan untuk dibahas." in response.text


@pytest.mark.parametrize("which", ["draft", "returned", "elsewhere"])
def test_a_problem_that_is_not_submitted_or_accepted_in_this_plan_cannot_be_tabled(
    world, client_for, problems, which
):
    meeting = scoped_meeting(world)
    planner = client_for("planner")
    with changes_nothing():
        response = planner.post(
            f"/fgd/{meeting.pk}/permasalahan/",
            {"problems": [problems["school"].pk, problems[which].pk]},
        )
        assert response.status_code == 200
        assert f"Permasalahan #{problems[which].pk} tidak dapat dipilih" in response.text


def test_the_workflow_refuses_a_draft_whatever_the_caller(world, problems):
    meeting = scoped_meeting(world)
    with pytest.raises(WorkflowError, match="tidak dapat dibahas"):
        table_problems(
            meeting=meeting, problems=[problems["school"], problems["draft"]], by=world.planner
        )
    assert not TabledProblem.objects.exists()
    assert table_problems(meeting=meeting, problems=[problems["school"]], by=world.planner) == 1
    assert table_problems(meeting=meeting, problems=[problems["school"]], by=world.planner) == 0


def test_nothing_is_tabled_or_untabled_once_the_meeting_is_closed(world, client_for, problems):
    meeting = scoped_meeting(world)
    (row,) = table(meeting, problems["school"])
    close_meeting(meeting=meeting, by=world.planner)
    planner = client_for("planner")
    with changes_nothing():
        response = planner.get(f"/fgd/{meeting.pk}/permasalahan/", follow=True)
        assert "FGD sudah ditutup" in response.text
        planner.post(f"/fgd/{meeting.pk}/permasalahan/", {"problems": [problems["clinic"].pk]})
        planner.post(f"/permasalahan-dibahas/{row.pk}/hapus/")
    page = planner.get(f"/fgd/{meeting.pk}/").text
    assert "Putus sekolah SMP" in page
    assert "Pilih permasalahan" not in page and "Batal dibahas" not in page


def test_the_planner_untables_a_problem_while_the_meeting_is_open(world, client_for):
    row = tabled_problem(world, statement="Sekolah rusak")
    response = client_for("planner").post(f"/permasalahan-dibahas/{row.pk}/hapus/", follow=True)
    assert response.redirect_chain[-1][0] == f"/fgd/{row.meeting_id}/#permasalahan"
    assert "tidak lagi dibahas dalam FGD ini" in response.text
    assert not TabledProblem.objects.exists()
    assert Problem.objects.filter(pk=row.problem_id).exists()


def test_a_problem_an_input_concerns_stays_tabled(world, client_for):
    row = tabled_problem(world)
    make_input(row.meeting).problems.add(row.problem)
    response = client_for("planner").post(f"/permasalahan-dibahas/{row.pk}/hapus/", follow=True)
    assert "sudah dikaitkan dengan 1 masukan" in response.text
    assert TabledProblem.objects.filter(pk=row.pk).exists()


def test_the_fgd_page_groups_tabled_problems_by_bidang_then_agency_with_their_evidence(
    world, client_for, problems, health
):
    meeting = scoped_meeting(world)
    school = problems["school"]
    make_indicator(school, name="Angka putus sekolah SMP", values={"2017": "2.5", "2019": "1.75"})
    attach(school, "rekap-putus-sekolah.pdf", by=world.staff_a)
    table(meeting, problems["stunting"], school, problems["teachers"])
    page = client_for("planner").get(f"/fgd/{meeting.pk}/").text
    section = page[page.index('id="permasalahan"') : page.index('id="masukan"')]
    # Bidang urusan in code order (1.01 before 1.02), then each agency's problems.
    assert section.index("Pendidikan") < section.index("Putus sekolah SMP")
    assert section.index("Guru belum merata") < section.index("Kesehatan")
    assert section.index("Kesehatan") < section.index("Stunting tinggi")
    assert "Belum meratanya akses pendidikan" in section  # masalah pokok
    assert "Jarak ke sekolah jauh" in section  # akar masalah
    assert "Angka putus sekolah SMP" in section and "1,75" in section and "2,5" in section
    download = school.attachments.get()
    assert f"/lampiran/{download.pk}/unduh/" in section and "rekap-putus-sekolah.pdf" in section
    assert "Pilih permasalahan" in section and "Batal dibahas" in section


def test_invited_opd_staff_and_narasumber_read_the_tabled_problems_and_download_evidence(
    world, client_for, problems
):
    meeting = scoped_meeting(world)  # invites agency A and the narasumber, not agency B
    stunting = problems["stunting"]
    attach(stunting, "e-ppgbm.pdf", by=world.staff_b)
    table(meeting, stunting)
    download = stunting.attachments.get()
    for role in ["opd", "resource_person", "leader"]:
        client = client_for(role)
        page = client.get(f"/fgd/{meeting.pk}/").text
        assert "Stunting tinggi" in page and "e-ppgbm.pdf" in page, role
        assert "Pilih permasalahan" not in page and "Batal dibahas" not in page, role
        assert client.get(f"/permasalahan/{stunting.pk}/").status_code == 200, role
        assert client.get(f"/lampiran/{download.pk}/unduh/").status_code == 200, role
    # Reading is all: staff of agency A cannot change agency B's problem.
    assert client_for("opd").get(f"/permasalahan/{stunting.pk}/ubah/").status_code == 403


def test_invited_opd_staff_read_tabled_problems_even_when_problems_are_not_open_to_all(
    world, client_for, problems
):
    meeting = scoped_meeting(world)
    table(meeting, problems["stunting"])
    staff_a = client_for("opd")
    # Not tabled, not shared: agency B's other problem stays closed to agency A.
    assert staff_a.get(f"/permasalahan/{problems['clinic'].pk}/").status_code == 404
    assert staff_a.get(f"/permasalahan/{problems['stunting'].pk}/").status_code == 200
    listing = staff_a.get(f"/rencana/{world.plan.pk}/permasalahan/").text
    assert "Stunting tinggi" in listing and "Puskesmas jauh" not in listing


def test_staff_of_an_agency_not_invited_see_neither_the_fgd_nor_other_tabled_problems(
    world, client_for, problems
):
    meeting = scoped_meeting(world)
    table(meeting, problems["school"], problems["stunting"])
    staff_b = client_for("opd_b")
    assert staff_b.get(f"/fgd/{meeting.pk}/").status_code == 404
    assert staff_b.get(f"/permasalahan/{problems['school'].pk}/").status_code == 404
    # Their own agency's problem they always read.
    assert staff_b.get(f"/permasalahan/{problems['stunting'].pk}/").status_code == 200


def test_narasumber_see_exactly_the_problems_tabled_in_fgds_they_are_invited_to(
    world, client_for, problems
):
    mine = scoped_meeting(world)
    other = make_meeting(world.plan, title="FGD tanpa narasumber ini")
    invite(other, world.agency_a)
    table(mine, problems["school"], problems["stunting"])
    table(other, problems["clinic"])
    assert set(Problem.objects.visible_to(world.resource_person)) == {
        problems["school"],
        problems["stunting"],
    }
    client = client_for("resource_person")
    page = client.get(f"/permasalahan/{problems['school'].pk}/").text
    # Their way back is the FGD list: the problem list is not theirs.
    assert f'href="/rencana/{world.plan.pk}/fgd/"' in page
    assert f'href="/rencana/{world.plan.pk}/permasalahan/"' not in page
    assert client.get(f"/permasalahan/{problems['clinic'].pk}/").status_code == 404
    assert client.get(f"/permasalahan/{problems['teachers'].pk}/").status_code == 404
    # Uninvited from the FGD: its problems go with it.
    mine.invitations.filter(resource_person__isnull=False).delete()
    assert not Problem.objects.visible_to(world.resource_person).exists()


def test_administrators_see_that_problems_are_tabled_but_not_what_they_are(
    world, client_for, problems
):
    meeting = scoped_meeting(world)
    table(meeting, problems["school"])
    page = client_for("admin").get(f"/fgd/{meeting.pk}/").text
    assert "1 permasalahan dibahas; rinciannya hanya untuk peserta" in page
    assert "Putus sekolah SMP" not in page


def test_the_fgd_page_makes_the_same_number_of_queries_however_many_problems_are_tabled(
    world, client_for, django_assert_max_num_queries, health
):
    def fill(meeting, count):
        for n in range(count):
            problem = make_problem(
                world.agency_a if n % 2 else world.agency_b,
                status=S.SUBMITTED,
                affair=health if n % 3 else None,
                causes=("Sebab pertama", "Sebab kedua"),
            )
            make_indicator(problem)
            make_indicator(problem, name="Indikator kedua", values={"2014": "1"})
            attach(problem, f"bukti-{n}.pdf")
            table(meeting, problem)
            make_input(meeting).problems.add(problem)

    small, large = scoped_meeting(world), scoped_meeting(world)
    fill(small, 2)
    fill(large, 15)
    for role in ["planner", "opd", "resource_person"]:
        client = client_for(role)
        client.get(f"/fgd/{small.pk}/")  # warm the session
        with CaptureQueriesContext(connection) as few:
            assert client.get(f"/fgd/{small.pk}/").status_code == 200
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get(f"/fgd/{large.pk}/")
        assert page.text.count('class="tabled-problem"') == 15, role
