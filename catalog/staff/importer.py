"""`ocop import`: the list that comes with a recognition decision → product and producer records.

Reading the file (sheets, merged cells, hidden rows, encodings, limits) is :mod:`catalog.staff.annex`;
this module says what the rows mean, plans the records, checks the plan the way ``ocop validate``
will, and writes it.

**One dry run, one ``--write``.** The dry run (the default) lists, per row, what was understood
(name, producer, stars, set, decision, dates, phone, commune) and everything still to fill. That
list is not guessed: the planned files are validated in memory together with every record already
in the data root (:func:`_validate_plan`), so it is exactly what ``ocop validate`` reports on those
files after ``--write`` — the test compares the two.

Decisions, where the issue left a choice:

* **Which rows are products.** Rows above the header are the title block; below it, blank rows,
  the "(1) (2) (3)" column-number row, group headings ("I | NHÓM THỰC PHẨM": they set the group of
  the rows under them), repeated headers, the total ("Tổng cộng: 15 sản phẩm", compared with the
  number of products) and everything from the signature block on ("KT. CHỦ TỊCH", "Nơi nhận") are
  skipped and listed once. Hidden rows are not imported (see :mod:`catalog.staff.annex`) and named.
* **The decision** (number, date, body) is read from the title block ("Kèm theo Quyết định số
  1234/QĐ-UBND ngày 15/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn"), else from ``--decision``,
  ``--date``, ``--body``; a column wins for its row (summary lists of several decisions). The
  body's province is the list's province when ``--province`` is not given. A row date that
  contradicts the title's decision is an error: the certificate's validity counts from it.
* **Dates.** Excel dates are exact. Text dates are day first (15/8/2025). A text date that can
  only be month first (8/15/2025) is read that way with a warning; in a column where such a date
  occurs, a date that reads both ways (8/5/2025) is refused — never guessed.
* **Producers** are created from the rows, once each: names are compared with
  :func:`catalog.checks.rules.producer_key` ("HTX" = "Hợp tác xã"), so two spellings are one producer;
  an existing producer with the same key, or a near-identical one (≥ ``NEAR_MATCH``), is used
  instead of creating a twin, and a near match is named as a warning. The kind comes from the legal
  form at the start of the name (HTX → cooperative, Công ty/DNTN → company, Tổ hợp tác →
  cooperative group, Hộ kinh doanh/Hộ/Cơ sở → household business); otherwise it is left to fill.
  The longest spelling is kept as the name (the one without abbreviations). Existing producer
  records are never modified.
* **Phones**: spaces, dots and dashes removed; a 9-digit number whose leading 0 Excel dropped gets
  it back (said in the row). A number that is still not a Vietnamese phone is not written: it goes
  into the producer file as a comment and the row gets a warning.
* **Addresses**: ``certified_address.text`` keeps the cell as printed and its province (the former
  one for a pre-merger certificate: "tỉnh Hà Giang" stays Hà Giang while the record's province is
  Tuyên Quang) — but a person's hamlet or street (household business, cooperative group, or a new
  producer whose name does not say it is a company or cooperative) only when the producer's record
  holds ``street`` consent: otherwise the text starts at the commune and the hamlet is kept in
  ``address.street`` alone, which is published only with consent (catalog/records/privacy.py, issue #22). The commune in force comes from the old → new conversion (:mod:`catalog.reference.places`,
  through :func:`_where`); a ward split between communes is left to fill with the candidates as
  a comment; an address without a commune leaves it to fill.
* **Ids**: an id column is checked like every id (lower-case ASCII words joined by hyphens, 3–48
  characters, not ``trang-N``) and the path it makes must stay inside its province folder. Made
  ids come from the name; two products of the same name get their commune (then producer) added.
* **Renewal**: an existing product (same id, or folded name + producer, or same certificate) with a
  newer decision is renewed: the whole current certificate (stars, score, legal basis, decision,
  body, number, valid until) moves to ``earlier_ratings``. An older decision "renews backwards" and
  is refused. A renewal under a new taxonomy (1048 → 148) needs the row's group, else it is left
  to fill — sectors are never translated into groups.
* **Product sets** are written only when the sheet names one (exactly, by name or code). Otherwise
  a set is *suggested* from the product name (``set_hints`` in ``import_columns.yaml``), shown
  as "gợi ý" and written as a comment, never as a value.
* **Formulas.** Text that starts like a spreadsheet formula (``=``, ``+``, ``-``, ``@``, tab, CR
  followed by a letter or symbol) is refused for the row: written into a record it would reach the
  open-data CSV. The ``--report`` CSV, which officers open in Excel, neutralises every such cell
  with a leading apostrophe (OWASP; :func:`neutralise`) — the importer's own helper until the
  export module's lands.
* **Kinds of decision** (issue #24): recognition, re-recognition (*công nhận lại*), revocation
  (*thu hồi*) and mixed lists, as data in ``import_columns.yaml`` (``decision_kinds``), recognised
  from the columns and the title block (:func:`decision_kind`), shown in the dry run's first line,
  overridable with ``--kind``. A **revocation** row must name an existing product (id, certificate
  number, or name [+ producer]); it writes ``certificate.revocation`` (decision, body, reason,
  ``effective_from`` when later than the decision) and nothing else. A **re-recognition** row must
  name an existing product too; its old certificate ("Số GCN đã cấp", "Hạng sao đã công nhận")
  must be the record's current one; the new one becomes current and the old one moves to
  ``earlier_ratings``; "Nâng hạng / Giữ hạng / Hạ hạng" is checked against the stars.
* **A revocation is never dropped or hidden**: a product whose certificate carries a revocation is
  not renewed by an import (a recognition after a revocation is a new file — the officer decides);
  a "new" certificate that reuses the current GCN number, or a decision that is a revocation
  decision on record, is refused with the reason. A renewal takes ``certified_address`` from the
  annex when it has one (the new certificate prints it) and lists the change.
* **Sheets, sections, headers.** Every visible sheet with a header row is read (see
  :mod:`catalog.staff.annex`); rows are named "trang tính 'X', dòng N" when there are several. Stars come
  from the column, else the section row above ("I. SẢN PHẨM ĐẠT 4 SAO"), else the sheet name ("4
  sao"), else the title ("… ĐẠT 4 SAO"). A row whose name cell is merged from the row above is a
  continuation: its other cells are joined to that row. A producer cell holding the name, a line
  break and the address (and maybe "ĐT: …") is split; "Địa chỉ:" prefixes are dropped. A group
  name in a product-set column is taken as the group. Mapping keys that match no column are
  named in a warning.
* **Writing is all or nothing**: every file is first written to a temporary name beside its
  target; only when all are written are they renamed into place, and a failure while renaming
  puts back what was there. Nothing is written on a dry run.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import annex
from ..records.loader import load_file
from ..records.privacy import certified_text_without_street, consented
from ..reference import places, rulebook
from ..reference.errors import CatalogError
from ..reference.paths import DATA_DIR
from .fmt import _normalise, _yaml
from ..records.problems import ERROR, Problem, format_text, sort_problems
from ..checks.rules import RESERVED_ID, Checked, check_all, producer_key
from ..records.schemas import load_schema, resolve, validate_record
from ..checks.validate import check, load_config
from ..records.loader import load_bytes
from .templates import province_folder

DATA = DATA_DIR
NEAR_MATCH = 0.9  # difflib ratio of producer keys above which a new name is taken as an existing producer
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ID_MAX = 48


# --- the column table ------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _table() -> dict:
    with open(DATA / "import_columns.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def field_names() -> list[str]:
    return list(_table()["fields"])


def field_words(name: str) -> str:
    return _table()["fields"].get(name, {}).get("words", name)


def heading_key(text: Any) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", places.fold(str(text))).split())


@lru_cache(maxsize=None)
def known_columns() -> dict[str, str]:
    return {heading_key(h): name for name, entry in _table()["fields"].items() for h in entry["headings"]}


SKIP_WORDS = {"bo qua", "skip", "khong dung"}
KINDS = ("recognition", "re-recognition", "revocation", "mixed")


def kind_table() -> dict[str, dict]:
    return _table()["decision_kinds"]


def kind_option(typed: str) -> str:
    """``--kind`` → a kind ('thu-hoi' → revocation)."""
    key = typed.strip().lower()
    for kind, entry in kind_table().items():
        if key == kind or key in entry.get("options", []):
            return kind
    allowed = ", ".join(o for e in kind_table().values() for o in e.get("options", [])[:1])
    raise CatalogError(f"--kind '{typed}': không phải loại quyết định ({allowed})")


def _without_revoked_things(folded: str) -> str:
    """'… về việc thu hồi quyết định công nhận …' → '… về việc ': the clause after 'thu hồi' names
    what is revoked, not a second kind of decision."""
    return re.sub(r"\bthu hoi\b[^,;()]*", " ", folded)


def decision_kind(title: list[str], fields: set[str]) -> tuple[str, str]:
    """(kind, where it was recognised) from the columns, then the title block."""
    table = kind_table()
    by_columns = [k for k in ("re-recognition", "revocation") if any(f in fields for f in table[k].get("columns", []))]
    if any(f in fields for f in table["mixed"].get("columns", [])) or len(by_columns) > 1:
        column = next(f for k in ("mixed", "re-recognition", "revocation") for f in table[k].get("columns", []) if f in fields)
        return "mixed", f"cột {field_words(column)}"
    if by_columns:
        column = next(f for f in table[by_columns[0]]["columns"] if f in fields)
        return by_columns[0], f"cột {field_words(column)}"
    text = heading_key(" ".join(title))
    found = []
    if any(re.search(rf"\b{w}\b", text) for w in table["revocation"]["title"]):
        found.append("revocation")
    rest = _without_revoked_things(text)
    if any(re.search(rf"\b{w}\b", rest) for w in table["re-recognition"]["title"]):
        found.append("re-recognition")
        for w in table["re-recognition"]["title"]:
            rest = re.sub(rf"\b{w}\b", " ", rest)
    if any(re.search(rf"\b{w}\b", rest) for w in table["recognition"]["title"]):
        found.append("recognition")
    if len(found) > 1:
        return "mixed", "tiêu đề bảng"
    if found:
        return found[0], "tiêu đề bảng"
    return "recognition", "mặc định"


def row_kind_of(text: str) -> str | None:
    """The kind a mixed list's cell or section names ('Thu hồi', 'Nâng hạng', 'Công nhận mới')."""
    key = heading_key(text)
    for kind in ("revocation", "re-recognition", "recognition"):
        if any(re.search(rf"\b{w}\b", key) for w in kind_table()[kind].get("rows", [])):
            return kind
    return None


_SECTION_STARS = re.compile(r"\b([1-5]) sao\b")
_SECTION_START = re.compile(r"^(?:(?:[ivxlc]+|[a-d]|\d{1,2}) )?(?:danh sach |cac )?(?:san pham|nhom)\b")


def section_of(texts: list[str]) -> tuple[int | None, str | None]:
    """(stars, kind) that a section row names: 'I. SẢN PHẨM ĐẠT 4 SAO' → (4, None); 'II. SẢN PHẨM
    BỊ THU HỒI' → (None, 'revocation'). (None, None) for any other row."""
    if not texts or len(texts) > 2:
        return None, None
    key = heading_key(" ".join(texts))
    if not _SECTION_START.match(key) and not re.match(r"^(?:[ivxlc]+|[a-d]) ", key):
        return None, None
    m = _SECTION_STARS.search(key)
    kind = row_kind_of(key) if re.search(r"\b(?:thu hoi|cong nhan|danh gia lai|nang hang|giu hang|ha hang)\b", key) else None
    return (int(m.group(1)) if m else None), kind


