"""The planner: every plan keeps every hard rule, explains itself, and says clearly when no plan exists."""

from __future__ import annotations

import gc
import itertools

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hipplan as hp
from hipplan import constraints as hc
from hipplan import strategies as hst
from hipplan._engine import costs
from hipplan._engine.cells import build_model
from hipplan.catalog import CATALOG
from hipplan.solver import is_feasible

E = hp.Equipment
GYM = frozenset({E.BENCH, E.BARBELL, E.LANDMINE, E.DUMBBELL, E.BAND})
SUPPORTS = {E.BENCH, E.BOX, E.COUCH}


def park_week() -> list[hp.Session]:
    """A travel week whose only session, a circuit in a park, has nothing to lean on."""
    return [hp.Session(name="Park run", weekday=2, focus=hp.Focus.CIRCUIT, equipment=frozenset())]


def coach_week() -> list[hp.Session]:
    return [
        hp.Session(
            name="Mon squat",
            weekday=0,
            focus=hp.Focus.LOWER,
            lifts={hp.Lift.SQUAT},
            equipment=GYM,
            minutes=75,
        ),
        hp.Session(
            name="Tue upper", weekday=1, focus=hp.Focus.UPPER, lifts={hp.Lift.BENCH_PRESS}, equipment=GYM
        ),
        hp.Session(
            name="Thu pull",
            weekday=3,
            focus=hp.Focus.LOWER,
            lifts={hp.Lift.DEADLIFT},
            equipment=GYM,
            minutes=75,
        ),
        hp.Session(name="Sat home", weekday=5, focus=hp.Focus.CIRCUIT, equipment={E.COUCH}, minutes=20),
    ]


def hotel_week() -> list[hp.Session]:
    return [
        hp.Session(name="Hotel Tue", weekday=1, focus=hp.Focus.CIRCUIT, equipment={E.COUCH}, minutes=25),
        hp.Session(name="Hotel Fri", weekday=4, focus=hp.Focus.CIRCUIT, equipment={E.COUCH}, minutes=25),
    ]


def independent_violations(plan: hp.Plan) -> list[str]:
    """Check a plan against DOMAIN.md's hard rules without using the planner's own rule classes."""
    found = []
    athlete = plan.athlete
    for slot in plan.slots:
        sessions = {s.name: s for s in plan.sessions_for(slot.week)}
        assert slot.session in sessions, f"slot in unknown session {slot.session!r}"
        session = sessions[slot.session]
        kit = athlete.kit(session)
        exercise = CATALOG[slot.exercise]
        variation = exercise.variation(slot.variation)
        where = f"week {slot.week} {slot.session}"
        if exercise.needs_support and not kit & SUPPORTS:
            found.append(f"{where}: no support surface")
        if not variation.needs <= kit:
            found.append(f"{where}: {slot.variation} needs {set(variation.needs - kit)}")
        if variation.forbidden or slot.variation == "mini-band":
            found.append(f"{where}: anti-pattern prescribed")
        if slot.weekday != session.weekday:
            found.append(f"{where}: weekday differs from its session")
        if slot.role is hp.Role.WARM_UP:
            if athlete.level is not hp.Level.ADVANCED:
                found.append(f"{where}: warm-up for a {athlete.level} athlete")
            if session.focus not in (hp.Focus.LOWER, hp.Focus.FULL_BODY):
                found.append(f"{where}: warm-up on a {session.focus} day")
            if not session.lifts & {hp.Lift.SQUAT, hp.Lift.DEADLIFT}:
                found.append(f"{where}: warm-up without squat or deadlift")
            if slot.dose.load_kg != 0:
                found.append(f"{where}: loaded warm-up")
        if slot.role is hp.Role.FINISHER and session.focus not in (hp.Focus.LOWER, hp.Focus.FULL_BODY):
            found.append(f"{where}: finisher on a {session.focus} day")
        if slot.role is hp.Role.CIRCUIT and session.focus is not hp.Focus.CIRCUIT:
            found.append(f"{where}: circuit slot outside a circuit session")
        if session.minutes is not None:
            d = slot.dose
            sides = 2 if exercise.unilateral else 1
            seconds = (
                d.sets * sides * d.reps * (1 + d.pause_s + d.lower_s) + (d.sets * sides - 1) * d.rest_s + 60
            )
            if variation.switch_sides:
                seconds += 60
            if seconds / 60 > session.minutes + 0.01:
                found.append(f"{where}: takes {seconds / 60:.1f} min of {session.minutes}")
    for week in range(1, plan.weeks + 1):
        n = len(plan.week(week))
        if plan.sessions_for(week) and not 1 <= n <= 3:
            found.append(f"week {week}: {n} slots")
    hard = [((s.week - 1) * 7 + s.weekday) * 24 for s in plan.slots if s.role is not hp.Role.WARM_UP]
    for a, b in itertools.combinations(sorted(hard), 2):
        if b - a < 48:
            found.append(f"hard exposures {b - a} h apart")
    keys = [(s.week, s.weekday) for s in plan.slots]
    if keys != sorted(keys):
        found.append("slots not in (week, weekday) order")
    return found


