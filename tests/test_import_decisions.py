"""Every decision a province issues, imported truthfully (issue #24) — and the import bombs of #22.

Each annex is written at test time by tests/annex_shapes.py (openpyxl, python-docx, reportlab) and
imported with ONE `ocop import --write` into a fresh copy of the shipped data; the records are then
compared field by field."""

from __future__ import annotations

import time
import unicodedata

import pytest
from ruamel.yaml import YAML

from catalog.staff import annex
from catalog.staff import diff
from catalog.staff import importer
from catalog.checks.validate import check

from . import annex_shapes as shapes
from .conftest import AS_OF, copy_data

YAML_SAFE = YAML(typ="safe")


def read(root, rel):
    return YAML_SAFE.load((root / rel).read_text(encoding="utf-8"))


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_import(run_cli, source, root, *args):
    return run_cli("import", source, "--root", root, "--as-of", AS_OF.isoformat(), *args)


def problems_of(root, *rels):
    result = check(root, AS_OF)
    return [p for p in result.problems if p.file in rels]


def no_traceback(result):
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


# --- revocation ------------------------------------------------------------------------------------


def test_a_revocation_writes_the_revocation_and_nothing_else(tmp_path, run_cli):
    root = copy_data(tmp_path)
    source = shapes.revocation_xlsx(root, tmp_path / "thu-hoi-2210.xlsx")
    before = {rel: read(root, rel) for rel in ("products/lang-son/na-chi-lang.yaml", "products/lang-son/ruou-mau-son.yaml")}
    files_before = snapshot(root)

    dry = run_import(run_cli, source, root)
    assert dry.exit_code == 0, dry.output
    lines = dry.output.splitlines()
    assert lines[0] == ("Quyết định thu hồi 2210/QĐ-UBND ngày 03/11/2026 của UBND tỉnh Lạng Sơn: 2 sản phẩm "
                        "(nhận ra từ cột Lý do thu hồi; đổi bằng --kind).")
    assert "Dòng 8: thu hồi giấy chứng nhận products/lang-son/na-chi-lang.yaml" in lines
    assert "Dòng 9: thu hồi giấy chứng nhận products/lang-son/ruou-mau-son.yaml" in lines
    assert "công nhận lại" not in dry.output.replace("0 công nhận lại", "")
    assert "2 dòng sản phẩm: 0 tạo mới, 0 công nhận lại, 2 thu hồi, 0 cập nhật" in dry.output
    assert snapshot(root) == files_before  # a dry run writes nothing

    wrote = run_import(run_cli, source, root, "--write")
    assert wrote.exit_code == 0, wrote.output
    changed = {rel for rel, data in snapshot(root).items() if files_before.get(rel) != data}
    assert changed == set(before)  # no new product, no new producer
    na = read(root, "products/lang-son/na-chi-lang.yaml")
    revocation = na["certificate"].pop("revocation")
    assert revocation == {"decision": {"number": "2210/QĐ-UBND", "date": "2026-11-03"},
                          "deciding_body": {"level": "province", "name": "UBND tỉnh Lạng Sơn"},
                          "reason": "Chủ thể không duy trì chất lượng sản phẩm theo tiêu chuẩn đã công bố"}
    assert na == before["products/lang-son/na-chi-lang.yaml"]  # stars, number, decision, valid_until untouched
    ruou = read(root, "products/lang-son/ruou-mau-son.yaml")
    revocation = ruou["certificate"].pop("revocation")
    assert revocation["effective_from"] == "2026-12-01" and revocation["reason"] == "Chủ thể ngừng sản xuất, đề nghị thu hồi"
    assert ruou == before["products/lang-son/ruou-mau-son.yaml"]
    assert "earlier_ratings" not in na
    errors = [p for p in problems_of(root, *before) if p.severity == "error"]
    assert errors == []

    again = run_import(run_cli, source, root)  # the same annex twice: nothing to do
    assert "2 không đổi" in again.output and again.exit_code == 0


def test_the_revocation_blocker_an_annex_read_as_recognition_is_refused(tmp_path, run_cli):
    """Issue #24's blocker: forced to read the revocation list as a recognition, the tool must not
    write a 'new' certificate with the same GCN number and the revocation decision."""
    root = copy_data(tmp_path)
    source = shapes.revocation_xlsx(root, tmp_path / "thu-hoi.xlsx")
    before = snapshot(root)
    forced = run_import(run_cli, source, root, "--kind", "cong-nhan", "--write")
    assert forced.exit_code == 1
    assert snapshot(root) == before
    assert "số GCN '123/GCN-UBND' của giấy chứng nhận mới trùng số GCN đang có" in forced.output
    # once the revocation is on record, its decision can never become a recognition
    assert run_import(run_cli, source, root, "--write").exit_code == 0
    relisted = shapes.recognition_xlsx(tmp_path / "cong-nhan.xlsx", [[1, "Na Chi Lăng", "HTX Na Chi Lăng", 4, "777/GCN-UBND"]],
                                       "2210/QĐ-UBND", "03/11/2026")
    after_revocation = snapshot(root)
    refused = run_import(run_cli, relisted, root, "--write")
    assert refused.exit_code == 1 and snapshot(root) == after_revocation
    assert "Quyết định 2210/QĐ-UBND là quyết định thu hồi giấy chứng nhận của products/lang-son/" in refused.output
    assert "không phải quyết định công nhận: không ghi" in refused.output


