"""A generic finite-domain constraint optimiser: variables, hard constraints, weighted soft costs.

The solver knows nothing of training plans. A :class:`Problem` holds variables with finite domains, hard
constraints (predicates that must hold) and soft constraints (costs to minimise, each with a weight); hard
constraints belong to named *groups* so that an infeasible problem can be explained group by group.

How it solves, in order:

1. **Node consistency.** Each unary hard constraint removes the values it refuses from its variable's domain;
   unary soft costs become a cost per value.
2. **Stage-wise dynamic programme**, when every constraint spans at most two consecutive stages (the stages
   are the integers given to :meth:`Problem.variable`, taken in sorted order, so gaps do not matter). The
   feasible local assignments of each stage are enumerated under its internal constraints (backtracking with
   forward checking, most-constrained variable first); then a Viterbi pass over the stages adds the
   constraints that link neighbouring stages: hard ones prune transitions, soft ones add cost. Exact, and
   linear in the number of stages. Stages that look the same (equal domains, equal constraint ``key`` values)
   share their enumeration and their link tables; a state that a cheaper one outdoes whatever comes next is
   dropped; and a step whose incoming costs repeat up to a constant is not computed again, so 52 identical
   weeks cost little more than a few. When the link costs and the states' costs are small non-negative
   multiples of a power of two (halves, quarters...), a step adds them up for every way in at once as packed
   integers: exact, so the same numbers, the same choices and the same ties as adding them one by one.
3. **Depth-first branch and bound** otherwise: forward checking, most-constrained variable first, a lower
   bound from the unary costs and from each soft constraint's least possible cost. Exact too.

Every search node, local assignment and transition counts against the ``budget``; running out raises
:class:`~hipplan.errors.BudgetExceeded`, saying what was explored. The same problem always gives the same
solution: values are tried in domain order (cheapest unary cost first in branch and bound), and variables in
declaration order when they tie.

>>> p = Problem()
>>> for day in range(3):
...     p.variable(day, ["rest", "train"], stage=day)
>>> p.require([0, 1], lambda a, b: not (a == b == "train"), group="recovery")
>>> p.require([1, 2], lambda a, b: not (a == b == "train"), group="recovery")
>>> for day in range(3):  # each rest day costs 1
...     p.prefer([day], lambda a: a == "rest")
>>> s = solve(p)
>>> [s.assignment[d] for d in range(3)], s.cost
(['train', 'rest', 'train'], 1.0)
>>> p.require([0, 1, 2], lambda *days: days.count("train") >= 3, group="volume")
>>> minimal_conflict(p)
('recovery', 'volume')
"""

from __future__ import annotations

import contextlib
import itertools
import math
import operator
import sys
import types
from array import array
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping, Sequence
from typing import Any, cast

import attrs

from .errors import BudgetExceeded

