# Anvis: every target creates .venv itself when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve-prod test test-fast lint format typecheck importrules bench messages install \
	install-dev lock clean-db check

# The runtime (requirements.txt, the production lock) ...
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	$(PIP) --no-deps -e .
	touch $(STAMP)

# ... and the test and development tools (requirements-dev.txt, the same runtime pins plus tools).
$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

# Re-lock after changing the dependencies in pyproject.toml (needs the package index).
lock: $(DEV_STAMP)
	$(VENV)/bin/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links \
	  --annotation-style=line pyproject.toml -o requirements.txt
	$(VENV)/bin/pip-compile -q --strip-extras --no-header --no-emit-index-url --no-emit-find-links \
	  --annotation-style=line --extra dev -c requirements.txt pyproject.toml -o requirements-dev.txt

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

test: $(DEV_STAMP) messages
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# Daily work: everything but the real-browser, property-based (fuzz) and PDF-rendering tests.
# CI runs `make test`, all of them.
test-fast: $(DEV_STAMP) messages
	$(PY) -m pytest -n 2 -m "not browser and not fuzz and not pdf" $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(DEV_STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck: $(DEV_STAMP)
	$(PY) -m mypy

importrules: $(DEV_STAMP)
	PYTHONPATH=src $(VENV)/bin/lint-imports

check: lint typecheck importrules
	$(PY) manage.py makemigrations --check --dry-run

bench: $(DEV_STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

clean-db:
	rm -f var/anvis.sqlite3
