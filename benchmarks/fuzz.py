"""Fuzz what hipplan reads (run on demand, never in the test suite; needs hypothesis, the dev extra).

    python benchmarks/fuzz.py                       # 100,000 inputs over every target group
    python benchmarks/fuzz.py --inputs 20000 --groups toml cli --seed 7

Throws inputs at everything that reads a document: ``from_json`` for every public document type (and the CLI's
progress log), ``from_toml`` and ``load_request``, and the command line in-process (``hipplan.cli.main`` on files
written to a temporary folder). The inputs are valid documents drawn from ``hipplan.strategies`` (through
``st.from_type``), serialised, then mutated (a value of the wrong type, a huge or negative number, deep nesting,
unusual Unicode, a key dropped or added, the text cut or a character changed), plus random JSON and random text.

A finding is anything but success or a hipplan error: any other exception (``InvalidInput``, ``Infeasible`` and
``BudgetExceeded`` are answers), a CLI exit status other than 0, 1 or 2, a traceback on the CLI's standard error,
a value read back that does not write and read back equal, a stored plan read back that its own views cannot
render, or one input taking longer than ``--timeout`` seconds. The script prints the inputs per target, the time
taken and every distinct finding (with the input that found it), and exits with status 1 if there was any.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import math
import os
import re
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import UnsatisfiedAssumption

import hipplan as hp
from hipplan.cli import ProgressLog, main
from hipplan.errors import BudgetExceeded, Infeasible, InvalidInput
from hipplan.request import PlanRequest, load_request

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = (InvalidInput, Infeasible, BudgetExceeded)
GROUPS = ("json", "toml", "cli")
SHARE = {"json": 0.6, "toml": 0.25, "cli": 0.15}
"""How the inputs are shared among the groups when all run (the CLI plans valid requests: it is the slowest)."""


# ------------------------------------------------------------------------------------------------- the pool


def document_types() -> dict[str, type[Any]]:
    """Every public attrs type that has a JSON form, by name, and the CLI's progress log."""
    found: dict[str, type[Any]] = {}
    for name in hp.__all__:
        value = getattr(hp, name)
        if isinstance(value, type) and attrs.has(value):
            found[name] = value
    found["PlanRequest"] = PlanRequest
    found["ProgressLog"] = ProgressLog
    return dict(sorted(found.items()))


def draw_pool(cls: type[Any], count: int) -> tuple[list[Any], list[str]]:
    """Up to ``count`` valid JSON documents (as data) of ``cls`` drawn through ``st.from_type``, and the distinct
    errors drawing it gave (a strategy that cannot draw the type, or draws a value its constructor refuses)."""
    found: list[Any] = []
    errors: dict[str, None] = {}

    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        try:
            value = data.draw(st.from_type(cls))
        except UnsatisfiedAssumption:
            raise  # hypothesis's own way to try another draw
        except Exception as exc:
            errors[f"{type(exc).__name__}: {str(exc)[:90]}"] = None
            return
        with contextlib.suppress(InvalidInput):  # a value with no JSON form (a policy with rules of its own)
            found.append(json.loads(hp.to_json(value)))

    collect()
    return found, list(errors)


