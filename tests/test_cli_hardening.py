"""Issue 14, the command line and the files it writes: late start dates, input files that are not plain files,
terminals that cannot show every character, output file modes and links, and signals during a write."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hipplan as hp
from hipplan.example import example_request
from hipplan.render import ical

ROOT = Path(__file__).resolve().parents[1]
WEEK = ROOT / "examples" / "week.toml"


def run(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m hipplan ARGS`` (UTF-8 unless ``env`` says otherwise) and capture what it prints."""
    return subprocess.run(
        [sys.executable, "-m", "hipplan", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "100", **(env or {})},
        timeout=300,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *parts: str) -> None:
    """Exit status 2, nothing on stdout, one stderr line starting 'hipplan: error:' and naming each part."""
    assert result.returncode == 2, result
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if not line.startswith("usage:")]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hipplan: error: ")
    for part in parts:
        assert part in lines[0], lines[0]
    assert "Traceback" not in result.stderr


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
def test_cli_late_start_without_dates(fmt: str) -> None:
    """The formats that show no dates take a start date late in 9999 and print the plan."""
    result = run("plan", "--example", "--weeks", "2", "--start", "9999-12-31", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert result.stdout
