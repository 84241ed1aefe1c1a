"""FGD pages: the list per stage, one page per FGD, and the pages that run it."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fgd import permissions as perm
from fgd.forms import (
    AgendaItemForm,
    AgreedItemForm,
    CloseForm,
    FollowUpForm,
    InputForm,
    InvitationForm,
    MeetingForm,
    ReopenForm,
    ResponseForm,
)
from fgd.models import (
    Addendum,
    AgendaItem,
    AgreedItem,
    Attendance,
    FollowUp,
    Input,
    Invitation,
    Meeting,
    Minutes,
    OfficialRecord,
)
from fgd.tabling import tabled_context
from fgd.workflow import (
    WorkflowError,
    add_agreed_item,
    close_meeting,
    delete_agreed_item,
    ensure_record_unsigned,
    reopen_meeting,
    respond_to_input,
)
from fgd.workflow import start_meeting as start
from issues.editing import save_potential
from issues.forms import PotentialForm
from issues.models import Potential, Problem
from rpjmd.clock import format_time
from rpjmd.models import Plan, User
from rpjmd.notifications import notify
from rpjmd.plans import remember_plan
from rpjmd.requests import AuthedRequest, is_partial, positive_int
from rpjmd.versioning import Stale, conflict_for, save_if_current

MEETING_RELATED = ("plan__region", "stage", "notulis")


def meeting_for(request: AuthedRequest, pk: int) -> Meeting:
    """The meeting, if this user may see it at all (another agency's or region's: 404)."""
    return get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related(*MEETING_RELATED), pk=pk
    )


def meeting_for_planner(request: AuthedRequest, pk: int) -> Meeting:
    meeting = meeting_for(request, pk)
    if not perm.can_run(request.user, meeting):
        raise PermissionDenied
    return meeting


def part_of_meeting(request: AuthedRequest, model, pk: int, *related: str, via: str = "meeting"):
    """A record of an FGD (agenda item, input, invitation, …) the user may see at all; one of
    another agency's or region's FGD is a 404, like the FGD itself."""
    visible = Meeting.objects.visible_to(request.user)
    return get_object_or_404(
        model.objects.filter(**{f"{via}__in": visible}).select_related(*related), pk=pk
    )


def next_order(rows) -> int:
    """The order number a new row gets: one after the last."""
    return (rows.order_by("-order").values_list("order", flat=True).first() or 0) + 1


def plan_for(request: AuthedRequest, plan_id: int) -> Plan:
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("region"), pk=plan_id
    )
    remember_plan(request, plan)
    return plan


def form_page(request, *, meeting: Meeting, form, title: str, submit: str, intro: str = ""):
    """A small form of the FGD (agenda item, agreed item, …) on its own page: works without
    JavaScript, and an invalid form comes back with what was typed."""
    return render(
        request,
        "fgd/form_page.html",
        {"meeting": meeting, "form": form, "title": title, "submit": submit, "intro": intro},
    )


def _refuse(request, error: WorkflowError) -> None:
    messages.error(request, error.text)


# The list and the page of one FGD


def _count(rows):
    per_meeting = rows.filter(meeting=OuterRef("pk")).order_by().values("meeting")
    return Coalesce(Subquery(per_meeting.annotate(n=Count("pk")).values("n")), 0)


@require_GET
def meeting_list(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id)
    meetings = (
        Meeting.objects.visible_to(request.user)
        .filter(plan=plan)
        .select_related("stage")
        # Subqueries, not joins: joining attendances and inputs at once multiplies the rows.
        .annotate(
            attendance_count=_count(Attendance.objects.all()),
            pending_count=_count(Input.objects.pending()),
        )
        .order_by("stage__order", "stage__pk", "starts_at", "pk")
    )
    stage_id = positive_int(request.GET.get("tahapan"))
    if stage_id is not None:
        meetings = meetings.filter(stage_id=stage_id)
    groups = [(stage, list(items)) for stage, items in groupby(meetings, key=lambda m: m.stage)]
    template = "fgd/meeting_list.html"
    if is_partial(request):
        template += "#meetings"
    return render(
        request,
        template,
        {
            "plan": plan,
            "groups": groups,
            "stages": plan.stages.all(),
            "stage_id": stage_id,
            "can_create": perm.can_run_meetings(request.user, plan),
            "now": timezone.now(),
        },
    )


def meeting_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id)
    if not perm.can_run_meetings(request.user, plan):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        meeting = form.save()
        messages.success(
            request, _("FGD dibuat. Tambahkan susunan acara dan undang peserta serta narasumber.")
        )
        return redirect("fgd:meeting_detail", meeting.pk)
    return render(request, "fgd/meeting_form.html", {"form": form, "plan": plan})


@require_GET
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    remember_plan(request, meeting.plan)
    user = request.user
    follow_ups = meeting.follow_ups.select_related("agency", "done_by")
    if user.is_opd and not perm.can_run(user, meeting):
        follow_ups = follow_ups.filter(agency_id=user.agency_id)
    invitations = list(
        meeting.invitations.select_related("agency", "user", "user__agency", "resource_person")
    )
    return render(
        request,
        "fgd/meeting_detail.html",
        {
            "meeting": meeting,
            "plan": meeting.plan,
            "agenda": meeting.agenda_items.all(),
            "agency_invitations": [i for i in invitations if i.agency_id],
            "person_invitations": [i for i in invitations if not i.agency_id],
            "attendances": meeting.attendances.select_related("user", "resource_person", "agency"),
            "inputs": meeting.inputs.select_related(
                "resource_person", "agency", "guest__resource_person", "guest__user"
            ).prefetch_related(
                Prefetch("problems", queryset=Problem.objects.select_related("agency")),
                "strategic_issues",
                "potentials",
            ),
            "visible_potential_ids": set(
                Potential.objects.visible_to(user)
                .filter(fgd_inputs__meeting=meeting)
                .values_list("pk", flat=True)
            ),
            "agreed_items": meeting.agreed_items.all(),
            "follow_ups": follow_ups,
            "record": OfficialRecord.objects.filter(meeting=meeting).first(),
            "addenda": Addendum.objects.filter(record__meeting=meeting),
            "status_changes": meeting.status_changes.select_related("by"),
            "can_run": perm.can_run(user, meeting),
            "can_keep_attendance": perm.can_keep_attendance(user, meeting),
            "can_record_input": perm.can_record_input(user, meeting),
            "can_read_minutes": perm.can_read_minutes(user, meeting),
            "can_download": perm.can_download_documents(user, meeting),
            "my_attendance": _my_attendance(meeting, user),
            "check_in_open": meeting.check_in_open(),
            "check_in_url": request.build_absolute_uri(
                reverse("fgd:check_in_link", args=[meeting.pk, meeting.check_in_token])
            ),
            "reopen_form": ReopenForm(),
        }
        | tabled_context(meeting, user),
    )


def _my_attendance(meeting: Meeting, user) -> Attendance | None:
    person = perm.resource_person_of(user) if user.is_resource_person else None
    if person is not None:
        return meeting.attendances.filter(resource_person=person).first()
    return meeting.attendances.filter(user=user).first()


def meeting_update(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    # A form posted after the FGD was closed comes back as a conflict with what was typed.
    if meeting.is_closed and request.method != "POST":
        messages.error(request, _("FGD sudah ditutup; buka kembali untuk mengubahnya."))
        return redirect("fgd:meeting_detail", meeting.pk)
    form = MeetingForm(request.POST or None, instance=meeting, plan=meeting.plan)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            save_if_current(form, check=lambda current: not current.is_closed)
        except Stale as stale:
            conflict = conflict_for(
                form,
                stale.current,
                status=stale.current.get_status_display(),
                can_overwrite=not stale.current.is_closed,
            )
        else:
            messages.success(request, _("FGD disimpan."))
            return redirect("fgd:meeting_detail", meeting.pk)
    return render(
        request,
        "fgd/meeting_form.html",
        {"form": form, "plan": meeting.plan, "meeting": meeting, "conflict": conflict},
        status=409 if conflict else 200,
    )


@require_POST
def meeting_start(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    try:
        start(meeting=meeting, by=request.user)
        messages.success(request, _("FGD ditandai sedang berlangsung."))
    except WorkflowError as error:
        _refuse(request, error)
    return redirect("fgd:meeting_detail", meeting.pk)


def meeting_close(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    pending = meeting.inputs.pending().select_related("resource_person", "agency", "guest")
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            close_meeting(
                meeting=meeting, by=request.user, pending_reason=form.cleaned_data["pending_reason"]
            )
        except WorkflowError as error:
            form.add_error("pending_reason", error.text)
        else:
            messages.success(
                request,
                _("FGD ditutup. Daftar hadir dan notulensi terkunci; notulensi kini terbit."),
            )
            return redirect("fgd:meeting_detail", meeting.pk)
    return render(
        request,
        "fgd/meeting_close.html",
        {
            "meeting": meeting,
            "form": form,
            "pending": pending,
            "agreed_items": meeting.agreed_items.all(),
            "follow_ups": meeting.follow_ups.select_related("agency"),
        },
    )


@require_POST
def meeting_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    form = ReopenForm(request.POST)
    try:
        reopen_meeting(
            meeting=meeting,
            by=request.user,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
        messages.success(request, _("FGD dibuka kembali; alasannya tercatat di riwayat."))
    except WorkflowError as error:
        _refuse(request, error)
    return redirect("fgd:meeting_detail", meeting.pk)


# Agenda


def _refused_after_signing(request, meeting: Meeting) -> bool:
    """True (with the message said) when the signed berita acara freezes the meeting."""
    try:
        ensure_record_unsigned(meeting)
    except WorkflowError as error:
        _refuse(request, error)
        return True
    return False


def agenda_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    if _refused_after_signing(request, meeting):
        return redirect("fgd:meeting_detail", meeting.pk)
    form = AgendaItemForm(request.POST or None, initial={"order": next_order(meeting.agenda_items)})
    form.instance.meeting = meeting
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            item = form.save()
            Minutes.objects.create(agenda_item=item)
        messages.success(request, _("Acara ditambahkan ke susunan acara."))
        return redirect("fgd:meeting_detail", meeting.pk)
    return form_page(
        request,
        meeting=meeting,
        form=form,
        title=_("Tambah susunan acara"),
        submit=_("Tambahkan"),
        intro=_("Setiap acara mendapat notulensinya sendiri."),
    )


def _agenda_item_for(request: AuthedRequest, pk: int) -> AgendaItem:
    return part_of_meeting(
        request, AgendaItem, pk, "meeting", *(f"meeting__{r}" for r in MEETING_RELATED)
    )


@require_POST
def agenda_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _agenda_item_for(request, pk)
    meeting = item.meeting
    if not perm.can_run(request.user, meeting):
        raise PermissionDenied
    minutes = Minutes.objects.filter(agenda_item=item).first()
    if _refused_after_signing(request, meeting):
        pass
    elif meeting.is_closed:
        messages.error(request, _("FGD sudah ditutup; buka kembali untuk mengubahnya."))
    elif minutes is not None and minutes.text.strip():
        messages.error(
            request, _("Acara ini sudah memiliki notulensi; kosongkan notulensinya dahulu.")
        )
    else:
        item.delete()
        messages.success(request, _("Acara “%(title)s” dihapus.") % {"title": item.title})
    return redirect("fgd:meeting_detail", meeting.pk)


# Invitations


def invitation_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    if meeting.is_closed:
        messages.error(request, _("FGD sudah ditutup; buka kembali untuk mengubahnya."))
        return redirect("fgd:meeting_detail", meeting.pk)
    form = InvitationForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        # Lists now: the choices' querysets exclude whoever is invited once we have saved.
        data = {
            name: list(form.cleaned_data[name])
            for name in ["agencies", "resource_persons", "users"]
        }
        url = reverse("fgd:meeting_detail", args=[meeting.pk])
        with transaction.atomic():
            rows = (
                [
                    Invitation(meeting=meeting, agency=a, invited_by=request.user)
                    for a in data["agencies"]
                ]
                + [
                    Invitation(meeting=meeting, resource_person=p, invited_by=request.user)
                    for p in data["resource_persons"]
                ]
                + [
                    Invitation(meeting=meeting, user=u, invited_by=request.user)
                    for u in data["users"]
                ]
            )
            Invitation.objects.bulk_create(rows)
            recipients = list(data["users"]) + [
                p.user for p in data["resource_persons"] if p.user_id
            ]
            recipients += list(
                User.objects.filter(agency__in=data["agencies"], role=User.Role.OPD, is_active=True)
            )
            local = timezone.localtime(meeting.starts_at, meeting.zone)
            notify(
                recipients=recipients,
                message=_("Anda diundang ke %(title)s, %(when)s.")
                % {"title": meeting.title, "when": format_time(local, "j F Y H:i T")},
                url=url,
                plan=meeting.plan,
            )
        messages.success(request, _("%(n)s undangan ditambahkan.") % {"n": len(rows)})
        return redirect("fgd:meeting_detail", meeting.pk)
    return form_page(
        request,
        meeting=meeting,
        form=form,
        title=_("Undang peserta dan narasumber"),
        submit=_("Undang"),
        intro=_("Yang diundang menerima notifikasi dan dapat melihat FGD ini beserta bahannya."),
    )


@require_POST
def invitation_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = part_of_meeting(
        request, Invitation, pk, "meeting__plan", "agency", "user", "resource_person"
    )
    if not perm.can_run(request.user, invitation.meeting):
        raise PermissionDenied
    if invitation.meeting.is_closed:
        messages.error(request, _("FGD sudah ditutup; buka kembali untuk mengubahnya."))
    else:
        invitation.delete()
        messages.success(request, _("Undangan untuk %(who)s dibatalkan.") % {"who": invitation})
    return redirect("fgd:meeting_detail", invitation.meeting_id)


# Inputs


def input_create(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    if not perm.can_record_input(request.user, meeting):
        raise PermissionDenied
    if meeting.is_closed:
        messages.error(request, _("FGD sudah ditutup: masukan baru tidak dapat dicatat."))
        return redirect("fgd:meeting_detail", meeting.pk)
    own = (
        None
        if perm.can_keep_attendance(request.user, meeting)
        else perm.resource_person_of(request.user)
    )
    form = InputForm(request.POST or None, meeting=meeting, own_author=own)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.created_by = request.user
            form.save()
        messages.success(request, _("Masukan dicatat."))
        return redirect(reverse("fgd:meeting_detail", args=[meeting.pk]) + "#masukan")
    return render(
        request,
        "fgd/input_form.html",
        {"meeting": meeting, "form": form, "own": own},
    )


def input_respond(request: AuthedRequest, pk: int) -> HttpResponse:
    item = part_of_meeting(
        request, Input, pk, "meeting__plan__region", "resource_person", "agency", "guest"
    )
    meeting = item.meeting
    if not perm.can_run(request.user, meeting):
        raise PermissionDenied
    if _refused_after_signing(request, meeting):
        return redirect(reverse("fgd:meeting_detail", args=[meeting.pk]) + "#masukan")
    initial = {} if not item.is_pending else {"response": None}
    form = ResponseForm(request.POST or None, instance=item, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            save_if_current(
                form,
                lambda: respond_to_input(
                    input=form.instance,
                    response=form.cleaned_data["response"],
                    reason=form.cleaned_data["response_reason"],
                    landed_in=form.cleaned_data["landed_in"],
                    by=request.user,
                    problems=form.cleaned_data.get("problems"),
                ),
            )
        except WorkflowError as error:
            form.add_error(None, error.text)
        except Stale as stale:
            conflict = conflict_for(form, stale.current)
        else:
            messages.success(request, _("Tanggapan atas masukan disimpan."))
            return redirect(reverse("fgd:meeting_detail", args=[meeting.pk]) + "#masukan")
    linked = Problem.objects.visible_to(request.user).filter(fgd_inputs=item)
    return render(
        request,
        "fgd/input_respond.html",
        {
            "meeting": meeting,
            "item": item,
            "form": form,
            "visible_problem_ids": set(linked.values_list("pk", flat=True)),
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


def input_potential(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a potensi of the region from what was said in the FGD: the potensi keeps the link
    to the input, so its origin shows on both pages."""
    item = part_of_meeting(
        request, Input, pk, "meeting__plan__region", "resource_person", "agency", "guest"
    )
    meeting = item.meeting
    if not perm.can_record_potential_from(request.user, item):
        raise PermissionDenied
    plan = meeting.plan
    form = PotentialForm(
        request.POST or None,
        request.FILES or None,
        instance=Potential(plan=plan, agency=item.agency),
        plan=plan,
        choose_agency=False,
    )
    if request.method == "GET":
        said_by = item.resource_person or item.agency or item.speaker
        form.initial.update(
            {
                "title": item.text[:300],
                "source": (
                    _("Masukan %(who)s pada %(meeting)s, %(date)s")
                    % {
                        "who": said_by,
                        "meeting": meeting.title,
                        "date": formats.date_format(
                            timezone.localtime(meeting.starts_at, meeting.zone), "j F Y"
                        ),
                    }
                )[:300],
            }
        )
    if request.method == "POST" and form.is_valid():
        potential = save_potential(
            form=form, by=request.user, agency=item.agency, from_inputs=(item,)
        )
        messages.success(
            request, _("Potensi “%(title)s” dicatat dari masukan FGD.") % {"title": potential.title}
        )
        return redirect("issues:potential_detail", potential.pk)
    return render(
        request,
        "issues/potential_form.html",
        {
            "plan": plan,
            "form": form,
            "potential": None,
            "source_input": item,
            "cancel": ("fgd:meeting_detail", meeting.pk),
        },
    )


