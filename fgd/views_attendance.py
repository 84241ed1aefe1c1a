"""Daftar hadir: the planner or notulis marks people present and adds walk-in guests;
invitees check themselves in with the meeting's link or code, on their phones."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fgd import permissions as perm
from fgd.forms import CheckInCodeForm, GuestForm
from fgd.models import Attendance, Meeting, ResourcePerson
from fgd.views import form_page, meeting_for, part_of_meeting
from fgd.workflow import WorkflowError, check_in, check_in_by_code, ensure_open
from rpjmd.addresses import client_ip
from rpjmd.models import User
from rpjmd.requests import AuthedRequest, is_partial, positive_int


def expected_people(meeting: Meeting) -> tuple[list[User], list[ResourcePerson]]:
    """Who is expected: staff of invited agencies, invited users, invited narasumber."""
    invitations = meeting.invitations.all()
    users = User.objects.filter(is_active=True).filter(
        pk__in=invitations.filter(user__isnull=False).values("user_id")
    ) | User.objects.filter(
        is_active=True,
        role=User.Role.OPD,
        agency_id__in=invitations.filter(agency__isnull=False).values("agency_id"),
    )
    people = ResourcePerson.objects.filter(
        pk__in=invitations.filter(resource_person__isnull=False).values("resource_person_id")
    )
    return list(users.select_related("agency").order_by("agency__name", "full_name")), list(people)


def roster_context(request: AuthedRequest, meeting: Meeting) -> dict:
    users, people = expected_people(meeting)
    attendances = list(meeting.attendances.select_related("user", "resource_person", "agency"))
    present_users = {a.user_id for a in attendances if a.user_id}
    present_people = {a.resource_person_id for a in attendances if a.resource_person_id}
    return {
        "meeting": meeting,
        "expected_users": [(u, u.pk in present_users) for u in users],
        "expected_people": [(p, p.pk in present_people) for p in people],
        "attendances": attendances,
        "can_keep": perm.can_keep_attendance(request.user, meeting),
        # Guests' phone numbers and e-mail: personal data, for the organisers only.
        "show_contacts": perm.can_keep_attendance(request.user, meeting),
    }


@never_cache
@require_GET
def attendance(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    user = request.user
    if not (perm.can_keep_attendance(user, meeting) or user.is_leader or user.is_admin):
        raise PermissionDenied
    template = "fgd/attendance.html"
    if is_partial(request):
        template += "#roster"
    return render(request, template, roster_context(request, meeting))


def _roster_response(request: AuthedRequest, meeting: Meeting) -> HttpResponse:
    if is_partial(request):
        context = roster_context(request, meeting) | {"oob_messages": True}
        return render(request, "fgd/attendance.html#roster", context)
    return redirect("fgd:attendance", meeting.pk)


@require_POST
def attendance_mark(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark an expected person present (an htmx button on the roster, or a plain form)."""
    meeting = meeting_for(request, pk)
    if not perm.can_keep_attendance(request.user, meeting):
        raise PermissionDenied
    users, people = expected_people(meeting)
    user_id = positive_int(request.POST.get("user"))
    person_id = positive_int(request.POST.get("resource_person"))
    who = None
    if user_id is not None:
        person = next((u for u in users if u.pk == user_id), None)
        who = {"user": person, "agency_id": person.agency_id} if person else None
    elif person_id is not None:
        person = next((p for p in people if p.pk == person_id), None)
        who = {"resource_person": person} if person else None
    try:
        ensure_open(meeting)
        if who is None:
            raise WorkflowError(_("Orang ini tidak ada dalam daftar undangan FGD."))
        with transaction.atomic():
            Attendance.objects.create(
                meeting=meeting, method=Attendance.Method.PLANNER, recorded_by=request.user, **who
            )
        messages.success(request, _("%(name)s tercatat hadir.") % {"name": person})
    except WorkflowError as error:
        messages.error(request, error.text)
    except IntegrityError:
        messages.info(request, _("%(name)s sudah tercatat hadir.") % {"name": person})
    return _roster_response(request, meeting)


def attendance_guest(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for(request, pk)
    if not perm.can_keep_attendance(request.user, meeting):
        raise PermissionDenied
    try:
        ensure_open(meeting)
    except WorkflowError as error:
        messages.error(request, error.text)
        return redirect("fgd:attendance", meeting.pk)
    form = GuestForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        form.instance.method = Attendance.Method.GUEST
        form.instance.recorded_by = request.user
        guest = form.save()
        messages.success(request, _("Tamu %(name)s tercatat hadir.") % {"name": guest.name})
        return redirect("fgd:attendance", meeting.pk)
    return form_page(
        request,
        meeting=meeting,
        form=form,
        title=_("Catat tamu yang hadir"),
        submit=_("Catat hadir"),
        intro=_(
            "Untuk peserta yang tidak memiliki akun. Kontak hanya terlihat oleh panitia "
            "dan tidak dicetak pada daftar hadir."
        ),
    )


@require_POST
def attendance_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    row = part_of_meeting(request, Attendance, pk, "meeting__plan", "user", "resource_person")
    meeting = row.meeting
    if not perm.can_keep_attendance(request.user, meeting):
        raise PermissionDenied
    try:
        ensure_open(meeting)
        if row.inputs.exists():
            raise WorkflowError(_("Tamu ini sudah menyampaikan masukan; kehadirannya tetap."))
        row.delete()
        messages.success(request, _("%(name)s dihapus dari daftar hadir.") % {"name": row.name})
    except WorkflowError as error:
        messages.error(request, error.text)
    return _roster_response(request, meeting)


def check_in_link(request: AuthedRequest, pk: int, token: str) -> HttpResponse:
    """The per-meeting link (shown by the planner as text or QR): one tap to check in."""
    meeting = meeting_for(request, pk)
    if token != meeting.check_in_token:
        raise Http404
    if request.method == "POST":
        try:
            attendance, created = check_in(
                meeting=meeting, user=request.user, method=Attendance.Method.LINK
            )
            if created:
                messages.success(request, _("Terima kasih, kehadiran Anda tercatat."))
            else:
                messages.info(request, _("Kehadiran Anda sudah tercatat sebelumnya."))
        except WorkflowError as error:
            messages.error(request, error.text)
        return redirect("fgd:check_in_link", meeting.pk, token)
    return render(
        request,
        "fgd/check_in.html",
        {"meeting": meeting, "token": token, "attended": _attended(meeting, request.user)},
    )


def _attended(meeting: Meeting, user: User) -> Attendance | None:
    person = perm.resource_person_of(user)
    if person is not None:
        return meeting.attendances.filter(resource_person=person).first()
    return meeting.attendances.filter(user=user).first()


def check_in_code(request: AuthedRequest) -> HttpResponse:
    """Type the meeting's six-character code on a phone; wrong codes are rate-limited."""
    form = CheckInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting, _attendance, created = check_in_by_code(
                code=form.cleaned_data["code"],
                user=request.user,
                address=client_ip(request),
            )
        except WorkflowError as error:
            form.add_error("code", error.text)
        else:
            if created:
                messages.success(
                    request,
                    _("Terima kasih, kehadiran Anda di %(title)s tercatat.")
                    % {"title": meeting.title},
                )
            else:
                messages.info(request, _("Kehadiran Anda sudah tercatat sebelumnya."))
            return redirect("fgd:meeting_detail", meeting.pk)
    return render(request, "fgd/check_in_code.html", {"form": form})
