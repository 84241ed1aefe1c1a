"""The assembled document as a Word file (issue 17), for the last formatting and the signatures.

It is written from exactly what the PDF prints: the same assembled document
(`export.assemble`: live or a snapshot, the chapters the document's kind prints), each section's
body rendered and prepared as for print (`export.prepare_body`: data blocks as tables with their
numbered captions, pictures inlined, wide tables marked), the same cover, lampiran and, on a
draft, kelengkapan page. Only the last step differs: instead of WeasyPrint, the HTML tree is
walked into Word's own structures with python-docx (docs/decisions.md, "The Word file"):

- chapters are "Heading 1", sub-bab "Heading 2", sub-sub-bab "Heading 3" (headings written inside
  a text start at "Heading 4"), so Word's navigation pane and its daftar isi see the outline; the
  daftar isi, daftar tabel and daftar gambar are TOC fields that Word fills in when the file is
  opened (their last known entries are written in so they are not empty before that);
- table and figure captions are in Word's "Caption" style with a SEQ field ("Tabel 2.{SEQ}") that
  Word's daftar tabel collects; the numbers are the document's own;
- footnotes are Word footnotes; page numbers are PAGE fields in the footers, per chapter ("IV-3")
  or continuous as the document's settings say, roman in the front matter;
- every chapter and lampiran is a Word section on the document's paper (A4 or F4); a wide table
  gets a landscape section of its own, as in the PDF;
- a draft carries "DRAF" and the export time in the header of every page.
"""

from __future__ import annotations

import base64
import binascii
import io
import logging
import re
import time
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_noop
from docx import Document as new_word_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from drafts import appendices, completeness
from drafts.export import (
    KIND_LABEL,
    PAPER,
    Progress,
    _Images,
    _title,
    assemble,
    cover,
    prepare_body,
)
from drafts.html import parse
from drafts.models import Document, Snapshot
from rpjmd.pdf import STATIC_DIR

logger = logging.getLogger(__name__)

