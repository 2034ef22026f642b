"""plan() timing for the coach's week of tests/test_planner.py (run on demand, never in the test suite).

    python benchmarks/plan_timing.py

Prints the median and the fastest of 30 runs of ``hp.plan()`` at 4, 12 and 52 weeks.
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


def main() -> None:
    """Time plan() for an advanced athlete over three horizons."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED, bodyweight_kg=70)
    for weeks in (4, 12, 52):
        hp.plan(athlete, WEEK, weeks)
        times = []
        for _ in range(30):
            start = time.perf_counter()
            hp.plan(athlete, WEEK, weeks)
            times.append((time.perf_counter() - start) * 1e3)
        print(f"{weeks:>3} weeks: median {statistics.median(times):.1f} ms, fastest {min(times):.1f} ms")


if __name__ == "__main__":
    main()
