"""A signed berita acara freezes what it records (issue 13): responses, agenda items, agreed
items and the meeting itself no longer change; what changes afterwards is issued as a numbered
addendum with its own PDF and SHA-256, listed on the FGD page."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.messages import get_messages

from fgd import workflow
from fgd.models import Addendum, AgendaItem, Input, Meeting
from tests.fgd.factories import make_agenda_item, make_agreed, make_input, make_record

pytestmark = pytest.mark.django_db

FROZEN = "Berita acara sudah ditandatangani: isinya terkunci."


@pytest.fixture
def signed(meeting, world):
    """A closed FGD with one answered input and one agenda item, its berita acara signed
    (rendered for real, as a planner's click does)."""
    make_agenda_item(meeting, title="Paparan arah kebijakan RPJMN")
    make_input(
        meeting,
        response=Input.Response.ACCEPTED,
        response_reason="Sesuai data BPS.",
        landed_in="Bab IV",
    )
    make_agreed(meeting, "Data resmi terbaru dipakai.")
    closed = workflow.close_meeting(meeting=meeting, by=world.planner)
    record = make_record(closed)
    return workflow.sign_record(record=record, by=world.planner)


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_responses_cannot_change_after_signing(signed, meeting, client_for, world):
    item = meeting.inputs.get()
    planner = client_for("planner")
    response = planner.post(
        f"/masukan/{item.pk}/tanggapan/",
        {"response": "rejected", "response_reason": "Berubah pikiran", "landed_in": ""},
    )
    assert response.status_code == 302
    assert any(FROZEN in m for m in said(response))
    item.refresh_from_db()
    assert (item.response, item.response_reason) == ("accepted", "Sesuai data BPS.")
    assert planner.get(f"/masukan/{item.pk}/tanggapan/").status_code == 302
    # The workflow refuses too, whoever calls it.
    with pytest.raises(workflow.WorkflowError):
        workflow.respond_to_input(
            input=item, response="rejected", reason="x", landed_in="", by=world.planner
        )
    item.refresh_from_db()
    assert item.response == "accepted"


def test_agenda_and_the_meeting_cannot_change_after_signing(signed, meeting, client_for):
    planner = client_for("planner")
    item = meeting.agenda_items.get()
    response = planner.post(f"/fgd/{meeting.pk}/acara/baru/", {"order": 2, "title": "Tambahan"})
    assert response.status_code == 302 and any(FROZEN in m for m in said(response))
    response = planner.post(f"/acara/{item.pk}/hapus/")
    assert any(FROZEN in m for m in said(response))
    assert list(AgendaItem.objects.values_list("title", flat=True)) == [item.title]
    # Reopening would unlock attendance, minutes and inputs: refused.
    response = planner.post(f"/fgd/{meeting.pk}/buka-kembali/", {"reason": "Koreksi"})
    assert any(FROZEN in m for m in said(response))
    assert Meeting.objects.get(pk=meeting.pk).is_closed
    page = planner.get(f"/fgd/{meeting.pk}/").text
    assert "Buka kembali FGD" not in page and "Ubah tanggapan" not in page
    assert "Tambah acara" not in page


def test_the_signed_files_sha256_is_on_the_fgd_page_and_record(signed, meeting, client_for):
    issued = signed.pdf.open("rb").read()
    signed.pdf.close()
    digest = hashlib.sha256(issued).hexdigest()
    assert signed.pdf_sha256 == digest
    for role in ("planner", "leader"):
        assert digest in client_for(role).get(f"/fgd/{meeting.pk}/").text, role
    assert digest in client_for("planner").get(f"/fgd/{meeting.pk}/berita-acara/").text


def test_changes_after_signing_are_issued_as_numbered_addenda(signed, meeting, client_for):
    planner = client_for("planner")
    url = f"/fgd/{meeting.pk}/berita-acara/addendum/baru/"
    assert planner.get(url).status_code == 200
    # Nothing written: a form error, nothing issued.
    response = planner.post(url, {"text": "   "})
    assert response.status_code == 200 and "errorlist" in response.text
    assert not Addendum.objects.exists()
    response = planner.post(
        url, {"text": "Tanggapan atas masukan Dinas Kesehatan diubah menjadi diterima sebagian."}
    )
    assert response.status_code == 302
    response = planner.post(url, {"text": "Kesepakatan KEDUA ditambahkan."})
    assert response.status_code == 302
    first, second = Addendum.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    for addendum in (first, second):
        content = addendum.pdf.open("rb").read()
        addendum.pdf.close()
        assert content.startswith(b"%PDF")
        assert hashlib.sha256(content).hexdigest() == addendum.pdf_sha256
        download = client_for("leader").get(
            f"/fgd/{meeting.pk}/berita-acara/addendum/{addendum.number}.pdf"
        )
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == content
    page = client_for("leader").get(f"/fgd/{meeting.pk}/").text
    assert "Addendum 1 berita acara (PDF)" in page and "Addendum 2 berita acara (PDF)" in page
    assert first.pdf_sha256 in page and second.pdf_sha256 in page
    # The signed berita acara itself is still served exactly as issued.
    issued = signed.pdf.open("rb").read()
    signed.pdf.close()
    served = client_for("leader").get(f"/fgd/{meeting.pk}/dokumen/berita-acara.pdf")
    assert b"".join(served.streaming_content) == issued
    assert (
        client_for("leader").get(f"/fgd/{meeting.pk}/berita-acara/addendum/3.pdf").status_code
        == 404
    )


def test_the_addendum_text_is_what_the_pdf_records(signed, world):
    from fgd.documents import addendum_html

    addendum = workflow.issue_addendum(
        record=signed, text="Koreksi <b>nama</b> narasumber.", by=world.planner
    )
    html = addendum_html(addendum)
    assert "Addendum 1" in html and signed.number in html and signed.pdf_sha256 in html
    assert "Koreksi &lt;b&gt;nama&lt;/b&gt; narasumber." in html


def test_no_addendum_before_the_berita_acara_is_signed(meeting, client_for, world):
    record = make_record(meeting)
    response = client_for("planner").post(
        f"/fgd/{meeting.pk}/berita-acara/addendum/baru/", {"text": "Perubahan"}
    )
    assert response.status_code == 302
    assert not Addendum.objects.exists()
    with pytest.raises(workflow.WorkflowError):
        workflow.issue_addendum(record=record, text="Perubahan", by=world.planner)
