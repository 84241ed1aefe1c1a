"""Excel imports of problems as a background task (django-tasks, database backend, the same
worker as the PDF export).

The web request only checks what the file is (type and zip structure, issues/spreadsheets.py
check_workbook: nothing is parsed there), stores it privately and queues `import_task`. The
worker reads the sheet, checks every row, saves all rows or none, and records the outcome: the
number of problems created, or the same row/column errors the import page always listed. The
stored file is deleted as soon as it has been read. The uploader follows it on
issues:import_status (polled by htmx).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from issues.models import ProblemImport
from issues.similarity import similar_problems
from issues.spreadsheets import (
    MAX_IMPORT_ROWS,
    RowError,
    check_workbook,
    parse_rows,
    read_rows,
    save_problems,
)
from issues.uploads import removing_files_on_failure
from rpjmd.models import Agency, Plan, User

logger = logging.getLogger(__name__)

S = ProblemImport.Status
STALE_AFTER = dt.timedelta(minutes=10)
QUEUED_TIMEOUT = dt.timedelta(minutes=30)

STEP_READING = gettext_noop("Membaca berkas")
STEP_CHECKING = gettext_noop("Memeriksa isian")
STEP_SIMILAR = gettext_noop("Mencari permasalahan serupa")
STEP_SAVING = gettext_noop("Menyimpan")
STALE_REASON = gettext_noop(
    "Impor terhenti sebelum selesai (pekerja dihentikan atau dimulai ulang). Tidak ada yang "
    "diimpor; unggah berkas sekali lagi."
)
NO_WORKER_REASON = gettext_noop(
    "Impor tidak dijalankan: proses pekerja latar belakang tidak aktif. Tidak ada yang "
    "diimpor; hubungi administrator."
)
UNKNOWN_REASON = gettext_noop(
    "Terjadi kesalahan saat mengimpor. Tidak ada yang diimpor; periksa berkas lalu coba lagi."
)


def _fail(job_id: int, message: str) -> None:
    ProblemImport.objects.filter(pk=job_id).exclude(status=S.DONE).update(
        status=S.FAILED,
        errors=[asdict(RowError(0, "", message))],
        finished_at=timezone.now(),
    )


def mark_stale(user: User) -> None:
    """Fail this user's imports that can no longer finish (a killed or absent worker)."""
    now = timezone.now()
    mine = ProblemImport.objects.filter(created_by=user)
    for job in mine.filter(status=S.RUNNING, heartbeat_at__lt=now - STALE_AFTER):
        _fail(job.pk, STALE_REASON)
        _delete_file(job)
    for job in mine.filter(status=S.QUEUED, created_at__lt=now - QUEUED_TIMEOUT):
        _fail(job.pk, NO_WORKER_REASON)
        _delete_file(job)


def start_import(
    *, plan: Plan, agency: Agency, upload, by: User
) -> tuple[ProblemImport | None, list[RowError]]:
    """Queue the import of an uploaded template, or say why the file is refused right away."""
    mark_stale(by)
    if ProblemImport.objects.filter(created_by=by, status__in=[S.QUEUED, S.RUNNING]).exists():
        # One at a time per person: a double click must not import the rows twice.
        return None, [
            RowError(
                0, "", _("Impor Anda sebelumnya masih diproses. Tunggu hingga selesai, lalu coba.")
            )
        ]
    try:
        checked = check_workbook(upload)
    except ValidationError as error:
        return None, [RowError(0, "", " ".join(error.messages))]
    with removing_files_on_failure() as stored, transaction.atomic():
        job = ProblemImport(plan=plan, agency=agency, created_by=by, original_name=checked.name)
        job.file.save("isian.xlsx", ContentFile(checked.content), save=False)
        stored.append(job.file)
        job.save()
        # The database backend writes the task row in this transaction: no task without job.
        import_task.enqueue(job.pk)
    job.refresh_from_db()
    return job, []


@task(priority=-5)
def import_task(import_id: int) -> None:
    run_import(import_id)


def _report(job_id: int, *, progress: int, step: str, rows: int | None = None) -> None:
    fields = {"progress": min(progress, 99), "step": step, "heartbeat_at": timezone.now()}
    if rows is not None:
        fields["rows_read"] = rows
    ProblemImport.objects.filter(pk=job_id).update(**fields)


def run_import(import_id: int) -> ProblemImport:
    job = ProblemImport.objects.select_related("plan", "agency", "created_by").get(pk=import_id)
    now = timezone.now()
    claimed = ProblemImport.objects.filter(pk=job.pk, status=S.QUEUED).update(
        status=S.RUNNING, started_at=now, heartbeat_at=now, step=STEP_READING, progress=5
    )
    if not claimed:
        return job  # already run (a task delivered twice) or given up as stale
    try:
        errors = _read_check_and_save(job)
    except Exception:
        logger.exception("Problem import %s failed", job.pk)
        errors = [RowError(0, "", _(UNKNOWN_REASON))]
    finally:
        _delete_file(job)
    if errors:
        ProblemImport.objects.filter(pk=job.pk).update(
            status=S.FAILED, errors=[asdict(e) for e in errors], finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _read_check_and_save(job: ProblemImport) -> list[RowError]:
    def reading(rows: int) -> None:
        _report(job.pk, progress=5 + 55 * rows // MAX_IMPORT_ROWS, step=STEP_READING, rows=rows)

    with job.file.open("rb") as handle:
        upload = File(handle, name=job.original_name)
        rows, errors = read_rows(job.plan, upload, progress=reading)
    if errors:
        return errors
    _report(job.pk, progress=65, step=STEP_CHECKING, rows=len(rows))
    parsed, errors = parse_rows(job.plan, rows)
    if errors:
        return errors
    _report(job.pk, progress=75, step=STEP_SIMILAR)
    similar = similar_rows(job, parsed)
    _report(job.pk, progress=80, step=STEP_SAVING)
    with transaction.atomic():
        created = save_problems(plan=job.plan, agency=job.agency, parsed=parsed, by=job.created_by)
        # Done in the same transaction as the rows: never "running" with problems saved.
        ProblemImport.objects.filter(pk=job.pk).update(
            status=S.DONE,
            progress=100,
            step="",
            created_count=len(created),
            similar=similar,
            finished_at=timezone.now(),
        )
    return []


def similar_rows(job: ProblemImport, parsed: list) -> list[dict]:
    """For each row about to be imported, the problems already in the plan that the uploader
    may read and that resemble its masalah (issues/similarity.py), as the form shows them."""
    found = []
    for item in parsed:
        matches = similar_problems(user=job.created_by, plan=job.plan, text=item.statement)
        if matches:
            found.append(
                {
                    "row": item.row,
                    "statement": item.statement[:300],
                    "similar": [m.problem.pk for m in matches],
                }
            )
    return found


def _delete_file(job: ProblemImport) -> None:
    if job.file:
        with contextlib.suppress(OSError):
            job.file.storage.delete(job.file.name)
        ProblemImport.objects.filter(pk=job.pk).update(file="")
