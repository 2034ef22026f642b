"""attrs validators whose errors are :class:`~hipplan.errors.InvalidInput` naming the field and the value."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection
from typing import Any

import attrs

from .errors import InvalidInput

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _fail(attribute: attrs.Attribute[Any], value: object, rule: str) -> InvalidInput:
    return InvalidInput(f"{attribute.name!r} {rule} (got {value!r})", field=attribute.name)


def instance_of(*types: type) -> Validator:
    """The value is an instance of one of ``types`` (bool is never accepted as a number)."""
    names = " or ".join(t.__name__ for t in types)

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) and bool not in types:
            raise _fail(attribute, value, f"must be {names}")
        if not isinstance(value, types):
            raise _fail(attribute, value, f"must be {names}")

    return check


def number(*, ge: float | None = None, le: float | None = None, gt: float | None = None) -> Validator:
    """A finite int or float within bounds."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(attribute, value, "must be a number")
        if not _finite(value):
            raise _fail(attribute, value, "must be finite")
        if ge is not None and value < ge:
            raise _fail(attribute, value, f"must be >= {ge:g}")
        if gt is not None and value <= gt:
            raise _fail(attribute, value, f"must be > {gt:g}")
        if le is not None and value > le:
            raise _fail(attribute, value, f"must be <= {le:g}")

    return check


def _finite(value: float) -> bool:
    """Whether ``value`` is finite as a float (an int too large for a float is not)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def integer(*, ge: int | None = None, le: int | None = None) -> Validator:
    """An int (not a bool) within bounds."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(attribute, value, "must be a whole number")
        if ge is not None and value < ge:
            raise _fail(attribute, value, f"must be >= {ge}")
        if le is not None and value > le:
            raise _fail(attribute, value, f"must be <= {le}")

    return check


def date() -> Validator:
    """A calendar date; a date and time (a ``datetime``) is refused rather than silently cut to its date."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise _fail(attribute, value, "must be a date such as 2026-01-05, not a date and time")

    return check


def optional(inner: Validator) -> Validator:
    """``None`` or whatever ``inner`` accepts."""

    def check(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            inner(inst, attribute, value)

    return check


def text(*, nonempty: bool = True) -> Validator:
    """A string, not blank unless allowed."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str):
            raise _fail(attribute, value, "must be a string")
        if nonempty and not value.strip():
            raise _fail(attribute, value, "must not be blank")

    return check


def identifier() -> Validator:
    """A caller's name for something: a string that is not blank, or a whole number (not a boolean)."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise _fail(attribute, value, "must be a string or a whole number")
        if isinstance(value, str) and not value.strip():
            raise _fail(attribute, value, "must not be blank")

    return check


def members(kind: type, container: type = frozenset) -> Validator:
    """A frozenset (or tuple) whose items are all instances of ``kind``."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, container):
            raise _fail(attribute, value, f"must be a {container.__name__}")
        assert isinstance(value, Collection)
        for item in value:
            if not isinstance(item, kind) or (isinstance(item, bool) and kind is not bool):
                raise _fail(attribute, item, f"items must be {kind.__name__}")

    return check


def to_frozenset(value: Any) -> Any:
    """Converter: accept any iterable (but a string) for a frozenset field."""
    if isinstance(value, frozenset | str) or value is None:
        return value
    try:
        return frozenset(value)
    except TypeError:
        return value


def to_tuple(value: Any) -> Any:
    """Converter: accept any iterable (but a string) for a tuple field."""
    if isinstance(value, tuple | str) or value is None:
        return value
    try:
        return tuple(value)
    except TypeError:
        return value


def to_enum(kind: type[Any]) -> Callable[[object], object]:
    """Converter: accept an enum's string value in place of the member; leave anything else for the validator."""

    def convert(value: object) -> object:
        if isinstance(value, str) and not isinstance(value, kind):
            try:
                return kind(value)
            except ValueError:
                return value
        return value

    return convert


def to_enum_set(kind: type[Any]) -> Callable[[object], object]:
    """Converter: an iterable of enum members or their string values, to a frozenset of members."""
    one = to_enum(kind)

    def convert(value: object) -> object:
        value = to_frozenset(value)
        if isinstance(value, frozenset):
            return frozenset(one(v) for v in value)
        return value

    return convert


def one_of(kind: type[Any]) -> Validator:
    """The value is a member of the enum ``kind``."""

    def check(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            allowed = ", ".join(m.value for m in kind)
            raise _fail(attribute, value, f"must be one of: {allowed}")

    return check


def to_float(value: Any) -> Any:
    """Converter: an int becomes a float and -0.0 becomes 0.0 (equal values, same JSON); the rest is left as is."""
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return value  # the validator refuses it by name
    if isinstance(value, float) and value == 0:
        return 0.0
    return value


# Named converters (mypy's attrs plugin accepts only named functions as converters).
from .vocabulary import Equipment, Focus, Goal, Level, Lift, Role, Side, Unit  # noqa: E402


def level(value: object) -> Any:
    """Converter to :class:`Level`."""
    return to_enum(Level)(value)


def role(value: object) -> Any:
    """Converter to :class:`Role`."""
    return to_enum(Role)(value)


def focus(value: object) -> Any:
    """Converter to :class:`Focus`."""
    return to_enum(Focus)(value)


def goal(value: object) -> Any:
    """Converter to :class:`Goal`."""
    return to_enum(Goal)(value)


def side(value: object) -> Any:
    """Converter to :class:`Side`."""
    return to_enum(Side)(value)


def unit(value: object) -> Any:
    """Converter to :class:`Unit`."""
    return to_enum(Unit)(value)


def equipment_set(value: object) -> Any:
    """Converter to a frozenset of :class:`Equipment`."""
    return to_enum_set(Equipment)(value)


def lift_set(value: object) -> Any:
    """Converter to a frozenset of :class:`Lift`."""
    return to_enum_set(Lift)(value)


def role_set(value: object) -> Any:
    """Converter to a frozenset of :class:`Role`."""
    return to_enum_set(Role)(value)
