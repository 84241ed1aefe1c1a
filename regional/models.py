"""Data daerah: the figures chapters II and III of the RPJMD are tabulated from.

Two kinds, both of one plan (their years follow its start year) and both with history:
- RegionalIndicator: an indikator kinerja daerah with realisasi and target for the five years
  before the plan, per aspect and bidang urusan; OPD staff keep their urusan's rows, a planner
  reviews them (diajukan / diterima / dikembalikan).
- FinanceEntry: realised APBD of one year and one Permendagri 90 account group, typed by a
  planner in a year × account grid; FinanceSettings holds the source line and projection rate.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from issues.models import validate_yearly_values
from rpjmd.models import Affair, Agency, Plan, User
from rpjmd.versioning import Versioned


def indicator_years(plan: Plan) -> list[int]:
    """The five years before the plan (2016–2020 for a 2021 plan)."""
    return list(range(plan.start_year - 5, plan.start_year))


def evaluation_years(plan: Plan) -> list[int]:
    """The years of the RPJMD that is ending (2016–2021 for a 2021 plan): the plan's own
    choice when it names them, else the five years before it and its first year, since a
    new RPJMD starts in the last year of the one before."""
    first, last = plan.previous_period
    return list(range(first, last + 1))


def finance_years(plan: Plan) -> list[int]:
    """Six years before the plan: five growth rates need six realised budgets."""
    return list(range(plan.start_year - 6, plan.start_year))


class Aspect(models.TextChoices):
    """The four aspects of Bab II (Permendagri 86/2017)."""

    GEOGRAPHY = "geografi", _("Aspek geografi dan demografi")
    WELFARE = "kesejahteraan", _("Aspek kesejahteraan masyarakat")
    SERVICES = "pelayanan_umum", _("Aspek pelayanan umum")
    COMPETITIVENESS = "daya_saing", _("Aspek daya saing daerah")


class Category(models.TextChoices):
    """Kriteria tingkat capaian kinerja of the evaluation annex of Permendagri 86/2017."""

    VERY_HIGH = "sangat_tinggi", _("Sangat tinggi")
    HIGH = "tinggi", _("Tinggi")
    MEDIUM = "sedang", _("Sedang")
    LOW = "rendah", _("Rendah")
    VERY_LOW = "sangat_rendah", _("Sangat rendah")


# Lower bounds of each category in capaian %: the annex writes 91–100, 76–90, 66–75, 51–65 and
# ≤50 for whole percentages; a capaian between two bands (90,5) falls in the lower one, and one
# above 100 stays "sangat tinggi".
CATEGORY_FLOORS = [
    (Decimal(91), Category.VERY_HIGH),
    (Decimal(76), Category.HIGH),
    (Decimal(66), Category.MEDIUM),
    (Decimal(51), Category.LOW),
]


def achievement_category(achievement: Decimal | None) -> Category | None:
    if achievement is None:
        return None
    for floor, category in CATEGORY_FLOORS:
        if achievement >= floor:
            return category
    return Category.VERY_LOW


class RegionalIndicatorQuerySet(models.QuerySet):
    def visible_to(self, user: User):
        """Everyone working in the plan's pemda reads its regional data; nobody else."""
        if not (user.is_authenticated and user.is_active) or user.region_id is None:
            return self.none()
        return self.filter(plan__region_id=user.region_id)

    def accepted(self):
        return self.filter(status=RegionalIndicator.Status.ACCEPTED)

    def conditions(self):
        return self.filter(series=RegionalIndicator.Series.CONDITION)

    def evaluations(self):
        return self.filter(series=RegionalIndicator.Series.EVALUATION)


