"""A light import: `import hipplan` loads no optional library; networkx and cattrs only when first needed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Libraries that must not be imported by ``import hipplan`` alone (top-level package names).
HEAVY = [
    "networkx",
    "cattrs",
    "hypothesis",
    "icalendar",
    "pandas",
    "matplotlib",
    "numpy",
    "ortools",
    "constraint",
]


def modules_after(code: str) -> set[str]:
    """Run code in a fresh interpreter and return the top-level names of the modules it has loaded."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def test_import_hipplan_loads_no_optional_or_heavy_library() -> None:
    """`import hipplan` loads neither networkx nor cattrs nor hypothesis nor any optional extra."""
    loaded = modules_after("import hipplan")
    assert "hipplan" in loaded
    assert set() == loaded & set(HEAVY)


def test_catalogue_and_models_need_no_graph_library() -> None:
    """Using the catalogue and building inputs loads neither networkx nor cattrs."""
    code = (
        "import hipplan as h\n"
        "from hipplan import ladder\n"
        "ex = h.CATALOG['single-leg-hip-thrust']\n"
        "h.Session(name='Mon', weekday=0, focus='lower', equipment={'bench'})\n"
        "h.Athlete(level='beginner', bodyweight_kg=70)\n"
        "list(h.CATALOG.rungs())\n"
    )
    assert set() == modules_after(code) & {"networkx", "cattrs"}


def test_planning_needs_no_graph_library() -> None:
    """A plan and its closed loop answer ladder queries from the ladder's own edges: networkx (about 240 ms to
    import) is never loaded, which keeps a cold `hipplan plan` quick."""
    code = (
        "import hipplan\n"
        "from hipplan.example import example_request\n"
        "plan = example_request(12).plan()\n"
        "hipplan.progress(plan.slots[0], athlete=plan.athlete, skipped=True)\n"
        "hipplan.default_ladder().reachable({'bench'})\n"
    )
    assert "networkx" not in modules_after(code)


def test_networkx_is_loaded_when_the_ladder_graph_is_read() -> None:
    """Ladder.graph, a networkx DiGraph for the user's own graph work, imports networkx when first read."""
    assert "networkx" in modules_after("import hipplan\nhipplan.default_ladder().graph")


@pytest.mark.parametrize(
    "code",
    [
        "hipplan.to_json(hipplan.Dose(sets=1, reps=5))",
        'hipplan.from_json(\'{"sets": 1, "reps": 5}\', hipplan.Dose)',
    ],
    ids=["to_json", "from_json"],
)
def test_cattrs_is_loaded_on_first_serialisation(code: str) -> None:
    """cattrs is imported when a value is first written or read, and networkx is still not."""
    loaded = modules_after(f"import hipplan\n{code}")
    assert "cattrs" in loaded
    assert "networkx" not in loaded


def test_version_comes_from_the_package_metadata() -> None:
    """hipplan.__version__ is the installed distribution's version."""
    from importlib.metadata import version

    import hipplan

    assert version("hipplan") == hipplan.__version__