def test_a_later_recognition_never_drops_a_revocation_entered_by_hand(tmp_path, run_cli):
    root = copy_data(tmp_path)
    rel = "products/tuyen-quang/bo-kho-ha-giang.yaml"
    product = read(root, rel)
    assert product["certificate"]["revocation"]["decision"]["number"] == "412/QĐ-UBND"
    annex_file = shapes.recognition_xlsx(tmp_path / "cong-nhan-2026.xlsx",
                                         [[1, product["name"], shapes.producer_name(root, "tuyen-quang/bo-kho-ha-giang"), 3,
                                           "95/GCN-UBND"]],
                                         "880/QĐ-UBND", "01/10/2026", "UBND tỉnh Tuyên Quang")
    before = snapshot(root)
    result = run_import(run_cli, annex_file, root, "--write")
    assert result.exit_code == 1
    assert snapshot(root) == before
    assert ("giấy chứng nhận 112/GCN-UBND của products/tuyen-quang/bo-kho-ha-giang.yaml đã bị thu hồi (Quyết định 412/QĐ-UBND "
            "ngày 18/03/2025)") in result.output


def test_a_revocation_naming_no_product_is_an_error_not_a_new_product(tmp_path, run_cli):
    root = copy_data(tmp_path)
    source = shapes.revocation_of_unknown_xlsx(tmp_path / "thu-hoi-khong-co.xlsx")
    before = snapshot(root)
    result = run_import(run_cli, source, root, "--write")
    assert result.exit_code == 1
    assert snapshot(root) == before
    assert "lỗi: không có hồ sơ sản phẩm 'Miến dong Bình Gia'" in result.output
    assert "không tạo sản phẩm mới" in result.output and "0 tạo mới" in result.output


def test_decision_kinds_are_recognised_from_title_and_columns():
    kind = importer.decision_kind
    assert kind(["DANH SÁCH SẢN PHẨM BỊ THU HỒI GIẤY CHỨNG NHẬN SẢN PHẨM OCOP",
                 "(Kèm theo Quyết định số 12/QĐ-UBND về việc thu hồi Quyết định công nhận sản phẩm OCOP)"], set()) == (
        "revocation", "tiêu đề bảng")
    assert kind(["DANH SÁCH SẢN PHẨM ĐƯỢC ĐÁNH GIÁ, CÔNG NHẬN LẠI"], {"name"}) == ("re-recognition", "tiêu đề bảng")
    assert kind(["về việc công nhận, công nhận lại và thu hồi giấy chứng nhận"], set())[0] == "mixed"
    assert kind(["DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT OCOP"], {"name", "stars"}) == ("recognition", "tiêu đề bảng")
    assert kind(["DANH SÁCH"], {"revocation_reason"}) == ("revocation", "cột Lý do thu hồi")
    assert kind([], {"old_certificate_number", "revocation_reason"})[0] == "mixed"
    assert kind([], {"name"}) == ("recognition", "mặc định")
    assert importer.kind_option("thu-hoi") == "revocation"
    with pytest.raises(importer.CatalogError):
        importer.kind_option("xoá")


# --- re-recognition --------------------------------------------------------------------------------


def test_a_re_recognition_annex_moves_the_old_certificate_and_updates_the_address(tmp_path, run_cli):
    root = copy_data(tmp_path)
    source = shapes.rerecognition_xlsx(root, tmp_path / "cong-nhan-lai-3150.xlsx")
    vai_rel, banh_rel = "products/hai-phong/vai-thieu-thanh-ha.yaml", "products/hai-phong/banh-gai-ninh-giang.yaml"
    old_vai, old_banh = read(root, vai_rel), read(root, banh_rel)

    dry = run_import(run_cli, source, root)
    assert dry.exit_code == 0, dry.output
    lines = dry.output.splitlines()
    assert lines[0] == ("Quyết định công nhận lại 3150/QĐ-UBND ngày 20/10/2026 của UBND thành phố Hải Phòng: 2 sản phẩm "
                        "(nhận ra từ cột Số GCN đã cấp; đổi bằng --kind).")
    assert ("    thay đổi: certified_address: 'Thôn Thúy Lâm, xã Thanh Lang, huyện Thanh Hà, tỉnh Hải Dương' (tỉnh Hải Dương) → "
            "'Thôn Thúy Lâm, xã Hà Nam, thành phố Hải Phòng' (tỉnh Hải Phòng)") in lines
    assert "deciding-body-other-province" not in dry.output  # the earlier rating is judged on its own date
    assert "0 lỗi, 0 cảnh báo" in dry.output

    wrote = run_import(run_cli, source, root, "--write")
    assert wrote.exit_code == 0, wrote.output
    vai = read(root, vai_rel)
    assert vai["certificate"] == {"stars": 4, "score": 88.5, "number": "512/GCN-UBND",
                                  "decision": {"number": "3150/QĐ-UBND", "date": "2026-10-20"},
                                  "deciding_body": {"level": "province", "name": "UBND thành phố Hải Phòng"},
                                  "valid_until": "2029-10-19"}
    old = old_vai["certificate"]
    assert vai["earlier_ratings"][-1] == {"stars": old["stars"], "score": old["score"], "legal_basis": "148/2023",
                                          "decision": old["decision"], "deciding_body": old["deciding_body"],
                                          "certificate_number": "129/GCN-UBND", "valid_until": old["valid_until"]}
    assert vai["certified_address"] == {"text": "Thôn Thúy Lâm, xã Hà Nam, thành phố Hải Phòng", "province": "Hải Phòng"}
    assert vai["address"] == old_vai["address"] and vai["producer"] == old_vai["producer"]
    banh = read(root, banh_rel)
    assert (banh["certificate"]["stars"], banh["certificate"]["score"], banh["certificate"]["number"]) == (3, 68, "513/GCN-UBND")
    assert banh["earlier_ratings"][-1]["certificate_number"] == old_banh["certificate"]["number"]
    assert banh["certified_address"]["province"] == "Hải Phòng"
    warnings = [p.code for p in problems_of(root, vai_rel, banh_rel)]
    assert "deciding-body-other-province" not in warnings and not [p for p in problems_of(root, vai_rel, banh_rel)
                                                                   if p.severity == "error"]
    # the diff a reviewer reads names the address change, and a dropped revocation even on renewal
    lines = diff.compare({"product": {"vai": old_vai}, "producer": {}, "sales_point": {}, "village": {}},
                         {"product": {"vai": vai}, "producer": {}, "sales_point": {}, "village": {}})
    assert ("Đổi địa chỉ trên giấy chứng nhận Vải thiều Thanh Hà: Thôn Thúy Lâm, xã Thanh Lang, huyện Thanh Hà, tỉnh Hải Dương → "
            "Thôn Thúy Lâm, xã Hà Nam, thành phố Hải Phòng.") in lines
    revoked = dict(old_vai, certificate=dict(old_vai["certificate"], revocation={"decision": {"number": "9/QĐ-UBND", "date": "2025-01-02"},
                                                                                "reason": "Không đạt"}))
    lines = diff.compare({"product": {"vai": revoked}, "producer": {}, "sales_point": {}, "village": {}},
                         {"product": {"vai": vai}, "producer": {}, "sales_point": {}, "village": {}})
    assert any(line.startswith("Bỏ thu hồi giấy chứng nhận Vải thiều Thanh Hà") for line in lines)


