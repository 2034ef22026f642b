"""The planner's rules: hard constraints a plan must satisfy and soft preferences it weighs.

Every rule is a small frozen class with three duties:

* ``describe()``: one line in a coach's words, used in explanations and in :class:`~hipplan.Infeasible` messages;
* ``post(model)``: add itself to the constraint problem of a plan (see :mod:`hipplan._engine.model`);
* ``check(plan)``: look at a finished :class:`~hipplan.Plan` on its own and list what breaks the rule (hard rules only),
  so a plan can be verified without trusting the solver's bookkeeping.

Pass instances to ``plan(..., constraints=[...])``. An instance of a built-in rule class (``Exposures(min=2, max=3)``)
replaces that rule's default; anything else is added. See docs/planning.md for writing your own rule.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, ClassVar

import attrs

from . import _validate as v
from ._engine.model import SlotFacts, cost_table, is_hard
from .athlete import WEEKDAYS, Athlete
from .catalog import CATALOG
from .dose import SET_UP_S, SIDE_SWITCH_S, slot_minutes
from .errors import InvalidInput
from .exercises import Rung
from .ladder import default_ladder
from .vocabulary import Equipment, Focus, Goal, Level, Role, counted

if TYPE_CHECKING:
    from ._engine.model import Cell, Model, Option, Value
    from .plan import Plan, Slot

__all__ = [
    "DEFAULT_RULES",
    "MAX_WEIGHT",
    "AvoidRole",
    "AvoidVariation",
    "BuiltInRule",
    "CircuitRule",
    "Exposures",
    "FewerSetups",
    "FinisherRule",
    "ForbidSession",
    "ForbidWeekday",
    "GoalFit",
    "HardWork",
    "HeavyDayEve",
    "KitFits",
    "LadderFit",
    "NoAntiPattern",
    "PreferRole",
    "PreferVariation",
    "PreferredExposures",
    "Recovery",
    "RequireRole",
    "Rule",
    "SameSlot",
    "SlotFacts",
    "SlotPreference",
    "SlotRule",
    "SupportSurface",
    "TimeBudget",
    "WarmUpRule",
    "slot_minutes",
]

_SUPPORTS = Equipment.supports()


def _facts_of_slot(plan: Plan, slot: Slot) -> SlotFacts | str:
    sessions = {s.name: s for s in plan.sessions_for(slot.week)}
    session = sessions.get(slot.session)
    if session is None:
        return f"week {slot.week}: {slot.session!r} is not a session of that week"
    return SlotFacts(
        athlete=plan.athlete,
        session=session,
        kit=plan.athlete.kit(session),
        week=slot.week,
        role=slot.role,
        rung=Rung(exercise=slot.exercise, variation=slot.variation),
        dose=slot.dose,
    )


def _not_both_hard(x: Value, y: Value) -> bool:
    return not (is_hard(x) and is_hard(y))


def _no_hard_work(*values: Value) -> float:
    for x in values:
        if is_hard(x):
            return 0.0
    return 1.0


# The functions below are called for every assignment of a week the solver looks at: kept small and shared.


def _count_within(lo: int, hi: int) -> Callable[..., bool]:
    def within(*values: Value) -> bool:
        return lo <= len(values) - values.count(None) <= hi

    return within


def _count_off(want: int) -> Callable[..., float]:
    def off(*values: Value) -> float:
        return float(abs(len(values) - values.count(None) - want))

    return off


def _changed(x: Value, y: Value) -> float:
    return 0.0 if x == y else 1.0


def _extra_setups(*values: Value) -> float:
    return float(max(len({x[1] for x in values if x is not None}) - 1, 0))


class Rule:
    """Base of every rule. Subclasses are ``@attrs.frozen(kw_only=True)`` and set ``tag`` (the JSON type name)."""

    tag: ClassVar[str] = "rule"
    hard: ClassVar[bool] = True

    @property
    def group(self) -> str:
        """The name this rule goes by in conflicts; one per rule instance."""
        return self.tag

    def describe(self) -> str:
        """One line in a coach's words."""
        raise NotImplementedError

    def way_out(self) -> str:
        """A concrete change that lifts this rule's part in a conflict, in a coach's words (the last lines of an
        :class:`~hipplan.Infeasible` message)."""
        return f"drop or relax this rule ({type(self).__name__}) in constraints=[...]"

    def post(self, model: Model) -> None:
        """Add this rule to the plan's constraint problem."""
        raise NotImplementedError

    def check(self, plan: Plan) -> list[str]:
        """What in a finished plan breaks this rule (nothing for a soft rule)."""
        return []


