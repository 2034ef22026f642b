"""Loads as the athlete's own kit makes them, and as the athlete reads them.

A :class:`Kit` says what the athlete's implements can make: which dumbbells, the landmine's bar and plates, the
bands by resistance level, a sandbag's fills. It is written the way a settings screen asks for it, in the kit's
own unit, and anything left out takes the usual kit of that unit. :meth:`Kit.loads_kg` lists every load one
variation can take; the progression rules choose among those loads only, so a prescription is always one the
athlete can pick up.

Every load is stored in kilograms, converted exactly (1 lb = 0.45359237 kg, unrounded), so a pound value comes
back as the same pound value: a 25 lb dumbbell is stored as 11.33980925 kg and shown as ``25 lb``.
:func:`show_load` and :func:`load_value` are the one way every view writes a load; :func:`show_bodyweight` writes
a bodyweight.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from . import _validate as v
from .errors import InvalidInput
from .vocabulary import Unit

if TYPE_CHECKING:
    from .dose import Dose

__all__ = [
    "BAND_LEVELS",
    "LANDMINE_BAR_SHARE",
    "LB",
    "Band",
    "Kit",
    "lb",
    "load_value",
    "rack",
    "show_bodyweight",
    "show_dose",
    "show_load",
    "to_kg",
]

LB = 0.45359237
"""One pound in kilograms, exactly (the international pound)."""

LANDMINE_BAR_SHARE = 0.5
"""The share of the bar's own weight the hip carries on a landmine: about half (docs/progression.md derives it
from the lever: the bar pivots at its far end, so its weight, acting at its middle, is shared equally between the
pivot and the end on the hip). Plates on the sleeve sit at the hip and count in full."""

MAX_LOAD_KG = 300.0
"""The heaviest load any list of makeable loads goes up to."""

BAND_LEVELS: dict[Unit, dict[str, float]] = {
    Unit.KG: {"light": 5.0, "medium": 10.0, "heavy": 15.0, "extra_heavy": 20.0},
    Unit.LB: {"light": 10.0, "medium": 20.0, "heavy": 30.0, "extra_heavy": 40.0},
}
"""Rough band tension at the top of a hip thrust for the usual resistance levels, per unit (a band's label
says its level, not its load: these are estimates, and a :class:`Band` may give its own)."""


def lb(pounds: float) -> float:
    """Pounds in kilograms, exactly: ``Athlete(unit="lb", bodyweight_kg=hp.lb(150))``.

    >>> lb(25)
    11.33980925
    """
    if isinstance(pounds, bool) or not isinstance(pounds, int | float) or not math.isfinite(pounds):
        raise InvalidInput(f"'pounds' must be a number (got {pounds!r})", field="pounds")
    return to_kg(float(pounds), Unit.LB)


def to_kg(value: float, unit: Unit) -> float:
    """A value in ``unit`` in kilograms (pounds converted exactly, to 1e-9 kg)."""
    return float(value) if unit is Unit.KG else round(value * LB, 9)


def _in(load_kg: float, unit: Unit) -> float:
    """A load in ``unit``, unrounded."""
    return load_kg if unit is Unit.KG else load_kg / LB


def load_value(load_kg: float, unit: Unit) -> float:
    """A load in the athlete's unit, to 0.01 (so 11.25 kg stays 11.25 and 25 lb comes back as 25.0).

    >>> load_value(lb(27.5), Unit.LB), load_value(10, Unit.LB)
    (27.5, 22.05)
    """
    return round(_in(load_kg, unit) + 0.0, 2) + 0.0


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def show_load(load_kg: float, unit: Unit, *, variation: str | None = None, kit: Kit | None = None) -> str:
    """A load for people, ``-`` for none.

    Given the ``variation`` id and the athlete's ``kit`` (:meth:`hipplan.Athlete.load_kit`), a landmine load is
    written as the bar plus plates (``bar + 5 kg``: the plates to put on the sleeve) and a band as its level
    (``medium band``); any other load as a number in ``unit`` (``25 lb``, ``12.5 kg``).

    >>> show_load(lb(25), Unit.LB), show_load(0, Unit.KG)
    ('25 lb', '-')
    >>> show_load(12.5, Unit.KG, variation="landmine", kit=Kit()), show_load(10, Unit.KG, variation="landmine", kit=Kit())
    ('bar + 2.5 kg', 'bar')
    >>> show_load(10, Unit.KG, variation="banded", kit=Kit())
    'medium band'
    """
    if not load_kg:
        return "-"
    if kit is not None and variation is not None:
        own = kit.unit or unit
        if variation == "landmine":
            plates = load_kg - kit.bar_kg(own) * LANDMINE_BAR_SHARE
            if abs(plates) < 1e-6:
                return "bar"
            if plates > 0:
                return f"bar + {_number(load_value(plates, unit))} {unit.value}"
        elif variation == "banded":
            for band in kit.resolved(own).bands or ():
                if band.tension is not None and abs(to_kg(band.tension, own) - load_kg) < 1e-6:
                    return f"{band.level.replace('_', ' ')} band"
    return f"{_number(load_value(load_kg, unit))} {unit.value}"


def show_bodyweight(bodyweight_kg: float, unit: Unit) -> str:
    """A bodyweight in the athlete's unit without conversion noise: what was given in that unit (``150 lb``,
    ``72.5 kg``), else the nearest whole pound or tenth of a kilogram (68 kg read in pounds is ``150 lb``).

    >>> show_bodyweight(lb(150.5), Unit.LB), show_bodyweight(68, Unit.LB), show_bodyweight(72.5, Unit.KG)
    ('150.5 lb', '150 lb', '72.5 kg')
    """
    value = _in(bodyweight_kg, unit)
    tenth = round(value, 1)
    if unit is Unit.LB and abs(value - tenth) > 1e-6:
        tenth = float(round(value))
    return f"{_number(tenth)} {unit.value}"


def show_dose(
    dose: Dose, unit: Unit, *, variation: str | None = None, kit: Kit | None = None, per_side: bool = True
) -> str:
    """A dose in a coach's words, the load in ``unit``: ``3 x 10/side @ 25 lb, 1 s pause`` (``per_side`` False
    for a two-leg exercise: ``2 x 12``)."""
    text = f"{dose.sets} x {dose.reps}" + ("/side" if per_side else "")
    if dose.load_kg:
        text += f" @ {show_load(dose.load_kg, unit, variation=variation, kit=kit)}"
    if dose.pause_s:
        text += f", {dose.pause_s:g} s pause"
    return text


def rack(low: float, high: float, step: float) -> tuple[float, ...]:
    """Weights from ``low`` to ``high`` in steps of ``step`` (both ends included), in the kit's unit.

    >>> rack(5, 25, 5)
    (5.0, 10.0, 15.0, 20.0, 25.0)
    """
    for name, value in (("low", low), ("high", high), ("step", step)):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value <= 0
        ):
            raise InvalidInput(f"{name!r} must be a number > 0 (got {value!r})", field=name)
    if high < low:
        raise InvalidInput(f"'high' must be >= 'low' ({low:g}) (got {high!r})", field="high")
    count = math.floor((high - low) / step + 1e-9) + 1
    if count > 400:
        raise InvalidInput(
            f"'step' makes more than 400 weights from {low:g} to {high:g} (got {step!r})", field="step"
        )
    return tuple(round(low + i * step, 6) + 0.0 for i in range(count))


def _weights(value: Any) -> Any:
    """A list of weights as a sorted tuple of floats without repeats (None stays None: the unit's default)."""
    if value is None or isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return value
    items = tuple(value)
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in items):
        return items
    return tuple(sorted({round(float(x), 6) + 0.0 for x in items}))


