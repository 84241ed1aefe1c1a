"""Stale problem and strategic-issue forms (issue 13): the second of two saves from forms opened
at the same version is refused with 409, writes nothing, and shows both sides."""

import datetime as dt

from django.urls import reverse

from issues import review
from issues.models import Criterion, Problem, StrategicIssue, StrategicSettings
from tests.issues.factories import make_problem
from tests.stale import assert_conflict, open_form, save_on_top, save_twice, typed

S = Problem.Status


def causes_of(problem):
    return list(problem.root_causes.order_by("order").values_list("text", flat=True))


def test_a_stale_problem_form_is_refused_and_the_first_save_stays(world, affairs, client_for):
    problem = make_problem(world.agency_a, causes=("Jarak ke sekolah jauh", "Guru kurang"))
    url = f"/permasalahan/{problem.pk}/ubah/"
    response = save_twice(
        client_for("opd"),
        client_for("opd"),
        url,
        mine={"statement": "Versi tab pertama", "causes-0-text": "Akar dari tab pertama"},
        theirs={"statement": "Versi tab kedua", "causes-1-text": "Akar dari tab kedua"},
    )
    page = assert_conflict(
        response, "Versi tab pertama", "Versi tab kedua", "Akar dari tab pertama"
    )
    assert "Akar dari tab kedua" in page  # what they typed is still in the form
    problem.refresh_from_db()
    assert problem.statement == "Versi tab pertama"
    assert causes_of(problem) == ["Akar dari tab pertama", "Guru kurang"]
    # One history row per real save: the creation and the first tab's save.
    assert problem.history.count() == 2
    assert problem.version == 2

    # Seen both: the second tab saves its values on top, knowingly.
    answer = save_on_top(client_for("opd"), page, url)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    problem.refresh_from_db()
    assert problem.statement == "Versi tab kedua"
    assert causes_of(problem) == ["Jarak ke sekolah jauh", "Akar dari tab kedua"]
    assert problem.history.count() == 3 and problem.version == 3


def test_a_status_change_meanwhile_makes_the_form_stale_and_is_never_reverted(
    world, affairs, client_for
):
    problem = make_problem(world.agency_a)
    url = f"/permasalahan/{problem.pk}/ubah/"
    stale = open_form(client_for("opd"), url)
    review.submit(problem=problem, by=world.staff_a, today=dt.date(2026, 11, 20))
    review.return_problem(problem=problem, by=world.planner, note="Lengkapi data Dapodik")
    problem.refresh_from_db()
    assert problem.status == S.RETURNED  # editable again, but not the row the form was read from

    response = client_for("opd").post(url, typed(stale, statement="Ditulis sebelum pengembalian"))
    assert_conflict(response, "Dikembalikan", "Ditulis sebelum pengembalian")
    problem.refresh_from_db()
    assert problem.status == S.RETURNED and problem.reviewer_note == "Lengkapi data Dapodik"
    assert problem.statement != "Ditulis sebelum pengembalian"


def test_a_form_posted_after_submission_keeps_the_typed_text_and_saves_nothing(
    world, affairs, client_for
):
    problem = make_problem(world.agency_a)
    url = f"/permasalahan/{problem.pk}/ubah/"
    stale = open_form(client_for("opd"), url)
    review.submit(problem=problem, by=world.staff_a, today=dt.date(2026, 11, 20))
    response = client_for("opd").post(url, typed(stale, statement="Terlambat satu klik"))
    page = assert_conflict(response, "Diajukan", "Terlambat satu klik")
    assert "tidak dapat diubah lagi" in page and "di atas versi tersimpan" not in page
    problem.refresh_from_db()
    assert problem.status == S.SUBMITTED and problem.statement != "Terlambat satu klik"


def test_a_problem_form_without_its_version_is_refused(world, affairs, client_for):
    problem = make_problem(world.agency_a)
    url = f"/permasalahan/{problem.pk}/ubah/"
    fields = open_form(client_for("opd"), url)
    del fields["seen_version"]
    response = client_for("opd").post(url, typed(fields, statement="Tanpa versi"))
    assert response.status_code == 200
    assert "tidak menyebut versi" in response.content.decode()
    problem.refresh_from_db()
    assert problem.statement != "Tanpa versi"


