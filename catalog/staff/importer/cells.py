"""Understanding one cell: the values a product row holds, read the way officers type them —
places (an address as printed → :class:`Where`, the commune in force), text, formulas, stars,
scores, phones, a producer cell holding name + address + phone, dates (day first; month first
only when nothing else fits), groups and product sets by name, the producer's legal form from its
name, and :class:`PlannedProducer` (a producer this import creates). Ids typed in a cell follow
``ID_PATTERN``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...reference import places, rulebook
from .columns import _DATE_WORDS, _table, heading_key

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_MAX = 48


# --- places (catalog/reference/places.py: names as printed, the official old → new conversion) ---------------


@dataclass
class Where:
    """An address as printed, and what it is today."""

    text: str
    printed_province: str | None  # the province the text names (former or current), official spelling
    street: str | None
    commune: str | None  # the commune in force, when there is exactly one
    candidates: tuple[str, ...] = ()  # communes in force it may be (a split ward)
    old_commune: str | None = None  # the commune as the text names it


def _where(text: str, province: str | None) -> Where:
    """Split an address as printed and find its commune in force (``province``: the record's)."""
    old = places.parse_old_address(text, province)
    printed = old.province_name if old.province else None
    conversion = places.convert(old, province)
    commune = conversion.commune.name if conversion.commune is not None else None
    candidates = tuple(c.name for c in conversion.communes) if commune is None else ()
    return Where(text, printed, old.street, commune, candidates, old.commune)


# --- values ----------------------------------------------------------------------------------------


# characters Word and web pages leave in copied text that show nothing and split nothing: a zero-width
# space copied into an address made a record fail validation with a message naming no field (probe,
# round six); no Vietnamese text needs them
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).translate(_INVISIBLE).split())
    return text or None


_FORMULA = re.compile(r"^[=+\-@\t\r](?![\d\s.,])")


def looks_like_formula(text: str) -> bool:
    return bool(_FORMULA.match(text)) or text.startswith("=")


def neutralise(value: Any) -> str:
    """A cell for a CSV opened in Excel: text that would start a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# "3?" is "3★" after Excel saved the list as Windows-1258 CSV (the code page has no ★)
_STARS = re.compile(r"^0?([1-5])\s*(?:sao|★|\*|s|\?)?\.?$", re.IGNORECASE)  # "04": a column typed as text with two digits


def parse_stars(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)) and float(value).is_integer() and 1 <= value <= 5:
        return int(value)
    text = _text(value) or ""
    if text and set(text) == {"★"}:
        return len(text)
    m = _STARS.match(text)
    if not m:
        raise ValueError(text)
    return int(m.group(1))


def parse_score(value: Any) -> float | int | None:
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = (_text(value) or "").lower().removesuffix("điểm").strip().replace(",", ".")
        if not re.fullmatch(r"\d{1,3}(?:\.\d+)?", text):
            raise ValueError(_text(value))
        number = float(text)
    if not 0 <= number <= 100:
        raise ValueError(_text(value))
    number = round(number, 2)
    return int(number) if number.is_integer() else number


_PHONE = re.compile(r"^(0[35789][0-9]{8}|02[0-9]{9}|\+84[35789][0-9]{8}|\+842[0-9]{9}|1[89]00[0-9]{4,6})$")


def parse_phone(value: Any) -> tuple[str | None, str | None]:
    """(phone, what was done) — phone None when it is not a Vietnamese number."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    if not text:
        return None, None
    first = re.split(r"\s*(?:[;/]|\s-\s|hoặc)\s*", text)[0]
    digits = re.sub(r"[\s.\-()]", "", first)
    note = "nhiều số: lấy số đầu" if first != text else None
    if re.fullmatch(r"[35789][0-9]{8}|2[0-9]{9}", digits):
        digits = "0" + digits
        note = "thêm số 0 đầu mà Excel đã bỏ"
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "+" + digits
    return (digits, note) if _PHONE.match(digits) else (None, None)


_ADDRESS_PREFIX = re.compile(r"^\s*(?:địa chỉ(?: trụ sở)?|trụ sở|đ/c|đc)\s*[:：]\s*", re.IGNORECASE)
_PHONE_PREFIX = re.compile(r"^\s*(?:số điện thoại|điện thoại|sđt|đt|tel)\s*[:：.]?\s*(?=[+0-9(])", re.IGNORECASE)


