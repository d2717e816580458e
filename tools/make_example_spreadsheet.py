"""Write examples/quyet-dinh-cong-nhan-lai-chau.xlsx and .csv: the kind of list that comes with a
provincial recognition decision (SAMPLE DATA — invented decision and producers).

    .venv/bin/python tools/make_example_spreadsheet.py
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parent.parent / "examples"
TITLE = ("DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN (kèm theo Quyết định số 2150/QĐ-UBND ngày 10/11/2026 "
         "của UBND tỉnh Lai Châu) — DỮ LIỆU MẪU")
HEADER = ["STT", "Tên sản phẩm", "Chủ thể", "Xã", "Nhóm sản phẩm", "Bộ sản phẩm", "Điểm", "Số sao",
          "Số quyết định", "Ngày quyết định", "Cơ quan công nhận", "Số giấy chứng nhận"]
ROWS = [
    [1, "Mật ong hoa ban Tam Đường", "Hợp tác xã Nông sản Tam Đường", "Xã Bình Lư", "Thực phẩm",
     "Mật ong, mật khác và nông sản thực phẩm khác", 78, 4, "2150/QĐ-UBND", dt.date(2026, 11, 10), "UBND tỉnh Lai Châu", "140/GCN-UBND"],
    [2, "Thảo quả sấy khô Sìn Hồ", "Hợp tác xã Chè Shan tuyết Sìn Hồ", "Xã Nậm Cuổi", "Thực phẩm",
     "Gia vị khác", 72, 4, "2150/QĐ-UBND", dt.date(2026, 11, 10), "UBND tỉnh Lai Châu", "141/GCN-UBND"],
    [3, "Rượu táo mèo Sìn Hồ", "Hợp tác xã Chè Shan tuyết Sìn Hồ", "Xã Sìn Hồ", "Đồ uống", "Rượu trắng", 64, 3,
     "2150/QĐ-UBND", dt.date(2026, 11, 10), "UBND tỉnh Lai Châu", "142/GCN-UBND"],
    [4, "Khăn dệt lanh Bản Bo", "HTX Dệt lanh Bản Bo", "Xã Bản Bo", "Hàng thủ công mỹ nghệ", "Vải, may mặc", 61, 3,
     "2150/QĐ-UBND", dt.date(2026, 11, 10), "UBND tỉnh Lai Châu", "143/GCN-UBND"],
]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append([TITLE])
    ws.append(HEADER)
    for row in ROWS:
        ws.append(row)
        ws.cell(ws.max_row, 10).number_format = "dd/mm/yyyy"
    wb.properties.creator = "ocop"
    wb.properties.created = wb.properties.modified = dt.datetime(2026, 11, 10)
    wb.save(OUT / "quyet-dinh-cong-nhan-lai-chau.xlsx")
    # the same list as CSV, headings typed without diacritics (as often happens)
    folded = ["STT", "Ten san pham", "Chu the", "Xa", "Nhom san pham", "Bo san pham", "Diem", "So sao",
              "So quyet dinh", "Ngay quyet dinh", "Co quan cong nhan", "So giay chung nhan"]
    with open(OUT / "quyet-dinh-cong-nhan-lai-chau.csv", "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(folded)
        for row in ROWS:
            writer.writerow([v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else v for v in row])
    print("examples/quyet-dinh-cong-nhan-lai-chau.xlsx, .csv")


if __name__ == "__main__":
    main()