def test_a_re_recognition_whose_old_certificate_is_not_the_records_is_refused(tmp_path, run_cli):
    root = copy_data(tmp_path)
    source = shapes.rerecognition_xlsx(root, tmp_path / "cong-nhan-lai.xlsx")
    # a hand mapping that takes the old-GCN column for the new certificate (issue #24)
    mapping = tmp_path / "cot.yaml"
    mapping.write_text("Số GCN đã cấp: certificate_number\nSố GCN mới: bỏ qua\nHạng sao đã công nhận: bỏ qua\n"
                       "Cột không có: note\n", encoding="utf-8")
    before = snapshot(root)
    result = run_import(run_cli, source, root, "--mapping", mapping, "--kind", "cong-nhan-lai", "--write")
    assert result.exit_code == 1 and snapshot(root) == before
    assert "số GCN '129/GCN-UBND' của giấy chứng nhận mới trùng số GCN đang có của products/hai-phong/vai-thieu-thanh-ha.yaml" in result.output
    # mapping keys that match no column are named
    assert "Cảnh báo: ánh xạ cột trong cot.yaml không khớp cột nào của bảng: 'cot khong co'" in result.output


# --- sheets, sections, headers, cells --------------------------------------------------------------


def test_sheets_whose_columns_are_named_apart_are_each_read_and_told_with_their_own_words(tmp_path, run_cli):
    """Each row is read and reported with its own sheet's columns, not with those of the last sheet
    (the dry run once listed only the last sheet's unused columns and named its headings for every row)."""
    root = copy_data(tmp_path)
    source = shapes.star_sheets_apart_xlsx(tmp_path / "tuyen-quang-2046.xlsx")
    result = run_import(run_cli, source, root)
    out = result.output
    assert "Các cột không dùng ở trang tính '3 sao': Người liên hệ" in out
    assert "Các cột không dùng ở trang tính '4 sao': Ghi chú nội bộ" in out
    assert "tạo mới products/tuyen-quang/mat-ong-hoa-bac-ha-lung-cu.yaml" in out
    assert "tạo mới products/tuyen-quang/che-shan-tuyet-sung-la.yaml" in out
    # a name that makes no record id: told in the heading of its own sheet
    lines = out.splitlines()
    bad3 = next(line for line in lines if "'¿¿¿'" in line)
    bad4 = next(line for line in lines if "'???'" in line)
    assert "Tên sản phẩm" in bad3 and "Tên SP" in bad4, (bad3, bad4)




def test_one_sheet_per_star_level_every_visible_sheet_read_hidden_named(tmp_path, run_cli):
    root = copy_data(tmp_path)
    source = shapes.star_sheets_xlsx(tmp_path / "dien-bien-1777.xlsx")
    result = run_import(run_cli, source, root, "--write")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Đọc dien-bien-1777.xlsx: trang tính '3 sao', tiêu đề cột ở dòng 5." in out
    assert "Đọc dien-bien-1777.xlsx: trang tính '4 sao', tiêu đề cột ở dòng 5." in out
    assert "Cảnh báo: Bỏ qua trang tính ẩn 'Dữ liệu cũ' (trang thứ 4)." in out
    assert "Cảnh báo: Không đọc trang tính 'Ghi chú': không có dòng tiêu đề cột (Tên sản phẩm, Chủ thể…)." in out
    assert "Trang tính '4 sao', dòng 6: tạo mới products/dien-bien/ruou-men-la-muong-lay.yaml" in out
    expected = {"che-bup-kho-muong-phang": (3, 62, "301/GCN-UBND", "Xã Mường Phăng"),
                "mang-dang-say-na-son": (3, 58.5, "302/GCN-UBND", "Xã Na Son"),
                "ruou-men-la-muong-lay": (4, 76, "303/GCN-UBND", "Phường Mường Lay")}
    for pid, (stars, score, number, commune) in expected.items():
        p = read(root, f"products/dien-bien/{pid}.yaml")
        c = p["certificate"]
        assert (c["stars"], c["score"], c["number"], p["address"]["commune"]) == (stars, score, number, commune)
        assert c["decision"] == {"number": "1777/QĐ-UBND", "date": "2026-10-12"}
        assert c["deciding_body"] == {"level": "province", "name": "UBND tỉnh Điện Biên"} and c["valid_until"] == "2029-10-11"
        assert p["certified_address"]["province"] == "Điện Biên"
    assert not (root / "products/dien-bien/san-pham-nhap.yaml").exists()


