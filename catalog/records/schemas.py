"""The JSON Schemas in ``schemas/`` — the single source of truth for the record format.

One validator per record kind (Draft-07, format checking on), and the translation of
``jsonschema`` errors into :class:`~catalog.records.problems.Problem` values a province officer can act on:
no Python reprs, no regexes, no schema dumps — the field's title, what was typed, how to fix it.

Two differences between JSON Schema and Python are closed here, for both validators (jsonschema and
the compiled fastjsonschema): a ``pattern``'s ``$`` means the very end of the text in JSON Schema
(ECMA-262) but also "before a final newline" in Python, so every pattern is validated with ``$``
written as ``\\Z`` (:func:`python_pattern`); and text may span lines only in multi-line fields
(:func:`is_multiline`: descriptions), so ``gtin: |`` or ``id: "che-moi\\n"`` is refused
(``not-one-line``) instead of reaching a label or ``published-ids.txt``.

Typing of unquoted values is driven by the schema (see :mod:`catalog.records.loader`): ``coerce`` walks a
record beside its schema and turns :class:`~catalog.records.loader.Plain` text into ``int``/``float``/
``bool``/``None`` only where the schema's ``type`` asks for it and the text is spelled the
YAML 1.2 core way. The walker follows ``$ref``, ``allOf``, ``properties`` and ``items`` —
keep the schemas to those keywords for typed fields.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from .loader import Loaded, Plain, dotted
from ..reference.paths import PACKAGE_DIR, shipped
from ..reference.places import communes_to_fill, fold, former_provinces, normalise_province, provinces, slug, suggest_province
from .problems import Hint, Problem, did_you_mean, one_of, quote
from ..reference import rulebook

SCHEMA_DIR = PACKAGE_DIR.parent / "schemas"
KINDS = ("product", "producer", "sales_point", "village")
DEFINITIONS = "definitions.schema.json"

_INT = re.compile(r"^[-+]?[0-9]+$")
_DECIMAL_COMMA = re.compile(r"^[0-9]+,[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
# No field holds a number of more than a few digits (a score, stars, a coordinate); a longer one is
# left as text, refused with a problem line: int() of over 4,300 digits raises (Python's limit) and a
# float of over 308 digits is infinite (issue #22).
NUMBER_MAX_CHARS = 40

TYPE_NAMES = {  # (vi, en)
    "string": ("văn bản", "text"),
    "integer": ("một số nguyên", "a whole number"),
    "number": ("một số", "a number"),
    "boolean": ("true hoặc false", "true or false"),
    "object": ("các trường con (thụt lề bên dưới)", "indented fields"),
    "array": ("một danh sách (mỗi mục một dòng bắt đầu bằng '- ')", "a list (one '- ' line per item)"),
    "null": ("để trống", "nothing"),
}


def schema_dir() -> Path:
    """Where the schemas are. Packaged with the tool (not taken from the data root)."""
    return shipped("schemas")


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return _with_code_lists(json.loads((schema_dir() / name).read_text(encoding="utf-8")))


# Code lists that are rule data, not format: a field marked ``"x-enum": "<list>"`` in a schema gets
# its ``enum`` from catalog/data (ocop_rules.yaml, taxonomy.yaml) when the schema is loaded, so a new
# legal basis or product set is an edit to those tables only. Editors that read the schema files
# directly see no list for these fields; docs/truong-du-lieu.md (generated) lists them.
def _code_lists() -> dict[str, list[str]]:
    return {"legal_bases": rulebook.legal_basis_codes(), "groups": list(rulebook.all_group_codes()),
            "product_sets": list(rulebook.all_set_codes())}


def _with_code_lists(node: Any, lists: dict | None = None) -> Any:
    if isinstance(node, dict):
        if "x-enum" in node:
            lists = lists if lists is not None else _code_lists()
            node = {**node, "enum": list(lists[node["x-enum"]])}
        return {k: _with_code_lists(v, lists) for k, v in node.items()}
    if isinstance(node, list):
        return [_with_code_lists(v, lists) for v in node]
    return node


def forget() -> None:
    """Drop every loaded schema and validator (the rule tables changed: catalog.reference.rulebook.reload)."""
    for fn in (load_schema, checking_schema, registry, validator, fast_validator):
        fn.cache_clear()


rulebook.on_reload(forget)


def python_pattern(pattern: str) -> str:
    """A JSON Schema (ECMA-262) pattern with the same meaning under Python's ``re.search``: each
    ``$`` outside a character class and not escaped becomes ``\\Z`` (Python's ``$`` also matches
    before a final newline, so ``^[0-9]{13}$`` accepted "8936012340013\\n")."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                out.append("[^")
                i += 2
            else:
                out.append("[")
                i += 1
            if pattern[i:i + 1] == "]":  # a ']' first in a class is a literal
                out.append("]")
                i += 1
            continue
        elif ch == "$":
            out.append("\\Z")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _for_python(node: Any) -> Any:
    """A copy of a schema whose patterns mean in Python what they mean in JSON Schema."""
    if isinstance(node, dict):
        out = {k: _for_python(v) for k, v in node.items()}
        if isinstance(node.get("pattern"), str):
            out["pattern"] = python_pattern(node["pattern"])
        if isinstance(node.get("patternProperties"), dict):
            out["patternProperties"] = {python_pattern(k): _for_python(v) for k, v in node["patternProperties"].items()}
        return out
    if isinstance(node, list):
        return [_for_python(v) for v in node]
    return node


@lru_cache(maxsize=None)
def checking_schema(name: str) -> dict:
    """The schema as the validators use it (patterns translated, see :func:`python_pattern`);
    :func:`load_schema` is the file as written, for documentation and editors."""
    return _for_python(load_schema(name))


MULTILINE_MIN_LENGTH = 1000  # text fields allowing this many characters are paragraphs (long_text)


def is_multiline(fragment: dict) -> bool:
    """May a text field span several lines? Only paragraphs (descriptions): every other field is
    printed on one line — a page title, a label, a CSV cell, a line of published-ids.txt."""
    return fragment.get("maxLength", 0) >= MULTILINE_MIN_LENGTH


@lru_cache(maxsize=None)
def registry() -> Registry:
    resources = []
    for path in sorted(schema_dir().glob("*.schema.json")):
        resources.append((path.name, Resource.from_contents(checking_schema(path.name), default_specification=DRAFT7)))
    return Registry().with_resources(resources)


YEARS = (1900, 2099)  # a date outside them is a typo (probe, round five: 9997-01-02 passed, the build overflowed)


def _plausible_date(value: object) -> bool:
    """JSON Schema's ``date`` (a real day of the calendar, YYYY-MM-DD), in the years ``YEARS``."""
    if not isinstance(value, str):
        return True
    day = dt.date.fromisoformat(value)  # ValueError: not a real day
    return YEARS[0] <= day.year <= YEARS[1]


def _format_checker() -> jsonschema.FormatChecker:
    """Draft 7's formats, with ``date`` kept to plausible years (:func:`_plausible_date`)."""
    checker = copy.copy(jsonschema.Draft7Validator.FORMAT_CHECKER)
    checker.checkers = dict(checker.checkers)
    checker.checks("date", raises=ValueError)(_plausible_date)
    return checker


FORMAT_CHECKER = _format_checker()


@lru_cache(maxsize=None)
def validator(kind: str) -> jsonschema.Draft7Validator:
    schema = checking_schema(f"{kind}.schema.json")
    return jsonschema.Draft7Validator(schema, registry=registry(), format_checker=FORMAT_CHECKER)


def resolve(fragment: dict, base: str) -> tuple[dict, str]:
    """Follow ``$ref`` (and a lone ``allOf: [$ref]``) to the schema that describes a value.

    Titles, descriptions and examples on an ``allOf`` wrapper win over the referenced ones.
    """
    outer = fragment
    for _ in range(10):
        if "$ref" in fragment:
            ref = fragment["$ref"]
            doc, _, pointer = ref.partition("#")
            base = doc or base
            target: Any = load_schema(base)
            for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
                target = target[part]
            fragment = target
            continue
        if "allOf" in fragment and len(fragment["allOf"]) == 1 and "type" not in fragment:
            inner, base = resolve(fragment["allOf"][0], base)
            merged = dict(inner)
            for key in ("title", "description", "examples"):
                if key in fragment:
                    merged[key] = fragment[key]
            fragment = merged
            continue
        break
    if outer is not fragment:
        for key in ("title", "description", "examples"):
            if key in outer and key not in fragment:
                fragment = {**fragment, key: outer[key]}
    return fragment, base


def coerce(data: Any, fragment: dict, base: str) -> Any:
    """Type unquoted scalars where the schema wants a non-string (see module doc)."""
    fragment, base = resolve(fragment, base)
    if isinstance(data, dict):
        props = fragment.get("properties", {})
        return {k: coerce(v, props[k], base) if k in props else v for k, v in data.items()}
    if isinstance(data, list):
        items = fragment.get("items")
        return [coerce(v, items, base) for v in data] if isinstance(items, dict) else data
    if isinstance(data, Plain):
        wanted = fragment.get("type")
        types = wanted if isinstance(wanted, list) else [wanted]
        if "string" in types or wanted is None:
            return str(data)
        text = str(data)
        if len(text) > NUMBER_MAX_CHARS:
            return text
        if "null" in types and text in ("", "~", "null", "Null", "NULL"):
            return None
        if "boolean" in types and text in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return text.lower() == "true"
        if "integer" in types and _INT.match(text):
            return int(text)
        if "number" in types and _INT.match(text):
            return int(text)
        if "number" in types and _FLOAT.match(text):
            return float(text)
        if text == "":
            return None
        return str(data)
    return data


def _coerce_number(text: str, expected: str) -> int | float | None:
    """The number a quoted value would be without its quotes, or None."""
    text = text.strip()
    if len(text) > NUMBER_MAX_CHARS:
        return None
    if _INT.match(text):
        return int(text)
    if expected == "number" and _FLOAT.match(text):
        return float(text)
    return None


def _former_only() -> dict[str, str]:
    """Pre-2025 province names that are not a current province name → the province now."""
    return {old: new for old, new in former_provinces().items() if old not in provinces()}


def _is_province_enum(allowed: Any) -> bool:
    return isinstance(allowed, list) and sorted(map(str, allowed)) == sorted(provinces())


def _typed_province(value: Any) -> str | None:
    """The province a refused province value was meant to be, compared without accents and the
    "tỉnh"/"TP." in front: 'Lang Son' → 'Lạng Sơn', 'TP. Hải Phòng' → 'Hải Phòng', 'Ha Giang' → 'Hà Giang'."""
    if not isinstance(value, str):
        return None
    return normalise_province(value) or suggest_province(value, [*provinces(), *former_provinces()])


def _example(fragment: dict, base: str) -> str:
    frag, _ = resolve(fragment, base)
    examples = frag.get("examples") or []
    if not examples:
        return "…"
    ex = examples[0]
    if isinstance(ex, (dict, list)):
        return "(xem mẫu hồ sơ)"
    return json.dumps(ex, ensure_ascii=False) if isinstance(ex, str) and not ex.isascii() else str(ex)


def _bundle(node: Any) -> Any:
    """A copy with references into definitions.schema.json made local (#/definitions/…)."""
    if isinstance(node, dict):
        out = {k: _bundle(v) for k, v in node.items()}
        ref = out.get("$ref")
        if isinstance(ref, str) and ref.startswith(DEFINITIONS + "#"):
            out["$ref"] = ref[len(DEFINITIONS):]
        return out
    if isinstance(node, list):
        return [_bundle(v) for v in node]
    return node


_COMPILED: set[str] = set()  # kinds whose fast validator is_valid_fast uses


@lru_cache(maxsize=None)
def fast_validator(kind: str):
    """A compiled (fastjsonschema) validator used to let valid records through quickly.

    Only its yes/no is used: a record it rejects goes through jsonschema, whose errors we
    translate. Formats are checked by jsonschema's own format checker so the two never disagree
    on what is valid (tests/test_schemas.py compares them on every fixture).
    """
    import fastjsonschema

    checker = FORMAT_CHECKER
    schema = _bundle(checking_schema(f"{kind}.schema.json"))
    schema["definitions"] = _bundle(checking_schema(DEFINITIONS)["definitions"])
    formats = {name: (lambda value, name=name: checker.conforms(value, name)) for name in ("date", "email", "uri")}
    return fastjsonschema.compile(schema, formats=formats, use_default=False)


_SLOW_CALLS: dict[str, int] = {}
FAST_FROM = 16  # records of one kind checked in one process before its fast validator is compiled


def is_valid_fast(kind: str, data: Any) -> bool:
    """Is ``data`` valid against its schema — fastjsonschema's compiled validator, once this
    process has checked FAST_FROM records of ``kind``; before, jsonschema's own (the same yes/no:
    tests/test_schemas.py compares them on every fixture). Issue #27: compiling costs ~0.1–0.4 s a
    kind, more than checking the one or two files an officer's edit leaves to read."""
    import fastjsonschema

    if kind not in _COMPILED:
        done = _SLOW_CALLS.get(kind, 0)
        if done < FAST_FROM:
            _SLOW_CALLS[kind] = done + 1
            return validator(kind).is_valid(data)
        _COMPILED.add(kind)
    try:
        fast_validator(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def validate_record(kind: str, loaded: Loaded) -> tuple[Any, list[Problem]]:
    """Coerce and validate one loaded record.

    Returns (typed data with every schema-invalid value removed, problems). Cross-record rules
    run on that pruned data, so they only ever see values of the right shape.
    """
    base = f"{kind}.schema.json"
    schema = load_schema(base)
    data = coerce(loaded.data, schema, base)
    problems, bad = _line_breaks(loaded, base) if loaded.breaks else ([], [])
    hidden = list(getattr(loaded, "hidden", ()))  # already reported by the loader: kept from the rules
    if not problems and is_valid_fast(kind, data):
        return prune(data, hidden) if hidden else data, []
    bad += hidden
    for error in validator(kind).iter_errors(data):
        problems.extend(_translate(error, loaded, base))
        if error.validator not in _KEEP_VALUE:
            bad.append(tuple(error.absolute_path))
    return prune(data, bad), _one_per_field(problems)


def _line_breaks(loaded: Loaded, base: str) -> tuple[list[Problem], list[tuple]]:
    """``not-one-line`` for every single-line text field whose value holds a line break or a tab
    (the loader lists those values: usually none)."""
    problems, bad = [], []
    for path, value in sorted(loaded.breaks.items(), key=lambda kv: loaded.where(kv[0])):
        fragment, _ = fragment_for(base, path)
        types = fragment.get("type")
        if not (types == "string" or (isinstance(types, list) and "string" in types)) or is_multiline(fragment):
            continue  # unknown fields, lists and numbers get their own problem; paragraphs may break
        line, col = loaded.where(path)
        problems.append(Problem("not-one-line", loaded.file, line, col, dotted(path),
                                {"title": fragment.get("title") or dotted(path), "value": quote(value)}))
        bad.append(tuple(path))
    return problems, bad


# Errors that say nothing against the values themselves: rules may still read them.
_KEEP_VALUE = ("required", "additionalProperties", "uniqueItems", "minItems", "maxItems")
# One mistake in a value, one message: when several keywords fail on the same field
# (a date typed 01/09/2025 fails both its pattern and its format), keep the clearest.
_PRIORITY = ["not-one-line", "empty-field", "wrong-type", "former-province", "not-allowed-value", "bad-format",
             "bad-date"]


def _one_per_field(problems: list[Problem]) -> list[Problem]:
    best: dict[str, Problem] = {}
    out: list[Problem] = []
    for p in problems:
        if p.code not in _PRIORITY:
            out.append(p)
            continue
        current = best.get(p.field)
        if current is None or _PRIORITY.index(p.code) < _PRIORITY.index(current.code):
            best[p.field] = p
    return out + list(best.values())


def _group_of(loaded: Loaded, path: tuple) -> str:
    """The product group typed beside a product set (for naming the set), or ''."""
    node: Any = loaded.data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return ""
    group = node.get("group") if isinstance(node, dict) else None
    return str(group) if group is not None else ""


def fragment_for(base: str, path: tuple) -> tuple[dict, str]:
    """The schema describing the field at ``path`` (wrappers' titles included), and its base."""
    fragment, ref_base = resolve(load_schema(base), base)
    for part in path:
        if isinstance(part, int):
            items = fragment.get("items")
            if not isinstance(items, dict):
                return {}, ref_base
            fragment, ref_base = resolve(items, ref_base)
        else:
            props = fragment.get("properties", {})
            if part not in props:
                return {}, ref_base
            fragment, ref_base = resolve(props[part], ref_base)
    return fragment, ref_base


def title_for(base: str, path: tuple) -> str:
    return fragment_for(base, path)[0].get("title", "")


def _field_title(found: dict, frag: dict, path: tuple) -> str | Hint:
    """The field's title in the message: Vietnamese, and English (``x-title-en``) in English messages
    when the schema gives it (``--lang en`` used to name the field in Vietnamese)."""
    source = found if found.get("title") else frag
    vi = source.get("title") or (str(path[-1]) if path else "Hồ sơ")
    en = source.get("x-title-en") if source.get("title") else ("record" if not path else None)
    return Hint(vi, en) if en else vi


def prune(data: Any, paths: list[tuple]) -> Any:
    """Remove the values at ``paths`` (deepest first; list items become None)."""
    for path in sorted(paths, key=len, reverse=True):
        if not path:
            return {}
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
            elif isinstance(parent, list):
                parent[path[-1]] = None
        except (KeyError, IndexError, TypeError):
            continue
    return data


def _commune_example(data: Any, path: tuple) -> Hint | None:
    """An empty commune's example taken from the record's own province — and, when the old address
    on the certificate says which, the commune(s) in force it became — rather than the schema's
    example from another province ("Xã Sìn Hồ" under a Lạng Sơn address helps nobody)."""
    address: Any = data
    for key in path[:-1]:
        address = address[key] if isinstance(address, (dict, list)) else None
    certified = data.get("certified_address") if isinstance(data, dict) else None
    text = certified.get("text") if isinstance(certified, dict) else None
    typed = address.get("province") if isinstance(address, dict) else None
    province = normalise_province(typed) if isinstance(typed, str) else None
    if province is None:
        return None
    names, conversion = communes_to_fill(province, text if isinstance(text, str) else None)
    if not names:
        return None
    choice = one_of(list(names))
    if conversion is None:
        return Hint(f"{choice.vi} (một xã, phường của {province})", f"{choice.en} (a commune of {province})")
    old = conversion.address.commune or ""
    if len(names) == 1:
        return Hint(f"{choice.vi} ({old} trên giấy chứng nhận nay là xã, phường này)",
                    f"{choice.en} (what {old} on the certificate is today)")
    return Hint(f"{choice.vi} ({old} trên giấy chứng nhận nay thuộc một trong các xã, phường này; chọn theo thôn, tổ dân phố)",
                f"{choice.en} ({old} on the certificate is now split between these; the village or street says which)")


@dataclass(frozen=True)
class _Failure:
    """One schema error, located and titled: what each translation below starts from."""
    error: jsonschema.ValidationError
    loaded: Loaded
    base: str  # the schema file the failing fragment belongs to
    path: tuple
    frag: dict
    title: str | Hint  # Hint: Vietnamese and English names of the field
    value: Any
    kind: str  # the failing keyword: "required", "enum"…
    line: int
    col: int

    @property
    def field(self) -> str:
        return dotted(self.path)

    def problem(self, code: str, args: dict) -> Problem:
        return Problem(code, self.loaded.file, self.line, self.col, self.field, args)


def _translate(error: jsonschema.ValidationError, loaded: Loaded, base: str) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    frag = error.schema if isinstance(error.schema, dict) else {}
    title = _field_title(fragment_for(base, path)[0], frag, path)
    line, col = loaded.where(path)
    f = _Failure(error, loaded, base, path, frag, title, error.instance, str(error.validator), line, col)
    if (f.value is None or f.value == "") and f.kind not in ("required", "additionalProperties"):
        example = _commune_example(loaded.data, path) if path[-1:] == ("commune",) else None
        yield f.problem("empty-field", {"title": title, "example": example or _example(*fragment_for(base, path))})
        return
    translate = _BY_KEYWORD.get(f.kind)
    if translate is not None:
        yield from translate(f)
        return
    yield f.problem("schema", {"title": title, "value": quote(f.value), "detail": f.kind})


# --- fields that should not be there, fields that are missing ------------------------------------
def _unknown_fields(f: _Failure) -> Iterator[Problem]:
    allowed = sorted(f.frag.get("properties", {}))
    for key in sorted(set(f.value) - set(allowed)):
        kl, kc = f.loaded.where(f.path + (key,), key=True)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        suggestion = did_you_mean(close[0]) if close else Hint(
            f" Các trường hợp lệ ở đây: {', '.join(allowed)}.", f" Fields allowed here: {', '.join(allowed)}.")
        yield Problem("unknown-field", f.loaded.file, kl, kc, dotted(f.path + (key,)), {"key": key, "suggestion": suggestion})


def _missing_fields(f: _Failure) -> Iterator[Problem]:
    for key in f.error.validator_value:
        if key in f.value:
            continue
        sub, sub_base = fragment_for(f.base, f.path + (key,))
        kl, kc = f.loaded.where(f.path, key=True)  # the line naming the group that lacks the field
        yield Problem(
            "missing-field", f.loaded.file, kl, kc, dotted(f.path + (key,)),
            {"key": key, "title": _field_title(sub, {}, f.path + (key,)), "example": _example(sub, sub_base)},
        )


# --- a value of the wrong type ---------------------------------------------------------------------
def _wrong_type(f: _Failure) -> Iterator[Problem]:
    expected, value = f.error.validator_value, f.value
    names = [TYPE_NAMES.get(t, (t, t)) for t in (expected if isinstance(expected, list) else [expected])]
    wanted = Hint(" hoặc ".join(n[0] for n in names), " or ".join(n[1] for n in names))
    hint: Hint | str = ""
    if expected == "string" and isinstance(value, (dict, list)):
        hint = Hint(" Nếu là văn bản có dấu hai chấm hoặc bắt đầu bằng dấu gạch ngang, hãy đặt trong dấu nháy kép.",
                    " If this is text containing a colon or starting with a dash, put it in double quotes.")
    elif expected in ("integer", "number") and isinstance(value, str) and len(value.strip()) > NUMBER_MAX_CHARS \
            and _FLOAT.match(value.strip()):
        digits = len(value.strip())
        example = _example(*fragment_for(f.base, f.path))
        hint = Hint(f" Số này dài {digits} ký tự: không trường nào nhận số dài như vậy; ghi đúng giá trị, ví dụ {example}.",
                    f" This number is {digits} characters long: no field takes one that long; write the real value, e.g. {example}.")
    elif expected in ("integer", "number") and isinstance(value, str) and _coerce_number(value, expected) is not None:
        number = _coerce_number(value, expected)
        hint = Hint(f" Bỏ dấu nháy: viết {number}, không viết '{value}' (trong dấu nháy là văn bản, không phải số).",
                    f" Remove the quotes: write {number}, not '{value}' (quoted, it is text, not a number).")
    elif expected == "number" and isinstance(value, str) and _DECIMAL_COMMA.match(value.strip()):
        dotted_value = value.strip().replace(",", ".")
        hint = Hint(f" Viết dấu chấm thập phân: {dotted_value} (không viết dấu phẩy).",
                    f" Use a decimal point: {dotted_value} (not a comma).")
    elif expected == "integer" and isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,6}[.,]0+\s*", value):
        number = int(re.split(r"[.,]", value.strip())[0])  # "4.0": a spreadsheet's number pasted as it shows it
        hint = Hint(f" Viết {number} (số nguyên, không có phần thập phân).", f" Write {number} (a whole number, no decimals).")
    elif expected == "integer" and isinstance(value, str) and _starred(value) is not None:
        number = _starred(value)  # "★★★★", "4★", "4*": the stars as printed on a label or typed in an annex
        hint = Hint(f" Viết {number} (số sao bằng chữ số, không vẽ ngôi sao).", f" Write {number} (the number of stars as a digit, not drawn).")
    elif expected in ("integer", "number") and isinstance(value, str) and _number_before_a_word(value, expected) is not None:
        number = _number_before_a_word(value, expected)  # "4 sao", "85 điểm"
        hint = Hint(f" Viết {number}, không kèm chữ.", f" Write {number}, without words.")
    elif expected in ("integer", "number") and isinstance(value, str):
        hint = Hint(" Viết chữ số, không có dấu cách, dấu chấm phân cách hàng nghìn hay đơn vị.",
                    " Write digits only: no spaces, thousands separators or units.")
    elif expected == "boolean":
        hint = Hint(" Viết true (có) hoặc false (không).", " Write true or false.")
    yield f.problem("wrong-type", {"title": f.title, "expected": wanted, "value": quote(value), "hint": hint})


# --- a value not in the list (provinces, retired product sets, codes) -------------------------------
def _not_allowed(f: _Failure) -> Iterator[Problem]:
    kind, value, title = f.kind, f.value, f.title
    province = _typed_province(value) if kind == "enum" and _is_province_enum(f.error.validator_value) else None
    if province in _former_only():  # "Hà Giang", "tỉnh Hà Giang", "Ha Giang"
        yield f.problem("former-province", {"title": title, "value": quote(value), "merged_into": _former_only()[province]})
        return
    if province is not None:  # "TP. Hải Phòng", "Lang Son" → the name in force
        yield f.problem("not-allowed-value", {"title": title, "value": quote(value), "suggestion": did_you_mean(province),
                                              "allowed": ", ".join(f.error.validator_value)})
        return
    if kind == "enum" and f.frag.get("x-enum") == "product_sets" and isinstance(value, str):
        instead = rulebook.retired_set(value)
        if instead:
            group = f.path[:-1]
            sets = ", ".join(f"'{code}' ({rulebook.product_set_name(_group_of(f.loaded, group), code)})" for code in instead)
            yield f.problem("retired-product-set", {"value": quote(value), "instead": sets})
            return
    allowed = f.error.validator_value if kind == "enum" else [f.error.validator_value]
    yield f.problem("not-allowed-value", {"title": title, "value": quote(value), "suggestion": _closest_code(f.frag, value, allowed),
                                          "allowed": _allowed_shown(f.frag, allowed)})


def _closest_code(frag: dict, value: Any, allowed: list) -> Hint | str:
    """Did you mean: the code closest to what was typed, or the code whose description it names."""
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.5)
    described = dict(zip((fold(d) for d in frag.get("enumDescriptions", [])), allowed))
    for description, code in zip(frag.get("enumDescriptions", []), allowed):  # "tỉnh" → province
        for part in re.split(r"[,()]| hoặc ", description):
            if fold(part).strip() and fold(part).strip() not in described:
                described[fold(part).strip()] = code
    by_name = difflib.get_close_matches(fold(str(value)).replace("-", " ").replace("_", " "), list(described), n=1, cutoff=0.6)
    if by_name:  # typed in Vietnamese ("siêu thị") → the code ("supermarket")
        close = [str(described[by_name[0]])]
    return did_you_mean(close[0] if close else None)


