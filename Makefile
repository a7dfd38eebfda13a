# congress: two commands, `make run` and `make test`; the rest supports them.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
CATALOG_PO := $(wildcard congress/translations/*/LC_MESSAGES/messages.po)
CATALOG_MO := $(CATALOG_PO:.po=.mo)
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# pytest-xdist processes; each gets its own SQLite file and PostgreSQL schema.
TEST_WORKERS ?= 2
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: doc-deps run test lint format catalogs translations-update db-upgrade seed serve-prod bench bench-load scan browser-deps node-deps screenshots clean

# The mail worker runs beside the site; without SMTP it writes instance/outbox/*.eml
# and prints each message's links on this console.
run: $(VENV)/.run-deps catalogs doc-deps db-upgrade
	$(FLASK) congress seed-demo --if-empty
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) congress send-mail --loop --interval 2 & worker=$$!; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# The first run is SQLite plus every browser test; the production-shape browser suite in it
# runs its own stack on PostgreSQL ($(PG_TEST_URL)), kept on one xdist worker (loadgroup).
test: $(VENV)/.dev-deps catalogs doc-deps browser-deps node-deps lint
	CONGRESS_E2E_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadgroup
	@if $(BIN)/python -m tests.pg_available "$(PG_TEST_URL)"; then \
	  echo "== the suite again on PostgreSQL ($(PG_TEST_URL)) =="; \
	  CONGRESS_TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) -m "not browser and not unit"; \
	elif [ -n "$$CI" ]; then \
	  echo "PostgreSQL is required in CI but does not answer at $(PG_TEST_URL)" >&2; exit 1; \
	else \
	  echo "== PostgreSQL not reachable at $(PG_TEST_URL): PostgreSQL run skipped (CI requires it) =="; \
	fi

# bandit: any finding of medium severity or more fails; each accepted one carries
# a "nosec" with its reason beside it (see SECURITY.md). lint-imports: the layers of
# ARCHITECTURE.md (contracts in pyproject.toml).
lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r congress -ll
	$(BIN)/lint-imports

format: $(VENV)/.dev-deps
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.dev-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.run-deps

catalogs: $(CATALOG_MO)

%.mo: %.po | $(BIN)/python
	$(BIN)/pybabel compile -f -i $< -o $@

translations-update: $(VENV)/.run-deps
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* __pycache__ node_modules" -o messages.pot .
	$(BIN)/pybabel update -i messages.pot -d congress/translations --no-fuzzy-matching

db-upgrade: $(VENV)/.run-deps
	$(FLASK) db upgrade

seed: $(VENV)/.run-deps db-upgrade
	$(FLASK) congress seed-demo

# PNGs of the key public and dashboard pages at 375 and 1280 px (demo edition, clock frozen
# on 10 March 2014) in screenshots/ (git-ignored); --readme refreshes docs/screenshots/.
screenshots: $(VENV)/.dev-deps catalogs browser-deps
	$(BIN)/python -m tests.screenshots --readme

# Programme scale and load figures (PostgreSQL, Redis, gunicorn, wrk); prints, never asserts.
bench: $(VENV)/.dev-deps catalogs
	$(BIN)/python bench/programme_bench.py

# Production-shaped load (gunicorn.conf.py, Redis, a 500-visitor registration rush, nginx
# from deploy/nginx.conf, a PostgreSQL restart when root); about five minutes, prints only.
bench-load: $(VENV)/.dev-deps catalogs
	@if ! command -v wrk >/dev/null 2>&1 || ! { command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1; then \
	  echo "installing Debian's wrk and nginx-light for the load benchmark"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk nginx-light >/dev/null; \
	fi
	$(BIN)/python bench/load_bench.py

# Debian's Chromium for the browser tests (Playwright must not download a browser), and
# Debian's nginx for the production-shape browser suite (tests/browser/production/).
browser-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="chromium"; \
	{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 || missing="$$missing nginx-light"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian's$$missing for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Debian's Pango (WeasyPrint lays out the PDFs with it) and DejaVu fonts (Greek and Cyrillic
# names on badges), for the site's documents and their tests.
doc-deps:
	@missing=""; \
	for lib in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0; do \
	  /sbin/ldconfig -p 2>/dev/null | grep -q "$${lib%%:*}" || missing="$$missing $${lib#*:}"; \
	done; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian's$$missing for the PDF documents"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Node.js for the ical.js tests (the parser Thunderbird reads calendars with): Debian's nodejs and
# npm when node is absent, then the locked packages, reinstalled only when the lock file changes.
node-deps:
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	  echo "installing Debian's nodejs and npm for the ical.js tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@$(MAKE) -s --no-print-directory node_modules/.package-lock.json

node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund
	@touch $@

# An external scanner (wapiti3, in its own venv: its pins clash with ours) against a
# live instance on loopback; not part of `make test` (it takes minutes).
scan: $(VENV)/.dev-deps catalogs .venv-scan/bin/wapiti
	$(BIN)/python deploy/scan.py

.venv-scan/bin/wapiti:
	$(PYTHON) -m venv .venv-scan
	.venv-scan/bin/pip install -q 'wapiti3>=3.2,<4'

# Production: migrations, then the two gunicorn pools of gunicorn.conf.py (public on
# 127.0.0.1:8000, private on 127.0.0.1:8001; deploy/nginx.conf routes between them)
# against the database, cache and rate-limit store named by CONGRESS_DATABASE_URL,
# CONGRESS_CACHE_URL and CONGRESS_RATELIMIT_STORAGE_URL; CONGRESS_ENV=production needs
# CONGRESS_SECRET_KEY. CONGRESS_BIND and CONGRESS_WORKERS are for starting one pool
# by hand, so they are not passed on here. Stopping the public pool stops both.
serve-prod: $(VENV)/.run-deps catalogs
	CONGRESS_ENV=$${CONGRESS_ENV:-production} $(FLASK) db upgrade
	@export CONGRESS_ENV=$${CONGRESS_ENV:-production}; unset CONGRESS_BIND CONGRESS_WORKERS; \
	trap 'kill $$private 2>/dev/null' EXIT INT TERM; \
	CONGRESS_POOL=private $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app & private=$$!; \
	CONGRESS_POOL=public $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
