"""HeavyDayEve: by default no finisher or circuit the day before a squat or deadlift day, as a preference only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

import hipplan as hp
from hipplan import constraints as hc
from hipplan import strategies as hst
from hipplan._engine.cells import build_model

E = hp.Equipment
GYM = frozenset({E.BENCH, E.BARBELL, E.LANDMINE, E.DUMBBELL, E.BAND})


def lower(name: str, weekday: int, *lifts: str) -> hp.Session:
    return hp.Session(name=name, weekday=weekday, focus=hp.Focus.LOWER, lifts=set(lifts), equipment=GYM)


def is_eve(weekday: int, week: int, weeks: int, sessions_for: Mapping[int, Sequence[hp.Session]]) -> bool:
    """Whether a session on ``weekday`` of ``week`` falls the day before a squat or deadlift session (the next
    week's Monday for a Sunday, when the plan has that week), worked out from the sessions alone."""
    if weekday < 6:
        day, following = weekday + 1, sessions_for.get(week, ())
    elif week < weeks:
        day, following = 0, sessions_for.get(week + 1, ())
    else:
        return False
    return any(s.weekday == day and s.has_heavy_lower for s in following)


def hard_eves(plan: hp.Plan) -> list[tuple[int, str]]:
    """The hard slots (finishers and circuits) of a plan that fall the day before a squat or deadlift day."""
    sessions_for = {w: plan.sessions_for(w) for w in range(1, plan.weeks + 1)}
    return [
        (slot.week, slot.session)
        for slot in plan.slots
        if slot.role.is_hard and is_eve(slot.weekday, slot.week, plan.weeks, sessions_for)
    ]


def placement(plan: hp.Plan) -> list[tuple[int, str, hp.Role]]:
    return [(s.week, s.session, s.role) for s in plan.slots]


OFF = hc.HeavyDayEve(weight=0.0)
"""The rule switched off: a user instance of a built-in class replaces its default."""


def test_is_a_default_rule_that_a_user_instance_replaces() -> None:
    """HeavyDayEve is on by default with weight 1, and an instance of it replaces the default."""
    assert [r for r in hc.DEFAULT_RULES if isinstance(r, hc.HeavyDayEve)] == [hc.HeavyDayEve(weight=1.0)]
    assert hc.HeavyDayEve in hc.BUILT_IN_TYPES
    assert not hc.HeavyDayEve.hard
    rules = hc.effective_rules([OFF])
    assert [r for r in rules if isinstance(r, hc.HeavyDayEve)] == [OFF]
    assert len(rules) == len(hc.DEFAULT_RULES)


def test_describe_speaks_a_coachs_language() -> None:
    """The rule describes itself in training words."""
    assert (
        hc.HeavyDayEve().describe()
        == "no finisher or circuit the day before heavy squats or deadlifts, where the week allows"
    )


def test_weight_must_be_a_non_negative_number() -> None:
    """A negative weight is refused, naming the field."""
    with pytest.raises(hp.InvalidInput, match="weight"):
        hc.HeavyDayEve(weight=-1.0)


def test_round_trips_through_json() -> None:
    """The rule is a tagged constraint in JSON, like the other built-in rules."""
    rule = hc.HeavyDayEve(weight=0.5)
    request = hp.from_json(
        '{"athlete": {"level": "advanced"}, "sessions": [], "weeks": 1,'
        ' "constraints": [{"type": "heavy-day-eve", "weight": 0.5}]}',
        hp.PlanRequest,
    )
    assert request.constraints == (rule,)
    assert hp.from_json(hp.to_json(request), hp.PlanRequest) == request


def test_the_finisher_moves_off_the_day_before_deadlifts() -> None:
    """With a Wednesday lower day and a Thursday deadlift day, the one finisher goes on Thursday, not Wednesday
    (which it takes when the rule is off: Wednesday comes first among equally good places)."""
    week = [lower("Wed legs", 2, "lunge"), lower("Thu pull", 3, "deadlift")]
    athlete = hp.Athlete(level=hp.Level.INTERMEDIATE, exposures_per_week=1)
    with_rule = hp.plan(athlete, week, 3)
    without = hp.plan(athlete, week, 3, constraints=[OFF])
    assert [(w, "Thu pull", hp.Role.FINISHER) for w in (1, 2, 3)] == placement(with_rule)
    assert [(w, "Wed legs", hp.Role.FINISHER) for w in (1, 2, 3)] == placement(without)
    assert [] == hard_eves(with_rule)


def test_a_warm_up_the_day_before_is_fine() -> None:
    """An advanced athlete with squats on Wednesday and deadlifts on Thursday warms up on Wednesday and finishes
    on Thursday: the warm-up is light and does not count as hard work."""
    week = [lower("Wed squat", 2, "squat"), lower("Thu pull", 3, "deadlift")]
    athlete = hp.Athlete(level=hp.Level.ADVANCED, exposures_per_week=2)
    plan = hp.plan(athlete, week, 2)
    expected = [
        (w, session, role)
        for w in (1, 2)
        for session, role in (("Wed squat", hp.Role.WARM_UP), ("Thu pull", hp.Role.FINISHER))
    ]
    assert expected == placement(plan)
    assert [] == hard_eves(plan)


def test_the_coachs_required_role_wins() -> None:
    """A RequireRole for a finisher on the day before deadlifts is kept: the preference never overrules a coach."""
    week = [lower("Wed legs", 2, "lunge"), lower("Thu pull", 3, "deadlift")]
    athlete = hp.Athlete(level=hp.Level.INTERMEDIATE, exposures_per_week=1)
    plan = hp.plan(athlete, week, 2, constraints=[hc.RequireRole(session="Wed legs", role=hp.Role.FINISHER)])
    assert [(w, "Wed legs", hp.Role.FINISHER) for w in (1, 2)] == placement(plan)
    assert [(1, "Wed legs"), (2, "Wed legs")] == hard_eves(plan)


def test_the_preferred_number_of_slots_wins() -> None:
    """When the week's second hard slot can only go the day before deadlifts, it still goes there: reaching the
    athlete's preferred number of slots (3 a slot missed) weighs more than the preference (1); a weight above 3
    would drop it."""
    week = [
        lower("Mon legs", 0, "lunge"),
        lower("Wed legs", 2, "lunge"),
        lower("Thu pull", 3, "deadlift"),
    ]
    # Monday and Thursday, or Monday and Wednesday, are 48 h apart; Wednesday and Thursday are not.
    athlete = hp.Athlete(level=hp.Level.INTERMEDIATE, exposures_per_week=2)
    forbid_thursday = hc.ForbidSession(session="Thu pull")
    plan = hp.plan(athlete, week, 2, constraints=[forbid_thursday])
    assert [(w, s, hp.Role.FINISHER) for w in (1, 2) for s in ("Mon legs", "Wed legs")] == placement(plan)
    heavier = hp.plan(athlete, week, 2, constraints=[forbid_thursday, hc.HeavyDayEve(weight=3.5)])
    assert [(w, "Mon legs", hp.Role.FINISHER) for w in (1, 2)] == placement(heavier)


def test_a_sunday_counts_before_the_next_weeks_monday_but_not_at_the_end_of_the_plan() -> None:
    """A Sunday circuit is the day before the next week's Monday squats; in the plan's last week it is not."""
    week = [lower("Mon squat", 0, "squat"), hp.Session(name="Sun home", weekday=6, focus="circuit")]
    athlete = hp.Athlete(level=hp.Level.INTERMEDIATE)
    model = build_model(athlete, week, 3).model
    assert [(1, "Sun home"), (2, "Sun home")] == [cell.var for cell in hc.HeavyDayEve().eves(model)]


def test_an_override_week_is_judged_by_its_own_sessions() -> None:
    """A changed week that reuses the usual Wednesday session but drops the Thursday deadlifts has no eve, and a
    Sunday before a week off is not the day before anything."""
    wed, thu = lower("Wed legs", 2, "lunge"), lower("Thu pull", 3, "deadlift")
    athlete = hp.Athlete(level=hp.Level.INTERMEDIATE)
    model = build_model(athlete, [wed, thu], 3, overrides={2: [wed]}).model
    assert [(1, "Wed legs"), (3, "Wed legs")] == [cell.var for cell in hc.HeavyDayEve().eves(model)]
    sunday, monday = hp.Session(name="Sun home", weekday=6, focus="circuit"), lower("Mon squat", 0, "squat")
    model = build_model(athlete, [monday, sunday], 3, overrides={3: []}).model
    assert [(1, "Sun home")] == [cell.var for cell in hc.HeavyDayEve().eves(model)]


@st.composite
def dense_weeks(draw: st.DrawFn) -> tuple[hp.Session, ...]:
    """A usable week, often with a squat or deadlift day added the day after one of its sessions (the Monday
    after a Sunday), so that the day before a heavy day comes up often."""
    week = draw(hst.usable_weeks())
    if not draw(st.booleans()):
        return week
    before = draw(st.sampled_from(week))
    heavy = hp.Session(
        name="Heavy day",
        weekday=(before.weekday + 1) % 7,
        focus=draw(st.sampled_from([hp.Focus.LOWER, hp.Focus.FULL_BODY])),
        lifts={draw(st.sampled_from([hp.Lift.SQUAT, hp.Lift.DEADLIFT]))},
        equipment=draw(st.sampled_from([GYM, frozenset()])),
    )
    return tuple(sorted((*(s for s in week if s.name != heavy.name), heavy), key=lambda s: s.weekday))


@st.composite
def weeks_with_overrides(
    draw: st.DrawFn,
) -> tuple[tuple[hp.Session, ...], int, dict[int, tuple[hp.Session, ...]]]:
    """A usable week, a number of weeks, and some changed weeks: a part of the usual week (the same Session
    objects, so cells of different weeks share their shape), another week, or a week off."""
    week = draw(dense_weeks())
    weeks = draw(st.integers(1, 4))
    overrides: dict[int, tuple[hp.Session, ...]] = {}
    for w in draw(st.sets(st.integers(1, weeks), max_size=2)):
        overrides[w] = draw(
            st.one_of(
                st.lists(st.sampled_from(week), unique_by=lambda s: s.name).map(
                    lambda ss: tuple(sorted(ss, key=lambda s: s.weekday))
                ),
                hst.usable_weeks(max_size=3),
                st.just(()),
            )
        )
    return week, weeks, overrides


@given(hst.athletes(), weeks_with_overrides(), st.sampled_from([0.5, 1.0, 3.0]))
def test_costs_follow_the_calendar_cell_by_cell(athlete, drawn, weight) -> None:  # type: ignore[no-untyped-def]
    """Every hard option costs ``weight`` exactly on the day before a squat or deadlift session of the plan and
    nothing elsewhere; warm-ups and no slot cost nothing. Cells that share a shape but not their neighbours
    (a changed week, the plan's last Sunday) are each judged on their own."""
    week, weeks, overrides = drawn
    model = build_model(
        athlete, week, weeks, constraints=[hc.HeavyDayEve(weight=weight)], overrides=overrides
    ).model
    sessions_for = {w: overrides.get(w, week) for w in range(1, weeks + 1)}
    posted: dict[object, list[tuple[float, object]]] = {}
    for con in model.problem.soft:
        if con.group == "heavy-day-eve":
            assert len(con.scope) == 1
            posted.setdefault(con.scope[0], []).append((con.weight, con.function))
    for cell in model.cells:
        eve = is_eve(cell.session.weekday, cell.week, weeks, sessions_for)
        for value in cell.domain():
            cost = sum(w * f(value) for w, f in posted.get(cell.var, []))
            hard = value is not None and value[0].is_hard
            assert cost == (weight if eve and hard else 0.0), (cell.var, value)


@given(hst.athletes(), dense_weeks(), st.integers(1, 4))
def test_the_rule_is_soft_and_never_adds_hard_slots_before_heavy_days(athlete, week, weeks) -> None:  # type: ignore[no-untyped-def]
    """The rule never makes a plan impossible, and a plan made with it has no more hard slots the day before a
    squat or deadlift day than the same plan made with it switched off (weight 0)."""
    try:
        without = hp.plan(athlete, week, weeks, constraints=[OFF])
    except hp.Infeasible:
        with pytest.raises(hp.Infeasible):
            hp.plan(athlete, week, weeks)
        return
    with_rule = hp.plan(athlete, week, weeks)
    note(f"with: {hard_eves(with_rule)}; without: {hard_eves(without)}")
    assert len(hard_eves(with_rule)) <= len(hard_eves(without))
