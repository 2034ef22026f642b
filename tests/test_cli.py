"""The command line as a subprocess: documented output and exit status, one-line errors, whole files."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import assert_one_line_error, run

import hipplan as hp
from hipplan.cli import main
from hipplan.example import example_request

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
WEEK = EXAMPLES / "week.toml"




# ---------------------------------------------------------------- broken inputs


@pytest.fixture
def broken(tmp_path: Path) -> dict[str, Path]:
    """Request files with one mistake each."""
    good = WEEK.read_text(encoding="utf-8")
    files = {
        "bad_toml": "weeks = 4\n[athlete\nlevel = 'advanced'\n",
        "unknown_key": good.replace('level = "advanced"', 'level = "advanced"\ncolour = "red"'),
        "weekday_9": good.replace("weekday = 3", "weekday = 9"),
        "bad_level": good.replace('level = "advanced"', 'level = "expert"'),
    }
    paths = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def test_bad_toml_names_the_file_and_the_line(broken: dict[str, Path]) -> None:
    """A file that is not TOML: exit 2, one line naming the file and where the syntax breaks."""
    result = run("plan", broken["bad_toml"])
    assert_one_line_error(result, "bad_toml.toml", "not valid TOML", "line 2")


def test_unknown_key_names_the_path(broken: dict[str, Path]) -> None:
    """An unknown key: exit 2, one line naming the file, the JSON path and the key."""
    result = run("plan", broken["unknown_key"])
    assert_one_line_error(result, "unknown_key.toml", "$.athlete", "colour")


def test_weekday_9_names_the_session(broken: dict[str, Path]) -> None:
    """Weekday 9: exit 2, one line naming the file, the session's path and the rule broken."""
    result = run("plan", broken["weekday_9"])
    assert_one_line_error(result, "weekday_9.toml", "$.sessions[1].weekday", "must be <= 6 (got 9)")


def test_bad_enum_lists_the_allowed_values(broken: dict[str, Path]) -> None:
    """A level hipplan does not know: exit 2, and the message lists the levels it does."""
    result = run("explain", broken["bad_level"])
    assert_one_line_error(result, "bad_level.toml", "$.athlete.level", "beginner, intermediate, advanced")


def test_missing_file(tmp_path: Path) -> None:
    """A file that does not exist: exit 2, one line naming it."""
    assert_one_line_error(run("plan", tmp_path / "nope.toml"), "nope.toml", "no such file")


def test_wrong_suffix(tmp_path: Path) -> None:
    """A file that is neither .toml nor .json: exit 2, one line saying so."""
    path = tmp_path / "week.yaml"
    path.write_text("weeks: 4\n", encoding="utf-8")
    assert_one_line_error(run("plan", path), "week.yaml", ".toml or .json")


@pytest.mark.parametrize("name", ["bad_toml", "unknown_key", "weekday_9"])
def test_failed_run_leaves_no_output_file(broken: dict[str, Path], tmp_path: Path, name: str) -> None:
    """After a failure, --output PATH does not exist and no temporary file is left in its folder."""
    out = tmp_path / "out" / "plan.html"
    out.parent.mkdir()
    result = run("plan", broken[name], "--output", out)
    assert result.returncode == 2
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "COMMAND"),
        (("plan",), "give a FILE"),
        (("plan", "--example", "--weeks", "0"), "--weeks"),
        (("plan", "--example", "--weeks", "many"), "--weeks"),
        (("plan", "--example", "--start", "next monday"), "--start"),
        (("plan", "--example", "--format", "pdf"), "--format"),
        (("plan", "--example", str(WEEK)), "not both"),
        (("frobnicate",), "frobnicate"),
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], words: str) -> None:
    """Bad usage exits with status 2, says what is wrong, and prints no traceback."""
    result = run(*args)
    assert result.returncode == 2
    assert words in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- catalog and progress


def test_catalog_prints_every_card() -> None:
    """`hipplan catalog` prints every exercise's card, easiest first."""
    result = run("catalog")
    assert result.returncode == 0, result.stderr
    names = [ex.name for ex in sorted(hp.CATALOG.values(), key=lambda e: e.rank)]
    positions = [result.stdout.index(f"{name}\n{'=' * len(name)}") for name in names]
    assert positions == sorted(positions)


