"""Probe, round six: what outside testers found in a pull request's summary (`ocop diff`) and in
validation — a hostile pull request that makes a revoked product look valid, or takes over its
printed labels, must be named where the reviewer reads."""

from __future__ import annotations

import pytest

from tests.conftest import AS_OF
from tests.test_officer_probe import PRODUCT, _committed_root


@pytest.mark.parametrize("line,said", [
    ("publisher: 2026-02-30\n", "'2026-02-30'"),  # PyYAML's safe_load: ValueError, day is out of range
    ("extra_a: &a {x: *a}\n", "Cấu hình ocop.yaml: không đọc được — ocop validate nói lý do"),  # a self-referencing alias: RecursionError
    ("x0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)),
     "Cấu hình ocop.yaml: không đọc được — ocop validate nói lý do"),  # nine levels of aliases: 24 GB of memory
])
def test_a_hostile_config_file_never_empties_the_pull_requests_summary(tmp_path, run_cli, line, said):
    root, git = _committed_root(tmp_path)
    config = root / "ocop.yaml"
    config.write_text(config.read_text(encoding="utf-8") + line, encoding="utf-8")
    (root / PRODUCT).write_text((root / PRODUCT).read_text(encoding="utf-8").replace("  stars: 4", "  stars: 5"), encoding="utf-8")
    result = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert "Cấu hình ocop.yaml:" in result.output and said in result.output, result.output
    assert "Đổi hạng sao" in result.output  # the rest of the summary is there
    assert "base_url" not in result.output  # re-probe: every setting was listed as removed, base_url's warning too


def _published(tmp_path, run_cli):
    """The test data root, published: `ocop manifest` run and committed, as the deploy workflow does."""
    root, git = _committed_root(tmp_path)
    assert run_cli("manifest", "--root", root, "--as-of", AS_OF.isoformat()).exit_code == 0
    assert "gtin 08936012340013 san-pham-mau" in (root / "published-ids.txt").read_text(encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "published")
    return root, git


def _errors(run_cli, root) -> list[str]:
    out = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).output
    return [line for line in out.splitlines() if ": error:" in line]


@pytest.mark.parametrize("how", ["removed", "changed", "given to a new product", "manifest line deleted too"])
def test_a_published_gtin_stays_with_its_product(tmp_path, run_cli, how):
    """Probe, round six: a pull request took a revoked product's GTIN away and gave it to a new
    valid product — every label printed for the revoked one (01/<GTIN>) then opened a valid page;
    removing it sent them to a 404. Validate said nothing."""
    root, git = _published(tmp_path, run_cli)
    path = root / PRODUCT
    text = path.read_text(encoding="utf-8")
    if how == "changed":
        path.write_text(text.replace('gtin: "8936012340013"', 'gtin: "8936012340020"'), encoding="utf-8")
    else:
        path.write_text(text.replace('gtin: "8936012340013"\n', ""), encoding="utf-8")
    if how == "given to a new product":
        new = root / "products/lai-chau/san-pham-moi.yaml"
        new.write_text(text.replace("id: san-pham-mau", "id: san-pham-moi").replace("Sản phẩm mẫu", "Sản phẩm mới"), encoding="utf-8")
    if how == "manifest line deleted too":
        manifest = root / "published-ids.txt"
        manifest.write_text(manifest.read_text(encoding="utf-8").replace("gtin 08936012340013 san-pham-mau\n", ""), encoding="utf-8")
    errors = [e for e in _errors(run_cli, root) if "[published-gtin-changed]" in e]
    assert len(errors) == 1, _errors(run_cli, root)
    assert errors[0].startswith(f"{PRODUCT}:") and "Mã vạch GTIN 8936012340013 của sản phẩm san-pham-mau đã được công bố" in errors[0]
    assert "01/08936012340013" in errors[0] and 'giữ gtin: "8936012340013"' in errors[0]


def test_a_renamed_product_keeps_its_gtin_and_passes(tmp_path, run_cli):
    root, git = _published(tmp_path, run_cli)
    path = root / PRODUCT
    text = path.read_text(encoding="utf-8")
    path.unlink()
    (root / "products/lai-chau/san-pham-mau-moi.yaml").write_text(
        text.replace("id: san-pham-mau\n", "id: san-pham-mau-moi\nformer_ids: [san-pham-mau]\n"), encoding="utf-8")
    assert not [e for e in _errors(run_cli, root) if "published-" in e]


