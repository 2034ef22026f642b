"""The variation ladder: queries stay inside the kit, harder is harder, the graph is a sound DAG."""

from __future__ import annotations

import itertools
from collections import deque

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipplan import (
    CATALOG,
    Catalog,
    Equipment,
    Exercise,
    InvalidInput,
    Ladder,
    Rung,
    Variation,
    default_ladder,
)
from hipplan import strategies as hst

E = Equipment
LADDER = default_ladder()
SLHT = "single-leg-hip-thrust"
FLOOR = (Rung(exercise="glute-bridge"), Rung(exercise="single-leg-glute-bridge"))
BODYWEIGHT = (*FLOOR, Rung(exercise="hip-thrust"), Rung(exercise=SLHT))


def slht(variation: str) -> Rung:
    """A rung of the single-leg hip thrust."""
    return Rung(exercise=SLHT, variation=variation)


# --- custom catalogues for properties ----------------------------------------------------------------------

LOAD_KITS = [
    frozenset({E.SANDBAG}),
    frozenset({E.DUMBBELL}),
    frozenset({E.BAND}),
    frozenset({E.BARBELL, E.LANDMINE}),
    frozenset({E.BARBELL}),
]


@st.composite
def variations(draw: st.DrawFn, exercise_id: str) -> tuple[Variation, ...]:
    """Allowed variations (bodyweight or not first), sometimes with a forbidden one mixed in."""
    count = draw(st.integers(min_value=1, max_value=4))
    found = []
    for i in range(count):
        needs = draw(st.sampled_from([frozenset(), *LOAD_KITS]))
        loaded = bool(needs) and draw(st.booleans())
        found.append(
            Variation(
                id=f"{exercise_id}-v{i}",
                name=f"Variation {i}",
                needs=needs,
                loads_hip=loaded,
                load_cap_bw=0.3 if loaded else 0.0,
            )
        )
    if draw(st.booleans()):
        bad = Variation(id="thigh-band", name="Thigh band", needs={E.MINI_BAND}, forbidden=True)
        found.insert(draw(st.integers(min_value=0, max_value=len(found))), bad)
    return tuple(found)


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """A user's catalogue: one to five exercises of any rank (ties included), support or floor."""
    count = draw(st.integers(min_value=1, max_value=5))
    exercises = []
    for i in range(count):
        ex_id = f"ex-{i}"
        exercises.append(
            Exercise(
                id=ex_id,
                name=f"Exercise {i}",
                unilateral=draw(st.booleans()),
                needs_support=draw(st.booleans()),
                rank=draw(st.integers(min_value=0, max_value=4)),
                variations=draw(variations(ex_id)),
            )
        )
    return Catalog(exercises=draw(st.permutations(exercises)))


def reachable_oracle(ladder: Ladder, kit: frozenset[Equipment]) -> set[Rung]:
    """Breadth-first search from the easiest rung through rungs the kit allows."""
    if not ladder.fits(ladder.easiest, kit):
        return set()
    seen = {ladder.easiest}
    todo = deque([ladder.easiest])
    while todo:
        for nxt in ladder.graph.successors(todo.popleft()):
            if nxt not in seen and ladder.fits(nxt, kit):
                seen.add(nxt)
                todo.append(nxt)
    return seen


ladders = st.one_of(st.just(LADDER), catalogs().map(Ladder))


@st.composite
def ladder_rung_kit(draw: st.DrawFn) -> tuple[Ladder, Rung, frozenset[Equipment]]:
    """A ladder (built-in or custom), one of its rungs, and a kit."""
    ladder = draw(ladders)
    rung = draw(st.sampled_from(sorted(ladder.graph.nodes, key=ladder.rank)))
    return ladder, rung, draw(hst.kits())


# --- the graph ---------------------------------------------------------------------------------------------


def test_default_ladder_is_acyclic_and_connected_from_the_easiest() -> None:
    """The built-in ladder is a DAG whose every rung is reachable from the glute bridge."""
    assert nx.is_directed_acyclic_graph(LADDER.graph)
    assert Rung(exercise="glute-bridge") == LADDER.easiest
    assert set(LADDER.graph.nodes) == nx.descendants(LADDER.graph, LADDER.easiest) | {LADDER.easiest}
    LADDER.check()


def test_default_ladder_nodes_are_the_catalogue_rungs() -> None:
    """The ladder holds exactly the prescribable rungs of the catalogue."""
    assert set(CATALOG.rungs()) == set(LADDER.graph.nodes)


