"""No text from the records ever becomes markup on the public site, nor breaks the feed or the CSV.

Every free-text field of every record kind (and of ocop.yaml) is filled with payloads from
`fixtures/xss/payloads.txt` (script tags, event attributes, javascript:/data:/vbscript: links,
Markdown links and reference links, attribute lists, HTML comments, Jinja, MkDocs snippets…).
The site is built twice — with the payloads, and with harmless text in the same places — and every
page must have exactly the same elements and attribute names in both builds (so nothing came from
data), while the visible text shows each payload exactly as typed wherever the harmless text
showed; feed.xml stays well-formed XML and catalogue.csv/.json give the payloads back.

The fields are **derived from the schemas** (issue #14: a hand-kept list let a new field go
unattacked): every string field without an enum, pattern or format, at any depth, list items
included. A field added to a schema is attacked the day it is added — and if the complete records
below cannot hold it yet, `test_every_text_field_of_the_schemas_is_attacked` says so.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from catalog.site.build import build

from .conftest import AS_OF, BASE, FIXTURES

PAYLOADS = [line for line in (FIXTURES / "xss" / "payloads.txt").read_text(encoding="utf-8").splitlines() if line]

RECORDS = {"config": "ocop.yaml", "product": "products/lai-chau/san-pham-mau.yaml",
           "producer": "producers/lai-chau/htx-mau.yaml", "sales_point": "sales_points/lai-chau/diem-mau.yaml",
           "village": "villages/lai-chau/ban-mau.yaml"}
# a second product, revoked and withdrawn: the fields that only such a product shows live on it
WITHDRAWN = "products/lai-chau/san-pham-rut.yaml"
WITHDRAWN_FIELDS = ("certificate.revocation.", "status_reason")
# text fields no payload can pass, with the reason: checked against a fixed list (catalog/checks/rules.py)
CHECKED_AGAINST_A_LIST = {
    "address.commune": "one of the 3,321 communes of Decision 19/2025/QĐ-TTg",
    "certified_address.province": "one of the 63 former or 34 current province names",
}


def text_fields() -> list[tuple[str, str, int]]:
    """(file under the data root, dotted path, max length) of every free-text field of every schema."""
    from catalog.records.schemas import load_schema, resolve

    found: list[tuple[str, str, int]] = []

    def walk(fragment, base, path, file):
        fragment, base = resolve(fragment, base)
        kind = fragment.get("type")
        if kind == "object" or "properties" in fragment:
            for key, sub in fragment.get("properties", {}).items():
                walk(sub, base, path + (key,), file)
        elif kind == "array" and isinstance(fragment.get("items"), dict):
            walk(fragment["items"], base, path + ("0",), file)
        elif kind == "string" and not any(k in fragment for k in ("enum", "const", "pattern", "format")):
            dotted = ".".join(path)
            if dotted in CHECKED_AGAINST_A_LIST:
                return
            target = WITHDRAWN if file == RECORDS["product"] and dotted.startswith(WITHDRAWN_FIELDS) else file
            found.append((target, dotted, fragment.get("maxLength", 4000)))

    for kind, file in RECORDS.items():
        walk(load_schema(f"{kind}.schema.json"), f"{kind}.schema.json", (), file)
    return found


FIELDS = text_fields()


def _complete(root: Path) -> None:
    """Give every record every optional part that holds text (lots, events, ratings, consent…)."""
    T = "chữ mẫu"  # noqa: N806
    def edit(rel, change):
        path = root / rel
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(doc)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def product(d):
        d.update({"name_en": T, "description_en": T, "raw_material_origin_en": T, "packaging": T, "net_quantity": T, "shelf_life": T, "raw_material_origin": T,
                  "ingredients": [T, "y"], "standards": [{"kind": "TCCS", "code": T}],
                  "earlier_ratings": [{"stars": 3, "legal_basis": "148/2023", "certificate_number": T,
                                       "decision": {"number": "50/QĐ-UBND", "date": "2023-06-01"},
                                       "deciding_body": {"level": "province", "name": T},
                                       "revocation": {"decision": {"number": "55/QĐ-UBND", "date": "2024-01-10"},
                                                      "deciding_body": {"level": "province", "name": T}, "reason": T}}],
                  "lots": [{"id": "L1", "produced_on": "2025-10-01", "quantity": T,
                            "events": [{"type": "harvest", "date": "2025-09-20", "place": T, "actor": T,
                                        "document": T, "note": T}]}]})
        d["address"]["street"] = T

    edit(RECORDS["product"], product)
    withdrawn = yaml.safe_load((root / RECORDS["product"]).read_text(encoding="utf-8"))
    withdrawn.update({"id": "san-pham-rut", "status": "withdrawn", "status_reason": T})
    withdrawn.pop("gtin", None)
    withdrawn.pop("lots", None)
    withdrawn["certificate"]["revocation"] = {"decision": {"number": "60/QĐ-UBND", "date": "2026-01-05"},
                                              "deciding_body": {"level": "province", "name": "UBND tỉnh Lai Châu"}, "reason": T}
    (root / WITHDRAWN).write_text(yaml.safe_dump(withdrawn, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for rel, extra in ((RECORDS["producer"], {"representative": T, "publish_consent": {
                            "fields": ["phone"], "date": "2025-03-01", "document": T}}),
                       (RECORDS["sales_point"], {"opening_hours": T, "opening_hours_en": T, "local_specialities": [T],
                                                 "publish_consent": {"fields": ["phone"], "date": "2025-03-01", "document": T}}),
                       (RECORDS["village"], {"crafts": [T, "y"], "description_en": T}), (RECORDS["config"], {"publisher": T, "title_en": T, "map": {"attribution": T},
                                                               "report_contact": {"name": T, "phone": "02133000000"}})):
        def change(doc, extra=extra):
            doc.update(extra)
            if "address" in doc:
                doc["address"]["street"] = T
        edit(rel, change)


def make_root(tmp: Path, texts: list[str]) -> Path:
    root = tmp / "root"
    shutil.copytree(BASE, root)
    _complete(root)
    docs: dict[str, dict] = {}
    for (path, dotted, limit), text in zip(FIELDS, texts):
        doc = docs.setdefault(path, yaml.safe_load((root / path).read_text(encoding="utf-8")))
        *parents, last = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        node = doc
        try:
            for part in parents:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            pytest.fail(f"{path}: the text field '{dotted}' has nowhere to go — the record _complete() builds has no "
                        f"'{part}': add the new optional field (with its parents) to _complete() in tests/test_xss.py "
                        "(rule 4 of catalog/records/fields.py)")
        node[last] = text[:limit]
    for path, doc in docs.items():
        (root / path).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return root


class Structure(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shape: list[tuple] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.shape.append((tag, tuple(sorted(name for name, _ in attrs))))
        self.text += [value for name, value in attrs if name in ("alt", "title", "aria-label") and value]

    def handle_endtag(self, tag):
        self.shape.append(("/" + tag,))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.shape.append(("!--",))


def pages(site: Path) -> dict[str, Structure]:
    out = {}
    for page in sorted(site.rglob("*.html")):
        parser = Structure()
        parser.feed(page.read_text(encoding="utf-8"))
        out[page.relative_to(site).as_posix()] = parser
    return out


def batches():
    size = len(FIELDS)
    for start in range(0, len(PAYLOADS), size):
        chunk = PAYLOADS[start:start + size]
        yield start, chunk + PAYLOADS[: size - len(chunk)]


def test_corpus_is_large_enough():
    assert len(PAYLOADS) >= 50


def test_every_text_field_of_the_schemas_is_attacked(tmp_path):
    """Each derived field exists in the complete records (so it really gets a payload), and the
    derived list holds the fields a reader expects — it is not empty by accident."""
    root = make_root(tmp_path, [f"t{i}" for i in range(len(FIELDS))])
    for path, dotted, _ in FIELDS:
        node = yaml.safe_load((root / path).read_text(encoding="utf-8"))
        for part in dotted.split("."):
            node = node[int(part)] if part.isdigit() else node[part]
        assert isinstance(node, str), f"{path} {dotted}: add it to the complete records in _complete()"
    names = {(path.split("/")[0], dotted) for path, dotted, _ in FIELDS}
    for expected in [("products", "name"), ("products", "lots.0.events.0.note"), ("products", "status_reason"),
                     ("products", "certificate.revocation.reason"), ("producers", "representative"),
                     ("producers", "publish_consent.document"), ("villages", "crafts.0"), ("ocop.yaml", "title")]:
        assert expected in names, expected


@pytest.mark.parametrize("start, texts", list(batches()), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_no_payload_becomes_markup_and_text_shows_as_typed(tmp_path, start, texts):
    from catalog.checks.validate import check

    hostile = make_root(tmp_path / "hostile", texts)
    assert check(hostile, AS_OF).errors == []
    benign_texts = [f"văn bản an toàn số {i}" for i in range(len(FIELDS))]
    benign = make_root(tmp_path / "benign", benign_texts)
    build(hostile, tmp_path / "hostile-site", AS_OF)
    build(benign, tmp_path / "benign-site", AS_OF)
    got, want = pages(tmp_path / "hostile-site"), pages(tmp_path / "benign-site")
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name].shape == want[name].shape, f"{name}: markup differs — something from data became markup"
    visible = " ".join(" ".join(" ".join(p.text).split()) for p in got.values())
    shown_benign = " ".join(" ".join(" ".join(p.text).split()) for p in want.values())
    for (path, dotted, limit), text, marker in zip(FIELDS, texts, benign_texts):
        if re.search(re.escape(marker) + r"(?!\d)", shown_benign):  # shown on a page: must show as typed
            assert " ".join(text[:limit].split()) in visible, f"{path} {dotted}: {text!r} not shown as typed"
    open_data_gives_back_the_payloads(tmp_path / "hostile-site", texts)


def open_data_gives_back_the_payloads(site: Path, texts: list[str]) -> None:
    """feed.xml is well-formed XML whose titles hold the names; catalogue.csv holds the CSV-neutralised
    payloads; the per-record JSON holds every payload exactly."""
    from catalog.reference.escaping import csv_cell

    by_field = {(path, dotted): text[:limit] for (path, dotted, limit), text in zip(FIELDS, texts)}
    feed = ET.parse(site / "feed.xml").getroot()
    ns = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{ns}title").text == by_field[("ocop.yaml", "title")]
    assert any(by_field[(RECORDS["product"], "name")] in (e.find(f"{ns}title").text or "") for e in feed.iter(f"{ns}entry"))
    text = (site / "api/v1/catalogue.csv").read_text(encoding="utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["id"] == "san-pham-mau")
    assert row["name"] == csv_cell(by_field[(RECORDS["product"], "name")])
    assert row["producer_name"] == csv_cell(by_field[(RECORDS["producer"], "name")])
    for (path, dotted), value in by_field.items():  # every field of every record, exactly as typed
        if path == RECORDS["config"]:
            continue
        kind, _, name = path.split("/")
        node = json.loads((site / "api/v1" / kind / name.replace(".yaml", ".json")).read_text(encoding="utf-8"))["record"]
        for part in dotted.split("."):
            node = node[int(part)] if part.isdigit() else node[part]
        assert node == value, (path, dotted)


def test_a_new_text_field_missing_from_complete_says_what_to_add(tmp_path, monkeypatch):
    """A new optional object field the schema has and _complete() does not build fails with the
    sentence that names the fix, not a bare KeyError (issue #23)."""
    monkeypatch.setattr(sys.modules[__name__], "FIELDS", [(RECORDS["product"], "brand_story.text", 200)])
    with pytest.raises(pytest.fail.Exception, match=r"'brand_story.text' has nowhere to go .* add the new optional field .* "
                                                   r"to _complete\(\) in tests/test_xss.py"):
        make_root(tmp_path, ["<script>alert(1)</script>"])
