"""Data blocks of Bab II–IV made from regional data and the strategic-issue workflow.

Columns follow the tables Bappedas print in their RPJMD (Permendagri 86/2017 annex): capaian
kinerja with target, realisasi and capaian per year; APBD tables with a "rata-rata pertumbuhan"
column; projections over the plan years. Each table says where its figures come from; a source
written as "ilustrasi" by whoever entered the data is carried to the source line as it is.
"""

from __future__ import annotations

import dataclasses
import functools
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drafts.blocks import Cell, CellLike, Table, figure_table, register
from issues.blocks import partial_note
from issues.models import Alignment, Criterion, Rater, Score, StrategicIssue, StrategicSettings
from issues.permissions import can_view_strategic
from issues.strategic import workflow as strategic
from issues.strategic.charts import score_chart
from regional import finance
from regional.models import (
    PAD_ACCOUNTS,
    REVENUE_ACCOUNTS,
    SPENDING_ACCOUNTS,
    Account,
    Aspect,
    FinanceSettings,
    RegionalIndicator,
    achievement_category,
    evaluation_years,
    indicator_years,
)
from rpjmd.charts import PALETTE, Chart, Series
from rpjmd.models import Plan
from rpjmd.numbers import round_score

DATA = gettext_lazy("Data daerah")
ISSUES = gettext_lazy("Permasalahan")
MILLION = Decimal(1_000_000)


def _number(value: Decimal | None) -> CellLike:
    if value is None:
        return None
    # As typed, without trailing zeros or an exponent: 80, 70,5, 72,75.
    if value == value.to_integral():
        return int(value)
    return Decimal(format(value.normalize(), "f"))


def _same_decimals(values: list[Decimal | None]) -> list[CellLike]:
    """One row of a series with one number of decimals, as published tables print it
    (0,70 0,68 … and 26,4 … 27,0, not 0,7 and 27)."""
    places = 0
    for value in values:
        if value is not None and value != value.to_integral():
            places = max(places, -value.normalize().as_tuple().exponent)
    if places == 0:
        return [_number(value) for value in values]
    step = Decimal(1).scaleb(-places)
    return [None if value is None else value.quantize(step) for value in values]


def _sources(texts) -> str:
    """Distinct sources in first-seen order, joined as one "Sumber:" line."""
    seen: list[str] = []
    for text in texts:
        for part in (text or "").split(";"):
            part = part.strip()
            if part and part not in seen:
                seen.append(part)
    return "; ".join(seen)


# --- Bab II: capaian kinerja -------------------------------------------------------------------


def _achievement_table(
    plan: Plan,
    rows: list[RegionalIndicator],
    caption_for,
    all_years: list[int] | None = None,
    with_category: bool = False,
) -> Table:
    """No | Indikator | Satuan | Target (years) | Realisasi (years) | Capaian % (years); the
    rows grouped under their bidang urusan. Years without any figure are left out.
    `caption_for(first, last)` names the table by the first and last year it shows;
    `with_category` adds the kategori of each row's last capaian."""
    all_years = all_years or indicator_years(plan)
    years = [
        y
        for y in all_years
        if any(r.actual(y) is not None or r.target(y) is not None for r in rows)
    ] or all_years
    caption = caption_for(years[0], years[-1])
    width = 3 + 3 * len(years) + (1 if with_category else 0)
    header: list[list[CellLike]] = [
        [
            Cell(_("No."), rowspan=2),
            Cell(_("Indikator"), rowspan=2),
            Cell(_("Satuan"), rowspan=2),
            Cell(_("Target"), colspan=len(years)),
            Cell(_("Realisasi"), colspan=len(years)),
            Cell(_("Capaian (%)"), colspan=len(years)),
            *([Cell(_("Kategori capaian"), rowspan=2)] if with_category else []),
        ],
        [Cell(str(y)) for y in years] * 3,
    ]
    body: list[list[CellLike]] = []
    current_affair = object()
    for number, row in enumerate(rows, start=1):
        if row.affair_id != current_affair:
            current_affair = row.affair_id
            if row.affair_id:
                body.append([Cell(f"{row.affair.code} {row.affair.name}", colspan=width)])
        cells: list[CellLike] = [
            number,
            row.name,
            row.unit,
            *_same_decimals([row.target(y) for y in years] + [row.actual(y) for y in years]),
            # Capaian always with two decimals (100,10, not 100,1).
            *(row.achievement(y) for y in years),
        ]
        if with_category:
            latest = row.latest_achievement(years)
            cells.append(str(achievement_category(latest[1]).label) if latest else None)
        body.append(cells)
    down = any(r.polarity == RegionalIndicator.Polarity.DOWN for r in rows)
    note = _("Capaian = realisasi ÷ target × 100.")
    if down:
        note += " " + _(
            "Indikator yang makin rendah makin baik: capaian = (2 − realisasi ÷ target) × 100."
        )
    if with_category:
        note += " " + _(
            "Kategori menurut capaian tahun terakhir (Permendagri 86/2017): sangat tinggi ≥ 91; "
            "tinggi 76–90; sedang 66–75; rendah 51–65; sangat rendah ≤ 50."
        )
    return Table(
        caption=caption,
        header=header,
        rows=body,
        source=_sources(r.source for r in rows) or _("Data indikator kinerja daerah pada aplikasi"),
        note=note,
    )