def test_a_stale_strategic_issue_form_is_refused(world, client_for):
    issue = StrategicIssue.objects.create(plan=world.plan, title="Kualitas SDM rendah")
    url = f"/isu-strategis/{issue.pk}/ubah/"
    response = save_twice(
        client_for("planner"),
        client_for("planner"),
        url,
        mine={"title": "Kualitas SDM belum merata"},
        theirs={"title": "SDM kurang berdaya saing"},
    )
    page = assert_conflict(response, "Kualitas SDM belum merata", "SDM kurang berdaya saing")
    issue.refresh_from_db()
    assert issue.title == "Kualitas SDM belum merata"
    assert issue.history.count() == 2
    assert save_on_top(client_for("planner"), page, url).status_code == 302
    issue.refresh_from_db()
    assert issue.title == "SDM kurang berdaya saing"


def test_a_stale_criteria_page_is_refused(world, client_for):
    StrategicSettings.objects.create(plan=world.plan)
    Criterion.objects.create(plan=world.plan, order=1, name="Dampak luas", weight=60)
    Criterion.objects.create(plan=world.plan, order=2, name="Janji politik", weight=40)
    url = reverse("strategic:criteria", args=[world.plan.pk])
    response = save_twice(
        client_for("planner"),
        client_for("planner"),
        url,
        mine={"criteria-0-name": "Dampak lintas wilayah"},
        theirs={"criteria-0-name": "Daya ungkit pembangunan"},
    )
    page = assert_conflict(response, "Dampak lintas wilayah (60)", "Daya ungkit pembangunan")
    assert list(Criterion.objects.values_list("name", flat=True)) == [
        "Dampak lintas wilayah",
        "Janji politik",
    ]
    assert save_on_top(client_for("planner"), page, url).status_code == 302
    assert Criterion.objects.filter(name="Daya ungkit pembangunan").exists()


def test_dropping_political_promises_meanwhile_makes_the_criteria_page_stale(world, client_for):
    StrategicSettings.objects.create(plan=world.plan)
    Criterion.objects.create(plan=world.plan, order=1, name="Dampak luas", weight=60)
    Criterion.objects.create(plan=world.plan, order=2, name="Janji politik", weight=40)
    url = reverse("strategic:criteria", args=[world.plan.pk])
    stale = open_form(client_for("planner"), url)
    dropped = client_for("planner").post(reverse("strategic:drop_political", args=[world.plan.pk]))
    assert dropped.status_code == 302
    response = client_for("planner").post(url, typed(stale, **{"criteria-0-weight": "50"}))
    assert_conflict(response, "Dampak luas (100)")
    assert list(Criterion.objects.values_list("name", "weight")) == [("Dampak luas", 100)]


def test_a_stale_form_naming_a_root_cause_deleted_meanwhile_gets_the_conflict(
    world, affairs, client_for
):
    problem = make_problem(world.agency_a, causes=("Jarak ke sekolah jauh", "Guru kurang"))
    url = f"/permasalahan/{problem.pk}/ubah/"
    response = save_twice(
        client_for("opd"),
        client_for("opd"),
        url,
        mine={"causes-1-text": ""},  # emptying a root cause deletes it
        theirs={"causes-1-text": "Guru kurang di daerah terpencil"},
    )
    page = assert_conflict(response, "Guru kurang di daerah terpencil")
    assert "sudah dihapus dalam versi tersimpan" in page
    assert causes_of(problem) == ["Jarak ke sekolah jauh"]


def test_the_conflict_page_escapes_both_sides(world, affairs, client_for):
    problem = make_problem(world.agency_a)
    url = f"/permasalahan/{problem.pk}/ubah/"
    response = save_twice(
        client_for("opd"),
        client_for("opd"),
        url,
        mine={"statement": "<img src=x onerror=alert(1)> tersimpan"},
        theirs={"statement": "<script>alert(2)</script> diketik"},
    )
    page = assert_conflict(response, "&lt;img src=x onerror=alert(1)&gt; tersimpan")
    assert "<img src=x" not in page and "<script>alert(2)" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt; diketik" in page
