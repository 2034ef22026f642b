"""JSON and TOML for every public type, through one cattrs converter.

The same value always gives the same bytes: keys sorted, sets emitted as sorted lists, no wall-clock anything.
Every document carries a ``schema_version``; bad documents raise :class:`InvalidInput` with one line per bad path.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._plan_check import plan_problems
from .errors import InvalidInput
from .limits import MAX_WEEKS

if TYPE_CHECKING:
    import cattrs

# cattrs is imported on first use, not with hipplan: it is a third of hipplan's import time.

__all__ = [
    "MAX_DEPTH",
    "MAX_PLAN_WEEKS",
    "READABLE_VERSIONS",
    "SCHEMA_VERSION",
    "configure_converter",
    "from_json",
    "from_toml",
    "get_converter",
    "make_converter",
    "omitted_fields",
    "plan_problems",
    "refuse_unlike_plans",
    "to_json",
    "type_tag",
]

SCHEMA_VERSION = 2
"""The version of the JSON layout written. Documents from a newer version are refused rather than misread.

Version 2 added optional keys only (``Athlete.loads``, ``Plan.start``, ``Plan.plan_id``), so version 1 documents
read as they are: see :data:`READABLE_VERSIONS`."""

READABLE_VERSIONS = (1, 2)
"""The versions this hipplan reads."""

MAX_DEPTH = 64
"""How deeply lists and objects may nest in a document, the top-level object counting as one level.

