"""The assembled document as one print-ready PDF (issues 7 and 18).

How it is made, and why:

- Every printed body chapter (and lampiran) is rendered by WeasyPrint as its own HTML
  document; a long chapter is cut between sub-bab (in a long sub-bab, between sub-sub-bab) into
  parts of about 10 pages. Parts render in two renderer processes that the exporting process
  keeps between exports, with the stylesheets and fonts loaded (drafts/pdfworker.py).
- Each part prints its final page numbers ("IV-3" per chapter, or continuous) and, on a draft,
  the DRAF mark: WeasyPrint counts the pages on from the number its first page prints. The first
  part of a chapter starts at 1; a later part waits for the page count of the part before it,
  from the cache or from its rendering. A part is kept on disk under the hash of its HTML, the
  stylesheets and the renderer's version, so the next export renders only the parts whose HTML
  changed: after editing one section, one part (and the later parts of that chapter if its page
  count moved). The chapter preview makes the same parts and shares the cache.
- The front matter (cover, kata pengantar, daftar isi, daftar tabel, daftar gambar; roman page
  numbers, the export time) is rendered last, when the page of every heading, table and figure
  is known from the parts' anchors; the lists print those page labels.
- pypdf concatenates the parts (pages and bookmarks, no content stream is opened) and adds the
  metadata and page labels.
- Tables get column widths measured from their text and a fixed layout; a table that cannot fit
  the portrait text width is printed on a landscape page.
- Only the chapters of the document's kind are printed (drafts/kinds.py: Bab I–IV and the
  penutup for a rancangan teknokratik), then the chosen lampiran (drafts/appendices.py) and, on
  a draft, the kelengkapan findings (drafts/completeness.py) on a last page of their own.
"""

from __future__ import annotations

import atexit
import base64
import concurrent.futures
import contextlib
import functools
import hashlib
import io
import itertools
import json
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import weasyprint
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop
from fontTools.ttLib import TTFont

from drafts import appendices, completeness
from drafts.html import IMAGE_SRC_PATTERN, parse, serialize
from drafts.models import Chapter, Document, Image, Snapshot
from drafts.pdfworker import RenderedPart, init_worker, render_part
from drafts.snapshots import Assembled, ChapterView, assemble_live, assemble_snapshot
from rpjmd import heavy
from rpjmd.models import Agency
from rpjmd.pdf import STATIC_DIR
from rpjmd.storage import is_local

logger = logging.getLogger(__name__)

# Tables are laid out with fixed column widths (`table-layout: fixed`, a <colgroup>): WeasyPrint's
# automatic table layout measures every cell twice and was 29 % of the export's CPU. The widths
# are measured here, from the text of each column in the table font's own advance widths: each
# column gets at least its longest word and wants its text up to WRAP_CM before wrapping. A
# table that does not fit the portrait text width that way is printed on a landscape page.
TABLE_FONT_PT = 9.0  # .section-body table in document-print.css
CELL_PADDING_CM = 0.25  # 3pt left and right, and the rules
WRAP_CM = 2.6
SQUEEZE = 1.15
MARGINS_CM = 5.0  # left and right together, portrait (3 + 2) and landscape (2.5 + 2.5)
PAPER = {"a4": (210, 297), "f4": (215, 330)}  # millimetres, portrait
KIND_LABEL = {
    "teknokratik": "RANCANGAN TEKNOKRATIK",
    "awal": "RANCANGAN AWAL",
    "akhir": "RANCANGAN AKHIR",
}
STYLESHEETS = ("css/print.css", "css/document-print.css")
SMALL_RENDER_CHARS = 20_000
SLOT_POLL_SECONDS = 0.1  # how often a part waiting for a machine render slot looks again
Progress = Callable[[int, str], None]
APPENDIX = "appendix"  # the ChapterView kind of a lampiran part
CHECK = "check"  # and of the kelengkapan page


class ExportError(Exception):
    """An export that cannot finish; the message is shown to the planner (Indonesian)."""


@dataclass
class Part:
    key: str
    html: str = ""
    digest: str = ""
    chapter: ChapterView | None = None  # None for the front matter
    # The HTML once the number of its first page is known (chapter parts print their own).
    make: Callable[[int], str] | None = None
    after: Part | None = None  # the part whose last page comes right before this one's first
    rendered: RenderedPart | None = None
    reused: bool = False
    offset: int = 0  # index of its first page within its chapter
    start: int = 1  # continuous number of its first page
    keep: bool = True  # cached on disk
    remote: bool = False  # rendered in a renderer process (its CPU is not this process's)
    first_page: int = 1  # the number its first page prints
    size: int = 0  # characters of text, before the HTML is made


@dataclass
class Result:
    pdf: bytes
    pages: int
    reused: int
    rendered: int
    seconds: float
    parts: list[Part] = field(default_factory=list)
    renderer_cpu: float = 0.0  # CPU seconds of the renderings in other processes


