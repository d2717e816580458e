"""Annexes shaped the way provinces send them (issue #24), written at test time with openpyxl and
python-docx — never copied from anywhere. Each function writes one file and returns its path.

The products a revocation or a re-recognition names are read from the data root the test imports
into (a fresh copy of the shipped data), as an officer would copy them from the records."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ruamel.yaml import YAML

CIVIL = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


def record(root: Path, kind: str, rel: str) -> dict:
    return YAML(typ="safe").load((root / f"{kind}s" / f"{rel}.yaml").read_text(encoding="utf-8"))


def producer_name(root: Path, product_rel: str) -> str:
    folder = product_rel.split("/")[0]
    return record(root, "producer", f"{folder}/{record(root, 'product', product_rel)['producer']}")["name"]


def _sheet(ws, title: list[str], header: list[str], rows: list[list], widths: int | None = None) -> int:
    """Title lines (merged across the table), the header, the rows; returns the header's row number."""
    width = widths or len(header)
    for text in title:
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    ws.append([])
    ws.append(header)
    at = ws.max_row
    for row in rows:
        ws.append(row)
    return at


def _signature(ws) -> None:
    ws.append([])
    ws.append([None, None, None, "KT. CHỦ TỊCH"])
    ws.append([None, None, None, "PHÓ CHỦ TỊCH"])


def revocation_xlsx(root: Path, path: Path, number: str = "2210/QĐ-UBND", date: str = "03/11/2026") -> Path:
    """Lạng Sơn revokes two certificates; one revocation takes effect a month after signing."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    na, ruou = record(root, "product", "lang-son/na-chi-lang"), record(root, "product", "lang-son/ruou-mau-son")
    _sheet(ws, ["UBND TỈNH LẠNG SƠN", *CIVIL,
                "DANH SÁCH SẢN PHẨM BỊ THU HỒI GIẤY CHỨNG NHẬN SẢN PHẨM OCOP",
                f"(Kèm theo Quyết định số {number} ngày {date} của Chủ tịch UBND tỉnh Lạng Sơn về việc thu hồi "
                "Giấy chứng nhận sản phẩm OCOP)"],
           ["STT", "Tên sản phẩm", "Chủ thể", "Số GCN", "Hạng sao", "Lý do thu hồi", "Thu hồi từ ngày"],
           [[1, na["name"], producer_name(root, "lang-son/na-chi-lang"), na["certificate"]["number"],
             f"{na['certificate']['stars']} sao", "Chủ thể không duy trì chất lượng sản phẩm theo tiêu chuẩn đã công bố", None],
            [2, ruou["name"].upper(), producer_name(root, "lang-son/ruou-mau-son"), ruou["certificate"]["number"],
             ruou["certificate"]["stars"], "Chủ thể ngừng sản xuất, đề nghị thu hồi", "01/12/2026"]])
    ws.append([None, "Tổng cộng: 02 sản phẩm"])
    _signature(ws)
    wb.save(path)
    return path


def revocation_of_unknown_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    _sheet(wb.active, ["DANH SÁCH SẢN PHẨM BỊ THU HỒI GIẤY CHỨNG NHẬN OCOP",
                       "(Kèm theo Quyết định số 2211/QĐ-UBND ngày 04/11/2026 của UBND tỉnh Lạng Sơn)"],
           ["STT", "Tên sản phẩm", "Chủ thể", "Số GCN", "Lý do thu hồi"],
           [[1, "Miến dong Bình Gia", "HTX Miến dong Bình Gia", "999/GCN-UBND", "Không duy trì chất lượng"]])
    wb.save(path)
    return path


def recognition_xlsx(path: Path, rows: list[list], number: str, date: str, body: str = "UBND tỉnh Lạng Sơn",
                     header: list[str] | None = None) -> Path:
    """A plain recognition annex (STT, name, producer, stars, GCN)."""
    from openpyxl import Workbook

    wb = Workbook()
    _sheet(wb.active, ["DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT SẢN PHẨM OCOP",
                       f"(Kèm theo Quyết định số {number} ngày {date} của {body})"],
           header or ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Số GCN"], rows)
    wb.save(path)
    return path


def rerecognition_xlsx(root: Path, path: Path) -> Path:
    """Hải Phòng re-recognises two products certified by the former Hải Dương: one keeps 4 stars,
    one goes down to 3; the annex prints the address after the merger."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Công nhận lại"
    vai, banh = record(root, "product", "hai-phong/vai-thieu-thanh-ha"), record(root, "product", "hai-phong/banh-gai-ninh-giang")
    _sheet(ws, ["UBND THÀNH PHỐ HẢI PHÒNG", *CIVIL, "DANH SÁCH SẢN PHẨM OCOP ĐƯỢC ĐÁNH GIÁ, CÔNG NHẬN LẠI NĂM 2026",
                "(Kèm theo Quyết định số 3150/QĐ-UBND ngày 20/10/2026 của UBND thành phố Hải Phòng)"],
           ["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Số GCN đã cấp", "Hạng sao đã công nhận", "Điểm đánh giá lại",
            "Hạng sao công nhận lại", "Số GCN mới", "Ghi chú"],
           [[1, vai["name"], producer_name(root, "hai-phong/vai-thieu-thanh-ha"), "Thôn Thúy Lâm, xã Hà Nam, thành phố Hải Phòng",
             vai["certificate"]["number"], f"{vai['certificate']['stars']} sao", "88,5", "4 sao", "512/GCN-UBND", "Giữ hạng"],
            [2, banh["name"], producer_name(root, "hai-phong/banh-gai-ninh-giang"), "Khu 3, xã Ninh Giang, thành phố Hải Phòng",
             banh["certificate"]["number"], banh["certificate"]["stars"], 68, 3, "513/GCN-UBND", "Hạ hạng"]])
    _signature(ws)
    wb.save(path)
    return path


