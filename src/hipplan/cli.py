"""The ``hipplan`` command line: plan, explain, catalog, progress, schema, batch.

Exit status: 0 on success; 1 when no plan satisfies the rules (Infeasible, or the search ran out of steps);
2 for bad input or bad usage; ``hipplan batch``: 10 plus the number of lines without a plan (up to 100).
Errors are one line on standard error naming the file, the path inside it and the problem; a user's mistake never
prints a traceback. An input file must be a regular .toml or .json file of at most 10 MB (checked before it is
read). An output file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from . import _files
from . import _validate as v
from ._files import MAX_INPUT_BYTES, read_input, write_output
from .athlete import Athlete
from .catalog import CATALOG
from .dose import Dose, Performed
from .errors import BudgetExceeded, HipplanError, Infeasible, InvalidInput, MissingExtra
from .exercises import Rung
from .plan import Plan, Slot
from .progression import Step
from .units import Kit, show_load
from .vocabulary import Equipment, Role, Unit, counted

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BATCH_FAILED",
    "EXIT_INFEASIBLE",
    "EXIT_OK",
    "FORMATS",
    "ProgressLog",
    "main",
    "write_atomic",
]

EXIT_OK = 0
EXIT_INFEASIBLE = 1
EXIT_BAD_INPUT = 2

FORMATS = ("text", "markdown", "json", "html", "ics")
"""The formats ``hipplan plan --format`` writes."""

_SUFFIX_FORMAT = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".ics": "ics",
}

_FORMAT_ALIASES = {"md": "markdown", "txt": "text", "htm": "html", "ical": "ics"}
"""Short names ``--format`` also takes: the usual file suffixes."""


def _format_name(text: str) -> str:
    """``--format``'s value, an alias such as ``md`` read as the format it names."""
    return _FORMAT_ALIASES.get(text.lower(), text.lower())


EXAMPLE = "the built-in example"

_MB = f"{MAX_INPUT_BYTES // 1_000_000} MB"


class _UserError(Exception):
    """A mistake in the command line or its files: a one-line message, exit status 2."""


# ---------------------------------------------------------------- the progress log


def _performed_tuple(value: Any) -> Any:
    return v.to_tuple(value)


def _history(value: Any) -> Any:
    return tuple(v.to_tuple(item) for item in v.to_tuple(value))


@attrs.frozen(kw_only=True)
class ProgressLog:
    """What ``hipplan progress LOG.json`` reads: what was prescribed, and how the session went.

    Give exactly one prescription: ``slot`` (a slot copied from a plan's JSON), ``step`` (the JSON that
    ``hipplan progress --format json`` printed last time), or ``dose`` with ``exercise``/``variation`` and
    ``role``. A slot and a step carry the role's progression state, so the streaks, the training weeks of the
    block and the way back after a break carry on from them; a bare dose starts a fresh state (``history``
    then fills in the streaks).

    Attributes:
        slot: the prescription as a plan's slot.
        step: the prescription as a step printed by ``hipplan progress --format json``.
        dose: the prescription as a bare dose (when there is no slot or step).
        exercise: the catalogue id of the exercise done with ``dose``.
        variation: the variation id done with ``dose``.
        role: the role of ``dose`` (finisher when not given).
        athlete: the athlete, for the bodyweight behind load caps, the goal's rep range and the unit.
        kit: the equipment the athlete can use next time; by default only what the current variation needs.
        performed: the sets done this session, both sides (empty when ``skipped``).
        skipped: the session did not happen: nothing moves on, and the next one is prescribed from where the
            athlete was.
        next_week: the calendar week of the next session of this role (by default the week after this one's):
            the same week goes on, the week after may be the block's lighter week, a later one is a break.
        history: for a bare ``dose`` only: the sets of earlier sessions at the same prescription, newest last
            (for the 2-for-2 rule and the readiness streak).
    """

    slot: Slot | None = None
    step: Step | None = None
    dose: Dose | None = None
    exercise: str = "single-leg-hip-thrust"
    variation: str = "bodyweight"
    role: Role | None = attrs.field(default=None, converter=attrs.converters.optional(v.role))
    athlete: Athlete | None = None
    kit: frozenset[Equipment] | None = attrs.field(
        default=None, converter=attrs.converters.optional(v.equipment_set)
    )
    performed: tuple[Performed, ...] = attrs.field(default=(), converter=_performed_tuple)
    skipped: bool = attrs.field(default=False, validator=v.instance_of(bool))
    next_week: int | None = attrs.field(default=None, validator=v.optional(v.integer(ge=1)))
    history: tuple[tuple[Performed, ...], ...] = attrs.field(default=(), converter=_history)

    def __attrs_post_init__(self) -> None:
        given = [name for name in ("slot", "step", "dose") if getattr(self, name) is not None]
        if len(given) != 1:
            got = " and ".join(repr(name) for name in given) if given else "none of them"
            raise InvalidInput(f"give one of 'slot', 'step' or 'dose' as what was prescribed (got {got})")
        if self.skipped and self.performed:
            raise InvalidInput(
                f"'performed' must be empty for a skipped session (got {counted(len(self.performed), 'set')})",
                field="performed",
            )
        if not self.skipped and not self.performed:
            raise InvalidInput(
                "'performed' is empty: list the sets that were done, both sides (or give \"skipped\": true)",
                field="performed",
            )

    @property
    def current(self) -> Slot | Step | Dose:
        """What was prescribed: the slot, the step or the dose."""
        if self.slot is not None:
            return self.slot
        if self.step is not None:
            return self.step
        assert self.dose is not None  # the constructor checked that exactly one is given
        return self.dose