def _drop_address_prefix(value: Any) -> Any:
    """'Địa chỉ: thôn Nà Sản, …' → 'thôn Nà Sản, …' (the words are the form's, not the address's)."""
    return _ADDRESS_PREFIX.sub("", value) if isinstance(value, str) else value


# words that start or mark an address (a line holding one, after the producer's name, is its address)
_ADDRESS_WORD = re.compile(r"(?:^|[\s,(])(?:thôn|bản|xóm|ấp|tổ|khu|khối|số|đường|phố|ngõ|ngách|xã|phường|thị trấn|thị xã|"
                           r"đặc khu|huyện|quận|tỉnh|thành phố|tp\.?|tt\.?|làng|buôn|sóc|km|lô|địa chỉ|đ/c|trụ sở)(?=$|[\s.,:0-9])|\d",
                           re.IGNORECASE)


def split_producer(value: Any) -> tuple[str | None, str | None, str | None]:
    """A producer cell → (name, address, phone). Officers write the name, a line break and the
    address (and maybe 'ĐT: …') in one cell; or 'HTX …, địa chỉ: …' on one line."""
    if not isinstance(value, str):
        return _text(value), None, None
    lines = [line.strip() for line in re.split(r"[\r\n]+", value) if line.strip()]
    if len(lines) == 1:
        m = re.search(r"[,;–-]?\s*\b(?:địa chỉ|đ/c)\s*[:：]\s*", lines[0], re.IGNORECASE)
        if m and m.start() > 0:
            lines = [lines[0][:m.start()].strip(" ,;–-"), lines[0][m.end():]]
    if not lines:
        return None, None, None
    name, phone = lines[0], None
    address: list[str] = []
    for line in lines[1:]:
        if not address and phone is None and "," not in line and not _ADDRESS_WORD.search(line) and not _PHONE_PREFIX.match(line):
            # a long name wrapped onto a second line of a narrow column ("HTX Nông sản⏎Sính Phình"):
            # a line that names no place (thôn, bản, xã …) continues the name
            name = f"{name} {line}"
            continue
        if _PHONE_PREFIX.match(line):
            phone = phone or _PHONE_PREFIX.sub("", line)
        else:
            address.append(_ADDRESS_PREFIX.sub("", line).strip(" ,;"))
    return _text(name), _text(", ".join(a for a in address if a)), phone


_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")


def _date_parts(value: Any) -> tuple[int, int, int] | None:
    text = _text(value)
    if not text or isinstance(value, (dt.date, dt.datetime)):
        return None
    m = _DMY.match(text)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


@dataclass
class DateReading:
    date: dt.date | None
    error: str | None = None
    warning: str | None = None


# Excel stores a date as the days since 30/12/1899; a cell whose date format was lost (pasted as
# values, saved to CSV) shows that number: 45728 is 12/03/2025. Only 5-digit whole numbers between
# 2000 and 2099 are read so — no score, stars or year falls in that range.
EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_FROM, _SERIAL_TO = (dt.date(2000, 1, 1) - EXCEL_EPOCH).days, (dt.date(2099, 12, 31) - EXCEL_EPOCH).days


def _excel_serial(value: Any) -> dt.date | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\d{5}", value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and _SERIAL_FROM <= value <= _SERIAL_TO:
        return EXCEL_EPOCH + dt.timedelta(days=value)
    return None


