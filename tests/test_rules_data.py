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


# --- issue #25: true to the law, round three --------------------------------------------------------
INVALID = FIXTURES / "invalid"


def _problems_of(tmp_path: Path, rel: str, as_of: dt.date = dt.date(2026, 11, 23)) -> list:
    return check(make_root(tmp_path, (INVALID / rel, rel)), as_of).problems


def test_1489_amends_148_it_does_not_replace_it():
    """An amendment is modelled as one (ocop_rules.yaml ``amended_by``/``amends``), not as a successor:
    148/2023 stays in force after 06/7/2025 until 26/2026 [check] replaces it."""
    basis = rulebook.legal_basis("148/2023")
    assert basis.replaced_on == rulebook.legal_basis("148+1489/2025").replaced_on  # the same criteria, the same end
    assert basis.replaced_on is not None and basis.replaced_on > dt.date(2025, 7, 6)
    (amendment,) = rulebook.amendments("148/2023")
    assert (amendment["code"], str(amendment["date"])) == ("148+1489/2025", "2025-07-06")
    assert rulebook.legal_basis("148+1489/2025").amends == "148/2023"
    # the basis newly in force on a date is still the amended text (the importer's guess)
    assert rulebook.legal_basis_on(dt.date(2025, 9, 1)) == "148+1489/2025"


def test_920_is_in_force_from_its_signing_and_the_officer_is_told_that_date(tmp_path):
    start, end, title = rulebook.sales_point_criteria("920/QĐ-BCT")
    assert start == dt.date(2019, 4, 16) and end == dt.date(2023, 4, 18) and "16/4/2019" in title
    assert rulebook.rules()["sales_point_criteria"]["920/QĐ-BCT"]["check"] is True  # [check] until read
    (problem,) = _problems_of(tmp_path, "sales_points/lai-chau/diem-920-truoc-ngay-ky.yaml")
    assert "áp dụng từ 16/04/2019" in problem.message("vi") and "01/01/2019" not in problem.message("vi")
    assert "apply from 2019-04-16" in problem.message("en")
    assert "Trước 16/04/2019 chưa có bộ tiêu chí" in problem.message("vi")


def test_950_added_craft_villages_industrial_zones_and_post_offices():
    k920, k950 = set(rulebook.sales_point_kinds("920/QĐ-BCT")), set(rulebook.sales_point_kinds("950/QĐ-BCT"))
    assert {"station", "airport", "pier", "expressway_rest_stop", "national_road_rest_stop"} <= k920
    assert k950 - k920 == {"industrial_zone", "post_office"}  # craft villages: 920's were tied to tourism [check]
    from catalog.records.schemas import load_schema

    assert set(load_schema("sales_point.schema.json")["properties"]["kind"]["enum"]) == k950


def test_provinces_that_ended_and_those_that_became_cities():
    assert rulebook.province_ceased("Hà Giang", dt.date(2025, 6, 30)) is None
    assert rulebook.province_ceased("Hà Giang", dt.date(2025, 7, 1)) == (dt.date(2025, 6, 30), "UBND tỉnh Tuyên Quang")
    assert rulebook.province_ceased("Thừa Thiên Huế", dt.date(2025, 2, 1)) == (dt.date(2024, 12, 31), "UBND thành phố Huế")
    for province, day in (("Quảng Ninh", dt.date(2026, 10, 1)), ("Bắc Ninh", dt.date(2026, 9, 19)),
                          ("Bắc Ninh", dt.date(2026, 9, 20)), ("Lai Châu", dt.date(2026, 1, 1))):
        assert rulebook.province_ceased(province, day) is None, province


def test_a_district_body_is_read_with_its_date_and_province():
    from catalog.reference import places

    assert {d.province for d in places.former_districts_named("huyện Bắc Sơn")} == {"Lạng Sơn"}
    assert rulebook.parse_body("UBND thành phố Bắc Ninh", dt.date(2020, 11, 16)).level == "district"
    assert rulebook.parse_body("UBND thành phố Bắc Ninh", dt.date(2026, 9, 20)).level == "province"
    assert places.province_lineage("Hải Dương")[0] == "Hải Phòng" and "Hải Dương" in places.province_lineage("Hải Phòng")