# ---------------------------------------------------------------- helpers


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as ``--output`` does (see :func:`hipplan._files.write_output`): a regular
    file whole or not at all, with its permissions and links kept; a device or a pipe in place."""
    write_output(path, text)


def _emit(text: str, output: Path | None, out: IO[str], fmt: str) -> None:
    if output is None:
        _put(out, text, fmt)
    else:
        try:
            write_atomic(output, text)
        except OSError as exc:
            raise _UserError(f"{output}: cannot write the file ({exc.strerror or exc})") from None


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _escape_json(char: str) -> str:
    """A character as JSON escapes (two for a character beyond U+FFFF): the same string once read."""
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _escape_html(char: str) -> str:
    """A character as an HTML character reference: the same text in a browser. (A C1 control character or a
    lone surrogate has no reference of its own: it becomes the replacement character.)"""
    code = ord(char)
    if 0x80 <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
        code = 0xFFFD
    return f"&#{code};"


def _escape_text(char: str, encoding: str) -> str:
    """The nearest thing a terminal can show: the letter without its accent ('e' for 'é'), else '?'."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c) and _fits(c, encoding)
    )
    return plain or "?"


def _fits(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _showable(text: str, encoding: str | None, fmt: str = "text") -> str:
    """``text`` with what ``encoding`` cannot hold replaced: JSON and HTML by escapes that keep their meaning,
    anything else by the nearest plain letter or '?'."""
    if not encoding:
        return text
    try:
        text.encode(encoding)
    except LookupError:
        return text
    except UnicodeEncodeError:
        pass
    else:
        return text

    def replace(match: re.Match[str]) -> str:
        chunk = match.group()
        if _fits(chunk, encoding):
            return chunk
        out = []
        for char in chunk:
            if _fits(char, encoding):
                out.append(char)
            elif fmt == "json":
                out.append(_escape_json(char))
            elif fmt == "html":
                out.append(_escape_html(char))
            else:
                out.append(_escape_text(char, encoding))
        return "".join(out)

    return _NON_ASCII.sub(replace, text)


def _put(stream: IO[str], text: str, fmt: str = "text") -> None:
    """Write ``text`` to a terminal or a pipe in what its encoding can show (``PYTHONIOENCODING=ascii``, an old
    console), then flush: never a UnicodeEncodeError."""
    stream.write(_showable(text, getattr(stream, "encoding", None), fmt))
    stream.flush()


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date such as 2027-01-04, got {text!r}") from None


def _weeks(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 520:
        raise argparse.ArgumentTypeError(f"expected a whole number of weeks from 1 to 520, got {text!r}")
    return number


def _load_request(path: Path) -> Any:
    """A plan request from a .toml or .json file: a regular file of at most 10 MB, checked before reading."""
    from .request import PlanRequest
    from .serialization import from_json, from_toml

    text = read_input(path, suffixes=(".toml", ".json"))
    parse = from_toml if path.suffix.lower() == ".toml" else from_json
    try:
        return parse(text, PlanRequest)
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}", [f"{path}: {p}" for p in exc.problems]) from None


def _request(args: argparse.Namespace) -> tuple[Any, str]:
    """The plan request the arguments name, and how to name it in messages."""
    if args.example and args.file is not None:
        raise _UserError("give a FILE or --example, not both")
    if args.example:
        from .example import example_request

        request = example_request(args.weeks or 8)
        where = EXAMPLE
    elif args.file is None:
        raise _UserError("give a FILE (TOML or JSON) or --example")
    else:
        path = Path(args.file)
        request = _load_request(path)
        where = str(path)
    changes: dict[str, Any] = {}
    if args.weeks is not None:
        changes["weeks"] = args.weeks
    if getattr(args, "start", None) is not None:
        changes["start"] = args.start
    if getattr(args, "plan_id", None) is not None:
        changes["plan_id"] = args.plan_id
    if changes:
        try:
            request = attrs.evolve(request, **changes)
        except InvalidInput as exc:
            raise InvalidInput(f"{where}: {exc}") from None
    return request, where


def _plan(request: Any, where: str, *, name_infeasible: bool = True) -> Plan:
    try:
        plan: Plan = request.plan()
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc}") from None
    except Infeasible as exc:
        if not name_infeasible:
            raise
        raise Infeasible(
            f"{where}: {exc}", exc.conflicts, exc.ways_out, head=exc.head, notes=exc.notes
        ) from None
    return plan


