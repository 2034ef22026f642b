"""The slotting problems the benchmarks solve: a usual week of 3, 5 or 7 sessions with one travel week.

The feasible variant is the one a coach would write: an advanced athlete on the landmine single-leg hip thrust
who would like three exposures a week, trains for strength and likes dumbbells, in a week with squats on Monday,
upper body on Tuesday, a short home circuit on Wednesday, deadlifts on Thursday and a full-body day on Saturday;
week 3 is spent in a hotel with a couch. Two infeasible variants:

- ``no-support``: the hotel room has no bench, box or couch, so no session of week 3 can host the exercise,
  while every week needs at least one slot (a conflict inside one week);
- ``recovery``: the coach asks for a finisher every Monday and every Saturday and for 72 h between hard
  sessions; each week is fine on its own, but Saturday to the next Monday is only 48 h (a conflict between
  neighbouring weeks, so no week can be blamed alone).

The dense week (``dense_args``) has two sessions every day, fourteen a week: a lower-body and a full-body
session, squats and deadlifts in turn, for an advanced athlete at the usual start (the shape of
``tests/test_dense.py``).
"""

from __future__ import annotations

from typing import Any

import hipplan as hp
from hipplan import constraints as hc
from hipplan.exercises import Rung
from hipplan.planner import build_problem
from hipplan.solver import Problem

E = hp.Equipment
GYM = frozenset({E.BENCH, E.BARBELL, E.LANDMINE, E.DUMBBELL, E.BAND})
TRAVEL_WEEK = 3


def _session(name: str, weekday: int, focus: hp.Focus, **kw: Any) -> hp.Session:
    return hp.Session(name=name, weekday=weekday, focus=focus, **kw)


_POOL = {
    "Mon squat": _session("Mon squat", 0, hp.Focus.LOWER, lifts={hp.Lift.SQUAT}, equipment=GYM, minutes=75),
    "Tue upper": _session("Tue upper", 1, hp.Focus.UPPER, lifts={hp.Lift.BENCH_PRESS}, equipment=GYM),
    "Wed home": _session("Wed home", 2, hp.Focus.CIRCUIT, equipment={E.COUCH}, minutes=20),
    "Thu pull": _session("Thu pull", 3, hp.Focus.LOWER, lifts={hp.Lift.DEADLIFT}, equipment=GYM, minutes=75),
    "Fri upper": _session("Fri upper", 4, hp.Focus.UPPER, equipment=GYM, minutes=60),
    "Sat full": _session("Sat full", 5, hp.Focus.FULL_BODY, lifts={hp.Lift.SQUAT}, equipment=GYM, minutes=60),
    "Sun home": _session("Sun home", 6, hp.Focus.CIRCUIT, equipment={E.COUCH}, minutes=25),
}
_WEEKS = {
    3: ("Mon squat", "Thu pull", "Sat full"),
    5: ("Mon squat", "Tue upper", "Wed home", "Thu pull", "Sat full"),
    7: tuple(_POOL),
}
SESSIONS = tuple(sorted(_WEEKS))


def usual_week(sessions: int = 5) -> tuple[hp.Session, ...]:
    """The athlete's usual week with 3, 5 or 7 sessions."""
    return tuple(_POOL[name] for name in _WEEKS[sessions])


def hotel_week(*, couch: bool = True) -> tuple[hp.Session, ...]:
    """Two circuits in a hotel room, with a couch to lean on or (infeasible variant) with only a band."""
    kit = {E.COUCH} if couch else {E.BAND}
    return (
        _session("Hotel Tue", 1, hp.Focus.CIRCUIT, equipment=kit, minutes=25),
        _session("Hotel Fri", 4, hp.Focus.CIRCUIT, equipment=kit, minutes=25),
    )


ATHLETE = hp.Athlete(
    level=hp.Level.ADVANCED,
    bodyweight_kg=70,
    rung=Rung(exercise="single-leg-hip-thrust", variation="landmine"),
    goal="strength",
    exposures_per_week=3,
)
CONSTRAINTS = (hc.PreferVariation(variation="dumbbell", weight=1.0),)
VARIANTS = ("feasible", "no-support", "recovery")
_RECOVERY = (
    hc.RequireRole(session="Mon squat", role="finisher"),
    hc.RequireRole(session="Sat full", role="finisher"),
    hc.Recovery(hours=72),
)


def plan_args(weeks: int, *, sessions: int = 5, variant: str = "feasible") -> dict[str, Any]:
    """Keyword arguments for :func:`hipplan.plan` (and ``build_problem``) of one scenario."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; one of {VARIANTS}")
    couch = variant != "no-support"
    overrides = {TRAVEL_WEEK: hotel_week(couch=couch)} if weeks >= TRAVEL_WEEK else {}
    extra = _RECOVERY if variant == "recovery" else ()
    return {
        "athlete": ATHLETE,
        "sessions": usual_week(sessions),
        "weeks": weeks,
        "constraints": CONSTRAINTS + extra,
        "overrides": overrides,
    }


def problem(weeks: int, *, sessions: int = 5, variant: str = "feasible", prune: bool = False) -> Problem:
    """The constraint problem of one scenario.

    By default the full model, with every one-slot rule as a unary constraint (the model ``plan()`` explains
    conflicts with); ``prune=True`` gives the smaller model ``plan()`` solves first, where those rules have
    already removed the options they refuse.
    """
    return build_problem(**plan_args(weeks, sessions=sessions, variant=variant), prune=prune)


DENSE_ATHLETE = hp.Athlete(level=hp.Level.ADVANCED, bodyweight_kg=70)


def two_a_day() -> tuple[hp.Session, ...]:
    """Fourteen sessions a week: a lower-body and a full-body session every day, squats and deadlifts in turn."""
    return tuple(
        _session(
            f"day {day} {'lower' if k == 0 else 'full'}",
            day,
            hp.Focus.LOWER if k == 0 else hp.Focus.FULL_BODY,
            lifts={hp.Lift.SQUAT} if (day + k) % 2 == 0 else {hp.Lift.DEADLIFT},
            equipment=GYM,
            minutes=60,
        )
        for day in range(7)
        for k in range(2)
    )


def dense_args(weeks: int) -> dict[str, Any]:
    """Keyword arguments for :func:`hipplan.plan` of the dense week (two sessions a day) over ``weeks`` weeks."""
    return {"athlete": DENSE_ATHLETE, "sessions": two_a_day(), "weeks": weeks}