SERIF = "Times New Roman"  # Liberation Serif, the PDF's font, has its widths
SANS = "Arial"  # and Liberation Sans this one's
BLACK = RGBColor(0, 0, 0)
DRAFT_RED = RGBColor(0x96, 0, 0)
MARGINS_CM = {"top": 2.5, "right": 2.0, "bottom": 2.5, "left": 3.0}  # binding edge on the left
TEXT_WIDTH_CM = {"a4": 21.0 - 5.0, "f4": 21.5 - 5.0}
LOGO_CM = 3.6
# A table nested this deep inside another is written as its text: Word lays out a few levels,
# and a pasted tower of tables would otherwise recurse without end.
MAX_TABLE_DEPTH = 3
MAX_SPAN = 50
COLUMN_CHARS = 30
CELL_PADDING_CM = 0.4
CHAR_CM = 0.19  # an average character of the tables' 9.5pt Arial
CAPTION_LABEL = re.compile(r"^(?P<word>\S+) (?:(?P<chapter>\d+)\.)?(?P<number>\d+)$")
BLOCK_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section", "article", "header", "footer",
    "main", "aside", "nav", "address", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "figure", "figcaption", "hr", "pre", "caption",
}  # fmt: skip
SKIPPED_TAGS = {"script", "style", "head", "title", "meta", "link", "template", "svg"}
ALIGNMENT = {
    "text-left": WD_ALIGN_PARAGRAPH.LEFT,
    "text-center": WD_ALIGN_PARAGRAPH.CENTER,
    "text-right": WD_ALIGN_PARAGRAPH.RIGHT,
    "text-justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
WHITESPACE = re.compile(r"\s+")

# Styles this module adds (Word's built-in names, so Word treats them as its own) and the
# custom ones of the document.
FRONT_TITLE = "Judul Halaman Depan"
TABLE_TEXT = "Isi Tabel"
TABLE_SOURCE = "Sumber Tabel"
COVER = "Sampul"
PICTURE = "Gambar Tengah"


@dataclass
class WordResult:
    content: bytes
    seconds: float
    tables: int = 0
    figures: int = 0
    footnotes: int = 0
    headings: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Format:
    bold: bool = False
    italic: bool = False
    underline: bool = False
    strike: bool = False
    subscript: bool = False
    superscript: bool = False

    def but(self, **changes) -> Format:
        return Format(**{**self.__dict__, **changes})


INLINE_FORMAT = {
    "strong": {"bold": True},
    "b": {"bold": True},
    "em": {"italic": True},
    "i": {"italic": True},
    "cite": {"italic": True},
    "u": {"underline": True},
    "ins": {"underline": True},
    "s": {"strike": True},
    "del": {"strike": True},
    "strike": {"strike": True},
    "sub": {"subscript": True},
    "sup": {"superscript": True},
}


def build_docx(
    document: Document,
    *,
    snapshot: Snapshot | None = None,
    visible=None,
    when=None,
    final: bool = False,
    progress: Progress | None = None,
) -> WordResult:
    """The Word file of the live document (limited to `visible` sections) or of a snapshot."""
    started = time.perf_counter()
    when = when or timezone.now()
    progress = progress or (lambda percent, step: None)
    if snapshot is not None:
        document = snapshot.printed_document  # the kind, paper and dates it froze
    assembled = assemble(document, snapshot, visible=visible)
    images = _Images(document)
    progress(5, gettext_noop("Menyusun dokumen Word"))
    writer = Writer(document, when=when, final=final)
    writer.cover(cover(document, when), snapshot)
    for chapter in assembled.front:
        for section in chapter.sections:
            writer.front_title(section.title.upper())
            writer.body(prepare_body(assembled.render(section, footnotes="inline"), images))
    annexes = appendices.build(document)
    writer.contents(assembled, annexes)
    chapters = assembled.body_chapters
    for number, chapter in enumerate(chapters, start=1):
        writer.chapter(chapter)
        for section in chapter.sections:
            writer.section_heading(section)
            writer.body(prepare_body(assembled.render(section, footnotes="inline"), images))
        progress(5 + 75 * number // max(len(chapters), 1), gettext_noop("Menulis bab"))
    progress(85, gettext_noop("Menulis lampiran"))
    for number, appendix in enumerate(annexes, start=1):
        writer.appendix(number, appendix)
    if not final:
        # A draft carries its kelengkapan findings on a last page, as the PDF does.
        findings = completeness.check(document, assembled)
        if findings:
            writer.findings(findings)
    progress(95, gettext_noop("Menyimpan berkas Word"))
    content = writer.save()
    return WordResult(
        content=content,
        seconds=time.perf_counter() - started,
        tables=writer.counts["table"],
        figures=writer.counts["figure"],
        footnotes=writer.footnotes.count,
        headings=writer.headings,
    )


# --- fields and small XML pieces ---------------------------------------------------------------


def _field(paragraph, instruction: str, result: str = "") -> None:
    """A Word field (PAGE, SEQ...) with its last known result."""
    _field_begin(paragraph, instruction, dirty=False)
    if result:
        paragraph.add_run(result)
    _field_end(paragraph)


def _field_begin(paragraph, instruction: str, *, dirty: bool = True) -> None:
    """The start of a field whose result follows (a TOC's result spans paragraphs)."""
    for kind in ("begin", "instr", "separate"):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            if kind == "begin" and dirty:
                # Word recomputes the field when the file opens (settings: updateFields).
                element.set(qn("w:dirty"), "true")
        run._r.append(element)


def _field_end(paragraph) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(element)


def _set_fonts(style, name: str) -> None:
    """The font of a style in every script, without the theme's fonts that would win over it."""
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)
    rpr.insert(0, fonts)


def _keep_with_next(paragraph) -> None:
    paragraph.paragraph_format.keep_with_next = True


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


class Footnotes:
    """The footnotes part (python-docx reads and writes the main text only)."""

    def __init__(self, word, ids: dict[str, str]):
        self.word = word
        self.ids = ids
        self.count = 0
        xml = (
            f"<w:footnotes {nsdecls('w', 'r')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
            'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
            'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/>'
            "</w:r></w:p></w:footnote></w:footnotes>"
        )
        self.part = XmlPart(
            PackURI("/word/footnotes.xml"),
            CONTENT_TYPE.WML_FOOTNOTES,
            parse_xml(xml),
            word.part.package,
        )
        word.part.relate_to(self.part, RELATIONSHIP_TYPE.FOOTNOTES)

    def add(self, paragraph) -> Paragraph:
        """A footnote called from the end of `paragraph`; returns the footnote's own paragraph
        for its text."""
        self.count += 1
        number = str(self.count)
        call = paragraph.add_run()
        call._r.style = self.ids["footnote reference"]
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), number)
        call._r.append(reference)
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), number)
        self.part.element.append(note)
        body = OxmlElement("w:p")
        note.append(body)
        text = Paragraph(body, paragraph._parent)
        body.style = self.ids["footnote text"]
        mark = text.add_run()
        mark._r.style = self.ids["footnote reference"]
        mark._r.append(OxmlElement("w:footnoteRef"))
        text.add_run(" ")
        return text


# --- where blocks go: the body, a table cell ---------------------------------------------------


class Flow:
    """Somewhere paragraphs and tables are added: the document's body or a table cell. A new
    cell holds one empty paragraph, used for its first one.

    Styles are set by their id: python-docx's lookup by name reads every style each time, which
    made a large document's export minutes long."""

    def __init__(self, container, ids, *, style: str | None = None, depth: int = 0, spare=None):
        self.container = container
        self.ids = ids
        self.style = style
        self.depth = depth
        self.spare = spare
        if spare is not None and style:
            spare._p.style = ids[style]

    def paragraph(self, style: str | None = None):
        name = style or self.style
        if self.spare is not None:
            paragraph, self.spare = self.spare, None
        else:
            paragraph = self.container.add_paragraph()
        if name:
            paragraph._p.style = self.ids[name]
        return paragraph

    def table(self, rows: int, columns: int):
        self.spare = None
        return self.container.add_table(rows, columns)


class Line:
    """A paragraph being filled with inline text: white space collapsed as a browser does."""

    def __init__(self, paragraph):
        self.paragraph = paragraph
        self.open = True  # at the start, or after a space: leading white space is dropped
        self.last = None

    def text(self, text: str, fmt: Format):
        text = WHITESPACE.sub(" ", text)
        if self.open:
            text = text.lstrip(" ")
        if not text:
            return
        run = self.paragraph.add_run(text)
        _apply(run, fmt)
        self.open = text.endswith(" ")
        self.last = run

    def brk(self):
        self.paragraph.add_run().add_break()
        self.open = True

    def close(self):
        if self.last is not None and self.last.text.endswith(" "):
            self.last.text = self.last.text.rstrip(" ")