def _accepted(plan: Plan, series: str = RegionalIndicator.Series.CONDITION):
    return (
        RegionalIndicator.objects.accepted()
        .filter(plan=plan, series=series)
        .select_related("affair")
        .order_by("affair__code", "order", "pk")
    )


# Table captions capitalise as titles do ("Aspek Geografi dan Demografi").
ASPECT_IN_CAPTIONS = {
    Aspect.GEOGRAPHY: gettext_lazy("Aspek Geografi dan Demografi"),
    Aspect.WELFARE: gettext_lazy("Aspek Kesejahteraan Masyarakat"),
    Aspect.SERVICES: gettext_lazy("Aspek Pelayanan Umum"),
    Aspect.COMPETITIVENESS: gettext_lazy("Aspek Daya Saing Daerah"),
}


def _aspect_block(aspect: Aspect):
    def build(plan: Plan, params: str = "") -> Table:
        rows = list(_accepted(plan).filter(aspect=aspect))

        def caption(first: int, last: int) -> str:
            return _("Capaian Kinerja %(aspect)s %(region)s Tahun %(first)s–%(last)s") % {
                "aspect": str(ASPECT_IN_CAPTIONS[aspect]),
                "region": plan.region.full_name,
                "first": first,
                "last": last,
            }

        return _achievement_table(plan, rows, caption)

    return build


for _aspect in Aspect:
    register(
        f"capaian-{_aspect.value.replace('_', '-')}",
        gettext_lazy("Capaian kinerja: %(aspect)s") % {"aspect": _aspect.label},
        group=DATA,
    )(_aspect_block(_aspect))


@register("capaian-urusan", gettext_lazy("Capaian kinerja per bidang urusan"), group=DATA)
def achievement_by_affair(plan: Plan, params: str = "") -> Table:
    """Every accepted indicator with a bidang urusan, grouped by it (params "urusan=1.01" keeps
    one bidang urusan)."""
    rows = _accepted(plan).filter(affair__isnull=False)
    code = params.partition("urusan=")[2].split("&")[0] if "urusan=" in params else ""
    if code:
        rows = rows.filter(affair__code=code)

    def caption(first: int, last: int) -> str:
        return _(
            "Capaian Kinerja Penyelenggaraan Urusan Pemerintahan %(region)s "
            "Tahun %(first)s–%(last)s"
        ) % {"region": plan.region.full_name, "first": first, "last": last}

    return _achievement_table(plan, list(rows), caption)


@register(
    "evaluasi-rpjmd-lalu",
    gettext_lazy("Evaluasi capaian indikator RPJMD periode lalu"),
    group=DATA,
)
def previous_plan_evaluation(plan: Plan, params: str = "") -> Table:
    """The accepted indicators of the RPJMD that is ending, target against realisasi per year,
    with the kategori of their last capaian (Bab II, or Bab IV where it feeds the problems)."""
    rows = list(_accepted(plan, RegionalIndicator.Series.EVALUATION))
    first, last = plan.previous_period

    def caption(shown_first: int, shown_last: int) -> str:
        return _(
            "Evaluasi Capaian Indikator Kinerja RPJMD %(region)s %(first)s–%(last)s "
            "(Tahun %(shown_first)s–%(shown_last)s)"
        ) % {
            "region": plan.region.full_name,
            "first": first,
            "last": last,
            "shown_first": shown_first,
            "shown_last": shown_last,
        }

    return _achievement_table(
        plan, rows, caption, all_years=evaluation_years(plan), with_category=True
    )


