"""Round seven, the officer's side: `ocop intake`'s exit code, a product continued over two Word rows
that are not merged, a corrected annex and the producer's street, the summary's warnings, an earlier
certificate's lapse when its record gives no valid_until, and a revocation by another province's body.

Every annex is made here with python-docx or as text, shaped like a province's; every record is the
shipped data changed as an officer would change it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from catalog.checks.validate import check
from tests import annex_shapes as shapes
from tests.conftest import AS_OF, REPO, copy_data
from tests.test_intake import _git, _intake, _repo
from tests.test_probe6 import _shipped


def _read(root: Path, rel: str) -> dict:
    return YAML(typ="safe").load((root / rel).read_text(encoding="utf-8"))

# --- 1. `ocop intake` exits 1 when errors are left, 0 on warnings alone ------------------------------


def test_intake_exits_1_while_errors_are_left_and_0_on_warnings_alone(tmp_path):
    """`ocop intake` exited 0 with validation errors in its report: a script, or the officer reading the
    check's colour, took the run as clean. Now as `ocop validate` and `ocop import`: 1 on any error."""
    root = _repo(tmp_path)
    problems = check(root, AS_OF).problems
    assert problems and all(p.severity == "warning" for p in problems)  # the shipped data: warnings only
    path = root / "products/lai-chau/ban-du-lich-sin-suoi-ho.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  score: 76\n", "  score: 78\n"), encoding="utf-8")  # a sound edit in the form
    _git(root, "commit", "-qam", "điểm")
    clean = _intake(root, tmp_path / "bao-cao.md")
    assert clean.exit_code == 0, clean.output
    # a mistyped date saved on the branch: an error validate gives (bad-date)
    path.write_text(text.replace('  valid_until: "2027-07-29"', '  valid_until: "2027-02-30"'), encoding="utf-8")
    _git(root, "commit", "-qam", "ngày")
    report = tmp_path / "bao-cao-2.md"
    wrong = _intake(root, report)
    assert wrong.exit_code == 1, wrong.output
    assert "2027-02-30" in report.read_text(encoding="utf-8")  # the report is written all the same
    # the real command, as the workflow runs it: the process's exit status
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ran = subprocess.run([sys.executable, "-m", "catalog.cli", "intake", "--root", str(root), "--base", "main",
                          "--as-of", AS_OF.isoformat()], capture_output=True, text=True, env=env, timeout=300)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "2027-02-30" in ran.stdout


def test_intake_says_its_exit_code_in_its_help(run_cli):
    out = run_cli("intake", "--help").output
    assert "Mã thoát" in out and "chỉ có cảnh báo" in out


# --- 2. a product over two Word rows that are not merged ---------------------------------------------


def _word_annex(path: Path, second_name: str) -> Path:
    """Hà Giang's decision of 28/04/2025 in Word, its annex table "STT | Tên sản phẩm | Tên chủ thể, địa
    chỉ | Hạng sao | Số GCN": the first product's producer in its row, the address typed in the row below
    with no cell merged (STT empty, the name empty or typed again); then a product whose producer and
    address share one cell, and a product of the same name by another producer, its STT left empty."""
    rows = [["STT", "Tên sản phẩm", "Tên chủ thể, địa chỉ", "Hạng sao", "Số GCN"],
            ["1", "Chè Shan tuyết Cao Bồ", "HTX Chè Cao Bồ", "4 sao", "91/GCN-UBND"],
            ["", second_name, "Thôn Tham Vè, xã Cao Bồ, huyện Vị Xuyên, tỉnh Hà Giang", "", ""],
            ["2", "Cam sành Bắc Quang", "HTX Cam sành Hùng An\nThôn Tân Thành, xã Hùng An, huyện Bắc Quang, tỉnh Hà Giang",
             "3 sao", "92/GCN-UBND"],
            ["", "Cam sành Bắc Quang", "HTX Cam Vĩnh Tuy\nThôn Vĩnh Sơn, xã Vĩnh Tuy, huyện Bắc Quang, tỉnh Hà Giang",
             "3 sao", "93/GCN-UBND"]]
    document, _ = shapes.docx_with_table(["ỦY BAN NHÂN DÂN TỈNH HÀ GIANG", *shapes.CIVIL, "QUYẾT ĐỊNH",
                                          "Về việc công nhận sản phẩm đạt tiêu chuẩn OCOP tỉnh Hà Giang năm 2025 (đợt 1)",
                                          "Phụ lục",
                                          "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT TIÊU CHUẨN OCOP NĂM 2025",
                                          "(Kèm theo Quyết định số 520/QĐ-UBND ngày 28/04/2025 của UBND tỉnh Hà Giang)"], rows)
    document.add_paragraph("KT. CHỦ TỊCH")
    document.add_paragraph("PHÓ CHỦ TỊCH")
    document.save(str(path))
    return path