class SlotRule(Rule):
    """A hard rule that judges one slot at a time: it allows or refuses each option of each cell."""

    def allows(self, facts: SlotFacts) -> bool:
        """Whether this slot is allowed."""
        raise NotImplementedError

    def refusal(self, facts: SlotFacts) -> str:
        """Why this slot is refused, in words."""
        return self.describe()

    def applies_to(self, cell: Cell) -> bool:
        """Whether the rule concerns this cell at all (user rules about one session, say)."""
        return True

    uses_dose: ClassVar[bool] = True
    """Whether ``allows`` looks at the dose; rules that do not are judged once per session and option."""
    uses_week: ClassVar[bool] = True
    """Whether ``allows`` or ``applies_to`` looks at the week number; rules that do not judge each session's
    options once for all the weeks that offer the same ones."""
    requires_slot: ClassVar[bool] = False
    """Whether the rule can also refuse *no slot* (which ``allows`` never sees), so it must always be posted."""

    def refused(self, model: Model) -> Iterator[tuple[Cell, frozenset[tuple[Role, str]]]]:
        """Each cell this rule concerns, with the options it refuses there (possibly none)."""
        # A verdict depends on the session and its options' rungs, and on the dose or the week only for rules
        # that say so: identical weeks are judged once.
        memo: dict[Hashable, frozenset[tuple[Role, str]]] = {}
        for cell in model.cells:
            if not self.applies_to(cell):
                continue
            key = (
                cell.shape,
                cell.doses if self.uses_dose else None,
                cell.week if self.uses_week else None,
            )
            refused = memo.get(key)
            if refused is None:
                refused = memo[key] = frozenset(
                    value for value in cell.options if not self.allows(model.facts(cell, value))
                )
            yield cell, refused

    def post(self, model: Model) -> None:
        said = self.describe()
        for cell, refused in self.refused(model):
            if refused:
                model.problem.require(
                    [cell.var],
                    lambda x, r=refused: x not in r,
                    group=self.group,
                    label=f"{said} ({cell.where})",
                    key=(self.group, refused),
                )

    def check(self, plan: Plan) -> list[str]:
        found = []
        for slot in plan.slots:
            facts = _facts_of_slot(plan, slot)
            if isinstance(facts, str):
                found.append(facts)
            elif not self.allows(facts):
                found.append(f"week {slot.week}, {slot.session}: {self.refusal(facts)}")
        return found


def _needs_support(rung: Rung) -> bool:
    return rung.exercise in CATALOG and CATALOG[rung.exercise].needs_support


# --- hard rules about one slot -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SupportSurface(SlotRule):
    """The exercise needs something to lean the upper back on, unless it is a floor regression."""

    tag: ClassVar[str] = "support"
    uses_dose: ClassVar[bool] = False
    uses_week: ClassVar[bool] = False

    def describe(self) -> str:
        return "a hip thrust needs a bench, box or couch to lean on"

    def way_out(self) -> str:
        return (
            "add a bench, box or couch to a session's equipment, or start the athlete on a floor bridge"
            " (Athlete(rung=Rung(exercise='single-leg-glute-bridge', variation='bodyweight')))"
        )

    def allows(self, facts: SlotFacts) -> bool:
        return not _needs_support(facts.rung) or bool(facts.kit & _SUPPORTS)

    def refusal(self, facts: SlotFacts) -> str:
        return f"{facts.session.name} has no bench, box or couch to lean on"


@attrs.frozen(kw_only=True)
class KitFits(SlotRule):
    """The variation's equipment must be in the session's kit."""

    tag: ClassVar[str] = "kit"
    uses_dose: ClassVar[bool] = False
    uses_week: ClassVar[bool] = False

    def describe(self) -> str:
        return "a loaded variation needs its equipment in the session"

    def way_out(self) -> str:
        return "add the kit the variation needs to the session, or start the athlete on a variation that kit allows"

    def allows(self, facts: SlotFacts) -> bool:
        if facts.rung.exercise not in CATALOG:
            return False
        return CATALOG.variation(facts.rung).needs <= facts.kit

    def refusal(self, facts: SlotFacts) -> str:
        needs = CATALOG.variation(facts.rung).needs - facts.kit if facts.rung.exercise in CATALOG else set()
        missing = ", ".join(sorted(e.value for e in needs)) or "its equipment"
        return (
            f"the {facts.rung.variation} variation needs {missing}, which {facts.session.name} does not have"
        )


@attrs.frozen(kw_only=True)
class NoAntiPattern(SlotRule):
    """A mini band around both thighs is never prescribed."""

    tag: ClassVar[str] = "anti-pattern"
    uses_dose: ClassVar[bool] = False
    uses_week: ClassVar[bool] = False

    def describe(self) -> str:
        return "a mini band around the thighs is never prescribed: it limits hip extension and adds nothing"

    def way_out(self) -> str:
        return "choose another variation: this one stays out of every plan"

    def allows(self, facts: SlotFacts) -> bool:
        if facts.rung.exercise not in CATALOG:
            return False
        return not CATALOG.variation(facts.rung).forbidden


@attrs.frozen(kw_only=True)
class WarmUpRule(SlotRule):
    """Warm-up slots: experienced athletes only, on a lower or full-body day with squats or deadlifts, bodyweight."""

    tag: ClassVar[str] = "warm-up"
    uses_dose: ClassVar[bool] = False  # the load it checks follows from the variation in a planner's options
    uses_week: ClassVar[bool] = False
    min_level: Level = attrs.field(default=Level.ADVANCED, converter=v.level, validator=v.one_of(Level))

    def describe(self) -> str:
        return (
            f"a warm-up is for {self.min_level.value} lifters, before squats or deadlifts on a lower-body or"
            " full-body day, and stays bodyweight"
        )

    def way_out(self) -> str:
        return (
            "ask for a warm-up only before squats or deadlifts on a lower-body or full-body day, or lower the"
            f" level it needs (WarmUpRule(min_level=...), now {self.min_level.value})"
        )

    def allows(self, facts: SlotFacts) -> bool:
        if facts.role is not Role.WARM_UP:
            return True
        return (
            facts.athlete.level.rank >= self.min_level.rank
            and facts.session.focus in Role.WARM_UP.focuses
            and facts.session.has_heavy_lower
            and facts.dose.load_kg == 0
            and facts.rung.variation == "bodyweight"
        )

    def refusal(self, facts: SlotFacts) -> str:
        if facts.athlete.level.rank < self.min_level.rank:
            return f"warm-up slots are for {self.min_level.value} lifters; this athlete is {facts.athlete.level.value}"
        if facts.session.focus not in Role.WARM_UP.focuses or not facts.session.has_heavy_lower:
            return f"{facts.session.name} has no squat or deadlift on a lower-body or full-body day to warm up for"
        return "a warm-up stays bodyweight"


