"""Batch throughput: plans a second for N varied athletes (12 weeks), in one process, on 2 processes and on a Dask
LocalCluster of 2 workers, and what the batch machinery (JSON in and out, pickling) costs next to planning.

Run on demand (not a test):  .venv/bin/python benchmarks/batch.py --n 2000

Every figure is wall-clock time on whatever the machine is doing at the time: on a shared machine they are noisy.
Each configuration runs ``--rounds`` times, interleaved (A B C A B C ...), and the best round is reported. This
process plans 30 requests before the clock starts (the progression's caches fill on the first plans; a worker
fills its own on its first chunk, inside the measured time).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import pickle
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import attrs

import hipplan as hp
from hipplan.batch import BatchRequest, plan_line, plan_many, run_lines
from hipplan.example import example_request
from hipplan.units import lb

WEEKS = 12


def varied_requests(count: int) -> list[hp.PlanRequest]:
    """``count`` requests for different athletes: levels, bodyweights, units, goals, weeks with and without a
    trip, coach's rules for the advanced ones (deterministic: request i is always the same)."""
    base = example_request(WEEKS)
    home = hp.Session(name="Sun home", weekday=6, focus="circuit", equipment={"couch"}, minutes=20)
    gym_only = base.sessions[:2]
    found = []
    for i in range(count):
        level = list(hp.Level)[i % 3]
        unit = hp.Unit.LB if i % 5 == 0 else hp.Unit.KG
        bodyweight = lb(110 + 5 * (i % 30)) if unit is hp.Unit.LB else 50.0 + (i * 7) % 60
        athlete = hp.Athlete(level=level, bodyweight_kg=bodyweight, unit=unit, goal=list(hp.Goal)[i % 3])
        sessions = (base.sessions, (*gym_only, home), gym_only, base.sessions[1:])[i % 4]
        names = {s.name for s in sessions}
        found.append(
            attrs.evolve(
                base,
                athlete=athlete,
                sessions=sessions,
                overrides=base.overrides if i % 3 == 0 else (),
                constraints=tuple(c for c in base.constraints if getattr(c, "session", None) in names)
                if level is hp.Level.ADVANCED
                else (),
                plan_id=f"athlete-{i}",
            )
        )
    return found


def request_lines(requests: list[hp.PlanRequest]) -> list[str]:
    fields = [f.name for f in attrs.fields(hp.PlanRequest)]
    return [
        hp.to_json(BatchRequest(id=r.plan_id or str(i), **{n: getattr(r, n) for n in fields}), indent=None)
        for i, r in enumerate(requests)
    ]


def timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = run()
    return time.perf_counter() - start, count


def machinery(requests: list[hp.PlanRequest], lines: list[str], sample: int) -> dict[str, float]:
    """Seconds per request of each part, on the first ``sample`` requests, in this process."""
    requests, lines = requests[:sample], lines[:sample]
    plans: list[Any] = []
    for request in requests:  # warm: the progression's caches fill on the first plans
        with contextlib.suppress(hp.HipplanError):
            request.plan()
    start = time.perf_counter()
    for request in requests:
        try:
            plans.append(request.plan())
        except hp.HipplanError as exc:
            plans.append(exc)
    planning = (time.perf_counter() - start) / sample
    start = time.perf_counter()
    for line in lines:
        hp.from_json(line, BatchRequest)
    json_in = (time.perf_counter() - start) / sample
    start = time.perf_counter()
    for plan in plans:
        if isinstance(plan, hp.Plan):
            hp.to_json(plan, indent=None)
    json_out = (time.perf_counter() - start) / sample
    start = time.perf_counter()
    pickle.loads(pickle.dumps(requests))
    pickle.loads(pickle.dumps(plans))
    pickled = (time.perf_counter() - start) / sample
    start = time.perf_counter()
    for number, line in enumerate(lines, start=1):
        plan_line(number, line)
    whole_line = (time.perf_counter() - start) / sample
    return {
        "planning": planning,
        "json_in": json_in,
        "json_out": json_out,
        "pickle": pickled,
        "line": whole_line,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="athletes (default 2000)")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (default 1)")
    parser.add_argument("--chunksize", type=int, default=16)
    parser.add_argument("--sample", type=int, default=200, help="requests for the machinery figures")
    parser.add_argument("--no-dask", action="store_true", help="skip the LocalCluster")
    args = parser.parse_args(argv)

    requests = varied_requests(args.n)
    lines = request_lines(requests)
    print(
        f"hipplan batch benchmark: {args.n:,} athletes, {WEEKS} weeks, chunks of {args.chunksize}", flush=True
    )

    for request in requests[:30]:  # warm this process as the workers warm themselves on their first chunks
        with contextlib.suppress(hp.HipplanError):
            request.plan()
    pool = ProcessPoolExecutor(2)
    list(pool.map(abs, range(4)))  # the workers are up before the clock starts
    client: Any = None
    cluster: Any = None
    if not args.no_dask:
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    configs: dict[str, Callable[[], int]] = {
        "1 process, plan_many": lambda: sum(1 for _ in plan_many(requests)),
        "1 process, JSON Lines": lambda: sum(1 for _ in run_lines(lines)),
        "2 processes, plan_many": lambda: sum(
            1 for _ in plan_many(requests, executor=pool, chunksize=args.chunksize)
        ),
        "2 processes, JSON Lines": lambda: sum(
            1 for _ in run_lines(lines, executor=pool, chunksize=args.chunksize)
        ),
    }
    if client is not None:
        executor = client.get_executor()
        configs["LocalCluster 2 workers, plan_many"] = lambda: sum(
            1 for _ in plan_many(requests, executor=executor, chunksize=args.chunksize)
        )
    times: dict[str, list[float]] = {name: [] for name in configs}
    for round_ in range(args.rounds):
        for name, run in configs.items():
            seconds, count = timed(run)
            assert count == args.n
            times[name].append(seconds)
            print(
                f"  round {round_ + 1}: {name}: {seconds:.1f} s, {args.n / seconds:,.1f} plans/s", flush=True
            )
    parts = machinery(requests, lines, min(args.sample, args.n))
    pool.shutdown()
    if client is not None:
        client.close()
        cluster.close()

    print()
    print("| configuration | plans/s (best round) | seconds |")
    print("|---|---|---|")
    for name, seconds in times.items():
        best = min(seconds)
        print(f"| {name} | {args.n / best:,.1f} | {best:.1f} |")
    planning = parts["planning"]
    print()
    print(f"per request, in one process, on the first {min(args.sample, args.n)} requests:")
    print(f"  planning                      {planning * 1000:7.2f} ms")
    for label, key in (
        ("request line read (from_json)", "json_in"),
        ("result written (to_json)", "json_out"),
        ("pickling there and back", "pickle"),
    ):
        print(f"  {label:<29} {parts[key] * 1000:7.2f} ms  {parts[key] / planning:6.1%} of planning")
    lines_share = (parts["json_in"] + parts["json_out"]) / planning
    objects_share = parts["pickle"] / planning
    print(f"  JSON Lines machinery (in + out)              {lines_share:6.1%} of planning")
    print(f"  plan_many on processes (pickling)            {objects_share:6.1%} of planning")
    print(f"  one whole line (plan_line)    {parts['line'] * 1000:7.2f} ms")
    print(json.dumps({"n": args.n, "best_s": {k: min(v) for k, v in times.items()}, "parts_s": parts}))
    spread = {k: statistics.pstdev(v) for k, v in times.items() if len(v) > 1}
    if spread:
        print("spread of rounds (s):", {k: round(v, 2) for k, v in spread.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