@pytest.mark.parametrize("second_name", ["", "Chè Shan tuyết Cao Bồ"], ids=["name-empty", "name-repeated"])
def test_a_product_over_two_word_rows_not_merged_keeps_its_producers_address(tmp_path, run_cli, second_name):
    """The address typed in the row below, no cell merged: "dòng không có tên sản phẩm, không nhập" (a
    warning) and the certificate had no address — or, with the name typed again, a second product whose
    producer was the address. The row is joined to the product above, as a merged one is; a row with
    its own certificate number and stars stays a product, STT or not."""
    root = copy_data(tmp_path)
    result = run_cli("import", _word_annex(tmp_path / "ha-giang-520.docx", second_name), "--root", root,
                     "--as-of", AS_OF.isoformat(), "--write")
    assert result.exit_code == 0, result.output
    assert "dòng không có tên sản phẩm" not in result.output
    assert "dòng nối tiếp (không số thứ tự, ô tên trống hoặc lặp lại) đã ghép vào dòng trên dòng 3" in result.output
    che = _read(root, "products/tuyen-quang/che-shan-tuyet-cao-bo.yaml")
    assert che["certified_address"] == {"text": "Thôn Tham Vè, xã Cao Bồ, huyện Vị Xuyên, tỉnh Hà Giang", "province": "Hà Giang"}
    assert che["address"]["commune"] == "Xã Cao Bồ" and che["certificate"]["number"] == "91/GCN-UBND"
    assert _read(root, f"producers/tuyen-quang/{che['producer']}.yaml")["name"] == "HTX Chè Cao Bồ"
    # the two products named "Cam sành Bắc Quang": two records, each with its own certificate and producer
    cams = [_read(root, p.relative_to(root).as_posix()) for p in sorted((root / "products/tuyen-quang").glob("cam-sanh-bac-quang*"))]
    assert sorted(c["certificate"]["number"] for c in cams) == ["92/GCN-UBND", "93/GCN-UBND"]
    assert len({c["producer"] for c in cams}) == 2
    assert len(list((root / "products/tuyen-quang").glob("che-shan-tuyet-cao-bo*"))) == 1


# --- 3. a corrected annex and the producer's street ---------------------------------------------------


def _ha_giang_415(tmp_path: Path, address: str) -> Path:
    """Hà Giang's decision 415/QĐ-UBND of 12/03/2025, its annex saved as CSV from Excel (UTF-8)."""
    path = tmp_path / "ha-giang-415.csv"
    path.write_text("STT,Tên sản phẩm,Chủ thể,Địa chỉ,Hạng sao,Số GCN\n"
                    f'1,Chè Shan tuyết Phìn Hồ,HTX Chè Phìn Hồ,"{address}",4,88/GCN-UBND\n', encoding="utf-8-sig")
    return path


HA_GIANG_415 = ("--province", "tuyen-quang", "--decision", "415/QĐ-UBND", "--date", "12/03/2025", "--body", "UBND tỉnh Hà Giang",
                "--write")
CHE = "products/tuyen-quang/che-shan-tuyet-phin-ho.yaml"


def _import(run_cli, source: Path, root: Path):
    return run_cli("import", source, "--root", root, "--as-of", AS_OF.isoformat(), *HA_GIANG_415)


def test_a_corrected_annex_fills_an_empty_street_and_says_so(tmp_path, run_cli):
    """Round seven: the corrected annex filled the certified address and the commune, and left
    address.street empty although the annex prints the hamlet."""
    root = copy_data(tmp_path)
    assert _import(run_cli, _ha_giang_415(tmp_path, "huyện Hoàng Su Phì, tỉnh Hà Giang"), root).exit_code == 0
    assert "street" not in _read(root, CHE)["address"]
    again = _import(run_cli, _ha_giang_415(tmp_path, "Thôn Phìn Hồ, xã Thông Nguyên, huyện Hoàng Su Phì, tỉnh Hà Giang"), root)
    assert again.exit_code == 0, again.output
    assert "thay đổi: address.street: (trống) → Thôn Phìn Hồ" in again.output, again.output
    address = _read(root, CHE)["address"]
    assert address == {"province": "Tuyên Quang", "commune": "Xã Thông Nguyên", "street": "Thôn Phìn Hồ"}, address


