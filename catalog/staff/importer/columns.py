"""Recognising the decision kind and the columns: the column table (``catalog/data/import_columns.yaml``:
headings → fields, decision kinds, section words), ``--mapping`` files, the header → :class:`Columns`,
the kind of a list (:func:`decision_kind`, :func:`kind_option`), section rows and sheet names that
name stars, the title block → :class:`Decision`, and :class:`Note` (what the importer says about a
row). The Markdown reference of the mapping names (:func:`mapping_reference`) lives here too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ...records.loader import load_file
from ...records.problems import ERROR, format_text
from ...reference import places, rulebook
from ...reference.errors import CatalogError
from ...reference.paths import DATA_DIR

DATA = DATA_DIR


# --- the column table ------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _table() -> dict:
    with open(DATA / "import_columns.yaml", encoding="utf-8") as fh:
        table = yaml.safe_load(fh)
    for entry in table["fields"].values():  # the legal bases named once, in ocop_rules.yaml
        entry["help"] = entry.get("help", "").replace("{legal_bases}", rulebook.legal_basis_list())
    return table


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
    """'4 sao', 'Sản phẩm 4 sao' (a sheet name), '… ĐẠT 4 SAO' (a title) → 4; None when the text
    names two levels ('… đạt 3 sao và 4 sao') or none."""
    if not text:
        return None
    key = heading_key(text)
    found = {int(m) for m in re.findall(r"(?:^|\bdat |\bhang |\bsan pham |\bsp )([1-5]) sao\b", key)}
    # every level the text names ("… ĐẠT 3 SAO VÀ 4 SAO" names two: no one level for its rows),
    # but "tiềm năng 5 sao" is a remark on a 4-star list, not a level of it
    named = {int(m) for m in re.findall(r"(?<!tiem nang )\b([1-5]) sao\b", key)}
    return found.pop() if len(found) == 1 and named == found else None


# --- messages about rows ---------------------------------------------------------------------------


def sheet_place(sheet: str, lower: bool = False) -> str:
    """Where a list is, as the officer sees it: "Trang tính '4 sao'" (Excel), "Bảng 2" (the second
    table of a Word file: catalog/staff/annex.py names them "bảng 2")."""
    word = f"Bảng {sheet[5:]}" if re.fullmatch(r"bảng \d+", sheet) else f"Trang tính '{sheet}'"
    return word[0].lower() + word[1:] if lower else word


@dataclass
class Note:
    """Something the importer says about a row: an error (the row is not written) or a warning."""

    row: int
    column: str
    message: str
    severity: str = ERROR
    sheet: str | None = None  # set when the file has several lists

    def __str__(self) -> str:
        where = (f"{sheet_place(self.sheet)}, dòng {self.row}" if self.sheet else f"Dòng {self.row}") + (
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


def _current_province(name: str) -> str | None:
    """The province in force that a current or former province name belongs to."""
    printed = places.normalise_province(name)
    if printed is None:
        return None
    if printed in places.provinces():
        return printed
    current = places.former_provinces().get(printed)
    return current if current in places.provinces() else None


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




def mapping_reference() -> str:
    """The Markdown table of the names a mapping file may use (CONTRIBUTING.md holds a copy; a test compares)."""
    rows = ["| tên trường | nghĩa | tiêu đề cột máy tự nhận (không dấu) |", "|---|---|---|"]
    for name, entry in _table()["fields"].items():
        headings = ", ".join(entry["headings"][:6]) + (", …" if len(entry["headings"]) > 6 else "")
        rows.append(f"| `{name}` | {entry['words']}: {entry['help']} | {headings} |")
    return "\n".join(rows) + "\n"