# Agreed items and follow-ups


def agreed_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    try:
        ensure_record_unsigned(meeting)
    except WorkflowError as error:
        _refuse(request, error)
        return redirect("fgd:meeting_detail", meeting.pk)
    form = AgreedItemForm(request.POST or None, initial={"order": next_order(meeting.agreed_items)})
    form.instance.meeting = meeting
    if request.method == "POST" and form.is_valid():
        try:
            add_agreed_item(item=form.save(commit=False))
        except WorkflowError as error:
            _refuse(request, error)
            return redirect("fgd:meeting_detail", meeting.pk)
        messages.success(request, _("Kesepakatan ditambahkan."))
        return redirect(reverse("fgd:meeting_detail", args=[meeting.pk]) + "#kesepakatan")
    return form_page(
        request,
        meeting=meeting,
        form=form,
        title=_("Tambah kesepakatan"),
        submit=_("Tambahkan"),
        intro=_("Kesepakatan dibacakan berurutan sebagai KESATU, KEDUA, dan seterusnya."),
    )


@require_POST
def agreed_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = part_of_meeting(request, AgreedItem, pk, "meeting__plan")
    if not perm.can_run(request.user, item.meeting):
        raise PermissionDenied
    try:
        delete_agreed_item(item=item)
    except WorkflowError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("Kesepakatan dihapus."))
    return redirect(reverse("fgd:meeting_detail", args=[item.meeting_id]) + "#kesepakatan")


