"""Places: provinces and communes in force, those before the 2025 reform, and old → new addresses.

**What.** Since 1 Jul 2025 Vietnam has 34 provincial units and no district level; its communes,
wards and special zones carry NSO codes under Decision 19/2025/QĐ-TTg (never reused). Before, there
were 63 provinces, 696 districts and 10,051 communes, wards and towns. All of that, and the official
conversion from each old ward to the commune(s) it went to (with the "partly merged" flag of a
ward split between several), is read from one committed file, ``catalog/data/places_2025.json``.

**Decision: a committed snapshot, not a package, at run time.** The file is written by
``tools/make_places_data.py`` from the PyPI package ``vietnam-provinces`` 2026.9.0 (by Nguyễn Hồng
Quân, from the lists of the General Statistics Office; data of 20 Sep 2026, so it includes the
changes since the reform, such as Quảng Ninh, Bắc Ninh and Đồng Nai becoming "Thành phố"). Why:

* one behaviour, and byte-identical builds, on every supported Python: vietnam-provinces 2026.x
  needs Python >= 3.12, so Python 3.11 (Debian 12) could only install 2025.10.1, whose modules are
  laid out differently and whose list differs in 152 ward codes and ~20 names;
* no dependency that one of our Pythons cannot install, and a start-up that reads 0.6 MB of JSON
  instead of importing 1.5 MB modules;
* a change of the official lists arrives as a reviewed diff of the data file (one unit a line),
  never silently with ``pip install -U``.

The package stays a bounded test dependency (``vietnam-provinces>=2026.9,<2027`` for Python >= 3.12
only): there tests/test_places_data.py regenerates the file and compares it byte for byte. Weighed
and left: ``vietnam-address-converter`` (parses free-text addresses well, but takes 10–20 s to load
its 10 MB module — too slow for ``ocop validate``) and ``vietnamadminunits`` (pulls shapely and
geopy). Administrative division lists are official documents; we credit the package that
collected them. The list of former units is the one in force just before 1 Jul 2025: a ward merged
away earlier (2019–2024 mergers) is not in it, and 28 wards of it have no row in the official
conversion table (``convert`` says ``no-conversion``, never a guess).

**Names.** Province folders are the province's short name folded to ASCII with hyphens
(``lai-chau``, ``hai-phong``, ``ho-chi-minh``). Names are compared after NFC, case folding, one space
between words, ASCII dashes and apostrophes, and either of the two tone-mark placements Vietnamese
allows (``Hoà``/``Hòa``), so an officer typing the modern spelling of an official name written the
old way is not told it does not exist. A province name may also carry "tỉnh", "thành phố" or "TP."
in front (``normalise_province``); spellings no rule covers are data in
``catalog/data/province_spellings.yaml``.

**Old → new addresses** (for the rules and for the importer): ``parse_old_address`` splits a
certificate's address into street, commune, district and province; ``convert`` turns it into the
commune in force — exactly one, or the candidates when the old ward was split, or when the name
exists in several former districts and the address names none. It never picks a commune across a
former district: with a district in the address only that district's wards are considered.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

import yaml

from . import paths
from .errors import CatalogError

DATA_DIR = paths.DATA_DIR
PLACES_FILE = DATA_DIR / "places_2025.json"


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
# Typographic dashes and apostrophes (pasted from a certificate) → ASCII.
_PUNCT = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-",
                        "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-"})


@lru_cache(maxsize=1 << 16)
def canonical(name: str) -> str:
    """The form names are compared in: 'Xã  Chiêm Hoá' and 'xã chiêm hóa' give the same."""
    name = unicodedata.normalize("NFC", " ".join(name.split())).translate(_PUNCT).lower()
    if "-" in name:
        name = re.sub(r"\s*-\s*", " - ", name)
    for old, new in _TONE_PAIRS.items():
        name = name.replace(old, new)
    return name


# --- the data file ------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _data() -> dict:
    return json.loads(PLACES_FILE.read_bytes())


@lru_cache(maxsize=None)
def provinces() -> dict[str, ProvinceInfo]:
    """The provinces in force by short name ("Lai Châu")."""
    return {short: ProvinceInfo(short, full, code, slug(short)) for code, short, full in _data()["provinces"]}


@lru_cache(maxsize=None)
def provinces_by_folder() -> dict[str, ProvinceInfo]:
    return {p.folder: p for p in provinces().values()}


@lru_cache(maxsize=None)
def _province_names() -> dict[int, str]:
    return {code: short for code, short, _ in _data()["provinces"]}


@dataclass(frozen=True)
class Commune:
    """A commune, ward or special zone in force."""

    code: int  # NSO code (Decision 19/2025/QĐ-TTg)
    name: str  # "Xã Hữu Liên"
    province: str  # "Lạng Sơn"


@lru_cache(maxsize=None)
def communes() -> dict[int, Commune]:
    """Every commune, ward and special zone in force, by NSO code."""
    names = _province_names()
    return {code: Commune(code, name, names[province]) for code, province, name in _data()["communes"]}


@lru_cache(maxsize=None)
def _communes() -> dict[int, dict[str, str]]:
    """province code → {canonical commune name → official name}."""
    out: dict[int, dict[str, str]] = {}
    for _code, province, name in _data()["communes"]:
        out.setdefault(province, {})[canonical(name)] = name
    return out


def find_commune(province: str, commune: str) -> str | None:
    """The official name of ``commune`` in ``province`` (in force), or None."""
    info = provinces().get(province)
    if info is None:
        return None
    return _communes().get(info.code, {}).get(canonical(commune))


@lru_cache(maxsize=None)
def _communes_in(province: int) -> tuple[Commune, ...]:
    name = _province_names()[province]
    return tuple(c for c in communes().values() if c.province == name)


def communes_in(province: str) -> list[str]:
    """The official names of the communes in force of a province (its short name), in code order."""
    info = provinces().get(province)
    return [c.name for c in _communes_in(info.code)] if info is not None else []


@lru_cache(maxsize=None)
def _communes_by_name() -> dict[tuple[str, str], Commune]:
    return {(c.province, c.name): c for c in communes().values()}


# --- province names -----------------------------------------------------------------------------


@lru_cache(maxsize=None)
def former_provinces() -> dict[str, str]:
    """The 63 pre-2025 provinces, as staff write them → the province each belongs to now."""
    with open(DATA_DIR / "former_provinces.yaml", encoding="utf-8") as fh:
        return dict(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["former_provinces"])


@lru_cache(maxsize=None)
def _extra_spellings() -> dict[str, str]:
    with open(DATA_DIR / "province_spellings.yaml", encoding="utf-8") as fh:
        return dict(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["spellings"])


_PROVINCE_PREFIX = re.compile(r"^(?:tỉnh|thành phố|t\.?\s?p\.?|t\.)\s*")


@lru_cache(maxsize=1 << 14)
def _province_key(text: str) -> str:
    """'TP. Hải Phòng', 'thành phố Hải Phòng' → 'hải phòng'; 'Bà Rịa – Vũng Tàu' → 'bà rịa vũng tàu'.
    Cached: the rules compare every record's provinces with the 34 in force and the 63 former ones
    (738,000 calls at 3,000 products before, issue #27); the cache is bounded as names are typed."""
    name = _PROVINCE_PREFIX.sub("", canonical(text))
    return " ".join(name.replace("-", " ").replace(".", " ").split())


@dataclass(frozen=True)
class _Spelling:
    name: str  # the official short name shown back: "Hải Phòng", "Thừa Thiên Huế"
    former: int | None  # the pre-2025 province it names, by code
    current: int | None  # the province in force it names, by code


@lru_cache(maxsize=None)
def _spellings() -> dict[str, _Spelling]:
    """province key → what it names. Current names first, then the 63 former, then the extra spellings."""
    former_by_key = {_province_key(short): code for code, short, _full, _to in _data()["former_provinces"]}
    table = {}
    for code, short, _full in _data()["provinces"]:
        key = _province_key(short)
        table[key] = _Spelling(short, former_by_key.get(key), code)
    extra = _extra_spellings()
    for name in former_provinces():
        key = _province_key(name)
        if key not in table:
            table[key] = _Spelling(name, former_by_key.get(key, former_by_key.get(_province_key(extra.get(name, name)))), None)
    for code, short, _full, _to in _data()["former_provinces"]:  # the list's own spelling ("Hoà Bình")
        table.setdefault(_province_key(short), _Spelling(short, code, None))
    for typed, official in extra.items():
        table.setdefault(_province_key(typed), table[_province_key(official)])
    return table


def normalise_province(text: str) -> str | None:
    """The official short name of the province ``text`` names, current or pre-2025; None if none.

    Accepts what certificates print: "TP. Hải Phòng", "Tp Hải Phòng", "thành phố Hải Phòng",
    "Tỉnh Lạng Sơn", "Bà Rịa – Vũng Tàu", "Bà Rịa-Vũng Tàu", "Thừa Thiên - Huế", "TT Huế",
    "Hoà Bình" → "Hải Phòng", "Lạng Sơn", "Bà Rịa - Vũng Tàu", "Thừa Thiên Huế", "Hòa Bình".
    Names without their accents ("Lang Son") are not accepted: ``suggest_province`` offers them.
    """
    found = _spellings().get(_province_key(text))
    return found.name if found else None


def is_known_certified_province(name: str) -> bool:
    return normalise_province(name) is not None


def suggest_province(name: str, names: list[str]) -> str | None:
    """The entry of ``names`` closest to ``name``, comparing without accents: 'Lang Son' → 'Lạng Sơn'."""
    keys: dict[str, str] = {}
    for n in names:
        keys.setdefault(fold(_province_key(n)), n)
    typed = fold(_province_key(name))
    if typed in keys:
        return keys[typed]
    close = difflib.get_close_matches(typed, list(keys), n=1, cutoff=0.6)
    return keys[close[0]] if close else None


# --- the units before 1 Jul 2025 ---------------------------------------------------------------


@dataclass(frozen=True)
class FormerDistrict:
    code: int
    name: str  # "Huyện Hữu Lũng"
    province: str  # the former province's short name: "Lạng Sơn"


@dataclass(frozen=True)
class FormerWard:
    """A commune, ward or town before 1 Jul 2025, and what the official conversion made of it."""

    code: int
    name: str  # "Xã Hữu Liên"
    district: FormerDistrict
    partly_merged: bool  # split between several communes in force
    became: tuple[int, ...]  # codes of the communes in force it went to (empty: not in the table)


@dataclass(frozen=True)
class _FormerProvince:
    code: int
    name: str
    full_name: str
    successor: int  # province code in force


@lru_cache(maxsize=None)
def _former_units() -> tuple[dict[int, _FormerProvince], dict[int, FormerDistrict], dict[int, list[int]]]:
    """former provinces by code, former districts by code, former province code → its district codes."""
    data = _data()
    former = {code: _FormerProvince(code, short, full, to) for code, short, full, to in data["former_provinces"]}
    districts, by_province = {}, {}  # type: ignore[var-annotated]
    for code, province, name in data["former_districts"]:
        districts[code] = FormerDistrict(code, name, former[province].name)
        by_province.setdefault(province, []).append(code)
    return former, districts, by_province


@lru_cache(maxsize=None)
def _former_wards_by_district() -> dict[int, list]:
    out: dict[int, list] = {}
    for row in _data()["former_wards"]:
        out.setdefault(row[1], []).append(row)
    return out


# Kinds of units and how they are abbreviated on certificates.
COMMUNE_KINDS = ("xã", "phường", "thị trấn", "đặc khu")
DISTRICT_KINDS = ("huyện", "quận", "thị xã", "thành phố")
_ABBREVIATIONS = {"tt": "thị trấn", "tx": "thị xã", "tp": "thành phố", "h": "huyện", "q": "quận", "p": "phường", "x": "xã"}
_KIND = re.compile(
    r"^(?:(?P<word>thị trấn|thị xã|thành phố|đặc khu|huyện|quận|phường|xã|tỉnh)\s+"
    r"|(?P<abbr>t\.?t|t\.?x|t\.?p|h|q|p|x)(?:\.\s*|\s+))"
)


def split_kind(text: str) -> tuple[str | None, str]:
    """('thị trấn', 'đồng mỏ') from 'TT. Đồng Mỏ'; (None, 'hữu liên') from 'Hữu Liên'. Canonical form."""
    name = canonical(text)
    match = _KIND.match(name)
    if not match:
        return None, name
    rest = name[match.end():].strip()
    if not rest:
        return None, name
    if match.group("word"):
        return match.group("word"), rest
    return _ABBREVIATIONS[match.group("abbr").replace(".", "")], rest


def _name_key(name: str) -> str:
    """Numbers written with a leading zero ("Phường 04") are the same unit as without."""
    # not int(): a name of over 4,300 digits would raise (Python's limit on int of a string)
    return (name.lstrip("0") or "0") if name.isascii() and name.isdigit() else name


@lru_cache(maxsize=None)
def _district_index(former_province: int) -> dict[str, list[FormerDistrict]]:
    _, districts, by_province = _former_units()
    out: dict[str, list[FormerDistrict]] = {}
    for code in by_province.get(former_province, []):
        out.setdefault(_name_key(split_kind(districts[code].name)[1]), []).append(districts[code])
    return out


@lru_cache(maxsize=None)
def _ward_index(district: int) -> dict[str, list[FormerWard]]:
    _, districts, _ = _former_units()
    out: dict[str, list[FormerWard]] = {}
    for code, _d, name, partly, became in _former_wards_by_district().get(district, []):
        ward = FormerWard(code, name, districts[district], bool(partly), tuple(became))
        out.setdefault(_name_key(split_kind(name)[1]), []).append(ward)
    return out


def _kind_of(official: str) -> str | None:
    return split_kind(official)[0]


def _with_kind(units: list, kind: str | None) -> list:
    """The units of the typed kind; all of them when the kind was not typed or matches none."""
    if kind is None:
        return units
    same = [u for u in units if _kind_of(u.name) == kind]
    return same or units


# --- addresses before the reform ---------------------------------------------------------------


@dataclass(frozen=True)
class OldAddress:
    """A (usually pre-reform) address split into its parts, each as typed (None when absent)."""

    street: str | None  # "Thôn Làng Ào": what lies below the commune
    commune: str | None  # "xã Hữu Liên"
    district: str | None  # "huyện Hữu Lũng"
    province: str | None  # "tỉnh Lạng Sơn"

    @property
    def province_name(self) -> str | None:
        """The official short name of the province: "Lạng Sơn"."""
        return normalise_province(self.province) if self.province else None


@lru_cache(maxsize=None)
def _extra_keys() -> frozenset[str]:
    return frozenset(_province_key(typed) for typed in _extra_spellings())


def _province_part(part: str) -> _Spelling | None:
    """What the last part of an address names if it is a province ("thành phố Lạng Sơn" is not)."""
    key = _province_key(part)
    spelling = _spellings().get(key)
    if spelling is None or key in _extra_keys():  # "TT Huế" is a listed spelling, not a "thị trấn"
        return spelling
    kind, _ = split_kind(part)
    if kind in COMMUNE_KINDS or kind in ("thị xã", "huyện", "quận"):
        return None
    if kind == "thành phố":  # "thành phố Lạng Sơn" is a city inside the province Lạng Sơn, not the province
        full_names = [p.full_name for code, p in _former_units()[0].items() if code == spelling.former]
        full_names += [p.full_name for p in provinces().values() if p.code == spelling.current]
        if not any(name.startswith("Thành phố") for name in full_names):
            return None
    return spelling


def _former_scope(spelling: _Spelling | None, current: str | None) -> list[int]:
    """Former province codes to search: the one the address names, else all merged into ``current``."""
    former, _, _ = _former_units()
    if spelling is not None:
        if spelling.former is not None:
            return [spelling.former]
        return sorted(c for c, p in former.items() if p.successor == spelling.current)
    if not current:
        return []
    info = provinces().get(current)
    if info is None:
        typed = _spellings().get(_province_key(current))
        if typed is None:
            return []
        if typed.current is None:
            return [typed.former] if typed.former is not None else []
        info = provinces()[_province_names()[typed.current]]
    return sorted(c for c, p in former.items() if p.successor == info.code)


def _former_code(district: FormerDistrict) -> int:
    return next(p for p, codes in _former_units()[2].items() if district.code in codes)


def _districts_named(part: str, scope: list[int]) -> list[FormerDistrict]:
    kind, name = split_kind(part)
    if kind in COMMUNE_KINDS or kind == "tỉnh":
        return []
    found = [d for code in scope for d in _district_index(code).get(_name_key(name), [])]
    return _with_kind(found, kind)


def former_districts_named(part: str) -> list[FormerDistrict]:
    """The districts before 1 Jul 2025 that ``part`` names ("huyện Bắc Sơn", "TP. Bắc Ninh", "Sìn
    Hồ"), in every former province: a district's name read without its province (issue #25)."""
    return _districts_named(part, sorted(_former_units()[0]))


def same_province(a: str | None, b: str | None) -> bool:
    """Two province names (short, with "tỉnh"/"thành phố", either tone placement) name one unit."""
    if not a or not b:
        return False
    return _province_key(normalise_province(a) or a) == _province_key(normalise_province(b) or b)


def province_lineage(name: str) -> list[str]:
    """The unit in force a province name (former or current) belongs to now, and every former
    province merged into it: "Hải Dương" → ["Hải Phòng", "Hải Dương", "Hải Phòng"] (short names)."""
    return list(_lineage(name))


@lru_cache(maxsize=1 << 12)
def _lineage(name: str) -> tuple[str, ...]:
    official = normalise_province(name) or name
    former = former_provinces()
    current = next((now for old, now in former.items() if same_province(old, official)), official)
    return (current, *(old for old, now in former.items() if now == current))


def _wards_named(part: str, districts: list[FormerDistrict]) -> list[FormerWard]:
    kind, name = split_kind(part)
    if kind in DISTRICT_KINDS or kind == "tỉnh":
        return []
    found = [w for d in districts for w in _ward_index(d.code).get(_name_key(name), [])]
    return _with_kind(found, kind)


def _all_districts(scope: list[int]) -> list[FormerDistrict]:
    _, districts, by_province = _former_units()
    return [districts[code] for p in scope for code in by_province.get(p, [])]


def parse_old_address(text: str, province: str | None = None) -> OldAddress:
    """Split an address as printed on a certificate into street, commune, district and province.

    ``parse_old_address("Thôn Làng Ào, xã Hữu Liên, huyện Hữu Lũng, tỉnh Lạng Sơn")`` →
    ``OldAddress(street="Thôn Làng Ào", commune="xã Hữu Liên", district="huyện Hữu Lũng",
    province="tỉnh Lạng Sơn")``. Parts are separated by commas (or semicolons) and read from the
    right: a province, then a district, then a commune, and everything before is the street. A part
    is recognised by its kind written in front — in any case, full ("xã", "phường", "thị trấn",
    "huyện", "quận", "thị xã", "thành phố", "tỉnh") or abbreviated ("X.", "P.", "TT.", "H.", "Q.",
    "TX.", "TP.") — or, without one, by being the name of a unit there ("Hữu Liên, Hữu Lũng, Lạng
    Sơn"). ``province`` (a province in force, e.g. the record's ``address.province``) is where
    names without a kind are looked up when the text names no province. Parts keep what was typed.
    """
    if isinstance(text, str) and (province is None or isinstance(province, str)):
        return _parsed_address(text, province)
    return _parse_old_address(text, province)


@lru_cache(maxsize=1 << 14)
def _parsed_address(text: str, province: str | None) -> OldAddress:
    """Once per text and province: a record's street and certified address are read by several
    checks, its public form and the pages (issue #27); :class:`OldAddress` is immutable."""
    return _parse_old_address(text, province)


def _parse_old_address(text: str, province: str | None) -> OldAddress:
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    i = len(parts) - 1
    out: dict[str, str | None] = {"street": None, "commune": None, "district": None, "province": None}
    spelling = None
    if i >= 0 and (spelling := _province_part(parts[i])) is not None:
        out["province"] = parts[i]
        i -= 1
    scope = _former_scope(spelling, province)
    districts = []
    if i >= 0:
        kind, _ = split_kind(parts[i])
        districts = _districts_named(parts[i], scope)
        is_district = kind in DISTRICT_KINDS
        if kind is None and districts:  # a bare name: a district when the part before is one of its wards
            is_district = (i >= 1 and bool(_wards_named(parts[i - 1], districts))) or not _looks_like_commune(parts[i], scope)
        if is_district:
            out["district"] = parts[i]
            i -= 1
        else:
            districts = []
    if i >= 0:
        kind, name = split_kind(parts[i])
        if kind in COMMUNE_KINDS or (kind is None and _looks_like_commune(parts[i], scope, districts)):
            out["commune"] = parts[i]
            i -= 1
    if i >= 0:
        out["street"] = ", ".join(parts[: i + 1])
    return OldAddress(**out)


def _looks_like_commune(part: str, scope: list[int], districts: list[FormerDistrict] | None = None) -> bool:
    """A part typed without its kind that names a ward (old or in force) where the address is."""
    if _wards_named(part, districts or _all_districts(scope)):
        return True
    former, _, _ = _former_units()
    key = _name_key(split_kind(part)[1])
    return any(key in _commune_keys(code) for code in {former[p].successor for p in scope})


@lru_cache(maxsize=None)
def _commune_keys(province: int) -> frozenset[str]:
    """The names of a province's communes in force as parts are compared ("Hữu Liên", "04" = "4")."""
    return frozenset(_name_key(split_kind(n)[1]) for n in _communes().get(province, {}).values())


@dataclass(frozen=True)
class Conversion:
    """What a pre-reform address is today.

    ``status`` says how far the answer goes:

    * ``converted`` — one old ward, one commune in force: ``commune``;
    * ``current`` — the address names no district and its commune is one in force (an address
      written after the reform): ``commune``;
    * ``split`` — the old ward was split between several communes (partly merged): ``communes``
      are the candidates; only the street tells which;
    * ``ambiguous`` — the address names no district and several former districts had a ward of
      that name: ``old`` lists them and ``communes`` what they became;
    * ``no-conversion`` — the old ward is known but the official table has no row for it;
    * ``unknown-province``, ``unknown-district``, ``unknown-commune`` — that part names nothing
      (there, or of that kind); ``no-commune`` — the address names no commune.
    """

    status: str
    address: OldAddress
    old: tuple[FormerWard, ...] = ()
    communes: tuple[Commune, ...] = ()

    @property
    def commune(self) -> Commune | None:
        """The commune in force, when the answer is exactly one."""
        return self.communes[0] if self.status in ("converted", "current") else None


def convert(address: str | OldAddress, province: str | None = None) -> Conversion:
    """The commune in force for a pre-reform address (text, or parts from ``parse_old_address``).

    ``convert("Thôn Làng Ào, xã Hữu Liên, huyện Hữu Lũng, tỉnh Lạng Sơn").commune`` →
    ``Commune(code=6400, name="Xã Hữu Liên", province="Lạng Sơn")``. ``province`` (a province in
    force) is searched when the address names none — with every former province merged into it.
    Read ``status`` (see :class:`Conversion`) before using the result: one commune, or candidates,
    or why there is none. Only the official conversion table is used: a ward is matched by name
    (kind, case, accents' tone placement, "Phường 04" = "Phường 4" aside) within the district the
    address names, never in another one. For an importer::

        conversion = places.convert(row_address, province="Lạng Sơn")
        if conversion.commune:                        # converted or current: write it
            address = {"province": conversion.commune.province, "commune": conversion.commune.name,
                       "street": conversion.address.street}
        elif conversion.communes:                     # split or ambiguous: ask which one
            choices = [c.name for c in conversion.communes]
        # else: conversion.status says what is missing; keep the text in certified_address
    """
    old = parse_old_address(address, province) if isinstance(address, str) else address
    spelling = None
    if old.province:
        spelling = _province_part(old.province)
        if spelling is None:
            return Conversion("unknown-province", old)
    scope = _former_scope(spelling, province)
    if not scope and not (old.province or province) and old.district:
        # no province anywhere: a district whose name (and kind) is found in one place only
        everywhere = _districts_named(old.district, sorted(_former_units()[0]))
        if len(everywhere) == 1:
            scope = [_former_code(everywhere[0])]
    if not scope:
        return Conversion("unknown-province", old)
    if old.district:
        districts = _districts_named(old.district, scope)
        if not districts:
            return Conversion("unknown-district", old)
    else:
        districts = _all_districts(scope)
    if not old.commune:
        return Conversion("no-commune", old)
    if not old.district:
        current = _current_in_scope(old.commune, scope)
        if current is not None:
            return Conversion("current", old, (), (current,))
    wards = _wards_named(old.commune, districts)
    if not wards:
        return Conversion("unknown-commune", old)
    by_code = communes()
    became = tuple(by_code[c] for c in sorted({c for w in wards for c in w.became}))
    if len(wards) > 1:
        return Conversion("ambiguous", old, tuple(wards), became)
    if not became:
        return Conversion("no-conversion", old, tuple(wards))
    return Conversion("converted" if len(became) == 1 else "split", old, tuple(wards), became)


def _current_in_scope(commune: str, scope: list[int]) -> Commune | None:
    former, _, _ = _former_units()
    kind, name = split_kind(commune)
    names = _province_names()
    for code in sorted({former[p].successor for p in scope}):
        found = _names_in_force(code).get(_name_key(name), [])
        found = [n for n in found if _kind_of(n) == kind] if kind else found
        if len(found) == 1:
            return _communes_by_name()[(names[code], found[0])]
    return None


@lru_cache(maxsize=None)
def _names_in_force(province: int) -> dict[str, list[str]]:
    """A province's communes in force by name without their kind ('hữu liên' → ['Xã Hữu Liên']):
    built once per province (a national validate asks 15,000 times)."""
    out: dict[str, list[str]] = {}
    for official in _communes().get(province, {}).values():
        out.setdefault(_name_key(split_kind(official)[1]), []).append(official)
    return out


# --- suggestions for a commune that is not in force --------------------------------------------


@dataclass(frozen=True)
class CommuneSuggestion:
    """What to suggest for a commune name that is not one in force."""

    communes: tuple[str, ...]  # official names in force: one, or the candidates
    conversion: Conversion | None = None  # set when the suggestion comes from the old → new table


def communes_to_fill(province: str, certified_text: str | None = None) -> tuple[tuple[str, ...], Conversion | None]:
    """What to suggest for a commune left empty in ``province``: the communes in force that the
    old address on the certificate became (one, or the candidates of a split ward), else the first
    commune of the province as a mere example (with no conversion). ``((), None)`` for a province
    that is not one in force."""
    if provinces().get(province) is None:
        return (), None
    if certified_text:
        conversion = convert(certified_text, province)
        if conversion.communes and conversion.status in ("converted", "current", "split", "ambiguous"):
            return tuple(c.name for c in conversion.communes), conversion
    names = communes_in(province)
    return tuple(names[:1]), None


def commune_suggestion(province: str, commune: str, certified_text: str | None = None) -> CommuneSuggestion | None:
    """A commune in force for ``commune`` typed in ``province``, where there is one to suggest.

    In order: an old commune name converted through the official table (within the former district
    that ``certified_text`` names, when it names one in this province); the name in force with its
    "Xã"/"Phường"/"Đặc khu" left out; the closest spelling among the communes in force — only
    those the named former district became, when there is one.
    """
    info = provinces().get(province)
    if info is None:
        return None
    district = None
    if certified_text:
        certified = parse_old_address(certified_text, province)
        spelling = _province_part(certified.province) if certified.province else None
        scope = _former_scope(spelling, province)
        former, _, _ = _former_units()
        if certified.district and scope and all(former[p].successor == info.code for p in scope):
            district = certified.district
    table = _communes().get(info.code, {})
    typed = canonical(commune)
    kind, _ = split_kind(commune)
    conversion = convert(OldAddress(None, commune, district, None), province)
    if district and conversion.status == "unknown-district":
        district, conversion = None, convert(OldAddress(None, commune, None, None), province)
    converted = bool(conversion.communes) and conversion.status in ("converted", "split", "ambiguous")
    if converted and (district or kind):
        return CommuneSuggestion(tuple(c.name for c in conversion.communes), conversion)
    # the commonest slips: the name in force without its kind ("Chiêm Hoá"), abbreviated ("P. Kỳ Lừa")
    # or with another one ("Phường Sìn Hồ" for "Xã Sìn Hồ")
    name = _name_key(split_kind(commune)[1])
    same = _with_kind([c for c in _communes_in(info.code) if _name_key(split_kind(c.name)[1]) == name], kind)
    if len(same) == 1:
        return CommuneSuggestion((same[0].name,))
    if converted:
        return CommuneSuggestion(tuple(c.name for c in conversion.communes), conversion)
    pool = table
    if district:
        scope_districts = _districts_named(district, _former_scope(None, province))
        became = {c for d in scope_districts for ws in _ward_index(d.code).values() for w in ws for c in w.became}
        by_code = communes()
        pool = {canonical(by_code[c].name): by_code[c].name for c in became if by_code[c].province == province}
    close = difflib.get_close_matches(typed, list(pool), n=1, cutoff=0.75)
    return CommuneSuggestion((pool[close[0]],)) if close else None


def certified_communes(text: str, certified_province: str | None, province: str) -> Conversion | None:
    """What the commune of a certificate's address is today, where the text says it for certain.

    ``text`` is ``certified_address.text``; ``certified_province`` its ``province`` field, used when
    the text names none; ``province`` the record's province in force. None when the text names no
    commune, or one that cannot be found.
    """
    old = parse_old_address(text, province)
    if old.province is None and certified_province and _province_part(certified_province) is not None:
        old = replace(old, province=certified_province)
    conversion = convert(old, province)
    if conversion.status in ("converted", "current", "split", "ambiguous") and conversion.communes:
        return conversion
    return None


def province_folder(value: str) -> str:
    """The folder of the province in force ``value`` names: "lai-chau", "Lai Châu", "TP. Hải Phòng" —
    what every command's ``--province`` takes (a former province says which it is now part of)."""
    by_folder = provinces_by_folder()
    if value in by_folder:
        return value
    name = normalise_province(value)
    if name in provinces():
        return provinces()[name].folder
    close = suggest_province(value, list(provinces()))
    folded = fold(value.replace("-", " "))
    # "ha-giang", "ha giang": a former province typed the way a folder is named, not "An Giang"
    former = name if name in former_provinces() else next(
        (old for old in former_provinces() if old not in provinces() and fold(old) == folded), None)
    if former is not None:
        hint = f": từ 01/7/2025 thuộc \"{former_provinces()[former]}\""
    elif close:
        hint = f". Có phải ý bạn là \"{close}\"?"
    else:
        hint = " (ví dụ: lai-chau hoặc \"Lai Châu\")"
    raise CatalogError(f"'{value}' không phải tỉnh, thành phố hiện nay{hint}")