def _apply(run, fmt: Format) -> None:
    if fmt.bold:
        run.bold = True
    if fmt.italic:
        run.italic = True
    if fmt.underline:
        run.underline = True
    if fmt.strike:
        run.font.strike = True
    if fmt.subscript:
        run.font.subscript = True
    if fmt.superscript:
        run.font.superscript = True


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _alignment(element):
    for name in _classes(element):
        if name in ALIGNMENT:
            return ALIGNMENT[name]
    return None


def _span(value, limit: int) -> int:
    try:
        return max(1, min(int(value or 1), limit))
    except ValueError:
        return 1


# --- the writer --------------------------------------------------------------------------------


class Writer:
    def __init__(self, document: Document, *, when, final: bool):
        self.document = document
        self.final = final
        self.word = new_word_document()
        self.paper = PAPER.get(document.paper, PAPER["a4"])
        self.text_width = Cm(TEXT_WIDTH_CM.get(document.paper, TEXT_WIDTH_CM["a4"]))
        self.per_chapter = document.page_numbering == Document.Numbering.PER_CHAPTER
        local = timezone.localtime(when, document.plan.region.zone)
        with translation.override("id"):
            stamp = f"{date_format(local, 'j F Y H.i')} {local.tzname() or ''}".strip()
        self.draft_mark = "" if final else f"DRAF · Diekspor {stamp}"
        self.counts = {"table": 0, "figure": 0}
        self.headings: list[tuple[int, str]] = []
        self.sequence: dict[str, tuple[str | None, int]] = {}  # SEQ name → (chapter, last)
        self.lists = 0
        self.first_body = True
        self._styles()
        self.ids = {style.name: style.style_id for style in self.word.styles}
        self.footnotes = Footnotes(self.word, self.ids)
        self._settings()
        section = self.word.sections[0]
        self._page(section, landscape=False)
        # The cover has no number; the front matter counts in roman from it (ii on page two).
        section.different_first_page_header_footer = True
        self._number_pages(section, fmt="lowerRoman", start=1)
        self._footer(section.footer, prefix="")
        self._header(section.header, running="")
        self._header(section.first_page_header, running="")
        section.first_page_footer.is_linked_to_previous = False  # the cover: no number
        self.flow = Flow(self.word, self.ids)

    # --- setup ---------------------------------------------------------------------------------

    def _styles(self) -> None:
        styles = self.word.styles
        normal = styles["Normal"]
        _set_fonts(normal, SERIF)
        normal.font.size = Pt(12)
        normal.font.color.rgb = BLACK
        fmt = normal.paragraph_format
        fmt.line_spacing = 1.5
        fmt.space_after = Pt(6)
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for level, size in ((1, 14), (2, 12), (3, 12), (4, 12), (5, 12), (6, 12)):
            style = styles[f"Heading {level}"]
            _set_fonts(style, SERIF)
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = level == 3
            style.font.color.rgb = BLACK
            style.paragraph_format.space_before = Pt(12 if level > 1 else 0)
            style.paragraph_format.space_after = Pt(6 if level > 1 else 18)
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.alignment = (
                WD_ALIGN_PARAGRAPH.CENTER if level == 1 else WD_ALIGN_PARAGRAPH.LEFT
            )
        styles["Heading 1"].font.all_caps = True
        caption = styles["Caption"]
        _set_fonts(caption, SERIF)
        caption.font.size = Pt(10.5)
        caption.font.bold = True
        caption.font.italic = False
        caption.font.color.rgb = BLACK
        caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.space_before = Pt(6)
        caption.paragraph_format.space_after = Pt(4)
        caption.paragraph_format.line_spacing = 1.0
        for name, base, size in (
            (FRONT_TITLE, "Normal", 14),
            (TABLE_TEXT, "Normal", 9.5),
            (TABLE_SOURCE, "Normal", 9),
            (COVER, "Normal", 13),
            (PICTURE, "Normal", 12),
            ("footnote text", "Normal", 9),
            ("toc 1", "Normal", 12),
            ("toc 2", "Normal", 12),
            ("toc 3", "Normal", 12),
            ("table of figures", "Normal", 12),
        ):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles[base]
            style.font.size = Pt(size)
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
            style.paragraph_format.line_spacing = 1.0
            style.paragraph_format.space_after = Pt(0 if name != TABLE_SOURCE else 8)
        styles[TABLE_TEXT].font.name = SANS
        styles[TABLE_SOURCE].font.name = SANS
        front = styles[FRONT_TITLE]
        front.font.bold = True
        front.font.all_caps = True
        front.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        front.paragraph_format.page_break_before = True
        front.paragraph_format.space_after = Pt(18)
        front.paragraph_format.keep_with_next = True
        cover_style = styles[COVER]
        cover_style.font.bold = True
        cover_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cover_style.paragraph_format.space_after = Pt(4)
        styles[PICTURE].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styles[PICTURE].paragraph_format.keep_with_next = True
        styles["toc 1"].font.bold = True
        styles["toc 1"].paragraph_format.space_before = Pt(6)
        styles["toc 2"].paragraph_format.left_indent = Cm(1)
        styles["toc 3"].paragraph_format.left_indent = Cm(2)
        for name in ("toc 1", "toc 2", "toc 3", "table of figures"):
            styles[name].paragraph_format.space_after = Pt(3)
        reference = styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
        reference.font.superscript = True
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.underline = True
        link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        for name in ("Quote", "List Bullet", "List Bullet 2", "List Bullet 3", "List Number"):
            styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for name in ("List Number 2", "List Number 3", "List Continue", "List Continue 2"):
            styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        quote = styles["Quote"]
        _set_fonts(quote, SERIF)
        quote.font.color.rgb = BLACK
        for name in ("Header", "Footer"):
            _set_fonts(styles[name], SERIF)
            styles[name].font.size = Pt(10)
            styles[name].paragraph_format.line_spacing = 1.0
            styles[name].paragraph_format.space_after = Pt(0)

    def _settings(self) -> None:
        """Word recomputes the fields (daftar isi, page numbers) when the file opens, and knows
        the footnote separators."""
        settings = self.word.settings.element
        later = (
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
        )
        anchor = next(
            (settings.find(qn(name)) for name in later if settings.find(qn(name)) is not None),
            None,
        )
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        notes = parse_xml(
            f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/>'
            "</w:footnotePr>"
        )
        for element in (update, notes):
            if anchor is not None:
                anchor.addprevious(element)
            else:
                settings.append(element)
        language = self.word.styles.element.find(qn("w:docDefaults"))
        if language is not None:
            rpr = language.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
            if rpr is not None:
                lang = OxmlElement("w:lang")
                lang.set(qn("w:val"), "id-ID")
                rpr.append(lang)
        core = self.word.core_properties
        plan = self.document.plan
        core.title = _title(self.document)
        core.subject = (
            f"{KIND_LABEL.get(self.document.kind, KIND_LABEL['teknokratik']).title()} "
            f"RPJMD {plan.period_label}"
        )
        core.author = plan.region.full_name
        core.language = "id-ID"
        core.comments = ""

    def _page(self, section, *, landscape: bool) -> None:
        width, height = self.paper
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(height), Mm(width)
            # The binding edge is on top when a turned page is bound.
            section.top_margin, section.left_margin = Cm(3.0), Cm(2.5)
            section.bottom_margin, section.right_margin = Cm(2.0), Cm(2.5)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = Mm(width), Mm(height)
            section.top_margin = Cm(MARGINS_CM["top"])
            section.right_margin = Cm(MARGINS_CM["right"])
            section.bottom_margin = Cm(MARGINS_CM["bottom"])
            section.left_margin = Cm(MARGINS_CM["left"])
        section.header_distance = Cm(1.2)
        section.footer_distance = Cm(1.0)

    def _number_pages(self, section, *, fmt: str | None, start: int | None) -> None:
        properties = section._sectPr
        for old in properties.findall(qn("w:pgNumType")):
            properties.remove(old)
        numbering = OxmlElement("w:pgNumType")
        if fmt:
            numbering.set(qn("w:fmt"), fmt)
        if start is not None:
            numbering.set(qn("w:start"), str(start))
        # pgNumType comes after the page size, margins and borders in a section's properties.
        follows = [qn(n) for n in ("w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType")]
        anchor = None
        for child in properties:
            if child.tag in follows:
                anchor = child
        if anchor is not None:
            anchor.addnext(numbering)
        else:
            properties.append(numbering)

    def _footer(self, footer, *, prefix: str) -> None:
        # A new section shares its predecessor's footer part until given one of its own.
        footer.is_linked_to_previous = True
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if prefix:
            paragraph.add_run(prefix)
        _field(paragraph, "PAGE", "1")

    def _header(self, header, *, running: str) -> None:
        header.is_linked_to_previous = True
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        if self.draft_mark:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            run = paragraph.add_run(self.draft_mark)
            run.bold = True
            run.font.color.rgb = DRAFT_RED
            if running:
                paragraph = header.add_paragraph()
        if running:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(running)
            run.italic = True
            run.font.size = Pt(9)

    def _new_section(self, *, landscape: bool):
        section = self.word.add_section(WD_SECTION.NEW_PAGE)
        self._page(section, landscape=landscape)
        section.different_first_page_header_footer = False
        for old in section._sectPr.findall(qn("w:pgNumType")):
            section._sectPr.remove(old)
        self.flow = Flow(self.word, self.ids)
        return section

    # --- the document's parts ------------------------------------------------------------------

    def cover(self, context: dict, snapshot: Snapshot | None) -> None:
        logo = self._logo(context["logo"])
        paragraph = self.flow.paragraph(PICTURE)
        paragraph.paragraph_format.space_before = Cm(1.2)
        paragraph.paragraph_format.space_after = Cm(1.4)
        if logo is not None:
            try:
                paragraph.add_run().add_picture(io.BytesIO(logo), width=Cm(LOGO_CM))
            except (UnrecognizedImageError, ValueError, ZeroDivisionError):
                logger.warning("region logo unreadable; the cover has no picture")
        kind = KIND_LABEL.get(self.document.kind, KIND_LABEL["teknokratik"])
        paragraph = self.flow.paragraph(COVER)
        paragraph.add_run(kind).font.size = Pt(16)
        paragraph.paragraph_format.space_after = Cm(0.6)
        region = self.document.plan.region
        plan = self.document.plan
        paragraph = self.flow.paragraph(COVER)
        paragraph.paragraph_format.line_spacing = 1.5
        for index, line in enumerate(
            (
                "RENCANA PEMBANGUNAN JANGKA MENENGAH DAERAH (RPJMD)",
                region.full_name.upper(),
                f"TAHUN {plan.start_year}–{plan.end_year}",
            )
        ):
            if index:
                paragraph.add_run().add_break()
            paragraph.add_run(line).font.size = Pt(15)
        if snapshot is not None:
            paragraph = self.flow.paragraph(COVER)
            paragraph.add_run(snapshot.name).italic = True
            paragraph.runs[0].bold = False
        # The issuer sits at the foot of the cover.
        spacer = self.flow.paragraph(COVER)
        spacer.paragraph_format.space_before = Cm(8 if snapshot is None else 7)
        for line in (
            f"PEMERINTAH {region.full_name.upper()}",
            context["agency"].upper(),
            (context["place"] or "").upper(),
            context["month_year"].upper(),
        ):
            if line:
                self.flow.paragraph(COVER).add_run(line)

    def _logo(self, source: str) -> bytes | None:
        if source.startswith("data:"):
            try:
                return base64.b64decode(source.split(",", 1)[1], validate=True)
            except (IndexError, binascii.Error):
                return None
        # The placeholder emblem: Word shows no SVG without a PNG beside it, so its PNG.
        return (STATIC_DIR / "img" / "emblem.png").read_bytes()

    def front_title(self, title: str) -> None:
        self.flow.paragraph(FRONT_TITLE).add_run(title)

    def contents(self, assembled, annexes) -> None:
        """Daftar isi, daftar tabel and daftar gambar as Word's own fields, with the entries
        known now written in as their results (Word adds the page numbers when it updates)."""
        self.front_title("DAFTAR ISI")
        entries: list[tuple[int, str]] = []
        for chapter in assembled.body_chapters:
            entries.append((1, f"BAB {chapter.number} {chapter.title}".strip()))
            entries += [(min(s.depth + 1, 3), s.heading) for s in chapter.sections if s.depth]
        for number, appendix in enumerate(annexes, start=1):
            entries.append((1, f"LAMPIRAN {number} {appendix.title}"))
        self._toc('TOC \\o "1-3" \\h \\z \\u', [(f"toc {lvl}", text) for lvl, text in entries])
        for title, kind, word in (
            ("DAFTAR TABEL", "table", "Tabel"),
            ("DAFTAR GAMBAR", "figure", "Gambar"),
        ):
            self.front_title(title)
            listed = assembled.tables() if kind == "table" else assembled.figures()
            rows = []
            for numbered in listed:
                caption = numbered.caption
                if numbered.block:
                    table = assembled.resolve(*numbered.block)
                    if table is not None and table.caption:
                        caption = table.caption
                rows.append(("table of figures", f"{numbered.label} {caption}".strip()))
            if not rows:
                empty = "Tidak ada tabel." if kind == "table" else "Tidak ada gambar."
                rows = [("table of figures", empty)]
            self._toc(f'TOC \\h \\z \\c "{word}"', rows)

    def _toc(self, instruction: str, rows: list[tuple[str, str]]) -> None:
        first = self.flow.paragraph(rows[0][0] if rows else "toc 1")
        _field_begin(first, instruction)
        paragraph = first
        for index, (style, text) in enumerate(rows):
            if index:
                paragraph = self.flow.paragraph(style)
            paragraph.add_run(text)
        _field_end(paragraph)

    def chapter(self, chapter) -> None:
        section = self._new_section(landscape=False)
        heading = f"BAB {chapter.number or chapter.order} {chapter.title}".strip()
        label = f"{chapter.number or chapter.order}-" if self.per_chapter else ""
        restart = 1 if self.per_chapter or self.first_body else None
        self._number_pages(section, fmt="decimal", start=restart)
        self.first_body = False
        self._footer(section.footer, prefix=label)
        running = heading if self.document.running_header else ""
        self._header(section.header, running=running)
        self._heading(1, heading)

    def _heading(self, level: int, text: str) -> None:
        paragraph = self.word.add_paragraph()
        paragraph._p.style = self.ids[f"Heading {level}"]
        paragraph.add_run(text)
        self.headings.append((level, text))
        self.flow = Flow(self.word, self.ids)

    def section_heading(self, section) -> None:
        if section.depth >= 1:
            self._heading(2 if section.depth == 1 else 3, section.heading)

    def appendix(self, number: int, appendix) -> None:
        section = self._new_section(landscape=bool(appendix.wide))
        heading = f"LAMPIRAN {number} {appendix.title}"
        self._number_pages(section, fmt="decimal", start=1 if self.per_chapter else None)
        self._footer(section.footer, prefix=f"L{number}-" if self.per_chapter else "")
        self._header(section.header, running=heading if self.document.running_header else "")
        self._heading(1, heading)
        self.body(appendix.html)

    def findings(self, findings) -> None:
        section = self._new_section(landscape=False)
        self._number_pages(section, fmt="decimal", start=1 if self.per_chapter else None)
        self._footer(section.footer, prefix="K-" if self.per_chapter else "")
        self._header(section.header, running="")
        # Not a heading: the kelengkapan page is not part of the document or its daftar isi.
        title = self.flow.paragraph(FRONT_TITLE)
        title.add_run("CATATAN KELENGKAPAN DRAF")
        title.paragraph_format.page_break_before = False
        open_count = sum(1 for f in findings if f.is_open)
        self.flow.paragraph().add_run(
            f"Pemeriksaan kelengkapan menemukan {len(findings)} catatan ({open_count} belum "
            "diselesaikan). Halaman ini tidak termasuk dalam dokumen final."
        )
        table = self.flow.table(len(findings) + 1, 4)
        table.style = self.word.styles["Table Grid"]
        for cell, text in zip(
            table.rows[0].cells, ("No.", "Bagian", "Catatan", "Status"), strict=True
        ):
            cell.paragraphs[0]._p.style = self.ids[TABLE_TEXT]
            cell.paragraphs[0].add_run(text).bold = True
        _repeat_header(table.rows[0])
        for row, (number, finding) in zip(
            table.rows[1:], enumerate(findings, start=1), strict=True
        ):
            if finding.waiver:
                status = (
                    f"Dikecualikan: {finding.waiver.reason} ({finding.waiver.created_by}, "
                    f"{finding.waiver.created_at:%d-%m-%Y})"
                )
            else:
                status = "Belum diselesaikan"
            for cell, text in zip(
                row.cells,
                (f"{number}.", str(finding.where), str(finding.message), status),
                strict=True,
            ):
                cell.paragraphs[0]._p.style = self.ids[TABLE_TEXT]
                cell.paragraphs[0].add_run(text)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.word.save(out)
        return out.getvalue()

    # --- bodies: the rendered HTML walked into paragraphs and tables ---------------------------

    def body(self, html) -> None:
        if html:
            self._blocks(self.flow, parse(str(html)))

    def _blocks(self, flow: Flow, element, *, style: str | None = None) -> None:
        """The children of `element` into `flow`: block elements by kind, runs of inline content
        into paragraphs of `style`."""
        line: Line | None = None

        def current() -> Line:
            nonlocal line
            if line is None:
                line = Line(flow.paragraph(style))
            return line

        def finish() -> None:
            nonlocal line
            if line is not None:
                line.close()
            line = None

        if element.text and element.text.strip():
            current().text(element.text, Format())
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag in SKIPPED_TAGS:
                pass
            elif tag in BLOCK_TAGS and flow.depth == 0 and "landscape" in _classes(child):
                # A wide table: a turned page of its own, then the text goes on upright.
                finish()
                self._new_section(landscape=True)
                self._blocks(self.flow, child)
                self._new_section(landscape=False)
            elif tag in BLOCK_TAGS:
                finish()
                self._block(flow, child, style=style)
            elif tag is not None:
                self._inline(current(), child, Format(), flow)
            if child.tail and child.tail.strip():
                current().text(child.tail, Format())
            elif child.tail and line is not None:
                line.text(child.tail, Format())
        finish()

    def _block(self, flow: Flow, element, *, style: str | None) -> None:
        tag = element.tag
        classes = _classes(element)
        if tag == "p":
            paragraph_style = style
            if classes & {"table-note", "table-source"}:
                paragraph_style = TABLE_SOURCE
            elif classes & {"data-block-missing", "data-block-placeholder"}:
                paragraph_style = None
            line = Line(flow.paragraph(paragraph_style))
            alignment = _alignment(element)
            if alignment is not None:
                line.paragraph.alignment = alignment
            elif style is None and flow.depth == 0 and paragraph_style is None:
                line.paragraph.paragraph_format.first_line_indent = Cm(1.25)
            self._inline_children(line, element, Format(), flow)
            line.close()
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            # Headings written inside a text sit below the section's own (Heading 3).
            level = max(4, min(6, int(tag[1]) + 1))
            if flow.depth:
                line = Line(flow.paragraph(style))
                self._inline_children(line, element, Format(bold=True), flow)
            else:
                line = Line(flow.paragraph(f"Heading {level}"))
                self._inline_children(line, element, Format(), flow)
            line.close()
        elif tag in ("ul", "ol"):
            self._list(flow, element, level=1)
        elif tag == "blockquote":
            self._blocks(flow, element, style=style or "Quote")
        elif tag == "table":
            self._table(flow, element)
        elif tag == "figure":
            self._figure(flow, element)
        elif tag in ("figcaption", "caption"):
            self._caption(flow, element)
        elif tag == "hr":
            self._rule(flow.paragraph(style))
        elif tag == "pre":
            line = Line(flow.paragraph(style))
            for index, text in enumerate(element.text_content().splitlines()):
                if index:
                    line.brk()
                run = line.paragraph.add_run(text)
                run.font.name = "Courier New"
        else:  # div, section, li outside a list, dl...
            self._blocks(flow, element, style=style)

    def _inline_children(self, line: Line, element, fmt: Format, flow: Flow) -> None:
        if element.text:
            line.text(element.text, fmt)
        for child in element:
            if isinstance(child.tag, str) and child.tag not in SKIPPED_TAGS:
                self._inline(line, child, fmt, flow)
            if child.tail:
                line.text(child.tail, fmt)

    def _inline(self, line: Line, element, fmt: Format, flow: Flow | None) -> None:
        tag = element.tag
        classes = _classes(element)
        if tag == "br":
            line.brk()
        elif tag == "img":
            if flow is not None:
                self._picture(line.paragraph, element)
        elif tag == "span" and "footnote" in classes and flow is not None:
            note = Line(self.footnotes.add(line.paragraph))
            note.open = True
            self._inline_children(note, element, Format(), None)
            note.close()
            line.open = False
        elif tag == "a" and flow is not None and _external(element.get("href", "")):
            self._link(line, element, fmt)
        elif tag in BLOCK_TAGS:
            # A block inside inline content (a list in a table cell's span...): its text.
            line.text(" " + element.text_content() + " ", fmt)
        else:
            self._inline_children(line, element, fmt.but(**INLINE_FORMAT.get(tag, {})), flow)

    def _link(self, line: Line, element, fmt: Format) -> None:
        """A web address stays a link: the runs of its text moved into a w:hyperlink."""
        paragraph = line.paragraph
        before = len(paragraph._p.r_lst)
        self._inline_children(line, element, fmt, None)
        runs = paragraph._p.r_lst[before:]
        if not runs:
            return
        target = paragraph.part.relate_to(
            element.get("href"), RELATIONSHIP_TYPE.HYPERLINK, is_external=True
        )
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), target)
        runs[0].addprevious(link)
        for run in runs:
            link.append(run)
            run.style = self.ids["Hyperlink"]

    def _rule(self, paragraph) -> None:
        borders = parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
            'w:color="auto"/></w:pBdr>'
        )
        paragraph._p.get_or_add_pPr().append(borders)

    def _list(self, flow: Flow, element, *, level: int) -> None:
        ordered = element.tag == "ol"
        base = "List Number" if ordered else "List Bullet"
        style = base if level == 1 else f"{base} {min(level, 3)}"
        number_id = self._restart_numbering(style, element.get("start")) if ordered else None
        for item in element:
            if not isinstance(item.tag, str) or item.tag != "li":
                continue
            paragraph = flow.paragraph(style)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            if number_id is not None:
                _use_numbering(paragraph, number_id, level)
            line = Line(paragraph)
            if item.text:
                line.text(item.text, Format())
            for child in item:
                tag = child.tag if isinstance(child.tag, str) else None
                if tag in ("ul", "ol"):
                    line.close()
                    self._list(flow, child, level=level + 1)
                    follow = "List Continue" if level == 1 else "List Continue 2"
                    line = Line(flow.paragraph(follow))
                elif tag == "p" and not line.paragraph.runs:
                    self._inline_children(line, child, Format(), flow)
                elif tag in BLOCK_TAGS:
                    line.close()
                    self._block(flow, child, style="List Continue")
                    line = Line(flow.paragraph("List Continue"))
                elif tag is not None:
                    self._inline(line, child, Format(), flow)
                if child.tail:
                    line.text(child.tail, Format())
            line.close()
            if not line.paragraph.runs and line.paragraph.style.name.startswith("List Continue"):
                line.paragraph._p.getparent().remove(line.paragraph._p)

    def _restart_numbering(self, style: str, start: str | None) -> int | None:
        """A numbered list counts from its own start (all lists of one Word style share one
        count otherwise)."""
        numbering = self.word.part.numbering_part.element
        number_props = self.word.styles[style].element.find(qn("w:pPr") + "/" + qn("w:numPr"))
        if number_props is None:
            return None
        current = number_props.find(qn("w:numId")).get(qn("w:val"))
        instance = next(
            (n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == current), None
        )
        if instance is None:
            return None
        abstract = instance.find(qn("w:abstractNumId")).get(qn("w:val"))
        new = numbering.add_num(int(abstract))
        override = new.add_lvlOverride(0)
        override.add_startOverride(_span(start, 10_000))
        return new.numId

    def _table(self, flow: Flow, element) -> None:
        caption = element.find("caption")
        if caption is not None:
            self._caption(flow, caption, above=True)
        rows = element.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
        header_rows = len(element.xpath("./thead/tr"))
        if not rows:
            return
        if flow.depth >= MAX_TABLE_DEPTH:
            for row in rows:
                line = Line(flow.paragraph(TABLE_TEXT))
                line.text(" | ".join(c.text_content() for c in row), Format())
                line.close()
            return
        placed: list[tuple[int, int, int, int, object]] = []
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                rowspan = _span(cell.get("rowspan"), len(rows) - r)
                colspan = _span(cell.get("colspan"), MAX_SPAN)
                for i in range(rowspan):
                    for j in range(colspan):
                        taken.add((r + i, c + j))
                placed.append((r, c, rowspan, colspan, cell))
                c += colspan
        columns = max((c for _r, c in taken), default=0) + 1
        table = flow.table(len(rows), columns)
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        cells = [row.cells for row in table.rows]
        if header_rows == 0:
            # Leading rows of header cells only are the header (a table typed without thead).
            for row in rows:
                kinds = {c.tag for c in row if isinstance(c.tag, str)}
                if kinds != {"th"}:
                    break
                header_rows += 1
        for index in range(min(header_rows, len(rows))):
            _repeat_header(table.rows[index])
        for r, c, _rowspan, _colspan, cell in placed:
            target = cells[r][c]
            inner = Flow(
                target,
                self.ids,
                style=TABLE_TEXT,
                depth=flow.depth + 1,
                spare=target.paragraphs[0],
            )
            self._cell(inner, cell)
            alignment = _alignment(cell)
            if alignment is None and cell.tag == "th":
                alignment = WD_ALIGN_PARAGRAPH.CENTER
            for paragraph in target.paragraphs:
                if alignment is not None:
                    paragraph.alignment = alignment
                if cell.tag == "th":
                    for run in paragraph.runs:
                        run.bold = True
        if flow.depth == 0:
            widths = _column_widths(placed, columns, self._available_width())
            for index, width in enumerate(widths):
                table.columns[index].width = width
            for row in cells:
                for c, target in enumerate(row):
                    target.width = widths[c]
        for r, c, rowspan, colspan, _cell in placed:
            if rowspan > 1 or colspan > 1:
                cells[r][c].merge(cells[r + rowspan - 1][c + colspan - 1])
        self.flow.spare = None

    def _available_width(self) -> int:
        section = self.word.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    def _cell(self, flow: Flow, cell) -> None:
        self._blocks(flow, cell, style=TABLE_TEXT)

    def _figure(self, flow: Flow, element) -> None:
        classes = _classes(element)
        if "data-block" in classes:
            self._blocks(flow, element)
            return
        caption = element.find("figcaption")
        for child in element:
            if child is caption or not isinstance(child.tag, str):
                continue
            if child.tag == "img":
                paragraph = flow.paragraph(PICTURE)
                self._picture(paragraph, child)
            elif child.tag in BLOCK_TAGS:
                self._block(flow, child, style=None)
        if caption is not None:
            self._caption(flow, caption, above=False)

    def _picture(self, paragraph, element) -> None:
        source = element.get("src", "")
        if not source.startswith("data:image/"):
            return  # nothing is fetched: pictures were inlined by prepare_body
        try:
            data = base64.b64decode(source.split(",", 1)[1], validate=True)
            shape = paragraph.add_run().add_picture(io.BytesIO(data))
        except (IndexError, binascii.Error, UnrecognizedImageError, ValueError, ZeroDivisionError):
            logger.warning("a picture of the document could not be read; left out of the DOCX")
            return
        if shape.width > self.text_width:
            shape.height = int(shape.height * self.text_width / shape.width)
            shape.width = self.text_width

    def _caption(self, flow: Flow, element, *, above: bool = True) -> None:
        """ "Tabel 2.1 Caption" in Word's Caption style; the number is a SEQ field that Word's
        daftar tabel (TOC \\c "Tabel") collects, reset where the document's numbering does."""
        paragraph = flow.paragraph("Caption")
        if above:
            _keep_with_next(paragraph)
        line = Line(paragraph)
        label = None
        for child in element:
            if isinstance(child.tag, str) and "caption-label" in _classes(child):
                label = child
                break
        if label is None:
            self._inline_children(line, element, Format(), flow)
            line.close()
            return
        text = " ".join(label.text_content().split())
        match = CAPTION_LABEL.match(text)
        if element.text:
            line.text(element.text, Format())
        if match:
            word, chapter, number = match["word"], match["chapter"], int(match["number"])
            self.counts["table" if element.tag == "caption" else "figure"] += 1
            previous = self.sequence.get(word)
            instruction = f"SEQ {word} \\* ARABIC"
            if previous is None or previous != (chapter, number - 1):
                instruction += f" \\r {number}"
            self.sequence[word] = (chapter, number)
            paragraph.add_run(f"{word} {chapter}." if chapter else f"{word} ")
            _field(paragraph, instruction, str(number))
            line.open = False
        else:
            line.text(text, Format())
        for child in element:
            if child is not label and isinstance(child.tag, str):
                self._inline(line, child, Format(), flow)
            if child.tail:
                line.text(child.tail, Format())
        line.close()


