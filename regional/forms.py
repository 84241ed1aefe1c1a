from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from issues.forms import DecimalText
from regional.models import (
    Account,
    Aspect,
    FinanceEntry,
    FinanceSettings,
    RegionalIndicator,
    evaluation_years,
    finance_years,
    indicator_years,
)
from rpjmd.models import Affair, Plan
from rpjmd.versioning import VersionCheck

THOUSANDS = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")


def parse_amount(text) -> Decimal | None:
    """Rupiah as Bappeda staff type them: 1.250.000,50 or 1250000.50 or 1250000,5."""
    if text is None:
        return None
    if isinstance(text, int | float | Decimal):
        return Decimal(str(text))
    cleaned = str(text).strip().replace(" ", "").removeprefix("Rp")
    if not cleaned:
        return None
    if THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(".", "")
    if "," in cleaned and "." in cleaned:
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


class RupiahField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "input-number"})

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f").replace(".", ",")
        return value

    def clean(self, value):
        text = super().clean(value)
        try:
            amount = parse_amount(text)
        except ValueError:
            raise ValidationError(_("Masukkan angka rupiah, mis. 1.250.000,50.")) from None
        if amount is None:
            return None
        if amount < 0:
            raise ValidationError(_("Realisasi tidak boleh negatif."))
        if amount >= Decimal(10) ** 18:
            raise ValidationError(_("Angka terlalu besar."))
        return amount.quantize(Decimal("0.01"))


