"""A real S3-compatible server on 127.0.0.1 for the object-storage tests and `make cluster`.

moto in server mode (a dev dependency) speaks the S3 REST API over HTTP; the app reaches it
through django-storages and boto3 exactly as it would reach a data centre's object store, so
nothing in the client library is mocked. Its data lives in the server's memory and ends with it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ACCESS_KEY = "rpjmd-local"  # moto accepts any key; these name the test server, not a secret
SECRET_KEY = "rpjmd-local-not-a-secret"  # noqa: S105
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class S3Server:
    """`python -m moto.server` on 127.0.0.1:port, stopped by stop() (or the with block)."""

    def __init__(self, port: int | None = None, log: Path | None = None):
        self.port = port or free_port()
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> S3Server:
        out = self.log.open("w") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the S3 server stopped at start")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the S3 server did not answer within {timeout} s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __enter__(self) -> S3Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def client(self):
        # lazy: boto3 is needed only by those who start a server
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def create_private_bucket(self, name: str) -> None:
        """A bucket as docs/deploy.md asks for one: every public-access block on."""
        client = self.client()
        client.create_bucket(Bucket=name)
        client.put_public_access_block(
            Bucket=name,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )

    def storage_env(self, bucket: str) -> dict[str, str]:
        """The environment variables (.env.example) that put the app's files in the bucket."""
        return {
            "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": self.url,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }
