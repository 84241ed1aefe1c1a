"""FGD meetings: narasumber, invitations, agenda, attendance, minutes, inputs and berita acara.

An FGD (`Meeting`) belongs to one plan and one of its stages. Everything said in the room is
recorded against it: who came (`Attendance`), what the notulis wrote per agenda item
(`Minutes`, versioned), every input and who gave it (`Input`, answered before closing), what was
agreed (`AgreedItem`), who does what next (`FollowUp`) and the signed record (`OfficialRecord`).
The rules that span several of these live in `fgd/workflow.py`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import partial

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history import utils as history_utils
from simple_history.models import HistoricalRecords

from rpjmd.models import Agency, Plan, Stage, User
from rpjmd.storage import private_storage  # (also named by migration 0001)
from rpjmd.versioning import Versioned

# Check-in codes are read aloud and typed on phones: no 0/O, 1/I/L look-alikes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_check_in_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_check_in_token() -> str:
    return secrets.token_urlsafe(24)


class LinkHistory(HistoricalRecords):
    """HistoricalRecords whose `m2m_fields` also keep the links written from the other side.

    simple_history records an m2m change as a change of the signal's instance, which is the other
    model when the link is written through the reverse manager (`issue.fgd_inputs.set(...)`, as
    the linking page, merge and split do): its handler would save the wrong model. Here every row
    of the tracked model whose links changed gets its own history row, with the acting user taken
    from the other side's `_history_user` (else the request's, as usual). Deleting the other side
    (merge deletes the absorbed issue) drops the links without an m2m signal, so the rows that
    lose a link are read before the delete and recorded after it.
    """

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is not self.cls:
            return
        for field in self.get_m2m_fields_from_model(sender):
            other = field.remote_field.model  # may still be "app.Model": the signal resolves it
            models.signals.pre_delete.connect(
                partial(self._before_other_deleted, field=field), sender=other, weak=False
            )
            models.signals.post_delete.connect(
                partial(self._after_other_deleted, field=field), sender=other, weak=False
            )

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if hasattr(instance, "skip_history_when_saving"):
            return None
        field = getattr(self.cls, attr).field
        if action == "pre_clear":  # clear() names no rows: read them while they are linked
            instance._history_links_going = self._linked_to(field, instance)
        elif action in ("post_add", "post_remove"):
            self._record(self.cls._default_manager.filter(pk__in=pk_set), by=instance)
        elif action == "post_clear":
            going = instance.__dict__.pop("_history_links_going", [])
            self._record(self.cls._default_manager.filter(pk__in=going), by=instance)
        return None

    def _linked_to(self, field, other) -> list:
        through = field.remote_field.through
        return list(
            through.objects.filter(
                **{history_utils.get_m2m_reverse_field_name(field): other}
            ).values_list(f"{history_utils.get_m2m_field_name(field)}_id", flat=True)
        )

    def _before_other_deleted(self, instance, field, **kwargs):
        instance._history_links_going = self._linked_to(field, instance)

    def _after_other_deleted(self, instance, field, **kwargs):
        going = instance.__dict__.pop("_history_links_going", [])
        if going:  # the rows themselves may be going in the same cascade: those are not found
            self._record(self.cls._default_manager.filter(pk__in=going), by=instance)

    def _record(self, rows, *, by) -> None:
        user = getattr(by, "_history_user", None)
        for row in rows:
            if user is not None:
                row._history_user = user
            self.create_historical_record(row, "~")


class ResourcePersonQuerySet(models.QuerySet):
    def for_region(self, region_id):
        return self.filter(region_id=region_id)


class ResourcePerson(Versioned):
    """A narasumber: an expert invited to speak, kept once and invited to many FGDs."""

    region = models.ForeignKey(
        "rpjmd.Region", models.PROTECT, related_name="resource_persons", verbose_name=_("daerah")
    )
    full_name = models.CharField(
        _("nama lengkap"),
        max_length=200,
        help_text=_(
            "Dengan gelar akademik seperti tertulis, mis. Drs. Sumedi Andono Mulyo, MA, Ph.D"
        ),
    )
    position = models.CharField(_("jabatan"), max_length=255, blank=True)
    institution = models.CharField(_("instansi"), max_length=255, blank=True)
    # Personal data (UU PDP): shown only to planners, never written to logs.
    email = models.EmailField(_("surel"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    user = models.OneToOneField(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="resource_person",
        verbose_name=_("akun"),
        limit_choices_to={"role": User.Role.RESOURCE_PERSON},
        help_text=_(
            "Akun narasumber untuk masuk ke aplikasi; hanya melihat FGD yang mengundangnya"
        ),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    history = HistoricalRecords()
    objects = ResourcePersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("narasumber")
        verbose_name_plural = _("narasumber")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "full_name"],
                name="resource_person_unique_name",
                violation_error_message=_("Narasumber dengan nama ini sudah terdaftar."),
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def affiliation(self) -> str:
        return ", ".join(part for part in [self.position, self.institution] if part)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user: User):
        """Who sees which FGD.

        Planners, leaders and administrators: every FGD of their region. OPD staff: FGDs their
        agency is invited to. Narasumber: FGDs they are invited to. Anyone invited by name, or
        named notulis, sees that FGD too. Never another region.
        """
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser:
            return self
        mine = self.filter(plan__region_id=user.region_id)
        if user.is_planner or user.is_leader or user.is_admin:
            return mine
        invited = Q(invitations__user=user) | Q(notulis=user)
        if user.is_opd:
            invited |= Q(invitations__agency_id=user.agency_id)
        if user.is_resource_person:
            invited |= Q(invitations__resource_person__user=user)
        return mine.filter(pk__in=self.model.objects.filter(invited).values("pk"))

    def upcoming(self, now: dt.datetime | None = None):
        return self.filter(ends_at__gte=now or timezone.now()).exclude(status=Meeting.Status.CLOSED)


class Meeting(Versioned):
    """A focus group discussion, held as an official event of a stage."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        RUNNING = "running", _("Berlangsung")
        CLOSED = "closed", _("Ditutup")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="meetings")
    stage = models.ForeignKey(
        Stage, models.PROTECT, related_name="meetings", verbose_name=_("tahapan")
    )
    title = models.CharField(_("judul"), max_length=255)
    purposes = models.TextField(
        _("tujuan"), help_text=_("Satu tujuan per baris, berurutan seperti dibacakan")
    )
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    venue = models.CharField(
        _("tempat"), max_length=255, blank=True, help_text=_("Mis. Hotel Astara, Balikpapan")
    )
    online_link = models.URLField(
        _("tautan daring"), blank=True, help_text=_("Isi bila FGD diadakan daring atau hibrida")
    )
    moderator = models.CharField(_("moderator"), max_length=200, blank=True)
    notulis = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="minuted_meetings",
        verbose_name=_("notulis"),
        help_text=_("Pegawai yang menulis notulensi langsung di aplikasi"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PLANNED, db_index=True
    )
    check_in_token = models.CharField(max_length=64, unique=True, default=new_check_in_token)
    check_in_code = models.CharField(
        _("kode presensi"), max_length=CODE_LENGTH, unique=True, default=new_check_in_code
    )
    # Why pending inputs were left unanswered when the planner closed the meeting anyway.
    pending_reason = models.TextField(_("alasan masukan belum ditanggapi"), blank=True)
    minutes_published_at = models.DateTimeField(_("notulensi diterbitkan"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["check_in_token"])
    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("FGD")
        verbose_name_plural = _("FGD")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("Waktu selesai harus setelah waktu mulai."),
            ),
            models.CheckConstraint(
                condition=~Q(venue="") | ~Q(online_link=""),
                name="meeting_has_a_place",
                violation_error_message=_("Isi tempat atau tautan daring."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def purpose_list(self) -> list[str]:
        return [line.strip() for line in self.purposes.splitlines() if line.strip()]

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def safe_online_link(self) -> str:
        """The link, only if it is a web address (a javascript: URL never becomes a link)."""
        link = self.online_link.strip()
        return link if link.lower().startswith(("https://", "http://")) else ""

    @property
    def minutes_published(self) -> bool:
        return self.minutes_published_at is not None

    @property
    def zone(self):
        return self.plan.region.zone

    def check_in_window(self) -> tuple[dt.datetime, dt.datetime]:
        """From one hour before the start until the end of the last day, in the region's zone."""
        last_day = timezone.localtime(self.ends_at, self.zone).date()
        end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, self.zone)
        return self.starts_at - dt.timedelta(hours=1), end

    def check_in_open(self, now: dt.datetime | None = None) -> bool:
        opens, closes = self.check_in_window()
        return opens <= (now or timezone.now()) < closes and not self.is_closed

    @cached_property
    def planning_agency(self) -> Agency | None:
        return Agency.objects.filter(region_id=self.plan.region_id, is_planning_agency=True).first()


class StatusChange(models.Model):
    """One step of a meeting's life: started, closed, reopened (with the reason)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("dari"), max_length=10, choices=Meeting.Status)
    to_status = models.CharField(_("menjadi"), max_length=10, choices=Meeting.Status)
    reason = models.TextField(_("alasan"), blank=True)
    by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("perubahan status FGD")
        verbose_name_plural = _("perubahan status FGD")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    starts_at = models.TimeField(_("jam mulai"), null=True, blank=True)
    ends_at = models.TimeField(_("jam selesai"), null=True, blank=True)
    title = models.CharField(_("acara"), max_length=255)
    presenter = models.CharField(_("penyaji"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("susunan acara")
        verbose_name_plural = _("susunan acara")
        ordering = ["order", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gt=models.F("starts_at")),
                name="agenda_item_ends_after_start",
                violation_error_message=_("Jam selesai harus setelah jam mulai."),
            )
        ]

    def __str__(self):
        return self.title


class Invitation(models.Model):
    """Who is invited: an agency (all its staff), a user account, or a narasumber."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(
        Agency, models.CASCADE, null=True, blank=True, related_name="fgd_invitations"
    )
    user = models.ForeignKey(
        User, models.CASCADE, null=True, blank=True, related_name="fgd_invitations"
    )
    resource_person = models.ForeignKey(
        ResourcePerson, models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    invited_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=False, user__isnull=True, resource_person__isnull=True)
                | Q(agency__isnull=True, user__isnull=False, resource_person__isnull=True)
                | Q(agency__isnull=True, user__isnull=True, resource_person__isnull=False),
                name="invitation_one_invitee",
                violation_error_message=_("Undangan ditujukan kepada satu pihak."),
            ),
            models.UniqueConstraint(fields=["meeting", "agency"], name="invitation_unique_agency"),
            models.UniqueConstraint(fields=["meeting", "user"], name="invitation_unique_user"),
            models.UniqueConstraint(
                fields=["meeting", "resource_person"], name="invitation_unique_resource_person"
            ),
        ]

    def __str__(self):
        return str(self.agency or self.user or self.resource_person)


