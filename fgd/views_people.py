"""Narasumber records, kept once per pemda and invited to many FGDs (planners only)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fgd import permissions as perm
from fgd.forms import AccountForm, ResourcePersonForm
from fgd.models import ResourcePerson
from rpjmd.models import User
from rpjmd.requests import AuthedRequest
from rpjmd.versioning import save_or_conflict


def _require_planner(request: AuthedRequest) -> None:
    if not perm.can_manage_resource_persons(request.user):
        raise PermissionDenied


def _person_for(request: AuthedRequest, pk: int) -> ResourcePerson:
    person = get_object_or_404(
        ResourcePerson.objects.for_region(request.user.region_id).select_related("user"), pk=pk
    )
    _require_planner(request)
    return person


@never_cache  # phone numbers and e-mail addresses: personal data, not for shared caches
@require_GET
def resource_person_list(request: AuthedRequest) -> HttpResponse:
    _require_planner(request)
    people = ResourcePerson.objects.for_region(request.user.region_id).select_related("user")
    return render(request, "fgd/resource_person_list.html", {"people": people})


@never_cache
def resource_person_create(request: AuthedRequest) -> HttpResponse:
    _require_planner(request)
    form = ResourcePersonForm(request.POST or None, region=request.user.region)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, _("Narasumber %(name)s disimpan.") % {"name": person.full_name})
        return redirect("fgd:resource_person_list")
    return render(request, "fgd/resource_person_form.html", {"form": form})


@never_cache
def resource_person_update(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk)
    form = ResourcePersonForm(request.POST or None, instance=person, region=person.region)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = save_or_conflict(form)
        if conflict is None:
            messages.success(
                request, _("Narasumber %(name)s disimpan.") % {"name": person.full_name}
            )
            return redirect("fgd:resource_person_list")
    return render(
        request,
        "fgd/resource_person_form.html",
        {"form": form, "person": person, "conflict": conflict},
        status=409 if conflict else 200,
    )


@never_cache
def resource_person_account(request: AuthedRequest, pk: int) -> HttpResponse:
    """Give a narasumber an account: it sees only the FGDs the narasumber is invited to.

    The first password is generated and shown once to the planner, who hands it over."""
    person = _person_for(request, pk)
    if person.user_id:
        messages.info(request, _("Narasumber ini sudah memiliki akun."))
        return redirect("fgd:resource_person_list")
    suggestion = (person.email.split("@")[0] if person.email else "").lower()
    form = AccountForm(request.POST or None, initial={"username": suggestion})
    password = None
    if request.method == "POST" and form.is_valid():
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user = User(
                username=form.cleaned_data["username"],
                full_name=person.full_name,
                position=", ".join(p for p in [person.position, person.institution] if p)[:200],
                email=person.email,
                role=User.Role.RESOURCE_PERSON,
                region=person.region,
            )
            user.set_password(password)
            user.save()
            person.user = user
            person.save(update_fields=["user"])
    return render(
        request,
        "fgd/resource_person_account.html",
        {"person": person, "form": form, "password": password},
    )
