"""Issue 14, the command line and the files it writes: late start dates, input files that are not plain files,
terminals that cannot show every character, output file modes and links, and signals during a write."""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from cli_helpers import assert_one_line_error, run
from hypothesis import given
from hypothesis import strategies as st

import hipplan as hp
from hipplan.example import example_request
from hipplan.render import ical

ROOT = Path(__file__).resolve().parents[1]
WEEK = ROOT / "examples" / "week.toml"




@pytest.fixture(scope="module")
def short_plan() -> hp.Plan:
    """The built-in example planned for four weeks."""
    return example_request(4).plan()


# ---------------------------------------------------------------- item 3: dates past 9999-12-31


def last_day_needed(plan: hp.Plan, start: dt.date) -> int:
    """The ordinal of the day after the plan's latest slot (its event's end), counted without date objects."""
    monday = start.toordinal() - start.weekday()
    return max(monday + (s.week - 1) * 7 + s.weekday + 1 for s in plan.slots)


@given(start=st.dates(min_value=dt.date(9999, 10, 1)))
def test_ical_near_the_end_of_the_calendar(short_plan: hp.Plan, start: dt.date) -> None:
    """to_ical gives a calendar when every event fits before 9999-12-31 and an InvalidInput naming the start
    date otherwise, never an OverflowError."""
    pytest.importorskip("icalendar")
    if last_day_needed(short_plan, start) <= dt.date.max.toordinal():
        assert "BEGIN:VEVENT" in short_plan.to_ical(start)
    else:
        with pytest.raises(hp.InvalidInput, match=start.isoformat()) as info:
            short_plan.to_ical(start)
        assert info.value.field == "start"
        assert "9999-12-31" in str(info.value)


@pytest.mark.parametrize("week", [10**4 * 52, 10**7, 10**12])
def test_event_date_of_a_huge_week_is_invalid_input(short_plan: hp.Plan, week: int) -> None:
    """A stored slot whose week runs past year 9999 gives an InvalidInput naming the week and the start date."""
    slot = attrs.evolve(short_plan.slots[0], week=week)
    with pytest.raises(hp.InvalidInput, match=rf"'start' 2027-01-04 .*week {week} "):
        ical.event_date(slot, dt.date(2027, 1, 4))


def test_cli_ics_start_too_late() -> None:
    """`plan --example --start 9999-12-25 --format ics`: exit 2, one line naming the example and the date."""
    result = run("plan", "--example", "--start", "9999-12-25", "--format", "ics")
    assert_one_line_error(result, "the built-in example", "'start' 9999-12-25 is too late", "9999-12-31")


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_cli_late_start_in_every_format(fmt: str) -> None:
    """Every view now shows dates (issue 10), so a start too late for the plan is one clear error in each."""
    result = run("plan", "--example", "--weeks", "2", "--start", "9999-12-31", "--format", fmt)
    assert_one_line_error(result, "'start' 9999-12-31 is too late", "9999-12-31")


def test_cli_start_late_but_in_range() -> None:
    """A start whose plan still ends by 9999-12-31 prints the plan with its dates."""
    result = run("plan", "--example", "--weeks", "2", "--start", "9999-12-13", "--format", "text")
    assert result.returncode == 0, result.stderr
    assert "Dec 9999" in result.stdout


# ---------------------------------------------------------------- item 5: input files that are not plain files


