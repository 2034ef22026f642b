"""plan() timing (run on demand, never in the test suite; needs no extra).

    python benchmarks/plan_timing.py

Prints the median and the fastest of 30 runs of ``hp.plan()`` at 4, 12 and 52 weeks for two 5-session weeks:

- the benchmark scenario of ``scenarios.py`` (an advanced athlete on the landmine variation with soft
  preferences, a hotel week 3): up to 6 choices per session, the heavier case;
- the same, "cold": the progression engine's kept answers (pure functions of frozen values in bounded caches)
  forgotten before each run, as for an athlete never planned before in the process;
- a gym week for an advanced athlete at the usual start (bodyweight), then the same with week 3 in a park with
  nothing to lean on (``plan()`` until it raises ``Infeasible``).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scenarios

import hipplan as hp
from hipplan.progression import clear_kept

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


def _time(run: object, weeks: int, label: str, *, cold: bool = False) -> None:
    """Median and fastest of 30 runs (after one to warm up); ``cold`` forgets the progression engine's kept
    answers before each run, as for a plan of an athlete never planned before."""
    assert callable(run)
    times = []
    for _ in range(31):
        if cold:
            clear_kept()
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
        args = scenarios.plan_args(weeks)
        _time(lambda args=args: hp.plan(**args), weeks, "benchmark week  ")
    for weeks in (4, 12, 52):
        args = scenarios.plan_args(weeks)
        _time(lambda args=args: hp.plan(**args), weeks, "benchmark, cold ", cold=True)
    for weeks in (4, 12, 52):
        _time(lambda weeks=weeks: hp.plan(athlete, WEEK, weeks), weeks, "gym week        ")
    for weeks in (4, 12, 52):
        _time(lambda weeks=weeks: infeasible(weeks), weeks, "park: Infeasible")


if __name__ == "__main__":
    main()
