"""A travel week: week 5 is spent in a hotel with only a couch; that week's sessions replace the usual ones.

Run it with ``python examples/travel_week.py``. It prints the travel week next to a usual week, and shows what
happens when the trip has nothing to lean on at all.
"""

from __future__ import annotations

import hipplan as hp
from hipplan.example import example_athlete, example_week

E = hp.Equipment
athlete = example_athlete()  # advanced, 70 kg, already on the landmine variation
week = example_week()  # Mon squat and Thu pull at the gym, Sat home circuit

hotel = hp.WeekOverride(
    week=5,
    label="travel: hotel room",
    sessions=(
        hp.Session(name="Tue hotel room", weekday=1, focus=hp.Focus.CIRCUIT, equipment={E.COUCH}, minutes=20),
        hp.Session(name="Fri hotel room", weekday=4, focus=hp.Focus.CIRCUIT, equipment={E.COUCH}, minutes=20),
    ),
)
plan = hp.plan(athlete, week, weeks=8, overrides=[hotel])

for number in (4, 5):
    print(f"Week {number}:")
    for slot in plan.week(number):
        print(f"  {slot.session:<15} {slot.role.value:<9} {slot.variation:<11} {slot.dose}")

# The hotel has no landmine, so the travel week drops to what a couch allows, and says so.
travel = plan.week(5)
assert travel, "the travel week still has single-leg hip thrusts"
assert all(slot.variation == "bodyweight" for slot in travel)
print()
print("Why week 5 looks different:")
for slot in travel:
    for reason in slot.reasons:
        print(f"  {slot.session}: {reason.text}")

# A trip with nothing to lean on: the athlete is past the floor bridges, so hipplan refuses to plan that week
# rather than quietly demote them, and says which rules cannot all hold.
park = hp.WeekOverride(
    week=5,
    label="camping",
    sessions=(hp.Session(name="Wed park", weekday=2, focus=hp.Focus.CIRCUIT),),
)
try:
    hp.plan(athlete, week, weeks=8, overrides=[park])
except hp.Infeasible as exc:
    print()
    print(exc)
else:
    raise SystemExit("expected Infeasible for a week with nothing to lean on")
