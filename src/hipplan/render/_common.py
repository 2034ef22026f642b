"""What every view shares: the words and numbers of one slot, the weeks in order, the exercises a plan uses.

Each view (text, Markdown, HTML, iCalendar, records) formats the same cells, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

import attrs

from .. import units
from ..athlete import WEEKDAYS
from ..catalog import CATALOG
from ..dose import Dose
from ..exercises import Exercise, Variation
from ..plan import Plan, Slot, Unplaced
from ..units import Kit
from ..vocabulary import Role, Unit, counted

__all__ = [
    "COLUMNS",
    "ROLE_LABELS",
    "SIDE_SWITCH",
    "WeekView",
    "day_text",
    "dose_sentence",
    "exercise_name",
    "legend",
    "lighter_text",
    "minutes_text",
    "pause_text",
    "plan_title",
    "rest_text",
    "rir_text",
    "slot_cells",
    "slot_date",
    "tempo_text",
    "used_exercises",
    "used_variations",
    "variation_name",
    "weeks",
]

ROLE_LABELS: dict[Role, str] = {Role.WARM_UP: "warm-up", Role.FINISHER: "finisher", Role.CIRCUIT: "circuit"}

COLUMNS = ("Day", "Session", "Role", "Exercise", "Sets x reps", "Load", "Tempo", "Rest", "RIR", "Min")
"""The columns of every week table, in order."""

DOSE_COLUMNS = 4
"""Index of the first column that holds the dose (sets x reps, then load, tempo, rest, RIR, minutes)."""

UP_S = 1.0
"""Seconds the hips take to go up, as :attr:`hipplan.Dose.seconds_per_rep` counts them."""

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
    """A load as a number in the athlete's unit (see :func:`hipplan.units.load_value`)."""
    return units.load_value(load_kg, unit)


def pause_text(pause_s: float) -> str:
    """A pause: ``2 s``, or ``-`` for none."""
    return f"{pause_s:g} s" if pause_s else "-"


def tempo_text(dose: Dose) -> str:
    """The tempo in the order a rep goes, up-hold-down in seconds: ``1-2-3`` is 1 s up, a 2 s hold at the top,
    3 s to lower (see :func:`legend`)."""
    return f"{UP_S:g}-{dose.pause_s:g}-{dose.lower_s:g}"


def tempo_words(dose: Dose) -> str:
    """The tempo spelt out: ``1 s up, hold 2 s at the top, 3 s down``."""
    hold = f"hold {dose.pause_s:g} s at the top" if dose.pause_s else "no hold at the top"
    return f"{UP_S:g} s up, {hold}, {dose.lower_s:g} s down"


def rest_text(rest_s: int) -> str:
    """Rest between sets: ``60 s``, ``90 s``."""
    return f"{rest_s} s"


def rir_text(rir: int | None) -> str:
    """The reps-in-reserve target: ``2``, or ``-`` when the dose sets none."""
    return "-" if rir is None else str(rir)


def minutes_text(minutes: float) -> str:
    """Minutes a slot takes, rounded up to a whole minute: ``8``."""
    return str(max(1, math.ceil(minutes - 1e-9)))


def slot_date(slot: Slot | Unplaced, start: dt.date | None) -> dt.date | None:
    """The date of a slot when the plan's start (the Monday of week 1) is known, else None."""
    if start is None:
        return None
    return start + dt.timedelta(weeks=slot.week - 1, days=slot.weekday)


def day_text(slot: Slot | Unplaced, start: dt.date | None) -> str:
    """The day of a slot: ``Mon``, or ``Mon 4 Jan`` when the plan's start is known."""
    day = WEEKDAYS[slot.weekday][:3]
    date = slot_date(slot, start)
    return day if date is None else f"{day} {date.day} {date.strftime('%b')}"


def slot_cells(
    slot: Slot, unit: Unit, start: dt.date | None = None, kit: Kit | None = None
) -> tuple[str, ...]:
    """The cells of one table row, in :data:`COLUMNS` order; the day carries its date when ``start`` is known,
    and the load is written as ``kit`` makes it (the athlete's :attr:`~hipplan.Athlete.load_kit`)."""
    dose = slot.dose
    return (
        day_text(slot, start),
        slot.session,
        ROLE_LABELS.get(slot.role, str(slot.role)),
        exercise_name(slot),
        sets_reps(slot),
        units.show_load(dose.load_kg, unit, variation=slot.variation, kit=kit),
        tempo_text(dose),
        rest_text(dose.rest_s),
        rir_text(dose.rir),
        minutes_text(slot.minutes),
    )


