"""Prescriptions and what was done: :class:`Dose` and :class:`Performed`."""

from __future__ import annotations

import attrs

from . import _validate as v
from .vocabulary import Side

__all__ = ["Dose", "Performed"]


@attrs.frozen(kw_only=True, cache_hash=True)
class Dose:
    """A prescription for one exposure. Sets and reps are per side; both legs always get the same dose.

    Attributes:
        sets: sets per side.
        reps: reps per side in each set.
        load_kg: external load; 0 for bodyweight.
        pause_s: hold at the top of each rep, in seconds.
        lower_s: seconds to lower the hips (the eccentric tempo); very slow reps of 10 s or more are not allowed.
        rest_s: rest between sets, in seconds.
        rir: reps in reserve to aim for at the end of a set (None: no target).
    """

    sets: int = attrs.field(validator=v.integer(ge=1, le=10))
    reps: int = attrs.field(validator=v.integer(ge=1, le=50))
    load_kg: float = attrs.field(default=0.0, converter=v.to_float, validator=v.number(ge=0, le=300))
    pause_s: float = attrs.field(default=0.0, converter=v.to_float, validator=v.number(ge=0, le=10))
    lower_s: float = attrs.field(default=2.0, converter=v.to_float, validator=v.number(ge=0, le=9))
    rest_s: int = attrs.field(default=60, validator=v.integer(ge=0, le=600))
    rir: int | None = attrs.field(default=None, validator=v.optional(v.integer(ge=0, le=10)))

    @property
    def seconds_per_rep(self) -> float:
        """Time one rep takes: about a second up, the pause, and the lowering."""
        return 1.0 + self.pause_s + self.lower_s

    def __str__(self) -> str:
        text = f"{self.sets} x {self.reps}/side"
        if self.load_kg:
            text += f" @ {self.load_kg:g} kg"
        if self.pause_s:
            text += f", {self.pause_s:g} s pause"
        return text


@attrs.frozen(kw_only=True)
class Performed:
    """One set as it was done: on one side for a one-leg exercise, on both legs (``side`` left out) for a two-leg
    one such as the glute bridge."""

    side: Side | None = attrs.field(default=None, converter=v.side, validator=v.optional(v.one_of(Side)))
    reps: int = attrs.field(validator=v.integer(ge=0, le=100))
    load_kg: float = attrs.field(default=0.0, converter=v.to_float, validator=v.number(ge=0, le=300))
    pause_s: float = attrs.field(default=0.0, converter=v.to_float, validator=v.number(ge=0, le=10))
    rir: int | None = attrs.field(default=None, validator=v.optional(v.integer(ge=0, le=10)))


SET_UP_S = 60.0
"""Seconds a slot's set-up takes, unless a :class:`~hipplan.constraints.TimeBudget` says otherwise."""
SIDE_SWITCH_S = 60.0
"""Seconds a variation that moves to the other side of the bench (the landmine) costs, unless a
:class:`~hipplan.constraints.TimeBudget` says otherwise."""


def slot_minutes(
    dose: Dose,
    *,
    unilateral: bool,
    switch_sides: bool,
    set_up_s: float = SET_UP_S,
    side_switch_s: float = SIDE_SWITCH_S,
) -> float:
    """Minutes a slot takes: every rep of every set on each side, the rests between sets, the set-up, and the move
    to the other side of the bench when the variation needs one (sets are done one side at a time)."""
    sides = 2 if unilateral else 1
    work = dose.sets * sides * dose.reps * dose.seconds_per_rep
    rests = max(dose.sets * sides - 1, 0) * dose.rest_s
    switch = side_switch_s if (switch_sides and unilateral) else 0.0
    return round((work + rests + set_up_s + switch) / 60.0, 2)