def test_two_row_headers_continuations_name_and_address_cells_and_group_names(tmp_path, run_cli):
    root = copy_data(tmp_path)
    source = shapes.merged_headers_xlsx(tmp_path / "lai-chau-1880.xlsx")
    result = run_import(run_cli, source, root, "--write")
    assert result.exit_code == 0, result.output
    assert "tiêu đề cột ở hai dòng 4–5 (ghép)" in result.output
    assert "dòng nối tiếp (ô tên gộp) đã ghép vào dòng trên dòng 7" in result.output
    assert "Dòng 5:" not in result.output  # the lower header row is not a product
    che = read(root, "products/lai-chau/che-shan-tuyet-pa-vay-su.yaml")
    assert (che["certificate"]["stars"], che["certificate"]["score"], che["certificate"]["number"]) == (4, 75.5, "160/GCN-UBND")
    assert che["certified_address"] == {"text": "Bản Pa Vây Sử, xã Phong Thổ, tỉnh Lai Châu", "province": "Lai Châu"}
    assert che["address"]["commune"] == "Xã Phong Thổ" and che["classification"]["group"] == "thuc-pham"
    honey = read(root, "products/lai-chau/mat-ong-bac-ha-sin-ho.yaml")
    assert honey["producer"] == "tht-mat-ong-sin-ho" and honey["classification"]["group"] == "thuc-pham"
    # a cooperative group is a person's business (Decree 13/2023): without street consent the hamlet
    # stays in address.street and the published certificate text starts at the commune (issue #22)
    assert honey["certified_address"] == {"text": "xã Sìn Hồ, tỉnh Lai Châu", "province": "Lai Châu"}
    assert honey["address"].get("street") == "Bản Hua Cượng"
    assert (honey["certificate"]["stars"], honey["certificate"]["score"]) == (3, 64)
    producer = read(root, "producers/lai-chau/tht-mat-ong-sin-ho.yaml")
    assert producer["name"] == "Tổ hợp tác Mật ong Sìn Hồ" and producer["kind"] == "cooperative_group"
    assert producer["phone"] == "0912468024" and producer["address"]["commune"] == "Xã Sìn Hồ"


def test_section_rows_give_the_stars_of_the_rows_under_them(tmp_path, run_cli):
    root = copy_data(tmp_path)
    source = shapes.sections_xlsx(tmp_path / "tuyen-quang-905.xlsx")
    result = run_import(run_cli, source, root, "--write")
    assert result.exit_code == 0, result.output
    stars = {pid: read(root, f"products/tuyen-quang/{pid}.yaml")["certificate"]["stars"]
             for pid in ("che-vang-lung-phin", "banh-tam-giac-mach-dong-van", "ruou-ngo-men-la-ha-giang")}
    assert stars == {"che-vang-lung-phin": 4, "banh-tam-giac-mach-dong-van": 3, "ruou-ngo-men-la-ha-giang": 3}
    assert "4 sao (từ dòng tiêu đề mục 6)" in result.output


def test_stars_named_by_a_sheet_or_a_title():
    assert importer.stars_named("4 sao") == 4 and importer.stars_named("3 Sao") == 3
    assert importer.stars_named("DANH SÁCH SẢN PHẨM ĐẠT 4 SAO NĂM 2026") == 4
    assert importer.stars_named("Sản phẩm đạt 3 sao, đạt 4 sao") is None  # two levels: no guess
    assert importer.stars_named("Sheet1") is None and importer.stars_named(None) is None


@pytest.mark.parametrize("cell,number", [("Số 126/GCN-UBND", "126/GCN-UBND"), ("số: 12/GCN-UBND", "12/GCN-UBND"),
                                         (" 126 / GCN-UBND ", "126/GCN-UBND"), ("126/GCN-UBND", "126/GCN-UBND"),
                                         ("", None)])
def test_a_certificate_number_cell_loses_its_leading_so(cell, number):
    """Probe, round five: "Số 126/GCN-UBND" was refused and quoted back as 'Số126/GCN-UBND'."""
    from catalog.staff.importer.rows import certificate_number_cell

    assert certificate_number_cell(cell) == number


def test_split_producer_cells():
    split = importer.split_producer
    assert split("HTX Chè Tả Phìn\nĐịa chỉ: Bản Tả Phìn, xã Tả Phìn\nĐT: 0912 345 678") == (
        "HTX Chè Tả Phìn", "Bản Tả Phìn, xã Tả Phìn", "0912 345 678")
    assert split("Hộ kinh doanh Lò Thị Dung, địa chỉ: Bản Mế, xã Sìn Hồ") == ("Hộ kinh doanh Lò Thị Dung", "Bản Mế, xã Sìn Hồ", None)
    assert split("Công ty TNHH Rượu Mẫu Sơn") == ("Công ty TNHH Rượu Mẫu Sơn", None, None)


def test_a_mixed_list_recognises_re_recognises_and_revokes_in_one_run(tmp_path, run_cli):
    root = copy_data(tmp_path)
    source = shapes.mixed_csv(root, tmp_path / "lang-son-2300.csv")
    old_hoi = read(root, "products/lang-son/hoi-kho-van-quan.yaml")
    result = run_import(run_cli, source, root, "--write")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("Quyết định công nhận, công nhận lại, thu hồi 2300/QĐ-UBND ngày 10/11/2026 "
                                                    "của UBND tỉnh Lạng Sơn: 3 sản phẩm (1 công nhận, 1 công nhận lại, 1 thu hồi)")
    new = read(root, "products/lang-son/tra-hoa-vang-dinh-lap.yaml")
    assert (new["certificate"]["stars"], new["certificate"]["number"]) == (4, "150/GCN-UBND")
    mang = read(root, "products/lang-son/mang-kho-chi-lang.yaml")
    assert (mang["certificate"]["stars"], mang["certificate"]["number"]) == (4, "151/GCN-UBND")
    assert mang["earlier_ratings"][-1]["certificate_number"] == "127/GCN-UBND"
    hoi = read(root, "products/lang-son/hoi-kho-van-quan.yaml")
    assert hoi["certificate"].pop("revocation")["reason"] == "Cơ sở sản xuất không còn đủ điều kiện"
    assert hoi == old_hoi
    # probe, round six: imported again (the officer re-uploads the corrected annex), every row was
    # refused — "2300/QĐ-UBND là quyết định thu hồi, không phải quyết định công nhận"
    written = snapshot(root)
    again = run_import(run_cli, source, root, "--write")
    assert again.exit_code == 0, again.output
    assert "3 không đổi" in again.output and snapshot(root) == written


