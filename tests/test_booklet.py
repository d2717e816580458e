"""The printed catalogue: every QR decodes to the right product, the text layer holds the names."""

from __future__ import annotations

import hashlib
import re
import subprocess

import pytest
import zxingcpp
from PIL import Image

from catalog.print import booklet as bk, labels
from catalog.records.urls import label_url
from catalog.checks.validate import check

from .conftest import AS_OF, REPO


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    cat = check(REPO, AS_OF).catalogue
    products, refusals = bk.select(cat, "lai-chau", None, None, None, False, labels.select(cat, "lai-chau"))
    out = tmp_path_factory.mktemp("b") / "lai-chau.pdf"
    return cat, bk.make_booklet(REPO, cat, out, products, refusals, "lai-chau")


def test_only_valid_products_of_the_province(made):
    cat, report = made
    ids = {p.id for p in report.products}
    assert ids == {p.id for p in cat.products.values() if p.folder == "lai-chau" and p.status.is_valid}
    assert "thit-lon-gac-bep" not in ids and report.refusals  # expired: left out, and said so


def test_every_qr_decodes_to_its_products_url(made, tmp_path):
    cat, report = made
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(report.path), str(tmp_path / "p")], check=True)
    found = []
    for page in sorted(tmp_path.glob("p-*.png")):
        found += [r.text for r in zxingcpp.read_barcodes(Image.open(page))]
    assert sorted(found) == sorted(label_url(cat.config["base_url"], p.data) for p in report.products)


def test_text_layer_names_products_and_dates_every_page(made):
    _, report = made
    text = subprocess.run(["pdftotext", "-layout", str(report.path), "-"], capture_output=True, text=True, check=True).stdout
    for p in report.products:
        assert p.name in text, p.name
    pages = text.split("\f")[:-1]
    assert len(pages) == report.pages >= 4
    assert all("thông tin tại ngày 23/11/2026" in page for page in pages)
    assert "DỮ LIỆU MẪU" in pages[0] and "Mục lục" in pages[1] and "Chỉ mục theo chủ thể" in text
    assert "Hợp tác xã Chè Shan tuyết Sìn Hồ — trang" in text
    assert "Tài liệu này" in text and "Trang này" not in text  # written for paper
    assert "Bản Nậm Cuổi, xã Nậm Cuổi, tỉnh Lai Châu" in " ".join(text.split())  # as in running text, once


def test_booklet_is_deterministic(made, tmp_path):
    cat, report = made
    again = bk.make_booklet(REPO, cat, tmp_path / "again.pdf", report.products, [], "lai-chau")
    assert hashlib.sha256(again.path.read_bytes()).digest() == hashlib.sha256(report.path.read_bytes()).digest()


def test_cli_refuses_nothing_to_print(run_cli, tmp_path):
    result = run_cli("booklet", "--root", REPO, "--as-of", AS_OF.isoformat(), "--ids", "mam-tep-hai-phong",
                     "--out", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "không có sản phẩm nào" in result.output
    everything = run_cli("booklet", "--root", REPO, "--as-of", AS_OF.isoformat(), "--ids", "mam-tep-hai-phong", "--all",
                         "--out", tmp_path / "y.pdf")
    assert everything.exit_code == 0 and (tmp_path / "y.pdf").is_file()


def test_booklet_in_english(run_cli, tmp_path):
    """``ocop booklet --lang en`` (issue #18): English words, dates and province names; a product
    without an English description keeps its Vietnamese one, said to be untranslated."""
    out = tmp_path / "en.pdf"
    result = run_cli("booklet", "--root", REPO, "--as-of", AS_OF.isoformat(), "--province", "lai-chau", "--lang", "en",
                     "--out", out)
    assert result.exit_code == 0, result.output
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    for words in ("Contents", "Index of producers", "information as of 23 November 2026", "Lai Châu Province",
                  "Certificate number:", "Valid until:", "not a customer review", "Food",
                  "(no English translation supplied)", "Sin Ho Shan Tuyet tea"):
        assert words in text, words
    assert not re.search(r"\b\d\d/\d\d/\d{4}\b", text) and "Mục lục" not in text
