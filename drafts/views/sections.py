"""A section: reading it, its versions and their comparison, review, and the planners' outline
changes (add, settings, move, remove, share)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from drafts import comments as comment_workflow
from drafts import editing
from drafts.access import chapter_for, editable_section, managed_section, section_for
from drafts.blocks import LiveBlocks
from drafts.diffing import compare
from drafts.forms import (
    AssignmentForm,
    CommentForm,
    SectionCreateForm,
    SectionForm,
    ShareForm,
    StatusForm,
)
from drafts.models import Document, Section, SectionShare
from drafts.outline import add_section, delete_section, move_section, number_of
from drafts.permissions import (
    can_comment,
    can_edit_section,
    can_manage_document,
    can_read_unfinished,
    can_resolve_comment,
    can_review,
    can_submit_for_review,
)
from drafts.rendering import render_body
from drafts.snapshots import live_numbers
from rpjmd.requests import AuthedRequest, is_partial, positive_int
from rpjmd.versioning import VERSION_FIELD, conflict_for, rows_for

HistoricalSection = Section.history.model


def comment_context(request: AuthedRequest, section: Section) -> dict:
    comments = section.comments.select_related("author", "resolved_by").order_by("created_at", "pk")
    threads = comment_workflow.threads(section, comments)
    for thread in threads:
        thread.can_resolve = can_resolve_comment(request.user, thread.comment)
    return {
        "threads": threads,
        "comment_form": CommentForm(),
        "can_comment": can_comment(request.user, section),
    }


@require_GET
def section(request: AuthedRequest, pk: int) -> HttpResponse:
    item = section_for(request, pk)
    doc = item.chapter.document
    context = {
        "plan": doc.plan,
        "section": item,
        "chapter": item.chapter,
        "number": number_of(item),
        **comment_context(request, item),
    }
    if is_partial(request) and request.GET.get("part") == "comments":
        return render(request, "drafts/section.html#comments", context)
    body = render_body(
        item.body,
        numbers=live_numbers(doc),
        resolve=_live(doc, request.user),
        footnote_prefix=f"fn-{item.pk}",
    )
    today = doc.plan.region.today()
    context |= {
        "body": body,
        "today": today,
        "is_late": item.late_on(today, doc.handed_in_on(doc.plan.region.zone)),
        "can_edit": can_edit_section(request.user, item),
        "can_submit": can_submit_for_review(request.user, item),
        "can_review": can_review(request.user, item),
        "can_manage": can_manage_document(request.user, doc.plan),
        "status_form": StatusForm(),
    }
    return render(request, "drafts/section.html", context)


def _live(doc: Document, viewer):
    return LiveBlocks(doc.plan, viewer=viewer)


@require_POST
def section_status(request: AuthedRequest, pk: int) -> HttpResponse:
    item = section_for(request, pk)
    form = StatusForm(request.POST)
    action = request.POST.get("action")
    if action == "submit":
        allowed = can_edit_section(request.user, item)
    elif action in ("approve", "return"):
        allowed = can_review(request.user, item)
    else:  # an unknown action is a form error, for those who may act at all
        allowed = can_edit_section(request.user, item) or can_review(request.user, item)
    if not allowed:
        raise PermissionDenied
    if form.is_valid():
        try:
            editing.change_status(
                section=item,
                action=form.cleaned_data["action"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Status bagian diperbarui."))
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect("drafts:section", item.pk)


# --- versions ---------------------------------------------------------------------------------


def approved_versions(item: Section) -> list[int]:
    """The versions that were ever approved, oldest first."""
    return sorted(
        set(
            HistoricalSection.objects.filter(
                id=item.pk, status=Section.Status.APPROVED, version__gt=0
            ).values_list("version", flat=True)
        )
    )


def readable_versions(request: AuthedRequest, item: Section) -> list[int] | None:
    """The versions this reader may open (None: all of them)."""
    if can_read_unfinished(request.user, item):
        return None
    return approved_versions(item)


def version_list(item: Section, readable: list[int] | None = None) -> list[dict]:
    """One entry per version (the history row that created it), newest first, plus the other
    events of the section (status, assignment, order) without their text.

    With `readable` (a reader who may see approved versions only) just the approvals are
    listed, each as the version it approved, compared with the approved one before it."""
    rows = HistoricalSection.objects.filter(id=item.pk)
    if readable is not None:
        rows = rows.filter(status=Section.Status.APPROVED, version__in=readable)
    rows = rows.order_by("history_id").values(
        "history_id",
        "version",
        "history_date",
        "history_change_reason",
        "history_user__full_name",
        "history_user__username",
        "status",
        "word_count",
    )
    seen: set[int] = set()
    entries = []
    shown: list[int] = []
    for row in rows:
        first = row["version"] not in seen
        seen.add(row["version"])
        row["is_version"] = first and row["version"] > 0
        if row["is_version"]:
            if readable is None:
                row["previous"] = row["version"] - 1 if row["version"] > 1 else None
            else:
                row["previous"] = shown[-1] if shown else None
            shown.append(row["version"])
        row["who"] = row["history_user__full_name"] or row["history_user__username"] or _("sistem")
        entries.append(row)
    entries.reverse()
    return entries


@require_GET
def section_versions(request: AuthedRequest, pk: int) -> HttpResponse:
    item = section_for(request, pk)
    readable = readable_versions(request, item)
    page = Paginator(version_list(item, readable), 50).get_page(request.GET.get("page"))
    if readable is None:
        pair = (item.version - 1, item.version) if item.version > 1 else None
    else:
        pair = (readable[-2], readable[-1]) if len(readable) > 1 else None
    return render(
        request,
        "drafts/section_versions.html",
        {
            "plan": item.chapter.document.plan,
            "section": item,
            "number": number_of(item),
            "page": page,
            "compare_pair": pair,
            "can_edit": can_edit_section(request.user, item),
        },
    )


def _version_or_404(item: Section, version: int, readable: list[int] | None = None):
    if readable is not None and version not in readable:
        raise Http404  # an unfinished draft of a section this reader sees only approved
    row = editing.version_row(item.pk, version)
    if row is None or version == 0:
        raise Http404
    return row


@require_GET
def section_version(request: AuthedRequest, pk: int, version: int) -> HttpResponse:
    item = section_for(request, pk)
    row = _version_or_404(item, version, readable_versions(request, item))
    doc = item.chapter.document
    body = render_body(
        row.body,
        numbers=live_numbers(doc),
        resolve=None,
        blocks_as_placeholders=True,
        footnote_prefix=f"fn-{item.pk}-{version}",
    )
    return render(
        request,
        "drafts/section_version.html",
        {
            "plan": doc.plan,
            "section": item,
            "number": number_of(item),
            "row": row,
            "body": body,
            "can_edit": can_edit_section(request.user, item),
        },
    )


@require_GET
def section_compare(request: AuthedRequest, pk: int) -> HttpResponse:
    """Two versions side by side in one text: insertions and deletions marked word by word."""
    item = section_for(request, pk)
    readable = readable_versions(request, item)
    newest = item.version if readable is None else (readable[-1] if readable else 0)
    b = positive_int(request.GET.get("b"), minimum=0)
    b = newest if b is None else b
    a = positive_int(request.GET.get("a"), minimum=0)
    a = _before(b, readable) if a is None else a
    if a > b:
        a, b = b, a
    a, b = max(a, 0), max(b, 0)
    if readable is not None and any(v and v not in readable for v in (a, b)):
        raise Http404
    old_row = editing.version_row(item.pk, a) if a else None
    new_row = editing.version_row(item.pk, b) if b else None
    if (a and old_row is None) or (b and new_row is None):
        raise Http404
    doc = item.chapter.document
    numbers = live_numbers(doc)

    def shown(row):
        if row is None:
            return ""
        return str(
            render_body(
                row.body,
                numbers=numbers,
                resolve=None,
                blocks_as_placeholders=True,
                footnotes="inline",
            )
        )

    diff = compare(shown(old_row), shown(new_row))
    return render(
        request,
        "drafts/section_compare.html",
        {
            "plan": doc.plan,
            "section": item,
            "number": number_of(item),
            "a": a,
            "b": b,
            "old": old_row,
            "new": new_row,
            "diff": diff,
            "identical": shown(old_row) == shown(new_row),
            "can_edit": can_edit_section(request.user, item),
        },
    )


def _before(version: int, readable: list[int] | None) -> int:
    """The version a comparison starts from by default: the one before, or the approved one
    before for a reader of approved versions only (0: the empty text)."""
    if readable is None:
        return version - 1
    return max((v for v in readable if v < version), default=0)


@require_POST
def section_restore(request: AuthedRequest, pk: int, version: int) -> HttpResponse:
    item = editable_section(request, pk)
    try:
        result = editing.restore_version(section_id=item.pk, version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("drafts:section_versions", item.pk)
    if result.outcome == "unchanged":
        messages.info(
            request,
            _("Versi %(n)s sama dengan teks sekarang; tidak ada yang dipulihkan.") % {"n": version},
        )
    else:
        messages.success(
            request,
            _("Versi %(old)s dipulihkan sebagai versi %(new)s.")
            % {"old": version, "new": result.section.version},
        )
    return redirect("drafts:section", item.pk)


# --- outline changes (planners) ----------------------------------------------------------------


def section_create(request: AuthedRequest, pk: int) -> HttpResponse:
    item = chapter_for(request, pk)
    if not can_manage_document(request.user, item.document.plan):
        raise PermissionDenied
    form = SectionCreateForm(request.POST or None, chapter=item)
    if request.method == "POST" and form.is_valid():
        created = add_section(
            chapter=item,
            title=form.cleaned_data["title"],
            depth=form.cleaned_data["depth"],
            hint=form.cleaned_data["hint"],
            after=form.cleaned_data["after"],
            by=request.user,
        )
        messages.success(request, _("Bagian “%(title)s” ditambahkan.") % {"title": created.title})
        return redirect("drafts:section_settings", created.pk)
    return render(
        request,
        "drafts/section_create.html",
        {"form": form, "chapter": item, "plan": item.document.plan},
    )


def section_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    """Title, level, hint, who writes it and by when, and which narasumber may read it."""
    item = managed_section(request, pk)
    plan = item.chapter.document.plan
    data = request.POST or None
    form = SectionForm(data, instance=item, prefix="section")
    assignment = AssignmentForm(data, instance=item, prefix="assign", plan=plan)
    conflict = None
    if request.method == "POST" and form.is_valid() and assignment.is_valid():
        with transaction.atomic():
            changed = form.save(commit=False)
            locked = Section.objects.select_for_update().get(pk=item.pk)
            # The text has its own version and merge; these settings have their own counter.
            if locked.settings_version != form.cleaned_data[VERSION_FIELD]:
                conflict = conflict_for(form, locked, extra=rows_for(assignment, locked))
            else:
                locked.title, locked.depth, locked.hint = changed.title, changed.depth, changed.hint
                locked.settings_version += 1
                locked._history_user = request.user
                locked._change_reason = _("Judul atau petunjuk diubah")
                locked.save()
                if assignment.has_changed():  # else one history row, not two
                    editing.assign(
                        section=locked,
                        agency=assignment.cleaned_data["assigned_agency"],
                        user=assignment.cleaned_data["assigned_user"],
                        due_date=assignment.cleaned_data["due_date"],
                        by=request.user,
                    )
        if conflict is None:
            messages.success(request, _("Pengaturan bagian disimpan."))
            return redirect("drafts:document", plan.pk)
    share = ShareForm(plan=plan, initial={"people": [s.user_id for s in item.shares.all()]})
    return render(
        request,
        "drafts/section_settings.html",
        {
            "form": form,
            "assignment": assignment,
            "share": share,
            "section": item,
            "plan": plan,
            "number": number_of(item),
            "conflict": conflict,
        },
        status=409 if conflict else 200,
    )


@require_POST
def section_share(request: AuthedRequest, pk: int) -> HttpResponse:
    item = managed_section(request, pk)
    form = ShareForm(request.POST, plan=item.chapter.document.plan)
    if form.is_valid():
        wanted = set(form.cleaned_data["people"])
        with transaction.atomic():
            item.shares.exclude(user__in=wanted).delete()
            present = set(item.shares.values_list("user_id", flat=True))
            SectionShare.objects.bulk_create(
                SectionShare(section=item, user=user, shared_by=request.user)
                for user in wanted
                if user.pk not in present
            )
        messages.success(request, _("Daftar narasumber yang dapat membaca bagian ini disimpan."))
    else:
        messages.error(request, _("Pilihan narasumber tidak valid."))
    return redirect("drafts:section_settings", item.pk)


@require_POST
def section_move(request: AuthedRequest, pk: int) -> HttpResponse:
    item = managed_section(request, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Arah pemindahan tidak dikenal."))
    elif move_section(section=item, direction=direction, by=request.user):
        messages.success(request, _("“%(title)s” dipindahkan.") % {"title": item.title})
    return redirect(f"{_document_url(item)}#bab-{item.chapter_id}")


@require_POST
def section_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    item = managed_section(request, pk)
    delete_section(section=item, by=request.user)
    messages.success(
        request,
        _("Bagian “%(title)s” dihapus; riwayatnya tetap tersimpan.") % {"title": item.title},
    )
    return redirect(f"{_document_url(item)}#bab-{item.chapter_id}")


def _document_url(item: Section) -> str:
    return reverse("drafts:document", args=[item.chapter.document.plan_id])
