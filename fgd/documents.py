"""The FGD's documents as PDF: invitation list, attendance sheet, minutes and berita acara.

All render through the shared renderer (`rpjmd.pdf`) and print stylesheet. The HTML that feeds
them comes from `document_html`, so tests can check the exact source for escaping.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from fgd import terbilang
from fgd.models import Addendum, Meeting, OfficialRecord
from rpjmd.pdf import render_pdf_html

DOCUMENTS = {
    # slug in the URL: (template, file name prefix)
    "undangan": ("fgd/pdf/invitations.html", "daftar-undangan"),
    "daftar-hadir": ("fgd/pdf/attendance.html", "daftar-hadir"),
    "notulensi": ("fgd/pdf/minutes.html", "notulensi"),
    "berita-acara": ("fgd/pdf/official_record.html", "berita-acara"),
}


def meeting_context(meeting: Meeting) -> dict:
    zone = meeting.zone
    starts = timezone.localtime(meeting.starts_at, zone)
    ends = timezone.localtime(meeting.ends_at, zone)
    invitations = list(
        meeting.invitations.select_related("agency", "user", "user__agency", "resource_person")
    )
    agenda = list(meeting.agenda_items.select_related("minutes"))
    record = OfficialRecord.objects.filter(meeting=meeting).first()
    attendances = list(meeting.attendances.select_related("user", "resource_person", "agency"))
    present_agencies = sorted(
        {a.agency for a in attendances if a.agency_id and not a.agency.is_planning_agency},
        key=lambda agency: agency.name,
    )
    present_resource_persons = sum(1 for a in attendances if a.resource_person_id)
    return {
        "meeting": meeting,
        "region": meeting.plan.region,
        "planning_agency": meeting.planning_agency,
        # Naive local times: the template must not convert them to the reader's zone again.
        "starts": starts.replace(tzinfo=None),
        "ends": ends.replace(tzinfo=None),
        "date_long": terbilang.long_date(starts.date()),
        "day_name": terbilang.day_name(starts.date()),
        "date_in_words": terbilang.date_in_words(starts.date()),
        "zone_label": starts.strftime("%Z"),
        "invited_agencies": [i.agency for i in invitations if i.agency_id],
        "invited_people": [i for i in invitations if not i.agency_id],
        "resource_persons": [i.resource_person for i in invitations if i.resource_person_id],
        "agenda": agenda,
        "attendances": attendances,
        "present_agencies": present_agencies,
        "present_resource_persons": present_resource_persons,
        "present_others": len(attendances) - present_resource_persons,
        "inputs": list(
            meeting.inputs.select_related(
                "resource_person", "agency", "guest__resource_person"
            ).prefetch_related("problems")
        ),
        "agreed_items": [
            (terbilang.ordinal_word(n), item)
            for n, item in enumerate(meeting.agreed_items.all(), start=1)
        ],
        "follow_ups": list(meeting.follow_ups.select_related("agency")),
        "record": record,
        "signatories": list(record.signatories.all()) if record else [],
        "record_date_long": terbilang.long_date(record.signed_on) if record else "",
    }


def document_html(meeting: Meeting, slug: str, *, draft: bool = False) -> str:
    template, _prefix = DOCUMENTS[slug]
    context = meeting_context(meeting) | {"draft": draft}
    return render_to_string(template, context)


def render_document(meeting: Meeting, slug: str, *, draft: bool = False) -> bytes:
    return render_pdf_html(document_html(meeting, slug, draft=draft))


def render_official_record(record: OfficialRecord, *, draft: bool) -> bytes:
    return render_document(record.meeting, "berita-acara", draft=draft)


def addendum_html(addendum: Addendum) -> str:
    issued = timezone.localtime(addendum.created_at, addendum.record.meeting.zone).date()
    context = meeting_context(addendum.record.meeting) | {
        "addendum": addendum,
        "addendum_date_long": terbilang.long_date(issued),
        "draft": False,
    }
    return render_to_string("fgd/pdf/addendum.html", context)


def render_addendum(addendum: Addendum) -> bytes:
    return render_pdf_html(addendum_html(addendum))


def addendum_file_name(addendum: Addendum) -> str:
    meeting = addendum.record.meeting
    starts = timezone.localtime(meeting.starts_at, meeting.zone)
    return f"addendum-{addendum.number}-berita-acara-fgd-{meeting.pk}-{starts:%Y%m%d}.pdf"


def file_name(meeting: Meeting, slug: str) -> str:
    starts = timezone.localtime(meeting.starts_at, meeting.zone)
    return f"{DOCUMENTS[slug][1]}-fgd-{meeting.pk}-{starts:%Y%m%d}.pdf"
