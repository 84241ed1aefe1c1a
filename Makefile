# Two commands a new developer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Two installs: what runs the app (make run: `pip install -e .`) and, on top, the dev extra
# (tests, lint, browser; make test, make e2e, make lint). Each has its stamp: a venv made by make
# run gets the dev extra at the first make test; the dev install stamps both. Editing
# pyproject.toml makes both stale.
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run prod prod-check backup restore load cluster fault test test-sqlite lint security-lint e2e bench install install-run system-libraries messages clean-venv chromium gettext

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $(RUN_STAMP)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP) $(RUN_STAMP)

install: $(STAMP)
install-run: system-libraries $(RUN_STAMP)

# WeasyPrint's Pango, HarfBuzz and fontconfig: checked before anything is installed, so a
# missing one is named with its Debian package at once, not found at the first PDF.
system-libraries:
	@$(PYTHON) deploy/check-system-libraries

# make run: install, migrate the embedded SQLite database, load the demo, then serve the app
# and the background worker together; Ctrl+C stops both. `make run PORT=8102` for another port;
# SITE_URL (links in mails) follows HOST and PORT. migrate has run the system checks already.
# Development mail lands in var/outbox/ (rpjmd/mail.py).
run: export DEBUG ?= 1
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install-run
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	@echo ""
	@echo "Aplikasi berjalan di http://$(HOST):$(PORT)/  (Ctrl+C untuk berhenti)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --interval 1 & \
	  $(PY) manage.py runserver --noreload --skip-checks $(HOST):$(PORT)

# make prod: the production processes locally (see deploy/prod.sh): collectstatic, migrate,
# gunicorn with several workers and threads on HOST:PORT, the task worker; DEBUG off, HTTPS on
# (behind a TLS proxy). `make prod HTTPS=0` for plain HTTP on 127.0.0.1: an explicit choice.
# DATABASE_URL=postgres://... (default: the database "rpjmd" on 127.0.0.1); .env is read if present.
prod: $(STAMP)
	HOST=$(HOST) PORT=$(PORT) deploy/prod.sh

# make prod-check: the production install, proved (.ci/prod-install): a fresh venv with
# `pip install .` and no extras, then migrate, the demo and the RPJMD PDF with DEBUG off in a
# temporary folder. Leaves .venv and var/ alone.
prod-check:
	.ci/prod-install

# make backup: database (pg_dump custom format, or the SQLite file) and media (tar) into
# BACKUP_DIR/<UTC time>/ with a manifest; BACKUP_KEEP_DAYS=N removes older backups.
# make restore BACKUP=var/backups/<time>: into the (empty or new) database of DATABASE_URL and
# the empty MEDIA_ROOT; it never overwrites data. Both read .env like make prod.
backup: $(STAMP)
	deploy/with-env.sh $(PY) manage.py backup

restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "Pakai: make restore BACKUP=var/backups/<waktu> [DATABASE_URL=...] [MEDIA_ROOT=...]"; exit 2; }
	deploy/with-env.sh $(PY) manage.py restore "$(BACKUP)"

# make load: a bounded load test (benchmarks/load.py) against make prod on 127.0.0.1:PORT with a
# fresh database (BENCH_DATABASE_URL, default rpjmd_load): LOAD_USERS users for LOAD_SECONDS,
# LOAD_THINK seconds (min,max) between one user's actions; LOAD_THINK=0.2,1 measures capacity.
LOAD_USERS ?= 50
LOAD_SECONDS ?= 60
LOAD_THINK ?= 1,3
load: $(STAMP)
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rpjmd_load} \
	  $(PY) -m benchmarks.load --users $(LOAD_USERS) --seconds $(LOAD_SECONDS) --port $(PORT) \
	  --think $(LOAD_THINK)

# make cluster: two web nodes, two task workers, PgBouncer (transaction mode), the S3 server and
# nginx on 127.0.0.1 (ports 8210-8230), a journey crossing nodes, then CLUSTER_SECONDS of load
# through nginx with node A killed half-way; prints the figures, stops everything (also on
# failure) and drops its database. Bounded: 25 minutes at most (setup is most of it). docs/deploy.md has the figures.
CLUSTER_USERS ?= 16
CLUSTER_SECONDS ?= 40
cluster: $(STAMP)
	timeout --signal=TERM --kill-after=30 1500 \
	  $(PY) -m benchmarks.cluster --users $(CLUSTER_USERS) --seconds $(CLUSTER_SECONDS)

