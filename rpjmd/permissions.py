"""Who may do what: every role rule of the core app lives here, in one place.

Object-level visibility lives on the querysets (`Plan.objects.visible_to(user)`); this module
answers "may this user perform this action" so views and templates ask the same question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rpjmd.models import Plan, User


def can_manage_plan(user: User, plan: Plan | None = None) -> bool:
    """Bappeda planners run the plan: its title, period, stages and deadlines."""
    if not (user.is_authenticated and user.is_active and user.is_planner):
        return False
    return plan is None or plan.region_id == user.region_id


def can_use_admin(user: User) -> bool:
    """Users, agencies and reference data are kept by IT staff in the Django admin."""
    return user.is_authenticated and user.is_active and user.is_staff
