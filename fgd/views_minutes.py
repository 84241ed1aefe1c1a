"""Notulensi written live: autosave with a version check, conflicts shown side by side."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fgd import permissions as perm
from fgd.models import AgendaItem, Meeting, Minutes
from fgd.views import meeting_for, part_of_meeting
from fgd.workflow import WorkflowError, save_minutes
from rpjmd.clock import format_time
from rpjmd.requests import AuthedRequest, positive_int

MAX_MINUTES_LENGTH = 200_000


def _items_with_minutes(meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.agenda_items.select_related("minutes", "minutes__updated_by"))


def _minutes_page(request: AuthedRequest, meeting: Meeting, conflicts: dict | None = None):
    user = request.user
    items = _items_with_minutes(meeting)
    for item in items:
        item.conflict = (conflicts or {}).get(item.pk)
    return render(
        request,
        "fgd/minutes.html",
        {
            "meeting": meeting,
            "items": items,
            "can_write": perm.can_write_minutes(user, meeting) and not meeting.is_closed,
            "can_read": perm.can_read_minutes(user, meeting),
            "can_see_versions": perm.can_write_minutes(user, meeting)
            or user.is_leader
            or user.is_admin,
        },
    )


@never_cache
@require_GET
def minutes(request: AuthedRequest, pk: int) -> HttpResponse:
    return _minutes_page(request, meeting_for(request, pk))


def _agenda_item(request: AuthedRequest, pk: int) -> AgendaItem:
    return part_of_meeting(
        request, AgendaItem, pk, "meeting__plan__region", "meeting__notulis", "meeting__stage"
    )


def _wants_json(request: AuthedRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _stamp(minutes: Minutes) -> dict:
    at = timezone.localtime(minutes.updated_at) if minutes.updated_at else None
    return {
        "version": minutes.version,
        "text": minutes.text,
        "by": str(minutes.updated_by) if minutes.updated_by_id else "",
        "at": format_time(at, "H:i:s") if at else "",
    }


@require_POST
def minutes_save(request: AuthedRequest, pk: int) -> HttpResponse:
    """One agenda item's minutes. The page's script sends `text` and the `version` it started
    from every few seconds and gets JSON back; without JavaScript the same form posts here and
    comes back as a page."""
    item = _agenda_item(request, pk)
    meeting = item.meeting
    if not perm.can_write_minutes(request.user, meeting):
        raise PermissionDenied
    text = request.POST.get("text", "").replace("\r\n", "\n")
    base = positive_int(request.POST.get("version"), minimum=0)
    error = None
    if base is None:
        error = _("Versi notulensi tidak dikenal; muat ulang halaman.")
    elif "\x00" in text:
        error = _("Teks mengandung karakter yang tidak diizinkan.")
    elif len(text) > MAX_MINUTES_LENGTH:
        error = _("Notulensi terlalu panjang untuk satu acara; bagi ke acara lain.")
    if error is None:
        notes, _created = Minutes.objects.get_or_create(agenda_item=item)
        try:
            result = save_minutes(minutes=notes, text=text, base_version=base, by=request.user)
        except WorkflowError as refused:
            error = refused.text
    if error is not None:
        if _wants_json(request):
            return JsonResponse({"error": error}, status=400)
        messages.error(request, error)
        return redirect("fgd:minutes", meeting.pk)
    if _wants_json(request):
        if result.saved:
            return JsonResponse({"saved": True} | _stamp(result.minutes))
        return JsonResponse({"saved": False, "conflict": True} | _stamp(result.minutes), status=409)
    if result.saved:
        messages.success(request, _("Notulensi “%(title)s” tersimpan.") % {"title": item.title})
        return redirect(reverse("fgd:minutes", args=[meeting.pk]) + f"#acara-{item.pk}")
    messages.warning(
        request,
        _(
            "Notulensi “%(title)s” sudah diubah orang lain sejak Anda membukanya. Kedua versi "
            "ditampilkan berdampingan: gabungkan, lalu simpan lagi."
        )
        % {"title": item.title},
    )
    return _minutes_page(
        request, meeting, conflicts={item.pk: {"mine": text, "theirs": result.minutes}}
    )


@never_cache
@require_GET
def minutes_versions(request: AuthedRequest, pk: int) -> HttpResponse:
    item = _agenda_item(request, pk)
    user = request.user
    if not (perm.can_write_minutes(user, item.meeting) or user.is_leader or user.is_admin):
        raise PermissionDenied
    notes = Minutes.objects.filter(agenda_item=item).first()
    revisions = notes.revisions.select_related("by") if notes else []
    page = Paginator(revisions, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "fgd/minutes_versions.html",
        {"meeting": item.meeting, "item": item, "page": page},
    )
