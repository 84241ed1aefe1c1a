"""`make cluster`: the application on several nodes, proven on this machine (issue 15).

Starts, all on 127.0.0.1 and all stopped again at the end (also after a failure):

* PostgreSQL: a fresh database `clu_cluster` on the local server (5432), dropped at the end;
* PgBouncer in transaction mode in front of it (every process connects through it);
* an S3 server (moto in server mode) with one private bucket for every file;
* two web nodes (gunicorn), each with its own working folder (VAR_DIR, MEDIA_ROOT, the PDF
  parts cache folder, static files, lock files): nothing on a local disk is shared;
* two task workers (db_worker), each with its own working folder too;
* nginx spreading requests over the two nodes, passing the client address (PROXY_COUNT=1)
  and naming the node that answered in a response header.

Then a journey that crosses nodes at every step (evidence uploaded through node A, downloaded
through node B; a section picture uploaded through B; an export queued on A, rendered by one
worker, downloaded through B, with the picture in it; a second export rendered by the other
worker, reusing the first one's parts from the bucket), and a load run through nginx during
which node A is killed half-way. It prints the figures; it never asserts on time.

    make cluster [CLUSTER_USERS=16] [CLUSTER_SECONDS=40]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

from benchmarks.common import process_env
from benchmarks.forms import form_fields
from benchmarks.live import DEMO_TOTP_KEY, ROOT, WebUser
from benchmarks.load import DEMO_PASSWORD, NODE_HEADER, drive, export_pdf, survey
from benchmarks.objectstore import S3Server

DATABASE = "clu_cluster"
BUCKET = "rpjmd-cluster"
PROXY, NODE_A, NODE_B, POOLER, OBJECTS = 8210, 8211, 8212, 8220, 8230
WORK = ROOT / "var" / "cluster"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def psql(sql: str, database: str = "postgres", port: int = 5432) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


class Cluster:
    """Every process of the cluster; stop() ends them all, whatever state they are in."""

    def __init__(self):
        self.processes: dict[str, subprocess.Popen] = {}
        self.pooler_dir: Path | None = None
        self.proxy_tmp: Path | None = None
        self.s3 = S3Server(OBJECTS, log=WORK / "logs" / "s3.log")

    # --- environment -------------------------------------------------------------------------

    def env(self, folder: str, **extra: str) -> dict[str, str]:
        """One node's or worker's environment: its own folder, the shared services."""
        own = WORK / folder
        return (
            process_env(own, f"postgres://postgres@127.0.0.1:{POOLER}/{DATABASE}")
            | {
                "SECRET_KEY": "cluster-run-only-key-not-a-secret-0123456789abcdef",
                "PROXY_COUNT": "1",
                "STATIC_ROOT": str(own / "static"),
                "WEB_CONCURRENCY": "2",
                "WEB_THREADS": "4",
                "PDF_EXPORT_WORKERS": "1",
            }
            | self.s3.storage_env(BUCKET)
            | extra
        )

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (WORK / "logs" / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def run(self, command: list[str], env: dict[str, str]) -> None:
        subprocess.run(command, cwd=ROOT, env=env, check=True)

    # --- services ----------------------------------------------------------------------------

    def start_database(self) -> None:
        psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{DATABASE}"')

    def start_pooler(self) -> None:
        # PgBouncer refuses to run as root: it drops to the postgres account, which must own
        # the folder of its configuration, log and pid file.
        self.pooler_dir = Path(tempfile.mkdtemp(prefix="clu-pgbouncer-"))
        (self.pooler_dir / "users.txt").write_text('"postgres" ""\n')
        (self.pooler_dir / "pgbouncer.ini").write_text(
            textwrap.dedent(f"""\
                [databases]
                {DATABASE} = host=127.0.0.1 port=5432 dbname={DATABASE} user=postgres
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = {POOLER}
                unix_socket_dir =
                auth_type = trust
                auth_file = {self.pooler_dir}/users.txt
                pool_mode = transaction
                admin_users = postgres
                default_pool_size = 20
                max_client_conn = 400
                server_reset_query =
                logfile = {self.pooler_dir}/pgbouncer.log
                pidfile = {self.pooler_dir}/pgbouncer.pid
                """)
        )
        for path in [self.pooler_dir, *self.pooler_dir.iterdir()]:
            shutil.chown(path, "postgres")
        pgbouncer = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        command = [pgbouncer, "-u", "postgres", str(self.pooler_dir / "pgbouncer.ini")]
        if os.geteuid() != 0:
            command = command[:1] + command[3:]
        self.start("pgbouncer", command, dict(os.environ))
        wait_for_port(POOLER, "PgBouncer")

    def start_proxy(self) -> None:
        folder = WORK / "proxy"
        folder.mkdir(parents=True, exist_ok=True)
        # nginx's workers run as nobody: their buffer folders must be writable for them.
        self.proxy_tmp = Path(tempfile.mkdtemp(prefix="clu-nginx-"))
        self.proxy_tmp.chmod(0o777)
        tmp = self.proxy_tmp
        (folder / "nginx.conf").write_text(
            textwrap.dedent(f"""\
                daemon off;
                worker_processes 1;
                pid {folder}/nginx.pid;
                error_log {WORK}/logs/nginx-error.log warn;
                events {{ worker_connections 1024; }}
                http {{
                    log_format nodes '$remote_addr "$request" $status $upstream_addr '
                                     '$request_time';
                    access_log {WORK}/logs/nginx-access.log nodes;
                    client_body_temp_path {tmp}/body;
                    proxy_temp_path {tmp}/proxy;
                    fastcgi_temp_path {tmp}/fastcgi;
                    uwsgi_temp_path {tmp}/uwsgi;
                    scgi_temp_path {tmp}/scgi;
                    client_max_body_size 30m;
                    upstream nodes {{
                        server 127.0.0.1:{NODE_A} max_fails=1 fail_timeout=10s;
                        server 127.0.0.1:{NODE_B} max_fails=1 fail_timeout=10s;
                        keepalive 16;
                    }}
                    server {{
                        listen 127.0.0.1:{PROXY};
                        location / {{
                            proxy_pass http://nodes;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $http_host;
                            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            # A node that is down: the next one answers. nginx retries only
                            # requests that cannot have changed anything (not a POST in flight).
                            proxy_next_upstream error timeout http_502 http_503;
                            proxy_connect_timeout 2s;
                            proxy_read_timeout 120s;
                            add_header {NODE_HEADER} $upstream_addr always;
                        }}
                    }}
                }}
                """)
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.start("nginx", [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf")], {})
        wait_for_port(PROXY, "nginx")

    def start_node(self, name: str, port: int, static_from: str | None = None) -> None:
        env = self.env(name, GUNICORN_BIND=f"127.0.0.1:{port}")
        if static_from:  # a copy (each node has its own disk), minutes cheaper than collecting
            shutil.copytree(WORK / static_from / "static", WORK / name / "static")
        else:
            self.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        self.start(name, [GUNICORN, "rpjmd.wsgi"], env)

    def start_worker(self, name: str) -> None:
        command = [PY, "manage.py", "db_worker", "--interval", "1", "--no-reload"]
        self.start(name, [*command, "--worker-id", name], self.env(name))

    def kill(self, name: str) -> None:
        """Kill a process group at once (SIGKILL): a node that dies, not one that stops."""
        process = self.processes[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def pause(self, name: str, paused: bool) -> None:
        os.kill(self.processes[name].pid, signal.SIGSTOP if paused else signal.SIGCONT)

    def stop(self) -> None:
        for name, process in reversed(list(self.processes.items())):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGCONT)
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            print(f"  stopped {name}")
        self.s3.stop()
        for folder in (self.pooler_dir, self.proxy_tmp):
            if folder:
                shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(subprocess.CalledProcessError):
            psql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def wait_for_port(port: int, what: str, timeout: float = 60) -> None:
    import socket  # lazy: only the waits need it

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer on 127.0.0.1:{port} within {timeout:.0f} s")


def wait_healthy(port: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if WebUser("127.0.0.1", port, timeout=3).get("/health/").status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"the node on {port} did not become healthy within {timeout:.0f} s")


def local_files() -> list[Path]:
    """Files the nodes and workers wrote to their own disks for users' content."""
    found = []
    for own in WORK.glob("*"):
        for kind in ("media", "cache"):
            found += [p for p in (own / kind).rglob("*") if p.is_file()]
    return found


