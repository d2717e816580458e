"""`ocop intake` on a scratch repository (issue #26): what the desk workflow runs on a pull request."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from catalog.checks.validate import check
from catalog.cli import main
from catalog.staff.importer import describe, plan, summary
from catalog.staff.intake import COMMENT_MARK

from .conftest import AS_OF, REPO, copy_data

ANNEX = REPO / "tests" / "fixtures" / "import" / "lang-son-1234-2025.xlsx"  # made by tools/make_import_fixtures.py


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
                          capture_output=True, text=True, check=True).stdout


def _repo(tmp_path: Path, branch: str = "nhap-phu-luc") -> Path:
    """A scratch repository of the shipped data, on a new branch off its one commit on main."""
    root = copy_data(tmp_path)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "dữ liệu")
    _git(root, "checkout", "-qb", branch)
    return root


def _upload(root: Path, annex: Path = ANNEX, message: str = "Add files via upload") -> None:
    """The annex uploaded through the git host's web page into intake/ and committed on the branch."""
    (root / "intake").mkdir(exist_ok=True)
    (root / "intake" / annex.name).write_bytes(annex.read_bytes())
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", message)


def _intake(root: Path, report: Path):
    return CliRunner().invoke(main, ["intake", "--root", str(root), "--base", "main", "--as-of", AS_OF.isoformat(),
                                     "--report", str(report)])


def test_an_annex_in_intake_becomes_records_on_the_branch_with_the_dry_run_words(tmp_path):
    root = _repo(tmp_path)
    _upload(root, message="phụ lục tải lên")
    dry = plan(root, root / "intake" / ANNEX.name, as_of=AS_OF)
    words = [*describe(dry, root), summary(dry)]
    result = _intake(root, tmp_path / "bao-cao.md")
    assert result.exit_code == 1, result.output  # the new records' descriptions are still to fill: errors (round seven)
    report = (tmp_path / "bao-cao.md").read_text(encoding="utf-8")
    assert report == result.output and report.startswith(COMMENT_MARK + "\n")
    from catalog.reference.escaping import markdown_inline

    # the same words as `ocop import` without --write, one list item per line (wrapped on GitHub)
    desk = [w.replace("--kind", "kind:") for w in words]  # on the git host an option goes into intake/<annex>.yaml
    items = [("    - " if w.startswith(" ") else "- ") + markdown_inline(w.strip()) for w in desk[:-1]]
    assert "\n".join(items + [f"- **{markdown_inline(desk[-1])}**"]) in report
    assert "cần bổ sung: description (Giới thiệu sản phẩm)" in report
    assert "Còn phải sửa (ocop validate)" in report  # descriptions to fill in the form
    # each record still to complete opens in the form on this very branch (ocop.yaml base_url)
    assert ("- [products/lang-son/mat-ong-bac-ha-huu-lien.yaml](https://ocop.example.vn/admin/?nhanh=nhap-phu-luc"
            "#/collections/products-lang-son/entries/mat-ong-bac-ha-huu-lien)") in report
    # only what this branch brought, and errors: the sample data's own warnings are not the officer's
    assert "products/lai-chau/thao-qua-say-kho.yaml" not in report and "certificate-expiring" not in report
    status = _git(root, "status", "--porcelain")
    assert "products/lang-son/mat-ong-bac-ha-huu-lien.yaml" in status
    assert " D " not in status and "\nD " not in status  # nothing removed
    assert (root / "intake" / ANNEX.name).read_bytes() == ANNEX.read_bytes()  # the officer's annex stays
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "ocop intake")
    # re-running (the officer pushed again): the same records, nothing written twice
    again = _intake(root, tmp_path / "lan-hai.md")
    assert again.exit_code == 1, again.output  # still the same errors to fix in the form
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


def _exit_expected(root: Path) -> int:
    """What `ocop intake` exits with once it has run: 1 while validate gives an error (round seven)."""
    return 1 if any(p.severity == "error" for p in check(root, AS_OF).problems) else 0


