"""Dashboard cards of this module (see rpjmd/dashboard.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from issues.models import Problem, deadline_for
from issues.permissions import can_follow_progress, can_list_problems
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
