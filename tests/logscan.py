"""What must never appear in a log line (QUALITY G4): phone numbers, passwords, tokens and
session ids. Used by the session-wide log watch in tests/conftest.py."""

from __future__ import annotations

import json
import logging
import re

SECRETS = {
    # Indonesian phone numbers: 08xx / +628xx / 628xx with optional separators.
    "phone number": re.compile(
        r"(?<![\w.])(?:\+62|62|0)[\s\-.]?8\d{1,2}[\s\-.]?\d{3,4}[\s\-.]?\d{3,5}(?!\d)"
    ),
    "password": re.compile(r"(?i)(?:pass(?:word|wd)?|sandi)\s*[=:]\s*['\"]?(?!\*)[^\s'\"&,;}]+"),
    "session cookie": re.compile(r"(?i)(?:sessionid|__Host-sessionid)\s*[=:]\s*\w+"),
    "csrf token": re.compile(
        r"(?i)(?:csrfmiddlewaretoken|csrftoken|x-csrftoken)\W{1,4}[a-z0-9]{20,}"
    ),
}

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def record_text(record: logging.LogRecord) -> str:
    """Everything a log line could carry: the message, extra fields and the traceback."""
    parts = [record.getMessage()]
    for key, value in vars(record).items():
        if key not in _STANDARD and key != "request":
            parts.append(json.dumps(value, default=str, ensure_ascii=False))
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return "\n".join(parts)


def secrets_in(text: str) -> list[str]:
    return [name for name, pattern in SECRETS.items() if pattern.search(text)]


class LogWatch(logging.Handler):
    """Collects every log record that carries something from SECRETS."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.offences: list[str] = []
        self.seen = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.seen += 1
        text = record_text(record)
        found = secrets_in(text)
        if found:
            self.offences.append(f"{record.name}: {', '.join(found)}: {text[:300]!r}")
