"""Issue 12 part G: the document prints what its kind is (a rancangan teknokratik: Bab I–IV,
the penutup and the chosen lampiran), the kelengkapan check before an export, and the print
settings (cover month, paper, the DRAF mark)."""

from __future__ import annotations

import datetime as dt
import io
import re

import lxml.html
import pytest
from pypdf import PdfReader

from drafts import completeness, editing, export, tasks
from drafts.models import Document, Export, Section, Snapshot, Waiver
from drafts.outline import create_document
from drafts.snapshots import take_snapshot
from rpjmd.models import District
from tests.fgd.factories import invite, make_input, make_meeting, make_record

SOURCE = "<p>Sumber: BPS Kabupaten Kutai Kartanegara</p>"
MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture(autouse=True)
def pdf_settings(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path / "cache"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PDF_EXPORT_WORKERS = 0
    settings.PDF_EXPORT_LOWER_WORKER_PRIORITY = False
    return settings


def write(section: Section, body: str, by) -> None:
    section.refresh_from_db()
    editing.save_section(section_id=section.pk, body=body, base_version=section.version, by=by)


@pytest.fixture
def complete(world):
    """A rancangan teknokratik with every section written, dates set, tables with sources:
    nothing for the kelengkapan check to find. Bab V–VIII hold text too (never printed)."""
    document = create_document(plan=world.plan, by=world.planner)
    document.cover_date = dt.date(2020, 4, 1)
    document.reference_date = dt.date(2020, 3, 31)
    document.save()
    for section in Section.objects.filter(chapter__document=document).select_related("chapter"):
        body = f"<p>Isi {section.title} penanda-{section.chapter.number}-{section.pk}.</p>"
        write(section, body, world.planner)
    return document


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "").replace("-\n", "-"))


def toc_lines(pages: list[str]) -> list[str]:
    start = next(i for i, text in enumerate(pages) if "DAFTAR ISI" in text)
    end = next(i for i, text in enumerate(pages) if "DAFTAR TABEL" in text)
    return "\n".join(pages[start:end]).splitlines()


def test_a_teknokratik_prints_bab_i_to_iv_the_penutup_and_its_lampiran_and_lists_only_those(
    world, complete
):
    meeting = make_meeting(world.plan, title="FGD Uji Lampiran")
    invite(meeting, world.agency_a)
    make_input(meeting, text="Masukan penanda-masukan tentang data kemiskinan.")
    make_record(meeting)
    complete.appendices = [f"fgd:{meeting.pk}:berita-acara", f"fgd:{meeting.pk}:masukan"]
    complete.save()

    reader = read(export.build_pdf(complete).pdf)
    pages = [page.extract_text() for page in reader.pages]
    labels = reader.page_labels
    text = flat(" ".join(pages))
    # Bab I–IV, then the penutup (stored as Bab IX) printed as Bab V; Bab V–VIII are not.
    assert "BAB V PENUTUP" in flat(" ".join(toc_lines(pages)))
    assert "VISI, MISI" not in text and "penanda-V-" not in text and "penanda-VIII-" not in text
    assert "penanda-IV-" in text and "penanda-IX-" in text
    assert not any(label.startswith(("VI-", "IX-")) for label in labels)
    # The daftar isi promises exactly what is printed, with the right pages.
    entries = {}
    for line in toc_lines(pages):
        match = re.match(r"^(BAB [IVX]+ .+?|LAMPIRAN \d+ .+?)\s+([IVXL\d]+-\d+)$", line)
        if match:
            entries[match.group(1)] = match.group(2)
    assert [e.split()[1] for e in entries if e.startswith("BAB")] == ["I", "II", "III", "IV", "V"]
    assert entries["BAB V PENUTUP"] == "V-1"
    assert "PENUTUP" in pages[labels.index("V-1")]
    lampiran = [e for e in entries if e.startswith("LAMPIRAN")]
    assert len(lampiran) == 2 and entries[lampiran[0]] == "L1-1" and entries[lampiran[1]] == "L2-1"
    first = flat(pages[labels.index("L1-1")])
    assert "LAMPIRAN 1" in first and "BERITA ACARA" in first.upper()
    assert "penanda-masukan" in flat(" ".join(pages[labels.index("L2-1") :]))
    # Lampiran come after the last chapter; the outline (bookmarks) matches.
    assert labels.index("L1-1") > labels.index("V-1")
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert not any("VISI" in title for title in titles)

    # The same document as the rancangan awal prints the whole outline, Bab I–IX.
    complete.kind = Document.Kind.INITIAL
    complete.appendices = []
    complete.save()
    reader = read(export.build_pdf(complete).pdf)
    pages = [page.extract_text() for page in reader.pages]
    assert "BAB IX PENUTUP" in flat(" ".join(toc_lines(pages)))
    assert "VISI, MISI" in flat(" ".join(pages))


