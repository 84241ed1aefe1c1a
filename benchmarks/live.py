"""The production processes on 127.0.0.1 and a small HTTP user for load and fault tests.

`ProdServer` starts `deploy/prod.sh` (gunicorn + task worker, DEBUG off) against a PostgreSQL
database and stops it again; `WebUser` is one browser-like user with its own cookies and
keep-alive connection (stdlib only). Traffic goes to loopback addresses only.
"""

from __future__ import annotations

import http.client
import io
import ipaddress
import os
import re
import signal
import subprocess
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HX_HEADERS = re.compile(
    r"hx-headers='\{&quot;X-CSRFToken&quot;: &quot;([^&]+)&quot;\}'|"
    r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'"
)


def loopback_only(host: str) -> None:
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise SystemExit(f"refusing to send traffic to {host}: loopback only")


class ProdServer:
    """`make prod`'s processes in the background, with their output in a log file."""

    def __init__(self, database_url: str, port: int, log: Path, **env: str):
        self.database_url = database_url
        self.port = port
        self.log = log
        self.env = env
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
        env |= {
            "DATABASE_URL": self.database_url,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "HTTPS": "0",
            "PROD_ENV_LOADED": "",
            **self.env,
        }
        handle = self.log.open("w")
        self.process = subprocess.Popen(
            ["deploy/prod.sh"],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends all of it
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"make prod stopped: see {self.log}")
            if self.healthy():
                return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"make prod did not answer within {timeout} s: see {self.log}")

    def healthy(self) -> bool:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            connection.request("GET", "/health/")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# Downloads kept as bytes only (`Answer.raw`): decoding a PDF as text would be noise.
BINARY_TYPES = ("application/pdf", "application/octet-stream", "application/vnd.", "image/")


@dataclass
class Answer:
    status: int
    body: str  # the decoded text; "" for a binary download
    headers: dict[str, str]
    seconds: float
    raw: bytes = b""


@dataclass
class WebUser:
    """One user: cookies, a keep-alive connection, the CSRF token htmx would send."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""
    timeout: float = 30

    def __post_init__(self):
        loopback_only(self.host)
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        **headers,
    ) -> Answer:
        """One request; a form value may be a list (a field sent several times, as a
        `<select multiple>` or a group of checkboxes). `files` (field: name, bytes, type)
        makes it a multipart upload, as a form with a file input sends it."""
        sent = {"Host": f"{self.host}:{self.port}", "Connection": "keep-alive"} | headers
        body: str | bytes | None = None
        if files:
            body, sent["Content-Type"] = multipart(data or {}, files)
        elif method == "POST":
            body = urllib.parse.urlencode(data or {}, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if body is not None and self.token:
            sent["X-CSRFToken"] = self.token
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        for attempt in range(2):  # a keep-alive connection the server closed: reconnect once
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                raw = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt:
                    raise
        elapsed = time.perf_counter() - started
        binary = (response.getheader("Content-Type") or "").startswith(BINARY_TYPES)
        text = "" if binary else raw.decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        answer = Answer(
            response.status, text, {k.lower(): v for k, v in response.getheaders()}, elapsed, raw
        )
        match = HX_HEADERS.search(text)
        if match:
            self.token = match.group(1) or match.group(2)
        return answer

    def get(self, path: str, **headers) -> Answer:
        return self.request("GET", path, **headers)

    def post(self, path: str, data: dict | None = None, files=None, **headers) -> Answer:
        return self.request("POST", path, data, files, **headers)

    def via(self, port: int) -> WebUser:
        """This user's session on another port (another node of a cluster): the session lives
        in the database, so any node knows it."""
        return WebUser(self.host, port, dict(self.cookies), self.token, self.timeout)

    def log_in(self, username: str, password: str, totp_key: str | None = None) -> None:
        """Log in; planners and admins also give the code of `totp_key` (hex), as their
        authenticator app would."""
        self.get("/masuk/")
        answer = self.post("/masuk/", {"username": username, "password": password})
        if answer.status != 302:
            raise RuntimeError(f"login as {username} failed: {answer.status}")
        # Login rotates the CSRF secret: take the new token from the first page, as a browser.
        answer = self.get("/rencana/")
        if answer.status == 302 and VERIFY_PATH in answer.headers.get("location", ""):
            if totp_key is None:
                raise RuntimeError(f"{username} needs a two-factor code: pass totp_key")
            self.get(answer.headers["location"])
            # A code is accepted once, and one step ahead is tolerated: this step's code, then
            # the next one's, then (both used by earlier logins) the next one's after the step
            # has turned. A refused code throttles the device for 2^(n-1) s (django-otp), when
            # even a right code is refused, so each retry waits that out first.
            for attempt, ahead in enumerate((0, 1, 1, 1)):
                if attempt >= 2:
                    time.sleep(30 - time.time() % 30 + 0.5)  # the next step
                code = totp_code(totp_key, time.time() + 30 * ahead)
                if self.post(VERIFY_PATH, {"code": code}).status == 302:
                    break
                time.sleep(2**attempt + 0.5)
            else:
                raise RuntimeError(f"two-factor login as {username} failed")
            self.get("/rencana/")

    def same_session(self) -> WebUser:
        """Another connection in this user's session (one person, another browser tab): a
        two-factor code works only once, so more tabs of one account share its login."""
        twin = WebUser(self.host, self.port, dict(self.cookies), self.token, self.timeout)
        return twin


def multipart(data: dict, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type header."""
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for key, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
            )
            out.write(f"{value}\r\n".encode())
    for key, (name, content, kind) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{name}"'
            f"\r\nContent-Type: {kind}\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


VERIFY_PATH = "/akun/dua-langkah/verifikasi/"
# rpjmd.demo.DEMO_TOTP_KEY, the published key of the demo's planners and admin (this module
# runs without Django; tests/rpjmd/test_two_factor.py keeps the two equal).
DEMO_TOTP_KEY = b"kukar-demo-rpjmd-2020".hex()


def totp_code(hex_key: str, at: float) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(bytes.fromhex(hex_key))
    totp.time = at
    return f"{totp.token():06d}"