def stars_named(text: str | None) -> int | None:
    """'4 sao' (a sheet name), '… ĐẠT 4 SAO' (a title) → 4."""
    if not text:
        return None
    found = {int(m) for m in re.findall(r"(?:^|\bdat |\bhang )([1-5]) sao\b", heading_key(text))}
    return found.pop() if len(found) == 1 else None


# --- messages about rows ---------------------------------------------------------------------------


@dataclass
class Note:
    """Something the importer says about a row: an error (the row is not written) or a warning."""

    row: int
    column: str
    message: str
    severity: str = ERROR
    sheet: str | None = None  # set when the file has several lists

    def __str__(self) -> str:
        where = (f"Trang tính '{self.sheet}', dòng {self.row}" if self.sheet else f"Dòng {self.row}") + (
            f", cột '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


# --- mapping and header ----------------------------------------------------------------------------


def read_mapping(path: Path) -> dict[str, str | None]:
    """heading key → field (None: ignore on purpose). A field the tool does not know is an error,
    reported with every other one at once and with the names that are allowed.

    The file is read by the project's strict loader (:mod:`catalog.records.loader`, issue #22): no anchors,
    aliases or tags (a 354-byte alias bomb used to end in a MemoryError), a size limit, and text
    values only — one line for the first problem."""
    loaded = load_file(path, str(path))
    errors = [p for p in loaded.problems if p.severity == ERROR]
    if errors:
        raise CatalogError(f"tệp ánh xạ cột không đọc được: {format_text(errors[0])} — mỗi dòng: 'Tiêu đề cột: tên trường', "
                           "lưu UTF-8")
    data = {} if loaded.data is None else loaded.data
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: cần các dòng 'Tiêu đề cột: tên trường', ví dụ 'Tên SP: name'")
    for heading, target in data.items():
        if target is not None and not isinstance(target, str):
            raise CatalogError(f"{path}: '{str(heading)[:60]}': tên trường phải là chữ (một dòng 'Tiêu đề cột: tên trường'), "
                               "không phải danh sách hay khối lồng nhau")
    names = field_names()
    out, bad = {}, []  # type: ignore[var-annotated]
    for heading, target in data.items():
        target_text = "" if target is None else str(target).strip()
        if heading_key(target_text) in SKIP_WORDS:
            out[heading_key(heading)] = None
        elif target_text in names:
            out[heading_key(heading)] = target_text
        else:
            close = difflib.get_close_matches(target_text, names, n=1, cutoff=0.6)
            by_words = known_columns().get(heading_key(target_text)) or next(
                (n for n in names if heading_key(field_words(n)) == heading_key(target_text)), None)
            suggestion = by_words or (close[0] if close else None)
            hint = f" Có phải ý bạn là '{suggestion}' ({field_words(suggestion)})?" if suggestion else ""
            bad.append(f"'{heading}: {target_text}' — máy không biết trường '{target_text}'.{hint}")
    if bad:
        allowed = ", ".join(f"{n} ({field_words(n)})" for n in names)
        raise CatalogError(f"{path}: " + " ".join(bad) + f" Tên trường dùng được: {allowed}; hoặc 'bỏ qua'.")
    return out


@dataclass
class Columns:
    fields: dict[int, str]  # column index → field
    headings: dict[str, str]  # field → heading as typed
    ignored: list[str]


def map_columns(header: list[str], mapping: dict[str, str | None]) -> Columns:
    known = known_columns()
    fields, headings, ignored = {}, {}, []
    for i, heading in enumerate(header):
        key = heading_key(heading)
        if not key:
            continue
        name = mapping[key] if key in mapping else known.get(key)
        if name and name not in headings:
            fields[i], headings[name] = name, heading
        elif heading:
            ignored.append(heading)
    return Columns(fields, headings, ignored)


# --- the title block -------------------------------------------------------------------------------


@dataclass
class Decision:
    number: str | None = None
    date: dt.date | None = None
    body: str | None = None
    sources: dict[str, str] = field(default_factory=dict)  # part → where it came from

    @property
    def province(self) -> str | None:
        """The current province of a provincial body ("UBND tỉnh Hà Giang" → Tuyên Quang)."""
        if not self.body:
            return None
        parsed = rulebook.parse_body(self.body)
        if parsed.level != "province" or not parsed.place:
            return None
        return _current_province(parsed.place)


_NUMBER = re.compile(r"(?:quyết định|quyet dinh|qđ|qd)\s*(?:số|so)?\s*:?\s*([0-9]{1,5}[A-Za-z]?\s*/\s*(?:QĐ|QD|qđ|qd)\s*-\s*[A-Za-zĐđ0-9-]+)",
                     re.IGNORECASE)
_DATE_NUM = re.compile(r"ngày\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", re.IGNORECASE)
_DATE_WORDS = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
_BODY_OF = re.compile(r"của\s+(?:(?:chủ tịch|bộ trưởng)\s+)?((?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?:tỉnh|thành phố|tp\.?|huyện|thị xã|quận)"
                      r"\s+[^,;()]+?|Bộ\s+[^,;()]+?)\s*(?:\)|,|;|$|\s+về\s)", re.IGNORECASE)
_BODY_LINE = re.compile(r"^((?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(?:tỉnh|thành phố|huyện|thị xã|quận)\s+.+)$", re.IGNORECASE)


def _decision_number(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("qđ", "QĐ").replace("qd", "QD")


def normalise_body(typed: str) -> str:
    """'UBND TỈNH LẠNG SƠN', 'Ủy ban nhân dân tỉnh Lạng Sơn' → 'UBND tỉnh Lạng Sơn' (the table's name)."""
    typed = " ".join(typed.split()).rstrip(".")
    parsed = rulebook.parse_body(typed)
    if parsed.body is not None:
        return parsed.body.name
    if parsed.level == "district" and parsed.place and parsed.place_kind:
        return f"UBND {parsed.place_kind} {parsed.place.title() if parsed.place.isupper() else parsed.place}"
    return typed


def read_title(lines: list[str]) -> Decision:
    text = " ".join(lines)
    found = Decision()
    if m := _NUMBER.search(text):
        found.number = _decision_number(m.group(1))
        found.sources["number"] = "tiêu đề bảng"
        after = text[m.end():]
        d = _DATE_NUM.search(after) or _DATE_WORDS.search(after)
        if d:
            try:
                found.date = dt.date(int(d.group(3)), int(d.group(2)), int(d.group(1)))
                found.sources["date"] = "tiêu đề bảng"
            except ValueError:
                pass
    if m := _BODY_OF.search(text):
        found.body = normalise_body(m.group(1))
    else:
        for line in lines:
            if m := _BODY_LINE.match(line.strip()):
                found.body = normalise_body(m.group(1))
                break
    if found.body:
        found.sources["body"] = "tiêu đề bảng"
    return found


# --- places (catalog/reference/places.py: names as printed, the official old → new conversion) ---------------


def _current_province(name: str) -> str | None:
    """The province in force that a current or former province name belongs to."""
    printed = places.normalise_province(name)
    if printed is None:
        return None
    if printed in places.provinces():
        return printed
    current = places.former_provinces().get(printed)
    return current if current in places.provinces() else None


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


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text or None


_FORMULA = re.compile(r"^[=+\-@\t\r](?![\d\s.,])")


def looks_like_formula(text: str) -> bool:
    return bool(_FORMULA.match(text)) or text.startswith("=")


def neutralise(value: Any) -> str:
    """A cell for a CSV opened in Excel: text that would start a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# "3?" is "3★" after Excel saved the list as Windows-1258 CSV (the code page has no ★)
_STARS = re.compile(r"^([1-5])\s*(?:sao|★|\*|s|\?)?\.?$", re.IGNORECASE)


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
    name, address, phone = lines[0], [], None
    for line in lines[1:]:
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


def read_date(value: Any, month_first_column: bool) -> DateReading:
    if value in (None, ""):
        return DateReading(None)
    if isinstance(value, dt.datetime):
        return DateReading(value.date())
    if isinstance(value, dt.date):
        return DateReading(value)
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


# --- the plan --------------------------------------------------------------------------------------


@dataclass
class Row:
    """What one product row was understood to say."""

    row: int
    name: str
    producer_typed: str
    producer_id: str | None = None
    producer_new: bool = False
    producer_note: str | None = None
    stars: int | None = None
    score: float | None = None
    group: str | None = None
    product_set: str | None = None
    set_suggestion: str | None = None
    legal_basis: str | None = None
    decision: Decision = field(default_factory=Decision)
    certificate_number: str | None = None
    valid_until: dt.date | None = None
    phone: str | None = None
    phone_note: str | None = None
    where: Where | None = None
    province: str | None = None  # in force: "Lạng Sơn"
    folder: str | None = None
    id: str | None = None
    description: str | None = None
    note: str | None = None
    representative: str | None = None
    ok: bool = True  # no error on the row
    sheet: str | None = None  # the sheet's name when the file has several lists
    kind: str = "recognition"  # recognition | re-recognition | revocation
    stars_from: str | None = None  # where the stars came from when no column had them
    old_certificate_number: str | None = None
    old_stars: int | None = None
    revocation_reason: str | None = None
    revocation_effective: dt.date | None = None
    address_from_producer: bool = False  # the address was split off the producer cell


@dataclass
class Action:
    row: int
    kind: str  # create | update | renew | revoke | unchanged | skip
    understood: Row | None = None
    path: Path | None = None
    rel: str | None = None
    text: str | None = None  # the file as it will be written
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # what validate will report on the file

    @property
    def sheet(self) -> str | None:
        return self.understood.sheet if self.understood else None


@dataclass
class Skipped:
    row: int
    kind: str  # title | numbering | group | blank | total | signature | header | hidden | no-name | continuation
    text: str
    sheet: str | None = None


SKIP_WORDS_VI = {"numbering": "hàng số thứ tự cột", "group": "tiêu đề nhóm", "blank": "dòng trống",
                 "total": "dòng tổng cộng", "signature": "phần chữ ký", "header": "tiêu đề cột lặp lại",
                 "continuation": "dòng nối tiếp (ô tên gộp) đã ghép vào dòng trên"}


@dataclass
class Plan:
    source: Path
    sheet: annex.Sheet
    columns: Columns
    decision: Decision
    actions: list[Action]
    producers: list[PlannedProducer]
    notes: list[Note]
    skipped: list[Skipped]
    producer_problems: dict[str, list[Problem]] = field(default_factory=dict)
    kind: str = "recognition"
    kind_source: str = "mặc định"
    sheets: list[annex.Sheet] = field(default_factory=list)

    @property
    def errors(self) -> list[Note]:
        return [n for n in self.notes if n.severity == ERROR]

    @property
    def written(self) -> list[Action]:
        return [a for a in self.actions if a.kind in ("create", "update", "renew", "revoke")]


def _skip_kind(texts: list[str], stt: Any, name: Any, header_keys: list[str], basis: str) -> str | None:
    if not texts:
        return "blank"
    joined = heading_key(" ".join(texts))
    if all(re.fullmatch(r"\(?\d{1,2}\)?", t) for t in texts) and len(texts) >= 3:
        return "numbering"
    if [heading_key(t) for t in texts] == [k for k in header_keys if k][:len(texts)] and len(texts) >= 3:
        return "header"
    if re.match(r"^(?:tong cong|tong so|cong|tong)\b", joined):
        return "total"
    if re.search(r"\b(?:kt chu tich|tm uy ban nhan dan|tm ubnd|pho chu tich|chu tich|noi nhan|nguoi lap bieu|da ky|giam doc)\b",
                 joined) and not isinstance(stt, (int, float)):
        return "signature"
    stt_text = _text(stt) or ""
    if re.fullmatch(r"[IVXLC]+\.?|[A-D]\.?", stt_text) or (len(texts) <= 2 and any(group_heading(t, basis) for t in texts)):
        return "group"
    if not isinstance(stt, (int, float)) and section_of(texts) != (None, None):
        return "group"
    if not _text(name):
        return "no-name"
    return None


@dataclass
class Context:
    """What the rows above a product row say about it: group, stars, kind (section rows)."""

    group: str | None = None
    stars: int | None = None
    stars_from: str | None = None
    kind: str | None = None


def classify_rows(sheet: annex.Sheet, columns: Columns, cell, basis: str, notes: list[Note],
                  skipped: list[Skipped], sheet_stars: tuple[int, str] | None = None,
                  sheet_name: str | None = None) -> list[tuple[annex.Row, Context]]:
    """The product rows below the header, each with what its section rows named (group, stars,
    kind); every other row (hidden, blank, numbering, group, total, signature, repeated header, no
    name, continuation) into ``skipped``."""
    header_keys = [heading_key(h) for h in sheet.header]
    name_column = next((i for i, f in columns.fields.items() if f == "name"), None)
    product_rows: list[tuple[annex.Row, Context]] = []
    now = Context(stars=sheet_stars[0] if sheet_stars else None, stars_from=sheet_stars[1] if sheet_stars else None)
    after_signature = False
    total_claimed: tuple[int, int] | None = None
    follows_product = False  # the row above was a product row (or its continuation)
    for r in sheet.rows:
        texts = annex._texts(r)
        if r.hidden and texts:
            notes.append(Note(r.number, "", f"dòng bị ẩn trong Excel, không nhập ('{' | '.join(texts)[:120]}'): "
                                            "bản in của phụ lục không có dòng này. Nếu đó là sản phẩm được công nhận, "
                                            "bỏ ẩn dòng rồi chạy lại", "warning", sheet_name))
            skipped.append(Skipped(r.number, "hidden", " | ".join(texts), sheet_name))
            follows_product = False
            continue
        if (name_column is not None and name_column in r.merged and product_rows and follows_product and texts
                and cell(r, "name") == cell(product_rows[-1][0], "name")):
            previous, context = product_rows[-1]
            joined = list(previous.cells) + [None] * max(0, len(r.cells) - len(previous.cells))
            for i, value in enumerate(r.cells):
                if i in r.merged or value in (None, ""):
                    continue
                before = joined[i]
                joined[i] = value if before in (None, "") else f"{before} {value}"
            product_rows[-1] = (annex.Row(previous.number, joined, previous.hidden, previous.merged), context)
            skipped.append(Skipped(r.number, "continuation", " | ".join(texts), sheet_name))
            continue
        kind = "signature" if after_signature and texts else _skip_kind(texts, cell(r, "stt"), cell(r, "name"), header_keys, basis)
        follows_product = kind is None
        if kind == "signature":
            after_signature = True
        if kind == "group":
            named = next((g for t in texts if (g := group_heading(t, basis))), None)
            if named:
                now = Context(named, now.stars, now.stars_from, now.kind)
            stars, section_kind = section_of(texts)
            if stars:
                now = Context(now.group, stars, f"dòng tiêu đề mục {r.number}", now.kind)
            if section_kind:
                now = Context(now.group, now.stars, now.stars_from, section_kind)
        if kind == "total":
            m = re.search(r"(\d+)", " ".join(texts))
            if m:
                total_claimed = (r.number, int(m.group(1)))
        if kind == "no-name":
            notes.append(Note(r.number, columns.headings.get("name", ""),
                              f"dòng không có tên sản phẩm, không nhập ('{' | '.join(texts)[:120]}')", "warning", sheet_name))
        if kind is not None:
            skipped.append(Skipped(r.number, kind, " | ".join(texts), sheet_name))
            continue
        product_rows.append((r, now))
    if total_claimed and total_claimed[1] != len(product_rows):
        notes.append(Note(total_claimed[0], "", f"dòng tổng cộng ghi {total_claimed[1]} sản phẩm, nhưng bảng có "
                                                 f"{len(product_rows)} dòng sản phẩm: kiểm tra dòng thiếu hoặc dòng bị ẩn", "warning",
                          sheet_name))
    return product_rows


def _validate_plan(root: Path, existing: list[Checked], files: dict[str, tuple[str, str]], as_of: dt.date,
                   base_url: str | None) -> dict[str, list[Problem]]:
    """What ``ocop validate`` will report on each planned file, with every other record around it."""
    checked = [c for c in existing if c.file not in files]
    problems: list[Problem] = []
    for rel, (kind, text) in sorted(files.items()):
        loaded = load_bytes(text.encode("utf-8"), rel)
        problems.extend(loaded.problems)
        data, schema_ok = None, False
        if loaded.data is not None:
            data, schema_problems = validate_record(kind, loaded)
            problems.extend(schema_problems)
            schema_ok = not schema_problems
        parts = rel.split("/")
        checked.append(Checked(kind, rel, parts[1], Path(rel).stem, loaded, data, schema_ok, root))
    problems.extend(check_all(checked, as_of, base_url))
    out: dict[str, list[Problem]] = {rel: [] for rel in files}
    for p in sort_problems(problems):
        if p.file in out:
            out[p.file].append(p)
    return out


def plan(root: Path, source: Path, mapping_file: Path | None = None, default_province: str | None = None,
         as_of: dt.date | None = None, decision_number: str | None = None, decision_date: str | None = None,
         body: str | None = None, kind: str | None = None) -> Plan:
    """Read ``source`` and plan every record; nothing is written. ``kind``: --kind (see
    :func:`kind_option`), else recognised from the columns and the title."""
    root = Path(root)
    as_of = as_of or dt.date.today()
    mapping = read_mapping(mapping_file) if mapping_file else {}
    known = set(known_columns()) | {k for k, v in mapping.items() if v}
    sheets = annex.read_sheets(source, lambda text: heading_key(text) in known)
    sheet = sheets[0]
    several = len(sheets) > 1
    all_columns = [map_columns(s.header, mapping) for s in sheets]
    columns = all_columns[0]

    # the decision: title block, then the options (which win), then per-row columns
    decision = read_title(sheet.title)
    for other in sheets[1:]:
        more = read_title(other.title)
        for part in ("number", "date", "body"):
            if getattr(decision, part) is None and getattr(more, part) is not None:
                setattr(decision, part, getattr(more, part))
                decision.sources[part] = more.sources[part]
    if decision_number:
        if not re.fullmatch(r"[0-9]{1,5}[A-Za-z]?/(QĐ|QD)-[A-ZĐ0-9-]+", decision_number.strip()):
            raise CatalogError(f"--decision '{decision_number}': viết số quyết định dạng SỐ/QĐ-CƠQUAN, ví dụ 1234/QĐ-UBND")
        decision.number, decision.sources["number"] = decision_number.strip(), "--decision"
    if decision_date:
        reading = read_date(decision_date.strip(), False)
        if reading.date is None:
            raise CatalogError(f"--date '{decision_date}': ghi ngày/tháng/năm, ví dụ 15/08/2025")
        decision.date, decision.sources["date"] = reading.date, "--date"
    if body:
        decision.body, decision.sources["body"] = normalise_body(body), "--body"
        if rulebook.parse_body(decision.body).level is None:
            raise CatalogError(f"--body '{body}': không nhận ra cơ quan (ví dụ: \"UBND tỉnh Lạng Sơn\", "
                               "\"Bộ Nông nghiệp và Môi trường\")")

    # the kind of decision
    all_fields = {f for c in all_columns for f in c.fields.values()}
    if kind:
        list_kind, kind_source = kind_option(kind), "--kind"
    else:
        list_kind, kind_source = decision_kind([t for sh in sheets for t in sh.title], all_fields)

    # every missing column at once, in the officer's words, with what was read
    sheet_stars: list[tuple[int, str] | None] = []
    title_stars = stars_named(" ".join(sheet.title))
    for sh, cols in zip(sheets, all_columns):
        from_name = stars_named(sh.sheet) if sh.kind == "xlsx" else None
        stars_here = ((from_name, f"tên trang tính '{sh.sheet}'") if from_name else
                      (title_stars, "tiêu đề bảng") if title_stars else None)
        sheet_stars.append(stars_here)
        fields = set(cols.fields.values())
        has_sections = any(section_of(annex._texts(r))[0] for r in sh.rows)
        required = list(kind_table()[list_kind].get("required", _table()["required"]))
        missing = [n for n in required if n not in fields and not (n == "stars" and (stars_here or has_sections))]
        if list_kind == "revocation" and "name" in missing and ({"certificate_number", "id"} & fields):
            missing.remove("name")
        for part, name in (("number", "decision_number"), ("date", "decision_date"), ("body", "deciding_body")):
            if name not in fields and getattr(decision, part) is None:
                missing.append(name)
        if missing:
            options = {"decision_number": "--decision", "decision_date": "--date", "deciding_body": "--body"}
            words = "; ".join(f"{field_words(n)} ({n}" + (f", hoặc {options[n]}" if n in options else "") + ")" for n in missing)
            read = ", ".join(f"'{h}'" for h in sh.header if h) or "(không có)"
            where = f"trang tính '{sh.sheet}': " if several else ""
            raise CatalogError(f"{source}: {where}thiếu cột {words}. Các cột đọc được (dòng {sh.header_row}): {read}. "
                               "Dùng --mapping cot.yaml ('Tiêu đề cột: tên trường') cho cột có tên khác")

    province_arg = None
    if default_province:
        province_arg = places.provinces_by_folder()[province_folder(default_province)].name
    list_province = province_arg or decision.province

    result = check(root, as_of)
    config, _ = load_config(root)
    base_url = config.get("base_url") if config else None
    existing_products: dict[str, Checked] = {}
    existing_producers: dict[str, Checked] = {}
    for c in result.checked:
        if c.data is None or not isinstance(c.data.get("id"), str):
            continue
        if c.kind == "product":
            existing_products[c.data["id"]] = c
        elif c.kind == "producer":
            existing_producers[c.data["id"]] = c
    producer_keys: dict[tuple[str, str], str] = {}
    for pid, c in sorted(existing_producers.items()):
        if isinstance(c.data.get("name"), str):
            producer_keys.setdefault((c.folder, producer_key(c.data["name"])), pid)
    by_name = {(places.fold(" ".join(str(c.data.get("name", "")).split())), c.data.get("producer")): c
               for c in existing_products.values()}
    by_certificate = {}
    # (decision number, date) → the file whose revocation it is (numbers repeat across bodies and years)
    revocation_decisions: dict[tuple[str, str], str] = {}
    for c in existing_products.values():
        cert = c.data.get("certificate") if isinstance(c.data.get("certificate"), dict) else {}
        if isinstance(cert.get("number"), str):
            by_certificate[(c.folder, heading_key(cert["number"]), str((cert.get("decision") or {}).get("date", ""))[:4])] = c
        revoked = cert.get("revocation") if isinstance(cert.get("revocation"), dict) else {}
        if isinstance((revoked.get("decision") or {}).get("number"), str):
            revocation_decisions[(revoked["decision"]["number"], str(revoked["decision"].get("date")))] = c.file

    notes: list[Note] = [Note(0, "", n, "warning") for n in sheet.notes]
    if mapping:
        headers = {heading_key(h) for sh in sheets for h in sh.header if h}
        unused = [k for k in mapping if k not in headers]
        if unused:
            notes.append(Note(0, "", f"ánh xạ cột trong {mapping_file.name if mapping_file else 'tệp ánh xạ'} không khớp cột nào của bảng: "
                                     + ", ".join(f"'{k}'" for k in unused)
                                     + " — kiểm tra chính tả tiêu đề cột (so không dấu, không phân biệt hoa thường)", "warning"))
    skipped: list[Skipped] = []

    # which rows are products, sheet by sheet
    basis_guess = rulebook.legal_basis_on(decision.date or as_of) or rulebook.legal_basis_codes()[-1]
    product_rows: list[tuple[int, annex.Row, Context]] = []
    col_ofs: list[dict[str, int]] = []
    for index, (sh, cols) in enumerate(zip(sheets, all_columns)):
        col_of_s = {name: i for i, name in cols.fields.items()}
        col_ofs.append(col_of_s)

        def sheet_cell(r: annex.Row, name: str, col_of_s: dict[str, int] = col_of_s) -> Any:
            i = col_of_s.get(name)
            return r.cells[i] if i is not None and i < len(r.cells) else None

        found_rows = classify_rows(sh, cols, sheet_cell, basis_guess, notes, skipped, sheet_stars[index],
                                   sh.sheet if several else None)
        product_rows.extend((index, r, ctx) for r, ctx in found_rows)

    def cell(r: annex.Row, name: str) -> Any:
        i = col_ofs[current_sheet].get(name)
        return r.cells[i] if i is not None and i < len(r.cells) else None

    # date columns: month first anywhere in the column?
    us_columns = {}
    for name in ("decision_date", "valid_until", "revocation_effective"):
        us_columns[name] = month_first([r.cells[col_ofs[i][name]] for i, r, _ in product_rows
                                        if name in col_ofs[i] and col_ofs[i][name] < len(r.cells)])

    # CSV saved from a sheet with merged producer cells: the value is only in the first row
    fill_down = sheet.kind == "csv"
    previous: dict[str, Any] = {}  # the product row just above (a merged cell spans adjacent rows only)
    previous_row = -1

    rows: list[Row] = []
    planned_producers: dict[tuple[str, str], PlannedProducer] = {}
    taken_producer_ids = set(existing_producers)
    current_sheet = 0
    for current_sheet, r, context in product_rows:
        errors_before = len([n for n in notes if n.severity == ERROR])
        columns = all_columns[current_sheet]
        sheet_name = sheets[current_sheet].sheet if several else None
        group_context = context.group

        def bad(name: str, message: str, severity: str = ERROR) -> None:  # called in this iteration only
            notes.append(Note(r.number, columns.headings.get(name, ""), message, severity, sheet_name))  # noqa: B023

        values = {name: cell(r, name) for name in col_ofs[current_sheet]}
        if fill_down and not _text(values.get("producer")) and _text(previous.get("producer")) and previous_row == r.number - 1:
            for name in ("producer", "certified_address", "phone", "representative"):
                if name in col_ofs[current_sheet] and not _text(values.get(name)):
                    values[name] = previous.get(name)
            bad("producer", f"ô trống — lấy '{_text(values['producer'])}' của dòng trên (ô gộp trong Excel); "
                            "nếu không phải, ghi tên chủ thể vào ô này", "warning")
        previous, previous_row = values, r.number
        for name in ("name", "producer", "certified_address", "description", "representative", "certificate_number"):
            text = _text(values.get(name))
            if text and looks_like_formula(text):
                bad(name, f"'{text[:60]}' bắt đầu như một công thức Excel ({text[0]!r}): ghi giá trị, không ghi công thức")
        producer_name, producer_address, producer_phone = split_producer(values.get("producer"))
        u = Row(r.number, _text(values.get("name")) or "", producer_name or "")
        u.sheet = sheet_name

        # the kind of this row
        u.kind = list_kind
        if list_kind == "mixed":
            typed_kind = _text(values.get("row_kind"))
            named_kind = row_kind_of(typed_kind) if typed_kind else None
            if typed_kind and named_kind is None:
                bad("row_kind", f"'{typed_kind}' không phải hình thức (ghi: Công nhận mới; Công nhận lại, Nâng hạng, Giữ hạng, "
                                "Hạ hạng; hoặc Thu hồi)")
            u.kind = (named_kind or context.kind
                      or ("revocation" if _text(values.get("revocation_reason")) else None)
                      or ("re-recognition" if _text(values.get("old_certificate_number")) or _text(values.get("old_stars")) else None)
                      or "recognition")

        # the decision of this row
        u.decision = Decision(decision.number, decision.date, decision.body, dict(decision.sources))
        if (number := _text(values.get("decision_number"))) and number != decision.number:
            m = _NUMBER.search(f"QĐ {number}") if not re.match(r"^\d", number) else None
            typed = _decision_number(m.group(1)) if m else re.sub(r"\s+", "", number)
            if not re.fullmatch(r"[0-9]{1,5}[A-Za-z]?/(QĐ|QD)-[A-ZĐ0-9-]+", typed):
                bad("decision_number", f"'{number}' không phải số quyết định (ví dụ 1234/QĐ-UBND)")
            u.decision.number, u.decision.sources["number"] = typed, "cột"
        raw_date = values.get("decision_date")
        if raw_date not in (None, ""):
            reading = read_date(raw_date, us_columns["decision_date"])
            if reading.error:
                bad("decision_date", reading.error)
            elif reading.warning:
                bad("decision_date", reading.warning, "warning")
            if reading.date and reading.date != decision.date:
                if decision.date and not _text(values.get("decision_number")) and decision.sources.get("date"):
                    bad("decision_date", f"{vn_date(reading.date)} khác ngày của Quyết định {decision.number} "
                                         f"({vn_date(decision.date)}, {decision.sources['date']}): sửa ô này hoặc tiêu đề")
                u.decision.date, u.decision.sources["date"] = reading.date, "cột"
        if (body_text := _text(values.get("deciding_body"))) and normalise_body(body_text) != decision.body:
            u.decision.body, u.decision.sources["body"] = normalise_body(body_text), "cột"
        for part, name in (("number", "decision_number"), ("date", "decision_date"), ("body", "deciding_body")):
            if getattr(u.decision, part) is None and not any(n.row == r.number and n.sheet == sheet_name
                                                             and n.column == columns.headings.get(name) for n in notes):
                bad(name, f"thiếu {field_words(name).lower()} (không có trong cột, tiêu đề bảng hay tuỳ chọn "
                          f"{ {'number': '--decision', 'date': '--date', 'body': '--body'}[part]})")
        if u.decision.date and u.decision.date > as_of:
            bad("decision_date", f"ngày quyết định {vn_date(u.decision.date)} chưa tới (hôm nay {vn_date(as_of)})")
        u.legal_basis = _text(values.get("legal_basis"))
        if u.legal_basis and u.legal_basis not in rulebook.legal_basis_codes():
            bad("legal_basis", f"'{u.legal_basis}' không phải bộ tiêu chí ({', '.join(rulebook.legal_basis_codes())})")
            u.legal_basis = None
        if not u.legal_basis and u.decision.date:
            u.legal_basis = rulebook.legal_basis_on(u.decision.date)
        basis = u.legal_basis or basis_guess

        # stars, score, certificate (a revocation carries none of them but the certificate number)
        u.certificate_number = re.sub(r"\s+", "", _text(values.get("certificate_number")) or "") or None
        if u.kind == "revocation":
            u.revocation_reason = _text(values.get("revocation_reason"))
            if not u.revocation_reason or len(u.revocation_reason) < 3:
                bad("revocation_reason", "thiếu lý do thu hồi (ghi như trong quyết định, ví dụ: Chủ thể không duy trì "
                                         "chất lượng sản phẩm)")
            raw_effective = values.get("revocation_effective")
            if raw_effective not in (None, ""):
                reading = read_date(raw_effective, us_columns["revocation_effective"])
                if reading.error:
                    bad("revocation_effective", reading.error)
                elif reading.warning:
                    bad("revocation_effective", reading.warning, "warning")
                u.revocation_effective = reading.date
        elif _text(values.get("stars")) is None and context.stars:
            u.stars, u.stars_from = context.stars, context.stars_from
        else:
            try:
                u.stars = parse_stars(values.get("stars"))
                if u.stars not in rulebook.rules()["certified_stars"]:
                    bad("stars", f"'{_text(values.get('stars'))}': chỉ sản phẩm 3, 4 hoặc 5 sao được cấp giấy chứng nhận")
            except ValueError:
                bad("stars", f"'{_text(values.get('stars')) or ''}' không phải hạng sao (ghi 3, 4 hoặc 5; '4 sao', '4★' cũng được)")
        if u.kind == "re-recognition":
            u.old_certificate_number = re.sub(r"\s+", "", _text(values.get("old_certificate_number")) or "") or None
            if _text(values.get("old_stars")):
                try:
                    u.old_stars = parse_stars(values.get("old_stars"))
                except ValueError:
                    bad("old_stars", f"'{_text(values.get('old_stars'))}' không phải hạng sao (ghi 3, 4 hoặc 5)")
            if (u.certificate_number and u.old_certificate_number
                    and heading_key(u.certificate_number) == heading_key(u.old_certificate_number)):
                bad("certificate_number", f"số GCN mới '{u.certificate_number}' trùng số GCN đã cấp: giấy chứng nhận công nhận "
                                          "lại mang số mới — kiểm tra cột (Số GCN mới / Số GCN đã cấp)")
            note_key = heading_key(_text(values.get("note")) or "")
            if u.stars and u.old_stars:
                expected = ("nang hang" if u.stars > u.old_stars else "ha hang" if u.stars < u.old_stars else "giu hang")
                said = next((w for w in ("nang hang", "giu hang", "ha hang") if w in note_key), None)
                if said and said != expected:
                    bad("note", f"ghi chú '{_text(values.get('note'))}' nhưng hạng sao {u.old_stars} → {u.stars}: kiểm tra lại "
                                "hạng sao hoặc ghi chú", "warning")
        if u.kind != "revocation":
            try:
                u.score = parse_score(values.get("score"))
            except ValueError as exc:
                bad("score", f"'{exc}' không phải số điểm (ví dụ 78,5)")
        raw_until = values.get("valid_until")
        if u.kind == "revocation":
            pass
        elif raw_until not in (None, ""):
            reading = read_date(raw_until, us_columns["valid_until"])
            if reading.error:
                bad("valid_until", reading.error)
            elif reading.warning:
                bad("valid_until", reading.warning, "warning")
            u.valid_until = reading.date
        elif u.decision.date:
            u.valid_until = rulebook.expected_valid_until(u.decision.date)

        # classification
        if group_text := _text(values.get("group")):
            g, s = _group_by_name(group_text, basis)
            if g is None:
                bad("group", f"'{group_text}' không phải nhóm hay bộ sản phẩm (ví dụ: Thực phẩm; Chè tươi, chè chế biến)",
                    "warning")
            u.group, u.product_set = g, s
        if set_text := _text(values.get("product_set")):
            g, s = _group_by_name(set_text, basis)
            if s is None and g is not None:  # the column holds a group ("Thực phẩm" under "Phân nhóm")
                if u.group and u.group != g:
                    bad("product_set", f"nhóm '{set_text}' khác nhóm '{rulebook.group_name(u.group)}' của cột nhóm", "warning")
                u.group = u.group or g
            elif s is None:
                bad("product_set", f"'{set_text}' không phải bộ sản phẩm (xem catalog/data/taxonomy.yaml)", "warning")
            else:
                u.group, u.product_set = u.group or g, s
        if u.group is None and group_context and group_context in rulebook.taxonomy()[_taxonomy_for(basis)]:
            u.group = group_context
        if u.group and group_context and u.group != group_context:
            bad("group", f"nhóm '{rulebook.group_name(u.group)}' khác tiêu đề nhóm phía trên ('{rulebook.group_name(group_context)}')",
                "warning")
        if u.product_set is None and _taxonomy_for(basis) == "groups_148":
            u.set_suggestion = suggest_set(u.name, u.group)

        # where: province, address, commune
        address_text = _text(_drop_address_prefix(values.get("certified_address")))
        if not address_text and producer_address:
            address_text, u.address_from_producer = producer_address, True
        row_province = _text(values.get("province"))
        current = None
        if row_province:
            current = _current_province(row_province)
            if current is None:
                bad("province", f"'{row_province}' không phải tỉnh, thành phố (ví dụ: Lạng Sơn)")
        current = current or list_province
        if address_text:
            u.where = _where(address_text, current)
            from_address = _current_province(u.where.printed_province) if u.where.printed_province else None
            if current is None:
                current = from_address
            elif from_address and from_address != current:
                bad("certified_address", f"địa chỉ ở tỉnh {u.where.printed_province}, nhưng danh sách của tỉnh {current}", "warning")
        if current is None:
            bad("province", "không biết tỉnh của sản phẩm: thêm cột Tỉnh hoặc dùng --province")
        else:
            u.province = current
            u.folder = places.provinces()[current].folder
        if commune_text := _text(values.get("commune")):
            commune = places.find_commune(current, commune_text) if current else None
            if u.where is None:
                u.where = Where("", None, None, commune)
            else:
                u.where.commune, u.where.candidates = commune or u.where.commune, ()
            if not commune:
                bad("commune", f"'{commune_text}' không phải xã, phường hiện nay của tỉnh {current}", "warning")

        # phone
        raw_phone = values.get("phone")
        if raw_phone in (None, "") and producer_phone:
            raw_phone = values["phone"] = producer_phone
        if raw_phone not in (None, ""):
            u.phone, u.phone_note = parse_phone(raw_phone)
            if u.phone is None:
                bad("phone", f"'{_text(raw_phone)}' không phải số điện thoại Việt Nam (10 số, bắt đầu bằng 0): không ghi "
                             "vào hồ sơ, chép vào tệp chủ thể dưới dạng chú thích — hỏi lại chủ thể", "warning")
        u.description = _text(values.get("description"))
        u.note = _text(values.get("note"))
        u.representative = _text(values.get("representative"))

        # id
        if typed_id := _text(values.get("id")):
            if (not ID_PATTERN.fullmatch(typed_id) or not 3 <= len(typed_id) <= ID_MAX or RESERVED_ID.fullmatch(typed_id)):
                bad("id", f"'{typed_id[:80]}' không phải mã hồ sơ: chỉ chữ thường không dấu, chữ số và dấu gạch ngang, "
                          f"3–{ID_MAX} ký tự (ví dụ mat-ong-bac-ha); bỏ trống để máy tạo từ tên")
            else:
                u.id = typed_id
        if not u.name:
            bad("name", "thiếu tên sản phẩm")
        if not u.producer_typed and u.kind == "recognition":
            bad("producer", "thiếu chủ thể sản xuất")

        # producer: an existing one (id, same name, near name), one planned in this run, or a new one
        # (a revocation or a re-recognition names an existing product, so never a new producer)
        if u.producer_typed and u.folder and u.kind != "recognition":
            key = producer_key(u.producer_typed)
            u.producer_id = (u.producer_typed if u.producer_typed in existing_producers
                             else producer_keys.get((u.folder, key))
                             or (producer_keys.get((u.folder, near)) if (near := _near(key, [k for (f, k) in producer_keys
                                                                                               if f == u.folder])) else None))
        elif u.producer_typed and u.folder:
            key = producer_key(u.producer_typed)
            if u.producer_typed in existing_producers:
                u.producer_id = u.producer_typed
            elif (u.folder, key) in producer_keys:
                u.producer_id = producer_keys[(u.folder, key)]
            elif (u.folder, key) in planned_producers:
                planned = planned_producers[(u.folder, key)]
                u.producer_id, u.producer_new = planned.id, True
            else:
                near = _near(key, [k for (f, k) in producer_keys if f == u.folder])
                near_new = _near(key, [k for (f, k) in planned_producers if f == u.folder])
                if near:
                    u.producer_id = producer_keys[(u.folder, near)]
                    u.producer_note = (f"gần giống chủ thể có sẵn '{existing_producers[u.producer_id].data['name']}' "
                                       f"(producers/{u.folder}/{u.producer_id}.yaml): dùng chủ thể này")
                    bad("producer", f"'{u.producer_typed}' {u.producer_note}. Nếu là chủ thể khác, ghi rõ tên trong bảng", "warning")
                elif near_new:
                    planned = planned_producers[(u.folder, near_new)]
                    u.producer_id, u.producer_new = planned.id, True
                    bad("producer", f"'{u.producer_typed}' gần giống '{planned.names[0]}' (dòng {planned.rows[0]}): "
                                    "coi là một chủ thể", "warning")
                    key = near_new
                else:
                    pid = _unique(_id_from(producer_key(u.producer_typed)), taken_producer_ids)
                    planned = PlannedProducer(pid, u.folder, key, [], [], producer_kind(u.producer_typed), None, None)
                    planned_producers[(u.folder, key)] = planned
                    u.producer_id, u.producer_new = pid, True
            if u.producer_new:
                planned = planned_producers[(u.folder, key)]
                planned.names.append(u.producer_typed)
                planned.rows.append(r.number)
                planned.kind = planned.kind or producer_kind(u.producer_typed)
                if planned.where is None and u.where is not None:
                    planned.where = u.where
                if planned.phone is None and u.phone:
                    planned.phone = u.phone
                if u.phone is None and (raw := _text(values.get("phone"))):
                    planned.bad_phones.append((r.number, raw))
                if planned.representative is None and u.representative:
                    planned.representative = u.representative
        u_errors = len([n for n in notes if n.severity == ERROR]) - errors_before
        u.ok = u_errors == 0
        rows.append(u)

    # products: match existing ones, plan files
    actions: list[Action] = []
    taken_ids = set(existing_products)
    name_count: dict[tuple[str, str], int] = {}
    for u in rows:
        if u.folder and u.name:
            k = (u.folder, places.slug(u.name))
            name_count[k] = name_count.get(k, 0) + 1
    seen: dict[str, int] = {}
    by_number: dict[tuple[str, str], list[Checked]] = {}
    by_folded_name: dict[tuple[str, str], list[Checked]] = {}
    for c in existing_products.values():
        cert = c.data.get("certificate") if isinstance(c.data.get("certificate"), dict) else {}
        if isinstance(cert.get("number"), str):
            by_number.setdefault((c.folder, heading_key(cert["number"])), []).append(c)
        by_folded_name.setdefault((c.folder, places.fold(" ".join(str(c.data.get("name", "")).split()))), []).append(c)
    for u in rows:
        if not u.ok:
            actions.append(Action(u.row, "skip", u))
            continue
        if u.kind in ("revocation", "re-recognition"):
            found = _find_named(u, existing_products, by_number, by_folded_name, by_name)
            if found is None:
                what = "quyết định thu hồi" if u.kind == "revocation" else "quyết định công nhận lại"
                typed = " · ".join(x for x in (f"'{u.name}'" if u.name else "", f"chủ thể '{u.producer_typed}'" if u.producer_typed else "",
                                               f"GCN {u.old_certificate_number or u.certificate_number}"
                                               if (u.old_certificate_number or u.certificate_number) else "") if x)
                notes.append(Note(u.row, "", f"không có hồ sơ sản phẩm {typed} trong products/{u.folder or '?'}/: {what} chỉ áp dụng "
                                             "cho sản phẩm đã có hồ sơ — kiểm tra tên, số GCN, hoặc thêm cột Mã sản phẩm; không tạo "
                                             "sản phẩm mới", sheet=u.sheet))
                actions.append(Action(u.row, "skip", u))
                continue
            rid = found.data["id"]
            if rid in seen:
                notes.append(Note(u.row, "", f"trùng với dòng {seen[rid]} (cùng sản phẩm {found.file}): không nhập lần hai", sheet=u.sheet))
                actions.append(Action(u.row, "skip", u))
                continue
            seen[rid] = u.row
            if u.kind == "revocation":
                actions.append(_revoke(u, found, root, notes))
            else:
                actions.append(_update(u, found, root, notes, revocation_decisions))
            continue
        if u.decision.number and u.decision.date and (u.decision.number, u.decision.date.isoformat()) in revocation_decisions:
            revoking_file = revocation_decisions[(u.decision.number, u.decision.date.isoformat())]
            notes.append(Note(u.row, "", f"Quyết định {u.decision.number} là quyết định thu hồi ({revoking_file}), "
                                         "không phải quyết định công nhận: không ghi. Nếu bảng là danh sách thu hồi, dùng --kind thu-hoi",
                              sheet=u.sheet))
            actions.append(Action(u.row, "skip", u))
            continue
        found = None
        if u.id and u.id in existing_products:
            found = existing_products[u.id]
        elif u.producer_id and not u.producer_new:
            found = by_name.get((places.fold(u.name), u.producer_id))
        if found is None and u.certificate_number and u.decision.date:
            found = by_certificate.get((u.folder, heading_key(u.certificate_number), str(u.decision.date.year)))
        if found is not None:
            rid = found.data["id"]
            if rid in seen:
                notes.append(Note(u.row, "", f"trùng với dòng {seen[rid]} (cùng sản phẩm {found.file}): không nhập lần hai", sheet=u.sheet))
                actions.append(Action(u.row, "skip", u))
                continue
            seen[rid] = u.row
            actions.append(_update(u, found, root, notes, revocation_decisions))
            continue
        rid = u.id or _product_id(u, name_count, taken_ids)
        if rid is None:
            notes.append(Note(u.row, columns.headings.get("name", ""), f"không tạo được mã hồ sơ từ tên '{u.name}': thêm cột Mã sản phẩm", sheet=u.sheet))
            actions.append(Action(u.row, "skip", u))
            continue
        if rid in seen:
            notes.append(Note(u.row, "", f"trùng với dòng {seen[rid]} (cùng mã {rid}): không nhập lần hai", sheet=u.sheet))
            actions.append(Action(u.row, "skip", u))
            continue
        seen[rid] = u.row
        taken_ids.add(rid)
        u.id = rid
        actions.append(_create(u, root))
    for action in actions:
        if action.kind == "create" and action.understood is not None:  # updates write files validate found; a new path is made from the sheet
            _inside(root, action.path, "products", action.understood.folder)

    # producers that some written row uses
    used = {a.understood.producer_id for a in actions if a.kind in ("create", "update", "renew") and a.understood}
    producers = [p for p in planned_producers.values() if p.id in used]
    for p in producers:
        p.path = root / "producers" / p.folder / f"{p.id}.yaml"
        _inside(root, p.path, "producers", p.folder)
        p.text = _producer_text(p, source.name)

    # what validate will say about every planned file
    files = {a.rel: ("product", a.text) for a in actions if a.text is not None and a.rel}
    files.update({f"producers/{p.folder}/{p.id}.yaml": ("producer", p.text) for p in producers})
    found_problems = _validate_plan(root, result.checked, files, as_of, base_url)
    for a in actions:
        if a.rel in found_problems:
            a.problems = found_problems[a.rel]
    producer_problems = {f"producers/{p.folder}/{p.id}.yaml": found_problems[f"producers/{p.folder}/{p.id}.yaml"] for p in producers}
    order = {(sh.sheet if several else None): i for i, sh in enumerate(sheets)}
    notes.sort(key=lambda n: (order.get(n.sheet, 0), n.row, n.severity != ERROR))
    return Plan(source, sheet, columns, decision, actions, producers, notes, skipped, producer_problems, list_kind, kind_source,
                sheets)


def _find_named(u: Row, products: dict[str, Checked], by_number: dict, by_folded_name: dict, by_name: dict) -> Checked | None:
    """The existing product a revocation or re-recognition row names: its id, its certificate
    number (the old one in a re-recognition), its name and producer, or its name alone when only
    one product of the province has it."""
    if u.id and u.id in products:
        return products[u.id]
    number = u.old_certificate_number if u.kind == "re-recognition" else u.certificate_number
    if number and u.folder:
        hits = by_number.get((u.folder, heading_key(number)), [])
        if len(hits) == 1:
            return hits[0]
    if u.producer_id and u.name:
        hit = by_name.get((places.fold(u.name), u.producer_id))
        if hit is not None:
            return hit
    if u.name and u.folder:
        hits = by_folded_name.get((u.folder, places.fold(u.name)), [])
        if len(hits) == 1:
            return hits[0]
    return None


def _near(key: str, keys: list[str]) -> str | None:
    close = difflib.get_close_matches(key, sorted(keys), n=1, cutoff=NEAR_MATCH)
    return close[0] if close else None


def _id_from(text: str, limit: int = ID_MAX) -> str:
    slug = places.slug(text)
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def _unique(base: str, taken: set[str]) -> str:
    rid, n = base, 2
    while rid in taken or RESERVED_ID.fullmatch(rid) or len(rid) < 3:
        suffix = f"-{n}"
        rid, n = base[: ID_MAX - len(suffix)] + suffix, n + 1
    taken.add(rid)
    return rid


def _product_id(u: Row, name_count: dict, taken: set[str]) -> str | None:
    base = _id_from(u.name)
    if not base:
        return None
    if name_count.get((u.folder, places.slug(u.name)), 0) > 1 or base in taken:
        place = None
        if u.where and (u.where.commune or u.where.old_commune):
            place = places.slug(re.sub(r"^(?:xã|phường|thị trấn|đặc khu)\s+", "", (u.where.commune or u.where.old_commune), flags=re.I))
        for extra in filter(None, [place, _id_from(producer_key(u.producer_typed), 20)]):
            candidate = _id_from(f"{base}-{extra}")
            if candidate not in taken:
                return candidate
    return _unique(base, set(taken)) if base in taken or len(base) < 3 else base


def _inside(root: Path, path: Path, kind_folder: str, folder: str) -> None:
    """The path a row makes must be a record file directly inside its province folder."""
    base = (root / kind_folder / folder).resolve()
    target = path.resolve()
    if target.parent != base or not folder or not target.name.endswith(".yaml"):
        raise CatalogError(f"{path}: đường dẫn ra ngoài thư mục {kind_folder}/{folder}: không ghi")


def _certificate(u: Row) -> dict:
    cert: dict[str, Any] = {"stars": u.stars}
    if u.score is not None:
        cert["score"] = u.score
    body = u.decision.body or ""
    cert.update({
        "number": u.certificate_number or "",
        "decision": {"number": u.decision.number or "", "date": u.decision.date.isoformat() if u.decision.date else ""},
        "deciding_body": {"level": rulebook.parse_body(body).level or "" if body else "", "name": body},
        "valid_until": u.valid_until.isoformat() if u.valid_until else "",
    })
    return cert


HEADER = ("# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"
          "# Tạo bằng `ocop import` từ {source} (dòng {rows}). Điền các trường còn trống rồi chạy ocop validate.\n")


def _dump(data: dict, kind: str) -> str:
    schema = load_schema(f"{kind}.schema.json")
    doc = _to_commented(data)
    _normalise(doc, schema, f"{kind}.schema.json")
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


def _street_consented(u: Row, root: Path) -> bool:
    """May the certificate's address keep the hamlet/street (issue #22, catalog/records/privacy.py)? For an
    organisation yes; for a person (household business, cooperative group — or a new producer whose
    kind its name does not say) only with ``street`` in the publish_consent of its existing record."""

    if u.producer_new or not u.producer_id:
        return producer_kind(u.producer_typed) in ("cooperative", "company")
    for path in sorted((root / "producers").glob(f"*/{u.producer_id}.yaml")):
        data = load_file(path).data
        if isinstance(data, dict):
            return "street" in consented(data)
    return False


def _create(u: Row, root: Path) -> Action:
    classification: dict[str, Any] = {"legal_basis": u.legal_basis or "", "group": u.group or ""}
    if u.product_set:
        classification["product_set"] = u.product_set
    address: dict[str, Any] = {"province": u.province, "commune": (u.where.commune if u.where else None) or ""}
    if u.where and u.where.street:
        address["street"] = u.where.street
    certified = {"text": u.where.text if u.where and u.where.text else "",
                 "province": (u.where.printed_province if u.where and u.where.printed_province else u.province)}
    if certified["text"] and not _street_consented(u, root):  # a person's hamlet: kept in address.street only
        certified["text"] = certified_text_without_street(certified, u.province)
    record = {"id": u.id, "name": u.name, "classification": classification, "description": u.description or "",
              "producer": u.producer_id, "address": address, "certified_address": certified, "certificate": _certificate(u)}
    text = _dump(record, "product")
    comments = []
    if u.set_suggestion:
        comments.append(f"  # gợi ý: product_set: {u.set_suggestion} ({rulebook.product_set_name(u.group, u.set_suggestion)}) — kiểm tra rồi thêm")
    if u.where and u.where.candidates:
        comments.append(f"  # xã hiện nay là một trong: {', '.join(u.where.candidates)} ({u.where.old_commune} cũ đã chia) — chọn theo thôn")
    text = _with_comments(text, u, comments)
    rel = f"products/{u.folder}/{u.id}.yaml"
    header = HEADER.format(kind="product", source="bảng tính", rows=u.row)
    return Action(u.row, "create", u, root / rel, rel, header + text)


def _with_comments(text: str, u: Row, comments: list[str]) -> str:
    """Put a suggestion comment under the line it is about (classification / address)."""
    lines = text.splitlines()
    for comment in comments:
        anchor = "classification:" if "product_set" in comment else "address:"
        if anchor in lines:
            lines.insert(lines.index(anchor) + 1, comment)
    return "\n".join(lines) + "\n"


def _producer_text(p: PlannedProducer, source: str) -> str:
    record: dict[str, Any] = {"id": p.id, "name": p.name, "kind": p.kind or ""}
    if p.representative:
        record["representative"] = p.representative
    address: dict[str, Any] = {"province": places.provinces_by_folder()[p.folder].name,
                               "commune": (p.where.commune if p.where else None) or ""}
    if p.where and p.where.street:
        address["street"] = p.where.street
    record["address"] = address
    if p.phone:
        record["phone"] = p.phone
    text = HEADER.format(kind="producer", source="bảng tính", rows=", ".join(map(str, p.rows))) + _dump(record, "producer")
    for row, raw in p.bad_phones:
        text += (f"# Số điện thoại trong bảng tính (dòng {row}): '{raw}' — không đúng dạng số Việt Nam; "
                 "hỏi lại chủ thể rồi ghi vào trường phone.\n")
    if p.where and p.where.candidates:
        text += f"# Xã hiện nay là một trong: {', '.join(p.where.candidates)} — chọn theo thôn.\n"
    return text


def _update(u: Row, existing: Checked, root: Path, notes: list[Note],
            revocation_decisions: dict[tuple[str, str], str] | None = None) -> Action:
    from ruamel.yaml.comments import CommentedMap

    path = root / existing.file
    original = path.read_text(encoding="utf-8")
    doc = _yaml().load(original)
    typed = existing.data  # coerced, schema-valid values
    cert = typed.get("certificate") if isinstance(typed.get("certificate"), dict) else {}
    current_date = (cert.get("decision") or {}).get("date")
    current_number = (cert.get("decision") or {}).get("number")
    new_date = u.decision.date
    new = _certificate(u)
    if current_date and new_date and new_date < dt.date.fromisoformat(current_date):
        notes.append(Note(u.row, "", f"Quyết định {u.decision.number} ngày {vn_date(new_date)} cũ hơn giấy chứng nhận hiện hành "
                                     f"của {existing.file} ({current_number} ngày {vn_date(current_date)}) — công nhận lùi, "
                                     "không ghi. Nếu đó là một lần công nhận trước, thêm vào earlier_ratings", sheet=u.sheet))
        return Action(u.row, "skip", u, path, existing.file)
    renewal = current_number != u.decision.number or current_date != (new_date.isoformat() if new_date else None)

    def refuse(message: str) -> Action:
        notes.append(Note(u.row, "", message, sheet=u.sheet))
        return Action(u.row, "skip", u, path, existing.file)

    revoked = cert.get("revocation") if isinstance(cert.get("revocation"), dict) else None
    if renewal and revoked:
        revoking = (revoked.get("decision") or {})
        if u.decision.number == revoking.get("number"):
            return refuse(f"Quyết định {u.decision.number} là quyết định thu hồi giấy chứng nhận của {existing.file} (lý do: "
                          f"{revoked.get('reason')}), không phải quyết định công nhận: không ghi. Nếu bảng là danh sách thu hồi, "
                          "dùng --kind thu-hoi")
        return refuse(f"giấy chứng nhận {cert.get('number')} của {existing.file} đã bị thu hồi (Quyết định {revoking.get('number')} "
                      f"ngày {vn_date(revoking.get('date'))}): nhập bảng không công nhận lại một sản phẩm đã bị thu hồi (sẽ làm mất "
                      "việc thu hồi). Nếu sản phẩm được đánh giá, công nhận lại sau thu hồi, cán bộ sửa hồ sơ bằng tay và giữ "
                      "quyết định thu hồi trong lịch sử; không ghi")
    revoking_file = (revocation_decisions or {}).get((u.decision.number or "", new_date.isoformat() if new_date else ""))
    if renewal and revoking_file:
        return refuse(f"Quyết định {u.decision.number} là quyết định thu hồi ({revoking_file}), không phải "
                      "quyết định công nhận: không ghi. Nếu bảng là danh sách thu hồi, dùng --kind thu-hoi")
    if renewal and u.certificate_number and cert.get("number") and heading_key(u.certificate_number) == heading_key(cert["number"]):
        return refuse(f"số GCN '{u.certificate_number}' của giấy chứng nhận mới trùng số GCN đang có của {existing.file} (Quyết định "
                      f"{current_number} ngày {vn_date(current_date)}): một giấy chứng nhận mới mang số mới. Nếu cột này là số GCN "
                      "đã cấp, ánh xạ nó thành old_certificate_number; nếu bảng là danh sách thu hồi, dùng --kind thu-hoi; không ghi")
    if renewal and u.kind == "re-recognition":
        if u.old_certificate_number and heading_key(u.old_certificate_number) != heading_key(str(cert.get("number") or "")):
            return refuse(f"số GCN đã cấp '{u.old_certificate_number}' khác giấy chứng nhận hiện hành của {existing.file} "
                          f"({cert.get('number')}, Quyết định {current_number}): kiểm tra dòng này; không ghi")
        if u.old_stars and cert.get("stars") is not None and int(cert["stars"]) != u.old_stars:
            return refuse(f"hạng sao đã công nhận {u.old_stars} sao khác hồ sơ {existing.file} ({cert.get('stars')} sao, Quyết định "
                          f"{current_number}): kiểm tra dòng này; không ghi")
    if renewal and current_date == (new_date.isoformat() if new_date else None):
        notes.append(Note(u.row, "", f"cùng ngày {vn_date(new_date)} nhưng số quyết định khác ({current_number} trong "
                                     f"{existing.file}, {u.decision.number} trong bảng): kiểm tra lại, không ghi", sheet=u.sheet))
        return Action(u.row, "skip", u, path, existing.file)
    changes: list[str] = []
    cls = doc.get("classification")
    new_basis = u.legal_basis or (cls.get("legal_basis") if isinstance(cls, dict) else None)
    if renewal:
        old = doc.get("certificate") if isinstance(doc.get("certificate"), CommentedMap) else CommentedMap()
        earlier: dict[str, Any] = {"stars": old.get("stars")}
        if old.get("score") is not None:
            earlier["score"] = old.get("score")
        earlier["legal_basis"] = cls.get("legal_basis") if isinstance(cls, dict) else ""
        for key_from, key_to in (("decision", "decision"), ("deciding_body", "deciding_body"), ("number", "certificate_number"),
                                 ("valid_until", "valid_until")):
            if old.get(key_from) not in (None, ""):
                earlier[key_to] = old.get(key_from)
        if "earlier_ratings" not in doc or not isinstance(doc.get("earlier_ratings"), list):
            doc["earlier_ratings"] = _to_commented([])
        doc["earlier_ratings"].append(_to_commented(_plain(earlier)))
        doc["certificate"] = _to_commented(new)
        changes.append(f"giấy chứng nhận {old.get('number') or '—'} ({current_number} ngày {vn_date(current_date)}, "
                       f"{old.get('stars')} sao) chuyển vào earlier_ratings")
        changes.append(f"giấy chứng nhận mới {new['number'] or '—'}: {u.decision.number} ngày {vn_date(new_date)}, {u.stars} sao, "
                       f"hiệu lực đến {vn_date(u.valid_until)}")
        if u.where and u.where.text:  # the new certificate prints the address the annex gives
            certified = {"text": u.where.text, "province": u.where.printed_province or u.province}
            before = doc.get("certified_address") if isinstance(doc.get("certified_address"), dict) else {}
            if (before.get("text"), before.get("province")) != (certified["text"], certified["province"]):
                changes.append(f"certified_address: '{before.get('text') or '(trống)'}' (tỉnh {before.get('province') or '—'}) → "
                               f"'{certified['text']}' (tỉnh {certified['province']})")
                doc["certified_address"] = _to_commented(certified)
        if isinstance(cls, dict) and new_basis and cls.get("legal_basis") != new_basis:
            old_taxonomy = _taxonomy_for(cls["legal_basis"]) if cls.get("legal_basis") in rulebook.legal_basis_codes() else None
            changes.append(f"classification.legal_basis: {cls.get('legal_basis')} → {new_basis}")
            cls["legal_basis"] = new_basis
            if old_taxonomy != _taxonomy_for(new_basis) and not u.group:
                cls["group"] = ""
                cls.pop("product_set", None)
                changes.append("classification.group: bộ tiêu chí mới có nhóm khác — cần điền")
    else:
        target = doc.get("certificate")
        for key, value in _flat({"certificate": new}).items():
            old_value = _flat({"certificate": _plain(target)}).get(key) if isinstance(target, dict) else None
            if value not in ("", None) and str(old_value) != str(value):
                changes.append(f"{key}: {old_value if old_value not in (None, '') else '(trống)'} → {value}")
        if isinstance(target, CommentedMap):
            _merge(target, new)
    if isinstance(cls, dict):
        for key in ("group", "product_set"):
            value = getattr(u, key)
            if value and cls.get(key) != value:
                changes.append(f"classification.{key}: {cls.get(key) or '(trống)'} → {value}")
                cls[key] = value
    if not changes:
        return Action(u.row, "unchanged", u, path, existing.file)
    schema = load_schema("product.schema.json")
    _normalise(doc, schema, "product.schema.json")
    out = io.StringIO()
    _yaml().dump(doc, out)
    return Action(u.row, "renew" if renewal else "update", u, path, existing.file, out.getvalue(), changes)


def _revoke(u: Row, existing: Checked, root: Path, notes: list[Note]) -> Action:
    """A revocation row: ``certificate.revocation`` and nothing else of the record."""
    path = root / existing.file
    doc = _yaml().load(path.read_text(encoding="utf-8"))
    cert = existing.data.get("certificate") if isinstance(existing.data.get("certificate"), dict) else {}
    decided = (cert.get("decision") or {})

    def refuse(message: str) -> Action:
        notes.append(Note(u.row, "", message, sheet=u.sheet))
        return Action(u.row, "skip", u, path, existing.file)

    earlier = existing.data.get("revocation") or cert.get("revocation")
    if isinstance(earlier, dict):
        number = (earlier.get("decision") or {}).get("number")
        if number == u.decision.number:
            return Action(u.row, "unchanged", u, path, existing.file)
        return refuse(f"giấy chứng nhận {cert.get('number')} của {existing.file} đã bị thu hồi theo Quyết định {number} ngày "
                      f"{vn_date((earlier.get('decision') or {}).get('date'))}: không ghi quyết định thu hồi thứ hai; kiểm tra lại")
    if u.certificate_number and cert.get("number") and heading_key(u.certificate_number) != heading_key(str(cert["number"])):
        older = [r.get("certificate_number") for r in existing.data.get("earlier_ratings") or [] if isinstance(r, dict)]
        why = " (đó là giấy chứng nhận cũ, đã được thay)" if any(heading_key(str(o)) == heading_key(u.certificate_number) for o in older if o) else ""
        return refuse(f"số GCN '{u.certificate_number}' khác giấy chứng nhận hiện hành của {existing.file} ({cert.get('number')}, "
                      f"Quyết định {decided.get('number')}){why}: kiểm tra dòng này; không ghi")
    if u.decision.date and decided.get("date") and u.decision.date < dt.date.fromisoformat(decided["date"]):
        return refuse(f"Quyết định thu hồi {u.decision.number} ngày {vn_date(u.decision.date)} trước quyết định công nhận "
                      f"{decided.get('number')} ngày {vn_date(decided.get('date'))} của {existing.file}: kiểm tra ngày; không ghi")
    if u.revocation_effective and u.decision.date and u.revocation_effective < u.decision.date:
        return refuse(f"ngày thu hồi có hiệu lực {vn_date(u.revocation_effective)} trước ngày ký quyết định thu hồi "
                      f"{vn_date(u.decision.date)}: kiểm tra ngày; không ghi")
    body = u.decision.body or ""
    revocation: dict[str, Any] = {
        "decision": {"number": u.decision.number or "", "date": u.decision.date.isoformat() if u.decision.date else ""},
        "deciding_body": {"level": (rulebook.parse_body(body).level or "") if body else "", "name": body},
        "reason": u.revocation_reason or "",
    }
    changes = [f"certificate.revocation: thu hồi giấy chứng nhận {cert.get('number') or '—'} ({cert.get('stars')} sao, Quyết định "
               f"{decided.get('number')}) theo Quyết định {u.decision.number} ngày {vn_date(u.decision.date)} của {body or '?'}; "
               f"lý do: {u.revocation_reason}"]
    if u.revocation_effective and u.decision.date and u.revocation_effective > u.decision.date:
        revocation["effective_from"] = u.revocation_effective.isoformat()
        changes.append(f"certificate.revocation.effective_from: thu hồi có hiệu lực từ {vn_date(u.revocation_effective)}")
    target = doc.get("certificate")
    if not isinstance(target, dict):
        return refuse(f"{existing.file} không có khối certificate: sửa hồ sơ trước khi nhập quyết định thu hồi; không ghi")
    target["revocation"] = _to_commented(revocation)
    schema = load_schema("product.schema.json")
    _normalise(doc, schema, "product.schema.json")
    out = io.StringIO()
    _yaml().dump(doc, out)
    return Action(u.row, "revoke", u, path, existing.file, out.getvalue(), changes)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _flat(doc: dict, prefix: str = "") -> dict[str, Any]:
    out = {}
    for k, v in doc.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def _merge(target, source: dict) -> None:
    for k, v in source.items():
        if isinstance(v, dict) and isinstance(target.get(k), dict):
            _merge(target[k], v)
        elif v not in ("", None):
            target[k] = _to_commented(v)


def _to_commented(value):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _to_commented(v)
        return m
    if isinstance(value, list):
        return CommentedSeq(_to_commented(v) for v in value)
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


# --- writing ---------------------------------------------------------------------------------------


def apply(p: Plan) -> list[Path]:
    """Write every planned file, all or nothing. Returns the paths written."""
    targets: list[tuple[Path, str, bool]] = []  # (path, text, must be new)
    for pr in p.producers:
        targets.append((pr.path, pr.text, True))
    for a in p.written:
        targets.append((a.path, a.text, a.kind == "create"))
    for path, _, new in targets:
        if new and path.exists():
            raise CatalogError(f"{path}: tệp đã có (có thể vừa được tạo): chạy lại ocop import để lập kế hoạch mới; không ghi gì")
    temps: list[tuple[Path, Path, bytes | None]] = []  # (temp, target, previous bytes)
    try:
        for path, text, new in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.import-tmp")
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            temps.append((tmp, path, None if new else path.read_bytes()))
    except OSError as exc:
        for tmp, _, _ in temps:
            tmp.unlink(missing_ok=True)
        raise CatalogError(f"không ghi được ({exc.strerror}: {exc.filename}); chưa thay đổi tệp nào") from None
    done: list[tuple[Path, Path, bytes | None]] = []
    try:
        for tmp, path, previous in temps:
            os.replace(tmp, path)
            done.append((tmp, path, previous))
    except OSError as exc:
        for _, path, previous in reversed(done):
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(previous)
        for tmp, _, _ in temps:
            tmp.unlink(missing_ok=True)
        raise CatalogError(f"không ghi được ({exc.strerror}: {exc.filename}); đã trả lại các tệp như trước") from None
    return [path for _, path, _ in temps]


# --- telling the officer ---------------------------------------------------------------------------

TO_FILL = {"missing-field", "empty-field", "product-set-missing"}


@lru_cache(maxsize=None)
def field_title(kind: str, dotted: str) -> str:
    fragment, base = load_schema(f"{kind}.schema.json"), f"{kind}.schema.json"
    for part in dotted.split("."):
        if part.isdigit():
            fragment, base = resolve(fragment.get("items", {}), base)
            continue
        fragment, base = resolve(fragment, base)
        fragment, base = resolve(fragment.get("properties", {}).get(part, {}), base)
    return fragment.get("title", dotted)


def to_fill(problems: list[Problem], kind: str) -> list[str]:
    """'description (Giới thiệu sản phẩm)' for every field validate will say is missing or empty."""
    out = []
    for p in problems:
        if p.code not in TO_FILL:
            continue
        dotted = p.field if p.code != "product-set-missing" else "classification.product_set"
        if p.code == "missing-field" and p.args.get("field"):
            dotted = f"{p.field}.{p.args['field']}" if p.field else str(p.args["field"])
        label = f"{dotted} ({field_title(kind, dotted)})"
        if label not in out:
            out.append(label)
    return out


def _understood(u: Row) -> str:
    parts = [u.name]
    if u.producer_typed:
        who = f"chủ thể {u.producer_typed}"
        if u.producer_id:
            who += f" → {'mới: ' if u.producer_new else ''}{u.producer_id}"
        parts.append(who)
    if u.kind == "revocation":
        d = u.decision
        parts.append(f"THU HỒI theo QĐ {d.number or '?'} ngày {vn_date(d.date)} của {d.body or '?'}"
                     + (f" (từ {', '.join(sorted(set(d.sources.values())))})" if d.sources else ""))
        if u.certificate_number:
            parts.append(f"GCN bị thu hồi {u.certificate_number}")
        parts.append(f"lý do: {u.revocation_reason or '?'}")
        if u.revocation_effective:
            parts.append(f"thu hồi có hiệu lực từ {vn_date(u.revocation_effective)}")
        return " · ".join(parts)
    if u.kind == "re-recognition" and (u.old_certificate_number or u.old_stars):
        parts.append("công nhận lại: GCN đã cấp " + (u.old_certificate_number or "?")
                     + (f", {u.old_stars} sao" if u.old_stars else ""))
    if u.stars:
        parts.append(f"{u.stars} sao" + (f" (từ {u.stars_from})" if u.stars_from else "")
                     + (f", {str(u.score).replace('.', ',')} điểm" if u.score is not None else ""))
    if u.group:
        group = rulebook.group_name(u.group)
        if u.product_set:
            group += f" / {rulebook.product_set_name(u.group, u.product_set)}"
        elif u.set_suggestion:
            group += f" / bộ gợi ý: {u.set_suggestion} ({rulebook.product_set_name(u.group, u.set_suggestion)})"
        parts.append(group)
    d = u.decision
    parts.append(f"QĐ {d.number or '?'} ngày {vn_date(d.date)} của {d.body or '?'}"
                 + (f" (từ {', '.join(sorted(set(d.sources.values())))})" if d.sources else ""))
    if u.certificate_number:
        parts.append(f"GCN {u.certificate_number}")
    if u.valid_until:
        parts.append(f"hiệu lực đến {vn_date(u.valid_until)}")
    if u.phone:
        parts.append(f"ĐT {u.phone}" + (f" ({u.phone_note})" if u.phone_note else ""))
    if u.where:
        if u.where.commune:
            old = f" (từ {u.where.old_commune})" if u.where.old_commune and places.canonical(u.where.old_commune) != places.canonical(u.where.commune) else ""
            parts.append(f"xã hiện nay {u.where.commune}{old}")
        elif u.where.candidates:
            parts.append(f"xã hiện nay: một trong {', '.join(u.where.candidates)}")
        if u.where.printed_province and u.where.printed_province != u.province:
            parts.append(f"địa chỉ trên giấy: tỉnh {u.where.printed_province} (nay là {u.province})")
        if u.address_from_producer:
            parts.append(f"địa chỉ tách từ ô chủ thể: {u.where.text}")
    if u.note:
        parts.append(f"ghi chú: {u.note}")
    return " · ".join(parts)


def _rel(path: Path | None, root: Path) -> str:
    if path is None:
        return ""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _ranges(numbers: list[int]) -> str:
    out, start, prev = [], None, None
    for n in sorted(numbers):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(out)


def describe(p: Plan, root: Path) -> list[str]:
    """What the dry run prints: the list read, one block per row, producers, what was skipped."""
    lines: list[str] = [headline(p)]
    sheet = p.sheet
    sheets = p.sheets or [sheet]
    several = len(sheets) > 1
    for sh in sheets:
        if sh.kind == "docx":
            where = f"{sh.sheet} của tệp Word"
        else:
            where = f"trang tính '{sh.sheet}'" if sh.sheet else f"tệp CSV ({sh.encoding})"
        rows = f"dòng {sh.header_row}" if sh.header_rows == 1 else f"hai dòng {sh.header_row}–{sh.header_row + 1} (ghép)"
        lines.append(f"Đọc {p.source.name}: {where}, tiêu đề cột ở {rows}.")
    d = p.decision
    known = [f"số {d.number}" if d.number else "", f"ngày {vn_date(d.date)}" if d.date else "", f"của {d.body}" if d.body else ""]
    if any(known):
        lines.append(f"Quyết định (từ {', '.join(sorted(set(d.sources.values())))}): {' '.join(k for k in known if k)}"
                     + ("" if d.number and d.date else "; phần còn thiếu lấy theo từng dòng") + ".")
    for n in p.notes:
        if n.row == 0:
            lines.append(f"Lưu ý: {n.message}")
    by_row: dict[tuple[str | None, int], list[Note]] = {}
    for n in p.notes:
        if n.row:
            by_row.setdefault((n.sheet, n.row), []).append(n)
    actions = {(a.sheet, a.row): a for a in p.actions}
    order = {(sh.sheet if several else None): i for i, sh in enumerate(sheets)}
    for key in sorted(set(actions) | set(by_row), key=lambda k: (order.get(k[0], 0), k[1])):
        a = actions.get(key)
        if a is None:
            for n in by_row.get(key, []):
                lines.append(f"{n} [{'lỗi' if n.severity == ERROR else 'cảnh báo'}]")
            continue
        rel = _rel(a.path, root)
        head = {"create": f"tạo mới {rel}", "update": f"cập nhật {rel}", "renew": f"công nhận lại {rel}",
                "revoke": f"thu hồi giấy chứng nhận {rel}",
                "unchanged": f"không thay đổi ({rel})", "skip": "KHÔNG GHI (có lỗi)"}[a.kind]
        lines.append(f"Trang tính '{key[0]}', dòng {key[1]}: {head}" if key[0] else f"Dòng {key[1]}: {head}")
        if a.understood:
            lines.append(f"    hiểu là: {_understood(a.understood)}")
        for change in a.changes:
            lines.append(f"    thay đổi: {change}")
        for n in by_row.get(key, []):
            lines.append(f"    {'lỗi' if n.severity == ERROR else 'cảnh báo'}: "
                         + (f"cột '{n.column}': " if n.column else "") + n.message)
        fill = to_fill(a.problems, "product")
        if fill:
            lines.append("    cần bổ sung: " + "; ".join(fill))
        for prob in a.problems:
            if prob.code not in TO_FILL:
                lines.append(f"    validate sẽ báo: {prob.field}: {prob.message()} [{prob.code}]")
    for pr in p.producers:
        rel = f"producers/{pr.folder}/{pr.id}.yaml"
        spellings = " / ".join(dict.fromkeys(pr.names))
        lines.append(f"Chủ thể mới {rel}: {pr.name} (dòng {_ranges(pr.rows)}; tên trong bảng: {spellings})")
        problems = p.producer_problems.get(rel, [])
        fill = to_fill(problems, "producer")
        if fill:
            lines.append("    cần bổ sung: " + "; ".join(fill))
        for prob in problems:
            if prob.code not in TO_FILL:
                lines.append(f"    validate sẽ báo: {prob.field}: {prob.message()} [{prob.code}]")
    for sh in sheets:
        name = sh.sheet if several else None
        groups: dict[str, list[int]] = {}
        for s in p.skipped:
            if s.kind in SKIP_WORDS_VI and s.sheet == name:
                groups.setdefault(s.kind, []).append(s.row)
        if groups:
            lines.append("Bỏ qua" + (f" ở trang tính '{name}'" if name else "") + " (không phải dòng sản phẩm): "
                         + "; ".join(f"{SKIP_WORDS_VI[k]} dòng {_ranges(v)}" for k, v in groups.items()) + ".")
    if p.columns.ignored:
        lines.append("Các cột không dùng: " + ", ".join(p.columns.ignored))
    return lines


def headline(p: Plan) -> str:
    """The dry run's first line: which decision, how many products ('Quyết định thu hồi 2210/QĐ-UBND
    ngày 03/11/2025 của UBND tỉnh Lạng Sơn: 2 sản phẩm')."""
    d = p.decision
    words = kind_table()[p.kind]["words"]
    named = " ".join(x for x in (d.number or "", f"ngày {vn_date(d.date)}" if d.date else "", f"của {d.body}" if d.body else "") if x)
    count = f"{len(p.actions)} sản phẩm"
    if p.kind == "mixed":
        kinds = {k: sum(1 for a in p.actions if a.understood and a.understood.kind == k)
                 for k in ("recognition", "re-recognition", "revocation")}
        count += " (" + ", ".join(f"{n} {kind_table()[k]['words'].removeprefix('Quyết định ')}" for k, n in kinds.items() if n) + ")"
    why = (f"nhận ra từ {p.kind_source}" if p.kind_source != "mặc định"
           else "tiêu đề bảng và các cột không nói rõ loại quyết định: coi là công nhận")
    return f"{words}{' ' + named if named else ''}: {count} ({why}; đổi bằng --kind)."


def summary(p: Plan) -> str:
    count = {k: sum(a.kind == k for a in p.actions) for k in ("create", "renew", "update", "unchanged", "skip", "revoke")}
    fill = sum(len(to_fill(a.problems, "product")) for a in p.written) + sum(
        len(to_fill(v, "producer")) for v in p.producer_problems.values())
    warnings = sum(n.severity != ERROR for n in p.notes)
    revoked = f"{count['revoke']} thu hồi, " if count["revoke"] else ""
    return (f"{len(p.actions)} dòng sản phẩm: {count['create']} tạo mới, {count['renew']} công nhận lại, {revoked}{count['update']} cập nhật, "
            f"{count['unchanged']} không đổi, {count['skip']} không ghi vì lỗi; {len(p.producers)} chủ thể mới; "
            f"{fill} trường cần bổ sung; {len(p.errors)} lỗi, {warnings} cảnh báo.")


def write_report(p: Plan, root: Path, path: Path) -> None:
    """One line per row for Excel (UTF-8 with BOM, ';'), every cell neutralised against formulas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Dòng", "Việc", "Tệp", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Quyết định", "Ngày", "Xã hiện nay",
                     "Cần bổ sung", "Lỗi, cảnh báo"])
    notes: dict[int, list[str]] = {}
    for n in p.notes:
        notes.setdefault(n.row, []).append(n.message)
    for a in p.actions:
        u = a.understood
        writer.writerow([neutralise(v) for v in (
            a.row, a.kind, _rel(a.path, root), u.name if u else "", u.producer_typed if u else "", u.stars if u else "",
            u.decision.number if u else "", vn_date(u.decision.date) if u else "",
            (u.where.commune if u and u.where else "") or "", "; ".join(to_fill(a.problems, "product")),
            " | ".join(notes.get(a.row, [])))])
    path.write_text(out.getvalue(), encoding="utf-8-sig", newline="")


def mapping_reference() -> str:
    """The Markdown table of the names a mapping file may use (CONTRIBUTING.md holds a copy; a test compares)."""
    rows = ["| tên trường | nghĩa | tiêu đề cột máy tự nhận (không dấu) |", "|---|---|---|"]
    for name, entry in _table()["fields"].items():
        headings = ", ".join(entry["headings"][:6]) + (", …" if len(entry["headings"]) > 6 else "")
        rows.append(f"| `{name}` | {entry['words']}: {entry['help']} | {headings} |")
    return "\n".join(rows) + "\n"
