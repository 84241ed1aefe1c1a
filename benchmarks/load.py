"""`make load`: a bounded load test against `make prod` on 127.0.0.1 (issue 8, QUALITY I1/I7).

Starts the production processes on a fresh PostgreSQL database with the demo, logs in USERS
virtual users (the demo accounts, several sessions each), has a planner export the live
document to PDF (waiting for the task worker), then for SECONDS lets them work with a realistic
mix: OPD staff edit their problems and save their sections, planners review and save sections,
leaders download the PDF, everyone browses, with a think time of THINK seconds between actions
(users start spread over one think time, not in unison). The default 1-3 s is a busy office, a
click every two seconds per person; 0.2-1 s overloads 2 cores on purpose and measures capacity
(docs/decisions.md, "Load test"). It prints per page the count, median, p95 and maximum, the
errors and the edit conflicts. It never asserts on time: the figures go into the closing note.
Later modules add their pages to `mix()`.

    make load [LOAD_USERS=50] [LOAD_SECONDS=60] [LOAD_THINK=1,3] [PORT=8103]
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import database_url, fresh_database
from benchmarks.forms import form_fields
from benchmarks.live import DEMO_TOTP_KEY, ROOT, Answer, ProdServer, WebUser

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


# One mix entry: (weight, page name, verb and path, form data, headers).
Entry = tuple[float, str, str, dict | None, dict]
# One request done: (page name, its answer, outcome: None if fine, "conflict", or the error).
Record = tuple[str, Answer, str | None]


@dataclass
class Reach:
    """What one user found before the clock started: module pages and writes are only asked
    for objects the user can reach."""

    problems: list[int] = field(default_factory=list)  # on the account's problem list
    sections: list[int] = field(default_factory=list)  # in the document
    review: list[int] = field(default_factory=list)  # submitted problems with a review form
    problem: int | None = None  # an own problem still editable (a draft or returned)
    section: int | None = None  # a section this user may edit, if possible their own
    pdf: str | None = None  # the download link of the finished export
    # Of the pages one role reads (results, scoring sheet), those that opened for the account:
    # on the demo's live plan the results are not open yet and the narasumber rates nothing.
    opens: set[str] = field(default_factory=set)


def mix(role: str, plan: int, stage: int, reach: Reach | None = None) -> list[Entry]:
    """The entries for one kind of user.

    Verbs: GET and POST are one request. EDIT opens a problem's form and posts it back with the
    statement reworded; SAVE opens a section's editor and saves it with one paragraph changed
    (each also records its form as a page of its own). DOWNLOAD fetches a PDF: not a page."""
    reach = reach or Reach()
    problems, sections = reach.problems, reach.sections
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
    # Authors saving their sections: OPD staff their assigned ones, planners any.
    writing = []
    if reach.section is not None:
        writing.append((1.5, "section save", f"SAVE /bagian/{reach.section}/ubah/", None, {}))
    if role == "perencana":
        reviewing = [
            (
                1,
                "review queue",
                f"GET /rencana/{plan}/permasalahan/?status=submitted&sort=diajukan",
                None,
                {},
            )
        ]
        if reach.review:
            # The detail page holds the review form; deciding would change what OPD staff may
            # edit, so the planners look but do not decide.
            pk = reach.review[stage % len(reach.review)]
            reviewing.append((1, "problem review", f"GET /permasalahan/{pk}/", None, {}))
        return (
            common
            + modules
            + writing
            + reviewing
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
        if reach.problem is not None:
            path = f"/permasalahan/{reach.problem}/ubah/"
            writing.append((1.5, "problem edit (save)", f"EDIT {path}", None, {}))
        return (
            common
            + modules
            + writing
            + [
                (3, "problem list", f"GET /rencana/{plan}/permasalahan/", None, {}),
                (1, "document board", f"GET /rencana/{plan}/dokumen/papan/", None, {}),
            ]
        )
    if role == "wiyono":
        downloads = [(1, "PDF download", f"DOWNLOAD {reach.pdf}", None, {})] if reach.pdf else []
        return (
            common
            + modules
            + downloads
            + [
                (2, "strategic issue results", f"GET {results}", None, {})
                for results in [f"/rencana/{plan}/isu-strategis/hasil/"]
                if results in reach.opens
            ]
            + [(1, "PDF exports", f"GET /rencana/{plan}/dokumen/ekspor/", None, {})]
        )
    if role == "sumedi":
        return common + [
            (2, "FGD list", f"GET /rencana/{plan}/fgd/", None, {}),
            *[
                (2, "scoring sheet", f"GET {sheet}", None, {})
                for sheet in [f"/rencana/{plan}/isu-strategis/penilaian/"]
                if sheet in reach.opens
            ],
        ]
    return common


STATEMENT_SUFFIX = " (diperbarui)"
PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p>", re.S)
ERROR_LIST = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)


def outcome(answer: Answer, *expected: int) -> str | None:
    """None if the answer is one of the expected statuses, else the error to print."""
    if answer.status in expected and "Traceback" not in answer.body:
        return None
    reason = ERROR_LIST.search(answer.body)  # a form that did not validate says why
    detail = f": {re.sub(r'<[^>]+>', ' ', reason.group(1)).split()}" if reason else ""
    return f"HTTP {answer.status}{detail}"


def edit_problem(person: WebUser, path: str, page: str) -> list[Record]:
    """An OPD author opens their problem's form and posts back every field as the form holds
    it, the statement reworded (the suffix comes and goes, so the text keeps its size). The
    form's "Simpan" button has no name: this is the plain save, the problem stays a draft. A 409
    (another session of the account saved it since this form was opened: the conflict page,
    issue 13) is a legitimate outcome, counted apart like the sections'."""
    form = person.get(path)
    records: list[Record] = [("problem edit form", form, outcome(form, 200))]
    if form.status == 200:
        fields = form_fields(form.body, path, page_url=path)
        text = fields["statement"][0]
        fields["statement"] = [
            text.removesuffix(STATEMENT_SUFFIX)
            if text.endswith(STATEMENT_SUFFIX)
            else text + STATEMENT_SUFFIX
        ]
        saved = person.post(path, fields)
        conflict = saved.status == 409 and "Sudah diubah orang lain" in saved.body
        records.append((page, saved, "conflict" if conflict else outcome(saved, 302)))
    return records


