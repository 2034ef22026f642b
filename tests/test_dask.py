"""Dask: plan_many on a LocalCluster's executor, and hipplan.dask over JSON Lines files, give what one process gives."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import hipplan as hp
from hipplan.batch import BatchRequest, BatchResult, plan_many
from hipplan.cli import main
from hipplan.example import example_request
from hipplan.request import load_request

distributed = pytest.importorskip("distributed")
pytest.importorskip("dask.bag")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A cluster of two worker processes on this machine, started for these tests only."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client


def requests() -> list[Any]:
    """Six requests for different athletes, an infeasible one and something that is not a request."""
    base = example_request(6)
    found: list[Any] = [
        attrs.evolve(base, athlete=hp.Athlete(level=level, bodyweight_kg=weight), plan_id=f"a-{i}")
        for i, (level, weight) in enumerate((lvl, w) for lvl in hp.Level for w in (55.0, 90.0))
    ]
    found.insert(2, load_request(ROOT / "examples" / "infeasible.toml"))
    found.insert(5, {"athlete": "not a request"})
    return found


def key(result: Any) -> Any:
    if isinstance(result, hp.Plan):
        return result
    return (type(result), str(result), getattr(result, "conflicts", None), getattr(result, "problems", None))


def test_plan_many_on_a_local_cluster_is_plan_one_by_one(client: Any) -> None:
    """With a Dask client's executor, the results are plan_many's in this process, in order, errors included."""
    expected = [key(r) for r in plan_many(requests())]
    actual = [key(r) for r in plan_many(requests(), executor=client.get_executor(), chunksize=2)]
    assert expected == actual
    assert hp.Infeasible is actual[2][0]
    assert hp.InvalidInput is actual[5][0]


def test_plan_files_writes_what_hipplan_batch_writes(client: Any, tmp_path: Path) -> None:
    """hipplan.dask.plan_files over two JSON Lines files writes, file by file, what `hipplan batch` writes for
    each (the same lines, numbered within the file)."""
    from hipplan.dask import plan_files

    fields = [f.name for f in attrs.fields(hp.PlanRequest)]
    lines = [
        hp.to_json(BatchRequest(id=f"r{i}", **{name: getattr(r, name) for name in fields}), indent=None)
        for i, r in enumerate(r for r in requests() if isinstance(r, hp.PlanRequest))
    ]
    lines.insert(1, "{not json\n")
    inputs = [tmp_path / "in-0.jsonl", tmp_path / "in-1.jsonl"]
    inputs[0].write_text("".join(lines[:4]), encoding="utf-8")
    inputs[1].write_text("".join(lines[4:]), encoding="utf-8")
    written = plan_files([str(p) for p in inputs], str(tmp_path / "out" / "*.jsonl"))
    assert [str(tmp_path / "out" / f"{i}.jsonl") for i in range(2)] == sorted(written)
    for source, result in zip(inputs, sorted(written), strict=True):
        expected = tmp_path / f"{source.stem}.expected.jsonl"
        main(["batch", str(source), "-o", str(expected)], stdout=io.StringIO(), stderr=io.StringIO())
        assert expected.read_text(encoding="utf-8") == Path(result).read_text(encoding="utf-8")
    first = [hp.from_json(line, BatchResult) for line in Path(sorted(written)[0]).read_text().splitlines()]
    assert [1, 2, 3, 4] == [r.line for r in first]
    assert ["r0", None, "r1", "r2"] == [r.id for r in first]
