# One quality gate, run the same way locally and in CI (.ci/run): see `make help`.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUFF := $(VENV)/bin/ruff
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
# axe-core for the browser tests' accessibility checks (package.json, pinned in package-lock.json).
NODE_STAMP := node_modules/.installed
PYTEST_ARGS ?=
LOAD_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv devdeps keys run serve demo-code test load lint format messages clean

help:
	@echo "make venv     create .venv and install requirements.txt"
	@echo "make devdeps  also install requirements-dev.txt, axe-core (npm ci) and make sure Chromium is there"
	@echo "make keys     write development keys to var/dev-keys.env (once; adds a key it lacks)"
	@echo "make run      migrate, seed demo data and serve on http://127.0.0.1:8000 (DEBUG on)"
	@echo "               with a background worker beside the server"
	@echo "make serve    the production stack locally: gunicorn, WhiteNoise, a worker, DEBUG off"
	@echo "make demo-code   the demo users' current login codes (DEMO_USER=admin for one)"
	@echo "make test     run the tests (PYTEST_ARGS=... passes options; DATABASE_URL picks the database)"
	@echo "make load     load bench: gunicorn + PostgreSQL, 20/50/100 users (LOAD_ARGS=... passes options)"
	@echo "make lint     ruff format --check, ruff check, makemigrations --check"
	@echo "make format   ruff format and ruff check --fix"
	@echo "make messages   update the catalogues from the code, list what is to translate, compile"
	@echo "make clean    remove .venv and var/ (including the development keys)"

$(PY):
	$(PYTHON) -m venv $(VENV)

# Stamps keep re-runs fast: pip only runs again when a requirements file changes.
$(RUNTIME_STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements.txt
	touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(PY) -m pip install -r requirements-dev.txt
	touch $@

venv: $(RUNTIME_STAMP)

# npm ci installs exactly what package-lock.json pins (axe-core); again only when it changes.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

devdeps: $(DEV_STAMP) $(NODE_STAMP)
	scripts/ensure-chromium.sh

# Development keys are for DEBUG only; production keys come from the environment.
keys: export DJANGO_DEBUG = 1
keys: venv
	$(PY) manage.py make_dev_keys

run: export DJANGO_DEBUG = 1
run: keys
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "A background worker runs beside the server (imports, exports, mail)."
	$(PY) manage.py db_worker --queue-name '*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

serve: venv
	scripts/serve.sh

demo-code: export DJANGO_DEBUG = 1
demo-code: venv
	@$(PY) manage.py demo_code $(DEMO_USER)

test: devdeps
	$(PY) -m pytest $(PYTEST_ARGS)

# Needs PostgreSQL on 127.0.0.1:5432; makes and drops its own database (bench/load.py).
load: $(DEV_STAMP)
	$(PY) bench/load.py $(LOAD_ARGS)

lint: $(DEV_STAMP)
	$(RUFF) format --check .
	$(RUFF) check .
	DJANGO_DEBUG=1 DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run

format: $(DEV_STAMP)
	$(RUFF) format .
	$(RUFF) check --fix .

# The .po files are the source of the translations (edit them directly); no locations, so two
# branches that add strings rarely touch the same lines.
messages: export DJANGO_DEBUG = 1
messages: $(DEV_STAMP)
	$(PY) manage.py makemessages -l nl -l en --no-location --no-obsolete \
		--ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles --ignore=node_modules
	$(PY) scripts/untranslated.py
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) var/ node_modules/