__all__ = [
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

DEFAULT_BUDGET = 2_000_000
"""Steps (search nodes, local assignments, transitions) a call may take before it gives up."""

BRUTE_FORCE_LIMIT = 1 << 20
"""The largest number of complete assignments :func:`brute_force` will try."""

_INF = math.inf
_DOMINATORS = 4
"""How many of the cheapest states of each class the Viterbi pass tests the others against."""
_FEW = 8
"""Up to this many live states, the general Viterbi step adds a state's cost after the link costs (the order
whole rows of the link table used to give); with more, before them."""
_TABULATE_LIMIT = 4096
"""Branch and bound tabulates a soft constraint's least cost when its domain product is at most this."""
_PACK_STATES = 64
"""Up to this many live states, a Viterbi step may add up the link costs as packed ints (see ``_Packing``)."""
_PACK_SHIFT = 24
"""The finest power of two (2**-24) the packed costs may be multiples of."""
_LAST_AT_ONCE = True
"""Whether a stage's enumeration takes the values of its last variable in one loop of their own (the same
assignments and costs as the general loop; off only to test that)."""
_PLAIN_SCAN = True
"""Whether a packed Viterbi step with one class scans the local assignments that are their own right
projections in a loop of its own (a switch for the tests)."""


# --- the model ----------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True, eq=False)
class Constraint:
    """One hard or soft constraint as posted: its scope, its function and how it is named."""

    scope: tuple[Hashable, ...]
    function: Callable[..., Any]
    """A predicate (hard) or a cost (soft), called with the scope's values as positional arguments."""
    hard: bool
    group: str
    weight: float = 1.0
    label: str = ""
    key: Hashable | None = None
    """What the constraint does, independent of the variables it binds; ``None`` shares nothing."""


_Posted = tuple[tuple[int, ...], Callable[..., Any], bool, str, float, str, Hashable | None]
"""A constraint as posted: scope (variable indices), function, hard, group, weight, label, key."""


@attrs.define(slots=True)
class _Columns:
    """The constraints field by field, in the order posted; ``size`` says how many were posted then."""

    scopes: list[tuple[int, ...]]
    functions: list[Callable[..., Any]]
    hards: list[bool]
    groups: list[str]
    weights: list[float]
    labels: list[str]
    keys: list[Hashable | None]
    size: int


class _LiveView(Mapping[Hashable, Any]):
    """A read-only view of one of a problem's per-variable tables, brought up to date whenever it is read (the
    tables are filled lazily, so that declaring a variable stays cheap)."""

    __slots__ = ("_data", "_problem")

    def __init__(self, problem: Problem, data: dict[Hashable, Any]) -> None:
        self._problem = problem
        self._data = data

    def __getitem__(self, key: Hashable) -> Any:
        self._problem._fill_views()
        return self._data[key]

    def __iter__(self) -> Iterator[Hashable]:
        self._problem._fill_views()
        return iter(self._data)

    def __len__(self) -> int:
        self._problem._fill_views()
        return len(self._data)

    def __repr__(self) -> str:
        self._problem._fill_views()
        return f"{type(self).__name__}({self._data!r})"


class NoSolution(Exception):
    """No assignment satisfies every hard constraint; ``nodes`` says how much was explored to prove it."""

    def __init__(self, message: str, nodes: int = 0) -> None:
        super().__init__(message)
        self.nodes = nodes


@attrs.frozen(kw_only=True, hash=False)
class Solution:
    """An optimal assignment, its total soft cost (sum of weight x cost) and the steps spent finding it."""

    assignment: Mapping[Hashable, Hashable]
    cost: float
    nodes: int


class Problem:
    """Variables with finite domains, hard constraints in named groups and weighted soft costs."""

    def __init__(self) -> None:
        self._names: list[Hashable] = []
        self._index: dict[Hashable, int] = {}
        self._domains: list[tuple[Hashable, ...]] = []
        self._domain_ids: list[int] = []
        self._interned_domains: dict[tuple[Hashable, ...], int] = {}
        self._stages: list[int] = []
        # one record per constraint, cheap to post; the solver reads them as columns, built when first needed
        self._posted: list[_Posted] = []
        self._columns: _Columns | None = None
        self._constraints: tuple[Constraint, ...] = ()
        # the read-only views, filled in when asked for
        self._domain_view: dict[Hashable, tuple[Hashable, ...]] = {}
        self._stage_view: dict[Hashable, int] = {}
        self._cache: _Cache | None = None

    def __repr__(self) -> str:
        hard = sum(self._hards)
        return (
            f"<Problem: {len(self._names)} variables, {hard} hard and"
            f" {len(self._hards) - hard} soft constraints>"
        )

    # building

    def variable(self, name: Hashable, domain: Sequence[Hashable], *, stage: int = 0) -> None:
        """Declare a variable with its values in preference order (earlier values win ties)."""
        index = self._index
        count = len(self._names)
        if index.setdefault(name, count) != count:
            raise ValueError(f"variable {name!r} is declared twice")
        try:
            if stage.__class__ is not int and (isinstance(stage, bool) or not isinstance(stage, int)):
                raise TypeError(f"'stage' of variable {name!r} must be an int (got {stage!r})")
            values = tuple(domain)
            interned = self._interned_domains
            found = interned.get(values)
            if found is None:
                # a domain seen before was checked then
                if len(set(values)) != len(values):
                    seen: set[Hashable] = set()
                    for value in values:
                        if value in seen:
                            raise ValueError(f"domain of variable {name!r} lists {value!r} twice")
                        seen.add(value)
                found = interned[values] = len(interned)
        except BaseException:
            del index[name]
            raise
        self._names.append(name)
        self._domains.append(values)
        self._domain_ids.append(found)
        self._stages.append(stage)
        self._cache = None

    def require(
        self,
        scope: Sequence[Hashable],
        predicate: Callable[..., bool],
        *,
        group: str,
        label: str = "",
        key: Hashable | None = None,
    ) -> None:
        """Add a hard constraint: ``predicate(*values of scope)`` must be true."""
        self._add(scope, predicate, hard=True, group=group, weight=1.0, label=label, key=key)

    def prefer(
        self,
        scope: Sequence[Hashable],
        cost: Callable[..., float],
        *,
        weight: float = 1.0,
        group: str = "soft",
        label: str = "",
        key: Hashable | None = None,
    ) -> None:
        """Add a soft constraint: the solver minimises the sum of ``weight * cost(*values of scope)``."""
        if weight.__class__ is not float and (
            isinstance(weight, bool) or not isinstance(weight, int | float)
        ):
            raise ValueError(f"'weight' must be a finite number (got {weight!r})")
        if not math.isfinite(weight):
            raise ValueError(f"'weight' must be a finite number (got {weight!r})")
        self._add(scope, cost, hard=False, group=group, weight=float(weight), label=label, key=key)

    def _add(
        self,
        scope: Sequence[Hashable],
        function: Callable[..., Any],
        *,
        hard: bool,
        group: str,
        weight: float,
        label: str,
        key: Hashable | None,
    ) -> None:
        if not callable(function):
            raise TypeError(f"the constraint's function must be callable (got {function!r})")
        if group.__class__ is not str and not isinstance(group, str):
            raise TypeError(f"'group' must be a string (got {group!r})")
        if scope.__class__ is not tuple and scope.__class__ is not list:
            scope = tuple(scope)
        index = self._index
        try:
            size = len(scope)
            if size == 2:
                indices: tuple[int, ...] = (index[scope[0]], index[scope[1]])
            elif size == 1:
                indices = (index[scope[0]],)
            elif size:
                indices = operator.itemgetter(*scope)(index)
            else:
                indices = ()
        except (KeyError, TypeError):
            missing = [n for n in scope if not isinstance(n, Hashable) or n not in index]
            raise ValueError(
                f"constraint scope names undeclared variable(s): {', '.join(map(repr, missing))}"
            ) from None
        if key is not None:
            hash(key)
        self._posted.append((indices, function, hard, group, weight, label, key))
        self._cache = None

    # the constraints as columns (one list per field, in the order posted)

    def _cols(self) -> _Columns:
        cols = self._columns
        if cols is None or cols.size != len(self._posted):
            posted = self._posted
            if posted:
                scopes, functions, hards, groups, weights, labels, keys = map(list, zip(*posted, strict=True))
                cols = _Columns(scopes, functions, hards, groups, weights, labels, keys, len(posted))
            else:
                cols = _Columns([], [], [], [], [], [], [], 0)
            self._columns = cols
        return cols

    @property
    def _scopes(self) -> list[tuple[int, ...]]:
        return self._cols().scopes

    @property
    def _functions(self) -> list[Callable[..., Any]]:
        return self._cols().functions

    @property
    def _hards(self) -> list[bool]:
        return self._cols().hards

    @property
    def _groups(self) -> list[str]:
        return self._cols().groups

    @property
    def _weights(self) -> list[float]:
        return self._cols().weights

    @property
    def _keys(self) -> list[Hashable | None]:
        return self._cols().keys

    # read-only views

    @property
    def variables(self) -> tuple[Hashable, ...]:
        """The variable names in declaration order."""
        return tuple(self._names)

    @property
    def domains(self) -> Mapping[Hashable, tuple[Hashable, ...]]:
        """Each variable's domain, as declared (a live read-only view)."""
        return _LiveView(self, self._domain_view)

    @property
    def stages(self) -> Mapping[Hashable, int]:
        """Each variable's stage (a live read-only view)."""
        return _LiveView(self, self._stage_view)

    def _fill_views(self) -> None:
        done = len(self._domain_view)
        if done < len(self._names):
            names = self._names[done:]
            self._domain_view.update(zip(names, self._domains[done:], strict=True))
            self._stage_view.update(zip(names, self._stages[done:], strict=True))

    @property
    def constraints(self) -> tuple[Constraint, ...]:
        """Every constraint, hard and soft, in the order posted."""
        if len(self._constraints) != len(self._posted):
            names = self._names
            self._constraints = tuple(
                Constraint(
                    scope=tuple(names[i] for i in scope),
                    function=function,
                    hard=hard,
                    group=group,
                    weight=weight,
                    label=label,
                    key=key,
                )
                for scope, function, hard, group, weight, label, key in self._posted
            )
        return self._constraints

    @property
    def hard(self) -> tuple[Constraint, ...]:
        """The hard constraints in the order posted."""
        return tuple(c for c in self.constraints if c.hard)

    @property
    def soft(self) -> tuple[Constraint, ...]:
        """The soft constraints in the order posted."""
        return tuple(c for c in self.constraints if not c.hard)

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups of the hard constraints, sorted."""
        return tuple(sorted({g for g, hard in zip(self._groups, self._hards, strict=True) if hard}))

    def _get_cache(self) -> _Cache:
        if self._cache is None:
            self._cache = _Cache(self)
        return self._cache


# --- budget and caches --------------------------------------------------------------------------------------


class _Budget:
    """Counts the steps of one call and, past the limit, ends it with a message saying what was explored."""

    __slots__ = ("limit", "local", "nodes", "transitions", "used")

    def __init__(self, limit: int) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"'budget' must be a positive int (got {limit!r})")
        self.limit = limit
        self.used = 0
        self.nodes = 0
        self.local = 0
        self.transitions = 0

    def spend(self, nodes: int = 0, local: int = 0, transitions: int = 0) -> None:
        self.nodes += nodes
        self.local += local
        self.transitions += transitions
        self.used += nodes + local + transitions
        if self.used > self.limit:
            raise BudgetExceeded(
                f"the search used up its budget of {self.limit} steps before finishing: it explored"
                f" {self.nodes} search nodes, {self.local} local (per-stage) assignments and"
                f" {self.transitions} transitions between stages; raise the budget or simplify the problem",
                explored=self.used,
            )


@attrs.define(slots=True)
class _Layout:
    """What a problem's shape fixes, whatever groups are selected: stages, and where each constraint sits."""

    stage_of: list[int]
    """Each variable's stage as its rank among the stages in use."""
    local_pos: list[int]
    """Each variable's position within its stage."""
    stage_vars: list[list[int]]
    distinct: list[tuple[int, ...]]
    """Per constraint, the distinct variables of its scope."""
    cid: list[int]
    """Per constraint, a small int for what it does where it sits (equal for keyed look-alikes)."""
    wide: set[int]
    """The constraints over variables more than one stage apart."""
    multi: list[int]
    """The constraints over two or more distinct variables, in the order posted."""
    single: list[int]
    """The others (over one variable or none), in the order posted."""
    sides: dict[int, tuple[tuple[int, ...], tuple[int, ...]]]
    """Per link, the positions it reads in the earlier stage and in the later one."""
    internal_of: list[list[int]]
    """Per stage, the constraints internal to it, in the order posted."""
    links_of: list[list[int]]
    """Per stage, the links between it and the previous stage, in the order posted."""
    in_order: bool
    """Whether the stages' variables, stage after stage, are in declaration order."""


class _Cache:
    """Work shared between calls on one problem and between stages that look the same; reset on any change."""

    def __init__(self, problem: Problem) -> None:
        self.ids: dict[Hashable, int] = {}
        self.unary: dict[Hashable, tuple[Any, ...]] = {}
        self.unary_of: dict[int, tuple[Any, ...]] = {}
        self.unary_quick: dict[tuple[int, bool, int, int], tuple[Any, ...]] = {}
        """The same tables by the identity of the key object (alive as long as the problem posts it), its
        hardness, the variable's domain and the arity: a key is hashed in full once per such object."""
        self.constant: dict[int, Any] = {}
        self.enum: dict[int, _Local] = {}
        self.proj: dict[tuple[int, tuple[int, ...], tuple[int, ...]], _Projection] = {}
        self.trans: dict[tuple[int, int, int], _Transition] = {}
        self.classes: dict[tuple[int, tuple[int, ...]], tuple[Any, list[int], list[tuple[Any, ...]]]] = {}
        """Per list of projections (by identity: the entry keeps it alive) and coordinates read, each
        projection's value class there and each class's key (see ``_transitions``)."""
        self.links: dict[tuple[Any, ...], tuple[dict[Any, float], dict[Any, Any]]] = {}
        """Per keyed link and the kind of values it reads, its cells by the kept positions read, and per set of
        value classes of the later stage, the bounds between two value classes of the earlier one."""
        self.step: dict[tuple[int, int, int, _States], _Step] = {}
        self.groupings: dict[tuple[int, ...] | None, _Grouping] = {}
        self.plain: dict[int, tuple[list[int], list[float], int]] = {}
        """Per domain, the kept positions, the unary costs and the signature of a variable no unary touches."""
        self.plain_keep: list[list[int]] = []
        self.plain_ucost: list[list[float]] = []
        self.plain_sig: list[int] = []
        """The same per variable."""
        self.layout = self._layout(problem)

    def intern(self, obj: Hashable) -> int:
        """A small int standing for ``obj`` (cheap to hash again)."""
        found = self.ids.get(obj)
        if found is None:
            found = self.ids[obj] = len(self.ids)
        return found

    def _layout(self, problem: Problem) -> _Layout:
        stages = problem._stages
        used = sorted(set(stages))
        if used == list(range(len(used))):
            stage_of = list(stages)
        else:
            rank = {s: i for i, s in enumerate(used)}
            stage_of = list(map(rank.__getitem__, stages))
        stage_vars: list[list[int]] = [[] for _ in used]
        local_pos = [0] * len(stage_of)
        for v, s in enumerate(stage_of):
            members = stage_vars[s]
            local_pos[v] = len(members)
            members.append(v)
        scopes = problem._scopes
        count = len(scopes)
        # a scope lists distinct variables as a rule: it is its own list of them unless a variable repeats
        distinct: list[tuple[int, ...]] = list(scopes)
        cid = [-1] * count
        multi: list[int] = []
        wide: set[int] = set()
        single: list[int] = []
        sides: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
        internal_of: list[list[int]] = [[] for _ in used]
        links_of: list[list[int]] = [[] for _ in used]
        # what a keyed constraint does where it sits: its key, hardness, weight and positions (and, for a link,
        # which side each one is on); unkeyed constraints are told apart by their index
        cids: dict[tuple[Any, ...], int] = {}
        ci = -1
        for scope, key, hard, weight in zip(
            scopes, problem._keys, problem._hards, problem._weights, strict=True
        ):
            ci += 1
            size = len(scope)
            if size == 2:
                a, b = scope
                lo = stage_of[a]
                hi = stage_of[b]
                if lo == hi:
                    if a == b:
                        distinct[ci] = (a,)
                        single.append(ci)
                        continue
                    multi.append(ci)
                    internal_of[hi].append(ci)
                    cid[ci] = (
                        -2 - ci
                        if key is None
                        else cids.setdefault((key, hard, weight, local_pos[a], local_pos[b]), len(cids))
                    )
                    continue
                # a link when the stages are neighbours; ``later`` says whether the first variable is the later one
                later = lo > hi
                if later:
                    lo, hi = hi, lo
                multi.append(ci)
                if hi == lo + 1:
                    links_of[hi].append(ci)
                    pa, pb = local_pos[a], local_pos[b]
                    sides[ci] = ((pb,), (pa,)) if later else ((pa,), (pb,))
                    cid[ci] = (
                        -2 - ci
                        if key is None
                        else cids.setdefault((key, hard, weight, "link", later, pa, pb), len(cids))
                    )
                else:
                    wide.add(ci)
                continue
            if size <= 1:
                single.append(ci)
                continue
            if len(set(scope)) != size:
                dist = distinct[ci] = tuple(dict.fromkeys(scope))
                if len(dist) <= 1:
                    single.append(ci)
                    continue
            st = operator.itemgetter(*scope)(stage_of)
            lo, hi = min(st), max(st)
            multi.append(ci)
            if lo == hi:
                internal_of[hi].append(ci)
                cid[ci] = (
                    -2 - ci
                    if key is None
                    else cids.setdefault(
                        (key, hard, weight, *operator.itemgetter(*scope)(local_pos)), len(cids)
                    )
                )
            elif hi == lo + 1:
                links_of[hi].append(ci)
                dist = distinct[ci]
                sides[ci] = (
                    tuple([local_pos[v] for v in dist if stage_of[v] == lo]),
                    tuple([local_pos[v] for v in dist if stage_of[v] == hi]),
                )
                cid[ci] = (
                    -2 - ci
                    if key is None
                    else cids.setdefault(
                        (key, hard, weight, "links", *[(stage_of[v] == hi, local_pos[v]) for v in scope]),
                        len(cids),
                    )
                )
            else:
                wide.add(ci)
        return _Layout(
            stage_of=stage_of,
            local_pos=local_pos,
            stage_vars=stage_vars,
            distinct=distinct,
            cid=cid,
            wide=wide,
            multi=multi,
            single=single,
            sides=sides,
            internal_of=internal_of,
            links_of=links_of,
            in_order=stage_of == sorted(stage_of),
        )


# --- preparation: selection, node consistency, unary costs --------------------------------------------------


@attrs.define(slots=True)
class _Prepared:
    keep: list[list[int]]
    """Per variable, the positions of its domain that survive the selected unary hard constraints."""
    ucost: list[list[float]]
    """Per variable, the unary soft cost of each position of its domain."""
    touched: set[int]
    """The variables a selected unary constraint applies to (the others share their lists by domain)."""
    multi: list[int]
    """The selected constraints over two or more distinct variables."""
    constant: float
    feasible: bool
    staged: bool
    """Whether every selected constraint stays within two consecutive stages."""


def _prepare(problem: Problem, groups: Collection[str] | None, soft: bool, budget: _Budget) -> _Prepared:
    cache = problem._get_cache()
    layout = cache.layout
    hards, group_of = problem._hards, problem._groups
    if groups is None:
        single = layout.single if soft else [ci for ci in layout.single if hards[ci]]
        multi = layout.multi if soft else [ci for ci in layout.multi if hards[ci]]
    else:
        single = [ci for ci in layout.single if (group_of[ci] in groups if hards[ci] else soft)]
        multi = [ci for ci in layout.multi if (group_of[ci] in groups if hards[ci] else soft)]
    # every variable starts with its domain's shared lists; a unary constraint gives it its own copies
    if not cache.plain:
        for values, d in problem._interned_domains.items():
            n = len(values)
            full = list(range(n))
            zeros = [0.0] * n
            cache.plain[d] = (full, zeros, cache.intern((d, tuple(full), tuple(zeros), False)))
        plain = [cache.plain[d] for d in problem._domain_ids]
        cache.plain_keep = [k for k, _, _ in plain]
        cache.plain_ucost = [u for _, u, _ in plain]
        cache.plain_sig = [s for _, _, s in plain]
    keep = list(cache.plain_keep)
    ucost = list(cache.plain_ucost)
    touched: set[int] = set()
    constant = 0.0
    feasible = True
    unary_of = cache.unary_of
    weights, distinct = problem._weights, layout.distinct
    quick = cache.unary_quick
    keys, scopes, domain_ids = problem._keys, problem._scopes, problem._domain_ids
    # the same table applied to the same lists (by identity: all alive here) gives the same new lists: shared
    # between the variables it applies to (lists are never changed in place)
    kept_by: dict[tuple[int, int], tuple[list[int], tuple[Any, ...], list[int]]] = {}
    costs_by: dict[tuple[int, int, float, float], tuple[list[float], tuple[Any, ...], list[float]]] = {}
    for ci in single:
        if distinct[ci]:
            table = unary_of.get(ci)
            if table is None:
                key = keys[ci]
                if key is None:
                    table = unary_of[ci] = _unary_table(problem, cache, ci, budget)
                else:
                    scope = scopes[ci]
                    known = (id(key), hards[ci], domain_ids[scope[0]], len(scope))
                    table = quick.get(known)
                    if table is None:
                        table = quick[known] = _unary_table(problem, cache, ci, budget)
                    unary_of[ci] = table
            var = distinct[ci][0]
            # the variable gets lists of its own (new ones: the shared ones stay as they are)
            touched.add(var)
            if hards[ci]:
                base = keep[var]
                kept = kept_by.get((id(base), id(table)))
                if kept is None:
                    kept = kept_by[(id(base), id(table))] = (base, table, [i for i in base if table[i]])
                keep[var] = kept[2]
            else:
                row, weight = ucost[var], weights[ci]
                # (the weight's sign too, for a weight of zero)
                known_costs = (id(row), id(table), weight, math.copysign(1.0, weight))
                costs = costs_by.get(known_costs)
                if costs is None:
                    costs = costs_by[known_costs] = (
                        row,
                        table,
                        list(map(operator.add, row, map(weight.__mul__, table))),
                    )
                ucost[var] = costs[2]
        else:
            value = cache.constant.get(ci)
            if value is None:
                budget.spend(nodes=1)
                fn = problem._functions[ci]
                value = cache.constant[ci] = bool(fn()) if hards[ci] else float(fn())
            if hards[ci]:
                feasible = feasible and bool(value)
            else:
                constant += weights[ci] * value
    staged = not layout.wide if multi is layout.multi else layout.wide.isdisjoint(multi)
    if not all(keep):
        feasible = False
    return _Prepared(
        keep=keep,
        ucost=ucost,
        touched=touched,
        multi=multi,
        constant=constant,
        feasible=feasible,
        staged=staged,
    )


def _unary_table(problem: Problem, cache: _Cache, ci: int, budget: _Budget) -> tuple[Any, ...]:
    """The constraint's verdict (hard) or cost (soft, unweighted) for each value of its one variable."""
    scope = problem._scopes[ci]
    var, arity = scope[0], len(scope)
    ident: Hashable = (
        ("key", problem._keys[ci], problem._hards[ci], problem._domain_ids[var], arity)
        if problem._keys[ci] is not None
        else ("ci", ci)
    )
    table = cache.unary.get(ident)
    if table is None:
        domain = problem._domains[var]
        budget.spend(nodes=len(domain))
        fn = problem._functions[ci]
        if problem._hards[ci]:
            table = tuple(bool(fn(*(v,) * arity)) for v in domain)
        else:
            table = tuple(float(fn(*(v,) * arity)) for v in domain)
        cache.unary[ident] = table
    return table


# --- public entry points ------------------------------------------------------------------------------------


def solve(problem: Problem, *, budget: int = DEFAULT_BUDGET) -> Solution:
    """An assignment that satisfies every hard constraint with the least total soft cost.

    Raises:
        NoSolution: the hard constraints cannot all hold.
        BudgetExceeded: the search needed more than ``budget`` steps.
    """
    counter = _Budget(budget)
    if not problem._names:
        # Nothing to choose (a plan whose every week is a week off): the empty assignment, if it holds.
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
    problem: Problem, *, groups: Collection[str] | None = None, budget: int = DEFAULT_BUDGET
) -> bool:
    """Whether the hard constraints of ``groups`` (all when None) can hold together; soft ones are ignored."""
    return _feasible(problem, None if groups is None else frozenset(groups), _Budget(budget))