def test_a_decisions_annexes_in_two_files_revocations_first(tmp_path, run_cli):
    """Probe, round six: Phụ lục II (revocations) imported first, then Phụ lục I (recognitions) of
    the same decision — the new product was refused as if the decision could only revoke."""
    root = copy_data(tmp_path)
    revocations = shapes.revocation_xlsx(root, tmp_path / "phu-luc-2.xlsx", number="2300/QĐ-UBND", date="10/11/2026")
    assert run_import(run_cli, revocations, root, "--write").exit_code == 0
    recognitions = shapes.recognition_xlsx(tmp_path / "phu-luc-1.xlsx", [[1, "Trà hoa vàng Đình Lập", "HTX Trà hoa vàng Đình Lập",
                                                                           4, "150/GCN-UBND"]], "2300/QĐ-UBND", "10/11/2026")
    result = run_import(run_cli, recognitions, root, "--write")
    assert result.exit_code == 0, result.output
    assert read(root, "products/lang-son/tra-hoa-vang-dinh-lap.yaml")["certificate"]["number"] == "150/GCN-UBND"
    assert "cảnh báo: Quyết định 2300/QĐ-UBND cũng thu hồi giấy chứng nhận của products/lang-son/" in result.output


def test_the_form_column_is_checked_against_the_stars_like_the_note(tmp_path, run_cli):
    """Probe, round five: "Hạ hạng" in the "Hình thức" column with 3 → 4 stars passed without a word
    (only a "Ghi chú" column was read for it)."""
    root = copy_data(tmp_path)
    source = shapes.mixed_csv(root, tmp_path / "lang-son-2300.csv")
    source.write_bytes(source.read_bytes().replace("Nâng hạng".encode(), "Hạ hạng".encode()))
    out = run_import(run_cli, source, root).output
    assert "cảnh báo: cột 'Hình thức': hình thức 'Hạ hạng' nhưng hạng sao 3 → 4: kiểm tra lại hạng sao hoặc hình thức" in out, out


def test_a_missing_group_names_the_product_set_with_it(tmp_path, run_cli):
    """Probe, round five: under a legal basis with product sets, the dry run listed the group and the
    description; once the officer filled the group, validate asked for the product set too — a second
    pass CONTRIBUTING.md promises there will not be."""
    import yaml

    root = copy_data(tmp_path)
    source = shapes.mixed_csv(root, tmp_path / "lang-son-2300.csv")
    out = run_import(run_cli, source, root).output
    assert ("cần bổ sung: classification.group (Nhóm (ngành) sản phẩm); classification.product_set (Bộ sản phẩm); "
            "description (Giới thiệu sản phẩm)") in out, out
    assert run_import(run_cli, source, root, "--write").exit_code == 0
    path = root / "products/lang-son/tra-hoa-vang-dinh-lap.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["classification"]["legal_basis"] == "26/2026"
    path.write_text(path.read_text(encoding="utf-8").replace("  group: ''\n", "  group: thuc-pham\n")
                    .replace("  group: \"\"\n", "  group: thuc-pham\n"), encoding="utf-8")
    assert "product-set-missing" in [p.code for p in check(root, AS_OF).problems if p.file == "products/lang-son/tra-hoa-vang-dinh-lap.yaml"]


def test_a_re_recognition_weeks_after_the_last_decision_is_said(tmp_path, run_cli):
    """Probe, round five: a recognition list naming a product certified 41 days before moved that
    certificate into earlier_ratings without a word — usually another product of the same name."""
    root = copy_data(tmp_path)
    path = root / "products/lang-son/mang-kho-chi-lang.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('date: "2025-10-01"', 'date: "2026-09-30"').replace('valid_until: "2028-09-30"',
                                                                                     'valid_until: "2029-09-29"'), encoding="utf-8")
    source = shapes.mixed_csv(root, tmp_path / "lang-son-2300.csv")
    out = run_import(run_cli, source, root).output
    assert ("cảnh báo: giấy chứng nhận hiện hành của products/lang-son/mang-kho-chi-lang.yaml mới cấp 41 ngày trước "
            "quyết định này (Quyết định 2205/QĐ-UBND ngày 30/09/2026)") in out, out


def test_a_star_cell_that_contradicts_its_section_heading_is_said(tmp_path, run_cli):
    """Probe, round five: a row under "I. SẢN PHẨM ĐẠT 4 SAO" whose star cell says 3 was imported at 3
    stars without a word: one of the two is a typo the officer must check in the decision."""
    root = copy_data(tmp_path)
    document, _ = shapes.docx_with_table(
        ["(Kèm theo Quyết định số 1600/QĐ-UBND ngày 06/11/2026 của UBND tỉnh Lạng Sơn)"],
        [["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Số GCN"],
         ["I", "SẢN PHẨM ĐẠT 4 SAO", "", "", "", ""],
         ["1", "Bánh chưng gù Bình Gia", "HTX Bánh chưng Bình Gia", "Xã Bình Gia, tỉnh Lạng Sơn", "3 sao", "601/GCN-UBND"],
         ["2", "Mác mật sấy", "HTX Mác mật Văn Lãng", "Xã Văn Lãng, tỉnh Lạng Sơn", "4 sao", "602/GCN-UBND"]])
    document.save(str(tmp_path / "qd-1600.docx"))
    out = run_import(run_cli, tmp_path / "qd-1600.docx", root).output
    warned = [line for line in out.splitlines() if "nhưng dòng tiêu đề mục" in line]
    assert warned == ["    cảnh báo: cột 'Hạng sao': '3 sao' nhưng dòng tiêu đề mục 2 ghi 4 sao: ghi 3 sao theo cột này — "
                      "kiểm tra lại với quyết định"], out


# --- Word and PDF ----------------------------------------------------------------------------------


