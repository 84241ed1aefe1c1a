"""Turning stored bodies into what readers see: numbered tables and figures, live or frozen data
blocks, cross-references with their current numbers, footnotes.

The same functions serve the reading view, the snapshot view and (issue 7) the PDF: they take a
`numbers` map (element id → "Tabel 2.3") and a block resolver (`blocks.LiveBlocks(plan)` for the
live document, `blocks.FrozenBlocks(snapshot.blocks)` for a snapshot).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import lxml.html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from lxml import etree

from drafts import blocks as block_registry
from drafts.html import parse, serialize

Resolver = Callable[[str, str], "block_registry.Table | None"]


@dataclass(frozen=True)
class Numbered:
    id: str
    kind: str  # "table" or "figure"
    label: str  # "Tabel 2.3"
    caption: str
    section_id: int | None
    # A data block's (key, params): its printed caption is the table's, built when rendered.
    block: tuple[str, str] | None = None


def number_captions(
    items: Iterable[tuple[int | None, int | None, list[dict]]],
) -> dict[str, Numbered]:
    """Number tables and figures per chapter, in reading order.

    `items` are (chapter arabic number or None for front matter, section id, captions list)
    in document order; the result maps each element id to its number and caption.
    """
    numbers: dict[str, Numbered] = {}
    counters: dict[tuple[int | None, str], int] = {}
    for chapter_number, section_id, captions in items:
        for caption in captions:
            kind = caption["kind"]
            key = (chapter_number, kind)
            counters[key] = counters.get(key, 0) + 1
            number = f"{chapter_number}.{counters[key]}" if chapter_number else str(counters[key])
            word = _("Tabel") if kind == "table" else _("Gambar")
            text = caption.get("caption") or (
                block_registry.label_of(caption["block"]) if caption.get("block") else ""
            )
            if caption["id"] not in numbers:  # a copied element keeps its first number
                numbers[caption["id"]] = Numbered(
                    id=caption["id"],
                    kind=kind,
                    label=f"{word} {number}",
                    caption=text,
                    section_id=section_id,
                    block=(caption["block"], caption.get("params", ""))
                    if caption.get("block")
                    else None,
                )
    return numbers


def render_body(
    html: str,
    *,
    numbers: dict[str, Numbered],
    resolve: Resolver | None,
    footnotes: str = "endnotes",
    footnote_prefix: str = "fn",
    blocks_as_placeholders: bool = False,
    for_editor: bool = False,
) -> SafeString:
    """A stored (sanitized, canonical) body, ready to show.

    footnotes="endnotes" numbers them and lists them after the text (screen);
    footnotes="inline" keeps `<span class="footnote">` where it is (the PDF floats them to the
    foot of the page). Everything this adds is marked `data-generated`, so passage selection for
    comments ignores it.

    for_editor=True prepares a body for the editor: data blocks show their table but cannot be
    edited (the server drops whatever comes back inside them), and numbers are shown by CSS from
    a `data-label` attribute, so they never become part of the caption text.
    """
    if not html:
        # nosemgrep: rpjmd-no-mark-safe - nothing to escape in empty output
        return mark_safe("")  # nosec B308 B703 - nothing to escape in empty output
    root = parse(html)
    label = _mark_caption if for_editor else _label_caption
    for table in root.iter("table"):
        label(table, "caption", numbers.get(table.get("id", "")), first=True)
    for figure in list(root.iter("figure")):
        if figure.get("class") == "data-block":
            _fill_block(figure, numbers, resolve, blocks_as_placeholders)
            if for_editor:
                figure.attrib.pop("data-generated", None)
                figure.set("contenteditable", "false")
        else:
            label(figure, "figcaption", numbers.get(figure.get("id", "")), first=False)
    for link in root.iter("a"):
        if link.get("class") == "xref":
            target = numbers.get(link.get("href", "")[1:])
            for child in list(link):
                link.remove(child)
            link.text = target.label if target else _("[rujukan tidak ditemukan]")
            link.set("data-generated", "")
    if footnotes == "endnotes":
        _footnotes_to_endnotes(root, footnote_prefix)
    # nosemgrep: rpjmd-no-mark-safe - lxml serializes a sanitized body and escapes all text
    return mark_safe(serialize(root))  # nosec B308 B703 - serialized from a sanitized body by lxml (escapes text)


def _label_caption(element, caption_tag: str, numbered: Numbered | None, *, first: bool) -> None:
    if numbered is None:
        return
    caption = element.find(caption_tag)
    if caption is None:
        caption = etree.Element(caption_tag)
        if first:
            element.insert(0, caption)
        else:
            element.append(caption)
    label = etree.Element("span", {"class": "caption-label", "data-generated": ""})
    label.text = numbered.label
    label.tail = (" " + caption.text) if caption.text else (" " if len(caption) else None)
    caption.text = None
    caption.insert(0, label)


def _mark_caption(element, caption_tag: str, numbered: Numbered | None, *, first: bool) -> None:
    caption = element.find(caption_tag)
    if numbered is not None and caption is not None:
        caption.set("data-label", numbered.label)


def _fill_block(figure, numbers, resolve: Resolver | None, placeholders: bool) -> None:
    key = figure.get("data-block", "")
    params = figure.get("data-params", "")
    numbered = numbers.get(figure.get("id", ""))
    figure.set("data-generated", "")
    if placeholders or resolve is None:
        note = etree.SubElement(figure, "p", {"class": "data-block-placeholder"})
        note.text = _("Blok data: %(label)s") % {"label": block_registry.label_of(key)}
        return
    table = resolve(key, params)
    if table is None:
        note = etree.SubElement(figure, "p", {"class": "data-block-missing"})
        note.text = _("Blok data “%(key)s” tidak tersedia.") % {"key": key}
        return
    table = block_registry.with_citations(table, lambda cited: printed_label(numbers, cited))
    if table.chart is not None:
        html = block_registry.render_figure(
            table, number=numbered.label if numbered else "", element_id=figure.get("id", "")
        )
    else:
        html = block_registry.render_table(table, number=numbered.label if numbered else "")
    for element in lxml.html.fragments_fromstring(str(html)):
        figure.append(element)


def printed_label(numbers: dict[str, Numbered], key: str) -> str | None:
    """The number of the first table the document prints from block `key`."""
    for numbered in numbers.values():
        if numbered.block and numbered.block[0] == key:
            return numbered.label
    return None


def _footnotes_to_endnotes(root, prefix: str) -> None:
    notes = [span for span in root.iter("span") if span.get("class") == "footnote"]
    if not notes:
        return
    endnotes = etree.Element("ol", {"class": "footnotes", "data-generated": ""})
    for number, span in enumerate(notes, start=1):
        item = etree.SubElement(endnotes, "li", {"id": f"{prefix}-{number}"})
        item.text = span.text
        for child in list(span):
            item.append(child)
        ref = etree.Element("sup", {"class": "footnote-ref", "data-generated": ""})
        link = etree.SubElement(ref, "a", {"href": f"#{prefix}-{number}"})
        link.text = str(number)
        ref.tail = span.tail
        span.getparent().replace(span, ref)
    root.append(endnotes)
