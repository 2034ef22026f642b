"""The vocabulary: enums with lower-case string values, equipment kinds, roles, levels, lifts and units."""

from __future__ import annotations

import enum
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hipplan
from hipplan import Equipment, EquipmentKind, Focus, Goal, Level, Lift, Role, Side, Unit

ENUMS: list[type[enum.Enum]] = [Equipment, EquipmentKind, Focus, Goal, Level, Lift, Role, Side, Unit]
MEMBERS = [member for kind in ENUMS for member in kind]


@pytest.mark.parametrize("member", MEMBERS, ids=lambda m: f"{type(m).__name__}.{m.name}")
def test_enum_values_are_lower_case_strings(member: enum.Enum) -> None:
    """Every enum value is a lower-case string, the member is a str, and its value reads back to it."""
    assert isinstance(member, str)
    assert isinstance(member.value, str)
    assert member.value.lower() == member.value
    assert member.value.strip() == member.value
    assert type(member)(member.value) is member


def test_design_contract_members_exist() -> None:
    """The members DESIGN.md promises are there, with the values it implies."""
    equipment = {"bench", "box", "couch", "barbell", "landmine", "dumbbell", "band", "mini_band", "sandbag"}
    assert equipment | {"hip_pad"} <= {e.value for e in Equipment}
    roles = ["warm_up", "finisher", "circuit"]
    assert roles == [r.value for r in Role]
    levels = ["beginner", "intermediate", "advanced"]
    assert levels == [level.value for level in Level]
    focus = {"lower", "upper", "full_body", "circuit"}
    assert focus == {f.value for f in Focus}
    lifts = {"squat", "deadlift"}
    assert lifts <= {lift.value for lift in Lift}
    sides = {"left", "right"}
    assert sides == {s.value for s in Side}


def test_public_names_are_exported() -> None:
    """The vocabulary is importable from the top-level package."""
    assert (Equipment, EquipmentKind, Focus, Goal, Level, Lift, Role, Side, Unit) == (
        hipplan.Equipment,
        hipplan.EquipmentKind,
        hipplan.Focus,
        hipplan.Goal,
        hipplan.Level,
        hipplan.Lift,
        hipplan.Role,
        hipplan.Side,
        hipplan.Unit,
    )


EXPECTED_KIND = {
    Equipment.BENCH: EquipmentKind.SUPPORT,
    Equipment.BOX: EquipmentKind.SUPPORT,
    Equipment.COUCH: EquipmentKind.SUPPORT,
    Equipment.BARBELL: EquipmentKind.LOAD,
    Equipment.DUMBBELL: EquipmentKind.LOAD,
    Equipment.BAND: EquipmentKind.LOAD,
    Equipment.SANDBAG: EquipmentKind.LOAD,
    Equipment.LANDMINE: EquipmentKind.ACCESSORY,
    Equipment.MINI_BAND: EquipmentKind.ACCESSORY,
    Equipment.HIP_PAD: EquipmentKind.ACCESSORY,
}


@pytest.mark.parametrize("item", list(Equipment), ids=lambda e: e.value)
def test_equipment_kind(item: Equipment) -> None:
    """Each piece of equipment knows its kind: support surface, load implement or accessory."""
    assert EXPECTED_KIND[item] is item.kind


def test_every_equipment_item_has_a_kind() -> None:
    """No equipment item is left without a kind (a new member must be classified)."""
    assert set(Equipment) == set(EXPECTED_KIND)


def test_supports_are_bench_box_couch() -> None:
    """The support surfaces are exactly the bench, the box and the couch."""
    assert frozenset({Equipment.BENCH, Equipment.BOX, Equipment.COUCH}) == Equipment.supports()


def test_mini_band_neither_supports_nor_loads() -> None:
    """The mini band is an accessory: it is neither a support surface nor a load implement."""
    assert EquipmentKind.ACCESSORY is Equipment.MINI_BAND.kind


@pytest.mark.parametrize(
    ("role", "hard"), [(Role.WARM_UP, False), (Role.FINISHER, True), (Role.CIRCUIT, True)], ids=str
)
def test_role_is_hard(role: Role, hard: bool) -> None:
    """Finisher and circuit exposures are hard; a warm-up is light and does not count as hard."""
    assert hard is role.is_hard


def test_level_rank_orders_levels() -> None:
    """Level.rank orders beginner < intermediate < advanced, starting at 0."""
    expected = [0, 1, 2]
    assert expected == [level.rank for level in (Level.BEGINNER, Level.INTERMEDIATE, Level.ADVANCED)]


def test_heavy_lower_lifts_are_squat_and_deadlift() -> None:
    """Only squats and deadlifts count as the heavy lower-body work a warm-up prepares for."""
    assert {Lift.SQUAT, Lift.DEADLIFT} == {lift for lift in Lift if lift.is_heavy_lower}


def test_unit_from_kg_examples() -> None:
    """Kilograms stay as they are; 1 kg reads as about 2.2046 lb."""
    twenty, zero = 20.0, 0.0
    assert twenty == Unit.KG.from_kg(20.0)
    assert math.isclose(2.20462262, Unit.LB.from_kg(1.0), rel_tol=1e-8)
    assert zero == Unit.LB.from_kg(0.0)


@given(st.floats(min_value=0, max_value=500, allow_nan=False), st.floats(min_value=0, max_value=500))
def test_unit_from_kg_is_monotone(a: float, b: float) -> None:
    """Converting to pounds keeps the order of loads and never shows less than the kilogram figure."""
    low, high = sorted((a, b))
    assert Unit.LB.from_kg(low) <= Unit.LB.from_kg(high)
    assert Unit.LB.from_kg(high) >= high
