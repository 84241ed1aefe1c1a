"""Who may do what with problems. Which problems a user sees at all is
Problem.objects.visible_to(user); these answer "may this user act on it"."""

from __future__ import annotations

from issues.models import Potential, Problem
from rpjmd.models import Plan, User


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def in_region(user: User, plan: Plan) -> bool:
    return _active(user) and user.region_id is not None and user.region_id == plan.region_id


def can_create_problem(user: User, plan: Plan) -> bool:
    """OPD staff hand in the problems of their own agency."""
    return in_region(user, plan) and user.is_opd and user.agency_id is not None


def owns(user: User, problem: Problem) -> bool:
    return _active(user) and user.is_opd and user.agency_id == problem.agency_id


def can_edit_problem(user: User, problem: Problem) -> bool:
    """The agency edits its own work while it is a draft or returned; accepted work is frozen."""
    return owns(user, problem) and problem.is_editable


def can_submit(user: User, problem: Problem) -> bool:
    return owns(user, problem)


def can_delete_problem(user: User, problem: Problem) -> bool:
    """Only a draft never handed in may disappear; anything submitted stays on the record."""
    return owns(user, problem) and problem.status == "draft"


def can_review(user: User, problem_or_plan) -> bool:
    """Bappeda planners of the problem's region review; leaders only read."""
    plan = getattr(problem_or_plan, "plan", problem_or_plan)
    return in_region(user, plan) and user.is_planner


def can_see_history(user: User, problem: Problem) -> bool:
    return can_review(user, problem)


def can_list_problems(user: User, plan: Plan) -> bool:
    """The problem list: OPD staff (their agency's), planners and leaders (all submitted)."""
    return in_region(user, plan) and (user.is_opd or user.is_planner or user.is_leader)


def can_follow_progress(user: User, plan: Plan) -> bool:
    return in_region(user, plan) and (user.is_planner or user.is_leader)


def can_manage_collection(user: User, plan: Plan) -> bool:
    """Extend deadlines and open problems to all participants: the planners' job."""
    return in_region(user, plan) and user.is_planner


def can_export(user: User, plan: Plan) -> bool:
    return can_follow_progress(user, plan)


def can_import(user: User, plan: Plan) -> bool:
    return can_create_problem(user, plan)


# --- Strategic issues ---------------------------------------------------------------------------


def can_view_strategic(user: User, plan: Plan) -> bool:
    """The issue list and pages: planners, leaders and narasumber (who score them)."""
    return in_region(user, plan) and (user.is_planner or user.is_leader or user.is_resource_person)


def can_manage_strategic(user: User, plan: Plan) -> bool:
    """Create, link, merge, split, set criteria and raters, open results, adopt: planners."""
    return in_region(user, plan) and user.is_planner


def can_score(user: User, plan: Plan) -> bool:
    """Only the plan's raters have a scoring sheet, and only their own."""
    return (
        in_region(user, plan)
        and (user.is_planner or user.is_resource_person)
        and plan.raters.active().filter(user=user).exists()
    )


def can_see_results(user: User, plan: Plan, *, results_open: bool) -> bool:
    """Planners always reach the results page (scores stay hidden until they open them);
    leaders and narasumber once the results are open, so nobody is anchored by others."""
    if can_manage_strategic(user, plan):
        return True
    return results_open and can_view_strategic(user, plan)


def can_export_results(user: User, plan: Plan, *, results_open: bool) -> bool:
    return results_open and in_region(user, plan) and (user.is_planner or user.is_leader)


def can_trace(user: User, plan: Plan) -> bool:
    """The traceability view shows problems and evidence: planners and leaders."""
    return in_region(user, plan) and (user.is_planner or user.is_leader)


# --- Potensi and factors (issue 17) -------------------------------------------------------------


def can_list_potentials(user: User, plan: Plan) -> bool:
    """The potensi list: agencies (their own), planners and leaders (all), narasumber (theirs)."""
    return in_region(user, plan) and (
        user.is_opd or user.is_planner or user.is_leader or user.is_resource_person
    )


def can_record_potential(user: User, plan: Plan) -> bool:
    """OPD staff for their agency and planners on the potensi page; narasumber record theirs
    from their FGD inputs (fgd:input_potential)."""
    return in_region(user, plan) and (
        (user.is_opd and user.agency_id is not None) or user.is_planner
    )


def can_edit_potential(user: User, potential: Potential) -> bool:
    """Planners every one; an agency its own; a narasumber what they recorded."""
    if not in_region(user, potential.plan):
        return False
    if user.is_planner:
        return True
    if user.is_opd:
        return user.agency_id is not None and user.agency_id == potential.agency_id
    if user.is_resource_person:
        return potential.agency_id is None and potential.created_by_id == user.pk
    return False


def can_edit_factors(user: User, problem: Problem) -> bool:
    """The agency while the problem is its own work, and the planners who review it."""
    return can_edit_problem(user, problem) or can_review(user, problem)
