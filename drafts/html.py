"""Section bodies as HTML: the allow-list sanitizer and the canonical form every body is kept in.

Every body that reaches the database goes through `sanitize()`:

1. nh3 (the ammonia allow-list sanitizer) removes every element, attribute, class and URL scheme
   that is not on the lists below: scripts, event handlers, `hx-*`, styles, `<link>`, `<iframe>`,
   `javascript:` and `file:` URLs, and the junk Word and Excel put on the clipboard (`mso-`
   styles, `<o:p>`, `xl65` classes, conditional comments).
2. A second pass over the (now safe) tree keeps the document's own conventions: ids on tables and
   figures (for numbering and cross-references), empty data-block placeholders, footnotes,
   images only from this application, headings below the section title.
3. The result is written in a canonical form: one top-level block per line, runs of white space
   collapsed. Versions, comparisons and merges all work on that form.
"""

from __future__ import annotations

import re
import secrets

import lxml.html
import nh3
from lxml import etree

from drafts.blocks import is_figure
from rpjmd.requests import positive_int

BLOCK_TAGS = {"p", "h3", "h4", "h5", "ul", "ol", "blockquote", "table", "figure", "hr"}
ALIGN_CLASSES = {"text-left", "text-center", "text-right", "text-justify"}

ALLOWED_TAGS = {
    # text blocks (h1/h2/h6/div/b/i arrive from pastes and are renamed below)
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "blockquote", "hr", "br",
    # inline
    "strong", "b", "em", "i", "u", "s", "sub", "sup", "a", "span",
    # lists
    "ul", "ol", "li",
    # tables
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    # figures: images with captions, and data blocks
    "figure", "figcaption", "img",
}  # fmt: skip

# Removed together with everything inside them.
CLEAN_CONTENT_TAGS = {"script", "style", "title", "xml", "template", "noscript", "textarea"}

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "table": {"id"},
    "figure": {"id", "data-block", "data-params"},
}

ALLOWED_CLASSES = {
    "p": ALIGN_CLASSES,
    "h3": ALIGN_CLASSES,
    "h4": ALIGN_CLASSES,
    "h5": ALIGN_CLASSES,
    "td": ALIGN_CLASSES,
    "th": ALIGN_CLASSES,
    "figure": {"image", "data-block"},
    "span": {"footnote"},
    "a": {"xref"},
}

ID_PATTERN = re.compile(r"^(tbl|fig)-[0-9a-f]{8}$")
XREF_PATTERN = re.compile(r"^#(tbl|fig)-[0-9a-f]{8}$")
BLOCK_KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,79}$")
BLOCK_PARAMS_PATTERN = re.compile(r"^[\w.,=:-]{0,100}$")
# Images in a body must be this application's own (drafts:image), nothing fetched from elsewhere.
IMAGE_SRC_PATTERN = re.compile(
    r"^/gambar/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/$"
)
WHITESPACE = re.compile(r"[ \t\r\n\f]+")

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer",
    strip_comments=True,
)

MAX_BODY_CHARS = 2_000_000


def parse(html: str) -> etree._Element:
    """The body as a tree under a <div> root (the input must already be safe)."""
    return lxml.html.fragment_fromstring(html or "", create_parent="div")


def serialize(root: etree._Element) -> str:
    """The canonical form: each top-level block on its own line, white space collapsed."""
    return "\n".join(
        lxml.html.tostring(child, encoding="unicode", with_tail=False) for child in root
    )


def new_id(kind: str) -> str:
    return f"{kind}-{secrets.token_hex(4)}"


def sanitize(html: str) -> str:
    """Make any HTML (typed, pasted, posted by hand) safe and canonical."""
    html = (html or "").replace("\x00", "")
    if "<" not in html:
        # Plain text (the editor without JavaScript is a textarea): paragraphs at blank lines.
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", html) if p.strip()]
        html = "".join(f"<p>{nh3.clean_text(p)}</p>" for p in paragraphs)
    cleaned = _cleaner.clean(html)
    root = parse(cleaned)
    _normalize(root)
    return serialize(root)


def _normalize(root: etree._Element) -> None:
    for element in list(root.iter()):
        if element is not root:
            _normalize_element(element)
    _assign_ids(root)
    _collapse_whitespace(root)
    _wrap_top_level_inline(root)


