"""What the FGD module supplies to the RPJMD document besides data: its lampiran.

Per FGD of the plan its berita acara (once there is one), daftar hadir and masukan–tanggapan
matrix, rendered from the same HTML the FGD documents are issued from (fgd/documents.py), inside
the document's own page frame. Registered with drafts.appendices, which finds this module.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from drafts.appendices import Appendix, document_body, register, safe
from fgd.documents import document_html, meeting_context
from fgd.models import Meeting, OfficialRecord
from rpjmd.models import Plan
from rpjmd.requests import positive_int

PREFIX = "fgd:"
KINDS = {
    "berita-acara": "Berita acara",
    "daftar-hadir": "Daftar hadir",
    "masukan": "Matriks masukan dan tanggapan",
}


def options(plan: Plan) -> list[tuple[str, str]]:
    with_record = set(
        OfficialRecord.objects.filter(meeting__plan=plan).values_list("meeting_id", flat=True)
    )
    found = []
    for meeting in Meeting.objects.filter(plan=plan).order_by("starts_at", "pk"):
        day = timezone.localtime(meeting.starts_at, meeting.zone).date()
        for slug, label in KINDS.items():
            if slug == "berita-acara" and meeting.pk not in with_record:
                continue
            found.append(
                (f"{PREFIX}{meeting.pk}:{slug}", f"{label}: {meeting.title} ({day:%d-%m-%Y})")
            )
    return found


def build(plan: Plan, key: str) -> Appendix | None:
    _prefix, meeting_id, slug = (key.split(":") + ["", ""])[:3]
    number = positive_int(meeting_id)
    meeting = Meeting.objects.filter(plan=plan, pk=number).first() if number else None
    if meeting is None or slug not in KINDS:
        return None
    title = f"{KINDS[slug]} {meeting.title}"
    if slug == "masukan":
        html = render_to_string("fgd/pdf/_inputs_table.html", meeting_context(meeting))
        return Appendix(key, title, safe(html), wide=True)
    record = getattr(meeting, "official_record", None) if slug == "berita-acara" else None
    draft = slug == "berita-acara" and not (record and record.is_signed)
    return Appendix(key, title, document_body(document_html(meeting, slug, draft=draft)))


register(prefix=PREFIX, order=10, options=options, build=build)
