"""Explanations: a minimal set of conflicting groups (QuickXplain over groups, Junker 2004), and the
brute-force optimum the tests compare the solver with."""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable

from ..limits import DEFAULT_BUDGET
from ._budget import _Budget
from ._problem import _INF, NoSolution, Problem, Solution
from ._search import _feasible

BRUTE_FORCE_LIMIT = 1 << 20
"""The largest number of complete assignments :func:`brute_force` will try."""


def minimal_conflict(
    problem: Problem, *, budget: int = DEFAULT_BUDGET, time_limit: float | None = None
) -> tuple[str, ...]:
    """A minimal set of hard-constraint groups that cannot all hold together, sorted.

    Removing any one of the groups returned makes the others feasible (QuickXplain over groups, Junker 2004).
    An empty tuple means the problem is infeasible with no constraint at all (a variable with an empty
    domain).
    ``budget`` and ``time_limit`` bound all the feasibility checks together.

    Raises:
        ValueError: the problem is feasible, so there is no conflict to explain.
        BudgetExceeded: the checks needed more than ``budget`` steps or ``time_limit`` seconds.
    """
    counter = _Budget(budget, time_limit)
    groups = problem.groups
    if _feasible(problem, frozenset(groups), counter):
        raise ValueError("the problem is feasible: its hard constraints do not conflict")
    if not _feasible(problem, frozenset(), counter):
        return ()
    return tuple(sorted(_quickxplain(problem, groups, counter)))


def _quickxplain(problem: Problem, candidates: tuple[str, ...], counter: _Budget) -> list[str]:
    """A minimal subset of ``candidates`` that cannot hold together (given that all of them cannot)."""
    return _qx(problem, counter, (), False, candidates)


def _qx(
    problem: Problem, counter: _Budget, base: tuple[str, ...], added: bool, cands: tuple[str, ...]
) -> list[str]:
    """QuickXplain's step; invariant: base + cands is infeasible, and ``added`` says whether base grew since the
    last check. (Recursion as deep as the number of halvings of the groups: their logarithm.)"""
    if added and not _feasible(problem, frozenset(base), counter):
        return []
    if len(cands) == 1:
        return list(cands)
    half = len(cands) // 2
    first, second = cands[:half], cands[half:]
    d2 = _qx(problem, counter, base + first, True, second)
    d1 = _qx(problem, counter, base + tuple(d2), bool(d2), first)
    return d1 + d2


def brute_force(problem: Problem) -> Solution:
    """The reference optimum, by trying every assignment (small problems only; for tests).

    Among optimal assignments it returns the first in the order of the variables and of their domains.

    Raises:
        NoSolution: no assignment satisfies every hard constraint.
        ValueError: more than :data:`BRUTE_FORCE_LIMIT` assignments to try.
    """
    size = math.prod(len(d) for d in problem._domains)
    if size > BRUTE_FORCE_LIMIT:
        raise ValueError(f"brute force would try {size} assignments (at most {BRUTE_FORCE_LIMIT})")
    cons = list(zip(problem._scopes, problem._functions, problem._hards, problem._weights, strict=True))
    hard = [(scope, fn) for scope, fn, is_hard, _ in cons if is_hard]
    soft = [(scope, fn, w) for scope, fn, is_hard, w in cons if not is_hard]
    best: tuple[Hashable, ...] | None = None
    best_cost = _INF
    tried = 0
    for values in itertools.product(*problem._domains):
        tried += 1
        if not all(fn(*(values[i] for i in scope)) for scope, fn in hard):
            continue
        cost = float(sum(w * fn(*(values[i] for i in scope)) for scope, fn, w in soft))
        if best is None or cost < best_cost:
            best, best_cost = values, cost
    if best is None:
        raise NoSolution(f"no assignment satisfies every hard constraint ({tried} tried)", nodes=tried)
    return Solution(assignment=dict(zip(problem._names, best, strict=True)), cost=best_cost, nodes=tried)