@attrs.frozen(kw_only=True)
class FinisherRule(SlotRule):
    """Finisher slots: at the end of a lower-body or full-body day."""

    tag: ClassVar[str] = "finisher"
    uses_dose: ClassVar[bool] = False
    uses_week: ClassVar[bool] = False

    def describe(self) -> str:
        return "a finisher closes a lower-body or full-body day"

    def way_out(self) -> str:
        return "ask for a finisher on a lower-body or full-body day"

    def allows(self, facts: SlotFacts) -> bool:
        return facts.role is not Role.FINISHER or facts.session.focus in Role.FINISHER.focuses

    def refusal(self, facts: SlotFacts) -> str:
        focus = facts.session.focus.words
        article = "an" if focus[0] in "aeiou" else "a"
        return f"{facts.session.name} is {article} {focus} day, not a lower-body or full-body day"


@attrs.frozen(kw_only=True)
class CircuitRule(SlotRule):
    """Circuit slots: only in a circuit session; bodyweight unless the circuit's kit has a load."""

    tag: ClassVar[str] = "circuit"
    uses_dose: ClassVar[bool] = False  # the load it checks follows from the variation in a planner's options
    uses_week: ClassVar[bool] = False

    def describe(self) -> str:
        return "a circuit slot belongs in a circuit session, bodyweight unless its kit has a load"

    def way_out(self) -> str:
        return "ask for a circuit slot in a circuit session (Session(focus='circuit'))"

    def allows(self, facts: SlotFacts) -> bool:
        if facts.role is not Role.CIRCUIT:
            return True
        if facts.session.focus is not Focus.CIRCUIT:
            return False
        return facts.dose.load_kg == 0 or bool(CATALOG.variation(facts.rung).needs & facts.kit)

    def refusal(self, facts: SlotFacts) -> str:
        return f"{facts.session.name} is not a circuit session"


@attrs.frozen(kw_only=True)
class TimeBudget(SlotRule):
    """A slot must fit in the minutes the session has left, when the session gives minutes."""

    tag: ClassVar[str] = "time"
    uses_dose: ClassVar[bool] = True
    uses_week: ClassVar[bool] = False
    set_up_s: float = attrs.field(default=SET_UP_S, validator=v.number(ge=0, le=900))
    side_switch_s: float = attrs.field(default=SIDE_SWITCH_S, validator=v.number(ge=0, le=900))

    def describe(self) -> str:
        return "the slot must fit in the minutes the session has left"

    def way_out(self) -> str:
        return "give the session more minutes (Session(minutes=...)), or leave its minutes out"

    def minutes(self, facts: SlotFacts) -> float:
        """Minutes this slot takes."""
        exercise = CATALOG.get(facts.rung.exercise, None)
        unilateral = exercise.unilateral if exercise else True
        switch = CATALOG.variation(facts.rung).switch_sides if exercise else False
        return slot_minutes(
            facts.dose,
            unilateral=unilateral,
            switch_sides=switch,
            set_up_s=self.set_up_s,
            side_switch_s=self.side_switch_s,
        )

    def applies_to(self, cell: Cell) -> bool:
        return cell.session.minutes is not None

    def allows(self, facts: SlotFacts) -> bool:
        return facts.session.minutes is None or self.minutes(facts) <= facts.session.minutes

    def refused(self, model: Model) -> Iterator[tuple[Cell, frozenset[tuple[Role, str]]]]:
        # Doses change from week to week, so this rule cannot judge a week once for all: it compares each option's
        # minutes (worked out once per option; the planner's own when the timings are the defaults) instead.
        if type(self).allows is not TimeBudget.allows or type(self).minutes is not TimeBudget.minutes:
            yield from super().refused(model)
            return
        defaults = self.set_up_s == SET_UP_S and self.side_switch_s == SIDE_SWITCH_S
        taken: dict[int, float] = {}
        for cell in model.cells:
            limit = cell.session.minutes
            if limit is None:
                continue
            out = []
            for value, option in cell.options.items():
                minutes = taken.get(id(option))
                if minutes is None:
                    minutes = taken[id(option)] = (
                        option.minutes if defaults else self.minutes(model.facts(cell, value))
                    )
                if minutes > limit:
                    out.append(value)
            yield cell, frozenset(out)

    def refusal(self, facts: SlotFacts) -> str:
        return (
            f"the slot takes {self.minutes(facts):g} min but {facts.session.name} has only"
            f" {facts.session.minutes} min left"
        )


def _weeks_field() -> frozenset[int]:
    return attrs.field(default=frozenset(), converter=v.to_frozenset, validator=v.members(int))


def _in_weeks(weeks: frozenset[int], week: int) -> bool:
    return not weeks or week in weeks


def _weeks_text(weeks: frozenset[int]) -> str:
    return (
        ""
        if not weeks
        else " in week" + ("s " if len(weeks) > 1 else " ") + ", ".join(map(str, sorted(weeks)))
    )


