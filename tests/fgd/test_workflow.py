"""The meeting's life: closing needs answered inputs (or a reason), closing locks attendance and
minutes, reopening needs a reason, and a signed berita acara is locked and served as issued."""

import hashlib

import pytest

from fgd.models import (
    AgreedItem,
    Attendance,
    Input,
    Meeting,
    OfficialRecord,
    Signatory,
    StatusChange,
)
from fgd.workflow import (
    WorkflowError,
    add_agreed_item,
    add_signatory,
    delete_agreed_item,
    delete_signatory,
    save_record,
)
from tests.fgd.factories import make_agenda_item, make_agreed, make_input, make_meeting, make_record


def close(client, meeting, reason=""):
    return client.post(f"/fgd/{meeting.pk}/tutup/", {"pending_reason": reason})


def test_planner_cannot_close_while_an_input_is_unanswered(meeting, client_for):
    make_input(meeting)
    response = close(client_for("planner"), meeting)
    assert response.status_code == 200
    assert "Masih ada 1 masukan yang belum ditanggapi" in response.text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    assert not StatusChange.objects.exists()


def test_planner_closes_with_pending_inputs_only_by_giving_a_reason(meeting, client_for):
    make_input(meeting)
    response = close(client_for("planner"), meeting, "Menunggu data BPS 2019; dijawab pekan depan.")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert meeting.pending_reason == "Menunggu data BPS 2019; dijawab pekan depan."
    assert meeting.minutes_published_at is not None
    page = client_for("opd").get(f"/fgd/{meeting.pk}/").text
    assert "Menunggu data BPS 2019" in page


