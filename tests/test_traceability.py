"""Traceability: lots and events in the records, their pages, EPCIS export, permanent URLs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from catalog.publish.export import epcis_document
from catalog.checks.validate import check

from .conftest import AS_OF, REPO

EPCIS_SCHEMA = json.loads((Path(__file__).resolve().parent / "reference" / "EPCIS-JSON-Schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cat():
    return check(REPO, AS_OF).catalogue


def test_epcis_documents_validate_against_the_official_schema(cat):
    validator = jsonschema.Draft7Validator(EPCIS_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    docs = {p.id: epcis_document(cat, p) for p in cat.products.values()}
    docs = {k: v for k, v in docs.items() if v}
    assert set(docs) == {"che-shan-tuyet-sin-ho", "na-chi-lang", "nuoc-mam-cat-hai"}
    for pid, doc in docs.items():
        errors = [e.message for e in validator.iter_errors(doc)]
        assert errors == [], pid
    events = docs["nuoc-mam-cat-hai"]["epcisBody"]["eventList"]
    assert [e["bizStep"] for e in events][:1] == ["commissioning"]
    assert events[0]["quantityList"][0]["epcClass"] == "https://id.gs1.org/01/08936012340099/10/CH2025-01"
    assert events[-1]["destinationList"][0]["destination"].endswith("/diem-ban/tram-dung-nghi-cao-toc-hai-phong/")


def test_schema_validation_would_catch_a_broken_event(cat):
    validator = jsonschema.Draft7Validator(EPCIS_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    doc = epcis_document(cat, cat.products["nuoc-mam-cat-hai"])
    doc["epcisBody"]["eventList"][0]["action"] = "CREATE"
    assert list(validator.iter_errors(doc))


def test_lot_page_lists_events_in_order_with_who_where_when(tmp_path):
    from catalog.site.build import build

    site = tmp_path / "site"
    build(REPO, site, AS_OF)
    # a product with a GTIN: its lot page is the GS1 Digital Link page (a file, so that GitHub Pages
    # answers /01/<gtin>/10/<lot> without a redirect); the /p/ address sends the reader on to it
    html = (site / "01/08936012340013/10/L2025-04.html").read_text(encoding="utf-8")
    order = [html.index(word) for word in ("Thu hoạch", "Chế biến", "Kiểm nghiệm chất lượng", "Đóng gói", "Vận chuyển đến điểm bán")]
    assert order == sorted(order)
    assert "Phiếu kết quả thử nghiệm số 1289/KQ-TTKT1" in html and "Tổ thu hái số 2" in html
    assert html.index("Giấy chứng nhận OCOP") < html.index("Cách kiểm tra nhãn này") < html.index("Hành trình của lô hàng")
    canonical = '<link rel="canonical" href="https://ocop.example.vn/01/08936012340013/10/L2025-04">'
    moved = (site / "p/che-shan-tuyet-sin-ho/L2025-04/index.html").read_text(encoding="utf-8")
    assert canonical in html and canonical in moved and 'content="0; url=../../../01/08936012340013/10/L2025-04"' in moved
    assert "Hành trình của lô hàng" not in moved  # not a second copy
    assert '<link rel="canonical" href="https://ocop.example.vn/p/bo-kho-ha-giang/">' in \
        (site / "p/bo-kho-ha-giang/index.html").read_text(encoding="utf-8")
    # revoked and withdrawn products keep a traceability page that says so
    assert "Đã thu hồi giấy chứng nhận OCOP" in (site / "p/bo-kho-ha-giang/index.html").read_text(encoding="utf-8")
    assert "Đã rút khỏi danh mục OCOP" in (site / "p/khau-nhuc-tuyen-quang/index.html").read_text(encoding="utf-8")
    # the product page links to its traceability pages
    product = (site / "san-pham/che-shan-tuyet-sin-ho/index.html").read_text(encoding="utf-8")
    assert 'href="../../01/08936012340013"' in product and 'href="../../01/08936012340013/10/L2025-04"' in product
    assert 'href="../../p/thao-qua-say-kho/"' in (site / "san-pham/thao-qua-say-kho/index.html").read_text(encoding="utf-8")
    # a renamed product keeps its old addresses as redirects
    redirect = (site / "san-pham/gao-bac-thom-dien-bien/index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../gao-dien-bien/"' in redirect
    assert (site / "p/gao-bac-thom-dien-bien/index.html").is_file()
    # the product page shows its QR and links to the label files; expired products have none
    product = (site / "san-pham/nuoc-mam-cat-hai/index.html").read_text(encoding="utf-8")
    assert product.count('data:image/png;base64,') == 1  # shown once, saved from the image itself
    assert "nhan.png" not in product and "ocop labels" not in product  # no staff instructions on a public page
    assert "In cạnh mã không nhỏ hơn 29 mm" in product
    assert "data:image/png" not in (site / "san-pham/mam-tep-hai-phong/index.html").read_text(encoding="utf-8")


def test_a_published_id_that_disappears_fails_validation(tmp_path, run_cli):
    import shutil

    root = tmp_path / "data"
    root.mkdir()
    for name in ("ocop.yaml", "published-ids.txt", "products", "producers", "sales_points", "villages", "images"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, root / name)
    (root / "products/hai-phong/mam-tep-hai-phong.yaml").unlink()
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1
    assert "published-ids.txt:" in result.output and "'mam-tep-hai-phong' đã được công bố" in result.output
    assert "[published-id-missing]" in result.output
