"""`make load`: a bounded load test against `make prod` on 127.0.0.1 (issue 8, QUALITY I1/I7).

Starts the production processes on a fresh PostgreSQL database with the demo, logs in USERS
virtual users (the demo accounts, several sessions each), then for SECONDS lets them work with
a realistic mix of the pages that exist so far, with a short think time, and prints per page
the count, median, p95 and maximum, plus the errors. It never asserts on time: the figures go
into the closing note. Later modules add their pages to MIX.

    make load [LOAD_USERS=50] [LOAD_SECONDS=60] [PORT=8103]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.common import database_url, fresh_database
from benchmarks.live import DEMO_TOTP_KEY, ROOT, ProdServer, WebUser

DEMO_PASSWORD = "Demo-2020-Teknokratik"
# Who works how much: (username, share of the users).
CAST = [
    ("perencana", 0.30),
    ("opd.disdikbud", 0.2),
    ("opd.dinkes", 0.15),
    ("opd.dpu", 0.15),
    ("wiyono", 0.12),
    ("sumedi", 0.08),
]


def mix(
    role: str, plan: int, stage: int, seen: dict[str, list[int]] | None = None
) -> list[tuple[float, str, str, dict | None, dict]]:
    """(weight, page name, method and path, form data, headers) for one kind of user.

    `seen` holds the problems and sections this user found on their own lists (module pages
    are only asked for objects the user can reach)."""
    seen = seen or {}
    problems, sections = seen.get("problems") or [], seen.get("sections") or []
    hx = {"HX-Request": "true"}
    common = [
        (5, "dashboard", f"GET /rencana/{plan}/", None, {}),
        (1, "plan list", "GET /rencana/", None, {}),
        (1, "notifications", "GET /notifikasi/", None, {}),
    ]
    modules = [(2, "document", f"GET /rencana/{plan}/dokumen/", None, {})]
    if problems:
        modules.append(
            (2, "problem detail", f"GET /permasalahan/{problems[stage % len(problems)]}/", None, {})
        )
    if sections:
        modules.append((2, "section", f"GET /bagian/{sections[stage % len(sections)]}/", None, {}))
    if role == "perencana":
        return (
            common
            + modules
            + [
                (3, "stage list", f"GET /rencana/{plan}/tahapan/", None, {}),
                (1, "stage list (htmx)", f"GET /rencana/{plan}/tahapan/", None, hx),
                (1, "stage edit form", f"GET /tahapan/{stage}/ubah/", None, {}),
                (2, "stage open/close (htmx)", f"POST /tahapan/{stage}/status/", {"state": ""}, hx),
                (2, "problem list", f"GET /rencana/{plan}/permasalahan/?q=sekolah", None, {}),
                (1, "collection progress", f"GET /rencana/{plan}/permasalahan/progres/", None, {}),
                (1, "FGD list", f"GET /rencana/{plan}/fgd/", None, {}),
                (1, "strategic issues", f"GET /rencana/{plan}/isu-strategis/", None, {}),
            ]
        )
    if role.startswith("opd."):
        return (
            common
            + modules
            + [
                (3, "problem list", f"GET /rencana/{plan}/permasalahan/", None, {}),
                (1, "document board", f"GET /rencana/{plan}/dokumen/papan/", None, {}),
            ]
        )
    if role == "wiyono":
        return (
            common
            + modules
            + [
                (
                    2,
                    "strategic issue results",
                    f"GET /rencana/{plan}/isu-strategis/hasil/",
                    None,
                    {},
                ),
                (1, "PDF exports", f"GET /rencana/{plan}/dokumen/ekspor/", None, {}),
            ]
        )
    if role == "sumedi":
        return common + [
            (2, "FGD list", f"GET /rencana/{plan}/fgd/", None, {}),
            (2, "scoring sheet", f"GET /rencana/{plan}/isu-strategis/penilaian/", None, {}),
        ]
    return common


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(users: int, seconds: float, port: int) -> int:
    seconds = min(seconds, 300)  # bounded, whatever is asked
    fresh_database()
    server = ProdServer(
        database_url(), port, ROOT / "var" / "load-prod.log", DEMO="1", LOG_LEVEL="WARNING"
    )
    print(f"make prod on 127.0.0.1:{port} against {database_url().rsplit('/', 1)[-1]} ...")
    server.start()
    try:
        return drive(server, users, seconds)
    finally:
        server.stop()


def drive(server: ProdServer, users: int, seconds: float) -> int:
    names = [name for name, share in CAST for _ in range(max(1, round(share * users)))][:users]
    while len(names) < users:
        names.append("perencana")
    people: list[tuple[str, WebUser]] = []
    started = time.monotonic()
    first_of: dict[str, WebUser] = {}
    for name in names:
        if name == "perencana" and name in first_of:
            # A second code in the same 30 s would be a replay: further planners share the login.
            person = first_of[name].same_session()
        else:
            person = WebUser("127.0.0.1", server.port)
            person.log_in(name, DEMO_PASSWORD, totp_key=DEMO_TOTP_KEY)
            first_of.setdefault(name, person)
        people.append((name, person))
    print(f"{users} users logged in ({time.monotonic() - started:.1f} s, Argon2 on 2 cores)")

    probe = people[0][1].get("/")
    plan = int(re.search(r"/rencana/(\d+)/", probe.headers.get("location", "")).group(1))
    stages = [
        int(pk)
        for pk in re.findall(
            r"/tahapan/(\d+)/ubah/",
            next(p for n, p in people if n == "perencana").get(f"/rencana/{plan}/tahapan/").body,
        )
    ]

    # What each account reaches on its own lists: its problems, the document's sections.
    seen: dict[str, dict[str, list[int]]] = {}
    for name, person in people:
        if name not in seen and name != "sumedi":
            listing = person.get(f"/rencana/{plan}/permasalahan/").body
            document = person.get(f"/rencana/{plan}/dokumen/").body
            seen[name] = {
                "problems": sorted(
                    {int(pk) for pk in re.findall(r"/permasalahan/(\d+)/", listing)}
                ),
                "sections": sorted({int(pk) for pk in re.findall(r"/bagian/(\d+)/", document)}),
            }

    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work(name: str, person: WebUser, seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            stage = rng.choice(stages)
            choices = mix(name, plan, stage, seen.get(name))
            weight, page, target, data, headers = rng.choices(
                choices, weights=[c[0] for c in choices]
            )[0]
            method, path = target.split(" ", 1)
            if data is not None and "state" in data:
                data = {"state": rng.choice(["open", "closed"])}
            try:
                answer = person.request(method, path, data, **headers)
                ok = answer.status in (200, 302) and "Traceback" not in answer.body
                outcome = None if ok else f"HTTP {answer.status}"
                elapsed = answer.seconds
            except OSError as error:
                outcome, elapsed = f"{type(error).__name__}", 0.0
            with lock:
                timings[page].append(elapsed)
                if outcome:
                    errors[page].append(outcome)
            time.sleep(rng.uniform(0.2, 1.0))  # think time

    threads = [
        threading.Thread(target=work, args=(name, person, n))
        for n, (name, person) in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    total = sum(len(v) for v in timings.values())
    failed = sum(len(v) for v in errors.values())
    every = [t for values in timings.values() for t in values]
    print(
        f"\n{users} users, {seconds:.0f} s: {total} requests ({total / seconds:.1f}/s), "
        f"{failed} errors"
    )
    print(f"{'page':<26}{'count':>7}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
    for page in sorted(timings):
        values = timings[page]
        print(
            f"{page:<26}{len(values):>7}{statistics.median(values) * 1000:>11.0f}"
            f"{percentile(values, 0.95) * 1000:>9.0f}{max(values) * 1000:>9.0f}"
            f"{len(errors[page]):>8}"
        )
    print(
        f"{'all pages':<26}{total:>7}{statistics.median(every) * 1000:>11.0f}"
        f"{percentile(every, 0.95) * 1000:>9.0f}{max(every) * 1000:>9.0f}{failed:>8}"
    )
    for page, problems in sorted(errors.items()):
        if problems:
            print(f"  errors on {page}: {sorted(set(problems))}")
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8103)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(ROOT)))
    sys.exit(run(args.users, args.seconds, args.port))


if __name__ == "__main__":
    main()
