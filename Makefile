# The two commands of the README: `make release` and `make test`.
# Both create the locked environment (.venv, from uv.lock) on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_COMPILE_BYTECODE := 1
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false

# uv from PATH, or a private copy installed from PyPI into .tools/ on first use.
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
export UV
PYTHON ?= python3

.PHONY: help env release test test-all test-fast clean-scratch

help:
	@echo "make release   build a validated release from data/raw/ into data/processed/releases/"
	@echo "make test      run the test suite (all but the tests marked slow)"
	@echo "make test-all  run every test, the slow ones too"
	@echo "make test-fast run the unit tests only (no whole runs)"

$(CURDIR)/.tools/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

env: .venv/.synced

release: .venv/.synced
	$(UV) run --frozen --no-sync steppe run --raw data/raw --out data/processed $(ARGS)

test: .venv/.synced
	$(UV) run --frozen --no-sync pytest -m "not slow" $(ARGS)

test-all: .venv/.synced
	$(UV) run --frozen --no-sync pytest $(ARGS)

test-fast: .venv/.synced
	$(UV) run --frozen --no-sync pytest -m "not integration and not slow" $(ARGS)

clean-scratch:
	find data/processed -mindepth 1 -maxdepth 1 ! -name releases -exec rm -rf {} +
