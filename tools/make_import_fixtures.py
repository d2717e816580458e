"""Write tests/fixtures/import/: recognition-decision annexes shaped the way provinces really send
them (issue #15), for `ocop import` and its tests. Deterministic: the same bytes on every run.

    .venv/bin/python tools/make_import_fixtures.py

* ``lang-son-1234-2025.xlsx`` — Lạng Sơn, 15 products: a "Tờ trình" cover sheet first; the list
  with a merged title block (the decision number, date and body only there), the province's own
  headings, a "(1) (2) (3)…" row, group headings "I | NHÓM THỰC PHẨM", blank rows, a hidden row,
  "Tổng cộng: 15 sản phẩm" and the signature block; one producer spelt two ways and merged over
  two rows, two producers each making "Mật ong bạc hà", district-era addresses in one cell, stars
  as "4 sao" / "4 Sao" / "3★" / 4, phones as "0912 345 678" / "0912.345.678" / 968112233 (a number)
  and one mistyped, dates as "15/8/2025" / "15/08/2025" / real Excel dates, two renewals of
  existing sample records (one across the 1048 → 148 taxonomies).
* ``lang-son-1234-2025-cp1258.csv`` — the same list as Excel on a Vietnamese Windows saves
  "CSV (Comma delimited)": Windows-1258 (base letters with combining tone marks; ★ becomes "?"), ``,``; merged
  cells keep their value in the first cell only; the hidden row is there (Excel writes it).
* ``lang-son-1234-2025-utf8-bom.csv`` — the same as "CSV UTF-8", ``;`` as list separator.
* ``tuyen-quang-tong-hop.xlsx`` — the edge workbook: a Tuyên Quang summary list of several
  decisions, not on the first sheet, with a hidden sheet holding an old list, month-first (US)
  dates in the decision-date column (8/15/2025 beside an ambiguous 8/5/2025), a Hà Giang-era
  certificate (UBND tỉnh Hà Giang, "…, tỉnh Hà Giang"), a renewal of an existing product across
  taxonomies and one that "renews backwards"; headings that need ``cot.yaml``;
  ``cot-sai.yaml`` names fields the tool does not know.

Every producer, person, phone number, certificate and decision number is invented; the places
(old communes and districts of Lạng Sơn and Hà Giang) are real.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "import"
STAMP = dt.datetime(2025, 8, 20, 9, 0, 0)

HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Số điện thoại", "Nhóm sản phẩm", "Hạng sao", "Số GCN",
          "Ngày cấp", "Ghi chú"]
DAY = dt.datetime(2025, 8, 15)
HL = "Thôn Làng Ào, xã Hữu Liên, huyện Hữu Lũng, tỉnh Lạng Sơn"

# (STT, name, producer, address, phone, group text, stars, GCN, date, note); None producer = merged from above
GROUPS = [
    ("I", "NHÓM THỰC PHẨM", [
        [1, "Mật ong bạc hà", "Hợp tác xã Nông nghiệp Hữu Liên", HL, "0912 345 678",
         "Mật ong, mật khác và nông sản thực phẩm khác", "4 sao", "201/GCN-UBND", "15/8/2025", None],
        [2, "Na Hữu Lũng", None, None, None, "Rau, củ, quả, hạt tươi", "4 Sao", "202/GCN-UBND", "15/08/2025", None],
        [3, "Mật ong bạc hà", "Tổ hợp tác Nuôi ong Thiện Thuật", "Thôn Khuổi Phầy, xã Thiện Thuật, huyện Bình Gia, tỉnh Lạng Sơn",
         968112233, "Thực phẩm", "3★", "203/GCN-UBND", DAY, None],
        [4, "Thạch đen Tràng Định", "HTX Thạch đen Tràng Định", "Xã Đội Cấn, huyện Tràng Định, tỉnh Lạng Sơn", "0912.400.405",
         "Chế biến từ rau, củ, quả, hạt", 4, "204/GCN-UBND", DAY, "Nâng hạng từ 3 sao"],
        [5, "Quýt vàng Bắc Sơn", "Hợp tác xã Nông nghiệp Bắc Sơn", "Thôn Hồng Phong, xã Vũ Lễ, huyện Bắc Sơn, tỉnh Lạng Sơn",
         "0868 400 404", "Rau, củ, quả, hạt tươi", "3★", "205/GCN-UBND", "15/8/2025", "Đánh giá lại"],
        [6, "Hồng vành khuyên Văn Lãng", "Hộ kinh doanh Nông Thị Hoa", "Thôn Pác Cáp, xã Hoàng Văn Thụ, huyện Văn Lãng, tỉnh Lạng Sơn",
         "0912 345 67", "Rau, củ, quả, hạt tươi", "3 sao", "206/GCN-UBND", "15/08/2025", None],
        [7, "Khâu nhục Kỳ Lừa", "Công ty TNHH Ẩm thực Kỳ Lừa",
         "Số 12 Lê Lợi, phường Hoàng Văn Thụ, thành phố Lạng Sơn, tỉnh Lạng Sơn", "0205.3870.123", "Thực phẩm", "4 sao",
         "207/GCN-UBND", DAY, None],
        [8, "Bánh khảo Đồng Mỏ", "Cơ sở sản xuất bánh Đồng Mỏ", "Khối 3, thị trấn Đồng Mỏ, huyện Chi Lăng, tỉnh Lạng Sơn",
         "0389 112 233", "Chế biến từ gạo, ngũ cốc", "3 sao", "208/GCN-UBND", "15/8/2025", None],
        [9, "Chè Shan tuyết Mẫu Sơn", "Công ty TNHH Rượu Mẫu Sơn", "Thôn Khuổi Tuổng, xã Mẫu Sơn, huyện Lộc Bình, tỉnh Lạng Sơn",
         "0205 3877 403", "Chè tươi, chè chế biến", "4 sao", "209/GCN-UBND", DAY, None],
        [10, "Gà đồi Hữu Lũng", "HTX Nông nghiệp Hữu Liên", HL, "0912.345.678", "Thịt, thủy sản, trứng, sữa tươi", "3 sao",
         "210/GCN-UBND", "15/08/2025", None],
    ]),
    ("II", "NHÓM ĐỒ UỐNG", [
        [11, "Rượu men lá Hồng Phong", "HTX Rượu men lá Hồng Phong", "Thôn Nà Mèo, xã Hồng Phong, huyện Bình Gia, tỉnh Lạng Sơn",
         "0977 556 677", "Rượu trắng", "3 sao", "211/GCN-UBND", DAY, None],
        [12, "Rượu ngô men lá Đình Lập", "Hợp tác xã Bính Xá", "Thôn Khe Mò, xã Bính Xá, huyện Đình Lập, tỉnh Lạng Sơn",
         "0355 778 899", "Rượu trắng", "3 sao", "212/GCN-UBND", "15/8/2025", None],
    ]),
    ("III", "NHÓM DƯỢC LIỆU VÀ SẢN PHẨM TỪ DƯỢC LIỆU", [
        [13, "Tinh dầu quế Văn Lãng", "Công ty Cổ phần Quế hồi Xứ Lạng", "Thôn Nà Pàn, xã Tân Mỹ, huyện Văn Lãng, tỉnh Lạng Sơn",
         "0913 221 144", "Tinh dầu và dược liệu khác", 4, "213/GCN-UBND", DAY, None],
        [14, "Dầu gội bồ kết Xuân Long", "HTX Dược liệu Xuân Long", "Thôn Nà Ngườm, xã Xuân Long, huyện Cao Lộc, tỉnh Lạng Sơn",
         "0915 667 788", "Dược liệu và sản phẩm từ dược liệu", "3 sao", "214/GCN-UBND", "15/08/2025", None],
    ]),
    ("IV", "NHÓM HÀNG THỦ CÔNG MỸ NGHỆ", [
        [15, "Khăn thổ cẩm Tày Văn Quan", "Tổ hợp tác Dệt thổ cẩm Văn Quan", "Khu phố 2, thị trấn Văn Quan, huyện Văn Quan, tỉnh Lạng Sơn",
         "0392 445 566", "Vải, may mặc", "3 sao", "215/GCN-UBND", DAY, None],
    ]),
]
# a product row hidden in Excel (taken off the list before signing), placed after product 6
HIDDEN = ["", "Miến dong Bình Gia", "Hộ kinh doanh Lý Văn Tám", "Xã Thiện Long, huyện Bình Gia, tỉnh Lạng Sơn",
          "0988 000 111", "Chế biến từ gạo, ngũ cốc", "3 sao", "", "15/8/2025", "Không đạt, đưa ra khỏi danh sách"]


def _deterministic(wb: Workbook, path: Path) -> None:
    """Save with fixed document dates and zip timestamps (openpyxl stamps the current time)."""
    wb.properties.creator = "Sở Nông nghiệp và Môi trường (dữ liệu mẫu)"
    wb.properties.created = wb.properties.modified = STAMP
    raw = io.BytesIO()
    wb.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 8, 20, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the clock on save
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-08-20T09:00:00Z", data)
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


def lang_son_rows() -> list[tuple[str, list]]:
    """The list as it is laid out below the header: (kind, cells)."""
    rows: list[tuple[str, list]] = [("numbering", [f"({i})" for i in range(1, len(HEADER) + 1)])]
    for roman, heading, products in GROUPS:
        rows.append(("group", [roman, heading] + [None] * (len(HEADER) - 2)))
        for product in products:
            rows.append(("product", list(product)))
            if product[0] == 6:
                rows.append(("hidden", list(HIDDEN)))
        if roman == "II":
            rows.append(("blank", [None] * len(HEADER)))
    rows.append(("blank", [None] * len(HEADER)))
    rows.append(("total", [None, "Tổng cộng: 15 sản phẩm"] + [None] * (len(HEADER) - 2)))
    return rows


TITLE = [
    ("UBND TỈNH LẠNG SƠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    (None, "Độc lập - Tự do - Hạnh phúc"),
    (None, None),
    ("DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT OCOP NĂM 2025", None),
    ("(Kèm theo Quyết định số 1234/QĐ-UBND ngày 15/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn)", None),
    (None, None),
]
SIGNATURE = [
    (None, None, "KT. CHỦ TỊCH"),
    ("Nơi nhận:", None, "PHÓ CHỦ TỊCH"),
    ("- Như Điều 3;", None, None),
    ("- Lưu: VT, KT.", None, "(Đã ký)"),
]


def lang_son_xlsx() -> None:
    wb = Workbook()
    cover = wb.active
    cover.title = "Tờ trình"
    for line in ["SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH LẠNG SƠN", "TỜ TRÌNH",
                 "Về việc công nhận sản phẩm đạt tiêu chuẩn OCOP tỉnh Lạng Sơn năm 2025",
                 "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn",
                 "Căn cứ Quyết định số 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ;",
                 "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp tỉnh đã họp, đề nghị công nhận 15 sản phẩm (danh sách kèm theo)."]:
        cover.append([line])
    ws = wb.create_sheet("Danh sách")
    width = len(HEADER)
    for left, right in TITLE:
        ws.append([left] + [None] * 4 + [right] + [None] * (width - 6))
        r = ws.max_row
        if left and r in (4, 5):
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            ws.cell(r, 1).alignment = Alignment(horizontal="center")
            ws.cell(r, 1).font = Font(bold=r == 4, italic=r == 5)
        elif left:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        if right:
            ws.merge_cells(start_row=r, start_column=6, end_row=r, end_column=width)
    ws.append(HEADER)
    for c in range(1, width + 1):
        ws.cell(ws.max_row, c).font = Font(bold=True)
    merge_from = None
    for kind, cells in lang_son_rows():
        ws.append(cells)
        r = ws.max_row
        if kind == "group":
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=width)
            ws.cell(r, 2).font = Font(bold=True)
        if kind == "hidden":
            ws.row_dimensions[r].hidden = True
        if kind == "total":
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=5)
        for c, value in enumerate(cells, 1):
            if isinstance(value, dt.datetime):
                ws.cell(r, c).number_format = "dd/mm/yyyy"
        if kind == "product" and cells[2] is not None:
            merge_from = r
        if kind == "product" and cells[2] is None and merge_from:
            for col in (3, 4, 5):  # producer, address, phone merged over the two rows
                ws.merge_cells(start_row=merge_from, start_column=col, end_row=r, end_column=col)
    ws.append([None] * width)
    for left, _, right in SIGNATURE:
        ws.append([None, left] + [None] * 5 + [right] + [None] * (width - 8))
    _deterministic(wb, OUT / "lang-son-1234-2025.xlsx")


def _excel_csv_rows() -> list[list[str]]:
    """What Excel writes: every row of the used range, merged cells' value in the first cell only,
    real dates in the locale's format, numbers as shown."""
    width = len(HEADER)
    rows: list[list[str]] = []

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.datetime):
            return value.strftime("%d/%m/%Y")
        return str(value)

    for left, right in TITLE:
        rows.append([text(left)] + [""] * 4 + [text(right)] + [""] * (width - 6))
    rows.append(list(HEADER))
    for _, cells in lang_son_rows():
        rows.append([text(v) for v in cells])
    rows.append([""] * width)
    for left, _, right in SIGNATURE:
        rows.append(["", text(left)] + [""] * 5 + [text(right)] + [""] * (width - 8))
    return rows


