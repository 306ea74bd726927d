# Anvis: every target creates .venv itself when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve-prod test lint format typecheck importrules bench messages install clean-db check

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

messages: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv -v 0

# The demo: web server (gunicorn), task worker and scheduler together (Procfile, honcho);
# Ctrl-C stops all three. DEBUG=1 make run turns on developer mode.
run: $(STAMP) messages
	mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py demo_logins --url "http://$(HOST):$(PORT)/"
	ANVIS_BIND="$(HOST):$(PORT)" WEB_CONCURRENCY="$${WEB_CONCURRENCY:-2}" \
	  $(VENV)/bin/honcho --no-colour start -f Procfile

# The production profile on this machine (needs DATABASE_URL, PostgreSQL): docs/operations.md.
serve-prod: $(STAMP)
	HOST="$(HOST)" PORT="$(PORT)" deploy/serve-prod.sh

test: $(STAMP) messages
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck: $(STAMP)
	$(PY) -m mypy

importrules: $(STAMP)
	PYTHONPATH=src $(VENV)/bin/lint-imports

check: lint typecheck importrules
	$(PY) manage.py makemigrations --check --dry-run

bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

clean-db:
	rm -f var/anvis.sqlite3
