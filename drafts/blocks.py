"""Data blocks: live tables from the application's data, placed in a section's text.

An author inserts `<figure class="data-block" data-block="KEY">` into a section; the editor and
the reading view show the table the block builds from the plan's current data, and a snapshot
freezes the table it showed. Each module registers its own kinds. A module adds one in a
`<app>/blocks.py` (imported when the drafts app starts), in a few lines:

    from drafts.blocks import Table, register

    @register("permasalahan", _("Tabel identifikasi permasalahan"), group=_("Permasalahan"))
    def problems(plan, params=""):
        return Table(caption=..., header=[["No.", "Masalah pokok", ...]], rows=[[...], ...])

A block built from data not everyone may read registers with `per_viewer=True` and takes
`viewer=`: the browser (editor, reading view, preview) passes the reader, who sees only what
the module's own pages would show them; `viewer=None` is the document as Bappeda issues it (PDF
export, snapshot), complete.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import import_module

from django.apps import apps
from django.utils.html import escape
from django.utils.module_loading import module_has_submodule
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from rpjmd.charts import Chart
from rpjmd.models import Plan
from rpjmd.reference import KUKAR_CODE, read
from rpjmd.requests import positive_int


@dataclass(frozen=True)
class Cell:
    """A table cell; header cells may span columns or rows (merged header cells)."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    numeric: bool = False


CellLike = Cell | str | int | float | decimal.Decimal | None


@dataclass(frozen=True)
class Table:
    caption: str
    header: list[list[CellLike]]
    rows: list[list[CellLike]]
    source: str = ""
    note: str = ""
    # A figure block's chart (rpjmd.charts.Chart.to_dict()): the block prints as a picture
    # numbered "Gambar", and header and rows hold the same figures for the kelengkapan check.
    chart: dict | None = None

    def to_dict(self) -> dict:
        """A JSON-ready copy, as a snapshot keeps it."""
        data = {
            "caption": self.caption,
            "header": [[_cell_dict(c) for c in row] for row in self.header],
            "rows": [[_cell_dict(c) for c in row] for row in self.rows],
            "source": self.source,
            "note": self.note,
        }
        if self.chart is not None:
            data["chart"] = self.chart
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Table:
        return cls(
            caption=data.get("caption", ""),
            header=[[Cell(**c) for c in row] for row in data.get("header", [])],
            rows=[[Cell(**c) for c in row] for row in data.get("rows", [])],
            source=data.get("source", ""),
            note=data.get("note", ""),
            chart=data.get("chart"),
        )


def figure_table(chart: Chart, *, caption: str, source: str = "", note: str = "") -> Table:
    """A figure block's result: the chart, and its figures as rows (category, one value per
    series) so the kelengkapan check reads them like any table's."""
    return Table(
        caption=caption,
        header=[["", *(s.label for s in chart.series)]],
        rows=[
            [Cell(str(category)), *(s.values[i] for s in chart.series)]
            for i, category in enumerate(chart.categories)
        ],
        source=source,
        note=note,
        chart=chart.to_dict(),
    )


def cite(key: str) -> str:
    """Where a block's text names another block's table ("nomor pada Tabel 4.1"): the number
    depends on where that table is printed, so the text keeps this mark and the rendering of the
    document puts the printed number in (`with_citations`)."""
    return f"[[tabel:{key}]]"


CITATION = re.compile(r"\[\[tabel:([a-z0-9_-]+)\]\]")


def cited_keys(table: Table) -> list[str]:
    """The blocks whose table this table's text cites (`cite`)."""
    texts = [table.caption, table.source, table.note]
    texts += [as_cell(c).text for row in table.header + table.rows for c in row]
    return sorted({key for text in texts for key in CITATION.findall(text or "")})


