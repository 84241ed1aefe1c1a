"""Development mail: one readable text file per message in an outbox folder.

`make run` (DEBUG) sends mail here instead of printing raw MIME to the console, where eight
notifications of the demo buried the logins. A file holds what a person would read in a mail
client: sender, recipients, subject, date, the plain-text body and the names of attachments.
"""

from __future__ import annotations

import re
import threading
from email.utils import format_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

_lock = threading.Lock()


def outbox_dir() -> Path:
    return Path(settings.EMAIL_OUTBOX_DIR)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:50] or "surel"


def _attachment_name(attachment) -> str:
    # attach(filename, content, mimetype) stores a tuple; attach(MIMEBase) the MIME part itself.
    if isinstance(attachment, tuple):
        return str(attachment[0])
    return attachment.get_filename() or attachment.get_content_type()


def readable(message) -> str:
    lines = [
        f"Dari: {message.from_email}",
        f"Kepada: {', '.join(message.to)}",
    ]
    if message.cc:
        lines.append(f"Tembusan: {', '.join(message.cc)}")
    lines += [
        f"Subjek: {message.subject}",
        f"Tanggal: {format_datetime(timezone.localtime())}",
        "",
        message.body,
    ]
    names = [_attachment_name(a) for a in message.attachments]
    if names:
        lines += ["", "Lampiran: " + ", ".join(names)]
    return "\n".join(lines).rstrip() + "\n"


class OutboxBackend(BaseEmailBackend):
    """Writes each message to EMAIL_OUTBOX_DIR/<time>-<n>-<subject>.txt."""

    def send_messages(self, email_messages) -> int:
        folder = outbox_dir()
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        # Several processes (web, worker) may write at once: the name is claimed with "x".
        with _lock:
            for message in email_messages:
                if not message.recipients():
                    continue
                text = readable(message)
                n = 1
                while True:
                    path = folder / f"{stamp}-{n:03d}-{_slug(message.subject)}.txt"
                    try:
                        with path.open("x", encoding="utf-8") as file:
                            file.write(text)
                        break
                    except FileExistsError:
                        n += 1
                sent += 1
        return sent
