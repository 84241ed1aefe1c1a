"""The app layering of docs/architecture.md holds in the code: the import-linter contracts of
pyproject.toml are kept, and every import left inside a function says why it is lazy."""

from __future__ import annotations

import ast
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]
from tests.project import APP_PACKAGES as APPS  # noqa: E402


def test_the_import_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def _lazy_imports_without_a_reason() -> list[str]:
    missing = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            for node in ast.walk(ast.parse("\n".join(lines))):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                body = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
                for imp in body:
                    # The reason stands on a comment line just above the import (or the
                    # import group it belongs to).
                    above = [lines[i].strip() for i in range(imp.lineno - 2, -1, -1)]
                    skip = ("from ", "import ")
                    comment = next((t for t in above if t and not t.startswith(skip)), "")
                    if not comment.startswith("# lazy:"):
                        missing.append(f"{path.relative_to(ROOT)}:{imp.lineno}")
    return missing


def test_every_import_inside_a_function_says_why_it_is_lazy():
    assert _lazy_imports_without_a_reason() == []
