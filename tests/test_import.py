"""`ocop import` with annexes shaped the way provinces send them (issue #15; fixtures from
tools/make_import_fixtures.py), as a new officer would use it: one dry run, one --write."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from catalog.staff import importer
from catalog.staff.importer import TO_FILL, parse_phone, parse_stars, read_date, read_title
from catalog.checks.validate import check

from .conftest import AS_OF, FIXTURES, REPO

IMPORT = FIXTURES / "import"
ANNEX = IMPORT / "lang-son-1234-2025.xlsx"
CP1258 = IMPORT / "lang-son-1234-2025-cp1258.csv"
UTF8_BOM = IMPORT / "lang-son-1234-2025-utf8-bom.csv"
EDGE = IMPORT / "tuyen-quang-tong-hop.xlsx"
EXAMPLE_XLSX = REPO / "examples/quyet-dinh-cong-nhan-lai-chau.xlsx"
EXAMPLE_CSV = REPO / "examples/quyet-dinh-cong-nhan-lai-chau.csv"
def data_root(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    for name in ("ocop.yaml", "published-ids.txt", "products", "producers", "sales_points", "villages", "images"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, root / name)
    return root


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def run_import(run_cli, source, root, *args):
    return run_cli("import", source, "--root", root, "--as-of", AS_OF.isoformat(), *args)


def block(output: str, row: int) -> str:
    """The lines the dry run prints for one spreadsheet row."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"Dòng {row}:"))
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("    ")), len(lines))
    return "\n".join(lines[start:end])


# --- the Lạng Sơn annex: one dry run, one --write -------------------------------------------------


def test_lang_son_annex_dry_run_lists_what_it_understood_and_writes_nothing(tmp_path, run_cli):
    root = data_root(tmp_path)
    before = snapshot(root)
    result = run_import(run_cli, ANNEX, root)
    out = result.output
    assert result.exit_code == 0, out  # warnings only
    assert snapshot(root) == before
    lines = out.splitlines()
    assert lines[0] == ("Quyết định công nhận 1234/QĐ-UBND ngày 15/08/2025 của UBND tỉnh Lạng Sơn: 15 sản phẩm "
                        "(nhận ra từ tiêu đề bảng; đổi bằng --kind).")
    assert lines[1] == "Đọc lang-son-1234-2025.xlsx: trang tính 'Danh sách', tiêu đề cột ở dòng 7."
    assert lines[2] == "Quyết định (từ tiêu đề bảng): số 1234/QĐ-UBND ngày 15/08/2025 của UBND tỉnh Lạng Sơn."
    assert "Cảnh báo: Danh sách nằm ở trang tính 'Danh sách', không phải trang đầu ('Tờ trình')" in out
    assert ("Bỏ qua (không phải dòng sản phẩm): hàng số thứ tự cột dòng 8; tiêu đề nhóm dòng 9, 21, 25, 28; "
            "dòng trống dòng 24, 30, 32; dòng tổng cộng dòng 31; phần chữ ký dòng 33–36.") in out
    assert "Dòng 16: dòng bị ẩn trong Excel, không nhập ('Miến dong Bình Gia" in out and "[cảnh báo]" in out
    assert out.count("    hiểu là: ") == 15
    assert ("15 dòng sản phẩm: 13 tạo mới, 2 công nhận lại, 0 cập nhật, 0 không đổi, 0 không ghi vì lỗi; "
            "10 chủ thể mới;") in out
    # stars typed four ways, phones three ways (and one mistyped), dates as text and as Excel dates
    assert " · 4 sao · " in block(out, 10) and " · 4 sao · " in block(out, 11) and " · 3 sao · " in block(out, 12)
    assert " · 4 sao · " in block(out, 13) and " · 3 sao · " in block(out, 14)
    assert "ĐT 0912345678 · " in block(out, 10) and "ĐT 0912345678 · " in block(out, 11)  # merged cell
    assert "ĐT 0912345678 · " in block(out, 20)  # "0912.345.678"
    assert "ĐT 0968112233 (thêm số 0 đầu mà Excel đã bỏ)" in block(out, 12)
    assert "cảnh báo: cột 'Số điện thoại': '0912 345 67' không phải số điện thoại Việt Nam" in block(out, 15)
    for row in (10, 11, 12, 20):
        assert "QĐ 1234/QĐ-UBND ngày 15/08/2025 của UBND tỉnh Lạng Sơn (từ tiêu đề bảng)" in block(out, row)
    # one producer, two spellings, merged over two rows
    assert ("Chủ thể mới producers/lang-son/htx-nong-nghiep-huu-lien.yaml: Hợp tác xã Nông nghiệp Hữu Liên "
            "(dòng 10–11, 20; tên trong bảng: Hợp tác xã Nông nghiệp Hữu Liên / HTX Nông nghiệp Hữu Liên)") in out
    # two producers each making "Mật ong bạc hà": two products, told apart by commune
    assert "Dòng 10: tạo mới products/lang-son/mat-ong-bac-ha-huu-lien.yaml" in out
    assert "Dòng 12: tạo mới products/lang-son/mat-ong-bac-ha-thien-thuat.yaml" in out
    # the set is written only when the sheet names it; otherwise suggested
    assert "Thực phẩm / Mật ong, mật khác và nông sản thực phẩm khác" in block(out, 10)
    assert "bộ gợi ý: mat-ong (Mật ong, mật khác và nông sản thực phẩm khác)" in block(out, 12)
    assert "cần bổ sung: classification.product_set (Bộ sản phẩm); description (Giới thiệu sản phẩm)" in block(out, 12)
    # existing records: "HTX" = "Hợp tác xã", renewal, a renewal across taxonomies (1048 → 148)
    assert "Dòng 13: công nhận lại products/lang-son/thach-den-trang-dinh.yaml" in out
    assert "chủ thể HTX Thạch đen Tràng Định → htx-thach-den-trang-dinh ·" in block(out, 13)
    assert "thay đổi: classification.group: thuc-pham-1048 → thuc-pham" in block(out, 14)
    assert "chủ thể Công ty TNHH Rượu Mẫu Sơn → cty-ruou-mau-son ·" in block(out, 19)  # existing producer, new product