def star_sheets_xlsx(path: Path) -> Path:
    """Điện Biên: one sheet per star level, no stars column; a hidden sheet of old data."""
    from openpyxl import Workbook

    wb = Workbook()
    title = ["UBND TỈNH ĐIỆN BIÊN", "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN SẢN PHẨM OCOP NĂM 2026",
             "(Kèm theo Quyết định số 1777/QĐ-UBND ngày 12/10/2026 của UBND tỉnh Điện Biên)"]
    header = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Điểm", "Số GCN"]
    three = wb.active
    three.title = "3 sao"
    _sheet(three, title, header, [
        [1, "Chè búp khô Mường Phăng", "HTX Chè Mường Phăng", "Bản Che Căn, xã Mường Phăng, tỉnh Điện Biên", 62, "301/GCN-UBND"],
        [2, "Măng đắng sấy Na Son", "Hộ kinh doanh Lò Văn Pánh", "Bản Na Son, xã Na Son, tỉnh Điện Biên", 58.5, "302/GCN-UBND"]])
    four = wb.create_sheet("4 sao")
    _sheet(four, title, header, [
        [1, "Rượu men lá Mường Lay", "HTX Rượu Mường Lay", "Tổ 2, phường Mường Lay, tỉnh Điện Biên", 76, "303/GCN-UBND"]])
    notes = wb.create_sheet("Ghi chú")
    notes.append(["Danh sách gồm 3 sản phẩm, chia theo hạng sao; xem Tờ trình số 45/TTr-SNNMT."])
    old = wb.create_sheet("Dữ liệu cũ")
    _sheet(old, ["Bản nháp"], header, [[1, "Sản phẩm nháp", "Chủ thể nháp", "", 40, ""]])
    old.sheet_state = "hidden"
    wb.save(path)
    return path


