"""A stored plan read back from JSON or TOML is as trustworthy as one plan() made (issue 14, item 4).

Each test changes one thing in a real plan's JSON and checks that reading it gives InvalidInput naming the JSON
path, the value and the rule, where it used to load (and, with ``"weeks": 10000000``, to take minutes and
gigabytes to render).
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hipplan as hp
from hipplan import strategies as hst
from hipplan.example import example_request
from hipplan.serialization import MAX_PLAN_WEEKS, plan_problems

GOLDEN = Path(__file__).parent / "golden" / "plan.json"

Document = dict[str, Any]


@functools.cache
def _example_text() -> str:
    return hp.to_json(example_request(6).plan())


def example() -> Document:
    """The example request's 6-week plan as JSON data: a warm-up on Monday, a landmine finisher on Thursday, a
    home circuit on Saturday, and week 5 a deload in a hotel room (slots 12 and 13)."""
    return json.loads(_example_text())  # type: ignore[no-any-return]


def golden() -> Document:
    """The golden plan as JSON data: two weeks, one unplaced session (Wed upper), week 2 a travel week."""
    return json.loads(GOLDEN.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def refusal(document: Document) -> hp.InvalidInput:
    """The InvalidInput that reading ``document`` as a Plan raises."""
    with pytest.raises(hp.InvalidInput) as info:
        hp.from_json(json.dumps(document), hp.Plan)
    return info.value


def test_the_plans_changed_below_read_back_as_they_are() -> None:
    """The example and golden plans read back (so each test below changes one thing only)."""
    for document in (example(), golden()):
        plan = hp.from_json(json.dumps(document), hp.Plan)
        assert [] == plan_problems(plan)


def test_ten_million_weeks_are_refused_before_anything_renders_them() -> None:
    """A 3 KB plan claiming 10,000,000 weeks is InvalidInput at $.weeks, with the value and the 1-520 rule."""
    document = golden()
    document["weeks"] = 10_000_000
    exc = refusal(document)
    assert ["$.weeks: must be from 1 to 520, as plan() plans them (got 10000000)"] == list(exc.problems)
    assert str(exc).startswith("invalid Plan: $.weeks")


@pytest.mark.parametrize("weeks", [0, -3, MAX_PLAN_WEEKS + 1])
def test_weeks_outside_1_to_520_are_refused(weeks: int) -> None:
    """weeks below 1 or above 520 is InvalidInput naming $.weeks and the value."""
    document = hp.to_json(hp.Plan(athlete=hp.Athlete(level="beginner"), weeks=1, sessions=()))
    data = json.loads(document)
    data["weeks"] = weeks
    assert f"(got {weeks})" in str(refusal(data))
    assert any(p.startswith("$.weeks: ") for p in refusal(data).problems)


def test_520_weeks_read() -> None:
    """The longest plan plan() makes, 520 weeks, reads back."""
    plan = hp.Plan(athlete=hp.Athlete(level="beginner"), weeks=MAX_PLAN_WEEKS, sessions=())
    assert plan == hp.from_json(hp.to_json(plan), hp.Plan)


def _set(path: str, value: Any) -> Callable[[Document], None]:
    """A change that sets the value at a dotted path (``slots.0.week``)."""

    def change(document: Document) -> None:
        *parents, last = path.split(".")
        target: Any = document
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


def _duplicate_slot(document: Document) -> None:
    document["slots"].insert(1, copy.deepcopy(document["slots"][0]))


def _swap_slots(document: Document) -> None:
    slots = document["slots"]
    slots[0], slots[3] = slots[3], slots[0]


def _drop_slot(document: Document) -> None:
    del document["slots"][2]


def _rename_session(document: Document) -> None:
    document["sessions"][2]["name"] = "Mon squat"


def _two_overrides(document: Document) -> None:
    document["week_overrides"].append(copy.deepcopy(document["week_overrides"][0]))


def _drop_deload(document: Document) -> None:
    for slot in document["slots"][12:14]:
        slot["deload"] = False
        slot["resume"] = None


MINI_BAND = {"exercise": "single-leg-hip-thrust", "variation": "mini-band"}

# (change, the path named, words of the rule) on the example plan.
EXAMPLE_CHANGES: dict[str, tuple[Callable[[Document], None], str, str]] = {
    "slot-week-beyond-the-plan": (_set("slots.16.week", 7), "$.slots[16].week", "within the plan's 6 weeks"),
    "slot-in-no-session": (_set("slots.2.session", "Sun park"), "$.slots[2].session", "no such session"),
    "slot-in-a-usual-session-of-a-travel-week": (
        _set("slots.12.session", "Sat home"),
        "$.slots[12].session",
        "week 5 has no such session",
    ),
    "slot-on-another-weekday": (_set("slots.1.weekday", 4), "$.slots[1].weekday", "must be 3"),
    "two-slots-in-one-session": (_duplicate_slot, "$.slots[1]", "one slot per session"),
    "slots-out-of-order": (_swap_slots, "$.slots[3]", "(week, weekday) order"),
    "unknown-exercise": (_set("slots.1.exercise", "squat"), "$.slots[1].exercise", "catalogue"),
    "unknown-variation": (_set("slots.1.variation", "kettlebell"), "$.slots[1].variation", "no variation"),
    "mini-band": (_set("slots.1.variation", "mini-band"), "$.slots[1].variation", "never prescribed"),
    "mini-band-state": (_set("slots.1.state.rung", MINI_BAND), "$.slots[1].state.rung", "never prescribed"),
    "mini-band-athlete-rung": (_set("athlete.rung", MINI_BAND), "$.athlete.rung", "never prescribed"),
    "mini-band-working-dose": (
        _set("athlete.working", [{**MINI_BAND, "sets": 2, "reps": 10}]),
        "$.athlete.working[0]",
        "never prescribed",
    ),
    "kit-not-at-hand": (_set("slots.2.variation", "landmine"), "$.slots[2].variation", "needs barbell"),
    "no-support-surface": (_set("sessions.2.equipment", []), "$.slots[2].exercise", "bench, box or couch"),
    "finisher-on-a-circuit-day": (_set("slots.2.role", "finisher"), "$.slots[2].role", "a finisher closes"),
    "circuit-on-a-lower-day": (_set("slots.1.role", "circuit"), "$.slots[1].role", "a circuit slot belongs"),
    "warm-up-without-heavy-lifts": (_set("sessions.0.lifts", []), "$.slots[0].role", "a warm-up goes before"),
    "loaded-warm-up": (_set("slots.0.dose.load_kg", 5.0), "$.slots[0].", "must be 0"),
    "warm-up-on-a-loaded-variation": (
        _set("slots.0.variation", "dumbbell"),
        "$.slots[0].variation",
        "bodyweight",
    ),
    "loaded-bodyweight-slot": (_set("slots.2.dose.load_kg", 5.0), "$.slots[2].dose.load_kg", "adds no load"),
    "resume-outside-a-deload": (
        _set("slots.2.resume", {"sets": 3, "reps": 10}),
        "$.slots[2].resume",
        "only a deload slot",
    ),
    "state-of-another-role": (_set("slots.1.state.role", "circuit"), "$.slots[1].state.role", "finisher"),
    "deload-weeks-wrong": (_set("deload_weeks", [2]), "$.deload_weeks", "[5] (got [2])"),
    "deload-weeks-not-said": (_drop_deload, "$.deload_weeks", "[] (got [5])"),
    "override-beyond-the-plan": (_set("week_overrides.0.week", 9), "$.week_overrides[0].week", "within"),
    "override-week-twice": (_two_overrides, "$.week_overrides[1].week", "each week once"),
    "session-names-twice": (_rename_session, "$.sessions[2].name", "unique"),
    "session-at-an-unknown-place": (
        _set("sessions.2.place", "home"),
        "$.sessions[2].place",
        "athlete's places",
    ),
    "a-session-left-out": (_drop_slot, "$.unplaced", "week 1, 'Sat home' has neither a slot nor an entry"),
}


@pytest.mark.parametrize("name", sorted(EXAMPLE_CHANGES))
def test_an_inconsistent_stored_plan_is_refused_at_its_path(name: str) -> None:
    """One inconsistency in a real plan's JSON gives InvalidInput naming its path and the rule it breaks."""
    change, path, words = EXAMPLE_CHANGES[name]
    document = example()
    change(document)
    exc = refusal(document)
    assert any(p.startswith(path) and words in p for p in exc.problems), exc.problems
    assert all(p.startswith("$.") for p in exc.problems)


