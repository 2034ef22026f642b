"""The planner's implementation (see :mod:`hipplan.planner` for the public entry points).

The flow: validate the inputs; project the dose of each role week by week (:mod:`hipplan.progression`); build one
cell per (week, session) whose options are the (role, variation) pairs the ladder allows there; post every rule of
:mod:`hipplan.constraints`; solve (:mod:`hipplan.solver`); turn the answer into slots with their reasons. When no plan
satisfies the hard rules, :class:`~hipplan.Infeasible` names a minimal set of rules that conflict and where.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import time
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, cast

import attrs

from . import constraints as c
from . import progression as pg
from ._model import Cell, Model, Option, Value
from .athlete import Athlete, Session, check_week
from .catalog import CATALOG
from .dose import Dose
from .errors import BudgetExceeded, Conflict, Infeasible, InvalidInput
from .exercises import Rung, Variation
from .ladder import default_ladder
from .limits import DEFAULT_BUDGET, MAX_SESSIONS_A_WEEK, MAX_WEEKS
from .plan import Plan, Reason, Slot, Unplaced, WeekOverride, check_start
from .solver import NoSolution, Problem, evaluate, is_feasible, minimal_conflict, solve
from .state import State
from .vocabulary import Equipment, Focus, Level, Role

__all__ = ["Track", "build_model", "default_rung", "plan", "start_rung"]


_ROLE_FOCUS: dict[Role, tuple[Focus, ...]] = {
    Role.WARM_UP: (Focus.LOWER, Focus.FULL_BODY),
    Role.FINISHER: (Focus.LOWER, Focus.FULL_BODY),
    Role.CIRCUIT: (Focus.CIRCUIT,),
}


def default_rung(level: Level) -> Rung:
    """Where an athlete starts when they give no rung: beginners on the floor bridge, others on the bodyweight SLHT."""
    if level is Level.BEGINNER:
        return Rung(exercise="glute-bridge", variation="bodyweight")
    return Rung(exercise="single-leg-hip-thrust", variation="bodyweight")


class _Limit(NamedTuple):
    """What one plan() call may spend: search steps per solver call, and a wall-clock deadline for the whole call
    (rounds and explanations included) when the caller gave a time limit."""

    budget: int
    deadline: float | None

    def solver(self) -> dict[str, Any]:
        """The keyword arguments of the next solver call: the step budget and the seconds left."""
        if self.deadline is None:
            return {"budget": self.budget}
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise BudgetExceeded("plan() ran out of its time limit before it could finish")
        return {"budget": self.budget, "time_limit": left}


def _limit(budget: object, time_limit: object) -> _Limit:
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise InvalidInput(
            f"'budget' must be a whole number of search steps from 1 (got {budget!r})", field="budget"
        )
    if time_limit is None:
        return _Limit(budget, None)
    if (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, int | float)
        or not 0 < time_limit < math.inf
    ):
        raise InvalidInput(
            f"'time_limit' must be a positive number of seconds, or None (got {time_limit!r})",
            field="time_limit",
        )
    return _Limit(budget, time.monotonic() + time_limit)


def _check_inputs(
    athlete: object,
    sessions: object,
    weeks: object,
    overrides: object,
) -> tuple[Athlete, tuple[Session, ...], int, dict[int, WeekOverride]]:
    if not isinstance(athlete, Athlete):
        raise InvalidInput(f"'athlete' must be an Athlete (got {athlete!r})", field="athlete")
    week = check_week(sessions, field="sessions")  # type: ignore[arg-type]
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise InvalidInput(
            f"'weeks' must be a whole number from 1 to {MAX_WEEKS} (got {weeks!r})", field="weeks"
        )
    if athlete.rung is not None:
        CATALOG.check_rung(athlete.rung)
    for i, working in enumerate(athlete.working):
        try:
            CATALOG.check_rung(working.rung)
            default_ladder().rank(working.rung)
        except InvalidInput as exc:
            raise InvalidInput(f"'athlete.working[{i}]': {exc}", field="athlete.working") from None
    by_week: dict[int, WeekOverride] = {}
    items: Iterable[Any]
    if isinstance(overrides, Mapping):
        items = [WeekOverride(week=k, sessions=tuple(s)) for k, s in overrides.items()]
    elif isinstance(overrides, str | bytes):
        raise InvalidInput(f"'overrides' must be WeekOverride values (got {overrides!r})", field="overrides")
    else:
        items = overrides  # type: ignore[assignment]
    for i, item in enumerate(items):
        if not isinstance(item, WeekOverride):
            raise InvalidInput(f"'overrides[{i}]' must be a WeekOverride (got {item!r})", field="overrides")
        if item.week > weeks:
            raise InvalidInput(
                f"'overrides[{i}].week' must be within the plan's {weeks} weeks (got {item.week})",
                field="overrides",
            )
        if item.week in by_week:
            raise InvalidInput(f"'overrides[{i}].week' is given twice (got {item.week})", field="overrides")
        by_week[item.week] = WeekOverride(
            week=item.week,
            sessions=check_week(item.sessions, field=f"overrides[{i}].sessions"),
            label=item.label,
        )
    for label, held in (
        ("sessions", week),
        *((f"overrides (week {w})", o.sessions) for w, o in by_week.items()),
    ):
        if len(held) > MAX_SESSIONS_A_WEEK:
            raise InvalidInput(
                f"'{label}': at most {MAX_SESSIONS_A_WEEK} sessions a week, three a day (got {len(held)})",
                field="sessions" if label == "sessions" else "overrides",
            )
    for s in (*week, *(s for o in by_week.values() for s in o.sessions)):
        if s.place is not None:
            athlete.place(s.place)
    return athlete, week, weeks, by_week


def start_rung(athlete: Athlete) -> Rung:
    """Where the athlete stands: their own rung, else the hardest variation they gave a working dose for, else
    the usual start for their level."""
    if athlete.rung is not None:
        return athlete.rung
    if athlete.working:
        ladder = default_ladder()
        return max((w.rung for w in athlete.working), key=ladder.rank)
    return default_rung(athlete.level)


class Track(NamedTuple):
    """One role's progression through a plan: its engine (the rules, the kit it climbs in), its first state, and
    why the first dose is what it is."""

    role: Role
    engine: pg.Engine
    first: State
    why: tuple[Reason, ...] = ()


def _tracks(
    athlete: Athlete, specs: Sequence[tuple[tuple[Session, ...], str]], policy: pg.Policy | None
) -> tuple[Rung, dict[Role, Track]]:
    """Each role that some session can host, with the kit of those sessions and where it starts.

    A role starts on the athlete's rung as far as its sessions' kit allows (a home circuit with only a couch
    starts on the bodyweight variation and progresses as such); a warm-up is always bodyweight.
    """
    start = start_rung(athlete)
    checked = pg._policy(policy)
    ladder = default_ladder()
    every = {s for sessions in {id(x): x for x, _ in specs}.values() for s in sessions}
    tracks: dict[Role, Track] = {}
    for role, focuses in _ROLE_FOCUS.items():
        hosts = [s for s in every if s.focus in focuses]
        if not hosts:
            continue
        kit: frozenset[Equipment] = frozenset().union(*(athlete.kit(s) for s in hosts))
        if role is Role.WARM_UP:
            rung = Rung(exercise=start.exercise, variation="bodyweight")
        else:
            rung = ladder.within_kit(start, kit) or start
        engine = pg.engine_for(checked, kit, athlete.bodyweight_kg, athlete.goal, athlete.load_kit)
        first = pg.first_state(athlete, role, rung, policy=checked)
        why: tuple[Reason, ...] = ()
        if role is not Role.WARM_UP and pg.working_dose(athlete, rung) is not None:
            text = f"Starting from the athlete's own working dose on this variation, {first.dose}."
            why = (Reason(rule="start", text=text),)
        tracks[role] = Track(role, engine, first, why)
    return start, tracks


def _walk(track: Track, weeks: Sequence[int], chosen: frozenset[int]) -> list[pg.Step]:
    """The step the role would have in each cell (cells in plan order, given by their weeks), when its exposures
    are the cells in ``chosen``: every target met, so each state is what ``progress()`` gives after the last."""
    engine = track.engine
    state, why = track.first, track.why
    steps: list[pg.Step] = []
    step: pg.Step | None = None
    for k, week in enumerate(weeks):
        if step is None or step.week != week:
            step = engine.prescribe(state, week, why)
        steps.append(step)
        if k in chosen:
            state, why = engine.advance(step)
            step = None
    return steps


_ROLE_ORDER = (Role.FINISHER, Role.CIRCUIT, Role.WARM_UP)
"""The order options appear in a cell, which breaks ties between equally good plans: hard work first."""


@functools.cache
def _candidates(target: Rung, role: Role) -> tuple[tuple[Variation, Rung], ...]:
    """The variations a slot aiming at ``target`` may use (with their rungs): the target first, then easier ones,
    hardest first."""
    exercise = CATALOG[target.exercise]
    if role is Role.WARM_UP:
        return ((exercise.variation("bodyweight"), Rung(exercise=exercise.id, variation="bodyweight")),)
    ladder = default_ladder()
    top = ladder.rank(target)
    ranked = [
        (ladder.rank(Rung(exercise=exercise.id, variation=var.id)), var)
        for var in exercise.allowed_variations
    ]
    easier = sorted(
        ((r, var) for r, var in ranked if r <= top),
        key=lambda item: (item[1].id != target.variation, -item[0][1]),
    )
    return tuple((var, Rung(exercise=exercise.id, variation=var.id)) for _, var in easier)


def _role_option(
    athlete: Athlete,
    role: Role,
    step: pg.Step,
    var: Variation,
    rung: Rung,
    policy: pg.Policy,
    sized: dict[tuple[Dose, Rung, Rung], tuple[Dose, float]],
) -> Option:
    """What a role offers in one cell with one variation: the target's own dose, or one matched in effort. The
    reason for a match is written only if the option becomes a slot. ``sized`` keeps each (dose, target, rung)'s
    dose and minutes: many cells share them."""
    target = step.rung
    source = None
    key = (step.dose, target, rung)
    found = sized.get(key)
    if found is None:
        dose = step.dose
        if rung != target:
            bodyweight = athlete.bodyweight_kg or policy.reference_bodyweight_kg
            dose = pg.matched_dose(dose, target, rung, bodyweight, policy, athlete.load_kit)
        minutes = c.slot_minutes(
            dose, unilateral=CATALOG[target.exercise].unilateral, switch_sides=var.switch_sides
        )
        found = sized[key] = (dose, minutes)
    dose, minutes = found
    if rung != target:
        source = step.dose
    return Option(
        role,
        rung,
        target,
        dose,
        minutes,
        step.deload,
        step.resume if source is None else None,
        step.reasons,
        source,
        step.state,
    )


def _cells(
    athlete: Athlete,
    specs: Sequence[tuple[tuple[Session, ...], str]],
    steps: Mapping[Role, Sequence[pg.Step]],
    policy: pg.Policy | None,
) -> list[Cell]:
    """One cell per (week, session), its options following the ladder within the session's kit.

    ``steps`` gives, for each role, its step in each cell (cells in plan order). Every role offers its target
    variation in every cell, eligible or not: the rules refuse what does not fit, and so can say why a session
    got no slot. Easier variations are offered only where the kit allows them and the role belongs on the
    session's focus.

    Cells that offer the same rungs in the same session share a ``shape``; cells whose options also prescribe the
    same doses share ``doses``: the one-slot rules judge each such group once.
    """
    tracks = [(role, steps[role]) for role in _ROLE_ORDER if role in steps]
    kits: dict[int, frozenset[Equipment]] = {}
    target_ids: dict[tuple[Rung, ...], int] = {}
    dose_ids: dict[tuple[int, tuple[Any, ...]], int] = {}
    picks: dict[tuple[int, int], list[tuple[int, int]]] = {}
    offered: dict[tuple[int, int, int], tuple[tuple[Role, str], Option]] = {}
    checked = pg._policy(policy)
    by_targets: dict[int, list[tuple[tuple[Variation, Rung], ...]]] = {}
    sized: dict[tuple[Dose, Rung, Rung], tuple[Dose, float]] = {}
    cells: list[Cell] = []
    k = 0
    for w, (sessions, label) in enumerate(specs, start=1):
        for session in sessions:
            here = [track[k] for _, track in tracks]
            k += 1
            targets = tuple(step.rung for step in here)
            tid = target_ids.setdefault(targets, len(target_ids))
            did = dose_ids.setdefault((tid, tuple(step.dose for step in here)), len(dose_ids))
            candidates = by_targets.get(tid)
            if candidates is None:
                candidates = by_targets[tid] = [
                    _candidates(step.rung, role) for (role, _), step in zip(tracks, here, strict=True)
                ]
            sid = id(session)
            pick = picks.get((sid, tid))
            if pick is None:
                kit = kits.get(sid)
                if kit is None:
                    kit = kits[sid] = athlete.kit(session)
                # The target variation always (the rules say why it cannot go where the kit is short or the role
                # does not belong), easier ones where the kit has what they need and the role belongs on the
                # session's focus (elsewhere the role rules refuse them all alike).
                pick = picks[sid, tid] = [
                    (ri, oi)
                    for ri, role_candidates in enumerate(candidates)
                    for oi, (var, _) in enumerate(role_candidates)
                    if oi == 0 or (var.needs <= kit and session.focus in _ROLE_FOCUS[tracks[ri][0]])
                ]
            options = {}
            for ri, oi in pick:
                key = (ri, oi, id(here[ri]))
                found = offered.get(key)
                if found is None:
                    role = tracks[ri][0]
                    var, rung = candidates[ri][oi]
                    found = offered[key] = (
                        (role, var.id),
                        _role_option(athlete, role, here[ri], var, rung, checked, sized),
                    )
                value, option = found
                options[value] = option
            cells.append(
                Cell(
                    week=w,
                    session=session,
                    kit=kits[sid],
                    label=label,
                    options=options,
                    shape=(sid, tid),
                    doses=did,
                )
            )
    return cells


class Built(NamedTuple):
    """What :func:`build_model` gives: the model and what was worked out on the way."""

    model: Model
    rules: tuple[c.Rule, ...]
    steps: dict[Role, list[pg.Step]]
    start: Rung
    by_week: dict[int, WeekOverride]
    week: tuple[Session, ...]


class _Setup(NamedTuple):
    athlete: Athlete
    weeks: int
    rules: tuple[c.Rule, ...]
    specs: list[tuple[tuple[Session, ...], str]]
    start: Rung
    tracks: dict[Role, Track]
    by_week: dict[int, WeekOverride]
    week: tuple[Session, ...]
    policy: pg.Policy | None
    cell_weeks: tuple[int, ...]
    """The week of each cell, in plan order."""


def _setup(
    athlete: Athlete,
    sessions: Iterable[Session],
    weeks: int,
    *,
    constraints: Iterable[c.Rule],
    rules: pg.Policy | None,
    overrides: Iterable[WeekOverride] | Mapping[int, Iterable[Session]],
) -> _Setup:
    athlete, week, weeks, by_week = _check_inputs(athlete, sessions, weeks, overrides)
    if rules is not None and not isinstance(rules, pg.Policy):
        raise InvalidInput(f"'rules' must be a hipplan.Policy (got {rules!r})", field="rules")
    all_rules = c.effective_rules(constraints)
    specs = [
        (by_week[w].sessions, by_week[w].label or "changed week") if w in by_week else (week, "")
        for w in range(1, weeks + 1)
    ]
    c.check_names(
        tuple(constraints), [[s.name for s in sessions] for sessions, _ in specs], [s.name for s in week]
    )
    start, tracks = _tracks(athlete, specs, rules)
    cell_weeks = tuple(w for w, (sessions, _) in enumerate(specs, start=1) for _ in sessions)
    return _Setup(athlete, weeks, all_rules, specs, start, tracks, by_week, week, rules, cell_weeks)


def _exposures_note(athlete: Athlete, rules: Sequence[c.Rule]) -> tuple[Reason, ...]:
    """A note when the athlete wishes for more slots a week than the plan's hard maximum allows: the plan aims
    for the maximum, and says so (the wish is not silently dropped)."""
    wish = athlete.exposures_per_week
    most = min((r.max for r in rules if isinstance(r, c.Exposures)), default=None)
    if wish is None or most is None or wish <= most:
        return ()
    text = (
        f"The athlete asked for {wish} slots a week; the plan allows at most {most} (Exposures(max={most})), so it"
        f" aims for {most}. Pass constraints=[Exposures(max={wish})] to allow more."
    )
    return (Reason(rule="exposures", text=text),)


Schedule = dict[Role, frozenset[int]]
"""For each role, the cells (by their place in plan order) that hold its exposures."""


def _placed_cells(setup: _Setup, schedule: Schedule) -> tuple[list[Cell], dict[Role, list[pg.Step]]]:
    """The cells whose options carry the doses the roles reach when their exposures are ``schedule``, and each
    role's step in each cell."""
    steps = {
        role: _walk(track, setup.cell_weeks, schedule.get(role, frozenset()))
        for role, track in setup.tracks.items()
    }
    return _cells(setup.athlete, setup.specs, steps, setup.policy), steps


