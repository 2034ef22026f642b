"""An expert CP-SAT model of hipplan's planning problem, written the way an OR-tools user would write it.

``peers.cpsat`` translates any :class:`hipplan.solver.Problem` blindly into tables; CP-SAT gets little bound from
tables with a cost column, so that row says more about the translation than about CP-SAT. This module models the
planning problem itself, with the usual CP-SAT idioms:

- one boolean per (week, session, option) the one-slot rules allow (hipplan's pruned model:
  ``hipplan._engine.cells.build_model(..., prune=True)``, whose cells list those options); at most one per session
  (none set is "no slot"); a :class:`~hipplan.constraints.RequireRole` session must take one;
- :class:`~hipplan.constraints.Exposures`: the week's slot count as a linear constraint;
- :class:`~hipplan.constraints.Recovery`: for each pair of sessions less than ``hours`` apart (consecutive
  weeks included) at most one of their hard options;
- :class:`~hipplan.constraints.PreferredExposures`: an integer deviation above and below the wanted count;
- :class:`~hipplan.constraints.HardWork`: a boolean per week, true only if one of its hard options is taken,
  that earns the rule's weight back;
- :class:`~hipplan.constraints.FewerSetups`: a boolean per (week, variation) implied by each option of that
  variation, the cost the count of set-ups less one (never below zero);
- :class:`~hipplan.constraints.SameSlot`: a "changed" boolean per session and pair of consecutive weeks, at
  least the difference of the two weeks' booleans for every value (no slot included). (A "same value" boolean
  per shared value, the cost one less their sum, relaxes more tightly but solved slower here.)
- the one-slot preferences (:class:`~hipplan.constraints.GoalFit`, :class:`~hipplan.constraints.LadderFit`,
  the user's wishes) and :class:`~hipplan.constraints.HeavyDayEve`: a weighted term per option boolean.

The costs are hipplan's own (each rule's weight, the one-slot costs from ``rule.costs(model, cell)``), scaled to
integers by the smallest power of two that makes them whole (exact; 1000 and rounding otherwise, noted). The
answer is decoded into hipplan's variables and scored by ``hipplan.solver.evaluate`` on the very problem
``hipplan.solver.solve`` solves, so the two scores compare. A rule this module does not know raises
``NotImplementedError`` rather than being left out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hipplan import constraints as hc
from hipplan._engine.cells import Built, build_model
from hipplan._engine.model import Cell, Model
from hipplan.solver import evaluate
from hipplan.vocabulary import Role


@dataclass(frozen=True)
class Config:
    """A named set of CP-SAT parameters."""

    label: str
    num_workers: int
    """1 for one thread; 0 lets CP-SAT use every core."""
    linearization_level: int = 2
    """2 puts the at-most-one and implication constraints in the linear relaxation too. With 1 (the default) one
    worker did not prove the 12-week optimum of the benchmark week in 10 s; with 2 it did in well under one."""
    max_time_in_seconds: float = 60.0

    def describe(self) -> str:
        workers = (
            "all cores"
            if self.num_workers == 0
            else f"{self.num_workers} worker" + "s" * (self.num_workers > 1)
        )
        return (
            f"num_workers={self.num_workers} ({workers}), linearization_level={self.linearization_level},"
            f" max_time_in_seconds={self.max_time_in_seconds:g}"
        )


ONE_WORKER = Config("expert CP-SAT, 1 worker", num_workers=1)
ALL_CORES = Config("expert CP-SAT, all cores", num_workers=0)
EIGHT_WORKERS = Config("expert CP-SAT, 8 workers", num_workers=8)
"""The portfolio CP-SAT runs by default on an 8-core machine; on fewer cores its workers share them."""
CONFIGS = (ONE_WORKER, ALL_CORES, EIGHT_WORKERS)


@dataclass
class ExpertResult:
    """What the expert model did: verdict, hipplan's score of its answer, CP-SAT's objective, build and solve."""

    verdict: str
    """``optimal``, ``infeasible``, ``feasible`` (not proven optimal) or ``no answer``."""
    score: float | None
    """``hipplan.solver.evaluate`` of the answer on hipplan's own problem (None: no answer, or a hard rule broken)."""
    objective: float | None
    """CP-SAT's objective, unscaled."""
    build_s: float
    solve_s: float
    note: str = ""
    assignment: dict[Hashable, Hashable] | None = None
    booleans: int = 0
    constraints: int = 0

    @property
    def total_s(self) -> float:
        return self.build_s + self.solve_s


