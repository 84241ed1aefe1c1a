"""Plain inputs and selects are written in Python (rpjmd.forms.render_input, render_select)
instead of Django's nested templates: the markup must stay what Django's templates write,
escaping included."""

from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting

from rpjmd.forms import INPUT_TEMPLATES, SELECT_TEMPLATES, DateInput, ProjectFormRenderer
from tests.htmlshape import shape

HOSTILE = "\"><script>alert(1)</script>&amp; 'x'"
ATTRS = {"id": "id_field", "aria-invalid": "true", "aria-describedby": "id_field_error"}

WIDGETS = [
    (forms.TextInput(attrs={"class": "input-number", "inputmode": "decimal"}), HOSTILE),
    (forms.TextInput(), None),
    (forms.NumberInput(attrs={"min": 0, "step": "any"}), 7.5),
    (forms.HiddenInput(), HOSTILE),
    (forms.EmailInput(), "staf@kukarkab.go.id"),
    (forms.URLInput(), "https://example.invalid/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), HOSTILE),
    (forms.PasswordInput(), "rahasia"),
    (forms.SearchInput(), "putus sekolah"),
    (DateInput(), "2026-11-27"),
    (forms.TimeInput(format="%H:%M"), "09:30"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(attrs={"disabled": True, "hidden": False}), False),
]


CHOICES = [("", "— pilih —"), ("1", HOSTILE), ("2", "Kesehatan")]
GROUPED = [("Wajib", [("1", "Pendidikan"), ("2", HOSTILE)]), ("Pilihan", [("3", "Pariwisata")])]
SELECTS = [
    (forms.Select(choices=CHOICES), "1"),
    (forms.Select(choices=CHOICES, attrs={"class": "wide", "disabled": True}), None),
    (forms.SelectMultiple(choices=CHOICES), ["1", "2"]),
    (forms.Select(choices=GROUPED), "2"),
    (forms.SelectMultiple(choices=GROUPED), ["1", "3"]),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS + SELECTS, ids=lambda w: type(w).__name__)
def test_widgets_written_in_python_match_djangos_templates(widget, value):
    ours = widget.render("field", value, dict(ATTRS), renderer=ProjectFormRenderer())
    djangos = widget.render("field", value, dict(ATTRS), renderer=TemplatesSetting())
    assert widget.template_name in INPUT_TEMPLATES | SELECT_TEMPLATES
    assert shape(ours) == shape(djangos)
    assert "<script>" not in ours
    if widget.template_name in SELECT_TEMPLATES:
        chosen = {value} if isinstance(value, str) else set(value or [""])
        assert ours.count(" selected") == len(chosen)


def test_the_project_overrides_none_of_the_widgets_written_in_python():
    """A template of ours for one of these widgets would be silently ignored."""
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for name in INPUT_TEMPLATES | SELECT_TEMPLATES:
            assert not (Path(directory) / name).exists(), name
