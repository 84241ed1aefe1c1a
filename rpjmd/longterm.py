"""The region's RPJPD: finding the one a plan belongs to, and saving it with its misi."""

from __future__ import annotations

from django.db import transaction

from rpjmd.models import Plan, RegionalLongTermMission, RegionalLongTermPlan

CURRENT_FIRST_YEAR, CURRENT_LAST_YEAR = 2025, 2045


def rpjpd_for(plan: Plan) -> RegionalLongTermPlan:
    """The region's RPJPD covering the plan's first year; for an older plan the region's
    RPJPD 2025–2045 (every pemda adopted one in 2024 under Inmendagri 1/2024), unsaved if no
    planner has typed it yet."""
    region_plans = RegionalLongTermPlan.objects.filter(region_id=plan.region_id)
    found = (
        region_plans.filter(first_year__lte=plan.start_year, last_year__gte=plan.start_year).first()
        or region_plans.filter(first_year=CURRENT_FIRST_YEAR).first()
    )
    return found or RegionalLongTermPlan(
        region_id=plan.region_id, first_year=CURRENT_FIRST_YEAR, last_year=CURRENT_LAST_YEAR
    )


def save_rpjpd(
    rpjpd: RegionalLongTermPlan, *, missions: list[str], directions: dict[str, str]
) -> RegionalLongTermPlan:
    """Save the RPJPD and renumber its misi from the lines typed: misi n keeps its row (and the
    problems and issues aligned with it) when its wording changes; lines past the end go."""
    with transaction.atomic():
        rpjpd.directions = directions
        rpjpd.save()
        existing = {m.number: m for m in rpjpd.missions.select_for_update()}
        for number, text in enumerate(missions, start=1):
            mission = existing.get(number)
            if mission is None:
                RegionalLongTermMission.objects.create(
                    long_term_plan=rpjpd, number=number, text=text
                )
            elif mission.text != text:
                mission.text = text
                mission.save(update_fields=["text"])
        for number, mission in existing.items():
            if number > len(missions):
                mission.delete()
    return rpjpd