def _render(plan: Plan, fmt: str, where: str) -> str:
    if fmt == "text":
        return plan.to_text()
    if fmt == "markdown":
        return plan.to_markdown()
    if fmt == "html":
        return plan.to_html()
    if fmt == "json":
        from .serialization import to_json

        return to_json(plan)
    if plan.start is None:
        raise _UserError(
            f"{where}: the ics format needs a start date: give --start 2027-01-04 or 'start' in the file"
        )
    try:
        return plan.to_ical()
    except InvalidInput as exc:
        raise InvalidInput(f"{where}: {exc}") from None


# ---------------------------------------------------------------- commands


def _cmd_plan(args: argparse.Namespace, out: IO[str]) -> int:
    output = Path(args.output) if args.output else None
    fmt = args.format or (_SUFFIX_FORMAT.get(output.suffix.lower(), "text") if output else "text")
    request, where = _request(args)
    plan = _plan(request, where)
    text = _render(plan, fmt, where)
    _emit(text, output, out, fmt)
    return EXIT_OK


def _cmd_explain(args: argparse.Namespace, out: IO[str]) -> int:
    request, where = _request(args)
    try:
        plan = _plan(request, where, name_infeasible=False)
    except Infeasible as exc:
        lines = [f"No plan for {where}."]
        if exc.head:
            lines.append(f"{exc.head}. These rules cannot all hold:")
        for conflict in exc.conflicts:
            lines.append(f"- {conflict.line}")
            if conflict.sessions:
                lines.append(f"  where: {'; '.join(conflict.sessions)}")
        lines += [f"- {note}" for note in exc.notes]
        if exc.conflicts:
            lines.append("Drop or relax any one of these rules and a plan exists.")
        if exc.ways_out:
            lines += ["Ways out:", *(f"- {way}" for way in exc.ways_out)]
        _put(out, "\n".join(lines) + "\n")
        return EXIT_INFEASIBLE
    _put(out, plan.explain())
    return EXIT_OK


def _cmd_catalog(args: argparse.Namespace, out: IO[str]) -> int:
    if args.exercise is None:
        exercises = sorted(CATALOG.exercises, key=lambda e: e.rank)
    else:
        wanted = args.exercise.strip().lower().replace(" ", "-")
        if wanted not in CATALOG:
            known = ", ".join(ex.id for ex in sorted(CATALOG.exercises, key=lambda e: e.rank))
            raise _UserError(f"no exercise {args.exercise!r} in the catalogue (known: {known})")
        exercises = [CATALOG[wanted]]
    _put(out, "\n\n".join(ex.card() for ex in exercises))
    return EXIT_OK


def _load_log(path: Path) -> ProgressLog:
    from .serialization import from_json

    text = read_input(path)
    try:
        return from_json(text, ProgressLog)
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}") from None


