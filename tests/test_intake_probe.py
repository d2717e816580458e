"""`ocop intake` as an outside probe tried it (issue #26): each test was written failing against
ff6af2a, showing one real bug (its ``SHOWS:`` comment), and passes since the fix. GitHub's Markdown is
not available offline, so what a test checks is the Markdown source, read the way GitHub's renderer
(CommonMark + GFM autolinks + @mentions) reads it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from catalog.cli import main
from catalog.staff.intake import changed_records, pull_request_update

from .conftest import AS_OF, REPO, copy_data
from .test_intake import _git, _new_product_as_the_form_saves_it, _repo, _upload

ANNEX = REPO / "tests" / "fixtures" / "import" / "lang-son-1234-2025.xlsx"
GITHUB_COMMENT_MAX = 65536  # characters GitHub accepts in a comment or a pull request body (HTTP 422 beyond)


def _outside_fences(markdown: str) -> str:
    """The Markdown with its ```fenced``` blocks removed (their content is never markup)."""
    return re.sub(r"(?ms)^```[^\n]*\n.*?^```[ \t]*$", "", markdown)


def _outside_code(markdown: str) -> str:
    """Text GitHub renders as prose: no fenced blocks, no `code spans` (CommonMark pairs equal runs)."""
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", _outside_fences(markdown), flags=re.S)


def _intake(root: Path, tmp_path: Path, *extra: str) -> str:
    report = tmp_path / "bao-cao.md"
    result = CliRunner().invoke(main, ["intake", "--root", str(root), "--base", "main", "--as-of", AS_OF.isoformat(),
                                       "--report", str(report), *extra])
    assert result.exit_code in (0, 1) and not result.exception or isinstance(result.exception, SystemExit), result.output
    return report.read_text(encoding="utf-8")  # exit 1: a file in intake/ was not imported (the report says why)


def _pr(root: Path, tmp_path: Path, title: str = "Add files via upload", body: str = "") -> dict:
    (tmp_path / "pr.json").write_text(json.dumps({"title": title, "body": body}, ensure_ascii=False), encoding="utf-8")
    _intake(root, tmp_path, "--pr", str(tmp_path / "pr.json"), "--pr-out", str(tmp_path / "pr-moi.json"))
    return json.loads((tmp_path / "pr-moi.json").read_text(encoding="utf-8"))


def test_an_annex_file_name_cannot_put_markup_into_the_report_comment(tmp_path):
    # SHOWS: report() writes the annex's file name raw into "### Phụ lục `name`". A name with a
    # backtick closes the code span (a real link, a ping); a name with a line break (git allows it)
    # starts a heading of its own and "<!--" at a line start opens an HTML block that hides the rest
    # of the comment — the "Còn phải sửa (ocop validate)" errors included.
    root = _repo(tmp_path)
    (root / "intake").mkdir()
    (root / "intake" / "a` [bấm vào đây](https:evil.example) @octocat `.xlsx").write_bytes(ANNEX.read_bytes())
    (root / "intake" / "b\n## Đã duyệt, gộp ngay\n<!--.csv").write_text("x\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add files via upload")
    prose = _outside_fences(_intake(root, tmp_path))
    assert "](https:evil.example)" not in _outside_code(prose).replace("\\]", "")  # no link of the annex's making
    assert not re.search(r"(?m)^## Đã duyệt", prose)  # no heading of the annex's making
    assert not re.search(r"(?m)^<!--", prose.split("\n", 1)[1])  # nothing hidden after our own mark
    assert not re.search(r"(?<![\w`\\])@octocat", _outside_code(prose))  # nobody pinged


def test_a_form_saved_file_name_cannot_put_markup_into_the_report_comment(tmp_path):
    # SHOWS: the "đưa về định dạng chuẩn" list writes each restored file's path raw between backticks;
    # a record file whose name has a backtick (git and the form's upload allow it) makes a real link.
    import yaml

    root = _repo(tmp_path)
    data = yaml.safe_load((root / "products" / "lai-chau" / "che-shan-tuyet-sin-ho.yaml").read_text(encoding="utf-8"))
    data.update(id="che-moi", name="Chè mới")
    data.pop("gtin", None)
    hostile = root / "products" / "lai-chau" / "x` [click](https:evil.example) @octocat `.yaml"
    hostile.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True), encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Sửa")
    prose = _outside_fences(_intake(root, tmp_path))
    assert "](https:evil.example)" not in _outside_code(prose).replace("\\]", "")


def _annex_rows(n: int) -> str:
    """A Lạng Sơn annex of ``n`` rows shaped like the province's (title block, numbered columns)."""
    places = [("xã Hữu Liên", "huyện Hữu Lũng"), ("xã Thiện Thuật", "huyện Bình Gia"), ("xã Đội Cấn", "huyện Tràng Định"),
              ("xã Vũ Lễ", "huyện Bắc Sơn"), ("xã Mẫu Sơn", "huyện Lộc Bình")]
    goods = [("Mật ong", "Mật ong, mật khác và nông sản thực phẩm khác"), ("Na", "Rau, củ, quả, hạt tươi"),
             ("Rượu ngô", "Rượu trắng"), ("Tinh dầu quế", "Tinh dầu và dược liệu khác")]
    producers = ["Hợp tác xã Ong mật", "Tổ hợp tác Na quả", "Công ty TNHH Rượu", "Hộ kinh doanh Tinh dầu"]
    lines = ["UBND TỈNH LẠNG SƠN;;;;;CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM;;;;", ";;;;;Độc lập - Tự do - Hạnh phúc;;;;",
             "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT OCOP NĂM 2025;;;;;;;;;",
             "(Kèm theo Quyết định số 1234/QĐ-UBND ngày 15/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn);;;;;;;;;",
             "STT;Tên sản phẩm;Chủ thể;Địa chỉ;Số điện thoại;Nhóm sản phẩm;Hạng sao;Số GCN;Ngày cấp;Ghi chú"]
    for i in range(1, n + 1):
        xa, huyen = places[i % len(places)]
        good, group = goods[i % len(goods)]
        place = xa.split(" ", 1)[1]
        lines.append(f"{i};{good} {place} {i};{producers[i % len(producers)]} {place} {i};Thôn Nà {i}, {xa}, {huyen}, "
                     f"tỉnh Lạng Sơn;0912 345 {i:03d};{group};{3 + i % 2} sao;{300 + i}/GCN-UBND;15/08/2025;")
    return "\n".join(lines) + "\n"


