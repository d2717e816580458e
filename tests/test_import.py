"""`ocop import` with the shipped example spreadsheet, as a new officer would use it."""

from __future__ import annotations

import shutil

from catalog.validate import check

from .conftest import AS_OF, REPO

XLSX = REPO / "examples/quyet-dinh-cong-nhan-lai-chau.xlsx"
CSV = REPO / "examples/quyet-dinh-cong-nhan-lai-chau.csv"


def data_root(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    for name in ("ocop.yaml", "published-ids.txt", "products", "producers", "sales_points", "villages", "images"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, root / name)
    return root


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_dry_run_lists_every_row_and_writes_nothing(tmp_path, run_cli):
    root = data_root(tmp_path)
    before = snapshot(root)
    result = run_cli("import", XLSX, "--root", root, "--province", "lai-chau")
    assert result.exit_code == 1  # one row has a problem
    lines = result.output.splitlines()
    assert lines[0] == ("Dòng 3: tạo mới products/lai-chau/mat-ong-hoa-ban-tam-duong.yaml — cần bổ sung: "
                        "description, certified_address.text")
    assert lines[1].startswith("Dòng 4: công nhận lại products/lai-chau/thao-qua-say-kho.yaml: certificate.stars: 3 → 4;")
    assert lines[2].startswith("Dòng 5: tạo mới products/lai-chau/ruou-tao-meo-sin-ho.yaml")
    assert lines[3].startswith("Dòng 6, cột 'Chủ thể': 'HTX Dệt lanh Bản Bo' không khớp chủ thể nào")
    assert "Các cột không dùng: STT" in result.output and "Chạy thử: chưa ghi gì." in result.output
    assert snapshot(root) == before


def test_write_creates_and_renews_keeping_comments_and_never_duplicates(tmp_path, run_cli):
    root = data_root(tmp_path)
    renewed = root / "products/lai-chau/thao-qua-say-kho.yaml"
    renewed.write_text(renewed.read_text(encoding="utf-8").replace(
        "name: Thảo quả sấy khô Sìn Hồ", "name: Thảo quả sấy khô Sìn Hồ  # tên theo nhãn mới"), encoding="utf-8")
    run_cli("import", XLSX, "--root", root, "--province", "lai-chau", "--write")
    text = renewed.read_text(encoding="utf-8")
    assert "# tên theo nhãn mới" in text and text.startswith("# yaml-language-server")
    assert text.index("id:") < text.index("name:") < text.index("certificate:") < text.index("earlier_ratings:")
    cat_result = check(root, AS_OF)
    by_file = {c.file: c for c in cat_result.checked}
    cert = by_file["products/lai-chau/thao-qua-say-kho.yaml"].data["certificate"]
    assert cert["stars"] == 4 and cert["decision"]["number"] == "2150/QĐ-UBND" and cert["valid_until"] == "2029-11-09"
    earlier = by_file["products/lai-chau/thao-qua-say-kho.yaml"].data["earlier_ratings"]
    assert earlier[-1]["decision"] == {"number": "87/QĐ-UBND", "date": "2023-12-20"}
    new = by_file["products/lai-chau/mat-ong-hoa-ban-tam-duong.yaml"].data
    assert new["classification"] == {"legal_basis": "26/2026", "group": "thuc-pham", "product_set": "mat-ong"}
    assert new["certificate"]["deciding_body"] == {"level": "province", "name": "UBND tỉnh Lai Châu"}
    # the only errors left are the fields the spreadsheet does not have
    errors = {(p.file, p.field) for p in cat_result.errors}
    assert errors == {(f"products/lai-chau/{n}.yaml", f) for n in ("mat-ong-hoa-ban-tam-duong", "ruou-tao-meo-sin-ho")
                      for f in ("description", "certified_address.text")}
    # the same list again, as CSV with unaccented headings: matched, nothing duplicated or changed
    before = snapshot(root)
    again = run_cli("import", CSV, "--root", root, "--province", "Lai Châu", "--write")
    assert "0 hồ sơ mới, 0 hồ sơ cập nhật, 1 dòng lỗi." in again.output
    assert snapshot(root) == before
    assert run_cli("fmt", "--root", root, "--check").exit_code == 0


def test_mapping_file_and_row_problems(tmp_path, run_cli):
    root = data_root(tmp_path)
    sheet = tmp_path / "ds.csv"
    sheet.write_text(
        "Sản phẩm,Đơn vị,Xếp loại,QĐ số,Ký ngày,Mã GCN,Nơi cấp\n"
        "Chè mới,htx-che-sin-ho,6 sao,99/QĐ-UBND,31/02/2026,9/GCN,UBND tỉnh Lai Châu\n", encoding="utf-8")
    mapping = tmp_path / "cot.yaml"
    mapping.write_text("Đơn vị: producer\nXếp loại: stars\nQĐ số: decision_number\nKý ngày: decision_date\n"
                       "Mã GCN: certificate_number\nNơi cấp: deciding_body\n", encoding="utf-8")
    out = run_cli("import", sheet, "--root", root, "--mapping", mapping, "--province", "lai-chau").output
    assert "Dòng 2, cột 'Xếp loại': '6 sao' — chỉ sản phẩm 3, 4 hoặc 5 sao được cấp giấy chứng nhận" in out
    assert "Dòng 2, cột 'Ký ngày': '31/02/2026' không phải ngày" in out
    missing = run_cli("import", sheet, "--root", root, "--province", "lai-chau")
    assert missing.exit_code == 1 and "không tìm thấy dòng tiêu đề cột" in missing.output


def test_diff_says_in_words_what_a_change_does(tmp_path, run_cli):
    import subprocess

    root = data_root(tmp_path)

    def git(*args):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "add", "-A")
    git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "base")
    run_cli("import", XLSX, "--root", root, "--province", "lai-chau", "--write")
    p = root / "products/hai-phong/cha-muc-cat-hai.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "status: withdrawn\nstatus_reason: Ngừng sản xuất\n", encoding="utf-8")
    sp = root / "sales_points/lang-son/cho-dong-kinh-lang-son.yaml"
    sp.write_text(sp.read_text(encoding="utf-8").replace("  - quyt-vang-bac-son\n", ""), encoding="utf-8")
    out = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat()).output.splitlines()
    assert out == [
        "Thêm sản phẩm Mật ong hoa ban Tam Đường (mat-ong-hoa-ban-tam-duong), 4 sao, quyết định 2150/QĐ-UBND.",
        "Thêm sản phẩm Rượu táo mèo Sìn Hồ (ruou-tao-meo-sin-ho), 3 sao, quyết định 2150/QĐ-UBND.",
        "Rút khỏi danh mục: Chả mực Cát Hải.",
        "Công nhận lại Thảo quả sấy khô Sìn Hồ: quyết định 2150/QĐ-UBND ngày 2026-11-10, hiệu lực đến 2029-11-09.",
        "Đổi hạng sao Thảo quả sấy khô Sìn Hồ: 3 → 4 sao.",
        "Điểm bán Gian hàng OCOP chợ Đông Kinh thôi bày: quyt-vang-bac-son.",
    ]
    git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qam", "change")
    md = run_cli("diff", "HEAD~1", "HEAD", "--root", root, "--format", "markdown", "--as-of", AS_OF.isoformat()).output
    assert md.startswith("### Thay đổi trong danh mục OCOP (HEAD~1 → HEAD)") and "- Rút khỏi danh mục: Chả mực Cát Hải." in md
    assert run_cli("diff", "HEAD", "HEAD", "--root", root).output.strip() == "Không có thay đổi nào trong danh mục."
