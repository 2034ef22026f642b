"""JSON and TOML: round trips, the same bytes across runs and hash seeds, golden files, only InvalidInput.

The golden files in tests/golden/ pin the JSON layout. A schema change must be deliberate: if a change to a
model is meant to change the layout, bump SCHEMA_VERSION when old documents can no longer be read, then
rewrite the files with ``python -c "from tests.test_serialization import write_golden; write_golden()"`` and
review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hipplan import (
    CATALOG,
    SCHEMA_VERSION,
    Athlete,
    Catalog,
    Cue,
    Dose,
    Equipment,
    Exercise,
    Focus,
    Goal,
    InvalidInput,
    Level,
    Lift,
    Mistake,
    Performed,
    Place,
    Plan,
    Policy,
    Reason,
    Role,
    Rung,
    Session,
    Side,
    Slot,
    State,
    Step,
    Unit,
    Unplaced,
    Variation,
    WeekOverride,
    WorkingDose,
    from_json,
    from_toml,
    progress,
    to_json,
)
from hipplan import strategies as hst
from hipplan.request import PlanRequest, load_request
from hipplan.serialization import MAX_DEPTH, plan_problems

GOLDEN = Path(__file__).parent / "golden"

# --- strategies --------------------------------------------------------------------------------------------

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20).filter(
    lambda s: bool(s.strip())
)
reasons = st.builds(Reason, rule=st.sampled_from(["kit", "recovery", "ladder.climb"]) | texts, text=texts)
cues = st.builds(Cue, text=texts, why=st.just("") | texts)
mistakes = st.builds(Mistake, fault=texts, fix=texts)
exercise_ids = st.sampled_from(list(CATALOG))
variation_ids = st.sampled_from(["bodyweight", "banded", "dumbbell", "sandbag", "landmine"])
ALL_VARIATIONS = [var for ex in CATALOG.values() for var in ex.variations]


@st.composite
def custom_variations(draw: st.DrawFn, var_id: str | None = None) -> Variation:
    """A user's variation: loaded or not, forbidden or not (the mini band only when forbidden)."""
    forbidden = draw(st.booleans())
    needs = draw(hst.equipment_sets())
    optional = draw(hst.equipment_sets())
    if not forbidden:
        needs, optional = needs - {Equipment.MINI_BAND}, optional - {Equipment.MINI_BAND}
    loads_hip = draw(st.booleans())
    return Variation(
        id=var_id if var_id is not None else draw(texts),
        name=draw(texts),
        needs=needs,
        optional=optional,
        load_cap_bw=draw(st.integers(1, 100)) / 100 if loads_hip else 0.0,
        load_step_kg=draw(st.sampled_from([0.0, 0.5, 1.25, 2.5])),
        loads_hip=loads_hip,
        switch_sides=draw(st.booleans()),
        forbidden=forbidden,
        setup=draw(st.just("") | texts),
        notes=draw(st.lists(texts, max_size=2)),
    )


@st.composite
def custom_exercises(draw: st.DrawFn, ex_id: str | None = None) -> Exercise:
    """A user's exercise with unique variation ids, at least one of them allowed."""
    ids = draw(st.lists(texts, min_size=1, max_size=4, unique=True))
    found = [draw(custom_variations(var_id)) for var_id in ids]
    found[0] = Variation(id=ids[0], name="Bodyweight")
    return Exercise(
        id=ex_id if ex_id is not None else draw(texts),
        name=draw(texts),
        unilateral=draw(st.booleans()),
        needs_support=draw(st.booleans()),
        rank=draw(st.integers(0, 10)),
        summary=draw(st.just("") | texts),
        primary_muscles=draw(st.lists(texts, max_size=2)),
        setup=draw(st.lists(texts, max_size=2)),
        cues=draw(st.lists(cues, max_size=2)),
        mistakes=draw(st.lists(mistakes, max_size=2)),
        variations=draw(st.permutations(found)),
    )


@st.composite
def custom_catalogs(draw: st.DrawFn) -> Catalog:
    """A user's catalogue: built-in entries and new ones, unique ids."""
    ids = draw(st.lists(texts, max_size=3, unique=True).map(lambda xs: [x for x in xs if x not in CATALOG]))
    built_in = draw(st.lists(st.sampled_from(list(CATALOG.values())), max_size=4, unique_by=lambda ex: ex.id))
    return Catalog(exercises=[*built_in, *(draw(custom_exercises(ex_id)) for ex_id in ids)])


slots = st.builds(
    Slot,
    week=st.integers(1, 52),
    session=hst.session_names(),
    weekday=st.integers(0, 6),
    role=st.sampled_from(list(Role)),
    exercise=exercise_ids,
    variation=variation_ids,
    dose=hst.doses(),
    deload=st.booleans(),
    resume=st.none() | hst.doses(),
    state=st.none() | hst.states(),
    instructions=st.lists(texts, max_size=2),
    reasons=st.lists(reasons, max_size=3),
)
unplaced = st.builds(
    Unplaced,
    week=st.integers(1, 52),
    session=hst.session_names(),
    weekday=st.integers(0, 6),
    reasons=st.lists(reasons, max_size=2),
)
week_overrides = st.builds(
    WeekOverride, week=st.integers(1, 52), sessions=hst.weeks(max_size=3), label=st.just("") | texts
)


@st.composite
def built_plans(draw: st.DrawFn) -> Plan:
    """A Plan built from parts drawn apart (slots in (week, weekday) order, unique override weeks): a value the
    constructor accepts, mostly one plan() could never make (slots in sessions the plan does not have)."""
    weeks = draw(st.integers(1, 12))
    overrides = draw(st.lists(week_overrides, max_size=2, unique_by=lambda o: o.week))
    found = draw(st.lists(slots, max_size=4))
    return Plan(
        athlete=draw(hst.athletes()),
        weeks=weeks,
        sessions=draw(hst.weeks(max_size=4)),
        week_overrides=sorted(overrides, key=lambda o: o.week),
        slots=sorted(found, key=lambda s: (s.week, s.weekday)),
        unplaced=draw(st.lists(unplaced, max_size=2)),
        deload_weeks=sorted(draw(st.sets(st.integers(1, weeks), max_size=3))),
        notes=draw(st.lists(reasons, max_size=3)),
        score=draw(st.floats(allow_nan=False, allow_infinity=False)),
    )


