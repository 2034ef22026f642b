"""The only output type: a :class:`Plan` of :class:`Slot` s, each with the reasons it was chosen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from . import _validate as v
from .athlete import Athlete, Session
from .dose import Dose
from .state import State
from .vocabulary import Role

if TYPE_CHECKING:
    import datetime as dt

__all__ = ["Plan", "Reason", "Slot", "Unplaced", "WeekOverride"]


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

    def sessions_for(self, week: int) -> tuple[Session, ...]:
        """The sessions of ``week``: the usual week unless that week was overridden."""
        for override in self.week_overrides:
            if override.week == week:
                return override.sessions
        return self.sessions

    def week(self, number: int) -> tuple[Slot, ...]:
        """The slots of one week."""
        return tuple(s for s in self.slots if s.week == number)

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

    def to_ical(self, start: dt.date) -> str:
        """The plan as an iCalendar file, one event per slot (needs ``hipplan[ical]``)."""
        from .render.ical import plan_ical

        return plan_ical(self, start)

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
