"""The two Excel templates of regional data and their imports.

Same rules as the problem import (issues/spreadsheets.py, whose helpers this reuses): errors
per row and column in Indonesian, and if any row is wrong nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from issues.spreadsheets import (
    TITLE_FONT,
    RowError,
    _decimal,
    _header,
    _text,
    safe_cell,
    workbook_bytes,
)
from issues.uploads import XLSX, check_upload
from regional import workflow
from regional.forms import parse_amount
from regional.models import (
    Account,
    Aspect,
    FinanceEntry,
    RegionalIndicator,
    evaluation_years,
    finance_years,
    indicator_years,
)
from rpjmd.models import Affair, Plan, User

HEADER_ROW = 4
MAX_ROWS = 500
LISTS = "Daftar"


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    saved: int = 0


def _read(upload: UploadedFile, sheet_name: str, expected: list[str]):
    """The rows under the header as tuples, or the reason the file is unusable."""
    try:
        check_upload(upload, allowed=(XLSX,))
    except ValidationError as error:
        return [], [RowError(0, "", " ".join(error.messages))]
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken file; all mean "unreadable"
        return [], [RowError(0, "", _("Berkas tidak dapat dibaca sebagai lembar kerja Excel."))]
    sheet = workbook[sheet_name] if sheet_name in workbook.sheetnames else workbook.worksheets[0]
    rows = list(sheet.iter_rows(min_row=HEADER_ROW, max_col=len(expected), values_only=True))
    workbook.close()
    found = [_text(v) for v in (rows[0] if rows else [])]
    if found[: len(expected)] != expected:
        message = _(
            "Judul kolom tidak sesuai templat. Unduh templat terbaru dari halaman impor dan salin "
            "isian Anda ke sana."
        )
        return [], [RowError(HEADER_ROW, "", message)]
    data = [
        (number, values)
        for number, values in enumerate(rows[1:], start=HEADER_ROW + 1)
        if any(_text(v) != "" for v in values)
    ]
    if len(data) > MAX_ROWS:
        return [], [RowError(0, "", _("Paling banyak %(n)s baris sekali impor.") % {"n": MAX_ROWS})]
    if not data:
        return [], [RowError(0, "", _("Templat belum berisi satu baris data pun."))]
    return data, []


def _title(sheet, title: str, hint: str) -> None:
    sheet["A1"] = safe_cell(title)
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = hint
    sheet["A2"].alignment = Alignment(wrap_text=False)


def _list_rule(sheet, column: int, list_column: str, count: int) -> None:
    letter = get_column_letter(column)
    rule = DataValidation(
        type="list",
        formula1=f"={LISTS}!${list_column}$1:${list_column}${count}",
        allow_blank=True,
        showErrorMessage=True,
        error=_("Pilih dari daftar."),
    )
    rule.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + MAX_ROWS}")
    sheet.add_data_validation(rule)


# --- Indikator kinerja daerah ------------------------------------------------------------------

INDICATOR_SHEET = "Indikator"
Series = RegionalIndicator.Series


def series_years(plan: Plan, series: str) -> list[int]:
    return evaluation_years(plan) if series == Series.EVALUATION else indicator_years(plan)


def indicator_columns(plan: Plan, series: str = Series.CONDITION) -> list[tuple[str, str]]:
    """(key, header) of the indicator template; a "*" marks the required columns."""
    years = series_years(plan, series)
    return [
        ("aspect", _("Aspek") + " *"),
        ("affair", _("Bidang urusan")),
        ("name", _("Indikator") + " *"),
        ("unit", _("Satuan") + " *"),
        ("polarity", _("Polaritas") + " *"),
        *((f"actual_{y}", _("Realisasi %(y)s") % {"y": y}) for y in years),
        *((f"target_{y}", _("Target %(y)s") % {"y": y}) for y in years),
        ("source", _("Sumber data") + " *"),
    ]


def indicator_template(
    plan: Plan, affairs: set[int] | None, series: str = Series.CONDITION
) -> bytes:
    """The workbook, pre-filled with the rows the user keeps (to update them in bulk)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = INDICATOR_SHEET
    columns = indicator_columns(plan, series)
    if series == Series.EVALUATION:
        first, last = plan.previous_period
        title = _("Evaluasi Capaian Indikator RPJMD %(first)s–%(last)s — %(plan)s") % {
            "first": first,
            "last": last,
            "plan": plan.title,
        }
    else:
        title = _("Indikator Kinerja Daerah — %(plan)s") % {"plan": plan.title}
    _title(
        sheet,
        title,
        _(
            "Satu baris satu indikator. Kolom bertanda * wajib; bidang urusan wajib untuk aspek "
            "pelayanan umum. Nilai berupa angka. Baris dengan aspek, urusan dan nama yang sama "
            "memperbarui indikator yang ada. Jangan ubah baris judul kolom."
        ),
    )
    _header(sheet, HEADER_ROW, [label for _key, label in columns])
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    for index in (1, 2, 3, len(columns)):
        sheet.column_dimensions[get_column_letter(index)].width = 34
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=4)

    choices = Affair.objects.all() if affairs is None else Affair.objects.filter(pk__in=affairs)
    lists = workbook.create_sheet(LISTS)
    values = [
        [str(label) for label in Aspect.labels],
        [str(a) for a in choices],
        [str(label) for label in RegionalIndicator.Polarity.labels],
    ]
    for column, items in enumerate(values, start=1):
        for row, value in enumerate(items, start=1):
            lists.cell(row=row, column=column, value=value)
    lists.sheet_state = "hidden"
    _list_rule(sheet, 1, "A", len(values[0]))
    if values[1]:
        _list_rule(sheet, 2, "B", len(values[1]))
    _list_rule(sheet, 5, "C", len(values[2]))

    rows = RegionalIndicator.objects.filter(plan=plan, series=series).select_related("affair")
    if affairs is not None:
        rows = rows.filter(affair_id__in=affairs)
    keys = [key for key, _label in columns]
    for number, indicator in enumerate(rows, start=HEADER_ROW + 1):
        cells = {
            "aspect": indicator.get_aspect_display(),
            "affair": str(indicator.affair) if indicator.affair_id else "",
            "name": indicator.name,
            "unit": indicator.unit,
            "polarity": indicator.get_polarity_display(),
            "source": indicator.source,
        }
        for year in series_years(plan, series):
            cells[f"actual_{year}"] = _float(indicator.actual(year))
            cells[f"target_{year}"] = _float(indicator.target(year))
        for column, key in enumerate(keys, start=1):
            sheet.cell(row=number, column=column, value=safe_cell(cells[key]))
    return workbook_bytes(workbook)


