"""The generic solver: optimal like brute force, explains conflicts minimally, bounded, deterministic."""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipplan.errors import BudgetExceeded
from hipplan.solver import (
    DEFAULT_BUDGET,
    NoSolution,
    Problem,
    brute_force,
    is_feasible,
    minimal_conflict,
    solve,
)

VALUES: list[Hashable] = [0, 1, 2, None, "x", ("a", 1)]
GROUPS = ["a", "b", "c", "d", "e"]


# --- random problems as plain data, so that they can be checked without the solver --------------------------


@attrs.frozen
class Table:
    """A constraint as a table: hard ones list the allowed value tuples, soft ones a cost per tuple."""

    scope: tuple[int, ...]
    allowed: frozenset[tuple[Hashable, ...]] = frozenset()
    costs: tuple[tuple[tuple[Hashable, ...], float], ...] = ()
    group: str = "soft"
    weight: float = 1.0
    keyed: bool = True

    def holds(self, values: Sequence[Hashable]) -> bool:
        return tuple(values[i] for i in self.scope) in self.allowed

    def cost(self, values: Sequence[Hashable]) -> float:
        return self.weight * dict(self.costs).get(tuple(values[i] for i in self.scope), 0.0)


@attrs.frozen
class Spec:
    """A random problem: domains, stages, hard tables and soft tables."""

    domains: tuple[tuple[Hashable, ...], ...]
    stages: tuple[int, ...]
    hard: tuple[Table, ...]
    soft: tuple[Table, ...]

    def build(
        self, *, keys: bool = True, groups: Sequence[str] | None = None, general: bool = False
    ) -> Problem:
        """The problem; ``general`` adds a zero cost over the first and last variable, which breaks the stage
        condition when they are more than one stage apart (so branch and bound solves it)."""
        problem = Problem()
        for i, (domain, stage) in enumerate(zip(self.domains, self.stages, strict=True)):
            problem.variable(i, domain, stage=stage)
        for t in self.hard:
            if groups is not None and t.group not in groups:
                continue
            problem.require(
                t.scope,
                lambda *vals, ok=t.allowed: vals in ok,
                group=t.group,
                key=("table", t.allowed) if keys and t.keyed else None,
            )
        for t in self.soft:
            problem.prefer(
                t.scope,
                lambda *vals, c=dict(t.costs): c.get(vals, 0.0),
                weight=t.weight,
                key=("costs", t.costs) if keys and t.keyed else None,
            )
        if general:
            problem.prefer([0, len(self.domains) - 1], lambda x, y: 0.0)
        return problem

    def feasible(self, values: Sequence[Hashable], groups: Sequence[str] | None = None) -> bool:
        return all(t.holds(values) for t in self.hard if groups is None or t.group in groups)

    def cost(self, values: Sequence[Hashable]) -> float:
        return sum(t.cost(values) for t in self.soft)

    def optimum(self, groups: Sequence[str] | None = None) -> float | None:
        """The least cost over every assignment, computed here without the solver (None: infeasible)."""
        costs = [self.cost(v) for v in itertools.product(*self.domains) if self.feasible(v, groups)]
        return min(costs) if costs else None


@st.composite
def tables(
    draw: st.DrawFn, domains: tuple[tuple[Hashable, ...], ...], windows: list[list[int]], hard: bool
) -> Table:
    window = draw(st.sampled_from(windows))
    scope = tuple(draw(st.lists(st.sampled_from(window), min_size=0 if hard else 1, max_size=3)))
    combos = list(itertools.product(*(domains[i] for i in scope)))
    keyed = draw(st.booleans())
    if hard:
        # mostly permissive tables, so that both feasible and infeasible problems come up
        marks = draw(st.lists(st.integers(0, 3), min_size=len(combos), max_size=len(combos)))
        allowed = frozenset(c for c, m in zip(combos, marks, strict=True) if m)
        return Table(scope=scope, allowed=allowed, group=draw(st.sampled_from(GROUPS)), keyed=keyed)
    values = draw(st.lists(st.integers(-2, 5), min_size=len(combos), max_size=len(combos)))
    costs = tuple((c, float(v)) for c, v in zip(combos, values, strict=True) if v)
    return Table(scope=scope, costs=costs, weight=draw(st.sampled_from([1.0, 2.0, 0.5])), keyed=keyed)