def test_default_ladder_follows_the_domain_order() -> None:
    """Glute bridge -> single-leg glute bridge -> hip thrust -> SLHT bodyweight -> loaded SLHT."""
    assert list(BODYWEIGHT) == sorted(BODYWEIGHT, key=LADDER.rank)
    for easier, harder in itertools.pairwise(BODYWEIGHT):
        assert LADDER.graph.has_edge(easier, harder)
    for variation in ("banded", "dumbbell", "sandbag", "landmine"):
        assert LADDER.rank(slht("bodyweight")) < LADDER.rank(slht(variation))
        assert nx.has_path(LADDER.graph, slht("bodyweight"), slht(variation))


@given(ladders)
def test_every_ladder_is_a_chain(ladder: Ladder) -> None:
    """One rung leads up to another exactly when it ranks lower: no rung is a dead end below a harder one."""
    nodes = sorted(ladder.graph.nodes, key=ladder.rank)
    for i, low in enumerate(nodes):
        assert set(nodes[i + 1 :]) == nx.descendants(ladder.graph, low)


@given(ladders)
def test_every_ladder_is_acyclic_connected_and_edges_go_up(ladder: Ladder) -> None:
    """For any catalogue the ladder is a DAG connected from the easiest, and every edge goes up in rank."""
    assert nx.is_directed_acyclic_graph(ladder.graph)
    assert set(ladder.graph.nodes) == nx.descendants(ladder.graph, ladder.easiest) | {ladder.easiest}
    assert all(ladder.rank(a) < ladder.rank(b) for a, b in ladder.graph.edges)
    assert set(ladder.catalog.rungs()) == set(ladder.graph.nodes)
    assert all(not ladder.catalog.variation(r).forbidden for r in ladder.graph.nodes)


def test_default_ladder_is_built_once() -> None:
    """default_ladder() returns the same ladder every time."""
    assert default_ladder() is default_ladder()


# --- queries stay inside the kit ---------------------------------------------------------------------------


@given(ladders, hst.kits())
def test_reachable_stays_inside_the_kit(ladder: Ladder, kit: frozenset[Equipment]) -> None:
    """reachable() is exactly the allowed rungs that connect to the easiest through allowed rungs."""
    found = ladder.reachable(kit)
    assert all(ladder.fits(r, kit) for r in found)
    assert reachable_oracle(ladder, kit) == set(found)
    assert sorted(found, key=ladder.rank) == list(found)
    assert len(set(found)) == len(found)


@given(ladder_rung_kit())
def test_next_harder_is_harder_and_fits(case: tuple[Ladder, Rung, frozenset[Equipment]]) -> None:
    """next_harder() is None or an allowed rung above the given one: the easiest such descendant."""
    ladder, rung, kit = case
    harder = ladder.next_harder(rung, kit)
    above = [r for r in nx.descendants(ladder.graph, rung) if ladder.fits(r, kit)]
    if harder is None:
        assert not above
    else:
        assert ladder.fits(harder, kit)
        assert ladder.rank(rung) < ladder.rank(harder)
        assert harder == min(above, key=ladder.rank)


@given(ladder_rung_kit(), st.booleans())
def test_next_harder_within_or_beyond_the_exercise(case: tuple[Ladder, Rung, frozenset[Equipment]], same: bool) -> None:
    """same_exercise=True: the easiest harder variation of the same exercise; False: the easiest bodyweight rung
    of a harder exercise; both within the kit."""
    ladder, rung, kit = case
    harder = ladder.next_harder(rung, kit, same_exercise=same)
    above = [
        r
        for r in nx.descendants(ladder.graph, rung)
        if ladder.fits(r, kit)
        and (r.exercise == rung.exercise) == same
        and (same or r.variation == "bodyweight")
    ]
    assert harder == min(above, key=ladder.rank, default=None)


@given(ladder_rung_kit())
def test_next_easier_is_easier_and_fits(case: tuple[Ladder, Rung, frozenset[Equipment]]) -> None:
    """next_easier() is None or an allowed rung below the given one: the hardest such ancestor."""
    ladder, rung, kit = case
    easier = ladder.next_easier(rung, kit)
    below = [r for r in nx.ancestors(ladder.graph, rung) if ladder.fits(r, kit)]
    if easier is None:
        assert not below
    else:
        assert ladder.fits(easier, kit)
        assert ladder.rank(easier) < ladder.rank(rung)
        assert easier == max(below, key=ladder.rank)


