"""Planning JSON Lines files on a Dask cluster (``pip install 'hipplan[dask]'``).

For plan requests already in Python, :func:`hipplan.plan_many` takes a Dask client's executor::

    from distributed import Client
    client = Client("scheduler-address:8786")
    for result in hp.plan_many(requests, executor=client.get_executor()):
        ...

For files, :func:`plan_files` reads JSON Lines (one plan request with its ``"id"`` per line, as ``hipplan batch``
reads them) from any path fsspec reads (local files, or object storage such as ``s3://bucket/in/*.jsonl`` when
its fsspec package is installed) and writes one result line per request, as ``hipplan batch`` writes them. Each
input file is one partition: split a large batch into several files to spread it over the workers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .errors import require

# dask's own annotations are partial: a bag is typed as Any here (a ``dask.bag.Bag`` of str).
__all__ = ["plan_bag", "plan_files"]


def plan_bag(lines: Any) -> Any:
    """Plan a bag of JSON Lines (one request per element, as ``dask.bag.read_text`` gives them).

    Returns:
        A bag of result lines (JSON text without the final newline), one per non-blank input line, in order.
        A result's ``line`` counts the lines of its partition: the line number in its file when each partition
        is one file, as :func:`plan_files` reads them.
    """
    require("dask.bag", "dask")
    return lines.map_partitions(_plan_partition)


def _plan_partition(lines: Iterable[str]) -> list[str]:
    from .batch import run_lines

    return [text.rstrip("\n") for text, _note in run_lines(lines)]


def plan_files(
    requests: str | Sequence[str],
    output: str | Sequence[str],
    *,
    storage_options: dict[str, Any] | None = None,
    compute: bool = True,
) -> Any:
    """Plan JSON Lines files of requests into JSON Lines files of results, on the current Dask scheduler.

    Args:
        requests: the input files: a path, a glob (``"in/*.jsonl"``) or a list of paths, local or remote.
        output: where to write: a path with a ``*`` (replaced by the partition's number, as in
            ``dask.bag.Bag.to_textfiles``), a folder, or a list of paths, one per input file.
        storage_options: passed to fsspec for both (credentials, endpoints).
        compute: False returns the delayed writes instead of running them.

    Returns:
        The names of the files written (or, with ``compute=False``, the delayed writes).
    """
    bag_module = require("dask.bag", "dask")
    bag = bag_module.read_text(requests, storage_options=storage_options)  # type: ignore[attr-defined]
    return plan_bag(bag).to_textfiles(
        output, storage_options=storage_options, compute=compute, last_endline=True
    )
