"""`ocop intake` on a scratch repository (issue #26): what the desk workflow runs on a pull request."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from catalog.cli import main
from catalog.staff.importer import describe, plan, summary
from catalog.staff.intake import COMMENT_MARK

from .conftest import AS_OF, REPO, copy_data

ANNEX = REPO / "tests" / "fixtures" / "import" / "lang-son-1234-2025.xlsx"  # made by tools/make_import_fixtures.py


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
                          capture_output=True, text=True, check=True).stdout


def _repo(tmp_path: Path) -> Path:
    root = copy_data(tmp_path)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "dữ liệu")
    _git(root, "checkout", "-qb", "nhap-phu-luc")
    return root


def _intake(root: Path, report: Path):
    return CliRunner().invoke(main, ["intake", "--root", str(root), "--base", "main", "--as-of", AS_OF.isoformat(),
                                     "--report", str(report)])


def test_an_annex_in_intake_becomes_records_on_the_branch_with_the_dry_run_words(tmp_path):
    root = _repo(tmp_path)
    (root / "intake").mkdir()
    (root / "intake" / ANNEX.name).write_bytes(ANNEX.read_bytes())
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "phụ lục tải lên")
    dry = plan(root, root / "intake" / ANNEX.name, as_of=AS_OF)
    words = [*describe(dry, root), summary(dry)]
    result = _intake(root, tmp_path / "bao-cao.md")
    assert result.exit_code == 0, result.output
    report = (tmp_path / "bao-cao.md").read_text(encoding="utf-8")
    assert report == result.output and report.startswith(COMMENT_MARK + "\n")
    assert "\n".join(words) in report  # the same words as `ocop import` without --write
    assert "cần bổ sung: description (Giới thiệu sản phẩm)" in report
    assert "Còn phải sửa (ocop validate)" in report  # descriptions to fill in the form
    status = _git(root, "status", "--porcelain")
    assert "products/lang-son/mat-ong-bac-ha-huu-lien.yaml" in status
    assert " D " not in status and "\nD " not in status  # nothing removed
    assert (root / "intake" / ANNEX.name).read_bytes() == ANNEX.read_bytes()  # the officer's annex stays
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "ocop intake")
    # re-running (the officer pushed again): the same records, nothing written twice
    again = _intake(root, tmp_path / "lan-hai.md")
    assert again.exit_code == 0, again.output
    assert "0 tạo mới, 0 công nhận lại, 0 cập nhật, 15 không đổi" in again.output
    assert _git(root, "status", "--porcelain") == ""


def test_a_record_saved_by_the_form_gets_its_comments_back_and_only_its_changed_lines_differ(tmp_path):
    import yaml

    root = _repo(tmp_path)
    path = root / "products" / "lai-chau" / "ban-du-lich-sin-suoi-ho.yaml"
    original = path.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    data["certificate"]["score"] = 78
    data["description"] += " Có chợ phiên cuối tuần."
    # as the form writes a record: no comments, its own order and quoting, long lines folded
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=60), encoding="utf-8")
    new = root / "producers" / "lai-chau" / "hkd-moi-tao.yaml"
    new.write_text("name: Hộ kinh doanh Mới Tạo\nid: hkd-moi-tao\nkind: household_business\n"
                   "address: {province: Lai Châu, commune: Xã Sìn Hồ}\n", encoding="utf-8")
    result = _intake(root, tmp_path / "bao-cao.md")
    assert result.exit_code == 0, result.output
    assert "products/lai-chau/ban-du-lich-sin-suoi-ho.yaml" in result.output
    diff = _git(root, "diff", "-U0", "--", str(path.relative_to(root)))
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(changed) == 4 and "+  score: 78" in changed, changed
    assert path.read_text(encoding="utf-8").startswith(original.split("\n", 2)[0] + "\n" + original.split("\n", 2)[1])
    assert new.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schemas/producer.schema.json\nid: hkd-moi-tao\n")
    assert CliRunner().invoke(main, ["fmt", "--root", str(root), "--check"]).exit_code == 0


def test_the_annex_is_not_published(tmp_path):
    from catalog.site.build import build

    root = _repo(tmp_path)
    (root / "intake").mkdir()
    (root / "intake" / "phu-luc-2026.csv").write_text("STT,Tên sản phẩm\n1,Chè\n", encoding="utf-8")
    build(root, tmp_path / "site", AS_OF)
    assert not [p for p in (tmp_path / "site").rglob("*") if "phu-luc" in p.name or p.suffix in (".csv", ".xlsx")
                and "phu-luc" in p.read_text(encoding="utf-8", errors="replace")]
    assert not (tmp_path / "site" / "intake").exists()