plan_requests = st.builds(
    PlanRequest,
    athlete=hst.athletes(),
    sessions=hst.weeks(),
    weeks=st.integers(1, 520),
    start=st.none() | st.dates(),
    overrides=st.lists(week_overrides, max_size=2, unique_by=lambda o: o.week),
)

# Every public type, with a strategy for its values.
TYPES: dict[str, tuple[type[Any], st.SearchStrategy[Any]]] = {
    "Athlete": (Athlete, hst.athletes()),
    "Place": (Place, hst.places()),
    "Session": (Session, hst.sessions()),
    "Dose": (Dose, hst.doses()),
    "Performed": (Performed, hst.performed_sets()),
    "Rung": (Rung, hst.rungs()),
    "Cue": (Cue, cues),
    "Mistake": (Mistake, mistakes),
    "Variation": (Variation, st.sampled_from(ALL_VARIATIONS) | custom_variations()),
    "Exercise": (Exercise, st.sampled_from(list(CATALOG.values())) | custom_exercises()),
    "Catalog": (Catalog, st.just(CATALOG) | custom_catalogs()),
    "Slot": (Slot, slots),
    "Unplaced": (Unplaced, unplaced),
    "Reason": (Reason, reasons),
    "WeekOverride": (WeekOverride, week_overrides),
    "Plan": (Plan, hst.plans(max_weeks=3, max_overrides=1)),
    "PlanRequest": (PlanRequest, plan_requests),
    "Policy": (Policy, hst.policies()),
    "State": (State, hst.states()),
    "Step": (Step, hst.steps()),
    "WorkingDose": (WorkingDose, hst.working_doses()),
}
NAMES = sorted(TYPES)


def canonical(text: str) -> str:
    """The text json.dumps gives for the same data with sorted keys, two-space indent and a final newline."""
    return json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# --- round trips -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_round_trip(name: str, data: st.DataObject) -> None:
    """from_json(to_json(x)) == x from str, bytes and compact text; the value read back writes the same."""
    cls, strategy = TYPES[name]
    value = data.draw(strategy)
    text = to_json(value)
    back = from_json(text, cls)
    assert value == back
    assert text == to_json(back)
    assert text == to_json(value)
    assert text == canonical(text)
    version = SCHEMA_VERSION
    assert version == json.loads(text)["schema_version"]
    assert value == from_json(text.encode("utf-8"), cls)
    compact = to_json(value, indent=None)
    assert "\n" not in compact.rstrip("\n")
    assert value == from_json(compact, cls)


@given(built_plans())
def test_a_plan_built_from_parts_reads_back_only_if_plan_could_have_made_it(plan: Plan) -> None:
    """A stored plan reads back equal when it holds what every planned plan holds; otherwise InvalidInput lists
    each problem at its JSON path."""
    problems = plan_problems(plan)
    if problems:
        with pytest.raises(InvalidInput) as info:
            from_json(to_json(plan), Plan)
        assert problems == list(info.value.problems)
        assert all(p.startswith("$.") for p in problems)
    else:
        assert plan == from_json(to_json(plan), Plan)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(hst.plans(max_weeks=4))
def test_real_plans_round_trip(plan: Plan) -> None:
    """Plans made by the planner read back equal and write the same bytes again."""
    text = to_json(plan)
    back = from_json(text, Plan)
    assert plan == back
    assert text == to_json(back)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(hst.plans(max_weeks=5))
def test_a_plans_slots_keep_their_states_through_json(plan: Plan) -> None:
    """Every slot of a real plan carries its role's state, and a slot read back from JSON (the state inside it)
    gives progress() the very same next step as the slot in memory."""
    back = from_json(to_json(plan), Plan)
    assert [s.state for s in plan.slots] == [s.state for s in back.slots]
    assert all(s.state is not None and s.state.role is s.role for s in plan.slots)
    for slot, read in zip(plan.slots, back.slots, strict=True):
        done = [
            Performed(side=side, reps=slot.dose.reps, load_kg=slot.dose.load_kg, pause_s=slot.dose.pause_s)
            for _ in range(slot.dose.sets)
            for side in Side
        ]
        assert progress(slot, done, athlete=plan.athlete) == progress(read, done, athlete=plan.athlete)


@pytest.mark.parametrize(
    ("name", "cls"), [("states", State), ("steps", Step), ("working_doses", WorkingDose)]
)
@given(data=st.data())
def test_hypothesis_finds_the_progression_strategies_by_type(
    name: str, cls: type[Any], data: st.DataObject
) -> None:
    """Through the hypothesis entry point, st.from_type draws the same valid values as hipplan.strategies."""
    value = data.draw(st.from_type(cls))
    assert isinstance(value, cls)
    assert value == from_json(to_json(value), cls)
    assert hasattr(hst, name)


# --- a policy is data; the user's own rules are code --------------------------------------------------------


@attrs.frozen
class _HalfRep:
    """A user's rule (a stand-in: it never fires)."""

    name: ClassVar[str] = "half_rep"

    def next(self, dose: Dose, log: Any, /) -> None:
        return None


def test_a_policy_with_rules_of_your_own_is_not_written() -> None:
    """to_json of a Policy with 'extra' rules raises InvalidInput naming 'extra' and the rule (they are code, and
    would come back without them); the same policy without them writes and reads back equal."""
    policy = Policy(extra=(_HalfRep(),))
    with pytest.raises(InvalidInput, match="'extra'") as info:
        to_json(policy)
    assert "_HalfRep" in str(info.value)
    plain = attrs.evolve(policy, extra=())
    assert plain == from_json(to_json(plain), Policy)
    assert "extra" not in json.loads(to_json(plain))


