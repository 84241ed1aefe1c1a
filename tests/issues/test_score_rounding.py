"""A strategic-issue score is rounded by one rule everywhere: half-up to two decimals.

Weights 67/33, rater A gives 5 and 5 (total 5), rater B 4 and 5 (total 4,33): the score is
exactly 4,665, which half-to-even would print as 4,66 and schools teach as 4,67.
"""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from drafts.blocks import Table, as_cell
from issues.blocks import strategic_issues
from issues.strategic import workflow as strategic
from issues.strategic.export import scoring_matrix
from regional.blocks import issue_scoring_matrix
from rpjmd.numbers import round_score
from tests.issues.strategic_factories import (
    make_criteria,
    make_issue,
    make_rater,
    open_results,
    score_all,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(4665, 1000), "4.67"),
        (4.665, "4.67"),  # the float 4.665 is 4.66499…: read as it is written
        (Decimal("4.665"), "4.67"),
        (Fraction(4655, 1000), "4.66"),  # half-up, not half to the even neighbour (4,66)
        (Fraction(2, 3), "0.67"),
        (Fraction(-4665, 1000), "-4.67"),
        (5, "5.00"),
    ],
)
def test_round_score_rounds_half_up(value, expected):
    assert str(round_score(value)) == expected


def test_round_score_keeps_a_missing_score_missing():
    assert round_score(None) is None


@pytest.fixture
def half_way(world):
    issue = make_issue(world.plan, "Pendidikan")
    make_criteria(world.plan, weights=(67, 33))
    score_all(make_rater(world.plan, world.planner), {issue: [5, 5]})
    score_all(make_rater(world.plan, world.resource_person), {issue: [4, 5]})
    open_results(world.plan)
    [row] = strategic.results(world.plan)
    assert row.score == Fraction(4665, 1000)
    return issue


def texts(table: Table) -> list[list[str]]:
    return [[as_cell(c).text for c in row] for row in table.rows]


def test_the_results_page_shows_4_67(world, client_for, half_way):
    page = client_for("planner").get(reverse("strategic:results", args=[world.plan.pk]))
    assert "4,67" in page.content.decode() and "4,66" not in page.content.decode()


def test_the_document_block_prints_4_67(world, half_way):
    [row] = texts(strategic_issues(world.plan))
    assert row[2] == "4,67"


def test_the_xlsx_gives_4_67(world, client_for, half_way):
    response = client_for("leader").get(reverse("strategic:export", args=[world.plan.pk]))
    ranking = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    assert ranking.cell(row=5, column=3).value == pytest.approx(4.67)
    assert ranking.cell(row=5, column=4).value == pytest.approx(0.67)  # spread 5 − 4,33


def test_the_scoring_matrices_round_rater_totals_the_same_way(world, half_way):
    lampiran = [row[-1] for row in texts(scoring_matrix(world.plan))]
    block = [row[-1] for row in texts(issue_scoring_matrix(world.plan))]
    assert sorted(lampiran) == sorted(block) == ["4,33", "5,00"]
