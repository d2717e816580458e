"""Write catalog/data/places_2025.json, the places snapshot the tool reads at run time.

    python3.12 -m venv /tmp/vp && /tmp/vp/bin/pip install 'vietnam-provinces>=2026.9,<2027'
    /tmp/vp/bin/python tools/make_places_data.py           # rewrite catalog/data/places_2025.json
    /tmp/vp/bin/python tools/make_places_data.py --check   # exit 1 when the committed file differs

Reads the package ``vietnam-provinces`` (2026.9.x needs Python >= 3.12; CI on 3.12 and 3.13 has it
through the ``test`` extra, and tests/test_places_data.py regenerates the file there and compares it
byte for byte). Why the tool reads a committed snapshot instead of the package: catalog/reference/places.py.

What is written, one entry per line so that a change of the official lists is reviewed as a diff:

* ``provinces``: the provincial units in force (code, short name, full name);
* ``communes``: every commune, ward and special zone in force (NSO code, province code, name);
* ``former_provinces``: the 63 provinces before 1 Jul 2025 (code, short name, full name, and the
  province in force that all of its wards went to, worked out from the ward conversion below);
* ``former_districts``: their districts (code, former province code, name with its kind);
* ``former_wards``: their communes, wards and towns (code, district code, name, 1 if the ward was
  split between several new communes — "partly merged" — else 0, the codes of the new communes).
  A ward the official conversion table does not list has an empty list.

The names are the package's, with two mechanical corrections that the package's own data needs
(its 2025.10 and 2026.9 releases disagree on exactly these): runs of spaces become one space, and a
name's kind is written with a capital ("xã Bắc Sơn" → "Xã Bắc Sơn"); apostrophes and dashes become
ASCII. The number of names corrected is printed. The province of a former ward is the province of
its district: the conversion table's own province column is wrong for some wards (Phường 4 of Tân
An, in Long An, is filed under Tiền Giang).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "catalog" / "data" / "places_2025.json"
SUPPORTED = ("2026.9.",)  # the releases whose (private) conversion modules this script reads

_KINDS = ("Xã", "Phường", "Đặc khu", "Thị trấn", "Huyện", "Quận", "Thị xã", "Thành phố", "Tỉnh")
_PUNCT = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2013": "-", "\u2014": "-", "\u2010": "-"})


def clean(name: str) -> str:
    """One space between words, ASCII apostrophes and dashes, the kind ("Xã", "Huyện"…) capitalised."""
    name = " ".join(unicodedata.normalize("NFC", name).translate(_PUNCT).split())
    for kind in _KINDS:
        if name.lower().startswith(kind.lower() + " "):
            return kind + name[len(kind):]
    return name


def short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def render() -> tuple[str, int]:
    """The file's text, and how many names were corrected by :func:`clean`."""
    import vietnam_provinces as vp
    from vietnam_provinces import Province, Ward
    from vietnam_provinces import legacy
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW, SOURCE

    if not vp.__version__.startswith(SUPPORTED):
        raise SystemExit(f"vietnam-provinces {vp.__version__} is not supported here; install 'vietnam-provinces>=2026.9,<2027'")
    corrected = 0

    def name_of(raw: str) -> str:
        nonlocal corrected
        fixed = clean(raw)
        corrected += fixed != raw
        return fixed

    provinces = sorted(((int(p.code), name_of(p.name)) for p in Province.iter_all()))
    communes = sorted(((int(w.code), int(w.province_code), name_of(w.name)) for w in Ward.iter_all()))
    districts = sorted(((int(d.code), int(d.province_code), name_of(d.name)) for d in legacy.District.iter_all()))
    district_province = {code: province for code, province, _ in districts}
    wards = []
    successors: dict[int, set[int]] = {}
    for w in sorted(legacy.Ward.iter_all(), key=lambda w: int(w.code)):
        code, district = int(w.code), int(w.district_code)
        entry = OLD_TO_NEW.get(code)
        if entry is not None and entry.old_ward.district_code != district:
            raise SystemExit(f"ward {code}: district {district} in the list, {entry.old_ward.district_code} in the conversion")
        new = sorted(n.code for n in entry.new_wards) if entry else []
        partly = int(bool(entry and entry.old_ward.is_partly_merged))
        wards.append((code, district, name_of(w.name), partly, new))
        new_provinces = {n.province_code for n in entry.new_wards} if entry else set()
        successors.setdefault(district_province[district], set()).update(new_provinces)
    former = []
    for p in sorted(legacy.Province.iter_all(), key=lambda p: int(p.code)):
        goes_to = successors.get(int(p.code), set())
        if len(goes_to) != 1:
            raise SystemExit(f"former province {p.name}: its wards went to provinces {sorted(goes_to)}, expected one")
        full = name_of(p.name)
        former.append((int(p.code), short(full), full, goes_to.pop()))

    about = {
        "what": "Vietnam's administrative units: in force (Decision 19/2025/QĐ-TTg codes, NSO list) and before 1 Jul 2025, "
                "with the official old-ward to new-commune conversion",
        "source": f"vietnam-provinces {vp.__version__} (data of {vp.__data_version__}; conversion table {SOURCE}), "
                  "by Nguyễn Hồng Quân, from the lists of the General Statistics Office (NSO)",
        "generated_by": "tools/make_places_data.py",
    }
    out = ["{", f'"about": {json.dumps(about, ensure_ascii=False, indent=None)},']

    def section(key: str, rows: list, last: bool = False) -> None:
        out.append(f'"{key}": [')
        out.extend(json.dumps(list(r), ensure_ascii=False) + ("," if i < len(rows) - 1 else "") for i, r in enumerate(rows))
        out.append("]" + ("" if last else ","))

    section("provinces", [(code, short(name), name) for code, name in provinces])
    section("communes", communes)
    section("former_provinces", former)
    section("former_districts", districts)
    section("former_wards", wards, last=True)
    out.append("}")
    return "\n".join(out) + "\n", corrected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing it")
    args = parser.parse_args()
    text, corrected = render()
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print("catalog/data/places_2025.json is up to date" if same else "catalog/data/places_2025.json differs: regenerate it")
        sys.exit(0 if same else 1)
    OUT.write_text(text, encoding="utf-8")
    data = json.loads(text)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data['provinces'])} provinces, {len(data['communes'])} communes, "
          f"{len(data['former_provinces'])} former provinces, {len(data['former_districts'])} former districts, "
          f"{len(data['former_wards'])} former wards ({sum(1 for w in data['former_wards'] if not w[4])} without a conversion); "
          f"{corrected} names corrected")


if __name__ == "__main__":
    main()
