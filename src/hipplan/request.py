"""A plan request: everything ``plan()`` needs, as one value that can live in a TOML or JSON file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs

from . import _validate as v
from .athlete import Athlete, Session, check_week
from .constraints import BuiltInRule, Rule
from .errors import InvalidInput
from .limits import MAX_WEEKS
from .plan import Plan, WeekOverride, as_date

__all__ = ["PlanRequest", "load_request"]


def _week(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_week(value, field=attribute.name)  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class PlanRequest:
    """An athlete, their usual week, how many weeks to plan, and what differs.

    Attributes:
        athlete: who the plan is for.
        sessions: the usual week.
        weeks: how many weeks to plan.
        start: the Monday of week 1 (any date stands for the Monday of its week; ISO text such as '2027-01-04'
            is read as its date); None when dates do not matter.
            The plan keeps it (its views show dates, and its calendar needs no date).
        plan_id: the caller's name for the plan (an athlete's id), kept in the plan and used for the calendar
            event UIDs; None: the UIDs are made from the athlete.
        overrides: weeks that differ from the usual one (a travel week, a week off).
        constraints: extra rules (see :mod:`hipplan.constraints`).
    """

    athlete: Athlete = attrs.field(validator=v.instance_of(Athlete))
    sessions: tuple[Session, ...] = attrs.field(converter=v.to_tuple, validator=_week)
    weeks: int = attrs.field(default=8, validator=v.integer(ge=1, le=MAX_WEEKS))
    start: dt.date | None = attrs.field(default=None, converter=as_date, validator=v.optional(v.date()))
    plan_id: str | None = attrs.field(default=None, validator=v.optional(v.text()))
    overrides: tuple[WeekOverride, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(WeekOverride, tuple)
    )
    constraints: tuple[BuiltInRule, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Rule, tuple)
    )

    def plan(self) -> Plan:
        """Plan this request (the same as calling :func:`hipplan.plan` with its parts)."""
        from .planner import plan

        return plan(
            self.athlete,
            self.sessions,
            self.weeks,
            constraints=self.constraints,
            overrides=self.overrides,
            start=self.start,
            plan_id=self.plan_id,
        )


def load_request(path: str | Path) -> PlanRequest:
    """Read a :class:`PlanRequest` from a ``.toml`` or ``.json`` file.

    The file is checked before it is read: a regular file (not a folder, a named pipe or a device), named
    ``.toml`` or ``.json``, of at most 10 MB (``hipplan._files.MAX_INPUT_BYTES``).

    Raises:
        InvalidInput: the file is missing, unreadable, too large, or does not describe a request; the message
            names the file.
    """
    from ._files import read_input
    from .serialization import from_json, from_toml

    path = Path(path)
    text = read_input(path, suffixes=(".toml", ".json"))
    try:
        if path.suffix.lower() == ".toml":
            return from_toml(text, PlanRequest)
        if path.suffix.lower() == ".json":
            return from_json(text, PlanRequest)
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}", [f"{path}: {p}" for p in exc.problems]) from None
    raise InvalidInput(
        f"{path}: the file name must end in .toml or .json (got {path.suffix or 'no suffix'!r})"
    )
