"""Planning many athletes at once: :func:`plan_many` on any executor, and the JSON Lines of ``hipplan batch``.

Each request gives one result, in the order of the requests: the :class:`~hipplan.Plan`, or the error as a value
(:class:`~hipplan.InvalidInput`, :class:`~hipplan.Infeasible` with its conflicts, :class:`~hipplan.BudgetExceeded`).
One request's error never ends the batch. The work goes to the executor in chunks of requests, so that sending a
request and its plan between processes costs little next to planning it.
"""

from __future__ import annotations

import collections
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from typing import TypeVar

import attrs

from . import _validate as v
from .errors import BudgetExceeded, HipplanError, Infeasible, InvalidInput
from .plan import Plan
from .request import PlanRequest

__all__ = [
    "DEFAULT_CHUNKSIZE",
    "BatchConflict",
    "BatchError",
    "BatchRequest",
    "BatchResult",
    "plan_line",
    "plan_lines",
    "plan_many",
]

DEFAULT_CHUNKSIZE = 16
"""Requests sent to a worker at once: about a third of a second of planning for a 12-week plan."""

T = TypeVar("T")
R = TypeVar("R")


# ------------------------------------------------------------------ plan_many


def plan_many(
    requests: Iterable[PlanRequest],
    *,
    executor: Executor | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    max_pending: int | None = None,
) -> Iterator[Plan | HipplanError]:
    """Plan every request; yield one result per request, in the order of ``requests``.

    A result is the :class:`~hipplan.Plan` that ``request.plan()`` makes, or the error it raises as a value:
    :class:`~hipplan.InvalidInput` (also for an item that is not a :class:`~hipplan.PlanRequest`),
    :class:`~hipplan.Infeasible` with its ``conflicts`` and ``ways_out``, or :class:`~hipplan.BudgetExceeded`.
    Any other exception is a bug, and is raised.

    Args:
        requests: the plan requests; read lazily, so a generator over a large file is fine.
        executor: where to plan: None plans in this process, one request at a time; any
            :class:`concurrent.futures.Executor` works, such as a ``ProcessPoolExecutor`` or a Dask cluster's
            ``client.get_executor()`` (``pip install 'hipplan[dask]'``).
        chunksize: requests sent to the executor at once.
        max_pending: chunks handed to the executor before the first result is taken back (default: twice its
            workers, at least 4): more keeps every worker busy, fewer keeps less in memory.
    """
    if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
        raise InvalidInput(f"'chunksize' must be a whole number >= 1 (got {chunksize!r})", field="chunksize")
    if max_pending is not None and (
        isinstance(max_pending, bool) or not isinstance(max_pending, int) or max_pending < 1
    ):
        raise InvalidInput(
            f"'max_pending' must be a whole number >= 1 (got {max_pending!r})", field="max_pending"
        )
    if executor is None:
        return (_plan_one(request) for request in requests)
    return ordered_map(_plan_chunk, requests, executor, chunksize, max_pending)


def _plan_one(request: object) -> Plan | HipplanError:
    if not isinstance(request, PlanRequest):
        return InvalidInput(f"plan_many takes PlanRequest values (got {type(request).__name__})")
    try:
        return request.plan()
    except HipplanError as exc:
        return exc.with_traceback(None)


def _plan_chunk(requests: Sequence[object]) -> list[Plan | HipplanError]:
    """Plan a chunk of requests in a worker (a module-level function, so that every executor can send it)."""
    return [_plan_one(request) for request in requests]


def ordered_map(
    func: Callable[[list[T]], list[R]],
    items: Iterable[T],
    executor: Executor,
    chunksize: int,
    max_pending: int | None = None,
) -> Iterator[R]:
    """``func`` over chunks of ``items`` on ``executor``, the results flattened in the order of ``items``.

    At most ``max_pending`` chunks are in the executor at once; closing the iterator early cancels the rest.
    """
    window = max_pending or max(4, 2 * _workers(executor))
    pending: collections.deque[Future[list[R]]] = collections.deque()
    try:
        for chunk in _chunks(items, chunksize):
            pending.append(executor.submit(func, chunk))
            if len(pending) >= window:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _workers(executor: Executor) -> int:
    """How many workers an executor has, as far as it says (a process or thread pool, a Dask client)."""
    count = getattr(executor, "_max_workers", None)
    if isinstance(count, int) and count > 0:
        return count
    client = getattr(executor, "_client", None)  # distributed's ClientExecutor
    if client is not None:
        try:
            threads = sum(client.nthreads().values())
        except Exception:  # a client that cannot say: guess from this machine
            threads = 0
        if threads > 0:
            return int(threads)
    return os.cpu_count() or 1


# ------------------------------------------------------------------ the JSON Lines documents


@attrs.frozen(kw_only=True)
class BatchRequest(PlanRequest):
    """One line of ``hipplan batch``'s input: a plan request (see :class:`~hipplan.PlanRequest`) and its ``id``.

    Attributes:
        id: the caller's name for the request (an athlete's id), given back with its result as it came: a
            string that is not blank, or a whole number (a database key).
    """

    id: str | int = attrs.field(validator=v.identifier())


@attrs.frozen(kw_only=True)
class BatchConflict:
    """One rule of an :class:`~hipplan.Infeasible` result (a :class:`~hipplan.Conflict`).

    Attributes:
        rule: the rule's id.
        text: the rule in a coach's words.
        sessions: where it binds (week and session).
        detail: why it refuses there, when the rule's text does not say it all (empty otherwise).
    """

    rule: str = attrs.field(validator=v.text(nonempty=False))
    text: str = attrs.field(validator=v.text(nonempty=False))
    sessions: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )
    detail: str = attrs.field(default="", validator=v.text(nonempty=False))