def test_old_addresses_become_communes_in_force(tmp_path, run_cli):
    out = run_import(run_cli, ANNEX, data_root(tmp_path)).output
    assert "xã hiện nay Xã Hữu Liên" in block(out, 10)
    assert "xã hiện nay Phường Kỳ Lừa (từ phường Hoàng Văn Thụ)" in block(out, 17)
    assert "xã hiện nay Xã Chi Lăng (từ thị trấn Đồng Mỏ)" in block(out, 18)
    assert "xã hiện nay: một trong Xã Đình Lập, Xã Kiên Mộc" in block(out, 23)  # a ward split in two
    assert "address.commune" in block(out, 23) and "address.commune" not in block(out, 18)


def test_after_one_write_validate_asks_only_what_the_dry_run_listed(tmp_path, run_cli):
    root = data_root(tmp_path)
    dry = importer.plan(root, ANNEX, as_of=AS_OF)
    promised = {(rel, label) for a in dry.written for rel, label in [(a.rel, x) for x in importer.to_fill(a.problems, "product")]}
    promised |= {(rel, label) for rel, probs in dry.producer_problems.items() for label in importer.to_fill(probs, "producer")}
    other_promised = {(a.rel, p.code, p.field) for a in dry.written for p in a.problems if p.code not in TO_FILL}
    result = run_import(run_cli, ANNEX, root, "--write")
    assert result.exit_code == 0 and "Đã ghi 25 tệp." in result.output
    after = check(root, AS_OF)
    written = {a.rel for a in dry.written} | set(dry.producer_problems)
    # issue #14: a household business's street or mobile from the annex is held back until the
    # producer's consent is recorded (catalog/records/privacy.py): a reminder, not a field to fill
    consent = [p for p in after.problems if p.file in written and p.code == "personal-data-unpublished"]
    assert consent and {by_kind for p in consent for by_kind in [p.file.split("/")[0]]} == {"producers"}
    # issue #25: this annex (decision of 15/8/2025) prints pre-reform addresses ("huyện Hữu Lũng"): the
    # certified address names a district that no longer existed on the decision date — a warning the
    # dry run already states ("validate sẽ báo"), for the officer to compare with the printed certificate
    dated = {(p.file, p.code, p.field) for p in after.problems if p.file in written and p.code == "certified-address-ceased"}
    assert dated and dated == {x for x in other_promised if x[1] == "certified-address-ceased"}
    reported = [p for p in after.problems if p.file in written and p.code not in ("personal-data-unpublished", "certified-address-ceased")]
    # only fields the annex could not carry, each once, and exactly the dry run's list
    assert all(p.code in TO_FILL for p in reported), [str(p.code) for p in reported if p.code not in TO_FILL]
    assert not {x for x in other_promised if x[1] != "certified-address-ceased"}
    labels = [(p.file, importer.to_fill([p], "product" if p.file.startswith("products/") else "producer")[0]) for p in reported]
    assert len(labels) == len(set(labels))
    assert set(labels) == promised
    assert {label.split(" ")[0] for _, label in labels} <= {"description", "classification.product_set", "address.commune"}
    assert sum(label.startswith("description") for _, label in labels) == 13
    # nothing else in the data root went wrong because of the import
    assert {p.file for p in after.errors} <= written
    # the records themselves
    by_file = {c.file: c.data for c in after.checked}
    honey = by_file["products/lang-son/mat-ong-bac-ha-huu-lien.yaml"]
    assert honey["producer"] == "htx-nong-nghiep-huu-lien" and honey["certificate"]["valid_until"] == "2028-08-14"
    assert honey["certified_address"] == {"text": "Thôn Làng Ào, xã Hữu Liên, huyện Hữu Lũng, tỉnh Lạng Sơn", "province": "Lạng Sơn"}
    assert honey["classification"] == {"legal_basis": "148+1489/2025", "group": "thuc-pham", "product_set": "mat-ong"}
    assert honey["certificate"]["deciding_body"] == {"level": "province", "name": "UBND tỉnh Lạng Sơn"}
    coop = by_file["producers/lang-son/htx-nong-nghiep-huu-lien.yaml"]
    assert coop["kind"] == "cooperative" and coop["phone"] == "0912345678" and coop["name"] == "Hợp tác xã Nông nghiệp Hữu Liên"
    assert by_file["producers/lang-son/co-so-san-xuat-banh-dong-mo.yaml"]["kind"] == "household_business"
    assert by_file["producers/lang-son/tht-nuoi-ong-thien-thuat.yaml"]["kind"] == "cooperative_group"
    household = (root / "producers/lang-son/hkd-nong-thi-hoa.yaml").read_text(encoding="utf-8")
    assert "phone:" not in household and "# Số điện thoại trong bảng tính (dòng 15): '0912 345 67'" in household
    renewed = by_file["products/lang-son/quyt-vang-bac-son.yaml"]
    assert renewed["certificate"]["decision"] == {"number": "1234/QĐ-UBND", "date": "2025-08-15"}
    assert renewed["earlier_ratings"][-1] == {
        "stars": 3, "score": 64, "legal_basis": "1048/2019", "decision": {"number": "2100/QĐ-UBND", "date": "2021-12-10"},
        "deciding_body": {"level": "province", "name": "UBND tỉnh Lạng Sơn"}, "certificate_number": "125/GCN-UBND",
        "valid_until": "2024-12-09"}
    assert renewed["classification"] == {"legal_basis": "148+1489/2025", "group": "thuc-pham", "product_set": "nong-san-tuoi"}
    # a suggestion is a comment, never a value
    text = (root / "products/lang-son/mat-ong-bac-ha-thien-thuat.yaml").read_text(encoding="utf-8")
    assert "# gợi ý: product_set: mat-ong" in text and "product_set:" not in text.replace("# gợi ý: product_set", "")
    # the same list again: every row matched, nothing written twice
    before = snapshot(root)
    again = run_import(run_cli, ANNEX, root, "--write")
    assert "0 tạo mới, 0 công nhận lại, 0 cập nhật, 15 không đổi" in again.output and "0 chủ thể mới" in again.output
    assert snapshot(root) == before
    assert run_cli("fmt", "--root", root, "--check").exit_code == 0


