"""Review rules: which transitions are allowed, deadlines and extensions, merging duplicates."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from issues import review
from issues.models import DeadlineExtension, Problem, Transition
from rpjmd.models import Notification, Stage
from tests.issues.factories import make_problem

S = Problem.Status
IN_TIME = "2026-11-20 10:00 +0800"  # the world's stage runs 2 Nov – 11 Dec 2026 (WITA)
LATE = "2026-12-12 09:00 +0800"


def statuses(problem):
    return list(problem.transitions.values_list("from_status", "to_status"))


@time_machine.travel(IN_TIME, tick=False)
def test_staff_submit_a_draft_and_it_is_recorded_on_the_timeline(world):
    problem = make_problem(world.agency_a)
    review.submit(problem=problem, by=world.staff_a)
    problem.refresh_from_db()
    assert problem.status == S.SUBMITTED and problem.submitted_at is not None
    assert statuses(problem) == [(S.DRAFT, S.SUBMITTED)]
    assert problem.transitions.get().by == world.staff_a


@pytest.mark.parametrize(
    ("start", "action", "allowed"),
    [
        (S.SUBMITTED, "accept", True),
        (S.SUBMITTED, "return", True),
        (S.ACCEPTED, "return", True),  # a planner reopens an accepted problem
        (S.DRAFT, "accept", False),
        (S.DRAFT, "return", False),
        (S.RETURNED, "accept", False),
        (S.ACCEPTED, "accept", False),
        (S.RETURNED, "return", False),
    ],
)
def test_review_transitions_are_allowed_or_refused_with_a_message(world, start, action, allowed):
    problem = make_problem(world.agency_a, status=start)
    before = problem.transitions.count()
    if allowed:
        review.review(problem=problem, action=action, by=world.planner, note="Catatan")
        problem.refresh_from_db()
        assert problem.status == {"accept": S.ACCEPTED, "return": S.RETURNED}[action]
        assert problem.transitions.count() == before + 1
    else:
        with pytest.raises(ValidationError) as refused:
            review.review(problem=problem, action=action, by=world.planner, note="Catatan")
        assert "Hanya permasalahan" in refused.value.messages[0]
        problem.refresh_from_db()
        assert problem.status == start and problem.transitions.count() == before


def test_returning_needs_a_note_and_the_agency_is_notified(
    world, django_capture_on_commit_callbacks
):
    world.staff_a.email = "ahmad@disdikbud.invalid"
    world.staff_a.save()
    problem = make_problem(world.agency_a, status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="Tulis catatan"):
        review.return_problem(problem=problem, by=world.planner, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        review.return_problem(problem=problem, by=world.planner, note="Tambahkan data BPS 2019.")
    problem.refresh_from_db()
    assert problem.status == S.RETURNED and problem.reviewer_note == "Tambahkan data BPS 2019."
    note = Notification.objects.get(recipient=world.staff_a)
    assert (
        "dikembalikan dengan catatan" in note.message and note.url == f"/permasalahan/{problem.pk}/"
    )
    assert not Notification.objects.filter(recipient=world.staff_b).exists()
    assert mail.outbox[0].to == ["ahmad@disdikbud.invalid"]


def test_accepting_notifies_the_agency(world):
    problem = make_problem(world.agency_a, status=S.SUBMITTED)
    review.accept(problem=problem, by=world.planner)
    assert "diterima Bappeda" in Notification.objects.get(recipient=world.staff_a).message


@time_machine.travel(IN_TIME, tick=False)
def test_a_returned_problem_can_be_resubmitted(world):
    problem = make_problem(world.agency_a, status=S.RETURNED)
    review.submit(problem=problem, by=world.staff_a)
    problem.refresh_from_db()
    assert problem.status == S.SUBMITTED
    assert statuses(problem)[-1] == (S.RETURNED, S.SUBMITTED)


@time_machine.travel(IN_TIME, tick=False)
def test_only_the_owning_agency_submits_and_only_planners_review(world):
    problem = make_problem(world.agency_a)
    with pytest.raises(PermissionDenied):
        review.submit(problem=problem, by=world.staff_b)
    with pytest.raises(PermissionDenied):
        review.submit(problem=problem, by=world.planner)
    submitted = make_problem(world.agency_a, status=S.SUBMITTED)
    for outsider in (world.leader, world.staff_a, world.other_planner, world.resource_person):
        with pytest.raises(PermissionDenied):
            review.accept(problem=submitted, by=outsider)


@time_machine.travel(IN_TIME, tick=False)
def test_an_already_submitted_problem_cannot_be_submitted_again(world):
    problem = make_problem(world.agency_a, status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="Hanya draf"):
        review.submit(problem=problem, by=world.staff_a)


@time_machine.travel(IN_TIME, tick=False)
def test_an_incomplete_problem_is_refused_with_what_is_missing(world):
    problem = make_problem(world.agency_a, causes=(), districts=("Tenggarong",))
    problem.districts.clear()
    with pytest.raises(ValidationError) as refused:
        review.submit(problem=problem, by=world.staff_a)
    assert "Isi minimal satu akar masalah." in refused.value.messages
    assert any("kecamatan" in m for m in refused.value.messages)
    assert Problem.objects.get(pk=problem.pk).status == S.DRAFT


@time_machine.travel(LATE, tick=False)
def test_after_the_deadline_submission_is_refused_with_a_clear_message(world):
    problem = make_problem(world.agency_a)
    with pytest.raises(ValidationError) as refused:
        review.submit(problem=problem, by=world.staff_a)
    assert "Tenggat pengajuan telah lewat (11 Desember 2026)" in refused.value.messages[0]
    assert not Transition.objects.exists()


def test_the_deadline_day_counts_in_the_regions_time_zone(world):
    problem = make_problem(world.agency_a)
    # 23:30 WITA on the deadline is still 11 December in Kutai Kartanegara (15:30 UTC).
    with time_machine.travel("2026-12-11 15:30 +0000", tick=False):
        review.submit(problem=problem, by=world.staff_a)
    late = make_problem(world.agency_a)
    with (
        time_machine.travel("2026-12-11 16:30 +0000", tick=False),
        pytest.raises(ValidationError, match="Tenggat"),
    ):
        review.submit(problem=late, by=world.staff_a)


@time_machine.travel(LATE, tick=False)
def test_an_extension_lets_one_agency_submit_after_the_deadline(world):
    review.extend_deadline(
        stage=world.stage,
        agency=world.agency_a,
        until=dt.date(2026, 12, 18),
        reason="Data puskesmas belum lengkap",
        by=world.planner,
    )
    mine = make_problem(world.agency_a)
    review.submit(problem=mine, by=world.staff_a)
    assert Problem.objects.get(pk=mine.pk).status == S.SUBMITTED
    theirs = make_problem(world.agency_b)
    with pytest.raises(ValidationError, match="Tenggat"):
        review.submit(problem=theirs, by=world.staff_b)


def test_an_extension_ends_on_its_own_date(world):
    DeadlineExtension.objects.create(
        stage=world.stage, agency=world.agency_a, until=dt.date(2026, 12, 18), reason="x"
    )
    problem = make_problem(world.agency_a)
    with time_machine.travel("2026-12-19 09:00 +0800", tick=False), pytest.raises(ValidationError):
        review.submit(problem=problem, by=world.staff_a)


def test_an_extension_must_be_later_than_the_stage_deadline(world):
    with pytest.raises(ValidationError, match="setelah tenggat"):
        review.extend_deadline(
            stage=world.stage,
            agency=world.agency_a,
            until=dt.date(2026, 12, 1),
            reason="x",
            by=world.planner,
        )
    again = review.extend_deadline(
        stage=world.stage,
        agency=world.agency_a,
        until=dt.date(2026, 12, 20),
        reason="a",
        by=world.planner,
    )
    review.extend_deadline(
        stage=world.stage,
        agency=world.agency_a,
        until=dt.date(2026, 12, 24),
        reason="b",
        by=world.planner,
    )
    again.refresh_from_db()
    assert again.until == dt.date(2026, 12, 24)  # one extension per agency, replaced


@time_machine.travel(IN_TIME, tick=False)
def test_a_closed_or_missing_stage_refuses_submission(world):
    problem = make_problem(world.agency_a)
    world.stage.set_state(Stage.State.CLOSED)
    with pytest.raises(ValidationError, match="tidak sedang dibuka"):
        review.submit(problem=problem, by=world.staff_a)
    world.stage.delete()
    problem.refresh_from_db()
    assert problem.stage is None
    with pytest.raises(ValidationError, match="belum memiliki tahapan"):
        review.submit(problem=problem, by=world.staff_a)


def test_merging_a_duplicate_keeps_its_link_and_evidence(world):
    original = make_problem(world.agency_a, status=S.SUBMITTED)
    copy = make_problem(world.agency_b, status=S.SUBMITTED)
    review.mark_duplicate(problem=copy, original=original, by=world.planner, note="Sama dengan #1")
    copy.refresh_from_db()
    assert copy.status == S.DUPLICATE and copy.duplicate_of == original
    assert list(original.duplicates.all()) == [copy]
    assert statuses(copy)[-1] == (S.SUBMITTED, S.DUPLICATE)


def test_a_duplicate_must_point_at_a_submitted_original_of_the_same_plan(world):
    copy = make_problem(world.agency_b, status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="dirinya sendiri"):
        review.mark_duplicate(problem=copy, original=copy, by=world.planner)
    draft = make_problem(world.agency_a)
    with pytest.raises(ValidationError, match="sudah diajukan"):
        review.mark_duplicate(problem=copy, original=draft, by=world.planner)
    foreign = make_problem(world.other_staff.agency, status=S.SUBMITTED)
    with pytest.raises(ValidationError, match="rencana yang sama"):
        review.mark_duplicate(problem=copy, original=foreign, by=world.planner)
    assert Problem.objects.get(pk=copy.pk).status == S.SUBMITTED


def test_the_database_refuses_a_duplicate_without_its_original(world):
    from django.db import IntegrityError, transaction

    problem = make_problem(world.agency_a, status=S.SUBMITTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Problem.objects.filter(pk=problem.pk).update(status=S.DUPLICATE)


def test_bulk_review_is_all_or_nothing(world):
    good = make_problem(world.agency_a, status=S.SUBMITTED)
    draft = make_problem(world.agency_a)
    with pytest.raises(ValidationError, match="tidak ada yang diubah"):
        review.review_many(problems=[good, draft], action="accept", by=world.planner)
    assert Problem.objects.get(pk=good.pk).status == S.SUBMITTED
    assert not Transition.objects.filter(to_status=S.ACCEPTED).exists()
    assert review.review_many(problems=[good], action="accept", by=world.planner) == 1
