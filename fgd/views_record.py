"""The berita acara, its signatories, the PDF documents, and follow-ups being completed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from fgd import documents
from fgd import permissions as perm
from fgd.forms import AddendumForm, FollowUpDoneForm, OfficialRecordForm, SignatoryForm
from fgd.models import Addendum, FollowUp, Meeting, OfficialRecord, Signatory
from fgd.views import form_page, meeting_for, meeting_for_planner, next_order, part_of_meeting
from fgd.workflow import (
    WorkflowError,
    add_signatory,
    delete_signatory,
    issue_addendum,
    sign_record,
)
from rpjmd import heavy
from rpjmd.downloads import download
from rpjmd.requests import AuthedRequest
from rpjmd.versioning import Stale, conflict_for, save_if_current


def _default_record(meeting: Meeting) -> OfficialRecord:
    starts = timezone.localtime(meeting.starts_at, meeting.zone)
    place = meeting.venue.split(",")[-1].strip() if meeting.venue else meeting.plan.region.capital
    return OfficialRecord(meeting=meeting, place=place, signed_on=starts.date())


def record_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    record = OfficialRecord.objects.filter(meeting=meeting).first() or _default_record(meeting)
    conflict = form = None
    # A form posted after signing is still read, so that it comes back as a conflict with
    # what was typed rather than a bare refusal.
    if not record.is_signed or request.method == "POST":
        form = OfficialRecordForm(request.POST or None, instance=record)
        if request.method == "POST" and form.is_valid():
            try:
                if record.pk is None:
                    form.save()
                else:
                    save_if_current(form, check=lambda current: not current.is_signed)
            except Stale as stale:
                conflict = conflict_for(
                    form, stale.current, can_overwrite=not stale.current.is_signed
                )
            else:
                messages.success(request, _("Berita acara disimpan."))
                return redirect("fgd:record_edit", meeting.pk)
    if record.is_signed and request.method == "POST" and conflict is None:
        messages.error(request, _("Berita acara sudah ditandatangani dan terkunci."))
        return redirect("fgd:record_edit", meeting.pk)
    return render(
        request,
        "fgd/record_form.html",
        {
            "meeting": meeting,
            "record": record,
            "form": form,
            "conflict": conflict,
            "signatories": record.signatories.all() if record.pk else [],
            "agreed_items": meeting.agreed_items.all(),
        },
        status=409 if conflict else 200,
    )


@require_POST
def record_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    record = OfficialRecord.objects.filter(meeting=meeting).first()
    if record is None:
        messages.error(request, _("Isi berita acara terlebih dahulu."))
        return redirect("fgd:record_edit", meeting.pk)
    try:
        with heavy.slot(request.user.pk):  # signing renders and stores the PDF
            sign_record(record=record, by=request.user)
    except heavy.Busy:
        return heavy.busy_response(request)
    except WorkflowError as error:
        messages.error(request, error.text)
        return redirect("fgd:record_edit", meeting.pk)
    messages.success(
        request,
        _("Berita acara ditandai sudah ditandatangani. PDF-nya disimpan seperti diterbitkan."),
    )
    return redirect("fgd:meeting_detail", meeting.pk)


def signatory_add(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_planner(request, pk)
    record = OfficialRecord.objects.filter(meeting=meeting).first()
    if record is None:
        messages.error(request, _("Isi berita acara terlebih dahulu."))
        return redirect("fgd:record_edit", meeting.pk)
    if record.is_signed:
        messages.error(request, _("Berita acara sudah ditandatangani dan terkunci."))
        return redirect("fgd:record_edit", meeting.pk)
    form = SignatoryForm(request.POST or None, initial={"order": next_order(record.signatories)})
    form.instance.record = record
    if request.method == "POST" and form.is_valid():
        try:
            add_signatory(signatory=form.save(commit=False))
        except WorkflowError as error:
            messages.error(request, error.text)
        else:
            messages.success(request, _("Penanda tangan ditambahkan."))
        return redirect("fgd:record_edit", meeting.pk)
    return form_page(
        request,
        meeting=meeting,
        form=form,
        title=_("Tambah penanda tangan berita acara"),
        submit=_("Tambahkan"),
    )


@require_POST
def signatory_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    signatory = part_of_meeting(
        request, Signatory, pk, "record__meeting__plan", via="record__meeting"
    )
    meeting = signatory.record.meeting
    if not perm.can_run(request.user, meeting):
        raise PermissionDenied
    try:
        delete_signatory(signatory=signatory)
    except WorkflowError as error:
        messages.error(request, error.text)
    else:
        messages.success(request, _("Penanda tangan dihapus."))
    return redirect("fgd:record_edit", meeting.pk)


def addendum_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """Changes after the berita acara was signed: issued as the next numbered addendum."""
    meeting = meeting_for_planner(request, pk)
    record = OfficialRecord.objects.filter(meeting=meeting, is_signed=True).first()
    if record is None:
        messages.error(
            request,
            _("Addendum hanya untuk berita acara yang sudah ditandatangani; ubah drafnya."),
        )
        return redirect("fgd:meeting_detail", meeting.pk)
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            addendum = issue_addendum(
                record=record, text=form.cleaned_data["text"], by=request.user
            )
        except WorkflowError as error:
            form.add_error("text", error.text)
        else:
            messages.success(
                request,
                _("Addendum %(n)s diterbitkan; PDF-nya disimpan seperti diterbitkan.")
                % {"n": addendum.number},
            )
            return redirect(reverse("fgd:meeting_detail", args=[meeting.pk]) + "#dokumen")
    return form_page(
        request,
        meeting=meeting,
        form=form,
        title=_("Terbitkan addendum %(n)s berita acara") % {"n": record.addenda.count() + 1},
        submit=_("Terbitkan addendum"),
        intro=_(
            "Berita acara yang sudah ditandatangani tidak diubah. Tuliskan apa yang berubah "
            "sesudahnya; addendum diterbitkan sebagai PDF bernomor dan tidak dapat diubah lagi."
        ),
    )


@never_cache
@require_GET
def addendum_document(request: AuthedRequest, pk: int, number: int) -> HttpResponse:
    """An addendum's PDF, exactly as issued."""
    meeting = meeting_for(request, pk)
    if not perm.can_download_documents(request.user, meeting):
        raise PermissionDenied
    addendum = get_object_or_404(
        Addendum.objects.select_related("record__meeting"), record__meeting=meeting, number=number
    )
    return download(addendum.pdf, documents.addendum_file_name(addendum), "application/pdf")


