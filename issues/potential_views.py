"""Potensi pages (the region's strengths and opportunities, with evidence) and the faktor
pendorong / penghambat of a problem (issue 17)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from issues.editing import factors_fingerprint, save_factors, save_potential
from issues.forms import FactorsForm, PotentialForm
from issues.models import Potential, Problem
from issues.permissions import (
    can_edit_factors,
    can_edit_potential,
    can_list_potentials,
    can_record_potential,
    can_review,
)
from issues.views import visible_plan
from rpjmd.plans import remember_plan
from rpjmd.requests import AuthedRequest
from rpjmd.versioning import Stale, conflict_for


def _potential(request: AuthedRequest, pk: int) -> Potential:
    return get_object_or_404(
        Potential.objects.visible_to(request.user).select_related(
            "plan__region", "affair", "agency", "created_by"
        ),
        pk=pk,
    )


@require_GET
def potential_list(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    if not can_list_potentials(request.user, plan):
        raise PermissionDenied
    potentials = (
        Potential.objects.visible_to(request.user)
        .filter(plan=plan)
        .select_related("affair", "agency", "created_by")
        .order_by("affair__code", "kind", "pk")
    )
    return render(
        request,
        "issues/potential_list.html",
        {
            "plan": plan,
            "potentials": potentials,
            "can_record": can_record_potential(request.user, plan),
        },
    )


def potential_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = visible_plan(request, plan_id)
    user = request.user
    if not can_record_potential(user, plan):
        raise PermissionDenied
    instance = Potential(plan=plan, agency=user.agency if user.is_opd else None)
    form = PotentialForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        plan=plan,
        choose_agency=user.is_planner,
    )
    if user.is_opd and user.agency_id and request.method == "GET":
        # The agency's own bidang urusan first, as on the problem form.
        own = user.agency.affairs.order_by("code").first()
        if own is not None:
            form.initial.setdefault("affair", own.pk)
    if request.method == "POST" and form.is_valid():
        potential = save_potential(form=form, by=user, agency=user.agency if user.is_opd else None)
        messages.success(request, _("Potensi “%(title)s” dicatat.") % {"title": potential.title})
        return redirect("issues:potential_detail", potential.pk)
    return render(
        request,
        "issues/potential_form.html",
        {
            "plan": plan,
            "form": form,
            "potential": None,
            "cancel": ("issues:potential_list", plan.pk),
        },
    )


@require_GET
def potential_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    potential = _potential(request, pk)
    user = request.user
    remember_plan(request, potential.plan)
    traces = user.is_planner or user.is_leader
    return render(
        request,
        "issues/potential_detail.html",
        {
            "plan": potential.plan,
            "potential": potential,
            "attachments": list(potential.attachments.all()),
            "can_edit": can_edit_potential(user, potential),
            # The FGD inputs it came from or is named in (fgd.Input.potentials).
            "inputs": list(
                potential.fgd_inputs.select_related("meeting", "resource_person", "agency")
            ),
            "strategic_issues": list(potential.strategic_issues.all()) if traces else [],
            "history": list(potential.history.select_related("history_user")[:20])
            if can_review(user, potential.plan)
            else None,
        },
    )


def potential_update(request: AuthedRequest, pk: int) -> HttpResponse:
    potential = _potential(request, pk)
    user = request.user
    if not can_edit_potential(user, potential):
        raise PermissionDenied
    form = PotentialForm(
        request.POST or None,
        request.FILES or None,
        instance=potential,
        plan=potential.plan,
        choose_agency=user.is_planner,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            save_potential(form=form, by=user)
        except Stale as stale:
            conflict = conflict_for(form, stale.current)
            if form.cleaned_data.get("attachments"):
                conflict.notes.append(
                    _("Lampiran yang Anda pilih belum diunggah: pilih lagi berkasnya.")
                )
        else:
            messages.success(request, _("Potensi disimpan."))
            return redirect("issues:potential_detail", potential.pk)
    return render(
        request,
        "issues/potential_form.html",
        {
            "plan": potential.plan,
            "form": form,
            "potential": potential,
            "conflict": conflict,
            "cancel": ("issues:potential_detail", potential.pk),
        },
        status=409 if conflict else 200,
    )


def problem_factors(request: AuthedRequest, pk: int) -> HttpResponse:
    problem = get_object_or_404(
        Problem.objects.visible_to(request.user).select_related("plan__region", "agency"), pk=pk
    )
    if not can_edit_factors(request.user, problem):
        raise PermissionDenied
    if request.method == "POST":
        form = FactorsForm(request.POST)
    else:
        form = FactorsForm(
            initial=FactorsForm.initial_for(problem) | {"seen": factors_fingerprint(problem)}
        )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            save_factors(
                problem=problem,
                driving=form.cleaned_data["driving"],
                hindering=form.cleaned_data["hindering"],
                seen=form.cleaned_data["seen"],
                by=request.user,
            )
        except Stale:
            stale = True
            # Saving again puts the typed lists on top of the stored ones, knowingly.
            data = form.data.copy()
            data["seen"] = factors_fingerprint(problem)
            form.data = data
        else:
            messages.success(request, _("Faktor pendorong dan penghambat disimpan."))
            return redirect("issues:detail", problem.pk)
    return render(
        request,
        "issues/problem_factors.html",
        {
            "plan": problem.plan,
            "problem": problem,
            "form": form,
            "stale": stale,
            "stored": FactorsForm.initial_for(problem) if stale else None,
        },
        status=409 if stale else 200,
    )