def test_coach_week_plan_keeps_every_rule() -> None:
    """The coach's week from USERS.md plans into 12 weeks without breaking a hard rule."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED, bodyweight_kg=70)
    plan = hp.plan(athlete, coach_week(), 12)
    assert [] == independent_violations(plan)
    assert all(s.reasons for s in plan.slots)
    assert {s.week for s in plan.slots} == set(range(1, 13))


def test_beginner_never_gets_a_warm_up() -> None:
    """A beginner's plan has no warm-up slot, even on a heavy squat day."""
    plan = hp.plan(hp.Athlete(level=hp.Level.BEGINNER), coach_week(), 6)
    assert all(s.role is not hp.Role.WARM_UP for s in plan.slots)
    assert all(s.exercise == "glute-bridge" for s in plan.slots[:1])


def test_advanced_lifter_gets_a_warm_up_only_where_rules_allow() -> None:
    """An advanced lifter who prefers warm-ups gets them on squat or deadlift days only."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED, prefer_roles={hp.Role.WARM_UP})
    plan = hp.plan(athlete, coach_week(), 4)
    warmups = [s for s in plan.slots if s.role is hp.Role.WARM_UP]
    assert warmups
    assert {s.session for s in warmups} <= {"Mon squat", "Thu pull"}
    assert all(s.variation == "bodyweight" and s.dose.load_kg == 0 for s in warmups)


def test_warm_up_level_is_configurable() -> None:
    """Lowering WarmUpRule.min_level lets an intermediate lifter have warm-ups."""
    athlete = hp.Athlete(level=hp.Level.INTERMEDIATE, prefer_roles={hp.Role.WARM_UP})
    plain = hp.plan(athlete, coach_week(), 2)
    assert all(s.role is not hp.Role.WARM_UP for s in plain.slots)
    relaxed = hp.plan(athlete, coach_week(), 2, constraints=[hc.WarmUpRule(min_level=hp.Level.INTERMEDIATE)])
    assert any(s.role is hp.Role.WARM_UP for s in relaxed.slots)


def test_hotel_week_gets_a_bodyweight_circuit() -> None:
    """A travel week in a hotel with only a couch gets bodyweight circuit slots."""
    athlete = hp.Athlete(
        level=hp.Level.ADVANCED,
        bodyweight_kg=70,
        rung=hp.Rung(exercise="single-leg-hip-thrust", variation="landmine"),
    )
    plan = hp.plan(
        athlete,
        coach_week(),
        4,
        overrides=[hp.WeekOverride(week=3, sessions=hotel_week(), label="travel week")],
    )
    week3 = plan.week(3)
    assert week3
    assert all(
        s.role is hp.Role.CIRCUIT and s.variation == "bodyweight" and s.dose.load_kg == 0 for s in week3
    )
    assert [] == independent_violations(plan)


def test_landmine_finisher_with_side_switch() -> None:
    """A gym day with a landmine and 60 spare minutes may get a landmine finisher that says to switch sides."""
    athlete = hp.Athlete(
        level=hp.Level.ADVANCED,
        bodyweight_kg=80,
        rung=hp.Rung(exercise="single-leg-hip-thrust", variation="landmine"),
    )
    week = [
        hp.Session(
            name="Legs", weekday=2, focus=hp.Focus.LOWER, lifts={hp.Lift.SQUAT}, equipment=GYM, minutes=60
        )
    ]
    plan = hp.plan(athlete, week, 2, constraints=[hc.PreferRole(role=hp.Role.FINISHER)])
    slot = plan.slots[0]
    assert (hp.Role.FINISHER, "landmine") == (slot.role, slot.variation)
    assert slot.dose.load_kg > 0
    assert any("other side" in text for text in slot.instructions)


def test_session_without_load_gets_same_exercise_unloaded() -> None:
    """A home session without the implement gets the same exercise unloaded, with a reason."""
    athlete = hp.Athlete(
        level=hp.Level.ADVANCED,
        bodyweight_kg=70,
        rung=hp.Rung(exercise="single-leg-hip-thrust", variation="dumbbell"),
    )
    week = [hp.Session(name="Home legs", weekday=0, focus=hp.Focus.LOWER, equipment={E.COUCH})]
    plan = hp.plan(athlete, week, 1)
    slot = plan.slots[0]
    assert ("single-leg-hip-thrust", "bodyweight", 0.0) == (slot.exercise, slot.variation, slot.dose.load_kg)
    assert any(r.rule == "ladder.kit" for r in slot.reasons)


def test_no_support_is_infeasible_with_named_week() -> None:
    """A week whose only session has no support surface raises Infeasible naming the rules and the week."""
    athlete = hp.Athlete(level=hp.Level.INTERMEDIATE)
    travel = park_week()
    with pytest.raises(hp.Infeasible) as caught:
        hp.plan(athlete, coach_week(), 4, overrides={3: travel})
    message = str(caught.value)
    assert "week 3" in message
    assert "bench, box or couch" in message
    assert {"support", "exposures"} == {c.rule for c in caught.value.conflicts}
    assert any("Park run" in s for c in caught.value.conflicts for s in c.sessions)


def test_plan_leaves_process_wide_state_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """plan() never switches the cyclic garbage collector (a process-wide setting), after a plan or an
    Infeasible alike."""

    def refuse() -> None:
        raise AssertionError("plan() switched the garbage collector")

    monkeypatch.setattr(gc, "disable", refuse)
    monkeypatch.setattr(gc, "enable", refuse)
    athlete = hp.Athlete(level=hp.Level.INTERMEDIATE)
    was = gc.isenabled()
    assert hp.plan(athlete, coach_week(), 2).slots
    with pytest.raises(hp.Infeasible):
        hp.plan(athlete, coach_week(), 2, overrides={2: park_week()})
    assert was == gc.isenabled()


@pytest.mark.parametrize(("low", "high"), [(0, 3), (-1, 2), (3, 2)])
def test_usable_weeks_refuses_sizes_without_a_host(low: int, high: int) -> None:
    """A usable week holds at least its host session: other sizes get InvalidInput naming them, not a bare error."""
    with pytest.raises(hp.InvalidInput, match=f"min_size={low}, max_size={high}"):
        hst.usable_weeks(min_size=low, max_size=high)


def test_week_off_is_not_infeasible() -> None:
    """A holiday week with no sessions is a week off, not a conflict."""
    plan = hp.plan(hp.Athlete(level=hp.Level.ADVANCED), coach_week(), 3, overrides={2: []})
    assert () == plan.week(2)
    assert plan.week(1)
    assert plan.week(3)


def test_unplaced_sessions_say_why() -> None:
    """Every session without a slot carries at least one reason in words."""
    plan = hp.plan(hp.Athlete(level=hp.Level.ADVANCED), coach_week(), 2)
    assert plan.unplaced
    upper = [u for u in plan.unplaced if u.session == "Tue upper"]
    assert upper
    assert all(u.reasons for u in plan.unplaced)
    assert any("upper" in r.text for r in upper[0].reasons)


def test_user_constraints_forbid_and_require() -> None:
    """ForbidSession keeps a session empty; RequireRole puts the role there."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED)
    plan = hp.plan(
        athlete,
        coach_week(),
        3,
        constraints=[
            hc.ForbidSession(session="Sat home"),
            hc.RequireRole(session="Thu pull", role=hp.Role.FINISHER),
        ],
    )
    assert all(s.session != "Sat home" for s in plan.slots)
    assert all(
        any(s.session == "Thu pull" and s.role is hp.Role.FINISHER for s in plan.week(w)) for w in (1, 2, 3)
    )


