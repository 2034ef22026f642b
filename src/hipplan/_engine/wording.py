"""A plan's words: the reasons of each slot, why a session got no slot, and the plan's notes."""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping, Sequence
from typing import Any

from .. import constraints as c
from .. import progression as pg
from ..athlete import Athlete, Session
from ..catalog import CATALOG
from ..exercises import Rung
from ..ladder import default_ladder
from ..plan import Reason, Slot
from ..vocabulary import Role, counted
from .inputs import start_rung
from .model import Cell, Model, Option, Value, is_hard
from .verdicts import Verdicts

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
    focus = session.focus.words
    return (
        f"{session.name} is {_a(focus)} {focus} day, and a hip thrust goes only in a lower-body, full-body or"
        " circuit session."
    )


def _lifts(session: Session) -> str:
    heavy = sorted(lift.value for lift in session.lifts if lift.is_heavy_lower)
    return " and ".join(f"{name}s" for name in heavy) or "its main lifts"


def slot_of(
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
                pg.Policy.of(policy),
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
        "focus": session.focus.words,
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


def why_not(
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
        verdicts = model.verdicts = Verdicts(model, rules)
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
    if recovery is not None and all(is_hard(v) for v in allowed):
        if "close" not in memo:
            memo["close"] = _close_cells(model, rules)
        for other in memo["close"].get(id(cell), ()):
            held = assignment.get(other.var)
            if held is not None and is_hard(held):
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
        text = f"Not needed: the week already has {counted(count, 'slot')}, the number aimed for."
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


def once(items: Any) -> Any:
    """A tuple of ``items`` when it is a one-shot iterable; anything else as it is, for the checks to judge."""
    if isinstance(items, Iterator):
        return tuple(items)
    return items


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def nothing_to_plan(model: Model) -> tuple[Reason, ...]:
    """A note for a plan whose every week is a week off: no session anywhere, so no slot (not an error)."""
    if model.cells:
        return ()
    text = (
        "No sessions in any week of the plan: every week is a week off, so there is nothing to place."
        " Give the usual week (or the changed weeks) at least one session."
    )
    return (Reason(rule="weeks.off", text=text),)


def notes_of(
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
