"""The schemas: valid Draft-07, only known keywords, documented properties, in step with the data tables."""

from __future__ import annotations

import re

import json

import jsonschema
import pytest

from catalog.reference import places, rulebook
from catalog.records.schemas import load_schema, resolve, schema_dir

SCHEMAS = sorted(p.name for p in schema_dir().glob("*.schema.json"))

# Draft-07 vocabulary (validation, applicators, annotations, format, content) ...
DRAFT7_KEYWORDS = {
    "$schema", "$id", "$ref", "$comment", "title", "description", "default", "readOnly", "writeOnly", "examples",
    "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
    "additionalItems", "items", "maxItems", "minItems", "uniqueItems", "contains", "maxProperties", "minProperties",
    "required", "additionalProperties", "definitions", "properties", "patternProperties", "dependencies",
    "propertyNames", "const", "enum", "type", "format", "contentMediaType", "contentEncoding", "if", "then", "else",
    "allOf", "anyOf", "oneOf", "not",
}
# ... plus the annotations the VS Code YAML/JSON language service understands (shown to staff as they type).
EDITOR_KEYWORDS = {"patternErrorMessage", "enumDescriptions", "markdownDescription", "errorMessage", "deprecationMessage"}
# Ours: "x-enum": the field's allowed codes come from a rule table (catalog/records/schemas.py _code_lists).
# "x-title-en": the field's name in English (catalog/records/fields.py; English pages and CSV titles).
# "x-patternErrorMessage-en": patternErrorMessage in English (`ocop validate --lang en`).
OUR_KEYWORDS = {"x-enum", "x-title-en", "x-patternErrorMessage-en"}
# Keywords whose value is a map of *names* to schemas (the names are not keywords).
NAMED_MAPS = {"properties", "definitions", "patternProperties", "dependencies"}


def walk(node, path="#"):
    """Yield (path, schema object) for every schema object in a document."""
    if not isinstance(node, dict):
        return
    yield path, node
    for key, value in node.items():
        if key in NAMED_MAPS and isinstance(value, dict):
            for name, sub in value.items():
                yield from walk(sub, f"{path}/{key}/{name}")
        elif key in ("items", "additionalProperties", "additionalItems", "contains", "propertyNames", "not", "if", "then", "else") and isinstance(value, dict):
            yield from walk(value, f"{path}/{key}")
        elif key in ("allOf", "anyOf", "oneOf", "items") and isinstance(value, list):
            for i, sub in enumerate(value):
                yield from walk(sub, f"{path}/{key}/{i}")


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_draft7(name):
    schema = load_schema(name)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_uses_no_keyword_outside_the_vocabulary(name):
    unknown = [
        f"{path}: {key}"
        for path, node in walk(load_schema(name))
        for key in node
        if key not in DRAFT7_KEYWORDS | EDITOR_KEYWORDS | OUR_KEYWORDS
    ]
    assert unknown == []


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_format_fix_is_said_in_both_languages(name):
    """`ocop validate --lang en` printed the Vietnamese fix of a wrong format (and the field's
    Vietnamese name): each patternErrorMessage has its English beside it, with the same example."""
    for path, node in walk(load_schema(name)):
        if "patternErrorMessage" in node:
            vi, en = node["patternErrorMessage"], node.get("x-patternErrorMessage-en")
            assert en, f"{path}: patternErrorMessage without x-patternErrorMessage-en"
            assert re.findall(r"[A-Za-z0-9./:{}-]*[0-9/][A-Za-z0-9./:{}-]*", vi)[-1:] == \
                re.findall(r"[A-Za-z0-9./:{}-]*[0-9/][A-Za-z0-9./:{}-]*", en)[-1:], path


