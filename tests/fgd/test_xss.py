"""Stored XSS (QUALITY D2): every payload through every text field of the FGD module, checked on
every page, htmx fragment and the HTML that feeds the PDFs."""

import datetime as dt

import pytest
from django.utils.html import escape

from fgd.documents import DOCUMENTS, document_html
from fgd.models import Attendance, Input, MinutesRevision, OfficialRecord, StatusChange
from issues.models import Attachment, CoreProblem
from tests.fgd.factories import (
    invite,
    make_agenda_item,
    make_agreed,
    make_follow_up,
    make_guest,
    make_input,
    make_meeting,
    make_record,
    make_resource_person,
    table,
)
from tests.issues.factories import make_indicator, make_problem
from tests.xss import XSS_PAYLOADS, assert_no_injection

WITA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def everything(world):
    """One FGD with a record of every kind; `fill(payload)` writes the payload everywhere."""
    meeting = make_meeting(world.plan, notulis=world.staff_a)
    person = make_resource_person(world.region, user=world.resource_person)
    invite(meeting, world.agency_a, person, world.leader)
    item = make_agenda_item(meeting)
    guest = make_guest(meeting)
    Attendance.objects.create(meeting=meeting, resource_person=person, method="link")
    inputs = [
        make_input(meeting, resource_person=person),
        make_input(meeting, agency=world.agency_a),
        make_input(meeting, guest=guest),
    ]
    agreed = make_agreed(meeting, "x")[0]
    follow_up = make_follow_up(meeting, world.agency_a)
    done = make_follow_up(meeting, world.agency_a, done_at=meeting.starts_at)
    record = make_record(meeting, signatories=1)
    change = StatusChange.objects.create(meeting=meeting, from_status="closed", to_status="running")
    # A problem of agency B (not invited) tabled in the FGD, with evidence, and linked inputs.
    problem = make_problem(world.agency_b, plan=world.plan, status="submitted")
    indicator = make_indicator(problem)
    attachment = Attachment.objects.create(
        problem=problem, file="attachments/x.pdf", original_name="x.pdf", content_type="a", size=1
    )
    table(meeting, problem)
    for row in inputs:
        row.problems.add(problem)

    def fill(payload):
        meeting.title = meeting.purposes = meeting.venue = meeting.moderator = payload
        meeting.online_link = payload
        meeting.pending_reason = payload
        meeting.save()
        for field in ["full_name", "position", "institution"]:
            setattr(person, field, payload)
        person.phone = payload[:40]  # the column's length, enforced by PostgreSQL
        person.save()
        item.title = item.presenter = payload
        item.save()
        item.minutes.text = payload
        item.minutes.version = 1  # so that a save from version 0 shows the conflict page
        item.minutes.updated_by = world.planner
        item.minutes.save()
        MinutesRevision.objects.update_or_create(
            minutes=item.minutes, version=1, defaults={"text": payload}
        )
        for field in ["guest_name", "guest_position", "guest_institution", "guest_contact"]:
            setattr(guest, field, payload)
        guest.save()
        for row in inputs:
            row.text = row.response_reason = row.landed_in = payload
            row.speaker = payload if row.agency_id else ""
            row.response = Input.Response.PARTLY
            row.save()
        agreed.text = payload
        agreed.save()
        follow_up.text = payload
        follow_up.save()
        done.text = done.done_note = payload
        done.save()
        record.number = record.place = record.heard = payload
        record.save()
        record.signatories.update(
            role_label=payload, name=payload, position=payload, nip=payload[:30]
        )
        change.reason = payload
        change.save()
        problem.statement = payload
        problem.save()
        CoreProblem.objects.filter(pk=problem.core_problem_id).update(text=payload)
        problem.root_causes.update(text=payload)
        indicator.name = indicator.source = payload
        indicator.unit = payload[:50]
        indicator.save()
        attachment.original_name = payload
        attachment.save()

    return meeting, item, follow_up, fill