def _feasible(problem: Problem, groups: frozenset[str] | None, counter: _Budget) -> bool:
    return _run(problem, groups, False, counter) is not None


def minimal_conflict(problem: Problem, *, budget: int = DEFAULT_BUDGET) -> tuple[str, ...]:
    """A minimal set of hard-constraint groups that cannot all hold together, sorted.

    Removing any one of the groups returned makes the others feasible (QuickXplain over groups, Junker 2004).
    An empty tuple means the problem is infeasible with no constraint at all (a variable with an empty
    domain).
    ``budget`` bounds all the feasibility checks together.

    Raises:
        ValueError: the problem is feasible, so there is no conflict to explain.
        BudgetExceeded: the checks needed more than ``budget`` steps.
    """
    counter = _Budget(budget)
    groups = problem.groups
    if _feasible(problem, frozenset(groups), counter):
        raise ValueError("the problem is feasible: its hard constraints do not conflict")
    if not _feasible(problem, frozenset(), counter):
        return ()
    return tuple(sorted(_quickxplain(problem, groups, counter)))


def _unlink(fn: Callable[..., Any]) -> None:
    """Let go of a recursive nested function once it is done: the cell through which it calls itself refers
    back to it, a cycle that would keep everything it holds alive until the cyclic garbage collector runs
    (which ``plan()`` pauses). Emptying that cell frees it all at once."""
    function = cast(types.FunctionType, fn)
    code, cells = function.__code__, function.__closure__
    if cells is not None and code.co_name in code.co_freevars:
        del cells[code.co_freevars.index(code.co_name)].cell_contents


