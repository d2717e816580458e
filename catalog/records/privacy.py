"""Personal data of producers who are people (Decree 13/2023/NĐ-CP): what is published.

Decisions (issue #14; documented for staff in CONTRIBUTING.md and the field reference):

* **Who is a person.** A household business (*hộ kinh doanh*) is a person or a family, and a
  cooperative group (*tổ hợp tác*) a contract between people without legal personality: their
  representative's name, mobile number, e-mail, hamlet and home coordinates are personal data.
  Cooperatives and companies are legal entities whose representative and address are public in
  the business registry: their records are published as typed.
* **Public by default for a person.** The business name, its kind and registration number, the
  commune and province, a *business* phone (a landline ``02…`` or a 1800/1900 line) and a
  website: enough for a shopper to find and call the business (docs/DOMAIN.md: "a commune-level
  location and a business contact are enough").
* **Only with recorded consent** (``publish_consent`` in the producer record: which fields, the
  date, the document signed): the representative, a mobile phone, the e-mail, the street/hamlet
  (the producer's and that of each of its products) and the coordinates.
* **Where it applies.** In the catalogue itself (:func:`public_catalogue`, called by
  :func:`catalog.records.model.build_catalogue`): every output is made from it — pages, the raw JSON per
  record, catalogue.json/.csv, the feed, the search index, the offline copy and the booklet — so
  no output can forget it. The YAML records and ``ocop diff`` still hold what was typed: a data
  repository holding personal data without consent should not be public (CONTRIBUTING.md).
* **Warning.** A person's record holding personal data without consent gets one
  ``personal-data-unpublished`` warning naming the fields: nothing is lost silently, and the
  officer knows to record the consent or remove the data.

Round three (issue #22): consent covers every field that can carry a person's address or phone,
with the same ``publish_consent`` words (representative, phone, email, street, location):

* **The certificate's address.** ``certified_address.text`` is the address as printed, often with
  the household's hamlet or street. Without ``street`` consent it is published without the part
  below the commune (:func:`catalog.reference.places.parse_old_address` splits it; nothing recognised as a
  commune, district or province: only the ``province`` field). ``ocop import`` writes the text
  the same way when it creates a person's record (catalog/staff/importer/records.py).
* **Lot events of a person's product** (free text typed by the household): ``actor`` and ``note``
  can name people — published with ``representative`` consent; ``place`` can be the home — with
  ``street`` consent; any of them, and ``document``, holding a phone number — with ``phone``
  consent. Without it a required field (place, actor) reads :data:`WITHHELD` (the pages say
  "not published: personal data" in their language, the published JSON still validates against
  the record schema) and an optional one (note, document) is left out. Organisations' events are
  published as typed.
* **Sales points run by a person.** ``operator_kind`` (household_business, cooperative_group,
  person) says so; left out, the point is taken to be a person's when the operator's name starts
  with a word for a household or a person ("Hộ kinh doanh", "HKD", "Tổ hợp tác", "Ông", "Bà",
  "Anh", "Chị", "Cô", "Chú", "Cá nhân") or its phone is a mobile number — the safe guess. Its
  ``publish_consent`` (in the sales point record) covers the operator's name (``representative``;
  without it the name reads :data:`WITHHELD` and the published record says ``operator_kind``), a
  mobile ``phone``, the ``street`` and the ``location``. One ``sales-point-personal-data-unpublished`` warning names what is held.
* **A phone number in free text** (any text field of any record but the ``phone`` field itself,
  numbers and codes): one ``phone-in-free-text`` warning — it belongs in ``phone``, where the
  consent rule applies.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterator

from ..reference.places import parse_old_address
from .loader import dotted
from .problems import Hint, Problem
from .schemas import title_for

PERSONAL_KINDS = ("household_business", "cooperative_group")
CONSENTABLE = ("representative", "phone", "email", "street", "location")
KIND_NAMES = {"household_business": ("hộ kinh doanh", "household business"),
              "cooperative_group": ("tổ hợp tác", "cooperative group")}
FIELD_NAMES = {"representative": "người đại diện", "phone": "số điện thoại di động", "email": "thư điện tử",
               "street": "địa chỉ chi tiết (số nhà, thôn, bản)", "location": "toạ độ bản đồ"}
_MOBILE = re.compile(r"^(?:0|\+84)[35789]")
# a Vietnamese phone number inside text: 0 or +84 then 8 to 10 digits, single spaces, dots or dashes
# between them allowed ("0912 345 678", "0912.345.678", "+84 912 345 678", "02133 876 543")
PHONE_IN_TEXT = re.compile(r"(?<![0-9+])(?:\+84|0)(?:[ .-]?[0-9]){8,10}(?![0-9])")
# what a required free-text field of a lot event reads when it is withheld (pages say it in their language)
WITHHELD = "(không công bố: dữ liệu cá nhân)"
PERSONAL_OPERATORS = ("household_business", "cooperative_group", "person")
OPERATOR_NAMES = {"household_business": ("hộ kinh doanh", "household business"),
                  "cooperative_group": ("tổ hợp tác", "cooperative group"), "person": ("cá nhân", "person")}
_OPERATOR_WORDS = re.compile(r"^(?:(hộ kinh doanh|hộ gia đình|hkd)|(tổ hợp tác|tht)|(cá nhân|ông|bà|anh|chị|cô|chú))(?!\w)",
                             re.IGNORECASE)
EVENT_CONSENT = {"actor": "representative", "note": "representative", "place": "street"}  # field → consent word
EVENT_REQUIRED = ("place", "actor")


def is_mobile(phone: str) -> bool:
    """A Vietnamese mobile number (a person's), as opposed to a landline or a 1800/1900 line."""
    return bool(_MOBILE.match(phone))


def consented(producer: dict) -> set[str]:
    """The fields a person-producer agreed to publish; every field for an organisation."""
    if producer.get("kind") not in PERSONAL_KINDS:
        return set(CONSENTABLE)
    consent = producer.get("publish_consent")
    return set(consent.get("fields", [])) if isinstance(consent, dict) else set()


def withheld(producer: dict) -> list[str]:
    """The personal fields present in a producer record that will not be published."""
    allowed = consented(producer)
    present = []
    for key in CONSENTABLE:
        if key in allowed:
            continue
        if key == "street":
            if isinstance(producer.get("address"), dict) and "street" in producer["address"]:
                present.append(key)
        elif key == "phone":
            if isinstance(producer.get("phone"), str) and is_mobile(producer["phone"]):
                present.append(key)
        elif key in producer:
            present.append(key)
    return present


def public_producer(producer: dict) -> dict:
    """The producer record as published (a new dict; the record itself is not changed)."""
    hidden = withheld(producer)
    if not hidden:
        return producer
    data = {k: v for k, v in producer.items() if k not in hidden}
    if "street" in hidden:
        data["address"] = {k: v for k, v in producer["address"].items() if k != "street"}
    return data


def shown(value: Any, text: str) -> Any:
    """A field as a page shows it: ``text`` (the page's "not published: personal data") for :data:`WITHHELD`."""
    return text if value == WITHHELD else value


def phones_in(text: str) -> list[str]:
    """The phone numbers written inside a text, as written."""
    return [m.group(0) for m in PHONE_IN_TEXT.finditer(text)]


def certified_text_without_street(certified: dict, province: str | None = None) -> str:
    """``certified_address.text`` without what lies below the commune (hamlet, street, house):
    "Thôn Làng Ào, xã Hữu Liên, huyện Hữu Lũng, tỉnh Lạng Sơn" → "xã Hữu Liên, huyện Hữu Lũng,
    tỉnh Lạng Sơn"; the ``province`` field alone when no commune, district or province is found."""

    text = certified.get("text")
    fallback = str(certified.get("province") or "")
    if not isinstance(text, str):
        return fallback
    if province is None or isinstance(province, str):
        return _without_street_once(text, province, fallback)
    return _without_street(text, province, fallback)


@lru_cache(maxsize=1 << 15)
def _without_street_once(text: str, province: str | None, fallback: str) -> str:
    # once per text: a build asks for each product twice (its check and its public form), issue #27
    return _without_street(text, province, fallback)


def _without_street(text: str, province: Any, fallback: str) -> str:
    parts = parse_old_address(text, province)
    kept = [part for part in (parts.commune, parts.district, parts.province) if part]
    return ", ".join(kept) if kept and parts.street is not None else (text if kept else fallback)


def _event_withheld(event: dict, allowed: set[str]) -> list[str]:
    """The free-text fields of a lot event that a person's consent does not cover."""
    hidden = []
    for key in ("place", "actor", "note", "document"):
        value = event.get(key)
        if not isinstance(value, str):
            continue
        word = EVENT_CONSENT.get(key)
        if (word is not None and word not in allowed) or ("phone" not in allowed and phones_in(value)):
            hidden.append(key)
    return hidden


def product_withheld(product: dict, producer: dict | None) -> list[tuple[tuple, str]]:
    """(path, consent word) of each personal field of a product its producer did not agree to publish."""
    if producer is None or not isinstance(product, dict):
        return []
    allowed = consented(producer)
    if allowed >= set(CONSENTABLE):
        return []
    out: list[tuple[tuple, str]] = []
    if "street" not in allowed:
        address = product.get("address")
        if isinstance(address, dict) and "street" in address:
            out.append((("address", "street"), "street"))
        certified = product.get("certified_address")
        if isinstance(certified, dict) and isinstance(certified.get("text"), str):
            province = address.get("province") if isinstance(address, dict) else None
            if certified_text_without_street(certified, province) != certified["text"]:
                out.append((("certified_address", "text"), "street"))
    lots = product.get("lots")
    for i, lot in enumerate(lots if isinstance(lots, list) else []):
        events = lot.get("events") if isinstance(lot, dict) else None
        for j, event in enumerate(events if isinstance(events, list) else []):
            if isinstance(event, dict):
                for key in _event_withheld(event, allowed):
                    word = "phone" if EVENT_CONSENT.get(key) in allowed or key == "document" else EVENT_CONSENT[key]
                    out.append((("lots", i, "events", j, key), word))
    return out


def public_product(product: dict, producer: dict | None) -> dict:
    """A product as published: its street, the street in its certificate's address and its lot
    events' free text only as far as its producer agreed (module doc)."""
    hidden = product_withheld(product, producer)
    if not hidden:
        return product
    data = dict(product)
    paths = {path for path, _ in hidden}
    if ("address", "street") in paths:
        data["address"] = {k: v for k, v in product["address"].items() if k != "street"}
    if ("certified_address", "text") in paths:
        data["certified_address"] = {**product["certified_address"], "text": certified_text_without_street(
            product["certified_address"], product["address"].get("province") if isinstance(product.get("address"), dict) else None)}
    events_hidden: dict[tuple[int, int], set[str]] = {}  # (lot, event) → fields withheld
    for path in paths:
        if path[0] == "lots":
            events_hidden.setdefault((path[1], path[3]), set()).add(path[4])
    if events_hidden:
        lots = []
        for i, lot in enumerate(product["lots"]):
            if not any(key[0] == i for key in events_hidden):
                lots.append(lot)
                continue
            events = []
            for j, event in enumerate(lot["events"]):
                fields = events_hidden.get((i, j), set())
                events.append({k: (WITHHELD if k in fields else v) for k, v in event.items()
                               if k not in fields or k in EVENT_REQUIRED})
            lots.append({**lot, "events": events})
        data["lots"] = lots
    return data


def operator_kind(sales_point: dict) -> str | None:
    """The kind of person running a sales point (PERSONAL_OPERATORS), or None for an organisation:
    as stated in ``operator_kind``, else guessed from the operator's name and the phone (module doc)."""
    stated = sales_point.get("operator_kind")
    if isinstance(stated, str):
        return stated if stated in PERSONAL_OPERATORS else None
    name = sales_point.get("operator")
    found = _OPERATOR_WORDS.match(unicodedata.normalize("NFC", name).strip()) if isinstance(name, str) else None
    if found:
        return "household_business" if found.group(1) else "cooperative_group" if found.group(2) else "person"
    phone = sales_point.get("phone")
    return "person" if isinstance(phone, str) and is_mobile(phone) else None


def sales_point_withheld(sales_point: dict) -> list[str]:
    """The consent words of a person's sales point whose fields are present and not agreed."""
    if not isinstance(sales_point, dict) or operator_kind(sales_point) is None:
        return []
    consent = sales_point.get("publish_consent")
    allowed = set(consent.get("fields", [])) if isinstance(consent, dict) else set()
    present = []
    if "representative" not in allowed and isinstance(sales_point.get("operator"), str):
        present.append("representative")
    if "phone" not in allowed and isinstance(sales_point.get("phone"), str) and is_mobile(sales_point["phone"]):
        present.append("phone")
    if "street" not in allowed and isinstance(sales_point.get("address"), dict) and "street" in sales_point["address"]:
        present.append("street")
    if "location" not in allowed and "location" in sales_point:
        present.append("location")
    return present


def public_sales_point(sales_point: dict) -> dict:
    """A sales point as published: a person's name, mobile, street and coordinates only with consent."""
    hidden = sales_point_withheld(sales_point)
    if not hidden:
        return sales_point
    data = {k: v for k, v in sales_point.items() if k not in ("phone", "location") or k not in hidden}
    if "representative" in hidden:
        kind = operator_kind(sales_point)
        data["operator"] = WITHHELD  # required by the schema: a value that says so
        data["operator_kind"] = kind
    if "street" in hidden:
        data["address"] = {k: v for k, v in sales_point["address"].items() if k != "street"}
    return data


def public_catalogue(cat: Any) -> None:
    """Replace, in a catalogue being assembled, every record by its public form."""
    raw_producers = {rid: rec.data for rid, rec in cat.producers.items()}
    for rec in cat.producers.values():
        rec.data = public_producer(rec.data)
    for product in cat.products.values():
        product.data = public_product(product.data, raw_producers.get(product.data.get("producer")))
    for rec in cat.sales_points.values():
        rec.data = public_sales_point(rec.data)


# fields that hold numbers, codes, dates or references, not free text (a phone number in them is
# not the kind of slip ``phone-in-free-text`` is about — or is checked by the schema itself)
NOT_FREE_TEXT = frozenset({"id", "former_ids", "phone", "email", "website", "url", "gtin", "registration_number",
                           "number", "certificate_number", "file", "producer", "products", "sales_point", "date",
                           "valid_until", "produced_on", "expires_on", "effective_from", "status_date", "document",
                           "legal_basis", "group", "product_set", "kind", "type", "province", "commune", "level"})


def _free_texts(node: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in NOT_FREE_TEXT:
                yield from _free_texts(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _free_texts(value, path + (i,))
    elif isinstance(node, str):
        yield path, node


# what each consent word covers in a product record and in a sales point record (the warnings say it)
PRODUCT_FIELD_NAMES = {"representative": "tên người (người thực hiện, ghi chú của sự kiện lô hàng)",
                       "phone": "số điện thoại (trong sự kiện lô hàng)",
                       "street": "số nhà, thôn, bản (địa chỉ, địa chỉ trên giấy chứng nhận, nơi diễn ra sự kiện lô hàng)"}
SALES_POINT_FIELD_NAMES = {"representative": "tên người vận hành", "phone": "số điện thoại di động",
                           "street": "địa chỉ chi tiết (số nhà, thôn, bản)", "location": "toạ độ bản đồ"}


def _words(words: list[str], names: dict[str, str]) -> tuple[Hint, str]:
    return (Hint(", ".join(names[w] for w in words), ", ".join(words)), ", ".join(words))


def check(checked) -> Iterator[Problem]:
    """The privacy warnings (module doc): ``personal-data-unpublished`` per person-producer holding
    unconsented data, ``product-personal-data-unpublished`` per product of one whose certificate address or lot
    events hold some, ``sales-point-personal-data-unpublished`` per sales point run by a person,
    ``phone-in-free-text`` per text field holding a phone number."""
    checked = list(checked)
    producers = producer_table(checked)
    for item in checked:
        yield from local_check(item)
        yield from product_check(item, producers)


def producer_table(checked) -> dict[str, dict]:
    """Producer id → its data, as :func:`product_check` reads it (an invalid id, a list…, is no key)."""
    return {item.data["id"]: item.data for item in checked
            if item.kind == "producer" and isinstance(item.data, dict) and isinstance(item.data.get("id"), str)}


def local_check(item) -> Iterator[Problem]:
    """The warnings that depend on the record alone (all but ``product-personal-data-unpublished``):
    the same for the same bytes, so catalog/checks/validate.py may reuse them for an unchanged file."""
    if not isinstance(item.data, dict):
        return
    for path, text in _free_texts(item.data):
        found = phones_in(text)
        if found:
            title = title_for(f"{item.kind}.schema.json", path) or str(path[-1])
            yield item.problem("phone-in-free-text", path, text, phone=found[0], title=title)
    if item.kind == "sales_point":
        hidden = sales_point_withheld(item.data)
        if hidden:
            fields, keys = _words(hidden, SALES_POINT_FIELD_NAMES)
            kind = operator_kind(item.data)
            guessed = Hint(" (máy đoán từ tên đơn vị vận hành hoặc số di động; nếu là tổ chức, ghi operator_kind: public_body, company hoặc cooperative)",
                           " (guessed from the operator's name or the mobile number; if an organisation runs it, add operator_kind: public_body, company or cooperative)") \
                if "operator_kind" not in item.data else ""
            first = {"representative": ("operator",), "street": ("address", "street")}.get(hidden[0], (hidden[0],))
            yield item.problem("sales-point-personal-data-unpublished", first, None, key=True,
                               kind_name=Hint(*OPERATOR_NAMES[kind]), guessed=guessed,  # type: ignore[index]
                               fields=fields, keys=keys)
    yield from _producer_warnings([item])


def product_check(item, producers: dict[str, dict]) -> Iterator[Problem]:
    """``product-personal-data-unpublished`` for a product: it depends on its producer's record
    too (``producers``: :func:`producer_table`), so it is checked again on every run."""
    if item.kind != "product" or not isinstance(item.data, dict):
        return
    pid = item.data.get("producer")
    producer = producers.get(pid) if isinstance(pid, str) else None
    if isinstance(producer, dict):
        # a product's address.street is named by its producer's warning (issue #14); these are the rest
        held = [(path, word) for path, word in product_withheld(item.data, producer) if path != ("address", "street")]
        if held:
            words = sorted({word for _, word in held}, key=CONSENTABLE.index)
            fields, keys = _words(words, PRODUCT_FIELD_NAMES)
            yield item.problem("product-personal-data-unpublished", held[0][0], None, key=True,
                               producer=str(producer.get("id")),
                               kind_name=Hint(*KIND_NAMES.get(str(producer.get("kind")), ("chủ thể", "producer"))),
                               fields=fields, keys=keys,
                               where=", ".join(dict.fromkeys(dotted_path(path) for path, _ in held)))


def dotted_path(path: tuple) -> str:

    return dotted(path)


def _producer_warnings(checked) -> Iterator[Problem]:
    """One ``personal-data-unpublished`` warning per person-producer holding unconsented data."""
    for item in checked:
        if item.kind != "producer" or not isinstance(item.data, dict):
            continue
        kind = item.data.get("kind")
        hidden = withheld(item.data)
        if kind not in PERSONAL_KINDS or not hidden:
            continue
        first = hidden[0]
        path = ("address", "street") if first == "street" else (first,)
        yield item.problem("personal-data-unpublished", path, None, key=True,
                           kind_name=Hint(*KIND_NAMES[kind]),
                           fields=Hint(", ".join(FIELD_NAMES[f] for f in hidden), ", ".join(hidden)),
                           keys=", ".join(hidden))
