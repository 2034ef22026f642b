"""A fitness app's loop: JSON in, a plan out, a logged session in, the next dose out.

The app keeps its users' athletes and weeks as JSON. Each night it replans; after each workout it asks for the
next dose. Everything here is stable text: the same input gives the same bytes, so the app can store, diff and
cache it.

Run it with ``python examples/app_integration.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import hipplan as hp

HERE = Path(__file__).parent

# 1. The stored row: an athlete and a week as JSON (here taken from examples/week.json).
stored = json.loads((HERE / "week.json").read_text(encoding="utf-8"))
athlete_json = json.dumps(stored["athlete"])
session_jsons = [json.dumps(s) for s in stored["sessions"]]

# 2. Nightly replan.
athlete = hp.from_json(athlete_json, hp.Athlete)
week = [hp.from_json(s, hp.Session) for s in session_jsons]
try:
    plan = hp.plan(athlete, week, weeks=8)
except hp.Infeasible as exc:
    print("Cannot plan:", exc)  # a message the app can show to a person
    raise SystemExit(1) from None
plan_json = hp.to_json(plan)
assert hp.to_json(hp.plan(athlete, week, weeks=8)) == plan_json, "same input, same bytes"
assert hp.from_json(plan_json, hp.Plan) == plan, "the stored plan reads back as the same value"
print(f"Stored a plan of {len(plan_json)} bytes (schema version {json.loads(plan_json)['schema_version']}).")

# 3. The user logs the first hard session of week 1: both legs, every set.
slot = next(s for s in plan.slots if s.role is not hp.Role.WARM_UP)
logged = [
    hp.Performed(side=side, reps=slot.dose.reps + 2, load_kg=slot.dose.load_kg, pause_s=slot.dose.pause_s)
    for _ in range(slot.dose.sets)
    for side in (hp.Side.LEFT, hp.Side.RIGHT)
]
step = hp.progress(slot, logged, athlete=athlete)
print(f"Logged week {slot.week}, {slot.session}: {slot.dose}")
print(f"Next time: {step.dose}")
for reason in step.reasons:
    print(f"  because: {reason.text}")

# 4. Bad input from the app's users becomes an error with the path of the bad field, never a crash.
try:
    hp.from_json('{"name": "Mon squat", "weekday": 9, "focus": "lower"}', hp.Session)
except hp.InvalidInput as exc:
    print("Rejected:", exc)
