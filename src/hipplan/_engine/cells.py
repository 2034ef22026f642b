"""The model of one plan: where each role starts and how its dose moves (progression tracks), one cell per (week,
session) with the (role, variation) options the ladder and the kit allow, and every rule posted on them."""

from __future__ import annotations

import functools
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs

from .. import constraints as c
from .. import progression as pg
from .. import units
from ..athlete import Athlete, Session
from ..catalog import CATALOG
from ..dose import Dose
from ..errors import InvalidInput
from ..exercises import Rung, Variation
from ..ladder import default_ladder
from ..plan import Reason, WeekOverride
from ..solver import Problem
from ..state import State
from ..vocabulary import Equipment, Role
from .costs import WEEKLY, post_option_costs, post_weekly_costs
from .inputs import check_inputs, start_rung
from .model import Cell, Model, Option, Value
from .verdicts import Verdicts


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
    checked = pg.Policy.of(policy)
    ladder = default_ladder()
    every = {s for sessions in {id(x): x for x, _ in specs}.values() for s in sessions}
    tracks: dict[Role, Track] = {}
    for role in Role:
        focuses = role.focuses
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
            shown = units.show_dose(
                first.dose,
                athlete.unit,
                variation=rung.variation,
                kit=athlete.load_kit,
                per_side=CATALOG[rung.exercise].unilateral,
            )
            text = f"Starting from the athlete's own working dose on this variation, {shown}."
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
    checked = pg.Policy.of(policy)
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
                    if oi == 0 or (var.needs <= kit and session.focus in tracks[ri][0].focuses)
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


class Setup(NamedTuple):
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


def setup_plan(
    athlete: Athlete,
    sessions: Iterable[Session],
    weeks: int,
    *,
    constraints: Iterable[c.Rule],
    rules: pg.Policy | None,
    overrides: Iterable[WeekOverride] | Mapping[int, Iterable[Session]],
) -> Setup:
    athlete, week, weeks, by_week = check_inputs(athlete, sessions, weeks, overrides)
    if rules is not None and not isinstance(rules, pg.Policy):
        raise InvalidInput(f"'rules' must be a hipplan.Policy (got {rules!r})", field="rules")
    # Every working dose is checked, not only those a session's kit lets the plan start from: whether a request
    # is valid does not depend on which session has which kit.
    pg.check_working_doses(athlete, rules)
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
    return Setup(athlete, weeks, all_rules, specs, start, tracks, by_week, week, rules, cell_weeks)


def exposures_note(athlete: Athlete, rules: Sequence[c.Rule]) -> tuple[Reason, ...]:
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


def placed_cells(setup: Setup, schedule: Schedule) -> tuple[list[Cell], dict[Role, list[pg.Step]]]:
    """The cells whose options carry the doses the roles reach when their exposures are ``schedule``, and each
    role's step in each cell."""
    steps = {
        role: _walk(track, setup.cell_weeks, schedule.get(role, frozenset()))
        for role, track in setup.tracks.items()
    }
    return _cells(setup.athlete, setup.specs, steps, setup.policy), steps


def posed_model(setup: Setup, schedule: Schedule, *, prune: bool) -> tuple[Model, dict[Role, list[pg.Step]]]:
    """The model over :func:`placed_cells` for ``schedule``, every rule posted."""
    cells, steps = placed_cells(setup, schedule)
    return pose(setup.athlete, setup.weeks, cells, setup.rules, prune=prune), steps


def schedule_of(model: Model, assignment: Mapping[Any, Value]) -> Schedule:
    """Where a solution put each role's exposures."""
    found: dict[Role, set[int]] = {}
    for k, cell in enumerate(model.cells):
        value = assignment[cell.var]
        if value is not None:
            found.setdefault(value[0], set()).add(k)
    return {role: frozenset(ks) for role, ks in found.items()}


def guess(setup: Setup) -> Schedule:
    """A first guess at where each role's exposures go, to work out first doses from: once a week, in the
    week's first session whose focus suits the role. A wrong guess costs time, never correctness: :func:`plan`
    works the doses out again for the placement it gets, and solves again unless every option keeps its target
    rung and the rules that read doses (the time a slot takes) judge it alike."""
    schedule: dict[Role, set[int]] = {}
    k = 0
    for sessions, _ in setup.specs:
        for role in setup.tracks:
            first = next((i for i, s in enumerate(sessions) if s.focus in role.focuses), None)
            if first is not None:
                schedule.setdefault(role, set()).add(k + first)
        k += len(sessions)
    return {role: frozenset(ks) for role, ks in schedule.items()}


def dose_blind(rules: Sequence[c.Rule]) -> bool:
    """Whether no rule but the one-slot rules reads a slot's dose: every rule is one of hipplan's own (whose
    costs and multi-slot checks look at roles, variations and days), or a one-slot rule (judged in advance)."""
    return all(isinstance(r, c.SlotRule) or type(r).__module__ == c.__name__ for r in rules)


def equivalent(model: Model, cells: Sequence[Cell], rules: Sequence[c.Rule]) -> bool:
    """Whether ``cells`` (the same weeks and sessions as ``model``'s, at other doses) pose the same problem: the
    same options on the same rungs for the same targets, judged alike by every one-slot rule that reads doses.

    With the other rules blind to doses (:func:`dose_blind`), the model's best answer is then theirs too.
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
    setup = setup_plan(athlete, sessions, weeks, constraints=constraints, rules=rules, overrides=overrides)
    model, steps = posed_model(setup, guess(setup), prune=prune)
    return Built(model, setup.rules, steps, setup.start, setup.by_week, setup.week)


def pose(
    athlete: Athlete,
    weeks: int,
    cells: list[Cell],
    rules: Sequence[c.Rule],
    *,
    prune: bool,
    verdicts: Verdicts | None = None,
    fixed: Mapping[Hashable, Value] | None = None,
) -> Model:
    """A fresh model and problem over ``cells`` with the rules posted (the one-slot ones applied in advance when
    pruning). ``verdicts`` reuses what the one-slot rules already said about these cells. ``fixed`` holds cells
    (by their variable) to one value each: the value, if it is in the cell's domain, else an empty domain."""
    model = Model(athlete=athlete, weeks=weeks, cells=cells, problem=Problem())
    posted: Sequence[c.Rule] = rules
    if prune:
        model.verdicts = verdicts = verdicts or Verdicts(model, rules)
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
        if fixed is not None and cell.var in fixed:
            domain = tuple(v for v in domain if v == fixed[cell.var])
        problem.variable(cell.var, domain, stage=cell.week)
    # The one-slot preferences go in as one cost per cell, the built-in weekly counts as one cost per week
    # (fewer constraints to post, and fewer for the solver to read and evaluate).
    unary = [r for r in posted if isinstance(r, c.SlotPreference)]
    weekly = [r for r in posted if isinstance(r, c.SoftRule) and type(r) in WEEKLY]
    for rule in posted:
        if not isinstance(rule, c.SlotPreference) and type(rule) not in WEEKLY:
            rule.post(model)
    post_weekly_costs(model, weekly)
    post_option_costs(model, unary)
    return model
