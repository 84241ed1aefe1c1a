"""The Kutai Kartanegara demo: the 2020 technocratic process of the seed article.

Everything is created only when missing (natural keys, never the title a planner may edit), so
running the demo again changes nothing and keeps whatever users did in the app.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_otp.plugins.otp_totp.models import TOTPDevice

from rpjmd import demo_live
from rpjmd.models import Agency, Plan, Region, Stage, User
from rpjmd.reference import KUKAR_CODE, load_reference
from rpjmd.two_factor import DEVICE_NAME, authenticator

DEMO_PASSWORD = "Demo-2020-Teknokratik"  # noqa: S105 - printed for demo users on purpose
# The demo's planners and admin have two-factor login on with this published key, so anyone
# trying the demo can add it to an authenticator app (or run `manage.py demo_code`). Never
# used outside the demo users: `demo_code` refuses any device with another key.
DEMO_TOTP_KEY = "6b756b61722d64656d6f2d72706a6d642d32303230"  # noqa: S105 - public demo key


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    role: str
    agency: str | None  # short name


DEMO_USERS = [
    DemoUser(
        "perencana",
        "Rina Wulandari, S.T., M.Sc.",
        "Perencana Ahli Muda, Bidang Perencanaan dan Pengendalian",
        User.Role.PLANNER,
        "Bappeda",
    ),
    DemoUser(
        "perencana.ekonomi",
        "Dewi Lestari, S.E., M.Ec.Dev.",
        "Perencana Ahli Muda, Bidang Perekonomian dan Sumber Daya Alam",
        User.Role.PLANNER,
        "Bappeda",
    ),
    DemoUser(
        "opd.disdikbud",
        "Ahmad Fauzi, S.Pd., M.Pd.",
        "Kepala Subbagian Perencanaan dan Pelaporan",
        User.Role.OPD,
        "Disdikbud",
    ),
    DemoUser(
        "opd.dinkes",
        "dr. Siti Rahmawati, M.Kes.",
        "Kepala Subbagian Program dan Informasi",
        User.Role.OPD,
        "Dinkes",
    ),
    DemoUser("opd.dpu", "Budi Santoso, S.T., M.T.", "Perencana Ahli Pertama", User.Role.OPD, "DPU"),
    DemoUser(
        "sumedi",
        "Drs. Sumedi Andono Mulyo, MA, Ph.D",
        "Direktur Daerah Tertinggal, Transmigrasi dan Perdesaan, Kementerian PPN/Bappenas",
        User.Role.RESOURCE_PERSON,
        None,
    ),
    DemoUser(
        "wiyono",
        "Wiyono",
        "Kepala Bappeda Kabupaten Kutai Kartanegara",
        User.Role.LEADER,
        "Bappeda",
    ),
    DemoUser("admin", "Administrator Sistem", "Pengelola TI", User.Role.ADMIN, None),
]

# The four stages Kepala Bappeda announced in March 2020 (minggu ke-2 Maret to minggu ke-4 April).
DEMO_STAGES = [
    (
        1,
        Stage.Kind.IDENTIFICATION,
        "FGD Identifikasi Permasalahan Pembangunan Daerah",
        dt.date(2020, 3, 2),
        dt.date(2020, 3, 13),
        Stage.State.OPEN,
    ),
    (
        2,
        Stage.Kind.DRAFT_FGD,
        "FGD Draf Rancangan Teknokratik RPJMD",
        dt.date(2020, 3, 16),
        dt.date(2020, 4, 3),
        Stage.State.PLANNED,
    ),
    (
        3,
        Stage.Kind.FINALISATION,
        "Finalisasi Rancangan Teknokratik RPJMD",
        dt.date(2020, 4, 6),
        dt.date(2020, 4, 10),
        Stage.State.PLANNED,
    ),
    (
        4,
        Stage.Kind.SUBMISSION,
        "Penyampaian Rancangan Teknokratik RPJMD",
        dt.date(2020, 4, 13),
        dt.date(2020, 4, 24),
        Stage.State.PLANNED,
    ),
]


def load_plan(region: Region) -> Plan:
    plan, _ = Plan.objects.get_or_create(
        region=region,
        kind=Plan.Kind.RPJMD,
        start_year=2021,
        end_year=2026,
        defaults={
            "title": "Rancangan Teknokratik RPJMD Kabupaten Kutai Kartanegara 2021–2026",
            "rpjmn_period": "2020-2024",
        },
    )
    for order, kind, name, opens_on, closes_on, state in DEMO_STAGES:
        Stage.objects.get_or_create(
            plan=plan,
            kind=kind,
            defaults={
                "order": order,
                "name": name,
                "opens_on": opens_on,
                "closes_on": closes_on,
                "state": state,
            },
        )
    return plan


def load_users(region: Region) -> list[User]:
    agencies = {a.short_name: a for a in Agency.objects.filter(region=region)}
    users = []
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            user = User(
                username=demo.username,
                full_name=demo.full_name,
                position=demo.position,
                role=demo.role,
                region=region,
                agency=agencies[demo.agency] if demo.agency else None,
                email=f"{demo.username}@demo.invalid",
                is_superuser=demo.role == User.Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        if user.role in settings.TWO_FACTOR_ROLES and authenticator(user) is None:
            TOTPDevice.objects.create(
                user=user, name=DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True
            )
        users.append(user)
    return users


# Each module adds its own demo data, in this order (FGDs table problems, the document shows both).
MODULE_DEMOS = [
    "issues.demo.load",
    "fgd.demo.load",
    # Strategic issues come after the FGDs: they link FGD inputs.
    "issues.strategic.demo.load",
    # Regional data before the document: its chapters II–III show tables made of it.
    "regional.demo.load",
    "drafts.demo.load",
]

# What ended the 2020 process, after its stages closed: the approved final document.
FINISHED_DEMOS = ["drafts.demo_final.load"]

# After the live plan exists: the region's RPJPD, and the 2025–2029 plan aligned with RPJMN
# 2025–2029, RPJPN 2025–2045 and that RPJPD.
CURRENT_CYCLE_DEMOS = ["regional.demo.load_current_cycle"]


def load_demo() -> tuple[Plan, list[User]]:
    """The finished 2020 plan with every module's demo data, then the live plan (2025–2029)."""
    with transaction.atomic():
        load_reference()
        region = Region.objects.get(code=KUKAR_CODE)
        existing = set(
            Stage.objects.filter(plan__region=region, plan__start_year=2021).values_list(
                "pk", flat=True
            )
        )
        plan = load_plan(region)
        new_stages = list(plan.stages.exclude(pk__in=existing))
        users = load_users(region)
        for loader in MODULE_DEMOS:
            import_string(loader)(plan)
        # The 2020 process is finished history: its stages close once the modules have added
        # what happened in them (adopting the strategic issues needs finalisation open). Only
        # the stages made now: a planner's later choice stands.
        for stage in new_stages:
            stage.set_state(Stage.State.CLOSED)
        for loader in FINISHED_DEMOS:
            import_string(loader)(plan)
        demo_live.load(region)
        for loader in CURRENT_CYCLE_DEMOS:
            import_string(loader)(plan)
    return plan, users