def test_a_street_the_officer_typed_is_kept_and_the_annexs_other_one_is_said(tmp_path, run_cli):
    """The street of ``address`` is where the producer is now: an officer's typed street is never
    replaced by the annex's hamlet; the difference is a warning naming both. In another commune, the
    annex's hamlet is not the producer's street at all."""
    root = copy_data(tmp_path)
    assert _import(run_cli, _ha_giang_415(tmp_path, "huyện Hoàng Su Phì, tỉnh Hà Giang"), root).exit_code == 0
    path = root / CHE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('  commune: ""\n', "  commune: Xã Thông Nguyên\n  street: Thôn Nậm Ty, nhà văn hoá\n"),
                    encoding="utf-8")
    assert _read(root, CHE)["address"]["street"] == "Thôn Nậm Ty, nhà văn hoá"
    again = _import(run_cli, _ha_giang_415(tmp_path, "Thôn Phìn Hồ, xã Thông Nguyên, huyện Hoàng Su Phì, tỉnh Hà Giang"), root)
    assert again.exit_code == 0, again.output
    assert _read(root, CHE)["address"]["street"] == "Thôn Nậm Ty, nhà văn hoá"
    assert ("cảnh báo: address.street: phụ lục ghi 'Thôn Phìn Hồ', hồ sơ ghi 'Thôn Nậm Ty, nhà văn hoá' — giữ "
            "'Thôn Nậm Ty, nhà văn hoá'") in again.output, again.output
    # the producer moved to another commune: its street stays empty, the certified address is the annex's
    path.write_text(path.read_text(encoding="utf-8").replace("  commune: Xã Thông Nguyên\n  street: Thôn Nậm Ty, nhà văn hoá\n",
                                                             "  commune: Xã Hoàng Su Phì\n"), encoding="utf-8")
    third = _import(run_cli, _ha_giang_415(tmp_path, "Thôn Phìn Hồ, xã Thông Nguyên, huyện Hoàng Su Phì, tỉnh Hà Giang."), root)
    assert third.exit_code == 0, third.output
    assert "street" not in _read(root, CHE)["address"] and "address.street" not in third.output


# --- 4. the summary counts the warnings validate will give the files written -------------------------


def test_the_summary_counts_the_warnings_validate_will_give_the_files_written(tmp_path, run_cli):
    """Round seven: the summary counted the errors validate will give the files written, not its
    warnings — "0 lỗi, 0 cảnh báo" above two rows marked 'validate sẽ báo: … [deciding-level-unusual]'."""
    root = copy_data(tmp_path)
    source = tmp_path / "ha-giang-520.csv"
    # two 3-star products recognised by the province on 28/04/2025, when districts recognised 3 stars
    source.write_text("STT,Tên sản phẩm,Chủ thể,Địa chỉ,Hạng sao,Điểm,Số GCN\n"
                      '1,Cam sành Bắc Quang,HTX Cam sành Hùng An,"Thôn Tân Thành, xã Hùng An, huyện Bắc Quang, tỉnh Hà Giang",3,'
                      "62,92/GCN-UBND\n"
                      '2,Miến dong Tân Quang,HTX Miến Tân Quang,"Tổ 3, xã Tân Quang, huyện Bắc Quang, tỉnh Hà Giang",3,'
                      "58,94/GCN-UBND\n", encoding="utf-8-sig")
    out = run_cli("import", source, "--root", root, "--as-of", AS_OF.isoformat(), "--province", "tuyen-quang", "--decision",
                  "520/QĐ-UBND", "--date", "28/04/2025", "--body", "UBND tỉnh Hà Giang").output
    said = [line for line in out.splitlines() if "validate sẽ báo:" in line]
    assert len(said) == 2 and all("[deciding-level-unusual]" in line for line in said), out
    assert out.rstrip().splitlines()[-2].endswith(
        "0 lỗi, 0 cảnh báo (và 2 cảnh báo validate sẽ báo ở hồ sơ ghi ra: xem 'validate sẽ báo' ở trên)."), out
    # with an error too, each its own number
    source.write_text(source.read_text(encoding="utf-8-sig").replace(",58,94", ",45,94"), encoding="utf-8-sig")  # under 3★'s 50
    out = run_cli("import", source, "--root", root, "--as-of", AS_OF.isoformat(), "--province", "tuyen-quang", "--decision",
                  "520/QĐ-UBND", "--date", "28/04/2025", "--body", "UBND tỉnh Hà Giang").output
    assert "(và 1 lỗi, 2 cảnh báo validate sẽ báo ở hồ sơ ghi ra: xem 'validate sẽ báo' ở trên)." in out, out


# --- 5. an earlier certificate without valid_until still lapses --------------------------------------


def _earlier_revoked(tmp_path: Path, revoked_on: str) -> Path:
    """Chè Shan tuyết Sìn Hồ with its earlier 3★ certificate (Lai Châu, 880/QĐ-UBND of 20/07/2020) typed
    without valid_until, and revoked on ``revoked_on``."""
    tmp_path.mkdir(exist_ok=True)
    root = _shipped(tmp_path)
    path = root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    text = path.read_text(encoding="utf-8")
    assert '    valid_until: "2023-07-19"\n' in text
    path.write_text(text.replace('    valid_until: "2023-07-19"\n', '    revocation:\n'
                                 f'      decision: {{number: 990/QĐ-UBND, date: "{revoked_on}"}}\n'
                                 '      deciding_body: {level: province, name: UBND tỉnh Lai Châu}\n'
                                 '      reason: Vi phạm quy định ghi nhãn\n', 1), encoding="utf-8")
    return root


