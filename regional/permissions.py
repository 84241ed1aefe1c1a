"""Who may do what with regional data. Which rows a user reads at all is
RegionalIndicator.objects.visible_to(user); these answer "may this user act on it"."""

from __future__ import annotations

from issues.permissions import in_region
from regional.models import RegionalIndicator
from rpjmd.models import Affair, Plan, User


def can_view(user: User, plan: Plan) -> bool:
    """The tables describe the whole pemda: everyone working in it reads them."""
    return in_region(user, plan) and (
        user.is_opd or user.is_planner or user.is_leader or user.is_resource_person
    )


def can_add_indicator(user: User, plan: Plan) -> bool:
    """OPD staff (for their own urusan) and planners (for any) keep indicator series."""
    return in_region(user, plan) and (
        user.is_planner or (user.is_opd and user.agency_id is not None)
    )


def affairs_of(user: User) -> set[int] | None:
    """The bidang urusan an OPD user may keep rows for; None: any (a planner)."""
    if user.is_planner:
        return None

    return set(Affair.objects.filter(agencies__id=user.agency_id).values_list("pk", flat=True))


def can_edit_indicator(
    user: User, indicator: RegionalIndicator, affairs: set[int] | None = None
) -> bool:
    """Planners edit any row of their pemda; OPD staff the rows of their agency's urusan until
    a planner has accepted them (accepted figures are part of the draft)."""
    if not in_region(user, indicator.plan):
        return False
    if user.is_planner:
        return True
    if not (user.is_opd and indicator.affair_id and indicator.is_editable_by_agency):
        return False
    # A list page passes the user's urusan once instead of one query per row.
    return indicator.affair_id in (affairs if affairs is not None else affairs_of(user) or set())


def can_review(user: User, plan: Plan) -> bool:
    return in_region(user, plan) and user.is_planner


def can_edit_finance(user: User, plan: Plan) -> bool:
    """The APBD figures come from the finance office through Bappeda: planners type them."""
    return in_region(user, plan) and user.is_planner
