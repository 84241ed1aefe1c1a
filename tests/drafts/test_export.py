"""PDF export of the assembled document (issue 7): structure of the PDF, reuse of chapter
renderings, failures, the background task, the command line, and who may export."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from drafts import editing, export, kinds, tasks
from drafts.html import parse
from drafts.models import Document, Export, Section
from drafts.outline import create_document
from drafts.snapshots import approve_snapshot, take_snapshot
from tests.rpjmd.test_pdf import canary  # noqa: F401 - the loopback canary server fixture

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Wide by its text, not by its count of columns: eleven columns of words need a turned page.
WIDE_HEADER = "".join(f"<th>Uraian kolom {n}</th>" for n in range(1, 12))
WIDE_ROW = "".join(f"<td>Nilai capaian {n}</td>" for n in range(1, 12))
NARROW_HEADER = "".join(f"<th>K{n}</th>" for n in range(1, 12))
NARROW_ROW = "".join(f"<td>{n}</td>" for n in range(1, 12))
SOURCE = "<p>Sumber: BPS Kabupaten Kutai Kartanegara</p>"


@pytest.fixture(autouse=True)
def pdf_settings(settings, tmp_path):
    settings.PDF_CACHE_DIR = tmp_path / "cache"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE
    settings.PDF_EXPORT_WORKERS = 0  # in-process; one test below uses the renderer processes
    settings.PDF_EXPORT_LOWER_WORKER_PRIORITY = False  # the task runs in the test process
    return settings


def table(caption: str, rows: int = 3) -> str:
    body = "".join(f"<tr><td>Baris {n}</td><td>{n * 10}</td></tr>" for n in range(rows))
    return (
        f"<table><caption>{caption}</caption><thead><tr><th>Uraian</th><th>Nilai</th></tr>"
        f"</thead><tbody>{body}</tbody></table>{SOURCE}"
    )


def write(section: Section, body: str, by) -> None:
    section.refresh_from_db()
    editing.save_section(section_id=section.pk, body=body, base_version=section.version, by=by)


@pytest.fixture
def filled(world):
    """The outline's document with text in every section; tables in chapters II and IV, a wide
    table in chapter III, a long chapter II (several pages) and a kata pengantar. Its settings
    and tables pass the kelengkapan check, so no findings page is printed."""
    document = create_document(plan=world.plan, by=world.planner)
    document.cover_date = dt.date(2020, 4, 1)
    document.reference_date = dt.date(2020, 3, 31)
    document.save()
    long_text = "".join(
        f"<p>Paragraf {n} pembangunan daerah kabupaten dan kecamatan yang cukup panjang untuk "
        "mengisi halaman, dengan kata-kata perencanaan, anggaran, program dan kegiatan.</p>"
        for n in range(12)
    )
    for section in Section.objects.filter(chapter__document=document).select_related("chapter"):
        chapter = section.chapter
        body = f"<p>Isi {section.title} penanda-{section.pk}.</p>"
        if chapter.order == 2 and section.depth == 1:
            body += long_text + table(f"Tabel uji {section.pk}")
        if chapter.order == 4:
            body += table("Tabel permasalahan A") + table("Tabel permasalahan B")
        if chapter.order == 3 and section.order == 1:
            body += (
                f"<table><caption>Tabel lebar</caption><thead><tr>{WIDE_HEADER}</tr></thead>"
                f"<tbody><tr>{WIDE_ROW}</tr></tbody></table>{SOURCE}"
                f"<table><caption>Tabel banyak kolom sempit</caption><thead><tr>{NARROW_HEADER}"
                f"</tr></thead><tbody><tr>{NARROW_ROW}</tr></tbody></table>{SOURCE}"
            )
        write(section, body, world.planner)
    return document


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    # Join hyphenated line ends and lines: headings may wrap.
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "").replace("-\n", "-"))


def test_pdf_has_every_title_in_order_and_the_daftar_isi_points_at_the_right_pages(
    filled, settings
):
    settings.PDF_SEGMENT_CHARS = 3000  # long chapters are rendered in several parts
    result = export.build_pdf(filled)
    assert len([p for p in result.parts if p.key.startswith("bab2-")]) > 1
    reader = read(result.pdf)
    pages = texts(reader)
    labels = reader.page_labels
    assert result.pages == len(pages) > 12
    # Cover, then the front matter in roman numbers, then chapters numbered per chapter.
    assert "RANCANGAN TEKNOKRATIK" in pages[0]
    assert "KABUPATEN KUTAI KARTANEGARA" in pages[0]
    assert labels[1] == "ii" and "KATA PENGANTAR" in pages[1]
    first_chapter = labels.index("I-1")
    assert all(re.fullmatch(r"[ivx]+", label) for label in labels[:first_chapter])
    body_text = flat(" ".join(pages[first_chapter:]))
    headings = []
    printed = kinds.layout(filled, filled.chapters.all())
    for chapter in filled.chapters.exclude(kind="front").order_by("order"):
        if (chapter.kind, chapter.order) not in printed:
            continue  # a rancangan teknokratik prints Bab I–IV and the penutup
        headings.append(chapter.title)
        headings += [s.title for s in chapter.sections.order_by("order") if s.depth >= 1]
    position = 0
    for heading in headings:
        found = body_text.find(heading, position)
        assert found >= 0, heading
        position = found + len(heading)
    # The daftar isi: every "title II-3" line (the dots are a picture) names a page that shows
    # that title.
    toc_start = next(i for i, text in enumerate(pages) if "DAFTAR ISI" in text)
    toc_end = next(i for i, text in enumerate(pages) if "DAFTAR TABEL" in text)
    checked = 0
    for line in "\n".join(pages[toc_start:toc_end]).splitlines():
        match = re.match(r"^(\d+(?:\.\d+)+) (.+?)\s+([IVX]+-\d+)$", line.strip())
        if not match:
            continue
        number, title, label = match.groups()
        page = pages[labels.index(label)]
        assert f"{number} {title}" in flat(page), (line, label)
        checked += 1
    assert checked >= 20
    # A part after the first continues the chapter's running header and page numbers.
    later = next(p for p in result.parts if p.key == "bab2-2")
    index = result.parts.index(later)
    page = sum(p.rendered.pages for p in result.parts[:index])
    assert labels[page] == f"II-{later.offset + 1}" and later.offset > 0
    assert "BAB II GAMBARAN UMUM KONDISI DAERAH" in pages[page]
    assert pages[page].strip().splitlines()[-2:].count(f"II-{later.offset + 1}") or (
        f"II-{later.offset + 1}" in pages[page]
    )
    # Section II's text is long: some of its sub-bab start on later pages than II-1.
    assert any(f"II-{n}" in "\n".join(pages[toc_start:toc_end]) for n in (3, 4, 5))


def test_tables_are_numbered_in_order_and_listed_with_their_pages(filled):
    reader = read(export.build_pdf(filled).pdf)
    pages = texts(reader)
    labels = reader.page_labels
    start = labels.index("I-1")
    numbers = re.findall(r"Tabel (\d+)\.(\d+) ", flat(" ".join(pages[start:])))
    captions = [(int(a), int(b)) for a, b in numbers]
    assert captions == sorted(captions)
    assert (2, 1) in captions and (4, 2) in captions
    by_chapter: dict[int, list[int]] = {}
    for chapter, n in captions:
        by_chapter.setdefault(chapter, []).append(n)
    assert all(ns == list(range(1, len(ns) + 1)) for ns in by_chapter.values())
    tables_page = next(i for i, text in enumerate(pages) if "DAFTAR TABEL" in text)
    listing = flat(pages[tables_page])
    label = re.search(r"Tabel 4\.2 Tabel permasalahan B\s+(IV-\d+)", listing).group(1)
    assert "Tabel 4.2 Tabel permasalahan B" in flat(pages[labels.index(label)])


def test_wide_tables_get_a_landscape_page(filled):
    reader = read(export.build_pdf(filled).pdf)
    wide = [p for p in reader.pages if float(p.mediabox.width) > float(p.mediabox.height)]
    assert len(wide) == 1
    assert "Tabel lebar" in wide[0].extract_text()
    narrow = next(p for p in reader.pages if "Tabel banyak kolom sempit" in p.extract_text())
    assert float(narrow.mediabox.width) < float(narrow.mediabox.height)
    assert re.search(r"III-\d", wide[0].extract_text())


def test_watermark_on_drafts_and_not_on_the_approved_final(world, filled):
    live = texts(read(export.build_pdf(filled).pdf))
    # One word for the mark, as on the FGD documents: DRAF.
    assert all("DRAF" in text and "DRAFT" not in text for text in live)
    # The export time is on the cover, the one page every export renders anew.
    assert "Diekspor" in live[0]
    assert not any("Diekspor" in text for text in live[1:])
    snapshot = take_snapshot(document=filled, name="Final", by=world.planner)
    approve_snapshot(snapshot=snapshot, by=world.leader)
    final = texts(read(export.build_pdf(filled, snapshot=snapshot, final=True).pdf))
    assert not any("DRAF" in text for text in final)
    assert "Final" in final[0]


def test_fonts_are_embedded_bookmarks_and_metadata(filled):
    reader = read(export.build_pdf(filled).pdf)
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            if descendant:
                font = descendant[0].get_object()
            fonts[str(font["/BaseFont"])] = font["/FontDescriptor"].get_object()
    assert any("Liberation-Serif" in name for name in fonts)
    assert all(
        "/FontFile2" in descriptor or "/FontFile3" in descriptor or "/FontFile" in descriptor
        for descriptor in fonts.values()
    ), fonts.keys()
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    printed = kinds.layout(filled, filled.chapters.all())
    for chapter in filled.chapters.exclude(kind="front"):
        shown = any(chapter.title in title for title in titles)
        assert shown == ((chapter.kind, chapter.order) in printed), chapter.title
    assert "DAFTAR ISI" in titles
    nested = [item for item in reader.outline if isinstance(item, list)]
    assert any(getattr(sub, "title", "").startswith("2.1 ") for group in nested for sub in group), (
        nested
    )
    assert "Kutai Kartanegara" in reader.metadata.title
    assert "Badan Perencanaan" in reader.metadata.author
    assert reader.metadata.subject


def test_a_second_export_renders_only_the_cover_and_the_front_keeps_counting_from_it(filled):
    first = export.build_pdf(filled, when=timezone.now())
    assert [p.key for p in first.parts[:2]] == ["cover", "front"]
    later = timezone.now() + dt.timedelta(minutes=7)
    second = export.build_pdf(filled, when=later)
    # Nothing changed but the export time, which only the cover prints.
    assert [part.key for part in second.parts if not part.reused] == ["cover"]
    reader = read(second.pdf)
    pages, labels = texts(reader), reader.page_labels
    assert export._export_stamp(later, filled) in pages[0]
    first_chapter = labels.index("I-1")
    roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
    assert labels[:first_chapter] == roman[:first_chapter]
    # The front matter, rendered apart from the cover, prints the numbers the viewer shows.
    for index in range(1, first_chapter):
        assert labels[index] in pages[index].split(), (index, pages[index][-80:])


def test_editing_a_section_changes_exactly_that_chapters_pages(world, filled):
    when = timezone.now()  # the watermark's export time, the same for both
    first = export.build_pdf(filled, when=when)
    assert first.reused == 0
    before = read(first.pdf)
    section = Section.objects.get(chapter__document=filled, chapter__order=4, order=1)
    write(section, "<p>Teks baru sekali penanda-ubah.</p>", world.planner)
    second = export.build_pdf(filled, when=when)
    # Only chapter IV's part holding the section and the front matter (the chapter's pages
    # moved) were rendered again; the cover, same export time, came from the cache.
    again = [part.key for part in second.parts if not part.reused]
    assert again == ["front", "bab4-1"], again
    assert second.reused == len(second.parts) - 2
    after = read(second.pdf)
    old = dict(zip(before.page_labels, texts(before), strict=True))
    new = dict(zip(after.page_labels, texts(after), strict=True))
    changed = {label for label in new if label in old and old[label] != new[label]}
    changed |= set(new) ^ set(old)
    assert changed and all(label.startswith("IV-") for label in changed if "-" in label)
    assert "penanda-ubah" in " ".join(t for label, t in new.items() if label.startswith("IV-"))
    assert f"penanda-{section.pk}." not in " ".join(new.values())
    # The same input again reuses everything and gives the same text.
    third = export.build_pdf(filled, when=when)
    assert third.rendered == 0  # the front matter is keyed by its HTML too
    assert texts(read(third.pdf)) == texts(after)


def test_chapters_render_in_parallel_processes_with_continuous_numbering(world, filled):
    filled.page_numbering = Document.Numbering.CONTINUOUS
    filled.save()
    result = export.build_pdf(filled, worker_count=2)
    reader = read(result.pdf)
    labels = reader.page_labels
    first = next(i for i, text in enumerate(texts(reader)) if "PENDAHULUAN" in text and i > 3)
    assert labels[first:] == [str(n) for n in range(1, len(labels) - first + 1)]
    footer_numbers = [text.strip().splitlines() for text in texts(reader)[first:]]
    assert all(str(n) in lines for n, lines in enumerate(footer_numbers, start=1))


def test_parts_wait_for_a_free_render_slot_of_the_machine(filled, settings, monkeypatch):
    """Another worker's export holds the machine's only slot for a while: no part of this export
    is rendered before it is freed; then the export finishes and leaves the slot free."""
    import threading
    import time

    from rpjmd import heavy

    settings.PDF_RENDER_SLOTS = 1
    monkeypatch.setattr(export, "SMALL_RENDER_CHARS", 0)  # this small document in renderers too
    held = heavy.take_render_slot()
    assert held is not None and heavy.take_render_slot() is None
    freed: list[float] = []

    def free():
        freed.append(time.monotonic())
        os.close(held)

    rendered: list[float] = []
    other_worker = threading.Timer(2.0, free)
    other_worker.start()
    result = export.build_pdf(
        filled,
        worker_count=2,
        progress=lambda percent, step: (
            rendered.append(time.monotonic()) if step == "Merender bab" else None
        ),
    )
    other_worker.join()
    assert result.pages > 12 and result.rendered > 1
    assert freed and rendered and min(rendered) > freed[0]
    again = heavy.take_render_slot()
    assert again is not None
    os.close(again)


def test_chapter_preview_shows_one_chapter(world, filled, client_for):
    chapter = filled.chapters.get(order=4)
    section = chapter.sections.first()
    section.assigned_agency = world.agency_a
    section.save()
    response = client_for("opd").get(f"/bab/{chapter.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="bab-')
    reader = read(response.getvalue())
    assert reader.page_labels[0] == "IV-1"
    assert "PERMASALAHAN" in reader.pages[0].extract_text()
    assert client_for("leader").get(f"/bab/{chapter.pk}/pdf/").status_code == 403


def test_task_records_the_export_and_the_list_polls_until_the_download_appears(
    world, filled, client_for, settings
):
    client = client_for("leader")
    snapshot = take_snapshot(document=filled, name="Bahan FGD", by=world.planner)
    response = client.post(
        f"/rencana/{world.plan.pk}/dokumen/ekspor/", {"source": str(snapshot.pk)}
    )
    assert response.status_code == 302
    item = Export.objects.get()
    assert item.status == Export.Status.DONE, item.failure
    assert item.snapshot == snapshot and item.created_by == world.leader
    assert item.pages > 10 and item.size > 10_000 and item.seconds > 0
    assert re.fullmatch(r"drafts/exports/[0-9a-f]{32}\.pdf", item.file.name)
    row = client.get(f"/rencana/{world.plan.pk}/dokumen/ekspor/{item.pk}/kemajuan/")
    assert b"hx-trigger" not in row.content and b"/unduh/" in row.content
    download = client.get(f"/rencana/{world.plan.pk}/dokumen/ekspor/{item.pk}/unduh/")
    pdf = b"".join(download.streaming_content)
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "private, no-store"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert read(pdf).pages[0].extract_text().count("Bahan FGD") == 1
    latest = client.get(f"/rencana/{world.plan.pk}/dokumen/ekspor/terbaru/")
    assert b"".join(latest.streaming_content) == pdf
    dashboard = client.get(f"/rencana/{world.plan.pk}/")
    assert "Unduh PDF terbaru" in dashboard.content.decode()
    # Exports are private files (MEDIA_ROOT/private/); one gone from the disk is a 404.
    assert Path(item.file.path).is_relative_to(settings.MEDIA_ROOT / "private")
    item.file.storage.delete(item.file.name)
    gone = client.get(f"/rencana/{world.plan.pk}/dokumen/ekspor/{item.pk}/unduh/")
    assert gone.status_code == 404


def test_a_running_export_polls(world, filled, client_for):
    item = Export.objects.create(
        document=filled, created_by=world.planner, status="running", heartbeat_at=timezone.now()
    )
    row = client_for("planner").get(f"/rencana/{world.plan.pk}/dokumen/ekspor/{item.pk}/kemajuan/")
    assert b'hx-trigger="every 1s"' in row.content and b"<progress" in row.content


# The worker closes its database connection after a task, as in production: the test's own
# transaction would not survive that, so this one commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_real_queue_database_backend_and_one_worker_run(settings, world, filled):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    item = tasks.start_export(document=filled, snapshot=None, by=world.planner)
    assert item.status == Export.Status.QUEUED
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    item.refresh_from_db()
    assert item.status == Export.Status.DONE, item.failure
    assert read(item.file.read()).pages[0].extract_text().startswith("RANCANGAN")


def test_a_failed_export_keeps_the_earlier_one_downloadable(world, filled, client_for, monkeypatch):
    good = tasks.start_export(document=filled, snapshot=None, by=world.planner)
    assert good.status == Export.Status.DONE
    versions = list(Section.history.values_list("history_id", flat=True))

    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(tasks, "build_pdf", broken)
    bad = tasks.start_export(document=filled, snapshot=None, by=world.planner)
    assert bad.status == Export.Status.FAILED
    assert "kesalahan saat membuat PDF" in bad.failure
    assert not bad.file
    client = client_for("planner")
    page = client.get(f"/rencana/{world.plan.pk}/dokumen/ekspor/").content.decode()
    assert bad.failure in page
    download = client.get(f"/rencana/{world.plan.pk}/dokumen/ekspor/{good.pk}/unduh/")
    assert download.status_code == 200
    assert client.get(f"/rencana/{world.plan.pk}/dokumen/ekspor/{bad.pk}/unduh/").status_code == 404
    # Nothing in the document changed.
    assert list(Section.history.values_list("history_id", flat=True)) == versions


def test_renderer_errors_and_a_full_disk_are_reported_in_words(world, filled, monkeypatch):
    def killed(*args, **kwargs):
        raise export.ExportError(
            "Proses pembuat PDF berhenti mendadak (kehabisan memori atau dihentikan)."
        )

    monkeypatch.setattr(tasks, "build_pdf", killed)
    item = tasks.start_export(document=filled, snapshot=None, by=world.planner)
    assert item.status == "failed" and "berhenti mendadak" in item.failure
    monkeypatch.undo()

    def full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("rpjmd.storage.CleanFileSystemStorage._save", full)
    item = tasks.start_export(document=filled, snapshot=None, by=world.planner)
    assert item.status == "failed" and item.failure == tasks.DISK_FULL_REASON


WRITES = {"INSERT", "UPDATE", "DELETE", "REPLACE"}


def writes_of(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in WRITES]


def test_the_poll_and_the_list_write_nothing_and_show_a_stuck_export_failed(
    world, filled, client_for
):
    old = timezone.now() - dt.timedelta(hours=1)
    stuck = Export.objects.create(
        document=filled, created_by=world.planner, status="running", heartbeat_at=old
    )
    never_taken = Export.objects.create(document=filled, created_by=world.planner)
    Export.objects.filter(pk=never_taken.pk).update(created_at=old)
    client = client_for("planner")
    base = f"/rencana/{world.plan.pk}/dokumen/ekspor/"
    client.get(f"/rencana/{world.plan.pk}/")  # (the session's first request writes it)
    with CaptureQueriesContext(connection) as queries:
        row = client.get(f"{base}{stuck.pk}/kemajuan/")
        waiting = client.get(f"{base}{never_taken.pk}/kemajuan/")
        page = client.get(base)
    assert writes_of(queries) == []
    assert row.status_code == waiting.status_code == page.status_code == 200
    assert b"hx-trigger" not in row.content and "terhenti" in row.content.decode()
    assert "pekerja latar belakang tidak aktif" in waiting.content.decode()
    assert "terhenti" in page.content.decode() and "hx-trigger" not in page.content.decode()
    assert list(Export.objects.order_by("pk").values_list("status", flat=True)) == [
        "running",
        "queued",
    ]
    # The next export (a POST) records what the pages showed.
    client.post(base, {"source": "live"})
    stuck.refresh_from_db()
    never_taken.refresh_from_db()
    assert stuck.status == "failed" and "terhenti" in stuck.failure
    assert never_taken.status == "failed" and never_taken.failure == tasks.NO_WORKER_REASON


def test_the_worker_fails_an_export_that_waited_too_long_instead_of_running_it(world, filled):
    late = Export.objects.create(document=filled, created_by=world.planner)
    Export.objects.filter(pk=late.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    late = tasks.run_export(late.pk)
    assert late.status == "failed" and late.failure == tasks.NO_WORKER_REASON
    assert not late.file


def test_opd_staff_export_only_when_a_planner_allows_it_and_only_what_they_read(
    world, filled, client_for
):
    secret = Section.objects.get(chapter__document=filled, chapter__order=2, order=1)
    mine = Section.objects.get(chapter__document=filled, chapter__order=2, order=2)
    mine.assigned_agency = world.agency_a
    mine.save()
    client = client_for("opd")
    url = f"/rencana/{world.plan.pk}/dokumen/ekspor/"
    assert client.post(url, {"source": "live"}).status_code == 403
    assert not Export.objects.exists()
    filled.opd_may_export = True
    filled.save()
    assert client.post(url, {"source": "live"}).status_code == 302
    item = Export.objects.get()
    text = flat(" ".join(texts(read(item.file.read()))))
    assert f"penanda-{mine.pk}." in text
    assert f"penanda-{secret.pk}." not in text
    # Another OPD's staff does not see this export.
    other = client_for("opd_b")
    assert other.get(f"{url}{item.pk}/unduh/").status_code == 404


def test_command_line_export(world, filled, tmp_path):
    snapshot = take_snapshot(document=filled, name="Baris perintah", by=world.planner)
    out = tmp_path / "rpjmd.pdf"
    stdout = io.StringIO()
    call_command(
        "export_pdf",
        "--plan",
        str(world.plan.pk),
        "--snapshot",
        str(snapshot.pk),
        "--out",
        str(out),
        stdout=stdout,
    )
    reader = read(out.read_bytes())
    assert "Baris perintah" in reader.pages[0].extract_text()
    assert "halaman" in stdout.getvalue()
    with pytest.raises(Exception, match="belum memiliki"):
        call_command("export_pdf", "--plan", str(world.other_plan.pk), "--out", str(out))


def test_file_and_loopback_references_in_content_are_not_fetched_or_embedded(
    world,
    filled,
    canary,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    port, hits = canary
    secret = tmp_path / "rahasia.txt"
    secret.write_text("kata sandi basis data")
    hostile = f"""
      <p>Isi dengan rujukan berbahaya.</p>
      <img src="file://{secret}"><img src="http://127.0.0.1:{port}/canary.png">
      <link rel="attachment" href="file://{secret}">
      <a rel="attachment" href="file://{secret}">lampiran</a>
      <div style="background: url(http://127.0.0.1:{port}/bg.png); height: 1cm">x</div>
      <p style="background: url(file://{secret})">y</p>
    """
    # Straight into the stored body, as if the sanitizer had let it through (defence in depth):
    # the saved, sanitized body of the editor could never hold it.
    section = Section.objects.get(chapter__document=filled, chapter__order=2, order=1)
    section.body = hostile
    section.save_without_historical_record()
    snapshot = take_snapshot(document=filled, name="Dengan rujukan", by=world.planner)
    for build in (
        lambda: export.build_pdf(filled),
        lambda: export.build_pdf(filled, snapshot=snapshot),
        lambda: export.build_pdf(filled, worker_count=2),
    ):
        pdf = build().pdf
        assert b"/EmbeddedFile" not in pdf
        assert b"kata sandi basis data" not in pdf
        assert "rujukan berbahaya" in flat(" ".join(texts(read(pdf))))
    assert hits == []


def test_no_more_than_two_exports_at_a_time(world, filled, client_for):
    for _ in range(2):
        Export.objects.create(
            document=filled, created_by=world.planner, status="running", heartbeat_at=timezone.now()
        )
    response = client_for("leader").post(
        f"/rencana/{world.plan.pk}/dokumen/ekspor/", {"source": "live"}, follow=True
    )
    assert "Sudah ada 2 ekspor yang berjalan" in response.content.decode()
    assert Export.objects.count() == 2


def test_chapter_previews_are_one_per_user_and_a_few_per_site(world, filled, client_for, settings):
    from rpjmd import heavy

    chapter = filled.chapters.get(order=4)
    section = chapter.sections.first()
    section.assigned_agency = world.agency_a
    section.save()
    url = f"/bab/{chapter.pk}/pdf/"
    settings.HEAVY_WORK_SLOTS = 2
    with heavy.slot(world.staff_a.pk):  # this author's earlier preview is still rendering
        busy = client_for("opd").get(url)
        assert busy.status_code == 429 and busy["Retry-After"] == "5"
        assert "Server sedang memproses, coba lagi sebentar." in busy.text
        fragment = client_for("opd").get(url, headers={"HX-Request": "true"})
        assert fragment.status_code == 429 and fragment["HX-Retarget"] == "#messages"
        assert client_for("planner").get(url).status_code == 200  # someone else is served
        settings.HEAVY_WORK_SLOTS = 1
        assert client_for("planner").get(url).status_code == 429  # the site is full
    assert client_for("opd").get(url).status_code == 200


CAPAIAN_HEAD = (
    '<tr><th rowspan="2">No.</th><th rowspan="2">Indikator</th><th rowspan="2">Satuan</th>'
    '<th colspan="{years}">Tahun</th>{extra}</tr><tr>{year_cells}</tr>'
)


def capaian_table(years: int, extra: int = 0) -> str:
    """A published RPJMD's capaian kinerja table: No, indikator, satuan, years, target..."""
    head = CAPAIAN_HEAD.format(
        years=years,
        extra="".join(f'<th rowspan="2">{h}</th>' for h in ["Target", "Capaian"][:extra]),
        year_cells="".join(f"<th>{2016 + n}</th>" for n in range(years)),
    )
    row = (
        "<tr><td>1</td><td>Angka Partisipasi Kasar SD/MI</td><td>%</td>"
        + '<td class="text-right">99.999,99</td>' * (years + extra)
        + "</tr>"
    )
    return (
        f"<table><caption>Capaian</caption><thead>{head}</thead><tbody>{row * 3}</tbody></table>"
        f"{SOURCE}"
    )