def _column_widths(placed, columns: int, available: int) -> list[int]:
    """Each column's share of the text width, by what its cells hold: its longest word, or its
    text up to COLUMN_CHARS characters (longer text wraps). Word and LibreOffice would otherwise
    give every column the same width, and a "No." column as much as a description."""
    wants = [3] * columns
    for _r, c, _rowspan, colspan, cell in placed:
        if colspan > 1:
            continue
        text = " ".join(cell.text_content().split())
        longest = max((len(word) for word in text.split()), default=0)
        wants[c] = max(wants[c], longest, min(len(text), COLUMN_CHARS))
    total = sum(wants)
    # Every column first gets its cell padding and the width of a few characters.
    base = int(Cm(CELL_PADDING_CM + 3 * CHAR_CM))
    spare = max(available - base * columns, 0)
    return [base + spare * want // total for want in wants]


def _use_numbering(paragraph, number_id: int, level: int) -> None:
    properties = paragraph._p.get_or_add_pPr()
    numbering = properties.get_or_add_numPr()
    # Each level is a style of its own (List Number 2...) with its own indent: level 0 of it.
    numbering.get_or_add_ilvl().val = 0
    numbering.get_or_add_numId().val = number_id


def _external(href: str) -> bool:
    return href.startswith(("http://", "https://", "mailto:"))