# --- settings ----------------------------------------------------------------------------------


def cache_dir() -> Path:
    return Path(settings.PDF_CACHE_DIR)


def workers() -> int:
    return settings.PDF_EXPORT_WORKERS


def _css_fingerprint() -> str:
    digest = hashlib.sha256()
    for name in STYLESHEETS:
        digest.update((STATIC_DIR / name).read_bytes())
    digest.update(weasyprint.__version__.encode())
    return digest.hexdigest()


# --- the HTML of each part ---------------------------------------------------------------------


def _paper(document: Document) -> dict:
    width, height = PAPER.get(document.paper, PAPER["a4"])
    return {"page_width": width, "page_height": height}


def _document_context(document: Document) -> dict:
    plan = document.plan
    return {
        "document": document,
        "plan": plan,
        "region": plan.region,
        "per_chapter": document.page_numbering == Document.Numbering.PER_CHAPTER,
        "running_header": document.running_header,
        "stylesheets": (),  # the renderer applies them, parsed once (pdfworker.stylesheets)
        "kind_label": KIND_LABEL.get(document.kind, KIND_LABEL["teknokratik"]),
    } | _paper(document)


def _title(document: Document) -> str:
    plan = document.plan
    kind = KIND_LABEL.get(document.kind, KIND_LABEL["teknokratik"]).title()
    return (
        f"{kind} Rencana Pembangunan Jangka Menengah Daerah (RPJMD) "
        f"{plan.region.full_name} Tahun {plan.start_year}–{plan.end_year}"
    )


def _agency_name(document: Document) -> str:
    agency = Agency.objects.filter(
        region_id=document.plan.region_id, is_planning_agency=True
    ).first()
    return agency.name if agency else "Badan Perencanaan Pembangunan Daerah"


class _Images:
    """Pictures of the document as data: URLs (the renderer fetches nothing else)."""

    def __init__(self, document: Document):
        self.document = document
        self.cache: dict[str, str | None] = {}

    def __call__(self, src: str) -> str | None:
        if src not in self.cache:
            self.cache[src] = self._load(src)
        return self.cache[src]

    def _load(self, src: str) -> str | None:
        if not IMAGE_SRC_PATTERN.match(src):
            return None
        uuid = src.strip("/").split("/")[-1]
        image = Image.objects.filter(document=self.document, uuid=uuid).first()
        if image is None:
            return None
        try:
            with image.file.open("rb") as handle:
                data = base64.b64encode(handle.read()).decode()
        except OSError:
            return None
        return f"data:{image.content_type};base64,{data}"


def _span(cell) -> int:
    try:
        return max(1, min(int(cell.get("colspan", "1") or 1), 50))
    except ValueError:
        return 1


@functools.cache
def _advances(bold: bool) -> dict[str, float]:
    """Advance width of each character of Liberation Sans at the table font size, in cm."""
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    font = TTFont(STATIC_DIR / "fonts" / "liberation" / name, lazy=True)
    metrics, scale = font["hmtx"].metrics, font["head"].unitsPerEm
    cm = TABLE_FONT_PT * 2.54 / 72 / scale
    return {chr(code): metrics[glyph][0] * cm for code, glyph in font.getBestCmap().items()}


UNKNOWN_CM = 0.6 * TABLE_FONT_PT * 2.54 / 72  # a character the font lacks


def text_cm(text: str, *, bold: bool = False) -> float:
    return sum(map(_advances(bold).get, text, itertools.repeat(UNKNOWN_CM)))


def column_widths(table) -> tuple[list[float], list[float]]:
    """Per column, in cm with padding: the least width (its longest word) and the width it
    wants (its text up to WRAP_CM). Merged cells share theirs between their columns."""
    least: dict[int, float] = {}
    wants: dict[int, float] = {}
    taken: set[tuple[int, int]] = set()  # (row, column) covered by a cell merged from above
    space = {bold: text_cm(" ", bold=bold) for bold in (False, True)}
    for r, row in enumerate(table.iter("tr")):
        column = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            while (r, column) in taken:
                column += 1
            span = _span(cell)
            rows = _span_rows(cell)
            for below in range(r + 1, r + rows):
                for c in range(column, column + span):
                    taken.add((below, c))
            bold = cell.tag == "th"
            words = [text_cm(w, bold=bold) for w in "".join(cell.itertext()).split()]
            word = max(words, default=0.0)
            text = sum(words) + space[bold] * max(len(words) - 1, 0)
            want = max(word, min(text, WRAP_CM))
            for c in range(column, column + span):
                least[c] = max(least.get(c, 0.0), word / span + CELL_PADDING_CM)
                wants[c] = max(wants.get(c, 0.0), want / span + CELL_PADDING_CM)
            column += span
    order = sorted(least)
    return [least[c] for c in order], [wants[c] for c in order]


