"""The FGD input <-> strategic issue link lives on fgd.Input (fgd sits above issues): the links
made before the move survive it, the linking page is served by fgd at the address users know,
the problem visibility rule that issues writes with fgd's related names agrees with fgd's
own meeting visibility, and every link or unlink is in the input's history with who and when."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from fgd.models import Input, Meeting, TabledProblem
from fgd.workflow import link_inputs_to_issue
from issues.models import Problem, StrategicIssue
from issues.strategic import workflow as strategic
from tests.factories import make_user
from tests.fgd.factories import invite, make_input, make_meeting, scoped_meeting, table
from tests.issues.factories import make_problem
from tests.issues.strategic_factories import make_issue

BEFORE = [
    ("issues", "0007_strategic_issue_adoption_reason"),
    ("fgd", "0005_official_record_addendum"),
]
AFTER = [
    ("issues", "0008_fgd_input_link_moves_to_fgd"),
    ("fgd", "0006_input_strategic_issues_link"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_links_made_on_the_issue_side_survive_the_move_to_the_input(world):
    meeting = make_meeting(world.plan)
    linked, other = make_input(meeting, text="Usulan isu"), make_input(meeting, text="Lain")
    issue = make_issue(world.plan)
    try:
        old = _migrate(BEFORE)
        # Before the move the link belonged to the issue: write it that way.
        old_issue = old.get_model("issues", "StrategicIssue").objects.get(pk=issue.pk)
        old_issue.fgd_inputs.set([linked.pk])
        assert list(old_issue.fgd_inputs.values_list("pk", flat=True)) == [linked.pk]
    finally:
        _migrate(AFTER)
        # Back to the latest schema: the tests after this one (same database) need it.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert list(Input.objects.get(pk=linked.pk).strategic_issues.all()) == [issue]
    assert list(Input.objects.get(pk=other.pk).strategic_issues.all()) == []
    assert list(StrategicIssue.objects.get(pk=issue.pk).fgd_inputs.all()) == [linked]


def test_the_planner_links_inputs_on_the_fgd_page_at_the_issues_address(world, client_for):
    meeting = make_meeting(world.plan)
    first, second = make_input(meeting, text="Usulan A"), make_input(meeting, text="Usulan B")
    issue = make_issue(world.plan)
    url = reverse("fgd:strategic_inputs", args=[issue.pk])
    assert url == f"/isu-strategis/{issue.pk}/masukan-fgd/"
    planner = client_for("planner")

    response = planner.post(url, {"fgd_inputs": [first.pk, second.pk]})
    assert response.status_code == 302
    assert set(issue.fgd_inputs.all()) == {first, second}
    assert list(first.strategic_issues.all()) == [issue]
    page = planner.get(reverse("strategic:detail", args=[issue.pk])).text
    assert "Usulan A" in page and "Usulan B" in page

    # Nothing ticked is a real answer: every link goes.
    assert planner.post(url, {}).status_code == 302
    assert not issue.fgd_inputs.exists()


def test_an_input_of_another_plans_fgd_is_refused_and_nothing_changes(world, client_for):
    ours = make_input(make_meeting(world.plan), text="Usulan kita")
    theirs = make_input(make_meeting(world.other_plan, stage=world.other_stage), text="Lain")
    issue = make_issue(world.plan)
    issue.fgd_inputs.set([ours])

    response = client_for("planner").post(
        reverse("fgd:strategic_inputs", args=[issue.pk]), {"fgd_inputs": [ours.pk, theirs.pk]}
    )
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.text
    assert list(issue.fgd_inputs.all()) == [ours]


def _through_meetings(user) -> set[int]:
    """fgd's own rule: problems tabled in a meeting the user sees, drafts excluded."""
    return set(
        TabledProblem.objects.filter(meeting__in=Meeting.objects.visible_to(user))
        .exclude(problem__status=Problem.Status.DRAFT)
        .values_list("problem_id", flat=True)
    )


def _through_related_names(user) -> set[int]:
    """issues' rule, written with the related names fgd adds to Problem."""
    q = type(Problem.objects.all())._tabled_at_invited_fgds(user)
    return set(Problem.objects.filter(q).values_list("pk", flat=True))