def _model(setup: _Setup, schedule: Schedule, *, prune: bool) -> tuple[Model, dict[Role, list[pg.Step]]]:
    """The model over :func:`_placed_cells` for ``schedule``, every rule posted."""
    cells, steps = _placed_cells(setup, schedule)
    return _pose(setup.athlete, setup.weeks, cells, setup.rules, prune=prune), steps


def _schedule(model: Model, assignment: Mapping[Any, Value]) -> Schedule:
    """Where a solution put each role's exposures."""
    found: dict[Role, set[int]] = {}
    for k, cell in enumerate(model.cells):
        value = assignment[cell.var]
        if value is not None:
            found.setdefault(value[0], set()).add(k)
    return {role: frozenset(ks) for role, ks in found.items()}


def _guess(setup: _Setup) -> Schedule:
    """A first guess at where each role's exposures go, to work out first doses from: once a week, in the
    week's first session whose focus suits the role. A wrong guess costs time, never correctness: :func:`plan`
    works the doses out again for the placement it gets, and solves again unless every option keeps its target
    rung and the rules that read doses (the time a slot takes) judge it alike."""
    schedule: dict[Role, set[int]] = {}
    k = 0
    for sessions, _ in setup.specs:
        for role in setup.tracks:
            first = next((i for i, s in enumerate(sessions) if s.focus in _ROLE_FOCUS[role]), None)
            if first is not None:
                schedule.setdefault(role, set()).add(k + first)
        k += len(sessions)
    return {role: frozenset(ks) for role, ks in schedule.items()}