def with_citations(table: Table, label_for: Callable[[str], str | None]) -> Table:
    """The table with every `cite(key)` mark replaced by the printed number of that block's
    table (`label_for(key)`, e.g. "Tabel 4.1"), or by the table's name where the document does
    not print it."""

    def fill(text: str) -> str:
        if "[[tabel:" not in text:
            return text

        def name(match: re.Match) -> str:
            label = label_for(match.group(1))
            if label:
                return label
            title = label_of(match.group(1))
            return title[:1].lower() + title[1:]

        return CITATION.sub(name, text)

    def cell(value: CellLike) -> CellLike:
        if isinstance(value, Cell):
            return replace(value, text=fill(value.text))
        return fill(value) if isinstance(value, str) else value

    return replace(
        table,
        caption=fill(table.caption),
        header=[[cell(c) for c in row] for row in table.header],
        rows=[[cell(c) for c in row] for row in table.rows],
        source=fill(table.source),
        note=fill(table.note),
    )


def _cell_dict(value: CellLike) -> dict:
    cell = as_cell(value)
    return {
        "text": cell.text,
        "colspan": cell.colspan,
        "rowspan": cell.rowspan,
        "numeric": cell.numeric,
    }


def as_cell(value: CellLike) -> Cell:
    if isinstance(value, Cell):
        return value
    if value is None:
        return Cell("–", numeric=True)
    if isinstance(value, bool):
        return Cell(str(value))
    if isinstance(value, int | float | decimal.Decimal):
        return Cell(format_number(value), numeric=True)
    return Cell(str(value))


def format_number(value: int | float | decimal.Decimal) -> str:
    """Indonesian notation: 27.263,1 and 729.382 (dot for thousands, comma for decimals)."""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1000:
        value = int(value)
    text = str(value)
    negative = text.startswith("-")
    text = text.lstrip("-")
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = ".".join(groups) + ("," + fraction if fraction else "")
    return ("-" if negative else "") + result


@dataclass(frozen=True)
class BlockKind:
    key: str
    label: str
    build: Callable[..., Table]
    group: str = ""
    available: Callable[[Plan], bool] = field(default=lambda plan: True)
    per_viewer: bool = False
    # Prints as a picture ("Gambar 2.1", daftar gambar) instead of a table.
    figure: bool = False
    # Shows the plan's own years by design (projections, kerangka pendanaan): the kelengkapan
    # check does not read those as figures dated after the reference date.
    forward_looking: bool = False


REGISTRY: dict[str, BlockKind] = {}


def register(
    key: str,
    label: str,
    *,
    group: str = "",
    available: Callable[[Plan], bool] | None = None,
    per_viewer: bool = False,
    forward_looking: bool = False,
    figure: bool = False,
):
    """Decorator: make `build(plan, params="") -> Table` insertable under `key`
    (`build(plan, params="", *, viewer=None)` with `per_viewer`)."""

    def decorate(build: Callable[..., Table]) -> Callable[..., Table]:
        REGISTRY[key] = BlockKind(
            key=key,
            label=label,
            build=build,
            group=group,
            available=available or (lambda plan: True),
            per_viewer=per_viewer,
            forward_looking=forward_looking,
            figure=figure,
        )
        return build

    return decorate


def autodiscover() -> None:
    """Import `<app>/blocks.py` and `<app>/document.py` of every installed app: the data blocks,
    lampiran and final-snapshot checks the apps above this one supply to the document."""
    for config in apps.get_app_configs():
        for module in ("blocks", "document"):
            if config.name != "drafts" and module_has_submodule(config.module, module):
                import_module(f"{config.name}.{module}")


def kinds_for(plan: Plan) -> list[BlockKind]:
    return sorted(
        (kind for kind in REGISTRY.values() if kind.available(plan)),
        key=lambda kind: (str(kind.group), str(kind.label)),
    )


def reference(key: str, params: str = "") -> str:
    """How a block is named in a snapshot's frozen tables."""
    return f"{key}|{params}" if params else key