def star_sheets_apart_xlsx(path: Path) -> Path:
    """Hà Giang style (two officers typed the two sheets): one sheet per star level whose columns are
    named apart and in another order, each with a column of its own the catalogue does not use."""
    from openpyxl import Workbook

    wb = Workbook()
    title = ["UBND TỈNH TUYÊN QUANG", "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN SẢN PHẨM OCOP NĂM 2026",
             "(Kèm theo Quyết định số 2046/QĐ-UBND ngày 20/10/2026 của UBND tỉnh Tuyên Quang)"]
    three = wb.active
    three.title = "3 sao"
    _sheet(three, title, ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Số GCN", "Người liên hệ"], [
        [1, "Chè Shan tuyết Sủng Là", "HTX Chè Sủng Là", "Thôn Lũng Cẩm, xã Sủng Là, tỉnh Tuyên Quang", "411/GCN-UBND",
         "anh Sùng"],
        [2, "¿¿¿", "Hộ kinh doanh Vừ Thị Dợ", "Thôn Sủng Là, xã Sủng Là, tỉnh Tuyên Quang", "412/GCN-UBND", "chị Dợ"]])
    four = wb.create_sheet("4 sao")
    _sheet(four, title, ["TT", "Số giấy chứng nhận", "Tên SP", "Tên chủ thể", "Địa chỉ chủ thể", "Ghi chú nội bộ"], [
        [1, "413/GCN-UBND", "Mật ong hoa bạc hà Lũng Cú", "HTX Ong Mèo Vạc", "Tổ 3, xã Mèo Vạc, tỉnh Tuyên Quang", "đã xác minh"],
        [2, "414/GCN-UBND", "???", "HTX Ong Mèo Vạc", "Tổ 3, xã Mèo Vạc, tỉnh Tuyên Quang", ""]])
    wb.save(path)
    return path


def merged_headers_xlsx(path: Path) -> Path:
    """Lai Châu: a two-row header ("Kết quả đánh giá, phân hạng" over "Số sao" | "Điểm"), a product
    whose name is merged over two rows with its address continued in the second, a group name in
    the "Phân nhóm" column, a producer cell holding the name and the address."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    for text in ["UBND TỈNH LAI CHÂU", "DANH SÁCH SẢN PHẨM ĐẠT OCOP",
                 "(Kèm theo Quyết định số 1880/QĐ-UBND ngày 02/11/2026 của UBND tỉnh Lai Châu)"]:
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=7)
    ws.append(["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Phân nhóm", "Kết quả đánh giá, phân hạng", None, "Số GCN"])
    ws.append([None, None, None, None, None, "Số sao", "Điểm", None])
    top = ws.max_row - 1
    for column in (1, 2, 3, 4, 5, 8):
        ws.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    ws.merge_cells(start_row=top, start_column=6, end_row=top, end_column=7)
    ws.append([1, "Chè Shan tuyết Pa Vây Sử", "HTX Chè Pa Vây Sử", "Bản Pa Vây Sử, xã Phong Thổ,", "Thực phẩm", 4, 75.5, "160/GCN-UBND"])
    ws.append([None, None, None, "tỉnh Lai Châu", None, None, None, None])
    first = ws.max_row - 1
    for column in (1, 2, 3, 5, 6, 7, 8):
        ws.merge_cells(start_row=first, start_column=column, end_row=first + 1, end_column=column)
    ws.append([2, "Mật ong bạc hà Sìn Hồ", "Tổ hợp tác Mật ong Sìn Hồ\nĐịa chỉ: Bản Hua Cượng, xã Sìn Hồ, tỉnh Lai Châu\nĐT: 0912 468 024",
               None, "Thực phẩm", "3 sao", "64", "161/GCN-UBND"])
    wb.save(path)
    return path


def sections_xlsx(path: Path) -> Path:
    """Tuyên Quang: no stars column; section rows "I. SẢN PHẨM ĐẠT 4 SAO" / "II. SẢN PHẨM ĐẠT 3 SAO"
    merged across the table give the stars of the rows under them."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    at = _sheet(ws, ["UBND TỈNH TUYÊN QUANG", "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN OCOP",
                     "(Kèm theo Quyết định số 905/QĐ-UBND ngày 09/10/2026 của UBND tỉnh Tuyên Quang)"],
                ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Số GCN"], [])
    for text, rows in (("I. SẢN PHẨM ĐẠT 4 SAO", [[1, "Chè vàng Lũng Phìn", "HTX Chè Lũng Phìn", "Thôn Sà Phìn, xã Lũng Phìn, tỉnh Tuyên Quang",
                                                   "88/GCN-UBND"]]),
                       ("II. SẢN PHẨM ĐẠT 3 SAO", [[1, "Bánh tam giác mạch Đồng Văn", "Hộ kinh doanh Vàng Thị Mỷ",
                                                    "Thôn Phố Bảng, xã Phố Bảng, tỉnh Tuyên Quang", "89/GCN-UBND"],
                                                   [2, "Rượu ngô men lá Hà Giang", "HTX Rượu ngô Thanh Vân",
                                                    "Tổ 5, xã Nà Hang, tỉnh Tuyên Quang", "90/GCN-UBND"]])):
        ws.append([text])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=5)
        for row in rows:
            ws.append(row)
    assert at
    wb.save(path)
    return path


