"""Typed records with derived values, built only from records that passed validation.

Derived values — certificate status for an as-of date, back-links (which sales points stock a
product, which villages make it) — are computed here and never written into the YAML.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from . import privacy
from ..reference import rulebook
from ..reference.collation import sort_key

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
    PENDING = "pending"  # decision dated after the as-of date, and no earlier certificate runs then

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def label_en(self) -> str:
        """The same in English ("which {label_en}": ``ocop validate --lang en``)."""
        return STATUS_LABELS_EN[self]

    @property
    def is_valid(self) -> bool:
        return self is Status.VALID or self is Status.EXPIRING


# "sản phẩm này {label}" (validator messages). "Hết hạn" alone next to a food reads as "past its
# use-by date", "đã thu hồi" as "recalled": say which paper lapsed or was withdrawn.
STATUS_LABELS = {
    Status.VALID: "có giấy chứng nhận OCOP còn hiệu lực",
    Status.EXPIRING: "có giấy chứng nhận OCOP sắp hết hiệu lực",
    Status.EXPIRED: "có giấy chứng nhận OCOP đã hết hiệu lực",
    Status.REVOKED: "đã bị thu hồi giấy chứng nhận OCOP",
    Status.WITHDRAWN: "đã rút khỏi danh mục OCOP",
    Status.PENDING: "có quyết định công nhận chưa có hiệu lực",
}
STATUS_LABELS_EN = {
    Status.VALID: "has a valid OCOP certificate",
    Status.EXPIRING: "has an OCOP certificate about to lapse",
    Status.EXPIRED: "has a lapsed OCOP certificate",
    Status.REVOKED: "had its OCOP certificate revoked",
    Status.WITHDRAWN: "was withdrawn from the OCOP catalogue",
    Status.PENDING: "has a recognition decision not yet in force",
}


def revocation_effective(record: dict[str, Any]) -> dt.date | None:
    """The day a revocation takes effect (``effective_from``, else the decision's date), or None."""
    revocation = record["certificate"].get("revocation")
    if not revocation:
        return None
    return dt.date.fromisoformat(revocation.get("effective_from") or revocation["decision"]["date"])


@dataclass(frozen=True)
class EarlierWindow:
    """When packs could carry an earlier rating's certificate: from its decision to the first of the
    day before the next rating's decision, its last valid day and the day before its revocation."""

    number: str | None  # its certificate number (None: not recorded)
    stars: int
    start: str  # ISO dates
    end: str
    ended_by: str  # "lapse" | "replaced" | "revoked"
    next_decision: str  # the next rating's decision date (ISO)


def earlier_windows(record: dict[str, Any]) -> list[EarlierWindow]:
    """One window per earlier rating, in the record's order (oldest first; probe, round five: the
    label page named every earlier number as good for any pack made before the current decision,
    a lapsed or revoked one included)."""
    ratings = [r for r in record.get("earlier_ratings", []) if isinstance(r, dict)]
    starts = [dt.date.fromisoformat(str(r["decision"]["date"])) for r in ratings]
    current = dt.date.fromisoformat(str(record["certificate"]["decision"]["date"]))
    out = []
    for i, r in enumerate(ratings):
        start = starts[i]
        following = min([d for d in starts if d > start] + [current])  # whatever order the record keeps them in
        ends = [(dt.date.fromisoformat(str(r["valid_until"])) if r.get("valid_until")
                 else rulebook.expected_valid_until(start), "lapse"),
                (following - dt.timedelta(days=1), "replaced")]
        revocation = r.get("revocation")
        if isinstance(revocation, dict):
            day = revocation.get("effective_from") or revocation["decision"]["date"]
            ends.append((dt.date.fromisoformat(str(day)) - dt.timedelta(days=1), "revoked"))
        end, why = min(ends, key=lambda e: e[0])
        out.append(EarlierWindow(r.get("certificate_number"), int(r["stars"]), start.isoformat(), end.isoformat(), why,
                                 following.isoformat()))
    return out


def lot_window(record: dict[str, Any], lot: dict[str, Any] | None) -> EarlierWindow | None:
    """The earlier rating a lot was made under (None: the current certificate, or none) — with or
    without its number on record (probe, round six: one without a number was skipped, and the lot's
    page told the shopper its packs must carry the current number)."""
    if not lot or not lot.get("produced_on"):
        return None
    made = str(lot["produced_on"])
    return next((w for w in earlier_windows(record) if w.start <= made <= w.end), None)


def earlier_in_force(record: dict[str, Any], day: dt.date) -> tuple[int, EarlierWindow] | None:
    """The earlier rating whose certificate is in force on ``day`` — (its index in
    ``earlier_ratings``, its window) — while the current certificate's decision takes effect later:
    a re-recognition decided ahead of the day it starts. None when the current certificate's
    decision has taken effect, or when no earlier certificate runs on ``day`` (it lapsed before the
    new one starts: a gap; or it was revoked — a window ends the day before its revocation takes
    effect, :func:`earlier_windows`). Round seven: such a product showed as "not yet in force"
    although its earlier certificate still ran."""
    if dt.date.fromisoformat(str(record["certificate"]["decision"]["date"])) <= day:
        return None
    ratings = [i for i, r in enumerate(record.get("earlier_ratings", [])) if isinstance(r, dict)]
    if not ratings:
        return None
    # the one the new decision replaces: the latest earlier decision (an older one was replaced by it)
    index, window = max(zip(ratings, earlier_windows(record)), key=lambda pair: pair[1].start)
    return (index, window) if window.start <= day.isoformat() <= window.end else None


def earlier_certificate(record: dict[str, Any], index: int) -> dict[str, Any]:
    """Earlier rating ``index`` in the shape of ``certificate`` (what a certificate block shows):
    its number None when not on record, its ``valid_until`` the recorded one or the rule's
    (36 months from its decision)."""
    r = record["earlier_ratings"][index]
    decided = dt.date.fromisoformat(str(r["decision"]["date"]))
    until = str(r["valid_until"]) if r.get("valid_until") else rulebook.expected_valid_until(decided).isoformat()
    out = {"stars": int(r["stars"]), "number": r.get("certificate_number"), "decision": r["decision"],
           "valid_until": until}
    out.update({k: r[k] for k in ("score", "deciding_body", "legal_basis") if k in r})
    return out


def withdrawal_effective(record: dict[str, Any]) -> dt.date | None:
    """The day a product leaves the catalogue (``status_date``; withdrawn without a date: always),
    or None when it is not withdrawn."""
    if record.get("status") != "withdrawn":
        return None
    return dt.date.fromisoformat(record["status_date"]) if record.get("status_date") else dt.date.min


def may_carry_label(product: Any) -> bool:
    """May a label be printed for ``product`` (a Product)? Only with a valid certificate that no
    revocation or withdrawal already on record will end (the label would outlive it), and not while
    an earlier certificate runs until a re-recognition takes effect (round seven: the label would
    carry the earlier number and stars for a few days, then contradict its page). The reason
    when not: catalog/print/labels.py ``refusal`` (tests/test_lang.py checks the two agree)."""
    return (product.status.is_valid and product.earlier is None and revocation_effective(product.data) is None
            and withdrawal_effective(product.data) is None)


def certificate_status(record: dict[str, Any], as_of: dt.date) -> Status:
    """Status of a product's current certificate on ``as_of`` (see Status). A revocation or a
    withdrawal counts from its effective date: before it the certificate is what its dates say.
    Before a re-recognition decided ahead takes effect, the earlier certificate that still runs
    decides (:func:`earlier_in_force`; round seven): valid to its last day; pending only in a gap
    between the two (the earlier one lapsed or was revoked before the new one starts)."""
    withdrawn = withdrawal_effective(record)
    if withdrawn is not None and withdrawn <= as_of:
        return Status.WITHDRAWN
    revoked = revocation_effective(record)
    if revoked is not None and revoked <= as_of:
        return Status.REVOKED
    cert = record["certificate"]
    decided = dt.date.fromisoformat(cert["decision"]["date"])
    if decided > as_of:
        # valid, not "expiring", to its last day: a renewal is decided (and catalog/checks/rules.py
        # words "expiring" with the record's own certificate's dates)
        return Status.PENDING if earlier_in_force(record, as_of) is None else Status.VALID
    valid_until = dt.date.fromisoformat(cert["valid_until"])
    if valid_until < as_of:
        return Status.EXPIRED
    if (valid_until - as_of).days <= rulebook.expiring_within_days():
        return Status.EXPIRING
    return Status.VALID


def certificate_timeline(record: dict[str, Any], as_of: dt.date) -> list[tuple[dt.date, Status, int | None]]:
    """The certificate's status from ``as_of`` on, as (first day, status, earlier) triples, the
    first on ``as_of``: every change the record's own dates already decide (a decision taking
    effect, the expiring window, the lapse, a revocation or withdrawal dated later). ``earlier`` is
    the index in ``earlier_ratings`` of the certificate in force while a re-recognition decided
    ahead has not yet taken effect (:func:`earlier_in_force`), else None: the current
    certificate's facts. The page's status check (catalog/site/status.py) picks the entry for the
    reader's day, so browser and build agree by construction."""
    cert = record["certificate"]
    valid_until = dt.date.fromisoformat(cert["valid_until"])
    days = {dt.date.fromisoformat(cert["decision"]["date"]), valid_until + dt.timedelta(days=1),
            valid_until - dt.timedelta(days=rulebook.expiring_within_days()),
            revocation_effective(record), withdrawal_effective(record)}
    for w in earlier_windows(record):
        days |= {dt.date.fromisoformat(w.start), dt.date.fromisoformat(w.end) + dt.timedelta(days=1)}
    out: list[tuple[dt.date, Status, int | None]] = []
    for day in [as_of] + sorted(d for d in days if d is not None and d > as_of):
        status = certificate_status(record, day)
        earlier = earlier_in_force(record, day) if status.is_valid else None
        step = (day, status, earlier[0] if earlier else None)
        if not out or out[-1][1:] != step[1:]:
            out.append(step)
    return out


def status_timeline(record: dict[str, Any], as_of: dt.date) -> list[tuple[dt.date, Status]]:
    """:func:`certificate_timeline` without saying which certificate: the days the status changes."""
    out: list[tuple[dt.date, Status]] = []
    for day, status, _ in certificate_timeline(record, as_of):
        if not out or out[-1][1] is not status:
            out.append((day, status))
    return out


def lot_expired(lot: dict[str, Any], as_of: dt.date) -> bool:
    """A lot is past its use-by date from the day after ``expires_on``."""
    return "expires_on" in lot and dt.date.fromisoformat(lot["expires_on"]) < as_of


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
    # the index in earlier_ratings of the certificate in force on the catalogue's as-of date while a
    # re-recognition decided ahead has not taken effect (earlier_in_force), else None
    earlier: int | None = None

    @property
    def certificate(self) -> dict[str, Any]:
        """The certificate in force on the catalogue's as-of date, as listings and cards show it:
        the record's ``certificate``, or the earlier one that still runs (round seven)."""
        if self.earlier is None:
            return self.data["certificate"]
        return earlier_certificate(self.data, self.earlier)

    @cached_property
    def stars(self) -> int:
        # read ~40 times per product by a build's listings, facets and statistics (600,000 times at
        # 15,000 products, 0.6 s: issue #27); a catalogue's records are not changed once assembled
        return int(self.certificate["stars"])

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

    # listing_rank's cache: (the products table it was made from, its size, the ranks)
    _rank: tuple | None = field(default=None, init=False, repr=False, compare=False)
    # results of pure functions of the records that several pages ask for, keyed by their arguments
    # (catalog/figures/stats.py ``catalogue_events``); a catalogue is not changed once assembled
    memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def sample_data(self) -> bool:
        return bool(self.config.get("sample_data"))

    def listing_rank(self) -> dict[str, int]:
        """Product id → its place in the order of every product listing: valid first, more stars
        first, then name in Vietnamese order (catalog/reference/collation.py), then id — a total
        order, so a listing of any subset sorted by rank is that subset sorted by the full key.
        Made once per catalogue (issue #27: ~150 listings in each language sorted 90,000 products
        by that key on every build, ~1 s at 15,000); made again if the products table is replaced
        or grows (a catalogue is not changed in place once assembled)."""
        if self._rank is None or self._rank[0] is not self.products or self._rank[1] != len(self.products):
            ordered = sorted(self.products.values(),
                             key=lambda p: (not p.status.is_valid, -p.stars, sort_key(p.name), p.id))
            self._rank = (self.products, len(self.products), {p.id: i for i, p in enumerate(ordered)})
        return self._rank[2]

    def table(self, kind: str) -> dict[str, Record]:
        return {  # type: ignore[return-value]
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
            earlier = earlier_in_force(rec.data, as_of) if product.status.is_valid else None
            product.earlier = earlier[0] if earlier else None
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
    privacy.public_catalogue(cat)  # every output is made from the published form (catalog/records/privacy.py)
    return cat
