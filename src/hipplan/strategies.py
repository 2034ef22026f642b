"""Hypothesis strategies for hipplan's public types, valid by construction.

Use them in your own property tests (needs ``hipplan[hypothesis]``)::

    from hypothesis import given
    from hipplan import strategies as hst

    @given(hst.athletes(), hst.weeks())
    def test_my_app_never_crashes(athlete, week): ...

Every value drawn is one the library accepts: an athlete's working doses fit their variation's load cap, a
progression state sits on the ladder with a dose within its policy's caps, and a plan is one that
:func:`hipplan.plan` really made (travel weeks and weeks off included).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
from hypothesis import strategies as st

from .athlete import Athlete, Place, Session
from .catalog import CATALOG, Catalog
from .constraints import BuiltInRule, ForbidSession, PreferRole, RequireRole
from .dose import Dose, Performed
from .errors import InvalidInput
from .exercises import Cue, Exercise, Mistake, Rung, Variation
from .ladder import Ladder
from .limits import MAX_WEEKS
from .plan import Plan, Reason, Slot, Unplaced, WeekOverride
from .progression import (
    Change,
    ClimbExercise,
    Comeback,
    Deload,
    Engine,
    Lever,
    LoadedVariation,
    LoadStep,
    Log,
    Pause,
    Policy,
    Regression,
    RepRange,
    Sets,
    Start,
    Step,
    Tempo,
    TwoForTwo,
    Violation,
    WarmUp,
    WorkloadCap,
    makeable_loads,
)
from .request import PlanRequest
from .state import State, WorkingDose
from .units import BAND_LEVELS, Band, Kit, lb, rack
from .vocabulary import Equipment, Focus, Goal, Level, Lift, Role, Side, Unit

__all__ = [
    "athletes",
    "bands",
    "catalogs",
    "changes",
    "cues",
    "doses",
    "engines",
    "equipment_sets",
    "exercises",
    "kits",
    "ladders",
    "load_kits",
    "logged_doses",
    "mistakes",
    "performed_logs",
    "performed_sets",
    "places",
    "plans",
    "policies",
    "prescriptions",
    "reasons",
    "requests",
    "rules",
    "rungs",
    "session_names",
    "sessions",
    "slots",
    "states",
    "steps",
    "unplaced",
    "usable_weeks",
    "variations",
    "violations",
    "week_overrides",
    "weeks",
    "working_doses",
]

_GYM = frozenset({Equipment.BENCH, Equipment.BARBELL, Equipment.LANDMINE, Equipment.DUMBBELL, Equipment.BAND})
_HOME = frozenset({Equipment.COUCH})
_HOTEL = frozenset({Equipment.COUCH, Equipment.BAND})

_REFERENCE_BODYWEIGHT_KG = 70.0
"""The bodyweight load caps are worked out for when an athlete gives none (the default policy's reference)."""


def equipment_sets() -> st.SearchStrategy[frozenset[Equipment]]:
    """Any set of equipment, the forbidden mini band included (it must never be prescribed)."""
    return st.frozensets(st.sampled_from(list(Equipment)))


def kits() -> st.SearchStrategy[frozenset[Equipment]]:
    """Realistic kits (gym, home, hotel, nothing) mixed with arbitrary ones."""
    return st.one_of(st.sampled_from([_GYM, _HOME, _HOTEL, frozenset()]), equipment_sets())


def rungs(catalog: Catalog = CATALOG) -> st.SearchStrategy[Rung]:
    """A prescribable place on the ladder of ``catalog`` (never the forbidden mini band)."""
    return st.sampled_from(list(catalog.rungs()))


def places() -> st.SearchStrategy[Place]:
    """A named place with its kit."""
    return st.builds(Place, name=st.sampled_from(["home", "gym", "office", "hotel"]), equipment=kits())


# ----------------------------------------------------------------------------------------------------------
# Athletes and the doses they already work at
# ----------------------------------------------------------------------------------------------------------


def _kit_loads(variation: Variation, cap_kg: float, unit: Unit, kit: Kit | None = None) -> tuple[float, ...]:
    """The loads the athlete's kit (the usual kit of ``unit`` when None) makes on ``variation``, in kg, up to the
    cap; (0.0,) for a bodyweight variation."""
    if not variation.is_loaded:
        return (0.0,)
    return makeable_loads(variation, (kit or Kit()).resolved(unit), cap_kg=cap_kg).values


def _loadable(
    rung: Rung, bodyweight_kg: float | None, unit: Unit, kit: Kit | None = None
) -> tuple[float, ...]:
    variation = CATALOG.variation(rung)
    bodyweight = bodyweight_kg if bodyweight_kg is not None else _REFERENCE_BODYWEIGHT_KG
    return _kit_loads(variation, variation.load_cap_kg(bodyweight), unit, kit)


_WEIGHT_STEPS = {Unit.KG: (0.5, 1.0, 1.25, 2.0, 2.5, 5.0), Unit.LB: (1.0, 2.5, 5.0, 10.0)}


@st.composite
def _racks(draw: st.DrawFn, unit: Unit, low: float, high: float) -> tuple[float, ...]:
    step = draw(st.sampled_from(_WEIGHT_STEPS[unit]))
    first = step * draw(st.integers(min_value=1, max_value=max(1, int(low // step))))
    count = draw(st.integers(min_value=1, max_value=max(1, min(40, int((high - first) // step) + 1))))
    return rack(first, first + step * (count - 1), step)


@st.composite
def _load_kits(draw: st.DrawFn, unit: Unit | None) -> Kit:
    own = draw(st.sampled_from(list(Unit))) if unit is None else unit
    big = 2.2 if own is Unit.LB else 1.0
    bands = draw(st.lists(st.sampled_from(sorted(BAND_LEVELS[Unit.KG])), min_size=1, max_size=4, unique=True))
    return Kit(
        unit=draw(st.sampled_from([own, None])) if unit is not None else own,
        dumbbells=draw(st.none() | _racks(own, 5 * big, 50 * big)),
        bar=draw(st.none() | st.sampled_from([10.0, 15.0, 20.0] if own is Unit.KG else [15.0, 35.0, 45.0])),
        plates=draw(st.none() | st.lists(st.sampled_from(_WEIGHT_STEPS[own]), max_size=3).map(tuple)),
        bands=draw(st.none() | st.just(tuple(bands))),
        sandbag=draw(st.none() | _racks(own, 10 * big, 40 * big)),
    )


def bands() -> st.SearchStrategy[Band]:
    """A :class:`~hipplan.units.Band`: a usual level (its tension left to the unit), or a level with a tension."""
    usual = st.sampled_from(sorted(BAND_LEVELS[Unit.KG])).map(lambda level: Band(level=level))
    own = st.builds(
        Band,
        level=st.sampled_from(["red", "green", "blue", "black"]),
        tension=st.integers(min_value=1, max_value=80).map(float),
    )
    return usual | own


def load_kits(*, unit: Unit | None = None) -> st.SearchStrategy[Kit]:
    """A :class:`~hipplan.Kit` as a settings screen fills it in: some implements given (dumbbell racks of 1-40
    weights in kg or lb steps, bars, plate sizes, band levels, sandbag fills), the rest left to the unit's usual
    kit. With ``unit``, the kit is in that unit (or says no unit, taking the athlete's); else in either."""
    return _load_kits(unit)


@st.composite
def _working_dose(draw: st.DrawFn, rung: Rung, loads: tuple[float, ...]) -> WorkingDose:
    # Up to 4 sets (the default policy's cap) and 20 reps: a set of 20 at 3 s a rep is the minute-long cap.
    return WorkingDose(
        exercise=rung.exercise,
        variation=rung.variation,
        sets=draw(st.integers(min_value=1, max_value=4)),
        reps=draw(st.integers(min_value=5, max_value=20)),
        load_kg=draw(st.sampled_from(loads)),
    )


def working_doses(
    *,
    rung: Rung | None = None,
    bodyweight_kg: float | None = None,
    unit: Unit = Unit.KG,
    kit: Kit | None = None,
) -> st.SearchStrategy[WorkingDose]:
    """A dose an athlete already works at (:class:`~hipplan.WorkingDose`): where a plan starts.

    On ``rung`` when given, else on any rung of the ladder (never the mini band). 1-4 sets of 5-20 reps a side;
    no load on a bodyweight variation, and on a loaded one a load ``kit`` makes (the usual kit of ``unit`` when
    None) within the variation's cap for ``bodyweight_kg`` (70 kg, the default policy's reference, when None), as
    :func:`hipplan.plan` requires.
    """
    if rung is not None:
        CATALOG.check_rung(rung)
        loads = _loadable(rung, bodyweight_kg, unit, kit)
        if not loads:
            raise InvalidInput(
                f"working_doses(): no load the kit makes fits under the cap of {rung} for this bodyweight"
                f" (got bodyweight_kg={bodyweight_kg!r})",
                field="bodyweight_kg",
            )
        return _working_dose(rung, loads)
    options = [(r, loads) for r in CATALOG.rungs() if (loads := _loadable(r, bodyweight_kg, unit, kit))]
    return st.sampled_from(options).flatmap(lambda pair: _working_dose(*pair))


@st.composite
def _athletes(draw: st.DrawFn, levels: st.SearchStrategy[Level] | None, working: bool | None) -> Athlete:
    unit = draw(st.sampled_from(list(Unit)))
    in_kg = st.floats(min_value=40, max_value=150).map(lambda x: round(x, 1))
    in_lb = st.integers(min_value=89, max_value=330).map(lambda x: lb(x))
    bodyweight = draw(st.none() | (in_lb if unit is Unit.LB else in_kg))
    kit = draw(st.none() | load_kits(unit=unit))
    resolved = (kit or Kit()).resolved(unit)
    carries = draw(st.integers(min_value=0, max_value=2)) == 0 if working is None else working
    doses: list[WorkingDose] = []
    if carries:
        options = [r for r in CATALOG.rungs() if _loadable(r, bodyweight, unit, resolved)]
        chosen = draw(st.lists(st.sampled_from(options), min_size=1, max_size=3, unique=True))
        doses = [
            draw(working_doses(rung=r, bodyweight_kg=bodyweight, unit=unit, kit=resolved)) for r in chosen
        ]
    return Athlete(
        level=draw(levels if levels is not None else st.sampled_from(list(Level))),
        bodyweight_kg=bodyweight,
        rung=draw(st.none() | rungs()),
        unit=unit,
        goal=draw(st.sampled_from(list(Goal))),
        weaker_side=draw(st.none() | st.sampled_from(list(Side))),
        prefer_roles=draw(st.frozensets(st.sampled_from(list(Role)), max_size=2)),
        avoid_variations=draw(
            st.frozensets(st.sampled_from(["banded", "dumbbell", "sandbag", "landmine"]), max_size=2)
        ),
        exposures_per_week=draw(st.none() | st.integers(min_value=1, max_value=3)),
        working=tuple(doses),
        loads=kit,
    )


def athletes(
    *, levels: st.SearchStrategy[Level] | None = None, working: bool | None = None
) -> st.SearchStrategy[Athlete]:
    """An athlete with any level, bodyweight (whole pounds for a pound athlete), unit, kit, rung and preferences.

    About one in three carries ``working`` doses (one per rung, each within its variation's cap for the
    athlete's bodyweight); ``working=True`` always gives at least one, ``working=False`` never any.
    """
    return _athletes(levels, working)


# ----------------------------------------------------------------------------------------------------------
# Sessions and weeks
# ----------------------------------------------------------------------------------------------------------


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


@st.composite
def _doses(draw: st.DrawFn, max_load_kg: float) -> Dose:
    pause = draw(st.sampled_from([0.0, 1.0, 2.0, 3.0]))
    lower = draw(st.sampled_from([1.0, 2.0, 3.0, 4.0]))
    most = min(15, math.floor(60.0 / (1 + pause + lower)))
    load = 0.0
    if max_load_kg > 0:
        load = draw(
            st.just(0.0) | st.integers(min_value=1, max_value=int(max_load_kg * 2)).map(lambda x: x / 2)
        )
    return Dose(
        sets=draw(st.integers(min_value=1, max_value=4)),
        reps=draw(st.integers(min_value=1, max_value=most)),
        load_kg=load,
        pause_s=pause,
        lower_s=lower,
        rest_s=draw(st.sampled_from([30, 45, 60, 90])),
        rir=draw(st.none() | st.integers(min_value=0, max_value=4)),
    )


def doses(*, max_load_kg: float = 0.0) -> st.SearchStrategy[Dose]:
    """A prescription within the default policy's caps: up to 4 sets of 15 a side, a 3 s pause, 4 s lowering, and
    no set longer than a minute a side.

    Bodyweight by default; give ``max_load_kg`` for loaded doses (in 0.5 kg steps), and keep it under the cap of
    the variation you pair them with.
    """
    return _doses(max_load_kg)


def performed_sets(dose: Dose | None = None) -> st.SearchStrategy[Performed]:
    """One set as done, on either side or (as a two-leg set) without one, near the given dose when one is given."""
    reps = (
        st.integers(min_value=0, max_value=30)
        if dose is None
        else st.integers(min_value=max(0, dose.reps - 5), max_value=dose.reps + 5)
    )
    load = st.just(0.0) if dose is None else st.just(dose.load_kg)
    return st.builds(
        Performed,
        side=st.none() | st.sampled_from(list(Side)),
        reps=reps,
        load_kg=load,
        pause_s=st.just(0.0) if dose is None else st.just(dose.pause_s),
        rir=st.none() | st.integers(min_value=0, max_value=5),
    )


def usable_weeks(*, min_size: int = 1, max_size: int = 5) -> st.SearchStrategy[tuple[Session, ...]]:
    """A week in which at least one session can host a single-leg hip thrust (a support surface and a lower-body,
    full-body or circuit focus), so that plans exist for most athletes."""
    if not 1 <= min_size <= max_size:
        raise InvalidInput(
            f"usable_weeks() needs 1 <= min_size <= max_size: a usable week has at least the session that can"
            f" host the exercise (got min_size={min_size}, max_size={max_size})",
            field="min_size",
        )
    host = st.builds(
        Session,
        name=st.just("Host"),
        weekday=st.integers(min_value=0, max_value=6),
        focus=st.sampled_from([Focus.LOWER, Focus.FULL_BODY, Focus.CIRCUIT]),
        lifts=st.frozensets(st.sampled_from([Lift.SQUAT, Lift.DEADLIFT, Lift.LUNGE]), max_size=2),
        equipment=st.sampled_from([_GYM, _HOME, _HOTEL]),
        minutes=st.none() | st.integers(min_value=20, max_value=90),
    )

    def merge(pair: tuple[Session, tuple[Session, ...]]) -> tuple[Session, ...]:
        first, rest = pair
        others = tuple(s for s in rest if s.name != first.name)
        return tuple(sorted((first, *others), key=lambda s: s.weekday))

    return st.tuples(host, weeks(min_size=min_size - 1, max_size=max_size - 1)).map(merge)


# ----------------------------------------------------------------------------------------------------------
# Plans
# ----------------------------------------------------------------------------------------------------------

_LABELS = ["", "travel", "holiday", "hotel week", "week off"]


@st.composite
def _overrides(draw: st.DrawFn, weeks_planned: int, most: int) -> tuple[WeekOverride, ...]:
    """Weeks that differ from the usual one: weeks off (no sessions) and travel weeks with other sessions."""
    chosen = draw(
        st.lists(
            st.integers(min_value=1, max_value=weeks_planned), max_size=min(most, weeks_planned), unique=True
        )
    )
    found: list[WeekOverride] = []
    for week in sorted(chosen):
        kind = draw(st.sampled_from(["off", "travel", "travel", "any"]))
        sessions: tuple[Session, ...] = ()
        if kind == "travel":
            sessions = draw(usable_weeks(max_size=3))
        elif kind == "any":
            # Any week at all: one without a support surface may leave no plan (the strategy then tries again).
            sessions = draw(weeks(max_size=3))
        found.append(WeekOverride(week=week, sessions=sessions, label=draw(st.sampled_from(_LABELS))))
    return tuple(found)


@st.composite
def _plans(draw: st.DrawFn, max_weeks: int, max_overrides: int) -> Plan:
    from hypothesis import assume

    from .errors import Infeasible
    from .planner import plan

    athlete = draw(athletes())
    week = draw(usable_weeks())
    n = draw(st.integers(min_value=1, max_value=max_weeks))
    changed = draw(_overrides(n, max_overrides)) if max_overrides else ()
    overrides: Sequence[WeekOverride] | Mapping[int, Sequence[Session]] = changed
    if changed and all(not o.label for o in changed) and draw(st.booleans()):
        overrides = {o.week: o.sessions for o in changed}  # plan() takes a mapping of week to sessions too
    try:
        return plan(athlete, week, n, overrides=overrides)
    except Infeasible:
        assume(False)
        raise  # pragma: no cover - assume(False) has already stopped this example


def plans(*, max_weeks: int = 6, max_overrides: int = 2) -> st.SearchStrategy[Plan]:
    """A real :class:`~hipplan.Plan`, made by :func:`hipplan.plan` from a random athlete (working doses
    included) and usable week, with up to ``max_overrides`` changed weeks: weeks off and travel weeks.

    The plan holds everything its slots came from (``plan.athlete``, ``plan.sessions_for(week)``): enough to
    feed each slot back to :func:`hipplan.progress` and check that the loop closes.
    """
    if isinstance(max_weeks, bool) or not isinstance(max_weeks, int) or not 1 <= max_weeks <= MAX_WEEKS:
        raise InvalidInput(
            f"plans() needs max_weeks from 1 to {MAX_WEEKS} (got {max_weeks!r})", field="max_weeks"
        )
    if isinstance(max_overrides, bool) or not isinstance(max_overrides, int) or max_overrides < 0:
        raise InvalidInput(
            f"plans() needs max_overrides of 0 or more (got {max_overrides!r})", field="max_overrides"
        )
    return _plans(max_weeks, max_overrides)


def slots(*, max_weeks: int = 4) -> st.SearchStrategy[Slot]:
    """A real :class:`~hipplan.Slot`: one of the slots of a plan from :func:`plans` (its state included)."""
    return (
        plans(max_weeks=max_weeks).filter(lambda p: bool(p.slots)).flatmap(lambda p: st.sampled_from(p.slots))
    )


def week_overrides(*, max_week: int = 52) -> st.SearchStrategy[WeekOverride]:
    """A changed week: a week off (no sessions) or another week of sessions, with a label."""
    if isinstance(max_week, bool) or not isinstance(max_week, int) or not 1 <= max_week <= MAX_WEEKS:
        raise InvalidInput(
            f"week_overrides() needs max_week from 1 to {MAX_WEEKS} (got {max_week!r})", field="max_week"
        )
    return st.builds(
        WeekOverride,
        week=st.integers(min_value=1, max_value=max_week),
        sessions=weeks(),
        label=st.sampled_from(["", "travel", "holiday", "hotel room with a couch"]),
    )


# ----------------------------------------------------------------------------------------------------------
# The catalogue, plan requests and what a plan says
# ----------------------------------------------------------------------------------------------------------


def exercises(catalog: Catalog = CATALOG) -> st.SearchStrategy[Exercise]:
    """An exercise of ``catalog``, with its variations, cues and mistakes."""
    return st.sampled_from(list(catalog.exercises))


def variations(catalog: Catalog = CATALOG) -> st.SearchStrategy[Variation]:
    """A variation of an exercise of ``catalog``, the forbidden mini band included (it is a catalogue value)."""
    return st.sampled_from([var for ex in catalog.exercises for var in ex.variations])


def cues(catalog: Catalog = CATALOG) -> st.SearchStrategy[Cue]:
    """A coaching cue of ``catalog``."""
    return st.sampled_from([cue for ex in catalog.exercises for cue in ex.cues])


def mistakes(catalog: Catalog = CATALOG) -> st.SearchStrategy[Mistake]:
    """A common mistake, with its fix, from ``catalog``."""
    return st.sampled_from([m for ex in catalog.exercises for m in ex.mistakes])


def catalogs() -> st.SearchStrategy[Catalog]:
    """A catalogue of one or more of the built-in exercises (a user's smaller catalogue)."""
    return st.lists(exercises(), min_size=1, unique_by=lambda ex: ex.id).map(
        lambda found: Catalog(exercises=tuple(found))
    )


def ladders() -> st.SearchStrategy[Ladder]:
    """The ladder of a catalogue from :func:`catalogs`."""
    return catalogs().map(Ladder)


def engines() -> st.SearchStrategy[Engine]:
    """A progression engine: any valid policy, kit, bodyweight and goal."""
    return st.builds(
        Engine,
        policy=policies(),
        kit=st.none() | kits(),
        bodyweight_kg=st.none() | st.floats(min_value=40, max_value=150).map(lambda kg: round(kg, 1)),
        goal=st.sampled_from(list(Goal)),
        loads=st.none() | load_kits(),
    )


@st.composite
def _requests(draw: st.DrawFn, max_weeks: int) -> PlanRequest:
    week = draw(usable_weeks())
    n = draw(st.integers(min_value=1, max_value=max_weeks))
    names = [s.name for s in week]
    rules: list[BuiltInRule] = []
    if draw(st.booleans()):
        rules.append(
            RequireRole(session=draw(st.sampled_from(names)), role=draw(st.sampled_from(list(Role))))
        )
    if draw(st.booleans()):
        rules.append(ForbidSession(session=draw(st.sampled_from(names))))
    if draw(st.booleans()):
        rules.append(PreferRole(role=draw(st.sampled_from(list(Role)))))
    monday = draw(st.none() | st.dates(min_value=dt.date(2020, 1, 6), max_value=dt.date(2040, 1, 2)))
    return PlanRequest(
        athlete=draw(athletes()),
        sessions=week,
        weeks=n,
        start=None if monday is None else monday - dt.timedelta(days=monday.weekday()),
        overrides=draw(_overrides(n, 2)),
        constraints=tuple(rules),
    )


def requests(*, max_weeks: int = 8) -> st.SearchStrategy[PlanRequest]:
    """A plan request as an app sends one: an athlete, a usable week, up to ``max_weeks`` weeks, weeks off or
    away, a start Monday or none, and user rules that name the week's own sessions. Planning it gives a plan
    or :class:`~hipplan.Infeasible` (a required role a session cannot hold), never :class:`~hipplan.InvalidInput`."""
    if isinstance(max_weeks, bool) or not isinstance(max_weeks, int) or not 1 <= max_weeks <= MAX_WEEKS:
        raise InvalidInput(
            f"requests() needs max_weeks from 1 to {MAX_WEEKS} (got {max_weeks!r})", field="max_weeks"
        )
    return _requests(max_weeks)


def reasons() -> st.SearchStrategy[Reason]:
    """A reason a real plan gives for a slot, a session left empty, or the plan as a whole."""
    return plans(max_weeks=3).flatmap(
        lambda p: st.sampled_from(
            [*p.notes, *(r for s in p.slots for r in s.reasons), *(r for u in p.unplaced for r in u.reasons)]
        )
    )


def unplaced() -> st.SearchStrategy[Unplaced]:
    """A session a real plan left without a slot, with its reasons."""
    return (
        plans(max_weeks=3).filter(lambda p: bool(p.unplaced)).flatmap(lambda p: st.sampled_from(p.unplaced))
    )


def changes() -> st.SearchStrategy[Change]:
    """What a progression rule proposes: a next dose, its words, and sometimes a new rung."""
    return st.builds(
        Change,
        dose=doses(max_load_kg=40),
        text=st.sampled_from(
            ["Two more reps.", "Load up a step.", "A lighter week.", "Hold: the reps fell short."]
        ),
        rung=st.none() | rungs(),
    )


def violations() -> st.SearchStrategy[Violation]:
    """A broken invariant as :func:`hipplan.check_progression` reports one."""
    return st.builds(
        Violation,
        rule=st.sampled_from(["cap.reps", "cap.load", "cap.sets", "warm_up.grows", "deload.lighter"]),
        index=st.integers(min_value=0, max_value=MAX_WEEKS),
        message=st.sampled_from(["16 reps is over the cap of 15", "a warm-up must not progress (reps)"]),
    )


# ----------------------------------------------------------------------------------------------------------
# Progression: policies, rules, prescriptions, states, steps and logs
# ----------------------------------------------------------------------------------------------------------


@st.composite
def _policies(draw: st.DrawFn) -> Policy:
    low = draw(st.integers(min_value=2, max_value=15))
    high = draw(st.integers(min_value=low + 1, max_value=min(50, low + 15)))
    strength_low = draw(st.integers(min_value=2, max_value=12))
    strength_high = draw(st.integers(min_value=strength_low + 1, max_value=min(50, strength_low + 10)))
    pause_max = draw(st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0]))
    tempo_max = draw(st.sampled_from([x for x in (2.0, 3.0, 4.0, 5.0) if 1 + pause_max + x <= 9.0]))
    max_rep = draw(st.floats(min_value=1 + pause_max + tempo_max, max_value=9.9).map(lambda x: round(x, 1)))
    max_rep = max(max_rep, 1 + pause_max + tempo_max)
    # A first dose (the bottom of either range, 3 s a rep) must fit in a set.
    shortest_set = max(10.0, 3.0 * max(low, strength_low))
    max_set = draw(
        st.sampled_from([s for s in (60.0, 45.0, 90.0, 120.0) if s >= shortest_set] or [shortest_set])
        | st.floats(min_value=shortest_set, max_value=180).map(lambda x: max(shortest_set, round(x, 1)))
    )
    warm_max_sets = draw(st.integers(min_value=1, max_value=3))
    warm_pause = draw(st.sampled_from([x for x in (0.0, 1.0, 2.0) if x <= pause_max]))
    warm_fits = math.floor(max_set / (1 + warm_pause + min(2.0, tempo_max)))
    warm_max_reps = draw(st.integers(min_value=1, max_value=max(1, min(20, high, warm_fits))))
    levels = st.tuples(*(st.integers(min_value=1, max_value=5) for _ in range(3)))
    resume_max = draw(st.integers(min_value=0, max_value=3))
    return Policy(
        reps=RepRange(
            low=low,
            high=high,
            strength_low=strength_low,
            strength_high=strength_high,
            step=draw(st.integers(min_value=1, max_value=3)),
            two_leg_step=draw(st.integers(min_value=1, max_value=4)),
        ),
        pause=Pause(step_s=draw(st.sampled_from([0.5, 1.0, 2.0])), max_s=pause_max),
        tempo=Tempo(
            step_s=draw(st.sampled_from([0.5, 1.0])), max_s=tempo_max, max_rep_s=max_rep, max_set_s=max_set
        ),
        sets=Sets(
            step=draw(st.integers(min_value=1, max_value=2)), max=draw(st.integers(min_value=1, max_value=6))
        ),
        climb=ClimbExercise(enabled=draw(st.booleans()), after=draw(st.integers(min_value=1, max_value=3))),
        loaded=LoadedVariation(enabled=draw(st.booleans())),
        load=LoadStep(
            step_kg=draw(st.none() | st.sampled_from([1.0, 1.25, 2.5, 5.0])),
            max_fraction=draw(st.sampled_from([0.02, 0.05, 0.1, 0.2])),
        ),
        two_for_two=TwoForTwo(
            margin=draw(st.integers(min_value=1, max_value=4)),
            sessions=draw(st.integers(min_value=1, max_value=3)),
        ),
        deload=Deload(
            # Every 4-6 training weeks mostly (DOMAIN.md), but any valid cadence, or none, now and then.
            every=draw(
                st.one_of(
                    st.integers(min_value=4, max_value=6),
                    st.integers(min_value=4, max_value=6),
                    st.integers(min_value=4, max_value=6),
                    st.none(),
                    st.integers(min_value=2, max_value=26),
                )
            ),
            after_misses=draw(st.none() | st.integers(min_value=1, max_value=4)),
            volume_cut=draw(st.sampled_from([0.1, 0.3, 0.4, 0.5, 0.6, 0.9])),
            load_cut=draw(st.sampled_from([0.0, 0.0, 0.1, 0.2])),
            rir_added=draw(st.integers(min_value=0, max_value=3)),
        ),
        comeback=Comeback(
            resume_max=resume_max,
            step_back_max=draw(st.integers(min_value=resume_max, max_value=resume_max + 6)),
            far_keep=draw(st.sampled_from([0.75, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 0.3])),
        ),
        growth=WorkloadCap(max_growth=draw(st.sampled_from([0.05, 0.1, 0.15, 0.25]))),
        regression=Regression(after_misses=draw(st.integers(min_value=1, max_value=5))),
        warm_up=WarmUp(
            sets=draw(st.integers(min_value=1, max_value=warm_max_sets)),
            max_sets=warm_max_sets,
            reps=draw(st.integers(min_value=1, max_value=warm_max_reps)),
            max_reps=warm_max_reps,
            rir=draw(st.integers(min_value=2, max_value=6)),
            pause_s=warm_pause,
        ),
        start=Start(
            finisher_sets=draw(levels),
            circuit_sets=draw(levels),
            rir=draw(st.tuples(*(st.integers(min_value=0, max_value=4) for _ in range(3)))),
        ),
        reference_bodyweight_kg=draw(st.sampled_from([50.0, 60.0, 70.0, 80.0, 100.0])),
    )


def policies(*, default: bool = False) -> st.SearchStrategy[Policy]:
    """Valid progression policies with any figures (or, with ``default=True``, just the defaults).

    Every rule's figures are drawn (the goals' rep ranges, the two-leg step, the minute-long set, the deload
    cadence, mostly every 4-6 training weeks, the way back after a break, ...), but never ``extra``: a policy
    drawn here is plain data and writes as JSON. Add your own rules with ``attrs.evolve(policy, extra=(...))``.
    """
    return st.just(Policy()) if default else st.one_of(st.just(Policy()), _policies())


def rules(policy: Policy | None = None) -> st.SearchStrategy[Lever]:
    """One built-in progression lever (a rule with a ``next(dose, log)`` method): one of ``policy`` 's when
    given, else from any valid policy."""
    source = st.just(policy) if policy is not None else policies()
    return source.flatmap(lambda p: st.sampled_from([*p.levers(), p.regression, p.warm_up]))


def _unilateral(rung: Rung) -> bool:
    return CATALOG[rung.exercise].unilateral


@st.composite
def _prescription(draw: st.DrawFn, policy: Policy, role: Role, rung: Rung, bodyweight_kg: float) -> Dose:
    variation = CATALOG.variation(rung)
    max_set = policy.tempo.max_set_s
    if role is Role.WARM_UP:
        w = policy.warm_up
        pause = draw(st.sampled_from([x for x in (0.0, 0.5, 1.0, 2.0) if x <= w.pause_s]))
        lower = draw(st.sampled_from([x for x in (1.0, 2.0, 3.0) if x <= policy.tempo.max_s]))
        fits = max(1, math.floor(max_set / (1 + pause + lower) + 1e-9))
        return Dose(
            sets=draw(st.integers(min_value=1, max_value=w.max_sets)),
            reps=draw(st.integers(min_value=1, max_value=min(w.max_reps, fits))),
            pause_s=pause,
            lower_s=lower,
            rest_s=draw(st.sampled_from([30, 45, 60])),
            rir=draw(st.integers(min_value=w.rir, max_value=10)),
        )
    pause = draw(st.sampled_from([x for x in (0.0, 1.0, 2.0, 3.0) if x <= policy.pause.max_s]))
    lower = draw(
        st.sampled_from(
            [
                x
                for x in (1.0, 2.0, 3.0, 4.0)
                if x <= policy.tempo.max_s and 1 + pause + x <= policy.tempo.max_rep_s
            ]
        )
    )
    load = 0.0
    if variation.is_loaded:
        step = variation.load_step_kg
        cap = variation.load_cap_kg(bodyweight_kg)
        steps = int(cap // step)
        load = round(step * draw(st.integers(min_value=1, max_value=max(1, steps))), 2)
        load = min(load, cap)
    fits = max(1, math.floor(max_set / (1 + pause + lower) + 1e-9))
    bottom = min(policy.reps.low, policy.reps.strength_low)
    top = max(policy.reps.high, policy.reps.strength_high)
    reps_max = min(top, fits)
    return Dose(
        sets=draw(st.integers(min_value=1, max_value=policy.sets.max)),
        reps=draw(st.integers(min_value=max(1, min(bottom - 2, reps_max)), max_value=reps_max)),
        load_kg=load,
        pause_s=pause,
        lower_s=lower,
        rest_s=draw(st.sampled_from([30, 45, 60, 90])),
        rir=draw(st.none() | st.integers(min_value=0, max_value=4)),
    )


def prescriptions(
    policy: Policy | None = None,
    *,
    role: Role = Role.FINISHER,
    rung: Rung | None = None,
    bodyweight_kg: float | None = None,
) -> st.SearchStrategy[Dose]:
    """Doses within every cap of ``policy`` (the defaults when None) for this role, rung and bodyweight: sets,
    pause, lowering, the rep time, the minute-long set and the variation's load cap.

    Without a rung the dose is unloaded; without a bodyweight, the policy's reference bodyweight sets the load
    cap.
    """
    policy = policy or Policy()
    rung = rung or Rung(exercise="single-leg-hip-thrust")
    bw = bodyweight_kg if bodyweight_kg is not None else policy.reference_bodyweight_kg
    return _prescription(policy, role, rung, bw)


def _top_of_range(policy: Policy, dose: Dose) -> int:
    """The fewest reps that count as the top of the range for some goal (the readiness streak needs them)."""
    low_top = min(policy.reps.high, policy.reps.strength_high)
    return min(low_top, max(1, policy.tempo.reps_within(dose)))


@st.composite
def _states(
    draw: st.DrawFn, policy: Policy | None, role: Role | None, rung: Rung | None, bodyweight_kg: float | None
) -> State:
    the_policy = policy if policy is not None else draw(policies())
    the_role = role if role is not None else draw(st.sampled_from(list(Role)))
    if rung is not None:
        the_rung = rung
    else:
        the_rung = draw(rungs())
        if the_role is Role.WARM_UP:
            the_rung = Rung(exercise=the_rung.exercise, variation="bodyweight")  # a warm-up is bodyweight
    bw = bodyweight_kg if bodyweight_kg is not None else the_policy.reference_bodyweight_kg
    dose = draw(_prescription(the_policy, the_role, the_rung, bw))
    exposures = draw(st.integers(min_value=0, max_value=60))
    if exposures == 0:
        return State(role=the_role, rung=the_rung, dose=dose)
    week = draw(st.integers(min_value=1, max_value=60))
    exposures = min(exposures, 7 * week)
    every = the_policy.deload.every
    longest = max(1, every - 1) if every is not None else 26
    # The last dose done on this rung: the working dose itself (held), the one a rep step below it (the last
    # exposure earned this one), or none (the rung changed since).
    back = dose.reps - the_policy.reps.step_for(the_rung)
    last = draw(st.sampled_from([dose, *([attrs.evolve(dose, reps=back)] if back >= 1 else []), None]))
    kind = draw(st.sampled_from(["none", "this", "earlier"] if week > 1 else ["none", "this"]))
    deload_week: int | None = None
    if kind == "this":
        # Just after a lighter week's exposure: the block starts again and no streak runs.
        return State(
            role=the_role,
            rung=the_rung,
            dose=dose,
            exposures=exposures,
            week=week,
            block=0,
            deload_week=week,
            last=last,
        )
    if kind == "earlier":
        deload_week = draw(st.integers(min_value=1, max_value=week - 1))
        block = draw(st.integers(min_value=1, max_value=max(1, min(week - deload_week, exposures, longest))))
    else:
        block = draw(st.integers(min_value=1, max_value=max(1, min(week, exposures, longest))))
    misses = draw(st.integers(min_value=0, max_value=min(exposures, the_policy.regression.after_misses - 1)))
    top = beat = 0
    if misses == 0:
        if dose.reps >= _top_of_range(the_policy, dose):
            top = draw(st.integers(min_value=0, max_value=min(exposures, the_policy.climb.after)))
        beat = draw(st.integers(min_value=0, max_value=min(exposures, the_policy.two_for_two.sessions)))
    after_misses = the_policy.deload.after_misses
    owed = after_misses is not None and misses >= after_misses
    return State(
        role=the_role,
        rung=the_rung,
        dose=dose,
        exposures=exposures,
        week=week,
        block=block,
        deload_week=deload_week,
        misses=misses,
        top=top,
        beat=beat,
        owed=owed,
        last=last,
    )


def states(
    policy: Policy | None = None,
    *,
    role: Role | None = None,
    rung: Rung | None = None,
    bodyweight_kg: float | None = None,
) -> st.SearchStrategy[State]:
    """A role's progression :class:`~hipplan.State` between two exposures, as an app would store it.

    Any role (a warm-up on a bodyweight rung) unless ``role`` is given; a rung of the ladder (never the mini band)
    unless ``rung`` is given; a working dose within every cap of ``policy`` (any valid policy when None) and the
    load cap for ``bodyweight_kg`` (the policy's reference when None). The counters agree with each other: a
    fresh state (no exposure yet), or one whose training weeks in the block, lighter week, missed targets,
    streaks and last dose done could follow from its exposures.
    """
    return _states(policy, role, rung, bodyweight_kg)


@st.composite
def _steps(draw: st.DrawFn, policy: Policy | None, role: Role | None) -> Step:
    the_policy = policy if policy is not None else draw(policies())
    bodyweight = draw(st.none() | st.floats(min_value=40, max_value=150).map(lambda x: round(x, 1)))
    state = draw(_states(the_policy, role, None, bodyweight))
    last = state.week if state.week is not None else 1
    week = last + draw(st.sampled_from([0, 1, 1, 1, 2, 3, 5]))
    engine = Engine(
        policy=the_policy,
        kit=draw(st.none() | kits()),
        bodyweight_kg=bodyweight,
        goal=draw(st.sampled_from(list(Goal))),
    )
    return engine.prescribe(state, week)


def steps(policy: Policy | None = None, *, role: Role | None = None) -> st.SearchStrategy[Step]:
    """A :class:`~hipplan.Step` as the progression engine prescribes it: from a drawn :func:`states` value, at an
    exposure in the same week, the week after (a lighter week when the block is done) or after a break.

    The step carries the state it came from (``step.state``), so it can be handed to :func:`hipplan.progress`.
    """
    return _steps(policy, role)


@st.composite
def _session_sets(draw: st.DrawFn, dose: Dose, unilateral: bool) -> tuple[Performed, ...]:
    """The sets of one session near ``dose``: targets met, beaten, or missed, sides even or not."""
    # A two-leg set is logged without a side (an app may still send one, which is allowed).
    sides: list[Side | None] = list(Side) if unilateral else [draw(st.none() | st.sampled_from(list(Side)))]
    kind = draw(st.sampled_from(["met", "beaten", "missed", "uneven", "any"]))
    done: list[Performed] = []
    base_sets = max(1, dose.sets + (draw(st.integers(min_value=-1, max_value=1)) if kind == "any" else 0))
    for i, side in enumerate(sides):
        sets = base_sets
        if kind == "uneven" and i == 1:
            sets = max(1, sets - draw(st.integers(min_value=0, max_value=1)))
        for _ in range(sets):
            if kind == "met":
                reps = dose.reps
            elif kind == "beaten":
                reps = dose.reps + draw(st.integers(min_value=0, max_value=4))
            elif kind == "missed":
                reps = dose.reps - draw(st.integers(min_value=1, max_value=4))
            elif kind == "uneven":
                reps = dose.reps + (draw(st.integers(min_value=-3, max_value=0)) if i else 0)
            else:
                reps = draw(st.integers(min_value=max(0, dose.reps - 5), max_value=dose.reps + 5))
            done.append(
                Performed(
                    side=side,
                    reps=min(100, max(0, reps)),
                    load_kg=dose.load_kg,
                    pause_s=dose.pause_s,
                    rir=draw(st.none() | st.integers(min_value=0, max_value=5)),
                )
            )
    return tuple(done)


@st.composite
def _logs(
    draw: st.DrawFn, dose: Dose | None, policy: Policy | None, role: Role | None, rung: Rung | None
) -> tuple[Dose, Log]:
    the_policy = policy if policy is not None else draw(policies())
    the_role = role if role is not None else draw(st.sampled_from(list(Role)))
    the_rung = rung if rung is not None else draw(rungs())
    bodyweight = draw(st.none() | st.floats(min_value=40, max_value=150).map(lambda x: round(x, 1)))
    bw = bodyweight if bodyweight is not None else the_policy.reference_bodyweight_kg
    target = dose if dose is not None else draw(_prescription(the_policy, the_role, the_rung, bw))
    unilateral = _unilateral(the_rung)
    log = Log(
        performed=draw(st.none() | _session_sets(target, unilateral)),
        history=tuple(draw(st.lists(_session_sets(target, unilateral), max_size=3))),
        role=the_role,
        rung=the_rung,
        kit=draw(st.none() | kits()),
        bodyweight_kg=bodyweight,
        goal=draw(st.sampled_from(list(Goal))),
        policy=the_policy,
    )
    if draw(st.booleans()):
        # The role's state at this exposure, its streaks the ones the history shows (this exposure counted).
        week = draw(st.integers(min_value=1, max_value=30))
        exposures = len(log.history) + 1 + draw(st.integers(min_value=0, max_value=20))
        misses = log.miss_streak(target)
        after_misses = the_policy.deload.after_misses
        state = State(
            role=the_role,
            rung=the_rung,
            dose=target,
            exposures=exposures,
            week=week,
            block=draw(st.integers(min_value=1, max_value=min(week, exposures, 26))),
            misses=misses,
            top=log.top_streak(target),
            beat=log.beat_streak(target, the_policy.two_for_two.margin),
            owed=after_misses is not None and misses >= after_misses,
        )
        log = Log(
            performed=log.performed,
            history=log.history,
            role=log.role,
            rung=log.rung,
            kit=log.kit,
            bodyweight_kg=log.bodyweight_kg,
            goal=log.goal,
            state=state,
            policy=log.policy,
        )
    return target, log


def performed_logs(
    dose: Dose | None = None,
    *,
    policy: Policy | None = None,
    role: Role | None = None,
    rung: Rung | None = None,
) -> st.SearchStrategy[Log]:
    """Logs of how a session went (:class:`hipplan.progression.Log`): targets met, beaten by a few reps,
    missed, or uneven between the sides, with up to three earlier sessions, any kit, bodyweight and goal.

    Near ``dose`` when given (else near a dose within ``policy``); open-loop logs (``performed=None``: targets
    met exactly) are drawn too. Half of them carry the role's ``state``, its streaks the ones the sessions show.
    """
    return _logs(dose, policy, role, rung).map(lambda pair: pair[1])


def logged_doses(
    policy: Policy | None = None, *, role: Role | None = None
) -> st.SearchStrategy[tuple[Dose, Log]]:
    """A prescription within the policy's caps and a log of how it went, drawn to fit each other."""
    return _logs(None, policy, role, None)
