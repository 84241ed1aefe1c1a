"""Strategic issues for tests: issues with accepted problems, criteria, raters and scores."""

from __future__ import annotations

from issues.models import (
    Criterion,
    Problem,
    Rater,
    Score,
    StrategicIssue,
    StrategicSettings,
)
from rpjmd.models import Plan, User
from tests.issues.factories import make_problem


def make_issue(plan: Plan, title: str = "Ketimpangan akses pendidikan", *, problems=(), **fields):
    issue = StrategicIssue.objects.create(plan=plan, title=title, **fields)
    if problems:
        issue.problems.add(*problems)
    return issue


def accepted(agency, plan=None, **fields) -> Problem:
    return make_problem(agency, plan=plan, status=Problem.Status.ACCEPTED, **fields)


def make_criteria(plan: Plan, weights=(60, 40)) -> list[Criterion]:
    return [
        Criterion.objects.create(plan=plan, order=n, name=f"Kriteria {n}", weight=w)
        for n, w in enumerate(weights, start=1)
    ]


def make_rater(plan: Plan, user: User) -> Rater:
    return Rater.objects.get_or_create(plan=plan, user=user)[0]


def score_all(rater: Rater, values: dict[StrategicIssue, list[int]]) -> None:
    criteria = list(Criterion.objects.filter(plan=rater.plan))
    for issue, row in values.items():
        for criterion, value in zip(criteria, row, strict=True):
            Score.objects.update_or_create(
                rater=rater, issue=issue, criterion=criterion, defaults={"value": value}
            )


def open_results(plan: Plan, is_open: bool = True) -> StrategicSettings:
    from issues.strategic.workflow import set_results_open

    return set_results_open(plan, is_open)
