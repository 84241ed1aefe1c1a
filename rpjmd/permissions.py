"""Who may do what: every role rule of the core app lives here, in one place.

Object-level visibility lives on the querysets (`Plan.objects.visible_to(user)`); this module
answers "may this user perform this action" so views and templates ask the same question.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from rpjmd import audit
from rpjmd.models import Plan, User

M = TypeVar("M", bound=Model)


def can_manage_plan(user: User, plan: Plan | None = None) -> bool:
    """Bappeda planners run the plan: its title, period, stages and deadlines."""
    if not (user.is_authenticated and user.is_active and user.is_planner):
        return False
    return plan is None or plan.region_id == user.region_id


def can_read_plan(user: User, plan: Plan) -> bool:
    """Everyone working in the plan's pemda (not the IT administrator) reads its framing:
    the RPJPD and the national plans it aligns with."""
    if not (user.is_authenticated and user.is_active) or plan.region_id != user.region_id:
        return False
    return user.is_planner or user.is_opd or user.is_leader or user.is_resource_person


def can_use_admin(user: User) -> bool:
    """Users, agencies and reference data are kept by IT staff in the Django admin."""
    return user.is_authenticated and user.is_active and user.is_staff


def get_visible_or_404(request: HttpRequest, visible: QuerySet[M], **lookup) -> M:
    """The object `lookup` finds in `visible` (a `visible_to(user)` queryset), else 404.

    When the object exists but is not visible to this user, the attempt is recorded in the
    audit trail (who, which object) before the 404: the answer does not reveal that it exists,
    the trail does (QUALITY C3, G2). Use it as the first line of every object view.
    """
    try:
        return visible.get(**lookup)
    except visible.model.DoesNotExist:
        if visible.model._base_manager.filter(**lookup).exists():
            audit.record(
                request,
                audit.Action.OBJECT_DENIED,
                outcome=audit.Outcome.DENIED,
                object_type=visible.model._meta.label,
                object_id=",".join(f"{key}={value}" for key, value in sorted(lookup.items())),
                detail={"method": request.method},
            )
            request._audit_recorded = True  # the 404 handler need not record it again
        raise Http404 from None