def test_cover_month_f4_paper_and_the_draf_mark(world, complete):
    complete.paper = Document.Paper.F4
    complete.cover_date = dt.date(2020, 4, 1)
    complete.save()
    wide = Section.objects.get(chapter__document=complete, chapter__order=3, order=1)
    cells = "".join(f"<td>Realisasi pendapatan asli daerah {n}</td>" for n in range(9))
    write(wide, f"<table><tbody><tr>{cells}</tr></tbody></table>{SOURCE}", world.planner)
    reader = read(export.build_pdf(complete, when=dt.datetime(2026, 12, 7, tzinfo=dt.UTC)).pdf)
    cover = reader.pages[0].extract_text()
    assert "APRIL 2020" in cover and "DESEMBER 2026" not in cover
    sizes = {
        (round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM))
        for p in reader.pages
    }
    assert sizes == {(215, 330), (330, 215)}
    assert all("DRAF" in page.extract_text() for page in reader.pages)
    assert not any("DRAFT" in page.extract_text() for page in reader.pages)


def test_the_kelengkapan_page_lists_an_empty_required_section_until_it_is_filled(
    world, complete, client_for
):
    empty = Section.objects.get(chapter__document=complete, chapter__order=1, order=2)
    write(empty, "", world.planner)
    reader = read(export.build_pdf(complete).pdf)
    last = flat(reader.pages[-1].extract_text())
    assert "CATATAN KELENGKAPAN" in last and "1.2 Dasar Hukum Penyusunan" in last
    assert reader.page_labels[-1] == "K-1"
    toc = flat(" ".join(toc_lines([p.extract_text() for p in reader.pages])))
    assert "KELENGKAPAN" not in toc
    page = client_for("planner").get(f"/rencana/{world.plan.pk}/dokumen/kelengkapan/")
    assert page.status_code == 200 and "1.2 Dasar Hukum Penyusunan" in page.text
    # A section of Bab V–VIII is not required in a rancangan teknokratik.
    hidden = Section.objects.get(chapter__document=complete, chapter__order=5, order=1)
    write(hidden, "", world.planner)
    assert [f.key for f in completeness.check_document(complete)] == [f"kosong:{empty.pk}"]

    write(empty, "<p>Undang-Undang Nomor 23 Tahun 2014.</p>", world.planner)
    reader = read(export.build_pdf(complete).pdf)
    assert "CATATAN KELENGKAPAN" not in reader.pages[-1].extract_text()
    assert reader.page_labels[-1] == "V-1"


def test_a_final_snapshot_is_refused_with_findings_and_accepted_after_a_waiver(
    world, complete, client_for
):
    empty = Section.objects.get(chapter__document=complete, chapter__order=4, order=2)
    write(empty, "", world.planner)
    snapshot = take_snapshot(document=complete, name="Final — disampaikan", by=world.planner)
    leader, planner = client_for("leader"), client_for("planner")
    response = leader.post(f"/snapshot/{snapshot.pk}/setujui/", {"final": "1"}, follow=True)
    snapshot.refresh_from_db()
    assert not snapshot.is_final
    assert "belum dapat disetujui" in response.text and "4.2 Isu Strategis" in response.text
    url = f"/rencana/{world.plan.pk}/dokumen/kelengkapan/?snapshot={snapshot.pk}"
    key = f"kosong:{empty.pk}"
    # No reason, no waiver; leaders do not waive.
    planner.post(url, {"action": "waive", "key": key, "reason": "  "})
    assert leader.post(url, {"action": "waive", "key": key, "reason": "x"}).status_code == 403
    assert not Waiver.objects.exists()
    assert "Tuliskan alasan" in planner.get(url).text or not Waiver.objects.exists()
    # A finding the document does not have cannot be waived.
    planner.post(url, {"action": "waive", "key": "kosong:999999", "reason": "Salah ketik"})
    assert not Waiver.objects.exists()
    reason = "Isu strategis ditetapkan setelah FGD II; disepakati pimpinan."
    planner.post(url, {"action": "waive", "key": key, "reason": reason})
    waiver = Waiver.objects.get()
    assert waiver.created_by == world.planner and waiver.reason == reason
    page = leader.get(url).text
    assert reason in page and "Dikecualikan" in page and str(world.planner) in page
    leader.post(f"/snapshot/{snapshot.pk}/setujui/", {"final": "1"})
    snapshot.refresh_from_db()
    assert snapshot.is_final and snapshot.approved_by == world.leader
    # The waived finding is still listed, with its reason, on a draft export's last page.
    reader = read(export.build_pdf(complete).pdf)
    assert reason[:30] in flat(reader.pages[-1].extract_text())
    # Withdrawing the waiver makes the final export refuse to run.
    planner.post(url, {"action": "withdraw", "key": key})
    assert not Waiver.objects.exists()
    item = tasks.start_export(document=complete, snapshot=snapshot, by=world.leader)
    assert item.status == Export.Status.FAILED and "temuan kelengkapan" in item.failure


