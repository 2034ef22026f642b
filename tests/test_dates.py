"""Dates and calendar IDs (issue 10, items 6 and 7): a plan carries its start date and its id, JSON keeps them,
slots_between answers a calendar screen, and calendar UIDs tell athletes apart."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import hipplan as hp
from hipplan import strategies as hst
from hipplan.example import EXAMPLE_START, example_request
from hipplan.plan import Plan
from hipplan.serialization import from_json, to_json

DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@pytest.fixture(scope="module")
def example() -> Plan:
    """The built-in example, two weeks, planned with its start date."""
    return example_request(weeks=2).plan()


def _dated(plan: Plan, start: dt.date) -> Plan:
    return attrs.evolve(plan, start=start)


# ---------------------------------------------------------------- the start date flows into the plan


def test_the_request_start_goes_into_the_plan(example: Plan) -> None:
    """PlanRequest.start becomes Plan.start; the slots are the ones a plan without dates has."""
    assert example.start == EXAMPLE_START
    undated = example_request(weeks=2)
    assert attrs.evolve(example, start=None).slots == attrs.evolve(undated, start=None).plan().slots


@given(DATES)
def test_any_start_date_stands_for_its_monday(start: dt.date) -> None:
    """A plan keeps the Monday of the week that holds the date it was given."""
    plan = hp.Plan(athlete=hp.Athlete(level="advanced"), weeks=2, sessions=(), start=start)
    assert plan.start is not None
    assert plan.start.weekday() == 0
    assert 0 <= (start - plan.start).days <= 6


def test_plan_takes_start_and_plan_id() -> None:
    """plan(..., start=, plan_id=) keeps both; a bad one is an InvalidInput naming it, before any planning."""
    week = [hp.Session(name="Thu", weekday=3, focus="lower", equipment={hp.Equipment.BENCH})]
    athlete = hp.Athlete(level="advanced")
    plan = hp.plan(athlete, week, 1, start=dt.date(2027, 1, 6), plan_id="user-7")
    assert (plan.start, plan.plan_id) == (dt.date(2027, 1, 4), "user-7")
    with pytest.raises(hp.InvalidInput, match="'start'") as info:
        hp.plan(athlete, week, 1, start=dt.datetime(2027, 1, 4, 9, 0))  # type: ignore[arg-type]
    assert info.value.field == "start"
    assert hp.plan(athlete, week, 1, start="2027-01-06").start == dt.date(2027, 1, 4)  # type: ignore[arg-type]
    with pytest.raises(hp.InvalidInput, match="YYYY-MM-DD") as info:
        hp.plan(athlete, week, 1, start="6 Jan 2027")  # type: ignore[arg-type]
    assert info.value.field == "start"
    with pytest.raises(hp.InvalidInput, match="9999-12-31"):
        hp.plan(athlete, week, 4, start=dt.date(9999, 12, 13))
    with pytest.raises(hp.InvalidInput, match="'plan_id'"):
        hp.plan(athlete, week, 1, plan_id=" ")


@given(hst.plans(max_weeks=3), DATES, st.one_of(st.none(), st.text(min_size=1).filter(str.strip)))
def test_json_round_trip_keeps_start_and_id(plan: Plan, start: dt.date, plan_id: str | None) -> None:
    """A plan with a start date and an id reads back from JSON equal, start and id included."""
    dated = attrs.evolve(plan, start=start, plan_id=plan_id)
    back = from_json(to_json(dated), Plan)
    assert back == dated
    assert back.start == dated.start
    assert json.loads(to_json(dated))["start"] == dated.start.isoformat()  # type: ignore[union-attr]


def test_a_stored_plan_without_dates_still_reads(example: Plan) -> None:
    """A document written before plans had dates (no 'start', no 'plan_id') reads back with neither."""
    data = json.loads(to_json(example))
    del data["start"], data["plan_id"]
    back = from_json(json.dumps(data), Plan)
    assert (back.start, back.plan_id) == (None, None)
    assert back.slots == example.slots


# ---------------------------------------------------------------- slots_between


@given(hst.plans(max_weeks=4), DATES, st.integers(-10, 40), st.integers(-5, 40))
def test_slots_between_is_every_slot_in_the_range(plan: Plan, start: dt.date, after: int, span: int) -> None:
    """slots_between(first, last) is exactly the slots dated first..last, both included, in date order."""
    plan = _dated(plan, start)
    assert plan.start is not None
    first = plan.start + dt.timedelta(days=after)
    last = first + dt.timedelta(days=span)
    found = plan.slots_between(first, last)
    expected = [s for s in plan.slots if first <= plan.date_of(s) <= last]  # type: ignore[operator]
    assert list(found) == expected
    dates = [plan.date_of(s) for s in found]
    assert dates == sorted(dates)  # type: ignore[type-var]


def test_slots_between_needs_dates(example: Plan) -> None:
    """Without a start date, or with something that is not a date, slots_between is an InvalidInput."""
    with pytest.raises(hp.InvalidInput, match="no start date"):
        attrs.evolve(example, start=None).slots_between(dt.date(2027, 1, 4), dt.date(2027, 1, 10))
    with pytest.raises(hp.InvalidInput, match="'first'"):
        example.slots_between("2027-01-04", dt.date(2027, 1, 10))  # type: ignore[arg-type]


def test_views_show_dates_only_when_known(example: Plan) -> None:
    """With a start, every week heading has its dates; without one, no view shows a date."""
    assert "Week 2 (11-17 Jan 2027)" in example.to_text()
    assert "## Week 2 (11-17 Jan 2027)" in example.to_markdown()
    undated = attrs.evolve(example, start=None)
    assert "Jan" not in undated.to_text()
    assert all(record["date"] is None for record in undated.to_records())
    assert [r["date"] for r in example.to_records()][:3] == [
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 7),
        dt.date(2027, 1, 9),
    ]


# ---------------------------------------------------------------- calendar


def _uids(plan: Plan, **kwargs: object) -> list[str]:
    icalendar = pytest.importorskip("icalendar")
    cal = icalendar.Calendar.from_ical(plan.to_ical(**kwargs))  # type: ignore[arg-type]
    return [str(e["uid"]) for e in cal.walk() if e.name == "VEVENT"]


def test_to_ical_needs_no_date_when_the_plan_has_one(example: Plan) -> None:
    """A dated plan's calendar needs no argument; a date given still overrides it; an undated plan needs one."""
    pytest.importorskip("icalendar")
    assert example.to_ical() == example.to_ical(EXAMPLE_START)
    assert example.to_ical() != example.to_ical(dt.date(2027, 2, 1))
    with pytest.raises(hp.InvalidInput, match="needs dates"):
        attrs.evolve(example, start=None).to_ical()