@pytest.mark.parametrize("source, encoding", [(CP1258, "Windows-1258"), (UTF8_BOM, "UTF-8 (có BOM)")])
def test_the_same_list_saved_as_csv_by_excel_on_vietnamese_windows(tmp_path, source, encoding):
    root = data_root(tmp_path)
    from_xlsx = importer.plan(root, ANNEX, as_of=AS_OF)
    from_csv = importer.plan(root, source, as_of=AS_OF)
    assert from_csv.sheet.encoding == encoding
    assert from_csv.decision.number == "1234/QĐ-UBND" and from_csv.decision.body == "UBND tỉnh Lạng Sơn"

    def seen(p):
        return {(u.name, u.producer_id, u.stars, u.phone, u.decision.date, u.group, u.product_set)
                for a in p.actions if (u := a.understood)}
    # Excel writes the hidden row into the CSV: it comes in, and the total row says so
    extra = seen(from_csv) - seen(from_xlsx)
    assert {name for name, *_ in extra} == {"Miến dong Bình Gia"}
    assert seen(from_xlsx) <= seen(from_csv)
    messages = [str(n) for n in from_csv.notes]
    assert "Dòng 31: dòng tổng cộng ghi 15 sản phẩm, nhưng bảng có 16 dòng sản phẩm: kiểm tra dòng thiếu hoặc dòng bị ẩn" in messages
    # the merged producer cell is only in the first row of a CSV: filled down, and said
    assert any(m.startswith("Dòng 11, cột 'Chủ thể': ô trống — lấy 'Hợp tác xã Nông nghiệp Hữu Liên' của dòng trên") for m in messages)
    assert not from_csv.errors


# --- the edge workbook ----------------------------------------------------------------------------


def test_every_missing_column_in_one_run_with_the_headings_read(tmp_path, run_cli):
    result = run_import(run_cli, EDGE, data_root(tmp_path))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().splitlines() == [
        f"ocop: {EDGE}: thiếu cột Tên sản phẩm (name); Chủ thể (producer). Các cột đọc được (dòng 4): 'TT', 'Tên SP dự thi', "
        "'Đơn vị chủ thể', 'Địa chỉ', 'Nhóm sản phẩm', 'Hạng sao', 'Số QĐ', 'Ngày QĐ', 'Cơ quan công nhận', 'Số GCN', "
        "'Ghi chú nội bộ'. Dùng --mapping cot.yaml ('Tiêu đề cột: tên trường') cho cột có tên khác"]


