"""The four causes of the 500s the fuzzing audit found (issue 13): Unicode digits that
`str.isdigit()` accepts and `int()` refuses, a duplicate narasumber name, editing a saved
strategic-issue criterion, and deleting a stage that has FGDs."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from fgd.models import ResourcePerson
from issues.models import Criterion
from rpjmd.models import Stage
from rpjmd.requests import positive_int
from tests.fgd.factories import make_agenda_item, make_meeting, make_resource_person
from tests.issues.strategic_factories import make_criteria, make_issue, make_rater
from tests.project import APP_PACKAGES
from tests.stale import open_form

pytestmark = pytest.mark.django_db

HOSTILE = ["²", "١٢", "-1", "0", "99999999999999999999", "abc", "", "%00", "\x00", "1" * 5000]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        ("007", 7),
        ("²", None),
        ("١٢", None),  # Arabic-Indic digits: isdigit() says yes
        ("-1", None),
        ("0", None),
        ("", None),
        (None, None),
        (" 7", None),
        ("99999999999999999999", None),
        (str(2**31 - 1), 2**31 - 1),
        (str(2**31), None),
    ],
)
def test_positive_int_takes_only_plain_digits_within_bounds(text, expected):
    assert positive_int(text) == expected


def test_positive_int_bounds_are_the_callers():
    assert positive_int("0", minimum=0) == 0
    assert positive_int("2101", minimum=1990, maximum=2100) is None


@pytest.mark.parametrize("value", HOSTILE)
def test_the_fgd_list_filter_answers_any_stage_value_for_opd_staff(world, client_for, value):
    make_meeting(world.plan, stage=world.stage)
    url = reverse("fgd:meeting_list", args=[world.plan.pk])
    response = client_for("opd").get(url, {"tahapan": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["²", "99999999999999999999", "-1"])
def test_minutes_with_a_unicode_version_are_refused_with_a_message(world, client_for, value):
    item = make_agenda_item(make_meeting(world.plan, stage=world.stage))
    url = reverse("fgd:minutes_save", args=[item.pk])
    response = client_for("planner").post(url, {"text": "Catatan", "version": value})
    assert response.status_code < 500
    assert (
        not item.__class__.objects.get(pk=item.pk)
        .meeting.agenda_items.filter(minutes__text="Catatan")
        .exists()
    )


def test_unicode_digits_in_a_score_key_or_value_are_no_server_error(world, client_for):
    issue = make_issue(world.plan)
    criteria = make_criteria(world.plan)
    make_rater(world.plan, world.planner)
    url = reverse("strategic:sheet", args=[world.plan.pk])
    client = client_for("planner")
    response = client.post(url, {f"s-{issue.pk}-²": "3", f"s-²-{criteria[0].pk}": "3"})
    assert response.status_code < 500
    response = client.post(url, {f"s-{issue.pk}-{criteria[0].pk}": "²"})
    assert response.status_code < 500
    assert "Nilai harus bilangan bulat" in response.text or response.status_code == 302


def test_a_duplicate_narasumber_name_is_a_form_error(world, client_for):
    make_resource_person(world.region, full_name="Dr. Sumedi Andono Mulyo")
    client = client_for("planner")
    data = {"full_name": "Dr. Sumedi Andono Mulyo", "position": "Direktur"}
    response = client.post(reverse("fgd:resource_person_create"), data)
    assert response.status_code == 200
    assert "Narasumber dengan nama ini sudah terdaftar." in response.text
    assert ResourcePerson.objects.count() == 1
    other = make_resource_person(world.region, full_name="Prof. Lain")
    response = client.post(
        reverse("fgd:resource_person_update", args=[other.pk]),
        data | {"seen_version": other.version},
    )
    assert response.status_code == 200
    assert "Narasumber dengan nama ini sudah terdaftar." in response.text
    other.refresh_from_db()
    assert other.full_name == "Prof. Lain"
    # Saving a narasumber under its own name is no duplicate.
    response = client.post(
        reverse("fgd:resource_person_update", args=[other.pk]),
        {"full_name": "Prof. Lain", "seen_version": other.version},
    )
    assert response.status_code == 302


def criteria_post(criteria, **changes):
    data = {
        "scale-scale_min": 1,
        "scale-scale_max": 5,
        "criteria-TOTAL_FORMS": len(criteria) + 1,
        "criteria-INITIAL_FORMS": len(criteria),
    }
    for n, c in enumerate(criteria):
        data |= {
            f"criteria-{n}-id": c.pk,
            f"criteria-{n}-order": c.order,
            f"criteria-{n}-name": c.name,
            f"criteria-{n}-weight": c.weight,
        }
    # The blank row the page offers, as a browser posts it (the order field shows 1).
    n = len(criteria)
    data |= {f"criteria-{n}-order": 1, f"criteria-{n}-name": "", f"criteria-{n}-weight": ""}
    return data | changes


def test_editing_a_saved_criterion_is_saved(world, client_for):
    first, second = make_criteria(world.plan)
    url = reverse("strategic:criteria", args=[world.plan.pk])
    client = client_for("planner")

    def seen():  # the hidden version the criteria page carries (issue 13's stale-form check)
        return {k: v for k, v in open_form(client, url).items() if k.endswith("seen_version")}

    data = seen() | criteria_post(
        [first, second],
        **{"criteria-0-name": "Dampak luas", "criteria-0-weight": 70, "criteria-1-weight": 30},
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(Criterion.objects.values_list("pk", "name", "weight")) == [
        (first.pk, "Dampak luas", 70),
        (second.pk, second.name, 30),
    ]
    # Deleting one and re-weighting the other in the same post.
    first.refresh_from_db()
    second.refresh_from_db()
    data = seen() | criteria_post(
        [first, second], **{"criteria-1-DELETE": "on", "criteria-0-weight": 100}
    )
    assert client.post(url, data).status_code == 302
    assert list(Criterion.objects.values_list("pk", "weight")) == [(first.pk, 100)]
    # A wrong total still saves nothing.
    first.refresh_from_db()
    response = client.post(url, seen() | criteria_post([first], **{"criteria-0-weight": 90}))
    assert response.status_code == 200
    assert "Jumlah bobot harus 100; sekarang 90." in response.text
    assert Criterion.objects.get().weight == 100


def test_a_stage_with_fgds_is_not_deleted_and_the_planner_is_told_why(world, client_for):
    make_meeting(world.plan, stage=world.stage)
    client = client_for("planner")
    response = client.post(reverse("stage_delete", args=[world.stage.pk]))
    assert response.status_code == 302
    assert Stage.objects.filter(pk=world.stage.pk).exists()
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("masih memiliki FGD" in t for t in texts), texts
    # Without FGDs it goes.
    world.stage.meetings.all().delete()
    assert client.post(reverse("stage_delete", args=[world.stage.pk])).status_code == 302
    assert not Stage.objects.filter(pk=world.stage.pk).exists()


def test_numbers_from_requests_are_parsed_by_the_one_helper_only():
    """`isdigit()` before `int()` was the cause in ten places: it stays in the helper alone."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for app in APP_PACKAGES
        for path in sorted((root / app).rglob("*.py"))
        if path != root / "rpjmd" / "requests.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\.is(digit|decimal|numeric)\(\)", line)
    ]
    assert not offenders, f"use rpjmd.requests.positive_int instead: {offenders}"


@pytest.mark.parametrize("year", ["²⁰¹⁹", "٢٠١٩", "99999999999999999999", "1989", "abc", ""])
def test_a_yearly_value_with_a_strange_year_is_a_validation_error(year):
    from django.core.exceptions import ValidationError

    from issues.models import validate_yearly_values

    with pytest.raises(ValidationError):
        validate_yearly_values({year: "1"})
    validate_yearly_values({"2019": "1,5".replace(",", ".")})
