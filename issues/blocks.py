"""Data blocks this module offers the document (see drafts/blocks.py)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drafts.blocks import Cell, Table, register
from issues.models import StrategicSettings
from issues.strategic import workflow as strategic
from issues.tables import identification_table
from rpjmd.models import Plan


@register(
    "permasalahan",
    gettext_lazy("Tabel identifikasi permasalahan pembangunan"),
    group=gettext_lazy("Permasalahan"),
)
def problem_identification(plan: Plan, params: str = "") -> Table:
    """Chapter IV's table: bidang urusan → masalah pokok → masalah → akar masalah, merged
    vertically as the RPJMD table is, from the accepted problems of the plan."""
    rows: list[list] = []
    for number, group in enumerate(identification_table(plan, None), start=1):
        affair_cells = [
            Cell(str(number), rowspan=group.height),
            Cell(f"{group.affair.code} {group.affair.name}", rowspan=group.height),
        ]
        for core in group.core_problems:
            core_cell = [Cell(f"{core.text} ({', '.join(core.agencies)})", rowspan=core.height)]
            for row in core.problems:
                causes = row.root_causes or ["–"]
                problem_cell = [Cell(row.problem.statement, rowspan=row.height)]
                for index, cause in enumerate(causes):
                    lead = affair_cells + core_cell + problem_cell
                    rows.append([*lead, Cell(cause)] if index == 0 else [Cell(cause)])
                    affair_cells, core_cell, problem_cell = [], [], []
    return Table(
        caption=_("Identifikasi permasalahan pembangunan daerah menurut bidang urusan"),
        header=[
            [_("No."), _("Bidang urusan"), _("Masalah pokok"), _("Masalah"), _("Akar masalah")]
        ],
        rows=rows,
        source=_("Permasalahan yang diterima Bappeda dari perangkat daerah"),
    )


@register(
    "isu_strategis",
    gettext_lazy("Peringkat isu strategis daerah"),
    group=gettext_lazy("Permasalahan"),
)
def strategic_issues(plan: Plan, params: str = "") -> Table:
    """Section 4.2: every strategic issue with its weighted score and rank, adopted ones marked.
    Scores appear only once the planner has opened the results (before that: issues only)."""

    shown = StrategicSettings.for_plan(plan).results_open
    rows: list[list] = []
    for row in strategic.results(plan):
        score = None
        if shown and row.score is not None:
            exact = Decimal(row.score.numerator) / Decimal(row.score.denominator)
            score = exact.quantize(Decimal("0.01"))
        rows.append(
            [
                str(row.rank) if shown and row.rank else "–",
                row.issue.title,
                score or "–",
                row.issue.lead_agency.short_name if row.issue.lead_agency else "–",
                _("Ditetapkan") if row.issue.adopted_rank else "–",
            ]
        )
    return Table(
        caption=_("Isu strategis daerah menurut skor tertimbang"),
        header=[
            [_("Peringkat"), _("Isu strategis"), _("Skor tertimbang"), _("Pengampu"), _("Status")]
        ],
        rows=rows,
        source=_("Penilaian isu strategis oleh perencana Bappeda dan narasumber"),
    )
