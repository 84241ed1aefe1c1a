from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language
from django_htmx.http import trigger_client_event

from rpjmd import audit
from rpjmd.dashboard import cards_for, charts_for, timeline, today_marker_index
from rpjmd.forms import (
    LoginForm,
    PasswordChangeForm,
    PlanForm,
    RegionalLongTermPlanForm,
    StageForm,
)
from rpjmd.health import database_reachable
from rpjmd.longterm import rpjpd_for, save_rpjpd
from rpjmd.models import NationalLongTermGoal, Notification, Plan, Stage
from rpjmd.permissions import can_manage_plan, can_read_plan, get_visible_or_404
from rpjmd.plans import current_plan, remember_plan
from rpjmd.reference import rpjpn_vision
from rpjmd.requests import AuthedRequest, is_partial
from rpjmd.versioning import Stale, conflict_for, save_if_current, save_or_conflict


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def login_locked_out(
    request: HttpRequest, original_response=None, credentials=None
) -> HttpResponse:
    """Axes calls this when a (username, address) pair has failed five times, or the address
    has failed too often over all usernames (rpjmd/throttle.py)."""
    # Unbound: validating the submitted form would authenticate (and count a failure) again.
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "locked_out": True,
        "address_locked": getattr(request, "login_address_locked", False),
        "next": request.POST.get("next", ""),
    }
    return render(request, "registration/login.html", context, status=429)


