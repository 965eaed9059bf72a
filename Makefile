# The front door. `make run` serves the portal with the Leicestershire data and demo users;
# `make test` runs every test on SQLite and again on a throwaway PostgreSQL cluster.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint format bench load static system-deps clean leicestershire-workbook

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/portal.css: node_modules/.installed frontend/build.mjs $(wildcard frontend/*.scss)
	npm run --silent build

static: static/build/portal.css

run: $(VENV)/.installed static
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py sync_roles
	$(BIN)/python manage.py load_leicestershire
	$(BIN)/python manage.py create_demo_users
	@# The task queue's worker sends the emails, beside the server; it stops when the server stops.
	$(BIN)/python manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# PostgreSQL and Chromium come from Debian's packages when the machine lacks them.
system-deps:
	@bash scripts/system-deps.sh

test: $(VENV)/.installed static system-deps
	$(BIN)/python manage.py makemigrations --check --dry-run
	@# Side by side (one a core), each run's output printed whole when it ends.
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

test-sqlite:
	@echo "=== tests on SQLite ==="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

# The cluster has a streaming replica (pg_basebackup), so tests/replication/ reads from a real standby.
test-postgres:
	@echo "=== tests on PostgreSQL (throwaway cluster and its streaming replica) ==="
	$(BIN)/python scripts/with_postgres.py --replica -- $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Timings at 10k-2M results, then the load run, each in its own throwaway cluster; both write BENCHMARKS.md.
bench: $(VENV)/.installed static system-deps
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/python bench/run.py
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/python bench/load.py

# gunicorn + locust on 127.0.0.1 for 60 s with the Leicestershire data (also the last step of make bench).
load: $(VENV)/.installed static system-deps
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/python bench/load.py

# Leicestershire's 2010/11 set-up as the partnership_setup workbook, regenerated from vcsportal/leicestershire.py.
leicestershire-workbook: $(VENV)/.installed
	PYTHON=$(BIN)/python bash scripts/leicestershire_workbook.sh

clean:
	rm -rf $(VENV) node_modules static/build staticfiles db.sqlite3 test-artifacts
