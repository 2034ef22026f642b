"""Depth-first branch and bound, for problems without stage structure: forward checking, most constrained
variable first, a lower bound from the unary costs and each soft constraint's least possible cost. Exact."""

from __future__ import annotations

import contextlib
import itertools
import math
from collections.abc import Callable
from typing import Any

from ._budget import _Budget
from ._prepare import _Prepared, cache_of
from ._problem import _INF, Problem

_TABULATE_LIMIT = 4096
"""Branch and bound tabulates a soft constraint's least cost when its domain product is at most this."""


class _Stop(Exception):
    """Ends a feasibility search at its first solution."""


def _branch_and_bound(
    problem: Problem, prep: _Prepared, soft: bool, counter: _Budget
) -> tuple[float, list[int]] | None:
    """Exact search for problems without stage structure: forward checking, MRV, a lower bound on cost."""
    layout = cache_of(problem).layout
    n = len(problem._names)
    ucost = prep.ucost
    domains0 = [_cheapest_first(k, ucost[v]) for v, k in enumerate(prep.keep)]
    cons: list[tuple[tuple[int, ...], tuple[int, ...], Callable[..., Any], bool, float, float]] = []
    touching: list[list[int]] = [[] for _ in range(n)]
    pending0 = 0.0
    unbounded0 = 0
    cols = problem._cols()
    for ci in prep.multi:
        distinct = layout.distinct[ci]
        least = 0.0
        if not cols.hards[ci]:
            least = _least_cost(problem, prep, ci, counter)
            if least == -_INF:
                unbounded0 += 1
            else:
                pending0 += least
        for v in distinct:
            touching[v].append(len(cons))
        cons.append(
            (
                cols.scopes[ci],
                distinct,
                cols.functions[ci],
                cols.hards[ci],
                cols.weights[ci],
                least,
            )
        )
    chosen = [-1] * n
    current: list[Any] = [None] * n
    best: list[int] | None = None
    best_cost = _INF

    def bound(domains: list[list[int]]) -> float:
        total = 0.0
        for v in range(n):
            if chosen[v] < 0:
                row = ucost[v]
                total += min([row[i] for i in domains[v]])
        return total

    def enter(domains: list[list[int]], depth: int, cost: float, pending: float, unbounded: int) -> None:
        """Open a node: record a complete assignment, cut a node the bound rules out, or stack the next
        variable's values to try."""
        nonlocal best, best_cost
        counter.spend(nodes=1)
        if depth == n:
            if best is None or cost < best_cost:
                best, best_cost = list(chosen), cost
                if not soft:
                    raise _Stop
            return
        if best is not None and not unbounded and cost + pending + bound(domains) >= best_cost:
            return
        var = -1
        size = 0
        for v in range(n):
            if chosen[v] < 0 and (var < 0 or len(domains[v]) < size):
                var, size = v, len(domains[v])
        stack.append([var, domains[var], 0, domains, cost, pending, unbounded, depth])

    # the open nodes, innermost last: [variable, its values, next one, domains, cost, pending, unbounded, depth]
    # (a loop over an explicit stack: no recursion, whatever the number of variables)
    stack: list[list[Any]] = []
    with contextlib.suppress(_Stop):
        enter(domains0, 0, 0.0, pending0, unbounded0)
        while stack:
            frame = stack[-1]
            var, dom, at, domains, cost, pending, unbounded, depth = frame
            vals = problem._domains[var]
            costs = ucost[var]
            opened = False
            while at < len(dom):
                i = dom[at]
                at += 1
                chosen[var] = i
                current[var] = vals[i]
                narrowed: list[list[int]] | None = None
                extra = costs[i]
                released = 0.0
                closed = 0
                for k in touching[var]:
                    scope, distinct, fn, hard, weight, least = cons[k]
                    free = -1
                    nfree = 0
                    for v in distinct:
                        if chosen[v] < 0:
                            nfree += 1
                            free = v
                    if nfree == 0:
                        if not hard:
                            extra += weight * fn(*[current[v] for v in scope])
                            if least == -_INF:
                                closed += 1
                            else:
                                released += least
                    elif nfree == 1 and hard:
                        if narrowed is None:
                            narrowed = list(domains)
                        fvals = problem._domains[free]
                        kept = []
                        for j in narrowed[free]:
                            current[free] = fvals[j]
                            if fn(*[current[v] for v in scope]):
                                kept.append(j)
                        current[free] = None
                        counter.spend(nodes=len(narrowed[free]))
                        narrowed[free] = kept
                        if not kept:
                            break
                else:
                    frame[2] = at
                    before = len(stack)
                    enter(
                        narrowed if narrowed is not None else domains,
                        depth + 1,
                        cost + extra,
                        pending - released,
                        unbounded - closed,
                    )
                    if len(stack) > before:
                        opened = True
                        break
            if opened:
                continue
            chosen[var] = -1
            current[var] = None
            stack.pop()
    if best is None:
        return None
    return best_cost, best


def _cheapest_first(keep: list[int], row: list[float]) -> list[int]:
    return sorted(keep, key=lambda i: (row[i], i))


def _least_cost(problem: Problem, prep: _Prepared, ci: int, counter: _Budget) -> float:
    """The least weighted cost a soft constraint can take over the kept values (-inf when too many to try)."""
    distinct = cache_of(problem).layout.distinct[ci]
    size = math.prod(len(prep.keep[v]) for v in distinct)
    if size > _TABULATE_LIMIT:
        return -_INF
    counter.spend(nodes=size)
    where = {v: k for k, v in enumerate(distinct)}
    scope = problem._scopes[ci]
    least = _INF
    weight, fn = problem._weights[ci], problem._functions[ci]
    for combo in itertools.product(*(prep.keep[v] for v in distinct)):
        least = min(least, weight * fn(*[problem._domains[v][combo[where[v]]] for v in scope]))
    return least
