"""Which plan a request is about."""

from __future__ import annotations

from django.http import HttpRequest

from rpjmd.models import Plan

SESSION_PLAN_KEY = "current_plan_id"


def current_plan(request: HttpRequest) -> Plan | None:
    """The plan in the URL, else the one last opened in this session, else the newest visible.

    Cached on the request: the header and the view ask for it in the same request.
    """
    if hasattr(request, "_current_plan"):
        return request._current_plan
    plans = Plan.objects.visible_to(request.user).select_related("region")
    match = getattr(request, "resolver_match", None)
    wanted = (match.kwargs.get("plan_id") if match else None) or request.session.get(
        SESSION_PLAN_KEY
    )
    plan = plans.filter(pk=wanted).first() if wanted else None
    if plan is None:
        plan = plans.first()
    request._current_plan = plan
    return plan


def remember_plan(request: HttpRequest, plan: Plan) -> None:
    # Write only on a change: an unchanged session costs no UPDATE on every page view.
    if request.session.get(SESSION_PLAN_KEY) != plan.pk:
        request.session[SESSION_PLAN_KEY] = plan.pk
    request._current_plan = plan
