"""Write issue #25's rule fixtures: records shaped like real certificates, sales-point and craft-village
decisions (renewals across the 2025 reform, district councils, special zones, provinces that became
cities), into tests/fixtures/invalid and tests/fixtures/valid.

    .venv/bin/python tools/make_law_fixtures.py [OUT_DIR]   # default: tests/fixtures

The files are committed; tests/test_rules_data.py checks that ``FILES`` still holds them byte for
byte. Line and column of each expected problem are in tests/fixtures/invalid/expected.yaml.
"""

from __future__ import annotations

import sys
from pathlib import Path

FIX = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
FILES: dict[str, str] = {}  # path below tests/fixtures → content

def product(id: str, name: str, *, basis: str, group="thuc-pham", pset="che", province, commune, ctext, cprov, stars, score,
            number, dnum, ddate, level, body, valid_until, earlier=""):
    pset_line = f"  product_set: {pset}\n" if pset else ""
    return f"""id: {id}
name: {name}
classification:
  legal_basis: {basis}
  group: {group}
{pset_line}description: Sản phẩm dùng cho kiểm thử quy tắc công nhận (issue #25).
producer: htx-mau
images:
  - file: lai-chau/san-pham-mau.jpg
    alt: Ảnh sản phẩm
address:
  province: {province}
  commune: {commune}
certified_address:
  text: {ctext}
  province: {cprov}
certificate:
  stars: {stars}
  score: {score}
  number: {number}
  decision:
    number: {dnum}
    date: {ddate}
  deciding_body:
    level: {level}
    name: {body}
  valid_until: {valid_until}
""" + earlier

def earlier(stars, basis, dnum, ddate, level=None, body=None, valid_until=None, score=None, gcn=None):
    out = f"  - stars: {stars}\n"
    if score is not None:
        out += f"    score: {score}\n"
    out += f"    legal_basis: {basis}\n    decision:\n      number: {dnum}\n      date: {ddate}\n"
    if body:
        out += f"    deciding_body:\n      level: {level}\n      name: {body}\n"
    if gcn:
        out += f"    certificate_number: {gcn}\n"
    if valid_until:
        out += f"    valid_until: {valid_until}\n"
    return out

def write(rel: str, text: str) -> None:
    FILES[rel] = text

LC = dict(province="Lai Châu", commune="Xã Sìn Hồ", ctext="Xã Sìn Hồ, tỉnh Lai Châu", cprov="Lai Châu")

# ---------------- officer mistakes ----------------
write("invalid/products/lai-chau/giay-cu-het-han-truoc-quyet-dinh.yaml", product(
    "giay-cu-het-han-truoc-quyet-dinh", "Chè Shan tuyết Hồng Thu", basis="148+1489/2025", **LC, stars=4, score=78.5,
    number="212/GCN-UBND", dnum="1718/QĐ-UBND", ddate="2025-10-14", level="province", body="UBND tỉnh Lai Châu",
    valid_until="2028-10-13", earlier="earlier_ratings:\n" + earlier(3, "148/2023", "2204/QĐ-UBND", "2023-08-21", "district",
    "UBND huyện Sìn Hồ", "2023-08-20", 64.25, "31/GCN-UBND")))
write("invalid/products/lai-chau/giay-cu-huyen-sau-cai-cach.yaml", product(
    "giay-cu-huyen-sau-cai-cach", "Gạo tẻ râu Phong Thổ", basis="148+1489/2025", group="thuc-pham", pset="gao-ngu-coc",
    **LC, stars=4, score=72, number="37/GCN-UBND", dnum="402/QĐ-UBND", ddate="2026-03-16", level="province",
    body="UBND tỉnh Lai Châu", valid_until="2029-03-15", earlier="earlier_ratings:\n" + earlier(
        3, "148+1489/2025", "1350/QĐ-UBND", "2025-08-12", "district", "UBND huyện Sìn Hồ", "2028-08-11", 61.5)))
