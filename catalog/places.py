"""Places after the 2025 reform: 34 provinces, 3,321 communes (Decision 19/2025/QĐ-TTg).

The list comes from the PyPI package ``vietnam-provinces`` (it carries exactly that list); the
63 former provinces, for addresses as certified, are our own data file
``catalog/data/former_provinces.yaml``.

Province folders are the province's short name folded to ASCII with hyphens (``lai-chau``,
``hai-phong``, ``ho-chi-minh``). Commune names are matched exactly after NFC, case folding and
the two tone-mark placements Vietnamese allows (``Hoà``/``Hòa``), so an officer typing the
modern spelling of an official name written the old way is not told it does not exist.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from vietnam_provinces import Province
from vietnam_provinces.lookup import WARD_MAPPING

DATA_DIR = Path(__file__).resolve().parent / "data"
_CITY_PREFIX = "Thành phố "


@dataclass(frozen=True)
class ProvinceInfo:
    name: str  # short name, as written in records: "Hải Phòng"
    full_name: str  # "Thành phố Hải Phòng"
    code: int
    folder: str  # "hai-phong"


def _fold_slow(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


# Precomposed Latin letters (all of Vietnamese) → their folded ASCII form, for str.translate:
# ~10× quicker than normalising every name (a national build folds ~40,000 names).
_FOLD_TABLE = {code: _fold_slow(chr(code)) for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))
               if _fold_slow(chr(code)).isascii() and _fold_slow(chr(code)) != chr(code)}


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII fold: 'Nước mắm Đồ Sơn' → 'nuoc mam do son' (search, folder names)."""
    fast = text.translate(_FOLD_TABLE).lower()
    return fast if fast.isascii() else _fold_slow(text)  # combining marks, other scripts: the long way


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


# Old-style tone placement (hoá, thuỷ) and new-style (hóa, thủy) name the same commune.
_TONE_PAIRS = {}
for _vowel_pair, _base in (("oa", "o"), ("oe", "o"), ("uy", "u")):
    for _mark in ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323"):
        _old = unicodedata.normalize("NFC", _vowel_pair[0] + _vowel_pair[1] + _mark)
        _new = unicodedata.normalize("NFC", _vowel_pair[0] + _mark + _vowel_pair[1])
        _TONE_PAIRS[_old] = _new


@lru_cache(maxsize=1 << 16)
def canonical(name: str) -> str:
    name = unicodedata.normalize("NFC", " ".join(name.split())).lower()
    for old, new in _TONE_PAIRS.items():
        name = name.replace(old, new)
    return name


@lru_cache(maxsize=None)
def provinces() -> dict[str, ProvinceInfo]:
    out = {}
    for p in Province.iter_all():
        short = p.name.removeprefix(_CITY_PREFIX)
        out[short] = ProvinceInfo(short, p.name, int(p.code), slug(short))
    return out


@lru_cache(maxsize=None)
def provinces_by_folder() -> dict[str, ProvinceInfo]:
    return {p.folder: p for p in provinces().values()}


@lru_cache(maxsize=None)
def _communes() -> dict[int, dict[str, str]]:
    """province code → {canonical commune name → official name}."""
    out: dict[int, dict[str, str]] = {}
    for ward in WARD_MAPPING.values():
        out.setdefault(int(ward.province_code), {})[canonical(ward.name)] = ward.name
    return out


def commune_count() -> int:
    return sum(len(v) for v in _communes().values())


def find_commune(province: str, commune: str) -> str | None:
    """The official name of ``commune`` in ``province``, or None."""
    info = provinces().get(province)
    if info is None:
        return None
    return _communes().get(info.code, {}).get(canonical(commune))


def suggest_commune(province: str, commune: str) -> str | None:
    info = provinces().get(province)
    if info is None:
        return None
    table = _communes().get(info.code, {})
    typed = canonical(commune)
    # the most common slip: the name without "Xã"/"Phường"/"Đặc khu"
    for prefix in ("xã ", "phường ", "đặc khu "):
        if prefix + typed in table:
            return table[prefix + typed]
    close = difflib.get_close_matches(typed, list(table), n=1, cutoff=0.75)
    return table[close[0]] if close else None


@lru_cache(maxsize=None)
def former_provinces() -> dict[str, str]:
    """The 63 pre-2025 provinces → the province each belongs to now."""
    with open(DATA_DIR / "former_provinces.yaml", encoding="utf-8") as fh:
        return dict(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["former_provinces"])


@lru_cache(maxsize=None)
def _certified_province_names() -> frozenset[str]:
    return frozenset({canonical(n) for n in former_provinces()} | {canonical(n) for n in provinces()})


def is_known_certified_province(name: str) -> bool:
    name = canonical(name.removeprefix("Tỉnh ").removeprefix("tỉnh ").removeprefix(_CITY_PREFIX))
    return name in _certified_province_names()


def suggest_province(name: str, names: list[str]) -> str | None:
    close = difflib.get_close_matches(canonical(name), [canonical(n) for n in names], n=1, cutoff=0.6)
    if not close:
        return None
    for n in names:
        if canonical(n) == close[0]:
            return n
    return None
