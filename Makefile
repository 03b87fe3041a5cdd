# Stalking Clinic: `make run` starts everything, `make test` checks everything.
# Both install what is missing first (`make install`), and are quick when nothing changed.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
export HOST ?= 127.0.0.1
export PORT ?= 8000

# Django 6.1 needs Python 3.12+. Take the first one found: $(PYTHON) if given, pyenv's choice for
# this folder (.python-version), then python3.13 / python3.12 / python3 on PATH, then pyenv's store.
PYTHON ?= $(shell for p in "$$(pyenv which python 2>/dev/null)" python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	[ -n "$$p" ] && command -v "$$p" >/dev/null 2>&1 && \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$p"; break; }; done)

# Debian packages the system needs: WeasyPrint's libraries and a font; Chromium for browser tests.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_DEBS := chromium

.PHONY: help install run test lint format services db db-roles system-deps test-system-deps clean bench

help:
	@echo "make run    install what is missing, set up the database and demo data, start everything"
	@echo "make test   lint and the whole test suite, browser tests included"
	@echo "make lint   ruff check and format check;  make format  fix formatting"

install: $(VENV)/.installed node_modules/.installed static/build/app.css static/build/govuk/govuk-frontend.min.js

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (Django 6.1). Install it, or run: make PYTHON=/path/to/python3.12" >&2; exit 1; fi
	@if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "Creating $(VENV) with $(PYTHON)"; rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/app.css: node_modules/.installed static/scss/app.scss
	@mkdir -p static/build
	npm run --silent build:css
	@touch $@

# Only the GOV.UK Frontend and MoJ Frontend files the pages use (the JS bundles, images, fonts),
# copied out of node_modules: static files are served and collected from static/ alone.
static/build/govuk/govuk-frontend.min.js: node_modules/.installed
	npm run --silent build:assets

# Installs missing Debian packages where apt-get can (root, as on CI); elsewhere says what to install.
system-deps:
	@./.ci/debian-packages $(RUN_DEBS)

test-system-deps: system-deps
	@./.ci/debian-packages $(TEST_DEBS)

# PostgreSQL and Redis are expected to be running; start the local ones if they are installed but down.
services:
	@./.ci/local-services

# Two database roles (README, "Database roles"): ensure_database makes the owner and application
# roles and the database where missing (as the superuser DATABASE_SUPERUSER, postgres by default);
# migrate runs as the owner and grants the application role; web, worker and beat run as the
# application role (DATABASE_URL).
db: install services
	$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput

db-roles: install services
	$(PY) manage.py ensure_database --roles-only

run: system-deps db
	$(PY) manage.py seed_demo
	@mkdir -p var
	$(PY) manage.py check
	@$(PY) manage.py print_logins
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" exec $(VENV)/bin/honcho start -f Procfile

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# pytest-xdist workers (one per core by default); each has its own test database and Redis database,
# kept between runs (--reuse-db, tests/conftest.py). PYTEST_ARGS=--create-db makes new databases.
TEST_WORKERS ?= auto

# The tests make, migrate and drop their databases as the owner role and run as the application role.
test: install test-system-deps services db lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Benchmarks print figures (bench/README.md); they use their own database, never the dev one.
bench: install services
	$(PY) -m bench.triage_queue $(BENCH_ARGS)
	$(PY) -m bench.police_logs $(POLICE_LOG_BENCH_ARGS)
	$(PY) -m bench.police_log_scan

clean:
	rm -rf $(VENV) node_modules static/build staticfiles var
