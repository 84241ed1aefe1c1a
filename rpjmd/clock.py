"""Times in the reader's notation: 08.00 in Indonesian (PUEBI), 08:00 in English.

Templates and code write their formats once, with colons ("j F Y H:i T"); `notation` turns the
hour–minute–second colons into dots when Indonesian is active. The template library replaces
Django's `date` and `time` filters with ones that do this (settings: TEMPLATES builtins), so
every page, document and fragment follows the rule without each template knowing it.
"""

from __future__ import annotations

import re

from django import template
from django.template import defaultfilters
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()

# A colon between hour and minute (G, H, g, h then i) or minute and second (i then s).
_TIME_COLON = re.compile(r"(?<=[GHgh]):(?=i)|(?<=i):(?=s)")


def notation(format_string: str | None) -> str | None:
    if not format_string or not (get_language() or "").startswith("id"):
        return format_string
    return _TIME_COLON.sub(".", format_string)


def format_time(value, format_string: str) -> str:
    """`date_format` in the reader's notation, for text written in Python."""
    return formats.date_format(value, notation(format_string))


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    return defaultfilters.date(value, notation(arg))


@register.filter(expects_localtime=True, is_safe=False)
def time(value, arg=None):
    return defaultfilters.time(value, notation(arg))
