"""JSON Schema (draft 2020-12) for every document hipplan reads or writes, generated from the models.

The schema is worked out from the same definitions the converter uses (the attrs fields, their types and their
validators), so it cannot drift from what :func:`hipplan.from_json` reads:

- a field without a default is required; every field is listed, and no other key is allowed;
- enums give their values, sets are arrays without repeats, tuples arrays, dates ISO strings;
- the ranges of :mod:`hipplan._validate`'s validators become ``minimum``/``maximum``, a text that must not be blank
  a ``pattern``; they are read from the validators themselves, never written down twice;
- rules and constraints are tagged by their ``"type"``;
- every object may carry the ``schema_version`` hipplan reads.

What a schema cannot say (unique session names in a week, a slot inside its plan's weeks, a working dose within
its variation's load cap...) is still checked on reading: a document valid against its schema may yet be refused
with :class:`~hipplan.InvalidInput`, never with anything else.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import inspect
import json
import re
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from .errors import InvalidInput

__all__ = ["DRAFT", "document_types", "json_schema", "schema_text"]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect hipplan's schemas are written in."""

_NOT_BLANK = r"\S"
"""A text that must not be blank holds at least one character that is not white space."""

Schema = dict[str, Any]


def document_types() -> dict[str, type]:
    """The documents hipplan reads or writes, by name: every public attrs value of :mod:`hipplan`, and the lines
    of ``hipplan batch`` (``BatchRequest`` in, ``BatchResult`` out)."""
    import hipplan

    from . import batch

    found: dict[str, type] = {}
    for name in hipplan.__all__:
        value = getattr(hipplan, name)
        if isinstance(value, type) and attrs.has(value):
            found[name] = value
    found["BatchRequest"] = batch.BatchRequest
    found["BatchResult"] = batch.BatchResult
    return dict(sorted(found.items()))


def json_schema(cls: type) -> Schema:
    """The JSON Schema of the document :func:`hipplan.to_json` writes for a ``cls`` and :func:`hipplan.from_json`
    reads as one.

    Args:
        cls: an attrs class with a JSON form: ``hipplan.Plan``, ``hipplan.Athlete``, ``hipplan.PlanRequest``...

    Raises:
        InvalidInput: ``cls`` is not such a class.
    """
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise InvalidInput(f"json_schema takes a hipplan value class such as hipplan.Plan (got {cls!r})")
    return _build(cls)


