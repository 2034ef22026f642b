"""Every example runs: each examples/*.py as a subprocess, and the notebook headless."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))


def test_examples_exist() -> None:
    """The examples the docs promise are there."""
    names = {p.name for p in SCRIPTS}
    assert {"quickstart.py", "app_integration.py", "travel_week.py", "custom_constraint.py"} <= names
    assert (EXAMPLES / "notebook.ipynb").exists()


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_example_runs(script: Path, tmp_path: Path) -> None:
    """The script exits 0 from a scratch folder, prints something, and prints no traceback."""
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=env,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_notebook_runs(tmp_path: Path) -> None:
    """examples/notebook.ipynb executes top to bottom in a fresh kernel; the plan shows as an HTML table."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(EXAMPLES / "notebook.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    html = [out["data"]["text/html"] for out in outputs if "text/html" in out.get("data", {})]
    assert any('class="hipplan-plan"' in h for h in html)
    assert any('class="hipplan-card"' in h for h in html)


def test_reference_names_every_public_name() -> None:
    """docs/reference.md mentions every name in hipplan.__all__ and every public strategy."""
    import hipplan
    from hipplan import strategies

    page = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    missing = [name for name in hipplan.__all__ if f"hp.{name}" not in page]
    missing += [name for name in strategies.__all__ if f"`{name}()`" not in page]
    assert missing == []
