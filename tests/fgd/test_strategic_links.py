"""The FGD input <-> strategic issue link lives on fgd.Input (fgd sits above issues): the links
made before the move survive it, the linking page is served by fgd at the address users know,
and the problem visibility rule that issues writes with fgd's related names agrees with fgd's
own meeting visibility."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from fgd.models import Input, Meeting, TabledProblem
from issues.models import Problem, StrategicIssue
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
