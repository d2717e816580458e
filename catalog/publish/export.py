"""Open data: per-record JSON, the catalogue as JSON and CSV (with derived fields), the JSON
Schema of that output, the Atom feed (catalog/publish/feed.py), and the search index.

Everything is sorted and carries no wall-clock time: the only date is the catalogue's as-of date.

The CSV is opened by staff in Excel: a cell that starts like a formula (``=``, ``+``, ``-``, ``@``,
tab, CR…) gets a leading apostrophe (catalog/reference/escaping.py ``csv_cell``, OWASP CSV injection). The
JSON files keep every value exactly as typed: they are for programs, which never evaluate them.

So does a formula trigger after a ``;`` or a tab *inside* a value (:func:`csv_line`): Excel opens a
``.csv`` with the list separator of the computer's region, and on a Vietnamese Windows that is ``;``
— the file is then split at every ``;``, quotes or not (a quote counts only at the start of a cell).
``Chè;=HYPERLINK(C2)`` became a second cell starting with ``=``: a live formula, whatever the
apostrophe did to the start of the value (probe 4). Now it reads ``Chè;'=HYPERLINK(C2)``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from functools import partial
from typing import Any, Callable

from ..records import fields
from ..reference import places, rulebook
from ..reference.escaping import csv_row
from ..records.model import Catalogue, Product
from ..records.urls import absolute, gtin14, label_url, url_for
from . import feed

API = "api/v1"
API_VERSION = "1.0"
CSV_COLUMNS = list(fields.CSV_COLUMNS)  # the one table of columns: catalog/records/fields.py


def _dump(path: Path, doc: Any, compact: bool = False) -> None:
    """JSON, sorted keys; ``compact`` (no indentation: the C encoder, ~10× faster) for big files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, **({"separators": (",", ":")} if compact else {"indent": 1}))
    path.write_text(text + "\n", encoding="utf-8")


def product_summary(cat: Catalogue, p: Product) -> dict[str, Any]:
    """A product's row of catalogue.csv and catalogue.json: the columns of fields.CSV_COLUMNS."""
    producer = cat.producers[p.data["producer"]].data
    made = {"status": p.status.value, "url": absolute(cat, url_for("product", p.id))}
    # the certificate columns are those of the certificate in force on the as-of date, beside its
    # status: an earlier one until a re-recognition decided ahead takes effect (model.earlier_in_force;
    # a number not on record is "")
    data = p.data
    if p.earlier is not None:  # and the criteria it was rated under (re-check, round seven: 26/2026 beside a 148/2023 rating)
        shown = {k: v for k, v in p.certificate.items() if v is not None}
        data = {**p.data, "certificate": shown,
                "classification": {**p.data["classification"], **({"legal_basis": shown["legal_basis"]} if "legal_basis" in shown else {})}}
    return {column: made[column] if source is None else fields.csv_value(column, data, producer)
            for column, source in fields.CSV_COLUMNS.items()}


def _meta(cat: Catalogue) -> dict[str, Any]:
    return {"api_version": API_VERSION, "as_of": cat.as_of.isoformat(), "sample_data": cat.sample_data,
            "title": cat.config["title"]}


KINDS = (("products", "product"), ("producers", "producer"), ("sales_points", "sales_point"), ("villages", "village"))


def record_jobs(cat: Catalogue, site: Path) -> list[tuple[str, Callable[[], None], list]]:
    """(output path, thunk writing it, what it is made from: record files and values) of every
    per-record file — api/v1/<kind>/<id>.json and the EPCIS documents; run on all cores by
    catalog/site/build.py. Making the list writes nothing."""
    meta = _meta(cat)
    jobs: list[tuple[str, Callable[[], None], list]] = []
    for kind, singular in KINDS:
        folder = site / API / kind
        for rec in cat.table(singular).values():
            # a product's published form also depends on its producer's consent (catalog/records/privacy.py)
            deps = [rec.file] + ([cat.producers[rec.data["producer"]].file, rec.sales_points, rec.villages]  # type: ignore[attr-defined]
                                 if singular == "product" else [])
            jobs.append((f"{API}/{kind}/{rec.id}.json",
                         partial(_write_record, cat, folder, f"{rec.id}.json", rec, singular, meta), deps))
    jobs += [(f"{API}/epcis/{p.id}.jsonld", partial(_write_epcis, cat, site, p), [p.file])
             for p in cat.products.values() if p.data.get("lots")]
    return jobs