def _dose_blind(rules: Sequence[c.Rule]) -> bool:
    """Whether no rule but the one-slot rules reads a slot's dose: every rule is one of hipplan's own (whose
    costs and multi-slot checks look at roles, variations and days), or a one-slot rule (judged in advance)."""
    return all(isinstance(r, c.SlotRule) or type(r).__module__ == c.__name__ for r in rules)


def _equivalent(model: Model, cells: Sequence[Cell], rules: Sequence[c.Rule]) -> bool:
    """Whether ``cells`` (the same weeks and sessions as ``model``'s, at other doses) pose the same problem: the
    same options on the same rungs for the same targets, judged alike by every one-slot rule that reads doses.

    With the other rules blind to doses (:func:`_dose_blind`), the model's best answer is then theirs too.
    """
    dose_rules = [r for r in rules if isinstance(r, c.SlotRule) and r.uses_dose]
    # The built-in time budget with its default timings compares the minutes each option already carries.
    timed = [r for r in dose_rules if type(r) is c.TimeBudget and r == c.TimeBudget()]
    others = [r for r in dose_rules if r not in timed]
    for old, new in zip(model.cells, cells, strict=True):
        if old.options.keys() != new.options.keys():
            return False
        limit = old.session.minutes
        for value, before in old.options.items():
            after = new.options[value]
            if (before.rung is not after.rung and before.rung != after.rung) or (
                before.target is not after.target and before.target != after.target
            ):
                return False
            if before.dose is after.dose or before.dose == after.dose:
                continue
            if timed and limit is not None and (before.minutes > limit) != (after.minutes > limit):
                return False
            if others:
                facts = model.facts(old, value)
                moved = attrs.evolve(facts, dose=after.dose)
                if any(r.applies_to(old) and r.allows(facts) != r.allows(moved) for r in others):
                    return False
    return True