def test_bad_inputs_raise_invalid_input() -> None:
    """Bad arguments raise InvalidInput naming the argument."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED)
    with pytest.raises(hp.InvalidInput, match="weeks"):
        hp.plan(athlete, coach_week(), 0)
    with pytest.raises(hp.InvalidInput, match="athlete"):
        hp.plan("advanced", coach_week(), 2)  # type: ignore[arg-type]
    with pytest.raises(hp.InvalidInput, match="unique"):
        hp.plan(athlete, coach_week() + coach_week()[:1], 2)
    with pytest.raises(hp.InvalidInput, match="constraints"):
        hp.plan(athlete, coach_week(), 2, constraints=["no mondays"])  # type: ignore[list-item]
    with pytest.raises(hp.InvalidInput, match="overrides"):
        hp.plan(athlete, coach_week(), 2, overrides={5: []})


def test_one_shot_iterators_are_read_once() -> None:
    """Sessions and constraints given as iterators plan (and explain a conflict) as if given as lists."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED)
    from_list = hp.plan(athlete, coach_week(), 3, constraints=[hc.ForbidSession(session="Sat home")])
    from_iter = hp.plan(
        athlete, iter(coach_week()), 3, constraints=iter([hc.ForbidSession(session="Sat home")])
    )
    assert from_list == from_iter
    park = [hp.Session(name="Park", weekday=2, focus=hp.Focus.CIRCUIT)]
    with pytest.raises(hp.Infeasible) as caught:
        hp.plan(athlete, iter(park), 2, constraints=iter([]))
    assert {"support", "exposures"} == {c.rule for c in caught.value.conflicts}


