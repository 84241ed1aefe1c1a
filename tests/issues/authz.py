"""This module's rows of the authorization matrix (merged in tests/authz_matrix.py)."""

from __future__ import annotations

from tests.authz_matrix import READ_ONLY, Route, by_role, planners_only


def _problem(world, status: str):
    from tests.issues.factories import make_problem

    return make_problem(world.agency_a, status=status)


def _attachment(world, status: str):
    from tests.issues.factories import attach

    return attach(_problem(world, status), by=world.staff_a)


def _import(world):
    from issues.models import ProblemImport

    return ProblemImport.objects.create(
        plan=world.plan,
        agency=world.agency_a,
        created_by=world.staff_a,
        original_name="isian.xlsx",
        status=ProblemImport.Status.DONE,
        created_count=3,
    )


def _potential(world):
    from tests.issues.factories import make_potential

    return make_potential(world.plan, agency=world.agency_a, by=world.staff_a)


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
    # The suggestions under the masalah field: whoever reads the plan's problems.
    "issues:similar": Route(get=READERS, post=READ_ONLY, kwargs=plan, scope="region"),
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
    # Agency A's staff member's own import: other OPD staff (even of the same pemda) get 404.
    "issues:import_status": Route(
        get=OPD_ONLY,
        post=READ_ONLY,
        kwargs=lambda w: {"plan_id": w.plan.pk, "pk": _import(w).pk},
        scope="agency",
    ),
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
    # A returned problem of agency A: its staff and the planners keep its factors.
    "issues:factors": Route(
        get=by_role(403, opd=200, planner=200, **NOT_FOUND_BY_OTHERS),
        post=by_role(403, opd=200, planner=200, **NOT_FOUND_BY_OTHERS),
        kwargs=lambda w: {"pk": _problem(w, "returned").pk},
        scope="agency",
    ),
    "issues:potential_list": Route(
        get=by_role(403, opd=200, planner=200, leader=200, resource_person=200),
        post=READ_ONLY,
        kwargs=plan,
        scope="region",
    ),
    # Narasumber record theirs from their FGD inputs (fgd:input_potential), not here.
    "issues:potential_create": Route(
        get=by_role(403, opd=200, planner=200),
        post=by_role(403, opd=200, planner=200),
        kwargs=plan,
        scope="region",
    ),
    # Agency A's potensi: its staff, planners and leaders read it; a narasumber only their own.
    "issues:potential_detail": Route(
        get=SEEN_BY_READERS,
        post=READ_ONLY,
        kwargs=lambda w: {"pk": _potential(w).pk},
        scope="agency",
    ),
    "issues:potential_update": Route(
        get=by_role(404, opd=200, planner=200, leader=403),
        post=by_role(404, opd=200, planner=200, leader=403),
        kwargs=lambda w: {"pk": _potential(w).pk},
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


# --- Strategic issues ---------------------------------------------------------------------------


def _si(world):
    from tests.issues.strategic_factories import accepted, make_issue

    return make_issue(world.plan, problems=[accepted(world.agency_a)])


def _scoring(world):
    """Criteria, one issue, the planner and the narasumber as raters; results still closed."""
    from tests.issues.strategic_factories import make_criteria, make_rater

    _si(world)
    make_criteria(world.plan)
    make_rater(world.plan, world.planner)
    make_rater(world.plan, world.resource_person)
    return plan(world)


def _opened(world):
    from tests.issues.strategic_factories import open_results

    kwargs = _scoring(world)
    open_results(world.plan)
    return kwargs


SI_READERS = by_role(403, planner=200, leader=200, resource_person=200)
SI_PLANNERS_AND_LEADERS = by_role(403, planner=200, leader=200)
# Object pages: outsiders of the region and roles without access get 404 (not visible at all).
SI_OBJECT_READERS = by_role(404, planner=200, leader=200, resource_person=200)
SI_OBJECT_PLANNERS = by_role(404, planner=200, leader=403, resource_person=403)
SI_OBJECT_PLANNERS_POST = by_role(404, planner=302, leader=403, resource_person=403)

ROUTES |= {
    "strategic:list": Route(get=SI_READERS, post=READ_ONLY, kwargs=plan, scope="region"),
    "strategic:create": Route(
        get=planners_only(200), post=planners_only(200), kwargs=plan, scope="region"
    ),
    "strategic:unmapped": Route(
        get=by_role(405), post=planners_only(302), kwargs=plan, scope="region"
    ),
    "strategic:criteria": Route(
        get=planners_only(200), post=planners_only(200), kwargs=plan, scope="region"
    ),
    "strategic:drop_political": Route(
        get=by_role(405), post=planners_only(302), kwargs=plan, scope="region"
    ),
    "strategic:raters": Route(
        get=planners_only(200), post=planners_only(302), kwargs=_scoring, scope="region"
    ),
    # Raters only (here the planner and the narasumber), each on their own sheet.
    "strategic:sheet": Route(
        get=by_role(403, planner=200, resource_person=200),
        post=by_role(403, planner=302, resource_person=302),
        kwargs=_scoring,
        scope="region",
    ),
    # Before the results open only planners reach the page (without anyone's scores).
    "strategic:results": Route(
        get=planners_only(200), post=READ_ONLY, kwargs=_scoring, scope="region"
    ),
    "strategic:results_state": Route(
        get=by_role(405), post=planners_only(302), kwargs=_scoring, scope="region"
    ),
    "strategic:adopt": Route(
        get=by_role(405), post=planners_only(302), kwargs=_opened, scope="region"
    ),
    "strategic:export": Route(
        get=SI_PLANNERS_AND_LEADERS, post=READ_ONLY, kwargs=_opened, scope="region"
    ),
    "strategic:trace": Route(
        get=SI_PLANNERS_AND_LEADERS, post=READ_ONLY, kwargs=plan, scope="region"
    ),
    "strategic:detail": Route(
        get=SI_OBJECT_READERS, post=READ_ONLY, kwargs=lambda w: {"pk": _si(w).pk}, scope="region"
    ),
    "strategic:update": Route(
        get=SI_OBJECT_PLANNERS,
        post=SI_OBJECT_PLANNERS,
        kwargs=lambda w: {"pk": _si(w).pk},
        scope="region",
    ),
    "strategic:problems": Route(
        get=SI_OBJECT_PLANNERS,
        post=SI_OBJECT_PLANNERS_POST,
        kwargs=lambda w: {"pk": _si(w).pk},
        scope="region",
    ),
    # Served by fgd (the link belongs to the FGD input), under the issue's address.
    "fgd:strategic_inputs": Route(
        get=SI_OBJECT_PLANNERS,
        post=SI_OBJECT_PLANNERS_POST,
        kwargs=lambda w: {"pk": _si(w).pk},
        scope="region",
    ),
    "strategic:alignment": Route(
        get=by_role(405),
        post=SI_OBJECT_PLANNERS_POST,
        kwargs=lambda w: {"pk": _si(w).pk},
        scope="region",
    ),
    "strategic:merge": Route(
        get=SI_OBJECT_PLANNERS,
        post=SI_OBJECT_PLANNERS,
        kwargs=lambda w: {"pk": _si(w).pk},
        scope="region",
    ),
    "strategic:split": Route(
        get=SI_OBJECT_PLANNERS,
        post=SI_OBJECT_PLANNERS,
        kwargs=lambda w: {"pk": _si(w).pk},
        scope="region",
    ),
}