def test_a_word_annex_lands_in_one_run(tmp_path, run_cli):
    root = copy_data(tmp_path)
    source = shapes.docx_annex(tmp_path / "phu-luc-1990.docx")
    result = run_import(run_cli, source, root, "--write")
    assert result.exit_code == 0, result.output
    assert "Đọc phu-luc-1990.docx: bảng 1 của tệp Word, tiêu đề cột ở dòng 1." in result.output
    expected = {"hong-khong-hat-bao-lam": (4, "140/GCN-UBND"), "hong-say-deo-bao-lam": (3, "141/GCN-UBND"),
                "khau-nhuc-loc-binh": (3, "142/GCN-UBND")}
    for pid, (stars, number) in expected.items():
        p = read(root, f"products/lang-son/{pid}.yaml")
        assert (p["certificate"]["stars"], p["certificate"]["number"]) == (stars, number)
        assert p["certificate"]["decision"] == {"number": "1990/QĐ-UBND", "date": "2026-11-05"}
        assert p["certificate"]["deciding_body"]["name"] == "UBND tỉnh Lạng Sơn"
    # the producer cell merged down (w:vMerge) belongs to both products
    assert read(root, "products/lang-son/hong-say-deo-bao-lam.yaml")["producer"] == "htx-hong-bao-lam"
    assert read(root, "products/lang-son/hong-khong-hat-bao-lam.yaml")["producer"] == "htx-hong-bao-lam"


def test_a_word_file_declaring_entities_is_refused_unread(tmp_path, run_cli):
    source = shapes.docx_annex(tmp_path / "phu-luc.docx")
    hostile = shapes._patch_zip(source, tmp_path / "doc-hai.docx", lambda name, data: data.replace(
        b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>",
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">]>") if name == "word/document.xml" else data)
    result = run_import(run_cli, hostile, copy_data(tmp_path))
    no_traceback(result)
    assert result.exit_code != 0 and "khai báo thực thể XML (DTD/ENTITY)" in result.output


def test_a_text_pdf_is_refused_with_the_way_to_an_xlsx(tmp_path, run_cli):
    source = shapes.text_pdf(tmp_path / "phu-luc.pdf")
    result = run_import(run_cli, source, copy_data(tmp_path))
    no_traceback(result)
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1
    assert "máy không đọc bảng trong tệp PDF" in result.output and "lưu .xlsx" in result.output


# --- the round trip: import → validate → build → the page a label leads to → labels ---------------


def test_a_revoked_product_is_never_told_certified(tmp_path, run_cli):
    root = copy_data(tmp_path)
    source = shapes.revocation_xlsx(root, tmp_path / "thu-hoi.xlsx")
    assert run_import(run_cli, source, root, "--write").exit_code == 0
    validated = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    assert validated.exit_code == 0, validated.output
    site = tmp_path / "site"
    built = run_cli("build", "--root", root, "--out", site, "--as-of", AS_OF.isoformat(), "--lang", "vi")
    assert built.exit_code == 0, built.output
    page = (site / "p/na-chi-lang/index.html").read_text(encoding="utf-8")
    assert "Đã thu hồi giấy chứng nhận OCOP" in page and "2210/QĐ-UBND" in page
    labels = run_cli("labels", "--root", root, "--out", tmp_path / "labels", "--as-of", AS_OF.isoformat(),
                     "--ids", "na-chi-lang")
    assert labels.exit_code == 1
    assert "na-chi-lang" in labels.output
    assert not list((tmp_path / "labels").rglob("na-chi-lang*.png")) if (tmp_path / "labels").exists() else True


# --- import bombs (issue #22) ----------------------------------------------------------------------


def test_a_merged_range_over_the_whole_sheet_is_refused_before_the_full_load(tmp_path, run_cli):
    source = shapes.merged_bomb_xlsx(tmp_path)
    assert source.stat().st_size < 10_000
    started = time.monotonic()
    result = run_import(run_cli, source, copy_data(tmp_path))
    elapsed = time.monotonic() - started
    no_traceback(result)
    assert result.exit_code != 0 and elapsed < 20
    line = result.output.strip()
    assert "\n" not in line
    assert "vùng gộp ô A1:XFD1048576 (tổng 17.179.869.184 ô gộp)" in line and "quá giới hạn 150.000 ô" in line


def test_a_huge_decomposed_shared_string_is_refused_before_it_is_normalised(tmp_path, run_cli, monkeypatch):
    source = shapes.long_string_xlsx(tmp_path)
    longest = []
    real = unicodedata.normalize

    class Spy:
        def __getattr__(self, name):
            return getattr(unicodedata, name)

        @staticmethod
        def normalize(form, text):
            longest.append(len(text))
            return real(form, text)

    monkeypatch.setattr(annex, "unicodedata", Spy())
    started = time.monotonic()
    result = run_import(run_cli, source, copy_data(tmp_path))
    no_traceback(result)
    assert result.exit_code != 0 and time.monotonic() - started < 30
    assert max(longest, default=0) <= annex.MAX_CELL_CHARS * 4  # nothing long was ever normalised
    line = result.output.strip()
    assert "\n" not in line and "ô B2 dài 17.476.266 ký tự — quá giới hạn 10.000 ký tự của một ô" in line


def test_a_mapping_alias_bomb_is_refused_by_the_strict_loader(tmp_path, run_cli):
    bomb = shapes.alias_bomb_yaml(tmp_path / "cot.yaml")
    assert bomb.stat().st_size < 400
    source = shapes.sections_xlsx(tmp_path / "danh-sach.xlsx")
    started = time.monotonic()
    result = run_import(run_cli, source, copy_data(tmp_path), "--mapping", bomb)
    no_traceback(result)
    assert result.exit_code != 0 and time.monotonic() - started < 20
    line = result.output.strip()
    assert "\n" not in line and line.startswith("ocop: tệp ánh xạ cột không đọc được:") and "cot.yaml:1:" in line