@attrs.frozen(kw_only=True)
class ForbidSession(SlotRule):
    """User rule: no slot in this session (in the given weeks, or every week)."""

    tag: ClassVar[str] = "forbid-session"
    uses_dose: ClassVar[bool] = False
    uses_week: ClassVar[bool] = True
    session: str = attrs.field(validator=v.text())
    weeks: frozenset[int] = _weeks_field()

    @property
    def group(self) -> str:
        return f"{self.tag}:{self.session}"

    def describe(self) -> str:
        return f"no hip thrusts in {self.session}{_weeks_text(self.weeks)} (your rule)"

    def way_out(self) -> str:
        return f"drop your rule ForbidSession(session={self.session!r}), or limit it to fewer weeks"

    def applies_to(self, cell: Cell) -> bool:
        return cell.session.name == self.session and _in_weeks(self.weeks, cell.week)

    def allows(self, facts: SlotFacts) -> bool:
        return facts.session.name != self.session or not _in_weeks(self.weeks, facts.week)


@attrs.frozen(kw_only=True)
class ForbidWeekday(SlotRule):
    """User rule: no slot on this weekday (0 Monday to 6 Sunday)."""

    tag: ClassVar[str] = "forbid-weekday"
    uses_dose: ClassVar[bool] = False
    uses_week: ClassVar[bool] = True
    weekday: int = attrs.field(validator=v.integer(ge=0, le=6))
    weeks: frozenset[int] = _weeks_field()

    @property
    def group(self) -> str:
        return f"{self.tag}:{self.weekday}"

    def describe(self) -> str:
        return f"no hip thrusts on {WEEKDAYS[self.weekday]}{_weeks_text(self.weeks)} (your rule)"

    def way_out(self) -> str:
        return f"drop your rule ForbidWeekday(weekday={self.weekday}), or limit it to fewer weeks"

    def applies_to(self, cell: Cell) -> bool:
        return cell.session.weekday == self.weekday and _in_weeks(self.weeks, cell.week)

    def allows(self, facts: SlotFacts) -> bool:
        return facts.session.weekday != self.weekday or not _in_weeks(self.weeks, facts.week)


@attrs.frozen(kw_only=True)
class RequireRole(SlotRule):
    """User rule: this session must hold a slot in this role (in the given weeks, or every week it appears)."""

    tag: ClassVar[str] = "require-role"
    requires_slot: ClassVar[bool] = True
    uses_dose: ClassVar[bool] = False
    uses_week: ClassVar[bool] = True
    session: str = attrs.field(validator=v.text())
    role: Role = attrs.field(converter=v.role, validator=v.one_of(Role))
    weeks: frozenset[int] = _weeks_field()

    @property
    def group(self) -> str:
        return f"{self.tag}:{self.session}:{self.role.value}"

    def describe(self) -> str:
        return f"{self.session} must have a {self.role.value.replace('_', '-')}{_weeks_text(self.weeks)} (your rule)"

    def way_out(self) -> str:
        return (
            f"drop your rule RequireRole(session={self.session!r}, role={self.role.value!r}), or ask for a role"
            " that session can hold"
        )

    def applies_to(self, cell: Cell) -> bool:
        return cell.session.name == self.session and _in_weeks(self.weeks, cell.week)

    def allows(self, facts: SlotFacts) -> bool:
        return (
            facts.role is self.role
            or facts.session.name != self.session
            or not _in_weeks(self.weeks, facts.week)
        )

    def post(self, model: Model) -> None:
        said = self.describe()
        for cell in model.cells:
            if self.applies_to(cell):
                allowed = frozenset(val for val in cell.options if val[0] is self.role)
                model.problem.require(
                    [cell.var],
                    lambda x, a=allowed: x in a,
                    group=self.group,
                    label=f"{said} ({cell.where})",
                    key=(self.group, allowed),
                )

    def check(self, plan: Plan) -> list[str]:
        found = super().check(plan)
        for week in range(1, plan.weeks + 1):
            if not _in_weeks(self.weeks, week):
                continue
            if any(s.name == self.session for s in plan.sessions_for(week)) and not any(
                slot.session == self.session and slot.role is self.role for slot in plan.week(week)
            ):
                found.append(f"week {week}, {self.session}: no {self.role.value} slot")
        return found


# --- hard rules over several slots ---------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Exposures(Rule):
    """How many slots a week may have; a week without sessions is a week off and is exempt."""

    tag: ClassVar[str] = "exposures"
    min: int = attrs.field(default=1, validator=v.integer(ge=0, le=14))
    max: int = attrs.field(default=3, validator=v.integer(ge=1, le=14))

    def __attrs_post_init__(self) -> None:
        if self.min > self.max:
            raise InvalidInput(f"'min' must be <= 'max' (got min={self.min}, max={self.max})", field="min")

    def describe(self) -> str:
        if self.min == self.max:
            return f"exactly {counted(self.min, 'hip-thrust slot')} a week"
        return f"between {self.min} and {self.max} hip-thrust slots a week"

    def way_out(self) -> str:
        return (
            "add a session that can hold a hip thrust (a lower-body, full-body or circuit day with something to"
            f" lean on), or allow weeks without one (Exposures(min=0, max={self.max}))"
        )

    def post(self, model: Model) -> None:
        said = self.describe()
        lo, hi = self.min, self.max
        within = _count_within(lo, hi)
        for week in range(1, model.weeks + 1):
            cells = model.week_cells(week)
            if not cells:
                continue
            n = len(cells)
            if lo == 0 and hi >= n:
                continue
            model.problem.require(
                [c.var for c in cells],
                within,
                group=self.group,
                label=f"{said} (week {week})",
                key=(self.group, lo, hi, n),
                symmetric=True,
            )

    def check(self, plan: Plan) -> list[str]:
        found = []
        for week in range(1, plan.weeks + 1):
            if not plan.sessions_for(week):
                continue
            count = len(plan.week(week))
            if not self.min <= count <= self.max:
                found.append(
                    f"week {week}: {counted(count, 'slot')}, the rule asks for {self.min} to {self.max}"
                )
        return found


