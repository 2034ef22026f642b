"""The enumeration of one stage: every assignment of its variables that meets its internal hard constraints.

Backtracking with forward checking, most-constrained variable first, on an explicit stack (no recursion). A hard
constraint declared symmetric (its verdict depends only on the multiset of values it reads, as a count or a set
of values does) is asked, as soon as one of its variables gets a value, whether any completion can still
satisfy it: only the multisets the free variables can take need trying, far fewer than their assignments. That
keeps a dense stage (many variables under one count) from trying every assignment only to refuse it at the end.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Hashable
from typing import Any

import attrs

from ._budget import _Budget
from ._prepare import _Prepared, cache_of
from ._problem import Problem

_COMPLETIONS = 20_000
"""The most completions (multisets of values) a stage's enumeration tries to tell whether a symmetric hard
constraint can still hold; past that it goes on as if it could."""


@attrs.define(slots=True)
class _Local:
    """A stage's feasible local assignments (positions into each variable's kept values) and their costs."""

    assignments: list[tuple[int, ...]]
    costs: list[float]
    order: list[int] = attrs.field(factory=list)
    """The local assignments cheapest first (ties in lexicographic order)."""

    dyadic: bool | None = None
    """Whether every cost is a multiple of a power of two no finer than 2**-24 (None: not looked at yet)."""
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


def _enumerate_stage(
    problem: Problem,
    prep: _Prepared,
    variables: list[int],
    internal: list[int],
    interface: tuple[int, ...] | None,
    counter: _Budget,
) -> _Local:
    """Every assignment of a stage's variables that meets its internal hard constraints, with its soft cost.

    Backtracking with forward checking, most-constrained variable first, on an explicit stack (no recursion,
    whatever the number of variables); the result is in lexicographic order of domain positions. A symmetric
    hard constraint with two or more variables still free is asked whether some completion can satisfy it
    (see ``_Completions``). With ``interface`` (positions), only one completion of each feasible assignment of
    those positions is kept: enough when the rest costs nothing and no link reads it.
    """
    if interface is None:
        sparse = _sparse_stage(problem, prep, variables, internal, counter)
        if sparse is not None:
            return sparse
    n = len(variables)
    cache = cache_of(problem)
    layout = cache.layout
    keep = prep.keep
    values = [[problem._domains[v][i] for i in keep[v]] for v in variables]
    ucost = [[prep.ucost[v][i] for i in keep[v]] for v in variables]
    cons: list[tuple[Callable[[list[Any]], Any], tuple[int, ...], Callable[..., Any], bool, float]] = []
    touching: list[list[int]] = [[] for _ in range(n)]
    cols = problem._cols()
    completions = _Completions(problem, prep, variables, values)
    checked: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    """Per position, the symmetric hard constraints on it that completions can check (index, posted index)."""
    for ci in internal:
        positions = tuple([layout.local_pos[v] for v in cols.scopes[ci]])
        distinct = tuple(dict.fromkeys(positions))
        for p in distinct:
            touching[p].append(len(cons))
        if cols.hards[ci] and ci in problem._symmetric and len(distinct) == len(positions) > 2:
            for p in distinct:
                checked[p].append((len(cons), ci))
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
    # steps are counted here and handed to the budget at the end, or as soon as they pass what it has left
    room = counter.room()
    spent = 0

    def over() -> None:
        nonlocal spent, room
        counter.spend(nodes=spent)
        spent = 0
        room = counter.room()

    # the open nodes, innermost last: [variable, its values to try, next one, domains, cost, depth, found]
    stack: list[list[Any]] = []

    def node(domains: list[list[int]], depth: int, cost: float) -> bool | None:
        """Open a node: whether it found a complete assignment when it settles at once (the last variable, or
        none), None when it goes on the stack."""
        nonlocal spent
        spent += 1
        if spent > room:
            over()
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
        dom = domains[var]
        if depth + 1 < n:
            for k in touching[var]:
                free_count[k] -= 1
            stack.append([var, dom, 0, domains, cost, depth, False])
            return None
        # the last variable: every constraint on it has its scope assigned, the hard ones were checked forward,
        # so each value left is a complete assignment; its soft constraints add their costs in posted order
        if depth >= border:
            dom = dom[:1]
        spent += len(dom)
        if spent > room:
            over()
        costs = ucost[var]
        softs = softs_of[var]
        if not softs:
            for i in dom:
                chosen[var] = i
                out.append((tuple(chosen), cost + costs[i]))
        else:
            vals = values[var]
            for i in dom:
                chosen[var] = i
                current[var] = vals[i]
                extra = costs[i]
                for weight, fn, read in softs:
                    extra += weight * fn(*read(current))
                out.append((tuple(chosen), cost + extra))
        chosen[var] = -1
        current[var] = None
        return bool(dom)

    returned = node([list(range(len(v))) for v in values], 0, 0.0)
    while stack:
        frame = stack[-1]
        var, dom, at, domains, cost, depth, found = frame
        if returned is not None:
            # a child settled
            found = frame[6] = returned or found
            returned = None
            if found and depth >= border:
                at = len(dom)
        vals = values[var]
        costs = ucost[var]
        mine = touching[var]
        opened = False
        while at < len(dom):
            i = dom[at]
            at += 1
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
                        over()
                    narrowed[free] = kept
                    if not kept:
                        break
            else:
                hopeless = False
                for k, ci in checked[var]:
                    if free_count[k] >= 2:
                        possible, tried = completions.possible(ci, c_distinct[k], chosen, current)
                        spent += tried
                        if spent > room:
                            over()
                        if not possible:
                            hopeless = True
                            break
                if hopeless:
                    continue
                frame[2] = at
                returned = node(narrowed if narrowed is not None else domains, depth + 1, cost + extra)
                opened = True
                break
        if opened:
            continue
        # every value tried: close the node
        for k in mine:
            free_count[k] += 1
        chosen[var] = -1
        current[var] = None
        stack.pop()
        returned = found
    counter.spend(nodes=spent)
    out.sort(key=operator.itemgetter(0))
    counter.spend(local=len(out))
    return _Local(assignments=[a for a, _ in out], costs=[c for _, c in out])


class _Completions:
    """Whether a symmetric hard constraint can still hold once some of its variables have values.

    A symmetric constraint's verdict depends only on the multiset of the values it reads, so the completions of a
    partial assignment that matter are the multisets the free variables can take: for each group of free
    variables with the same kept values, the multisets of that group's size over those values. They are tried
    one by one (up to ``_COMPLETIONS`` of them; past that the answer is "perhaps", which prunes nothing), and the
    answer is kept per constraint (by its key when it has one), multiset of values given and kept values of the
    free variables, for every stage of the problem that asks the same.
    """

    def __init__(
        self, problem: Problem, prep: _Prepared, variables: list[int], values: list[list[Any]]
    ) -> None:
        cache = cache_of(problem)
        self.problem = problem
        self.known = cache.completions
        self.values = values
        intern = cache.intern
        keep, domain_ids = prep.keep, problem._domain_ids
        # per position, an int for each kept value (equal for equal values of the same type) and one for its
        # kept values as a whole
        self.value_ids = [[intern(("value", type(x), x)) for x in vals] for vals in values]
        self.domain_sigs = [intern(("kept", domain_ids[v], tuple(keep[v]))) for v in variables]

    def possible(
        self, ci: int, positions: tuple[int, ...], chosen: list[int], current: list[Any]
    ) -> tuple[bool, int]:
        """Whether some completion of the values given at ``positions`` meets constraint ``ci``, and how many
        completions were tried to tell."""
        given: list[int] = []
        free: list[int] = []
        for p in positions:
            i = chosen[p]
            if i >= 0:
                given.append(self.value_ids[p][i])
            else:
                free.append(self.domain_sigs[p])
        problem = self.problem
        key = problem._keys[ci]
        ident = ("ci", ci) if key is None else ("key", key)
        known = (ident, tuple(sorted(given)), tuple(sorted(free)))
        found = self.known.get(known)
        if found is not None:
            return found, 0
        fn = problem._functions[ci]
        fixed = [current[p] for p in positions if chosen[p] >= 0]
        groups: dict[int, list[int]] = {}
        for p in positions:
            if chosen[p] < 0:
                groups.setdefault(self.domain_sigs[p], []).append(p)
        parts = [(self.values[ps[0]], len(ps)) for ps in groups.values()]
        count = math.prod([math.comb(size + len(vals) - 1, size) for vals, size in parts])
        if count > _COMPLETIONS:
            return True, 0
        tried = 0
        result = False
        for combo in itertools.product(
            *[itertools.combinations_with_replacement(vals, size) for vals, size in parts]
        ):
            tried += 1
            if fn(*fixed, *itertools.chain.from_iterable(combo)):
                result = True
                break
        self.known[known] = result
        return result, tried


_SPARSE_WIDTH = 8
"""The fewest variables a stage enumerated by its exceptions has: narrower stages are as quick to backtrack
through (and the multisets of values to try first would cost more than they save)."""

_SPARSE_GAIN = 4
"""The sparse enumeration is taken when it tries at most this fraction of the assignments the symmetric
constraint alone would leave to backtracking (counted as if every position had the largest kept domain)."""


def _sparse_stage(
    problem: Problem,
    prep: _Prepared,
    variables: list[int],
    internal: list[int],
    counter: _Budget,
) -> _Local | None:
    """A stage's enumeration by its few exceptions, when a symmetric hard constraint over all its variables holds
    only while most of them keep one common value (the *default*); None when no constraint does that.

    Which multisets the symmetric constraint accepts is asked once per multiset (few: the values are few). If
    every accepted multiset holds the default at least ``n - k`` times, a feasible assignment is the default
    everywhere but at ``k`` or fewer positions, which are chosen in increasing order and given other values:
    the assignments tried are those few, not the product of the domains. The other hard constraints are checked
    as soon as they are settled: when the last position of their scope has been passed (the positions not
    chosen keep the default), or, for those still open, once the positions are all chosen. Each assignment's
    cost is its positions' unary costs in position order, then its soft constraints in the order posted. The
    result is what :func:`_enumerate_stage` returns: the same assignments, in the same order.
    """
    n = len(variables)
    if n < _SPARSE_WIDTH:
        return None
    cache = cache_of(problem)
    layout = cache.layout
    cols = problem._cols()
    keep = prep.keep
    local_pos = layout.local_pos
    symmetric = problem._symmetric
    # the symmetric hard constraint over every position of the stage, each read once
    anchor = -1
    for ci in internal:
        if cols.hards[ci] and ci in symmetric:
            scope = cols.scopes[ci]
            if len(scope) == n and len({local_pos[v] for v in scope}) == n:
                anchor = ci
                break
    if anchor < 0:
        return None
    values = [[problem._domains[v][i] for i in keep[v]] for v in variables]
    intern = cache.intern
    # every value as a small int, the same for equal values of the same type in any position
    ids = [[intern(("value", type(x), x)) for x in vals] for vals in values]
    union = sorted({i for row in ids for i in row})
    if any(not row for row in ids):
        return _Local(assignments=[], costs=[])
    m = len(union)
    if math.comb(n + m - 1, m - 1) > _COMPLETIONS:
        return None
    sample: dict[int, Any] = {}
    for row, vals in zip(ids, values, strict=True):
        for i, x in zip(row, vals, strict=True):
            sample.setdefault(i, x)
    fn = cols.functions[anchor]
    counter.spend(nodes=math.comb(n + m - 1, m - 1))
    accepted: list[tuple[int, ...]] = []
    for combo in itertools.combinations_with_replacement(range(m), n):
        if fn(*[sample[union[j]] for j in combo]):
            counts = [0] * m
            for j in combo:
                counts[j] += 1
            accepted.append(tuple(counts))
    if not accepted:
        return _Local(assignments=[], costs=[])
    # the default: the value every accepted multiset holds most often at the least (the first such value)
    least = [min(c[j] for c in accepted) for j in range(m)]
    d = max(range(m), key=lambda j: (least[j], -j))
    most = n - least[d]
    default = union[d]
    where: list[int] = []
    for row in ids:
        if default not in row:
            return None
        where.append(row.index(default))
    width = max(len(row) for row in ids)
    tried = sum(math.comb(n, k) * (width - 1) ** k for k in range(most + 1))
    if tried * _SPARSE_GAIN > width**n:
        return None
    # the counts of the other values that can still grow into an accepted multiset
    others = [j for j in range(m) if j != d]
    viable: set[tuple[int, ...]] = set()
    for c in accepted:
        for part in itertools.product(*[range(c[j] + 1) for j in others]):
            viable.add(part)
    ok = {tuple([c[j] for j in others]) for c in accepted}
    slot_of = {union[j]: k for k, j in enumerate(others)}
    # the other internal constraints, by position: the hard ones settled when their last position is passed,
    # those open then, and every soft one with its cost when no position of its scope leaves the default
    hard_at: list[list[int]] = [[] for _ in range(n)]
    open_at: list[list[int]] = [[] for _ in range(n)]
    soft: list[int] = []
    reads: dict[int, tuple[int, ...]] = {}
    spots: dict[int, frozenset[int]] = {}
    blocking: list[int] = []
    """The hard constraints that the default everywhere on their scope breaks."""
    base = [vals[w] for vals, w in zip(values, where, strict=True)]
    verdicts: dict[tuple[int, tuple[Any, ...]], Any] = {}

    def judge(ci: int, current: list[Any]) -> Any:
        args = tuple([current[p] for p in reads[ci]])
        found = verdicts.get((ci, args))
        if found is None:
            found = verdicts[(ci, args)] = cols.functions[ci](*args)
            counter.spend(nodes=1)
        return found

    for ci in internal:
        if ci == anchor:
            continue
        positions = tuple([local_pos[v] for v in cols.scopes[ci]])
        reads[ci] = positions
        spots[ci] = frozenset(positions)
        if not cols.hards[ci]:
            soft.append(ci)
            continue
        if not judge(ci, base):
            blocking.append(ci)
        last = max(positions)
        hard_at[last].append(ci)
        for p in set(positions):
            if p != last:
                open_at[p].append(ci)
    ucost = [[prep.ucost[v][i] for i in keep[v]] for v in variables]
    # (adding +0.0 to a sum that starts at +0.0 changes nothing: the rows of zeros are left out)
    costly = [p for p in range(n) if any(x != 0.0 or math.copysign(1.0, x) < 0 for x in ucost[p])]
    # With every unary cost a multiple of one power of two, 2**-24 or coarser, and small enough that any sum
    # of them stays below 2**52 such units, the sums are exact in any order: the sum at the default once, then
    # per exception its difference from the default (the same number as adding them up position by position).
    distinct = {x for p in costly for x in ucost[p]}
    exact = all(map(math.isfinite, distinct))
    if exact and distinct:
        finest = max([x.as_integer_ratio()[1] for x in distinct])
        largest = max(map(abs, distinct))
        exact = finest <= 1 << 24 and largest * finest * (len(costly) + 1) < 2.0**52
    at_default = 0.0
    for p in costly:
        at_default += ucost[p][where[p]]
    apart = [[x - row[w] for x in row] for row, w in zip(ucost, where, strict=True)]
    # An open constraint over two positions, q and a later o, is settled when o is chosen; with o left at the
    # default it holds or not whatever else is chosen: worked out once per value of q.
    pairs_failing: list[list[list[int]]] = [[[] for _ in row] for row in ids]
    wider: list[list[int]] = [[] for _ in range(n)]
    for q in range(n):
        for ci in open_at[q]:
            if len(spots[ci]) != 2:
                wider[q].append(ci)
                continue
            (o,) = spots[ci] - {q}
            for at in range(len(ids[q])):
                current = list(base)
                current[q] = values[q][at]
                if not judge(ci, current):
                    pairs_failing[q][at].append(o)
    # A settled constraint over two positions, an earlier o and p, breaks with o at the default or not whatever
    # else is chosen (worked out once per value of p); with o chosen too, per pair of values.
    alone_failing: list[list[list[int]]] = [[[] for _ in row] for row in ids]
    between: dict[tuple[int, int], list[int]] = {}
    settled_wider: list[list[int]] = [[] for _ in range(n)]
    for p in range(n):
        for ci in hard_at[p]:
            if len(spots[ci]) != 2:
                settled_wider[p].append(ci)
                continue
            (o,) = spots[ci] - {p}
            between.setdefault((o, p), []).append(ci)
            for at in range(len(ids[p])):
                current = list(base)
                current[p] = values[p][at]
                if not judge(ci, current):
                    alone_failing[p][at].append(o)
    pair_verdicts: dict[tuple[int, int, int], Any] = {}
    # a symmetric soft constraint over every position costs what the counts of values say
    by_counts = {ci for ci in soft if ci in symmetric and len(cols.scopes[ci]) == n and len(spots[ci]) == n}
    soft_costs: dict[tuple[int, tuple[int, ...]], float] = {}
    weights = cols.weights
    current = list(base)
    chosen = list(where)
    support: list[int] = []
    counts = [0] * len(others)
    out: list[tuple[tuple[int, ...], float]] = []
    room = counter.room()
    spent = 0

    def emit() -> None:
        nonlocal spent, room
        if tuple(counts) not in ok:
            return
        for p in support:
            for o in pairs_failing[p][chosen[p]]:
                if o not in support:
                    return
            for ci in wider[p]:
                if not judge(ci, current):
                    return
        if blocking:
            taken = set(support)
            for ci in blocking:
                if taken.isdisjoint(spots[ci]):
                    return
        if exact:
            cost = at_default
            for p in support:
                cost += apart[p][chosen[p]]
        else:
            cost = 0.0
            for p in costly:
                cost += ucost[p][chosen[p]]
        key = tuple(counts)
        for ci in soft:
            if ci in by_counts:
                found = soft_costs.get((ci, key))
                if found is None:
                    found = soft_costs[(ci, key)] = weights[ci] * judge(ci, current)
                cost += found
            else:
                cost += weights[ci] * judge(ci, current)
        out.append((tuple(chosen), cost))
        spent += 1
        if spent > room:
            counter.spend(nodes=spent)
            spent = 0
            room = counter.room()

    # the exceptions are chosen in increasing order of position on an explicit stack: per depth, the next
    # position to try and the next value there; every node is an assignment (the default everywhere else)
    def settles(p: int, at: int) -> bool:
        """Whether the hard constraints whose last position is p hold with value ``at`` there."""
        for o in alone_failing[p][at]:
            if chosen[o] == where[o]:
                return False
        for q in support:
            for ci in between.get((q, p), ()):
                known = (ci, chosen[q], at)
                found = pair_verdicts.get(known)
                if found is None:
                    found = pair_verdicts[known] = bool(judge(ci, current))
                if not found:
                    return False
        return all(judge(ci, current) for ci in settled_wider[p])

    # every exception a position can take, position by position, and where each position's moves begin
    moves: list[tuple[int, int, int, Any]] = []
    first_move: list[int] = []
    for p in range(n):
        first_move.append(len(moves))
        for at, i in enumerate(ids[p]):
            if at != where[p]:
                moves.append((p, at, slot_of[i], values[p][at]))
    first_move.append(len(moves))
    emit()
    # per depth, the next move to try
    stack: list[int] = [0] if most else []
    end = len(moves)
    while stack:
        k = stack[-1]
        if k >= end:
            stack.pop()
            if support:
                q = support.pop()
                counts[slot_of[ids[q][chosen[q]]]] -= 1
                current[q] = base[q]
                chosen[q] = where[q]
            continue
        stack[-1] = k + 1
        p, at, j, value = moves[k]
        counts[j] += 1
        spent += 1
        if spent > room:
            counter.spend(nodes=spent)
            spent = 0
            room = counter.room()
        if tuple(counts) in viable:
            chosen[p] = at
            current[p] = value
            # the hard constraints whose last position is p are settled now
            if settles(p, at):
                support.append(p)
                emit()
                if len(support) < most:
                    stack.append(first_move[p + 1])
                    continue
                support.pop()
            chosen[p] = where[p]
            current[p] = base[p]
        counts[j] -= 1
    counter.spend(nodes=spent)
    out.sort(key=operator.itemgetter(0))
    counter.spend(local=len(out))
    return _Local(assignments=[a for a, _ in out], costs=[c for _, c in out])
