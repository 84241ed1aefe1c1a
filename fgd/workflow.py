"""The FGD's rules that span several records: starting, closing and reopening a meeting,
checking in, saving minutes without lost updates, answering inputs and signing the berita acara.

Every function is atomic and refuses with an Indonesian `WorkflowError` that views show as is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fgd.documents import render_addendum, render_official_record
from fgd.models import (
    Addendum,
    AgreedItem,
    Attendance,
    CheckInAttempt,
    Input,
    Meeting,
    Minutes,
    MinutesRevision,
    OfficialRecord,
    ResourcePerson,
    Signatory,
    StatusChange,
    TabledProblem,
)
from issues.models import Problem, StrategicIssue
from rpjmd.models import User

# Wrong check-in codes allowed per user and per address before they must wait.
CHECK_IN_MAX_FAILURES = 10
CHECK_IN_FAILURE_WINDOW = dt.timedelta(minutes=10)


class WorkflowError(ValidationError):
    """A refused transition; its message is meant for the user."""

    @property
    def text(self) -> str:
        return " ".join(self.messages)


def _locked(meeting: Meeting) -> Meeting:
    """Re-read the meeting under a row lock, so two planners never transition it at once."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def ensure_open(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise WorkflowError(_("FGD sudah ditutup: daftar hadir, notulensi dan masukan terkunci."))


def record_is_signed(meeting: Meeting) -> bool:
    return OfficialRecord.objects.filter(meeting=meeting, is_signed=True).exists()


def ensure_record_unsigned(meeting: Meeting, *, lock: bool = False) -> None:
    """What a signed berita acara records (responses, agreed items, agenda, the meeting itself)
    no longer changes: a regenerated document would differ from the signed one.

    `lock` (inside a transaction): hold the record's row lock, the one sign_record takes, so
    nothing the berita acara shows changes while it is being signed."""
    records = OfficialRecord.objects.filter(meeting=meeting)
    record = (records.select_for_update() if lock else records).first()
    if record is not None and record.is_signed:
        raise WorkflowError(
            _(
                "Berita acara sudah ditandatangani: isinya terkunci. Catat perubahan sesudah "
                "penandatanganan sebagai addendum berita acara."
            )
        )


def _change(meeting: Meeting, to_status: str, by: User, reason: str = "") -> None:
    StatusChange.objects.create(
        meeting=meeting, from_status=meeting.status, to_status=to_status, reason=reason, by=by
    )
    meeting.status = to_status


def start_meeting(*, meeting: Meeting, by: User) -> Meeting:
    """Mark a planned FGD as running (it is being held now)."""
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.status != Meeting.Status.PLANNED:
            raise WorkflowError(_("Hanya FGD yang direncanakan yang dapat dimulai."))
        _change(meeting, Meeting.Status.RUNNING, by)
        meeting.save(update_fields=["status"])
    return meeting


def close_meeting(*, meeting: Meeting, by: User, pending_reason: str = "") -> Meeting:
    """Close an FGD: every input must have a response, unless the planner writes why some are
    still pending. Closing locks attendance and minutes and publishes the minutes to invitees."""
    pending_reason = pending_reason.strip()
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.is_closed:
            raise WorkflowError(_("FGD ini sudah ditutup."))
        pending = meeting.inputs.pending().count()
        if pending and not pending_reason:
            raise WorkflowError(
                _(
                    "Masih ada %(n)s masukan yang belum ditanggapi. Tanggapi semuanya, atau "
                    "tuliskan alasan menutup FGD dengan masukan yang belum ditanggapi."
                )
                % {"n": pending}
            )
        now = timezone.now()
        _change(meeting, Meeting.Status.CLOSED, by, pending_reason if pending else "")
        meeting.pending_reason = pending_reason if pending else ""
        meeting.closed_at = now
        meeting.minutes_published_at = meeting.minutes_published_at or now
        meeting.save(
            update_fields=["status", "pending_reason", "closed_at", "minutes_published_at"]
        )
    return meeting