@dataclass
class _Terms:
    """The objective as (coefficient, literal or expression) pairs with float costs, and a constant."""

    items: list[tuple[float, Any]] = field(default_factory=list)
    constant: float = 0.0

    def add(self, cost: float, term: Any) -> None:
        if cost:
            self.items.append((cost, term))


def _is_hard(value: tuple[Role, str]) -> bool:
    return value[0] is not Role.WARM_UP


def _scale(costs: Sequence[float]) -> tuple[int, bool]:
    """The smallest power of two (up to 2**20) that makes every cost whole, and whether it is exact."""
    for k in range(21):
        scale = 1 << k
        if all(float(c * scale).is_integer() for c in costs):
            return scale, True
    return 1000, False


def build(built: Built) -> tuple[Any, dict[tuple[int, tuple[Role, str]], Any], int, bool]:
    """The CP-SAT model of ``built``: the model, the option booleans by (cell index, value), the scale, exactness."""
    from ortools.sat.python import cp_model

    model: Model = built.model
    cp = cp_model.CpModel()
    cells = model.cells
    index = {id(cell): i for i, cell in enumerate(cells)}
    x: dict[tuple[int, tuple[Role, str]], Any] = {}
    for i, cell in enumerate(cells):
        lits = []
        for value in cell.values:
            lit = x[i, value] = cp.NewBoolVar(f"x{i}_{value[0].value}_{value[1]}")
            lits.append(lit)
        if len(lits) > 1:
            cp.AddAtMostOne(lits)

    def options(cell: Cell) -> list[tuple[tuple[Role, str], Any]]:
        i = index[id(cell)]
        return [(value, x[i, value]) for value in cell.values]

    def hard_sum(cell: Cell) -> Any:
        return sum(lit for value, lit in options(cell) if _is_hard(value))

    def slot_sum(cell: Cell) -> Any:
        return sum(lit for _, lit in options(cell))

    terms = _Terms()
    weeks = range(1, model.weeks + 1)
    for rule in built.rules:
        kind = type(rule)
        if isinstance(rule, hc.RequireRole):
            # the one-slot verdicts left only options of the role in those cells; "no slot" is what is left to forbid
            for cell in cells:
                if rule.applies_to(cell):
                    cp.Add(slot_sum(cell) == 1)
        elif isinstance(rule, hc.SlotRule):
            if rule.requires_slot:
                raise NotImplementedError(f"{kind.__name__} refuses 'no slot': not modelled")
            # one-slot rules are already applied: refused options have no boolean
        elif kind is hc.Exposures:
            assert isinstance(rule, hc.Exposures)
            for week in weeks:
                here = model.week_cells(week)
                if here and not (rule.min == 0 and rule.max >= len(here)):
                    count = sum(slot_sum(c) for c in here)
                    cp.AddLinearConstraint(count, rule.min, rule.max)
        elif kind is hc.Recovery:
            assert isinstance(rule, hc.Recovery)
            can = [c for c in cells if any(_is_hard(v) for v in c.values)]
            for a, b in rule.pairs(can):
                cp.Add(hard_sum(a) + hard_sum(b) <= 1)
        elif kind is hc.PreferredExposures:
            assert isinstance(rule, hc.PreferredExposures)
            want = rule.target(model.athlete)
            for week in weeks:
                here = model.week_cells(week)
                if not here:
                    continue
                most = len(here)
                over = cp.NewIntVar(0, most, f"over{week}")
                under = cp.NewIntVar(0, want, f"under{week}")
                cp.Add(sum(slot_sum(c) for c in here) - want == over - under)
                terms.add(rule.weight, over)
                terms.add(rule.weight, under)
        elif kind is hc.HardWork:
            assert isinstance(rule, hc.HardWork)
            for week in weeks:
                here = model.week_cells(week)
                # judged on every option, allowed or not (as hipplan does): a week that could have hard work
                if not any(_is_hard(v) for c in here for v in c.options):
                    continue
                lits = [lit for c in here for v, lit in options(c) if _is_hard(v)]
                terms.constant += rule.weight
                if lits:
                    some = cp.NewBoolVar(f"hard{week}")
                    cp.Add(some <= sum(lits))  # some hard work only if a hard option is taken
                    terms.add(-rule.weight, some)
        elif kind is hc.FewerSetups:
            assert isinstance(rule, hc.FewerSetups)
            for week in weeks:
                here = model.week_cells(week)
                if len(here) <= 1:
                    continue
                used: dict[str, Any] = {}
                for c in here:
                    for value, lit in options(c):
                        u = used.get(value[1])
                        if u is None:
                            u = used[value[1]] = cp.NewBoolVar(f"setup{week}_{value[1]}")
                        cp.AddImplication(lit, u)
                if len(used) > 1:
                    extra = cp.NewIntVar(0, len(used) - 1, f"extra{week}")
                    cp.Add(extra >= sum(used.values()) - 1)
                    terms.add(rule.weight, extra)
        elif kind is hc.SameSlot:
            assert isinstance(rule, hc.SameSlot)
            for week in range(1, model.weeks):
                following = {c.session.name: c for c in model.week_cells(week + 1)}
                for cell in model.week_cells(week):
                    nxt = following.get(cell.session.name)
                    if nxt is None or not (cell.values or nxt.values):
                        continue
                    mine, theirs = dict(options(cell)), dict(options(nxt))
                    # changed is at least each value's boolean this week less next week's (no slot included)
                    changed = cp.NewBoolVar(f"changed{week}_{index[id(cell)]}")
                    for value in {**mine, **theirs}:
                        cp.Add(changed >= mine.get(value, 0) - theirs.get(value, 0))
                    cp.Add(changed >= slot_sum(nxt) - slot_sum(cell))
                    terms.add(rule.weight, changed)
        elif kind is hc.HeavyDayEve:
            assert isinstance(rule, hc.HeavyDayEve)
            for cell in rule.eves(model):
                for value, lit in options(cell):
                    if _is_hard(value):
                        terms.add(rule.weight, lit)
        elif isinstance(rule, hc.SlotPreference):
            memo: dict[Hashable, dict[tuple[Role, str], float]] = {}
            for cell in cells:
                costs = memo.get(cell.shape)
                if costs is None:
                    costs = memo[cell.shape] = rule.costs(model, cell)
                for value, lit in options(cell):
                    terms.add(rule.weight * costs.get(value, 0.0), lit)
        else:
            raise NotImplementedError(f"the expert model does not know {kind.__name__}")
    scale, exact = _scale([c for c, _ in terms.items] + [terms.constant])
    objective = sum(round(c * scale) * t for c, t in terms.items) + round(terms.constant * scale)
    cp.Minimize(objective)
    return cp, x, scale, exact


