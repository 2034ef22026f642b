"""JSON Schema: every document hipplan writes validates against its schema, and every document the schema allows
is read or refused with InvalidInput, never anything else."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hipplan as hp
from hipplan import strategies as hst
from hipplan.batch import BatchError, BatchRequest, BatchResult
from hipplan.cli import ProgressLog, main
from hipplan.schema import DRAFT, document_types, json_schema, schema_text

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schemas"
TYPES = {**document_types(), "ProgressLog": ProgressLog}
FEW = settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))


def validator(cls: type) -> Any:
    return jsonschema.Draft202012Validator(json_schema(cls), format_checker=jsonschema.FormatChecker())


@st.composite
def batch_requests(draw: st.DrawFn) -> BatchRequest:
    request = draw(hst.requests(max_weeks=3))
    ident = draw(st.text(min_size=1).filter(str.strip))
    return BatchRequest(id=ident, **{f.name: getattr(request, f.name) for f in attrs.fields(hp.PlanRequest)})


@st.composite
def batch_results(draw: st.DrawFn) -> BatchResult:
    line = draw(st.integers(min_value=1, max_value=10**6))
    if draw(st.booleans()):
        return BatchResult(line=line, id=draw(st.none() | st.just("a-1")), plan=draw(hst.plans(max_weeks=3)))
    error = draw(st.sampled_from([hp.InvalidInput("bad", ["$.x: bad"]), hp.Infeasible("no plan")]))
    return BatchResult(line=line, error=BatchError.of(error))


def from_schema(schema: dict[str, Any], root: dict[str, Any] | None = None) -> st.SearchStrategy[Any]:
    """Documents valid against ``schema``, for the keywords hipplan's schemas use.

    (hypothesis-jsonschema 0.23.1, the latest, draws objects through a Hypothesis internal that Hypothesis 6.170
    no longer has: ``'many' object has no attribute 'more'``. This covers the same ground for our schemas.)
    """
    root = schema if root is None else root
    known = {"$ref", "$defs", "$schema", "title", "description", "default"}
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return st.deferred(lambda: from_schema(root["$defs"][name], root))
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([from_schema(part, root) for part in schema[key]])
    kind = schema["type"]
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(min_value=schema.get("minimum"), max_value=schema.get("maximum"))
    if kind == "number":
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        floats = st.floats(
            min_value=low,
            max_value=schema.get("maximum"),
            exclude_min="exclusiveMinimum" in schema,
            allow_nan=False,
            allow_infinity=False,
        )
        return floats | floats.map(round)
    if kind == "string":
        if schema.get("format") == "date":
            return st.dates().map(lambda d: d.isoformat())
        pattern = schema.get("pattern")
        text = st.text(max_size=12)
        return text.filter(lambda s: re.search(pattern, s) is not None) if pattern else text
    if kind == "array":
        if "prefixItems" in schema:
            return st.tuples(*(from_schema(part, root) for part in schema["prefixItems"])).map(list)
        items = from_schema(schema["items"], root)
        unique = (lambda x: json.dumps(x, sort_keys=True)) if schema.get("uniqueItems") else None
        return st.lists(items, max_size=3, unique_by=unique)
    assert "object" == kind, schema
    assert set(schema) - known <= {"type", "properties", "required", "additionalProperties"}, schema
    properties = {name: from_schema(part, root) for name, part in schema["properties"].items()}
    required = set(schema.get("required", ()))
    return st.fixed_dictionaries(
        {name: part for name, part in properties.items() if name in required},
        optional={name: part for name, part in properties.items() if name not in required},
    )


def values(cls: type) -> st.SearchStrategy[Any]:
    if cls is BatchRequest:
        return batch_requests()
    if cls is BatchResult:
        return batch_results()
    if cls is ProgressLog:
        return st.builds(
            ProgressLog, dose=hst.doses(), performed=st.lists(hst.performed_sets(), min_size=1, max_size=4)
        )
    return st.from_type(cls)


@pytest.mark.parametrize("name", sorted(TYPES))
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    """Each schema is itself a valid draft 2020-12 schema, titled after its type."""
    schema = json_schema(TYPES[name])
    jsonschema.Draft202012Validator.check_schema(schema)
    assert DRAFT == schema["$schema"]
    assert f"hipplan {name}" == schema["title"]


@pytest.mark.parametrize("name", sorted(TYPES))
def test_written_documents_validate(name: str) -> None:
    """Every document to_json writes for a value of the type validates against the type's schema."""
    cls = TYPES[name]
    check = validator(cls)

    @FEW
    @given(values(cls))
    def run(value: Any) -> None:
        document = json.loads(hp.to_json(value))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(document)]
        assert [] == errors

    run()


READ = [*sorted(name for name in TYPES if name != "BatchResult"), "BatchResult"]


