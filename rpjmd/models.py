"""The plan and its people: regions, plans, stages, agencies, users and reference data."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rpjmd.versioning import Versioned

RPJMN_PERIODS = [("2020-2024", "RPJMN 2020–2024"), ("2025-2029", "RPJMN 2025–2029")]


class Region(models.Model):
    """A pemda (regional government): the owner of plans, agencies and kecamatan."""

    class Kind(models.TextChoices):
        REGENCY = "kabupaten", _("Kabupaten")
        CITY = "kota", _("Kota")
        PROVINCE = "provinsi", _("Provinsi")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB (UTC+7)"
        WITA = "Asia/Makassar", "WITA (UTC+8)"
        WIT = "Asia/Jayapura", "WIT (UTC+9)"

    name = models.CharField(
        _("nama"), max_length=200, help_text=_("Tanpa jenis, mis. Kutai Kartanegara")
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind, default=Kind.REGENCY)
    code = models.CharField(_("kode Kemendagri"), max_length=20, unique=True)
    province = models.CharField(_("provinsi"), max_length=200, blank=True)
    capital = models.CharField(_("ibu kota"), max_length=200, blank=True)
    time_zone = models.CharField(
        _("zona waktu"), max_length=40, choices=TimeZone, default=TimeZone.WITA
    )
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)

    class Meta:
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")
        ordering = ["name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def today(self) -> dt.date:
        """The date in the region right now: deadlines are days in the region, not in UTC."""
        return timezone.localtime(timezone.now(), self.zone).date()


class Affair(models.Model):
    """A bidang urusan pemerintahan of Permendagri 90/2019 (e.g. 1.01 Pendidikan)."""

    code = models.CharField(_("kode"), max_length=10, unique=True)
    group_code = models.CharField(_("kode urusan"), max_length=5)
    group_name = models.CharField(_("urusan"), max_length=255)
    name = models.CharField(_("bidang urusan"), max_length=255)
    nomenclature = models.CharField(_("nomenklatur"), max_length=255)
    kind = models.CharField(_("jenis"), max_length=100)

    class Meta:
        verbose_name = _("bidang urusan")
        verbose_name_plural = _("bidang urusan")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class NationalPriority(models.Model):
    """A Prioritas Nasional of one RPJMN period."""

    period = models.CharField(_("periode RPJMN"), max_length=20, choices=RPJMN_PERIODS)
    legal_basis = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    code = models.CharField(_("kode"), max_length=10)
    name = models.CharField(_("nama"), max_length=500)

    class Meta:
        verbose_name = _("prioritas nasional")
        verbose_name_plural = _("prioritas nasional")
        ordering = ["period", "code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "code"], name="national_priority_unique_code")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


# Which long-term plan frames a plan, by the RPJMN period it aligns with.
LONG_TERM_PERIODS = {"2025-2029": "2025-2045"}


class NationalLongTermGoal(models.Model):
    """A misi of the RPJPN, or one of the arah (tujuan) pembangunan under a misi."""

    class Level(models.TextChoices):
        MISSION = "misi", _("Misi")
        DIRECTION = "arah", _("Arah (tujuan) pembangunan")

    period = models.CharField(_("periode RPJPN"), max_length=20)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level)
    code = models.CharField(_("kode"), max_length=10)
    name = models.CharField(_("nama"), max_length=300)
    mission = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="directions",
        verbose_name=_("misi"),
    )
    legal_basis = models.CharField(_("dasar hukum"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("misi/arah RPJPN")
        verbose_name_plural = _("misi/arah RPJPN")
        ordering = ["period", "level", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "code"], name="national_long_term_goal_unique_code"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class RegionalLongTermPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(region_id=user.region_id)


class RegionalLongTermPlan(Versioned):
    """The region's RPJPD (its twenty-year plan): visi, misi and the arah kebijakan of each
    five-year stage, typed by a Bappeda planner from the Perda."""

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="long_term_plans", verbose_name=_("daerah")
    )
    first_year = models.PositiveSmallIntegerField(_("tahun awal"), default=2025)
    last_year = models.PositiveSmallIntegerField(_("tahun akhir"), default=2045)
    legal_basis = models.CharField(
        _("dasar hukum"),
        max_length=300,
        blank=True,
        help_text=_("mis. Perda Nomor … Tahun 2024; tulis “ilustrasi” bila bukan teks resmi"),
    )
    vision = models.TextField(_("visi"))
    # {"2025-2029": "…"}: the arah kebijakan of each five-year stage.
    directions = models.JSONField(_("arah kebijakan per tahapan"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = RegionalLongTermPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("RPJPD")
        verbose_name_plural = _("RPJPD")
        ordering = ["region", "-first_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "first_year"], name="regional_long_term_plan_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(last_year__gt=F("first_year")),
                name="regional_long_term_plan_years_ordered",
                violation_error_message=_("Tahun akhir harus setelah tahun awal."),
            ),
        ]

    def __str__(self):
        return f"RPJPD {self.region} {self.first_year}–{self.last_year}"

    def stages(self) -> list[tuple[int, int]]:
        """Five-year stages; the last one takes the remaining years (2040–2045)."""
        starts = list(range(self.first_year, self.last_year, 5))
        ends = [s + 4 for s in starts[:-1]] + [self.last_year]
        return list(zip(starts, ends, strict=True))

    @staticmethod
    def stage_key(first: int, last: int) -> str:
        return f"{first}-{last}"

    def direction_for(self, year: int) -> tuple[str, str] | None:
        """(stage label, arah kebijakan) of the stage holding `year`."""
        for first, last in self.stages():
            if first <= year <= last:
                return f"{first}–{last}", self.directions.get(self.stage_key(first, last), "")
        return None


class RegionalLongTermMission(models.Model):
    """One misi of the region's RPJPD."""

    long_term_plan = models.ForeignKey(
        RegionalLongTermPlan, models.CASCADE, related_name="missions", verbose_name=_("RPJPD")
    )
    number = models.PositiveSmallIntegerField(_("nomor"))
    text = models.CharField(_("misi"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("misi RPJPD")
        verbose_name_plural = _("misi RPJPD")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["long_term_plan", "number"], name="regional_mission_unique_number"
            )
        ]

    def __str__(self):
        return _("Misi %(n)s RPJPD: %(text)s") % {"n": self.number, "text": self.text}


