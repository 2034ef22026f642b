"""Any :class:`hipplan.solver.Problem`, translated for two peer solvers: OR-tools CP-SAT and python-constraint2.

The translation is generic: it knows nothing of training plans. For CP-SAT it is the second row of the
benchmark ("CP-SAT, generic tables"): tables with a cost column give CP-SAT little to bound with, so this row
shows what a blind translation costs, not what CP-SAT can do. ``peers_expert.py`` is the model an OR-tools user
would write for the planning problem itself, and the CP-SAT figure to compare with. Each constraint is tabulated over the domains
of its variables (after the unary hard constraints have removed what they refuse, which both peers would do
in their own presolve anyway); constraints with equal ``key`` values over equal domains share one table.

- CP-SAT: one integer variable per hipplan variable (the position of its value); each hard constraint becomes
  ``AddAllowedAssignments``; a unary soft cost becomes one boolean indicator per value that costs something
  (``x == i``), a soft cost over several variables becomes a table with an integer cost column; the objective
  minimises the sum, scaled to integers (``SCALE``).
- python-constraint2: the same variables, each hard constraint a ``FunctionConstraint`` that looks its
  arguments up in the allowed table. It has no objective: to find the optimum it must enumerate every
  solution and score each one, so it runs in a child process under a time bound and reports how far it got.

Peers' answers are scored on the hipplan problem itself (the original functions), so the scores compare.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing as mp
import time
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hipplan.solver import Problem

SCALE = 1000
"""Soft costs are multiplied by this and rounded for CP-SAT's integer objective."""


@dataclass
class Tables:
    """A problem as tables over value positions."""

    names: list[Hashable]
    values: list[list[Hashable]]
    """Per variable, the values left after the unary hard constraints."""
    hard: list[tuple[tuple[int, ...], frozenset[tuple[int, ...]]]] = field(default_factory=list)
    """Scope (variable indices) and the allowed tuples of value positions."""
    soft: list[tuple[tuple[int, ...], dict[tuple[int, ...], float]]] = field(default_factory=list)
    """Scope and the weighted cost of every tuple of value positions (zero costs left out)."""
    empty: bool = False
    """Whether some variable has no value left (the problem is infeasible before any search)."""


def tabulate(problem: Problem) -> Tables:
    """Tabulate every constraint of ``problem`` over its variables' domains."""
    names = list(problem.variables)
    index = {name: i for i, name in enumerate(names)}
    domains = problem.domains
    values: list[list[Hashable]] = [list(domains[name]) for name in names]
    # node consistency: unary hard constraints filter the domains
    multi_hard = []
    for con in problem.hard:
        scope = [index[n] for n in con.scope]
        if len(set(scope)) == 1:
            v = scope[0]
            values[v] = [x for x in values[v] if con.function(*[x] * len(scope))]
        elif scope:
            multi_hard.append((con, scope))
    tables = Tables(names=names, values=values, empty=any(not v for v in values))
    shared: dict[Hashable, Any] = {}
    for con, scope in multi_hard:
        distinct = tuple(dict.fromkeys(scope))
        ident = (con.key, tuple(tuple(values[v]) for v in scope), True) if con.key is not None else None
        allowed = shared.get(ident) if ident is not None else None
        if allowed is None:
            allowed = frozenset(
                combo
                for combo in itertools.product(*(range(len(values[v])) for v in distinct))
                if con.function(*_args(values, scope, distinct, combo))
            )
            if ident is not None:
                shared[ident] = allowed
        tables.hard.append((distinct, allowed))
    for con in problem.soft:
        scope = [index[n] for n in con.scope]
        distinct = tuple(dict.fromkeys(scope))
        ident = (con.key, tuple(tuple(values[v]) for v in scope), con.weight) if con.key is not None else None
        costs = shared.get(ident) if ident is not None else None
        if costs is None:
            costs = {}
            for combo in itertools.product(*(range(len(values[v])) for v in distinct)):
                c = con.weight * con.function(*_args(values, scope, distinct, combo))
                if c:
                    costs[combo] = float(c)
            if ident is not None:
                shared[ident] = costs
        if costs:
            tables.soft.append((distinct, costs))
    return tables


