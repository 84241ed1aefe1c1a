"""Data blocks this module offers the document (see drafts/blocks.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drafts.blocks import Cell, Table, register
from issues.models import StrategicIssue, StrategicSettings
from issues.permissions import can_view_strategic
from issues.strategic import workflow as strategic
from issues.tables import identification_table, numbered_problems, problem_numbers
from rpjmd.models import Plan, User
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
                _("Permasalahan terkait (nomor pada Tabel 4.1)"),
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
                    _(
                        "Permasalahan terkait merujuk nomor baris tabel identifikasi permasalahan "
                        "pembangunan (Tabel 4.1)."
                    )
                ),
                " ".join([str(_("Catatan:")), *reasons]) if reasons else "",
                str(partial_note(viewer, allowed)),
            ]
            if part
        ),
    )
