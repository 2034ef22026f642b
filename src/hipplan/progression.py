"""Progressive overload: small rules, a policy that composes them, and the engine that applies them.

Every rule is a frozen attrs value with one pure method, ``next(dose, log) -> Change | None``: given the dose
that was prescribed and the :class:`Log` of how it went, it proposes the next dose (and rung), or returns None
when it does not apply. A :class:`Policy` holds one of each built-in rule, with every figure configurable, and
tries them in the order of cost (reps, pause, tempo, sets, a loaded variation, load steps). Two entry points
share the same rules:

* :func:`project` assumes every target is met and gives one :class:`Step` per week (the plan-time view);
* :func:`progress` takes what was actually logged, both sides, and gives the next :class:`Step`.

:func:`check_progression` returns the :class:`Violation` s of a sequence of doses, for property tests of any
rule. See docs/progression.md for the rules, their defaults and where the figures come from.
"""

from __future__ import annotations

import functools
import math
import types
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import attrs

from . import _validate as v
from .athlete import Athlete
from .catalog import CATALOG
from .dose import Dose, Performed
from .errors import InvalidInput
from .exercises import Rung, Variation
from .plan import Reason, Slot
from .vocabulary import Equipment, Level, Role, Side

if TYPE_CHECKING:
    from .ladder import Ladder

__all__ = [
    "Change",
    "ClimbExercise",
    "Deload",
    "LoadStep",
    "LoadedVariation",
    "Log",
    "Pause",
    "Policy",
    "Regression",
    "RepRange",
    "Rule",
    "Sets",
    "Start",
    "Step",
    "Tempo",
    "TwoForTwo",
    "Violation",
    "WarmUp",
    "WorkloadCap",
    "check_progression",
    "lighten",
    "match_effort",
    "progress",
    "project",
    "starting_dose",
    "workload",
]

SLHT = "single-leg-hip-thrust"
_EPS = 1e-9


def _ladder() -> Ladder:
    if _LADDER is None:
        return _load_ladder()
    return _LADDER


_LADDER: Ladder | None = None
"""The default ladder, once it is first needed (networkx is imported then)."""


def _load_ladder() -> Ladder:
    global _LADDER
    from .ladder import default_ladder

    _LADDER = default_ladder()
    return _LADDER


def _kg(value: float) -> float:
    """A load rounded to 0.01 kg, so repeated steps do not drift."""
    return round(value + 0.0, 2)


def _fmt(value: float) -> str:
    return f"{value:g}"


# ----------------------------------------------------------------------------------------------------------
# The rules
# ----------------------------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Change:
    """What a rule proposes: the next dose, in a coach's words, and the rung if it changes.

    Attributes:
        dose: the next prescription.
        text: why, in a coach's words (the engine wraps it in a :class:`~hipplan.Reason` named after the
            rule).
        rung: the next rung when the rule moves on the ladder; None keeps the current one.
        deload: whether the next dose is a lighter (deload) week.
        resume: for a deload, the dose to come back to the week after.
    """

    dose: Dose = attrs.field(validator=v.instance_of(Dose))
    text: str = attrs.field(validator=v.text())
    rung: Rung | None = attrs.field(default=None, validator=v.optional(v.instance_of(Rung)))
    deload: bool = attrs.field(default=False, validator=v.instance_of(bool))
    resume: Dose | None = attrs.field(default=None, validator=v.optional(v.instance_of(Dose)))


class Rule(Protocol):
    """What a progression rule is: a value with one pure method.

    ``name`` is the rule's name in :class:`~hipplan.Reason` values. ``next`` returns None when the rule does
    not apply to this dose and log; it must not look at anything but its arguments.
    """

    @property
    def name(self) -> str: ...

    def next(self, dose: Dose, log: Log, /) -> Change | None: ...


@attrs.frozen(kw_only=True)
class RepRange:
    """Double progression, first half: add reps per side inside a range while every set reaches the target.

    When every set of both sides reaches the top (``high``), this rule stops and the next lever takes over;
    that lever drops the reps back to ``low``.
    """

    name: ClassVar[str] = "reps"
    low: int = attrs.field(default=8, validator=v.integer(ge=2, le=49))
    high: int = attrs.field(default=15, validator=v.integer(ge=3, le=50))
    step: int = attrs.field(default=1, validator=v.integer(ge=1, le=10))

    def __attrs_post_init__(self) -> None:
        if self.low >= self.high:
            raise InvalidInput(f"'high' must be above 'low' ({self.low}) (got {self.high})", field="high")

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """One more rep step per side, up to the top of the range, when every set met its target."""
        if not log.met(dose) or dose.reps >= self.high:
            return None
        reps = min(self.high, dose.reps + self.step)
        return _change(
            dose=_evolve(dose, reps=reps),
            text=(
                f"Every set reached {dose.reps} reps a side: next time {reps} (range {self.low}-{self.high})."
            ),
        )


def _at_top(dose: Dose, log: Log) -> bool:
    return log.met(dose) and dose.reps >= log.policy.reps.high


@attrs.frozen(kw_only=True)
class Pause:
    """Double progression, second half, cheapest lever: a longer hold at the top, reps back to the bottom."""

    name: ClassVar[str] = "pause"
    step_s: float = attrs.field(default=1.0, converter=v.to_float, validator=v.number(gt=0, le=5))
    max_s: float = attrs.field(default=3.0, converter=v.to_float, validator=v.number(ge=0, le=8))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Add ``step_s`` of pause when the reps have topped out, keeping every rep under 10 seconds."""
        if not _at_top(dose, log) or dose.pause_s + _EPS >= self.max_s:
            return None
        pause = min(self.max_s, dose.pause_s + self.step_s)
        low = log.policy.reps.low
        new = _evolve(dose, pause_s=pause, reps=low)
        if not log.policy.tempo.allows(new):
            return None
        return _change(
            dose=new,
            text=(
                f"Top of the range ({dose.reps} reps a side) on every set: hold {_fmt(pause)} s at the top"
                f" and start again from {low} reps."
            ),
        )


@attrs.frozen(kw_only=True)
class Tempo:
    """The next lever after the pause: a slower lowering, reps back to the bottom; never a rep of 10 s or
    more."""

    name: ClassVar[str] = "tempo"
    step_s: float = attrs.field(default=1.0, converter=v.to_float, validator=v.number(gt=0, le=5))
    max_s: float = attrs.field(default=4.0, converter=v.to_float, validator=v.number(ge=0, le=8))
    max_rep_s: float = attrs.field(default=9.0, converter=v.to_float, validator=v.number(gt=1, le=9.99))
    """The longest a single rep may take (up, pause, lowering); very slow reps of 10 s or more are avoided."""

    def allows(self, dose: Dose) -> bool:
        """Whether a rep of ``dose`` stays within ``max_rep_s``."""
        return dose.seconds_per_rep <= self.max_rep_s + _EPS

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Lower more slowly by ``step_s`` when the reps have topped out."""
        if not _at_top(dose, log) or dose.lower_s + _EPS >= self.max_s:
            return None
        lower = min(self.max_s, dose.lower_s + self.step_s)
        low = log.policy.reps.low
        new = _evolve(dose, lower_s=lower, reps=low)
        if not self.allows(new):
            return None
        return _change(
            dose=new,
            text=(
                f"Top of the range again: lower the hips over {_fmt(lower)} s"
                f" (was {_fmt(dose.lower_s)} s) and"
                f" start again from {low} reps."
            ),
        )


