"""The words hipplan speaks: equipment, roles, levels, session focus, lifts, sides and units.

Every enum here is a ``StrEnum`` whose values are lower-case strings, so they read naturally in JSON and TOML.
"""

from __future__ import annotations

import enum

__all__ = ["Equipment", "EquipmentKind", "Focus", "Goal", "Level", "Lift", "Role", "Side", "Unit"]


class EquipmentKind(enum.StrEnum):
    """What a piece of equipment is for."""

    SUPPORT = "support"
    """Something to rest the upper back on: a bench, a box, a couch."""
    LOAD = "load"
    """Something that adds resistance: a barbell, a dumbbell, a band, a sandbag."""
    ACCESSORY = "accessory"
    """Something that helps but neither supports nor loads: a landmine sleeve, a hip pad, a mini band."""


class Equipment(enum.StrEnum):
    """A piece of kit a session may have at hand."""

    BENCH = "bench"
    BOX = "box"
    COUCH = "couch"
    BARBELL = "barbell"
    LANDMINE = "landmine"
    DUMBBELL = "dumbbell"
    BAND = "band"
    MINI_BAND = "mini_band"
    SANDBAG = "sandbag"
    HIP_PAD = "hip_pad"

    @property
    def kind(self) -> EquipmentKind:
        """Whether this item supports the back, adds load, or is an accessory."""
        return _EQUIPMENT_KIND[self]

    @classmethod
    def supports(cls) -> frozenset[Equipment]:
        """Every item the upper back can rest on."""
        return frozenset(e for e in cls if e.kind is EquipmentKind.SUPPORT)


_EQUIPMENT_KIND: dict[Equipment, EquipmentKind] = {
    Equipment.BENCH: EquipmentKind.SUPPORT,
    Equipment.BOX: EquipmentKind.SUPPORT,
    Equipment.COUCH: EquipmentKind.SUPPORT,
    Equipment.BARBELL: EquipmentKind.LOAD,
    Equipment.DUMBBELL: EquipmentKind.LOAD,
    Equipment.BAND: EquipmentKind.LOAD,
    Equipment.SANDBAG: EquipmentKind.LOAD,
    Equipment.LANDMINE: EquipmentKind.ACCESSORY,
    Equipment.MINI_BAND: EquipmentKind.ACCESSORY,
    Equipment.HIP_PAD: EquipmentKind.ACCESSORY,
}


class Role(enum.StrEnum):
    """The job a single-leg hip thrust does in a session."""

    WARM_UP = "warm_up"
    """Before the heavy squats or deadlifts: light, short, primes glutes and hamstrings."""
    FINISHER = "finisher"
    """At the end of a lower-body day: little or no load, high effort."""
    CIRCUIT = "circuit"
    """One station of a circuit or a no-equipment workout."""

    @property
    def is_hard(self) -> bool:
        """Hard exposures need recovery time between them; a warm-up does not count."""
        return self is not Role.WARM_UP

    @property
    def focuses(self) -> tuple[Focus, ...]:
        """The session focuses this role belongs in: a warm-up or a finisher on a lower-body or full-body day, a
        circuit in a circuit."""
        return (Focus.CIRCUIT,) if self is Role.CIRCUIT else (Focus.LOWER, Focus.FULL_BODY)


class Level(enum.StrEnum):
    """How experienced the athlete is."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        """0 for beginner, 1 for intermediate, 2 for advanced: for comparisons."""
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.BEGINNER: 0, Level.INTERMEDIATE: 1, Level.ADVANCED: 2}


class Focus(enum.StrEnum):
    """What a session mostly trains."""

    LOWER = "lower"
    UPPER = "upper"
    FULL_BODY = "full_body"
    CIRCUIT = "circuit"

    @property
    def words(self) -> str:
        """The focus as a coach writes it before "day": lower-body, upper-body, full-body, circuit."""
        return {"lower": "lower-body", "upper": "upper-body", "full_body": "full-body"}.get(
            self.value, self.value
        )


class Lift(enum.StrEnum):
    """A main lift of a session."""

    SQUAT = "squat"
    DEADLIFT = "deadlift"
    BENCH_PRESS = "bench_press"
    OVERHEAD_PRESS = "overhead_press"
    ROW = "row"
    PULL_UP = "pull_up"
    LUNGE = "lunge"

    @property
    def is_heavy_lower(self) -> bool:
        """Squats and deadlifts: the heavy lower-body work a warm-up prepares for."""
        return self in (Lift.SQUAT, Lift.DEADLIFT)


class Side(enum.StrEnum):
    """A leg."""

    LEFT = "left"
    RIGHT = "right"


class Unit(enum.StrEnum):
    """The unit an athlete reads loads in. Every load is stored in kilograms."""

    KG = "kg"
    LB = "lb"

    def from_kg(self, kg: float) -> float:
        """Convert a load in kilograms to this unit."""
        return kg if self is Unit.KG else kg / 0.45359237


class Goal(enum.StrEnum):
    """What the athlete trains for; it tips the planner towards the roles that serve it."""

    GENERAL = "general"
    STRENGTH = "strength"
    HYPERTROPHY = "hypertrophy"


def counted(n: int, noun: str) -> str:
    """A count and its noun, singular for one: ``counted(1, "set")`` is ``1 set``, ``counted(2, "slot")`` is
    ``2 slots``. For the regular nouns hipplan's texts count (set, rep, slot, week, session).

    >>> counted(1, "set"), counted(0, "slot"), counted(3, "rep")
    ('1 set', '0 slots', '3 reps')
    """
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