def test_a_mapping_value_must_be_text(tmp_path, run_cli):
    mapping = tmp_path / "cot.yaml"
    mapping.write_text("Tên SP:\n  - name\n  - producer\n", encoding="utf-8")
    result = run_import(run_cli, shapes.sections_xlsx(tmp_path / "ds.xlsx"), copy_data(tmp_path), "--mapping", mapping)
    no_traceback(result)
    assert result.exit_code != 0 and "tên trường phải là chữ" in result.output


def test_a_product_over_two_word_rows_keeps_its_producers_address_apart(tmp_path, run_cli):
    """Probe, round six: the producer's name in one row and its address in the next (the product's
    other cells merged down) gave the producer "HTX Chè Phìn Hồ Thôn Phìn Hồ, xã Thông Nguyên,"
    and a certified address cut to "huyện Hoàng Su Phì, tỉnh Hà Giang"; the combined heading
    "Tên chủ thể, địa chỉ" was not known without a mapping."""
    root = copy_data(tmp_path)
    source = shapes.docx_two_row_product(tmp_path / "ha-giang-415.docx")
    result = run_import(run_cli, source, root, "--write")
    assert result.exit_code == 0, result.output
    che = read(root, "products/tuyen-quang/che-shan-tuyet-phin-ho.yaml")
    assert che["certified_address"]["text"].startswith("Thôn Phìn Hồ, xã Thông Nguyên, huyện Hoàng Su Phì, tỉnh Hà Giang") \
        or che["certified_address"]["text"].startswith("xã Thông Nguyên, huyện Hoàng Su Phì, tỉnh Hà Giang"), che
    assert che["address"]["commune"] == "Xã Thông Nguyên"
    producer = read(root, f"producers/tuyen-quang/{che['producer']}.yaml")
    assert producer["name"] == "HTX Chè Phìn Hồ"
    cam = read(root, "products/tuyen-quang/cam-sanh-bac-quang.yaml")
    assert read(root, f"producers/tuyen-quang/{cam['producer']}.yaml")["name"] == "HTX Cam sành Hùng An"


def test_a_revocation_row_whose_name_and_number_are_two_products_is_refused(tmp_path, run_cli):
    """Probe, round six: "Na Chi Lăng" with the certificate number of Rượu Mẫu Sơn revoked Rượu Mẫu
    Sơn, with no word — one typo and every shopper is told the wrong product is revoked. A name
    spelled a little otherwise still finds its product; a star count unlike the record's is said."""
    root = copy_data(tmp_path)
    source = tmp_path / "thu-hoi.csv"
    source.write_text("STT,Tên sản phẩm,Số GCN,Hạng sao đã công nhận,Lý do thu hồi\n"
                      "1,Na Chi Lăng,124/GCN-UBND,4,Không duy trì chất lượng\n"
                      "2,MĂNG KHÔ  CHI LĂNG,127/GCN-UBND,5,Ngừng sản xuất\n"
                      "3,Tinh dầu hồi Văn Quan,121/GCN-UBND,4,Ngừng sản xuất\n", encoding="utf-8-sig")
    before = snapshot(root)
    result = run_import(run_cli, source, root, "--province", "lang-son", "--decision", "2400/QĐ-UBND", "--date", "01/11/2026",
                        "--body", "UBND tỉnh Lạng Sơn", "--kind", "thu-hoi", "--write")
    assert result.exit_code == 1, result.output
    assert ("bảng ghi sản phẩm 'Na Chi Lăng' với số GCN 124/GCN-UBND, nhưng số đó là của Rượu Mẫu Sơn "
            "(products/lang-son/ruou-mau-son.yaml) (tên đó là của products/lang-son/na-chi-lang.yaml): tên và số GCN "
            "không cùng một sản phẩm — không thu hồi") in result.output
    # re-probe: a sibling product of the same place ("Tinh dầu hồi Văn Quan" / "Hoa hồi khô Văn Quan", 0.73 alike)
    assert ("bảng ghi sản phẩm 'Tinh dầu hồi Văn Quan' với số GCN 121/GCN-UBND, nhưng số đó là của Hoa hồi khô Văn Quan"
            in result.output)
    assert "revocation" not in read(root, "products/lang-son/hoi-kho-van-quan.yaml")["certificate"]
    assert snapshot(root)["products/lang-son/ruou-mau-son.yaml"] == before["products/lang-son/ruou-mau-son.yaml"]
    assert "revocation" in read(root, "products/lang-son/mang-kho-chi-lang.yaml")["certificate"]
    assert "bảng ghi 5 sao, hồ sơ products/lang-son/mang-kho-chi-lang.yaml ghi" in result.output


