"""This module's rows of the authorization matrix (merged in tests/authz_matrix.py)."""

from __future__ import annotations

from tests.authz_matrix import READ_ONLY, Route, by_role, planners_only


def _problem(world, status: str):
    from tests.issues.factories import make_problem

    return make_problem(world.agency_a, status=status)


def _attachment(world, status: str):
    from tests.issues.factories import attach

    return attach(_problem(world, status), by=world.staff_a)


def plan(world):
    return {"plan_id": world.plan.pk}


OPD_ONLY = by_role(403, opd=200)
READERS = by_role(403, opd=200, planner=200, leader=200)
PLANNERS_AND_LEADERS = by_role(403, planner=200, leader=200)
# Object pages: a submitted problem of agency A is visible to its own staff, planners and
# leaders; narasumber and administrators do not see problems at all (404).
SEEN_BY_READERS = by_role(404, opd=200, planner=200, leader=200)
NOT_FOUND_BY_OTHERS = {"resource_person": 404, "admin": 404}

ROUTES: dict[str, Route] = {
    "issues:list": Route(get=READERS, post=READ_ONLY, kwargs=plan, scope="region"),
    "issues:create": Route(get=OPD_ONLY, post=OPD_ONLY, kwargs=plan, scope="region"),
    "issues:bulk_review": Route(
        get=by_role(405), post=planners_only(302), kwargs=plan, scope="region"
    ),
    "issues:progress": Route(get=PLANNERS_AND_LEADERS, post=READ_ONLY, kwargs=plan, scope="region"),
    "issues:extend_deadline": Route(
        get=by_role(405), post=planners_only(200), kwargs=plan, scope="region"
    ),
    "issues:settings": Route(
        get=by_role(405), post=planners_only(302), kwargs=plan, scope="region"
    ),
    "issues:template": Route(get=OPD_ONLY, post=READ_ONLY, kwargs=plan, scope="region"),
    "issues:import": Route(get=OPD_ONLY, post=OPD_ONLY, kwargs=plan, scope="region"),
    "issues:export_table": Route(
        get=PLANNERS_AND_LEADERS, post=READ_ONLY, kwargs=plan, scope="region"
    ),
    "issues:export_csv": Route(
        get=PLANNERS_AND_LEADERS, post=READ_ONLY, kwargs=plan, scope="region"
    ),
    "issues:detail": Route(
        get=SEEN_BY_READERS,
        post=READ_ONLY,
        kwargs=lambda w: {"pk": _problem(w, "submitted").pk},
        scope="agency",
    ),
    # A returned problem: its agency may revise it; planners and leaders may not.
    "issues:update": Route(
        get=by_role(403, opd=200, **NOT_FOUND_BY_OTHERS),
        post=by_role(403, opd=200, **NOT_FOUND_BY_OTHERS),
        kwargs=lambda w: {"pk": _problem(w, "returned").pk},
        scope="agency",
    ),
    "issues:submit": Route(
        get=by_role(405),
        post=by_role(403, opd=302, **NOT_FOUND_BY_OTHERS),
        kwargs=lambda w: {"pk": _problem(w, "returned").pk},
        scope="agency",
    ),
    "issues:review": Route(
        get=by_role(405),
        post=by_role(403, planner=200, **NOT_FOUND_BY_OTHERS),
        kwargs=lambda w: {"pk": _problem(w, "submitted").pk},
        scope="agency",
    ),
    # A draft: only its own agency sees it at all.
    "issues:delete": Route(
        get=by_role(405),
        post=by_role(404, opd=302),
        kwargs=lambda w: {"pk": _problem(w, "draft").pk},
        scope="agency",
    ),
    "issues:attachment_download": Route(
        get=SEEN_BY_READERS,
        post=READ_ONLY,
        kwargs=lambda w: {"pk": _attachment(w, "submitted").pk},
        scope="agency",
    ),
    "issues:attachment_delete": Route(
        get=by_role(405),
        post=by_role(403, opd=302, **NOT_FOUND_BY_OTHERS),
        kwargs=lambda w: {"pk": _attachment(w, "returned").pk},
        scope="agency",
    ),
}