def test_a_policy_document_with_an_extra_key_is_refused() -> None:
    """A policy document with an 'extra' key is refused (rules are never read from JSON), naming the key."""
    document = json.loads(to_json(Policy()))
    document["extra"] = []
    with pytest.raises(InvalidInput, match=r"\$: unknown key\(s\) extra"):
        from_json(json.dumps(document), Policy)
    document["extra"] = [{"name": "half_rep"}]
    with pytest.raises(InvalidInput, match="extra"):
        from_json(json.dumps(document), Policy)


def test_unknown_keys_in_a_slots_state_are_refused() -> None:
    """A slot's state is plain data like the rest: an unknown key in it is refused at its path."""
    document = json.loads(to_json(GOLDEN_PLAN))
    document["slots"][0]["state"]["rules"] = ["x"]
    with pytest.raises(InvalidInput, match=r"\$\.slots\[0\]\.state: unknown key\(s\) rules"):
        from_json(json.dumps(document), Plan)


@given(hst.policies())
def test_drawn_policies_write_as_json(policy: Policy) -> None:
    """Every policy hipplan.strategies draws has no 'extra' rules, so it writes and reads back equal."""
    assert policy.extra == ()
    assert policy == from_json(to_json(policy), Policy)


@given(hst.sessions(), st.randoms(use_true_random=False))
def test_set_order_does_not_change_the_bytes(session: Session, rnd: Any) -> None:
    """Sets given in any order give the same JSON: they are written as sorted lists."""
    equipment, lifts = list(session.equipment), list(session.lifts)
    rnd.shuffle(equipment)
    rnd.shuffle(lifts)
    shuffled = Session(
        name=session.name, weekday=session.weekday, focus=session.focus, lifts=lifts, equipment=equipment,
        minutes=session.minutes,
    )  # fmt: skip
    assert to_json(session) == to_json(shuffled)
    document = json.loads(to_json(session))
    assert sorted(document["equipment"]) == document["equipment"]


def test_equal_values_give_equal_bytes() -> None:
    """Values that compare equal serialise to the same bytes: 70 and 70.0 kg, 0.0 and -0.0 kg."""
    assert to_json(Athlete(level="beginner", bodyweight_kg=70.0)) == to_json(
        Athlete(level="beginner", bodyweight_kg=70)
    )
    assert to_json(Dose(sets=1, reps=5, load_kg=0.0)) == to_json(Dose(sets=1, reps=5, load_kg=-0.0))
    sandbag = Variation(id="s", name="S", needs={"sandbag"}, loads_hip=True, load_cap_bw=1, load_step_kg=2)
    assert to_json(sandbag) == to_json(
        Variation(id="s", name="S", needs={"sandbag"}, loads_hip=True, load_cap_bw=1.0, load_step_kg=2.0)
    )


def test_the_catalogue_round_trips() -> None:
    """The built-in catalogue is written by its fields and reads back equal (it is also a Mapping)."""
    text = to_json(CATALOG)
    keys, catalog = ["exercises", "schema_version"], CATALOG
    assert keys == sorted(json.loads(text))
    assert catalog == from_json(text, Catalog)


# --- the same bytes across processes and hash seeds --------------------------------------------------------

SUBPROCESS = r"""
import json, sys
import hipplan
from hipplan.request import PlanRequest
TYPES = {name: getattr(hipplan, name, None) or PlanRequest for name in json.loads(sys.argv[1])}
documents = json.loads(sys.stdin.read())
print(json.dumps([hipplan.to_json(hipplan.from_json(text, TYPES[name])) for name, text in documents]))
"""

BUILD = r"""
import json
import hipplan as h
E, L, R = h.Equipment, h.Lift, h.Role
values = [
    h.Session(name="Mon", weekday=0, focus="lower", lifts=set(L), equipment=set(E)),
    h.Athlete(level="advanced", prefer_roles=set(R), avoid_variations={"banded", "dumbbell", "sandbag"},
              places=[h.Place(name=n, equipment=set(E) - {e}) for n, e in zip("abcdefghij", E)]),
    h.Variation(id="x", name="X", needs=set(E) - {E.MINI_BAND}, optional={E.HIP_PAD, E.BAND}),
    h.CATALOG,
]
print(json.dumps([h.to_json(v) for v in values]))
"""


def run_python(code: str, seed: int, *args: str, stdin: str = "") -> list[str]:
    """Run code in a fresh interpreter with the given PYTHONHASHSEED; return the JSON list it prints."""
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found: list[str] = json.loads(result.stdout)
    return found


def test_values_built_from_sets_give_the_same_bytes_under_every_hash_seed() -> None:
    """Values built from Python sets (ordered by the hash seed) print the same bytes in every process."""
    outputs = [run_python(BUILD, seed) for seed in (0, 1, 2, 12345)]
    assert all(outputs[0] == out for out in outputs[1:])


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(
    st.lists(
        st.sampled_from(NAMES).flatmap(lambda n: st.tuples(st.just(n), TYPES[n][1])), min_size=1, max_size=12
    )
)
def test_bytes_are_identical_across_processes_and_hash_seeds(values: list[tuple[str, Any]]) -> None:
    """Read back in fresh interpreters with other hash seeds, every value writes the very same bytes."""
    documents = [(name, to_json(value)) for name, value in values]
    here = [text for _, text in documents]
    names = json.dumps(sorted({name for name, _ in values}))
    for seed in (0, 4242):
        assert here == run_python(SUBPROCESS, seed, names, stdin=json.dumps(documents))


# --- golden files ------------------------------------------------------------------------------------------

