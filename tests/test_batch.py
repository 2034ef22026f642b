"""Batch planning: plan_many gives plan() one request at a time, in order, errors as values; `hipplan batch`
plans JSON Lines whole or not at all."""

from __future__ import annotations

import io
import os
import pickle
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hipplan as hp
from hipplan import strategies as hst
from hipplan.batch import BatchError, BatchRequest, BatchResult, plan_line, plan_many
from hipplan.cli import EXIT_BATCH_FAILED, _Progress, main
from hipplan.errors import Conflict
from hipplan.example import example_request
from hipplan.request import load_request
from hipplan.units import lb

ROOT = Path(__file__).resolve().parent.parent
FEW = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def varied_requests(count: int, weeks: int = 4) -> list[hp.PlanRequest]:
    """Deterministic, varied requests: levels, bodyweights, units, goals, weeks with and without a trip."""
    base = example_request(weeks)
    home = hp.Session(name="Sun home", weekday=6, focus="circuit", equipment={"couch"}, minutes=20)
    found = []
    for i in range(count):
        level = list(hp.Level)[i % 3]
        unit = hp.Unit.LB if i % 5 == 0 else hp.Unit.KG
        bodyweight = lb(110 + 5 * (i % 30)) if unit is hp.Unit.LB else 50.0 + (i * 7) % 60
        athlete = hp.Athlete(level=level, bodyweight_kg=bodyweight, unit=unit, goal=list(hp.Goal)[i % 3])
        sessions = base.sessions if i % 4 else (*base.sessions[:2], home)
        found.append(
            attrs.evolve(
                base,
                athlete=athlete,
                sessions=sessions,
                overrides=base.overrides if i % 3 == 0 else (),
                constraints=base.constraints if level is hp.Level.ADVANCED else (),
                plan_id=f"athlete-{i}",
            )
        )
    return found


def infeasible_request() -> hp.PlanRequest:
    return load_request(ROOT / "examples" / "infeasible.toml")


def one_by_one(requests: list[Any]) -> list[Any]:
    out: list[Any] = []
    for request in requests:
        try:
            out.append(request.plan())
        except hp.HipplanError as exc:
            out.append(exc)
    return out


def same(expected: list[Any], actual: list[Any]) -> bool:
    """Plans equal, errors of the same type with the same message, problems, conflicts and ways out."""

    def key(result: Any) -> Any:
        if isinstance(result, hp.Plan):
            return result
        return (
            type(result),
            str(result),
            getattr(result, "problems", None),
            getattr(result, "conflicts", None),
            getattr(result, "ways_out", None),
        )

    return [key(r) for r in expected] == [key(r) for r in actual]


# ------------------------------------------------------------------ errors as values


@given(
    st.text(min_size=1),
    st.lists(st.text(), max_size=3),
    st.none() | st.text(min_size=1),
)
def test_invalid_input_pickles_whole(message: str, problems: list[str], field: str | None) -> None:
    """An InvalidInput comes back from pickle with its message, problems and field (it crosses processes)."""
    error = hp.InvalidInput(message, problems, field=field)
    back = pickle.loads(pickle.dumps(error))
    assert (hp.InvalidInput, str(error), error.problems, field) == (
        type(back),
        str(back),
        back.problems,
        back.field,
    )


@given(
    st.text(min_size=1),
    st.lists(st.builds(Conflict, st.text(), st.text(), st.lists(st.text(), max_size=2)), max_size=3),
    st.lists(st.text(), max_size=2),
)
def test_infeasible_pickles_with_its_conflicts(
    message: str, conflicts: list[Conflict], ways: list[str]
) -> None:
    """An Infeasible comes back from pickle with its conflicts and ways out."""
    error = hp.Infeasible(message, conflicts, ways)
    back = pickle.loads(pickle.dumps(error))
    assert (str(error), error.conflicts, error.ways_out) == (str(back), back.conflicts, back.ways_out)
    budget = pickle.loads(pickle.dumps(hp.BudgetExceeded(message, 7)))
    assert (message, 7) == (str(budget), budget.explored)


# ------------------------------------------------------------------ plan_many


@FEW
@given(st.lists(hst.requests(max_weeks=3), max_size=4))
def test_plan_many_in_process_is_plan_one_by_one(requests: list[hp.PlanRequest]) -> None:
    """Without an executor, plan_many yields what plan() gives each request, in order, errors as values."""
    assert same(one_by_one(requests), list(plan_many(requests)))


