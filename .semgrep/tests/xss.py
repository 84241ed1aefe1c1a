from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def title(problem):
    # ruleid: rpjmd-no-mark-safe
    return mark_safe(f"<b>{problem.title}</b>")


def body(problem):
    # ruleid: rpjmd-no-mark-safe
    return SafeString(problem.body)


def heading(problem):
    # ok: rpjmd-no-mark-safe
    return format_html("<b>{}</b>", problem.title)