def test_data_blocks_without_rows_late_years_and_tables_without_a_source_are_found(world, complete):
    section = Section.objects.get(chapter__document=complete, chapter__order=2, order=1)
    write(
        section,
        '<figure class="data-block" data-block="kecamatan"></figure>'
        "<table><caption>Penduduk</caption><thead><tr><th>Uraian</th><th>2019</th>"
        "<th>2021</th></tr></thead><tbody><tr><td>Jiwa</td><td>1</td><td>2</td></tr></tbody>"
        "</table>",
        world.planner,
    )
    messages = [f.message for f in completeness.check_document(complete)]
    assert any("tidak berisi baris data" in m for m in messages), messages
    assert any("memuat tahun 2021" in m for m in messages), messages
    assert any("tidak diberi baris sumber" in m and "Penduduk" in m for m in messages)
    assert not any("2019" in m for m in messages)
    # Rows in the block and a source line under the table: only the late year stays.
    District.objects.create(region=world.region, name="Tenggarong")
    section.refresh_from_db()
    write(section, section.body.replace("</table>", f"</table>{SOURCE}"), world.planner)
    findings = completeness.check_document(complete)
    assert [f.message for f in findings if "2021" not in f.message] == []


def test_the_daftar_tabel_prints_a_data_blocks_own_caption(world, complete):
    District.objects.create(region=world.region, name="Tenggarong")
    section = Section.objects.get(chapter__document=complete, chapter__order=2, order=1)
    write(section, '<figure class="data-block" data-block="kecamatan"></figure>', world.planner)
    reader = read(export.build_pdf(complete).pdf)
    pages = [page.extract_text() for page in reader.pages]
    listing = flat(next(text for text in pages if "DAFTAR TABEL" in text))
    caption = f"Kecamatan di {world.region.full_name}"
    assert f"Tabel 2.1 {caption}" in listing
    assert "Daftar kecamatan" not in listing  # the block's name in the editor's menu


def test_landscape_is_chosen_by_the_estimated_width_not_the_column_count():
    def table(cells: list[str]) -> lxml.html.HtmlElement:
        row = "".join(f"<td>{c}</td>" for c in cells)
        return lxml.html.fragment_fromstring(f"<table><tr>{row}</tr></table>")

    assert not export.is_wide(table([str(n) for n in range(14)]))
    assert export.is_wide(table([f"Pendapatan asli daerah {n}" for n in range(8)]))
    assert not export.is_wide(table(["Uraian panjang " * 20, "2019", "2020"]))


def test_planners_choose_the_kind_paper_dates_and_lampiran_on_the_settings_page(
    world, complete, client_for
):
    meeting = make_meeting(world.plan)
    url = f"/rencana/{world.plan.pk}/dokumen/pengaturan/"
    client = client_for("planner")
    page = client.get(url).text
    assert "Rancangan Awal" in page and "F4" in page and f"fgd:{meeting.pk}:masukan" in page
    base = {
        "kind": "akhir",
        "include_closing": "on",
        "paper": "f4",
        "page_numbering": "per_chapter",
        "cover_date": "2020-04-17",
        "reference_date": "2020-03-31",
        "appendices": [f"fgd:{meeting.pk}:masukan", "isu:matriks"],
        "seen_version": complete.version,  # the stale-form check (issue 13)
    }
    bad = client.post(url, base | {"appendices": ["fgd:999:masukan"], "paper": "a3"})
    assert bad.status_code == 200
    complete.refresh_from_db()
    assert complete.kind == "teknokratik" and complete.paper == "a4" and complete.appendices == []
    assert client.post(url, base).status_code == 302
    complete.refresh_from_db()
    assert complete.kind == "akhir" and complete.paper == "f4"
    assert complete.cover_date == dt.date(2020, 4, 1)  # the month is what prints
    assert complete.appendices == [f"fgd:{meeting.pk}:masukan", "isu:matriks"]
    outline = client.get(f"/rencana/{world.plan.pk}/dokumen/").text
    assert "Tidak dicetak" not in outline
    complete.kind = "teknokratik"
    complete.save()
    outline = client.get(f"/rencana/{world.plan.pk}/dokumen/").text
    assert outline.count("Tidak dicetak") == 4  # Bab V–VIII, kept but not printed
    assert "Dicetak sebagai BAB V" in outline
    assert Snapshot.objects.count() == 0


