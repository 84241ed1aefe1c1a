"""The shape of the document: creating it from the outline, section numbers, and changes to the
list of sections (add, move, remove), which planners make.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from drafts.models import Chapter, Document, Section
from rpjmd.models import Plan, User
from rpjmd.reference import read

FRONT_TITLE = "KATA PENGANTAR"
FRONT_HINT = (
    "Pengantar dari Kepala Bappeda: maksud dokumen, proses penyusunan rancangan teknokratik, "
    "dan ucapan terima kasih kepada perangkat daerah serta narasumber."
)


def create_document(*, plan: Plan, by: User) -> Document:
    """The plan's document with the chapters and sections of the Permendagri 86/2017 outline
    (`sistematika.json`), plus the front matter: a Kata Pengantar the planners write."""
    with transaction.atomic():
        document, created = Document.objects.get_or_create(plan=plan, defaults={"created_by": by})
        if not created:
            return document
        front = Chapter.objects.create(
            document=document, kind=Chapter.Kind.FRONT, order=0, title=FRONT_TITLE
        )
        # nosemgrep: rpjmd-no-bulk-write-on-history-models - history rows are written below
        Section.objects.bulk_create(
            [
                Section(
                    chapter=front,
                    order=1,
                    depth=Section.Depth.INTRO,
                    title="Kata Pengantar",
                    hint=FRONT_HINT,
                )
            ]
        )
        for bab in read("sistematika.json")["bab"]:
            chapter = Chapter.objects.create(
                document=document,
                order=bab["urutan"],
                number=bab["nomor"],
                title=bab["judul"],
                description=bab.get("deskripsi", ""),
                technocratic=bab.get("rancangan_teknokratik", ""),
            )
            rows = list(_outline_rows(bab.get("subbab", []), depth=1))
            if not rows:  # a chapter without sub-bab is written as one text
                rows = [(Section.Depth.INTRO, bab["judul"].capitalize(), bab.get("deskripsi", ""))]
            # nosemgrep: rpjmd-no-bulk-write-on-history-models - history rows are written below
            Section.objects.bulk_create(
                Section(chapter=chapter, order=order, depth=depth, title=title, hint=hint)
                for order, (depth, title, hint) in enumerate(rows, start=1)
            )
        # bulk_create skips history: give every section its first row (version 0, empty).
        for section in Section.objects.filter(chapter__document=document):
            section._history_user = by
            section._change_reason = _("Dibuat dari sistematika Permendagri 86/2017")
            section.save()
    return document


def _outline_rows(entries: list[dict], depth: int) -> Iterable[tuple[int, str, str]]:
    for entry in entries:
        yield depth, entry["judul"], entry.get("deskripsi", "")
        if depth < 2:
            yield from _outline_rows(entry.get("subbab", []), depth + 1)


def number_sections(
    chapter: Chapter, sections: Iterable[Section | tuple[int, int]]
) -> dict[int, str]:
    """Section numbers follow their order: 2.1, 2.1.1, 2.1.2, 2.2 … (intros are unnumbered)."""
    numbers: dict[int, str] = {}
    top = sub = 0
    prefix = str(chapter.order) if not chapter.is_front else ""
    for item in sections:
        pk, depth = (item.pk, item.depth) if isinstance(item, Section) else item
        if depth == Section.Depth.SECTION:
            top += 1
            sub = 0
            numbers[pk] = f"{prefix}.{top}" if prefix else str(top)
        elif depth == Section.Depth.SUBSECTION:
            sub += 1
            parent = f"{prefix}.{top}" if prefix else str(top)
            numbers[pk] = f"{parent}.{sub}"
        else:
            numbers[pk] = ""
    return numbers


def number_of(section: Section) -> str:
    siblings = section.chapter.sections.order_by("order", "pk").values_list("pk", "depth")
    return number_sections(section.chapter, siblings).get(section.pk, "")


def add_section(
    *, chapter: Chapter, title: str, depth: int, hint: str, after: Section | None, by: User
) -> Section:
    """A new, empty section after `after` (or at the end of the chapter)."""
    with transaction.atomic():
        siblings = list(
            Section.objects.select_for_update().filter(chapter=chapter).order_by("order", "pk")
        )
        position = siblings.index(after) + 1 if after in siblings else len(siblings)
        section = Section(chapter=chapter, title=title, depth=depth, hint=hint, order=position + 1)
        section._history_user = by
        section._change_reason = _("Bagian ditambahkan")
        siblings.insert(position, section)
        _renumber(siblings, by, skip=section)
        section.save()
    return section


def move_section(*, section: Section, direction: str, by: User) -> bool:
    """Swap a section with its neighbour above ("up") or below ("down")."""
    with transaction.atomic():
        siblings = list(
            Section.objects.select_for_update()
            .filter(chapter_id=section.chapter_id)
            .order_by("order", "pk")
        )
        index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return False
        siblings[index], siblings[other] = siblings[other], siblings[index]
        _renumber(siblings, by)
    return True


def delete_section(*, section: Section, by: User) -> None:
    """Remove a section; its history (and any snapshot holding it) stays."""
    with transaction.atomic():
        section = Section.objects.select_for_update().get(pk=section.pk)
        section._history_user = by
        section._change_reason = _("Bagian dihapus")
        chapter_id = section.chapter_id
        section.delete()
        siblings = list(
            Section.objects.select_for_update()
            .filter(chapter_id=chapter_id)
            .order_by("order", "pk")
        )
        _renumber(siblings, by)


def _renumber(siblings: list[Section], by: User, skip: Section | None = None) -> None:
    changed = []
    for order, sibling in enumerate(siblings, start=1):
        if sibling.order != order:
            sibling.order = order
            if sibling is not skip and sibling.pk:
                changed.append(sibling)
    if changed:
        bulk_update_with_history(
            changed,
            Section,
            ["order"],
            default_user=by,
            default_change_reason=_("Urutan bagian diubah"),
        )