def table_layout(table, paper: str = "a4") -> tuple[bool, list[float]]:
    """Whether the table is printed landscape, and its columns' widths in percent."""
    width, height = PAPER.get(paper, PAPER["a4"])
    portrait, landscape = width / 10 - MARGINS_CM, height / 10 - MARGINS_CM
    least, wants = column_widths(table)
    # Upright while every column gets its longest word and the text columns wrap a little more
    # than they want (up to SQUEEZE): a 10-column capaian table of "99.999,99" figures fits.
    wide = sum(least) > portrait or sum(wants) > portrait * SQUEEZE
    room = landscape if wide else portrait
    if not wants:
        return wide, []
    if sum(wants) <= room:
        widths = wants
    elif sum(least) < room:
        # Every column its longest word, the rest of the room shared by what each wants more.
        spare = (room - sum(least)) / (sum(wants) - sum(least))
        widths = [low + (want - low) * spare for low, want in zip(least, wants, strict=True)]
    else:
        widths = least
    total = sum(widths)
    return wide, [100 * w / total for w in widths]


def is_wide(table, paper: str = "a4") -> bool:
    return table_layout(table, paper)[0]


def _is_table_note(element) -> bool:
    if element.tag != "p":
        return False
    if {"table-source", "table-note"} & set(element.get("class", "").split()):
        return True
    return (element.text or "").lstrip().startswith(("Sumber:", "Catatan:", "Keterangan:"))


def _span_rows(cell) -> int:
    try:
        return max(1, min(int(cell.get("rowspan", "1") or 1), 500))
    except ValueError:
        return 1


def prepare_body(html: SafeString | str, images: _Images, paper: str = "a4") -> SafeString:
    """A rendered section body made ready for print: pictures inlined, tables given their
    column widths, wide tables turned."""
    if not html:
        # nosemgrep: rpjmd-no-mark-safe - nothing to escape in empty output
        return mark_safe("")  # nosec B308 B703 - nothing to escape in empty output
    root = parse(str(html))
    for img in list(root.iter("img")):
        data = images(img.get("src", ""))
        if data is None:
            img.getparent().remove(img)
        else:
            img.set("src", data)
    for table in list(root.iter("table")):
        wide, widths = table_layout(table, paper)
        for old in table.findall("colgroup") + table.findall("col"):
            table.remove(old)
        if widths:
            columns = lxml.html.Element("colgroup")
            for width in widths:
                lxml.html.etree.SubElement(columns, "col", {"style": f"width: {width:.2f}%"})
            table.insert(1 if table.find("caption") is not None else 0, columns)
            table.set("class", (table.get("class", "") + " fixed").strip())
        if wide:
            parent = table.getparent()
            holder = parent if parent is not None and parent.tag == "figure" else table
            container = holder.getparent()
            # The source and note lines under the table turn with it.
            notes = []
            after = holder.getnext()
            while after is not None and _is_table_note(after):
                notes.append(after)
                after = after.getnext()
            wrapper = lxml.html.Element("div", {"class": "landscape"})
            container.replace(holder, wrapper)
            wrapper.append(holder)
            for note in notes:
                wrapper.append(note)
    # nosemgrep: rpjmd-no-mark-safe - lxml re-serializes a rendered, sanitized body
    return mark_safe(serialize(root))  # nosec B308 B703 - serialized by lxml (escapes text)


def chapter_parts(
    document: Document, assembled: Assembled, chapter: ChapterView, *, images, draft: bool = True
) -> list[tuple[Callable[[int], str], int]]:
    """The chapter as one or more HTML documents (segments), split between sub-bab so the two
    renderer processes share a long chapter; each segment after the first opens a new page.
    Each is returned as a function of the number its first page prints (see `numbering`), with
    its length."""
    bodies = [
        prepare_body(assembled.render(section, footnotes="inline"), images, document.paper)
        for section in chapter.sections
    ]
    # A part starts at a sub-bab, or at a sub-sub-bab when its sub-bab is already long: a part
    # of 160,000 characters (46 pages) took a renderer to 180 MB and an edit in it 4 s.
    groups: list[list[int]] = []
    size = 0
    for index, section in enumerate(chapter.sections):
        long = size >= segment_chars() and section.depth >= 1
        if not groups or section.depth == 1 or long:
            groups.append([index])
            size = 0
        else:
            groups[-1].append(index)
        size += len(bodies[index])
    segments: list[list[int]] = []
    size = 0
    for group in groups:
        length = sum(len(bodies[i]) for i in group)
        if segments and size + length <= segment_chars():
            segments[-1] += group
            size += length
        else:
            segments.append(list(group))
            size = length
    context = _document_context(document) | {
        "chapter": chapter,
        "title": _title(document),
        "draft": draft,
    }

    def maker(number: int, segment: list[int]) -> Callable[[int], str]:
        def make(first_page: int) -> str:
            return render_to_string(
                "drafts/pdf/chapter.html",
                context
                | numbering(document, chapter, first_page)
                | {
                    "first": number == 0,
                    "sections": [
                        (chapter.sections[i], _anchor(chapter, i), bodies[i]) for i in segment
                    ],
                },
            )

        return make

    return [
        (maker(number, segment), sum(len(bodies[i]) for i in segment))
        for number, segment in enumerate(segments or [[]])
    ]


