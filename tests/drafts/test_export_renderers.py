"""The export's renderer processes (issue 18): kept warm between exports, and never left behind
when an export stops: SIGTERM to the command line, a worker killed outright, a task given up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from drafts import export, tasks
from drafts.models import Export
from tests.drafts.test_export import filled, pdf_settings, read  # noqa: F401 - fixtures

ROOT = Path(django_settings.BASE_DIR)

# A process that starts the export's renderers, gives them a long rendering, prints their
# process ids and waits, with the export_pdf command's SIGTERM handler installed.
EXPORTING = textwrap.dedent(
    """
    import os, signal, sys, time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rpjmd.settings")
    import django
    django.setup()
    from drafts import export
    from drafts.management.commands.export_pdf import _stop
    from drafts.pdfworker import render_part

    if __name__ == "__main__":
        signal.signal(signal.SIGTERM, _stop)
        pool = export.renderers(2)
        html = "<html><body>" + "<p>kata " * 40000 + "</body></html>"
        futures = [pool.submit(render_part, html) for _ in range(2)]
        time.sleep(1)
        print(" ".join(str(pid) for pid in pool._processes), flush=True)
        for future in futures:
            future.result()
    """
)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has stopped; only its exit status is left to collect


def gone_within(pids: list[int], seconds: float = 60) -> bool:
    # Generous: on a loaded machine a renderer at a low priority may wait to be scheduled.
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def start_exporting(tmp_path) -> tuple[subprocess.Popen, list[int]]:
    script = tmp_path / "exporting.py"
    script.write_text(EXPORTING)
    env = os.environ | {"DEBUG": "1", "PYTHONPATH": str(ROOT), "VAR_DIR": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, str(script)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    line = process.stdout.readline()
    pids = [int(pid) for pid in line.split()]
    assert len(pids) == 2, line
    assert all(alive(pid) for pid in pids)
    return process, pids


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_no_renderer_outlives_a_stopped_export(tmp_path, stop):
    process, pids = start_exporting(tmp_path)
    process.send_signal(stop)
    process.wait(timeout=30)
    assert gone_within(pids), [pid for pid in pids if alive(pid)]


def test_a_task_given_up_while_rendering_stops_its_renderers(world, filled, settings, monkeypatch):  # noqa: F811
    settings.PDF_EXPORT_WORKERS = 2
    settings.PDF_SEGMENT_CHARS = 1000  # many parts: the export is still rendering when it stops
    monkeypatch.setattr(export, "SMALL_RENDER_CHARS", 0)  # a small document uses them too
    item = Export.objects.create(document=filled, created_by=world.planner)
    seen: list[int] = []
    report = tasks._progress

    def progress(export_):
        real = report(export_)

        def step(percent, text):
            if export._renderers and not seen:
                pool = next(iter(export._renderers.values()))
                seen.extend(pool._processes)
                # Meanwhile another process gave the export up (as mark_stale does).
                Export.objects.filter(pk=item.pk).update(status=Export.Status.FAILED)
            real(percent, text)

        return step

    monkeypatch.setattr(tasks, "_progress", progress)
    result = tasks.run_export(item.pk)
    assert result.status == Export.Status.FAILED and not result.file
    assert seen and gone_within(seen)
    assert export._renderers == {}


def test_renderers_are_kept_between_exports(world, filled, settings, monkeypatch):  # noqa: F811
    settings.PDF_EXPORT_WORKERS = 2
    settings.PDF_SEGMENT_CHARS = 1000
    monkeypatch.setattr(export, "SMALL_RENDER_CHARS", 0)
    try:
        first = export.build_pdf(filled)
        pool = next(iter(export._renderers.values()))
        pids = set(pool._processes)
        filled.running_header = not filled.running_header
        filled.save()  # the chapters' HTML changes: they are rendered again
        second = export.build_pdf(filled)
        assert second.rendered > 1 and first.pages == second.pages
        assert set(next(iter(export._renderers.values()))._processes) == pids
        assert all(alive(pid) for pid in pids)
    finally:
        export.stop_renderers()
    assert gone_within(list(pids))
