"""Where FGD inputs landed: the planner links a strategic issue to the inputs that proposed or
shaped it. The link belongs to the input (fgd sits above issues); the page keeps the address
users know, under the strategic issue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fgd.forms import InputLinkForm
from fgd.workflow import link_inputs_to_issue
from issues.models import StrategicIssue
from issues.permissions import can_manage_strategic
from rpjmd.permissions import get_visible_or_404
from rpjmd.requests import AuthedRequest


def issue_inputs(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = get_visible_or_404(
        request,
        StrategicIssue.objects.visible_to(request.user).select_related("plan__region"),
        pk=pk,
    )
    if not can_manage_strategic(request.user, issue.plan):
        raise PermissionDenied
    form = InputLinkForm(
        request.POST if request.method == "POST" else None,
        plan=issue.plan,
        initial={"fgd_inputs": list(issue.fgd_inputs.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        link_inputs_to_issue(issue=issue, inputs=form.cleaned_data["fgd_inputs"], by=request.user)
        messages.success(request, _("Masukan FGD terkait disimpan."))
        return redirect("strategic:detail", issue.pk)
    return render(
        request,
        "strategic/form.html",
        {
            "plan": issue.plan,
            "issue": issue,
            "title": _("Masukan FGD yang mengusulkan atau membentuk isu ini"),
            "form": form,
            "submit": _("Simpan"),
            "cancel": ("strategic:detail", issue.pk),
            "intro": _("Masukan berjenis “Usulan isu strategis” paling sering relevan."),
        },
    )
