"""The FGD's PDFs, read back: dates, venue, narasumber, agreed items in order, every attendee."""

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from fgd.models import Attendance
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
)

WITA = dt.timezone(dt.timedelta(hours=8))
NARASUMBER = [
    "Drs. Sumedi Andono Mulyo, MA, Ph.D",
    "Agus Manshur, SE, MA",
    "Muhyiddin, S.Sos, M.Sc",
]
AGREED = [
    "Setiap perangkat daerah menyampaikan permasalahan paling lambat 13 Maret 2020.",
    "Data yang dipakai adalah data resmi terbaru.",
    "Isu strategis dirumuskan dengan kriteria berbobot.",
]


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Join words hyphenated at line ends, then lines, then collapse spaces.
    text = text.replace("\u2010\n", "").replace("-\n", "")
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def seed_meeting(world):
    meeting = make_meeting(
        world.plan,
        title="FGD Identifikasi Permasalahan Pembangunan Daerah",
        starts_at=dt.datetime(2020, 3, 7, 8, 0, tzinfo=WITA),
        ends_at=dt.datetime(2020, 3, 7, 16, 0, tzinfo=WITA),
        venue="Hotel Astara, Balikpapan",
        notulis=world.planner,
    )
    people = [
        make_resource_person(world.region, full_name=name, position="Direktur")
        for name in NARASUMBER
    ]
    invite(meeting, world.agency_a, world.agency_b, *people)
    for person in people:
        Attendance.objects.create(meeting=meeting, resource_person=person, method="planner")
    Attendance.objects.create(
        meeting=meeting, user=world.staff_a, agency=world.agency_a, method="code"
    )
    for n in range(25):  # enough rows for a second page of the attendance sheet
        make_guest(meeting, guest_name=f"Peserta Tamu Nomor {n + 1:02d}", guest_contact="")
    item = make_agenda_item(meeting, title="Paparan RPJMN 2020–2024")
    item.minutes.text = "Narasumber menekankan keselarasan dengan RPJMN."
    item.minutes.save()
    make_input(meeting, resource_person=people[0], text="Angkat ketertinggalan desa hulu Mahakam.")
    make_agreed(meeting, *AGREED)
    make_follow_up(meeting, world.agency_b, text="Menyampaikan data stunting.")
    make_record(meeting, number="050/186/Bappeda-P2EPD/III/2020")
    return meeting


def download(client, meeting, slug):
    response = client.get(f"/fgd/{meeting.pk}/dokumen/{slug}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert f"-fgd-{meeting.pk}-20200307.pdf" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return text_of(content)


@pytest.mark.parametrize("slug", ["undangan", "daftar-hadir", "notulensi", "berita-acara"])
def test_every_document_names_the_date_venue_and_narasumber(seed_meeting, client_for, slug):
    text = download(client_for("planner"), seed_meeting, slug)
    assert "7 Maret 2020" in text or "tanggal tujuh bulan Maret tahun dua ribu dua puluh" in text
    assert "Hotel Astara, Balikpapan" in text
    assert "PEMERINTAH KABUPATEN KUTAI KARTANEGARA" in text
    if slug != "daftar-hadir":
        for name in NARASUMBER:
            assert name in text, name


@pytest.mark.parametrize("slug", ["notulensi", "berita-acara"])
def test_agreed_items_appear_in_order(seed_meeting, client_for, slug):
    text = download(client_for("leader"), seed_meeting, slug)
    positions = [text.index(item) for item in AGREED]
    assert positions == sorted(positions)
    if slug == "berita-acara":
        assert text.index("KESATU") < text.index("KEDUA") < text.index("KETIGA")


@pytest.mark.parametrize("slug", ["daftar-hadir", "berita-acara"])
def test_the_attendance_sheet_lists_every_attendee(seed_meeting, client_for, world, slug):
    text = download(client_for("planner"), seed_meeting, slug)
    for row in seed_meeting.attendances.all():
        assert row.name in text, row.name
    assert "Tanda Tangan" in text
    # Guests' contacts are personal data: never printed.
    assert "0813-4444-1111" not in text


def test_the_berita_acara_reads_like_an_official_record(seed_meeting, client_for):
    text = download(client_for("planner"), seed_meeting, "berita-acara")
    assert "BERITA ACARA" in text and "Nomor: 050/186/Bappeda-P2EPD/III/2020" in text
    assert (
        "Pada hari Sabtu tanggal tujuh bulan Maret tahun dua ribu dua puluh, bertempat di "
        "Hotel Astara, Balikpapan" in text
    )
    assert "08.00 WITA" in text
    assert "Angkat ketertinggalan desa hulu Mahakam." in text
    assert "Balikpapan, 7 Maret 2020" in text
    assert "Penanda Tangan 1" in text and "Penanda Tangan 2" in text
    assert "Lampiran Berita Acara Nomor" in text and "DAFTAR HADIR" in text
    assert "DRAF" in text  # not signed yet


def test_the_minutes_carry_each_agenda_items_notes_and_the_follow_ups(seed_meeting, client_for):
    text = download(client_for("planner"), seed_meeting, "notulensi")
    assert "Narasumber menekankan keselarasan dengan RPJMN." in text
    assert "Menyampaikan data stunting." in text
    assert "Notulis" in text


def test_unknown_documents_are_404_and_opd_staff_may_not_download(seed_meeting, client_for):
    assert (
        client_for("planner").get(f"/fgd/{seed_meeting.pk}/dokumen/rahasia.pdf").status_code == 404
    )
    assert client_for("opd").get(f"/fgd/{seed_meeting.pk}/dokumen/notulensi.pdf").status_code == 403


def test_documents_are_rendered_one_at_a_time_per_user(seed_meeting, client_for, world):
    from rpjmd import heavy

    url = f"/fgd/{seed_meeting.pk}/dokumen/notulensi.pdf"
    with heavy.slot(world.planner.pk):
        busy = client_for("planner").get(url)
        assert busy.status_code == 429 and busy["Retry-After"] == "5"
        assert "Server sedang memproses, coba lagi sebentar." in busy.text
    assert client_for("planner").get(url).status_code == 200


def test_signing_is_refused_while_the_user_is_busy_and_changes_nothing(
    seed_meeting, client_for, world
):
    from fgd.models import OfficialRecord
    from rpjmd import heavy

    with heavy.slot(world.planner.pk):
        busy = client_for("planner").post(f"/fgd/{seed_meeting.pk}/berita-acara/tandatangani/")
    assert busy.status_code == 429 and "coba lagi sebentar" in busy.text
    record = OfficialRecord.objects.get(meeting=seed_meeting)
    assert not record.is_signed and not record.pdf