@attrs.frozen(kw_only=True)
class Recovery(Rule):
    """Hard exposures (finisher, circuit) at least ``hours`` apart; warm-ups are light and exempt."""

    tag: ClassVar[str] = "recovery"
    hours: int = attrs.field(default=48, validator=v.integer(ge=0, le=168))

    def describe(self) -> str:
        return f"at least {self.hours} h between hard glute sessions (finishers and circuits)"

    def way_out(self) -> str:
        return (
            f"put the hard sessions at least {self.hours} h apart, or shorten the rest (Recovery(hours=24))"
            if self.hours > 24
            else "put the hard sessions further apart, or ask for fewer slots a week (Exposures(max=...))"
        )

    def pairs(self, cells: Sequence[Cell]) -> Iterator[tuple[Cell, Cell]]:
        """The pairs of cells that are closer than the rule allows."""
        ordered = sorted(cells, key=lambda c: (c.hour, c.var))
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if b.hour - a.hour >= self.hours:
                    break
                yield a, b

    def post(self, model: Model) -> None:
        said = self.describe()
        # Only cells that can hold a hard slot can break the rule. Whether one can depends on its shape and, when
        # pruned, on its allowed options (tuples shared between cells and alive as long as the model).
        hard: dict[Hashable, bool] = {}
        cells = []
        for x in model.cells:
            key = (x.shape, id(x.allowed))
            found = hard.get(key)
            if found is None:
                found = hard[key] = any(is_hard(val) for val in x.values)
            if found:
                cells.append(x)
        for a, b in self.pairs(cells):
            model.problem.require(
                [a.var, b.var],
                _not_both_hard,
                group=self.group,
                label=f"{said} ({a.where} and {b.where})",
                key=(self.group,),
            )

    def check(self, plan: Plan) -> list[str]:
        hard = sorted((s.hour, s.week, s.session) for s in plan.slots if s.role.is_hard)
        return [
            f"week {wa}, {sa} and week {wb}, {sb}: hard sessions only {hb - ha} h apart"
            for (ha, wa, sa), (hb, wb, sb) in itertools.combinations(hard, 2)
            if hb - ha < self.hours
        ]


# --- soft preferences ----------------------------------------------------------------------------------------------

MAX_WEIGHT = 1_000_000.0
"""The largest weight a soft rule takes. A plan's score adds the weighted costs of every slot of up to 520 weeks;
with weights up to this bound the sum stays a finite number (a weight of 1e308 would make it infinite).
A weight of a million already outweighs every built-in preference together."""


class SoftRule(Rule):
    """A preference: it never makes a plan impossible, it only makes some plans better."""

    hard: ClassVar[bool] = False


class SlotPreference(SoftRule):
    """A soft rule that prices each option of a cell on its own (a role, a variation), whatever the other cells
    hold: ``cost(model, cell, option)`` is all a subclass writes. The planner posts the built-in ones together,
    one cost per cell (see ``hipplan._engine.costs``)."""

    weight: float

    def cost(self, model: Model, cell: Cell, option: Option) -> float:
        raise NotImplementedError

    def costs(self, model: Model, cell: Cell) -> dict[tuple[Role, str], float]:
        """The cost of every option of a cell (what ``cost`` gives for each)."""
        return {val: self.cost(model, cell, opt) for val, opt in cell.options.items()}

    def post(self, model: Model) -> None:
        said = self.describe()
        # Costs depend on the session and its options, not on the week: work them out once per shape.
        memo: dict[Hashable, tuple[Callable[[Value], float] | None, Hashable]] = {}
        for cell in model.cells:
            found = memo.get(cell.shape)
            if found is None:
                costs = {val: c for val, c in self.costs(model, cell).items() if c}
                # The key says what the costs are, in the cell's own (stable) order of options.
                found = memo[cell.shape] = (
                    cost_table(costs) if costs else None,
                    (self.group, tuple(costs.items())),
                )
            cost, key = found
            if cost is not None:
                model.problem.prefer(
                    [cell.var],
                    cost,
                    weight=self.weight,
                    group=self.group,
                    label=said,
                    key=key,
                )


@attrs.frozen(kw_only=True)
class PreferredExposures(SoftRule):
    """Aim for a number of slots a week (the athlete's ``exposures_per_week``, else ``count``)."""

    tag: ClassVar[str] = "preferred-exposures"
    count: int | None = attrs.field(default=None, validator=v.optional(v.integer(ge=0, le=14)))
    default: int = attrs.field(default=2, validator=v.integer(ge=0, le=14))
    weight: float = attrs.field(default=3.0, validator=v.number(ge=0, le=MAX_WEIGHT))

    def target(self, athlete: Athlete) -> int:
        """The number of slots a week to aim for."""
        if self.count is not None:
            return self.count
        return athlete.exposures_per_week if athlete.exposures_per_week is not None else self.default

    def describe(self) -> str:
        return "aim for the preferred number of slots a week"

    def post(self, model: Model) -> None:
        said = self.describe()
        want = self.target(model.athlete)
        off = _count_off(want)
        for week in range(1, model.weeks + 1):
            cells = model.week_cells(week)
            if cells:
                model.problem.prefer(
                    [c.var for c in cells],
                    off,
                    weight=self.weight,
                    group=self.group,
                    label=said,
                    key=(self.group, want, len(cells)),
                    symmetric=True,
                )


