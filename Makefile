# The two commands of the README: `make release` and `make test`.
# Both create the locked environment (.venv, from uv.lock) on first use.

SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_COMPILE_BYTECODE := 1
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export GX_ANALYTICS_ENABLED := false

# uv from PATH, or a private copy installed from PyPI into .tools/ on first use.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PYTHON ?= python3

.PHONY: help env release test test-fast clean-scratch

help:
	@echo "make release   build a validated release from data/raw/ into data/processed/releases/"
	@echo "make test      run the test suite"
	@echo "make test-fast run the unit tests only (no Prefect flow runs)"

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

env: .venv/.synced

release: .venv/.synced
	$(UV) run --frozen --no-sync steppe run --raw data/raw --out data/processed $(ARGS)

test: .venv/.synced
	$(UV) run --frozen --no-sync pytest $(ARGS)

test-fast: .venv/.synced
	$(UV) run --frozen --no-sync pytest -m "not integration" $(ARGS)

clean-scratch:
	find data/processed -mindepth 1 -maxdepth 1 ! -name releases -exec rm -rf {} +