def test_catalog_one_exercise() -> None:
    """`hipplan catalog single-leg-hip-thrust` prints its card: cues, mistakes with fixes, variations."""
    result = run("catalog", "single-leg-hip-thrust")
    assert result.returncode == 0, result.stderr
    assert result.stdout == hp.CATALOG["single-leg-hip-thrust"].card()
    for part in ("Set-up", "Steps", "Cues", "Mistakes and their fixes", "Variations", "Landmine"):
        assert part in result.stdout


def test_catalog_unknown_exercise() -> None:
    """An unknown exercise: exit 2, one line listing the ones there are."""
    assert_one_line_error(run("catalog", "deadlift"), "'deadlift'", "single-leg-hip-thrust")


def test_progress_prints_the_next_dose() -> None:
    """`hipplan progress examples/log.json`: the weaker side missed, so the same dose again, and why."""
    result = run("progress", EXAMPLES / "log.json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "Next time: 3 x 12/side @ bar + 10 kg, 1 s pause (single-leg hip thrust, landmine)"
    )
    assert "Why:" in result.stdout


def test_progress_json_is_a_step() -> None:
    """`--format json` prints the next step as JSON with a schema version."""
    result = run("progress", EXAMPLES / "log.json", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == hp.SCHEMA_VERSION
    assert data["dose"]["reps"] == 12


def test_progress_bad_log(tmp_path: Path) -> None:
    """A log with one side only: exit 2, one line naming the file and the missing side."""
    log = json.loads((EXAMPLES / "log.json").read_text(encoding="utf-8"))
    log["performed"] = [p for p in log["performed"] if p["side"] == "left"]
    path = tmp_path / "one-side.json"
    path.write_text(json.dumps(log), encoding="utf-8")
    assert_one_line_error(run("progress", path), "one-side.json", "right side")


def test_progress_log_needs_a_prescription(tmp_path: Path) -> None:
    """A log with neither slot, step nor dose: exit 2, one line saying to give one."""
    path = tmp_path / "empty.json"
    path.write_text('{"performed": [{"side": "left", "reps": 10}]}', encoding="utf-8")
    assert_one_line_error(run("progress", path), "empty.json", "'slot', 'step' or 'dose'")


# ---------------------------------------------------------------- plan and explain


def test_plan_example_prints_eight_weeks() -> None:
    """`hipplan plan --example`: exit 0, eight weeks, the travel week, a deload, the cues, the side switch."""
    result = run("plan", "--example")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    text = result.stdout
    for week in range(1, 9):
        assert f"\nWeek {week}" in text
    assert "\nWeek 9" not in text
    assert "travel: hotel room with a couch" in text
    assert "deload" in text
    assert "Cues:" in text
    assert "Side switch" in text


def test_plan_file_matches_the_example() -> None:
    """examples/week.toml describes the built-in example: the same text comes out."""
    assert run("plan", WEEK).stdout == run("plan", "--example").stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html", "ics"])
def test_every_format_writes_a_whole_file(tmp_path: Path, fmt: str) -> None:
    """Each --format writes a file that reads back as that format, and stdout stays empty."""
    out = tmp_path / "plan.out"
    result = run("plan", WEEK, "--format", fmt, "--output", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.out"]
    if fmt == "json":
        plan = hp.from_json(text, hp.Plan)
        assert plan.weeks == 8
    elif fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
    elif fmt == "ics":
        icalendar = pytest.importorskip("icalendar")
        events = [e for e in icalendar.Calendar.from_ical(text).walk() if e.name == "VEVENT"]
        plan = hp.from_json(run("plan", WEEK, "--format", "json").stdout, hp.Plan)
        assert len(events) == len(plan.slots)
        assert min(e.decoded("dtstart") for e in events) >= dt.date(2027, 1, 4)
    elif fmt == "markdown":
        assert text.startswith("# 8-week")
    else:
        assert "Week 8" in text


def test_format_follows_the_output_suffix(tmp_path: Path) -> None:
    """Without --format, --output plan.html writes HTML and plan.md writes Markdown."""
    for name, start in (("plan.html", "<!DOCTYPE html>"), ("plan.md", "# ")):
        out = tmp_path / name
        assert run("plan", WEEK, "--output", out).returncode == 0
        assert out.read_text(encoding="utf-8").startswith(start)


def test_format_takes_the_usual_suffixes_as_names() -> None:
    """--format md (or MD) is Markdown and txt is text, as the suffixes are; an unknown name is refused."""
    for name, start in (("md", "# "), ("MD", "# "), ("txt", "8-week")):
        printed = io.StringIO()
        assert main(["plan", "--example", "--format", name], stdout=printed) == 0
        assert printed.getvalue().startswith(start)
    result = run("plan", "--example", "--format", "xls")
    assert result.returncode == 2
    assert "invalid choice: 'xls'" in result.stderr


def test_ics_needs_a_start_date(tmp_path: Path) -> None:
    """--format ics on a file without a start date: exit 2 and a line saying to give --start."""
    path = tmp_path / "nostart.toml"
    path.write_text(WEEK.read_text(encoding="utf-8").replace("start = 2027-01-04", ""), encoding="utf-8")
    assert_one_line_error(run("plan", path, "--format", "ics"), "nostart.toml", "--start")
    result = run("plan", path, "--format", "ics", "--start", "2027-03-03")
    assert result.returncode == 0, result.stderr
    assert "DTSTART;VALUE=DATE:20270301" in result.stdout


def test_ics_is_stable_across_runs() -> None:
    """Two runs give byte-identical calendars (UIDs and DTSTAMP do not come from the clock)."""
    first = run("plan", "--example", "--format", "ics")
    assert first.returncode == 0, first.stderr
    assert first.stdout == run("plan", "--example", "--format", "ics").stdout


def test_weeks_option_overrides_the_file() -> None:
    """--weeks 3 plans three weeks (and the travel week 5 is then out of range: a clear error)."""
    result = run("plan", "--example", "--weeks", "3")
    assert result.returncode == 0, result.stderr
    assert "Week 3" in result.stdout
    assert "Week 4" not in result.stdout
    assert_one_line_error(run("plan", WEEK, "--weeks", "3"), "week.toml", "overrides")


def test_infeasible_exits_1_and_names_the_week() -> None:
    """examples/infeasible.toml: exit 1, nothing on stdout, the file, the week and the rules in conflict."""
    result = run("plan", EXAMPLES / "infeasible.toml")
    assert result.returncode == 1, result
    assert result.stdout == ""
    assert result.stderr.startswith("hipplan: no plan: ")
    assert "infeasible.toml" in result.stderr
    assert "week 3" in result.stderr
    assert "Traceback" not in result.stderr


def test_infeasible_leaves_no_output_file(tmp_path: Path) -> None:
    """An infeasible request with --output leaves an existing file as it was and adds no other file."""
    out = tmp_path / "plan.txt"
    out.write_text("the old plan\n", encoding="utf-8")
    result = run("plan", EXAMPLES / "infeasible.toml", "--output", out)
    assert result.returncode == 1
    assert out.read_text(encoding="utf-8") == "the old plan\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.txt"]


def test_explain_example() -> None:
    """`hipplan explain FILE`: exit 0, every week, each session with its slot or the reason for none."""
    result = run("explain", WEEK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Why this plan:")
    for week in range(1, 9):
        assert f"\nWeek {week}" in result.stdout
    for name in ("Mon squat", "Thu pull", "Sat home", "Tue hotel room", "Fri hotel room"):
        assert name in result.stdout


def test_explain_infeasible_lists_the_conflict() -> None:
    """`hipplan explain` on an infeasible request: exit 1 and the conflicting rules on stdout."""
    result = run("explain", EXAMPLES / "infeasible.toml")
    assert result.returncode == 1
    assert "Drop or relax any one of these rules" in result.stdout
    assert "where: week 3, Wed park" in result.stdout
    assert "week 3" in result.stdout


def test_progress_from_a_slot_of_a_plan(tmp_path: Path) -> None:
    """A log whose prescription is a slot copied from `hipplan plan --format json` gives the next dose."""
    plan = json.loads(run("plan", "--example", "--format", "json").stdout)
    slot = next(s for s in plan["slots"] if s["role"] == "finisher")
    sets = [
        {"side": side, "reps": slot["dose"]["reps"], "load_kg": slot["dose"]["load_kg"]}
        for _ in range(slot["dose"]["sets"])
        for side in ("left", "right")
    ]
    path = tmp_path / "log.json"
    path.write_text(json.dumps({"slot": slot, "performed": sets}), encoding="utf-8")
    result = run("progress", path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Next time (week {slot['week'] + 1}): ")
    assert "(single-leg hip thrust, landmine)" in result.stdout


# ---------------------------------------------------------------- progress by exposure: state, steps, skips


def progress_in_process(log: dict[str, Any], tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """Write ``log`` to a file and run `hipplan progress` on it in this process: (status, stdout, stderr)."""
    path = tmp_path / "log.json"
    path.write_text(json.dumps(log), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = main(["progress", str(path), *args], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def done_as_prescribed(dose: dict[str, Any]) -> list[dict[str, Any]]:
    """Every set of ``dose`` done exactly, both sides."""
    return [
        {"side": side, "reps": dose["reps"], "load_kg": dose["load_kg"], "pause_s": dose["pause_s"]}
        for _ in range(dose["sets"])
        for side in ("left", "right")
    ]


def role_kit(plan: hp.Plan, role: hp.Role) -> list[str]:
    """The kit of every session of the plan that could host the role (what the role's progression climbs in)."""
    every = set(plan.sessions) | {s for o in plan.week_overrides for s in o.sessions}
    kits = [plan.athlete.kit(s) for s in every if s.focus in role.focuses]
    return sorted(e.value for e in frozenset().union(*kits))


@pytest.fixture(scope="module")
def example_plan() -> hp.Plan:
    """The built-in example, planned for 12 weeks (a travel week, lighter weeks, load that arrives)."""
    return example_request(12).plan()


@pytest.mark.parametrize("role", [hp.Role.FINISHER, hp.Role.CIRCUIT])
def test_progress_chained_through_its_own_json_follows_the_plan(
    example_plan: hp.Plan, tmp_path: Path, role: hp.Role
) -> None:
    """A plan's first slot, then each step `progress --format json` printed, done as prescribed: every step is
    the plan's next slot of that role (dose, variation, lighter week and state): the loop closes on the CLI."""
    slots = [s for s in example_plan.slots if s.role is role]
    assert len(slots) > 6
    athlete = json.loads(hp.to_json(example_plan.athlete))
    prescribed: dict[str, Any] = {"slot": json.loads(hp.to_json(slots[0]))}
    for slot, following in itertools.pairwise(slots):
        dose = json.loads(hp.to_json(slot.dose))
        log = {
            **prescribed,
            "performed": done_as_prescribed(dose),
            "athlete": athlete,
            "kit": role_kit(example_plan, role),
            "next_week": following.week,
        }
        status, out, err = progress_in_process(log, tmp_path, "--format", "json")
        assert (status, err) == (0, "")
        step = hp.from_json(out, hp.Step)
        assert (following.dose, following.variation, following.deload) == (
            step.dose,
            step.rung.variation,
            step.deload,
        )
        assert following.state == step.state
        prescribed = {"step": json.loads(out)}


def test_progress_json_carries_the_state(tmp_path: Path) -> None:
    """The step printed by `--format json` has the role's state after this exposure: one exposure more."""
    log = json.loads((EXAMPLES / "log.json").read_text(encoding="utf-8"))
    status, out, _ = progress_in_process(log, tmp_path, "--format", "json")
    assert status == 0
    state = json.loads(out)["state"]
    assert (state["role"], state["exposures"], state["misses"]) == ("finisher", 1, 1)
    assert state["rung"] == {"exercise": "single-leg-hip-thrust", "variation": "landmine"}


def test_progress_text_names_the_week_the_rung_and_where_the_state_is(
    example_plan: hp.Plan, tmp_path: Path
) -> None:
    """From a plan's slot, the text gives the next week, the dose, the exercise and variation, the reasons, and
    says the state comes with --format json."""
    slot = next(s for s in example_plan.slots if s.role is hp.Role.FINISHER)
    dose = json.loads(hp.to_json(slot.dose))
    log = {
        "slot": json.loads(hp.to_json(slot)),
        "performed": done_as_prescribed(dose),
        "athlete": {"level": "advanced"},
    }
    status, out, _ = progress_in_process(log, tmp_path)
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith(
        f"Next time (week {slot.week + 1}): {slot.dose.sets} x {slot.dose.reps + 1}/side"
    )
    assert lines[0].endswith("(single-leg hip thrust, landmine).")
    assert lines[1] == "Why:"
    assert "--format json" in lines[-1]
    assert '"state"' in lines[-1]


def test_progress_text_shows_a_lighter_week_and_what_follows(example_plan: hp.Plan, tmp_path: Path) -> None:
    """When the next exposure is a lighter week, the text says so and names the dose the week after."""
    slots = [s for s in example_plan.slots if s.role is hp.Role.FINISHER]
    before, light = next((a, b) for a, b in itertools.pairwise(slots) if b.deload and not a.deload)
    assert light.resume is not None
    log = {
        "slot": json.loads(hp.to_json(before)),
        "performed": done_as_prescribed(json.loads(hp.to_json(before.dose))),
        "athlete": json.loads(hp.to_json(example_plan.athlete)),
        "kit": role_kit(example_plan, hp.Role.FINISHER),
        "next_week": light.week,
    }
    status, out, _ = progress_in_process(log, tmp_path)
    assert status == 0
    assert (
        f"A lighter (deload) week; the week after, back to {light.resume.sets} x {light.resume.reps}/side"
        in out
    )
    assert "A lighter week after" in out


def test_progress_skipped_session_holds_the_dose(example_plan: hp.Plan, tmp_path: Path) -> None:
    """A session logged as skipped (no sets) moves nothing on: the next step is the same dose, same state."""
    slot = next(s for s in example_plan.slots if s.role is hp.Role.FINISHER)
    log = {"slot": json.loads(hp.to_json(slot)), "skipped": True, "athlete": {"level": "advanced"}}
    status, out, _ = progress_in_process(log, tmp_path, "--format", "json")
    assert status == 0
    step = hp.from_json(out, hp.Step)
    assert (step.dose, step.state) == (slot.dose, slot.state)
    assert step.reasons[0].rule == "skipped"
    status, text, _ = progress_in_process(log, tmp_path)
    assert "Session skipped" in text


def test_progress_after_weeks_off_steps_back(example_plan: hp.Plan, tmp_path: Path) -> None:
    """The next session four weeks later (next_week) comes back below the dose done, and says why."""
    slot = next(s for s in example_plan.slots if s.role is hp.Role.CIRCUIT)
    log = {
        "slot": json.loads(hp.to_json(slot)),
        "performed": done_as_prescribed(json.loads(hp.to_json(slot.dose))),
        "next_week": slot.week + 5,
    }
    status, out, _ = progress_in_process(log, tmp_path, "--format", "json")
    assert status == 0
    step = hp.from_json(out, hp.Step)
    assert step.week == slot.week + 5
    assert hp.progression.workload(step.dose) < hp.progression.workload(slot.dose)
    assert any(r.rule == "comeback" for r in step.reasons)


SLOT = {
    "week": 1,
    "session": "Mon",
    "weekday": 0,
    "role": "finisher",
    "exercise": "single-leg-hip-thrust",
    "variation": "bodyweight",
    "dose": {"sets": 3, "reps": 10},
}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"skipped": True}, "$.performed: must be empty for a skipped session"),
        ({"performed": []}, "$.performed: is empty"),
        ({"next_week": 0}, "$.next_week"),
        ({"next_week": "3"}, "$.next_week"),
        ({"skipped": "yes"}, "$.skipped"),
        ({"slot": SLOT}, "got 'slot' and 'dose'"),
        (
            {"step": {"week": 1, "dose": {"sets": 3, "reps": 12}, "rung": {"exercise": "nope"}}},
            "'step' and 'dose'",
        ),
    ],
)
def test_progress_bad_logs_exit_2_naming_the_file(tmp_path: Path, change: dict[str, Any], words: str) -> None:
    """A skipped session with sets, no sets, a bad next week or two prescriptions: exit 2, one line."""
    log = {**json.loads((EXAMPLES / "log.json").read_text(encoding="utf-8")), **change}
    path = tmp_path / "bad-log.json"
    path.write_text(json.dumps(log), encoding="utf-8")
    assert_one_line_error(run("progress", path), "bad-log.json", words)


def test_progress_next_week_before_this_one_is_refused(tmp_path: Path, example_plan: hp.Plan) -> None:
    """A next week before the slot's own week: exit 2, naming the file and 'next_week'."""
    slot = next(s for s in example_plan.slots if s.week == 3)
    log = {
        "slot": json.loads(hp.to_json(slot)),
        "performed": done_as_prescribed(json.loads(hp.to_json(slot.dose))),
        "next_week": 2,
    }
    status, out, err = progress_in_process(log, tmp_path)
    assert (status, out) == (2, "")
    assert err.startswith("hipplan: error: ")
    assert "log.json: 'next_week' must be a week number from 3" in err
    assert "(got 2)" in err


def test_progress_load_above_the_cap_is_refused(tmp_path: Path) -> None:
    """A prescription above the variation's cap (100 kg on the landmine for 70 kg): exit 2, naming the cap."""
    log = json.loads((EXAMPLES / "log.json").read_text(encoding="utf-8"))
    log["dose"]["load_kg"] = 100
    for p in log["performed"]:
        p["load_kg"] = 100
    path = tmp_path / "heavy.json"
    path.write_text(json.dumps(log), encoding="utf-8")
    assert_one_line_error(run("progress", path), "heavy.json", "cap of 35 kg")