def legend(unit: Unit, plan: Plan | None = None) -> list[str]:
    """What the columns mean, said once at the top of every sheet (how a landmine load reads, when ``plan`` has
    one)."""
    landmine = plan is not None and any(slot.variation == "landmine" for slot in plan.slots)
    bar = (
        " On the landmine, 'bar' is the bar alone and 'bar + 5' the plates to add to its sleeve (the hip carries"
        " about half the bar's own weight as well)."
        if landmine
        else ""
    )
    return [
        "Sets x reps: '/side' means per side (finish every rep on one leg, then the other); without it, both"
        " legs work together.",
        f"Load in {unit.value}; '-' means bodyweight (no external load).{bar}",
        "Tempo is up-hold-down in seconds, in the order a rep goes: 1-2-3 means drive the hips up in 1 s, hold"
        " 2 s at the top, lower in 3 s. A longer hold or a slower lowering makes each set longer and harder.",
        "Rest is between sets. RIR is the reps to keep in reserve at the end of each set: RIR 2 means stop when"
        " you could still do two more good reps.",
        "Min is the minutes the slot takes, set-up and rests included.",
    ]


DELOAD_ONLY = "easier on purpose than the weeks around it"
"""What a deload slot says when its dose is no lighter than the one it comes back to, or that one is unknown."""


def lighter_text(slot: Slot, unit: Unit, kit: Kit | None = None) -> str:
    """What a deload slot makes lighter than the dose it comes back to: ``2 sets instead of 3, RIR 3 instead of
    2``; "" for a slot that is not a deload."""
    if not slot.deload:
        return ""
    dose, before = slot.dose, slot.resume
    if before is None:
        return DELOAD_ONLY
    parts: list[str] = []
    if dose.sets < before.sets:
        parts.append(f"{counted(dose.sets, 'set')} instead of {before.sets}")
    if dose.reps < before.reps:
        parts.append(f"{counted(dose.reps, 'rep')} instead of {before.reps}")
    if dose.load_kg < before.load_kg:
        now, then = (
            units.show_load(d.load_kg, unit, variation=slot.variation, kit=kit) for d in (dose, before)
        )
        parts.append(f"load {now} instead of {then}")
    if dose.pause_s < before.pause_s or dose.lower_s < before.lower_s:
        parts.append(f"tempo {tempo_text(dose)} instead of {tempo_text(before)}")
    if dose.rir is not None and (before.rir is None or dose.rir > before.rir):
        instead = f" instead of {before.rir}" if before.rir is not None else ""
        parts.append(f"RIR {dose.rir}{instead} (more reps in reserve)")
    if not parts:
        return DELOAD_ONLY
    return ", ".join(parts)


def dose_sentence(slot: Slot, unit: Unit, kit: Kit | None = None) -> str:
    """The whole dose in words, for a view without columns (a calendar event)."""
    dose = slot.dose
    load = units.show_load(dose.load_kg, unit, variation=slot.variation, kit=kit)
    parts = [
        sets_reps(slot),
        f"load {load if load != '-' else 'bodyweight'}",
        f"tempo {tempo_text(dose)} ({tempo_words(dose)})",
        f"rest {rest_text(dose.rest_s)} between sets",
    ]
    if dose.rir is not None:
        reps = "rep" if dose.rir == 1 else "reps"
        parts.append(f"RIR {dose.rir} (stop with {dose.rir} {reps} in reserve)")
    parts.append(f"about {minutes_text(slot.minutes)} min in all")
    return ", ".join(parts) + "."


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
    monday: dt.date | None = None
    """The week's Monday when the plan's start is known."""

    @property
    def dates(self) -> str:
        """The week's Monday to Sunday: ``4-10 Jan 2027``, ``29 Mar - 4 Apr 2027``; "" without a start."""
        if self.monday is None:
            return ""
        return date_range(self.monday, self.monday + dt.timedelta(days=6))

    @property
    def title(self) -> str:
        """The heading: ``Week 4 (deload: a lighter week)``, ``Week 5 (1-7 Feb 2027; travel)``."""
        marks = [self.dates] if self.monday is not None else []
        if self.label:
            marks.append(self.label)
        if self.deload:
            marks.append("deload: a lighter week")
        return f"Week {self.number}" + (f" ({'; '.join(marks)})" if marks else "")


def date_range(first: dt.date, last: dt.date) -> str:
    """Two dates for people, the month and year said once where they agree: ``4-10 Jan 2027``."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{last.day} {last.strftime('%b')} {last.year}"
    if first.year == last.year:
        return f"{first.day} {first.strftime('%b')} - {last.day} {last.strftime('%b')} {last.year}"
    return f"{first.day} {first.strftime('%b')} {first.year} - {last.day} {last.strftime('%b')} {last.year}"


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
            monday=None if plan.start is None else plan.start + dt.timedelta(weeks=number - 1),
        )


def lighter_lines(week: WeekView, unit: Unit, kit: Kit | None = None) -> list[tuple[str, str]]:
    """(sessions, what is lighter) for the deload slots of a week, sessions with the same change together."""
    found: dict[str, list[str]] = {}
    for slot in week.slots:
        text = lighter_text(slot, unit, kit)
        if text and slot.session not in found.setdefault(text, []):
            found[text].append(slot.session)
    return [(", ".join(names), text) for text, names in found.items()]


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
        text += f", {units.show_bodyweight(athlete.bodyweight_kg, athlete.unit)}"
    return text
