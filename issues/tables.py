"""The official identification table of chapter IV: bidang urusan → masalah pokok → masalah →
akar masalah. One function builds it, for the XLSX export now and the document module later."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from issues.models import Problem, RootCause
from rpjmd.models import Affair, Plan, User


@dataclass
class ProblemRow:
    problem: Problem
    root_causes: list[str]

    @property
    def height(self) -> int:
        return max(1, len(self.root_causes))


@dataclass
class CoreProblemGroup:
    text: str
    agencies: list[str]
    problems: list[ProblemRow] = field(default_factory=list)

    @property
    def height(self) -> int:
        return sum(p.height for p in self.problems)


@dataclass
class AffairGroup:
    affair: Affair
    core_problems: list[CoreProblemGroup] = field(default_factory=list)

    @property
    def height(self) -> int:
        return sum(c.height for c in self.core_problems)


DEFAULT_STATUSES = (Problem.Status.ACCEPTED,)


def identification_table(
    plan: Plan, user: User | None, *, statuses: Iterable[str] = DEFAULT_STATUSES
) -> list[AffairGroup]:
    """Accepted problems the user may see, grouped as the RPJMD table groups them.

    `user=None` is the document itself: chapter IV lists every accepted problem of the plan,
    since accepted problems are part of the official draft.
    Ordered by bidang urusan code, then masalah pokok as first handed in, then problem; root
    causes in the agency's order. Three queries, whatever the size.
    """
    scope = Problem.objects.all() if user is None else Problem.objects.visible_to(user)
    problems = (
        scope.filter(plan=plan, status__in=list(statuses))
        .select_related("affair", "core_problem", "agency")
        .prefetch_related(
            Prefetch("root_causes", queryset=RootCause.objects.order_by("order", "pk"))
        )
        .order_by("affair__code", "core_problem_id", "pk")
    )
    groups: list[AffairGroup] = []
    by_core: dict[tuple[int, int], CoreProblemGroup] = {}
    for problem in problems:
        if not groups or groups[-1].affair.pk != problem.affair_id:
            groups.append(AffairGroup(problem.affair))
        key = (problem.affair_id, problem.core_problem_id)
        core = by_core.get(key)
        if core is None:
            core = CoreProblemGroup(problem.core_problem.text, [])
            by_core[key] = core
            groups[-1].core_problems.append(core)
        if problem.agency.short_name not in core.agencies:
            core.agencies.append(problem.agency.short_name)
        core.problems.append(ProblemRow(problem, [c.text for c in problem.root_causes.all()]))
    return groups


def numbered_problems(groups) -> dict[int, str]:
    """Problem id → its row number in the identification table ("1.2": the second problem of
    the first bidang urusan), as Tabel 4.1 prints it and the ranking of issues cites it."""
    numbers = {}
    for number, group in enumerate(groups, start=1):
        problems = [row.problem for core in group.core_problems for row in core.problems]
        for index, problem in enumerate(problems, start=1):
            numbers[problem.pk] = f"{number}.{index}"
    return numbers


def problem_numbers(plan: Plan) -> dict[int, str]:
    """Problem id → its row number in the identification table ("1.2")."""
    return numbered_problems(identification_table(plan, None))
