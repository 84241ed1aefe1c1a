"""Widgets are rendered by Django's own Jinja2 widget templates (rpjmd.forms.ProjectFormRenderer):
every widget class the project's forms use must write what Django's stock renderer writes
(whitespace aside), escaping included, and no module of the app writes form controls itself."""

from __future__ import annotations

import ast
import copy
import datetime as dt
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import ChoiceWidget, DateTimeBaseInput
from django.template.backends.jinja2 import Template as Jinja2Template

from rpjmd.forms import WIDGET_TEMPLATES, ProjectFormRenderer

APPS = ("rpjmd", "issues", "fgd", "drafts")
ROOT = Path(settings.BASE_DIR)
HOSTILE = "\"><script>alert(1)</script>&amp; 'x'"
ATTRS = {"id": "id_field", "aria-invalid": "true", "aria-describedby": "id_field_error"}
CHOICES = [("", "— pilih —"), ("1", HOSTILE), ("2", "Kesehatan")]
GROUPED = [("Wajib", [("1", "Pendidikan"), ("2", HOSTILE)]), ("Pilihan", [("3", "Pariwisata")])]


def app_modules():
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in info.name:
                yield importlib.import_module(info.name)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def project_widgets() -> dict[type, forms.Widget]:
    """Every widget class used by the project's forms, with an instance as a form builds it:
    the widgets of each form class's fields, the widgets a module names (forms.Textarea(...),
    also those set up in a form's __init__) and the project's own widget classes."""
    modules = list(app_modules())
    found: dict[type, forms.Widget] = {}
    for form in subclasses(forms.BaseForm):
        if form.__module__.split(".")[0] in APPS:
            for field in form.base_fields.values():
                found.setdefault(type(field.widget), field.widget)
    for module in modules:
        tree = ast.parse(Path(module.__file__).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                named = getattr(forms, node.attr, None) if node.value.id == "forms" else None
                if isinstance(named, type) and issubclass(named, forms.Widget):
                    found.setdefault(named, None)
    for widget in subclasses(forms.Widget):
        if widget.__module__.split(".")[0] in APPS:
            found.setdefault(widget, None)
    return {cls: copy.deepcopy(instance) if instance else cls() for cls, instance in found.items()}


class StoredFile:
    """A file already saved, as ClearableFileInput shows it (name and link)."""

    url = "/lampiran/1/unduh/?a=1&b=<2>"

    def __str__(self):
        return "bukti <asli>.pdf"


def samples(widget: forms.Widget) -> list:
    """Values to render `widget` with: hostile text, chosen options, none."""
    if isinstance(widget, ChoiceWidget):
        widget.choices = CHOICES
        if widget.allow_multiple_selected:
            return [["1", "2"], [], ("grouped", ["1", "3"])]
        return ["1", None, ("grouped", "2")]
    if isinstance(widget, forms.CheckboxInput):
        return [True, False, None]
    if isinstance(widget, forms.FileInput):
        return [None, StoredFile()]
    if isinstance(widget, forms.MultiWidget):
        return [dt.datetime(2026, 11, 27, 9, 30), None]
    if isinstance(widget, DateTimeBaseInput):
        return [dt.datetime(2026, 11, 27, 9, 30), "2026-11-27", None]
    return [HOSTILE, "7,63", None]


# Jinja2 (markupsafe) and Django spell two character references differently.
SAME_CHARACTER = {"&#34;": "&quot;", "&#39;": "&#x27;"}


def normal(html: str) -> str:
    """The markup with whitespace runs made one space and none between tags."""
    for spelling, django_spelling in SAME_CHARACTER.items():
        html = html.replace(spelling, django_spelling)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


WIDGETS = project_widgets()


def test_the_discovery_finds_the_widgets_of_the_busiest_forms():
    names = {cls.__name__ for cls in WIDGETS}
    assert {
        "TextInput",
        "Textarea",
        "Select",
        "SelectMultiple",
        "CheckboxInput",
        "CheckboxSelectMultiple",
        "HiddenInput",
        "DateInput",
        "MultipleFileInput",
    } <= names, names


@pytest.mark.parametrize(
    "widget", list(WIDGETS.values()), ids=lambda w: f"{type(w).__module__}.{type(w).__name__}"
)
def test_every_widget_of_the_project_renders_what_djangos_stock_renderer_does(widget):
    project, stock = ProjectFormRenderer(), DjangoTemplates()
    for value in samples(widget):
        if isinstance(value, tuple):  # the same widget with options in groups
            widget.choices, value = GROUPED, value[1]
        ours = widget.render("field", value, dict(ATTRS), renderer=project)
        djangos = widget.render("field", value, dict(ATTRS), renderer=stock)
        assert normal(ours) == normal(djangos), (type(widget).__name__, value)
        assert "<script>" not in ours
        if isinstance(widget, ChoiceWidget) and value:
            chosen = len(value) if isinstance(value, list) else 1
            assert len(re.findall(r" (selected|checked)\b", ours)) == chosen


@pytest.mark.parametrize("value", [[], ["2"], ["1", "2"]])
def test_the_problem_forms_checkboxes_keep_the_markup_the_css_relies_on(value):
    choices = [("1", "Tenggarong & <Loa Kulu>"), ("2", "Tabang")]
    widget = forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}, choices=choices)
    attrs = {"id": "id_districts", "aria-describedby": "id_districts_helptext"}
    html = normal(widget.render("districts", value, attrs, renderer=ProjectFormRenderer()))
    assert html.startswith('<div id="id_districts" class="checkbox-grid"><div><label for=')
    assert "&lt;Loa Kulu&gt;" in html
    assert len(re.findall(r"\bchecked\b", html)) == len(value)


def test_widgets_go_through_jinja2_and_forms_and_fields_through_the_project_templates():
    renderer = ProjectFormRenderer()
    assert isinstance(renderer.get_template("django/forms/widgets/select.html"), Jinja2Template)
    assert not isinstance(renderer.get_template("includes/field.html"), Jinja2Template)
    assert renderer.field_template_name == "includes/field.html"


def test_the_project_overrides_no_widget_template():
    """The widget engine does not read the project's template folder: an override there would
    be silently ignored (and one in an app's jinja2/ folder would fail the comparison above)."""
    for directory in settings.TEMPLATES[0]["DIRS"]:
        assert not list((Path(directory) / WIDGET_TEMPLATES).glob("**/*.html"))


def test_no_module_of_the_app_writes_form_controls():
    written = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for line_no, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"<(input|select|option|textarea)\b", line, re.IGNORECASE):
                    written.append(f"{path.relative_to(ROOT)}:{line_no}")
    assert written == []


def test_every_admin_add_form_renders_through_the_project_renderer(world, client_for):
    """The admin's widgets (related-object wrappers, date and time pairs, filtered selects)
    include Django's widget templates too: each registered model's add form still renders."""
    from django.contrib import admin

    client = client_for("admin")
    for model in admin.site._registry:
        meta = model._meta
        response = client.get(f"/admin/{meta.app_label}/{meta.model_name}/add/")
        assert response.status_code in (200, 403), (meta.label, response.status_code)
        if response.status_code == 200:
            assert "<form" in response.text and 'name="_save"' in response.text, meta.label
