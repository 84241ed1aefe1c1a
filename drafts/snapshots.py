"""Freezing the document, reading it back, comparing two freezes; and the assembled document
(live or frozen) as the reading views and the PDF export see it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from drafts import blocks as block_registry
from drafts import kinds
from drafts.diffing import compare
from drafts.html import block_references
from drafts.kinds import Layout
from drafts.models import Chapter, Document, Section, Snapshot, SnapshotSection
from drafts.outline import number_sections
from drafts.rendering import Numbered, number_captions, render_body
from rpjmd.models import User

HistoricalSection = Section.history.model


def take_snapshot(*, document: Document, name: str, by: User) -> Snapshot:
    """Freeze every section at its current version, and every data block's current table."""
    with transaction.atomic():
        # Lock the sections so no save lands between reading a body and its history row.
        sections = list(
            Section.objects.select_for_update()
            .filter(chapter__document=document)
            .select_related("chapter")
            .order_by("chapter__order", "order", "pk")
        )
        records = dict(
            HistoricalSection.objects.filter(id__in=[s.pk for s in sections])
            .values("id")
            .annotate(last=Max("history_id"))
            .values_list("id", "last")
        )
        live = block_registry.LiveBlocks(document.plan)
        frozen: dict[str, dict] = {}
        for section in sections:
            for key, params in block_references(section.body):
                table = live(key, params)
                if table is not None:
                    frozen[block_registry.reference(key, params)] = table.to_dict()
        try:
            with transaction.atomic():
                snapshot = Snapshot.objects.create(
                    document=document,
                    name=name,
                    created_by=by,
                    blocks=frozen,
                    print_settings=document.print_settings(),
                )
        except IntegrityError as error:
            raise ValidationError(_("Nama versi beku ini sudah dipakai.")) from error
        entries = []
        numbers: dict[int, str] = {}
        by_chapter: dict[int, list[Section]] = {}
        for section in sections:
            by_chapter.setdefault(section.chapter_id, []).append(section)
        for chapter_sections in by_chapter.values():
            numbers |= number_sections(chapter_sections[0].chapter, chapter_sections)
        for position, section in enumerate(sections, start=1):
            chapter = section.chapter
            entries.append(
                SnapshotSection(
                    snapshot=snapshot,
                    section=section,
                    record_id=records.get(section.pk),
                    position=position,
                    chapter_kind=chapter.kind,
                    chapter_order=chapter.order,
                    chapter_number=chapter.number,
                    chapter_title=chapter.title,
                    chapter_technocratic=chapter.technocratic,
                    depth=section.depth,
                    number=numbers.get(section.pk, ""),
                    title=section.title,
                    version=section.version,
                    status=section.status,
                    body=section.body,
                    captions=section.captions,
                )
            )
        SnapshotSection.objects.bulk_create(entries)
    return snapshot


# What a snapshot must pass before it becomes the final document, in `order`: the kelengkapan
# check (drafts/completeness.py), then what the apps above this one add (issues: Chapter IV holds
# together, issues/document.py). Each raises ValidationError, with `findings` (message, url) to
# list where it has them. Registered, not imported: drafts.completeness reads this module.
FINAL_CHECKS: list[tuple[int, Callable[[Snapshot], None]]] = []


def register_final_check(check: Callable[[Snapshot], None], *, order: int = 50):
    FINAL_CHECKS.append((order, check))
    FINAL_CHECKS.sort(key=lambda item: item[0])
    return check


def refusal_html(error: ValidationError):
    """A refused approval as an escaped message, with links to what to fix where there are."""
    findings = getattr(error, "findings", None)
    if not findings:
        return " ".join(error.messages)
    return format_html(
        "{}<ul>{}</ul>",
        error.messages[0],
        format_html_join(
            "", '<li><a href="{}">{}</a></li>', ((f.url, f.message) for f in findings)
        ),
    )


def approve_snapshot(*, snapshot: Snapshot, by: User) -> Snapshot:
    """A leader marks a snapshot as the final document (the previous final stops being one).

    Refused while a check of FINAL_CHECKS finds something: the kelengkapan check, then
    Chapter IV's coherence."""
    block_registry.autodiscover()
    for _order, check in FINAL_CHECKS:
        check(snapshot)
    with transaction.atomic():
        Snapshot.objects.filter(document_id=snapshot.document_id, is_final=True).exclude(
            pk=snapshot.pk
        ).update(is_final=False)
        snapshot.is_final = True
        snapshot.approved_by = by
        snapshot.approved_at = timezone.now()
        snapshot.save(update_fields=["is_final", "approved_by", "approved_at"])
    return snapshot


def revoke_snapshot(*, snapshot: Snapshot, by: User) -> Snapshot:
    snapshot.is_final = False
    snapshot.save(update_fields=["is_final"])
    return snapshot


