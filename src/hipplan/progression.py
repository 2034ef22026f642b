"""Progressive overload, exposure by exposure: small rules, a policy that composes them, and one engine.

An *exposure* is one session in which a role was trained. Each role has a :class:`~hipplan.State` (rung, working
dose, exposures done, training weeks in the block, streaks); the :class:`Engine` moves it on in two moves:

* :meth:`Engine.prescribe` says what to do at the next exposure, given the calendar week it falls in: the working
  dose, a lighter week when the block is done or missed targets call for one, or a way back in after a break;
* :meth:`Engine.advance` takes how that exposure went (or, for a plan, "every target met") and gives the next
  state: the overload levers, a hold, a miss, a rung up or down.

:func:`hipplan.plan` runs exactly these two moves over the slots it places, and :func:`progress` runs them over
what an athlete logged, so feeding a plan's prescriptions back as met gives the plan's next prescriptions.

Every overload rule is a frozen attrs value with one pure method, ``next(dose, log) -> Change | None``: given the
dose that was prescribed and the :class:`Log` of how it went, it proposes the next dose (and rung), or returns
None when it does not apply. A :class:`Policy` holds one of each built-in rule, every figure configurable, and
the user's own rules in ``Policy.extra`` (tried first). :func:`check_progression` returns the
:class:`Violation` s of a sequence of doses, for property tests of any rule. docs/progression.md explains the
rules, their defaults and where the figures come from.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

import attrs

from . import _validate as v
from .athlete import Athlete
from .catalog import CATALOG
from .dose import Dose, Performed
from .errors import InvalidInput
from .exercises import Rung, Variation
from .limits import MAX_WEEKS
from .plan import Reason, Slot
from .state import State, WorkingDose
from .units import MAX_LOAD_KG, Kit, show_bodyweight, show_dose, show_load
from .vocabulary import Equipment, Goal, Level, Role, Side, Unit

if TYPE_CHECKING:
    from .ladder import Ladder

__all__ = [
    "Change",
    "ClimbExercise",
    "Comeback",
    "Deload",
    "Engine",
    "Lever",
    "LoadStep",
    "LoadedVariation",
    "Log",
    "Pause",
    "Policy",
    "Regression",
    "RepRange",
    "Sets",
    "Start",
    "State",
    "Step",
    "Tempo",
    "TwoForTwo",
    "Violation",
    "WarmUp",
    "WorkloadCap",
    "check_progression",
    "check_working",
    "check_working_doses",
    "clear_kept",
    "deload_base",
    "engine_for",
    "first_state",
    "lighten",
    "makeable_loads",
    "match_effort",
    "progress",
    "project",
    "starting_dose",
    "workload",
]

SLHT = "single-leg-hip-thrust"
_EPS = 1e-9


def _ladder() -> Ladder:
    from .ladder import default_ladder

    return default_ladder()


def _kg(value: float) -> float:
    """A load to 1e-9 kg (exact for pound values, see :func:`hipplan.units.to_kg`), without a negative zero."""
    return round(value + 0.0, 9) + 0.0


def _fmt(value: float) -> str:
    return f"{value:g}"


def _with(dose: Dose, **changes: Any) -> Dose:
    """``attrs.evolve(dose, **changes)`` through Dose's constructor directly (validated the same; evolve's
    field-by-field look-up costs as much again, and the engine makes a few hundred doses a plan)."""
    if type(dose) is not Dose:
        return attrs.evolve(dose, **changes)
    get = changes.get
    return Dose(
        sets=get("sets", dose.sets),
        reps=get("reps", dose.reps),
        load_kg=get("load_kg", dose.load_kg),
        pause_s=get("pause_s", dose.pause_s),
        lower_s=get("lower_s", dose.lower_s),
        rest_s=get("rest_s", dose.rest_s),
        rir=get("rir", dose.rir),
    )


# ----------------------------------------------------------------------------------------------------------
# What a rule sees and proposes
# ----------------------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Change:
    """What a rule proposes: the next dose, in a coach's words, and the rung if it changes.

    Attributes:
        dose: the next prescription.
        text: why, in a coach's words (the engine wraps it in a :class:`~hipplan.Reason` named after the rule).
        rung: the next rung when the rule moves on the ladder; None keeps the current one.
    """

    dose: Dose = attrs.field(validator=v.instance_of(Dose))
    text: str = attrs.field(validator=v.text())
    rung: Rung | None = attrs.field(default=None, validator=v.optional(v.instance_of(Rung)))


@runtime_checkable
class Lever(Protocol):
    """What a progression lever is (a rule that proposes the next dose): a value with a ``name`` and one pure
    method. (Named apart from :class:`hipplan.constraints.Rule`, which says where a slot may go.)

    ``next`` returns None when the rule does not apply to this dose and log; it must look at nothing but its
    arguments. A rule of your own goes in ``Policy(extra=(my_rule,))``: it is tried before the built-in levers,
    by :func:`hipplan.plan` and :func:`progress` alike.
    """

    @property
    def name(self) -> str: ...

    def next(self, dose: Dose, log: Log, /) -> Change | None: ...


def _performed_tuple(value: Any) -> Any:
    return None if value is None else v.to_tuple(value)


def _history_tuple(value: Any) -> Any:
    value = v.to_tuple(value)
    if isinstance(value, tuple):
        return tuple(v.to_tuple(item) for item in value)
    return value


def _check_performed(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, tuple) or not all(isinstance(p, Performed) for p in value):
        raise InvalidInput(
            f"{attribute.name!r} must be a sequence of Performed (got {value!r})", field=attribute.name
        )


def _check_history(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    ok = isinstance(value, tuple) and all(
        isinstance(s, tuple) and all(isinstance(p, Performed) for p in s) for s in value
    )
    if not ok:
        raise InvalidInput(
            f"{attribute.name!r} must be a sequence of sessions, each a sequence of Performed (got {value!r})",
            field=attribute.name,
        )


def _group(performed: Sequence[Performed], unilateral: bool) -> dict[str, list[Performed]]:
    """The sets by side, each side in the order done.

    A two-leg exercise has one group, unless its log names both sides (an app that logs each leg): then each
    leg's sets are judged as a one-leg exercise's would be, and a set without a side (both legs) counts for each.
    """
    if not unilateral and len({p.side for p in performed if p.side is not None}) < 2:
        return {"both": list(performed)}
    groups: dict[str, list[Performed]] = {side.value: [] for side in Side}
    for p in performed:
        if p.side is not None:
            groups[p.side.value].append(p)
        elif unilateral:
            groups.setdefault("both", []).append(p)
        else:
            for sets in groups.values():
                sets.append(p)
    return groups


def _weakest_side(groups: dict[str, list[Performed]]) -> str:
    """The side with fewer reps in all (then fewer sets); ties go to the lower reps in the order done."""
    return min(
        groups,
        key=lambda side: (
            sum(p.reps for p in groups[side]),
            len(groups[side]),
            tuple(p.reps for p in groups[side]),
        ),
    )


@attrs.frozen(kw_only=True)
class Log:
    """How a dose went, and where the athlete stands: what a rule may look at besides the dose.

    Attributes:
        performed: the sets of this exposure, both sides; None means every target was met exactly (what a plan
            assumes).
        history: earlier exposures' sets, newest last (only read when there is no ``state`` to carry streaks).
        role: the job of the dose.
        rung: the exercise and variation it was done on.
        kit: the equipment the athlete can use from now on; None means only what the rung itself needs.
        bodyweight_kg: the athlete's bodyweight, if known (else the policy's reference is used for load caps).
        goal: the athlete's goal (a strength goal works in a lower rep range).
        state: the role's state at this exposure, streaks counting this exposure (None for a bare log).
        policy: the policy whose figures the rules share (the rep range, the tempo limit, ...).
        loads: what the athlete's implements weigh (None: the usual kit in kg); its unit is the unit of the texts.
    """

    performed: tuple[Performed, ...] | None = attrs.field(
        default=None, converter=_performed_tuple, validator=_check_performed
    )
    history: tuple[tuple[Performed, ...], ...] = attrs.field(
        default=(), converter=_history_tuple, validator=_check_history
    )
    role: Role = attrs.field(default=Role.FINISHER, converter=v.role, validator=v.one_of(Role))
    rung: Rung = attrs.field(factory=lambda: Rung(exercise=SLHT), validator=v.instance_of(Rung))
    kit: frozenset[Equipment] | None = attrs.field(
        default=None, converter=v.equipment_set, validator=v.optional(v.members(Equipment))
    )
    bodyweight_kg: float | None = attrs.field(default=None, validator=v.optional(v.number(ge=20, le=300)))
    goal: Goal = attrs.field(default=Goal.GENERAL, converter=v.goal, validator=v.one_of(Goal))
    state: State | None = attrs.field(default=None, validator=v.optional(v.instance_of(State)))
    policy: Policy = attrs.field(
        factory=lambda: Policy.of(None), validator=lambda i, a, x: _is_policy(i, a, x)
    )
    loads: Kit | None = attrs.field(default=None, validator=v.optional(v.instance_of(Kit)))

    def __attrs_post_init__(self) -> None:
        CATALOG.check_rung(self.rung)

    @property
    def load_kit(self) -> Kit:
        """The athlete's kit with its defaults filled in."""
        return _kit_of(self.loads)

    @property
    def unit(self) -> Unit:
        """The unit the rules' texts write loads in: the kit's."""
        return self.load_kit.unit or Unit.KG

    @property
    def makeable(self) -> Loads:
        """Every load the rung's variation can take with the kit, up to the cap."""
        return makeable_loads(self.variation, self.load_kit, cap_kg=self.cap, policy=self.policy)

    def show(self, dose: Dose) -> str:
        """``dose`` in a coach's words, the load as the kit makes it, in the kit's unit."""
        return show_dose(
            dose, self.unit, variation=self.rung.variation, kit=self.load_kit, per_side=self.unilateral
        )

    def show_load(self, load_kg: float, rung: Rung | None = None) -> str:
        """A load as the kit makes it, in the kit's unit (on ``rung``'s variation, else the log's)."""
        return show_load(load_kg, self.unit, variation=(rung or self.rung).variation, kit=self.load_kit)

    @property
    def unilateral(self) -> bool:
        """Whether the rung is one leg at a time (sets are then judged per side)."""
        return CATALOG[self.rung.exercise].unilateral

    @property
    def variation(self) -> Variation:
        """The variation the rung names."""
        return CATALOG.variation(self.rung)

    @property
    def bodyweight(self) -> float:
        """The bodyweight for load caps: the athlete's, else the policy's reference."""
        return self.bodyweight_kg if self.bodyweight_kg is not None else self.policy.reference_bodyweight_kg

    @property
    def effective_kit(self) -> frozenset[Equipment]:
        """The kit rules may climb into: ``kit``, or when None what the rung needs (a bench if it needs support)."""
        if self.kit is not None:
            return self.kit
        return _needs(self.rung)

    @property
    def low(self) -> int:
        """The bottom of the rep range for this athlete's goal."""
        return self.policy.reps.bounds(self.goal)[0]

    @property
    def high(self) -> int:
        """The top of the rep range for this athlete's goal."""
        return self.policy.reps.bounds(self.goal)[1]

    @property
    def cap(self) -> float:
        """The load cap of the rung's variation for this bodyweight."""
        return self.variation.load_cap_kg(self.bodyweight)

    @property
    def tolerance(self) -> float:
        """Half the kit's smallest load step on this variation: a logged load this close to the prescription
        matches it (22 lb logged against 10 kg does)."""
        return self.makeable.tolerance

    def top(self, dose: Dose) -> int:
        """The most reps a set may have: the top of the range, or fewer when a set would last too long."""
        return _top(self.policy, self.goal, dose)

    def weaker(self) -> tuple[Performed, ...]:
        """The sets of the weaker side (fewer reps in all): it sets the pace. Empty for an open-loop log."""
        if self.performed is None:
            return ()
        groups = _group(self.performed, self.unilateral)
        return tuple(groups[_weakest_side(groups)])

    def weaker_side(self) -> str | None:
        """``"left"`` or ``"right"`` (``"both"`` for a two-leg exercise logged without sides); None for an
        open-loop log."""
        if self.performed is None:
            return None
        return _weakest_side(_group(self.performed, self.unilateral))

    def met(self, dose: Dose) -> bool:
        """Whether every set of both sides reached the target reps, load (within the tolerance) and pause."""
        return self._met(self.performed, dose)

    def _met(self, performed: Sequence[Performed] | None, dose: Dose) -> bool:
        if performed is None:
            return True
        tol = self.tolerance + _EPS
        for sets in _group(performed, self.unilateral).values():
            if len(sets) < dose.sets:
                return False
            for p in sets[: dose.sets]:
                if p.reps < dose.reps or p.load_kg + tol < dose.load_kg or p.pause_s + 0.01 < dose.pause_s:
                    return False
        return True

    def at_top(self, dose: Dose) -> bool:
        """Whether every set met the target and the target is the top of the range (or the longest set)."""
        return self.met(dose) and dose.reps >= self.top(dose)

    def surplus(self, dose: Dose) -> int:
        """By how many reps the weaker side's last set beat the target (0 for an open-loop log)."""
        return self._surplus(self.performed, dose)

    def _surplus(self, performed: Sequence[Performed] | None, dose: Dose) -> int:
        if performed is None:
            return 0
        groups = _group(performed, self.unilateral)
        sets = groups[_weakest_side(groups)]
        return sets[-1].reps - dose.reps if sets else -dose.reps

    def grind(self, dose: Dose) -> bool:
        """Whether a set was logged 2 or more reps in reserve below the target (it was too hard: hold)."""
        if self.performed is None or dose.rir is None:
            return False
        return any(p.rir is not None and p.rir <= dose.rir - 2 for p in self.performed)

    def easy(self, dose: Dose) -> bool:
        """Whether every set was logged 2 or more reps in reserve above the target (a bigger step is fine)."""
        if not self.performed or dose.rir is None:
            return False
        return all(p.rir is not None and p.rir >= dose.rir + 2 for p in self.performed)

    def miss_streak(self, dose: Dose) -> int:
        """Missed exposures in a row, this one included (0 if this one met its target)."""
        if self.met(dose):
            return 0
        if self.state is not None:
            return self.state.misses
        streak = 1
        for earlier in reversed(self.history):
            if self._met(earlier, dose):
                break
            streak += 1
        return streak

    def beat_streak(self, dose: Dose, margin: int) -> int:
        """Exposures in a row, this one included, whose weaker side's last set beat the target by ``margin``."""
        if not self.met(dose) or self.surplus(dose) < margin:
            return 0
        if self.state is not None:
            return self.state.beat
        streak = 1
        for earlier in reversed(self.history):
            if not self._met(earlier, dose) or self._surplus(earlier, dose) < margin:
                break
            streak += 1
        return streak

    def top_streak(self, dose: Dose) -> int:
        """Exposures in a row, this one included, with every set at the top of the range."""
        if not self.at_top(dose):
            return 0
        if self.state is not None:
            return self.state.top
        streak = 1
        for earlier in reversed(self.history):
            if not self._met(earlier, dose):
                break
            streak += 1
        return streak