def test_the_new_ministry_number_form_is_data_marked_check():
    central = {b.name: b for b in rulebook._bodies()[0].values()}
    mae = central["Bộ Nông nghiệp và Môi trường"]
    assert mae.decision_suffix == "BNNMT" and mae.decision_suffix_check
    assert central["Bộ Nông nghiệp và Phát triển nông thôn"].decision_suffix == "BNN-VPĐP"


@pytest.mark.parametrize("rel", [
    "products/lai-chau/giay-cu-het-han-truoc-quyet-dinh.yaml", "products/lai-chau/giay-cu-huyen-sau-cai-cach.yaml",
    "products/lai-chau/giay-cu-tieu-chi-chua-co.yaml", "products/lai-chau/co-quan-huyen-tinh-khac.yaml",
    "products/tuyen-quang/dia-chi-huyen-cu-sau-cai-cach.yaml", "products/tuyen-quang/tinh-cu-sau-sap-nhap.yaml",
    "products/lai-chau/nam-sao-so-bo-cu.yaml", "villages/bac-ninh/lang-nghe-thanh-pho-bac-ninh-2020.yaml",
    "sales_points/lai-chau/buu-cuc-theo-920.yaml", "products/lai-chau/giay-cu-tinh-khac.yaml",
])
def test_each_mistake_names_the_date_it_was_judged_at_in_both_languages(tmp_path, rel):
    """The field (problem.field), the date the rule was judged at, and no untranslated word of the other language."""
    doc = yaml.safe_load((INVALID / rel).read_text(encoding="utf-8"))
    (problem,) = _problems_of(tmp_path, rel)
    path = [p for p in problem.field.replace("[", ".").replace("]", "").split(".") if p]
    node, holders = doc, [doc.get("criteria_decision") or doc.get("recognition") or doc["certificate"]]
    for part in path[:-1]:  # the rating the field belongs to: the deepest mapping on its path with a decision
        node = node[int(part)] if part.isdigit() else node[part]
        if isinstance(node, dict) and "decision" in node:
            holders.append(node)
    day = holders[-1]["decision"]["date"]
    assert day.strftime("%d/%m/%Y") in problem.message("vi"), problem.message("vi")
    assert day.isoformat() in problem.message("en"), problem.message("en")
    assert "huyện level" not in problem.message("en") and "tỉnh level" not in problem.message("en")


def test_the_province_that_became_a_city_is_not_another_province(tmp_path):
    problems = _problems_of(tmp_path, "products/quang-ninh/tinh-da-thanh-thanh-pho.yaml")
    assert [p.code for p in problems] == ["deciding-body-renamed"]
    assert "UBND thành phố Quảng Ninh" in problems[0].message("vi")


def test_uncertain_facts_stay_marked_with_their_source():
    bodies = (rulebook.DATA_DIR / "deciding_bodies.yaml").read_text(encoding="utf-8")
    dong_nai = bodies[bodies.index("- name: UBND tỉnh Đồng Nai"):bodies.index("- name: UBND tỉnh Đồng Tháp")]
    assert "[check]" in dong_nai and "30/2026/QH16" in dong_nai and "vietnamese-provinces-database" in dong_nai
    levels = rulebook.taxonomy()["levels"]
    groups = rulebook.taxonomy()["groups_148"]
    assert levels["group"]["count"] == len(groups) and levels["group"]["check"]
    assert levels["product_set"]["count"] == sum(len(g["sets"]) for g in groups.values())
    differing = [s for g in groups.values() for s in g["sets"].values() if s.get("other_reading")]
    assert differing and all(s.get("check") for s in differing)


def test_the_law_fixtures_are_what_their_generator_writes():
    """tools/make_law_fixtures.py writes issue #25's fixtures; the committed files are its output."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_law_fixtures", FIXTURES.parent.parent / "tools/make_law_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert len(module.FILES) == 25
    for rel, text in module.FILES.items():
        assert (FIXTURES / rel).read_text(encoding="utf-8") == text, rel
