"""The demo FGD of 7 March 2020: narasumber from the seed, attendance, inputs, signed record."""

import hashlib
import io

from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from fgd.models import Attendance, Input, Meeting, OfficialRecord, ResourcePerson, TabledProblem
from issues.models import Problem
from rpjmd.models import User
from tests.factories import sign_in


def test_the_demo_holds_the_seed_fgd_with_a_signed_berita_acara(demo):
    meeting = Meeting.objects.get(plan__start_year=2021)
    assert meeting.venue == "Hotel Astara, Balikpapan"
    assert meeting.starts_at.isoformat() == "2020-03-07T00:00:00+00:00"  # 08:00 WITA
    assert meeting.is_closed and meeting.stage.kind == "identification"
    assert meeting.purpose_list[0] == "Mengidentifikasi permasalahan pembangunan Kutai Kartanegara"
    names = set(ResourcePerson.objects.values_list("full_name", flat=True))
    assert names == {
        "Drs. Sumedi Andono Mulyo, MA, Ph.D",
        "Agus Manshur, SE, MA",
        "Muhyiddin, S.Sos, M.Sc",
    }
    assert ResourcePerson.objects.get(user__username="sumedi").full_name.startswith("Drs. Sumedi")
    agencies = set(Attendance.objects.exclude(agency=None).values_list("agency", flat=True))
    assert len(agencies) >= 10
    assert not Input.objects.pending().exists()
    record = OfficialRecord.objects.get()
    assert record.is_signed
    issued = record.pdf.open("rb").read()
    record.pdf.close()
    assert hashlib.sha256(issued).hexdigest() == record.pdf_sha256
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(issued)).pages)
    assert "Sabtu tanggal tujuh bulan Maret tahun dua ribu dua puluh" in text
    assert "KESATU" in text and "DRAF" not in text


def test_running_the_fgd_demo_again_changes_nothing(demo):
    Meeting.objects.filter(plan__start_year=2021).update(title="Judul diubah perencana")
    models = (Meeting, Attendance, Input, ResourcePerson, TabledProblem, Input.problems.through)
    counts = [m.objects.count() for m in models]
    call_command("demo", "--quiet")
    assert [m.objects.count() for m in models] == counts
    assert Meeting.objects.get(plan__start_year=2021).title == "Judul diubah perencana"


def test_the_demo_narasumber_sees_the_fgd_and_its_minutes(demo):
    client = Client()
    sign_in(client, User.objects.get(username="sumedi"))
    meeting = Meeting.objects.get(plan__start_year=2021)
    page = client.get(f"/fgd/{meeting.pk}/notulensi/").text
    assert "Permendagri 86/2017" in page


def links() -> set[tuple[str, str]]:
    return {
        (item.text[:30], problem.agency.short_name)
        for item in Input.objects.prefetch_related("problems__agency")
        for problem in item.problems.all()
    }


def test_the_demo_fgd_discusses_the_demo_problems_and_its_inputs_concern_them(demo):
    meeting = Meeting.objects.get(plan__start_year=2021)
    handed_in = Problem.objects.filter(plan=meeting.plan).exclude(status=Problem.Status.DRAFT)
    assert set(meeting.tabled_problems.values_list("problem", flat=True)) == set(
        handed_in.values_list("pk", flat=True)
    )
    stunting = Input.objects.get(text__startswith="Stunting diusulkan")
    assert [p.agency.short_name for p in stunting.problems.all()] == ["Dinkes"]
    assert stunting.problems.get().statement.startswith("Prevalensi balita stunting")
    assert len(links()) == 6
    # The narasumber reads exactly those problems, and the issued record names them.
    sumedi = User.objects.get(username="sumedi")
    assert set(Problem.objects.visible_to(sumedi).filter(plan=meeting.plan)) == set(handed_in)
    client = Client()
    sign_in(client, sumedi)
    page = client.get(f"/permasalahan/{stunting.problems.get().pk}/").text
    assert "Masukan FGD" in page and "Stunting diusulkan menjadi isu strategis" in page
    record = OfficialRecord.objects.get()
    text = " ".join(p.extract_text() for p in PdfReader(record.pdf.open("rb")).pages)
    record.pdf.close()
    assert "Permasalahan terkait" in text


def test_the_demo_tables_problems_in_an_fgd_demo_loaded_before_tabling_existed(demo):
    tabled = set(TabledProblem.objects.values_list("meeting", "problem"))
    linked = links()
    issued = OfficialRecord.objects.get().pdf_sha256
    # A database from before: the same FGD, nothing tabled, no input linked.
    for item in Input.objects.all():
        item.problems.clear()
    TabledProblem.objects.filter(meeting__plan__start_year=2021).delete()
    call_command("demo", "--quiet")
    assert set(TabledProblem.objects.values_list("meeting", "problem")) == tabled
    assert links() == linked
    assert OfficialRecord.objects.get().pdf_sha256 == issued  # the issued record is untouched


def test_the_demo_leaves_the_planners_choice_of_tabled_problems_alone(demo):
    kept = TabledProblem.objects.exclude(problem__agency__short_name__in=["DPU", "Dinkes"])
    for item in Input.objects.all():
        item.problems.remove(*Problem.objects.filter(agency__short_name__in=["DPU", "Dinkes"]))
    TabledProblem.objects.filter(problem__agency__short_name__in=["DPU", "Dinkes"]).delete()
    before, linked = set(kept.values_list("pk", flat=True)), links()
    call_command("demo", "--quiet")
    assert set(TabledProblem.objects.values_list("pk", flat=True)) == before
    assert links() == linked


def test_the_narasumbers_potensi_from_the_fgd_of_7_march_is_tabled_in_chapter_four(demo):
    # Issue 17: what Drs. Sumedi said about the region's potensi, recorded from his input.
    from drafts.models import Section
    from fgd.demo import POTENTIAL_INPUT
    from issues.blocks import potentials_and_problems
    from issues.models import Potential

    said = Input.objects.select_related("meeting", "resource_person__user").get(
        text=POTENTIAL_INPUT
    )
    assert said.meeting.starts_at.astimezone(said.meeting.zone).date().isoformat() == "2020-03-07"
    assert said.resource_person.user.username == "sumedi"
    recorded = list(said.potentials.order_by("affair__code"))
    assert [p.affair.code for p in recorded] == ["3.25", "3.27"]
    assert all(p.agency is None and p.created_by.username == "sumedi" for p in recorded)
    plan = said.meeting.plan
    rows = [[c.text for c in row] for row in potentials_and_problems(plan).rows]
    assert any(p.title in text for p in recorded for row in rows for text in row)
    chapter_four = Section.objects.get(
        chapter__document__plan=plan, chapter__number="IV", title="Permasalahan Pembangunan"
    )
    assert 'data-block="potensi_permasalahan"' in chapter_four.body
    # The near-duplicate the planner finds beside Dinkes' stunting problem, tabled too.
    village = Problem.objects.get(agency__short_name="DPMD")
    assert village.status == Problem.Status.SUBMITTED and village.fgd_tablings.exists()
    count = Potential.objects.count()
    call_command("demo", "--quiet")
    assert Potential.objects.count() == count
    assert Problem.objects.filter(agency__short_name="DPMD").count() == 1
