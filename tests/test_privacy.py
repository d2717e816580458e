"""Issue #14, privacy (Decree 13/2023/NĐ-CP): a household business's personal data is published
only with its recorded consent — on no page, in no JSON, CSV, feed or search index, in no offline
ZIP and in no printed booklet — and the officer is warned about what is held back."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from catalog.checks.validate import check

from .conftest import AS_OF, BASE

PRODUCER = "producers/lai-chau/htx-mau.yaml"
PRODUCT = "products/lai-chau/san-pham-mau.yaml"
# what a household typed about itself: none of it may be published without consent
PERSONAL = {"representative": "Lò Thị Riêng Tư", "phone": "0987654321", "email": "lothirieng@gmail.com",
            "street": "Bản Nhà Riêng số 7", "location": "22.123456"}


def household_root(tmp_path, consent: list[str] | None = None, kind: str = "household_business") -> Path:
    root = tmp_path / f"r-{kind}-{'-'.join(consent or ['none'])}"
    shutil.copytree(BASE, root)
    text = (root / PRODUCER).read_text(encoding="utf-8").replace("kind: cooperative", f"kind: {kind}")
    text = text.replace("  commune: Xã Sìn Hồ", f"  commune: Xã Sìn Hồ\n  street: {PERSONAL['street']}")
    text += (f"representative: {PERSONAL['representative']}\nphone: \"{PERSONAL['phone']}\"\n"
             f"email: {PERSONAL['email']}\nlocation:\n  lat: {PERSONAL['location']}\n  lon: 103.654321\n")
    if consent:
        text += f"publish_consent:\n  fields: [{', '.join(consent)}]\n  date: \"2025-03-01\"\n"
    (root / PRODUCER).write_text(text, encoding="utf-8")
    product = (root / PRODUCT).read_text(encoding="utf-8")
    (root / PRODUCT).write_text(product.replace("  commune: Xã Sìn Hồ", f"  commune: Xã Sìn Hồ\n  street: {PERSONAL['street']}", 1),
                                encoding="utf-8")
    return root


def everything_published(root: Path, tmp_path: Path) -> str:
    """The text of every file a province publishes from ``root``: site, offline ZIP, booklet."""
    from click.testing import CliRunner

    from catalog.cli import main
    from catalog.site.build import build

    site = build(root, tmp_path / "site", AS_OF).out
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*") if p.is_file()
             and p.suffix in (".html", ".json", ".csv", ".xml", ".js", ".jsonld", ".txt")]
    runner = CliRunner()
    result = runner.invoke(main, ["offline", "--root", str(root), "--out", str(tmp_path / "zips"), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "zips/ocop-lai-chau.zip") as zf:
        texts += [zf.read(n).decode("utf-8", errors="replace") for n in zf.namelist()
                  if n.endswith((".html", ".json", ".js", ".csv", ".xml"))]
    result = runner.invoke(main, ["booklet", "--root", str(root), "--out", str(tmp_path / "b.pdf"), "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    texts.append(subprocess.run(["pdftotext", "-layout", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True,
                                check=True).stdout)
    return "\n".join(texts)


def test_a_household_without_consent_publishes_only_its_commune_and_business_contact(tmp_path):
    root = household_root(tmp_path)
    problems = check(root, AS_OF).problems
    assert [(p.code, p.severity, p.field) for p in problems] == [("personal-data-unpublished", "warning", "representative")]
    assert "representative, phone, email, street, location" in problems[0].message()
    published = everything_published(root, tmp_path)
    for field, value in PERSONAL.items():
        assert value not in published, field
    assert "Xã Sìn Hồ" in published and "Hợp tác xã Mẫu" in published  # the business and its commune are


def test_consent_publishes_exactly_what_was_agreed(tmp_path):
    root = household_root(tmp_path, consent=["phone", "street"])
    problems = check(root, AS_OF).problems
    assert [p.code for p in problems] == ["personal-data-unpublished"]
    assert "representative, email, location" in problems[0].message("en")
    published = everything_published(root, tmp_path)
    assert PERSONAL["phone"] in published and PERSONAL["street"] in published
    for field in ("representative", "email", "location"):
        assert PERSONAL[field] not in published, field


def test_full_consent_warns_nothing_and_a_business_line_needs_none(tmp_path):
    root = household_root(tmp_path, consent=["representative", "phone", "email", "street", "location"])
    assert check(root, AS_OF).problems == []
    landline = household_root(tmp_path, consent=["representative", "email", "street", "location"])
    producer = landline / PRODUCER
    producer.write_text(producer.read_text(encoding="utf-8").replace(PERSONAL["phone"], "02133876543"), encoding="utf-8")
    assert check(landline, AS_OF).problems == []
    cat = check(landline, AS_OF).catalogue
    assert cat.producers["htx-mau"].data["phone"] == "02133876543"


@pytest.mark.parametrize("kind, published", [("cooperative", True), ("company", True), ("cooperative_group", False)])
def test_organisations_publish_what_they_record_and_groups_of_people_do_not(tmp_path, kind, published):
    root = household_root(tmp_path, kind=kind)
    cat = check(root, AS_OF).catalogue
    data = cat.producers["htx-mau"].data
    assert ("representative" in data) is published and ("location" in data) is published
    assert ("street" in cat.products["san-pham-mau"].data["address"]) is published


def test_the_record_itself_is_not_changed_by_publishing(tmp_path):
    root = household_root(tmp_path)
    result = check(root, AS_OF)
    raw = next(c for c in result.checked if c.kind == "producer").data
    assert raw["representative"] == PERSONAL["representative"]  # the cached record stays whole
    assert "representative" not in result.catalogue.producers["htx-mau"].data