hipplan's own documents need fewer than ten levels; anything deeper is refused before it is parsed, so that no
document can exhaust the stack (a TOML array nested a few hundred levels deep would, in Python's TOML reader).
"""

T = TypeVar("T")

# What the TOML nesting scan skips (strings and comments, where brackets mean nothing) and what it counts. Every
# string pattern also ends at the end of the text (a one-line string at the end of its line), so that an
# unterminated string is skipped once rather than tried again from every later quote: the scan is linear.
_TOML_TOKENS = re.compile(
    r'"""(?:\\[\s\S]?|[^\\])*?(?:"""(?!")|\Z)'  # a multi-line basic string (it may end with one or two quotes)
    r"|'''[\s\S]*?(?:'''(?!')|\Z)"  # a multi-line literal string
    r'|"(?:\\[^\n]?|[^"\\\n])*+(?:"|$)'  # a basic string
    r"|'[^'\n]*+(?:'|$)"  # a literal string
    r"|#[^\n]*+"  # a comment
    r"|[\[\]{}]",
    re.MULTILINE,
)
_OPENING = frozenset("[{")
_CLOSING = frozenset("]}")


def _sort_key(item: object) -> str:
    if isinstance(item, enum.Enum):
        return str(item.value)
    return json.dumps(item, sort_keys=True) if not isinstance(item, str) else item


def _strict(kind: type, *allowed: type) -> Callable[[object, type], object]:
    def structure(value: object, _type: type) -> object:
        if isinstance(value, bool) and kind is not bool:
            raise InvalidInput(f"expected {kind.__name__}, got a boolean {value!r}")
        if not isinstance(value, allowed):
            raise InvalidInput(f"expected {kind.__name__}, got {type(value).__name__} {value!r}")
        if kind is str and not _utf8(value):  # type: ignore[arg-type]
            raise InvalidInput(f"expected text, got a string with a lone surrogate {value!r}")
        if kind is float:
            try:
                result = float(value)  # type: ignore[arg-type]
            except OverflowError:
                result = math.inf
            if not math.isfinite(result):
                raise InvalidInput(f"expected a finite number, got {value!r}")
            return result
        return value

    return structure


def _utf8(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (JSON's ``\\ud800`` escapes can make strings that cannot)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def configure_converter(conv: cattrs.Converter) -> None:
    """Teach a converter every hipplan type, as cattrs' ``preconf`` modules teach theirs: strict scalars, sets as
    sorted lists, enums by value, dates in ISO form, collections and attrs classes that read only JSON arrays and
    objects (unknown keys refused), the progression ``Policy`` (rules of your own refused on writing), and the
    union of built-in rules tagged by its ``"type"`` key. Nothing is registered anywhere else, and nothing at
    import time."""
    from .constraints import BuiltInRule

    _configure_scalars(conv)
    _configure_identifiers(conv)
    _configure_dates(conv)
    _configure_collections(conv)
    _configure_attrs_classes(conv)
    _configure_policy(conv)
    _configure_tagged_union(conv, BuiltInRule)


def _configure_scalars(conv: cattrs.Converter) -> None:
    """Numbers, texts and booleans of the right JSON kind only (no "3" for 3, no 1 for True); enums by value;
    sets written as sorted lists, so the same value always gives the same text."""
    conv.register_structure_hook(int, _strict(int, int))
    conv.register_structure_hook(float, _strict(float, int, float))
    conv.register_structure_hook(str, _strict(str, str))
    conv.register_structure_hook(bool, _strict(bool, bool))

    def unstructure_set(value: frozenset[Any]) -> list[Any]:
        return sorted((conv.unstructure(item) for item in value), key=_sort_key)

    conv.register_unstructure_hook_func(
        lambda t: t in (frozenset, set) or _origin(t) in (frozenset, set), unstructure_set
    )

    def structure_enum(value: object, kind: type[enum.Enum]) -> enum.Enum:
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in kind)
            raise InvalidInput(f"must be one of: {allowed} (got {value!r})") from None

    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), structure_enum
    )


def _configure_identifiers(conv: cattrs.Converter) -> None:
    """A caller's id (``str | int``, or ``str | int | None``): a string or a whole number, kept as it came (never
    a boolean, never a number turned into text)."""

    def structure_identifier(value: object, kind: object) -> object:
        if value is None and kind == (str | int | None):
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidInput(f"expected a string or a whole number, got {_show(value)}")
        return value

    conv.register_structure_hook_func(lambda t: t in (str | int, str | int | None), structure_identifier)


def _configure_dates(conv: cattrs.Converter) -> None:
    """Dates as ISO text ("2026-01-05"); a date and time is refused rather than cut to its day."""

    def structure_date(value: object, _type: type) -> dt.date:
        if isinstance(value, dt.datetime):
            raise InvalidInput(f"expected a date such as 2026-01-05, got a date and time {value!r}")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise InvalidInput(f"expected a date such as 2026-01-05, got {value!r}")

    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(dt.date, structure_date)


def _configure_collections(conv: cattrs.Converter) -> None:
    """A tuple or set field reads a JSON array only: a string or an object is never silently iterated."""

    def structure_collection_factory(kind: Any) -> Callable[[object, object], object]:
        from cattrs.errors import IterableValidationError, IterableValidationNote

        origin = _origin(kind)
        item_type = kind.__args__[0]
        build: Callable[[list[Any]], object] = (
            tuple if origin is tuple else frozenset if origin is frozenset else list
        )

        def structure_collection(value: object, _type: object) -> object:
            if not isinstance(value, list | tuple):
                raise InvalidInput(f"expected a list, got {_show(value)}")
            item_hook = conv.get_structure_hook(item_type)
            items: list[Any] = []
            errors: list[Exception] = []
            for index, item in enumerate(value):
                try:
                    items.append(item_hook(item, item_type))
                except Exception as exc:
                    note = IterableValidationNote(f"Structuring {kind!r} @ index {index}", index, item_type)
                    exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {kind!r}", errors, kind)
            return build(items)

        return structure_collection

    conv.register_structure_hook_factory(_is_collection, structure_collection_factory)


def _configure_attrs_classes(conv: cattrs.Converter) -> None:
    """An attrs class reads a JSON object only, and goes by its fields even if it is also a Mapping (Catalog)."""

    def structure_attrs_factory(cls: type) -> Callable[[object, object], object]:
        inner: Callable[[Any, Any], object] = conv.gen_structure_attrs_fromdict(cls)

        def structure_attrs(value: object, kind: object) -> object:
            if not isinstance(value, dict):
                raise InvalidInput(f"expected an object describing a {cls.__name__}, got {_show(value)}")
            return inner(value, kind)

        return structure_attrs

    conv.register_structure_hook_factory(_is_attrs_class, structure_attrs_factory)
    conv.register_unstructure_hook_factory(_is_attrs_class, conv.gen_unstructure_attrs_fromdict)


def _configure_policy(conv: cattrs.Converter) -> None:
    """A progression policy's ``extra`` holds the user's own levers: code, not data. A policy without them is
    plain JSON; one with them cannot be written (it would come back without them)."""
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    from .progression import Policy

    def unstructure_policy_factory(cls: type) -> Callable[[Any], object]:
        inner: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            cls, conv, extra=override(omit=True)
        )

        def unstructure_policy(value: Any) -> object:
            if value.extra:
                names = ", ".join(sorted({type(rule).__name__ for rule in value.extra}))
                raise InvalidInput(
                    f"a Policy with rules of your own in 'extra' ({names}) cannot be written as JSON: they are"
                    " code; keep them in code and write the policy without them (attrs.evolve(policy, extra=()))",
                    field="extra",
                )
            return inner(value)

        return unstructure_policy

    def structure_policy_factory(cls: type) -> Callable[[object, object], object]:
        inner: Callable[[Any, Any], object] = make_dict_structure_fn(
            cls,
            conv,
            _cattrs_forbid_extra_keys=True,
            _cattrs_detailed_validation=True,
            extra=override(omit=True),
        )

        def structure_policy(value: object, kind: object) -> object:
            if not isinstance(value, dict):
                raise InvalidInput(f"expected an object describing a Policy, got {_show(value)}")
            return inner(value, kind)

        return structure_policy

    conv.register_unstructure_hook_factory(lambda kind: kind is Policy, unstructure_policy_factory)
    conv.register_structure_hook_factory(lambda kind: kind is Policy, structure_policy_factory)


def _is_collection(kind: object) -> bool:
    """``tuple[X, ...]``, ``frozenset[X]`` or ``list[X]``: the collections hipplan's models hold."""
    args: tuple[Any, ...] = getattr(kind, "__args__", ())
    origin = _origin(kind)
    if origin is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return origin in (frozenset, list) and len(args) == 1


def _is_attrs_class(kind: object) -> bool:
    return isinstance(kind, type) and attrs.has(kind)


_JSON_NAMES = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}