# make fault: PostgreSQL restarted under write load against make prod (a private PostgreSQL
# cluster on a free port, so nobody else's database restarts), a full disk (a 512 KB tmpfs
# as MEDIA_ROOT; needs root, skipped with the reason otherwise), and 50 concurrent saves of one
# section and of one FGD minutes over HTTP, three rounds. Prints its figures.
fault: $(STAMP)
	$(BIN)/pytest -m fault -p no:xdist -s -rs tests/fault $(PYTEST_ARGS)

lint: $(STAMP) gettext
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check
	$(MAKE) --no-print-directory security-lint

# Static security analysis (QUALITY J1, J2): bandit (medium and high fail) and the project's
# semgrep rules in .semgrep/, offline; then the rules' own examples in .semgrep/tests/.
APP_PACKAGES := rpjmd issues fgd drafts regional
SEMGREP := SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off $(abspath $(BIN))/semgrep
security-lint: $(STAMP)
	$(BIN)/bandit -c pyproject.toml -r $(APP_PACKAGES) -ll -q
	$(SEMGREP) scan --metrics=off --config .semgrep/ --error --quiet --no-git-ignore \
	  $(APP_PACKAGES) templates
	cd .semgrep && $(SEMGREP) --test --metrics=off --config . tests

# make test: lint plus the whole suite; SQLite by default, PostgreSQL when DATABASE_URL is set.
# Browser tests are not part of it: they run with make e2e.
# The permission code needs 100 % line and branch coverage from the authorization tests (QUALITY
# C7; tests/permission_coverage.py names them): the tracer runs only during those tests, which
# keeps it off the rest of the suite. It runs in CI (CI=true) or with `make test COVERAGE=1`, and
# never when PYTEST_ARGS picks a subset. Modules add their <app>.permissions here.
PERMISSION_MODULES := rpjmd.permissions,issues.permissions,fgd.permissions,drafts.permissions,regional.permissions
COVERAGE ?= $(CI)
PERMISSION_COVERAGE := -p tests.permission_coverage --permission-coverage=$(PERMISSION_MODULES)
test: lint
	$(BIN)/pytest -n 2 -m "not e2e and not fault" \
	  $(if $(and $(COVERAGE),$(if $(PYTEST_ARGS),,yes)),$(PERMISSION_COVERAGE)) $(PYTEST_ARGS)

# make test-sqlite: what CI runs on SQLite beside the full PostgreSQL pass: the tests marked
# `sqlite_too` (tests/conftest.py, SQLITE_TOO): code that branches on the engine and make run's
# path. Without lint; plain `make test` with no DATABASE_URL runs the whole suite on SQLite.
test-sqlite: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -n 2 -m "sqlite_too and not e2e and not fault" $(PYTEST_ARGS)

# make e2e: the browser suite in Debian's Chromium, installed here if missing.
e2e: $(STAMP) chromium
	$(BIN)/pytest -m e2e -n 2 $(PYTEST_ARGS)

# make bench: performance budgets, printed as figures (PostgreSQL on 127.0.0.1; see benchmarks/).
# `make bench BENCH=problems` runs only the benchmarks whose name contains "problems".
bench: $(STAMP)
	$(PY) -m benchmarks $(BENCH)

# The translation test runs xgettext (GNU gettext) over the code.
gettext:
	@if ! command -v xgettext >/dev/null; then \
	  echo "GNU gettext tidak ditemukan: memasang paket Debian 'gettext' (apt-get)..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq gettext; fi; \
	fi

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Chromium tidak ditemukan: memasang paket Debian 'chromium' (apt-get)..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; \
	fi

# Recompile the English catalogue after editing locale/en/LC_MESSAGES/django.po.
messages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks
	DEBUG=1 $(PY) manage.py compilemessages -l en --ignore=.venv

clean-venv:
	rm -rf $(VENV)
