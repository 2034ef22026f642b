"""The variation ladder: a directed graph over the catalogue, from easier to harder.

Floor bridges come first (each with the loads a floor bridge takes: a dumbbell or a sandbag on the hips), then the
two-leg hip thrust, then the single-leg hip thrust with bodyweight, then its loaded variations.

The ladder answers its queries from its own map of edges; :attr:`Ladder.graph`, the same edges as a networkx
``DiGraph`` for your own graph work, is built the first time it is read. Importing networkx takes about 240 ms,
a third of a cold ``hipplan plan --example``, and planning needs none of it.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .catalog import CATALOG, Catalog
from .errors import InvalidInput
from .exercises import Rung
from .vocabulary import Equipment

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Ladder", "default_ladder"]


class Ladder:
    """Queries over the easier-to-harder graph of a catalogue's rungs.

    Edges: each exercise's bodyweight rung leads to the next exercise's bodyweight rung (by ``rank``), and to each
    of its own loaded variations; loaded variations lead on to the next one in catalogue order, and the last
    variation of an exercise leads on to the next exercise's bodyweight rung. Anti-patterns are not in it.

    The ladder is built once and read from then on: answers to ``next_harder`` and ``next_easier`` are kept, and
    changing ``graph`` afterwards changes none of them (build a new ladder instead).
    """

    def __init__(self, catalog: Catalog = CATALOG) -> None:
        self.catalog = catalog
        self._up: dict[Rung, list[Rung]] = {}
        """Each rung's next harder rungs (the edges, in the order they were made)."""
        self._down: dict[Rung, list[Rung]] = {}
        exercises = sorted(catalog.exercises, key=lambda e: (e.rank, e.id))
        order: dict[Rung, tuple[int, int]] = {}
        previous_base: Rung | None = None
        previous_top: Rung | None = None
        for ex_index, ex in enumerate(exercises):
            allowed = ex.allowed_variations
            rungs = [Rung(exercise=ex.id, variation=var.id) for var in allowed]
            for var_index, rung in enumerate(rungs):
                order[rung] = (ex_index, var_index)
                self._up[rung], self._down[rung] = [], []
            base = rungs[0]
            if previous_base is not None and previous_top is not None:
                self._edge(previous_base, base)
                # The top of one exercise leads on to the next one, so a loaded rung is never a dead end.
                self._edge(previous_top, base)
            for left, right in itertools.pairwise(rungs):
                self._edge(left, right)
            for rung in rungs[2:]:
                self._edge(base, rung)
            previous_base = base
            previous_top = rungs[-1]
        if not order:
            raise InvalidInput("a ladder needs at least one exercise, and the catalogue is empty")
        self._order = order
        self.easiest: Rung = min(order, key=order.__getitem__)
        self.check()
        # The graph is fixed once built: what lies above or below a rung, and the answers for a kit, are kept.
        self._above: dict[Rung, tuple[Rung, ...]] = {}
        self._below: dict[Rung, tuple[Rung, ...]] = {}
        self._harder: dict[tuple[Rung, frozenset[Equipment], bool | None], Rung | None] = {}
        self._easier: dict[tuple[Rung, frozenset[Equipment]], Rung | None] = {}

    def _edge(self, easier: Rung, harder: Rung) -> None:
        if harder not in self._up[easier]:
            self._up[easier].append(harder)
            self._down[harder].append(easier)

    @functools.cached_property
    def graph(self) -> nx.DiGraph[Rung]:
        """The ladder as a networkx ``DiGraph`` (an edge from each rung to each next harder one), built when first
        read; the ladder's own queries do not read it."""
        import networkx as nx

        graph: nx.DiGraph[Rung] = nx.DiGraph()
        graph.add_nodes_from(self._up)
        graph.add_edges_from((easier, harder) for easier, up in self._up.items() for harder in up)
        return graph

    def check(self) -> None:
        """Raise :class:`InvalidInput` unless the ladder is acyclic and every rung is reachable from the easiest.

        Once :attr:`graph` has been read (and perhaps edited), that graph is what is checked.
        """
        if "graph" in self.__dict__:
            import networkx as nx

            acyclic = nx.is_directed_acyclic_graph(self.graph)
            nodes = set(self.graph.nodes)
            reached = nx.descendants(self.graph, self.easiest) | {self.easiest} if acyclic else nodes
        else:
            # Every edge is made towards a later (exercise, variation) position: a cycle needs one going back.
            acyclic = all(self._order[b] > self._order[a] for a, up in self._up.items() for b in up)
            nodes = set(self._up)
            reached = self._reach(self.easiest, self._up) | {self.easiest}
        if not acyclic:
            raise InvalidInput(
                "the ladder has a cycle: some variation is both easier and harder than another"
            )
        missing = sorted(nodes - reached, key=str)
        if missing:
            raise InvalidInput(f"the ladder cannot reach {', '.join(map(str, missing))} from {self.easiest}")

    @staticmethod
    def _reach(
        start: Rung, edges: dict[Rung, list[Rung]], allowed: frozenset[Rung] | None = None
    ) -> set[Rung]:
        """Every rung reached from ``start`` along ``edges`` (through ``allowed`` rungs only, when given), not
        ``start`` itself."""
        found: set[Rung] = set()
        todo = [start]
        while todo:
            for nxt in edges[todo.pop()]:
                if nxt not in found and (allowed is None or nxt in allowed):
                    found.add(nxt)
                    todo.append(nxt)
        found.discard(start)
        return found

    def rank(self, rung: Rung) -> tuple[int, int]:
        """A sortable position: lower is easier."""
        try:
            return self._order[rung]
        except KeyError:
            raise InvalidInput(f"rung {rung} is not on the ladder") from None

    def fits(self, rung: Rung, kit: Iterable[Equipment]) -> bool:
        """Whether a session with ``kit`` can host this rung: its support surface and its equipment."""
        kit = frozenset(kit)
        exercise = self.catalog[rung.exercise]
        if exercise.needs_support and not (kit & Equipment.supports()):
            return False
        return exercise.variation(rung.variation).fits(kit)

    def reachable(self, kit: Iterable[Equipment]) -> tuple[Rung, ...]:
        """Every rung the kit allows that can be reached from the easiest through rungs the kit allows."""
        kit = frozenset(kit)
        fitting = frozenset(r for r in self._up if self.fits(r, kit))
        if self.easiest not in fitting:
            return ()
        found = self._reach(self.easiest, self._up, fitting) | {self.easiest}
        return tuple(sorted(found, key=self.rank))

    def next_harder(
        self, rung: Rung, kit: Iterable[Equipment], *, same_exercise: bool | None = None
    ) -> Rung | None:
        """The easiest rung above ``rung`` that the kit allows, or None at the top.

        With ``same_exercise=True`` only a harder variation of the same exercise counts (more load); with
        ``same_exercise=False`` only the bodyweight rung of a harder exercise (the next step of the climb).
        """
        kit = frozenset(kit)
        key = (rung, kit, same_exercise)
        if key not in self._harder:
            above = self._above.get(rung)
            if above is None:
                found = self._reach(self._known(rung), self._up)
                above = self._above[rung] = tuple(sorted(found, key=self.rank))
            self._harder[key] = next(
                (
                    r
                    for r in above
                    if same_exercise is None
                    or (
                        (r.exercise == rung.exercise) == same_exercise
                        and (same_exercise or r.variation == "bodyweight")
                    )
                    if self.fits(r, kit)
                ),
                None,
            )
        return self._harder[key]

    def next_easier(self, rung: Rung, kit: Iterable[Equipment]) -> Rung | None:
        """The hardest rung below ``rung`` that the kit allows, or None at the bottom."""
        kit = frozenset(kit)
        key = (rung, kit)
        if key not in self._easier:
            below = self._below.get(rung)
            if below is None:
                found = self._reach(self._known(rung), self._down)
                below = self._below[rung] = tuple(sorted(found, key=self.rank, reverse=True))
            self._easier[key] = next((r for r in below if self.fits(r, kit)), None)
        return self._easier[key]

    def within_kit(self, rung: Rung, kit: Iterable[Equipment]) -> Rung | None:
        """The athlete's rung limited to what ``kit`` allows, keeping the same exercise.

        A session without the load implement gets the same exercise unloaded (the hardest variation of that exercise
        the kit allows); a session that cannot host the exercise at all gives None.
        """
        kit = frozenset(kit)
        if self.fits(rung, kit):
            return rung
        exercise = self.catalog[rung.exercise]
        options = [
            Rung(exercise=exercise.id, variation=var.id)
            for var in exercise.allowed_variations
            if self.rank(Rung(exercise=exercise.id, variation=var.id)) <= self.rank(rung)
        ]
        fitting = [r for r in options if self.fits(r, kit)]
        return max(fitting, key=self.rank, default=None)

    def _known(self, rung: Rung) -> Rung:
        self.rank(rung)
        return rung


@functools.cache
def default_ladder() -> Ladder:
    """The ladder over the built-in catalogue, built once."""
    return Ladder(CATALOG)
