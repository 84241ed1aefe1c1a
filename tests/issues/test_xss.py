"""Stored XSS: every payload in every text field of a problem, on every page that shows it."""

import csv
import io

import pytest
from django.utils.html import escape
from openpyxl import load_workbook

from issues import review
from issues.models import DeadlineExtension, Problem
from tests.issues.factories import attach, make_indicator, make_problem
from tests.xss import XSS_PAYLOADS, assert_no_injection

S = Problem.Status


# One payload per test: each meets a plan holding only its own rows, and xdist spreads them.
@pytest.mark.parametrize("n", range(len(XSS_PAYLOADS)))
def test_payloads_in_every_text_field_never_become_markup(world, client_for, n):
    payload = XSS_PAYLOADS[n]
    planner, staff = client_for("planner"), client_for("opd")
    plan = world.plan.pk
    original = make_problem(world.agency_b, status=S.SUBMITTED, statement=f"asli {n}")
    problem = make_problem(
        world.agency_a,
        status=S.SUBMITTED,
        statement=payload,
        core=payload,
        causes=(payload, f"kedua {n}"),
    )
    make_indicator(problem, name=payload, unit=payload[:50], source=payload)
    attach(problem, f"{payload}.pdf", by=world.staff_a)
    review.return_problem(problem=problem, by=world.planner, note=payload)
    cause = problem.root_causes.first()
    cause.text = payload + " (diubah)"
    cause.save()
    DeadlineExtension.objects.update_or_create(
        stage=world.stage,
        agency=world.agency_a,
        defaults={"until": "2026-12-30", "reason": payload},
    )
    duplicate = make_problem(world.agency_a, status=S.SUBMITTED, statement=payload)
    review.mark_duplicate(problem=duplicate, original=original, by=world.planner, note=payload)

    pages = {
        "list": planner.get(f"/rencana/{plan}/permasalahan/?q=").text,
        "list fragment": planner.get(
            f"/rencana/{plan}/permasalahan/", headers={"HX-Request": "true"}
        ).text,
        "list for staff": staff.get(f"/rencana/{plan}/permasalahan/").text,
        "detail": planner.get(f"/permasalahan/{problem.pk}/").text,
        "detail fragment": planner.get(
            f"/permasalahan/{problem.pk}/", headers={"HX-Request": "true"}
        ).text,
        "detail of the original": planner.get(f"/permasalahan/{original.pk}/").text,
        "detail for staff": staff.get(f"/permasalahan/{problem.pk}/").text,
        "edit form": staff.get(f"/permasalahan/{problem.pk}/ubah/").text,
        "progress": planner.get(f"/rencana/{plan}/permasalahan/progres/").text,
        "notifications": staff.get("/notifikasi/").text,
        "review fragment": planner.post(
            f"/permasalahan/{duplicate.pk}/tinjau/",
            {"action": "return", "note": ""},
            headers={"HX-Request": "true"},
        ).text,
    }
    for where, html in pages.items():
        assert_no_injection(html, f"payload {n} on {where}")
    assert escape(payload)[:20] in pages["detail"], f"payload {n} is not shown on the detail"
    assert escape(payload)[:20] in pages["edit form"], f"payload {n} is not in the form"

    csv_text = (
        planner.get(f"/rencana/{plan}/permasalahan/ekspor.csv").getvalue().decode("utf-8-sig")
    )
    csv_cells = {cell for row in csv.reader(io.StringIO(csv_text), delimiter=";") for cell in row}
    assert payload in csv_cells or f"'{payload}" in csv_cells, f"payload {n} missing in CSV"
    problem.refresh_from_db()
    Problem.objects.filter(pk=problem.pk).update(status=S.ACCEPTED)
    table = planner.get(f"/rencana/{plan}/permasalahan/tabel-identifikasi.xlsx")
    cells = [
        c for row in load_workbook(io.BytesIO(table.getvalue())).active.iter_rows() for c in row
    ]
    assert not any(c.data_type == "f" for c in cells), f"payload {n} became a formula"
    assert any(c.value == payload for c in cells), f"payload {n} is missing from the table"


def test_payloads_in_an_import_file_are_escaped_in_the_error_list(
    world, affairs, client_for, settings
):
    from tests.issues.test_spreadsheets import (
        IMMEDIATE,
        download_template,
        fill,
        good_row,
        imported,
    )

    settings.TASKS = IMMEDIATE  # the worker's run, inside the request
    client = client_for("opd")
    rows = [good_row(districts=p, affair=p) for p in XSS_PAYLOADS[:20]]
    page = imported(world, client, fill(world, download_template(world, client), rows))
    assert "tidak ada yang diimpor" in page
    assert_no_injection(page, "import errors")


def test_payloads_in_strategic_issue_fields_never_become_markup(world, client_for):
    from django.urls import reverse

    from issues.models import Alignment, Criterion, IssueChange, NotStrategic
    from issues.strategic.workflow import merge
    from tests.fgd.factories import invite, make_input, make_meeting
    from tests.issues.strategic_factories import (
        accepted,
        make_issue,
        make_rater,
        open_results,
        score_all,
    )

    planner = client_for("planner")
    plan = world.plan
    meeting = make_meeting(plan, title="FGD isu strategis")
    invite(meeting, world.agency_a)
    make_rater(plan, world.planner)
    issues = []
    for n, payload in enumerate(XSS_PAYLOADS):
        problem = accepted(world.agency_a, statement=payload)
        NotStrategic.objects.create(
            problem=accepted(world.agency_b, statement=payload), reason=payload
        )
        accepted(world.agency_a, statement=f"{payload} belum dipetakan")
        issue = make_issue(
            plan, payload, problems=[problem], description=payload, rationale=payload
        )
        issue.fgd_inputs.add(make_input(meeting, kind="strategic_issue", text=payload))
        Alignment.objects.create(issue=issue, source="klhs", note=payload[:500])
        Criterion.objects.create(plan=plan, order=n, name=payload[:300], weight=1)
        issues.append(issue)
    absorbed = make_issue(plan, XSS_PAYLOADS[0] + " digabung")
    merge(keep=issues[0], absorb=absorbed, by=world.planner)
    IssueChange.objects.create(
        plan=plan, kind="adopt", summary="x", details={"note": XSS_PAYLOADS[1]}
    )
    rater = plan.raters.get()
    score_all(rater, {i: [3] * Criterion.objects.count() for i in issues})
    pages = {
        "list": planner.get(reverse("strategic:list", args=[plan.pk])).text,
        "criteria": planner.get(reverse("strategic:criteria", args=[plan.pk])).text,
        "sheet": planner.get(reverse("strategic:sheet", args=[plan.pk])).text,
        "sheet fragment": planner.post(
            reverse("strategic:sheet", args=[plan.pk]),
            {f"s-{issues[0].pk}-0": "9"},
            headers={"HX-Request": "true"},
        ).text,
        "trace": planner.get(reverse("strategic:trace", args=[plan.pk])).text,
        "fgd meeting": planner.get(reverse("fgd:meeting_detail", args=[meeting.pk])).text,
    }
    open_results(plan)
    pages["results"] = planner.get(reverse("strategic:results", args=[plan.pk])).text
    for issue in issues:
        for name in [
            "strategic:detail",
            "strategic:update",
            "strategic:problems",
            "fgd:strategic_inputs",
            "strategic:merge",
            "strategic:split",
        ]:
            pages[f"{name} {issue.pk}"] = planner.get(reverse(name, args=[issue.pk])).text
    for where, html in pages.items():
        assert_no_injection(html, where)
    assert escape(XSS_PAYLOADS[0]) in pages["list"]