def docx_with_table(paragraphs: list[str], rows: list[list[str]]):
    """A Word document: ``paragraphs`` (the title block), then one table of ``rows``. Returns
    (document, table) for the caller to merge cells, add a signature and save."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    return document, table


def docx_annex(path: Path) -> Path:
    """Lạng Sơn drafts in Word: title paragraphs, then a table; the producer cell is merged
    down over two products (w:vMerge), the title row of the stars column spans two columns."""
    rows = [["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Số GCN"],
            ["1", "Hồng không hạt Bảo Lâm", "HTX Hồng Bảo Lâm", "Thôn Bản Chắt, xã Bảo Lâm, tỉnh Lạng Sơn", "4 sao", "140/GCN-UBND"],
            ["2", "Hồng sấy dẻo Bảo Lâm", "", "Thôn Bản Chắt, xã Bảo Lâm, tỉnh Lạng Sơn", "3 sao", "141/GCN-UBND"],
            ["3", "Khâu nhục Lộc Bình", "Hộ kinh doanh Hoàng Văn Sình", "Khu Hòa Bình, xã Lộc Bình, tỉnh Lạng Sơn", "3", "142/GCN-UBND"]]
    document, table = docx_with_table(["UBND TỈNH LẠNG SƠN", "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT SẢN PHẨM OCOP NĂM 2026",
                                       "(Kèm theo Quyết định số 1990/QĐ-UBND ngày 05/11/2026 của Chủ tịch UBND tỉnh Lạng Sơn)"],
                                      rows)
    table.cell(1, 2).merge(table.cell(2, 2))  # the producer over rows 1–2
    table.cell(1, 2).text = "HTX Hồng Bảo Lâm"
    document.add_paragraph("KT. CHỦ TỊCH")
    document.save(str(path))
    return path


def docx_two_row_product(path: Path) -> Path:
    """Hà Giang's annex of 12/03/2025 in Word: one column "Tên chủ thể, địa chỉ"; the first product
    takes two rows — STT, name, stars and certificate merged down (w:vMerge), the producer's name in
    the first row and its address, itself on two lines, in the second."""
    rows = [["STT", "Tên sản phẩm", "Tên chủ thể, địa chỉ", "Hạng sao", "Số GCN"],
            ["1", "Chè Shan tuyết Phìn Hồ", "HTX Chè Phìn Hồ", "4 sao", "88/GCN-UBND"],
            ["", "", "Thôn Phìn Hồ, xã Thông Nguyên,\nhuyện Hoàng Su Phì, tỉnh Hà Giang", "", ""],
            ["2", "Cam sành Bắc Quang", "HTX Cam sành Hùng An\nThôn Tân Thành, xã Hùng An, huyện Bắc Quang, tỉnh Hà Giang",
             "3 sao", "89/GCN-UBND"]]
    document, table = docx_with_table(["ỦY BAN NHÂN DÂN TỈNH HÀ GIANG", "DANH SÁCH SẢN PHẨM ĐẠT SẢN PHẨM OCOP NĂM 2025",
                                       "(Kèm theo Quyết định số 415/QĐ-UBND ngày 12/03/2025 của UBND tỉnh Hà Giang)"], rows)
    for column in (0, 1, 3, 4):
        text = table.cell(1, column).text
        table.cell(1, column).merge(table.cell(2, column))
        table.cell(1, column).text = text
    document.save(str(path))
    return path


def text_pdf(path: Path) -> Path:
    """An annex printed to PDF (text, not a scan), with reportlab."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    c.drawString(72, 800, "DANH SACH SAN PHAM DUOC CONG NHAN OCOP")
    c.drawString(72, 780, "STT  Ten san pham  Chu the  Hang sao")
    c.drawString(72, 760, "1  Mien dong Binh Gia  HTX Binh Gia  3")
    c.save()
    return path