def numbering(document: Document, chapter: ChapterView, first_page: int) -> dict:
    """What a part prints in its footer: "IV-" and its first page's number (per chapter), or
    the continuous number. WeasyPrint counts on from there (`@page :first`), so the part is
    rendered with its final numbers and nothing is drawn over it afterwards."""
    prefix = ""
    if document.page_numbering == Document.Numbering.PER_CHAPTER:
        # Outline numbers (IV), lampiran (L1) and the kelengkapan page (K): CSS-string safe.
        prefix = _prefix(chapter)
    return {"numbered": True, "page_prefix": prefix, "first_page": first_page}


def segment_chars() -> int:
    # About 20 pages of text: small enough to balance two processes, large enough that the
    # fixed cost of a rendering (stylesheets, fonts) stays small.
    return settings.PDF_SEGMENT_CHARS


def _anchor(chapter: ChapterView, index: int) -> str:
    return f"s{chapter.order}-{index}"


@dataclass
class TocEntry:
    level: int  # 1 chapter, 2 sub-bab, 3 sub-sub-bab
    text: str
    page: str


def page_label(document: Document, part: Part, index: int) -> str:
    """The printed number of page `index` (0-based) of a chapter part: "IV-3" or "57"."""
    if document.page_numbering == Document.Numbering.PER_CHAPTER:
        return f"{_prefix(part.chapter)}{part.offset + index + 1}"
    return str(part.start + index)


def cover_html(document: Document, *, snapshot: Snapshot | None, when, draft: bool) -> str:
    """The cover: the one page that carries the export time, so it is the one page of the front
    matter rendered by every export."""
    return render_to_string(
        "drafts/pdf/cover.html",
        _document_context(document)
        | cover(document, when)
        | {"snapshot": snapshot, "draft": draft, "stamp": _export_stamp(when, document)},
    )


def front_maker(
    document: Document,
    assembled: Assembled,
    parts: list[Part],
    *,
    images,
    draft: bool = True,
) -> Callable[[int], str]:
    """The front matter after the cover (kata pengantar, daftar isi, tabel, gambar), numbered
    on from the cover in lower-roman. Without the export time it is the same HTML from one
    export to the next until a page number or a title changes, and the cache serves it: an
    edit that moves no page renders its part and the cover only (issue 18)."""
    where: dict[str, str] = {}
    for part in parts:
        for name, page in part.rendered.anchors.items():
            where.setdefault(name, page_label(document, part, page))
    toc: list[TocEntry] = []
    for chapter in dict.fromkeys(part.chapter.key for part in parts):
        view = next(p.chapter for p in parts if p.chapter.key == chapter)
        if view.kind == APPENDIX:
            title = f"LAMPIRAN {view.order} {view.title}"
            toc.append(TocEntry(1, title, where.get(f"lampiran{view.order}", "")))
            continue
        if view.kind != Chapter.Kind.BODY:
            continue  # the kelengkapan page is not part of the document
        title = f"BAB {view.number} {view.title}".strip()
        toc.append(TocEntry(1, title, where.get(f"bab{view.order}", "")))
        for index, section in enumerate(view.sections):
            if section.depth >= 1:
                toc.append(
                    TocEntry(
                        section.depth + 1, section.heading, where.get(_anchor(view, index), "")
                    )
                )
    tables = [(n, _caption(n, assembled), where.get(n.id, "")) for n in assembled.tables()]
    figures = [(n, _caption(n, assembled), where.get(n.id, "")) for n in assembled.figures()]
    front = [
        (
            section,
            prepare_body(assembled.render(section, footnotes="inline"), images, document.paper),
        )
        for chapter in assembled.front
        for section in chapter.sections
    ]
    context = _document_context(document) | {
        "front": front,
        "toc": toc,
        "tables": tables,
        "figures": figures,
        "draft": draft,
    }

    def make(first_page: int) -> str:
        # Only the page counter is set: the front pages keep their own lower-roman footer.
        return render_to_string("drafts/pdf/front.html", context | {"front_first_page": first_page})

    return make


def cover(document: Document, when) -> dict:
    """What the cover prints, for the PDF and the Word file (drafts/docx.py) alike."""
    local = timezone.localtime(when, document.plan.region.zone)
    # The penyampaian month of the settings; until a planner sets it (the kelengkapan check
    # asks for it) the export day stands in.
    cover_date = document.cover_date or local.date()
    with translation.override("id"):
        month_year = date_format(cover_date, "F Y")
    return {
        "title": _title(document),
        "agency": _agency_name(document),
        "logo": _logo(document),
        "place": document.place,
        "month_year": month_year,
    }