def _write_csv(rows: list[list[str]], delimiter: str) -> str:
    import csv

    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: letters with circumflex, breve, horn precomposed, tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out).encode("cp1258", errors="replace")  # Excel writes '?' for what the code page lacks (★)


def lang_son_csv() -> None:
    rows = _excel_csv_rows()
    (OUT / "lang-son-1234-2025-cp1258.csv").write_bytes(cp1258(_write_csv(rows, ",")))
    (OUT / "lang-son-1234-2025-utf8-bom.csv").write_bytes(b"\xef\xbb\xbf" + _write_csv(rows, ";").encode("utf-8"))


EDGE_HEADER = ["TT", "Tên SP dự thi", "Đơn vị chủ thể", "Địa chỉ", "Nhóm sản phẩm", "Hạng sao", "Số QĐ", "Ngày QĐ",
               "Cơ quan công nhận", "Số GCN", "Ghi chú nội bộ"]
EDGE_ROWS = [
    [1, "Rượu ngô men lá Đồng Văn", "Tổ hợp tác Rượu ngô men lá Đồng Văn", "Thôn Phố Cáo, xã Phố Cáo, huyện Đồng Văn, tỉnh Hà Giang",
     "Rượu trắng", "3 sao", "1456/QĐ-UBND", "8/15/2025", "UBND tỉnh Tuyên Quang", "310/GCN-UBND", "đánh giá lại sau sáp nhập"],
    [2, "Cam sành Hàm Yên", "HTX Cam sành Hàm Yên", "Thôn Tân Yên, xã Hàm Yên, tỉnh Tuyên Quang", "Rau, củ, quả, hạt tươi",
     "4 sao", "1020/QĐ-UBND", dt.datetime(2024, 3, 12), "UBND tỉnh Tuyên Quang", "48/GCN-UBND", "bản cũ"],
    [3, "Bánh tam giác mạch Đồng Văn", "Hợp tác xã Tam giác mạch Sủng Là",
     "Thôn Lũng Cẩm Trên, xã Sủng Là, huyện Đồng Văn, tỉnh Hà Giang", "Chế biến từ gạo, ngũ cốc", "4 sao", "1890/QĐ-UBND",
     dt.datetime(2024, 10, 18), "UBND tỉnh Hà Giang", "95/GCN-UBND", None],
    [4, "Chè Shan tuyết Hồng Thái", "HTX Chè Hồng Thái", "Thôn Khuổi Nà, xã Hồng Thái, huyện Na Hang, tỉnh Tuyên Quang",
     "Chè tươi, chè chế biến", "3 sao", "1502/QĐ-UBND", "8/5/2025", "UBND tỉnh Tuyên Quang", "318/GCN-UBND", None],
    [5, "Mật ong bạc hà Quản Bạ", "Hộ kinh doanh Vàng Thị Mai", "Thôn Nặm Đăm, xã Quản Bạ, huyện Quản Bạ, tỉnh Hà Giang",
     "Mật ong, mật khác và nông sản thực phẩm khác", "4 sao", "1456/QĐ-UBND", "15/8/2025", "UBND tỉnh Tuyên Quang",
     "311/GCN-UBND", None],
]


