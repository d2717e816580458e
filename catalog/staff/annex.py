"""Reading the spreadsheet that comes with a recognition decision (*phụ lục kèm theo quyết định*).

One job: a ``.xlsx`` or ``.csv`` file → the rows of the list, with what the reader had to do to
get them (which sheet, hidden rows, merged cells, the text above the header). What the rows mean
is :mod:`catalog.importer`'s job.

Decisions (for the next engineer):

* **Limits before work.** An annex is a few hundred rows. A file over ``MAX_FILE_BYTES``, a
  workbook whose parts unzip to more than ``MAX_UNZIPPED_BYTES`` (a zip bomb) or a sheet over
  ``MAX_ROWS`` rows / ``MAX_CELLS`` cells is refused with one line before anything is loaded in
  full: the sheet is first *streamed* (openpyxl's read-only mode, dimensions reset so that a
  forged ``<dimension ref="A1:XFD1048576">`` cannot make every row 16,384 cells wide) and the count
  stops at the limit. Only then is the workbook loaded normally — that mode is needed for merged
  cells, hidden rows and hidden sheets, and costs memory in proportion to the cells.
* **XML attacks.** openpyxl parses through ``defusedxml`` when it is installed (a dependency for
  that reason): a DTD with entities (billion laughs, external entities = XXE) is refused by the
  parser. The refusal comes wrapped in openpyxl's ``ValueError``; we look for it in the chain of
  causes and say in one line what it was. Any other failure to read is one line too.
* **Merged cells** are filled: every cell of a merged range gets the range's value (a producer
  merged over two rows belongs to both products). A CSV saved by Excel keeps the value only in the
  first cell: :mod:`catalog.importer` fills the producer columns down and says so.
* **Hidden rows are not imported**: a printed (and signed) annex does not show them, so they are
  not part of what was decided. Each one is listed in a warning with its text, so an officer who
  hid a row by mistake sees it. **Hidden sheets are never read** (old drafts, lookup tables), and
  named once.
* **The list need not be on the first sheet.** The first visible sheet with a header row (at least
  two recognised column headings) is the list; a cover sheet (*Tờ trình*) before it is named.
* **CSV encodings.** UTF-8 with or without BOM, UTF-16 (Excel's "Unicode Text", tab-separated),
  else Windows-1258 — what Excel writes for "CSV" on a Vietnamese Windows. Windows-1258 spells
  tones as combining marks; text is NFC-normalised after decoding. The separator is the one
  (``;``, ``,`` or tab) that gives the most rows the same number of cells (Excel pads every row to
  the width of the used range); an Excel ``sep=;`` first line is honoured.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
import warnings
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..reference.errors import CatalogError

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 5_000
MAX_CELLS = 150_000
MAX_CELL_CHARS = 10_000


def _n(number: int) -> str:
    """5000 → '5.000' (Vietnamese thousands)."""
    return f"{number:,}".replace(",", ".")


LIMITS = f"{_n(MAX_ROWS)} dòng, {_n(MAX_CELLS)} ô"


@dataclass
class Row:
    number: int  # row number in the spreadsheet (1-based), as Excel shows it
    cells: list[Any]
    hidden: bool = False
    merged: set[int] = field(default_factory=set)  # column indexes whose value came from a merged range


@dataclass
class Grid:
    """One sheet (or the CSV file)."""

    name: str | None
    rows: list[Row]


@dataclass
class Sheet:
    """The list found in a file: the header, the rows below it, the text above it."""

    source: Path
    kind: str  # xlsx | csv
    sheet: str | None
    header_row: int
    header: list[str]
    rows: list[Row]  # everything below the header, in order (blank rows included)
    title: list[str]  # the text of the rows above the header, in order
    notes: list[str] = field(default_factory=list)  # what the reader did that the officer should know
    encoding: str | None = None  # CSV only


def _too_big(path: Path, what: str, limit: str, how: str) -> CatalogError:
    return CatalogError(f"{path}: {what} — quá giới hạn {limit} của một danh sách kèm quyết định. {how}")


def _xml_attack(exc: BaseException) -> str | None:
    seen = 0
    while exc is not None and seen < 10:
        name = type(exc).__name__
        if name in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"):
            return name
        if "amplification" in str(exc) or "entity" in str(exc).lower():
            return name
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]  # the loop stops at None
        seen += 1
    return None


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CatalogError(f"{path}: không phải tệp Excel .xlsx đọc được ({exc}). Mở bằng Excel và lưu lại dạng .xlsx") from exc
    total = sum(i.file_size for i in infos)
    if len(infos) > 2_000 or total > MAX_UNZIPPED_BYTES:
        raise _too_big(path, f"giải nén ra {total // (1024 * 1024)} MB trong {len(infos)} phần",
                       f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB",
                       "Tệp có thể bị hỏng hoặc cố ý làm phình: mở bằng Excel, chép riêng danh sách sang tệp mới.")


@contextmanager
def _open(path: Path, read_only: bool):
    """The workbook, and the file closed afterwards whatever happens (openpyxl leaves it open when it fails)."""
    from openpyxl import load_workbook

    fh = open(path, "rb")
    try:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "extension not supported" and the like: not the officer's concern
                wb = load_workbook(fh, read_only=read_only, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged or hostile file
            _refuse(path, exc)
        try:
            yield wb
        finally:
            wb.close()
    finally:
        fh.close()


def _refuse(path: Path, exc: BaseException):
    """One line for a workbook openpyxl could not read: an XML attack named as such."""
    if _xml_attack(exc):
        raise CatalogError(f"{path}: tệp chứa khai báo thực thể XML (DTD/ENTITY) mà Excel không bao giờ ghi — "
                           "có thể là tệp độc hại, không đọc. Mở tệp gốc bằng Excel và lưu lại thành tệp mới") from None
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    raise CatalogError(f"{path}: không đọc được tệp Excel ({detail}). Mở bằng Excel và lưu lại dạng .xlsx") from None


def _stream_count(path: Path) -> None:
    """Count rows and cells of every sheet without loading them, stopping at the limits."""
    with _open(path, read_only=True) as wb:
        for ws in wb.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # never trust <dimension>: count what is there
            rows = cells = 0
            try:
                for row in ws.iter_rows(values_only=True):
                    rows += 1
                    cells += len(row)
                    if rows > MAX_ROWS or cells > MAX_CELLS:
                        what = f"hơn {_n(MAX_ROWS)} dòng" if rows > MAX_ROWS else f"hơn {_n(MAX_CELLS)} ô"
                        raise _too_big(path, f"trang tính '{ws.title}' có {what}", LIMITS,
                                       "Xoá các dòng, cột thừa (hoặc chép riêng danh sách sang tệp mới) rồi nhập lại.")
            except CatalogError:
                raise
            except Exception as exc:
                _refuse(path, exc)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        text = unicodedata.normalize("NFC", value)
        return text[:MAX_CELL_CHARS]
    if isinstance(value, (int, float, dt.date, dt.datetime)) or value is None:
        return value
    return str(value)[:MAX_CELL_CHARS]


def read_xlsx(path: Path) -> tuple[list[Grid], list[str]]:
    """Every visible sheet as a grid (merged cells filled, hidden rows marked); notes on hidden sheets."""
    _check_zip(path)
    _stream_count(path)
    grids, notes = [], []
    with _open(path, read_only=False) as wb:
        for index, ws in enumerate(wb.worksheets):
            if ws.sheet_state != "visible":
                notes.append(f"Bỏ qua trang tính ẩn '{ws.title}' (trang thứ {index + 1}).")
                continue
            values = [[_cell(c) for c in row] for row in ws.iter_rows(values_only=True)]
            merged: dict[int, set[int]] = {}
            for rng in ws.merged_cells.ranges:
                top = ws.cell(rng.min_row, rng.min_col).value
                for r in range(rng.min_row, min(rng.max_row, len(values)) + 1):
                    line = values[r - 1]
                    line.extend([None] * (rng.max_col - len(line)))
                    for c in range(rng.min_col, rng.max_col + 1):
                        line[c - 1] = _cell(top)
                        if (r, c) != (rng.min_row, rng.min_col):
                            merged.setdefault(r, set()).add(c - 1)
            rows = [Row(i + 1, line, bool(ws.row_dimensions[i + 1].hidden) if (i + 1) in ws.row_dimensions else False,
                        merged.get(i + 1, set()))
                    for i, line in enumerate(values)]
            grids.append(Grid(ws.title, rows))
    return grids, notes


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8 (có BOM)"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return unicodedata.normalize("NFC", raw.decode("cp1258")), "Windows-1258"
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: không nhận ra bảng mã của tệp CSV (byte 0x{raw[exc.start]:02X} ở vị trí {exc.start}). "
                           "Trong Excel chọn Lưu thành → 'CSV UTF-8 (Comma delimited)'") from None


def _delimiter(lines: list[str]) -> str:
    best, best_score = ",", -1
    for delimiter in (";", ",", "\t"):
        counts = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1)
        score = counts.most_common(1)[0][1] if counts else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(path: Path) -> tuple[Grid, str]:
    raw = path.read_bytes()
    text, encoding = _decode(path, raw)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    first = 0
    delimiter = None
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter, first = lines[0].strip()[4], 1
    delimiter = delimiter or _delimiter(lines[first:first + 60])
    rows: list[Row] = []
    cells = 0
    try:
        reader = csv.reader(io.StringIO("\n".join(lines[first:])), delimiter=delimiter)
        for values in reader:
            cells += len(values)
            if len(rows) >= MAX_ROWS or cells > MAX_CELLS:
                what = f"hơn {_n(MAX_ROWS)} dòng" if len(rows) >= MAX_ROWS else f"hơn {_n(MAX_CELLS)} ô"
                raise _too_big(path, f"có {what}", LIMITS, "Xoá các dòng, cột thừa rồi nhập lại.")
            rows.append(Row(reader.line_num + first, [_cell(v.strip()) if v.strip() else None for v in values]))
    except csv.Error as exc:
        raise CatalogError(f"{path}: tệp CSV hỏng ở dòng {reader.line_num + first} ({exc}). Mở bằng Excel và lưu lại") from None
    return Grid(None, rows), encoding


def _texts(row: Row) -> list[str]:
    """The distinct non-empty texts of a row, in order (a merged title repeats across columns)."""
    out: list[str] = []
    for value in row.cells:
        if value is None:
            continue
        text = " ".join(str(value).split())
        if text and text not in out:
            out.append(text)
    return out


def find_header(rows: list[Row], is_heading: Callable[[str], bool]) -> int | None:
    """Index of the first row with at least two distinct recognised column headings."""
    for i, row in enumerate(rows[:60]):
        if sum(1 for text in _texts(row) if is_heading(text)) >= 2:
            return i
    return None


def read(path: Path, is_heading: Callable[[str], bool]) -> Sheet:
    """The list in ``path`` (.xlsx or .csv), ready for :mod:`catalog.importer` to interpret."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CatalogError(f"{path}: không đọc được tệp ({exc.strerror})") from None
    if size > MAX_FILE_BYTES:
        raise _too_big(path, f"tệp nặng {size / (1024 * 1024):.1f} MB".replace(".", ","),
                       f"{MAX_FILE_BYTES // (1024 * 1024)} MB",
                       "Chép riêng danh sách sang tệp mới (không kèm ảnh, trang tính khác) rồi nhập lại.")
    notes: list[str] = []
    encoding = None
    if suffix == ".xlsx":
        grids, notes = read_xlsx(path)
        kind = "xlsx"
    elif suffix == ".csv":
        grid, encoding = read_csv(path)
        grids, kind = [grid], "csv"
    elif suffix in (".xls", ".ods", ".xlsm"):
        raise CatalogError(f"{path}: chỉ nhận .xlsx hoặc .csv. Mở tệp bằng Excel (hoặc LibreOffice) và chọn "
                           "Lưu thành → 'Excel Workbook (*.xlsx)'")
    else:
        raise CatalogError(f"{path}: chỉ nhận tệp .xlsx hoặc .csv")
    for index, grid in enumerate(grids):
        at = find_header(grid.rows, is_heading)
        if at is None:
            continue
        if kind == "xlsx" and index > 0:
            skipped = ", ".join(f"'{g.name}'" for g in grids[:index])
            notes.insert(0, f"Danh sách nằm ở trang tính '{grid.name}', không phải trang đầu ({skipped}): đã tìm thấy và đọc trang này.")
        title = [text for row in grid.rows[:at] for text in _texts(row)]
        header = ["" if c is None else " ".join(str(c).split()) for c in grid.rows[at].cells]
        return Sheet(path, kind, grid.name, grid.rows[at].number, header, grid.rows[at + 1:], title, notes, encoding)
    sheets = ", ".join(f"'{g.name}'" for g in grids if g.name) or "tệp"
    raise CatalogError(f"{path}: không tìm thấy dòng tiêu đề cột (ví dụ: Tên sản phẩm, Chủ thể, Hạng sao) trong {sheets}. "
                       "Kiểm tra tệp có đúng là danh sách sản phẩm, hoặc dùng --mapping để chỉ rõ tên cột")
