"""Twenty exports queued at once by different regions (issue 15): "finish with the workers busy
and the web pages within 1.5x their idle p95".

Built on PostgreSQL: twenty regions as bench_national generates them (each with its Bappeda
and ten agencies, their staff, a planner and a leader, a plan with 40 to 326 problems, their
root causes, indicators and kecamatan, an FGD), and each region's document filled as bench_pdf
fills it at EXPORT_SCALE of its text and tables: nine chapters of eight sections, about 7,100
words and 6 statistical tables, 43 to 53 printed pages with the front matter. Each region's text
is its own (its own seed), so no export reuses another's rendered parts: twenty cold exports.

Started as production runs them (deploy/prod.sh), all on 127.0.0.1 and stopped at the end,
also after a failure: gunicorn (gunicorn.conf.py: 3 processes x 4 threads, DEBUG off) on a
free port and two `manage.py db_worker` processes, each with its PDF renderers as configured
(PDF_EXPORT_WORKERS, PDF_EXPORT_NICE); one working folder (media, parts cache) for all, as on
one machine.

Measured through HTTP on that server, signed in as the regions' planners (one after another, one
request at a time): each region's problem list and plan dashboard, idle (workers up, queue
empty; after warm rounds, each gunicorn process keeping its own charts), then while the exports
run, then idle again as a check on the first idle figures. The twenty exports are the planners'
POSTs of the export form, sent at once from twenty threads. Printed: the time until all twenty
are done, each export's wait in the queue and its rendering (median / max), the pages exported,
the failures, the pages' idle p95 and p95 during the exports against the 1.5x budget, the load
average and n= for every figure. Bounded: EXPORTS_WAIT_SECONDS (default 360) for the exports;
about six minutes in all on a quiet 2-core machine.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch db> make bench BENCH=exports
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import (
    ROOT,
    database_url,
    fresh_database,
    process_env,
    report,
    setup_django,
    summary,
)
from benchmarks.forms import form_fields
from benchmarks.live import WebUser

REGIONS = int(os.environ.get("EXPORTS_REGIONS", "20"))  # fewer for a quick try
TASK_WORKERS = 2
EXPORT_SCALE = float(os.environ.get("EXPORTS_SCALE", "0.1"))  # of bench_pdf's ~300 pages
WAIT_SECONDS = float(os.environ.get("EXPORTS_WAIT_SECONDS", "360"))
WARM_ROUNDS = 12  # a region's charts left cold in one of 3 processes: (2/3)^12, under 1 %
IDLE_ROUNDS = 3  # over all regions: 60 requests per page
BUDGET_RATIO = 1.5
# The topology of docs/deploy.md's national service, on one machine: EXPORTS_WORKER_CPUS=1 pins
# the task workers and their renderers to core 1 and the web server (and this client) to the
# others, as if the workers had a machine of their own. Empty: everything shares every core.
WORKER_CPUS = {int(c) for c in os.environ.get("EXPORTS_WORKER_CPUS", "").split(",") if c.strip()}


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Processes:
    """The web server and the task workers, each in its own process group, so stop() ends
    their children (gunicorn's workers, the PDF renderers) too."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.running: dict[str, subprocess.Popen] = {}

    def start(
        self, name: str, command: list[str], env: dict[str, str], cpus: set[int] | None = None
    ) -> None:
        log = (self.folder / f"{name}.log").open("w")
        if cpus:  # children (gunicorn's workers, the renderers) inherit the affinity
            command = ["taskset", "--cpu-list", ",".join(map(str, sorted(cpus))), *command]
        self.running[name] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def check(self) -> None:
        for name, process in self.running.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} stopped ({process.returncode}): see {self.folder}")

    def stop(self) -> None:
        for process in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.running.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_healthy(port: int, processes: Processes, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        processes.check()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")


def build() -> list[dict]:
    """The twenty regions, their documents filled; per region what the run needs."""
    from benchmarks import bench_national
    from benchmarks.bench_pdf import fill_document
    from drafts.models import Document
    from issues.models import Problem

    bench_national.REGIONS = REGIONS  # read when build() runs
    data = bench_national.build()
    regions = []
    for index, (plan, planner) in enumerate(zip(data["plans"], data["planners"], strict=True)):
        document = Document.objects.get(plan=plan)
        sections = fill_document(document, scale=EXPORT_SCALE, seed=index)
        regions.append(
            {
                "plan": plan,
                "planner": planner,
                "document": document,
                "problems": Problem.objects.filter(plan=plan).count(),
                "words": sum(s.word_count for s in sections),
                "tables": sum(len(s.captions) for s in sections),
            }
        )
    return regions


def session_cookie(planner) -> tuple[str, str]:
    """The planner's session as a signed-in browser holds it (both steps of the login),
    made here: twenty password hashes and authenticator codes would only slow the start."""
    from django.conf import settings
    from django.test import Client

    from tests.factories import sign_in

    client = Client(HTTP_HOST="127.0.0.1")
    sign_in(client, planner)
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def main() -> None:
    began_all = time.monotonic()
    # A TERM (make interrupted, a timeout) still runs the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    fresh_database()
    setup_django()
    from django.conf import settings

    regions = build()
    print(
        f"built in {time.monotonic() - began_all:.0f} s: {len(regions)} regions, "
        f"{sum(r['problems'] for r in regions):,} problems "
        f"({min(r['problems'] for r in regions)}-{max(r['problems'] for r in regions)} a region), "
        f"documents of {statistics.median(r['words'] for r in regions):,.0f} words and "
        f"{statistics.median(r['tables'] for r in regions):.0f} tables (median); {load()}",
        flush=True,
    )
    # Twenty sign-ins are not the figures: their audit lines stay out of the output.
    logging.getLogger("rpjmd.audit").setLevel(logging.WARNING)
    cookies = [session_cookie(r["planner"]) for r in regions]

    folder = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    port = free_port()
    env = process_env(folder, database_url()) | {
        "STATIC_MANIFEST": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    # Production runs the web at nice 0 and the workers PDF_EXPORT_NICE levels lower; the
    # benchmark keeps that distance from its own level, as far as 19 allows (under `nice -n 19`,
    # how the build machine runs benchmarks, none is left: a process cannot raise its priority).
    nice = (os.nice(0), min(19, os.nice(0) + settings.PDF_EXPORT_NICE))
    processes = Processes(folder)
    bin_dir = Path(sys.executable).parent
    web_cpus = set(os.sched_getaffinity(0)) - WORKER_CPUS if WORKER_CPUS else None
    if WORKER_CPUS:
        if not web_cpus or not WORKER_CPUS.issubset(os.sched_getaffinity(0)):
            raise SystemExit(f"EXPORTS_WORKER_CPUS={sorted(WORKER_CPUS)}: no core left for the web")
        os.sched_setaffinity(0, web_cpus)  # the client measures from the web's side
    print(
        f"topology: web on cores {sorted(web_cpus)}, task workers and renderers on cores "
        f"{sorted(WORKER_CPUS)}"
        if WORKER_CPUS
        else "topology: web, task workers and renderers share every core",
        flush=True,
    )
    try:
        processes.start("gunicorn", [str(bin_dir / "gunicorn"), "rpjmd.wsgi"], env, web_cpus)
        for n in range(1, TASK_WORKERS + 1):
            processes.start(
                f"worker-{n}",
                [sys.executable, "manage.py", "db_worker", "--interval", "1", "--no-reload"],
                env | {"PDF_EXPORT_NICE": str(nice[1])},
                WORKER_CPUS,
            )
        wait_healthy(port, processes)
        run(regions, cookies, port, processes, nice)
    finally:
        processes.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"total {time.monotonic() - began_all:.0f} s", flush=True)


def run(
    regions: list[dict], cookies: list[tuple[str, str]], port: int, processes, nice: tuple
) -> None:
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult

    from drafts.models import Export

    pages = {
        "problem list": "/rencana/{plan}/permasalahan/",
        "plan dashboard": "/rencana/{plan}/",
    }
    users = [WebUser("127.0.0.1", port, cookies={name: value}) for name, value in cookies]
    errors: list[str] = []

    def visit(index: int, times: dict[str, list[float]]) -> None:
        user, plan = users[index], regions[index]["plan"].pk
        for page, path in pages.items():
            answer = user.get(path.format(plan=plan))
            if answer.status != 200:
                errors.append(f"{page} {answer.status}")
            times[page].append(answer.seconds)

    # Each gunicorn process draws a region's dashboard charts once and keeps them (the cache is
    # per process): warm rounds, so that the idle figures are not first drawings. Connections
    # idle past gunicorn's keep-alive (2 s) reconnect, which spreads the regions over processes.
    warm: dict[str, list[float]] = {page: [] for page in pages}
    for _ in range(WARM_ROUNDS):
        for index in range(len(regions)):
            visit(index, warm)
    idle: dict[str, list[float]] = {page: [] for page in pages}
    for _ in range(IDLE_ROUNDS):
        for index in range(len(regions)):
            visit(index, idle)
    idle_load = load()
    print(
        f"idle measured; {idle_load}; nice: web {nice[0]}, workers and renderers {nice[1]}",
        flush=True,
    )

    # Each planner opens the export page, then all twenty press "Ekspor" together.
    forms = []
    for index, region in enumerate(regions):
        path = f"/rencana/{region['plan'].pk}/dokumen/ekspor/"
        page = users[index].get(path)
        fields = form_fields(page.body, path, page_url=path) | {"source": ["live"]}
        forms.append((path, fields))
    together = threading.Barrier(len(regions))
    posted: list[tuple[int, float]] = [(0, 0.0)] * len(regions)

    def press(index: int) -> None:
        path, fields = forms[index]
        together.wait()
        answer = users[index].post(path, fields)
        posted[index] = (answer.status, answer.seconds)

    threads = [threading.Thread(target=press, args=(i,)) for i in range(len(regions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    queued = time.monotonic()
    refused = [status for status, _ in posted if status != 302]
    documents = [r["document"].pk for r in regions]
    unfinished = Q(status__in=[Export.Status.QUEUED, Export.Status.RUNNING])

    busy: dict[str, list[float]] = {page: [] for page in pages}
    loads: list[float] = []
    index, checked = 0, 0.0
    while time.monotonic() - queued < WAIT_SECONDS:
        visit(index % len(regions), busy)
        index += 1
        loads.append(os.getloadavg()[0])
        if time.monotonic() - checked > 1:
            checked = time.monotonic()
            processes.check()
            if not Export.objects.filter(unfinished, document__in=documents).exists():
                break
    after: dict[str, list[float]] = {page: [] for page in pages}
    if not Export.objects.filter(unfinished, document__in=documents).exists():
        for _ in range(IDLE_ROUNDS):  # the check on the idle figures: the same, queue empty
            for index in range(len(regions)):
                visit(index, after)
    exports = list(Export.objects.filter(document__in=documents))
    done = [e for e in exports if e.status == Export.Status.DONE]
    failed = [e for e in exports if e.status == Export.Status.FAILED]
    still = [e for e in exports if e.status in (Export.Status.QUEUED, Export.Status.RUNNING)]

    print(
        f"exports queued: {len(exports)} of {len(regions)} "
        f"(POSTs answered 302: {len(regions) - len(refused)}, median "
        f"{statistics.median(s for _, s in posted) * 1000:.0f} ms, max "
        f"{max(s for _, s in posted) * 1000:.0f} ms)",
        flush=True,
    )
    if done:
        first = min(e.created_at for e in exports)
        last = max(e.finished_at for e in done)
        waits = [(e.started_at - e.created_at).total_seconds() for e in done]
        renders = [(e.finished_at - e.started_at).total_seconds() for e in done]
        page_counts = [e.pages or 0 for e in done]
        label = f"all {len(regions)} done after" if len(done) == len(regions) else "last done after"
        print(
            f"{label:<44} {(last - first).total_seconds():6.1f} s  ({TASK_WORKERS} task workers, "
            f"{os.cpu_count()} cores)",
            flush=True,
        )
        print(
            f"{'queue wait per export':<44} median {statistics.median(waits):6.1f} s  "
            f"max {max(waits):6.1f} s  (n={len(waits)})",
            flush=True,
        )
        print(
            f"{'rendering per export (start to stored file)':<44} median "
            f"{statistics.median(renders):6.1f} s  max {max(renders):6.1f} s  (n={len(renders)})",
            flush=True,
        )
        print(
            f"{'pages exported':<44} {sum(page_counts):,} ({min(page_counts)}-{max(page_counts)}"
            f" an export)",
            flush=True,
        )
    taken = [
        w
        for result in DBTaskResult.objects.filter(task_path__endswith="export_task")
        for w in result.worker_ids[-1:]
    ]
    shares = sorted((taken.count(w) for w in set(taken)), reverse=True)
    print(f"{'exports per task worker':<44} {' / '.join(map(str, shares)) or '-'}", flush=True)
    failures = len(failed) + len(still) + (len(regions) - len(exports))
    print(
        f"{'failures':<44} {failures} (failed {len(failed)}, unfinished after "
        f"{WAIT_SECONDS:.0f} s {len(still)}, not queued {len(regions) - len(exports)})"
        + "".join(f"\n  export {e.pk}: {e.failure}" for e in failed),
        flush=True,
    )
    print(f"{'web errors (not 200)':<44} {len(errors)} {errors[:5] if errors else ''}", flush=True)

    for page in pages:
        report(f"{page}, idle", idle[page])
        report(f"{page}, during the exports", busy[page])
        if after[page]:
            report(f"{page}, idle again after", after[page])
        if busy[page]:
            idle_p95, busy_p95 = summary(idle[page])["p95_ms"], summary(busy[page])["p95_ms"]
            ratio = busy_p95 / idle_p95
            check = ""
            if after[page]:
                again = summary(after[page])["p95_ms"]
                check = f"; against idle again after {busy_p95 / again:.2f}x"
            print(
                f"{page + ' p95 idle / during':<44} {idle_p95:.1f} ms / {busy_p95:.1f} ms = "
                f"{ratio:.2f}x [{'within' if ratio <= BUDGET_RATIO else 'OVER'} "
                f"{BUDGET_RATIO:g}x] (n={len(idle[page])}/{len(busy[page])}){check}",
                flush=True,
            )
    if loads:
        print(
            f"{'load average (1 min)':<44} idle {idle_load}; during the exports median "
            f"{statistics.median(loads):.1f}, max {max(loads):.1f}; after {load()}",
            flush=True,
        )


if __name__ == "__main__":
    main()
