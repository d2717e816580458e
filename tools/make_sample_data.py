"""Write the shipped sample dataset (products/, producers/, sales_points/, villages/, images/).

SAMPLE DATA. The product names are typical specialities of the five provinces of the seed
articles (Lai Châu, Tuyên Quang — formerly Hà Giang —, Điện Biên, Lạng Sơn, Hải Phòng —
with former Hải Dương); every producer, person, phone number, certificate number and decision
number is invented. ``ocop.yaml`` says ``sample_data: true`` and everything built from it says so.

Run from the repository root:  .venv/bin/python tools/make_sample_data.py
The output is deterministic; the records are committed, so this script is only needed to
regenerate them. Photos are generated placeholders (the pipeline takes real JPEG/PNG photos).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.reference.places import provinces  # noqa: E402
from catalog.reference.rulebook import add_months  # noqa: E402
from catalog.checks.rules import gtin_check_digit  # noqa: E402

PROVINCE_BODY = {
    "Lai Châu": "UBND tỉnh Lai Châu",
    "Tuyên Quang": "UBND tỉnh Tuyên Quang",
    "Điện Biên": "UBND tỉnh Điện Biên",
    "Lạng Sơn": "UBND tỉnh Lạng Sơn",
    "Hải Phòng": "UBND thành phố Hải Phòng",
}
FORMER_BODY = {"Hà Giang": "UBND tỉnh Hà Giang", "Hải Dương": "UBND tỉnh Hải Dương"}

# Household businesses and cooperative groups are people (catalog/records/privacy.py): what they agreed to publish.
PERSONAL = ("household_business", "cooperative_group")
CONSENT = {
    "hkd-tho-cam-sin-suoi-ho": {"fields": ["representative", "phone", "street", "location"], "date": "2025-03-01",
                                "document": "Phiếu đồng ý công bố thông tin ngày 01/3/2025 (dữ liệu mẫu)"},
    "to-hop-tac-ruou-ngo-dong-van": {"fields": ["representative", "phone", "street", "location"], "date": "2025-04-10",
                                     "document": "Biên bản họp tổ hợp tác ngày 10/4/2025 (dữ liệu mẫu)"},
}

# --- producers: id, province, commune, name, kind, representative, phone, street, lat, lon, tax
PRODUCERS = [
    ("htx-che-sin-ho", "Lai Châu", "Xã Nậm Cuổi", "Hợp tác xã Chè Shan tuyết Sìn Hồ", "cooperative", "Lò Văn Thành", "0912400101", "Bản Nậm Cuổi", 22.3612, 103.2457, "6200100101"),
    ("htx-nong-san-tam-duong", "Lai Châu", "Xã Bình Lư", "Hợp tác xã Nông sản Tam Đường", "cooperative", "Tao Thị Hoa", "0912400102", "Bản Nà Luông", 22.3930, 103.6020, "6200100102"),
    ("cty-sam-lai-chau", "Lai Châu", "Phường Tân Phong", "Công ty Cổ phần Dược liệu Sâm Lai Châu", "company", "Nguyễn Minh Đức", "02133876501", "Số 12 đường Trần Phú", 22.3964, 103.4582, "6200100103"),
    ("hkd-tho-cam-sin-suoi-ho", "Lai Châu", "Xã Sin Suối Hồ", "Hộ kinh doanh Thổ cẩm Sin Suối Hồ", "household_business", "Vàng Thị Mai", "0389400104", "Bản Sin Suối Hồ", 22.4301, 103.3810, None),
    ("htx-mat-ong-meo-vac", "Tuyên Quang", "Xã Mèo Vạc", "Hợp tác xã Mật ong bạc hà Mèo Vạc", "cooperative", "Giàng Seo Chử", "0912400201", "Thôn Pả Vi Hạ", 23.1570, 105.4070, "5100100201"),
    ("htx-tra-hoa-vang-na-hang", "Tuyên Quang", "Xã Nà Hang", "Hợp tác xã Trà hoa vàng Na Hang", "cooperative", "Ma Thị Hoa", "0912400205", "Tổ dân phố 4", 22.3480, 105.3900, "5000100205"),
    ("htx-cam-ham-yen", "Tuyên Quang", "Xã Hàm Yên", "Hợp tác xã Cam sành Hàm Yên", "cooperative", "Hoàng Văn Lâm", "0912400202", "Thôn Tân Yên", 22.0700, 105.0400, "5000100202"),
    ("cty-che-shan-tuyet-ha-giang", "Tuyên Quang", "Xã Lũng Phìn", "Công ty TNHH Chè Shan tuyết Cao nguyên đá", "company", "Phạm Quốc Bảo", "02193866203", "Thôn Lũng Phìn", 23.2110, 105.3050, "5100100203"),
    ("to-hop-tac-ruou-ngo-dong-van", "Tuyên Quang", "Xã Phố Bảng", "Tổ hợp tác Rượu ngô men lá Đồng Văn", "cooperative_group", "Sùng Mí Dế", "0355400204", "Thôn Phố Cáo", 23.2760, 105.3630, None),
    ("htx-gao-muong-thanh", "Điện Biên", "Xã Thanh Nưa", "Hợp tác xã Nông nghiệp Mường Thanh", "cooperative", "Lò Văn Piếng", "0912400301", "Bản Che Căn", 21.4420, 103.0090, "5600100301"),
    ("cty-ca-phe-muong-ang", "Điện Biên", "Xã Mường Ảng", "Công ty Cổ phần Cà phê Mường Ảng", "company", "Trần Đức Thắng", "02153855302", "Tổ dân phố 3", 21.5330, 103.2340, "5600100302"),
    ("htx-che-tua-chua", "Điện Biên", "Xã Sính Phình", "Hợp tác xã Chè cổ thụ Tủa Chùa", "cooperative", "Mùa A Sình", "0977400303", "Bản Háng Đề Dê", 21.8650, 103.3580, "5600100303"),
    ("htx-hoi-van-quan", "Lạng Sơn", "Xã Văn Quan", "Hợp tác xã Hồi Văn Quan", "cooperative", "Hoàng Thị Lan", "0912400401", "Thôn Bản Cóc", 21.8640, 106.5530, "4900100401"),
    ("htx-na-chi-lang", "Lạng Sơn", "Xã Chi Lăng", "Hợp tác xã Na Chi Lăng", "cooperative", "Vi Văn Hùng", "0912400402", "Thôn Đồng Mỏ", 21.6700, 106.6200, "4900100402"),
    ("cty-ruou-mau-son", "Lạng Sơn", "Xã Mẫu Sơn", "Công ty TNHH Rượu Mẫu Sơn", "company", "Lương Văn Tùng", "02053877403", "Thôn Khuổi Tuổng", 21.8490, 106.9410, "4900100403"),
    ("htx-thach-den-trang-dinh", "Lạng Sơn", "Xã Quốc Khánh", "Hợp tác xã Thạch đen Tràng Định", "cooperative", "Nông Văn Đức", "0912400405", "Thôn Nà Lầu", 22.2400, 106.4300, "4900100405"),
    ("htx-quyt-bac-son", "Lạng Sơn", "Xã Vũ Lễ", "Hợp tác xã Nông nghiệp Bắc Sơn", "cooperative", "Dương Thị Nhung", "0868400404", "Thôn Hồng Phong", 21.9000, 106.3200, "4900100404"),
    ("cty-nuoc-mam-cat-hai", "Hải Phòng", "Đặc khu Cát Hải", "Công ty Cổ phần Chế biến Thủy sản Cát Hải", "company", "Vũ Văn Hải", "02253888501", "Tổ dân phố 5", 20.7950, 106.8950, "0200100501"),
    ("htx-vai-thieu-thanh-ha", "Hải Phòng", "Xã Hà Nam", "Hợp tác xã Vải thiều Thanh Hà", "cooperative", "Nguyễn Văn Thanh", "0912400502", "Thôn Thúy Lâm", 20.8970, 106.4340, "0800100502"),
    ("hkd-banh-gai-ninh-giang", "Hải Phòng", "Xã Ninh Giang", "Hộ kinh doanh Bánh gai Bà Hằng", "household_business", None, "02203866503", "Khu 3", None, None, None),
    ("htx-banh-da-an-lao", "Hải Phòng", "Xã An Lão", "Hợp tác xã Bánh đa đỏ An Lão", "cooperative", "Phạm Văn Khê", "0912400505", "Thôn Kinh Khê", 20.8230, 106.5600, "0200100505"),
    ("htx-hoa-lan-an-lao", "Hải Phòng", "Xã An Lão", "Hợp tác xã Hoa lan An Lão", "cooperative", "Phạm Thị Thu", "0795400504", "Thôn Tiên Hội", 20.8210, 106.5560, "0200100504"),
]

STANDARDS = {
    "TCCS": {"kind": "TCCS", "code": "01:2023/{p}"},
    "VietGAP": {"kind": "VietGAP", "code": "VietGAP-TT-23-02-{n}"},
    "organic": {"kind": "organic", "code": "TCVN 11041-6:2018"},
    "HACCP": {"kind": "HACCP", "code": "HACCP-{n}"},
}

# --- products -----------------------------------------------------------------------------
# (id, producer, name, name_en, basis, group, set, stars, score, decision no, decision date,
#  level, certified province, certified text, description, ingredients, net, packaging,
#  shelf_life, standards, gtin_body or None, origin, extra)
P = []


def product(**kw):
    P.append(kw)


product(id="che-shan-tuyet-sin-ho", producer="htx-che-sin-ho", name="Chè Shan tuyết Sìn Hồ", name_en="Sin Ho Shan Tuyet tea",
        basis="148/2023", group="thuc-pham", set="che", stars=4, score=81, dno="1032/QĐ-UBND", ddate="2024-03-15", level="province",
        cert_prov="Lai Châu", cert_text="Bản Nậm Cuổi, xã Nậm Cuổi, huyện Sìn Hồ, tỉnh Lai Châu",
        desc="Chè xanh làm từ búp chè Shan tuyết cổ thụ trên 100 năm tuổi ở độ cao 1.500 m, sao thủ công trên chảo gang. Nước xanh vàng, vị chát dịu, hậu ngọt sâu.",
        ingr=["Búp chè Shan tuyết 1 tôm 2 lá"], net="200 g", pack="Túi hút chân không trong hộp giấy kraft", life="24 tháng kể từ ngày sản xuất",
        std=["TCCS", "organic"], gtin="893601234001", origin="100% búp chè từ vùng chè cổ thụ xã Nậm Cuổi, Sìn Hồ",
        earlier=[{"stars": 3, "score": 62.5, "legal_basis": "1048/2019", "decision": {"number": "880/QĐ-UBND", "date": "2020-07-20"},
                  "deciding_body": {"level": "province", "name": "UBND tỉnh Lai Châu"}, "certificate_number": "45/GCN-UBND",
                  "valid_until": "2023-07-19"}],
        lots=[{"id": "L2025-04", "produced_on": "2025-04-10", "expires_on": "2027-04-09", "quantity": "1.200 hộp", "events": [
            {"type": "harvest", "date": "2025-04-02", "place": "Vùng chè cổ thụ bản Nậm Cuổi, xã Nậm Cuổi", "actor": "Tổ thu hái số 2, HTX Chè Shan tuyết Sìn Hồ", "note": "Hái 1 tôm 2 lá vào buổi sáng"},
            {"type": "processing", "date": "2025-04-03", "place": "Xưởng chế biến HTX, bản Nậm Cuổi", "actor": "HTX Chè Shan tuyết Sìn Hồ", "note": "Diệt men, vò, sao khô trên chảo gang"},
            {"type": "testing", "date": "2025-04-08", "place": "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng 1", "actor": "Phòng thử nghiệm Hoá", "document": "Phiếu kết quả thử nghiệm số 1289/KQ-TTKT1"},
            {"type": "packing", "date": "2025-04-10", "place": "Xưởng đóng gói HTX, bản Nậm Cuổi", "actor": "HTX Chè Shan tuyết Sìn Hồ", "document": "Biên bản đóng gói lô L2025-04"},
            {"type": "shipping", "date": "2025-04-15", "place": "Từ xưởng HTX đến thành phố Lai Châu", "actor": "HTX Chè Shan tuyết Sìn Hồ", "document": "Phiếu xuất kho số 45/PXK", "sales_point": "diem-ocop-lai-chau-trung-tam"},
        ]}])
product(id="mien-dong-tam-duong", producer="htx-nong-san-tam-duong", name="Miến dong Tam Đường", name_en="Tam Duong arrowroot vermicelli",
        basis="148/2023", group="thuc-pham", set="che-bien-ngu-coc", stars=3, score=66, dno="215/QĐ-UBND", ddate="2024-06-20", level="district",
        body="UBND huyện Tam Đường", cert_prov="Lai Châu", cert_text="Bản Nà Luông, xã Bình Lư, huyện Tam Đường, tỉnh Lai Châu",
        desc="Miến làm từ tinh bột dong riềng trồng tại Tam Đường, phơi nắng tự nhiên, sợi dai, không dùng chất tẩy trắng.",
        ingr=["Tinh bột dong riềng", "Nước"], net="500 g", pack="Túi nilon hàn kín", life="12 tháng", std=["TCCS"], origin="Dong riềng do các hộ thành viên hợp tác xã trồng")
product(id="gao-seng-cu-tam-duong", producer="htx-nong-san-tam-duong", name="Gạo Séng Cù Tam Đường", name_en="Tam Duong Seng Cu rice",
        basis="148+1489/2025", group="thuc-pham", set="gao-ngu-coc", stars=4, score=74, dno="1588/QĐ-UBND", ddate="2025-09-12", level="province",
        cert_prov="Lai Châu", cert_text="Xã Bình Lư, tỉnh Lai Châu",
        desc="Gạo Séng Cù hạt thon dài, cơm dẻo, thơm nhẹ, trồng trên ruộng bậc thang theo quy trình VietGAP.",
        ingr=["Gạo Séng Cù"], net="5 kg", pack="Túi vải không dệt", life="12 tháng", std=["TCCS", "VietGAP"], gtin="893601234002", origin="Lúa trồng tại xã Bình Lư")
product(id="sam-lai-chau-tinh-chat", producer="cty-sam-lai-chau", name="Tinh chất Sâm Lai Châu", name_en="Lai Chau ginseng extract",
        basis="148/2023", group="duoc-lieu", set="thuc-pham-chuc-nang", stars=5, score=92, dno="3120/QĐ-BNN-VPĐP", ddate="2024-08-28", level="central",
        body="Bộ Nông nghiệp và Phát triển nông thôn", cert_prov="Lai Châu", cert_text="Số 12 đường Trần Phú, phường Tân Phong, thành phố Lai Châu, tỉnh Lai Châu",
        desc="Thực phẩm bảo vệ sức khoẻ chiết xuất từ củ Sâm Lai Châu (Panax vietnamensis var. fuscidiscus) trồng dưới tán rừng.",
        ingr=["Chiết xuất Sâm Lai Châu", "Mật ong", "Nước tinh khiết"], net="10 ống x 10 ml", pack="Hộp giấy cứng, ống thuỷ tinh", life="36 tháng",
        std=["TCCS", "HACCP"], gtin="893601234003", origin="Sâm trồng tại vùng dược liệu Mường Tè, Sìn Hồ")
product(id="thao-qua-say-kho", producer="htx-che-sin-ho", name="Thảo quả sấy khô Sìn Hồ", name_en="Dried black cardamom",
        basis="148/2023", group="thuc-pham", set="gia-vi-khac", stars=3, score=61, dno="87/QĐ-UBND", ddate="2023-12-20", level="district",
        body="UBND huyện Sìn Hồ", cert_prov="Lai Châu", cert_text="Xã Nậm Cuổi, huyện Sìn Hồ, tỉnh Lai Châu",
        desc="Quả thảo quả thu hái dưới tán rừng già, sấy bằng lò củi truyền thống, hương thơm nồng.",
        ingr=["Quả thảo quả"], net="250 g", pack="Túi zip giấy kraft", life="18 tháng", std=["TCCS"], origin="Thảo quả dưới tán rừng xã Sìn Hồ")
product(id="tho-cam-sin-suoi-ho", producer="hkd-tho-cam-sin-suoi-ho", name="Khăn thổ cẩm Sin Suối Hồ", name_en="Sin Suoi Ho brocade scarf",
        basis="148/2023", group="thu-cong-my-nghe", set="vai-may-mac", stars=3, score=58, dno="302/QĐ-UBND", ddate="2024-10-04", level="district",
        body="UBND huyện Phong Thổ", cert_prov="Lai Châu", cert_text="Bản Sin Suối Hồ, xã Sin Suối Hồ, huyện Phong Thổ, tỉnh Lai Châu",
        desc="Khăn dệt tay và thêu hoa văn truyền thống của đồng bào Mông, nhuộm màu từ lá chàm.",
        ingr=["Sợi lanh", "Chỉ thêu cotton", "Thuốc nhuộm chàm"], net="1 chiếc 40 x 160 cm", pack="Hộp giấy có cửa sổ", life="Không giới hạn", std=["TCCS"],
        origin="Lanh trồng và dệt tại bản Sin Suối Hồ")
product(id="ban-du-lich-sin-suoi-ho", producer="hkd-tho-cam-sin-suoi-ho", name="Du lịch cộng đồng bản Sin Suối Hồ", name_en="Sin Suoi Ho community tourism",
        basis="148/2023", group="du-lich", set="dich-vu-du-lich", stars=4, score=76, dno="1190/QĐ-UBND", ddate="2024-07-30", level="province",
        cert_prov="Lai Châu", cert_text="Bản Sin Suối Hồ, xã Sin Suối Hồ, huyện Phong Thổ, tỉnh Lai Châu",
        desc="Bản du lịch cộng đồng của đồng bào Mông với homestay, ruộng bậc thang, thác Tình Yêu và trải nghiệm dệt lanh.",
        ingr=["Homestay", "Ẩm thực bản Mông", "Trải nghiệm dệt lanh"], net="Gói 2 ngày 1 đêm", pack="Dịch vụ", life="Không áp dụng", std=["TCCS"],
        origin="Dịch vụ do các hộ trong bản cung cấp")
product(id="thit-lon-gac-bep", producer="htx-nong-san-tam-duong", name="Thịt lợn gác bếp Tam Đường", name_en="Smoked pork",
        basis="1048/2019", group="thuc-pham-1048", stars=3, score=62, dno="1511/QĐ-UBND", ddate="2021-11-18", level="province",
        cert_prov="Lai Châu", cert_text="Xã Bình Lư, huyện Tam Đường, tỉnh Lai Châu",
        desc="Thịt lợn bản ướp mắc khén, hun khói bếp củi 15 ngày.",
        ingr=["Thịt lợn bản", "Mắc khén", "Gừng", "Muối"], net="500 g", pack="Túi hút chân không", life="6 tháng", std=["TCCS"], origin="Lợn bản nuôi tại Tam Đường")

# Tuyên Quang (former Hà Giang for the Đồng Văn plateau)
product(id="mat-ong-bac-ha-meo-vac", producer="htx-mat-ong-meo-vac", name="Mật ong bạc hà Mèo Vạc", name_en="Meo Vac mint honey",
        basis="148/2023", group="thuc-pham", set="mat-ong", stars=4, score=85, dno="1725/QĐ-UBND", ddate="2024-09-06", level="province",
        body="UBND tỉnh Hà Giang", cert_prov="Hà Giang", cert_text="Thôn Pả Vi Hạ, xã Pả Vi, huyện Mèo Vạc, tỉnh Hà Giang",
        desc="Mật ong từ hoa bạc hà dại trên cao nguyên đá Đồng Văn, thu hoạch vụ đông, màu vàng nhạt, vị ngọt thanh mát.",
        ingr=["Mật ong hoa bạc hà"], net="500 ml", pack="Chai thuỷ tinh nắp thiếc", life="24 tháng", std=["TCCS", "HACCP"], gtin="893601234004",
        origin="Ong nuôi tại các xã vùng cao nguyên đá")
product(id="cam-sanh-ham-yen", producer="htx-cam-ham-yen", name="Cam sành Hàm Yên", name_en="Ham Yen king orange",
        basis="148+1489/2025", group="thuc-pham", set="nong-san-tuoi", stars=4, score=80, dno="2011/QĐ-UBND", ddate="2025-10-20", level="province",
        cert_prov="Tuyên Quang", cert_text="Thôn Tân Yên, xã Hàm Yên, tỉnh Tuyên Quang",
        desc="Cam sành vỏ mỏng, mọng nước, vị ngọt đậm, trồng theo quy trình VietGAP trên đồi Hàm Yên.",
        ingr=["Cam sành tươi"], net="Thùng 10 kg", pack="Thùng carton có lỗ thông khí", life="30 ngày bảo quản mát", std=["VietGAP"], origin="Vùng cam Hàm Yên")
product(id="che-shan-tuyet-lung-phin", producer="cty-che-shan-tuyet-ha-giang", name="Hồng trà Shan tuyết Lũng Phìn", name_en="Lung Phin Shan Tuyet black tea",
        basis="148/2023", group="thuc-pham", set="che", stars=5, score=91, dno="1210/QĐ-BNN-VPĐP", ddate="2024-06-14", level="central",
        body="Bộ Nông nghiệp và Phát triển nông thôn", cert_prov="Hà Giang", cert_text="Thôn Lũng Phìn, xã Lũng Phìn, huyện Đồng Văn, tỉnh Hà Giang",
        desc="Hồng trà lên men tự nhiên từ chè Shan tuyết cổ thụ, hương mật ong, nước đỏ hổ phách.",
        ingr=["Búp chè Shan tuyết"], net="100 g", pack="Hộp thiếc", life="36 tháng", std=["TCCS", "organic"], gtin="893601234005", origin="Chè cổ thụ Lũng Phìn")
product(id="ruou-ngo-dong-van", producer="to-hop-tac-ruou-ngo-dong-van", name="Rượu ngô men lá Đồng Văn", name_en="Dong Van leaf-yeast corn liquor",
        basis="1048/2019", group="do-uong-1048", stars=3, score=55, dno="2480/QĐ-UBND", ddate="2020-12-02", level="province",
        body="UBND tỉnh Hà Giang", cert_prov="Hà Giang", cert_text="Thôn Phố Cáo, xã Phố Cáo, huyện Đồng Văn, tỉnh Hà Giang",
        desc="Rượu ngô nấu từ ngô tẻ bản địa, ủ bằng men lá rừng theo bí quyết của người Mông.",
        ingr=["Ngô tẻ", "Men lá", "Nước suối"], net="500 ml", pack="Chai thuỷ tinh", life="Không giới hạn", std=["TCCS"], origin="Ngô trồng trên nương đá")
product(id="bo-kho-ha-giang", producer="htx-mat-ong-meo-vac", name="Thịt bò khô Mèo Vạc", name_en="Meo Vac dried beef",
        basis="148/2023", group="thuc-pham", set="che-bien-thit-thuy-san", stars=3, score=57, dno="55/QĐ-UBND", ddate="2023-04-11", level="district",
        body="UBND huyện Mèo Vạc", cert_prov="Hà Giang", cert_text="Xã Mèo Vạc, huyện Mèo Vạc, tỉnh Hà Giang",
        desc="Thịt bò vàng vùng cao tẩm gia vị, sấy và hun khói.",
        ingr=["Thịt bò", "Mắc khén", "Ớt", "Muối"], net="250 g", pack="Túi hút chân không", life="9 tháng", std=["TCCS"], origin="Bò vàng nuôi tại Mèo Vạc",
        revoked={"decision": {"number": "412/QĐ-UBND", "date": "2025-03-18"},
                 "deciding_body": {"level": "district", "name": "UBND huyện Mèo Vạc"}, "reason": "Chủ thể không duy trì chất lượng sản phẩm theo tiêu chuẩn đã công bố; kết quả kiểm nghiệm không đạt"})
product(id="khau-nhuc-tuyen-quang", producer="htx-cam-ham-yen", name="Khâu nhục Hàm Yên", name_en="Ham Yen braised pork",
        basis="148/2023", group="thuc-pham", set="che-bien-thit-thuy-san", stars=3, score=52, dno="144/QĐ-UBND", ddate="2024-02-02", level="district",
        body="UBND huyện Hàm Yên", cert_prov="Tuyên Quang", cert_text="Xã Tân Yên, huyện Hàm Yên, tỉnh Tuyên Quang",
        desc="Món khâu nhục của người Tày, Nùng đóng hộp tiệt trùng, giữ hương khoai môn và lá mắc mật.",
        ingr=["Thịt lợn", "Khoai môn", "Lá mắc mật"], net="400 g", pack="Hộp thiếc", life="12 tháng", std=["TCCS"], origin="Lợn nuôi tại Hàm Yên",
        withdrawn="Chủ thể ngừng sản xuất sản phẩm từ tháng 6/2025", withdrawn_on="2025-07-15")

# Điện Biên
product(id="gao-dien-bien", former_ids=["gao-bac-thom-dien-bien"], producer="htx-gao-muong-thanh", name="Gạo Điện Biên", name_en="Dien Bien rice",
        basis="148/2023", group="thuc-pham", set="gao-ngu-coc", stars=4, score=83, dno="980/QĐ-UBND", ddate="2024-05-22", level="province",
        cert_prov="Điện Biên", cert_text="Bản Che Căn, xã Thanh Nưa, huyện Điện Biên, tỉnh Điện Biên",
        desc="Gạo Bắc thơm số 7 và Séng Cù trồng ở cánh đồng Mường Thanh, hạt trong, cơm dẻo và thơm.",
        ingr=["Gạo tẻ"], net="5 kg", pack="Túi PA hút chân không", life="12 tháng", std=["TCCS", "VietGAP"], gtin="893601234006", origin="Cánh đồng Mường Thanh")
product(id="ca-phe-muong-ang", producer="cty-ca-phe-muong-ang", name="Cà phê Arabica Mường Ảng", name_en="Muong Ang Arabica coffee",
        basis="148/2023", group="thuc-pham", set="ca-phe-ca-cao", stars=4, score=79, dno="1655/QĐ-UBND", ddate="2024-11-29", level="province",
        cert_prov="Điện Biên", cert_text="Tổ dân phố 3, thị trấn Mường Ảng, huyện Mường Ảng, tỉnh Điện Biên",
        desc="Cà phê Arabica chế biến ướt, rang mộc, vị chua thanh, hương trái cây chín.",
        ingr=["Hạt cà phê Arabica"], net="250 g", pack="Túi van một chiều", life="12 tháng", std=["TCCS", "organic"], gtin="893601234007", origin="Vùng cà phê Mường Ảng")
product(id="che-tua-chua", producer="htx-che-tua-chua", name="Chè Shan tuyết Tủa Chùa", name_en="Tua Chua Shan Tuyet tea",
        basis="148/2023", group="thuc-pham", set="che", stars=3, score=68, dno="410/QĐ-UBND", ddate="2024-12-20", level="district",
        body="UBND huyện Tủa Chùa", cert_prov="Điện Biên", cert_text="Bản Háng Đề Dê, xã Tả Phìn, huyện Tủa Chùa, tỉnh Điện Biên",
        desc="Chè xanh từ cây chè cổ thụ trên cao nguyên Tủa Chùa, vị đậm, hậu ngọt.",
        ingr=["Búp chè Shan tuyết"], net="200 g", pack="Hộp giấy", life="18 tháng", std=["TCCS"], origin="Chè cổ thụ Tủa Chùa")
product(id="mat-ong-muong-nhe", producer="htx-gao-muong-thanh", name="Mật ong rừng Mường Nhé", name_en="Muong Nhe wild honey",
        basis="1048/2019", group="thuc-pham-1048", stars=3, score=60, dno="1302/QĐ-UBND", ddate="2022-10-25", level="province",
        commune="Xã Mường Nhé", cert_prov="Điện Biên", cert_text="Xã Mường Nhé, huyện Mường Nhé, tỉnh Điện Biên",
        desc="Mật ong khai thác từ đàn ong nội trong rừng đặc dụng Mường Nhé.",
        ingr=["Mật ong rừng"], net="500 ml", pack="Chai thuỷ tinh", life="24 tháng", std=["TCCS"], origin="Rừng Mường Nhé")
product(id="thit-trau-say-dien-bien", producer="htx-gao-muong-thanh", name="Thịt trâu sấy Mường Thanh", name_en="Muong Thanh dried buffalo",
        basis="148+1489/2025", group="thuc-pham", set="che-bien-thit-thuy-san", stars=3, score=63, dno="1877/QĐ-UBND", ddate="2025-11-10", level="province",
        cert_prov="Điện Biên", cert_text="Xã Thanh Nưa, tỉnh Điện Biên",
        desc="Thịt trâu tẩm mắc khén, hạt dổi, sấy lạnh rồi hun khói nhẹ.",
        ingr=["Thịt trâu", "Mắc khén", "Hạt dổi"], net="200 g", pack="Túi hút chân không", life="9 tháng", std=["TCCS"], origin="Trâu nuôi tại Điện Biên")
product(id="tinh-dau-sa-dien-bien", producer="cty-ca-phe-muong-ang", name="Tinh dầu sả chanh Mường Ảng", name_en="Muong Ang lemongrass oil",
        basis="148/2023", group="duoc-lieu", set="tinh-dau-thao-duoc", stars=3, score=59, dno="77/QĐ-UBND", ddate="2024-04-08", level="district",
        body="UBND huyện Mường Ảng", cert_prov="Điện Biên", cert_text="Thị trấn Mường Ảng, huyện Mường Ảng, tỉnh Điện Biên",
        desc="Tinh dầu chưng cất hơi nước từ sả chanh trồng xen cà phê.",
        ingr=["Tinh dầu sả chanh"], net="50 ml", pack="Chai thuỷ tinh màu nâu", life="36 tháng", std=["TCCS"], origin="Sả trồng tại Mường Ảng")
product(id="ruou-ngo-tua-chua", former_ids=["ruou-sau-chit-tua-chua"], producer="htx-che-tua-chua", name="Rượu ngô men lá Tủa Chùa", name_en="Tua Chua leaf-yeast corn liquor",
        basis="148+1489/2025", group="do-uong", set="ruou-trang", stars=3, score=56, dno="1902/QĐ-UBND", ddate="2025-11-14", level="province",
        cert_prov="Điện Biên", cert_text="Bản Háng Đề Dê, xã Sính Phình, tỉnh Điện Biên",
        desc="Rượu nấu từ ngô nương của đồng bào Mông trên cao nguyên Tủa Chùa, ủ men lá truyền thống.",
        ingr=["Ngô nương", "Men lá", "Nước suối"], net="650 ml", pack="Chai thuỷ tinh", life="Không giới hạn", std=["TCCS"], origin="Ngô nương Tủa Chùa")

# Lạng Sơn
product(id="hoi-kho-van-quan", producer="htx-hoi-van-quan", name="Hoa hồi khô Văn Quan", name_en="Van Quan star anise",
        basis="148/2023", group="thuc-pham", set="gia-vi-khac", stars=4, score=82, dno="1450/QĐ-UBND", ddate="2024-08-15", level="province",
        cert_prov="Lạng Sơn", cert_text="Thôn Bản Cóc, xã Tú Xuyên, huyện Văn Quan, tỉnh Lạng Sơn",
        desc="Hoa hồi vụ chính, cánh dày, phơi sấy tự nhiên, hàm lượng tinh dầu cao.",
        ingr=["Hoa hồi"], net="500 g", pack="Túi zip giấy kraft", life="24 tháng", std=["TCCS", "organic"], gtin="893601234008", origin="Rừng hồi Văn Quan")
product(id="tinh-dau-hoi-van-quan", producer="htx-hoi-van-quan", name="Tinh dầu hồi Văn Quan", name_en="Van Quan star anise oil",
        basis="148/2023", group="duoc-lieu", set="tinh-dau-thao-duoc", stars=4, score=77, dno="1451/QĐ-UBND", ddate="2024-08-15", level="province",
        cert_prov="Lạng Sơn", cert_text="Thôn Bản Cóc, xã Tú Xuyên, huyện Văn Quan, tỉnh Lạng Sơn",
        desc="Tinh dầu hồi chưng cất từ lá và quả hồi, dùng xoa bóp và tạo hương.",
        ingr=["Tinh dầu hồi nguyên chất"], net="10 ml", pack="Chai thuỷ tinh nắp nhỏ giọt", life="36 tháng", std=["TCCS"], origin="Rừng hồi Văn Quan")
product(id="na-chi-lang", producer="htx-na-chi-lang", name="Na Chi Lăng", name_en="Chi Lang custard apple",
        basis="148/2023", group="thuc-pham", set="nong-san-tuoi", stars=4, score=78, dno="1212/QĐ-UBND", ddate="2024-07-10", level="province",
        cert_prov="Lạng Sơn", cert_text="Thôn Đồng Mỏ, thị trấn Đồng Mỏ, huyện Chi Lăng, tỉnh Lạng Sơn",
        desc="Na dai trồng trên núi đá vôi Chi Lăng, múi dày, ngọt sắc, hạt nhỏ.",
        ingr=["Quả na tươi"], net="Hộp 2 kg", pack="Hộp carton lót xốp", life="5 ngày ở nhiệt độ phòng", std=["VietGAP"], origin="Vùng na Chi Lăng",
        lots=[{"id": "NA2025-08", "produced_on": "2025-08-05", "expires_on": "2025-08-12", "quantity": "800 hộp", "events": [
            {"type": "harvest", "date": "2025-08-04", "place": "Vườn na thôn Đồng Mỏ, xã Chi Lăng", "actor": "Hộ thành viên HTX Na Chi Lăng"},
            {"type": "packing", "date": "2025-08-05", "place": "Nhà sơ chế HTX Na Chi Lăng", "actor": "HTX Na Chi Lăng", "document": "Nhật ký sơ chế ngày 05/8/2025"},
            {"type": "shipping", "date": "2025-08-05", "place": "Từ xã Chi Lăng đến chợ Đông Kinh", "actor": "HTX Na Chi Lăng", "sales_point": "cho-dong-kinh-lang-son"},
        ]}])
product(id="ruou-mau-son", producer="cty-ruou-mau-son", name="Rượu Mẫu Sơn", name_en="Mau Son rice liquor",
        basis="148/2023", group="do-uong", set="ruou-trang", stars=3, score=65, dno="66/QĐ-UBND", ddate="2024-03-01", level="district",
        body="UBND huyện Lộc Bình", cert_prov="Lạng Sơn", cert_text="Thôn Khuổi Tuổng, xã Mẫu Sơn, huyện Lộc Bình, tỉnh Lạng Sơn",
        desc="Rượu gạo nấu bằng nước suối Mẫu Sơn, ủ trong chum sành.",
        ingr=["Gạo nếp", "Men lá", "Nước suối Mẫu Sơn"], net="500 ml", pack="Chai sứ", life="Không giới hạn", std=["TCCS"], origin="Gạo nếp vùng Lộc Bình")
product(id="quyt-vang-bac-son", producer="htx-quyt-bac-son", name="Quýt vàng Bắc Sơn", name_en="Bac Son golden mandarin",
        basis="1048/2019", group="thuc-pham-1048", stars=3, score=64, dno="2100/QĐ-UBND", ddate="2021-12-10", level="province",
        cert_prov="Lạng Sơn", cert_text="Thôn Hồng Phong, xã Vũ Lễ, huyện Bắc Sơn, tỉnh Lạng Sơn",
        desc="Quýt vàng vỏ mỏng, thơm, vị ngọt chua hài hoà, chín vào dịp Tết.",
        ingr=["Quả quýt tươi"], net="Thùng 5 kg", pack="Thùng carton", life="20 ngày", std=["VietGAP"], origin="Vùng quýt Bắc Sơn")
product(id="thach-den-trang-dinh", producer="htx-thach-den-trang-dinh", name="Thạch đen Tràng Định", name_en="Trang Dinh grass jelly",
        basis="148/2023", group="thuc-pham", set="che-bien-rau-qua", stars=3, score=61, dno="98/QĐ-UBND", ddate="2024-09-09", level="district",
        body="UBND huyện Tràng Định", cert_prov="Lạng Sơn", cert_text="Xã Đội Cấn, huyện Tràng Định, tỉnh Lạng Sơn",
        desc="Thạch đen nấu từ cây thạch đen (sương sáo) phơi khô, không chất bảo quản.",
        ingr=["Cây thạch đen khô", "Bột năng", "Nước"], net="1 kg", pack="Hộp nhựa thực phẩm", life="6 tháng", std=["TCCS"], origin="Thạch đen trồng tại Tràng Định")
product(id="mang-kho-chi-lang", former_ids=["mien-dong-binh-lieu-ls"], producer="htx-na-chi-lang", name="Măng khô Chi Lăng", name_en="Chi Lang dried bamboo shoots",
        basis="148+1489/2025", group="thuc-pham", set="che-bien-rau-qua", stars=3, score=60, dno="2205/QĐ-UBND", ddate="2025-10-01", level="province",
        cert_prov="Lạng Sơn", cert_text="Xã Chi Lăng, tỉnh Lạng Sơn",
        desc="Măng nứa rừng luộc chín, phơi nắng tự nhiên, sợi vàng óng.",
        ingr=["Măng nứa"], net="500 g", pack="Túi nilon hàn kín", life="12 tháng", std=["TCCS"], origin="Rừng nứa Chi Lăng")

# Hải Phòng (with former Hải Dương)
product(id="nuoc-mam-cat-hai", producer="cty-nuoc-mam-cat-hai", name="Nước mắm Cát Hải", name_en="Cat Hai fish sauce",
        basis="148/2023", group="thuc-pham", set="tuong-nuoc-mam-gia-vi-long", stars=5, score=93, dno="4012/QĐ-BNN-VPĐP", ddate="2024-11-20", level="central",
        body="Bộ Nông nghiệp và Phát triển nông thôn", cert_prov="Hải Phòng", cert_text="Tổ dân phố 5, thị trấn Cát Hải, huyện Cát Hải, thành phố Hải Phòng",
        desc="Nước mắm cá cơm ủ chượp trong thùng gỗ 12 tháng, độ đạm 40 N, màu cánh gián.",
        ingr=["Cá cơm", "Muối biển"], net="500 ml", pack="Chai thuỷ tinh", life="36 tháng", std=["TCCS", "HACCP"], gtin="893601234009", origin="Cá cơm đánh bắt vùng biển Cát Hải",
        lots=[{"id": "CH2025-01", "produced_on": "2025-01-15", "expires_on": "2028-01-14", "quantity": "5.000 chai", "events": [
            {"type": "harvest", "date": "2024-01-10", "place": "Ngư trường vịnh Lan Hạ", "actor": "Tàu cá HP-90123-TS", "note": "Đánh bắt cá cơm, ướp muối ngay trên tàu"},
            {"type": "processing", "date": "2024-01-11", "place": "Nhà thùng ủ chượp, đặc khu Cát Hải", "actor": "Công ty Cổ phần Chế biến Thủy sản Cát Hải", "note": "Ủ chượp 12 tháng trong thùng gỗ"},
            {"type": "testing", "date": "2025-01-12", "place": "Trung tâm Chất lượng nông lâm thủy sản vùng 1", "actor": "Phòng kiểm nghiệm", "document": "Phiếu kết quả số 0115/KQ-NAFI1"},
            {"type": "packing", "date": "2025-01-15", "place": "Xưởng đóng chai, đặc khu Cát Hải", "actor": "Công ty Cổ phần Chế biến Thủy sản Cát Hải"},
            {"type": "shipping", "date": "2025-01-20", "place": "Từ Cát Hải đến trạm dừng nghỉ cao tốc", "actor": "Công ty Cổ phần Chế biến Thủy sản Cát Hải", "document": "Phiếu xuất kho số 12/PXK", "sales_point": "tram-dung-nghi-cao-toc-hai-phong"},
        ]}])
product(id="vai-thieu-thanh-ha", producer="htx-vai-thieu-thanh-ha", name="Vải thiều Thanh Hà", name_en="Thanh Ha lychee",
        basis="148/2023", group="thuc-pham", set="nong-san-tuoi", stars=4, score=86, dno="1480/QĐ-UBND", ddate="2024-06-05", level="province",
        body="UBND tỉnh Hải Dương", cert_prov="Hải Dương", cert_text="Thôn Thúy Lâm, xã Thanh Lang, huyện Thanh Hà, tỉnh Hải Dương",
        desc="Vải thiều chỉ dẫn địa lý Thanh Hà, cùi dày, hạt nhỏ, vị ngọt thanh.",
        ingr=["Quả vải tươi"], net="Thùng 5 kg", pack="Thùng xốp có đá khô", life="7 ngày bảo quản lạnh", std=["VietGAP", "organic"], gtin="893601234010",
        origin="Vùng vải Thanh Hà")
product(id="banh-gai-ninh-giang", producer="hkd-banh-gai-ninh-giang", name="Bánh gai Ninh Giang", name_en="Ninh Giang black sticky rice cake",
        basis="148/2023", group="thuc-pham", set="che-bien-ngu-coc", stars=4, score=75, dno="2210/QĐ-UBND", ddate="2024-10-16", level="province",
        body="UBND tỉnh Hải Dương", cert_prov="Hải Dương", cert_text="Khu 3, thị trấn Ninh Giang, huyện Ninh Giang, tỉnh Hải Dương",
        desc="Bánh gai làm từ gạo nếp cái hoa vàng, lá gai, nhân đỗ xanh, dừa và mỡ lợn.",
        ingr=["Gạo nếp", "Lá gai", "Đỗ xanh", "Dừa", "Đường"], net="Túi 10 chiếc", pack="Túi giấy, lót lá chuối", life="7 ngày", std=["TCCS"], origin="Nếp cái hoa vàng Ninh Giang")
product(id="banh-da-cua-hai-phong", producer="htx-banh-da-an-lao", name="Bánh đa đỏ Hải Phòng", name_en="Hai Phong red rice noodles",
        basis="148+1489/2025", group="thuc-pham", set="che-bien-ngu-coc", stars=3, score=67, dno="3301/QĐ-UBND", ddate="2025-08-18", level="province",
        cert_prov="Hải Phòng", cert_text="Thôn Kinh Khê, xã An Lão, thành phố Hải Phòng",
        desc="Sợi bánh đa đỏ phơi khô, kèm gói nước dùng cua đồng cô đặc.",
        ingr=["Gạo", "Mật mía", "Cua đồng"], net="300 g", pack="Túi giấy kraft", life="12 tháng", std=["TCCS"], origin="Gạo và cua đồng Hải Phòng")
product(id="lan-ho-diep-an-lao", producer="htx-hoa-lan-an-lao", name="Lan hồ điệp An Lão", name_en="An Lao moth orchids",
        basis="148/2023", group="sinh-vat-canh", set="hoa", stars=3, score=62, dno="120/QĐ-UBND", ddate="2024-01-12", level="district",
        body="UBND huyện An Lão", cert_prov="Hải Phòng", cert_text="Thôn Tiên Hội, xã Thái Sơn, huyện An Lão, thành phố Hải Phòng",
        desc="Chậu lan hồ điệp 3 đến 5 cành, nuôi trồng trong nhà màng điều khiển nhiệt độ.",
        ingr=["Cây lan hồ điệp", "Giá thể dớn"], net="Chậu 5 cành", pack="Chậu sứ, hộp carton", life="Hoa bền 2-3 tháng", std=["TCCS"], origin="Vườn lan An Lão")
product(id="bonsai-an-lao", producer="htx-hoa-lan-an-lao", name="Cây cảnh bonsai An Lão", name_en="An Lao bonsai",
        basis="148+1489/2025", group="sinh-vat-canh", set="cay-canh", stars=3, score=58, dno="3390/QĐ-UBND", ddate="2025-09-30", level="province",
        cert_prov="Hải Phòng", cert_text="Xã An Lão, thành phố Hải Phòng",
        desc="Cây cảnh mini dáng trực, dáng huyền, trồng trong chậu gốm.",
        ingr=["Cây sam hương", "Chậu gốm"], net="1 chậu", pack="Hộp carton", life="Không áp dụng", std=["TCCS"], origin="Vườn ươm An Lão")
product(id="ca-canh-hai-phong", producer="htx-hoa-lan-an-lao", name="Cá chép Koi An Lão", name_en="An Lao koi",
        basis="148+1489/2025", group="sinh-vat-canh", set="dong-vat-canh", stars=3, score=54, dno="3391/QĐ-UBND", ddate="2025-09-30", level="province",
        cert_prov="Hải Phòng", cert_text="Xã An Lão, thành phố Hải Phòng",
        desc="Cá Koi nuôi trong ao lọc tuần hoàn, chọn dòng Kohaku và Showa.",
        ingr=["Cá Koi"], net="1 con 20-25 cm", pack="Túi oxy trong thùng xốp", life="Không áp dụng", std=["TCCS"], origin="Trại cá An Lão")
product(id="cha-muc-cat-hai", former_ids=["che-long-hai-phong"], producer="cty-nuoc-mam-cat-hai", name="Chả mực Cát Hải", name_en="Cat Hai squid cake",
        basis="148/2023", group="thuc-pham", set="che-bien-thit-thuy-san", stars=4, score=72, dno="2650/QĐ-UBND", ddate="2024-12-27", level="province",
        cert_prov="Hải Phòng", cert_text="Tổ dân phố 5, thị trấn Cát Hải, huyện Cát Hải, thành phố Hải Phòng",
        desc="Chả mực giã tay từ mực ống tươi, cấp đông nhanh.",
        ingr=["Mực ống", "Thìa là", "Hạt tiêu"], net="500 g", pack="Khay hút chân không", life="6 tháng bảo quản đông lạnh", std=["TCCS", "HACCP"], gtin="893601234011",
        origin="Mực đánh bắt vùng biển Cát Hải")
product(id="nuoc-cot-gung-ninh-giang", former_ids=["ruou-thuoc-kien-thuy"], producer="hkd-banh-gai-ninh-giang", name="Nước cốt gừng mật ong Ninh Giang", name_en="Ninh Giang ginger honey syrup",
        basis="148+1489/2025", group="do-uong", set="do-uong-khong-con", stars=3, score=55, dno="3402/QĐ-UBND", ddate="2025-10-08", level="province",
        cert_prov="Hải Phòng", cert_text="Xã Ninh Giang, thành phố Hải Phòng",
        desc="Nước cốt gừng ngâm mật ong, pha với nước ấm.",
        ingr=["Gừng", "Mật ong"], net="250 ml", pack="Chai thuỷ tinh", life="12 tháng", std=["TCCS"], origin="Gừng trồng tại Ninh Giang")
product(id="mam-tep-hai-phong", producer="cty-nuoc-mam-cat-hai", name="Mắm tép Cát Hải", name_en="Cat Hai shrimp paste",
        basis="148/2023", group="thuc-pham", set="tuong-nuoc-mam-gia-vi-long", stars=3, score=60, dno="140/QĐ-UBND", ddate="2023-03-20", level="district",
        body="UBND huyện Cát Hải", cert_prov="Hải Phòng", cert_text="Thị trấn Cát Hải, huyện Cát Hải, thành phố Hải Phòng",
        desc="Mắm tép ủ chượp truyền thống, dùng chấm và nấu canh chua.",
        ingr=["Tép biển", "Muối", "Thính gạo"], net="300 g", pack="Hũ thuỷ tinh", life="12 tháng", std=["TCCS"], origin="Tép biển Cát Hải")
product(id="hong-tra-lai-chau-2026", producer="htx-che-sin-ho", name="Hồng trà Sìn Hồ", name_en="Sin Ho black tea",
        basis="148+1489/2025", group="thuc-pham", set="che", stars=3, score=69, dno="402/QĐ-UBND", ddate="2026-03-04", level="province",
        cert_prov="Lai Châu", cert_text="Xã Nậm Cuổi, tỉnh Lai Châu",
        desc="Hồng trà lên men từ búp chè Shan tuyết hái vụ xuân.",
        ingr=["Búp chè Shan tuyết"], net="100 g", pack="Hộp giấy", life="24 tháng", std=["TCCS"], origin="Vùng chè Sìn Hồ")
product(id="tra-hoa-vang-tuyen-quang", producer="htx-tra-hoa-vang-na-hang", name="Trà hoa vàng Na Hang", name_en="Na Hang golden camellia tea",
        basis="148+1489/2025", group="thuc-pham", set="che-thuc-vat-khac", stars=4, score=73, dno="845/QĐ-UBND", ddate="2026-05-20", level="province",
        cert_prov="Tuyên Quang", cert_text="Tổ dân phố 4, xã Nà Hang, tỉnh Tuyên Quang",
        desc="Hoa trà vàng sấy lạnh, pha nước màu vàng óng, vị ngọt hậu.",
        ingr=["Hoa trà vàng"], net="50 g", pack="Hộp thiếc", life="24 tháng", std=["TCCS"], origin="Vườn trà hoa vàng Na Hang")

SALES_POINTS = [
    dict(id="diem-ocop-lai-chau-trung-tam", province="Lai Châu", commune="Phường Tân Phong", name="Điểm giới thiệu và bán sản phẩm OCOP tỉnh Lai Châu",
         kind="trade_centre", operator="Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh Lai Châu", street="Số 5 đại lộ Lê Lợi",
         lat=22.3940, lon=103.4590, hours="7:30–21:00 hằng ngày", phone="02133876600",
         products=["che-shan-tuyet-sin-ho", "mien-dong-tam-duong", "gao-seng-cu-tam-duong", "sam-lai-chau-tinh-chat", "thao-qua-say-kho", "tho-cam-sin-suoi-ho"],
         criteria="950/QĐ-BCT", dno="455/QĐ-SCT", ddate="2024-05-10",
         local=["Măng khô rừng Tam Đường", "Thịt trâu gác bếp bản Hon"]),
    dict(id="diem-ocop-sin-suoi-ho", province="Lai Châu", commune="Xã Sin Suối Hồ", name="Điểm bán sản phẩm OCOP bản du lịch Sin Suối Hồ",
         kind="tourist_area", operator="Hộ kinh doanh Thổ cẩm Sin Suối Hồ", street="Bản Sin Suối Hồ", lat=22.4305, lon=103.3815,
         hours="8:00–18:00 hằng ngày", phone="0389400104", products=["tho-cam-sin-suoi-ho", "che-shan-tuyet-sin-ho"],
         criteria="950/QĐ-BCT", dno="610/QĐ-SCT", ddate="2024-09-02",
         # run by a household (catalog/records/privacy.py, issue #22): the same consent as its producer record
         operator_kind="household_business", consent=CONSENT["hkd-tho-cam-sin-suoi-ho"]),
    dict(id="diem-ocop-dong-van", province="Tuyên Quang", commune="Xã Đồng Văn", name="Điểm giới thiệu sản phẩm OCOP phố cổ Đồng Văn",
         kind="tourist_area", operator="Ban quản lý Công viên địa chất toàn cầu Cao nguyên đá Đồng Văn", street="Phố cổ Đồng Văn",
         lat=23.2785, lon=105.3625, hours="7:00–22:00 hằng ngày", phone="02193856700",
         products=["mat-ong-bac-ha-meo-vac", "che-shan-tuyet-lung-phin", "tra-hoa-vang-tuyen-quang"],
         criteria="950/QĐ-BCT", dno="388/QĐ-SCT", ddate="2023-10-20"),
    dict(id="sieu-thi-tuyen-quang", province="Tuyên Quang", commune="Phường Minh Xuân", name="Quầy OCOP siêu thị Tuyên Quang",
         kind="supermarket", operator="Công ty Cổ phần Thương mại Tuyên Quang", street="Số 120 đường 17/8", lat=21.8180, lon=105.2120,
         hours="8:00–22:00 hằng ngày", phone="02073822800", products=["cam-sanh-ham-yen", "mat-ong-bac-ha-meo-vac", "tra-hoa-vang-tuyen-quang"],
         criteria="950/QĐ-BCT", dno="512/QĐ-SCT", ddate="2024-03-14"),
    dict(id="diem-ocop-san-bay-dien-bien", province="Điện Biên", commune="Phường Điện Biên Phủ", name="Điểm bán sản phẩm OCOP Cảng hàng không Điện Biên",
         kind="airport", operator="Công ty TNHH Dịch vụ Hàng không Điện Biên", street="Nhà ga hành khách, Cảng hàng không Điện Biên",
         lat=21.3975, lon=103.0080, hours="Theo giờ chuyến bay", phone="02153829900",
         products=["gao-dien-bien", "ca-phe-muong-ang", "che-tua-chua", "tinh-dau-sa-dien-bien"],
         criteria="950/QĐ-BCT", dno="233/QĐ-SCT", ddate="2025-01-08"),
    dict(id="cho-dong-kinh-lang-son", province="Lạng Sơn", commune="Phường Đông Kinh", name="Gian hàng OCOP chợ Đông Kinh",
         kind="market", operator="Ban quản lý chợ Đông Kinh", street="Đường Tô Thị", lat=21.8530, lon=106.7620,
         hours="6:00–18:00 hằng ngày", phone="02053871000", products=["hoi-kho-van-quan", "tinh-dau-hoi-van-quan", "na-chi-lang", "ruou-mau-son", "quyt-vang-bac-son"],
         criteria="920/QĐ-BCT", dno="140/QĐ-SCT", ddate="2022-06-15"),
    dict(id="tram-dung-nghi-cao-toc-hai-phong", province="Hải Phòng", commune="Xã An Quang", name="Điểm bán OCOP trạm dừng nghỉ cao tốc Hà Nội – Hải Phòng",
         kind="expressway_rest_stop", operator="Công ty Cổ phần Dịch vụ Đường cao tốc Hải Phòng", street="Km 72 cao tốc Hà Nội – Hải Phòng",
         lat=20.8820, lon=106.5230, hours="24 giờ", phone="02253881100",
         products=["nuoc-mam-cat-hai", "vai-thieu-thanh-ha", "banh-gai-ninh-giang", "banh-da-cua-hai-phong", "cha-muc-cat-hai"],
         criteria="950/QĐ-BCT", dno="702/QĐ-SCT", ddate="2024-07-22"),
]

VILLAGES = [
    dict(id="ban-sin-suoi-ho", province="Lai Châu", commune="Xã Sin Suối Hồ", name="Bản du lịch cộng đồng Sin Suối Hồ", kind="tourism_village",
         dno="1210/QĐ-UBND", ddate="2021-09-20", body="UBND tỉnh Lai Châu", lat=22.4301, lon=103.3810,
         desc="Bản của đồng bào Mông ở độ cao 1.500 m, nổi tiếng với ruộng bậc thang, thác Tình Yêu và nghề dệt lanh.",
         crafts=["Dệt lanh, thêu thổ cẩm", "Homestay", "Ẩm thực Mông"], products=["tho-cam-sin-suoi-ho"], tourism="ban-du-lich-sin-suoi-ho"),
    dict(id="ban-lo-lo-chai", province="Tuyên Quang", commune="Xã Lũng Cú", name="Làng văn hoá du lịch cộng đồng Lô Lô Chải", kind="tourism_village",
         dno="2360/QĐ-UBND", ddate="2020-11-12", body="UBND tỉnh Hà Giang", lat=23.3630, lon=105.3160,
         desc="Làng của người Lô Lô dưới chân cột cờ Lũng Cú, nhà trình tường, hàng rào đá.",
         crafts=["Homestay nhà trình tường", "Thêu thổ cẩm Lô Lô"]),
    dict(id="ban-him-lam", province="Điện Biên", commune="Phường Mường Thanh", name="Bản văn hoá du lịch Him Lam", kind="tourism_village",
         dno="1795/QĐ-UBND", ddate="2019-12-26", body="UBND tỉnh Điện Biên", lat=21.4050, lon=103.0310,
         desc="Bản người Thái trắng ven đồi Him Lam, giữ nếp nhà sàn và nghề dệt.",
         crafts=["Dệt thổ cẩm Thái", "Ẩm thực Thái", "Múa xòe"]),
    dict(id="lang-nghe-hoi-van-quan", province="Lạng Sơn", commune="Xã Văn Quan", name="Làng nghề chế biến hồi Bản Cóc", kind="craft_village",
         dno="905/QĐ-UBND", ddate="2022-05-18", body="UBND tỉnh Lạng Sơn", lat=21.8650, lon=106.5540,
         desc="Làng nghề sơ chế hoa hồi và chưng cất tinh dầu hồi của người Tày, Nùng.",
         crafts=["Phơi sấy hoa hồi", "Chưng cất tinh dầu"], products=["hoi-kho-van-quan", "tinh-dau-hoi-van-quan"]),
    dict(id="lang-nghe-nuoc-mam-cat-hai", province="Hải Phòng", commune="Đặc khu Cát Hải", name="Làng nghề truyền thống nước mắm Cát Hải", kind="traditional_craft_village",
         dno="2850/QĐ-UBND", ddate="2018-10-30", body="UBND thành phố Hải Phòng", lat=20.7960, lon=106.8960,
         desc="Nghề làm nước mắm trên đảo Cát Hải có hơn 100 năm, ủ chượp cá cơm trong thùng gỗ.",
         crafts=["Ủ chượp nước mắm", "Làm mắm tép"], products=["nuoc-mam-cat-hai", "mam-tep-hai-phong"]),
    dict(id="lang-vai-thanh-ha", province="Hải Phòng", commune="Xã Hà Nam", name="Làng du lịch sinh thái vườn vải Thanh Hà", kind="tourism_village",
         dno="1140/QĐ-UBND", ddate="2019-06-11", body="UBND tỉnh Hải Dương", lat=20.8970, lon=106.4340,
         desc="Làng có cây vải tổ hơn 200 năm tuổi, mùa vải tháng 6 đón khách tham quan vườn.",
         crafts=["Tham quan vườn vải cổ", "Hái vải cùng nhà vườn"], products=["vai-thieu-thanh-ha"]),
]


def gtin13(body12: str) -> str:
    return body12 + str(gtin_check_digit(body12))


def dump(path: Path, header: str, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)
    path.write_text(header + text, encoding="utf-8")


def header(kind: str) -> str:
    return (
        f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"
        "# DỮ LIỆU MẪU — tên chủ thể, số quyết định, số giấy chứng nhận là giả định.\n"
    )


def address(province: str, commune: str, street: str | None) -> dict:
    out = {"province": province, "commune": commune}
    if street:
        out["street"] = street
    return out


FONT = None


def placeholder_image(path: Path, title: str, subtitle: str, hue: int) -> None:
    """A small generated photo stand-in: coloured card with the product name (JPEG)."""
    global FONT
    import colorsys

    import fontpkg_be_vietnam_pro as fonts

    if FONT is None:
        FONT = (ImageFont.truetype(str(fonts.ROOT / "files" / "BeVietnamPro-Bold.ttf"), 44),
                ImageFont.truetype(str(fonts.ROOT / "files" / "BeVietnamPro-Regular.ttf"), 26))
    w, h = 800, 600
    r, g, b = (int(c * 255) for c in colorsys.hls_to_rgb(hue / 360, 0.42, 0.45))
    img = Image.new("RGB", (w, h), (r, g, b))
    draw = ImageDraw.Draw(img)
    for i in range(0, h, 6):  # a soft diagonal texture so JPEG has something to compress
        draw.line([(0, i), (i, 0)], fill=(min(r + 12, 255), min(g + 12, 255), min(b + 12, 255)), width=2)
    draw.rectangle([40, 380, 760, 560], fill=(255, 255, 255))
    draw.text((60, 400), title, font=FONT[0], fill=(30, 30, 30))
    draw.text((60, 470), subtitle, font=FONT[1], fill=(70, 70, 70))
    draw.text((60, 515), "Ảnh minh hoạ — dữ liệu mẫu", font=FONT[1], fill=(120, 120, 120))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=78, optimize=True)


def main() -> None:
    for folder in ("products", "producers", "sales_points", "villages", "images"):
        shutil.rmtree(ROOT / folder, ignore_errors=True)
    (ROOT / "ocop.yaml").write_text(
        "# yaml-language-server: $schema=schemas/config.schema.json\n"
        "# Cấu hình kho dữ liệu. Kho này chứa DỮ LIỆU MẪU để thử công cụ.\n"
        "title: Danh mục sản phẩm OCOP (dữ liệu mẫu)\n"
        "base_url: https://ocop.example.vn\n"
        "sample_data: true\n"
        "publisher: Nhóm phát triển công cụ danh mục OCOP\n",
        encoding="utf-8",
    )
    prov_of_producer = {}
    for (pid, prov, commune, name, kind, rep, phone, street, lat, lon, tax) in PRODUCERS:
        folder = provinces()[prov].folder
        prov_of_producer[pid] = (prov, commune, street)
        rec = {"id": pid, "name": name, "kind": kind}
        if tax:
            rec["registration_number"] = tax
        if rep:
            rec["representative"] = rep
        # a household business without recorded consent: only its commune and business phone are
        # published (catalog/records/privacy.py); its street stays in the record, and off the site
        rec.update({"address": address(prov, commune, street if kind not in PERSONAL or pid in CONSENT else None),
                    "phone": phone})
        if lat is not None:
            rec["location"] = {"lat": lat, "lon": lon}
        if pid in CONSENT:
            rec["publish_consent"] = CONSENT[pid]
        dump(ROOT / "producers" / folder / f"{pid}.yaml", header("producer"), rec)

    for i, p in enumerate(P):
        prov, commune, street = prov_of_producer[p["producer"]]
        if p.get("commune"):  # made away from the producer's seat (wild honey from the Mường Nhé forest)
            commune, street = p["commune"], None
        folder = provinces()[prov].folder
        decided = dt.date.fromisoformat(p["ddate"])
        valid_until = add_months(decided, 36) - dt.timedelta(days=1)
        classification = {"legal_basis": p["basis"], "group": p["group"]}
        if "set" in p:
            classification["product_set"] = p["set"]
        body = p.get("body") or PROVINCE_BODY[prov]
        rec = {"id": p["id"]}
        if p.get("former_ids"):
            rec["former_ids"] = p["former_ids"]
        rec.update({"name": p["name"], "name_en": p["name_en"], "classification": classification,
               "description": p["desc"], "producer": p["producer"],
               "images": [{"file": f"{folder}/{p['id']}.jpg", "alt": f"Ảnh minh hoạ sản phẩm {p['name']}"}],
               "ingredients": p["ingr"], "net_quantity": p["net"], "packaging": p["pack"], "shelf_life": p["life"],
               "standards": [
                   {k: v.format(p="".join(w[0] for w in p["producer"].split("-")).upper(), n=f"{i + 1:04d}") for k, v in STANDARDS[s].items()}
                   for s in p["std"]
               ]})
        if p.get("gtin"):
            rec["gtin"] = gtin13(p["gtin"])
        rec["raw_material_origin"] = p["origin"]
        rec["address"] = address(prov, commune, street)
        rec["certified_address"] = {"text": p["cert_text"], "province": p["cert_prov"]}
        cert = {"stars": p["stars"], "score": p["score"],
                "number": f"{100 + i}/GCN-{'BNN' if p['level'] == 'central' else 'UBND'}",
                "decision": {"number": p["dno"], "date": p["ddate"]},
                "deciding_body": {"level": p["level"], "name": body},
                "valid_until": valid_until.isoformat()}
        if p.get("revoked"):
            cert["revocation"] = p["revoked"]
        rec["certificate"] = cert
        if p.get("earlier"):
            rec["earlier_ratings"] = p["earlier"]
        if p.get("lots"):
            rec["lots"] = p["lots"]
        if p.get("withdrawn"):
            rec["status"] = "withdrawn"
            rec["status_reason"] = p["withdrawn"]
            rec["status_date"] = p["withdrawn_on"]
        dump(ROOT / "products" / folder / f"{p['id']}.yaml", header("product"), rec)
        placeholder_image(ROOT / "images" / folder / f"{p['id']}.jpg", p["name"], p["name_en"], (i * 47) % 360)

    for s in SALES_POINTS:
        folder = provinces()[s["province"]].folder
        rec = {"id": s["id"], "name": s["name"], "kind": s["kind"], "operator": s["operator"],
               "address": address(s["province"], s["commune"], s["street"]), "location": {"lat": s["lat"], "lon": s["lon"]},
               "opening_hours": s["hours"], "phone": s["phone"], "products": s["products"],
               "criteria_decision": {"criteria": s["criteria"], "decision": {"number": s["dno"], "date": s["ddate"]}}}
        if s.get("local"):
            rec["local_specialities"] = s["local"]
        if s.get("operator_kind"):
            rec["operator_kind"] = s["operator_kind"]
        if s.get("consent"):
            rec["publish_consent"] = s["consent"]
        dump(ROOT / "sales_points" / folder / f"{s['id']}.yaml", header("sales_point"), rec)

    for v in VILLAGES:
        folder = provinces()[v["province"]].folder
        rec = {"id": v["id"], "name": v["name"], "kind": v["kind"],
               "recognition": {"decision": {"number": v["dno"], "date": v["ddate"]}, "body": v["body"]},
               "address": address(v["province"], v["commune"], None), "location": {"lat": v["lat"], "lon": v["lon"]},
               "description": v["desc"], "crafts": v["crafts"]}
        if v.get("products"):
            rec["products"] = v["products"]
        if v.get("tourism"):
            rec["tourism_product"] = v["tourism"]
        dump(ROOT / "villages" / folder / f"{v['id']}.yaml", header("village"), rec)
    from catalog.staff.fmt import format_file
    from catalog.checks.validate import discover

    for kind, _, path in discover(ROOT)[0]:  # the shipped records are in `ocop fmt` form
        format_file(path, kind)
    print(f"{len(P)} products, {len(PRODUCERS)} producers, {len(SALES_POINTS)} sales points, {len(VILLAGES)} villages")


if __name__ == "__main__":
    main()
