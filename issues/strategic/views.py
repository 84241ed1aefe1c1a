"""Strategic issue pages (isu strategis): list and unmapped problems, one issue, criteria,
raters, the scoring sheet, results and adoption, the XLSX annex and traceability."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from issues.models import (
    Alignment,
    Criterion,
    IssueChange,
    NotStrategic,
    Potential,
    Problem,
    Rater,
    Score,
    StrategicIssue,
    StrategicSettings,
)
from issues.permissions import (
    can_export_results,
    can_manage_strategic,
    can_score,
    can_see_results,
    can_trace,
    can_view_strategic,
)
from issues.strategic import workflow as strategic
from issues.strategic.export import results_workbook
from issues.strategic.forms import (
    AdoptForm,
    AlignmentForm,
    CriteriaFormSet,
    MergeForm,
    ProblemPickForm,
    RatersForm,
    ScaleForm,
    SplitForm,
    StrategicIssueForm,
    UnmappedForm,
)
from issues.uploads import XLSX
from issues.views import visible_plan
from rpjmd import audit
from rpjmd.downloads import download
from rpjmd.models import Agency, Plan
from rpjmd.permissions import get_visible_or_404
from rpjmd.requests import AuthedRequest, is_partial, positive_int
from rpjmd.versioning import (
    ROWS_GONE,
    Row,
    Stale,
    conflict_for,
    posted_stale,
    save_if_current,
    save_or_conflict,
)


def _plan(request: AuthedRequest, plan_id: int, check) -> Plan:
    plan = visible_plan(request, plan_id)
    if not check(request.user, plan):
        raise PermissionDenied
    return plan


def _issue(request: AuthedRequest, pk: int, check=can_view_strategic) -> StrategicIssue:
    issue = get_visible_or_404(
        request,
        StrategicIssue.objects.visible_to(request.user).select_related("plan__region"),
        pk=pk,
    )
    if not check(request.user, issue.plan):
        raise PermissionDenied
    return issue


def _form_page(request, *, plan, title, form, submit, cancel, issue=None, intro="", conflict=None):
    return _render(
        request,
        "strategic/form.html",
        {
            "plan": plan,
            "issue": issue,
            "title": title,
            "form": form,
            "submit": submit,
            "cancel": cancel,
            "intro": intro,
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Every page gets what its sub-navigation needs: the sheet tab for raters, the results tab
    for planners and, once open, for everyone who may read the issues."""
    plan = context["plan"]
    results_open = StrategicSettings.for_plan(plan).results_open
    context = {
        "can_score": can_score(request.user, plan),
        "results_tab": can_see_results(request.user, plan, results_open=results_open),
    } | context
    return render(request, template, context, status=status)


def _data(request):
    # Not `request.POST or None`: an empty POST (nothing ticked) is a real answer.
    return request.POST if request.method == "POST" else None