def tuyen_quang_xlsx() -> None:
    wb = Workbook()
    guide = wb.active
    guide.title = "Hướng dẫn"
    for line in ["Bảng tổng hợp sản phẩm OCOP (dùng nội bộ).", "Trang 'Tổng hợp': danh sách; trang ẩn: dữ liệu cũ, không dùng."]:
        guide.append([line])
    old = wb.create_sheet("Dữ liệu cũ")
    old.append(["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Số quyết định", "Ngày quyết định"])
    old.append([1, "Sản phẩm cũ không dùng", "HTX Cũ", "3 sao", "1/QĐ-UBND", "01/01/2021"])
    old.sheet_state = "hidden"
    ws = wb.create_sheet("Tổng hợp")
    ws.append(["UBND TỈNH TUYÊN QUANG"])
    ws.append(["TỔNG HỢP SẢN PHẨM OCOP ĐÃ CÔNG NHẬN (cập nhật tháng 8/2025)"])
    ws.merge_cells("A2:K2")
    ws.append([None])
    ws.append(EDGE_HEADER)
    for row in EDGE_ROWS:
        ws.append(row)
        for c, value in enumerate(row, 1):
            if isinstance(value, dt.datetime):
                ws.cell(ws.max_row, c).number_format = "dd/mm/yyyy"
    _deterministic(wb, OUT / "tuyen-quang-tong-hop.xlsx")
    (OUT / "cot.yaml").write_text(
        "# Các cột của bảng tổng hợp Tuyên Quang mà máy không tự nhận ra: 'Tiêu đề cột: tên trường'\n"
        "Tên SP dự thi: name\nĐơn vị chủ thể: producer\nGhi chú nội bộ: bỏ qua\n", encoding="utf-8")
    (OUT / "cot-sai.yaml").write_text(
        "Tên SP dự thi: name\nĐơn vị chủ thể: producer\nGhi chú nội bộ: ghi_chu\nSố QĐ: so_quyet_dinh\n", encoding="utf-8")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    lang_son_xlsx()
    lang_son_csv()
    tuyen_quang_xlsx()
    for path in sorted(OUT.iterdir()):
        print(path.relative_to(OUT.parent.parent.parent))


if __name__ == "__main__":
    main()