@attrs.frozen(kw_only=True)
class Sets:
    """More sets per side, up to a maximum, reps back to the bottom of the range."""

    name: ClassVar[str] = "sets"
    step: int = attrs.field(default=1, validator=v.integer(ge=1, le=3))
    max: int = attrs.field(default=4, validator=v.integer(ge=1, le=10))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Add a set when the reps have topped out and there is room under ``max``."""
        if not _at_top(dose, log) or dose.sets >= self.max:
            return None
        sets = min(self.max, dose.sets + self.step)
        low = log.policy.reps.low
        return _change(
            dose=_evolve(dose, sets=sets, reps=low),
            text=f"Pause and tempo are as long as they go: {sets} sets a side now, from {low} reps.",
        )


_HARDER: dict[tuple[Rung, frozenset[Equipment], bool], Rung | None] = {}
"""The answers of :func:`_harder`: the default ladder is built once and never changes."""


def _harder(rung: Rung, kit: frozenset[Equipment], *, same_exercise: bool) -> Rung | None:
    """The easiest rung above ``rung`` the kit allows: of the same exercise, or of a harder exercise."""
    key = (rung, kit, same_exercise)
    try:
        return _HARDER[key]
    except KeyError:
        pass
    import networkx as nx

    ladder = _ladder()
    above = [
        r
        for r in nx.descendants(ladder.graph, rung)
        if (r.exercise == rung.exercise) == same_exercise
        and (same_exercise or r.variation == "bodyweight")
        and ladder.fits(r, kit)
    ]
    found = _HARDER[key] = min(above, key=ladder.rank, default=None)
    return found


@attrs.frozen(kw_only=True)
class ClimbExercise:
    """A beginner on an easier exercise climbs to the next one as soon as the reps top out.

    Glute bridge -> single-leg glute bridge -> two-leg hip thrust -> single-leg hip thrust. A rung that needs
    a support surface is only reachable when the kit has a bench, a box or a couch.
    """

    name: ClassVar[str] = "ladder.climb"
    enabled: bool = attrs.field(default=True, validator=v.instance_of(bool))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Move up one exercise, reps back to the bottom of the range."""
        if not self.enabled or not _at_top(dose, log):
            return None
        target = _harder(log.rung, log.effective_kit, same_exercise=False)
        if target is None:
            return None
        low = log.policy.reps.low
        name = CATALOG[target.exercise].name.lower()
        return _change(
            dose=_evolve(dose, reps=low, load_kg=0.0),
            rung=target,
            text=f"{dose.reps} clean reps on every set: time to climb to the {name}, from {low} reps.",
        )


def _cap(variation: Variation, log: Log) -> float:
    return variation.load_cap_kg(log.bodyweight)


def _cap_note(log: Log) -> str:
    if log.bodyweight_kg is None:
        return (
            f" (no bodyweight given: capped as for a {_fmt(log.policy.reference_bodyweight_kg)} kg athlete)"
        )
    return ""


def _step_kg(variation: Variation, policy: Policy) -> float:
    """The smallest load step: the policy's ``load.step_kg`` when set, else the variation's own."""
    return policy.load.step_kg if policy.load.step_kg is not None else variation.load_step_kg


def _start_load(variation: Variation, cap: float, step: float, load: float = 0.0) -> float:
    """The load on a newly reached loaded variation: the old load in whole steps, one step at least."""
    if step <= 0:
        return 0.0
    kept = math.floor(load / step + _EPS) * step
    return _kg(min(cap, max(step, kept)))