def followup_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    form = FollowUpForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            follow_up = form.save()
            notify(
                recipients=User.objects.filter(
                    agency=follow_up.agency, role=User.Role.OPD, is_active=True
                ),
                message=_("Tindak lanjut FGD untuk %(agency)s: %(text)s")
                % {"agency": follow_up.agency.short_name, "text": follow_up.text[:200]},
                url=reverse("fgd:followup_list", args=[meeting.plan_id]),
                plan=meeting.plan,
            )
        messages.success(request, _("Tindak lanjut ditambahkan."))
        return redirect(reverse("fgd:meeting_detail", args=[meeting.pk]) + "#tindak-lanjut")
    return form_page(
        request,
        meeting=meeting,
        form=form,
        title=_("Tambah tindak lanjut"),
        submit=_("Tambahkan"),
        intro=_("Perangkat daerah penanggung jawab diberi tahu dan melaporkan penyelesaiannya."),
    )


@never_cache
@require_GET
def followup_list(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """The follow-ups of every FGD of the plan: an OPD sees its own agency's."""
    plan = plan_for(request, plan_id)
    follow_ups = (
        FollowUp.objects.filter(
            meeting__in=Meeting.objects.visible_to(request.user), meeting__plan=plan
        )
        .select_related("meeting", "agency", "done_by")
        .order_by("done_at", "due_on", "pk")
    )
    if request.user.is_opd:
        follow_ups = follow_ups.filter(agency_id=request.user.agency_id)
    return render(
        request,
        "fgd/followup_list.html",
        {"plan": plan, "follow_ups": follow_ups, "today": plan.region.today()},
    )