write("invalid/products/lai-chau/giay-cu-tieu-chi-chua-co.yaml", product(
    "giay-cu-tieu-chi-chua-co", "Miến dong Tam Đường", basis="148+1489/2025", pset="che-bien-ngu-coc", **LC, stars=4,
    score=71, number="48/GCN-UBND", dnum="1920/QĐ-UBND", ddate="2025-11-03", level="province", body="UBND tỉnh Lai Châu",
    valid_until="2028-11-02", earlier="earlier_ratings:\n" + earlier(3, "148/2023", "860/QĐ-UBND", "2022-06-09",
    "province", "UBND tỉnh Lai Châu", "2025-06-08", 58)))
write("invalid/products/lai-chau/giay-cu-tinh-khac.yaml", product(
    "giay-cu-tinh-khac", "Mật ong rừng Mường Tè", basis="148+1489/2025", pset="mat-ong", **LC, stars=4, score=74,
    number="55/GCN-UBND", dnum="1932/QĐ-UBND", ddate="2025-11-05", level="province", body="UBND tỉnh Lai Châu",
    valid_until="2028-11-04", earlier="earlier_ratings:\n" + earlier(3, "1048/2019", "1207/QĐ-UBND", "2021-07-19",
    "province", "UBND tỉnh Điện Biên", "2024-07-18", 60.5)))
write("invalid/products/lai-chau/co-quan-huyen-tinh-khac.yaml", product(
    "co-quan-huyen-tinh-khac", "Chè san tuyết Tả Phìn", basis="148/2023", **LC, stars=3, score=63, number="12/GCN-UBND",
    dnum="318/QĐ-UBND", ddate="2024-04-22", level="district", body="UBND huyện Bắc Sơn", valid_until="2027-04-21"))
write("invalid/products/tuyen-quang/dia-chi-huyen-cu-sau-cai-cach.yaml", product(
    "dia-chi-huyen-cu-sau-cai-cach", "Chè Shan tuyết Lũng Phìn", basis="148+1489/2025", province="Tuyên Quang",
    commune="Xã Lũng Phìn", ctext="Thôn Lũng Phìn, xã Lũng Phìn, huyện Đồng Văn, tỉnh Hà Giang", cprov="Hà Giang",
    stars=4, score=76, number="102/GCN-UBND", dnum="2150/QĐ-UBND", ddate="2025-09-18", level="province",
    body="UBND tỉnh Tuyên Quang", valid_until="2028-09-17"))
write("invalid/products/tuyen-quang/tinh-cu-sau-sap-nhap.yaml", product(
    "tinh-cu-sau-sap-nhap", "Mật ong bạc hà Lũng Phìn", basis="148+1489/2025", pset="mat-ong", province="Tuyên Quang",
    commune="Xã Lũng Phìn", ctext="Thôn Lũng Phìn, xã Lũng Phìn", cprov="Hà Giang",
    stars=4, score=80, number="118/GCN-UBND", dnum="2261/QĐ-UBND", ddate="2025-10-02", level="province",
    body="UBND tỉnh Tuyên Quang", valid_until="2028-10-01"))
write("invalid/products/lai-chau/nam-sao-so-bo-cu.yaml", product(
    "nam-sao-so-bo-cu", "Chè Shan tuyết cổ thụ Sìn Hồ", basis="148/2023", **LC, stars=5, score=91.25,
    number="9/GCN-BNNMT", dnum="412/QĐ-BNN-VPĐP", ddate="2025-06-10", level="central", body="Bộ Nông nghiệp và Môi trường",
    valid_until="2028-06-09"))
