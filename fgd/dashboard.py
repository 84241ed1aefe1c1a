"""Dashboard cards of this module (see rpjmd/dashboard.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fgd.models import FollowUp, Input, Meeting
from rpjmd.charts import AMBER, NAVY, TEAL, Chart, Series
from rpjmd.dashboard import Card
from rpjmd.models import Plan, User


def overdue_count(today: dt.date) -> Count:
    return Count("pk", filter=Q(due_on__lt=today))


def cards(user: User, plan: Plan, today: dt.date) -> list[Card]:
    meetings = Meeting.objects.visible_to(user).filter(plan=plan)
    list_url = reverse("fgd:meeting_list", args=[plan.pk])
    result: list[Card] = []

    upcoming = meetings.upcoming(timezone.now()).order_by("starts_at")
    next_meeting = upcoming.first()
    # Without a next meeting there is nothing upcoming to count.
    upcoming_count = upcoming.count() if next_meeting is not None else 0
    if next_meeting is not None:
        when = date_format(timezone.localtime(next_meeting.starts_at), "j F Y")
        hint = f"{next_meeting.title} · {when}"
        url = reverse("fgd:meeting_detail", args=[next_meeting.pk])
    else:
        held = meetings.filter(status=Meeting.Status.CLOSED).count()
        hint = _("Tidak ada FGD terjadwal; %(n)s FGD telah dilaksanakan") % {"n": held}
        url = list_url
    result.append(Card(_("FGD mendatang"), upcoming_count, hint, url))

    if user.is_planner or user.is_leader:
        pending = Input.objects.filter(meeting__in=meetings).pending()
        count = pending.count()
        first = pending.select_related("meeting").order_by("created_at").first() if count else None
        result.append(
            Card(
                _("Masukan menunggu tanggapan"),
                count,
                first.meeting.title if first else _("Semua masukan FGD sudah ditanggapi"),
                reverse("fgd:meeting_detail", args=[first.meeting_id]) + "#masukan"
                if first
                else list_url,
            )
        )

    if user.is_opd and user.agency_id:
        open_items = FollowUp.objects.filter(meeting__in=meetings, agency_id=user.agency_id).open()
        figures = open_items.aggregate(total=Count("pk"), overdue=overdue_count(today))
        overdue = figures["overdue"]
        nearest = open_items.order_by("due_on").first() if figures["total"] else None
        hint = (
            _("%(n)s lewat tenggat") % {"n": overdue}
            if overdue
            else _("Tenggat terdekat %(date)s") % {"date": date_format(nearest.due_on, "j F Y")}
            if nearest
            else _("Tidak ada tindak lanjut yang terbuka")
        )
        result.append(
            Card(
                _("Tindak lanjut FGD instansi Anda"),
                figures["total"],
                hint,
                reverse("fgd:followup_list", args=[plan.pk]),
            )
        )
    elif user.is_planner or user.is_leader:
        figures = (
            FollowUp.objects.filter(meeting__in=meetings)
            .open()
            .aggregate(total=Count("pk"), overdue=overdue_count(today))
        )
        result.append(
            Card(
                _("Tindak lanjut FGD terbuka"),
                figures["total"],
                _("%(n)s lewat tenggat") % {"n": figures["overdue"]},
                reverse("fgd:followup_list", args=[plan.pk]),
            )
        )
    return result


def charts(user: User, plan: Plan, today: dt.date) -> list[Chart]:
    """Who came to the FGDs held so far: staff, narasumber and guests, and how many of the
    invited agencies were in the room."""
    if not (user.is_planner or user.is_leader):
        return []
    present = Q(attendances__isnull=False)
    meetings = list(
        Meeting.objects.filter(plan=plan, starts_at__lte=timezone.now())
        .annotate(
            staff=Count(
                "attendances", filter=present & Q(attendances__user__isnull=False), distinct=True
            ),
            experts=Count(
                "attendances",
                filter=present & Q(attendances__resource_person__isnull=False),
                distinct=True,
            ),
            guests=Count(
                "attendances",
                filter=present
                & Q(attendances__user__isnull=True, attendances__resource_person__isnull=True),
                distinct=True,
            ),
            invited=Count("invitations__agency", distinct=True),
            came=Count("attendances__agency", distinct=True),
        )
        .order_by("-starts_at")[:8]
    )
    if not meetings:
        return []
    meetings.reverse()  # oldest first, as they were held
    return [
        Chart(
            key="dasbor-fgd",
            title=_("Kehadiran FGD"),
            description=_("Peserta yang hadir pada %(n)s FGD terakhir menurut jenis peserta.")
            % {"n": len(meetings)},
            categories=[
                f"{m.title} ({date_format(timezone.localtime(m.starts_at), 'j M Y')})"
                for m in meetings
            ],
            series=[
                Series(_("Staf perangkat daerah"), [m.staff for m in meetings], NAVY),
                Series(_("Narasumber"), [m.experts for m in meetings], AMBER),
                Series(_("Tamu"), [m.guests for m in meetings], TEAL),
            ],
            notes=[
                _("%(came)s/%(invited)s OPD diundang hadir")
                % {"came": m.came, "invited": m.invited}
                if m.invited
                else ""
                for m in meetings
            ],
            unit=_("jumlah peserta hadir"),
        )
    ]
