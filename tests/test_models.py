"""Input and output models: validators refuse nonsense with InvalidInput naming the field and the value."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipplan import (
    Athlete,
    Dose,
    Equipment,
    Focus,
    HipplanError,
    InvalidInput,
    Level,
    Lift,
    Performed,
    Place,
    Plan,
    Reason,
    Role,
    Rung,
    Session,
    Side,
    Slot,
    Unit,
    Unplaced,
    WeekOverride,
)
from hipplan import strategies as hst
from hipplan.athlete import check_week
from hipplan.request import PlanRequest

NAN = float("nan")
INF = float("inf")


def session(**changes: Any) -> Session:
    """A valid session, with some fields changed."""
    fields: dict[str, Any] = {"name": "Mon squat", "weekday": 0, "focus": Focus.LOWER}
    return Session(**(fields | changes))


def dose(**changes: Any) -> Dose:
    """A valid dose, with some fields changed."""
    return Dose(**({"sets": 3, "reps": 10} | changes))


def slot(**changes: Any) -> Slot:
    """A valid slot, with some fields changed."""
    fields: dict[str, Any] = {
        "week": 1,
        "session": "Mon squat",
        "weekday": 0,
        "role": Role.FINISHER,
        "exercise": "single-leg-hip-thrust",
        "variation": "bodyweight",
        "dose": dose(),
    }
    return Slot(**(fields | changes))


def refused(build: Any, field: str, value: object) -> InvalidInput:
    """Build, expect InvalidInput, and check that its message names the field and the value."""
    with pytest.raises(InvalidInput) as info:
        build()
    message = str(info.value)
    assert f"'{field}" in message, message
    assert repr(value) in message, message
    return info.value


# --- errors ------------------------------------------------------------------------------------------------


def test_invalid_input_is_a_value_error_and_a_hipplan_error() -> None:
    """InvalidInput can be caught as ValueError (the built-in) and as HipplanError (the package base)."""
    with pytest.raises(ValueError, match="'weekday'"):
        session(weekday=9)
    with pytest.raises(HipplanError):
        session(weekday=9)
    assert issubclass(InvalidInput, ValueError)
    assert issubclass(InvalidInput, HipplanError)


def test_invalid_input_carries_the_field_and_its_problems() -> None:
    """A validator's InvalidInput names its field; problems holds the message when there is one problem."""
    error = refused(lambda: session(weekday=7), "weekday", 7)
    assert error.field == "weekday"
    assert (str(error),) == error.problems


# --- Session -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weekday", -1),
        ("weekday", 7),
        ("weekday", 9),
        ("weekday", True),
        ("weekday", "3"),
        ("weekday", 2.0),
        ("weekday", NAN),
        ("name", ""),
        ("name", "   "),
        ("name", 7),
        ("focus", "legs"),
        ("focus", None),
        ("minutes", 0),
        ("minutes", False),
        ("place", " "),
    ],
)
def test_session_refuses_bad_fields(field: str, value: object) -> None:
    """Weekday outside 0-6 or not an int (bool, str, float, NaN), blank names, unknown focus, zero minutes."""
    refused(lambda: session(**{field: value}), field, value)


def test_session_refuses_unknown_equipment_and_lifts() -> None:
    """An equipment or lift value outside the vocabulary is refused, naming the field and the value."""
    refused(lambda: session(equipment={"bench", "kettlebell"}), "equipment", "kettlebell")
    refused(lambda: session(lifts=["squat", "snatch"]), "lifts", "snatch")
    refused(lambda: session(lifts="squat"), "lifts", "squat")


@given(st.integers().filter(lambda d: not 0 <= d <= 6))
def test_session_weekday_outside_the_week_is_refused(weekday: int) -> None:
    """Any weekday outside 0 (Monday) to 6 (Sunday) is refused."""
    refused(lambda: session(weekday=weekday), "weekday", weekday)


def test_session_accepts_string_values_for_enums() -> None:
    """Enum fields take their lower-case string values and store the members."""
    s = Session(name="Home", weekday=6, focus="circuit", lifts=["lunge"], equipment=("couch", "band"))
    assert Focus.CIRCUIT is s.focus
    assert frozenset({Lift.LUNGE}) == s.lifts
    assert frozenset({Equipment.COUCH, Equipment.BAND}) == s.equipment
    sunday = "Sunday"
    assert sunday == s.day_name


