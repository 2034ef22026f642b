"""Benchmarks: hipplan against CP-SAT (an expert model, and a generic translation) and python-constraint2.

Run from the repository root (needs the ``bench`` extra: ``pip install -e '.[bench]'``)::

    python benchmarks/run.py              # the full run behind docs/performance.md
    python benchmarks/run.py --quick      # one repetition, short limits, up to 12 weeks (a check, not figures)

It prints Markdown. Every ratio comes from this one run: the runs are interleaved (each repetition times, for
each scenario in turn, hipplan's ``solve()`` and ``plan()`` and then every peer), and a figure is the median over
the repetitions (hipplan's per repetition is itself the median of a few runs, each on a freshly built problem).
A peer stopped by its time limit is not run again in later repetitions: its figure is "more than the limit".

streprogen (GPL) is only ever run as a separate process, and only when ``--streprogen`` names a Python that has
it installed (for instance ``python -m venv /tmp/strepro && /tmp/strepro/bin/pip install streprogen``).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers
import peers_expert as pe
import scenarios

import hipplan as hp
from hipplan._engine.cells import build_model
from hipplan.planner import build_problem
from hipplan.solver import NoSolution, minimal_conflict, solve

# --- formatting ------------------------------------------------------------------------------------------------


def fmt_ms(ms: float) -> str:
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 100:
        return f"{ms:.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def fmt_factor(x: float) -> str:
    return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 1 else f"{x:.2f}"


def fmt_score(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


# --- the cases -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One planning problem: the benchmark week (feasible or one of its infeasible variants) or the dense week."""

    name: str
    weeks: int
    variant: str = "feasible"
    dense: bool = False

    def args(self) -> dict[str, Any]:
        if self.dense:
            return scenarios.dense_args(self.weeks)
        return scenarios.plan_args(self.weeks, variant=self.variant)

    @property
    def feasible(self) -> bool:
        return self.variant == "feasible"

    @property
    def generic_peers(self) -> bool:
        """Whether the generic CP-SAT translation and python-constraint2 run on this case."""
        return not self.dense


@dataclass
class Run:
    """One timed run of one column on one case."""

    ms: float
    verdict: str
    """``optimal``, ``infeasible``, ``feasible`` (not proven), ``no answer``, ``budget exceeded``."""
    score: float | None = None
    finished: bool = True
    """False when a time limit stopped it (the time is then a lower bound)."""
    build_ms: float | None = None
    note: str = ""
    best_ms: float | None = None
    """For hipplan: the fastest of the runs this one is the median of."""


@dataclass
class Column:
    label: str
    run: Callable[[Case], Run]
    applies: Callable[[Case], bool] = lambda case: True
    runs: dict[Case, list[Run]] = field(default_factory=dict)

    def median(self, case: Case) -> float:
        return statistics.median(r.ms for r in self.runs[case])

    def last(self, case: Case) -> Run:
        return self.runs[case][-1]

    def finished(self, case: Case) -> bool:
        return all(r.finished for r in self.runs[case])

    def proven(self, case: Case) -> bool:
        return self.finished(case) and self.last(case).verdict in ("optimal", "infeasible")


def _hipplan_runs(once: Callable[[], tuple[float, str, float | None]], inner: int) -> Run:
    """The median of ``inner`` runs of ``once`` (one run when the first takes more than a second)."""
    gc.collect()
    times = []
    verdict, score = "", None
    for i in range(inner):
        ms, verdict, score = once()
        times.append(ms)
        if i == 0 and ms > 1000:
            break
    return Run(statistics.median(times), verdict, score, best_ms=min(times))


def hipplan_solve(case: Case, inner: int) -> Run:
    """``solve()`` on the problem ``plan()`` solves first (``build_problem(..., prune=True)``), built fresh."""

    def once() -> tuple[float, str, float | None]:
        problem = build_problem(**case.args(), prune=True)
        start = time.perf_counter()
        try:
            cost: float | None = solve(problem).cost
            verdict = "optimal"
        except NoSolution:
            cost, verdict = None, "infeasible"
        except hp.BudgetExceeded:
            cost, verdict = None, "budget exceeded"
        return (time.perf_counter() - start) * 1e3, verdict, cost

    return _hipplan_runs(once, inner)