@st.composite
def specs(draw: st.DrawFn, max_vars: int = 6, chain: bool | None = None, per_stage: int = 2) -> Spec:
    n = draw(st.integers(1, max_vars))
    domains = tuple(
        tuple(draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3, unique=True))) for _ in range(n)
    )
    if chain is None:
        chain = draw(st.booleans())
    if chain:
        # two variables per stage (with gaps between stage numbers) and scopes within three neighbours: the
        # stage condition holds, so the stage-wise dynamic programme runs
        gap = draw(st.sampled_from([1, 3]))
        stages = tuple(gap * (i // per_stage) for i in range(n))
        windows = [list(range(i, min(n, i + per_stage + 1))) for i in range(n)]
    else:
        stages = tuple(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
        windows = [list(range(n))]
    hard = tuple(draw(st.lists(tables(domains, windows, True), max_size=5)))
    soft = tuple(draw(st.lists(tables(domains, windows, False), max_size=4)))
    return Spec(domains=domains, stages=stages, hard=hard, soft=soft)


def values_of(problem: Problem, assignment: Any) -> list[Hashable]:
    return [assignment[name] for name in problem.variables]


# --- optimality against brute force -------------------------------------------------------------------------


@given(specs())
def test_solve_matches_brute_force(spec: Spec) -> None:
    """solve() finds the brute-force optimum and keeps every hard table; NoSolution exactly when none."""
    problem = spec.build()
    expected = spec.optimum()
    try:
        reference = brute_force(problem)
    except NoSolution:
        reference = None
    assert (reference is None) == (expected is None)
    if expected is None:
        with pytest.raises(NoSolution):
            solve(problem)
        return
    assert reference is not None
    assert math.isclose(reference.cost, expected, abs_tol=1e-9)
    solution = solve(problem)
    values = values_of(problem, solution.assignment)
    assert all(v in d for v, d in zip(values, spec.domains, strict=True))
    assert spec.feasible(values)
    assert math.isclose(solution.cost, expected, abs_tol=1e-9)
    assert math.isclose(spec.cost(values), expected, abs_tol=1e-9)


@given(specs(chain=True))
def test_stage_programme_matches_brute_force(spec: Spec) -> None:
    """On problems with stage structure (the dynamic programme's path) the optimum equals brute force's."""
    problem = spec.build()
    expected = spec.optimum()
    if expected is None:
        with pytest.raises(NoSolution):
            solve(problem)
    else:
        solution = solve(problem)
        assert spec.feasible(values_of(problem, solution.assignment))
        assert math.isclose(solution.cost, expected, abs_tol=1e-9)


@given(specs(max_vars=12, chain=True, per_stage=3))
def test_stage_programme_matches_branch_and_bound(spec: Spec) -> None:
    """On larger problems with stage structure, the dynamic programme and branch and bound agree."""
    try:
        staged = solve(spec.build())
    except NoSolution:
        with pytest.raises(NoSolution):
            solve(spec.build(general=True))
        return
    general = solve(spec.build(general=True))
    assert spec.feasible(values_of(spec.build(), staged.assignment))
    assert math.isclose(staged.cost, general.cost, abs_tol=1e-9)


@given(specs(), st.sets(st.sampled_from(GROUPS)))
def test_is_feasible_matches_brute_force(spec: Spec, groups: set[str]) -> None:
    """is_feasible(groups) answers for the hard constraints of those groups only, as brute force does."""
    chosen = sorted(groups)
    problem = spec.build()
    assert is_feasible(problem, groups=chosen) == (spec.optimum(chosen) is not None)
    assert is_feasible(problem) == (spec.optimum() is not None)


@given(specs())
def test_keys_do_not_change_the_answer(spec: Spec) -> None:
    """Sharing work between look-alike constraints (keys) gives the same optimum as sharing nothing."""
    with_keys, without = spec.build(keys=True), spec.build(keys=False)
    try:
        a = solve(with_keys)
    except NoSolution:
        with pytest.raises(NoSolution):
            solve(without)
        return
    b = solve(without)
    assert math.isclose(a.cost, b.cost, abs_tol=1e-9)


@st.composite
def repeated_weeks(draw: st.DrawFn) -> Spec:
    """Weeks that look alike: the same domains and the same tables at the same places every week (links between
    neighbouring weeks too), the variables declared in any order; sometimes one week is made different."""
    per = draw(st.integers(1, 3))
    weeks = draw(st.integers(2, 9 // per))
    n = per * weeks
    # variable i is the slot i % per of week i // per, declared at position order[i]
    order = draw(st.permutations(range(n)))
    week_of = [0] * n
    slot_of = [0] * n
    for i in range(n):
        week_of[order[i]], slot_of[order[i]] = divmod(i, per)
    base = [
        tuple(draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3, unique=True)))
        for _ in range(per)
    ]
    domains = [base[slot_of[v]] for v in range(n)]
    odd = draw(st.none() | st.integers(0, n - 1))
    if odd is not None:
        domains[odd] = tuple(draw(st.lists(st.sampled_from(VALUES), min_size=1, max_size=3, unique=True)))
    var = {(week_of[v], slot_of[v]): v for v in range(n)}
    # tables drawn on one week (or one pair of weeks, offsets 0 and 1) and repeated
    places = [(0, s) for s in range(per)] + [(1, s) for s in range(per)]
    hard: list[Table] = []
    soft: list[Table] = []
    for is_hard in (True, False):
        for _ in range(draw(st.integers(0, 3))):
            where = draw(st.lists(st.sampled_from(places), min_size=1, max_size=3))
            first = 0 if all(w == 0 for w, _ in where) else 1
            combos = list(itertools.product(*(base[s] for _, s in where)))
            if is_hard:
                marks = draw(st.lists(st.integers(0, 3), min_size=len(combos), max_size=len(combos)))
                allowed = frozenset(c for c, m in zip(combos, marks, strict=True) if m)
                group = draw(st.sampled_from(GROUPS))
            else:
                values = draw(st.lists(st.integers(-2, 5), min_size=len(combos), max_size=len(combos)))
                costs = tuple((c, float(x)) for c, x in zip(combos, values, strict=True) if x)
                weight = draw(st.sampled_from([1.0, 2.0, 0.5]))
            # mostly posted every week; sometimes for one week (or one pair of weeks) only
            only = draw(st.sampled_from([None, None, None, *range(first, weeks)]))
            for w in range(first, weeks) if only is None else [only]:
                scope = tuple(var[(w - first + dw, s)] for dw, s in where)
                if is_hard:
                    hard.append(Table(scope=scope, allowed=allowed, group=group))
                else:
                    soft.append(Table(scope=scope, costs=costs, weight=weight))
    if draw(st.booleans()):
        # one week (or one variable) gets a rule of its own
        v = draw(st.integers(0, n - 1))
        hard.append(Table(scope=(v,), allowed=frozenset((x,) for x in domains[v][1:]), keyed=False))
    stages = tuple(3 * week_of[v] + 1 for v in range(n))
    return Spec(domains=tuple(domains), stages=stages, hard=tuple(hard), soft=tuple(soft))


@given(repeated_weeks())
def test_look_alike_weeks_match_brute_force_and_sharing_nothing(spec: Spec) -> None:
    """Weeks that look alike (shared enumerations, links, steps) give the brute-force optimum, and the very same
    assignment as the problem posted without keys (nothing shared)."""
    expected = spec.optimum()
    shared, alone = spec.build(keys=True), spec.build(keys=False)
    if expected is None:
        for problem in (shared, alone):
            with pytest.raises(NoSolution):
                solve(problem)
        return
    a, b = solve(shared), solve(alone)
    assert spec.feasible(values_of(shared, a.assignment))
    assert math.isclose(a.cost, expected, abs_tol=1e-9)
    assert (a.assignment, a.cost) == (b.assignment, b.cost)


@given(
    st.integers(3, 6),
    st.lists(st.integers(0, 4), min_size=9, max_size=9),
    st.lists(st.integers(0, 4), min_size=3, max_size=3),
    st.lists(st.integers(0, 4), min_size=3, max_size=3),
)
def test_chain_of_like_weeks_with_a_different_start(
    weeks: int, link: list[int], every: list[int], start: list[int]
) -> None:
    """One variable a week, the same link and costs every week but the first: the live states change from week
    to week before they settle, and the optimum is still brute force's."""
    domain = (0, 1, 2)
    table = {(x, y): float(link[3 * x + y]) for x in domain for y in domain}
    hard = tuple(
        Table(scope=(w, w + 1), allowed=frozenset(k for k, c in table.items() if c < 4), group="a")
        for w in range(weeks - 1)
    )
    soft = (
        *(Table(scope=(w, w + 1), costs=tuple(table.items())) for w in range(weeks - 1)),
        *(Table(scope=(w,), costs=tuple(((x,), float(every[x])) for x in domain)) for w in range(1, weeks)),
        Table(scope=(0,), costs=tuple(((x,), float(start[x])) for x in domain)),
    )
    spec = Spec(domains=(domain,) * weeks, stages=tuple(range(weeks)), hard=hard, soft=soft)
    expected = spec.optimum()
    if expected is None:
        with pytest.raises(NoSolution):
            solve(spec.build())
        return
    a, b = solve(spec.build()), solve(spec.build(keys=False))
    assert math.isclose(a.cost, expected, abs_tol=1e-9)
    assert (a.assignment, a.cost) == (b.assignment, b.cost)


def test_look_alike_links_that_do_different_things() -> None:
    """Links over the same positions but with different rules between different weeks are not confused."""
    p = Problem()
    for w in range(4):
        p.variable(w, [0, 1, 2], stage=w)
    p.prefer([0], lambda x: float(x))
    for w in range(3):
        if w == 1:
            p.require([w, w + 1], lambda x, y: y == x, group="g", key="same")
        else:
            p.require([w, w + 1], lambda x, y: y == (x + 1) % 3, group="g", key="next")
    solution = solve(p)
    assert solution.assignment == {0: 0, 1: 1, 2: 1, 3: 2}
    assert solution.cost == brute_force(p).cost == 0.0


@given(repeated_weeks(), st.sets(st.sampled_from(GROUPS)))
def test_look_alike_weeks_feasibility_by_groups(spec: Spec, groups: set[str]) -> None:
    """On weeks that look alike, is_feasible for any groups answers as brute force does, asked in any order."""
    problem = spec.build()
    chosen = sorted(groups)
    assert is_feasible(problem, groups=chosen) == (spec.optimum(chosen) is not None)
    assert is_feasible(problem) == (spec.optimum() is not None)
    assert is_feasible(problem, groups=chosen) == (spec.optimum(chosen) is not None)


@given(specs(max_vars=8))
def test_budget_is_exact(spec: Spec) -> None:
    """A solve that takes n steps succeeds with a budget of n and raises BudgetExceeded with n - 1."""
    problem = spec.build()
    try:
        solution = solve(problem)
    except NoSolution as e:
        steps = e.nodes
        if steps > 1:
            with pytest.raises(BudgetExceeded):
                solve(spec.build(), budget=steps - 1)
        with pytest.raises(NoSolution):
            solve(spec.build(), budget=steps)
        return
    assert solve(spec.build(), budget=solution.nodes).assignment == solution.assignment
    if solution.nodes > 1:
        with pytest.raises(BudgetExceeded):
            solve(spec.build(), budget=solution.nodes - 1)


# --- conflicts ----------------------------------------------------------------------------------------------


@given(specs())
def test_minimal_conflict_is_infeasible_and_minimal(spec: Spec) -> None:
    """The groups returned cannot hold together, and dropping any one of them makes the rest feasible."""
    problem = spec.build()
    if spec.optimum() is not None:
        with pytest.raises(ValueError, match="feasible"):
            minimal_conflict(problem)
        return
    conflict = minimal_conflict(problem)
    assert list(conflict) == sorted(set(conflict))
    assert set(conflict) <= set(problem.groups)
    assert spec.optimum(conflict) is None
    assert not is_feasible(problem, groups=conflict)
    for group in conflict:
        rest = [g for g in conflict if g != group]
        assert spec.optimum(rest) is not None
        assert is_feasible(problem, groups=rest)


def test_minimal_conflict_example() -> None:
    """Two groups that clash are reported; a third group that plays no part is left out."""
    p = Problem()
    p.variable("mon", ["rest", "train"], stage=0)
    p.variable("tue", ["rest", "train"], stage=0)
    p.require(["mon", "tue"], lambda a, b: (a, b) != ("train", "train"), group="recovery")
    p.require(["mon"], lambda a: a == "train", group="monday")
    p.require(["tue"], lambda a: a == "train", group="tuesday")
    p.require(["mon", "tue"], lambda a, b: True, group="harmless")
    assert minimal_conflict(p) == ("monday", "recovery", "tuesday")


def test_empty_domain_is_a_conflict_of_no_group() -> None:
    """A variable with no value makes the problem infeasible whatever the groups: the conflict is empty."""
    p = Problem()
    p.variable("x", [])
    p.require(["x"], lambda x: True, group="a")
    assert not is_feasible(p)
    assert minimal_conflict(p) == ()
    with pytest.raises(NoSolution):
        solve(p)


# --- budget and determinism ---------------------------------------------------------------------------------


def weekly(
    weeks: int, *, keys: bool = True, wide: bool = False, days: Sequence[int] = (0, 1, 3, 4, 6)
) -> Problem:
    """A planner-shaped problem: five sessions a week, 1 to 3 slots a week, no two hard slots on neighbouring
    days (across the week boundary too), the same slot week to week preferred, two slots a week preferred."""
    options: list[Hashable] = [
        ("finisher", "dumbbell"),
        ("finisher", "bodyweight"),
        ("warm-up", "bodyweight"),
        None,
    ]
    p = Problem()
    for w in range(weeks):
        for d in days:
            p.variable((w, d), options, stage=w)

    def hard(x: Hashable) -> bool:
        return x is not None and x[0] != "warm-up"  # type: ignore[index]

    for w in range(weeks):
        cells = [(w, d) for d in days]
        p.require(
            cells,
            lambda *xs: 1 <= sum(x is not None for x in xs) <= 3,
            group="exposures",
            key=("exposures", 1, 3) if keys else None,
        )
        p.require(
            [(w, days[1])],
            lambda x: x != ("finisher", "dumbbell"),
            group="kit",
            key=("kit",) if keys else None,
        )
        p.prefer(
            cells,
            lambda *xs: abs(sum(x is not None for x in xs) - 2),
            weight=3.0,
            key=("preferred", 2) if keys else None,
        )
        p.prefer([(w, days[0])], lambda x: x != ("warm-up", "bodyweight"), key=("goal",) if keys else None)
        for a, b in itertools.pairwise(days):
            if b - a < 2:
                p.require(
                    [(w, a), (w, b)],
                    lambda x, y: not (hard(x) and hard(y)),
                    group="recovery",
                    key=("recovery",) if keys else None,
                )
        if w + 1 < weeks:
            p.require(
                [(w, days[-1]), (w + 1, days[0])],
                lambda x, y: not (hard(x) and hard(y)),
                group="recovery",
                key=("recovery",) if keys else None,
            )
            for d in days:
                p.prefer(
                    [(w, d), (w + 1, d)],
                    lambda x, y: float(x != y),
                    weight=2.0,
                    key=("same",) if keys else None,
                )
    if wide:
        # a zero-cost constraint over the first and last week breaks the stage condition
        p.prefer([(0, days[0]), (weeks - 1, days[0])], lambda x, y: 0.0)
    return p


def test_identical_stages_share_work_and_agree() -> None:
    """Many identical weeks solve to the same optimum and assignment with keys (shared work) as without."""
    with_keys = solve(weekly(8))
    without = solve(weekly(8, keys=False))
    assert with_keys.cost == without.cost
    assert with_keys.assignment == without.assignment
    assert with_keys.nodes < without.nodes


def test_stage_programme_agrees_with_branch_and_bound() -> None:
    """The dynamic programme and the branch and bound (forced by a constraint spanning all weeks) agree."""
    staged = solve(weekly(3))
    general = solve(weekly(3, wide=True))
    assert staged.cost == general.cost


def test_negative_costs() -> None:
    """Negative soft costs (rewards) are minimised like any others, across stages too."""
    spec = Spec(
        domains=((0, 1), (0, 1), (0, 1), (0,), (0,)),
        stages=(2, 3, 0, 0, 2),
        hard=(),
        soft=(
            Table(scope=(0, 1), keyed=False),
            Table(scope=(2, 4), costs=(((1, 0), -1.0),), weight=2.0, keyed=False),
        ),
    )
    assert solve(spec.build()).cost == spec.optimum() == -2.0


def test_weekly_example_matches_brute_force() -> None:
    """On small planner-shaped problems the optimum equals the brute-force optimum, with or without stages."""
    for weeks, days in ((2, (0, 1, 6)), (3, (0, 6))):
        expected = brute_force(weekly(weeks, days=days)).cost
        assert solve(weekly(weeks, days=days)).cost == expected
        assert solve(weekly(weeks, days=days, wide=True)).cost == expected


def test_tiny_budget_raises_quickly() -> None:
    """A budget too small for the problem ends the search with BudgetExceeded saying what was explored."""
    for problem in (weekly(52), weekly(6, wide=True)):
        with pytest.raises(BudgetExceeded, match="budget of 50 steps") as info:
            solve(problem, budget=50)
        assert info.value.explored > 50
        with pytest.raises(BudgetExceeded):
            is_feasible(problem, budget=50)
    p = weekly(12)
    p.require([(0, 0)], lambda x: x is None, group="off")
    p.require([(0, 0)], lambda x: x is not None, group="on")
    with pytest.raises(BudgetExceeded):
        minimal_conflict(p, budget=50)


def test_bad_budget_is_refused() -> None:
    """A budget that is not a positive int is refused."""
    with pytest.raises(ValueError, match="budget"):
        solve(weekly(1), budget=0)


def test_solve_is_deterministic() -> None:
    """The same problem, built twice or solved twice, gives the same solution."""
    for wide in (False, True):
        p = weekly(4, wide=wide)
        first = solve(p)
        for again in (solve(p), solve(weekly(4, wide=wide))):
            assert (again.assignment, again.cost) == (first.assignment, first.cost)


def test_infeasible_weeks_are_proved_and_explained() -> None:
    """Fifty-two weeks asking for four slots where recovery allows three are infeasible, and explained."""
    p = weekly(52)
    for w in range(52):
        p.require(
            [(w, d) for d in (0, 1, 3, 4, 6)],
            lambda *xs: sum(x is not None for x in xs) >= 4,
            group="many",
            key=("many",),
        )
    p.require([(0, 0)], lambda x: x is None or x[0] == "finisher", group="no-warm-up")  # type: ignore[index]
    with pytest.raises(NoSolution) as info:
        solve(p)
    assert info.value.nodes > 0
    assert not is_feasible(p)
    assert minimal_conflict(p) == ("exposures", "many")


# --- the model ----------------------------------------------------------------------------------------------


def test_views() -> None:
    """The read-only views show what was posted, in order."""
    p = Problem()
    p.variable("a", [1, 2], stage=3)
    p.variable("b", [None])
    p.require(["a", "b"], lambda a, b: True, group="g", label="always", key="k")
    p.prefer(["a"], lambda a: a, weight=2)
    assert p.variables == ("a", "b")
    assert dict(p.domains) == {"a": (1, 2), "b": (None,)}
    assert dict(p.stages) == {"a": 3, "b": 0}
    assert [(c.scope, c.group, c.label, c.key) for c in p.hard] == [(("a", "b"), "g", "always", "k")]
    assert [(c.scope, c.weight, c.hard) for c in p.soft] == [(("a",), 2.0, False)]
    assert p.groups == ("g",)
    assert solve(p).assignment == {"a": 1, "b": None}


def test_constants_and_repeated_variables() -> None:
    """Constraints over no variable or over one variable twice are handled like any other."""
    p = Problem()
    p.variable("a", [1, 2, 3])
    p.prefer([], lambda: 5.0)
    p.require(["a", "a"], lambda x, y: x == y and x > 1, group="g")
    solution = solve(p)
    assert solution.cost == 5.0
    assert solution.assignment == {"a": 2}
    p.require([], lambda: False, group="never")
    assert minimal_conflict(p) == ("never",)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda p: p.variable("a", [1]), "declared twice"),
        (lambda p: p.variable("b", [1, 1]), "twice"),
        (lambda p: p.require(["zz"], lambda x: True, group="g"), "undeclared"),
        (lambda p: p.prefer(["a"], lambda x: 0, weight=math.nan), "weight"),
    ],
)
def test_bad_models_are_refused(build: Any, message: str) -> None:
    """A variable declared twice, a repeated value, an unknown variable or a NaN weight is refused."""
    p = Problem()
    p.variable("a", [1, 2])
    with pytest.raises(ValueError, match=message):
        build(p)


