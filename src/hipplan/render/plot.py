"""A plot of the workload per week, stacked by role, deload weeks shaded (needs ``hipplan[plot]``).

Workload is :func:`hipplan.progression.workload`: seconds under tension weighted by relative load, per leg.
"""

from __future__ import annotations

from typing import Any

from ..errors import require
from ..plan import Plan, Slot
from ..vocabulary import Role
from . import _common as c

__all__ = ["plot_workload", "slot_workload", "weekly_workload"]


def slot_workload(slot: Slot, bodyweight_kg: float | None) -> float:
    """The workload of one slot, per leg: :func:`hipplan.progression.workload` of its dose."""
    from ..progression import workload

    return workload(slot.dose, bodyweight_kg)


def weekly_workload(plan: Plan) -> dict[Role, list[float]]:
    """Workload per week (index 0 is week 1) for each role the plan uses, in Role order."""
    totals: dict[Role, list[float]] = {}
    for role in Role:
        if any(s.role is role for s in plan.slots):
            totals[role] = [0.0] * plan.weeks
    for slot in plan.slots:
        totals[slot.role][slot.week - 1] += slot_workload(slot, plan.athlete.bodyweight_kg)
    return totals


_COLOURS = {Role.WARM_UP: "#9ecae1", Role.FINISHER: "#3182bd", Role.CIRCUIT: "#fd8d3c"}


def plot_workload(plan: Plan, ax: Any = None) -> Any:
    """Stacked bars of workload per week by role; deload weeks shaded and labelled. Returns the Axes."""
    require("matplotlib", "plot")
    import matplotlib.pyplot as plt

    if ax is None:
        _fig, ax = plt.subplots(figsize=(8, 3.5))
    weeks = list(range(1, plan.weeks + 1))
    bottom = [0.0] * plan.weeks
    for role, values in weekly_workload(plan).items():
        ax.bar(
            weeks,
            values,
            bottom=bottom,
            label=c.ROLE_LABELS[role],
            color=_COLOURS.get(role),
            edgecolor="white",
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    deloads = sorted({w.number for w in c.weeks(plan) if w.deload})
    for i, week in enumerate(deloads):
        ax.axvspan(
            week - 0.5, week + 0.5, color="#d9d9d9", alpha=0.5, zorder=0, label="deload" if i == 0 else None
        )
    ax.set_xticks(weeks)
    ax.set_xlabel("week")
    ax.set_ylabel("workload per leg")
    ax.set_title(c.plan_title(plan))
    if plan.slots:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
        ax.figure.tight_layout()
    return ax
