"""Problem pages: the list, one problem, its form, its review, its files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from issues import review as workflow
from issues.editing import save_problem
from issues.forms import (
    BulkReviewForm,
    ProblemFilterForm,
    ProblemForm,
    ReviewForm,
    indicator_formset,
    root_cause_formset,
)
from issues.history import problem_history
from issues.models import (
    Attachment,
    NotStrategic,
    Potential,
    Problem,
    baseline_years,
    deadline_for,
)
from issues.permissions import (
    can_create_problem,
    can_delete_problem,
    can_edit_factors,
    can_edit_potential,
    can_edit_problem,
    can_export,
    can_import,
    can_list_problems,
    can_manage_collection,
    can_review,
    can_see_history,
    can_submit,
    can_trace,
    owns,
)
from issues.similarity import similar_problems
from rpjmd.downloads import download
from rpjmd.models import Plan
from rpjmd.plans import remember_plan
from rpjmd.requests import AuthedRequest, is_partial, positive_int
from rpjmd.versioning import ROWS_GONE, Row, Stale, conflict_for, posted_stale, shown

PAGE_SIZE = 25


def visible_plan(request: AuthedRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("region"), pk=plan_id
    )
    remember_plan(request, plan)
    return plan


def _problem(request: AuthedRequest, pk: int) -> Problem:
    return get_object_or_404(
        Problem.objects.visible_to(request.user).select_related(
            "plan__region", "agency", "affair", "core_problem", "stage", "duplicate_of"
        ),
        pk=pk,
    )


def list_context(request: AuthedRequest, plan: Plan, params: QueryDict) -> dict:
    """The list's data for the given query (also used to redraw it after a bulk review)."""
    user = request.user
    form = ProblemFilterForm(params, plan=plan, user=user)
    problems = (
        Problem.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("agency", "affair", "core_problem")
        .prefetch_related("districts")
        # Searched in SQL, never shown: keep the wide column out of the sort.
        .defer("search_text")
    )
    if form.is_valid():
        problems = form.apply(problems)
    else:
        problems = problems.order_by(*form.ordering(form.DEFAULT_SORT))
    page = Paginator(problems, PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return {
        "plan": plan,
        "form": form,
        "page": page,
        "sort": form.sort_key,
        "query": query.urlencode(),
        "params": params,
        "filtered": any(v for k, v in params.items() if k not in ("page", "sort")),
        "can_review": can_review(user, plan),
        "can_create": can_create_problem(user, plan),
        "can_import": can_import(user, plan),
        "can_export": can_export(user, plan),
        "can_manage": can_manage_collection(user, plan),
        "bulk_form": BulkReviewForm(plan=plan, user=user) if can_review(user, plan) else None,
    }


@require_GET
def problem_list(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_list_problems(request.user, plan):
        raise PermissionDenied
    template = "issues/problem_list.html"
    if is_partial(request):
        template += "#results"
    return render(request, template, list_context(request, plan, request.GET))


@require_POST
def bulk_review(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """Accept, return or merge several problems at once from the list: all or none."""
    plan = visible_plan(request, plan_id)
    if not can_review(request.user, plan):
        raise PermissionDenied
    form = BulkReviewForm(request.POST, plan=plan, user=request.user)
    if form.is_valid():
        try:
            count = workflow.review_many(
                problems=form.cleaned_data["problems"],
                action=form.cleaned_data["action"],
                by=request.user,
                note=form.cleaned_data.get("note") or "",
                original=form.cleaned_data.get("original_problem"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(n)s permasalahan ditinjau.") % {"n": count})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    params = QueryDict(request.POST.get("query", ""))
    if request.htmx:
        request.GET = params  # pagination and sort links keep the list's query
        context = list_context(request, plan, params) | {"oob_messages": True}
        # The response is the refreshed list itself: no event, or #results would fetch again.
        return render(request, "issues/problem_list.html#results", context)
    url = reverse("issues:list", args=[plan.pk])
    return redirect(f"{url}?{params.urlencode()}" if params else url)


def missed_targets(problem: Problem) -> list[dict]:
    """The RPJMD indicators the problem cites, each with its last capaian and category."""
    first, last = problem.plan.previous_period
    years = list(range(first, last + 1))
    items = []
    for row in problem.missed_targets.select_related("plan").order_by("pk"):
        latest = row.latest_achievement(years)
        items.append(
            {"row": row, "latest": latest, "category": row.category(latest[0]) if latest else None}
        )
    return items


def detail_context(request: AuthedRequest, problem: Problem, review_form=None) -> dict:
    user = request.user
    plan = problem.plan
    indicators = list(problem.indicators.select_related("regional_series"))
    # The plan's baseline years, plus any other year an indicator has a figure for.
    years = sorted(
        set(baseline_years(plan)) | {int(y) for i in indicators for y in (i.values or {})}
    )
    duplicates = list(
        problem.duplicates.select_related("agency").prefetch_related("attachments", "indicators")
    )
    visible_duplicates = (
        set(
            Problem.objects.visible_to(user)
            .filter(pk__in=[d.pk for d in duplicates])
            .values_list("pk", flat=True)
        )
        if duplicates
        else set()
    )
    stage = workflow.identification_stage(problem)
    deadline = deadline_for(stage, problem.agency_id) if stage else None
    today = plan.region.today()
    traces = can_trace(user, plan)
    return {
        "plan": plan,
        "problem": problem,
        "years": years,
        "root_causes": list(problem.root_causes.all()),
        "indicators": [(i, i.series(years)) for i in indicators],
        "attachments": list(problem.attachments.all()),
        "transitions": list(problem.transitions.select_related("by")),
        "districts": list(problem.districts.all()),
        "priorities": list(problem.national_priorities.all()),
        "sdgs": list(problem.sdgs.all()),
        "long_term_goals": list(problem.long_term_goals.all()),
        "regional_missions": list(problem.regional_missions.all()),
        "missed_targets": missed_targets(problem),
        "duplicates": [(d, d.pk in visible_duplicates, d.indicators.all()) for d in duplicates],
        "original_visible": bool(
            problem.duplicate_of_id
            and Problem.objects.visible_to(user).filter(pk=problem.duplicate_of_id).exists()
        ),
        "stage": stage,
        "deadline": deadline,
        "submission_refusal": workflow.submission_window(
            stage=stage, agency=problem.agency, today=today, deadline=deadline
        ),
        "can_edit": can_edit_problem(user, problem),
        "can_submit": can_submit(user, problem) and problem.is_editable,
        "can_delete": can_delete_problem(user, problem),
        "can_review": can_review(user, problem),
        "can_edit_factors": can_edit_factors(user, problem),
        "factors": list(problem.factors.all()),
        "is_owner": owns(user, problem),
        "review_form": review_form or ReviewForm(plan=plan, user=user),
        # The planner reviewing it sees what it may duplicate, and merges in one step.
        "suggestions": similar_problems(
            user=user, plan=plan, text=problem.statement, exclude=problem.pk
        )
        if can_review(user, problem) and problem.status == Problem.Status.SUBMITTED
        else [],
        "history": problem_history(problem) if can_see_history(user, problem) else None,
        # Where the problem ended up (issue 5): planners and leaders, who see the issues.
        "strategic_issues": list(problem.strategic_issues.all()) if traces else [],
        "not_strategic": NotStrategic.objects.filter(problem=problem).first() if traces else None,
    }


@require_GET
def problem_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    remember_plan(request, problem.plan)
    template = "issues/problem_detail.html"
    if is_partial(request):
        template += "#workflow"
    return render(request, template, detail_context(request, problem))


@require_GET
def problem_similar(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """The fragment under the masalah field: what already exists like the text being typed."""
    plan = visible_plan(request, plan_id)
    if not can_list_problems(request.user, plan):
        raise PermissionDenied
    text = request.GET.get("statement", "")
    suggestions = similar_problems(
        user=request.user, plan=plan, text=text, exclude=positive_int(request.GET.get("problem"))
    )
    return render(
        request,
        "issues/_similar_problems.html",
        {"plan": plan, "suggestions": suggestions, "searched": bool(text.strip())},
    )


def _edit(request: AuthedRequest, plan: Plan, problem: Problem) -> HttpResponse:
    agency = problem.agency if problem.pk else request.user.agency
    all_affairs = bool(request.POST.get("all_affairs") or request.GET.get("semua_urusan"))
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ProblemForm(
        data, files, instance=problem, plan=plan, agency=agency, all_affairs=all_affairs
    )
    # Typing the masalah asks for similar problems already in the plan (issues:similar).
    form.fields["statement"].widget.attrs.update(
        {
            "hx-get": reverse("issues:similar", args=[plan.pk]),
            "hx-trigger": "input changed delay:400ms",
            "hx-target": "#similar-problems",
            "hx-swap": "outerHTML",
            "hx-sync": "this:replace",
            "aria-describedby": "similar-problems",
        }
    )
    if problem.pk:
        form.fields["statement"].widget.attrs["hx-vals"] = f'{{"problem": "{problem.pk}"}}'
    causes = root_cause_formset(data, instance=problem)
    indicators = indicator_formset(data, instance=problem, plan=plan)
    valid = request.method == "POST" and all(
        [form.is_valid(), causes.is_valid(), indicators.is_valid()]
    )
    # A stale form whose root causes or indicators no longer validate (a row it names was
    # deleted by the newer save) gets the conflict page too, not a puzzling field error.
    if valid or (request.method == "POST" and problem.pk and posted_stale(form)):
        created = problem.pk is None
        try:
            if not valid:
                # nosemgrep: rpjmd-views-fetch-through-visible-to - rereads a visible problem
                raise Stale(Problem.objects.get(pk=problem.pk))
            problem = save_problem(
                form=form, root_causes=causes, indicators=indicators, by=request.user
            )
        except Stale as stale:
            return _conflict(request, plan, stale.current, form, causes, indicators, all_affairs)
        messages.success(
            request,
            _("Permasalahan %(n)s disimpan sebagai draf. Ajukan ke Bappeda bila sudah lengkap.")
            % {"n": problem.number}
            if created or problem.status == Problem.Status.DRAFT
            else _("Perubahan permasalahan %(n)s disimpan.") % {"n": problem.number},
        )
        return redirect("issues:detail", problem.pk)
    return render(
        request,
        "issues/problem_form.html",
        {
            "plan": plan,
            "problem": problem if problem.pk else None,
            "form": form,
            "causes": causes,
            "indicators": indicators,
            "years": baseline_years(plan),
            "all_affairs": all_affairs,
            # A form re-rendered with errors shows the suggestions for what was typed.
            "suggestions": similar_problems(
                user=request.user,
                plan=plan,
                text=form.data.get("statement", "") if form.is_bound else problem.statement,
                exclude=problem.pk,
            ),
        },
    )


def _conflict(request, plan, current: Problem, form, causes, indicators, all_affairs):
    """409: the problem changed since the form was opened. Both sides are shown, the form keeps
    what was typed (files must be chosen again: a browser never sends them back)."""
    kept_causes = sorted(
        (f.cleaned_data for f in causes.forms if f.cleaned_data and f not in causes.deleted_forms),
        key=lambda c: c.get("order") or 0,
    )
    kept_indicators = [
        f.cleaned_data
        for f in indicators.forms
        if f.cleaned_data and f not in indicators.deleted_forms and f.cleaned_data.get("name")
    ]
    core = shown(current.core_problem)
    chosen, typed = form.core_problem_choice()
    rows = [
        Row(str(form.fields["core_problem"].label), core, shown(chosen or typed)),
        Row(
            _("Akar masalah"),
            numbered(c.text for c in current.root_causes.order_by("order", "pk")),
            numbered(c["text"] for c in kept_causes if (c.get("text") or "").strip()),
        ),
        Row(
            _("Indikator"),
            numbered(i.name for i in current.indicators.all()),
            numbered(i["name"] for i in kept_indicators),
        ),
    ]
    rows_valid = causes.is_valid() and indicators.is_valid()
    conflict = conflict_for(
        form,
        current,
        extra=rows,
        status=current.get_status_display(),
        can_overwrite=current.is_editable and rows_valid,
    )
    if not rows_valid:
        conflict.notes.append(str(ROWS_GONE))
    if form.cleaned_data.get("attachments"):
        conflict.notes.append(_("Lampiran yang Anda pilih belum diunggah: pilih lagi berkasnya."))
    return render(
        request,
        "issues/problem_form.html",
        {
            "plan": plan,
            "problem": current,
            "form": form,
            "causes": causes,
            "indicators": indicators,
            "years": baseline_years(plan),
            "all_affairs": all_affairs,
            "conflict": conflict,
        },
        status=409,
    )


def numbered(texts) -> str:
    lines = [f"{n}. {text}" for n, text in enumerate(texts, start=1)]
    return "\n".join(lines) if lines else "—"


def problem_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_create_problem(request.user, plan):
        raise PermissionDenied
    return _edit(request, plan, Problem(plan=plan, agency=request.user.agency))


def problem_update(request: AuthedRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    if not owns(request.user, problem):
        raise PermissionDenied
    # A form posted after the problem left the agency is answered by the save itself (409 with
    # what was typed), so the text is not lost on the way back.
    if not problem.is_editable and request.method != "POST":
        messages.error(
            request,
            _("Permasalahan %(n)s berstatus %(status)s dan tidak dapat diubah.")
            % {"n": problem.number, "status": problem.get_status_display().lower()},
        )
        return redirect("issues:detail", problem.pk)
    return _edit(request, problem.plan, problem)


@require_POST
def problem_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    if not can_submit(request.user, problem):
        raise PermissionDenied
    try:
        workflow.submit(problem=problem, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Permasalahan %(n)s diajukan ke Bappeda.") % {"n": problem.number}
        )
    return redirect("issues:detail", problem.pk)


@require_POST
def problem_review(request: AuthedRequest, pk: int) -> HttpResponse:
    """A planner's decision on one problem: in place with htmx, or a plain form."""
    problem = _problem(request, pk)
    if not can_review(request.user, problem):
        raise PermissionDenied
    form = ReviewForm(request.POST, plan=problem.plan, user=request.user)
    if form.is_valid():
        try:
            problem = workflow.review(
                problem=problem,
                action=form.cleaned_data["action"],
                by=request.user,
                note=form.cleaned_data.get("note") or "",
                original=form.cleaned_data.get("original_problem"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Permasalahan %(n)s kini %(status)s.")
                % {"n": problem.number, "status": problem.get_status_display().lower()},
            )
            if not request.htmx:
                return redirect("issues:detail", problem.pk)
            form = None
    problem = _problem(request, pk)
    context = detail_context(request, problem, review_form=form)
    if request.htmx:
        response = render(
            request,
            "issues/problem_detail.html#workflow",
            context | {"oob_messages": True},
        )
        return trigger_client_event(response, "problem-changed")
    return render(request, "issues/problem_detail.html", context)


@require_POST
def problem_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    if not can_delete_problem(request.user, problem):
        raise PermissionDenied
    plan_id, number = problem.plan_id, problem.number
    files = [a.file for a in problem.attachments.all()]
    with transaction.atomic():
        problem.delete()
        transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])
    messages.success(request, _("Draf %(n)s dihapus.") % {"n": number})
    return redirect("issues:list", plan_id)


def _attachment(request: AuthedRequest, pk: int) -> Attachment:
    # Evidence of a merged duplicate stays reachable from the original it was merged into.
    visible = Problem.objects.visible_to(request.user)
    reachable = (
        Q(problem__in=visible)
        | Q(problem__duplicate_of__in=visible)
        | Q(potential__in=Potential.objects.visible_to(request.user))
    )
    return get_object_or_404(
        Attachment.objects.filter(reachable).select_related("problem", "potential__plan__region"),
        pk=pk,
    )


@require_GET
def attachment_download(request: AuthedRequest, pk: int) -> FileResponse:
    attachment = _attachment(request, pk)
    return download(attachment.file, attachment.original_name, attachment.content_type)


@require_POST
def attachment_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    attachment = _attachment(request, pk)
    problem, potential = attachment.problem, attachment.potential
    allowed = (
        can_edit_problem(request.user, problem)
        if problem is not None
        else can_edit_potential(request.user, potential)
    )
    if not allowed:
        raise PermissionDenied
    name, stored = attachment.original_name, attachment.file
    with transaction.atomic():
        attachment.delete()
        transaction.on_commit(lambda: stored.storage.delete(stored.name))
    messages.success(request, _("Lampiran “%(name)s” dihapus.") % {"name": name})
    if problem is None:
        return redirect("issues:potential_detail", potential.pk)
    return redirect("issues:detail", problem.pk)
