"""Regression tests for issue 14's defects that live in the planner, the rules and the logs.

Each test failed before its fix; the issue's item number is in the test's name.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hipplan as hp
import hipplan.strategies as hst
from hipplan.constraints import (
    AvoidRole,
    AvoidVariation,
    ForbidSession,
    PreferRole,
    PreferVariation,
    RequireRole,
    SoftRule,
)
from hipplan.example import example_athlete, example_week


def test_item6_sessions_none_is_invalid_input() -> None:
    """plan() with no week at all (None) names the argument instead of raising TypeError."""
    with pytest.raises(hp.InvalidInput, match="'sessions'") as info:
        hp.plan(example_athlete(), None, 2)  # type: ignore[arg-type]
    assert info.value.field == "sessions"


@pytest.mark.parametrize("budget", ["many", -1, 0, 2.5, True, None])
def test_item6_bad_budget_is_invalid_input(budget: Any) -> None:
    """A bad budget is an InvalidInput naming 'budget', never a bare ValueError."""
    with pytest.raises(hp.InvalidInput, match="'budget'"):
        hp.plan(example_athlete(), example_week(), 2, budget=budget)


def test_item6_huge_weights_are_refused_where_given() -> None:
    """A weight beyond the documented maximum is refused on the rule itself, naming 'weight'."""
    with pytest.raises(hp.InvalidInput, match="'weight' must be <= 1e\\+06"):
        PreferRole(role=hp.Role.FINISHER, weight=1e308)
    # Two opposing rules at the maximum still give a plan with a finite score.
    plan = hp.plan(
        example_athlete(),
        example_week(),
        4,
        constraints=[
            PreferRole(role=hp.Role.FINISHER, weight=1e6),
            AvoidRole(role=hp.Role.FINISHER, weight=1e6),
        ],
    )
    assert math.isfinite(plan.score)


@attrs.frozen(kw_only=True)
class _Endless(SoftRule):
    """A user's soft rule whose cost is infinite everywhere."""

    tag = "endless"

    def describe(self) -> str:
        return "an endless cost"

    def post(self, model: Any) -> None:
        for cell in model.cells:
            model.problem.prefer([cell.var], lambda _value: math.inf, group=self.group)


def test_item6_infinite_user_cost_names_the_constraints() -> None:
    """A user's soft rule with an infinite cost gets an InvalidInput about 'constraints', not about 'score'."""
    with pytest.raises(hp.InvalidInput, match="'constraints'") as info:
        hp.plan(example_athlete(), example_week(), 2, constraints=[_Endless()])
    assert "score" not in str(info.value).split(":")[0]


# --- item 10: rules that name nothing ------------------------------------------------------------------------------


def _plan_with(*rules: Any, overrides: Any = ()) -> hp.Plan:
    return hp.plan(example_athlete(), example_week(), 4, constraints=rules, overrides=overrides)


@pytest.mark.parametrize(
    ("rule", "field", "words"),
    [
        (
            RequireRole(session="Thu pul", role=hp.Role.FINISHER),
            "constraints[0].session",
            "did you mean 'Thu pull'",
        ),
        (ForbidSession(session="Mon leg"), "constraints[0].session", "the sessions are 'Mon squat'"),
        (ForbidSession(session="Mon squat", weeks=[14]), "constraints[0].weeks", "weeks 1 to 4"),
        (PreferVariation(variation="dumbell"), "constraints[0].variation", "did you mean 'dumbbell'"),
        (AvoidVariation(variation="mini-band"), "constraints[0].variation", "the variations are banded"),
    ],
)
def test_item10_a_rule_that_names_nothing_is_refused(rule: Any, field: str, words: str) -> None:
    """A session, week or variation that is not in the plan is an InvalidInput naming the field and what exists."""
    with pytest.raises(hp.InvalidInput) as info:
        _plan_with(rule)
    assert info.value.field == field
    assert words in str(info.value)
    assert type(rule).__name__ in str(info.value)


def test_item10_a_required_slot_in_a_week_off_is_refused() -> None:
    """RequireRole in a named week where the session is not held says which week and what it holds."""
    rule = RequireRole(session="Mon squat", role=hp.Role.WARM_UP, weeks=[2])
    with pytest.raises(hp.InvalidInput, match=r"week 2, which has no 'Mon squat' session .*week off"):
        _plan_with(rule, overrides={2: []})


def test_item10_the_index_is_the_users_own() -> None:
    """The error's field counts the user's own constraints, not the defaults before them."""
    with pytest.raises(hp.InvalidInput) as info:
        _plan_with(PreferRole(role=hp.Role.FINISHER), ForbidSession(session="nowhere"))
    assert info.value.field == "constraints[1].session"


