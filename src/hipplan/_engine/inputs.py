"""What a plan() call is given, checked: the athlete, the week, the number of weeks, the overrides, the budget and
time limit, the start date and plan id. Every refusal is an InvalidInput naming the argument."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from .. import constraints as c
from ..athlete import Athlete, Session, check_week
from ..catalog import CATALOG
from ..errors import BudgetExceeded, InvalidInput
from ..exercises import Rung
from ..ladder import default_ladder
from ..limits import MAX_SESSIONS_A_WEEK, MAX_WEEKS
from ..plan import WeekOverride, check_start
from ..vocabulary import Level


def default_rung(level: Level) -> Rung:
    """Where an athlete starts when they give no rung: beginners on the floor bridge, others on the bodyweight SLHT."""
    if level is Level.BEGINNER:
        return Rung(exercise="glute-bridge", variation="bodyweight")
    return Rung(exercise="single-leg-hip-thrust", variation="bodyweight")


class Limit(NamedTuple):
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


def limit_of(budget: object, time_limit: object) -> Limit:
    if isinstance(budget, bool) or not isinstance(budget, int) or budget < 1:
        raise InvalidInput(
            f"'budget' must be a whole number of search steps from 1 (got {budget!r})", field="budget"
        )
    if time_limit is None:
        return Limit(budget, None)
    if (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, int | float)
        or not 0 < time_limit < math.inf
    ):
        raise InvalidInput(
            f"'time_limit' must be a positive number of seconds, or None (got {time_limit!r})",
            field="time_limit",
        )
    return Limit(budget, time.monotonic() + time_limit)


def check_inputs(
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


def dates_of(start: object, plan_id: object, weeks: int) -> dict[str, Any]:
    """``start`` and ``plan_id`` as the plan will hold them, checked before any planning."""
    found: dict[str, Any] = {}
    if start is not None:
        found["start"] = check_start(start, weeks)
    if plan_id is not None:
        if not isinstance(plan_id, str) or not plan_id.strip():
            raise InvalidInput(f"'plan_id' must be a non-blank string (got {plan_id!r})", field="plan_id")
        found["plan_id"] = plan_id
    return found


def no_finite_score(cost: float) -> InvalidInput:
    """The error for soft costs that add up to no number: only a user's own soft rule gets here, as the built-in
    weights are bounded by ``MAX_WEIGHT``."""
    return InvalidInput(
        f"'constraints': the soft rules' costs add up to {cost} (not a finite number), so no plan scores best;"
        " give your own soft rules finite costs and weights up to"
        f" {c.MAX_WEIGHT:g}",
        field="constraints",
    )
