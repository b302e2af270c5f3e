# ClassicPOS — every target sets itself up on a machine that has never seen the project.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
RUNTIME_STAMP := $(VENV)/.runtime-installed
TEST_STAMP := $(VENV)/.test-installed
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=
# The suite runs in this many pytest-xdist workers, two per core of the 2-core CI machine: a
# browser test's worker mostly waits (for Chromium, the live server, a toast's timer), so with
# one worker per core the cores sat half idle (SQLite: 7.4 CPU-minutes in 7.4 minutes). 0 runs
# it in one process. --dist load hands each worker the tests in the suite's own order
# (pytest-django's: database tests, then transactional and browser tests, then the rest), so
# no worker runs a test in a transaction after a transactional test has flushed the database.
PYTEST_WORKERS ?= 4
XDIST := -n $(PYTEST_WORKERS) --dist load

.PHONY: help run test test-postgres test-fast lint format pytest chromium migrate demo clean vendor bench bench-chain

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(RUNTIME_STAMP) $@

run: export DEBUG ?= true
run: $(RUNTIME_STAMP) ## Set up and serve the demo shop on http://127.0.0.1:8000 (SQLite)
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) ensure_staff_users
	$(MANAGE) seed_demo --if-empty
	@echo ""
	@echo "  ClassicPOS is at http://127.0.0.1:8000 (admin at /admin/, API at /api/, docs at /api/docs/)"
	@echo "  Log in as 'admin' (Manager) or 'cashier' with the password printed above when the user"
	@echo "  was created (or the one in CLASSICPOS_ADMIN_PASSWORD / CLASSICPOS_CASHIER_PASSWORD)."
	@echo "  Big imports and exports run in the background: the job runner (manage.py run_jobs)"
	@echo "  runs beside the server and stops with it, as does the mail worker"
	@echo "  (manage.py deliver_messages: without EMAIL_HOST, emails are files under var/mail/)."
	@echo ""
	@$(MANAGE) run_jobs & runner=$$!; \
	$(MANAGE) deliver_messages & mailer=$$!; \
	trap 'kill $$runner $$mailer 2>/dev/null; wait $$runner $$mailer 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

lint: $(TEST_STAMP) ## Lint and check formatting (ruff)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP) ## Format the code and apply safe lint fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

chromium: ## Make sure Debian's Chromium is there for the browser tests
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		echo "Installing Chromium from Debian's packages for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need /usr/bin/chromium: run 'sudo apt-get install -y chromium' (Debian/Ubuntu)."; \
		exit 1; \
	fi

pytest: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test: lint pytest ## Lint, format check and the whole test suite (browser tests included) on SQLite

test-postgres: $(TEST_STAMP) chromium ## The whole test suite on PostgreSQL (POSTGRES_URL, default the local server)
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: $(TEST_STAMP) ## The inner loop: every test but the browser and slow ones, on SQLite (no lint)
	$(BIN)/python -m pytest $(XDIST) -m "not e2e and not slow" $(PYTEST_ARGS)

BENCH_ARGS ?=
bench: $(RUNTIME_STAMP) ## Time 1M customers over HTTP (gunicorn) against the raw-SQL floor; writes bench/results.md
	@mkdir -p var
	$(BIN)/python bench/run.py $(BENCH_ARGS)

CHAIN_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/classicpos_chain
bench-chain: $(RUNTIME_STAMP) ## 60 tills in 6 stores, then 1, on PostgreSQL (CHAIN_DATABASE_URL); writes bench/results.md
	DATABASE_URL=$(CHAIN_DATABASE_URL) $(BIN)/python bench/chain.py $(BENCH_ARGS)

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var/*.sqlite3* var/static .pytest_cache .ruff_cache

BOOTSTRAP_VERSION := 5.3.8
BOOTSTRAP_ICONS_VERSION := 1.13.2
VENDOR := static/vendor

vendor: ## Refresh the vendored Bootstrap and Bootstrap Icons from the npm registry
	rm -rf $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons && mkdir -p $(VENDOR)/bootstrap/css $(VENDOR)/bootstrap/js $(VENDOR)/bootstrap-icons/fonts
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent bootstrap@$(BOOTSTRAP_VERSION) bootstrap-icons@$(BOOTSTRAP_ICONS_VERSION) >/dev/null \
	  && tar xzf bootstrap-$(BOOTSTRAP_VERSION).tgz && mv package bs && tar xzf bootstrap-icons-$(BOOTSTRAP_ICONS_VERSION).tgz && mv package icons \
	  && cd - >/dev/null \
	  && cp $$tmp/bs/dist/css/bootstrap.min.css $$tmp/bs/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/css/ \
	  && cp $$tmp/bs/dist/js/bootstrap.bundle.min.js $$tmp/bs/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/js/ \
	  && cp $$tmp/bs/LICENSE $(VENDOR)/bootstrap/LICENSE \
	  && cp $$tmp/icons/font/bootstrap-icons.min.css $(VENDOR)/bootstrap-icons/ \
	  && cp $$tmp/icons/font/fonts/bootstrap-icons.woff2 $$tmp/icons/font/fonts/bootstrap-icons.woff $(VENDOR)/bootstrap-icons/fonts/ \
	  && cp $$tmp/icons/LICENSE $(VENDOR)/bootstrap-icons/LICENSE \
	  && echo "bootstrap $(BOOTSTRAP_VERSION)" > $(VENDOR)/bootstrap/VERSION \
	  && echo "bootstrap-icons $(BOOTSTRAP_ICONS_VERSION)" > $(VENDOR)/bootstrap-icons/VERSION \
	  && rm -rf $$tmp