def build_model(
    athlete: Athlete,
    sessions: Iterable[Session],
    weeks: int,
    *,
    constraints: Iterable[c.Rule] = (),
    rules: pg.Policy | None = None,
    overrides: Iterable[WeekOverride] | Mapping[int, Iterable[Session]] = (),
    prune: bool = False,
) -> Built:
    """Validate the inputs and build the planning model with every rule posted (for tests and benchmarks), at
    the doses of the first guess of where the exposures go (the first problem :func:`plan` solves).

    With ``prune``, the one-slot rules are applied in advance: refused options leave the domains instead of
    becoming constraints. The problem has the same solutions and is faster to solve, but a conflict can then
    only be explained in terms of the other rules, so ``plan()`` poses the same cells again without pruning to
    explain one.
    """
    setup = _setup(athlete, sessions, weeks, constraints=constraints, rules=rules, overrides=overrides)
    model, steps = _model(setup, _guess(setup), prune=prune)
    return Built(model, setup.rules, steps, setup.start, setup.by_week, setup.week)


def _pose(
    athlete: Athlete,
    weeks: int,
    cells: list[Cell],
    rules: Sequence[c.Rule],
    *,
    prune: bool,
    verdicts: _Verdicts | None = None,
) -> Model:
    """A fresh model and problem over ``cells`` with the rules posted (the one-slot ones applied in advance when
    pruning). ``verdicts`` reuses what the one-slot rules already said about these cells."""
    model = Model(athlete=athlete, weeks=weeks, cells=cells, problem=Problem())
    posted: Sequence[c.Rule] = rules
    if prune:
        model.verdicts = verdicts = verdicts or _Verdicts(model, rules)
        shared: dict[Hashable, tuple[tuple[Role, str], ...]] = {}
        # equal tuples of allowed options are one tuple: the rules that look at them, and the domains made
        # from them, are then worked out once for all the cells that have it
        same: dict[tuple[tuple[Role, str], ...], tuple[tuple[Role, str], ...]] = {}
        by_cell = verdicts.by_cell
        for cell in cells:
            own = id(cell) in by_cell
            allowed = shared.get((cell.shape, cell.doses)) if not own else None
            if allowed is None:
                out = verdicts.refused(cell)
                allowed = tuple([val for val in cell.options if val not in out])
                allowed = same.setdefault(allowed, allowed)
                if not own:
                    shared[cell.shape, cell.doses] = allowed
            cell.allowed = allowed
        posted = tuple(r for r in rules if not isinstance(r, c.SlotRule) or r.requires_slot)
    else:
        model.verdicts = verdicts
        for cell in cells:
            cell.allowed = None
    problem = model.problem
    domains: dict[int, tuple[Value, ...]] = {}
    for cell in cells:
        # Cells that share their allowed options share one domain tuple (cheaper for the solver to read).
        domain = domains.get(id(cell.allowed)) if cell.allowed is not None else None
        if domain is None:
            domain = cell.domain()
            if cell.allowed is not None:
                domains[id(cell.allowed)] = domain
        problem.variable(cell.var, domain, stage=cell.week)
    # The one-slot preferences go in as one cost per cell, the built-in weekly counts as one cost per week
    # (fewer constraints to post, and fewer for the solver to read and evaluate).
    unary = [r for r in posted if isinstance(r, c._UnarySoft)]
    weekly = [r for r in posted if isinstance(r, c.SoftRule) and type(r) in c._WEEKLY]
    for rule in posted:
        if not isinstance(rule, c._UnarySoft) and type(rule) not in c._WEEKLY:
            rule.post(model)
    c.post_weekly_costs(model, weekly)
    c.post_option_costs(model, unary)
    return model