def reopen_meeting(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Reopen a closed FGD (to correct attendance, minutes or inputs); the reason is kept."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Tuliskan alasan membuka kembali FGD ini."))
    with transaction.atomic():
        meeting = _locked(meeting)
        if not meeting.is_closed:
            raise WorkflowError(_("Hanya FGD yang sudah ditutup yang dapat dibuka kembali."))
        ensure_record_unsigned(meeting)
        _change(meeting, Meeting.Status.RUNNING, by, reason)
        meeting.closed_at = None
        meeting.save(update_fields=["status", "closed_at"])
    return meeting


# Attendance


def _attendance_for_user(meeting: Meeting, user: User) -> dict:
    """A narasumber's account checks in as their narasumber record; staff as themselves."""
    person = ResourcePerson.objects.filter(user=user).first()
    if person is not None:
        return {"resource_person": person}
    return {"user": user}


def check_in(*, meeting: Meeting, user: User, method: str, now: dt.datetime | None = None):
    """Record that `user` is present. Checking in twice is harmless: the first time stands.

    Returns (attendance, created)."""
    now = now or timezone.now()
    ensure_open(meeting)
    if not meeting.check_in_open(now):
        raise WorkflowError(
            _(
                "Presensi FGD ini hanya dapat dilakukan mulai satu jam sebelum acara sampai "
                "akhir hari acara."
            )
        )
    who = _attendance_for_user(meeting, user)
    with transaction.atomic():
        existing = Attendance.objects.filter(meeting=meeting, **who).first()
        if existing is not None:
            return existing, False
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    meeting=meeting,
                    agency_id=user.agency_id if "user" in who else None,
                    checked_in_at=now,
                    method=method,
                    recorded_by=user,
                    **who,
                )
        except IntegrityError:  # a double tap raced us: the other request recorded it
            return Attendance.objects.get(meeting=meeting, **who), False
    return attendance, True


def check_in_failures(*, user: User, address: str | None, now: dt.datetime) -> int:
    since = now - CHECK_IN_FAILURE_WINDOW
    recent = CheckInAttempt.objects.filter(at__gte=since)
    by_user = recent.filter(user=user).count()
    by_address = recent.filter(address=address).count() if address else 0
    return max(by_user, by_address)


def check_in_by_code(
    *, code: str, user: User, address: str | None, now: dt.datetime | None = None
) -> tuple[Meeting, Attendance, bool]:
    """Check in with the meeting's short code. Wrong codes are counted per user and per
    address; after CHECK_IN_MAX_FAILURES in ten minutes the user must wait."""
    now = now or timezone.now()
    if check_in_failures(user=user, address=address, now=now) >= CHECK_IN_MAX_FAILURES:
        raise WorkflowError(
            _("Terlalu banyak kode yang salah. Tunggu sepuluh menit, lalu coba lagi.")
        )
    code = "".join(code.split()).upper()
    meeting = Meeting.objects.visible_to(user).filter(check_in_code=code).first() if code else None
    if meeting is None:
        # Old attempts are useless after the window: drop them while we are here.
        CheckInAttempt.objects.filter(at__lt=now - CHECK_IN_FAILURE_WINDOW).delete()
        CheckInAttempt.objects.create(user=user, address=address, at=now)
        raise WorkflowError(
            _("Kode presensi tidak dikenal atau Anda tidak diundang ke FGD tersebut.")
        )
    attendance, created = check_in(
        meeting=meeting, user=user, method=Attendance.Method.CODE, now=now
    )
    return meeting, attendance, created


# Minutes


@dataclass(frozen=True)
class SaveResult:
    saved: bool
    minutes: Minutes  # as stored now: on a conflict, the other person's version


def save_minutes(*, minutes: Minutes, text: str, base_version: int, by: User) -> SaveResult:
    """Save minutes only if nobody saved since `base_version` (one atomic UPDATE … WHERE
    version = base). On a conflict nothing is written and the stored version comes back, so the
    page can show both texts side by side: nothing is ever silently overwritten."""
    ensure_open(minutes.agenda_item.meeting)
    now = timezone.now()
    with transaction.atomic():
        updated = Minutes.objects.filter(pk=minutes.pk, version=base_version).update(
            text=text, version=F("version") + 1, updated_by=by, updated_at=now
        )
        current = Minutes.objects.select_related("updated_by").get(pk=minutes.pk)
        if updated:
            MinutesRevision.objects.create(
                minutes=current, version=current.version, text=text, by=by, at=now
            )
    return SaveResult(saved=bool(updated), minutes=current)


