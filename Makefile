PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0
# pytest-xdist processes (three on two cores: many tests wait on servers and subprocesses);
# each test file runs whole in one of them (its fixtures and ports).
TEST_WORKERS ?= 3
XDIST := -n $(TEST_WORKERS) --dist loadfile

.PHONY: tools install install-test lint format migrations-check test fast test-services seed demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install-test
	DJANGO_SETTINGS_MODULE=masthead.settings.test $(BIN)/python -m django makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=masthead.settings.test $(BIN)/python -m django check

## npm audit tools for the browser tests (axe-core, vnu-jar, lighthouse), pinned in package-lock.json.
tools:
	@if command -v npm >/dev/null 2>&1; then \
		[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: browser audits will skip (apt-get install nodejs npm)"; fi

## The whole suite on SQLite and local memory, slow tests included. Tests that need
## the PostgreSQL or Redis server (marked postgres or redis: restore on PostgreSQL,
## two servers on one Redis, fault tests that load, stop or kill servers) run once, in
## test-services; the multi-process tests pick both backends themselves and run here.
test: lint migrations-check tools
	$(BIN)/python -m pytest -q $(XDIST) -m "not faults and not postgres and not redis"

fast: install-test
	$(BIN)/python -m pytest -q -m "not slow" $(XDIST)

## The whole suite again on PostgreSQL and Redis.
test-services: install-test tools
	MASTHEAD_TEST_DATABASE_URL=$(PG_URL) MASTHEAD_TEST_REDIS_URL=$(REDIS_TEST_URL) $(BIN)/python -m pytest -q $(XDIST) -m "not multiprocess"

seed: install
	$(BIN)/masthead manage migrate
	$(BIN)/masthead manage seed_demo_content

demo: install
	$(BIN)/masthead demo