def test_an_earlier_certificate_without_valid_until_revoked_after_its_term_is_an_error(tmp_path, run_cli):
    """Round seven: the check of a revocation after the lapse skipped an earlier rating without
    valid_until; its lapse is reckoned as the current certificate's is filled — the decision date plus
    36 months, less a day (the product page ends the rating's window on the same day)."""
    root = _earlier_revoked(tmp_path, "2025-09-01")
    out = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).output
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "earlier_ratings[0].revocation.decision.date" in errors[0], out
    assert ("Thu hồi có hiệu lực từ ngày '2025-09-01', sau khi giấy chứng nhận 45/GCN-UBND đã hết hiệu lực (đến hết ngày "
            "19/07/2023 — hồ sơ không ghi valid_until: tính từ ngày quyết định 20/07/2020 cộng 36 tháng)") in errors[0], errors[0]
    assert errors[0].endswith("[revocation-after-lapse]")
    # within its term: a revocation like any other
    root = _earlier_revoked(tmp_path / "trong-han", "2023-07-19")
    assert "[revocation-after-lapse]" not in run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).output


# --- 6. a revocation signed by another province's body ------------------------------------------------


def _problems_at(root: Path, rel: str, code: str) -> list:
    return [p for p in check(root, AS_OF).problems if p.file == rel and p.code == code]


def test_a_revocation_by_another_provinces_body_names_the_body_and_whose_certificate_it_revokes(tmp_path):
    """Round seven: the warning read "Cơ quan 'UBND tỉnh Lạng Sơn' là UBND của Lạng Sơn, nhưng giấy chứng nhận
    (quyết định ngày 01/10/2026) thuộc Lai Châu" — the revocation's date given as the certificate's decision.
    Now its own code: the revoking body, whose it is, and the province and recognition of the certificate."""
    root = _shipped(tmp_path)
    rel = "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(
        '  valid_until: "2027-03-14"\n', '  valid_until: "2027-03-14"\n  revocation:\n'
        '    decision: {number: 900/QĐ-UBND, date: "2026-10-01"}\n'
        '    deciding_body: {level: province, name: UBND tỉnh Lạng Sơn}\n    reason: Vi phạm quy định ghi nhãn\n', 1),
        encoding="utf-8")
    assert not _problems_at(root, rel, "deciding-body-other-province")
    [problem] = _problems_at(root, rel, "revocation-body-other-province")
    assert problem.field == "certificate.revocation.deciding_body.name" and problem.severity == "warning"
    assert problem.message() == (
        "Quyết định thu hồi ngày 01/10/2026 do 'UBND tỉnh Lạng Sơn' ký, là UBND của Lạng Sơn, nhưng giấy chứng nhận "
        "100/GCN-UBND bị thu hồi là giấy chứng nhận của Lai Châu (UBND tỉnh Lai Châu công nhận ngày 15/03/2024). Cơ quan "
        "thu hồi là cơ quan đã công nhận (hoặc cơ quan tiếp nhận việc của nó): chép lại tên cơ quan thu hồi đúng như trên "
        "quyết định, hoặc kiểm tra quyết định đó có đúng là thu hồi giấy chứng nhận này.")
    assert "signed by 'UBND tỉnh Lạng Sơn', the UBND of Lạng Sơn" in problem.message("en")


def test_a_revocation_by_another_provinces_district_is_said_the_same_way(tmp_path):
    """Thịt bò khô Mèo Vạc (Hà Giang, 3★ of UBND huyện Mèo Vạc) revoked in March 2025 by a district of Lạng Sơn."""
    root = _shipped(tmp_path)
    rel = "products/tuyen-quang/bo-kho-ha-giang.yaml"
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count("      name: UBND huyện Mèo Vạc\n") == 1
    path.write_text(text.replace("      name: UBND huyện Mèo Vạc\n", "      name: UBND huyện Bắc Sơn\n"), encoding="utf-8")
    assert not _problems_at(root, rel, "deciding-body-district-other-province")
    [problem] = _problems_at(root, rel, "revocation-body-other-province")
    assert problem.message().startswith(
        "Quyết định thu hồi ngày 18/03/2025 do 'UBND huyện Bắc Sơn' ký, là UBND cấp huyện của 'Lạng Sơn' (trước 01/7/2025), "
        "nhưng giấy chứng nhận 112/GCN-UBND bị thu hồi là giấy chứng nhận của Hà Giang (UBND huyện Mèo Vạc công nhận ngày "
        "11/04/2023)."), problem.message()
