"""The built-in catalogue: the single-leg hip thrust, its loaded variations, and the easier moves below it.

The catalogue is plain data made of :mod:`hipplan.exercises` classes. Every text here is hipplan's own wording.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar, overload

import attrs

from .errors import InvalidInput
from .exercises import Cue, Exercise, Mistake, Rung, Variation
from .vocabulary import Equipment as E

__all__ = [
    "CATALOG",
    "GLUTE_BRIDGE",
    "HIP_THRUST",
    "SINGLE_LEG_GLUTE_BRIDGE",
    "SINGLE_LEG_HIP_THRUST",
    "Catalog",
]

_T = TypeVar("_T")

_BODYWEIGHT_NOTE = "No external load: the body is the resistance."


def _floor_loads(where: str) -> tuple[Variation, ...]:
    """The loads a floor bridge can take from ordinary kit: a dumbbell or a sandbag resting on the hips.

    ``where`` says where the load sits (across both hips, or on the working side's hip).
    """
    return (
        Variation(
            id="dumbbell",
            name="Dumbbell",
            needs=frozenset({E.DUMBBELL}),
            load_cap_bw=0.25,
            load_step_kg=2.0,
            loads_hip=True,
            setup=f"Lie down, then rest one dumbbell {where} and keep both hands on it for the whole set.",
            notes=("A floor bridge lifts a load a short way: light dumbbells are enough.",),
        ),
        Variation(
            id="sandbag",
            name="Sandbag",
            needs=frozenset({E.SANDBAG}),
            load_cap_bw=0.4,
            load_step_kg=2.5,
            loads_hip=True,
            setup=f"Lie down, then lay a sandbag {where}.",
            notes=("The bag shapes itself to the hips; fill it a little more for the next step.",),
        ),
    )


GLUTE_BRIDGE = Exercise(
    id="glute-bridge",
    name="Glute bridge",
    unilateral=False,
    needs_support=False,
    rank=0,
    summary="Lying on the floor, both feet planted, lift the hips by squeezing the glutes.",
    primary_muscles=("glutes",),
    secondary_muscles=("hamstrings",),
    setup=("Lie on your back on the floor, knees bent, both feet flat and about hip-width apart.",),
    steps=(
        "Press through both heels and lift the hips until knees, hips and shoulders line up.",
        "Squeeze the glutes for a moment at the top.",
        "Lower the hips slowly back to the floor.",
    ),
    cues=(
        Cue(
            text="Push the floor away through your heels.", why="keeps the work in the glutes, not the quads"
        ),
    ),
    mistakes=(
        Mistake(
            fault="Arching the lower back to get the hips higher.",
            fix="Stop where the glutes stop; keep the ribs down.",
        ),
    ),
    benefits=("Needs nothing but floor space.", "Teaches the glute squeeze the harder moves rely on."),
    variations=(
        Variation(id="bodyweight", name="Bodyweight", notes=(_BODYWEIGHT_NOTE,)),
        *_floor_loads("across both hips"),
    ),
)

SINGLE_LEG_GLUTE_BRIDGE = Exercise(
    id="single-leg-glute-bridge",
    name="Single-leg glute bridge",
    unilateral=True,
    needs_support=False,
    rank=1,
    summary="The floor bridge on one leg: the first one-sided step towards the single-leg hip thrust.",
    primary_muscles=("glutes",),
    secondary_muscles=("hamstrings",),
    setup=("Lie on your back, one foot flat on the floor near the hips, the other leg lifted.",),
    steps=(
        "Drive through the heel of the planted foot and raise the hips.",
        "Keep the hips level; pause and squeeze at the top.",
        "Lower under control, then finish the set before switching legs.",
    ),
    cues=(Cue(text="Keep both hip bones level.", why="stops the pelvis rolling towards the free leg"),),
    mistakes=(
        Mistake(
            fault="Letting the hips drop on the free-leg side.",
            fix="Lift only as high as you can stay level.",
        ),
    ),
    benefits=("Works each side alone, so a weaker side cannot hide.", "Needs no equipment."),
    variations=(
        Variation(id="bodyweight", name="Bodyweight", notes=(_BODYWEIGHT_NOTE,)),
        *_floor_loads("on the hip of the working leg"),
    ),
)

HIP_THRUST = Exercise(
    id="hip-thrust",
    name="Hip thrust (two legs)",
    unilateral=False,
    needs_support=True,
    rank=2,
    summary="Upper back on a bench, box or couch, both feet down: the full hip-thrust range on two legs.",
    primary_muscles=("glutes",),
    secondary_muscles=("hamstrings",),
    setup=(
        "Sit with the bottom edge of the shoulder blades against the edge of the support.",
        "Feet flat, about hip-width, so the shins are near vertical at the top.",
    ),
    steps=(
        "Drive through the heels and raise the hips until the torso is level with the support.",
        "Squeeze the glutes at the top, chin tucked.",
        "Lower the hips under control without resting them on the floor.",
    ),
    cues=(
        Cue(text="Chin tucked, eyes forward.", why="the torso moves as one piece and the neck stays safe"),
    ),
    mistakes=(
        Mistake(fault="Throwing the head back at the top.", fix="Keep the chin tucked and the gaze forward."),
    ),
    benefits=("Trains the full hip-extension range with both legs sharing the work.",),
    variations=(Variation(id="bodyweight", name="Bodyweight", notes=(_BODYWEIGHT_NOTE,)),),
)

SINGLE_LEG_HIP_THRUST = Exercise(
    id="single-leg-hip-thrust",
    name="Single-leg hip thrust",
    unilateral=True,
    needs_support=True,
    rank=3,
    summary=(
        "Upper back on a support, one foot on the floor, the other leg held up: drive the hips up with one glute."
    ),
    primary_muscles=("glutes",),
    secondary_muscles=("hamstrings",),
    setup=(
        "Find something stable to lean on: a flat bench, a soft plyo box, or a couch at home.",
        "Rest the lower edge of your shoulder blades on its edge; sit low enough that the hips hang clear of the floor.",
        "Plant the working foot; lift the other leg and keep it in the air for the whole set.",
    ),
    steps=(
        "Push through the heel of the working foot (the toes may come up).",
        "Drive the hips up by squeezing the glute until the torso is level; hold a short pause at the top.",
        "Lower the hips under control, stopping before they touch the floor.",
        "Finish every rep on one side, then do the same number on the other.",
    ),
    cues=(
        Cue(
            text="Drive through the heel of the working leg.",
            why="puts the effort into the glute and hamstring",
        ),
        Cue(text="Cross your arms over your chest.", why="the elbows can no longer push you up"),
        Cue(text="Let the free leg hang still.", why="it must not lend momentum"),
        Cue(text="Pause at the top and squeeze.", why="owns the end range where the glute works hardest"),
        Cue(
            text="Chin tucked, eyes forward; the upper back stays put.",
            why="protects the neck and lower back",
        ),
    ),
    mistakes=(
        Mistake(
            fault="Pushing off the bench with the elbows or upper back.",
            fix="Cross the arms over the chest so only the hips can do the work.",
        ),
        Mistake(
            fault="Throwing the head back or arching the lower back to lift the hips higher.",
            fix="Keep the chin tucked and the eyes forward; move only as far as the glute moves the hips.",
        ),
        Mistake(
            fault="Kicking the free leg up to get momentum.",
            fix="Hold the free leg still on purpose for the whole set.",
        ),
    ),
    benefits=(
        "Needs nothing but something to lean on: works at home, in a hotel room or in a ten-minute office break.",
        "Easy to do badly, so it trains attention to every rep.",
        "Builds the glute and hamstring mind-muscle connection that helps heavy hinges such as the deadlift.",
        "Covers single-leg work and serious glute work in one exercise.",
    ),
    variations=(
        Variation(
            id="bodyweight",
            name="Bodyweight",
            notes=(_BODYWEIGHT_NOTE, "The default, and possible wherever there is a support surface."),
        ),
        Variation(
            id="banded",
            name="Banded",
            needs=frozenset({E.BAND}),
            load_cap_bw=0.2,
            load_step_kg=2.5,
            loads_hip=True,
            setup="Loop a long band under the working heel and over the working hip.",
            notes=(
                "Loads are the band's rough tension at the top, in kg; the next step is the next heavier band.",
                "A band anchored from heel to knee is steadier but adds no resistance at the hip: it does not count"
                " as loading.",
            ),
        ),
        Variation(
            id="dumbbell",
            name="Dumbbell",
            needs=frozenset({E.DUMBBELL}),
            load_cap_bw=0.25,
            load_step_kg=2.0,
            loads_hip=True,
            setup="Hold one dumbbell upright on the working hip, and keep a hand on it the whole set.",
            notes=("Heavy dumbbells are hard to keep in place, so the practical load stays low.",),
        ),
        Variation(
            id="sandbag",
            name="Sandbag",
            needs=frozenset({E.SANDBAG}),
            load_cap_bw=0.4,
            load_step_kg=2.5,
            loads_hip=True,
            setup="Lay a sandbag across the hips.",
            notes=("The most comfortable load on the hips; fill the bag in small steps.",),
        ),
        Variation(
            id="landmine",
            name="Landmine",
            needs=frozenset({E.BARBELL, E.LANDMINE}),
            optional=frozenset({E.HIP_PAD}),
            load_cap_bw=0.5,
            load_step_kg=2.5,
            loads_hip=True,
            switch_sides=True,
            setup=(
                "Set the bench beside a barbell in a landmine; rest the bar end in the crease of the hip nearest"
                " the landmine. Use a hip pad if the bar hurts."
            ),
            notes=(
                "The working leg is always the one nearest the landmine: to train the other leg, move to the other"
                " side of the bench.",
            ),
        ),
        Variation(
            id="mini-band",
            name="Mini band around the thighs",
            needs=frozenset({E.MINI_BAND}),
            forbidden=True,
            notes=(
                "Never prescribed: a mini band around both thighs adds nothing here and limits hip extension.",
            ),
        ),
    ),
)


def _exercises(value: Iterable[Exercise]) -> tuple[Exercise, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Catalog(Mapping[str, Exercise]):
    """A set of exercises by id; the built-in one is :data:`CATALOG`, and users can build their own."""

    exercises: tuple[Exercise, ...] = attrs.field(converter=_exercises)
    _by_id: dict[str, Exercise] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        ids = [ex.id for ex in self.exercises]
        for ex_id in ids:
            if ids.count(ex_id) > 1:
                raise InvalidInput(
                    f"'exercises' must have unique ids (got {ex_id!r} twice)", field="exercises"
                )
        object.__setattr__(self, "_by_id", {ex.id: ex for ex in self.exercises})

    def __getitem__(self, exercise_id: str) -> Exercise:
        found = self._by_id.get(exercise_id) if isinstance(exercise_id, str) else None
        if found is not None:
            return found
        known = ", ".join(ex.id for ex in self.exercises)
        raise InvalidInput(f"no exercise {exercise_id!r} in the catalogue (known: {known})")

    @overload
    def get(self, exercise_id: str, /) -> Exercise | None: ...

    @overload
    def get(self, exercise_id: str, /, default: Exercise | _T) -> Exercise | _T: ...

    def get(self, exercise_id: str, /, default: object = None) -> object:
        """The exercise with this id, or ``default`` (the Mapping contract: no error for an unknown id)."""
        return self._by_id.get(exercise_id, default) if isinstance(exercise_id, str) else default

    def __iter__(self) -> Iterator[str]:
        return (ex.id for ex in self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._by_id

    def variation(self, rung: Rung) -> Variation:
        """The variation a rung names."""
        return self[rung.exercise].variation(rung.variation)

    def rungs(self) -> Iterable[Rung]:
        """Every prescribable rung, easiest exercise first, variations in catalogue order."""
        for ex in sorted(self.exercises, key=lambda e: e.rank):
            for var in ex.allowed_variations:
                yield Rung(exercise=ex.id, variation=var.id)

    def check_rung(self, rung: Rung) -> None:
        """Raise :class:`InvalidInput` unless ``rung`` names an allowed variation of a catalogued exercise."""
        var = self.variation(rung)
        if var.forbidden:
            raise InvalidInput(f"rung {rung} is an anti-pattern and is never prescribed")


CATALOG = Catalog(exercises=(GLUTE_BRIDGE, SINGLE_LEG_GLUTE_BRIDGE, HIP_THRUST, SINGLE_LEG_HIP_THRUST))
"""The built-in catalogue."""
