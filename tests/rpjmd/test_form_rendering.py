"""Plain inputs, selects and checkbox or radio lists are written in Python (rpjmd.forms
render_input, render_select, render_choice_list) instead of Django's nested templates: the
markup must stay what Django's templates write, escaping included."""

import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import TemplatesSetting

from rpjmd.forms import (
    CHOICE_LIST_TEMPLATES,
    INPUT_TEMPLATES,
    SELECT_TEMPLATES,
    DateInput,
    ProjectFormRenderer,
)
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


LISTS = [
    (forms.CheckboxSelectMultiple(choices=CHOICES[1:], attrs={"class": "checkbox-grid"}), ["2"]),
    (forms.CheckboxSelectMultiple(choices=GROUPED), ["1", "3"]),
    (forms.RadioSelect(choices=CHOICES), "2"),
    (forms.RadioSelect(choices=GROUPED), None),
]
WRITTEN_IN_PYTHON = INPUT_TEMPLATES | SELECT_TEMPLATES | CHOICE_LIST_TEMPLATES


@pytest.mark.parametrize(
    ("widget", "value"), WIDGETS + SELECTS + LISTS, ids=lambda w: type(w).__name__
)
def test_widgets_written_in_python_match_djangos_templates(widget, value):
    ours = widget.render("field", value, dict(ATTRS), renderer=ProjectFormRenderer())
    djangos = widget.render("field", value, dict(ATTRS), renderer=TemplatesSetting())
    assert widget.template_name in WRITTEN_IN_PYTHON
    assert shape(ours) == shape(djangos)
    assert "<script>" not in ours
    if widget.template_name in SELECT_TEMPLATES:
        chosen = {value} if isinstance(value, str) else set(value or [""])
        assert ours.count(" selected") == len(chosen)


@pytest.mark.parametrize("value", [[], ["2"], ["1", "2"]])
def test_the_problem_forms_checkboxes_render_what_djangos_would(value):
    choices = [("1", "Tenggarong & <Loa Kulu>"), ("2", "Tabang")]
    attrs = {"id": "id_districts", "aria-describedby": "id_districts_helptext"}

    def render(renderer):
        widget = forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}, choices=choices)
        return widget.render("districts", value, attrs, renderer=renderer)

    fast = render(ProjectFormRenderer())
    assert shape(fast) == shape(render(TemplatesSetting()))
    assert "&lt;Loa Kulu&gt;" in fast
    assert len(re.findall(r"\bchecked\b", fast)) == len(value)


def test_the_project_overrides_none_of_the_widgets_written_in_python():
    """A template of ours for one of these widgets would be silently ignored."""
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for name in WRITTEN_IN_PYTHON:
            assert not (Path(directory) / name).exists(), name