def test_session_heavy_lower() -> None:
    """A session has heavy lower-body work when it has a squat or a deadlift."""
    assert session(lifts={Lift.DEADLIFT}).has_heavy_lower
    assert not session(lifts={Lift.BENCH_PRESS, Lift.LUNGE}).has_heavy_lower


def test_models_are_frozen_and_evolve_revalidates() -> None:
    """Values cannot be changed in place; attrs.evolve makes a new one and validates it again."""
    s = session()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s.weekday = 3  # type: ignore[misc]
    thursday = 3
    assert thursday == attrs.evolve(s, weekday=3).weekday
    refused(lambda: attrs.evolve(s, weekday=8), "weekday", 8)


# --- the week ----------------------------------------------------------------------------------------------


def test_check_week_refuses_duplicate_names() -> None:
    """Two sessions with the same name in one week are refused; the message names the field and the name."""
    week = [session(name="A", weekday=0), session(name="B", weekday=2), session(name="A", weekday=4)]
    error = refused(lambda: check_week(week), "sessions[2].name", "A")
    assert "unique" in str(error)


def test_check_week_refuses_what_is_not_a_session() -> None:
    """A week must be a sequence of Session values, not a single session, a string or a dict."""
    refused(lambda: check_week([session(), {"name": "x"}]), "sessions[1]", {"name": "x"})
    with pytest.raises(InvalidInput, match="'sessions'"):
        check_week(session())  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="'sessions'"):
        check_week("Mon")  # type: ignore[arg-type]


@given(hst.weeks())
def test_check_week_keeps_every_session_in_weekday_order(week: tuple[Session, ...]) -> None:
    """A valid week passes unchanged in content and comes back sorted by weekday."""
    checked = check_week(reversed(week))
    assert sorted(week, key=lambda s: s.name) == sorted(checked, key=lambda s: s.name)
    assert sorted(s.weekday for s in week) == [s.weekday for s in checked]


def test_plan_request_refuses_duplicate_session_names() -> None:
    """PlanRequest refuses a week with a repeated session name, naming the field and the name."""
    week = (session(name="Gym"), session(name="Gym", weekday=3))
    refused(
        lambda: PlanRequest(athlete=Athlete(level=Level.BEGINNER), sessions=week), "sessions[1].name", "Gym"
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weeks", 0),
        ("weeks", True),
        ("weeks", 521),
        ("start", "5 Jan 2026"),
        ("start", dt.datetime(2026, 1, 5, 9)),
    ],
)
def test_plan_request_refuses_bad_fields(field: str, value: object) -> None:
    """Weeks must be 1..520 and start a date or its ISO text (not other text, not a date and time)."""
    build = lambda: PlanRequest(athlete=Athlete(level="advanced"), sessions=(), **{field: value})  # noqa: E731
    refused(build, field, value)


def test_plan_request_refuses_an_athlete_of_the_wrong_type() -> None:
    """The athlete must be an Athlete, not its JSON-like dict."""
    refused(lambda: PlanRequest(athlete={"level": "beginner"}, sessions=()), "athlete", {"level": "beginner"})


# --- Athlete and Place -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("level", "expert"),
        ("level", None),
        ("bodyweight_kg", NAN),
        ("bodyweight_kg", INF),
        ("bodyweight_kg", -70.0),
        ("bodyweight_kg", 10),
        ("bodyweight_kg", True),
        ("bodyweight_kg", "70"),
        ("exposures_per_week", 0),
        ("exposures_per_week", 8),
        ("exposures_per_week", True),
        ("exposures_per_week", 2.0),
        ("unit", "stone"),
        ("goal", "fame"),
        ("weaker_side", "middle"),
        ("rung", "glute-bridge"),
        ("prefer_roles", frozenset({"warmup"})),
    ],
)
def test_athlete_refuses_bad_fields(field: str, value: object) -> None:
    """Unknown levels, units, goals, sides and roles, non-finite or out-of-range numbers, bools for ints."""
    kwargs: dict[str, Any] = {"level": Level.INTERMEDIATE, field: value}
    shown = "warmup" if field == "prefer_roles" else value
    refused(lambda: Athlete(**kwargs), field, shown)


def test_athlete_defaults() -> None:
    """Only the level is required; the rest defaults to no bodyweight, no rung, kilograms, no places."""
    athlete = Athlete(level="beginner")
    assert Level.BEGINNER is athlete.level
    assert athlete.bodyweight_kg is None
    assert athlete.rung is None
    assert Unit.KG is athlete.unit
    no_places: tuple[Place, ...] = ()
    assert no_places == athlete.places


