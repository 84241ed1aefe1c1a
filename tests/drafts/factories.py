"""Factories for the drafts app: small documents, sections with versions, comments, snapshots."""

from __future__ import annotations

import io
import itertools

from django.core.files.base import ContentFile
from PIL import Image as PILImage

from drafts import editing
from drafts.models import Chapter, Comment, Document, Export, Image, Section, Snapshot
from drafts.snapshots import take_snapshot
from rpjmd.models import Agency, Plan, User

_seq = itertools.count(1)


def make_document(plan: Plan, **fields) -> Document:
    document, _ = Document.objects.get_or_create(plan=plan, defaults=fields)
    return document


def make_chapter(document: Document, *, order: int = 2, **fields) -> Chapter:
    defaults = {"number": "II", "title": "GAMBARAN UMUM KONDISI DAERAH", "technocratic": "lengkap"}
    chapter, _ = Chapter.objects.get_or_create(
        document=document, order=order, defaults=defaults | fields
    )
    return chapter


def make_section(
    plan: Plan | None = None,
    *,
    chapter: Chapter | None = None,
    agency: Agency | None = None,
    user: User | None = None,
    body: str = "",
    by: User | None = None,
    status: str | None = None,
    title: str | None = None,
    depth: int = 1,
) -> Section:
    """A section (in chapter II unless told); with `body`, saved as version 1 by `by`."""
    if chapter is None:
        chapter = make_chapter(make_document(plan))
    order = (chapter.sections.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    section = Section(
        chapter=chapter,
        order=order,
        depth=depth,
        title=title or f"Bagian Uji {next(_seq)}",
        assigned_agency=agency,
        assigned_user=user,
    )
    section._history_user = by
    section.save()
    if body:
        author = by or User.objects.filter(role=User.Role.PLANNER).first()
        editing.save_section(section_id=section.pk, body=body, base_version=0, by=author)
        section.refresh_from_db()
    if status and section.status != status:
        Section.objects.filter(pk=section.pk).update(status=status)
        section.refresh_from_db()
    return section


def make_comment(
    section: Section, author: User, body: str = "Mohon diperiksa.", **fields
) -> Comment:
    return Comment.objects.create(section=section, author=author, body=body, **fields)


def make_snapshot(document: Document, by: User, name: str | None = None) -> Snapshot:
    return take_snapshot(document=document, name=name or f"Snapshot {next(_seq)}", by=by)


def png_bytes(size=(12, 8), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def make_image(document: Document, by: User) -> Image:
    data = png_bytes()
    image = Image(
        document=document,
        content_type="image/png",
        width=12,
        height=8,
        size=len(data),
        uploaded_by=by,
    )
    image.file.save(f"{image.uuid}.png", ContentFile(data), save=False)
    image.save()
    return image


def make_export(document: Document, by: User, **fields) -> Export:
    """A finished export with a (tiny) PDF file."""
    export = Export(document=document, created_by=by, status=Export.Status.DONE, pages=1, **fields)
    export.file.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    export.size = export.file.size
    export.save()
    return export
