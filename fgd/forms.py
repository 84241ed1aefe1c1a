from __future__ import annotations

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from fgd.models import (
    Addendum,
    AgendaItem,
    AgreedItem,
    Attendance,
    FollowUp,
    Input,
    Meeting,
    OfficialRecord,
    ResourcePerson,
    Signatory,
)
from issues.models import Problem
from issues.strategic.forms import InputChoiceField
from rpjmd.forms import DateInput
from rpjmd.models import Affair, Agency, Plan, User
from rpjmd.versioning import VersionCheck


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class MeetingForm(VersionCheck, forms.ModelForm):
    online_link = forms.URLField(
        label=_("tautan daring"),
        required=False,
        assume_scheme="https",
        help_text=_("Isi bila FGD diadakan daring atau hibrida"),
    )

    class Meta:
        model = Meeting
        fields = [
            "stage",
            "title",
            "purposes",
            "starts_at",
            "ends_at",
            "venue",
            "online_link",
            "moderator",
            "notulis",
        ]
        widgets = {
            "purposes": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
        }
        help_texts = {
            "starts_at": _("Waktu daerah (mis. WITA)"),
            "ends_at": _("Waktu daerah (mis. WITA)"),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["stage"].queryset = plan.stages.all()
        self.fields["notulis"].queryset = User.objects.filter(
            Q(role=User.Role.PLANNER) | Q(role=User.Role.OPD, agency__is_planning_agency=True),
            region_id=plan.region_id,
            is_active=True,
        )

    def clean_purposes(self):
        purposes = self.cleaned_data["purposes"]
        if not [line for line in purposes.splitlines() if line.strip()]:
            raise forms.ValidationError(_("Tuliskan sedikitnya satu tujuan."))
        return purposes

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("Waktu selesai harus setelah waktu mulai."))
        no_place = not cleaned.get("venue") and not cleaned.get("online_link")
        if no_place and "online_link" not in self.errors:
            self.add_error("venue", _("Isi tempat atau tautan daring."))
        return cleaned


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["order", "starts_at", "ends_at", "title", "presenter"]
        widgets = {"starts_at": TimeInput(), "ends_at": TimeInput()}


class InvitationForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Perangkat daerah"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Seluruh staf perangkat daerah yang dipilih dapat melihat FGD ini"),
    )
    resource_persons = forms.ModelMultipleChoiceField(
        label=_("Narasumber"),
        queryset=ResourcePerson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    users = forms.ModelMultipleChoiceField(
        label=_("Pengguna lain"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Mis. pimpinan atau staf tertentu; tahan Ctrl untuk memilih beberapa"),
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        invited = meeting.invitations.all()
        region_id = meeting.plan.region_id
        self.fields["agencies"].queryset = Agency.objects.filter(region_id=region_id).exclude(
            pk__in=invited.filter(agency__isnull=False).values("agency_id")
        )
        self.fields["resource_persons"].queryset = ResourcePerson.objects.filter(
            region_id=region_id
        ).exclude(pk__in=invited.filter(resource_person__isnull=False).values("resource_person_id"))
        self.fields["users"].queryset = (
            User.objects.filter(region_id=region_id, is_active=True)
            .exclude(role=User.Role.ADMIN)
            .exclude(pk__in=invited.filter(user__isnull=False).values("user_id"))
        )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for name in ["agencies", "resource_persons", "users"]):
            raise forms.ValidationError(_("Pilih sedikitnya satu pihak yang diundang."))
        return cleaned


class GuestForm(forms.ModelForm):
    class Meta:
        model = Attendance
        fields = ["guest_name", "guest_position", "guest_institution", "guest_contact", "agency"]
        labels = {"agency": _("Perangkat daerah (bila dari OPD)")}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["guest_name"].required = True
        self.fields["agency"].queryset = Agency.objects.filter(region_id=meeting.plan.region_id)


class ResourcePersonForm(VersionCheck, forms.ModelForm):
    class Meta:
        model = ResourcePerson
        fields = ["full_name", "position", "institution", "email", "phone", "user"]

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.region = region
        taken = ResourcePerson.objects.exclude(pk=self.instance.pk).filter(user__isnull=False)
        self.fields["user"].queryset = User.objects.filter(
            region=region, role=User.Role.RESOURCE_PERSON
        ).exclude(pk__in=taken.values("user_id"))

    def clean_full_name(self):
        # The unique (region, full_name) constraint is skipped by the model form's own check
        # because region is not one of its fields: without this it surfaced as a server error.
        name = self.cleaned_data["full_name"]
        others = ResourcePerson.objects.filter(region=self.instance.region, full_name=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Narasumber dengan nama ini sudah terdaftar."))
        return name


class AccountForm(forms.Form):
    username = forms.RegexField(
        label=_("Nama pengguna"),
        regex=r"^[\w.@+-]+$",
        max_length=150,
        help_text=_("Huruf, angka dan . @ + - _ saja"),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username


class TabledProblemsField(forms.ModelMultipleChoiceField):
    """The problems an input concerns: only those tabled in its meeting."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, problem: Problem) -> str:
        statement = Truncator(problem.statement).chars(140)
        return f"{problem.number} {problem.agency.short_name}: {statement}"


def tabled_in(meeting: Meeting):
    return (
        Problem.objects.filter(fgd_tablings__meeting=meeting)
        .select_related("agency")
        .order_by("affair__code", "agency__name", "pk")
    )


def problems_field(form: forms.ModelForm, meeting: Meeting) -> None:
    """Offer the meeting's tabled problems, or drop the field when none are tabled yet."""
    choices = tabled_in(meeting)
    if not choices.exists() and not (form.instance.pk and form.instance.problems.exists()):
        del form.fields["problems"]
        return
    form.fields["problems"].queryset = choices


AUTHOR_CHOICES = [
    ("resource_person", _("Narasumber")),
    ("agency", _("Perangkat daerah")),
    ("guest", _("Tamu")),
]


class InputForm(forms.ModelForm):
    """Planners and the notulis record anyone's input; a narasumber only their own (the
    author fields are then removed and the view sets the author)."""

    author_kind = forms.ChoiceField(
        label=_("Disampaikan oleh"), choices=AUTHOR_CHOICES, widget=forms.RadioSelect
    )

    class Meta:
        model = Input
        fields = ["resource_person", "agency", "speaker", "guest", "kind", "text", "problems"]
        field_classes = {"problems": TabledProblemsField}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"problems": _("Permasalahan yang dibahas dalam FGD ini yang disinggung")}

    def __init__(self, *args, meeting: Meeting, own_author: ResourcePerson | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.own_author = own_author
        problems_field(self, meeting)
        if own_author is not None:
            for name in ["author_kind", "resource_person", "agency", "speaker", "guest"]:
                del self.fields[name]
            self.instance.resource_person = own_author
            return
        invited = meeting.invitations.all()
        self.fields["resource_person"].queryset = ResourcePerson.objects.filter(
            pk__in=invited.values("resource_person_id")
        )
        self.fields["agency"].queryset = Agency.objects.filter(region_id=meeting.plan.region_id)
        self.fields["guest"].queryset = meeting.attendances.exclude(guest_name="")
        self.fields["guest"].label_from_instance = lambda a: a.name

    def clean(self):
        cleaned = super().clean()
        if self.own_author is not None:
            return cleaned
        kind = cleaned.get("author_kind")
        required = {"resource_person": "resource_person", "agency": "agency", "guest": "guest"}
        if kind in required and not cleaned.get(required[kind]):
            self.add_error(required[kind], _("Pilih siapa yang menyampaikan masukan ini."))
        # Only the chosen author stays: an input has exactly one author.
        for name in ["resource_person", "agency", "guest"]:
            if name != kind:
                cleaned[name] = None
                setattr(self.instance, name, None)
        if kind != "agency":
            cleaned["speaker"] = ""
        return cleaned


class ResponseForm(VersionCheck, forms.ModelForm):
    class Meta:
        model = Input
        fields = ["response", "response_reason", "landed_in", "problems"]
        field_classes = {"problems": TabledProblemsField}
        widgets = {
            "response": forms.RadioSelect,
            "response_reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"problems": _("Perbaiki kaitan bila masukan menyinggung permasalahan lain")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        problems_field(self, self.instance.meeting)
        self.fields["response"].choices = [
            c for c in Input.Response.choices if c[0] != Input.Response.PENDING
        ]

    def clean(self):
        cleaned = super().clean()
        response = cleaned.get("response")
        if (
            response in (Input.Response.PARTLY, Input.Response.REJECTED)
            and not cleaned.get("response_reason", "").strip()
        ):
            self.add_error("response_reason", _("Tuliskan alasan tanggapan ini."))
        if (
            response in (Input.Response.ACCEPTED, Input.Response.PARTLY)
            and not cleaned.get("landed_in", "").strip()
        ):
            self.add_error("landed_in", _("Tuliskan di mana masukan ini ditindaklanjuti."))
        return cleaned


class AgreedItemForm(forms.ModelForm):
    class Meta:
        model = AgreedItem
        fields = ["order", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["text", "agency", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due_on": DateInput()}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["agency"].queryset = Agency.objects.filter(region_id=meeting.plan.region_id)


class FollowUpDoneForm(forms.Form):
    note = forms.CharField(
        label=_("Catatan penyelesaian"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Apa yang sudah dilakukan, mis. nomor surat atau dokumen yang diperbarui"),
    )


class CloseForm(forms.Form):
    pending_reason = forms.CharField(
        label=_("Alasan menutup dengan masukan yang belum ditanggapi"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kembali"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OfficialRecordForm(VersionCheck, forms.ModelForm):
    class Meta:
        model = OfficialRecord
        fields = ["number", "place", "signed_on", "heard"]
        widgets = {"signed_on": DateInput(), "heard": forms.Textarea(attrs={"rows": 6})}


class AddendumForm(forms.ModelForm):
    class Meta:
        model = Addendum
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}


class SignatoryForm(forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["order", "role_label", "name", "position", "nip"]


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode presensi"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "class": "code-input",
            }
        ),
        help_text=_("Enam huruf/angka yang ditampilkan panitia"),
    )


class TablingFilterForm(forms.Form):
    """Narrow the problems a planner may table: by bidang urusan, agency and status."""

    urusan = forms.ModelChoiceField(
        label=_("Bidang urusan"),
        queryset=Affair.objects.none(),
        required=False,
        empty_label=_("Semua bidang urusan"),
    )
    opd = forms.ModelChoiceField(
        label=_("Perangkat daerah"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Semua perangkat daerah"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Diajukan dan diterima")),
            (Problem.Status.SUBMITTED, _("Diajukan")),
            (Problem.Status.ACCEPTED, _("Diterima")),
        ],
    )

    def __init__(self, data, *, candidates):
        super().__init__(data)
        self.fields["urusan"].queryset = Affair.objects.filter(
            pk__in=candidates.values("affair_id")
        ).order_by("code")
        self.fields["opd"].queryset = Agency.objects.filter(
            pk__in=candidates.values("agency_id")
        ).order_by("name")

    def apply(self, problems):
        if not self.is_valid():
            return problems
        data = self.cleaned_data
        if data["urusan"]:
            problems = problems.filter(affair=data["urusan"])
        if data["opd"]:
            problems = problems.filter(agency=data["opd"])
        if data["status"]:
            problems = problems.filter(status=data["status"])
        return problems

    @property
    def narrowed(self) -> bool:
        """A bidang urusan or an agency is chosen: "table all of them" then means something."""
        return self.is_valid() and bool(self.cleaned_data["urusan"] or self.cleaned_data["opd"])

    def query(self) -> str:
        """The filter as a query string, to come back to the same list after tabling."""
        query = QueryDict(mutable=True)
        if self.is_valid():
            for name in ["urusan", "opd", "status"]:
                value = self.cleaned_data[name]
                if value:
                    query[name] = getattr(value, "pk", value)
        return query.urlencode()


class TablingForm(forms.Form):
    """Which problems to table: the ticked ones, or every one the filter shows."""

    problems = forms.ModelMultipleChoiceField(
        queryset=Problem.objects.none(),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Permasalahan #%(value)s tidak dapat dipilih: hanya permasalahan yang diajukan "
                "atau diterima dari rencana ini dan belum dibahas."
            )
        },
    )
    all = forms.BooleanField(required=False)

    def __init__(self, data, *, choices, narrowed: bool):
        super().__init__(data)
        self.fields["problems"].queryset = choices
        self.narrowed = narrowed

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("all"):
            if not self.narrowed:
                raise forms.ValidationError(
                    _("Pilih bidang urusan atau perangkat daerah sebelum membahas semuanya.")
                )
        elif "problems" in cleaned and not cleaned["problems"]:
            raise forms.ValidationError(_("Pilih sedikitnya satu permasalahan untuk dibahas."))
        return cleaned


def plan_inputs(plan: Plan):
    """The inputs of every FGD of the plan, in the order the meetings were held."""
    return (
        Input.objects.filter(meeting__plan=plan)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )


class InputLinkForm(forms.Form):
    """Which inputs of the plan's FGDs landed in one strategic issue."""

    fgd_inputs = InputChoiceField(
        label=_("Masukan FGD"), queryset=Input.objects.none(), required=False
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fgd_inputs"].queryset = plan_inputs(plan)
