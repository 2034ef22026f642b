"""What every search starts from: the problem's layout (stages, and where each constraint sits), the work
shared between calls, node consistency and the unary costs of the selected constraints."""

from __future__ import annotations

import math
import operator
from collections.abc import Collection, Hashable
from typing import TYPE_CHECKING, Any, cast

import attrs

from ._budget import _Budget

if TYPE_CHECKING:
    from ._enumerate import _Local
    from ._problem import Problem
    from ._stages import _Grouping, _Projection, _States, _Step, _Transition


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
        self.completions: dict[tuple[Any, ...], bool] = {}
        """Per symmetric constraint, values given and kept values of the free variables: whether it can hold."""
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


def cache_of(problem: Problem) -> _Cache:
    """The work shared between calls on ``problem`` (made afresh after any change to it)."""
    cache = problem._cache
    if cache is None:
        cache = problem._cache = _Cache(problem)
    return cast(_Cache, cache)


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
    cache = cache_of(problem)
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
