"""No text from the records ever becomes markup on the public site.

Every free-text field of every record kind (and the catalogue title) is filled with payloads from
`fixtures/xss/payloads.txt` (script tags, event attributes, javascript:/data:/vbscript: links,
Markdown links and reference links, attribute lists, HTML comments, Jinja, MkDocs snippets…).
The site is built twice — with the payloads, and with harmless text in the same places — and every
page must have exactly the same elements and attribute names in both builds (so nothing came from
data), while the visible text shows each payload exactly as typed.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from catalog.site import build

from .conftest import AS_OF, BASE, FIXTURES

PAYLOADS = [line for line in (FIXTURES / "xss" / "payloads.txt").read_text(encoding="utf-8").splitlines() if line]

# (file under the base root, dotted path of a free-text field, max length)
FIELDS = [
    ("ocop.yaml", "title", 120), ("ocop.yaml", "publisher", 160),
    ("products/lai-chau/san-pham-mau.yaml", "name", 120), ("products/lai-chau/san-pham-mau.yaml", "name_en", 120),
    ("products/lai-chau/san-pham-mau.yaml", "description", 4000),
    ("products/lai-chau/san-pham-mau.yaml", "packaging", 200), ("products/lai-chau/san-pham-mau.yaml", "net_quantity", 60),
    ("products/lai-chau/san-pham-mau.yaml", "shelf_life", 60), ("products/lai-chau/san-pham-mau.yaml", "raw_material_origin", 400),
    ("products/lai-chau/san-pham-mau.yaml", "ingredients.0", 200), ("products/lai-chau/san-pham-mau.yaml", "ingredients.1", 200),
    ("products/lai-chau/san-pham-mau.yaml", "standards.0.code", 80), ("products/lai-chau/san-pham-mau.yaml", "images.0.alt", 200),
    ("products/lai-chau/san-pham-mau.yaml", "address.street", 200), ("products/lai-chau/san-pham-mau.yaml", "certified_address.text", 300),
    ("products/lai-chau/san-pham-mau.yaml", "certificate.deciding_body.name", 150),
    ("products/lai-chau/san-pham-mau.yaml", "lots.0.quantity", 60), ("products/lai-chau/san-pham-mau.yaml", "lots.0.events.0.place", 200),
    ("products/lai-chau/san-pham-mau.yaml", "lots.0.events.0.actor", 160),
    ("products/lai-chau/san-pham-mau.yaml", "lots.0.events.0.document", 200),
    ("products/lai-chau/san-pham-mau.yaml", "lots.0.events.0.note", 300),
    ("producers/lai-chau/htx-mau.yaml", "name", 160), ("producers/lai-chau/htx-mau.yaml", "representative", 80),
    ("producers/lai-chau/htx-mau.yaml", "address.street", 200),
    ("sales_points/lai-chau/diem-mau.yaml", "name", 160), ("sales_points/lai-chau/diem-mau.yaml", "operator", 160),
    ("sales_points/lai-chau/diem-mau.yaml", "opening_hours", 120), ("sales_points/lai-chau/diem-mau.yaml", "address.street", 200),
    ("villages/lai-chau/ban-mau.yaml", "name", 160), ("villages/lai-chau/ban-mau.yaml", "description", 4000),
    ("villages/lai-chau/ban-mau.yaml", "crafts.0", 200), ("villages/lai-chau/ban-mau.yaml", "crafts.1", 200),
    ("villages/lai-chau/ban-mau.yaml", "recognition.body", 150),
]


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


def make_root(tmp: Path, texts: list[str]) -> Path:
    root = tmp / "root"
    shutil.copytree(BASE, root)
    product = root / "products/lai-chau/san-pham-mau.yaml"
    data = yaml.safe_load(product.read_text(encoding="utf-8"))
    data.update({"name_en": "x", "packaging": "x", "net_quantity": "x", "shelf_life": "x", "raw_material_origin": "x",
                 "ingredients": ["x", "y"], "standards": [{"kind": "TCCS", "code": "x"}],
                 "lots": [{"id": "L1", "produced_on": "2025-10-01", "quantity": "x",
                           "events": [{"type": "harvest", "date": "2025-09-20", "place": "x", "actor": "x",
                                       "document": "x", "note": "x"}]}]})
    data["address"]["street"] = "x"
    product.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for path, extra in (("producers/lai-chau/htx-mau.yaml", {"representative": "x"}),
                        ("sales_points/lai-chau/diem-mau.yaml", {"opening_hours": "x"}),
                        ("villages/lai-chau/ban-mau.yaml", {"crafts": ["x", "y"]}), ("ocop.yaml", {"publisher": "x"})):
        doc = yaml.safe_load((root / path).read_text(encoding="utf-8"))
        doc.update(extra)
        if "address" in doc:
            doc["address"]["street"] = "x"
        (root / path).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    docs: dict[str, dict] = {}
    for (path, dotted, limit), text in zip(FIELDS, texts):
        doc = docs.setdefault(path, yaml.safe_load((root / path).read_text(encoding="utf-8")))
        *parents, last = [int(p) if p.isdigit() else p for p in dotted.split(".")]
        node = doc
        for part in parents:
            node = node[part]
        node[last] = text[:limit]
    for path, doc in docs.items():
        (root / path).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return root


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


@pytest.mark.parametrize("start, texts", list(batches()), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_no_payload_becomes_markup_and_text_shows_as_typed(tmp_path, start, texts):
    from catalog.validate import check

    hostile = make_root(tmp_path / "hostile", texts)
    assert check(hostile, AS_OF).errors == []
    benign = make_root(tmp_path / "benign", [f"văn bản an toàn số {i}" for i in range(len(FIELDS))])
    build(hostile, tmp_path / "hostile-site", AS_OF)
    build(benign, tmp_path / "benign-site", AS_OF)
    got, want = pages(tmp_path / "hostile-site"), pages(tmp_path / "benign-site")
    assert sorted(got) == sorted(want)
    for name in want:
        assert got[name].shape == want[name].shape, f"{name}: markup differs — something from data became markup"
    visible = " ".join(" ".join(" ".join(p.text).split()) for p in got.values())
    for (path, dotted, limit), text in zip(FIELDS, texts):
        assert " ".join(text[:limit].split()) in visible, f"{path} {dotted}: {text!r} not shown as typed"
