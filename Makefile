# Set-up and everyday commands. Everything installs into .venv from PyPI (and Debian for Chromium).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install system demo test lint bench clean-venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev,scale]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

## Debian packages the browser tests need (headless Chromium + driver); no-op when present.
system:
	bash scripts/install-system.sh

## Main job: ingest the bundled sample corpus, build stories, print the summary, serve the web UI.
demo: install
	$(BIN)/storyline --data .storyline-demo demo

## The test suite (store, ingest, cleaning, enrichment, similarity, stories, API, browser).
test: install system
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench

clean-venv:
	rm -rf $(VENV)
