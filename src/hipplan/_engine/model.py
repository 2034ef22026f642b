"""The planning model shared by constraints and the planner: one cell per (week, session), each with its options.

A cell's value is ``None`` (no slot) or a ``(role, variation id)`` pair; :class:`Option` holds what that pair means
in that cell (the rung, the dose, the minutes it takes).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, NamedTuple

import attrs

from ..athlete import Athlete, Session
from ..dose import Dose
from ..exercises import Rung
from ..plan import Reason, hour_of
from ..solver import Problem
from ..state import State
from ..vocabulary import Equipment, Role

if TYPE_CHECKING:
    from .verdicts import Verdicts

Value = tuple[Role, str] | None
"""What a cell can take: no slot, or a role with a variation id."""

HARD_ROLES = frozenset(role for role in Role if role.is_hard)
"""The roles :attr:`Role.is_hard` calls hard, as a set: rules test cell values against it many times a plan."""


def cost_table(costs: dict[tuple[Role, str], float]) -> Callable[[Value], float]:
    """A cost function of one cell's value, read from ``costs`` (0 for a value it does not name, and for no slot)."""

    def cost(value: Value) -> float:
        return costs.get(value, 0.0) if value is not None else 0.0

    return cost


def is_hard(value: Value) -> bool:
    """Whether a cell's value is a hard exposure (:attr:`~hipplan.Role.is_hard`): what recovery and hard-work
    rules count."""
    return value is not None and value[0] in HARD_ROLES


@attrs.frozen(kw_only=True)
class SlotFacts:
    """What a one-slot rule judges: who, where, which role, which rung, which dose."""

    athlete: Athlete
    session: Session
    kit: frozenset[Equipment]
    week: int
    role: Role
    rung: Rung
    dose: Dose


class Option(NamedTuple):
    """One way to fill a cell: the role, the rung (exercise and variation), the dose, and its cost in time.

    A named tuple rather than a frozen attrs class: the planner makes one per role, variation and week, and a
    tuple is several times quicker to make.
    """

    role: Role
    rung: Rung
    target: Rung
    """The rung the progression has reached for this role in this week; ``rung`` may be easier if the kit is short."""
    dose: Dose
    minutes: float
    """Minutes the slot takes with the default set-up and side-switch times (see ``slot_minutes``)."""
    deload: bool = False
    resume: Dose | None = None
    """For a deload week, the dose to come back to the week after."""
    reasons: tuple[Reason, ...] = ()
    """The progression's reasons for the target's dose."""
    matched_from: Dose | None = None
    """For an easier variation, the target's dose its own was matched to (the reason is written with the slot)."""
    state: State | None = None
    """The role's progression state before this exposure (what the slot hands to ``progress()``)."""


@attrs.define(kw_only=True, eq=False)
class Cell:
    """One session of one week and what it could host."""

    week: int
    session: Session
    kit: frozenset[Equipment]
    label: str = ""
    """The week's label when the week was overridden (``"travel week"``)."""
    options: dict[tuple[Role, str], Option] = attrs.field(factory=dict)
    shape: Hashable = None
    """Equal for cells of the same session offering the same rungs: what one-slot rules judge apart from the dose
    and the week (``None``: the cell is its own shape)."""
    doses: Hashable = None
    """Equal for cells of the same shape whose options prescribe the same doses (``None``: the cell's own)."""
    allowed: tuple[tuple[Role, str], ...] | None = None
    """The options every one-slot rule allows, when the model was built with them pruned in advance."""
    var: tuple[int, str] = attrs.field(init=False)
    """The solver variable's name: the week and the session's name."""
    hour: int = attrs.field(init=False)
    """Hours from the start of week 1 to the start of this session's day."""

    def __attrs_post_init__(self) -> None:
        if self.shape is None:
            self.shape = ("cell", id(self))
        if self.doses is None:
            self.doses = ("cell", id(self))
        self.var = (self.week, self.session.name)
        self.hour = hour_of(self.week, self.session.weekday)

    @property
    def where(self) -> str:
        """The cell in words: ``week 3, Sat home (travel week)``."""
        tail = f" ({self.label})" if self.label else ""
        return f"week {self.week}, {self.session.name}{tail}"

    @property
    def values(self) -> Sequence[tuple[Role, str]]:
        """The options the solver may choose here besides no slot (the allowed ones, when pruned)."""
        return tuple(self.options) if self.allowed is None else self.allowed

    def domain(self) -> tuple[Value, ...]:
        """The solver domain: the options (the allowed ones, when pruned) in a stable order, then no slot."""
        return (*self.values, None)


@attrs.define(kw_only=True, eq=False)
class Model:
    """Everything a constraint needs to post itself: the athlete, the cells by week, and the solver problem."""

    athlete: Athlete
    weeks: int
    cells: list[Cell]
    problem: Problem
    by_week: dict[int, list[Cell]] = attrs.field(factory=dict)
    verdicts: Verdicts | None = None
    """The one-slot rules' verdicts on every option, once worked out (see ``hipplan._planning``)."""
    _facts: dict[tuple[int, Value], SlotFacts] = attrs.field(factory=dict, init=False)

    def __attrs_post_init__(self) -> None:
        for cell in self.cells:
            self.by_week.setdefault(cell.week, []).append(cell)

    def facts(self, cell: Cell, value: tuple[Role, str]) -> SlotFacts:
        """What a one-slot rule judges about one option of one cell (built once per model)."""
        key = (id(cell), value)
        found = self._facts.get(key)
        if found is None:
            option = cell.options[value]
            found = SlotFacts(
                athlete=self.athlete,
                session=cell.session,
                kit=cell.kit,
                week=cell.week,
                role=option.role,
                rung=option.rung,
                dose=option.dose,
            )
            self._facts[key] = found
        return found

    def take_options(self, cells: Sequence[Cell]) -> None:
        """Give each cell the options of its counterpart in ``cells`` (the same weeks and sessions, judged alike
        by every rule: other doses only), so that slots and reasons read the doses of those."""
        for mine, theirs in zip(self.cells, cells, strict=True):
            mine.options = theirs.options
        self._facts.clear()

    def week_cells(self, week: int) -> Sequence[Cell]:
        """The cells of one week, in weekday order (empty for a week off)."""
        return self.by_week.get(week, [])