@pytest.mark.parametrize("name", READ)
def test_documents_drawn_from_the_schema_load_or_are_refused(name: str) -> None:
    """A document the schema allows is read, or refused with InvalidInput, nothing else; a value read back
    writes a document that validates."""
    cls = TYPES[name]
    check = validator(cls)

    @FEW
    @given(from_schema(json_schema(cls)))
    def run(document: Any) -> None:
        try:
            value = hp.from_json(json.dumps(document), cls)
        except hp.InvalidInput:
            return
        assert [] == [e.message for e in check.iter_errors(json.loads(hp.to_json(value)))]

    run()


REGENERATE = (
    "regenerate: for t in $(hipplan schema); do hipplan schema $t -o docs/schemas/$t.schema.json; done"
)


def test_shipped_schemas_are_the_generated_ones() -> None:
    """docs/schemas holds one NAME.schema.json per document type, each exactly what `hipplan schema NAME` prints."""
    shipped = {path.name: path.read_text(encoding="utf-8") for path in SCHEMAS.glob("*.schema.json")}
    expected = {f"{name}.schema.json": schema_text(cls) for name, cls in TYPES.items()}
    assert sorted(expected) == sorted(shipped), REGENERATE
    stale = [name for name in expected if expected[name] != shipped[name]]
    assert [] == stale, REGENERATE


def test_cli_schema_prints_the_schema_and_lists_the_types() -> None:
    """`hipplan schema TYPE` prints schema_text(TYPE) (any letter case); without TYPE it lists the types."""
    out = io.StringIO()
    assert 0 == main(["schema", "plan"], stdout=out)
    assert schema_text(hp.Plan) == out.getvalue()
    out = io.StringIO()
    assert 0 == main(["schema"], stdout=out)
    assert sorted(TYPES) == out.getvalue().split()


def test_cli_schema_refuses_an_unknown_type() -> None:
    """An unknown TYPE is a usage error (status 2) that lists the known types."""
    err = io.StringIO()
    assert 2 == main(["schema", "Deadlift"], stdout=io.StringIO(), stderr=err)
    assert "no document type 'Deadlift'" in err.getvalue()
    assert "PlanRequest" in err.getvalue()


def definition(cls: type, name: str | None = None) -> dict[str, Any]:
    return json_schema(cls)["$defs"][name or cls.__name__]["properties"]  # type: ignore[no-any-return]


def test_ranges_and_enums_are_the_validators() -> None:
    """Ranges come from the fields' validators and reading's own limits; enums list their values."""
    assert {"maximum": 6, "minimum": 0} == _only(definition(hp.Session)["weekday"], "minimum", "maximum")
    assert {"maximum": 50, "minimum": 1} == _only(definition(hp.Dose)["reps"], "minimum", "maximum")
    assert {"maximum": 520, "minimum": 1} == _only(definition(hp.PlanRequest)["weeks"], "minimum", "maximum")
    assert {"maximum": 520, "minimum": 1} == _only(definition(hp.Plan)["weeks"], "minimum", "maximum")
    bodyweight = definition(hp.Athlete)["bodyweight_kg"]["anyOf"][0]
    assert {"maximum": 300, "minimum": 20, "type": "number"} == bodyweight
    tension = definition(hp.Band)["tension"]["anyOf"][0]
    assert {"exclusiveMinimum": 0, "maximum": 200, "type": "number"} == tension
    assert [level.value for level in hp.Level] == definition(hp.Athlete)["level"]["enum"]
    assert ["level"] == json_schema(hp.Athlete)["$defs"]["Athlete"]["required"]
    assert {"pattern": r"\S", "type": "string"} == _only(definition(hp.Session)["name"], "pattern", "type")


def test_rules_are_tagged_and_a_policy_has_no_extra() -> None:
    """Constraints are a oneOf of objects with a constant 'type'; a Policy document has no 'extra' key."""
    from hipplan.constraints import BuiltInRule

    schema = json_schema(hp.PlanRequest)
    refs = schema["$defs"]["PlanRequest"]["properties"]["constraints"]["items"]["oneOf"]
    names = [ref["$ref"].removeprefix("#/$defs/") for ref in refs]
    assert [cls.__name__ for cls in BuiltInRule.__args__] == names
    tags = [schema["$defs"][name]["properties"]["type"]["const"] for name in names]
    assert [cls.tag for cls in BuiltInRule.__args__] == tags
    assert "extra" not in json_schema(hp.Policy)["$defs"]["Policy"]["properties"]


def test_json_schema_refuses_what_has_no_document() -> None:
    """json_schema of something that is not a hipplan value class is InvalidInput."""
    with pytest.raises(hp.InvalidInput, match="json_schema takes"):
        json_schema(dict)


def test_json_schema_returns_a_fresh_copy() -> None:
    """Changing a returned schema does not change the next one."""
    first = json_schema(hp.Session)
    first["$defs"].clear()
    assert "Session" in json_schema(hp.Session)["$defs"]


def _only(schema: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: schema[key] for key in keys if key in schema}
