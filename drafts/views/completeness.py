"""The kelengkapan page: what the check finds before an export, and the waivers (issue 12)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from drafts import completeness
from drafts.access import document_for
from drafts.permissions import can_manage_document, can_see_exports
from rpjmd.requests import AuthedRequest, positive_int


def completeness_page(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """GET: the findings of the live document (or of `?snapshot=`); POST (planners): waive a
    finding with a reason (`action=waive`) or withdraw a waiver (`action=withdraw`)."""
    document = document_for(request, plan_id)
    if not can_see_exports(request.user, document):
        raise PermissionDenied
    can_waive = can_manage_document(request.user, document.plan)
    source = request.POST.get("snapshot") or request.GET.get("snapshot", "")
    number = positive_int(source)
    snapshot = document.snapshots.filter(pk=number).first() if number else None
    here = reverse("drafts:completeness", args=[plan_id])
    if snapshot is not None:
        here += f"?snapshot={snapshot.pk}"
    if request.method == "POST":
        if not can_waive:
            raise PermissionDenied
        key = request.POST.get("key", "")[:200]
        if request.POST.get("action") == "withdraw":
            completeness.withdraw(document=document, key=key)
            messages.success(request, _("Pengecualian dicabut."))
            return redirect(here)
        try:
            completeness.waive(
                document=document,
                key=key,
                reason=request.POST.get("reason", "")[:1000],
                by=request.user,
                snapshot=snapshot,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Temuan dikecualikan; alasannya dicatat."))
        return redirect(here)
    findings = completeness.check_document(document, snapshot)
    return render(
        request,
        "drafts/completeness.html",
        {
            "plan": document.plan,
            "document": document,
            "snapshot": snapshot,
            "snapshots": document.snapshots.only("pk", "name"),
            "findings": findings,
            "open": sum(1 for f in findings if f.is_open),
            "can_waive": can_waive,
        },
    )