class Attendance(models.Model):
    """One line of the daftar hadir."""

    class Method(models.TextChoices):
        PLANNER = "planner", _("Dicatat panitia")
        LINK = "link", _("Presensi mandiri lewat tautan")
        CODE = "code", _("Presensi mandiri dengan kode")
        GUEST = "guest", _("Tamu dicatat panitia")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="fgd_attendances"
    )
    resource_person = models.ForeignKey(
        ResourcePerson, models.PROTECT, null=True, blank=True, related_name="attendances"
    )
    guest_name = models.CharField(_("nama"), max_length=200, blank=True)
    guest_position = models.CharField(_("jabatan"), max_length=255, blank=True)
    guest_institution = models.CharField(_("instansi"), max_length=255, blank=True)
    # Personal data (UU PDP): shown only to planners and the notulis, never in logs or PDFs.
    guest_contact = models.CharField(_("kontak (telepon/surel)"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="fgd_attendances",
        verbose_name=_("perangkat daerah"),
    )
    checked_in_at = models.DateTimeField(_("waktu hadir"), default=timezone.now)
    method = models.CharField(_("cara"), max_length=10, choices=Method)
    recorded_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        ordering = ["checked_in_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, resource_person__isnull=True, guest_name="")
                | Q(user__isnull=True, resource_person__isnull=False, guest_name="")
                | (Q(user__isnull=True, resource_person__isnull=True) & ~Q(guest_name="")),
                name="attendance_one_person",
                violation_error_message=_("Kehadiran dicatat untuk satu orang."),
            ),
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique_user"),
            models.UniqueConstraint(
                fields=["meeting", "resource_person"], name="attendance_unique_resource_person"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_guest(self) -> bool:
        return bool(self.guest_name)

    @property
    def name(self) -> str:
        if self.resource_person_id:
            return self.resource_person.full_name
        if self.user_id:
            return self.user.full_name or self.user.username
        return self.guest_name

    @property
    def position(self) -> str:
        if self.resource_person_id:
            return self.resource_person.position
        if self.user_id:
            return self.user.position
        return self.guest_position

    @property
    def institution(self) -> str:
        if self.resource_person_id:
            return self.resource_person.institution
        if self.agency_id:
            return self.agency.name
        return self.guest_institution


class Minutes(models.Model):
    """The notulensi of one agenda item, written live; `version` guards against lost updates."""

    agenda_item = models.OneToOneField(AgendaItem, models.CASCADE, related_name="minutes")
    text = models.TextField(_("notulensi"), blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notulensi")
        verbose_name_plural = _("notulensi")

    def __str__(self):
        return str(self.agenda_item)


class MinutesRevision(models.Model):
    """Every saved version of a minutes text, so nothing written is ever lost."""

    minutes = models.ForeignKey(Minutes, models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField()
    by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "version"], name="minutes_revision_unique_version"
            )
        ]

    def __str__(self):
        return f"{self.minutes} v{self.version}"


class TabledProblem(models.Model):
    """A problem a planner put on the table of an FGD, so everyone invited reads its evidence.

    Only submitted or accepted problems of the meeting's plan are tabled (`fgd.workflow`); being
    tabled is what lets narasumber, and OPD staff of other agencies, read a problem at all
    (`ProblemQuerySet.visible_to`)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="tabled_problems")
    # PROTECT: a problem discussed in an FGD stays on its record (only drafts are ever deleted).
    problem = models.ForeignKey(
        "issues.Problem",
        models.PROTECT,
        related_name="fgd_tablings",
        verbose_name=_("permasalahan"),
    )
    tabled_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("oleh")
    )
    tabled_at = models.DateTimeField(_("dibahas sejak"), default=timezone.now)

    class Meta:
        verbose_name = _("permasalahan yang dibahas")
        verbose_name_plural = _("permasalahan yang dibahas")
        ordering = ["tabled_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "problem"],
                name="tabled_problem_unique",
                violation_error_message=_("Permasalahan ini sudah dibahas dalam FGD tersebut."),
            )
        ]

    def __str__(self):
        return f"{self.meeting} · {self.problem}"


class InputQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(response=Input.Response.PENDING)


class Input(Versioned):
    """A masukan given in the FGD: who said it, what kind, and how Bappeda answered it."""

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("Saran")
        CLARIFICATION = "clarification", _("Klarifikasi")
        STRATEGIC_ISSUE = "strategic_issue", _("Usulan isu strategis")
        DATA_CORRECTION = "data_correction", _("Koreksi data")

    class Response(models.TextChoices):
        PENDING = "pending", _("Belum ditanggapi")
        ACCEPTED = "accepted", _("Diterima")
        PARTLY = "partly", _("Diterima sebagian")
        REJECTED = "rejected", _("Tidak diterima")

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="inputs")
    # The author is exactly one of: a narasumber, an agency (and who spoke for it), a guest.
    resource_person = models.ForeignKey(
        ResourcePerson,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inputs",
        verbose_name=_("narasumber"),
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="fgd_inputs",
        verbose_name=_("perangkat daerah"),
    )
    speaker = models.CharField(
        _("disampaikan oleh"), max_length=200, blank=True, help_text=_("Nama yang berbicara")
    )
    guest = models.ForeignKey(
        Attendance,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inputs",
        verbose_name=_("tamu"),
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind)
    text = models.TextField(_("isi masukan"))
    # Only problems tabled in the same meeting (checked by the forms that set it).
    problems = models.ManyToManyField(
        "issues.Problem",
        blank=True,
        related_name="fgd_inputs",
        verbose_name=_("permasalahan terkait"),
    )
    # The potensi the input speaks of, or that was recorded from it (issues.Potential).
    potentials = models.ManyToManyField(
        "issues.Potential",
        blank=True,
        related_name="fgd_inputs",
        verbose_name=_("potensi terkait"),
    )
    # Where the input landed among the strategic issues. The link belongs to the input (FGD sits
    # above issues); the table is the one the field used when it lived on StrategicIssue, so the
    # links carried over as they were (migrations issues 0004 and fgd 0003).
    strategic_issues = models.ManyToManyField(
        "issues.StrategicIssue",
        blank=True,
        related_name="fgd_inputs",
        db_table="issues_strategicissue_fgd_inputs",
        verbose_name=_("isu strategis"),
    )
    response = models.CharField(
        _("tanggapan"), max_length=10, choices=Response, default=Response.PENDING
    )
    response_reason = models.TextField(_("alasan"), blank=True)
    landed_in = models.CharField(
        _("ditindaklanjuti di"),
        max_length=255,
        blank=True,
        help_text=_("Mis. Bab IV isu strategis 2, atau tabel permasalahan Dinkes"),
    )
    responded_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    responded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    # Each history row lists the issues the input fed at that moment, so a link or unlink made
    # from either side (the linking page, merge, split) says who and when.
    history = LinkHistory(m2m_fields=[strategic_issues])
    objects = InputQuerySet.as_manager()

    class Meta:
        verbose_name = _("masukan")
        verbose_name_plural = _("masukan")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resource_person__isnull=False, agency__isnull=True, guest__isnull=True)
                | Q(resource_person__isnull=True, agency__isnull=False, guest__isnull=True)
                | Q(resource_person__isnull=True, agency__isnull=True, guest__isnull=False),
                name="input_has_one_author",
                violation_error_message=_("Masukan harus memiliki satu penyampai."),
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def author(self) -> str:
        if self.resource_person_id:
            return self.resource_person.full_name
        if self.agency_id:
            return (
                f"{self.agency.short_name} ({self.speaker})" if self.speaker else str(self.agency)
            )
        return self.guest.name

    @property
    def is_pending(self) -> bool:
        return self.response == self.Response.PENDING


class AgreedItem(models.Model):
    """A kesepakatan: read out as KESATU, KEDUA, … in the berita acara."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agreed_items")
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    text = models.TextField(_("kesepakatan"))

    class Meta:
        verbose_name = _("kesepakatan")
        verbose_name_plural = _("kesepakatan")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text[:80]


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)


