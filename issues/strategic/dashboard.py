"""The strategic issues' chart on the dashboard (see rpjmd/dashboard.py)."""

from __future__ import annotations

import datetime as dt

from issues.models import StrategicSettings
from issues.permissions import can_see_results
from issues.strategic.charts import score_chart
from rpjmd.charts import Chart
from rpjmd.models import Plan, User


def charts(user: User, plan: Plan, today: dt.date) -> list[Chart]:
    # Only once the results are open: before that nobody is anchored by others' scores, and
    # planners too see no scores until they open them (as on the results page).
    settings = StrategicSettings.for_plan(plan)
    if not settings.results_open or not can_see_results(user, plan, results_open=True):
        return []
    chart = score_chart(plan, key="dasbor-isu", limit=10)
    return [] if chart.is_empty else [chart]
