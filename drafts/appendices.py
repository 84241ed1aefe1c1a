"""Lampiran printed after the last chapter (issue 12): per FGD of the plan its berita acara,
daftar hadir and masukan–tanggapan matrix, and the full strategic-issue scoring matrix.

A planner ticks which ones the document carries (`Document.appendices`, a list of keys such as
"fgd:12:berita-acara" or "isu:matriks"). Each lampiran is rendered from the same HTML the FGD
module issues its PDFs from (fgd/documents.py), inside the document's own page frame: so it takes
the document's paper size, page numbers ("L1-2") and DRAF mark, and the daftar isi lists it. A
berita acara is locked once signed, so re-rendering it prints what was issued.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from drafts import blocks as block_registry
from drafts.html import parse, serialize
from rpjmd.models import Plan

FGD_KINDS = {
    "berita-acara": "Berita acara",
    "daftar-hadir": "Daftar hadir",
    "masukan": "Matriks masukan dan tanggapan",
}
SCORING = "isu:matriks"


@dataclass
class Appendix:
    key: str
    title: str
    html: SafeString
    wide: bool = False


def choices(plan: Plan) -> list[tuple[str, str]]:
    """Every lampiran the plan can supply, in print order."""
    from fgd.models import Meeting, OfficialRecord

    options = []
    with_record = set(
        OfficialRecord.objects.filter(meeting__plan=plan).values_list("meeting_id", flat=True)
    )
    for meeting in Meeting.objects.filter(plan=plan).order_by("starts_at", "pk"):
        day = timezone.localtime(meeting.starts_at, meeting.zone).date()
        for slug, label in FGD_KINDS.items():
            if slug == "berita-acara" and meeting.pk not in with_record:
                continue
            options.append(
                (f"fgd:{meeting.pk}:{slug}", f"{label}: {meeting.title} ({day:%d-%m-%Y})")
            )
    options.append((SCORING, _("Matriks penilaian isu strategis (seluruh penilai dan kriteria)")))
    return options


def selected(document) -> list[str]:
    """The chosen keys that still exist, in print order."""
    wanted = set(document.appendices or [])
    return [key for key, _label in choices(document.plan) if key in wanted]


def build(document) -> list[Appendix]:
    result = []
    for key in selected(document):
        appendix = _build(document.plan, key)
        if appendix is not None:
            result.append(appendix)
    return result


def _build(plan: Plan, key: str) -> Appendix | None:
    if key == SCORING:
        return _scoring(plan)
    from fgd.documents import document_html, meeting_context
    from fgd.models import Meeting

    _prefix, meeting_id, slug = key.split(":")
    meeting = Meeting.objects.filter(plan=plan, pk=int(meeting_id)).first()
    if meeting is None or slug not in FGD_KINDS:
        return None
    title = f"{FGD_KINDS[slug]} {meeting.title}"
    if slug == "masukan":
        html = render_to_string("fgd/pdf/_inputs_table.html", meeting_context(meeting))
        return Appendix(key, title, _safe(html), wide=True)
    record = getattr(meeting, "official_record", None) if slug == "berita-acara" else None
    draft = slug == "berita-acara" and not (record and record.is_signed)
    return Appendix(key, title, _body(document_html(meeting, slug, draft=draft)))


def _body(document: str) -> SafeString:
    """The body of an FGD document's HTML, without its own DRAF mark (the export stamps one)."""
    root = parse(document.split("<body>", 1)[-1].rsplit("</body>", 1)[0])
    for element in list(root.iter("div")):
        if element.get("class") == "draft-watermark":
            element.getparent().remove(element)
    return _safe(serialize(root))


def _safe(html: str) -> SafeString:
    # nosemgrep: rpjmd-no-mark-safe - rendered by Django templates (autoescaped) and lxml
    return mark_safe(html)  # nosec B308 B703 - autoescaped template output re-serialized by lxml


def _scoring(plan: Plan) -> Appendix:
    from issues.strategic_export import scoring_matrix

    table = scoring_matrix(plan)
    title = _("Matriks penilaian isu strategis")
    if table is None:
        note = _(
            "Hasil penilaian isu strategis belum dibuka; matriks penilaian belum dapat dicetak."
        )
        return Appendix(SCORING, title, _safe(f'<p class="muted">{escape(note)}</p>'))
    return Appendix(SCORING, title, block_registry.render_table(table), wide=True)
