"""The built-in soft rules posted together, as the solver reads them fastest: one engine trick, kept here.

Posted one by one, the three weekly preferences (:class:`~hipplan.constraints.PreferredExposures`,
:class:`~hipplan.constraints.HardWork`, :class:`~hipplan.constraints.FewerSetups`) are three functions the
solver calls for every assignment of every week, and each one-slot preference one more cost per cell. Posted
together they are one function per week and one cost per cell, with the same sums (see each function for why),
so every plan scores the same. Each rule's own ``post`` stays the definition: a rule out of the expected order,
or posted alone, goes through it, and tests/test_planner.py checks that both ways score every plan alike.

What it buys (``python benchmarks/fused_costs.py``, CPU time, 2026-12-03): the 5-session benchmark week plans
in 16.7 ms instead of 17.9 at 12 weeks and 45.3 instead of 52.5 at 52 (7 % and 16 %); two sessions a day gain
nothing measurable (173 against 171 ms at 4 weeks, 1557 against 1606 at 12).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from ..constraints import FewerSetups, HardWork, PreferredExposures, SlotPreference, SoftRule
from ..vocabulary import Role
from .model import Model, Value, cost_table, is_hard

__all__ = ["WEEKLY", "post_option_costs", "post_weekly_costs"]


def post_option_costs(model: Model, rules: Sequence[SlotPreference]) -> None:
    """Post several one-slot preferences as one soft constraint per cell: each option's weighted costs summed.

    The sums are taken rule by rule in the order given, from 0.0, the order the solver adds up the costs of
    one constraint per rule, so the problem scores every plan the same; it is just smaller to build and read.
    """
    if len(rules) == 1:
        rules[0].post(model)
        return
    if not rules:
        return
    group = "+".join(rule.group for rule in rules)
    said = "; ".join(rule.describe() for rule in rules)
    memo: dict[Hashable, tuple[Callable[[Value], float] | None, Hashable]] = {}
    for cell in model.cells:
        found = memo.get(cell.shape)
        if found is None:
            total: dict[tuple[Role, str], float] = {}
            for rule in rules:
                weight = rule.weight
                for val, cost in rule.costs(model, cell).items():
                    if cost:
                        total[val] = total.get(val, 0.0) + weight * cost
            total = {val: cost for val, cost in total.items() if cost}
            found = memo[cell.shape] = (
                cost_table(total) if total else None,
                (group, tuple(total.items())),
            )
        cost_of, key = found
        if cost_of is not None:
            model.problem.prefer([cell.var], cost_of, weight=1.0, group=group, label=said, key=key)


def _week_cost(
    want: int | None,
    w_pref: float,
    w_hard: float | None,
    w_setups: float,
    features: dict[tuple[Role, str], int],
    most: int,
) -> Callable[..., float]:
    """One week's cost under the preferred count, hard work and set-up rules, added up in that order from the
    first term (``None`` leaves a term out). ``features`` gives each value its bits: bit 0 for a hard role, and
    one bit per variation, so that the week's bits tell whether it holds hard work and how many set-ups.
    ``most`` is the largest number of values it will be called with."""
    # Called for every assignment of a week the solver looks at: one pass over the values, and the sum worked
    # out once per (number of slots, bits), of which a week's many assignments have few.
    feature = features.__getitem__
    shift = most.bit_length()
    sums: dict[int, float] = {}

    def cost(*values: Value) -> float:
        slots = 0
        bits = 0
        for x in values:
            if x is not None:
                slots += 1
                bits |= feature(x)
        key = bits << shift | slots
        found = sums.get(key)
        if found is None:
            total = 0.0
            if want is not None:
                total = w_pref * float(abs(slots - want))
            if w_hard is not None:
                total += w_hard * (0.0 if bits & 1 else 1.0)
            if w_setups:
                total += w_setups * float(max((bits >> 1).bit_count() - 1, 0))
            found = sums[key] = total
        return found

    return cost


def post_weekly_costs(model: Model, rules: Sequence[SoftRule]) -> None:
    """Post the weekly soft rules (:class:`PreferredExposures`, :class:`HardWork`, :class:`FewerSetups`, each
    at most once, in that order) as one soft constraint per week: the sum of what each would cost.

    Each rule posted on its own would read the same cells (hard work only those that can hold a hard slot, but
    the others cannot change its verdict), so every plan costs the same; the solver evaluates one function per
    week instead of three. The terms are added in the rules' order, from the first: with weights that are
    multiples of a power of two, such as the defaults, the sums are exactly the ones the solver would make;
    with others they may differ in the last bit. Rules out of that order are posted one by one.
    """
    kinds = [type(r) for r in rules]
    if len(rules) <= 1 or kinds != sorted(kinds, key=WEEKLY.index) or len(set(kinds)) != len(kinds):
        for rule in rules:
            rule.post(model)
        return
    pref = next((r for r in rules if isinstance(r, PreferredExposures)), None)
    hard = next((r for r in rules if isinstance(r, HardWork)), None)
    setups = next((r for r in rules if isinstance(r, FewerSetups)), None)
    group = "+".join(rule.group for rule in rules)
    said = "; ".join(rule.describe() for rule in rules)
    want = pref.target(model.athlete) if pref is not None else None
    can_be_hard: dict[Hashable, bool] = {}
    functions: dict[tuple[bool, bool], Callable[..., float]] = {}
    # every value a cell can take, with its bits (see _week_cost)
    features: dict[tuple[Role, str], int] = {}
    variations: dict[str, int] = {}
    seen: set[Hashable] = set()
    most = max(len(model.week_cells(week)) for week in range(1, model.weeks + 1))
    for cell in model.cells:
        if cell.shape not in seen:
            seen.add(cell.shape)
            for val in cell.options:
                if val not in features:
                    bit = variations.setdefault(val[1], len(variations))
                    features[val] = (2 << bit) | int(is_hard(val))
    for week in range(1, model.weeks + 1):
        cells = model.week_cells(week)
        if not cells:
            continue
        hard_here = False
        if hard is not None:
            for x in cells:
                found = can_be_hard.get(x.shape)
                if found is None:
                    found = can_be_hard[x.shape] = any(is_hard(val) for val in x.options)
                if found:
                    hard_here = True
                    break
        several = setups is not None and len(cells) > 1
        if want is None and not hard_here and not several:
            continue
        fn = functions.get((hard_here, several))
        if fn is None:
            fn = functions[hard_here, several] = _week_cost(
                want,
                pref.weight if pref is not None else 0.0,
                hard.weight if hard is not None and hard_here else None,
                setups.weight if setups is not None and several else 0.0,
                features,
                most,
            )
        model.problem.prefer(
            [c.var for c in cells],
            fn,
            weight=1.0,
            group=group,
            label=said,
            key=(group, want, hard_here, several, len(cells)),
            symmetric=True,
        )


WEEKLY: list[type[SoftRule]] = [PreferredExposures, HardWork, FewerSetups]
"""The weekly soft rules :func:`post_weekly_costs` can post together, in the order it adds them up."""
