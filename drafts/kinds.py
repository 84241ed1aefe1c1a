"""Which chapters each kind of document prints, and under which number (issue 12).

Permendagri 86/2017 Pasal 44 asks the rancangan teknokratik for at least the pendahuluan, the
gambaran umum kondisi daerah, the gambaran keuangan daerah and the permasalahan dan isu
strategis: the chapters the outline marks "lengkap" (Bab I–IV). Bappedas close it with a short
penutup, the chapter the outline marks "kerangka" (Bab IX PENUTUP), printed as the next number
(Bab V). The rancangan awal and akhir print the whole outline, Bab I–IX.

Chapters a kind does not print (Bab V–VIII of a teknokratik document, marked "sementara") keep
their sections and texts: they are shown in the outline as "tidak dicetak" and come back when
the planner switches the document to the rancangan awal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from drafts.models import Chapter, Document

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


class ChapterLike(Protocol):
    kind: str
    order: int
    number: str
    technocratic: str


# (chapter kind, stored order) -> (printed number, printed order)
Layout = dict[tuple[str, int], tuple[str, int]]


def roman(number: int) -> str:
    return ROMAN[number - 1] if 0 < number <= len(ROMAN) else str(number)


def layout(document: Document, chapters: Iterable[ChapterLike]) -> Layout:
    """The body chapters this document prints, with their printed number and order."""
    body = sorted((c for c in chapters if c.kind != Chapter.Kind.FRONT), key=lambda c: c.order)
    if document.kind != Document.Kind.TECHNOCRATIC:
        return {(c.kind, c.order): (c.number, c.order) for c in body}
    main = [c for c in body if c.technocratic in (Chapter.Technocratic.COMPLETE, "")]
    closing = [c for c in body if c.technocratic == Chapter.Technocratic.OUTLINE]
    printed = main + (closing if document.include_closing else [])
    return {(c.kind, c.order): (roman(n), n) for n, c in enumerate(printed, start=1)}


def is_printed(document: Document, chapter: ChapterLike, printed: Layout | None = None) -> bool:
    if chapter.kind == Chapter.Kind.FRONT:
        return True
    if printed is None:
        printed = layout(document, document.chapters.all())
    return (chapter.kind, chapter.order) in printed