def _float(value: Decimal | None):
    return None if value is None else float(value)


def import_indicators(
    *,
    plan: Plan,
    upload: UploadedFile,
    by: User,
    affairs: set[int] | None,
    series: str = Series.CONDITION,
):
    """Each row creates or updates one indicator of the series (matched by aspect, urusan and
    name); if any row is wrong, nothing is saved."""
    columns = indicator_columns(plan, series)
    rows, errors = _read(upload, INDICATOR_SHEET, [label for _key, label in columns])
    if errors:
        return ImportResult(errors=errors)
    labels = dict(columns)
    aspects = {str(label).lower(): value for value, label in Aspect.choices}
    aspects |= {value: value for value in Aspect.values}
    polarities = {str(label).lower(): v for v, label in RegionalIndicator.Polarity.choices}
    known = {a.code: a for a in Affair.objects.all()}
    existing = {
        (i.aspect, i.affair_id, i.name.lower()): i
        for i in RegionalIndicator.objects.filter(plan=plan, series=series)
    }
    years = series_years(plan, series)
    keys = [key for key, _label in columns]
    parsed: list[RegionalIndicator] = []
    seen: dict[tuple, int] = {}
    for number, values in rows:
        raw = dict(zip(keys, values, strict=False))
        row_errors: list[RowError] = []

        def error(key: str, message: str, number=number, row_errors=row_errors) -> None:
            row_errors.append(RowError(number, labels[key].rstrip(" *"), message))

        def text(key: str, limit: int, required: bool = True, error=error, raw=raw) -> str:
            value = _text(raw.get(key))
            if required and not value:
                error(key, _("wajib diisi."))
            elif len(value) > limit:
                error(key, _("terlalu panjang (paling banyak %(n)s karakter).") % {"n": limit})
            return value

        aspect_text = text("aspect", 100)
        aspect = aspects.get(aspect_text.lower()) if aspect_text else None
        if aspect_text and aspect is None:
            error("aspect", _("pilih dari daftar."))
        affair_text = _text(raw.get("affair"))
        affair = known.get(affair_text.split(" ")[0]) if affair_text else None
        if affair_text and affair is None:
            error(
                "affair", _("“%(v)s” bukan bidang urusan yang dikenal.") % {"v": affair_text[:60]}
            )
        elif affair is None and (aspect == Aspect.SERVICES or affairs is not None):
            error("affair", _("wajib diisi untuk indikator ini."))
        elif affair is not None and affairs is not None and affair.pk not in affairs:
            error("affair", _("bukan bidang urusan perangkat daerah Anda."))
        name, unit = text("name", 300), text("unit", 50)
        polarity_text = text("polarity", 20)
        polarity = polarities.get(polarity_text.lower()) if polarity_text else None
        if polarity_text and polarity is None:
            error("polarity", _("pilih “Naik baik” atau “Turun baik”."))
        source = text("source", 300)
        figures: dict[str, dict[str, str]] = {"actual": {}, "target": {}}
        for prefix in figures:
            for year in years:
                try:
                    value = _decimal(raw.get(f"{prefix}_{year}"))
                except ValueError:
                    error(f"{prefix}_{year}", _("harus berupa angka."))
                    continue
                if value is not None:
                    figures[prefix][str(year)] = str(value)

        key = (aspect, affair.pk if affair else None, name.lower())
        if not row_errors and key in seen:
            error("name", _("sama dengan baris %(n)s.") % {"n": seen[key]})
        seen.setdefault(key, number)
        indicator = existing.get(key)
        locked = indicator is not None and not indicator.is_editable_by_agency
        if not row_errors and locked and affairs is not None:
            error("name", _("sudah diterima Bappeda; minta perencana untuk mengubahnya."))
        if row_errors:
            errors += row_errors
            continue
        indicator = indicator or RegionalIndicator(
            plan=plan, series=series, aspect=aspect, affair=affair
        )
        indicator.name, indicator.unit, indicator.polarity = name, unit, polarity
        indicator.source = source
        kept_actuals = {k: v for k, v in indicator.actuals.items() if int(k) not in years}
        kept_targets = {k: v for k, v in indicator.targets.items() if int(k) not in years}
        indicator.actuals = kept_actuals | figures["actual"]
        indicator.targets = kept_targets | figures["target"]
        parsed.append(indicator)
    if errors:
        return ImportResult(errors=errors)
    with transaction.atomic():
        for indicator in parsed:
            workflow.save_indicator(indicator, by=by)
    return ImportResult(saved=len(parsed))