def _check_weights(*, allow_empty: bool) -> v.Validator:
    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None:
            return
        ok = isinstance(value, tuple) and all(
            isinstance(x, float) and math.isfinite(x) and 0 < x <= 700 for x in value
        )
        if not ok:
            raise InvalidInput(
                f"{attribute.name!r} must be a list of weights, each a number > 0 and <= 700 (got {value!r})",
                field=attribute.name,
            )
        if not value and not allow_empty:
            raise InvalidInput(
                f"{attribute.name!r} must list at least one weight (got none)", field=attribute.name
            )

    return check


@attrs.frozen(kw_only=True, cache_hash=True)
class Band:
    """A long loop band: its resistance level as the label says, and its rough tension at the top of a hip thrust
    in the kit's unit (None: the usual figure for the level, :data:`BAND_LEVELS`)."""

    level: str = attrs.field(validator=v.text())
    tension: float | None = attrs.field(
        default=None, converter=v.to_float, validator=v.optional(v.number(gt=0, le=200))
    )

    def __attrs_post_init__(self) -> None:
        known = BAND_LEVELS[Unit.KG]
        if self.tension is None and self.level not in known:
            raise InvalidInput(
                f"'level' {self.level!r} has no usual tension (known: {', '.join(known)}): give the band's"
                " 'tension' too",
                field="level",
            )


