"""The app's runtime imports come from runtime dependencies (issue 13): production installs
pyproject.toml without extras (Dockerfile, .ci/prod-install), so a package listed only under
the dev extra breaks it at the first request or command that reaches the import."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from tests.project import APP_PACKAGES, ROOT


def distribution_names(requirements: list[str]) -> set[str]:
    return {canonical(re.split(r"[\[=<>!~; ]", req, maxsplit=1)[0]) for req in requirements}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def top_level_imports(path: Path) -> set[str]:
    """Every absolute import in the file, at module level or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_app_module_imports_a_dev_only_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = distribution_names(project["dependencies"])
    dev_only = distribution_names(project["optional-dependencies"]["dev"]) - runtime
    assert "pytest" in dev_only and "hypothesis" in dev_only  # the check looks at something
    providers = packages_distributions()
    offenders = []
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for module in top_level_imports(path):
                if module in sys.stdlib_module_names or module in APP_PACKAGES:
                    continue
                for dist in providers.get(module, []):
                    if canonical(dist) in dev_only:
                        offenders.append(f"{path.relative_to(ROOT)}: {module} ({dist})")
    assert not offenders, "dev-only packages imported by the app: " + ", ".join(offenders)


def test_the_dockerfile_installs_without_extras():
    """The image is what .ci/prod-install checks: `pip install .`, no extras."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"pip install [^\n]*\.(\s|$)", dockerfile)
    assert ".[dev]" not in dockerfile


def test_the_list_names_every_app_of_the_project():
    from django.apps import apps

    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT
    }
    assert ours == set(APP_PACKAGES)
