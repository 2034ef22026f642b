"""What the one-slot rules say about each option of each cell, worked out as rarely as the rules allow."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from .. import constraints as c
from ..vocabulary import Role
from .model import Cell, Model

Refused = dict[tuple[Role, str], list[c.SlotRule]]


class Verdicts:
    """What the one-slot rules say about every option of every cell of a model, judged as rarely as possible.

    A rule that reads neither the dose nor the week judges each cell shape once; one that reads the dose but not
    the week, each shape and set of doses once; the others (and rules with their own ``refused``) cell by cell.
    """

    def __init__(self, model: Model, rules: Sequence[c.Rule]) -> None:
        by_shape: dict[Hashable, list[Cell]] = {}
        by_doses: dict[Hashable, list[Cell]] = {}
        for cell in model.cells:
            by_shape.setdefault(cell.shape, []).append(cell)
            by_doses.setdefault((cell.shape, cell.doses), []).append(cell)
        self.by_shape: dict[Hashable, Refused] = {}
        self.by_doses: dict[Hashable, Refused] = {}
        self.by_cell: dict[int, Refused] = {}
        self.forced: dict[int, list[str]] = {}
        """By cell id, the groups of the rules that demand a slot there."""
        for rule in rules:
            if not isinstance(rule, c.SlotRule):
                continue
            if rule.requires_slot or rule.uses_week or type(rule).refused is not c.SlotRule.refused:
                for cell, values in rule.refused(model):
                    # (a cell with nothing refused keeps no entry: it may still share its shape's verdicts)
                    if values:
                        found = self.by_cell.setdefault(id(cell), {})
                        for value in values:
                            found.setdefault(value, []).append(rule)
                    if rule.requires_slot:
                        self.forced.setdefault(id(cell), []).append(rule.group)
                continue
            groups, out = (by_doses, self.by_doses) if rule.uses_dose else (by_shape, self.by_shape)
            for key, cells in groups.items():
                first = cells[0]
                if rule.applies_to(first):
                    for value in first.options:
                        if not rule.allows(model.facts(first, value)):
                            out.setdefault(key, {}).setdefault(value, []).append(rule)

    def parts(self, cell: Cell) -> tuple[Refused | None, Refused | None, Refused | None]:
        """The refusals of a cell judged by shape, by shape and doses, and by the cell itself."""
        return (
            self.by_shape.get(cell.shape),
            self.by_doses.get((cell.shape, cell.doses)),
            self.by_cell.get(id(cell)),
        )

    def refused(self, cell: Cell) -> set[tuple[Role, str]]:
        """The options of ``cell`` that some one-slot rule refuses."""
        found: set[tuple[Role, str]] = set()
        for part in self.parts(cell):
            if part:
                found.update(part)
        return found

    def rules(self, cell: Cell) -> Refused:
        """Each refused option of ``cell`` with the rules that refuse it, in the order of the rules."""
        merged: Refused = {}
        for part in self.parts(cell):
            if part:
                for value, rules in part.items():
                    merged.setdefault(value, []).extend(rules)
        return {value: merged[value] for value in cell.options if value in merged}
