"""Rounding of strategic-issue scores: one rule for every place a score is shown.

Half-up (4,665 → 4,67), as taught in Indonesian schools and as a planner checks by hand, not
Python's and Decimal's default half-to-even (4,665 → 4,66). The app page, the XLSX, the
document's data blocks and the lampiran's scoring matrix all call `round_score`, so a score
reads the same wherever it is printed.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

SCORE_PLACES = 2


def round_score(value, places: int = SCORE_PLACES) -> Decimal | None:
    """`value` (exact Fraction, Decimal, int, or float as written) to `places` decimals, half
    away from zero. None stays None (a score nobody gave)."""
    if value is None:
        return None
    # A float counts as the decimal it prints as (4.665, not 4.66499999…).
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    scaled = abs(exact) * 10**places
    whole = math.floor(scaled + Fraction(1, 2))
    if exact < 0:
        whole = -whole
    return Decimal(whole).scaleb(-places).quantize(Decimal(1).scaleb(-places))
