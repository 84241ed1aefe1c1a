"""The ranking of strategic issues as a chart: each issue's score, split by criterion.

Used by the dashboard and by the document's figure block. The score (issues/strategic/scoring.py)
is Σ_c weight_c × mean_c / Σ_c weight_c, so each criterion's share of the bar is its weighted
mean value and the bar's length is the score the results page shows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from issues.models import Criterion, Rater, Score, StrategicIssue
from issues.strategic.scoring import compute_results
from rpjmd.charts import PALETTE, Chart, Series
from rpjmd.models import Plan


def score_chart(plan: Plan, *, key: str = "skor-isu", limit: int | None = None) -> Chart:
    """Ranked issues (fully scored ones only), best first; at most `limit` of them."""
    issues = {i.pk: i.title for i in StrategicIssue.objects.filter(plan=plan)}
    criteria = list(Criterion.objects.filter(plan=plan, weight__gt=0))
    raters = list(Rater.objects.filter(plan=plan).values_list("pk", flat=True))
    weights = {c.pk: c.weight for c in criteria}
    ranked = []
    if issues and criteria:
        scores = {
            (rater, issue, criterion): value
            for rater, issue, criterion, value in Score.objects.filter(
                rater__plan=plan, criterion_id__in=weights
            ).values_list("rater_id", "issue_id", "criterion_id", "value")
        }
        results = compute_results(issues=issues, criteria=weights, raters=raters, scores=scores)
        ranked = [r for r in results if r.rank is not None][:limit]
    total = Fraction(sum(weights.values()) or 1)
    categories = [f"{r.rank}. {issues[r.issue]}" for r in ranked]
    series = [
        Series(
            label=criterion.name,
            values=[
                round(float(r.criterion_means[criterion.pk] * criterion.weight / total), 2)
                for r in ranked
            ],
            colour=PALETTE[index % len(PALETTE)],
        )
        for index, criterion in enumerate(criteria)
    ]
    # The bar ends with the exact score, rounded once (half up, as the results page shows
    # it), not with the sum of its rounded parts.
    shown = [
        number_format(
            (Decimal(r.score.numerator) / Decimal(r.score.denominator)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            ),
            2,
        )
        for r in ranked
    ]
    return Chart(
        key=key,
        title=_("Skor isu strategis menurut kriteria"),
        description="; ".join(
            _("%(issue)s: skor %(score)s") % {"issue": category, "score": score}
            for category, score in zip(categories, shown, strict=True)
        ),
        categories=categories,
        series=series,
        notes=shown,
        show_sum=False,
        unit=_("skor tertimbang (bagian tiap kriteria)"),
        decimals=2,
    )