def test_a_wrong_format_is_explained_in_english_with_english_names(tmp_path):
    from catalog.checks.validate import check

    from .conftest import AS_OF, copy_data

    root = copy_data(tmp_path)
    record = sorted((root / "products").rglob("*.yaml"))[0]
    text = record.read_text(encoding="utf-8")
    number = next(line for line in text.splitlines() if line.startswith("  number:"))
    record.write_text(text.replace(number, "  number: 12 GCN sai", 1), encoding="utf-8")
    [problem] = [p for p in check(root, AS_OF).problems if p.code == "bad-format"]
    english, vietnamese = problem.message("en"), problem.message("vi")
    assert "Certificate number: '12 GCN sai' has the wrong form. Letters, digits and / . - only" in english
    assert "Số giấy chứng nhận" not in english and "Chỉ gồm" not in english
    assert "Số giấy chứng nhận: '12 GCN sai' không đúng dạng. Chỉ gồm chữ, số" in vietnamese


def test_vocabulary_check_catches_a_typo():
    bad = {"type": "object", "properties": {"name": {"type": "string", "maxLenght": 3}}}
    assert [(p, k) for p, n in walk(bad) for k in n if k not in DRAFT7_KEYWORDS | EDITOR_KEYWORDS] == [("#/properties/name", "maxLenght")]


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_object_forbids_unknown_keys_and_every_property_is_documented(name):
    schema = load_schema(name)
    missing = []
    for path, node in walk(schema):
        if node.get("type") == "object":
            if node.get("additionalProperties") is not False:
                missing.append(f"{path}: additionalProperties must be false")
        for prop, sub in node.get("properties", {}).items():
            described, _ = resolve(sub, name)
            for key in ("title", "description", "examples"):
                if not described.get(key):
                    missing.append(f"{path}/properties/{prop}: no {key}")
    assert missing == []


