"""What each role sees first after logging in.

Each card is a figure that matters to that role, with a link to where it can act on it. Later
modules add their own card functions to CARD_PROVIDERS (an explicit list, not signals).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from rpjmd.charts import Chart
from rpjmd.models import Agency, Plan, Stage, User


@dataclass(frozen=True)
class Card:
    label: str
    value: str | int
    hint: str = ""
    url: str = ""


@dataclass(frozen=True)
class TimelineRow:
    stage: Stage
    status: str
    days_left: int

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def timeline(plan: Plan, today: dt.date) -> list[TimelineRow]:
    return [
        TimelineRow(stage=s, status=s.timeline_status(today), days_left=s.days_left(today))
        for s in plan.stages.all()
    ]


def today_marker_index(rows: list[TimelineRow], today: dt.date) -> int:
    """Where "today" falls in the timeline: before the first stage that has not ended yet."""
    for index, row in enumerate(rows):
        if row.stage.closes_on >= today:
            return index
    return len(rows)


def core_cards(user: User, plan: Plan, today: dt.date) -> list[Card]:
    stages = list(plan.stages.all())
    running = [s for s in stages if s.timeline_status(today) == "ongoing"]
    done = sum(1 for s in stages if s.timeline_status(today) == "closed")
    cards: list[Card] = []
    if user.is_planner or user.is_leader or user.is_admin:
        agencies = Agency.objects.filter(region_id=plan.region_id).aggregate(
            total=Count("pk", distinct=True),
            with_staff=Count(
                "pk", filter=Q(users__role=User.Role.OPD, users__is_active=True), distinct=True
            ),
        )
        cards.append(
            Card(
                _("Perangkat daerah"),
                agencies["total"],
                _("%(n)s memiliki akun staf OPD") % {"n": agencies["with_staff"]},
            )
        )
        cards.append(
            Card(_("Tahapan ditutup"), f"{done}/{len(stages)}", _("tahapan proses teknokratik"))
        )
    if user.is_planner:
        cards.append(
            Card(
                _("Tahapan berjalan"),
                len(running),
                ", ".join(s.name for s in running) or _("Tidak ada tahapan pada hari ini"),
                reverse("stage_list", args=[plan.pk]),
            )
        )
    if user.is_opd and user.agency_id:
        affairs = list(user.agency.affairs.all())
        cards.append(
            Card(
                _("Bidang urusan instansi Anda"),
                len(affairs),
                "; ".join(str(a) for a in affairs) or _("Belum ditetapkan oleh administrator"),
            )
        )
    if user.is_admin:
        cards.append(
            Card(
                _("Pengguna aktif"),
                User.objects.filter(region_id=plan.region_id, is_active=True).count(),
                _("dikelola di halaman admin"),
                reverse("admin:rpjmd_user_changelist"),
            )
        )
    next_deadline = min(
        (s for s in stages if s.state != Stage.State.CLOSED and s.closes_on >= today),
        key=lambda s: s.closes_on,
        default=None,
    )
    if next_deadline is not None:
        cards.append(
            Card(
                _("Tenggat terdekat"),
                _("%(n)s hari lagi") % {"n": next_deadline.days_left(today)},
                next_deadline.name,
            )
        )
    return cards


# In the order they appear on the dashboard.
CARD_PROVIDERS = [
    "rpjmd.dashboard.core_cards",
    "issues.dashboard.cards",
    "fgd.dashboard.cards",
    "drafts.dashboard.cards",
]


def cards_for(user: User, plan: Plan, today: dt.date) -> list[Card]:
    return [
        card for provider in CARD_PROVIDERS for card in import_string(provider)(user, plan, today)
    ]


# The pictures of progress under the cards (issue 16), in this order; each module decides who
# sees its chart, as it does for its cards.
CHART_PROVIDERS = [
    "issues.dashboard.charts",
    "fgd.dashboard.charts",
    "issues.strategic.dashboard.charts",
    "drafts.dashboard.charts",
]


def charts_for(user: User, plan: Plan, today: dt.date) -> list[Chart]:
    return [
        chart
        for provider in CHART_PROVIDERS
        for chart in import_string(provider)(user, plan, today)
    ]
