"""The planning engine: the one place where hipplan is clever (see :mod:`hipplan.planner` for the public entry).

The flow, one module per step:

- :mod:`.inputs`: check what ``plan()`` is given;
- :mod:`.model`: the model a rule posts into: one cell per (week, session), each with its (role, variation)
  options; :class:`~hipplan.constraints.Rule` ``post`` methods write into it;
- :mod:`.cells`: where each role starts, how its dose moves week by week (it asks :mod:`hipplan.progression`),
  the cells and their options, every rule posted;
- :mod:`.verdicts`: the one-slot rules' verdicts, worked out once per cell shape where the rule allows;
- :mod:`.planning`: solve (:mod:`hipplan.solver`), re-place until the doses agree with the slots, build the Plan;
- :mod:`.wording`: the reasons, the "why not" of each empty session, the notes;
- :mod:`.conflicts`: when nothing satisfies the hard rules, a minimal conflict and the ways out.

Nothing here is public API; values, rules and views never import it (tests/test_architecture.py). This
``__init__`` imports nothing, so that a rule can import :mod:`.model` without pulling in the whole engine.
"""
