"""The drafting journey in Chromium, on the Kutai Kartanegara demo.

An OPD author pastes a table from Excel into their section and saves; a planner who opened the
same section earlier saves on top of the older version and gets a merge; both changes are in the
section; the planner compares versions, restores one, comments on a passage, approves the section
and takes a snapshot.
"""

import base64
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from drafts import editing
from drafts.models import Comment, Image, Section, Snapshot
from rpjmd.demo import DEMO_PASSWORD
from rpjmd.models import User
from tests.drafts.factories import png_bytes
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXCEL = (Path(__file__).parents[1] / "drafts" / "clipboard" / "excel.html").read_text()
EDITOR_FRAME = "iframe.tox-edit-area__iframe"
PNG = base64.b64encode(png_bytes((30, 20))).decode()

PASTE = """(html) => {
  const editor = tinymce.activeEditor;
  editor.focus();
  editor.selection.select(editor.getBody(), true);
  editor.selection.collapse(false);
  const win = editor.getWin();
  const data = new win.DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "Kecamatan\\tSP2010\\tSP2020\\nSamboja\\t54.515\\t66.617");
  editor.getBody().dispatchEvent(
    new win.ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
  );
}"""


@pytest.fixture
def demo():
    call_command("demo", "--quiet")


@pytest.fixture
def second_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        timezone_id="Asia/Makassar",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def wait_for_editor(page):
    # Polled from here: wait_for_function evaluates strings, which a strict CSP forbids.
    for _ in range(100):
        if page.evaluate(
            "() => !!(window.tinymce && tinymce.activeEditor && tinymce.activeEditor.initialized)"
        ):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the editor did not start")


def open_editor(page, section):
    page.goto(f"/bagian/{section.pk}/ubah/")
    expect(page.locator(".tox-tinymce")).to_be_visible()
    wait_for_editor(page)
    return page.frame_locator(EDITOR_FRAME)