MAX_ROUNDS = 6
"""How many times :func:`plan` may re-solve with corrected doses before it gives up (it settles in one or two)."""


def plan(
    athlete: Athlete,
    sessions: Iterable[Session],
    weeks: int,
    *,
    constraints: Iterable[c.Rule] = (),
    rules: pg.Policy | None = None,
    overrides: Iterable[WeekOverride] | Mapping[int, Iterable[Session]] = (),
    budget: int = DEFAULT_BUDGET,
    time_limit: float | None = None,
    start: dt.date | None = None,
    plan_id: str | None = None,
) -> Plan:
    """The work behind :func:`hipplan.planner.plan`, which documents the arguments and the errors.

    Doses grow by exposure, so a slot's dose depends on how many exposures of its role come before it, which is
    what the solver decides. The plan settles that in rounds: the doses follow a guess of where the exposures
    go (each distinct week planned alone), the solver places the slots, and if it placed a role's exposures
    elsewhere the doses are worked out again for that placement and the problem solved again, until the
    placement the doses assume is the one the solver returns. Then every slot's dose is exactly what
    ``progress()`` gives after the slot before it of the same role, met as prescribed.
    """
    # The inputs are read more than once (again to explain a conflict): iterators become tuples first.
    sessions, constraints = _once(sessions), _once(constraints)
    if not isinstance(overrides, Mapping):
        overrides = _once(overrides)
    limit = _limit(budget, time_limit)
    setup = _setup(athlete, sessions, weeks, constraints=constraints, rules=rules, overrides=overrides)
    dates = _dates(start, plan_id, setup.weeks)
    schedule = _guess(setup)
    model, _ = _model(setup, schedule, prune=True)
    blind = _dose_blind(setup.rules)
    # Pairs of an answer and the model built for its own placement, where the answer holds: plans whose doses
    # are exactly right, if perhaps not the best (the fallback when rounds do not settle).
    consistent: list[tuple[float, int, Model, Mapping[Any, Value]]] = []
    for round_ in range(MAX_ROUNDS):
        try:
            solution = solve(model.problem, **limit.solver())
        except NoSolution:
            # Explaining needs every rule as a constraint of its own: the same cells, posted again unpruned.
            full = _pose(
                model.athlete, model.weeks, model.cells, setup.rules, prune=False, verdicts=model.verdicts
            )
            if is_feasible(full.problem, **limit.solver()):
                # The hard rules agree; only costs that are not finite numbers left no best plan.
                raise _no_finite_score(math.inf) from None
            raise _infeasible(full, setup.rules, limit) from None
        assignment = cast(Mapping[Any, Value], solution.assignment)
        cost = solution.cost
        placed = _schedule(model, assignment)
        if placed == schedule:
            break
        if consistent and consistent[-1][1] == round_ - 1 and consistent[-1][0] <= cost + 1e-9:
            # The last round's answer holds in this round's model (built for its placement) and is as good as
            # this round's best: it is the plan (equally good plans could otherwise take turns).
            cost, _, model, assignment = consistent[-1]
            break
        # The doses were worked out for other places: work them out for these.
        cells, _ = _placed_cells(setup, placed)
        if blind and _equivalent(model, cells, setup.rules):
            # Only the one-slot rules read doses, and at these doses they judge every option as before: the
            # problem is the same, and so is its best answer. The slots take these doses.
            model.take_options(cells)
            break
        settled = _pose(setup.athlete, setup.weeks, cells, setup.rules, prune=True)
        kept = evaluate(settled.problem, assignment)
        if kept is not None:
            consistent.append((kept, round_, settled, assignment))
        schedule, model = placed, settled
    else:
        if not consistent:
            raise BudgetExceeded(
                f"the slots' places and their doses did not settle in {MAX_ROUNDS} rounds (each placement changed"
                " the doses enough to move the slots again); please report this week"
            )
        # No round settled: the best answer whose doses are exactly right for its own placement.
        cost, _, model, assignment = min(consistent, key=lambda item: (item[0], item[1]))
    slots: list[Slot] = []
    unplaced: list[Unplaced] = []
    memo: dict[Hashable, Any] = {}
    for cell in model.cells:
        value = assignment[cell.var]
        session = cell.session
        if value is None:
            unplaced.append(
                Unplaced(
                    week=cell.week,
                    session=session.name,
                    weekday=session.weekday,
                    reasons=_why_not(model, setup.rules, cell, assignment, memo),
                )
            )
        else:
            slots.append(_slot(cell, cell.options[value], memo, model.athlete, rules))
    deloads = sorted({slot.week for slot in slots if slot.deload})
    if not math.isfinite(cost):
        raise _no_finite_score(cost)
    return Plan(
        athlete=model.athlete,
        weeks=model.weeks,
        sessions=setup.week,
        week_overrides=tuple(setup.by_week[w] for w in sorted(setup.by_week)),
        slots=tuple(slots),
        unplaced=tuple(unplaced),
        deload_weeks=tuple(deloads),
        notes=(
            *_notes(model.athlete, setup.start, deloads, rules),
            *_exposures_note(model.athlete, setup.rules),
            *_nothing_to_plan(model),
        ),
        score=round(cost, 6),
        **dates,
    )


