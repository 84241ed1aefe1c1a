from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from rpjmd.models import Plan, Stage
from rpjmd.versioning import VersionCheck

# Django's templates of the single <input> widgets: each is an include of input.html, which
# includes attrs.html. They are written in Python (render_input) with the same markup.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input", "text", "number", "hidden", "email", "url", "password", "search", "tel",
        "date", "time", "datetime", "checkbox", "color",
    )
)  # fmt: skip


SELECT_TEMPLATES = frozenset({"django/forms/widgets/select.html"})
# Checkbox and radio lists: multiple_input.html, an include of input_option.html per option.
CHOICE_LIST_TEMPLATES = frozenset(
    {"django/forms/widgets/checkbox_select.html", "django/forms/widgets/radio.html"}
)


def render_attrs(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html writes: attributes in their order, True as a bare
    attribute, False left out; every value escaped."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


def render_input(widget: dict) -> str:
    """What django/forms/widgets/input.html writes for this widget context."""
    value = widget["value"]
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        format_html(' value="{}"', value) if value is not None else "",
        render_attrs(widget["attrs"]),
    )


def render_select(widget: dict) -> str:
    """What django/forms/widgets/select.html and select_option.html write: the options Django
    built (selected ones marked), in their optgroups."""
    groups = []
    for group_name, options, _index in widget["optgroups"]:
        rendered = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((o["value"], render_attrs(o["attrs"]), o["label"]) for o in options),
        )
        groups.append(
            format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
            if group_name
            else rendered
        )
    return format_html(
        '<select name="{}"{}>{}</select>',
        widget["name"],
        render_attrs(widget["attrs"]),
        format_html_join("", "{}", ((group,) for group in groups)),
    )


def render_choice_list(widget: dict) -> str:
    """What django/forms/widgets/multiple_input.html and input_option.html write: each box or
    radio inside its label, in their optgroups (ids, checked and aria attributes as Django
    built them)."""

    def option_markup(option: dict) -> str:
        box = format_html(
            '<input type="{}" name="{}" value="{}"{}>',
            option["type"],
            option["name"],
            option["value"],
            render_attrs(option["attrs"]),
        )
        if not option["wrap_label"]:
            return box
        target = option["attrs"].get("id")
        label_for = format_html(' for="{}"', target) if target else ""
        return format_html("<label{}>{} {}</label>", label_for, box, option["label"])

    groups = []
    for group_name, options, _index in widget["optgroups"]:
        boxes = format_html_join(
            "", "<div>{}</div>", ((option_markup(option),) for option in options)
        )
        groups.append(
            format_html("<div><label>{}</label>{}</div>", group_name, boxes)
            if group_name
            else boxes
        )
    outer = {key: widget["attrs"].get(key) for key in ("id", "class")}
    return format_html(
        "<div{}>{}</div>",
        render_attrs(outer),
        format_html_join("", "{}", ((group,) for group in groups)),
    )


class ProjectFormRenderer(TemplatesSetting):
    """Every form renders its fields through one template: label, help, errors, all announced.

    Plain inputs, selects and checkbox or radio lists are written in Python: a form such as the
    problem form has some hundred of them, and Django's nested templates (three per input, two
    or three per option) made it the slowest page OPD staff open."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return render_input(context["widget"])
        if template_name in SELECT_TEMPLATES:
            return render_select(context["widget"])
        if template_name in CHOICE_LIST_TEMPLATES:
            return render_choice_list(context["widget"])
        return super().render(template_name, context, request)


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
        fields = ["title", "kind", "start_year", "end_year", "rpjmn_period"]


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