def _cmd_progress(args: argparse.Namespace, out: IO[str]) -> int:
    from . import progression

    path = Path(args.log)
    log = _load_log(path)
    try:
        rung = Rung(exercise=log.exercise, variation=log.variation) if log.dose is not None else None
        step = progression.progress(
            log.current,
            log.performed,
            role=log.role,
            rung=rung,
            athlete=log.athlete,
            kit=log.kit,
            history=log.history,
            next_week=log.next_week,
            skipped=log.skipped,
        )
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}") from None
    if args.format == "json":
        from .serialization import to_json

        _put(out, to_json(step), "json")
    else:
        # A bare dose has no calendar: its week numbers only count from it.
        dated = log.dose is None or log.next_week is not None
        _put(out, _step_text(step, log.athlete, dated=dated))
    return EXIT_OK


def _dose_text(
    dose: Dose, unit: Unit, unilateral: bool, variation: str | None = None, kit: Kit | None = None
) -> str:
    """A dose for people: ``3 x 12/side @ bar + 10 kg, 1 s pause, lower over 3 s, stop 2 reps short of
    failure`` (loads as ``kit`` makes them, on ``variation``)."""
    text = f"{dose.sets} x {dose.reps}" + ("/side" if unilateral else "")
    load = show_load(dose.load_kg, unit, variation=variation, kit=kit)
    if load != "-":
        text += f" @ {load}"
    if dose.pause_s:
        text += f", {dose.pause_s:g} s pause"
    if dose.lower_s != 2.0:
        text += f", lower over {dose.lower_s:g} s"
    if dose.rir is not None:
        text += f", stop {dose.rir} rep{'s' if dose.rir != 1 else ''} short of failure"
    return text


def _step_text(step: Step, athlete: Athlete | None, *, dated: bool = True) -> str:
    """The next step in words: the dose, the rung, a lighter week and what follows it, why, and where the
    state is."""
    unit = athlete.unit if athlete is not None else Unit.KG
    ex = CATALOG[step.rung.exercise]
    variation = ex.variation(step.rung.variation).name.lower()
    when = f" (week {step.week})" if dated else ""
    # Without an athlete, progress() works in the usual kit in kg, so the loads are written in that kit too.
    kit, var_id = (athlete.load_kit if athlete is not None else Kit()), step.rung.variation
    lines = [
        f"Next time{when}: {_dose_text(step.dose, unit, ex.unilateral, var_id, kit)}"
        f" ({ex.name.lower()}, {variation})."
    ]
    if step.deload:
        after = (
            f"; the week after, back to {_dose_text(step.resume, unit, ex.unilateral, var_id, kit)}"
            if step.resume
            else ""
        )
        lines.append(f"A lighter (deload) week{after}.")
    if step.reasons:
        lines += ["Why:", *(f"- {r.text}" for r in step.reasons)]
    lines.append(
        'With --format json this step comes with the role\'s progression state ("state"): store it and give'
        ' it back as the next log\'s "step".'
    )
    return "\n".join(lines) + "\n"


def _schema_types() -> dict[str, type]:
    """The documents ``hipplan schema`` knows: the library's, and the progress log this command line reads."""
    from .schema import document_types

    return dict(sorted({**document_types(), "ProgressLog": ProgressLog}.items()))


def _cmd_schema(args: argparse.Namespace, out: IO[str]) -> int:
    from .schema import schema_text

    known = _schema_types()
    if args.type is None:
        _put(out, "".join(f"{name}\n" for name in known))
        return EXIT_OK
    by_name = {name.lower(): cls for name, cls in known.items()}
    cls = by_name.get(args.type.strip().lower())
    if cls is None:
        raise _UserError(f"no document type {args.type!r} (known: {', '.join(known)})")
    text = schema_text(cls)
    _emit(text, Path(args.output) if args.output else None, out, "json")
    return EXIT_OK


# ---------------------------------------------------------------- batch

EXIT_BATCH_FAILED = 10
"""``hipplan batch`` exits with this plus the number of lines without a plan (at most 100 counted)."""


@contextlib.contextmanager
def _streamed_output(path: Path | None, out: IO[str]) -> Iterator[Callable[[str], None]]:
    """A ``write`` for output that comes bit by bit: standard output as the text comes, or ``--output`` written
    whole or not at all (:func:`hipplan._files.streamed_output`)."""
    if path is None:
        yield lambda text: _put(out, text, "json")
        return
    try:
        with _files.streamed_output(path) as write:
            yield write
    except OSError as exc:
        raise _UserError(f"{path}: cannot write the file ({exc.strerror or exc})") from None