def _dates(start: object, plan_id: object, weeks: int) -> dict[str, Any]:
    """``start`` and ``plan_id`` as the plan will hold them, checked before any planning."""
    found: dict[str, Any] = {}
    if start is not None:
        found["start"] = check_start(start, weeks)
    if plan_id is not None:
        if not isinstance(plan_id, str) or not plan_id.strip():
            raise InvalidInput(f"'plan_id' must be a non-blank string (got {plan_id!r})", field="plan_id")
        found["plan_id"] = plan_id
    return found


def _no_finite_score(cost: float) -> InvalidInput:
    """The error for soft costs that add up to no number: only a user's own soft rule gets here, as the built-in
    weights are bounded by ``MAX_WEIGHT``."""
    return InvalidInput(
        f"'constraints': the soft rules' costs add up to {cost} (not a finite number), so no plan scores best;"
        " give your own soft rules finite costs and weights up to"
        f" {c.MAX_WEIGHT:g}",
        field="constraints",
    )


_FOCUS_WORDS = {
    Focus.LOWER: "lower-body",
    Focus.UPPER: "upper-body",
    Focus.FULL_BODY: "full-body",
    Focus.CIRCUIT: "circuit",
}

_ROLE_REASON = {
    Role.WARM_UP: "Warm-up: {session} opens with {lifts}, and a light set primes glutes and hamstrings first.",
    Role.FINISHER: "Finisher: {session} is a {focus} day; this closes it with hard glute and hamstring work.",
    Role.CIRCUIT: "Circuit: {session} is a circuit, and the single-leg hip thrust needs nothing but a support.",
}

_ROLE_WHERE = {
    Role.WARM_UP: "Do it before the heavy {lifts}: light and short, stop well before it gets hard.",
    Role.FINISHER: "Do it last in the session.",
    Role.CIRCUIT: "One station of the circuit.",
}


def _no_role(session: Session) -> str:
    """Why a session holds no slot whatever the rules say: no role belongs on its focus."""
    focus = _FOCUS_WORDS[session.focus]
    return (
        f"{session.name} is {_a(focus)} {focus} day, and a hip thrust goes only in a lower-body, full-body or"
        " circuit session."
    )


def _lifts(session: Session) -> str:
    heavy = sorted(lift.value for lift in session.lifts if lift.is_heavy_lower)
    return " and ".join(f"{name}s" for name in heavy) or "its main lifts"


def _slot(
    cell: Cell, option: Option, memo: dict[Hashable, Any], athlete: Athlete, policy: pg.Policy | None
) -> Slot:
    session = cell.session
    kept = option.rung == option.target
    own = athlete.rung or start_rung(athlete)
    key = ("slot", id(session), option.role, option.rung, option.target, kept)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _slot_words(session, option, kept, own)
    reasons, instructions = found
    said = option.reasons
    if option.matched_from is not None:
        said = (
            *said,
            pg.matched_reason(
                option.matched_from,
                option.dose,
                option.target,
                option.rung,
                athlete.bodyweight_kg,
                pg._policy(policy),
                athlete.load_kit,
            ),
        )
    return Slot(
        week=cell.week,
        session=session.name,
        weekday=session.weekday,
        role=option.role,
        exercise=option.rung.exercise,
        variation=option.rung.variation,
        dose=option.dose,
        deload=option.deload,
        resume=option.resume,
        state=option.state,
        instructions=instructions,
        reasons=(*reasons, *said),
    )


def _slot_words(
    session: Session, option: Option, kept: bool, own: Rung
) -> tuple[tuple[Reason, ...], tuple[str, ...]]:
    """A slot's reasons for its role and variation, and its instructions: the same every week."""
    exercise = CATALOG[option.rung.exercise]
    variation = exercise.variation(option.rung.variation)
    fill = {
        "session": session.name,
        "lifts": _lifts(session),
        "focus": _FOCUS_WORDS[session.focus],
    }
    reasons = [Reason(rule=f"role.{option.role.value}", text=_ROLE_REASON[option.role].format(**fill))]
    ladder = default_ladder()
    if (
        kept
        and option.role is not Role.WARM_UP
        and ladder.rank(option.target) < ladder.rank(own)
        and (own.exercise == option.target.exercise)
    ):
        reasons.append(
            Reason(
                rule="ladder.kit",
                text=(
                    f"{variation.name} rather than the athlete's {own.variation}: no session that can host a"
                    f" {option.role.value.replace('_', '-')} has the kit for it, so this role works and"
                    " progresses on what there is."
                ),
            )
        )
    elif kept:
        reasons.append(
            Reason(
                rule="ladder",
                text=f"{exercise.name}, {variation.name.lower()}: the athlete's current place on the ladder.",
            )
        )
    else:
        reasons.append(
            Reason(
                rule="ladder.kit",
                text=(
                    f"{variation.name} instead of {option.target.variation}: {session.name} lacks the equipment,"
                    " so the same exercise with what is there."
                ),
            )
        )
    instructions = [_ROLE_WHERE[option.role].format(**fill)]
    if variation.setup:
        instructions.append(variation.setup)
    if variation.switch_sides:
        instructions.extend(variation.notes)
    return tuple(reasons), tuple(instructions)