def sample_pdf() -> bytes:
    from pypdf import PdfWriter  # lazy: pypdf is a runtime dependency, needed here only

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sample_png(size: tuple[int, int]) -> bytes:
    from PIL import Image  # lazy: as above

    out = io.BytesIO()
    Image.new("RGB", size, (20, 110, 190)).save(out, "PNG")
    return out.getvalue()


def picture_sizes(pdf: bytes) -> set[tuple[int, int]]:
    from pypdf import PdfReader  # lazy: as above

    return {
        (image.image.width, image.image.height)
        for page in PdfReader(io.BytesIO(pdf)).pages
        for image in page.images
    }


def step(text: str) -> None:
    print(f"- {text}", flush=True)


def journey(cluster: Cluster) -> dict:
    """Every step on another node than the one before; returns its figures."""
    opd_a = WebUser("127.0.0.1", NODE_A)
    # Dinkes: the demo's problem returned with a note is theirs, editable by them and readable
    # by the planner (a draft would be the agency's own).
    opd_a.log_in("opd.dinkes", DEMO_PASSWORD)
    planner_b = WebUser("127.0.0.1", NODE_B)
    planner_b.log_in("perencana", DEMO_PASSWORD, totp_key=DEMO_TOTP_KEY)
    planner_a = planner_b.via(NODE_A)
    plan = int(re.search(r"/rencana/(\d+)/", opd_a.get("/").headers["location"]).group(1))
    (opd_reach, planner_reach) = survey([("opd.dinkes", opd_a), ("perencana", planner_b)], plan)

    # 1. Evidence: uploaded by the OPD through A, downloaded by the planner through B.
    evidence = sample_pdf()
    problem = next(
        (
            pk
            for pk in opd_reach.problems
            if f"/permasalahan/{pk}/ubah/" in opd_a.get(f"/permasalahan/{pk}/").body
            and planner_b.get(f"/permasalahan/{pk}/").status == 200
        ),
        None,
    )
    assert problem is not None, "no problem of Dinkes both editable by it and read by the planner"
    path = f"/permasalahan/{problem}/ubah/"
    fields = form_fields(opd_a.get(path).body, path, page_url=path)
    fields.pop("attachments", None)
    saved = opd_a.post(
        path, fields, files={"attachments": ("bukti-cluster.pdf", evidence, "application/pdf")}
    )
    assert saved.status == 302, f"evidence upload on A answered {saved.status}"
    page = planner_b.get(f"/permasalahan/{problem}/").body
    attachment = max(int(pk) for pk in re.findall(r"/lampiran/(\d+)/unduh/", page))
    got = planner_b.get(f"/lampiran/{attachment}/unduh/")
    assert got.status == 200 and got.raw == evidence, "evidence through B differs"
    step(
        f"evidence uploaded through node A (:{NODE_A}), downloaded by the planner through "
        f"node B (:{NODE_B})"
    )

    # 2. A picture inserted in a section through B.
    size = (97, 61)  # a size nothing else in the demo document has
    answer = planner_b.post(
        f"/rencana/{plan}/dokumen/gambar/",
        files={"file": ("peta-cluster.png", sample_png(size), "image/png")},
    )
    assert answer.status == 200, f"picture upload on B answered {answer.status}"
    location = re.search(r'"location":\s*"([^"]+)"', answer.body).group(1)
    section = planner_reach.section or planner_reach.sections[0]
    path = f"/bagian/{section}/ubah/"
    fields = form_fields(planner_b.get(path).body, path)
    fields["body"] = [fields["body"][0] + f'<p><img src="{location}" alt="Peta cluster"></p>']
    fields["note"] = ["gambar lewat node B"]
    assert planner_b.post(path, fields).status == 302, "saving the section on B failed"
    step("a picture uploaded and inserted in a section through node B")

    # 3. Export queued on A while worker-2 is paused: worker-1 renders it.
    cluster.pause("worker-2", True)
    try:
        started = time.monotonic()
        link = export_pdf(planner_a, plan, timeout=400)
        first_seconds = time.monotonic() - started
    finally:
        cluster.pause("worker-2", False)
    pdf = planner_b.get(link)
    assert pdf.status == 200 and pdf.raw.startswith(b"%PDF"), "export download through B failed"
    assert size in picture_sizes(pdf.raw), "the picture inserted on B is not in the PDF"
    step(
        f"export queued on node A, rendered by worker-1 in {first_seconds:.1f} s, downloaded "
        f"through node B ({len(pdf.raw) // 1024} KB), the picture from B inside"
    )

    # 4. The same document exported again through B while worker-1 is paused: worker-2,
    # which rendered nothing yet, reuses worker-1's parts from the bucket.
    cluster.pause("worker-1", True)
    try:
        started = time.monotonic()
        link = export_pdf(planner_b, plan, timeout=400)
        second_seconds = time.monotonic() - started
    finally:
        cluster.pause("worker-1", False)
    again = planner_a.get(link)
    assert again.status == 200 and again.raw.startswith(b"%PDF")
    exports = psql(
        "select id, reused, pages, seconds from drafts_export order by id desc limit 2", DATABASE
    )
    workers = psql(
        "select worker_ids from django_tasks_database_dbtaskresult where task_path like '%export%' "
        "order by enqueued_at desc limit 2",
        DATABASE,
    )
    step(
        f"second export queued on node B, rendered by worker-2 in {second_seconds:.1f} s, "
        "downloaded through node A. Newest first, exports (id|chapters reused|pages|seconds):"
        f" {exports.split()}; their workers: {workers.split()}"
    )
    files = local_files()
    step(f"files written to the nodes' and workers' own disks: {len(files)}")
    assert not files, files
    return {"plan": plan, "first": first_seconds, "second": second_seconds}