@login_not_required
@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the app answers and reaches its database."""
    if not database_reachable():
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


# The language switch is on the login page too, so it must work before login.
set_language = login_not_required(django_set_language)


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    plan = current_plan(request)
    if plan is not None:
        return redirect("plan_dashboard", plan.pk)
    return render(request, "rpjmd/no_plan.html", {"can_create": can_manage_plan(request.user)})


@require_GET
def plan_list(request: AuthedRequest) -> HttpResponse:
    plans = Plan.objects.visible_to(request.user).select_related("region")
    return render(
        request,
        "rpjmd/plan_list.html",
        {"plans": plans, "can_create": can_manage_plan(request.user)},
    )


@require_GET
def plan_dashboard(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = get_visible_or_404(
        request,
        # The timeline and several cards read the stages: fetched once.
        Plan.objects.visible_to(request.user).select_related("region").prefetch_related("stages"),
        pk=plan_id,
    )
    remember_plan(request, plan)
    today = plan.region.today()
    rows = timeline(plan, today)
    return render(
        request,
        "rpjmd/dashboard.html",
        {
            "plan": plan,
            "today": today,
            "timeline": rows,
            "today_index": today_marker_index(rows, today),
            "cards": cards_for(request.user, plan, today),
            "charts": charts_for(request.user, plan, today),
            "can_manage": can_manage_plan(request.user, plan),
            # The demo (and a pemda between two periods) has more than one: switch here.
            "other_plans": Plan.objects.visible_to(request.user).exclude(pk=plan.pk),
        },
    )


def plan_create(request: AuthedRequest) -> HttpResponse:
    if not can_manage_plan(request.user):
        raise PermissionDenied
    form = PlanForm(request.POST or None)
    form.instance.region_id = request.user.region_id
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():  # the plan and its history row, or neither
            plan = form.save()
        messages.success(request, _("Rencana dibuat. Tambahkan tahapannya."))
        return redirect("stage_list", plan.pk)
    return render(request, "rpjmd/plan_form.html", {"form": form})


def plan_update(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = get_visible_or_404(request, Plan.objects.visible_to(request.user), pk=plan_id)
    if not can_manage_plan(request.user, plan):
        raise PermissionDenied
    form = PlanForm(request.POST or None, instance=plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = save_or_conflict(form)
        if conflict is None:
            messages.success(request, _("Rencana disimpan."))
            return redirect("plan_dashboard", plan.pk)
    return render(
        request,
        "rpjmd/plan_form.html",
        {"form": form, "plan": plan, "conflict": conflict},
        status=409 if conflict else 200,
    )


def rpjpd(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """The region's RPJPD 2025–2045 beside the RPJPN it follows: everyone in the pemda reads
    it, a planner types it (visi, misi, arah kebijakan per tahapan); every save is kept."""
    plan = get_visible_or_404(
        request, Plan.objects.visible_to(request.user).select_related("region"), pk=plan_id
    )
    if not can_read_plan(request.user, plan):
        raise PermissionDenied
    long_term_plan = rpjpd_for(plan)
    editable = can_manage_plan(request.user, plan)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = RegionalLongTermPlanForm(request.POST or None, instance=long_term_plan)
    conflict = None
    if request.method == "POST" and form.is_valid():

        def save():
            return save_rpjpd(
                form.save(commit=False),
                missions=form.cleaned_data["missions"],
                directions=form.directions(),
            )

        try:
            save() if long_term_plan.pk is None else save_if_current(form, save)
        except Stale as stale:
            conflict = conflict_for(form, stale.current)
        else:
            messages.success(request, _("RPJPD disimpan."))
            return redirect("rpjpd", plan.pk)
    national = NationalLongTermGoal.objects.filter(
        level=NationalLongTermGoal.Level.MISSION, period=plan.long_term_period or "2025-2045"
    ).prefetch_related("directions")
    return render(
        request,
        "rpjmd/rpjpd.html",
        {
            "plan": plan,
            "rpjpd": long_term_plan,
            "form": form if editable else None,
            "conflict": conflict,
            "missions": list(long_term_plan.missions.all()) if long_term_plan.pk else [],
            "stages": [
                (f"{first}–{last}", long_term_plan.directions.get(f"{first}-{last}", ""))
                for first, last in long_term_plan.stages()
            ],
            "national": national,
            "national_vision": rpjpn_vision(plan.long_term_period or "2025-2045"),
            "history": (
                long_term_plan.history.select_related("history_user")[:20]
                if long_term_plan.pk
                else []
            ),
        },
        status=409 if conflict else 200,
    )


@require_GET
def stage_list(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = get_visible_or_404(
        request, Plan.objects.visible_to(request.user).select_related("region"), pk=plan_id
    )
    if not can_manage_plan(request.user, plan):
        raise PermissionDenied
    today = plan.region.today()
    template = "rpjmd/stage_list.html"
    if is_partial(request):
        template += "#stages"
    return render(request, template, {"plan": plan, "timeline": timeline(plan, today)})


def stage_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = get_visible_or_404(request, Plan.objects.visible_to(request.user), pk=plan_id)
    if not can_manage_plan(request.user, plan):
        raise PermissionDenied
    next_order = (plan.stages.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    form = StageForm(request.POST or None, plan=plan, initial={"order": next_order})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Tahapan ditambahkan."))
        return redirect("stage_list", plan.pk)
    return render(request, "rpjmd/stage_form.html", {"form": form, "plan": plan})


def _stage_for_planner(request: AuthedRequest, pk: int) -> Stage:
    stage = get_visible_or_404(
        request, Stage.objects.visible_to(request.user).select_related("plan"), pk=pk
    )
    if not can_manage_plan(request.user, stage.plan):
        raise PermissionDenied
    return stage


def stage_update(request: AuthedRequest, pk: int) -> HttpResponse:
    stage = _stage_for_planner(request, pk)
    form = StageForm(request.POST or None, instance=stage, plan=stage.plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            save_if_current(form)  # the stage and its history row, or neither
        except Stale as stale:
            conflict = conflict_for(form, stale.current)
        else:
            messages.success(request, _("Tahapan disimpan."))
            return redirect("stage_list", stage.plan_id)
    return render(
        request,
        "rpjmd/stage_form.html",
        {"form": form, "plan": stage.plan, "stage": stage, "conflict": conflict},
        status=409 if conflict else 200,
    )


@require_POST
def stage_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    stage = _stage_for_planner(request, pk)
    plan_id = stage.plan_id
    try:
        with transaction.atomic():
            stage.delete()
    except ProtectedError:
        # FGDs are held within a stage and keep their berita acara: they are never deleted
        # along with it.
        messages.error(
            request,
            _(
                "Tahapan “%(name)s” tidak dapat dihapus karena masih memiliki FGD. Pindahkan FGD "
                "tersebut ke tahapan lain terlebih dahulu."
            )
            % {"name": stage.name},
        )
        return redirect("stage_list", plan_id)
    messages.success(request, _("Tahapan “%(name)s” dihapus.") % {"name": stage.name})
    return redirect("stage_list", plan_id)


@require_POST
def stage_set_state(request: AuthedRequest, pk: int) -> HttpResponse:
    """Open or close a stage in place from the stage list (htmx) or as a plain form."""
    stage = _stage_for_planner(request, pk)
    state = request.POST.get("state", "")
    if state not in Stage.State.values:
        messages.error(request, _("Status tahapan tidak dikenal."))
    else:
        with transaction.atomic():
            stage.set_state(state)
        messages.success(
            request,
            _("Tahapan “%(name)s” kini %(state)s.")
            % {"name": stage.name, "state": stage.get_state_display().lower()},
        )
    if request.htmx:
        today = stage.plan.region.today()
        response = render(
            request,
            "rpjmd/stage_list.html#stages",
            {"plan": stage.plan, "timeline": timeline(stage.plan, today), "oob_messages": True},
        )
        return trigger_client_event(response, "stage-changed")
    return redirect("stage_list", stage.plan_id)


@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    notes = Notification.objects.for_user(request.user)
    page = Paginator(notes, 25).get_page(request.GET.get("page"))
    return render(request, "rpjmd/notification_list.html", {"page": page})


@require_POST
def notification_open(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark a notification read and go where it points (only ever inside this site)."""
    note = get_visible_or_404(request, Notification.objects.for_user(request.user), pk=pk)
    note.mark_read()
    target = note.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = "notification_list"
    return redirect(target)


@require_POST
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    updated = Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    messages.success(request, _("%(n)s notifikasi ditandai sudah dibaca.") % {"n": updated})
    return redirect("notification_list")


def password_change(request: AuthedRequest) -> HttpResponse:
    """Change one's own password; every other session of this user ends (Django's session
    hash), this one stays logged in."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit.record(request, audit.Action.PASSWORD_CHANGED, outcome=audit.Outcome.SUCCESS)
        messages.success(request, _("Kata sandi diubah. Sesi di perangkat lain telah diakhiri."))
        return redirect("home")
    return render(request, "registration/password_change_form.html", {"form": form})
