"""The planner's implementation (see :mod:`hipplan.planner` for the public entry points).

The flow: validate the inputs; project the dose of each role week by week (:mod:`hipplan.progression`); build one
cell per (week, session) whose options are the (role, variation) pairs the ladder allows there; post every rule of
:mod:`hipplan.constraints`; solve (:mod:`hipplan.solver`); turn the answer into slots with their reasons. When no plan
satisfies the hard rules, :class:`~hipplan.Infeasible` names a minimal set of rules that conflict and where.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple, cast

from . import constraints as c
from . import progression as pg
from ._model import Cell, Model, Option, Value
from ._validate import trusted
from .athlete import Athlete, Session, check_week
from .catalog import CATALOG
from .dose import Dose
from .errors import Conflict, Infeasible, InvalidInput
from .exercises import Rung, Variation
from .ladder import default_ladder
from .plan import Plan, Reason, Slot, Unplaced, WeekOverride
from .planner import DEFAULT_BUDGET
from .solver import NoSolution, Problem, is_feasible, minimal_conflict, solve
from .vocabulary import Equipment, Focus, Level, Role

__all__ = ["build_model", "collector_paused", "default_rung", "plan"]


MAX_WEEKS = 520

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
    for s in (*week, *(s for o in by_week.values() for s in o.sessions)):
        if s.place is not None:
            athlete.place(s.place)
    return athlete, week, weeks, by_week


def _project(
    athlete: Athlete, weeks: int, specs: Sequence[tuple[tuple[Session, ...], str]], policy: pg.Policy | None
) -> tuple[Rung, dict[Role, tuple[pg.Step, ...]]]:
    start = athlete.rung or default_rung(athlete.level)
    # Most weeks share one tuple of sessions: look at each distinct tuple once.
    every = {s for sessions in {id(x): x for x, _ in specs}.values() for s in sessions}
    steps: dict[Role, tuple[pg.Step, ...]] = {}
    for role, focuses in _ROLE_FOCUS.items():
        hosts = [s for s in every if s.focus in focuses]
        if not hosts:
            continue
        kit: frozenset[Equipment] = frozenset().union(*(athlete.kit(s) for s in hosts))
        rung = start if role is not Role.WARM_UP else Rung(exercise=start.exercise, variation="bodyweight")
        first = pg.starting_dose(athlete, role, rung, policy=policy)
        steps[role] = pg.project(first, weeks, role=role, rung=rung, kit=kit, athlete=athlete, policy=policy)
    return start, steps


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
    matched: dict[tuple[Dose, Rung, Rung], Dose],
) -> Option:
    """What a role offers in one week with one variation: the target's own dose, or one matched in effort
    (``matched`` keeps the matches already made: roles that progress alike need the same ones). The reason for
    a match is written only if the option becomes a slot."""
    target = step.rung
    dose = step.dose
    source = None
    if rung != target:
        key = (dose, target, rung)
        found = matched.get(key)
        if found is None:
            found = matched[key] = pg._matched_dose(dose, target, rung, athlete, policy)
        source, dose = dose, found
    minutes = c.slot_minutes(
        dose, unilateral=CATALOG[target.exercise].unilateral, switch_sides=var.switch_sides
    )
    # role, rung, target, dose, minutes, deload, resume, reasons, matched_from
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
    )


def _cells(
    athlete: Athlete,
    specs: Sequence[tuple[tuple[Session, ...], str]],
    steps: Mapping[Role, Sequence[pg.Step]],
    policy: pg.Policy | None,
) -> list[Cell]:
    """One cell per (week, session), its options following the ladder within the session's kit.

    Every role offers its target variation in every cell, eligible or not: the rules refuse what does not fit,
    and so can say why a session got no slot. Easier variations are offered only where the kit allows them and
    the role belongs on the session's focus.

    Cells that offer the same rungs in the same session share a ``shape``; cells whose weeks also prescribe the
    same doses share ``doses``: the one-slot rules judge each such group once.
    """
    tracks = [(role, steps[role]) for role in _ROLE_ORDER if role in steps]
    kits: dict[int, frozenset[Equipment]] = {}
    target_ids: dict[tuple[Rung, ...], int] = {}
    dose_ids: dict[tuple[int, tuple[Any, ...]], int] = {}
    picks: dict[tuple[int, int], list[tuple[int, int]]] = {}
    needs: dict[tuple[int, tuple[int, ...]], list[tuple[int, int]]] = {}
    matched: dict[tuple[Dose, Rung, Rung], Dose] = {}
    checked = pg._policy(policy)
    cells: list[Cell] = []
    for w, (sessions, label) in enumerate(specs, start=1):
        if not sessions:
            continue
        week_steps = [track[w - 1] for _, track in tracks]
        targets = tuple(step.rung for step in week_steps)
        tid = target_ids.setdefault(targets, len(target_ids))
        did = dose_ids.setdefault((tid, tuple(step.dose for step in week_steps)), len(dose_ids))
        candidates = [
            _candidates(step.rung, role) for (role, _), step in zip(tracks, week_steps, strict=True)
        ]
        week_picks = []
        for session in sessions:
            sid = id(session)
            pick = picks.get((sid, tid))
            if pick is None:
                kit = kits.get(sid)
                if kit is None:
                    kit = kits[sid] = athlete.kit(session)
                # The target variation always (the rules say why it cannot go where the kit is short or the
                # role does not belong), easier ones where the kit has what they need and the role belongs on
                # the session's focus (elsewhere the role rules refuse them all alike).
                pick = picks[sid, tid] = [
                    (ri, oi)
                    for ri, role_candidates in enumerate(candidates)
                    for oi, (var, _) in enumerate(role_candidates)
                    if oi == 0 or (var.needs <= kit and session.focus in _ROLE_FOCUS[tracks[ri][0]])
                ]
            week_picks.append(pick)
        # Only the variations some session of the week can use get an option (matching effort costs).
        ids = tuple(map(id, sessions))
        needed = needs.get((tid, ids))
        if needed is None:
            needed = needs[tid, ids] = sorted({item for pick in week_picks for item in pick})
        offered: dict[tuple[int, int], tuple[tuple[Role, str], Option]] = {}
        for ri, oi in needed:
            role = tracks[ri][0]
            var, rung = candidates[ri][oi]
            offered[ri, oi] = (
                (role, var.id),
                _role_option(athlete, role, week_steps[ri], var, rung, checked, matched),
            )
        for session, pick in zip(sessions, week_picks, strict=True):
            options = {}
            for item in pick:
                value, option = offered[item]
                options[value] = option
            cells.append(
                Cell(
                    week=w,
                    session=session,
                    kit=kits[id(session)],
                    label=label,
                    options=options,
                    shape=(id(session), tid),
                    doses=did,
                )
            )
    return cells


class Built(NamedTuple):
    """What :func:`build_model` gives: the model and what was worked out on the way."""

    model: Model
    rules: tuple[c.Rule, ...]
    steps: dict[Role, tuple[pg.Step, ...]]
    start: Rung
    by_week: dict[int, WeekOverride]
    week: tuple[Session, ...]


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
    """Validate the inputs and build the planning model with every rule posted (for tests and benchmarks).

    With ``prune``, the one-slot rules are applied in advance: refused options leave the domains instead of
    becoming constraints. The problem has the same solutions and is faster to solve, but a conflict can then
    only be explained in terms of the other rules, so ``plan()`` poses the same cells again without pruning to
    explain one.
    """
    athlete, week, weeks, by_week = _check_inputs(athlete, sessions, weeks, overrides)
    if rules is not None and not isinstance(rules, pg.Policy):
        raise InvalidInput(f"'rules' must be a hipplan.Policy (got {rules!r})", field="rules")
    all_rules = c.effective_rules(constraints)
    specs = [
        (by_week[w].sessions, by_week[w].label or "changed week") if w in by_week else (week, "")
        for w in range(1, weeks + 1)
    ]
    start, steps = _project(athlete, weeks, specs, rules)
    cells = _cells(athlete, specs, steps, rules)
    model = _pose(athlete, weeks, cells, all_rules, prune=prune)
    return Built(model, all_rules, steps, start, by_week, week)


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


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while planning, and turn it back on after (only if it was on).

    A plan makes many short-lived objects. Reference counting frees them as they go, but their number alone
    makes the collector run, several times per plan at long horizons, and now and then over every object the
    program holds: in an app with a large heap that costs more than the plan. A plan leaves no cycles behind
    (the solver's recursive searches let go of themselves), so nothing waits for the collector's next run.
    The switch is process-wide: a thread that turns the collector off while a plan is running finds it on
    again when the plan ends.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def plan(
    athlete: Athlete,
    sessions: Iterable[Session],
    weeks: int,
    *,
    constraints: Iterable[c.Rule] = (),
    rules: pg.Policy | None = None,
    overrides: Iterable[WeekOverride] | Mapping[int, Iterable[Session]] = (),
    budget: int = DEFAULT_BUDGET,
) -> Plan:
    """The work behind :func:`hipplan.planner.plan`, which documents the arguments and the errors."""
    # The inputs are read more than once (again to explain a conflict): iterators become tuples first.
    sessions, constraints = _once(sessions), _once(constraints)
    if not isinstance(overrides, Mapping):
        overrides = _once(overrides)
    model, all_rules, steps, start, by_week, week = build_model(
        athlete, sessions, weeks, constraints=constraints, rules=rules, overrides=overrides, prune=True
    )
    try:
        solution = solve(model.problem, budget=budget)
    except NoSolution:
        # Explaining needs every rule as a constraint of its own: the same cells, posted again unpruned.
        full = _pose(model.athlete, model.weeks, model.cells, all_rules, prune=False, verdicts=model.verdicts)
        raise _infeasible(full, all_rules, budget) from None
    slots: list[Slot] = []
    unplaced: list[Unplaced] = []
    memo: dict[Hashable, Any] = {}
    assignment = cast(Mapping[Any, Value], solution.assignment)
    for cell in model.cells:
        value = assignment[cell.var]
        session = cell.session
        if value is None:
            unplaced.append(
                trusted(
                    Unplaced,
                    week=cell.week,
                    session=session.name,
                    weekday=session.weekday,
                    reasons=_why_not(model, all_rules, cell, assignment, memo),
                )
            )
        else:
            slots.append(_slot(cell, cell.options[value], memo, model.athlete, rules))
    deloads = sorted({st.week for track in steps.values() for st in track if st.deload})
    return Plan(
        athlete=model.athlete,
        weeks=model.weeks,
        sessions=week,
        week_overrides=tuple(by_week[w] for w in sorted(by_week)),
        slots=tuple(slots),
        unplaced=tuple(unplaced),
        deload_weeks=tuple(deloads),
        notes=_notes(model.athlete, start, deloads, rules),
        score=round(solution.cost, 6),
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


def _lifts(session: Session) -> str:
    heavy = sorted(lift.value for lift in session.lifts if lift.is_heavy_lower)
    return " and ".join(f"{name}s" for name in heavy) or "its main lifts"


def _slot(
    cell: Cell, option: Option, memo: dict[Hashable, Any], athlete: Athlete, policy: pg.Policy | None
) -> Slot:
    session = cell.session
    kept = option.rung == option.target
    key = ("slot", id(session), option.role, option.rung, kept)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _slot_words(session, option, kept)
    reasons, instructions = found
    said = option.reasons
    if option.matched_from is not None:
        why_key = ("matched", option.matched_from, option.target, option.rung)
        why = memo.get(why_key)
        if why is None:
            why = memo[why_key] = pg._matched_reason(
                option.matched_from, option.dose, option.target, option.rung, athlete, pg._policy(policy)
            )
        said = (*said, why)
    return trusted(
        Slot,
        week=cell.week,
        session=session.name,
        weekday=session.weekday,
        role=option.role,
        exercise=option.rung.exercise,
        variation=option.rung.variation,
        dose=option.dose,
        deload=option.deload,
        resume=option.resume,
        instructions=instructions,
        reasons=(*reasons, *said),
    )


def _slot_words(session: Session, option: Option, kept: bool) -> tuple[tuple[Reason, ...], tuple[str, ...]]:
    """A slot's reasons for its role and variation, and its instructions: the same every week."""
    exercise = CATALOG[option.rung.exercise]
    variation = exercise.variation(option.rung.variation)
    fill = {
        "session": session.name,
        "lifts": _lifts(session),
        "focus": _FOCUS_WORDS[session.focus],
    }
    reasons = [Reason(rule=f"role.{option.role.value}", text=_ROLE_REASON[option.role].format(**fill))]
    if kept:
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
        return (Reason(rule="ladder", text=f"{cell.session.name} offers no role this exercise can take."),)
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
        text = (
            "Left empty: a slot here would cost more than it gains under the plan's preferences (a steady slot"
            " from week to week, few set-ups, the athlete's own variation)."
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


def _notes(
    athlete: Athlete, start: Rung, deloads: Sequence[int], policy: pg.Policy | None
) -> tuple[Reason, ...]:
    exercise = CATALOG[start.exercise]
    variation = exercise.variation(start.variation)
    own = (
        "the athlete's own"
        if athlete.rung is not None
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


def _infeasible(model: Model, rules: Sequence[c.Rule], budget: int) -> Infeasible:
    by_group = {r.group: r for r in rules}
    order = {r.group: i for i, r in enumerate(rules)}
    groups = sorted(
        minimal_conflict(model.problem, budget=budget), key=lambda g: (order.get(g, len(order)), g)
    )
    failing = _failing_weeks(model, rules, budget)
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
        detail = f": {'; '.join(dict.fromkeys(details))}" if details else ""
        lines.append(f"- {text}{detail}")
    if failing:
        labels = {x.week: x.label for x in model.cells}
        named = [f"week {w}" + (f" ({labels[w]})" if labels.get(w) else "") for w in failing]
        head = f"No plan fits {', '.join(named[:6])}{' and more' if len(named) > 6 else ''}"
    else:
        head = "No plan satisfies every rule"
    message = head + ". These rules cannot all hold:\n" + "\n".join(lines)
    return Infeasible(message, conflicts)


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


def _failing_weeks(model: Model, rules: Sequence[c.Rule], budget: int) -> list[int]:
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
            verdict[signature] = is_feasible(problem, budget=budget)
        if not verdict[signature]:
            failing.append(week)
    return failing
