"""The part of the PDF export that runs in the renderer processes: HTML in, PDF bytes out.

Nothing here touches the database: a worker gets a complete HTML document and returns the PDF,
its page count, and the page each anchor (element id) landed on, which the table of contents
needs. Workers run at a lower CPU priority with a cap on their address space, so a pathological
document fails the export instead of slowing the app or exhausting the machine.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import resource
import select
import signal
import threading
from dataclasses import dataclass, field


@dataclass
class RenderedPart:
    pdf: bytes
    pages: int
    anchors: dict[str, int] = field(default_factory=dict)  # id -> page index (0-based)
    landscape: list[int] = field(default_factory=list)  # indexes of landscape pages
    peak_mb: float = 0.0  # the rendering process's peak resident memory (benchmark figure)
    cpu: float = 0.0  # CPU seconds this rendering took (benchmark figure)


def init_worker(nice: int = 3, memory_limit_mb: int = 0, exporter: int = 0) -> None:
    stop_with(exporter)
    lower_priority(nice)
    with contextlib.suppress(AttributeError, OSError):
        # CPU-bound: the scheduler lets a waking web request run first (no wake-up preemption
        # by the renderer), while the renderer keeps its fair share of the CPU at its nice level.
        os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
    if memory_limit_mb:
        limit = memory_limit_mb * 1024 * 1024
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    # Fonts and stylesheets are loaded once, when the renderer starts, not per part.
    render_part(WARM_UP)


PR_SET_PDEATHSIG = 1


def stop_with(exporter: int) -> None:
    """This renderer ends when the exporting process ends, however it was stopped (SIGTERM,
    SIGKILL, a worker restarted): no renderer outlives its export. Its parent is the fork server,
    which lives as long as any renderer holds its pipe, so the renderer watches the exporting
    process itself (a pidfd), and the kernel kills it if the fork server dies."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if not exporter:
        return
    try:
        handle = os.pidfd_open(exporter)
    except ProcessLookupError:
        os._exit(1)  # it ended before this renderer started
    except (AttributeError, OSError):
        return  # no pidfd (not Linux 5.3+): the fork server's end still stops the renderer

    def watch() -> None:
        select.select([handle], [], [])  # readable once the process has ended
        os._exit(1)

    threading.Thread(target=watch, name="stop-with-exporter", daemon=True).start()


WARM_UP = '<html lang="id"><body class="chapter"><p>Pemanasan <b>huruf</b> <i>miring</i></p></body>'
STYLESHEETS = ("css/print.css", "css/document-print.css")
# This process's parsed stylesheets and the fonts they declare, by the files' modification
# times (a changed stylesheet is read again). Read-only once made; one set per process.
_loaded: dict[tuple, tuple] = {}


def stylesheets():
    """The print stylesheets, parsed once per process, and the font configuration holding their
    @font-face fonts. They are applied as user stylesheets: the part's own <style> (paper size,
    page numbers, running header) comes after them as before."""
    # lazy: renderer processes import this module; weasyprint loads only to render
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from rpjmd.pdf import STATIC_DIR, StaticOnlyFetcher

    paths = [STATIC_DIR / name for name in STYLESHEETS]
    key = tuple(path.stat().st_mtime_ns for path in paths)
    if key not in _loaded:
        fonts = FontConfiguration()
        sheets = [
            weasyprint.CSS(
                filename=str(path),
                base_url=path.as_uri(),
                font_config=fonts,
                url_fetcher=StaticOnlyFetcher(),
            )
            for path in paths
        ]
        _loaded.clear()
        _loaded[key] = (sheets, fonts)
    return _loaded[key]


def lower_priority(nice: int = 3) -> None:
    """Run this process at the nice level `nice` (absolute, never raised back: an unprivileged
    process cannot)."""
    with contextlib.suppress(OSError):
        current = os.nice(0)
        if current < nice:
            os.nice(nice - current)


def render_part(html: str) -> RenderedPart:
    # lazy: the PDF pool's child processes import this module; weasyprint loads only to render
    import weasyprint

    from rpjmd.pdf import STATIC_DIR, StaticOnlyFetcher

    began = _cpu()
    sheets, fonts = stylesheets()
    document = weasyprint.HTML(
        string=html, base_url=f"{STATIC_DIR.as_uri()}/", url_fetcher=StaticOnlyFetcher()
    ).render(stylesheets=sheets, font_config=fonts)
    anchors: dict[str, int] = {}
    landscape = []
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
        if page.width > page.height:
            landscape.append(index)
    pdf = document.write_pdf()
    return RenderedPart(
        pdf=pdf,
        pages=len(document.pages),
        anchors=anchors,
        landscape=landscape,
        peak_mb=peak_memory_mb(),
        cpu=_cpu() - began,
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_memory_mb() -> float:
    """This process's peak resident memory (for the benchmark)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