# --- Realisasi APBD ----------------------------------------------------------------------------

FINANCE_SHEET = "Realisasi APBD"


def finance_columns(plan: Plan) -> list[str]:
    return [_("Kode"), _("Kelompok akun"), *(str(y) for y in finance_years(plan))]


def finance_template(plan: Plan) -> bytes:
    """One row per account group, one column per year, pre-filled with today's figures."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = FINANCE_SHEET
    _title(
        sheet,
        _("Realisasi APBD (Rp) — %(plan)s") % {"plan": plan.title},
        _(
            "Isi realisasi dalam rupiah penuh, tanpa pemisah ribuan atau dengan titik. Sel kosong "
            "berarti belum ada angka (nilai yang ada dihapus). Jangan ubah kolom Kode."
        ),
    )
    _header(sheet, HEADER_ROW, finance_columns(plan))
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 48
    years = finance_years(plan)
    for index in range(len(years)):
        sheet.column_dimensions[get_column_letter(index + 3)].width = 20
    amounts = {(e.year, e.account): e.amount for e in FinanceEntry.objects.filter(plan=plan)}
    for number, account in enumerate(Account, start=HEADER_ROW + 1):
        sheet.cell(row=number, column=1, value=account.value)
        sheet.cell(row=number, column=2, value=str(account.label))
        for index, year in enumerate(years):
            cell = sheet.cell(
                row=number, column=index + 3, value=_float(amounts.get((year, account)))
            )
            cell.number_format = "#,##0.00"
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)
    return workbook_bytes(workbook)


def import_finance(*, plan: Plan, upload: UploadedFile) -> ImportResult:
    """The grid replaces the plan's realised APBD, or, if any cell is wrong, nothing changes."""
    columns = finance_columns(plan)
    rows, errors = _read(upload, FINANCE_SHEET, columns)
    if errors:
        return ImportResult(errors=errors)
    years = finance_years(plan)
    accounts = {a.value: a for a in Account}
    cells: dict[tuple[int, str], Decimal | None] = {}
    seen: dict[str, int] = {}
    for number, values in rows:
        code = _text(values[0])
        if code not in accounts:
            errors.append(
                RowError(
                    number, columns[0], _("kode akun “%(v)s” tidak dikenal.") % {"v": code[:20]}
                )
            )
            continue
        if code in seen:
            errors.append(
                RowError(number, columns[0], _("sama dengan baris %(n)s.") % {"n": seen[code]})
            )
            continue
        seen[code] = number
        for index, year in enumerate(years):
            raw = values[index + 2] if len(values) > index + 2 else None
            try:
                amount = parse_amount(raw)
            except ValueError:
                errors.append(RowError(number, str(year), _("harus berupa angka.")))
                continue
            if amount is not None and amount < 0:
                errors.append(RowError(number, str(year), _("tidak boleh negatif.")))
                continue
            if amount is not None and abs(amount) >= Decimal(10) ** 18:
                errors.append(RowError(number, str(year), _("angka terlalu besar.")))
                continue
            cells[(year, code)] = amount.quantize(Decimal("0.01")) if amount is not None else None
    if errors:
        return ImportResult(errors=errors)
    saved = workflow.save_finance(plan=plan, cells=cells, update_settings=False)
    return ImportResult(saved=saved)