def _describe(root: Path, tmp_path: Path, title: str, body: str, *extra: str) -> dict:
    import json

    (tmp_path / "pr.json").write_text(json.dumps({"title": title, "body": body}, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["intake", "--root", str(root), "--base", "main", "--as-of", AS_OF.isoformat(),
                                       "--pr", str(tmp_path / "pr.json"), "--pr-out", str(tmp_path / "pr-moi.json"), *extra])
    assert result.exit_code == _exit_expected(root), result.output
    return json.loads((tmp_path / "pr-moi.json").read_text(encoding="utf-8"))


def _new_product_as_the_form_saves_it(root: Path, name: str) -> Path:
    """A product the form created: Decap's key order, no comments (what the editorial workflow commits)."""
    import yaml

    data = yaml.safe_load((root / "products" / "lai-chau" / "che-shan-tuyet-sin-ho.yaml").read_text(encoding="utf-8"))
    data.update(id="mat-ong-bac-ha-ban-lang", name=name, images=[])
    data.pop("lots", None)
    data.pop("former_ids", None)
    data["certificate"]["number"] = "315/GCN-UBND"
    path = root / "products" / "lai-chau" / "mat-ong-bac-ha-ban-lang.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return path


def test_a_form_pull_request_gets_a_vietnamese_title_and_description_naming_the_record(tmp_path):
    root = _repo(tmp_path)
    _new_product_as_the_form_saves_it(root, "Mật ong bạc hà Bản Lang")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Thêm Sản phẩm OCOP — Lai Châu: mat-ong-bac-ha-ban-lang (sửa trên trình duyệt, Lò Thị Hoa)")
    # what Decap's GitHub backend opens: the commit message as title, its fixed English body
    change = _describe(root, tmp_path, "Thêm Sản phẩm OCOP — Lai Châu: mat-ong-bac-ha-ban-lang (sửa trên trình duyệt, Lò Thị Hoa)",
                       "Automatically generated by Decap CMS")
    assert change["title"] == "Thêm sản phẩm Mật ong bạc hà Bản Lang (Lai Châu)"
    body = change["body"]
    assert body.startswith("<!-- ocop-mo-ta ") and "-->\n## Thêm sản phẩm Mật ong bạc hà Bản Lang (Lai Châu)\n" in body
    assert ("- **Thêm sản phẩm** Mật ong bạc hà Bản Lang — mã `mat-ong-bac-ha-ban-lang`, "
            "tệp `products/lai-chau/mat-ong-bac-ha-ban-lang.yaml`") in body
    assert "- Thêm sản phẩm Mật ong bạc hà Bản Lang (mat-ong-bac-ha-ban-lang), " in body  # ocop diff's sentence
    # the next push: our own text is ours to rewrite; unchanged → nothing to do
    assert _describe(root, tmp_path, change["title"], body) == {}
    # she then edits a producer on the same branch: title and description follow
    producer = root / "producers" / "lai-chau" / "htx-che-sin-ho.yaml"
    producer.write_text(producer.read_text(encoding="utf-8").replace("\nname: ", "\nname: Hợp tác xã ", 1)
                        if "\nname: HTX" in producer.read_text(encoding="utf-8") else
                        producer.read_text(encoding="utf-8") + "website: https://chesinho.example.vn\n", encoding="utf-8")
    again = _describe(root, tmp_path, change["title"], body)
    assert again["title"] == "Thêm 1 sản phẩm, sửa 1 chủ thể (Lai Châu)"
    assert "**Sửa chủ thể**" in again["body"] and "`producers/lai-chau/htx-che-sin-ho.yaml`" in again["body"]


def test_what_the_officer_wrote_herself_is_kept():
    from catalog.staff.intake import _marked, pull_request_update

    title, body = "Thêm sản phẩm Mật ong bạc hà Bản Lang (Lai Châu)", _marked("## Thêm sản phẩm Mật ong bạc hà Bản Lang (Lai Châu)\n")
    assert pull_request_update({"title": "Bổ sung mật ong Bản Lang theo QĐ 2015", "body": "Em gửi anh Tuấn duyệt giúp."},
                               title, body) == {}
    # her own description, a machine title (GitHub's upload, a branch patch-1, Decap's default): only the title
    for machine in ("Patch 1", "Add files via upload", "Update products/lai-chau/x.yaml", "Create Products “mat-ong”"):
        assert pull_request_update({"title": machine, "body": "Em gửi anh Tuấn duyệt giúp."}, title, body) == {"title": title}
    # her own title, Decap's body (with GitHub's CRLF): only the description
    assert pull_request_update({"title": "Mật ong mới", "body": "Automatically generated by Decap CMS\r\n"}, title, body) == {"body": body}
    # she retitled after our description was written: her title stays, our description is updated
    ours = _marked("## Thêm sản phẩm Mật ong (Lai Châu)\n")
    assert pull_request_update({"title": "Mật ong Bản Lang — gấp", "body": ours}, title, body) == {"body": body}
    assert pull_request_update({"title": "Thêm sản phẩm Mật ong (Lai Châu)", "body": ours}, title, body) == {"title": title, "body": body}
    # she added a note to our description (the mark is invisible to her): the description is hers now
    noted = ours.replace("\n## Thêm", "\nEm nhờ anh Tuấn duyệt gấp, tỉnh cần trước 15/12.\n## Thêm")
    assert pull_request_update({"title": "Thêm sản phẩm Mật ong (Lai Châu)", "body": noted}, title, body) == {}


def test_an_annex_pull_request_is_named_after_the_annex_and_counts_its_records(tmp_path):
    root = _repo(tmp_path)
    _upload(root)
    change = _describe(root, tmp_path, "Add files via upload", "")
    # the annex's 15 rows: 13 new products, 2 re-recognised (their records changed), 10 new producers
    assert change["title"] == f"Nhập phụ lục {ANNEX.name}: thêm 13 sản phẩm, sửa 2 sản phẩm, thêm 10 chủ thể (Lạng Sơn)"
    body = change["body"]
    assert body.count("- **Thêm sản phẩm** ") == 13 and body.count("- **Sửa sản phẩm** ") == 2
    assert body.count("- **Thêm chủ thể** ") == 10
    assert f"Phụ lục đã nhập (giữ trong `intake/`, không công bố): `{ANNEX.name}`" in body


def test_a_long_annex_name_is_shortened_not_the_counts(tmp_path):
    """A file name as offices write them ("Phụ lục kèm theo Quyết định số … về việc công nhận …"): the
    title keeps the counts and the province; the name is shortened in its middle, extension kept."""
    long = tmp_path / ("Phu luc kem theo Quyet dinh so 1234-QD-UBND ngay 15 thang 11 nam 2025 cua UBND tinh Lang Son "
                       "ve viec cong nhan san pham dat chuan OCOP tinh Lang Son nam 2025 dot 2 (ban chinh thuc)" + ANNEX.suffix)
    long.write_bytes(ANNEX.read_bytes())
    root = _repo(tmp_path)
    _upload(root, long)
    title = _describe(root, tmp_path, "Add files via upload", "")["title"]
    assert len(title) <= 200 and "…" in title
    assert title.startswith("Nhập phụ lục Phu luc kem theo Quyet dinh so 1234-QD-UBND")
    assert title.endswith(f"{ANNEX.suffix}: thêm 13 sản phẩm, sửa 2 sản phẩm, thêm 10 chủ thể (Lạng Sơn)")


def test_a_hostile_name_stays_text_in_the_description(tmp_path):
    root = _repo(tmp_path)
    _new_product_as_the_form_saves_it(root, "Mật ong [bấm vào đây](https://lừa.example) <!-- ẩn --> @admin")
    change = _describe(root, tmp_path, "Add files via upload", "")
    import re

    body = change["body"]
    assert not re.search(r"(?<!\\)\]\(", body) and "<!--" not in body.split("\n", 1)[1]  # no link, no hidden rest
    # escaped, and nothing GitHub would turn into a link or a mention (a word joiner breaks each)
    assert "Mật ong \\[bấm vào đây\\](https\u2060://lừa.example) &lt;!-- ẩn --&gt; @\u2060admin" in body
    assert "\n" not in change["title"] and change["title"].startswith("Thêm sản phẩm Mật ong [bấm vào đây]")


def test_pr_out_needs_a_base(tmp_path):
    root = _repo(tmp_path)
    result = CliRunner().invoke(main, ["intake", "--root", str(root), "--pr-out", str(tmp_path / "x.json")])
    assert result.exit_code == 2 and "--pr-out cần --base" in result.output and not (tmp_path / "x.json").exists()


def test_an_annex_uploaded_outside_intake_is_moved_there_and_imported(tmp_path):
    """"Upload files" on the repository's first page puts the annex at the top; in a province folder
    when the officer was looking at it. The desk moves each into intake/ (staged, so the desk's own
    commit step carries the move), imports it and says so; the desk workflow runs for such uploads."""
    import yaml

    root = _repo(tmp_path)
    (root / ANNEX.name).write_bytes(ANNEX.read_bytes())
    (root / "products" / "lang-son" / "Phụ lục đợt 2.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "products" / "lang-son" / "ghi-chu.txt").write_text("không phải phụ lục", encoding="utf-8")
    (root / "danh sach.csv").write_text("STT,Ten\n1,Che\n", encoding="utf-8")  # a table without the columns
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add files via upload")
    report = _intake(root, tmp_path / "bao-cao.md").output + (tmp_path / "bao-cao.md").read_text(encoding="utf-8")
    assert "- intake/danh sach.csv: thiếu cột" in report  # the repository's path, not the runner's folder
    assert f"`{ANNEX.name}` được tải lên ngoài thư mục `intake/`: máy đã chuyển nó vào `intake/{ANNEX.name}`" in report
    assert f"### Phụ lục `{ANNEX.name}`" in report and "Dòng 10: tạo mới products/lang-son/mat-ong-bac-ha-huu-lien.yaml" in report
    assert "PDF không đọc được thành bảng" in report  # moved too, then answered like any file in intake/
    assert not (root / ANNEX.name).exists() and (root / "intake" / ANNEX.name).read_bytes() == ANNEX.read_bytes()
    assert (root / "products" / "lang-son" / "ghi-chu.txt").exists()  # not an annex: left where it is
    staged = _git(root, "diff", "--cached", "--name-status", "-M")
    assert f"R100\t{ANNEX.name}\tintake/{ANNEX.name}" in staged
    # the desk workflow's commit step (without its push) commits the move with the records
    steps = yaml.safe_load((REPO / ".github/workflows/ban-lam-viec.yml").read_text(encoding="utf-8"))["jobs"]["desk"]["steps"]
    script = next(s["run"] for s in steps if s.get("name") == "Ghi hồ sơ vào nhánh của pull request")
    script = "\n".join(line for line in script.splitlines() if not line.strip().startswith("git push"))
    ran = subprocess.run(["bash", "-e", "-c", script], cwd=root, capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert ran.returncode == 0, ran.stderr
    assert _git(root, "status", "--porcelain", "--", ".", ":!products/lang-son/ghi-chu.txt") == ""
    assert f"intake/{ANNEX.name}" in _git(root, "show", "--name-only", "--format=", "HEAD")
    triggers = yaml.safe_load((REPO / ".github/workflows/ban-lam-viec.yml").read_text(encoding="utf-8"))
    paths = (triggers.get("on") or triggers[True])["pull_request"]["paths"]
    assert "*.xlsx" in paths and "*.docx" in paths and "products/**" in paths


def test_a_link_uploaded_as_an_annex_is_not_moved(tmp_path):
    root = _repo(tmp_path)
    (tmp_path / "bi-mat.xlsx").write_bytes(ANNEX.read_bytes())
    (root / "phu-luc.xlsx").symlink_to(tmp_path / "bi-mat.xlsx")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add files via upload")
    _intake(root, tmp_path / "bao-cao.md")
    assert (root / "phu-luc.xlsx").is_symlink() and not (root / "intake").exists()


def test_a_mapping_written_as_a_list_is_read_as_meant_and_any_other_shape_refused(tmp_path):
    """intake/<annex>.yaml with `mapping:` as a list ("- Tên SP: name", as one writes a list in a word
    processor) used to be ignored without a word, so the columns stayed unread."""
    from catalog.staff.intake import _options

    annex = tmp_path / "phu-luc.xlsx"
    annex.write_bytes(b"")
    side = tmp_path / "phu-luc.xlsx.yaml"
    side.write_text("decision: 1234/QĐ-UBND\nmapping:\n  - Tên SP: name\n  - Cơ sở: producer\n", encoding="utf-8")
    options, mapping_file = _options(annex)
    assert options == {"decision": "1234/QĐ-UBND"} and mapping_file is not None
    assert mapping_file.read_text(encoding="utf-8") == "Cơ sở: producer\nTên SP: name\n"
    mapping_file.unlink()
    root = _repo(tmp_path)
    (root / "intake").mkdir()
    (root / "intake" / f"{ANNEX.name}.yaml").write_text("mapping: Tên SP = name\n", encoding="utf-8")
    _upload(root)
    report = (_intake(root, tmp_path / "bao-cao.md"), (tmp_path / "bao-cao.md").read_text(encoding="utf-8"))[1]
    assert f"### Phụ lục `{ANNEX.name}`: không nhập được" in report
    assert "mapping: cần các dòng thụt vào dạng 'Tiêu đề cột: tên trường'" in report


def test_an_alias_bomb_in_the_annex_options_is_refused_at_once(tmp_path):
    from catalog.reference.errors import CatalogError
    from catalog.staff.intake import _options

    annex = tmp_path / "phu-luc.xlsx"
    annex.write_bytes(b"")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9)) + "mapping: *j\n"
    (tmp_path / "phu-luc.xlsx.yaml").write_text(bomb, encoding="utf-8")
    try:  # refused before anything is expanded (expanding it takes minutes and gigabytes)
        _options(annex)
        raise AssertionError("not refused")
    except CatalogError as exc:
        assert "neo/bí danh" in str(exc)


def test_the_column_mapping_is_never_written_through_a_planted_link(tmp_path):
    from catalog.staff.intake import _options

    annex = tmp_path / "intake" / "phu-luc.xlsx"
    annex.parent.mkdir()
    annex.write_bytes(b"")
    (annex.parent / "phu-luc.xlsx.yaml").write_text("mapping:\n  Tên SP: name\n", encoding="utf-8")
    victim = tmp_path / "khoa-rieng"
    victim.write_text("bí mật", encoding="utf-8")
    (annex.parent / ".phu-luc.xlsx.yaml.mapping").symlink_to(victim)  # where the mapping used to be written
    _, mapping_file = _options(annex)
    assert victim.read_text(encoding="utf-8") == "bí mật"
    assert mapping_file is not None and not mapping_file.is_relative_to(tmp_path)
    mapping_file.unlink()


def test_an_annex_that_is_a_link_is_never_read(tmp_path):
    """A branch can commit a link: intake/phu-luc.csv → any file of the machine running the desk.
    Read, its lines would be echoed in the report posted on the pull request."""
    secret = tmp_path / "bi-mat.csv"
    secret.write_text("Tên sản phẩm,Chủ thể,Hạng sao\nMÃ-BÍ-MẬT-123,x,4\n", encoding="utf-8")
    root = _repo(tmp_path)
    (root / "intake").mkdir()
    (root / "intake" / "phu-luc.csv").symlink_to(secret)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add files via upload")
    result = _intake(root, tmp_path / "bao-cao.md")
    report = result.output + (tmp_path / "bao-cao.md").read_text(encoding="utf-8")
    assert "MÃ-BÍ-MẬT-123" not in report and "là liên kết (symlink)" in report and result.exit_code == 1


def test_a_record_that_is_a_link_is_not_read_or_written_through(tmp_path):
    """A branch commits products/…/x.yaml as a link (to /dev/zero: reading never ends; to a file
    elsewhere) and plants the old temporary name `.x.yaml.intake` as a link: the desk reads neither
    and writes through neither."""
    root = _repo(tmp_path)
    (root / "products" / "lai-chau" / "vo-tan.yaml").symlink_to("/dev/zero")
    victim = tmp_path / "nan-nhan.txt"
    victim.write_text("giữ nguyên", encoding="utf-8")
    record = root / "products" / "lai-chau" / "che-shan-tuyet-sin-ho.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("\nname: ", "\nname:   ", 1), encoding="utf-8")
    (record.parent / f".{record.name}.intake").symlink_to(victim)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "sửa")
    _intake(root, tmp_path / "bao-cao.md")
    assert victim.read_text(encoding="utf-8") == "giữ nguyên"
    assert "\nname: Chè" in record.read_text(encoding="utf-8")  # the real record was restored, in place