def test_the_summary_names_a_revocation_a_rename_leaves_behind_and_moved_endings(tmp_path, run_cli):
    """Probe, round six: renaming a revoked product without its revocation was summarised only as
    "renamed"; pushing the revocation's effective date to 2099, or taking the GTIN away, as "no
    change to stars, certificate or status"."""
    root, git = _published(tmp_path, run_cli)
    path = root / PRODUCT
    text = path.read_text(encoding="utf-8")
    revoked = text.replace("  valid_until:", "  revocation:\n    decision: {number: 2210/QĐ-UBND, date: '2026-09-15'}\n"
                                             "    deciding_body: {level: province, name: UBND tỉnh Lai Châu}\n"
                                             "    reason: Không duy trì tiêu chí\n    effective_from: '2026-10-01'\n  valid_until:", 1)
    path.write_text(revoked, encoding="utf-8")
    git("commit", "-qam", "revoked")
    path.write_text(revoked.replace("effective_from: '2026-10-01'", "effective_from: '2028-08-01'"), encoding="utf-8")
    out = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat()).output
    assert "Sửa ngày hiệu lực của việc thu hồi Sản phẩm mẫu: 01/10/2026 → 01/08/2028." in out, out
    path.write_text(revoked.replace("effective_from: '2026-10-01'", "effective_from: '2099-10-01'"), encoding="utf-8")
    assert [e for e in _errors(run_cli, root) if "[revocation-after-lapse]" in e] == [
        f"{PRODUCT}:32:21: error: certificate.revocation.effective_from: Thu hồi có hiệu lực từ ngày '2099-10-01', sau khi "
        "giấy chứng nhận 1/GCN-UBND đã hết hiệu lực (đến hết ngày 31/08/2028): quyết định thu hồi không còn gì để thu hồi. "
        "Kiểm tra lại ngày (thường là gõ nhầm năm), hoặc việc thu hồi thuộc giấy chứng nhận khác. [revocation-after-lapse]"]
    path.unlink()
    (root / "products/lai-chau/san-pham-mau-2.yaml").write_text(
        text.replace("id: san-pham-mau\n", "id: san-pham-mau-2\nformer_ids: [san-pham-mau]\n"), encoding="utf-8")
    out = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat()).output
    assert "Đổi mã sản phẩm san-pham-mau → san-pham-mau-2" in out and "Bỏ thu hồi giấy chứng nhận Sản phẩm mẫu" in out, out
    git("add", "-A")
    git("commit", "-qm", "renamed")
    moved = root / "products/lai-chau/san-pham-mau-2.yaml"
    moved.write_text(moved.read_text(encoding="utf-8").replace('gtin: "8936012340013"\n', ""), encoding="utf-8")
    out = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat()).output
    assert "Đổi mã GTIN Sản phẩm mẫu: 8936012340013 → (bỏ đi). Nhãn đã in với mã vạch 8936012340013 (địa chỉ " \
           "01/08936012340013) sẽ không còn dẫn tới sản phẩm này." in out, out


def test_an_earlier_certificate_revoked_after_it_had_lapsed_is_an_error(tmp_path, run_cli):
    """Probe, round six (the reviewer of the law): an earlier rating's revocation dated two years after
    that certificate lapsed was taken, and the feed announced it while the product was valid."""
    root = _shipped(tmp_path)
    path = root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('    valid_until: "2023-07-19"\n', '    valid_until: "2023-07-19"\n    revocation:\n'
                                 '      decision: {number: 990/QĐ-UBND, date: "2025-09-01"}\n'
                                 '      deciding_body: {level: province, name: UBND tỉnh Lai Châu}\n'
                                 '      reason: Vi phạm quy định ghi nhãn\n', 1), encoding="utf-8")
    errors = _errors(run_cli, root)
    assert len(errors) == 1 and "earlier_ratings[0].revocation.decision.date" in errors[0], errors
    assert "sau khi giấy chứng nhận 45/GCN-UBND đã hết hiệu lực (đến hết ngày 19/07/2023)" in errors[0]


def _shipped(tmp_path):
    """A copy of the shipped records (a data folder of its own)."""
    import shutil

    from tests.conftest import REPO

    root = tmp_path / "data"
    root.mkdir()
    for part in ("products", "producers", "sales_points", "villages", "images", "ocop.yaml"):
        (shutil.copytree if (REPO / part).is_dir() else shutil.copyfile)(REPO / part, root / part)
    return root