def _why_not(
    model: Model,
    rules: Sequence[c.Rule],
    cell: Cell,
    assignment: Mapping[Any, Value],
    memo: dict[Hashable, Any],
) -> tuple[Reason, ...]:
    if not cell.options:
        return (Reason(rule="focus", text=_no_role(cell.session)),)
    verdicts = model.verdicts
    if verdicts is None:
        verdicts = model.verdicts = _Verdicts(model, rules)
    allowed = (
        cell.allowed
        if cell.allowed is not None
        else [val for val in cell.options if val not in verdicts.refused(cell)]
    )
    if not allowed:
        # Refusals judged per shape (or per shape and doses) give the same words every week: write them once.
        _, by_doses, by_cell = verdicts.parts(cell)
        key = None if by_cell else ("texts", cell.shape, cell.doses if by_doses else None)
        if key is not None and key in memo:
            return memo[key]  # type: ignore[no-any-return]
        texts: dict[str, Reason] = {}
        for value, refusing in verdicts.rules(cell).items():
            facts = model.facts(cell, value)
            for rule in refusing:
                text = rule.refusal(facts)
                texts.setdefault(text, Reason(rule=rule.group, text=text[0].upper() + text[1:] + "."))
        reasons = tuple(texts.values())
        if key is not None:
            memo[key] = reasons
        return reasons
    found = memo.get("rules")
    if found is None:
        found = memo["rules"] = (
            next((r for r in rules if isinstance(r, c.Recovery)), None),
            next((r for r in rules if isinstance(r, c.Exposures)), None),
            next((r.target(model.athlete) for r in rules if isinstance(r, c.PreferredExposures)), None),
        )
    recovery, exposures, want = found
    if recovery is not None and all(_hard(v) for v in allowed):
        if "close" not in memo:
            memo["close"] = _close_cells(model, rules)
        for other in memo["close"].get(id(cell), ()):
            held = assignment.get(other.var)
            if held is not None and _hard(held):
                return _said(
                    memo,
                    recovery.group,
                    f"Recovery: {other.where} has a {held[0].value.replace('_', '-')}, and hard glute"
                    f" work needs {recovery.hours} h between sessions.",
                )
    count = memo.get(("count", cell.week))
    if count is None:
        count = memo["count", cell.week] = sum(
            assignment.get(x.var) is not None for x in model.week_cells(cell.week)
        )
    if exposures is not None and count >= exposures.max:
        return _said(memo, exposures.group, f"The week already has {count} slots, the most allowed.")
    if want is not None and count >= want:
        text = f"Not needed: the week already has {count} slot(s), the number aimed for."
    else:
        eve = next((r for r in rules if isinstance(r, c.HeavyDayEve) and r.weight > 0), None)
        before_heavy = ", no hard work the day before squats or deadlifts" if eve is not None else ""
        text = (
            "Left empty: a slot here would cost more than it gains under the plan's preferences (a steady slot"
            f" from week to week, few set-ups, the athlete's own variation{before_heavy})."
        )
    return _said(memo, "preference", text)


def _said(memo: dict[Hashable, Any], rule: str, text: str) -> tuple[Reason, ...]:
    """A one-reason explanation, made once per plan for each wording."""
    key = ("said", rule, text)
    found = memo.get(key)
    if found is None:
        found = memo[key] = (Reason(rule=rule, text=text),)
    return found


def _close_cells(model: Model, rules: Sequence[c.Rule]) -> dict[int, list[Cell]]:
    """For each cell, the cells too close to it for two hard exposures."""
    close: dict[int, list[Cell]] = {}
    for rule in rules:
        if isinstance(rule, c.Recovery):
            for a, b in rule.pairs(model.cells):
                close.setdefault(id(a), []).append(b)
                close.setdefault(id(b), []).append(a)
    return close


def _once(items: Any) -> Any:
    """A tuple of ``items`` when it is a one-shot iterable; anything else as it is, for the checks to judge."""
    if isinstance(items, Iterator):
        return tuple(items)
    return items


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _hard(value: Value) -> bool:
    return value is not None and value[0] is not Role.WARM_UP


def _nothing_to_plan(model: Model) -> tuple[Reason, ...]:
    """A note for a plan whose every week is a week off: no session anywhere, so no slot (not an error)."""
    if model.cells:
        return ()
    text = (
        "No sessions in any week of the plan: every week is a week off, so there is nothing to place."
        " Give the usual week (or the changed weeks) at least one session."
    )
    return (Reason(rule="weeks.off", text=text),)


def _notes(
    athlete: Athlete, start: Rung, deloads: Sequence[int], policy: pg.Policy | None
) -> tuple[Reason, ...]:
    exercise = CATALOG[start.exercise]
    variation = exercise.variation(start.variation)
    own = (
        "the athlete's own"
        if athlete.rung is not None or athlete.working
        else f"the usual start for {_a(athlete.level.value)} athlete"
    )
    notes = [
        Reason(
            rule="ladder.start", text=f"Starts at {exercise.name.lower()}, {variation.name.lower()}: {own}."
        )
    ]
    if athlete.bodyweight_kg is None:
        reference = (policy or pg.Policy()).reference_bodyweight_kg
        notes.append(
            Reason(
                rule="load.cap",
                text=(f"No bodyweight given: load caps are worked out for a {reference:g} kg athlete."),
            )
        )
    if deloads:
        notes.append(
            Reason(
                rule="deload",
                text=(
                    "Lighter weeks: "
                    + ", ".join(map(str, deloads))
                    + " (fewer sets and reps, then back to where you were)."
                ),
            )
        )
    return tuple(notes)