def test_tiny_budget_raises_budget_exceeded() -> None:
    """A search that runs out of steps stops with BudgetExceeded instead of hanging."""
    with pytest.raises(hp.BudgetExceeded):
        hp.plan(hp.Athlete(level=hp.Level.ADVANCED), coach_week(), 12, budget=5)


user_rules = st.lists(
    st.one_of(
        st.builds(hc.ForbidWeekday, weekday=st.integers(0, 6)),
        st.builds(hc.PreferRole, role=st.sampled_from(list(hp.Role))),
        st.builds(hc.AvoidVariation, variation=st.sampled_from(["landmine", "dumbbell", "banded"])),
        st.builds(hc.Exposures, min=st.integers(0, 2), max=st.integers(2, 4)),
        st.builds(hc.Recovery, hours=st.sampled_from([24, 48, 72])),
    ),
    max_size=3,
    unique_by=type,
)


def test_require_role_holds_with_a_longer_recovery() -> None:
    """RequireRole forces its slot even when a longer recovery makes leaving the session empty tempting."""
    rules = [hc.RequireRole(session="Mon squat", role=hp.Role.FINISHER), hc.Recovery(hours=72)]
    plan = hp.plan(hp.Athlete(level=hp.Level.ADVANCED), coach_week(), 4, constraints=rules)
    for rule in hc.effective_rules(rules):
        assert [] == rule.check(plan), rule
    assert all(
        any(s.session == "Mon squat" and s.role is hp.Role.FINISHER for s in plan.week(w))
        for w in range(1, 5)
    )


