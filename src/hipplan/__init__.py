"""hipplan: plan single-leg hip thrusts into real training weeks, with a reason for every choice.

The public API lives here; see the README and docs/ for a tour.
"""

from __future__ import annotations

from .athlete import WEEKDAYS, Athlete, Place, Session
from .catalog import CATALOG, Catalog
from .dose import Dose, Performed
from .errors import BudgetExceeded, Conflict, HipplanError, Infeasible, InvalidInput, MissingExtra
from .exercises import Cue, Exercise, Mistake, Rung, Variation
from .ladder import Ladder, default_ladder
from .plan import Plan, Reason, Slot, Unplaced, WeekOverride
from .serialization import SCHEMA_VERSION, from_json, from_toml, to_json
from .vocabulary import Equipment, EquipmentKind, Focus, Goal, Level, Lift, Role, Side, Unit


def __getattr__(name: str) -> str:
    # __version__ is read from the package metadata on first use: importlib.metadata is slow to import.
    if name == "__version__":
        from importlib.metadata import version

        return version("hipplan")
    raise AttributeError(f"module 'hipplan' has no attribute {name!r}")


__all__ = [
    "CATALOG",
    "SCHEMA_VERSION",
    "WEEKDAYS",
    "Athlete",
    "BudgetExceeded",
    "Catalog",
    "Conflict",
    "Cue",
    "Dose",
    "Equipment",
    "EquipmentKind",
    "Exercise",
    "Focus",
    "Goal",
    "HipplanError",
    "Infeasible",
    "InvalidInput",
    "Ladder",
    "Level",
    "Lift",
    "MissingExtra",
    "Mistake",
    "Performed",
    "Place",
    "Plan",
    "Reason",
    "Role",
    "Rung",
    "Session",
    "Side",
    "Slot",
    "Unit",
    "Unplaced",
    "Variation",
    "WeekOverride",
    "default_ladder",
    "from_json",
    "from_toml",
    "to_json",
]