QN = dict(province="Quảng Ninh", commune="Xã Quảng La", ctext="Thôn Đồng Đặng, xã Quảng La, thành phố Quảng Ninh", cprov="Quảng Ninh")
write("invalid/products/quang-ninh/tinh-da-thanh-thanh-pho.yaml", product(
    "tinh-da-thanh-thanh-pho", "Chè hoa vàng Quảng La", basis="26/2026", pset="che-thuc-vat-khac", **QN, stars=4,
    score=77, number="88/GCN-UBND", dnum="2890/QĐ-UBND", ddate="2026-10-05", level="province", body="UBND tỉnh Quảng Ninh",
    valid_until="2029-10-04"))

write("invalid/sales_points/lai-chau/diem-920-truoc-ngay-ky.yaml", """id: diem-920-truoc-ngay-ky
name: Điểm giới thiệu và bán sản phẩm OCOP chợ trung tâm Tam Đường
kind: market
operator: Ban quản lý chợ trung tâm Tam Đường
address:
  province: Lai Châu
  commune: Phường Tân Phong
products:
  - san-pham-mau
criteria_decision:
  criteria: 920/QĐ-BCT
  decision:
    number: 27/QĐ-SCT
    date: 2019-03-11
""")
write("invalid/sales_points/lai-chau/buu-cuc-theo-920.yaml", """id: buu-cuc-theo-920
name: Điểm giới thiệu và bán sản phẩm OCOP Bưu điện Tân Phong
kind: post_office
operator: Bưu điện tỉnh Lai Châu
address:
  province: Lai Châu
  commune: Phường Tân Phong
products:
  - san-pham-mau
criteria_decision:
  criteria: 920/QĐ-BCT
  decision:
    number: 88/QĐ-SCT
    date: 2021-10-20
""")
write("invalid/villages/bac-ninh/lang-nghe-thanh-pho-bac-ninh-2020.yaml", """id: lang-nghe-thanh-pho-bac-ninh-2020
name: Làng nghề gốm Vũ Ninh
kind: craft_village
recognition:
  decision:
    number: 745/QĐ-UBND
    date: 2020-11-16
  body: UBND thành phố Bắc Ninh
address:
  province: Bắc Ninh
  commune: Phường Vũ Ninh
description: Làng nghề dùng cho kiểm thử cơ quan công nhận theo ngày (issue #25).
products:
  - san-pham-mau
""")

# ---------------- legal cases ----------------
write("valid/products/lai-chau/huyen-ngay-cuoi-30-6-2025.yaml", product(
    "huyen-ngay-cuoi-30-6-2025", "Chè Shan tuyết Sìn Hồ ngày cuối cấp huyện", basis="148/2023", province="Lai Châu",
    commune="Xã Sìn Hồ", ctext="Khu 3, thị trấn Sìn Hồ, huyện Sìn Hồ, tỉnh Lai Châu", cprov="Lai Châu", stars=3, score=66.5,
    number="19/GCN-UBND", dnum="1088/QĐ-UBND", ddate="2025-06-30", level="district", body="UBND huyện Sìn Hồ",
    valid_until="2028-06-29"))
write("valid/products/lai-chau/tieu-chi-148-sau-1489.yaml", product(
    "tieu-chi-148-sau-1489", "Chè Shan tuyết Phìn Hồ", basis="148/2023", **LC, stars=4, score=73.75,
    number="201/GCN-UBND", dnum="1655/QĐ-UBND", ddate="2025-09-26", level="province", body="UBND tỉnh Lai Châu",
    valid_until="2028-09-25"))
write("valid/products/lai-chau/nam-sao-bo-moi.yaml", product(
    "nam-sao-bo-moi", "Chè Shan tuyết cổ thụ Phìn Hồ", basis="148+1489/2025", **LC, stars=5, score=90.5,
    number="14/GCN-BNNMT", dnum="2387/QĐ-BNNMT-VPĐP", ddate="2025-12-02", level="central", body="Bộ Nông nghiệp và Môi trường",
    valid_until="2028-12-01", earlier="earlier_ratings:\n" + earlier(5, "148/2023", "377/QĐ-BNN-VPĐP", "2024-02-06",
    "central", "Bộ Nông nghiệp và Phát triển nông thôn", "2027-02-05", 90.25, "3/GCN-BNN")))