def _write_record(cat: Catalogue, folder: Path, name: str, rec: Any, singular: str, meta: dict) -> None:
    doc = {"record": rec.data, "url": absolute(cat, url_for(singular, rec.id)), **meta}
    if singular == "product":
        doc["status"] = rec.status.value
        doc["sales_points"] = rec.sales_points
        doc["villages"] = rec.villages
    try:
        fh = open(folder / name, "w", encoding="utf-8")
    except FileNotFoundError:  # the first file of its folder (no mkdir per file: 25,000 records)
        folder.mkdir(parents=True, exist_ok=True)
        fh = open(folder / name, "w", encoding="utf-8")
    with fh:
        # compact (no indentation): a third smaller, ~30 MB over a national site; tools read it
        fh.write(json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")


def write_api(cat: Catalogue, site: Path, fragments: Any = None, digests: dict[str, str] | None = None) -> None:
    """The catalogue as JSON and CSV, and its JSON Schema. The per-record files are written by
    :func:`record_jobs` (in the site build's parallel pass).

    ``fragments`` (an incremental build: catalog/runtime/cache.py ``Fragments``, scoped by the
    tool, configuration and as-of date) with ``digests`` (record file → SHA-256): each product's
    JSON object and CSV row are taken from the last build when its own file and its producer's
    (the published form depends on the producer's consent) are unchanged — the files are the
    same bytes as made from scratch (json.dumps of a nested object with sorted keys is the object
    dumped alone; a CSV row is the writer's line for it). tests/test_incremental.py compares."""
    base = site / API
    base.mkdir(parents=True, exist_ok=True)
    meta = _meta(cat)
    json_parts, csv_parts = [], []
    for p in cat.products.values():
        key = None
        if fragments is not None and digests is not None:
            key = f"{p.id}\0{digests.get(p.file, '')}\0{digests.get(cat.producers[p.data['producer']].file, '')}"
            piece = fragments.get(key)
            if piece is not None:
                json_parts.append(piece[0])
                csv_parts.append(piece[1])
                continue
        summary = product_summary(cat, p)
        piece = (json.dumps(summary, ensure_ascii=False, sort_keys=True, separators=(",", ":")), csv_line(summary))
        if key is not None:
            fragments.put(key, piece)
        json_parts.append(piece[0])
        csv_parts.append(piece[1])
    shell = json.dumps({**meta, "products": [], "producers": sorted(cat.producers),
                        "sales_points": sorted(cat.sales_points), "villages": sorted(cat.villages)},
                       ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    slot = '"products":[]'  # once: inside a JSON string every quote is escaped
    assert shell.count(slot) == 1
    (base / "catalogue.json").write_text(shell.replace(slot, f'"products":[{",".join(json_parts)}]') + "\n",
                                         encoding="utf-8")
    header = io.StringIO()
    csv.DictWriter(header, fieldnames=CSV_COLUMNS, lineterminator="\r\n").writeheader()
    # BOM: Excel opens UTF-8; formulas neutralised (module doc)
    (base / "catalogue.csv").write_text("\ufeff" + header.getvalue() + "".join(csv_parts), encoding="utf-8")
    _dump(base / "catalogue.schema.json", catalogue_schema())


def csv_line(summary: dict[str, Any]) -> str:
    """One row of catalogue.csv: a formula neutralised at the start of a cell and after a ``;`` or a
    tab inside it (module doc)."""
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\r\n").writerow(csv_row(summary))
    return buf.getvalue()


def catalogue_schema() -> dict:
    """The JSON Schema of catalogue.json and of the CSV's columns: each column titled in Vietnamese
    (``title``) and English (``x-title-en``) from the record schemas (catalog/records/fields.py)."""
    doc = _catalogue_schema()
    columns = doc["properties"]["products"]["items"]["properties"]
    for column, prop in list(columns.items()):
        columns[column] = {**prop, "title": fields.column_title(column, "vi"), "x-title-en": fields.column_title(column, "en")}
    return doc


def _catalogue_schema() -> dict:
    text = {"type": "string"}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Danh mục sản phẩm OCOP — dữ liệu mở (api/v1/catalogue.json)",
        "type": "object",
        "additionalProperties": False,
        "required": ["api_version", "as_of", "sample_data", "title", "products", "producers", "sales_points", "villages"],
        "properties": {
            "api_version": {"const": API_VERSION},
            "as_of": {"type": "string", "format": "date", "description": "Ngày tính trạng thái giấy chứng nhận."},
            "sample_data": {"type": "boolean"},
            "title": text,
            "producers": {"type": "array", "items": text},
            "sales_points": {"type": "array", "items": text},
            "villages": {"type": "array", "items": text},
            "products": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": CSV_COLUMNS,
                    "properties": {
                        **{c: text for c in CSV_COLUMNS},
                        "stars": {"type": "integer", "minimum": 3, "maximum": 5},
                        "status": {"enum": ["valid", "expiring", "expired", "revoked", "withdrawn", "pending"]},
                        "valid_until": {"type": "string", "format": "date"},
                        "decision_date": {"type": "string", "format": "date"},
                        "url": {"type": "string", "format": "uri"},
                    },
                },
            },
        },
    }


