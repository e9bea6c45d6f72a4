# papertrail — the two commands are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: demo test golden lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB)
	$(BIN)/papertrail ingest samples --db $(DEMO_DB)
	$(BIN)/papertrail tables --db $(DEMO_DB)
	$(BIN)/papertrail series list --db $(DEMO_DB)
	$(BIN)/papertrail slippage --db $(DEMO_DB)

test: $(STAMP)
	$(BIN)/python -m pytest

golden: $(STAMP)
	$(BIN)/python -m tests.golden

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy parsers normalise store ingest

clean:
	rm -rf $(VENV) $(DEMO_DB)
