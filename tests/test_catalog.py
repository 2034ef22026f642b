"""The exercise model and the built-in catalogue: each DOMAIN.md fact about variations, and the mini band."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipplan import CATALOG, Catalog, Cue, Equipment, Exercise, InvalidInput, Mistake, Rung, Variation
from hipplan import strategies as hst
from hipplan.catalog import GLUTE_BRIDGE, HIP_THRUST, SINGLE_LEG_GLUTE_BRIDGE, SINGLE_LEG_HIP_THRUST
from hipplan.ladder import default_ladder

E = Equipment
SLHT = SINGLE_LEG_HIP_THRUST
MINI_BAND = Rung(exercise="single-leg-hip-thrust", variation="mini-band")
LOADED_IDS = ("banded", "dumbbell", "sandbag", "landmine")


def slht(variation_id: str) -> Variation:
    """A variation of the built-in single-leg hip thrust."""
    return SLHT.variation(variation_id)


def kits_with_a_support() -> st.SearchStrategy[frozenset[Equipment]]:
    """Any kit that has at least one support surface."""
    return st.builds(
        lambda support, rest: rest | {support}, st.sampled_from(sorted(E.supports())), hst.equipment_sets()
    )


# --- the five variations -----------------------------------------------------------------------------------


def test_slht_has_the_five_variations() -> None:
    """The single-leg hip thrust offers bodyweight, banded, dumbbell, sandbag and landmine, nothing else."""
    expected = {"bodyweight", "banded", "dumbbell", "sandbag", "landmine"}
    assert expected == {var.id for var in SLHT.allowed_variations}


def test_bodyweight_is_the_default_and_needs_nothing() -> None:
    """Bodyweight is the first (default) variation, needs no equipment and adds no load."""
    bodyweight = slht("bodyweight")
    assert bodyweight == SLHT.allowed_variations[0]
    assert frozenset() == bodyweight.needs
    assert not bodyweight.is_loaded
    no_cap = 0.0
    assert no_cap == bodyweight.load_cap_bw


@given(kits_with_a_support())
def test_bodyweight_always_possible_where_there_is_a_support(kit: frozenset[Equipment]) -> None:
    """Wherever a bench, box or couch is at hand, the bodyweight SLHT fits, whatever else is there."""
    assert slht("bodyweight").fits(kit)
    assert default_ladder().fits(Rung(exercise="single-leg-hip-thrust", variation="bodyweight"), kit)


@given(hst.equipment_sets().map(lambda kit: kit - Equipment.supports()))
def test_no_slht_without_a_support(kit: frozenset[Equipment]) -> None:
    """Without a support surface no single-leg hip thrust variation fits, loaded or not."""
    ladder = default_ladder()
    assert not any(ladder.fits(Rung(exercise=SLHT.id, variation=var.id), kit) for var in SLHT.variations)


def test_landmine_needs_barbell_and_landmine_pad_optional() -> None:
    """The landmine variation needs a barbell in a landmine; the hip pad is optional."""
    landmine = slht("landmine")
    assert frozenset({E.BARBELL, E.LANDMINE}) == landmine.needs
    assert frozenset({E.HIP_PAD}) == landmine.optional
    assert landmine.fits(frozenset({E.BARBELL, E.LANDMINE}))
    assert not landmine.fits(frozenset({E.BARBELL, E.HIP_PAD}))
    assert not landmine.fits(frozenset({E.LANDMINE, E.HIP_PAD}))


def test_landmine_switches_sides_and_no_other_variation_does() -> None:
    """Only the landmine makes the athlete move to the other side of the bench between legs."""
    expected = {"landmine"}
    assert expected == {var.id for var in SLHT.allowed_variations if var.switch_sides}


def test_landmine_texts_describe_the_side_switch_and_the_hip_crease() -> None:
    """The landmine set-up rests the bar end in the hip crease and its notes explain the side switch."""
    landmine = slht("landmine")
    assert "crease" in landmine.setup
    assert "pad" in landmine.setup
    assert any("nearest" in note and "other side" in note for note in landmine.notes)


def test_dumbbell_practical_cap_is_low() -> None:
    """A dumbbell is hard to keep in place: its practical cap is below the sandbag's and the landmine's."""
    dumbbell = slht("dumbbell")
    assert frozenset({E.DUMBBELL}) == dumbbell.needs
    assert dumbbell.load_cap_bw < slht("sandbag").load_cap_bw
    assert dumbbell.load_cap_bw < slht("landmine").load_cap_bw
    assert "hand" in dumbbell.setup
    assert any("low" in note for note in dumbbell.notes)


def test_banded_loads_over_the_hip_not_heel_to_knee() -> None:
    """The band goes under the working heel and over the working hip; heel-to-knee adds nothing at the hip."""
    banded = slht("banded")
    assert frozenset({E.BAND}) == banded.needs
    assert banded.loads_hip
    assert "heel" in banded.setup
    assert "hip" in banded.setup
    assert any("heel to knee" in note and "no resistance" in note for note in banded.notes)


def test_a_band_that_adds_no_hip_load_cannot_claim_a_cap() -> None:
    """A band anchored heel-to-knee, which loads nothing at the hip, cannot carry a load cap."""
    with pytest.raises(InvalidInput, match="load_cap_bw"):
        Variation(id="heel-knee", name="Heel to knee band", needs={E.BAND}, load_cap_bw=0.2, loads_hip=False)


def test_sandbag_is_the_most_comfortable_load() -> None:
    """The sandbag needs only a sandbag and is recorded as the most comfortable load on the hips."""
    sandbag = slht("sandbag")
    assert frozenset({E.SANDBAG}) == sandbag.needs
    assert any("most comfortable" in note for note in sandbag.notes)


@pytest.mark.parametrize("variation_id", LOADED_IDS)
def test_loaded_caps_are_well_below_bodyweight(variation_id: str) -> None:
    """Every loaded variation has a cap above zero and well below bodyweight (under 1.0 x BW)."""
    var = slht(variation_id)
    assert var.is_loaded
    assert 0 < var.load_cap_bw < 1.0
    assert var.load_step_kg > 0


@given(st.floats(min_value=20, max_value=300), st.sampled_from(LOADED_IDS))
def test_load_cap_kg_stays_below_bodyweight(bodyweight: float, variation_id: str) -> None:
    """For any bodyweight the practical load cap in kg is positive and below that bodyweight."""
    cap = slht(variation_id).load_cap_kg(bodyweight)
    assert 0 < cap < bodyweight


def test_load_cap_kg_example() -> None:
    """The dumbbell cap for an 80 kg athlete is 20 kg (0.25 x BW)."""
    expected = 20.0
    assert expected == slht("dumbbell").load_cap_kg(80)


def test_each_loaded_variation_needs_one_load_implement() -> None:
    """Every loaded variation needs a load implement; the bodyweight one needs none."""
    for var in SLHT.allowed_variations:
        implements = {e for e in var.needs if e.kind.value == "load"}
        assert bool(implements) is var.is_loaded, var.id


# --- the mini band: never prescribable ---------------------------------------------------------------------


def test_mini_band_is_on_record_as_forbidden() -> None:
    """The mini band around the thighs is recorded, forbidden, and explained."""
    mini = slht("mini-band")
    assert mini.forbidden
    assert E.MINI_BAND in mini.needs
    assert any("never" in note.lower() for note in mini.notes)


@given(hst.equipment_sets())
def test_mini_band_fits_no_kit(kit: frozenset[Equipment]) -> None:
    """Whatever the kit (the mini band and every support included), the mini-band variation never fits."""
    assert not slht("mini-band").fits(kit)
    assert not slht("mini-band").fits(kit | {E.MINI_BAND, E.BENCH})
    assert not default_ladder().fits(MINI_BAND, kit | {E.MINI_BAND, E.BENCH})


def test_mini_band_is_not_prescribable() -> None:
    """The mini band is no allowed variation, catalogue rung or ladder rung; check_rung refuses it."""
    assert "mini-band" not in {var.id for var in SLHT.allowed_variations}
    assert MINI_BAND not in set(CATALOG.rungs())
    assert MINI_BAND not in set(default_ladder().graph.nodes)
    with pytest.raises(InvalidInput, match="mini-band"):
        CATALOG.check_rung(MINI_BAND)
    with pytest.raises(InvalidInput, match="mini-band"):
        default_ladder().rank(MINI_BAND)


def test_mini_band_cannot_be_made_allowed() -> None:
    """Turning the mini band into an allowed variation is refused, so no custom catalogue can prescribe it."""
    with pytest.raises(InvalidInput, match="mini"):
        attrs.evolve(slht("mini-band"), forbidden=False)
    with pytest.raises(InvalidInput, match="mini"):
        Variation(id="thigh-band", name="Band around the thighs", needs={E.MINI_BAND})
    with pytest.raises(InvalidInput, match="mini"):
        Variation(id="sneaky", name="Bodyweight with a mini band", optional={E.MINI_BAND})


def test_forbidden_variations_never_enter_a_custom_catalogue_ladder() -> None:
    """A user's exercise with a forbidden variation keeps it out of rungs() and the ladder."""
    custom = Exercise(
        id="custom-thrust",
        name="Custom thrust",
        unilateral=True,
        needs_support=True,
        rank=9,
        variations=(
            Variation(id="bodyweight", name="Bodyweight"),
            Variation(id="bad", name="Bad idea", needs={E.MINI_BAND}, forbidden=True),
        ),
    )
    catalog = Catalog(exercises=(*CATALOG.exercises, custom))
    bad = Rung(exercise="custom-thrust", variation="bad")
    assert bad not in set(catalog.rungs())
    with pytest.raises(InvalidInput):
        catalog.check_rung(bad)