def schema_text(cls: type) -> str:
    """:func:`json_schema` as stable JSON text (keys sorted, two-space indents, a final newline)."""
    return json.dumps(json_schema(cls), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


@functools.cache
def _cached(cls: type) -> str:
    return json.dumps(_Builder().root(cls), sort_keys=True)


def _build(cls: type) -> Schema:
    result: Schema = json.loads(_cached(cls))  # a fresh copy each time: callers may change theirs
    return result


class _Builder:
    """Builds one document's schema: the root and the ``$defs`` of every class it reaches."""

    def __init__(self) -> None:
        self.defs: dict[str, Schema] = {}
        self.owners: dict[str, type] = {}
        self.tagged: dict[type, str] = {}

    def root(self, cls: type) -> Schema:
        from .serialization import READABLE_VERSIONS, SCHEMA_VERSION

        self.defs["schema_version"] = {
            "description": f"The version of the JSON layout; this hipplan writes {SCHEMA_VERSION} and reads "
            + ", ".join(map(str, READABLE_VERSIONS))
            + ". Optional on reading: a document without it is read as the current version.",
            "enum": list(READABLE_VERSIONS),
            "type": "integer",
        }
        ref = self.ref(cls)
        summary, _ = _docs(cls)
        return {
            "$schema": DRAFT,
            "title": f"hipplan {cls.__name__}",
            "description": summary,
            **ref,
            "$defs": dict(sorted(self.defs.items())),
        }

    # -------------------------------------------------------------- classes

    def ref(self, cls: type, tag: str | None = None) -> Schema:
        name = cls.__name__
        owner = self.owners.get(name)
        if owner is not None and owner is not cls:
            raise TypeError(f"two classes named {name} in one document: {owner!r} and {cls!r}")
        if tag is not None:
            if owner is not None and self.tagged.get(cls) != tag:
                raise TypeError(f"{name} is written both with and without a 'type' tag")
            self.tagged[cls] = tag
        elif cls in self.tagged:
            raise TypeError(f"{name} is written both with and without a 'type' tag")
        if owner is None:
            self.owners[name] = cls
            self.defs[name] = {}  # reserved first: a class that reaches itself gets a $ref, not a loop
            self.defs[name] = self.object(cls, tag)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type, tag: str | None) -> Schema:
        hints = typing.get_type_hints(cls)
        summary, described = _docs(cls)
        omitted = _omitted(cls)
        properties: dict[str, Schema] = {"schema_version": {"$ref": "#/$defs/schema_version"}}
        required: list[str] = []
        if tag is not None:
            properties["type"] = {"const": tag, "description": "Which rule this is."}
            required.append("type")
        for field in attrs.fields(cls):
            if not field.init or field.name in omitted:
                continue
            if field.name.startswith("_"):
                raise TypeError(f"{cls.__name__}.{field.name}: a private field in a document")
            schema = self.field(cls, field, hints[field.name])
            if field.name in described:
                schema = {"description": described[field.name], **schema}
            default = _default(field)
            if default is not _NO_DEFAULT:
                schema["default"] = default
            properties[field.name] = schema
            if field.default is attrs.NOTHING:
                required.append(field.name)
        out: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
        if summary:
            out["description"] = summary
        if required:
            out["required"] = required
        return out

    # -------------------------------------------------------------- fields and types

    def field(self, cls: type, field: attrs.Attribute[Any], tp: Any) -> Schema:
        rules, nullable_rules = _rules(field.validator)
        limit = _document_limits().get((cls.__name__, field.name))
        if limit is not None:
            rules = {**rules, "maximum": min(rules.get("maximum", limit), limit)}
        if _is_optional(tp):
            inner = _without_none(tp)
            return {"anyOf": [self.type(inner, {**rules, **nullable_rules}), {"type": "null"}]}
        return self.type(tp, {**rules, **nullable_rules})

    def type(self, tp: Any, rules: Schema | None = None) -> Schema:
        rules = rules or {}
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if tp is type(None):
            return {"type": "null"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer", **_only(rules, "minimum", "maximum")}
        if tp is float:
            return {"type": "number", **_only(rules, "minimum", "maximum", "exclusiveMinimum")}
        if tp is str:
            return {"type": "string", **_only(rules, "pattern")}
        if tp is dt.date:
            return {"type": "string", "format": "date", "description": "an ISO date such as 2027-01-04"}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            values = [member.value for member in tp]
            kinds = {type(value) for value in values}
            if kinds != {str}:
                raise TypeError(f"{tp.__name__}: only enums of strings have a JSON form here")
            return {"type": "string", "enum": values}
        if isinstance(tp, type) and attrs.has(tp):
            return self.ref(tp)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.type(args[0])}
        if origin is tuple and args and Ellipsis not in args:
            return {
                "type": "array",
                "prefixItems": [self.type(arg) for arg in args],
                "items": False,
                "minItems": len(args),
                "maxItems": len(args),
            }
        if origin is list and len(args) == 1:
            return {"type": "array", "items": self.type(args[0])}
        if origin in (frozenset, set) and len(args) == 1:
            return {"type": "array", "items": self.type(args[0]), "uniqueItems": True}
        if origin in (typing.Union, types.UnionType):
            if _is_optional(tp):
                return {"anyOf": [self.type(_without_none(tp), rules), {"type": "null"}]}
            if all(isinstance(arg, type) and attrs.has(arg) for arg in args):
                from .serialization import type_tag

                return {"oneOf": [self.ref(arg, type_tag(arg)) for arg in args]}
            return {"anyOf": [self.type(arg, rules) for arg in args]}
        raise TypeError(f"no JSON Schema for {tp!r}")


# ------------------------------------------------------------------ what the models say


def _document_limits() -> dict[tuple[str, str], int]:
    """Limits that reading checks beyond a field's own validator: (class, field) -> the largest value."""
    from .serialization import MAX_PLAN_WEEKS

    return {("Plan", "weeks"): MAX_PLAN_WEEKS}


def _omitted(cls: type) -> frozenset[str]:
    """Fields the converter leaves out of a class's document (a policy's ``extra``: code, not data)."""
    from .serialization import omitted_fields

    return omitted_fields(cls)