def test_refused_variable_leaves_no_trace() -> None:
    """A variable refused for its stage or its domain is not declared: the name can be declared again."""
    p = Problem()
    p.variable("a", [1, 2])
    with pytest.raises(TypeError, match="stage"):
        p.variable("b", [1], stage="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lists 3 twice"):
        p.variable("b", [3, 3])
    with pytest.raises(TypeError):
        p.variable("b", [[1]])  # type: ignore[list-item]
    assert p.variables == ("a",)
    p.variable("b", [1, 2])
    p.variable("c", [2, 2, 1][1:])
    assert list(p.variables) == ["a", "b", "c"]
    assert dict(p.domains) == {"a": (1, 2), "b": (1, 2), "c": (2, 1)}


def test_views_follow_later_declarations() -> None:
    """The domain and stage views show variables declared after they were first read."""
    p = Problem()
    p.variable("a", [1], stage=2)
    assert dict(p.domains) == {"a": (1,)}
    p.variable("b", (None, 1), stage=5)
    p.require(iter(["a", "b"]), lambda a, b: True, group="g")  # type: ignore[arg-type]
    assert dict(p.domains) == {"a": (1,), "b": (None, 1)}
    assert dict(p.stages) == {"a": 2, "b": 5}
    assert p.constraints[0].scope == ("a", "b")