def test_answering_every_input_lets_the_meeting_close_without_a_reason(meeting, client_for):
    item = make_input(meeting)
    planner = client_for("planner")
    response = planner.post(
        f"/masukan/{item.pk}/tanggapan/",
        {
            "response": "accepted",
            "response_reason": "",
            "landed_in": "Bab IV isu strategis 2",
            "seen_version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.response == Input.Response.ACCEPTED
    assert item.responded_by.username == "planner"
    assert close(planner, meeting).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_closed and meeting.pending_reason == ""


def test_a_partly_accepted_response_needs_a_reason_and_where_it_landed(meeting, client_for):
    item = make_input(meeting)
    response = client_for("planner").post(
        f"/masukan/{item.pk}/tanggapan/", {"response": "partly", "response_reason": ""}
    )
    assert response.status_code == 200
    assert "Tuliskan alasan tanggapan ini." in response.text
    assert "Tuliskan di mana masukan ini ditindaklanjuti." in response.text
    item.refresh_from_db()
    assert item.response == Input.Response.PENDING


def test_closing_locks_attendance_minutes_and_new_inputs(meeting, agenda_item, client_for, world):
    planner = client_for("planner")
    assert close(planner, meeting).status_code == 302

    response = planner.post(
        f"/fgd/{meeting.pk}/daftar-hadir/tandai/", {"user": world.staff_a.pk}, follow=True
    )
    assert "FGD sudah ditutup" in response.text
    assert not Attendance.objects.exists()

    response = planner.post(
        f"/acara/{agenda_item.pk}/notulensi/",
        {"text": "Tambahan setelah ditutup", "version": "0"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert "terkunci" in response.json()["error"]
    agenda_item.minutes.refresh_from_db()
    assert agenda_item.minutes.text == ""

    response = client_for("resource_person").post(
        f"/fgd/{meeting.pk}/masukan/baru/", {"kind": "suggestion", "text": "Terlambat"}, follow=True
    )
    assert "masukan baru tidak dapat dicatat" in response.text
    assert not Input.objects.exists()

    response = client_for("opd").post(
        f"/fgd/{meeting.pk}/presensi/{meeting.check_in_token}/", follow=True
    )
    assert "FGD sudah ditutup" in response.text
    assert not Attendance.objects.exists()


def test_reopening_needs_a_reason_which_is_recorded(meeting, client_for):
    planner = client_for("planner")
    close(planner, meeting)
    response = planner.post(f"/fgd/{meeting.pk}/buka-kembali/", {"reason": "  "}, follow=True)
    assert "Tuliskan alasan membuka kembali FGD ini." in response.text
    meeting.refresh_from_db()
    assert meeting.is_closed

    response = planner.post(
        f"/fgd/{meeting.pk}/buka-kembali/",
        {"reason": "Daftar hadir Dinkes tertinggal"},
        follow=True,
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.RUNNING
    change = meeting.status_changes.last()
    assert (change.from_status, change.to_status) == ("closed", "running")
    assert change.reason == "Daftar hadir Dinkes tertinggal"
    assert "Daftar hadir Dinkes tertinggal" in response.text


def test_only_a_closed_meeting_can_be_reopened_and_only_a_planned_one_started(meeting, client_for):
    planner = client_for("planner")
    response = planner.post(f"/fgd/{meeting.pk}/buka-kembali/", {"reason": "x"}, follow=True)
    assert "Hanya FGD yang sudah ditutup yang dapat dibuka kembali." in response.text
    planner.post(f"/fgd/{meeting.pk}/mulai/")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.RUNNING
    response = planner.post(f"/fgd/{meeting.pk}/mulai/", follow=True)
    assert "Hanya FGD yang direncanakan yang dapat dimulai." in response.text


def test_berita_acara_can_be_signed_only_after_closing(meeting, client_for):
    make_record(meeting)
    make_agreed(meeting, "Data resmi terbaru dipakai.")
    response = client_for("planner").post(
        f"/fgd/{meeting.pk}/berita-acara/tandatangani/", follow=True
    )
    assert "Tutup FGD terlebih dahulu" in response.text
    assert not OfficialRecord.objects.get().is_signed


def test_signing_needs_signatories_and_agreed_items(meeting, client_for):
    planner = client_for("planner")
    close(planner, meeting)
    make_record(meeting, signatories=0)
    response = planner.post(f"/fgd/{meeting.pk}/berita-acara/tandatangani/", follow=True)
    assert "Tambahkan penanda tangan" in response.text
    OfficialRecord.objects.get().signatories.create(role_label="Pimpinan Rapat", name="Wiyono")
    response = planner.post(f"/fgd/{meeting.pk}/berita-acara/tandatangani/", follow=True)
    assert "sedikitnya satu kesepakatan" in response.text
    assert not OfficialRecord.objects.get().is_signed


@pytest.fixture
def signed(meeting, client_for):
    planner = client_for("planner")
    make_agreed(meeting, "Data resmi terbaru dipakai.", "Isu strategis dirumuskan berbobot.")
    close(planner, meeting)
    make_record(meeting)
    response = planner.post(f"/fgd/{meeting.pk}/berita-acara/tandatangani/")
    assert response.status_code == 302
    return OfficialRecord.objects.get()


def test_a_signed_berita_acara_is_locked(signed, meeting, client_for):
    planner = client_for("planner")
    assert signed.is_signed and signed.signed_by.username == "planner"
    response = planner.post(
        f"/fgd/{meeting.pk}/berita-acara/",
        {"number": "999/UBAH", "place": "Tenggarong", "signed_on": "2026-12-01", "heard": "x"},
        follow=True,
    )
    assert "sudah ditandatangani dan terkunci" in response.text
    signed.refresh_from_db()
    assert signed.number == "050/186/Bappeda/III/2020"

    planner.post(f"/fgd/{meeting.pk}/kesepakatan/baru/", {"order": 9, "text": "Baru"})
    planner.post(f"/kesepakatan/{meeting.agreed_items.first().pk}/hapus/")
    assert list(AgreedItem.objects.values_list("text", flat=True)) == [
        "Data resmi terbaru dipakai.",
        "Isu strategis dirumuskan berbobot.",
    ]
    planner.post(f"/penanda-tangan/{signed.signatories.first().pk}/hapus/")
    assert signed.signatories.count() == 2
    response = planner.post(f"/fgd/{meeting.pk}/berita-acara/tandatangani/", follow=True)
    assert "sudah ditandatangani" in response.text


def test_a_signed_berita_acara_is_served_exactly_as_issued(signed, meeting, client_for):
    issued = signed.pdf.open("rb").read()
    signed.pdf.close()
    assert hashlib.sha256(issued).hexdigest() == signed.pdf_sha256
    # Later changes to the meeting do not change the issued document.
    client_for("planner").post(f"/fgd/{meeting.pk}/buka-kembali/", {"reason": "Koreksi hadir"})
    Meeting.objects.filter(pk=meeting.pk).update(venue="Pendopo Odah Etam, Tenggarong")
    response = client_for("leader").get(f"/fgd/{meeting.pk}/dokumen/berita-acara.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == issued
    assert response["Content-Disposition"].startswith('attachment; filename="berita-acara-fgd-')
    assert "filename*=UTF-8''berita-acara-fgd-" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private, no-store")


def test_a_signed_berita_acara_gone_from_the_disk_is_a_404(signed, meeting, client_for):
    signed.pdf.storage.delete(signed.pdf.name)
    response = client_for("leader").get(f"/fgd/{meeting.pk}/dokumen/berita-acara.pdf")
    assert response.status_code == 404


def test_agenda_item_with_minutes_cannot_be_deleted(meeting, agenda_item, client_for):
    agenda_item.minutes.text = "Catatan"
    agenda_item.minutes.save()
    response = client_for("planner").post(f"/acara/{agenda_item.pk}/hapus/", follow=True)
    assert "sudah memiliki notulensi" in response.text
    empty = make_agenda_item(meeting)
    client_for("planner").post(f"/acara/{empty.pk}/hapus/")
    assert list(meeting.agenda_items.all()) == [agenda_item]


def test_the_database_refuses_an_input_without_an_author(meeting):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Input.objects.create(meeting=meeting, kind="suggestion", text="Tanpa penyampai")
    assert not Input.objects.exists()


def test_invitations_are_locked_once_the_meeting_is_closed(meeting, client_for, world):
    planner = client_for("planner")
    close(planner, meeting)
    invitation = meeting.invitations.first()
    response = planner.post(f"/undangan/{invitation.pk}/hapus/", follow=True)
    assert "FGD sudah ditutup" in response.text
    planner.post(f"/fgd/{meeting.pk}/undangan/baru/", {"agencies": [world.agency_b.pk]})
    assert meeting.invitations.count() == 2


def test_agreed_items_are_added_and_deleted_only_while_the_record_is_unsigned(world):
    meeting = make_meeting(world.plan)
    first = add_agreed_item(item=AgreedItem(meeting=meeting, order=1, text="Data stunting"))
    record = make_record(meeting)
    OfficialRecord.objects.filter(pk=record.pk).update(
        is_signed=True, signed_at=meeting.ends_at, pdf="private/berita-acara.pdf"
    )

    with pytest.raises(WorkflowError, match="sudah ditandatangani"):
        add_agreed_item(item=AgreedItem(meeting=meeting, order=2, text="Terlambat"))
    with pytest.raises(WorkflowError, match="sudah ditandatangani"):
        delete_agreed_item(item=first)
    assert list(meeting.agreed_items.values_list("text", flat=True)) == ["Data stunting"]


def test_the_record_and_its_signatories_change_only_while_unsigned(world):
    meeting = make_meeting(world.plan)
    record = make_record(meeting, signatories=1)
    record.place = "Tenggarong"
    save_record(record=record)
    added = add_signatory(
        signatory=Signatory(record=record, order=2, role_label="Notulis", name="Sari")
    )
    OfficialRecord.objects.filter(pk=record.pk).update(
        is_signed=True, signed_at=meeting.ends_at, pdf="private/berita-acara.pdf"
    )

    record.place = "Balikpapan"
    with pytest.raises(WorkflowError, match="sudah ditandatangani"):
        save_record(record=record)
    with pytest.raises(WorkflowError, match="sudah ditandatangani"):
        add_signatory(signatory=Signatory(record=record, order=3, role_label="X", name="Y"))
    with pytest.raises(WorkflowError, match="sudah ditandatangani"):
        delete_signatory(signatory=added)
    record.refresh_from_db()
    assert record.place == "Tenggarong"
    assert list(record.signatories.values_list("name", flat=True)) == ["Penanda Tangan 1", "Sari"]