def test_a_mapping_naming_an_unknown_field_is_an_error_not_a_dropped_column(tmp_path, run_cli):
    root = data_root(tmp_path)
    before = snapshot(root)
    result = run_import(run_cli, EDGE, root, "--mapping", IMPORT / "cot-sai.yaml", "--write")
    assert result.exit_code == 1 and snapshot(root) == before
    out = result.output
    assert "'Ghi chú nội bộ: ghi_chu' — máy không biết trường 'ghi_chu'. Có phải ý bạn là 'note' (Ghi chú)?" in out
    assert "'Số QĐ: so_quyet_dinh' — máy không biết trường 'so_quyet_dinh'. Có phải ý bạn là 'decision_number' (Số quyết định)?" in out
    assert "Tên trường dùng được: stt (Số thứ tự), id (Mã sản phẩm), name (Tên sản phẩm)" in out


def test_edge_workbook_one_dry_run_one_write(tmp_path, run_cli):
    root = data_root(tmp_path)
    mapping = ("--mapping", IMPORT / "cot.yaml")
    cam_sanh = (root / "products/tuyen-quang/cam-sanh-ham-yen.yaml").read_bytes()
    dry = run_import(run_cli, EDGE, root, *mapping)
    out = dry.output
    assert dry.exit_code == 1  # two rows refused
    assert "Cảnh báo: Danh sách nằm ở trang tính 'Tổng hợp', không phải trang đầu ('Hướng dẫn')" in out
    assert "Cảnh báo: Bỏ qua trang tính ẩn 'Dữ liệu cũ' (trang thứ 2)." in out and "Sản phẩm cũ" not in out
    # month-first dates: the unambiguous one read with a warning, the ambiguous one refused
    assert "cảnh báo: cột 'Ngày QĐ': '8/15/2025' viết kiểu tháng/ngày (Mỹ): đọc là 15/08/2025" in block(out, 5)
    assert ("lỗi: cột 'Ngày QĐ': '8/5/2025' đọc được hai cách (08/05/2025 hoặc 05/08/2025) vì cột này có ngày viết "
            "kiểu tháng/ngày") in block(out, 8)
    assert "'15/8/2025'" not in out  # day first where only that reading exists: no warning
    # renewal of an existing product (1048 → 148, group from the row); "renews backwards" refused
    assert "Dòng 5: công nhận lại products/tuyen-quang/ruou-ngo-dong-van.yaml" in out
    assert "Dòng 6: KHÔNG GHI (có lỗi)" in out
    assert ("lỗi: Quyết định 1020/QĐ-UBND ngày 12/03/2024 cũ hơn giấy chứng nhận hiện hành của "
            "products/tuyen-quang/cam-sanh-ham-yen.yaml (2011/QĐ-UBND ngày 20/10/2025) — công nhận lùi, không ghi.") in block(out, 6)
    # a Hà Giang-era certificate of a Tuyên Quang product
    assert "QĐ 1890/QĐ-UBND ngày 18/10/2024 của UBND tỉnh Hà Giang (từ cột)" in block(out, 7)
    assert "địa chỉ trên giấy: tỉnh Hà Giang (nay là Tuyên Quang)" in block(out, 7)
    wrote = run_import(run_cli, EDGE, root, *mapping, "--write")
    assert wrote.exit_code == 1 and "Đã ghi 5 tệp." in wrote.output
    assert (root / "products/tuyen-quang/cam-sanh-ham-yen.yaml").read_bytes() == cam_sanh
    assert not list((root / "products").rglob("che-shan-tuyet-hong-thai*"))
    after = check(root, AS_OF)
    data = {c.file: c.data for c in after.checked}
    ha_giang = data["products/tuyen-quang/banh-tam-giac-mach-dong-van.yaml"]
    assert ha_giang["certified_address"]["province"] == "Hà Giang" and ha_giang["address"]["province"] == "Tuyên Quang"
    assert ha_giang["certificate"]["deciding_body"] == {"level": "province", "name": "UBND tỉnh Hà Giang"}
    assert ha_giang["classification"]["legal_basis"] == "148/2023"
    renewed = data["products/tuyen-quang/ruou-ngo-dong-van.yaml"]
    assert renewed["classification"] == {"legal_basis": "148+1489/2025", "group": "do-uong", "product_set": "ruou-trang"}
    assert renewed["earlier_ratings"][-1]["legal_basis"] == "1048/2019"
    touched = {"products/tuyen-quang/ruou-ngo-dong-van.yaml", "products/tuyen-quang/banh-tam-giac-mach-dong-van.yaml",
               "products/tuyen-quang/mat-ong-bac-ha-quan-ba.yaml", "producers/tuyen-quang/htx-tam-giac-mach-sung-la.yaml",
               "producers/tuyen-quang/hkd-vang-thi-mai.yaml"}
    expected = {("products/tuyen-quang/banh-tam-giac-mach-dong-van.yaml", "empty-field", "description"),
                ("products/tuyen-quang/mat-ong-bac-ha-quan-ba.yaml", "empty-field", "description"),
                # issue #25: decisions of 15/8/2025 whose annex prints "huyện …, tỉnh Hà Giang" (both ceased on 30/6/2025)
                ("products/tuyen-quang/ruou-ngo-dong-van.yaml", "certified-address-ceased", "certified_address.text"),
                ("products/tuyen-quang/mat-ong-bac-ha-quan-ba.yaml", "certified-address-ceased", "certified_address.text")}
    assert ha_giang["address"]["commune"] == "Xã Sà Phìn"  # xã Sủng Là (huyện Đồng Văn): the official conversion
    assert {(p.file, p.code, p.field) for p in after.problems if p.file in touched
            and p.code != "personal-data-unpublished"} == expected  # issue #14: a consent reminder, not a fill


