"""Word export (issue 17): the assembled RPJMD document as a DOCX.

The PDF benchmark's synthetic document (bench_pdf.build_document: nine chapters, about 250 A4
pages of text, 60 tables, three wide ones) written as a Word file, from nothing each time (the
Word export keeps no cache). Figures: median and p95 of the export, the file's size, and the
main process's peak memory. Budget: under 15 s median, as the PDF's full export.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> make bench BENCH=docx
"""

from __future__ import annotations

import os
import resource
import time

from benchmarks.bench_pdf import build_document
from benchmarks.common import fresh_database, report, setup_django

RUNS = 5


def main() -> None:
    fresh_database()
    setup_django()
    from drafts.docx import build_docx
    from drafts.models import Document
    from rpjmd.models import Agency, Plan, Region, User

    started = time.perf_counter()
    region = Region.objects.create(
        name="Provinsi Uji", kind=Region.Kind.PROVINCE, code="99", time_zone="Asia/Makassar"
    )
    plan = Plan.objects.create(
        region=region, title="RPJMD Provinsi Uji 2025–2029", start_year=2025, end_year=2029
    )
    planning = Agency.objects.create(
        region=region, name="Bappeda Uji", short_name="Bappeda", is_planning_agency=True
    )
    planner = User(
        username="bench.planner", full_name="Perencana Uji", role="planner", agency=planning
    )
    planner.set_unusable_password()
    planner.save()
    sections = build_document(plan, planner)
    document = Document.objects.select_related("plan__region").get(plan=plan)
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)

    timings = []
    for _ in range(RUNS):
        result = build_docx(document)
        timings.append(result.seconds)
    print(
        f"document: {len(sections)} sections, {result.tables} tables, {len(result.headings)} "
        f"headings, {len(result.content) / 1e6:.1f} MB DOCX; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        flush=True,
    )
    report("DOCX export of the 250-page document", timings, budget_median_ms=15_000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'':48} peak memory of the process {peak:.0f} MB", flush=True)


if __name__ == "__main__":
    main()
