"""The Indonesian interface uses Indonesian words and notation (KBBI, PUEBI).

Every string marked for translation, in the templates and the Python code, is Indonesian: it
is what an Indonesian user reads. None may say Snapshot (the app's word is *versi beku*), Draft
(*draf*) or E-mail (*surel*), and none may write a time as 08:00 (PUEBI: 08.00).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils.translation import template

ROOT = Path(__file__).resolve().parents[1]
APPS = ["rpjmd", "issues", "fgd", "drafts", "regional"]
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
}
CALL = re.compile(r"\b(?:n|p|np)?gettext\(((?:u?'(?:[^'\\\\]|\\\\.)*'\s*,?\s*)+)")
FORBIDDEN = re.compile(r"\bsnapshots?\b|\bdrafts?\b|\be-?mails?\b|\b\d{1,2}:\d{2}\b", re.I)


def template_strings() -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        code = template.templatize(path.read_text(), origin=str(path))
        # templatize writes each string as a Python literal inside a gettext call.
        for literal in CALL.findall(code):
            found += [
                (str(path.relative_to(ROOT)), s)
                for s in ast.literal_eval(f"({literal.rstrip(', ')},)")
            ]
    return found


def python_strings() -> list[tuple[str, str]]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for call in ast.walk(ast.parse(path.read_text())):
                found += [(str(path.relative_to(ROOT)), s) for s in _strings(call)]
    return found


def _strings(node) -> list[str]:
    if not isinstance(node, ast.Call):
        return []
    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
    if name not in GETTEXT:
        return []
    return [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]


@pytest.mark.parametrize("source", [template_strings, python_strings], ids=["templates", "python"])
def test_no_english_terms_or_colon_times_in_the_indonesian_interface(source):
    strings = source()
    assert len(strings) > 300  # the extraction found the interface
    offending = sorted({(where, text) for where, text in strings if FORBIDDEN.search(text)})
    assert offending == [], "\n".join(f"{where}: {text}" for where, text in offending)
