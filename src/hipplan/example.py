"""The built-in example: a coach's usual week for an advanced athlete, with one travel week.

The athlete (advanced, 70 kg) already does the single-leg hip thrust with a landmine and wants it three times
a week; the coach wants Monday's heavy squats to start with a light warm-up and Thursday's deadlift session to
end with a finisher, and Saturday at home is a short circuit. Week 5 is a trip: a hotel room with a couch and
nothing else.

``hipplan plan --example`` plans it; the docs and the examples start from it too.

>>> from hipplan.example import example_request
>>> request = example_request()
>>> [s.name for s in request.sessions]
['Mon squat', 'Thu pull', 'Sat home']
>>> request.overrides[0].label
'travel: hotel room with a couch'
"""

from __future__ import annotations

import datetime as dt

from .athlete import Athlete, Session
from .constraints import RequireRole
from .exercises import Rung
from .plan import WeekOverride
from .request import PlanRequest
from .vocabulary import Equipment, Focus, Level, Lift, Role

__all__ = [
    "EXAMPLE_START",
    "GYM",
    "TRAVEL_WEEK",
    "example_athlete",
    "example_constraints",
    "example_request",
    "example_travel_week",
    "example_week",
]

GYM = frozenset({Equipment.BENCH, Equipment.BARBELL, Equipment.LANDMINE, Equipment.DUMBBELL, Equipment.BAND})
"""The gym's kit: a bench, a barbell in a landmine, dumbbells and a long band."""

EXAMPLE_START = dt.date(2027, 1, 4)
"""A Monday: week 1 of the example starts here (used for the calendar view)."""

TRAVEL_WEEK = 5
"""The week the athlete spends in a hotel."""


def example_athlete() -> Athlete:
    """An advanced athlete of 70 kg, already on the landmine single-leg hip thrust, three times a week."""
    return Athlete(
        level=Level.ADVANCED,
        bodyweight_kg=70,
        rung=Rung(exercise="single-leg-hip-thrust", variation="landmine"),
        exposures_per_week=3,
    )


def example_constraints() -> tuple[RequireRole, ...]:
    """The coach's two wishes: Monday's squats start with a warm-up; Thursday's deadlifts end with a finisher."""
    return (
        RequireRole(session="Mon squat", role=Role.WARM_UP),
        RequireRole(session="Thu pull", role=Role.FINISHER),
    )


def example_week() -> tuple[Session, ...]:
    """The coach's usual week: squats on Monday, deadlifts on Thursday, a short home circuit on Saturday."""
    return (
        Session(
            name="Mon squat",
            weekday=0,
            focus=Focus.LOWER,
            lifts=frozenset({Lift.SQUAT}),
            equipment=GYM,
            minutes=75,
        ),
        Session(
            name="Thu pull",
            weekday=3,
            focus=Focus.LOWER,
            lifts=frozenset({Lift.DEADLIFT}),
            equipment=GYM,
            minutes=75,
        ),
        Session(
            name="Sat home",
            weekday=5,
            focus=Focus.CIRCUIT,
            equipment=frozenset({Equipment.COUCH}),
            minutes=20,
        ),
    )


def example_travel_week() -> WeekOverride:
    """Week 5 in a hotel: two short bodyweight circuits in the room, with only a couch to lean on."""
    couch = frozenset({Equipment.COUCH})
    return WeekOverride(
        week=TRAVEL_WEEK,
        label="travel: hotel room with a couch",
        sessions=(
            Session(name="Tue hotel room", weekday=1, focus=Focus.CIRCUIT, equipment=couch, minutes=20),
            Session(name="Fri hotel room", weekday=4, focus=Focus.CIRCUIT, equipment=couch, minutes=20),
        ),
    )


def example_request(weeks: int = 8) -> PlanRequest:
    """The built-in example as a request: the week above, ``weeks`` long, the coach's wish, week 5 away.

    With fewer than five weeks there is no travel week.
    """
    overrides = (example_travel_week(),) if weeks >= TRAVEL_WEEK else ()
    return PlanRequest(
        athlete=example_athlete(),
        sessions=example_week(),
        weeks=weeks,
        start=EXAMPLE_START,
        overrides=overrides,
        constraints=example_constraints(),
    )