def _unplace_a_slot(document: Document) -> None:
    document["unplaced"].append({"week": 1, "session": "Mon lower", "weekday": 0, "reasons": []})


def _unplace_twice(document: Document) -> None:
    document["unplaced"].append(copy.deepcopy(document["unplaced"][0]))


GOLDEN_CHANGES: dict[str, tuple[Callable[[Document], None], str, str]] = {
    "both-a-slot-and-unplaced": (_unplace_a_slot, "$.unplaced[1]", "cannot also be unplaced"),
    "unplaced-twice": (_unplace_twice, "$.unplaced[1]", "listed twice"),
    "unplaced-in-no-session": (_set("unplaced.0.session", "Fri"), "$.unplaced[0].session", "no such session"),
    "unplaced-beyond-the-plan": (
        _set("unplaced.0.week", 3),
        "$.unplaced[0].week",
        "within the plan's 2 weeks",
    ),
    "unplaced-on-another-weekday": (_set("unplaced.0.weekday", 6), "$.unplaced[0].weekday", "must be 2"),
    "unplaced-entry-left-out": (_set("unplaced", []), "$.unplaced", "week 1, 'Wed upper' has neither"),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CHANGES))
def test_unplaced_sessions_must_match_the_plan(name: str) -> None:
    """Every session of every week has a slot or an unplaced entry, never both, never twice."""
    change, path, words = GOLDEN_CHANGES[name]
    document = golden()
    change(document)
    exc = refusal(document)
    assert any(p.startswith(path) and words in p for p in exc.problems), exc.problems


