"""`python manage.py export_pdf --plan ID [--snapshot ID] --out FILE`: the document's PDF, made
exactly as the export page makes it (same renderer, cache and watermark rules)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from drafts.export import ExportError, build_pdf, stop_renderers
from drafts.models import Document, Snapshot
from drafts.pdfworker import lower_priority


class Command(BaseCommand):
    help = "Ekspor dokumen rancangan sebuah rencana (atau salah satu snapshot-nya) ke PDF."

    def add_arguments(self, parser):
        parser.add_argument("--plan", type=int, required=True, help="ID rencana")
        parser.add_argument("--snapshot", type=int, help="ID snapshot (kosong: dokumen terkini)")
        parser.add_argument("--out", required=True, help="berkas PDF yang ditulis")
        parser.add_argument("--workers", type=int, default=None, help="proses pembuat PDF")

    def handle(self, *args, plan, snapshot, out, workers, **options):
        document = Document.objects.select_related("plan__region").filter(plan_id=plan).first()
        if document is None:
            raise CommandError(f"Rencana {plan} belum memiliki dokumen rancangan.")
        frozen = None
        if snapshot is not None:
            frozen = Snapshot.objects.filter(document=document, pk=snapshot).first()
            if frozen is None:
                raise CommandError(f"Snapshot {snapshot} bukan milik dokumen rencana {plan}.")
        if settings.PDF_EXPORT_LOWER_WORKER_PRIORITY:
            lower_priority(settings.PDF_EXPORT_NICE)
        # Stopped (SIGTERM from a service manager, Ctrl+C): the renderers stop with it.
        signal.signal(signal.SIGTERM, _stop)
        try:
            result = build_pdf(
                document,
                snapshot=frozen,
                final=bool(frozen and frozen.is_final),
                worker_count=workers,
                progress=lambda percent, step: (
                    self.stderr.write(f"{percent:3d}% {step}") if options["verbosity"] > 1 else None
                ),
            )
        except ExportError as error:
            raise CommandError(str(error)) from error
        finally:
            stop_renderers()
        Path(out).write_bytes(result.pdf)
        self.stdout.write(
            f"{out}: {result.pages} halaman, {len(result.pdf) / 1024:.0f} KB, "
            f"{result.seconds:.1f} detik ({result.rendered} bagian dibuat, "
            f"{result.reused} dipakai ulang)"
        )


def _stop(signum, frame):
    stop_renderers()
    sys.exit(128 + signum)
