"""The only output type: a :class:`Plan` of :class:`Slot` s, each with the reasons it was chosen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs

from . import _validate as v
from .athlete import Athlete, Session
from .dose import Dose, slot_minutes
from .errors import InvalidInput
from .state import State
from .vocabulary import Role

__all__ = ["Plan", "Reason", "Slot", "Unplaced", "WeekOverride", "check_start"]


@attrs.frozen(kw_only=True)
class WeekOverride:
    """A week that differs from the usual one: a travel week, a holiday (no sessions at all)."""

    week: int = attrs.field(validator=v.integer(ge=1))
    sessions: tuple[Session, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Session, tuple)
    )
    label: str = attrs.field(default="", validator=v.text(nonempty=False))


@attrs.frozen(kw_only=True)
class Reason:
    """Why something was decided: the rule that decided it and the decision in a coach's words."""

    rule: str = attrs.field(validator=v.text())
    text: str = attrs.field(validator=v.text())

    def __str__(self) -> str:
        return self.text


@attrs.frozen(kw_only=True)
class Slot:
    """A single-leg hip thrust (or a regression of it) placed in one session of one week.

    Attributes:
        week: 1-based week of the plan.
        session: the session's name; ``weekday`` repeats its day for convenience.
        role: warm-up, finisher or circuit.
        exercise: a catalogue id ("single-leg-hip-thrust", "glute-bridge", ...).
        variation: a variation id ("bodyweight", "landmine", ...).
        dose: sets and reps per side, load, pause.
        deload: whether this week is a lighter (deload) week.
        resume: for a deload slot, the dose to come back to afterwards (what ``progress()`` resumes from).
        state: the role's progression state before this exposure: what ``progress()`` goes on from.
        instructions: extra set-up notes for this slot (the landmine's side switch, for example).
        reasons: why this slot is here, in this role, with this variation and dose.

    ``minutes`` is the time the slot takes; a plan with a start date gives its date (:meth:`Plan.date_of`).
    """

    week: int = attrs.field(validator=v.integer(ge=1))
    session: str = attrs.field(validator=v.text())
    weekday: int = attrs.field(validator=v.integer(ge=0, le=6))
    role: Role = attrs.field(converter=v.role, validator=v.one_of(Role))
    exercise: str = attrs.field(validator=v.text())
    variation: str = attrs.field(validator=v.text())
    dose: Dose = attrs.field(validator=v.instance_of(Dose))
    deload: bool = attrs.field(default=False, validator=v.instance_of(bool))
    resume: Dose | None = attrs.field(default=None, validator=v.optional(v.instance_of(Dose)))
    state: State | None = attrs.field(default=None, validator=v.optional(v.instance_of(State)))
    instructions: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )
    reasons: tuple[Reason, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Reason, tuple)
    )

    @property
    def hour(self) -> int:
        """Hours from the start of week 1 to the start of this slot's day (:func:`hour_of`): what recovery
        between hard sessions is measured in."""
        return hour_of(self.week, self.weekday)

    @property
    def minutes(self) -> float:
        """Minutes the slot takes, to 0.01: every rep of every set on each side, the rests between sets, a minute
        to set up, and a minute to move to the other side of the bench when the variation needs it (the
        landmine). The same figure the planner weighs against ``Session.minutes`` with the default
        :class:`~hipplan.constraints.TimeBudget`; as a session holds at most one slot, it is also the
        session's hip-thrust time.

        Three sets of ten a side at 3 s a rep (1 s up, 2 s down) is 180 s of work; five rests of 60 s between the
        six sets; a minute to set up: 540 s.

        >>> from hipplan import Dose, Slot
        >>> Slot(week=1, session="Mon", weekday=0, role="finisher", exercise="single-leg-hip-thrust",
        ...      variation="bodyweight", dose=Dose(sets=3, reps=10, lower_s=2, rest_s=60)).minutes
        9.0
        """
        from .catalog import CATALOG

        known = self.exercise in CATALOG
        exercise = CATALOG[self.exercise] if known else None
        variation = (
            next((x for x in exercise.variations if x.id == self.variation), None) if exercise else None
        )
        return slot_minutes(
            self.dose,
            unilateral=exercise.unilateral if exercise is not None else True,
            switch_sides=variation.switch_sides if variation is not None else False,
        )


def hour_of(week: int, weekday: int) -> int:
    """Hours from Monday 00:00 of week 1 to the start of ``weekday`` (0 Monday) in ``week``: every session of a
    day counts from the day's start, so two sessions on one day are 0 h apart and Monday to Wednesday is 48 h."""
    return ((week - 1) * 7 + weekday) * 24