def test_two_authors_a_merge_versions_comments_approval_and_a_snapshot(
    page, second_page, demo, screenshot
):
    section = Section.objects.get(
        title="Urusan Wajib Pelayanan Dasar", chapter__document__plan__start_year=2021
    )
    start = section.version
    planner, author = page, second_page

    # The planner opens the section first and keeps it open.
    log_in(planner, "perencana", DEMO_PASSWORD)
    planner_frame = open_editor(planner, section)

    # The Disdikbud author opens it too, and sees that the planner is there.
    log_in(author, "opd.disdikbud", DEMO_PASSWORD)
    author_frame = open_editor(author, section)
    expect(author.locator("#presence")).to_contain_text("Rina Wulandari")
    expect(author.locator("#presence")).to_contain_text("sedang menyunting")

    # Paste a table from a spreadsheet: the table stays, Excel's styles and classes go.
    author.evaluate(PASTE, EXCEL)
    author.get_by_role("button", name="Nanti saja").click()  # the caption offer
    pasted = author_frame.locator("table", has_text="Samboja")
    expect(pasted).to_be_visible()
    # The range's first row became the header row.
    expect(pasted.locator("thead th").first).to_have_text("Kecamatan")
    expect(pasted.locator("tbody td").first).to_have_text("Samboja")
    content = author.evaluate("tinymce.activeEditor.getContent()")
    for junk in ["xl65", "xl66", "mso-", "<col", "style="]:
        assert junk not in content, junk
    author.get_by_label("Catatan versi").fill("Menempel tabel penduduk dari Excel")
    screenshot(author, "drafts-01-author-pasted-table")
    author.get_by_role("button", name="Simpan versi").click()
    expect(author.locator("#messages")).to_contain_text(f"Tersimpan sebagai versi {start + 1}.")
    section.refresh_from_db()
    assert "Samboja" in section.body and "xl65" not in section.body

    # The planner, still on the older version, adds a sentence at the start and saves.
    planner_frame.locator("p").first.click()
    planner.keyboard.press("Control+Home")
    planner.keyboard.type("Menurut Kepala BPS Kutai Kartanegara, ")
    planner.get_by_label("Catatan versi").fill("Menambah sumber data")
    planner.get_by_role("button", name="Simpan versi").click()
    expect(planner.locator("#messages")).to_contain_text("digabungkan dengan perubahan mereka")
    screenshot(planner, "drafts-02-planner-merged")
    section.refresh_from_db()
    merged = section.version
    assert merged == start + 2
    assert "Menurut Kepala BPS Kutai Kartanegara" in section.body and "Samboja" in section.body

    # Compare the author's version with the merged one.
    planner.get_by_role("link", name="Lihat perbedaannya").click()
    diff = planner.locator(".diff")
    expect(diff.locator("ins", has_text="Menurut")).to_be_visible()
    expect(diff).to_contain_text("Samboja")
    screenshot(planner, "drafts-03-compare")

    # Restore the author's version, then the merged one: history only grows.
    planner.goto(f"/bagian/{section.pk}/versi/")
    planner.once("dialog", lambda dialog: dialog.accept())
    planner.get_by_role("button", name=f"Pulihkan versi {start + 1}").click()
    expect(planner.locator("#messages")).to_contain_text(f"Versi {start + 1} dipulihkan")
    section.refresh_from_db()
    assert "Menurut Kepala BPS" not in section.body and "Samboja" in section.body
    planner.goto(f"/bagian/{section.pk}/versi/")
    planner.once("dialog", lambda dialog: dialog.accept())
    planner.get_by_role("button", name=f"Pulihkan versi {merged}").click()
    section.refresh_from_db()
    assert section.version == merged + 2
    assert "Menurut Kepala BPS" in section.body and "Samboja" in section.body
    screenshot(planner, "drafts-04-restored")

    # Comment on a passage selected in the text.
    planner.goto(f"/bagian/{section.pk}/")
    planner.evaluate(
        """() => {
          const text = document.getElementById("section-text");
          const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
          let node;
          while ((node = walker.nextNode()) && !node.nodeValue.includes("harapan lama sekolah")) {}
          const start = node.nodeValue.indexOf("harapan lama sekolah");
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + "harapan lama sekolah".length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          document.dispatchEvent(new Event("selectionchange"));
        }"""
    )
    expect(planner.locator("[data-quote-text]")).to_have_text("harapan lama sekolah")
    planner.get_by_label("Komentar", exact=True).fill(
        "@opd.disdikbud mohon tambahkan angka HLS 2016–2018 sebagai pembanding."
    )
    planner.get_by_role("button", name="Kirim komentar").click()
    thread = planner.locator(".thread", has_text="mohon tambahkan angka HLS")
    expect(thread.locator(".thread__quote")).to_have_text("harapan lama sekolah")
    expect(planner.locator("mark.comment-anchor", has_text="harapan lama sekolah")).to_be_visible()
    comment = Comment.objects.get(body__contains="angka HLS")
    assert (
        comment.quote == "harapan lama sekolah"
        and comment.mentions.get().username == "opd.disdikbud"
    )

    # Approve the section.
    planner.get_by_role("button", name="Setujui bagian ini").click()
    expect(planner.locator(".section-meta")).to_contain_text("Disetujui")
    screenshot(planner, "drafts-05-section-approved")
    section.refresh_from_db()
    assert section.status == Section.Status.APPROVED

    # Freeze the document.
    planner.goto(f"/rencana/{section.chapter.document.plan_id}/dokumen/snapshot/")
    planner.get_by_label("Nama versi beku").fill("Bahan FGD II revisi, 3 April 2020")
    planner.get_by_role("button", name="Bekukan dokumen sekarang").click()
    expect(planner.locator("h1")).to_have_text("Bahan FGD II revisi, 3 April 2020")
    expect(planner.locator("main")).to_contain_text("Menurut Kepala BPS Kutai Kartanegara")
    expect(planner.locator("main")).to_contain_text("Samboja")
    snapshot = Snapshot.objects.get(name="Bahan FGD II revisi, 3 April 2020")
    assert snapshot.entries.get(section=section).version == section.version
    screenshot(planner, "drafts-06-snapshot")


def test_overlapping_edits_are_resolved_side_by_side(page, second_page, demo, screenshot):
    section = Section.objects.get(title="Latar Belakang", chapter__document__plan__start_year=2021)
    planner, author = page, second_page
    log_in(planner, "perencana", DEMO_PASSWORD)
    first = open_editor(planner, section)
    log_in(author, "wiyono", DEMO_PASSWORD)  # a leader may read, not edit
    author.goto(f"/bagian/{section.pk}/ubah/")
    expect(author.locator("h1")).to_contain_text("Akses ditolak")

    # Another planner tab saves a change to the first sentence meanwhile.
    editing.save_section(
        section_id=section.pk,
        body=section.body.replace(
            "dokumen perencanaan daerah", "dokumen perencanaan pembangunan daerah"
        ),
        base_version=section.version,
        by=User.objects.get(username="perencana"),
    )
    first.locator("p").first.click(click_count=3)  # selects the whole first paragraph
    planner.keyboard.type("RPJMD adalah dokumen lima tahunan daerah.")
    planner.get_by_role("button", name="Simpan versi").click()
    expect(planner.locator("h1")).to_contain_text("bertabrakan")
    screenshot(planner, "drafts-07-conflict")
    planner.get_by_label("Pakai teks saya").check()
    planner.get_by_role("button", name="Simpan hasil penggabungan").click()
    expect(planner.locator("#messages")).to_contain_text("Tersimpan sebagai versi")
    section.refresh_from_db()
    assert "RPJMD adalah dokumen lima tahunan daerah." in section.body


