"""What every view shares: the words and numbers of one slot, the weeks in order, the exercises a plan uses.

Each view (text, Markdown, HTML, iCalendar, records) formats the same cells, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ..athlete import WEEKDAYS
from ..catalog import CATALOG
from ..exercises import Exercise, Variation
from ..plan import Plan, Slot, Unplaced
from ..vocabulary import Role, Unit

__all__ = [
    "COLUMNS",
    "ROLE_LABELS",
    "SIDE_SWITCH",
    "WeekView",
    "exercise_name",
    "load_text",
    "pause_text",
    "plan_title",
    "slot_cells",
    "used_exercises",
    "used_variations",
    "variation_name",
    "weeks",
]

ROLE_LABELS: dict[Role, str] = {Role.WARM_UP: "warm-up", Role.FINISHER: "finisher", Role.CIRCUIT: "circuit"}

COLUMNS = ("Day", "Session", "Role", "Exercise", "Sets x reps", "Load", "Pause")
"""The columns of every week table, in order."""

SIDE_SWITCH = (
    "Side switch, step by step: do every set for the leg nearest the landmine; then move the bench to the"
    " other side of the bar (or walk round to it) and do the same sets with the other leg. The move counts as"
    " rest."
)


def exercise(slot_exercise: str) -> Exercise | None:
    """The catalogue entry of an exercise id, or None for an exercise hipplan does not know."""
    # Not CATALOG.get: a missing id raises InvalidInput, which Mapping.get does not catch.
    return CATALOG[slot_exercise] if slot_exercise in CATALOG else None  # noqa: SIM401


def variation(exercise_id: str, variation_id: str) -> Variation | None:
    """The catalogue entry of a variation, or None."""
    ex = exercise(exercise_id)
    if ex is None:
        return None
    return next((var for var in ex.variations if var.id == variation_id), None)


def exercise_name(slot: Slot) -> str:
    """The exercise's name and the variation in lower case: ``Single-leg hip thrust, landmine``."""
    ex = exercise(slot.exercise)
    return f"{ex.name if ex is not None else slot.exercise}, {variation_name(slot).lower()}"


def variation_name(slot: Slot) -> str:
    """The variation's display name ("Landmine"), or its id when it is not in the catalogue."""
    var = variation(slot.exercise, slot.variation)
    return var.name if var is not None else slot.variation


def per_side(slot: Slot) -> bool:
    """Whether sets and reps count per side (one leg at a time)."""
    ex = exercise(slot.exercise)
    return ex is None or ex.unilateral


def sets_reps(slot: Slot) -> str:
    """Sets x reps: ``3 x 10/side``, or ``3 x 10`` for a two-legged exercise."""
    text = f"{slot.dose.sets} x {slot.dose.reps}"
    return text + "/side" if per_side(slot) else text


def load_value(load_kg: float, unit: Unit) -> float:
    """A load in the athlete's unit, to 0.1."""
    return round(unit.from_kg(load_kg), 1)


def load_text(load_kg: float, unit: Unit) -> str:
    """A load for people: ``20 kg``, ``44.1 lb``, or ``-`` for no external load."""
    if not load_kg:
        return "-"
    return f"{load_value(load_kg, unit):g} {unit.value}"


def pause_text(pause_s: float) -> str:
    """A pause: ``2 s``, or ``-`` for none."""
    return f"{pause_s:g} s" if pause_s else "-"


def slot_cells(slot: Slot, unit: Unit) -> tuple[str, ...]:
    """The cells of one table row, in :data:`COLUMNS` order."""
    return (
        WEEKDAYS[slot.weekday][:3],
        slot.session,
        ROLE_LABELS.get(slot.role, str(slot.role)),
        exercise_name(slot),
        sets_reps(slot),
        load_text(slot.dose.load_kg, unit),
        pause_text(slot.dose.pause_s),
    )