@st.composite
def weeks_with_rules(draw: st.DrawFn) -> tuple[tuple[hp.Session, ...], list[hc.Rule]]:
    """A week and user rules, some naming the week's own sessions."""
    week = draw(hst.weeks(min_size=1, max_size=5))
    rules = draw(user_rules)
    names = [s.name for s in week]
    if draw(st.booleans()):
        rules.append(
            hc.RequireRole(session=draw(st.sampled_from(names)), role=draw(st.sampled_from(list(hp.Role))))
        )
    if draw(st.booleans()):
        rules.append(hc.ForbidSession(session=draw(st.sampled_from(names))))
    return week, rules


@settings(max_examples=40)
@given(hst.athletes(), weeks_with_rules(), st.integers(1, 6))
def test_plans_keep_every_hard_rule_or_explain_why_not(athlete, week_rules, weeks) -> None:  # type: ignore[no-untyped-def]
    """Every plan passes the independent check and every rule's own check; an Infeasible names a minimal conflict."""
    week, rules = week_rules
    # The independent checker encodes the default counts and recovery; skip it when a rule changes them.
    checker_applies = not any(isinstance(r, (hc.Exposures, hc.Recovery)) for r in rules)
    try:
        plan = hp.plan(athlete, week, weeks, constraints=rules)
    except hp.Infeasible as exc:
        conflicts, ways, message = exc.conflicts, exc.ways_out, str(exc)
        model, all_rules, *_ = build_model(athlete, week, weeks, constraints=rules)
        conflict = {c.rule for c in conflicts}
        assert conflict
        # The message ends with concrete ways out, one per line (issue 14, item 12).
        assert ways
        assert message.endswith("Ways out:\n" + "\n".join(f"- {way}" for way in ways))
        assert conflict <= {r.group for r in all_rules if r.hard}
        assert not is_feasible(model.problem, groups=conflict)
        for g in conflict:
            assert is_feasible(model.problem, groups=conflict - {g}), f"dropping {g} should make it feasible"
        return
    if checker_applies:
        assert [] == independent_violations(plan)
    for rule in hc.effective_rules(rules):
        assert [] == rule.check(plan), rule
    again = hp.plan(athlete, week, weeks, constraints=rules)
    assert hp.to_json(plan) == hp.to_json(again)
    assert hp.from_json(hp.to_json(plan), hp.Plan) == plan


def _naive_refused(model, rules, cell):  # type: ignore[no-untyped-def]
    """Every option of one cell that some one-slot rule refuses, judged cell by cell with no sharing."""
    return {
        value
        for value in cell.options
        for rule in rules
        if isinstance(rule, hc.SlotRule)
        and rule.applies_to(cell)
        and not rule.allows(model.facts(cell, value))
    }


@settings(max_examples=40)
@given(hst.athletes(), weeks_with_rules(), st.integers(1, 8))
def test_shared_verdicts_equal_cell_by_cell_verdicts(athlete, week_rules, weeks) -> None:  # type: ignore[no-untyped-def]
    """Judging one-slot rules once per cell shape and dose set refuses exactly what judging every cell refuses."""
    from hipplan._engine.verdicts import Verdicts

    week, rules = week_rules
    built = build_model(athlete, week, weeks, constraints=rules)
    verdicts = Verdicts(built.model, built.rules)
    for cell in built.model.cells:
        assert verdicts.refused(cell) == _naive_refused(built.model, built.rules, cell), cell.where
        assert set(verdicts.rules(cell)) == verdicts.refused(cell)


@settings(max_examples=40)
@given(hst.athletes(), weeks_with_rules(), st.integers(1, 6))
def test_pruned_problem_has_the_same_optimum(athlete, week_rules, weeks) -> None:  # type: ignore[no-untyped-def]
    """The problem plan() solves (one-slot rules applied in advance, constant constraints left out) has the same
    optimal score as the problem with every rule posted, and is feasible exactly when that one is."""
    from hipplan.solver import NoSolution, solve

    week, rules = week_rules
    pruned = build_model(athlete, week, weeks, constraints=rules, prune=True).model.problem
    full = build_model(athlete, week, weeks, constraints=rules).model.problem
    try:
        best = solve(full).cost
    except NoSolution:
        assert not is_feasible(pruned)
        return
    assert solve(pruned).cost == pytest.approx(best)


