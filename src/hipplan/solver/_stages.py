"""The stage-wise dynamic programme: local assignments per stage, the links between neighbouring stages, and a
Viterbi pass over the stages that keeps, per state, the cheapest way there.

Stages that look the same share their enumeration, projections and link tables; a state that a cheaper one of
its class outdoes whatever comes next is dropped; a step whose incoming costs repeat is not computed again. Exact.
"""

from __future__ import annotations

import itertools
import operator
from array import array
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, cast

import attrs

from ._budget import _Budget
from ._dominance import exact_bounds, margin_of, prune_all
from ._enumerate import _enumerate_stage, _Local
from ._packing import _Packing, _scale, packed_incoming
from ._prepare import _Cache, _Prepared, cache_of
from ._problem import _INF, Problem

_DOMINATORS = 4
"""How many of the cheapest states of each class the Viterbi pass tests the others against."""


_FEW = 8
"""Up to this many live states, the general Viterbi step adds a state's cost after the link costs (the order
whole rows of the link table used to give); with more, before them."""


_MANY_STATES = 256
"""From how many live states (or right projections) on the steps work on whole lists at once (fewer are
quicker taken one by one, as they come)."""


_PACK_STATES = 1 << 16
"""Up to this many live states, a Viterbi step may add up the link costs as packed ints (see ``_Packing``)."""


_DENSE = 1024
"""From how many right projections on a transition's bounds are read off packed sums (``margin_of``), and a step
whose states will all be tested against each other (``prune_all``) reads every assignment instead of skipping
by bounds: below that, as in weeks of a few sessions, the plain ways cost less."""


