"""The ``hypothesis`` entry point: makes ``st.from_type(hipplan.Athlete)`` and friends use hipplan's strategies.

Kept cheap: it registers deferred strategies, so nothing of hipplan.strategies is built until a test draws one.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from .athlete import Athlete, Place, Session
    from .catalog import Catalog
    from .dose import Dose, Performed
    from .exercises import Cue, Exercise, Mistake, Rung, Variation
    from .ladder import Ladder
    from .plan import Plan, Reason, Slot, Unplaced, WeekOverride
    from .progression import Change, Engine, Log, Policy, Step, Violation
    from .request import PlanRequest
    from .state import State, WorkingDose
    from .units import Band, Kit

    def lazy(name: str) -> st.SearchStrategy[object]:
        def build() -> st.SearchStrategy[object]:
            from . import strategies

            factory = getattr(strategies, name)
            return factory()  # type: ignore[no-any-return]

        return st.deferred(build)

    for cls, name in [
        (Athlete, "athletes"),
        (Session, "sessions"),
        (Place, "places"),
        (Dose, "doses"),
        (Performed, "performed_sets"),
        (Rung, "rungs"),
        (Plan, "plans"),
        (Policy, "policies"),
        (Log, "performed_logs"),
        (State, "states"),
        (Step, "steps"),
        (WorkingDose, "working_doses"),
        (Slot, "slots"),
        (WeekOverride, "week_overrides"),
        (Exercise, "exercises"),
        (Variation, "variations"),
        (Cue, "cues"),
        (Mistake, "mistakes"),
        (Catalog, "catalogs"),
        (Ladder, "ladders"),
        (Engine, "engines"),
        (PlanRequest, "requests"),
        (Reason, "reasons"),
        (Unplaced, "unplaced"),
        (Change, "changes"),
        (Violation, "violations"),
        (Kit, "load_kits"),
        (Band, "bands"),
    ]:
        st.register_type_strategy(cls, lazy(name))