class Sdg(models.Model):
    """One of the 17 Tujuan Pembangunan Berkelanjutan (SDGs)."""

    number = models.PositiveSmallIntegerField(_("tujuan ke-"), unique=True)
    name = models.CharField(_("nama"), max_length=200)

    class Meta:
        verbose_name = _("TPB/SDGs")
        verbose_name_plural = _("TPB/SDGs")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class District(models.Model):
    """A kecamatan of a region."""

    region = models.ForeignKey(Region, models.CASCADE, related_name="districts")
    # Newer kecamatan may not have a Kemendagri code in our sources yet: empty, not invented.
    code = models.CharField(_("kode"), max_length=20, blank=True)
    name = models.CharField(_("nama"), max_length=200)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="district_unique_name"),
            models.UniqueConstraint(
                fields=["region", "code"], condition=~Q(code=""), name="district_unique_code"
            ),
        ]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """An OPD (perangkat daerah) and the bidang urusan it carries out."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="agencies")
    name = models.CharField(_("nama"), max_length=255)
    short_name = models.CharField(_("singkatan"), max_length=50)
    affairs = models.ManyToManyField(
        Affair, blank=True, related_name="agencies", verbose_name=_("bidang urusan")
    )
    is_planning_agency = models.BooleanField(
        _("Bappeda"), default=False, help_text=_("Badan perencanaan yang menyusun RPJMD")
    )

    class Meta:
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "short_name"], name="agency_unique_short_name"
            ),
            models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name"),
        ]

    def __str__(self):
        return self.short_name


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        # Everyone else works inside their own pemda.
        return self.filter(region_id=user.region_id)


class Plan(Versioned):
    """A five-year plan being drafted: the aggregate root everything else hangs from."""

    class Kind(models.TextChoices):
        RPJMD = "rpjmd", "RPJMD"
        RPD = "rpd", "RPD"

    region = models.ForeignKey(
        Region, models.PROTECT, related_name="plans", verbose_name=_("daerah")
    )
    kind = models.CharField(_("jenis dokumen"), max_length=10, choices=Kind, default=Kind.RPJMD)
    title = models.CharField(_("judul"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("tahun awal"))
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"))
    rpjmn_period = models.CharField(
        _("periode RPJMN acuan"),
        max_length=20,
        choices=RPJMN_PERIODS,
        help_text=_("Prioritas nasional yang menjadi acuan keselarasan"),
    )
    # The RPJMD that is ending, whose indicators the evaluasi table reviews. Empty: the five
    # years before this plan and its first year (2016–2021 for 2021–2026).
    previous_start_year = models.PositiveSmallIntegerField(
        _("tahun awal RPJMD periode lalu"), null=True, blank=True
    )
    previous_end_year = models.PositiveSmallIntegerField(
        _("tahun akhir RPJMD periode lalu"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila RPJMD lalu berakhir pada tahun awal rencana ini"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencana")
        verbose_name_plural = _("rencana")
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gt=F("start_year")),
                name="plan_years_ordered",
                violation_error_message=_("Tahun akhir harus setelah tahun awal."),
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=2000, end_year__lte=2100),
                name="plan_years_plausible",
                violation_error_message=_("Tahun rencana harus antara 2000 dan 2100."),
            ),
            models.CheckConstraint(
                condition=Q(previous_start_year__isnull=True)
                | Q(previous_end_year__isnull=True)
                | Q(previous_end_year__gt=F("previous_start_year")),
                name="plan_previous_years_ordered",
                violation_error_message=_("Tahun akhir RPJMD lalu harus setelah tahun awalnya."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def period_label(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    def national_priorities(self):
        return NationalPriority.objects.filter(period=self.rpjmn_period)

    @property
    def previous_period(self) -> tuple[int, int]:
        first = self.previous_start_year or self.start_year - 5
        return first, self.previous_end_year or max(first + 5, self.start_year)

    @property
    def long_term_period(self) -> str | None:
        """The RPJPN (and RPJPD) period framing the plan, read from its RPJMN choice: RPJMN
        2025–2029 is the first stage of RPJPN 2025–2045; plans under RPJMN 2020–2024 were
        framed by the RPJPN 2005–2025, which this application does not carry."""
        return LONG_TERM_PERIODS.get(self.rpjmn_period)

    @property
    def long_term_label(self) -> str:
        return (self.long_term_period or "").replace("-", "–")

    def national_long_term_goals(self):
        """The RPJPN arah (tujuan) pembangunan this plan aligns with; none for older plans."""
        if self.long_term_period is None:
            return NationalLongTermGoal.objects.none()
        return NationalLongTermGoal.objects.filter(
            period=self.long_term_period, level=NationalLongTermGoal.Level.DIRECTION
        ).select_related("mission")

    def regional_long_term_plan(self) -> RegionalLongTermPlan | None:
        """The region's RPJPD that covers this plan, when the plan belongs to its cycle."""
        if self.long_term_period is None:
            return None
        return RegionalLongTermPlan.objects.filter(
            region_id=self.region_id,
            first_year__lte=self.start_year,
            last_year__gte=self.start_year,
        ).first()

    def regional_long_term_missions(self):
        rpjpd = self.regional_long_term_plan()
        if rpjpd is None:
            return RegionalLongTermMission.objects.none()
        return rpjpd.missions.all()

    def stage_of_kind(self, kind: str) -> Stage | None:
        # A plan has a handful of stages: reading them all costs nothing where a page prefetched
        # them, and one query otherwise, as a filter would.
        return next((stage for stage in self.stages.all() if stage.kind == kind), None)


class StageQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(plan__in=Plan.objects.visible_to(user))


class Stage(Versioned):
    """A step of the technocratic process with its own window and deadline."""

    class Kind(models.TextChoices):
        IDENTIFICATION = "identification", _("Identifikasi permasalahan")
        DRAFT_FGD = "draft_fgd", _("FGD rancangan teknokratik")
        FINALISATION = "finalisation", _("Finalisasi")
        SUBMISSION = "submission", _("Penyampaian")
        OTHER = "other", _("Lainnya")

    class State(models.TextChoices):
        PLANNED = "planned", _("Belum dibuka")
        OPEN = "open", _("Dibuka")
        CLOSED = "closed", _("Ditutup")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    name = models.CharField(_("nama tahapan"), max_length=200)
    kind = models.CharField(
        _("jenis"),
        max_length=20,
        choices=Kind,
        default=Kind.OTHER,
        help_text=_(
            "Menentukan fitur yang mengikuti tahapan ini, mis. batas pengajuan permasalahan"
        ),
    )
    opens_on = models.DateField(_("tanggal mulai"))
    closes_on = models.DateField(_("tenggat"), help_text=_("Hari terakhir tahapan, waktu daerah"))
    state = models.CharField(_("status"), max_length=10, choices=State, default=State.PLANNED)
    description = models.TextField(_("keterangan"), blank=True)

    history = HistoricalRecords()
    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = _("tahapan")
        verbose_name_plural = _("tahapan")
        ordering = ["order", "opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="stage_dates_ordered",
                violation_error_message=_("Tenggat tidak boleh sebelum tanggal mulai."),
            ),
            # "The identification stage" must mean one stage; only "other" may repeat.
            models.UniqueConstraint(
                fields=["plan", "kind"], condition=~Q(kind="other"), name="stage_unique_kind"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind != self.Kind.OTHER and self.plan_id:
            clash = Stage.objects.filter(plan_id=self.plan_id, kind=self.kind).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(
                    {"kind": _("Rencana ini sudah memiliki tahapan berjenis ini.")}
                )

    def days_left(self, today: dt.date) -> int:
        """Days until the deadline; 0 on the deadline itself, negative once it has passed."""
        return (self.closes_on - today).days

    def timeline_status(self, today: dt.date) -> str:
        if self.state == self.State.CLOSED:
            return "closed"
        if today < self.opens_on:
            return "upcoming"
        if today <= self.closes_on:
            return "ongoing"
        return "overdue"

    def set_state(self, state: str) -> None:
        self.state = state
        self.save(update_fields=["state"])


class WorkbenchUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", "admin")
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person using the workbench, with exactly one role."""

    class Role(models.TextChoices):
        OPD = "opd", _("Staf OPD")
        PLANNER = "planner", _("Perencana Bappeda")
        RESOURCE_PERSON = "resource_person", _("Narasumber")
        LEADER = "leader", _("Pimpinan")
        ADMIN = "admin", _("Administrator")

    first_name = None
    last_name = None
    full_name = models.CharField(_("nama lengkap"), max_length=200, help_text=_("Dengan gelar"))
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    role = models.CharField(_("peran"), max_length=20, choices=Role)
    region = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("daerah"),
        help_text=_("Pemda tempat pengguna bekerja; kosong hanya untuk administrator pusat"),
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("perangkat daerah"),
    )

    REQUIRED_FIELDS = ["email", "full_name"]
    objects = WorkbenchUserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["full_name", "username"]
        # The central administrator's list of every user (12,000 at national scale) reads its
        # first page from here instead of sorting the table.
        indexes = [models.Index(fields=["full_name", "username"], name="user_name_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["opd", "planner", "resource_person", "leader", "admin"]),
                name="user_has_one_known_role",
            ),
            models.CheckConstraint(
                condition=~Q(role="opd") | Q(agency__isnull=False), name="opd_user_has_agency"
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(",")[0] if self.full_name else self.username

    def clean(self):
        super().clean()
        if self.role == self.Role.OPD and not self.agency_id:
            raise ValidationError(
                {"agency": _("Staf OPD harus terdaftar pada satu perangkat daerah.")}
            )
        if self.agency_id:
            if self.region_id is None:
                self.region_id = self.agency.region_id
            elif self.agency.region_id != self.region_id:
                raise ValidationError(
                    {"agency": _("Perangkat daerah harus berada di daerah pengguna.")}
                )

    def save(self, *args, **kwargs):
        # The region always follows the agency, so nobody ends up in two pemda at once.
        if self.agency_id and self.region_id is None:
            self.region_id = Agency.objects.values_list("region_id", flat=True).get(
                pk=self.agency_id
            )
        # Only administrators reach the Django admin; a planner's power is in the app itself.
        self.is_staff = self.role == self.Role.ADMIN
        super().save(*args, **kwargs)

    @property
    def is_opd(self) -> bool:
        return self.role == self.Role.OPD

    @property
    def is_planner(self) -> bool:
        return self.role == self.Role.PLANNER

    @property
    def is_resource_person(self) -> bool:
        return self.role == self.Role.RESOURCE_PERSON

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user) if user.is_authenticated else self.none()

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one person: a problem returned, an FGD invitation, a mention."""

    recipient = models.ForeignKey(User, models.CASCADE, related_name="notifications")
    plan = models.ForeignKey(Plan, models.CASCADE, null=True, blank=True, related_name="+")
    # Stored as written when it happened, in the app's language (Indonesian).
    message = models.CharField(_("pesan"), max_length=500)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]

    def __str__(self):
        return self.message

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            self.save(update_fields=["read_at"])


