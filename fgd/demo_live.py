"""The live plan's FGD (rpjmd/demo_live.py): held on the anchor day, so check-in by code works.

The identification FGD of RPJMD 2025–2029 in Tenggarong, from 08.00 to 16.00 WITA on the day the
demo is first loaded. Nobody has checked in yet: the OPD staff do it on their phones with the
meeting's code (FGD → Presensi dengan kode). The problems handed in are tabled. Created only when
the plan has no FGD yet.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fgd.demo import load_resource_persons
from fgd.models import AgendaItem, Invitation, Meeting, Minutes, TabledProblem
from issues.models import Problem
from rpjmd.demo_live import anchor_day
from rpjmd.models import Agency, Plan, Stage, User

TITLE = (
    "FGD Identifikasi Permasalahan Pembangunan Daerah dalam Penyusunan Rancangan Teknokratik "
    "RPJMD Kabupaten Kutai Kartanegara 2025–2029"
)
PURPOSES = [
    "Menghimpun permasalahan pembangunan daerah dari seluruh perangkat daerah",
    "Menyelaraskan permasalahan dengan Prioritas Nasional RPJMN 2025–2029 dan RPJPD 2025–2045",
    "Menyepakati permasalahan yang dibawa ke perumusan isu strategis",
]
AGENDA = [
    ((8, 0), (8, 30), "Registrasi dan presensi peserta", ""),
    ((8, 30), (9, 0), "Pembukaan dan arahan Kepala Bappeda", "Kepala Bappeda"),
    (
        (9, 0),
        (10, 30),
        "Keselarasan RPJMD 2025–2029 dengan RPJMN 2025–2029",
        "Narasumber Kementerian PPN/Bappenas",
    ),
    ((10, 30), (15, 0), "Pembahasan permasalahan per bidang urusan", "Perangkat daerah"),
    ((15, 0), (16, 0), "Kesepakatan dan penutup", "Moderator"),
]
START = dt.time(8, 0)
END = dt.time(16, 0)


def meeting_times(day: dt.date, zone, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """08.00–16.00 on the day; loaded before 07.00 (check-in opens an hour before the start),
    the FGD starts at the current hour instead, so check-in works at once."""
    starts = dt.datetime.combine(day, START, zone)
    if now < starts - dt.timedelta(hours=1):
        starts = timezone.localtime(now, zone).replace(minute=0, second=0, microsecond=0)
    return starts, dt.datetime.combine(day, END, zone)


def load(plan: Plan) -> None:
    if Meeting.objects.filter(plan=plan).exists():
        return
    stage = plan.stage_of_kind(Stage.Kind.IDENTIFICATION)
    if stage is None:
        return
    users = {u.username: u for u in User.objects.filter(region=plan.region)}
    planner = users.get("perencana")
    people = load_resource_persons(plan)
    zone = plan.region.zone
    day = anchor_day(plan)
    starts, ends = meeting_times(day, zone, timezone.now())
    with transaction.atomic():
        meeting = Meeting.objects.create(
            plan=plan,
            stage=stage,
            title=TITLE,
            purposes="\n".join(PURPOSES),
            starts_at=starts,
            ends_at=ends,
            venue="Ruang Rapat Bappeda Kabupaten Kutai Kartanegara, Tenggarong",
            moderator="Kepala Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah",
            notulis=planner,
            created_by=planner,
            created_at=dt.datetime.combine(day - dt.timedelta(days=7), dt.time(10), zone),
        )
        rows = [
            Invitation(meeting=meeting, resource_person=person, invited_by=planner)
            for person in people[:1]
        ]
        rows += [
            Invitation(meeting=meeting, agency=agency, invited_by=planner)
            for agency in Agency.objects.filter(region=plan.region, is_planning_agency=False)
        ]
        if "wiyono" in users:
            rows.append(Invitation(meeting=meeting, user=users["wiyono"], invited_by=planner))
        Invitation.objects.bulk_create(rows)
        for order, (start, end, title, presenter) in enumerate(AGENDA, start=1):
            item = AgendaItem.objects.create(
                meeting=meeting,
                order=order,
                starts_at=dt.time(*start),
                ends_at=dt.time(*end),
                title=title,
                presenter=presenter,
            )
            Minutes.objects.create(agenda_item=item)
        handed_in = Problem.objects.filter(plan=plan, status=Problem.Status.SUBMITTED)
        TabledProblem.objects.bulk_create(
            TabledProblem(
                meeting=meeting,
                problem=problem,
                tabled_by=planner,
                tabled_at=dt.datetime.combine(day - dt.timedelta(days=1), dt.time(14), zone),
            )
            for problem in handed_in
        )