# --- Bab III: keuangan daerah ------------------------------------------------------------------


def _millions(value: Decimal | None) -> CellLike:
    if value is None:
        return None
    return (value / MILLION).quantize(Decimal("0.01"))


def _finance_source(plan: Plan) -> str:
    return FinanceSettings.for_plan(plan).source or _("Realisasi APBD pada aplikasi")


def _growth_table(plan: Plan, caption: str, lines, total_label: str, total_accounts) -> Table:
    ledger = finance.Ledger.of(plan)
    years = ledger.years_with_data() or ledger.years
    header = [
        [
            Cell(_("No."), rowspan=2),
            Cell(_("Uraian"), rowspan=2),
            Cell(_("Realisasi (juta rupiah)"), colspan=len(years)),
            Cell(_("Rata-rata pertumbuhan (%)"), rowspan=2),
        ],
        [Cell(str(y)) for y in years],
    ]
    rows = []
    for number, label, accounts in [*lines, ("", total_label, total_accounts)]:
        series = [ledger.value(list(accounts), y) for y in years]
        rows.append(
            [
                Cell(number) if number else Cell(""),
                Cell(label),
                *(_millions(v) for v in series),
                finance.average_growth(series),
            ]
        )
    return Table(
        caption=caption,
        header=header,
        rows=rows,
        source=_finance_source(plan),
        note=_(
            "Rata-rata pertumbuhan = rata-rata hitung pertumbuhan tahunan realisasi tahun-tahun "
            "yang berurutan."
        ),
    )


def _label(account: Account) -> str:
    return str(account.label)


def _revenue_lines():
    return [
        ("1", _("Pendapatan asli daerah"), PAD_ACCOUNTS),
        *((f"1.{n}", _label(a), [a]) for n, a in enumerate(PAD_ACCOUNTS, start=1)),
        ("2", _label(Account.TRANSFER), [Account.TRANSFER]),
        ("3", _label(Account.OTHER_REVENUE), [Account.OTHER_REVENUE]),
    ]


def _spending_lines():
    return [(str(n), _label(a), [a]) for n, a in enumerate(SPENDING_ACCOUNTS, start=1)]


@register(
    "keuangan-pendapatan",
    gettext_lazy("Rata-rata pertumbuhan realisasi pendapatan daerah"),
    group=DATA,
)
def revenue_growth(plan: Plan, params: str = "") -> Table:
    return _growth_table(
        plan,
        _("Rata-rata Pertumbuhan Realisasi Pendapatan Daerah %(region)s")
        % {"region": plan.region.full_name},
        _revenue_lines(),
        _("Jumlah pendapatan daerah"),
        REVENUE_ACCOUNTS,
    )


@register(
    "keuangan-belanja",
    gettext_lazy("Rata-rata pertumbuhan realisasi belanja daerah"),
    group=DATA,
)
def spending_growth(plan: Plan, params: str = "") -> Table:
    return _growth_table(
        plan,
        _("Rata-rata Pertumbuhan Realisasi Belanja Daerah %(region)s")
        % {"region": plan.region.full_name},
        _spending_lines(),
        _("Jumlah belanja daerah"),
        SPENDING_ACCOUNTS,
    )