def build_pools(types: dict[str, type[Any]], per_type: int) -> tuple[dict[str, list[Any]], list[str]]:
    """Valid documents for each type, and what went wrong drawing some of them (each with the type's name)."""
    pools: dict[str, list[Any]] = {}
    notes: list[str] = []
    for name, cls in types.items():
        if cls is ProgressLog:
            continue
        count = max(8, per_type // 4) if cls in (hp.Plan, hp.Slot) else per_type  # plan() behind each draw
        pools[name], errors = draw_pool(cls, count)
        notes.extend(f"{name}: {error}" for error in errors[:3])
    plans = [_example_plan(), *(hp.from_json(json.dumps(d), hp.Plan) for d in pools.get("Plan", []))]
    pools["Plan"] = [json.loads(hp.to_json(p)) for p in plans]
    # What st.from_type could not draw, taken from the catalogue and from real plans.
    parts: dict[str, list[Any]] = {
        "Catalog": [hp.CATALOG],
        "Exercise": list(hp.CATALOG.values()),
        "Variation": [v for ex in hp.CATALOG.values() for v in ex.variations],
        "Cue": [c for ex in hp.CATALOG.values() for c in ex.cues],
        "Mistake": [m for ex in hp.CATALOG.values() for m in ex.mistakes],
        "Reason": [r for p in plans for r in (*p.notes, *(r for s in p.slots for r in s.reasons))][:60],
        "Unplaced": [u for p in plans for u in p.unplaced][:60],
        "WeekOverride": [o for p in plans for o in p.week_overrides][:60],
    }
    for name, values in parts.items():
        pools.setdefault(name, []).extend(json.loads(hp.to_json(v)) for v in values)
    for name in [n for n, pool in pools.items() if not pool]:
        del pools[name]
    log = json.loads((ROOT / "examples" / "log.json").read_text(encoding="utf-8"))
    logs = [log]
    for slot in pools.get("Slot", [])[:20]:
        logs.append({"slot": slot, "performed": log["performed"], "athlete": log["athlete"]})
    for step in pools.get("Step", [])[:20]:
        logs.append({"step": step, "performed": [], "skipped": True})
    pools["ProgressLog"] = logs
    request = json.loads((ROOT / "examples" / "week.json").read_text(encoding="utf-8"))
    pools.setdefault("PlanRequest", []).append(request)
    # Requests small enough to plan in a moment: the CLI plans every valid one.
    for plan in pools["Plan"][:30]:
        small = {k: plan[k] for k in ("athlete", "sessions")}
        small["weeks"] = min(plan["weeks"], 6)
        small["overrides"] = [o for o in plan["week_overrides"] if o["week"] <= small["weeks"]]
        pools["PlanRequest"].append(small)
    return pools, notes


def _example_plan() -> hp.Plan:
    from hipplan.example import example_request

    return example_request(6).plan()


# ------------------------------------------------------------------------------------------------- inputs

KEYS = ["name", "weekday", "focus", "level", "sets", "reps", "rung", "exercise", "variation", "sessions"]
KEYS += [
    "athlete",
    "places",
    "equipment",
    "slots",
    "dose",
    "schema_version",
    "type",
    "week",
    "weeks",
    "state",
]
SCALARS = ["bench", "lower", "beginner", "left", "finisher", "bodyweight", "kg", "2026-01-05", "mini-band"]
HUGE = [10**400, -(10**400), 2**63, -(2**63) - 1, 1e308, -1e308, 5e-324, 10_000_000, -1, 0, 521, 1e16]
ODD_TEXT = [
    "",
    " ",
    "\x00",
    "\ud800",
    "\udfff",
    "💪" * 50,
    "Jambé",
    "\u202e",
    "a\nb",
    "x" * 10_000,
    "null",
    "NaN",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(HUGE)
    | st.text(max_size=12)
    | st.sampled_from(ODD_TEXT)
    | st.sampled_from(SCALARS)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner)
    ),
    max_leaves=20,
)


DEEP = re.compile(r'"@@deep:(\d+):(list|object)@@"')
"""A marker left in the data where deep nesting goes: it is written into the text after serialising (the
serialisers themselves recurse, and could not write what the fuzz wants to read)."""


def expand(text: str, toml: bool = False) -> str:
    """``text`` with each deep-nesting marker replaced by that many nested lists or objects around a 1."""

    def nest(match: re.Match[str]) -> str:
        depth = int(match.group(1))
        if match.group(2) == "list":
            return "[" * depth + "1" + "]" * depth
        opening = "{a = " if toml else '{"a": '
        return opening * depth + "1" + "}" * depth

    return DEEP.sub(nest, text)