def _quickxplain(problem: Problem, candidates: tuple[str, ...], counter: _Budget) -> list[str]:
    """A minimal subset of ``candidates`` that cannot hold together (given that all of them cannot)."""

    def qx(base: tuple[str, ...], added: bool, cands: tuple[str, ...]) -> list[str]:
        # invariant: base + cands is infeasible; `added` says whether base grew since the last check
        if added and not _feasible(problem, frozenset(base), counter):
            return []
        if len(cands) == 1:
            return list(cands)
        half = len(cands) // 2
        first, second = cands[:half], cands[half:]
        d2 = qx(base + first, True, second)
        d1 = qx(base + tuple(d2), bool(d2), first)
        return d1 + d2

    try:
        return qx((), False, candidates)
    finally:
        _unlink(qx)


def evaluate(problem: Problem, assignment: Mapping[Hashable, Hashable]) -> float | None:
    """The cost of a complete assignment under ``problem``: None when a value is outside its domain, a variable
    has none, or a hard constraint is broken."""
    values: list[Hashable] = []
    for name, domain in zip(problem._names, problem._domains, strict=True):
        if name not in assignment or assignment[name] not in domain:
            return None
        values.append(assignment[name])
    cost = 0.0
    for scope, fn, is_hard, weight in zip(
        problem._scopes, problem._functions, problem._hards, problem._weights, strict=True
    ):
        result = fn(*(values[i] for i in scope))
        if is_hard:
            if not result:
                return None
        else:
            cost += weight * result
    return cost


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


# --- dispatch -----------------------------------------------------------------------------------------------


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


# --- the stage-wise dynamic programme -----------------------------------------------------------------------


@attrs.define(slots=True)
class _Local:
    """A stage's feasible local assignments (positions into each variable's kept values) and their costs."""

    assignments: list[tuple[int, ...]]
    costs: list[float]
    order: list[int] = attrs.field(factory=list)
    """The local assignments cheapest first (ties in lexicographic order)."""

    chosen: dict[int, tuple[Hashable, ...]] = attrs.field(factory=dict)
    grouped: dict[tuple[int, ...], tuple[list[tuple[int, ...]], list[int]]] = attrs.field(factory=dict)
    """Per tuple of positions, the distinct values there (first seen, first numbered) and each assignment's
    number: shared by the projections that read the same positions (never changed in place)."""

    def __attrs_post_init__(self) -> None:
        self.order = sorted(range(len(self.costs)), key=self.costs.__getitem__)

    def values(self, a: int, problem: Problem, prep: _Prepared, variables: list[int]) -> tuple[Hashable, ...]:
        """The values of local assignment ``a`` (the same for every stage that shares this enumeration)."""
        found = self.chosen.get(a)
        if found is None:
            domains, keep = problem._domains, prep.keep
            found = self.chosen[a] = tuple(
                [domains[v][keep[v][i]] for v, i in zip(variables, self.assignments[a], strict=True)]
            )
        return found


@attrs.define(slots=True)
class _Projection:
    """Local assignments grouped by their values where they meet the previous (left) and next (right)."""

    left: list[tuple[int, ...]]
    right: list[tuple[int, ...]]
    l_of: list[int]
    r_of: list[int]
    plain: bool
    """Whether each local assignment is its own right projection (r_of is the identity)."""


class _ByItself(dict[int, int]):
    """The choices of a step whose states are each reached by the local assignment of the same number."""

    def __missing__(self, key: int) -> int:
        return key


_BY_ITSELF = _ByItself()
"""(never written to: looked up only)"""


@attrs.define(slots=True)
class _Step:
    """One Viterbi step: the live states' costs less their minimum (the shift), and the choices made."""

    f: _States
    shift: float
    choice: dict[int, int]
    """Per live right projection, the local assignment that reaches it most cheaply."""
    before: _States
    trans: _Transition
    """The previous stage's live states and the transition, to find where the cheapest path came from."""
    fixed: bool = False
    """Whether the step leaves the live states as it found them (so the next look-alike step is this one)."""
    backs: dict[int, int] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        self.fixed = self.f == self.before

    def back(self, lj: int) -> int:
        """The previous stage's right projection that left projection ``lj`` comes from most cheaply."""
        found = self.backs.get(lj)
        if found is None:
            found = self.backs[lj] = self._back(lj)
        return found

    def _back(self, lj: int) -> int:
        # the link costs are added up in the order of the links, from 0.0, then the state's cost is added
        trans = self.trans
        parts = [(tables[ids[lj]], b) for (ids, tables), b in zip(trans.factors, trans.b_of, strict=True)]
        best, where = _INF, -1
        for r, x in self.before:
            total = 0.0
            for row, b in parts:
                total += row[b[r]]
            value = x + total
            if value < best:
                best, where = value, r
        return where


_States = tuple[tuple[int, float], ...]
"""The live states of a stage: (right projection, cost less the least cost) pairs in projection order."""