@settings(max_examples=40)
@given(
    hst.athletes(),
    hst.weeks(min_size=1, max_size=5),
    st.integers(1, 6),
    st.floats(0, 300),
    st.floats(0, 300),
)
def test_time_budget_fast_path_matches_its_own_rule(athlete, week, weeks, set_up, switch) -> None:  # type: ignore[no-untyped-def]
    """TimeBudget's option-by-option comparison refuses exactly what its allows() refuses, whatever its timings."""
    model = build_model(athlete, week, weeks).model
    for rule in (hc.TimeBudget(), hc.TimeBudget(set_up_s=set_up, side_switch_s=switch)):
        fast = {id(cell): refused for cell, refused in rule.refused(model)}
        slow = {id(cell): refused for cell, refused in hc.SlotRule.refused(rule, model)}
        assert fast == slow


@settings(max_examples=30)
@given(hst.athletes(), hst.weeks(min_size=1, max_size=5), st.integers(1, 3))
def test_soft_costs_of_a_cell_equal_each_options_cost(athlete, week, weeks) -> None:  # type: ignore[no-untyped-def]
    """A soft rule's costs for a whole cell are its cost() for each option, LadderFit's shortcut included."""
    model = build_model(athlete, week, weeks).model
    for rule in (hc.LadderFit(), hc.LadderFit(weight=0.5, avoid_weight=4.0), hc.GoalFit()):
        for cell in model.cells:
            each = {val: rule.cost(model, cell, opt) for val, opt in cell.options.items()}
            assert rule.costs(model, cell) == pytest.approx(each)


@settings(max_examples=30)
@given(
    hst.athletes(),
    hst.weeks(min_size=1, max_size=5),
    st.integers(1, 3),
    st.lists(
        st.one_of(
            st.builds(hc.PreferRole, role=st.sampled_from(list(hp.Role)), weight=st.floats(0, 5)),
            st.builds(hc.AvoidRole, role=st.sampled_from(list(hp.Role)), weight=st.floats(0, 5)),
            st.builds(hc.PreferVariation, variation=st.sampled_from(["landmine", "dumbbell", "banded"])),
            st.builds(hc.AvoidVariation, variation=st.sampled_from(["dumbbell", "bodyweight"])),
            st.builds(hc.GoalFit, weight=st.floats(0, 3)),
            st.builds(hc.LadderFit, weight=st.floats(0.1, 3), avoid_weight=st.floats(0, 5)),
        ),
        max_size=4,
    ),
)
def test_option_costs_posted_together_score_as_posted_one_by_one(athlete, week, weeks, wishes) -> None:  # type: ignore[no-untyped-def]
    """The one-slot preferences posted as one cost per cell give every value of every cell exactly (not just
    nearly) the cost the solver adds up from one constraint per rule."""
    from hipplan._engine.model import Model
    from hipplan.solver import Problem

    built = build_model(athlete, week, weeks, constraints=wishes)
    model = built.model
    unary = [r for r in built.rules if isinstance(r, hc.SlotPreference)]

    def unary_costs(problem: Problem) -> dict[object, list[float]]:
        out = {name: [0.0] * len(problem.domains[name]) for name in problem.variables}
        for con in problem.soft:
            if len(con.scope) == 1:
                (name,) = con.scope
                for i, value in enumerate(problem.domains[name]):
                    out[name][i] += con.weight * float(con.function(value))
        return out

    def fresh() -> Model:
        again = Model(athlete=model.athlete, weeks=model.weeks, cells=model.cells, problem=Problem())
        for cell in model.cells:
            again.problem.variable(cell.var, cell.domain(), stage=cell.week)
        return again

    one_by_one = fresh()
    for rule in unary:
        rule.post(one_by_one)
    together = fresh()
    costs.post_option_costs(together, unary)
    assert unary_costs(together.problem) == unary_costs(one_by_one.problem)
    assert len(together.problem.soft) <= len(model.cells)