def test_the_problem_rule_by_related_names_agrees_with_the_meeting_visibility(world):
    scoped = scoped_meeting(world)  # agency A and the narasumber invited
    by_name = make_meeting(world.plan, title="FGD undangan pribadi")
    noted = make_meeting(world.plan, title="FGD notulis", notulis=world.staff_b)
    elsewhere = make_meeting(world.other_plan, stage=world.other_stage)
    guest = make_user("opd", agency=world.agency_b, username="tamu")
    invite(by_name, guest)
    s = Problem.Status
    table(scoped, make_problem(world.agency_b, status=s.SUBMITTED, statement="Stunting"))
    table(scoped, make_problem(world.agency_b, status=s.DRAFT, statement="Draf"))
    table(by_name, make_problem(world.agency_a, status=s.ACCEPTED, statement="Jalan"))
    table(noted, make_problem(world.agency_a, status=s.SUBMITTED, statement="Air"))
    other_agency = world.other_staff.agency
    table(elsewhere, make_problem(other_agency, status=s.SUBMITTED, statement="Kota"))

    for user in [
        world.staff_a,
        world.staff_b,
        guest,
        world.resource_person,
        world.other_staff,
    ]:
        assert _through_related_names(user) == _through_meetings(user), user.username
    assert len(_through_related_names(world.staff_a)) == 1
    assert len(_through_related_names(guest)) == 1
    assert len(_through_related_names(world.staff_b)) == 1


def _link_rows(item: Input):
    """The input's history rows written for a link change, oldest first."""
    return list(
        item.history.filter(history_type="~")
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def _issues_in(record) -> list[int]:
    return sorted(record.strategic_issues.values_list("strategicissue_id", flat=True))


def test_linking_and_unlinking_on_the_page_is_in_the_inputs_history(world, client_for):
    meeting = make_meeting(world.plan)
    first, second = make_input(meeting, text="Usulan A"), make_input(meeting, text="Usulan B")
    issue = make_issue(world.plan)
    url = reverse("fgd:strategic_inputs", args=[issue.pk])
    planner = client_for("planner")

    started = timezone.now()
    assert planner.post(url, {"fgd_inputs": [first.pk, second.pk]}).status_code == 302
    linked = timezone.now()
    assert planner.post(url, {"fgd_inputs": [second.pk]}).status_code == 302
    unlinked = timezone.now()

    link, unlink = _link_rows(first)
    assert [link.history_user, unlink.history_user] == [world.planner, world.planner]
    assert started <= link.history_date <= linked <= unlink.history_date <= unlinked
    assert _issues_in(link) == [issue.pk]
    assert _issues_in(unlink) == []
    change = unlink.diff_against(link)
    assert change.changed_fields == ["strategic_issues"]
    [(was, now)] = [(c.old, c.new) for c in change.changes]
    assert [row["strategicissue"] for row in was] == [issue.pk] and now == []
    # Left linked by the second save: one row, from when it was linked.
    [kept] = _link_rows(second)
    assert kept.history_user == world.planner and _issues_in(kept) == [issue.pk]


def test_a_merge_records_the_inputs_moving_and_the_absorbed_link_going(world):
    meeting = make_meeting(world.plan)
    item = make_input(meeting, kind="strategic_issue", text="Usulan isu pendidikan")
    keep = make_issue(world.plan, "Pendidikan")
    absorb = make_issue(world.plan, "Mutu guru")
    absorb.fgd_inputs.add(item)
    absorbed = absorb.pk  # delete() clears it

    # Outside a request: the user comes from the workflow's `by`, not the middleware.
    strategic.merge(keep=keep, absorb=absorb, by=world.planner)

    linked_by_factory, moved, absorbed_gone = _link_rows(item)
    assert linked_by_factory.history_user is None
    assert _issues_in(moved) == sorted([keep.pk, absorbed])
    assert _issues_in(absorbed_gone) == [keep.pk]
    assert moved.history_user == absorbed_gone.history_user == world.planner


def test_clearing_from_the_issue_side_names_the_inputs_that_lose_the_link(world):
    item = make_input(make_meeting(world.plan), text="Usulan")
    issue = make_issue(world.plan)
    issue.fgd_inputs.add(item)
    issue._history_user = world.planner

    issue.fgd_inputs.clear()

    cleared = _link_rows(item)[-1]
    assert cleared.history_user == world.planner and _issues_in(cleared) == []


@pytest.mark.django_db(transaction=True)
def test_links_made_before_their_history_are_kept_and_get_one_baseline_row(world):
    item = make_input(make_meeting(world.plan), text="Usulan lama")
    issue = make_issue(world.plan)
    try:
        old = _migrate([("fgd", "0008_input_points_at_potential")])
        old.get_model("fgd", "Input").objects.get(pk=item.pk).strategic_issues.add(issue.pk)
        _migrate([("fgd", "0009_input_link_history")])
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert list(Input.objects.get(pk=item.pk).strategic_issues.all()) == [issue]
    [baseline] = _link_rows(item)
    assert baseline.history_user is None and baseline.history_change_reason
    assert _issues_in(baseline) == [issue.pk]

    # The first real change is compared with the baseline, not with nothing.
    link_inputs_to_issue(issue=issue, inputs=[], by=world.planner)
    unlink = _link_rows(item)[-1]
    assert unlink.history_user == world.planner
    assert unlink.diff_against(baseline).changed_fields == ["strategic_issues"]
    assert _issues_in(unlink) == []