@pytest.mark.parametrize("numbered", [True, False])
def test_a_lot_made_under_an_earlier_certificate_gets_no_lot_label_and_its_page_names_that_certificate(
        tmp_path, run_cli, numbered):
    """Probe, round six (the reviewer of the law): a 2025 lot reprinted after a 2026 re-recognition
    bore the new number and stars, while its own page said its packs must carry the old number; and
    an earlier rating without its number was skipped, so the page said the packs must carry the
    current number — every genuine pack of that lot a fake by the page's own check."""
    root = _shipped(tmp_path)
    path = root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    text = path.read_text(encoding="utf-8").replace("lots:\n", "lots:\n  - id: L2023-01\n    produced_on: \"2023-01-10\"\n"
                                                               "    expires_on: \"2027-01-09\"\n", 1)
    if not numbered:
        text = text.replace("    certificate_number: 45/GCN-UBND\n", "")
    path.write_text(text, encoding="utf-8")
    assert _errors(run_cli, root) == []
    labels = run_cli("labels", "--root", root, "--out", tmp_path / "labels", "--lots", "--as-of", AS_OF.isoformat())
    assert labels.exit_code == 0, labels.output
    number = "45/GCN-UBND" if numbered else "(hồ sơ không ghi số)"
    assert (f"Không in nhãn cho lô L2023-01 của Chè Shan tuyết Sìn Hồ (che-shan-tuyet-sin-ho): lô làm ngày 10/01/2023, theo "
            f"giấy chứng nhận {number} (3 sao) trước đó, mà nhãn lô in giấy chứng nhận hiện hành — khác bao bì của lô. "
            "Nhãn lô chỉ in cho lô làm từ ngày 15/03/2024.") in labels.output, labels.output
    assert not (tmp_path / "labels/che-shan-tuyet-sin-ho/L2023-01").exists()
    assert (tmp_path / "labels/che-shan-tuyet-sin-ho/L2025-04/nhan.png").is_file()
    assert run_cli("build", "--root", root, "--out", tmp_path / "site", "--lang", "vi",
                   "--as-of", AS_OF.isoformat()).exit_code == 0
    page = (tmp_path / "site/01/08936012340013/10/L2023-01.html").read_text(encoding="utf-8")
    if numbered:
        assert ("Lô L2023-01 làm ngày 10/01/2023, khi giấy chứng nhận 45/GCN-UBND (3 sao) còn hiệu lực: số in trên bao bì "
                "của lô này phải là 45/GCN-UBND.") in page
    else:
        assert ("Lô L2023-01 làm ngày 10/01/2023, khi giấy chứng nhận 3 sao trước đó còn hiệu lực (hồ sơ không ghi số giấy "
                "đó): bao bì của lô này mang số của giấy chứng nhận đó, không phải 100/GCN-UBND.") in page
        product = (tmp_path / "site/01/08936012340013.html").read_text(encoding="utf-8")
        assert "giấy chứng nhận 3 sao (hồ sơ không ghi số) cho bao bì làm từ 20/07/2020 đến 19/07/2023" in product


def _codes(root, rel: str) -> list[tuple[str, str, str]]:
    from catalog.checks.validate import check

    return [(p.severity, p.code, p.field) for p in check(root, AS_OF).problems if p.file == rel]


def test_the_body_that_revokes_is_checked_like_the_one_that_recognised(tmp_path):
    """Probe, round six (the reviewer of the law): "UBND huyện Mèo Vạc" revoking in 2026, after districts
    were abolished, and a province's UBND revoking a ministry's 5★ certificate passed without a word."""
    root = _shipped(tmp_path)
    rel = "products/tuyen-quang/bo-kho-ha-giang.yaml"
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert _codes(root, rel) == [] or all(code != "deciding-body-ceased" for _, code, _ in _codes(root, rel))
    path.write_text(text.replace('      date: "2025-03-18"', '      date: "2025-10-01"'), encoding="utf-8")
    assert ("error", "deciding-body-ceased", "certificate.revocation.deciding_body.name") in _codes(root, rel)
    rel = "products/hai-phong/nuoc-mam-cat-hai.yaml"
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").replace(
        '  valid_until: "2027-11-19"\n', '  valid_until: "2027-11-19"\n  revocation:\n    decision: {number: 900/QĐ-UBND, date: "2026-10-01"}\n'
        '    deciding_body: {level: province, name: UBND thành phố Hải Phòng}\n    reason: Vi phạm ghi nhãn\n', 1), encoding="utf-8")
    assert ("warning", "revocation-body-level", "certificate.revocation.deciding_body.level") in _codes(root, rel), _codes(root, rel)


def test_an_added_file_that_cannot_be_read_is_named_in_the_summary(tmp_path, run_cli):
    """Probe, round six: of 21 hostile files a pull request added, the summary named the 4 that loaded."""
    root, git = _committed_root(tmp_path)
    (root / "products/lai-chau/x-anchor.yaml").write_text("id: x-anchor\nname: &a Tên\nother: *a\n", encoding="utf-8")
    (root / "products/lai-chau/x-tag.yaml").write_text("id: x-tag\nname: !!python/object/apply:os.system [id]\n", encoding="utf-8")
    out = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat()).output
    assert "Thêm tệp products/lai-chau/x-anchor.yaml: chưa đọc được: dòng 2:" in out, out
    assert "Thêm tệp products/lai-chau/x-tag.yaml: chưa đọc được" in out, out


def test_fmt_does_not_parse_a_record_too_large_to_be_one(tmp_path, run_cli):
    """Probe, round six: `ocop fmt --check` parsed a 56 MB "record" (75 s, 1.3 GB) and called it "cần chuẩn hoá"."""
    root, git = _committed_root(tmp_path)
    big = root / "products/lai-chau/x-big.yaml"
    big.write_text("id: x-big\nname: " + "a" * (600 * 1024) + "\n", encoding="utf-8")
    result = run_cli("fmt", "--root", root, "--check")
    assert "x-big.yaml: tệp quá lớn (600 KB; hồ sơ tối đa 512 KB), không chuẩn hoá" in result.output, result.output
    assert "cần chuẩn hoá: " + str(big) not in result.output
