"""The document of a plan: chapters, sections and their versions, comments, snapshots.

One `Document` per plan holds the nine chapters of the Permendagri 86/2017 outline (plus the
front matter the planners write, "Kata Pengantar"). Each `Section` body is sanitized HTML; every
change of the body is a numbered version (`Section.version`, with `HistoricalRecords()` keeping
every row). A `Snapshot` freezes the whole document, data blocks included.
"""

from __future__ import annotations

import copy
import datetime
import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from rpjmd.models import Plan, User
from rpjmd.storage import private_storage
from rpjmd.versioning import Versioned


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(plan__in=Plan.objects.visible_to(user))


class Document(Versioned):
    """The RPJMD document of one plan (the product it is now: rancangan teknokratik, awal or
    akhir), with the settings its PDF follows."""

    class Numbering(models.TextChoices):
        PER_CHAPTER = "per_chapter", _("Per bab (mis. IV-3)")
        CONTINUOUS = "continuous", _("Berlanjut (1, 2, 3, …)")

    class Kind(models.TextChoices):
        # Which chapters each kind prints: drafts/kinds.py.
        TECHNOCRATIC = "teknokratik", _("Rancangan Teknokratik (Bab I–IV dan penutup)")
        INITIAL = "awal", _("Rancangan Awal (Bab I–IX)")
        FINAL = "akhir", _("Rancangan Akhir (Bab I–IX)")

    class Paper(models.TextChoices):
        A4 = "a4", _("A4 (210 × 297 mm)")
        F4 = "f4", _("F4 (215 × 330 mm)")

    plan = models.OneToOneField(Plan, models.CASCADE, related_name="document")
    kind = models.CharField(
        _("jenis dokumen"),
        max_length=12,
        choices=Kind,
        default=Kind.TECHNOCRATIC,
        help_text=_(
            "Menentukan bab yang dicetak. Bab V–VIII tetap tersimpan pada rancangan teknokratik, "
            "tetapi tidak dicetak."
        ),
    )
    include_closing = models.BooleanField(
        _("cetak bab penutup"),
        default=True,
        help_text=_("Rancangan teknokratik: bab penutup singkat dicetak setelah Bab IV."),
    )
    paper = models.CharField(_("ukuran kertas"), max_length=2, choices=Paper, default=Paper.A4)
    reference_date = models.DateField(
        _("tanggal acuan data"),
        null=True,
        blank=True,
        help_text=_(
            "Data dan angka tidak boleh bertahun setelah tanggal ini (diperiksa sebelum ekspor)."
        ),
    )
    appendices = models.JSONField(_("lampiran"), default=list, blank=True)
    page_numbering = models.CharField(
        _("penomoran halaman"),
        max_length=20,
        choices=Numbering,
        default=Numbering.PER_CHAPTER,
        help_text=_("Bagian awal (kata pengantar, daftar isi) selalu bernomor romawi kecil."),
    )
    running_header = models.BooleanField(
        _("judul bab sebagai kepala halaman"),
        default=True,
        help_text=_("Judul bab dicetak di bagian atas setiap halaman bab tersebut."),
    )
    cover_place = models.CharField(
        _("tempat pada sampul"),
        max_length=100,
        blank=True,
        help_text=_("Mis. Tenggarong; kosong berarti ibu kota daerah."),
    )
    cover_date = models.DateField(
        _("tanggal pada sampul"),
        null=True,
        blank=True,
        help_text=_(
            "Bulan penyampaian yang dicetak pada sampul (mis. April 2020); hanya bulan dan tahun "
            "yang dicetak."
        ),
    )
    opd_may_export = models.BooleanField(
        _("staf perangkat daerah boleh mengekspor PDF"),
        default=False,
        help_text=_(
            "Staf perangkat daerah dapat mengekspor versi beku dan bagian dokumen yang dapat "
            "mereka baca."
        ),
    )
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("pembuat")
    )

    history = HistoricalRecords()
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumen rancangan")
        verbose_name_plural = _("dokumen rancangan")

    def __str__(self):
        return str(self.plan)

    @property
    def place(self) -> str:
        return self.cover_place or self.plan.region.capital

    # What a snapshot freezes beside the texts: the settings that decide what its PDF prints
    # and how (a snapshot handed to the Bupati stays a rancangan teknokratik on A4 even after
    # the planner switches the document to the rancangan awal or to F4).
    PRINT_SETTINGS = (
        "kind",
        "include_closing",
        "paper",
        "reference_date",
        "appendices",
        "page_numbering",
        "running_header",
        "cover_place",
        "cover_date",
    )
    DATE_SETTINGS = ("reference_date", "cover_date")

    def print_settings(self) -> dict:
        settings = {name: getattr(self, name) for name in self.PRINT_SETTINGS}
        for name in self.DATE_SETTINGS:
            if settings[name] is not None:
                settings[name] = settings[name].isoformat()
        return settings

    def with_print_settings(self, settings: dict) -> Document:
        """An unsaved copy of this document as it was when `settings` were frozen."""
        frozen = copy.copy(self)
        for name in self.PRINT_SETTINGS:
            if name not in settings:
                continue  # frozen before the setting existed: the document's own value
            value = settings[name]
            if name in self.DATE_SETTINGS and value is not None:
                value = datetime.date.fromisoformat(value)
            setattr(frozen, name, value)
        frozen.save = _frozen_document_save
        return frozen

    def handed_in_on(self, zone) -> datetime.date | None:
        """The day, in the region, its final versi beku was approved: the document was handed
        in, and sections due by then are no longer late (the 2020 plan of the demo is)."""
        at = (
            self.snapshots.filter(is_final=True, approved_at__isnull=False)
            .values_list("approved_at", flat=True)
            .first()
        )
        return timezone.localtime(at, zone).date() if at else None


