from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from rpjmd.models import Plan, Stage


class ProjectFormRenderer(TemplatesSetting):
    """Every form renders its fields through one template: label, help, errors, all announced."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


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


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "kind", "start_year", "end_year", "rpjmn_period"]


class StageForm(forms.ModelForm):
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
