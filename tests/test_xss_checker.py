"""The XSS checker finds raw payloads and accepts escaped ones; core pages escape user text."""

import pytest
from django.template import Context, Template
from django.utils.html import escape

from tests.xss import XSS_PAYLOADS, assert_no_injection, find_injections


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_checker_accepts_escaped_payloads(payload):
    page = Template(
        '<p>{{ text }}</p><input value="{{ text }}"><textarea>{{ text }}</textarea>'
        '<form data-confirm="Hapus {{ text }}?"></form><title>{{ text }}</title>'
    ).render(Context({"text": payload}))
    assert find_injections(page) == []


@pytest.mark.parametrize(
    "payload",
    [p for p in XSS_PAYLOADS if "<" in p or "onfocus" in p or "{{" in p],
)
def test_checker_finds_raw_payloads(payload):
    # Dropped raw into an attribute or the body, every markup payload must be caught.
    raw_in_body = f"<p>{payload}</p>"
    raw_in_attribute = f"<input value=\"{payload}\"><a title='{payload}'>x</a>"
    evaluated = Template(f"<p>{payload}</p>").render(Context()) if "{{" in payload else ""
    assert (
        find_injections(raw_in_body)
        or find_injections(raw_in_attribute)
        or find_injections(evaluated)
    ), payload


def test_core_pages_escape_plan_and_stage_text(world, client_for):
    for n, payload in enumerate(XSS_PAYLOADS):
        world.plan.title = payload
        world.plan.save()
        world.stage.name = payload
        world.stage.description = payload
        world.stage.save()
        planner = client_for("planner")
        pages = {
            "dashboard": planner.get(f"/rencana/{world.plan.pk}/").text,
            "plans": planner.get("/rencana/").text,
            "stages": planner.get(f"/rencana/{world.plan.pk}/tahapan/").text,
            "stages fragment": planner.get(
                f"/rencana/{world.plan.pk}/tahapan/", headers={"HX-Request": "true"}
            ).text,
            "stage form": planner.get(f"/tahapan/{world.stage.pk}/ubah/").text,
            "plan form": planner.get(f"/rencana/{world.plan.pk}/ubah/").text,
        }
        for where, html in pages.items():
            assert escape(payload)[:20] in html, f"payload {n} is not shown on {where}"
            assert_no_injection(html, f"payload {n} on {where}")