def write_feed(cat: Catalogue, site: Path) -> None:
    """Atom feed of recognitions, revocations, withdrawals and lapses (catalog/publish/feed.py, issue #17)."""
    feed.write_feed(cat, site)


def search_index(cat: Catalogue) -> list[list[Any]]:
    """Compact index for the search page: [url, name, folded keywords, stars, province, status].

    Names, producer, places and group folded to ASCII ("nuoc mam" finds "nước mắm", "d" finds
    "đ"); the English name and group too ("fish sauce", "food"): both search pages share the
    index. Loaded only by the search page, never by a product page.
    """
    rows = []
    for p in cat.products.values():
        province = places.provinces_by_folder()[p.folder].name
        producer = cat.producers[p.data["producer"]].name
        words = " ".join([p.name, p.data.get("name_en", ""), producer, province, p.data["address"]["commune"],
                          rulebook.group_name(p.data["classification"]["group"]),
                          rulebook.group_name(p.data["classification"]["group"], "en")])  # the English search page
        rows.append([url_for("product", p.id), p.name, " ".join(places.fold(words).split()), p.stars, province, p.status.value])
    return sorted(rows)




EVENT_BIZSTEPS = {  # GS1 CBV 2.0 business steps; "processing" has no CBV step, so it gets our own URI
    "harvest": "commissioning",
    "processing": None,
    "packing": "packing",
    "testing": "inspecting",
    "shipping": "shipping",
}
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"


def epcis_document(cat: Catalogue, p: Product) -> dict[str, Any] | None:
    """The lots' critical tracking events as a GS1 EPCIS 2.0 JSON-LD document, or None.

    Lots are identified at class level (quantityList/epcClass): a GTIN product's lot is the GS1
    Digital Link ``https://id.gs1.org/01/{GTIN-14}/10/{lot}``; a product without GTIN uses its own
    lot page URL. Place, actor and document have no GS1 identifiers (no GLN), so they travel as
    ``ocop:`` extension fields; the event type is also kept there.
    """
    base = cat.config["base_url"]
    events = []
    for lot in p.data.get("lots", []):
        if p.data.get("gtin"):
            epc_class = f"https://id.gs1.org/01/{gtin14(p.data['gtin'])}/10/{lot['id']}"
        else:
            epc_class = label_url(base, p.data, lot["id"])
        for n, e in enumerate(lot.get("events", [])):
            bizstep = EVENT_BIZSTEPS[e["type"]] or f"{base}/epcis/bizstep/{e['type']}"
            event: dict[str, Any] = {
                "type": "ObjectEvent",
                "eventID": f"{label_url(base, p.data, lot['id'])}#su-kien-{n + 1}",
                "eventTime": f"{e['date']}T00:00:00+07:00",
                "eventTimeZoneOffset": "+07:00",
                "action": "ADD" if e["type"] == "harvest" else "OBSERVE",
                "bizStep": bizstep,
                "quantityList": [{"epcClass": epc_class}],
                "ocop:eventType": e["type"],
                "ocop:place": e["place"],
                "ocop:actor": e["actor"],
            }
            if e.get("document"):
                event["ocop:document"] = e["document"]
            if e.get("sales_point"):
                event["destinationList"] = [{"type": "location",
                                             "destination": absolute(cat, url_for("sales_point", e["sales_point"]))}]
            events.append(event)
    if not events:
        return None
    return {
        "@context": [EPCIS_CONTEXT, {"ocop": f"{base}/epcis/ns#"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": f"{cat.as_of.isoformat()}T00:00:00+07:00",
        "epcisBody": {"eventList": events},
    }


def _write_epcis(cat: Catalogue, site: Path, p: Product) -> None:
    doc = epcis_document(cat, p)
    if doc is not None:
        _dump(site / API / "epcis" / f"{p.id}.jsonld", doc, compact=True)
