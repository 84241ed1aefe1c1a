"""The document as a whole: its outline, the board of sections, its settings, chapters to read."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from drafts import blocks as block_registry
from drafts import kinds
from drafts.access import chapter_for, document_for, managed_document, plan_for
from drafts.forms import DocumentSettingsForm
from drafts.models import Document, Section
from drafts.outline import create_document, number_sections
from drafts.permissions import (
    can_manage_document,
    can_preview_chapter,
    can_see_exports,
    can_upload_images,
)
from drafts.rendering import render_body
from drafts.snapshots import assemble_live, live_numbers
from rpjmd.models import Agency
from rpjmd.plans import remember_plan
from rpjmd.requests import AuthedRequest, is_partial
from rpjmd.versioning import save_or_conflict


def _outline(document: Document, user, today, zone):
    """Chapters with all their sections (titles are not anyone's unfinished work), each marked
    with whether this user may open it and whether it is late."""
    visible = set(
        Section.objects.visible_to(user)
        .filter(chapter__document=document)
        .values_list("pk", flat=True)
    )
    sections = (
        Section.objects.filter(chapter__document=document)
        .select_related("assigned_agency", "assigned_user")
        .defer("body", "captions")
        .order_by("chapter__order", "order", "pk")
    )
    by_chapter: dict[int, list[Section]] = {}
    handed_in = document.handed_in_on(zone)
    for section in sections:
        section.can_open = section.pk in visible
        section.is_late = section.late_on(today, handed_in)
        by_chapter.setdefault(section.chapter_id, []).append(section)
    chapters = list(document.chapters.order_by("order"))
    printed = kinds.layout(document, chapters)
    for chapter in chapters:
        chapter.printed = kinds.is_printed(document, chapter, printed)
        chapter.printed_number = printed.get((chapter.kind, chapter.order), ("", 0))[0]
        chapter.rows = by_chapter.get(chapter.pk, [])
        numbers = number_sections(chapter, chapter.rows)
        for section in chapter.rows:
            section.number = numbers[section.pk]
    return chapters


@require_GET
def document(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id)
    remember_plan(request, plan)
    doc = Document.objects.filter(plan=plan).first()
    can_manage = can_manage_document(request.user, plan)
    if doc is None:
        return render(
            request, "drafts/document_empty.html", {"plan": plan, "can_manage": can_manage}
        )
    today = plan.region.today()
    chapters = _outline(doc, request.user, today, plan.region.zone)
    statuses = Counter(s.status for c in chapters for s in c.rows)
    late = sum(1 for c in chapters for s in c.rows if s.is_late)
    return render(
        request,
        "drafts/document.html",
        {
            "plan": plan,
            "document": doc,
            "chapters": chapters,
            "today": today,
            "late": late,
            "statuses": [
                (value, label, statuses.get(value, 0)) for value, label in Section.Status.choices
            ],
            "total": sum(statuses.values()),
            "can_manage": can_manage,
            "can_see_exports": can_see_exports(request.user, doc),
        },
    )


@require_POST
def document_create(request: AuthedRequest, plan_id: int) -> HttpResponse:
    plan = plan_for(request, plan_id)
    if not can_manage_document(request.user, plan):
        raise PermissionDenied
    create_document(plan=plan, by=request.user)
    messages.success(
        request,
        _("Dokumen dibuat dari sistematika Permendagri 86/2017. Tugaskan bagian-bagiannya."),
    )
    return redirect("drafts:document", plan.pk)


@require_GET
def board(request: AuthedRequest, plan_id: int) -> HttpResponse:
    """Sections by status, with who writes them, by when, and who is late."""
    doc = document_for(request, plan_id)
    plan = doc.plan
    today = plan.region.today()
    chapters = _outline(doc, request.user, today, plan.region.zone)
    agencies = Agency.objects.filter(
        region_id=plan.region_id, sections__chapter__document=doc
    ).distinct()
    wanted = request.GET.get("perangkat", "")
    columns = {value: [] for value in Section.Status.values}
    for chapter in chapters:
        for section in chapter.rows:
            if wanted and str(section.assigned_agency_id) != wanted:
                continue
            section.chapter_label = chapter.number or chapter.title
            columns[section.status].append(section)
    template = "drafts/board.html"
    if is_partial(request):
        template += "#board"
    return render(
        request,
        template,
        {
            "plan": plan,
            "document": doc,
            "columns": [(value, label, columns[value]) for value, label in Section.Status.choices],
            "agencies": agencies,
            "wanted": wanted,
            "today": today,
            "late": sum(1 for items in columns.values() for s in items if s.is_late),
        },
    )


def settings(request: AuthedRequest, plan_id: int) -> HttpResponse:
    doc = managed_document(request, plan_id)
    form = DocumentSettingsForm(request.POST or None, instance=doc)
    conflict = None
    if request.method == "POST" and form.is_valid():
        conflict = save_or_conflict(form)
        if conflict is None:
            messages.success(request, _("Pengaturan dokumen disimpan."))
            return redirect("drafts:document", doc.plan_id)
    return render(
        request,
        "drafts/settings.html",
        {"form": form, "document": doc, "plan": doc.plan, "conflict": conflict},
        status=409 if conflict else 200,
    )


@require_GET
def chapter(request: AuthedRequest, pk: int) -> HttpResponse:
    """A chapter to read: the sections this reader may see, numbered, with live data blocks."""
    item = chapter_for(request, pk)
    doc = item.document
    visible = Section.objects.visible_to(request.user)
    assembled = assemble_live(doc, visible=visible, chapter=item, viewer=request.user)
    view = assembled.chapters[0]
    hidden = item.sections.count() - len(view.sections)
    rendered = [(s, assembled.render(s)) for s in view.sections]
    siblings = list(doc.chapters.order_by("order").only("pk", "order", "number", "title", "kind"))
    index = next(i for i, c in enumerate(siblings) if c.pk == item.pk)
    return render(
        request,
        "drafts/chapter.html",
        {
            "plan": doc.plan,
            "document": doc,
            "chapter": item,
            "sections": rendered,
            "hidden": hidden,
            "can_preview_pdf": not item.is_front and can_preview_chapter(request.user, item),
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        },
    )


@require_GET
def references(request: AuthedRequest, plan_id: int) -> JsonResponse:
    """Tables and figures the editor can refer to, with their current numbers."""
    doc = document_for(request, plan_id)
    if not can_upload_images(request.user, doc.plan):
        raise PermissionDenied
    visible = set(
        Section.objects.visible_to(request.user)
        .filter(chapter__document=doc)
        .values_list("pk", flat=True)
    )
    items = [
        {"id": n.id, "label": n.label, "caption": n.caption}
        for n in live_numbers(doc).values()
        if n.section_id in visible
    ]
    return JsonResponse({"items": items})


@require_GET
def block_preview(request: AuthedRequest, plan_id: int, key: str) -> HttpResponse:
    """A data block as the editor inserts it: the placeholder with today's table inside."""
    doc = document_for(request, plan_id)
    if not can_upload_images(request.user, doc.plan):
        raise PermissionDenied
    kind = block_registry.REGISTRY.get(key)
    if kind is None or not kind.available(doc.plan):
        return HttpResponse(status=404)
    html = f'<figure class="data-block" data-block="{key}"></figure>'
    body = render_body(
        html,
        numbers={},
        resolve=block_registry.LiveBlocks(doc.plan, viewer=request.user),
        for_editor=True,
    )
    return HttpResponse(body)
