"""Dense weeks (two sessions a day) plan within the default budget, and plan() changes no process-wide state."""

from __future__ import annotations

import gc
import itertools

import pytest

import hipplan as hp
from hipplan.constraints import Exposures
from hipplan.solver import Problem

E = hp.Equipment
GYM = frozenset({E.BENCH, E.BARBELL, E.LANDMINE, E.DUMBBELL, E.BAND})


def two_a_day() -> list[hp.Session]:
    """Fourteen sessions a week: a lower-body and a full-body session every day, squats and deadlifts in turn."""
    return [
        hp.Session(
            name=f"day {day} {'lower' if k == 0 else 'full'}",
            weekday=day,
            focus=hp.Focus.LOWER if k == 0 else hp.Focus.FULL_BODY,
            lifts={hp.Lift.SQUAT} if (day + k) % 2 == 0 else {hp.Lift.DEADLIFT},
            equipment=GYM,
            minutes=60,
        )
        for day in range(7)
        for k in range(2)
    ]


def _counts_declared_symmetric() -> bool:
    """Whether the weekly count is posted as a symmetric constraint (what makes dense weeks cheap to enumerate)."""
    from hipplan.planner import build_problem

    problem: Problem = build_problem(
        athlete=hp.Athlete(level=hp.Level.ADVANCED), sessions=two_a_day()[:4], weeks=1, prune=True
    )
    return any(c.symmetric for c in problem.constraints if c.group == Exposures().group)


@pytest.mark.xfail(
    not _counts_declared_symmetric(),
    reason="needs the weekly counts posted with symmetric=True (constraints.py change in issue 12's report)",
    strict=True,
)
def test_fourteen_sessions_a_week_for_a_year_plan_within_the_default_budget() -> None:
    """Two sessions a day for 52 weeks plan with the default budget, and the plan keeps the weekly rules."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED, bodyweight_kg=70)
    plan = hp.plan(athlete, two_a_day(), 52)
    assert plan.weeks == 52
    for week in range(1, 53):
        assert 1 <= len(plan.week(week)) <= 3
    hard = sorted(
        ((s.week - 1) * 7 + two_a_day_weekday(s.session)) * 24 for s in plan.slots if s.role.is_hard
    )
    assert all(b - a >= 48 for a, b in itertools.pairwise(hard))


def two_a_day_weekday(name: str) -> int:
    return int(name.split()[1])


def three_a_day() -> list[hp.Session]:
    """Twenty-one sessions a week (the most allowed), every one able to hold a slot: a lower-body, a full-body
    and a second lower-body session every day."""
    focus = (hp.Focus.LOWER, hp.Focus.FULL_BODY, hp.Focus.LOWER)
    return [
        hp.Session(
            name=f"day {day} session {k}",
            weekday=day,
            focus=focus[k],
            lifts={hp.Lift.SQUAT} if (day + k) % 2 == 0 else {hp.Lift.DEADLIFT},
            equipment=GYM,
            minutes=60,
        )
        for day in range(7)
        for k in range(3)
    ]


@pytest.mark.xfail(
    reason="issue 12, open: three lower-body or full-body sessions a day for 52 weeks still use up the default"
    " budget (each solve needs about 2.4 million steps of the 2 million; BudgetExceeded after about 8 s);"
    " strict, so the day it passes this marker must go",
    strict=True,
    raises=hp.BudgetExceeded,
)
def test_twenty_one_sessions_a_week_for_a_year_plan_within_the_default_budget() -> None:
    """Three sessions a day for 52 weeks plan with the default budget, and the plan keeps the weekly rules."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED, bodyweight_kg=70)
    plan = hp.plan(athlete, three_a_day(), 52)
    assert plan.weeks == 52
    for week in range(1, 53):
        assert 1 <= len(plan.week(week)) <= 3
    hard = sorted(
        ((s.week - 1) * 7 + two_a_day_weekday(s.session)) * 24 for s in plan.slots if s.role.is_hard
    )
    assert all(b - a >= 48 for a, b in itertools.pairwise(hard))


def test_plan_leaves_the_garbage_collector_as_it_found_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """plan() leaves gc.isenabled() and gc.get_threshold() exactly as found, enabled or not, and never calls
    gc.disable (nor enable, set_threshold or freeze)."""

    def refuse(*args: object) -> None:
        raise AssertionError("plan() touched the garbage collector's process-wide settings")

    athlete = hp.Athlete(level=hp.Level.INTERMEDIATE)
    week = two_a_day()[:4]
    was_enabled, threshold = gc.isenabled(), gc.get_threshold()
    try:
        for enabled in (True, False):
            if enabled:
                gc.enable()
            else:
                gc.disable()
            with monkeypatch.context() as m:
                for name in ("disable", "enable", "set_threshold", "freeze"):
                    m.setattr(gc, name, refuse)
                assert hp.plan(athlete, week, 3).slots
            assert gc.isenabled() is enabled
            assert gc.get_threshold() == threshold
    finally:
        gc.enable() if was_enabled else gc.disable()
