"""The OCOP rules, the product taxonomy and the deciding bodies, read from ``catalog/data/*.yaml``.

Code asks questions ("who may recognise 4 stars on this date?", "who signs for the former UBND tỉnh
Hà Giang today?"); the answers are data, so a correction to a rule is an edit to a YAML table,
reviewed like any other. Adding a legal basis, a product set or a deciding body needs no code
(tests/test_rules_data.py adds each from a fixture). ``DATA_DIR`` can be pointed elsewhere (then
call :func:`reload`) — the tests do that; the tool always reads its own tables.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import yaml

from . import paths

DATA_DIR = paths.DATA_DIR
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader)


@lru_cache(maxsize=None)
def rules() -> dict:
    return _read("ocop_rules.yaml")


@lru_cache(maxsize=None)
def taxonomy() -> dict:
    return _read("taxonomy.yaml")


@lru_cache(maxsize=None)
def _bodies_table() -> dict:
    return _read("deciding_bodies.yaml")


def reload() -> None:
    """Forget every table read so far (after ``DATA_DIR`` changed)."""
    for fn in (rules, taxonomy, _bodies_table, _bodies, all_set_codes, all_group_codes, parse_body, _legal_basis):
        fn.cache_clear()
    for forget in _ON_RELOAD:  # the schemas take their code lists from these tables (catalog/records/schemas.py)
        forget()


_ON_RELOAD: list[Callable[[], None]] = []


def on_reload(forget: Callable[[], None]) -> None:
    """Call ``forget`` on :func:`reload`: how a module built from these tables (the schemas) hears of
    it without the rule data importing the records package (issue #23: no import back up)."""
    _ON_RELOAD.append(forget)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if text else None


# --- legal bases ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class LegalBasis:
    code: str
    title: str
    in_force_from: dt.date
    replaced_on: dt.date | None
    taxonomy: str
    check: bool = False  # not confirmed from the decision text ([check] in ocop_rules.yaml)
    amends: str | None = None  # the basis this one amends ("148+1489/2025" amends "148/2023"): not a successor


def legal_basis_codes() -> list[str]:
    return list(rules()["legal_bases"])


def legal_basis_list(with_titles: bool = False) -> str:
    """The legal bases of ``ocop_rules.yaml`` as one phrase, in their order — what the import column
    vocabulary says (``{legal_bases}`` in its text, filled here: a new legal basis is an edit to the
    data only, issue #23)."""
    return ", ".join(f"{code} ({raw['title']})" if with_titles else code for code, raw in rules()["legal_bases"].items())


def legal_basis(code: str) -> LegalBasis:
    return _legal_basis(code)


@lru_cache(maxsize=None)
def _legal_basis(code: str) -> LegalBasis:
    raw = rules()["legal_bases"][code]
    return LegalBasis(code, raw["title"], _day(raw["in_force_from"]), _day(raw.get("replaced_on")),  # type: ignore[arg-type]
                      raw["taxonomy"], bool(raw.get("check")), raw.get("amends"))


def amendments(code: str) -> list[dict]:
    """The amendments of a legal basis, oldest first ({'code', 'date', 'what', 'what_en'}): an amended
    basis stays in force (issue #25: 1489/QĐ-TTg amends 148/QĐ-TTg, it does not replace it)."""
    return [dict(entry) for entry in rules()["legal_bases"][code].get("amended_by", [])]


def legal_basis_on(day: dt.date) -> str | None:
    """The legal basis in force on ``day`` (the newest one that had come into force)."""
    best = None
    for code in legal_basis_codes():
        basis = legal_basis(code)
        if basis.in_force_from <= day and (best is None or basis.in_force_from >= best.in_force_from):
            best = basis
    return best.code if best else None


# --- taxonomy ------------------------------------------------------------------------------------
def groups_for(basis: str) -> dict[str, dict]:
    """Group (or 1048 sector) code → its entry, for a legal basis."""
    return taxonomy()[legal_basis(basis).taxonomy]


def _taxonomies() -> list[str]:
    return sorted({raw["taxonomy"] for raw in rules()["legal_bases"].values()})


@lru_cache(maxsize=None)
def all_group_codes() -> tuple[str, ...]:
    return tuple(code for table in _taxonomies() for code in taxonomy()[table])


@lru_cache(maxsize=None)
def all_set_codes() -> tuple[str, ...]:
    return tuple(code for table in _taxonomies() for group in taxonomy()[table].values()
                 for code in group.get("sets", {}))


def group_name(code: str, lang: str = "vi") -> str:
    for table in _taxonomies():
        if code in taxonomy()[table]:
            entry = taxonomy()[table][code]
            return entry["name_en"] if lang == "en" and entry.get("name_en") else entry["name"]
    return code


def product_set(group: str, code: str) -> dict | None:
    for table in _taxonomies():
        entry = taxonomy()[table].get(group, {}).get("sets", {}).get(code)
        if entry is not None:
            return entry
    return None


def product_set_name(group: str, code: str, lang: str = "vi") -> str:
    entry = product_set(group, code)
    if entry is None:
        return code
    return entry["name_en"] if lang == "en" and entry.get("name_en") else entry["name"]


def retired_set(code: str) -> list[str] | None:
    """The codes to use instead of a retired product-set code, or None if it was never retired."""
    entry = taxonomy().get("retired_sets", {}).get(code)
    return list(entry["use"]) if entry else None


# --- stars and scores ----------------------------------------------------------------------------
def star_band(stars: int) -> tuple[float, float | None]:
    """(lowest score of the band, lowest score of the next band or None for 5★)."""
    bands = rules()["star_bands"]
    return float(bands[stars]), (float(bands[stars + 1]) if stars + 1 in bands else None)


def stars_for_score(score: float) -> int:
    """The highest band whose lowest score ``score`` reaches (89.5 → 4, 90 → 5)."""
    best = None
    for stars, low in rules()["star_bands"].items():
        if score >= low and (best is None or stars > best):
            best = int(stars)
    if best is None:
        raise ValueError(score)
    return best


def score_decimals() -> int:
    return int(rules()["score_decimals"])


def potential_five_star_score() -> float:
    return float(rules()["potential_five_star_score"])


def potential_five_star(cert: dict) -> bool:
    """A 4★ recognised by the province with at least the 5★ score: put forward to the central
    council, shown as "tiềm năng 5 sao" (a fact of the certificate, not a fifth star)."""
    score = cert.get("score")
    return (int(cert.get("stars", 0)) == 4 and score is not None and score >= potential_five_star_score()
            and (cert.get("deciding_body") or {}).get("level") == "province")


def certificate_months() -> int:
    return int(rules()["certificate_months"])


def expected_valid_until(decision_date: dt.date) -> dt.date:
    """The usual last day of a certificate: decision date + 36 months − 1 day."""
    return add_months(decision_date, certificate_months()) - dt.timedelta(days=1)


def valid_until_tolerance() -> int:
    return int(rules()["valid_until_tolerance_days"])


def expiring_within_days() -> int:
    return int(rules()["expiring_within_days"])


def deciding_levels(decision_date: dt.date, stars: int) -> dict[str, str] | None:
    """{'province': 'ok', 'district': 'warning', ...} in force on a date, or None before 1048."""
    for period in rules()["deciding_levels"]:
        start = dt.date.fromisoformat(period["from"])
        end = dt.date.fromisoformat(period["until"]) if period["until"] else None
        if start <= decision_date and (end is None or decision_date < end):
            return period["stars"].get(stars)
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


LEVEL_NAMES = {"central": "trung ương", "province": "tỉnh", "district": "huyện"}


# --- sales-point criteria ------------------------------------------------------------------------
def sales_point_criteria(code: str) -> tuple[dt.date, dt.date | None, str] | None:
    raw = rules().get("sales_point_criteria", {}).get(code)
    if raw is None:
        return None
    return _day(raw["in_force_from"]), _day(raw.get("replaced_on")), raw["title"]  # type: ignore[return-value]


def sales_point_kinds(code: str) -> tuple[str, ...] | None:
    """The kinds of place a sales-point criteria decision lists (None: the table does not say)."""
    raw = rules().get("sales_point_criteria", {}).get(code)
    return tuple(raw["kinds"]) if raw is not None and raw.get("kinds") is not None else None


def first_sales_point_criteria() -> tuple[str, dt.date] | None:
    """The oldest sales-point criteria and the day it came into force (nothing was recognised before)."""
    table = rules().get("sales_point_criteria", {})
    dated = sorted((dt.date.fromisoformat(str(raw["in_force_from"])), code) for code, raw in table.items())
    return (dated[0][1], dated[0][0]) if dated else None


# --- deciding bodies -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Body:
    """A deciding body as the table knows it."""

    name: str  # as decisions print it: "UBND tỉnh Lạng Sơn"
    level: str  # central | province | district
    province: str | None  # the provincial unit it belongs to (former or current name); None: central
    start: dt.date | None  # first day it could sign (None: before OCOP)
    end: dt.date | None  # last day it could sign (None: still exists)
    successor: str | None  # who holds its function after ``end`` ("province": its province's UBND)
    decision_suffix: str | None = None  # the part after "QĐ-" its decisions carry, when known
    decision_suffix_check: bool = False  # that form is not confirmed from a decision ([check])


@dataclass(frozen=True)
class BodyName:
    """A typed body name, understood: the table entry when one matches."""

    typed: str
    level: str | None  # what the name says: central | province | district; None: not understood
    place: str | None  # the place named after "UBND tỉnh/huyện …"
    place_kind: str | None  # tỉnh | thành phố | huyện | quận | thị xã
    body: Body | None  # the province-level or central entry; None for districts and unknown names


_SPACES = re.compile(r"[\s\-–—.,]+")


def _key(text: str) -> str:
    """Compare names: NFC, lower case, one tone placement, dashes/dots/spaces as one space."""
    from .places import canonical  # start-up: places costs ~30 ms to import and `ocop --help` imports this module

    return _SPACES.sub(" ", canonical(unicodedata.normalize("NFC", text))).strip()


_UBND = re.compile(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+(.*)$")
_KINDS = (("thành phố", "thành phố"), ("tp", "thành phố"), ("tỉnh", "tỉnh"), ("huyện", "huyện"),
          ("quận", "quận"), ("thị xã", "thị xã"), ("tx", "thị xã"))


@lru_cache(maxsize=None)
def _bodies() -> tuple[dict[str, Body], dict[str, list[Body]]]:
    """(central name/alias key → Body, province-name key → its provincial UBNDs over time)."""
    table = _bodies_table()
    central: dict[str, Body] = {}
    for raw in table.get("central", []):
        body = Body(raw["name"], "central", None, _day(raw.get("from")), _day(raw.get("until")),
                    raw.get("successor"), raw.get("decision_suffix"), bool(raw.get("decision_suffix_check")))
        for name in [raw["name"], *raw.get("aliases", [])]:
            central[_key(name)] = body
    provinces: dict[str, list[Body]] = {}
    for raw in table.get("provinces", []):
        body = Body(raw["name"], "province", raw["province"], _day(raw.get("from")), _day(raw.get("until")),
                    raw.get("successor"))
        provinces.setdefault(_key(raw["province"]), []).append(body)
    return central, provinces


def province_ceased(province: str, on: dt.date) -> tuple[dt.date, str | None] | None:
    """(last day, who holds its function on ``on``) when no UBND of the provincial unit called
    ``province`` (a former or current short name) could sign on ``on`` because the unit had ended —
    Hà Giang on 30/06/2025, Thừa Thiên Huế on 31/12/2024; None while one could, or for a unit the
    table does not know. A province that became a city (Quảng Ninh) has not ended: its name goes on."""
    entries = _bodies()[1].get(_key(province), [])
    if not entries:
        return None
    if any((b.start is None or b.start <= on) and (b.end is None or on <= b.end) for b in entries):
        return None
    ended = [b for b in entries if b.end is not None and b.end < on]
    if not ended or any(b.start is not None and b.start > on for b in entries):
        return None
    last = max(ended, key=lambda b: b.end)  # type: ignore[arg-type,return-value]
    return last.end, body_successor(last.name, on)  # type: ignore[return-value]


def district_body_until() -> dt.date | None:
    return _day(_bodies_table().get("district", {}).get("until"))


@lru_cache(maxsize=4096)  # a national catalogue names a few hundred bodies, on a few thousand dates
def parse_body(name: str, on: dt.date | None = None) -> BodyName:
    """Understand a deciding body's name: 'UBND tỉnh Lạng Sơn', 'Ủy ban nhân dân TP. Hải Phòng',
    'UBND huyện Sìn Hồ', 'Bộ NN&PTNT'. A 'thành phố' is provincial only when the table has a
    provincial UBND of that name (Hải Phòng); otherwise it is a city within a province (district
    level: 'UBND thành phố Lạng Sơn')."""
    central, provinces = _bodies()
    key = _key(name)
    if key in central:
        return BodyName(name, "central", None, None, central[key])
    match = _UBND.match(key)
    if not match:
        return BodyName(name, None, None, None, None)
    rest = match.group(1)
    kind = place = None
    for prefix, kind_name in _KINDS:
        if rest.startswith(prefix + " "):
            kind, place = kind_name, rest[len(prefix) + 1:].strip()
            break
    if place is None:
        return BodyName(name, None, None, None, None)
    typed_place = name[len(name) - len(place):] if len(name) >= len(place) else place
    if kind in ("tỉnh", "thành phố") and _key(place) in provinces:
        candidates = provinces[_key(place)]
        same_kind = [b for b in candidates if _key(b.name).startswith(f"ubnd {kind} ")]
        # "thành phố Bắc Ninh" in 2024 was the city inside Bắc Ninh province (district level): the
        # provincial city of that name only exists from its start date (``on``: the decision's date)
        if kind == "thành phố" and on is not None and same_kind and all(b.start and on < b.start for b in same_kind):
            return BodyName(name, "district", typed_place, kind, None)
        if kind == "tỉnh" or same_kind:
            return BodyName(name, "province", typed_place, kind, (same_kind or candidates)[0])
    if kind == "tỉnh":
        return BodyName(name, "province", typed_place, kind, None)
    return BodyName(name, "district", typed_place, kind, None)


def provincial_body(province: str, on: dt.date) -> Body | None:
    """The provincial UBND of ``province`` (a former or current name) that could sign on ``on``."""
    def active(body: Body) -> bool:
        return (body.start is None or body.start <= on) and (body.end is None or on <= body.end)

    entries = _bodies()[1].get(_key(province), [])
    for body in entries:
        if active(body):
            return body
    # before the unit took this form: the body it succeeded (UBND tỉnh Thừa Thiên Huế for Huế in 2024)
    names = {_key(b.name) for b in entries}
    for bodies in _bodies()[1].values():
        for body in bodies:
            if body.successor and _key(body.successor) in names and active(body):
                return body
    return entries[-1] if entries else None


def body_successor(name: str, on: dt.date, province: str | None = None) -> str | None:
    """Who holds the function of the body called ``name`` on ``on``; None while it still exists.

    'UBND tỉnh Hà Giang' → 'UBND tỉnh Tuyên Quang'; 'Bộ Nông nghiệp và Phát triển nông thôn' →
    'Bộ Nông nghiệp và Môi trường'; a district UBND → the UBND of its province today (``province``:
    the province named on the certificate, a former name is followed to the current one). Chains are
    followed (UBND tỉnh Thừa Thiên Huế → UBND thành phố Huế)."""
    parsed = parse_body(name)
    if parsed.level == "district":
        end = district_body_until()
        if end is None or on <= end or province is None:
            return None
        from .places import former_provinces  # start-up: as in _key

        current = former_provinces().get(province, province)
        body = provincial_body(current, on)
        return body.name if body else None
    body = parsed.body
    seen = 0
    while body is not None and body.end is not None and on > body.end and seen < 10:
        seen += 1
        successor = body.successor
        if successor is None:
            return None
        following = parse_body(successor).body
        if following is None or following.end is None or on <= following.end:
            return successor
        body = following
    return None if seen == 0 else (body.name if body else None)