def test_a_snapshot_prints_with_the_kind_paper_and_cover_month_it_froze(
    world, complete, client_for
):
    """The rancangan teknokratik handed over stays one: switching the live document to the
    rancangan awal on F4 later changes neither the snapshot's chapters nor its paper."""
    snapshot = take_snapshot(document=complete, name="Diserahkan April 2020", by=world.planner)
    complete.kind = Document.Kind.INITIAL
    complete.paper = Document.Paper.F4
    complete.cover_date = dt.date(2020, 9, 1)
    complete.save()

    reader = read(export.build_pdf(complete, snapshot=snapshot).pdf)
    pages = [page.extract_text() for page in reader.pages]
    assert "BAB V PENUTUP" in flat(" ".join(toc_lines(pages)))
    assert "VISI, MISI" not in flat(" ".join(pages))
    assert "APRIL 2020" in pages[0] and "SEPTEMBER 2020" not in pages[0]
    sizes = {round(float(p.mediabox.width) / MM) for p in reader.pages}
    assert sizes <= {210, 297}  # A4, portrait or landscape

    # The live document prints what it is now.
    reader = read(export.build_pdf(complete).pdf)
    pages = [page.extract_text() for page in reader.pages]
    assert "BAB IX PENUTUP" in flat(" ".join(toc_lines(pages)))
    assert "SEPTEMBER 2020" in pages[0]
    snapshot.refresh_from_db()
    assert snapshot.print_settings["kind"] == Document.Kind.TECHNOCRATIC
    with pytest.raises(TypeError):
        snapshot.printed_document.save()
    complete.refresh_from_db()
    assert complete.kind == Document.Kind.INITIAL
    page = client_for("planner").get(f"/snapshot/{snapshot.pk}/")
    assert "Dicetak sebagai Rancangan Teknokratik (Bab I–IV dan penutup), kertas A4" in page.text


def test_the_penutup_preview_prints_it_as_bab_v_and_an_unprinted_chapter_under_its_own_number(
    world, complete, client_for
):
    penutup = complete.chapters.get(order=9)
    response = client_for("planner").get(f"/bab/{penutup.pk}/pdf/")
    assert response.status_code == 200
    assert "bab-V-pratinjau.pdf" in response["Content-Disposition"]
    reader = read(b"".join(response.streaming_content) if response.streaming else response.content)
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "BAB V" in text and "BAB IX" not in text and "penanda-IX-" in text
    assert reader.page_labels[0] == "V-1"

    # Bab VI is not in a rancangan teknokratik, but its author may still preview it.
    sixth = complete.chapters.get(order=6)
    response = client_for("planner").get(f"/bab/{sixth.pk}/pdf/")
    reader = read(b"".join(response.streaming_content) if response.streaming else response.content)
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert "BAB VI" in text and "penanda-VI-" in text


def test_a_reference_to_a_table_in_an_unprinted_chapter_is_a_kelengkapan_finding(world, complete):
    sixth = Section.objects.get(chapter__document=complete, chapter__order=6, order=1)
    write(
        sixth,
        f"<table><caption>Strategi</caption><tr><td>1</td></tr></table>{SOURCE}",
        world.planner,
    )
    sixth.refresh_from_db()
    target = sixth.captions[0]["id"]
    second = Section.objects.get(chapter__document=complete, chapter__order=2, order=1)
    write(second, f'<p>Lihat <a class="xref" href="#{target}">Tabel 6.1</a>.</p>', world.planner)

    findings = completeness.check_document(complete)
    assert [f.key for f in findings] == [f"rujukan:{second.pk}:{target}"]
    assert "Tabel 6.1" in findings[0].message and "tidak dicetak" in findings[0].message
    # The rancangan awal prints Bab VI: the reference resolves, nothing to find.
    complete.kind = Document.Kind.INITIAL
    complete.save()
    assert completeness.check_document(complete) == []