def test_plan_many_on_a_process_pool_is_plan_one_by_one() -> None:
    """On a pool of two processes, in chunks, the results are plan()'s in order; errors in the middle are values
    and the batch goes on."""
    requests: list[Any] = varied_requests(9)
    requests[3] = infeasible_request()
    requests[5] = "not a request"
    expected = [*one_by_one(requests[:5]), None, *one_by_one(requests[6:])]
    with ProcessPoolExecutor(2) as pool:
        results = list(plan_many(requests, executor=pool, chunksize=2))
    assert isinstance(results[5], hp.InvalidInput)
    assert "plan_many takes PlanRequest values (got str)" == str(results[5])
    results[5] = None
    assert same(expected, results)
    assert isinstance(results[3], hp.Infeasible)
    assert results[3].conflicts


def test_plan_many_takes_requests_lazily() -> None:
    """plan_many reads its requests as it goes: a generator is fine, and nothing is planned before it is asked."""
    seen: list[int] = []

    def requests() -> Any:
        for i, request in enumerate(varied_requests(3)):
            seen.append(i)
            yield request

    results = plan_many(requests())
    assert [] == seen
    next(results)
    assert [0] == seen


@pytest.mark.parametrize("bad", [{"chunksize": 0}, {"chunksize": True}, {"max_pending": 0}])
def test_plan_many_refuses_bad_settings(bad: dict[str, Any]) -> None:
    """A chunk size or a number of pending chunks below 1 is InvalidInput naming it."""
    with ProcessPoolExecutor(1) as pool, pytest.raises(hp.InvalidInput, match=next(iter(bad))):
        plan_many([], executor=pool, **bad)


# ------------------------------------------------------------------ the JSON Lines documents


def request_line(request: hp.PlanRequest, ident: str | int) -> str:
    fields = {f.name: getattr(request, f.name) for f in attrs.fields(hp.PlanRequest)}
    return hp.to_json(BatchRequest(id=ident, **fields), indent=None)


def test_a_line_gives_the_plan_with_its_id() -> None:
    """A request line gives a result line with its id, its line number and the plan plan() makes."""
    request = varied_requests(1)[0]
    text, note = plan_line(7, request_line(request, "a-1"))
    assert note is None
    result = hp.from_json(text, BatchResult)
    assert (7, "a-1", request.plan(), None) == (result.line, result.id, result.plan, result.error)
    assert text.endswith("}\n")
    assert "\n" not in text[:-1]


@pytest.mark.parametrize("ident", [42, 0, -7, "42", "athlete/17"])
def test_an_id_comes_back_as_it_came(ident: str | int) -> None:
    """A whole-number id (a database key) comes back a number, a text id as text: never one turned into the other."""
    request = varied_requests(1)[0]
    text, note = plan_line(1, request_line(request, ident))
    assert note is None
    result = hp.from_json(text, BatchResult)
    assert result.id == ident
    assert type(result.id) is type(ident)


@pytest.mark.parametrize("ident", [True, 4.5, " ", None, [1]])
def test_an_id_that_is_neither_text_nor_a_whole_number_is_refused(ident: object) -> None:
    """A boolean, a fraction, a blank text, null or a list as id: InvalidInput naming $.id."""
    import json

    line = json.loads(request_line(varied_requests(1)[0], "x"))
    text, _ = plan_line(1, json.dumps({**line, "id": ident}))
    result = hp.from_json(text, BatchResult)
    assert result.error is not None
    assert "$.id" in result.error.message, result.error.message


def test_an_infeasible_line_gives_its_conflicts() -> None:
    """An infeasible request's line gives an Infeasible error with the conflicts and ways out, and a note."""
    request = infeasible_request()
    text, note = plan_line(2, request_line(request, "trip"))
    result = hp.from_json(text, BatchResult)
    with pytest.raises(hp.Infeasible) as raised:
        request.plan()
    assert BatchError.of(raised.value) == result.error
    assert "Infeasible" == result.error.kind
    assert [c.rule for c in raised.value.conflicts] == [c.rule for c in result.error.conflicts]
    assert note is not None
    assert note.startswith("line 2 (id 'trip'): Infeasible: No plan fits week 3")