def test_tables_get_measured_column_widths_and_ten_columns_stay_upright():
    images = export._Images(None)
    upright = export.prepare_body(capaian_table(5, extra=2), images)  # 10 columns
    root = parse(str(upright))
    table = root.find(".//table")
    assert "fixed" in table.get("class") and table.getparent().get("class") != "landscape"
    widths = [
        float(re.search(r"([\d.]+)%", col.get("style")).group(1)) for col in table.iter("col")
    ]
    assert len(widths) == 10 and abs(sum(widths) - 100) < 0.1
    # The indikator column gets more room than the number, the number more than "No.".
    assert widths[1] > widths[3] > widths[0]
    turned = parse(str(export.prepare_body(capaian_table(9, extra=2), images)))  # 14 columns
    wrapper = turned.find(".//div[@class='landscape']")
    assert wrapper is not None and wrapper.find(".//table") is not None
    # The source line under the table turns with it.
    assert "Sumber" in "".join(wrapper.itertext())
    # F4 paper is wider: the same judgement, on its own text width.
    assert export.table_layout(turned.find(".//table"), "f4")[0]


def test_a_chapter_preview_is_made_of_the_exports_own_parts(filled):
    export.build_pdf(filled)
    preview = export.build_pdf(filled, chapters=[2])
    # Same HTML, same numbers, same DRAF mark: every part comes from the export's cache.
    assert preview.rendered == 0 and preview.reused == len(preview.parts) > 0
    reader = read(preview.pdf)
    assert reader.page_labels[0] == "II-1"
    assert all("DRAF" in text for text in texts(reader))
    assert re.search(r"II-1\b", texts(reader)[0])
