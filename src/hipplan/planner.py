"""plan(): from an athlete and their usual week to a :class:`~hipplan.Plan`, with reasons.

The flow: validate the inputs; project the dose of each role week by week (:mod:`hipplan.progression`);
build one cell per (week, session) whose options are the (role, variation) pairs the ladder allows there;
post every rule of :mod:`hipplan.constraints`; solve (:mod:`hipplan.solver`); turn the answer into slots
with their reasons. When no plan satisfies the hard rules, :class:`~hipplan.Infeasible` names a minimal set
of rules that conflict and where.

The work happens in ``hipplan._engine``, imported on the first call so that ``import hipplan`` stays light.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .athlete import Athlete, Session
from .limits import DEFAULT_BUDGET
from .plan import Plan, WeekOverride

if TYPE_CHECKING:
    import datetime as dt

    from .constraints import Rule
    from .progression import Policy
    from .solver import Problem

__all__ = ["DEFAULT_BUDGET", "build_problem", "check_plan", "plan"]


def plan(
    athlete: Athlete,
    sessions: Iterable[Session],
    weeks: int,
    *,
    constraints: Iterable[Rule] = (),
    rules: Policy | None = None,
    overrides: Iterable[WeekOverride] | Mapping[int, Iterable[Session]] = (),
    budget: int = DEFAULT_BUDGET,
    time_limit: float | None = None,
    start: dt.date | None = None,
    plan_id: str | None = None,
) -> Plan:
    """Plan single-leg hip thrusts into ``weeks`` weeks of the athlete's usual week.

    Args:
        athlete: who the plan is for.
        sessions: the usual week (names unique, weekday 0 Monday to 6 Sunday; at most 21 sessions, three a day).
        weeks: how many weeks to plan (1 to 520).
        constraints: extra rules, or replacements of the defaults (see :mod:`hipplan.constraints`).
        rules: the progression policy (see :class:`hipplan.Policy`); the defaults when None.
        overrides: weeks that differ from the usual one, as :class:`~hipplan.WeekOverride` values or a mapping
            from week number to its sessions (an empty week is a week off).
        budget: search steps each solver call may take before :class:`~hipplan.BudgetExceeded`.
        time_limit: seconds of wall-clock time the whole call may take, or None for no limit. The plan never
            depends on the clock: a call that finishes in time returns what it would without a limit; one that
            does not raises :class:`~hipplan.BudgetExceeded`.
        start: the Monday of week 1 (any date stands for the Monday of its week), or None for a plan without
            dates. The plan keeps it: the views show each session's date, :meth:`Plan.slots_between` finds the
            slots of a date range, and :meth:`Plan.to_ical` needs no date. It never changes the slots.
        plan_id: your name for the plan (an athlete's id in an app), kept in the plan; the calendar event UIDs
            are made from it (see :meth:`Plan.to_ical`). It never changes the slots.

    Raises:
        InvalidInput: a bad argument; the message names it and its value.
        Infeasible: no plan satisfies every hard rule; ``.conflicts`` is a minimal set of conflicting rules.
        BudgetExceeded: the search ran out of steps or of time.

    Doses grow by exposure: each slot's dose is what :func:`hipplan.progress` gives after the slot before it of
    the same role, done as prescribed (a week without that role does not move it on).
    """
    from ._engine.planning import plan as plan_weeks

    return plan_weeks(
        athlete,
        sessions,
        weeks,
        constraints=constraints,
        rules=rules,
        overrides=overrides,
        budget=budget,
        time_limit=time_limit,
        start=start,
        plan_id=plan_id,
    )


def check_plan(plan: Plan, constraints: Iterable[Rule] = (), rules: Policy | None = None) -> list[str]:
    """What in ``plan`` no call of :func:`plan` with these ``constraints`` and progression ``rules`` would have
    made, one line per problem; an empty list when there is nothing (the counterpart of
    :func:`hipplan.check_progression` for the slots).

    Three kinds of problem are listed: the plan's own shape (see :func:`hipplan.serialization.plan_problems`:
    slots inside the weeks and in their sessions, catalogue exercises, the kit and a support at hand, roles that
    fit their sessions, ...); loads the athlete's kit cannot make (:meth:`hipplan.Athlete.load_kit`, or whole
    steps of ``rules.load.step_kg`` when set); then what each hard rule, the defaults with ``constraints`` in
    their place as :func:`plan` takes them, finds broken (each rule's ``check``), prefixed with the rule's group.
    A plan edited by hand, or made with other constraints, is checked against the ones given.

    >>> import hipplan as hp
    >>> from hipplan.example import example_request
    >>> request = example_request()
    >>> made = request.plan()
    >>> hp.check_plan(made, request.constraints)
    []
    >>> hp.check_plan(made, [hp.constraints.Recovery(hours=96)])[0]
    'recovery: week 1, Thu pull and week 1, Sat home: hard sessions only 48 h apart'
    """
    from ._plan_check import plan_problems
    from .constraints import effective_rules

    found = plan_problems(plan)
    found += _unmade_loads(plan, rules)
    for rule in effective_rules(constraints):
        found.extend(f"{rule.group}: {problem}" for problem in rule.check(plan))
    return found


def _unmade_loads(plan: Plan, rules: Policy | None) -> list[str]:
    """A line for each slot whose load the athlete's kit does not make on its variation."""
    from .catalog import CATALOG
    from .errors import InvalidInput
    from .exercises import Rung
    from .progression import makeable_loads
    from .units import show_load

    kit, unit = plan.athlete.load_kit, plan.athlete.unit
    found: list[str] = []
    for i, slot in enumerate(plan.slots):
        load = slot.dose.load_kg
        if not load:
            continue
        try:
            variation = CATALOG.variation(Rung(exercise=slot.exercise, variation=slot.variation))
        except InvalidInput:
            continue  # said by the plan's shape
        made = makeable_loads(variation, kit, policy=rules).nearest(load)
        if made is None or abs(made - load) > 1e-6:
            nearest = f"; the nearest it makes is {show_load(made, unit)}" if made is not None else ""
            found.append(
                f"$.slots[{i}].dose.load_kg: {show_load(load, unit)} is not a load the athlete's kit makes on"
                f" {slot.exercise}/{slot.variation}{nearest}"
            )
    return found


def build_problem(
    athlete: Athlete,
    sessions: Iterable[Session],
    weeks: int,
    *,
    constraints: Iterable[Rule] = (),
    rules: Policy | None = None,
    overrides: Iterable[WeekOverride] | Mapping[int, Iterable[Session]] = (),
    prune: bool = True,
) -> Problem:
    """The constraint problem :func:`plan` solves, for benchmarks or for solving it with another solver.

    With ``prune`` (as :func:`plan` solves it) the one-slot rules have already narrowed the domains; without, they
    are constraints of their own, as :func:`plan` poses the problem to explain a conflict.
    """
    from ._engine.cells import build_model as build

    model = build(
        athlete, sessions, weeks, constraints=constraints, rules=rules, overrides=overrides, prune=prune
    )[0]
    return model.problem
