"""Word export in Chromium, on the Kutai Kartanegara demo (issue 17).

A planner (perencana) opens the export page from the document, exports the live document as
Word, watches the row that htmx polls until the download link appears, and downloads the DOCX:
read back, it has the chapters as Word headings, the demo's tables with their captions, the
cover and the DRAF mark. The export goes through the real queue (database backend and a worker
thread, as in the PDF journey).
"""

import io

import pytest
from docx import Document as read_word
from playwright.sync_api import expect

from drafts.models import Export
from rpjmd.demo import DEMO_PASSWORD
from rpjmd.models import Plan
from tests.e2e import test_pdf_export as pdf_journey
from tests.e2e.conftest import log_in

# The PDF journey's demo data and queue worker.
demo = pdf_journey.demo
worker = pdf_journey.worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_planner_exports_the_live_document_as_word_and_downloads_it(page, demo, worker):
    plan = Plan.objects.get(start_year=2021)
    log_in(page, "perencana", DEMO_PASSWORD)
    page.goto(f"/rencana/{plan.pk}/dokumen/")
    page.get_by_role("link", name="Ekspor PDF dan Word").click()
    expect(page.get_by_role("heading", name="Ekspor PDF dan Word", level=1)).to_be_visible()
    page.get_by_role("radio", name="Dokumen terkini").check()
    page.get_by_role("button", name="Ekspor ke Word (DOCX)").click()
    expect(page.locator("#messages")).to_contain_text("Ekspor Word dimulai")

    row = page.locator("tr.export-row").first
    expect(row).to_contain_text("Word (DOCX)")
    expect(row.locator("progress").or_(row.get_by_role("link", name="Unduh Word"))).to_be_visible()
    url_before = page.url
    link = row.get_by_role("link", name="Unduh Word")
    expect(link).to_be_visible(timeout=90_000)
    assert page.url == url_before  # the link appeared without a reload
    expect(row.get_by_role("link", name="Unduh PDF")).to_have_count(0)
    worker()  # halt the worker before the download reads the session (see the PDF journey)

    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename.endswith(".docx")
    word = read_word(io.BytesIO(open(info.value.path(), "rb").read()))  # noqa: SIM115
    chapters = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert chapters[0] == "BAB I PENDAHULUAN"
    assert [c.split(" ")[1] for c in chapters if c.startswith("BAB ")] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
    ]
    assert any(c.startswith("LAMPIRAN 1") for c in chapters)
    assert any(p.style.name == "Heading 2" for p in word.paragraphs)
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("Tabel 4.1 Identifikasi Permasalahan Pembangunan") for c in captions)
    assert len(word.tables) > 10
    cover = " ".join(p.text for p in word.paragraphs[:12])
    assert "RANCANGAN TEKNOKRATIK" in cover and "KUTAI KARTANEGARA" in cover
    assert "DRAF" in word.sections[0].header.paragraphs[0].text

    export = Export.objects.get()
    assert export.format == Export.Format.DOCX and export.status == Export.Status.DONE
    assert export.snapshot is None and export.created_by.username == "perencana"