def test_stage_must_be_an_int() -> None:
    """A stage that is not an int is refused."""
    with pytest.raises(TypeError, match="stage"):
        Problem().variable("a", [1], stage=True)


# --- the packed Viterbi step (link costs added up as ints, many at once) -----------------------------------


def dyadic(spec: Spec, unit: float, spread: int) -> Spec:
    """The spec with every soft cost made a non-negative multiple of ``unit`` below ``spread`` units (small
    spreads make many ties), so that the packed step applies; costs within one stage are in quarter units, so
    that the states' costs can be finer than the link costs."""

    def scaled(t: Table) -> Table:
        step = unit / 4 if len({spec.stages[v] for v in t.scope}) <= 1 else unit
        return attrs.evolve(t, costs=tuple((c, step * (abs(int(v)) % spread)) for c, v in t.costs))

    return attrs.evolve(spec, soft=tuple(scaled(t) for t in spec.soft))


def solve_both(problem: Problem, build: Any) -> tuple[Any, Any]:
    """The outcome (assignment and cost) of solving with the packed step and with it turned off (the general
    step); the steps counted differ: a packed step counts a whole row as one."""
    import hipplan.solver._stages as solver_module

    def outcome(p: Problem) -> Any:
        try:
            s = solve(p)
        except NoSolution:
            return ("none",)
        return (s.assignment, s.cost)

    packed = outcome(problem)
    saved = solver_module._PACK_STATES
    solver_module._PACK_STATES = 0
    try:
        general = outcome(build())
    finally:
        solver_module._PACK_STATES = saved
    return packed, general


