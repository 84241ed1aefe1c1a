from django import template

from rpjmd.permissions import can_read_plan

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_in_view(context):
    """The plan the page belongs to: the view's own `plan` (a chapter, problem or FGD of a plan
    other than the one last opened), else the session's (`nav_plan`, rpjmd.context_processors);
    None on pages outside any plan and for visitors who are not logged in."""
    return context.get("plan") or context.get("nav_plan")


@register.simple_tag(takes_context=True)
def may_read_plan(context, plan) -> bool:
    """Whether the viewer may open the plan's framing (the RPJPD page): the menu links it exactly
    where the view lets in, so the plan in view and the region both count, not the role alone."""
    return plan is not None and can_read_plan(context["request"].user, plan)