def _infeasible(model: Model, rules: Sequence[c.Rule], limit: _Limit) -> Infeasible:
    by_group = {r.group: r for r in rules}
    order = {r.group: i for i, r in enumerate(rules)}
    groups = sorted(
        minimal_conflict(model.problem, **limit.solver()), key=lambda g: (order.get(g, len(order)), g)
    )
    failing = _failing_weeks(model, rules, limit)
    conflicts: list[Conflict] = []
    lines: list[str] = []
    for group in groups:
        rule = by_group.get(group)
        text = rule.describe() if rule is not None else group
        where: list[str] = []
        details: list[str] = []
        if isinstance(rule, c.SlotRule):
            for cell in model.cells:
                if failing and cell.week not in failing:
                    continue
                refused = [
                    rule.refusal(model.facts(cell, val))
                    for val in cell.options
                    if rule.applies_to(cell) and not rule.allows(model.facts(cell, val))
                ]
                if refused:
                    where.append(cell.where)
                    details.append(refused[0])
        else:
            where = [x.where for x in model.cells if not failing or x.week in failing]
        conflicts.append(Conflict(rule=group, text=text, sessions=where))
        said = [d for d in dict.fromkeys(details) if d != text]
        detail = f": {'; '.join(said)}" if said else ""
        lines.append(f"- {text}{detail}")
    # Sessions no role belongs on are not a rule's doing: say so, as they are often the whole story.
    idle = {
        id(x.session): x.session for x in model.cells if not x.options and (not failing or x.week in failing)
    }
    if idle:
        names = ", ".join(session.name for session in idle.values())
        focuses = sorted({_FOCUS_WORDS[session.focus] for session in idle.values()})
        lines.append(
            f"- and {names} cannot hold one: {' and '.join(focuses)} days take no hip thrust (it goes in a"
            " lower-body, full-body or circuit session)"
        )
    ways = [rule.way_out() for rule in (by_group.get(group) for group in groups) if rule is not None]
    if idle:
        ways.insert(0, "make a session a lower-body, full-body or circuit day (Session(focus=...))")
    if not ways:
        ways = ["drop one of these rules from constraints=[...]"]
    if failing:
        labels = {x.week: x.label for x in model.cells}
        named = [f"week {w}" + (f" ({labels[w]})" if labels.get(w) else "") for w in failing]
        head = f"No plan fits {', '.join(named[:6])}{' and more' if len(named) > 6 else ''}"
    else:
        head = "No plan satisfies every rule"
    ways = list(dict.fromkeys(ways))
    message = (
        head
        + ". These rules cannot all hold:\n"
        + "\n".join(lines)
        + "\nWays out:\n"
        + "\n".join(f"- {way}" for way in ways)
    )
    return Infeasible(message, conflicts, ways)


_Refused = dict[tuple[Role, str], list[c.SlotRule]]


class _Verdicts:
    """What the one-slot rules say about every option of every cell of a model, judged as rarely as possible.

    A rule that reads neither the dose nor the week judges each cell shape once; one that reads the dose but not
    the week, each shape and set of doses once; the others (and rules with their own ``refused``) cell by cell.
    """

    def __init__(self, model: Model, rules: Sequence[c.Rule]) -> None:
        by_shape: dict[Hashable, list[Cell]] = {}
        by_doses: dict[Hashable, list[Cell]] = {}
        for cell in model.cells:
            by_shape.setdefault(cell.shape, []).append(cell)
            by_doses.setdefault((cell.shape, cell.doses), []).append(cell)
        self.by_shape: dict[Hashable, _Refused] = {}
        self.by_doses: dict[Hashable, _Refused] = {}
        self.by_cell: dict[int, _Refused] = {}
        self.forced: dict[int, list[str]] = {}
        """By cell id, the groups of the rules that demand a slot there."""
        for rule in rules:
            if not isinstance(rule, c.SlotRule):
                continue
            if rule.requires_slot or rule.uses_week or type(rule).refused is not c.SlotRule.refused:
                for cell, values in rule.refused(model):
                    # (a cell with nothing refused keeps no entry: it may still share its shape's verdicts)
                    if values:
                        found = self.by_cell.setdefault(id(cell), {})
                        for value in values:
                            found.setdefault(value, []).append(rule)
                    if rule.requires_slot:
                        self.forced.setdefault(id(cell), []).append(rule.group)
                continue
            groups, out = (by_doses, self.by_doses) if rule.uses_dose else (by_shape, self.by_shape)
            for key, cells in groups.items():
                first = cells[0]
                if rule.applies_to(first):
                    for value in first.options:
                        if not rule.allows(model.facts(first, value)):
                            out.setdefault(key, {}).setdefault(value, []).append(rule)

    def parts(self, cell: Cell) -> tuple[_Refused | None, _Refused | None, _Refused | None]:
        """The refusals of a cell judged by shape, by shape and doses, and by the cell itself."""
        return (
            self.by_shape.get(cell.shape),
            self.by_doses.get((cell.shape, cell.doses)),
            self.by_cell.get(id(cell)),
        )

    def refused(self, cell: Cell) -> set[tuple[Role, str]]:
        """The options of ``cell`` that some one-slot rule refuses."""
        found: set[tuple[Role, str]] = set()
        for part in self.parts(cell):
            if part:
                found.update(part)
        return found

    def rules(self, cell: Cell) -> _Refused:
        """Each refused option of ``cell`` with the rules that refuse it, in the order of the rules."""
        merged: _Refused = {}
        for part in self.parts(cell):
            if part:
                for value, rules in part.items():
                    merged.setdefault(value, []).extend(rules)
        return {value: merged[value] for value in cell.options if value in merged}


def _failing_weeks(model: Model, rules: Sequence[c.Rule], limit: _Limit) -> list[int]:
    """The weeks that cannot be planned even on their own (a week with no support surface, say)."""
    failing: list[int] = []
    verdict: dict[tuple[Any, ...], bool] = {}
    # Two weeks whose sessions fall on the same days and allow the same options under the one-slot rules are
    # equally (in)feasible on their own under the built-in rules: test one of them. A user's own multi-slot rule
    # might read more than that, so then every distinct week is tested.
    known = all(isinstance(r, c.SlotRule | c.Exposures | c.Recovery) for r in rules if r.hard)
    verdicts = (model.verdicts or _Verdicts(model, rules)) if known else None
    for week in range(1, model.weeks + 1):
        cells = list(model.week_cells(week))
        if not cells:
            continue
        if verdicts is not None:
            signature: tuple[Any, ...] = tuple(
                (
                    x.session.weekday,
                    frozenset(x.options) - verdicts.refused(x),
                    tuple(verdicts.forced.get(id(x), ())),
                )
                for x in cells
            )
        else:
            signature = tuple((x.session, *x.options.items()) for x in cells)
        if signature not in verdict:
            problem = Problem()
            for cell in cells:
                problem.variable(cell.var, cell.domain(), stage=cell.week)
            sub = Model(athlete=model.athlete, weeks=model.weeks, cells=cells, problem=problem)
            for rule in rules:
                if rule.hard:
                    rule.post(sub)
            verdict[signature] = is_feasible(problem, **limit.solver())
        if not verdict[signature]:
            failing.append(week)
    return failing