@given(
    specs(max_vars=9, chain=True, per_stage=3),
    st.sampled_from([1.0, 0.5, 0.25, 2.0**-20, 3.0, 1e6]),
    st.integers(1, 4),
)
def test_packed_step_equals_general_step_and_brute_force(spec: Spec, unit: float, spread: int) -> None:
    """With non-negative multiples of a power of two as costs (ties included), the packed step gives the very
    assignment and cost of the general one, and the brute-force optimum."""
    spec = dyadic(spec, unit, spread)
    packed, general = solve_both(spec.build(), spec.build)
    assert packed == general
    expected = spec.optimum()
    if expected is None:
        assert packed[0] == "none"
    else:
        assert packed[1] == expected


@given(
    specs(max_vars=9, chain=True, per_stage=3),
    st.sampled_from([1.0, 0.5, 0.25, 3.0]),
    st.integers(1, 4),
    st.integers(1, 3),
)
def test_packed_step_taking_states_in_order_and_stopping_early(
    spec: Spec, unit: float, spread: int, look: int
) -> None:
    """The packed step that takes the states in order of the least they can bring, builds their rows from
    differences and stops once none can lower a field (as it does with many states; here with every number of
    them) gives the very assignment and cost of the general step, and the brute-force optimum."""
    from hipplan.solver import _packing

    spec = dyadic(spec, unit, spread)
    with mock.patch.object(_packing, "_MANY", 0), mock.patch.object(_packing, "_LOOK", look):
        packed, general = solve_both(spec.build(), spec.build)
    assert packed == general
    expected = spec.optimum()
    if expected is None:
        assert packed[0] == "none"
    else:
        assert packed[1] == expected


@given(repeated_weeks(), st.sampled_from([1.0, 0.5, 0.125]), st.integers(1, 3))
def test_packed_step_on_look_alike_weeks(spec: Spec, unit: float, spread: int) -> None:
    """Look-alike weeks (shared transitions and steps) solve the same with the packed step as without it."""
    spec = dyadic(spec, unit, spread)
    packed, general = solve_both(spec.build(), spec.build)
    assert packed == general


@pytest.mark.parametrize("weeks", [5, 9])
def test_packed_step_on_weekly_example(weeks: int) -> None:
    """The planner-shaped example (hard links, ties between weeks) is solved by the packed step, as the general
    step solves it."""
    import hipplan.solver._stages as solver_module

    used = []
    original = solver_module._Transition.packed_incoming

    def spy(self: Any, f: Any) -> Any:
        found = original(self, f)
        used.append(found is not None)
        return found

    solver_module._Transition.packed_incoming = spy  # type: ignore[method-assign]
    try:
        packed, general = solve_both(weekly(weeks), lambda: weekly(weeks))
    finally:
        solver_module._Transition.packed_incoming = original  # type: ignore[method-assign]
    assert any(used)
    assert packed == general


@pytest.mark.parametrize("weight", [0.1, -1.0, 1e12])
def test_costs_that_do_not_pack_take_the_general_step(weight: float) -> None:
    """Link costs that are not small non-negative multiples of a power of two leave the answer as it was."""

    def build() -> Problem:
        p = Problem()
        for w in range(4):
            for d in range(2):
                p.variable((w, d), [0, 1, 2], stage=w)
            p.prefer([(w, 0), (w, 1)], lambda x, y: float(x == y), key=("eq",))
            if w:
                p.prefer([(w - 1, 0), (w, 0)], lambda x, y: float(x != y), weight=weight, key=("same",))
                p.prefer([(w - 1, 1), (w, 1)], lambda x, y: float(x + y), weight=0.5, key=("sum",))
        return p

    packed, general = solve_both(build(), build)
    assert packed == general
    assert packed[1] == brute_force(build()).cost


def test_views_taken_earlier_are_live() -> None:
    """A domains or stages view held since before a declaration shows the new variable too."""
    p = Problem()
    p.variable("a", [1], stage=2)
    domains, stages = p.domains, p.stages
    p.variable("b", (None, 1), stage=5)
    assert domains["b"] == (None, 1)
    assert stages["b"] == 5
    assert list(domains) == ["a", "b"]
    assert len(stages) == 2
    assert "b" in domains
    assert dict(stages) == {"a": 2, "b": 5}


