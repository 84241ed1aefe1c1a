from django import template
from django.utils.formats import number_format

from rpjmd.numbers import SCORE_PLACES, round_score

register = template.Library()


@register.filter
def score(value) -> str:
    """A strategic-issue score as the PDF and the XLSX give it: two decimals, half-up (4,67)."""
    rounded = round_score(value)
    if rounded is None:
        return "—"
    return number_format(rounded, decimal_pos=SCORE_PLACES, use_l10n=True)
