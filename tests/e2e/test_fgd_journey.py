"""The FGD journey in Chromium: a planner runs an FGD from invitation to signed berita acara,
tables problems for discussion, an OPD user checks in by code on a phone and reads them, the
narasumber records an input about one of them from their account."""

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
    # FGD II of the 2020 process: the dashboard opens the live plan, the 2020 one is linked.
    page.get_by_role("link", name=re.compile("2021–2026$")).click()
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="FGD").click()
    expect(page.locator("h1")).to_have_text("Focus Group Discussion")
    page.get_by_role("link", name="Buat FGD").click()
    page.get_by_label("Tahapan").select_option(label="FGD Draf Rancangan Teknokratik RPJMD")
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

    # Tables problems: everything Dinkes handed in at once, then one Disdikbud problem by hand.
    page.get_by_role("link", name="Pilih permasalahan").click()
    expect(page.locator("h1")).to_have_text("Pilih permasalahan yang dibahas")
    page.wait_for_load_state()  # htmx listens for the filter's changes once the page has loaded
    page.get_by_label("Perangkat daerah").select_option(label="Dinkes")
    page.get_by_role("button", name="Bahas semua (1) dari Dinkes").click()
    expect(page.locator("#messages")).to_contain_text("1 permasalahan ditambahkan")
    page.wait_for_load_state()
    page.get_by_label("Perangkat daerah").select_option(label="Semua perangkat daerah")
    page.get_by_label("Bidang urusan").select_option(label="1.01 Pendidikan")
    expect(page.locator("#candidates")).not_to_contain_text("Puskesmas di kecamatan terpencil")
    page.get_by_label(re.compile("^Anak usia SMP di kecamatan hulu Mahakam")).check()
    screenshot(page, "fgd-tabling")
    page.get_by_role("button", name="Bahas yang dipilih").click()
    expect(page.locator("#messages")).to_contain_text("1 permasalahan ditambahkan")
    school = meeting.tabled_problems.get(problem__agency__short_name="Disdikbud").problem
    assert set(meeting.tabled_problems.values_list("problem__agency__short_name", flat=True)) == {
        "Dinkes",
        "Disdikbud",
    }
    page.get_by_role("link", name=re.compile("^Kembali ke FGD")).click()
    tabled = page.locator("#permasalahan")
    expect(tabled).to_contain_text("1.01 Pendidikan")
    expect(tabled).to_contain_text("Dinas Kesehatan")
    tabled.locator("summary", has_text="Anak usia SMP").click()
    expect(tabled).to_contain_text("Rata-rata lama sekolah (RLS)")
    expect(tabled).to_contain_text("Kekurangan guru ASN di sekolah satu atap")
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
    # Disdikbud reads the problems on the table, Dinkes' included.
    expect(opd.locator("#permasalahan")).to_contain_text("Puskesmas di kecamatan terpencil")
    opd.locator("#permasalahan summary", has_text="Puskesmas").click()
    assert opd.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(opd, "fgd-phone-after-check-in")
    opd_context.close()

    # The narasumber logs in, sees the FGD and records an input.
    rp_context = browser.new_context(base_url=live_server.url, locale="id-ID")
    rp = rp_context.new_page()
    log_in(rp, "sumedi", DEMO_PASSWORD)
    rp.goto(f"/rencana/{meeting.plan_id}/fgd/")
    rp.get_by_role("link", name=TITLE).click()
    expect(rp.locator("#permasalahan")).to_contain_text("Anak usia SMP di kecamatan hulu Mahakam")
    rp.get_by_role("link", name="Catat masukan").click()
    rp.get_by_label("Jenis").select_option(label="Usulan isu strategis")
    rp.get_by_label("Isi masukan").fill(
        "Ketertinggalan desa hulu Mahakam perlu menjadi isu strategis tersendiri."
    )
    rp.get_by_label(f"{school.number} Disdikbud: Anak usia SMP").check()
    screenshot(rp, "fgd-narasumber-input")
    rp.get_by_role("button", name="Simpan masukan").click()
    expect(rp.locator("#masukan")).to_contain_text("Ketertinggalan desa hulu Mahakam")
    expect(rp.locator("#masukan")).to_contain_text("Belum ditanggapi")
    expect(rp.locator("#masukan")).to_contain_text("Permasalahan terkait")
    # The problem's own page lists what was said about it.
    rp.locator("#masukan").get_by_role("link", name=school.number).click()
    expect(rp.locator("#masukan-fgd")).to_contain_text("Ketertinggalan desa hulu Mahakam")
    screenshot(rp, "fgd-problem-inputs")
    rp_context.close()
    item = Input.objects.get(meeting=meeting)
    assert item.resource_person.full_name == "Drs. Sumedi Andono Mulyo, MA, Ph.D"
    assert list(item.problems.all()) == [school]

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
    assert f"Permasalahan terkait: {school.number}" in text
    assert "DRAF" not in text
