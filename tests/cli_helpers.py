"""Running the command line as a user does, for the CLI test modules (tests/conftest.py puts this folder on the
import path)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m hipplan ARGS`` (UTF-8 unless ``env`` says otherwise) and capture what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "hipplan", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100", **(env or {})},
        timeout=300,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *parts: str) -> None:
    """Exit status 2, nothing on stdout, one stderr line starting 'hipplan: error:' and naming each part."""
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if not line.startswith("usage:")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hipplan: error: ")
    for part in parts:
        assert part in lines[0], lines[0]
    assert "Traceback" not in result.stderr