def _needs(rung: Rung) -> frozenset[Equipment]:
    """What a rung needs: its variation's kit, and a bench when the exercise needs a support surface."""
    exercise = CATALOG[rung.exercise]
    needs = CATALOG.variation(rung).needs
    return needs | ({Equipment.BENCH} if exercise.needs_support else frozenset())


def _load_step(variation: Variation, policy: Policy) -> float:
    """The smallest load step: the policy's ``load.step_kg`` when set, else the variation's own."""
    return policy.load.step_kg if policy.load.step_kg is not None else variation.load_step_kg


_DEFAULT_KIT = Kit().resolved(Unit.KG)


def _kit_of(loads: Kit | None) -> Kit:
    """A kit with its defaults filled in (None: the usual kit in kg)."""
    return _DEFAULT_KIT if loads is None else loads.resolved(Unit.KG)


@attrs.frozen
class Loads:
    """Every load one variation can take with one kit, up to its cap: the only loads the rules prescribe.

    Attributes:
        values: the loads in kg, lightest first, none above the cap.
        tolerance: half the smallest step between them (from no load to the lightest included): a logged load
            this close to a prescribed one matches it.
    """

    values: tuple[float, ...]
    tolerance: float

    def first(self) -> float | None:
        """The lightest load, None if even that is over the cap."""
        return self.values[0] if self.values else None

    def at_most(self, load_kg: float) -> float | None:
        """The heaviest load not above ``load_kg``, None if every load is heavier."""
        i = bisect.bisect_right(self.values, load_kg + _EPS)
        return self.values[i - 1] if i else None

    def above(self, load_kg: float, steps: int = 1) -> float | None:
        """The load ``steps`` steps above ``load_kg`` (the first heavier load is one step), None past the cap."""
        i = bisect.bisect_right(self.values, load_kg + _EPS) + steps - 1
        return self.values[i] if i < len(self.values) else None

    def below(self, load_kg: float) -> float | None:
        """The next lighter load than ``load_kg``, None if there is none."""
        i = bisect.bisect_left(self.values, load_kg - _EPS)
        return self.values[i - 1] if i else None

    def nearest(self, load_kg: float) -> float | None:
        """The load closest to ``load_kg`` (the lighter one on a tie)."""
        if not self.values:
            return None
        return min(self.values, key=lambda x: (abs(x - load_kg), x))


def makeable_loads(
    variation: Variation, kit: Kit | None = None, *, cap_kg: float = MAX_LOAD_KG, policy: Policy | None = None
) -> Loads:
    """The loads ``variation`` can take with ``kit`` (the usual kg kit when None), up to ``cap_kg``.

    The one place a load comes from: the first dose, every load step (:class:`LoadStep`, :class:`TwoForTwo`),
    a new loaded variation, a matched dose, a lighter week, a way back after a break and a step down all pick
    from these. A policy with ``load.step_kg`` set uses whole multiples of that step instead; a variation the kit
    knows nothing of (your own catalogue), whole multiples of its ``load_step_kg``.

    >>> from hipplan.catalog import CATALOG
    >>> makeable_loads(CATALOG.variation(Rung(exercise="single-leg-hip-thrust", variation="landmine")),
    ...                cap_kg=15).values
    (10.0, 11.25, 12.5, 13.75, 15.0)
    """
    loads: Loads = _kept(
        _makeable_kept, variation, _kit_of(kit), float(cap_kg), Policy.of(policy).load.step_kg
    )
    return loads


@functools.lru_cache(maxsize=4096)
def _makeable_kept(variation: Variation, kit: Kit, cap_kg: float, step_kg: float | None) -> Loads:
    grid = _grid(variation, kit, step_kg)
    values = tuple(x for x in grid if x <= cap_kg + _EPS)
    gaps = [b - a for a, b in zip((0.0, *grid), grid, strict=False)]
    return Loads(values, min(gaps, default=0.0) / 2)


@functools.lru_cache(maxsize=1024)
def _grid(variation: Variation, kit: Kit, step_kg: float | None) -> tuple[float, ...]:
    """Every load the kit makes on ``variation``, uncapped (up to 300 kg)."""
    if not variation.is_loaded:
        return ()
    if step_kg is None:
        found = kit.loads_kg(variation.id)
        if found is not None:
            return found
        step_kg = variation.load_step_kg
    if step_kg <= 0:
        return ()
    return tuple(_kg(step_kg * i) for i in range(1, math.floor(MAX_LOAD_KG / step_kg + _EPS) + 1))


def _harder(rung: Rung, kit: frozenset[Equipment], *, same_exercise: bool) -> Rung | None:
    """The easiest rung above ``rung`` the kit allows: a loaded variation of the same exercise, or the next
    exercise's bodyweight rung (:meth:`Ladder.next_harder`)."""
    return _ladder().next_harder(rung, kit, same_exercise=same_exercise)


def _cap_note(log: Log) -> str:
    if log.bodyweight_kg is None:
        weight = show_bodyweight(log.policy.reference_bodyweight_kg, log.unit)
        return f" (no bodyweight given: capped as for a {weight} athlete)"
    return ""


def _can_load(log: Log, dose: Dose) -> bool:
    """Whether load can still grow here: a loaded variation below its cap, or a loaded one the kit allows."""
    var = log.variation
    if var.is_loaded:
        return log.makeable.above(dose.load_kg) is not None
    return _harder(log.rung, log.effective_kit, same_exercise=True) is not None


# ----------------------------------------------------------------------------------------------------------
# The overload levers
# ----------------------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RepRange:
    """Double progression, first half: add reps per side inside a range while every set reaches the target.

    The range depends on the goal: ``strength_low``-``strength_high`` for a strength goal, ``low``-``high``
    otherwise. Two-leg exercises (the floor bridge, the two-leg hip thrust) carry half the work per leg, so
    they climb ``two_leg_step`` reps at a time. When every set reaches the top, the next lever takes over and
    drops the reps back to the bottom.
    """

    name: ClassVar[str] = "reps"
    low: int = attrs.field(default=10, validator=v.integer(ge=2, le=49))
    high: int = attrs.field(default=15, validator=v.integer(ge=3, le=50))
    strength_low: int = attrs.field(default=8, validator=v.integer(ge=2, le=49))
    strength_high: int = attrs.field(default=12, validator=v.integer(ge=3, le=50))
    step: int = attrs.field(default=1, validator=v.integer(ge=1, le=10))
    two_leg_step: int = attrs.field(default=2, validator=v.integer(ge=1, le=10))

    def __attrs_post_init__(self) -> None:
        if self.low >= self.high:
            raise InvalidInput(f"'high' must be above 'low' ({self.low}) (got {self.high})", field="high")
        if self.strength_low >= self.strength_high:
            raise InvalidInput(
                f"'strength_high' must be above 'strength_low' ({self.strength_low}) (got {self.strength_high})",
                field="strength_high",
            )

    def bounds(self, goal: Goal) -> tuple[int, int]:
        """The range for a goal: (bottom, top)."""
        if goal is Goal.STRENGTH:
            return self.strength_low, self.strength_high
        return self.low, self.high

    def step_for(self, rung: Rung) -> int:
        """The rep step on this rung: ``two_leg_step`` for a two-leg exercise, else ``step``."""
        return self.step if CATALOG[rung.exercise].unilateral else self.two_leg_step

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """More reps per side, up to the top, when every set met its target (two steps after an easy one, when
        they keep within the workload cap)."""
        top = log.top(dose)
        if not log.met(dose) or dose.reps >= top:
            return None

        def more(steps: int) -> Dose:
            return _with(dose, reps=min(top, dose.reps + self.step_for(log.rung) * steps))

        steps = _steps(log, dose, more)
        reps = more(steps).reps
        spare = ""
        if steps > 1:
            spare = " with reps to spare (2+ more in reserve than aimed for)"
        elif log.easy(dose):
            spare = (
                f" with reps to spare (a bigger step would grow the workload by more than {_cap_pct(log)})"
            )
        return Change(
            dose=_with(dose, reps=reps),
            text=(
                f"Every set reached {dose.reps} reps{_a_side(log)}{spare}: next time {reps}"
                f" (range {log.low}-{log.high})."
            ),
        )


def _a_side(log: Log) -> str:
    """ " a side" on a one-leg exercise, where sets and reps count per side; nothing on a two-leg one."""
    return " a side" if log.unilateral else ""


def _steps(log: Log, dose: Dose, step: Callable[[int], Dose | None]) -> int:
    """How many steps a lever takes at once: 2 after an exposure with every set 2+ reps in reserve above the
    target, if the dose two steps give (``step(2)``) keeps within the workload cap; else 1."""
    if not log.easy(dose):
        return 1
    bigger = step(2)
    return 2 if bigger is not None and _within_cap(log, dose, bigger) else 1


def _within_cap(log: Log, before: Dose, after: Dose) -> bool:
    """Whether ``after`` grows the workload of ``before`` by no more than the policy's cap allows."""
    policy = log.policy
    return policy.growth.allows(before, after, log.bodyweight, policy.reps.step_for(log.rung))


def _cap_pct(log: Log) -> str:
    return f"{round(100 * log.policy.growth.max_growth)} %"


@attrs.frozen(kw_only=True)
class TwoForTwo:
    """The 2-for-2 rule: a load step (same reps) when the last set beats the target by 2+ twice running.

    ``margin`` is the 2 reps and ``sessions`` the two exposures in a row; the weaker side's last set counts.
    """

    name: ClassVar[str] = "load.2for2"
    margin: int = attrs.field(default=2, validator=v.integer(ge=1, le=10))
    sessions: int = attrs.field(default=2, validator=v.integer(ge=1, le=5))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """A load step on a loaded variation, when the weaker side beat the target often enough."""
        var = log.variation
        if not var.is_loaded or log.beat_streak(dose, self.margin) < self.sessions:
            return None
        loads, rule = log.makeable, log.policy.load

        def heavier(steps: int) -> Dose | None:
            load = rule.next_load(loads, dose.load_kg, steps)
            return None if load is None else _with(dose, load_kg=load)

        new = heavier(_steps(log, dose, heavier))
        if new is None:
            return None
        load = new.load_kg
        return Change(
            dose=_with(dose, load_kg=load),
            text=(
                f"The last set beat {dose.reps} reps by {self.margin} or more, {self.sessions} exposures running"
                f" (2-for-2): {log.show_load(load)}, same reps{_cap_note(log)}."
            ),
        )