@attrs.frozen(kw_only=True)
class LoadedVariation:
    """Add resistance: move to the next loaded variation the kit allows (band, dumbbell, sandbag,
    landmine)."""

    name: ClassVar[str] = "ladder.loaded"
    enabled: bool = attrs.field(default=True, validator=v.instance_of(bool))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Step onto the next loaded variation of the same exercise, with its smallest load, reps from the
        bottom."""
        if not self.enabled or not _at_top(dose, log):
            return None
        current = CATALOG.variation(log.rung)
        if current.is_loaded and dose.load_kg + _step_kg(current, log.policy) <= _cap(current, log) + _EPS:
            return None  # load steps on this variation come first
        target = _harder(log.rung, log.effective_kit, same_exercise=True)
        if target is None:
            return None
        var = CATALOG.variation(target)
        cap = _cap(var, log)
        load = _start_load(var, cap, _step_kg(var, log.policy), dose.load_kg)
        if load <= 0:
            return None
        low = log.policy.reps.low
        return _change(
            dose=_evolve(dose, reps=low, load_kg=load),
            rung=target,
            text=(
                f"Nothing left to add without load: {var.name.lower()} variation at {_fmt(load)} kg,"
                f" from {low}"
                f" reps{_cap_note(log)}."
            ),
        )


@attrs.frozen(kw_only=True)
class LoadStep:
    """Small load steps the kit can make, never above the variation's cap.

    The step is the variation's own (the next band, the next dumbbell, the smallest plate pair, a sandbag
    filled a little more), or ``step_kg`` when given; several such steps are taken at once only while they
    stay within ``max_fraction`` of the load (the ACSM's 2-10 % a step).
    """

    name: ClassVar[str] = "load.step"
    step_kg: float | None = attrs.field(default=None, validator=v.optional(v.number(gt=0, le=20)))
    max_fraction: float = attrs.field(default=0.10, converter=v.to_float, validator=v.number(gt=0, le=0.5))

    def increment(self, variation: Variation, load_kg: float) -> float:
        """The load to add to ``load_kg`` on ``variation``: whole kit steps, one at least."""
        step = self.step_kg if self.step_kg is not None else variation.load_step_kg
        if step <= 0:
            return 0.0
        return _kg(step * max(1, math.floor(self.max_fraction * load_kg / step + _EPS)))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """Add one load step when the reps have topped out, unless that would pass the cap; reps from the
        bottom."""
        if not _at_top(dose, log):
            return None
        var = CATALOG.variation(log.rung)
        if not var.is_loaded:
            return None
        add = self.increment(var, dose.load_kg)
        load = _kg(dose.load_kg + add)
        cap = _cap(var, log)
        if add <= 0 or load > cap + _EPS:
            return None
        low = log.policy.reps.low
        return _change(
            dose=_evolve(dose, load_kg=load, reps=low),
            text=(
                f"Top of the range with {_fmt(dose.load_kg)} kg: add {_fmt(add)} kg ({_fmt(load)} kg, cap"
                f" {_fmt(cap)} kg{_cap_note(log)}) and start again from {low} reps."
            ),
        )


@attrs.frozen(kw_only=True)
class TwoForTwo:
    """The 2-for-2 rule: a load step (same reps) when the last set beats the target by 2+ twice running.

    ``margin`` is the 2 reps and ``sessions`` the two sessions in a row; the weaker side's last set counts.
    """

    name: ClassVar[str] = "load.2for2"
    margin: int = attrs.field(default=2, validator=v.integer(ge=1, le=10))
    sessions: int = attrs.field(default=2, validator=v.integer(ge=1, le=5))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """A load step on a loaded variation, when the weaker side beat the target often enough."""
        var = CATALOG.variation(log.rung)
        if not var.is_loaded or log.beat_streak(dose, self.margin) < self.sessions:
            return None
        add = log.policy.load.increment(var, dose.load_kg)
        load = _kg(dose.load_kg + add)
        cap = _cap(var, log)
        if add <= 0 or load > cap + _EPS:
            return None
        return _change(
            dose=_evolve(dose, load_kg=load),
            text=(
                f"The last set beat {dose.reps} reps by {self.margin} or more,"
                f" {self.sessions} sessions running"
                f" (2-for-2): {_fmt(load)} kg, same reps{_cap_note(log)}."
            ),
        )


@attrs.frozen(kw_only=True)
class WorkloadCap:
    """The weekly workload may grow by at most ``max_growth``, or by one rep step, if that is more.

    A rep is the smallest step a dose can take, so at 8 reps a side the cap lets a 12.5 % one-rep step through
    (``rep_step`` is the rep rule's step). Growth is measured from the week before; after a deload, from the
    last full week: the new block resumes where the athlete was, so the lighter week is no base to grow from.
    """

    name: ClassVar[str] = "growth"
    max_growth: float = attrs.field(default=0.10, converter=v.to_float, validator=v.number(gt=0, le=1))

    def allows(self, before: Dose, after: Dose, bodyweight_kg: float, rep_step: int = 1) -> bool:
        """Whether ``after`` is within the cap of ``before``."""
        base = workload_of(before, bodyweight_kg)
        limit = base * (1 + max(self.max_growth, rep_step / before.reps))
        return workload_of(after, bodyweight_kg) <= limit * (1 + 1e-9) + _EPS


def lighten(dose: Dose, deload: Deload) -> Dose:
    """The deload version of ``dose``: sets and reps cut so the volume drops by about
    ``deload.volume_cut``."""
    keep = 1 - deload.volume_cut
    volume = dose.sets * dose.reps
    sets = max(1, round(dose.sets * keep))
    reps = max(1, min(dose.reps, round(volume * keep / sets)))
    if sets * reps >= volume and reps > 1:
        reps -= 1
    rir = min(10, (dose.rir or 0) + deload.rir_added)
    load = _kg(dose.load_kg * (1 - deload.load_cut))
    if not isinstance(deload, Deload):  # cuts from elsewhere: let the Dose check the figures
        return attrs.evolve(dose, sets=sets, reps=reps, rir=rir, load_kg=load)
    return _evolve(dose, sets=sets, reps=reps, rir=rir, load_kg=load)


@attrs.frozen(kw_only=True)
class Deload:
    """A lighter week on a fixed cycle (``every`` weeks) and after ``after_misses`` missed sessions in a row.

    The deload cuts volume (sets x reps) by ``volume_cut``, the load by ``load_cut`` and leaves ``rir_added``
    more reps in reserve; the week after, the athlete resumes where they were.
    """

    name: ClassVar[str] = "deload"
    every: int | None = attrs.field(default=4, validator=v.optional(v.integer(ge=2, le=26)))
    after_misses: int | None = attrs.field(default=2, validator=v.optional(v.integer(ge=1, le=10)))
    volume_cut: float = attrs.field(default=0.4, converter=v.to_float, validator=v.number(ge=0.1, le=0.9))
    load_cut: float = attrs.field(default=0.0, converter=v.to_float, validator=v.number(ge=0, le=0.9))
    rir_added: int = attrs.field(default=2, validator=v.integer(ge=0, le=5))

    def due(self, week: int) -> bool:
        """Whether ``week`` is a deload week of the fixed cycle."""
        return self.every is not None and week % self.every == 0

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """A lighter week when the cycle says so or targets were missed too often; None otherwise."""
        if log.deload:
            return None  # never two lighter weeks back to back
        misses = log.miss_streak(dose)
        if self.after_misses is not None and misses >= self.after_misses:
            why = f"Targets missed {misses} sessions running: a lighter week, then back to this dose."
        elif self.due(log.week + 1):
            why = f"Week {log.week + 1} is a lighter week (one in every {self.every}): recover, then go on."
        else:
            return None
        light = lighten(dose, self)
        if workload_of(light, log.bodyweight) >= workload_of(dose, log.bodyweight):
            return None
        cut = round(100 * self.volume_cut)
        more = f", {self.rir_added} more reps in reserve" if self.rir_added else ""
        return _change(dose=light, deload=True, resume=dose, text=f"{why} About {cut} % less volume{more}.")


@attrs.frozen(kw_only=True)
class Regression:
    """Repeated failure moves back down: first a load step off, then the next easier rung the kit allows."""

    name: ClassVar[str] = "regression"
    after_misses: int = attrs.field(default=3, validator=v.integer(ge=1, le=10))

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        """One step easier after ``after_misses`` missed sessions in a row."""
        misses = log.miss_streak(dose)
        if misses < self.after_misses:
            return None
        var = CATALOG.variation(log.rung)
        step = _step_kg(var, log.policy)
        if var.is_loaded and dose.load_kg - step >= step - _EPS:
            load = _kg(dose.load_kg - step)
            return _change(
                dose=_evolve(dose, load_kg=load),
                text=f"Targets missed {misses} sessions running: back to {_fmt(load)} kg and rebuild.",
            )
        target = _ladder().next_easier(log.rung, log.effective_kit)
        if target is None:
            return None
        new_var = CATALOG.variation(target)
        load = 0.0
        if new_var.is_loaded:
            cap = _cap(new_var, log)
            load = min(_start_load(new_var, cap, _step_kg(new_var, log.policy), dose.load_kg), dose.load_kg)
        name = CATALOG[target.exercise].name.lower()
        return _change(
            dose=_evolve(dose, load_kg=load),
            rung=target,
            text=(
                f"Targets missed {misses} sessions running: one rung down the ladder ({name},"
                f" {new_var.name.lower()}) to rebuild."
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
        return _evolve(
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
        return _change(dose=light, text=text)


@attrs.frozen(kw_only=True)
class Start:
    """Starting doses by level and role; ``sets`` and ``rir`` are (beginner, intermediate, advanced)."""

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
                f"{attribute.name!r} must be three whole numbers from 0 to 10"
                " (beginner, intermediate, advanced)"
                f" (got {value!r})",
                field=attribute.name,
            )
        if attribute.name != "rir" and min(value) < 1:
            raise InvalidInput(
                f"{attribute.name!r} must be at least 1 set (got {value!r})", field=attribute.name
            )

    def first(self, level: Level, role: Role, rung: Rung, policy: Policy, bodyweight_kg: float) -> Dose:
        """The first dose for this level, role and rung."""
        lower = min(2.0, policy.tempo.max_s)
        if role is Role.WARM_UP:
            w = policy.warm_up
            sets = w.sets if level is Level.BEGINNER else w.max_sets
            return Dose(sets=sets, reps=w.reps, pause_s=w.pause_s, lower_s=lower, rest_s=w.rest_s, rir=w.rir)
        table = self.finisher_sets if role is Role.FINISHER else self.circuit_sets
        rest = self.finisher_rest_s if role is Role.FINISHER else self.circuit_rest_s
        sets = min(table[level.rank], policy.sets.max)
        var = CATALOG.variation(rung)
        cap = var.load_cap_kg(bodyweight_kg)
        load = _start_load(var, cap, _step_kg(var, policy)) if var.is_loaded else 0.0
        return Dose(
            sets=sets,
            reps=policy.reps.low,
            load_kg=load,
            lower_s=lower,
            rest_s=rest,
            rir=self.rir[level.rank],
        )


@attrs.frozen(kw_only=True)
class Policy:
    """The progression rules, composed, with defaults from the training literature (docs/progression.md).

    The levers are tried in the order of cost: ``two_for_two`` (a load trigger), ``reps``, ``climb`` (easier
    exercises only), ``pause``, ``tempo``, ``sets``, ``load``, ``loaded``. The first that proposes a change
    within ``growth`` wins. ``regression`` and ``deload`` act on missed targets and on the calendar;
    ``warm_up`` replaces all of it for warm-up doses.

    Attributes:
        reference_bodyweight_kg: the bodyweight load caps are worked out for when the athlete gives none.
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
    growth: WorkloadCap = attrs.field(factory=WorkloadCap, validator=v.instance_of(WorkloadCap))
    regression: Regression = attrs.field(factory=Regression, validator=v.instance_of(Regression))
    warm_up: WarmUp = attrs.field(factory=WarmUp, validator=v.instance_of(WarmUp))
    start: Start = attrs.field(factory=Start, validator=v.instance_of(Start))
    reference_bodyweight_kg: float = attrs.field(
        default=70.0, converter=v.to_float, validator=v.number(ge=20, le=300)
    )

    def __attrs_post_init__(self) -> None:
        slowest = 1 + self.pause.max_s + self.tempo.max_s
        if slowest > self.tempo.max_rep_s + _EPS:
            raise InvalidInput(
                "'pause.max_s' + 'tempo.max_s' + 1 s must stay within 'tempo.max_rep_s'"
                f" ({_fmt(self.tempo.max_rep_s)}"
                f" s): reps of 10 s or more are avoided (got {_fmt(slowest)} s)",
                field="tempo",
            )

    def levers(self) -> tuple[Rule, ...]:
        """The overload rules in the order they are tried."""
        return (
            self.two_for_two,
            self.reps,
            self.climb,
            self.pause,
            self.tempo,
            self.sets,
            self.load,
            self.loaded,
        )


# ----------------------------------------------------------------------------------------------------------
# Logs and steps
# ----------------------------------------------------------------------------------------------------------


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
            f"{attribute.name!r} must be a sequence of sessions, each a sequence of Performed"
            f" (got {value!r})",
            field=attribute.name,
        )


def _group(performed: Sequence[Performed], unilateral: bool) -> dict[str, list[Performed]]:
    """The sets by side (a two-leg exercise has one group), each side in the order done."""
    groups: dict[str, list[Performed]] = {}
    if unilateral:
        for side in Side:
            groups[side.value] = []
    for p in performed:
        groups.setdefault(p.side.value if unilateral else "both", []).append(p)
    return groups


def _side_missed(sets: Sequence[Performed], dose: Dose) -> bool:
    if len(sets) < dose.sets:
        return True
    return any(
        p.reps < dose.reps or p.load_kg + _EPS < dose.load_kg or p.pause_s + _EPS < dose.pause_s
        for p in sets[: dose.sets]
    )


def _weakest_side(groups: dict[str, list[Performed]]) -> str:
    """The side with fewer reps in all (then fewer sets); ties go to the lower reps in the order done."""
    return min(
        groups, key=lambda side: (sum(p.reps for p in groups[side]), len(groups[side]), _reps(groups[side]))
    )


def _reps(sets: Sequence[Performed]) -> tuple[int, ...]:
    return tuple(p.reps for p in sets)


def _weakest(groups: dict[str, list[Performed]]) -> list[Performed]:
    return groups[_weakest_side(groups)]


@attrs.frozen(kw_only=True)
class Log:
    """How a dose went, and where the athlete stands: what a rule may look at besides the dose.

    Attributes:
        performed: the sets of this session, both sides; None means the targets were met exactly (what
            :func:`project` assumes).
        history: the logs of earlier sessions, newest last (for 2-for-2 and repeated misses). A session counts
            toward a streak when it was done at the same load and pause, judged against the current target.
        role: the job of the dose.
        rung: the exercise and variation it was done on.
        kit: the equipment the athlete can use from now on; None means only what the rung itself needs.
        bodyweight_kg: the athlete's bodyweight, if known (else the policy's reference is used for load caps).
        week: the week (or exposure) number of the dose that was done.
        deload: whether the dose done was a deload.
        resume: after a deload, the dose to return to.
        policy: the policy whose figures the rules share (the bottom of the rep range, the tempo limit, ...).
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
    week: int = attrs.field(default=1, validator=v.integer(ge=1))
    deload: bool = attrs.field(default=False, validator=v.instance_of(bool))
    resume: Dose | None = attrs.field(default=None, validator=v.optional(v.instance_of(Dose)))
    policy: Policy = attrs.field(factory=Policy, validator=v.instance_of(Policy))

    def __attrs_post_init__(self) -> None:
        CATALOG.check_rung(self.rung)

    @classmethod
    def _trusted(
        cls,
        *,
        role: Role,
        rung: Rung,
        kit: frozenset[Equipment] | None,
        bodyweight_kg: float | None,
        week: int,
        deload: bool,
        resume: Dose | None,
        policy: Policy,
    ) -> Log:
        """An open-loop log from values :func:`project` has already checked, built without re-validating them.

        The projection makes one log a week; validating the same kit and policy each time was most of its cost.
        """
        log = _new(cls)
        _log_performed(log, None)
        _log_history(log, ())
        _log_role(log, role)
        _log_rung(log, rung)
        _log_kit(log, kit)
        _log_bodyweight(log, bodyweight_kg)
        _log_week(log, week)
        _log_deload(log, deload)
        _log_resume(log, resume)
        _log_policy(log, policy)
        return log

    @property
    def unilateral(self) -> bool:
        """Whether the rung is one leg at a time (sets are then judged per side)."""
        return CATALOG[self.rung.exercise].unilateral

    @property
    def bodyweight(self) -> float:
        """The bodyweight for load caps: the athlete's, else the policy's reference."""
        return self.bodyweight_kg if self.bodyweight_kg is not None else self.policy.reference_bodyweight_kg

    @property
    def effective_kit(self) -> frozenset[Equipment]:
        """The kit rules may climb into: ``kit``, or when None what the rung needs (a bench if it needs
        support)."""
        if self.kit is not None:
            return self.kit
        exercise = CATALOG[self.rung.exercise]
        needs = CATALOG.variation(self.rung).needs
        return needs | ({Equipment.BENCH} if exercise.needs_support else frozenset())

    def weaker_side(self) -> str | None:
        """``"left"`` or ``"right"`` (``"both"`` for a two-leg exercise); None for an open-loop log."""
        if self.performed is None:
            return None
        return _weakest_side(_group(self.performed, self.unilateral))

    def weaker(self) -> tuple[Performed, ...]:
        """The sets of the weaker side (fewer reps in all): it sets the pace. Empty for an open-loop log."""
        if self.performed is None:
            return ()
        return tuple(_weakest(_group(self.performed, self.unilateral)))

    def met(self, dose: Dose) -> bool:
        """Whether every set of both sides reached the target reps, load and pause of ``dose``."""
        if self.performed is None:
            return True
        return not any(_side_missed(sets, dose) for sets in _group(self.performed, self.unilateral).values())

    def surplus(self, dose: Dose) -> int:
        """By how many reps the weaker side's last set beat the target (0 for an open-loop log)."""
        return self._surplus(self.performed, dose)

    def _surplus(self, performed: Sequence[Performed] | None, dose: Dose) -> int:
        if performed is None:
            return 0
        sets = _weakest(_group(performed, self.unilateral))
        return sets[-1].reps - dose.reps if sets else -dose.reps

    def _same_step(self, performed: Sequence[Performed], dose: Dose) -> bool:
        return bool(performed) and all(
            abs(p.load_kg - dose.load_kg) < 0.01 and abs(p.pause_s - dose.pause_s) < 0.01 for p in performed
        )

    def miss_streak(self, dose: Dose) -> int:
        """Missed sessions in a row, this one included (0 if this one met its target)."""
        if self.met(dose):
            return 0
        streak = 1
        for earlier in reversed(self.history):
            if not self._same_step(earlier, dose):
                break
            if not any(_side_missed(s, dose) for s in _group(earlier, self.unilateral).values()):
                break
            streak += 1
        return streak

    def beat_streak(self, dose: Dose, margin: int) -> int:
        """Sessions in a row, this one included, whose weaker side's last set beat the target by ``margin`` or
        more."""
        if not self.met(dose) or self.surplus(dose) < margin:
            return 0
        streak = 1
        for earlier in reversed(self.history):
            if not self._same_step(earlier, dose) or self._surplus(earlier, dose) < margin:
                break
            streak += 1
        return streak


@attrs.frozen(kw_only=True)
class Step:
    """One week (or one exposure) of a progression: the dose, the rung, and which rules decided it.

    Attributes:
        week: 1-based week (for :func:`progress`, the exposure after the one logged).
        dose: the prescription, the same for both sides.
        rung: the exercise and variation.
        deload: whether this is a lighter week.
        reasons: the rules that fired, in a coach's words.
        resume: for a deload week, the dose the athlete comes back to the week after.
    """

    week: int = attrs.field(validator=v.integer(ge=1))
    dose: Dose = attrs.field(validator=v.instance_of(Dose))
    rung: Rung = attrs.field(validator=v.instance_of(Rung))
    deload: bool = attrs.field(default=False, validator=v.instance_of(bool))
    reasons: tuple[Reason, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(Reason, tuple)
    )
    resume: Dose | None = attrs.field(default=None, validator=v.optional(v.instance_of(Dose)))


@attrs.frozen(kw_only=True)
class Violation:
    """One broken invariant in a sequence of doses: which rule, where (0-based index), and what is wrong."""

    rule: str = attrs.field(validator=v.text())
    index: int = attrs.field(validator=v.integer(ge=0))
    message: str = attrs.field(validator=v.text())

    def __str__(self) -> str:
        return f"[{self.rule}] item {self.index}: {self.message}"


# ----------------------------------------------------------------------------------------------------------
# Trusted constructors
# ----------------------------------------------------------------------------------------------------------
# The rules build a Dose, a Change, a Reason and a Step for every week of a projection. Their figures are
# worked out from values already checked (a valid dose, a valid policy), so they are within every bound by
# construction; the helpers below build those values without running the validators again, writing the
# slots directly. Anything not known to be valid goes through the public constructors, which raise as usual.

_KEEP: Any = object()


def _setters(cls: type, *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """A function per field that writes it on a new, not yet shared, instance of a frozen class."""

    def setter(name: str) -> Callable[[Any, Any], None]:
        slot = cls.__dict__.get(name)
        if isinstance(slot, types.MemberDescriptorType):
            return slot.__set__  # a slotted class: write the slot itself
        return lambda obj, value: object.__setattr__(obj, name, value)

    return tuple(setter(name) for name in names)


_new = object.__new__
_dose_sets, _dose_reps, _dose_load, _dose_pause, _dose_lower, _dose_rest, _dose_rir, _dose_hash = _setters(
    Dose, "sets", "reps", "load_kg", "pause_s", "lower_s", "rest_s", "rir", "_attrs_cached_hash"
)
"""Dose's fields, and the slot where it keeps its hash once worked out (None until then)."""
_change_dose, _change_text, _change_rung, _change_deload, _change_resume = _setters(
    Change, "dose", "text", "rung", "deload", "resume"
)
_reason_rule, _reason_text = _setters(Reason, "rule", "text")
_step_week, _step_dose, _step_rung, _step_deload, _step_reasons, _step_resume = _setters(
    Step, "week", "dose", "rung", "deload", "reasons", "resume"
)
(
    _log_performed,
    _log_history,
    _log_role,
    _log_rung,
    _log_kit,
    _log_bodyweight,
    _log_week,
    _log_deload,
    _log_resume,
    _log_policy,
) = _setters(
    Log, "performed", "history", "role", "rung", "kit", "bodyweight_kg", "week", "deload", "resume", "policy"
)


def _evolve(
    dose: Dose,
    *,
    sets: int = _KEEP,
    reps: int = _KEEP,
    load_kg: float = _KEEP,
    pause_s: float = _KEEP,
    lower_s: float = _KEEP,
    rir: int | None = _KEEP,
) -> Dose:
    """``attrs.evolve(dose, ...)`` for figures the caller knows are within Dose's bounds (floats normalised
    the same way Dose's converter does: an int becomes a float, -0.0 becomes 0.0)."""
    if type(dose) is not Dose:  # a subclass may check more: build it the ordinary way
        changes: dict[str, Any] = {
            name: value
            for name, value in (
                ("sets", sets),
                ("reps", reps),
                ("load_kg", load_kg),
                ("pause_s", pause_s),
                ("lower_s", lower_s),
                ("rir", rir),
            )
            if value is not _KEEP
        }
        return attrs.evolve(dose, **changes)
    new = _new(Dose)
    _dose_sets(new, dose.sets if sets is _KEEP else sets)
    _dose_reps(new, dose.reps if reps is _KEEP else reps)
    _dose_load(new, dose.load_kg if load_kg is _KEEP else load_kg + 0.0)
    _dose_pause(new, dose.pause_s if pause_s is _KEEP else pause_s + 0.0)
    _dose_lower(new, dose.lower_s if lower_s is _KEEP else lower_s + 0.0)
    _dose_rest(new, dose.rest_s)
    _dose_rir(new, dose.rir if rir is _KEEP else rir)
    _dose_hash(new, None)
    return new


def _change(
    dose: Dose, text: str, *, rung: Rung | None = None, deload: bool = False, resume: Dose | None = None
) -> Change:
    """A :class:`Change` from a built-in rule: a valid dose, a rung off the ladder and a worded text."""
    change = _new(Change)
    _change_dose(change, dose)
    _change_text(change, text)
    _change_rung(change, rung)
    _change_deload(change, deload)
    _change_resume(change, resume)
    return change


def _step(
    week: int,
    dose: Dose,
    rung: Rung,
    reasons: tuple[Reason, ...],
    *,
    deload: bool = False,
    resume: Dose | None = None,
) -> Step:
    """A :class:`Step` from the engine: the week after a valid one, a checked dose and rung, built reasons."""
    step = _new(Step)
    _step_week(step, week)
    _step_dose(step, dose)
    _step_rung(step, rung)
    _step_deload(step, deload)
    _step_reasons(step, reasons)
    _step_resume(step, resume)
    return step


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
    policy = _policy(policy)
    if bodyweight_kg is None:
        bodyweight_kg = policy.reference_bodyweight_kg
    if (
        isinstance(bodyweight_kg, bool)
        or not isinstance(bodyweight_kg, int | float)
        or not 20 <= bodyweight_kg <= 300
    ):
        raise InvalidInput(
            f"'bodyweight_kg' must be a number from 20 to 300 (got {bodyweight_kg!r})", field="bodyweight_kg"
        )
    return round(workload_of(dose, float(bodyweight_kg)), 6)


# ----------------------------------------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------------------------------------


@functools.cache
def _default_policy() -> Policy:
    # Policies are frozen, so one default serves every call (building one validates a dozen rules).
    return Policy()


def _policy(policy: object) -> Policy:
    if policy is None:
        return _default_policy()
    if not isinstance(policy, Policy):
        raise InvalidInput(f"'policy' must be a hipplan.Policy (got {policy!r})", field="policy")
    return policy


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


def _reason(rule: Any, text: str) -> Reason:
    name = rule if isinstance(rule, str) else str(rule.name)
    if not (isinstance(text, str) and name.strip() and text.strip()):
        return Reason(rule=name, text=text)  # raises, naming what is wrong
    reason = _new(Reason)
    _reason_rule(reason, name)
    _reason_text(reason, text)
    return reason


def _advance(dose: Dose, log: Log, levers: Sequence[Rule] | None = None) -> Step:
    """The next step from ``dose`` and how it went: the heart of both :func:`project` and :func:`progress`.

    ``levers`` are the overload rules to try, when not all of the policy's (see :func:`_open_loop_levers`).
    """
    policy = log.policy
    week = log.week + 1
    if log.role is Role.WARM_UP:
        change = policy.warm_up.next(dose, log)
        assert change is not None
        return _step(week, change.dose, log.rung, (_reason(policy.warm_up, change.text),))
    if log.deload:
        back = log.resume if log.resume is not None else _undo_deload(dose, policy)
        text = f"The lighter week is over: on from where you left off, {back}."
        return _step(week, back, log.rung, (_reason("resume", text),))
    # An open-loop log (every target met) has no misses: the built-in regression cannot fire, and the
    # built-in deload only on its calendar.
    open_loop = log.performed is None
    if open_loop and type(policy.regression) is Regression:
        regress = None
    else:
        regress = policy.regression.next(dose, log)
    if regress is not None:
        # Stepping down is relief enough for the misses; a lighter week on the calendar still comes.
        base = _step(
            week, regress.dose, regress.rung or log.rung, (_reason(policy.regression, regress.text),)
        )
        deload = policy.deload.next(dose, log) if policy.deload.due(week) else None
    else:
        base = _overload(dose, log, policy.levers() if levers is None else levers)
        if open_loop and type(policy.deload) is Deload and not policy.deload.due(week):
            deload = None
        else:
            deload = policy.deload.next(dose, log)
    if deload is None:
        return base
    # A deload lightens the week and comes back to the step that was due.
    # Same rung: last week's dose made lighter. New rung: the new rung's first dose made lighter.
    light, resume, rung = deload.dose, base.dose, base.rung
    if base.rung != log.rung:
        light = lighten(base.dose, policy.deload)
        if workload_of(light, log.bodyweight) >= workload_of(dose, log.bodyweight):
            light, resume, rung = deload.dose, dose, log.rung
    reasons: tuple[Reason, ...] = (_reason(policy.deload, deload.text),)
    if base.dose != dose or base.rung != log.rung:
        reasons += tuple(_reason(r.rule, f"After the lighter week: {r.text}") for r in base.reasons)
    return _step(week, light, rung, reasons, deload=True, resume=resume)


def _overload(dose: Dose, log: Log, levers: Sequence[Rule]) -> Step:
    """The first lever, in the order of cost, whose change keeps within the weekly cap; else the same dose."""
    policy = log.policy
    week = log.week + 1
    open_loop = log.performed is None
    if not open_loop and not log.met(dose):
        side, weak = log.weaker_side(), log.weaker()
        done = ", ".join(str(p.reps) for p in weak) or "no sets"
        who = f"the {side} side" if side in ("left", "right") else "the sets"
        text = (
            f"Target missed: {who} did {done} against {dose.sets} x {dose.reps}, and the weaker side sets the"
            " pace: the same dose again."
        )
        return _step(week, dose, log.rung, (_reason("hold", text),))
    held: list[Reason] = []
    for rule in levers:
        change = rule.next(dose, log)
        if change is None:
            continue
        if not policy.growth.allows(dose, change.dose, log.bodyweight, policy.reps.step):
            held.append(
                _reason(
                    policy.growth,
                    f"Not yet: {change.dose} would grow the weekly workload by more than"
                    f" {round(100 * policy.growth.max_growth)} %.",
                )
            )
            continue
        return _step(week, change.dose, change.rung or log.rung, (*held, _reason(rule, change.text)))
    text = "Every lever is at its limit for this kit: keep this dose and own it."
    return _step(week, dose, log.rung, (*held, _reason("hold", text)))


def _open_loop_levers(policy: Policy) -> tuple[Rule, ...]:
    """The levers that can fire after an open-loop log: the built-in 2-for-2 needs a session that beat its
    target, and an open-loop log only meets it."""
    return tuple(rule for rule in policy.levers() if type(rule) is not TwoForTwo)


def _undo_deload(light: Dose, policy: Policy) -> Dose:
    """A best guess at the dose before a deload, when the caller did not keep it."""
    keep = 1 - policy.deload.volume_cut
    sets = max(light.sets, min(policy.sets.max, round(light.sets / keep)))
    reps = round(light.sets * light.reps / (keep * sets))
    reps = max(light.reps, min(policy.reps.high, reps))
    rir = None if light.rir is None else max(0, light.rir - policy.deload.rir_added)
    load = light.load_kg if policy.deload.load_cut == 0 else _kg(light.load_kg / (1 - policy.deload.load_cut))
    return attrs.evolve(light, sets=sets, reps=reps, rir=rir, load_kg=load)


def starting_dose(athlete: Athlete, role: Role, rung: Rung, *, policy: Policy | None = None) -> Dose:
    """A sensible first dose for this athlete, role and rung (see :class:`Start` for the figures).

    >>> starting_dose(Athlete(level="intermediate"), Role.FINISHER, Rung(exercise="single-leg-hip-thrust"))
    Dose(sets=3, reps=8, load_kg=0.0, pause_s=0.0, lower_s=2.0, rest_s=60, rir=2)
    """
    if not isinstance(athlete, Athlete):
        raise InvalidInput(f"'athlete' must be an Athlete (got {athlete!r})", field="athlete")
    policy = _policy(policy)
    role = _role(role)
    rung = _rung(rung)
    bodyweight = athlete.bodyweight_kg or policy.reference_bodyweight_kg
    return policy.start.first(athlete.level, role, rung, policy, bodyweight)


def _kit(kit: object, name: str = "kit") -> frozenset[Equipment]:
    if type(kit) is frozenset and all(type(e) is Equipment for e in kit):
        return kit  # already what the converter would give
    value = v.equipment_set(kit)
    if not isinstance(value, frozenset) or not all(isinstance(e, Equipment) for e in value):
        raise InvalidInput(f"{name!r} must be a set of Equipment (got {kit!r})", field=name)
    return value


def project(
    start: Dose,
    weeks: int,
    *,
    role: Role,
    rung: Rung,
    kit: frozenset[Equipment],
    athlete: Athlete,
    policy: Policy | None = None,
) -> tuple[Step, ...]:
    """The open-loop projection: one :class:`Step` per week 1..``weeks``, assuming every target is met.

    Week 1 is ``start``; each later week is what :func:`progress` would give after the week before went
    exactly to plan. Deload weeks are included, and the rung may climb the ladder within ``kit``.
    """
    if not isinstance(start, Dose):
        raise InvalidInput(f"'start' must be a Dose (got {start!r})", field="start")
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 520:
        raise InvalidInput(f"'weeks' must be a whole number from 1 to 520 (got {weeks!r})", field="weeks")
    if not isinstance(athlete, Athlete):
        raise InvalidInput(f"'athlete' must be an Athlete (got {athlete!r})", field="athlete")
    policy = _policy(policy)
    role = _role(role)
    rung = _rung(rung)
    kit = _kit(kit)
    first = start if role is not Role.WARM_UP else policy.warm_up.light(start)
    why = (
        "Starting dose for this role and level."
        if first == start
        else "Starting dose, kept light for a warm-up."
    )
    steps = [_step(1, first, rung, (_reason("start", why),))]
    week_free = weeks > 1 and _week_free(policy, role)
    levers = _open_loop_levers(policy) if weeks > 1 and role is not Role.WARM_UP else ()
    repeat = False  # whether the last step left the state as it was (only looked at when week_free)
    log: Log | None = None

    def open_log(last: Step) -> Log:
        return Log._trusted(
            role=role,
            rung=last.rung,
            kit=kit,
            bodyweight_kg=athlete.bodyweight_kg,
            week=last.week,
            deload=last.deload,
            resume=last.resume,
            policy=policy,
        )

    while len(steps) < weeks:
        last = steps[-1]
        if not week_free:
            steps.append(_advance(last.dose, open_log(last), levers))
            continue
        # Only the built-in rules: a step depends on the week only through the deload calendar.
        week = last.week + 1
        due = role is not Role.WARM_UP and policy.deload.due(week)
        if repeat and not due:
            # The same state as the week before, and off the calendar: the same step again.
            reasons, deload, resume = last.reasons, last.deload, last.resume
            steps.append(_step(week, last.dose, last.rung, reasons, deload=deload, resume=resume))
            continue
        if log is None:
            log = open_log(last)
        else:
            # None of the built-in rules keeps the log it is given: this one is brought up to date in place.
            _log_rung(log, last.rung)
            _log_week(log, last.week)
            _log_deload(log, last.deload)
            _log_resume(log, last.resume)
        step = _advance(last.dose, log, levers)
        repeat = not due and _same_state(step, last)
        steps.append(step)
    return tuple(steps)


def _week_free(policy: Policy, role: Role) -> bool:
    """Whether a projected step depends on the week only through the deload calendar.

    The built-in rules look at the week only to place deload weeks (``Deload.due``); a subclass, of a rule or
    of the policy, may look at anything, so with one a projection works out every week.
    """
    if type(policy) is not Policy:
        return False
    if role is Role.WARM_UP:
        return type(policy.warm_up) is WarmUp
    return (
        type(policy.two_for_two) is TwoForTwo
        and type(policy.reps) is RepRange
        and type(policy.climb) is ClimbExercise
        and type(policy.pause) is Pause
        and type(policy.tempo) is Tempo
        and type(policy.sets) is Sets
        and type(policy.load) is LoadStep
        and type(policy.loaded) is LoadedVariation
        and type(policy.regression) is Regression
        and type(policy.deload) is Deload
        and type(policy.growth) is WorkloadCap
    )


def _same_state(step: Step, before: Step) -> bool:
    """Whether ``step`` left the athlete where ``before`` did: same dose, rung, deload and resume."""
    dose, old = step.dose, before.dose
    return (
        (dose is old or (dose.reps == old.reps and dose == old))
        and step.rung == before.rung
        and step.deload is before.deload
        and step.resume == before.resume
    )


def progress(
    current: Dose | Slot | Step,
    performed: Sequence[Performed],
    *,
    role: Role | None = None,
    rung: Rung | None = None,
    athlete: Athlete | None = None,
    kit: frozenset[Equipment] | None = None,
    history: Sequence[Sequence[Performed]] = (),
    policy: Policy | None = None,
) -> Step:
    """The next step after a logged session: the closed loop a fitness app calls after each workout.

    Args:
        current: what was prescribed: a :class:`~hipplan.Slot` of a plan, a :class:`Step`, or a bare Dose.
        performed: every set done, both sides (:class:`~hipplan.Performed`); the weaker side sets the pace.
        role: the dose's role (a Slot's own by default, else finisher).
        rung: the exercise and variation (a Slot's or Step's own by default, else the bodyweight single-leg
            hip thrust).
        athlete: for the bodyweight behind load caps (else the policy's reference bodyweight).
        kit: the equipment the athlete can use next; by default only what the current rung needs.
        history: earlier sessions' logs, newest last, for 2-for-2 and repeated misses.
        policy: the rules; the defaults when None.

    Returns:
        The next :class:`Step` (week: the one after ``current``'s; for a bare Dose, ``len(history) + 2``).

    Raises:
        InvalidInput: a bad argument, or a log without both sides of a one-leg exercise.
    """
    policy = _policy(policy)
    deload = False
    resume: Dose | None = None
    if isinstance(current, Slot):
        dose, week = current.dose, current.week
        own_rung: Rung | None = Rung(exercise=current.exercise, variation=current.variation)
        own_role: Role | None = current.role
        deload = current.deload
        resume = getattr(current, "resume", None)
    elif isinstance(current, Step):
        dose, week, own_rung, own_role = current.dose, current.week, current.rung, None
        deload, resume = current.deload, current.resume
    elif isinstance(current, Dose):
        dose, week, own_rung, own_role = current, len(tuple(history)) + 1, None, None
    else:
        raise InvalidInput(f"'current' must be a Dose, a Slot or a Step (got {current!r})", field="current")
    if rung is None:
        rung = own_rung
    if rung is None:
        if dose.load_kg > 0:
            raise InvalidInput(
                "'rung' is needed for a loaded dose, to know the variation and its cap"
                f" (got a dose of {dose})",
                field="rung",
            )
        rung = Rung(exercise=SLHT)
    rung = _rung(rung)
    role = _role(role if role is not None else own_role if own_role is not None else Role.FINISHER)
    if athlete is not None and not isinstance(athlete, Athlete):
        raise InvalidInput(f"'athlete' must be an Athlete (got {athlete!r})", field="athlete")
    if isinstance(performed, Performed | str) or not isinstance(performed, Iterable):
        raise InvalidInput(
            f"'performed' must be a sequence of Performed (got {performed!r})", field="performed"
        )
    sets = tuple(performed)
    for i, p in enumerate(sets):
        if not isinstance(p, Performed):
            raise InvalidInput(f"'performed[{i}]' must be a Performed (got {p!r})", field="performed")
    if not sets:
        raise InvalidInput("'performed' is empty: log the sets that were done, both sides", field="performed")
    if CATALOG[rung.exercise].unilateral:
        done = {p.side for p in sets}
        missing = [s.value for s in Side if s not in done]
        if missing:
            raise InvalidInput(
                f"'performed' has no sets for the {missing[0]} side: log both sides of a one-leg exercise"
                f" (got {len(sets)} set(s))",
                field="performed",
            )
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
    log = Log(
        performed=sets,
        history=tuple(past),
        role=role,
        rung=rung,
        kit=None if kit is None else _kit(kit),
        bodyweight_kg=None if athlete is None else athlete.bodyweight_kg,
        week=week,
        deload=deload,
        resume=resume,
        policy=policy,
    )
    return _advance(dose, log)


def match_effort(
    dose: Dose, from_rung: Rung, to_rung: Rung, *, athlete: Athlete, policy: Policy | None = None
) -> tuple[Dose, Reason]:
    """The dose on an easier variation the kit forces, with reps, pause, then tempo raised to keep the effort.

    The workload (:func:`workload`) of the result comes as close to the original's as the caps allow, without
    going far over it: the levers rise one step at a time until the work matches.
    """
    if not isinstance(dose, Dose):
        raise InvalidInput(f"'dose' must be a Dose (got {dose!r})", field="dose")
    from_rung = _rung(from_rung, "from_rung")
    to_rung = _rung(to_rung, "to_rung")
    if not isinstance(athlete, Athlete):
        raise InvalidInput(f"'athlete' must be an Athlete (got {athlete!r})", field="athlete")
    policy = _policy(policy)
    new = _matched_dose(dose, from_rung, to_rung, athlete, policy)
    return new, _matched_reason(dose, new, from_rung, to_rung, athlete, policy)


def _matched_dose(dose: Dose, from_rung: Rung, to_rung: Rung, athlete: Athlete, policy: Policy) -> Dose:
    """:func:`match_effort`'s dose, from checked arguments."""
    bodyweight = athlete.bodyweight_kg or policy.reference_bodyweight_kg
    var = CATALOG.variation(to_rung)
    load = 0.0
    if var.is_loaded:
        step = _step_kg(var, policy)
        load = _kg(min(dose.load_kg, math.floor(var.load_cap_kg(bodyweight) / step + _EPS) * step))
    target = workload_of(dose, bodyweight)
    new = _evolve(dose, load_kg=load)
    if from_rung == to_rung or workload_of(new, bodyweight) >= target - _EPS:
        return new
    top = max(policy.reps.high, dose.reps)
    # Reps first: the fewest more reps (up to the top of the range) that bring the work up to the target.
    # The work grows in step with the reps, so the count is worked out, then checked with the same sums the
    # one-rep-at-a-time loop would make.
    per_rep = new.sets * new.seconds_per_rep * (1 + new.load_kg / bodyweight)
    reps = min(top, max(new.reps, math.ceil((target - _EPS) / per_rep)))

    def short(r: int) -> bool:
        return new.sets * r * new.seconds_per_rep * (1 + new.load_kg / bodyweight) < target - _EPS

    while reps > new.reps and not short(reps - 1):
        reps -= 1
    while reps < top and short(reps):
        reps += 1
    if reps != new.reps:
        new = _evolve(new, reps=reps)
    while workload_of(new, bodyweight) < target - _EPS:
        if new.reps < top:
            new = _evolve(new, reps=new.reps + 1)
            continue
        pause = min(policy.pause.max_s, new.pause_s + policy.pause.step_s)
        if pause > new.pause_s + _EPS and policy.tempo.allows(_evolve(new, pause_s=pause)):
            new = _evolve(new, pause_s=pause)
            continue
        lower = min(policy.tempo.max_s, new.lower_s + policy.tempo.step_s)
        if lower > new.lower_s + _EPS and policy.tempo.allows(_evolve(new, lower_s=lower)):
            new = _evolve(new, lower_s=lower)
            continue
        break
    return new


@functools.cache
def _lacking(from_rung: Rung, to_rung: Rung) -> str:
    """The start of a match's reason: what the kit lacks, and which variation stands in (the same every week)."""
    var = CATALOG.variation(to_rung)
    missing = ", ".join(
        sorted(e.value.replace("_", " ") for e in var.needs ^ CATALOG.variation(from_rung).needs)
    )
    lacking = f"no {missing} here" if missing else "a lighter variation here"
    return f"{lacking[0].upper()}{lacking[1:]}: {var.name.lower()} instead of {from_rung.variation}"


def _matched_reason(
    dose: Dose, new: Dose, from_rung: Rung, to_rung: Rung, athlete: Athlete, policy: Policy
) -> Reason:
    """:func:`match_effort`'s reason for turning ``dose`` into ``new``, from checked arguments."""
    var = CATALOG.variation(to_rung)
    if from_rung == to_rung:
        return _reason("match_effort", f"{var.name} at {new}: the same effort as planned.")
    bodyweight = athlete.bodyweight_kg or policy.reference_bodyweight_kg
    target = workload_of(dose, bodyweight)
    if workload_of(_evolve(dose, load_kg=new.load_kg), bodyweight) >= target - _EPS:
        return _reason("match_effort", f"{var.name} at {new}: the same effort as planned.")
    close = (
        "to keep the effort close"
        if workload_of(new, bodyweight) >= target - _EPS
        else "as close as the caps go"
    )
    text = f"{_lacking(from_rung, to_rung)} ({dose}), so {new} {close}."
    if athlete.bodyweight_kg is None and dose.load_kg > 0:
        ref = _fmt(policy.reference_bodyweight_kg)
        text += f" (No bodyweight given: effort worked out for a {ref} kg athlete.)"
    return _reason("match_effort", text)


# ----------------------------------------------------------------------------------------------------------
# Invariant checks
# ----------------------------------------------------------------------------------------------------------


def _dose_of(item: object, index: int) -> tuple[Dose, Rung | None, bool | None]:
    if isinstance(item, Step):
        return item.dose, item.rung, item.deload
    if isinstance(item, Change):
        return item.dose, item.rung, item.deload
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
) -> list[Violation]:
    """Every broken invariant of a sequence of doses (week by week, or session by session); empty means fine.

    Checks, against ``policy`` (the defaults when None):

    * caps: reps, sets, pause, lowering, the 10-second rep, and the load cap of the rung's variation (of any
      variation when the rung is unknown) for ``bodyweight_kg`` (else the policy's reference bodyweight); a
      figure already over its cap is reported where it first goes over, or grows further;
    * step sizes: at most one lever rises per step (reps, pause, lowering, sets or load), and by no more than
      its rule's step: reps by ``reps.step``, pause and lowering by their ``step_s``, sets by ``sets.step``,
      load by ``load.max_fraction`` of the load or one kit step, whichever is more;
    * growth: the workload grows by at most ``growth.max_growth`` (or one rep a set) over the week before, or,
      after a deload (a Step marked so, or for bare doses any lighter week), over the last week before it;
    * deloads: a deload Step is lighter than the week before it, and Steps go no more than ``deload.every``
      weeks without one (the fixed cycle gives ``every`` - 1 full weeks; a cycle week right after a deload for
      missed targets is skipped, which stretches it by one);
    * warm-up (``role``): no load, within the warm-up's sets and reps, reps in reserve at least
      ``warm_up.rir``, and nothing grows from one dose to the next.

    Both sides always get the same dose (one Dose serves both legs), so there is no side to check here.
    """
    policy = _policy(policy)
    role = _role(role)
    if rung is not None:
        rung = _rung(rung)
    if bodyweight_kg is not None and (
        isinstance(bodyweight_kg, bool)
        or not isinstance(bodyweight_kg, int | float)
        or not 20 <= bodyweight_kg <= 300
    ):
        raise InvalidInput(
            f"'bodyweight_kg' must be a number from 20 to 300 (got {bodyweight_kg!r})", field="bodyweight_kg"
        )
    if isinstance(doses_or_steps, str | bytes | Dose | Step) or not isinstance(doses_or_steps, Iterable):
        raise InvalidInput(
            f"'doses_or_steps' must be a sequence of Dose or Step (got {doses_or_steps!r})",
            field="doses_or_steps",
        )
    items = [_dose_of(item, i) for i, item in enumerate(doses_or_steps)]
    bodyweight = float(bodyweight_kg) if bodyweight_kg is not None else policy.reference_bodyweight_kg
    found: list[Violation] = []

    def flag(rule: str, index: int, message: str) -> None:
        found.append(Violation(rule=rule, index=index, message=message))

    any_cap = max(var.load_cap_kg(bodyweight) for var in _all_variations())
    any_step = max(var.load_step_kg for var in _all_variations())
    warm = role is Role.WARM_UP
    lighter_weeks: list[bool] = []  # deload weeks (for bare doses: any week lighter than the one before)
    run = 1 if items and items[0][2] is False else 0  # full weeks since the last deload
    for i, (dose, own_rung, deload) in enumerate(items):
        prev = items[i - 1][0] if i else None
        the_rung = own_rung or rung
        var = CATALOG.variation(the_rung) if the_rung is not None else None
        cap = var.load_cap_kg(bodyweight) if var is not None else any_cap
        is_deload = (
            bool(deload) if deload is not None else (prev is not None and _lighter(dose, prev, bodyweight))
        )
        lighter_weeks.append(is_deload)
        limits = {
            "cap.reps": policy.warm_up.max_reps if warm else policy.reps.high,
            "cap.sets": policy.warm_up.max_sets if warm else policy.sets.max,
            "cap.pause": policy.warm_up.pause_s if warm else policy.pause.max_s,
            "cap.tempo": policy.tempo.max_s,
            "cap.rep_time": policy.tempo.max_rep_s,
            "cap.load": 0.0 if warm else cap,
        }
        for rule, limit in limits.items():
            value = _figure(rule, dose)
            if value <= limit + _EPS:
                continue
            if (
                prev is not None
                and _figure(rule, prev) > limit + _EPS
                and value <= _figure(rule, prev) + _EPS
            ):
                continue  # already over at the item before, and not growing: reported there
            flag(
                rule, i, f"{_fmt(round(value, 3))} {_UNITS[rule]} is over the cap of {_fmt(round(limit, 3))}"
            )
        if warm and (dose.rir is None or dose.rir < policy.warm_up.rir):
            flag(
                "warm_up.rir",
                i,
                f"a warm-up must stop {policy.warm_up.rir}+ reps short of failure (rir {dose.rir})",
            )
        if prev is None:
            continue
        if warm:
            found.extend(_step_violations(i, prev, dose, policy, var, any_step, warm=True))
            continue
        # Steps and growth are measured from the week before; after a lighter week, from the last full week.
        base = i - 1
        if lighter_weeks[i - 1]:
            base = next((j for j in range(i - 2, -1, -1) if not lighter_weeks[j]), i - 1)
        before = items[base][0]
        found.extend(_step_violations(i, before, dose, policy, var, any_step, warm=False))
        if deload and not _lighter(dose, prev, bodyweight):
            flag("deload.lighter", i, f"a deload week ({dose}) must be lighter than the week before ({prev})")
        if not is_deload and not policy.growth.allows(before, dose, bodyweight, policy.reps.step):
            growth = workload_of(dose, bodyweight) / workload_of(before, bodyweight) - 1
            flag(
                "growth",
                i,
                f"the workload grows {100 * growth:.1f} % over {before}, more than the"
                f" {round(100 * policy.growth.max_growth)} % cap",
            )
        if deload is not None and policy.deload.every is not None:
            # A dose already as light as a deload would make it (one set of one rep) cannot have a lighter week.
            floor = workload_of(lighten(prev, policy.deload), bodyweight) >= workload_of(prev, bodyweight)
            run = 0 if deload or floor else run + 1
            if run > policy.deload.every:
                flag(
                    "deload.cadence",
                    i,
                    f"{run} weeks in a row without a lighter week (one in every {policy.deload.every})",
                )
    return found


_UNITS = {
    "cap.reps": "reps a side",
    "cap.sets": "sets a side",
    "cap.pause": "s pause",
    "cap.tempo": "s lowering",
    "cap.rep_time": "s a rep",
    "cap.load": "kg",
}


def _figure(rule: str, dose: Dose) -> float:
    return {
        "cap.reps": float(dose.reps),
        "cap.sets": float(dose.sets),
        "cap.pause": dose.pause_s,
        "cap.tempo": dose.lower_s,
        "cap.rep_time": dose.seconds_per_rep,
        "cap.load": dose.load_kg,
    }[rule]


def _lighter(dose: Dose, prev: Dose, bodyweight: float) -> bool:
    return workload_of(dose, bodyweight) < workload_of(prev, bodyweight) - _EPS


def _all_variations() -> list[Variation]:
    return [var for ex in CATALOG.exercises for var in ex.allowed_variations]


def _step_violations(
    i: int, prev: Dose, dose: Dose, policy: Policy, var: Variation | None, any_step: float, warm: bool
) -> list[Violation]:
    found: list[Violation] = []
    kit_step = policy.load.step_kg or (var.load_step_kg if var is not None and var.is_loaded else any_step)
    load_limit = max(policy.load.max_fraction * prev.load_kg, kit_step)
    rises = [
        ("step.reps", dose.reps - prev.reps, policy.reps.step, "reps a side"),
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
                    message=(
                        f"+{_fmt(round(delta, 3))} {unit} in one step,"
                        f" more than the rule's {_fmt(round(limit, 3))}"
                    ),
                )
            )
    if len(grown) > 1:
        found.append(
            Violation(
                rule="step.one_lever",
                index=i,
                message=(
                    f"{' and '.join(n.removeprefix('step.') for n in grown)} rose together;"
                    " one lever at a time"
                ),
            )
        )
    return found
