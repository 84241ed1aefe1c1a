from django import template

from fgd import terbilang

register = template.Library()


@register.filter
def ordinal_word(number: int) -> str:
    """{{ forloop.counter|ordinal_word }} → KESATU, KEDUA, …"""
    return terbilang.ordinal_word(int(number))