class AuditEventQuerySet(models.QuerySet):
    """Audit events are written once and never changed: no bulk update or delete either."""

    def update(self, **kwargs):
        raise PermissionError("Catatan audit tidak dapat diubah.")

    def delete(self):
        raise PermissionError("Catatan audit tidak dapat dihapus.")


class AuditEvent(models.Model):
    """One security-relevant event: who did what to which object, from where, and the outcome.

    Append-only (the model refuses updates and deletes; on PostgreSQL a trigger refuses them
    too). Written by `rpjmd.audit.record`, which also logs the event as a JSON line.
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("Masuk")
        LOGIN_FAILED = "login_failed", _("Gagal masuk")
        LOCKOUT = "lockout", _("Akun dikunci")
        LOGOUT = "logout", _("Keluar")
        SESSION_EXPIRED = "session_expired", _("Sesi berakhir")
        PASSWORD_CHANGED = "password_changed", _("Kata sandi diubah")
        PERMISSION_DENIED = "permission_denied", _("Akses ditolak")
        OBJECT_DENIED = "object_denied", _("Akses data ditolak")
        NOT_FOUND = "not_found", _("Alamat tidak ditemukan")
        CSRF_FAILED = "csrf_failed", _("Token formulir tidak sah")
        EXPORT = "export", _("Ekspor")
        TWO_FACTOR = "two_factor", _("Verifikasi dua langkah")
        TWO_FACTOR_ON = "two_factor_on", _("Verifikasi dua langkah diaktifkan")
        RECOVERY_CODES = "recovery_codes", _("Kode cadangan diterbitkan")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Berhasil")
        FAILURE = "failure", _("Gagal")
        DENIED = "denied", _("Ditolak")

    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    action = models.CharField(_("peristiwa"), max_length=30, choices=Action)
    outcome = models.CharField(_("hasil"), max_length=10, choices=Outcome)
    # No database constraint: the trail outlives the user it names (and is never rewritten).
    actor = models.ForeignKey(
        User,
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    object_type = models.CharField(_("jenis data"), max_length=100, blank=True)
    object_id = models.CharField(_("ID data"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    path = models.CharField(_("alamat halaman"), max_length=500, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "created_at"], name="audit_by_actor"),
            models.Index(fields=["action", "created_at"], name="audit_by_action"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.username or '-'}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Catatan audit tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Catatan audit tidak dapat dihapus.")