def test_the_report_of_a_40_row_annex_fits_in_one_github_comment(tmp_path):
    # SHOWS: the report has no size bound: the sample 15-row annex already gives ~32,000 characters and a
    # 40-row one ~72,000 (500 rows: 831,354), past the 65,536 GitHub accepts for a comment, so the
    # workflow's "Đăng báo cáo" step fails with HTTP 422 and the officer gets no report at all.
    root = _repo(tmp_path)
    (root / "intake").mkdir()
    (root / "intake" / "phu-luc-40.csv").write_text(_annex_rows(40), encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add files via upload")
    report = _intake(root, tmp_path)
    assert "40 tạo mới" in report
    assert len(report) <= GITHUB_COMMENT_MAX, len(report)


def test_a_sales_point_path_in_the_description_shows_as_it_is(tmp_path):
    # SHOWS: pull_request_text puts markdown_inline(file) inside a `code span`, where GitHub does not
    # read backslash escapes: every sales point's file shows as `sales\_points/…` (and an id with _ or
    # * shows its backslashes too).
    root = _repo(tmp_path)
    path = root / "sales_points" / "lai-chau" / "diem-ocop-lai-chau-trung-tam.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nname: ", "\nname: Điểm bán mới — ", 1), encoding="utf-8")
    body = _pr(root, tmp_path)["body"]
    assert "`sales_points/lai-chau/diem-ocop-lai-chau-trung-tam.yaml`" in body, body


def test_a_name_in_the_description_pings_nobody_and_links_nowhere(tmp_path):
    # SHOWS: markdown_inline escapes links and HTML but not @mentions nor GFM autolinks: a product
    # named "… @octocat … www.lua-dao.example" makes the pull request description (posted by the bot)
    # notify user octocat and show a clickable link that is not ours.
    root = _repo(tmp_path)
    _new_product_as_the_form_saves_it(root, "Mật ong Bản Lang @octocat xem www.lua-dao.example")
    prose = _outside_code(_pr(root, tmp_path)["body"])
    assert not re.search(r"(?<![\w\\])@octocat", prose), prose
    assert not re.search(r"(?<![\w\\/])www\.lua-dao\.example", prose), prose


