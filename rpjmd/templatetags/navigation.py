from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_in_view(context):
    """The plan the page belongs to: the view's own `plan` (a chapter, problem or FGD of a plan
    other than the one last opened), else the session's (`nav_plan`, rpjmd.context_processors);
    None on pages outside any plan and for visitors who are not logged in."""
    return context.get("plan") or context.get("nav_plan")