# Tabled problems

# What may be put on an FGD's table: problems handed in to Bappeda and not turned down.
TABLEABLE_STATUSES = ("submitted", "accepted")


def _ensure_table_open(meeting: Meeting) -> None:
    if meeting.is_closed:
        raise WorkflowError(
            _("FGD sudah ditutup: permasalahan yang dibahas tidak dapat diubah lagi.")
        )


def tableable_problems(meeting: Meeting, user: User):
    """The problems of the meeting's plan a planner may table: submitted or accepted ones."""

    return Problem.objects.visible_to(user).filter(
        plan_id=meeting.plan_id, status__in=TABLEABLE_STATUSES
    )


def table_problems(*, meeting: Meeting, problems, by: User) -> int:
    """Put problems on the FGD's table for discussion; those already tabled are skipped.

    Every problem must be submitted or accepted and belong to the meeting's plan; one that is
    not refuses the whole request. Returns how many were added."""
    problems = list(problems)
    with transaction.atomic():
        meeting = _locked(meeting)
        _ensure_table_open(meeting)
        allowed = set(
            tableable_problems(meeting, by)
            .filter(pk__in=[p.pk for p in problems])
            .values_list("pk", flat=True)
        )
        refused = [p for p in problems if p.pk not in allowed]
        if refused:
            raise WorkflowError(
                _(
                    "Permasalahan %(n)s tidak dapat dibahas: hanya permasalahan yang diajukan "
                    "atau diterima dari rencana ini."
                )
                % {"n": refused[0].number}
            )
        already = set(meeting.tabled_problems.values_list("problem_id", flat=True))
        rows = [
            TabledProblem(meeting=meeting, problem=p, tabled_by=by)
            for p in problems
            if p.pk not in already
        ]
        # ignore_conflicts: a second planner tabling the same problem at once is harmless.
        TabledProblem.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def untable_problem(*, tabled: TabledProblem, by: User) -> None:
    """Take a problem off the FGD's table, unless the meeting is closed or inputs concern it
    (those links are the record of what was said: remove them from the inputs first)."""
    with transaction.atomic():
        meeting = _locked(tabled.meeting)
        _ensure_table_open(meeting)
        linked = meeting.inputs.filter(problems=tabled.problem_id).count()
        if linked:
            raise WorkflowError(
                _(
                    "Permasalahan %(number)s sudah dikaitkan dengan %(n)s masukan FGD ini; "
                    "lepaskan kaitannya pada tanggapan masukan terlebih dahulu."
                )
                % {"number": tabled.problem.number, "n": linked}
            )
        tabled.delete()


# Inputs


def respond_to_input(
    *,
    input: Input,
    response: str,
    reason: str,
    landed_in: str,
    by: User,
    problems: list | None = None,
) -> Input:
    """Record Bappeda's answer to an input: accepted, partly or not, why, and where it landed;
    `problems`, when given, corrects which tabled problems the input concerns."""
    if response == Input.Response.PENDING:
        raise WorkflowError(_("Pilih tanggapan: diterima, diterima sebagian, atau tidak diterima."))
    with transaction.atomic():
        _locked(input.meeting)  # a signature landing now must not miss this answer
        ensure_record_unsigned(input.meeting)
        input.response = response
        input.response_reason = reason.strip()
        input.landed_in = landed_in.strip()
        input.responded_by = by
        input.responded_at = timezone.now()
        input.save()
        if problems is not None:
            input.problems.set(problems)
    return input


# Berita acara