@attrs.define(slots=True)
class _Projection:
    """Local assignments grouped by their values where they meet the previous (left) and next (right)."""

    left: list[tuple[int, ...]]
    right: list[tuple[int, ...]]
    l_of: list[int]
    r_of: list[int]


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
        if len(self.before) <= _MANY_STATES:
            best, where = _INF, -1
            for r, x in self.before:
                one = 0.0
                for row, b in parts:
                    one += row[b[r]]
                value = x + one
                if value < best:
                    best, where = value, r
            return where
        # (link by link over all the states at once: the same additions in the same order)
        rs = [r for r, _ in self.before]
        total = [0.0] * len(rs)
        for row, b in parts:
            total = list(map(operator.add, total, map(row.__getitem__, map(b.__getitem__, rs))))
        values = list(map(operator.add, [x for _, x in self.before], total))
        # the first state at the least value, as a scan keeping the first strictly smaller one finds it (such a
        # scan passes over a value that is not a number; ``min`` might not)
        if any(v != v for v in values):
            values = [_INF if v != v else v for v in values]
        at = min(range(len(values)), key=values.__getitem__)
        return rs[at] if values[at] < _INF else -1


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
    common: list[int] = attrs.field(factory=list)
    asked: dict[int, int] = attrs.field(factory=dict)
    """Per state, at how many right projections its bounds were asked for (see ``margin_at``)."""
    taken: int = 0
    """How many live states the last packed step added rows for (it may stop before the last)."""
    low_lists: list[list[float]] = attrs.field(factory=list)
    """Per link, the least it costs from each value class it reads of a right projection."""
    """Per link, the value class most right projections read (worked out when first packed)."""
    keys: dict[int, bytes | None] = attrs.field(factory=dict)
    lows: dict[int, float] = attrs.field(factory=dict)
    class_lows: dict[tuple[int, int], float] = attrs.field(factory=dict)
    """Per link and value class it reads of a right projection, the least the link costs from there."""
    dom_shift: int | None = -1
    """The finest power of two (its exponent) the soft links' bounds are multiples of (-1: not worked out yet;
    None: not all of them are), and the packed bounds of ``_dominance.prune_all``."""
    dom_bounds: dict[tuple[int, int], Any] = attrs.field(factory=dict)
    """Per unit (its exponent) and field size, the bounds packed (``_dominance._Bounds``)."""
    dom_keys: dict[int, bytes] = attrs.field(factory=dict)
    """Per soft link, the value class it reads of each right projection, as bytes."""

    def packed_incoming(self, f: _States) -> tuple[array[int], _Packing] | None:
        """Per left projection, the least over the live states of their cost plus the link costs, packed (see
        :func:`hipplan.solver._packing.packed_incoming`); None when the costs do not pack."""
        return packed_incoming(self, f)

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
        if found is None and self.size > _DENSE:
            # many right projections: from the packed bounds when they are multiples of a power of two
            found = margin_of(self, b)
            if found is not None:
                self.margins[b] = found
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
        g[r] - g[b] > T(b, l) - T(r, l) for every l, which ``margin`` bounds. With many states whose costs and
        bounds are multiples of a power of two, every state serves as such b, all at once and exactly
        (``_dominance.prune_all``); otherwise the few cheapest states of each class do. Dropping the states
        they outdo changes no optimum, saves work, and makes the normalised costs repeat sooner.
        """
        if len(g) <= 1:
            return tuple(g.items())
        if len(g) > _MANY_STATES:
            # many states: each one against every state of its class at once, when the numbers allow
            every = prune_all(self, g)
            if every is not None:
                return every
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
        if len(g) <= _MANY_STATES:
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
        # Many states: those of each class, and its few cheapest (the dominators); a dominator outdoes states of
        # its own class only, so each class is pruned on its own (the same states dropped, with less work).
        members: dict[int, list[int]] = {}
        for r in g:
            members.setdefault(kinds[r], []).append(r)
        dominators: dict[int, list[int]] = {}
        for b in order:
            found = dominators.setdefault(kinds[b], [])
            if len(found) < _DOMINATORS:
                found.append(b)
        out = dict(g)
        for kind, bs in dominators.items():
            rs = members[kind]
            for b in bs:
                limit = g[b] + tol
                alive = [r for r in rs if r in out] if len(rs) > 1 else rs
                for r, most in zip(alive, self.margin_at(b, alive), strict=True):
                    if g[r] - limit > most and r != b and r != first:
                        del out[r]
        return tuple(sorted(out.items()))

    def margin_at(self, b: int, rs: list[int]) -> list[float]:
        """``margin(b)`` at the right projections ``rs`` only (the same numbers, added up in the same order)."""
        found = self.margins.get(b)
        if found is None:
            # once the bounds asked for at some states add up to as many as there are right projections, they
            # are worked out for all at once, and kept (later steps may ask again)
            asked = self.asked[b] = self.asked.get(b, 0) + len(rs)
            if asked >= self.size or self.size <= _MANY_STATES:
                found = self.margin(b)
        if found is not None:
            return [found[r] for r in rs]
        total: list[float] | None = None
        for ids, most in self.soft:
            part = list(map(most[ids[b]].__getitem__, map(ids.__getitem__, rs)))
            total = part if total is None else list(map(operator.add, total, part))
        return [0.0] * len(rs) if total is None else total

    def low_all(self, rs: list[int]) -> list[float]:
        """``low(r)`` for each r of ``rs`` (the same numbers, added up in the same order), kept for later."""
        lows = self.lows
        missing = [r for r in rs if r not in lows]
        if missing:
            per_link = self.low_lists
            if not per_link:
                # per link, the least it costs from each value class (as ``low`` works them out)
                class_lows = self.class_lows
                for k, (_, tables) in enumerate(self.factors):
                    line = []
                    for c in range(max(self.b_of[k], default=-1) + 1):
                        least = class_lows.get((k, c))
                        if least is None:
                            least = class_lows[(k, c)] = min([table[c] for table in tables])
                        line.append(least)
                    per_link.append(line)
            total = [0.0] * len(missing)
            for b, line in zip(self.b_of, per_link, strict=True):
                total = list(map(operator.add, total, map(line.__getitem__, map(b.__getitem__, missing))))
            lows.update(zip(missing, total, strict=True))
        return [lows[r] for r in rs]


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
    cache = cache_of(problem)
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
    return _Projection(left=lefts, right=rights, l_of=l_of, r_of=r_of)


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
    cache = cache_of(problem)
    layout = cache.layout
    cols = problem._cols()
    n_r, n_l = len(before.right), len(after.left)
    # (the table is never written out whole: its links are tabulated below, each cell counted there)
    counter.spend(transitions=n_r + n_l)
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
        if len(f) <= _MANY_STATES:
            lows, low_of = tin.lows, tin.low
            floor = min([x + (lows[r] if r in lows else low_of(r)) for r, x in f])
        else:
            floor = min(map(operator.add, [x for _, x in f], tin.low_all([r for r, _ in f])))

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
        if packed is not None and len(proj.right) > _DENSE and exact_bounds(tout, local):
            # every state reached is tested against every other by ``prune_all`` in the end, exactly: an
            # assignment the bounds would skip is cheaper to read from the packed sums than to skip
            never = [_INF] * len(proj.right)

            def margin(r: int) -> list[float]:
                return never

    g: dict[int, float] = {}
    choice: dict[int, int] = {}
    best: dict[int, float] = {}
    outdo: dict[int, list[float]] = {}
    worst = _INF
    seen = 0
    if classes == 1:
        # the same scan with one class: one best state, and the bounds against it
        top: float | None = None
        bounds: list[float] = []
        beyond = worst + reach
        # the packed sums read in line (what ``incoming`` does, without a call per assignment)
        inline = packed[0] if packed is not None else None
        for a in local.order:
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
    # a packed step adds whole rows, one per live state and link, and reads one field per assignment seen
    counter.spend(
        transitions=tin.taken * len(tin.factors) if packed is not None else seen * len(f), nodes=seen
    )
    shift = min(g.values(), default=_INF)
    if shift == _INF:
        return _Step(f=(), shift=_INF, choice=choice, before=f, trans=tin)
    # (every cost in g is finite: a state enters it with a cost below _INF)
    if tout is not None:
        states = tout.prune({r: x - shift for r, x in g.items()})
    else:
        states = tuple(sorted([(r, x - shift) for r, x in g.items() if x - shift == 0.0]))
    return _Step(f=states, shift=shift, choice=choice, before=f, trans=tin)
