"""Comments on a section: post (with an optional quoted passage), reply, resolve and reopen."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from drafts import comments as workflow
from drafts.access import comment_for, section_for
from drafts.forms import CommentForm
from drafts.models import Comment
from drafts.permissions import can_comment, can_resolve_comment
from drafts.views.sections import comment_context
from rpjmd.requests import AuthedRequest


def _respond(request: AuthedRequest, section, anchor: str = "") -> HttpResponse:
    if request.htmx:
        context = {"section": section, "oob_messages": True, **comment_context(request, section)}
        return render(request, "drafts/section.html#comments", context)
    return redirect(reverse("drafts:section", args=[section.pk]) + anchor)


@require_POST
def comment_create(request: AuthedRequest, pk: int) -> HttpResponse:
    section = section_for(request, pk)
    if not can_comment(request.user, section):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
        return _respond(request, section)
    parent = None
    if form.cleaned_data.get("parent"):
        # nosemgrep: rpjmd-views-fetch-through-visible-to - scoped to a section the user may see
        parent = Comment.objects.filter(section=section, pk=form.cleaned_data["parent"]).first()
        if parent is None:
            messages.error(request, _("Komentar yang dibalas tidak ditemukan."))
            return _respond(request, section)
    try:
        comment, unreachable = workflow.add_comment(
            section=section,
            by=request.user,
            body=form.cleaned_data["body"],
            quote=form.cleaned_data["quote"],
            prefix=form.cleaned_data["prefix"],
            suffix=form.cleaned_data["suffix"],
            parent=parent,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _respond(request, section)
    messages.success(request, _("Komentar terkirim."))
    if unreachable:
        messages.warning(
            request,
            _("Tidak diberi tahu (tidak dikenal atau tidak dapat membaca bagian ini): %(names)s")
            % {"names": ", ".join(f"@{n}" for n in unreachable)},
        )
    return _respond(request, section, f"#komentar-{comment.pk}")


@require_POST
def comment_resolve(request: AuthedRequest, pk: int) -> HttpResponse:
    comment = comment_for(request, pk)
    if not can_resolve_comment(request.user, comment):
        raise PermissionDenied
    resolved = request.POST.get("resolved", "1") == "1"
    workflow.set_resolved(comment=comment, resolved=resolved, by=request.user)
    messages.success(
        request, _("Diskusi ditandai selesai.") if resolved else _("Diskusi dibuka kembali.")
    )
    return _respond(request, comment.section, f"#komentar-{(comment.parent or comment).pk}")