def _allowed_shown(frag: dict, allowed: list) -> Hint | str:
    descriptions = frag.get("enumDescriptions") or []
    if len(descriptions) == len(allowed) and len(allowed) <= 12:  # "province (Tỉnh, thành phố)"
        return Hint(", ".join(f"{a} ({d})" for a, d in zip(allowed, descriptions)), ", ".join(str(a) for a in allowed))
    return ", ".join(str(a) for a in allowed[:40]) + (", …" if len(allowed) > 40 else "")


# --- formats, lengths, ranges, lists -----------------------------------------------------------------
def _bad_format(f: _Failure) -> Iterator[Problem]:
    if f.kind == "format" and f.error.validator_value == "date":
        yield f.problem("bad-date", {"title": f.title, "value": quote(f.value)})
        return
    vi, en = f.frag.get("patternErrorMessage"), f.frag.get("x-patternErrorMessage-en")
    day = _day_month_year(f.value) if f.frag.get("format") == "date" else None
    if day is not None:  # "30/07/2024", as Vietnamese write a date: the exact value to write instead
        vi, en = (f"Viết '{day.isoformat()}' (năm-tháng-ngày: ngày {day.day} tháng {day.month} năm {day.year})",
                  f"Write '{day.isoformat()}' (year-month-day: {day.day} {_MONTHS[day.month - 1]} {day.year})")
    else:
        if not vi:
            example = _example(*fragment_for(f.base, f.path))
            vi, en = f"Ví dụ đúng: {example}", f"For example: {example}"
        rewritten = _rewritten(f.value, f.frag.get("pattern")) if f.kind == "pattern" else None
        if rewritten is not None:  # "0912 345 678" → '0912345678': the value to write, then the rule
            vi, en = f"Viết '{rewritten}'. {vi}", f"Write '{rewritten}'. {en or vi}"
    # each schema's Vietnamese fix has its English beside it (x-patternErrorMessage-en; tests/test_schemas.py)
    yield f.problem("bad-format", {"title": f.title, "value": quote(f.value), "fix": Hint(vi + ".", (en or vi) + ".")})


