"""Data daerah pages: indicator series (list, form, review, Excel) and the APBD grid."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from drafts.blocks import format_number
from issues.models import Problem
from issues.uploads import XLSX
from issues.views import visible_plan
from regional import spreadsheets, workflow
from regional.forms import FinanceGridForm, ImportForm, IndicatorForm, IndicatorReviewForm
from regional.models import (
    Aspect,
    FinanceSettings,
    RegionalIndicator,
    evaluation_years,
    indicator_years,
)
from regional.permissions import (
    affairs_of,
    can_add_indicator,
    can_edit_finance,
    can_edit_indicator,
    can_review,
    can_view,
)
from rpjmd.downloads import download
from rpjmd.requests import AuthedRequest
from rpjmd.versioning import Stale, conflict_for, save_if_current


def _indicator(request: AuthedRequest, pk: int) -> RegionalIndicator:
    return get_object_or_404(
        RegionalIndicator.objects.visible_to(request.user).select_related("plan__region", "affair"),
        pk=pk,
    )


def _listed(request: AuthedRequest, plan, series: str):
    """The rows of one series the user may see, in table order, filtered by ?status=."""
    rows = (
        RegionalIndicator.objects.visible_to(request.user)
        .filter(plan=plan, series=series)
        .select_related("affair")
        .order_by("aspect", "affair__code", "order", "pk")
    )
    status = request.GET.get("status", "")
    if status in RegionalIndicator.Status.values:
        rows = rows.filter(status=status)
    return rows, status


@require_GET
def indicator_list(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_view(request.user, plan):
        raise PermissionDenied
    rows, status = _listed(request, plan, RegionalIndicator.Series.CONDITION)
    years = indicator_years(plan)
    mine = affairs_of(request.user) if request.user.is_opd else None
    groups = []
    for aspect in Aspect:
        items = [
            {
                "row": row,
                "actuals": [row.actual(y) for y in years],
                "can_edit": can_edit_indicator(request.user, row, mine),
            }
            for row in rows
            if row.aspect == aspect
        ]
        groups.append({"aspect": aspect, "items": items})
    return render(
        request,
        "regional/indicator_list.html",
        {
            "plan": plan,
            "groups": groups,
            "years": years,
            "status": status,
            "statuses": RegionalIndicator.Status.choices,
            "can_add": can_add_indicator(request.user, plan),
            "can_review": can_review(request.user, plan),
            "can_edit_finance": can_edit_finance(request.user, plan),
        },
    )


@require_GET
def evaluation_list(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """Evaluasi capaian RPJMD periode lalu: each indicator's last capaian and its category;
    the yearly figures are on the indicator's page and in the document's table."""
    plan = visible_plan(request, plan_id)
    if not can_view(request.user, plan):
        raise PermissionDenied
    rows, status = _listed(request, plan, RegionalIndicator.Series.EVALUATION)
    years = evaluation_years(plan)
    mine = affairs_of(request.user) if request.user.is_opd else None
    items = []
    for row in rows:
        latest = row.latest_achievement(years)
        items.append(
            {
                "row": row,
                "year": latest[0] if latest else None,
                "achievement": latest[1] if latest else None,
                "category": row.category(latest[0]) if latest else None,
                "can_edit": can_edit_indicator(request.user, row, mine),
            }
        )
    return render(
        request,
        "regional/evaluation_list.html",
        {
            "plan": plan,
            "items": items,
            "first": years[0],
            "last": years[-1],
            "status": status,
            "statuses": RegionalIndicator.Status.choices,
            "can_add": can_add_indicator(request.user, plan),
        },
    )


def evaluation_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_add_indicator(request.user, plan):
        raise PermissionDenied
    series = RegionalIndicator.Series.EVALUATION
    return _indicator_form(request, plan, RegionalIndicator(plan=plan, series=series))


def indicator_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_add_indicator(request.user, plan):
        raise PermissionDenied
    return _indicator_form(request, plan, RegionalIndicator(plan=plan))


def indicator_update(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    if not can_edit_indicator(request.user, indicator):
        raise PermissionDenied
    return _indicator_form(request, indicator.plan, indicator)


def _list_of(indicator: RegionalIndicator) -> str:
    return "regional:evaluation_list" if indicator.is_evaluation else "regional:indicator_list"


def _indicator_form(request: AuthedRequest, plan, indicator: RegionalIndicator) -> HttpResponse:
    form = IndicatorForm(
        request.POST or None, instance=indicator, plan=plan, affairs=affairs_of(request.user)
    )
    conflict = None
    if request.method == "POST" and form.is_valid():

        def save():
            return workflow.save_indicator(form.instance, by=request.user)

        try:
            # A row someone saved or reviewed after this form was opened is not overwritten.
            save() if indicator.pk is None else save_if_current(form, save)
        except Stale as stale:
            conflict = conflict_for(form, stale.current)
        else:
            messages.success(
                request,
                _("Indikator disimpan.")
                if request.user.is_planner
                else _("Indikator disimpan dan diajukan ke Bappeda untuk ditinjau."),
            )
            return redirect(_list_of(indicator), plan.pk)
    return render(
        request,
        "regional/indicator_form.html",
        {"plan": plan, "form": form, "indicator": indicator, "conflict": conflict},
        status=409 if conflict else 200,
    )


@require_GET
def indicator_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    plan = indicator.plan
    if not can_view(request.user, plan):
        raise PermissionDenied
    years = indicator.years()
    return render(
        request,
        "regional/indicator_detail.html",
        {
            "plan": plan,
            "indicator": indicator,
            "years": [
                (
                    y,
                    indicator.target(y),
                    indicator.actual(y),
                    indicator.achievement(y),
                    indicator.category(y),
                )
                for y in years
            ],
            "citing_problems": indicator.citing_problems.filter(
                pk__in=_visible_problems(request).values("pk")
            ).order_by("pk"),
            "history": indicator.history.select_related("history_user")[:20],
            "can_edit": can_edit_indicator(request.user, indicator),
            "can_review": can_review(request.user, plan),
            "review_form": IndicatorReviewForm(),
            "problem_indicators": indicator.problem_indicators.select_related("problem")
            .filter(problem__in=_visible_problems(request))
            .order_by("problem_id"),
        },
    )


def _visible_problems(request: AuthedRequest):

    return Problem.objects.visible_to(request.user)


@require_POST
def indicator_review(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    if not can_review(request.user, indicator.plan):
        raise PermissionDenied
    form = IndicatorReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("regional:indicator_detail", indicator.pk)
    workflow.review(
        indicator,
        action=form.cleaned_data["action"],
        note=form.cleaned_data["note"],
        by=request.user,
    )
    messages.success(request, _("Keputusan tinjauan disimpan."))
    return redirect(_list_of(indicator), indicator.plan_id)


EVALUATION = RegionalIndicator.Series.EVALUATION
CONDITION = RegionalIndicator.Series.CONDITION


@require_GET
def indicator_template(request: AuthedRequest, plan_id: int) -> HttpResponse:
    return _template(request, plan_id, CONDITION, "templat-indikator-kinerja-daerah.xlsx")


@require_GET
def evaluation_template(request: AuthedRequest, plan_id: int) -> HttpResponse:
    return _template(request, plan_id, EVALUATION, "templat-evaluasi-rpjmd-lalu.xlsx")


def _template(request: AuthedRequest, plan_id: int, series: str, filename: str) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_add_indicator(request.user, plan):
        raise PermissionDenied
    content = spreadsheets.indicator_template(plan, affairs_of(request.user), series)
    return download(content, filename, XLSX)


def indicator_import(request: AuthedRequest, plan_id: int) -> HttpResponse:
    return _import(request, plan_id, CONDITION, _("Impor indikator kinerja daerah dari Excel"))


def evaluation_import(request: AuthedRequest, plan_id: int) -> HttpResponse:
    return _import(request, plan_id, EVALUATION, _("Impor evaluasi RPJMD periode lalu dari Excel"))


def _import(request: AuthedRequest, plan_id: int, series: str, title: str) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_add_indicator(request.user, plan):
        raise PermissionDenied
    evaluation = series == EVALUATION
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = spreadsheets.import_indicators(
            plan=plan,
            upload=form.cleaned_data["file"],
            by=request.user,
            affairs=affairs_of(request.user),
            series=series,
        )
        if not result.errors:
            messages.success(request, _("%(n)s indikator diimpor.") % {"n": result.saved})
            return redirect(
                "regional:evaluation_list" if evaluation else "regional:indicator_list", plan.pk
            )
        errors = result.errors
    return render(
        request,
        "regional/import.html",
        {
            "plan": plan,
            "form": form,
            "errors": errors,
            "title": title,
            "template_url": (
                "regional:evaluation_template" if evaluation else "regional:indicator_template"
            ),
        },
    )


def finance_edit(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_edit_finance(request.user, plan):
        raise PermissionDenied
    form = FinanceGridForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            changed = workflow.save_finance(
                plan=plan,
                cells=form.cells(),
                source=form.cleaned_data["source"],
                projection_rate=form.cleaned_data["projection_rate"],
                loaded=form.cleaned_data["loaded"],
            )
        except workflow.FinanceConflict as conflict:
            finance_conflict(form, conflict)
        else:
            messages.success(
                request, _("Realisasi APBD disimpan (%(n)s sel berubah).") % {"n": changed}
            )
            return redirect("regional:finance", plan.pk)
    return render(
        request,
        "regional/finance_form.html",
        {"plan": plan, "form": form, "settings": FinanceSettings.for_plan(plan)},
    )


def _as_shown(value) -> str:
    """A stored figure or text as the grid page writes it (Indonesian notation)."""
    if value is None or value == "":
        return _("kosong")
    if isinstance(value, Decimal):
        return format_number(int(value) if value == value.to_integral_value() else value)
    return str(value)


def finance_conflict(form: FinanceGridForm, conflict: workflow.FinanceConflict) -> None:
    """Keep what the planner typed; name each cell (or setting) someone else changed since the
    page was opened, with its value now; and take those values as "what the page showed", so
    saving again overwrites them on purpose."""
    loaded = form.cleaned_data["loaded"]
    loaded["cells"].update(conflict.cells)
    loaded.update(conflict.settings)
    changed = {
        form.cell_name(year, account): stored for (year, account), stored in conflict.cells.items()
    } | conflict.settings
    for name, stored in changed.items():
        form.add_error(
            name,
            _("Diubah orang lain sejak halaman ini dibuka; sekarang: %(value)s.")
            % {"value": _as_shown(stored)},
        )
    form.data = form.data.copy()
    form.data["loaded"] = FinanceGridForm.encode_loaded(
        loaded["cells"], loaded["source"], loaded["projection_rate"]
    )
    form.add_error(
        None,
        _(
            "Sebagian sel yang Anda ubah sudah diubah orang lain. Tidak ada yang disimpan. "
            "Periksa sel yang ditandai; simpan lagi untuk memakai angka Anda."
        ),
    )


@require_GET
def finance_template(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_edit_finance(request.user, plan):
        raise PermissionDenied
    return download(spreadsheets.finance_template(plan), "templat-realisasi-apbd.xlsx", XLSX)


def finance_import(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_edit_finance(request.user, plan):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = spreadsheets.import_finance(plan=plan, upload=form.cleaned_data["file"])
        if not result.errors:
            messages.success(
                request, _("Realisasi APBD diimpor (%(n)s sel berubah).") % {"n": result.saved}
            )
            return redirect("regional:finance", plan.pk)
        errors = result.errors
    return render(
        request,
        "regional/import.html",
        {
            "plan": plan,
            "form": form,
            "errors": errors,
            "title": _("Impor realisasi APBD dari Excel"),
            "template_url": "regional:finance_template",
        },
    )
