"""A private PostgreSQL cluster for fault tests: restarting it disturbs nobody else."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivatePostgres:
    def __init__(self, root: Path, port: int, as_user: list[str]):
        self.root, self.port, self.as_user = root, port, as_user
        self.data = root / "data"

    def pg_ctl(self, *args: str) -> None:
        # Output to a file, not a pipe: the postmaster pg_ctl starts would inherit the pipe and
        # keep it open, and we would wait for it forever.
        with (self.root / "pg_ctl.log").open("a") as log:
            subprocess.run(
                [*self.as_user, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", *args],
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=60,
            )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=on"
        self.pg_ctl("-o", options, "-l", str(self.root / "postgres.log"), "start")

    def restart_fast(self) -> None:
        """`pg_ctl restart -m fast`: every connection is cut, then the server comes back."""
        self.pg_ctl("-m", "fast", "restart")

    def stop(self) -> None:
        self.pg_ctl("-m", "immediate", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="session")
def private_postgres():
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"PostgreSQL 15 server binaries not found in {PG_BIN}")
    # initdb refuses to run as root: run the cluster as the postgres system user.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="rpjmd-fault-pg-"))
    if as_user:
        shutil.chown(root, "postgres", "postgres")
    cluster = PrivatePostgres(root, free_port(), as_user)
    subprocess.run(
        [
            *as_user,
            str(PG_BIN / "initdb"),
            "-D",
            str(cluster.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        capture_output=True,
    )
    cluster.start()
    yield cluster
    try:
        cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
