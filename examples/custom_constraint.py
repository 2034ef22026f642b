"""Custom constraints: the built-in user rules, and a rule of your own written as a small class.

Run it with ``python examples/custom_constraint.py``.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

import hipplan as hp
from hipplan import constraints as c
from hipplan.example import example_athlete, example_week

athlete = example_athlete()
week = example_week()


# A rule of your own: the landmine corner is taken on Thursdays, so no landmine work in that session.
# A SlotRule judges one slot at a time; describe() is what explanations and Infeasible messages say.
@attrs.frozen(kw_only=True)
class NoLandmineIn(c.SlotRule):
    """No landmine variation in one session."""

    tag: ClassVar[str] = "no-landmine-in"
    session: str

    @property
    def group(self) -> str:
        return f"{self.tag}:{self.session}"

    def describe(self) -> str:
        return f"no landmine work in {self.session}: the landmine corner is busy then (your rule)"

    def allows(self, facts: c.SlotFacts) -> bool:
        return facts.session.name != self.session or facts.rung.variation != "landmine"


rules = [
    c.ForbidSession(session="Sat home", weeks={1, 2}),  # the first two Saturdays are taken
    NoLandmineIn(session="Thu pull"),
]
plan = hp.plan(athlete, week, weeks=6, constraints=rules)

for slot in plan.slots:
    print(f"week {slot.week}  {slot.session:<10} {slot.role.value:<9} {slot.variation:<10} {slot.dose}")

assert not any(s.session == "Sat home" and s.week in (1, 2) for s in plan.slots)
assert not any(s.session == "Thu pull" and s.variation == "landmine" for s in plan.slots)
# Every hard rule can check a finished plan on its own, without trusting the solver.
assert all(rule.check(plan) == [] for rule in rules)

# Rules that cannot all hold give Infeasible, naming them in a coach's words.
try:
    hp.plan(
        athlete,
        week,
        weeks=2,
        constraints=[c.ForbidSession(session="Thu pull"), c.RequireRole(session="Thu pull", role="finisher")],
    )
except hp.Infeasible as exc:
    print()
    print(exc)
    print("conflicting rules:", [conflict.rule for conflict in exc.conflicts])
