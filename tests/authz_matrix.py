"""The authorization matrix: for every named URL, what each role gets on GET and POST.

Every URL pattern of the project (outside the Django admin, which is walked separately) must
have an entry here; tests/test_authorization.py fails for a route without one. Later modules
add their routes to MATRIX.

Expected values: an HTTP status code, or LOGIN for "redirected to the login page".
`scope` names what an outsider must not reach: "region" (objects of another pemda), "agency"
(objects of another OPD) or "recipient" (someone else's notifications). Outsiders request such
routes too, and must get 404 and leave the database unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = "login"
ROLES = ["anonymous", "opd", "planner", "resource_person", "leader", "admin"]

Expect = int | str


def by_role(
    default: Expect, *, anonymous: Expect = LOGIN, **overrides: Expect
) -> dict[str, Expect]:
    expected = dict.fromkeys(ROLES, default)
    expected["anonymous"] = anonymous
    expected.update(overrides)
    return expected


def planners_only(ok: Expect, *, others: Expect = 403) -> dict[str, Expect]:
    return by_role(others, planner=ok)


@dataclass
class Route:
    get: dict[str, Expect]
    post: dict[str, Expect]
    kwargs: Callable = field(default=lambda world: {})
    scope: str | None = None  # "region" or "agency": outsiders must get 404


READ_ONLY = by_role(405)  # POST to a page that only shows things

MATRIX: dict[str, Route] = {
    # Public pages: the reviewed allow-list (see PUBLIC_URL_NAMES).
    "login": Route(get=by_role(302, anonymous=200), post=by_role(302, anonymous=200)),
    "health": Route(get=by_role(200, anonymous=200), post=by_role(405, anonymous=405)),
    "set_language": Route(get=by_role(302, anonymous=302), post=by_role(302, anonymous=302)),
    # Core pages.
    "logout": Route(get=by_role(405), post=by_role(302)),
    # One's own password: every logged-in user (an empty POST re-renders with errors).
    "password_change": Route(get=by_role(200), post=by_role(200)),
    # Two-factor login: planners and admins have it on (status page; POST not allowed there);
    # the others may turn it on (setup form; an empty POST re-renders with errors). Verified
    # sessions and users without a device are sent on from the verification step.
    "two_factor_setup": Route(get=by_role(200), post=by_role(200, planner=405, admin=405)),
    "two_factor_verify": Route(get=by_role(302), post=by_role(302)),
    "two_factor_recovery_codes": Route(get=by_role(405), post=by_role(302, planner=200, admin=200)),
    "home": Route(get=by_role(302), post=READ_ONLY),
    "plan_list": Route(get=by_role(200), post=READ_ONLY),
    "plan_create": Route(get=planners_only(200), post=planners_only(200)),
    "plan_dashboard": Route(
        get=by_role(200),
        post=READ_ONLY,
        kwargs=lambda w: {"plan_id": w.plan.pk},
        scope="region",
    ),
    "plan_update": Route(
        get=planners_only(200),
        post=planners_only(200),
        kwargs=lambda w: {"plan_id": w.plan.pk},
        scope="region",
    ),
    # The region's RPJPD: the pemda reads it, a planner types it (an empty POST re-renders).
    "rpjpd": Route(
        get=by_role(200, admin=403),
        post=by_role(403, planner=200),
        kwargs=lambda w: {"plan_id": w.plan.pk},
        scope="region",
    ),
    "stage_list": Route(
        get=planners_only(200),
        post=READ_ONLY,
        kwargs=lambda w: {"plan_id": w.plan.pk},
        scope="region",
    ),
    "stage_create": Route(
        get=planners_only(200),
        post=planners_only(200),
        kwargs=lambda w: {"plan_id": w.plan.pk},
        scope="region",
    ),
    "stage_update": Route(
        get=planners_only(200),
        post=planners_only(200),
        kwargs=lambda w: {"pk": w.stage.pk},
        scope="region",
    ),
    "stage_delete": Route(
        get=by_role(405),
        post=planners_only(302),
        kwargs=lambda w: {"pk": w.stage.pk},
        scope="region",
    ),
    "notification_list": Route(get=by_role(200), post=READ_ONLY),
    "notification_read_all": Route(get=by_role(405), post=by_role(302)),
    # Notifications belong to their recipient (here: opd, staff_a) and to nobody else.
    "notification_open": Route(
        get=by_role(405),
        post=by_role(404, opd=302),
        kwargs=lambda w: {"pk": w.staff_a.notifications.create(message="Uji").pk},
        scope="recipient",
    ),
    "stage_set_state": Route(
        get=by_role(405),
        post=planners_only(302),
        kwargs=lambda w: {"pk": w.stage.pk},
        scope="region",
    ),
}


def _module_routes() -> dict[str, Route]:
    # Each module keeps its rows in tests/<module>/authz.py, so modules grow side by side.
    from tests.drafts.authz import ROUTES as DRAFTS
    from tests.fgd.authz import ROUTES as FGD
    from tests.issues.authz import ROUTES as ISSUES
    from tests.regional.authz import ROUTES as REGIONAL

    return ISSUES | FGD | DRAFTS | REGIONAL


MATRIX |= _module_routes()

# Views that answer without login. Anything else exempt from LoginRequiredMiddleware fails.
PUBLIC_URL_NAMES = {"login", "health", "set_language", "admin:login"}

# Which outsiders try each scope, and must find nothing.
OUTSIDERS = {
    "recipient": ["opd_b", "planner", "other_staff"],
    "region": ["other_planner", "other_staff"],
    "agency": ["opd_b", "other_planner", "other_staff"],
}
