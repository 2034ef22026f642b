"""The layers of hipplan hold: no import cycle, and no arrow from a lower layer to a higher one.

Every ``import`` in ``src/hipplan`` counts, at module level or inside a function (a function-level import is a
dependency all the same; only blocks under ``if TYPE_CHECKING:`` are left out, as they never run). The layers are
written down in docs/architecture.md; the few documented conveniences that point upwards (``Plan.to_text()``
and its siblings, ``Exercise.card()``) are named in ``CONVENIENCES`` and nowhere else.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "hipplan"

LAYERS: dict[str, int] = {
    # 0: words, checks and file handling every other module may use
    "hipplan.errors": 0,
    "hipplan._validate": 0,
    "hipplan.vocabulary": 0,
    "hipplan._files": 0,
    "hipplan.limits": 0,
    # 1: the generic solver (no training word in it)
    "hipplan.solver": 1,
    # 2: values (what a coach and an app hold: exercises, the catalogue and ladder, athlete, dose, plan)
    "hipplan.units": 2,
    "hipplan.exercises": 2,
    "hipplan.catalog": 2,
    "hipplan.ladder": 2,
    "hipplan.state": 2,
    "hipplan.dose": 2,
    "hipplan.athlete": 2,
    "hipplan.plan": 2,
    "hipplan._plan_check": 2,
    # 3: progression (the coaching rules over time; planning calls it, never the other way round)
    "hipplan.progression": 3,
    # 4: the model a rule posts into; 5: the rules a user reads and writes
    "hipplan._engine.model": 4,
    "hipplan.constraints": 5,
    # 6: reading and writing documents (knows every type and registers it itself)
    "hipplan.serialization": 6,
    # 7: the planning engine on the solver; 8: its public entry
    "hipplan._engine": 7,
    "hipplan.planner": 8,
    # 9: views, functions of a Plan
    "hipplan.render": 9,
    # 10 and up: front doors (requests, batches, schemas, the command line, examples, test strategies)
    "hipplan.request": 10,
    "hipplan.example": 11,
    "hipplan.batch": 11,
    "hipplan.schema": 12,
    "hipplan.dask": 12,
    "hipplan.strategies": 12,
    "hipplan._hypothesis_hook": 13,
    "hipplan.cli": 13,
    "hipplan.__main__": 14,
    "hipplan": 15,
}
"""Each module's layer (a package's modules share it): a module imports from its own layer (without a cycle) or
from layers below."""

CONVENIENCES = {
    # Plan.to_text(), to_markdown(), to_html(), _repr_html_(), to_ical(), to_records(), to_dataframe(), plot():
    # one-line methods documented as shortcuts for hipplan.render.
    ("hipplan.plan", "hipplan.render"),
    # Exercise.card() and Exercise._repr_html_(): the card a notebook shows.
    ("hipplan.exercises", "hipplan.render"),
    # json_schema's list of documents is every attrs value in hipplan.__all__, read when asked for.
    ("hipplan.schema", "hipplan"),
}
"""Upward arrows allowed: (from module, to layer's module or package)."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _owner(name: str) -> str:
    """The entry of ``LAYERS`` that ``name`` falls under (itself, or its package)."""
    while name not in LAYERS:
        if "." not in name:
            raise AssertionError(f"{name} has no layer: add it to LAYERS in tests/test_architecture.py")
        name = name.rsplit(".", 1)[0]
    return name


def _runs(tree: ast.AST) -> list[ast.AST]:
    """Every node of ``tree`` except what sits under ``if TYPE_CHECKING:``."""
    found: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        found.append(node)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def _imports(module: str, path: Path) -> set[str]:
    """The hipplan modules ``module`` imports (packages as themselves, ``from . import x`` as ``x``)."""
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in _runs(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "hipplan")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "hipplan":
                continue
            subs = {f"{target}.{alias.name}" for alias in node.names} & MODULES.keys()
            found.update(subs)
            if len(subs) < len(node.names):
                found.add(target)
    found.discard(module)
    return found


def graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for module, path in MODULES.items():
        g.add_node(module)
        for target in _imports(module, path):
            g.add_edge(module, target)
    return g


def test_every_module_has_a_layer() -> None:
    """A new module is placed in a layer on purpose."""
    for module in MODULES:
        _owner(module)


def test_no_import_cycle() -> None:
    """No cycle among hipplan's modules, counting function-level imports (the conveniences aside)."""
    g = graph()
    g.remove_edges_from([(a, b) for a, b in g.edges if (_owner(a), _owner(b)) in CONVENIENCES])
    cycles = [sorted(c) for c in nx.strongly_connected_components(g) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    """A module imports only from its own layer or lower ones; the upward conveniences are listed."""
    own = _owner(module)
    up = sorted(
        target
        for target in _imports(module, MODULES[module])
        if _owner(target) != own
        and LAYERS[_owner(target)] > LAYERS[own]
        and (own, _owner(target)) not in CONVENIENCES
    )
    assert not up, f"{module} (layer {LAYERS[own]}) imports upwards: {up}"


def test_the_package_itself_is_imported_by_no_module() -> None:
    """``from hipplan import x`` (or ``from . import x`` of a name, not a module) inside the package ties every
    module to every other; modules import from the module that defines a name."""
    importers = sorted(
        a for a, b in graph().edges if b == "hipplan" and a != "hipplan.__main__" and (a, b) not in CONVENIENCES
    )
    assert not importers, importers