# --- the decision given once, ids, formulas, writing all or nothing --------------------------------


def sheet(tmp_path, text, name="ds.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


PLAIN = ("STT;Tên sản phẩm;Chủ thể;Địa chỉ;Hạng sao;Số GCN\n"
         "1;Miến dong Bình Gia;HTX Miến dong Thiện Long;Xã Thiện Long, huyện Bình Gia, tỉnh Lạng Sơn;3 sao;301/GCN-UBND\n")


def test_decision_date_and_body_given_once_when_the_title_lacks_them(tmp_path, run_cli):
    root = data_root(tmp_path)
    source = sheet(tmp_path, PLAIN)
    missing = run_import(run_cli, source, root)
    assert missing.exit_code == 1
    assert ("thiếu cột Số quyết định (decision_number, hoặc --decision); Ngày quyết định (decision_date, hoặc --date); "
            "Cơ quan công nhận (deciding_body, hoặc --body)") in missing.output
    given = run_import(run_cli, source, root, "--decision", "1300/QĐ-UBND", "--date", "02/09/2025", "--body", "UBND tỉnh Lạng Sơn")
    assert given.exit_code == 0, given.output
    assert "Quyết định (từ --body, --date, --decision): số 1300/QĐ-UBND ngày 02/09/2025 của UBND tỉnh Lạng Sơn." in given.output
    assert "Dòng 2: tạo mới products/lang-son/mien-dong-binh-gia.yaml" in given.output
    bad = run_import(run_cli, source, root, "--decision", "1300", "--date", "2/9/2025", "--body", "UBND tỉnh Lạng Sơn")
    assert bad.exit_code == 1 and "--decision '1300': viết số quyết định dạng SỐ/QĐ-CƠQUAN" in bad.output


def test_an_id_from_the_sheet_is_validated_like_every_id_never_used_as_a_path(tmp_path, run_cli):
    root = data_root(tmp_path)
    source = sheet(tmp_path, "Mã sản phẩm;" + PLAIN.replace("\n1;", "\n../../.github/workflows/injected;1;", 1).replace(
        "STT;", "STT;", 1), "ids.csv")
    source.write_text(source.read_text(encoding="utf-8").replace("Mã sản phẩm;STT", "Mã sản phẩm;STT"), encoding="utf-8")
    before = snapshot(root)
    result = run_import(run_cli, source, root, "--decision", "1300/QĐ-UBND", "--date", "02/09/2025", "--body",
                        "UBND tỉnh Lạng Sơn", "--write")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert ("Dòng 2, cột 'Mã sản phẩm': '../../.github/workflows/injected' không phải mã hồ sơ: chỉ chữ thường không dấu, "
            "chữ số và dấu gạch ngang") in result.output.replace("    lỗi: cột 'Mã sản phẩm': ", "Dòng 2, cột 'Mã sản phẩm': ")
    assert snapshot(root) == before
    assert not (tmp_path / ".github").exists() and not (root / ".github").exists()


def test_formulas_are_refused_in_records_and_neutralised_in_the_report(tmp_path, run_cli):
    root = data_root(tmp_path)
    source = sheet(tmp_path, PLAIN + '2;=HYPERLINK("http://x.invalid");@SUM(1+1);Xã Thiện Long, huyện Bình Gia;3 sao;302/GCN-UBND\n')
    report = tmp_path / "ket-qua.csv"
    result = run_import(run_cli, source, root, "--decision", "1300/QĐ-UBND", "--date", "02/09/2025", "--body",
                        "UBND tỉnh Lạng Sơn", "--report", report)
    assert "'=HYPERLINK(\"http://x.invalid\")' bắt đầu như một công thức Excel" in result.output
    assert "'@SUM(1+1)' bắt đầu như một công thức Excel" in result.output
    assert "Dòng 3: KHÔNG GHI (có lỗi)" in result.output
    cells = [c for line in report.read_text(encoding="utf-8-sig").splitlines() for c in line.split(";")]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@") or c[:2] in ('"=', '"+', '"-', '"@')]
    assert "'@SUM(1+1)" in report.read_text(encoding="utf-8-sig")
    assert importer.neutralise("=1+1") == "'=1+1" and importer.neutralise("-2") == "'-2" and importer.neutralise("Na") == "Na"


def test_a_failed_write_leaves_nothing_half_written(tmp_path, monkeypatch):
    root = data_root(tmp_path)
    p = importer.plan(root, ANNEX, as_of=AS_OF)
    before = snapshot(root)
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 12:
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)
    monkeypatch.setattr(importer.write.os, "replace", flaky)  # apply() lives in importer/write.py
    with pytest.raises(importer.CatalogError, match="đã trả lại các tệp như trước"):
        importer.apply(p)
    assert len(calls) == 12
    assert snapshot(root) == before  # renewed files restored, new ones removed, no temporary file left


