"""Regression tests for issue 14's defects that live in the planner, the rules and the logs.

Each test failed before its fix; the issue's item number is in the test's name.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import pytest

import hipplan as hp
from hipplan.constraints import AvoidRole, PreferRole, SoftRule
from hipplan.example import example_athlete, example_week


def test_item6_sessions_none_is_invalid_input() -> None:
    """plan() with no week at all (None) names the argument instead of raising TypeError."""
    with pytest.raises(hp.InvalidInput, match="'sessions'") as info:
        hp.plan(example_athlete(), None, 2)  # type: ignore[arg-type]
    assert info.value.field == "sessions"


@pytest.mark.parametrize("budget", ["many", -1, 0, 2.5, True, None])
def test_item6_bad_budget_is_invalid_input(budget: Any) -> None:
    """A bad budget is an InvalidInput naming 'budget', never a bare ValueError."""
    with pytest.raises(hp.InvalidInput, match="'budget'"):
        hp.plan(example_athlete(), example_week(), 2, budget=budget)


def test_item6_huge_weights_are_refused_where_given() -> None:
    """A weight beyond the documented maximum is refused on the rule itself, naming 'weight'."""
    with pytest.raises(hp.InvalidInput, match="'weight' must be <= 1e\\+06"):
        PreferRole(role=hp.Role.FINISHER, weight=1e308)
    # Two opposing rules at the maximum still give a plan with a finite score.
    plan = hp.plan(
        example_athlete(),
        example_week(),
        4,
        constraints=[
            PreferRole(role=hp.Role.FINISHER, weight=1e6),
            AvoidRole(role=hp.Role.FINISHER, weight=1e6),
        ],
    )
    assert math.isfinite(plan.score)


@attrs.frozen(kw_only=True)
class _Endless(SoftRule):
    """A user's soft rule whose cost is infinite everywhere."""

    tag = "endless"

    def describe(self) -> str:
        return "an endless cost"

    def post(self, model: Any) -> None:
        for cell in model.cells:
            model.problem.prefer([cell.var], lambda _value: math.inf, group=self.group)


def test_item6_infinite_user_cost_names_the_constraints() -> None:
    """A user's soft rule with an infinite cost gets an InvalidInput about 'constraints', not about 'score'."""
    with pytest.raises(hp.InvalidInput, match="'constraints'") as info:
        hp.plan(example_athlete(), example_week(), 2, constraints=[_Endless()])
    assert "score" not in str(info.value).split(":")[0]
