"""A pound athlete with a home rack of dumbbells from 5 to 50 lb in 5 lb steps.

Run it with ``python examples/pound_rack.py``. It plans twelve weeks from a start date and prints the first
weeks of the sheet, in pounds and dated; every load on it is a dumbbell the rack holds.
"""

from __future__ import annotations

import hipplan as hp

athlete = hp.Athlete(
    level="intermediate",
    unit="lb",
    bodyweight_kg=hp.lb(165),  # stored exactly, shown as 165 lb
    loads=hp.Kit(dumbbells=hp.rack(5, 50, 5)),  # what the settings screen asked: 5 to 50 lb, every 5 lb
)
home = {"dumbbell", "bench"}
week = [
    hp.Session(name="Mon legs", weekday=0, focus="lower", lifts={"squat"}, equipment=home, minutes=60),
    hp.Session(name="Wed upper", weekday=2, focus="upper", equipment=home, minutes=45),
    hp.Session(name="Fri legs", weekday=4, focus="lower", lifts={"deadlift"}, equipment=home, minutes=60),
]
plan = hp.plan(athlete, week, 12, start="2027-01-04")

# Every load is one of the rack's dumbbells: whole multiples of 5 lb, never 4.4 or 5.5.
rack = set(athlete.load_kit.loads("dumbbell"))
for slot in plan.slots:
    if slot.dose.load_kg:
        pounds = hp.units.load_value(slot.dose.load_kg, hp.Unit.LB)
        assert pounds in rack, (slot, pounds)

text = plan.to_text()
print(text[: text.index("Week 7")])  # the legend and the first six weeks