def test_unsaved_text_survives_a_closed_tab(page, demo, screenshot):
    section = Section.objects.get(
        title="Fokus Fasilitas Wilayah/Infrastruktur", chapter__document__plan__start_year=2021
    )
    log_in(page, "opd.dpu", DEMO_PASSWORD)
    frame = open_editor(page, section)
    frame.locator("p").first.click()
    page.keyboard.press("Control+Home")
    page.keyboard.type("Teks yang belum disimpan. ")
    expect(page.locator("#autosave-status")).to_contain_text(
        "Salinan kerja tersimpan", timeout=15_000
    )
    page.on("dialog", lambda dialog: dialog.accept())  # "leave without saving?" — yes
    page.goto("/")
    page.goto(f"/bagian/{section.pk}/ubah/")
    expect(page.locator(".notice--copy")).to_contain_text("Ada teks yang belum Anda simpan")
    screenshot(page, "drafts-08-working-copy-offered")
    page.get_by_role("link", name="Pulihkan salinan kerja").click()
    wait_for_editor(page)
    expect(page.frame_locator(EDITOR_FRAME).locator("body")).to_contain_text(
        "Teks yang belum disimpan."
    )
    page.get_by_role("button", name="Simpan versi").click()
    expect(page.locator("#messages")).to_contain_text("Tersimpan sebagai versi")
    section.refresh_from_db()
    assert "Teks yang belum disimpan." in section.body


# The policy the Hardening issue plans (script-src 'self', no inline scripts, no eval), with
# what the editor needs on top: images from data: (TinyMCE's skin) and blob: (a pasted picture
# shown until its upload finishes). No 'unsafe-inline' for styles: TinyMCE 6 sets styles
# through the CSSOM, which the policy allows.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def test_the_editor_works_under_a_strict_content_security_policy(page, demo):
    def add_policy(route):
        if route.request.resource_type == "document":
            response = route.fetch()
            route.fulfill(
                response=response,
                headers=response.headers | {"content-security-policy": STRICT_CSP},
            )
        else:
            route.continue_()

    page.route("**/*", add_policy)
    page.add_init_script(
        "window.__csp = [];"
        "document.addEventListener('securitypolicyviolation', e => "
        "(window.top.__csp || window.__csp).push(e.violatedDirective + ' ' + e.sourceFile));"
    )
    section = Section.objects.get(
        title="Urusan Wajib Pelayanan Dasar", chapter__document__plan__start_year=2021
    )
    log_in(page, "opd.disdikbud", DEMO_PASSWORD)
    frame = open_editor(page, section)
    page.get_by_role("button", name="Tabel dari data aplikasi").click()
    page.get_by_role("button", name="Sisipkan", exact=True).click()
    expect(frame.locator("figure.data-block table").first).to_be_visible()
    page.evaluate(PASTE, EXCEL)
    page.get_by_role("button", name="Nanti saja").click()  # the caption offer
    expect(frame.locator("table", has_text="SP2010")).to_be_visible()
    page.get_by_role("button", name="Catatan kaki").click()
    page.get_by_label("Teks catatan kaki").fill("Sumber: BPS Kutai Kartanegara.")
    page.get_by_role("button", name="Sisipkan", exact=True).click()
    # A picture pasted from another program is uploaded, checked, and referred to by its address.
    page.evaluate(PASTE, f'<p><img src="data:image/png;base64,{PNG}" alt="Peta"></p>')
    expect(frame.locator("img[alt=Peta]")).to_be_visible()
    page.get_by_role("button", name="Simpan versi").click()
    expect(page.locator("#messages")).to_contain_text("Tersimpan sebagai versi")
    violations = page.evaluate("window.__csp")
    # htmx 2 adds its indicator style unless htmx.config.includeIndicatorStyles is false (core).
    assert [v for v in violations if "htmx" not in v] == [], violations
    section.refresh_from_db()
    assert 'data-block="kecamatan"' in section.body and "SP2010" in section.body
    assert '<span class="footnote">Sumber: BPS Kutai Kartanegara.</span>' in section.body
    image = Image.objects.get()
    assert f'<img src="/gambar/{image.uuid}/" alt="Peta">' in section.body
    assert image.uploaded_by.username == "opd.disdikbud" and image.content_type == "image/png"