@never_cache
@require_GET
def document(request: AuthedRequest, pk: int, slug: str) -> HttpResponse:
    """A document of the FGD as PDF. A signed berita acara is served exactly as issued; every
    other document (and an unsigned berita acara, marked DRAF) is rendered from the records."""
    meeting = meeting_for(request, pk)
    if slug not in documents.DOCUMENTS:
        raise Http404
    if not perm.can_download_documents(request.user, meeting):
        raise PermissionDenied
    name = documents.file_name(meeting, slug)
    record = OfficialRecord.objects.filter(meeting=meeting).first()
    if slug == "berita-acara":
        if record is None:
            messages.error(request, _("Berita acara belum diisi."))
            return redirect(
                "fgd:record_edit" if perm.can_run(request.user, meeting) else "fgd:meeting_detail",
                meeting.pk,
            )
        if record.is_signed:
            return download(record.pdf, name, "application/pdf")
    draft = slug == "berita-acara"
    try:
        with heavy.slot(request.user.pk):
            pdf = documents.render_document(meeting, slug, draft=draft)
    except heavy.Busy:
        return heavy.busy_response(request)
    return download(pdf, name, "application/pdf")


def _follow_up_for(request: AuthedRequest, pk: int) -> FollowUp:
    """An OPD sees only its own agency's follow-ups: another agency's is a 404."""
    follow_ups = FollowUp.objects.filter(
        meeting__in=Meeting.objects.visible_to(request.user)
    ).select_related("meeting__plan__region", "agency")
    if request.user.is_opd:
        follow_ups = follow_ups.filter(agency_id=request.user.agency_id)
    return get_object_or_404(follow_ups, pk=pk)


def followup_done(request: AuthedRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up_for(request, pk)
    if not perm.can_complete_follow_up(request.user, follow_up):
        raise PermissionDenied
    if follow_up.is_done:
        messages.info(request, _("Tindak lanjut ini sudah dilaporkan selesai."))
        return redirect("fgd:followup_list", follow_up.meeting.plan_id)
    form = FollowUpDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        follow_up.done_at = timezone.now()
        follow_up.done_note = form.cleaned_data["note"]
        follow_up.done_by = request.user
        follow_up.save()
        messages.success(request, _("Tindak lanjut dilaporkan selesai."))
        return redirect("fgd:followup_list", follow_up.meeting.plan_id)
    return render(
        request,
        "fgd/followup_done.html",
        {
            "meeting": follow_up.meeting,
            "follow_up": follow_up,
            "form": form,
            "overdue": follow_up.due_on < follow_up.meeting.plan.region.today(),
            "back": reverse("fgd:followup_list", args=[follow_up.meeting.plan_id]),
        },
    )