# --- values, one by one ----------------------------------------------------------------------------


def test_values_as_officers_type_them():
    assert [parse_stars(v) for v in ("4 sao", "4 Sao", "3★", 4, 4.0, "★★★", "3?", "5*")] == [4, 4, 3, 4, 4, 3, 3, 5]
    for bad in ("6 sao", "ba sao", "", True):
        with pytest.raises(ValueError):
            parse_stars(bad)
    assert parse_phone("0912 345 678") == ("0912345678", None)
    assert parse_phone("0912.345.678") == ("0912345678", None)
    assert parse_phone(968112233) == ("0968112233", "thêm số 0 đầu mà Excel đã bỏ")
    assert parse_phone("0205.3870.123") == ("02053870123", None)
    assert parse_phone("0912 345 67") == (None, None)
    assert parse_phone("0912345678 - 0205 3870 123")[0] == "0912345678"
    assert read_date("15/8/2025", False).date.isoformat() == "2025-08-15"
    assert read_date("15/08/2025", True).date.isoformat() == "2025-08-15"
    assert read_date("5/8/2025", False).date.isoformat() == "2025-08-05"  # Vietnamese: day first
    assert read_date("8/5/2025", True).error and read_date("8/5/2025", True).date is None
    assert read_date("8/15/2025", False).warning and read_date("8/15/2025", False).date.isoformat() == "2025-08-15"
    assert read_date("31/02/2026", False).error
    assert importer.month_first(["8/15/2025", "8/5/2025"]) and not importer.month_first(["15/8/2025", "5/8/2025"])


def test_title_blocks():
    title = read_title(["UBND TỈNH LẠNG SƠN", "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT OCOP NĂM 2025",
                        "(Kèm theo Quyết định số 1234/QĐ-UBND ngày 15/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn)"])
    assert (title.number, title.date.isoformat(), title.body, title.province) == (
        "1234/QĐ-UBND", "2025-08-15", "UBND tỉnh Lạng Sơn", "Lạng Sơn")
    words = read_title(["ỦY BAN NHÂN DÂN TỈNH HÀ GIANG",
                        "(Kèm theo Quyết định số 1890 /QĐ-UBND ngày 18 tháng 10 năm 2024 của Ủy ban nhân dân tỉnh Hà Giang)"])
    assert (words.number, words.date.isoformat(), words.body, words.province) == (
        "1890/QĐ-UBND", "2024-10-18", "UBND tỉnh Hà Giang", "Tuyên Quang")
    only_body = read_title(["UBND TỈNH TUYÊN QUANG", "TỔNG HỢP SẢN PHẨM OCOP"])
    assert (only_body.number, only_body.date, only_body.body) == (None, None, "UBND tỉnh Tuyên Quang")


# --- hostile spreadsheets: one clear line, never a traceback, limits before work -------------------


def _xlsx_with_sheet(tmp_path, name, sheet_xml: bytes, extra: dict | None = None):
    """A minimal workbook written by hand, so a test can put any XML in its sheet."""
    import zipfile

    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        for part, data in (extra or {}).items():
            z.writestr(part, data)
    return path


def _sheet(rows: str, doctype: str = "", dimension: str = "A1:B2") -> bytes:
    return (f'<?xml version="1.0"?>{doctype}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>').encode()


HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Tên sản phẩm</t></is></c><c r="B1" t="inlineStr"><is><t>{cell}</t></is></c></row>'


@pytest.mark.parametrize("name, doctype, cell", [
    ("xxe.xlsx", '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>', "&xxe;"),
    ("lol.xlsx", '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                 '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>', "&d;"),
])
def test_xml_attacks_are_one_clear_line(tmp_path, run_cli, name, doctype, cell):
    path = _xlsx_with_sheet(tmp_path, name, _sheet(HEADER_ROW.format(cell=cell), doctype))
    result = run_import(run_cli, path, data_root(tmp_path), "--province", "lang-son")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"ocop: {path}: tệp chứa khai báo thực thể XML (DTD/ENTITY) mà Excel không bao giờ ghi — có thể là tệp độc hại, "
        "không đọc. Mở tệp gốc bằng Excel và lưu lại thành tệp mới"]


def test_a_huge_sheet_is_refused_up_front(tmp_path, run_cli):
    import time

    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>x</t></is></c></row>' for i in range(1, 60_001))
    path = _xlsx_with_sheet(tmp_path, "big.xlsx", _sheet(rows, dimension="A1:XFD1048576"))
    start = time.perf_counter()
    result = run_import(run_cli, path, data_root(tmp_path), "--province", "lang-son")
    assert time.perf_counter() - start < 20
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "trang tính 'DS' có hơn 5.000 dòng" in result.output and "quá giới hạn 5.000 dòng, 150.000 ô" in result.output