def solve(args: Mapping[str, Any], config: Config, *, built: Built | None = None) -> ExpertResult:
    """Build hipplan's pruned model of the plan ``args`` (not timed), then the CP-SAT model (timed as the build)
    and solve it (timed as the solve); score the answer with hipplan's ``evaluate``."""
    from ortools.sat.python import cp_model

    if built is None:
        built = build_model(**args, prune=True)
    start = time.perf_counter()
    cp, x, scale, exact = build(built)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = config.num_workers
    solver.parameters.linearization_level = config.linearization_level
    solver.parameters.max_time_in_seconds = config.max_time_in_seconds
    built_at = time.perf_counter()
    status = solver.Solve(cp)
    solved = time.perf_counter()
    stats = cp.Proto()
    result = ExpertResult(
        "no answer",
        None,
        None,
        built_at - start,
        solved - built_at,
        "" if exact else f"objective rounded to 1/{scale}",
        booleans=len(x),
        constraints=len(stats.constraints),
    )
    if status == cp_model.INFEASIBLE:
        result.verdict = "infeasible"
        return result
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result.note = f"status {solver.StatusName(status)}"
        return result
    model = built.model
    assignment: dict[Hashable, Hashable] = {}
    for i, cell in enumerate(model.cells):
        taken = [value for value in cell.values if solver.BooleanValue(x[i, value])]
        assignment[cell.var] = taken[0] if taken else None
    result.assignment = assignment
    result.objective = solver.ObjectiveValue() / scale
    result.score = evaluate(model.problem, assignment)
    result.verdict = "optimal" if status == cp_model.OPTIMAL else "feasible"
    if result.score is None:
        result.note = (result.note + "; " if result.note else "") + "its answer breaks a hard rule"
    elif not math.isclose(result.score, result.objective, abs_tol=1e-6):
        result.note = (result.note + "; " if result.note else "") + (
            f"CP-SAT's objective {result.objective:g} differs from hipplan's score {result.score:g}"
        )
    return result