def _args(
    values: list[list[Hashable]], scope: Sequence[int], distinct: tuple[int, ...], combo: tuple[int, ...]
) -> list[Hashable]:
    where = dict(zip(distinct, combo, strict=True))
    return [values[v][where[v]] for v in scope]


def score(problem: Problem, assignment: dict[Hashable, Hashable]) -> tuple[float, bool]:
    """The soft score of an assignment on the hipplan problem, and whether it keeps every hard constraint."""

    def args(scope: Sequence[Hashable]) -> list[Hashable]:
        return [assignment[n] for n in scope]

    ok = all(con.function(*args(con.scope)) for con in problem.hard)
    return sum(con.weight * con.function(*args(con.scope)) for con in problem.soft), ok


@dataclass
class PeerResult:
    """What a peer did: its verdict, the score of its answer, and the time to build the model and to solve."""

    verdict: str
    """``optimal``, ``infeasible``, ``feasible`` (a solution, optimality not proven) or ``no answer``."""
    score: float | None
    build_s: float
    solve_s: float
    note: str = ""
    assignment: dict[Hashable, Hashable] | None = None

    @property
    def total_s(self) -> float:
        return self.build_s + self.solve_s


# --- OR-tools CP-SAT -------------------------------------------------------------------------------------------


def cpsat(problem: Problem, *, time_limit: float = 60.0, workers: int = 0) -> PeerResult:
    """Build the CP-SAT model from ``problem`` and solve it to optimality (or prove it infeasible)."""
    from ortools.sat.python import cp_model

    start = time.perf_counter()
    tables = tabulate(problem)
    if tables.empty:
        return PeerResult("infeasible", None, time.perf_counter() - start, 0.0, "an empty domain")
    model = cp_model.CpModel()
    x = [model.NewIntVar(0, len(vals) - 1, f"x{i}") for i, vals in enumerate(tables.values)]
    for scope, allowed in tables.hard:
        model.AddAllowedAssignments([x[v] for v in scope], sorted(allowed))
    terms: list[Any] = []
    inexact = False
    indicators: dict[tuple[int, int], Any] = {}
    for k, (scope, costs) in enumerate(tables.soft):
        scaled = {combo: round(c * SCALE) for combo, c in costs.items()}
        inexact = inexact or any(abs(c * SCALE - scaled[t]) > 1e-6 for t, c in costs.items())
        if len(scope) == 1:
            v = scope[0]
            for (i,), c in scaled.items():
                lit = indicators.get((v, i))
                if lit is None:
                    lit = indicators[(v, i)] = model.NewBoolVar(f"x{v}={i}")
                    model.Add(x[v] == i).OnlyEnforceIf(lit)
                    model.Add(x[v] != i).OnlyEnforceIf(lit.Not())
                terms.append(c * lit)
        else:
            combos = itertools.product(*(range(len(tables.values[v])) for v in scope))
            rows = [(*combo, scaled.get(combo, 0)) for combo in combos]
            cost = model.NewIntVar(min(r[-1] for r in rows), max(r[-1] for r in rows), f"c{k}")
            model.AddAllowedAssignments([*(x[v] for v in scope), cost], rows)
            terms.append(cost)
    model.Minimize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    built = time.perf_counter()
    status = solver.Solve(model)
    solved = time.perf_counter()
    note = f"objective rounded to 1/{SCALE}" if inexact else ""
    if status == cp_model.INFEASIBLE:
        return PeerResult("infeasible", None, built - start, solved - built, note)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PeerResult(
            "no answer", None, built - start, solved - built, f"status {solver.StatusName(status)}"
        )
    assignment = {name: tables.values[i][solver.Value(x[i])] for i, name in enumerate(tables.names)}
    value, ok = score(problem, assignment)
    if not ok:
        note = (note + "; " if note else "") + "its answer breaks a hard constraint"
    verdict = "optimal" if status == cp_model.OPTIMAL else "feasible"
    return PeerResult(verdict, value, built - start, solved - built, note, assignment)


