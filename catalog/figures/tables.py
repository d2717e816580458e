"""Tables of figures, and the formats officers paste them from: CSV, XLSX and Markdown.

One job: a :class:`Table` (title, column headings, rows of text and numbers) written out. The
statistics pages, their downloads and ``ocop report`` all print the same Table objects, so a
number cannot differ between the page, the spreadsheet and the report.

Decisions:

* **Formula neutralisation** (OWASP "CSV injection", ASVS 1.2.10): a text cell that starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be taken for a formula by Excel,
  LibreOffice or Google Sheets. In CSV and Markdown such text gets a leading ``'``; in XLSX the
  cell is a typed text cell carrying Excel's own *quote prefix* style (the same ``'``, shown only
  in the formula bar, and kept when someone edits the cell). Numbers are numbers and never touched.
* **CSV**: UTF-8 with a byte-order mark (Excel opens it as UTF-8), CRLF line ends, a header row.
* **XLSX is written here, not with openpyxl** (which reads them back in the tests): a statistics
  build writes ~35 workbooks and openpyxl costs ≥ 45 ms for a nine-sheet workbook however small
  (it writes each sheet through a temporary file, plus theme and styles) — 1.6 s of CPU at national
  scale, more than the whole statistics budget (≤ 5 % of a 15,000-product build). The minimal
  SpreadsheetML package below (workbook, one sheet per table, inline strings, a bold header, frozen
  first row, column widths) costs ~1 ms, and has no timestamps at all: the zip entries carry a
  fixed date and there is no docProps part, so the bytes are the same on every build.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Iterable, Sequence
from xml.sax.saxutils import escape

from ..reference.escaping import FORMULA_TRIGGERS, csv_cell

# A cell is text, an integer, a percentage (a float, one decimal) or None (empty).

FORMULA_START = FORMULA_TRIGGERS  # one list for every sheet the tool writes (catalog/reference/escaping.py)


class Linked(str):
    """Text that links somewhere on the site (a commune's name → its page). Everywhere but an
    HTML page it is plain text."""

    url: str

    def __new__(cls, text: str, url: str) -> "Linked":
        obj = super().__new__(cls, text)
        obj.url = url
        return obj


@dataclass(frozen=True)
class Chart:
    """What a chart of the table shows: the label column, the value columns (one bar each per
    row), and at most ``limit`` rows (the first ones: tables are ordered for that)."""

    values: tuple[int, ...] = (1,)
    label: int = 0
    limit: int | None = None
    title: str = ""  # defaults to the table's title


@dataclass
class Table:
    id: str  # stable, ASCII: file names and HTML ids (hang-sao → hang-sao.csv)
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    total: list | None = None  # a final "Tổng cộng" row, kept apart from the rows
    chart: Chart | None = None
    note: str = ""
    header: int = 0  # the column that names a row (row header on a page)

    def all_rows(self) -> list[list]:
        return self.rows + ([self.total] if self.total is not None else [])


def neutralise(text: str) -> str:
    """Text for a CSV or Markdown cell: a ' where a spreadsheet would read a formula (at the start,
    or after a ';' or a tab inside: catalog/reference/escaping.py ``csv_cell``)."""
    return str(csv_cell(text))


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def to_csv(table: Table) -> str:
    """One table as CSV text (BOM, header row, CRLF)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_plain(c) for c in table.columns])
    for row in table.all_rows():
        writer.writerow([_plain(c) for c in row])
    return "\ufeff" + buf.getvalue()


def to_stacked_csv(tables: Sequence[Table]) -> str:
    """Several tables in one CSV, each under a row holding its title, a blank row between."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for i, table in enumerate(tables):
        if i:
            writer.writerow([])
        writer.writerow([_plain(table.title)])
        writer.writerow([_plain(c) for c in table.columns])
        for row in table.all_rows():
            writer.writerow([_plain(c) for c in row])
    return "\ufeff" + buf.getvalue()


def _md_cell(value: object) -> str:
    text = _plain(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def to_markdown(tables: Sequence[Table], heading: str = "##") -> str:
    """Tables as Markdown (GitHub pipe tables), each under a heading; numbers right-aligned."""
    out = []
    for table in tables:
        out.append(f"{heading} {_md_cell(table.title)}\n")
        if table.note:
            out.append(_md_cell(table.note) + "\n")
        rows = table.all_rows()
        numeric = [bool(rows) and all(isinstance(r[i], (int, float)) or r[i] is None for r in rows)
                   for i in range(len(table.columns))]
        out.append("| " + " | ".join(_md_cell(c) for c in table.columns) + " |")
        out.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
        for row in table.all_rows():
            out.append("| " + " | ".join(_md_cell(c) for c in row) + " |")
        out.append("")
    return "\n".join(out)


# --- XLSX ------------------------------------------------------------------------------------------
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
# cell styles (cellXfs): 0 normal, 1 bold header, 2 text with quote prefix, 3 one decimal
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet {_NS}>'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)


def _col(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name


def _xml_text(text: str) -> str:
    return escape(_ILLEGAL_XML.sub("", text))


def sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique (case-insensitively)."""
    base = _SHEET_NAME_BAD.sub(" ", _ILLEGAL_XML.sub("", title)).strip().strip("'")[:31].strip() or "Bảng"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)].rstrip() + suffix, n + 1
    taken.add(name.lower())
    return name


def _cell(ref: str, value: object, header: bool = False) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        style = ' s="1"' if header else ""
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    if isinstance(value, float):
        return f'<c r="{ref}" s="3"><v>{value:.1f}</v></c>'
    text = str(value)
    style = ' s="1"' if header else (' s="2"' if text.startswith(FORMULA_START) else "")
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" t="inlineStr"{style}><is><t{space}>{_xml_text(text)}</t></is></c>'


def _width(value: object) -> int:
    return len(str(value)) if value is not None else 0


def _sheet(table: Table) -> str:
    rows = [table.columns] + table.all_rows()
    widths = [min(60, max(8, max(_width(r[i]) for r in rows if i < len(r)) + 2)) for i in range(len(table.columns))]
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths))
    body = []
    for r, row in enumerate(rows, 1):
        cells = "".join(_cell(f"{_col(c)}{r}", v, header=(r == 1)) for c, v in enumerate(row))
        body.append(f'<row r="{r}">{cells}</row>')
    last = f"{_col(max(0, len(table.columns) - 1))}{len(rows)}"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet {_NS} {_REL_NS}><dimension ref="A1:{last}"/>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            f'<cols>{cols}</cols><sheetData>{"".join(body)}</sheetData></worksheet>')


def to_xlsx(tables: Iterable[Table]) -> bytes:
    """An XLSX workbook, one sheet per table (named after its title), deterministic bytes."""
    tables = list(tables)
    taken: set[str] = set()
    names = [sheet_name(t.title, taken) for t in tables]
    n = len(tables)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for i in range(1, n + 1))
        + "</Types>")
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>')
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook {_NS} {_REL_NS}><bookViews><workbookView/></bookViews><sheets>'
        + "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                  for i, name in enumerate(names, 1))
        + "</sheets></workbook>")
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                  f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
        + f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/></Relationships>')
    parts = [("[Content_Types].xml", content_types), ("_rels/.rels", root_rels), ("xl/workbook.xml", workbook),
             ("xl/_rels/workbook.xml.rels", workbook_rels), ("xl/styles.xml", _STYLES)]
    parts += [(f"xl/worksheets/sheet{i}.xml", _sheet(t)) for i, t in enumerate(tables, 1)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"), compresslevel=6)
    return buf.getvalue()
