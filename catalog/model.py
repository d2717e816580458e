"""Typed records with derived values, built only from records that passed validation.

Derived values — certificate status for an as-of date, back-links (which sales points stock a
product, which villages make it) — are computed here and never written into the YAML.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from . import privacy, rulebook

TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> dt.date:
    """Today in Vietnam: the default as-of date."""
    return dt.datetime.now(TIMEZONE).date()


class Status(str, enum.Enum):
    """Certificate status on a date. Never stored: computed for an explicit as-of date."""

    VALID = "valid"
    EXPIRING = "expiring"  # valid, lapses within rulebook.expiring_within_days()
    EXPIRED = "expired"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"
    PENDING = "pending"  # decision dated after the as-of date

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_valid(self) -> bool:
        return self is Status.VALID or self is Status.EXPIRING


STATUS_LABELS = {
    Status.VALID: "còn hiệu lực",
    Status.EXPIRING: "sắp hết hạn",
    Status.EXPIRED: "hết hạn",
    Status.REVOKED: "đã thu hồi",
    Status.WITHDRAWN: "đã rút khỏi danh mục",
    Status.PENDING: "chưa có hiệu lực",
}


def certificate_status(record: dict[str, Any], as_of: dt.date) -> Status:
    """Status of a product's current certificate on ``as_of`` (see Status)."""
    if record.get("status") == "withdrawn":
        return Status.WITHDRAWN
    cert = record["certificate"]
    revocation = cert.get("revocation")
    if revocation and dt.date.fromisoformat(revocation["decision"]["date"]) <= as_of:
        return Status.REVOKED
    decided = dt.date.fromisoformat(cert["decision"]["date"])
    if decided > as_of:
        return Status.PENDING
    valid_until = dt.date.fromisoformat(cert["valid_until"])
    if valid_until < as_of:
        return Status.EXPIRED
    if (valid_until - as_of).days <= rulebook.expiring_within_days():
        return Status.EXPIRING
    return Status.VALID


@dataclass
class Record:
    kind: str  # product | producer | sales_point | village
    id: str
    folder: str  # province folder, e.g. "lai-chau"
    file: str  # path relative to the data root, with / separators
    data: dict[str, Any]

    @property
    def name(self) -> str:
        return self.data["name"]


@dataclass
class Product(Record):
    status: Status = Status.VALID
    sales_points: list[str] = field(default_factory=list)
    villages: list[str] = field(default_factory=list)

    @property
    def stars(self) -> int:
        return int(self.data["certificate"]["stars"])

    @property
    def potential_five_star(self) -> bool:
        return rulebook.potential_five_star(self.data["certificate"])

    @property
    def valid_until(self) -> dt.date:
        return dt.date.fromisoformat(self.data["certificate"]["valid_until"])


@dataclass
class Catalogue:
    as_of: dt.date
    config: dict[str, Any]
    products: dict[str, Product] = field(default_factory=dict)
    producers: dict[str, Record] = field(default_factory=dict)
    sales_points: dict[str, Record] = field(default_factory=dict)
    villages: dict[str, Record] = field(default_factory=dict)

    @property
    def sample_data(self) -> bool:
        return bool(self.config.get("sample_data"))

    def table(self, kind: str) -> dict[str, Record]:
        return {
            "product": self.products,
            "producer": self.producers,
            "sales_point": self.sales_points,
            "village": self.villages,
        }[kind]


def build_catalogue(records: list[Record], config: dict[str, Any], as_of: dt.date) -> Catalogue:
    """Assemble valid records into a catalogue with statuses and back-links (sorted, stable)."""
    cat = Catalogue(as_of=as_of, config=config)
    for rec in sorted(records, key=lambda r: (r.kind, r.id)):
        if rec.kind == "product":
            product = Product(rec.kind, rec.id, rec.folder, rec.file, rec.data)
            product.status = certificate_status(rec.data, as_of)
            cat.products[rec.id] = product
        else:
            cat.table(rec.kind)[rec.id] = rec
    for sp in cat.sales_points.values():
        for pid in sp.data.get("products", []):
            if pid in cat.products:
                cat.products[pid].sales_points.append(sp.id)
    for village in cat.villages.values():
        for pid in village.data.get("products", []):
            if pid in cat.products:
                cat.products[pid].villages.append(village.id)
    privacy.public_catalogue(cat)  # every output is made from the published form (catalog/privacy.py)
    return cat