@attrs.frozen(kw_only=True)
class SameSlot(SoftRule):
    """Keep the same slot in the same session from week to week: easier to progress and to log."""

    tag: ClassVar[str] = "same-slot"
    weight: float = attrs.field(default=2.0, validator=v.number(ge=0, le=MAX_WEIGHT))

    def describe(self) -> str:
        return "keep the same slot from week to week"

    def post(self, model: Model) -> None:
        said = self.describe()
        for week in range(1, model.weeks):
            following = {c.session.name: c for c in model.week_cells(week + 1)}
            for cell in model.week_cells(week):
                nxt = following.get(cell.session.name)
                if nxt is not None and (cell.values or nxt.values):
                    model.problem.prefer(
                        [cell.var, nxt.var],
                        _changed,
                        weight=self.weight,
                        group=self.group,
                        label=said,
                        key=(self.group,),
                    )


@attrs.frozen(kw_only=True)
class FewerSetups(SoftRule):
    """Fewer different set-ups in a week: each extra variation costs set-up time and attention."""

    tag: ClassVar[str] = "fewer-setups"
    weight: float = attrs.field(default=1.0, validator=v.number(ge=0, le=MAX_WEIGHT))

    def describe(self) -> str:
        return "use as few different set-ups in a week as will do"

    def post(self, model: Model) -> None:
        said = self.describe()
        for week in range(1, model.weeks + 1):
            cells = model.week_cells(week)
            if len(cells) > 1:
                model.problem.prefer(
                    [c.var for c in cells],
                    _extra_setups,
                    weight=self.weight,
                    group=self.group,
                    label=said,
                    key=(self.group, len(cells)),
                    symmetric=True,
                )


@attrs.frozen(kw_only=True)
class HardWork(SoftRule):
    """A week should hold at least one hard exposure (a finisher or a circuit): warm-ups alone carry no overload."""

    tag: ClassVar[str] = "hard-work"
    weight: float = attrs.field(default=3.0, validator=v.number(ge=0, le=MAX_WEIGHT))

    def describe(self) -> str:
        return "at least one finisher or circuit a week: that is where the overload happens"

    def post(self, model: Model) -> None:
        said = self.describe()
        hard: dict[Hashable, bool] = {}
        for week in range(1, model.weeks + 1):
            # Judged on every option, allowed or not: a week where no hard slot fits still falls short of this.
            cells = []
            for x in model.week_cells(week):
                found = hard.get(x.shape)
                if found is None:
                    found = hard[x.shape] = any(is_hard(val) for val in x.options)
                if found:
                    cells.append(x)
            if cells:
                model.problem.prefer(
                    [x.var for x in cells],
                    _no_hard_work,
                    weight=self.weight,
                    group=self.group,
                    label=said,
                    key=(self.group, len(cells)),
                    symmetric=True,
                )


_GOAL_COSTS: dict[Goal, dict[Role, float]] = {
    Goal.GENERAL: {},
    Goal.STRENGTH: {Role.FINISHER: 0.5, Role.CIRCUIT: 1.0},
    Goal.HYPERTROPHY: {Role.WARM_UP: 1.0, Role.CIRCUIT: 0.5},
}


@attrs.frozen(kw_only=True)
class GoalFit(SlotPreference):
    """Roles that serve the athlete's goal and stated preferences come first.

    Strength: warm-ups that prime the heavy lifts; hypertrophy: finishers that carry volume; general: no lean.
    """

    tag: ClassVar[str] = "goal-fit"
    weight: float = attrs.field(default=1.0, validator=v.number(ge=0, le=MAX_WEIGHT))

    def describe(self) -> str:
        return "roles that suit the athlete's goal and preferences"

    def cost(self, model: Model, cell: Cell, option: Option) -> float:
        athlete = model.athlete
        cost = _GOAL_COSTS[athlete.goal].get(option.role, 0.0)
        if athlete.prefer_roles and option.role not in athlete.prefer_roles:
            cost += 1.0
        return cost


@attrs.frozen(kw_only=True)
class LadderFit(SlotPreference):
    """Use the athlete's own rung where the kit allows; an easier variation only when the kit is short.

    Also steers away from variations the athlete asked to avoid.
    """

    tag: ClassVar[str] = "ladder-fit"
    weight: float = attrs.field(default=2.0, validator=v.number(ge=0, le=MAX_WEIGHT))
    avoid_weight: float = attrs.field(default=3.0, validator=v.number(ge=0, le=MAX_WEIGHT))

    def describe(self) -> str:
        return "train at the athlete's own place on the ladder, avoiding what they asked to avoid"

    def cost(self, model: Model, cell: Cell, option: Option) -> float:
        # The gap counts from the best variation this session's kit allows for the role, so a session that can
        # only host bodyweight work is not penalised for it; only a needless step down costs.
        fitting = [
            self._gap(other)
            for (role, _), other in cell.options.items()
            if role is option.role and CATALOG.variation(other.rung).needs <= cell.kit
        ]
        gap = max(self._gap(option) - min(fitting, default=0.0), 0.0)
        if option.rung.variation in model.athlete.avoid_variations:
            gap += self.avoid_weight / max(self.weight, 1e-9)
        return gap

    def costs(self, model: Model, cell: Cell) -> dict[tuple[Role, str], float]:
        # The same as cost() for each option, with each role's best fitting gap found once.
        gaps = {val: self._gap(opt) for val, opt in cell.options.items()}
        best: dict[Role, float] = {}
        for val, opt in cell.options.items():
            if CATALOG.variation(opt.rung).needs <= cell.kit:
                best[val[0]] = min(best.get(val[0], gaps[val]), gaps[val])
        avoid = model.athlete.avoid_variations
        extra = self.avoid_weight / max(self.weight, 1e-9)
        return {
            val: max(gap - best.get(val[0], 0.0), 0.0) + (extra if val[1] in avoid else 0.0)
            for val, gap in gaps.items()
        }

    @staticmethod
    def _gap(option: Option) -> float:
        if option.rung == option.target:
            return 0.0
        ladder = default_ladder()
        a, b = ladder.rank(option.target), ladder.rank(option.rung)
        return float(abs(a[0] - b[0]) * 5 + abs(a[1] - b[1]))


