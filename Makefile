# FDAC manager: developer and CI entry points. `make help` lists the targets.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV ?= .venv
PY = $(VENV)/bin/python
FLASK = $(VENV)/bin/flask
# Extra arguments for both pytest runs, e.g. make test PYTEST_ARGS='-k cases -x'
PYTEST_ARGS ?=

# .flaskenv sets this too; exported here so every target works without it.
export FLASK_APP = fdac
export PIP_DISABLE_PIP_VERSION_CHECK = 1

# Files that scripts/install-assets.sh copies into fdac/static (git-ignored).
STATIC_COPIES = fdac/static/govuk fdac/static/moj fdac/static/fonts fdac/static/images \
	fdac/static/rebrand fdac/static/manifest.json

.PHONY: help venv assets setup run lint format test bench serve-prod scheduler clean

help: ## List the targets
	@echo "Usage: make TARGET [VENV=.venv] [PYTEST_ARGS=...]"
	@echo
	@grep -hE '^[a-zA-Z0-9_.-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

# Re-created whenever pyproject.toml changes; the stamp is written only when
# the install succeeded.
$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

venv: $(VENV)/.installed ## Create the virtualenv and install the app with its test extras

assets: ## Install GOV.UK + MoJ Frontend (npm ci) and copy them into fdac/static
	scripts/install-assets.sh

setup: $(VENV)/.installed assets ## venv + assets + instance/ folder + database migrations
	mkdir -p instance
	$(FLASK) db upgrade

run: setup ## Load demo data (first time only), print demo logins, serve on 127.0.0.1:5000
	$(FLASK) fdac demo-data --if-empty
	@# A local demo over plain http: cookies without Secure (any browser keeps them), and
	@# two-factor sign-in off (every page and the sign-in page say so).
	FDAC_SECURE_COOKIES=0 FDAC_TWO_FACTOR=off $(FLASK) run --host 127.0.0.1 --port 5000

lint: $(VENV)/.installed ## ruff check + ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed ## ruff format + ruff check --fix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: $(VENV)/.installed assets ## Lint, then pytest on SQLite and on a throwaway PostgreSQL
	scripts/ensure-packages.sh
	$(MAKE) lint
	@echo
	@echo "== pytest on SQLite =="
	env -u FDAC_TEST_DATABASE_URL $(PY) -m pytest -q $(PYTEST_ARGS)
	@echo
	@echo "== pytest on PostgreSQL =="
	scripts/with-postgres.sh $(PY) -m pytest -q $(PYTEST_ARGS)
	@echo
	@echo "== benchmarks, small scale (so they cannot rot; figures: make bench) =="
	$(MAKE) bench-smoke

bench: $(VENV)/.installed ## Benchmarks at full scale, on SQLite then on a throwaway PostgreSQL
	@echo "== benchmarks on SQLite =="
	$(PY) -m benchmarks --scale full
	@echo
	@echo "== benchmarks on PostgreSQL =="
	scripts/with-postgres.sh sh -c '$(PY) -m benchmarks --scale full --database-url "$$FDAC_TEST_DATABASE_URL"'

.PHONY: bench-smoke
bench-smoke: $(VENV)/.installed ## Benchmarks at small scale on SQLite (make test runs it): no rot
	$(PY) -m benchmarks --scale small

serve-prod: setup ## Serve with gunicorn (2 workers) on 127.0.0.1:8000
	$(VENV)/bin/gunicorn -w 2 -b 127.0.0.1:8000 'fdac:create_app()'

scheduler: setup ## Run the background job scheduler
	$(FLASK) fdac scheduler

clean: ## Remove venv, node_modules, copied assets and caches (keeps instance/)
	rm -rf $(VENV) node_modules $(STATIC_COPIES)
	rm -rf .pytest_cache .ruff_cache build dist test-results .coverage
	find . -path ./instance -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -type d -prune \
		-exec rm -rf {} +