def test_examples_validate_against_their_own_schema():
    """The examples staff see in the editor must themselves be valid."""
    from catalog.records.schemas import registry

    failures = []
    for name in SCHEMAS:
        for path, node in walk(load_schema(name)):
            if path == "#":
                continue
            pointer = jsonschema.Draft7Validator(
                {"$ref": f"{name}{path}"}, registry=registry(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
            )
            for example in node.get("examples", []):
                errors = [e.message for e in pointer.iter_errors(example)]
                if errors:
                    failures.append(f"{name}{path}: {example!r}: {errors[0]}")
    assert failures == []


def test_province_enum_is_exactly_the_34_provinces_of_the_package():
    enum = load_schema("definitions.schema.json")["definitions"]["province"]["enum"]
    assert len(enum) == 34
    assert sorted(enum) == sorted(places.provinces())


def test_group_and_product_set_enums_match_the_taxonomy_table():
    """The code lists are not written in the schema files: they are filled from the rule tables
    when the schema is loaded (catalog/data is the one place to add a legal basis or set)."""
    raw = json.loads((schema_dir() / "product.schema.json").read_text(encoding="utf-8"))
    assert "enum" not in raw["properties"]["classification"]["properties"]["legal_basis"]
    props = load_schema("product.schema.json")["properties"]["classification"]["properties"]
    tax = rulebook.taxonomy()
    assert set(props["group"]["enum"]) == set(tax["groups_148"]) | set(tax["sectors_1048"])
    sets = {s for g in tax["groups_148"].values() for s in g["sets"]}
    assert set(props["product_set"]["enum"]) == sets
    assert len(sets) == 26 and len(tax["groups_148"]) == 6 and len(tax["sectors_1048"]) == 6
    assert set(props["legal_basis"]["enum"]) == set(rulebook.rules()["legal_bases"])


def test_schemas_are_plain_json_files_with_no_network_references():
    for name in SCHEMAS:
        text = (schema_dir() / name).read_text(encoding="utf-8")
        for ref in [v for _, n in walk(json.loads(text)) for k, v in n.items() if k == "$ref"]:
            assert not ref.startswith(("http:", "https:")), f"{name}: {ref}"


def test_fast_validator_agrees_with_jsonschema_on_every_fixture():
    """The compiled fast path may only let through what jsonschema accepts, and the other way round
    — and is_valid_fast, which checks a process's first records of a kind with jsonschema itself
    (issue #27: no compiling for a one-file edit), says the same either way."""
    import fastjsonschema

    from catalog.records.loader import load_file
    from catalog.records.schemas import coerce, fast_validator, is_valid_fast, validator
    from catalog.checks.validate import discover

    def fast(kind, data) -> bool:
        try:
            fast_validator(kind)(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    from .conftest import FIXTURES, REPO

    checked = 0
    for folder in (FIXTURES / "valid", FIXTURES / "invalid", FIXTURES / "base", REPO):
        files = [(k, p) for k, _, p in discover(folder)[0]]
        for kind, path in files:
            loaded = load_file(path)
            if loaded.data is None:
                continue
            base = f"{kind}.schema.json"
            data = coerce(loaded.data, load_schema(base), base)
            slow = not list(validator(kind).iter_errors(data))
            assert fast(kind, data) == slow, path
            assert is_valid_fast(kind, data) == slow, path
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("typed, fix_vi, fix_en", [
    ("30/07/2024", "Viết '2024-07-30' (năm-tháng-ngày: ngày 30 tháng 7 năm 2024)", "Write '2024-07-30' (year-month-day: 30 July 2024)"),
    ("7.3.2024", "Viết '2024-03-07'", "Write '2024-03-07'"),
    ("31/02/2024", "Viết ngày theo dạng NĂM-THÁNG-NGÀY", "Write the date as YEAR-MONTH-DAY"),  # no such day
    ("2024/07/30", "Viết ngày theo dạng NĂM-THÁNG-NGÀY", "Write the date as YEAR-MONTH-DAY"),
])
def test_a_date_written_day_first_gets_the_exact_value_to_write(tmp_path, typed, fix_vi, fix_en):
    from catalog.checks.validate import check

    from .conftest import AS_OF, copy_data

    root = copy_data(tmp_path)
    record = sorted((root / "products").rglob("*.yaml"))[0]
    text = record.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("    date:"))
    record.write_text(text.replace(line, f'    date: "{typed}"', 1), encoding="utf-8")
    [problem] = [p for p in check(root, AS_OF).problems if p.code == "bad-format"]
    assert problem.field == "certificate.decision.date"
    assert fix_vi in problem.message("vi") and fix_en in problem.message("en")


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_field_is_named_in_both_languages(name):
    """`ocop validate --lang en` names the field in English (x-title-en), never in Vietnamese."""
    untitled = [path for path, node in walk(load_schema(name)) if path != "#" and "title" in node and not node.get("x-title-en")]
    assert untitled == []


@pytest.mark.parametrize("field, typed, written", [
    ("phone", "0213 387.6501", "02133876501"),
    ("certificate.number", "106 / GCN-UBND", "106/GCN-UBND"),
])
def test_an_obvious_rewrite_is_offered_as_the_value_to_write(tmp_path, field, typed, written):
    from catalog.checks.validate import check

    from .conftest import AS_OF, copy_data

    root = copy_data(tmp_path)
    folder, key = ("producers", "phone:") if field == "phone" else ("products", "  number:")
    record = next(p for p in sorted((root / folder).rglob("*.yaml"))
                  if any(line.startswith(key) for line in p.read_text(encoding="utf-8").splitlines()))
    text = record.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(key))
    record.write_text(text.replace(line, f'{key} "{typed}"', 1), encoding="utf-8")
    [problem] = [p for p in check(root, AS_OF).problems if p.code == "bad-format"]
    assert problem.field == field
    assert f"Viết '{written}'." in problem.message("vi") and f"Write '{written}'." in problem.message("en")


def test_a_number_typed_with_its_unit_gets_the_number_to_write(tmp_path):
    from catalog.checks.validate import check

    from .conftest import AS_OF, copy_data

    root = copy_data(tmp_path)
    record = root / "products" / "lai-chau" / "che-shan-tuyet-sin-ho.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\n  stars: 4\n", '\n  stars: "4 sao"\n', 1), encoding="utf-8")
    [problem] = [p for p in check(root, AS_OF).problems if p.code == "wrong-type"]
    assert problem.field == "certificate.stars"
    assert "Viết 4, không kèm chữ." in problem.message("vi") and "Write 4, without words." in problem.message("en")