# --- the assembled document --------------------------------------------------------------------


@dataclass
class SectionView:
    id: int | None  # the live section (None when it no longer exists)
    number: str
    title: str
    depth: int
    body: str  # stored (sanitized) body
    version: int
    status: str
    captions: list[dict]
    section: Section | None = None

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass
class ChapterView:
    kind: str
    order: int
    number: str
    title: str
    technocratic: str
    sections: list[SectionView] = field(default_factory=list)
    chapter: Chapter | None = None

    @property
    def is_front(self) -> bool:
        return self.kind == Chapter.Kind.FRONT

    @property
    def arabic(self) -> int | None:
        return None if self.is_front else self.order

    @property
    def label(self) -> str:
        return f"BAB {self.number}" if self.number else ""

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.order}"


@dataclass
class Assembled:
    """The whole document in reading order, with its table and figure numbers and its blocks.

    This is what the PDF export renders: `front` (before the table of contents), `chapters`,
    `numbers` (id → Numbered, for the daftar tabel / daftar gambar) and `render(section)`.
    """

    chapters: list[ChapterView]
    numbers: dict[str, Numbered]
    resolve: block_registry.LiveBlocks | block_registry.FrozenBlocks

    @property
    def front(self) -> list[ChapterView]:
        return [c for c in self.chapters if c.is_front]

    @property
    def body_chapters(self) -> list[ChapterView]:
        return [c for c in self.chapters if not c.is_front]

    def render(self, section: SectionView, *, footnotes: str = "endnotes"):
        return render_body(
            section.body,
            numbers=self.numbers,
            resolve=self.resolve,
            footnotes=footnotes,
            footnote_prefix=f"fn-{section.id or section.number}",
        )

    def tables(self) -> list[Numbered]:
        return [n for n in self.numbers.values() if n.kind == "table"]

    def figures(self) -> list[Numbered]:
        return [n for n in self.numbers.values() if n.kind == "figure"]


def live_numbers(document: Document, printed: Layout | None = None) -> dict[str, Numbered]:
    """Table and figure numbers of the live document (from the captions kept at each save);
    with `printed`, of the chapters the document's kind prints, in their printed numbers."""
    rows = (
        Section.objects.filter(chapter__document=document)
        .order_by("chapter__order", "order", "pk")
        .values_list("chapter__kind", "chapter__order", "pk", "captions")
    )
    return _numbers(((kind, order, pk, captions) for kind, order, pk, captions in rows), printed)


def _numbers(rows, printed: Layout | None) -> dict[str, Numbered]:
    items = []
    for kind, order, pk, captions in rows:
        if kind == Chapter.Kind.FRONT:
            items.append((None, pk, captions))
        elif printed is None:
            items.append((order, pk, captions))
        elif (kind, order) in printed:
            items.append((printed[(kind, order)][1], pk, captions))
    return number_captions(items)


def _print_as(views: list[ChapterView], printed: Layout) -> list[ChapterView]:
    """Keep the chapters the kind prints, under their printed numbers (Bab IX → Bab V)."""
    kept = []
    for view in views:
        if view.is_front:
            kept.append(view)
            continue
        if (view.kind, view.order) not in printed:
            continue
        number, order = printed[(view.kind, view.order)]
        if order != view.order:
            old = f"{view.order}."
            for section in view.sections:
                if section.number.startswith(old):
                    section.number = f"{order}.{section.number[len(old) :]}"
        view.number, view.order = number, order
        kept.append(view)
    return kept