def test_a_zip_bomb_and_an_oversized_file_are_refused_before_reading(tmp_path, run_cli):
    bomb = _xlsx_with_sheet(tmp_path, "bomb.xlsx", _sheet(HEADER_ROW.format(cell="Chủ thể")),
                            {"xl/media/padding.bin": b"\0" * (70 * 1024 * 1024)})
    assert bomb.stat().st_size < 1024 * 1024
    root = data_root(tmp_path)
    result = run_import(run_cli, bomb, root, "--province", "lang-son")
    assert result.exit_code == 1 and "giải nén ra 70 MB" in result.output and "quá giới hạn 60 MB" in result.output
    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:
        fh.truncate(11 * 1024 * 1024)
    result = run_import(run_cli, big, root, "--province", "lang-son")
    assert result.exit_code == 1 and "tệp nặng 11,0 MB — quá giới hạn 10 MB" in result.output


def test_not_a_spreadsheet_and_a_damaged_one(tmp_path, run_cli):
    root = data_root(tmp_path)
    damaged = tmp_path / "hong.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    result = run_import(run_cli, damaged, root)
    assert result.exit_code == 1 and "không phải tệp Excel .xlsx đọc được" in result.output and "Traceback" not in result.output
    old = tmp_path / "cu.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "Lưu thành → 'Excel Workbook (*.xlsx)'" in run_import(run_cli, old, root).output


# --- the shipped example (examples/), and git ----------------------------------------------------


def test_shipped_example_keeps_comments_and_never_duplicates(tmp_path, run_cli):
    root = data_root(tmp_path)
    renewed = root / "products/lai-chau/thao-qua-say-kho.yaml"
    renewed.write_text(renewed.read_text(encoding="utf-8").replace(
        "name: Thảo quả sấy khô Sìn Hồ", "name: Thảo quả sấy khô Sìn Hồ  # tên theo nhãn mới"), encoding="utf-8")
    result = run_import(run_cli, EXAMPLE_XLSX, root, "--province", "lai-chau", "--write")
    assert "Chủ thể mới producers/lai-chau/htx-det-lanh-ban-bo.yaml: HTX Dệt lanh Bản Bo" in result.output
    text = renewed.read_text(encoding="utf-8")
    assert "# tên theo nhãn mới" in text and text.startswith("# yaml-language-server")
    assert text.index("id:") < text.index("name:") < text.index("certificate:") < text.index("earlier_ratings:")
    before = snapshot(root)
    again = run_import(run_cli, EXAMPLE_CSV, root, "--province", "Lai Châu", "--write")
    assert "0 tạo mới, 0 công nhận lại, 0 cập nhật, 4 không đổi" in again.output
    assert snapshot(root) == before
    assert run_cli("fmt", "--root", root, "--check").exit_code == 0


def git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
                   check=True, capture_output=True)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_diff_says_in_words_what_an_import_and_edits_do(tmp_path, run_cli):
    root = data_root(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    run_import(run_cli, ANNEX, root, "--write")
    products = root / "products/lang-son"
    edit(products / "hoi-kho-van-quan.yaml", '  valid_until: "2027-08-14"\n',
         '  valid_until: "2027-08-14"\n  revocation:\n    decision:\n      number: 1502/QĐ-UBND\n      date: "2026-06-02"\n'
         '    reason: Chủ thể ngừng sản xuất\n')
    edit(products / "ruou-mau-son.yaml", "number: 66/QĐ-UBND", "number: 1290/QĐ-UBND")  # renewed by hand, history lost
    edit(products / "ruou-mau-son.yaml", 'date: "2024-03-01"', 'date: "2026-03-02"')
    edit(products / "ruou-mau-son.yaml", 'valid_until: "2027-02-28"', 'valid_until: "2029-03-01"')
    edit(products / "tinh-dau-hoi-van-quan.yaml", 'valid_until: "2027-08-14"', 'valid_until: "2026-08-14"')
    (products / "na-chi-lang.yaml").write_text((products / "na-chi-lang.yaml").read_text(encoding="utf-8")
                                               + "status: withdrawn\nstatus_reason: Chủ thể xin rút\n", encoding="utf-8")
    out = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat()).output.splitlines()
    assert ("Thêm sản phẩm Mật ong bạc hà (mat-ong-bac-ha-huu-lien), 4 sao, quyết định 1234/QĐ-UBND ngày 15/08/2025."
            in out)
    assert "Công nhận lại Quýt vàng Bắc Sơn: quyết định 1234/QĐ-UBND ngày 15/08/2025, hiệu lực đến 14/08/2028." in out
    assert not [line for line in out if line.startswith("Lịch sử không được giữ: giấy chứng nhận cũ của Quýt")]  # import keeps it
    assert ("Lịch sử không được giữ: giấy chứng nhận cũ của Rượu Mẫu Sơn (124/GCN-UBND, quyết định 66/QĐ-UBND ngày "
            "01/03/2024, 3 sao) không có trong earlier_ratings — thêm vào để giữ lịch sử công nhận.") in out
    assert ("Thu hồi giấy chứng nhận Hoa hồi khô Văn Quan: quyết định 1502/QĐ-UBND ngày 02/06/2026, lý do: "
            "Chủ thể ngừng sản xuất.") in out
    assert "Rút khỏi danh mục: Na Chi Lăng. Lý do: Chủ thể xin rút." in out
    assert "Sửa ngày hiệu lực Tinh dầu hồi Văn Quan: 14/08/2027 → 14/08/2026." in out
    assert any(line.startswith("Cảnh báo: products/lang-son/tinh-dau-hoi-van-quan.yaml:") and "[valid-until-unexpected]" in line
               for line in out)
    assert "Thêm chủ thể Hợp tác xã Nông nghiệp Hữu Liên (htx-nong-nghiep-huu-lien)." in out
    assert not [line for line in out if "-20" in line and ("ngày 20" in line or "đến 20" in line)]  # no ISO dates left
    git(root, "add", "-A")
    git(root, "commit", "-qm", "change")
    md = run_cli("diff", "HEAD~1", "HEAD", "--root", root, "--format", "markdown", "--as-of", AS_OF.isoformat()).output
    assert md.startswith("### Thay đổi trong danh mục OCOP (HEAD~1 → HEAD)") and "- Rút khỏi danh mục: Na Chi Lăng." in md
    assert run_cli("diff", "HEAD", "HEAD", "--root", root).output.strip() == "Không có thay đổi nào trong danh mục."