def as_date(value: object) -> object:
    """ISO text ('2027-01-04') becomes the date it writes; anything else is returned as it is."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
    return value


def _monday(value: object) -> object:
    """A date (or its ISO text) becomes the Monday of its week; anything else is left for the validator."""
    value = as_date(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value - dt.timedelta(days=value.weekday())
    return value


def check_start(start: object, weeks: int) -> dt.date:
    """``start`` as a plan of ``weeks`` weeks holds it: the Monday of its week. A ``datetime.date`` or its ISO
    text ('2027-01-04') is accepted.

    Raises:
        InvalidInput: not a date (a date and time is refused too), or a plan that would run past 9999-12-31.
    """
    start = as_date(start)
    if isinstance(start, dt.datetime):
        raise InvalidInput(
            f"'start' must be a date such as 2027-01-04, not a date and time (got {start!r})", field="start"
        )
    if not isinstance(start, dt.date):
        raise InvalidInput(
            f"'start' must be a date such as 2027-01-04 (a datetime.date or its text YYYY-MM-DD), got {start!r}",
            field="start",
        )
    monday = start - dt.timedelta(days=start.weekday())
    if (dt.date.max - monday).days < 7 * weeks - 1:
        raise InvalidInput(
            f"'start' {start.isoformat()} is too late for a {weeks}-week plan: its last week would run past"
            f" {dt.date.max.isoformat()}, the last date a calendar can hold; give an earlier start date",
            field="start",
        )
    return monday


def _start(inst: Plan, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and isinstance(inst.weeks, int):
        check_start(value, inst.weeks)


@attrs.frozen(kw_only=True)
class Unplaced:
    """A session of the plan that got no slot, and why not."""

    week: int = attrs.field(validator=v.integer(ge=1))
    session: str = attrs.field(validator=v.text())
    weekday: int = attrs.field(validator=v.integer(ge=0, le=6))
    reasons: tuple[Reason, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Reason, tuple)
    )


@attrs.frozen(kw_only=True)
class Plan:
    """A plan: the slots in (week, weekday) order, and why each session got its slot or none.

    Attributes:
        athlete: who the plan is for.
        weeks: how many weeks it covers.
        sessions: the usual week.
        week_overrides: the weeks that differ from the usual one.
        slots: every slot, in (week, weekday) order.
        unplaced: the sessions without a slot, with the reasons.
        deload_weeks: the lighter weeks.
        notes: plan-wide reasons (the starting rung, the load cap, ...).
        score: the soft-preference penalty the planner reached (lower is better).
        start: the Monday of week 1, or None when the plan has no dates. Any date may be given: it becomes the
            Monday of its week. With it, the views show each session's date and :meth:`to_ical` needs no date.
        plan_id: the caller's name for the plan (an athlete's id in an app), or None. Calendar event UIDs are
            made from it, so that two athletes' plans never share one; without it they are made from the athlete
            (see :meth:`to_ical`).
    """

    athlete: Athlete = attrs.field(validator=v.instance_of(Athlete))
    weeks: int = attrs.field(validator=v.integer(ge=1))
    sessions: tuple[Session, ...] = attrs.field(converter=v.to_tuple, validator=v.members(Session, tuple))
    week_overrides: tuple[WeekOverride, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(WeekOverride, tuple)
    )
    slots: tuple[Slot, ...] = attrs.field(default=(), converter=v.to_tuple, validator=v.members(Slot, tuple))
    unplaced: tuple[Unplaced, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Unplaced, tuple)
    )
    deload_weeks: tuple[int, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(int, tuple)
    )
    notes: tuple[Reason, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Reason, tuple)
    )
    score: float = attrs.field(default=0.0, converter=v.to_float, validator=v.number())
    start: dt.date | None = attrs.field(default=None, converter=_monday, validator=_start)
    plan_id: str | None = attrs.field(default=None, validator=v.optional(v.text()))

    def sessions_for(self, week: int) -> tuple[Session, ...]:
        """The sessions of ``week``: the usual week unless that week was overridden."""
        for override in self.week_overrides:
            if override.week == week:
                return override.sessions
        return self.sessions

    def week(self, number: int) -> tuple[Slot, ...]:
        """The slots of one week."""
        return tuple(s for s in self.slots if s.week == number)

    def date_of(self, slot: Slot | Unplaced) -> dt.date | None:
        """The date of a slot (or of a session without one): None when the plan has no start date."""
        if self.start is None:
            return None
        return self.start + dt.timedelta(weeks=slot.week - 1, days=slot.weekday)

    def slots_between(self, first: dt.date, last: dt.date) -> tuple[Slot, ...]:
        """The slots dated from ``first`` to ``last``, both included, in date order: an app's calendar screen.

        >>> import datetime as dt, hipplan as hp
        >>> from hipplan.example import example_request
        >>> plan = example_request(weeks=2).plan()
        >>> plan.start
        datetime.date(2027, 1, 4)
        >>> [(plan.date_of(s).isoformat(), s.session) for s in plan.slots_between(dt.date(2027, 1, 7),
        ...                                                                        dt.date(2027, 1, 12))]
        [('2027-01-07', 'Thu pull'), ('2027-01-09', 'Sat home'), ('2027-01-11', 'Mon squat')]

        Raises:
            InvalidInput: the plan has no start date, or ``first`` or ``last`` is not a date.
        """
        for name, value in (("first", first), ("last", last)):
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
                raise InvalidInput(f"{name!r} must be a date such as 2027-01-04 (got {value!r})", field=name)
        if self.start is None:
            raise InvalidInput(
                "this plan has no start date, so its slots have no dates: plan it with start=... (or give the"
                " Plan a start with attrs.evolve(plan, start=date))",
                field="start",
            )
        low = (first - self.start).days
        high = (last - self.start).days
        return tuple(s for s in self.slots if low <= 7 * (s.week - 1) + s.weekday <= high)

    def __iter__(self) -> Iterator[Slot]:
        return iter(self.slots)

    def __len__(self) -> int:
        return len(self.slots)

    def explain(self) -> str:
        """Why each session got its slot (or none), and why the dose changes, in words."""
        from .render.text import explain

        return explain(self)

    def to_text(self) -> str:
        """The plan as a plain-text table, week by week, with cues and mistakes printed once."""
        from .render.text import plan_text

        return plan_text(self)

    def to_markdown(self) -> str:
        """The plan as Markdown."""
        from .render.text import plan_markdown

        return plan_markdown(self)

    def to_html(self) -> str:
        """The plan as one self-contained, printable HTML page."""
        from .render.html import plan_html

        return plan_html(self)

    def to_ical(self, start: dt.date | None = None, *, plan_id: str | None = None) -> str:
        """The plan as an iCalendar file, one all-day event per slot (needs ``hipplan[ical]``).

        Args:
            start: overrides the plan's own start date (week 1 begins on the Monday of its week); needed only
                when the plan has none.
            plan_id: overrides the plan's own ``plan_id`` for the event UIDs.

        Each event's UID is made from the week, the session's name and the plan's ``plan_id`` (or, without one,
        a hash of the athlete): the same plan gives the same UIDs on every run, re-importing a re-planned week
        updates its events, and two athletes' plans never share a UID. An app with many athletes should give
        each plan a ``plan_id`` (its user id), so that the UIDs also survive a change to the athlete's details.

        Raises:
            InvalidInput: no start date here nor in the plan, or a date too late for a calendar.
        """
        from .render.ical import plan_ical

        return plan_ical(self, start, plan_id=plan_id)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per slot, for a DataFrame or a CSV writer."""
        from .render.records import plan_records

        return plan_records(self)

    def to_dataframe(self) -> Any:
        """The records as a pandas DataFrame (needs ``hipplan[pandas]``)."""
        from .render.records import plan_dataframe

        return plan_dataframe(self)

    def plot(self, ax: Any = None) -> Any:
        """Workload per week by role, deloads marked (needs ``hipplan[plot]``)."""
        from .render.plot import plot_workload

        return plot_workload(self, ax=ax)

    def _repr_html_(self) -> str:
        from .render.html import plan_table_html

        return plan_table_html(self)

    def __repr__(self) -> str:
        roles = sorted({s.role.value for s in self.slots})
        return (
            f"<Plan {self.weeks} weeks for {_a(self.athlete.level.value)} athlete: {len(self.slots)} slots"
            f" ({', '.join(roles) or 'none'}), deload weeks {list(self.deload_weeks)}>"
        )

    def __str__(self) -> str:
        return self.to_text()


def _a(word: str) -> str:
    """``word`` with its indefinite article: "an advanced", "a beginner"."""
    return ("an " if word[:1] in ("a", "e", "i", "o", "u") else "a ") + word
