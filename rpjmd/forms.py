from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.forms.renderers import Jinja2, TemplatesSetting
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from rpjmd.models import Plan, RegionalLongTermPlan, Stage
from rpjmd.versioning import VersionCheck

# Django's widget templates (inputs, selects, checkbox and radio lists, textareas...).
WIDGET_TEMPLATES = "django/forms/widgets/"


class ProjectFormRenderer(TemplatesSetting):
    """Every form renders its fields through one template: label, help, errors, all announced.

    Widgets are rendered by Django's own Jinja2 copies of its widget templates, which write the
    same markup as the stock ones (tests/rpjmd/test_form_rendering.py compares them): a form such
    as the problem form has some hundred inputs and options, and the Django template engine's
    nested includes (three per input, two or three per option) made it the slowest page OPD
    staff open. Jinja2 compiles those includes to Python, about as fast as hand-written strings.
    """

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"

    @cached_property
    def widget_renderer(self) -> Jinja2:
        # django/forms/jinja2/ (and an app's jinja2/ folder, of which the project has none).
        return Jinja2()

    def get_template(self, template_name):
        if template_name.startswith(WIDGET_TEMPLATES):
            return self.widget_renderer.get_template(template_name)
        return super().get_template(template_name)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Setelah lima kali salah, akun ini dikunci "
            "sementara dari alamat Anda."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator Bappeda."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")
        # AuthenticationForm sets max_length without its validator: a longer name would reach
        # authenticate() and axes' failure record (varchar 255) and fail there on PostgreSQL.
        limit = self.fields["username"].max_length
        self.fields["username"].validators.append(
            MaxLengthValidator(limit, _("Nama pengguna paling banyak %(limit_value)d karakter."))
        )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Kata sandi saat ini")
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")
        self.fields["new_password1"].help_text = _(
            "Minimal 10 karakter; kalimat panjang yang mudah Anda ingat paling baik. Tidak perlu "
            "angka atau simbol, tetapi jangan memakai nama daerah, instansi atau aplikasi."
        )


class TwoFactorCodeForm(forms.Form):
    """The second step: a code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=32,
        help_text=_(
            "Enam angka dari aplikasi autentikator Anda, atau salah satu kode cadangan "
            "(misalnya abcde-fghjk)."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.device = None

    def clean_code(self):
        code = self.cleaned_data["code"]
        if "\x00" in code:
            raise forms.ValidationError(_("Kode tidak boleh memuat karakter NUL."))
        device, must_wait = self.check(code)
        if must_wait:
            raise forms.ValidationError(
                _("Terlalu banyak kode salah. Tunggu sebentar, lalu coba lagi."), code="throttled"
            )
        if device is None:
            raise forms.ValidationError(
                _(
                    "Kode tidak cocok atau sudah dipakai. Periksa jam di ponsel Anda, "
                    "lalu coba lagi."
                ),
                code="invalid",
            )
        self.device = device
        return code


class TwoFactorSetupForm(forms.Form):
    code = forms.CharField(
        label=_("Kode dari aplikasi"),
        max_length=16,
        help_text=_("Enam angka yang ditampilkan aplikasi setelah akun ditambahkan."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, matches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = matches

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not self.matches(code):
            raise forms.ValidationError(
                _(
                    "Kode tidak cocok. Pastikan akun sudah ditambahkan ke aplikasi dan jam ponsel "
                    "tepat, lalu masukkan kode yang sedang tampil."
                )
            )
        return code


class PlanForm(VersionCheck, forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "title",
            "kind",
            "start_year",
            "end_year",
            "rpjmn_period",
            "previous_start_year",
            "previous_end_year",
        ]


class RegionalLongTermPlanForm(VersionCheck, forms.ModelForm):
    """The RPJPD as the planner types it from the Perda: visi, one misi per line, and the arah
    kebijakan of each five-year stage."""

    missions = forms.CharField(
        label=_("Misi"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Satu misi per baris, berurutan."),
    )

    class Meta:
        model = RegionalLongTermPlan
        # The years are the national cycle's (2025–2045, Inmendagri 1/2024), not typed.
        fields = ["legal_basis", "vision"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rpjpd = self.instance
        if rpjpd.pk:
            self.initial.setdefault(
                "missions", "\n".join(m.text for m in rpjpd.missions.order_by("number"))
            )
        for first, last in rpjpd.stages():
            key = rpjpd.stage_key(first, last)
            self.fields[f"direction_{key}"] = forms.CharField(
                label=_("Arah kebijakan tahap %(first)s–%(last)s") % {"first": first, "last": last},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.initial.setdefault(f"direction_{key}", rpjpd.directions.get(key, ""))

    @property
    def direction_fields(self):
        return [self[name] for name in self.fields if name.startswith("direction_")]

    def clean_missions(self):
        lines = [line.strip() for line in self.cleaned_data["missions"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Tuliskan sedikitnya satu misi."))
        if any(len(line) > 500 for line in lines):
            raise forms.ValidationError(_("Satu misi paling panjang 500 karakter."))
        if len(lines) > 20:
            raise forms.ValidationError(_("Paling banyak 20 misi."))
        if self.instance.pk:
            # A misi a strategic issue is aligned with cannot disappear from under it.
            used = self.instance.missions.filter(number__gt=len(lines), alignment__isnull=False)
            if used.exists():
                raise forms.ValidationError(
                    _("Misi %(n)s dipakai keselarasan isu strategis; ubah keselarasannya dulu.")
                    % {"n": used.order_by("number").first().number}
                )
        return lines

    def directions(self) -> dict[str, str]:
        kept = dict(self.instance.directions or {})
        for name, value in self.cleaned_data.items():
            if name.startswith("direction_"):
                key = name.removeprefix("direction_")
                if value.strip():
                    kept[key] = value.strip()
                else:
                    kept.pop(key, None)
        return kept


class StageForm(VersionCheck, forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["name", "kind", "order", "opens_on", "closes_on", "state", "description"]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
