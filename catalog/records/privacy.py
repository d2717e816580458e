"""Personal data of producers who are people (Decree 13/2023/NĐ-CP): what is published.

Decisions (issue #14; documented for staff in CONTRIBUTING.md and the field reference):

* **Who is a person.** A household business (*hộ kinh doanh*) is a person or a family, and a
  cooperative group (*tổ hợp tác*) a contract between people without legal personality: their
  representative's name, mobile number, e-mail, hamlet and home coordinates are personal data.
  Cooperatives and companies are legal entities whose representative and address are public in
  the business registry: their records are published as typed.
* **Public by default for a person.** The business name, its kind and registration number, the
  commune and province, a *business* phone (a landline ``02…`` or a 1800/1900 line) and a
  website: enough for a shopper to find and call the business (DOMAIN.md: "a commune-level
  location and a business contact are enough").
* **Only with recorded consent** (``publish_consent`` in the producer record: which fields, the
  date, the document signed): the representative, a mobile phone, the e-mail, the street/hamlet
  (the producer's and that of each of its products) and the coordinates.
* **Where it applies.** In the catalogue itself (:func:`public_catalogue`, called by
  :func:`catalog.model.build_catalogue`): every output is made from it — pages, the raw JSON per
  record, catalogue.json/.csv, the feed, the search index, the offline copy and the booklet — so
  no output can forget it. The YAML records and ``ocop diff`` still hold what was typed: a data
  repository holding personal data without consent should not be public (CONTRIBUTING.md).
* **Warning.** A person's record holding personal data without consent gets one
  ``personal-data-unpublished`` warning naming the fields: nothing is lost silently, and the
  officer knows to record the consent or remove the data.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from .problems import Hint, Problem

PERSONAL_KINDS = ("household_business", "cooperative_group")
CONSENTABLE = ("representative", "phone", "email", "street", "location")
KIND_NAMES = {"household_business": ("hộ kinh doanh", "household business"),
              "cooperative_group": ("tổ hợp tác", "cooperative group")}
FIELD_NAMES = {"representative": "người đại diện", "phone": "số điện thoại di động", "email": "thư điện tử",
               "street": "địa chỉ chi tiết (số nhà, thôn, bản)", "location": "toạ độ bản đồ"}
_MOBILE = re.compile(r"^(?:0|\+84)[35789]")


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


def public_product(product: dict, producer: dict | None) -> dict:
    """A product as published: its street only if its producer may publish a street."""
    address = product.get("address")
    if producer is None or not isinstance(address, dict) or "street" not in address or "street" in consented(producer):
        return product
    return {**product, "address": {k: v for k, v in address.items() if k != "street"}}


def public_catalogue(cat: Any) -> None:
    """Replace, in a catalogue being assembled, every record by its public form."""
    raw_producers = {rid: rec.data for rid, rec in cat.producers.items()}
    for rec in cat.producers.values():
        rec.data = public_producer(rec.data)
    for product in cat.products.values():
        product.data = public_product(product.data, raw_producers.get(product.data.get("producer")))


def check(checked) -> Iterator[Problem]:
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
