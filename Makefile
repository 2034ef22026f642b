# The two commands a newcomer needs: `make run` and `make test`.
# Both build their own virtual environment in .venv from a plain Python 3.11+: `make run` installs hipplan and
# its runtime dependencies only (attrs, cattrs, networkx); `make test` adds the dev tools and the optional extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# hipplan itself, with what it needs at run time.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# The dev tools and every optional extra (tests, type checks, lint, notebook, plots).
$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The main job: plan the built-in example week and print it.
run: $(VENV)/.runtime
	$(BIN)/hipplan plan --example --weeks 8

# Lint, type-check and run the whole test suite (docs and examples included).
test: $(VENV)/.dev
	$(BIN)/ruff check src tests examples $(wildcard benchmarks)
	$(BIN)/ruff format --check src
	$(BIN)/mypy --strict src/hipplan
	$(BIN)/python -m pytest

bench: $(VENV)/.dev
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