@attrs.define(slots=True)
class _Transition:
    """The link costs between two stages, and bounds that tell when a state is always outdone."""

    size: int
    """How many right projections the earlier stage has."""
    factors: list[tuple[list[int], list[list[float]]]]
    """Per link: the value class it reads of each left projection, and per such class the link's cost from
    each value class it reads of the right projections (``b_of``); a transition's cost is the sum over the
    links."""
    width: int
    """How many left projections the later stage has."""
    kinds: list[int]
    """Per right projection, a class: equal classes read the same values where hard links look."""
    single: bool
    """Whether every right projection is in the same class."""
    classes: int
    """How many classes there are."""
    soft: list[tuple[list[int], list[list[float]]]]
    """Per soft link: the value class it reads of each right projection, and for two such classes the most
    the first can cost more than the second for the same next state."""
    spread: float
    """An upper bound of every such difference summed over the soft links."""
    margins: dict[int, list[float]] = attrs.field(factory=dict)
    slacks: dict[int, list[float]] = attrs.field(factory=dict)
    parts: dict[tuple[int, int], Sequence[float]] = attrs.field(factory=dict)
    b_of: list[list[int]] = attrs.field(factory=list)
    """Per link, the value class it reads of each right projection."""
    scales: list[tuple[float, int]] | None = None
    """Per link, its largest finite cost and the finest power of two its costs need (see ``_Packing``); None
    when a link has a negative cost or needs a finer unit than 2**-_PACK_SHIFT."""
    packing: _Packing | None = None
    rows: dict[int, int] = attrs.field(factory=dict)
    vectors: dict[tuple[int, int], int] = attrs.field(factory=dict)
    keys: dict[int, bytes | None] = attrs.field(factory=dict)
    lows: dict[int, float] = attrs.field(factory=dict)
    class_lows: dict[tuple[int, int], float] = attrs.field(factory=dict)
    """Per link and value class it reads of a right projection, the least the link costs from there."""

    def packed_incoming(self, f: _States) -> tuple[array[int], _Packing] | None:
        """Per left projection, the least over the live states of their cost plus the link costs, in units of
        the packing's ``unit`` (``inf`` or more: a hard link refuses every way in); None when the costs do not
        pack (see ``_Packing``)."""
        if self.scales is None:
            return None
        # the states' costs must be multiples of the unit too, and leave room below ``inf``
        finest = max([1, *[x.as_integer_ratio()[1] for _, x in f]])
        if finest > 1 << _PACK_SHIFT:
            return None
        packing = self.packing
        most = max([x for _, x in f])
        if packing is None or finest > packing.scale or most * packing.scale >= packing.inf - packing.top:
            shift = finest.bit_length() - 1
            size = 2
            if packing is not None:
                shift = max(shift, int(packing.scale).bit_length() - 1)
                size = packing.size
            packing = self.packing = _Packing.of(self.scales, shift, size, most, self.width)
            self.rows.clear()
            self.vectors.clear()
            if packing is None:
                return None
        scale = packing.scale
        high, ones, turn, least = packing.high, packing.ones, packing.bits - 1, None
        full = (1 << packing.bits) - 1
        rows = self.rows
        for r, x in f:
            row = rows.get(r)
            if row is None:
                row = rows[r] = self._packed_row(r, packing)
            if x:
                row += int(x * scale) * ones
            if least is None:
                least = row
            else:
                # per field, the smaller of the two (both have the field's top bit free): the top bit of
                # (least | high) - row tells where row is smaller, spread over its field by a product
                mask = ((((least | high) - row) & high) >> turn) * full
                least ^= (least ^ row) & mask
        out = array(packing.code)
        out.frombytes((least or 0).to_bytes(packing.size * self.width, "little"))
        if sys.byteorder != "little":
            out.byteswap()
        return out, packing

    def low(self, r: int) -> float:
        """The least the links can cost from right projection ``r``, link by link."""
        found = self.lows.get(r)
        if found is None:
            # a link's least cost from r depends on r's value class only: worked out once per class
            found = 0.0
            class_lows = self.class_lows
            for k, (_, tables) in enumerate(self.factors):
                c = self.b_of[k][r]
                least = class_lows.get((k, c))
                if least is None:
                    least = class_lows[(k, c)] = min([table[c] for table in tables])
                found += least
            self.lows[r] = found
        return found

    def _packed_row(self, r: int, packing: _Packing) -> int:
        vectors = self.vectors
        total = 0
        for k, (ids, tables) in enumerate(self.factors):
            c = self.b_of[k][r]
            vec = vectors.get((k, c))
            if vec is None:
                scale, inf = packing.scale, packing.inf
                column = [inf if table[c] == _INF else int(table[c] * scale) for table in tables]
                keys = self.keys.get(k, b"")
                if keys == b"":
                    keys = self.keys[k] = bytes(ids) if len(tables) <= 256 else None
                vec = vectors[(k, c)] = packing.spread(keys, ids, column)
            total += vec
        return total

    def slack(self, b: int) -> list[float]:
        """``margin(b)`` with room for rounding: what a state must exceed b by to be outdone by it."""
        found = self.slacks.get(b)
        if found is None:
            tol = 1e-9 * (1.0 + abs(self.spread))
            found = self.slacks[b] = list(map(tol.__add__, self.margin(b)))
        return found

    def margin(self, b: int) -> list[float]:
        """Per right projection r, an upper bound of T(b, l) - T(r, l) over the next states l."""
        found = self.margins.get(b)
        if found is None:
            # per soft link, the bounds against b's value class spread over the right projections (worked out
            # once per link and class), added up link by link
            # (from the first link's part on rather than from 0.0: the same sums, bar the sign of a zero)
            parts = self.parts
            total: Iterator[float] | None = None
            for k, (ids, most) in enumerate(self.soft):
                c = ids[b]
                part = parts.get((k, c))
                if part is None:
                    # (a getter reads them at a lower cost than a map; one index gives no tuple)
                    line = most[c]
                    part = parts[(k, c)] = operator.itemgetter(*ids)(line) if len(ids) > 1 else [line[ids[0]]]
                total = iter(part) if total is None else map(operator.add, total, part)
            found = self.margins[b] = [0.0] * len(self.kinds) if total is None else list(total)
        return found

    def prune(self, g: dict[int, float]) -> _States:
        """The states of ``g`` that no cheaper state of their class outdoes whatever comes next, in projection
        order (``g`` is taken over: the states outdone are deleted from it).

        For b in r's class (the same transitions are open to both), r can never do better than b when
        g[r] - g[b] > T(b, l) - T(r, l) for every l, which ``margin`` bounds. The few cheapest states of each
        class serve as such b. Dropping the states they outdo changes no optimum, saves work, and makes the
        normalised costs repeat sooner.
        """
        if len(g) <= 1:
            return tuple(g.items())
        order = sorted(g, key=g.__getitem__)
        tol = 1e-9 * (1.0 + abs(self.spread) + abs(g[order[-1]]) + abs(g[order[0]]))
        first = order[0]
        if self.single:
            # one class: the few cheapest states are the dominators (their costs read before any is deleted)
            for b, limit in [(b, g[b] + tol) for b in order[:_DOMINATORS]]:
                margin = self.margin(b)
                for r in [r for r, x in g.items() if x - limit > margin[r]]:
                    if r != b and r != first:
                        del g[r]
            return tuple(sorted(g.items()))
        kinds = self.kinds
        out = dict(g)
        used: dict[int, int] = {}
        for b in order:
            kind = kinds[b]
            if used.get(kind, 0) >= _DOMINATORS:
                continue
            used[kind] = used.get(kind, 0) + 1
            margin = self.margin(b)
            limit = g[b] + tol
            for r in [r for r, x in out.items() if x - limit > margin[r]]:
                if kinds[r] == kind and r != b and r != first:
                    del out[r]
        return tuple(sorted(out.items()))


@attrs.frozen(slots=True)
class _Packing:
    """How a transition's link costs add up exactly as ints, many at once (one field per left projection).

    When every finite link cost is a non-negative multiple of ``unit`` = 1/``scale`` (a power of two), sums of
    such costs and of the live states' costs (when they are multiples of it too) are exact in floats whatever
    the order of the additions, so adding the scaled ints gives the same numbers. A hard link's refusal
    counts ``inf``, more than any finite sum, and the fields have room for all the links refusing and for the
    top bit that finding the least of two fields at once needs.
    """

    scale: float
    unit: float
    inf: int
    """Stands for a refusal; a sum of ``inf`` or more is a refusal."""
    top: int
    """The largest finite sum of the link costs (scaled)."""
    size: int
    """Bytes per field."""
    bits: int
    code: str
    """The ``array`` type code of a field."""
    ones: int
    high: int

    @staticmethod
    def of(
        scales: list[tuple[float, int]], shift: int, size: int, most: float, width: int
    ) -> _Packing | None:
        """Links with these ``scales`` packed with a unit of 2**-shift or finer and fields of ``size`` bytes
        or more, with room for states that cost up to ``most``; None when the fields would overflow."""
        shift = max([shift, *[need for _, need in scales]])
        scale = float(1 << shift)
        top = sum([int(v * scale) for v, _ in scales])
        for bytes_ in (2, 4) if size == 2 else (4,):
            code = _CODES.get(bytes_)
            if code is None:
                continue
            bits = 8 * bytes_
            inf = (1 << (bits - 1)) // (len(scales) + 1)
            if top + most * scale < inf:
                ones = int.from_bytes((b"\x01" + bytes(bytes_ - 1)) * width, "little")
                return _Packing(
                    scale=scale,
                    unit=1.0 / scale,
                    inf=inf,
                    top=top,
                    size=bytes_,
                    bits=bits,
                    code=code,
                    ones=ones,
                    high=ones << (bits - 1),
                )
        return None

    def spread(self, keys: bytes | None, ids: list[int], column: list[int]) -> int:
        """The packed int whose field j holds ``column[ids[j]]``; ``keys`` is ``bytes(ids)`` (None when a
        class number does not fit in a byte)."""
        size = self.size
        if keys is None:
            parts = [v.to_bytes(size, "little") for v in map(column.__getitem__, ids)]
            return int.from_bytes(b"".join(parts), "little")
        # byte by byte: each byte plane of the fields is a translation of the class numbers
        buf = bytearray(size * len(ids))
        pad = bytes(256 - len(column))
        for p in range(size):
            buf[p::size] = keys.translate(bytes([(v >> (8 * p)) & 255 for v in column]) + pad)
        return int.from_bytes(buf, "little")


_CODES = {array(code).itemsize: code for code in "LIH"}
"""An ``array`` type code per field size in bytes."""


_START = _Transition(size=1, width=1, factors=[], kinds=[0], single=True, classes=1, soft=[], spread=0.0)


@attrs.define(slots=True)
class _Grouping:
    """The selected constraints of two or more variables, stage by stage, and where the links read."""

    internal: list[list[int]]
    links: list[list[int]]
    left: list[tuple[int, ...]]
    """Per stage, the positions the links from the previous stage read, sorted."""
    right: list[tuple[int, ...]]
    """Per stage, the positions the links to the next stage read, sorted."""
    inside: list[tuple[int, ...]]
    """Per stage, what its internal constraints do (their ``cid``)."""
    between: list[int]
    """Per stage, what its links from the previous stage do (interned)."""
    plain: list[int] | None = None
    """Per stage, its signature when no unary constraint touches a variable (worked out once)."""


def _grouping(cache: _Cache, multi: list[int]) -> _Grouping:
    layout = cache.layout
    key = None if multi is layout.multi else tuple(multi)
    found = cache.groupings.get(key)
    if found is not None:
        return found
    m = len(layout.stage_vars)
    if key is None:
        internal, links = layout.internal_of, layout.links_of
    else:
        chosen = set(multi)
        internal = [[ci for ci in group if ci in chosen] for group in layout.internal_of]
        links = [[ci for ci in group if ci in chosen] for group in layout.links_of]
    cid, sides = layout.cid, layout.sides
    between = [cache.intern(tuple([cid[ci] for ci in group])) for group in links]
    # links that do the same read the same positions: worked out once per such set of links
    left: list[tuple[int, ...]] = [()] * m
    right: list[tuple[int, ...]] = [()] * m
    reads: dict[int, tuple[tuple[int, ...], tuple[int, ...]]] = {}
    for t in range(1, m):
        seen = reads.get(between[t])
        if seen is None:
            before: set[int] = set()
            after: set[int] = set()
            for ci in links[t]:
                earlier, later = sides[ci]
                before.update(earlier)
                after.update(later)
            seen = reads[between[t]] = (tuple(sorted(before)), tuple(sorted(after)))
        right[t - 1], left[t] = seen
    found = cache.groupings[key] = _Grouping(
        internal=internal,
        links=links,
        left=left,
        right=right,
        inside=[tuple([cid[ci] for ci in inside]) for inside in internal],
        between=between,
    )
    return found


