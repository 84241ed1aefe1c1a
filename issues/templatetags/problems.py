from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value) -> str:
    """A figure as typed, in the reader's locale: 9.10 → "9,1" (id), 1234.5 → "1.234,5"."""
    if value in (None, ""):
        return "—"
    try:
        number = Decimal(str(value)).normalize()
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return number_format(number, use_l10n=True, force_grouping=True)
