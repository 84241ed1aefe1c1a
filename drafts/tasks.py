"""The PDF and Word exports as a background task (django-tasks, database backend;
`manage.py db_worker`).

`start_export` records the export and queues it; the worker runs `run_export`, which renders the
document (drafts/export.py for the PDF, drafts/docx.py for Word) and stores the file. Whatever
goes wrong ends as status "failed" with a reason a planner understands; earlier exports and the
document itself are never touched.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from drafts.completeness import open_findings
from drafts.docx import build_docx
from drafts.export import ExportError, build_pdf, prune_cache
from drafts.models import Document, Export, Section, Snapshot
from drafts.pdfworker import lower_priority
from rpjmd.models import User

logger = logging.getLogger(__name__)

# A running export whose heartbeat is older than this was killed (worker restarted, OOM...);
# a queued one older than QUEUED_TIMEOUT never found a worker.
STALE_AFTER = dt.timedelta(minutes=10)
QUEUED_TIMEOUT = dt.timedelta(minutes=30)
# Queued or running exports of one document at a time (more are refused with a message).
MAX_RUNNING = 2

# Stored in Indonesian (the msgid) and translated when shown.
STALE_REASON = gettext_noop(
    "Proses ekspor terhenti sebelum selesai (pekerja dihentikan atau dimulai ulang). "
    "Silakan ekspor ulang."
)
NO_WORKER_REASON = gettext_noop(
    "Ekspor tidak dijalankan: proses pekerja latar belakang tidak aktif. Hubungi administrator."
)
DISK_FULL_REASON = gettext_noop(
    "Ruang penyimpanan server penuh, berkas PDF tidak dapat disimpan. Hubungi administrator."
)
UNKNOWN_REASON = gettext_noop(
    "Terjadi kesalahan saat membuat PDF. Periksa isi bagian yang baru diubah (misalnya tabel "
    "yang sangat besar), lalu coba lagi."
)
UNKNOWN_DOCX_REASON = gettext_noop(
    "Terjadi kesalahan saat membuat berkas Word. Periksa isi bagian yang baru diubah (misalnya "
    "tabel yang sangat besar), lalu coba lagi."
)
SNAPSHOT_GONE_REASON = gettext_noop("Versi beku yang diekspor sudah dihapus.")
FINDINGS_REASON = gettext_noop(
    "Dokumen final tidak diekspor: masih ada temuan kelengkapan yang belum diselesaikan atau "
    "dikecualikan. Lihat halaman Kelengkapan."
)


def stale_reason(export: Export, now: dt.datetime | None = None) -> str | None:
    """Why an unfinished export can no longer finish (its worker stopped, or no worker took
    it), or None."""
    now = now or timezone.now()
    if export.status == Export.Status.RUNNING:
        if export.heartbeat_at is not None and export.heartbeat_at < now - STALE_AFTER:
            return STALE_REASON
    elif export.status == Export.Status.QUEUED and export.created_at < now - QUEUED_TIMEOUT:
        return NO_WORKER_REASON
    return None


def as_shown(export: Export) -> Export:
    """The export as the pages show it: one that can no longer finish is shown failed, with
    the reason, and stops being polled. Only the worker and the next export (a POST) record
    that (mark_stale): reading a page writes nothing."""
    reason = stale_reason(export)
    if reason is not None:
        export.status, export.failure = Export.Status.FAILED, reason
    return export


def mark_stale(document: Document) -> int:
    """Fail the exports that can no longer finish; called when an export starts (the POST) and
    when the worker takes one, so a killed worker never leaves an export "running" forever."""
    now = timezone.now()
    unfinished = Export.objects.filter(
        document=document, status__in=[Export.Status.RUNNING, Export.Status.QUEUED]
    )
    stale = [
        (export, reason)
        for export in unfinished
        if (reason := stale_reason(export, now)) is not None
    ]
    for export, reason in stale:
        _fail(export, reason)
    return len(stale)


def start_export(
    *, document: Document, snapshot: Snapshot | None, by: User, format: str = Export.Format.PDF
) -> Export:
    mark_stale(document)
    with transaction.atomic():
        export = Export.objects.create(
            document=document,
            format=format,
            snapshot=snapshot,
            snapshot_name=snapshot.name if snapshot else "",
            is_final=bool(snapshot and snapshot.is_final),
            created_by=by,
        )
        # The database backend writes the task row in this transaction: no task without export.
        export_task.enqueue(export.pk)
    export.refresh_from_db()
    return export


@task(priority=-10)
def export_task(export_id: int) -> None:
    if settings.PDF_EXPORT_LOWER_WORKER_PRIORITY:
        lower_priority(settings.PDF_EXPORT_NICE)
    run_export(export_id)


class Cancelled(Exception):
    """The export was given up (failed as stale, or deleted) while it was rendering."""


def _progress(export: Export):
    def report(percent: int, step: str) -> None:
        still = Export.objects.filter(pk=export.pk, status=Export.Status.RUNNING).update(
            progress=min(percent, 99), step=step[:200], heartbeat_at=timezone.now()
        )
        if not still:
            # Nobody waits for this file any more: stop, and the renderers with it.
            raise Cancelled

    return report


def _fail(export: Export, reason: str) -> None:
    Export.objects.filter(pk=export.pk).exclude(status=Export.Status.DONE).update(
        status=Export.Status.FAILED, failure=reason, finished_at=timezone.now()
    )


def run_export(export_id: int, *, worker_count: int | None = None) -> Export:
    export = Export.objects.select_related("document__plan__region", "snapshot", "created_by").get(
        pk=export_id
    )
    # The worker records what the pages only showed: exports of this document that can no
    # longer finish, this one too if it waited past QUEUED_TIMEOUT (it was shown failed).
    if mark_stale(export.document):
        export.refresh_from_db()
    if export.status != Export.Status.QUEUED:
        return export  # already run (a task delivered twice), or given up
    now = timezone.now()
    claimed = Export.objects.filter(pk=export.pk, status=Export.Status.QUEUED).update(
        status=Export.Status.RUNNING, started_at=now, heartbeat_at=now, step=gettext_noop("Mulai")
    )
    if not claimed:
        return export
    document = export.document
    user = export.created_by
    visible = None
    if export.snapshot_id is None and user.is_opd:
        visible = Section.objects.visible_to(user)
    if export.snapshot_name and export.snapshot_id is None:
        _fail(export, SNAPSHOT_GONE_REASON)
        export.refresh_from_db()
        return export
    if export.is_final and open_findings(document, export.snapshot):
        # The snapshot was approved before a waiver was withdrawn, or the check grew.
        _fail(export, FINDINGS_REASON)
        export.refresh_from_db()
        return export
    word = export.format == Export.Format.DOCX
    unknown = UNKNOWN_DOCX_REASON if word else UNKNOWN_REASON
    try:
        if word:
            result = build_docx(
                document,
                snapshot=export.snapshot,
                visible=visible,
                when=export.created_at,
                final=export.is_final,
                progress=_progress(export),
            )
            content, pages, reused = result.content, None, 0
        else:
            result = build_pdf(
                document,
                snapshot=export.snapshot,
                visible=visible,
                when=export.created_at,
                final=export.is_final,
                progress=_progress(export),
                worker_count=worker_count,
            )
            content, pages, reused = result.pdf, result.pages, result.reused
        export.refresh_from_db()
        export.file.save(export.filename, ContentFile(content), save=False)
    except ExportError as error:
        _fail(export, str(error))
    except Cancelled:
        logger.info("PDF export %s stopped: no longer running", export.pk)
        return Export.objects.filter(pk=export.pk).first() or export
    except OSError as error:
        if error.errno in {errno.ENOSPC, errno.EDQUOT}:
            _fail(export, DISK_FULL_REASON)
        else:
            logger.exception("%s export %s failed", export.format, export.pk)
            _fail(export, unknown)
    except Exception:
        logger.exception("%s export %s failed", export.format, export.pk)
        _fail(export, unknown)
    else:
        export.status = Export.Status.DONE
        export.progress = 100
        export.step = ""
        # A Word file has no pages until Word lays it out.
        export.pages = pages
        export.size = len(content)
        export.seconds = round(result.seconds, 2)
        export.reused = reused
        export.finished_at = timezone.now()
        export.save()
        prune_cache()
    export.refresh_from_db()
    return export
