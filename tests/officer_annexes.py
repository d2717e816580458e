"""Annexes as a provincial office actually types them (the officer3 probe), written at test time
with openpyxl and python-docx — new shapes beside tests/annex_shapes.py, never copied from anywhere.

* :func:`star_sheets_two_row_header_xlsx` — a sheet per star level ("3 sao", "4 SAO", "Sản phẩm 5
  sao"), a title block of merged rows over a TWO-ROW header whose "Chủ thể" is merged over "Tên" |
  "Địa chỉ", an STT column, a totals row and footnotes under the table, dates as Excel serial numbers
  and as "ngày 12 tháng 3 năm 2025", stars written "★★★★", "4*", "04", pre-2025 district names in
  the addresses and an existing cooperative spelled another way ("HTX" for "Hợp tác xã", doubled
  spaces, other case).
* :func:`split_table_docx` — a Word annex whose table runs over a page break: two tables, the header
  repeated on the second, a cell with line breaks.
* :func:`certificate_numbers_revocation_xlsx` — a revocation annex naming certificates by number only.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

from ruamel.yaml import YAML

TITLE = ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def to_cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 saves it: a letter with a tone mark is the base letter (ơ, ư, â, ê,
    ô, ă, đ have their own byte) followed by a combining tone, as Vietnamese Windows writes them."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = [c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append((base + "".join(tones)).encode("cp1258"))
    return b"".join(out)


def record(root: Path, kind: str, rel: str) -> dict:
    return YAML(typ="safe").load((root / f"{kind}s" / f"{rel}.yaml").read_text(encoding="utf-8"))


def excel_serial(day: dt.date) -> int:
    """The number Excel stores for a date (what a cell shows when its format is lost: 45728)."""
    return (day - dt.date(1899, 12, 30)).days


def respelled(name: str) -> str:
    """'Hợp tác xã Na Chi Lăng' as another officer types it: 'HTX  NA chi  lăng'."""
    words = name.replace("Hợp tác xã", "HTX").split()
    return "  ".join([words[0], " ".join(w.upper() if i == 0 else w.lower() for i, w in enumerate(words[1:]))])


def _two_row_header(ws, width: int) -> int:
    ws.append(["STT", "Tên sản phẩm", "Chủ thể", None, "Điểm", "Hạng sao", "Số GCN", "Ngày cấp GCN"])
    top = ws.max_row
    ws.append([None, None, "Tên", "Địa chỉ", None, None, None, None])
    for column in (1, 2, 5, 6, 7, 8):
        ws.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    ws.merge_cells(start_row=top, start_column=3, end_row=top, end_column=4)
    return top


def _title(ws, lines: list[str], width: int) -> None:
    for text in lines:
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)


def star_sheets_two_row_header_xlsx(root: Path, path: Path, number: str = "512/QĐ-UBND",
                                     signed: dt.date = dt.date(2025, 3, 12)) -> Path:
    """Lạng Sơn, March 2025 (before the merger): a sheet per star level, rows as described above."""
    from openpyxl import Workbook

    coop = record(root, "producer", "lang-son/htx-na-chi-lang")["name"]
    said = f"ngày {signed.day} tháng {signed.month} năm {signed.year}"
    title = [*TITLE, "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT SẢN PHẨM OCOP TỈNH LẠNG SƠN NĂM 2025 (ĐỢT 1)",
             f"(Kèm theo Quyết định số {number} {said} của Chủ tịch UBND tỉnh Lạng Sơn)"]
    wb = Workbook()
    three = wb.active
    three.title = "3 sao"
    _title(three, title, 8)
    _two_row_header(three, 8)
    rows3 = [
        [1, "Na dai sấy dẻo Chi Lăng", respelled(coop), "Thôn Quán Thanh, xã Quang Lang, huyện Chi Lăng, tỉnh Lạng Sơn",
         66, "★★★", "201/GCN-UBND", excel_serial(signed)],
        [2, "Miến dong Bình Gia", "Hộ kinh doanh Hoàng Thị Mai", "Thôn Pác Khuông, xã Thiện Thuật, huyện Bình Gia, tỉnh Lạng Sơn",
         "61,5", "3*", "202/GCN-UBND", said],
    ]
    for row in rows3:
        three.append(row)
    three.append([None, "Tổng cộng: 02 sản phẩm"])
    three.append(["Ghi chú: Điểm đánh giá theo Bộ tiêu chí ban hành kèm Quyết định 148/QĐ-TTg."])
    four = wb.create_sheet("4 SAO")
    _title(four, title, 8)
    _two_row_header(four, 8)
    four.append([1, "Thạch đen Tràng Định loại đặc biệt", "Công ty TNHH  Thạch đen Bản Tẳng",
                 "Khu 3, thị trấn Thất Khê, huyện Tràng Định, tỉnh Lạng Sơn", 78, "04", "203/GCN-UBND", excel_serial(signed)])
    four.append([2, "Quýt vàng Bắc Sơn sấy", "HTX Nông sản Vũ Lăng", "Thôn Đon Úy, xã Vũ Lăng, huyện Bắc Sơn, tỉnh Lạng Sơn",
                 75.25, "★★★★", "204/GCN-UBND", said])
    four.append([None, "Tổng cộng: 02 sản phẩm"])
    four.append(["Ghi chú: (*) Sản phẩm tiềm năng 5 sao, đề nghị Trung ương đánh giá."])
    five = wb.create_sheet("Sản phẩm 5 sao")
    _title(five, title, 8)
    _two_row_header(five, 8)
    five.append([None, "Không có sản phẩm", None, None, None, None, None, None])
    five.append(["Ghi chú: Sản phẩm 5 sao do Bộ Nông nghiệp và Môi trường công nhận."])
    wb.save(path)
    return path


def split_table_docx(path: Path, number: str = "1205/QĐ-UBND", signed: str = "ngày 20 tháng 10 năm 2026",
                     repeat_header: bool = True) -> Path:
    """Điện Biên in Word: the table runs over a page break — two tables, the header repeated on the
    second (or not: ``repeat_header=False``, then a signature table of two columns follows); a
    producer cell holds the name and the address on separate lines (Shift+Enter)."""
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for text in ["UBND TỈNH ĐIỆN BIÊN", "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT SẢN PHẨM OCOP NĂM 2026",
                 f"(Kèm theo Quyết định số {number} {signed} của UBND tỉnh Điện Biên)"]:
        document.add_paragraph(text)
    header = ["TT", "Tên sản phẩm", "Tên chủ thể", "Hạng sao", "Số GCN"]
    first = [["1", "Chè Shan tuyết Tả Phìn", "HTX Chè Tả Phìn\nBản Tả Phìn, xã Tủa Chùa", "4 sao", "310/GCN-UBND"],
             ["2", "Măng khô Mường Nhé", "Hộ kinh doanh Lò Thị Ơn\nBản Nậm Pồ, xã Mường Nhé", "3 sao", "311/GCN-UBND"]]
    second = [["3", "Mận tam hoa sấy Tủa Chùa", "HTX Nông sản\nSính Phình", "3 sao", "312/GCN-UBND"]]
    for block in (first, second):
        top = [header] if block is first or repeat_header else []
        table = document.add_table(rows=len(top) + len(block), cols=len(header))
        for r, values in enumerate(top + block):
            for c, value in enumerate(values):
                table.cell(r, c).text = value
        if block is first:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Tổng cộng: 03 sản phẩm")
    if repeat_header:
        document.add_paragraph("KT. CHỦ TỊCH")
    else:
        signature = document.add_table(rows=2, cols=2)
        for (r, c), value in {(0, 0): "Nơi nhận:", (0, 1): "KT. CHỦ TỊCH", (1, 0): "- Như Điều 3;", (1, 1): "PHÓ CHỦ TỊCH"}.items():
            signature.cell(r, c).text = value
    document.save(str(path))
    return path


def certificate_numbers_revocation_xlsx(path: Path, numbers: list[str], number: str = "2290/QĐ-UBND",
                                        signed: str = "05/11/2026", body: str = "UBND tỉnh Lạng Sơn") -> Path:
    """A revocation annex that names the certificates by number only (STT, Số GCN, Lý do thu hồi)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Thu hồi"
    _title(ws, [*TITLE[:2], "DANH SÁCH GIẤY CHỨNG NHẬN SẢN PHẨM OCOP BỊ THU HỒI",
                f"(Kèm theo Quyết định số {number} ngày {signed} của {body})"], 3)
    ws.append(["STT", "Số GCN", "Lý do thu hồi"])
    for i, gcn in enumerate(numbers, start=1):
        ws.append([i, gcn, "Chủ thể giải thể, không còn sản xuất"])
    ws.append([None, f"Tổng cộng: {len(numbers):02d} giấy chứng nhận"])
    wb.save(path)
    return path


