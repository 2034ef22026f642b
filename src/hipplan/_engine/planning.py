"""plan(): check the inputs, build the model, solve, re-place until the doses the solution implies are the ones
posted, and turn the answer into a Plan with its reasons."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Iterable, Mapping
from typing import Any, cast

from .. import constraints as c
from .. import progression as pg
from ..athlete import Athlete, Session
from ..errors import BudgetExceeded
from ..limits import DEFAULT_BUDGET
from ..plan import Plan, Slot, Unplaced, WeekOverride
from ..solver import NoSolution, evaluate, is_feasible, solve
from ..vocabulary import Role
from .cells import (
    Schedule,
    Setup,
    dose_blind,
    equivalent,
    exposures_note,
    guess,
    placed_cells,
    pose,
    posed_model,
    schedule_of,
    setup_plan,
)
from .conflicts import infeasible
from .inputs import Limit, dates_of, limit_of, no_finite_score
from .model import Model, Value
from .wording import notes_of, nothing_to_plan, once, slot_of, why_not

MAX_ROUNDS = 6
"""How many times :func:`plan` may re-solve with corrected doses before it gives up (it settles in one or two)."""


def plan(
    athlete: Athlete,
    sessions: Iterable[Session],
    weeks: int,
    *,
    constraints: Iterable[c.Rule] = (),
    rules: pg.Policy | None = None,
    overrides: Iterable[WeekOverride] | Mapping[int, Iterable[Session]] = (),
    budget: int = DEFAULT_BUDGET,
    time_limit: float | None = None,
    start: dt.date | None = None,
    plan_id: str | None = None,
) -> Plan:
    """The work behind :func:`hipplan.planner.plan`, which documents the arguments and the errors.

    Doses grow by exposure, so a slot's dose depends on how many exposures of its role come before it, which is
    what the solver decides. The plan settles that in rounds: the doses follow a guess of where the exposures
    go (each distinct week planned alone), the solver places the slots, and if it placed a role's exposures
    elsewhere the doses are worked out again for that placement and the problem solved again, until the
    placement the doses assume is the one the solver returns. Then every slot's dose is exactly what
    ``progress()`` gives after the slot before it of the same role, met as prescribed.
    """
    # The inputs are read more than once (again to explain a conflict): iterators become tuples first.
    sessions, constraints = once(sessions), once(constraints)
    if not isinstance(overrides, Mapping):
        overrides = once(overrides)
    limit = limit_of(budget, time_limit)
    setup = setup_plan(athlete, sessions, weeks, constraints=constraints, rules=rules, overrides=overrides)
    dates = dates_of(start, plan_id, setup.weeks)
    schedule = guess(setup)
    model, _ = posed_model(setup, schedule, prune=True)
    blind = dose_blind(setup.rules)
    # Pairs of an answer and the model built for its own placement, where the answer holds: plans whose doses
    # are exactly right, if perhaps not the best (the fallback when rounds do not settle).
    consistent: list[tuple[float, int, Model, Mapping[Any, Value]]] = []
    seen: list[Schedule] = [schedule]
    settled = False
    for round_ in range(MAX_ROUNDS):
        try:
            solution = solve(model.problem, **limit.solver())
        except NoSolution:
            # Explaining needs every rule as a constraint of its own: the same cells, posted again unpruned.
            full = pose(
                model.athlete, model.weeks, model.cells, setup.rules, prune=False, verdicts=model.verdicts
            )
            if is_feasible(full.problem, **limit.solver()):
                # The hard rules agree; only costs that are not finite numbers left no best plan.
                raise no_finite_score(math.inf) from None
            raise infeasible(full, setup.rules, limit) from None
        assignment = cast(Mapping[Any, Value], solution.assignment)
        cost = solution.cost
        solved_for, solved_in = schedule, model
        placed = schedule_of(model, assignment)
        if placed == schedule:
            settled = True
            break
        if consistent and consistent[-1][1] == round_ - 1 and consistent[-1][0] <= cost + 1e-9:
            # The last round's answer holds in this round's model (built for its placement) and is as good as
            # this round's best: it is the plan (equally good plans could otherwise take turns).
            cost, _, model, assignment = consistent[-1]
            settled = True
            break
        # The doses were worked out for other places: work them out for these.
        cells, _ = placed_cells(setup, placed)
        if blind and equivalent(model, cells, setup.rules):
            # Only the one-slot rules read doses, and at these doses they judge every option as before: the
            # problem is the same, and so is its best answer. The slots take these doses.
            model.take_options(cells)
            settled = True
            break
        following = pose(setup.athlete, setup.weeks, cells, setup.rules, prune=True)
        kept = evaluate(following.problem, assignment)
        if kept is not None:
            consistent.append((kept, round_, following, assignment))
        if placed in seen:
            break  # the placements go round in a cycle: more rounds would only repeat it
        seen.append(placed)
        schedule, model = placed, following
    if not settled:
        # No round settled: the best answer whose doses are exactly right for its own placement, among those the
        # rounds met and the one found by settling the last answer week by week.
        in_order = _in_order(setup, solved_for, solved_in, assignment, limit)
        if in_order is not None:
            consistent.append(in_order)
        if not consistent:
            raise BudgetExceeded(
                "the slots' places and their doses did not settle: each placement changed the doses enough to move"
                " the slots again, and settling them week by week broke a rule; please report this week"
            )
        cost, _, model, assignment = min(consistent, key=lambda item: (item[0], item[1]))
    if not math.isfinite(cost):
        raise no_finite_score(cost)
    return _plan_of(setup, model, assignment, cost, rules, dates)


def _in_order(
    setup: Setup, built_for: Schedule, model: Model, assignment: Mapping[Any, Value], limit: Limit
) -> tuple[float, int, Model, Mapping[Any, Value]] | None:
    """An answer whose doses are exactly right for its own placement, found by settling ``assignment`` (solved in
    ``model``, built for the placement ``built_for``) from the first week on; None if a rule cannot be kept that
    way.

    A cell's doses depend only on the exposures before it. So where an answer and the placement its model was
    built for first differ, every cell up to and including that one has the same doses in both models, and the
    answer is right there. Those cells are fixed to the answer's values, the model is built for the answer's
    placement and solved again. Each round fixes at least one more cell, so this ends, at the latest when every
    cell is fixed; it ends sooner when an answer's placement is the one its model was built for.
    """
    fixed: dict[Hashable, Value] = {}
    for round_ in range(len(model.cells) + 1):
        placed = schedule_of(model, assignment)
        before = _roles_by_cell(built_for, len(model.cells))
        answer = _roles_by_cell(placed, len(model.cells))
        differ = next((k for k, (x, y) in enumerate(zip(before, answer, strict=True)) if x != y), None)
        if differ is None:
            cost = evaluate(model.problem, assignment)
            return None if cost is None else (cost, MAX_ROUNDS + round_, model, assignment)
        for cell in model.cells[: differ + 1]:
            fixed[cell.var] = assignment[cell.var]
        cells, _ = placed_cells(setup, placed)
        model = pose(setup.athlete, setup.weeks, cells, setup.rules, prune=True, fixed=fixed)
        built_for = placed
        try:
            solution = solve(model.problem, **limit.solver())
        except NoSolution:
            return None
        assignment = cast(Mapping[Any, Value], solution.assignment)
    return None


def _roles_by_cell(schedule: Schedule, count: int) -> list[Role | None]:
    """The role each cell holds an exposure of under ``schedule`` (None: no exposure)."""
    roles: list[Role | None] = [None] * count
    for role, ks in schedule.items():
        for k in ks:
            roles[k] = role
    return roles


def _plan_of(
    setup: Setup,
    model: Model,
    assignment: Mapping[Any, Value],
    cost: float,
    rules: pg.Policy | None,
    dates: dict[str, Any],
) -> Plan:
    """The Plan of a solved model: a slot with its reasons for each filled cell, the reason for each empty one,
    the deload weeks and the plan's notes."""
    slots: list[Slot] = []
    unplaced: list[Unplaced] = []
    memo: dict[Hashable, Any] = {}
    for cell in model.cells:
        value = assignment[cell.var]
        session = cell.session
        if value is None:
            unplaced.append(
                Unplaced(
                    week=cell.week,
                    session=session.name,
                    weekday=session.weekday,
                    reasons=why_not(model, setup.rules, cell, assignment, memo),
                )
            )
        else:
            slots.append(slot_of(cell, cell.options[value], memo, model.athlete, rules))
    deloads = sorted({slot.week for slot in slots if slot.deload})
    return Plan(
        athlete=model.athlete,
        weeks=model.weeks,
        sessions=setup.week,
        week_overrides=tuple(setup.by_week[w] for w in sorted(setup.by_week)),
        slots=tuple(slots),
        unplaced=tuple(unplaced),
        deload_weeks=tuple(deloads),
        notes=(
            *notes_of(model.athlete, setup.start, deloads, rules),
            *exposures_note(model.athlete, setup.rules),
            *nothing_to_plan(model),
        ),
        score=round(cost, 6),
        **dates,
    )