class FollowUp(models.Model):
    """A tindak lanjut: what an agency must do after the FGD, by when."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="follow_ups")
    text = models.TextField(_("tindak lanjut"))
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        related_name="fgd_follow_ups",
        verbose_name=_("penanggung jawab"),
    )
    due_on = models.DateField(_("tenggat"))
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    done_note = models.TextField(_("catatan penyelesaian"), blank=True)
    done_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords()
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.text[:80]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class OfficialRecord(Versioned):
    """The berita acara of an FGD; once signed its PDF is kept exactly as issued, and locked."""

    meeting = models.OneToOneField(Meeting, models.CASCADE, related_name="official_record")
    number = models.CharField(_("nomor"), max_length=100, help_text=_("Mis. 050/123/Bappeda"))
    place = models.CharField(
        _("tempat penandatanganan"), max_length=200, help_text=_("Mis. Balikpapan")
    )
    signed_on = models.DateField(_("tanggal"))
    heard = models.TextField(
        _("mendengar"),
        blank=True,
        help_text=_("Ringkasan paparan dan pembahasan yang didengar dalam FGD"),
    )
    is_signed = models.BooleanField(_("sudah ditandatangani"), default=False)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    pdf = models.FileField(storage=private_storage, upload_to="fgd/berita-acara/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("berita acara")
        verbose_name_plural = _("berita acara")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_signed=False) | (Q(signed_at__isnull=False) & ~Q(pdf="")),
                name="official_record_signed_has_pdf",
                violation_error_message=_("Berita acara bertanda tangan harus memiliki PDF."),
            )
        ]

    def __str__(self):
        return self.number


class Addendum(models.Model):
    """A change to a signed berita acara: the signed file stays as issued, and what changed
    afterwards is issued as Addendum 1, 2, … with its own PDF and SHA-256."""

    record = models.ForeignKey(OfficialRecord, models.PROTECT, related_name="addenda")
    number = models.PositiveSmallIntegerField(_("nomor addendum"))
    text = models.TextField(
        _("perubahan"),
        max_length=20_000,
        help_text=_(
            "Apa yang berubah sesudah berita acara ditandatangani (tanggapan, kesepakatan, "
            "susunan acara, …) dan mengapa."
        ),
    )
    created_by = models.ForeignKey(User, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    pdf = models.FileField(storage=private_storage, upload_to="fgd/addendum/")
    pdf_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("addendum berita acara")
        verbose_name_plural = _("addendum berita acara")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "number"],
                name="addendum_unique_number",
                violation_error_message=_("Nomor addendum ini sudah dipakai."),
            )
        ]

    def __str__(self):
        return f"Addendum {self.number}"


class Signatory(models.Model):
    record = models.ForeignKey(OfficialRecord, models.CASCADE, related_name="signatories")
    order = models.PositiveSmallIntegerField(_("urutan"), default=1)
    role_label = models.CharField(
        _("sebagai"), max_length=100, help_text=_("Mis. Pimpinan Rapat, Notulis, Narasumber")
    )
    name = models.CharField(_("nama"), max_length=200)
    position = models.CharField(_("jabatan"), max_length=255, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("penanda tangan")
        verbose_name_plural = _("penanda tangan")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class CheckInAttempt(models.Model):
    """A wrong check-in code, counted per user and per address for the rate limit."""

    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    address = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "at"], name="checkin_attempt_user")]

    def __str__(self):
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"


def validate_not_closed(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise ValidationError(_("FGD sudah ditutup; buka kembali untuk mengubahnya."))
