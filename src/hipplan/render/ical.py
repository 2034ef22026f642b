"""iCalendar: one all-day event per slot, on the session's date (needs ``hipplan[ical]``).

Week 1 starts on the Monday of the week that holds the start date: the plan's own ``start``, or the one given
to :func:`plan_ical`. Each event's UID comes from the plan's key (:func:`plan_key`: its ``plan_id``, or a hash
of the athlete), the week and the session name, so importing a new version of the plan updates the events
instead of adding copies, and two athletes' plans in one shared calendar never share a UID; DTSTAMP comes from
the start date, never from the clock, so the same plan gives the same file. A plan whose last
session would fall after 9999-12-31 (the last date a calendar can hold) is an ``InvalidInput`` naming the start
date and the week, never an ``OverflowError``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from ..errors import InvalidInput, require
from ..plan import Plan, Slot
from . import _common as c

__all__ = ["PRODID", "event_date", "event_uid", "plan_ical", "plan_key", "week_one_monday"]

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


def plan_key(plan: Plan, plan_id: str | None = None) -> str:
    """What tells one athlete's calendar from another's: 12 hex digits of a hash of ``plan_id`` (else the plan's
    own ``plan_id``), or, without one, of the athlete as stored in JSON. The same on every run and machine."""
    key = plan_id if plan_id is not None else plan.plan_id
    if key is None:
        from ..serialization import get_converter

        athlete = get_converter().unstructure(plan.athlete)
        text = "athlete:" + json.dumps(athlete, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    else:
        text = "id:" + key
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def event_uid(week: int, session: str, key: str = "") -> str:
    """A UID from the plan's key (:func:`plan_key`), the week and the session's name, and nothing else: a
    re-planned dose keeps its UID; another athlete's key gives another UID."""
    digest = hashlib.sha256(f"{key}\x1f{week}\x1f{session}".encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"{key}-w{week}-{digest}@hipplan" if key else f"w{week}-{digest}@hipplan"


def _description(slot: Slot, plan: Plan) -> str:
    unit, kit = plan.athlete.unit, plan.athlete.load_kit
    cells = c.slot_cells(slot, unit, kit=kit)
    lines = [
        f"{cells[3]} as a {cells[2]} in {slot.session}.",
        c.dose_sentence(slot, unit, kit),
    ]
    if slot.deload:
        lines.append(f"Deload week, lighter on purpose: {c.lighter_text(slot, unit, kit)}.")
    lines.extend(slot.instructions)
    ex = c.exercise(slot.exercise)
    if ex is not None and ex.cues:
        lines.append("Cues: " + " ".join(cue.text for cue in ex.cues))
    return "\n".join(lines)


def plan_ical(plan: Plan, start: dt.date | None = None, *, plan_id: str | None = None) -> str:
    """The plan as iCalendar text: one all-day event per slot, stable UIDs, no wall-clock time anywhere.

    ``start`` overrides the plan's own start date and ``plan_id`` its own id (see :func:`plan_key`).

    Raises:
        InvalidInput: no start date here nor in the plan, or the plan would run past 9999-12-31.
    """
    icalendar: Any = require("icalendar", "ical")
    if start is None:
        start = plan.start
    if start is None:
        raise InvalidInput(
            "a calendar needs dates: give the plan a start (plan(..., start=date)) or to_ical(start=date)",
            field="start",
        )
    if plan_id is not None and not (isinstance(plan_id, str) and plan_id.strip()):
        raise InvalidInput(f"'plan_id' must be a non-blank string (got {plan_id!r})", field="plan_id")
    key = plan_key(plan, plan_id)
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
        cells = c.slot_cells(slot, plan.athlete.unit, kit=plan.athlete.load_kit)
        load = f" @ {cells[5]}" if cells[5] != "-" else ""
        event = icalendar.Event()
        event.add("uid", event_uid(slot.week, slot.session, key))
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