# --- regressions and the order of the catalogue ------------------------------------------------------------


def test_at_least_two_regressions_below_the_slht() -> None:
    """At least two floor regressions sit below the single-leg hip thrust and need no support surface."""
    floor = [ex for ex in CATALOG.values() if not ex.needs_support]
    assert len(floor) >= 2
    assert all(ex.rank < SLHT.rank for ex in floor)


@pytest.mark.parametrize("exercise", [GLUTE_BRIDGE, SINGLE_LEG_GLUTE_BRIDGE], ids=lambda ex: ex.id)
def test_regressions_need_no_support(exercise: Exercise) -> None:
    """The floor bridges need no support surface: they fit an empty kit."""
    assert not exercise.needs_support
    assert default_ladder().fits(Rung(exercise=exercise.id, variation="bodyweight"), frozenset())


def test_catalogue_order_follows_the_domain_ladder() -> None:
    """Glute bridge, then single-leg glute bridge, then two-leg hip thrust, then the single-leg hip thrust."""
    expected = ["glute-bridge", "single-leg-glute-bridge", "hip-thrust", "single-leg-hip-thrust"]
    assert expected == [ex.id for ex in sorted(CATALOG.values(), key=lambda ex: ex.rank)]
    assert HIP_THRUST.needs_support
    assert not HIP_THRUST.unilateral
    assert SINGLE_LEG_GLUTE_BRIDGE.unilateral


