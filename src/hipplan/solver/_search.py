"""The entry points that search: :func:`solve` and :func:`is_feasible`, and the dispatch between the staged
dynamic programme and branch and bound."""

from __future__ import annotations

from collections.abc import Collection, Hashable

from ..limits import DEFAULT_BUDGET
from ._branch import _branch_and_bound
from ._budget import _Budget
from ._prepare import _prepare
from ._problem import NoSolution, Problem, Solution, evaluate
from ._stages import _staged


def solve(problem: Problem, *, budget: int = DEFAULT_BUDGET, time_limit: float | None = None) -> Solution:
    """An assignment that satisfies every hard constraint with the least total soft cost.

    ``budget`` bounds the steps (search nodes, local assignments, transitions) and ``time_limit``, when given,
    the seconds of wall-clock time the call may take; either one running out ends it. The answer never
    depends on the clock: a call that finishes in time gives the same solution as one without a limit.

    Raises:
        NoSolution: the hard constraints cannot all hold.
        BudgetExceeded: the search needed more than ``budget`` steps or more than ``time_limit`` seconds.
        ValueError: ``budget`` is not a positive int, or ``time_limit`` not a positive number of seconds.
    """
    counter = _Budget(budget, time_limit)
    if not problem._names:
        # Nothing to choose: the empty assignment, if it holds.
        cost = evaluate(problem, {})
        if cost is None:
            raise NoSolution(
                "no assignment satisfies every hard constraint (there are no variables)", nodes=0
            )
        return Solution(assignment={}, cost=cost, nodes=0)
    found = _run(problem, None, True, counter)
    if found is None:
        raise NoSolution(
            f"no assignment satisfies every hard constraint (proved in {counter.used} steps)",
            nodes=counter.used,
        )
    cost, values = found
    return Solution(assignment=dict(zip(problem._names, values, strict=True)), cost=cost, nodes=counter.used)


def is_feasible(
    problem: Problem,
    *,
    groups: Collection[str] | None = None,
    budget: int = DEFAULT_BUDGET,
    time_limit: float | None = None,
) -> bool:
    """Whether the hard constraints of ``groups`` (all when None) can hold together; soft ones are ignored.

    ``budget`` and ``time_limit`` bound the work as for :func:`solve`.
    """
    return _feasible(problem, None if groups is None else frozenset(groups), _Budget(budget, time_limit))


def _feasible(problem: Problem, groups: frozenset[str] | None, counter: _Budget) -> bool:
    return _run(problem, groups, False, counter) is not None


def _run(
    problem: Problem, groups: frozenset[str] | None, soft: bool, counter: _Budget
) -> tuple[float, list[Hashable]] | None:
    """The optimum as (cost, values in declaration order), or None when the selected hard constraints fail.

    With ``soft`` False only feasibility matters: soft constraints are left out and any solution will do.
    """
    prep = _prepare(problem, groups, soft, counter)
    if not prep.feasible:
        return None
    if prep.staged:
        staged = _staged(problem, prep, counter)
        if staged is None:
            return None
        cost, values = staged
        return cost + prep.constant, values
    found = _branch_and_bound(problem, prep, soft, counter)
    if found is None:
        return None
    cost, idx = found
    values = [problem._domains[v][i] for v, i in enumerate(idx)]
    return cost + prep.constant, values