def mutate(data: Any, draw: st.DrawFn, budget: int = 12) -> Any:
    """``data`` with one part changed: replaced, dropped, added to, nested deep, or recursed into."""
    if budget and isinstance(data, dict) and data and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(data)))
        changed = dict(data)
        action = draw(st.sampled_from(["drop", "recurse", "recurse", "replace", "add", "deep"]))
        if action == "drop":
            del changed[key]
        elif action == "recurse":
            changed[key] = mutate(changed[key], draw, budget - 1)
        elif action == "add":
            changed[draw(st.sampled_from(KEYS) | st.text(max_size=8))] = draw(json_values)
        elif action == "deep":
            depth = draw(st.sampled_from([62, 63, 64, 65, 200, 999, 5000, 100_000]))
            changed[key] = f"@@deep:{depth}:{draw(st.sampled_from(['list', 'object']))}@@"
        else:
            changed[key] = draw(json_values)
        return changed
    if budget and isinstance(data, list) and data and draw(st.booleans()):
        index = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["recurse", "recurse", "drop", "copy"]))
        if action == "drop":
            return data[:index] + data[index + 1 :]
        if action == "copy":
            return [*data, data[index]]
        return [*data[:index], mutate(data[index], draw, budget - 1), *data[index + 1 :]]
    return draw(json_values)


def mutate_text(text: str, draw: st.DrawFn) -> str:
    """``text`` cut, with a character changed or inserted, or wrapped in brackets."""
    action = draw(st.sampled_from(["cut", "change", "insert", "wrap"]))
    where = draw(st.integers(0, len(text)))
    if action == "cut":
        return text[:where]
    if action == "change":
        return text[:where] + draw(st.characters()) + text[where + 1 :]
    if action == "insert":
        return (
            text[:where]
            + draw(st.text(max_size=4) | st.sampled_from(['"', "[", "{", "\\", "'''", '"""']))
            + text[where:]
        )
    depth = draw(st.sampled_from([10, 65, 400, 3000]))
    return "[" * depth + text + "]" * depth


def json_input(draw: st.DrawFn, pools: dict[str, list[Any]], name: str) -> str | bytes:
    """A JSON text to read as ``name``: a mutated valid document (mostly), random JSON, or random text."""
    mode = draw(st.sampled_from(["mutated"] * 6 + ["valid", "text-mutated", "random", "raw"]))
    pool = pools[name]
    if mode in ("mutated", "valid", "text-mutated"):
        document = pool[draw(st.integers(0, len(pool) - 1))]
        if mode == "mutated":
            document = mutate(document, draw)
        text = expand(json.dumps(document, ensure_ascii=draw(st.booleans())))
        return mutate_text(text, draw) if mode == "text-mutated" else text
    if mode == "random":
        return json.dumps(draw(json_values))
    return draw(st.binary(max_size=64) | st.text(max_size=64))


# --------------------------------------------------------------------------------------- TOML written here


def toml_key(key: str) -> str:
    return key if key and all(c.isalnum() or c in "-_" for c in key) and key.isascii() else toml_string(key)


def toml_string(text: str) -> str:
    return '"' + json.dumps(text)[1:-1].replace("\x7f", "\\u007f") + '"'


