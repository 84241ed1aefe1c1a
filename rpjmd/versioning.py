"""Plain edit forms without lost updates (issue 13).

A form that edits an existing row carries the row's version as a hidden field. Saving locks the
row (`select_for_update`), compares the versions and writes only when nobody saved in between;
otherwise nothing is written and the view answers 409 with both sides: what is stored now and
what the user typed (the form stays filled in, now carrying the current version, so submitting
it again deliberately saves the user's values on top of what they have seen).

Every save of a `Versioned` row bumps the version under the row lock, whoever saves it (review,
state changes, the form), so a form opened before a status change is stale too. The form's save
only ever writes the form's own fields onto the locked row: a status set meanwhile is kept even
when the user saves on top.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERSION_FIELD = "seen_version"


class Versioned(models.Model):
    """A row whose every save gets the next version number."""

    version = models.PositiveIntegerField(gettext_lazy("versi"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        with transaction.atomic(using=kwargs.get("using")):
            # Read under the lock: an instance loaded earlier still gets a version above
            # every save made since, so no stale form can match it afterwards.
            stored = (
                type(self)
                ._base_manager.select_for_update()
                .filter(pk=self.pk)
                # No default ordering: one through a nullable relation would outer-join, and
                # PostgreSQL cannot lock the nullable side of an outer join.
                .order_by("pk")
                .values_list("version", flat=True)
                .first()
            )
            self.version = max(stored or 0, self.version) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            return super().save(*args, **kwargs)


class VersionCheck:
    """ModelForm mixin: an edit form carries the version it was opened at.

    `version_attr` names the model's counter (`version`, unless the model keeps another)."""

    version_attr = "version"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[VERSION_FIELD] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=0,
                error_messages={
                    "required": _(
                        "Formulir ini tidak menyebut versi yang Anda buka; muat ulang halaman."
                    ),
                    "invalid": _("Versi formulir tidak dikenal; muat ulang halaman."),
                    "min_value": _("Versi formulir tidak dikenal; muat ulang halaman."),
                },
            )
            self.initial[VERSION_FIELD] = getattr(self.instance, self.version_attr)


class Stale(Exception):
    """Someone saved the row after the form was opened; nothing was written."""

    def __init__(self, current: models.Model):
        super().__init__("stale form")
        self.current = current


def save_if_current(
    form: forms.ModelForm,
    save: Callable[[], models.Model] | None = None,
    *,
    check: Callable[[models.Model], bool] | None = None,
) -> models.Model:
    """Save `form` (or run `save`) only if its row is still at the version the form was opened
    at, else raise `Stale` with the stored row. `check(current)` may refuse the save too (for
    example a problem that is no longer editable): then it is handled as stale."""
    model = form._meta.model
    attr = getattr(form, "version_attr", "version")
    seen = form.cleaned_data[VERSION_FIELD]
    with transaction.atomic():
        current = model._base_manager.select_for_update().get(pk=form.instance.pk)
        if getattr(current, attr) != seen or (check is not None and not check(current)):
            raise Stale(current)
        _carry_over(form, current)
        return save() if save is not None else form.save()


def posted_stale(form: forms.ModelForm) -> bool:
    """The (valid) form was opened at an older version than the row this request loaded.

    Lets a view answer with the conflict even when a formset beside the form no longer
    validates because of the newer save (a row it names was deleted meanwhile)."""
    if not form.is_valid() or VERSION_FIELD not in form.cleaned_data:
        return False
    return form.cleaned_data[VERSION_FIELD] != getattr(
        form.instance, getattr(form, "version_attr", "version")
    )


def _carry_over(form: forms.ModelForm, current: models.Model) -> None:
    """Give the form's instance the stored values of every field the form does not edit, so
    saving it writes the form's fields and keeps whatever else changed (status, notes)."""
    edited = set(form._meta.fields or ()) & set(form.fields)
    for model_field in current._meta.concrete_fields:
        if model_field.primary_key or model_field.name in edited:
            continue
        setattr(form.instance, model_field.attname, getattr(current, model_field.attname))


# --- the conflict page --------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    theirs: str
    mine: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.mine


@dataclass
class Conflict:
    """What the conflict page shows: the stored values, the typed ones, who saved last."""

    rows: list[Row]
    version: int
    by: str = ""
    at: dt.datetime | None = None
    status: str = ""
    can_overwrite: bool = True
    notes: list[str] = field(default_factory=list)

    @property
    def differing(self) -> list[Row]:
        return [row for row in self.rows if row.differs]


def shown(value) -> str:
    """One value as the conflict page prints it (both sides go through here)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, models.QuerySet | list | tuple | set):
        items = sorted(str(item) for item in value)
        return "; ".join(items) if items else "—"
    return str(value)


def conflict_for(
    form: forms.ModelForm,
    current: models.Model,
    *,
    extra: Iterable[Row] = (),
    status: str = "",
    can_overwrite: bool = True,
) -> Conflict:
    """Compare the stored row with the form's cleaned values, field by field, and put the
    stored version into the form so that submitting it again saves on top knowingly."""
    rows = [*rows_for(form, current), *extra]
    version = getattr(current, getattr(form, "version_attr", "version"))
    data = form.data.copy()
    data[form.add_prefix(VERSION_FIELD)] = str(version)
    form.data = data
    by, at = last_change(current)
    return Conflict(
        rows=rows, version=version, by=by, at=at, status=status, can_overwrite=can_overwrite
    )


def rows_for(form: forms.ModelForm, current: models.Model) -> list[Row]:
    """One row per model field of the form: stored value, typed value."""
    rows = []
    for name in form._meta.fields or ():
        if name not in form.fields or name not in form.cleaned_data:
            continue
        model_field = current._meta.get_field(name)
        mine = form.cleaned_data[name]
        if model_field.many_to_many:
            theirs = list(getattr(current, name).all())
            mine = list(mine or [])
        else:
            theirs = getattr(current, name)
            if model_field.choices:
                labels = dict(model_field.flatchoices)
                theirs, mine = labels.get(theirs, theirs), labels.get(mine, mine)
        rows.append(Row(str(form.fields[name].label), shown(theirs), shown(mine)))
    return rows


ROWS_GONE = gettext_lazy(
    "Sebagian baris yang ada di formulir Anda sudah dihapus dalam versi tersimpan, jadi isian "
    "ini tidak dapat disimpan apa adanya: muat ulang versi tersimpan, lalu ketik lagi perubahan "
    "Anda (lihat kolom “Isian Anda”)."
)


def last_change(row: models.Model) -> tuple[str, dt.datetime | None]:
    """Who saved the row last and when, if its history knows."""
    history = getattr(row, "history", None)
    if history is None:
        return "", None
    latest = history.select_related("history_user").order_by("-history_id").first()
    if latest is None:
        return "", None
    return (str(latest.history_user) if latest.history_user_id else ""), latest.history_date


def save_or_conflict(form: forms.ModelForm):
    """Save a valid edit form if nobody saved its row since it was opened: None. Otherwise
    nothing is written and the conflict page's contents come back, to render with 409."""
    try:
        save_if_current(form)
    except Stale as stale:
        return conflict_for(form, stale.current)
    return None
