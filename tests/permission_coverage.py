"""The permission-coverage gate (QUALITY C7): 100 % of the lines and branches of the permission
modules, reached by the tests whose job is authorization.

Loaded with `-p tests.permission_coverage --permission-coverage=<module>,...` (the Makefile does,
in CI). Tracing the whole suite under coverage cost PostgreSQL's pass 270 of its 610 seconds on 2
cores, because Python 3.11's tracer sees every line of every test. Here the tracer runs while
the modules are imported (their `def` lines) and during the tests listed in `TRACED`, and is
paused everywhere else; the gate asks those tests alone to reach every line and branch, which
is the stronger claim (docs/decisions.md, "Permission coverage from the authorization tests").
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

# The route walk (every URL × role × outsider) and the tests of the rules themselves.
TRACED = (
    "tests/test_authorization.py",
    "tests/drafts/test_permissions.py",
    "tests/drafts/test_block_visibility.py",
    "tests/drafts/test_history_visibility.py",
    "tests/fgd/test_visibility.py",
    "tests/hardening/test_audit.py",
    "tests/issues/test_potentials.py",
    "tests/regional/test_indicators.py",
    "tests/rpjmd/test_long_term.py",
)

DATA_DIR = Path(__file__).resolve().parents[1] / "var" / "test"
OPTION = "--permission-coverage"


def _modules(args) -> list[str]:
    for arg in args:
        if arg.startswith(OPTION + "="):
            # xdist's workers are started later by this process and inherit the environment.
            os.environ["RPJMD_PERMISSION_COVERAGE"] = arg.split("=", 1)[1]
    return [m for m in os.environ.get("RPJMD_PERMISSION_COVERAGE", "").split(",") if m]


def pytest_addoption(parser):
    parser.addoption(
        OPTION,
        default="",
        help="comma-separated permission modules that the TRACED tests must cover fully",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # Before pytest-django sets Django up and before collection imports the apps, so that the
    # modules' own import (their def and class lines) is recorded too.
    modules = _modules(args)
    if not modules:
        return
    import coverage

    run = os.environ.setdefault("RPJMD_COVERAGE_RUN", os.urandom(6).hex())
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    cov = coverage.Coverage(
        data_file=str(DATA_DIR / f".permission-coverage.{run}"),
        data_suffix=True,
        source=modules,
        branch=True,
        config_file=False,
    )
    # Under xdist this controller process imports no app module: the workers measure.
    cov.set_option("run:disable_warnings", ["module-not-imported", "no-data-collected"])
    cov.start()
    early_config.pluginmanager.register(_Gate(cov, modules), "permission_coverage_gate")


class _Gate:
    def __init__(self, cov, modules):
        self.cov = cov
        self.modules = modules
        self.tracing = True
        self.report = ""
        self.failed = False

    def _pause(self):
        if self.tracing:
            self.cov.stop()
            self.tracing = False

    def _resume(self):
        if not self.tracing:
            self.cov.start()
            self.tracing = True

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session):
        self._pause()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        traced = item.nodeid.split("::")[0] in TRACED
        if traced:
            self._resume()
        try:
            yield
        finally:
            if traced:
                self._pause()

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session):
        self._pause()
        self.cov.save()
        if "PYTEST_XDIST_WORKER" in os.environ or session.config.option.collectonly:
            return  # the controller combines every worker's data
        import coverage

        combined = coverage.Coverage(
            data_file=self.cov.config.data_file, branch=True, config_file=False
        )
        parts = [str(p) for p in DATA_DIR.glob(Path(self.cov.config.data_file).name + ".*")]
        combined.combine(parts, keep=False)
        out = io.StringIO()
        try:
            total = combined.report(
                file=out, show_missing=True, skip_covered=True, include=self._files(combined)
            )
        except coverage.exceptions.NoDataError:
            total = 0.0
            out.write("no data: none of the TRACED tests ran\n")
        self.failed = total < 100
        self.report = out.getvalue() + (
            f"permission coverage from the authorization tests: {total:.2f} % "
            f"({', '.join(self.modules)}); required 100 %\n"
        )
        Path(self.cov.config.data_file).unlink(missing_ok=True)
        if self.failed and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def _files(self, combined):
        data = combined.get_data()
        wanted = {m.replace(".", "/") + ".py" for m in self.modules}
        return [f for f in data.measured_files() if any(f.endswith(w) for w in wanted)]

    def pytest_terminal_summary(self, terminalreporter):
        if self.report:
            terminalreporter.section("permission coverage")
            terminalreporter.write(self.report)
