"""Log records as one JSON object per line.

JSON escapes every control character (newline, carriage return, ANSI escape), so whatever a
user types (a username with a line break, a path with ESC sequences) stays inside one record and
cannot forge another one or repaint an operator's terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

# Attributes every LogRecord has; anything else was passed with `extra=` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key != "request":
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # ensure_ascii: the line is plain ASCII, every control and non-ASCII character escaped.
        return json.dumps(entry, ensure_ascii=True, default=str)