def limit_memory() -> None:
    """Cap the child's address space at 1 GB, so a reader that slurps /dev/zero fails fast instead of eating
    the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run_limited(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m hipplan ARGS`` with at most 1 GB of memory and a generous safety timeout."""
    return subprocess.run(
        [sys.executable, "-m", "hipplan", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
        preexec_fn=limit_memory,
    )


posix_only = pytest.mark.skipif(os.name != "posix", reason="named pipes and /dev/zero are POSIX")


@posix_only
@pytest.mark.parametrize("command", ["plan", "explain", "progress"])
def test_dev_zero_is_refused_before_reading(command: str) -> None:
    """`hipplan plan /dev/zero` (and explain, progress): exit 2, one line saying it is not a regular file."""
    result = run_limited(command, "/dev/zero")
    assert_one_line_error(result, "/dev/zero", "character device, not a regular file")


@posix_only
def test_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    """A named pipe called week.toml: exit 2 at once (no writer needed), one line saying what it is."""
    fifo = tmp_path / "week.toml"
    os.mkfifo(fifo)
    assert_one_line_error(run_limited("plan", fifo), "week.toml", "named pipe, not a regular file")


def test_folder_is_refused(tmp_path: Path) -> None:
    """A folder called week.toml: exit 2, one line saying it is a folder."""
    (tmp_path / "week.toml").mkdir()
    assert_one_line_error(run("plan", tmp_path / "week.toml"), "week.toml", "is a folder")


def test_file_over_10_mb_is_refused(tmp_path: Path) -> None:
    """A request one byte over 10 MB (a sparse file): exit 2, one line giving its size and the limit."""
    big = tmp_path / "week.json"
    with big.open("wb") as handle:
        handle.truncate(10_000_001)
    result = run_limited("plan", big)
    assert_one_line_error(result, "week.json", "10,000,001 bytes", "at most 10,000,000 bytes")


def test_suffix_is_checked_before_reading(tmp_path: Path) -> None:
    """A large file that is not .toml or .json is refused for its name, before its size or content."""
    big = tmp_path / "week.yaml"
    with big.open("wb") as handle:
        handle.truncate(20_000_000)
    assert_one_line_error(run_limited("plan", big), "week.yaml", ".toml or .json")


def test_help_documents_the_limit() -> None:
    """`hipplan plan --help` says how large a file may be."""
    assert "at most 10 MB" in " ".join(run("plan", "--help").stdout.split())


def test_reader_never_reads_more_than_the_limit_plus_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that says it is empty but holds more (as files in /proc do) is read up to limit + 1 bytes, then
    refused."""
    from hipplan import _files

    path = tmp_path / "week.toml"
    path.write_bytes(b"#" * 5000)
    real_fstat = os.fstat

    def fstat_says_empty(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        return os.stat_result((*info[:6], 0, *info[7:]))

    read: list[int] = []
    real_read = os.read

    def counting_read(fd: int, size: int) -> bytes:
        data = real_read(fd, size)
        read.append(len(data))
        return data

    monkeypatch.setattr(_files.os, "fstat", fstat_says_empty)
    monkeypatch.setattr(_files.os, "read", counting_read)
    with pytest.raises(hp.InvalidInput, match="more than 100 bytes"):
        _files.read_input(path, limit=100)
    assert sum(read) == 101
    monkeypatch.undo()
    assert _files.read_input(path, limit=5000) == "#" * 5000


def test_not_utf8_is_invalid_input(tmp_path: Path) -> None:
    """A request that is not UTF-8: exit 2, one line saying so."""
    path = tmp_path / "week.toml"
    path.write_bytes(b"weeks = 4\n# caf\xe9\n")
    assert_one_line_error(run("plan", path), "week.toml", "not UTF-8")


# ---------------------------------------------------------------- item 7: a terminal that cannot show everything

NAME = "Jambé 💪"


@pytest.fixture
def accented_week(tmp_path: Path) -> Path:
    """examples/week.toml with its Monday session renamed 'Jambé 💪'."""
    path = tmp_path / "week.toml"
    path.write_text(WEEK.read_text(encoding="utf-8").replace("Mon squat", NAME), encoding="utf-8")
    return path


ASCII = {"PYTHONIOENCODING": "ascii"}


@pytest.mark.parametrize("args", [("plan",), ("plan", "--format", "markdown"), ("explain",)])
def test_ascii_terminal_gets_plain_letters(accented_week: Path, args: tuple[str, ...]) -> None:
    """On an ASCII-only standard output the text views print 'Jambe ?' for 'Jambé 💪' and exit 0."""
    result = run(*args, accented_week, env=ASCII)
    assert (result.returncode, result.stderr) == (0, "")
    assert "Jambe ?" in result.stdout
    assert result.stdout.isascii()


def test_ascii_terminal_gets_json_escapes_that_read_back(accented_week: Path) -> None:
    """On an ASCII-only standard output the JSON uses escapes: it reads back as the same plan, name and all."""
    result = run("plan", accented_week, "--format", "json", env=ASCII)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.isascii()
    plan = hp.from_json(result.stdout, hp.Plan)
    assert plan == hp.from_json(run("plan", accented_week, "--format", "json").stdout, hp.Plan)
    assert NAME in {s.session for s in plan.slots}


def test_ascii_terminal_gets_html_character_references(accented_week: Path) -> None:
    """On an ASCII-only standard output the HTML uses character references: the page shows the same name."""
    import html

    result = run("plan", accented_week, "--format", "html", env=ASCII)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.isascii()
    assert "Jamb&#233; &#128170;" in result.stdout
    assert html.unescape(result.stdout) == html.unescape(
        run("plan", accented_week, "--format", "html").stdout
    )


def test_ascii_terminal_error_message(tmp_path: Path) -> None:
    """An error naming a session 'Jambé 💪' on an ASCII-only standard error is still one line, exit 2."""
    path = tmp_path / "week.toml"
    text = WEEK.read_text(encoding="utf-8").replace('name = "Mon squat"', f'name = "{NAME}"')
    path.write_text(text.replace("weekday = 0", "weekday = 9"), encoding="utf-8")
    result = run("plan", path, env={"PYTHONIOENCODING": "ascii:strict"})
    assert_one_line_error(result, "week.toml", "weekday")


@given(text=st.text(), encoding=st.sampled_from(["ascii", "latin-1", "cp1252", "utf-8"]))
def test_showable_text_always_encodes(text: str, encoding: str) -> None:
    """Whatever the text and the terminal's encoding, what the CLI writes can be encoded; text that fits is
    written as it is."""
    from hipplan.cli import _showable

    for fmt in ("text", "markdown", "html", "json", "ics"):
        shown = _showable(text, encoding, fmt)
        shown.encode(encoding)
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            continue
        assert shown == text


@given(value=st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_showable_json_reads_back_the_same(value: object) -> None:
    """JSON written to an ASCII terminal reads back as the same value."""
    import json

    from hipplan.cli import _showable

    text = json.dumps(value, ensure_ascii=False, indent=2)
    assert json.loads(_showable(text, "ascii", "json")) == value


@given(text=st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn"))))
def test_showable_html_shows_the_same_text(text: str) -> None:
    """HTML written to an ASCII terminal shows the same characters in a browser (control characters, lone
    surrogates and non-characters aside: a page cannot show them)."""
    import html

    from hipplan.cli import _showable

    escaped = html.escape(text)
    assert html.unescape(_showable(escaped, "ascii", "html")) == html.unescape(escaped)


# ---------------------------------------------------------------- item 8: output files: modes, links, devices


def run_with_umask(umask: int, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m hipplan ARGS`` under ``umask``."""
    return subprocess.run(
        [sys.executable, "-m", "hipplan", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=300,
        check=False,
        preexec_fn=functools.partial(os.umask, umask),
    )


def mode(path: Path) -> int:
    """A file's permission bits."""
    return path.stat().st_mode & 0o777


@posix_only
@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_output_file_honours_the_umask(tmp_path: Path, umask: int, expected: int) -> None:
    """A new --output file gets 0666 less the umask, as the shell's '>' gives it."""
    result = run_with_umask(umask, "plan", "--example", "--weeks", "1", "-o", "plan.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert mode(tmp_path / "plan.txt") == expected
    assert [p.name for p in tmp_path.iterdir()] == ["plan.txt"]


@posix_only
@pytest.mark.parametrize("old_mode", [0o644, 0o640, 0o604])
def test_existing_output_file_keeps_its_mode(tmp_path: Path, old_mode: int) -> None:
    """An existing --output file is replaced with the new plan and keeps its permissions, whatever the umask."""
    out = tmp_path / "plan.txt"
    out.write_text("the old plan\n", encoding="utf-8")
    out.chmod(old_mode)
    result = run_with_umask(0o077, "plan", "--example", "--weeks", "1", "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert mode(out) == old_mode
    assert out.read_text(encoding="utf-8").startswith("1-week")


@posix_only
def test_symlink_output_writes_through_the_link(tmp_path: Path) -> None:
    """--output LINK writes the file the link names and leaves the link a link (relative, in another folder)."""
    real = tmp_path / "plans" / "plan.md"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o644)
    link = tmp_path / "latest.md"
    link.symlink_to(Path("plans") / "plan.md")
    result = run_with_umask(0o077, "plan", "--example", "--weeks", "1", "-o", link, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert os.readlink(link) == str(Path("plans") / "plan.md")
    assert real.read_text(encoding="utf-8").startswith("# 1-week")
    assert mode(real) == 0o644
    assert sorted(p.name for p in real.parent.iterdir()) == ["plan.md"]


@posix_only
def test_dangling_symlink_output_creates_its_target(tmp_path: Path) -> None:
    """--output LINK where LINK names a file not there yet creates that file and keeps the link."""
    link = tmp_path / "plan.txt"
    link.symlink_to("target.txt")
    result = run("plan", "--example", "--weeks", "1", "-o", link, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink()
    assert (tmp_path / "target.txt").read_text(encoding="utf-8").startswith("1-week")


@posix_only
def test_output_through_a_link_to_dev_stdout_prints(tmp_path: Path) -> None:
    """--output LINK where LINK names /dev/stdout prints the plan on standard output and keeps the link."""
    link = tmp_path / "out.txt"
    link.symlink_to("/dev/stdout")
    result = run("plan", "--example", "--weeks", "1", "-o", link)
    assert result.returncode == 0, result.stderr
    assert result.stdout == run("plan", "--example", "--weeks", "1").stdout
    assert link.is_symlink()
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@posix_only
@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1", "/dev/null"])
def test_devices_are_written_in_place(name: str) -> None:
    """/dev/stdout, /dev/fd/1, /proc/self/fd/1 and /dev/null are written in place, never replaced."""
    from hipplan._files import _target

    if not os.path.exists(name):
        pytest.skip(f"no {name} here")
    assert _target(Path(name))[2] is True


@posix_only
def test_named_pipe_output_is_written_in_place(tmp_path: Path) -> None:
    """--output FIFO writes the plan into the pipe (a reader gets it) and the pipe stays a pipe."""
    import stat

    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run("plan", "--example", "--weeks", "1", "--format", "json", "-o", fifo)
        assert result.returncode == 0, result.stderr
        chunks = []
        while True:
            try:
                chunk = os.read(reader, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(reader)
    assert hp.from_json(b"".join(chunks).decode("utf-8"), hp.Plan).weeks == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.fifo"]


def test_output_to_a_folder_is_refused(tmp_path: Path) -> None:
    """--output FOLDER: exit 2, one line saying it is a folder; the folder is left as it was."""
    (tmp_path / "plans").mkdir()
    assert_one_line_error(run("plan", "--example", "-o", tmp_path / "plans"), "plans", "is a folder")
    assert list((tmp_path / "plans").iterdir()) == []


def test_output_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    """--output in a folder that does not exist: exit 2, one line naming the folder."""
    assert_one_line_error(run("plan", "--example", "-o", tmp_path / "nope" / "plan.txt"), "does not exist")


@posix_only
@pytest.mark.skipif(os.name == "posix" and os.geteuid() == 0, reason="root may write any file")
def test_read_only_output_file_is_not_replaced(tmp_path: Path) -> None:
    """An existing file the user may not write is left as it was: exit 2, one line saying why."""
    out = tmp_path / "plan.txt"
    out.write_text("the old plan\n", encoding="utf-8")
    out.chmod(0o444)
    assert_one_line_error(run("plan", "--example", "-o", out), "plan.txt", "ermission denied")
    assert out.read_text(encoding="utf-8") == "the old plan\n"


# ---------------------------------------------------------------- item 9: signals during a write

# `python -m hipplan ARGS`, except that the first fsync (the temporary file's, once the plan is in it) says
# "writing" and waits for a line on standard input. The test sends its signal, then the line: the signal is
# already pending when the write goes on, so nothing depends on timing. With "--ignore-hup" first, SIGHUP is
# ignored, as under nohup.
PAUSING_CLI = r"""
import os, signal, sys
from hipplan.cli import main

args = sys.argv[1:]
if args[0] == "--ignore-hup":
    args = args[1:]
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
real_fsync = os.fsync
paused = []

def pausing_fsync(fd):
    real_fsync(fd)
    if not paused:
        paused.append(fd)
        print("writing", flush=True)
        sys.stdin.readline()

os.fsync = pausing_fsync
sys.exit(main(args))
"""


def start_paused_write(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    """Start a CLI run writing tmp_path/plan.html and return once it is inside the write (the temporary file is
    there); ``proc.communicate("go\\n")`` lets it go on."""
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSING_CLI, *args, "plan", "--example", "-o", str(tmp_path / "plan.html")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "writing\n", proc.communicate("go\n", timeout=60)
    temporary = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(temporary) == 1
    assert temporary[0].startswith(".plan.html.")
    return proc


signals_only = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="POSIX signals")


@signals_only
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_signal_during_a_write_leaves_nothing_behind(tmp_path: Path, name: str) -> None:
    """SIGTERM or SIGHUP in the middle of a write: the temporary file is removed, the old file is as it was,
    and the process ends by that signal (status 128+N in a shell)."""
    import signal

    (tmp_path / "plan.html").write_text("the old plan\n", encoding="utf-8")
    proc = start_paused_write(tmp_path)
    proc.send_signal(getattr(signal, name))
    proc.communicate("go\n", timeout=60)
    assert proc.returncode == -getattr(signal, name)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.html"]
    assert (tmp_path / "plan.html").read_text(encoding="utf-8") == "the old plan\n"


@signals_only
def test_ctrl_c_during_a_write_leaves_nothing_behind(tmp_path: Path) -> None:
    """Ctrl-C in the middle of a write: no temporary file, no output file, exit status 130."""
    import signal

    proc = start_paused_write(tmp_path)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate("go\n", timeout=60)
    assert (proc.returncode, err) == (130, "hipplan: interrupted\n")
    assert list(tmp_path.iterdir()) == []


@signals_only
def test_ignored_sighup_does_not_stop_the_write(tmp_path: Path) -> None:
    """Under nohup (SIGHUP ignored) a SIGHUP during the write changes nothing: the plan is written, exit 0."""
    import signal

    proc = start_paused_write(tmp_path, "--ignore-hup")
    proc.send_signal(signal.SIGHUP)
    _, err = proc.communicate("go\n", timeout=60)
    assert (proc.returncode, err) == (0, "")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.html"]
    assert (tmp_path / "plan.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@signals_only
def test_handlers_are_taken_during_the_write_and_given_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """During a write SIGTERM and SIGHUP have hipplan's handler when they had the default one, and keep a
    program's own handler; afterwards each has its previous handler again."""
    import signal

    from hipplan._files import write_output

    def own(signum: int, frame: object) -> None:
        """A program's own handler."""

    seen: list[object] = []
    real_fsync = os.fsync

    def spying_fsync(fd: int) -> None:
        seen.append((signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)))
        real_fsync(fd)

    before = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP))
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, own)
        monkeypatch.setattr(os, "fsync", spying_fsync)
        write_output(tmp_path / "plan.txt", "a plan\n")
        monkeypatch.undo()
        during_term, during_hup = seen[0]  # type: ignore[misc]
        assert callable(during_term)
        assert during_term is not own
        assert during_hup is own
        assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)) == (signal.SIG_DFL, own)
    finally:
        signal.signal(signal.SIGTERM, before[0])  # type: ignore[arg-type]
        signal.signal(signal.SIGHUP, before[1])  # type: ignore[arg-type]
    assert (tmp_path / "plan.txt").read_text(encoding="utf-8") == "a plan\n"


@signals_only
def test_a_write_from_another_thread_touches_no_handler(tmp_path: Path) -> None:
    """write_output works outside the main thread (where handlers cannot be set) and leaves them alone."""
    import signal
    import threading

    from hipplan._files import write_output

    before = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP))
    errors: list[BaseException] = []

    def write() -> None:
        try:
            write_output(tmp_path / "plan.txt", "a plan\n")
        except BaseException as exc:  # handed to the main thread
            errors.append(exc)

    worker = threading.Thread(target=write)
    worker.start()
    worker.join()
    assert errors == []
    assert (tmp_path / "plan.txt").read_text(encoding="utf-8") == "a plan\n"
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP)) == before