@register("keuangan-proporsi-belanja", gettext_lazy("Proporsi realisasi belanja"), group=DATA)
def spending_shares(plan: Plan, params: str = "") -> Table:
    """Each spending group as a share of total spending, per year, and its average share."""
    ledger = finance.Ledger.of(plan)
    years = ledger.years_with_data() or ledger.years
    header = [
        [
            Cell(_("No."), rowspan=2),
            Cell(_("Uraian"), rowspan=2),
            Cell(_("Proporsi terhadap total belanja (%)"), colspan=len(years)),
            Cell(_("Rata-rata (%)"), rowspan=2),
        ],
        [Cell(str(y)) for y in years],
    ]
    totals = {y: ledger.value(list(SPENDING_ACCOUNTS), y) for y in years}
    rows = []
    for number, label, accounts in _spending_lines():
        shares = [finance.share(ledger.value(accounts, y), totals[y]) for y in years]
        known = [s for s in shares if s is not None]
        mean = (sum(known, Decimal(0)) / len(known)).quantize(Decimal("0.01")) if known else None
        rows.append([number, label, *shares, mean])
    rows.append(
        [
            Cell(""),
            _("Jumlah belanja daerah"),
            *(Decimal(100) if totals[y] else None for y in years),
            Decimal(100) if any(totals.values()) else None,
        ]
    )
    return Table(
        caption=_("Proporsi Realisasi Belanja Daerah %(region)s menurut Kelompok Belanja")
        % {"region": plan.region.full_name},
        header=header,
        rows=rows,
        source=_finance_source(plan),
    )


def _plan_year_header(first: str, years: list[int], last: str | None = None):
    top = [
        Cell(_("No."), rowspan=2),
        Cell(_("Uraian"), rowspan=2),
        Cell(first, rowspan=2),
        Cell(_("Proyeksi (juta rupiah)"), colspan=len(years)),
    ]
    if last:
        top.append(Cell(last, rowspan=2))
    return [top, [Cell(str(y)) for y in years]]


@register(
    "keuangan-proyeksi-pendapatan",
    gettext_lazy("Proyeksi pendapatan daerah"),
    group=DATA,
    forward_looking=True,
)
def revenue_projection(plan: Plan, params: str = "") -> Table:
    ledger = finance.Ledger.of(plan)
    projection = finance.revenue_projection(plan, ledger)
    base = projection.base_year
    years = projection.plan_years
    header = _plan_year_header(
        _("Realisasi %(y)s (juta rupiah)") % {"y": base} if base else _("Realisasi"),
        years,
        _("Laju (%/tahun)"),
    )
    rows = []
    for number, label, accounts in [
        *_revenue_lines(),
        ("", _("Jumlah pendapatan daerah"), REVENUE_ACCOUNTS),
    ]:
        accounts = list(accounts)
        rate = projection.rates.get(accounts[0]) if len(accounts) == 1 else None
        rows.append(
            [
                Cell(number),
                Cell(label),
                _millions(ledger.value(accounts, base) if base else None),
                *(_millions(projection.value(accounts, y)) for y in years),
                rate,
            ]
        )
    if projection.planner_rate is not None:
        note = _(
            "Proyeksi memakai laju %(rate)s%% per tahun yang ditetapkan perencana, dari realisasi "
            "%(base)s."
        ) % {"rate": _comma(projection.planner_rate), "base": base or "–"}
    else:
        note = _(
            "Proyeksi memakai rata-rata pertumbuhan realisasi tiap akun per tahun, dari realisasi "
            "%(base)s; akun tanpa riwayat pertumbuhan dianggap tetap."
        ) % {"base": base or "–"}
    return Table(
        caption=_("Proyeksi Pendapatan Daerah %(region)s Tahun %(first)s–%(last)s")
        % {"region": plan.region.full_name, "first": years[0], "last": years[-1]},
        header=header,
        rows=rows,
        source=_finance_source(plan),
        note=note,
    )


def _projection_header(years) -> list[list[CellLike]]:
    """No. | Uraian | one column per plan year, under "Proyeksi (juta rupiah)"."""
    return [
        [
            Cell(_("No."), rowspan=2),
            Cell(_("Uraian"), rowspan=2),
            Cell(_("Proyeksi (juta rupiah)"), colspan=len(years)),
        ],
        [Cell(str(y)) for y in years],
    ]