def test_rungs_are_every_allowed_variation_easiest_first() -> None:
    """Catalog.rungs() lists each allowed variation once, easiest exercise first; each passes check_rung."""
    rungs = list(CATALOG.rungs())
    expected = [
        Rung(exercise=ex.id, variation=var.id) for ex in CATALOG.values() for var in ex.allowed_variations
    ]
    assert sorted(expected) == sorted(rungs)
    assert len(set(rungs)) == len(rungs)
    ranks = [CATALOG[r.exercise].rank for r in rungs]
    assert sorted(ranks) == ranks
    for rung in rungs:
        CATALOG.check_rung(rung)


# --- the single-leg hip thrust's card ----------------------------------------------------------------------


def test_slht_card_facts() -> None:
    """The SLHT is unilateral, needs a support, works glutes first and hamstrings second."""
    assert SLHT.unilateral
    assert SLHT.needs_support
    glutes, hamstrings = ("glutes",), ("hamstrings",)
    assert glutes == SLHT.primary_muscles
    assert hamstrings == SLHT.secondary_muscles
    assert SLHT.setup
    assert SLHT.steps
    assert SLHT.benefits


def test_slht_mistakes_each_have_a_fix() -> None:
    """The three common mistakes (elbows, head back, kicking leg) are recorded, each with its fix."""
    assert len(SLHT.mistakes) >= 3
    faults = " ".join(m.fault.lower() for m in SLHT.mistakes)
    for word in ("elbows", "head", "kick"):
        assert word in faults
    assert all(m.fix.strip() for m in SLHT.mistakes)


def test_slht_cues_cover_heel_arms_free_leg_and_pause() -> None:
    """The coaching cues cover the heel drive, crossed arms, a still free leg and the pause at the top."""
    cues = " ".join(c.text.lower() for c in SLHT.cues)
    for word in ("heel", "arms", "free leg", "pause"):
        assert word in cues


@pytest.mark.parametrize("exercise", list(CATALOG.values()), ids=lambda ex: ex.id)
def test_catalogue_texts_are_not_blank(exercise: Exercise) -> None:
    """Every text of every catalogue entry is a non-blank string without stray outer spaces."""
    texts = [
        exercise.name,
        exercise.summary,
        *exercise.setup,
        *exercise.steps,
        *exercise.benefits,
        *(c.text for c in exercise.cues),
        *(m.fault for m in exercise.mistakes),
        *(m.fix for m in exercise.mistakes),
        *(note for var in exercise.variations for note in var.notes),
    ]
    assert all(t.strip() == t and t for t in texts)


# --- model validation --------------------------------------------------------------------------------------


def test_variation_refuses_a_loaded_variation_without_a_cap() -> None:
    """A variation that loads the hip must have a cap above zero; the message names the field."""
    with pytest.raises(InvalidInput, match="'load_cap_bw' must be > 0"):
        Variation(id="x", name="X", needs={E.SANDBAG}, loads_hip=True)


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", ""), ("name", "  "), ("load_cap_bw", -0.1), ("load_cap_bw", float("nan")), ("loads_hip", 1)],
)
def test_variation_refuses_bad_fields(field: str, value: object) -> None:
    """Blank ids and names, negative or NaN caps and non-bool flags are refused, naming field and value."""
    kwargs: dict[str, object] = {"id": "x", "name": "X", field: value}
    with pytest.raises(InvalidInput) as info:
        Variation(**kwargs)  # type: ignore[arg-type]
    assert f"'{field}'" in str(info.value)
    assert repr(value) in str(info.value)


