"""Who may do what with an FGD. Which FGDs a user sees at all is `Meeting.objects.visible_to`;
these functions answer "may this user, who sees the meeting, perform this action"."""

from __future__ import annotations

from fgd.models import FollowUp, Input, Meeting, ResourcePerson
from rpjmd.models import Plan, User


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def can_run_meetings(user: User, plan: Plan | None = None) -> bool:
    """Bappeda planners create FGDs, invite, answer inputs, close and sign."""
    if not (_active(user) and user.is_planner):
        return False
    return plan is None or plan.region_id == user.region_id


def can_run(user: User, meeting: Meeting) -> bool:
    return can_run_meetings(user, meeting.plan)


def can_manage_resource_persons(user: User) -> bool:
    return _active(user) and user.is_planner


def can_keep_attendance(user: User, meeting: Meeting) -> bool:
    """The planner or the named notulis marks people present and adds walk-in guests."""
    return can_run(user, meeting) or (_active(user) and meeting.notulis_id == user.pk)


def can_write_minutes(user: User, meeting: Meeting) -> bool:
    return can_keep_attendance(user, meeting)


def can_read_minutes(user: User, meeting: Meeting) -> bool:
    """Planners, leaders and the notulis read minutes as they are written; invitees once
    the minutes are published (on closing)."""
    if can_write_minutes(user, meeting) or user.is_leader or user.is_admin:
        return True
    return meeting.minutes_published


def can_record_input(user: User, meeting: Meeting) -> bool:
    """Planners and the notulis record anyone's input; a narasumber records their own."""
    if can_keep_attendance(user, meeting):
        return True
    return _active(user) and user.is_resource_person and resource_person_of(user) is not None


def resource_person_of(user: User):
    return ResourcePerson.objects.filter(user_id=user.pk).first()


def can_download_documents(user: User, meeting: Meeting) -> bool:
    """Invitation list, attendance sheet, minutes and berita acara: Bappeda and leadership."""
    return can_run(user, meeting) or (_active(user) and (user.is_leader or user.is_admin))


def can_complete_follow_up(user: User, follow_up: FollowUp) -> bool:
    """The responsible agency reports its follow-up done; planners may do it for them."""
    if can_run(user, follow_up.meeting):
        return True
    return _active(user) and user.is_opd and user.agency_id == follow_up.agency_id


def can_record_potential_from(user: User, item: Input) -> bool:
    """A potensi recorded from an FGD input: by the planners, or by the narasumber who gave it."""
    if can_run(user, item.meeting):
        return True
    return (
        _active(user)
        and user.is_resource_person
        and user.region_id == item.meeting.plan.region_id
        and item.resource_person_id is not None
        and item.resource_person.user_id == user.pk
    )