@settings(max_examples=40)
@given(
    hst.athletes(),
    hst.weeks(min_size=1, max_size=5),
    st.integers(1, 3),
    st.builds(
        hc.PreferredExposures,
        count=st.none() | st.integers(0, 5),
        weight=st.sampled_from([0.0, 0.5, 3.0, 7.0]),
    ),
    st.builds(hc.HardWork, weight=st.sampled_from([0.0, 1.5, 3.0])),
    st.builds(hc.FewerSetups, weight=st.sampled_from([0.0, 1.0, 2.5])),
    st.data(),
)
def test_weekly_costs_posted_together_score_as_posted_one_by_one(
    athlete, week, weeks, pref, hard, setups, data
) -> None:  # type: ignore[no-untyped-def]
    """The weekly soft rules posted as one cost per week cost every assignment of every week what the three
    rules posted one by one cost it."""
    from hipplan._engine.model import Model
    from hipplan.solver import Problem

    model = build_model(athlete, week, weeks).model
    rules = [pref, hard, setups]

    def fresh() -> Model:
        again = Model(athlete=model.athlete, weeks=model.weeks, cells=model.cells, problem=Problem())
        for cell in model.cells:
            again.problem.variable(cell.var, cell.domain(), stage=cell.week)
        return again

    one_by_one = fresh()
    for rule in rules:
        rule.post(one_by_one)
    together = fresh()
    costs.post_weekly_costs(together, rules)
    assert len(together.problem.soft) <= weeks
    values = {cell.var: data.draw(st.sampled_from(cell.domain())) for cell in model.cells}

    def total(problem: Problem) -> float:
        return sum(c.weight * c.function(*[values[v] for v in c.scope]) for c in problem.soft)

    # every weight here is a multiple of 0.5, so the sums are exact whatever the order
    assert total(together.problem) == total(one_by_one.problem)
    # out of their usual order, the rules are posted one by one
    reordered = fresh()
    costs.post_weekly_costs(reordered, rules[::-1])
    assert len(reordered.problem.soft) == len(one_by_one.problem.soft)
    assert total(reordered.problem) == total(one_by_one.problem)


def test_a_plan_with_no_sessions_at_all_is_a_plan_of_weeks_off() -> None:
    """An empty usual week, or every week changed to none, gives a plan with no slot and a note (issue 14, 1)."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED)
    for plan in (
        hp.plan(athlete, [], 4),
        hp.plan(athlete, coach_week(), 2, overrides={1: [], 2: []}),
    ):
        assert () == plan.slots
        assert any(n.rule == "weeks.off" for n in plan.notes)
        assert "week off" in plan.explain()
    assert hp.from_json(hp.to_json(plan), hp.Plan) == plan


@given(hst.athletes(), hst.weeks())
def test_the_documented_strategies_pattern_plans_every_week_drawn(
    athlete: hp.Athlete, week: tuple[hp.Session, ...]
) -> None:
    """``@given(hst.athletes(), hst.weeks())`` never crashes plan(): a plan, or Infeasible naming the rules."""
    conflicts: list[hp.Conflict] = []
    try:
        plan = hp.plan(athlete, week, 2)
    except hp.Infeasible as exc:
        conflicts = list(exc.conflicts)
        assert conflicts, "an Infeasible names the rules that conflict"
    else:
        assert all(slot.week in (1, 2) for slot in plan.slots)


@pytest.mark.parametrize(
    ("level", "words"),
    [("advanced", "an advanced"), ("intermediate", "an intermediate"), ("beginner", "a beginner")],
)
def test_a_plans_repr_reads_well(level: str, words: str) -> None:
    """repr(plan) uses the right article (issue 14, 15)."""
    plan = hp.plan(hp.Athlete(level=level), coach_week(), 1)
    assert f"for {words} athlete" in repr(plan)


def test_a_wish_for_more_slots_than_the_maximum_is_capped_with_a_note() -> None:
    """exposures_per_week above the Exposures maximum: the plan aims for the maximum and says so in its notes
    (issue 14, 11: not silently)."""
    athlete = hp.Athlete(level=hp.Level.ADVANCED, exposures_per_week=7)
    plan = hp.plan(athlete, coach_week(), 2)
    notes = [n.text for n in plan.notes if n.rule == "exposures"]
    assert 1 == len(notes)
    assert "asked for 7 slots a week" in notes[0]
    assert "at most 3" in notes[0]
    assert all(len(plan.week(w)) <= 3 for w in (1, 2))
    more = hp.plan(athlete, coach_week(), 2, constraints=[hc.Exposures(max=7)])
    assert not [n for n in more.notes if n.rule == "exposures"]


def _public_values() -> list[type]:
    """Every class in ``hipplan.__all__`` that holds a value: not the errors, not the enumerations."""
    import enum
    import inspect

    found = [getattr(hp, name) for name in hp.__all__]
    return [
        kind for kind in found if inspect.isclass(kind) and not issubclass(kind, BaseException | enum.Enum)
    ]


@pytest.mark.parametrize("kind", _public_values(), ids=lambda t: t.__name__)
def test_from_type_draws_the_public_values(kind: type) -> None:
    """st.from_type finds hipplan's own strategy for every public value type, through the entry point (issue 14,
    14: Step, Slot, WeekOverride, the catalogue's types, Engine and PlanRequest failed or hung)."""

    @settings(max_examples=3, database=None)
    @given(st.from_type(kind))
    def draw(value: object) -> None:
        assert isinstance(value, kind)

    draw()