@given(st.sampled_from(["Mon squat", "Thu pull", "Sat home"]), st.sets(st.integers(1, 4), max_size=4))
@settings(max_examples=20, deadline=None)
def test_item10_rules_that_name_what_exists_are_kept(session: str, weeks: set[int]) -> None:
    """A rule naming a session and weeks of the plan is never refused for its names (property)."""
    plan = _plan_with(ForbidSession(session=session, weeks=weeks), PreferVariation(variation="dumbbell"))
    assert not any(slot.session == session and (not weeks or slot.week in weeks) for slot in plan.slots), (
        "the rule is applied, not dropped"
    )


# --- item 12: an Infeasible message says why and how out ------------------------------------------------------------


def test_item12_an_upper_body_week_says_why_and_how_out() -> None:
    """A week of upper-body days names them as the reason and suggests a session that can hold a slot."""
    upper = [
        hp.Session(name="Mon upper", weekday=0, focus="upper"),
        hp.Session(name="Thu upper", weekday=3, focus="upper"),
    ]
    with pytest.raises(hp.Infeasible) as info:
        hp.plan(hp.Athlete(level="intermediate"), upper, 4)
    message = str(info.value)
    assert "Mon upper, Thu upper cannot hold one: upper-body days take no hip thrust" in message
    assert (
        info.value.ways_out[0] == "make a session a lower-body, full-body or circuit day (Session(focus=...))"
    )
    assert message.endswith("\n".join(f"- {way}" for way in info.value.ways_out))


def test_item12_a_rule_whose_refusal_is_its_description_is_said_once() -> None:
    """A user's ForbidSession in a conflict is not repeated as its own detail."""
    legs = [hp.Session(name="Mon legs", weekday=0, focus="lower", equipment={hp.Equipment.BENCH})]
    with pytest.raises(hp.Infeasible) as info:
        hp.plan(hp.Athlete(level="intermediate"), legs, 2, constraints=[ForbidSession(session="Mon legs")])
    assert "(your rule): no hip thrusts" not in str(info.value)
    assert (
        "drop your rule ForbidSession(session='Mon legs'), or limit it to fewer weeks" in info.value.ways_out
    )


# --- item 17: a two-leg set has no side ----------------------------------------------------------------------------

_BRIDGE = hp.Rung(exercise="glute-bridge", variation="bodyweight")


def test_item17_two_leg_sets_are_logged_without_a_side() -> None:
    """A glute bridge session logged as plain sets (no side) progresses like any other log."""
    dose = hp.Dose(sets=2, reps=12)
    step = hp.progress(
        dose, [hp.Performed(reps=12), hp.Performed(reps=12)], role=hp.Role.FINISHER, rung=_BRIDGE
    )
    with_sides = hp.progress(
        dose,
        [hp.Performed(side="left", reps=12), hp.Performed(side="left", reps=12)],
        role=hp.Role.FINISHER,
        rung=_BRIDGE,
    )
    assert step.dose == with_sides.dose
    assert step.dose.reps > dose.reps


def test_item17_one_leg_sets_still_need_their_side() -> None:
    """A set of a one-leg exercise without a side is an InvalidInput naming that set's field."""
    rung = hp.Rung(exercise="single-leg-hip-thrust", variation="bodyweight")
    with pytest.raises(hp.InvalidInput, match="which side") as info:
        hp.progress(
            hp.Dose(sets=1, reps=10),
            [hp.Performed(side="left", reps=10), hp.Performed(reps=10)],
            role=hp.Role.FINISHER,
            rung=rung,
        )
    assert info.value.field == "performed[1].side"


def test_item17_a_two_leg_set_round_trips_without_a_side() -> None:
    """A set without a side writes 'side': null and reads back the same."""
    done = hp.Performed(reps=12, load_kg=10)
    assert hp.from_json(hp.to_json(done), hp.Performed) == done


# --- item 14: the public strategies ---------------------------------------------------------------------------------


@given(hst.requests(max_weeks=4))
@settings(max_examples=40, deadline=None)
def test_item14_a_drawn_request_plans_or_is_infeasible(request: hp.PlanRequest) -> None:
    """A request from hst.requests() is valid: planning it gives a plan or Infeasible, never InvalidInput."""
    try:
        plan = request.plan()
    except hp.Infeasible:
        return
    assert plan.weeks == request.weeks
    assert hp.from_json(hp.to_json(request), hp.PlanRequest) == request


# --- issue 12 (in the planner): limits on a week's sessions and on time ---------------------------------------------


def test_more_than_21_sessions_a_week_is_refused() -> None:
    """A week of more than three sessions a day is an InvalidInput naming the limit, in the usual week and in a
    changed one."""
    many = [hp.Session(name=f"s{i}", weekday=i % 7, focus="lower") for i in range(22)]
    with pytest.raises(hp.InvalidInput, match="at most 21 sessions a week") as info:
        hp.plan(example_athlete(), many, 2)
    assert info.value.field == "sessions"
    with pytest.raises(hp.InvalidInput, match="at most 21 sessions a week") as info:
        hp.plan(example_athlete(), example_week(), 2, overrides={2: many})
    assert info.value.field == "overrides"


