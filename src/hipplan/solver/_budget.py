"""The budget of one call: steps (search nodes, local assignments, transitions) and, optionally, seconds."""

from __future__ import annotations

import math
import time

from ..errors import BudgetExceeded

_CHUNK = 4096
"""How many steps a loop counts on its own between two looks at the budget (and at the clock)."""


class _Budget:
    """Counts the steps of one call and, past the limit of steps or of time, ends it with a message saying what
    was explored."""

    __slots__ = ("deadline", "limit", "local", "nodes", "seconds", "transitions", "used")

    def __init__(self, limit: int, seconds: float | None = None) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"'budget' must be a positive int (got {limit!r})")
        if seconds is not None and (
            isinstance(seconds, bool)
            or not isinstance(seconds, int | float)
            or not math.isfinite(seconds)
            or seconds <= 0
        ):
            raise ValueError(f"'time_limit' must be a positive number of seconds or None (got {seconds!r})")
        self.limit = limit
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.used = 0
        self.nodes = 0
        self.local = 0
        self.transitions = 0

    def room(self) -> int:
        """How many steps a loop may count on its own before it hands them over (and the clock is read)."""
        return min(self.limit - self.used, _CHUNK)

    def spend(self, nodes: int = 0, local: int = 0, transitions: int = 0) -> None:
        self.nodes += nodes
        self.local += local
        self.transitions += transitions
        self.used += nodes + local + transitions
        if self.used > self.limit:
            raise BudgetExceeded(
                f"the search used up its budget of {self.limit} steps before finishing: it explored"
                f" {self.nodes} search nodes, {self.local} local (per-stage) assignments and"
                f" {self.transitions} transitions between stages; raise the budget or simplify the problem",
                explored=self.used,
            )
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExceeded(
                f"the search ran past its time limit of {self.seconds:g} s before finishing: it explored"
                f" {self.nodes} search nodes, {self.local} local (per-stage) assignments and"
                f" {self.transitions} transitions between stages; allow more time or simplify the problem",
                explored=self.used,
            )