def _rewritten(value: Any, pattern: Any) -> str | None:
    """What was typed, rewritten the way the field's pattern wants, when one obvious rewrite does it:
    spaces (and dots) out of a phone number, GTIN or certificate number ('0912 345 678', '0912.345.678'),
    capitals for a lot number ('l2024-03'), an id without diacritics or spaces ('Chè Shan Tuyết' →
    'che-shan-tuyet'), an address in lower case without its final '/'. None when none of these fits."""
    if not isinstance(value, str) or not isinstance(pattern, str) or len(value) > 300:
        return None
    # spaces only between digits or around / . - ("0912 345 678", "106 / GCN"): "12 GCN sai" stays as typed
    squeezed = re.sub(r"(?<=[0-9])\s+(?=[0-9])", "", re.sub(r"\s*([/.-])\s*", r"\1", value.strip()))
    candidates = [squeezed, squeezed.replace(".", "")]
    if re.search(pattern, "A1") and not re.search(pattern, "a1"):  # capitals only (a lot number)
        candidates.append(squeezed.upper())
    if re.search(pattern, "a-1") and not re.search(pattern, "A-1"):  # small letters only (an id)
        candidates.append(slug(value))
    if value.lower().startswith("https://"):  # an address: lower case, no final "/"
        candidates.append(squeezed.lower().rstrip("/"))
    candidates.append(squeezed.lower())  # a photo from a camera: 'IMG_0123.JPG' (rename the file too)
    for candidate in candidates:
        if candidate and candidate != value and re.search(pattern, candidate):
            return candidate
    return None


