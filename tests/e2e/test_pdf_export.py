"""PDF export in Chromium, on the Kutai Kartanegara demo (issue 7).

The leader (wiyono) opens the document, exports the latest snapshot, watches the progress that
htmx polls every second, and downloads the PDF once the link appears, without reloading; the
file's first pages are the cover, the kata pengantar and the daftar isi. The export goes through
the real queue: the database backend, and a worker (`db_worker --batch`, run in a loop on a
thread of the test process) that renders the chapters in its renderer processes.
"""

import io
import threading

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from drafts.models import Export, Snapshot
from rpjmd.demo import DEMO_PASSWORD
from rpjmd.models import Plan
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("demo", "--quiet")


@pytest.fixture
def worker(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PDF_CACHE_DIR = tmp_path / "cache"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_EXPORT_WORKERS = 2
    stop = threading.Event()

    def run():
        # db_worker's own Worker, as `db_worker --batch` runs it (its command installs signal
        # handlers, which only the main thread may do).
        from django.db import OperationalError, connection
        from django_tasks_db.management.commands.db_worker import Worker

        try:
            while not stop.wait(0.5):
                try:
                    Worker(
                        queue_names=["default"],
                        interval=0.5,
                        batch=True,
                        backend_name="default",
                        startup_delay=False,
                        max_tasks=None,
                        worker_id="e2e",
                        excluded_queue_names=[],
                    ).run()
                except OperationalError as error:
                    # The shared in-memory SQLite database answers "database table is locked"
                    # at once while the live server's request holds the table, where a worker
                    # process on a database file would wait: claim the task on the next round.
                    if "locked" not in str(error):
                        raise
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def halt():
        stop.set()
        thread.join(timeout=60)

    # The test halts the worker before reading the database itself: on SQLite the in-memory
    # test database is shared with the worker's thread, and a read during its write fails with
    # "database table is locked" instead of waiting.
    yield halt
    halt()


def test_leader_exports_the_latest_snapshot_and_downloads_the_pdf(page, demo, worker):
    plan = Plan.objects.get(start_year=2021)
    latest = Snapshot.objects.filter(document__plan=plan).order_by("-created_at").first()
    log_in(page, "wiyono", DEMO_PASSWORD)
    page.goto(f"/rencana/{plan.pk}/dokumen/")
    page.get_by_role("link", name="Ekspor PDF dan Word").click()
    expect(page.get_by_role("heading", name="Ekspor PDF dan Word", level=1)).to_be_visible()
    choice = page.get_by_role("radio", name=f"Versi beku “{latest.name}”")
    expect(choice).to_be_checked()  # the newest snapshot is offered first
    page.get_by_role("button", name="Ekspor ke PDF").click()

    row = page.locator("tr.export-row").first
    # Queued or running: a progress bar that htmx refreshes, no download link yet. (With every
    # part already in the PDF parts cache, a second run can be done before the page shows it.)
    expect(row.locator("progress").or_(row.get_by_role("link", name="Unduh PDF"))).to_be_visible()
    url_before = page.url
    download_link = row.get_by_role("link", name="Unduh PDF")
    expect(download_link).to_be_visible(timeout=90_000)
    assert page.url == url_before  # the link appeared without a reload
    expect(row).to_contain_text("halaman")
    # The export is done: halt the worker before the download reads the session, or its polling
    # writes can meet the download's read in SQLite ("database table is locked", a 503).
    worker()

    with page.expect_download() as info:
        download_link.click()
    pdf = PdfReader(io.BytesIO(open(info.value.path(), "rb").read()))  # noqa: SIM115
    first = [pdf.pages[i].extract_text() for i in range(4)]
    assert "RANCANGAN TEKNOKRATIK" in first[0]
    assert "KUTAI KARTANEGARA" in first[0]
    assert latest.name in first[0]
    # The latest is the final versi beku approved on 24 April 2020: no DRAF mark; a versi beku
    # not approved would carry it (tests/drafts/test_document_kinds.py).
    assert latest.is_final
    assert "DRAF" not in first[0] and "DRAFT" not in first[0]
    assert "KATA PENGANTAR" in first[1]
    assert any("DAFTAR ISI" in text and "BAB I PENDAHULUAN" in text for text in first[2:])
    assert pdf.page_labels[1] == "ii"
    assert "Rancangan Teknokratik" in pdf.metadata.title

    # A rancangan teknokratik prints Bab I–IV, its penutup as Bab V, then the lampiran, and the
    # bookmarks (the daftar isi's entries) promise nothing else.
    top = [item.title for item in pdf.outline if not isinstance(item, list)]
    chapters = [title.split(" ")[1] for title in top if title.startswith("BAB ")]
    assert chapters == ["I", "II", "III", "IV", "V"]
    assert top[top.index(next(t for t in top if t.startswith("BAB V"))) + 1].startswith(
        "LAMPIRAN 1"
    )
    assert [t.split(" ")[1] for t in top if t.startswith("LAMPIRAN")] == ["1", "2", "3", "4"]
    # Words as a reader sees them: hyphenation at line ends joined, whitespace folded.
    text = " ".join("\n".join(p.extract_text() for p in pdf.pages).replace("\u2010\n", "").split())
    for caption in [
        "Tabel 2.5 Capaian Kinerja",  # Bab II: capaian kinerja per aspect, from regional data
        "Tabel 3.1 Rata-rata Pertumbuhan Realisasi Pendapatan",  # Bab III: keuangan
        "Tabel 4.1 Identifikasi Permasalahan Pembangunan",
        "Matriks Penilaian Isu Strategis",
    ]:
        assert caption in text, caption
    assert "nomor pada Tabel 4.1" in text  # the ranking cites Tabel 4.1's rows
    assert "BAB VI" not in text and "Wikipedia" not in text

    export = Export.objects.get()
    assert export.status == Export.Status.DONE and export.snapshot == latest
    assert export.pages == len(pdf.pages)

    # The dashboard offers the newest PDF.
    page.goto(f"/rencana/{plan.pk}/")
    expect(page.get_by_role("heading", name="Unduh PDF terbaru")).to_be_visible()
    with page.expect_download() as again:
        page.get_by_role("link", name="Unduh PDF terbaru").click()
    assert open(again.value.path(), "rb").read() == open(info.value.path(), "rb").read()  # noqa: SIM115