@given(ladder_rung_kit())
def test_within_kit_keeps_the_exercise_and_fits(case: tuple[Ladder, Rung, frozenset[Equipment]]) -> None:
    """within_kit() is the rung if it fits, else an easier variation of the same exercise, or None."""
    ladder, rung, kit = case
    limited = ladder.within_kit(rung, kit)
    if ladder.fits(rung, kit):
        assert rung == limited
    elif limited is not None:
        assert rung.exercise == limited.exercise
        assert ladder.fits(limited, kit)
        assert ladder.rank(limited) < ladder.rank(rung)


@given(st.sampled_from(sorted(LADDER.graph.nodes, key=LADDER.rank)), hst.kits())
def test_within_kit_never_demotes_to_another_exercise(rung: Rung, kit: frozenset[Equipment]) -> None:
    """On the built-in ladder within_kit() is None exactly when the exercise needs a support the kit lacks."""
    limited = LADDER.within_kit(rung, kit)
    lacks_support = CATALOG[rung.exercise].needs_support and not (kit & Equipment.supports())
    assert lacks_support is (limited is None)


@given(st.sampled_from(sorted(LADDER.graph.nodes, key=LADDER.rank)), hst.kits())
def test_default_ladder_next_harder_is_the_next_fitting_rank(rung: Rung, kit: frozenset[Equipment]) -> None:
    """On the built-in chain next_harder/next_easier are the nearest fitting rungs by rank, up and down."""
    fitting = sorted((r for r in LADDER.graph.nodes if LADDER.fits(r, kit)), key=LADDER.rank)
    up = [r for r in fitting if LADDER.rank(r) > LADDER.rank(rung)]
    down = [r for r in fitting if LADDER.rank(r) < LADDER.rank(rung)]
    assert (up[0] if up else None) == LADDER.next_harder(rung, kit)
    assert (down[-1] if down else None) == LADDER.next_easier(rung, kit)


# --- examples ----------------------------------------------------------------------------------------------

GYM = frozenset({E.BENCH, E.BARBELL, E.LANDMINE, E.DUMBBELL, E.BAND})


def floor(*variations: str) -> tuple[Rung, ...]:
    """The floor bridges (two legs, then one) in the given variations, easiest first."""
    return tuple(
        Rung(exercise=exercise, variation=v)
        for exercise in ("glute-bridge", "single-leg-glute-bridge")
        for v in variations
    )


@pytest.mark.parametrize(
    ("kit", "expected"),
    [
        (frozenset(), FLOOR),
        (frozenset({E.SANDBAG, E.DUMBBELL}), (*floor("bodyweight", "dumbbell", "sandbag"),)),
        (frozenset({E.COUCH}), BODYWEIGHT),
        (frozenset({E.COUCH, E.BAND}), (*BODYWEIGHT, slht("banded"))),
        (
            frozenset({E.BOX, E.SANDBAG}),
            (*floor("bodyweight", "sandbag"), Rung(exercise="hip-thrust"), slht("bodyweight"), slht("sandbag")),
        ),
        (frozenset({E.BENCH, E.BARBELL}), BODYWEIGHT),
        (
            GYM,
            (
                *floor("bodyweight", "dumbbell"),
                Rung(exercise="hip-thrust"),
                *(slht(v) for v in ("bodyweight", "banded", "dumbbell", "landmine")),
            ),
        ),
        (
            frozenset(E),
            (
                *floor("bodyweight", "dumbbell", "sandbag"),
                Rung(exercise="hip-thrust"),
                *(slht(v) for v in ("bodyweight", "banded", "dumbbell", "sandbag", "landmine")),
            ),
        ),
    ],
    ids=[
        "nothing",
        "load-no-support",
        "couch",
        "hotel",
        "box-sandbag",
        "bar-no-landmine",
        "gym",
        "everything",
    ],
)
def test_reachable_examples(kit: frozenset[Equipment], expected: tuple[Rung, ...]) -> None:
    """What each kit reaches, easiest first: no support, floor bridges only; loads need their implements."""
    assert expected == LADDER.reachable(kit)