class IndicatorForm(VersionCheck, forms.ModelForm):
    """One indicator series: its place (aspect, urusan), what it measures, realisasi and target
    for each of the five years before the plan."""

    class Meta:
        model = RegionalIndicator
        fields = ["aspect", "affair", "name", "unit", "polarity", "order", "source"]
        labels = {"name": _("Nama indikator")}

    def __init__(self, *args, plan: Plan, affairs: set[int] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if self.instance.series == RegionalIndicator.Series.EVALUATION:
            self.years = evaluation_years(plan)
        else:
            self.years = indicator_years(plan)
        # OPD staff choose among their agency's urusan only; planners among all.
        choices = Affair.objects.all() if affairs is None else Affair.objects.filter(pk__in=affairs)
        self.fields["affair"].queryset = choices
        if affairs is not None:
            self.fields["affair"].required = True
            self.fields["affair"].empty_label = None
        for year in self.years:
            self.fields[f"actual_{year}"] = DecimalText(label=_("Realisasi %(y)s") % {"y": year})
            self.fields[f"target_{year}"] = DecimalText(label=_("Target %(y)s") % {"y": year})
            if self.instance.pk:
                self.initial[f"actual_{year}"] = self.instance.actual(year)
                self.initial[f"target_{year}"] = self.instance.target(year)

    @property
    def year_rows(self):
        return [(year, self[f"actual_{year}"], self[f"target_{year}"]) for year in self.years]

    def clean(self):
        data = super().clean()
        if data.get("aspect") == Aspect.SERVICES and not data.get("affair"):
            self.add_error("affair", _("Indikator aspek pelayanan umum harus berbidang urusan."))
        name = data.get("name")
        if name:
            # The unique constraint names plan and series, which are not fields of this form,
            # so the form never checks it; and SQL tells rows without an urusan apart. Names
            # match as the Excel import matches them: ignoring case.
            same = RegionalIndicator.objects.filter(
                plan=self.plan,
                series=self.instance.series,
                aspect=data.get("aspect"),
                affair=data.get("affair"),
                name__iexact=name,
            ).exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(
                    "name", _("Indikator dengan nama ini sudah ada pada aspek dan urusan itu.")
                )
        return data

    def _post_clean(self):
        self.instance.plan = self.plan
        # Figures for years outside today's columns (an older start year) are kept.
        for field, prefix in (("actuals", "actual"), ("targets", "target")):
            kept = {
                k: v
                for k, v in (getattr(self.instance, field) or {}).items()
                if int(k) not in self.years
            }
            typed = {
                str(year): str(value)
                for year in self.years
                if (value := self.cleaned_data.get(f"{prefix}_{year}")) is not None
            }
            setattr(self.instance, field, kept | typed)
        super()._post_clean()


class IndicatorReviewForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Keputusan"), choices=[("accept", _("Terima")), ("return", _("Kembalikan"))]
    )
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea({"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("action") == "return" and not data.get("note", "").strip():
            self.add_error("note", _("Tuliskan alasan pengembalian."))
        return data


class FinanceGridForm(forms.Form):
    """Realised APBD as the planner reads it from the LRA: one row per account group, one
    column per year; an empty cell means "no figure", not zero."""

    source = forms.CharField(
        label=FinanceSettings._meta.get_field("source").verbose_name.capitalize(),
        help_text=FinanceSettings._meta.get_field("source").help_text,
        max_length=300,
        required=False,
    )
    projection_rate = DecimalText(
        label=_("Laju proyeksi pendapatan (% per tahun)"),
        help_text=FinanceSettings._meta.get_field("projection_rate").help_text,
        max_digits=6,
        decimal_places=2,
        min_value=-50,
        max_value=100,
    )

    # The years of the grid the planner saw: a post without them (or from a grid of other
    # years, after the plan's start year changed) would empty cells it never showed.
    grid_years = forms.CharField(widget=forms.HiddenInput)
    # What every cell held when the page was opened: only the cells this planner changed are
    # written, and a cell someone else changed meanwhile is a conflict, not overwritten.
    loaded = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.years = finance_years(plan)
        self.initial["grid_years"] = self.grid_key
        settings = FinanceSettings.for_plan(plan)
        self.initial.setdefault("source", settings.source)
        self.initial.setdefault("projection_rate", settings.projection_rate)
        existing = {(e.year, e.account): e.amount for e in FinanceEntry.objects.filter(plan=plan)}
        for account in Account:
            for year in self.years:
                name = self.cell_name(year, account)
                self.fields[name] = RupiahField(label=f"{account.label} {year}")
                self.initial.setdefault(name, existing.get((year, account.value)))
        self.initial["loaded"] = self.encode_loaded(
            {
                (year, account.value): existing.get((year, account.value))
                for account in Account
                for year in self.years
            },
            settings.source,
            settings.projection_rate,
        )

    @classmethod
    def encode_loaded(cls, cells, source, projection_rate) -> str:
        return json.dumps(
            {
                "cells": {
                    f"{year}|{account}": None if amount is None else str(amount)
                    for (year, account), amount in cells.items()
                },
                "source": source or "",
                "projection_rate": None if projection_rate is None else str(projection_rate),
            },
            sort_keys=True,
        )

    def clean_loaded(self):
        try:
            data = json.loads(self.cleaned_data["loaded"])
            cells = {
                (int(key.split("|")[0]), key.split("|")[1]): None if v is None else Decimal(v)
                for key, v in data["cells"].items()
            }
            rate = data["projection_rate"]
            return {
                "cells": cells,
                "source": str(data["source"]),
                "projection_rate": None if rate is None else Decimal(rate),
            }
        except (ValueError, KeyError, TypeError, AttributeError, IndexError, InvalidOperation):
            raise ValidationError(
                _("Isi halaman ini tidak dapat dibaca. Muat ulang halaman lalu isi lagi.")
            ) from None

    @property
    def grid_key(self) -> str:
        return f"{self.years[0]}-{self.years[-1]}"

    def clean_grid_years(self):
        if self.cleaned_data["grid_years"] != self.grid_key:
            raise ValidationError(_("Tahun tabel sudah berubah. Muat ulang halaman lalu isi lagi."))
        return self.cleaned_data["grid_years"]

    @staticmethod
    def cell_name(year: int, account: str) -> str:
        return f"a_{year}_{account.replace('.', '_')}"

    @property
    def grid(self):
        return [
            (account, [self[self.cell_name(year, account)] for year in self.years])
            for account in Account
        ]

    def cells(self) -> dict[tuple[int, str], object]:
        return {
            (year, account.value): self.cleaned_data.get(self.cell_name(year, account))
            for account in Account
            for year in self.years
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        help_text=_("Gunakan templat yang diunduh dari halaman ini; paling besar 10 MB."),
    )
