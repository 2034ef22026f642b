"""Kit and units (issue 10, items 1-4): every load is one the athlete's own kit makes, in the athlete's unit,
pounds without conversion noise, the landmine bar counted, logged loads matched within half a step."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hipplan as hp
from hipplan import progression as pg
from hipplan import strategies as hst
from hipplan.catalog import CATALOG
from hipplan.units import Band, Kit, lb, load_value, rack, show_bodyweight, show_load

E = hp.Equipment
L, R = hp.Side.LEFT, hp.Side.RIGHT
LB, KG = hp.Unit.LB, hp.Unit.KG
DUMBBELL = hp.Rung(exercise="single-leg-hip-thrust", variation="dumbbell")
LANDMINE = hp.Rung(exercise="single-leg-hip-thrust", variation="landmine")
BANDED = hp.Rung(exercise="single-leg-hip-thrust", variation="banded")
LOADED = ("dumbbell", "sandbag", "banded", "landmine")
EVERYTHING = frozenset({E.BENCH, E.DUMBBELL, E.SANDBAG, E.BAND, E.BARBELL, E.LANDMINE})



def met(dose: hp.Dose, rung: hp.Rung, *, extra: int = 0) -> list[hp.Performed]:
    """Every set of both sides at the target (``extra`` more reps on each)."""
    sides = list(hp.Side) if CATALOG[rung.exercise].unilateral else [None]
    return [
        hp.Performed(side=side, reps=dose.reps + extra, load_kg=dose.load_kg, pause_s=dose.pause_s)
        for side in sides
        for _ in range(dose.sets)
    ]


def makeable(load_kg: float, variation: str, kit: Kit) -> bool:
    """Whether ``load_kg`` is exactly one of the loads the kit makes on ``variation`` (or no load)."""
    return load_kg == 0 or any(abs(load_kg - x) < 1e-9 for x in kit.loads_kg(variation) or ())


# --- DOMAIN.md's kit facts, one example each --------------------------------------------------------------


def test_the_usual_dumbbells_go_in_1_kg_steps_to_10_kg_then_2_5_kg() -> None:
    """A kg athlete who says only "dumbbells" gets 1, 2, ... 10 kg, then 12.5, 15, ... kg."""
    loads = hp.Athlete(level="advanced").load_kit.loads("dumbbell")
    assert (1.0, 2.0, 3.0) == loads[:3]
    assert (9.0, 10.0, 12.5, 15.0) == loads[8:12]


def test_the_usual_pound_dumbbells_go_in_5_lb_steps() -> None:
    """A lb athlete's usual rack is 5, 10, 15 lb ...; stored in kg exactly, shown as the same pounds."""
    athlete = hp.Athlete(level="advanced", unit="lb")
    assert (5.0, 10.0, 15.0, 20.0) == athlete.load_kit.loads("dumbbell")[:4]
    shown = [show_load(x, LB) for x in athlete.load_kit.loads_kg("dumbbell") or ()]
    assert ["5 lb", "10 lb", "15 lb", "20 lb"] == shown[:4]


def test_plates_come_in_small_sizes_per_unit() -> None:
    """Landmine steps are the smallest plate: 1.25 kg, or 2.5 lb."""
    assert (10.0, 11.25, 12.5) == Kit().loads("landmine")[:3]
    assert (22.5, 25.0, 27.5) == Kit(unit="lb").loads("landmine")[:3]


def test_bands_are_levels_not_kilograms() -> None:
    """A band load is written as its level; the athlete says which bands they own."""
    kit = Kit(bands=("light", "heavy"))
    assert ("light band", "heavy band") == tuple(
        show_load(x, KG, variation="banded", kit=kit) for x in kit.loads_kg("banded") or ()
    )
    own = Kit(bands=(Band(level="red", tension=7),))
    assert "red band" == show_load(7, KG, variation="banded", kit=own)


def test_a_sandbag_goes_in_fill_steps() -> None:
    """A sandbag's loads are its fills, as the athlete gives them."""
    assert (4.0, 6.0, 8.0) == Kit(sandbag=rack(4, 8, 2)).loads("sandbag")


def test_a_pound_user_never_sees_4_4_lb() -> None:
    """The first dumbbell a pound athlete is given is 5 lb, and every step is a whole dumbbell of the rack."""
    athlete = hp.Athlete(level="intermediate", unit="lb", bodyweight_kg=lb(150))
    dose = hp.Dose(sets=3, reps=15)
    step = hp.progress(dose, met(dose, hp.Rung(exercise="single-leg-hip-thrust")), athlete=athlete, kit=EVERYTHING)
    seen = []
    for _ in range(30):
        seen.append(show_load(step.dose.load_kg, LB))
        step = hp.progress(step, met(step.dose, step.rung), athlete=athlete, kit={E.BENCH, E.DUMBBELL})
    loaded = [text for text in seen if text != "-"]
    assert loaded
    assert all(text.endswith(" lb") and float(text[:-3]) % 5 == 0 for text in loaded)