def rerecognition_other_level_xlsx(root: Path, path: Path, number: str = "2415/QĐ-UBND", signed: str = "18/11/2026") -> Path:
    """Lạng Sơn re-recognises (công nhận lại) three products: one named in capitals with its producer
    spelled 'HTX' goes down a level, one whose old certificate is typed with spaces and lower case
    goes up, one keeps its level; the stars as 'Đã công nhận' | 'Công nhận lại' under a merged
    'Hạng sao'."""
    from openpyxl import Workbook

    na, thach, quyt = (record(root, "product", f"lang-son/{rid}") for rid in ("na-chi-lang", "thach-den-trang-dinh", "mang-kho-chi-lang"))
    coop = record(root, "producer", f"lang-son/{na['producer']}")["name"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Công nhận lại"
    _title(ws, [*TITLE, "DANH SÁCH SẢN PHẨM OCOP ĐƯỢC ĐÁNH GIÁ, CÔNG NHẬN LẠI NĂM 2026",
                f"(Kèm theo Quyết định số {number} ngày {signed} của UBND tỉnh Lạng Sơn)"], 7)
    ws.append(["STT", "Tên sản phẩm", "Chủ thể", "Số GCN đã cấp", "Hạng sao", None, "Số GCN mới"])
    top = ws.max_row
    ws.append([None, None, None, None, "Đã công nhận", "Công nhận lại", None])
    for column in (1, 2, 3, 4, 7):
        ws.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    ws.merge_cells(start_row=top, start_column=5, end_row=top, end_column=6)
    old = na["certificate"]["number"]
    ws.append([1, na["name"].upper(), respelled(coop), old, na["certificate"]["stars"], na["certificate"]["stars"] - 1, "601/GCN-UBND"])
    ws.append([2, thach["name"], None, " " + thach["certificate"]["number"].lower().replace("/", " / "), f"{thach['certificate']['stars']} sao",
               "4 sao", "602/GCN-UBND"])
    ws.append([3, quyt["name"], None, quyt["certificate"]["number"], quyt["certificate"]["stars"], quyt["certificate"]["stars"],
               "603/GCN-UBND"])
    ws.append([None, "Tổng cộng: 03 sản phẩm"])
    wb.save(path)
    return path


def former_province_csv(path: Path, encoding: str = "cp1258") -> Path:
    """Hà Giang, March 2025 (before it joined Tuyên Quang): a CSV saved by Excel on a Vietnamese
    Windows (Windows-1258, semicolons), addresses with the district and the former province, a phone
    whose leading 0 Excel dropped, the date written out in words."""
    lines = [
        "UBND TỈNH HÀ GIANG;;;;;;",
        "DANH SÁCH SẢN PHẨM ĐẠT OCOP NĂM 2025;;;;;;",
        "(Kèm theo Quyết định số 455/QĐ-UBND ngày 12 tháng 3 năm 2025 của UBND tỉnh Hà Giang);;;;;;",
        "STT;Tên sản phẩm;Chủ thể;Địa chỉ;Số điện thoại;Hạng sao;Số GCN",
        "1;Chè Shan tuyết Cao Bồ;Hợp tác xã Chè Cao Bồ;Thôn Khâu Mèo, xã Cao Bồ, huyện Vị Xuyên, tỉnh Hà Giang;912468024;4 sao;81/GCN-UBND",
        "2;Mật ong bạc hà Đồng Văn;HTX Ong mật Lũng Cú;Thôn Thèn Pả, xã Lũng Cú, huyện Đồng Văn, tỉnh Hà Giang;0987 654 321;3*;82/GCN-UBND",
        ";Tổng cộng: 02 sản phẩm;;;;;",
    ]
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes(to_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def total_at_the_end_xlsx(path: Path) -> Path:
    """A sheet per star level with ONE total under the last sheet counting the whole list, and a name
    marked '(*)' for the footnote under it."""
    from openpyxl import Workbook

    wb = Workbook()
    sheets = [("3 sao", [[1, "Miến dong Bình Gia (*)", "Hộ kinh doanh Hoàng Thị Mai", "150/GCN-UBND"],
                         [2, "Trà hoa vàng Đình Lập", "HTX Trà hoa vàng Đình Lập", "151/GCN-UBND"]]),
              ("4 sao", [[1, "Thạch đen sấy lạnh Tràng Định", "HTX Thạch đen Quốc Khánh", "152/GCN-UBND"]])]
    for index, (name, rows) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = name
        _title(ws, [*TITLE[:2], "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT SẢN PHẨM OCOP",
                    "(Kèm theo Quyết định số 2400/QĐ-UBND ngày 20/11/2026 của UBND tỉnh Lạng Sơn)"], 4)
        ws.append(["STT", "Tên sản phẩm", "Chủ thể", "Số GCN"])
        for row in rows:
            ws.append(row)
    ws.append([None, "Tổng cộng: 03 sản phẩm"])
    ws.append(["(*) Sản phẩm có tiềm năng nâng hạng 4 sao."])
    wb.save(path)
    return path
