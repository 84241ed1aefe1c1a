"""Property-based tests of the strategic-issue ranking arithmetic (issues/strategic/scoring.py)."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from issues.strategic.scoring import compute_results

SCALE = (1, 5)


@st.composite
def scoring_sheets(draw, min_issues=1, complete=False):
    issues = draw(st.lists(st.integers(1, 500), min_size=min_issues, max_size=8, unique=True))
    criteria = draw(
        st.dictionaries(st.sampled_from("ABCDEF"), st.integers(1, 40), min_size=1, max_size=6)
    )
    raters = draw(
        st.lists(
            st.sampled_from(["rina", "sumedi", "agus", "muhyiddin", "wiyono"]),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    value = st.integers(*SCALE)
    scores = {}
    for rater in raters:
        for issue in issues:
            for criterion in criteria:
                if complete or draw(st.booleans()) or draw(st.booleans()):
                    scores[(rater, issue, criterion)] = draw(value)
    return issues, criteria, raters, scores


def ranking(results):
    return [(r.issue, r.rank, r.score) for r in results]


def test_weighted_score_is_the_mean_over_raters_of_the_weighted_values():
    criteria = {"dampak": 20, "daya_ungkit": 10, "kewenangan": 10}
    scores = {
        ("rina", 1, "dampak"): 5,
        ("rina", 1, "daya_ungkit"): 3,
        ("rina", 1, "kewenangan"): 4,
        ("agus", 1, "dampak"): 4,
        ("agus", 1, "daya_ungkit"): 4,
        ("agus", 1, "kewenangan"): 2,
        ("rina", 2, "dampak"): 3,
        ("rina", 2, "daya_ungkit"): 3,  # rina skipped one criterion
        ("agus", 2, "dampak"): 2,
        ("agus", 2, "daya_ungkit"): 5,
        ("agus", 2, "kewenangan"): 5,
    }
    first, second = compute_results(
        issues=[1, 2], criteria=criteria, raters=["rina", "agus"], scores=scores
    )
    # rina: (20*5 + 10*3 + 10*4)/40 = 4.25; agus: (80 + 40 + 20)/40 = 3.5; mean 3.875
    assert (first.issue, first.score, first.rank) == (1, Fraction(31, 8), 1)
    assert first.spread == Fraction(3, 4)
    assert first.missing_raters == ()
    # issue 2: only agus is complete: (40 + 50 + 50)/40 = 3.5
    assert (second.issue, second.score, second.rank) == (2, Fraction(7, 2), 2)
    assert second.missing_raters == ("rina",)


def test_ties_are_broken_by_the_heaviest_criterion_then_by_the_first_recorded_issue():
    criteria = {"berat": 30, "ringan": 10}
    scores = {
        ("rina", 7, "berat"): 4,
        ("rina", 7, "ringan"): 4,  # total 4
        ("rina", 3, "berat"): 5,
        ("rina", 3, "ringan"): 1,  # total (150+10)/40 = 4
        ("rina", 9, "berat"): 4,
        ("rina", 9, "ringan"): 4,  # same as issue 7
    }
    results = compute_results(issues=[9, 7, 3], criteria=criteria, raters=["rina"], scores=scores)
    assert [r.score for r in results] == [4, 4, 4]
    assert [r.issue for r in results] == [3, 7, 9]  # 3 wins on "berat"; 7 before 9 by id
    assert [r.rank for r in results] == [1, 2, 3]


def test_unscored_issues_come_last_without_a_rank():
    results = compute_results(
        issues=[1, 2], criteria={"a": 1}, raters=["rina"], scores={("rina", 2, "a"): 3}
    )
    assert [(r.issue, r.rank, r.score) for r in results] == [(2, 1, 3), (1, None, None)]


@settings(max_examples=150)
@given(scoring_sheets(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_the_order_of_raters_criteria_or_issues(sheet, rng):
    issues, criteria, raters, scores = sheet
    before = compute_results(issues=issues, criteria=criteria, raters=raters, scores=scores)
    shuffled_issues, shuffled_raters = issues[:], raters[:]
    rng.shuffle(shuffled_issues)
    rng.shuffle(shuffled_raters)
    items = list(criteria.items())
    rng.shuffle(items)
    score_items = list(scores.items())
    rng.shuffle(score_items)
    after = compute_results(
        issues=shuffled_issues,
        criteria=dict(items),
        raters=shuffled_raters,
        scores=dict(score_items),
    )
    assert ranking(after) == ranking(before)


@settings(max_examples=150)
@given(scoring_sheets(), st.integers(2, 50))
def test_scaling_all_weights_keeps_the_ranking(sheet, factor):
    issues, criteria, raters, scores = sheet
    before = compute_results(issues=issues, criteria=criteria, raters=raters, scores=scores)
    scaled = {c: w * factor for c, w in criteria.items()}
    after = compute_results(issues=issues, criteria=scaled, raters=raters, scores=scores)
    assert ranking(after) == ranking(before)


@settings(max_examples=150)
@given(scoring_sheets(min_issues=2, complete=True), st.integers(*SCALE))
def test_a_rater_who_scores_everything_equally_does_not_change_the_order(sheet, constant):
    issues, criteria, raters, scores = sheet
    before = compute_results(issues=issues, criteria=criteria, raters=raters, scores=scores)
    flat = dict(scores)
    for issue in issues:
        for criterion in criteria:
            flat[("datar", issue, criterion)] = constant
    after = compute_results(
        issues=issues, criteria=criteria, raters=[*raters, "datar"], scores=flat
    )
    assert [r.issue for r in after] == [r.issue for r in before]


@settings(max_examples=100)
@given(scoring_sheets(min_issues=2, complete=True))
def test_identical_issues_are_ordered_the_same_way_every_time(sheet):
    issues, criteria, raters, scores = sheet
    twin = max(issues) + 1
    copied = dict(scores)
    for (rater, issue, criterion), value in scores.items():
        if issue == issues[0]:
            copied[(rater, twin, criterion)] = value
    runs = {
        tuple(
            r.issue
            for r in compute_results(issues=order, criteria=criteria, raters=raters, scores=copied)
        )
        for order in (
            [*issues, twin],
            [twin, *reversed(issues)],
            sorted([*issues, twin]),
        )
    }
    assert len(runs) == 1
    ordered = next(iter(runs))
    assert ordered.index(issues[0]) < ordered.index(twin)  # the one recorded first wins the tie
