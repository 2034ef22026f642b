# The two commands a newcomer needs: `make run` and `make test`.
# Both build their own virtual environment in .venv from a plain Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The main job: plan the built-in example week and print it.
run: $(BIN)/.installed
	$(BIN)/hipplan plan --example --weeks 8

# Lint, type-check and run the whole test suite (docs and examples included).
test: $(BIN)/.installed
	$(BIN)/ruff check src tests examples $(wildcard benchmarks)
	$(BIN)/ruff format --check src
	$(BIN)/mypy --strict src/hipplan
	$(BIN)/python -m pytest

bench: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