@pytest.mark.parametrize(
    ("line", "ident", "start"),
    [
        ("{not json", None, "not valid JSON"),
        ("[1, 2]", None, "$: expected an object describing a BatchRequest"),
        (
            '{"id": "x", "athlete": {"level": "advanced"}, "sessions": [], "weeks": 0}',
            "x",
            "invalid BatchRequest",
        ),
        ('{"athlete": {"level": "advanced"}, "sessions": []}', None, "invalid BatchRequest: $.id"),
    ],
)
def test_a_bad_line_gives_invalid_input(line: str, ident: str | None, start: str) -> None:
    """A line that is not JSON, not an object or not a valid request gives InvalidInput, with its id if any."""
    text, note = plan_line(3, line)
    result = hp.from_json(text, BatchResult)
    assert (ident, "InvalidInput") == (result.id, result.error.kind)
    assert result.error.message.startswith(start), result.error.message
    assert note is not None
    assert note.startswith("line 3")


# ------------------------------------------------------------------ hipplan batch


@pytest.fixture
def batch_file(tmp_path: Path) -> Path:
    """Three good requests, a line that is not JSON, a blank line, an infeasible request, and a good one."""
    good = varied_requests(4)
    lines = [
        request_line(good[0], "a0"),
        request_line(good[1], "a1"),
        request_line(good[2], "a2"),
        "{not json",
        "",
        request_line(infeasible_request(), "trip"),
        request_line(good[3], "a3"),
    ]
    path = tmp_path / "requests.jsonl"
    path.write_text("".join(line.rstrip("\n") + "\n" for line in lines), encoding="utf-8")
    return path


