"""This module's part of the Kutai Kartanegara demo (see rpjmd/demo.py)."""

from __future__ import annotations

from rpjmd.models import Plan


def load(plan: Plan) -> None:
    """Create this module's demo data for the plan, only where it is missing."""
