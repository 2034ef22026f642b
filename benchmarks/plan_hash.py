"""One hash over the JSON of a few hundred varied plans: the guard of a restructuring that must not change behaviour.

Run it before and after a change: ``python benchmarks/plan_hash.py`` (``--plans N``, ``--seed S``,
``--show`` prints one line per plan). The requests are drawn from a seeded ``random.Random`` over the public
vocabulary (levels, units, kits, sessions with every focus, lift and kit, overrides, constraints), never from
hypothesis, so the same seed gives the same requests whatever the strategies become. Each plan's ``to_json`` (or,
for a request no plan satisfies, the ``Infeasible`` message; for refused input, the ``InvalidInput`` message) goes
into the hash, and so do its text view and a month of ``progress()`` over its own prescriptions met.
"""

from __future__ import annotations

import argparse
import hashlib
import random
from typing import Any

import hipplan as hp
from hipplan import constraints as hc

E = hp.Equipment
KITS = (
    frozenset(),
    frozenset({E.BENCH}),
    frozenset({E.COUCH}),
    frozenset({E.BENCH, E.DUMBBELL}),
    frozenset({E.BENCH, E.BAND}),
    frozenset({E.BENCH, E.SANDBAG}),
    frozenset({E.BENCH, E.BARBELL, E.LANDMINE, E.DUMBBELL, E.BAND}),
)
LIFTS = (
    frozenset(),
    frozenset({hp.Lift.SQUAT}),
    frozenset({hp.Lift.DEADLIFT}),
    frozenset({hp.Lift.BENCH_PRESS}),
)


def _session(rng: random.Random, name: str, weekday: int) -> hp.Session:
    return hp.Session(
        name=name,
        weekday=weekday,
        focus=rng.choice(list(hp.Focus)),
        lifts=rng.choice(LIFTS),
        equipment=rng.choice(KITS),
        minutes=rng.choice((None, 20, 45, 60, 90)),
    )


def _week(rng: random.Random, prefix: str = "") -> list[hp.Session]:
    days = sorted(rng.sample(range(7), rng.randint(1, 6)))
    return [_session(rng, f"{prefix}{hp.athlete.WEEKDAYS[d]} {k}", d) for k, d in enumerate(days)]


def _athlete(rng: random.Random) -> hp.Athlete:
    unit = rng.choice(list(hp.Unit))
    kit: Any = None
    if rng.random() < 0.4:
        kit = hp.Kit(dumbbells=hp.rack(5, 50, 5) if unit is hp.Unit.LB else hp.rack(2, 20, 2))
    return hp.Athlete(
        level=rng.choice(list(hp.Level)),
        unit=unit,
        bodyweight_kg=rng.choice((None, 55.0, 70.0, hp.lb(165), 95.0)),
        loads=kit,
        goal=rng.choice(list(hp.Goal)),
    )


def _constraints(rng: random.Random, week: list[hp.Session]) -> list[Any]:
    found: list[Any] = []
    if rng.random() < 0.3:
        found.append(hc.Exposures(min=1, max=rng.randint(1, 3)))
    if rng.random() < 0.2:
        found.append(hc.Recovery(hours=rng.choice((48, 72))))
    if rng.random() < 0.2:
        found.append(hc.ForbidSession(session=rng.choice(week).name))
    return found


def _request(rng: random.Random) -> dict[str, Any]:
    week = _week(rng)
    weeks = rng.choice((1, 4, 8, 12, 26))
    overrides = []
    if weeks >= 4 and rng.random() < 0.3:
        overrides.append(
            hp.WeekOverride(week=rng.randint(1, weeks), label="away", sessions=_week(rng, "away "))
        )
    return {
        "athlete": _athlete(rng),
        "sessions": week,
        "weeks": weeks,
        "overrides": overrides,
        "constraints": _constraints(rng, week),
    }


def _logs(plan: hp.Plan) -> str:
    """The first four weeks' slots fed to ``progress()`` as met (every set, both sides): the steps it returns."""
    lines = []
    for slot in plan.slots:
        if slot.week > 4:
            break
        dose = slot.dose
        done = [
            hp.Performed(side=side, reps=dose.reps, load_kg=dose.load_kg, pause_s=dose.pause_s)
            for _ in range(dose.sets)
            for side in ("left", "right")
        ]
        lines.append(repr(hp.progress(slot, done, athlete=plan.athlete)))
    return "\n".join(lines)


def run(plans: int, seed: int, show: bool) -> str:
    rng = random.Random(seed)
    total = hashlib.sha256()
    counts = {"plan": 0, "infeasible": 0, "invalid": 0}
    for i in range(plans):
        request = _request(rng)
        try:
            plan = hp.plan(**request)
        except hp.Infeasible as exc:
            kind, text = "infeasible", str(exc)
        except hp.InvalidInput as exc:
            kind, text = "invalid", str(exc)
        else:
            kind, text = "plan", hp.to_json(plan) + plan.to_text() + _logs(plan)
        counts[kind] += 1
        one = hashlib.sha256(text.encode()).hexdigest()
        total.update(one.encode())
        if show:
            print(f"{i:4d} {kind:10s} {one[:16]}")
    print(
        f"{plans} requests (seed {seed}): {counts['plan']} plans, {counts['infeasible']} infeasible,"
        f" {counts['invalid']} refused"
    )
    return total.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    print("sha256:", run(args.plans, args.seed, args.show))


if __name__ == "__main__":
    main()