def assemble_live(
    document: Document,
    *,
    visible=None,
    chapter: Chapter | None = None,
    printed: bool = False,
    viewer=None,
) -> Assembled:
    """The live document (or one chapter of it).

    `visible` (a Section queryset) limits the texts to what a reader may see; section, table and
    figure numbers still count every section, so Tabel 2.3 is the same for everyone. `viewer`
    limits the data blocks to what that reader may see (None: complete, as the PDF export).
    `printed` keeps only the chapters the document's kind prints (drafts/kinds.py), under
    their printed numbers; with `chapter`, that chapter under the number it prints with.
    """
    chapters = list(document.chapters.order_by("order"))
    layout = kinds.layout(document, chapters) if printed else None
    if chapter is not None:
        chapters = [c for c in chapters if c.pk == chapter.pk]
        if layout is not None and (chapter.kind, chapter.order) not in layout:
            # A chapter the kind does not print is still previewed, under its own number.
            layout = {**layout, (chapter.kind, chapter.order): (chapter.number, chapter.order)}
    outline: dict[int, list[tuple[int, int]]] = {}
    for chapter_id, pk, depth in (
        Section.objects.filter(chapter__in=chapters)
        .order_by("order", "pk")
        .values_list("chapter_id", "pk", "depth")
    ):
        outline.setdefault(chapter_id, []).append((pk, depth))
    sections = Section.objects.filter(chapter__in=chapters).select_related(
        "assigned_agency", "assigned_user"
    )
    if visible is not None:
        sections = sections.filter(pk__in=visible.values("pk"))
    by_chapter: dict[int, list[Section]] = {}
    for section in sections.order_by("order", "pk"):
        by_chapter.setdefault(section.chapter_id, []).append(section)
    views = []
    for item in chapters:
        numbers = number_sections(item, outline.get(item.pk, []))
        view = ChapterView(
            kind=item.kind,
            order=item.order,
            number=item.number,
            title=item.title,
            technocratic=item.technocratic,
            chapter=item,
        )
        for section in by_chapter.get(item.pk, []):
            view.sections.append(
                SectionView(
                    id=section.pk,
                    number=numbers.get(section.pk, ""),
                    title=section.title,
                    depth=section.depth,
                    body=section.body,
                    version=section.version,
                    status=section.status,
                    captions=section.captions,
                    section=section,
                )
            )
        views.append(view)
    if layout is not None:
        views = _print_as(views, layout)
    return Assembled(
        chapters=views,
        numbers=live_numbers(document, layout),
        resolve=block_registry.LiveBlocks(document.plan, viewer=viewer),
    )


def assemble_snapshot(snapshot: Snapshot, *, printed: bool = False) -> Assembled:
    """The document exactly as the snapshot froze it (`printed`: the chapters the document's
    kind prints now)."""
    views: dict[tuple[str, int], ChapterView] = {}
    caption_items = []
    for entry in snapshot.entries.order_by("position"):
        key = (entry.chapter_kind, entry.chapter_order)
        if key not in views:
            views[key] = ChapterView(
                kind=entry.chapter_kind,
                order=entry.chapter_order,
                number=entry.chapter_number,
                title=entry.chapter_title,
                technocratic=entry.chapter_technocratic,
            )
        view = views[key]
        caption_items.append((view.kind, view.order, entry.section_id, entry.captions))
        view.sections.append(
            SectionView(
                id=entry.section_id,
                number=entry.number,
                title=entry.title,
                depth=entry.depth,
                body=entry.body,
                version=entry.version,
                status=entry.status,
                captions=entry.captions,
            )
        )
    chapters = list(views.values())
    layout = kinds.layout(snapshot.printed_document, chapters) if printed else None
    if layout is not None:
        chapters = _print_as(chapters, layout)
    return Assembled(
        chapters=chapters,
        numbers=_numbers(caption_items, layout),
        resolve=block_registry.FrozenBlocks(snapshot.blocks),
    )


@dataclass
class SectionChange:
    heading: str
    status: str  # "same", "changed", "added", "removed"
    diff: str = ""
    old_version: int | None = None
    new_version: int | None = None


@dataclass
class ChapterChange:
    title: str
    sections: list[SectionChange]

    @property
    def changed(self) -> int:
        return sum(1 for s in self.sections if s.status != "same")


def compare_snapshots(old: Snapshot, new: Snapshot) -> list[ChapterChange]:
    """Chapter by chapter: which sections changed between two snapshots, word by word (data
    blocks compared by the tables each snapshot froze)."""
    a, b = assemble_snapshot(old), assemble_snapshot(new)
    old_chapters = {c.key: c for c in a.chapters}
    result = []
    for chapter in b.chapters:
        before = old_chapters.pop(chapter.key, None)
        before_sections = {s.id or s.heading: s for s in (before.sections if before else [])}
        changes = []
        for section in chapter.sections:
            previous = before_sections.pop(section.id or section.heading, None)
            new_html = str(a_render(b, section))
            if previous is None:
                changes.append(
                    SectionChange(
                        section.heading, "added", compare("", new_html), None, section.version
                    )
                )
                continue
            old_html = str(a_render(a, previous))
            status = "same" if old_html == new_html else "changed"
            changes.append(
                SectionChange(
                    section.heading,
                    status,
                    compare(old_html, new_html) if status == "changed" else "",
                    previous.version,
                    section.version,
                )
            )
        for gone in before_sections.values():
            changes.append(SectionChange(gone.heading, "removed", "", gone.version, None))
        title = f"{chapter.label} {chapter.title}".strip()
        result.append(ChapterChange(title, changes))
    for gone in old_chapters.values():
        result.append(
            ChapterChange(
                f"{gone.label} {gone.title}".strip(),
                [SectionChange(s.heading, "removed", "", s.version, None) for s in gone.sections],
            )
        )
    return result


def a_render(assembled: Assembled, section: SectionView) -> str:
    # Footnotes stay inline so a comparison shows them where they are written.
    return str(assembled.render(section, footnotes="inline"))
