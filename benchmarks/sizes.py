"""Module sizes and the longest functions of src/hipplan (what the architecture issue tracks).

    python benchmarks/sizes.py [REPO]      # REPO defaults to this checkout

Prints the total number of lines, the eight largest modules and the ten longest functions (lines from ``def``
to the end of the body), read with ``ast``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path


def main() -> None:
    repo = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    root = repo / "src" / "hipplan"
    sizes: list[tuple[int, str]] = []
    functions: list[tuple[int, str]] = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(root))
        sizes.append((len(text.splitlines()), name))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                functions.append((node.end_lineno - node.lineno + 1, f"{name}:{node.name}"))
    print("total lines", sum(n for n, _ in sizes))
    for n, name in sorted(sizes, reverse=True)[:8]:
        print(f"  {n:5d} {name}")
    print("longest functions")
    for n, name in sorted(functions, reverse=True)[:10]:
        print(f"  {n:4d} {name}")


if __name__ == "__main__":
    main()