def toml_value(value: Any) -> str | None:
    """``value`` as an inline TOML value (None: it has none, like JSON's null)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("nan" if math.isnan(value) else "inf")
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        items = [toml_value(item) for item in value]
        return "[" + ", ".join(i for i in items if i is not None) + "]"
    pairs = [(toml_key(str(k)), toml_value(v)) for k, v in value.items()]
    return "{" + ", ".join(f"{k} = {v}" for k, v in pairs if v is not None) + "}"


def to_toml(document: dict[str, Any]) -> str:
    """A document as TOML: scalars and arrays first, then one ``[table]`` per object-valued key."""
    lines: list[str] = []
    tables: list[str] = []
    for key, value in document.items():
        written = toml_value(value)
        if written is None:
            continue
        if isinstance(value, dict):
            tables.append(f"\n[{toml_key(key)}]")
            tables.extend(
                f"{toml_key(k)} = {w}" for k, v in value.items() if (w := toml_value(v)) is not None
            )
        else:
            lines.append(f"{toml_key(key)} = {written}")
    return "\n".join(lines + tables) + "\n"


def toml_input(draw: st.DrawFn, pools: dict[str, list[Any]], name: str) -> str:
    mode = draw(st.sampled_from(["mutated"] * 5 + ["valid", "text-mutated", "text-mutated", "random"]))
    if mode == "random":
        return draw(st.text(max_size=80))
    pool = pools[name]
    document = pool[draw(st.integers(0, len(pool) - 1))]
    if mode == "mutated":
        document = mutate(document, draw)
    text = to_toml(document) if isinstance(document, dict) else f"x = {toml_value(document)}\n"
    text = expand(text, toml=True)
    return mutate_text(text, draw) if mode == "text-mutated" else text


# ------------------------------------------------------------------------------------------------- checks


class Timeout(Exception):
    """One input took longer than the limit."""


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    def ring(_signum: int, _frame: object) -> None:
        raise Timeout(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def check_value(value: Any, cls: type[Any]) -> None:
    """A value read must write and read back equal; a plan read must render in every view."""
    text = hp.to_json(value)
    if hp.from_json(text, cls) != value:
        raise AssertionError("read back unequal after a round trip")
    if isinstance(value, hp.Plan):
        value.to_text()
        value.to_markdown()
        value.to_html()
        value.explain()
        value.to_records()
        repr(value)


class Tally:
    """Inputs and outcomes per target, and the distinct findings with a sample input each."""

    def __init__(self, out: Path | None) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self.outcomes: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
        self.findings: dict[str, dict[str, Any]] = {}
        self.out = out

    def run(self, target: str, sample: Any, action: Callable[[], str], seconds: int) -> None:
        self.counts[target] += 1
        try:
            with time_limit(seconds):
                outcome = action()
        except ANSWERS as exc:
            outcome = type(exc).__name__
        except Exception as exc:
            frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            where = f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"
            self.find(f"{target}: {type(exc).__name__} at {where}", str(exc), sample, traceback.format_exc())
            outcome = "finding"
        self.outcomes[target][outcome] += 1

    def find(self, key: str, message: str, sample: Any, trace: str = "") -> None:
        entry = self.findings.setdefault(key, {"count": 0, "message": message[:500], "input": _short(sample)})
        entry["count"] += 1
        if trace and "trace" not in entry:
            entry["trace"] = trace[-3000:]
        if self.out is not None:
            self.out.write_text(json.dumps(self.findings, indent=2, ensure_ascii=False), encoding="utf-8")


def _short(sample: Any) -> str:
    text = sample if isinstance(sample, str) else repr(sample)
    return text if len(text) <= 2000 else text[:2000] + f"... ({len(text)} characters)"


# ------------------------------------------------------------------------------------------------- groups


def run_group(
    group: str,
    inputs: int,
    pools: dict[str, list[Any]],
    tally: Tally,
    folder: Path,
    seconds: int,
    run_seed: int,
) -> None:
    types = document_types()
    names = sorted(pools)
    requestish = ["PlanRequest", "PlanRequest", "Plan", "Athlete", "Session"]

    def json_case(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(names))
        cls = types[name]
        text = json_input(data.draw, pools, name)

        def act() -> str:
            check_value(hp.from_json(text, cls), cls)
            return "ok"

        tally.run(f"from_json {name}", text, act, seconds)

    def toml_case(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(requestish))
        cls = types[name]
        text = toml_input(data.draw, pools, name)
        if name == "PlanRequest" and data.draw(st.booleans()):
            path = folder / "request.toml"
            path.write_text(text, encoding="utf-8", errors="surrogatepass")

            def act() -> str:
                load_request(path)
                return "ok"

            tally.run("load_request .toml", text, act, seconds)
            return

        def act_text() -> str:
            check_value(hp.from_toml(text, cls), cls)
            return "ok"

        tally.run(f"from_toml {name}", text, act_text, seconds)

    def cli_case(data: st.DataObject) -> None:
        command = data.draw(st.sampled_from(["plan", "plan", "explain", "progress"]))
        if command == "progress":
            text = json_input(data.draw, pools, "ProgressLog")
            path = folder / "log.json"
            argv = [
                command,
                str(path),
                *data.draw(st.sampled_from([[], ["--format", "json"], ["--format", "text"]])),
            ]
        else:
            suffix = data.draw(st.sampled_from([".toml", ".json"]))
            text = (
                toml_input(data.draw, pools, "PlanRequest")
                if suffix == ".toml"
                else json_input(data.draw, pools, "PlanRequest")
            )
            path = folder / f"request{suffix}"
            argv = [command, str(path)]
            if command == "plan":
                argv += data.draw(
                    st.sampled_from(
                        [
                            [],
                            ["--format", "json"],
                            ["--format", "markdown"],
                            ["--format", "html"],
                            ["--format", "ics"],
                        ]
                    )
                )
            argv += data.draw(
                st.sampled_from([[], ["--weeks", "3"], ["--weeks", data.draw(st.text(max_size=5))]])
            )
            if command == "plan" and data.draw(st.booleans()):
                argv += [
                    "--start",
                    data.draw(st.sampled_from(["2027-01-04", "9999-12-25", "0001-01-01", "soon"])),
                ]
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode("utf-8", errors="surrogatepass"))

        def act() -> str:
            out, err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    status = main(argv, stdout=out, stderr=err)
            except SystemExit as exc:  # argparse's own exit for a bad option
                status = exc.code if isinstance(exc.code, int) else 2
            if status not in (0, 1, 2):
                raise AssertionError(f"exit status {status}")
            if "Traceback" in err.getvalue():
                raise AssertionError("a traceback on standard error: " + err.getvalue()[-300:])
            return f"exit {status}"

        tally.run(f"cli {command}", (argv, text), act, seconds)

    case = {"json": json_case, "toml": toml_case, "cli": cli_case}[group]

    @settings(
        max_examples=inputs,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def fuzz(data: st.DataObject) -> None:
        case(data)
        done = sum(tally.counts.values())
        if done % 1000 == 0:
            print(f"  {group}: {done} inputs so far, {len(tally.findings)} findings", flush=True)

    (seed(run_seed)(fuzz) if run_seed else fuzz)()


# ------------------------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs in all (default 100,000)")
    parser.add_argument("--groups", nargs="+", choices=GROUPS, default=list(GROUPS))
    parser.add_argument(
        "--seed", type=int, default=0, help="hypothesis seed, to repeat a run (0: a random one)"
    )
    parser.add_argument("--pool", type=int, default=40, help="valid documents drawn per type (default 40)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds one input may take (default 30)")
    parser.add_argument("--findings", type=Path, default=None, help="write the findings to this JSON file")
    parser.add_argument(
        "--memory-gb", type=float, default=4.0, help="address space allowed (MemoryError past it; default 4)"
    )
    return parser.parse_args(argv)


def main_fuzz(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.memory_gb > 0:
        import resource

        limit = int(args.memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", tempfile.mkdtemp(prefix="hipplan-fuzz-hyp-"))
    start = time.perf_counter()
    pools, notes = build_pools(document_types(), args.pool)
    pooled = time.perf_counter() - start
    print(
        f"pool: {sum(map(len, pools.values()))} valid documents of {len(pools)} types in {pooled:.0f} s",
        flush=True,
    )
    for line in notes:
        print(f"  drawing {line}", flush=True)
    tally = Tally(args.findings)
    share = sum(SHARE[g] for g in args.groups)
    with tempfile.TemporaryDirectory(prefix="hipplan-fuzz-") as folder:
        for group in args.groups:
            inputs = max(1, round(args.inputs * SHARE[group] / share))
            began = time.perf_counter()
            run_group(group, inputs, pools, tally, Path(folder), args.timeout, args.seed)
            print(f"{group}: {inputs} inputs asked in {time.perf_counter() - began:.0f} s", flush=True)
    elapsed = time.perf_counter() - start
    print(f"\ninputs per target ({sum(tally.counts.values())} in all, {elapsed:.0f} s, pool included):")
    for target in sorted(tally.counts):
        shown = ", ".join(f"{k} {v}" for k, v in tally.outcomes[target].most_common())
        print(f"  {target:<28} {tally.counts[target]:>7}   {shown}")
    print(
        f"\nfindings: {len(tally.findings)} distinct, {sum(f['count'] for f in tally.findings.values())} inputs"
    )
    for key, entry in tally.findings.items():
        print(f"- {key} (x{entry['count']}): {entry['message'][:300]}\n  input: {entry['input'][:300]!r}")
    return 1 if tally.findings else 0


if __name__ == "__main__":
    sys.exit(main_fuzz())
