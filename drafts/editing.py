"""Writing a section: saving versions without losing anyone's work, restoring, reviewing.

Every save names the version it started from (`base_version`). The section row is locked for
the duration of the save (`select_for_update`), so two saves never interleave: if the section
is still at the base version the text is written as the next version; if someone saved in
between, the three texts (base, theirs, mine) are merged word by word, and the merge is saved
only when no change overlaps. Otherwise nothing is written and the author gets the conflicts to
decide. History is only ever added to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from drafts import diffing
from drafts.html import MAX_BODY_CHARS, captions_of, sanitize, word_count
from drafts.models import Presence, Section, WorkingCopy
from rpjmd.models import User
from rpjmd.notifications import notify

HistoricalSection = Section.history.model


@dataclass
class SaveResult:
    outcome: str  # "saved", "merged", "unchanged" or "conflict"
    section: Section
    merge: diffing.Merge | None = None
    theirs_version: int = 0
    mine: str = ""
    base_version: int = 0  # of `mine`, for the conflict form

    @property
    def conflict(self) -> bool:
        return self.outcome == "conflict"


def version_row(section_id: int, version: int):
    """The history row that created `version` of a section (the first row carrying it)."""
    return (
        HistoricalSection.objects.filter(id=section_id, version=version)
        .order_by("history_id")
        .first()
    )


def body_at(section_id: int, version: int) -> str | None:
    if version == 0:
        return ""
    row = (
        HistoricalSection.objects.filter(id=section_id, version=version)
        .order_by("history_id")
        .values_list("body", flat=True)
        .first()
    )
    return row


def save_section(
    *, section_id: int, body: str, base_version: int, by: User, note: str = ""
) -> SaveResult:
    """Save an author's text as a new version, merging with whatever was saved since."""
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(
            _("Teks terlalu panjang untuk satu bagian; bagi menjadi beberapa bagian.")
        )
    mine = sanitize(body)
    with transaction.atomic():
        section = Section.objects.select_for_update().get(pk=section_id)
        if base_version < 0 or base_version > section.version:
            raise ValidationError(_("Versi dasar tidak dikenal; muat ulang halaman penyunting."))
        outcome = "saved"
        new_body = mine
        if base_version != section.version:
            base = body_at(section.pk, base_version)
            if base is None:
                raise ValidationError(
                    _("Versi dasar tidak ditemukan; muat ulang halaman penyunting.")
                )
            if section.body != base:
                merged = diffing.merge(base, section.body, mine)
                if not merged.clean:
                    _keep_working_copy(section, by, mine, base_version)
                    return SaveResult(
                        "conflict",
                        section,
                        merged,
                        theirs_version=section.version,
                        mine=mine,
                        base_version=base_version,
                    )
                new_body = sanitize(merged.html)
                outcome = "merged"
        if new_body == section.body:
            WorkingCopy.objects.filter(user=by, section=section).delete()
            return SaveResult("unchanged", section)
        _write(section, new_body, by, note or "")
        WorkingCopy.objects.filter(user=by, section=section).delete()
    return SaveResult(outcome, section)


def resolve_conflicts(
    *,
    section_id: int,
    mine: str,
    base_version: int,
    theirs_version: int,
    choices: list[str],
    by: User,
    note: str = "",
) -> SaveResult:
    """Save the author's decisions on a merge's conflicts.

    If the section moved again since the conflicts were shown, the merge is redone against the
    newer text (and may come back with new conflicts).
    """
    with transaction.atomic():
        section = Section.objects.select_for_update().get(pk=section_id)
        if section.version != theirs_version:
            return save_section(
                section_id=section_id, body=mine, base_version=base_version, by=by, note=note
            )
        base = body_at(section.pk, base_version)
        if base is None:
            raise ValidationError(_("Versi dasar tidak ditemukan; muat ulang halaman penyunting."))
        merged = diffing.merge(base, section.body, sanitize(mine))
        try:
            resolved = merged.resolve(choices)
        except ValueError as error:
            raise ValidationError(_("Pilih satu penyelesaian untuk setiap bentrokan.")) from error
        return save_section(
            section_id=section_id,
            body=resolved,
            base_version=section.version,
            by=by,
            note=note or _("Bentrokan diselesaikan"),
        )


def restore_version(*, section_id: int, version: int, by: User) -> SaveResult:
    """Make an old version's text the newest version (history is added to, never rewritten)."""
    with transaction.atomic():
        section = Section.objects.select_for_update().get(pk=section_id)
        old = body_at(section.pk, version)
        if old is None or version > section.version:
            raise ValidationError(_("Versi tersebut tidak ada."))
        if old == section.body:
            return SaveResult("unchanged", section)
        _write(section, old, by, _("Dipulihkan dari versi %(n)s") % {"n": version})
    return SaveResult("saved", section)