_WITH_UNIT = re.compile(r"^\s*([0-9]{1,6})\s*[^\W\d_][^\d]{0,30}$")  # a number then a word: "4 sao", "85 điểm"


_STARRED = re.compile(r"^\s*(?:([1-5])\s*[★⭐*]|([★⭐]{1,5}))\s*$")


def _starred(value: str) -> int | None:
    match = _STARRED.match(value)
    if not match:
        return None
    return int(match[1]) if match[1] else len(match[2])


def _number_before_a_word(value: str, expected: str) -> Any:
    match = _WITH_UNIT.match(value)
    return _coerce_number(match[1], expected) if match else None


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # not strftime's %B: that follows the machine's locale
_DMY = re.compile(r"^\s*([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})\s*[/.-]\s*([0-9]{4})\s*$")


def _day_month_year(value: Any) -> dt.date | None:
    """A date typed day first (30/07/2024, 30-7-2024, 30.07.2024), if it is one."""
    match = _DMY.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None


def _out_of_limits(f: _Failure) -> Iterator[Problem]:
    title, value, limit = f.title, f.value, f.error.validator_value
    if f.kind == "minLength":
        yield f.problem("too-short", {"title": title, "value": quote(value), "limit": limit})
    elif f.kind == "maxLength":
        yield f.problem("too-long", {"title": title, "length": len(value), "limit": limit})
    elif f.kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield f.problem("out-of-range", {"title": title, "value": quote(value), "low": f.frag.get("minimum", "…"),
                                         "high": f.frag.get("maximum", "…")})
    elif f.kind == "minItems":
        yield f.problem("list-too-short", {"title": title, "limit": limit})
    elif f.kind == "maxItems":
        yield f.problem("list-too-long", {"title": title, "count": len(value), "limit": limit})
    else:  # uniqueItems
        yield f.problem("duplicate-item", {"title": title})


_BY_KEYWORD: dict[str, Callable[[_Failure], Iterator[Problem]]] = {
    "additionalProperties": _unknown_fields, "required": _missing_fields, "type": _wrong_type,
    "enum": _not_allowed, "const": _not_allowed, "pattern": _bad_format, "format": _bad_format,
    **dict.fromkeys(("minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                     "minItems", "maxItems", "uniqueItems"), _out_of_limits),
}
