# papertrail — the two commands are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: demo test golden lint bench clean constraints

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# constraints.txt holds the exact versions the tests ran against (a new release of a
# dependency cannot change a fresh install); pyproject.toml the ranges a user may have.
$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

constraints: $(STAMP)
	{ head -2 constraints.txt; $(BIN)/python -m pip freeze --exclude-editable \
	  | grep -v -i -e '^papertrail' -e '^pip==' -e '^setuptools=='; } > constraints.new
	mv constraints.new constraints.txt

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
	$(BIN)/ruff format --check .
	$(BIN)/mypy parsers normalise store ingest

clean:
	rm -rf $(VENV) $(DEMO_DB)