def test_the_message_spells_out_the_first_problems_and_keeps_them_all() -> None:
    """A plan with many problems: the message shows the first twenty and says how many more; problems has all."""
    document = example()
    for slot in document["slots"]:
        slot["exercise"] = "squat"
        slot["dose"]["sets"] = 2  # not a problem: a different dose is still a dose
        slot["weekday"] = 6 - slot["weekday"]
    exc = refusal(document)
    count = len(exc.problems)
    assert count >= 2 * len(document["slots"])  # a weekday and an exercise a slot (and the order, reversed)
    assert str(exc).endswith(f"; and {count - 20} more")
    assert all(p in str(exc) for p in exc.problems[:20])


def test_a_stored_plan_in_toml_is_checked_too() -> None:
    """from_toml applies the same checks: a TOML plan of 10,000,000 weeks is refused at $.weeks."""
    text = 'weeks = 10000000\nsessions = []\n[athlete]\nlevel = "advanced"\n'
    with pytest.raises(hp.InvalidInput, match=r"\$\.weeks: must be from 1 to 520"):
        hp.from_toml(text, hp.Plan)
    assert hp.from_toml(text.replace("10000000", "3"), hp.Plan).weeks == 3


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hst.plans(max_weeks=6, max_overrides=2), st.data())
def test_a_real_plan_with_one_slot_moved_reads_only_if_consistent(plan: hp.Plan, data: st.DataObject) -> None:
    """Moving one slot of a real plan to another week or session gives InvalidInput, or a plan as consistent as
    plan() makes (the move happened to land it in a free session of the same kind)."""
    if not plan.slots:
        return
    document = json.loads(hp.to_json(plan))
    index = data.draw(st.integers(0, len(plan.slots) - 1))
    slot = document["slots"][index]
    slot["week"] = data.draw(st.integers(1, plan.weeks + 2))
    names = sorted({s.name for w in range(1, plan.weeks + 1) for s in plan.sessions_for(w)} | {"nowhere"})
    slot["session"] = data.draw(st.sampled_from(names))
    problems: tuple[str, ...] = ()
    try:
        back = hp.from_json(json.dumps(document), hp.Plan)
    except hp.InvalidInput as exc:
        problems = exc.problems
    else:
        assert [] == plan_problems(back)
        return
    assert problems
    assert all(p.startswith("$.") for p in problems)
