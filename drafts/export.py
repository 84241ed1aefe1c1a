"""The assembled document as one print-ready PDF (issue 7).

How it is made, and why:

- Every printed body chapter (and lampiran) is rendered by WeasyPrint as its own HTML
  document; a long chapter is cut between sub-bab into parts of about 20 pages. Parts render in
  two low-priority processes at once.
- Page numbers ("IV-3" per chapter, or continuous) and the DRAF mark are not part of a part's
  rendering: they are drawn over the merged pages afterwards. So a part's PDF depends only on
  its own text and the stylesheets, and is kept on disk under the hash of its HTML, the
  stylesheets and the renderer's version. The next export renders only the parts whose hash
  changed: after editing one section, one part.
- The front matter (cover, kata pengantar, daftar isi, daftar tabel, daftar gambar; roman page
  numbers) is rendered last, when the page of every heading, table and figure is known from the
  parts' anchors; the lists print those page labels.
- pypdf merges the parts, keeps each part's bookmarks (headings become bookmarks), adds the
  metadata and page labels, and draws the page numbers and, unless the snapshot is the approved
  final, the DRAF mark with the export time.
- Only the chapters of the document's kind are printed (drafts/kinds.py: Bab I–IV and the
  penutup for a rancangan teknokratik), then the chosen lampiran (drafts/appendices.py) and, on
  a draft, the kelengkapan findings (drafts/completeness.py) on a last page of their own.
"""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import io
import json
import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop

from drafts import appendices, completeness
from drafts.html import IMAGE_SRC_PATTERN, parse, serialize
from drafts.models import Chapter, Document, Image, Snapshot
from drafts.pdfworker import RenderedPart, init_worker, render_part
from drafts.snapshots import Assembled, ChapterView, assemble_live, assemble_snapshot
from rpjmd.models import Agency
from rpjmd.pdf import STATIC_DIR

logger = logging.getLogger(__name__)

# A table whose estimated width exceeds the text width of a portrait page (A4 or F4 less the
# margins, 16 cm) is printed on a landscape page. The width is estimated from the text of its
# columns (WeasyPrint cannot be asked before the page is laid out): each column wants its longest
# word and up to COLUMN_WRAP characters before wrapping is acceptable.
TEXT_WIDTH_CM = 16.0
CHAR_CM = 0.19  # an average character of 9.5pt Liberation Sans
CELL_PADDING_CM = 0.4
COLUMN_WRAP = 10
PAPER = {"a4": (210, 297), "f4": (215, 330)}  # millimetres, portrait
KIND_LABEL = {
    "teknokratik": "RANCANGAN TEKNOKRATIK",
    "awal": "RANCANGAN AWAL",
    "akhir": "RANCANGAN AKHIR",
}
STYLESHEETS = ("css/print.css", "css/document-print.css")
SMALL_RENDER_CHARS = 20_000
Progress = Callable[[int, str], None]
APPENDIX = "appendix"  # the ChapterView kind of a lampiran part
CHECK = "check"  # and of the kelengkapan page


class ExportError(Exception):
    """An export that cannot finish; the message is shown to the planner (Indonesian)."""


@dataclass
class Part:
    key: str
    html: str
    digest: str
    chapter: ChapterView | None = None  # None for the front matter
    rendered: RenderedPart | None = None
    reused: bool = False
    offset: int = 0  # index of its first page within its chapter
    start: int = 1  # continuous number of its first page
    keep: bool = True  # cached on disk (not the stamps: they carry the export time)


@dataclass
class Result:
    pdf: bytes
    pages: int
    reused: int
    rendered: int
    seconds: float
    parts: list[Part] = field(default_factory=list)


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
        "stylesheets": STYLESHEETS,
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