def _export_stamp(when, document: Document) -> str:
    local = timezone.localtime(when, document.plan.region.zone)
    with translation.override("id"):
        return f"{date_format(local, 'j F Y H.i')} {local.tzname() or ''}".strip()


def _caption(numbered, assembled: Assembled) -> str:
    """The caption as printed above the table: a data block's is its table's own."""
    if numbered.block:
        table = assembled.resolve(*numbered.block)
        if table is not None and table.caption:
            return table.caption
    return numbered.caption


def _logo(document: Document) -> str:
    region = document.plan.region
    if region.logo:
        kind = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}.get(
            region.logo.name.rsplit(".", 1)[-1].lower()
        )
        if kind:
            try:
                with region.logo.open("rb") as handle:
                    return f"data:{kind};base64,{base64.b64encode(handle.read()).decode()}"
            except OSError:
                logger.warning("region logo unreadable; the placeholder emblem is printed")
    return "img/emblem.svg"


# --- rendering the parts: cache, processes -----------------------------------------------------


def _digest(html: str, fingerprint: str) -> str:
    return hashlib.sha256(fingerprint.encode() + html.encode()).hexdigest()


def _cached(digest: str) -> RenderedPart | None:
    # STORAGES["pdf_parts"]: cache_dir() on this machine, or a bucket every node shares.
    storage = storages["pdf_parts"]
    try:
        with storage.open(f"{digest}.json", "rb") as handle:
            info = json.loads(handle.read())
        with storage.open(f"{digest}.pdf", "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None
    except Exception:  # an unreachable bucket costs a re-render, not the export
        logger.warning("PDF cache not read", exc_info=True)
        return None
    if len(data) != info.get("bytes", len(data)):
        return None  # the part was being replaced as it was read: render it again
    if is_local(storage):
        now = time.time()
        for name in (f"{digest}.pdf", f"{digest}.json"):
            try:
                os.utime(storage.path(name), (now, now))  # kept while in use (see prune_cache)
            except OSError:  # noqa: SIM105 - pruned meanwhile: the bytes are read already
                continue
    return RenderedPart(
        pdf=data, pages=info["pages"], anchors=info["anchors"], landscape=info["landscape"]
    )


def _store(digest: str, part: RenderedPart) -> None:
    storage = storages["pdf_parts"]
    meta = {
        "pages": part.pages,
        "anchors": part.anchors,
        "landscape": part.landscape,
        "bytes": len(part.pdf),
    }
    # The PDF first, its description second: a reader that finds the description finds the
    # whole part (each write is atomic: a renamed temporary file, or one S3 PUT).
    try:
        storage.save(f"{digest}.pdf", ContentFile(part.pdf))
        storage.save(f"{digest}.json", ContentFile(json.dumps(meta).encode()))
    except Exception:  # a full disk or an unreachable bucket costs a re-render, not the export
        logger.warning("PDF cache not written", exc_info=True)


def prune_cache() -> None:
    """Forget parts not used (on disk) or not rendered (in a bucket, which keeps no access
    time) for PDF_CACHE_DAYS days."""
    storage = storages["pdf_parts"]
    cutoff = time.time() - settings.PDF_CACHE_DAYS * 86400
    try:
        _folders, names = storage.listdir("")
    except (OSError, ValueError):
        return
    except Exception:
        logger.warning("PDF cache not pruned", exc_info=True)
        return
    for name in names:
        try:
            if storage.get_modified_time(name).timestamp() < cutoff:
                storage.delete(name)
        except Exception:  # noqa: S112 - another worker pruned it first; the next prune retries
            continue


# The renderer processes of this process (the task worker, a web process making previews): kept
# between exports with their fonts and stylesheets loaded, replaced if one died.
_renderers: dict[str, concurrent.futures.ProcessPoolExecutor] = {}


def _executor(count: int) -> concurrent.futures.ProcessPoolExecutor:
    """Renderer processes from a fork server: a clean process (no threads, no database
    connection) that has already imported WeasyPrint, so a worker starts in milliseconds."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["drafts.pdfworker", "weasyprint"])
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=count,
        mp_context=context,
        initializer=init_worker,
        initargs=(settings.PDF_EXPORT_NICE, settings.PDF_EXPORT_MEMORY_MB, os.getpid()),
    )


_renderers_lock = threading.Lock()  # a web process's threads may preview at the same time


def renderers(count: int) -> concurrent.futures.ProcessPoolExecutor:
    key = f"{os.getpid()}-{count}"  # a forked process never uses its parent's pool
    with _renderers_lock:
        pool = _renderers.get(key)
        if pool is None or getattr(pool, "_broken", False):
            _stop_all()
            pool = _renderers[key] = _executor(count)
        return pool


def stop_renderers() -> None:
    """Stop this process's renderer processes at once (a stopped export leaves none behind)."""
    # Bounded: a signal handler may call this while its own thread holds the lock.
    locked = _renderers_lock.acquire(timeout=5)
    try:
        _stop_all()
    finally:
        if locked:
            _renderers_lock.release()


def _stop_all() -> None:
    while _renderers:
        _, pool = _renderers.popitem()
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            with contextlib.suppress(OSError, AttributeError):
                process.kill()
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(stop_renderers)


def render_parts(
    parts: list[Part],
    *,
    on_done: Callable[[Part], None],
    fingerprint: str = "",
    count: int | None = None,
) -> None:
    """Render the parts that are not cached, in parallel; fill `rendered` on each part.

    A part with a `make` gets its HTML once the number of its first page is known: at once for
    the first part of a chapter, from the cache or the rendering of the part before it (`after`)
    otherwise. A later part whose predecessor's pages did not change finds itself in the cache.
    """
    waiting = list(parts)
    ready: list[Part] = []
    started = time.monotonic()

    def settle() -> None:
        # Every part whose first page is now known: its HTML, then the cache.
        progressed = True
        while progressed:
            progressed = False
            for part in list(waiting):
                if part.after is not None and part.after.rendered is None:
                    continue
                waiting.remove(part)
                if part.make is not None:
                    after = part.after
                    part.first_page = after.first_page + after.rendered.pages if after else 1
                    part.html = part.make(part.first_page)
                    part.digest = _digest(part.html, fingerprint)
                cached = _cached(part.digest) if part.keep else None
                if cached is not None:
                    part.rendered, part.reused = cached, True
                    on_done(part)
                    progressed = True
                else:
                    ready.append(part)

    def finish(part: Part, rendered: RenderedPart, remote: bool) -> None:
        part.rendered, part.remote = rendered, remote
        if part.keep:
            _store(part.digest, part.rendered)
        on_done(part)

    settle()
    count = workers() if count is None else count
    small = sum(part.size or len(part.html) for part in [*waiting, *ready]) < SMALL_RENDER_CHARS
    if count <= 0 or small:
        # Nothing to share out (a short front matter): starting renderer processes would cost
        # more than the rendering.
        while ready:
            part = ready.pop(0)
            finish(part, render_part(part.html), remote=False)
            settle()
        return
    if not ready:
        return
    timeout = settings.PDF_EXPORT_TIMEOUT
    pool = renderers(count)
    running: dict[concurrent.futures.Future, Part] = {}
    # Longest chain first: a part whose chapter has most text left after it goes to the next
    # free renderer, so Bab II's later parts do not wait behind every other chapter's first.
    following: dict[int, int] = {}
    for part in reversed(parts):
        following[id(part)] = following.get(id(part), 0) + (part.size or len(part.html))
        if part.after is not None:
            following[id(part.after)] = following[id(part)]
    # Each part renders holding one of the machine's render slots: other workers' exports wait
    # for a free core instead of crowding the web processes off theirs.
    slots: dict[concurrent.futures.Future, int] = {}
    try:
        while ready or running:
            ready.sort(key=lambda part: following.get(id(part), 0), reverse=True)
            while ready and len(running) < count:
                slot = heavy.take_render_slot()
                if slot is None:
                    break
                part = ready.pop(0)
                future = pool.submit(render_part, part.html)
                running[future], slots[future] = part, slot
            left = timeout - (time.monotonic() - started)
            if left <= 0:
                raise concurrent.futures.TimeoutError
            # A part waiting for a slot looks again shortly; otherwise the next rendering to end
            # is what changes anything.
            starved = bool(ready) and len(running) < count
            done: set = set()
            if running:
                done, _ = concurrent.futures.wait(
                    running,
                    timeout=min(SLOT_POLL_SECONDS, left) if starved else left,
                    return_when=concurrent.futures.FIRST_COMPLETED,
                )
            else:
                time.sleep(min(SLOT_POLL_SECONDS, left))
            for future in done:
                os.close(slots.pop(future))
                finish(running.pop(future), future.result(), remote=True)
            settle()
    except concurrent.futures.TimeoutError as error:
        stop_renderers()
        raise ExportError(
            gettext_noop(
                "Waktu membuat PDF habis: sebuah bab terlalu besar atau rumit untuk dicetak."
            )
        ) from error
    except concurrent.futures.process.BrokenProcessPool as error:
        stop_renderers()
        raise ExportError(
            gettext_noop("Proses pembuat PDF berhenti mendadak (kehabisan memori atau dihentikan).")
        ) from error
    except MemoryError as error:
        raise ExportError(gettext_noop("Memori tidak cukup untuk mencetak dokumen ini.")) from error
    except BaseException:
        # Stopped (SIGTERM, the task cancelled): the renderers stop with it.
        stop_renderers()
        raise
    finally:
        for slot in slots.values():
            os.close(slot)


# --- the whole document ------------------------------------------------------------------------


def assemble(
    document: Document, snapshot: Snapshot | None, *, visible=None, chapters=None
) -> Assembled:
    """The chapters the document's kind prints (all of them for a one-chapter preview)."""
    if snapshot is not None:
        return assemble_snapshot(snapshot, printed=chapters is None)
    only = None
    if chapters is not None and len(chapters) == 1:
        only = document.chapters.filter(order=chapters[0]).first()
    # A preview prints its chapter under the kind's number (the penutup as Bab V).
    return assemble_live(document, visible=visible, chapter=only, printed=True)


def appendix_parts(document: Document, *, draft: bool) -> list[Part]:
    parts = []
    context = _document_context(document) | {"title": _title(document), "draft": draft}
    for number, appendix in enumerate(appendices.build(document), start=1):
        view = ChapterView(APPENDIX, number, f"L{number}", appendix.title, "")

        def make(first_page: int, view=view, appendix=appendix) -> str:
            return render_to_string(
                "drafts/pdf/appendix.html",
                context
                | numbering(document, view, first_page)
                | {"chapter": view, "appendix": appendix},
            )

        parts.append(
            Part(key=f"lampiran{number}", chapter=view, make=make, size=len(appendix.html))
        )
    return parts


def findings_part(document: Document, findings, *, draft: bool) -> Part:
    view = ChapterView(CHECK, 1, "K", "Kelengkapan", "")

    def make(first_page: int) -> str:
        return render_to_string(
            "drafts/pdf/findings.html",
            _document_context(document)
            | numbering(document, view, first_page)
            | {
                "title": _title(document),
                "draft": draft,
                "findings": findings,
                "open": sum(1 for f in findings if f.is_open),
            },
        )

    return Part(key="kelengkapan", chapter=view, make=make, size=200 * len(findings))


def build_pdf(
    document: Document,
    *,
    snapshot: Snapshot | None = None,
    visible=None,
    when=None,
    final: bool = False,
    progress: Progress | None = None,
    worker_count: int | None = None,
    chapters: list[int] | None = None,
) -> Result:
    """The PDF of the live document (limited to `visible` sections) or of a snapshot.

    `chapters` (orders) limits it to those chapters without front matter: the chapter preview.
    Its parts are the export's own (same HTML, same numbers), so the two share the cache.
    """
    started = time.perf_counter()
    when = when or timezone.now()
    progress = progress or (lambda percent, step: None)
    if snapshot is not None:
        document = snapshot.printed_document
    assembled = assemble(document, snapshot, visible=visible, chapters=chapters)
    images = _Images(document)
    fingerprint = _css_fingerprint()
    draft = not final
    per_chapter = document.page_numbering == Document.Numbering.PER_CHAPTER
    progress(5, gettext_noop("Menyusun HTML"))
    parts: list[Part] = []
    for chapter in assembled.body_chapters:
        stored_order = chapter.chapter.order if chapter.chapter is not None else chapter.order
        if chapters is not None and stored_order not in chapters:
            continue
        makers = chapter_parts(document, assembled, chapter, images=images, draft=draft)
        for number, (make, size) in enumerate(makers):
            parts.append(
                Part(key=f"bab{chapter.order}-{number + 1}", chapter=chapter, make=make, size=size)
            )
    if chapters is None:
        parts += appendix_parts(document, draft=draft)
        if not final:
            # A draft carries its kelengkapan findings on a last page of their own.
            findings = completeness.check(document, assembled)
            if findings:
                parts.append(findings_part(document, findings, draft=draft))
    # Which part's pages come right before each part's first numbered page: the chapter's
    # earlier part (numbers restart per chapter), or simply the part before (continuous).
    for before, part in zip(parts, parts[1:], strict=False):
        if not per_chapter or before.chapter.key == part.chapter.key:
            part.after = before
    done = [0]

    def finished(part: Part) -> None:
        done[0] += 1
        progress(5 + 80 * done[0] // max(len(parts), 1), gettext_noop("Merender bab"))

    render_parts(parts, on_done=finished, fingerprint=fingerprint, count=worker_count)
    start, offsets = 1, {}
    for part in parts:
        part.offset = offsets.get(part.chapter.key, 0)
        part.start = start
        offsets[part.chapter.key] = part.offset + part.rendered.pages
        start += part.rendered.pages
    pieces: list[Part] = []
    if chapters is None:
        progress(88, gettext_noop("Menyusun daftar isi"))
        html = cover_html(document, snapshot=snapshot, when=when, draft=draft)
        # Cached like any part (an export in the same minute reuses it); a page of its own,
        # pruned with the rest.
        cover_part = Part(key="cover", html=html, digest=_digest(html, fingerprint))
        front = Part(
            key="front",
            make=front_maker(document, assembled, parts, images=images, draft=draft),
            after=cover_part,
        )
        render_parts(
            [cover_part, front],
            on_done=lambda part: None,
            fingerprint=fingerprint,
            count=worker_count,
        )
        pieces += [cover_part, front]
    pieces.extend(parts)
    progress(94, gettext_noop("Menggabungkan"))
    pdf, pages = merge(document, pieces)
    return Result(
        pdf=pdf,
        pages=pages,
        reused=sum(1 for p in pieces if p.reused),
        rendered=sum(1 for p in pieces if not p.reused),
        seconds=time.perf_counter() - started,
        parts=pieces,
        renderer_cpu=sum(p.rendered.cpu for p in pieces if p.remote),
    )


# --- merging -----------------------------------------------------------------------------------


def merge(document, pieces: list[Part]):
    """The parts one after the other. Each already prints its own page numbers and DRAF mark,
    so the merge copies pages and bookmarks and never opens a page's content. qpdf (pikepdf)
    copies the 364 pages of the benchmark document in 0.15 s, where pypdf took 1.0 s, a second
    of every export, the one-edit path's included (issue 18)."""
    # lazy: pikepdf (qpdf) is only needed to merge the rendered parts, in the export worker
    import pikepdf

    merged = pikepdf.Pdf.new()
    bookmarks: list[tuple[pikepdf.Pdf, int, list]] = []
    sources = []  # kept open until the merged file is written: its pages come from them
    for piece in pieces:
        source = pikepdf.Pdf.open(io.BytesIO(piece.rendered.pdf))
        sources.append(source)
        offset = len(merged.pages)
        merged.pages.extend(source.pages)
        with source.open_outline() as outline:
            bookmarks.append((source, offset, list(outline.root)))
    with merged.open_outline() as outline:
        for source, offset, items in bookmarks:
            outline.root.extend(_bookmarks(items, source, merged, offset))
    merged.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(_page_labels(document, pieces)))
    plan = document.plan
    subject = KIND_LABEL.get(document.kind, KIND_LABEL["teknokratik"]).title()
    merged.docinfo["/Title"] = _title(document)
    merged.docinfo["/Author"] = f"{_agency_name(document)} {plan.region.full_name}"
    merged.docinfo["/Subject"] = f"{subject} RPJMD {plan.period_label}"
    merged.docinfo["/Creator"] = "Meja Kerja RPJMD"
    merged.Root.Lang = pikepdf.String("id")
    out = io.BytesIO()
    merged.save(out)
    pages = len(merged.pages)
    for source in sources:
        source.close()
    return out.getvalue(), pages


def _bookmarks(items, source, merged, offset: int) -> list:
    """A part's bookmarks pointing at the same places among the merged pages."""
    # lazy: as merge()
    import pikepdf

    copied = []
    for item in items:
        destination = item.destination
        if isinstance(destination, pikepdf.Array) and len(destination):
            index = source.pages.index(pikepdf.Page(destination[0]))
            destination = pikepdf.Array([merged.pages[offset + index].obj, *destination[1:]])
        copy = pikepdf.OutlineItem(item.title, destination)
        copy.children.extend(_bookmarks(list(item.children), source, merged, offset))
        copied.append(copy)
    return copied


def _page_labels(document: Document, pieces: list[Part]) -> list:
    """The PDF viewer's page numbers match the printed ones (ii, IV-3): the /PageLabels
    number tree's entries, first page index then its numbering."""
    # lazy: as merge()
    import pikepdf

    first = 0
    ranges: list[tuple[Part, int, int]] = []
    for piece in pieces:
        ranges.append((piece, first, first + piece.rendered.pages - 1))
        first += piece.rendered.pages
    per_chapter = document.page_numbering == Document.Numbering.PER_CHAPTER
    labels: dict[int, pikepdf.Dictionary] = {}
    numbered: set[str] = set()  # chapters whose numbering has begun (a later part continues it)
    for piece, begin, end in ranges:
        if end < begin:
            continue
        if piece.chapter is None:  # the cover and the front matter: i, ii, ... from the cover
            if not labels:
                labels[begin] = pikepdf.Dictionary(S=pikepdf.Name.r, St=1)
        elif not per_chapter:
            labels[begin] = pikepdf.Dictionary(S=pikepdf.Name.D, St=piece.start)
        elif piece.chapter.key not in numbered:
            numbered.add(piece.chapter.key)
            prefix = pikepdf.String(_prefix(piece.chapter))
            labels[begin] = pikepdf.Dictionary(S=pikepdf.Name.D, St=1, P=prefix)
    return [value for begin in sorted(labels) for value in (begin, labels[begin])]


def _prefix(chapter: ChapterView) -> str:
    return "".join(c for c in f"{chapter.number or chapter.order}" if c.isalnum()) + "-"
