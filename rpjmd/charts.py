"""Charts drawn on the server as SVG: the dashboards' progress and the document's figures.

Drawn with matplotlib's SVG backend, chosen for print (docs/dependencies.md): exact typographic
control, thin rules and hairline grids that hold up on paper, text kept as text in the Liberation
Sans the PDF embeds (metric-compatible with Arial on screens), and byte-for-byte the same SVG
whether a page or the PDF shows it. No JavaScript and no build step.

Every chart carries its own text alternative: a <title> and a <desc> inside the SVG (role="img")
and the figures as a table beside it (templates/includes/chart.html), because a picture alone
is no help to a screen reader or on a phone too narrow to read the labels.

Colours: each series colour reaches at least 4.5:1 against white, so the white figures written
inside a bar and the bars themselves against the page both pass WCAG 2.1 AA (1.4.3 and 1.4.11).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# One colour per meaning, shared by the badges of the app (static/css/app.css).
GREY = "#5f6b78"
BLUE = "#0b5c8a"
GREEN = "#1d6b3a"
AMBER = "#8a5300"
RED = "#a4262c"
PURPLE = "#5b3f8c"
TEAL = "#00626b"
NAVY = "#083b68"
# For series without a meaning of their own, in order: neighbours differ in hue and lightness.
PALETTE = (NAVY, AMBER, GREEN, PURPLE, RED, TEAL, GREY, BLUE)

TEXT = "#1b2530"
RULE = "#8795a6"
GRID = "#d3dae3"
FONT = "Liberation Sans"
# Arial has the same metrics as Liberation Sans: a browser without it lays the text out alike.
FONT_STACK = "'Liberation Sans', Arial, sans-serif"

WIDTH_IN = 6.3  # the text width of an A4 page with the document's margins
LABEL_CHARS = 42
LEGEND_CHARS = 110
# Bump when the drawing code changes, so cached SVGs of the old look are not served.
RENDERING = 4  # longer category names are cut in the picture (whole in the table)


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | int | None]
    colour: str = ""
    unit: str = ""  # "panels" only: each small chart has its own scale and unit


@dataclass(frozen=True)
class Chart:
    """A chart and its data. `key` makes the SVG's ids unique on a page with several charts."""

    key: str
    title: str
    description: str
    categories: Sequence[str]
    series: Sequence[Series]
    # "bars": horizontal, stacked; "lines": one line per series over time, on one scale;
    # "panels": one small line chart per series, each on its own scale (indicators in
    # different units side by side)
    kind: str = "bars"
    unit: str = ""
    decimals: int = 0
    # Shown at the end of each stacked bar (e.g. the agency's deadline); empty for none.
    notes: Sequence[str] = field(default_factory=tuple)
    # Whether a stacked bar ends with the sum of its parts (False where a note says it better).
    show_sum: bool = True

    def __post_init__(self):
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(f"series {series.label!r} does not match the categories")

    def to_dict(self) -> dict:
        """The data of the chart, JSON-ready (a snapshot keeps it with its frozen blocks)."""
        return {
            "kind": self.kind,
            "unit": self.unit,
            "decimals": self.decimals,
            "categories": [str(c) for c in self.categories],
            "series": [
                {
                    "label": s.label,
                    "values": [None if v is None else float(v) for v in s.values],
                    "colour": s.colour,
                    "unit": s.unit,
                }
                for s in self.series
            ],
            "notes": list(self.notes),
            "show_sum": self.show_sum,
        }

    @classmethod
    def from_dict(cls, data: dict, *, key: str, title: str, description: str = "") -> Chart:
        return cls(
            key=key,
            title=title,
            description=description,
            categories=data.get("categories", []),
            series=[Series(**s) for s in data.get("series", [])],
            kind=data.get("kind", "bars"),
            unit=data.get("unit", ""),
            decimals=data.get("decimals", 0),
            notes=data.get("notes", ()),
            show_sum=data.get("show_sum", True),
        )

    def describe(self) -> str:
        """The figures in words, for the SVG's <desc> where no description was given."""
        if self.description:
            return self.description
        parts = []
        for series in self.series:
            unit = f" ({series.unit or self.unit})" if (series.unit or self.unit) else ""
            values = ", ".join(
                f"{c} {self.format(v)}"
                for c, v in zip(self.categories, series.values, strict=True)
                if v is not None
            )
            parts.append(f"{series.label}{unit}: {values}")
        return "; ".join(parts) + "."

    @property
    def is_empty(self) -> bool:
        return not self.categories or not any(
            v for series in self.series for v in series.values if v
        )

    def format(self, value) -> str:
        if value is None:
            return "–"
        return number_format(value, self.decimals, force_grouping=True)

    @property
    def totals(self) -> list[float]:
        return [sum(s.values[i] or 0 for s in self.series) for i in range(len(self.categories))]

    @property
    def rows(self) -> list[tuple[str, list[str], str, str]]:
        """The data table: category, one formatted value per series, the stacked total and
        the category's note."""
        notes = list(self.notes) or [""] * len(self.categories)
        return [
            (
                category,
                [self.format(s.values[i]) for s in self.series],
                self.format(self.totals[i]) if self.show_total else "",
                notes[i],
            )
            for i, category in enumerate(self.categories)
        ]

    @property
    def show_total(self) -> bool:
        return self.kind == "bars" and len(self.series) > 1 and self.show_sum

    @cached_property
    def svg(self) -> SafeString:
        return render_svg(self)


