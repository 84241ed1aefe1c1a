"""The section editor's rough edges, in Chromium on the Kutai Kartanegara demo."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from drafts.html import captions_of
from drafts.models import Section, WorkingCopy
from rpjmd.demo import DEMO_PASSWORD
from tests.e2e.conftest import log_in
from tests.e2e.test_drafts_journey import EXCEL, PASTE, open_editor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("demo", "--quiet")


def leave(page) -> list[str]:
    """Go to the dashboard; answer any "leave site?" question with yes and say which came."""
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.goto("/")
    page.remove_listener("dialog", answer)
    return asked


def test_opening_the_editor_changes_nothing_until_the_author_types(page, demo):
    section = Section.objects.get(
        title="Fokus Fasilitas Wilayah/Infrastruktur", chapter__document__plan__start_year=2021
    )
    log_in(page, "opd.dpu", DEMO_PASSWORD)
    frame = open_editor(page, section)
    # Clicking into the text focuses the editor (and gives the page the user activation a
    # browser needs before it may ask "leave site?").
    frame.locator("p").first.click()
    page.keyboard.press("End")
    page.wait_for_timeout(6_500)  # longer than one autosave round and the browser copy's delay
    assert leave(page) == []
    assert not WorkingCopy.objects.filter(section=section).exists()

    open_editor(page, section)
    expect(page.locator(".notice--copy")).to_have_count(0)
    expect(page.locator("[data-local-offer]")).to_be_hidden()

    # A real edit does count.
    frame = page.frame_locator("iframe.tox-edit-area__iframe")
    frame.locator("p").first.click()
    page.keyboard.type("Kata baru. ")
    assert leave(page) == ["beforeunload"]


def test_in_english_the_editor_speaks_english(page, demo, screenshot):
    section = Section.objects.get(
        title="Fokus Fasilitas Wilayah/Infrastruktur", chapter__document__plan__start_year=2021
    )
    log_in(page, "opd.dpu", DEMO_PASSWORD)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_editor(page, section)
    header = page.locator(".tox-editor-header")
    labels = header.locator("[aria-label]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    words = " | ".join(labels + header.locator("button").all_inner_texts())
    screenshot(page, "editor-english")
    # TinyMCE's own buttons and the document's buttons alike.
    for english in ["Bold", "Insert", "Paragraph", "Footnote", "Data block", "Cross-reference"]:
        assert english in words, english
    for indonesian in ["Tebal", "Sisipkan", "Paragraf", "Catatan kaki", "Blok data", "Rujukan"]:
        assert indonesian not in words, indonesian
    page.get_by_role("button", name="Footnote").click()
    expect(page.get_by_label("Footnote text")).to_be_visible()
    expect(page.locator(".tox-dialog")).to_contain_text("numbered automatically")


def test_a_pasted_table_is_offered_a_caption_that_numbers_it(page, demo, screenshot):
    section = Section.objects.get(
        title="Urusan Wajib Pelayanan Dasar", chapter__document__plan__start_year=2021
    )
    log_in(page, "opd.disdikbud", DEMO_PASSWORD)
    frame = open_editor(page, section)
    page.evaluate(PASTE, EXCEL)
    dialog = page.get_by_role("dialog", name="Beri judul tabel yang ditempel")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Judul tabel").fill("Penduduk per kecamatan, SP2010 dan SP2020")
    screenshot(page, "editor-paste-caption-offer")
    dialog.get_by_role("button", name="Tambahkan judul").click()
    pasted = frame.locator("table", has_text="Samboja")
    expect(pasted.locator("caption")).to_have_text("Penduduk per kecamatan, SP2010 dan SP2020")
    page.get_by_role("button", name="Simpan versi").click()
    expect(page.locator("#messages")).to_contain_text("Tersimpan sebagai versi")
    section.refresh_from_db()
    captions = [c["caption"] for c in captions_of(section.body)]
    assert "Penduduk per kecamatan, SP2010 dan SP2020" in captions
    # The reading view numbers it like every captioned table of the chapter.
    page.goto(f"/bagian/{section.pk}/")
    caption = page.locator("#section-text caption", has_text="Penduduk per kecamatan")
    expect(caption).to_contain_text(re.compile(r"Tabel \d+\.\d+"))


def test_a_pasted_table_may_stay_without_a_caption(page, demo):
    section = Section.objects.get(
        title="Urusan Wajib Pelayanan Dasar", chapter__document__plan__start_year=2021
    )
    log_in(page, "opd.disdikbud", DEMO_PASSWORD)
    frame = open_editor(page, section)
    page.evaluate(PASTE, EXCEL)
    page.get_by_role("button", name="Nanti saja").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(frame.locator("table", has_text="Samboja").locator("caption")).to_have_count(0)
