"""Every example in a docstring of src/hipplan runs and prints what it says (the docs' examples run elsewhere)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import hipplan

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(hipplan.__path__, "hipplan.") if m.name not in {"hipplan.__main__"}
)
OPTIONAL = {"hipplan.dask": "distributed"}
"""Modules that need an optional extra to import, with the package that extra brings."""


@pytest.mark.parametrize("name", ["hipplan", *MODULES])
def test_docstring_examples_run(name: str) -> None:
    """doctest finds no failing example in the module (modules without examples pass trivially)."""
    if name in OPTIONAL:
        pytest.importorskip(OPTIONAL[name])
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
