"""The Word (DOCX) export of the assembled document (issue 17): read back with python-docx, the
file has the chapters as Word heading styles, the tables with their numbered captions, data
blocks as real tables, footnotes, PAGE fields in the footers, the cover, the paper size and the
DRAF mark; the export runs in the background like the PDF, is listed with it and downloaded
through the same permission-checked view."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document as read_word
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from drafts import docx as word_export
from drafts import kinds, tasks
from drafts.models import Document, Export, Section
from drafts.snapshots import approve_snapshot, take_snapshot
from tests.drafts import test_export as pdf_tests
from tests.drafts.factories import make_image

# The PDF export's document and settings serve the Word export's tests too.
filled = pdf_tests.filled
pdf_settings = pdf_tests.pdf_settings
write = pdf_tests.write

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def read(content: bytes):
    return read_word(io.BytesIO(content))


def build(document, **options):
    return read(word_export.build_docx(document, **options).content)


def headings(word) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading ")]


def part_xml(content: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name).decode()


def instructions(element) -> list[str]:
    return [" ".join(node.text.split()) for node in element.iter(qn("w:instrText"))]


def test_chapters_and_sub_bab_are_word_headings_in_order(filled):
    word = build(filled)
    expected = []
    printed = kinds.layout(filled, filled.chapters.all())
    chapters = [
        chapter
        for chapter in filled.chapters.exclude(kind="front").order_by("order")
        if (chapter.kind, chapter.order) in printed
    ]
    assert len(chapters) == 5  # a rancangan teknokratik prints Bab I–IV and the penutup
    for chapter in chapters:
        number, _order = printed[(chapter.kind, chapter.order)]
        expected.append(("Heading 1", f"BAB {number} {chapter.title}"))
        for section in chapter.sections.order_by("order"):
            if section.depth == 1:
                expected.append(("Heading 2", section.title))
            elif section.depth >= 2:
                expected.append(("Heading 3", section.title))
    found = headings(word)
    assert [level for level, _text in found] == [level for level, _text in expected]
    for (level, text), (_level, title) in zip(found, expected, strict=True):
        # Sub-bab carry their number before the title ("2.1 Aspek Geografi").
        assert text == title if level == "Heading 1" else text.endswith(" " + title), text
    assert found[0] == ("Heading 1", "BAB I PENDAHULUAN")
    assert found[1][1].startswith("1.1 ")
    # The text of every section follows its heading.
    body = "\n".join(p.text for p in word.paragraphs)
    for section in Section.objects.filter(chapter__in=chapters):
        assert f"penanda-{section.pk}." in body
    # The front matter's titles are not headings (Word's daftar isi lists the chapters).
    assert "KATA PENGANTAR" not in [text for _level, text in found]


def test_daftar_isi_is_a_word_toc_field_updated_when_the_file_opens(filled):
    content = word_export.build_docx(filled).content
    word = read(content)
    fields = instructions(word.element.body)
    assert 'TOC \\o "1-3" \\h \\z \\u' in fields
    assert 'TOC \\h \\z \\c "Tabel"' in fields and 'TOC \\h \\z \\c "Gambar"' in fields
    settings = part_xml(content, "word/settings.xml")
    assert '<w:updateFields w:val="true"/>' in settings
    # Until Word updates it, the field shows the entries known now, in the TOC styles.
    entries = [p.text for p in word.paragraphs if p.style.name == "toc 1"]
    assert "BAB I PENDAHULUAN" in entries and "BAB V PENUTUP" in entries


def test_tables_have_word_captions_with_their_numbers(filled):
    content = word_export.build_docx(filled).content
    word = read(content)
    captions = []
    for table in word.tables:
        before = table._tbl.getprevious()
        assert before.tag == qn("w:p"), "every table has its caption above it"
        style = before.find(qn("w:pPr") + "/" + qn("w:pStyle")).get(qn("w:val"))
        assert style == word.styles["Caption"].style_id
        text = "".join(t.text for t in before.iter(qn("w:t")))
        captions.append(text)
        assert any(i.startswith("SEQ Tabel") for i in instructions(before)), text
    assert len(captions) == len(word.tables) > 5
    # Bab II's tables count 2.1, 2.2...; Bab IV's 4.1 and 4.2, as in the PDF.
    chapter_two = [c for c in captions if c.startswith("Tabel 2.")]
    assert chapter_two[0].startswith("Tabel 2.1 Tabel uji ")
    assert [c.split(" ")[1] for c in chapter_two] == [
        f"2.{n}" for n in range(1, len(chapter_two) + 1)
    ]
    assert "Tabel 4.1 Tabel permasalahan A" in captions
    assert "Tabel 4.2 Tabel permasalahan B" in captions
    # The numbering restarts per chapter in Word too: the first SEQ of a chapter resets it.
    first = word.tables[captions.index("Tabel 4.1 Tabel permasalahan A")]._tbl.getprevious()
    assert "SEQ Tabel \\* ARABIC \\r 1" in instructions(first)
    second = word.tables[captions.index("Tabel 4.2 Tabel permasalahan B")]._tbl.getprevious()
    assert "SEQ Tabel \\* ARABIC" in instructions(second)
    # Header rows repeat on every page; cells keep their text.
    uji = word.tables[captions.index(chapter_two[0])]
    assert uji._tbl.tr_lst[0].find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None
    assert [c.text for c in uji.rows[0].cells] == ["Uraian", "Nilai"]
    assert [c.text for c in uji.rows[2].cells] == ["Baris 1", "10"]


def test_data_blocks_are_real_tables_and_footnotes_are_word_footnotes(world, filled):
    section = Section.objects.get(chapter__document=filled, chapter__order=2, order=1)
    write(
        section,
        '<p>Perangkat daerah<span class="footnote">Sumber: Perda 9/2016.</span> berikut.</p>'
        '<figure class="data-block" data-block="perangkat-daerah"></figure>'
        '<table><caption>Tabel gabungan</caption><tr><th colspan="2">Kepala</th></tr>'
        "<tr><td>a</td><td>b</td></tr></table>",
        world.planner,
    )
    content = word_export.build_docx(filled).content
    word = read(content)
    block = next(
        t for t in word.tables if t.rows[0].cells[1].text == "Perangkat daerah"
    )  # the block's header row: No., Perangkat daerah, Singkatan, Bidang urusan
    names = {row.cells[1].text for row in block.rows[1:]}
    assert world.agency_a.name in names and world.agency_b.name in names
    caption = block._tbl.getprevious()
    caption_text = "".join(t.text for t in caption.iter(qn("w:t")))
    assert caption_text.startswith("Tabel 2.1 Perangkat Daerah dan Bidang Urusan")
    # A merged header cell stays one cell over two columns.
    merged = next(t for t in word.tables if t.rows[0].cells[0].text == "Kepala")
    assert merged.rows[0].cells[0]._tc.grid_span == 2
    # The footnote: a reference in the text, its words in the footnotes part.
    paragraph = next(p for p in word.paragraphs if p.text.startswith("Perangkat daerah"))
    assert paragraph._p.find(".//" + qn("w:footnoteReference")) is not None
    assert "Sumber: Perda 9/2016." not in paragraph.text
    footnotes = part_xml(content, "word/footnotes.xml")
    assert "Sumber: Perda 9/2016." in footnotes
    assert 'w:footnote w:id="1"' in footnotes


def test_cover_footer_page_numbers_and_draft_mark(world, filled):
    word = build(filled)
    cover = [p.text for p in word.paragraphs[:12]]
    assert "RANCANGAN TEKNOKRATIK" in cover
    assert any("KABUPATEN KUTAI KARTANEGARA" in text for text in cover)
    assert "APRIL 2020" in cover  # the document's cover date setting
    assert word.inline_shapes[0].width == pytest.approx(int(word_export.Cm(3.6)), rel=0.01)
    front, first_chapter = word.sections[0], word.sections[1]
    # The cover has no number; the front matter counts in roman; each chapter from 1 with
    # its number before ("I-3"), as the document's settings say.
    assert front.different_first_page_header_footer
    assert "PAGE" in instructions(front.footer._element)
    assert not instructions(front.first_page_footer._element)
    numbering = front._sectPr.find(qn("w:pgNumType"))
    assert numbering.get(qn("w:fmt")) == "lowerRoman"
    assert first_chapter.footer.paragraphs[0].text.startswith("I-")
    assert "PAGE" in instructions(first_chapter.footer._element)
    assert first_chapter._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    chapter_two = next(
        s
        for s in word.sections
        if s.footer.paragraphs and s.footer.paragraphs[0].text.startswith("II-")
    )
    assert chapter_two.footer.part is not first_chapter.footer.part
    # A draft carries DRAF and the export time in the header of every page.
    for section in word.sections:
        assert "DRAF" in section.header.paragraphs[0].text
        assert "Diekspor" in section.header.paragraphs[0].text
    assert "DRAF" in front.first_page_header.paragraphs[0].text
    # The approved final has none; its cover names the snapshot.
    snapshot = take_snapshot(document=filled, name="Final", by=world.planner)
    approve_snapshot(snapshot=snapshot, by=world.leader)
    final = build(filled, snapshot=snapshot, final=True)
    for section in final.sections:
        assert "DRAF" not in "".join(p.text for p in section.header.paragraphs)
    assert "Final" in [p.text for p in final.paragraphs[:12]]


def test_paper_size_wide_tables_and_continuous_numbering(filled):
    filled.paper = "f4"
    filled.page_numbering = Document.Numbering.CONTINUOUS
    filled.save()
    word = build(filled)
    portrait = [s for s in word.sections if s.orientation == WD_ORIENT.PORTRAIT]
    assert all(round(s.page_width.mm) == 215 and round(s.page_height.mm) == 330 for s in portrait)
    # The wide table of Bab III is on a turned page; the text goes on upright after it.
    turned = [s for s in word.sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert len(turned) == 1
    assert round(turned[0].page_width.mm) == 330 and round(turned[0].page_height.mm) == 215
    wide = next(t for t in word.tables if t.rows[0].cells[0].text == "Uraian kolom 1")
    assert len(wide.columns) == 11
    # Continuous numbering: no chapter prefix, and only Bab I restarts at 1.
    starts = [
        s._sectPr.find(qn("w:pgNumType")).get(qn("w:start"))
        for s in word.sections[1:]
        if s._sectPr.find(qn("w:pgNumType")) is not None
    ]
    assert starts[0] == "1" and set(starts[1:]) <= {None}
    assert all(s.footer.paragraphs[0].text.isdigit() for s in word.sections)


def test_snapshot_export_is_the_frozen_text(world, filled):
    section = Section.objects.get(chapter__document=filled, chapter__order=1, order=1)
    snapshot = take_snapshot(document=filled, name="Bahan FGD", by=world.planner)
    write(section, "<p>Teks sesudah snapshot.</p>", world.planner)
    frozen = "\n".join(p.text for p in build(filled, snapshot=snapshot).paragraphs)
    assert f"penanda-{section.pk}." in frozen and "sesudah snapshot" not in frozen
    assert "Bahan FGD" in frozen
    live = "\n".join(p.text for p in build(filled).paragraphs)
    assert "Teks sesudah snapshot." in live
    # The snapshot keeps the paper it froze when the document moves to F4.
    filled.paper = Document.Paper.F4
    filled.save()
    widths = {round(s.page_width.mm) for s in build(filled, snapshot=snapshot).sections}
    assert widths <= {210, 297}
    assert 215 in {round(s.page_width.mm) for s in build(filled).sections}


def test_the_export_runs_in_the_background_is_listed_and_downloaded(world, filled, client_for):
    client = client_for("planner")
    url = f"/rencana/{world.plan.pk}/dokumen/ekspor/"
    response = client.post(url, {"source": "live", "format": "docx"})
    assert response.status_code == 302
    item = Export.objects.get()
    assert item.status == Export.Status.DONE, item.failure
    assert item.format == "docx" and item.pages is None and item.size > 10_000
    assert item.file.name.endswith(".docx") and item.filename.endswith(".docx")
    pdf = tasks.start_export(document=filled, snapshot=None, by=world.planner)
    assert pdf.format == "pdf" and pdf.status == Export.Status.DONE
    page = client.get(url).content.decode()
    assert "Word (DOCX)" in page and "Unduh Word" in page and "Unduh PDF" in page
    assert f"/ekspor/{item.pk}/unduh/" in page and f"/ekspor/{pdf.pk}/unduh/" in page
    row = client.get(f"{url}{item.pk}/kemajuan/").content.decode()
    assert "Unduh Word" in row and "hx-trigger" not in row
    download = client.get(f"{url}{item.pk}/unduh/")
    assert download["Content-Type"] == DOCX_TYPE
    assert download["Content-Disposition"].startswith("attachment;")
    assert ".docx" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    content = b"".join(download.streaming_content)
    assert headings(read(content))[0] == ("Heading 1", "BAB I PENDAHULUAN")
    # "Unduh PDF terbaru" stays a PDF, even with a newer Word file.
    item.created_at = pdf.created_at + dt.timedelta(minutes=1)
    item.save()
    latest = client.get(f"{url}terbaru/")
    assert latest["Content-Type"] == "application/pdf"


def test_an_unknown_format_is_refused_in_words(world, filled, client_for):
    client = client_for("planner")
    url = f"/rencana/{world.plan.pk}/dokumen/ekspor/"
    response = client.post(url, {"source": "live", "format": "xls"}, follow=True)
    assert "Format ekspor tidak dikenal" in response.content.decode()
    assert not Export.objects.exists()


def test_who_downloads_a_word_export(world, filled, client_for):
    item = tasks.start_export(
        document=filled, snapshot=None, by=world.planner, format=Export.Format.DOCX
    )
    assert item.status == Export.Status.DONE, item.failure
    url = f"/rencana/{world.plan.pk}/dokumen/ekspor/{item.pk}/unduh/"
    for role, status in [
        ("planner", 200),
        ("leader", 200),
        ("admin", 200),
        ("opd", 403),  # OPD staff only when a planner allows exports, and then their own
        ("other_planner", 404),  # a planner of another region
    ]:
        assert client_for(role).get(url).status_code == status, role
    filled.opd_may_export = True
    filled.save()
    assert client_for("opd").get(url).status_code == 404  # not theirs
    client = client_for("opd")
    secret = Section.objects.get(chapter__document=filled, chapter__order=2, order=1)
    mine = Section.objects.get(chapter__document=filled, chapter__order=2, order=2)
    mine.assigned_agency = world.agency_a
    mine.save()
    client.post(f"/rencana/{world.plan.pk}/dokumen/ekspor/", {"format": "docx"})
    own = Export.objects.filter(created_by=world.staff_a).get()
    content = b"".join(
        client.get(f"/rencana/{world.plan.pk}/dokumen/ekspor/{own.pk}/unduh/").streaming_content
    )
    text = "\n".join(p.text for p in read(content).paragraphs)
    assert f"penanda-{mine.pk}." in text and f"penanda-{secret.pk}." not in text
    assert client_for("opd_b").get(
        f"/rencana/{world.plan.pk}/dokumen/ekspor/{own.pk}/unduh/"
    ).status_code in (403, 404)


def test_a_failed_word_export_says_why_and_keeps_the_document(world, filled, monkeypatch):
    versions = list(Section.history.values_list("history_id", flat=True))

    def broken(*args, **kwargs):
        raise RuntimeError("writer crashed")

    monkeypatch.setattr(tasks, "build_docx", broken)
    bad = tasks.start_export(document=filled, snapshot=None, by=world.planner, format="docx")
    assert bad.status == Export.Status.FAILED
    assert "kesalahan saat membuat berkas Word" in bad.failure
    assert not bad.file
    assert list(Section.history.values_list("history_id", flat=True)) == versions


def test_pictures_lists_links_and_hostile_text(world, filled):
    section = Section.objects.get(chapter__document=filled, chapter__order=1, order=1)
    write(
        section,
        "<ol><li>satu</li><li>dua <strong>tebal</strong></li></ol>"
        "<ol><li>lagi satu</li></ol>"
        '<p>Lihat <a href="https://bps.go.id/">BPS</a> dan &lt;script&gt;alert(1)&lt;/script&gt;'
        "</p>",
        world.planner,
    )
    content = word_export.build_docx(filled).content
    word = read(content)
    items = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in items[:3]] == ["satu", "dua tebal", "lagi satu"]
    assert items[1].runs[-1].bold
    # The second list counts from 1 again: its own numbering instance.
    number_ids = [p._p.pPr.numPr.numId.val for p in items[:3]]
    assert number_ids[0] == number_ids[1] != number_ids[2]
    paragraph = next(p for p in word.paragraphs if p.text.startswith("Lihat"))
    assert paragraph.text == "Lihat BPS dan <script>alert(1)</script>"
    link = paragraph._p.find(qn("w:hyperlink"))
    assert word.part.rels[link.get(qn("r:id"))].target_ref == "https://bps.go.id/"


def test_pictures_with_their_captions_and_nothing_fetched(world, filled):
    picture = make_image(filled, world.planner)
    section = Section.objects.get(chapter__document=filled, chapter__order=2, order=1)
    write(
        section,
        f'<figure class="image"><img src="/gambar/{picture.uuid}/" alt="Peta">'
        "<figcaption>Peta wilayah</figcaption></figure>"
        '<figure class="image"><img src="/gambar/0f8c2b1a-1234-4abc-9def-0123456789ab/" '
        'alt="Hilang"><figcaption>Gambar yang tidak ada</figcaption></figure>',
        world.planner,
    )
    content = word_export.build_docx(filled).content
    word = read(content)
    # The logo on the cover and the one picture of this document; the unknown one is left out.
    assert len(word.inline_shapes) == 2
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert "Gambar 2.1 Peta wilayah" in captions
    caption = next(
        p
        for p in word.paragraphs
        if p.style.name == "Caption" and p.text == "Gambar 2.1 Peta wilayah"
    )
    assert any(i.startswith("SEQ Gambar") for i in instructions(caption._p))
    picture_paragraph = caption._p.getprevious()
    assert picture_paragraph.find(".//" + qn("w:drawing")) is not None
    # Listed in the daftar gambar, and no relationship points outside the file.
    listed = [p.text for p in word.paragraphs if p.style.name == "table of figures"]
    assert "Gambar 2.1 Peta wilayah" in listed
    assert all(not rel.is_external for rel in word.part.rels.values())