def _staged(problem: Problem, prep: _Prepared, counter: _Budget) -> tuple[float, list[Hashable]] | None:
    """The optimum as (cost, values in declaration order) by the stage-wise dynamic programme, or None."""
    cache = problem._get_cache()
    layout = cache.layout
    stage_vars = layout.stage_vars
    intern = cache.intern
    m = len(stage_vars)
    grouping = _grouping(cache, prep.multi)
    internal, links = grouping.internal, grouping.links
    left, right = grouping.left, grouping.right

    # each stage's local assignments and projections, shared between stages that look the same
    sigs = grouping.plain if not prep.touched else None
    if sigs is None:
        var_sig = list(cache.plain_sig)
        # variables share their lists when the same unary tables apply to them: one signature per such lists
        by_lists: dict[tuple[int, int, int], int] = {}
        domain_ids = problem._domain_ids
        for v in prep.touched:
            k, row = prep.keep[v], prep.ucost[v]
            lists = (domain_ids[v], id(k), id(row))
            sig = by_lists.get(lists)
            if sig is None:
                sig = by_lists[lists] = intern(
                    (domain_ids[v], tuple(k), tuple([row[i] for i in k]), any(row))
                )
            var_sig[v] = sig
        sigs = [
            intern((tuple([var_sig[v] for v in members]), inside))
            for members, inside in zip(stage_vars, grouping.inside, strict=True)
        ]
        if not prep.touched:
            grouping.plain = sigs
    # first a quick look for one assignment per stage that looks new: an impossible stage ends it all at once
    # (the first stage's is enumerated in full first anyway)
    looked = {sigs[0]}
    for t in range(m):
        if sigs[t] in looked:
            continue
        looked.add(sigs[t])
        ekey = intern((sigs[t], ()))
        if ekey not in cache.enum:
            cache.enum[ekey] = _enumerate_stage(problem, prep, stage_vars[t], internal[t], (), counter)
        if not cache.enum[ekey].assignments:
            return None
    hards, ucost = problem._hards, prep.ucost
    locals_: list[_Local] = []
    projections: list[_Projection] = []
    stage_ids: list[int] = []
    # per stage, what a transition reads of it: its values where the links look, on either side
    faces: list[tuple[int, int]] = []
    done: dict[
        tuple[int, tuple[int, ...], tuple[int, ...]], tuple[_Local, _Projection, int, tuple[int, int]]
    ] = {}
    faces_by: dict[tuple[int, tuple[int, ...], int], tuple[list[tuple[int, ...]], int]] = {}

    def face_of(sig: int, positions: tuple[int, ...], found: list[tuple[int, ...]]) -> int:
        known = (sig, positions, id(found))
        face = faces_by.get(known)
        if face is None:
            face = faces_by[known] = (found, intern((sig, positions, tuple(found))))
        return face[1]

    for t in range(m):
        lpos, rpos = left[t], right[t]
        pkey = (sigs[t], lpos, rpos)
        found = done.get(pkey)
        if found is None:
            # when nothing but the links tells the stage's assignments apart, one per link reading will do
            interface: tuple[int, ...] | None = tuple(sorted({*lpos, *rpos}))
            if any(not hards[ci] for ci in internal[t]) or any(
                any(ucost[v]) for p, v in enumerate(stage_vars[t]) if p not in lpos and p not in rpos
            ):
                interface = None
            ekey = intern((sigs[t], interface))
            local = cache.enum.get(ekey)
            if local is None:
                local = cache.enum[ekey] = _enumerate_stage(
                    problem, prep, stage_vars[t], internal[t], interface, counter
                )
            if not local.assignments:
                return None
            proj = cache.proj.get(pkey)
            if proj is None:
                proj = cache.proj[pkey] = _project(local, lpos, rpos)
            # (projections share their lists when they read the same positions: one look-up per such list)
            face = (face_of(sigs[t], lpos, proj.left), face_of(sigs[t], rpos, proj.right))
            found = done[pkey] = (local, proj, intern(pkey), face)
        locals_.append(found[0])
        projections.append(found[1])
        stage_ids.append(found[2])
        faces.append(found[3])
    counter.spend(nodes=m)

    # the Viterbi pass: f holds the best cost so far per right projection, less its minimum
    transitions: list[tuple[int, _Transition]] = [(-1, _START)]
    for t in range(1, m):
        tkey = (faces[t - 1][1], faces[t][0], grouping.between[t])
        found_t = cache.trans.get(tkey)
        if found_t is None:
            found_t = cache.trans[tkey] = _transitions(
                problem,
                prep,
                links[t],
                projections[t - 1],
                projections[t],
                t,
                counter,
                (right[t - 1], left[t]),
            )
        transitions.append((intern(tkey), found_t))
    transitions.append((-2, _START))
    steps: list[_Step] = []
    f: _States = ((0, 0.0),)
    total = 0.0
    last: tuple[int, int, int] | None = None
    step: _Step | None = None
    for t in range(m):
        (tin_id, tin), (tout_id, tout) = transitions[t], transitions[t + 1]
        ids = (tin_id, tout_id, stage_ids[t])
        if step is not None and step.fixed and ids == last and f is step.f:
            # the same step again from the states it led to, which it leaves as they are
            counter.spend(nodes=1)
        else:
            skey = (*ids, f)
            step = cache.step.get(skey)
            if step is None:
                step = cache.step[skey] = _viterbi_step(
                    f, tin, tout if t + 1 < m else None, projections[t], locals_[t], counter
                )
            else:
                counter.spend(nodes=1)
            last = ids
        if step.shift == _INF:
            return None
        steps.append(step)
        total += step.shift
        f = step.f

    # walk back along the choices
    chosen: list[tuple[Hashable, ...]] = [()] * m
    r = next((r for r, x in f if x == 0.0), 0)
    for t in range(m - 1, -1, -1):
        step = steps[t]
        a = step.choice[r]
        chosen[t] = locals_[t].values(a, problem, prep, stage_vars[t])
        r = step.back(projections[t].l_of[a])
    if layout.in_order:
        return total, list(itertools.chain.from_iterable(chosen))
    values: list[Hashable] = [None] * len(layout.stage_of)
    for members, vals in zip(stage_vars, chosen, strict=True):
        for v, value in zip(members, vals, strict=True):
            values[v] = value
    return total, values


def _enumerate_stage(
    problem: Problem,
    prep: _Prepared,
    variables: list[int],
    internal: list[int],
    interface: tuple[int, ...] | None,
    counter: _Budget,
) -> _Local:
    """Every assignment of a stage's variables that meets its internal hard constraints, with its soft cost.

    Backtracking with forward checking, most-constrained variable first; the result is in lexicographic order
    of domain positions. With ``interface`` (positions), only one completion of each feasible assignment of
    those positions is kept: enough when the rest costs nothing and no link reads it.
    """
    n = len(variables)
    layout = problem._get_cache().layout
    values = [[problem._domains[v][i] for i in prep.keep[v]] for v in variables]
    ucost = [[prep.ucost[v][i] for i in prep.keep[v]] for v in variables]
    cons: list[tuple[Callable[[list[Any]], Any], tuple[int, ...], Callable[..., Any], bool, float]] = []
    touching: list[list[int]] = [[] for _ in range(n)]
    cols = problem._cols()
    for ci in internal:
        positions = tuple([layout.local_pos[v] for v in cols.scopes[ci]])
        distinct = tuple(dict.fromkeys(positions))
        for p in distinct:
            touching[p].append(len(cons))
        # an internal constraint reads two or more positions, so the getter gives a tuple
        cons.append(
            (
                operator.itemgetter(*positions),
                distinct,
                cols.functions[ci],
                cols.hards[ci],
                cols.weights[ci],
            )
        )
    chosen = [-1] * n
    current: list[Any] = [None] * n
    out: list[tuple[tuple[int, ...], float]] = []
    first = set(interface) if interface is not None else set(range(n))
    border = len(first)
    # per constraint, how many of its variables are still free, and its parts
    free_count = [len(c[1]) for c in cons]
    c_read = [c[0] for c in cons]
    c_distinct = [c[1] for c in cons]
    c_fn = [c[2] for c in cons]
    c_hard = [c[3] for c in cons]
    c_weight = [c[4] for c in cons]
    everywhere = border == n
    # per position, its soft constraints' weights, functions and getters, for when it is the last one assigned
    softs_of = [[(c_weight[k], c_fn[k], c_read[k]) for k in touching[p] if not c_hard[k]] for p in range(n)]
    at_once = _LAST_AT_ONCE
    # steps are counted here and handed to the budget at the end, or as soon as they pass what it has left
    room = counter.limit - counter.used
    spent = 0

    def search(domains: list[list[int]], depth: int, cost: float) -> bool:
        nonlocal spent
        spent += 1
        if spent > room:
            counter.spend(nodes=spent)
        if depth == n:
            out.append((tuple(chosen), cost))
            return True
        var = -1
        size = 0
        if everywhere or depth >= border:
            for p in range(n):
                if chosen[p] < 0 and (var < 0 or len(domains[p]) < size):
                    var, size = p, len(domains[p])
        else:
            for p in range(n):
                if chosen[p] < 0 and p in first and (var < 0 or len(domains[p]) < size):
                    var, size = p, len(domains[p])
        found = False
        last = depth + 1 == n
        vals = values[var]
        costs = ucost[var]
        mine = touching[var]
        dom = domains[var]
        if last and at_once and spent + len(dom) <= room:
            # the last variable: every constraint on it has its scope assigned, the hard ones were checked
            # forward, so each value is a complete assignment; the soft costs are added as the loop below would
            if depth >= border:
                dom = dom[:1]
            found = bool(dom)
            spent += len(dom)
            softs = softs_of[var]
            if not softs:
                for i in dom:
                    chosen[var] = i
                    out.append((tuple(chosen), cost + costs[i]))
            else:
                for i in dom:
                    chosen[var] = i
                    current[var] = vals[i]
                    extra = costs[i]
                    for weight, fn, read in softs:
                        extra += weight * fn(*read(current))
                    out.append((tuple(chosen), cost + extra))
            chosen[var] = -1
            current[var] = None
            return found
        for k in mine:
            free_count[k] -= 1
        for i in dom:
            chosen[var] = i
            current[var] = vals[i]
            narrowed: list[list[int]] | None = None
            extra = costs[i]
            for k in mine:
                left = free_count[k]
                if left == 0:
                    # a hard constraint was checked forward when its last variable was still free
                    if not c_hard[k]:
                        extra += c_weight[k] * c_fn[k](*c_read[k](current))
                elif left == 1 and c_hard[k]:
                    read, fn = c_read[k], c_fn[k]
                    free = -1
                    for p in c_distinct[k]:
                        if chosen[p] < 0:
                            free = p
                    if narrowed is None:
                        narrowed = list(domains)
                    fvals = values[free]
                    kept = []
                    for j in narrowed[free]:
                        current[free] = fvals[j]
                        if fn(*read(current)):
                            kept.append(j)
                    current[free] = None
                    spent += len(narrowed[free])
                    if spent > room:
                        counter.spend(nodes=spent)
                    narrowed[free] = kept
                    if not kept:
                        break
            else:
                if last:
                    # a complete assignment (the step a call one level down would take)
                    spent += 1
                    if spent > room:
                        counter.spend(nodes=spent)
                    out.append((tuple(chosen), cost + extra))
                    found = True
                else:
                    found = (
                        search(narrowed if narrowed is not None else domains, depth + 1, cost + extra)
                        or found
                    )
                if found and depth >= border:
                    break
        for k in mine:
            free_count[k] += 1
        chosen[var] = -1
        current[var] = None
        return found

    try:
        search([list(range(len(v))) for v in values], 0, 0.0)
    finally:
        _unlink(search)
    counter.spend(nodes=spent)
    out.sort(key=operator.itemgetter(0))
    counter.spend(local=len(out))
    return _Local(assignments=[a for a, _ in out], costs=[c for _, c in out])