def test_athlete_refuses_duplicate_place_names() -> None:
    """Two places with the same name are refused, naming the field and the name."""
    places = (Place(name="home", equipment={"couch"}), Place(name="home"))
    refused(lambda: Athlete(level="beginner", places=places), "places", "home")


def test_athlete_kit_adds_the_place_equipment() -> None:
    """A session's kit is its own equipment plus that of the place it names."""
    athlete = Athlete(level="advanced", places=(Place(name="gym", equipment={"bench", "barbell"}),))
    s = session(equipment={"band"}, place="gym")
    expected = frozenset({Equipment.BENCH, Equipment.BARBELL, Equipment.BAND})
    assert expected == athlete.kit(s)
    assert frozenset({Equipment.BAND}) == athlete.kit(session(equipment={"band"}))


def test_athlete_unknown_place_names_the_known_ones() -> None:
    """A session naming a place the athlete does not have raises InvalidInput listing the known places."""
    athlete = Athlete(level="advanced", places=(Place(name="gym"),))
    with pytest.raises(InvalidInput, match=r"'office'.*known: gym"):
        athlete.kit(session(place="office"))


def test_athlete_bodyweight_is_stored_as_a_float() -> None:
    """An int bodyweight is stored as a float, so equal athletes serialise the same."""
    athlete = Athlete(level="beginner", bodyweight_kg=70)
    assert isinstance(athlete.bodyweight_kg, float)
    assert Athlete(level="beginner", bodyweight_kg=70.0) == athlete


def test_place_refuses_blank_name_and_unknown_kit() -> None:
    """A place needs a name, and its kit must be known equipment."""
    refused(lambda: Place(name=""), "name", "")
    refused(lambda: Place(name="home", equipment={"sofa"}), "equipment", "sofa")


def test_rung_refuses_blank_ids_and_orders() -> None:
    """A rung needs an exercise id; rungs sort by exercise then variation."""
    refused(lambda: Rung(exercise=" "), "exercise", " ")
    refused(lambda: Rung(exercise="glute-bridge", variation=""), "variation", "")
    assert Rung(exercise="a", variation="b") < Rung(exercise="a", variation="c") < Rung(exercise="b")
    shown = "single-leg-hip-thrust/landmine"
    assert shown == str(Rung(exercise="single-leg-hip-thrust", variation="landmine"))


# --- Dose and Performed ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reps", 0),
        ("reps", -3),
        ("reps", True),
        ("reps", 10.0),
        ("reps", "10"),
        ("sets", 0),
        ("sets", 11),
        ("load_kg", -1.0),
        ("load_kg", -0.5),
        ("load_kg", NAN),
        ("load_kg", INF),
        ("load_kg", True),
        ("load_kg", "5"),
        ("pause_s", -1.0),
        ("pause_s", NAN),
        ("lower_s", 10.0),
        ("rest_s", -1),
        ("rir", -1),
        ("rir", True),
    ],
)
def test_dose_refuses_bad_fields(field: str, value: object) -> None:
    """reps < 1, negative or non-finite loads, bools or strings for numbers, lowering of 10 s or more."""
    refused(lambda: dose(**{field: value}), field, value)


@given(st.integers(max_value=0))
def test_dose_reps_below_one_is_refused(reps: int) -> None:
    """A dose needs at least one rep per side."""
    refused(lambda: dose(reps=reps), "reps", reps)


@given(st.floats(max_value=0, exclude_max=True) | st.just(NAN) | st.just(-INF))
def test_dose_negative_or_nan_load_is_refused(load: float) -> None:
    """A negative or NaN load is refused."""
    with pytest.raises(InvalidInput, match="'load_kg'"):
        dose(load_kg=load)


def test_dose_bodyweight_is_zero_load_and_prints() -> None:
    """Bodyweight is a load of 0 (no crash on zero loads); a dose reads as sets x reps/side, load, pause."""
    plain, loaded, bodyweight = "3 x 10/side", "3 x 8/side @ 12.5 kg, 2 s pause", 0.0
    assert plain == str(dose())
    assert loaded == str(dose(reps=8, load_kg=12.5, pause_s=2))
    assert bodyweight == dose().load_kg