E = Equipment
GOLDEN_SESSION = Session(
    name="Mon lower",
    weekday=0,
    focus=Focus.LOWER,
    lifts={Lift.SQUAT, Lift.DEADLIFT},
    equipment={E.BENCH, E.BARBELL, E.LANDMINE, E.HIP_PAD},
    minutes=15,
)
GOLDEN_ATHLETE = Athlete(
    level=Level.INTERMEDIATE,
    bodyweight_kg=72.5,
    rung=Rung(exercise="single-leg-hip-thrust", variation="bodyweight"),
    unit=Unit.LB,
    goal=Goal.HYPERTROPHY,
    places=(Place(name="home", equipment={E.COUCH, E.BAND}),),
    weaker_side=Side.LEFT,
    prefer_roles={Role.FINISHER, Role.WARM_UP},
    avoid_variations={"dumbbell", "banded"},
    exposures_per_week=2,
    working=(
        WorkingDose(variation="landmine", sets=3, reps=10, load_kg=20.0),
        WorkingDose(exercise="hip-thrust", sets=2, reps=15),
    ),
)
_LANDMINE = Rung(exercise="single-leg-hip-thrust", variation="landmine")
_BANDED = Rung(exercise="single-leg-hip-thrust", variation="banded")
_UPPER = Session(name="Wed upper", weekday=2, focus=Focus.UPPER, lifts={Lift.BENCH_PRESS, Lift.ROW})
_HOME = Session(name="Sat home", weekday=5, focus=Focus.CIRCUIT, place="home")
_HOTEL = Session(name="Hotel", weekday=3, focus=Focus.CIRCUIT, equipment={E.COUCH})
GOLDEN_PLAN = Plan(
    athlete=GOLDEN_ATHLETE,
    weeks=2,
    sessions=(GOLDEN_SESSION, _UPPER, _HOME),
    week_overrides=(WeekOverride(week=2, sessions=(_HOTEL,), label="travel"),),
    slots=(
        Slot(
            week=1,
            session="Mon lower",
            weekday=0,
            role=Role.FINISHER,
            exercise="single-leg-hip-thrust",
            variation="landmine",
            dose=Dose(sets=3, reps=10, load_kg=20.0, pause_s=1.0, rir=2),
            state=State(
                role=Role.FINISHER,
                rung=_LANDMINE,
                dose=Dose(sets=3, reps=10, load_kg=20.0, pause_s=1.0, rir=2),
            ),
            instructions=(
                "Train the leg nearest the landmine; move to the other side of the bench for the other.",
            ),
            reasons=(Reason(rule="kit", text="The session has a barbell in a landmine."),),
        ),
        Slot(
            week=1,
            session="Sat home",
            weekday=5,
            role=Role.CIRCUIT,
            exercise="single-leg-hip-thrust",
            variation="banded",
            dose=Dose(sets=2, reps=15, load_kg=5.0),
            state=State(role=Role.CIRCUIT, rung=_BANDED, dose=Dose(sets=2, reps=15, load_kg=5.0)),
            reasons=(Reason(rule="kit", text="Home has a couch and a long band."),),
        ),
        Slot(
            week=2,
            session="Hotel",
            weekday=3,
            role=Role.CIRCUIT,
            exercise="single-leg-hip-thrust",
            variation="bodyweight",
            dose=Dose(sets=2, reps=12, pause_s=2.0),
            deload=True,
            resume=Dose(sets=2, reps=15, load_kg=7.5),
            state=State(
                role=Role.CIRCUIT,
                rung=_BANDED,
                dose=Dose(sets=2, reps=15, load_kg=7.5),
                exposures=1,
                week=1,
                block=1,
                last=Dose(sets=2, reps=15, load_kg=5.0),
            ),
        ),
    ),
    unplaced=(
        Unplaced(week=1, session="Wed upper", weekday=2, reasons=(Reason(rule="focus", text="Upper day."),)),
    ),
    deload_weeks=(2,),
    notes=(Reason(rule="start", text="Starts from the bodyweight single-leg hip thrust."),),
    score=1.5,
)
GOLDEN_VALUES: dict[str, Any] = {
    "session": GOLDEN_SESSION,
    "athlete": GOLDEN_ATHLETE,
    "plan": GOLDEN_PLAN,
    "policy": Policy(),
}


def write_golden() -> None:
    """Rewrite the golden files from the values above (only for a deliberate schema change)."""
    for name, value in GOLDEN_VALUES.items():
        (GOLDEN / f"{name}.json").write_bytes(to_json(value).encode("utf-8"))


@pytest.mark.parametrize("name", sorted(GOLDEN_VALUES))
def test_golden_file(name: str) -> None:
    """A fixed Session, Athlete, Plan and the default Policy serialise to exactly the bytes on file; the file
    reads back equal."""
    value = GOLDEN_VALUES[name]
    expected = (GOLDEN / f"{name}.json").read_bytes()
    assert expected == to_json(value).encode("utf-8")
    assert value == from_json(expected, type(value))


# --- only InvalidInput, whatever the input -----------------------------------------------------------------

KEYS = [
    "name",
    "weekday",
    "focus",
    "level",
    "sets",
    "reps",
    "rung",
    "exercise",
    "variation",
    "sessions",
    "athlete",
]
KEYS += [
    "places",
    "equipment",
    "id",
    "variations",
    "exercises",
    "slots",
    "dose",
    "schema_version",
    "type",
    "week",
]
SCALARS = ["bench", "lower", "beginner", "left", "finisher", "bodyweight", "kg", "2026-01-05", "glute-bridge"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.text(st.characters(min_codepoint=0xD7FE, max_codepoint=0xE001), min_size=1, max_size=3)
    | st.sampled_from(SCALARS),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner)
    ),
    max_leaves=15,
)


def only_invalid_input(text: str | bytes, cls: type[Any]) -> None:
    """from_json either raises InvalidInput or returns a cls that writes as UTF-8 and reads back equal."""
    try:
        value = from_json(text, cls)
    except InvalidInput as exc:
        message, problems = str(exc), exc.problems
    else:
        assert isinstance(value, cls)
        written = to_json(value).encode("utf-8")
        assert value == from_json(written, cls)
        return
    assert message
    assert all(problems)


