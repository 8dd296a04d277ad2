# Samverkan: `make run` starts the product, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format install install-dev migrate demo worker worker-fanout worker-email worker-webhooks beat messages screenshots benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: install, migrate, load reference + demo data, serve on 127.0.0.1:$PORT (8000) with the
## schedule in-process (no Redis needed); the banner with the demo logins comes last
PORT ?= 8000
run: install
	@DEBUG=$${DEBUG:-on} $(BIN)/python manage.py migrate --no-input
	@DEBUG=$${DEBUG:-on} PORT=$(PORT) $(BIN)/python manage.py serve --demo 127.0.0.1:$(PORT)

## test: install the dev tools, lint, check migrations, run the whole test suite in parallel
## (one pytest-xdist worker per core, at most 4); one process: make test PYTEST_ARGS="-n0"
PYTEST_ARGS ?= -n auto --maxprocesses=4
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=on $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## screenshots: regenerate docs/screenshots/*.png (dashboard, case page) in headless Chromium
screenshots: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest tests/browser/screenshots.py -q

## worker: one worker on every queue (fanout, email, webhooks, reports); worker-fanout, worker-email,
## worker-webhooks and worker-reports each take one queue (run them on as many hosts as the load needs)
QUEUES ?= fanout,email,webhooks,reports
worker: install
	$(BIN)/celery -A config worker -Q $(QUEUES) --loglevel=info --concurrency=2

worker-fanout worker-email worker-webhooks worker-reports: install
	$(BIN)/celery -A config worker -Q $(@:worker-%=%) -n $(@:worker-%=%)@%h --loglevel=info --concurrency=2

beat: install
	$(BIN)/celery -A config beat --loglevel=info

## messages: extract the UI strings into locale/sv (needs GNU gettext) and compile the .mo
messages: install-dev
	DEBUG=on $(BIN)/python manage.py makemessages -l sv --no-obsolete --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=static
	DEBUG=on $(BIN)/python manage.py compilemessages -l sv --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
