"""The demo's live plan: Kutai Kartanegara's RPJMD 2025–2029, in progress on the day it is loaded.

The 2020 process (rpjmd/demo.py) is finished history; this plan is what a newcomer works in: its
identification stage is open with its deadline ahead, an FGD is held today (check-in by code
works), OPDs have handed in problems and the first chapters are being written.

Every date counts from the plan's *anchor day*: the day (in the region's zone) the plan was
created, that is the day the demo was first loaded. A later run computes the same dates for
anything missing and changes nothing that exists, so the demo stays idempotent; a database loaded
weeks ago shows a plan weeks further on (a fresh `var/db.sqlite3` starts it again today).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from rpjmd.models import Plan, Region, Stage

LIVE_START_YEAR = 2025
LIVE_END_YEAR = 2029
LIVE_TITLE = "Rancangan Teknokratik RPJMD Kabupaten Kutai Kartanegara 2025–2029"

# (order, kind, name, first day, last day, state); days counted from the anchor day. Bappeda
# names its stages as it did in 2020 (rpjmd/demo.py).
LIVE_STAGES = [
    (
        1,
        Stage.Kind.IDENTIFICATION,
        "FGD Identifikasi Permasalahan Pembangunan Daerah",
        -14,
        14,
        Stage.State.OPEN,
    ),
    (2, Stage.Kind.DRAFT_FGD, "FGD Draft Rancangan Teknokratik RPJMD", 21, 42, Stage.State.PLANNED),
    (
        3,
        Stage.Kind.FINALISATION,
        "Finalisasi Rancangan Teknokratik RPJMD",
        45,
        56,
        Stage.State.PLANNED,
    ),
    (
        4,
        Stage.Kind.SUBMISSION,
        "Penyampaian Rancangan Teknokratik RPJMD",
        59,
        70,
        Stage.State.PLANNED,
    ),
]

# Each module adds its part of the live plan, in this order (the FGD tables the problems).
LIVE_MODULE_DEMOS = [
    "issues.demo_live.load",
    "fgd.demo_live.load",
    "drafts.demo_live.load",
]


def anchor_day(plan: Plan) -> dt.date:
    """The day the live plan was created, in the region's zone: day 0 of its timetable."""
    return timezone.localtime(plan.created_at, plan.region.zone).date()


def find_live_plan(region: Region) -> Plan | None:
    return Plan.objects.filter(
        region=region,
        kind=Plan.Kind.RPJMD,
        start_year=LIVE_START_YEAR,
        end_year=LIVE_END_YEAR,
    ).first()


def load_live_plan(region: Region) -> Plan:
    plan, _created = Plan.objects.get_or_create(
        region=region,
        kind=Plan.Kind.RPJMD,
        start_year=LIVE_START_YEAR,
        end_year=LIVE_END_YEAR,
        defaults={"title": LIVE_TITLE, "rpjmn_period": "2025-2029"},
    )
    day0 = anchor_day(plan)
    for order, kind, name, first, last, state in LIVE_STAGES:
        Stage.objects.get_or_create(
            plan=plan,
            kind=kind,
            defaults={
                "order": order,
                "name": name,
                "opens_on": day0 + dt.timedelta(days=first),
                "closes_on": day0 + dt.timedelta(days=last),
                "state": state,
            },
        )
    return plan


def load(region: Region) -> Plan:
    """The live plan and every module's part of it, created only where missing."""
    with transaction.atomic():
        plan = load_live_plan(region)
        for loader in LIVE_MODULE_DEMOS:
            import_string(loader)(plan)
    return plan
