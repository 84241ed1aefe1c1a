"""Excel in and out: the OPD template and its import, the identification table, the CSV export.

Every text cell we write goes through `safe_cell`: a value starting with =, +, -, @, a tab or a
carriage return would run as a formula in Excel or LibreOffice, so it gets a leading quote.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history

from issues.models import CoreProblem, Indicator, Problem, RootCause, baseline_years
from issues.tables import identification_table
from issues.uploads import XLSX, CheckedFile, check_upload, check_zip_sizes
from rpjmd.clock import format_time
from rpjmd.models import Affair, Agency, District, Plan, Stage, User

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
MAX_IMPORT_ROWS = 500
# Bounds on the parts of an imported workbook, checked before openpyxl opens it (see
# check_workbook): 500 rows of the longest texts the template allows stay under 8 MB.
MAX_IMPORT_PART_BYTES = 10 * 1024 * 1024
MAX_IMPORT_TOTAL_BYTES = 30 * 1024 * 1024
PROGRESS_EVERY = 25
ROOT_CAUSE_COLUMNS = 4
WHOLE_REGION = "Seluruh kabupaten"

TITLE_FONT = Font(bold=True, size=13)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B4F8A")
THIN = Side(style="thin", color="8795A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


def safe_cell(value):
    """Neutralise text that a spreadsheet would run as a formula; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.match(value):
        return "'" + value
    return value


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(sheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


# --- The template OPD staff fill in offline ------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int = 18
    required: bool = False


def template_columns(plan: Plan) -> list[Column]:
    columns = [
        Column("affair", _("Bidang urusan"), 30, True),
        Column("core_problem", _("Masalah pokok"), 36, True),
        Column("statement", _("Masalah"), 48, True),
    ]
    columns += [
        Column(f"cause_{n}", _("Akar masalah %(n)s") % {"n": n}, 36, n == 1)
        for n in range(1, ROOT_CAUSE_COLUMNS + 1)
    ]
    columns += [
        Column("districts", _("Kecamatan"), 28, True),
        Column("indicator", _("Indikator"), 30),
        Column("unit", _("Satuan"), 12),
    ]
    columns += [Column(f"year_{y}", str(y), 10) for y in baseline_years(plan)]
    columns += [
        Column("comparison_value", _("Nilai pembanding"), 14),
        Column("comparison_kind", _("Jenis pembanding"), 26),
        Column("source", _("Sumber data"), 30),
    ]
    return columns


HEADER_ROW = 4
# Rows past this one are never read (the template's lists reach row 504; blank rows between
# filled ones are fine up to here).
LAST_READ_ROW = HEADER_ROW + 10 * MAX_IMPORT_ROWS
SHEET = "Permasalahan"
LISTS = "Daftar"


def build_template(plan: Plan, agency: Agency) -> bytes:
    """A workbook pre-filled with the agency's bidang urusan and kecamatan as drop-down lists."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    columns = template_columns(plan)
    sheet["A1"] = _("Identifikasi Permasalahan Pembangunan Daerah — %(agency)s") % {
        "agency": agency.name
    }
    sheet["A1"].font = TITLE_FONT
    sheet["A2"] = _(
        "Satu baris satu masalah. Kolom bertanda * wajib. Beberapa kecamatan dipisah titik koma "
        "(;), atau pilih “%(whole)s”. Nilai tahunan berupa angka. Jangan ubah baris judul kolom."
    ) % {"whole": WHOLE_REGION}
    sheet["A2"].alignment = Alignment(wrap_text=False)
    _header(sheet, HEADER_ROW, [c.label + (" *" if c.required else "") for c in columns])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)

    lists = workbook.create_sheet(LISTS)
    affairs = list(agency.affairs.all()) or list(Affair.objects.all())
    districts = [
        WHOLE_REGION,
        *District.objects.filter(region_id=plan.region_id).values_list("name", flat=True),
    ]
    kinds = [str(label) for label in Indicator.ComparisonKind.labels]
    for column, values in enumerate([[str(a) for a in affairs], districts, kinds], start=1):
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=column, value=value)
    lists.sheet_state = "hidden"

    last = HEADER_ROW + MAX_IMPORT_ROWS
    keys = [c.key for c in columns]

    def validate(key: str, list_column: str, count: int, *, strict: bool = True) -> None:
        letter = get_column_letter(keys.index(key) + 1)
        rule = DataValidation(
            type="list",
            formula1=f"={LISTS}!${list_column}$1:${list_column}${count}",
            allow_blank=True,
            showErrorMessage=True,
            # Several kecamatan are typed with ";": warn about an unknown value, do not block.
            errorStyle="stop" if strict else "warning",
            error=_("Pilih dari daftar."),
        )
        rule.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
        sheet.add_data_validation(rule)

    validate("affair", "A", len(affairs))
    validate("districts", "B", len(districts), strict=False)
    validate("comparison_kind", "C", len(kinds))
    return workbook_bytes(workbook)


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedRow:
    row: int
    affair: Affair
    core_problem: str
    statement: str
    causes: list[str]
    whole_region: bool
    districts: list[District]
    indicator: dict | None


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: list[Problem] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _decimal(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    cleaned = str(value).strip().replace(" ", "")
    if "," in cleaned and "." in cleaned:  # 1.234,5 (Indonesian thousands)
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite():
        raise ValueError
    return number


def check_workbook(upload) -> CheckedFile:
    """An XLSX by content whose every part is small enough to read: what the web request checks
    before it queues an import, and the worker again before it reads.

    openpyxl parses the shared strings whole when it opens a workbook, and a sheet of a million
    rows takes minutes: a 1.35 MB file holding 96 MB of XML kept a worker busy for 145 s. A
    filled template of 500 rows is well under these bounds.
    """
    checked = check_upload(upload, allowed=(XLSX,))
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        check_zip_sizes(
            archive.infolist(),
            checked.name,
            max_total=MAX_IMPORT_TOTAL_BYTES,
            max_part=MAX_IMPORT_PART_BYTES,
        )
    upload.seek(0)
    return checked


def read_rows(
    plan: Plan, upload, progress: Callable[[int], None] | None = None
) -> tuple[list[dict], list[RowError]]:
    """The filled rows of the template as {column key: value}, or the reason it is unreadable.

    Streams the sheet (openpyxl read_only) and stops at the first row over the limit, so a
    huge sheet costs no more than a full one. `progress(rows)` is told every few rows.
    """
    try:
        check_workbook(upload)
    except ValidationError as error:
        return [], [RowError(0, "", " ".join(error.messages))]
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken file; all mean "unreadable"
        return [], [RowError(0, "", _("Berkas tidak dapat dibaca sebagai lembar kerja Excel."))]
    try:
        return _sheet_rows(plan, workbook, progress)
    except Exception:  # a part that is broken XML shows only once it is read
        return [], [RowError(0, "", _("Berkas tidak dapat dibaca sebagai lembar kerja Excel."))]
    finally:
        workbook.close()


def _sheet_rows(plan: Plan, workbook, progress) -> tuple[list[dict], list[RowError]]:
    columns = template_columns(plan)
    sheet = workbook[SHEET] if SHEET in workbook.sheetnames else workbook.worksheets[0]
    # read_only mode stops at the <dimension> the file declares: one that says A1:A2 would hide
    # every row. Read what is there instead.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(min_row=HEADER_ROW, max_col=len(columns), values_only=True)
    expected = [c.label + (" *" if c.required else "") for c in columns]
    found = [_text(v) for v in next(rows, ())]
    if found[: len(expected)] != expected:
        return [], [
            RowError(
                HEADER_ROW,
                "",
                _(
                    "Judul kolom tidak sesuai templat. Unduh templat terbaru dari halaman impor "
                    "dan salin isian Anda ke sana."
                ),
            )
        ]
    data = []
    for number, values in enumerate(rows, start=HEADER_ROW + 1):
        if number > LAST_READ_ROW:
            # openpyxl yields the rows missing before each row it finds, so getting here means
            # the sheet has a row below this one: refuse rather than read on or drop it.
            return [], [
                RowError(
                    number,
                    "",
                    _(
                        "Lembar kerja berisi baris sampai melewati baris %(n)s. Salin isian Anda "
                        "(paling banyak %(max)s baris) ke templat baru."
                    )
                    % {"n": LAST_READ_ROW, "max": MAX_IMPORT_ROWS},
                )
            ]
        if all(_text(v) == "" for v in values):
            continue
        if len(data) == MAX_IMPORT_ROWS:
            return [], [
                RowError(
                    number,
                    "",
                    _(
                        "Berkas berisi lebih dari %(n)s baris permasalahan; paling banyak %(n)s "
                        "baris sekali impor. Bagi isian menjadi beberapa berkas."
                    )
                    % {"n": MAX_IMPORT_ROWS},
                )
            ]
        data.append({"_row": number} | {c.key: v for c, v in zip(columns, values, strict=False)})
        if progress and len(data) % PROGRESS_EVERY == 0:
            progress(len(data))
    if not data:
        return [], [RowError(0, "", _("Templat belum berisi satu baris permasalahan pun."))]
    return data, []


class _RowReader:
    """One template row: its cells as text, and the errors found in them."""

    def __init__(self, raw: dict, columns: dict[str, Column]):
        self.raw, self.columns = raw, columns
        self.errors: list[RowError] = []

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.raw["_row"], str(self.columns[key].label), message))

    def text(self, key: str, limit: int) -> str:
        value = _text(self.raw.get(key))
        if self.columns[key].required and not value:
            self.error(key, _("wajib diisi."))
        elif len(value) > limit:
            self.error(key, _("terlalu panjang (paling banyak %(n)s karakter).") % {"n": limit})
        return value


def parse_rows(plan: Plan, rows: list[dict]) -> tuple[list[ParsedRow], list[RowError]]:
    columns = {c.key: c for c in template_columns(plan)}
    affairs = {a.code: a for a in Affair.objects.all()}
    districts = {d.name.lower(): d for d in District.objects.filter(region_id=plan.region_id)}
    kinds = {str(label).lower(): value for value, label in Indicator.ComparisonKind.choices}
    years = baseline_years(plan)
    parsed, errors = [], []

    for raw in rows:
        row = raw["_row"]
        cells = _RowReader(raw, columns)

        affair_text = _text(raw.get("affair"))
        affair = affairs.get(affair_text.split(" ")[0]) if affair_text else None
        if not affair_text:
            cells.error("affair", _("wajib diisi."))
        elif affair is None:
            cells.error(
                "affair", _("“%(v)s” bukan bidang urusan yang dikenal.") % {"v": affair_text[:60]}
            )
        core = cells.text("core_problem", 500)
        statement = cells.text("statement", 5000)
        causes = [cells.text(f"cause_{n}", 2000) for n in range(1, ROOT_CAUSE_COLUMNS + 1)]
        causes = [c for c in causes if c]

        place = _text(raw.get("districts"))
        whole, chosen = False, []
        if not place:
            cells.error(
                "districts", _("wajib diisi: kecamatan, atau “%(w)s”.") % {"w": WHOLE_REGION}
            )
        for name in filter(None, (p.strip() for p in re.split(r"[;\n]", place))):
            if name.lower() == WHOLE_REGION.lower():
                whole = True
            elif name.lower() in districts:
                chosen.append(districts[name.lower()])
            else:
                cells.error("districts", _("kecamatan “%(v)s” tidak dikenal.") % {"v": name[:60]})

        indicator = None
        name = cells.text("indicator", 300)
        numbers = {}
        for year in years:
            try:
                value = _decimal(raw.get(f"year_{year}"))
            except ValueError:
                cells.error(f"year_{year}", _("harus berupa angka."))
                continue
            if value is not None:
                numbers[str(year)] = str(value)
        try:
            comparison = _decimal(raw.get("comparison_value"))
        except ValueError:
            cells.error("comparison_value", _("harus berupa angka."))
            comparison = None
        kind_text = _text(raw.get("comparison_kind"))
        kind = kinds.get(kind_text.lower(), "") if kind_text else ""
        if kind_text and not kind:
            cells.error("comparison_kind", _("pilih dari daftar."))
        unit, source = cells.text("unit", 50), cells.text("source", 300)
        if name:
            if not unit:
                cells.error("unit", _("wajib diisi bila indikator diisi."))
            if not source:
                cells.error("source", _("wajib diisi bila indikator diisi."))
            if comparison is not None and not kind:
                cells.error("comparison_kind", _("wajib diisi bila nilai pembanding diisi."))
            indicator = {
                "name": name,
                "unit": unit,
                "values": numbers,
                "comparison_value": comparison,
                "comparison_kind": kind if comparison is not None else kind,
                "source": source,
            }
        elif numbers or unit or source or comparison is not None:
            cells.error("indicator", _("isi nama indikator untuk nilai yang dicantumkan."))

        if cells.errors:
            errors += cells.errors
        else:
            parsed.append(ParsedRow(row, affair, core, statement, causes, whole, chosen, indicator))
    return parsed, errors


def import_problems(*, plan: Plan, agency: Agency, upload, by: User) -> ImportResult:
    """Every row becomes a draft problem of the agency, or, if any row is wrong, none does."""
    rows, errors = read_rows(plan, upload)
    if errors:
        return ImportResult(errors=errors)
    parsed, errors = parse_rows(plan, rows)
    if errors:
        return ImportResult(errors=errors)
    return ImportResult(created=save_problems(plan=plan, agency=agency, parsed=parsed, by=by))


def save_problems(*, plan: Plan, agency: Agency, parsed: list[ParsedRow], by: User) -> list:
    """The checked rows as draft problems, all in one transaction."""
    stage = plan.stage_of_kind(Stage.Kind.IDENTIFICATION)
    created = []
    with transaction.atomic():
        for item in parsed:
            core, _created = CoreProblem.objects.get_or_create(
                plan=plan, agency=agency, text=item.core_problem
            )
            problem = Problem.objects.create(
                plan=plan,
                agency=agency,
                stage=stage,
                affair=item.affair,
                core_problem=core,
                statement=item.statement,
                whole_region=item.whole_region,
                created_by=by,
            )
            if not item.whole_region:
                problem.districts.set(item.districts)
            # The imported causes get their first history row, with the importing user.
            bulk_create_with_history(
                [
                    RootCause(problem=problem, order=n, text=t)
                    for n, t in enumerate(item.causes, start=1)
                ],
                RootCause,
                default_user=by,
            )
            if item.indicator:
                Indicator.objects.create(problem=problem, **item.indicator)
            problem.update_search_text()
            created.append(problem)
    return created


# --- Exports ---------------------------------------------------------------------------------


def identification_workbook(plan: Plan, user: User) -> bytes:
    """The official table as XLSX: merged cells per bidang urusan, masalah pokok and masalah."""
    groups = identification_table(plan, user)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Identifikasi")
    headers = [_("No."), _("Bidang Urusan"), _("Masalah Pokok"), _("Masalah"), _("Akar Masalah")]
    sheet["A1"] = safe_cell(_("Identifikasi Permasalahan Pembangunan Daerah"))
    sheet["A2"] = safe_cell(plan.title)
    sheet["A3"] = safe_cell(
        _("Permasalahan yang diterima Bappeda, keadaan %(date)s")
        % {"date": format_time(timezone.localtime(), "j F Y H:i")}
    )
    sheet["A1"].font = TITLE_FONT
    for row in (1, 2, 3):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
    _header(sheet, 5, headers)
    for column, width in zip("ABCDE", (6, 30, 40, 50, 50), strict=True):
        sheet.column_dimensions[column].width = width

    row = 6
    for number, group in enumerate(groups, start=1):
        _merged(sheet, row, 1, group.height, number)
        _merged(sheet, row, 2, group.height, safe_cell(str(group.affair)))
        for core in group.core_problems:
            _merged(sheet, row, 3, core.height, safe_cell(core.text))
            for item in core.problems:
                _merged(sheet, row, 4, item.height, safe_cell(item.problem.statement))
                for offset, cause in enumerate(item.root_causes or [""]):
                    cell = sheet.cell(row=row + offset, column=5, value=safe_cell(cause))
                    cell.alignment, cell.border = WRAP, BORDER
                row += item.height
    if not groups:
        sheet.cell(row=row, column=1, value=_("Belum ada permasalahan yang diterima."))
    sheet.freeze_panes = "A6"
    return workbook_bytes(workbook)


def _merged(sheet, row: int, column: int, height: int, value) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.alignment, cell.border = WRAP, BORDER
    for offset in range(1, height):
        sheet.cell(row=row + offset, column=column).border = BORDER
    if height > 1:
        sheet.merge_cells(
            start_row=row, start_column=column, end_row=row + height - 1, end_column=column
        )


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def problems_csv(plan: Plan, user: User, problems=None) -> str:
    """All problems the user may see, one row each, with their evidence (";" separated)."""
    if problems is None:
        problems = Problem.objects.visible_to(user).filter(plan=plan)
    problems = (
        problems.select_related("agency", "affair", "core_problem", "duplicate_of")
        .prefetch_related(
            Prefetch("root_causes", queryset=RootCause.objects.order_by("order", "pk")),
            "indicators",
            "attachments",
            "districts",
            "national_priorities",
            "sdgs",
        )
        .order_by("agency__short_name", "pk")
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Nomor"),
            _("Perangkat daerah"),
            _("Bidang urusan"),
            _("Masalah pokok"),
            _("Masalah"),
            _("Akar masalah"),
            _("Kecamatan"),
            _("Prioritas nasional"),
            _("TPB/SDGs"),
            _("Indikator"),
            _("Lampiran"),
            _("Status"),
            _("Diajukan"),
            _("Catatan peninjau"),
            _("Duplikat dari"),
        ]
    )
    for problem in problems:
        indicators = []
        for indicator in problem.indicators.all():
            values = ", ".join(
                f"{year}: {_number(Decimal(str(v)))}"
                for year, v in sorted(indicator.values.items())
            )
            comparison = ""
            if indicator.comparison_value is not None:
                kind = indicator.get_comparison_kind_display()
                comparison = f"; {kind}: {_number(indicator.comparison_value)}"
            indicators.append(
                f"{indicator.name} ({indicator.unit}) {values}{comparison}; "
                f"{_('sumber')}: {indicator.source}"
            )
        submitted = (
            timezone.localtime(problem.submitted_at).strftime("%Y-%m-%d %H:%M")
            if problem.submitted_at
            else ""
        )
        writer.writerow(
            [
                safe_cell(value)
                for value in [
                    problem.number,
                    problem.agency.short_name,
                    str(problem.affair),
                    problem.core_problem.text,
                    problem.statement,
                    " | ".join(f"{c.order}. {c.text}" for c in problem.root_causes.all()),
                    WHOLE_REGION
                    if problem.whole_region
                    else ", ".join(d.name for d in problem.districts.all()),
                    ", ".join(p.code for p in problem.national_priorities.all()),
                    ", ".join(str(s.number) for s in problem.sdgs.all()),
                    " | ".join(indicators),
                    " | ".join(a.original_name for a in problem.attachments.all()),
                    problem.get_status_display(),
                    submitted,
                    problem.reviewer_note,
                    problem.duplicate_of.number if problem.duplicate_of_id else "",
                ]
            ]
        )
    return buffer.getvalue()
