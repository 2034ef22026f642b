"""The documented limits of hipplan, each defined once: what ``plan()``, the documents and the strategies accept.

Past a limit, input is an :class:`~hipplan.InvalidInput` naming it; no call runs unbounded.
"""

from __future__ import annotations

__all__ = ["DEFAULT_BUDGET", "MAX_SESSIONS_A_WEEK", "MAX_WEEKS"]

MAX_WEEKS = 520
"""The most weeks a plan may have (ten years): ``plan()``, a plan request, a stored plan, a progression schedule."""

MAX_SESSIONS_A_WEEK = 21
"""Three sessions a day, every day: the most a week may hold (a usual week or a changed one)."""

DEFAULT_BUDGET = 2_000_000
"""Search steps (search nodes, local assignments, transitions) a solver call may take before
:class:`~hipplan.BudgetExceeded` ends it; ``plan(..., budget=)`` changes it."""
