"""The dashboard's charts (issue 16): problems per agency by status against the deadline, FGD
attendance, strategic-issue scores by criterion, sections per chapter by status. Drawn on the
server as SVG, each with its figures in a table."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drafts.models import Section
from fgd.models import Attendance
from issues.models import Problem
from tests.drafts.factories import make_chapter, make_document, make_section
from tests.factories import make_agency
from tests.fgd.factories import invite, make_guest, make_meeting, make_resource_person
from tests.issues.factories import make_problem
from tests.issues.strategic_factories import (
    make_criteria,
    make_issue,
    make_rater,
    open_results,
    score_all,
)
from tests.xss import XSS_PAYLOADS, assert_no_injection

NOW = "2026-11-27 10:00 +0800"
S = Problem.Status


def chart(html: str, key: str) -> str:
    """The <figure> of one chart: its SVG and its table."""
    start = html.index(f'id="{key}-caption"')
    start = html.rindex("<figure", 0, start)
    return html[start : html.index("</figure>", start)]


def svg_texts(figure: str) -> list[str]:
    svg = figure[figure.index("<svg") : figure.index("</svg>")]
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.fixture
def progress(world):
    """Problems of two agencies (one named to test escaping), the identification stage with its
    deadline of 4 December 2026."""
    world.stage.kind = "identification"
    world.stage.closes_on = dt.date(2026, 12, 4)
    world.stage.save()
    world.agency_b.short_name = 'Dinas <b>"Uji"</b> & Co'
    world.agency_b.save()
    for status in (S.SUBMITTED, S.SUBMITTED, S.ACCEPTED, S.RETURNED):
        make_problem(world.agency_a, plan=world.plan, status=status)
    make_problem(world.agency_b, plan=world.plan, status=S.ACCEPTED)
    make_problem(world.agency_b, plan=world.plan, status=S.DRAFT)  # not handed in: not drawn
    return world


@time_machine.travel(NOW, tick=False)
def test_planners_see_problems_per_agency_by_status_with_the_deadline(client_for, progress):
    html = client_for("planner").get(f"/rencana/{progress.plan.pk}/").text
    figure = chart(html, "dasbor-permasalahan")
    texts = svg_texts(figure)
    assert "Permasalahan per perangkat daerah menurut status" in figure
    assert progress.agency_a.short_name in texts
    # Agency A: 2 submitted, 1 accepted, 1 returned; the bar ends with the sum and the deadline.
    assert "4  tenggat 4 Des, 7 hari lagi" in texts
    assert {"Diajukan", "Diterima", "Dikembalikan"} <= set(texts)  # the legend
    assert "2" in texts  # the submitted segment's own label
    # The table beside the picture carries every figure, the draft not among them.
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", figure, flags=re.S)
    by_agency = {name: re.findall(r'<td class="num">([^<]*)</td>', cells) for name, cells in rows}
    assert by_agency[progress.agency_a.short_name] == ["2", "1", "1", "0", "4"]
    # An agency's name is text, in the SVG and in the table: never markup.
    escaped = "Dinas &lt;b&gt;&quot;Uji&quot;&lt;/b&gt; &amp; Co"
    assert by_agency[escaped] == ["0", "1", "0", "0", "1"]
    assert "<b>" not in figure
    svg = figure[figure.index("<svg") : figure.index("</svg>")]
    assert 'Dinas &lt;b&gt;"Uji"&lt;/b&gt; &amp; Co</text>' in svg
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg


@time_machine.travel(NOW, tick=False)
def test_opd_staff_see_no_other_agencys_progress_chart(client_for, progress):
    html = client_for("opd").get(f"/rencana/{progress.plan.pk}/").text
    assert 'id="dasbor-permasalahan-caption"' not in html
    assert "<svg" not in html


@time_machine.travel(NOW, tick=False)
def test_fgd_attendance_is_drawn_by_kind_of_participant(world, client_for):
    held = make_meeting(
        world.plan, title="FGD Isu Strategis", starts_at=timezone.now() - dt.timedelta(days=2)
    )
    invite(held, world.agency_a, world.agency_b)
    expert = make_resource_person(world.region)
    Attendance.objects.create(
        meeting=held, user=world.staff_a, agency=world.agency_a, method=Attendance.Method.CODE
    )
    Attendance.objects.create(meeting=held, resource_person=expert, method="planner")
    make_guest(held)
    make_guest(held, guest_name="Ir. Budi")
    make_meeting(world.plan, title="FGD Mendatang")  # not held yet: not drawn
    html = client_for("leader").get(f"/rencana/{world.plan.pk}/").text
    figure = chart(html, "dasbor-fgd")
    texts = svg_texts(figure)
    assert any(t.startswith("FGD Isu Strategis (25 Nov 2026)") for t in texts)
    assert not any("FGD Mendatang" in t for t in texts)
    assert "4  1/2 OPD diundang hadir" in texts
    rows = re.findall(r'<td class="num">([^<]*)</td>', figure)
    assert rows == ["1", "1", "2", "4"]


@time_machine.travel(NOW, tick=False)
def test_strategic_scores_by_criterion_appear_once_results_are_open(world, client_for):
    first = make_issue(world.plan, "Ketimpangan akses pendidikan")
    second = make_issue(world.plan, "Kesenjangan infrastruktur")
    make_criteria(world.plan, weights=(60, 40))
    score_all(make_rater(world.plan, world.planner), {first: [5, 4], second: [3, 3]})
    planner = client_for("planner")
    assert 'id="dasbor-isu-caption"' not in planner.get(f"/rencana/{world.plan.pk}/").text
    open_results(world.plan)
    figure = chart(planner.get(f"/rencana/{world.plan.pk}/").text, "dasbor-isu")
    texts = svg_texts(figure)
    # Ranked, best first; each bar ends with the score (5×0,6 + 4×0,4 = 4,6).
    assert texts.index("1. Ketimpangan akses pendidikan") < texts.index(
        "2. Kesenjangan infrastruktur"
    )
    assert "4,60" in texts and "3,00" in texts
    assert "3,00" in texts and "1,60" in texts  # criterion 1's and 2's share of the first bar
    assert {"Kriteria 1", "Kriteria 2"} <= set(texts)


@time_machine.travel(NOW, tick=False)
def test_sections_per_chapter_by_status(world, client_for):
    chapter = make_chapter(make_document(world.plan), order=2)
    for status in ("approved", "approved", "review", "draft"):
        make_section(chapter=chapter, status=status, body="<p>Isi.</p>", by=world.planner)
    make_section(chapter=chapter)
    assert Section.objects.filter(chapter=chapter).count() == 5
    figure = chart(client_for("leader").get(f"/rencana/{world.plan.pk}/").text, "dasbor-bagian")
    assert "Bab II GAMBARAN UMUM KONDISI DAERAH" in svg_texts(figure)
    rows = re.findall(r'<td class="num">([^<]*)</td>', figure)
    assert rows == ["1", "1", "1", "2", "5"]  # belum mulai, draf, ditinjau, disetujui, jumlah


@time_machine.travel(NOW, tick=False)
def test_the_dashboard_with_every_chart_keeps_its_queries_bounded(world, client_for, progress):
    chapter = make_chapter(make_document(world.plan), order=2)
    make_section(chapter=chapter)
    make_meeting(world.plan, starts_at=timezone.now() - dt.timedelta(days=1))
    issue = make_issue(world.plan)
    make_criteria(world.plan)
    score_all(make_rater(world.plan, world.planner), {issue: [4, 4]})
    open_results(world.plan)
    client = client_for("planner")

    def count() -> int:
        client.get(f"/rencana/{world.plan.pk}/")
        with CaptureQueriesContext(connection) as queries:
            html = client.get(f"/rencana/{world.plan.pk}/").text
        for key in ("dasbor-permasalahan", "dasbor-fgd", "dasbor-isu", "dasbor-bagian"):
            assert f'id="{key}-caption"' in html, key
        return len(queries)

    before = count()
    # Twenty before the charts (test_dashboard.py); each chart reads a fixed number of
    # queries (problems 3, FGD 1, strategic issues 5, sections 1), whatever the data.
    assert before <= 30, before
    for n in range(3):
        agency = make_agency(world.region, name=f"Dinas Tambahan {n}", short_name=f"DT{n}")
        make_problem(agency, plan=world.plan, status=S.SUBMITTED)
        make_section(
            chapter=make_chapter(
                make_document(world.plan), order=3 + n, number=["III", "IV", "V"][n]
            )
        )
        make_meeting(world.plan, starts_at=timezone.now() - dt.timedelta(days=3 + n))
        score_all(
            make_rater(world.plan, world.leader if n == 0 else world.planner),
            {make_issue(world.plan, f"Isu tambahan {n}"): [3, 4]},
        )
    assert count() == before


@time_machine.travel(NOW, tick=False)
def test_payloads_in_agency_names_and_issue_titles_stay_text_in_the_charts(world, client_for):
    make_criteria(world.plan, weights=(60, 40))
    rater = make_rater(world.plan, world.planner)
    for n, payload in enumerate(XSS_PAYLOADS):
        agency = make_agency(world.region, name=f"Dinas {n}", short_name=payload[:50])
        make_problem(agency, plan=world.plan, status=S.SUBMITTED)
        score_all(rater, {make_issue(world.plan, payload): [4, 3]})
    open_results(world.plan)
    html = client_for("planner").get(f"/rencana/{world.plan.pk}/").text
    assert 'id="dasbor-permasalahan-caption"' in html and 'id="dasbor-isu-caption"' in html
    assert_no_injection(html, "dashboard charts")
