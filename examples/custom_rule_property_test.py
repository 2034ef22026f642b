"""Write your own progression rule, then property-test it with hipplan's strategies and invariant checks.

The rule: for home training with nothing to add as load, slow the lowering by half a second once the reps top
out, and start again from the bottom of the rep range. A rule is a frozen attrs value with one pure method,
``next(dose, log)``, that returns a :class:`~hipplan.progression.Change`, or None when it does not apply.

Run it as a script (``python examples/custom_rule_property_test.py``) or let pytest collect it
(``pytest examples/custom_rule_property_test.py``).
"""

from __future__ import annotations

from typing import ClassVar

import attrs
from hypothesis import given, settings

from hipplan import Dose, Role
from hipplan import strategies as hst
from hipplan.progression import Change, Log, check_progression


@attrs.frozen(kw_only=True)
class SlowerLoweringFirst:
    """When every set reaches the top of the range, lower half a second slower and go back to the bottom."""

    name: ClassVar[str] = "home.slower_lowering"
    step_s: float = 0.5

    def next(self, dose: Dose, log: Log, /) -> Change | None:
        policy = log.policy
        if log.role is Role.WARM_UP:
            return None  # a warm-up never progresses toward failure
        if not log.met(dose) or dose.reps < policy.reps.high:
            return None  # double progression: reps first
        lower = min(policy.tempo.max_s, dose.lower_s + min(self.step_s, policy.tempo.step_s))
        new = attrs.evolve(dose, lower_s=lower, reps=policy.reps.low)
        if lower <= dose.lower_s or not policy.tempo.allows(new):
            return None  # already as slow as the policy lets a rep be
        if not policy.growth.allows(dose, new, log.bodyweight, policy.reps.step):
            return None  # the weekly workload cap has the last word
        return Change(
            dose=new,
            text=f"Top of the range: lower over {lower:g} s and start again from {policy.reps.low} reps.",
        )


RULE = SlowerLoweringFirst()


@settings(deadline=None)  # the first example also builds the ladder
@given(hst.logged_doses())
def test_slower_lowering_first_keeps_every_invariant(pair: tuple[Dose, Log]) -> None:
    """Under any policy and any log, the rule breaks no cap, no step size and no weekly growth cap."""
    dose, log = pair
    nxt = RULE.next(dose, log)
    if nxt is not None:
        found = check_progression(
            [dose, nxt], role=log.role, policy=log.policy, bodyweight_kg=log.bodyweight_kg, rung=log.rung
        )
        assert found == [], found


def test_slower_lowering_first_by_hand() -> None:
    """3 x 15 done on both sides (range 8-15): 3 x 8 with a 2.5 s lowering instead of 2 s."""
    dose = Dose(sets=3, reps=15)
    change = RULE.next(dose, Log())  # an empty log means: every target met exactly
    assert change is not None
    assert change.dose == Dose(sets=3, reps=8, lower_s=2.5)


if __name__ == "__main__":
    test_slower_lowering_first_by_hand()
    test_slower_lowering_first_keeps_every_invariant()
    print("SlowerLoweringFirst passes check_progression for every policy and log hypothesis tried.")