def retouch(body: str, slot: int) -> str:
    """The body with one paragraph changed: user `slot`'s marker at the end of paragraph
    `slot` (modulo their number) comes or goes. Users sharing a section mostly change
    different paragraphs, which the server merges."""
    marker = f" [u{slot}]"
    paragraphs = list(PARAGRAPH.finditer(body))
    if not paragraphs:
        own = f"<p>{marker.strip()}</p>"
        return body.removesuffix(own) if body.endswith(own) else body + own
    end = paragraphs[slot % len(paragraphs)].end() - len("</p>")
    if body[:end].endswith(marker):
        return body[: end - len(marker)] + body[end:]
    return body[:end] + marker + body[end:]


def save_section(person: WebUser, path: str, page: str, slot: int) -> list[Record]:
    """An author opens the editor and saves one paragraph changed, with a version note. A 409
    (someone saved the same paragraph meanwhile: the conflict page) is a legitimate outcome."""
    form = person.get(path)
    records: list[Record] = [("section edit form", form, outcome(form, 200))]
    if form.status == 200:
        fields = form_fields(form.body, path)
        fields["body"] = [retouch(fields["body"][0], slot)]
        fields["note"] = [f"uji beban, pengguna {slot}"]
        saved = person.post(path, fields)
        conflict = saved.status == 409 and "/gabung/" in saved.body
        records.append((page, saved, "conflict" if conflict else outcome(saved, 302)))
    return records


def download(person: WebUser, path: str, page: str) -> list[Record]:
    answer = person.get(path)
    pdf = answer.status == 200 and answer.raw.startswith(b"%PDF")
    kind = answer.headers.get("content-type", "?")
    return [(page, answer, None if pdf else f"HTTP {answer.status} {kind}, not a PDF")]


