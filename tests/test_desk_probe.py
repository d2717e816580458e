"""The officer's desk (`ocop intake`) as an outside tester tried it after the uploads outside
``intake/`` began to be moved there (9de8f18) and the hostile-branch fixes (766d639). Each test was
written failing against 766d639 and shows one real bug (its ``SHOWS:`` line). The repositories are
made by the tests: the shipped records on ``main``, then what a branch adds or changes.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from catalog.cli import main

from .conftest import AS_OF, REPO
from .test_intake import _git, _repo

ANNEX = REPO / "tests" / "fixtures" / "import" / "lang-son-1234-2025.xlsx"  # made by tools/make_import_fixtures.py


def _intake(root: Path, tmp_path: Path, with_log: bool = False):
    """Run the desk as its workflow does; (exit code, report text or None[, what it printed]). Never a traceback."""
    report = tmp_path / "bao-cao.md"
    result = CliRunner().invoke(main, ["intake", "--root", str(root), "--base", "main", "--as-of", AS_OF.isoformat(),
                                       "--report", str(report)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    text = report.read_text(encoding="utf-8") if report.exists() else None
    return (result.exit_code, text, result.output) if with_log else (result.exit_code, text)


def _pdf(text: str) -> bytes:
    """A small one-page PDF as an office's scanner or word processor writes one (header, objects, trailer)."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    for n, obj in enumerate(objects, 1):
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    return bytes(out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def test_a_document_the_branch_only_changed_stays_where_it_is(tmp_path):
    """SHOWS: a pull request that updates a guide or a price list kept at the top of the repository
    (or in a record folder) had the file taken away into intake/ (`git mv`, committed by the desk's
    own step) and the check turned red with "PDF không đọc được thành bảng" — only files the branch
    itself added are uploads; the docstring of gather_uploads said so, the code took changed ones too."""
    root = _repo(tmp_path, branch="cap-nhat-huong-dan")
    _git(root, "checkout", "-q", "main")
    (root / "huong-dan-nhap-lieu.pdf").write_bytes(_pdf("Huong dan v1"))
    (root / "bang-gia-tham-khao.csv").write_text("Sản phẩm,Giá\nChè,120000\n", encoding="utf-8")
    (root / "products" / "lang-son" / "danh-sach-2024.csv").write_text("STT,Tên\n1,Hồi\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "tài liệu")
    _git(root, "checkout", "-qB", "cap-nhat-huong-dan", "main")  # the branch starts after the documents
    (root / "huong-dan-nhap-lieu.pdf").write_bytes(_pdf("Huong dan v2"))
    (root / "bang-gia-tham-khao.csv").write_text("Sản phẩm,Giá\nChè,125000\n", encoding="utf-8")
    (root / "products" / "lang-son" / "danh-sach-2024.csv").write_text("STT,Tên\n1,Hồi\n2,Quế\n", encoding="utf-8")
    _git(root, "commit", "-qam", "cập nhật tài liệu")
    code, report = _intake(root, tmp_path)
    assert code == 0, report
    for rel in ("huong-dan-nhap-lieu.pdf", "bang-gia-tham-khao.csv", "products/lang-son/danh-sach-2024.csv"):
        assert (root / rel).is_file(), rel
    assert not (root / "intake").exists()
    assert _git(root, "diff", "--cached", "--name-only") == ""
    assert report is not None and "được tải lên ngoài thư mục" not in report


def test_an_intake_that_is_a_file_is_said_in_the_report(tmp_path):
    """SHOWS: a branch with a file named `intake` (a note typed on the git host as "intake") and an
    annex uploaded at the top: FileExistsError, a traceback, no report posted on the pull request."""
    root = _repo(tmp_path)
    (root / "intake").write_text("phụ lục đợt 2 gửi sau\n", encoding="utf-8")
    (root / ANNEX.name).write_bytes(ANNEX.read_bytes())
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add files via upload")
    code, report = _intake(root, tmp_path)
    assert code == 1 and report is not None
    assert f"### Phụ lục `{ANNEX.name}`: không nhập được" in report and (root / ANNEX.name).is_file()  # left where she put it
    assert "intake là một tệp, không phải thư mục; xoá hoặc đổi tên intake" in report
    assert "sẵn sàng để duyệt và gộp" not in report


def test_a_hidden_annex_is_not_dropped_without_a_word(tmp_path):
    """SHOWS: an annex whose name starts with a dot (saved so by a phone, or ".xlsx" with the name
    erased) was moved into intake/ from the top, then skipped as hidden: "Không có phụ lục mới nào",
    "sẵn sàng để duyệt và gộp", a green check — and the decision's records never imported."""
    root = _repo(tmp_path)
    (root / ".phu-luc-dot-2.xlsx").write_bytes(ANNEX.read_bytes())
    (root / "intake").mkdir()
    (root / "intake" / ".csv").write_text("Tên sản phẩm,Chủ thể,Hạng sao\nChè,HTX Chè,4\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Add files via upload")
    code, report = _intake(root, tmp_path)
    assert code == 1 and report is not None
    assert "sẵn sàng để duyệt và gộp" not in report
    for name in (".phu-luc-dot-2.xlsx", ".csv"):
        assert f"### Phụ lục `{name}`: không nhập được\n\n- tên bắt đầu bằng dấu chấm (tệp ẩn)" in report, name


def test_many_uploads_keep_the_verdict_and_the_counts_in_the_comment(tmp_path):
    """SHOWS: 120 scanned dossiers uploaded at the top of the repository (two uploads of 60 files:
    GitHub's upload page takes 100 at a time) made a report of ~100,000 characters — a line per
    file moved and a section per file refused, neither capped — and the last guard cut its end:
    the comment lost "Chưa sẵn sàng để gộp" and every count, the officer saw no verdict."""
    root = _repo(tmp_path)
    kinds = ("Hợp tác xã Nông nghiệp và Dịch vụ Tổng hợp", "Công ty TNHH Thương mại và Sản xuất Nông sản",
             "Tổ hợp tác Sản xuất Chè Shan Tuyết")
    for n in range(120):
        name = f"Hồ sơ đánh giá phân hạng sản phẩm OCOP năm 2025 - {kinds[n % 3]} xã Hữu Liên số {n + 1:03d}.pdf"
        (root / name).write_bytes(_pdf(f"Ho so {n + 1}"))
        if n in (59, 119):
            _git(root, "add", "-A")
            _git(root, "commit", "-qm", "Add files via upload")
    code, report, log = _intake(root, tmp_path, with_log=True)
    assert code == 1 and report is not None
    assert len(report) <= 60_000  # GitHub refuses a comment over 65,536 characters
    assert report.rstrip("\n").endswith("**Chưa sẵn sàng để gộp:** 120 tệp trong `intake/` chưa nhập được (xem trên); "
                                         "sửa rồi tải lên lại cùng tên, cùng nhánh.")
    assert "bình luận đã cắt bớt" not in report  # the lists are capped, with their counts; nothing is cut blindly
    assert "… và 80 tệp khác được chuyển vào `intake/`" in report
    assert "… và 80 tệp khác không nhập được (tên và lý do của từng tệp: xem 120 dòng" in report
    assert log.count(": không nhập được — PDF không đọc được thành bảng") == 120  # the run's log names every one