def enumerations(problem: Problem) -> list[Any]:
    """Every stage's local assignments and costs: in full, and with one or no position as the interface."""
    from hipplan.solver import _budget, _enumerate, _prepare, _stages

    budget = _budget._Budget(DEFAULT_BUDGET)
    prep = _prepare._prepare(problem, None, True, budget)
    cache = _prepare.cache_of(problem)
    grouping = _stages._grouping(cache, prep.multi)
    found = []
    for members, internal in zip(cache.layout.stage_vars, grouping.internal, strict=True):
        for interface in (None, (0,), ()):
            local = _enumerate._enumerate_stage(problem, prep, members, internal, interface, budget)
            found.append((local.assignments, local.costs))
    return found


@st.composite
def plain_chains(draw: st.DrawFn) -> Any:
    """A chain of one-variable stages with soft links of dyadic costs (each value its own right projection,
    so the plain scan applies), and, now and then, a hard link; returned as a function building the problem."""
    stages = draw(st.integers(2, 6))
    size = draw(st.integers(1, 5))
    unit = draw(st.sampled_from([1.0, 0.25, 2.0**-20, 8.0]))
    spread = draw(st.integers(1, 6))
    unary = [draw(st.lists(st.integers(0, spread), min_size=size, max_size=size)) for _ in range(stages)]
    links = [
        draw(st.lists(st.integers(0, spread), min_size=size * size, max_size=size * size))
        for _ in range(stages - 1)
    ]
    hard = draw(st.sets(st.integers(0, stages - 2), max_size=1))

    def build() -> Problem:
        p = Problem()
        for t in range(stages):
            p.variable(t, list(range(size)), stage=t)
            p.prefer([t], lambda x, row=unary[t]: unit / 4 * row[x])
        for t, table in enumerate(links):
            p.prefer([t, t + 1], lambda x, y, tab=table: unit * tab[x * size + y])
            if t in hard:
                p.require([t, t + 1], lambda x, y: x != y, group="differ")
        return p

    return build


@given(plain_chains())
def test_chains_of_single_values_match_brute_force(build: Any) -> None:
    """On chains whose values are their own projections (dyadic link costs, now and then a hard link), the
    solver finds the brute-force optimum, or no solution when there is none."""
    try:
        expected = brute_force(build())
    except NoSolution:
        with pytest.raises(NoSolution):
            solve(build())
    else:
        assert solve(build()).cost == expected.cost


# --- symmetric constraints, dense stages, the time limit, no recursion ------------------------------------