def test_cells_copied_from_word_bullets_listed_packs_zero_width_spaces_and_gcn_so(tmp_path, run_cli):
    """Probe, round six: "• Mật ong …" kept its bullet in the name; "Rượu ngô Thanh Vân:⏎- Chai 500 ml⏎- Bình
    2 lít" became the name (and an id too long for a label); a zero-width space copied into an address made
    a record validate refused, with no field named; "GCN số 127/GCN-UBND" matched no product."""
    import csv
    import io

    root = copy_data(tmp_path)
    rows = [["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Số GCN"],
            ["1", "•\u00a0Mật ong bạc hà Quản Bạ", "HTX Ong mật Quản Bạ", "\u200bThôn Nà Vìn, xã Quản Bạ, tỉnh Tuyên Quang",
             "4", "300/GCN-UBND"],
            ["2", "Rượu ngô Thanh Vân:\n- Chai 500 ml\n- Bình 2 lít", "HTX Rượu ngô Thanh Vân",
             "Thôn Nặm Đăm, xã Quản Bạ, tỉnh Tuyên Quang", "3", "301/GCN-UBND"]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    source = tmp_path / "tuyen-quang.csv"
    source.write_text(out.getvalue(), encoding="utf-8-sig")
    result = run_import(run_cli, source, root, "--province", "tuyen-quang", "--decision", "2500/QĐ-UBND", "--date",
                        "01/11/2026", "--body", "UBND tỉnh Tuyên Quang", "--write")
    assert result.exit_code == 0, result.output
    assert read(root, "products/tuyen-quang/mat-ong-bac-ha-quan-ba.yaml")["name"] == "Mật ong bạc hà Quản Bạ"
    ruou = read(root, "products/tuyen-quang/ruou-ngo-thanh-van.yaml")
    assert ruou["name"] == "Rượu ngô Thanh Vân"
    assert "các dòng liệt kê dưới tên (Chai 500 ml; Bình 2 lít) không đưa vào tên sản phẩm 'Rượu ngô Thanh Vân'" in result.output
    assert "\u200b" not in "".join(p.read_text(encoding="utf-8") for p in (root / "products/tuyen-quang").glob("*.yaml"))
    assert "U+200B" not in result.output
    revocation = tmp_path / "thu-hoi.csv"
    revocation.write_text("STT,Tên sản phẩm,Số GCN,Lý do thu hồi\n1,Măng khô Chi Lăng,GCN số 127/GCN-UBND,Ngừng sản xuất\n",
                          encoding="utf-8-sig")
    revoked = run_import(run_cli, revocation, root, "--province", "lang-son", "--decision", "2400/QĐ-UBND", "--date",
                         "01/11/2026", "--body", "UBND tỉnh Lạng Sơn", "--kind", "thu-hoi", "--write")
    assert revoked.exit_code == 0, revoked.output
    assert read(root, "products/lang-son/mang-kho-chi-lang.yaml")["certificate"]["revocation"]["reason"] == "Ngừng sản xuất"


def test_a_corrected_annex_uploaded_again_updates_the_address(tmp_path, run_cli):
    """Probe, round six: the annex corrected (the address had been cut) and imported again was
    "không thay đổi", and the record kept the cut address and no commune — while a corrected score
    was taken."""
    root = copy_data(tmp_path)

    def annex(address: str):
        path = tmp_path / "ha-giang-415.csv"
        path.write_text("STT,Tên sản phẩm,Chủ thể,Địa chỉ,Hạng sao,Số GCN\n"
                        f'1,Chè Shan tuyết Phìn Hồ,HTX Chè Phìn Hồ,"{address}",4,88/GCN-UBND\n', encoding="utf-8-sig")
        return path

    args = ("--province", "tuyen-quang", "--decision", "415/QĐ-UBND", "--date", "12/03/2025", "--body", "UBND tỉnh Hà Giang", "--write")
    assert run_import(run_cli, annex("huyện Hoàng Su Phì, tỉnh Hà Giang"), root, *args).exit_code == 0
    rel = "products/tuyen-quang/che-shan-tuyet-phin-ho.yaml"
    assert read(root, rel)["address"]["commune"] == ""
    again = run_import(run_cli, annex("Thôn Phìn Hồ, xã Thông Nguyên, huyện Hoàng Su Phì, tỉnh Hà Giang"), root, *args)
    assert again.exit_code == 0 and "1 cập nhật" in again.output, again.output
    record = read(root, rel)
    assert record["certified_address"]["text"] == "Thôn Phìn Hồ, xã Thông Nguyên, huyện Hoàng Su Phì, tỉnh Hà Giang"
    assert record["address"]["commune"] == "Xã Thông Nguyên"
    assert "certified_address: 'huyện Hoàng Su Phì, tỉnh Hà Giang' (tỉnh Hà Giang) → 'Thôn Phìn Hồ, xã Thông Nguyên" in again.output


def test_the_summary_counts_the_errors_validate_will_give_the_files_written(tmp_path, run_cli):
    """Probe, round six: "0 lỗi" in the summary above a row marked 'validate sẽ báo: … Điểm 68 thấp hơn
    mức của hạng 4 sao' — and validate then refused the record."""
    root = copy_data(tmp_path)
    source = tmp_path / "lang-son.csv"
    source.write_text("STT,Tên sản phẩm,Chủ thể,Hạng sao,Điểm,Số GCN\n1,Trà hoa vàng Đình Lập,HTX Trà hoa vàng Đình Lập,4,68,"
                      "150/GCN-UBND\n", encoding="utf-8-sig")
    out = run_import(run_cli, source, root, "--province", "lang-son", "--decision", "2300/QĐ-UBND", "--date", "10/11/2026",
                     "--body", "UBND tỉnh Lạng Sơn").output
    assert "[score-stars-mismatch]" in out, out
    assert "0 lỗi, 0 cảnh báo (và 1 lỗi validate sẽ báo ở hồ sơ ghi ra: xem 'validate sẽ báo' ở trên)." in out, out


def test_a_typed_number_before_a_name_and_a_date_after_a_certificate_number_are_left_out(tmp_path, run_cli):
    """Re-probe, round six: "1. Bánh tam giác mạch Lũng Cú" made the id 1-banh-…; "126/GCN-UBND ngày 15/03/2024"
    matched no product."""
    root = copy_data(tmp_path)
    source = tmp_path / "tuyen-quang.csv"
    source.write_text("STT,Tên sản phẩm,Chủ thể,Hạng sao,Số GCN\n1,1. Bánh tam giác mạch Lũng Cú,HTX Lũng Cú,3,"
                      "302/GCN-UBND ngày 01/11/2026\n", encoding="utf-8-sig")
    result = run_import(run_cli, source, root, "--province", "tuyen-quang", "--decision", "2500/QĐ-UBND", "--date",
                        "01/11/2026", "--body", "UBND tỉnh Tuyên Quang", "--write")
    assert result.exit_code == 0, result.output
    record = read(root, "products/tuyen-quang/banh-tam-giac-mach-lung-cu.yaml")
    assert record["name"] == "Bánh tam giác mạch Lũng Cú" and record["certificate"]["number"] == "302/GCN-UBND"