RENAMES = {"b": "strong", "i": "em", "h1": "h3", "h2": "h3", "h6": "h5"}


def _normalize_element(el: etree._Element) -> None:
    tag = el.tag
    if not isinstance(tag, str):  # comments and processing instructions
        _drop(el, keep_content=False)
        return
    if tag in RENAMES:
        el.tag = tag = RENAMES[tag]
    if el.get("class") == "":
        del el.attrib["class"]
    if tag == "div":
        if any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS | {"div", "li"} for c in el):
            _drop(el)
        else:
            el.tag = "p"
        return
    if tag == "span":
        if el.get("class") != "footnote" or _inside(el, "span", "footnote"):
            _drop(el)
            return
        for child in list(el.iter()):
            if child is not el and isinstance(child.tag, str) and child.tag in BLOCK_TAGS | {"li"}:
                _drop(child)
    elif tag == "a":
        href = el.get("href")
        if not href:
            _drop(el)
            return
        if el.get("class") == "xref" and not XREF_PATTERN.match(href):
            del el.attrib["class"]
    elif tag == "img":
        src = el.get("src", "")
        if not IMAGE_SRC_PATTERN.match(src):
            _drop(el, keep_content=False)
            return
        for name in ("width", "height"):
            if name in el.attrib and not _small_int(el.get(name), 1, 5000):
                del el.attrib[name]
    elif tag in ("td", "th"):
        for name in ("colspan", "rowspan"):
            if name in el.attrib and not _small_int(el.get(name), 1, 100):
                del el.attrib[name]
        if el.get("scope") not in (None, "col", "row", "colgroup", "rowgroup"):
            del el.attrib["scope"]
    elif tag == "ol":
        if "start" in el.attrib and not _small_int(el.get("start"), 0, 10000):
            del el.attrib["start"]
        if el.get("type") not in (None, "1", "a", "A", "i", "I"):
            del el.attrib["type"]
    elif tag == "figure":
        _normalize_figure(el)


def _normalize_figure(el: etree._Element) -> None:
    key = el.get("data-block")
    if key is not None:
        params = el.get("data-params", "")
        if not BLOCK_KEY_PATTERN.match(key) or not BLOCK_PARAMS_PATTERN.match(params):
            _drop(el, keep_content=False)
            return
        # The table inside is rendered from the application's data, never stored from the client.
        for child in list(el):
            el.remove(child)
        el.text = None
        element_id = el.get("id")
        el.attrib.clear()
        if element_id:
            el.set("id", element_id)
        el.set("class", "data-block")
        el.set("data-block", key)
        if params:
            el.set("data-params", params)
        return
    for name in ("data-block", "data-params"):
        el.attrib.pop(name, None)
    if el.find(".//img") is None:
        _drop(el)
        return
    el.set("class", "image")


def _assign_ids(root: etree._Element) -> None:
    seen: set[str] = set()
    for el in root.iter("table", "figure"):
        if el.tag == "table" and el.getparent() is not None and el.getparent().tag == "figure":
            el.attrib.pop("id", None)
            continue
        kind = "fig" if el.tag == "figure" and el.get("class") == "image" else "tbl"
        current = el.get("id", "")
        if not ID_PATTERN.match(current) or not current.startswith(kind) or current in seen:
            current = new_id(kind)
        seen.add(current)
        # The id goes first, so re-sanitizing a body gives the same text.
        attributes = dict(el.attrib)
        attributes.pop("id", None)
        el.attrib.clear()
        el.set("id", current)
        for name, value in attributes.items():
            el.set(name, value)


def _collapse_whitespace(root: etree._Element) -> None:
    for el in root.iter():
        if el.text:
            el.text = WHITESPACE.sub(" ", el.text)
        if el is not root and el.tail:
            el.tail = WHITESPACE.sub(" ", el.tail)