def _errors_to_messages(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- List, unmapped problems ----------------------------------------------------------------


@require_GET
def issue_list(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id, can_view_strategic)
    manage = can_manage_strategic(request.user, plan)
    issues = (
        StrategicIssue.objects.filter(plan=plan)
        .select_related("lead_agency")
        .annotate(
            problem_count=Count("problems", distinct=True),
            input_count=Count("fgd_inputs", distinct=True),
        )
    )
    context = {
        "plan": plan,
        "issues": issues,
        "can_manage": manage,
        "can_score": can_score(request.user, plan),
        "can_trace": can_trace(request.user, plan),
        "settings": StrategicSettings.for_plan(plan),
        "changes": IssueChange.objects.filter(plan=plan).select_related("by")[:20],
    }
    if manage:
        unmapped = strategic.unmapped_problems(plan)
        context |= {
            "unmapped": unmapped,
            "unmapped_form": UnmappedForm(plan=plan, problems=unmapped),
            "not_strategic": NotStrategic.objects.filter(problem__plan=plan)
            .select_related("problem__agency")
            .order_by("problem__pk"),
            "accepted_count": strategic.accepted_problems(plan).count(),
            # What keeps a final snapshot back, before a leader tries to approve one.
            "findings": strategic.coherence_findings(plan),
        }
    return _render(request, "strategic/list.html", context)


@require_POST
def unmapped_action(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id, can_manage_strategic)
    if request.POST.get("restore"):
        problem = get_visible_or_404(
            request,
            Problem.objects.visible_to(request.user).filter(plan=plan),
            pk=positive_int(request.POST["restore"]) or 0,
        )
        strategic.restore_problem(problem)
        messages.success(request, _("%(n)s kembali ke daftar belum dipetakan.") % {"n": problem})
        return redirect("strategic:list", plan.pk)
    form = UnmappedForm(request.POST, plan=plan, problems=strategic.unmapped_problems(plan))
    if not form.is_valid():
        _errors_to_messages(request, form)
        return redirect("strategic:list", plan.pk)
    problems = list(form.cleaned_data["problems"])
    if form.cleaned_data["action"] == "exclude":
        count = strategic.mark_not_strategic(
            problems=problems, reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(
            request, _("%(n)s permasalahan ditandai bukan isu strategis.") % {"n": count}
        )
        return redirect("strategic:list", plan.pk)
    issue = strategic.move_problems(
        plan=plan,
        problems=problems,
        issue=form.cleaned_data["issue"],
        new_title=form.cleaned_data["new_title"],
        by=request.user,
    )
    messages.success(
        request,
        _("%(n)s permasalahan dipindahkan ke “%(issue)s”.") % {"n": len(problems), "issue": issue},
    )
    return redirect("strategic:list", plan.pk)


# --- One issue ------------------------------------------------------------------------------


def issue_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id, can_manage_strategic)
    form = StrategicIssueForm(_data(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        issue = form.save(commit=False)
        issue.plan, issue.created_by = plan, request.user
        with transaction.atomic():
            issue.save()
            form.save_m2m()
        messages.success(request, _("Isu strategis “%(t)s” dibuat.") % {"t": issue.title})
        return redirect("strategic:detail", issue.pk)
    return _form_page(
        request,
        plan=plan,
        title=_("Isu strategis baru"),
        form=form,
        submit=_("Simpan"),
        cancel=("strategic:list", plan.pk),
    )


def issue_update(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk, can_manage_strategic)
    form = StrategicIssueForm(_data(request), instance=issue, plan=issue.plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = save_or_conflict(form)
        if conflict is None:
            messages.success(request, _("Isu strategis disimpan."))
            return redirect("strategic:detail", issue.pk)
    return _form_page(
        request,
        plan=issue.plan,
        issue=issue,
        title=_("Ubah isu strategis"),
        form=form,
        submit=_("Simpan isian saya di atas versi tersimpan") if conflict else _("Simpan"),
        cancel=("strategic:detail", issue.pk),
        conflict=conflict,
    )


@require_GET
def issue_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk)
    plan = issue.plan
    visible = Problem.objects.visible_to(request.user)
    return _render(
        request,
        "strategic/detail.html",
        {
            "plan": plan,
            "issue": issue,
            "problems": issue.problems.filter(pk__in=visible.values("pk"))
            .select_related("agency", "core_problem")
            .defer("search_text"),
            "hidden_problems": issue.problems.exclude(pk__in=visible.values("pk")).count(),
            "inputs": issue.fgd_inputs.select_related(
                "meeting", "agency", "resource_person", "guest"
            ),
            "alignments": issue.alignments.select_related(
                "national_priority", "sdg", "long_term_goal", "regional_mission"
            ),
            "supporting": issue.supporting_agencies.all(),
            # The potensi the issue builds on, those this reader may open.
            "potentials": issue.potentials.filter(
                pk__in=Potential.objects.visible_to(request.user).values("pk")
            ).select_related("affair"),
            "can_manage": can_manage_strategic(request.user, plan),
            "alignment_form": AlignmentForm(plan=plan),
        },
    )


def issue_problems(request: AuthedRequest, pk: int) -> HttpResponse:
    """The filterable picker: accepted problems by agency and words; ticked ones are linked."""
    issue = _issue(request, pk, can_manage_strategic)
    plan = issue.plan
    choices = strategic.accepted_problems(plan).select_related("agency").defer("search_text")
    agency_id = positive_int(request.GET.get("agency"))
    words = request.GET.get("q", "")
    if agency_id is not None:
        choices = choices.filter(agency_id=agency_id)
    if words:
        choices = choices.search(words)
    choices = choices.order_by("agency__short_name", "pk")
    form = ProblemPickForm(
        _data(request),
        choices=choices,
        initial={"problems": list(issue.problems.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        shown = set(choices.values_list("pk", flat=True))
        chosen = {p.pk for p in form.cleaned_data["problems"]}
        with transaction.atomic():
            issue.problems.remove(*(shown - chosen))
            strategic.link_problems(issue, chosen)
        messages.success(request, _("Permasalahan terkait disimpan."))
        return redirect("strategic:detail", issue.pk)
    return _render(
        request,
        "strategic/problems.html",
        {
            "plan": plan,
            "issue": issue,
            "form": form,
            "agencies": Agency.objects.filter(region_id=plan.region_id).order_by("short_name"),
            "agency_id": agency_id,
            "q": words,
        },
    )


@require_POST
def issue_alignment(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add an alignment record, or remove one (`remove=<id>`)."""
    issue = _issue(request, pk, can_manage_strategic)
    remove = request.POST.get("remove", "")
    if remove:
        with transaction.atomic():
            for alignment in Alignment.objects.filter(issue=issue, pk=positive_int(remove) or 0):
                alignment.delete()
        messages.success(request, _("Keselarasan dihapus."))
        return redirect("strategic:detail", issue.pk)
    form = AlignmentForm(request.POST, plan=issue.plan)
    if form.is_valid():
        alignment = form.save(commit=False)
        alignment.issue = issue
        with transaction.atomic():
            alignment.save()
        messages.success(request, _("Keselarasan dicatat."))
    else:
        _errors_to_messages(request, form)
    return redirect("strategic:detail", issue.pk)


def issue_merge(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk, can_manage_strategic)
    form = MergeForm(_data(request), issue=issue)
    if request.method == "POST" and form.is_valid():
        other = form.cleaned_data["other"]
        strategic.merge(keep=issue, absorb=other, by=request.user)
        messages.success(request, _("“%(o)s” digabung ke isu ini.") % {"o": other.title})
        return redirect("strategic:detail", issue.pk)
    return _form_page(
        request,
        plan=issue.plan,
        issue=issue,
        title=_("Gabungkan isu strategis"),
        form=form,
        submit=_("Gabungkan"),
        cancel=("strategic:detail", issue.pk),
        intro=_(
            "Permasalahan, masukan FGD, perangkat daerah dan keselarasan isu yang dipilih "
            "pindah ke isu ini; nilainya dihapus; perubahan dicatat."
        ),
    )


def issue_split(request: AuthedRequest, pk: int) -> HttpResponse:
    issue = _issue(request, pk, can_manage_strategic)
    form = SplitForm(_data(request), issue=issue)
    if request.method == "POST" and form.is_valid():
        new = strategic.split(
            issue=issue,
            title=form.cleaned_data["title"],
            problems=form.cleaned_data["problems"],
            fgd_inputs=form.cleaned_data["fgd_inputs"],
            by=request.user,
        )
        messages.success(request, _("Isu “%(t)s” dipecah dari isu ini.") % {"t": new.title})
        return redirect("strategic:detail", new.pk)
    return _form_page(
        request,
        plan=issue.plan,
        issue=issue,
        title=_("Pecah isu strategis"),
        form=form,
        submit=_("Pecah"),
        cancel=("strategic:detail", issue.pk),
    )


# --- Criteria and raters ---------------------------------------------------------------------


def criteria(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id, can_manage_strategic)
    settings = StrategicSettings.for_plan(plan)
    queryset = Criterion.objects.filter(plan=plan)
    initial = []
    if not queryset.exists():
        # Nothing saved yet: offer the six standard criteria, saved when the planner saves.
        scale, initial = strategic.default_criteria()
        if settings.pk is None:
            settings.scale_min, settings.scale_max = scale["min"], scale["max"]
        initial = [dict(item, order=n) for n, item in enumerate(initial, start=1)]
    data = request.POST if request.method == "POST" else None
    scale_form = ScaleForm(data, instance=settings, prefix="scale")
    formset = CriteriaFormSet(data, queryset=queryset, initial=initial, prefix="criteria")
    if initial and data is None:
        formset.extra = len(initial) + 1
    conflict = None
    stale = data is not None and settings.pk is not None and posted_stale(scale_form)
    if data is not None and scale_form.is_valid() and (formset.is_valid() or stale):

        def save():
            if not formset.is_valid():  # stale, and a row it names is gone: show the conflict
                # nosemgrep: rpjmd-views-fetch-through-visible-to - settings of a visible plan
                raise Stale(StrategicSettings.objects.get(pk=settings.pk))
            scale_form.save()  # a new version of the settings covers the whole page
            formset.save_criteria(plan)

        try:
            if settings.pk is None:
                with transaction.atomic():
                    save()
            else:
                save_if_current(scale_form, save)
        except Stale as stale:
            conflict = conflict_for(
                scale_form,
                stale.current,
                extra=[_criteria_row(plan, formset)],
                can_overwrite=formset.is_valid(),
            )
            if not formset.is_valid():
                conflict.notes.append(str(ROWS_GONE))
        else:
            messages.success(request, _("Kriteria penilaian disimpan."))
            return redirect("strategic:criteria", plan.pk)
    return _render(
        request,
        "strategic/criteria.html",
        {
            "plan": plan,
            "scale_form": scale_form,
            "formset": formset,
            "has_political": any(strategic.POLITICAL in c.name.lower() for c in queryset),
            "scored": Score.objects.filter(criterion__plan=plan).exists(),
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def _criteria_row(plan, formset) -> Row:
    def listed(pairs):
        return "\n".join(f"{name} ({weight})" for name, weight in pairs) or "—"

    stored = Criterion.objects.filter(plan=plan).order_by("order", "pk")
    typed = sorted(
        (f.cleaned_data for f in formset.forms if f.cleaned_data),
        key=lambda c: c.get("order") or 0,
    )
    return Row(
        _("Kriteria (bobot)"),
        listed((c.name, c.weight) for c in stored),
        listed(
            (c["name"], c.get("weight")) for c in typed if c.get("name") and not c.get("DELETE")
        ),
    )


@require_POST
def drop_political(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id, can_manage_strategic)
    dropped = strategic.drop_political_promises(plan)
    if dropped is None:
        messages.info(request, _("Tidak ada kriteria janji politik."))
    else:
        messages.success(
            request,
            _("Kriteria “%(c)s” dihapus; bobot lainnya disesuaikan menjadi 100.")
            % {"c": dropped.name},
        )
    return redirect("strategic:criteria", plan.pk)


def raters(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id, can_manage_strategic)
    current = Rater.objects.active().filter(plan=plan)
    form = RatersForm(
        _data(request),
        plan=plan,
        initial={"users": list(current.values_list("user_id", flat=True))},
    )
    leaving = []
    if request.method == "POST" and form.is_valid():
        users = form.cleaned_data["users"]
        leaving = [g for g in strategic.raters_leaving(plan=plan, users=users) if g.scores]
        # Taking off a rater who has scored changes the ranking: that is asked first, and the
        # answer covers exactly the raters it named.
        confirmed = set(request.POST.get("confirm", "").split(","))
        if {str(g.rater.pk) for g in leaving} <= confirmed:
            strategic.set_raters(plan=plan, users=users)
            messages.success(request, _("Penilai disimpan."))
            return redirect("strategic:raters", plan.pk)
    progress = [(r, *strategic.progress(r)) for r in current.select_related("user", "plan")]
    kept = (
        Rater.objects.filter(plan=plan, active=False)
        .select_related("user")
        .annotate(score_count=Count("scores"))
        .filter(score_count__gt=0)
    )
    return _render(
        request,
        "strategic/raters.html",
        {
            "plan": plan,
            "form": form,
            "progress": progress,
            "leaving": leaving,
            "leaving_scores": sum(g.scores for g in leaving),
            "leaving_ids": ",".join(str(g.rater.pk) for g in leaving),
            "kept": kept,
        },
    )


# --- Scoring sheet --------------------------------------------------------------------------


def _sheet_context(request, plan: Plan, rater: Rater) -> dict:
    settings = StrategicSettings.for_plan(plan)
    issues = list(StrategicIssue.objects.filter(plan=plan))
    criteria_list = list(Criterion.objects.filter(plan=plan))
    mine = {
        (s.issue_id, s.criterion_id): s.value
        for s in Score.objects.filter(rater=rater, issue__plan=plan)
    }
    done, needed = strategic.progress(rater)
    return {
        "plan": plan,
        "settings": settings,
        "criteria": criteria_list,
        "rows": [
            (issue, [(c, mine.get((issue.pk, c.pk))) for c in criteria_list]) for issue in issues
        ],
        "done": done,
        "needed": needed,
        "closed": settings.results_open,
    }


def sheet(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """The rater's own sheet: every issue × criterion. With htmx each field saves on change
    and the answer is the progress line; without it, the whole sheet is saved at once."""
    plan = _plan(request, plan_id, can_score)
    rater = Rater.objects.active().select_related("plan").get(plan=plan, user=request.user)
    if request.method == "POST":
        values = {}
        for key, value in request.POST.items():
            parts = key.split("-")
            if len(parts) == 3 and parts[0] == "s":
                issue_id, criterion_id = positive_int(parts[1]), positive_int(parts[2])
                if issue_id is not None and criterion_id is not None:
                    values[(issue_id, criterion_id)] = value
        error = None
        try:
            strategic.save_scores(rater=rater, values=values)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        if is_partial(request):
            context = _sheet_context(request, plan, rater) | {"error": error}
            return render(
                request,
                "strategic/sheet.html#progress",
                context,
            )
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Penilaian disimpan."))
        return redirect("strategic:sheet", plan.pk)
    return _render(request, "strategic/sheet.html", _sheet_context(request, plan, rater))


# --- Results, adoption, export, traceability ---------------------------------------------------


def _results_context(plan: Plan, user) -> dict:
    settings = StrategicSettings.for_plan(plan)
    context = {
        "plan": plan,
        "settings": settings,
        "can_manage": can_manage_strategic(user, plan),
        "can_export": can_export_results(user, plan, results_open=settings.results_open),
        "raters": [
            (r, *strategic.progress(r))
            for r in Rater.objects.active().filter(plan=plan).select_related("user", "plan")
        ],
        "locked": strategic.adoption_locked(plan),
        "decisions": IssueChange.objects.filter(
            plan=plan, kind=IssueChange.Kind.ADOPT
        ).select_related("by"),
    }
    if settings.results_open:
        context["rows"] = strategic.results(plan)
        context["adopt_form"] = AdoptForm()
        pending = strategic.pending_problems([row.issue for row in context["rows"]])
        context["pending"] = [
            (row.issue, pending[row.issue.pk]) for row in context["rows"] if row.issue.pk in pending
        ]
    return context


@require_GET
def results(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    settings = StrategicSettings.for_plan(plan)
    if not can_see_results(request.user, plan, results_open=settings.results_open):
        raise PermissionDenied
    return _render(request, "strategic/results.html", _results_context(plan, request.user))


@require_POST
def results_state(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """Open the results (scoring closes) or reopen scoring (results hide again)."""
    plan = _plan(request, plan_id, can_manage_strategic)
    opening = request.POST.get("open") == "1"
    strategic.set_results_open(plan, opening)
    messages.success(
        request,
        _("Hasil penilaian dibuka; penilaian ditutup.")
        if opening
        else _("Penilaian dibuka kembali; hasil disembunyikan."),
    )
    return redirect("strategic:results", plan.pk)


@require_POST
def adopt(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id, can_manage_strategic)
    form = AdoptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            chosen = strategic.adopt(
                plan=plan,
                by=request.user,
                top=data["top"] if data["rule"] == "top" else None,
                threshold=data["threshold"] if data["rule"] == "threshold" else None,
                note=data.get("note") or "",
                reasons={
                    issue_id: request.POST.get(f"reason-{issue_id}", "")[:1000]
                    for issue_id in StrategicIssue.objects.filter(plan=plan).values_list(
                        "pk", flat=True
                    )
                },
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(n)s isu strategis ditetapkan.") % {"n": len(chosen)})
    else:
        _errors_to_messages(request, form)
    return redirect("strategic:results", plan.pk)


@require_GET
def export(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    settings = StrategicSettings.for_plan(plan)
    if not can_export_results(request.user, plan, results_open=settings.results_open):
        raise PermissionDenied
    response = download(results_workbook(plan), f"isu-strategis-{plan.start_year}.xlsx", XLSX)
    audit.record_export(request, plan, kind="xlsx")
    return response


@require_GET
def traceability(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id, can_trace)
    issues = (
        StrategicIssue.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "problems",
                queryset=Problem.objects.select_related("agency", "core_problem")
                .prefetch_related("indicators", "attachments")
                .defer("search_text"),
            ),
            "fgd_inputs__meeting",
            "alignments__national_priority",
            "alignments__sdg",
            "alignments__long_term_goal",
            "alignments__regional_mission",
            "supporting_agencies",
        )
        .select_related("lead_agency")
    )
    by_agency: dict[Agency, list] = defaultdict(list)
    issue_list = list(issues)
    for issue in issue_list:
        for problem in issue.problems.all():
            by_agency[problem.agency].append((problem, issue))
    for mark in NotStrategic.objects.filter(problem__plan=plan).select_related("problem__agency"):
        by_agency[mark.problem.agency].append((mark.problem, None))
    for problem in strategic.unmapped_problems(plan):
        by_agency[problem.agency].append((problem, False))
    agencies = sorted(by_agency.items(), key=lambda item: item[0].short_name)
    return _render(
        request,
        "strategic/trace.html",
        {"plan": plan, "issues": issue_list, "agencies": agencies},
    )
