"""Dashboard cards of this module (see rpjmd/dashboard.py)."""

from __future__ import annotations

import datetime as dt

from rpjmd.dashboard import Card
from rpjmd.models import Plan, User


def cards(user: User, plan: Plan, today: dt.date) -> list[Card]:
    return []
