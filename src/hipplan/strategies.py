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
from .errors import InvalidInput
from .exercises import Rung
from .plan import Plan
from .vocabulary import Equipment, Focus, Goal, Level, Lift, Role, Side, Unit

__all__ = [
    "athletes",
    "doses",
    "equipment_sets",
    "kits",
    "logged_doses",
    "performed_logs",
    "performed_sets",
    "places",
    "plans",
    "policies",
    "prescriptions",
    "rules",
    "rungs",
    "session_names",
    "sessions",
    "usable_weeks",
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


def doses(*, max_load_kg: float = 0.0) -> st.SearchStrategy[Dose]:
    """A prescription within the default policy's caps (up to 4 sets of 15 a side, a 3 s pause, 4 s lowering).

    Bodyweight by default; give ``max_load_kg`` for loaded doses (in 0.5 kg steps), and keep it under the cap of
    the variation you pair them with.
    """
    load = st.just(0.0)
    if max_load_kg > 0:
        load = load | st.integers(min_value=1, max_value=int(max_load_kg * 2)).map(lambda x: x / 2)
    return st.builds(
        Dose,
        sets=st.integers(min_value=1, max_value=4),
        reps=st.integers(min_value=1, max_value=15),
        load_kg=load,
        pause_s=st.sampled_from([0.0, 1.0, 2.0, 3.0]),
        lower_s=st.sampled_from([1.0, 2.0, 3.0, 4.0]),
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


@st.composite
def _plans(draw: st.DrawFn, max_weeks: int) -> Plan:
    from hypothesis import assume

    from .errors import Infeasible
    from .planner import plan

    athlete = draw(athletes())
    week = draw(usable_weeks())
    n = draw(st.integers(min_value=1, max_value=max_weeks))
    try:
        return plan(athlete, week, n)
    except Infeasible:
        assume(False)
        raise  # pragma: no cover - assume(False) has already stopped this example


def plans(*, max_weeks: int = 6) -> st.SearchStrategy[Plan]:
    """A real :class:`~hipplan.Plan`, made by :func:`hipplan.plan` from a random athlete and usable week."""
    return _plans(max_weeks)


# ==========================================================================================================
# Progression: policies, rules, prescriptions and logs (section owned by progression.py's authors)
# ==========================================================================================================

from .progression import (  # noqa: E402
    ClimbExercise,
    Deload,
    LoadedVariation,
    LoadStep,
    Log,
    Pause,
    Policy,
    Regression,
    RepRange,
    Rule,
    Sets,
    Start,
    Tempo,
    TwoForTwo,
    WarmUp,
    WorkloadCap,
)


@st.composite
def _policies(draw: st.DrawFn) -> Policy:
    low = draw(st.integers(min_value=2, max_value=15))
    high = draw(st.integers(min_value=low + 1, max_value=min(50, low + 15)))
    pause_max = draw(st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0]))
    tempo_max = draw(st.sampled_from([x for x in (2.0, 3.0, 4.0, 5.0) if 1 + pause_max + x <= 9.0]))
    max_rep = draw(st.floats(min_value=1 + pause_max + tempo_max, max_value=9.9).map(lambda x: round(x, 1)))
    max_rep = max(max_rep, 1 + pause_max + tempo_max)
    warm_max_sets = draw(st.integers(min_value=1, max_value=3))
    warm_max_reps = draw(st.integers(min_value=1, max_value=min(20, high)))
    levels = st.tuples(*(st.integers(min_value=1, max_value=5) for _ in range(3)))
    return Policy(
        reps=RepRange(low=low, high=high, step=draw(st.integers(min_value=1, max_value=3))),
        pause=Pause(step_s=draw(st.sampled_from([0.5, 1.0, 2.0])), max_s=pause_max),
        tempo=Tempo(step_s=draw(st.sampled_from([0.5, 1.0])), max_s=tempo_max, max_rep_s=max_rep),
        sets=Sets(
            step=draw(st.integers(min_value=1, max_value=2)), max=draw(st.integers(min_value=1, max_value=6))
        ),
        climb=ClimbExercise(enabled=draw(st.booleans())),
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
            every=draw(st.none() | st.integers(min_value=2, max_value=8)),
            after_misses=draw(st.none() | st.integers(min_value=1, max_value=4)),
            volume_cut=draw(st.sampled_from([0.1, 0.3, 0.4, 0.5, 0.6, 0.9])),
            load_cut=draw(st.sampled_from([0.0, 0.0, 0.1, 0.2])),
            rir_added=draw(st.integers(min_value=0, max_value=3)),
        ),
        growth=WorkloadCap(max_growth=draw(st.sampled_from([0.05, 0.1, 0.15, 0.25]))),
        regression=Regression(after_misses=draw(st.integers(min_value=1, max_value=5))),
        warm_up=WarmUp(
            sets=draw(st.integers(min_value=1, max_value=warm_max_sets)),
            max_sets=warm_max_sets,
            reps=draw(st.integers(min_value=1, max_value=warm_max_reps)),
            max_reps=warm_max_reps,
            rir=draw(st.integers(min_value=2, max_value=6)),
            pause_s=draw(st.sampled_from([x for x in (0.0, 1.0, 2.0) if x <= pause_max])),
        ),
        start=Start(
            finisher_sets=draw(levels),
            circuit_sets=draw(levels),
            rir=draw(st.tuples(*(st.integers(min_value=0, max_value=4) for _ in range(3)))),
        ),
        reference_bodyweight_kg=draw(st.sampled_from([50.0, 60.0, 70.0, 80.0, 100.0])),
    )