@pytest.mark.parametrize("limit", [0, -1, math.inf, math.nan, "1", True])
def test_a_bad_time_limit_is_refused(limit: Any) -> None:
    """time_limit must be a positive number of seconds (or None)."""
    with pytest.raises(hp.InvalidInput, match="'time_limit'"):
        hp.plan(example_athlete(), example_week(), 2, time_limit=limit)


def test_a_time_limit_never_changes_the_plan_and_bounds_the_call() -> None:
    """With time enough the plan is the one without a limit; with next to none, BudgetExceeded."""
    plain = hp.plan(example_athlete(), example_week(), 8)
    assert hp.to_json(hp.plan(example_athlete(), example_week(), 8, time_limit=600)) == hp.to_json(plain)
    with pytest.raises(hp.BudgetExceeded):
        hp.plan(example_athlete(), example_week(), 52, time_limit=1e-9)


def test_load_request_checks_the_file_before_reading_it(tmp_path: Any) -> None:
    """load_request() refuses a device, a wrong suffix and an oversized file before reading it (item 5, library)."""
    with pytest.raises(hp.InvalidInput, match="not a regular file"):
        hp.load_request("/dev/zero")
    wrong = tmp_path / "request.txt"
    wrong.write_text("weeks = 2\n", encoding="utf-8")
    with pytest.raises(hp.InvalidInput, match=r"must end in \.toml or \.json"):
        hp.load_request(wrong)
    big = tmp_path / "request.toml"
    with big.open("wb") as handle:
        handle.truncate(10_000_001)  # a sparse file: nothing is written, and nothing must be read
    with pytest.raises(hp.InvalidInput, match="10,000,000 bytes"):
        hp.load_request(big)


# --- an Infeasible is read by its parts, never by splitting its message ---------------------------------------------

TEXTS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(str.strip)


@given(
    TEXTS,
    st.lists(st.tuples(TEXTS, TEXTS, st.lists(TEXTS, max_size=2), st.one_of(st.just(""), TEXTS)), max_size=3),
    st.lists(TEXTS, min_size=1, max_size=3),
    st.lists(TEXTS, max_size=2),
)
def test_an_infeasible_message_is_written_from_its_parts(
    head: str, parts: list[tuple[str, str, list[str], str]], ways: list[str], notes: list[str]
) -> None:
    """Infeasible.of: the head, one line per conflict (text, then detail), the notes, the ways out; and every
    part survives pickling (a batch sends errors across processes)."""
    import pickle

    conflicts = [hp.Conflict(rule, text, sessions, detail) for rule, text, sessions, detail in parts]
    error = hp.Infeasible.of(head, conflicts, ways, notes)
    lines = str(error).split("\n")
    assert lines[0] == f"{head}. These rules cannot all hold:"
    rules = [f"- {c.text}: {c.detail}" if c.detail else f"- {c.text}" for c in conflicts]
    assert lines[1 : 1 + len(rules) + len(notes)] == rules + [f"- {note}" for note in notes]
    assert lines[1 + len(rules) + len(notes) :] == ["Ways out:", *(f"- {way}" for way in ways)]
    back = pickle.loads(pickle.dumps(error))
    assert (str(back), back.conflicts, back.ways_out, back.head, back.notes) == (
        str(error),
        error.conflicts,
        error.ways_out,
        error.head,
        error.notes,
    )


def test_explain_prints_each_rule_with_its_detail_and_the_notes(tmp_path: Any) -> None:
    """`hipplan explain` on a week of upper-body days: each rule with where it binds, the note naming the days
    that take no hip thrust, then the ways out; exit status 1."""
    import io

    from hipplan.cli import main

    path = tmp_path / "upper.toml"
    path.write_text(
        'weeks = 2\n[athlete]\nlevel = "advanced"\n'
        '[[sessions]]\nname = "Tue upper"\nweekday = 1\nfocus = "upper"\n',
        encoding="utf-8",
    )
    out = io.StringIO()
    assert main(["explain", str(path)], stdout=out) == 1
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        f"No plan for {path}.",
        "No plan fits week 1, week 2. These rules cannot all hold:",
        "- between 1 and 3 hip-thrust slots a week",
    ]
    assert (
        "- and Tue upper cannot hold one: upper-body days take no hip thrust (it goes in a lower-body,"
        " full-body or circuit session)"
    ) in lines
    assert lines[lines.index("Ways out:") + 1].startswith("- make a session a lower-body, full-body or circuit day")
