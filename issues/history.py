"""A problem's history for planners: every saved version of the problem, its root causes and its
indicators (django-simple-history), as readable entries, newest first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from issues.models import CoreProblem, Indicator, Problem, RootCause
from rpjmd.models import Affair

PROBLEM_FIELDS = [
    "status",
    "statement",
    "core_problem",
    "affair",
    "whole_region",
    "reviewer_note",
    "duplicate_of",
]
FOREIGN_KEYS = {"core_problem", "affair", "duplicate_of"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: dt.datetime
    who: str
    what: str
    changes: list[Change] = field(default_factory=list)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _raw(record, name: str):
    """The stored value: the id for a foreign key (reading the relation would load the row)."""
    return getattr(record, f"{name}_id") if name in FOREIGN_KEYS else getattr(record, name)


def _display(record, name: str, lookups: dict) -> str:
    value = _raw(record, name)
    if name in lookups:
        return str(lookups[name].get(value, "—")) if value else "—"
    if name == "status":
        return str(Problem.Status(value).label)
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return str(value) if value not in (None, "") else "—"


def _who(record) -> str:
    user = record.history_user
    return (user.get_full_name() or user.username) if user else _("sistem")


def problem_history(problem: Problem, limit: int = 200) -> list[Entry]:
    records = list(problem.history.select_related("history_user").order_by("history_date"))
    core_ids = {r.core_problem_id for r in records}
    affair_ids = {r.affair_id for r in records}
    lookups = {
        "core_problem": dict(CoreProblem.objects.filter(pk__in=core_ids).values_list("pk", "text")),
        "affair": {a.pk: str(a) for a in Affair.objects.filter(pk__in=affair_ids)},
        "duplicate_of": {r.duplicate_of_id: f"#{r.duplicate_of_id}" for r in records},
    }
    entries: list[Entry] = []
    previous = None
    for record in records:
        if previous is None or record.history_type == "+":
            entries.append(Entry(record.history_date, _who(record), _("Permasalahan dibuat")))
        else:
            changes = [
                Change(
                    _label(Problem, name),
                    _display(previous, name, lookups),
                    _display(record, name, lookups),
                )
                for name in PROBLEM_FIELDS
                if _raw(previous, name) != _raw(record, name)
            ]
            if changes:
                entries.append(
                    Entry(record.history_date, _who(record), _("Permasalahan diubah"), changes)
                )
        previous = record
    entries += _child_entries(
        RootCause.history.filter(problem_id=problem.pk),
        ["order", "text"],
        RootCause,
        _("Akar masalah"),
    )
    entries += _child_entries(
        Indicator.history.filter(problem_id=problem.pk),
        ["name", "unit", "values", "comparison_value", "comparison_kind", "source"],
        Indicator,
        _("Indikator"),
    )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def _child_entries(history, fields: list[str], model, noun: str) -> list[Entry]:
    entries = []
    last: dict[int, object] = {}
    for record in history.select_related("history_user").order_by("history_date", "history_id"):
        before = last.get(record.id)
        if record.history_type == "+":
            what = _("%(noun)s ditambahkan") % {"noun": noun}
            changes = [
                Change(_label(model, fields[1 if model is RootCause else 0]), "", _summary(record))
            ]
        elif record.history_type == "-":
            what = _("%(noun)s dihapus") % {"noun": noun}
            changes = [
                Change(_label(model, fields[1 if model is RootCause else 0]), _summary(record), "")
            ]
        else:
            what = _("%(noun)s diubah") % {"noun": noun}
            changes = [
                Change(
                    _label(model, name),
                    _plain(getattr(before, name)),
                    _plain(getattr(record, name)),
                )
                for name in fields
                if before is not None and getattr(before, name) != getattr(record, name)
            ]
            if not changes:
                last[record.id] = record
                continue
        last[record.id] = record
        entries.append(Entry(record.history_date, _who(record), what, changes))
    return entries


def _summary(record) -> str:
    return getattr(record, "text", None) or getattr(record, "name", "")


def _plain(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in sorted(value.items())) or "—"
    return str(value) if value not in (None, "") else "—"
