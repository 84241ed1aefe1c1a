"""Permasalahan pembangunan daerah: what each OPD hands in during the identification stage.

The RPJMD table has three levels: masalah pokok (CoreProblem), masalah (Problem) and akar masalah
(RootCause). Evidence is indicators with yearly values and files. Review rules live in
issues/review.py; who may see what lives on ProblemQuerySet.visible_to.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rpjmd.models import Agency, Plan, Stage, User
from rpjmd.requests import positive_int
from rpjmd.storage import private_storage  # (also named by migration 0001)
from rpjmd.versioning import Versioned


class ProblemSettings(models.Model):
    """Plan-level choices about problems (the core app's Plan must not grow per-module fields)."""

    plan = models.OneToOneField(Plan, models.CASCADE, related_name="problem_settings")
    open_to_all_participants = models.BooleanField(
        _("permasalahan terbuka untuk semua peserta"),
        default=False,
        help_text=_(
            "Jika aktif, staf OPD dapat membaca permasalahan perangkat daerah lain yang telah "
            "diajukan (draf tetap tertutup)."
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengaturan permasalahan")
        verbose_name_plural = _("pengaturan permasalahan")

    def __str__(self):
        return str(self.plan)

    @classmethod
    def for_plan(cls, plan: Plan) -> ProblemSettings:
        found = cls.objects.filter(plan=plan).first()
        return found or cls(plan=plan)


class CoreProblem(models.Model):
    """A masalah pokok of one agency in one plan; several problems may share it."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="core_problems")
    agency = models.ForeignKey(Agency, models.PROTECT, related_name="core_problems")
    text = models.CharField(_("masalah pokok"), max_length=500)

    class Meta:
        verbose_name = _("masalah pokok")
        verbose_name_plural = _("masalah pokok")
        ordering = ["text"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "agency", "text"],
                name="core_problem_unique_text",
                violation_error_message=_("Masalah pokok ini sudah ada untuk perangkat daerah."),
            )
        ]

    def __str__(self):
        return self.text


class ProblemQuerySet(models.QuerySet):
    def visible_to(self, user: User):
        """Who reads which problem.

        OPD staff: every problem of their own agency (drafts included), the problems tabled in
        FGDs they are invited to and, when a planner has opened them to all participants, the
        submitted problems of the other agencies. Planners and leaders: every problem of their
        region once submitted (a draft stays the agency's own). Narasumber: only the problems
        tabled in FGDs they are invited to. Administrators: none. Never another region.
        """
        if not (user.is_authenticated and user.is_active) or user.region_id is None:
            return self.none()
        mine = self.filter(plan__region_id=user.region_id)
        if user.is_opd:
            shared = Q(
                plan__problem_settings__open_to_all_participants=True,
                agency__region_id=user.region_id,
            ) & ~Q(status=Problem.Status.DRAFT)
            tabled = self._tabled_at_invited_fgds(user)
            return mine.filter(Q(agency_id=user.agency_id) | shared | tabled)
        if user.is_planner or user.is_leader:
            return mine.exclude(status=Problem.Status.DRAFT)
        if user.is_resource_person:
            return mine.filter(self._tabled_at_invited_fgds(user))
        return self.none()

    @staticmethod
    def _tabled_at_invited_fgds(user: User) -> Q:
        """Problems a planner tabled in an FGD the user is invited to (fgd.TabledProblem): the
        FGD page shows their evidence to everyone invited, so the problem page opens too.

        Written with the related names fgd gives this model (`fgd_tablings`), not with fgd's
        models: fgd sits above issues. It is the rule of fgd.models.MeetingQuerySet.visible_to
        for invited users; tests/fgd/test_visibility.py checks that both agree."""
        meeting = "fgd_tablings__meeting__"
        if user.is_superuser:
            invited = Q(fgd_tablings__isnull=False)
        else:
            invited = Q(**{f"{meeting}invitations__user": user}) | Q(**{f"{meeting}notulis": user})
            if user.is_opd:
                invited |= Q(**{f"{meeting}invitations__agency_id": user.agency_id})
            if user.is_resource_person:
                invited |= Q(**{f"{meeting}invitations__resource_person__user": user})
            invited &= Q(**{f"{meeting}plan__region_id": user.region_id})
        tabled = Problem.objects.filter(invited).values("pk")
        return Q(pk__in=tabled) & ~Q(status=Problem.Status.DRAFT)

    def submitted(self):
        return self.exclude(status=Problem.Status.DRAFT)

    def search(self, text: str):
        """Every word must occur in the problem's text (see Problem.search_text).

        PostgreSQL matches stems with the 'indonesian' full-text configuration, each word also
        as a prefix ("pendidikan" finds "didik", "partisi" finds "partisipasi"), on a GIN index
        (migration 0010). SQLite keeps the lower-cased `contains` per word."""
        # No stored text holds a NUL (PostgreSQL refuses one even in a query parameter).
        text = text.replace("\x00", " ").lower()
        if connection.vendor == "postgresql":
            # Only word characters reach the query: none of to_tsquery's operators can.
            words = re.findall(r"\w+", text)
            if not words:
                return self
            query = SearchQuery(
                " & ".join(f"{word}:*" for word in words), config="indonesian", search_type="raw"
            )
            return self.annotate(
                search_vector=SearchVector("search_text", config="indonesian")
            ).filter(search_vector=query)
        for word in text.split():
            self = self.filter(search_text__contains=word)
        return self


class Problem(Versioned):
    """A development problem (masalah) one agency hands in, with its place in the RPJMD table."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        ACCEPTED = "accepted", _("Diterima")
        RETURNED = "returned", _("Dikembalikan")
        DUPLICATE = "duplicate", _("Duplikat")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="problems")
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="problems", verbose_name=_("perangkat daerah")
    )
    # The identification stage it was handed in for; a deleted stage leaves the problem standing.
    stage = models.ForeignKey(
        Stage,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("tahapan"),
    )
    affair = models.ForeignKey(
        "rpjmd.Affair", models.PROTECT, related_name="problems", verbose_name=_("bidang urusan")
    )
    whole_region = models.BooleanField(
        _("seluruh kabupaten"),
        default=False,
        help_text=_(
            "Centang bila permasalahan ini terjadi di seluruh wilayah, bukan kecamatan tertentu"
        ),
    )
    districts = models.ManyToManyField(
        "rpjmd.District", blank=True, related_name="problems", verbose_name=_("kecamatan")
    )
    national_priorities = models.ManyToManyField(
        "rpjmd.NationalPriority",
        blank=True,
        related_name="problems",
        verbose_name=_("prioritas nasional"),
    )
    sdgs = models.ManyToManyField(
        "rpjmd.Sdg", blank=True, related_name="problems", verbose_name=_("TPB/SDGs")
    )
    # Offered only to plans of the RPJPN 2025–2045 cycle (Plan.long_term_period).
    long_term_goals = models.ManyToManyField(
        "rpjmd.NationalLongTermGoal",
        blank=True,
        related_name="problems",
        verbose_name=_("arah pembangunan RPJPN"),
    )
    regional_missions = models.ManyToManyField(
        "rpjmd.RegionalLongTermMission",
        blank=True,
        related_name="problems",
        verbose_name=_("misi RPJPD"),
    )
    # Indicators of the RPJMD that is ending whose target was missed: the evaluation behind
    # the problem. Named as a string, as Indicator.regional_series is (regional sits above).
    missed_targets = models.ManyToManyField(
        "regional.RegionalIndicator",
        blank=True,
        related_name="citing_problems",
        verbose_name=_("indikator RPJMD lalu yang tidak tercapai"),
    )
    core_problem = models.ForeignKey(
        CoreProblem, models.PROTECT, related_name="problems", verbose_name=_("masalah pokok")
    )
    statement = models.TextField(
        _("masalah"), help_text=_("Rumusan masalah: kondisi yang terjadi dan dampaknya")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    submitted_at = models.DateTimeField(_("diajukan"), null=True, blank=True)
    reviewer_note = models.TextField(_("catatan peninjau"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplikat dari"),
    )
    # Lower-cased text of the problem, its core problem, root causes, indicators and note, kept
    # by update_search_text(): one `contains` per word searches everything on any database.
    search_text = models.TextField(editable=False, blank=True, default="")
    # PostgreSQL only: the masalah's stems ('indonesian'), kept with search_text, so similar
    # problems are found and ranked without re-parsing every statement (issues/similarity.py).
    statement_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text", "statement_vector", "updated_at"])
    objects = ProblemQuerySet.as_manager()

    class Meta:
        verbose_name = _("permasalahan")
        verbose_name_plural = _("permasalahan")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["plan", "status"], name="problem_plan_status"),
            models.Index(fields=["plan", "agency"], name="problem_plan_agency"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="problem_duplicate_has_original",
                violation_error_message=_("Duplikat harus menunjuk permasalahan aslinya."),
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("pk")),
                name="problem_not_duplicate_of_itself",
                violation_error_message=_("Permasalahan tidak dapat menjadi duplikat dirinya."),
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.statement[:80]}"

    @property
    def number(self) -> str:
        return f"#{self.pk}"

    @property
    def is_editable(self) -> bool:
        """The agency may change it while it is its own work: a draft, or returned to it."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def build_search_text(self) -> str:
        parts = [self.statement, self.core_problem.text, self.reviewer_note]
        parts += [cause.text for cause in self.root_causes.all()]
        for indicator in self.indicators.all():
            parts += [indicator.name, indicator.source]
        return " ".join(p for p in parts if p).lower()

    def update_search_text(self) -> None:
        # update(): the search column is derived, it is not a change worth a history row.
        self.search_text = self.build_search_text()
        derived = {"search_text": self.search_text}
        if connection.vendor == "postgresql":
            derived["statement_vector"] = SearchVector("statement", config="indonesian")
        # nosemgrep: rpjmd-no-bulk-write-on-history-models - both are excluded from history
        Problem.objects.filter(pk=self.pk).update(**derived)


class RootCause(models.Model):
    """An akar masalah: why the problem exists, in the order the agency ranks them."""

    problem = models.ForeignKey(Problem, models.CASCADE, related_name="root_causes")
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    text = models.TextField(_("akar masalah"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("akar masalah")
        verbose_name_plural = _("akar masalah")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


class Factor(models.Model):
    """A faktor pendorong (what helps solve the problem) or penghambat (what stands in the way),
    in the order the agency ranks them within each kind."""

    class Kind(models.TextChoices):
        DRIVING = "driving", _("Faktor pendorong")
        HINDERING = "hindering", _("Faktor penghambat")

    problem = models.ForeignKey(Problem, models.CASCADE, related_name="factors")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind)
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    text = models.TextField(_("faktor"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("faktor pendorong/penghambat")
        verbose_name_plural = _("faktor pendorong/penghambat")
        ordering = ["kind", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["driving", "hindering"]), name="factor_known_kind"
            )
        ]

    def __str__(self):
        return self.text


class PotentialQuerySet(models.QuerySet):
    def visible_to(self, user: User):
        """Planners and leaders: every potensi of their region. OPD staff: their agency's.
        Narasumber: the ones they recorded themselves. Administrators: none."""
        if not (user.is_authenticated and user.is_active) or user.region_id is None:
            return self.none()
        mine = self.filter(plan__region_id=user.region_id)
        if user.is_planner or user.is_leader:
            return mine
        if user.is_opd:
            return mine.filter(agency_id=user.agency_id)
        if user.is_resource_person:
            return mine.filter(created_by=user)
        return self.none()


class Potential(Versioned):
    """A potensi of the region: a strength or an opportunity the plan can build on, recorded by
    an agency or by a narasumber (from an FGD input: fgd.Input.potentials), with its evidence."""

    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Kekuatan")
        OPPORTUNITY = "opportunity", _("Peluang")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="potentials")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind, default=Kind.STRENGTH)
    affair = models.ForeignKey(
        "rpjmd.Affair", models.PROTECT, related_name="potentials", verbose_name=_("bidang urusan")
    )
    # The agency that holds it; empty for a narasumber's own.
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="potentials",
        verbose_name=_("perangkat daerah"),
    )
    title = models.CharField(_("potensi"), max_length=300)
    description = models.TextField(
        _("uraian"), blank=True, help_text=_("Apa potensinya, di mana, dan seberapa besar")
    )
    source = models.CharField(
        _("sumber data"),
        max_length=300,
        blank=True,
        help_text=_("mis. BPS, Kukar Dalam Angka 2020, paparan narasumber"),
    )
    created_by = models.ForeignKey(
        User, models.SET_NULL, null=True, related_name="+", verbose_name=_("dicatat oleh")
    )
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PotentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("potensi")
        verbose_name_plural = _("potensi")
        ordering = ["affair__code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["strength", "opportunity"]), name="potential_known_kind"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def recorded_by_label(self) -> str:
        if self.agency_id:
            return self.agency.short_name or self.agency.name
        return str(self.created_by) if self.created_by_id else ""


def baseline_years(plan: Plan) -> list[int]:
    """The years whose figures describe the starting point: the five before the plan period."""
    return list(range(plan.start_year - 5, plan.start_year))


def validate_yearly_values(value) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("Nilai tahunan harus berupa pasangan tahun dan angka."))
    for year, number in value.items():
        if not (isinstance(year, str) and positive_int(year, minimum=1990, maximum=2100)):
            raise ValidationError(_("Tahun %(year)s tidak sah.") % {"year": year})
        try:
            Decimal(str(number))
        except InvalidOperation:
            raise ValidationError(_("Nilai tahun %(year)s bukan angka.") % {"year": year}) from None


class Indicator(models.Model):
    """Evidence in figures: an indicator with its yearly values, a comparison and the source."""

    class ComparisonKind(models.TextChoices):
        PROVINCIAL = "provincial", _("Rata-rata provinsi")
        NATIONAL = "national", _("Rata-rata nasional")
        SERVICE_STANDARD = "spm", _("Standar pelayanan minimal (SPM)")

    problem = models.ForeignKey(Problem, models.CASCADE, related_name="indicators")
    name = models.CharField(_("indikator"), max_length=300)
    unit = models.CharField(_("satuan"), max_length=50)
    # {"2016": "7.63", "2017": "7.41"}: decimal strings, so no float rounding creeps in.
    values = models.JSONField(
        _("nilai tahunan"), default=dict, blank=True, validators=[validate_yearly_values]
    )
    comparison_value = models.DecimalField(
        _("nilai pembanding"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    comparison_kind = models.CharField(
        _("jenis pembanding"), max_length=20, choices=ComparisonKind, blank=True
    )
    source = models.CharField(
        _("sumber data"), max_length=300, help_text=_("mis. BPS, Kukar Dalam Angka 2020")
    )
    # The same figures already kept as regional data: the problem points at them, so one
    # series serves both the evidence and the Bab II tables.
    regional_series = models.ForeignKey(
        "regional.RegionalIndicator",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="problem_indicators",
        verbose_name=_("seri data daerah"),
        help_text=_(
            "Pilih bila indikator ini sudah ada di Data daerah; nama dan nilai diambil dari sana"
        ),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comparison_value__isnull=True) | ~Q(comparison_kind=""),
                name="indicator_comparison_has_kind",
                violation_error_message=_("Sebutkan jenis nilai pembanding."),
            )
        ]

    def __str__(self):
        return self.name

    def value_for(self, year: int) -> Decimal | None:
        raw = self.values.get(str(year))
        if raw in (None, "") and self.regional_series_id:
            # A year the agency did not retype reads the linked regional series.
            return self.regional_series.actual(year)
        return None if raw in (None, "") else Decimal(str(raw))

    def series(self, years: list[int]) -> list[Decimal | None]:
        return [self.value_for(year) for year in years]


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: the uploader's file name never reaches the file system.
    return f"attachments/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Attachment(models.Model):
    """A file of evidence (PDF, XLSX, DOCX, JPG, PNG), checked by content on upload.

    It backs exactly one problem or one potensi: both hand in evidence the same way."""

    problem = models.ForeignKey(
        Problem, models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    potential = models.ForeignKey(
        "Potential", models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("berkas"), upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(_("jenis isi"), max_length=100)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("pengunggah")
    )
    uploaded_at = models.DateTimeField(_("diunggah"), default=timezone.now)

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__isnull=False, potential__isnull=True)
                | Q(problem__isnull=True, potential__isnull=False),
                name="attachment_backs_one_record",
            )
        ]

    def __str__(self):
        return self.original_name


def import_path(instance: ProblemImport, filename: str) -> str:
    return f"imports/{uuid.uuid4().hex}.xlsx"


class ProblemImportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An import is its uploader's own: the page shows their file's row errors."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(created_by=user)


class ProblemImport(models.Model):
    """One Excel import of problems, read and saved by the task worker (issues/imports.py).

    The uploaded file is kept (privately) only until the worker has read it; the outcome is the
    number of problems created, or the row/column errors (then nothing was created).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="+")
    created_by = models.ForeignKey(User, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("diunggah"), default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Refreshed while rows are read: a "running" import that stops moving was killed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    step = models.CharField(_("langkah"), max_length=200, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    file = models.FileField(upload_to=import_path, storage=private_storage, blank=True)
    errors = models.JSONField(default=list, blank=True)  # [{"row", "column", "message"}]
    created_count = models.PositiveIntegerField(default=0)
    # Rows whose masalah resembles problems already in the plan, found before they were saved:
    # [{"row", "statement", "similar": [problem ids]}]; shown through visible_to, never as is.
    similar = models.JSONField(default=list, blank=True)

    objects = ProblemImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("impor Excel")
        verbose_name_plural = _("impor Excel")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="problem_import_known_status",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="problem_import_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Transition(models.Model):
    """One step of a problem's review, kept for the timeline: who, when, from what, to what."""

    problem = models.ForeignKey(Problem, models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("dari"), max_length=20, choices=Problem.Status)
    to_status = models.CharField(_("menjadi"), max_length=20, choices=Problem.Status)
    by = models.ForeignKey(
        User, models.SET_NULL, null=True, related_name="+", verbose_name=_("oleh")
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("riwayat status")
        verbose_name_plural = _("riwayat status")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class DeadlineExtension(models.Model):
    """A later deadline for one agency in one stage, granted by a planner."""

    stage = models.ForeignKey(Stage, models.CASCADE, related_name="deadline_extensions")
    agency = models.ForeignKey(
        Agency,
        models.CASCADE,
        related_name="deadline_extensions",
        verbose_name=_("perangkat daerah"),
    )
    until = models.DateField(_("diperpanjang sampai"), help_text=_("Hari terakhir, waktu daerah"))
    reason = models.CharField(_("alasan"), max_length=500)
    granted_by = models.ForeignKey(
        User, models.SET_NULL, null=True, related_name="+", verbose_name=_("diberikan oleh")
    )
    granted_at = models.DateTimeField(_("diberikan"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("perpanjangan tenggat")
        verbose_name_plural = _("perpanjangan tenggat")
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "agency"],
                name="deadline_extension_unique",
                violation_error_message=_("Perangkat daerah ini sudah mendapat perpanjangan."),
            )
        ]

    def __str__(self):
        return f"{self.agency} → {self.until}"


def deadline_for(stage: Stage, agency_id: int, extensions=None) -> dt.date:
    """The last day the agency may hand in: the stage's deadline, or its later extension."""
    if extensions is None:
        extension = stage.deadline_extensions.filter(agency_id=agency_id).first()
    else:
        extension = extensions.get(agency_id)
    if extension is not None and extension.until > stage.closes_on:
        return extension.until
    return stage.closes_on


# --- Strategic issues (isu strategis, issue 5) -----------------------------------------------


class StrategicSettings(Versioned):
    """Plan-level scoring state: the scale, and whether the results are open."""

    plan = models.OneToOneField(Plan, models.CASCADE, related_name="strategic_settings")
    scale_min = models.PositiveSmallIntegerField(_("nilai skala terendah"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("nilai skala tertinggi"), default=5)
    results_open = models.BooleanField(_("hasil dibuka"), default=False)
    results_opened_at = models.DateTimeField(_("hasil dibuka pada"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pengaturan penilaian isu strategis")
        verbose_name_plural = _("pengaturan penilaian isu strategis")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")),
                name="strategic_scale_ordered",
                violation_error_message=_("Nilai tertinggi harus lebih besar dari terendah."),
            )
        ]

    def __str__(self):
        return str(self.plan)

    @classmethod
    def for_plan(cls, plan: Plan) -> StrategicSettings:
        found = cls.objects.filter(plan=plan).first()
        return found or cls(plan=plan)

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


class StrategicIssueQuerySet(models.QuerySet):
    def visible_to(self, user: User):
        """Planners, leaders and narasumber of the plan's region; nobody else."""
        if not (user.is_authenticated and user.is_active) or user.region_id is None:
            return self.none()
        if user.is_planner or user.is_leader or user.is_resource_person:
            return self.filter(plan__region_id=user.region_id)
        return self.none()


class StrategicIssue(Versioned):
    """An isu strategis: a synthesis of accepted problems and FGD inputs, ranked by raters."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="strategic_issues")
    title = models.CharField(_("isu strategis"), max_length=300)
    description = models.TextField(_("uraian"), blank=True)
    rationale = models.TextField(_("alasan/justifikasi"), blank=True)
    problems = models.ManyToManyField(
        Problem, blank=True, related_name="strategic_issues", verbose_name=_("permasalahan")
    )
    lead_agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("perangkat daerah pengampu"),
    )
    supporting_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("perangkat daerah pendukung")
    )
    # Set by the adoption decision: the rank it was adopted at (None: not adopted).
    adopted_rank = models.PositiveSmallIntegerField(_("ditetapkan pada peringkat"), null=True)
    # Why it was adopted although a problem behind it is not (yet) accepted; printed with the
    # ranking in the document so the reader sees the exception (see strategic.adopt).
    adoption_reason = models.TextField(_("alasan penetapan"), blank=True)
    created_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    # The potensi the issue can build on (shown beside its problems).
    potentials = models.ManyToManyField(
        Potential, blank=True, related_name="strategic_issues", verbose_name=_("potensi pendukung")
    )

    # The FGD inputs behind an issue are `fgd_inputs`, the reverse of fgd.Input.strategic_issues.
    history = HistoricalRecords(m2m_fields=[problems])
    objects = StrategicIssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("isu strategis")
        verbose_name_plural = _("isu strategis")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.title


class Alignment(models.Model):
    """Where an issue comes from or aligns with: RPJMN, SDGs, provincial RPJMD, KLHS, RTRW…"""

    class Source(models.TextChoices):
        RPJMN = "rpjmn", _("Prioritas nasional RPJMN")
        RPJPN = "rpjpn", _("Arah pembangunan RPJPN")
        RPJPD = "rpjpd", _("Misi RPJPD")
        SDG = "sdg", _("TPB/SDGs")
        PROVINCIAL = "provincial", _("RPJMD provinsi")
        KLHS = "klhs", _("Rekomendasi KLHS")
        RTRW = "rtrw", _("RTRW")
        INTERNATIONAL = "international", _("Dinamika internasional")

    issue = models.ForeignKey(StrategicIssue, models.CASCADE, related_name="alignments")
    source = models.CharField(_("sumber"), max_length=20, choices=Source)
    national_priority = models.ForeignKey(
        "rpjmd.NationalPriority",
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("prioritas nasional"),
    )
    sdg = models.ForeignKey(
        "rpjmd.Sdg", models.PROTECT, null=True, blank=True, verbose_name=_("TPB/SDGs")
    )
    long_term_goal = models.ForeignKey(
        "rpjmd.NationalLongTermGoal",
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("arah pembangunan RPJPN"),
    )
    regional_mission = models.ForeignKey(
        "rpjmd.RegionalLongTermMission",
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("misi RPJPD"),
    )
    note = models.CharField(_("catatan"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keselarasan")
        verbose_name_plural = _("keselarasan")
        ordering = ["source", "pk"]

    def __str__(self):
        return f"{self.get_source_display()}: {self.note}"

    @property
    def reference(self) -> str:
        if self.regional_mission is not None:
            return _("Misi %(n)s RPJPD") % {"n": self.regional_mission.number}
        return str(self.national_priority or self.long_term_goal or self.sdg or "")


class NotStrategic(models.Model):
    """An accepted problem a planner decided not to carry into any strategic issue, and why."""

    problem = models.OneToOneField(Problem, models.CASCADE, related_name="not_strategic")
    reason = models.CharField(_("alasan"), max_length=500)
    by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("waktu"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("permasalahan bukan isu strategis")
        verbose_name_plural = _("permasalahan bukan isu strategis")

    def __str__(self):
        return self.reason


class IssueChange(models.Model):
    """The record of a merge, split or adoption, in words (issues may be gone later)."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Penggabungan")
        SPLIT = "split", _("Pemecahan")
        ADOPT = "adopt", _("Penetapan")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="strategic_issue_changes")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind)
    summary = models.TextField(_("ringkasan"))
    details = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("perubahan isu strategis")
        verbose_name_plural = _("perubahan isu strategis")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return self.summary


class Criterion(models.Model):
    """A scoring criterion of the plan with its weight (the weights add up to 100)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    name = models.CharField(_("kriteria"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("bobot"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kriteria")
        verbose_name_plural = _("kriteria")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class RaterQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Rater(models.Model):
    """A planner or narasumber who scores the plan's issues. A rater taken off the list is kept
    inactive with their scores (left out of the ranking), so ticking them again restores both."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="raters")
    user = models.ForeignKey(User, models.CASCADE, related_name="rater_of")
    active = models.BooleanField(_("aktif"), default=True)

    objects = RaterQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("penilai")
        verbose_name_plural = _("penilai")
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "user"], name="rater_unique_per_plan")
        ]

    def __str__(self):
        return str(self.user)


class Score(models.Model):
    """One rater's value for one issue on one criterion."""

    rater = models.ForeignKey(Rater, models.CASCADE, related_name="scores")
    issue = models.ForeignKey(StrategicIssue, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("nilai"))
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("nilai")
        verbose_name_plural = _("nilai")
        constraints = [
            models.UniqueConstraint(
                fields=["rater", "issue", "criterion"], name="score_one_per_rater_issue_criterion"
            )
        ]

    def __str__(self):
        return str(self.value)
