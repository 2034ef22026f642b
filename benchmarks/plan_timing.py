"""plan() timing for a 5-session gym week (run on demand, never in the test suite).

    python benchmarks/plan_timing.py

Prints the median and the fastest of 30 runs of ``hp.plan()`` at 4, 12 and 52 weeks, then the same for a plan
whose week 3 is spent in a park with nothing to lean on (``plan()`` until it raises ``Infeasible``).
"""

from __future__ import annotations

import statistics
import time

import hipplan as hp

E = hp.Equipment
GYM = frozenset({E.BENCH, E.BARBELL, E.LANDMINE, E.DUMBBELL, E.BAND})
WEEK = [
    hp.Session(
        name="Mon squat", weekday=0, focus=hp.Focus.LOWER, lifts={hp.Lift.SQUAT}, equipment=GYM, minutes=75
    ),
    hp.Session(name="Tue upper", weekday=1, focus=hp.Focus.UPPER, lifts={hp.Lift.BENCH_PRESS}, equipment=GYM),
    hp.Session(
        name="Thu pull", weekday=3, focus=hp.Focus.LOWER, lifts={hp.Lift.DEADLIFT}, equipment=GYM, minutes=75
    ),
    hp.Session(
        name="Fri legs", weekday=4, focus=hp.Focus.FULL_BODY, lifts={hp.Lift.SQUAT}, equipment=GYM, minutes=75
    ),
    hp.Session(name="Sat home", weekday=5, focus=hp.Focus.CIRCUIT, equipment={E.COUCH}, minutes=20),
]


PARK = [hp.Session(name="Park", weekday=2, focus=hp.Focus.CIRCUIT)]


def _time(run: object, weeks: int, label: str) -> None:
    assert callable(run)
    times = []
    for _ in range(31):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    times = times[1:]
    print(f"{label} {weeks:>3} weeks: median {statistics.median(times):.1f} ms, fastest {min(times):.1f} ms")


def main() -> None:
    """Time plan() for an advanced athlete over three horizons, feasible and infeasible."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED, bodyweight_kg=70)

    def infeasible(weeks: int) -> None:
        try:
            hp.plan(athlete, WEEK, weeks, overrides={3: PARK})
        except hp.Infeasible:
            return
        raise AssertionError("the park week should be infeasible")

    for weeks in (4, 12, 52):
        _time(lambda weeks=weeks: hp.plan(athlete, WEEK, weeks), weeks, "plan()          ")
    for weeks in (4, 12, 52):
        _time(lambda weeks=weeks: infeasible(weeks), weeks, "until Infeasible")


if __name__ == "__main__":
    main()