def _show(value: object) -> str:
    """A JSON value for a message: its JSON kind and a short repr."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    kind = _JSON_NAMES.get(type(value), type(value).__name__)
    return text if value is None else f"{kind} {text}"


def _origin(tp: object) -> object:
    return getattr(tp, "__origin__", None)


def make_converter() -> cattrs.Converter:
    """A new converter configured for hipplan's types."""
    import cattrs

    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(conv)
    return conv


@functools.cache
def get_converter() -> cattrs.Converter:
    """The converter :func:`to_json` and :func:`from_json` use, built on first use."""
    return make_converter()


def omitted_fields(cls: type) -> frozenset[str]:
    """Fields of ``cls`` the converter leaves out of its documents: a Policy's ``extra`` (rules of your own are
    code, not data)."""
    from .progression import Policy

    return frozenset({"extra"}) if cls is Policy else frozenset()


def _configure_tagged_union(conv: cattrs.Converter, base: Any) -> None:
    """Read and write a union of attrs classes as objects with a ``"type"`` key naming the class (its ``tag``)."""
    from cattrs.strategies import configure_tagged_union

    configure_tagged_union(base, conv, tag_name="type", tag_generator=type_tag)
    tagged = conv.get_structure_hook(base)
    known = sorted(type_tag(cls) for cls in base.__args__)

    def structure(value: object, _type: object) -> object:
        if not isinstance(value, dict):
            raise InvalidInput(f"expected an object with a 'type' key, got {value!r}")
        if value.get("type") not in known:
            raise InvalidInput(f"'type' must be one of: {', '.join(known)} (got {value.get('type')!r})")
        return tagged(value, base)

    conv.register_structure_hook(base, structure)


def type_tag(cls: type) -> str:
    """The ``"type"`` key a rule of a tagged union is written with: its ``tag``, else its class name."""
    return getattr(cls, "tag", None) or cls.__name__