write("valid/products/bac-ninh/thanh-pho-tung-la-cap-huyen.yaml", product(
    "thanh-pho-tung-la-cap-huyen", "Bánh phu thê Vũ Ninh", basis="148/2023", pset="che-bien-ngu-coc", province="Bắc Ninh",
    commune="Phường Vũ Ninh", ctext="Số 12 đường Kinh Dương Vương, phường Vũ Ninh, thành phố Bắc Ninh, tỉnh Bắc Ninh",
    cprov="Bắc Ninh", stars=3, score=62, number="41/GCN-UBND", dnum="5120/QĐ-UBND", ddate="2024-05-20", level="district",
    body="UBND thành phố Bắc Ninh", valid_until="2027-05-19"))
write("valid/products/an-giang/dac-khu-phu-quoc.yaml", product(
    "dac-khu-phu-quoc", "Nước mắm cá cơm Hàm Ninh", basis="148+1489/2025", pset="tuong-nuoc-mam-gia-vi-long",
    province="An Giang", commune="Đặc khu Phú Quốc", ctext="Ấp Rạch Hàm, đặc khu Phú Quốc, tỉnh An Giang", cprov="An Giang",
    stars=4, score=82, number="305/GCN-UBND", dnum="2433/QĐ-UBND", ddate="2025-11-03", level="province",
    body="UBND tỉnh An Giang", valid_until="2028-11-02", earlier="earlier_ratings:\n"
    + earlier(3, "1048/2019", "1577/QĐ-UBND", "2020-07-08", "province", "UBND tỉnh Kiên Giang", "2023-07-07", 63, "112/GCN-UBND")
    + earlier(3, "148/2023", "3307/QĐ-UBND", "2023-08-14", "district", "UBND thành phố Phú Quốc", "2026-08-13", 68.5, "27/GCN-UBND")))
write("valid/products/tuyen-quang/gia-han-qua-cai-cach.yaml", product(
    "gia-han-qua-cai-cach", "Chè Shan tuyết Lũng Phìn gia hạn", basis="148+1489/2025", province="Tuyên Quang",
    commune="Xã Lũng Phìn", ctext="Thôn Lũng Phìn, xã Lũng Phìn, tỉnh Tuyên Quang", cprov="Tuyên Quang",
    stars=4, score=75.5, number="131/GCN-UBND", dnum="2402/QĐ-UBND", ddate="2025-10-20", level="province",
    body="UBND tỉnh Tuyên Quang", valid_until="2028-10-19", earlier="earlier_ratings:\n"
    + earlier(3, "1048/2019", "1492/QĐ-UBND", "2022-08-15", "province", "UBND tỉnh Hà Giang", "2025-08-14", 65, "58/GCN-UBND")))
write("valid/products/hai-phong/gia-han-hai-duong.yaml", product(
    "gia-han-hai-duong", "Bánh gai Tuệ Tĩnh", basis="148+1489/2025", pset="che-bien-ngu-coc", province="Hải Phòng",
    commune="Xã Tuệ Tĩnh", ctext="Thôn Nghĩa Phú, xã Tuệ Tĩnh, thành phố Hải Phòng", cprov="Hải Phòng",
    stars=4, score=79, number="77/GCN-UBND", dnum="3015/QĐ-UBND", ddate="2025-12-10", level="province",
    body="UBND thành phố Hải Phòng", valid_until="2028-12-09", earlier="earlier_ratings:\n"
    + earlier(3, "1048/2019", "2811/QĐ-UBND", "2020-11-02", "province", "UBND tỉnh Hải Dương", "2023-11-01", 60, "96/GCN-UBND")
    + earlier(3, "148/2023", "4410/QĐ-UBND", "2023-12-05", "district", "UBND huyện Cẩm Giàng", "2026-12-04", 67, "15/GCN-UBND")))