def _bands(value: Any) -> Any:
    """Bands from level names (``"light"``) or Band values (None stays None: the unit's default)."""
    if value is None or isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return value
    return tuple(Band(level=b) if isinstance(b, str) else b for b in value)


def _check_bands(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, tuple) or not value or not all(isinstance(b, Band) for b in value):
        raise InvalidInput(
            f"'bands' must list at least one band, as Band values or level names (got {value!r})",
            field="bands",
        )
    levels = [b.level for b in value]
    for level in levels:
        if levels.count(level) > 1:
            raise InvalidInput(f"'bands' must have one band per level (got {level!r} twice)", field="bands")


def _unit_or_none(value: object) -> Any:
    return None if value is None else v.unit(value)


@attrs.frozen(kw_only=True, cache_hash=True)
class Kit:
    """What the athlete's implements can make, as a settings screen asks for it (values in ``unit``).

    Anything left as None is the usual kit of the unit: dumbbells 1-10 kg in 1 kg steps then 12.5-50 kg in
    2.5 kg steps (5-100 lb in 5 lb steps), a 20 kg (45 lb) bar with 1.25-25 kg (2.5-45 lb) plates, light, medium
    and heavy bands, a sandbag filled from 5 to 40 kg in 2.5 kg steps (10-80 lb in 5 lb steps). Which of these
    a session has at hand is said by its equipment; the kit says what they weigh.

    Attributes:
        unit: the unit of the values below; None: the athlete's unit (``Athlete.load_kit`` fills it in).
        dumbbells: every dumbbell weight there is (:func:`rack` makes a range with its step).
        bar: the landmine bar's own weight (the hip carries about half of it, :data:`LANDMINE_BAR_SHARE`).
        plates: the plate sizes for the landmine's sleeve (one sleeve is loaded; any number of each).
        bands: the bands by resistance level, as level names ("light") or :class:`Band` values.
        sandbag: every fill the sandbag can take.

    >>> Kit(unit="lb", dumbbells=rack(5, 50, 5)).loads("dumbbell")[:3]
    (5.0, 10.0, 15.0)
    """

    unit: Unit | None = attrs.field(
        default=None, converter=_unit_or_none, validator=v.optional(v.one_of(Unit))
    )
    dumbbells: tuple[float, ...] | None = attrs.field(
        default=None, converter=_weights, validator=_check_weights(allow_empty=False)
    )
    bar: float | None = attrs.field(
        default=None, converter=v.to_float, validator=v.optional(v.number(gt=0, le=100))
    )
    plates: tuple[float, ...] | None = attrs.field(
        default=None, converter=_weights, validator=_check_weights(allow_empty=True)
    )
    bands: tuple[Band, ...] | None = attrs.field(default=None, converter=_bands, validator=_check_bands)
    sandbag: tuple[float, ...] | None = attrs.field(
        default=None, converter=_weights, validator=_check_weights(allow_empty=False)
    )

    def resolved(self, unit: Unit = Unit.KG) -> Kit:
        """This kit with every default filled in: its own unit, else ``unit``, and the usual kit of that unit."""
        return _resolved(self, unit)

    def bar_kg(self, unit: Unit = Unit.KG) -> float:
        """The bar's own weight in kg (the kit's, else the usual bar of its unit, else of ``unit``)."""
        kit = self.resolved(unit)
        assert kit.unit is not None
        assert kit.bar is not None
        return to_kg(kit.bar, kit.unit)

    def loads(self, variation: str, unit: Unit = Unit.KG) -> tuple[float, ...]:
        """Every load ``variation`` can take with this kit, in the kit's unit, lightest first (() for a
        variation the kit does not load: bodyweight)."""
        kit = self.resolved(unit)
        assert kit.unit is not None
        own = kit.unit
        return tuple(_number_in(x, own) for x in _loads_kg(kit, variation))

    def loads_kg(self, variation: str, unit: Unit = Unit.KG) -> tuple[float, ...] | None:
        """Every load ``variation`` can take with this kit, in kg, lightest first, up to 300 kg; None for a
        variation the kit knows nothing of (a catalogue of your own: its ``load_step_kg`` then decides)."""
        if variation not in _KIT_VARIATIONS:
            return None
        return _loads_kg(self.resolved(unit), variation)