def test_the_landmine_counts_half_the_bar_and_is_written_as_bar_plus_plates() -> None:
    """A 20 kg bar puts about 10 kg on the hip; 12.5 kg is the bar plus a 2.5 kg plate."""
    assert 10.0 == Kit().loads_kg("landmine")[0]  # type: ignore[index]
    assert "bar + 2.5 kg" == show_load(12.5, KG, variation="landmine", kit=Kit())
    assert "bar" == show_load(22.5 * 0.45359237, LB, variation="landmine", kit=Kit(unit="lb"))
    assert "bar + 5 lb" == show_load(lb(27.5), LB, variation="landmine", kit=Kit(unit="lb"))


def test_22_lb_logged_against_10_kg_is_a_match() -> None:
    """Half the smallest step (1 kg dumbbells) is the tolerance: 9.98 kg counts as 10 kg."""
    athlete = hp.Athlete(level="intermediate", bodyweight_kg=70)
    dose = hp.Dose(sets=3, reps=10, load_kg=10)
    done = [hp.Performed(side=s, reps=10, load_kg=lb(22)) for s in hp.Side for _ in range(3)]
    assert 11 == hp.progress(dose, done, rung=DUMBBELL, athlete=athlete).dose.reps


def test_what_the_sheet_showed_a_pound_athlete_matches_when_logged() -> None:
    """A lb athlete logging exactly the 25 lb the sheet showed (converted by the app to 0.01 kg) met the target."""
    athlete = hp.Athlete(level="intermediate", unit="lb", bodyweight_kg=lb(160))
    dose = hp.Dose(sets=3, reps=10, load_kg=lb(25))
    done = [hp.Performed(side=s, reps=10, load_kg=round(lb(25), 2)) for s in hp.Side for _ in range(3)]
    step = hp.progress(dose, done, rung=DUMBBELL, athlete=athlete)
    assert 11 == step.dose.reps


def test_a_miss_names_the_load_when_the_load_was_short_and_the_reps_when_they_were() -> None:
    """Light sets are a load shortfall, not a reps one; missing reps are a reps shortfall."""
    athlete = hp.Athlete(level="intermediate", unit="lb", bodyweight_kg=lb(160))
    dose = hp.Dose(sets=3, reps=10, load_kg=lb(25))
    light = [hp.Performed(side=s, reps=10, load_kg=lb(20)) for s in hp.Side for _ in range(3)]
    text = hp.progress(dose, light, rung=DUMBBELL, athlete=athlete).reasons[-1].text
    assert "short on load (6 sets at 20 lb against 25 lb)" in text
    assert "reps" not in text
    few = [hp.Performed(side=s, reps=r, load_kg=lb(25)) for s in hp.Side for r in (10, 10, 8)]
    text = hp.progress(dose, few, rung=DUMBBELL, athlete=athlete).reasons[-1].text
    assert "short on reps" in text
    assert "load" not in text


def test_a_68_kg_athlete_reading_pounds_is_150_lb_not_149_9() -> None:
    """Bodyweight is shown in the athlete's unit without noise: what they gave, else a whole pound."""
    assert "150 lb" == show_bodyweight(68, LB)
    assert "150 lb" == show_bodyweight(lb(150), LB)
    assert "68 kg" == show_bodyweight(68, KG)


def test_the_reasons_speak_the_kits_unit() -> None:
    """A pound athlete's reasons say lb, never kg."""
    athlete = hp.Athlete(level="intermediate", unit="lb", bodyweight_kg=lb(160))
    dose = hp.Dose(sets=3, reps=15, load_kg=lb(10))
    step = hp.progress(dose, met(dose, DUMBBELL), rung=DUMBBELL, athlete=athlete)
    assert "Top of the range with 10 lb: add 5 lb (15 lb, cap 40 lb)" in step.reasons[-1].text


def test_a_pound_athletes_plan_reasons_say_lb_never_kg() -> None:
    """A plan that starts from a pound athlete's working dose says so in lb (it used to print 9.07185 kg), and
    no reason anywhere in the plan names kilograms."""
    athlete = hp.Athlete(
        level="advanced",
        unit="lb",
        bodyweight_kg=lb(180),
        loads=Kit(unit=LB, dumbbells=rack(5, 40, 5)),
        working=[hp.WorkingDose(variation="dumbbell", sets=3, reps=10, load_kg=lb(20))],
    )
    week = [
        hp.Session(name="Mon legs", weekday=0, focus=hp.Focus.LOWER, equipment={E.BENCH, E.DUMBBELL}, minutes=60),
        hp.Session(name="Thu legs", weekday=3, focus=hp.Focus.LOWER, equipment={E.BENCH, E.DUMBBELL}, minutes=60),
    ]
    plan = hp.plan(athlete, week, 6)
    texts = [r.text for s in plan.slots for r in s.reasons] + [r.text for r in plan.notes]
    assert any("own working dose on this variation, 3 x 10/side @ 20 lb." in t for t in texts)
    assert not [t for t in texts if " kg" in t]
    assert " kg" not in plan.explain()