class RegionalIndicator(Versioned):
    """An indikator kinerja daerah with its yearly realisasi and target (decimal strings).

    Two series share the model, its entry, review and import: the gambaran umum of the five
    years before the plan (Bab II capaian tables) and the evaluasi of the RPJMD that is ending
    (its indicators with target and realisasi over that plan's years).
    """

    class Series(models.TextChoices):
        CONDITION = "kondisi", _("Gambaran kondisi daerah")
        EVALUATION = "evaluasi", _("Evaluasi RPJMD periode lalu")

    class Polarity(models.TextChoices):
        UP = "up", _("Naik baik")
        DOWN = "down", _("Turun baik")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        ACCEPTED = "accepted", _("Diterima")
        RETURNED = "returned", _("Dikembalikan")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="regional_indicators")
    series = models.CharField(
        _("jenis data"), max_length=10, choices=Series, default=Series.CONDITION, db_index=True
    )
    aspect = models.CharField(_("aspek"), max_length=20, choices=Aspect)
    affair = models.ForeignKey(
        Affair,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="regional_indicators",
        verbose_name=_("bidang urusan"),
        help_text=_("Wajib untuk aspek pelayanan umum; boleh kosong untuk aspek lain"),
    )
    name = models.CharField(_("indikator"), max_length=300)
    unit = models.CharField(_("satuan"), max_length=50)
    polarity = models.CharField(_("polaritas"), max_length=5, choices=Polarity, default=Polarity.UP)
    # {"2016": "72.75"}: decimal strings, as issues.Indicator keeps them.
    actuals = models.JSONField(
        _("realisasi"), default=dict, blank=True, validators=[validate_yearly_values]
    )
    targets = models.JSONField(
        _("target"), default=dict, blank=True, validators=[validate_yearly_values]
    )
    source = models.CharField(
        _("sumber data"),
        max_length=300,
        help_text=_("mis. BPS, Kukar Dalam Angka 2020; tulis “ilustrasi” bila bukan angka resmi"),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True
    )
    reviewer_note = models.TextField(_("catatan peninjau"), blank=True)
    created_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("oleh")
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = RegionalIndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indikator kinerja daerah")
        verbose_name_plural = _("indikator kinerja daerah")
        ordering = ["aspect", "affair__code", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(aspect="pelayanan_umum") | Q(affair__isnull=False),
                name="regional_indicator_service_has_affair",
                violation_error_message=_("Indikator aspek pelayanan umum harus berbidang urusan."),
            ),
            models.UniqueConstraint(
                fields=["plan", "series", "aspect", "affair", "name"],
                name="regional_indicator_unique_name_per_series",
                violation_error_message=_("Indikator ini sudah ada pada aspek dan urusan itu."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"

    def actual(self, year: int) -> Decimal | None:
        return _decimal(self.actuals.get(str(year)))

    def target(self, year: int) -> Decimal | None:
        return _decimal(self.targets.get(str(year)))

    def achievement(self, year: int) -> Decimal | None:
        """Capaian (%): realisasi against target; for "turun baik" indicators the standard
        inverse, (2 − realisasi/target) × 100, so a lower realisasi scores above 100."""
        actual, target = self.actual(year), self.target(year)
        if actual is None or not target:
            return None
        ratio = actual / target
        if self.polarity == self.Polarity.DOWN:
            ratio = 2 - ratio
        return (ratio * 100).quantize(Decimal("0.01"))

    def category(self, year: int) -> Category | None:
        return achievement_category(self.achievement(year))

    def latest_achievement(self, years: list[int]) -> tuple[int, Decimal] | None:
        """The last year with a capaian among `years`, and that capaian."""
        for year in reversed(years):
            value = self.achievement(year)
            if value is not None:
                return year, value
        return None

    def missed(self, years: list[int]) -> bool:
        """Its last capaian fell short of the target (below 100 %)."""
        latest = self.latest_achievement(years)
        return latest is not None and latest[1] < 100

    @property
    def is_evaluation(self) -> bool:
        return self.series == self.Series.EVALUATION

    def years(self) -> list[int]:
        return evaluation_years(self.plan) if self.is_evaluation else indicator_years(self.plan)

    @property
    def is_editable_by_agency(self) -> bool:
        return self.status != self.Status.ACCEPTED


def _decimal(raw) -> Decimal | None:
    return None if raw in (None, "") else Decimal(str(raw))


class Account(models.TextChoices):
    """The APBD account groups of Permendagri 90/2019 the RPJMD tables are made of.

    The code is the account's place in the chart (4.1.01 …), so entries sort as the APBD reads.
    """

    PAD_TAX = "4.1.01", _("Pajak daerah")
    PAD_LEVY = "4.1.02", _("Retribusi daerah")
    PAD_ASSETS = "4.1.03", _("Hasil pengelolaan kekayaan daerah yang dipisahkan")
    PAD_OTHER = "4.1.04", _("Lain-lain PAD yang sah")
    TRANSFER = "4.2", _("Pendapatan transfer")
    OTHER_REVENUE = "4.3", _("Lain-lain pendapatan daerah yang sah")
    OPERATING = "5.1", _("Belanja operasi")
    CAPITAL = "5.2", _("Belanja modal")
    UNEXPECTED = "5.3", _("Belanja tidak terduga")
    TRANSFER_OUT = "5.4", _("Belanja transfer")
    FINANCING_IN = "6.1", _("Penerimaan pembiayaan")
    FINANCING_OUT = "6.2", _("Pengeluaran pembiayaan")


PAD_ACCOUNTS = [Account.PAD_TAX, Account.PAD_LEVY, Account.PAD_ASSETS, Account.PAD_OTHER]
REVENUE_ACCOUNTS = [*PAD_ACCOUNTS, Account.TRANSFER, Account.OTHER_REVENUE]
SPENDING_ACCOUNTS = [Account.OPERATING, Account.CAPITAL, Account.UNEXPECTED, Account.TRANSFER_OUT]
FINANCING_ACCOUNTS = [Account.FINANCING_IN, Account.FINANCING_OUT]


class FinanceEntryQuerySet(models.QuerySet):
    def visible_to(self, user: User):
        if not (user.is_authenticated and user.is_active) or user.region_id is None:
            return self.none()
        return self.filter(plan__region_id=user.region_id)


class FinanceEntry(models.Model):
    """Realisasi APBD of one year and one account group, in rupiah."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="finance_entries")
    year = models.PositiveSmallIntegerField(_("tahun anggaran"))
    account = models.CharField(_("kelompok akun"), max_length=10, choices=Account)
    amount = models.DecimalField(
        _("realisasi (Rp)"),
        max_digits=20,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    history = HistoricalRecords()
    objects = FinanceEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("realisasi APBD")
        verbose_name_plural = _("realisasi APBD")
        ordering = ["year", "account"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year", "account"], name="finance_entry_one_per_year_account"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="finance_entry_not_negative",
                violation_error_message=_("Realisasi tidak boleh negatif."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_account_display()}"


class FinanceSettings(models.Model):
    """The source line of the finance tables and how revenue is projected."""

    plan = models.OneToOneField(Plan, models.CASCADE, related_name="finance_settings")
    source = models.CharField(
        _("sumber data keuangan"),
        max_length=300,
        blank=True,
        help_text=_("mis. LKPD audit BPK 2015–2019; tulis “ilustrasi” bila bukan angka resmi"),
    )
    projection_rate = models.DecimalField(
        _("laju proyeksi pendapatan (% per tahun)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-50)), MaxValueValidator(Decimal(100))],
        help_text=_("Kosongkan untuk memakai rata-rata pertumbuhan realisasi tiap akun"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengaturan keuangan daerah")
        verbose_name_plural = _("pengaturan keuangan daerah")

    def __str__(self):
        return str(self.plan)

    @classmethod
    def for_plan(cls, plan: Plan) -> FinanceSettings:
        return cls.objects.filter(plan=plan).first() or cls(plan=plan)


def agency_affairs(agency: Agency | None) -> set[int]:
    return set(agency.affairs.values_list("pk", flat=True)) if agency else set()
