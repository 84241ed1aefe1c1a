"""The project's own application packages, named once for the tests that walk the source."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_PACKAGES = ("rpjmd", "issues", "fgd", "drafts", "regional")
