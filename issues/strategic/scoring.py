"""The arithmetic of ranking strategic issues (isu strategis), kept apart from the database.

Each rater gives every issue a value on the plan's scale for every criterion. For one rater and
one issue the *weighted total* is the weighted mean of those values:

    total(r, i) = Σ_c weight_c × value(r, i, c) / Σ_c weight_c

so it stays on the scale (for example 1–5) whatever the weights add up to. An issue's *score*
is the mean of the totals of the raters who scored it on every criterion; raters who did not are
*missing* for that issue and do not count. The *spread* is the difference between the highest
and the lowest rater total.

Ranking (the tie-break rule, documented for the berita acara):
1. the higher score;
2. then the higher mean value on each criterion in turn, heaviest criterion first (criteria of
   equal weight in the order of their key);
3. then the issue recorded first (lower id).
Issues nobody has fully scored come last, unranked.

All arithmetic is exact (fractions), so equal scores are really equal and the ranking does not
depend on the order in which raters, criteria or issues are given.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

Key = Hashable


@dataclass(frozen=True)
class IssueResult:
    issue: Key
    score: Fraction | None
    rater_totals: dict[Key, Fraction]
    criterion_means: dict[Key, Fraction]
    missing_raters: tuple[Key, ...]
    rank: int | None

    @property
    def spread(self) -> Fraction | None:
        totals = self.rater_totals.values()
        return max(totals) - min(totals) if totals else None

    @property
    def stdev(self) -> float | None:
        totals = list(self.rater_totals.values())
        return statistics.pstdev(float(t) for t in totals) if totals else None


def compute_results(
    *,
    issues: Iterable[Key],
    criteria: Mapping[Key, int | Fraction],
    raters: Iterable[Key],
    scores: Mapping[tuple[Key, Key, Key], int | Fraction],
) -> list[IssueResult]:
    """Rank issues from `scores[(rater, issue, criterion)] = value`; weights must be positive."""
    weights = {c: Fraction(w) for c, w in criteria.items()}
    if not weights or any(w <= 0 for w in weights.values()):
        raise ValueError("every criterion needs a positive weight")
    weight_sum = sum(weights.values())
    raters = sorted(set(raters), key=repr)
    results = []
    for issue in set(issues):
        totals: dict[Key, Fraction] = {}
        missing = []
        for rater in raters:
            values = [scores.get((rater, issue, c)) for c in weights]
            if any(v is None for v in values):
                missing.append(rater)
                continue
            totals[rater] = (
                sum(
                    (weights[c] * Fraction(v) for c, v in zip(weights, values, strict=True)),
                    Fraction(0),
                )
                / weight_sum
            )
        complete = list(totals)
        means = (
            {
                c: sum((Fraction(scores[(r, issue, c)]) for r in complete), Fraction(0))
                / len(complete)
                for c in weights
            }
            if complete
            else {}
        )
        score = sum(totals.values(), Fraction(0)) / len(totals) if totals else None
        results.append(IssueResult(issue, score, totals, means, tuple(missing), rank=None))

    by_weight = sorted(weights, key=lambda c: (-weights[c], repr(c)))

    def order(result: IssueResult):
        if result.score is None:
            return (1, (), result.issue)
        return (0, (-result.score, *(-result.criterion_means[c] for c in by_weight)), result.issue)

    ranked = sorted(results, key=order)
    return [
        IssueResult(
            r.issue,
            r.score,
            r.rater_totals,
            r.criterion_means,
            r.missing_raters,
            rank=index + 1 if r.score is not None else None,
        )
        for index, r in enumerate(ranked)
    ]
