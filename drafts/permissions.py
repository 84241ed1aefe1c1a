"""Who may do what with the document. Visibility is on the querysets (`visible_to`); this module
answers "may this user perform this action", so views and templates ask the same question.

- Planners (Bappeda) do everything on their pemda's document.
- OPD staff edit the sections assigned to their agency (or to them), and comment on what they see.
- Leaders read everything, comment, and approve a snapshot as final.
- Narasumber read and comment on the sections shared with them.
- Administrators read; their work is in the Django admin.
"""

from __future__ import annotations

from django.db.models import Q

from drafts.models import Comment, Section
from rpjmd.models import Plan, User


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def _in_region(user: User, plan: Plan) -> bool:
    return user.is_superuser or plan.region_id == user.region_id


def can_manage_document(user: User, plan: Plan) -> bool:
    """Create the document, change its outline and settings, assign sections, take snapshots."""
    return _active(user) and user.is_planner and _in_region(user, plan)


def can_edit_section(user: User, section: Section) -> bool:
    if not _active(user):
        return False
    plan = section.chapter.document.plan
    if not _in_region(user, plan):
        return False
    if user.is_planner:
        return True
    if user.is_opd:
        return (
            section.assigned_agency_id is not None and section.assigned_agency_id == user.agency_id
        ) or section.assigned_user_id == user.pk
    return False


def can_read_unfinished(user: User, section: Section) -> bool:
    """Whether every version of a section is the user's to read, or only the approved ones.

    OPD staff read another agency's section once it is approved (Section.visible_to), but its
    earlier drafts stay as private as they were: the history shows them the approved versions
    only. Everyone else who reads a section reads it in any state, so its whole history.
    """
    if not _active(user):
        return False
    if user.is_opd and not user.is_superuser:
        return can_edit_section(user, section)
    return True


def can_comment(user: User, section: Section) -> bool:
    """Everyone who may read a section may discuss it, except administrators."""
    return _active(user) and not user.is_admin


def can_resolve_comment(user: User, comment: Comment) -> bool:
    """The author of a thread, and whoever may edit the section, close or reopen it."""
    return _active(user) and (
        comment.author_id == user.pk or can_edit_section(user, comment.section)
    )


def can_submit_for_review(user: User, section: Section) -> bool:
    return can_edit_section(user, section) and section.status == section.Status.DRAFT


def can_review(user: User, section: Section) -> bool:
    """Approving, and sending back to draft, is the planners' job."""
    return can_manage_document(user, section.chapter.document.plan)


def can_upload_images(user: User, plan: Plan) -> bool:
    return _active(user) and (user.is_planner or user.is_opd) and _in_region(user, plan)


def can_approve_snapshot(user: User, plan: Plan) -> bool:
    return _active(user) and user.is_leader and _in_region(user, plan)


def can_export(user: User, document) -> bool:
    """Start a PDF export of the whole document: planners and leaders; OPD staff only when a
    planner allowed it in the document's settings (and then of what they may read)."""
    if not (_active(user) and _in_region(user, document.plan)):
        return False
    if user.is_planner or user.is_leader:
        return True
    return user.is_opd and document.opd_may_export


def can_see_exports(user: User, document) -> bool:
    """The list of exports: whoever may export, and administrators (who read everything)."""
    return can_export(user, document) or (
        _active(user) and user.is_admin and _in_region(user, document.plan)
    )


def can_preview_chapter(user: User, chapter) -> bool:
    """A chapter as PDF from the editor: planners, and OPD staff who write one of its sections."""
    if not (_active(user) and _in_region(user, chapter.document.plan)):
        return False
    if user.is_planner:
        return True
    if not user.is_opd:
        return False
    return chapter.sections.filter(
        Q(assigned_agency_id=user.agency_id, assigned_agency__isnull=False) | Q(assigned_user=user)
    ).exists()
