"""Hand-written factories: each makes one valid object with sensible Kutai Kartanegara defaults."""

from __future__ import annotations

import datetime as dt
import itertools

from rpjmd.models import Agency, Plan, Region, Stage, User

_seq = itertools.count(1)


def make_region(**fields) -> Region:
    n = next(_seq)
    defaults = {
        "name": f"Daerah Uji {n}",
        "code": f"99.{n:02d}",
        "kind": Region.Kind.REGENCY,
        "province": "Kalimantan Timur",
        "time_zone": Region.TimeZone.WITA,
    }
    return Region.objects.create(**(defaults | fields))


def make_agency(region: Region, **fields) -> Agency:
    n = next(_seq)
    defaults = {"name": f"Dinas Uji {n}", "short_name": f"DU{n}"}
    return Agency.objects.create(region=region, **(defaults | fields))


def make_user(
    role: str,
    *,
    agency: Agency | None = None,
    region: Region | None = None,
    password: str | None = None,
    **fields,
) -> User:
    n = next(_seq)
    user = User(
        username=fields.pop("username", f"{role}{n}"),
        full_name=fields.pop("full_name", f"Pengguna {role} {n}"),
        role=role,
        agency=agency,
        region=region or (agency.region if agency else None),
        **fields,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def make_plan(region: Region, **fields) -> Plan:
    defaults = {
        "title": "Rancangan Teknokratik RPJMD Uji 2021–2026",
        "start_year": 2021,
        "end_year": 2026,
        "rpjmn_period": "2020-2024",
    }
    return Plan.objects.create(region=region, **(defaults | fields))


def make_stage(plan: Plan, **fields) -> Stage:
    defaults = {
        "name": "FGD Identifikasi Permasalahan",
        "kind": Stage.Kind.IDENTIFICATION,
        "order": 1,
        "opens_on": dt.date(2026, 11, 2),
        "closes_on": dt.date(2026, 12, 11),
        "state": Stage.State.OPEN,
    }
    return Stage.objects.create(plan=plan, **(defaults | fields))


def sign_in(client, user: User) -> None:
    """Log a test client in as `user`, the second step included where the user needs one
    (planners and admins): as if they had typed their authenticator code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rpjmd.two_factor import DEVICE_NAME, authenticator, required_for

    client.force_login(user)
    if required_for(user):
        device = authenticator(user) or TOTPDevice.objects.create(
            user=user, name=DEVICE_NAME, confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