_NEXT_LOAD = {
    "dumbbell": "the next dumbbell in the rack",
    "sandbag": "the next fill step of the bag",
    "banded": "the next band level",
    "landmine": "the next pair of plates on the bar",
}


def next_load_words(variation: str, step_kg: float) -> str:
    """How the load of ``variation`` goes up, in words for an exercise card: the kit's next load for the
    variations a ``Kit`` describes, else about ``step_kg`` kg at a time (a catalogue of your own)."""
    return _NEXT_LOAD.get(variation, f"about {_number(step_kg)} kg")


def _number_in(load_kg: float, unit: Unit) -> float:
    return round(_in(load_kg, unit), 6) + 0.0


_KIT_VARIATIONS = frozenset({"dumbbell", "sandbag", "banded", "landmine"})


def _default(unit: Unit) -> dict[str, Any]:
    if unit is Unit.KG:
        return {
            "dumbbells": rack(1, 10, 1) + rack(12.5, 50, 2.5),
            "bar": 20.0,
            "plates": (1.25, 2.5, 5.0, 10.0, 15.0, 20.0, 25.0),
            "sandbag": rack(5, 40, 2.5),
        }
    return {
        "dumbbells": rack(5, 100, 5),
        "bar": 45.0,
        "plates": (2.5, 5.0, 10.0, 25.0, 35.0, 45.0),
        "sandbag": rack(10, 80, 5),
    }


@functools.lru_cache(maxsize=256)
def _resolved(kit: Kit, unit: Unit) -> Kit:
    own = kit.unit or unit
    changes: dict[str, Any] = {"unit": own}
    for name, value in _default(own).items():
        if getattr(kit, name) is None:
            changes[name] = value
    levels = BAND_LEVELS[own]
    bands = kit.bands if kit.bands is not None else _bands(("light", "medium", "heavy"))
    changes["bands"] = tuple(
        sorted(
            (Band(level=b.level, tension=levels[b.level]) if b.tension is None else b for b in bands),
            key=lambda b: (b.tension, b.level),
        )
    )
    return attrs.evolve(kit, **changes)


@functools.lru_cache(maxsize=256)
def _loads_kg(kit: Kit, variation: str) -> tuple[float, ...]:
    """Every load of ``variation`` a resolved kit makes, in kg, ascending, up to :data:`MAX_LOAD_KG`."""
    unit = kit.unit
    assert unit is not None
    if variation == "dumbbell":
        values: Iterable[float] = kit.dumbbells or ()
    elif variation == "sandbag":
        values = kit.sandbag or ()
    elif variation == "banded":
        values = [b.tension for b in kit.bands or () if b.tension is not None]
    elif variation == "landmine":
        assert kit.bar is not None
        base = kit.bar * LANDMINE_BAR_SHARE
        values = [base + plates for plates in _plate_sums(kit.plates or (), _in(MAX_LOAD_KG, unit) - base)]
    else:
        return ()
    found = sorted({to_kg(round(x, 6), unit) for x in values if to_kg(x, unit) <= MAX_LOAD_KG + 1e-9})
    return tuple(found)


def _plate_sums(plates: tuple[float, ...], most: float) -> list[float]:
    """Every total the plates make on one sleeve (any number of each, none included), up to ``most``."""
    scale = 1000
    limit = math.floor(most * scale + 1e-6)
    if limit < 0:
        return []
    mask = (1 << (limit + 1)) - 1
    reach = 1
    for plate in plates:
        size = round(plate * scale)
        shift = size
        while 0 < shift <= limit:  # doubling: after k rounds any count below 2**k of this plate is reachable
            reach |= (reach << shift) & mask
            shift *= 2
    bits = bin(reach)[:1:-1]
    return [i / scale for i, bit in enumerate(bits) if bit == "1"]
