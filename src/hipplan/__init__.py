"""hipplan: plan single-leg hip thrusts into real training weeks, with a reason for every choice.

The public API lives here; see the README and docs/ for a tour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .athlete import WEEKDAYS, Athlete, Place, Session
from .catalog import CATALOG, Catalog
from .dose import Dose, Performed
from .errors import BudgetExceeded, Conflict, HipplanError, Infeasible, InvalidInput, MissingExtra
from .exercises import Cue, Exercise, Mistake, Rung, Variation
from .ladder import Ladder, default_ladder
from .plan import Plan, Reason, Slot, Unplaced, WeekOverride
from .planner import check_plan, plan
from .serialization import SCHEMA_VERSION, from_json, from_toml, to_json
from .state import State, WorkingDose
from .units import Band, Kit, lb, rack
from .vocabulary import Equipment, EquipmentKind, Focus, Goal, Level, Lift, Role, Side, Unit

if TYPE_CHECKING:
    from .batch import plan_many
    from .progression import (
        Change,
        Engine,
        Log,
        Policy,
        Step,
        Violation,
        check_progression,
        match_effort,
        progress,
        project,
        starting_dose,
        workload,
    )
    from .request import PlanRequest, load_request
    from .schema import json_schema

# The progression rules, plan requests, batches and schemas are imported on first use (as the planner's internals
# are): together they would double the time `import hipplan` takes, and an app that only reads JSON does not need them.
_LAZY = {
    "Change": "progression",
    "Engine": "progression",
    "Log": "progression",
    "Policy": "progression",
    "Step": "progression",
    "Violation": "progression",
    "check_progression": "progression",
    "match_effort": "progression",
    "progress": "progression",
    "project": "progression",
    "starting_dose": "progression",
    "workload": "progression",
    "PlanRequest": "request",
    "load_request": "request",
    "json_schema": "schema",
    "plan_many": "batch",
}


def __getattr__(name: str) -> Any:
    # __version__ is read from the package metadata on first use: importlib.metadata is slow to import.
    if name == "__version__":
        from importlib.metadata import version

        return version("hipplan")
    module = _LAZY.get(name)
    if module is not None:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hipplan' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "CATALOG",
    "SCHEMA_VERSION",
    "WEEKDAYS",
    "Athlete",
    "Band",
    "BudgetExceeded",
    "Catalog",
    "Change",
    "Conflict",
    "Cue",
    "Dose",
    "Engine",
    "Equipment",
    "EquipmentKind",
    "Exercise",
    "Focus",
    "Goal",
    "HipplanError",
    "Infeasible",
    "InvalidInput",
    "Kit",
    "Ladder",
    "Level",
    "Lift",
    "Log",
    "MissingExtra",
    "Mistake",
    "Performed",
    "Place",
    "Plan",
    "PlanRequest",
    "Policy",
    "Reason",
    "Role",
    "Rung",
    "Session",
    "Side",
    "Slot",
    "State",
    "Step",
    "Unit",
    "Unplaced",
    "Variation",
    "Violation",
    "WeekOverride",
    "WorkingDose",
    "check_plan",
    "check_progression",
    "default_ladder",
    "from_json",
    "from_toml",
    "json_schema",
    "lb",
    "load_request",
    "match_effort",
    "plan",
    "plan_many",
    "progress",
    "project",
    "rack",
    "starting_dose",
    "to_json",
    "workload",
]
