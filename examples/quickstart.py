"""Quickstart: plan a coach's usual week for eight weeks and print the sheet and the reasons.

Run it with ``python examples/quickstart.py``.
"""

from __future__ import annotations

import hipplan as hp

E = hp.Equipment
gym = frozenset({E.BENCH, E.BARBELL, E.LANDMINE, E.DUMBBELL, E.BAND})
week = [
    hp.Session(
        name="Mon squat", weekday=0, focus=hp.Focus.LOWER, lifts={hp.Lift.SQUAT}, equipment=gym, minutes=75
    ),
    hp.Session(
        name="Thu pull", weekday=3, focus=hp.Focus.LOWER, lifts={hp.Lift.DEADLIFT}, equipment=gym, minutes=75
    ),
    hp.Session(name="Sat home", weekday=5, focus=hp.Focus.CIRCUIT, equipment={E.COUCH}, minutes=20),
]
athlete = hp.Athlete(level=hp.Level.ADVANCED, bodyweight_kg=70)

plan = hp.plan(athlete, week, weeks=8)

print(repr(plan))
print()
print(plan.to_text())  # the week-by-week sheet, with cues and mistakes printed once
print(plan.explain())  # why each session got its slot (or none), week by week

first = plan.slots[0]
print(f"First slot: week {first.week}, {first.session}, {first.role.value}, {first.variation}, {first.dose}")