# --- check_plan: what plan() would not have made ---------------------------------------------------------------


@given(hst.athletes(), hst.usable_weeks(), st.integers(1, 6))
def test_check_plan_finds_nothing_in_what_plan_makes(
    athlete: hp.Athlete, week: tuple[hp.Session, ...], weeks: int
) -> None:
    """A plan made by plan() with the default rules has no problem: its shape, its loads, every hard rule."""
    try:
        made = hp.plan(athlete, week, weeks)
    except hp.Infeasible:
        return
    assert hp.check_plan(made) == []


def test_check_plan_names_a_load_the_kit_cannot_make_and_a_broken_rule() -> None:
    """A load edited off the pound rack and a rule the plan was not made with: one line each, with the path."""
    athlete = hp.Athlete(level="intermediate", unit="lb", loads=hp.Kit(dumbbells=hp.rack(5, 50, 5)))
    home = {"bench", "dumbbell"}
    week = [
        hp.Session(name="Mon legs", weekday=0, focus="lower", equipment=home),
        hp.Session(name="Thu legs", weekday=3, focus="lower", equipment=home),
    ]
    made = hp.plan(athlete, week, 12)
    assert hp.check_plan(made) == []
    i, slot = next((i, s) for i, s in enumerate(made.slots) if s.dose.load_kg)
    edited = attrs.evolve(
        made,
        slots=tuple(
            attrs.evolve(s, dose=attrs.evolve(s.dose, load_kg=2.0)) if k == i else s
            for k, s in enumerate(made.slots)
        ),
    )
    found = hp.check_plan(edited)
    assert found == [
        f"$.slots[{i}].dose.load_kg: 4.41 lb is not a load the athlete's kit makes on"
        f" {slot.exercise}/{slot.variation}; the nearest it makes is 5 lb"
    ]
    assert any(line.startswith("exposures: ") for line in hp.check_plan(made, [hc.Exposures(min=3, max=3)]))


def test_a_session_too_short_is_told_once_not_once_a_week() -> None:
    """Two 3-minute sessions over 4 weeks: the conflict names each session once in its detail, with the minutes
    it has, and still lists every refused session of every week."""
    week = [
        hp.Session(name="Quick", weekday=0, focus=hp.Focus.LOWER, equipment={hp.Equipment.BENCH}, minutes=3),
        hp.Session(name="Brief", weekday=3, focus=hp.Focus.LOWER, equipment={hp.Equipment.BENCH}, minutes=3),
    ]
    with pytest.raises(hp.Infeasible) as caught:
        hp.plan(hp.Athlete(level="advanced"), week, 4)
    (time,) = [c for c in caught.value.conflicts if c.rule == hc.TimeBudget().group]
    assert time.detail.count("Quick has only 3 min left") == 1
    assert time.detail.count("Brief has only 3 min left") == 1
    assert len(time.sessions) == 8