def test_batch_writes_one_result_per_line_and_counts_the_failures(batch_file: Path, tmp_path: Path) -> None:
    """Each non-blank line gives one result line in order, with its id and line number; the bad line and the
    infeasible one are reported on stderr by line number; the exit status is 10 + the failures."""
    output = tmp_path / "plans.jsonl"
    err = io.StringIO()
    status = main(["batch", str(batch_file), "--output", str(output)], stdout=io.StringIO(), stderr=err)
    assert EXIT_BATCH_FAILED + 2 == status
    results = [hp.from_json(line, BatchResult) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [1, 2, 3, 4, 6, 7] == [r.line for r in results]
    assert ["a0", "a1", "a2", None, "trip", "a3"] == [r.id for r in results]
    assert [None, None, None, "InvalidInput", "Infeasible", None] == [
        r.error and r.error.kind for r in results
    ]
    good = varied_requests(4)
    assert [r.plan() for r in good] == [r.plan for r in results if r.plan is not None]
    notes = err.getvalue().splitlines()
    assert notes[0].startswith(f"hipplan: {batch_file}: line 4: InvalidInput: not valid JSON")
    assert notes[1].startswith(f"hipplan: {batch_file}: line 6 (id 'trip'): Infeasible:")
    assert f"hipplan: {batch_file}: 4 planned, 2 failed, of 6 lines" == notes[-1]


def test_batch_on_two_processes_writes_the_same_bytes(batch_file: Path, tmp_path: Path) -> None:
    """--jobs 2 (in chunks of 2) writes exactly what one process writes, and exits the same."""
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    assert 12 == main(["batch", str(batch_file), "-o", str(one)], **quiet)
    assert 12 == main(["batch", str(batch_file), "-o", str(two), "--jobs", "2", "--chunksize", "2"], **quiet)
    assert one.read_bytes() == two.read_bytes()


def test_batch_without_output_prints_the_results(batch_file: Path, tmp_path: Path) -> None:
    """Without --output the result lines go to standard output, the same as the file would hold."""
    output = tmp_path / "plans.jsonl"
    out = io.StringIO()
    main(["batch", str(batch_file)], stdout=out, stderr=io.StringIO())
    main(["batch", str(batch_file), "-o", str(output)], stdout=io.StringIO(), stderr=io.StringIO())
    assert output.read_text(encoding="utf-8") == out.getvalue()


def test_batch_reads_standard_input_for_a_dash(batch_file: Path) -> None:
    """`hipplan batch -` reads the requests from standard input: the same lines out, the same exit status, and
    the notes name <stdin>."""
    from_file, from_pipe, err = io.StringIO(), io.StringIO(), io.StringIO()
    status = main(["batch", str(batch_file)], stdout=from_file, stderr=io.StringIO())
    piped = main(["batch", "-"], stdout=from_pipe, stderr=err, stdin=io.BytesIO(batch_file.read_bytes()))
    assert (piped, from_pipe.getvalue()) == (status, from_file.getvalue())
    assert "hipplan: <stdin>: line 4: InvalidInput" in err.getvalue()


def test_batch_of_good_lines_exits_0(tmp_path: Path) -> None:
    """A file of good requests exits 0 and says how many were planned."""
    path = tmp_path / "in.jsonl"
    path.write_text(
        "".join(request_line(r, f"x{i}") for i, r in enumerate(varied_requests(2))), encoding="utf-8"
    )
    err = io.StringIO()
    assert 0 == main(["batch", str(path), "-o", str(tmp_path / "out.jsonl")], stderr=err)
    assert f"hipplan: {path}: 2 planned, 0 failed, of 2 lines\n" == err.getvalue()


def test_batch_exit_status_counts_up_to_100_failures(tmp_path: Path) -> None:
    """The exit status counts the failed lines up to 100: 10 + 100 for 100 or more."""
    path = tmp_path / "in.jsonl"
    path.write_text("nope\n" * 101, encoding="utf-8")
    assert 110 == main(["batch", str(path), "-o", str(tmp_path / "out.jsonl")], stderr=io.StringIO())


def test_batch_refuses_a_missing_file_and_writes_nothing(tmp_path: Path) -> None:
    """A missing input file is a usage error (status 2), and no output file is made."""
    err = io.StringIO()
    output = tmp_path / "out.jsonl"
    assert 2 == main(["batch", str(tmp_path / "none.jsonl"), "-o", str(output)], stderr=err)
    assert "none.jsonl: no such file" in err.getvalue()
    assert not output.exists()


def test_batch_keeps_an_existing_output_when_it_fails(tmp_path: Path) -> None:
    """A batch that stops with an error (a line over 10 MB) leaves the old output file as it was."""
    path = tmp_path / "in.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(request_line(varied_requests(1)[0], "ok"))
        handle.write("x" * 10_000_001 + "\n")
    output = tmp_path / "out.jsonl"
    output.write_text("old\n", encoding="utf-8")
    err = io.StringIO()
    assert 2 == main(["batch", str(path), "-o", str(output)], stderr=err)
    assert "line 2 is longer than 10 MB" in err.getvalue()
    assert "old\n" == output.read_text(encoding="utf-8")
    assert ["in.jsonl", "out.jsonl"] == sorted(p.name for p in tmp_path.iterdir())


def test_batch_interrupted_leaves_no_partial_file(tmp_path: Path) -> None:
    """SIGTERM in the middle of a batch ends it as the signal does, with no output file and no temporary file."""
    path = tmp_path / "in.jsonl"
    line = request_line(example_request(12), "same")
    path.write_text(line * 2000, encoding="utf-8")
    output = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "hipplan", "batch", str(path), "-o", str(output)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):  # until the temporary output file exists: the batch is under way
            if any(p.name.startswith(".out.jsonl.") for p in tmp_path.iterdir()):
                break
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert -signal.SIGTERM == status
    assert ["in.jsonl"] == sorted(p.name for p in tmp_path.iterdir())


def test_progress_line_counts_rate_and_time_left() -> None:
    """The progress line shows lines done of all, the failures, a rate and the time left."""
    stream = io.StringIO()
    progress = _Progress(stream, 10)
    progress.update(5, 1, last=True)
    text = stream.getvalue()
    assert text.startswith("\r5/10 lines, 1 failed  ")
    assert "/s  " in text
    assert text.endswith("s left  \n")


def test_no_progress_line_when_stderr_is_not_a_terminal(batch_file: Path, tmp_path: Path) -> None:
    """With stderr not a terminal (a file, a pipe), only the failures and the summary are written there."""
    err = io.StringIO()
    main(["batch", str(batch_file), "-o", str(tmp_path / "o.jsonl")], stderr=err)
    assert "\r" not in err.getvalue()
    assert 3 == len(err.getvalue().splitlines())


def test_cli_environment_is_clean() -> None:
    """The tests above leave no hipplan temporary file in the working folder."""
    assert [] == [name for name in os.listdir(ROOT) if name.startswith(".") and name.endswith(".tmp")]
