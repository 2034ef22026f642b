"""A generic finite-domain constraint optimiser: variables, hard constraints, weighted soft costs.

One idea a module: the problem model (``_problem``), the budget of a call (``_budget``), what every search
starts from (``_prepare``), the enumeration of one stage (``_enumerate``), the staged dynamic programme
(``_stages``), its packed arithmetic and why it is exact (``_packing``), dominance between many live states,
every one against every other at once (``_dominance``), branch and bound (``_branch``), the entry points that
search (``_search``) and the explanations: QuickXplain and brute force (``_explain``).

The solver knows nothing of what its variables stand for. A :class:`Problem` holds variables with finite domains, hard
constraints (predicates that must hold) and soft constraints (costs to minimise, each with a weight); hard
constraints belong to named *groups* so that an infeasible problem can be explained group by group.

How it solves, in order:

1. **Node consistency.** Each unary hard constraint removes the values it refuses from its variable's domain;
   unary soft costs become a cost per value.
2. **Stage-wise dynamic programme**, when every constraint spans at most two consecutive stages (the stages
   are the integers given to :meth:`Problem.variable`, taken in sorted order, so gaps do not matter). The
   feasible local assignments of each stage are enumerated under its internal constraints (backtracking with
   forward checking, most-constrained variable first; a constraint declared ``symmetric`` is asked early
   whether the values left can still satisfy it; a wide stage whose symmetric hard constraint keeps most
   of its variables at one common value is enumerated by its few exceptions instead, chosen position by
   position, so that the assignments tried are the feasible ones); then a Viterbi pass over the stages adds
   the constraints that link neighbouring stages: hard ones prune transitions, soft ones add cost. Exact, and
   linear in the number of stages. Stages that look the same (equal domains, equal constraint ``key`` values)
   share their enumeration and their link tables; a state that a cheaper one outdoes whatever comes next is
   dropped (with many states whose costs are multiples of a power of two, each is tested against every other
   of its class at once, exactly, as packed integers); and a step whose incoming costs repeat up to a constant is not computed again, so 52 identical
   stages cost little more than a few. When the link costs and the states' costs are small non-negative
   multiples of a power of two (halves, quarters...), a step adds them up for every way in at once as packed
   integers: exact, so the same numbers, the same choices and the same ties as adding them one by one; it
   takes the states in order of the least they can bring and stops once none can lower any way in.
3. **Depth-first branch and bound** otherwise: forward checking, most-constrained variable first, a lower
   bound from the unary costs and from each soft constraint's least possible cost. Exact too.

Every search node, local assignment and transition counts against the ``budget``, and a ``time_limit`` in
seconds bounds the wall-clock time when given; running out of either raises
:class:`~hipplan.errors.BudgetExceeded`, saying what was explored. No search recurses deeper than a few
levels, whatever the number of variables, and none changes any process-wide state. The same problem always gives the same
solution: values are tried in domain order (cheapest unary cost first in branch and bound), and variables in
declaration order when they tie.

>>> p = Problem()
>>> for i in range(3):
...     p.variable(i, ["off", "on"], stage=i)
>>> p.require([0, 1], lambda a, b: not (a == b == "on"), group="apart")
>>> p.require([1, 2], lambda a, b: not (a == b == "on"), group="apart")
>>> for i in range(3):  # each "off" costs 1
...     p.prefer([i], lambda a: a == "off")
>>> s = solve(p)
>>> [s.assignment[i] for i in range(3)], s.cost
(['on', 'off', 'on'], 1.0)
>>> p.require([0, 1, 2], lambda *xs: xs.count("on") >= 3, group="count", symmetric=True)
>>> minimal_conflict(p)
('apart', 'count')
"""

from ..limits import DEFAULT_BUDGET
from ._explain import BRUTE_FORCE_LIMIT, brute_force, minimal_conflict
from ._problem import Constraint, NoSolution, Problem, Solution, evaluate
from ._search import is_feasible, solve

__all__ = [
    "BRUTE_FORCE_LIMIT",
    "DEFAULT_BUDGET",
    "Constraint",
    "NoSolution",
    "Problem",
    "Solution",
    "brute_force",
    "evaluate",
    "is_feasible",
    "minimal_conflict",
    "solve",
]