def policies(*, default: bool = False) -> st.SearchStrategy[Policy]:
    """Valid progression policies with any figures (or, with ``default=True``, just the defaults)."""
    return st.just(Policy()) if default else st.one_of(st.just(Policy()), _policies())


def rules(policy: Policy | None = None) -> st.SearchStrategy[Rule]:
    """One built-in rule: one of ``policy`` 's when given, else from any valid policy."""
    source = st.just(policy) if policy is not None else policies()
    return source.flatmap(lambda p: st.sampled_from([*p.levers(), p.deload, p.regression, p.warm_up]))


def _unilateral(rung: Rung) -> bool:
    return CATALOG[rung.exercise].unilateral


@st.composite
def _prescription(draw: st.DrawFn, policy: Policy, role: Role, rung: Rung, bodyweight_kg: float) -> Dose:
    variation = CATALOG.variation(rung)
    if role is Role.WARM_UP:
        w = policy.warm_up
        return Dose(
            sets=draw(st.integers(min_value=1, max_value=w.max_sets)),
            reps=draw(st.integers(min_value=1, max_value=w.max_reps)),
            pause_s=draw(st.sampled_from([x for x in (0.0, 0.5, 1.0, 2.0) if x <= w.pause_s])),
            lower_s=draw(st.sampled_from([x for x in (1.0, 2.0, 3.0) if x <= policy.tempo.max_s])),
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
        steps = int(variation.load_cap_kg(bodyweight_kg) // step)
        load = round(step * draw(st.integers(min_value=1, max_value=max(1, steps))), 2)
        load = min(load, variation.load_cap_kg(bodyweight_kg))
    return Dose(
        sets=draw(st.integers(min_value=1, max_value=policy.sets.max)),
        reps=draw(st.integers(min_value=max(1, policy.reps.low - 2), max_value=policy.reps.high)),
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
    """Doses within every cap of ``policy`` (the defaults when None) for this role, rung and bodyweight.

    Without a rung the dose is unloaded; without a bodyweight, the policy's reference bodyweight sets the load
    cap.
    """
    policy = policy or Policy()
    rung = rung or Rung(exercise="single-leg-hip-thrust")
    bw = bodyweight_kg if bodyweight_kg is not None else policy.reference_bodyweight_kg
    return _prescription(policy, role, rung, bw)


@st.composite
def _session_sets(draw: st.DrawFn, dose: Dose, unilateral: bool) -> tuple[Performed, ...]:
    """The sets of one session near ``dose``: targets met, beaten, or missed, sides even or not."""
    sides = list(Side) if unilateral else [draw(st.sampled_from(list(Side)))]
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
        week=draw(st.integers(min_value=1, max_value=30)),
        policy=the_policy,
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
    missed, or uneven between the sides, with up to three earlier sessions, any kit and bodyweight.

    Near ``dose`` when given (else near a dose within ``policy``); open-loop logs (``performed=None``: targets
    met exactly) are drawn too.
    """
    return _logs(dose, policy, role, rung).map(lambda pair: pair[1])


def logged_doses(
    policy: Policy | None = None, *, role: Role | None = None
) -> st.SearchStrategy[tuple[Dose, Log]]:
    """A prescription within the policy's caps and a log of how it went, drawn to fit each other."""
    return _logs(None, policy, role, None)
