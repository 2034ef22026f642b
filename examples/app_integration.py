"""A fitness app's loop: JSON in, a plan out; after each workout, the logged sets in and the next step out.

The app keeps its users' athletes and weeks as JSON. Each night it replans; after each workout it asks for the next
dose and stores the step it gets (the step carries the role's progression state). Everything here is stable text:
the same input gives the same bytes, so the app can store, diff and cache it.

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

# 2. Nightly replan, stored as JSON.
athlete = hp.from_json(athlete_json, hp.Athlete)
week = [hp.from_json(s, hp.Session) for s in session_jsons]
sessions = {s.name: s for s in week}
try:
    plan = hp.plan(athlete, week, weeks=8)
except hp.Infeasible as exc:
    print("Cannot plan:", exc)  # a message the app can show to a person
    raise SystemExit(1) from None
plan_json = hp.to_json(plan)
assert hp.to_json(hp.plan(athlete, week, weeks=8)) == plan_json, "same input, same bytes"
assert hp.from_json(plan_json, hp.Plan) == plan, "the stored plan reads back as the same value"
print(f"Stored a plan of {len(plan_json)} bytes (schema version {json.loads(plan_json)['schema_version']}).")


def as_done(dose: hp.Dose, reps: int | None = None) -> list[hp.Performed]:
    """Both legs, every set, as prescribed (or with ``reps`` in every set)."""
    return [
        hp.Performed(
            side=side, reps=dose.reps if reps is None else reps, load_kg=dose.load_kg, pause_s=dose.pause_s
        )
        for _ in range(dose.sets)
        for side in (hp.Side.LEFT, hp.Side.RIGHT)
    ]


# 3. The user does the first hard session of the plan exactly as written. With the kit of the role's next session
#    and that session's week, progress() gives the plan's next slot of the same role: the loop closes.
first = next(s for s in plan.slots if s.role is not hp.Role.WARM_UP)
same_role = [s for s in plan.slots if s.role is first.role]
following = same_role[1]
step = hp.progress(
    first,
    as_done(first.dose),
    athlete=athlete,
    kit=athlete.kit(sessions[following.session]),
    next_week=following.week,
)
assert step.dose == following.dose, "on plan, the closed loop gives the plan's next slot"
print(f"Week {first.week}, {first.session} ({first.role.value}): {first.dose}, done as written.")
print(f"Next, week {step.week}, {following.session}: {step.dose}")

# 4. The app stores the step: the prescription to show and the role's state (rung, working dose, exposures,
#    block, streaks), all as JSON.
step_json = hp.to_json(step)
state = step.state
assert state is not None
print(
    f"Stored the step ({len(step_json)} bytes); the state: {state.exposures} exposure(s), working dose {state.dose}."
)

# 5. Next time: read the step back and pass it with the new log. The right leg fell two reps short on its last set.
last = hp.from_json(step_json, hp.Step)
logged = [*as_done(last.dose)[:-1], hp.Performed(side=hp.Side.RIGHT, reps=last.dose.reps - 2)]
step = hp.progress(
    last, logged, athlete=athlete, kit=athlete.kit(sessions[following.session]), next_week=last.week + 1
)
print(f"Week {last.week}: one set short. Next, week {step.week}: {step.dose}")
for reason in step.reasons:
    print(f"  because: {reason.text}")

# 6. The next session is skipped and the athlete is away two more weeks: nothing advances, and the way back in
#    depends on the weeks away.
back = hp.progress(
    step,
    [],
    skipped=True,
    athlete=athlete,
    kit=athlete.kit(sessions[following.session]),
    next_week=step.week + 3,
)
print(f"Skipped week {step.week}, back in week {back.week}: {back.dose}")
for reason in back.reasons:
    print(f"  because: {reason.text}")

# 7. Bad input from the app's users becomes an error with the path of the bad field, never a crash.
try:
    hp.from_json('{"name": "Mon squat", "weekday": 9, "focus": "lower"}', hp.Session)
except hp.InvalidInput as exc:
    print("Rejected:", exc)