write("valid/products/quang-ninh/tinh-thanh-thanh-pho.yaml", product(
    "tinh-thanh-thanh-pho", "Chè hoa vàng Đồng Đặng", basis="26/2026", pset="che-thuc-vat-khac", **QN, stars=4,
    score=81, number="96/GCN-UBND", dnum="2951/QĐ-UBND", ddate="2026-10-12", level="province",
    body="UBND thành phố Quảng Ninh", valid_until="2029-10-11", earlier="earlier_ratings:\n"
    + earlier(4, "148/2023", "3120/QĐ-UBND", "2023-10-02", "province", "UBND tỉnh Quảng Ninh", "2026-10-01", 74, "211/GCN-UBND")))
write("valid/products/quang-ninh/tinh-ngay-cuoi.yaml", product(
    "tinh-ngay-cuoi", "Chè hoa vàng Quảng La ngày cuối", basis="26/2026", pset="che-thuc-vat-khac",
    province="Quảng Ninh", commune="Xã Quảng La", ctext="Thôn Đồng Đặng, xã Quảng La, tỉnh Quảng Ninh", cprov="Quảng Ninh",
    stars=4, score=71, number="80/GCN-UBND", dnum="2530/QĐ-UBND", ddate="2026-08-31", level="province",
    body="UBND tỉnh Quảng Ninh", valid_until="2029-08-30"))
write("valid/sales_points/lai-chau/ben-tau-theo-920.yaml", """id: ben-tau-theo-920
name: Điểm giới thiệu và bán sản phẩm OCOP bến thuyền lòng hồ Lai Châu
kind: pier
operator: Hợp tác xã vận tải thủy lòng hồ
address:
  province: Lai Châu
  commune: Phường Tân Phong
products:
  - san-pham-mau
criteria_decision:
  criteria: 920/QĐ-BCT
  decision:
    number: 31/QĐ-SCT
    date: 2019-04-16
""")
write("valid/sales_points/lai-chau/khu-cong-nghiep-theo-950.yaml", """id: khu-cong-nghiep-theo-950
name: Điểm giới thiệu và bán sản phẩm OCOP khu công nghiệp Tam Đường
kind: industrial_zone
operator: Công ty cổ phần hạ tầng khu công nghiệp mẫu
address:
  province: Lai Châu
  commune: Phường Tân Phong
products:
  - san-pham-mau
criteria_decision:
  criteria: 950/QĐ-BCT
  decision:
    number: 64/QĐ-SCT
    date: 2023-04-18
""")
write("valid/villages/bac-ninh/lang-nghe-tinh-bac-ninh-2020.yaml", """id: lang-nghe-tinh-bac-ninh-2020
name: Làng nghề gốm Vũ Ninh
kind: craft_village
recognition:
  decision:
    number: 2317/QĐ-UBND
    date: 2020-11-16
  body: UBND tỉnh Bắc Ninh
address:
  province: Bắc Ninh
  commune: Phường Vũ Ninh
description: Làng nghề dùng cho kiểm thử cơ quan công nhận theo ngày (issue #25).
products:
  - san-pham-mau
""")
write("valid/villages/bac-ninh/lang-nghe-thanh-pho-bac-ninh-2026.yaml", """id: lang-nghe-thanh-pho-bac-ninh-2026
name: Làng nghề gốm Phù Lãng
kind: craft_village
recognition:
  decision:
    number: 3020/QĐ-UBND
    date: 2026-10-08
  body: UBND thành phố Bắc Ninh
address:
  province: Bắc Ninh
  commune: Phường Vũ Ninh
description: Làng nghề dùng cho kiểm thử cơ quan công nhận theo ngày (issue #25).
products:
  - san-pham-mau
""")


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else FIX
    for rel, text in FILES.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
