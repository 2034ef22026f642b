"""Where an athlete stands: the progression :class:`State` of one role, and a :class:`WorkingDose` they already do.

Both are plain values (frozen, serialisable): an app stores a role's state as JSON after each workout and hands
it back to :func:`hipplan.progress` next time. The rules that move a state forward live in
:mod:`hipplan.progression`; this module only says what a state is.
"""

from __future__ import annotations

import attrs

from . import _validate as v
from .dose import Dose
from .exercises import Rung
from .vocabulary import Role

__all__ = ["State", "WorkingDose"]


@attrs.frozen(kw_only=True)
class WorkingDose:
    """A dose the athlete already works at on one variation: where a plan starts instead of a default.

    Attributes:
        exercise: a catalogue id (the single-leg hip thrust unless said otherwise).
        variation: the variation it is done with.
        sets: sets per side.
        reps: reps per side in each set.
        load_kg: the external load (0 for bodyweight).
    """

    exercise: str = attrs.field(default="single-leg-hip-thrust", validator=v.text())
    variation: str = attrs.field(default="bodyweight", validator=v.text())
    sets: int = attrs.field(validator=v.integer(ge=1, le=10))
    reps: int = attrs.field(validator=v.integer(ge=1, le=50))
    load_kg: float = attrs.field(default=0.0, converter=v.to_float, validator=v.number(ge=0, le=300))

    @property
    def rung(self) -> Rung:
        """The exercise and variation, as a rung of the ladder."""
        return Rung(exercise=self.exercise, variation=self.variation)


@attrs.frozen(kw_only=True, cache_hash=True)
class State:
    """Where one role of one athlete stands, between two exposures.

    An exposure is one session in which the role was trained. The state moves only with exposures: a week
    without one (travel, a holiday) changes nothing until the athlete comes back, and then the gap decides
    the way back in.

    Attributes:
        role: the role this state belongs to (each role progresses on its own).
        rung: the exercise and variation the athlete works on.
        dose: the working dose: what a normal training week prescribes next (a lighter week or a return from
            a break is worked out from it when the next exposure comes).
        exposures: exposures done so far.
        week: the calendar week of the last exposure (None before the first).
        block: training weeks since the last lighter week or break, the week of the last exposure included.
        deload_week: the calendar week that was made a lighter week, if any (all exposures of that week are
            light).
        misses: exposures running whose targets were missed.
        top: exposures running in which every set reached the top of the rep range (readiness to climb).
        beat: exposures running in which the weaker side's last set beat the target by the 2-for-2 margin.
        owed: a lighter week is due at the next training week (after repeated missed targets).
        last: the dose of the last exposure on this rung outside a lighter week: a way back in after a break never
            starts above it (None before the first, and after a change of rung).
    """

    role: Role = attrs.field(converter=v.role, validator=v.one_of(Role))
    rung: Rung = attrs.field(validator=v.instance_of(Rung))
    dose: Dose = attrs.field(validator=v.instance_of(Dose))
    exposures: int = attrs.field(default=0, validator=v.integer(ge=0))
    week: int | None = attrs.field(default=None, validator=v.optional(v.integer(ge=1)))
    block: int = attrs.field(default=0, validator=v.integer(ge=0))
    deload_week: int | None = attrs.field(default=None, validator=v.optional(v.integer(ge=1)))
    misses: int = attrs.field(default=0, validator=v.integer(ge=0))
    top: int = attrs.field(default=0, validator=v.integer(ge=0))
    beat: int = attrs.field(default=0, validator=v.integer(ge=0))
    owed: bool = attrs.field(default=False, validator=v.instance_of(bool))
    last: Dose | None = attrs.field(default=None, validator=v.optional(v.instance_of(Dose)))