def test_the_names_a_mapping_may_use_are_documented_in_vietnamese():
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert importer.mapping_reference() in text, "copy importer.mapping_reference() into CONTRIBUTING.md"
    for name in importer.field_names():
        assert f"| `{name}` | " in text
    for words in ("Chỉ có trình duyệt", "Trên máy Windows", ".venv\\Scripts\\ocop", "id: ocop-validate"):
        assert words in text


def test_the_same_producer_name_in_another_commune_is_another_producer(tmp_path, run_cli):
    """Probe, round five: 'HTX Nông nghiệp Bắc Sơn' at xã Bắc Sơn was linked without a word to the
    producer of that name at xã Vũ Lễ — cooperatives of one name repeat from commune to commune."""
    root = data_root(tmp_path)
    source = sheet(tmp_path, "STT;Tên sản phẩm;Chủ thể;Địa chỉ;Hạng sao;Số GCN\n"
                             "1;Mận hậu Bắc Sơn;Hợp tác xã Nông nghiệp Bắc Sơn;Xã Bắc Sơn, tỉnh Lạng Sơn;3 sao;320/GCN-UBND\n"
                             "2;Hồng không hạt Bắc Sơn;Hợp tác xã Nông nghiệp Bắc Sơn;Xã Vũ Lễ, tỉnh Lạng Sơn;3 sao;321/GCN-UBND\n")
    out = run_import(run_cli, source, root, "--decision", "1300/QĐ-UBND", "--date", "02/09/2025",
                     "--body", "UBND tỉnh Lạng Sơn", "--province", "lang-son").output
    assert ("cảnh báo: cột 'Chủ thể': 'Hợp tác xã Nông nghiệp Bắc Sơn' trùng tên chủ thể có sẵn "
            "(producers/lang-son/htx-quyt-bac-son.yaml, Xã Vũ Lễ) nhưng dòng này ở Xã Bắc Sơn: tạo chủ thể mới") in block(out, 2), out
    assert "chủ thể Hợp tác xã Nông nghiệp Bắc Sơn → htx-quyt-bac-son ·" in block(out, 3)  # the same commune: the same one
    assert "1 chủ thể mới" in out


def test_a_near_match_uses_the_existing_producer_and_says_so(tmp_path, run_cli):
    root = data_root(tmp_path)
    source = sheet(tmp_path, "STT;Tên sản phẩm;Chủ thể;Hạng sao;Số GCN\n"
                             "1;Mận hậu Bắc Sơn;HTX Nông nghiệp Bắc Sơnn;3 sao;320/GCN-UBND\n"
                             "2;Hồng không hạt Bắc Sơn;Hợp tác xã Nông nghiệp Bắc Sơn;3 sao;321/GCN-UBND\n")
    out = run_import(run_cli, source, root, "--decision", "1300/QĐ-UBND", "--date", "02/09/2025",
                     "--body", "UBND tỉnh Lạng Sơn", "--province", "lang-son").output
    assert ("cảnh báo: cột 'Chủ thể': 'HTX Nông nghiệp Bắc Sơnn' gần giống chủ thể có sẵn 'Hợp tác xã Nông nghiệp Bắc Sơn' "
            "(producers/lang-son/htx-quyt-bac-son.yaml): dùng chủ thể này") in block(out, 2)
    assert "chủ thể Hợp tác xã Nông nghiệp Bắc Sơn → htx-quyt-bac-son ·" in block(out, 3)
    assert "0 chủ thể mới" in out