def _comma(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


@register(
    "keuangan-kapasitas-riil",
    gettext_lazy("Kapasitas riil kemampuan keuangan daerah"),
    group=DATA,
    forward_looking=True,
)
def real_capacity(plan: Plan, params: str = "") -> Table:
    data = finance.capacity(plan)
    years = data.years
    header = _projection_header(years)
    rows = [
        ["1", _("Pendapatan daerah"), *(_millions(data.revenue[y]) for y in years)],
        [
            "2",
            _("Penerimaan pembiayaan (SiLPA dan lainnya)"),
            *(_millions(data.financing_in) for _y in years),
        ],
        [
            Cell(""),
            _("Total penerimaan"),
            *(_millions(data.total_receipts(y)) for y in years),
        ],
        [
            "3",
            _("Dikurangi: pengeluaran pembiayaan"),
            *(_millions(data.financing_out) for _y in years),
        ],
        [
            Cell(""),
            _("Kapasitas riil kemampuan keuangan daerah"),
            *(_millions(data.capacity(y)) for y in years),
        ],
    ]
    return Table(
        caption=_("Kapasitas Riil Kemampuan Keuangan Daerah %(region)s")
        % {"region": plan.region.full_name},
        header=header,
        rows=rows,
        source=_finance_source(plan),
        note=_(
            "Pendapatan sesuai tabel proyeksi pendapatan; penerimaan dan pengeluaran pembiayaan "
            "pada rata-rata realisasinya."
        ),
    )


@register(
    "keuangan-kerangka-pendanaan",
    gettext_lazy("Kerangka pendanaan"),
    group=DATA,
    forward_looking=True,
)
def funding_framework(plan: Plan, params: str = "") -> Table:
    data = finance.capacity(plan)
    years = data.years
    header = _projection_header(years)
    rows = [
        [
            "1",
            _("Kapasitas riil kemampuan keuangan daerah"),
            *(_millions(data.capacity(y)) for y in years),
        ],
        [
            "2",
            _("Belanja operasi (wajib dan mengikat)"),
            *(_millions(data.operating[y]) for y in years),
        ],
        [
            "3",
            _("Belanja tidak terduga dan belanja transfer"),
            *(_millions(data.other_spending[y]) for y in years),
        ],
        [
            Cell(""),
            _("Sisa kapasitas riil untuk program prioritas (1 − 2 − 3)"),
            *(_millions(data.remaining(y)) for y in years),
        ],
    ]
    return Table(
        caption=_("Kerangka Pendanaan Pembangunan Daerah %(region)s Tahun %(first)s–%(last)s")
        % {"region": plan.region.full_name, "first": years[0], "last": years[-1]},
        header=header,
        rows=rows,
        source=_finance_source(plan),
        note=_(
            "Belanja operasi, belanja tidak terduga dan belanja transfer diproyeksikan dengan "
            "rata-rata pertumbuhan realisasinya."
        ),
    )


# --- Bab IV: isu strategis ---------------------------------------------------------------------

TELAAH_COLUMNS = ["international", "rpjmn", "provincial", "klhs", "rtrw"]
# A plan of the RPJPN 2025–2045 cycle is read against the long-term plans too.
LONG_TERM_COLUMNS = ["rpjpn", "rpjpd"]


def strategic_only(build):
    """Strategic-issue tables follow the strategic-issue pages: a reader who may not open them
    (OPD staff, administrators) gets the table without rows and a note saying why; the PDF
    export and snapshots (no viewer) get it complete."""

    @functools.wraps(build)
    def for_viewer(plan: Plan, params: str = "", *, viewer=None) -> Table:
        table = build(plan, params)
        if viewer is None or can_view_strategic(viewer, plan):
            return table
        chart = table.chart and {**table.chart, "categories": [], "series": []}
        return dataclasses.replace(table, rows=[], note=partial_note(viewer, False), chart=chart)

    return for_viewer


@register(
    "isu-strategis-telaahan",
    gettext_lazy("Telaahan isu strategis menurut sumber"),
    group=ISSUES,
    per_viewer=True,
)
@strategic_only
def issue_review(plan: Plan, params: str = "") -> Table:
    """Each issue against the sources it was drawn from, as the alignment records them."""

    issues = StrategicIssue.objects.filter(plan=plan).prefetch_related(
        "alignments__national_priority",
        "alignments__sdg",
        "alignments__long_term_goal",
        "alignments__regional_mission",
    )
    long_term = plan.long_term_period is not None
    columns = TELAAH_COLUMNS[:2] + (LONG_TERM_COLUMNS if long_term else []) + TELAAH_COLUMNS[2:]
    rows = []
    for number, issue in enumerate(
        sorted(issues, key=lambda i: (i.adopted_rank is None, i.adopted_rank or 0, i.pk)), start=1
    ):
        cells: dict[str, list[str]] = {key: [] for key in columns}
        for alignment in issue.alignments.all():
            column = (
                "international" if alignment.source == Alignment.Source.SDG else alignment.source
            )
            text = alignment.note
            if alignment.reference:
                text = f"{alignment.reference}: {text}" if text else alignment.reference
            if column in cells:
                cells[column].append(text)
        rows.append([number, issue.title, *("; ".join(cells[k]) or "–" for k in columns)])
    labels = {
        "international": _("Dinamika internasional (termasuk TPB/SDGs)"),
        "rpjmn": _("Isu nasional (RPJMN)"),
        "rpjpn": _("RPJPN %(period)s") % {"period": plan.long_term_label},
        "rpjpd": _("RPJPD %(region)s") % {"region": plan.region.full_name},
        "provincial": _("RPJMD provinsi"),
        "klhs": _("KLHS"),
        "rtrw": _("RTRW"),
    }
    return Table(
        caption=_("Telaahan Isu Strategis Daerah terhadap Isu Lingkungan Eksternal"),
        header=[[_("No."), _("Isu strategis daerah"), *(labels[k] for k in columns)]],
        rows=rows,
        source=_("Keselarasan isu strategis yang dicatat perencana Bappeda"),
    )


@register(
    "isu-strategis-kriteria",
    gettext_lazy("Kriteria dan bobot penilaian"),
    group=ISSUES,
    per_viewer=True,
)
@strategic_only
def issue_criteria(plan: Plan, params: str = "") -> Table:

    criteria = list(Criterion.objects.filter(plan=plan))
    rows: list[list[CellLike]] = [[n, c.name, c.weight] for n, c in enumerate(criteria, start=1)]
    rows.append([Cell(""), _("Jumlah"), sum(c.weight for c in criteria)])
    return Table(
        caption=_("Kriteria Penilaian Isu Strategis dan Bobotnya"),
        header=[[_("No."), _("Kriteria"), _("Bobot (%)")]],
        rows=rows,
        source=_("Kriteria yang ditetapkan Bappeda (mengacu Permendagri 86/2017)"),
    )


@register(
    "isu-strategis-matriks",
    gettext_lazy("Matriks penilaian isu strategis per penilai"),
    group=ISSUES,
    per_viewer=True,
)
@strategic_only
def issue_scoring_matrix(plan: Plan, params: str = "") -> Table:
    """Issue × rater rows, one column per criterion and the rater's weighted total. Empty until
    the planner opens the results: nobody reads others' scores before that."""

    criteria = [c for c in Criterion.objects.filter(plan=plan) if c.weight > 0]
    header = [
        [
            _("No."),
            _("Isu strategis"),
            _("Penilai"),
            *(f"{c.name} ({c.weight}%)" for c in criteria),
            _("Nilai tertimbang"),
        ]
    ]
    caption = _("Matriks Penilaian Isu Strategis oleh Setiap Penilai")
    source = _("Penilaian isu strategis oleh perencana Bappeda dan narasumber")
    if not StrategicSettings.for_plan(plan).results_open:
        return Table(
            caption=caption,
            header=header,
            rows=[],
            source=source,
            note=_("Nilai ditampilkan setelah perencana membuka hasil penilaian."),
        )
    raters = list(Rater.objects.active().filter(plan=plan).select_related("user"))
    scores = {
        (r, i, c): v
        for r, i, c, v in Score.objects.filter(rater__plan=plan, rater__active=True).values_list(
            "rater_id", "issue_id", "criterion_id", "value"
        )
    }
    rows = []
    results = sorted(strategic.results(plan), key=lambda r: (r.rank is None, r.rank or 0))
    for number, result in enumerate(results, start=1):
        lead = [
            Cell(str(number), rowspan=len(raters) or 1),
            Cell(result.issue.title, rowspan=len(raters) or 1),
        ]
        for rater in raters:
            total = result.rater_totals.get(rater.pk)
            rows.append(
                [
                    *lead,
                    str(rater.user),
                    *(scores.get((rater.pk, result.issue.pk, c.pk)) for c in criteria),
                    _fraction(total),
                ]
            )
            lead = []
    return Table(caption=caption, header=header, rows=rows, source=source)


def _fraction(value) -> Decimal | None:
    return round_score(value)


# --- Figures (issue 16): the same data as pictures, numbered "Gambar" -------------------------

FIGURES = gettext_lazy("Gambar")
BILLION = Decimal(1_000_000_000)


def _trend_figure(aspect: Aspect):
    def build(plan: Plan, params: str = "") -> Table:
        rows = list(_accepted(plan).filter(aspect=aspect))
        years = [
            y for y in indicator_years(plan) if any(r.actual(y) is not None for r in rows)
        ] or indicator_years(plan)
        chart = Chart(
            key=f"tren-{aspect.value}",
            title="",
            description="",
            categories=[str(y) for y in years],
            series=[
                Series(
                    label=r.name,
                    values=[r.actual(y) for y in years],
                    unit=r.unit,
                    colour=PALETTE[n % len(PALETTE)],
                )
                for n, r in enumerate(rows)
            ],
            kind="panels",
            decimals=2,
        )
        return figure_table(
            chart,
            caption=_("Tren Indikator %(aspect)s %(region)s Tahun %(first)s–%(last)s")
            % {
                "aspect": str(ASPECT_IN_CAPTIONS[aspect]),
                "region": plan.region.full_name,
                "first": years[0],
                "last": years[-1],
            },
            source=_sources(r.source for r in rows)
            or _("Data indikator kinerja daerah pada aplikasi"),
        )

    return build


for _aspect in Aspect:
    register(
        f"grafik-tren-{_aspect.value.replace('_', '-')}",
        gettext_lazy("Grafik tren indikator: %(aspect)s") % {"aspect": _aspect.label},
        group=FIGURES,
        figure=True,
    )(_trend_figure(_aspect))


def _composition_figure(plan: Plan, key: str, lines, caption: str) -> Table:
    ledger = finance.Ledger.of(plan)
    years = ledger.years_with_data() or ledger.years

    def billions(value: Decimal | None) -> Decimal | None:
        return None if value is None else (value / BILLION).quantize(Decimal("0.01"))

    chart = Chart(
        key=key,
        title="",
        description="",
        categories=[str(y) for y in years],
        series=[
            Series(
                label=label,
                values=[billions(ledger.value(list(accounts), y)) for y in years],
                colour=PALETTE[n % len(PALETTE)],
            )
            for n, (label, accounts) in enumerate(lines)
        ],
        unit=_("miliar rupiah"),
        decimals=2,
    )
    return figure_table(chart, caption=caption, source=_finance_source(plan))


@register(
    "grafik-komposisi-pendapatan",
    gettext_lazy("Grafik komposisi realisasi pendapatan"),
    group=FIGURES,
    figure=True,
)
def revenue_composition(plan: Plan, params: str = "") -> Table:
    return _composition_figure(
        plan,
        "komposisi-pendapatan",
        [
            (_("Pendapatan asli daerah"), PAD_ACCOUNTS),
            (_label(Account.TRANSFER), [Account.TRANSFER]),
            (_label(Account.OTHER_REVENUE), [Account.OTHER_REVENUE]),
        ],
        _("Komposisi Realisasi Pendapatan Daerah %(region)s") % {"region": plan.region.full_name},
    )


@register(
    "grafik-komposisi-belanja",
    gettext_lazy("Grafik komposisi realisasi belanja"),
    group=FIGURES,
    figure=True,
)
def spending_composition(plan: Plan, params: str = "") -> Table:
    return _composition_figure(
        plan,
        "komposisi-belanja",
        [(label, accounts) for _n, label, accounts in _spending_lines()],
        _("Komposisi Realisasi Belanja Daerah %(region)s") % {"region": plan.region.full_name},
    )


@register(
    "grafik-peringkat-isu",
    gettext_lazy("Grafik peringkat isu strategis"),
    group=FIGURES,
    per_viewer=True,
    figure=True,
)
@strategic_only
def issue_ranking(plan: Plan, params: str = "") -> Table:
    chart = score_chart(plan, key="peringkat-isu")
    return figure_table(
        chart,
        caption=_("Peringkat Isu Strategis menurut Skor Tertimbang per Kriteria"),
        source=_("Hasil penilaian isu strategis oleh tim penilai pada aplikasi"),
    )
