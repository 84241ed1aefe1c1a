"""Problems tabled for an FGD: the planner picks them, everyone invited reads their evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fgd import permissions as perm
from fgd.forms import TablingFilterForm, TablingForm
from fgd.models import TabledProblem
from fgd.views import meeting_for_planner, part_of_meeting
from fgd.workflow import WorkflowError, table_problems, tableable_problems, untable_problem
from rpjmd.requests import AuthedRequest, is_partial

PAGE_SIZE = 50


def tabling(request: AuthedRequest, pk: int) -> HttpResponse:
    """Pick the problems to discuss: tick some, or table every one of a bidang urusan or an
    agency at once. The filter is a GET form (htmx redraws the list); tabling is a POST."""
    meeting = meeting_for_planner(request, pk)
    if meeting.is_closed:
        messages.error(
            request, _("FGD sudah ditutup: permasalahan yang dibahas tidak dapat diubah lagi.")
        )
        return redirect(reverse("fgd:meeting_detail", args=[meeting.pk]) + "#permasalahan")
    candidates = (
        tableable_problems(meeting, request.user)
        .select_related("agency", "affair", "core_problem")
        .defer("search_text")
        .annotate(
            is_tabled=Exists(TabledProblem.objects.filter(meeting=meeting, problem=OuterRef("pk")))
        )
        .order_by("affair__code", "agency__name", "pk")
    )
    params = request.POST if request.method == "POST" else request.GET
    filters = TablingFilterForm(params, candidates=candidates)
    shown = filters.apply(candidates)
    open_ones = shown.filter(is_tabled=False)
    form = TablingForm(
        request.POST if request.method == "POST" else None,
        choices=open_ones,
        narrowed=filters.narrowed,
    )
    if request.method == "POST" and form.is_valid():
        chosen = open_ones if form.cleaned_data["all"] else form.cleaned_data["problems"]
        try:
            added = table_problems(meeting=meeting, problems=chosen, by=request.user)
        except WorkflowError as error:
            form.add_error(None, error.text)
        else:
            messages.success(
                request,
                _("%(n)s permasalahan ditambahkan ke bahasan FGD.") % {"n": added}
                if added
                else _("Semua permasalahan yang dipilih sudah dibahas."),
            )
            url = reverse("fgd:tabling", args=[meeting.pk])
            query = filters.query()
            return redirect(f"{url}?{query}" if query else url)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "fgd/tabling.html"
    if is_partial(request):
        template += "#candidates"
    return render(
        request,
        template,
        {
            "meeting": meeting,
            "filters": filters,
            "form": form,
            "page": page,
            "open_count": open_ones.count(),
            "tabled_total": meeting.tabled_problems.count(),
        },
    )


@require_POST
def tabled_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    tabled = part_of_meeting(request, TabledProblem, pk, "meeting__plan", "problem")
    if not perm.can_run(request.user, tabled.meeting):
        raise PermissionDenied
    try:
        untable_problem(tabled=tabled, by=request.user)
    except WorkflowError as error:
        messages.error(request, error.text)
    else:
        messages.success(
            request,
            _("Permasalahan %(n)s tidak lagi dibahas dalam FGD ini.")
            % {"n": tabled.problem.number},
        )
    return redirect(reverse("fgd:meeting_detail", args=[tabled.meeting_id]) + "#permasalahan")
