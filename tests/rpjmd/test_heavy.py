"""Heavy work in web requests is bounded: one piece per user, a few on the machine (issue 13)."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from rpjmd import heavy


def test_one_slot_per_user_and_a_few_on_the_site(settings):
    settings.HEAVY_WORK_SLOTS = 2
    with heavy.slot(1):
        with pytest.raises(heavy.Busy), heavy.slot(1):
            pass  # the same user again: refused at once
        with heavy.slot(2):  # another user takes the second site slot
            with pytest.raises(heavy.Busy), heavy.slot(3):
                pass  # the site is full
            with pytest.raises(heavy.Busy), heavy.slot(None):
                pass
        with heavy.slot(3):  # freed again
            pass
    with heavy.slot(1):
        pass


def test_another_thread_of_the_same_process_is_excluded_too(settings):
    settings.HEAVY_WORK_SLOTS = 1
    outcome = []

    def other():
        try:
            with heavy.slot(None):
                outcome.append("ran")
        except heavy.Busy:
            outcome.append("busy")

    with heavy.slot(7):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert outcome == ["busy"]


def test_a_waiting_upload_gets_the_slot_once_it_is_released(settings):
    settings.HEAVY_WORK_SLOTS = 1
    held = heavy.slot(None)
    held.__enter__()
    timer = threading.Timer(0.3, held.__exit__, args=(None, None, None))
    timer.start()
    with heavy.slot(None, wait=5):  # waits for the timer's release
        pass
    timer.join()


def test_a_killed_process_leaves_no_slot_taken(settings):
    settings.HEAVY_WORK_SLOTS = 1
    folder = heavy._folder()
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed script
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(folder / 'site-0.lock')!r}, os.O_RDWR | os.O_CREAT, 0o600)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(heavy.Busy), heavy.slot(None):
            pass
    finally:
        holder.kill()
        holder.wait()
    with heavy.slot(None, wait=2):
        pass
