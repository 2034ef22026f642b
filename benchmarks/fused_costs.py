"""Does posting the built-in soft rules together (hipplan._engine.costs) pay? plan() with and without it.

Run ``python benchmarks/fused_costs.py``: the median CPU time (process time, steadier than wall time on a busy
machine) of a few plan() calls of the benchmark week (5 sessions, 12 and 52 weeks) and of two sessions a day
(14 a week, 4 and 12 weeks), once with the weekly and one-slot soft rules posted together (as plan() does) and
once with each rule posting itself. The scores must agree.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import scenarios
from test_dense import two_a_day

import hipplan as hp
from hipplan._engine import cells, costs


def _one_by_one(model: Any, rules: Any) -> None:
    for rule in rules:
        rule.post(model)


def _median_ms(args: dict[str, Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.process_time()
        plan = hp.plan(**args)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000, plan.score


def main() -> None:
    together: tuple[Callable[..., None], Callable[..., None]] = (costs.post_weekly_costs, costs.post_option_costs)
    apart: tuple[Callable[..., None], Callable[..., None]] = (_one_by_one, _one_by_one)
    dense = hp.Athlete(level=hp.Level.ADVANCED, bodyweight_kg=70)
    cases = [
        ("5 sessions x 12 weeks", scenarios.plan_args(12), 15),
        ("5 sessions x 52 weeks", scenarios.plan_args(52), 9),
        ("14 sessions x 4 weeks", {"athlete": dense, "sessions": two_a_day(), "weeks": 4}, 5),
        ("14 sessions x 12 weeks", {"athlete": dense, "sessions": two_a_day(), "weeks": 12}, 3),
    ]
    print(f"{'case':24s} {'together':>10s} {'one by one':>11s} {'ratio':>6s}")
    for name, args, runs in cases:
        cells.post_weekly_costs, cells.post_option_costs = together
        fused, score = _median_ms(args, runs)
        cells.post_weekly_costs, cells.post_option_costs = apart
        single, same = _median_ms(args, runs)
        cells.post_weekly_costs, cells.post_option_costs = together
        assert score == same, (name, score, same)
        print(f"{name:24s} {fused:8.1f}ms {single:9.1f}ms {single / fused:6.2f}")


if __name__ == "__main__":
    main()
