"""The ``hypothesis`` entry point: makes ``st.from_type(hipplan.Athlete)`` and friends use hipplan's strategies.

Kept cheap: it registers deferred strategies, so nothing of hipplan.strategies is built until a test draws one.
"""

from __future__ import annotations


def _hypothesis_setup_hook() -> None:
    from hypothesis import strategies as st

    from .athlete import Athlete, Place, Session
    from .dose import Dose, Performed
    from .exercises import Rung
    from .plan import Plan, Slot, WeekOverride
    from .progression import Log, Policy, Step
    from .state import State, WorkingDose

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
    ]:
        st.register_type_strategy(cls, lazy(name))