def _frozen_document_save(*args, **kwargs):
    # A snapshot's settings are history: saving them would overwrite the live document's.
    raise TypeError("A document with a snapshot's print settings is read-only.")


class Waiver(models.Model):
    """A kelengkapan finding accepted as it is, with who accepted it, when and why: a final
    snapshot is approved only when every finding is resolved or waived."""

    document = models.ForeignKey(Document, models.CASCADE, related_name="waivers")
    key = models.CharField(_("temuan"), max_length=200)
    reason = models.TextField(_("alasan"), max_length=1000)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("oleh"))
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("pengecualian kelengkapan")
        verbose_name_plural = _("pengecualian kelengkapan")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "key"],
                name="waiver_unique_key",
                violation_error_message=_("Temuan ini sudah dikecualikan."),
            )
        ]

    def __str__(self):
        return self.key


class ChapterQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Chapters are structure: everyone of the pemda sees them (their texts are filtered).
        return self.filter(document__in=Document.objects.visible_to(user))


class Chapter(models.Model):
    """A bab of the outline (I–IX), or the front matter before the table of contents."""

    class Kind(models.TextChoices):
        FRONT = "front", _("Bagian awal")
        BODY = "body", _("Bab")

    class Technocratic(models.TextChoices):
        # What the technocratic stage must fill (sistematika.json, "rancangan_teknokratik").
        COMPLETE = "lengkap", _("Lengkap")
        PROVISIONAL = "sementara", _("Sementara")
        OUTLINE = "kerangka", _("Kerangka")

    document = models.ForeignKey(Document, models.CASCADE, related_name="chapters")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind, default=Kind.BODY)
    order = models.PositiveSmallIntegerField(_("urutan"))
    number = models.CharField(_("nomor bab"), max_length=10, blank=True, help_text=_("I–IX"))
    title = models.CharField(_("judul"), max_length=255)
    description = models.TextField(_("isi yang diharapkan"), blank=True)
    technocratic = models.CharField(
        _("status teknokratik"), max_length=10, choices=Technocratic, blank=True
    )

    history = HistoricalRecords()
    objects = ChapterQuerySet.as_manager()

    class Meta:
        verbose_name = _("bab")
        verbose_name_plural = _("bab")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "order"],
                name="chapter_unique_order",
                violation_error_message=_("Urutan bab sudah dipakai."),
            ),
            models.UniqueConstraint(
                fields=["document", "number"],
                condition=~Q(number=""),
                name="chapter_unique_number",
                violation_error_message=_("Nomor bab sudah dipakai."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_front(self) -> bool:
        return self.kind == self.Kind.FRONT

    @property
    def label(self) -> str:
        return f"BAB {self.number} {self.title}" if self.number else self.title

    @property
    def arabic(self) -> int | None:
        """The chapter's number in tables and figures (Tabel 2.3); none for front matter."""
        return None if self.is_front else self.order


class SectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who reads which section.

        Planners, leaders and admins read every section of their pemda's document. OPD staff
        read the sections assigned to their agency (or to themselves) and approved ones: another
        agency's unfinished text is not theirs to see. Narasumber read what was shared with them.
        """
        sections = self.filter(chapter__document__plan__in=Plan.objects.visible_to(user))
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser or user.role in (User.Role.PLANNER, User.Role.LEADER, User.Role.ADMIN):
            return sections
        if user.is_opd:
            return sections.filter(
                Q(assigned_agency_id=user.agency_id)
                | Q(assigned_user=user)
                | Q(status=Section.Status.APPROVED)
            )
        if user.is_resource_person:
            return sections.filter(pk__in=SectionShare.objects.filter(user=user).values("section"))
        return self.none()

    def late(self, today, handed_in: datetime.date | None = None):
        return self.filter(late_sections(today, handed_in))


def late_sections(today: datetime.date, handed_in: datetime.date | None = None) -> Q:
    """Past their due date (a day in the region), not approved, and not due by the day the
    document was handed in (`Document.handed_in_on`)."""
    late = Q(due_date__lt=today) & ~Q(status=Section.Status.APPROVED)
    return late & Q(due_date__gt=handed_in) if handed_in else late


class Section(models.Model):
    """A sub-bab: its text (sanitized HTML), who writes it, by when, and its review status."""

    class Depth(models.IntegerChoices):
        INTRO = 0, _("Pengantar bab (tanpa nomor)")
        SECTION = 1, _("Sub-bab (mis. 2.1)")
        SUBSECTION = 2, _("Sub-sub-bab (mis. 2.1.1)")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Belum mulai")
        DRAFT = "draft", _("Draf")
        REVIEW = "review", _("Ditinjau")
        APPROVED = "approved", _("Disetujui")

    chapter = models.ForeignKey(Chapter, models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("urutan"))
    depth = models.PositiveSmallIntegerField(_("tingkat"), choices=Depth, default=Depth.SECTION)
    title = models.CharField(_("judul"), max_length=255)
    hint = models.TextField(
        _("petunjuk isi"), blank=True, help_text=_("Apa yang perlu ditulis di bagian ini.")
    )
    body = models.TextField(_("isi"), blank=True)
    assigned_agency = models.ForeignKey(
        "rpjmd.Agency",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="sections",
        verbose_name=_("perangkat daerah penulis"),
    )
    assigned_user = models.ForeignKey(
        User,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_sections",
        verbose_name=_("penulis"),
    )
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NOT_STARTED
    )
    # Optimistic locking: every change of the body adds one; a save names the version it
    # started from, and a save from an older version is merged, never written over.
    version = models.PositiveIntegerField(_("versi"), default=0)
    # The settings page (title, level, hint, assignment) has its own counter: a body save must
    # not make an open settings form stale, and a settings save is not a new text version.
    settings_version = models.PositiveIntegerField(_("versi pengaturan"), default=1)
    # Derived from the body at every save, so numbering a whole document never parses it.
    captions = models.JSONField(_("tabel dan gambar"), default=list, blank=True)
    word_count = models.PositiveIntegerField(_("jumlah kata"), default=0)
    updated_at = models.DateTimeField(_("terakhir diubah"), null=True, blank=True)
    updated_by = models.ForeignKey(
        User, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("pengubah")
    )

    history = HistoricalRecords()
    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("bagian")
        verbose_name_plural = _("bagian")
        ordering = ["chapter__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(depth__in=[0, 1, 2]),
                name="section_known_depth",
                violation_error_message=_("Tingkat bagian tidak dikenal."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["not_started", "draft", "review", "approved"]),
                name="section_known_status",
                violation_error_message=_("Status bagian tidak dikenal."),
            ),
        ]
        indexes = [models.Index(fields=["chapter", "order"], name="section_chapter_order")]

    def __str__(self):
        return self.title

    def late_on(self, today, handed_in: datetime.date | None = None) -> bool:
        """Past its due date (a day in the region) and not approved yet; see `late_sections`."""
        return (
            self.due_date is not None
            and self.due_date < today
            and self.status != self.Status.APPROVED
            and (handed_in is None or self.due_date > handed_in)
        )

    @property
    def assignee_label(self) -> str:
        if self.assigned_user_id:
            return str(self.assigned_user)
        if self.assigned_agency_id:
            return self.assigned_agency.short_name
        return ""


class SectionShare(models.Model):
    """A section shown to a narasumber, so they can read and comment on it."""

    section = models.ForeignKey(Section, models.CASCADE, related_name="shares")
    user = models.ForeignKey(User, models.CASCADE, related_name="shared_sections")
    shared_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bagian yang dibagikan")
        verbose_name_plural = _("bagian yang dibagikan")
        constraints = [
            models.UniqueConstraint(
                fields=["section", "user"],
                name="section_share_unique",
                violation_error_message=_("Bagian ini sudah dibagikan kepada orang tersebut."),
            )
        ]

    def __str__(self):
        return f"{self.section} → {self.user}"


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(section__in=Section.objects.visible_to(user))


class Comment(models.Model):
    """A remark on a section or on a passage of it, with replies, mentions and a resolved flag.

    A passage is anchored by its words plus a little text before and after it, so the comment
    finds its place again after the text around it changes.
    """

    section = models.ForeignKey(Section, models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("penulis"))
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField(_("komentar"), max_length=5000)
    quote = models.TextField(_("kutipan"), max_length=1000, blank=True)
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    mentions = models.ManyToManyField(User, blank=True, related_name="+")
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    resolved_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    resolved_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("komentar")
        verbose_name_plural = _("komentar")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.body[:80]

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


class SnapshotQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(document__in=Document.objects.visible_to(user))


class Snapshot(models.Model):
    """The whole document frozen under a name: exact section versions and data-block tables.

    A snapshot is a publication (FGD material, the version handed to the regional head), so
    everyone of the pemda may read it, unlike the drafts it was taken from.
    """

    document = models.ForeignKey(Document, models.CASCADE, related_name="snapshots")
    name = models.CharField(_("nama"), max_length=200)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("diambil"), default=timezone.now)
    # The tables the data blocks showed at that moment, by block reference.
    blocks = models.JSONField(default=dict, blank=True)
    # The document's print settings at that moment (Document.PRINT_SETTINGS).
    print_settings = models.JSONField(default=dict, blank=True)
    is_final = models.BooleanField(_("final"), default=False)
    approved_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("versi beku")
        verbose_name_plural = _("versi beku")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "name"],
                name="snapshot_unique_name",
                violation_error_message=_("Nama versi beku ini sudah dipakai."),
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(is_final=True),
                name="snapshot_one_final",
                violation_error_message=_("Hanya satu versi beku yang dapat menjadi final."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def printed_document(self) -> Document:
        """The document with the kind, paper, dates and lampiran this snapshot froze."""
        return self.document.with_print_settings(self.print_settings)


class SnapshotSection(models.Model):
    """One section as a snapshot froze it: the version, its text and where it stood."""

    snapshot = models.ForeignKey(Snapshot, models.CASCADE, related_name="entries")
    section = models.ForeignKey(Section, models.SET_NULL, null=True, related_name="+")
    # The exact history row frozen (kept if the section is later removed).
    record = models.ForeignKey(
        "drafts.HistoricalSection", models.SET_NULL, null=True, related_name="+"
    )
    position = models.PositiveIntegerField()
    chapter_kind = models.CharField(max_length=10, choices=Chapter.Kind)
    chapter_order = models.PositiveSmallIntegerField()
    chapter_number = models.CharField(max_length=10, blank=True)
    chapter_title = models.CharField(max_length=255)
    chapter_technocratic = models.CharField(max_length=10, blank=True)
    depth = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=255)
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Section.Status)
    body = models.TextField(blank=True)
    captions = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "position"], name="snapshot_entry_order")
        ]

    def __str__(self):
        return f"{self.number} {self.title} (versi {self.version})".strip()


class WorkingCopy(models.Model):
    """What one person typed in a section and has not saved yet (private autosave)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, models.CASCADE, related_name="working_copies")
    body = models.TextField(blank=True)
    base_version = models.PositiveIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("salinan kerja")
        verbose_name_plural = _("salinan kerja")
        constraints = [
            models.UniqueConstraint(fields=["user", "section"], name="working_copy_unique")
        ]

    def __str__(self):
        return f"{self.section} ({self.user})"


class Presence(models.Model):
    """Who has a section open right now (refreshed by the editor's heartbeat)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="+")
    section = models.ForeignKey(Section, models.CASCADE, related_name="presences")
    editing = models.BooleanField(default=False)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "section"], name="presence_unique")]

    def __str__(self):
        return f"{self.user} @ {self.section}"


def image_path(instance: Image, filename: str) -> str:
    # The stored name never comes from the user.
    return f"drafts/images/{instance.uuid}.{instance.extension}"


class ImageQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(document__in=Document.objects.visible_to(user))


class Image(models.Model):
    """A picture in a section, kept outside the public media and served after a check."""

    FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg")}

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, models.CASCADE, related_name="images")
    file = models.FileField(upload_to=image_path, max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("gambar")
        verbose_name_plural = _("gambar")

    def __str__(self):
        return f"{self.uuid}.{self.extension}"

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "jpg"

    @property
    def url(self) -> str:
        return reverse("drafts:image", args=[self.uuid])


def export_path(instance: Export, filename: str) -> str:
    # A random name: the file is served only through the permission-checked download view.
    return f"drafts/exports/{uuid.uuid4().hex}.{instance.format}"


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class ExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Planners, leaders and admins of the pemda see every export of its document; OPD
        staff see the exports they made themselves (a live export holds only what they read)."""
        exports = self.filter(document__in=Document.objects.visible_to(user))
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user.is_superuser or user.role in (User.Role.PLANNER, User.Role.LEADER, User.Role.ADMIN):
            return exports
        if user.is_opd:
            return exports.filter(created_by=user)
        return self.none()


class Export(models.Model):
    """One export of the document (live or a snapshot) as PDF or Word: who, when, how it went,
    the file."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", _("Word (DOCX)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    document = models.ForeignKey(Document, models.CASCADE, related_name="exports")
    snapshot = models.ForeignKey(
        Snapshot,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="exports",
        verbose_name=_("versi beku"),
    )
    snapshot_name = models.CharField(_("nama versi beku"), max_length=200, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=Format, default=Format.PDF)
    created_by = models.ForeignKey(
        User, models.PROTECT, related_name="+", verbose_name=_("diekspor oleh")
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # Refreshed while the renderer works: a "running" export that stops moving was killed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    step = models.CharField(_("langkah"), max_length=200, blank=True)
    failure = models.TextField(_("alasan gagal"), blank=True)
    is_final = models.BooleanField(_("dokumen final"), default=False)
    pages = models.PositiveIntegerField(_("halaman"), null=True, blank=True)
    size = models.PositiveIntegerField(_("ukuran (bita)"), null=True, blank=True)
    seconds = models.FloatField(_("lama (detik)"), null=True, blank=True)
    reused = models.PositiveSmallIntegerField(_("bab dipakai ulang"), default=0)
    file = models.FileField(
        upload_to=export_path, storage=private_storage, max_length=200, blank=True
    )

    objects = ExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("ekspor PDF")
        verbose_name_plural = _("ekspor PDF")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="export_known_status",
                violation_error_message=_("Status ekspor tidak dikenal."),
            ),
            models.CheckConstraint(
                condition=Q(format__in=["pdf", "docx"]),
                name="export_known_format",
                violation_error_message=_("Format ekspor tidak dikenal."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="export_progress_percent",
                violation_error_message=_("Kemajuan paling banyak 100%."),
            ),
        ]
        indexes = [models.Index(fields=["document", "status"], name="export_document_status")]

    def __str__(self):
        return f"{self.source_label} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def source_label(self) -> str:
        if self.snapshot_id or self.snapshot_name:
            return _("Versi beku “%(name)s”") % {"name": self.snapshot_name}
        return _("Dokumen terkini")

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        plan = self.document.plan
        stamp = timezone.localtime(self.created_at, plan.region.zone).strftime("%Y%m%d-%H%M")
        kind = {"teknokratik": "rancangan-teknokratik", "awal": "rancangan-awal"}.get(
            self.document.kind, "rancangan-akhir"
        )
        return f"{kind}-rpjmd-{plan.start_year}-{plan.end_year}-{stamp}.{self.format}"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]
