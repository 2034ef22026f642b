"""Benchmarks: hipplan's solver against CP-SAT and python-constraint2, plan() scaling, explaining conflicts.

Run from the repository root (needs the ``bench`` extra: ``pip install -e '.[bench]'``)::

    python benchmarks/run.py              # the full run behind docs/performance.md
    python benchmarks/run.py --quick      # fewer repeats, shorter bounds, smaller horizons

It prints Markdown tables. Times are medians over repeated runs (wall clock, ``time.perf_counter``), each run
on a freshly built problem so that no run profits from work cached by the one before.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers
import scenarios

import hipplan as hp
from hipplan.solver import NoSolution, minimal_conflict, solve

# A garbage collection runs before each batch of runs, not before each run: a full collection also empties
# the interpreter's free lists, and the run after it would pay for building them up again, which an app that
# plans more than once does not (about 0.5 ms of a 4 ms plan here).


def median_ms(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The median wall time of ``run()`` in milliseconds, and its last result."""
    times = []
    result = None
    gc.collect()
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, result


def median_ms_on(run: Callable[[Any], Any], setup: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The median wall time of ``run(setup())`` in milliseconds, ``setup`` not timed, and the last result."""
    times = []
    result = None
    gc.collect()
    for _ in range(repeats):
        arg = setup()
        start = time.perf_counter()
        result = run(arg)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, result


def fmt_ms(ms: float) -> str:
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 100:
        return f"{ms:.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def fmt_ratio(ratio: float, finished: bool) -> str:
    """A ratio with two significant digits; ``< x`` when the peer was stopped before it finished."""
    text = f"{ratio:.2g}" if ratio >= 0.01 else f"{ratio:.1e}"
    return text if finished else f"< {text}"


def fmt_score(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def hipplan_solve(weeks: int, variant: str, repeats: int) -> tuple[float, str, float | None]:
    """Median time of hipplan's solve() (a NoSolution proof for an infeasible variant), verdict, score."""

    def run(problem: Any) -> tuple[str, float | None]:
        try:
            return "optimal", solve(problem).cost
        except NoSolution:
            return "infeasible", None

    ms, (verdict, score) = median_ms_on(run, lambda: scenarios.problem(weeks, variant=variant), repeats)
    return ms, verdict, score


def compare(horizons: Sequence[int], repeats: int, peer_repeats: int, bound_s: float) -> str:
    rows = []
    notes: list[str] = []
    # hipplan first, for every row (see main)
    ours = {
        (variant, weeks): hipplan_solve(weeks, variant, repeats)
        for variant in scenarios.VARIANTS
        for weeks in horizons
    }
    for variant in scenarios.VARIANTS:
        feasible = variant == "feasible"
        for weeks in horizons:
            ms, verdict, score = ours[variant, weeks]
            cp_runs = []
            for _ in range(peer_repeats):
                gc.collect()
                cp_runs.append(peers.cpsat(scenarios.problem(weeks, variant=variant)))
            cp = cp_runs[-1]
            cp_ms = statistics.median(r.total_s for r in cp_runs) * 1e3
            cp_build = statistics.median(r.build_s for r in cp_runs) * 1e3
            pc = peers.constraint2(
                scenarios.problem(weeks, variant=variant), bound_s=bound_s, optimise=feasible
            )
            pc_done = "did not finish" not in pc.note
            pc_ms = pc.total_s * 1e3
            rows.append(
                [
                    f"{weeks}",
                    variant,
                    fmt_ms(ms),
                    f"{fmt_ms(cp_ms)} ({fmt_ms(cp_build)} build)",
                    fmt_ms(pc_ms) if pc_done else f"> {bound_s:g} s",
                    fmt_ratio(ms / cp_ms, cp.verdict in ("optimal", "infeasible")),
                    fmt_ratio(ms / pc_ms, pc_done),
                    fmt_score(score) if feasible else verdict,
                    (fmt_score(cp.score) if feasible else cp.verdict)
                    + (" (not proven)" if cp.verdict == "feasible" else ""),
                    (fmt_score(pc.score) if feasible else pc.verdict) + (f" ({pc.note})" if pc.note else ""),
                ]
            )
            if cp.note:
                notes.append(f"CP-SAT, {weeks} weeks {variant}: {cp.note}")
            print(f"  ... {weeks} weeks {variant} done", file=sys.stderr)
    header = [
        "weeks",
        "variant",
        "hipplan",
        "CP-SAT (build + solve)",
        "python-constraint2",
        "hipplan / CP-SAT",
        "hipplan / python-constraint2",
        "score hipplan",
        "score CP-SAT",
        "score python-constraint2",
    ]
    out = table(header, rows)
    if notes:
        out += "\n\n" + "\n".join(f"- {n}" for n in notes)
    return out


def scaling(horizons: Sequence[int], sessions: Sequence[int], repeats: int) -> str:
    rows = []
    for weeks in horizons:
        row = [f"{weeks}"]
        for n in sessions:
            plan_ms, _ = median_ms(
                lambda n=n, weeks=weeks: hp.plan(**scenarios.plan_args(weeks, sessions=n)), repeats
            )
            solve_ms, _ = median_ms_on(
                solve, lambda n=n, weeks=weeks: scenarios.problem(weeks, sessions=n, prune=True), repeats
            )
            row.append(f"{fmt_ms(plan_ms)} ({fmt_ms(solve_ms)})")
        rows.append(row)
        print(f"  ... scaling {weeks} weeks done", file=sys.stderr)
    return table(["weeks", *(f"{n} sessions a week" for n in sessions)], rows)


def explaining(horizons: Sequence[int], repeats: int) -> str:
    rows = []
    for variant in scenarios.VARIANTS[1:]:
        for weeks in horizons:

            def infeasible_plan(weeks: int = weeks, variant: str = variant) -> str:
                try:
                    hp.plan(**scenarios.plan_args(weeks, variant=variant))
                except hp.Infeasible as exc:
                    return ", ".join(c.rule for c in exc.conflicts)
                return "no Infeasible: plan() returned a plan"

            plan_ms, rules = median_ms(infeasible_plan, repeats)
            mc_ms, groups = median_ms_on(
                minimal_conflict,
                lambda weeks=weeks, variant=variant: scenarios.problem(weeks, variant=variant),
                repeats,
            )
            rows.append([f"{weeks}", variant, fmt_ms(mc_ms), ", ".join(groups), fmt_ms(plan_ms), rules])
    return table(
        [
            "weeks",
            "variant",
            "minimal_conflict (full model)",
            "conflicting groups",
            "plan() until Infeasible",
            "rules named by Infeasible",
        ],
        rows,
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats, shorter bounds, smaller horizons"
    )
    parser.add_argument("--repeats", type=int, default=None, help="runs per hipplan figure (median)")
    parser.add_argument("--bound", type=float, default=None, help="python-constraint2 time bound, seconds")
    args = parser.parse_args(argv)
    repeats = args.repeats or (5 if args.quick else 21)
    peer_repeats = 1 if args.quick else 3
    bound = args.bound or (3.0 if args.quick else 30.0)
    horizons = (4, 12) if args.quick else (4, 12, 52)
    command = (
        "python benchmarks/run.py" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    )
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("hipplan", "ortools", "python-constraint2")
    )
    print(f"Command: `{command}`\n")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        f" on {platform.system()}; {versions}. Load average at the start: {_load()}.\n"
    )
    print("## Solving the slotting problem: 5-session week, travel week 3\n")
    print(
        "The full model of each scenario (`benchmarks/scenarios.py`, `build_problem(..., prune=False)`), solved"
        " by each solver from the same `hipplan.solver.Problem`.\n"
    )
    print(
        f"hipplan: median of {repeats} runs of `solve()` on a freshly built problem. CP-SAT: median of"
        f" {peer_repeats} runs, model translation and build included, default parameters (all cores)."
        f" python-constraint2: one run, stopped after {bound:g} s. Ratios below 1 mean hipplan is faster.\n"
    )
    # Every hipplan figure is taken before the peers run: after python-constraint2 has made and dropped
    # millions of objects, Python code run in the same process was found up to a fifth slower (a 4.0 ms plan
    # took 4.8 ms). The tables are printed in their usual order.
    scaled = scaling(
        (4, 12, 26, 52) if args.quick else (4, 8, 12, 26, 52, 104),
        scenarios.SESSIONS,
        max(3, repeats // 3),
    )
    explained = explaining(horizons, max(3, repeats // 3))
    print(compare(horizons, repeats, peer_repeats, bound))
    print("\n## plan() against weeks and sessions (solve() alone in brackets)\n")
    print(scaled)
    print("\n## Explaining an infeasible problem\n")
    print(explained)
    print(f"\nLoad average at the end: {_load()}.")


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