def read_date(value: Any, month_first_column: bool) -> DateReading:
    if value in (None, ""):
        return DateReading(None)
    if isinstance(value, dt.datetime):
        return DateReading(value.date())
    if isinstance(value, dt.date):
        return DateReading(value)
    serial = _excel_serial(value)
    if serial is not None:
        return DateReading(serial, warning=f"{_text(value)} là ngày theo cách Excel đếm (ô mất định dạng ngày): đọc là "
                                           f"{serial:%d/%m/%Y}")
    text = _text(value) or ""
    parts = _date_parts(value)
    try:
        if parts is None:
            m = _DATE_WORDS.search(f"ngày {text}" if not text.lower().startswith("ngày") else text)
            if m:
                return DateReading(dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))))
            return DateReading(dt.date.fromisoformat(text))
        a, b, year = parts
        if a > 12 or a == b:
            return DateReading(dt.date(year, b, a))
        if b > 12:
            return DateReading(dt.date(year, a, b), warning=f"'{text}' viết kiểu tháng/ngày (Mỹ): đọc là {b:02d}/{a:02d}/{year}")
        if month_first_column:
            return DateReading(None, error=(f"'{text}' đọc được hai cách ({a:02d}/{b:02d}/{year} hoặc {b:02d}/{a:02d}/{year}) vì cột này "
                                            f"có ngày viết kiểu tháng/ngày: ghi rõ ngày/tháng/năm có hai chữ số, ví dụ {b:02d}/{a:02d}/{year} "
                                            f"nếu là ngày {b} tháng {a}"))
        return DateReading(dt.date(year, b, a))
    except ValueError:
        return DateReading(None, error=f"'{text}' không phải ngày (ghi ngày/tháng/năm, ví dụ 15/08/2025)")


def month_first(values: list[Any]) -> bool:
    """A column is month first when one of its text dates can only be read that way (8/15/2025)."""
    return any(p is not None and p[0] <= 12 < p[1] for p in map(_date_parts, values))


def vn_date(day: dt.date | str | None) -> str:
    if day is None:
        return "—"
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return day.strftime("%d/%m/%Y")


# --- taxonomy --------------------------------------------------------------------------------------


def _taxonomy_for(basis: str) -> str:
    return rulebook.legal_basis(basis).taxonomy


def _group_by_name(text: str, basis: str) -> tuple[str | None, str | None]:
    """(group, set) named by ``text`` — a group or set name or code of the basis's taxonomy."""
    key = heading_key(re.sub(r"^(?:[IVXLC]+|[A-Z])[.)]?\s+", "", text.strip()))
    key = re.sub(r"^(?:nhom|nganh|nhom nganh)\s+", "", key)
    table = rulebook.taxonomy()[_taxonomy_for(basis)]
    for code, entry in table.items():
        name = heading_key(entry["name"].replace("(1048)", ""))
        if key in (heading_key(code), name):
            return code, None
    for code, entry in table.items():
        for set_code, info in entry.get("sets", {}).items():
            if key in (heading_key(set_code), heading_key(info["name"])):
                return code, set_code
    return None, None


def group_heading(text: str, basis: str) -> str | None:
    """The group a heading row names ('I | NHÓM THỰC PHẨM', 'II. Đồ uống'), or None."""
    group, set_code = _group_by_name(text, basis)
    return group if set_code is None else None


def suggest_set(name: str, group: str | None) -> str | None:
    if not group:
        return None
    words = f" {heading_key(name)} "
    sets = rulebook.taxonomy()["groups_148"].get(group, {}).get("sets", {})
    for set_code, hints in _table()["set_hints"].items():
        if set_code in sets and any(f" {h} " in words for h in hints):
            return set_code
    return None


# --- producers -------------------------------------------------------------------------------------


_KINDS = [
    (r"^(?:htx|hop tac xa)\b", "cooperative"),
    (r"^(?:cong ty|cty|c ty|doanh nghiep|dntn)\b", "company"),
    (r"^(?:to hop tac|tht)\b", "cooperative_group"),
    (r"^(?:ho kinh doanh|hkd|ho gia dinh|ho ong|ho ba|ho|co so|csxx|cssx)\b", "household_business"),
]


def producer_kind(name: str) -> str | None:
    key = heading_key(name)
    for pattern, kind in _KINDS:
        if re.match(pattern, key):
            return kind
    return None


@dataclass
class PlannedProducer:
    id: str
    folder: str
    key: str
    names: list[str]  # spellings seen, in row order
    rows: list[int]
    kind: str | None
    where: Where | None
    phone: str | None
    bad_phones: list[tuple[int, str]] = field(default_factory=list)
    representative: str | None = None
    path: Path | None = None
    text: str = ""

    @property
    def name(self) -> str:
        return sorted(self.names, key=lambda n: (-len(n), self.names.index(n)))[0]


