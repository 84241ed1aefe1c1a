"""Snapshots: freeze the document, read a snapshot, compare two, approve one as final."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from drafts import snapshots as workflow
from drafts.access import document_for, snapshot_for
from drafts.forms import SnapshotForm
from drafts.permissions import can_approve_snapshot, can_manage_document
from rpjmd.requests import AuthedRequest


def snapshot_list(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """GET lists the snapshots; POST (planners) takes a new one."""
    doc = document_for(request, plan_id)
    can_take = can_manage_document(request.user, doc.plan)
    form = SnapshotForm(document=doc)
    if request.method == "POST":
        if not can_take:
            raise PermissionDenied
        form = SnapshotForm(request.POST, document=doc)
        if form.is_valid():
            try:
                snapshot = workflow.take_snapshot(
                    document=doc, name=form.cleaned_data["name"], by=request.user
                )
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(
                    request,
                    _("Versi beku “%(name)s” dibuat: %(n)s bagian dibekukan.")
                    % {"name": snapshot.name, "n": snapshot.entries.count()},
                )
                return redirect("drafts:snapshot", snapshot.pk)
    snapshots = list(doc.snapshots.select_related("created_by", "approved_by"))
    return render(
        request,
        "drafts/snapshot_list.html",
        {
            "plan": doc.plan,
            "document": doc,
            "snapshots": snapshots,
            "form": form,
            "can_take": can_take,
        },
    )


@require_GET
def snapshot(request: AuthedRequest, pk: int) -> HttpResponse:
    item = snapshot_for(request, pk)
    assembled = workflow.assemble_snapshot(item)
    chapters = [
        (chapter, [(s, assembled.render(s)) for s in chapter.sections])
        for chapter in assembled.chapters
    ]
    return render(
        request,
        "drafts/snapshot.html",
        {
            "plan": item.document.plan,
            "snapshot": item,
            "chapters": chapters,
            "can_approve": can_approve_snapshot(request.user, item.document.plan),
            "others": item.document.snapshots.exclude(pk=item.pk).only("pk", "name", "created_at"),
        },
    )


@require_POST
def snapshot_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    item = snapshot_for(request, pk)
    if not can_approve_snapshot(request.user, item.document.plan):
        raise PermissionDenied
    if request.POST.get("final", "1") == "1":
        try:
            workflow.approve_snapshot(snapshot=item, by=request.user)
        except ValidationError as error:
            messages.error(request, workflow.refusal_html(error))
            if not getattr(error, "findings", None):  # the kelengkapan check: its own page
                url = reverse("drafts:completeness", args=[item.document.plan_id])
                return redirect(f"{url}?snapshot={item.pk}")
        else:
            messages.success(
                request, _("“%(name)s” disetujui sebagai dokumen final.") % {"name": item.name}
            )
    else:
        workflow.revoke_snapshot(snapshot=item, by=request.user)
        messages.success(request, _("Persetujuan final “%(name)s” dicabut.") % {"name": item.name})
    return redirect("drafts:snapshot", item.pk)


@require_GET
def snapshot_compare(request: AuthedRequest, plan_id: int) -> HttpResponse:
    doc = document_for(request, plan_id)
    snapshots = list(doc.snapshots.all())
    by_id = {str(s.pk): s for s in snapshots}
    old, new = by_id.get(request.GET.get("a", "")), by_id.get(request.GET.get("b", ""))
    if (old is None or new is None) and len(snapshots) >= 2:
        new, old = new or snapshots[0], old or snapshots[1]
    changes = workflow.compare_snapshots(old, new) if old and new and old != new else []
    return render(
        request,
        "drafts/snapshot_compare.html",
        {
            "plan": doc.plan,
            "document": doc,
            "snapshots": snapshots,
            "old": old,
            "new": new,
            "changes": changes,
        },
    )