def pages(meeting, item, follow_up, client_for, world):
    planner, opd = client_for("planner"), client_for("opd")
    htmx = {"HX-Request": "true"}
    m = meeting.pk
    problem = meeting.tabled_problems.get().problem_id
    return {
        "list": planner.get(f"/rencana/{world.plan.pk}/fgd/"),
        "list fragment": planner.get(f"/rencana/{world.plan.pk}/fgd/", headers=htmx),
        "detail (planner)": planner.get(f"/fgd/{m}/"),
        "detail (opd)": opd.get(f"/fgd/{m}/"),
        "detail (narasumber)": client_for("resource_person").get(f"/fgd/{m}/"),
        "edit form": planner.get(f"/fgd/{m}/ubah/"),
        "close page": planner.get(f"/fgd/{m}/tutup/"),
        "attendance": planner.get(f"/fgd/{m}/daftar-hadir/"),
        "attendance fragment": planner.get(f"/fgd/{m}/daftar-hadir/", headers=htmx),
        "attendance mark fragment": planner.post(
            f"/fgd/{m}/daftar-hadir/tandai/", {"user": world.leader.pk}, headers=htmx
        ),
        "check-in": opd.get(f"/fgd/{m}/presensi/{meeting.check_in_token}/"),
        "minutes (writer)": planner.get(f"/fgd/{m}/notulensi/"),
        "minutes conflict": planner.post(
            f"/acara/{item.pk}/notulensi/", {"text": XSS_PAYLOADS[0], "version": "0"}
        ),
        "minutes versions": planner.get(f"/acara/{item.pk}/notulensi/versi/"),
        "input form": planner.get(f"/fgd/{m}/masukan/baru/"),
        "respond form": planner.get(f"/masukan/{meeting.inputs.first().pk}/tanggapan/"),
        "follow-ups": opd.get(f"/rencana/{world.plan.pk}/tindak-lanjut/"),
        "follow-up done": opd.get(f"/tindak-lanjut/{follow_up.pk}/selesai/"),
        "record": planner.get(f"/fgd/{m}/berita-acara/"),
        "narasumber": planner.get("/narasumber/"),
        "narasumber form": planner.get(
            f"/narasumber/{meeting.invitations.get(resource_person__isnull=False).resource_person_id}/ubah/"
        ),
        "guest form": planner.get(f"/fgd/{m}/daftar-hadir/tamu/"),
        "dashboard": planner.get(f"/rencana/{world.plan.pk}/"),
        "tabling": planner.get(f"/fgd/{m}/permasalahan/"),
        "tabling fragment": planner.get(f"/fgd/{m}/permasalahan/", headers=htmx),
        "problem (narasumber)": client_for("resource_person").get(f"/permasalahan/{problem}/"),
        "problem (invited opd)": opd.get(f"/permasalahan/{problem}/"),
        "problem (owner)": client_for("opd_b").get(f"/permasalahan/{problem}/"),
        "problem (planner)": planner.get(f"/permasalahan/{problem}/"),
    }


@pytest.mark.parametrize("n", range(len(XSS_PAYLOADS)))
def test_every_fgd_text_is_escaped_on_every_page_fragment_and_pdf_source(
    everything, client_for, world, n
):
    meeting, item, follow_up, fill = everything
    payload = XSS_PAYLOADS[n]
    fill(payload)
    shown = escape(payload)[:20]
    for where, response in pages(meeting, item, follow_up, client_for, world).items():
        assert response.status_code == 200, (where, response.status_code)
        html = response.text
        assert_no_injection(html, f"payload {n} on {where}")
        if where not in {"check-in", "attendance mark fragment", "guest form", "input form"}:
            assert shown in html or payload.strip()[:20] in html, (
                f"payload {n} not shown on {where}"
            )
    for slug in DOCUMENTS:
        html = document_html(meeting, slug, draft=True)
        assert_no_injection(html, f"payload {n} in PDF source {slug}")
        assert shown in html, f"payload {n} not in PDF source {slug}"
    assert OfficialRecord.objects.get().number == payload