def _capped_lines(handle: IO[bytes], where: str) -> Iterator[bytes]:
    """The lines of ``handle``, each at most 10 MB."""
    number = 0
    while True:
        line = handle.readline(MAX_INPUT_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_INPUT_BYTES:
            raise _UserError(f"{where}: line {number} is longer than {_MB}: not a JSON Lines file")
        yield line


def _batch_lines(path: Path) -> Iterator[bytes]:
    """The lines of a JSON Lines file, checked as input files are (a regular file); a line may hold at most
    10 MB, the file any number of lines."""
    _files.regular_file(path)
    try:
        with open(path, "rb") as handle:
            yield from _capped_lines(handle, str(path))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the file ({exc.strerror or exc})") from None


class _Progress:
    """A progress line on a terminal: lines done of all, failures, plans a second and the time left."""

    def __init__(self, stream: IO[str] | None, total: int) -> None:
        self.stream = stream
        self.total = total
        self.started = time.monotonic()
        self.shown = 0.0

    def update(self, done: int, failed: int, *, last: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not last and now - self.shown < 0.2:
            return
        self.shown = now
        elapsed = max(now - self.started, 1e-9)
        rate = done / elapsed
        text = f"\r{done:,}/{self.total:,} lines" if self.total else f"\r{done:,} lines"
        text += f", {failed:,} failed" if failed else ""
        text += f"  {rate:,.1f}/s"
        if self.total:  # standard input: no total, so no time left
            left = (self.total - done) / rate if rate > 0 else 0.0
            minutes, seconds = divmod(round(left), 60)
            text += f"  {minutes}m {seconds:02d}s left"
        text += "  "
        self.stream.write(text + ("\n" if last else ""))
        self.stream.flush()


def _cmd_batch(args: argparse.Namespace, out: IO[str]) -> int:
    from concurrent.futures import Executor, ProcessPoolExecutor

    from .batch import run_lines

    err: IO[str] = args.stderr
    piped = args.requests == "-"
    path = Path("<stdin>" if piped else args.requests)
    output = Path(args.output) if args.output else None
    lines = _capped_lines(args.stdin, "<stdin>") if piped else _batch_lines(path)
    first = next(lines, None)  # a missing or unreadable file is an error before any output is made
    shown = err.isatty() and (output is not None or not out.isatty())
    total = sum(1 for line in _batch_lines(path) if line.strip()) if shown and not piped else 0
    progress = _Progress(err if shown else None, total)
    done = failed = 0
    with _streamed_output(output, out) as write:
        executor: Executor | None = ProcessPoolExecutor(args.jobs) if args.jobs > 1 else None
        everything = itertools.chain([first] if first is not None else [], lines)
        results = run_lines(everything, executor=executor, chunksize=args.chunksize)
        try:
            for text, note in results:
                write(text)
                done += 1
                if note is not None:
                    failed += 1
                    if shown:
                        err.write("\r\x1b[K")
                    _put(err, f"hipplan: {path}: {note}\n")
                progress.update(done, failed)
        finally:
            closing = getattr(results, "close", None)
            if closing is not None:
                closing()
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
    progress.update(done, failed, last=True)
    planned = done - failed
    _put(
        err,
        f"hipplan: {path}: {planned:,} planned, {failed:,} failed, of {done:,} line{'s' if done != 1 else ''}\n",
    )
    return EXIT_OK if not failed else EXIT_BATCH_FAILED + min(failed, 100)


def _jobs(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 1024:
        raise argparse.ArgumentTypeError(f"expected a number of processes from 1 to 1024, got {text!r}")
    return number


def _chunksize(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 10_000:
        raise argparse.ArgumentTypeError(f"expected a number of requests from 1 to 10000, got {text!r}")
    return number


# ---------------------------------------------------------------- the parser


class _Parser(argparse.ArgumentParser):
    """argparse with hipplan's one-line error format; exit status 2 as usual."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"hipplan: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (for the docs and the tests)."""
    parser = _Parser(
        prog="hipplan",
        description="Plan single-leg hip thrusts into real training weeks, with a reason for every choice.",
        epilog="Exit status: 0 success, 1 no plan satisfies the rules, 2 bad input or usage;"
        " batch: 10 + the lines without a plan (up to 100).",
    )
    parser.add_argument("--version", action="version", version=f"hipplan {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def request_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "file", nargs="?", metavar="FILE", help=f"a plan request: a .toml or .json file of at most {_MB}"
        )
        p.add_argument("--example", action="store_true", help="use the built-in example instead of a FILE")
        p.add_argument(
            "--weeks", type=_weeks, metavar="N", help="weeks to plan (overrides the file; default 8)"
        )

    p_plan = sub.add_parser("plan", help="plan the weeks and print (or write) the plan")
    request_args(p_plan)
    p_plan.add_argument(
        "--start",
        type=_date,
        metavar="DATE",
        help="week 1 starts on the Monday of DATE's week; every format then shows each session's date",
    )
    p_plan.add_argument(
        "--plan-id",
        metavar="ID",
        help="your name for the plan (an athlete's id): the calendar's event UIDs are made from it",
    )
    p_plan.add_argument(
        "--format",
        type=_format_name,
        choices=FORMATS,
        help="output format, md and txt accepted (default: from --output's suffix, or text)",
    )
    p_plan.add_argument(
        "--output", "-o", metavar="PATH", help="write to PATH (whole or not at all), not stdout"
    )
    p_plan.set_defaults(func=_cmd_plan)

    p_explain = sub.add_parser("explain", help="why each session got its slot or none")
    request_args(p_explain)
    p_explain.set_defaults(func=_cmd_explain)

    p_catalog = sub.add_parser(
        "catalog", help="print exercise cards: set-up, steps, cues, mistakes, variations"
    )
    p_catalog.add_argument(
        "exercise", nargs="?", metavar="EXERCISE", help="an exercise id; all of them if left out"
    )
    p_catalog.set_defaults(func=_cmd_catalog)

    p_progress = sub.add_parser("progress", help="the next dose after a logged session")
    p_progress.add_argument(
        "log", metavar="LOG.json", help=f"what was prescribed and the sets that were done (at most {_MB})"
    )
    p_progress.add_argument("--format", choices=("text", "json"), default="text")
    p_progress.set_defaults(func=_cmd_progress)

    p_schema = sub.add_parser(
        "schema", help="print the JSON Schema of a document (Plan, PlanRequest, ...); the types without TYPE"
    )
    p_schema.add_argument(
        "type", nargs="?", metavar="TYPE", help="a document type such as Plan; leave out to list them"
    )
    p_schema.add_argument("--output", "-o", metavar="PATH", help="write to PATH (whole or not at all)")
    p_schema.set_defaults(func=_cmd_schema)

    p_batch = sub.add_parser(
        "batch", help="plan a JSON Lines file of requests (one per line, each with an id) into JSON Lines"
    )
    p_batch.add_argument(
        "requests",
        metavar="REQUESTS.jsonl",
        help='one plan request per line, each with an "id"; - reads standard input',
    )
    p_batch.add_argument(
        "--output", "-o", metavar="PATH", help="write the results to PATH (whole or not at all), not stdout"
    )
    p_batch.add_argument(
        "--jobs", "-j", type=_jobs, default=1, metavar="N", help="plan in N processes (default 1: this one)"
    )
    p_batch.add_argument(
        "--chunksize", type=_chunksize, default=16, metavar="N", help="requests sent to a process at once"
    )
    p_batch.set_defaults(func=_cmd_batch)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("hipplan")
    except PackageNotFoundError:
        return "unknown"


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: IO[bytes] | None = None,
) -> int:
    """Run the command line; return the exit status. ``stdin`` (bytes) is what ``hipplan batch -`` reads."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(out)
        return EXIT_BAD_INPUT
    func: Callable[[argparse.Namespace, IO[str]], int] = args.func
    args.stderr = err  # for the commands that report as they go (batch)
    args.stdin = stdin if stdin is not None else sys.stdin.buffer
    try:
        return func(args, out)
    except Infeasible as exc:
        _put(err, f"hipplan: no plan: {exc}\n")
        return EXIT_INFEASIBLE
    except BudgetExceeded as exc:
        _put(err, f"hipplan: no plan: {exc}\n")
        return EXIT_INFEASIBLE
    except (_UserError, InvalidInput, MissingExtra) as exc:
        _put(err, f"hipplan: error: {_one_line(str(exc))}\n")
        return EXIT_BAD_INPUT
    except HipplanError as exc:
        _put(err, f"hipplan: error: {_one_line(str(exc))}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (`hipplan plan --example | head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        _put(err, "hipplan: interrupted\n")
        return 130


def _one_line(text: str) -> str:
    return " ".join(text.split())
