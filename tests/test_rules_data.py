"""The OCOP rules are data: a new legal basis or deciding body is an edit to catalog/data only.

Each test copies the tool's rule tables, adds one entry from tests/fixtures/rules/ exactly where a
maintainer would (no code touched), points the rulebook at the copy and validates a record that
needs the new entry: refused before, clean after.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from catalog.reference import rulebook
from catalog.checks.validate import check

from .conftest import FIXTURES, make_root

RULES = FIXTURES / "rules"
LATER = dt.date(2027, 6, 1)  # the as-of date of a catalogue that knows the new decision


@pytest.fixture
def tables(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(rulebook.DATA_DIR, data)
    monkeypatch.setattr(rulebook, "DATA_DIR", data)
    rulebook.reload()
    yield data
    monkeypatch.undo()
    rulebook.reload()


def _append(path: Path, key: str, entry, as_list: bool = False) -> None:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if as_list:
        doc[key].append(entry)
    else:
        doc[key].update(entry)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _codes(root: Path) -> list[tuple[str, str]]:
    return [(p.code, p.field) for p in check(root, LATER).problems]


def test_a_new_legal_basis_and_deciding_body_are_data_only(tables, tmp_path):
    root = make_root(tmp_path / "r", (RULES / "product_under_new_rules.yaml", "products/lai-chau/san-pham-luat-moi.yaml"))
    before = _codes(root)
    assert ("not-allowed-value", "classification.legal_basis") in before
    assert ("deciding-body-unknown", "certificate.deciding_body.name") in before

    basis = yaml.safe_load((RULES / "new_legal_basis.yaml").read_text(encoding="utf-8"))
    rules = yaml.safe_load((tables / "ocop_rules.yaml").read_text(encoding="utf-8"))
    newest = [code for code, raw in rules["legal_bases"].items() if raw["replaced_on"] is None]
    _append(tables / "ocop_rules.yaml", "legal_bases", basis)
    doc = yaml.safe_load((tables / "ocop_rules.yaml").read_text(encoding="utf-8"))
    for code in newest:  # the basis it replaces gets its end date, as a maintainer would write
        doc["legal_bases"][code]["replaced_on"] = "2027-01-01"
    (tables / "ocop_rules.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    body = yaml.safe_load((RULES / "new_deciding_body.yaml").read_text(encoding="utf-8"))
    _append(tables / "deciding_bodies.yaml", "central", body, as_list=True)
    rulebook.reload()

    assert _codes(root) == []
    assert rulebook.legal_basis_on(dt.date(2027, 3, 15)) == "99/2027"
    assert rulebook.parse_body("Bộ NNMTNT").body.name == body["name"]


def test_the_tables_are_read_again_after_reload(tables):
    """The schema's code lists follow the tables (catalog/records/schemas.py x-enum), not a stale copy."""
    from catalog.records.schemas import load_schema

    props = load_schema("product.schema.json")["properties"]["classification"]["properties"]
    assert "99/2027" not in props["legal_basis"]["enum"]
    _append(tables / "ocop_rules.yaml", "legal_bases",
            yaml.safe_load((RULES / "new_legal_basis.yaml").read_text(encoding="utf-8")))
    rulebook.reload()
    props = load_schema("product.schema.json")["properties"]["classification"]["properties"]
    assert "99/2027" in props["legal_basis"]["enum"]


def test_deciding_bodies_by_date_and_their_successors():
    """The table answers 'who signed then, who holds it now' — what the scan page's "nay là …" shows."""
    day = dt.date
    assert rulebook.body_successor("UBND tỉnh Hà Giang", day(2026, 12, 1)) == "UBND tỉnh Tuyên Quang"
    assert rulebook.body_successor("UBND tỉnh Hà Giang", day(2025, 6, 30)) is None  # still signing that day
    assert rulebook.body_successor("Bộ NN&PTNT", day(2025, 3, 1)) == "Bộ Nông nghiệp và Môi trường"
    assert rulebook.body_successor("UBND huyện Sìn Hồ", day(2026, 12, 1), "Lai Châu") == "UBND tỉnh Lai Châu"
    assert rulebook.body_successor("UBND huyện Đồng Văn", day(2026, 12, 1), "Hà Giang") == "UBND tỉnh Tuyên Quang"
    # chains: Thừa Thiên Huế became the city of Huế (2025); Bắc Giang merged into Bắc Ninh, a city from 20/9/2026 [check]
    assert rulebook.body_successor("UBND tỉnh Thừa Thiên Huế", day(2026, 12, 1)) == "UBND thành phố Huế"
    assert rulebook.body_successor("UBND tỉnh Bắc Giang", day(2026, 12, 1)) == "UBND thành phố Bắc Ninh"
    assert rulebook.body_successor("UBND tỉnh Bắc Giang", day(2026, 8, 1)) == "UBND tỉnh Bắc Ninh"
    # "thành phố Bắc Ninh" before it was a centrally-run city: the city inside the province (district level)
    assert rulebook.parse_body("UBND thành phố Bắc Ninh", day(2024, 5, 1)).level == "district"
    assert rulebook.parse_body("UBND thành phố Bắc Ninh", day(2026, 10, 1)).level == "province"
    assert rulebook.parse_body("Ủy ban nhân dân TP. Hải Phòng").body.name == "UBND thành phố Hải Phòng"
    assert rulebook.parse_body("UBND thành phố Lạng Sơn").level == "district"  # Lạng Sơn is a tỉnh
    assert rulebook.parse_body("Sở Công Thương Lai Châu").level is None
