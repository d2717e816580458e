"""Language and formatting: the interface strings of each language, and dates and numbers as each
language writes them. The one place outputs (pages, open data, labels, the booklet) take words,
dates and numbers from, so that none of them imports another for a formatting helper.

Vietnamese: 01/12/2026, 90,75, 14.642. English: 1 December 2026 (never 12/01/2026, which an
American reads as the 1st of December and a Briton as the 12th of January), 90.75, 14,642.
``ui.<lang>.yaml`` holds the strings of one language; every edition has the same keys
(tests/test_site.py checks it).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import yaml

from .paths import DATA_DIR

LANGS = ("vi", "en")
DEFAULT = "vi"
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


@lru_cache(maxsize=None)
def ui(lang: str = DEFAULT) -> dict:
    """The interface strings of ``lang`` (catalog/data/ui.<lang>.yaml)."""
    if lang not in LANGS:
        raise ValueError(f"no interface strings for language {lang!r}")
    with open(DATA_DIR / f"ui.{lang}.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def site_title(config: dict, lang: str = DEFAULT) -> str:
    """The catalogue's name in ``lang``: ocop.yaml ``title_<lang>`` when given, else ``title``."""
    return (config.get(f"title_{lang}") if lang != DEFAULT else None) or config["title"]


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def date(value: str | dt.date, lang: str = DEFAULT) -> str:
    """A day as the language writes it: '01/12/2026' (vi), '1 December 2026' (en)."""
    day = _day(value)
    if lang == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day:02d}/{day.month:02d}/{day.year}"  # strftime("%d/%m/%Y"), a fifth of its time


def vn_date(value: str | dt.date) -> str:
    return date(value, "vi")


def score(value: float | int, lang: str = DEFAULT) -> str:
    """A score: 90,75 (vi) / 90.75 (en); 81, never 81.0."""
    text = f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)
    return text if lang == "en" else text.replace(".", ",")


def vn_number(value: float | int) -> str:
    return score(value, "vi")


def number(value: int | float, lang: str = DEFAULT) -> str:
    """A count or a figure: 14.642 and 45,3 (vi); 14,642 and 45.3 (en)."""
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text if lang == "en" else text.replace(".", ",")
    text = f"{value:,}"
    return text if lang == "en" else text.replace(",", ".")
