"""The review workflow of a problem: submit, accept, return, mark as duplicate, reopen.

    draft ──submit──▶ submitted ──accept──▶ accepted
                       │   ▲                  │
               return  │   │ resubmit         │ reopen (return with a note)
                       ▼   │                  │
                      returned ◀──────────────┘
    submitted ──duplicate of another──▶ duplicate

Every step is atomic, locks the problem row, is refused with an Indonesian message when not
allowed, and leaves a Transition row (the timeline). Submitting needs the identification stage
open and today (in the region) on or before the deadline or the agency's extension.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from issues.models import DeadlineExtension, Problem, Transition, deadline_for
from issues.permissions import can_review, can_submit
from rpjmd.models import Agency, Stage, User
from rpjmd.notifications import notify

Status = Problem.Status

ALLOWED = {
    (Status.DRAFT, Status.SUBMITTED),
    (Status.RETURNED, Status.SUBMITTED),
    (Status.SUBMITTED, Status.ACCEPTED),
    (Status.SUBMITTED, Status.RETURNED),
    (Status.SUBMITTED, Status.DUPLICATE),
    (Status.ACCEPTED, Status.RETURNED),  # a planner reopens an accepted problem
}

REFUSALS = {
    Status.SUBMITTED: gettext_lazy(
        "Hanya draf atau permasalahan yang dikembalikan yang dapat diajukan."
    ),
    Status.ACCEPTED: gettext_lazy("Hanya permasalahan yang sedang diajukan yang dapat diterima."),
    Status.RETURNED: gettext_lazy(
        "Hanya permasalahan yang diajukan atau diterima yang dapat dikembalikan."
    ),
    Status.DUPLICATE: gettext_lazy(
        "Hanya permasalahan yang sedang diajukan yang dapat ditandai duplikat."
    ),
}


def identification_stage(problem: Problem) -> Stage | None:
    return problem.stage or problem.plan.stage_of_kind(Stage.Kind.IDENTIFICATION)


def submission_window(
    *, stage: Stage | None, agency: Agency, today: dt.date, deadline: dt.date | None = None
) -> str | None:
    """Why the agency cannot hand in today, or None when it can (`deadline`: the agency's,
    when the caller has it already)."""
    if stage is None:
        return _("Rencana ini belum memiliki tahapan identifikasi permasalahan.")
    if stage.state != Stage.State.OPEN:
        return _("Tahapan “%(stage)s” tidak sedang dibuka; pengajuan tidak diterima.") % {
            "stage": stage.name
        }
    deadline = deadline or deadline_for(stage, agency.pk)
    if today > deadline:
        return _(
            "Tenggat pengajuan telah lewat (%(date)s). Minta Bappeda memperpanjang tenggat "
            "untuk perangkat daerah Anda."
        ) % {"date": format_date(deadline)}
    return None


def format_date(day: dt.date) -> str:
    """A deadline as people write it: 11 Desember 2026."""
    return date_format(day, "j F Y")


def completeness_errors(problem: Problem) -> list[str]:
    """What a problem still lacks before it can be handed in."""
    errors = []
    if not problem.root_causes.exists():
        errors.append(_("Isi minimal satu akar masalah."))
    if not problem.whole_region and not problem.districts.exists():
        errors.append(_("Pilih kecamatan yang terdampak, atau centang seluruh kabupaten."))
    return errors


def _locked(problem: Problem) -> Problem:
    return Problem.objects.select_for_update().select_related("plan__region").get(pk=problem.pk)


def _move(problem: Problem, to: str, *, by: User, note: str = "") -> Transition:
    if (problem.status, to) not in ALLOWED:
        raise ValidationError(REFUSALS[to], code="transition_refused")
    transition = Transition.objects.create(
        problem=problem, from_status=problem.status, to_status=to, by=by, note=note
    )
    problem.status = to
    return transition


def submit(*, problem: Problem, by: User, today: dt.date | None = None) -> Problem:
    """Hand a draft (or a returned problem, revised) to Bappeda, within the deadline."""
    if not can_submit(by, problem):
        raise PermissionDenied
    with transaction.atomic():
        problem = _locked(problem)
        today = today or problem.plan.region.today()
        refusal = submission_window(
            stage=identification_stage(problem), agency=problem.agency, today=today
        )
        if refusal:
            raise ValidationError(refusal, code="deadline")
        missing = completeness_errors(problem)
        if missing:
            raise ValidationError(missing, code="incomplete")
        _move(problem, Status.SUBMITTED, by=by)
        problem.submitted_at = timezone.now()
        problem.save(update_fields=["status", "submitted_at", "updated_at"])
    return problem


def accept(*, problem: Problem, by: User, note: str = "") -> Problem:
    """Bappeda takes the problem into the identification table."""
    if not can_review(by, problem):
        raise PermissionDenied
    with transaction.atomic():
        problem = _locked(problem)
        _move(problem, Status.ACCEPTED, by=by, note=note.strip())
        # An earlier "please revise" note is answered now; the timeline keeps it.
        problem.reviewer_note = note.strip()
        problem.save(update_fields=["status", "reviewer_note", "updated_at"])
        problem.update_search_text()
        _tell_agency(problem, _("diterima Bappeda"))
    return problem


def return_problem(*, problem: Problem, by: User, note: str) -> Problem:
    """Send the problem back to its agency with a note on what to revise (also reopens it)."""
    if not can_review(by, problem):
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ValidationError(
            _("Tulis catatan untuk perangkat daerah: apa yang perlu diperbaiki."), code="note"
        )
    with transaction.atomic():
        problem = _locked(problem)
        _move(problem, Status.RETURNED, by=by, note=note)
        problem.reviewer_note = note
        problem.save(update_fields=["status", "reviewer_note", "updated_at"])
        problem.update_search_text()
        _tell_agency(problem, _("dikembalikan dengan catatan"))
    return problem


def mark_duplicate(*, problem: Problem, original: Problem, by: User, note: str = "") -> Problem:
    """Merge a problem into another: it keeps a link, and its evidence shows on the original."""
    if not can_review(by, problem):
        raise PermissionDenied
    if original.pk == problem.pk:
        raise ValidationError(_("Permasalahan tidak dapat menjadi duplikat dirinya sendiri."))
    if original.plan_id != problem.plan_id:
        raise ValidationError(_("Permasalahan asli harus berada pada rencana yang sama."))
    if original.status in (Status.DRAFT, Status.DUPLICATE):
        raise ValidationError(
            _("Permasalahan asli harus yang sudah diajukan dan bukan duplikat (%(n)s).")
            % {"n": original.number}
        )
    with transaction.atomic():
        problem = _locked(problem)
        _move(problem, Status.DUPLICATE, by=by, note=note.strip())
        problem.duplicate_of = original
        if note.strip():
            problem.reviewer_note = note.strip()
        problem.save(update_fields=["status", "duplicate_of", "reviewer_note", "updated_at"])
    return problem


ACTIONS = {"accept", "return", "duplicate"}


def review(
    *, problem: Problem, action: str, by: User, note: str = "", original: Problem | None = None
) -> Problem:
    """One review decision by name (the forms' "action" field)."""
    if action == "accept":
        return accept(problem=problem, by=by, note=note)
    if action == "return":
        return return_problem(problem=problem, by=by, note=note)
    if action == "duplicate":
        if original is None:
            raise ValidationError(_("Sebutkan nomor permasalahan aslinya."))
        return mark_duplicate(problem=problem, original=original, by=by, note=note)
    raise ValidationError(_("Tindakan peninjauan tidak dikenal."))


def review_many(
    *,
    problems: Iterable[Problem],
    action: str,
    by: User,
    note: str = "",
    original: Problem | None = None,
) -> int:
    """The same decision for several problems, all or none: one refusal undoes the rest."""
    problems = list(problems)
    if not problems:
        raise ValidationError(_("Pilih minimal satu permasalahan."))
    with transaction.atomic():
        for problem in problems:
            try:
                review(problem=problem, action=action, by=by, note=note, original=original)
            except ValidationError as error:
                raise ValidationError(
                    _("%(n)s: %(reason)s — tidak ada yang diubah.")
                    % {"n": problem.number, "reason": " ".join(error.messages)}
                ) from None
    return len(problems)


def _tell_agency(problem: Problem, what: str) -> None:
    staff = User.objects.filter(agency_id=problem.agency_id, role=User.Role.OPD, is_active=True)
    notify(
        recipients=staff,
        message=_("Permasalahan %(n)s “%(text)s” %(what)s.")
        % {"n": problem.number, "text": _shorten(problem.statement), "what": what},
        url=reverse("issues:detail", args=[problem.pk]),
        plan=problem.plan,
    )


def _shorten(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def extend_deadline(
    *, stage: Stage, agency: Agency, until: dt.date, reason: str, by: User
) -> DeadlineExtension:
    """Give one agency until `until` to hand in (replacing an earlier extension)."""
    if agency.region_id != stage.plan.region_id:
        raise ValidationError(_("Perangkat daerah tidak berada di daerah rencana ini."))
    if until <= stage.closes_on:
        raise ValidationError(
            _("Tanggal perpanjangan harus setelah tenggat tahapan (%(date)s).")
            % {"date": format_date(stage.closes_on)}
        )
    with transaction.atomic():
        extension, _created = DeadlineExtension.objects.update_or_create(
            stage=stage,
            agency=agency,
            defaults={
                "until": until,
                "reason": reason.strip(),
                "granted_by": by,
                "granted_at": timezone.now(),
            },
        )
    return extension
