"""What the officer sees of `ocop intake` on her pull request (issue #26): the report comment, rendered
the way the git host renders a comment's Markdown, in headless Chromium, and kept as a screenshot for
CONTRIBUTING (docs/hinh/bao-cao-phu-luc.png is copied from test-artifacts/ after a run).

The git host cannot be reached from the tests, so the comment is rendered with Python-Markdown
(already installed with MkDocs; GitHub Flavored Markdown's fenced code, lists and headings are what the
report uses) in a page shaped like a comment. What is checked is what the officer must read in it: the
annex's name, each product imported with what it still needs, the rows skipped and why, and the
`ocop validate` lines — as text in the page, not only in the Markdown source.
"""

from __future__ import annotations

import html

import markdown
import pytest
from click.testing import CliRunner

from catalog.cli import main

from . import browser
from .conftest import AS_OF, REPO
from .test_intake import _repo, _upload

pytestmark = pytest.mark.skipif(not browser.available(), reason="needs Debian chromium + chromium-driver (tools/setup.sh test installs them)")

ANNEX = REPO / "tests" / "fixtures" / "import" / "lang-son-1234-2025.xlsx"  # tools/make_import_fixtures.py
ARTIFACTS = REPO / "test-artifacts"
COMMENT_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Bình luận</title><style>
body {{ font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; margin: 16px; }}
.comment {{ border: 1px solid #d1d9e0; border-radius: 6px; max-width: 880px; }}
.head {{ background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e; }}
.head b {{ color: #1f2328; }} .body {{ padding: 8px 16px; }}
h2 {{ font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }} h3 {{ font-size: 1.25em; }}
pre {{ background: #f6f8fa; border-radius: 6px; padding: 16px; overflow: auto; font: 12px/1.45 ui-monospace, monospace; white-space: pre; }}
code {{ background: #eff1f3; border-radius: 6px; padding: .2em .4em; font: 85% ui-monospace, monospace; }} pre code {{ background: none; padding: 0; }}
</style></head><body><div class="comment"><div class="head"><b>github-actions</b> <span>bot</span> đã bình luận</div>
<div class="body">{body}</div></div></body></html>"""


def test_the_report_comment_reads_as_the_officer_needs_it(tmp_path):
    root = _repo(tmp_path)
    (root / "intake").mkdir()
    (root / "intake" / "phu-luc-hong.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")  # a broken upload
    _upload(root, ANNEX)
    result = CliRunner().invoke(main, ["intake", "--root", str(root), "--base", "main", "--as-of", AS_OF.isoformat(),
                                       "--report", str(tmp_path / "bao-cao.md")])
    assert result.exit_code == 1, result.output  # the broken upload: not imported, the check goes red
    source = (tmp_path / "bao-cao.md").read_text(encoding="utf-8")
    page = tmp_path / "binh-luan.html"
    page.write_text(COMMENT_PAGE.format(body=markdown.markdown(source, extensions=["fenced_code", "sane_lists"])), encoding="utf-8")
    driver = browser.chrome(960, 1400)
    try:
        driver.get(page.as_uri())
        text = driver.execute_script("return document.body.innerText")
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(960, min(max(height + 40, 600), 4000))
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "bao-cao-phu-luc.png"))
    finally:
        driver.quit()
    assert "<!-- ocop-intake -->" not in text  # the mark the workflow finds its comment by stays hidden
    assert f"Phụ lục {ANNEX.name}" in text and "Phụ lục phu-luc-hong.xlsx: không nhập được" in text
    assert "Mật ong bạc hà Hữu Liên" in text or "mat-ong-bac-ha-huu-lien" in text
    assert "cần bổ sung: description (Giới thiệu sản phẩm)" in text  # what each record still needs
    assert "Còn phải sửa (ocop validate)" in text and "products/lang-son/" in text
    assert html.escape("<") not in text  # nothing shown escaped twice
