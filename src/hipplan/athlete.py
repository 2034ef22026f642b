"""Inputs: the athlete, the places they train, and the sessions of their usual week."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from . import _validate as v
from .errors import InvalidInput
from .exercises import Rung
from .state import WorkingDose
from .units import Kit
from .vocabulary import Equipment, Focus, Goal, Level, Lift, Role, Side, Unit

__all__ = ["WEEKDAYS", "Athlete", "Place", "Session", "check_week"]

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@attrs.frozen(kw_only=True)
class Place:
    """Somewhere the athlete trains, and the kit it has (home, the gym, the office)."""

    name: str = attrs.field(validator=v.text())
    equipment: frozenset[Equipment] = attrs.field(
        default=frozenset(), converter=v.equipment_set, validator=v.members(Equipment)
    )


_NO_KIT = Kit()


@attrs.frozen(kw_only=True)
class Athlete:
    """Who the plan is for.

    Attributes:
        level: beginner, intermediate or advanced.
        bodyweight_kg: used for the load caps of loaded variations; without it loads are capped against the
            rules' reference bodyweight, and the plan says so.
        rung: where on the ladder the athlete stands today; by default the level decides (a beginner starts with
            the floor glute bridge, others with the bodyweight single-leg hip thrust).
        unit: the unit the athlete reads loads in (kg or lb): it decides the usual kit, the load steps and every
            view. Every load is stored in kg, pounds converted exactly (give pounds as ``hp.lb(150)``).
        loads: what the athlete's implements weigh (a :class:`~hipplan.Kit`, in the athlete's unit unless it says
            otherwise); None, or anything it leaves out, is the usual kit of the unit. Every load prescribed is one
            this kit can make.
        goal: tips the planner towards the roles that serve it.
        places: named kits that sessions can refer to with ``Session.place``.
        weaker_side: the side that sets the pace, if known.
        prefer_roles / avoid_variations: soft preferences the planner weighs.
        exposures_per_week: how many times a week the athlete would like to do it (a preference, not a rule).
        working: the doses the athlete already works at, one per variation at most: a plan starts there rather
            than at a default (and, without ``rung``, on the hardest of them).
    """

    level: Level = attrs.field(converter=v.level, validator=v.one_of(Level))
    bodyweight_kg: float | None = attrs.field(
        default=None, converter=v.to_float, validator=v.optional(v.number(ge=20, le=300))
    )
    rung: Rung | None = attrs.field(default=None, validator=v.optional(v.instance_of(Rung)))
    unit: Unit = attrs.field(default=Unit.KG, converter=v.unit, validator=v.one_of(Unit))
    goal: Goal = attrs.field(default=Goal.GENERAL, converter=v.goal, validator=v.one_of(Goal))
    places: tuple[Place, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Place, tuple)
    )
    weaker_side: Side | None = attrs.field(
        default=None, converter=v.side, validator=v.optional(v.one_of(Side))
    )
    prefer_roles: frozenset[Role] = attrs.field(
        default=frozenset(), converter=v.role_set, validator=v.members(Role)
    )
    avoid_variations: frozenset[str] = attrs.field(
        default=frozenset(), converter=v.to_frozenset, validator=v.members(str)
    )
    exposures_per_week: int | None = attrs.field(default=None, validator=v.optional(v.integer(ge=1, le=7)))
    working: tuple[WorkingDose, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(WorkingDose, tuple)
    )
    loads: Kit | None = attrs.field(default=None, validator=v.optional(v.instance_of(Kit)))

    @property
    def load_kit(self) -> Kit:
        """The athlete's kit with every default filled in, in the kit's own unit or else the athlete's."""
        return (self.loads or _NO_KIT).resolved(self.unit)

    def __attrs_post_init__(self) -> None:
        rungs = [w.rung for w in self.working]
        for rung in rungs:
            if rungs.count(rung) > 1:
                raise InvalidInput(
                    f"'working' must give one dose per variation (got {rung} twice)", field="working"
                )
        names = [p.name for p in self.places]
        for name in names:
            if names.count(name) > 1:
                raise InvalidInput(f"'places' must have unique names (got {name!r} twice)", field="places")

    def place(self, name: str) -> Place:
        """The place with this name, or :class:`InvalidInput` naming the places there are."""
        for p in self.places:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.places) or "none"
        raise InvalidInput(f"no place {name!r} in the athlete's places (known: {known})")

    def kit(self, session: Session) -> frozenset[Equipment]:
        """What ``session`` has at hand: its own equipment plus that of its place, if it names one."""
        if session.place is None:
            return session.equipment
        return session.equipment | self.place(session.place).equipment


@attrs.frozen(kw_only=True)
class Session:
    """One session of the athlete's usual week.

    Attributes:
        name: unique within the week ("Mon squat").
        weekday: 0 for Monday to 6 for Sunday.
        focus: lower, upper, full_body or circuit.
        lifts: the main lifts of the session (a warm-up slot needs a squat or a deadlift).
        equipment: the kit at hand; combined with the kit of ``place`` when given.
        minutes: the time the session has left for extra work, if it has a limit.
        place: the name of one of the athlete's places.
    """

    name: str = attrs.field(validator=v.text())
    weekday: int = attrs.field(validator=v.integer(ge=0, le=6))
    focus: Focus = attrs.field(converter=v.focus, validator=v.one_of(Focus))
    lifts: frozenset[Lift] = attrs.field(default=frozenset(), converter=v.lift_set, validator=v.members(Lift))
    equipment: frozenset[Equipment] = attrs.field(
        default=frozenset(), converter=v.equipment_set, validator=v.members(Equipment)
    )
    minutes: int | None = attrs.field(default=None, validator=v.optional(v.integer(ge=1, le=600)))
    place: str | None = attrs.field(default=None, validator=v.optional(v.text()))

    @property
    def day_name(self) -> str:
        """The weekday's name."""
        return WEEKDAYS[self.weekday]

    @property
    def has_heavy_lower(self) -> bool:
        """Whether the session has a squat or a deadlift."""
        return any(lift.is_heavy_lower for lift in self.lifts)


def check_week(sessions: Iterable[Session], *, field: str = "sessions") -> tuple[Session, ...]:
    """Validate a week of sessions and return it as a tuple in (weekday, given order) order.

    Raises :class:`InvalidInput` for anything that is not a Session and for duplicate names.
    """
    if isinstance(sessions, Session | str):
        raise InvalidInput(f"{field!r} must be a sequence of Session (got {sessions!r})", field=field)
    try:
        week = tuple(sessions)
    except TypeError:
        raise InvalidInput(
            f"{field!r} must be a sequence of Session (got {sessions!r})", field=field
        ) from None
    seen: set[str] = set()
    for i, s in enumerate(week):
        if not isinstance(s, Session):
            raise InvalidInput(f"'{field}[{i}]' must be a Session (got {s!r})", field=f"{field}[{i}]")
        if s.name in seen:
            raise InvalidInput(
                f"'{field}[{i}].name' must be unique in the week (got {s.name!r} twice)",
                field=f"{field}[{i}].name",
            )
        seen.add(s.name)
    return tuple(sorted(week, key=lambda s: s.weekday))
