from django import template

from fgd import terbilang
from fgd.models import Input, Meeting, TabledProblem

register = template.Library()


@register.filter
def ordinal_word(number: int) -> str:
    """{{ forloop.counter|ordinal_word }} → KESATU, KEDUA, …"""
    return terbilang.ordinal_word(int(number))


@register.inclusion_tag("fgd/_problem_inputs.html", takes_context=True)
def problem_fgd_inputs(context, problem):
    """The problem page's "Masukan FGD": the FGDs that tabled it and the inputs that concern it.

    Whoever may read the problem reads these (the agency that handed it in learns what was said
    about it even if it was not invited); the FGD itself is linked only for those who see it."""

    user = context["request"].user
    inputs = list(
        Input.objects.filter(problems=problem)
        .select_related("meeting", "resource_person", "agency", "guest")
        .order_by("meeting__starts_at", "created_at", "pk")
    )
    tablings = list(
        TabledProblem.objects.filter(problem=problem)
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")
    )
    meeting_ids = {i.meeting_id for i in inputs} | {t.meeting_id for t in tablings}
    visible = set(
        Meeting.objects.visible_to(user).filter(pk__in=meeting_ids).values_list("pk", flat=True)
    )
    return {"inputs": inputs, "tablings": tablings, "visible_meetings": visible}
