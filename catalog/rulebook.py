"""The OCOP rules and the product taxonomy, read from ``catalog/data/*.yaml``.

Code asks questions ("who may recognise 4 stars on this date?"); the answers are data, so a
correction to a rule is an edit to a YAML table, reviewed like any other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
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


@dataclass(frozen=True)
class LegalBasis:
    code: str
    title: str
    in_force_from: dt.date
    replaced_on: dt.date | None
    taxonomy: str


def legal_basis(code: str) -> LegalBasis:
    raw = rules()["legal_bases"][code]
    return LegalBasis(
        code,
        raw["title"],
        dt.date.fromisoformat(raw["in_force_from"]),
        dt.date.fromisoformat(raw["replaced_on"]) if raw["replaced_on"] else None,
        raw["taxonomy"],
    )


def groups_for(basis: str) -> dict[str, dict]:
    """Group (or 1048 sector) code → its entry, for a legal basis."""
    return taxonomy()[legal_basis(basis).taxonomy]


def group_name(code: str) -> str:
    for table in ("groups_148", "sectors_1048"):
        if code in taxonomy()[table]:
            return taxonomy()[table][code]["name"]
    return code


def product_set_name(group: str, code: str) -> str:
    return taxonomy()["groups_148"].get(group, {}).get("sets", {}).get(code, code)


def star_band(stars: int) -> tuple[int, int]:
    low, high = rules()["star_bands"][stars]
    return low, high


def stars_for_score(score: int) -> int:
    for stars, (low, high) in rules()["star_bands"].items():
        if low <= score <= high:
            return int(stars)
    raise ValueError(score)


def certificate_months() -> int:
    return int(rules()["certificate_months"])


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