def test_variation_accepts_equipment_values_as_strings() -> None:
    """Equipment can be given by its string value; it is stored as the enum member."""
    var = Variation(id="x", name="X", needs=["sandbag"], loads_hip=True, load_cap_bw=0.3)
    assert frozenset({E.SANDBAG}) == var.needs


def test_variation_refuses_unknown_equipment() -> None:
    """An unknown equipment string is refused, naming the value."""
    with pytest.raises(InvalidInput, match="kettlebell"):
        Variation(id="x", name="X", needs=["kettlebell"])


def test_exercise_needs_an_allowed_variation() -> None:
    """An exercise whose only variation is forbidden is refused."""
    with pytest.raises(InvalidInput, match="at least one allowed variation"):
        Exercise(
            id="x",
            name="X",
            unilateral=True,
            needs_support=True,
            variations=(Variation(id="bad", name="Bad", forbidden=True),),
        )


def test_exercise_refuses_duplicate_variation_ids() -> None:
    """Two variations with the same id in one exercise are refused, naming the id."""
    with pytest.raises(InvalidInput, match="'bodyweight' twice"):
        Exercise(
            id="x",
            name="X",
            unilateral=True,
            needs_support=True,
            variations=(Variation(id="bodyweight", name="A"), Variation(id="bodyweight", name="B")),
        )


def test_exercise_unknown_variation_names_the_known_ones() -> None:
    """Asking for an unknown variation raises InvalidInput listing the known ids."""
    with pytest.raises(InvalidInput, match="known: bodyweight, banded"):
        SLHT.variation("kettlebell")


def test_cue_and_mistake_refuse_blank_text() -> None:
    """A cue needs its text and a mistake needs both its fault and its fix."""
    with pytest.raises(InvalidInput, match="'text'"):
        Cue(text=" ")
    with pytest.raises(InvalidInput, match="'fix'"):
        Mistake(fault="Rushing.", fix="")


# --- the catalogue as a mapping ----------------------------------------------------------------------------


def test_catalog_is_a_mapping_by_id() -> None:
    """CATALOG maps each exercise id to its Exercise, in catalogue order."""
    expected = ["glute-bridge", "single-leg-glute-bridge", "hip-thrust", "single-leg-hip-thrust"]
    assert expected == list(CATALOG)
    assert len(expected) == len(CATALOG)
    assert SLHT is CATALOG["single-leg-hip-thrust"]
    assert "single-leg-hip-thrust" in CATALOG
    assert "deadlift" not in CATALOG


def test_catalog_unknown_id_is_invalid_input_naming_known_ids() -> None:
    """An unknown id raises InvalidInput (a ValueError, not a bare KeyError) that lists the known ids."""
    with pytest.raises(InvalidInput, match="known: glute-bridge"):
        CATALOG["deadlift"]


def test_catalog_get_returns_the_default_for_an_unknown_id() -> None:
    """Catalog.get keeps the Mapping contract: the default for an unknown id, the exercise otherwise."""
    assert CATALOG.get("deadlift") is None
    assert SLHT is CATALOG.get("single-leg-hip-thrust", GLUTE_BRIDGE)
    assert GLUTE_BRIDGE is CATALOG.get("deadlift", GLUTE_BRIDGE)


def test_catalog_refuses_duplicate_ids() -> None:
    """Two exercises with the same id in one catalogue are refused, naming the id."""
    with pytest.raises(InvalidInput, match="'glute-bridge' twice"):
        Catalog(exercises=(GLUTE_BRIDGE, GLUTE_BRIDGE))


def test_users_can_build_their_own_entries() -> None:
    """A user's exercise, built with the same classes, joins a catalogue next to the built-in ones."""
    step_up = Exercise(
        id="b-stance-hip-thrust",
        name="B-stance hip thrust",
        unilateral=True,
        needs_support=True,
        rank=3,
        cues=(Cue(text="Most of the weight on the front heel."),),
        mistakes=(
            Mistake(fault="Pushing with the back foot.", fix="Keep only the toes of the back foot down."),
        ),
        variations=(Variation(id="bodyweight", name="Bodyweight"),),
    )
    catalog = Catalog(exercises=[*CATALOG.values(), step_up])
    assert step_up is catalog["b-stance-hip-thrust"]
    assert Rung(exercise="b-stance-hip-thrust") in set(catalog.rungs())
