"""Hypothesis strategies for hipplan's public types, valid by construction.

Use them in your own property tests (needs ``hipplan[hypothesis]``)::

    from hypothesis import given
    from hipplan import strategies as hst

    @given(hst.athletes(), hst.weeks())
    def test_my_app_never_crashes(athlete, week): ...
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .athlete import Athlete, Place, Session
from .catalog import CATALOG, Catalog
from .dose import Dose, Performed
from .exercises import Rung
from .vocabulary import Equipment, Focus, Goal, Level, Lift, Role, Side, Unit

__all__ = [
    "athletes",
    "doses",
    "equipment_sets",
    "kits",
    "performed_sets",
    "places",
    "rungs",
    "session_names",
    "sessions",
    "weeks",
]

_GYM = frozenset({Equipment.BENCH, Equipment.BARBELL, Equipment.LANDMINE, Equipment.DUMBBELL, Equipment.BAND})
_HOME = frozenset({Equipment.COUCH})
_HOTEL = frozenset({Equipment.COUCH, Equipment.BAND})


def equipment_sets() -> st.SearchStrategy[frozenset[Equipment]]:
    """Any set of equipment, the forbidden mini band included (it must never be prescribed)."""
    return st.frozensets(st.sampled_from(list(Equipment)))


def kits() -> st.SearchStrategy[frozenset[Equipment]]:
    """Realistic kits (gym, home, hotel, nothing) mixed with arbitrary ones."""
    return st.one_of(st.sampled_from([_GYM, _HOME, _HOTEL, frozenset()]), equipment_sets())


def rungs(catalog: Catalog = CATALOG) -> st.SearchStrategy[Rung]:
    """A prescribable place on the ladder of ``catalog``."""
    return st.sampled_from(list(catalog.rungs()))


def places() -> st.SearchStrategy[Place]:
    """A named place with its kit."""
    return st.builds(Place, name=st.sampled_from(["home", "gym", "office", "hotel"]), equipment=kits())


def athletes(*, levels: st.SearchStrategy[Level] | None = None) -> st.SearchStrategy[Athlete]:
    """An athlete with any level, bodyweight, rung and preferences."""
    return st.builds(
        Athlete,
        level=levels if levels is not None else st.sampled_from(list(Level)),
        bodyweight_kg=st.none() | st.floats(min_value=40, max_value=150).map(lambda x: round(x, 1)),
        rung=st.none() | rungs(),
        unit=st.sampled_from(list(Unit)),
        goal=st.sampled_from(list(Goal)),
        weaker_side=st.none() | st.sampled_from(list(Side)),
        prefer_roles=st.frozensets(st.sampled_from(list(Role)), max_size=2),
        avoid_variations=st.frozensets(
            st.sampled_from(["banded", "dumbbell", "sandbag", "landmine"]), max_size=2
        ),
        exposures_per_week=st.none() | st.integers(min_value=1, max_value=3),
    )


def session_names() -> st.SearchStrategy[str]:
    """Session names, including awkward ones (markup, quotes, non-ASCII)."""
    plain = st.sampled_from(["Mon squat", "Tue upper", "Thu pull", "Sat home", "Sun run", "Wed gym"])
    odd = st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20
    ).filter(lambda s: bool(s.strip()))
    return st.one_of(plain, odd, st.just("<script>alert(1)</script>"))


def sessions(*, name: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Session]:
    """One session of any focus, lifts, kit and time budget."""
    return st.builds(
        Session,
        name=name if name is not None else session_names(),
        weekday=st.integers(min_value=0, max_value=6),
        focus=st.sampled_from(list(Focus)),
        lifts=st.frozensets(st.sampled_from(list(Lift)), max_size=3),
        equipment=kits(),
        minutes=st.none() | st.integers(min_value=5, max_value=120),
    )


def weeks(*, min_size: int = 0, max_size: int = 6) -> st.SearchStrategy[tuple[Session, ...]]:
    """A week of sessions with unique names, in weekday order (an empty week is a week off)."""

    def build(draw: Any) -> tuple[Session, ...]:
        names = draw(st.lists(session_names(), min_size=min_size, max_size=max_size, unique=True))
        week = [draw(sessions(name=st.just(n))) for n in names]
        return tuple(sorted(week, key=lambda s: s.weekday))

    return st.composite(lambda draw: build(draw))()


def doses(*, max_load_kg: float = 60.0) -> st.SearchStrategy[Dose]:
    """A prescription within sensible bounds."""
    return st.builds(
        Dose,
        sets=st.integers(min_value=1, max_value=5),
        reps=st.integers(min_value=1, max_value=20),
        load_kg=st.just(0.0) | st.integers(min_value=1, max_value=int(max_load_kg * 2)).map(lambda x: x / 2),
        pause_s=st.sampled_from([0.0, 1.0, 2.0, 3.0]),
        lower_s=st.sampled_from([1.0, 2.0, 3.0]),
        rest_s=st.sampled_from([30, 45, 60, 90]),
        rir=st.none() | st.integers(min_value=0, max_value=4),
    )


def performed_sets(dose: Dose | None = None) -> st.SearchStrategy[Performed]:
    """One set as done, on either side, near the given dose when one is given."""
    reps = (
        st.integers(min_value=0, max_value=30)
        if dose is None
        else st.integers(min_value=max(0, dose.reps - 5), max_value=dose.reps + 5)
    )
    load = st.just(0.0) if dose is None else st.just(dose.load_kg)
    return st.builds(
        Performed,
        side=st.sampled_from(list(Side)),
        reps=reps,
        load_kg=load,
        pause_s=st.just(0.0) if dose is None else st.just(dose.pause_s),
        rir=st.none() | st.integers(min_value=0, max_value=5),
    )