def _project(local: _Local, left: tuple[int, ...], right: tuple[int, ...]) -> _Projection:
    def keys(positions: tuple[int, ...]) -> list[tuple[int, ...]]:
        if len(positions) == 1:
            p = positions[0]
            return [(a[p],) for a in local.assignments]
        return list(map(operator.itemgetter(*positions), local.assignments))

    def group(found: list[tuple[int, ...]]) -> tuple[list[tuple[int, ...]], list[int]]:
        # numbered in order of first appearance
        distinct = list(dict.fromkeys(found))
        if len(distinct) == len(found):
            return distinct, list(range(len(found)))
        index = dict(zip(distinct, range(len(distinct)), strict=True))
        return distinct, list(map(index.__getitem__, found))

    def projected(positions: tuple[int, ...]) -> tuple[list[tuple[int, ...]], list[int]]:
        found = local.grouped.get(positions)
        if found is None:
            if not positions:
                # nothing read: every assignment projects to the empty tuple
                count = len(local.assignments)
                found = [()] * min(count, 1), [0] * count
            else:
                found = group(keys(positions))
            local.grouped[positions] = found
        return found

    lefts, l_of = projected(left)
    rights, r_of = projected(right)
    plain = len(rights) == len(r_of)
    return _Projection(left=lefts, right=rights, l_of=l_of, r_of=r_of, plain=plain)


def _transitions(
    problem: Problem,
    prep: _Prepared,
    links: list[int],
    before: _Projection,
    after: _Projection,
    t: int,
    counter: _Budget,
    read: tuple[tuple[int, ...], tuple[int, ...]],
) -> _Transition:
    """For each left projection of stage t, the link cost from each right projection of stage t-1.

    Infinity marks a transition that a hard link refuses. Each link constraint is tabulated over the distinct
    values it reads on either side, then the tables are added up column by column. ``read`` gives the
    positions the links read in stage t-1 and in stage t, sorted (the projections' coordinates).
    """
    cache = problem._get_cache()
    layout = cache.layout
    cols = problem._cols()
    n_r, n_l = len(before.right), len(after.left)
    counter.spend(transitions=n_r * n_l)
    rindex = {p: k for k, p in enumerate(read[0])}
    lindex = {p: k for k, p in enumerate(read[1])}
    tables: list[tuple[list[int], list[list[float]]]] = []
    b_of: list[list[int]] = []
    scales: list[tuple[float, int]] | None = []
    kinds: list[tuple[int, ...]] = [()] * n_r
    soft: list[tuple[list[int], list[list[float]]]] = []
    spread = 0.0
    # per side and coordinates, each projection's class (first seen, first numbered) and each class's key
    # (the kept positions it reads, which stand for the values); shared by links that read the same places
    # (and by the transitions that read the same list of projections, which stages that look the same share)
    seen = cache.classes

    def classes_of(side: bool, coords: tuple[int, ...]) -> tuple[list[int], list[tuple[Any, ...]]]:
        projections = before.right if side else after.left
        found = seen.get((id(projections), coords))
        if found is None:
            # classes numbered in order of first appearance
            read = list(map(operator.itemgetter(*coords), projections)) if coords else [()] * len(projections)
            distinct = list(dict.fromkeys(read))
            index = dict(zip(distinct, range(len(distinct)), strict=True))
            ids = list(map(index.__getitem__, read))
            keys: list[tuple[Any, ...]] = [(x,) for x in distinct] if len(coords) == 1 else distinct
            found = seen[(id(projections), coords)] = (projections, ids, keys)
        return found[1], found[2]

    stage_of, local_pos, domains, keep = layout.stage_of, layout.local_pos, problem._domains, prep.keep
    domain_ids = problem._domain_ids
    for ci in links:
        scope = cols.scopes[ci]
        sides = [stage_of[v] == t - 1 for v in scope]
        b_vars = [v for v, s in zip(scope, sides, strict=True) if s]
        a_vars = [v for v, s in zip(scope, sides, strict=True) if not s]
        b_ids, b_keys = classes_of(True, tuple([rindex[local_pos[v]] for v in b_vars]))
        a_ids, a_keys = classes_of(False, tuple([lindex[local_pos[v]] for v in a_vars]))
        fn, hard, weight = cols.functions[ci], cols.hards[ci], cols.weights[ci]
        # a keyed link reading values of the same kind on the same sides as one tabulated before shares its
        # cells (by the kept positions read) and its bounds between value classes
        key = cols.keys[ci]
        memo: tuple[dict[Any, float], dict[Any, Any]] = ({}, {})
        if key is not None:
            known = (key, hard, weight, tuple(sides), tuple([(domain_ids[v], tuple(keep[v])) for v in scope]))
            memo = cache.links.setdefault(known, memo)
        cells = memo[0]
        missing = [(bk, ak) for ak in a_keys for bk in b_keys if (bk, ak) not in cells]
        if missing:
            counter.spend(nodes=len(missing))
            for bk, ak in missing:
                bi = iter([domains[v][keep[v][i]] for v, i in zip(b_vars, bk, strict=True)])
                ai = iter([domains[v][keep[v][i]] for v, i in zip(a_vars, ak, strict=True)])
                value = fn(*[next(bi) if s else next(ai) for s in sides])
                cells[(bk, ak)] = (0.0 if value else _INF) if hard else weight * value
        rows = [[cells[(bk, ak)] for bk in b_keys] for ak in a_keys]
        most: list[list[float]] = []
        if not hard:
            # a bound is the most over the next stage's value classes: shared when they are the same ones
            bounds = cast(dict[Any, float], memo[1].setdefault(tuple(sorted(a_keys)), {}))
            for b1, bk1 in enumerate(b_keys):
                line: list[float] = []
                for b2, bk2 in enumerate(b_keys):
                    bound = bounds.get((bk1, bk2))
                    if bound is None:
                        bound = bounds[(bk1, bk2)] = _most_above(rows, b1, b2)
                    line.append(bound)
                most.append(line)
        tables.append((a_ids, rows))
        b_of.append(b_ids)
        if scales is not None:
            scales = _scale(rows, scales)
        if hard:
            kinds = [(*k, b) for k, b in zip(kinds, b_ids, strict=True)]
        else:
            soft.append((b_ids, most))
            spread += max(max(row) for row in most)
    classes: dict[tuple[int, ...], int] = {}
    if n_r and not any(kinds):
        # no hard link: one class, ()
        classes[()] = 0
        kind_ids = [0] * n_r
    else:
        kind_ids = [classes.setdefault(k, len(classes)) for k in kinds]
    return _Transition(
        size=n_r,
        width=n_l,
        factors=tables,
        b_of=b_of,
        scales=scales,
        kinds=kind_ids,
        single=len(classes) == 1,
        classes=len(classes),
        soft=soft,
        spread=spread,
    )