def to_json(obj: object, *, indent: int | None = 2) -> str:
    """Serialise an attrs value (an Athlete, a Session, a Plan, ...) to stable JSON text.

    The same value always gives the same text: keys sorted, sets sorted, ``schema_version`` first among equals.
    """
    if not attrs.has(type(obj)):
        raise InvalidInput(
            f"to_json takes a hipplan value such as a Plan or an Athlete (got {type(obj).__name__})"
        )
    data = get_converter().unstructure(obj)
    data["schema_version"] = SCHEMA_VERSION
    text = json.dumps(data, sort_keys=True, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"
    if not _utf8(text):
        raise InvalidInput(
            f"cannot write this {type(obj).__name__}: a text in it has a lone surrogate character"
        )
    return text


def from_json(text: str | bytes | bytearray, cls: type[T]) -> T:
    """Read a value of type ``cls`` from JSON text made by :func:`to_json` (or written by hand).

    Raises:
        InvalidInput: the text is not JSON, or does not describe a ``cls``; the message lists each bad path.
    """
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"the JSON document is not UTF-8 text: {exc}") from None
    if not isinstance(text, str):
        raise InvalidInput(f"from_json takes JSON text (got {type(text).__name__})")
    # json's parser guards its own recursion (it raises RecursionError, in C, about 1,000 levels down); the
    # depth limit itself is checked on the parsed data, before anything recurses into it (see structure()).
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise InvalidInput(f"invalid {getattr(cls, '__name__', cls)}: {_TOO_DEEP}") from None
    except ValueError as exc:
        raise InvalidInput(f"not valid JSON: {exc}") from None
    return structure(data, cls)