@given(st.sampled_from(NAMES), json_values)
def test_arbitrary_json_raises_only_invalid_input(name: str, value: Any) -> None:
    """Any JSON document, read as any public type, gives a value or InvalidInput, never another error."""
    only_invalid_input(json.dumps(value), TYPES[name][0])


@given(st.sampled_from(NAMES), st.binary(max_size=64) | st.text(max_size=40))
def test_arbitrary_bytes_and_text_raise_only_invalid_input(name: str, raw: bytes | str) -> None:
    """Any bytes or text, read as any public type, gives InvalidInput (or, rarely, a value), nothing else."""
    only_invalid_input(raw, TYPES[name][0])


def mutate(data: Any, draw: st.DrawFn) -> Any:
    """Replace, drop or recurse into one part of a JSON document."""
    if isinstance(data, dict) and data and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(data)))
        changed = dict(data)
        action = draw(st.sampled_from(["drop", "recurse", "replace"]))
        if action == "drop":
            del changed[key]
        else:
            changed[key] = mutate(changed[key], draw) if action == "recurse" else draw(json_values)
        return changed
    if isinstance(data, list) and data and draw(st.booleans()):
        index = draw(st.integers(0, len(data) - 1))
        return [*data[:index], mutate(data[index], draw), *data[index + 1 :]]
    return draw(json_values)


@pytest.mark.parametrize("name", NAMES)
@given(data=st.data())
def test_damaged_documents_raise_only_invalid_input(name: str, data: st.DataObject) -> None:
    """A valid document with one part dropped or replaced gives a value or InvalidInput, nothing else."""
    cls, strategy = TYPES[name]
    document = json.loads(to_json(data.draw(strategy)))
    only_invalid_input(json.dumps(mutate(document, data.draw)), cls)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        "[" * 50_000 + "]" * 50_000,
        '{"a":' * 100_000,
        '{"level": ' + "[" * 900 + "]" * 900 + "}",
    ],
    ids=["open-lists", "deep-lists", "open-objects", "deep-field"],
)
def test_deep_nesting_is_invalid_input_not_recursion_error(text: str) -> None:
    """Deeply nested documents give InvalidInput, never RecursionError."""
    with pytest.raises(InvalidInput):
        from_json(text, Athlete)


# --- messages: path, value, strictness ---------------------------------------------------------------------


def request_document(**changes: Any) -> dict[str, Any]:
    """A valid plan-request document with three sessions, changed as given."""
    document: dict[str, Any] = {
        "athlete": {"level": "beginner"},
        "sessions": [
            {"name": "Mon", "weekday": 0, "focus": "lower", "lifts": ["squat"], "equipment": ["bench"]},
            {"name": "Wed", "weekday": 2, "focus": "upper"},
            {"name": "Sat", "weekday": 5, "focus": "circuit", "equipment": ["couch"]},
        ],
        "weeks": 4,
    }
    return document | changes


def problems_of(document: Any, cls: type[Any] = PlanRequest) -> str:
    """The InvalidInput message for a document."""
    with pytest.raises(InvalidInput) as info:
        from_json(json.dumps(document), cls)
    return str(info.value)


def test_valid_request_document_reads() -> None:
    """The reference document reads as a PlanRequest (so the tests below change one thing only)."""
    request = from_json(json.dumps(request_document()), PlanRequest)
    names = ["Mon", "Wed", "Sat"]
    assert names == [s.name for s in request.sessions]


def test_message_names_the_json_path_and_the_value() -> None:
    """A bad weekday in the third session is reported at $.sessions[2].weekday with its value."""
    document = request_document()
    document["sessions"][2]["weekday"] = 9
    message = problems_of(document)
    assert "$.sessions[2].weekday" in message
    assert "9" in message


def test_every_bad_path_is_listed() -> None:
    """Several problems in one document are each reported with their own path."""
    document = request_document(weeks=0)
    document["sessions"][0]["focus"] = "legs"
    document["athlete"]["bodyweight_kg"] = "heavy"
    with pytest.raises(InvalidInput) as info:
        from_json(json.dumps(document), PlanRequest)
    paths = " ".join(info.value.problems)
    for path in ("$.sessions[0].focus", "$.athlete.bodyweight_kg"):
        assert path in paths
    assert len(info.value.problems) >= 2


@pytest.mark.parametrize(
    ("where", "path"),
    [((), "$"), (("athlete",), "$.athlete"), (("sessions", 1), "$.sessions[1]")],
    ids=["top", "athlete", "session"],
)
def test_unknown_keys_are_refused(where: tuple[Any, ...], path: str) -> None:
    """An unknown key anywhere is refused (forbid_extra_keys), naming where it is and the key."""
    document = request_document()
    target = document
    for step in where:
        target = target[step]
    target["colour"] = "red"
    message = problems_of(document)
    assert f"{path}: unknown key(s) colour" in message


@pytest.mark.parametrize("version", [3, 0, -1, "1", 1.0, True, None, [1]])
def test_wrong_or_newer_schema_version_is_refused(version: object) -> None:
    """Only schema_version 1 or 2 as an integer is read; a newer one or another type is refused, showing it."""
    message = problems_of(request_document(schema_version=version))
    assert "$.schema_version" in message
    assert repr(version) in message


def test_missing_schema_version_reads_as_current() -> None:
    """A hand-written document without schema_version is read as the current version."""
    weeks = 4
    assert weeks == from_json(json.dumps(request_document()), PlanRequest).weeks


