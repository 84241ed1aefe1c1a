"""The demo's evaluation of RPJMD 2016–2021 and its RPJPD, as `manage.py demo` loads them."""

from drafts.blocks import LiveBlocks, as_cell
from drafts.models import Section
from issues.models import Problem
from regional.models import RegionalIndicator, evaluation_years
from rpjmd.models import Plan, RegionalLongTermPlan


def test_the_demo_evaluates_rpjmd_2016_2021_in_chapter_four_with_cited_misses(demo):
    plan = Plan.objects.get(start_year=2021)
    rows = RegionalIndicator.objects.evaluations().filter(plan=plan)
    assert rows.count() >= 6 and rows.filter(status="submitted").exists()
    figures = {int(y) for r in rows for y in [*r.actuals, *r.targets]}
    assert figures == {2016, 2017, 2018, 2019}  # nothing after the spring of 2020
    assert all("ilustrasi" in r.source for r in rows)  # no row passes for published data

    table = LiveBlocks(plan)("evaluasi-rpjmd-lalu")
    assert "2016–2021" in table.caption and "ilustrasi" in table.source
    categories = {as_cell(row[-1]).text for row in table.rows if len(row) > 1}
    assert {"Sangat tinggi", "Tinggi", "Sedang", "Rendah", "Sangat rendah"} <= categories
    section = Section.objects.get(chapter__document__plan=plan, title="Permasalahan Pembangunan")
    assert 'data-block="evaluasi-rpjmd-lalu"' in section.body

    years = evaluation_years(plan)
    cited = RegionalIndicator.objects.filter(citing_problems__plan=plan).distinct()
    assert cited.count() == 3 and all(row.missed(years) for row in cited)
    problems = Problem.objects.filter(missed_targets__in=cited).select_related("affair")
    assert {p.affair.code for p in problems} == {"1.01", "1.02", "1.03"}


def test_the_demo_enters_kutai_kartanegaras_rpjpd_marked_illustrative(demo):
    plan = Plan.objects.get(start_year=2021)
    rpjpd = RegionalLongTermPlan.objects.get(region=plan.region)
    assert (rpjpd.first_year, rpjpd.last_year) == (2025, 2045)
    assert "ilustrasi" in rpjpd.legal_basis and rpjpd.missions.count() == 5
    assert set(rpjpd.directions) == {"2025-2029", "2030-2034", "2035-2039", "2040-2045"}
    # The 2021–2026 plan stays with RPJMN 2020–2024 and is offered no long-term plan.
    assert plan.rpjmn_period == "2020-2024" and plan.regional_long_term_plan() is None