@posix_only
def test_dev_stdout_redirected_to_a_file_goes_on_where_the_output_is(tmp_path: Path) -> None:
    """-o /dev/stdout with standard output appended to a file ('>> log') adds the plan after what is there."""
    log = tmp_path / "log.txt"
    log.write_text("earlier output\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as handle:
        result = subprocess.run(
            [sys.executable, "-m", "hipplan", "plan", "--example", "--weeks", "1", "-o", "/dev/stdout"],
            stdout=handle,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
            check=False,
        )
    assert (result.returncode, result.stderr) == (0, "")
    assert log.is_file()
    assert (
        log.read_text(encoding="utf-8")
        == "earlier output\n" + run("plan", "--example", "--weeks", "1").stdout
    )


# ---------------------------------------------------------------- explain keeps the ways out of an Infeasible


def test_explain_lists_the_rules_then_the_ways_out() -> None:
    """`hipplan explain` on an infeasible request: each rule in conflict with where it binds, then every way out
    the library gives, under its own heading (never the rules under 'Ways out:')."""
    from hipplan.request import load_request

    with pytest.raises(hp.Infeasible) as info:
        load_request(ROOT / "examples" / "infeasible.toml").plan()
    result = run("explain", ROOT / "examples" / "infeasible.toml")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    heading = lines.index("Ways out:")
    assert lines[heading + 1 :] == [f"- {way}" for way in info.value.ways_out]
    assert len(info.value.ways_out) >= 1
    before = lines[:heading]
    assert before[-1] == "Drop or relax any one of these rules and a plan exists."
    for conflict in info.value.conflicts:
        assert any(line.startswith(f"- {conflict.text}") for line in before)
