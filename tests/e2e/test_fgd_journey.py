"""The FGD journey in Chromium: a planner runs an FGD from invitation to signed berita acara,
an OPD user checks in by code on a phone, the narasumber records an input from their account."""

import datetime as dt
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from fgd.models import Input, Meeting
from rpjmd.demo import DEMO_PASSWORD
from tests.e2e.conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WITA = ZoneInfo("Asia/Makassar")
TITLE = "FGD Draf Rancangan Teknokratik RPJMD Kutai Kartanegara"


@pytest.fixture
def demo():
    call_command("demo", "--quiet")


def phone(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    return context


def test_planner_runs_an_fgd_from_invitation_to_signed_berita_acara(
    page, browser, live_server, demo, screenshot
):
    starts = timezone.localtime(timezone.now(), WITA) + dt.timedelta(minutes=20)
    ends = starts + dt.timedelta(hours=4)

    # The planner creates the FGD for the draft stage.
    log_in(page, "perencana", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="FGD").click()
    expect(page.locator("h1")).to_have_text("Focus Group Discussion")
    page.get_by_role("link", name="Buat FGD").click()
    page.get_by_label("Tahapan").select_option(label="FGD Draft Rancangan Teknokratik RPJMD")
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Tujuan").fill(
        "Membahas draf Rancangan Teknokratik RPJMD\nMenyepakati isu strategis daerah"
    )
    page.get_by_label("Mulai").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Selesai").fill(ends.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Tempat", exact=True).fill("Ruang Rapat Bappeda, Tenggarong")
    page.get_by_label("Notulis").select_option(label="Rina Wulandari, S.T., M.Sc.")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#messages")).to_contain_text("FGD dibuat")
    meeting = Meeting.objects.get(title=TITLE)

    # Invites agencies and a narasumber.
    page.get_by_role("link", name="Undang", exact=True).click()
    for agency in ["Disdikbud", "Dinkes", "DPU"]:
        page.get_by_label(agency, exact=True).check()
    page.get_by_label("Drs. Sumedi Andono Mulyo, MA, Ph.D").check()
    page.get_by_role("button", name="Undang").click()
    expect(page.locator("#messages")).to_contain_text("4 undangan ditambahkan")

    # Adds an agenda item, which gets its own minutes.
    page.get_by_role("link", name="Tambah acara").click()
    page.get_by_label("Acara").fill("Paparan draf Rancangan Teknokratik")
    page.get_by_label("Penyaji").fill("Drs. Sumedi Andono Mulyo, MA, Ph.D")
    page.get_by_role("button", name="Tambahkan").click()
    expect(page.locator("main")).to_contain_text("Paparan draf Rancangan Teknokratik")
    code = page.locator(".checkin-code").inner_text().strip()
    assert code == meeting.check_in_code
    screenshot(page, "fgd-planner-meeting")

    # An OPD user checks in by code on a phone.
    opd_context = phone(browser, live_server)
    opd = opd_context.new_page()
    log_in(opd, "opd.disdikbud", DEMO_PASSWORD)
    opd.goto("/presensi/")
    opd.get_by_label("Kode presensi").fill(code.lower())
    screenshot(opd, "fgd-phone-check-in-code")
    opd.get_by_role("button", name="Catat kehadiran").click()
    expect(opd.locator("#messages")).to_contain_text("kehadiran Anda di")
    expect(opd.locator("h1")).to_have_text(TITLE)
    assert opd.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(opd, "fgd-phone-after-check-in")
    opd_context.close()

    # The narasumber logs in, sees the FGD and records an input.
    rp_context = browser.new_context(base_url=live_server.url, locale="id-ID")
    rp = rp_context.new_page()
    log_in(rp, "sumedi", DEMO_PASSWORD)
    rp.goto(f"/rencana/{meeting.plan_id}/fgd/")
    rp.get_by_role("link", name=TITLE).click()
    rp.get_by_role("link", name="Catat masukan").click()
    rp.get_by_label("Jenis").select_option(label="Usulan isu strategis")
    rp.get_by_label("Isi masukan").fill(
        "Ketertinggalan desa hulu Mahakam perlu menjadi isu strategis tersendiri."
    )
    rp.get_by_role("button", name="Simpan masukan").click()
    expect(rp.locator("#masukan")).to_contain_text("Ketertinggalan desa hulu Mahakam")
    expect(rp.locator("#masukan")).to_contain_text("Belum ditanggapi")
    rp_context.close()
    item = Input.objects.get(meeting=meeting)
    assert item.resource_person.full_name == "Drs. Sumedi Andono Mulyo, MA, Ph.D"

    # The planner writes the minutes live: they save themselves.
    page.get_by_role("link", name="Notulensi").first.click()
    editor = page.locator("textarea[name=text]")
    editor.fill("Narasumber memaparkan keselarasan draf dengan RPJMN 2020–2024.")
    expect(page.locator("[data-status]")).to_contain_text("Tersimpan versi 1", timeout=15_000)
    screenshot(page, "fgd-minutes")
    page.reload()
    expect(page.locator("textarea[name=text]")).to_have_value(
        "Narasumber memaparkan keselarasan draf dengan RPJMN 2020–2024."
    )

    # Answers the input, records what was agreed, closes the meeting.
    page.goto(f"/fgd/{meeting.pk}/")
    page.get_by_role("link", name=re.compile("^Tanggapi")).click()
    page.get_by_label("Diterima", exact=True).check()
    page.get_by_label("Ditindaklanjuti di").fill("Bab IV, isu strategis kesenjangan antarwilayah")
    page.get_by_role("button", name="Simpan tanggapan").click()
    expect(page.locator("#masukan")).to_contain_text("Diterima")
    for text in [
        "Draf Rancangan Teknokratik diterima dengan perbaikan.",
        "Isu strategis disepakati.",
    ]:
        page.get_by_role("link", name="Tambah kesepakatan").first.click()
        page.get_by_label("Kesepakatan").fill(text)
        page.get_by_role("button", name="Tambahkan").click()
    expect(page.locator("#kesepakatan")).to_contain_text("KEDUA")
    page.get_by_role("link", name="Tutup FGD").click()
    expect(page.locator("main")).to_contain_text("Semua masukan sudah ditanggapi.")
    page.get_by_role("button", name="Tutup FGD").click()
    expect(page.locator("#messages")).to_contain_text("FGD ditutup")

    # Fills in the berita acara, marks it signed and downloads it.
    page.get_by_role("link", name="Berita acara", exact=True).click()
    page.get_by_label("Nomor").fill("050/211/Bappeda-P2EPD/IV/2020")
    page.get_by_label("Tempat penandatanganan").fill("Tenggarong")
    page.get_by_label("Mendengar").fill("Paparan narasumber tentang draf Rancangan Teknokratik.")
    page.get_by_role("button", name="Simpan berita acara").click()
    expect(page.locator("#messages")).to_contain_text("Berita acara disimpan")
    page.get_by_role("link", name="Tambah", exact=True).click()
    page.get_by_label("Sebagai").fill("Pimpinan Rapat")
    page.get_by_label("Nama", exact=True).fill("Wiyono")
    page.get_by_label("Jabatan").fill("Kepala Bappeda Kabupaten Kutai Kartanegara")
    page.get_by_role("button", name="Tambahkan").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Tandai sudah ditandatangani").click()
    expect(page.locator("#messages")).to_contain_text("ditandai sudah ditandatangani")
    screenshot(page, "fgd-closed-meeting")

    with page.expect_download() as info:
        page.get_by_role("link", name="Berita acara (PDF, seperti diterbitkan)").click()
    download = info.value
    assert download.suggested_filename.startswith(f"berita-acara-fgd-{meeting.pk}-")
    pdf = Path(download.path()).read_bytes()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "fgd-berita-acara.pdf").write_bytes(pdf)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "BERITA ACARA" in text and "050/211/Bappeda-P2EPD/IV/2020" in text
    assert "Ruang Rapat Bappeda, Tenggarong" in text
    assert "Drs. Sumedi Andono Mulyo, MA, Ph.D" in text
    assert text.index("KESATU") < text.index("KEDUA")
    assert "Ketertinggalan desa hulu Mahakam" in text
    assert "DRAF" not in text