class LiveBlocks:
    """Builds blocks from the plan's current data, each at most once per request.

    `viewer`: the user reading in the browser (per-viewer blocks show what they may see);
    None for the document as issued (export, snapshot).
    """

    def __init__(self, plan: Plan, viewer=None):
        self.plan = plan
        self.viewer = viewer
        self._cache: dict[str, Table | None] = {}

    def __call__(self, key: str, params: str = "") -> Table | None:
        ref = reference(key, params)
        if ref not in self._cache:
            kind = REGISTRY.get(key)
            if kind is None or not kind.available(self.plan):
                self._cache[ref] = None
            elif kind.per_viewer:
                self._cache[ref] = kind.build(self.plan, params, viewer=self.viewer)
            else:
                self._cache[ref] = (
                    kind.build(self.plan, params) if params else kind.build(self.plan)
                )
        return self._cache[ref]


class FrozenBlocks:
    """The tables a snapshot froze."""

    def __init__(self, frozen: dict):
        self.frozen = frozen

    def __call__(self, key: str, params: str = "") -> Table | None:
        data = self.frozen.get(reference(key, params))
        return Table.from_dict(data) if data is not None else None


def is_figure(key: str) -> bool:
    kind = REGISTRY.get(key)
    return kind is not None and kind.figure


def label_of(key: str) -> str:
    kind = REGISTRY.get(key)
    return str(kind.label) if kind else key


def render_table(
    table: Table, *, number: str = "", element_id: str = "", css_class: str = "data-table"
) -> SafeString:
    """The table as HTML: caption with its number, merged header cells, source note."""
    parts = [f'<table class="{css_class}"']
    if element_id:
        parts.append(f' id="{escape(element_id)}"')
    parts.append(">")
    label = (
        f'<span class="caption-label" data-generated="">{escape(number)}</span> ' if number else ""
    )
    parts.append(f"<caption>{label}{escape(table.caption)}</caption>")
    if table.header:
        parts.append("<thead>")
        for row in table.header:
            parts.append("<tr>" + "".join(_cell_html(c, "th") for c in row) + "</tr>")
        parts.append("</thead>")
    parts.append("<tbody>")
    for row in table.rows:
        parts.append("<tr>" + "".join(_cell_html(c, "td") for c in row) + "</tr>")
    parts.append("</tbody></table>")
    notes = []
    if table.note:
        notes.append(f'<p class="table-note">{escape(_("Catatan"))}: {escape(table.note)}</p>')
    if table.source:
        notes.append(f'<p class="table-source">{escape(_("Sumber"))}: {escape(table.source)}</p>')
    # nosemgrep: rpjmd-no-mark-safe - every value in parts and notes is escaped above
    return mark_safe("".join(parts) + "".join(notes))  # nosec B308 B703 - every value is escaped above


def render_figure(table: Table, *, number: str = "", element_id: str = "") -> SafeString:
    """A figure block as printed: the chart (the same SVG on screen and in the PDF), then its
    caption with its number, then the source line."""
    chart = Chart.from_dict(
        table.chart or {},
        key=f"chart-{element_id or slugify(table.caption)[:40]}",
        title=f"{number} {table.caption}".strip(),
    )
    label = (
        f'<span class="caption-label" data-generated="">{escape(number)}</span> ' if number else ""
    )
    # Without figures (or not for this reader: see the note) there is nothing to draw.
    picture = (
        f'<p class="data-block-placeholder">{escape(_("Belum ada data untuk gambar ini."))}</p>'
        if chart.is_empty
        else f'<div class="figure-chart">{chart.svg}</div>'
    )
    parts = [
        picture,
        f"<figcaption>{label}{escape(table.caption)}</figcaption>",
    ]
    if table.note:
        parts.append(f'<p class="table-note">{escape(_("Catatan"))}: {escape(table.note)}</p>')
    if table.source:
        parts.append(f'<p class="table-source">{escape(_("Sumber"))}: {escape(table.source)}</p>')
    # nosemgrep: rpjmd-no-mark-safe - texts escaped above; the SVG is drawn by rpjmd.charts
    return mark_safe("".join(parts))  # nosec B308 B703 - texts escaped above, SVG from rpjmd.charts