def mixed_csv(root: Path, path: Path) -> Path:
    """Lạng Sơn's one decision of the year: recognises one product, re-recognises one, revokes one
    ("Hình thức" per row), saved from Excel as CSV UTF-8."""
    mang = record(root, "product", "lang-son/mang-kho-chi-lang")
    hoi = record(root, "product", "lang-son/hoi-kho-van-quan")
    lines = [
        "UBND TỈNH LẠNG SƠN;;;;;;;",
        "DANH SÁCH SẢN PHẨM CÔNG NHẬN, CÔNG NHẬN LẠI VÀ THU HỒI GIẤY CHỨNG NHẬN OCOP;;;;;;;",
        "(Kèm theo Quyết định số 2300/QĐ-UBND ngày 10/11/2026 của UBND tỉnh Lạng Sơn);;;;;;;",
        "STT;Tên sản phẩm;Chủ thể;Hình thức;Hạng sao;Số GCN đã cấp;Số GCN;Lý do thu hồi",
        "1;Trà hoa vàng Đình Lập;HTX Trà hoa vàng Đình Lập;Công nhận mới;4;;150/GCN-UBND;",
        f"2;{mang['name']};{producer_name(root, 'lang-son/mang-kho-chi-lang')};Nâng hạng;4;{mang['certificate']['number']};"
        "151/GCN-UBND;",
        f"3;{hoi['name']};{producer_name(root, 'lang-son/hoi-kho-van-quan')};Thu hồi;;;{hoi['certificate']['number']};"
        "Cơ sở sản xuất không còn đủ điều kiện",
    ]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    return path


# --- import bombs (issue #22) ---------------------------------------------------------------------


def _patch_zip(src: Path, dest: Path, patch, extra: dict[str, bytes] | None = None) -> Path:
    """Copy an .xlsx/.docx, passing each part's bytes through ``patch(name, data)``; add ``extra`` parts."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, patch(info.filename, zin.read(info.filename)))
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dest


def merged_bomb_xlsx(tmp: Path) -> Path:
    """A few KB: one merged range over the whole sheet, A1:XFD1048576."""
    plain = recognition_xlsx(tmp / "plain.xlsx", [[1, "Sản phẩm", "HTX A", 4, "1/GCN-UBND"]], "1/QĐ-UBND", "01/10/2026")

    def patch(name: str, data: bytes) -> bytes:
        if name.startswith("xl/worksheets/sheet"):
            return re.sub(rb"<mergeCells.*?</mergeCells>", b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
                          data, flags=re.S)
        return data

    return _patch_zip(plain, tmp / "bom-gop-o.xlsx", patch)


def long_string_xlsx(tmp: Path, chars: int = 50 * 1024 * 1024 // 3, cells: int = 3) -> Path:
    """A shared string of ``chars`` characters of decomposed Vietnamese (e + combining marks),
    used by ``cells`` cells."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao"])
    for i in range(cells):
        ws.append([i + 1, "DÀI", f"HTX {i}", 4])
    plain = tmp / "plain-long.xlsx"
    wb.save(plain)
    unit = "e\u0302\u0301"  # ế, decomposed
    text = (unit * (chars // len(unit) + 1))[:chars].encode("utf-8")
    table = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="1"><si><t>'
             % cells + text + b"</t></si></sst>")

    def patch(name: str, data: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":  # every "DÀI" cell points at the one shared string
            return re.sub(rb'<c r="(B\d+)" t="inlineStr"><is><t>D&#192;I</t></is></c>', rb'<c r="\1" t="s"><v>0</v></c>', data)
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        return data

    return _patch_zip(plain, tmp / "chuoi-dai.xlsx", patch, {"xl/sharedStrings.xml": table})


def alias_bomb_yaml(path: Path) -> Path:
    """The classic billion-laughs in YAML: 354 bytes that expand to 10^9 items."""
    out = io.StringIO()
    out.write('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n')
    previous = "a"
    for name in "bcdefghi":
        out.write(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n")
        previous = name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path
