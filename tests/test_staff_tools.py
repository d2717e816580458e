"""Staff tools: `ocop new` templates from the schema, `ocop fmt` keeps comments and is idempotent."""

from __future__ import annotations

import shutil

from catalog.staff.fmt import format_text
from catalog.staff.templates import template
from catalog.checks.validate import check

from .conftest import AS_OF, BASE, REPO


def test_new_creates_a_commented_template_that_must_be_filled(tmp_path, run_cli):
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    result = run_cli("new", "product", "--root", root, "--province", "Lai Châu", "--name", "Mật ong hoa ban")
    assert result.exit_code == 0, result.output
    path = root / "products/lai-chau/mat-ong-hoa-ban.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/product.schema.json")
    assert "id: mat-ong-hoa-ban" in text and "name: Mật ong hoa ban" in text and "  province: Lai Châu" in text
    assert "certificate.valid_until" in result.output  # says which fields are required
    problems = [p for p in check(root, AS_OF).problems if p.file.endswith("mat-ong-hoa-ban.yaml")]
    assert problems and {p.code for p in problems} <= {"empty-field", "wrong-type", "not-allowed-value"}
    assert any(p.field == "certificate.valid_until" and p.code == "empty-field" for p in problems)
    # the same name again (case, accents and spaces folded): refused, pointing at the record
    again = run_cli("new", "product", "--root", root, "--province", "lai-chau", "--name", "MẬT ONG  hoa ban")
    assert again.exit_code == 1 and "products/lai-chau/mat-ong-hoa-ban.yaml" in again.output
    assert not (root / "products/lai-chau/mat-ong-hoa-ban-2.yaml").exists()
    # a genuinely different product of the same name (another producer's honey): a free id
    other = run_cli("new", "product", "--root", root, "--province", "lai-chau", "--name", "Mật ong hoa ban", "--same-name-ok")
    assert (root / "products/lai-chau/mat-ong-hoa-ban-2.yaml").is_file() and other.exit_code == 0


def test_new_producer_refuses_a_twin_spelt_differently(tmp_path, run_cli):
    root = tmp_path / "r"
    shutil.copytree(BASE, root)  # has producers/lai-chau/htx-mau.yaml "Hợp tác xã Mẫu"
    result = run_cli("new", "producer", "--root", root, "--province", "lai-chau", "--name", "HTX mẫu")
    assert result.exit_code == 1 and "producers/lai-chau/htx-mau.yaml" in result.output


def test_filled_template_validates(tmp_path):
    """Every field of the schema is in the template: uncomment and fill, and it is a valid record."""
    text = template("producer", {"id": "htx-moi"})
    for field in ("registration_number", "representative", "phone", "email", "website", "location"):
        assert f"# {field}:" in text
    filled = (text.replace("name:\n", "name: Hợp tác xã Mới\n").replace("kind:\n", "kind: cooperative\n")
              .replace("  province:\n", "  province: Lai Châu\n").replace("  commune:\n", "  commune: Xã Sìn Hồ\n"))
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    (root / "producers/lai-chau/htx-moi.yaml").write_text(filled, encoding="utf-8")
    assert check(root, AS_OF).problems == []


def test_unknown_province_is_one_clear_line(tmp_path, run_cli):
    result = run_cli("new", "village", "--root", tmp_path, "--province", "Hà Giang")
    assert result.exit_code == 1 and "không phải tỉnh, thành phố hiện nay" in result.output


def test_fmt_is_idempotent_and_keeps_comments_and_values(tmp_path):
    messy = (
        "# đầu tệp\n"
        "name: yes   # tên lạ\n"
        "id: htx-lon-xon\n"
        "phone: 0912345678\n"
        "kind: cooperative\n"
        "address:\n"
        "  commune: Xã Sìn Hồ\n"
        "  # tỉnh hiện nay\n"
        "  province: Lai Châu\n"
        "location: {lon: 103.2, lat: 22.3}\n"
    )
    once = format_text(messy, "producer")
    assert format_text(once, "producer") == once
    assert once.index("id:") < once.index("name:") < once.index("kind:") < once.index("address:")
    assert 'name: "yes"' in once and 'phone: "0912345678"' in once  # would be misread by other YAML tools
    assert "lat: 22.3" in once and '"22.3"' not in once  # numbers stay plain where the schema wants numbers
    for comment in ("# đầu tệp", "# tên lạ", "# tỉnh hiện nay"):
        assert comment in once
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    path = root / "producers/lai-chau/htx-lon-xon.yaml"
    path.write_text(once.replace("name: \"yes\"", "name: Hợp tác xã Lộn Xộn"), encoding="utf-8")
    assert check(root, AS_OF).problems == []


def test_shipped_records_are_in_fmt_form(run_cli):
    result = run_cli("fmt", "--root", REPO, "--check")
    assert result.exit_code == 0, result.output


def test_fmt_check_lists_files_and_writes_nothing(tmp_path, run_cli):
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    before = (root / "products/lai-chau/san-pham-mau.yaml").read_bytes()
    result = run_cli("fmt", "--root", root, "--check")
    assert result.exit_code == 1 and "san-pham-mau.yaml" in result.output
    assert (root / "products/lai-chau/san-pham-mau.yaml").read_bytes() == before
    assert run_cli("fmt", "--root", root).exit_code == 0
    assert run_cli("fmt", "--root", root, "--check").exit_code == 0
    assert check(root, AS_OF).problems == []


def test_new_accepts_province_names_as_printed_and_says_where_a_former_one_went(tmp_path, run_cli):
    result = run_cli("new", "producer", "--root", tmp_path, "--province", "TP. Hải Phòng", "--name", "HTX Nước mắm Cát Hải")
    assert result.exit_code == 0 and (tmp_path / "producers/hai-phong").is_dir()
    result = run_cli("new", "producer", "--root", tmp_path, "--province", "Hà Giang")
    assert result.exit_code == 1 and 'từ 01/7/2025 thuộc "Tuyên Quang"' in result.output
    result = run_cli("new", "producer", "--root", tmp_path, "--province", "Lai Chau")
    assert result.exit_code == 1 and 'Có phải ý bạn là "Lai Châu"?' in result.output