def test_a_note_the_officer_adds_to_the_machine_description_is_kept():
    # SHOWS: pull_request_update replaces any body that starts with DESCRIPTION_MARK. An officer who
    # edits the machine's description and adds a line of her own (the natural edit: the mark is
    # invisible) loses it on the next push, though the description says "máy giữ nguyên phần bạn viết".
    from catalog.staff.intake import DESCRIPTION_MARK

    ours = f"{DESCRIPTION_MARK}\n## Thêm sản phẩm Mật ong (Lai Châu)\n\n- **Thêm sản phẩm** Mật ong\n"
    hers = ours.replace("\n", "\r\n") + "\r\nEm nhờ anh Tuấn duyệt gấp, hạn nộp Sở 10/12.\r\n"
    change = pull_request_update({"title": "Thêm sản phẩm Mật ong (Lai Châu)", "body": hers},
                                 "Thêm sản phẩm Mật ong (Lai Châu)", ours + "- thêm một dòng\n")
    assert "anh Tuấn" in change.get("body", hers), change


def test_a_record_whose_name_is_invalid_is_not_called_none_in_the_description(tmp_path):
    # SHOWS: ocop diff's sentence under "Thay đổi trong danh mục" prints Python's None as the name of a
    # record whose name fails the schema (an annex cell of 300 characters): "Thêm sản phẩm None (id)".
    root = _repo(tmp_path)
    _new_product_as_the_form_saves_it(root, "Mật ong bạc hà Bản Lang " + "rất ngon " * 40)
    body = _pr(root, tmp_path)["body"]
    assert "None" not in body, body


def test_a_changed_record_with_a_vietnamese_file_name_is_seen(tmp_path):
    # SHOWS: changed_records reads `git diff --name-only` without -z / core.quotePath=false: git prints
    # a path with non-ASCII letters quoted ("products/lai-chau/ch\303\250-moi.yaml"), the is_file()
    # check fails and the record is neither restored nor counted as the branch's (its warnings vanish
    # from the report).
    root = _repo(tmp_path)
    src = root / "products" / "lai-chau" / "che-shan-tuyet-sin-ho.yaml"
    (root / "products" / "lai-chau" / "chè-mới.yaml").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Sửa")
    assert "products/lai-chau/chè-mới.yaml" in changed_records(root, "main")


def test_a_branch_named_in_vietnamese_still_gets_the_form_links(tmp_path):
    # SHOWS: BRANCH_PATTERN takes only ASCII letters, digits, ".", "_", "/", "-". An officer who names
    # the upload's branch "nhập-phụ-lục-lạng-sơn" (GitHub accepts it; Decap encodes it) gets no link,
    # and the fallback sentence sends her to admin/ on main, where the imported records do not exist.
    root = _repo(tmp_path, "nhập-phụ-lục-lạng-sơn")
    _upload(root)
    report = _intake(root, tmp_path)
    assert "/entries/mat-ong-bac-ha-huu-lien)" in report, report[-600:]