def hipplan_plan(case: Case, inner: int) -> Run:
    """``plan()`` end to end: inputs checked, doses projected, problem built and solved, slots written."""

    def once() -> tuple[float, str, float | None]:
        args = case.args()
        start = time.perf_counter()
        try:
            hp.plan(**args)
            verdict = "plan"
        except hp.Infeasible:
            verdict = "infeasible"
        except hp.BudgetExceeded:
            verdict = "budget exceeded"
        return (time.perf_counter() - start) * 1e3, verdict, None

    return _hipplan_runs(once, inner)


def expert(case: Case, config: pe.Config) -> Run:
    built = build_model(**case.args(), prune=True)
    gc.collect()
    r = pe.solve({}, config, built=built)
    return _cpsat_run(r)


def _cpsat_run(r: Any) -> Run:
    """A CP-SAT result as a row: finished when it proved an optimum or infeasibility."""
    return Run(
        r.total_s * 1e3,
        r.verdict,
        r.score,
        finished=r.verdict in ("optimal", "infeasible"),
        build_ms=r.build_s * 1e3,
        note=r.note,
    )


def generic(case: Case, limit: float) -> Run:
    problem = build_problem(**case.args(), prune=True)
    gc.collect()
    r = peers.cpsat(problem, time_limit=limit)
    return _cpsat_run(r)


def constraint2(case: Case, bound: float) -> Run:
    problem = build_problem(**case.args(), prune=True)
    r = peers.constraint2(problem, bound_s=bound, optimise=case.feasible)
    return Run(
        r.total_s * 1e3,
        r.verdict,
        r.score,
        finished="did not finish" not in r.note,
        build_ms=r.build_s * 1e3,
        note=r.note,
    )


# --- the comparison --------------------------------------------------------------------------------------------


def compare(cases: Sequence[Case], reps: int, inner: int, limit: float, bound: float) -> list[Column]:
    configs = [
        pe.Config(c.label, c.num_workers, c.linearization_level, max_time_in_seconds=limit)
        for c in pe.CONFIGS
    ]
    columns = [
        Column("hipplan solve()", lambda case: hipplan_solve(case, inner)),
        Column("hipplan plan()", lambda case: hipplan_plan(case, inner)),
        *(Column(c.label, lambda case, c=c: expert(case, c)) for c in configs),  # type: ignore[misc]
        Column("CP-SAT, generic tables", lambda case: generic(case, limit), lambda case: case.generic_peers),
        Column("python-constraint2", lambda case: constraint2(case, bound), lambda case: case.generic_peers),
    ]
    for rep in range(reps):
        for case in cases:
            for col in columns:
                if not col.applies(case):
                    continue
                done = col.runs.setdefault(case, [])
                if done and not done[-1].finished:
                    continue  # stopped by its limit before: more than the limit again
                done.append(col.run(case))
            print(f"  ... repetition {rep + 1}: {case.name}, {case.weeks} weeks", file=sys.stderr)
    return columns


def _time_cell(col: Column, case: Case) -> str:
    if case not in col.runs:
        return "-"
    runs = col.runs[case]
    if not col.finished(case):
        return f"> {fmt_ms(max(r.ms for r in runs))}"
    text = fmt_ms(col.median(case))
    if runs[-1].build_ms is not None and col.label.startswith(("expert", "CP-SAT")):
        text += f" ({fmt_ms(statistics.median(r.build_ms or 0.0 for r in runs))} build)"
    if runs[-1].verdict == "budget exceeded":
        text += " BudgetExceeded"
    return text


def _answer_cell(col: Column, case: Case) -> str:
    if case not in col.runs:
        return "-"
    r = col.last(case)
    if r.verdict in ("optimal", "plan", "feasible") and r.score is not None:
        text = fmt_score(r.score) + (" (not proven)" if r.verdict == "feasible" else "")
    else:
        text = r.verdict
    return text + (f" ({r.note})" if r.note else "")


