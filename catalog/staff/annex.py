"""Reading the spreadsheet that comes with a recognition decision (*phụ lục kèm theo quyết định*).

One job: a ``.xlsx``, ``.docx`` (every table of a Word decision) or ``.csv`` file → the rows of the list, with what the reader had to do to
get them (which sheet, hidden rows, merged cells, the text above the header). What the rows mean
is :mod:`catalog.staff.importer`'s job.

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
  first cell: :mod:`catalog.staff.importer` fills the producer columns down and says so.
* **Hidden rows are not imported**: a printed (and signed) annex does not show them, so they are
  not part of what was decided. Each one is listed in a warning with its text, so an officer who
  hid a row by mistake sees it. **Hidden sheets are never read** (old drafts, lookup tables), and
  named once.
* **The list need not be on the first sheet.** The first visible sheet with a header row (at least
  two recognised column headings) is the list; a cover sheet (*Tờ trình*) before it is named.
* **Every visible sheet is read** (issue #24): a province that sends one sheet per star level
  ("3 sao", "4 sao") has every sheet imported; a visible sheet without a header row is named
  ("không đọc"), a hidden one is named and skipped. :func:`read_sheets` returns them all.
* **Two-row headers** ("Kết quả đánh giá, phân hạng" merged over "Số sao" | "Điểm"): when the row
  under the header holds only recognised headings (besides the cells merged down from above), the
  two rows are one header; the lower heading names its column. Under a group heading merged over
  several columns the two are read together when that names a column: "Chủ thể" over "Tên" |
  "Địa chỉ" is the producer's name and address ("Tên" alone would be the product's name), "Hạng
  sao" over "Đã công nhận" | "Công nhận lại" the old and the new stars.
* **Word annexes** (``.docx``, python-docx — maintained, 1.2.0 of 2025-06): every table of the
  document is a grid, the paragraphs before it are its title block; vertically merged cells
  (``w:vMerge``) are filled from the cell above by our own walk (python-docx's recursion would be
  quadratic, and overflow, on a hostile span of thousands of rows), horizontally merged cells
  (``w:gridSpan``) repeat; a line break typed with Shift+Enter (``w:br``) parts lines like a new
  paragraph. A table without a header right after a list's table, with the same columns and
  numbered rows, is that list cut at a page break and goes on with its header (:func:`_continues`).
  A ``.docx`` whose XML declares a DTD is refused like an ``.xlsx``.
  **Text PDFs are refused** with the way to get a table out of them (the Word original, or Word's
  own PDF conversion): no PDF table extractor was measured on real annexes in issue #24, and a
  PDF loses the merged cells this reader relies on.
* **Limits while streaming (issue #22, "import bombs").** A cell over ``MAX_CELL_CHARS`` is refused
  while the sheet is streamed, *before* any text is NFC-normalised (normalising a 50 MB decomposed
  shared string cost 1.8 s per cell that used it); a workbook whose merged ranges cover more than
  ``MAX_CELLS`` cells (``A1:XFD1048576`` in a 5 KB file) is refused from the sheet XML, streamed,
  before openpyxl's full load would make one object per merged cell.
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
import re
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
    # column index → the formula of a cell that holds one (an .xlsx): its value is the one saved in the
    # file, which Excel may not show (it recalculates on opening) — the importer says so on the row
    formulas: dict[int, str] = field(default_factory=dict)


@dataclass
class Grid:
    """One sheet (or the CSV file)."""

    name: str | None
    rows: list[Row]


@dataclass
class Sheet:
    """The list found in a file: the header, the rows below it, the text above it."""

    source: Path
    kind: str  # xlsx | csv | docx
    sheet: str | None
    header_row: int
    header: list[str]
    rows: list[Row]  # everything below the header, in order (blank rows included)
    title: list[str]  # the text of the rows above the header, in order
    notes: list[str] = field(default_factory=list)  # what the reader did that the officer should know
    encoding: str | None = None  # CSV only
    header_rows: int = 1  # 2 when a second header row was combined with the first


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
        if path.suffix.lower() == ".docx":
            raise CatalogError(f"{path}: không phải tệp Word .docx đọc được ({exc}). Mở bằng Word và lưu lại dạng .docx") from None
        raise CatalogError(f"{path}: không phải tệp Excel .xlsx đọc được ({exc}). Mở bằng Excel và lưu lại dạng .xlsx") from exc
    total = sum(i.file_size for i in infos)
    if len(infos) > 2_000 or total > MAX_UNZIPPED_BYTES:
        raise _too_big(path, f"giải nén ra {total // (1024 * 1024)} MB trong {len(infos)} phần",
                       f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB",
                       "Tệp có thể bị hỏng hoặc cố ý làm phình: mở bằng Excel, chép riêng danh sách sang tệp mới.")


@contextmanager
def _open(path: Path, read_only: bool, data_only: bool = True):
    """The workbook, and the file closed afterwards whatever happens (openpyxl leaves it open when it fails)."""
    from openpyxl import load_workbook

    fh = open(path, "rb")
    try:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "extension not supported" and the like: not the officer's concern
                wb = load_workbook(fh, read_only=read_only, data_only=data_only)
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
        cells = 0  # of the whole workbook: the limit held per sheet let eleven full sheets through (probe, round four)
        for ws in wb.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # never trust <dimension>: count what is there
            rows = 0
            try:
                for row in ws.iter_rows(values_only=True):
                    rows += 1
                    cells += len(row)
                    if rows > MAX_ROWS or cells > MAX_CELLS:
                        what = (f"hơn {_n(MAX_ROWS)} dòng" if rows > MAX_ROWS
                                else f"hơn {_n(MAX_CELLS)} ô (cộng mọi trang tính của tệp)")
                        raise _too_big(path, f"trang tính '{ws.title}' có {what}", LIMITS,
                                       "Xoá các dòng, cột thừa (hoặc chép riêng danh sách sang tệp mới) rồi nhập lại.")
                    for column, value in enumerate(row):
                        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                            raise _long_cell(path, f"trang tính '{ws.title}', ô {_cell_name(rows, column)}", len(value))
                _check_merged(path, ws)
            except CatalogError:
                raise
            except Exception as exc:
                _refuse(path, exc)


def _cell_name(row: int, column: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column + 1)}{row}"


def _long_cell(path: Path, where: str, length: int) -> CatalogError:
    return CatalogError(f"{path}: {where} dài {_n(length)} ký tự — quá giới hạn {_n(MAX_CELL_CHARS)} ký tự của một ô "
                        "trong danh sách kèm quyết định; tệp có thể bị hỏng hoặc cố ý làm phình. Xoá nội dung ô đó rồi nhập lại")


def _check_merged(path: Path, ws) -> None:
    """The merged ranges of a read-only sheet, streamed from its XML: refused when together they
    cover more than ``MAX_CELLS`` cells (openpyxl's full load makes one object per merged cell)."""
    from defusedxml.ElementTree import iterparse
    from openpyxl.utils.cell import range_boundaries

    source = getattr(ws, "_get_source", None)
    if source is None:
        return
    area = 0
    with source() as fh:
        for _, elem in iterparse(fh, events=("end",)):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                ref = elem.get("ref") or ""
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(ref)
                except (ValueError, TypeError):
                    continue
                if None in (min_col, min_row, max_col, max_row):
                    continue
                area += (max_col - min_col + 1) * (max_row - min_row + 1)
                if area > MAX_CELLS:
                    raise _too_big(path, f"trang tính '{ws.title}' có vùng gộp ô {ref[:40]} (tổng {_n(area)} ô gộp)",
                                   f"{_n(MAX_CELLS)} ô",
                                   "Tệp có thể bị hỏng hoặc cố ý làm phình: bỏ gộp ô (Merge & Center) ở vùng đó hoặc "
                                   "chép riêng danh sách sang tệp mới rồi nhập lại.")
            if tag in ("row", "c", "v", "mergeCell"):
                elem.clear()


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        # cut BEFORE normalising (the stream already refused a cell over the limit; this bound
        # keeps any other caller linear): NFC of a long decomposed text is what costs
        text = unicodedata.normalize("NFC", value[:MAX_CELL_CHARS * 4])
        return text[:MAX_CELL_CHARS]
    if isinstance(value, (int, float, dt.date, dt.datetime)) or value is None:
        return value
    return str(value)[:MAX_CELL_CHARS]


def _formulas(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet title → (row, column index) → formula, of every formula cell (streamed; probe, round four:
    ``<f>1+2</f><v>5</v>`` in a workbook Excel recalculates on opening shows 3 there, and the saved 5
    was imported without a word)."""
    found: dict[str, dict[tuple[int, int], str]] = {}
    with _open(path, read_only=True, data_only=False) as wb:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f" and isinstance(cell.value, str):
                        found.setdefault(ws.title, {})[(cell.row, cell.column - 1)] = cell.value[:80]
    return found


def read_xlsx(path: Path) -> tuple[list[Grid], list[str]]:
    """Every visible sheet as a grid (merged cells filled, hidden rows marked, formula cells named);
    notes on hidden sheets."""
    _check_zip(path)
    _stream_count(path)
    formulas = _formulas(path)
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
            in_sheet = formulas.get(ws.title, {})
            rows = [Row(i + 1, line, bool(ws.row_dimensions[i + 1].hidden) if (i + 1) in ws.row_dimensions else False,
                        merged.get(i + 1, set()), {c: f for (r, c), f in in_sheet.items() if r == i + 1})
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
        try:  # split at the wrong character a long line is one field over csv's limit: not this one
            counts = Counter(len(r) for r in csv.reader(lines, delimiter=delimiter) if len(r) > 1)
        except csv.Error:
            continue
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
    out: dict[str, None] = {}  # ordered and linear: a 16,384-column row was quadratic (probe, round four)
    for value in row.cells:
        if value is None:
            continue
        text = " ".join(str(value).split())
        if text:
            out.setdefault(text, None)
    return list(out)


def find_header(rows: list[Row], is_heading: Callable[[str], bool]) -> int | None:
    """Index of the first row with at least two distinct recognised column headings."""
    for i, row in enumerate(rows[:60]):
        if sum(1 for text in _texts(row) if is_heading(text)) >= 2:
            return i
    return None


def _no_dtd(path: Path) -> None:
    """A Word file whose XML parts declare a DTD (entities: XXE, billion laughs) is refused unread:
    Word never writes one. Every part that is XML — by its first bytes, whatever its name: python-docx
    reads parts by their content type — is streamed through defusedxml with DTDs forbidden, so a
    declaration behind a long comment or in UTF-16 is found too (probe, round four: the first 4 KB of
    *.xml parts only were looked at, and "Hồng &b; …" was proposed as "Hồng"). The parts' total
    size is bounded before (the unzipped-size limit)."""
    from defusedxml import DTDForbidden, EntitiesForbidden  # start-up: only when a Word annex is read
    from defusedxml.ElementTree import iterparse  # start-up: only when a Word annex is read

    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            with zf.open(info) as fh:
                head = fh.read(64)
            if not head.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(b"<") and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
                continue  # not XML (a picture): python-docx never parses it
            try:
                with zf.open(info) as fh:
                    for _ in iterparse(fh, forbid_dtd=True, forbid_entities=True, forbid_external=True):
                        pass
            except (DTDForbidden, EntitiesForbidden):
                raise CatalogError(f"{path}: tệp chứa khai báo thực thể XML (DTD/ENTITY) mà Word không bao giờ ghi — "
                                   "có thể là tệp độc hại, không đọc. Mở tệp gốc bằng Word và lưu lại thành tệp mới") from None
            except Exception:  # noqa: BLE001 — malformed XML: the reader after this says so in its own words
                continue


def _hidden_run(el, vanish: str, val: str) -> bool:
    """Is ``el`` in a run formatted as hidden text (Font → Hidden, ``<w:vanish/>``)? Word neither
    shows nor prints it (probe, round four: a row hidden this way was imported like the others)."""
    run = el.getparent()
    mark = run.find(f"{run.tag[:run.tag.index('}') + 1]}rPr/{vanish}") if run is not None and "}" in run.tag else None
    return mark is not None and mark.get(val, "true").lower() not in ("0", "false", "off")


def _docx_text(tc, hidden_too: bool = False) -> str:
    """A table cell's text as Word shows it (hidden text left out; ``hidden_too``: all of it),
    paragraphs on their own lines, cut before it is normalised."""
    from docx.oxml.ns import qn

    lines = []
    length = 0
    t_tag, breaks, tab = qn("w:t"), {qn("w:br"), qn("w:cr")}, qn("w:tab")
    vanish, val = qn("w:vanish"), qn("w:val")
    for p in tc.iter(qn("w:p")):
        # a line break typed with Shift+Enter (w:br) parts two lines as Enter (a new w:p) does:
        # "HTX Chè Tả Phìn⏎Bản Tả Phìn" is a name and an address, not "HTX Chè Tả PhìnBản Tả Phìn"
        text = "".join((el.text or "") if el.tag == t_tag else "\n" if el.tag in breaks else " "
                       for el in p.iter(t_tag, *breaks, tab) if hidden_too or not _hidden_run(el, vanish, val))
        length += len(text) + 1
        if length > MAX_CELL_CHARS:
            raise ValueError(length)
        lines.append(text)
    return "\n".join(lines).strip()


def read_docx(path: Path) -> list[Grid]:
    """Every table of a Word document as a grid; the paragraphs before a table are its first rows
    (the title block, row number 0). Row numbers count the table's rows from 1."""
    _check_zip(path)
    _no_dtd(path)
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError:  # pragma: no cover - a dependency (pyproject.toml)
        raise CatalogError(f"{path}: thiếu thư viện python-docx để đọc tệp Word: chạy lại bash tools/setup.sh") from None
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise CatalogError(f"{path}: không đọc được tệp Word ({detail[:200]}). Mở bằng Word và lưu lại dạng .docx") from None
    grids: list[Grid] = []
    title: list[Row] = []
    rows_total = cells_total = 0
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if len(text) > MAX_CELL_CHARS:
                raise _long_cell(path, "một đoạn văn", len(text))
            if text.strip():
                title = (title + [Row(0, [unicodedata.normalize("NFC", text.strip())])])[-20:]
            continue
        if child.tag != qn("w:tbl"):
            continue
        rows: list[Row] = list(title)
        title = []
        above: list[Any] = []
        for number, tr in enumerate(child.iter(qn("w:tr")), start=1):
            if tr.getparent() is not child:
                continue  # a row of a table nested in a cell
            rows_total += 1
            values: list[Any] = []
            hidden_values: list[Any] = []  # with the text Word hides (the row is named when it is all hidden)
            merged: set[int] = set()
            before = tr.find(qn("w:trPr") + "/" + qn("w:gridBefore"))
            if before is not None and (val := before.get(qn("w:val"), "0")).isdigit():
                values.extend([None] * min(int(val), 64))
                hidden_values.extend([None] * min(int(val), 64))
            for tc in tr.findall(qn("w:tc")):
                span_el = tc.find(qn("w:tcPr") + "/" + qn("w:gridSpan"))
                span = int(span_el.get(qn("w:val"), "1")) if span_el is not None and span_el.get(qn("w:val"), "1").isdigit() else 1
                span = max(1, min(span, 64))
                vmerge = tc.find(qn("w:tcPr") + "/" + qn("w:vMerge"))
                continues = vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue"
                at = len(values)
                if continues:
                    value = above[at] if at < len(above) else None
                    merged.update(range(at, at + span))
                else:
                    try:
                        text = _docx_text(tc)
                        everything = _docx_text(tc, hidden_too=True)
                    except ValueError as exc:
                        raise _long_cell(path, f"bảng {len(grids) + 1}, dòng {number}", int(str(exc.args[0]))) from None
                    value = unicodedata.normalize("NFC", text) or None
                    hidden_values.extend([unicodedata.normalize("NFC", everything) or None] * span)
                    merged.update(range(at + 1, at + span))
                values.extend([value] * span)
                if continues:
                    hidden_values.extend([value] * span)
            cells_total += len(values)
            if rows_total > MAX_ROWS or cells_total > MAX_CELLS:
                what = f"hơn {_n(MAX_ROWS)} dòng" if rows_total > MAX_ROWS else f"hơn {_n(MAX_CELLS)} ô"
                raise _too_big(path, f"các bảng có {what}", LIMITS, "Chép riêng bảng danh sách sang tệp mới rồi nhập lại.")
            if not any(v is not None for v in values) and any(v is not None for v in hidden_values):
                rows.append(Row(number, hidden_values, True, merged))  # all its text hidden: named, not imported
            else:
                rows.append(Row(number, values, False, merged))
            above = values
        grids.append(Grid(f"bảng {len(grids) + 1}", rows))
    return grids


def _combine_header(upper: Row, lower: Row, is_heading: Callable[[str], bool]) -> list[str] | None:
    """The header of two rows, or None when ``lower`` is not a second header row."""
    top = ["" if c is None else " ".join(str(c).split()) for c in upper.cells]
    bottom = ["" if c is None else " ".join(str(c).split()) for c in lower.cells]
    extra = [(i, t) for i, t in enumerate(bottom) if t and (i >= len(top) or t != top[i])]
    width = max(len(top), len(bottom))
    top += [""] * (width - len(top))

    def heading_of(i: int, text: str) -> str | None:
        group = top[i]
        if group and ((i > 0 and top[i - 1] == group) or (i + 1 < width and top[i + 1] == group)):
            # a group heading merged over its parts ("Chủ thể" over "Tên" | "Địa chỉ", "Hạng sao" over
            # "Đã công nhận" | "Công nhận lại"): the part alone may name another column ("Tên" is the
            # product's name) or none, the two together name this one
            for joined in (f"{text} {group}", f"{group} {text}"):
                if is_heading(joined):
                    return joined
        return text if is_heading(text) else None

    named = [(i, heading_of(i, t)) for i, t in extra]
    if not named:
        return None
    if any(h is None for _, h in named):
        # Headings merged down into this row (STT, Tên sản phẩm … over two rows) make it the header's
        # second row even when its own words are not known: read as a product row, its headings became
        # a product and the column under the group took the group's meaning (the OLD stars as the new
        # ones). Its columns keep their two headings together, unknown: a missing column is then said,
        # with every heading read, and --mapping names them.
        down = [i for i in lower.merged if i < len(top) and top[i] and i < len(bottom) and bottom[i] == top[i]]
        if not down or any(_is_number(t) for _, t in extra):
            return None
        named = [(i, h if h is not None else (f"{top[i]} {t}" if top[i] else t)) for (i, t), (_, h) in zip(extra, named)]
    combined = list(top)
    for i, heading in named:
        combined[i] = heading or ""
    return combined


def _is_number(text: str) -> bool:
    return re.fullmatch(r"[\d.,\s]+", text) is not None


PDF_ADVICE = ("máy không đọc bảng trong tệp PDF (PDF không giữ ô gộp, dòng, cột của bảng). Dùng tệp Word (.docx) hoặc "
              "Excel (.xlsx) gốc của phụ lục (hỏi văn phòng nơi soạn quyết định); nếu chỉ có PDF: mở bằng Word "
              "(Tệp → Mở: Word chuyển PDF thành văn bản sửa được) rồi lưu .docx, hoặc chép bảng sang Excel và lưu .xlsx, "
              "rồi nhập tệp đó")


def read_sheets(path: Path, is_heading: Callable[[str], bool]) -> list[Sheet]:
    """Every list in ``path`` (.xlsx, .csv or .docx): one per visible sheet (or Word table) that
    has a header row, in order. Notes (hidden sheets, sheets without a header) go on the first."""
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
    elif suffix == ".docx":
        grids, kind = read_docx(path), "docx"
    elif suffix == ".pdf":
        raise CatalogError(f"{path}: {PDF_ADVICE}")
    elif suffix in (".xls", ".ods", ".xlsm"):
        raise CatalogError(f"{path}: chỉ nhận .xlsx, .csv hoặc .docx. Mở tệp bằng Excel (hoặc LibreOffice) và chọn "
                           "Lưu thành → 'Excel Workbook (*.xlsx)'")
    elif suffix in (".doc", ".odt", ".rtf"):
        raise CatalogError(f"{path}: chỉ nhận .xlsx, .csv hoặc .docx. Mở tệp bằng Word (hoặc LibreOffice) và chọn "
                           "Lưu thành → 'Word Document (*.docx)'")
    else:
        raise CatalogError(f"{path}: chỉ nhận tệp .xlsx, .csv hoặc .docx (bảng Word kèm quyết định)")
    sheets: list[Sheet] = []
    without: list[str] = []
    for index, grid in enumerate(grids):
        at = find_header(grid.rows, is_heading)
        if at is None and kind == "docx" and (more := _continues(grid, grids[index - 1] if index else None, sheets)):
            sheets.append(more)
            continue
        if at is None:
            if any(_texts(r) for r in grid.rows) and grid.name:
                without.append(grid.name)
            continue
        if kind == "xlsx" and index > 0 and not sheets:
            skipped = ", ".join(f"'{g.name}'" for g in grids[:index])
            notes.insert(0, f"Danh sách nằm ở trang tính '{grid.name}', không phải trang đầu ({skipped}): đã tìm thấy và đọc trang này.")
        title = [text for row in grid.rows[:at] for text in _texts(row)]
        header = ["" if c is None else " ".join(str(c).split()) for c in grid.rows[at].cells]
        header_rows = 1
        if at + 1 < len(grid.rows) and (two := _combine_header(grid.rows[at], grid.rows[at + 1], is_heading)):
            header, header_rows = two, 2
        sheets.append(Sheet(path, kind, grid.name, grid.rows[at].number, header, grid.rows[at + header_rows:], title, [],
                            encoding, header_rows))
    if sheets:
        after = [name for name in without if name not in {s.sheet for s in sheets}]
        if after and len(sheets) >= 1 and kind != "csv":
            first_index = next(i for i, g in enumerate(grids) if g.name == sheets[0].sheet)
            later = [g.name for g in grids[first_index + 1:] if g.name in after]
            if later:
                what = "bảng" if kind == "docx" else "trang tính"
                notes.append(f"Không đọc {what} " + ", ".join(f"'{n}'" for n in later)
                             + ": không có dòng tiêu đề cột (Tên sản phẩm, Chủ thể…). Nếu đó là danh sách, thêm dòng tiêu đề cột rồi nhập lại.")
        sheets[0].notes = notes
        return sheets
    what = "bảng" if kind == "docx" else "trang tính"
    names = ", ".join(f"{what} '{g.name}'" for g in grids if g.name) or ("tệp (không có bảng nào)" if kind == "docx" else "tệp")
    raise CatalogError(f"{path}: không tìm thấy dòng tiêu đề cột (ví dụ: Tên sản phẩm, Chủ thể, Hạng sao) trong {names}. "
                       "Kiểm tra tệp có đúng là danh sách sản phẩm, hoặc dùng --mapping để chỉ rõ tên cột")


def _continues(grid: Grid, before: Grid | None, sheets: list[Sheet]) -> Sheet | None:
    """A Word table without a header that goes on with the list of the table just before it: the
    table was cut at a page break and the header not repeated (or repeated only by Word's "repeat
    header row", which lives in the first table). Same number of columns, and numbered rows (an STT
    of digits) — a signature or a note table has neither. Read with the header of the table before
    (``header_row`` 0, ``header_rows`` 0: it has none of its own); its rows keep their own numbers."""
    last = sheets[-1] if sheets else None
    if last is None or before is None or last.sheet != before.name or last.kind != "docx":
        return None
    table = [r for r in grid.rows if r.number > 0]
    width = len(last.header)
    if not table or any(len(r.cells) != width for r in table):
        return None
    if not any(re.fullmatch(r"\d{1,4}\.?", str(r.cells[0] or "").strip()) for r in table):
        return None
    return Sheet(last.source, "docx", grid.name, 0, list(last.header), table, list(last.title), [], None, 0)


def read(path: Path, is_heading: Callable[[str], bool]) -> Sheet:
    """The first list in ``path`` (see :func:`read_sheets`)."""
    return read_sheets(path, is_heading)[0]