# --- python-constraint2 ----------------------------------------------------------------------------------------


def constraint2(problem: Problem, *, bound_s: float = 10.0, optimise: bool = True) -> PeerResult:
    """Solve with python-constraint2 in a child process, stopped after ``bound_s`` seconds.

    With ``optimise`` it enumerates every solution and keeps the best score (python-constraint2 has no
    objective); otherwise it asks for one solution, which proves feasibility or, when none comes, infeasibility.
    """
    start = time.perf_counter()
    tables = tabulate(problem)
    tabulated = time.perf_counter() - start
    if tables.empty:
        return PeerResult("infeasible", None, tabulated, 0.0, "an empty domain")
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_constraint2_child, args=(tables, optimise, child), daemon=True)
    begun = time.perf_counter()
    proc.start()
    child.close()
    latest: dict[str, Any] = {}
    deadline = begun + bound_s
    while True:
        left = deadline - time.perf_counter()
        if left <= 0 or not parent.poll(left):
            break
        try:
            message = parent.recv()
        except EOFError:
            break
        latest.update(message)
        if message.get("done"):
            break
    elapsed = time.perf_counter() - begun
    if proc.is_alive():
        proc.kill()
    proc.join()
    build = tabulated + latest.get("build_s", 0.0)
    solve = latest["solve_s"] if latest.get("done") else elapsed - latest.get("build_s", 0.0)
    found = latest.get("best")
    assignment = None
    value = None
    broken = ""
    if found is not None:
        assignment = {name: tables.values[i][found[i]] for i, name in enumerate(tables.names)}
        value, ok = score(problem, assignment)
        broken = "" if ok else "; its answer breaks a hard constraint"
    count = latest.get("count", 0)
    if latest.get("done"):
        if found is None:
            return PeerResult("infeasible", None, build, solve)
        if optimise:
            return PeerResult(
                "optimal", value, build, solve, f"enumerated all {count} solutions{broken}", assignment
            )
        return PeerResult("feasible", value, build, solve, f"first solution{broken}", assignment)
    note = f"did not finish in {bound_s:g} s{broken}"
    if optimise and found is not None:
        note += f"; best of the {count} solutions seen"
    return PeerResult("feasible" if found is not None else "no answer", value, build, solve, note, assignment)


def _constraint2_child(tables: Tables, optimise: bool, out: Any) -> None:
    import constraint

    start = time.perf_counter()
    p = constraint.Problem()
    for i, vals in enumerate(tables.values):
        p.addVariable(i, list(range(len(vals))))
    for scope, allowed in tables.hard:
        p.addConstraint(constraint.FunctionConstraint(lambda *a, ok=allowed: a in ok), list(scope))
    soft = [(scope, costs) for scope, costs in tables.soft]
    built = time.perf_counter()
    out.send({"build_s": built - start})
    best: list[int] | None = None
    best_score = math.inf
    count = 0
    last = built
    if not optimise:
        sol = p.getSolution()
        if sol is not None:
            best = [sol[i] for i in range(len(tables.values))]
        out.send(
            {
                "done": True,
                "best": best,
                "count": int(sol is not None),
                "solve_s": time.perf_counter() - built,
            }
        )
        return
    for sol in p.getSolutionIter():
        count += 1
        value = sum(costs.get(tuple(sol[v] for v in scope), 0.0) for scope, costs in soft)
        if value < best_score:
            best_score = value
            best = [sol[i] for i in range(len(tables.values))]
        now = time.perf_counter()
        if now - last > 0.2:
            out.send({"best": best, "count": count})
            last = now
    out.send({"done": True, "best": best, "count": count, "solve_s": time.perf_counter() - built})
