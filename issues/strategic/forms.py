"""Forms of the strategic issues pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from issues.models import (
    Alignment,
    Criterion,
    Potential,
    Problem,
    StrategicIssue,
    StrategicSettings,
)
from rpjmd.models import Agency, Plan, Sdg, User
from rpjmd.versioning import VersionCheck


def problem_label(problem: Problem) -> str:
    return f"{problem.number} {problem.agency.short_name}: {problem.statement[:160]}"


def input_label(item) -> str:
    return f"{item.get_kind_display()} ({item.meeting.title}): {item.text[:160]}"


class ProblemChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return problem_label(obj)


class InputChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return input_label(obj)


class StrategicIssueForm(VersionCheck, forms.ModelForm):
    class Meta:
        model = StrategicIssue
        fields = [
            "title",
            "description",
            "rationale",
            "lead_agency",
            "supporting_agencies",
            "potentials",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "supporting_agencies": forms.CheckboxSelectMultiple,
            "potentials": forms.CheckboxSelectMultiple,
        }
        help_texts = {"potentials": _("Kekuatan dan peluang daerah yang mendukung isu ini")}

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(region_id=plan.region_id).order_by("name")
        self.fields["lead_agency"].queryset = agencies
        self.fields["supporting_agencies"].queryset = agencies
        self.fields["potentials"].queryset = Potential.objects.filter(plan=plan).select_related(
            "affair"
        )


class UnmappedForm(forms.Form):
    """The unmapped panel: move the ticked problems into an issue (existing or new), or mark
    them not strategic with a reason."""

    ACTIONS = [("move", _("Pindahkan")), ("exclude", _("Bukan isu strategis"))]

    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    problems = ProblemChoiceField(label=_("Permasalahan"), queryset=Problem.objects.none())
    issue = forms.ModelChoiceField(
        label=_("Ke isu strategis"),
        queryset=StrategicIssue.objects.none(),
        required=False,
        empty_label=_("— isu strategis baru —"),
    )
    new_title = forms.CharField(label=_("Judul isu baru"), max_length=300, required=False)
    reason = forms.CharField(label=_("Alasan bukan isu strategis"), max_length=500, required=False)

    def __init__(self, *args, plan: Plan, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = problems
        self.fields["issue"].queryset = StrategicIssue.objects.filter(plan=plan)

    def clean(self):
        data = super().clean()
        if data.get("action") == "exclude" and not data.get("reason"):
            self.add_error("reason", _("Tuliskan alasan permasalahan ini bukan isu strategis."))
        if data.get("action") == "move" and not data.get("issue") and not data.get("new_title"):
            self.add_error("new_title", _("Pilih isu strategis atau tuliskan judul isu baru."))
        return data


class ProblemPickForm(forms.Form):
    problems = ProblemChoiceField(
        label=_("Permasalahan diterima"), queryset=Problem.objects.none(), required=False
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = choices


class AlignmentForm(forms.ModelForm):
    class Meta:
        model = Alignment
        fields = [
            "source",
            "national_priority",
            "long_term_goal",
            "regional_mission",
            "sdg",
            "note",
        ]

    # Which reference each source needs, and the message when it is missing.
    REFERENCES = {
        Alignment.Source.RPJMN: ("national_priority", _("Pilih prioritas nasional RPJMN.")),
        Alignment.Source.RPJPN: ("long_term_goal", _("Pilih arah pembangunan RPJPN.")),
        Alignment.Source.RPJPD: ("regional_mission", _("Pilih misi RPJPD.")),
        Alignment.Source.SDG: ("sdg", _("Pilih tujuan TPB/SDGs.")),
    }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national_priority"].queryset = plan.national_priorities()
        self.fields["national_priority"].label = plan.get_rpjmn_period_display()
        self.fields["sdg"].queryset = Sdg.objects.all()
        # The long-term plans follow the plan's cycle (Plan.long_term_period): a plan under
        # RPJMN 2020–2024 is offered neither the RPJPN 2025–2045 nor an RPJPD.
        hidden = set()
        if plan.long_term_period is None:
            hidden.add(Alignment.Source.RPJPN)
            del self.fields["long_term_goal"]
        else:
            self.fields["long_term_goal"].queryset = plan.national_long_term_goals()
        missions = plan.regional_long_term_missions()
        if plan.regional_long_term_plan() is None:
            hidden.add(Alignment.Source.RPJPD)
            del self.fields["regional_mission"]
        else:
            self.fields["regional_mission"].queryset = missions
        self.fields["source"].choices = [
            (value, label) for value, label in self.fields["source"].choices if value not in hidden
        ]

    def clean(self):
        data = super().clean()
        source = data.get("source")
        for kind, (field, message) in self.REFERENCES.items():
            if field not in self.fields:
                data[field] = None
                continue
            if source == kind and not data.get(field):
                self.add_error(field, message)
            if source != kind:
                data[field] = None
        return data


class MergeForm(forms.Form):
    other = forms.ModelChoiceField(
        label=_("Gabungkan isu ini ke dalam halaman ini"), queryset=StrategicIssue.objects.none()
    )

    def __init__(self, *args, issue: StrategicIssue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = StrategicIssue.objects.filter(plan=issue.plan).exclude(
            pk=issue.pk
        )


class SplitForm(forms.Form):
    title = forms.CharField(label=_("Judul isu strategis baru"), max_length=300)
    problems = ProblemChoiceField(
        label=_("Permasalahan yang pindah ke isu baru"), queryset=Problem.objects.none()
    )
    fgd_inputs = InputChoiceField(
        label=_("Masukan FGD untuk isu baru"), queryset=Problem.objects.none(), required=False
    )

    def __init__(self, *args, issue: StrategicIssue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = issue.problems.select_related("agency")
        self.fields["fgd_inputs"].queryset = issue.fgd_inputs.select_related("meeting")


class ScaleForm(VersionCheck, forms.ModelForm):
    class Meta:
        model = StrategicSettings
        fields = ["scale_min", "scale_max"]

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None and high <= low:
            raise ValidationError(_("Nilai tertinggi harus lebih besar dari terendah."))
        return data


class BaseCriteriaFormSet(BaseModelFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.fields["order"].required = False  # a blank row stays blank; order defaults to 1
        # Offered defaults count even untouched: an unchanged extra form is otherwise skipped.
        extra_index = i - self.initial_form_count()
        if 0 <= extra_index < len(self.initial_extra or []):
            form.empty_permitted = False
        return form

    def save_criteria(self, plan) -> None:
        """Changed and deleted rows, then every new row with a name (offered or typed).

        Not `save_existing_objects(commit=False)`: outside `save()` it lacks the bookkeeping
        `save()` sets up first, and every edit of a saved criterion failed with a server error.
        """
        deleted = set(self.deleted_forms)
        for form in self.initial_forms:
            if form.instance.pk is None:
                continue
            if form in deleted:
                form.instance.delete()
            elif form.has_changed():
                criterion = form.save(commit=False)
                criterion.order = criterion.order or 1
                criterion.save()
        for form in self.extra_forms:
            data = form.cleaned_data
            if data.get("name") and not data.get("DELETE"):
                Criterion.objects.create(
                    plan=plan,
                    order=data.get("order") or 1,
                    name=data["name"],
                    weight=data["weight"],
                )

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")
        ]
        if not kept:
            raise ValidationError(_("Sedikitnya satu kriteria diperlukan."))
        total = sum(c.get("weight") or 0 for c in kept)
        if total != 100:
            raise ValidationError(
                _("Jumlah bobot harus 100; sekarang %(total)s.") % {"total": total}
            )


CriteriaFormSet = modelformset_factory(
    Criterion,
    fields=["order", "name", "weight"],
    formset=BaseCriteriaFormSet,
    extra=1,
    can_delete=True,
    widgets={
        "order": forms.NumberInput(attrs={"min": 1, "class": "input-narrow"}),
        "weight": forms.NumberInput(attrs={"min": 1, "max": 100, "class": "input-narrow"}),
    },
)


class RatersForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("Penilai"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = User.objects.filter(
            region_id=plan.region_id,
            is_active=True,
            role__in=[User.Role.PLANNER, User.Role.RESOURCE_PERSON],
        ).order_by("role", "full_name")
        self.fields["users"].label_from_instance = lambda u: (
            f"{u.full_name} ({u.get_role_display()})"
        )


class AdoptForm(forms.Form):
    RULES = [("top", _("N isu teratas")), ("threshold", _("Skor sedikitnya"))]

    rule = forms.ChoiceField(
        label=_("Aturan"), choices=RULES, widget=forms.RadioSelect, initial="top"
    )
    top = forms.IntegerField(label=_("Jumlah isu (N)"), min_value=1, required=False)
    threshold = forms.DecimalField(
        label=_("Ambang skor"), min_value=0, max_digits=6, decimal_places=2, required=False
    )
    note = forms.CharField(
        label=_("Catatan keputusan"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("rule") == "top" and not data.get("top"):
            self.add_error("top", _("Isi jumlah isu yang ditetapkan."))
        if data.get("rule") == "threshold" and data.get("threshold") is None:
            self.add_error("threshold", _("Isi ambang skor."))
        return data