@attrs.frozen(kw_only=True)
class BatchError:
    """Why a line of ``hipplan batch`` has no plan.

    Attributes:
        kind: the error: ``InvalidInput`` (not JSON, not a request, or a value out of range), ``Infeasible`` (no
            plan satisfies the rules) or ``BudgetExceeded`` (the search ran out of steps).
        message: the whole message, as ``hipplan plan`` prints it.
        problems: for bad input, one line per problem, each with its JSON path.
        conflicts: for ``Infeasible``, the rules that cannot all hold (drop any one and a plan exists).
        ways_out: for ``Infeasible``, concrete changes, each of which lifts a part of the conflict.
        notes: for ``Infeasible``, what explains the conflict without being a rule (sessions no role belongs on).
    """

    kind: str = attrs.field(validator=v.text())
    message: str = attrs.field(validator=v.text(nonempty=False))
    problems: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )
    conflicts: tuple[BatchConflict, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(BatchConflict, container=tuple)
    )
    ways_out: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )
    notes: tuple[str, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.members(str, container=tuple)
    )

    @classmethod
    def of(cls, exc: HipplanError) -> BatchError:
        """The error as a document."""
        if isinstance(exc, Infeasible):
            conflicts = tuple(
                BatchConflict(rule=c.rule, text=c.text, sessions=c.sessions, detail=c.detail)
                for c in exc.conflicts
            )
            return cls(
                kind="Infeasible",
                message=str(exc),
                conflicts=conflicts,
                ways_out=exc.ways_out,
                notes=exc.notes,
            )
        if isinstance(exc, InvalidInput):
            return cls(kind="InvalidInput", message=str(exc), problems=exc.problems)
        if isinstance(exc, BudgetExceeded):
            return cls(kind="BudgetExceeded", message=str(exc))
        return cls(kind=type(exc).__name__, message=str(exc))


@attrs.frozen(kw_only=True)
class BatchResult:
    """One line of ``hipplan batch``'s output: the plan of one input line, or why it has none.

    Attributes:
        line: the line's number in the input file (the first line is 1).
        id: the request's ``id``; null when the line gave none that could be read.
        plan: the plan (null when there is none).
        error: why there is no plan (null when there is one).
    """

    line: int = attrs.field(validator=v.integer(ge=1))
    id: str | int | None = attrs.field(default=None, validator=v.optional(v.identifier()))
    plan: Plan | None = attrs.field(default=None, validator=v.optional(v.instance_of(Plan)))
    error: BatchError | None = attrs.field(default=None, validator=v.optional(v.instance_of(BatchError)))

    def __attrs_post_init__(self) -> None:
        if (self.plan is None) == (self.error is None):
            raise InvalidInput("a BatchResult holds either a 'plan' or an 'error'")


def plan_line(number: int, text: str | bytes) -> tuple[str, str | None]:
    """Plan one input line of ``hipplan batch``: (its output line, a one-line note on why it failed or None).

    The output line is a :class:`BatchResult` as compact JSON with a final newline; the note names the line, the
    id and the error's first line (the output line has all of it).
    """
    from .serialization import to_json

    result = _result(number, text)
    note = None
    if result.error is not None:
        name = f" (id {result.id!r})" if result.id is not None else ""
        first = result.error.message.splitlines()[0] if result.error.message else ""
        note = f"line {number}{name}: {result.error.kind}: {first}"
    return to_json(result, indent=None), note


def plan_lines(lines: Sequence[tuple[int, str | bytes]]) -> list[tuple[str, str | None]]:
    """:func:`plan_line` over numbered lines (a chunk, in a worker)."""
    return [plan_line(number, text) for number, text in lines]


def _result(number: int, text: str | bytes) -> BatchResult:
    from .serialization import from_json

    try:
        request = from_json(text, BatchRequest)
    except InvalidInput as exc:
        return BatchResult(line=number, id=_id(text), error=BatchError.of(exc))
    try:
        return BatchResult(line=number, id=request.id, plan=request.plan())
    except HipplanError as exc:
        return BatchResult(line=number, id=request.id, error=BatchError.of(exc))


def _id(text: str | bytes) -> str | int | None:
    """The ``id`` of a line that is not a valid request, when it has a readable one."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    found = data.get("id") if isinstance(data, dict) else None
    if isinstance(found, int) and not isinstance(found, bool):
        return found
    if isinstance(found, str) and found.strip():
        try:
            found.encode("utf-8")
        except UnicodeEncodeError:
            return None
        return found
    return None


def numbered_lines(lines: Iterable[str | bytes]) -> Iterator[tuple[int, str | bytes]]:
    """The lines that hold something, with their numbers (the first line is 1): blank lines are skipped."""
    for number, text in enumerate(lines, start=1):
        if text.strip():
            yield number, text


def run_lines(
    lines: Iterable[str | bytes],
    *,
    executor: Executor | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    max_pending: int | None = None,
) -> Iterator[tuple[str, str | None]]:
    """Every non-blank line planned, in order: (its output line, a note when it failed)."""
    numbered = numbered_lines(lines)
    if executor is None:
        return (plan_line(number, text) for number, text in numbered)
    return ordered_map(plan_lines, numbered, executor, chunksize, max_pending)