def test_next_harder_and_easier_examples() -> None:
    """Up and down the ladder with a given kit, with None at both ends."""
    assert slht("sandbag") == LADDER.next_harder(slht("bodyweight"), {E.BENCH, E.SANDBAG})
    assert slht("landmine") == LADDER.next_harder(slht("banded"), GYM - {E.DUMBBELL})
    assert LADDER.next_harder(slht("landmine"), frozenset(E)) is None
    assert LADDER.next_easier(Rung(exercise="glute-bridge"), frozenset(E)) is None
    assert slht("bodyweight") == LADDER.next_easier(slht("landmine"), {E.BENCH})
    assert FLOOR[1] == LADDER.next_easier(slht("landmine"), frozenset())
    assert FLOOR[1] == LADDER.next_harder(FLOOR[0], frozenset())


def test_within_kit_examples() -> None:
    """A session without the implement gets the same exercise with what it has; without a support, nothing."""
    assert slht("landmine") == LADDER.within_kit(slht("landmine"), GYM)
    assert slht("bodyweight") == LADDER.within_kit(slht("landmine"), {E.COUCH})
    assert slht("banded") == LADDER.within_kit(slht("landmine"), {E.COUCH, E.BAND})
    assert LADDER.within_kit(slht("bodyweight"), {E.SANDBAG}) is None
    assert FLOOR[0] == LADDER.within_kit(FLOOR[0], frozenset())


@pytest.mark.parametrize(
    "rung",
    [Rung(exercise="deadlift"), slht("mini-band"), slht("kettlebell")],
    ids=["unknown-exercise", "mini-band", "unknown-variation"],
)
def test_queries_refuse_rungs_off_the_ladder(rung: Rung) -> None:
    """Rank and the harder/easier queries refuse a rung that is not on the ladder, naming it."""
    for query in (LADDER.rank, lambda r: LADDER.next_harder(r, GYM), lambda r: LADDER.next_easier(r, GYM)):
        with pytest.raises(InvalidInput, match=rung.variation if rung.exercise == SLHT else rung.exercise):
            query(rung)


# --- custom catalogues and broken graphs -------------------------------------------------------------------

DEFICIT = Exercise(
    id="deficit-single-leg-hip-thrust",
    name="Deficit single-leg hip thrust",
    unilateral=True,
    needs_support=True,
    rank=4,
    variations=(
        Variation(id="bodyweight", name="Bodyweight"),
        Variation(id="sandbag", name="Sandbag", needs={E.SANDBAG}, loads_hip=True, load_cap_bw=0.3),
    ),
)


def test_custom_catalogue_with_an_extra_exercise() -> None:
    """An extra, harder exercise in a user's catalogue sits above the SLHT and the ladder stays sound."""
    ladder = Ladder(Catalog(exercises=(*CATALOG.values(), DEFICIT)))
    ladder.check()
    deficit = Rung(exercise=DEFICIT.id)
    assert Rung(exercise="glute-bridge") == ladder.easiest
    assert deficit == ladder.next_harder(slht("bodyweight"), {E.BENCH})
    assert deficit == ladder.next_harder(slht("landmine"), frozenset(E))
    assert Rung(exercise=DEFICIT.id, variation="sandbag") in ladder.reachable({E.BOX, E.SANDBAG})
    assert DEFICIT.id not in {r.exercise for r in ladder.reachable({E.SANDBAG})}


def test_custom_catalogue_with_a_tied_rank() -> None:
    """Two exercises of the same rank are ordered by id, and every rung is still reachable."""
    twin = Exercise(
        id="a-floor-bridge",
        name="Another floor bridge",
        unilateral=False,
        needs_support=False,
        rank=0,
        variations=(Variation(id="bodyweight", name="Bodyweight"),),
    )
    ladder = Ladder(Catalog(exercises=(*CATALOG.values(), twin)))
    assert Rung(exercise="a-floor-bridge") == ladder.easiest
    assert len(list(ladder.catalog.rungs())) == len(ladder.reachable(frozenset(E)))


def test_check_rejects_a_cycle() -> None:
    """A graph in which some rung is both easier and harder than another is refused."""
    ladder = Ladder()
    ladder.graph.add_edge(slht("landmine"), Rung(exercise="hip-thrust"))
    with pytest.raises(InvalidInput, match="cycle"):
        ladder.check()


def test_check_rejects_an_unreachable_rung() -> None:
    """A rung that cannot be reached from the easiest is refused, and the message names it."""
    ladder = Ladder()
    ladder.graph.add_node(Rung(exercise="island"))
    with pytest.raises(InvalidInput, match="island/bodyweight"):
        ladder.check()