def from_toml(text: str, cls: type[T]) -> T:
    """Read a value of type ``cls`` from TOML text, through the same converter as :func:`from_json`."""
    import tomllib

    if not isinstance(text, str):
        raise InvalidInput(f"from_toml takes TOML text as a str (got {type(text).__name__})")
    _check_toml_nesting(text, cls)
    try:
        data = tomllib.loads(text)
    except RecursionError:  # a fallback only: the scan above refuses any document deep enough to get here
        raise InvalidInput(f"invalid {getattr(cls, '__name__', cls)}: {_TOO_DEEP}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"not valid TOML: {exc}") from None
    return structure(data, cls)


_TOO_DEEP = f"the document is nested too deeply (more than {MAX_DEPTH} levels of lists and objects)"


def _check_toml_nesting(text: str, cls: type) -> None:
    """Refuse TOML ``text`` if its brackets nest more than :data:`MAX_DEPTH` deep, before the parser recurses.

    Python's TOML reader recurses once per level of arrays and inline tables, and runs out of stack a few hundred
    levels down (fewer if the caller is already deep); this scan is linear and does not recurse.

    Brackets inside strings and comments do not count. The count is the brackets' own: in TOML the top-level
    table and ``[table]`` headers add levels of their own, which :func:`structure` counts on the parsed data.
    """
    depth = 0
    for match in _TOML_TOKENS.finditer(text):
        char = match.group()
        if char in _OPENING:
            depth += 1
            if depth > MAX_DEPTH:
                where = match.start()
                line = text.count("\n", 0, where) + 1
                column = where - (text.rfind("\n", 0, where) + 1) + 1
                name = getattr(cls, "__name__", str(cls))
                raise InvalidInput(f"invalid {name}: {_TOO_DEEP}, at line {line}, column {column}")
        elif char in _CLOSING:
            depth -= 1


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not allowed in hipplan documents")


def structure(data: object, cls: type[T]) -> T:
    """Build a ``cls`` from plain data (dicts, lists, strings, numbers), with ``schema_version`` checked."""
    name = getattr(cls, "__name__", str(cls))
    version = data.get("schema_version", SCHEMA_VERSION) if isinstance(data, dict) else SCHEMA_VERSION
    if type(version) is not int or version not in READABLE_VERSIONS:
        raise InvalidInput(f"$.schema_version: {_versions_read()} (got {version!r})")
    from cattrs.errors import ClassValidationError, IterableValidationError

    try:
        data = _without_nested_versions(data, "$", 1)
    except InvalidInput as exc:
        raise InvalidInput(f"invalid {name}: {exc}") from None
    except RecursionError:  # a fallback only: the depth is checked on the way down
        raise InvalidInput(f"invalid {name}: {_TOO_DEEP}") from None
    if not isinstance(data, dict):
        raise InvalidInput(f"$: expected an object describing a {name}, got {type(data).__name__}")
    data.pop("schema_version", None)
    try:
        value = get_converter().structure(data, cls)
    except (ClassValidationError, IterableValidationError) as exc:
        problems = _problems(exc, "$")
        raise InvalidInput(f"invalid {name}: " + "; ".join(problems), problems) from None
    except InvalidInput as exc:
        problems = _problems(exc, "$")
        raise InvalidInput(f"invalid {name}: " + "; ".join(problems), problems) from None
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
        raise InvalidInput(f"$: cannot read a {name}: {exc}") from None
    if _is_plan(cls):
        refuse_unlike_plans(value)
    return value


def _versions_read() -> str:
    return "this hipplan reads versions " + " and ".join(map(str, READABLE_VERSIONS))


def _is_plan(kind: object) -> bool:
    return isinstance(kind, type) and kind.__module__ == "hipplan.plan" and kind.__name__ == "Plan"


def _without_nested_versions(data: object, path: str, depth: int) -> Any:
    """``data`` with the ``schema_version`` of nested documents checked and dropped, and its nesting checked.

    An app may paste ``to_json(athlete)`` into a bigger document; the inner version must be this one too.
    ``depth`` is the level ``data`` is at (the top-level object is level 1): no deeper than :data:`MAX_DEPTH`.
    """
    if isinstance(data, dict | list) and depth > MAX_DEPTH:
        shown = path if len(path) <= 80 else path[:77] + "..."
        raise InvalidInput(f"{shown}: {_TOO_DEEP}")
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key == "schema_version" and path != "$":
                if type(value) is not int or value not in READABLE_VERSIONS:
                    raise InvalidInput(f"{path}.schema_version: {_versions_read()} (got {value!r})")
                continue
            out[key] = _without_nested_versions(value, f"{path}.{key}", depth + 1)
        return out
    if isinstance(data, list):
        return [_without_nested_versions(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(data)]
    return data


def _problems(exc: BaseException, path: str) -> list[str]:
    """One line per bad path, ``$.sessions[2].weekday: must be <= 6 (got 9)``."""
    from cattrs.errors import (
        AttributeValidationNote,
        ClassValidationError,
        ForbiddenExtraKeysError,
        IterableValidationError,
        IterableValidationNote,
    )

    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[str] = []
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                sub = f"{path}.{note.name}"
            elif isinstance(note, IterableValidationNote):
                sub = f"{path}[{note.index!r}]"
            else:
                sub = path
            found.extend(_problems(inner, sub))
        for inner in without:
            found.extend(_problems(inner, path))
        return found
    if isinstance(exc, InvalidInput):
        message = str(exc)
        if exc.field is not None:
            if not path.endswith(f".{exc.field}"):
                path = f"{path}.{exc.field}"
            message = message.removeprefix(f"{exc.field!r} ")
        return [f"{path}: {message}"]
    if isinstance(exc, ForbiddenExtraKeysError):
        return [f"{path}: unknown key(s) {', '.join(sorted(exc.extra_fields))}"]
    if isinstance(exc, KeyError):
        return [f"{path}: required field missing"]
    return [f"{path}: {exc}"]


MAX_PLAN_WEEKS = MAX_WEEKS
"""The most weeks a stored plan may cover: as many as :func:`hipplan.plan` plans."""

_SHOWN_PROBLEMS = 20
"""How many of a stored plan's problems the message spells out (``problems`` holds them all)."""


def refuse_unlike_plans(plan: Any) -> None:
    """Refuse a stored :class:`~hipplan.Plan` that :func:`hipplan.plan` could not have made (what
    :func:`from_json` does with every plan it reads; :func:`hipplan.check_plan` lists the problems instead).

    A plan read from JSON or TOML is used as one ``plan()`` made is (rendered, fed back to ``progress()``), so
    it must hold what every planned plan holds; see :func:`plan_problems` for the list.

    Raises:
        InvalidInput: one line per problem, each naming the JSON path, the value and the rule.
    """
    problems = plan_problems(plan)
    if problems:
        shown = problems[:_SHOWN_PROBLEMS]
        more = len(problems) - len(shown)
        tail = f"; and {more} more" if more else ""
        raise InvalidInput("invalid Plan: " + "; ".join(shown) + tail, problems)
