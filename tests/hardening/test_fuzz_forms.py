"""Form fuzzing (QUALITY E4): arbitrary Unicode through the forms over HTTP.

Every text a user can type into the forms below goes through the test client as a browser
would send it: NUL, right-to-left override, emoji, combining marks, 10,000 characters. The
oracle: never a server error; NUL is refused with a message and nothing is saved; text that
is empty after trimming, or longer than the column, is refused the same way; anything else is
saved exactly as typed (less the leading and trailing whitespace every form trims).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fgd.models import AgreedItem, FollowUp, ResourcePerson
from issues.models import Problem, RootCause
from rpjmd.models import Plan, Stage
from tests.fgd.factories import make_meeting
from tests.issues.conftest import affairs  # noqa: F401 - the fixture, for the problem form
from tests.issues.test_pages import IN_TIME, form_data
from tests.project import APP_PACKAGES

SPECIAL = [
    "a\x00b",
    "\x00",
    "\u202eRLO dibalik\u202c",
    "Kesehatan 🏥 dan pendidikan 📚",
    "Z\u0351\u0358a\u0336\u0353l\u0334g\u0337o",  # combining marks
    "baris satu\r\nbaris dua\nbaris tiga",
    "x" * 10_000,
    "مشكلة التنمية",
    "\ufeffdengan BOM",
    "  spasi di tepi  ",
    "\u200b",
]
TEXTS = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(min_size=0, max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400),
)


@dataclass
class Target:
    """One text field of one form, and where the saved text lands."""

    role: str
    url: Callable
    data: Callable
    field: str
    saved: Callable[[], models.QuerySet]  # the rows the form creates or changes, newest last
    column: str


def _problem_create(world):
    return f"/rencana/{world.plan.pk}/permasalahan/baru/"


def _open_meeting(world):
    meeting = getattr(world, "_fuzz_meeting", None)
    if meeting is None:
        meeting = world._fuzz_meeting = make_meeting(world.plan, stage=world.stage)
    return meeting


TARGETS = {
    "problem statement": Target(
        role="opd",
        url=_problem_create,
        data=lambda world, known: form_data(world, known),
        field="statement",
        saved=lambda: Problem.objects.order_by("pk"),
        column="statement",
    ),
    "root cause": Target(
        role="opd",
        url=_problem_create,
        data=lambda world, known: form_data(world, known) | {"causes-1-text": ""},
        field="causes-0-text",
        saved=lambda: RootCause.objects.order_by("pk"),
        column="text",  # the only cause: a problem needs at least one
    ),
    "stage name": Target(
        role="planner",
        url=lambda world: f"/rencana/{world.plan.pk}/tahapan/baru/",
        data=lambda world, known: {
            "kind": "other",
            "order": "9",
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-20",
            "state": "planned",
            "description": "Uji",
        },
        field="name",
        saved=lambda: Stage.objects.order_by("pk"),
        column="name",
    ),
    "plan title": Target(
        role="planner",
        url=lambda world: f"/rencana/{world.plan.pk}/ubah/",
        data=lambda world, known: {
            "kind": world.plan.kind,
            "start_year": "2021",
            "end_year": "2026",
            "rpjmn_period": "2020-2024",
            # The version the form was opened at: each example is a fresh form (issue 13).
            "seen_version": Plan.objects.get(pk=world.plan.pk).version,
        },
        field="title",
        saved=lambda: Plan.objects.order_by("pk"),
        column="title",
    ),
    "FGD agreed item": Target(
        role="planner",
        url=lambda world: f"/fgd/{_open_meeting(world).pk}/kesepakatan/baru/",
        data=lambda world, known: {"order": "1"},
        field="text",
        saved=lambda: AgreedItem.objects.order_by("pk"),
        column="text",
    ),
    "FGD follow-up": Target(
        role="planner",
        url=lambda world: f"/fgd/{_open_meeting(world).pk}/tindak-lanjut/baru/",
        data=lambda world, known: {"agency": world.agency_a.pk, "due_on": "2026-12-31"},
        field="text",
        saved=lambda: FollowUp.objects.order_by("pk"),
        column="text",
    ),
    "narasumber name": Target(
        role="planner",
        url=lambda world: "/narasumber/baru/",
        data=lambda world, known: {"position": "Direktur", "institution": "Bappenas"},
        field="full_name",
        saved=lambda: ResourcePerson.objects.order_by("pk"),
        column="full_name",
    ),
}


def refused_as_expected(target: Target, text: str) -> bool:
    cleaned = text.strip()
    model = target.saved().model
    limit = model._meta.get_field(target.column).max_length
    return "\x00" in text or not cleaned or bool(limit and len(cleaned) > limit)


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_arbitrary_text_never_breaks_a_form_and_round_trips(
    world,
    affairs,  # noqa: F811 - the fixture imported above
    client_for,
    name,
):
    target = TARGETS[name]
    client: Client = client_for(target.role)
    url = target.url(world)
    with translation.override("id"):
        nul_message = html.escape(str(ProhibitNullCharactersValidator.message))

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,  # the same examples every run: the suite stays deterministic
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(text=TEXTS)
    def check(text):
        before = target.saved().count()
        last_before = target.saved().last()
        data = target.data(world, affairs) | {target.field: text}
        with time_machine.travel(IN_TIME, tick=False):
            response = client.post(url, data)
        assert response.status_code < 500, (name, text[:80])
        cleaned = text.strip()
        if refused_as_expected(target, text):
            assert response.status_code == 200, (name, text[:80], response.status_code)
            assert "errorlist" in response.text or "form-errors" in response.text
            if "\x00" in text:
                assert nul_message in response.text
            assert target.saved().count() == before
            if last_before is not None:
                last_before.refresh_from_db()
                assert getattr(target.saved().last(), target.column) == getattr(
                    last_before, target.column
                )
        else:
            assert response.status_code == 302, (name, text[:80], response.text[:1500])
            stored = target.saved().filter(**{target.column: cleaned})
            assert stored.exists(), (name, text[:80])

    check()


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(username=TEXTS, password=TEXTS)
@pytest.mark.django_db
def test_the_login_form_answers_any_input_without_a_server_error(username, password):
    response = Client().post("/masuk/", {"username": username, "password": password})
    assert response.status_code in (200, 429)
    if "\x00" in username:
        assert "errorlist" in response.text or "form-errors" in response.text


# --- Query parameters (issue 13) -------------------------------------------------------------
# Every GET query parameter every view reads (grep request.GET; the GET filter forms' fields),
# by URL name of the authorization matrix. The test below keeps this map complete.


def _query_parameters() -> dict[str, list[str]]:
    from fgd.forms import TablingFilterForm
    from issues.forms import ProblemFilterForm

    return {
        "issues:list": [*ProblemFilterForm.base_fields, "page"],
        "issues:create": ["semua_urusan"],
        "issues:update": ["semua_urusan"],
        "issues:similar": ["statement", "problem"],
        "strategic:problems": ["agency", "q"],
        "fgd:meeting_list": ["tahapan"],
        "fgd:tabling": [*TablingFilterForm.base_fields, "page"],
        "fgd:minutes_versions": ["page"],
        "drafts:board": ["perangkat"],
        "drafts:completeness": ["snapshot"],
        "drafts:section": ["part"],
        "drafts:section_edit": ["salinan"],
        "drafts:section_versions": ["page"],
        "drafts:section_compare": ["a", "b"],
        "drafts:snapshot_compare": ["a", "b"],
        "notification_list": ["page"],
        "two_factor_setup": ["next"],
        "two_factor_verify": ["next"],
        "login": ["next"],
        "set_language": ["next"],
    }


HOSTILE_QUERY_VALUES = [
    "²",
    "-1",
    "0",
    "99999999999999999999",
    "abc",
    "",
    "%00",
    "\x00",
    "x" * 3000,
]
# Only what a role may read is worth fuzzing: refusals answer before any parameter is read.
# One reader per URL keeps it fast: the least privileged first (OPD staff reach the most
# URLs by link), a planner where only planners read.
REFUSED = {403, 404, 405, "login"}
READER_PREFERENCE = ["opd", "resource_person", "leader", "planner", "admin", "anonymous"]


def test_the_query_parameter_map_names_every_parameter_the_code_reads():
    import re
    from pathlib import Path

    from tests.authz_matrix import MATRIX

    parameters = _query_parameters()
    assert set(parameters) <= set(MATRIX)
    known = {name for names in parameters.values() for name in names}
    root = Path(__file__).resolve().parents[2]
    read = set()
    pattern = re.compile(r"""request\.GET(?:\.get|\.getlist)?[\[(]\s*["'](\w+)["']""")
    for app in APP_PACKAGES:
        for path in (root / app).rglob("*.py"):
            read |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert read, "the scan found nothing: the pattern no longer matches the code"
    assert read <= known, f"query parameters missing from the map: {sorted(read - known)}"


@pytest.mark.parametrize("name", sorted(_query_parameters()))
def test_hostile_query_parameters_never_cause_a_server_error(world, client_for, name):
    from django.urls import reverse

    from tests.authz_matrix import MATRIX

    route = MATRIX[name]
    url = reverse(name, kwargs=route.kwargs(world))
    # A role the page answers with 200 reads the parameters into the page; else a redirect.
    role = next((r for r in READER_PREFERENCE if route.get[r] == 200), None) or next(
        r for r in READER_PREFERENCE if route.get[r] not in REFUSED
    )
    client = client_for(role)
    for parameter in _query_parameters()[name]:
        for value in HOSTILE_QUERY_VALUES:
            response = client.get(url, {parameter: value})
            assert response.status_code < 500, (name, role, parameter, value[:20])
        # An htmx request draws a fragment, which may read the parameter differently.
        response = client.get(url, {parameter: "²"}, headers={"HX-Request": "true"})
        assert response.status_code < 500, (name, role, parameter, "htmx")
    # All of them at once, as a crafted link would send them.
    for value in HOSTILE_QUERY_VALUES:
        query = dict.fromkeys(_query_parameters()[name], value)
        assert client.get(url, query).status_code < 500, (name, role, value[:20])