def test_dose_int_fields_for_floats_become_floats() -> None:
    """Whole numbers for load, pause and lowering are stored as floats; -0.0 is stored as 0.0."""
    d = dose(load_kg=10, pause_s=1, lower_s=3)
    expected = (10.0, 1.0, 3.0)
    assert expected == (d.load_kg, d.pause_s, d.lower_s)
    assert all(isinstance(x, float) for x in (d.load_kg, d.pause_s, d.lower_s))
    assert math.copysign(1.0, dose(load_kg=-0.0).load_kg) == 1.0


@pytest.mark.parametrize(
    ("field", "value"), [("side", "both"), ("reps", -1), ("reps", True), ("load_kg", -2.5), ("rir", 11)]
)
def test_performed_refuses_bad_fields(field: str, value: object) -> None:
    """A performed set needs a real side, reps >= 0 as an int, a non-negative load and a sane RIR."""
    kwargs: dict[str, Any] = {"side": "left", "reps": 8, field: value}
    refused(lambda: Performed(**kwargs), field, value)


def test_performed_allows_a_failed_set() -> None:
    """Zero reps is a legitimate record of a failed set."""
    failed = 0
    assert failed == Performed(side=Side.RIGHT, reps=0).reps


# --- outputs: Slot, Unplaced, Reason, WeekOverride, Plan ---------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("week", 0),
        ("week", True),
        ("weekday", 7),
        ("role", "cooldown"),
        ("exercise", ""),
        ("variation", " "),
        ("dose", {"sets": 3, "reps": 10}),
        ("deload", 1),
    ],
)
def test_slot_refuses_bad_fields(field: str, value: object) -> None:
    """A slot's week is 1-based, its weekday 0-6, its role known, its ids non-blank, its dose a Dose."""
    refused(lambda: slot(**{field: value}), field, value)


def test_unplaced_reason_and_override_refuse_bad_fields() -> None:
    """Unplaced, Reason and WeekOverride validate their fields too."""
    refused(lambda: Unplaced(week=0, session="Mon", weekday=0), "week", 0)
    refused(lambda: Unplaced(week=1, session="Mon", weekday=-1), "weekday", -1)
    refused(lambda: Reason(rule="", text="why"), "rule", "")
    refused(lambda: Reason(rule="recovery", text=" "), "text", " ")
    refused(lambda: WeekOverride(week=0), "week", 0)
    refused(lambda: WeekOverride(week=2, sessions=("Mon",)), "sessions", "Mon")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("weeks", 0),
        ("weeks", False),
        ("score", NAN),
        ("score", INF),
        ("deload_weeks", True),
        ("slots", "Mon"),
    ],
)
def test_plan_refuses_bad_fields(field: str, value: object) -> None:
    """A plan covers at least one week, has a finite score and whole-number deload weeks."""
    kwargs: dict[str, Any] = {"athlete": Athlete(level="beginner"), "weeks": 4, "sessions": (), field: value}
    if field == "deload_weeks":
        kwargs[field] = (2, value)
    refused(lambda: Plan(**kwargs), field, value)


def test_plan_helpers() -> None:
    """A plan iterates its slots, picks a week's slots, and gives a week's sessions with overrides applied."""
    usual = (session(),)
    travel = WeekOverride(
        week=2, sessions=(session(name="Hotel", weekday=2, focus="circuit"),), label="travel"
    )
    slots = (slot(), slot(week=2, session="Hotel", weekday=2, role="circuit"))
    plan = Plan(
        athlete=Athlete(level="advanced"), weeks=2, sessions=usual, week_overrides=(travel,), slots=slots
    )
    assert list(slots) == list(plan)
    two = 2
    assert two == len(plan)
    assert (slots[1],) == plan.week(2)
    assert usual == plan.sessions_for(1)
    assert travel.sessions == plan.sessions_for(2)


@given(st.integers(1, 520), st.integers(0, 6))
def test_a_sessions_hour_counts_whole_days_from_week_one(week: int, weekday: int) -> None:
    """hour_of is 24 h a day, 168 h a week, from Monday of week 1; a slot's hour is its day's."""
    from hipplan.plan import hour_of

    assert hour_of(1, 0) == 0
    assert hour_of(1, 2) == 48
    assert hour_of(week, weekday) == 168 * (week - 1) + 24 * weekday
    slot = Slot(
        week=week,
        session="s",
        weekday=weekday,
        role="finisher",
        exercise="single-leg-hip-thrust",
        variation="bodyweight",
        dose=Dose(sets=1, reps=8),
    )
    assert slot.hour == hour_of(week, weekday)