@pytest.mark.parametrize(
    ("cls", "document", "path", "shown"),
    [
        (Session, {"name": "a", "weekday": "9", "focus": "lower"}, "$.weekday", "'9'"),
        (Session, {"name": "a", "weekday": 3.0, "focus": "lower"}, "$.weekday", "3.0"),
        (Session, {"name": "a", "weekday": True, "focus": "lower"}, "$.weekday", "True"),
        (Dose, {"sets": "3", "reps": 10}, "$.sets", "'3'"),
        (Dose, {"sets": 3, "reps": 10, "load_kg": "20"}, "$.load_kg", "'20'"),
        (Dose, {"sets": 3, "reps": 10, "load_kg": False}, "$.load_kg", "False"),
        (Athlete, {"level": "beginner", "exposures_per_week": "2"}, "$.exposures_per_week", "'2'"),
        (Athlete, {"level": 1}, "$.level", "1"),
        (Athlete, {"level": "beginner", "avoid_variations": "banded"}, "$.avoid_variations", "'banded'"),
        (Athlete, {"level": "beginner", "places": {"name": "home"}}, "$.places", "'name'"),
        (Athlete, {"level": "beginner", "rung": "glute-bridge"}, "$.rung", "'glute-bridge'"),
        (Session, {"name": "a", "weekday": 1, "focus": "lower", "lifts": "squat"}, "$.lifts", "'squat'"),
    ],
)
def test_no_silent_coercion(cls: type[Any], document: dict[str, Any], path: str, shown: str) -> None:
    """Strings for numbers, floats and bools for ints, a string or object for a list: all refused by path."""
    message = problems_of(document, cls)
    assert path in message
    assert shown in message


def test_whole_number_for_a_float_is_fine() -> None:
    """An integer where a float is expected is read as that float (JSON has one number type)."""
    expected = Dose(sets=3, reps=10, load_kg=20.0)
    assert expected == from_json('{"sets": 3, "reps": 10, "load_kg": 20}', Dose)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_nan_and_infinity_are_refused(literal: str) -> None:
    """NaN, Infinity and numbers too large for a float are refused."""
    with pytest.raises(InvalidInput, match=r"NaN|Infinity|finite"):
        from_json(f'{{"sets": 3, "reps": 10, "load_kg": {literal}}}', Dose)


def test_huge_integers_are_refused() -> None:
    """An integer too large for a float is refused in a float field, not turned into an OverflowError."""
    message = problems_of({"sets": 3, "reps": 10, "load_kg": 10**400}, Dose)
    assert "$.load_kg" in message


def test_unknown_enum_value_lists_the_allowed_ones() -> None:
    """An unknown enum value is refused with the allowed values and the value given."""
    message = problems_of({"name": "a", "weekday": 1, "focus": "legs"}, Session)
    assert "$.focus" in message
    assert "lower, upper, full_body, circuit" in message
    assert "'legs'" in message


def test_duplicate_session_names_are_reported_at_their_path() -> None:
    """A repeated session name in a request is reported at its path, with the name."""
    document = request_document()
    document["sessions"][2]["name"] = "Mon"
    message = problems_of(document)
    assert "$.sessions[2].name" in message
    assert "'Mon'" in message


def test_missing_field_is_named() -> None:
    """A required field that is missing is named by its path."""
    assert "$.athlete.level: required field missing" in problems_of(request_document(athlete={}))


@pytest.mark.parametrize("document", ["[]", "3", '"athlete"', "null"])
def test_top_level_must_be_an_object(document: str) -> None:
    """A document that is not a JSON object is refused at $."""
    with pytest.raises(InvalidInput, match=r"^\$: expected an object"):
        from_json(document, Athlete)


def test_lone_surrogates_are_refused() -> None:
    """A JSON escape for half a surrogate pair is not text (it could never be written): refused by path."""
    with pytest.raises(InvalidInput, match=r"\$\.name: .*surrogate"):
        from_json('{"name": "Mon \\ud800", "weekday": 0, "focus": "lower"}', Session)
    paired = from_json('{"name": "Mon \\ud83d\\udcaa", "weekday": 0, "focus": "lower"}', Session)
    flexed = "Mon \U0001f4aa"
    assert flexed == paired.name


def test_to_json_refuses_text_it_cannot_write_as_utf8() -> None:
    """A value built in code with a lone surrogate is refused by to_json instead of giving unwritable text."""
    with pytest.raises(InvalidInput, match="surrogate"):
        to_json(Reason(rule="r", text="bad \udc80"))


def test_mini_band_cannot_be_smuggled_in_through_json() -> None:
    """A JSON variation that uses the mini band without being forbidden is refused."""
    message = problems_of({"id": "thighs", "name": "Thighs", "needs": ["mini_band"]}, Variation)
    assert "forbidden" in message


def test_to_json_refuses_what_is_not_a_hipplan_value() -> None:
    """to_json takes hipplan values only, and says so."""
    with pytest.raises(InvalidInput, match="dict"):
        to_json({"level": "beginner"})


def test_from_json_refuses_what_is_not_text() -> None:
    """from_json takes str or bytes, and says so."""
    with pytest.raises(InvalidInput, match="JSON text"):
        from_json(42, Athlete)  # type: ignore[arg-type]


# --- TOML and request files --------------------------------------------------------------------------------

TOML_REQUEST = """
weeks = 6
start = 2026-01-05

[athlete]
level = "intermediate"
bodyweight_kg = 68

[[sessions]]
name = "Mon lower"
weekday = 0
focus = "lower"
lifts = ["squat"]
equipment = ["bench", "barbell", "landmine"]

[[sessions]]
name = "Thu home"
weekday = 3
focus = "circuit"
equipment = ["couch"]
"""


TOML_ODDITIES = [
    "weeks = nan",
    "weeks = inf",
    'level = 08:00:00\nname = "x"',
    "start = 2026-01-05T08:00:00Z",
    "weekday = 1979-05-27",
    'sessions = [{name = "a", weekday = 0, focus = "lower", equipment = "bench"}]',
    "[athlete]\nlevel = []",
    '[[sessions]]\nname = "a"\n[[sessions]]\nname = 1',
]


def test_toml_request_reads_through_the_same_converter() -> None:
    """A TOML request reads as the equal JSON request would, dates and ints for floats included."""
    request = from_toml(TOML_REQUEST, PlanRequest)
    assert dt.date(2026, 1, 5) == request.start
    bodyweight = 68.0
    assert bodyweight == request.athlete.bodyweight_kg
    assert request == from_json(to_json(request), PlanRequest)