def _hard_cost(value: Value) -> float:
    return 1.0 if is_hard(value) else 0.0


@attrs.frozen(kw_only=True)
class HeavyDayEve(SoftRule):
    """Rather no hard exposure (a finisher or a circuit) on the day before a heavy squat or deadlift day.

    Heavy squats and deadlifts load the glutes and hamstrings this exercise works, and the usual advice (ACSM)
    is to train the same muscles on non-consecutive days; a warm-up is light and never counts. The day before
    is judged on the calendar: a session 24 h before one with a squat or a deadlift, in the same week or, for a
    Sunday, on the Monday of the next week of the plan (the usual week repeats). The plan's last Sunday has no
    next Monday in the plan and is not judged; a week changed by an override is judged with its own sessions
    and its neighbours' (a week off has none).

    Each hard slot on such a day costs ``weight``, 1 by default: the weight of the light nudges
    (:class:`GoalFit`, one extra set-up in :class:`FewerSetups`). It loses to everything that shapes the week:
    a coach's :class:`RequireRole` (a hard rule), the preferred number of slots and a week's hard work
    (:class:`PreferredExposures` and :class:`HardWork`, 3 per slot missed), a steady slot from week to week
    (:class:`SameSlot`, 2), the athlete's own rung (:class:`LadderFit`, 2 per step down) and the athlete's own
    wishes (2). So it only chooses between placements that are otherwise about as good, and always breaks a
    tie. Not a :class:`SlotPreference`: its cost depends on the neighbouring days, not only on the cell's shape.
    """

    tag: ClassVar[str] = "heavy-day-eve"
    weight: float = attrs.field(default=1.0, validator=v.number(ge=0, le=MAX_WEIGHT))

    def describe(self) -> str:
        return "no finisher or circuit the day before heavy squats or deadlifts, where the week allows"

    def eves(self, model: Model) -> list[Cell]:
        """The cells on the day before a session with a squat or a deadlift, in plan order."""
        heavy: dict[int, bool] = {}
        days: set[int] = set()
        for cell in model.cells:
            session = cell.session
            found = heavy.get(id(session))
            if found is None:
                found = heavy[id(session)] = session.has_heavy_lower
            if found:
                days.add(cell.hour)
        return [cell for cell in model.cells if cell.hour + 24 in days] if days else []

    def post(self, model: Model) -> None:
        said = self.describe()
        # One shared cost function (hard roles cost 1) on every cell of such a day that can hold a hard slot, with
        # one key object (the solver recognises a table it has made by the key's identity first).
        key = (self.group,)
        hard: dict[Hashable, bool] = {}
        for cell in self.eves(model):
            kind = (cell.shape, id(cell.allowed))
            found = hard.get(kind)
            if found is None:
                found = hard[kind] = any(is_hard(val) for val in cell.values)
            if found:
                model.problem.prefer(
                    [cell.var],
                    _hard_cost,
                    weight=self.weight,
                    group=self.group,
                    label=said,
                    key=key,
                )


class _Wish(SlotPreference):
    """A user's soft wish about slots that match something: ``prefer`` (others cost) or avoid (matches cost)."""

    prefer: ClassVar[bool]
    weight: float

    def subject(self) -> str:
        """What the wish is about, in words and as the group's suffix."""
        raise NotImplementedError

    def matches(self, option: Option) -> bool:
        """Whether an option is what the wish is about."""
        raise NotImplementedError

    @property
    def group(self) -> str:
        return f"{self.tag}:{self.subject()}"

    def cost(self, model: Model, cell: Cell, option: Option) -> float:
        return 0.0 if self.matches(option) is self.prefer else 1.0


class _RoleWish(_Wish):
    role: Role

    def subject(self) -> str:
        return self.role.value

    def describe(self) -> str:
        verb = "prefer" if self.prefer else "avoid"
        return f"{verb} {self.role.value.replace('_', '-')} slots (your preference)"

    def matches(self, option: Option) -> bool:
        return option.role is self.role


class _VariationWish(_Wish):
    variation: str

    def subject(self) -> str:
        return self.variation

    def describe(self) -> str:
        verb = "prefer" if self.prefer else "avoid"
        return f"{verb} the {self.variation} variation (your preference)"

    def matches(self, option: Option) -> bool:
        return option.rung.variation == self.variation


@attrs.frozen(kw_only=True)
class PreferRole(_RoleWish):
    """User preference: slots in this role are better (others cost ``weight``)."""

    tag: ClassVar[str] = "prefer-role"
    prefer: ClassVar[bool] = True
    role: Role = attrs.field(converter=v.role, validator=v.one_of(Role))
    weight: float = attrs.field(default=2.0, validator=v.number(ge=0, le=MAX_WEIGHT))


@attrs.frozen(kw_only=True)
class AvoidRole(_RoleWish):
    """User preference: slots in this role cost ``weight`` each."""

    tag: ClassVar[str] = "avoid-role"
    prefer: ClassVar[bool] = False
    role: Role = attrs.field(converter=v.role, validator=v.one_of(Role))
    weight: float = attrs.field(default=2.0, validator=v.number(ge=0, le=MAX_WEIGHT))