def sign_record(*, record: OfficialRecord, by: User) -> OfficialRecord:
    """Mark the berita acara signed: its PDF is rendered once, stored with its SHA-256, and from
    then on served exactly as issued; the record and the agreed items are locked."""

    meeting = record.meeting
    if not meeting.is_closed:
        raise WorkflowError(_("Tutup FGD terlebih dahulu sebelum berita acara ditandatangani."))
    if record.is_signed:
        raise WorkflowError(_("Berita acara ini sudah ditandatangani."))
    if not record.signatories.exists():
        raise WorkflowError(_("Tambahkan penanda tangan berita acara terlebih dahulu."))
    if not meeting.agreed_items.exists():
        raise WorkflowError(_("Berita acara memerlukan sedikitnya satu kesepakatan."))
    pdf = render_official_record(record, draft=False)
    with transaction.atomic():
        record = OfficialRecord.objects.select_for_update().get(pk=record.pk)
        if record.is_signed:
            raise WorkflowError(_("Berita acara ini sudah ditandatangani."))
        name = f"berita-acara-fgd-{meeting.pk}.pdf"
        record.pdf.save(name, ContentFile(pdf), save=False)
        stored = record.pdf.name
        try:
            record.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            record.is_signed = True
            record.signed_at = timezone.now()
            record.signed_by = by
            record.save()
        except Exception:
            record.pdf.storage.delete(stored)  # no orphan file for a record that is not signed
            raise
    return record


def issue_addendum(*, record: OfficialRecord, text: str, by: User) -> Addendum:
    """Issue the next numbered addendum to a signed berita acara: its PDF is rendered once and
    kept with its SHA-256, as the berita acara itself is."""

    text = text.strip()
    if not text:
        raise WorkflowError(_("Tuliskan perubahan yang dicatat dalam addendum."))
    with transaction.atomic():
        record = OfficialRecord.objects.select_for_update().get(pk=record.pk)
        if not record.is_signed:
            raise WorkflowError(
                _("Addendum hanya untuk berita acara yang sudah ditandatangani; ubah drafnya.")
            )
        number = (record.addenda.aggregate(last=Max("number"))["last"] or 0) + 1
        addendum = Addendum(record=record, number=number, text=text, created_by=by)
        pdf = render_addendum(addendum)
        addendum.pdf.save(
            f"addendum-{number}-fgd-{record.meeting_id}.pdf", ContentFile(pdf), save=False
        )
        stored = addendum.pdf.name
        try:
            addendum.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            addendum.save()
        except Exception:
            addendum.pdf.storage.delete(stored)  # no orphan file for an addendum not issued
            raise
    return addendum


def link_inputs_to_issue(*, issue: StrategicIssue, inputs, by: User) -> None:
    """Where the plan's FGD inputs landed: exactly `inputs` now feed `issue`. The caller's form
    offers only inputs of the issue's plan. Each input linked or unlinked gets a history row
    naming `by`."""
    with transaction.atomic():
        issue._history_user = by
        issue.fgd_inputs.set(inputs)


def add_agreed_item(*, item: AgreedItem) -> AgreedItem:
    """Save a new agreed item (kesepakatan) of an FGD whose berita acara is not signed."""
    with transaction.atomic():
        ensure_record_unsigned(item.meeting, lock=True)
        item.save()
    return item


def delete_agreed_item(*, item: AgreedItem) -> None:
    with transaction.atomic():
        ensure_record_unsigned(item.meeting, lock=True)
        item.delete()


def _ensure_unsigned_locked(record: OfficialRecord) -> None:
    """Re-read a saved record under the row lock sign_record takes: nothing it shows changes
    while it is being signed, and nothing changes once it is."""
    if record.pk is None:
        return
    if OfficialRecord.objects.select_for_update().get(pk=record.pk).is_signed:
        raise WorkflowError(_("Berita acara sudah ditandatangani dan terkunci."))


def save_record(*, record: OfficialRecord) -> OfficialRecord:
    with transaction.atomic():
        _ensure_unsigned_locked(record)
        record.save()
    return record


def add_signatory(*, signatory: Signatory) -> Signatory:
    with transaction.atomic():
        _ensure_unsigned_locked(signatory.record)
        signatory.save()
    return signatory


def delete_signatory(*, signatory: Signatory) -> None:
    with transaction.atomic():
        _ensure_unsigned_locked(signatory.record)
        signatory.delete()
