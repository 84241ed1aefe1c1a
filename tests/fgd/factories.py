"""Factories for FGD tests: each makes one valid object with Kutai Kartanegara defaults."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from fgd.models import (
    Addendum,
    AgendaItem,
    AgreedItem,
    Attendance,
    FollowUp,
    Input,
    Invitation,
    Meeting,
    Minutes,
    OfficialRecord,
    ResourcePerson,
    Signatory,
    TabledProblem,
)
from rpjmd.models import Agency, Plan, User

_seq = itertools.count(1)


def make_resource_person(region, *, user: User | None = None, **fields) -> ResourcePerson:
    n = next(_seq)
    defaults = {
        "full_name": f"Dr. Narasumber Uji {n}, M.Si.",
        "position": "Direktur Perencanaan",
        "institution": "Kementerian PPN/Bappenas",
        "phone": "0812-5555-0000",
        "email": f"narasumber{n}@bappenas.invalid",
    }
    return ResourcePerson.objects.create(region=region, user=user, **(defaults | fields))


def make_meeting(plan: Plan, *, stage=None, starts_at=None, **fields) -> Meeting:
    """An FGD starting half an hour from now (check-in open), lasting three hours."""
    starts_at = starts_at or timezone.now() + dt.timedelta(minutes=30)
    defaults = {
        "title": "FGD Identifikasi Permasalahan Pembangunan Daerah",
        "purposes": "Mengidentifikasi permasalahan pembangunan\nMerumuskan isu strategis daerah",
        "venue": "Hotel Astara, Balikpapan",
        "moderator": "Kepala Bidang P2EPD",
    }
    return Meeting.objects.create(
        plan=plan,
        stage=stage or plan.stages.first(),
        starts_at=starts_at,
        ends_at=fields.pop("ends_at", starts_at + dt.timedelta(hours=3)),
        **(defaults | fields),
    )


def invite(meeting: Meeting, *invitees) -> None:
    for invitee in invitees:
        if isinstance(invitee, Agency):
            Invitation.objects.create(meeting=meeting, agency=invitee)
        elif isinstance(invitee, ResourcePerson):
            Invitation.objects.create(meeting=meeting, resource_person=invitee)
        else:
            Invitation.objects.create(meeting=meeting, user=invitee)


def make_agenda_item(meeting: Meeting, **fields) -> AgendaItem:
    n = next(_seq)
    defaults = {"order": n, "title": f"Paparan narasumber {n}", "presenter": "Narasumber"}
    item = AgendaItem.objects.create(meeting=meeting, **(defaults | fields))
    Minutes.objects.create(agenda_item=item)
    return item


def make_input(meeting: Meeting, **fields) -> Input:
    if not any(k in fields for k in ["resource_person", "agency", "guest"]):
        fields["agency"] = (
            meeting.invitations.filter(agency__isnull=False).first().agency
            if meeting.invitations.filter(agency__isnull=False).exists()
            else Agency.objects.filter(region=meeting.plan.region).first()
        )
    defaults = {"kind": Input.Kind.SUGGESTION, "text": "Perbarui data kemiskinan dengan DTKS."}
    return Input.objects.create(meeting=meeting, **(defaults | fields))


def make_guest(meeting: Meeting, **fields) -> Attendance:
    defaults = {
        "guest_name": "Hj. Nurul Aini, S.T.",
        "guest_position": "Kepala Subbagian Perencanaan",
        "guest_institution": "Dinas Perumahan dan Kawasan Permukiman",
        "guest_contact": "0813-4444-1111",
        "method": Attendance.Method.GUEST,
    }
    return Attendance.objects.create(meeting=meeting, **(defaults | fields))


def make_follow_up(meeting: Meeting, agency: Agency, **fields) -> FollowUp:
    defaults = {"text": "Menyampaikan data stunting per kecamatan.", "due_on": dt.date(2026, 12, 1)}
    return FollowUp.objects.create(meeting=meeting, agency=agency, **(defaults | fields))


def make_record(meeting: Meeting, *, signatories: int = 2, **fields) -> OfficialRecord:
    defaults = {
        "number": "050/186/Bappeda/III/2020",
        "place": "Balikpapan",
        "signed_on": timezone.localtime(meeting.starts_at, meeting.zone).date(),
        "heard": "Paparan narasumber dan penyampaian permasalahan oleh perangkat daerah.",
    }
    record = OfficialRecord.objects.create(meeting=meeting, **(defaults | fields))
    for n in range(signatories):
        Signatory.objects.create(
            record=record, order=n + 1, role_label="Pimpinan Rapat", name=f"Penanda Tangan {n + 1}"
        )
    return record


FAKE_PDF = b"%PDF-1.4\n% issued in a test\n%%EOF\n"


def make_signed_record(meeting: Meeting, **fields) -> OfficialRecord:
    """A berita acara marked signed with a stand-in file (no PDF rendering: fast enough for
    the authorization matrix). Tests of the signing itself use workflow.sign_record."""
    import hashlib

    from django.core.files.base import ContentFile

    record = make_record(meeting, **fields)
    record.pdf.save(f"uji-berita-acara-{meeting.pk}.pdf", ContentFile(FAKE_PDF), save=False)
    record.pdf_sha256 = hashlib.sha256(FAKE_PDF).hexdigest()
    record.is_signed = True
    record.signed_at = timezone.now()
    record.save()
    return record


def make_addendum(record: OfficialRecord, number: int = 1, **fields) -> Addendum:
    import hashlib

    from django.core.files.base import ContentFile

    addendum = Addendum(record=record, number=number, text=fields.pop("text", "Koreksi."))
    addendum.pdf.save(f"uji-addendum-{record.pk}-{number}.pdf", ContentFile(FAKE_PDF), save=False)
    addendum.pdf_sha256 = hashlib.sha256(FAKE_PDF).hexdigest()
    addendum.save()
    return addendum


def make_agreed(meeting: Meeting, *texts: str) -> list[AgreedItem]:
    return [
        AgreedItem.objects.create(meeting=meeting, order=n, text=text)
        for n, text in enumerate(texts, start=1)
    ]


def scoped_meeting(world) -> Meeting:
    """The FGD of the authorization matrix: agency A and the world's narasumber are invited."""
    meeting = make_meeting(world.plan)
    person = ResourcePerson.objects.filter(user=world.resource_person).first()
    if person is None:
        person = make_resource_person(world.region, user=world.resource_person)
    invite(meeting, world.agency_a, person)
    return meeting


def table(meeting: Meeting, *problems, by: User | None = None) -> list[TabledProblem]:
    """Put problems on the meeting's table, as a planner would."""
    return [
        TabledProblem.objects.create(meeting=meeting, problem=problem, tabled_by=by)
        for problem in problems
    ]


def tabled_problem(world, meeting: Meeting | None = None, **fields) -> TabledProblem:
    """A submitted problem of agency A tabled in the matrix FGD (or the given one)."""
    from issues.models import Problem
    from tests.issues.factories import make_problem

    meeting = meeting or scoped_meeting(world)
    fields.setdefault("status", Problem.Status.SUBMITTED)
    (row,) = table(meeting, make_problem(world.agency_a, plan=world.plan, **fields))
    return row
