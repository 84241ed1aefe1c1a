"""This module's rows of the authorization matrix (merged in tests/authz_matrix.py)."""

from __future__ import annotations

import itertools

from tests.authz_matrix import READ_ONLY, Route, by_role, planners_only


def plan(world):
    return {"plan_id": world.plan.pk}


_seq = itertools.count(1)


def _indicator(world, status: str = "submitted"):
    from tests.regional.factories import make_indicator

    # A route's kwargs may be built several times in one test: each a new row.
    return {"pk": make_indicator(world, status=status, name=f"Indikator uji {next(_seq)}").pk}


# Regional data describes the whole pemda: everyone working in it reads it; the admin (no
# region role here) does not.
READERS = by_role(200, admin=403)
KEEPERS = by_role(403, opd=200, planner=200)
# An indicator of agency A's urusan: readable by the pemda, editable by agency A and planners.
SEEN = by_role(200, admin=403)

ROUTES: dict[str, Route] = {
    "regional:indicator_list": Route(get=READERS, post=READ_ONLY, kwargs=plan, scope="region"),
    "regional:indicator_create": Route(get=KEEPERS, post=KEEPERS, kwargs=plan, scope="region"),
    "regional:indicator_template": Route(get=KEEPERS, post=READ_ONLY, kwargs=plan, scope="region"),
    "regional:indicator_import": Route(get=KEEPERS, post=KEEPERS, kwargs=plan, scope="region"),
    "regional:evaluation_list": Route(get=READERS, post=READ_ONLY, kwargs=plan, scope="region"),
    "regional:evaluation_create": Route(get=KEEPERS, post=KEEPERS, kwargs=plan, scope="region"),
    "regional:evaluation_template": Route(get=KEEPERS, post=READ_ONLY, kwargs=plan, scope="region"),
    "regional:evaluation_import": Route(get=KEEPERS, post=KEEPERS, kwargs=plan, scope="region"),
    "regional:indicator_detail": Route(get=SEEN, post=READ_ONLY, kwargs=_indicator, scope="region"),
    "regional:indicator_update": Route(
        get=by_role(403, opd=200, planner=200, admin=403),
        post=by_role(403, opd=200, planner=200, admin=403),
        kwargs=_indicator,
        scope="region",
    ),
    "regional:indicator_review": Route(
        get=by_role(405),
        post=by_role(403, planner=302, admin=403),
        kwargs=_indicator,
        scope="region",
    ),
    "regional:finance": Route(
        get=planners_only(200), post=planners_only(200), kwargs=plan, scope="region"
    ),
    "regional:finance_template": Route(
        get=planners_only(200), post=READ_ONLY, kwargs=plan, scope="region"
    ),
    "regional:finance_import": Route(
        get=planners_only(200), post=planners_only(200), kwargs=plan, scope="region"
    ),
}
