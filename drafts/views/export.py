"""PDF and Word export: the list of exports, starting one, its progress (htmx), the download; the
latest PDF for leaders; a chapter as PDF for its authors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from drafts import kinds, tasks
from drafts.access import chapter_for, document_for
from drafts.export import ExportError, build_pdf
from drafts.models import Document, Export, Section
from drafts.permissions import can_export, can_preview_chapter, can_see_exports
from rpjmd import heavy
from rpjmd.downloads import download
from rpjmd.requests import AuthedRequest


def _exports_document(request: AuthedRequest, plan_id: int) -> Document:
    document = document_for(request, plan_id)
    if not can_see_exports(request.user, document):
        raise PermissionDenied
    return document


def _export_for(request: AuthedRequest, document: Document, pk: int) -> Export:
    return get_object_or_404(
        Export.objects.visible_to(request.user)
        .filter(document=document)
        .select_related("document__plan__region", "created_by"),
        pk=pk,
    )


def export_list(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """GET: the exports of the document, newest first; POST: export the live document or a
    snapshot (field `source`: "live" or a snapshot id) as PDF or Word (field `format`)."""
    document = _exports_document(request, plan_id)
    allowed = can_export(request.user, document)
    snapshots = list(document.snapshots.only("pk", "name", "is_final", "created_at"))
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        chosen = request.POST.get("format", Export.Format.PDF)
        if chosen not in Export.Format.values:
            messages.error(request, _("Format ekspor tidak dikenal: pilih PDF atau Word."))
            return redirect("drafts:export_list", plan_id)
        source = request.POST.get("source", "live")
        snapshot = None
        if source != "live":
            snapshot = next((s for s in snapshots if str(s.pk) == source), None)
            if snapshot is None:
                raise Http404
        tasks.mark_stale(document)
        running = Export.objects.filter(
            document=document, status__in=[Export.Status.QUEUED, Export.Status.RUNNING]
        ).count()
        if running >= tasks.MAX_RUNNING:
            # Exports are heavy: one or two at a time keep the app responsive for everyone.
            messages.error(
                request,
                _("Sudah ada %(n)s ekspor yang berjalan. Tunggu hingga selesai, lalu coba lagi.")
                % {"n": running},
            )
            return redirect("drafts:export_list", plan_id)
        export = tasks.start_export(
            document=document, snapshot=snapshot, by=request.user, format=chosen
        )
        if export.status == Export.Status.FAILED:
            messages.error(request, _("Ekspor gagal: %(reason)s") % {"reason": _(export.failure)})
        elif chosen == Export.Format.DOCX:
            messages.success(request, _("Ekspor Word dimulai. Kemajuannya tampil di bawah."))
        else:
            messages.success(request, _("Ekspor PDF dimulai. Kemajuannya tampil di bawah."))
        return redirect("drafts:export_list", plan_id)
    exports = [
        tasks.as_shown(export)
        for export in Export.objects.visible_to(request.user)
        .filter(document=document)
        .select_related("created_by")[:50]
    ]
    return render(
        request,
        "drafts/export_list.html",
        {
            "plan": document.plan,
            "document": document,
            "exports": exports,
            "snapshots": snapshots,
            "can_export": allowed,
        },
    )


@require_GET
def export_progress(request: AuthedRequest, plan_id: int, pk: int) -> HttpResponse:
    """One export's row: polled by htmx every second while it runs; once finished the answer
    no longer polls and shows the download link (or the reason it failed). Read-only."""
    document = _exports_document(request, plan_id)
    export = tasks.as_shown(_export_for(request, document, pk))
    return render(request, "drafts/_export_row.html", {"plan": document.plan, "export": export})


@require_GET
def export_download(request: AuthedRequest, plan_id: int, pk: int) -> HttpResponse:
    document = _exports_document(request, plan_id)
    export = _export_for(request, document, pk)
    if export.status != Export.Status.DONE or not export.file:
        raise Http404
    return _file_response(export)


@require_GET
def export_latest(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """ "Unduh PDF terbaru": the newest finished export (the final document first if there is
    one) that this user may see."""
    document = _exports_document(request, plan_id)
    done = Export.objects.visible_to(request.user).filter(
        document=document, status=Export.Status.DONE, format=Export.Format.PDF
    )
    export = done.filter(is_final=True).first() or done.first()
    if export is None or not export.file:
        messages.info(request, _("Belum ada PDF yang selesai diekspor."))
        return redirect("drafts:export_list", plan_id)
    return _file_response(export)


def _file_response(export: Export) -> HttpResponse:
    return download(export.file, export.filename, export.content_type)


@require_GET
def chapter_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The chapter as it will print (live text the author may read), made on the spot."""
    chapter = chapter_for(request, pk)
    if chapter.is_front or not can_preview_chapter(request.user, chapter):
        raise PermissionDenied
    document = chapter.document
    try:
        with heavy.slot(request.user.pk):
            result = build_pdf(
                document,
                visible=Section.objects.visible_to(request.user),
                chapters=[chapter.order],
            )
    except heavy.Busy:
        return heavy.busy_response(request)
    except ExportError as error:
        messages.error(request, _(str(error)))
        return redirect("drafts:chapter", chapter.pk)
    printed = kinds.layout(document, document.chapters.all())
    number = printed.get((chapter.kind, chapter.order), (chapter.number, 0))[0]
    name = f"bab-{number or chapter.order}-pratinjau.pdf"
    return download(result.pdf, name, "application/pdf", inline=True)
