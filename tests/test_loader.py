"""The strict loader: YAML 1.2 behaviour, refused constructs, and only our own error type escaping."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.reference.errors import CatalogError
from catalog.records.loader import MAX_BYTES, Plain, load_bytes
from catalog.records.schemas import coerce, load_schema, validate_record


def codes(raw: bytes) -> list[str]:
    return [p.code for p in load_bytes(raw, "f.yaml").problems]


def test_yaml_11_booleans_dates_and_octals_stay_text():
    data = load_bytes(b"a: yes\nb: off\nc: 2024-03-15\nd: 0912345678\ne: 1.10\nf: 0o17\ng: 012\n", "f").data
    assert data == {"a": "yes", "b": "off", "c": "2024-03-15", "d": "0912345678", "e": "1.10", "f": "0o17", "g": "012"}
    assert all(isinstance(v, Plain) for v in data.values())


def test_unquoted_values_become_numbers_only_where_the_schema_wants_numbers():
    raw = b"location:\n  lat: 22.36\n  lon: 103\nphone: 0912345678\nname: 1.10\n"
    typed = coerce(load_bytes(raw, "f").data, load_schema("producer.schema.json"), "producer.schema.json")
    assert typed["location"] == {"lat": 22.36, "lon": 103}
    assert typed["phone"] == "0912345678"  # leading zero kept
    assert typed["name"] == "1.10"  # never 1.1
    assert type(typed["name"]) is str


def test_leading_zero_gtin_survives_without_quotes(tmp_path):
    loaded = load_bytes(b"gtin: 08936012340013\n", "f")
    typed = coerce(loaded.data, load_schema("product.schema.json"), "product.schema.json")
    assert typed["gtin"] == "08936012340013"


def test_sample_of_refused_constructs():
    assert codes(b"a: 1\na: 2\n") == ["duplicate-key"]
    assert codes(b"a: &x [1]\nb: *x\n") == ["anchor"]
    assert codes(b"a: !!str 1\n") == ["tag"]
    assert codes(b"a: !custom 1\n") == ["tag"]
    assert codes(b"a: 1\n---\na: 2\n") == ["multiple-documents"]
    assert codes(b"a:\n\t- 1\n") == ["tab-indent"]
    assert codes(b"a: \x00\n") == ["control-character"]
    assert codes("a: b\u2067c\n".encode()) == ["control-character"]
    assert codes("a: 1\n".encode("utf-16-le")) == ["utf16-file"]
    assert codes(b"a: caf\xe9\n") == ["bad-encoding"]
    assert codes(b"") == ["empty-file"]
    assert codes(b"42\n") == ["not-a-mapping"]


def test_duplicate_key_message_names_both_lines():
    (problem,) = load_bytes(b"name: a\nid: x\nname: b\n", "f").problems
    assert (problem.line, problem.col) == (3, 1)
    assert "dòng 1" in problem.message() and "dòng 3" in problem.message()


def test_bad_byte_is_named_with_its_position():
    (problem,) = load_bytes(b"id: x\nname: Ch\xe8\n", "f").problems
    assert (problem.line, problem.col) == (2, 9)
    assert "0xE8" in problem.message()


def test_oversized_file_is_refused_before_parsing():
    raw = b"a: '" + b"x" * (MAX_BYTES + 10) + b"'\n"
    assert codes(raw) == ["file-too-large"]


def test_alias_bomb_is_refused_at_the_first_anchor():
    bomb = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n".encode()
        for i in range(20)
    )
    assert codes(bomb) == ["anchor"]


def test_nfd_text_is_normalised_to_nfc():
    import unicodedata

    data = load_bytes(unicodedata.normalize("NFD", "tên: Nước mắm\n").encode(), "f").data
    assert data == {"tên": "Nước mắm"}


def test_utf8_bom_is_accepted():
    assert load_bytes(b"\xef\xbb\xbfa: 1\n", "f").data == {"a": "1"}


yaml_ish = st.text(alphabet=string.printable + "ăâđêôơưạảấầẩẫậ&*!|>-:{}[],#'\"\t\x00\u202e", max_size=300)


@settings(max_examples=400, deadline=None)
@given(yaml_ish)
def test_loader_and_validator_raise_nothing_but_problems_for_any_text(text):
    for raw in (text.encode("utf-8", "surrogatepass"), text.encode("utf-8", "ignore")[:50] + b"\xff"):
        loaded = load_bytes(raw, "f.yaml")
        if loaded.data is not None:
            for kind in ("product", "producer", "sales_point", "village"):
                validate_record(kind, loaded)


record_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "name", "certificate", "address", "images", "lots", "x"]), record_values))
def test_validator_copes_with_any_shape_of_record(tmp_path_factory, data):
    import yaml as pyyaml

    from catalog.checks.rules import Checked, check_all

    raw = pyyaml.safe_dump(data, allow_unicode=True).encode()
    loaded = load_bytes(raw, "products/lai-chau/x.yaml")
    if loaded.data is None:
        return
    typed, _ = validate_record("product", loaded)
    root = tmp_path_factory.mktemp("r")
    item = Checked("product", "products/lai-chau/x.yaml", "lai-chau", "x", loaded, typed, False, root)
    import datetime as dt

    list(check_all([item], dt.date(2026, 11, 23)))


def test_only_catalog_error_escapes_for_unreadable_paths(tmp_path):
    from catalog.records.loader import load_file

    try:
        load_file(tmp_path / "missing.yaml")
    except CatalogError:
        pass
    else:  # pragma: no cover
        raise AssertionError("expected CatalogError")


def test_problems_sort_by_place_then_code_then_english_message():
    """Problem.sort_key ends with the English message, compared only between problems equal in
    everything before it (issue #27: the messages are not all written out to sort)."""
    from catalog.records.problems import Problem, sort_problems

    big = Problem("file-too-large", "b.yaml", args={"size": 9, "limit": 1})
    small = Problem("file-too-large", "b.yaml", args={"size": 10, "limit": 1})  # "10 bytes" < "9 bytes"
    first = Problem("empty-file", "a.yaml", 3, 1)
    later = Problem("empty-file", "a.yaml", 12, 1)
    shuffled = [big, later, small, first]
    assert [(p.file, p.line, p.args.get("size")) for p in sort_problems(shuffled)] == \
        [("a.yaml", 3, None), ("a.yaml", 12, None), ("b.yaml", 0, 10), ("b.yaml", 0, 9)]
    assert [p.args["size"] for p in sort_problems([big, small])] == [p.args["size"] for p in sort_problems([small, big])] \
        == [10, 9]
