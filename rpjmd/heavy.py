"""Heavy work done inside a web request, bounded: chapter previews, FGD documents, signing a
berita acara (each renders a PDF), and checking uploads (parsing a PDF, re-encoding a picture).

At most one such piece per user and `HEAVY_WORK_SLOTS` (default 2, one per core) on the whole
machine at a time, all gunicorn processes and threads together. A page that finds no room
answers 429 "sedang memproses, coba lagi sebentar" at once instead of queueing: a queued request
would keep a gunicorn thread waiting, and a user who clicks "pratinjau" five times must not take
five. Uploads wait a few seconds for a slot instead (`UPLOAD_WAIT_SECONDS`): the checks are short,
and losing a filled-in form to a 429 would be worse.

The slots are files under `HEAVY_WORK_LOCK_DIR` held with flock(): the kernel releases them when
the process dies, so a killed worker never leaves a slot taken, and nothing is written to the
database for a preview. Several machines behind one balancer each have their own slots.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from rpjmd.errors import error_fragment, wants_fragment

RETRY_AFTER_SECONDS = 5
UPLOAD_WAIT_SECONDS = 15
POLL_SECONDS = 0.05


class Busy(Exception):
    """No slot free for this user or on the site."""


def busy_message() -> str:
    return _("Server sedang memproses, coba lagi sebentar.")


def _folder() -> Path:
    folder = Path(settings.HEAVY_WORK_LOCK_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _try_lock(path: Path) -> int | None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        # A separate open file per attempt: flock() then also excludes threads of one process.
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _acquire(paths: list[Path], deadline: float) -> int:
    while True:
        for path in paths:
            fd = _try_lock(path)
            if fd is not None:
                return fd
        if time.monotonic() >= deadline:
            raise Busy
        time.sleep(POLL_SECONDS)


@contextlib.contextmanager
def slot(user_id: int | None, *, wait: float = 0) -> Iterator[None]:
    """Hold this user's slot (when given) and one of the site's; raise Busy if none is free
    within `wait` seconds."""
    folder = _folder()
    deadline = time.monotonic() + wait
    held: list[int] = []
    try:
        if user_id is not None:
            held.append(_acquire([folder / f"user-{int(user_id)}.lock"], deadline))
        count = max(1, int(settings.HEAVY_WORK_SLOTS))
        held.append(_acquire([folder / f"site-{n}.lock" for n in range(count)], deadline))
        yield
    finally:
        for fd in held:
            os.close(fd)  # closing the file releases its flock


def take_render_slot() -> int | None:
    """One of the machine's `PDF_RENDER_SLOTS` for rendering a part of an export, or None when
    all are taken (the caller waits for its own renderings or polls). The returned descriptor
    holds the slot until it is closed; a killed worker's slots are freed by the kernel. With no
    limit set, every call gets a slot that holds nothing."""
    count = int(settings.PDF_RENDER_SLOTS)
    if count <= 0:
        return os.open(os.devnull, os.O_RDONLY)
    folder = _folder()
    try:
        return _acquire([folder / f"render-{n}.lock" for n in range(count)], time.monotonic())
    except Busy:
        return None


def busy_response(request: HttpRequest) -> HttpResponse:
    """429 with Retry-After: a message fragment for htmx, a page otherwise."""

    message = busy_message()
    if wants_fragment(request):
        response = error_fragment(429, message)
    else:
        response = render(request, "busy.html", {"message": message}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