def _write(section: Section, body: str, by: User, note: str) -> None:
    section.body = body
    section.version += 1
    section.captions = captions_of(body)
    section.word_count = word_count(body)
    section.updated_at = timezone.now()
    section.updated_by = by
    if section.status == Section.Status.NOT_STARTED:
        section.status = Section.Status.DRAFT
    elif section.status == Section.Status.APPROVED:
        # An approved text that changes needs a planner's eyes again.
        section.status = Section.Status.REVIEW
    section._history_user = by
    section._change_reason = note
    section.save()


def _keep_working_copy(section: Section, user: User, body: str, base_version: int) -> None:
    WorkingCopy.objects.update_or_create(
        user=user,
        section=section,
        defaults={"body": body, "base_version": base_version, "updated_at": timezone.now()},
    )


def autosave(*, section: Section, body: str, base_version: int, by: User) -> WorkingCopy:
    """Keep what someone is typing, privately, until they save."""
    if len(body) > MAX_BODY_CHARS:
        raise ValidationError(_("Teks terlalu panjang untuk satu bagian."))
    base_version = max(0, min(base_version, section.version))
    copy, _created = WorkingCopy.objects.update_or_create(
        user=by,
        section=section,
        defaults={
            "body": sanitize(body),
            "base_version": base_version,
            "updated_at": timezone.now(),
        },
    )
    return copy


# --- review -----------------------------------------------------------------------------------

TRANSITIONS = {
    # action: (allowed from, to, history note)
    "submit": ({"draft"}, "review"),
    "approve": ({"draft", "review"}, "approved"),
    "return": ({"review", "approved"}, "draft"),
}


def change_status(*, section: Section, action: str, by: User, note: str = "") -> Section:
    """Move a section through draf → ditinjau → disetujui (or back to draf)."""
    if action not in TRANSITIONS:
        raise ValidationError(_("Tindakan tidak dikenal."))
    allowed, target = TRANSITIONS[action]
    with transaction.atomic():
        section = (
            Section.objects.select_for_update()
            .select_related("chapter__document__plan")
            .get(pk=section.pk)
        )
        if section.status not in allowed:
            raise ValidationError(
                _("Bagian berstatus “%(status)s” tidak dapat diproses dengan tindakan ini.")
                % {"status": section.get_status_display()}
            )
        before = section.get_status_display()
        section.status = target
        section._history_user = by
        section._change_reason = _("Status: %(before)s → %(after)s") % {
            "before": before,
            "after": section.get_status_display(),
        } + (f" — {note}" if note else "")
        section.save()
        _notify_status(section, action, by, note)
    return section


def _notify_status(section: Section, action: str, by: User, note: str) -> None:
    plan = section.chapter.document.plan
    url = reverse("drafts:section", args=[section.pk])
    if action == "submit":
        recipients = User.objects.filter(
            region_id=plan.region_id, role=User.Role.PLANNER, is_active=True
        ).exclude(pk=by.pk)
        message = _("%(who)s mengajukan “%(title)s” untuk ditinjau.") % {
            "who": by,
            "title": section.title,
        }
    else:
        recipients = _assignees(section).exclude(pk=by.pk)
        if action == "approve":
            message = _("“%(title)s” disetujui oleh %(who)s.") % {"title": section.title, "who": by}
        else:
            message = _("“%(title)s” dikembalikan ke draf oleh %(who)s: %(note)s") % {
                "title": section.title,
                "who": by,
                "note": note or "-",
            }
    notify(recipients=recipients, message=message, url=url, plan=plan)


def _assignees(section: Section):
    users = User.objects.filter(is_active=True)
    if section.assigned_user_id:
        return users.filter(pk=section.assigned_user_id)
    if section.assigned_agency_id:
        return users.filter(agency_id=section.assigned_agency_id, role=User.Role.OPD)
    return users.none()


def assign(
    *,
    section: Section,
    agency,
    user: User | None,
    due_date: dt.date | None,
    by: User,
) -> Section:
    with transaction.atomic():
        section = Section.objects.select_for_update().get(pk=section.pk)
        changed = (section.assigned_agency_id, section.assigned_user_id) != (
            agency.pk if agency else None,
            user.pk if user else None,
        )
        section.assigned_agency = agency
        section.assigned_user = user
        section.due_date = due_date
        section._history_user = by
        section._change_reason = _("Penugasan diubah")
        section.save()
        if changed:
            plan = section.chapter.document.plan
            notify(
                recipients=_assignees(section).exclude(pk=by.pk),
                message=_("Anda ditugasi menulis “%(title)s”.") % {"title": section.title},
                url=reverse("drafts:section_edit", args=[section.pk]),
                plan=plan,
            )
    return section


# --- presence ---------------------------------------------------------------------------------

PRESENCE_WINDOW = dt.timedelta(seconds=45)


def heartbeat(*, section: Section, user: User, editing: bool) -> list[Presence]:
    """Record that `user` has the section open; return the others who have it open now."""
    now = timezone.now()
    Presence.objects.update_or_create(
        user=user, section=section, defaults={"last_seen": now, "editing": editing}
    )
    return list(
        Presence.objects.filter(section=section, last_seen__gte=now - PRESENCE_WINDOW)
        .exclude(user=user)
        .select_related("user__agency")
        .order_by("user__full_name")
    )