def test_toml_refuses_what_json_refuses() -> None:
    """TOML gets the same strictness: a string weekday, a date and time for a date, unknown keys."""
    with pytest.raises(InvalidInput, match=r"\$\.sessions\[1\]\.weekday"):
        from_toml(TOML_REQUEST.replace("weekday = 3", 'weekday = "3"'), PlanRequest)
    with pytest.raises(InvalidInput, match=r"\$\.start"):
        from_toml(TOML_REQUEST.replace("start = 2026-01-05", "start = 2026-01-05T08:00:00"), PlanRequest)
    with pytest.raises(InvalidInput, match=r"\$\.athlete: unknown key\(s\) extra"):
        from_toml(TOML_REQUEST + '\n[athlete.extra]\ncolour = "red"\n', PlanRequest)
    with pytest.raises(InvalidInput, match="not valid TOML"):
        from_toml("weeks = = 3", PlanRequest)


@given(st.sampled_from(NAMES), st.text(max_size=60) | st.sampled_from(TOML_ODDITIES))
def test_arbitrary_toml_raises_only_invalid_input(name: str, text: str) -> None:
    """Any text read as TOML, for any public type, gives a value or InvalidInput, never another error."""
    try:
        from_toml(text, TYPES[name][0])
    except InvalidInput as exc:
        message = str(exc)
    else:
        return
    assert message


def test_from_toml_refuses_what_is_not_text() -> None:
    """from_toml takes a str; bytes are refused with InvalidInput, not a TypeError."""
    with pytest.raises(InvalidInput, match="str"):
        from_toml(b"weeks = 3", PlanRequest)  # type: ignore[arg-type]


def test_load_request_reads_toml_and_json(tmp_path: Path) -> None:
    """load_request reads a .toml or a .json file into the same PlanRequest."""
    toml_file = tmp_path / "week.toml"
    toml_file.write_text(TOML_REQUEST, encoding="utf-8")
    request = load_request(toml_file)
    json_file = tmp_path / "week.json"
    json_file.write_text(to_json(request), encoding="utf-8")
    assert request == load_request(json_file)


def test_load_request_errors_name_the_file(tmp_path: Path) -> None:
    """A missing file, a wrong suffix or a bad document gives InvalidInput naming the file."""
    with pytest.raises(InvalidInput, match=r"missing\.toml"):
        load_request(tmp_path / "missing.toml")
    yaml_file = tmp_path / "week.yaml"
    yaml_file.write_text("weeks: 3", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"week\.yaml.*\.toml or \.json"):
        load_request(yaml_file)
    bad = tmp_path / "bad.json"
    bad.write_text('{"athlete": {"level": "expert"}, "sessions": []}', encoding="utf-8")
    with pytest.raises(InvalidInput) as info:
        load_request(bad)
    assert "bad.json" in str(info.value)
    assert all("bad.json" in p and "$.athlete.level" in p for p in info.value.problems)
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"athlete": {"level": "beginner"}, "sessions": [{"name": "\xe9"}]}')
    with pytest.raises(InvalidInput, match=r"latin\.json"):
        load_request(latin)


def test_nested_documents_may_carry_their_schema_version() -> None:
    """A document pasted whole into another keeps its schema_version; a different version is refused at its path."""
    import json

    athlete = Athlete(level="advanced")
    session = Session(name="Mon", weekday=0, focus="lower", equipment={"bench"})
    doc = {"athlete": json.loads(to_json(athlete)), "sessions": [json.loads(to_json(session))], "weeks": 2}
    read = from_json(json.dumps(doc), PlanRequest)
    assert (athlete, (session,)) == (read.athlete, read.sessions)
    doc["sessions"][0]["schema_version"] = 3  # type: ignore[index]
    with pytest.raises(InvalidInput, match=r"\$\.sessions\[0\]\.schema_version"):
        from_json(json.dumps(doc), PlanRequest)


# --- nesting: a documented limit, never RecursionError (issue 14, item 2) ---------------------------------

DEEP = 500
TOO_DEEP = f"nested too deeply (more than {MAX_DEPTH} levels"

DEEP_TOML = {
    "arrays": "x = " + "[" * DEEP + "]" * DEEP,
    "arrays-100k": "x = " + "[" * 100_000 + "]" * 100_000,
    "open-arrays": "x = " + "[" * 100_000,
    "inline-tables": "x = " + "{a = " * DEEP + "1" + "}" * DEEP,
    "field": "[athlete]\nlevel = " + "[" * DEEP + "]" * DEEP,
    "dotted-keys": "x." + ".".join(["a"] * 5_000) + " = 1",
    "table-header": "[" + ".".join(["a"] * 5_000) + "]\nb = 1",
    "array-of-tables": "[[" + ".".join(["a"] * 5_000) + "]]\nb = 1",
}


@pytest.mark.parametrize("cls", [Athlete, PlanRequest, Plan])
@pytest.mark.parametrize("text", DEEP_TOML.values(), ids=DEEP_TOML.keys())
def test_deep_toml_is_invalid_input_naming_the_limit(text: str, cls: type[Any]) -> None:
    """TOML nested hundreds of levels deep gives InvalidInput naming the limit, never RecursionError."""
    with pytest.raises(InvalidInput, match=r"nested too deeply \(more than 64 levels"):
        from_toml(text, cls)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        "[" * DEEP + "]" * DEEP,
        '{"a":' * 100_000,
        '{"athlete": ' + "[" * DEEP + "]" * DEEP + "}",
        '{"athlete": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}",
    ],
    ids=["open-lists", "lists", "open-objects", "field", "objects"],
)
def test_deep_json_is_invalid_input_naming_the_limit(text: str) -> None:
    """JSON nested hundreds of levels deep gives InvalidInput naming the limit, never RecursionError."""
    with pytest.raises(InvalidInput, match=r"nested too deeply \(more than 64 levels"):
        from_json(text, PlanRequest)