def estimated_width_cm(table) -> float:
    """How wide the table wants to be: per column its longest word, or its longest text up
    to COLUMN_WRAP characters (longer text wraps), plus the cell padding."""
    wants: dict[int, int] = {}
    for row in table.iter("tr"):
        column = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            span = _span(cell)
            text = " ".join(" ".join(cell.itertext()).split())
            longest = max((len(word) for word in text.split()), default=0)
            want = max(longest, min(len(text), COLUMN_WRAP))
            share = -(-want // span)  # a merged cell shares its width between its columns
            for index in range(column, column + span):
                wants[index] = max(wants.get(index, 0), share)
            column += span
    return sum(chars * CHAR_CM + CELL_PADDING_CM for chars in wants.values())


def is_wide(table) -> bool:
    return estimated_width_cm(table) > TEXT_WIDTH_CM


def prepare_body(html: SafeString | str, images: _Images) -> SafeString:
    """A rendered section body made ready for print: pictures inlined, wide tables turned."""
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
        if is_wide(table):
            parent = table.getparent()
            holder = parent if parent is not None and parent.tag == "figure" else table
            container = holder.getparent()
            wrapper = lxml.html.Element("div", {"class": "landscape"})
            container.replace(holder, wrapper)
            wrapper.append(holder)
    # nosemgrep: rpjmd-no-mark-safe - lxml re-serializes a rendered, sanitized body
    return mark_safe(serialize(root))  # nosec B308 B703 - serialized by lxml (escapes text)


def chapter_parts(
    document: Document, assembled: Assembled, chapter: ChapterView, *, images
) -> list[str]:
    """The chapter as one or more HTML documents (segments), split between sub-bab so the two
    renderer processes share a long chapter; each segment after the first opens a new page."""
    bodies = [
        prepare_body(assembled.render(section, footnotes="inline"), images)
        for section in chapter.sections
    ]
    groups: list[list[int]] = []
    for index, section in enumerate(chapter.sections):
        if not groups or section.depth == 1:
            groups.append([index])
        else:
            groups[-1].append(index)
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
    context = _document_context(document) | {"chapter": chapter, "title": _title(document)}
    return [
        render_to_string(
            "drafts/pdf/chapter.html",
            context
            | {
                "first": number == 0,
                "sections": [
                    (chapter.sections[i], _anchor(chapter, i), bodies[i]) for i in segment
                ],
            },
        )
        for number, segment in enumerate(segments or [[]])
    ]


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
        return f"{part.chapter.number or part.chapter.order}-{part.offset + index + 1}"
    return str(part.start + index)


def front_html(
    document: Document,
    assembled: Assembled,
    parts: list[Part],
    *,
    snapshot: Snapshot | None,
    when,
    images,
) -> str:
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
    figures = [(n, n.caption, where.get(n.id, "")) for n in assembled.figures()]
    front = [
        (section, prepare_body(assembled.render(section, footnotes="inline"), images))
        for chapter in assembled.front
        for section in chapter.sections
    ]
    plan = document.plan
    local = timezone.localtime(when, plan.region.zone)
    # The penyampaian month of the settings; until a planner sets it (the kelengkapan check
    # asks for it) the export day stands in.
    cover_date = document.cover_date or local.date()
    with translation.override("id"):
        month_year = date_format(cover_date, "F Y")
    return render_to_string(
        "drafts/pdf/front.html",
        _document_context(document)
        | {
            "title": _title(document),
            "agency": _agency_name(document),
            "logo": _logo(document),
            "place": document.place,
            "month_year": month_year,
            "front": front,
            "toc": toc,
            "tables": tables,
            "figures": figures,
            "snapshot": snapshot,
        },
    )


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
    # lazy: storage code kept inside the cache functions while another change edits the imports
    from django.core.files.storage import storages

    from rpjmd.storage import is_local

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
    # lazy: as in _cached
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

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
    # lazy: as in _cached
    from django.core.files.storage import storages

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


_pool: concurrent.futures.ProcessPoolExecutor | None = None


def _executor(count: int) -> concurrent.futures.ProcessPoolExecutor:
    """Renderer processes from a fork server: a clean process (no threads, no database
    connection) that has already imported WeasyPrint, so a worker starts in milliseconds."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["drafts.pdfworker", "weasyprint"])
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=count,
        mp_context=context,
        initializer=init_worker,
        initargs=(
            settings.PDF_EXPORT_NICE,
            settings.PDF_EXPORT_MEMORY_MB,
        ),
    )


def render_parts(
    parts: list[Part], *, on_done: Callable[[Part], None], count: int | None = None
) -> None:
    """Render the parts that are not cached, in parallel; fill `rendered` on each part."""
    todo = []
    for part in parts:
        cached = _cached(part.digest) if part.keep else None
        if cached is not None:
            part.rendered, part.reused = cached, True
            on_done(part)
        else:
            todo.append(part)
    if not todo:
        return
    count = workers() if count is None else count
    small = sum(len(part.html) for part in todo) < SMALL_RENDER_CHARS
    if count <= 0 or small:
        # Nothing to share out (stamps, a short front matter): starting renderer processes
        # would cost more than the rendering.
        for part in todo:
            part.rendered = render_part(part.html)
            if part.keep:
                _store(part.digest, part.rendered)
            on_done(part)
        return
    timeout = settings.PDF_EXPORT_TIMEOUT
    pool = _executor(min(count, len(todo)))
    try:
        futures = {pool.submit(render_part, part.html): part for part in todo}
        for future in concurrent.futures.as_completed(futures, timeout=timeout):
            part = futures[future]
            part.rendered = future.result()
            if part.keep:
                _store(part.digest, part.rendered)
            on_done(part)
    except concurrent.futures.TimeoutError as error:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        raise ExportError(
            gettext_noop(
                "Waktu membuat PDF habis: sebuah bab terlalu besar atau rumit untuk dicetak."
            )
        ) from error
    except concurrent.futures.process.BrokenProcessPool as error:
        raise ExportError(
            gettext_noop("Proses pembuat PDF berhenti mendadak (kehabisan memori atau dihentikan).")
        ) from error
    except MemoryError as error:
        raise ExportError(gettext_noop("Memori tidak cukup untuk mencetak dokumen ini.")) from error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


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


def appendix_parts(document: Document, fingerprint: str) -> list[Part]:
    parts = []
    context = _document_context(document) | {"title": _title(document)}
    for number, appendix in enumerate(appendices.build(document), start=1):
        view = ChapterView(APPENDIX, number, f"L{number}", appendix.title, "")
        html = render_to_string(
            "drafts/pdf/appendix.html", context | {"chapter": view, "appendix": appendix}
        )
        parts.append(
            Part(
                key=f"lampiran{number}", html=html, digest=_digest(html, fingerprint), chapter=view
            )
        )
    return parts


def findings_part(document: Document, findings, fingerprint: str) -> Part:
    view = ChapterView(CHECK, 1, "K", "Kelengkapan", "")
    html = render_to_string(
        "drafts/pdf/findings.html",
        _document_context(document)
        | {
            "title": _title(document),
            "findings": findings,
            "open": sum(1 for f in findings if f.is_open),
        },
    )
    return Part(key="kelengkapan", html=html, digest=_digest(html, fingerprint), chapter=view)


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
    """
    started = time.perf_counter()
    when = when or timezone.now()
    progress = progress or (lambda percent, step: None)
    if snapshot is not None:
        document = snapshot.printed_document
    assembled = assemble(document, snapshot, visible=visible, chapters=chapters)
    images = _Images(document)
    fingerprint = _css_fingerprint()
    progress(5, gettext_noop("Menyusun HTML"))
    parts: list[Part] = []
    for chapter in assembled.body_chapters:
        stored_order = chapter.chapter.order if chapter.chapter is not None else chapter.order
        if chapters is not None and stored_order not in chapters:
            continue
        for number, html in enumerate(chapter_parts(document, assembled, chapter, images=images)):
            parts.append(
                Part(
                    key=f"bab{chapter.order}-{number + 1}",
                    html=html,
                    digest=_digest(html, fingerprint),
                    chapter=chapter,
                )
            )
    if chapters is None:
        parts += appendix_parts(document, fingerprint)
        if not final:
            # A draft carries its kelengkapan findings on a last page of their own.
            findings = completeness.check(document, assembled)
            if findings:
                parts.append(findings_part(document, findings, fingerprint))
    done = [0]

    def finished(part: Part) -> None:
        done[0] += 1
        progress(5 + 80 * done[0] // max(len(parts), 1), gettext_noop("Merender bab"))

    render_parts(parts, on_done=finished, count=worker_count)
    start, offsets = 1, {}
    for part in parts:
        part.offset = offsets.get(part.chapter.key, 0)
        part.start = start
        offsets[part.chapter.key] = part.offset + part.rendered.pages
        start += part.rendered.pages
    # The front matter and the stamps (page numbers, DRAF) are rendered side by side.
    progress(88, gettext_noop("Menyusun daftar isi"))
    pieces: list[Part] = []
    last: list[Part] = []
    pages = [
        (index in part.rendered.landscape, page_label(document, part, index))
        for part in parts
        for index in range(part.rendered.pages)
    ]
    # Page numbers depend only on the pages: cached like a chapter, reused after most edits.
    html = _stamps_html(pages, draft=False, when=when, document=document)
    numbers = Part(key="numbers", html=html, digest=_digest(html, fingerprint))
    last.append(numbers)
    watermark = None
    if not final:
        html = _stamps_html([(False, ""), (True, "")], draft=True, when=when, document=document)
        watermark = Part(key="watermark", html=html, digest="", keep=False)
        last.append(watermark)
    if chapters is None:
        html = front_html(document, assembled, parts, snapshot=snapshot, when=when, images=images)
        front = Part(key="front", html=html, digest=_digest(html, fingerprint))
        pieces.append(front)
        last.append(front)
    render_parts(last, on_done=lambda part: None, count=worker_count)
    pieces.extend(parts)
    progress(94, gettext_noop("Menggabungkan"))
    pdf, pages = merge(document, pieces, numbers=numbers, watermark=watermark)
    return Result(
        pdf=pdf,
        pages=pages,
        reused=sum(1 for p in pieces if p.reused),
        rendered=sum(1 for p in pieces if not p.reused),
        seconds=time.perf_counter() - started,
        parts=pieces,
    )


# --- merging -----------------------------------------------------------------------------------


def merge(document, pieces: list[Part], *, numbers: Part, watermark: Part | None):
    # lazy: pypdf is only needed to merge the rendered parts, in the export worker
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter()
    for piece in pieces:
        writer.append(PdfReader(io.BytesIO(piece.rendered.pdf)), import_outline=True)
    _page_labels(writer, document, pieces)
    plan = document.plan
    writer.add_metadata(
        {
            "/Title": _title(document),
            "/Author": f"{_agency_name(document)} {plan.region.full_name}",
            "/Subject": f"{KIND_LABEL.get(document.kind, KIND_LABEL['teknokratik']).title()} "
            f"RPJMD {plan.period_label}",
            "/Creator": "Meja Kerja RPJMD",
        }
    )
    writer._root_object[NameObject("/Lang")] = TextStringObject("id")
    # Page numbers of the chapters and the DRAF mark are drawn over the rendered pages:
    # neither is part of a chapter's rendering, so a chapter's cached PDF serves every
    # numbering, every position in the document and every export time.
    overlays = iter(PdfReader(io.BytesIO(numbers.rendered.pdf)).pages)
    marks = PdfReader(io.BytesIO(watermark.rendered.pdf)).pages if watermark else None
    position = 0
    for piece in pieces:
        for index, page in enumerate(writer.pages[position : position + piece.rendered.pages]):
            if piece.chapter is not None:
                page.merge_page(next(overlays), over=True)
            if marks is not None:
                page.merge_page(marks[1 if index in piece.rendered.landscape else 0], over=True)
        position += piece.rendered.pages
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def _page_labels(writer, document: Document, pieces: list[Part]) -> None:
    """The PDF viewer's page numbers match the printed ones (ii, IV-3)."""
    first = 0
    ranges: list[tuple[Part, int, int]] = []
    for piece in pieces:
        ranges.append((piece, first, first + piece.rendered.pages - 1))
        first += piece.rendered.pages
    per_chapter = document.page_numbering == Document.Numbering.PER_CHAPTER
    chapter_ranges: dict[str, list] = {}
    for piece, begin, end in ranges:
        if end < begin:
            continue
        if piece.chapter is None:
            writer.set_page_label(begin, end, "/r", start=1)
        elif per_chapter:
            span = chapter_ranges.setdefault(piece.chapter.key, [begin, end, piece.chapter])
            span[1] = end
        else:
            writer.set_page_label(begin, end, "/D", start=piece.start)
    for begin, end, chapter in chapter_ranges.values():
        prefix = f"{chapter.number or chapter.order}-"
        writer.set_page_label(begin, end, "/D", prefix=prefix, start=1)


def _stamps_html(pages: list[tuple[bool, str]], *, draft: bool, when, document) -> str:
    local = timezone.localtime(when, document.plan.region.zone)
    with translation.override("id"):
        stamp = f"{date_format(local, 'j F Y H.i')} {local.tzname() or ''}".strip()
    html = render_to_string(
        "drafts/pdf/stamps.html",
        {"pages": pages, "draft": draft, "stamp": stamp, "stylesheets": STYLESHEETS}
        | _paper(document),
    )
    return html