def _cell_html(value: CellLike, tag: str) -> str:
    cell = as_cell(value)
    attrs = ""
    if cell.colspan > 1:
        attrs += f' colspan="{int(cell.colspan)}"'
    if cell.rowspan > 1:
        attrs += f' rowspan="{int(cell.rowspan)}"'
    if tag == "th":
        attrs += ' scope="colgroup"' if cell.colspan > 1 else ' scope="col"'
    if cell.numeric and tag == "td":
        attrs += ' class="text-right"'
    return f"<{tag}{attrs}>{escape(cell.text)}</{tag}>"


# --- the blocks whose data the core holds ---------------------------------------------------


@register("perangkat-daerah", _("Perangkat daerah dan bidang urusannya"), group=_("Daerah"))
def agencies(plan: Plan) -> Table:
    rows = []
    queryset = plan.region.agencies.prefetch_related("affairs").order_by("name")
    for number, agency in enumerate(queryset, start=1):
        affairs = "; ".join(f"{a.code} {a.name}" for a in agency.affairs.all())
        rows.append([number, agency.name, agency.short_name, affairs or "–"])
    return Table(
        caption=str(_("Perangkat Daerah dan Bidang Urusan yang Diampu, %(region)s"))
        % {"region": plan.region.full_name},
        header=[[_("No."), _("Perangkat daerah"), _("Singkatan"), _("Bidang urusan")]],
        rows=rows,
        source=str(_("Data perangkat daerah pada aplikasi (Permendagri 90/2019)")),
    )


@register("kecamatan", _("Daftar kecamatan"), group=_("Daerah"))
def districts(plan: Plan) -> Table:
    rows = [
        [number, district.code or "–", district.name]
        for number, district in enumerate(plan.region.districts.order_by("name"), start=1)
    ]
    return Table(
        caption=str(_("Kecamatan di %(region)s")) % {"region": plan.region.full_name},
        header=[[_("No."), _("Kode Kemendagri"), _("Kecamatan")]],
        rows=rows,
        source=str(_("Data kecamatan pada aplikasi")),
    )


def _is_kukar(plan: Plan) -> bool:
    return plan.region.code == KUKAR_CODE


# Tables whose columns are years get a merged "Tahun" header above the year columns.
def _statistics_header(columns: list[str]) -> list[list[CellLike]]:
    years = [
        i
        for i, c in enumerate(columns)
        if len(str(c)) == 4 and positive_int(str(c), minimum=1000) is not None
    ]
    if len(years) < 2 or years != list(range(years[0], years[-1] + 1)):
        return [[Cell(str(c)) for c in columns]]
    top: list[CellLike] = []
    for i, column in enumerate(columns):
        if i == years[0]:
            top.append(Cell(str(_("Tahun")), colspan=len(years)))
        elif i not in years:
            top.append(Cell(str(column), rowspan=2))
    return [top, [Cell(str(columns[i])) for i in years]]


def _register_statistics() -> None:
    for table in read("kukar_statistik.json")["tabel"]:
        key = "statistik-" + slugify(table["judul"])[:60].rstrip("-")

        def build(plan: Plan, table=table) -> Table:
            return Table(
                caption=table["judul"],
                header=_statistics_header(table["kolom"]),
                rows=[[_statistic_cell(v) for v in row] for row in table["baris"]],
                source=table.get("sumber", "").split(";")[0].strip()
                + (" " + str(_("(dan sumber lain)")) if ";" in table.get("sumber", "") else ""),
                note=table.get("catatan", "")
                + (f" ({table['satuan']})" if table.get("satuan") else ""),
            )

        register(key, table["judul"], group=_("Statistik Kutai Kartanegara"), available=_is_kukar)(
            build
        )


def _statistic_cell(value) -> CellLike:
    # Years stay as written (2019, not 2.019).
    if isinstance(value, int) and 1900 <= value <= 2100:
        return Cell(str(value))
    return value


_register_statistics()