def test_two_cooperatives_of_two_communes_are_not_merged_into_one_producer(tmp_path):
    # SHOWS (importer, met through the desk): "Hợp tác xã Nông nghiệp Hữu Liên" (xã Hữu Liên, 0912 345 678)
    # and "Hợp tác xã Nông nghiệp Hữu Lũng" (another commune, another phone) are taken as one producer
    # ("gần giống … coi là một chủ thể", a warning buried in the dry run): the second product is written
    # with the first cooperative as its producer.
    root = _repo(tmp_path)
    head = _annex_rows(0)
    rows = ("1;Mật ong bạc hà;Hợp tác xã Nông nghiệp Hữu Liên;Thôn Làng Ào, xã Hữu Liên, huyện Hữu Lũng, tỉnh Lạng Sơn;"
            "0912 345 678;Mật ong, mật khác và nông sản thực phẩm khác;4 sao;401/GCN-UBND;15/08/2025;\n"
            "2;Na dai;Hợp tác xã Nông nghiệp Hữu Lũng;Thôn Đồng Tiến, xã Vân Nham, huyện Hữu Lũng, tỉnh Lạng Sơn;"
            "0987 999 111;Rau, củ, quả, hạt tươi;3 sao;402/GCN-UBND;15/08/2025;\n")
    (root / "intake").mkdir()
    (root / "intake" / "phu-luc.csv").write_text(head + rows, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add files via upload")
    _intake(root, tmp_path)
    import yaml

    producers = {yaml.safe_load(p.read_text(encoding="utf-8"))["producer"]
                 for p in (root / "products" / "lang-son").glob("*.yaml") if p.name in ("mat-ong-bac-ha.yaml", "na-dai.yaml")}
    assert len(producers) == 2, producers


def test_the_workflow_commits_the_import_in_a_repository_without_villages_or_sales_points(tmp_path):
    # SHOWS (.github/workflows/ban-lam-viec.yml, "Ghi hồ sơ vào nhánh của pull request"): the step runs
    # `git add -A products producers sales_points villages`; git stops with "fatal: pathspec 'villages'
    # did not match any files" (exit 128) in a province repository that has no villages/ (or
    # sales_points/) folder yet — git keeps no empty folder, and the importer writes only products and
    # producers. Nothing is committed, yet the report posted after it (if: always()) says
    # "Đã ghi 25 tệp vào nhánh này". The push itself is left out here (no network in tests).
    import subprocess

    import yaml

    steps = yaml.safe_load((REPO / ".github" / "workflows" / "ban-lam-viec.yml").read_text(encoding="utf-8"))["jobs"]["desk"]["steps"]
    script = next(s["run"] for s in steps if s.get("name") == "Ghi hồ sơ vào nhánh của pull request")
    script = "\n".join(line for line in script.splitlines() if not line.strip().startswith("git push"))
    root = _repo(tmp_path)
    _git(root, "checkout", "-q", "main")
    _git(root, "rm", "-rq", "villages", "sales_points")
    _git(root, "commit", "-qm", "chỉ có sản phẩm và chủ thể")
    _git(root, "checkout", "-q", "-B", "nhap-phu-luc")
    _upload(root)
    assert "Đã ghi 25 tệp vào nhánh này" in _intake(root, tmp_path)
    ran = subprocess.run(["bash", "-e", "-c", script], cwd=root, capture_output=True, text=True, timeout=60,
                         env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert ran.returncode == 0, ran.stderr
    assert _git(root, "status", "--porcelain", "--", "products", "producers") == ""  # all of it committed


def test_the_workflow_updates_only_its_own_report_comment(tmp_path):
    # SHOWS (.github/workflows/ban-lam-viec.yml, MINE): the report comment is found by its first line
    # only, whoever wrote it. On a public repository anyone may comment; a comment starting with
    # "<!-- ocop-intake -->" posted before the bot's first one is the one the workflow PATCHes: either
    # the bot rewrites that person's comment (a token with pull-requests: write may edit others'
    # comments) or the PATCH fails and the officer gets no report. The filter should also require
    # the author github-actions[bot].
    import shutil
    import subprocess

    import pytest
    import yaml

    if shutil.which("jq") is None:
        pytest.skip("needs jq")
    steps = yaml.safe_load((REPO / ".github" / "workflows" / "ban-lam-viec.yml").read_text(encoding="utf-8"))["jobs"]["desk"]["steps"]
    mine = next(s["env"]["MINE"] for s in steps if s.get("name") == "Đăng báo cáo vào pull request")
    comments = [{"id": 11, "user": {"login": "nguoi-la", "type": "User"}, "body": "<!-- ocop-intake -->\nĐã duyệt, gộp ngay."},
                {"id": 12, "user": {"login": "github-actions[bot]", "type": "Bot"}, "body": "<!-- ocop-intake -->\n## Kết quả …"}]
    found = subprocess.run(["jq", "-r", mine], input=json.dumps(comments), capture_output=True, text=True, timeout=30, check=True)
    assert found.stdout.split()[:1] == ["12"], found.stdout


def test_an_annex_already_merged_is_not_imported_again_into_an_unrelated_pull_request(tmp_path):
    # SHOWS: the annex stays in intake/ after its pull request is merged (by design), and `ocop intake`
    # imports EVERY annex in intake/ on every run. A later, unrelated pull request (an officer fixes a
    # Lai Châu description in the form) gets the old Lạng Sơn annex imported again: a product removed
    # on main since is written back, a star rating corrected on main is put back to the annex's value,
    # the workflow commits both onto her branch and retitles her pull request "Nhập phụ lục …: sửa 2
    # sản phẩm, thêm 1 sản phẩm (Lai Châu, Lạng Sơn)". Merging it silently undoes the corrections.
    root = _repo(tmp_path)
    _upload(root)
    _intake(root, tmp_path)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Nhập phụ lục (ocop intake)")
    _git(root, "checkout", "-q", "main")
    _git(root, "merge", "-q", "--no-ff", "nhap-phu-luc", "-m", "Merge pull request #1")
    # on main, after review: one product taken out, one star rating corrected
    _git(root, "rm", "-q", "products/lang-son/na-huu-lung.yaml")
    honey = root / "products" / "lang-son" / "mat-ong-bac-ha-huu-lien.yaml"
    honey.write_text(honey.read_text(encoding="utf-8").replace("\n  stars: 4\n", "\n  stars: 5\n", 1), encoding="utf-8")
    _git(root, "commit", "-qam", "Sửa sao theo quyết định đã ký; bỏ na Hữu Lũng")
    # a later pull request: a description fixed in the form, in another province
    _git(root, "checkout", "-qb", "sua-mo-ta")
    tea = root / "products" / "lai-chau" / "che-shan-tuyet-sin-ho.yaml"
    tea.write_text(re.sub(r"(?m)^description: .*$", "description: Chè Shan tuyết cổ thụ Sìn Hồ, sao tay.", tea.read_text(encoding="utf-8"), count=1),
                   encoding="utf-8")
    _git(root, "commit", "-qam", "Sửa Sản phẩm OCOP — Lai Châu: che-shan-tuyet-sin-ho (sửa trên trình duyệt, Lò Thị Hoa)")
    _intake(root, tmp_path)
    assert _git(root, "status", "--porcelain", "--", "products/lang-son", "producers/lang-son") == ""


def test_every_form_link_names_a_collection_the_published_form_has(tmp_path):
    # SHOWS: the published admin/ (built from main) has collections only for the provinces main has
    # records in (build.py: province_folders(found=…)). In a repository holding several provinces, the
    # first annex of a new province (Lạng Sơn here) gets links to "products-lang-son", which the form
    # does not have: each link opens Decap's "collection not found" instead of the record.
    import shutil

    from catalog.publish import cms
    from catalog.site.build import build

    root = copy_data(tmp_path)
    for kind in ("products", "producers", "sales_points", "villages"):
        shutil.rmtree(root / kind / "lang-son", ignore_errors=True)
    remaining = " ".join(p.read_text(encoding="utf-8") for kind in ("products", "producers", "sales_points", "villages")
                         for p in (root / kind).rglob("*.yaml"))
    ids = root / "published-ids.txt"  # ids never published yet: the province is new to this repository
    ids.write_text("".join(line for line in ids.read_text(encoding="utf-8").splitlines(keepends=True)
                           if line.startswith("#") or not line.split() or line.split()[-1] in remaining), encoding="utf-8")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "dữ liệu (chưa có Lạng Sơn)")
    build(root, tmp_path / "site", AS_OF)  # what deploy.yml publishes from main
    published = {c["name"] for c in json.loads((tmp_path / "site" / cms.ADMIN_DIR / cms.CONFIG_JSON).read_text(encoding="utf-8"))["collections"]}
    _git(root, "checkout", "-qb", "nhap-phu-luc")
    _upload(root)
    report = _intake(root, tmp_path)
    linked = set(re.findall(r"#/collections/([^/]+)/entries/", report))
    assert linked <= published, sorted(linked - published)
    # (lead) no link to a collection the form lacks; the report says when the form will have it
    assert "Tỉnh mới trong kho (Lạng Sơn): biểu mẫu trên trang chỉ có mục cho tỉnh này sau khi pull request" in report


def test_an_annex_not_imported_is_not_called_ready_to_merge_and_the_fix_is_the_desk_s(tmp_path):
    # SHOWS: an annex whose title block gives no decision is refused ("không nhập được"), and the
    # same comment ends "`ocop validate`: không còn lỗi nào. Hồ sơ sẵn sàng để duyệt và gộp." — the
    # check is green and a reviewer is told to merge a pull request that imported nothing. The refusal
    # tells her to use "--decision" / "--mapping cot.yaml" (command-line options she has no way to
    # give) instead of the desk's way, a file intake/<annex name>.yaml with "decision: …".
    root = _repo(tmp_path)
    (root / "intake").mkdir()
    (root / "intake" / "phu-luc.csv").write_text(_annex_rows(3).replace(
        "(Kèm theo Quyết định số 1234/QĐ-UBND ngày 15/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn);;;;;;;;;\n", ""), encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add files via upload")
    report = _intake(root, tmp_path)
    assert "không nhập được" in report
    assert "sẵn sàng để duyệt và gộp" not in report
    assert "intake/phu-luc.csv.yaml" in report and "--decision" not in report


def test_an_alias_bomb_on_a_branch_is_refused_quickly_by_intake(tmp_path):
    # SHOWS: catalog/records/loader.py refuses anchors and aliases ("so no alias bombs") and
    # `ocop validate` rejects this file in under a second, but `ocop intake` first restores the
    # changed records with catalog/staff/fmt.py (restore_text → format_text → _normalise), which walks
    # the alias graph: 10 levels of 10 aliases are 10^10 nodes, and the desk job (and `ocop fmt
    # --check`) runs until it is killed — no report, no check. Bounded here by a 30-second timeout.
    import subprocess
    import sys

    root = _repo(tmp_path)
    lines = ["id: che-shan-tuyet-sin-ho", "name: Chè", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    (root / "products" / "lai-chau" / "che-shan-tuyet-sin-ho.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _git(root, "commit", "-qam", "bom")
    try:
        ran = subprocess.run([sys.executable, "-m", "catalog.cli", "intake", "--root", str(root), "--base", "main",
                              "--as-of", AS_OF.isoformat()], capture_output=True, text=True, timeout=30, cwd=REPO)
    except subprocess.TimeoutExpired:
        raise AssertionError("ocop intake still running after 30 s on a 10^10-node alias bomb") from None
    assert "che-shan-tuyet-sin-ho.yaml" in ran.stdout + ran.stderr


def test_a_record_nested_too_deep_gives_a_report_not_a_traceback(tmp_path):
    # SHOWS: a record on the branch nested 3,000 levels deep ("x: [[[[…]]]]"): `ocop validate` refuses it
    # in one line ("quá sâu"), but `ocop intake` (restore_records → fmt.restore_text, ruamel's parser)
    # stops with "RecursionError: maximum recursion depth exceeded" and a Python traceback; no report
    # is written, so the officer's pull request gets no comment. restore_records catches only
    # YAMLError and UnicodeDecodeError. (`ocop fmt --check` tracebacks the same way.)
    root = _repo(tmp_path)
    (root / "products" / "lai-chau" / "che-shan-tuyet-sin-ho.yaml").write_text(
        "id: che-shan-tuyet-sin-ho\nx: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    _git(root, "commit", "-qam", "sâu")
    result = CliRunner().invoke(main, ["intake", "--root", str(root), "--base", "main", "--as-of", AS_OF.isoformat(),
                                       "--report", str(tmp_path / "r.md")])
    assert not isinstance(result.exception, RecursionError), "traceback: RecursionError"
    assert (tmp_path / "r.md").is_file()


def test_a_record_with_only_warnings_is_linked_to_the_form_on_its_branch(tmp_path):
    # SHOWS: form links are made only for records with an error. A branch whose records have only
    # warnings (here the commune no longer matching the certificate's address) gets the fallback
    # "Mở từng hồ sơ trong trang sửa danh mục (admin/) để điền các trường còn thiếu", which opens the
    # form on main — not this branch — for a warning the officer can fix on the branch.
    root = _repo(tmp_path)
    path = root / "products" / "lai-chau" / "che-shan-tuyet-sin-ho.yaml"
    path.write_text(re.sub(r"(?m)^  text: .*$", "  text: Xã Sìn Hồ, huyện Sìn Hồ, tỉnh Lai Châu", path.read_text(encoding="utf-8"), count=1),
                    encoding="utf-8")
    _git(root, "commit", "-qam", "Sửa địa chỉ trên giấy chứng nhận")
    report = _intake(root, tmp_path)
    assert "products/lai-chau/che-shan-tuyet-sin-ho.yaml:" in report and ": warning: " in report
    assert "?nhanh=nhap-phu-luc#/collections/products-lai-chau/entries/che-shan-tuyet-sin-ho)" in report, report


def test_an_xls_annex_is_named_with_how_to_fix_it_not_ignored(tmp_path):
    # SHOWS: annexes() picks only .xlsx/.csv/.docx. An officer who uploads the annex as .xls (Excel
    # 97-2003, still what many provincial offices send) is told "Không có phụ lục nào trong thư mục
    # intake/" and "Hồ sơ sẵn sàng để duyệt và gộp", though `ocop import` on the same file says what to do
    # ("chỉ nhận .xlsx, .csv hoặc .docx. Mở tệp bằng Excel … Lưu thành → 'Excel Workbook (*.xlsx)'").
    root = _repo(tmp_path)
    (root / "intake").mkdir()
    (root / "intake" / "phu-luc-1234.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE2 header
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add files via upload")
    report = _intake(root, tmp_path)
    assert "phu-luc-1234.xls" in report and ".xlsx" in report
    assert "sẵn sàng để duyệt và gộp" not in report