def _scale(rows: list[list[float]], scales: list[tuple[float, int]]) -> list[tuple[float, int]] | None:
    """``scales`` and, for one more link with these costs, its largest finite cost and the finest power of two
    they need; None when a cost is negative (or not a number) or needs a unit finer than 2**-_PACK_SHIFT."""
    values = set().union(*rows)
    values.discard(_INF)
    shift = 0
    for v in values:
        if not v >= 0.0:
            return None
        den = v.as_integer_ratio()[1]
        if den > 1 << shift:
            shift = den.bit_length() - 1
            if shift > _PACK_SHIFT:
                return None
    scales.append((max(values, default=0.0), shift))
    return scales


def _most_above(rows: list[list[float]], b1: int, b2: int) -> float:
    """The most that coming from value class b1 can cost more than coming from b2, over the next states."""
    most = -_INF
    for row in rows:
        x, y = row[b1], row[b2]
        if x == _INF:
            if y != _INF:
                return _INF
            continue
        if x - y > most:  # what max(most, x - y) keeps
            most = x - y
    return most


def _viterbi_step(
    f: _States,
    tin: _Transition,
    tout: _Transition | None,
    proj: _Projection,
    local: _Local,
    counter: _Budget,
) -> _Step:
    """One stage of the Viterbi pass: from the previous stage's live states ``f`` to this stage's.

    The states are pruned against the next transition (``tout``; None for the last stage, where only the
    cheapest matter). Local assignments are taken cheapest first, and the scan stops once even the cheapest way
    in cannot bring one within reach of the best so far (when the next transition has a single class).
    """
    costs, l_of, r_of = local.costs, proj.l_of, proj.r_of
    add = operator.add
    incoming: Callable[[int], float]
    packed = tin.packed_incoming(f) if tin.factors and len(f) <= _PACK_STATES else None
    if packed is not None:
        # all the ways in at once, exactly, as packed ints; the floor from each state's least link costs
        # (exact too, so the same as the general step's)
        sums, packing = packed
        unit, refused = packing.unit, packing.inf
        lows, low_of = tin.lows, tin.low
        floor = min([x + (lows[r] if r in lows else low_of(r)) for r, x in f])

        def incoming(lj: int) -> float:
            least = sums[lj]
            return least * unit if least < refused else _INF

        cuts: list[tuple[list[int], list[Any]]] = []
    else:
        fa = [x for _, x in f]
        # each link's cost vectors cut down to the live states
        # (a link's costs are by the value class it reads of a right projection)
        if len(f) == 1:
            r0 = f[0][0]
            cuts = [
                (ids, [(row[b[r0]],) for row in tables])
                for (ids, tables), b in zip(tin.factors, tin.b_of, strict=True)
            ]
        else:
            cuts = []
            for (ids, tables), b in zip(tin.factors, tin.b_of, strict=True):
                pick = operator.itemgetter(*[b[r] for r, _ in f])
                cuts.append((ids, [pick(row) for row in tables]))
        least: Sequence[float] = fa
        for _, cut in cuts:
            least = list(map(add, least, map(min, *cut) if len(cut) > 1 else cut[0]))
        floor = min(least)
    if packed is None and not cuts:
        lowest = min(fa)

        def incoming(lj: int) -> float:
            return lowest

    elif packed is None:
        # the running sums are shared between left projections that agree on the first links; they are
        # added in the same order whatever is shared: with few live states, the link costs first and the
        # state's cost last, with many, the state's cost first
        head: list[tuple[list[int], list[Any], dict[int, Sequence[float]]]] = [
            (ids, cut, {}) for ids, cut in cuts[:-1]
        ]
        last_ids, last_cut = cuts[-1]
        if len(f) <= _FEW:

            def incoming(lj: int) -> float:
                total: Sequence[float] | None = None
                key = 0
                for ids, cut, sums in head:
                    c = ids[lj]
                    key = key * len(cut) + c
                    found = sums.get(key)
                    if found is None:
                        found = sums[key] = cut[c] if total is None else list(map(add, total, cut[c]))
                    total = found
                links = last_cut[last_ids[lj]]
                least: float = min(map(add, fa, links if total is None else map(add, total, links)))
                return least

        else:

            def incoming(lj: int) -> float:
                total: Sequence[float] = fa
                key = 0
                for ids, cut, sums in head:
                    c = ids[lj]
                    key = key * len(cut) + c
                    found = sums.get(key)
                    if found is None:
                        found = sums[key] = list(map(add, total, cut[c]))
                    total = found
                least: float = min(map(add, total, last_cut[last_ids[lj]]))
                return least

    # Once a state b of some class is reached, a local assignment of that class whose least possible cost
    # exceeds b's by more than b can lose on the next link (``tout.margin``) is outdone by b: it is skipped
    # unseen. Once every class has a state, the scan (cheapest first) stops where even the widest margin
    # cannot help.
    margin: Callable[[int], list[float]]
    if tout is None:
        kinds = [0] * len(proj.right)
        classes = 1
        reach = 0.0
        flat = [1e-9 * (1.0 + abs(floor))] * len(proj.right)

        def margin(r: int) -> list[float]:
            return flat

    else:
        kinds = tout.kinds
        classes = tout.classes
        reach = tout.spread
        margin = tout.slack

    g: dict[int, float] = {}
    choice: dict[int, int] = {}
    best: dict[int, float] = {}
    outdo: dict[int, list[float]] = {}
    worst = _INF
    seen = 0
    plain = False
    if classes == 1:
        # the same scan with one class: one best state, and the bounds against it
        top: float | None = None
        bounds: list[float] = []
        beyond = worst + reach
        # the packed sums read in line (what ``incoming`` does, without a call per assignment)
        inline = packed[0] if packed is not None else None
        plain = inline is not None and proj.plain and _PLAIN_SCAN
        for a in local.order if plain else ():
            # each local assignment its own right projection: met once, so it is the first way there
            low = costs[a] + floor
            if low > beyond:
                break
            if top is not None and low > top + bounds[a]:
                continue
            seen += 1
            units = inline[l_of[a]]  # type: ignore[index]
            value = costs[a] + units * unit if units < refused else _INF
            if value < _INF:
                g[a] = value
                if top is None or value < top:
                    top = worst = value
                    beyond = worst + reach
                    bounds = margin(a)
        for a in local.order if not plain else ():
            low = costs[a] + floor
            if low > beyond:
                break
            r = r_of[a]
            if top is not None and low > top + bounds[r]:
                continue
            seen += 1
            if inline is None:
                value = costs[a] + incoming(l_of[a])
            else:
                units = inline[l_of[a]]
                value = costs[a] + (units * unit if units < refused else _INF)
            if value < g.get(r, _INF):
                g[r] = value
                choice[r] = a
                if top is None or value < top:
                    top = worst = value
                    beyond = worst + reach
                    bounds = margin(r)
    for a in local.order if classes != 1 else ():
        low = costs[a] + floor
        if low > worst + reach:
            break
        r = r_of[a]
        kind = kinds[r]
        top = best.get(kind)
        if top is not None and low > top + outdo[kind][r]:
            continue
        seen += 1
        value = costs[a] + incoming(l_of[a])
        if value < g.get(r, _INF):
            g[r] = value
            choice[r] = a
            if top is None or value < top:
                best[kind] = value
                outdo[kind] = margin(r)
                if len(best) == classes:
                    worst = max(best.values())
    counter.spend(transitions=seen * len(f), nodes=seen)
    shift = min(g.values(), default=_INF)
    if plain:
        # (the plain scan leaves the choices out: each state is reached by itself)
        choice = _BY_ITSELF
    if shift == _INF:
        return _Step(f=(), shift=_INF, choice=choice, before=f, trans=tin)
    # (every cost in g is finite: a state enters it with a cost below _INF)
    if tout is not None:
        states = tout.prune({r: x - shift for r, x in g.items()})
    else:
        states = tuple(sorted([(r, x - shift) for r, x in g.items() if x - shift == 0.0]))
    return _Step(f=states, shift=shift, choice=choice, before=f, trans=tin)


# --- depth-first branch and bound ---------------------------------------------------------------------------


class _Stop(Exception):
    """Ends a feasibility search at its first solution."""


def _branch_and_bound(
    problem: Problem, prep: _Prepared, soft: bool, counter: _Budget
) -> tuple[float, list[int]] | None:
    """Exact search for problems without stage structure: forward checking, MRV, a lower bound on cost."""
    layout = problem._get_cache().layout
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

    def search(domains: list[list[int]], depth: int, cost: float, pending: float, unbounded: int) -> None:
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
        vals = problem._domains[var]
        costs = ucost[var]
        for i in domains[var]:
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
                search(
                    narrowed if narrowed is not None else domains,
                    depth + 1,
                    cost + extra,
                    pending - released,
                    unbounded - closed,
                )
        chosen[var] = -1
        current[var] = None

    try:
        with contextlib.suppress(_Stop):
            search(domains0, 0, 0.0, pending0, unbounded0)
    finally:
        _unlink(search)
    if best is None:
        return None
    return best_cost, best


def _cheapest_first(keep: list[int], row: list[float]) -> list[int]:
    return sorted(keep, key=lambda i: (row[i], i))


def _least_cost(problem: Problem, prep: _Prepared, ci: int, counter: _Budget) -> float:
    """The least weighted cost a soft constraint can take over the kept values (-inf when too many to try)."""
    distinct = problem._get_cache().layout.distinct[ci]
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
