"""Open-data polish that external checkers ask for: JSON Schemas of the per-record files,
``robots.txt``, and phone numbers in international form for schema.org.

* ``api/v1/schemas/<kind>-file.schema.json`` describes ``api/v1/<kinds>/<id>.json`` (the record as
  validated, plus the derived fields the build adds); the record itself is described by the very
  schema ``ocop validate`` enforces, published beside it (``<kind>.schema.json``,
  ``definitions.schema.json``, code lists filled in). Every published schema carries an absolute
  ``$id`` under the site's base URL, so its relative ``$ref``\\ s resolve wherever it is read.
* ``robots.txt`` allows everything and names the sitemap (crawlers read it only at the root of a
  host: a site published under a sub-path should copy the line into the host's own file).
* :func:`international_phone`: schema.org ``telephone`` wants the country code (``+84``).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..records.model import Catalogue
from ..records.schemas import load_schema, schema_dir

API = "api/v1"
SCHEMA_DIR = f"{API}/schemas"
FILE_KINDS = (("product", "products"), ("producer", "producers"), ("sales_point", "sales_points"),
              ("village", "villages"))
STATUSES = ["valid", "expiring", "expired", "revoked", "withdrawn", "pending"]


def international_phone(phone: str) -> str:
    """A Vietnamese number as typed in a record → E.164 (``0912345678`` → ``+84912345678``,
    ``02133876600`` → ``+842133876600``). Toll-free 1800/1900 numbers cannot be dialled from
    abroad and stay as they are."""
    digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if digits.startswith("+"):
        return digits
    if digits.startswith("0"):
        return "+84" + digits[1:]
    if digits.startswith("84") and len(digits) in (11, 12):
        return "+" + digits
    return phone


def record_file_schema(kind: str, plural: str, base_url: str) -> dict:
    text = {"type": "string"}
    properties: dict = {
        "record": {"$ref": f"{kind}.schema.json"},
        "url": {"type": "string", "format": "uri", "description": "Trang của hồ sơ trên danh mục."},
        "api_version": {"type": "string"},
        "as_of": {"type": "string", "format": "date", "description": "Ngày tính trạng thái giấy chứng nhận."},
        "sample_data": {"type": "boolean"},
        "title": text,
    }
    required = ["record", "url", "api_version", "as_of", "sample_data", "title"]
    if kind == "product":
        properties.update({
            "status": {"enum": STATUSES, "description": "Trạng thái giấy chứng nhận vào ngày as_of (tính khi xây dựng)."},
            "sales_points": {"type": "array", "items": text, "description": "Mã các điểm bán đang bày sản phẩm."},
            "villages": {"type": "array", "items": text, "description": "Mã các làng nghề, bản du lịch liên quan."},
        })
        required += ["status", "sales_points", "villages"]
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"{base_url}/{SCHEMA_DIR}/{kind}-file.schema.json",
        "title": f"Dữ liệu mở: một hồ sơ ({API}/{plural}/<mã>.json)",
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


def write_record_schemas(cat: Catalogue, site: Path) -> None:
    folder = site / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    base = cat.config["base_url"]
    for path in sorted(schema_dir().glob("*.schema.json")):
        if path.name == "config.schema.json":
            continue
        doc = {"$id": f"{base}/{SCHEMA_DIR}/{path.name}", **load_schema(path.name)}
        _dump(folder / path.name, doc)
    for kind, plural in FILE_KINDS:
        _dump(folder / f"{kind}-file.schema.json", record_file_schema(kind, plural, base))


def write_robots(cat: Catalogue, site: Path) -> None:
    (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\nDisallow: /admin/\n\nSitemap: {cat.config['base_url']}/sitemap.xml\n",
                                     encoding="utf-8")


def _dump(path: Path, doc: dict) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
