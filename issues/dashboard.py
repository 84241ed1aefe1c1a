"""Dashboard cards of this module (see rpjmd/dashboard.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from issues.models import Problem, deadline_for
from issues.permissions import can_follow_progress, can_list_problems
from rpjmd.charts import AMBER, BLUE, GREEN, PURPLE, Chart, Series
from rpjmd.dashboard import Card
from rpjmd.models import Agency, Plan, Stage, User

S = Problem.Status


def _counts(problems) -> dict[str, int]:
    found = dict(problems.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: found.get(status, 0) for status in S.values}


def cards(user: User, plan: Plan, today: dt.date) -> list[Card]:
    if not can_list_problems(user, plan):
        return []
    list_url = reverse("issues:list", args=[plan.pk])
    stage = plan.stage_of_kind(Stage.Kind.IDENTIFICATION)
    if user.is_opd:
        counts = _counts(Problem.objects.filter(plan=plan, agency_id=user.agency_id))
        result = [
            Card(
                _("Permasalahan instansi Anda"),
                sum(counts.values()),
                _("%(d)s draf · %(s)s diajukan · %(a)s diterima · %(r)s dikembalikan")
                % {
                    "d": counts[S.DRAFT],
                    "s": counts[S.SUBMITTED],
                    "a": counts[S.ACCEPTED],
                    "r": counts[S.RETURNED],
                },
                list_url,
            )
        ]
        if counts[S.RETURNED]:
            result.append(
                Card(
                    _("Perlu diperbaiki"),
                    counts[S.RETURNED],
                    _("permasalahan dikembalikan Bappeda dengan catatan"),
                    f"{list_url}?status={S.RETURNED}",
                )
            )
        if stage is not None:
            deadline = deadline_for(stage, user.agency_id)
            days = (deadline - today).days
            extended = deadline != stage.closes_on
            hint = (
                _("%(n)s hari lagi") % {"n": days}
                if days > 0
                else _("hari ini")
                if days == 0
                else _("tenggat sudah lewat; minta perpanjangan ke Bappeda")
            )
            if extended:
                hint = _("diperpanjang · %(hint)s") % {"hint": hint}
            result.append(Card(_("Batas pengajuan Anda"), date_format(deadline, "j M Y"), hint))
        return result

    counts = _counts(Problem.objects.filter(plan=plan).exclude(status=S.DRAFT))
    if user.is_planner:
        silent = (
            Agency.objects.filter(region_id=plan.region_id, is_planning_agency=False)
            .annotate(
                handed_in=Count(
                    "problems", filter=Q(problems__plan=plan) & ~Q(problems__status=S.DRAFT)
                )
            )
            .filter(handed_in=0)
            .count()
        )
        return [
            Card(
                _("Menunggu tinjauan"),
                counts[S.SUBMITTED],
                _("permasalahan diajukan perangkat daerah"),
                f"{list_url}?status={S.SUBMITTED}",
            ),
            Card(
                _("Belum mengajukan"),
                silent,
                _("perangkat daerah tanpa permasalahan yang diajukan"),
                reverse("issues:progress", args=[plan.pk])
                if can_follow_progress(user, plan)
                else "",
            ),
        ]
    return [
        Card(
            _("Permasalahan diajukan"),
            sum(counts.values()),
            _("%(a)s diterima · %(s)s menunggu tinjauan · %(r)s dikembalikan")
            % {"a": counts[S.ACCEPTED], "s": counts[S.SUBMITTED], "r": counts[S.RETURNED]},
            reverse("issues:progress", args=[plan.pk]),
        )
    ]


# Handed-in problems only: an agency's drafts are its own business until submitted.
CHART_STATUSES = [
    (S.SUBMITTED, BLUE),
    (S.ACCEPTED, GREEN),
    (S.RETURNED, AMBER),
    (S.DUPLICATE, PURPLE),
]


def charts(user: User, plan: Plan, today: dt.date) -> list[Chart]:
    """Problems per agency by status, each agency's bar ending with its deadline."""
    if not can_follow_progress(user, plan):
        return []
    counts: dict[int, dict[str, int]] = {}
    for agency_id, status, n in (
        Problem.objects.filter(plan=plan)
        .exclude(status=S.DRAFT)
        .values_list("agency_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault(agency_id, {})[status] = n
    # Names and ids only: the chart needs no agency objects.
    agencies = list(
        Agency.objects.filter(region_id=plan.region_id, is_planning_agency=False)
        .order_by("short_name", "name")
        .values_list("short_name", "name", "pk")
    )
    shown = [(short or name, pk) for short, name, pk in agencies if pk in counts]
    silent = len(agencies) - len(shown)
    stage = plan.stage_of_kind(Stage.Kind.IDENTIFICATION)
    notes = []
    if stage is not None:
        extensions = {e.agency_id: e for e in stage.deadline_extensions.all()}
        for _name, pk in shown:
            deadline = deadline_for(stage, pk, extensions)
            days = (deadline - today).days
            when = date_format(deadline, "j M")
            notes.append(
                _("tenggat %(date)s, lewat") % {"date": when}
                if days < 0
                else _("tenggat %(date)s, %(n)s hari lagi") % {"date": when, "n": days}
            )
    description = _(
        "Permasalahan yang diajukan %(n)s perangkat daerah menurut status; "
        "%(silent)s perangkat daerah belum mengajukan."
    ) % {"n": len(shown), "silent": silent}
    return [
        Chart(
            key="dasbor-permasalahan",
            title=_("Permasalahan per perangkat daerah menurut status"),
            description=description,
            categories=[name for name, _pk in shown],
            series=[
                Series(
                    str(status.label), [counts[pk].get(status, 0) for _name, pk in shown], colour
                )
                for status, colour in CHART_STATUSES
            ],
            notes=notes,
            unit=_("jumlah permasalahan"),
        )
    ]