def test_the_limit_is_the_documented_one() -> None:
    """MAX_DEPTH levels read (and fail, if at all, for another reason); one more is refused, in JSON and TOML."""
    inner = MAX_DEPTH - 2  # the top-level object and the "athlete" object are two levels
    at_limit = {"athlete": {"level": nest(inner)}, "sessions": []}
    message = problems_of(at_limit)
    assert "nested" not in message
    assert "$.athlete.level: expected" in message
    assert TOO_DEEP in problems_of({"athlete": {"level": nest(inner + 1)}, "sessions": []})
    toml_at_limit = "[athlete]\nlevel = " + "[" * inner + "]" * inner
    with pytest.raises(InvalidInput) as info:
        from_toml(toml_at_limit, PlanRequest)
    assert "nested" not in str(info.value)
    with pytest.raises(InvalidInput, match=r"\$\.athlete\.level\[0\].*nested too deeply"):
        from_toml("[athlete]\nlevel = " + "[" * (inner + 1) + "]" * (inner + 1), PlanRequest)


def nest(levels: int) -> Any:
    """An empty list inside ``levels - 1`` lists: ``levels`` levels of nesting."""
    value: list[Any] = []
    for _ in range(levels - 1):
        value = [value]
    return value


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_load_request_refuses_deep_files_naming_the_file(tmp_path: Path, suffix: str) -> None:
    """load_request gives InvalidInput naming the file and the limit for a deeply nested file."""
    path = tmp_path / f"deep{suffix}"
    if suffix == ".toml":
        path.write_text("x = " + "[" * DEEP + "]" * DEEP + "\n", encoding="utf-8")
    else:
        path.write_text('{"athlete": ' + "[" * DEEP + "]" * DEEP + "}", encoding="utf-8")
    with pytest.raises(InvalidInput, match=rf"deep\{suffix}: .*{re.escape(TOO_DEEP)}"):
        load_request(path)


@pytest.mark.parametrize("command", ["plan", "explain"])
@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_cli_refuses_deep_files_with_exit_2(tmp_path: Path, command: str, suffix: str) -> None:
    """`hipplan plan|explain DEEP.toml|json` exits 2 with a one-line error naming the limit, no traceback."""
    import io

    from hipplan.cli import main

    path = tmp_path / f"deep{suffix}"
    if suffix == ".toml":
        path.write_text("x = " + "[" * DEEP + "]" * DEEP + "\n", encoding="utf-8")
    else:
        path.write_text('{"athlete": ' + "[" * DEEP + "]" * DEEP + "}", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = main([command, str(path)], stdout=out, stderr=err)
    assert (2, "") == (status, out.getvalue())
    assert err.getvalue().startswith("hipplan: error: ")
    assert TOO_DEEP in err.getvalue()
    assert "Traceback" not in err.getvalue()


BRACKETS = "[[[{{{" * 20 + "]]]}}}" * 5


@pytest.mark.parametrize(
    "written",
    [
        json.dumps(BRACKETS),
        f"'{BRACKETS}'",
        f'"""\n{BRACKETS}\\"""\n"""',
        f'"""{BRACKETS}""""',
        f"'''\n{BRACKETS}'\n'''",
        f"'''{BRACKETS}'''''",
    ],
    ids=[
        "basic",
        "literal",
        "multi-line-basic",
        "basic-ending-in-quotes",
        "multi-line-literal",
        "literal-quotes",
    ],
)
def test_brackets_in_toml_strings_and_comments_do_not_count(written: str) -> None:
    """Brackets inside a TOML string or a comment are text, not nesting: the document reads."""
    text = f"# {BRACKETS}\n{TOML_REQUEST}\n[[overrides]]\nweek = 2  # {BRACKETS}\nlabel = {written}\n"
    request = from_toml(text, PlanRequest)
    assert BRACKETS in request.overrides[0].label


def toml_string(text: str, style: str) -> str:
    """``text`` written as a TOML string of the given style (basic, or multi-line basic, escaped as JSON)."""
    escaped = json.dumps(text)[1:-1].replace("\x7f", "\\u007f")
    return f'"{escaped}"' if style == "basic" else f'"""{escaped}"""'


@given(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=80) | st.just(BRACKETS),
    st.sampled_from(["basic", "multi-line", "literal"]),
)
def test_any_label_reads_back_from_toml(label: str, style: str) -> None:
    """Any text, brackets and quotes included, written as a TOML string, reads back as that text."""
    if style == "literal":
        assume("'" not in label and not any(c in label for c in "\n\r\x7f") and label.isprintable())
        written = f"'{label}'"
    else:
        written = toml_string(label, style)
    text = f"{TOML_REQUEST}\n[[overrides]]\nweek = 2\nlabel = {written}\n"
    message, read = "", None
    try:
        read = from_toml(text, PlanRequest).overrides[0].label
    except InvalidInput as exc:
        message = str(exc)  # a label may be refused for what it holds (a control character), never for depth
    assert "nested" not in message
    assert read in (label, None)


@pytest.mark.parametrize("name", ["athlete", "plan", "policy", "session"])
def test_version_1_documents_still_read(name: str) -> None:
    """A document written by version 1 (without the keys version 2 added) reads as it is."""
    import json

    import hipplan as hp

    data = json.loads((Path(__file__).parent / "golden" / f"{name}.json").read_text(encoding="utf-8"))
    data["schema_version"] = 1
    for key in ("loads", "start", "plan_id"):
        data.pop(key, None)
        if isinstance(data.get("athlete"), dict):
            data["athlete"].pop(key, None)
    kind = {"athlete": hp.Athlete, "plan": hp.Plan, "policy": hp.Policy, "session": hp.Session}[name]
    value = hp.from_json(json.dumps(data), kind)
    assert hp.from_json(hp.to_json(value), kind) == value