@attrs.frozen(kw_only=True)
class ClimbExercise:
    """Climb to the next exercise of the ladder once the current one is owned.

    Glute bridge -> single-leg glute bridge -> two-leg hip thrust -> single-leg hip thrust. Owned means the top of
    the range on every set for ``after`` exposures running; until then the dose holds at the top. A rung that needs
    a support surface is only reachable when the kit has a bench, a box or a couch.
    """

    name: ClassVar[str] = "ladder.climb"
    enabled: bool = attrs.field(default=True, validator=v.instance_of(bool))
    after: int = attrs.field(default=2, validator=v.integer(ge=1, le=5))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Move up one exercise (reps back to the bottom), or hold at the top until it is owned."""
        if not self.enabled or not log.at_top(dose):
            return None
        target = _harder(log.rung, log.effective_kit, same_exercise=False)
        if target is None:
            return None
        name = CATALOG[target.exercise].name.lower()
        streak = log.top_streak(dose)
        if streak < self.after:
            more = "once more" if self.after - streak == 1 else f"{self.after - streak} more times"
            return Change(
                dose=dose, text=f"Top of the range on every set: own it {more}, then climb to the {name}."
            )
        low = log.low
        return Change(
            dose=_with(dose, reps=low, load_kg=0.0, pause_s=0.0, lower_s=min(2.0, dose.lower_s)),
            rung=target,
            text=(
                f"{dose.reps} clean reps on every set, {self.after} exposures running: climb to the {name},"
                f" from {low} reps."
            ),
        )


@attrs.frozen(kw_only=True)
class LoadStep:
    """Double progression on load: at the top of the range, the kit's smallest real step, reps back down.

    The step is the variation's own (the next band, the next dumbbell, the smallest plate pair, a sandbag filled a
    little more), or ``step_kg`` when given; several steps are taken at once only while they stay within
    ``max_fraction`` of the load (the ACSM's 2-10 % a step). Never above the variation's cap.
    """

    name: ClassVar[str] = "load.step"
    step_kg: float | None = attrs.field(default=None, validator=v.optional(v.number(gt=0, le=20)))
    max_fraction: float = attrs.field(default=0.10, converter=v.to_float, validator=v.number(gt=0, le=0.5))

    def increment(
        self, variation: Variation, load_kg: float, steps: int = 1, kit: Kit | None = None
    ) -> float:
        """The load to add to ``load_kg`` to reach :meth:`next_load` with ``kit`` (uncapped; 0 when none)."""
        loads = makeable_loads(variation, kit, policy=Policy(load=self))
        nxt = self.next_load(loads, load_kg, steps)
        return 0.0 if nxt is None else _kg(nxt - load_kg)

    def next_load(self, loads: Loads, load_kg: float, steps: int = 1) -> float | None:
        """The next load the kit makes above ``load_kg``: ``steps`` steps up at least, more only while the rise
        stays within ``max_fraction`` of the load; None when the next one is over the cap."""
        least = loads.above(load_kg, steps)
        if least is None:
            return None
        within = loads.at_most(load_kg * (1 + self.max_fraction))
        return within if within is not None and within > least else least

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Add load at the top of the range, unless that would pass the cap; reps from the bottom."""
        var = log.variation
        if not var.is_loaded or not log.at_top(dose):
            return None
        loads, low = log.makeable, log.low

        def heavier(steps: int) -> Dose | None:
            load = self.next_load(loads, dose.load_kg, steps)
            return None if load is None else _with(dose, load_kg=load, reps=low)

        new = heavier(_steps(log, dose, heavier))
        if new is None:
            return None
        load = new.load_kg
        unit = log.unit
        add = show_load(load - dose.load_kg, unit)
        return Change(
            dose=_with(dose, load_kg=load, reps=low),
            text=(
                f"Top of the range with {log.show_load(dose.load_kg)}: add {add} ({log.show_load(load)}, cap"
                f" {show_load(log.cap, unit)}{_cap_note(log)}) and start again from {low} reps."
            ),
        )


@attrs.frozen(kw_only=True)
class LoadedVariation:
    """Load arrives: at the top of the range, the next loaded variation the kit allows (band, dumbbell,
    sandbag, landmine).

    From a bodyweight variation this is the first lever once the reps top out; from a loaded variation it comes
    only when that one is at its cap and the pause, tempo and set levers are spent (the ladder's next rung).
    """

    name: ClassVar[str] = "ladder.loaded"
    enabled: bool = attrs.field(default=True, validator=v.instance_of(bool))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Step onto the next loaded variation, at the old load in whole steps (one step at least)."""
        if not self.enabled or not log.at_top(dose):
            return None
        current = log.variation
        policy = log.policy
        if current.is_loaded and (
            _can_load(log, dose)
            or any(rule.next(dose, log) is not None for rule in (policy.pause, policy.tempo, policy.sets))
        ):
            return None
        target = _harder(log.rung, log.effective_kit, same_exercise=True)
        if target is None:
            return None
        var = CATALOG.variation(target)
        loads = makeable_loads(var, log.load_kit, cap_kg=var.load_cap_kg(log.bodyweight), policy=policy)
        first = loads.first()
        if first is None:
            return None
        load = max(first, loads.at_most(dose.load_kg) or first)
        low = log.low
        return Change(
            dose=_with(dose, reps=low, load_kg=load, pause_s=0.0),
            rung=target,
            text=(
                f"Top of the range: load arrives, {var.name.lower()} variation at {log.show_load(load, target)},"
                f" from {low} reps{_cap_note(log)}."
            ),
        )


def _fitting_low(log: Log, dose: Dose) -> int:
    """The bottom of the rep range, or fewer reps when a set of ``dose`` would otherwise last too long (never
    fewer than 5: past that a slower rep is no longer the right lever)."""
    fits = log.policy.tempo.reps_within(dose)
    if fits >= log.low:
        return log.low
    return fits if fits >= 5 else 0


def _no_load(log: Log, dose: Dose) -> bool:
    """Whether pause, tempo and sets are the levers here: no load can be added (no implement, or at the cap)."""
    return not _can_load(log, dose)


@attrs.frozen(kw_only=True)
class Pause:
    """When load cannot grow: a longer hold at the top, reps back to the bottom."""

    name: ClassVar[str] = "pause"
    step_s: float = attrs.field(default=1.0, converter=v.to_float, validator=v.number(gt=0, le=5))
    max_s: float = attrs.field(default=3.0, converter=v.to_float, validator=v.number(ge=0, le=8))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Add ``step_s`` of pause at the top of the range, when no load can be added."""
        if not log.at_top(dose) or dose.pause_s + _EPS >= self.max_s or not _no_load(log, dose):
            return None
        pause = min(self.max_s, dose.pause_s + self.step_s)
        low = _fitting_low(log, _with(dose, pause_s=pause))
        if low < 1:
            return None
        new = _with(dose, pause_s=pause, reps=low)
        if not log.policy.tempo.allows(new):
            return None
        return Change(
            dose=new,
            text=(
                f"Top of the range ({dose.reps} reps{_a_side(log)}) and no load to add: hold {_fmt(pause)} s at the top"
                f" and start again from {low} reps."
            ),
        )


@attrs.frozen(kw_only=True)
class Tempo:
    """After the pause: a slower lowering, reps back to the bottom. No rep of 10 s or more, no set of more than
    about a minute a side."""

    name: ClassVar[str] = "tempo"
    step_s: float = attrs.field(default=1.0, converter=v.to_float, validator=v.number(gt=0, le=5))
    max_s: float = attrs.field(default=4.0, converter=v.to_float, validator=v.number(ge=0, le=8))
    max_rep_s: float = attrs.field(default=9.0, converter=v.to_float, validator=v.number(gt=1, le=9.99))
    """The longest a single rep may take (up, pause, lowering); very slow reps of 10 s or more are avoided."""
    max_set_s: float = attrs.field(default=60.0, converter=v.to_float, validator=v.number(ge=10, le=180))
    """The longest a set may last on one side (reps x seconds a rep)."""

    def allows(self, dose: Dose) -> bool:
        """Whether a rep of ``dose`` stays within ``max_rep_s`` and a set within ``max_set_s``."""
        return (
            dose.seconds_per_rep <= self.max_rep_s + _EPS
            and dose.reps * dose.seconds_per_rep <= self.max_set_s + _EPS
        )

    def reps_within(self, dose: Dose) -> int:
        """The most reps a set of ``dose`` may have within ``max_set_s``."""
        return math.floor(self.max_set_s / dose.seconds_per_rep + _EPS)

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Lower more slowly by ``step_s`` at the top of the range, when no load can be added."""
        if not log.at_top(dose) or dose.lower_s + _EPS >= self.max_s or not _no_load(log, dose):
            return None
        lower = min(self.max_s, dose.lower_s + self.step_s)
        low = _fitting_low(log, _with(dose, lower_s=lower))
        if low < 1:
            return None
        new = _with(dose, lower_s=lower, reps=low)
        if not self.allows(new):
            return None
        return Change(
            dose=new,
            text=(
                f"Top of the range again: lower the hips over {_fmt(lower)} s (was {_fmt(dose.lower_s)} s) and"
                f" start again from {low} reps."
            ),
        )


@attrs.frozen(kw_only=True)
class Sets:
    """When load cannot grow and pause and tempo are spent: one more set per side, reps back to the bottom."""

    name: ClassVar[str] = "sets"
    step: int = attrs.field(default=1, validator=v.integer(ge=1, le=3))
    max: int = attrs.field(default=4, validator=v.integer(ge=1, le=10))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Add a set at the top of the range when there is room under ``max``."""
        if not log.at_top(dose) or dose.sets >= self.max or not _no_load(log, dose):
            return None
        sets = min(self.max, dose.sets + self.step)
        # the reps drop so that the volume (sets x reps) grows by no more than the workload cap allows
        grown = dose.sets * dose.reps * (1 + log.policy.growth.max_growth)
        reps = min(log.low, max(1, math.floor(grown / sets + _EPS)))
        return Change(
            dose=_with(dose, sets=sets, reps=reps),
            text=f"Pause and tempo are as long as they go: {sets} sets{_a_side(log)} now, of {reps} reps.",
        )


@attrs.frozen(kw_only=True)
class WorkloadCap:
    """A step may grow the workload by at most ``max_growth``, or by one rep step, if that is more.

    A rep is the smallest step a dose can take, so at 8 reps a side the cap lets a 12.5 % one-rep step through.
    An easy exposure earns a bigger step only within the same cap (two rep steps rarely fit; two light load steps
    often do). Growth is measured from the working dose before the step; a lighter week and a return from a break
    are no base to grow from (the athlete resumes where they were).
    """

    name: ClassVar[str] = "growth"
    max_growth: float = attrs.field(default=0.10, converter=v.to_float, validator=v.number(gt=0, le=1))

    def allows(self, before: Dose, after: Dose, bodyweight_kg: float, rep_step: int = 1) -> bool:
        """Whether ``after`` is within the cap of ``before`` (one rep step always passes; a bigger step after an
        easy exposure is held to the same cap)."""
        base = workload_of(before, bodyweight_kg)
        limit = base * (1 + max(self.max_growth, rep_step / before.reps))
        return workload_of(after, bodyweight_kg) <= limit * (1 + 1e-9) + _EPS


# ----------------------------------------------------------------------------------------------------------
# Lighter weeks, breaks, missed targets, warm-ups and first doses
# ----------------------------------------------------------------------------------------------------------


def lighten(dose: Dose, deload: Deload, loads: Loads | None = None, *, low: int | None = None) -> Dose:
    """The deload version of ``dose``: sets and reps cut so the volume drops by about ``deload.volume_cut``.

    Sets go first. Reps are cut no lower than ``low`` (the bottom of the rep range) when given, or than the dose's
    own reps if those are fewer; only a dose that no set cut can lighten (a single set) loses a rep below it. With
    ``loads`` (:func:`makeable_loads`), a load cut lands on the heaviest load the kit makes within it (the lightest,
    if the cut goes below it).
    """
    keep = 1 - deload.volume_cut
    volume = dose.sets * dose.reps
    sets = max(1, round(dose.sets * keep))
    floor = 1 if low is None else min(dose.reps, low)
    reps = max(floor, min(dose.reps, round(volume * keep / sets)))
    if sets * reps >= volume and reps > 1:
        reps -= 1
    rir = min(10, (dose.rir or 0) + deload.rir_added)
    load = _kg(dose.load_kg * (1 - deload.load_cut))
    if loads is not None and load and deload.load_cut:
        load = loads.at_most(load) or loads.first() or load
    return _with(dose, sets=sets, reps=reps, rir=rir, load_kg=load)


def deload_base(state: State) -> Dose:
    """The dose a lighter week lightens: the working dose, held in every figure to the last dose done (sets,
    reps, load, pause, lowering), so a lighter week never brings a load, a rep or a hold the athlete has not done
    yet. Before the first exposure on the rung, the working dose itself."""
    dose, last = state.dose, state.last
    if last is None:
        return dose
    return _with(
        dose,
        sets=min(dose.sets, last.sets),
        reps=min(dose.reps, last.reps),
        load_kg=min(dose.load_kg, last.load_kg),
        pause_s=min(dose.pause_s, last.pause_s),
        lower_s=min(dose.lower_s, last.lower_s),
    )


@attrs.frozen(kw_only=True)
class Deload:
    """A lighter week every ``every`` training weeks, and after ``after_misses`` missed exposures running.

    Training weeks are weeks in which the role was trained: a week off does not count, and a break of a week or
    more starts a new block (it was rest enough). The lighter week cuts volume (sets x reps) by ``volume_cut``,
    the load by ``load_cut``, and leaves ``rir_added`` more reps in reserve; every exposure of that week is
    light, and the week after resumes the dose from before it.
    """

    name: ClassVar[str] = "deload"
    every: int | None = attrs.field(default=5, validator=v.optional(v.integer(ge=2, le=26)))
    after_misses: int | None = attrs.field(default=2, validator=v.optional(v.integer(ge=1, le=10)))
    volume_cut: float = attrs.field(default=0.4, converter=v.to_float, validator=v.number(ge=0.1, le=0.9))
    load_cut: float = attrs.field(default=0.0, converter=v.to_float, validator=v.number(ge=0, le=0.9))
    rir_added: int = attrs.field(default=2, validator=v.integer(ge=0, le=5))

    def due(self, block: int) -> bool:
        """Whether the training week numbered ``block`` in its block (1 for the first) is the lighter one."""
        return self.every is not None and block >= self.every

    def text(self, why: str) -> str:
        """The reason of a lighter week."""
        cut = round(100 * self.volume_cut)
        more = f", {self.rir_added} more reps in reserve" if self.rir_added else ""
        return f"{why} About {cut} % less volume{more}; the week after picks up where you were."


@attrs.frozen(kw_only=True)
class Comeback:
    """The way back in after weeks without the role (detraining: strength holds 2-3 weeks, then slowly fades).

    After ``resume_max`` weeks off or fewer: the same dose. Up to ``step_back_max`` weeks off: one step back (a
    rep step, or a load step on a loaded dose). Longer: about ``far_keep`` of the volume, and a load step off.
    Never above the last dose done; the block starts again (the break was rest enough).
    """

    name: ClassVar[str] = "comeback"
    resume_max: int = attrs.field(default=1, validator=v.integer(ge=0, le=8))
    step_back_max: int = attrs.field(default=3, validator=v.integer(ge=0, le=12))
    far_keep: float = attrs.field(default=0.75, converter=v.to_float, validator=v.number(ge=0.3, le=1))

    def after(
        self, dose: Dose, rung: Rung, weeks_off: int, policy: Policy, loads: Kit | None = None
    ) -> tuple[Dose, str]:
        """The dose to come back at after ``weeks_off`` weeks without an exposure, and why (a load step back is
        the next lighter load ``loads``, the athlete's kit, makes)."""
        off = f"{weeks_off} week{'s' if weeks_off > 1 else ''} without this work"
        var = CATALOG.variation(rung)
        kit = _kit_of(loads)
        unit = kit.unit or Unit.KG

        def show(d: Dose) -> str:
            return show_dose(
                d, unit, variation=rung.variation, kit=kit, per_side=CATALOG[rung.exercise].unilateral
            )

        lighter = makeable_loads(var, kit, policy=policy).below(dose.load_kg) if var.is_loaded else None
        if weeks_off <= self.resume_max:
            return dose, f"{off}: strength is kept that long, so on from where you left off, {show(dose)}."
        if weeks_off <= self.step_back_max:
            if lighter is not None:
                back = _with(dose, load_kg=lighter)
            else:
                back = _with(dose, reps=max(1, dose.reps - policy.reps.step_for(rung)))
            return back, f"{off}: one step back to {show(back)}, then build again."
        reps = max(1, min(dose.reps, round(dose.reps * self.far_keep)))
        if reps == dose.reps and reps > 1:
            reps -= 1
        back = _with(dose, reps=reps, load_kg=dose.load_kg if lighter is None else lighter)
        keep = round(100 * self.far_keep)
        return back, f"{off}: back in at about {keep} % of the last volume, {show(back)}, and build up again."


@attrs.frozen(kw_only=True)
class Regression:
    """Repeated failure moves back down: first a load step off, then the next easier rung the kit allows.

    Misses count in a row across a lighter week: the lighter week they bring is no fresh start, so a dose missed
    before it and again after it is missed twice running.
    """

    name: ClassVar[str] = "regression"
    after_misses: int = attrs.field(default=3, validator=v.integer(ge=1, le=10))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """One step easier after ``after_misses`` missed exposures in a row (lighter weeks between them left out)."""
        misses = log.miss_streak(dose)
        if misses < self.after_misses:
            return None
        var = log.variation
        lighter = log.makeable.below(dose.load_kg) if var.is_loaded else None
        if lighter is not None:
            return Change(
                dose=_with(dose, load_kg=lighter),
                text=f"{_missed(misses)}: back to {log.show_load(lighter)} and rebuild.",
            )
        target = _ladder().next_easier(log.rung, log.effective_kit)
        if target is None:
            return None
        new_var = CATALOG.variation(target)
        load = 0.0
        if new_var.is_loaded:
            cap = new_var.load_cap_kg(log.bodyweight)
            loads = makeable_loads(new_var, log.load_kit, cap_kg=cap, policy=log.policy)
            load = loads.at_most(dose.load_kg) or loads.first() or 0.0
        name = CATALOG[target.exercise].name.lower()
        return Change(
            dose=_with(dose, load_kg=load),
            rung=target,
            text=(
                f"{_missed(misses)}: one rung down the ladder ({name}, {new_var.name.lower()}) to rebuild."
            ),
        )


@attrs.frozen(kw_only=True)
class WarmUp:
    """A warm-up stays light and short, bodyweight, well short of failure, and never progresses toward it."""

    name: ClassVar[str] = "warm_up"
    sets: int = attrs.field(default=1, validator=v.integer(ge=1, le=3))
    max_sets: int = attrs.field(default=2, validator=v.integer(ge=1, le=3))
    reps: int = attrs.field(default=8, validator=v.integer(ge=1, le=20))
    max_reps: int = attrs.field(default=10, validator=v.integer(ge=1, le=20))
    rir: int = attrs.field(default=4, validator=v.integer(ge=2, le=10))
    """Reps in reserve: a warm-up set stops this many reps short of failure, or more."""
    pause_s: float = attrs.field(default=1.0, converter=v.to_float, validator=v.number(ge=0, le=3))
    rest_s: int = attrs.field(default=30, validator=v.integer(ge=0, le=180))

    def __attrs_post_init__(self) -> None:
        if self.sets > self.max_sets:
            raise InvalidInput(
                f"'sets' must be <= 'max_sets' ({self.max_sets}) (got {self.sets})", field="sets"
            )
        if self.reps > self.max_reps:
            raise InvalidInput(
                f"'reps' must be <= 'max_reps' ({self.max_reps}) (got {self.reps})", field="reps"
            )

    def light(self, dose: Dose) -> Dose:
        """``dose`` held within the warm-up limits: no load, few sets and reps, reps in reserve."""
        return _with(
            dose,
            sets=min(dose.sets, self.max_sets),
            reps=min(dose.reps, self.max_reps),
            load_kg=0.0,
            pause_s=min(dose.pause_s, self.pause_s),
            rir=max(dose.rir if dose.rir is not None else self.rir, self.rir),
        )

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """The same light dose again (brought within the limits if it was not)."""
        light = self.light(dose)
        if light == dose:
            text = "Warm-up: the same light dose; it primes the glutes without tiring you for the main lifts."
        else:
            text = f"Warm-up kept light and short: {light}, stopping {light.rir} reps short of failure."
        return Change(dose=light, text=text)


@attrs.frozen(kw_only=True)
class Start:
    """First doses by level and role; ``sets`` and ``rir`` are (beginner, intermediate, advanced)."""

    name: ClassVar[str] = "start"
    finisher_sets: tuple[int, int, int] = attrs.field(default=(2, 3, 3), converter=tuple)
    circuit_sets: tuple[int, int, int] = attrs.field(default=(2, 2, 3), converter=tuple)
    rir: tuple[int, int, int] = attrs.field(default=(3, 2, 1), converter=tuple)
    finisher_rest_s: int = attrs.field(default=60, validator=v.integer(ge=0, le=600))
    circuit_rest_s: int = attrs.field(default=30, validator=v.integer(ge=0, le=600))

    @finisher_sets.validator
    @circuit_sets.validator
    @rir.validator
    def _three(self, attribute: attrs.Attribute[Any], value: tuple[int, ...]) -> None:
        if len(value) != 3 or any(
            isinstance(x, bool) or not isinstance(x, int) or not 0 <= x <= 10 for x in value
        ):
            raise InvalidInput(
                f"{attribute.name!r} must be three whole numbers from 0 to 10 (beginner, intermediate, advanced)"
                f" (got {value!r})",
                field=attribute.name,
            )
        if attribute.name != "rir" and min(value) < 1:
            raise InvalidInput(
                f"{attribute.name!r} must be at least 1 set (got {value!r})", field=attribute.name
            )

    def first(
        self,
        level: Level,
        role: Role,
        rung: Rung,
        policy: Policy,
        bodyweight_kg: float,
        goal: Goal = Goal.GENERAL,
        working: WorkingDose | None = None,
        loads: Kit | None = None,
    ) -> Dose:
        """The first dose for this level, role and rung: the athlete's own working dose when known (its load
        the nearest ``loads``, the athlete's kit, makes), else the kit's lightest load on a loaded variation."""
        lower = min(2.0, policy.tempo.max_s)
        if role is Role.WARM_UP:
            w = policy.warm_up
            sets = w.sets if level is Level.BEGINNER else w.max_sets
            return Dose(sets=sets, reps=w.reps, pause_s=w.pause_s, lower_s=lower, rest_s=w.rest_s, rir=w.rir)
        rest = self.finisher_rest_s if role is Role.FINISHER else self.circuit_rest_s
        rir = self.rir[level.rank]
        var = CATALOG.variation(rung)
        makeable = makeable_loads(var, loads, cap_kg=var.load_cap_kg(bodyweight_kg), policy=policy)
        if working is not None:
            load = working.load_kg
            if load and var.is_loaded:
                load = makeable.nearest(load) or load
            return Dose(
                sets=working.sets,
                reps=working.reps,
                load_kg=load,
                lower_s=lower,
                rest_s=rest,
                rir=rir,
            )
        table = self.finisher_sets if role is Role.FINISHER else self.circuit_sets
        sets = min(table[level.rank], policy.sets.max)
        load = (makeable.first() or 0.0) if var.is_loaded else 0.0
        return Dose(
            sets=sets, reps=policy.reps.bounds(goal)[0], load_kg=load, lower_s=lower, rest_s=rest, rir=rir
        )


def _default_extra() -> tuple[Lever, ...]:
    return ()


def _check_extra(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(r, Lever) for r in value):
        raise InvalidInput(
            f"'extra' must be a sequence of rules, each with a 'name' and a 'next(dose, log)' method (got {value!r})",
            field=attribute.name,
        )


@attrs.frozen(kw_only=True, cache_hash=True)
class Policy:
    """The progression rules, composed, with defaults from the training literature (docs/progression.md).

    After an exposure that met its targets the levers are tried in this order: the user's ``extra`` rules,
    ``two_for_two``, ``reps``, ``climb``, ``load``, ``loaded``, then (only where load cannot grow) ``pause``,
    ``tempo``, ``sets``. The first that proposes a change within ``growth`` wins. ``deload``, ``comeback`` and
    ``regression`` act on the calendar, on breaks and on missed targets; ``warm_up`` replaces all of it for
    warm-up doses; ``start`` gives first doses.

    Attributes:
        reference_bodyweight_kg: the bodyweight load caps are worked out for when the athlete gives none.
        extra: your own rules (each with a ``name`` and a pure ``next(dose, log)``), tried before the built-in
            levers by :func:`hipplan.plan` and :func:`progress` alike.
    """

    reps: RepRange = attrs.field(factory=RepRange, validator=v.instance_of(RepRange))
    pause: Pause = attrs.field(factory=Pause, validator=v.instance_of(Pause))
    tempo: Tempo = attrs.field(factory=Tempo, validator=v.instance_of(Tempo))
    sets: Sets = attrs.field(factory=Sets, validator=v.instance_of(Sets))
    climb: ClimbExercise = attrs.field(factory=ClimbExercise, validator=v.instance_of(ClimbExercise))
    loaded: LoadedVariation = attrs.field(factory=LoadedVariation, validator=v.instance_of(LoadedVariation))
    load: LoadStep = attrs.field(factory=LoadStep, validator=v.instance_of(LoadStep))
    two_for_two: TwoForTwo = attrs.field(factory=TwoForTwo, validator=v.instance_of(TwoForTwo))
    deload: Deload = attrs.field(factory=Deload, validator=v.instance_of(Deload))
    comeback: Comeback = attrs.field(factory=Comeback, validator=v.instance_of(Comeback))
    growth: WorkloadCap = attrs.field(factory=WorkloadCap, validator=v.instance_of(WorkloadCap))
    regression: Regression = attrs.field(factory=Regression, validator=v.instance_of(Regression))
    warm_up: WarmUp = attrs.field(factory=WarmUp, validator=v.instance_of(WarmUp))
    start: Start = attrs.field(factory=Start, validator=v.instance_of(Start))
    reference_bodyweight_kg: float = attrs.field(
        default=70.0, converter=v.to_float, validator=v.number(ge=20, le=300)
    )
    extra: tuple[Lever, ...] = attrs.field(
        factory=_default_extra, converter=v.to_tuple, validator=_check_extra
    )

    def __attrs_post_init__(self) -> None:
        slowest = 1 + self.pause.max_s + self.tempo.max_s
        if slowest > self.tempo.max_rep_s + _EPS:
            raise InvalidInput(
                "'pause.max_s' + 'tempo.max_s' + 1 s must stay within 'tempo.max_rep_s'"
                f" ({_fmt(self.tempo.max_rep_s)} s): reps of 10 s or more are avoided (got {_fmt(slowest)} s)",
                field="tempo",
            )

    def levers(self) -> tuple[Lever, ...]:
        """The overload rules in the order they are tried."""
        return (
            *self.extra,
            self.two_for_two,
            self.reps,
            self.climb,
            self.load,
            self.loaded,
            self.pause,
            self.tempo,
            self.sets,
        )

    @classmethod
    def of(cls, policy: object) -> Policy:
        """``policy`` itself, or the default policy for None (one shared value: policies are frozen).

        Raises:
            InvalidInput: anything else, naming ``policy``.
        """
        if policy is None:
            return _default_policy()
        if not isinstance(policy, Policy):
            raise InvalidInput(f"'policy' must be a hipplan.Policy (got {policy!r})", field="policy")
        return policy


def _is_policy(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    v.instance_of(Policy)(inst, attribute, value)


@functools.cache
def _default_policy() -> Policy:
    # Policies are frozen, so one default serves every call (building one validates a dozen rules).
    return Policy()


# ----------------------------------------------------------------------------------------------------------
# Steps and the engine
# ----------------------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Step:
    """One exposure's prescription: the dose, the rung, why, and the state it was worked out from.

    Attributes:
        week: the calendar week of the exposure.
        dose: the prescription, the same for both sides.
        rung: the exercise and variation.
        deload: whether this is a lighter week's dose.
        reasons: the rules that decided it, in a coach's words.
        resume: for a lighter week, the working dose the athlete comes back to after it.
        state: the role's state before this exposure (what :func:`progress` reads to go on from here).
    """

    week: int = attrs.field(validator=v.integer(ge=1))
    dose: Dose = attrs.field(validator=v.instance_of(Dose))
    rung: Rung = attrs.field(validator=v.instance_of(Rung))
    deload: bool = attrs.field(default=False, validator=v.instance_of(bool))
    reasons: tuple[Reason, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Reason, tuple)
    )
    resume: Dose | None = attrs.field(default=None, validator=v.optional(v.instance_of(Dose)))
    state: State | None = attrs.field(default=None, validator=v.optional(v.instance_of(State)))


@attrs.frozen(kw_only=True)
class Violation:
    """One broken invariant in a sequence of doses: which rule, where (0-based index), and what is wrong."""

    rule: str = attrs.field(validator=v.text())
    index: int = attrs.field(validator=v.integer(ge=0))
    message: str = attrs.field(validator=v.text())

    def __str__(self) -> str:
        return f"[{self.rule}] item {self.index}: {self.message}"


def _missed(n: int) -> str:
    """``Targets missed`` (once), ``Targets missed twice running``, ``Targets missed 3 times running``."""
    if n <= 1:
        return "Targets missed"
    return f"Targets missed {'twice' if n == 2 else f'{n} times'} running"


def _reason(rule: object, text: str) -> Reason:
    name = rule if isinstance(rule, str) else str(getattr(rule, "name", type(rule).__name__))
    return Reason(rule=name, text=text)


@attrs.frozen(kw_only=True, cache_hash=True)
class Engine:
    """The progression rules applied to one athlete's kit: the one place both the plan and the loop go through.

    Attributes:
        policy: the rules and their figures.
        kit: the equipment the role may climb into; None means only what the current rung needs.
        bodyweight_kg: for load caps (the policy's reference bodyweight when None).
        goal: the athlete's goal (the rep range).
        loads: what the athlete's implements weigh (``Athlete.load_kit``); None: the usual kit in kg. Every load
            the engine prescribes is one this kit makes, and its texts write loads in its unit.
    """

    policy: Policy = attrs.field(factory=_default_policy, validator=v.instance_of(Policy))
    kit: frozenset[Equipment] | None = attrs.field(
        default=None, converter=v.equipment_set, validator=v.optional(v.members(Equipment))
    )
    bodyweight_kg: float | None = attrs.field(default=None, validator=v.optional(v.number(ge=20, le=300)))
    goal: Goal = attrs.field(default=Goal.GENERAL, converter=v.goal, validator=v.one_of(Goal))
    loads: Kit | None = attrs.field(default=None, validator=v.optional(v.instance_of(Kit)))

    def show(self, dose: Dose, rung: Rung) -> str:
        """``dose`` on ``rung`` in a coach's words, the load as the kit makes it, in the kit's unit."""
        kit = _kit_of(self.loads)
        per_side = CATALOG[rung.exercise].unilateral
        return show_dose(dose, kit.unit or Unit.KG, variation=rung.variation, kit=kit, per_side=per_side)

    def prescribe(self, state: State, week: int, why: Sequence[Reason] = ()) -> Step:
        """What to do at an exposure in calendar ``week``, from ``state`` (the state after the last exposure).

        ``why`` are the reasons the working dose is what it is (what :meth:`advance` said); the step adds the
        calendar's: the block's lighter week, or the way back after a break.
        """
        step: Step = _kept(_prescribe_kept, self, state, week, tuple(why))
        return step

    def advance(
        self,
        step: Step,
        performed: Sequence[Performed] | None = None,
        history: Sequence[Sequence[Performed]] = (),
    ) -> tuple[State, tuple[Reason, ...]]:
        """The state after ``step`` was done as ``performed`` (None: every target met exactly), and why.

        ``history`` (earlier exposures' sets, newest last) fills in streaks only when ``step`` has no state.
        """
        if step.state is None:
            raise InvalidInput("'step.state' is None: a step from prescribe() carries the state it came from")
        if performed is None and not history:
            kept: tuple[State, tuple[Reason, ...]] = _kept(_advance_kept, self, step)
            return kept
        return _advance(
            self, step, None if performed is None else tuple(performed), tuple(map(tuple, history))
        )

    def log(
        self,
        role: Role,
        rung: Rung,
        performed: Sequence[Performed] | None = None,
        *,
        history: Sequence[Sequence[Performed]] = (),
        state: State | None = None,
    ) -> Log:
        """What a rule sees of an exposure on ``rung``, with this engine's kit, bodyweight, goal and policy."""
        return Log(
            performed=performed,
            history=history,
            role=role,
            rung=rung,
            kit=self.kit,
            bodyweight_kg=self.bodyweight_kg,
            goal=self.goal,
            policy=self.policy,
            state=state,
            loads=self.loads,
        )


@functools.lru_cache(maxsize=4096)
def _prescribe_kept(engine: Engine, state: State, week: int, why: tuple[Reason, ...]) -> Step:
    """:func:`_prescribe`, kept: a pure function of frozen values, which a plan asks again for each placement it
    tries (and an app for each athlete on the same path)."""
    return _prescribe(engine, state, week, why)


@functools.lru_cache(maxsize=4096)
def _advance_kept(engine: Engine, step: Step) -> tuple[State, tuple[Reason, ...]]:
    """:func:`_advance` of an exposure that met its targets exactly, kept (see :func:`_prescribe_kept`)."""
    return _advance(engine, step, None, ())


def engine_for(
    policy: Policy,
    kit: frozenset[Equipment] | None,
    bodyweight_kg: float | None,
    goal: Goal,
    loads: Kit | None = None,
) -> Engine:
    """The engine for these settings, one object for equal settings: the engine's kept answers are looked up by
    it, and the same object compares at once where an equal new one would compare field by field.

    ``loads`` is the athlete's kit (``Athlete.load_kit``); None is the usual kit in kg."""
    engine: Engine = _kept(_engine_kept, policy, kit, bodyweight_kg, goal, loads)
    return engine


@functools.lru_cache(maxsize=256)
def _engine_kept(
    policy: Policy,
    kit: frozenset[Equipment] | None,
    bodyweight_kg: float | None,
    goal: Goal,
    loads: Kit | None,
) -> Engine:
    return Engine(policy=policy, kit=kit, bodyweight_kg=bodyweight_kg, goal=goal, loads=loads)


def _kept(kept: Any, *args: Any) -> Any:
    """``kept(*args)`` from its cache, or worked out afresh when an argument cannot be hashed (a policy holding
    a rule of the user's that is not hashable: the answer is the same, only not kept)."""
    try:
        return kept(*args)
    except TypeError:
        return kept.__wrapped__(*args)


def clear_kept() -> None:
    """Forget every answer the engine has kept (each is a pure function of frozen values, in a bounded cache).

    Nothing changes but speed: for a benchmark of plans made from nothing, or to free the memory.
    """
    for kept in (
        _prescribe_kept,
        _advance_kept,
        _open_loop,
        _matched_dose_kept,
        _matched_reason_kept,
        _engine_kept,
        _makeable_kept,
        _grid,
    ):
        kept.cache_clear()


def first_state(athlete: Athlete, role: Role, rung: Rung, *, policy: Policy | None = None) -> State:
    """The state of a role before its first exposure: the athlete's working dose on ``rung`` if given, else the
    policy's first dose for the level and role."""
    policy = Policy.of(policy)
    return State(role=role, rung=rung, dose=starting_dose(athlete, role, rung, policy=policy))


def _prescribe(engine: Engine, state: State, week: int, why: tuple[Reason, ...]) -> Step:
    if isinstance(week, bool) or not isinstance(week, int) or week < 1:
        raise InvalidInput(f"'week' must be a whole number from 1 (got {week!r})", field="week")
    policy = engine.policy
    dose, rung = state.dose, state.rung
    if state.role is Role.WARM_UP:
        light = policy.warm_up.light(dose)
        text = "Warm-up: light and short, well short of failure; it primes the glutes for the main lifts."
        return Step(
            week=week, dose=light, rung=rung, reasons=why or (_reason(policy.warm_up, text),), state=state
        )
    if state.week is None:
        return Step(
            week=week, dose=dose, rung=rung, reasons=why or (_reason("start", _START_TEXT),), state=state
        )
    if week < state.week:
        raise InvalidInput(
            f"'week' must not be before the last exposure's week {state.week} (got {week})", field="week"
        )
    if week == state.week:
        if state.deload_week == week:
            text = "The rest of the lighter week."
            return _light(engine, state, week, (*why, _reason(policy.deload, text)))
        return Step(week=week, dose=dose, rung=rung, reasons=why, state=state)
    off = week - state.week - 1
    if off == 0:
        # A scheduled lighter week waits for the first exposure on a new rung: a lighter week brings nothing the
        # athlete has not done yet, and a variation not yet done is such a thing. It comes the exposure after.
        due = policy.deload.due(state.block + 1) and state.last is not None
        if (state.owed or due) and _can_lighten(engine, state):
            if state.owed:
                text = policy.deload.text(
                    f"{_missed(policy.deload.after_misses or 2)}: a lighter week, then back to this dose."
                )
            else:
                text = policy.deload.text(
                    f"A lighter week after {state.block} training weeks (one in every {policy.deload.every})."
                )
            return _light(engine, state, week, (*why, _reason(policy.deload, text)))
        if state.deload_week == state.week:
            text = f"The lighter week is over: back to where you were before it, {engine.show(dose, rung)}."
            why = (*why, _reason("resume", text))
        return Step(week=week, dose=dose, rung=rung, reasons=why, state=state)
    if state.last is not None and workload_of(state.last, _bw(engine)) < workload_of(dose, _bw(engine)):
        # The next step was earned but not yet done: come back from what was done. The levers' reasons for that
        # step would announce a dose this one does not give; the others (a skipped session...) still hold.
        dose = state.last
        levers = {lever.name for lever in policy.levers()}
        why = tuple(r for r in why if r.rule not in levers)
    back, text = policy.comeback.after(dose, rung, off, policy, engine.loads)
    return Step(week=week, dose=back, rung=rung, reasons=(*why, _reason(policy.comeback, text)), state=state)


def _light(engine: Engine, state: State, week: int, reasons: tuple[Reason, ...]) -> Step:
    """A lighter week's step: the last dose done (or the working dose, where lighter) lightened, and the working
    dose to resume after it."""
    return Step(
        week=week,
        dose=_lightened(engine, deload_base(state), state.rung),
        rung=state.rung,
        deload=True,
        resume=state.dose,
        reasons=reasons,
        state=state,
    )


def _lightened(engine: Engine, dose: Dose, rung: Rung) -> Dose:
    """The lighter week's dose, its load (when the deload cuts load) one the kit makes."""
    var = CATALOG.variation(rung)
    loads = makeable_loads(var, engine.loads, cap_kg=var.load_cap_kg(_bw(engine)), policy=engine.policy)
    return lighten(dose, engine.policy.deload, loads, low=engine.policy.reps.bounds(engine.goal)[0])


def _can_lighten(engine: Engine, state: State) -> bool:
    """Whether a lighter week would be lighter at all (one set of one rep cannot be)."""
    bodyweight = _bw(engine)
    base = deload_base(state)
    return (
        workload_of(_lightened(engine, base, state.rung), bodyweight) < workload_of(base, bodyweight) - _EPS
    )


_START_TEXT = "Starting dose for this role and level."


def _bw(engine: Engine) -> float:
    return engine.bodyweight_kg if engine.bodyweight_kg is not None else engine.policy.reference_bodyweight_kg


def _entering(step: Step) -> dict[str, Any]:
    """What changes in the state once ``step``'s exposure begins: the block counted, a lighter week or a way
    back in taken into account."""
    state = step.state
    assert state is not None
    week = step.week
    if state.week is None:
        return {"block": 1}
    if week == state.week:
        return {}
    if week == state.week + 1:
        if step.deload:
            return {"block": 0, "deload_week": week, "owed": False}
        return {"block": state.block + 1}
    # Back after a break: the block starts again from the dose the athlete comes back at.
    dose = step.dose if state.role is not Role.WARM_UP else state.dose
    return {"dose": dose, "block": 1, "misses": 0, "top": 0, "beat": 0, "owed": False}


def _entered(engine: Engine, step: Step) -> State:
    """The state as it stands once ``step``'s exposure begins."""
    assert step.state is not None
    changes = _entering(step)
    return attrs.evolve(step.state, **changes) if changes else step.state


def _advance(
    engine: Engine,
    step: Step,
    performed: tuple[Performed, ...] | None,
    history: tuple[tuple[Performed, ...], ...],
) -> tuple[State, tuple[Reason, ...]]:
    policy = engine.policy
    before = step.state
    assert before is not None
    if (
        performed is None
        and not step.deload
        and before.role is not Role.WARM_UP
        and not policy.extra
        and type(policy) is Policy
    ):
        # The plan's open loop: every target met exactly. The lever depends on the dose, the rung and the
        # readiness streak only, so it is worked out once per such state and kept (see _open_loop).
        changes = _entering(step)
        dose = step.dose
        top = (changes.get("top", before.top) + 1) if dose.reps >= _top(policy, engine.goal, dose) else 0
        change, texts = _open_loop(engine, before.rung, dose, top)
        changes.update(exposures=before.exposures + 1, week=step.week, misses=0, beat=0, top=top, last=dose)
        if change is not None and (change.dose != dose or change.rung not in (None, before.rung)):
            rung = change.rung or before.rung
            moved = rung != before.rung or change.dose.load_kg != dose.load_kg
            changes.update(
                dose=change.dose, rung=rung, top=0 if moved or change.dose.reps != dose.reps else top
            )
            if rung != before.rung:
                changes.update(last=None)
        return attrs.evolve(before, **changes), texts
    state = _entered(engine, step)
    done = attrs.evolve(
        state, exposures=state.exposures + 1, week=step.week, last=state.last if step.deload else step.dose
    )
    if state.role is Role.WARM_UP:
        text = "Warm-up: the same light dose; it primes the glutes without tiring you for the main lifts."
        return done, (_reason(policy.warm_up, text),)
    if step.deload:
        # A lighter week done is neither a miss nor a new baseline: the working dose stays, and so do the streaks
        # from before it (misses still end in a step down; the top of the range before and after it earns the climb).
        return done, ()
    dose = step.dose
    log = engine.log(state.role, state.rung, performed, history=history)
    if not log.met(dose):
        misses = state.misses + 1 if state.exposures or not history else log.miss_streak(dose)
        done = attrs.evolve(done, misses=misses, top=0, beat=0)
        change = policy.regression.next(dose, attrs.evolve(log, state=done))
        if change is not None:
            rung = change.rung or state.rung
            return (
                attrs.evolve(
                    done,
                    dose=change.dose,
                    rung=rung,
                    misses=0,
                    last=done.last if rung == state.rung else None,
                ),
                (_reason(policy.regression, change.text),),
            )
        owed = policy.deload.after_misses is not None and misses >= policy.deload.after_misses
        again = "The weaker side sets the pace: the same dose again."
        if log.weaker_side() == "both":
            again = "The same dose again."
        text = f"Target missed: {_shortfall(log, dose)}. {again}"
        return attrs.evolve(done, owed=owed or done.owed), (_reason("hold", text),)
    if log.grind(dose):
        text = f"Every set done, but at least one was a grind ({_grind_words(dose)}): the same dose again."
        return attrs.evolve(done, misses=0, top=0, beat=0), (_reason("hold.rir", text),)
    fresh = not state.exposures and bool(history)
    top = (state.top if not fresh else log.top_streak(dose) - 1) + 1 if log.at_top(dose) else 0
    margin = policy.two_for_two.margin
    beat = (
        (state.beat if not fresh else log.beat_streak(dose, margin) - 1) + 1
        if log.surplus(dose) >= margin
        else 0
    )
    done = attrs.evolve(done, misses=0, top=top, beat=beat)
    change, texts = _overload(dose, attrs.evolve(log, state=done))
    return _after(done, dose, change, top=top, beat=beat), texts


def _grind_words(dose: Dose) -> str:
    """How far below the reps-in-reserve target a grind is, in words: "1 rep or fewer in reserve, against the 3
    aimed for"."""
    aim = dose.rir if dose.rir is not None else 0
    most = aim - 2
    if most <= 0:
        left = "no reps left in reserve"
    else:
        left = f"{most} rep{'s' if most > 1 else ''} or fewer in reserve"
    return f"{left}, against the {aim} aimed for"


def _sets_short(groups: dict[str, list[Performed]], dose: Dose) -> str | None:
    """Which sides did fewer sets than ``dose`` asks, in words ("2 of 3 sets on each side"), None if none did."""
    fewer = {side: len(sets) for side, sets in groups.items() if len(sets) < dose.sets}
    if not fewer:
        return None
    of = f"of {dose.sets}"
    if set(fewer) == {"both"}:
        return f"{fewer['both']} {of}"
    if len(fewer) == len(groups) and len(set(fewer.values())) == 1:
        return f"{next(iter(fewer.values()))} {of} on each side"
    return ", ".join(f"the {side} side did {n} {of}" for side, n in fewer.items())


def _shortfall(log: Log, dose: Dose) -> str:
    """What fell short of ``dose``, each in its own words: sets, reps, load, pause (a load within the kit's
    tolerance is no shortfall)."""
    groups = _group(log.performed or (), log.unilateral)
    counted = [p for sets in groups.values() for p in sets[: dose.sets]]
    tol = log.tolerance + _EPS
    unit = log.unit
    said: list[str] = []
    short = _sets_short(groups, dose)
    if short is not None:
        said.append(f"sets ({short})")
    if any(p.reps < dose.reps for p in counted):
        side, weak = log.weaker_side(), log.weaker()
        reps = ", ".join(str(p.reps) for p in weak[: dose.sets]) or "no sets"
        who = f"the {side} side" if side in ("left", "right") else "the sets"
        said.append(f"reps ({who} did {reps} against {dose.sets} x {dose.reps})")
    light = [p for p in counted if p.load_kg + tol < dose.load_kg]
    if dose.load_kg and light:
        least = show_load(min(p.load_kg for p in light), unit)
        what = show_load(dose.load_kg, unit)
        said.append(f"load ({len(light)} set{'s' if len(light) > 1 else ''} at {least} against {what})")
    brief = [p for p in counted if p.pause_s + 0.01 < dose.pause_s]
    if dose.pause_s and brief:
        said.append(
            f"pause ({len(brief)} set{'s' if len(brief) > 1 else ''} held shorter than {_fmt(dose.pause_s)} s)"
        )
    return "short on " + ", ".join(said) if said else "short of the target"


def _after(done: State, dose: Dose, change: Change | None, *, top: int, beat: int) -> State:
    """The state after an exposure that met its targets, given the lever that fired (if any)."""
    if change is None or (change.dose == dose and change.rung in (None, done.rung)):
        return attrs.evolve(done, top=top, beat=beat)
    rung = change.rung or done.rung
    moved = rung != done.rung or change.dose.load_kg != dose.load_kg
    return attrs.evolve(
        done,
        dose=change.dose,
        rung=rung,
        last=done.last if rung == done.rung else None,
        top=0 if moved or change.dose.reps != dose.reps else top,
        beat=0 if moved else beat,
    )


def _top(policy: Policy, goal: Goal, dose: Dose) -> int:
    """The most reps a set of ``dose`` may have: the top of the goal's range, or fewer when a set would last too
    long (what :meth:`Log.top` and the open loop both ask)."""
    return min(policy.reps.bounds(goal)[1], max(1, policy.tempo.reps_within(dose)))


@functools.lru_cache(maxsize=8192)
def _open_loop(engine: Engine, rung: Rung, dose: Dose, top: int) -> tuple[Change | None, tuple[Reason, ...]]:
    """The lever after an exposure that met its targets exactly (a pure function of frozen values: kept)."""
    done = State(role=Role.FINISHER, rung=rung, dose=dose, exposures=1, top=top)
    log = engine.log(Role.FINISHER, rung, state=done)
    return _overload(dose, log)


def _overload(dose: Dose, log: Log) -> tuple[Change | None, tuple[Reason, ...]]:
    """The first lever, in the policy's order, whose change keeps within the workload cap; else a hold."""
    policy = log.policy
    held: list[Reason] = []
    for rule in policy.levers():
        change = rule.next(dose, log)
        if change is None:
            continue
        if change.rung is None and not _within_cap(log, dose, change.dose):
            held.append(
                _reason(
                    policy.growth,
                    f"Not yet: {log.show(change.dose)} would grow the workload by more than"
                    f" {round(100 * policy.growth.max_growth)} % in one step.",
                )
            )
            continue
        return change, (*held, _reason(rule, change.text))
    if held:
        text = (
            "Not yet: the next step would grow the workload by more than"
            f" {round(100 * policy.growth.max_growth)} % at once; the same dose again, and own it."
        )
    elif _can_load(log, dose) or log.variation.is_loaded:
        text = "Every lever is at its limit here: keep this dose and own it."
    else:
        text = "Every lever is at its limit without load: keep this dose and own it; load or a harder rung comes with kit."
    return None, (_reason("hold", text),)


# ----------------------------------------------------------------------------------------------------------
# Workload
# ----------------------------------------------------------------------------------------------------------


def workload_of(dose: Dose, bodyweight_kg: float) -> float:
    """``sets x reps x seconds per rep x (1 + load / bodyweight)``: loaded seconds under tension, per side."""
    return dose.sets * dose.reps * dose.seconds_per_rep * (1 + dose.load_kg / bodyweight_kg)


def workload(dose: Dose, bodyweight_kg: float | None = None, *, policy: Policy | None = None) -> float:
    """The work in a dose, per side: seconds under tension weighted by relative load.

    ``sets x reps x (1 s up + pause + lowering) x (1 + load / bodyweight)``. Without a bodyweight the policy's
    reference bodyweight is used. Two doses compare fairly only with the same bodyweight.

    >>> workload(Dose(sets=3, reps=10))          # 3 x 10 reps of 3 s (1 up, 0 pause, 2 down)
    90.0
    """
    if not isinstance(dose, Dose):
        raise InvalidInput(f"'dose' must be a Dose (got {dose!r})", field="dose")
    policy = Policy.of(policy)
    if bodyweight_kg is None:
        bodyweight_kg = policy.reference_bodyweight_kg
    _check_bodyweight(bodyweight_kg)
    return round(workload_of(dose, float(bodyweight_kg)), 6)


def _check_bodyweight(bodyweight_kg: object) -> None:
    if (
        isinstance(bodyweight_kg, bool)
        or not isinstance(bodyweight_kg, int | float)
        or not 20 <= bodyweight_kg <= 300
    ):
        raise InvalidInput(
            f"'bodyweight_kg' must be a number from 20 to 300 (got {bodyweight_kg!r})", field="bodyweight_kg"
        )


# ----------------------------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------------------------


def _rung(rung: object, name: str = "rung") -> Rung:
    if not isinstance(rung, Rung):
        raise InvalidInput(f"{name!r} must be a Rung (got {rung!r})", field=name)
    CATALOG.check_rung(rung)
    _ladder().rank(rung)
    return rung


def _role(role: object) -> Role:
    role = v.role(role)
    if not isinstance(role, Role):
        raise InvalidInput(
            f"'role' must be one of: {', '.join(r.value for r in Role)} (got {role!r})", field="role"
        )
    return role


def _kit(kit: object, name: str = "kit") -> frozenset[Equipment]:
    value = v.equipment_set(kit)
    if not isinstance(value, frozenset) or not all(isinstance(e, Equipment) for e in value):
        raise InvalidInput(f"{name!r} must be a set of Equipment (got {kit!r})", field=name)
    return value


def working_dose(athlete: Athlete, rung: Rung) -> WorkingDose | None:
    """The athlete's own working dose on ``rung``, if they gave one."""
    for working in athlete.working:
        if working.rung == rung:
            return working
    return None


def check_working(working: WorkingDose, bodyweight_kg: float, policy: Policy) -> None:
    """Refuse a working dose the plan could not start from: a load above the variation's cap for this
    bodyweight, or a set longer than the longest the rules prescribe (``policy.tempo.max_set_s`` at the usual
    tempo). Such an athlete is past that dose: the harder variation or a load is where they are."""
    rung = working.rung
    if working.load_kg > 0:
        cap = CATALOG.variation(rung).load_cap_kg(bodyweight_kg)
        if working.load_kg > cap + _EPS:
            raise InvalidInput(
                f"'working' load {_fmt(working.load_kg)} kg on {rung} is above that variation's cap of {_fmt(cap)} kg"
                f" for {_fmt(bodyweight_kg)} kg of bodyweight",
                field="working",
            )
    dose = Dose(sets=working.sets, reps=working.reps, load_kg=working.load_kg)
    longest = policy.tempo.max_set_s
    if dose.reps * dose.seconds_per_rep > longest + _EPS:
        raise InvalidInput(
            f"'working' dose {working.sets} x {working.reps} on {rung} has sets of about"
            f" {_fmt(dose.reps * dose.seconds_per_rep)} s, longer than the {_fmt(longest)} s a set may last"
            f" ({policy.tempo.reps_within(dose)} reps at the usual tempo): give the harder variation or the load"
            " the athlete works at instead",
            field="working",
        )


def check_working_doses(athlete: Athlete, policy: Policy | None = None) -> None:
    """:func:`check_working` for every working dose the athlete gave, whatever the sessions' kit."""
    checked = Policy.of(policy)
    bodyweight = athlete.bodyweight_kg or checked.reference_bodyweight_kg
    for working in athlete.working:
        check_working(working, bodyweight, checked)


def starting_dose(athlete: Athlete, role: Role, rung: Rung, *, policy: Policy | None = None) -> Dose:
    """A sensible first dose for this athlete, role and rung: their own working dose there if they gave one,
    else the policy's :class:`Start` figures.

    >>> starting_dose(Athlete(level="intermediate"), Role.FINISHER, Rung(exercise="single-leg-hip-thrust"))
    Dose(sets=3, reps=10, load_kg=0.0, pause_s=0.0, lower_s=2.0, rest_s=60, rir=2)
    """
    if not isinstance(athlete, Athlete):
        raise InvalidInput(f"'athlete' must be an Athlete (got {athlete!r})", field="athlete")
    policy = Policy.of(policy)
    role = _role(role)
    rung = _rung(rung)
    bodyweight = athlete.bodyweight_kg or policy.reference_bodyweight_kg
    working = working_dose(athlete, rung) if role is not Role.WARM_UP else None
    if working is not None:
        check_working(working, bodyweight, policy)
    return policy.start.first(
        athlete.level, role, rung, policy, bodyweight, athlete.goal, working, athlete.load_kit
    )


def project(
    start: Dose | State,
    schedule: int | Sequence[int],
    *,
    role: Role = Role.FINISHER,
    rung: Rung | None = None,
    kit: Iterable[Equipment] | None = None,
    athlete: Athlete,
    policy: Policy | None = None,
) -> tuple[Step, ...]:
    """The open loop: one :class:`Step` per exposure, assuming every target is met.

    ``schedule`` is the calendar week of each exposure (non-decreasing; two in a week are two exposures, a gap is
    a break), or a number of weeks with one exposure each. Each step is what :func:`progress` gives after the one
    before went exactly to plan: this is the code :func:`hipplan.plan` runs over the slots it places.
    """
    if not isinstance(athlete, Athlete):
        raise InvalidInput(f"'athlete' must be an Athlete (got {athlete!r})", field="athlete")
    policy = Policy.of(policy)
    role = _role(role)
    if isinstance(schedule, bool):
        raise InvalidInput(
            f"'schedule' must be a number of weeks or a list of weeks (got {schedule!r})", field="schedule"
        )
    if isinstance(schedule, int):
        if not 1 <= schedule <= MAX_WEEKS:
            raise InvalidInput(
                f"'schedule' must be from 1 to {MAX_WEEKS} weeks (got {schedule!r})", field="schedule"
            )
        weeks: tuple[int, ...] = tuple(range(1, schedule + 1))
    else:
        weeks = tuple(schedule)
        if any(isinstance(w, bool) or not isinstance(w, int) or w < 1 for w in weeks) or list(
            weeks
        ) != sorted(weeks):
            raise InvalidInput(
                f"'schedule' must list whole week numbers from 1, in order (got {schedule!r})",
                field="schedule",
            )
    if isinstance(start, State):
        state = start
    elif isinstance(start, Dose):
        state = State(role=role, rung=_rung(rung if rung is not None else Rung(exercise=SLHT)), dose=start)
    else:
        raise InvalidInput(f"'start' must be a Dose or a State (got {start!r})", field="start")
    engine = Engine(
        policy=policy,
        kit=None if kit is None else _kit(kit),
        bodyweight_kg=athlete.bodyweight_kg,
        goal=athlete.goal,
        loads=athlete.load_kit,
    )
    steps: list[Step] = []
    why: tuple[Reason, ...] = ()
    for week in weeks:
        step = engine.prescribe(state, week, why)
        steps.append(step)
        state, why = engine.advance(step)
    return tuple(steps)


def progress(
    current: Dose | Slot | Step,
    performed: Sequence[Performed] = (),
    *,
    role: Role | None = None,
    rung: Rung | None = None,
    athlete: Athlete | None = None,
    kit: Iterable[Equipment] | None = None,
    history: Sequence[Sequence[Performed]] = (),
    policy: Policy | None = None,
    next_week: int | None = None,
    skipped: bool = False,
) -> Step:
    """The next step after a logged exposure: the closed loop a fitness app calls after each workout.

    Args:
        current: what was prescribed: a :class:`~hipplan.Slot` of a plan, a :class:`Step` (both carry the role's
            state), or a bare Dose (a fresh state on ``rung``).
        performed: every set done, both sides (:class:`~hipplan.Performed`); the weaker side sets the pace. A
            two-leg exercise's sets need no side; a log of one that names both sides is judged leg by leg.
        role: the dose's role (a Slot's own by default, else finisher).
        rung: the exercise and variation (a Slot's or Step's own by default, else the bodyweight SLHT).
        athlete: for the bodyweight behind load caps, the goal's rep range, and the kit and unit loads are made
            and written in (``Athlete.load_kit``; without an athlete, the usual kit in kg).
        kit: the equipment the athlete can use from now on; by default only what the current rung needs.
        history: earlier exposures' sets, newest last: only read for a bare Dose, whose streaks are unknown.
        policy: the rules; the defaults when None.
        next_week: the calendar week of the next exposure of this role (by default the week after ``current``'s):
            the same week goes on, the week after may bring the block's lighter week, a later one is a break.
        skipped: the exposure did not happen (``performed`` must then be empty): nothing advances, and the next
            exposure is prescribed from the state before it.

    Returns:
        The next :class:`Step`: its ``dose`` and ``rung``, the reasons, and ``state`` to hand back next time.

    Raises:
        InvalidInput: a bad argument; a log without both sides of a one-leg exercise; a prescription above the
            variation's load cap, or a kit without what the rung needs.
    """
    policy = Policy.of(policy)
    if athlete is not None and not isinstance(athlete, Athlete):
        raise InvalidInput(f"'athlete' must be an Athlete (got {athlete!r})", field="athlete")
    bodyweight = athlete.bodyweight_kg if athlete is not None else None
    engine = Engine(
        policy=policy,
        kit=None if kit is None else _kit(kit),
        bodyweight_kg=bodyweight,
        goal=athlete.goal if athlete is not None else Goal.GENERAL,
        loads=athlete.load_kit if athlete is not None else None,
    )
    state, step, done = _current(current, role, rung, engine)
    _check_cap(done, engine)
    if next_week is None:
        next_week = step.week + 1
    elif isinstance(next_week, bool) or not isinstance(next_week, int) or next_week < step.week:
        raise InvalidInput(
            f"'next_week' must be a week number from {step.week} (this exposure's week) on (got {next_week!r})",
            field="next_week",
        )
    sets = _performed(performed, done.rung, skipped)
    past = _history(history)
    if skipped:
        skipped_text = "Session skipped: nothing moves on; the next one is prescribed from where you were."
        return _in_kit(engine, engine.prescribe(state, next_week, (_reason("skipped", skipped_text),)))
    if done is step:
        after, why = engine.advance(step, sets, past)
    else:
        after, why = _advance_stand_in(engine, step, done, sets)
    return _in_kit(engine, engine.prescribe(after, next_week, why))


def _advance_stand_in(
    engine: Engine, step: Step, done: Step, sets: tuple[Performed, ...]
) -> tuple[State, tuple[Reason, ...]]:
    """After an exposure on a stand-in variation (the session lacked the kit, the effort was matched): met, it
    counts as the role's exposure at its working dose; missed or ground out, the dose holds."""
    log = engine.log(done.state.role if done.state is not None else Role.FINISHER, done.rung, sets)
    if log.met(done.dose) and not log.grind(done.dose):
        return engine.advance(step)
    state = _entered(engine, step)
    missed = not log.met(done.dose)
    misses = state.misses + 1 if missed else 0
    after_misses = engine.policy.deload.after_misses
    owed = state.owed or (missed and after_misses is not None and misses >= after_misses)
    after = attrs.evolve(
        state, exposures=state.exposures + 1, week=step.week, misses=misses, top=0, beat=0, owed=owed
    )
    what = "Target missed" if missed else "A grind"
    text = f"{what} on the stand-in {done.rung.variation} variation: the same dose again."
    return after, (_reason("hold", text),)


def _in_kit(engine: Engine, step: Step) -> Step:
    """``step`` on what the kit can make: the rung itself, or the hardest easier variation of the same exercise
    with the effort matched (the planner's stand-in); a kit that cannot host the exercise at all is an error."""
    if engine.kit is None or _ladder().fits(step.rung, engine.kit):
        return step
    stand_in = _ladder().within_kit(step.rung, engine.kit)
    if stand_in is None:
        _check_kit(step.rung, engine)
        raise AssertionError("unreachable: a rung that does not fit has a reason")
    dose = matched_dose(step.dose, step.rung, stand_in, _bw(engine), engine.policy, engine.loads)
    why = matched_reason(
        step.dose, dose, step.rung, stand_in, engine.bodyweight_kg, engine.policy, engine.loads
    )
    return attrs.evolve(step, dose=dose, rung=stand_in, reasons=(*step.reasons, why), resume=None)


def _current(
    current: object, role: Role | None, rung: Rung | None, engine: Engine
) -> tuple[State, Step, Step]:
    """The state before ``current``'s exposure, the role's step at that exposure, and the step that was done
    (the same one, unless a stand-in variation was done instead)."""
    if isinstance(current, Slot):
        own_rung = _rung(Rung(exercise=current.exercise, variation=current.variation))
        state = current.state
        if state is None:
            state = State(
                role=current.role, rung=_rung(rung or own_rung), dose=current.resume or current.dose
            )
        done = Step(
            week=current.week,
            dose=current.dose,
            rung=own_rung,
            deload=current.deload,
            resume=current.resume,
            state=state,
        )
        if own_rung == state.rung:
            return state, done, done
        # A stand-in variation (the session lacked the kit): the role's own step is on its rung.
        return state, engine.prescribe(state, current.week), done
    if isinstance(current, Step):
        state = current.state
        if state is None:
            state = State(
                role=_role(role or Role.FINISHER),
                rung=_rung(rung or current.rung),
                dose=current.resume or current.dose,
            )
            current = attrs.evolve(current, state=state)
        if current.rung != state.rung:
            return state, engine.prescribe(state, current.week), current
        return state, current, current
    if isinstance(current, Dose):
        if rung is None and current.load_kg > 0:
            raise InvalidInput(
                f"'rung' is needed for a loaded dose, to know the variation and its cap (got a dose of {current})",
                field="rung",
            )
        the_rung = _rung(rung if rung is not None else Rung(exercise=SLHT))
        the_role = _role(role if role is not None else Role.FINISHER)
        state = State(role=the_role, rung=the_rung, dose=current)
        step = Step(week=1, dose=current, rung=the_rung, state=state)
        return state, step, step
    raise InvalidInput(f"'current' must be a Dose, a Slot or a Step (got {current!r})", field="current")


def _check_cap(step: Step, engine: Engine) -> None:
    var = CATALOG.variation(step.rung)
    cap = var.load_cap_kg(_bw(engine))
    if step.dose.load_kg > cap + _EPS:
        who = "" if engine.bodyweight_kg is not None else " (no bodyweight given: the policy's reference)"
        unit = _kit_of(engine.loads).unit or Unit.KG
        raise InvalidInput(
            f"the prescription's load {show_load(step.dose.load_kg, unit)} is above the {var.name.lower()}"
            f" variation's cap of {show_load(cap, unit)} for {show_bodyweight(_bw(engine), unit)} of"
            f" bodyweight{who}: a load over the cap is never"
            " prescribed",
            field="current",
        )


def _check_kit(rung: Rung, engine: Engine) -> None:
    if engine.kit is None:
        return
    if not _ladder().fits(rung, engine.kit):
        missing = sorted(e.value.replace("_", " ") for e in _needs(rung) - engine.kit)
        exercise = CATALOG[rung.exercise]
        if exercise.needs_support and not engine.kit & Equipment.supports():
            what = "a bench, box or couch"
        else:
            what = ", ".join(missing)
        raise InvalidInput(
            f"'kit' lacks what {rung} needs ({what}): progress() never prescribes a variation the kit cannot make;"
            " pass the kit of the next session, or plan() to choose a stand-in",
            field="kit",
        )


def _performed(performed: object, rung: Rung, skipped: bool) -> tuple[Performed, ...]:
    if isinstance(performed, Performed | str) or not isinstance(performed, Iterable):
        raise InvalidInput(
            f"'performed' must be a sequence of Performed (got {performed!r})", field="performed"
        )
    sets = tuple(performed)
    for i, p in enumerate(sets):
        if not isinstance(p, Performed):
            raise InvalidInput(f"'performed[{i}]' must be a Performed (got {p!r})", field="performed")
    if skipped:
        if sets:
            raise InvalidInput(
                f"'performed' must be empty for a skipped session (got {len(sets)} set(s))", field="performed"
            )
        return sets
    if not sets:
        raise InvalidInput(
            "'performed' is empty: log the sets that were done, both sides (or skipped=True)",
            field="performed",
        )
    if CATALOG[rung.exercise].unilateral:
        for i, p in enumerate(sets):
            if p.side is None:
                raise InvalidInput(
                    f"'performed[{i}].side' is missing: each set of a one-leg exercise ({rung.exercise}) says which"
                    " side it was (side='left' or 'right')",
                    field=f"performed[{i}].side",
                )
        done = {p.side for p in sets}
        missing = [s.value for s in Side if s not in done]
        if missing:
            raise InvalidInput(
                f"'performed' has no sets for the {missing[0]} side: log both sides of a one-leg exercise"
                f" (got {len(sets)} set(s))",
                field="performed",
            )
    return sets


def _history(history: object) -> tuple[tuple[Performed, ...], ...]:
    if isinstance(history, str | bytes) or not isinstance(history, Iterable):
        raise InvalidInput(f"'history' must be a sequence of logs (got {history!r})", field="history")
    past: list[tuple[Performed, ...]] = []
    for i, earlier in enumerate(history):
        if isinstance(earlier, Performed | str) or not isinstance(earlier, Iterable):
            raise InvalidInput(
                f"'history[{i}]' must be a sequence of Performed (got {earlier!r})", field="history"
            )
        entry = tuple(earlier)
        for j, p in enumerate(entry):
            if not isinstance(p, Performed):
                raise InvalidInput(f"'history[{i}][{j}]' must be a Performed (got {p!r})", field="history")
        past.append(entry)
    return tuple(past)


# ----------------------------------------------------------------------------------------------------------
# Matching effort on an easier variation
# ----------------------------------------------------------------------------------------------------------


def match_effort(
    dose: Dose, from_rung: Rung, to_rung: Rung, *, athlete: Athlete, policy: Policy | None = None
) -> tuple[Dose, Reason]:
    """The dose on an easier variation the kit forces, with reps, pause, then tempo raised to keep the effort.

    The workload (:func:`workload`) of the result comes as close to the original's as the caps allow (the rep
    range, the pause and tempo limits, the minute-long set), without going far over it.
    """
    if not isinstance(dose, Dose):
        raise InvalidInput(f"'dose' must be a Dose (got {dose!r})", field="dose")
    from_rung = _rung(from_rung, "from_rung")
    to_rung = _rung(to_rung, "to_rung")
    if not isinstance(athlete, Athlete):
        raise InvalidInput(f"'athlete' must be an Athlete (got {athlete!r})", field="athlete")
    policy = Policy.of(policy)
    bodyweight = athlete.bodyweight_kg or policy.reference_bodyweight_kg
    kit = athlete.load_kit
    new = matched_dose(dose, from_rung, to_rung, bodyweight, policy, kit)
    return new, matched_reason(dose, new, from_rung, to_rung, athlete.bodyweight_kg, policy, kit)


def matched_dose(
    dose: Dose, from_rung: Rung, to_rung: Rung, bodyweight: float, policy: Policy, loads: Kit | None = None
) -> Dose:
    """:func:`match_effort`'s dose, from checked arguments (a pure function of frozen values: kept); its load
    the heaviest ``loads`` (the athlete's kit, the usual kg kit when None) makes within the old load and the cap."""
    result: Dose = _kept(_matched_dose_kept, dose, from_rung, to_rung, bodyweight, policy, loads)
    return result


@functools.lru_cache(maxsize=4096)
def _matched_dose_kept(
    dose: Dose, from_rung: Rung, to_rung: Rung, bodyweight: float, policy: Policy, kit: Kit | None
) -> Dose:
    var = CATALOG.variation(to_rung)
    load = 0.0
    if var.is_loaded:
        loads = makeable_loads(var, kit, cap_kg=var.load_cap_kg(bodyweight), policy=policy)
        load = loads.at_most(dose.load_kg) or loads.first() or 0.0
    target = workload_of(dose, bodyweight)
    new = _with(dose, load_kg=load)
    if from_rung == to_rung or workload_of(new, bodyweight) >= target - _EPS:
        return new
    top = max(policy.reps.high, dose.reps)
    tempo = policy.tempo
    while workload_of(new, bodyweight) < target - _EPS:
        # Reps first: the fewest more (up to the top of the range and the minute-long set) that reach the target.
        per_rep = workload_of(new, bodyweight) / new.reps
        most = min(top, tempo.reps_within(new))
        reps = min(most, max(new.reps + 1, math.ceil((target - _EPS) / per_rep)))
        if reps > new.reps:
            new = _with(new, reps=reps)
            continue
        # Then a longer pause, then a slower lowering, each only if it adds work within the rep and set limits.
        longer = _longer_rep(new, bodyweight, tempo, "pause_s", policy.pause.max_s, policy.pause.step_s)
        if longer is None:
            longer = _longer_rep(new, bodyweight, tempo, "lower_s", tempo.max_s, tempo.step_s)
        if longer is not None:
            new = longer
            continue
        if new.sets < policy.sets.max:
            new = _with(new, sets=new.sets + 1)
            continue
        break
    return new


def _longer_rep(
    dose: Dose, bodyweight: float, tempo: Tempo, field: str, most: float, step: float
) -> Dose | None:
    """``dose`` with its pause or lowering (``field``) one ``step`` longer, up to ``most``, and the reps cut to fit
    the minute-long set; None when that is not longer, breaks a limit, or adds no work."""
    seconds = min(most, getattr(dose, field) + step)
    if seconds <= getattr(dose, field) + _EPS:
        return None
    longer = _with(dose, **{field: seconds})
    longer = _with(longer, reps=min(dose.reps, tempo.reps_within(longer)))
    if not tempo.allows(longer) or workload_of(longer, bodyweight) <= workload_of(dose, bodyweight):
        return None
    return longer


def matched_reason(
    dose: Dose,
    new: Dose,
    from_rung: Rung,
    to_rung: Rung,
    bodyweight_kg: float | None,
    policy: Policy,
    loads: Kit | None = None,
) -> Reason:
    """:func:`match_effort`'s reason for turning ``dose`` into ``new``, from checked arguments (loads written as
    ``loads``, the athlete's kit, makes them, in its unit)."""
    result: Reason = _kept(_matched_reason_kept, dose, new, from_rung, to_rung, bodyweight_kg, policy, loads)
    return result


@functools.lru_cache(maxsize=1024)
def _matched_reason_kept(
    dose: Dose,
    new: Dose,
    from_rung: Rung,
    to_rung: Rung,
    bodyweight_kg: float | None,
    policy: Policy,
    loads: Kit | None,
) -> Reason:
    var = CATALOG.variation(to_rung)
    kit = _kit_of(loads)
    unit = kit.unit or Unit.KG
    per_side = CATALOG[to_rung.exercise].unilateral
    shown = show_dose(new, unit, variation=to_rung.variation, kit=kit, per_side=per_side)
    if from_rung == to_rung:
        return _reason("match_effort", f"{var.name} at {shown}: the same effort as planned.")
    bodyweight = bodyweight_kg or policy.reference_bodyweight_kg
    target = workload_of(dose, bodyweight)
    if workload_of(_with(dose, load_kg=new.load_kg), bodyweight) >= target - _EPS:
        return _reason("match_effort", f"{var.name} at {shown}: the same effort as planned.")
    close = (
        "to keep the effort close"
        if workload_of(new, bodyweight) >= target - _EPS
        else "as close as the caps go"
    )
    missing = ", ".join(
        sorted(e.value.replace("_", " ") for e in var.needs ^ CATALOG.variation(from_rung).needs)
    )
    lacking = f"no {missing} here" if missing else "a lighter variation here"
    head = f"{lacking[0].upper()}{lacking[1:]}: {var.name.lower()} instead of {from_rung.variation}"
    was = show_dose(
        dose, unit, variation=from_rung.variation, kit=kit, per_side=CATALOG[from_rung.exercise].unilateral
    )
    text = f"{head} ({was}), so {shown} {close}."
    if bodyweight_kg is None and dose.load_kg > 0:
        weight = show_bodyweight(policy.reference_bodyweight_kg, unit)
        text += f" (No bodyweight given: effort worked out for a {weight} athlete.)"
    return _reason("match_effort", text)


# ----------------------------------------------------------------------------------------------------------
# Invariant checks
# ----------------------------------------------------------------------------------------------------------


def _dose_of(item: object, index: int) -> tuple[Dose, Rung | None, bool | None]:
    if isinstance(item, Step):
        return item.dose, item.rung, item.deload
    if isinstance(item, Change):
        return item.dose, item.rung, None
    if isinstance(item, Dose):
        return item, None, None
    if item is None:
        raise InvalidInput(
            f"'doses_or_steps[{index}]' is None: a rule that does not fire returns None; leave it out",
            field="doses_or_steps",
        )
    raise InvalidInput(
        f"'doses_or_steps[{index}]' must be a Dose, a Step or a Change (got {item!r})", field="doses_or_steps"
    )


def check_progression(
    doses_or_steps: Sequence[Dose | Step | Change],
    *,
    role: Role = Role.FINISHER,
    policy: Policy | None = None,
    bodyweight_kg: float | None = None,
    rung: Rung | None = None,
    easy: bool = False,
    kit: Kit | None = None,
) -> list[Violation]:
    """Every broken invariant of a sequence of doses (exposure by exposure); empty means fine.

    Checks, against ``policy`` (the defaults when None):

    * caps: sets, pause, lowering, the 10-second rep, the minute-long set, and the load cap of the rung's
      variation (of any variation when the rung is unknown) for ``bodyweight_kg`` (else the policy's reference
      bodyweight); a figure already over its cap is reported where it first goes over, or grows further;
    * step sizes: at most one lever rises per step (reps, pause, lowering, sets or load), and by no more than
      its rule's step (two steps when ``easy``: after exposures logged with reps in reserve to spare): reps by
      the rep step (the two-leg step on a two-leg exercise), pause and lowering by their ``step_s``, sets by
      ``sets.step``, load by ``load.max_fraction`` of the load or one step of the kit, whichever is more;
    * kit (only when ``kit``, the athlete's :class:`~hipplan.Kit`, is given and the rung is known): every load is
      one the kit makes on the rung's variation;
    * growth: the workload grows by at most ``growth.max_growth`` (or one rep step) over the step before, or,
      after a lighter step (a Step marked deload, or for bare doses any lighter dose), over the last one before;
      ``easy`` allows bigger steps, not more growth;
    * deloads: a deload Step is lighter than the step before it, and asks no more load, volume (sets x reps),
      pause or lowering than that step nor than the dose it resumes to;
    * warm-up (``role``): no load, within the warm-up's sets and reps, reps in reserve at least ``warm_up.rir``,
      and nothing grows from one dose to the next.

    A change of rung (a Step or Change with another rung) starts afresh: a new exercise's dose is not a step of
    the old one's. Both sides always get the same dose (one Dose serves both legs), so there is no side to check.
    """
    policy = Policy.of(policy)
    role = _role(role)
    if rung is not None:
        rung = _rung(rung)
    if bodyweight_kg is not None:
        _check_bodyweight(bodyweight_kg)
    if isinstance(doses_or_steps, str | bytes | Dose | Step) or not isinstance(doses_or_steps, Iterable):
        raise InvalidInput(
            f"'doses_or_steps' must be a sequence of Dose or Step (got {doses_or_steps!r})",
            field="doses_or_steps",
        )
    items = [_dose_of(item, i) for i, item in enumerate(doses_or_steps)]
    bodyweight = float(bodyweight_kg) if bodyweight_kg is not None else policy.reference_bodyweight_kg
    found: list[Violation] = []
    steps = 2 if easy else 1

    def flag(rule: str, index: int, message: str) -> None:
        found.append(Violation(rule=rule, index=index, message=message))

    loads_kit = _kit_of(kit)
    any_cap, any_step = _any_variation(policy, loads_kit, bodyweight)
    warm = role is Role.WARM_UP
    lighter: list[bool] = []
    current_rung = rung
    for i, (dose, own_rung, deload) in enumerate(items):
        prev = items[i - 1][0] if i else None
        new_rung = own_rung is not None and current_rung is not None and own_rung != current_rung
        the_rung = own_rung or current_rung
        current_rung = the_rung
        var = CATALOG.variation(the_rung) if the_rung is not None else None
        cap = var.load_cap_kg(bodyweight) if var is not None else any_cap
        is_deload = (
            bool(deload) if deload is not None else (prev is not None and _lighter(dose, prev, bodyweight))
        )
        lighter.append(is_deload)
        found.extend(_cap_violations(i, dose, prev, _caps(policy, warm=warm, load_cap=cap)))
        if kit is not None and var is not None and var.is_loaded and dose.load_kg:
            made = makeable_loads(var, loads_kit, policy=policy).nearest(dose.load_kg)
            if made is None or abs(made - dose.load_kg) > 1e-6:
                flag(
                    "kit.load",
                    i,
                    f"{_fmt(round(dose.load_kg, 6))} kg is not a load the kit makes on {the_rung}",
                )
        if warm and (dose.rir is None or dose.rir < policy.warm_up.rir):
            flag(
                "warm_up.rir",
                i,
                f"a warm-up must stop {policy.warm_up.rir}+ reps short of failure (rir {dose.rir})",
            )
        if prev is None or new_rung:
            continue
        if warm:
            found.extend(
                _step_violations(
                    i, prev, dose, policy, var, the_rung, any_step, loads_kit, warm=True, steps=1
                )
            )
            continue
        base = i - 1
        if lighter[i - 1]:
            base = next((j for j in range(i - 2, -1, -1) if not lighter[j]), i - 1)
        before = items[base][0]
        found.extend(
            _step_violations(
                i, before, dose, policy, var, the_rung, any_step, loads_kit, warm=False, steps=steps
            )
        )
        lightened = _resume_of(doses_or_steps, i) or before
        if deload and not _lighter(dose, lightened, bodyweight):
            flag(
                "deload.lighter",
                i,
                f"a deload ({dose}) must be lighter than the dose it lightens ({lightened})",
            )
        if deload:
            for other in dict.fromkeys((lightened, before)):
                for figure in _heavier_figures(dose, other):
                    flag("deload.heavier", i, f"a deload ({dose}) has more {figure} than {other}")
        rep_step = (
            policy.reps.step_for(the_rung)
            if the_rung is not None
            else max(policy.reps.step, policy.reps.two_leg_step)
        )
        if not is_deload and not policy.growth.allows(before, dose, bodyweight, rep_step):
            growth = workload_of(dose, bodyweight) / workload_of(before, bodyweight) - 1
            flag(
                "growth",
                i,
                f"the workload grows {100 * growth:.1f} % over {before}, more than the"
                f" {round(100 * policy.growth.max_growth)} % cap",
            )
    return found


def _any_variation(policy: Policy, kit: Kit, bodyweight: float) -> tuple[float, float]:
    """The largest load cap and the largest load step of any variation: what a dose of an unknown rung is held to."""
    variations = [var for ex in CATALOG.exercises for var in ex.allowed_variations]
    any_cap = max(var.load_cap_kg(bodyweight) for var in variations)
    any_step = max(
        [var.load_step_kg for var in variations]
        + [
            b - a
            for var in variations
            for grid in (makeable_loads(var, kit, cap_kg=any_cap, policy=policy).values,)
            for a, b in itertools.pairwise(grid)
        ]
    )
    return any_cap, any_step


def _caps(policy: Policy, *, warm: bool, load_cap: float) -> dict[str, float]:
    """Each capped figure of a dose (see ``_figure``) with its cap under ``policy``; a warm-up's own."""
    caps = {
        "cap.sets": policy.warm_up.max_sets if warm else policy.sets.max,
        "cap.pause": policy.warm_up.pause_s if warm else policy.pause.max_s,
        "cap.tempo": policy.tempo.max_s,
        "cap.rep_time": policy.tempo.max_rep_s,
        "cap.set_time": policy.tempo.max_set_s,
        "cap.load": 0.0 if warm else load_cap,
    }
    if warm:
        caps["cap.reps"] = policy.warm_up.max_reps
    return caps


def _cap_violations(i: int, dose: Dose, prev: Dose | None, caps: dict[str, float]) -> list[Violation]:
    """The figures of ``dose`` over their caps; one already over at ``prev`` and not growing was reported there."""
    found: list[Violation] = []
    for rule, limit in caps.items():
        value = _figure(rule, dose)
        if value <= limit + _EPS:
            continue
        if prev is not None and _figure(rule, prev) > limit + _EPS and value <= _figure(rule, prev) + _EPS:
            continue
        text = f"{_fmt(round(value, 3))} {_UNITS[rule]} is over the cap of {_fmt(round(limit, 3))}"
        found.append(Violation(rule=rule, index=i, message=text))
    return found


def _heavier_figures(dose: Dose, other: Dose) -> list[str]:
    """The figures in which ``dose`` asks more than ``other``: load, volume (sets x reps), pause, lowering."""
    figures = [
        ("load", dose.load_kg, other.load_kg),
        ("volume (sets x reps)", dose.sets * dose.reps, other.sets * other.reps),
        ("pause", dose.pause_s, other.pause_s),
        ("lowering time", dose.lower_s, other.lower_s),
    ]
    return [name for name, mine, theirs in figures if mine > theirs + 1e-6]


def _resume_of(items: Sequence[object], i: int) -> Dose | None:
    item = items[i]
    return item.resume if isinstance(item, Step) else None


_UNITS = {
    "cap.reps": "reps a side",
    "cap.sets": "sets a side",
    "cap.pause": "s pause",
    "cap.tempo": "s lowering",
    "cap.rep_time": "s a rep",
    "cap.set_time": "s a set",
    "cap.load": "kg",
}


def _figure(rule: str, dose: Dose) -> float:
    return {
        "cap.reps": float(dose.reps),
        "cap.sets": float(dose.sets),
        "cap.pause": dose.pause_s,
        "cap.tempo": dose.lower_s,
        "cap.rep_time": dose.seconds_per_rep,
        "cap.set_time": dose.reps * dose.seconds_per_rep,
        "cap.load": dose.load_kg,
    }[rule]


def _lighter(dose: Dose, prev: Dose, bodyweight: float) -> bool:
    return workload_of(dose, bodyweight) < workload_of(prev, bodyweight) - _EPS


def _step_violations(
    i: int,
    prev: Dose,
    dose: Dose,
    policy: Policy,
    var: Variation | None,
    rung: Rung | None,
    any_step: float,
    kit: Kit,
    *,
    warm: bool,
    steps: int,
) -> list[Violation]:
    found: list[Violation] = []
    kit_step = any_step
    if var is not None and var.is_loaded:
        up = makeable_loads(var, kit, policy=policy).above(prev.load_kg)
        kit_step = up - prev.load_kg if up is not None else max(var.load_step_kg, policy.load.step_kg or 0)
    load_limit = max(policy.load.max_fraction * prev.load_kg, kit_step * steps)
    rep_step = (
        policy.reps.step_for(rung) if rung is not None else max(policy.reps.step, policy.reps.two_leg_step)
    )
    rises = [
        ("step.reps", dose.reps - prev.reps, rep_step * steps, "reps a side"),
        ("step.pause", dose.pause_s - prev.pause_s, policy.pause.step_s, "s pause"),
        ("step.tempo", dose.lower_s - prev.lower_s, policy.tempo.step_s, "s lowering"),
        ("step.sets", dose.sets - prev.sets, policy.sets.step, "sets"),
        ("step.load", dose.load_kg - prev.load_kg, load_limit, "kg"),
    ]
    grown = [name for name, delta, _limit, _unit in rises if delta > _EPS]
    if warm:
        for name in grown:
            found.append(
                Violation(rule="warm_up.grows", index=i, message=f"a warm-up must not progress ({name})")
            )
        if prev.rir is not None and (dose.rir is None or dose.rir < prev.rir):
            found.append(
                Violation(
                    rule="warm_up.grows",
                    index=i,
                    message=f"a warm-up moved toward failure (rir {prev.rir} -> {dose.rir})",
                )
            )
        return found
    for name, delta, limit, unit in rises:
        if delta > limit + 1e-6:
            found.append(
                Violation(
                    rule=name,
                    index=i,
                    message=f"+{_fmt(round(delta, 3))} {unit} in one step, more than the rule's {_fmt(round(limit, 3))}",
                )
            )
    if len(grown) > 1:
        found.append(
            Violation(
                rule="step.one_lever",
                index=i,
                message=f"{' and '.join(n.removeprefix('step.') for n in grown)} rose together; one lever at a time",
            )
        )
    return found