@st.composite
def dense_specs(draw: st.DrawFn) -> tuple[Any, int]:
    """A chain of 1 to 3 dense stages (up to 9 variables in all) with a symmetric count and a symmetric cost per
    stage, pairwise hard constraints inside a stage and soft links between neighbours; returned as a function
    building the problem (``symmetric`` says whether to declare the symmetric ones), and the variable count."""
    stages = draw(st.integers(1, 3))
    width = draw(st.integers(2, 9 // stages))
    n = stages * width
    domains = [
        tuple(draw(st.lists(st.sampled_from(VALUES[:4]), min_size=1, max_size=3, unique=True)))
        for _ in range(n)
    ]
    lo = draw(st.integers(0, 2))
    hi = draw(st.integers(lo, width))
    want = draw(st.integers(0, width))
    apart = draw(st.sets(st.tuples(st.integers(0, width - 1), st.integers(0, width - 1)), max_size=3))
    link = draw(st.sampled_from([0.0, 0.5, 2.0]))

    def count(*xs: Any) -> int:
        return len(xs) - xs.count(None)

    def build(symmetric: bool) -> Problem:
        p = Problem()
        for i, domain in enumerate(domains):
            p.variable(i, domain, stage=i // width)
        for t in range(stages):
            scope = list(range(t * width, (t + 1) * width))
            p.require(
                scope,
                lambda *xs: lo <= count(*xs) <= hi,
                group="count",
                key=("count", lo, hi),
                symmetric=symmetric,
            )
            p.prefer(
                scope,
                lambda *xs: abs(count(*xs) - want) + len(set(xs) - {None}),
                weight=1.5,
                key=("off", want),
                symmetric=symmetric,
            )
            for a, b in sorted(apart):
                if a != b:
                    p.require([t * width + a, t * width + b], lambda x, y: x is None or x != y, group="apart")
            if t:
                for k in range(width):
                    p.prefer([(t - 1) * width + k, t * width + k], lambda x, y: float(x != y), weight=link)
        return p

    return build, n


@given(dense_specs())
def test_dense_stages_with_symmetric_constraints_match_brute_force(spec: tuple[Any, int]) -> None:
    """Dense stages under a symmetric count: declaring it symmetric gives the brute-force optimum and the very
    assignment and cost of not declaring it, or no solution when there is none."""
    build, _ = spec
    try:
        expected = brute_force(build(False))
    except NoSolution:
        for symmetric in (True, False):
            with pytest.raises(NoSolution):
                solve(build(symmetric))
        assert not is_feasible(build(True))
        return
    declared, plain = solve(build(True)), solve(build(False))
    assert declared.cost == plain.cost == expected.cost
    assert declared.assignment == plain.assignment


@given(dense_specs())
def test_symmetric_declaration_keeps_every_stage_enumeration(spec: tuple[Any, int]) -> None:
    """A stage's local assignments and costs are the same whether its symmetric constraints say so or not."""
    build, _ = spec
    assert enumerations(build(True)) == enumerations(build(False))


def test_symmetric_flag_is_kept_on_the_constraint() -> None:
    """The declaration shows on the posted constraint."""
    p = Problem()
    p.variable("a", [0, 1])
    p.variable("b", [0, 1])
    p.require(["a", "b"], lambda *xs: sum(xs) <= 1, group="g", symmetric=True)
    p.prefer(["a", "b"], lambda *xs: sum(xs))
    assert [c.symmetric for c in p.constraints] == [True, False]


def test_a_count_over_a_wide_stage_is_cheap() -> None:
    """Sixty variables in one stage under "at most two set" enumerate the allowed assignments only (1 + 60 +
    1770 of them), not the 2**60 the count alone would refuse one by one."""
    p = Problem()
    for i in range(60):
        p.variable(i, [None, 1])
    p.require(list(range(60)), lambda *xs: len(xs) - xs.count(None) <= 2, group="count", symmetric=True)
    p.prefer(list(range(60)), lambda *xs: abs(len(xs) - xs.count(None) - 2), symmetric=True)
    s = solve(p, budget=200_000)
    assert s.cost == 0.0
    assert sum(v is not None for v in s.assignment.values()) == 2


def test_no_recursion_limit_on_many_variables() -> None:
    """A stage of 1500 variables and a problem of 1500 variables for branch and bound solve without a
    RecursionError (more variables than Python's default recursion limit)."""
    for wide in (False, True):
        p = Problem()
        for i in range(1500):
            p.variable(i, [i % 3], stage=0)
        p.prefer([0, 1], lambda x, y: float(x + y))
        if wide:
            p.variable("far", [0, 1], stage=5)
            p.prefer([0, "far"], lambda x, y: float(y))
        s = solve(p)
        assert s.cost == 1.0
        assert s.assignment[1499] == 1499 % 3


def test_time_limit_bounds_the_search() -> None:
    """A time limit too short for the problem raises BudgetExceeded naming it; a generous one changes nothing;
    a limit that is not a positive number of seconds is refused."""
    big = weekly(6, wide=True)
    with pytest.raises(BudgetExceeded, match="time limit of 1e-09 s"):
        solve(big, time_limit=1e-9)
    with pytest.raises(BudgetExceeded, match="time limit"):
        is_feasible(weekly(6, wide=True), time_limit=1e-9)
    assert solve(weekly(4), time_limit=600.0) == solve(weekly(4))
    for bad in (0, -1.0, math.inf, math.nan, True, "1"):
        with pytest.raises(ValueError, match="time_limit"):
            solve(weekly(1), time_limit=bad)  # type: ignore[arg-type]


# --- sparse stages: a symmetric count that keeps most variables at one value --------------------------------


@st.composite
def sparse_specs(draw: st.DrawFn) -> Any:
    """One or two stages of 4 to 7 variables sharing a domain with None, at most ``hi`` of them set (a symmetric
    count), pairwise and three-way hard constraints (some broken when every variable is None), unary costs, a
    symmetric weekly cost, a soft pair, and soft links between neighbours; returned as a function building the
    problem (``symmetric`` says whether to declare the symmetric ones)."""
    stages = draw(st.integers(1, 2))
    width = draw(st.integers(4, 8 // stages))
    n = stages * width
    domain = (None, *draw(st.lists(st.sampled_from([0, 1, "x"]), min_size=1, max_size=2, unique=True)))
    hi = draw(st.integers(0, 2))
    lo = draw(st.integers(0, hi))
    pairs = draw(
        st.lists(
            st.tuples(
                st.integers(0, width - 1),
                st.integers(0, width - 1),
                st.sets(st.tuples(st.sampled_from(domain), st.sampled_from(domain)), max_size=3),
            ),
            max_size=4,
        )
    )
    triple = draw(st.booleans())
    unary = [draw(st.lists(st.integers(0, 2), min_size=len(domain), max_size=len(domain))) for _ in range(n)]
    want = draw(st.integers(0, 2))
    link = draw(st.sampled_from([0.0, 0.5, 2.0]))

    def count(*xs: Any) -> int:
        return len(xs) - xs.count(None)

    def build(symmetric: bool) -> Problem:
        p = Problem()
        for i in range(n):
            p.variable(i, domain, stage=i // width)
            p.prefer([i], lambda x, row=unary[i]: 0.25 * row[domain.index(x)])
        for t in range(stages):
            base = t * width
            scope = list(range(base, base + width))
            p.require(scope, lambda *xs: lo <= count(*xs) <= hi, group="count", symmetric=symmetric)
            p.prefer(
                scope,
                lambda *xs: abs(count(*xs) - want) + len(set(xs) - {None}),
                weight=1.5,
                symmetric=symmetric,
            )
            for a, b, banned in pairs:
                if a != b:
                    p.require([base + a, base + b], lambda x, y, no=banned: (x, y) not in no, group="pair")
            if triple:
                p.require(
                    [base, base + 1, base + width - 1],
                    lambda x, y, z: not (x is not None and x == y == z),
                    group="triple",
                )
            p.prefer([base, base + width - 1], lambda x, y: float(x == y), weight=0.5)
            if t:
                for k in range(width):
                    p.prefer([base - width + k, base + k], lambda x, y: float(x != y), weight=link)
        return p

    return build


@given(sparse_specs())
def test_sparse_stages_match_brute_force_and_plain_enumeration(build: Any) -> None:
    """A stage enumerated by its few exceptions to the common value has the very assignments and costs of the
    plain enumeration, and the solver finds the brute-force optimum, or no solution when there is none (stages
    of four variables or more taken that way, not only the wide ones the solver keeps it for)."""
    from hipplan.solver import _enumerate

    with mock.patch.object(_enumerate, "_SPARSE_WIDTH", 4):
        assert enumerations(build(True)) == enumerations(build(False))
        try:
            expected = brute_force(build(False))
        except NoSolution:
            with pytest.raises(NoSolution):
                solve(build(True))
            return
        declared = solve(build(True))
        assert declared.cost == expected.cost
        assert declared.assignment == solve(build(False)).assignment


def test_sparse_enumeration_is_taken_for_a_wide_count() -> None:
    """Fourteen variables of three values, at most three set: the stage is enumerated by its exceptions (1 + 14 x
    2 + 91 x 4 + 364 x 8 assignments), not by backtracking through the others."""
    from hipplan.solver import _budget, _enumerate, _prepare

    p = Problem()
    for i in range(14):
        p.variable(i, [None, "a", "b"])
    p.require(list(range(14)), lambda *xs: len(xs) - xs.count(None) <= 3, group="count", symmetric=True)
    budget = _budget._Budget(DEFAULT_BUDGET)
    prep = _prepare._prepare(p, None, True, budget)
    found = _enumerate._sparse_stage(p, prep, list(range(14)), [0], budget)
    assert found is not None
    assert len(found.assignments) == 1 + 14 * 2 + 91 * 4 + 364 * 8
    assert found.assignments == sorted(found.assignments)


# --- planner-shaped dense chains: every value of a week linked to the next week's, hard pairs across -----------


@st.composite
def dense_chains(draw: st.DrawFn) -> Any:
    """Two or three stages ("weeks") of two to four variables ("sessions", two a "day") sharing a domain with
    None and one or two "hard" values: a symmetric count, a symmetric weekly cost (count off a target, hard work
    missing, extra set-ups), hard pairs "not both hard" between variables of the same or neighbouring days (also
    across the boundary between weeks), unary costs, and a soft "same value" link between each variable and the
    same one of the next week: the shape of a dense training week, where the interface is the whole stage."""
    domain = (None, ("h", 1), *draw(st.sampled_from([(), (("l", 1),), (("h", 2),), (("l", 2), ("h", 2))])))
    stages = draw(st.integers(2, 3))
    # (brute force tries at most about 20,000 assignments)
    width = draw(st.integers(2, max(w for w in range(2, 5) if len(domain) ** (stages * w) <= 20_000)))
    n = stages * width
    hi = draw(st.integers(1, width))
    lo = draw(st.integers(0, hi))
    want = draw(st.integers(0, width))
    weights: tuple[float, ...] = draw(st.tuples(*[st.sampled_from([0.0, 0.5, 1.0, 3.0])] * 3))
    link = draw(st.sampled_from([0.5, 2.0, 0.25]))
    unary = [draw(st.lists(st.integers(0, 3), min_size=len(domain), max_size=len(domain))) for _ in range(n)]
    rest = draw(st.integers(0, 2))
    """How many days apart (0: the same day only) two hard values may not be."""

    def hard(x: Any) -> bool:
        return x is not None and x[0] == "h"

    def week_cost(*xs: Any) -> float:
        set_ = [x for x in xs if x is not None]
        total: float = weights[0] * abs(len(set_) - want)
        total += weights[1] * (0.0 if any(hard(x) for x in set_) else 1.0)
        return total + weights[2] * max(len({x[1] for x in set_}) - 1, 0)

    def build() -> Problem:
        p = Problem()
        for i in range(n):
            p.variable(i, domain, stage=i // width)
            p.prefer([i], lambda x, row=unary[i]: 0.5 * row[domain.index(x)])
        for t in range(stages):
            scope = list(range(t * width, (t + 1) * width))
            p.require(
                scope,
                lambda *xs: lo <= len(xs) - xs.count(None) <= hi,
                group="count",
                key=("count", lo, hi),
                symmetric=True,
            )
            p.prefer(scope, week_cost, key=("week",), symmetric=True)
            if t:
                for k in range(width):
                    p.prefer([(t - 1) * width + k, t * width + k], lambda x, y: float(x != y), weight=link)
        # two variables a day, days running on across the weeks
        for a in range(n):
            for b in range(a + 1, n):
                if b // 2 - a // 2 < rest or (rest == 0 and b // 2 == a // 2):
                    p.require([a, b], lambda x, y: not (hard(x) and hard(y)), group="rest", key=("rest",))
        return p

    return build


@given(dense_chains())
def test_dense_chains_match_brute_force_on_every_path(build: Any) -> None:
    """Dense planner-shaped chains give the brute-force optimum, and the very assignment whether the steps take
    their states one by one or as whole lists (the ways kept for many live states), packed or not."""
    from hipplan.solver import _enumerate, _packing, _stages

    try:
        expected = brute_force(build())
    except NoSolution:
        with pytest.raises(NoSolution):
            solve(build())
        return
    found = solve(build())
    assert found.cost == expected.cost
    with (
        mock.patch.object(_stages, "_MANY_STATES", 0),
        mock.patch.object(_stages, "_DENSE", 0),
        mock.patch.object(_stages, "_FEW", 0),
        mock.patch.object(_packing, "_MANY", 0),
        mock.patch.object(_packing, "_LOOK", 1),
        mock.patch.object(_enumerate, "_SPARSE_WIDTH", 2),
    ):
        wide = solve(build())
        saved = _stages._PACK_STATES
        _stages._PACK_STATES = 0
        try:
            general = solve(build())
        finally:
            _stages._PACK_STATES = saved
    assert (wide.assignment, wide.cost) == (found.assignment, found.cost)
    assert (general.assignment, general.cost) == (found.assignment, found.cost)


@st.composite
def dominance_cases(draw: st.DrawFn) -> tuple[Any, dict[int, float]]:
    """A transition's soft bounds (zero from a value class to itself, dyadic, negative too), classes of right
    projections and the costs of some of them: what ``_dominance.prune_all`` reads."""
    from hipplan.solver._stages import _Transition

    size = draw(st.integers(1, 40))
    unit = draw(st.sampled_from([1.0, 0.5, 0.25]))
    soft = []
    for _ in range(draw(st.integers(0, 3))):
        count = draw(st.integers(1, 4))
        ids = draw(st.lists(st.integers(0, count - 1), min_size=size, max_size=size))
        most = [
            [0.0 if i == j else unit * draw(st.integers(-3, 6)) for j in range(count)] for i in range(count)
        ]
        soft.append((ids, most))
    classes = draw(st.integers(1, 3))
    kinds = draw(st.lists(st.integers(0, classes - 1), min_size=size, max_size=size))
    live = draw(st.sets(st.integers(0, size - 1), min_size=1))
    g = {r: unit * draw(st.integers(0, 12)) for r in sorted(live)}
    g[min(g, key=g.__getitem__)] = 0.0
    kind_ids = [sorted(set(kinds)).index(k) for k in kinds]
    trans = _Transition(
        size=size,
        width=1,
        factors=[],
        kinds=kind_ids,
        single=len(set(kinds)) == 1,
        classes=len(set(kinds)),
        soft=soft,
        spread=0.0,
    )
    return trans, g


@given(dominance_cases())
def test_packed_dominance_drops_exactly_the_outdone_states(case: tuple[Any, dict[int, float]]) -> None:
    """``prune_all`` keeps exactly the states that no state of their class outdoes by more than the bound, in
    exact arithmetic (the cheapest state always kept), in projection order, as a pairwise check finds them."""
    from fractions import Fraction

    from hipplan.solver._dominance import prune_all

    trans, g = case
    first = min(g, key=g.__getitem__)

    def outdone(r: int) -> bool:
        return r != first and any(
            trans.kinds[b] == trans.kinds[r]
            and Fraction(g[r]) - Fraction(g[b])
            > sum((Fraction(most[ids[b]][ids[r]]) for ids, most in trans.soft), Fraction(0))
            for b in g
            if b != r
        )

    expected = tuple(sorted((r, x) for r, x in g.items() if not outdone(r)))
    assert prune_all(trans, dict(g)) == expected
    # the packed bounds are kept on the transition: a second call agrees
    assert prune_all(trans, dict(g)) == expected


@given(dominance_cases())
def test_packed_bounds_are_the_bounds_link_by_link(case: tuple[Any, dict[int, float]]) -> None:
    """``margin_of`` (the bounds read off packed sums) gives the very list that adding the links' bounds one by
    one gives, for every state."""
    from hipplan.solver._dominance import margin_of

    trans, _ = case
    for b in range(trans.size):
        assert margin_of(trans, b) == trans.margin(b)
