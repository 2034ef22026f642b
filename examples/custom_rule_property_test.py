"""A progression rule of your own: plug it into a Policy, use it in plan() and progress(), and property-test it.

The rule: for home training with nothing to load, once every set reaches the top of the rep range, lower the hips
half a second more slowly and start again from the bottom of the range, before the built-in pause lever gets a
turn. A rule is a value with a ``name`` and one pure method, ``next(dose, log)``, that returns a
:class:`hipplan.Change`, or None when it does not apply. ``Policy(extra=(rule,))`` puts it in front of the built-in
levers, for :func:`hipplan.plan` and :func:`hipplan.progress` alike.

Run it as a script (``python examples/custom_rule_property_test.py``) or let pytest collect it
(``pytest examples/custom_rule_property_test.py``).
"""

from __future__ import annotations

import itertools
from typing import ClassVar

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import hipplan as hp
from hipplan import strategies as hst

E = hp.Equipment


@attrs.frozen(kw_only=True)
class SlowerLoweringAtHome:
    """At the top of the range with nothing to load: lower ``step_s`` more slowly, from the bottom of the range."""

    name: ClassVar[str] = "home.slower_lowering"
    step_s: float = 0.5

    def next(self, dose: hp.Dose, log: hp.Log, /) -> hp.Change | None:
        """The slower lowering, or None where the rule does not apply."""
        tempo = log.policy.tempo
        if log.role is hp.Role.WARM_UP:
            return None  # a warm-up never progresses toward failure
        if log.variation.is_loaded or not log.at_top(dose):
            return None  # reps first; and a loaded variation has load to grow
        if any(item.kind is hp.EquipmentKind.LOAD for item in log.effective_kit):
            return None  # an implement at hand: load arrives through the built-in levers
        lower = min(tempo.max_s, dose.lower_s + min(self.step_s, tempo.step_s))
        new = attrs.evolve(dose, lower_s=lower, reps=min(dose.reps, log.low))
        if lower <= dose.lower_s or not tempo.allows(new):
            return None  # as slow as the policy lets a rep, or a set, be
        return hp.Change(dose=new, text=f"Nothing to load: lower over {lower:g} s, from {new.reps} reps.")


RULE = SlowerLoweringAtHome()
POLICY = hp.Policy(extra=(RULE,))
ATHLETE = hp.Athlete(level="intermediate", bodyweight_kg=70)
HOME = (
    hp.Session(name="Tue home", weekday=1, focus="circuit", equipment={E.COUCH}, minutes=20),
    hp.Session(name="Fri home", weekday=4, focus="circuit", equipment={E.COUCH}, minutes=20),
)


def _as_prescribed(dose: hp.Dose) -> list[hp.Performed]:
    return [
        hp.Performed(side=side, reps=dose.reps, load_kg=dose.load_kg, pause_s=dose.pause_s)
        for side in hp.Side
        for _ in range(dose.sets)
    ]


def test_rule_by_hand() -> None:
    """2 x 15 at home (range 10-15), every set done: 2 x 10 with a 2.5 s lowering instead of 2 s."""
    dose = hp.Dose(sets=2, reps=15)
    change = RULE.next(dose, hp.Log(kit={E.COUCH}))  # a log without sets: every target met exactly
    assert change is not None
    assert change.dose == hp.Dose(sets=2, reps=10, lower_s=2.5)
    assert RULE.next(dose, hp.Log(kit={E.COUCH, E.DUMBBELL})) is None  # a dumbbell at hand: load comes first
    assert RULE.next(dose, hp.Log(role=hp.Role.WARM_UP, kit={E.COUCH})) is None  # a warm-up stays as it is


def test_plan_and_progress_use_the_rule() -> None:
    """The plan uses the rule, and progress() with the same policy gives the plan's next slot (the loop closes)."""
    plan = hp.plan(ATHLETE, HOME, weeks=8, rules=POLICY)
    assert any(reason.rule == RULE.name for slot in plan.slots for reason in slot.reasons)
    for before, after in itertools.pairwise(plan.slots):
        step = hp.progress(
            before,
            _as_prescribed(before.dose),
            athlete=ATHLETE,
            kit={E.COUCH},
            next_week=after.week,
            policy=POLICY,
        )
        assert (step.dose, step.rung.variation) == (after.dose, after.variation)


@settings(deadline=None, max_examples=60)
@given(hst.logged_doses())
def test_rule_keeps_every_invariant_in_one_step(pair: tuple[hp.Dose, hp.Log]) -> None:
    """Under any policy and any log, the rule's change breaks no cap, no step size and no workload cap."""
    dose, log = pair
    change = RULE.next(dose, log)
    if change is not None:
        found = hp.check_progression(
            [dose, change], role=log.role, policy=log.policy, bodyweight_kg=log.bodyweight_kg, rung=log.rung
        )
        assert found == [], found


@settings(deadline=None, max_examples=60)
@given(
    kit=hst.kits(),
    rung=hst.rungs(),
    level=st.sampled_from(list(hp.Level)),
    bodyweight=st.integers(min_value=40, max_value=150),
    weeks=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30).map(sorted),
    step_s=st.sampled_from([0.25, 0.5, 1.0]),
)
def test_rule_keeps_every_invariant_in_the_loop(
    kit: frozenset[hp.Equipment],
    rung: hp.Rung,
    level: hp.Level,
    bodyweight: int,
    weeks: list[int],
    step_s: float,
) -> None:
    """Run by the engine over any schedule of exposures (breaks included), the rule keeps every invariant."""
    policy = hp.Policy(extra=(SlowerLoweringAtHome(step_s=step_s),))
    athlete = hp.Athlete(level=level, bodyweight_kg=bodyweight)
    first = hp.starting_dose(athlete, hp.Role.CIRCUIT, rung, policy=policy)
    steps = hp.project(first, weeks, role=hp.Role.CIRCUIT, rung=rung, kit=kit, athlete=athlete, policy=policy)
    found = hp.check_progression(
        steps, role=hp.Role.CIRCUIT, policy=policy, bodyweight_kg=bodyweight, rung=rung
    )
    assert found == [], found


if __name__ == "__main__":
    test_rule_by_hand()
    test_plan_and_progress_use_the_rule()
    test_rule_keeps_every_invariant_in_one_step()
    test_rule_keeps_every_invariant_in_the_loop()
    plan = hp.plan(ATHLETE, HOME, weeks=8, rules=POLICY)
    for slot in plan.slots:
        print(f"week {slot.week}  {slot.session:<9} {slot.dose!s:<14} lowering {slot.dose.lower_s:g} s")
    print(
        "SlowerLoweringAtHome: used by plan() and progress(), and every invariant holds for what hypothesis tried."
    )