@attrs.frozen(kw_only=True)
class PreferVariation(_VariationWish):
    """User preference: slots with this variation are better (others cost ``weight``)."""

    tag: ClassVar[str] = "prefer-variation"
    prefer: ClassVar[bool] = True
    variation: str = attrs.field(validator=v.text())
    weight: float = attrs.field(default=2.0, validator=v.number(ge=0, le=MAX_WEIGHT))


@attrs.frozen(kw_only=True)
class AvoidVariation(_VariationWish):
    """User preference: slots with this variation cost ``weight`` each."""

    tag: ClassVar[str] = "avoid-variation"
    prefer: ClassVar[bool] = False
    variation: str = attrs.field(validator=v.text())
    weight: float = attrs.field(default=2.0, validator=v.number(ge=0, le=MAX_WEIGHT))


DEFAULT_RULES: tuple[Rule, ...] = (
    SupportSurface(),
    KitFits(),
    NoAntiPattern(),
    WarmUpRule(),
    FinisherRule(),
    CircuitRule(),
    TimeBudget(),
    Exposures(),
    Recovery(),
    PreferredExposures(),
    SameSlot(),
    HardWork(),
    FewerSetups(),
    GoalFit(),
    LadderFit(),
    HeavyDayEve(),
)
"""The rules every plan follows unless replaced by an instance of the same class."""

BUILT_IN_TYPES: tuple[type[Rule], ...] = tuple(type(r) for r in DEFAULT_RULES)
USER_TYPES: tuple[type[Rule], ...] = (
    ForbidSession,
    ForbidWeekday,
    RequireRole,
    PreferRole,
    AvoidRole,
    PreferVariation,
    AvoidVariation,
)


BuiltInRule = (
    SupportSurface
    | KitFits
    | NoAntiPattern
    | WarmUpRule
    | FinisherRule
    | CircuitRule
    | TimeBudget
    | Exposures
    | Recovery
    | PreferredExposures
    | SameSlot
    | HardWork
    | FewerSetups
    | GoalFit
    | LadderFit
    | HeavyDayEve
    | ForbidSession
    | ForbidWeekday
    | RequireRole
    | PreferRole
    | AvoidRole
    | PreferVariation
    | AvoidVariation
)
"""Every built-in rule class; in JSON and TOML each is an object with a ``"type"`` key (its ``tag``)."""


def _close(word: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_names(
    rules: Sequence[Rule], sessions_by_week: Sequence[Sequence[str]], usual: Sequence[str] = ()
) -> None:
    """Refuse a user's rule that names nothing in the plan, which would otherwise be silently ignored.

    ``sessions_by_week`` holds the session names of each week of the plan, from week 1, and ``usual`` those of
    the usual week (which every week may have changed). A rule's ``session`` must be a session of the plan (held in each of its own ``weeks`` when it names weeks), its ``weeks`` must be
    weeks of the plan, and its ``variation`` a variation the catalogue prescribes. The error names the rule, the
    field, the value and what exists, with the closest name when one is near.
    """
    weeks = len(sessions_by_week)
    variations = sorted({var.id for ex in CATALOG.values() for var in ex.allowed_variations})
    known = sorted({*usual, *(name for names in sessions_by_week for name in names)})
    for i, rule in enumerate(rules):
        where, kind = f"constraints[{i}]", type(rule).__name__
        named_weeks = getattr(rule, "weeks", None)
        if isinstance(named_weeks, frozenset):
            outside = sorted(w for w in named_weeks if not 1 <= w <= weeks)
            if outside:
                raise InvalidInput(
                    f"'{where}.weeks': {kind} names week {outside[0]}, but the plan has weeks 1 to {weeks}",
                    field=f"{where}.weeks",
                )
        session = getattr(rule, "session", None)
        if isinstance(session, str):
            if session not in known:
                listed = ", ".join(map(repr, known)) if known else "none"
                raise InvalidInput(
                    f"'{where}.session': {kind} names a session that is not in the plan (got {session!r}; the"
                    f" sessions are {listed}){_close(session, known)}",
                    field=f"{where}.session",
                )
            missing = [w for w in sorted(named_weeks or ()) if session not in sessions_by_week[w - 1]]
            if missing:
                held = sessions_by_week[missing[0] - 1]
                there = ", ".join(map(repr, held)) if held else "none: it is a week off"
                raise InvalidInput(
                    f"'{where}.weeks': {kind}(session={session!r}) names week {missing[0]}, which has no"
                    f" {session!r} session (its sessions: {there})",
                    field=f"{where}.weeks",
                )
        variation = getattr(rule, "variation", None)
        if isinstance(variation, str) and variation not in variations:
            raise InvalidInput(
                f"'{where}.variation': {kind} names no variation the catalogue prescribes (got {variation!r};"
                f" the variations are {', '.join(variations)}){_close(variation, variations)}",
                field=f"{where}.variation",
            )


def effective_rules(extra: Iterable[Rule]) -> tuple[Rule, ...]:
    """The default rules with user instances of built-in classes replacing their defaults, then the user's others."""
    extra = tuple(extra)
    for i, rule in enumerate(extra):
        if not isinstance(rule, Rule):
            raise InvalidInput(
                f"'constraints[{i}]' must be a hipplan constraint such as Exposures(...) (got {rule!r})",
                field="constraints",
            )
    replaced = {type(r) for r in extra if type(r) in BUILT_IN_TYPES}
    kept = tuple(r for r in DEFAULT_RULES if type(r) not in replaced)
    return kept + extra
