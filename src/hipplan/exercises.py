"""The exercise model: an exercise, its loaded variations, its coaching cues and its common mistakes.

These are the same classes the built-in catalogue (:mod:`hipplan.catalog`) is made of; build your own entries with them.
"""

from __future__ import annotations

import attrs

from . import _validate as v
from .errors import InvalidInput
from .vocabulary import Equipment

__all__ = ["Cue", "Exercise", "Mistake", "Rung", "Variation"]


@attrs.frozen(kw_only=True)
class Cue:
    """One thing to think about while doing the exercise, and why it helps."""

    text: str = attrs.field(validator=v.text())
    why: str = attrs.field(default="", validator=v.text(nonempty=False))


@attrs.frozen(kw_only=True)
class Mistake:
    """A common fault and how to fix it."""

    fault: str = attrs.field(validator=v.text())
    fix: str = attrs.field(validator=v.text())


@attrs.frozen(kw_only=True)
class Variation:
    """A way to do an exercise, usually a way to add resistance to it.

    Attributes:
        id: a short identifier, unique within its exercise ("bodyweight", "landmine", ...).
        needs: every item the variation cannot do without, besides the support surface.
        optional: items that make it better but are not required (a hip pad under a landmine bar).
        load_cap_bw: the most external load that is practical, as a fraction of bodyweight (0 for none).
        load_step_kg: the smallest load step the usual kit makes (a dumbbell jump, a band, a plate pair).
        loads_hip: whether the resistance really loads hip extension (a band anchored heel-to-knee does not).
        switch_sides: whether training the other leg means moving to the other side of the bench.
        forbidden: an anti-pattern kept on record so that nothing can prescribe it.
    """

    id: str = attrs.field(validator=v.text())
    name: str = attrs.field(validator=v.text())
    needs: frozenset[Equipment] = attrs.field(
        default=frozenset(), converter=v.equipment_set, validator=v.members(Equipment)
    )
    optional: frozenset[Equipment] = attrs.field(
        default=frozenset(), converter=v.equipment_set, validator=v.members(Equipment)
    )
    load_cap_bw: float = attrs.field(default=0.0, converter=v.to_float, validator=v.number(ge=0, le=2))
    load_step_kg: float = attrs.field(default=0.0, converter=v.to_float, validator=v.number(ge=0, le=50))
    loads_hip: bool = attrs.field(default=False, validator=v.instance_of(bool))
    switch_sides: bool = attrs.field(default=False, validator=v.instance_of(bool))
    forbidden: bool = attrs.field(default=False, validator=v.instance_of(bool))
    setup: str = attrs.field(default="", validator=v.text(nonempty=False))
    notes: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )

    def __attrs_post_init__(self) -> None:
        if not self.forbidden and Equipment.MINI_BAND in self.needs | self.optional:
            raise InvalidInput(
                f"variation {self.id!r}: 'forbidden' must be true for a variation with a mini band around the"
                f" thighs, an anti-pattern that is never prescribed (got {self.forbidden!r})",
                field="forbidden",
            )
        if self.loads_hip and self.load_cap_bw == 0:
            raise InvalidInput(
                f"variation {self.id!r}: 'load_cap_bw' must be > 0 when 'loads_hip' is true (got 0)"
            )
        if not self.loads_hip and self.load_cap_bw > 0:
            raise InvalidInput(
                f"variation {self.id!r}: 'load_cap_bw' must be 0 when the variation adds no load at the hip "
                f"(got {self.load_cap_bw!r})"
            )

    @property
    def is_loaded(self) -> bool:
        """Whether this variation adds external load at the hip."""
        return self.loads_hip

    def fits(self, kit: frozenset[Equipment]) -> bool:
        """Whether a session with ``kit`` can do this variation (support surface aside)."""
        return not self.forbidden and self.needs <= kit

    def load_cap_kg(self, bodyweight_kg: float) -> float:
        """The most external load that is practical for an athlete of ``bodyweight_kg``."""
        return round(self.load_cap_bw * bodyweight_kg, 9) + 0.0


def _unique_ids(
    _inst: object, attribute: attrs.Attribute[tuple[Variation, ...]], value: tuple[Variation, ...]
) -> None:
    seen: set[str] = set()
    for var in value:
        if var.id in seen:
            raise InvalidInput(
                f"{attribute.name!r} must have unique ids (got {var.id!r} twice)", field=attribute.name
            )
        seen.add(var.id)


@attrs.frozen(kw_only=True)
class Exercise:
    """An exercise with everything a coach would put on its card.

    Attributes:
        id: the catalogue id ("single-leg-hip-thrust", "glute-bridge", ...).
        unilateral: one leg at a time, so sets and reps are per side.
        needs_support: the upper back rests on a bench, box or couch; floor work needs none.
        rank: place on the ladder, lower is easier.
    """

    id: str = attrs.field(validator=v.text())
    name: str = attrs.field(validator=v.text())
    unilateral: bool = attrs.field(validator=v.instance_of(bool))
    needs_support: bool = attrs.field(validator=v.instance_of(bool))
    rank: int = attrs.field(default=0, validator=v.integer(ge=0))
    summary: str = attrs.field(default="", validator=v.text(nonempty=False))
    primary_muscles: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )
    secondary_muscles: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )
    setup: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )
    steps: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )
    cues: tuple[Cue, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Cue, container=tuple)
    )
    mistakes: tuple[Mistake, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Mistake, container=tuple)
    )
    benefits: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )
    variations: tuple[Variation, ...] = attrs.field(
        converter=v.to_tuple, validator=[v.members(Variation, container=tuple), _unique_ids]
    )

    def __attrs_post_init__(self) -> None:
        if not any(not var.forbidden for var in self.variations):
            raise InvalidInput(
                f"'variations' must hold at least one allowed variation (exercise {self.id!r} has none)",
                field="variations",
            )

    def variation(self, variation_id: str) -> Variation:
        """The variation with this id, or :class:`InvalidInput` naming the ids there are."""
        for var in self.variations:
            if var.id == variation_id:
                return var
        known = ", ".join(var.id for var in self.variations)
        raise InvalidInput(f"exercise {self.id!r} has no variation {variation_id!r} (known: {known})")

    @property
    def allowed_variations(self) -> tuple[Variation, ...]:
        """The variations that may be prescribed (anti-patterns left out)."""
        return tuple(var for var in self.variations if not var.forbidden)

    def card(self) -> str:
        """The exercise card as plain text: set-up, steps, cues, mistakes with fixes, variations."""
        from .render.text import exercise_card

        return exercise_card(self)

    def __str__(self) -> str:
        return self.card()

    def _repr_html_(self) -> str:
        from .render.html import exercise_card_html

        return exercise_card_html(self)

    def __repr__(self) -> str:
        names = ", ".join(var.id for var in self.allowed_variations)
        return f"<Exercise {self.id!r}: {self.name}; variations: {names}>"


@attrs.frozen(kw_only=True, order=True, cache_hash=True)
class Rung:
    """A place on the ladder: an exercise done in one of its variations."""

    exercise: str = attrs.field(validator=v.text())
    variation: str = attrs.field(default="bodyweight", validator=v.text())

    def __str__(self) -> str:
        return f"{self.exercise}/{self.variation}"