def _colours(chart: Chart) -> list[str]:
    return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(chart.series)]


def _short(label: str, limit: int = 0) -> str:
    limit = limit or LABEL_CHARS
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _configure(matplotlib) -> None:
    # lazy: matplotlib is imported on first use only (see _figure)
    from matplotlib import font_manager

    fonts = settings.BASE_DIR / "static" / "fonts" / "liberation"
    known = {f.fname for f in font_manager.fontManager.ttflist}
    for name in ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"):
        if str(fonts / name) not in known:
            font_manager.fontManager.addfont(str(fonts / name))
    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: selectable, searchable, in the PDF's font
            "svg.hashsalt": "rpjmd",  # the same data draws the same bytes, page and PDF alike
            "font.family": "sans-serif",
            "font.sans-serif": [FONT],
            "font.size": 8.5,
            "text.parse_math": False,  # a "$" in an agency's name is a dollar sign, not TeX
            "text.color": TEXT,
            "axes.edgecolor": RULE,
            "axes.labelcolor": TEXT,
            "xtick.color": TEXT,
            "ytick.color": TEXT,
            "axes.linewidth": 0.6,
        }
    )


def _figure(height_in: float):
    # Pages without a chart, and processes that never draw one, need not import it.
    # lazy: matplotlib and numpy take a good half second to import
    import matplotlib
    from matplotlib.figure import Figure

    if matplotlib.rcParams["svg.hashsalt"] != "rpjmd":
        _configure(matplotlib)
    return Figure(figsize=(WIDTH_IN, height_in))


def _indonesian_ticks(axis, *, whole: bool = False) -> None:
    """Tick labels as the text writes numbers: 1.000 and 72,5, not 1000 and 72.5; counts
    (`whole`) get whole-number ticks only."""
    # lazy: matplotlib is imported on first use only (see _figure)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    if whole:
        axis.set_major_locator(MaxNLocator(integer=True))

    def label(value, _position) -> str:
        decimals = 0 if float(value).is_integer() else 2
        text = number_format(value, decimals, force_grouping=True)
        return text.rstrip("0").rstrip(",") if "," in text else text

    axis.set_major_formatter(FuncFormatter(label))