def act(person: WebUser, entry: Entry, slot: int) -> list[Record]:
    """Do one entry of the mix; the errors name the path."""
    _, page, target, data, headers = entry
    verb, path = target.split(" ", 1)
    if verb == "EDIT":
        records = edit_problem(person, path, page)
    elif verb == "SAVE":
        records = save_section(person, path, page, slot)
    elif verb == "DOWNLOAD":
        records = download(person, path, page)
    else:
        answer = person.request(verb, path, data, **headers)
        records = [(page, answer, outcome(answer, 200, 302))]
    return [
        (name, answer, f"{result} on {path}" if result not in (None, "conflict") else result)
        for name, answer, result in records
    ]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(users: int, seconds: float, port: int, think: tuple[float, float]) -> int:
    seconds = min(seconds, 300)  # bounded, whatever is asked
    fresh_database()
    server = ProdServer(
        database_url(), port, ROOT / "var" / "load-prod.log", DEMO="1", LOG_LEVEL="WARNING"
    )
    print(f"make prod on 127.0.0.1:{port} against {database_url().rsplit('/', 1)[-1]} ...")
    server.start()
    try:
        return drive(server, users, seconds, think)
    finally:
        server.stop()


def export_pdf(planner: WebUser, plan: int, timeout: float = 120) -> str:
    """The planner exports the live document; the download link once the task worker has
    rendered it, as the export list shows it."""
    path = f"/rencana/{plan}/dokumen/ekspor/"
    page = planner.get(path).body
    before = set(re.findall(r'id="ekspor-(\d+)"', page))
    fields = form_fields(page, path, page_url=path) | {"source": ["live"]}
    answer = planner.post(path, fields)
    if answer.status != 302:
        raise RuntimeError(f"starting the export answered {answer.status}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listing = planner.get(path).body
        new = set(re.findall(r'id="ekspor-(\d+)"', listing)) - before
        if new:
            pk = max(new, key=int)
            row = re.search(rf'<tr id="ekspor-{pk}".*?</tr>', listing, re.S).group(0)
            link = re.search(r'href="([^"]*/ekspor/\d+/unduh/)"', row)
            if link:
                return link.group(1)
            if "badge--danger" in row:
                reason = re.sub(r"<[^>]+>", " ", row).split()
                raise RuntimeError(f"the export failed: {' '.join(reason)}")
        time.sleep(1)
    raise RuntimeError(f"no finished export within {timeout:.0f} s")


def survey(people: list[tuple[str, WebUser]], plan: int) -> list[Reach]:
    """Each user's reach, found on the pages as a person would: the account's lists, the edit
    link on a problem's page, the editors that open, the submitted problems' review forms."""
    accounts: dict[str, Reach] = {}
    own_problems: dict[str, list[int]] = {}  # an OPD account's problems showing "Ubah"
    role_pages = {
        "wiyono": f"/rencana/{plan}/isu-strategis/hasil/",
        "sumedi": f"/rencana/{plan}/isu-strategis/penilaian/",
    }
    for name, person in people:
        if name in accounts:
            continue
        if name in role_pages:
            # The page answers 200 or 403 for this account, nothing else.
            opened = person.get(role_pages[name]).status == 200
            if not opened:
                print(f"  {name}: {role_pages[name]} does not open; left out of the mix")
            role_reach = Reach(opens={role_pages[name]} if opened else set())
            if name == "sumedi":
                accounts[name] = role_reach
                continue
        listing = person.get(f"/rencana/{plan}/permasalahan/").body
        document = person.get(f"/rencana/{plan}/dokumen/").body
        reach = accounts[name] = Reach(
            problems=sorted({int(pk) for pk in re.findall(r"/permasalahan/(\d+)/", listing)}),
            sections=sorted({int(pk) for pk in re.findall(r"/bagian/(\d+)/", document)}),
            opens=role_reach.opens if name in role_pages else set(),
        )
        if name.startswith("opd."):
            own_problems[name] = [
                pk
                for pk in reach.problems
                if f"/permasalahan/{pk}/ubah/" in person.get(f"/permasalahan/{pk}/").body
            ]
        if name == "perencana":
            queue = person.get(f"/rencana/{plan}/permasalahan/?status=submitted").body
            submitted = sorted({int(pk) for pk in re.findall(r"/permasalahan/(\d+)/", queue)})
            reach.review = [
                pk
                for pk in submitted[:10]
                if f"/permasalahan/{pk}/tinjau/" in person.get(f"/permasalahan/{pk}/").body
            ]

    # Sections to save, as many as the account has users, each preferring sections nobody else
    # took. Saving an approved section sends it back to review, which hides it from the other
    # agencies reading it: only sections whose OPD readers may all edit them are saved.
    editors: dict[str, set[int]] = {}  # account -> sections whose editor opens for it

    def opens(name: str, pk: int) -> bool:
        person = next(p for n, p in people if n == name)
        editor = person.get(f"/bagian/{pk}/ubah/")
        return editor.status == 200 and 'name="base_version"' in editor.body

    opd = [name for name in accounts if name.startswith("opd.")]
    for name in opd:  # few sections each: try them all
        editors[name] = {pk for pk in accounts[name].sections if opens(name, pk)}
    own_sections: dict[str, list[int]] = {}
    taken: set[int] = set()
    for name in [*opd, "perencana"] if "perencana" in accounts else opd:
        wanted = sum(1 for n, _ in people if n == name)
        mine = own_sections[name] = []
        for pk in sorted(accounts[name].sections, key=lambda pk: pk in taken):
            if len(mine) == wanted:
                break
            readers = [o for o in opd if o != name and pk in accounts[o].sections]
            if all(pk in editors[o] for o in readers) and (
                pk in editors[name] if name in editors else opens(name, pk)
            ):
                mine.append(pk)
        taken.update(mine)

    reaches = []
    turn: dict[str, int] = defaultdict(int)
    for name, _ in people:
        account = accounts.get(name, Reach())
        n = turn[name]
        turn[name] += 1
        reach = Reach(problems=account.problems, sections=account.sections, opens=account.opens)
        reach.review = account.review
        if problems := own_problems.get(name):
            reach.problem = problems[n % len(problems)]
        if sections := own_sections.get(name):
            reach.section = sections[n % len(sections)]
        reaches.append(reach)
    return reaches


# A proxy in front of several nodes names the node that answered in this header (make cluster's
# nginx: the upstream's address); the report then counts requests per node.
NODE_HEADER = "x-served-by"


def drive(
    server: ProdServer,
    users: int,
    seconds: float,
    think: tuple[float, float],
    *,
    midway: Callable[[], None] | None = None,
    stats: dict | None = None,
) -> int:
    """The run; `midway` is called (in its own thread) half-way through the working time, and
    `stats` (if given) receives the raw figures: timings, errors, conflicts, nodes."""
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

    planner = next(p for n, p in people if n == "perencana")
    probe = people[0][1].get("/")
    plan = int(re.search(r"/rencana/(\d+)/", probe.headers.get("location", "")).group(1))
    stages = [
        int(pk)
        for pk in re.findall(r"/tahapan/(\d+)/ubah/", planner.get(f"/rencana/{plan}/tahapan/").body)
    ]

    timings: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    conflicts: dict[str, int] = defaultdict(int)
    nodes: dict[str, int] = defaultdict(int)  # answers per node (behind a proxy that says)
    downloads: set[str] = set()  # page names that are downloads, not pages

    started = time.monotonic()
    reaches = survey(people, plan)
    writers = sum(1 for r in reaches if r.problem is not None or r.section is not None)
    print(f"{writers} users with something to edit ({time.monotonic() - started:.1f} s)")

    # Leaders download the PDF a planner exported: made now, before the clock starts.
    started = time.monotonic()
    try:
        pdf = export_pdf(planner, plan)
        print(f"PDF export of the live document ready in {time.monotonic() - started:.1f} s")
    except (RuntimeError, OSError) as error:
        pdf = None
        errors["PDF export (before the run)"].append(str(error))
        print(f"PDF export: {error} ({time.monotonic() - started:.1f} s); no downloads")
    for (name, _), reach in zip(people, reaches, strict=True):
        if name == "wiyono":
            reach.pdf = pdf

    low, high = think
    print(f"{users} users working for {seconds:.0f} s, think time {low:g}–{high:g} s ...")
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work(name: str, person: WebUser, slot: int) -> None:
        rng = random.Random(slot)
        # People do not click in unison: each user starts somewhere within one think time
        # (50 simultaneous first requests would measure a burst no office produces).
        time.sleep(rng.uniform(0, high))
        while time.monotonic() < deadline:
            stage = rng.choice(stages)
            choices = mix(name, plan, stage, reaches[slot])
            entry = rng.choices(choices, weights=[c[0] for c in choices])[0]
            data = entry[3]
            if data is not None and "state" in data:
                entry = (*entry[:3], {"state": rng.choice(["open", "closed"])}, entry[4])
            try:
                records = act(person, entry, slot)
            except (OSError, LookupError) as error:
                with lock:
                    errors[entry[1]].append(f"{type(error).__name__}: {error}")
            else:
                with lock:
                    for page, answer, result in records:
                        timings[page].append(answer.seconds)
                        if NODE_HEADER in answer.headers:
                            nodes[answer.headers[NODE_HEADER]] += 1
                        if result == "conflict":
                            conflicts[page] += 1
                        elif result:
                            errors[page].append(result)
                    if entry[2].startswith("DOWNLOAD "):
                        downloads.add(entry[1])
            time.sleep(rng.uniform(low, high))

    threads = [
        threading.Thread(target=work, args=(name, person, n))
        for n, (name, person) in enumerate(people)
    ]
    if midway is not None:
        threads.append(threading.Timer(seconds / 2, midway))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report(users, seconds, think, timings, errors, conflicts, downloads)
    if nodes:
        print(f"{'node':<26}{'answers':>7}")
        for node, count in sorted(nodes.items()):
            print(f"{node:<26}{count:>7}")
    if stats is not None:
        stats.update(timings=timings, errors=errors, conflicts=conflicts, nodes=nodes, plan=plan)
    return 1 if any(errors.values()) else 0


def report(
    users: int,
    seconds: float,
    think: tuple[float, float],
    timings: dict[str, list[float]],
    errors: dict[str, list[str]],
    conflicts: dict[str, int],
    downloads: set[str],
) -> None:
    total = sum(len(v) for v in timings.values())
    failed = sum(len(v) for v in errors.values())
    pages = [t for page, values in timings.items() if page not in downloads for t in values]
    files = [t for page, values in timings.items() if page in downloads for t in values]
    print(
        f"\n{users} users, {seconds:.0f} s, think time {think[0]:g}–{think[1]:g} s: "
        f"{total} requests ({total / seconds:.1f}/s; {len(pages) / seconds:.1f} pages/s), "
        f"{failed} errors, {sum(conflicts.values())} edit conflicts"
    )

    def line(label: str, values: list[float], failed: int, conflicted: int) -> str:
        figures = (
            f"{statistics.median(values) * 1000:>11.0f}{percentile(values, 0.95) * 1000:>9.0f}"
            f"{max(values) * 1000:>9.0f}"
            if values
            else f"{'-':>11}{'-':>9}{'-':>9}"
        )
        return f"{label:<26}{len(values):>7}{figures}{failed:>8}{conflicted:>10}"

    print(
        f"{'page':<26}{'count':>7}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'errors':>8}"
        f"{'conflicts':>10}"
    )
    for page in sorted(set(timings) | set(errors), key=lambda p: (p in downloads, p)):
        print(line(page, timings[page], len(errors[page]), conflicts[page]))
    page_errors = sum(len(v) for page, v in errors.items() if page not in downloads)
    print(line("all pages", pages, page_errors, sum(conflicts.values())))
    if downloads:
        print(line("all downloads", files, failed - page_errors, 0))
    for page, problems in sorted(errors.items()):
        if problems:
            print(f"  errors on {page}: {sorted(set(problems))[:5]}")


def think_range(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    try:
        bounds = float(low), float(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError("give MIN,MAX in seconds, e.g. 1,3") from None
    if not 0 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError("need 0 <= MIN <= MAX")
    return bounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument(
        "--think",
        type=think_range,
        default=(1.0, 3.0),
        metavar="MIN,MAX",
        help="seconds each user waits between two actions (uniform; default 1,3)",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(ROOT)))
    sys.exit(run(args.users, args.seconds, args.port, args.think))


if __name__ == "__main__":
    main()
