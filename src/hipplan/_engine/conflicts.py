"""When no plan keeps every hard rule: a minimal set of rules that conflict, the weeks that fail, and ways out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import constraints as c
from ..errors import Conflict, Infeasible
from ..solver import Problem, is_feasible, minimal_conflict
from .inputs import Limit
from .model import Model
from .verdicts import Verdicts


def infeasible(model: Model, rules: Sequence[c.Rule], limit: Limit) -> Infeasible:
    by_group = {r.group: r for r in rules}
    order = {r.group: i for i, r in enumerate(rules)}
    groups = sorted(
        minimal_conflict(model.problem, **limit.solver()), key=lambda g: (order.get(g, len(order)), g)
    )
    failing = _failing_weeks(model, rules, limit)
    conflicts: list[Conflict] = []
    notes: list[str] = []
    for group in groups:
        rule = by_group.get(group)
        text = rule.describe() if rule is not None else group
        where: list[str] = []
        details: list[str] = []
        told: set[str] = set()
        if isinstance(rule, c.SlotRule):
            # Every refused cell is named, with one refusal per session (its first week's): the later weeks'
            # differ only in the dose, which says nothing more.
            for cell in model.cells:
                if failing and cell.week not in failing:
                    continue
                refused = [
                    rule.refusal(model.facts(cell, val))
                    for val in cell.options
                    if rule.applies_to(cell) and not rule.allows(model.facts(cell, val))
                ]
                if refused:
                    where.append(cell.where)
                    if cell.session.name not in told:
                        told.add(cell.session.name)
                        details.append(refused[0])
        else:
            where = [x.where for x in model.cells if not failing or x.week in failing]
        said = [d for d in dict.fromkeys(details) if d != text]
        conflicts.append(Conflict(rule=group, text=text, sessions=where, detail="; ".join(said)))
    # Sessions no role belongs on are not a rule's doing: say so, as they are often the whole story.
    idle = {
        id(x.session): x.session for x in model.cells if not x.options and (not failing or x.week in failing)
    }
    if idle:
        names = ", ".join(session.name for session in idle.values())
        focuses = sorted({session.focus.words for session in idle.values()})
        notes.append(
            f"and {names} cannot hold one: {' and '.join(focuses)} days take no hip thrust (it goes in a"
            " lower-body, full-body or circuit session)"
        )
    ways = [rule.way_out() for rule in (by_group.get(group) for group in groups) if rule is not None]
    if idle:
        ways.insert(0, "make a session a lower-body, full-body or circuit day (Session(focus=...))")
    if not ways:
        ways = ["drop one of these rules from constraints=[...]"]
    if failing:
        labels = {x.week: x.label for x in model.cells}
        named = [f"week {w}" + (f" ({labels[w]})" if labels.get(w) else "") for w in failing]
        head = f"No plan fits {', '.join(named[:6])}{' and more' if len(named) > 6 else ''}"
    else:
        head = "No plan satisfies every rule"
    return Infeasible.of(head, conflicts, list(dict.fromkeys(ways)), notes)


def _failing_weeks(model: Model, rules: Sequence[c.Rule], limit: Limit) -> list[int]:
    """The weeks that cannot be planned even on their own (a week with no support surface, say)."""
    failing: list[int] = []
    verdict: dict[tuple[Any, ...], bool] = {}
    # Two weeks whose sessions fall on the same days and allow the same options under the one-slot rules are
    # equally (in)feasible on their own under the built-in rules: test one of them. A user's own multi-slot rule
    # might read more than that, so then every distinct week is tested.
    known = all(isinstance(r, c.SlotRule | c.Exposures | c.Recovery) for r in rules if r.hard)
    verdicts = (model.verdicts or Verdicts(model, rules)) if known else None
    for week in range(1, model.weeks + 1):
        cells = list(model.week_cells(week))
        if not cells:
            continue
        if verdicts is not None:
            signature: tuple[Any, ...] = tuple(
                (
                    x.session.weekday,
                    frozenset(x.options) - verdicts.refused(x),
                    tuple(verdicts.forced.get(id(x), ())),
                )
                for x in cells
            )
        else:
            signature = tuple((x.session, *x.options.items()) for x in cells)
        if signature not in verdict:
            problem = Problem()
            for cell in cells:
                problem.variable(cell.var, cell.domain(), stage=cell.week)
            sub = Model(athlete=model.athlete, weeks=model.weeks, cells=cells, problem=problem)
            for rule in rules:
                if rule.hard:
                    rule.post(sub)
            verdict[signature] = is_feasible(problem, **limit.solver())
        if not verdict[signature]:
            failing.append(week)
    return failing