@attrs.frozen
class WeekView:
    """One week of a plan as the views show it."""

    number: int
    slots: tuple[Slot, ...]
    unplaced: tuple[Unplaced, ...]
    deload: bool
    label: str
    """The override's label ("travel"), "changed week" for an unlabelled one, or "" for the usual week."""
    sessions: int
    """How many sessions the week has (0 for a week off)."""

    @property
    def title(self) -> str:
        """The heading: ``Week 4 (deload: a lighter week)``, ``Week 5 (travel)``."""
        marks = []
        if self.label:
            marks.append(self.label)
        if self.deload:
            marks.append("deload: a lighter week")
        return f"Week {self.number}" + (f" ({'; '.join(marks)})" if marks else "")


def weeks(plan: Plan) -> Iterator[WeekView]:
    """Every week of the plan, in order, with its slots and its sessions without a slot."""
    labels = {o.week: o.label or "changed week" for o in plan.week_overrides}
    deloads = set(plan.deload_weeks)
    for number in range(1, plan.weeks + 1):
        slots = plan.week(number)
        yield WeekView(
            number=number,
            slots=slots,
            unplaced=tuple(u for u in plan.unplaced if u.week == number),
            deload=number in deloads or any(s.deload for s in slots),
            label=labels.get(number, ""),
            sessions=len(plan.sessions_for(number)),
        )


def used_exercises(plan: Plan) -> list[Exercise]:
    """The catalogue exercises the plan uses, in order of first use."""
    seen: dict[str, Exercise] = {}
    for slot in plan.slots:
        ex = exercise(slot.exercise)
        if ex is not None and ex.id not in seen:
            seen[ex.id] = ex
    return list(seen.values())


def used_variations(plan: Plan) -> list[tuple[Exercise, Variation]]:
    """The catalogue variations the plan uses that have their own set-up or notes, in order of first use."""
    seen: dict[tuple[str, str], tuple[Exercise, Variation]] = {}
    for slot in plan.slots:
        ex = exercise(slot.exercise)
        var = variation(slot.exercise, slot.variation)
        if ex is not None and var is not None and (var.setup or var.is_loaded or var.switch_sides):
            seen.setdefault((ex.id, var.id), (ex, var))
    return list(seen.values())


def variation_lines(var: Variation) -> list[str]:
    """What to know about a variation: set-up, notes, and the side switch for a landmine."""
    lines = [var.setup] if var.setup else []
    lines.extend(var.notes)
    if var.switch_sides:
        lines.append(SIDE_SWITCH)
    return lines


def session_instructions(plan: Plan) -> list[tuple[str, str]]:
    """(where, instruction) pairs from the slots, each instruction once with every session it applies to.

    ``where`` reads "Mon squat, Thu pull (finisher)". Variation notes printed elsewhere are left out.
    """
    printed = {line for _ex, var in used_variations(plan) for line in variation_lines(var)}
    found: dict[str, dict[str, list[str]]] = {}
    for slot in plan.slots:
        role = ROLE_LABELS.get(slot.role, str(slot.role))
        for line in slot.instructions:
            if line in printed:
                continue
            sessions = found.setdefault(line, {}).setdefault(role, [])
            if slot.session not in sessions:
                sessions.append(slot.session)
    return [
        ("; ".join(f"{', '.join(names)} ({role})" for role, names in roles.items()), line)
        for line, roles in found.items()
    ]


def plan_title(plan: Plan) -> str:
    """The plan's heading: ``8-week single-leg hip thrust plan for an advanced athlete, 70 kg``."""
    athlete = plan.athlete
    level = athlete.level.value
    article = "an" if level[0] in "aeiou" else "a"
    text = f"{plan.weeks}-week single-leg hip thrust plan for {article} {level} athlete"
    if athlete.bodyweight_kg is not None:
        text += f", {load_value(athlete.bodyweight_kg, athlete.unit):g} {athlete.unit.value}"
    return text
