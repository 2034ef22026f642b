"""Records: one flat dict per slot, for a DataFrame, a CSV writer or a spreadsheet."""

from __future__ import annotations

from typing import Any

from ..athlete import WEEKDAYS
from ..errors import require
from ..plan import Plan
from . import _common as c

__all__ = ["RECORD_FIELDS", "plan_dataframe", "plan_records"]

RECORD_FIELDS = (
    "week",
    "weekday",
    "day",
    "date",
    "session",
    "role",
    "exercise",
    "variation",
    "sets",
    "reps",
    "per_side",
    "load_kg",
    "load",
    "unit",
    "tempo",
    "pause_s",
    "lower_s",
    "rest_s",
    "rir",
    "minutes",
    "deload",
    "lighter",
    "week_label",
    "instructions",
    "reasons",
)
"""The keys of every record, in order (also the DataFrame's columns)."""


def plan_records(plan: Plan) -> list[dict[str, Any]]:
    """One flat dict per slot, in the plan's (week, weekday) order; values are str, int, float, bool, date or
    None.

    ``load`` is the load in the athlete's ``unit``; ``load_kg`` is always in kilograms. ``date`` is the
    session's date (a ``datetime.date``) when the plan has a start, else None. ``tempo`` is up-hold-down in
    seconds as the sheets show it (``1-2-3``), ``pause_s`` and ``lower_s`` its parts; ``minutes`` is
    :attr:`hipplan.Slot.minutes`; ``lighter`` says what a deload slot makes lighter ("" otherwise).
    ``instructions`` and ``reasons`` are joined with " | ".
    """
    unit = plan.athlete.unit
    labels = {w.number: (w.label, w.deload) for w in c.weeks(plan)}
    records: list[dict[str, Any]] = []
    for slot in plan.slots:
        label, deload_week = labels.get(slot.week, ("", False))
        dose = slot.dose
        records.append(
            {
                "week": slot.week,
                "weekday": slot.weekday,
                "day": WEEKDAYS[slot.weekday],
                "date": plan.date_of(slot),
                "session": slot.session,
                "role": slot.role.value,
                "exercise": slot.exercise,
                "variation": slot.variation,
                "sets": dose.sets,
                "reps": dose.reps,
                "per_side": c.per_side(slot),
                "load_kg": dose.load_kg,
                "load": c.load_value(dose.load_kg, unit),
                "unit": unit.value,
                "tempo": c.tempo_text(dose),
                "pause_s": dose.pause_s,
                "lower_s": dose.lower_s,
                "rest_s": dose.rest_s,
                "rir": dose.rir,
                "minutes": slot.minutes,
                "deload": slot.deload or deload_week,
                "lighter": c.lighter_text(slot, unit, plan.athlete.load_kit),
                "week_label": label,
                "instructions": " | ".join(slot.instructions),
                "reasons": " | ".join(r.text for r in slot.reasons),
            }
        )
    return records


def plan_dataframe(plan: Plan) -> Any:
    """The records as a pandas DataFrame, columns as in :data:`RECORD_FIELDS` (needs ``hipplan[pandas]``)."""
    pd: Any = require("pandas", "pandas")
    return pd.DataFrame.from_records(plan_records(plan), columns=list(RECORD_FIELDS))
