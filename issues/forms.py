from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from issues.models import (
    CoreProblem,
    Factor,
    Indicator,
    Potential,
    Problem,
    RootCause,
    baseline_years,
)
from issues.templatetags.problems import figure
from issues.uploads import check_upload
from rpjmd.forms import DateInput
from rpjmd.models import Affair, Agency, District, NationalPriority, Plan, Sdg, Stage, User
from rpjmd.versioning import VersionCheck

MAX_FILES_PER_SAVE = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once; each is checked by content in the form's clean_attachments."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def checked_evidence(files: list) -> list:
    """Evidence files of one save, each checked by content (issues.uploads): (checked, upload)
    pairs for issues.editing.add_attachments, or every refusal at once."""
    if len(files) > MAX_FILES_PER_SAVE:
        raise ValidationError(
            _("Unggah paling banyak %(n)s berkas sekaligus.") % {"n": MAX_FILES_PER_SAVE}
        )
    checked, errors = [], []
    for upload in files:
        try:
            checked.append((check_upload(upload), upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


class DecimalText(forms.DecimalField):
    """A number typed the Indonesian way (7,63) or the English way (7.63)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        kwargs.setdefault("max_digits", 18)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "input-number"})


class ProblemForm(VersionCheck, forms.ModelForm):
    core_problem = forms.ModelChoiceField(
        label=_("Masalah pokok"),
        queryset=CoreProblem.objects.none(),
        required=False,
        empty_label=_("— tulis masalah pokok baru di bawah —"),
        help_text=_(
            "Pilih masalah pokok yang sudah pernah dipakai instansi Anda, atau tulis baru."
        ),
    )
    new_core_problem = forms.CharField(
        label=_("Masalah pokok baru"),
        max_length=500,
        required=False,
        widget=forms.TextInput(),
    )
    attachments = MultipleFileField(
        label=_("Lampiran bukti"),
        required=False,
        help_text=_("PDF, XLSX, DOCX, JPG atau PNG; paling besar 10 MB per berkas."),
    )

    class Meta:
        model = Problem
        fields = [
            "affair",
            "statement",
            "whole_region",
            "districts",
            "national_priorities",
            "long_term_goals",
            "regional_missions",
            "sdgs",
            "missed_targets",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 4}),
            "districts": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
            "national_priorities": forms.CheckboxSelectMultiple(),
            "long_term_goals": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
            "regional_missions": forms.CheckboxSelectMultiple(),
            "sdgs": forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
            "missed_targets": forms.CheckboxSelectMultiple(),
        }

    field_order = [
        "affair",
        "core_problem",
        "new_core_problem",
        "statement",
        "whole_region",
        "districts",
        "national_priorities",
        "long_term_goals",
        "regional_missions",
        "sdgs",
        "missed_targets",
        "attachments",
    ]

    def __init__(self, *args, plan: Plan, agency: Agency, all_affairs: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.agency = plan, agency
        affairs = Affair.objects.all()
        if not all_affairs:
            own = Q(agencies=agency)
            if self.instance.affair_id:
                own |= Q(pk=self.instance.affair_id)
            narrowed = affairs.filter(own).distinct()
            affairs = narrowed if narrowed.exists() else affairs
        self.fields["affair"].queryset = affairs
        self.fields["affair"].empty_label = None
        self.fields["core_problem"].queryset = CoreProblem.objects.filter(plan=plan, agency=agency)
        self.fields["districts"].queryset = District.objects.filter(region_id=plan.region_id)
        self.fields["districts"].help_text = _("Boleh lebih dari satu.")
        self.fields["national_priorities"].queryset = plan.national_priorities()
        self.fields["national_priorities"].help_text = _("Opsional: %(period)s.") % {
            "period": plan.get_rpjmn_period_display()
        }
        self.fields["sdgs"].queryset = Sdg.objects.all()
        self.fields["sdgs"].help_text = _("Opsional.")
        self._long_term_pickers(plan)
        self._missed_targets(plan)
        if self.instance.pk:
            self.initial.setdefault("core_problem", self.instance.core_problem_id)

    def _long_term_pickers(self, plan: Plan) -> None:
        """RPJPN and RPJPD follow the plan's cycle: a plan under RPJMN 2020–2024 has neither."""
        goals = plan.national_long_term_goals()
        if plan.long_term_period is None:
            del self.fields["long_term_goals"]
        else:
            self.fields["long_term_goals"].queryset = goals
            self.fields["long_term_goals"].help_text = _("Opsional: RPJPN %(period)s.") % {
                "period": plan.long_term_label
            }
        rpjpd = plan.regional_long_term_plan()
        if rpjpd is None:
            del self.fields["regional_missions"]
        else:
            self.fields["regional_missions"].queryset = rpjpd.missions.all()
            self.fields["regional_missions"].help_text = _("Opsional: %(rpjpd)s.") % {
                "rpjpd": rpjpd
            }

    def _missed_targets(self, plan: Plan) -> None:
        """The accepted indicators of the RPJMD that is ending whose last capaian fell short,
        plus any already cited (a later correction must not silently drop the citation)."""
        # Reached through the relation: the regional app sits above this one.
        model = Problem._meta.get_field("missed_targets").related_model
        first, last = plan.previous_period
        years = list(range(first, last + 1))
        rows = (
            model.objects.accepted()
            .evaluations()
            .filter(plan=plan)
            .select_related("affair")
            .order_by("affair__code", "order", "pk")
        )
        chosen = (
            set(self.instance.missed_targets.values_list("pk", flat=True))
            if (self.instance.pk)
            else set()
        )
        keep = [row.pk for row in rows if row.missed(years) or row.pk in chosen]
        if not keep:
            del self.fields["missed_targets"]
            return
        field = self.fields["missed_targets"]
        field.queryset = rows.filter(pk__in=keep)
        field.label_from_instance = lambda row: (
            _("%(name)s — capaian %(value)s%% (%(year)s)")
            % {
                "name": row.name,
                "value": figure(row.latest_achievement(years)[1]),
                "year": row.latest_achievement(years)[0],
            }
        )
        field.help_text = _(
            "Opsional: indikator RPJMD %(first)s–%(last)s yang targetnya tidak tercapai dan "
            "menjadi dasar permasalahan ini."
        ) % {"first": first, "last": last}

    def clean_attachments(self):
        return checked_evidence(self.cleaned_data.get("attachments") or [])

    def clean(self):
        data = super().clean()
        chosen, typed = data.get("core_problem"), (data.get("new_core_problem") or "").strip()
        if chosen and typed:
            self.add_error(
                "new_core_problem",
                _("Pilih masalah pokok yang ada atau tulis yang baru, jangan keduanya."),
            )
        elif not chosen and not typed:
            self.add_error("core_problem", _("Pilih atau tulis masalah pokok."))
        if not data.get("whole_region") and not data.get("districts"):
            self.add_error(
                "districts", _("Pilih kecamatan yang terdampak, atau centang seluruh kabupaten.")
            )
        if data.get("whole_region"):
            data["districts"] = District.objects.none()
        return data

    def core_problem_choice(self) -> tuple[CoreProblem | None, str]:
        return self.cleaned_data.get("core_problem"), self.cleaned_data.get(
            "new_core_problem", ""
        ).strip()


class RootCauseForm(forms.ModelForm):
    class Meta:
        model = RootCause
        fields = ["order", "text"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "order": forms.NumberInput(attrs={"min": 1, "max": 99, "class": "input-order"}),
        }
        labels = {"order": _("Urutan"), "text": _("Akar masalah")}

    def is_blank(self) -> bool:
        return not (self.data.get(self.add_prefix("text")) or "").strip()

    def has_changed(self):
        # A row with only its order number filled in is an empty row.
        return not self.is_blank() and super().has_changed()


class OrderedRootCauses(BaseInlineFormSet):
    def _should_delete_form(self, form):
        # Emptying a saved root cause's text removes it, like ticking "Hapus".
        return super()._should_delete_form(form) or bool(form.instance.pk and form.is_blank())

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            f
            for f in self.forms
            if f.cleaned_data and f.cleaned_data.get("text") and not self._should_delete_form(f)
        ]
        if not kept:
            raise ValidationError(_("Isi minimal satu akar masalah."))

    def save_in_order(self) -> None:
        """Save, then number the root causes 1..n in the order the agency gave them."""
        self.save()
        causes = sorted(self.instance.root_causes.all(), key=lambda c: (c.order, c.pk))
        for position, cause in enumerate(causes, start=1):
            if cause.order != position:
                cause.order = position
                cause.save(update_fields=["order"])


RootCauseFormSet = inlineformset_factory(
    Problem,
    RootCause,
    form=RootCauseForm,
    formset=OrderedRootCauses,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class IndicatorForm(forms.ModelForm):
    comparison_value = DecimalText(label=_("Nilai pembanding"))

    class Meta:
        model = Indicator
        fields = [
            "regional_series",
            "name",
            "unit",
            "comparison_value",
            "comparison_kind",
            "source",
        ]
        labels = {"name": _("Nama indikator")}

    def __init__(self, *args, years: list[int], series=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = years
        if series is None:
            del self.fields["regional_series"]
        else:
            if self.instance.regional_series_id:
                # A series returned for review since it was chosen stays choosable here.
                series = series.model.objects.filter(
                    Q(pk__in=series.values("pk")) | Q(pk=self.instance.regional_series_id)
                ).select_related("affair")
            self.fields["regional_series"].queryset = series
            # Pointing at a regional series replaces typing its name, unit and source.
            for name in ("name", "unit", "source"):
                self.fields[name].required = False
        for year in years:
            self.fields[f"value_{year}"] = DecimalText(label=str(year))
            if self.instance.pk:
                self.initial[f"value_{year}"] = self.instance.value_for(year)
        order = ["name", "unit", *(f"value_{y}" for y in years)]
        order += ["comparison_value", "comparison_kind", "source"]
        self.order_fields(order)

    @property
    def year_fields(self):
        return [self[f"value_{year}"] for year in self.years]

    def clean(self):
        data = super().clean()
        if data.get("comparison_value") is not None and not data.get("comparison_kind"):
            self.add_error("comparison_kind", _("Sebutkan jenis nilai pembanding."))
        series = data.get("regional_series")
        for name in ("name", "unit", "source"):
            if not data.get(name):
                if series is not None:
                    data[name] = getattr(series, name)
                    setattr(self.instance, name, data[name])
                elif name in self.fields:
                    self.add_error(name, self.fields[name].error_messages["required"])
        return data

    def save(self, commit=True):
        values = {
            str(year): str(value)
            for year in self.years
            if (value := self.cleaned_data.get(f"value_{year}")) is not None
        }
        # Keep figures for years outside today's columns (e.g. from an import).
        kept = {k: v for k, v in (self.instance.values or {}).items() if int(k) not in self.years}
        self.instance.values = kept | values
        return super().save(commit)


class IndicatorFormSetBase(BaseInlineFormSet):
    def __init__(self, *args, years: list[int], series=None, **kwargs):
        self.years = years
        self.series = series
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return super().get_form_kwargs(index) | {"years": self.years, "series": self.series}


IndicatorFormSet = inlineformset_factory(
    Problem,
    Indicator,
    form=IndicatorForm,
    formset=IndicatorFormSetBase,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


def indicator_formset(data=None, *, instance: Problem, plan: Plan) -> IndicatorFormSetBase:
    # The plan's accepted regional series an indicator may point at instead of retyping them.
    # Reached through the foreign key: the regional app sits above this one (docs/architecture.md).
    regional_indicator = Indicator._meta.get_field("regional_series").related_model
    series = (
        regional_indicator.objects.accepted()
        .conditions()
        .filter(plan=plan)
        .select_related("affair")
    )
    return IndicatorFormSet(
        data,
        instance=instance,
        prefix="indicators",
        years=baseline_years(plan),
        series=series if series.exists() else None,
    )


def root_cause_formset(data=None, *, instance: Problem) -> OrderedRootCauses:
    formset = RootCauseFormSet(data, instance=instance, prefix="causes")
    if not instance.pk and data is None:
        # A new problem starts with two empty rows: most problems have several causes.
        formset.extra = 2
        for position, form in enumerate(formset.forms, start=1):
            form.initial.setdefault("order", position)
    return formset


class ReviewForm(forms.Form):
    ACTION_CHOICES = [
        ("accept", _("Terima")),
        ("return", _("Kembalikan dengan catatan")),
        ("duplicate", _("Tandai duplikat dari …")),
    ]
    action = forms.ChoiceField(label=_("Keputusan"), choices=ACTION_CHOICES)
    note = forms.CharField(
        label=_("Catatan untuk perangkat daerah"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila dikembalikan: apa yang perlu diperbaiki."),
    )
    original = forms.IntegerField(
        label=_("Nomor permasalahan asli"),
        required=False,
        min_value=1,
        help_text=_("Untuk duplikat: nomor tanpa tanda #, lihat kolom No. di daftar."),
    )

    def __init__(self, *args, plan: Plan, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.user = plan, user

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "return" and not (data.get("note") or "").strip():
            self.add_error(
                "note", _("Tulis catatan untuk perangkat daerah: apa yang perlu diperbaiki.")
            )
        if action == "duplicate":
            number = data.get("original")
            if not number:
                self.add_error("original", _("Sebutkan nomor permasalahan aslinya."))
            else:
                original = (
                    Problem.objects.visible_to(self.user).filter(plan=self.plan, pk=number).first()
                )
                if original is None:
                    self.add_error(
                        "original", _("Permasalahan #%(n)s tidak ditemukan.") % {"n": number}
                    )
                data["original_problem"] = original
        return data


class ProblemFilterForm(forms.Form):
    """The planner's filters; every value lives in the URL so a view can be shared."""

    # Allow-list of sort keys (a "-" prefix reverses); drafts (no submission date) sort last.
    SORTS = {
        "diajukan": (F("submitted_at").asc(nulls_last=True), "pk"),
        "nomor": ("pk",),
        "opd": ("agency__short_name", "pk"),
        "urusan": ("affair__code", "pk"),
        "status": ("status", "pk"),
        "diubah": ("updated_at", "pk"),
    }
    DEFAULT_SORT = "-diajukan"

    @classmethod
    def ordering(cls, key: str) -> list:
        descending = key.startswith("-")
        base = cls.SORTS.get(key.lstrip("-"))
        if base is None:
            return cls.ordering(cls.DEFAULT_SORT)
        if not descending:
            return list(base)
        return [
            F(term.expression.name).desc(nulls_last=True)
            if hasattr(term, "expression")
            else f"-{term}"
            for term in base
        ]

    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("masalah, akar masalah, indikator, sumber…")}
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("Perangkat daerah"),
        queryset=Agency.objects.none(),
        required=False,
    )
    affair = forms.ModelChoiceField(
        label=_("Bidang urusan"), queryset=Affair.objects.none(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=District.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    stage = forms.ModelChoiceField(
        label=_("Tahapan"), queryset=Stage.objects.none(), required=False
    )
    priority = forms.ModelChoiceField(
        label=_("Prioritas nasional"),
        queryset=NationalPriority.objects.none(),
        required=False,
    )
    sort = forms.ChoiceField(label=_("Urutkan"), required=False)

    def __init__(self, *args, plan: Plan, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(region_id=plan.region_id)
        self.fields["affair"].queryset = Affair.objects.all()
        self.fields["district"].queryset = District.objects.filter(region_id=plan.region_id)
        self.fields["stage"].queryset = plan.stages.all()
        self.fields["priority"].queryset = plan.national_priorities()
        statuses = Problem.Status.choices
        if not user.is_opd:
            statuses = [c for c in statuses if c[0] != Problem.Status.DRAFT]
        self.fields["status"].choices = [("", _("Semua"))] + statuses
        labels = {
            "diajukan": _("Tanggal diajukan"),
            "nomor": _("Nomor"),
            "opd": _("Perangkat daerah"),
            "urusan": _("Bidang urusan"),
            "status": _("Status"),
            "diubah": _("Terakhir diubah"),
        }
        self.fields["sort"].choices = [
            choice
            for key, label in labels.items()
            for choice in (
                (f"-{key}", _("%(label)s (menurun)") % {"label": label}),
                (key, _("%(label)s (menaik)") % {"label": label}),
            )
        ]
        for name in ("agency", "affair", "district", "stage", "priority"):
            self.fields[name].empty_label = _("Semua")

    def apply(self, problems):
        data = self.cleaned_data
        if data.get("q"):
            problems = problems.search(data["q"])
        if data.get("agency"):
            problems = problems.filter(agency=data["agency"])
        if data.get("affair"):
            problems = problems.filter(affair=data["affair"])
        if data.get("district"):
            # A whole-kabupaten problem concerns every kecamatan.
            problems = problems.filter(Q(districts=data["district"]) | Q(whole_region=True))
        if data.get("status"):
            problems = problems.filter(status=data["status"])
        if data.get("stage"):
            problems = problems.filter(stage=data["stage"])
        if data.get("priority"):
            problems = problems.filter(national_priorities=data["priority"])
        if data.get("district") or data.get("priority"):
            problems = problems.distinct()
        return problems.order_by(*self.ordering(data.get("sort") or self.DEFAULT_SORT))

    @property
    def sort_key(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else "") or self.DEFAULT_SORT


class BulkReviewForm(ReviewForm):
    problems = forms.ModelMultipleChoiceField(
        label=_("Permasalahan terpilih"),
        queryset=Problem.objects.none(),
        error_messages={"required": _("Pilih minimal satu permasalahan.")},
    )

    def __init__(self, *args, plan: Plan, user: User, **kwargs):
        super().__init__(*args, plan=plan, user=user, **kwargs)
        self.fields["problems"].queryset = Problem.objects.visible_to(user).filter(plan=plan)


class ExtensionForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Perangkat daerah"), queryset=Agency.objects.none())
    until = forms.DateField(label=_("Diperpanjang sampai"), widget=DateInput())
    reason = forms.CharField(label=_("Alasan"), max_length=500)

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(region_id=plan.region_id)


class ProblemSettingsForm(forms.Form):
    open_to_all_participants = forms.BooleanField(
        label=_("Permasalahan yang diajukan terbuka untuk semua peserta"),
        required=False,
        help_text=_(
            "Staf OPD dapat membaca permasalahan perangkat daerah lain yang telah diajukan."
        ),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        help_text=_("Gunakan templat yang diunduh dari halaman ini; paling besar 10 MB."),
    )


def decimal_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


# --- Potensi and factors (issue 17) -------------------------------------------------------------


class PotentialForm(VersionCheck, forms.ModelForm):
    """A potensi with its evidence. Planners say which agency holds it (or none); OPD staff
    record their own agency's and narasumber their own, so the field is left out for them."""

    attachments = MultipleFileField(
        label=_("Lampiran bukti"),
        required=False,
        help_text=_("PDF, XLSX, DOCX, JPG atau PNG; paling besar 10 MB per berkas."),
    )

    class Meta:
        model = Potential
        fields = ["kind", "affair", "agency", "title", "description", "source"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, plan: Plan, choose_agency: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["affair"].queryset = Affair.objects.all()
        self.fields["affair"].empty_label = None
        if choose_agency:
            self.fields["agency"].queryset = Agency.objects.filter(region_id=plan.region_id)
            self.fields["agency"].empty_label = _("— tidak ada (potensi dari narasumber) —")
        else:
            del self.fields["agency"]

    def clean_attachments(self):
        return checked_evidence(self.cleaned_data.get("attachments") or [])


MAX_FACTORS = 20
MAX_FACTOR_LENGTH = 1000


class FactorsForm(forms.Form):
    """Both ordered lists of a problem's factors, one factor per line: the first line is the
    strongest. `seen` is what was stored when the form was opened (see editing.save_factors)."""

    driving = forms.CharField(
        label=_("Faktor pendorong"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Satu faktor per baris, yang terpenting di atas. Mis. dana BOS daerah."),
    )
    hindering = forms.CharField(
        label=_("Faktor penghambat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Satu faktor per baris, yang terpenting di atas. Mis. medan sulit dijangkau."),
    )
    seen = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Formulir ini tidak menyebut versi yang Anda buka; muat ulang halaman.")
        },
    )

    @staticmethod
    def _lines(text: str) -> list[str]:
        lines = [line.strip() for line in text.replace("\x00", "").splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_FACTORS:
            raise ValidationError(
                _("Paling banyak %(n)s faktor; gabungkan yang serupa.") % {"n": MAX_FACTORS}
            )
        for line in lines:
            if len(line) > MAX_FACTOR_LENGTH:
                raise ValidationError(
                    _("Satu faktor paling panjang %(n)s karakter: “%(start)s…”.")
                    % {"n": MAX_FACTOR_LENGTH, "start": line[:40]}
                )
        return lines

    def clean_driving(self):
        return self._lines(self.cleaned_data.get("driving") or "")

    def clean_hindering(self):
        return self._lines(self.cleaned_data.get("hindering") or "")

    @staticmethod
    def initial_for(problem: Problem) -> dict:
        from_db = {kind: [] for kind in Factor.Kind.values}
        for factor in problem.factors.all():
            from_db[factor.kind].append(factor.text)
        return {
            "driving": "\n".join(from_db[Factor.Kind.DRIVING]),
            "hindering": "\n".join(from_db[Factor.Kind.HINDERING]),
        }
