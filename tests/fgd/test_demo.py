"""The demo FGD of 7 March 2020: narasumber from the seed, attendance, inputs, signed record."""

import hashlib
import io

from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from fgd.models import Attendance, Input, Meeting, OfficialRecord, ResourcePerson
from rpjmd.models import User


def test_the_demo_holds_the_seed_fgd_with_a_signed_berita_acara(db):
    call_command("demo", "--quiet")
    meeting = Meeting.objects.get()
    assert meeting.venue == "Hotel Astara, Balikpapan"
    assert meeting.starts_at.isoformat() == "2020-03-07T00:00:00+00:00"  # 08:00 WITA
    assert meeting.is_closed and meeting.stage.kind == "identification"
    assert meeting.purpose_list[0] == "Mengidentifikasi permasalahan pembangunan Kutai Kartanegara"
    names = set(ResourcePerson.objects.values_list("full_name", flat=True))
    assert names == {
        "Drs. Sumedi Andono Mulyo, MA, Ph.D",
        "Agus Manshur, SE, MA",
        "Muhyiddin, S.Sos, M.Sc",
    }
    assert ResourcePerson.objects.get(user__username="sumedi").full_name.startswith("Drs. Sumedi")
    agencies = set(Attendance.objects.exclude(agency=None).values_list("agency", flat=True))
    assert len(agencies) >= 10
    assert not Input.objects.pending().exists()
    record = OfficialRecord.objects.get()
    assert record.is_signed
    issued = record.pdf.open("rb").read()
    record.pdf.close()
    assert hashlib.sha256(issued).hexdigest() == record.pdf_sha256
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(issued)).pages)
    assert "Sabtu tanggal tujuh bulan Maret tahun dua ribu dua puluh" in text
    assert "KESATU" in text and "DRAF" not in text


def test_running_the_fgd_demo_again_changes_nothing(db):
    call_command("demo", "--quiet")
    Meeting.objects.update(title="Judul diubah perencana")
    counts = [m.objects.count() for m in (Meeting, Attendance, Input, ResourcePerson)]
    call_command("demo", "--quiet")
    assert [m.objects.count() for m in (Meeting, Attendance, Input, ResourcePerson)] == counts
    assert Meeting.objects.get().title == "Judul diubah perencana"


def test_the_demo_narasumber_sees_the_fgd_and_its_minutes(db):
    call_command("demo", "--quiet")
    client = Client()
    client.force_login(User.objects.get(username="sumedi"))
    meeting = Meeting.objects.get()
    page = client.get(f"/fgd/{meeting.pk}/notulensi/").text
    assert "Permendagri 86/2017" in page