def speedups(columns: list[Column], cases: Sequence[Case]) -> tuple[str, dict[Case, tuple[str, float, bool]]]:
    """The factors by which hipplan is faster than the best CP-SAT configuration and python-constraint2."""
    solve_col, plan_col = columns[0], columns[1]
    cpsat_cols = [c for c in columns if c.label.startswith(("expert", "CP-SAT"))]
    pc = columns[-1]
    rows = []
    best: dict[Case, tuple[str, float, bool]] = {}
    for case in cases:
        proven = [(c.median(case), c.label) for c in cpsat_cols if case in c.runs and c.proven(case)]
        if proven:
            ms, label = min(proven)
            exact = True
        else:  # none finished: the fastest configuration took at least the shortest of their stopped runs
            ms = min(max(r.ms for r in c.runs[case]) for c in cpsat_cols if case in c.runs)
            label, exact = "none proved", False
        best[case] = (label, ms, exact)
        mark = "" if exact else "> "
        s_ms, p_ms = solve_col.median(case), plan_col.median(case)
        if (
            solve_col.last(case).verdict == "budget exceeded"
            or plan_col.last(case).verdict == "budget exceeded"
        ):
            rows.append(
                [case.name, f"{case.weeks}", label, mark + fmt_ms(ms), "hipplan: BudgetExceeded", "-", "-"]
            )
            continue
        pc_text = "-"
        if case in pc.runs:
            pc_ms = max(r.ms for r in pc.runs[case]) if not pc.finished(case) else pc.median(case)
            pc_text = ("" if pc.finished(case) else "> ") + fmt_factor(pc_ms / s_ms)
        rows.append(
            [
                case.name,
                f"{case.weeks}",
                label.removeprefix("expert CP-SAT, "),
                mark + fmt_ms(ms),
                mark + fmt_factor(ms / s_ms),
                mark + fmt_factor(ms / p_ms),
                pc_text,
            ]
        )
    header = [
        "scenario",
        "weeks",
        "fastest CP-SAT",
        "its time",
        "CP-SAT / solve()",
        "CP-SAT / plan()",
        "python-constraint2 / solve()",
    ]
    return table(header, rows), best


def targets(columns: list[Column], best: dict[Case, tuple[str, float, bool]], cases: Sequence[Case]) -> str:
    plan_col = columns[1]
    by = {(c.name, c.weeks): c for c in cases}
    rows = []
    for weeks, factor in ((12, 10), (52, 50)):
        case = by.get(("benchmark week", weeks))
        if case is None:
            continue
        label, ms, exact = best[case]
        got = ms / plan_col.median(case)
        met = got >= factor
        rows.append(
            [
                f"`plan()` at least {factor}x faster than the fastest CP-SAT, benchmark week, {weeks} weeks",
                ("" if exact else "> ") + f"{fmt_factor(got)}x ({label.removeprefix('expert CP-SAT, ')})",
                "met" if met else ("not met" if exact else "not shown (no CP-SAT configuration finished)"),
            ]
        )
    for weeks, limit_ms in ((12, 5.0), (52, 20.0)):
        case = by.get(("benchmark week", weeks))
        if case is None:
            continue
        med = plan_col.median(case)
        fastest = min(r.best_ms or r.ms for r in plan_col.runs[case])
        rows.append(
            [
                f"`plan()`, benchmark week, {weeks} weeks, within {limit_ms:g} ms",
                f"median {fmt_ms(med)}, fastest {fmt_ms(fastest)}",
                "met"
                if med <= limit_ms
                else ("met by the fastest run only" if fastest <= limit_ms else "not met"),
            ]
        )
    return table(["target (issue 12)", "measured", ""], rows)


# --- cold processes --------------------------------------------------------------------------------------------

