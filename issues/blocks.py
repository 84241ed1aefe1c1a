"""Data blocks this module offers the document (see drafts/blocks.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drafts.blocks import Cell, Table, cite, register
from issues.models import Potential, Problem, StrategicIssue, StrategicSettings
from issues.permissions import can_view_strategic
from issues.strategic import workflow as strategic
from issues.tables import (
    DEFAULT_STATUSES,
    identification_table,
    numbered_problems,
    problem_numbers,
)
from rpjmd.models import Affair, Plan, User
from rpjmd.numbers import round_score


def partial_note(viewer: User | None, sees_all: bool) -> str:
    # Said in the browser only: the PDF export and snapshots build the block complete.
    if viewer is None or sees_all:
        return ""
    return _(
        "Hanya data yang boleh Anda lihat yang ditampilkan; dokumen yang diterbitkan "
        "memuatnya lengkap."
    )


@register(
    "permasalahan",
    gettext_lazy("Tabel identifikasi permasalahan pembangunan"),
    group=gettext_lazy("Permasalahan"),
    per_viewer=True,
)
def problem_identification(plan: Plan, params: str = "", *, viewer: User | None = None) -> Table:
    """Chapter IV's table: bidang urusan → masalah pokok → masalah → akar masalah, merged
    vertically as the RPJMD table is, from the accepted problems of the plan; for a `viewer`,
    only those the problem list shows them (Problem.objects.visible_to)."""
    rows: list[list] = []
    # Numbers come from the complete table, as the document prints it, whoever reads.
    complete = identification_table(plan, None)
    numbers = numbered_problems(complete)
    group_numbers = {group.affair.pk: n for n, group in enumerate(complete, start=1)}
    groups = complete if viewer is None else identification_table(plan, viewer)
    for group in groups:
        number = group_numbers[group.affair.pk]
        affair_cells = [
            Cell(str(number), rowspan=group.height),
            Cell(f"{group.affair.code} {group.affair.name}", rowspan=group.height),
        ]
        for core in group.core_problems:
            core_cell = [Cell(f"{core.text} ({', '.join(core.agencies)})", rowspan=core.height)]
            for row in core.problems:
                causes = row.root_causes or ["–"]
                # "1.2": the second problem of the first bidang urusan; the ranking of strategic
                # issues cites problems by these numbers.
                problem_cell = [
                    Cell(f"{numbers[row.problem.pk]} {row.problem.statement}", rowspan=row.height)
                ]
                for index, cause in enumerate(causes):
                    lead = affair_cells + core_cell + problem_cell
                    rows.append([*lead, Cell(cause)] if index == 0 else [Cell(cause)])
                    affair_cells, core_cell, problem_cell = [], [], []
    return Table(
        caption=_("Identifikasi Permasalahan Pembangunan Daerah menurut Bidang Urusan"),
        header=[
            [_("No."), _("Bidang urusan"), _("Masalah pokok"), _("Masalah"), _("Akar masalah")]
        ],
        rows=rows,
        source=_("Permasalahan yang diterima Bappeda dari perangkat daerah"),
        note=partial_note(viewer, viewer is not None and (viewer.is_planner or viewer.is_leader)),
    )


@register(
    "isu_strategis",
    gettext_lazy("Peringkat isu strategis daerah"),
    group=gettext_lazy("Permasalahan"),
    per_viewer=True,
)
def strategic_issues(plan: Plan, params: str = "", *, viewer: User | None = None) -> Table:
    """Section 4.2: every strategic issue with its weighted score and rank, adopted ones marked.
    Scores appear only once the planner has opened the results (before that: issues only).
    A `viewer` who may not open the strategic-issue pages (OPD staff) gets no rows."""

    shown = StrategicSettings.for_plan(plan).results_open
    allowed = viewer is None or can_view_strategic(viewer, plan)
    numbers = problem_numbers(plan)
    linked: dict[int, list[str]] = {}
    for issue_id, problem_id in StrategicIssue.problems.through.objects.filter(
        strategicissue__plan=plan
    ).values_list("strategicissue_id", "problem_id"):
        if problem_id in numbers:
            linked.setdefault(issue_id, []).append(numbers[problem_id])
    rows: list[list] = []
    reasons: list[str] = []
    for row in strategic.results(plan) if allowed else []:
        if row.issue.adopted_rank and row.issue.adoption_reason:
            reasons.append(
                _("“%(issue)s” ditetapkan dengan catatan: %(reason)s")
                % {"issue": row.issue.title, "reason": row.issue.adoption_reason}
            )
        cited = sorted(linked.get(row.issue.pk, []), key=lambda n: tuple(map(int, n.split("."))))
        score = None
        if shown and row.score is not None:
            score = round_score(row.score)
        rows.append(
            [
                str(row.rank) if shown and row.rank else "–",
                row.issue.title,
                score or "–",
                ", ".join(cited) or "–",
                row.issue.lead_agency.short_name if row.issue.lead_agency else "–",
                _("Ditetapkan") if row.issue.adopted_rank else "–",
            ]
        )
    return Table(
        caption=_("Isu Strategis Daerah menurut Skor Tertimbang"),
        header=[
            [
                _("Peringkat"),
                _("Isu strategis"),
                _("Skor tertimbang"),
                _("Permasalahan terkait (nomor pada %(table)s)") % {"table": cite("permasalahan")},
                _("Pengampu"),
                _("Status"),
            ]
        ],
        rows=rows,
        source=_("Penilaian isu strategis oleh perencana Bappeda dan narasumber"),
        note=" ".join(
            part
            for part in [
                str(
                    _("Permasalahan terkait merujuk nomor baris pada %(table)s.")
                    % {"table": cite("permasalahan")}
                ),
                " ".join([str(_("Catatan:")), *reasons]) if reasons else "",
                str(partial_note(viewer, allowed)),
            ]
            if part
        ),
    )


@register(
    "potensi_permasalahan",
    gettext_lazy("Tabel potensi dan permasalahan per bidang urusan"),
    group=gettext_lazy("Permasalahan"),
    per_viewer=True,
)
def potentials_and_problems(plan: Plan, params: str = "", *, viewer: User | None = None) -> Table:
    """The usual Bab II/IV table: for each bidang urusan, the region's potensi (strengths and
    opportunities) beside its accepted problems, cited by their number in the identification
    table. For a `viewer`, only the potensi and problems their own pages would show them."""
    potentials = Potential.objects.filter(plan=plan)
    problems = Problem.objects.filter(plan=plan, status__in=list(DEFAULT_STATUSES))
    if viewer is not None:
        potentials = potentials.filter(pk__in=Potential.objects.visible_to(viewer).values("pk"))
        problems = problems.filter(pk__in=Problem.objects.visible_to(viewer).values("pk"))
    numbers = problem_numbers(plan)
    by_affair: dict[int, tuple[Affair, list[str], list[str]]] = {}
    for potential in potentials.select_related("affair").order_by("affair__code", "kind", "pk"):
        entry = by_affair.setdefault(potential.affair_id, (potential.affair, [], []))
        entry[1].append(f"{potential.title} ({potential.get_kind_display().lower()})")
    for problem in problems.select_related("affair").order_by("affair__code", "pk"):
        entry = by_affair.setdefault(problem.affair_id, (problem.affair, [], []))
        number = numbers.get(problem.pk)
        entry[2].append(f"{number} {problem.statement}" if number else problem.statement)
    rows: list[list] = []
    ordered = sorted(by_affair.values(), key=lambda entry: entry[0].code)
    for index, (affair, strengths, troubles) in enumerate(ordered, start=1):
        height = max(len(strengths), len(troubles), 1)
        for line in range(height):
            cells = []
            if line == 0:
                cells = [
                    Cell(str(index), rowspan=height),
                    Cell(f"{affair.code} {affair.name}", rowspan=height),
                ]
            cells += [
                Cell(strengths[line] if line < len(strengths) else "–"),
                Cell(troubles[line] if line < len(troubles) else "–"),
            ]
            rows.append(cells)
    sees_all = viewer is not None and (viewer.is_planner or viewer.is_leader)
    return Table(
        caption=_("Potensi dan permasalahan pembangunan daerah menurut bidang urusan"),
        header=[[_("No."), _("Bidang urusan"), _("Potensi"), _("Permasalahan")]],
        rows=rows,
        source=_(
            "Potensi yang dicatat perangkat daerah dan narasumber FGD; permasalahan yang "
            "diterima Bappeda (nomor pada %(table)s)"
        )
        % {"table": cite("permasalahan")},
        note=partial_note(viewer, sees_all),
    )
