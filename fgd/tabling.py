"""What the FGD page shows of the problems tabled for discussion, read in a fixed number of
queries however many are tabled."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from fgd.models import Input, Meeting, TabledProblem
from issues.models import Indicator, Problem, baseline_years
from rpjmd.models import User


@dataclass
class TabledEntry:
    """One tabled problem as the FGD page shows it, with its evidence."""

    tabled: TabledProblem
    problem: Problem
    years: list[int]
    indicators: list[tuple[Indicator, list]]
    input_count: int


def tabled_context(meeting: Meeting, user: User) -> dict:
    """The FGD page's tabled problems the user may read, grouped by bidang urusan and then
    agency, with their evidence; a fixed number of queries however many are tabled."""
    linked_inputs = (
        Input.objects.filter(meeting=meeting, problems=OuterRef("problem_id"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        meeting.tabled_problems.filter(problem__in=Problem.objects.visible_to(user))
        .select_related("problem__agency", "problem__affair", "problem__core_problem", "tabled_by")
        .prefetch_related("problem__root_causes", "problem__indicators", "problem__attachments")
        .annotate(input_count=Coalesce(Subquery(linked_inputs), 0))
        .order_by("problem__affair__code", "problem__agency__name", "problem__pk")
    )
    base_years = set(baseline_years(meeting.plan))
    entries = []
    for row in rows:
        indicators = list(row.problem.indicators.all())
        years = sorted(base_years | {int(y) for i in indicators for y in (i.values or {})})
        entries.append(
            TabledEntry(
                tabled=row,
                problem=row.problem,
                years=years,
                indicators=[(i, i.series(years)) for i in indicators],
                input_count=row.input_count,
            )
        )
    groups = [
        (
            affair,
            [
                (agency, list(by_agency))
                for agency, by_agency in groupby(in_affair, key=lambda e: e.problem.agency)
            ],
        )
        for affair, in_affair in groupby(entries, key=lambda e: e.problem.affair)
    ]
    return {
        "tabled_groups": groups,
        "tabled_count": len(entries),
        "tabled_hidden": meeting.tabled_problems.count() - len(entries),
        "visible_problem_ids": {e.problem.pk for e in entries},
    }
