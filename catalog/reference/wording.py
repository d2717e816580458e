"""How names of places, bodies and quantities are written in Vietnamese running text.

* Six of the 34 provincial units are cities: "Sản phẩm OCOP thành phố Hải Phòng", never "tỉnh Hải
  Phòng" (the unit's full name comes from :func:`catalog.reference.places.provinces`).
* Inside a sentence the unit word is lower case: "xã Sìn Hồ, tỉnh Lai Châu" (records keep the
  official capitalised "Xã Sìn Hồ").
* An address is written once, smallest part first, without repeating the province.
* A number and its unit stay on one line (a no-break space): "200 g", "36 tháng" (paper and screen).
* Bodies that no longer exist (UBND tỉnh Hà Giang, district UBNDs, Bộ NN&PTNT) are followed by the
  body that now holds their function ("nay là …"), from :func:`catalog.reference.rulebook.body_successor`
  (issue #13's table of deciding bodies).
"""

from __future__ import annotations

import datetime as dt
import re

from . import places, rulebook

NBSP = "\u00a0"
_UNIT_WORDS = ("Xã ", "Phường ", "Đặc khu ", "Thị trấn ", "Tỉnh ", "Thành phố ")


def in_sentence(name: str) -> str:
    """'Xã Sìn Hồ' → 'xã Sìn Hồ', 'Thành phố Hải Phòng' → 'thành phố Hải Phòng'; other names as they are."""
    for word in _UNIT_WORDS:
        if name.startswith(word):
            return word.lower() + name[len(word):]
    return name


def province_full(name: str) -> str:
    """The unit's full name ('Tỉnh Lạng Sơn', 'Thành phố Hải Phòng') for a short one; a former
    province (before 1 Jul 2025) or an unknown name: 'Tỉnh <name>'."""
    info = places.provinces().get(name)
    full = info.full_name if info else name
    return full if full.startswith(("Tỉnh ", "Thành phố ")) else f"Tỉnh {full}"


def province_in_sentence(name: str) -> str:
    """'tỉnh Lai Châu', 'thành phố Hải Phòng'."""
    return in_sentence(province_full(name))


def province_en(name: str) -> str:
    """In English the kind follows the name: 'Lai Châu Province', 'Hải Phòng City' (one of the six
    centrally-run cities since the 2025 reform, :func:`province_full`)."""
    full = province_full(name)
    city = full.startswith("Thành phố ")
    return f"{full.removeprefix('Thành phố ').removeprefix('Tỉnh ')} {'City' if city else 'Province'}"


def address_parts(address: dict) -> list[str]:
    """[street, 'xã …'] of a current address (the province is added by the caller, often as a link)."""
    parts = [address["street"]] if address.get("street") else []
    return parts + [in_sentence(address["commune"])]


def address_text(address: dict) -> str:
    return ", ".join(address_parts(address) + [province_in_sentence(address["province"])])


_NUMBER_UNIT = re.compile(r"(\d)[ \u00a0]+(?=(?:g|kg|mg|ml|l|lít|gam|gói|hộp|chai|túi|tháng|ngày|năm|cái|lọ|hũ|bó|"
                          r"kiện|thùng|sao|điểm|mm|cm|m|%|sản phẩm|trang)\b)", re.I)


def keep_units(text: str) -> str:
    """A no-break space between a number and its unit ('200 g', '24 tháng')."""
    return _NUMBER_UNIT.sub(lambda m: m.group(1) + NBSP, text)


def successor(name: str, on: dt.date, province: str | None = None) -> str | None:
    """The body that holds ``name``'s function on ``on`` ("nay là …"), or None when it still
    exists. ``province``: the province named on the certificate (a district UBND's successor is the
    UBND of that province today)."""
    found = rulebook.body_successor(name, on, province)
    return found if found and found != name else None
