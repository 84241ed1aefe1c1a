"""Running the collection: progress per agency, deadline extensions, Excel in and out."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from issues import imports
from issues import review as workflow
from issues.forms import ExtensionForm, ImportForm, ProblemSettingsForm
from issues.models import DeadlineExtension, Problem, ProblemImport, ProblemSettings
from issues.permissions import (
    can_export,
    can_follow_progress,
    can_import,
    can_manage_collection,
)
from issues.spreadsheets import (
    MAX_IMPORT_ROWS,
    build_template,
    identification_workbook,
    problems_csv,
)
from issues.uploads import XLSX
from issues.views import visible_plan
from rpjmd.downloads import download
from rpjmd.models import Agency, Plan, Stage
from rpjmd.requests import AuthedRequest

S = Problem.Status


def progress_rows(plan: Plan, stage: Stage | None) -> list[dict]:
    """Per agency of the region: how many problems in each status, and its deadline.

    One query for the counts and one for the extensions, whatever the number of agencies.
    """
    in_plan = Q(problems__plan=plan)
    agencies = (
        Agency.objects.filter(region_id=plan.region_id)
        .annotate(
            drafted=Count("problems", filter=in_plan & Q(problems__status=S.DRAFT)),
            submitted=Count("problems", filter=in_plan & Q(problems__status=S.SUBMITTED)),
            accepted=Count("problems", filter=in_plan & Q(problems__status=S.ACCEPTED)),
            returned=Count("problems", filter=in_plan & Q(problems__status=S.RETURNED)),
            duplicate=Count("problems", filter=in_plan & Q(problems__status=S.DUPLICATE)),
        )
        .order_by("name")
    )
    extensions = (
        {e.agency_id: e for e in DeadlineExtension.objects.filter(stage=stage)} if stage else {}
    )
    rows = []
    for agency in agencies:
        handed_in = agency.submitted + agency.accepted + agency.returned + agency.duplicate
        extension = extensions.get(agency.pk)
        rows.append(
            {
                "agency": agency,
                "drafted": agency.drafted,
                "submitted": agency.submitted,
                "accepted": agency.accepted,
                "returned": agency.returned,
                "duplicate": agency.duplicate,
                "handed_in": handed_in,
                "nothing": handed_in == 0 and not agency.is_planning_agency,
                "extension": extension,
                "deadline": (
                    extension.until
                    if extension and stage and extension.until > stage.closes_on
                    else (stage.closes_on if stage else None)
                ),
            }
        )
    return rows


def _progress_context(request, plan: Plan, extension_form=None) -> dict:
    stage = plan.stage_of_kind(Stage.Kind.IDENTIFICATION)
    rows = progress_rows(plan, stage)
    settings = ProblemSettings.for_plan(plan)
    return {
        "plan": plan,
        "stage": stage,
        "today": plan.region.today(),
        "rows": rows,
        "silent": [
            r["agency"] for r in rows if r["nothing"] and not r["agency"].is_planning_agency
        ],
        "totals": {
            key: sum(r[key] for r in rows)
            for key in ("drafted", "submitted", "accepted", "returned", "duplicate")
        },
        "can_manage": can_manage_collection(request.user, plan),
        "can_export": can_export(request.user, plan),
        "extension_form": extension_form or ExtensionForm(plan=plan),
        "settings_form": ProblemSettingsForm(
            initial={"open_to_all_participants": settings.open_to_all_participants}
        ),
    }


@require_GET
def progress(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_follow_progress(request.user, plan):
        raise PermissionDenied
    return render(request, "issues/progress.html", _progress_context(request, plan))


@require_POST
def extend_deadline(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_manage_collection(request.user, plan):
        raise PermissionDenied
    stage = plan.stage_of_kind(Stage.Kind.IDENTIFICATION)
    form = ExtensionForm(request.POST, plan=plan)
    if stage is None:
        form.add_error(None, _("Rencana ini belum memiliki tahapan identifikasi permasalahan."))
    elif form.is_valid():
        try:
            extension = workflow.extend_deadline(
                stage=stage,
                agency=form.cleaned_data["agency"],
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("until", error)
        else:
            messages.success(
                request,
                _("Tenggat %(agency)s diperpanjang sampai %(date)s.")
                % {
                    "agency": extension.agency.short_name,
                    "date": workflow.format_date(extension.until),
                },
            )
            return redirect("issues:progress", plan.pk)
    return render(
        request, "issues/progress.html", _progress_context(request, plan, extension_form=form)
    )


@require_POST
def update_settings(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_manage_collection(request.user, plan):
        raise PermissionDenied
    form = ProblemSettingsForm(request.POST)
    form.is_valid()  # a single optional checkbox: always valid
    settings, _created = ProblemSettings.objects.get_or_create(plan=plan)
    settings.open_to_all_participants = form.cleaned_data["open_to_all_participants"]
    settings.save()
    messages.success(
        request,
        _("Permasalahan yang diajukan kini terbuka untuk semua peserta.")
        if settings.open_to_all_participants
        else _("Permasalahan yang diajukan kini hanya terlihat oleh perangkat daerah pemiliknya."),
    )
    return redirect("issues:progress", plan.pk)


@require_GET
def template_download(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_import(request.user, plan):
        raise PermissionDenied
    agency = request.user.agency
    return download(
        build_template(plan, agency),
        f"templat-permasalahan-{agency.short_name}.xlsx",
        XLSX,
    )


def import_problems_view(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """The template and the upload; the file is read by the task worker (issues/imports.py)."""
    plan = visible_plan(request, plan_id)
    if not can_import(request.user, plan):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        job, errors = imports.start_import(
            plan=plan, agency=request.user.agency, upload=form.cleaned_data["file"], by=request.user
        )
        if job is not None:
            return redirect("issues:import_status", plan.pk, job.pk)
    recent = ProblemImport.objects.visible_to(request.user).filter(plan=plan)[:5]
    return render(
        request,
        "issues/import.html",
        {
            "plan": plan,
            "form": form,
            "errors": errors,
            "max_rows": MAX_IMPORT_ROWS,
            "recent": recent,
        },
    )


@require_GET
def import_status(request: AuthedRequest, plan_id: int, pk: int) -> HttpResponse:
    """One import's progress (polled by htmx while it runs), then its result: how many problems
    were created, or the rows and columns to correct."""
    plan = visible_plan(request, plan_id)
    if not can_import(request.user, plan):
        raise PermissionDenied
    job = get_object_or_404(ProblemImport.objects.visible_to(request.user).filter(plan=plan), pk=pk)
    if not job.is_finished:
        imports.mark_stale(request.user)
        job.refresh_from_db()
    template = "issues/import_status.html"
    if request.htmx:
        template += "#status"
    return render(
        request,
        template,
        {"plan": plan, "job": job, "errors": job.errors, "similar": _similar_rows(request, job)},
    )


def _similar_rows(request: AuthedRequest, job: ProblemImport) -> list[dict]:
    """The imported rows that resemble problems already in the plan, with those problems as
    this user may read them now (visibility may have changed since the import ran)."""
    wanted = {pk for entry in job.similar for pk in entry.get("similar", [])}
    if not wanted:
        return []
    readable = Problem.objects.visible_to(request.user).select_related("agency").in_bulk(wanted)
    rows = []
    for entry in job.similar:
        problems = [readable[pk] for pk in entry.get("similar", []) if pk in readable]
        if problems:
            rows.append(
                {
                    "row": entry.get("row"),
                    "statement": entry.get("statement", ""),
                    "problems": problems,
                }
            )
    return rows


@require_GET
def export_table(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_export(request.user, plan):
        raise PermissionDenied
    return download(
        identification_workbook(plan, request.user), "identifikasi-permasalahan.xlsx", XLSX
    )


@require_GET
def export_csv(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_export(request.user, plan):
        raise PermissionDenied
    # A byte-order mark so that Excel reads the file as UTF-8.
    return download(
        "\ufeff" + problems_csv(plan, request.user),
        "permasalahan.csv",
        "text/csv; charset=utf-8",
    )
