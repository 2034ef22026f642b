"""Progression by exposure: the coaching facts of DOMAIN.md as worked examples, and the invariants as properties
(the loop closes, caps hold, steps stay small, nothing advances without an exposure)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import ClassVar

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import hipplan as hp
from hipplan import progression as pg
from hipplan import strategies as hst
from hipplan.catalog import CATALOG
from hipplan.units import Kit

E = hp.Equipment
L, R = hp.Side.LEFT, hp.Side.RIGHT
SLHT = hp.Rung(exercise="single-leg-hip-thrust")
DUMBBELL = hp.Rung(exercise="single-leg-hip-thrust", variation="dumbbell")
LANDMINE = hp.Rung(exercise="single-leg-hip-thrust", variation="landmine")
BENCH_DUMBBELLS = frozenset({E.BENCH, E.DUMBBELL})



def week_of(*days: int, kit: frozenset[hp.Equipment] = BENCH_DUMBBELLS) -> list[hp.Session]:
    return [hp.Session(name=f"Day {d}", weekday=d, focus=hp.Focus.LOWER, equipment=kit) for d in days]


def met(dose: hp.Dose, rung: hp.Rung, *, rir: int | None = None) -> list[hp.Performed]:
    """A log in which every set of both sides hit the target exactly."""
    sides = list(hp.Side) if CATALOG[rung.exercise].unilateral else [L]
    return [
        hp.Performed(side=side, reps=dose.reps, load_kg=dose.load_kg, pause_s=dose.pause_s, rir=rir)
        for side in sides
        for _ in range(dose.sets)
    ]


def as_done(slot: hp.Slot) -> list[hp.Performed]:
    return met(slot.dose, hp.Rung(exercise=slot.exercise, variation=slot.variation))


def role_kit(plan: hp.Plan, role: hp.Role) -> frozenset[hp.Equipment]:
    """The kit of every session of the plan that could host the role (what the plan's progression climbs in)."""
    every = set(plan.sessions) | {s for o in plan.week_overrides for s in o.sessions}
    kits = [plan.athlete.kit(s) for s in every if s.focus in role.focuses]
    return frozenset().union(*kits)


def by_role(plan: hp.Plan, role: hp.Role) -> list[hp.Slot]:
    return [s for s in plan.slots if s.role is role]


def load(plan: hp.Plan) -> float:
    return max((s.dose.load_kg for s in plan.slots), default=0.0)


# ----------------------------------------------------------------------------------------------------------
# Worked examples from DOMAIN.md
# ----------------------------------------------------------------------------------------------------------


def test_an_athlete_with_dumbbells_gets_a_load_within_eight_weeks() -> None:
    """Intermediate, 70 kg, a bench and dumbbells, Monday and Thursday: a dumbbell arrives by week 8."""
    plan = hp.plan(hp.Athlete(level="intermediate", bodyweight_kg=70), week_of(0, 3), 12)
    loaded = [s for s in plan.slots if s.dose.load_kg > 0]
    assert loaded
    assert loaded[0].week <= 8
    assert loaded[0].variation == "dumbbell"
    assert any(r.rule == "ladder.loaded" for r in loaded[0].reasons)
    # and it keeps growing in the usual kit's steps (1 kg dumbbells up to 10 kg), never by a pause or tempo the
    # load makes needless
    assert all(s.dose.pause_s == 0 for s in plan.slots)
    assert load(plan) >= 3
    assert {s.dose.load_kg for s in loaded} <= set(Kit().loads("dumbbell"))


def test_weeks_off_do_not_move_progress_and_the_return_is_at_or_below_the_last_dose() -> None:
    """Weeks 4-9 off: the first dose back is no harder than the last one done in week 3."""
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    plan = hp.plan(athlete, week_of(0, 3), 12, overrides={w: [] for w in range(4, 10)})
    last = [s for s in plan.slots if s.week == 3][-1]
    back = next(s for s in plan.slots if s.week == 10)
    assert pg.workload(back.dose, 70) <= pg.workload(last.dose, 70)
    assert any(r.rule == "comeback" for r in back.reasons)
    # the weeks off were not counted as training weeks: no lighter week right after the return
    assert not back.deload


def test_two_weeks_away_bring_one_step_back_then_progress_resumes() -> None:
    """Two hotel weeks without the role: one step back, no jump, and no lighter week straight after."""
    athlete = hp.Athlete(level="advanced", bodyweight_kg=70)
    plan = hp.plan(athlete, week_of(0, 3), 10, overrides={3: [], 4: []})
    before = [s for s in plan.slots if s.week == 2][-1]
    after = [s for s in plan.slots if s.week == 5]
    assert pg.workload(after[0].dose, 70) <= pg.workload(before.dose, 70) * (1 + 1e-9) + 10
    assert not any(s.deload for s in after)
    steps = by_role(plan, hp.Role.FINISHER)
    assert not pg.check_progression([_step(s) for s in steps], bodyweight_kg=70, rung=_rung(steps[0]))


def test_a_beginner_meeting_every_target_reaches_the_bodyweight_slht_within_twelve_weeks() -> None:
    """Two sessions a week: glute bridge, single-leg bridge, hip thrust, then the SLHT by week 12."""
    plan = hp.plan(hp.Athlete(level="beginner", bodyweight_kg=70), week_of(0, 3, kit=frozenset({E.BENCH})), 12)
    exercises = [s.exercise for s in plan.slots]
    assert exercises[0] == "glute-bridge"
    first_slht = next(s for s in plan.slots if s.exercise == "single-leg-hip-thrust")
    assert first_slht.week <= 12
    assert first_slht.variation == "bodyweight"
    # the climb comes on readiness: the top of the range on every set, two exposures running
    climbs = [i for i in range(1, len(plan.slots)) if plan.slots[i].exercise != plan.slots[i - 1].exercise]
    assert len(climbs) == 3
    for i in climbs:
        # the two exposures before it, a lighter week between them left out
        trained = [s for s in plan.slots[:i] if not s.deload][-2:]
        assert [15, 15] == [s.dose.reps for s in trained]


def test_a_beginner_without_a_support_surface_loads_the_floor_bridge() -> None:
    """No bench, box or couch but a dumbbell: the climb stops at the single-leg glute bridge, and load comes."""
    plan = hp.plan(hp.Athlete(level="beginner", bodyweight_kg=70), week_of(0, 3, kit=frozenset({E.DUMBBELL})), 12)
    assert {"glute-bridge", "single-leg-glute-bridge"} == {s.exercise for s in plan.slots}
    last = plan.slots[-1]
    assert ("single-leg-glute-bridge", "dumbbell") == (last.exercise, last.variation)
    assert 0 < last.dose.load_kg <= 0.25 * 70


def test_a_deload_done_as_prescribed_is_followed_by_the_dose_from_before_it() -> None:
    """The lighter week is neither a miss nor a new baseline."""
    plan = hp.plan(hp.Athlete(level="intermediate", bodyweight_kg=70), week_of(0, 3), 8)
    slots = by_role(plan, hp.Role.FINISHER)
    i = next(i for i, s in enumerate(slots) if s.deload)
    light = slots[i]
    assert light.resume is not None
    # the lighter week done exactly as prescribed, then the first session of the next week
    after = slots[i + 1]
    step = hp.progress(light, as_done(light), athlete=plan.athlete, kit=BENCH_DUMBBELLS, next_week=after.week)
    assert step.deload == after.deload
    nxt = next(s for s in slots[i:] if not s.deload)
    step = hp.progress(
        slots[slots.index(nxt) - 1],
        as_done(slots[slots.index(nxt) - 1]),
        athlete=plan.athlete,
        kit=BENCH_DUMBBELLS,
        next_week=nxt.week,
    )
    assert light.resume == step.dose == nxt.dose
    assert not any(r.rule == "hold" for r in step.reasons)


def test_a_grind_holds_the_dose_and_an_easy_session_allows_two_steps_within_the_cap() -> None:
    """RIR is read: 2+ below the target holds; 2+ above every set takes two steps where they keep within the
    workload cap (two load steps on a light dumbbell), one where two would not (3 x 10 -> 3 x 12 is +20 %)."""
    dose = hp.Dose(sets=3, reps=10, rir=2)
    grind = met(dose, SLHT)
    grind[-1] = attrs.evolve(grind[-1], rir=0)
    step = hp.progress(dose, grind)
    assert dose == step.dose
    assert "hold.rir" == step.reasons[0].rule
    easy = hp.progress(dose, met(dose, SLHT, rir=4))
    assert 11 == easy.dose.reps
    assert "more than 10 %" in easy.reasons[0].text
    plain = hp.progress(dose, met(dose, SLHT, rir=2))
    assert 11 == plain.dose.reps
    top = hp.Dose(sets=3, reps=15, load_kg=6, rir=2)
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    easy = hp.progress(top, met(top, DUMBBELL, rir=4), rung=DUMBBELL, athlete=athlete, kit=BENCH_DUMBBELLS)
    assert 8 == easy.dose.load_kg


def test_a_logged_load_within_half_a_step_matches_the_prescription() -> None:
    """22 lb (9.98 kg) logged against 10 kg on a dumbbell (1 kg steps: half a step is 0.5 kg) is the target met;
    8.9 kg is short, and the reason says the load was short, not the reps."""
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    dose = hp.Dose(sets=3, reps=10, load_kg=10)
    done = [hp.Performed(side=side, reps=10, load_kg=22 * 0.45359237) for side in hp.Side for _ in range(3)]
    step = hp.progress(dose, done, rung=DUMBBELL, athlete=athlete)
    assert 11 == step.dose.reps
    short = [hp.Performed(side=side, reps=10, load_kg=8.9) for side in hp.Side for _ in range(3)]
    step = hp.progress(dose, short, rung=DUMBBELL, athlete=athlete)
    assert dose == step.dose
    assert "short on load (6 sets at 8.9 kg against 10 kg)" in step.reasons[0].text
    assert "reps" not in step.reasons[0].text


def test_a_first_miss_after_a_success_counts_once() -> None:
    """Misses are counted by the state: one miss holds, it takes two running for a lighter week."""
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    first = pg.first_state(athlete, hp.Role.FINISHER, SLHT)
    engine = pg.Engine(kit=BENCH_DUMBBELLS, bodyweight_kg=70)
    step = engine.prescribe(first, 1)
    state, _ = engine.advance(step, met(step.dose, SLHT))
    step = engine.prescribe(state, 1)
    short = met(step.dose, SLHT)
    short[0] = attrs.evolve(short[0], reps=step.dose.reps - 3)
    state, why = engine.advance(step, short)
    assert 1 == state.misses
    assert not state.owed
    assert "hold" == why[0].rule
    step = engine.prescribe(state, 2)
    state, _ = engine.advance(step, short)
    assert 2 == state.misses
    assert state.owed
    assert engine.prescribe(state, 3).deload


def test_a_skipped_session_moves_nothing() -> None:
    """Logged as skipped, not as zero reps: the next exposure gets the same dose, and no miss is counted."""
    plan = hp.plan(hp.Athlete(level="intermediate", bodyweight_kg=70), week_of(0, 3), 4)
    first, second = plan.slots[0], plan.slots[1]
    step = hp.progress(first, skipped=True, next_week=second.week, kit=BENCH_DUMBBELLS)
    assert first.dose == step.dose
    assert first.state == step.state
    assert "skipped" == step.reasons[0].rule
    with pytest.raises(hp.InvalidInput, match="must be empty for a skipped session"):
        hp.progress(first, as_done(first), skipped=True)


def test_progress_refuses_a_prescription_above_the_cap() -> None:
    """100 kg on the landmine for a 70 kg athlete is above the 35 kg cap: a clear error naming it."""
    athlete = hp.Athlete(level="advanced", bodyweight_kg=70)
    dose = hp.Dose(sets=3, reps=12, load_kg=100)
    done = met(dose, LANDMINE)
    with pytest.raises(hp.InvalidInput, match="cap of 35 kg"):
        hp.progress(dose, done, rung=LANDMINE, athlete=athlete)


def test_progress_never_prescribes_what_the_kit_lacks() -> None:
    """Without a dumbbell the next dose is bodyweight with the effort matched; without a support, an error."""
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    dose = hp.Dose(sets=3, reps=10, load_kg=6)
    step = hp.progress(dose, met(dose, DUMBBELL), rung=DUMBBELL, athlete=athlete, kit={E.COUCH})
    assert "bodyweight" == step.rung.variation
    assert 0 == step.dose.load_kg
    assert "match_effort" == step.reasons[-1].rule
    assert DUMBBELL == step.state.rung
    with pytest.raises(hp.InvalidInput, match="bench, box or couch"):
        hp.progress(dose, met(dose, DUMBBELL), rung=DUMBBELL, athlete=athlete, kit=set())


def test_the_plan_starts_from_the_athletes_working_dose() -> None:
    """An advanced lifter already at 3 x 10 with a 10 kg dumbbell starts there, not at 3 x 10 @ 2 kg."""
    working = hp.WorkingDose(variation="dumbbell", sets=3, reps=10, load_kg=10)
    athlete = hp.Athlete(level="advanced", bodyweight_kg=70, working=[working])
    plan = hp.plan(athlete, week_of(0, 3), 4)
    first = plan.slots[0]
    assert "dumbbell" == first.variation
    assert (3, 10, 10.0) == (first.dose.sets, first.dose.reps, first.dose.load_kg)
    too_heavy = hp.Athlete(level="advanced", bodyweight_kg=70, working=[attrs.evolve(working, load_kg=40)])
    with pytest.raises(hp.InvalidInput, match="above that variation's cap"):
        hp.plan(too_heavy, week_of(0, 3), 4)


def test_deloads_come_every_fifth_training_week_not_every_fifth_calendar_week() -> None:
    """Weeks off are not training weeks; the lighter week is the fifth week trained."""
    plan = hp.plan(hp.Athlete(level="intermediate", bodyweight_kg=70), week_of(2), 12, overrides={3: []})
    # trained weeks: 1, 2, then a week off (a new block starts), 4, 5, 6, 7 and the fifth, 8, is lighter
    assert [8] == sorted({s.week for s in plan.slots if s.deload})
    plain = hp.plan(hp.Athlete(level="intermediate", bodyweight_kg=70), week_of(2), 12)
    assert [5, 10] == sorted({s.week for s in plain.slots if s.deload})


def test_a_set_never_lasts_more_than_a_minute_a_side() -> None:
    """Bodyweight with no implement: pause and tempo grow, but reps x seconds a rep stay within 60 s."""
    kit = frozenset({E.COUCH})
    week = [hp.Session(name="Home", weekday=d, focus=hp.Focus.LOWER, equipment=kit) for d in (0,)]
    week = [hp.Session(name=f"Home {d}", weekday=d, focus=hp.Focus.LOWER, equipment=kit) for d in (0, 3)]
    plan = hp.plan(hp.Athlete(level="advanced", bodyweight_kg=70), week, 40)
    assert max(s.dose.reps * s.dose.seconds_per_rep for s in plan.slots) <= 60
    assert max(s.dose.pause_s for s in plan.slots) > 0
    assert all(s.dose.seconds_per_rep < 10 for s in plan.slots)


def test_load_is_double_progression_inside_the_rep_range() -> None:
    """At the top of the range the kit's smallest step is added and the reps go back to the bottom."""
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    dose = hp.Dose(sets=3, reps=15, load_kg=6)
    step = hp.progress(dose, met(dose, DUMBBELL), rung=DUMBBELL, athlete=athlete, kit=BENCH_DUMBBELLS)
    assert hp.Dose(sets=3, reps=10, load_kg=7) == attrs.evolve(step.dose, rir=None, rest_s=60)
    strength = hp.Athlete(level="intermediate", bodyweight_kg=70, goal="strength")
    dose = hp.Dose(sets=3, reps=12, load_kg=6)
    step = hp.progress(dose, met(dose, DUMBBELL), rung=DUMBBELL, athlete=strength, kit=BENCH_DUMBBELLS)
    assert (8, 7.0) == (step.dose.reps, step.dose.load_kg)


def test_two_for_two_adds_load_and_keeps_the_reps() -> None:
    """The last set beat the target by 2 in two exposures running: one load step, same reps."""
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    dose = hp.Dose(sets=3, reps=10, load_kg=10)
    beat = [hp.Performed(side=side, reps=r, load_kg=10) for side in hp.Side for r in (10, 11, 12)]
    step = hp.progress(dose, beat, rung=DUMBBELL, athlete=athlete, history=[beat])
    assert (10, 12.5) == (step.dose.reps, step.dose.load_kg)  # the next dumbbell of the usual kit
    assert "load.2for2" == step.reasons[0].rule
    once = hp.progress(dose, beat, rung=DUMBBELL, athlete=athlete)
    assert (11, 10.0) == (once.dose.reps, once.dose.load_kg)


def test_repeated_misses_bring_a_lighter_week_then_a_step_down() -> None:
    """Two misses running: a lighter week is owed; three: a load step off."""
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    engine = pg.Engine(kit=BENCH_DUMBBELLS, bodyweight_kg=70)
    state = hp.State(role=hp.Role.FINISHER, rung=DUMBBELL, dose=hp.Dose(sets=3, reps=10, load_kg=10))
    short = [hp.Performed(side=side, reps=7, load_kg=10) for side in hp.Side for _ in range(3)]
    week = 1
    for _ in range(3):
        step = engine.prescribe(state, week)
        state, why = engine.advance(step, short)
    assert 9.0 == state.dose.load_kg  # the next lighter dumbbell
    assert "regression" == why[0].rule
    assert athlete.bodyweight_kg == 70


def test_a_warm_up_never_progresses() -> None:
    """An advanced lifter's warm-up before squats stays light and the same all plan long."""
    gym = frozenset({E.BENCH, E.BARBELL, E.LANDMINE})
    week = [
        hp.Session(name="Squat", weekday=0, focus=hp.Focus.LOWER, lifts={hp.Lift.SQUAT}, equipment=gym),
        hp.Session(name="Legs", weekday=3, focus=hp.Focus.LOWER, equipment=gym),
    ]
    plan = hp.plan(
        hp.Athlete(level="advanced", bodyweight_kg=70),
        week,
        8,
        constraints=[hp.constraints.RequireRole(session="Squat", role=hp.Role.WARM_UP)],
    )
    warm = by_role(plan, hp.Role.WARM_UP)
    assert len(warm) == 8
    assert len({s.dose for s in warm}) == 1
    assert warm[0].dose.load_kg == 0
    assert warm[0].dose.rir is not None
    assert warm[0].dose.rir >= 4


# ----------------------------------------------------------------------------------------------------------
# A rule of the user's own, in the loop
# ----------------------------------------------------------------------------------------------------------


@attrs.frozen
class SlowerFirst:
    """At the top of the range, slow the lowering by half a second before anything else (up to 3 s)."""

    name: ClassVar[str] = "slower-first"

    def next(self, dose: hp.Dose, log: pg.Log, /) -> pg.Change | None:
        if not log.at_top(dose) or dose.lower_s >= 3:
            return None
        return pg.Change(dose=attrs.evolve(dose, lower_s=dose.lower_s + 0.5, reps=log.low), text="Slower first.")


def test_a_users_rule_is_used_by_plan_and_progress_alike() -> None:
    """Policy(extra=...) plugs a rule into the planner's projection and the closed loop."""
    policy = pg.Policy(extra=(SlowerFirst(),))
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    plan = hp.plan(athlete, week_of(0, 3), 8, rules=policy)
    assert any(r.rule == "slower-first" for s in plan.slots for r in s.reasons)
    assert 2 < max(s.dose.lower_s for s in plan.slots) <= 3
    slots = by_role(plan, hp.Role.FINISHER)
    for a, b in itertools.pairwise(slots):
        step = hp.progress(a, as_done(a), athlete=athlete, kit=BENCH_DUMBBELLS, next_week=b.week, policy=policy)
        assert b.dose == step.dose
    assert not pg.check_progression([_step(s) for s in slots], policy=policy, bodyweight_kg=70, rung=SLHT)


@attrs.define
class Unhashable:
    """A rule of the user's that is a mutable (so unhashable) attrs class: the engine cannot keep its answers."""

    name: ClassVar[str] = "unhashable"

    def next(self, dose: hp.Dose, log: pg.Log, /) -> pg.Change | None:
        return None


def test_a_policy_with_an_unhashable_rule_still_plans_and_progresses() -> None:
    """Kept answers are an optimisation: a rule that cannot be hashed gives the same plan, only not kept."""
    policy = pg.Policy(extra=(Unhashable(),))
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    plan = hp.plan(athlete, week_of(0, 3), 6, rules=policy)
    assert [s.dose for s in plan.slots] == [s.dose for s in hp.plan(athlete, week_of(0, 3), 6).slots]
    step = hp.progress(plan.slots[0], as_done(plan.slots[0]), athlete=athlete, policy=policy)
    assert 11 == step.dose.reps


def test_a_rule_that_is_not_a_rule_is_refused() -> None:
    """extra holds rules: a value without next() is an error naming the field."""
    with pytest.raises(hp.InvalidInput, match="'extra'"):
        pg.Policy(extra=("reps",))  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------------------
# Properties
# ----------------------------------------------------------------------------------------------------------


def _rung(slot: hp.Slot) -> hp.Rung:
    return hp.Rung(exercise=slot.exercise, variation=slot.variation)


def _step(slot: hp.Slot) -> pg.Step:
    return pg.Step(week=slot.week, dose=slot.dose, rung=_rung(slot), deload=slot.deload)


@st.composite
def plan_inputs(draw: st.DrawFn) -> tuple[hp.Athlete, tuple[hp.Session, ...], int, dict[int, list[hp.Session]]]:
    athlete = draw(hst.athletes())
    week = draw(hst.usable_weeks())
    weeks = draw(st.integers(min_value=2, max_value=14))
    off = draw(st.sets(st.integers(min_value=2, max_value=weeks), max_size=3))
    overrides: dict[int, list[hp.Session]] = {w: [] for w in off}
    if draw(st.booleans()):
        travel = draw(st.integers(min_value=1, max_value=weeks))
        if travel not in overrides:
            overrides[travel] = [
                hp.Session(name="Hotel", weekday=draw(st.integers(0, 6)), focus=hp.Focus.CIRCUIT, equipment={E.COUCH})
            ]
    return athlete, week, weeks, overrides


def _plan(inputs: tuple[hp.Athlete, tuple[hp.Session, ...], int, dict[int, list[hp.Session]]]) -> hp.Plan:
    athlete, week, weeks, overrides = inputs
    try:
        return hp.plan(athlete, week, weeks, overrides=overrides)
    except hp.Infeasible:
        assume(False)
        raise


def assert_the_loop_closes(plan: hp.Plan) -> None:
    """Feed each slot back to progress() as met, with the role's kit and the next slot's week: the next slot of
    the same role comes out (its state, and its dose too where it is on the role's own variation)."""
    for role in hp.Role:
        slots = by_role(plan, role)
        kit = role_kit(plan, role)
        for a, b in itertools.pairwise(slots):
            step = hp.progress(a, as_done(a), athlete=plan.athlete, kit=kit, next_week=b.week)
            assert b.state == step.state
            if b.state is not None and b.variation == b.state.rung.variation:
                assert (b.dose, _rung(b), b.deload) == (step.dose, step.rung, step.deload)


@given(plan_inputs())
def test_the_loop_closes(inputs: tuple[hp.Athlete, tuple[hp.Session, ...], int, dict[int, list[hp.Session]]]) -> None:
    """Each slot's prescription fed back as met gives the next slot of the same role."""
    assert_the_loop_closes(_plan(inputs))


@given(hst.plans(max_weeks=10, max_overrides=3))
def test_the_loop_closes_over_the_public_plans_strategy(plan: hp.Plan) -> None:
    """The same over ``hipplan.strategies.plans()`` (working doses, weeks off and travel weeks included)."""
    assert_the_loop_closes(plan)


@given(plan_inputs())
def test_a_plans_progression_keeps_every_invariant(
    inputs: tuple[hp.Athlete, tuple[hp.Session, ...], int, dict[int, list[hp.Session]]],
) -> None:
    """Per role, exposure by exposure: caps, one lever at a time, small steps, lighter weeks lighter."""
    plan = _plan(inputs)
    bodyweight = plan.athlete.bodyweight_kg
    engine = pg.Engine(bodyweight_kg=bodyweight, goal=plan.athlete.goal, loads=plan.athlete.load_kit)
    for role in hp.Role:
        # the role's own step at each exposure (a stand-in variation's dose is matched to it, not a step of it)
        steps = [
            _step(s) if s.variation == s.state.rung.variation else engine.prescribe(s.state, s.week)
            for s in by_role(plan, role)
            if s.state is not None
        ]
        # a way back in after a break steps down, which is a fresh start for the step checks
        runs: list[list[pg.Step]] = [[]]
        for prev, nxt in zip([None, *steps], steps, strict=False):
            if prev is not None and nxt.week > prev.week + 1:
                runs.append([])
            runs[-1].append(nxt)
        for run in runs:
            found = pg.check_progression(run, role=role, bodyweight_kg=bodyweight, kit=plan.athlete.load_kit)
            assert not found, ([str(v) for v in found], [(s.week, str(s.dose), s.deload, str(s.rung)) for s in run])


@given(plan_inputs())
def test_nothing_advances_across_weeks_without_an_exposure(
    inputs: tuple[hp.Athlete, tuple[hp.Session, ...], int, dict[int, list[hp.Session]]],
) -> None:
    """After a gap the role comes back at or below where it was; the exposures count only sessions done."""
    plan = _plan(inputs)
    for role in hp.Role:
        slots = [s for s in by_role(plan, role) if s.state is not None]
        for a, b in itertools.pairwise(slots):
            assert b.state is not None
            assert a.state is not None
            assert b.state.exposures == a.state.exposures + 1
            own = a.variation == a.state.rung.variation and b.variation == b.state.rung.variation
            if b.week > a.week + 1 and not a.deload and own and a.exercise == b.exercise:
                # never back above the last dose done
                bw = plan.athlete.bodyweight_kg or 70
                assert pg.workload(b.dose, bw) <= pg.workload(a.dose, bw) + 1e-6


def test_a_placement_that_keeps_moving_the_doses_still_gives_a_plan() -> None:
    """A 5-minute circuit holds the dose of a few exposures but not of many: placed often, its doses outgrow the
    five minutes; placed rarely, they fit again and the solver places it often. The rounds go round in that cycle
    (found by hypothesis: BudgetExceeded "did not settle"); the plan settles them week by week instead, and the
    plan it gives keeps every rule and closes the loop with progress()."""
    kit = {E.BAND, E.BARBELL, E.BENCH, E.DUMBBELL, E.LANDMINE}
    athlete = hp.Athlete(
        level="beginner",
        rung=hp.Rung(exercise="single-leg-hip-thrust", variation="bodyweight"),
        working=[hp.WorkingDose(exercise="glute-bridge", variation="bodyweight", sets=1, reps=5)],
    )
    week = [
        hp.Session(name="Mon squat", weekday=0, focus=hp.Focus.LOWER, equipment=kit),
        hp.Session(name="Tue upper", weekday=0, focus=hp.Focus.LOWER, equipment=kit),
        hp.Session(name="Circuit", weekday=1, focus=hp.Focus.CIRCUIT, equipment=kit, minutes=5),
        hp.Session(name="Host", weekday=6, focus=hp.Focus.LOWER, equipment=kit),
    ]
    plan = hp.plan(athlete, week, 9)
    assert hp.check_plan(plan) == []
    circuits = [s for s in plan.slots if s.session == "Circuit"]
    assert circuits
    assert all(s.minutes <= 5 for s in circuits)
    assert_the_loop_closes(plan)


@st.composite
def logged(draw: st.DrawFn) -> tuple[hp.Athlete, hp.Rung, hp.Dose, list[hp.Performed]]:
    """An athlete, a loaded or bodyweight SLHT rung, a dose within its cap, and a log near it."""
    athlete = draw(hst.athletes())
    rung = draw(st.sampled_from([SLHT, DUMBBELL, LANDMINE, hp.Rung(exercise="single-leg-hip-thrust", variation="sandbag")]))
    var = CATALOG.variation(rung)
    cap = var.load_cap_kg(athlete.bodyweight_kg or 70)
    steps = int(cap // var.load_step_kg) if var.is_loaded else 0
    load = var.load_step_kg * draw(st.integers(min_value=1, max_value=max(1, steps))) if steps else 0.0
    dose = hp.Dose(
        sets=draw(st.integers(1, 4)),
        reps=draw(st.integers(6, 15)),
        load_kg=load,
        pause_s=draw(st.sampled_from([0.0, 1.0, 2.0])),
        lower_s=2.0,
        rir=draw(st.one_of(st.none(), st.integers(0, 4))),
    )
    assume(dose.reps * dose.seconds_per_rep <= 60)
    done = []
    for side in hp.Side:
        for _ in range(draw(st.integers(dose.sets, dose.sets + 1))):
            done.append(
                hp.Performed(
                    side=side,
                    reps=max(0, dose.reps + draw(st.integers(-3, 3))),
                    load_kg=load,
                    pause_s=dose.pause_s,
                    rir=draw(st.one_of(st.none(), st.integers(0, 6))),
                )
            )
    return athlete, rung, dose, done


@given(logged(), hst.kits())
def test_progress_never_passes_a_cap_nor_jumps_more_than_its_step(
    case: tuple[hp.Athlete, hp.Rung, hp.Dose, list[hp.Performed]], kit: frozenset[hp.Equipment]
) -> None:
    """Whatever was logged: within every cap, one lever at a time, one step (two after an easy session)."""
    athlete, rung, dose, done = case
    kit = kit | {E.BENCH} | CATALOG.variation(rung).needs
    step = hp.progress(dose, done, rung=rung, athlete=athlete, kit=kit)
    bodyweight = athlete.bodyweight_kg or 70
    assert step.state is not None
    the_rung = step.state.rung
    assert step.dose.load_kg <= CATALOG.variation(step.rung).load_cap_kg(bodyweight) + 1e-9
    assert not CATALOG.variation(step.rung).forbidden
    assert hp.default_ladder().fits(step.rung, kit)
    if the_rung == rung:
        easy = all(p.rir is not None and dose.rir is not None and p.rir >= dose.rir + 2 for p in done)
        found = pg.check_progression(
                [dose, step.state.dose], bodyweight_kg=bodyweight, rung=rung, easy=easy, kit=athlete.load_kit
            )
        assert not [v for v in found if v.rule.startswith(("step.", "cap."))], [str(v) for v in found]


@given(logged())
def test_sides_are_interchangeable(case: tuple[hp.Athlete, hp.Rung, hp.Dose, list[hp.Performed]]) -> None:
    """Swapping left and right in a log changes nothing: the weaker side sets the pace for both."""
    athlete, rung, dose, done = case
    swapped = [attrs.evolve(p, side=R if p.side is L else L) for p in done]
    a = hp.progress(dose, done, rung=rung, athlete=athlete)
    b = hp.progress(dose, swapped, rung=rung, athlete=athlete)
    assert (a.dose, a.rung) == (b.dose, b.rung)


@given(st.integers(min_value=1, max_value=40), st.lists(st.integers(0, 6), min_size=1, max_size=30))
def test_project_follows_a_schedule_with_gaps(first: int, gaps: Sequence[int]) -> None:
    """project() over any schedule: the exposure count grows by one, deload weeks are lighter, and nothing grows
    across a gap."""
    weeks = [first]
    for g in gaps:
        weeks.append(weeks[-1] + g)
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    start = pg.starting_dose(athlete, hp.Role.FINISHER, SLHT)
    steps = pg.project(start, weeks, rung=SLHT, kit=BENCH_DUMBBELLS, athlete=athlete)
    assert len(weeks) == len(steps)
    for i, (a, b) in enumerate(itertools.pairwise(steps)):
        assert b.state is not None
        assert a.state is not None
        assert b.state.exposures == i + 1
        if b.deload:
            assert pg.workload(b.dose, 70) < pg.workload(b.resume or b.dose, 70)
        if b.week - a.week > 1 and not a.deload and a.rung == b.rung:
            assert pg.workload(b.dose, 70) <= pg.workload(a.dose, 70) + 1e-6


def test_project_takes_weeks_or_a_schedule_and_refuses_a_bad_one() -> None:
    """A number of weeks is one exposure a week; a schedule must be whole weeks in order."""
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    start = pg.starting_dose(athlete, hp.Role.FINISHER, SLHT)
    assert pg.project(start, 3, athlete=athlete) == pg.project(start, [1, 2, 3], athlete=athlete)
    with pytest.raises(hp.InvalidInput, match="'schedule'"):
        pg.project(start, [3, 1], athlete=athlete)
    with pytest.raises(hp.InvalidInput, match="'schedule'"):
        pg.project(start, 0, athlete=athlete)


@given(hst.athletes(), st.sampled_from(list(hp.Role)))
def test_starting_doses_are_within_every_cap(athlete: hp.Athlete, role: hp.Role) -> None:
    """The first dose for any athlete and role keeps every cap."""
    rung = athlete.rung or SLHT
    try:
        dose = pg.starting_dose(athlete, role, rung)
    except hp.InvalidInput:
        assume(False)
        raise
    found = pg.check_progression([dose], role=role, bodyweight_kg=athlete.bodyweight_kg, rung=rung if role is not hp.Role.WARM_UP else None)
    assert not found, [str(v) for v in found]


def test_bad_arguments_raise_invalid_input_naming_them() -> None:
    """Every entry point names the argument and the value it refuses."""
    dose = hp.Dose(sets=3, reps=10)
    with pytest.raises(hp.InvalidInput, match="'performed' is empty"):
        hp.progress(dose, [])
    with pytest.raises(hp.InvalidInput, match="no sets for the right side"):
        hp.progress(dose, [hp.Performed(side=L, reps=10)])
    with pytest.raises(hp.InvalidInput, match="'next_week'"):
        hp.progress(dose, met(dose, SLHT), next_week=0)
    with pytest.raises(hp.InvalidInput, match="'current'"):
        hp.progress("3 x 10", met(dose, SLHT))  # type: ignore[arg-type]
    with pytest.raises(hp.InvalidInput, match="'rung' is needed"):
        hp.progress(hp.Dose(sets=3, reps=10, load_kg=4), met(dose, SLHT))
    with pytest.raises(hp.InvalidInput, match="'week'"):
        pg.Engine().prescribe(hp.State(role="finisher", rung=SLHT, dose=dose, week=5), 3)


@given(hst.doses(max_load_kg=20), hst.doses(max_load_kg=20))
def test_the_engines_quick_evolve_equals_attrs_evolve(dose: hp.Dose, other: hp.Dose) -> None:
    """pg._with (the engine's attrs.evolve through Dose's constructor) knows every field of Dose."""
    changes = {a.name: getattr(other, a.name) for a in attrs.fields(hp.Dose)}
    assert attrs.evolve(dose, **changes) == pg._with(dose, **changes) == other
    assert dose == pg._with(dose)

