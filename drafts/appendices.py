"""Lampiran printed after the last chapter (issue 12): per FGD of the plan its berita acara,
daftar hadir and masukan–tanggapan matrix, and the full strategic-issue scoring matrix.

A planner ticks which ones the document carries (`Document.appendices`, a list of keys such as
"fgd:12:berita-acara" or "isu:matriks"). Each lampiran is rendered from the same HTML the FGD
module issues its PDFs from (fgd/documents.py), inside the document's own page frame: so it takes
the document's paper size, page numbers ("L1-2") and DRAF mark, and the daftar isi lists it. A
berita acara is locked once signed, so re-rendering it prints what was issued.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from drafts import blocks as block_registry
from drafts.html import parse, serialize
from rpjmd.models import Plan


@dataclass
class Appendix:
    key: str
    title: str
    html: SafeString
    wide: bool = False


@dataclass(frozen=True)
class Source:
    """Lampiran one app supplies: `options(plan)` lists (key, label) in print order, every key
    starting with `prefix`; `build(plan, key)` makes one, or None when it no longer exists."""

    prefix: str
    order: int
    options: Callable[[Plan], list[tuple[str, str]]]
    build: Callable[[Plan, str], Appendix | None]


# Filled by the apps above this one (fgd/document.py, issues/document.py), found by
# drafts.blocks.autodiscover: the document prints what they supply without importing them.
SOURCES: dict[str, Source] = {}


def register(*, prefix: str, order: int, options, build) -> None:
    SOURCES[prefix] = Source(prefix=prefix, order=order, options=options, build=build)


def choices(plan: Plan) -> list[tuple[str, str]]:
    """Every lampiran the plan can supply, in print order."""
    block_registry.autodiscover()
    return [
        option
        for source in sorted(SOURCES.values(), key=lambda s: s.order)
        for option in source.options(plan)
    ]


def selected(document) -> list[str]:
    """The chosen keys that still exist, in print order."""
    wanted = set(document.appendices or [])
    return [key for key, _label in choices(document.plan) if key in wanted]


def build(document) -> list[Appendix]:
    result = []
    for key in selected(document):
        source = SOURCES.get(key.split(":", 1)[0] + ":")
        appendix = source.build(document.plan, key) if source else None
        if appendix is not None:
            result.append(appendix)
    return result


def safe(html: str) -> SafeString:
    """HTML rendered by Django templates (autoescaped) and re-serialized by lxml."""
    # nosemgrep: rpjmd-no-mark-safe - rendered by Django templates (autoescaped) and lxml
    return mark_safe(html)  # nosec B308 B703 - autoescaped template output re-serialized by lxml


def document_body(document: str) -> SafeString:
    """The body of a standalone HTML document, without its own DRAF mark (the export stamps one)."""
    root = parse(document.split("<body>", 1)[-1].rsplit("</body>", 1)[0])
    for element in list(root.iter("div")):
        if element.get("class") == "draft-watermark":
            element.getparent().remove(element)
    return safe(serialize(root))
