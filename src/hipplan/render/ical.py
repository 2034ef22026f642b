"""iCalendar: one all-day event per slot, on the session's date (needs ``hipplan[ical]``).

Week 1 starts on the Monday of the week that holds ``start``. Each event's UID comes from the week and the
session name, so importing a new version of the plan updates the events instead of adding copies; DTSTAMP
comes from the start date, never from the clock, so the same plan gives the same file. A plan whose last
session would fall after 9999-12-31 (the last date a calendar can hold) is an ``InvalidInput`` naming the start
date and the week, never an ``OverflowError``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from ..errors import InvalidInput, require
from ..plan import Plan, Slot
from . import _common as c

__all__ = ["PRODID", "event_date", "event_uid", "plan_ical", "week_one_monday"]

PRODID = "-//hipplan//single-leg hip thrust plans//EN"


def week_one_monday(start: dt.date) -> dt.date:
    """The Monday of the week that holds ``start``: the first day of week 1."""
    if isinstance(start, dt.datetime):
        start = start.date()
    if not isinstance(start, dt.date):
        raise InvalidInput(f"'start' must be a date such as 2026-01-05 (got {start!r})", field="start")
    return start - dt.timedelta(days=start.weekday())


def event_date(slot: Slot, start: dt.date) -> dt.date:
    """The date of a slot: its weekday in its week, counting week 1 from the Monday of ``start``'s week.

    Raises:
        InvalidInput: the date would fall after 9999-12-31.
    """
    return _day(start, slot.week, slot.weekday)


def _day(start: dt.date, week: int, days: int) -> dt.date:
    """The day ``days`` after the Monday of week ``week``, or an error naming the start date and the week."""
    monday = week_one_monday(start)
    if isinstance(start, dt.datetime):
        start = start.date()
    try:
        return monday + dt.timedelta(weeks=week - 1, days=days)
    except OverflowError:
        raise InvalidInput(
            f"'start' {start.isoformat()} is too late for this plan: week {week} would run past"
            f" {dt.date.max.isoformat()}, the last date a calendar can hold (week 1 starts on"
            f" {monday.isoformat()}); give an earlier start date",
            field="start",
        ) from None


def event_uid(week: int, session: str) -> str:
    """A UID that depends only on the week and the session's name."""
    digest = hashlib.sha256(f"{week}\x1f{session}".encode()).hexdigest()[:20]
    return f"w{week}-{digest}@hipplan"


def _description(slot: Slot, plan: Plan) -> str:
    cells = c.slot_cells(slot, plan.athlete.unit)
    dose = slot.dose
    lines = [
        f"{cells[3]} as a {cells[2]} in {slot.session}.",
        f"{cells[4]}, load {cells[5] if cells[5] != '-' else 'bodyweight'},"
        f" {'pause ' + cells[6] if cells[6] != '-' else 'no pause'},"
        f" lower in {dose.lower_s:g} s, rest {dose.rest_s} s between sets.",
    ]
    if slot.deload:
        lines.append("Deload week: lighter on purpose.")
    lines.extend(slot.instructions)
    ex = c.exercise(slot.exercise)
    if ex is not None and ex.cues:
        lines.append("Cues: " + " ".join(cue.text for cue in ex.cues))
    return "\n".join(lines)


def plan_ical(plan: Plan, start: dt.date) -> str:
    """The plan as iCalendar text: one all-day event per slot, stable UIDs, no wall-clock time anywhere."""
    icalendar: Any = require("icalendar", "ical")
    monday = week_one_monday(start)
    if plan.slots:
        # The last event ends the day after the latest slot: check that day before building anything.
        last = max(plan.slots, key=lambda slot: (slot.week, slot.weekday))
        _day(start, last.week, last.weekday + 1)
    stamp = dt.datetime.combine(monday, dt.time(0, 0), tzinfo=dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", c.plan_title(plan))
    for slot in plan.slots:
        day = event_date(slot, start)
        cells = c.slot_cells(slot, plan.athlete.unit)
        load = f" @ {cells[5]}" if cells[5] != "-" else ""
        event = icalendar.Event()
        event.add("uid", event_uid(slot.week, slot.session))
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", f"{cells[3]} ({cells[2]}): {cells[4]}{load} - {slot.session}")
        event.add("description", _description(slot, plan))
        event.add("categories", ["hipplan", c.ROLE_LABELS.get(slot.role, str(slot.role))])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    text: str = cal.to_ical().decode("utf-8")
    return text