def _draw_bars(chart: Chart, ax) -> None:
    count = len(chart.categories)
    positions = list(range(count))
    left = [0.0] * count
    total_max = max(chart.totals, default=0) or 1
    for series, colour in zip(chart.series, _colours(chart), strict=True):
        values = [float(v or 0) for v in series.values]
        bars = ax.barh(
            positions,
            values,
            left=left,
            height=0.62,
            color=colour,
            label=_short(series.label, LEGEND_CHARS),
            edgecolor="white",
            linewidth=0.8,
        )
        for bar, value in zip(bars, values, strict=True):
            # A figure inside the bar only where it fits; the table has every one.
            if value and bar.get_width() / total_max > 0.06:
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    chart.format(value),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=7.5,
                    fontweight="bold",
                )
        left = [a + b for a, b in zip(left, values, strict=True)]
    notes = list(chart.notes) or [""] * count
    for y, (total, note) in enumerate(zip(chart.totals, notes, strict=True)):
        single = len(chart.series) == 1 and chart.show_sum
        text = chart.format(total) if chart.show_total or single else ""
        if note:
            text = f"{text}  {note}" if text else note
        if text:
            ax.text(total + total_max * 0.01, y, text, va="center", ha="left", fontsize=7.5)
    ax.set_yticks(positions, [_short(c) for c in chart.categories])
    ax.invert_yaxis()  # the first category on top, as the table reads
    # Room on the right for the longest "sum  note" text, measured like the labels.
    ends = [
        _text_inches(f"{chart.format(t)}  {n}", 7.5)
        for t, n in zip(chart.totals, notes, strict=True)
    ]
    plot_in = WIDTH_IN * (ax.get_position().x1 - ax.get_position().x0)
    room = min(max(ends, default=0) + 0.1, plot_in * 0.55)
    ax.set_xlim(0, total_max * plot_in / (plot_in - room))
    _indonesian_ticks(ax.xaxis, whole=chart.decimals == 0)
    ax.xaxis.grid(True, color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if chart.unit:
        ax.set_xlabel(chart.unit)


def _draw_lines(chart: Chart, ax) -> None:
    positions = list(range(len(chart.categories)))
    markers = "osD^v"
    for i, (series, colour) in enumerate(zip(chart.series, _colours(chart), strict=True)):
        points = [(x, v) for x, v in zip(positions, series.values, strict=True) if v is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        ax.plot(
            xs,
            ys,
            color=colour,
            linewidth=1.6,
            marker=markers[i % len(markers)],
            markersize=4.5,
            label=_short(series.label, LEGEND_CHARS),
        )
        for x, y in points:
            ax.annotate(
                chart.format(y),
                (x, y),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=7,
                color=colour,
            )
    ax.set_xticks(positions, list(chart.categories))
    ax.set_xlim(-0.4, len(positions) - 0.6)
    ax.yaxis.grid(True, color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(y=0.18)
    _indonesian_ticks(ax.yaxis)
    if chart.unit:
        ax.set_ylabel(chart.unit)


def _draw_panels(chart: Chart, fig) -> None:
    count = len(chart.series)
    columns = min(count, 3)
    rows = -(-count // columns)
    axes = fig.subplots(rows, columns, squeeze=False)
    positions = list(range(len(chart.categories)))
    for index, ax in enumerate(axes.flat):
        if index >= count:
            ax.set_visible(False)
            continue
        series = chart.series[index]
        colour = series.colour or PALETTE[0]
        points = [
            (x, float(v)) for x, v in zip(positions, series.values, strict=True) if v is not None
        ]
        if points:
            xs, ys = zip(*points, strict=True)
            ax.plot(xs, ys, color=colour, linewidth=1.6, marker="o", markersize=4)
            for x, y in points:
                ax.annotate(
                    chart.format(y),
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 5),
                    ha="center",
                    fontsize=7,
                    color=TEXT,
                )
        ax.set_title(_short(series.label), fontsize=8, loc="left", color=TEXT, fontweight="bold")
        if series.unit:
            ax.set_ylabel(series.unit, fontsize=7)
        ax.set_xticks(positions, list(chart.categories), fontsize=7)
        ax.set_xlim(-0.4, len(positions) - 0.6)
        ax.tick_params(axis="y", labelsize=7)
        ax.yaxis.grid(True, color=GRID, linewidth=0.5)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(y=0.3)
        _indonesian_ticks(ax.yaxis)


DRAWERS: dict[str, Callable] = {"bars": _draw_bars, "lines": _draw_lines}


def _text_inches(text: str, size_pt: float) -> float:
    """The width of a text in Liberation Sans, estimated: capitals and digits are wider than
    the half em of an average lower-case letter."""
    ems = sum(
        0.68 if ch.isupper() else 0.56 if ch in "0123456789" else 0.28 if ch == " " else 0.5
        for ch in text
    )
    return ems * size_pt / 72


def _legend_rows(chart: Chart) -> tuple[int, int]:
    """(columns, rows) of the legend: long names (criteria of the scoring) get fewer columns,
    so no name runs off the picture's edge."""
    longest = max((len(_short(s.label, LEGEND_CHARS)) for s in chart.series), default=0)
    # About 125 characters of 7.5 pt text fit the width, with room for the swatches.
    columns = max(1, min(len(chart.series), 5, 125 // (longest + 6)))
    return columns, -(-len(chart.series) // columns)


def _margins(chart: Chart, height_in: float) -> dict[str, float]:
    """Room for the labels, estimated from their length: measuring every text (tight_layout)
    doubles the drawing time, and the labels' font is known."""
    legend_in = _legend_rows(chart)[1] * 0.18 + 0.14 if len(chart.series) > 1 else 0.0
    if chart.kind == "bars":
        longest = max((_text_inches(_short(c), 8.5) for c in chart.categories), default=0.3)
        left_in = 0.15 + longest
        bottom_in = 0.3 + legend_in + (0.2 if chart.unit else 0)
    else:
        left_in = 0.55 + (0.2 if chart.unit else 0)
        bottom_in = 0.3 + legend_in
    return {
        "left": min(left_in / WIDTH_IN, 0.5),
        "right": 0.98,
        "top": 1 - 0.12 / height_in,
        "bottom": bottom_in / height_in,
    }


def render_svg(chart: Chart) -> SafeString:
    """The chart as an inline <svg>, its ids prefixed with the chart's key, titled and described.

    Drawing takes a noticeable fraction of a second on a busy server, so the SVG is kept in the
    cache under a digest of everything that shapes it: the same data draws the same bytes."""
    digest = hashlib.sha256(
        repr(
            (
                RENDERING,
                chart.key,
                chart.title,
                chart.description,
                chart.kind,
                chart.unit,
                chart.decimals,
                tuple(chart.categories),
                tuple(chart.notes),
                chart.show_sum,
                tuple((s.label, tuple(s.values), s.colour, s.unit) for s in chart.series),
            )
        ).encode()
    ).hexdigest()
    cached = cache.get(f"chart-svg:{digest}")
    if cached is not None:
        # nosemgrep: rpjmd-no-mark-safe - SVG produced by _inline below, from this cache key
        return mark_safe(cached)  # nosec B308 B703 - produced by _inline below
    if chart.kind == "panels":
        rows = -(-len(chart.series) // 3)
        height = 0.35 + 1.75 * rows
        fig = _figure(height)
        _draw_panels(chart, fig)
        fig.subplots_adjust(
            left=0.08,
            right=0.98,
            top=1 - 0.3 / height,
            bottom=0.3 / height,
            wspace=0.38,
            hspace=0.55,
        )
    else:
        height = 0.45 + 0.28 * max(len(chart.categories), 1) if chart.kind == "bars" else 2.8
        if len(chart.series) > 1:
            height += _legend_rows(chart)[1] * 0.18 + 0.14  # the legend's rows
        fig = _figure(height)
        fig.subplots_adjust(**_margins(chart, height))
        ax = fig.subplots()
        DRAWERS[chart.kind](chart, ax)
        if len(chart.series) > 1:
            fig.legend(
                loc="lower center",
                ncols=_legend_rows(chart)[0],
                frameon=False,
                fontsize=7.5,
                handlelength=1.2,
                columnspacing=1.2,
                borderaxespad=0.2,
            )
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _inline(buffer.getvalue(), chart)
    cache.set(f"chart-svg:{digest}", str(svg), 24 * 3600)
    return svg


def _attributes(match: re.Match) -> str:
    """style="fill: #fff; text-anchor: middle" as presentation attributes: the same drawing, and
    WeasyPrint reads them without a warning per text (it checks style attributes as CSS)."""
    pairs = [part.split(":", 1) for part in match.group(1).split(";") if ":" in part]
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def _inline(svg: str, chart: Chart) -> SafeString:
    key = re.sub(r"[^\w-]", "-", chart.key)
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{key}-\1"', svg)
    svg = svg.replace("url(#", f"url(#{key}-").replace('href="#', f'href="#{key}-')
    svg = re.sub(r'\bstyle="([^"]*)"', _attributes, svg)
    # The page's CSP (style-src 'self') blocks an inline <style>: matplotlib's only rule, the
    # line joins and caps, becomes inherited attributes of the root below.
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.S)
    # Every text is set in the one font the figure was measured with.
    svg = re.sub(r'font-family="[^"]*"', f'font-family="{FONT_STACK}"', svg)
    head = (
        f'<svg role="img" aria-labelledby="{key}-title {key}-desc" class="chart__svg" '
        f'focusable="false" stroke-linejoin="round" stroke-linecap="butt"'
    )
    svg = head + svg[len("<svg") :]
    opening_end = svg.index(">") + 1
    labels = (
        f'<title id="{key}-title">{escape(chart.title)}</title>'
        f'<desc id="{key}-desc">{escape(chart.describe())}</desc>'
    )
    # Drawn here: matplotlib's SVG writer escapes its texts; the title and description above.
    # nosemgrep: rpjmd-no-mark-safe - drawn here, every text escaped
    return mark_safe(svg[:opening_end] + labels + svg[opening_end:])  # nosec B308 B703 - see above
