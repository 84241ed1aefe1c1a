"""The strategic issues annex as XLSX: the ranking, the criteria and the full scoring matrix
(every rater × issue × criterion). Text goes through safe_cell (no formula injection)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from drafts.blocks import Cell, Table
from issues.models import Criterion, Rater, Score, StrategicIssue, StrategicSettings
from issues.spreadsheets import (
    BORDER,
    HEADER_FILL,
    HEADER_FONT,
    TITLE_FONT,
    safe_cell,
    workbook_bytes,
)
from issues.strategic import workflow as strategic
from rpjmd.models import Plan
from rpjmd.numbers import round_score


def _header(sheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column, value=safe_cell(label))
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER


def _round(value) -> Decimal | None:
    return round_score(value)


def results_workbook(plan: Plan) -> bytes:
    settings = StrategicSettings.for_plan(plan)
    criteria = list(Criterion.objects.filter(plan=plan))
    raters = list(Rater.objects.active().filter(plan=plan).select_related("user"))
    issues = list(StrategicIssue.objects.filter(plan=plan))
    rows = strategic.results(plan)
    workbook = Workbook()

    ranking = workbook.active
    ranking.title = _("Peringkat")
    ranking["A1"] = safe_cell(_("Peringkat isu strategis — %(plan)s") % {"plan": plan.title})
    ranking["A1"].font = TITLE_FONT
    ranking["A2"] = safe_cell(
        _("Skala %(low)s–%(high)s; skor = rata-rata penilai atas Σ bobot × nilai / Σ bobot.")
        % {"low": settings.scale_min, "high": settings.scale_max}
    )
    _header(
        ranking,
        4,
        [
            _("Peringkat"),
            _("Isu strategis"),
            _("Skor tertimbang"),
            _("Rentang antarpenilai"),
            _("Penilai belum lengkap"),
            _("Ditetapkan"),
        ],
    )
    for offset, row in enumerate(rows, start=5):
        values = [
            row.rank,
            row.issue.title,
            _round(row.score),
            _round(row.spread),
            ", ".join(u.full_name for u in row.missing),
            _("Ya") if row.issue.adopted_rank else "",
        ]
        for column, value in enumerate(values, start=1):
            ranking.cell(row=offset, column=column, value=safe_cell(value)).border = BORDER
    ranking.column_dimensions["B"].width = 70

    sheet = workbook.create_sheet(_("Kriteria"))
    _header(sheet, 1, [_("No."), _("Kriteria"), _("Bobot")])
    for number, criterion in enumerate(criteria, start=1):
        for column, value in enumerate([number, criterion.name, criterion.weight], start=1):
            sheet.cell(row=number + 1, column=column, value=safe_cell(value))
    sheet.column_dimensions["B"].width = 80

    matrix = workbook.create_sheet(_("Matriks penilaian"))
    _header(
        matrix,
        1,
        [_("Penilai"), _("Isu strategis")]
        + [f"{n}. {c.name}" for n, c in enumerate(criteria, start=1)]
        + [_("Nilai tertimbang")],
    )
    scores = {
        (rater, issue, criterion): value
        for rater, issue, criterion, value in Score.objects.filter(
            rater__plan=plan, rater__active=True
        ).values_list("rater_id", "issue_id", "criterion_id", "value")
    }
    totals = {row.issue.pk: row.rater_totals for row in rows}
    line = 2
    for rater in raters:
        for issue in issues:
            values = [rater.user.full_name, issue.title]
            values += [scores.get((rater.pk, issue.pk, c.pk)) for c in criteria]
            values.append(_round(totals.get(issue.pk, {}).get(rater.pk)))
            for column, value in enumerate(values, start=1):
                matrix.cell(row=line, column=column, value=safe_cell(value))
            line += 1
    matrix.column_dimensions["A"].width = 35
    matrix.column_dimensions["B"].width = 60
    return workbook_bytes(workbook)


def scoring_matrix(plan: Plan):
    """The full scoring matrix (rater × issue × criterion) as a table for the RPJMD's lampiran;
    None until the results are opened (nobody reads others' scores before that)."""

    if not StrategicSettings.for_plan(plan).results_open:
        return None
    criteria = list(Criterion.objects.filter(plan=plan))
    raters = list(Rater.objects.active().filter(plan=plan).select_related("user"))
    issues = list(StrategicIssue.objects.filter(plan=plan))
    totals = {row.issue.pk: row.rater_totals for row in strategic.results(plan)}
    scores = {
        (rater, issue, criterion): value
        for rater, issue, criterion, value in Score.objects.filter(
            rater__plan=plan, rater__active=True
        ).values_list("rater_id", "issue_id", "criterion_id", "value")
    }
    rows = []
    for rater in raters:
        for issue in issues:
            row = [Cell(rater.user.full_name), Cell(issue.title)]
            row += [scores.get((rater.pk, issue.pk, c.pk)) for c in criteria]
            total = totals.get(issue.pk, {}).get(rater.pk)
            row.append(round_score(total))
            rows.append(row)
    return Table(
        caption=_("Matriks penilaian isu strategis per penilai dan kriteria"),
        header=[
            [_("Penilai"), _("Isu strategis")]
            + [f"{n}. {c.name}" for n, c in enumerate(criteria, start=1)]
            + [_("Nilai tertimbang")]
        ],
        rows=rows,
        source=_("Penilaian isu strategis oleh perencana Bappeda dan narasumber"),
    )