def _is_optional(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in typing.get_args(tp)


def _without_none(tp: Any) -> Any:
    rest = tuple(arg for arg in typing.get_args(tp) if arg is not type(None))
    if len(rest) == 1:
        return rest[0]
    return functools.reduce(lambda a, b: a | b, rest)


def _only(rules: Schema, *keys: str) -> Schema:
    return {key: rules[key] for key in keys if key in rules}


_KNOWN_CHECKS = frozenset({"instance_of", "members", "one_of", "date"})
"""Validators of :mod:`hipplan._validate` whose rule the JSON type already says."""


def _rules(validator: Any) -> tuple[Schema, Schema]:
    """The JSON Schema keywords a field's validator stands for: (rules, rules for the value when it is not null).

    Ranges are read from the validators of :mod:`hipplan._validate` (the bounds their closures hold); validators
    of other modules are checked on reading only. A validator of :mod:`hipplan._validate` not known here is an
    error, so that a new kind of check is never silently left out of the schemas.
    """
    if validator is None:
        return {}, {}
    parts = getattr(validator, "_validators", None)  # attrs.validators.and_, a list of validators
    if parts is not None:
        merged: Schema = {}
        for part in parts:
            rules, _ = _rules(part)
            merged.update(rules)
        return merged, {}
    if getattr(validator, "__module__", None) != "hipplan._validate":
        return {}, {}
    kind = validator.__qualname__.split(".")[0]
    bound = inspect.getclosurevars(validator).nonlocals
    if kind == "integer":
        return _range(bound, integer=True), {}
    if kind == "number":
        return _range(bound, integer=False), {}
    if kind == "text":
        return ({"pattern": _NOT_BLANK} if bound.get("nonempty", True) else {}), {}
    if kind == "identifier":
        return {"pattern": _NOT_BLANK}, {}  # a pattern holds for strings only: a number passes it
    if kind == "optional":
        inner, _ = _rules(bound["inner"])
        return {}, inner
    if kind in _KNOWN_CHECKS:
        return {}, {}
    raise TypeError(f"no JSON Schema rule for the validator {validator.__qualname__}")


def _range(bound: Mapping[str, Any], *, integer: bool) -> Schema:
    out: Schema = {}
    for key, word in (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusiveMinimum")):
        value = bound.get(key)
        if value is not None:
            out[word] = int(value) if integer or float(value).is_integer() else value
    return out


class _NoDefault:
    pass


_NO_DEFAULT = _NoDefault()


def _default(field: attrs.Attribute[Any]) -> Any:
    """A field's default as JSON, when it is a plain value (a factory's default is left unsaid)."""
    default = field.default
    if default is attrs.NOTHING or isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return _NO_DEFAULT
    from .serialization import get_converter

    try:
        value = get_converter().unstructure(default)
    except Exception:  # pragma: no cover - a default the converter cannot write is simply not shown
        return _NO_DEFAULT
    if isinstance(value, dict):
        return _NO_DEFAULT  # a whole object as a default says less than its own schema does
    return value


_ATTRIBUTE = re.compile(r"^(?P<names>[a-z_][a-z0-9_]*(?: / [a-z_][a-z0-9_]*)*): (?P<text>.*)$")


def _docs(cls: type) -> tuple[str, dict[str, str]]:
    """A class's summary (its docstring's first paragraph) and the description of each attribute its docstring's
    ``Attributes:`` section gives (``name: text``, continued on more deeply indented lines)."""
    doc = inspect.getdoc(cls) or ""
    if cls.__doc__ is None or doc == inspect.getdoc(object):
        return "", {}
    paragraphs = doc.split("\n\n")
    summary = " ".join(paragraphs[0].split())
    described: dict[str, str] = {}
    lines = doc.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == "Attributes:")
    except StopIteration:
        return summary, described
    names: list[str] = []
    indent: int | None = None
    for line in lines[start + 1 :]:
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip())
        if indent is None:
            indent = depth
        if depth < indent:
            break
        match = _ATTRIBUTE.match(line.strip()) if depth == indent else None
        if match is not None:
            names = match["names"].split(" / ")
            for name in names:
                described[name] = match["text"]
        elif names and depth > indent:
            for name in names:
                described[name] += " " + line.strip()
    return summary, described