@given(hst.plans(max_weeks=3), hst.athletes(), hst.athletes())
def test_two_athletes_never_share_a_uid(plan: Plan, one: hp.Athlete, other: hp.Athlete) -> None:
    """Two plans that differ only in the athlete have disjoint calendar UIDs."""
    assume(one != other)
    dated = _dated(plan, EXAMPLE_START)
    first = _uids(attrs.evolve(dated, athlete=one))
    second = _uids(attrs.evolve(dated, athlete=other))
    assert not set(first) & set(second)
    assert len(set(first)) == len(first)


@given(hst.plans(max_weeks=3), st.text(min_size=1).filter(str.strip), st.text(min_size=1).filter(str.strip))
def test_plan_ids_tell_plans_apart(plan: Plan, one: str, other: str) -> None:
    """Two plan ids give disjoint UIDs; one plan id gives the same UIDs whatever the athlete's details."""
    assume(one != other)
    dated = _dated(plan, EXAMPLE_START)
    assert not set(_uids(dated, plan_id=one)) & set(_uids(dated, plan_id=other))
    heavier = attrs.evolve(dated, athlete=attrs.evolve(dated.athlete, bodyweight_kg=99.0), plan_id=one)
    assert _uids(heavier) == _uids(dated, plan_id=one)


def test_two_requests_differing_only_in_the_athlete(example: Plan) -> None:
    """The example planned for a 70 kg and an 80 kg athlete: no UID in common."""
    request = example_request(weeks=2)
    heavier = attrs.evolve(request, athlete=attrs.evolve(request.athlete, bodyweight_kg=80)).plan()
    assert not set(_uids(example)) & set(_uids(heavier))


UIDS = """
import sys
from hipplan.example import example_request
plan = example_request(weeks=2).plan()
print(plan.to_ical())
"""


def test_uids_are_the_same_on_every_run(example: Plan) -> None:
    """The same request gives the same calendar bytes in fresh interpreters with other hash seeds."""
    pytest.importorskip("icalendar")
    outputs = set()
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", UIDS], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(result.stdout.replace("\r\n", "\n"))
    assert len(outputs) == 1
    assert outputs == {example.to_ical().replace("\r\n", "\n") + "\n"}