def _wrap_top_level_inline(root: etree._Element) -> None:
    """Text and inline elements directly in the body go into paragraphs; nothing else is there."""
    nodes: list = [root.text] if root.text else []
    root.text = None
    for child in list(root):
        tail, child.tail = child.tail, None
        root.remove(child)
        nodes.append(child)
        if tail:
            nodes.append(tail)
    current: etree._Element | None = None
    for node in nodes:
        if isinstance(node, str):
            if current is None:
                if not node.strip():
                    continue
                current = etree.SubElement(root, "p")
                current.text = node.lstrip()
            elif len(current):
                current[-1].tail = (current[-1].tail or "") + node
            else:
                current.text = (current.text or "") + node
        elif node.tag in BLOCK_TAGS:
            _finish_paragraph(current)
            current = None
            root.append(node)
        elif node.tag == "li":  # a list item outside a list gets one
            _finish_paragraph(current)
            current = None
            previous = root[-1] if len(root) else None
            if previous is None or previous.tag != "ul" or previous.get("data-wrap") is None:
                previous = etree.SubElement(root, "ul", {"data-wrap": "1"})
            previous.append(node)
        else:
            if current is None:
                current = etree.SubElement(root, "p")
            current.append(node)
    _finish_paragraph(current)
    for ul in root.iter("ul"):
        ul.attrib.pop("data-wrap", None)


def _finish_paragraph(p: etree._Element | None) -> None:
    if p is None:
        return
    if len(p):
        if p[-1].tail:
            p[-1].tail = p[-1].tail.rstrip() or None
    elif p.text:
        p.text = p.text.rstrip()


def _drop(el: etree._Element, keep_content: bool = True) -> None:
    if el.getparent() is None:
        return
    if keep_content:
        el.drop_tag()
    else:
        tail = el.tail
        parent = el.getparent()
        previous = el.getprevious()
        parent.remove(el)
        if tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail


def _inside(el: etree._Element, tag: str, css_class: str) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == tag and parent.get("class") == css_class:
            return True
        parent = parent.getparent()
    return False


def _small_int(value: str | None, low: int, high: int) -> bool:
    return positive_int(value, minimum=low, maximum=high) is not None


# --- reading the canonical form -------------------------------------------------------------


def blocks_of(html: str) -> list[str]:
    return html.split("\n") if html else []


def text_of(html: str) -> str:
    """The words of a body as a reader sees them, for anchoring comments and counting words.

    Footnote texts, cross-reference labels and data-block tables are left out: they are shown
    elsewhere or generated, so a quoted passage never depends on them.
    """
    if not html:
        return ""
    root = parse(html)
    parts: list[str] = []

    def walk(el):
        skip = (el.tag == "span" and el.get("class") == "footnote") or (
            el.tag == "a" and el.get("class") == "xref"
        )
        if not skip:
            if el.text:
                parts.append(el.text)
            for child in el:
                walk(child)
        if el is not root and el.tail:
            parts.append(el.tail)

    walk(root)
    return normalize_text("".join(parts))


def normalize_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def word_count(html: str) -> int:
    return len(text_of(html).split())


def captions_of(html: str) -> list[dict]:
    """The numbered things of a body, in order: tables (data blocks included) and figures."""
    if not html:
        return []
    root = parse(html)
    found = []
    for el in root.iter("table", "figure"):
        element_id = el.get("id")
        if not element_id:
            continue
        if el.tag == "figure" and el.get("class") == "data-block":
            found.append(
                {
                    "id": element_id,
                    # A figure block is numbered with the pictures ("Gambar 2.1").
                    "kind": "figure" if is_figure(el.get("data-block", "")) else "table",
                    "caption": "",
                    "block": el.get("data-block"),
                    "params": el.get("data-params", ""),
                }
            )
        elif el.tag == "table":
            caption = el.find("caption")
            text = normalize_text(caption.text_content()) if caption is not None else ""
            found.append({"id": element_id, "kind": "table", "caption": text})
        elif el.tag == "figure":
            caption = el.find("figcaption")
            text = normalize_text(caption.text_content()) if caption is not None else ""
            found.append({"id": element_id, "kind": "figure", "caption": text})
    return found


def block_references(html: str) -> list[tuple[str, str]]:
    """(key, params) of every data block in a body."""
    if not html or "data-block" not in html:
        return []
    return [
        (el.get("data-block"), el.get("data-params", ""))
        for el in parse(html).iter("figure")
        if el.get("class") == "data-block"
    ]