def versions() -> tuple[int, int]:
    sections = psql("select coalesce(sum(version), 0) from drafts_section", DATABASE)
    problems = psql("select coalesce(sum(version), 0) from issues_problem", DATABASE)
    return int(sections), int(problems)


def load_run(cluster: Cluster, users: int, seconds: float) -> int:
    before = versions()

    def kill_node_a() -> None:
        cluster.kill("node-a")
        print(
            f"\n  ** node A killed (SIGKILL) {seconds / 2:.0f} s into the working time **\n",
            flush=True,
        )

    stats: dict = {}
    status = drive(
        SimpleNamespace(port=PROXY),
        users,
        seconds,
        (0.5, 1.5),
        midway=kill_node_a,
        stats=stats,
    )
    after = versions()
    timings, errors, conflicts = stats["timings"], stats["errors"], stats["conflicts"]

    def confirmed(page: str) -> int:
        return len(timings.get(page, [])) - len(errors.get(page, [])) - conflicts.get(page, 0)

    print(
        f"\nsaves confirmed to users (302): sections {confirmed('section save')}, problems "
        f"{confirmed('problem edit (save)')}; new versions in the database: sections "
        f"{after[0] - before[0]}, problems {after[1] - before[1]}"
    )
    server_errors = [e for v in errors.values() for e in v if re.search(r"HTTP 5\d\d", e)]
    others = sum(map(len, errors.values())) - len(server_errors)
    print(f"5xx answers: {len(server_errors)}; other errors: {others}")
    return status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=40)
    args = parser.parse_args()
    seconds = min(args.seconds, 120)  # bounded, whatever is asked

    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "logs").mkdir(parents=True)
    cluster = Cluster()

    def terminated(signum, frame):
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGTERM, terminated)
    status = 1
    started = time.monotonic()
    try:
        print("Starting the cluster on 127.0.0.1 ...", flush=True)
        cluster.start_database()
        cluster.s3.start()
        cluster.s3.create_private_bucket(BUCKET)
        cluster.start_pooler()
        setup = cluster.env("setup")
        cluster.run([PY, "manage.py", "migrate", "--noinput", "-v0"], setup)
        cluster.run([PY, "manage.py", "demo", "--quiet"], setup)
        cluster.start_node("node-a", NODE_A)
        cluster.start_node("node-b", NODE_B, static_from="node-a")
        cluster.start_worker("worker-1")
        cluster.start_worker("worker-2")
        cluster.start_proxy()
        wait_healthy(NODE_A)
        wait_healthy(NODE_B)
        shutil.rmtree(WORK / "setup", ignore_errors=True)  # the demo's loader, not a node
        print(
            f"up in {time.monotonic() - started:.0f} s: nginx :{PROXY} -> nodes :{NODE_A} "
            f":{NODE_B}; workers 2; PgBouncer :{POOLER} (transaction) -> PostgreSQL :5432/"
            f"{DATABASE}; S3 :{OBJECTS}/{BUCKET}\n\nJourney across nodes:",
            flush=True,
        )
        journey(cluster)
        print(f"\nLoad through nginx, {args.users} users, {seconds:.0f} s, node A killed half-way:")
        status = load_run(cluster, args.users, seconds)
        print("PgBouncer (SHOW STATS / SHOW POOLS):")
        for command in ("SHOW STATS", "SHOW POOLS"):
            table = subprocess.run(
                ["psql", "-h", "127.0.0.1", "-p", str(POOLER), "-U", "postgres", "-d", "pgbouncer"]
                + ["-c", command],
                capture_output=True,
                text=True,
            )
            print(textwrap.indent(table.stdout.strip() or table.stderr.strip(), "  "))
        objects = cluster.s3.client().list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)
        print(
            f"objects in the bucket: {objects}; local user files on the nodes: {len(local_files())}"
        )
    finally:
        print("Stopping the cluster:")
        cluster.stop()
        print(f"make cluster took {time.monotonic() - started:.0f} s; logs in {WORK / 'logs'}")
    sys.exit(status)


if __name__ == "__main__":
    main()
