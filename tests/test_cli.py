"""`ocop validate` as a province officer and a CI job use it."""

from __future__ import annotations

import hashlib
import json
import shutil

from .conftest import AS_OF, BASE, REPO


def tree_digest(root):
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
            h.update(str(p.stat().st_mtime_ns).encode())
    return h.hexdigest()


def copy_shipped(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    for name in ("ocop.yaml", "products", "producers", "sales_points", "villages", "images"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, root / name)
    return root


def test_shipped_dataset_is_clean_and_large_enough(run_cli):
    result = run_cli("validate", "--root", REPO, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "Đã kiểm tra 76 tệp: 0 lỗi, 4 cảnh báo."
    assert sum("[certificate-expiring]" in line for line in lines) == 2
    assert sum("[sales-point-lapsed-product]" in line for line in lines) == 1
    # a household without consent whose certificate prints its street "Khu 3" (issue #22, catalog/records/privacy.py)
    assert sum("[product-personal-data-unpublished]" in line for line in lines) == 1


def test_shipped_dataset_covers_what_the_issue_asks_for():
    from catalog.records.model import Status
    from catalog.checks.validate import check

    cat = check(REPO, AS_OF).catalogue
    products = cat.products.values()
    assert len(products) >= 40 and len(cat.producers) >= 15
    assert len(cat.sales_points) >= 6 and len(cat.villages) >= 5
    assert {p.data["classification"]["group"] for p in products} >= {
        "thuc-pham", "do-uong", "duoc-lieu", "thu-cong-my-nghe", "sinh-vat-canh", "du-lich"}
    assert any(p.data["classification"]["legal_basis"] == "1048/2019" for p in products)
    assert {p.stars for p in products} == {3, 4, 5}
    statuses = [p.status for p in products]
    assert statuses.count(Status.REVOKED) == 1 and statuses.count(Status.WITHDRAWN) == 1
    assert statuses.count(Status.EXPIRED) >= 3
    assert sum("gtin" in p.data for p in products) >= 3
    assert {p.folder for p in products} == {"lai-chau", "tuyen-quang", "dien-bien", "lang-son", "hai-phong"}
    assert cat.sample_data is True


def test_five_mistakes_give_five_precise_messages_in_one_run(tmp_path, run_cli):
    root = copy_shipped(tmp_path)
    product = root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    text = product.read_text(encoding="utf-8")
    text = text.replace("  stars: 4", "  stars: 5")  # 1: score 81 is a 4-star score; 2: 5 stars by a province
    text = text.replace("producer: htx-che-sin-ho", "producer: htx-che-sin-hoo")  # 3
    text = text.replace("shelf_life:", "shelflife:")  # 4
    product.write_text(text, encoding="utf-8")
    producer = root / "producers/lai-chau/htx-che-sin-ho.yaml"
    producer.write_text(producer.read_text(encoding="utf-8").replace("phone: \"0912400101\"", "phone: 0912 400 101"), encoding="utf-8")  # 5
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert [e.split(": error: ")[0] + " " + e.rsplit(" ", 1)[-1] for e in errors] == [
        "producers/lai-chau/htx-che-sin-ho.yaml:12:8 [bad-format]",
        "products/lai-chau/che-shan-tuyet-sin-ho.yaml:11:11 [missing-producer]",
        "products/lai-chau/che-shan-tuyet-sin-ho.yaml:19:1 [unknown-field]",
        "products/lai-chau/che-shan-tuyet-sin-ho.yaml:36:10 [score-stars-mismatch]",
        "products/lai-chau/che-shan-tuyet-sin-ho.yaml:42:12 [deciding-level]",
    ]
    assert "Có phải ý bạn là 'shelf_life'?" in result.output
    assert "Có phải ý bạn là 'htx-che-sin-ho'?" in result.output
    assert "'0912 400 101'" in result.output
    assert result.output.strip().splitlines()[-1] == "Đã kiểm tra 76 tệp: 5 lỗi, 4 cảnh báo."


def test_validate_never_writes(tmp_path, run_cli):
    root = copy_shipped(tmp_path)
    (root / "products/lai-chau/mien-dong-tam-duong.yaml").write_text("id: [broken\n", encoding="utf-8")
    before = tree_digest(root)
    run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    run_cli("validate", "--root", root, "--format", "json")
    assert tree_digest(root) == before


def test_json_and_github_formats(tmp_path, run_cli):
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    p = root / "products/lai-chau/san-pham-mau.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("  stars: 4", "  stars: bốn"), encoding="utf-8")
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["errors"] == 1 and doc["files"] == 5
    (problem,) = doc["problems"]
    assert problem | {"message": ""} == {
        "code": "wrong-type", "severity": "error", "file": "products/lai-chau/san-pham-mau.yaml",
        "line": 19, "column": 10, "field": "certificate.stars", "message": ""}
    gh = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--format", "github").stdout  # phases: stderr
    assert gh.startswith("::error file=products/lai-chau/san-pham-mau.yaml,line=19,col=10,title=certificate.stars [wrong-type]::")


def test_english_messages(tmp_path, run_cli):
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    p = root / "products/lai-chau/san-pham-mau.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("description:", "descripton:"), encoding="utf-8")
    out = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--lang", "en").output
    assert "Field 'descripton' is not part of the record format. Did you mean 'description'?" in out
    assert "Có phải" not in out
    assert "[unknown-field]" in out and "Checked 5 files: 2 errors, 0 warnings." in out


def test_bad_root_is_one_line_without_traceback(tmp_path, run_cli):
    result = run_cli("validate", "--root", tmp_path / "nope")
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_missing_config_is_reported(tmp_path, run_cli):
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    (root / "ocop.yaml").unlink()
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1 and "[missing-config]" in result.output


def test_bad_as_of_date(run_cli):
    result = run_cli("validate", "--root", REPO, "--as-of", "23/11/2026")
    assert result.exit_code == 2 and "NĂM-THÁNG-NGÀY" in result.output


def test_file_names_differing_only_in_case_are_reported(tmp_path):
    from catalog.checks.validate import check

    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    src = root / "products/lai-chau/san-pham-mau.yaml"
    (root / "products/dien-bien").mkdir()
    shutil.copyfile(src, root / "products/dien-bien/San-Pham-Mau.yaml")
    codes = {p.code for p in check(root, AS_OF).problems}
    assert "id-case-collision" in codes and "id-mismatch" in codes


def test_every_shipped_record_binds_its_schema_for_the_editor():
    for kind, folder in (("product", "products"), ("producer", "producers"),
                         ("sales_point", "sales_points"), ("village", "villages")):
        for path in (REPO / folder).rglob("*.yaml"):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            assert first == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json", path
            assert (path.parent / first.split("=", 1)[1]).resolve().is_file()


def test_config_is_checked_like_a_record(tmp_path, run_cli):
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    (root / "ocop.yaml").write_text("title: X\nbase_url: http://a.vn/\nsample_data: yes\n", encoding="utf-8")
    out = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).output
    assert "ocop.yaml:1:8: error: title:" in out and "[too-short]" in out
    assert "ocop.yaml:2:11: error: base_url:" in out
    assert "ocop.yaml:3:14: error: sample_data: Dữ liệu mẫu: cần true hoặc false, nhưng đã nhập 'yes'." in out


def test_the_ocop_command_flushes_everything_and_keeps_exit_codes(run_cli, tmp_path):
    """The real command (catalog.cli.run ends the process with os._exit after flushing): the same
    output as in-process, to a pipe, and exit 1 for data errors, 0 for a clean catalogue."""
    import subprocess
    import sys

    from .conftest import FIXTURES

    args = ["validate", "--root", str(FIXTURES / "invalid"), "--as-of", AS_OF.isoformat()]
    done = subprocess.run([sys.executable, "-m", "catalog.cli", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stdout == run_cli(*args).stdout and done.stdout.count("\n") > 60
    ok = subprocess.run([sys.executable, "-m", "catalog.cli", "validate", "--root", str(REPO), "--as-of",
                         AS_OF.isoformat()], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    usage = subprocess.run([sys.executable, "-m", "catalog.cli", "build", "--no-such-option"], capture_output=True,
                           text=True, timeout=120)
    assert usage.returncode == 2 and "--no-such-option" in usage.stderr


def test_problems_name_the_file_from_the_data_root_also_when_it_is_the_current_folder(run_cli, tmp_path, monkeypatch):
    """`ocop validate` with no --root (the current folder, as an officer runs it in the data
    repository): the file in each line is products/…, not a path with letters cut off."""
    root = copy_shipped(tmp_path)
    path = root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("producer: htx-che-sin-ho", "producer: htx-che-sin-hoo"),
                    encoding="utf-8")
    monkeypatch.chdir(root)
    result = run_cli("validate", "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1
    assert "products/lai-chau/che-shan-tuyet-sin-ho.yaml:11:11: error: producer:" in result.output
    files = [line.split(":", 1)[0] for line in result.output.splitlines() if ": error: " in line or ": warning: " in line]
    assert files and all(f.startswith(("products/", "producers/", "sales_points/", "villages/")) for f in files), files
    for as_given in (str(root), str(root) + "/", str(root / "products" / "..")):
        again = run_cli("validate", "--root", as_given, "--as-of", AS_OF.isoformat())
        assert "products/lai-chau/che-shan-tuyet-sin-ho.yaml:11:11: error: producer:" in again.output, as_given