_PLAN_12 = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {bench!r})
    import hipplan as hp
    import scenarios
    hp.plan(**scenarios.plan_args(12))
    """
)

_STREPROGEN_12 = textwrap.dedent(
    """
    from streprogen import Program
    program = Program(name="twelve weeks", duration=12)
    with program.Day("A"):
        program.DynamicExercise(name="Squat", start_weight=100)
        program.DynamicExercise(name="Bench press", start_weight=80)
    with program.Day("B"):
        program.DynamicExercise(name="Deadlift", start_weight=120)
        program.DynamicExercise(name="Hip thrust", start_weight=90)
    program.render()
    program.to_txt()
    """
)


def cold(streprogen: str | None, runs: int) -> str:
    """New processes, timed from start to exit, interleaved, best and median of ``runs``."""
    bench = str(Path(__file__).resolve().parent)
    cli = str(Path(sys.executable).with_name("hipplan"))
    commands: list[tuple[str, list[str]]] = [
        ("`python -c pass` (the interpreter alone)", [sys.executable, "-c", "pass"]),
        ("`python -c 'import hipplan'`", [sys.executable, "-c", "import hipplan"]),
        (
            "`python -c` one 12-week plan (benchmark week)",
            [sys.executable, "-c", _PLAN_12.format(bench=bench)],
        ),
        ("`hipplan plan --example` (8 weeks)", [cli, "plan", "--example"]),
        ("`hipplan plan --example --weeks 12`", [cli, "plan", "--example", "--weeks", "12"]),
    ]
    notes = []
    if streprogen:
        commands.append(
            (
                "streprogen 4: a 12-week program of two days, rendered as text (peer, own process)",
                [streprogen, "-c", _STREPROGEN_12],
            )
        )
    else:
        notes.append(
            "streprogen not run: give `--streprogen PYTHON`, a Python with streprogen installed (GPL: it runs only"
            " as a separate process)."
        )
    times: dict[str, list[float]] = {label: [] for label, _ in commands}
    failed: dict[str, str] = {}

    def once(label: str, cmd: list[str]) -> float:
        start = time.perf_counter()
        done = subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = (time.perf_counter() - start) * 1e3
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or [""])[-1]
            failed[label] = f"exit {done.returncode}: {last}"
        return elapsed

    for label, cmd in commands:  # once each to warm the file cache
        once(label, cmd)
    for _ in range(runs):
        for label, cmd in commands:
            if label not in failed:
                times[label].append(once(label, cmd))
    notes += [f"{label} failed ({why})" for label, why in failed.items()]
    rows = [[label, fmt_ms(min(t)), fmt_ms(statistics.median(t))] for label, t in times.items() if t]
    out = table(["new process", f"best of {runs}", "median"], rows)
    if streprogen:
        version = subprocess.run(
            [streprogen, "-c", "from importlib import metadata; print(metadata.version('streprogen'))"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        notes.append(f"streprogen {version or '(version unknown)'}, run by `{streprogen}`.")
    return out + ("\n\n" + "\n".join(f"- {n}" for n in notes) if notes else "")


# --- plan() scaling and explanations ---------------------------------------------------------------------------


def median_ms(run: Callable[[], Any], repeats: int) -> float:
    gc.collect()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def scaling(horizons: Sequence[int], sessions: Sequence[int], repeats: int) -> str:
    rows = []
    for weeks in horizons:
        row = [f"{weeks}"]
        for n in sessions:
            args = scenarios.plan_args(weeks, sessions=n)
            row.append(fmt_ms(median_ms(lambda args=args: hp.plan(**args), repeats)))  # type: ignore[misc]
        rows.append(row)
    return table(["weeks", *(f"{n} sessions a week" for n in sessions)], rows)


def explaining(horizons: Sequence[int], repeats: int) -> str:
    rows = []
    for variant in scenarios.VARIANTS[1:]:
        for weeks in horizons:

            def infeasible_plan(weeks: int = weeks, variant: str = variant) -> None:
                try:
                    hp.plan(**scenarios.plan_args(weeks, variant=variant))
                except hp.Infeasible:
                    return
                raise AssertionError("expected Infeasible")

            plan_ms = median_ms(infeasible_plan, repeats)
            problem = scenarios.problem(weeks, variant=variant)
            groups = minimal_conflict(problem)
            mc_ms = median_ms(lambda p=problem: minimal_conflict(p), repeats)  # type: ignore[misc]
            rows.append([f"{weeks}", variant, fmt_ms(mc_ms), ", ".join(groups), fmt_ms(plan_ms)])
    return table(
        [
            "weeks",
            "variant",
            "minimal_conflict (full model)",
            "conflicting groups",
            "plan() until Infeasible",
        ],
        rows,
    )


# --- main ------------------------------------------------------------------------------------------------------


def _source() -> str:
    """Where hipplan was imported from, with its git commit when that is a checkout."""
    where = Path(hp.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(where), "describe", "--always", "--dirty", "--abbrev=10"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"`{where}` (not a git checkout)"
    return f"`{where}`, commit {commit}"


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition, short limits, up to 12 weeks")
    parser.add_argument("--reps", type=int, default=None, help="interleaved repetitions (median over them)")
    parser.add_argument("--inner", type=int, default=None, help="hipplan runs per repetition (median)")
    parser.add_argument("--limit", type=float, default=None, help="CP-SAT time limit, seconds")
    parser.add_argument("--bound", type=float, default=None, help="python-constraint2 time bound, seconds")
    parser.add_argument(
        "--streprogen", default=None, help="a Python with streprogen installed (cold-run peer)"
    )
    parser.add_argument("--weeks", type=int, nargs="+", default=None, help="horizons (default 4 12 52)")
    parser.add_argument(
        "--no-scaling", action="store_true", help="leave out the plan() scaling and explanations"
    )
    args = parser.parse_args(argv)
    reps = args.reps or (1 if args.quick else 3)
    inner = args.inner or (3 if args.quick else 7)
    limit = args.limit or (5.0 if args.quick else 30.0)
    bound = args.bound or (2.0 if args.quick else 10.0)
    horizons = tuple(args.weeks) if args.weeks else (4, 12) if args.quick else (4, 12, 52)
    command = (
        "python benchmarks/run.py" + (" " + " ".join(argv if argv is not None else sys.argv[1:])).rstrip()
    )
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("hipplan", "ortools", "python-constraint2")
    )
    print(f"Command: `{command}`\n")
    print(f"hipplan from {_source()}.\n")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        f" on {platform.system()}; {versions}. Load average at the start: {_load()}.\n"
    )
    cases = [Case("benchmark week", w) for w in horizons]
    cases += [Case(v, w, variant=v) for v in scenarios.VARIANTS[1:] for w in horizons]
    cases += [Case("dense week (14 sessions)", w, dense=True) for w in horizons]
    started = time.perf_counter()
    columns = compare(cases, reps, inner, limit, bound)
    print("## hipplan and its peers on the same problems\n")
    print(
        f"{reps} interleaved repetitions; hipplan's figure in each is the median of {inner} runs (one when a run"
        f" takes over a second), each on a freshly built problem; the table gives the median over repetitions."
        f" CP-SAT limited to {limit:g} s, python-constraint2 to {bound:g} s; `>` marks a peer its limit stopped."
        " Expert CP-SAT: `peers_expert.py`, linearization_level=2; build is the CP-SAT model made from hipplan's"
        " cells (hipplan's own model building not counted). Generic tables: `peers.py`, default parameters"
        " (all cores), translation counted as build.\n"
    )
    print(
        table(
            ["scenario", "weeks", *(c.label for c in columns)],
            [[case.name, f"{case.weeks}", *(_time_cell(c, case) for c in columns)] for case in cases],
        )
    )
    print("\n### Answers (score of each answer on hipplan's own problem, or the verdict)\n")
    answer_cols = [columns[0], *columns[2:]]
    print(
        table(
            ["scenario", "weeks", *(c.label for c in answer_cols)],
            [[case.name, f"{case.weeks}", *(_answer_cell(c, case) for c in answer_cols)] for case in cases],
        )
    )
    print("\n### How many times faster hipplan is (peer time / hipplan time, medians)\n")
    text, best = speedups(columns, cases)
    print(text)
    print("\n### Targets\n")
    print(targets(columns, best, cases))
    print(f"\n(comparison: {time.perf_counter() - started:.0f} s; load average now {_load()})\n")
    print("## Cold processes\n")
    print(cold(args.streprogen, 5))
    if not args.no_scaling:
        print("\n## plan() against weeks and sessions (median)\n")
        print(scaling((4, 12, 26, 52) if args.quick else (4, 12, 26, 52, 104), scenarios.SESSIONS, 5))
        print("\n## Explaining an infeasible problem (median)\n")
        print(explaining(horizons, 5))
    print(f"\nLoad average at the end: {_load()}.")


if __name__ == "__main__":
    main()
