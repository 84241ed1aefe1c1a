"""Saving regional data: who's row gets which status, the review, the finance grid."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from regional.models import FinanceEntry, FinanceSettings, RegionalIndicator
from rpjmd.models import Plan, User
from rpjmd.notifications import notify

S = RegionalIndicator.Status


def save_indicator(indicator: RegionalIndicator, *, by: User) -> RegionalIndicator:
    """A planner's row counts as accepted; an OPD's row (new or changed) waits for review."""
    with transaction.atomic():
        if by.is_planner:
            indicator.status = S.ACCEPTED
        else:
            indicator.status = S.SUBMITTED
        if indicator.pk is None:
            indicator.created_by = by
        indicator._change_reason = "disimpan"
        indicator.save()
    return indicator


def review(indicator: RegionalIndicator, *, action: str, note: str, by: User) -> None:
    with transaction.atomic():
        locked = RegionalIndicator.objects.select_for_update().get(pk=indicator.pk)
        locked.status = S.ACCEPTED if action == "accept" else S.RETURNED
        locked.reviewer_note = note.strip()
        locked._change_reason = "ditinjau"
        locked.save(update_fields=["status", "reviewer_note", "updated_at"])
        # Whoever typed the row hears that it came back, as with a returned problem.
        if locked.status == S.RETURNED and locked.created_by_id and locked.created_by_id != by.pk:
            notify(
                recipients=[locked.created_by],
                message=_("Indikator “%(name)s” dikembalikan Bappeda: %(note)s")
                % {"name": locked.name[:80], "note": locked.reviewer_note[:200]},
                url=reverse("regional:indicator_update", args=[locked.pk]),
                plan=locked.plan,
            )
    indicator.refresh_from_db()


class FinanceConflict(Exception):
    """Cells (and settings) this planner changed that someone else changed after the page was
    opened: `cells` maps (year, account) to what is stored now; nothing was written."""

    def __init__(self, cells: dict, settings: dict):
        super().__init__("finance grid changed meanwhile")
        self.cells = cells
        self.settings = settings


def save_finance(
    *,
    plan: Plan,
    cells: dict[tuple[int, str], Decimal | None],
    source: str | None = None,
    projection_rate: Decimal | None = None,
    update_settings: bool = True,
    loaded: dict | None = None,
) -> int:
    """Write the grid: a filled cell is created or updated, an emptied cell deleted; each entry
    keeps its own history. Returns how many entries changed.

    With `loaded` (what the page showed: FinanceGridForm.clean_loaded), only what the planner
    changed is written, and if another save changed one of those cells or settings since, nothing
    is written and FinanceConflict names them. Without it (the Excel import), the grid as given
    replaces what is stored."""
    changed = 0
    with transaction.atomic():
        # One grid save at a time per plan: the check below reads cells that may have no row
        # yet and the settings row, which row locks on the entries would not cover.
        Plan.objects.select_for_update().filter(pk=plan.pk).first()
        existing = {(e.year, e.account): e for e in FinanceEntry.objects.filter(plan=plan)}
        settings = FinanceSettings.for_plan(plan)
        if loaded is not None:
            shown = loaded["cells"]
            cells = {cell: amount for cell, amount in cells.items() if amount != shown.get(cell)}
            conflicts = {
                cell: stored
                for cell in cells
                if (stored := existing[cell].amount if cell in existing else None)
                != shown.get(cell)
            }
            setting_conflicts = {}
            for name, typed in (("source", source or ""), ("projection_rate", projection_rate)):
                stored = getattr(settings, name)
                if typed != loaded[name] and stored != loaded[name]:
                    setting_conflicts[name] = stored
            if conflicts or setting_conflicts:
                raise FinanceConflict(conflicts, setting_conflicts)
            source = source if (source or "") != loaded["source"] else settings.source
            if projection_rate == loaded["projection_rate"]:
                projection_rate = settings.projection_rate
        for (year, account), amount in cells.items():
            entry = existing.get((year, account))
            if amount is None:
                if entry is not None:
                    entry.delete()
                    changed += 1
            elif entry is None:
                FinanceEntry.objects.create(plan=plan, year=year, account=account, amount=amount)
                changed += 1
            elif entry.amount != amount:
                entry.amount = amount
                entry.save(update_fields=["amount"])
                changed += 1
        if update_settings:
            settings.source = source or ""
            settings.projection_rate = projection_rate
            settings.save()
    return changed