def test_a_kit_refuses_nonsense_by_name() -> None:
    """A weight of 0, an empty rack, an unknown band level without a tension: InvalidInput naming the field."""
    with pytest.raises(hp.InvalidInput, match="dumbbells"):
        Kit(dumbbells=(0,))
    with pytest.raises(hp.InvalidInput, match="dumbbells"):
        Kit(dumbbells=())
    with pytest.raises(hp.InvalidInput, match="tension"):
        Kit(bands=("purple",))
    with pytest.raises(hp.InvalidInput, match="step"):
        rack(5, 50, 0)


# --- properties --------------------------------------------------------------------------------------------


@given(st.sampled_from(list(hp.Unit)).flatmap(lambda u: st.tuples(st.just(u), hst.load_kits(unit=u))))
def test_every_makeable_pound_load_is_shown_as_one_of_the_kits_values(unit_kit: tuple[hp.Unit, Kit]) -> None:
    """The displayed number of every load a kit makes is one of the kit's own values (no conversion noise)."""
    unit, kit = unit_kit
    own = kit.resolved(unit)
    assert own.unit is not None
    for variation in ("dumbbell", "sandbag"):
        values = set(own.loads(variation))
        for load in own.loads_kg(variation) or ():
            assert load_value(load, own.unit) in values


@given(
    st.sampled_from(list(hp.Unit)).flatmap(lambda u: st.tuples(st.just(u), hst.load_kits(unit=u))),
    st.sampled_from([DUMBBELL, LANDMINE, BANDED, hp.Rung(exercise="single-leg-hip-thrust", variation="sandbag")]),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=3),
    st.data(),
)
def test_every_load_progress_returns_is_one_the_kit_makes(
    unit_kit: tuple[hp.Unit, Kit], rung: hp.Rung, extra: int, skip: int, data: st.DataObject
) -> None:
    """Fifteen logged exposures of any kit, both units: every prescribed load is one of the kit's, and a pound
    athlete's loads read as whole values of the kit."""
    unit, kit = unit_kit
    bodyweight = lb(170) if unit is LB else 77.0
    athlete = hp.Athlete(level="advanced", unit=unit, bodyweight_kg=bodyweight, loads=kit)
    own = athlete.load_kit
    first = pg.starting_dose(athlete, hp.Role.FINISHER, rung)
    step = hp.progress(first, met(first, rung), rung=rung, athlete=athlete, kit=EVERYTHING)
    for i in range(15):
        assert makeable(step.dose.load_kg, step.rung.variation, own), (step.dose, step.rung)
        if step.dose.load_kg and unit is LB and step.rung.variation in ("dumbbell", "sandbag"):
            assert load_value(step.dose.load_kg, LB) in own.loads(step.rung.variation)
        shortfall = data.draw(st.sampled_from([0, 0, -2])) if i % 4 == 3 else extra
        week = step.week + (1 + skip if i == 7 else 1)
        step = hp.progress(
            step, met(step.dose, step.rung, extra=shortfall), athlete=athlete, kit=EVERYTHING, next_week=week
        )


@given(hst.athletes(), hst.usable_weeks())
def test_every_load_in_a_plan_is_one_the_athletes_kit_makes(athlete: hp.Athlete, week: tuple[hp.Session, ...]) -> None:
    """Random athletes (both units, random kits) and weeks: every slot's load is one the athlete's kit makes."""
    try:
        plan = hp.plan(athlete, week, 8)
    except hp.Infeasible:
        return
    for slot in plan.slots:
        assert makeable(slot.dose.load_kg, slot.variation, athlete.load_kit), slot


# --- JSON ---------------------------------------------------------------------------------------------------


@given(hst.load_kits())
def test_kits_round_trip_through_json(kit: Kit) -> None:
    """A kit comes back from its JSON unchanged."""
    assert kit == hp.from_json(hp.to_json(kit), Kit)


@given(hst.athletes())
def test_athletes_of_both_units_round_trip_through_json(athlete: hp.Athlete) -> None:
    """An athlete, pound bodyweight and kit included, comes back from JSON unchanged, to the bit."""
    back = hp.from_json(hp.to_json(athlete), hp.Athlete)
    assert athlete == back
    assert athlete.bodyweight_kg == back.bodyweight_kg


def test_a_pound_athlete_in_json_keeps_its_pounds() -> None:
    """150 lb is stored as its exact kg and shown as 150 lb after a round trip; the kit stays in pounds."""
    athlete = hp.Athlete(
        level="advanced", unit="lb", bodyweight_kg=lb(150), loads=Kit(dumbbells=rack(5, 50, 5), bands=("light",))
    )
    text = hp.to_json(athlete)
    assert '"bodyweight_kg": 68.0388555' in text
    back = hp.from_json(text, hp.Athlete)
    assert "150 lb" == show_bodyweight(back.bodyweight_kg or 0, back.unit)
    assert back.load_kit.loads("dumbbell")[:2] == (5.0, 10.0)


def test_an_athlete_document_without_a_kit_still_loads() -> None:
    """A document written before kits existed (no 'loads' key) reads as the usual kit of the unit."""
    text = hp.to_json(hp.Athlete(level="beginner", unit="lb")).replace('  "loads": null,\n', "")
    assert '"loads"' not in text
    assert hp.Athlete(level="beginner", unit="lb") == hp.from_json(text, hp.Athlete)
