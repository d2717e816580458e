"""Issue #14, "data the validator must refuse or neutralise": text that is valid YAML but hostile.

The fixtures in fixtures/invalid (control-escape-*, control-character-and-more, gtin-block-scalar,
id-trailing-newline, status-lookalike) pin the validator's answers line by line; the tests here
follow such text to where it would have done harm: a pattern, a terminal, the job summary, the
spreadsheet, the page title.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess

import pytest

from catalog.reference.escaping import csv_cell, markdown_inline, visible
from catalog.records.schemas import python_pattern
from catalog.checks.validate import check

from .conftest import AS_OF, BASE

PRODUCT = "products/lai-chau/san-pham-mau.yaml"


def root_with(tmp_path, rel=PRODUCT, old=None, new=None, append=""):
    root = tmp_path / "r"
    if not root.exists():
        shutil.copytree(BASE, root)
    path = root / rel
    text = path.read_text(encoding="utf-8")
    if old is not None:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text + append, encoding="utf-8")
    return root


# --- patterns and single-line fields --------------------------------------------------------------

def test_every_schema_pattern_refuses_a_trailing_newline_in_both_validators():
    """JSON Schema's '$' is the end of the text; Python's also matches before a final newline. Both
    the jsonschema validator and the compiled fastjsonschema one must refuse 'value\\n' for every
    pattern of every schema (a value that matches is built with its example)."""
    from catalog.records.schemas import checking_schema, load_schema, schema_dir

    patterns = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                patterns.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(schema_dir().glob("*.schema.json")):
        walk(load_schema(path.name))
    assert len(patterns) >= 10
    for node in patterns:
        example = next(e for e in node.get("examples", []) + ["8936012340013", "2024-03-15"]
                       if re.search(node["pattern"], str(e)))
        translated = python_pattern(node["pattern"])
        assert re.search(translated, str(example)), node["pattern"]
        assert re.search(node["pattern"], f"{example}\n"), "Python's '$' accepts the newline (why this exists)"
        assert not re.search(translated, f"{example}\n"), node["pattern"]
    assert "$" not in json.dumps(checking_schema("definitions.schema.json")).replace("$ref", "").replace("$schema", "")


@pytest.mark.parametrize("field, old, new", [
    ("gtin", 'gtin: "8936012340013"', 'gtin: "8936012340013\\n"'),
    ("id", "id: san-pham-mau", 'id: "san-pham-mau\\n"'),
    ("certificate.decision.number", "    number: 100/QĐ-UBND", '    number: "100/QĐ-UBND\\n"'),
    ("certificate.decision.date", "    date: 2025-09-01", "    date: |\n      2025-09-01"),
    ("name", "name: Sản phẩm mẫu", 'name: "Sản phẩm\\tmẫu"'),
])
def test_single_line_fields_refuse_newlines_in_jsonschema_and_the_fast_path(tmp_path, field, old, new):
    from catalog.records.loader import load_file
    import fastjsonschema

    from catalog.records.schemas import coerce, fast_validator, is_valid_fast, load_schema, validator

    root = root_with(tmp_path, old=old, new=new)
    problems = [(p.code, p.field) for p in check(root, AS_OF).problems]
    assert problems == [("not-one-line", field)]
    if field != "name":  # a pattern field: both validators refuse the value on their own too
        data = coerce(load_file(root / PRODUCT).data, load_schema("product.schema.json"), "product.schema.json")
        assert not is_valid_fast("product", data)
        with pytest.raises(fastjsonschema.JsonSchemaException):
            fast_validator("product")(data)
        assert list(validator("product").iter_errors(data))


def test_a_description_may_span_lines(tmp_path):
    root = root_with(tmp_path, old="description: Chè mẫu dùng cho kiểm thử.",
                     new="description: |\n  Chè mẫu dùng cho kiểm thử.\n  Dòng thứ hai.")
    assert check(root, AS_OF).problems == []


def test_fmt_drops_the_newline_of_a_block_scalar_in_a_single_line_field(tmp_path, run_cli):
    root = root_with(tmp_path, old='gtin: "8936012340013"', new="gtin: |\n  8936012340013")
    assert [p.code for p in check(root, AS_OF).problems] == ["not-one-line"]
    assert run_cli("fmt", "--root", root).exit_code == 0
    assert 'gtin: "8936012340013"\n' in (root / PRODUCT).read_text(encoding="utf-8")
    assert check(root, AS_OF).problems == []


# --- hidden characters --------------------------------------------------------------------------

@pytest.mark.parametrize("escape", ["\\u202e", "\\x01", "\\0", "\\e", "\\r", "\\u2028", "\\x85", "\\u200b"])
def test_escaped_control_characters_are_refused_and_nothing_reaches_a_build(tmp_path, escape):
    from catalog.site.build import BuildRefused, build

    root = root_with(tmp_path, old="name: Sản phẩm mẫu", new=f'name: "Sản phẩm {escape}mẫu"')
    assert [(p.code, p.field, p.line) for p in check(root, AS_OF).problems] == [("control-escape", "name", 2)]
    with pytest.raises(BuildRefused):
        build(root, tmp_path / "site", AS_OF)
    assert not (tmp_path / "site").exists()


def test_validate_output_never_carries_a_control_character(tmp_path, run_cli):
    """The line of the problem quotes what was typed: a CR or an escape sequence must show as text."""
    root = root_with(tmp_path, old="name: Sản phẩm mẫu", new='name: "Sản phẩm mẫu"\nname_en: "ab\\rcd\\e[2K"')
    result = run_cli("validate", "--root", root)
    assert result.exit_code == 1
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", result.output)


def test_a_folder_name_cannot_forge_a_line_of_validate_output(tmp_path, run_cli):
    """Probe, round five: the file's path was escaped, but the message repeating the folder's name
    printed its newline, and so a line of the attacker's choosing (a "0 lỗi" summary)."""
    root = root_with(tmp_path, old="name: Sản phẩm mẫu", new="name: Sản phẩm mẫu")
    forged = "x\nĐã kiểm tra 76 tệp: 0 lỗi, 0 cảnh báo.\x1b[8m"
    shutil.copytree(root / "products/lai-chau", root / "products" / forged)
    result = run_cli("validate", "--root", root)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert not [line for line in lines if line.startswith("Đã kiểm tra 76 tệp")]
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", result.output)
    assert any("\\u000a" in line and "[unknown-province-folder]" in line for line in lines)


def test_diff_shows_hidden_characters_and_the_job_summary_cannot_be_rewritten(tmp_path, run_cli):
    """`ocop diff` prints names from records that may still be invalid: Markdown in a name (an HTML
    comment, a link) must show as text in the pull-request summary instead of hiding the real change
    after it, and a CR must not overwrite the terminal line (the loader already takes escaped
    control characters out; `compare` escapes whatever it is given)."""
    from catalog.staff.diff import compare

    root = tmp_path / "r"
    shutil.copytree(BASE, root)

    def git(*args):
        subprocess.run(["git", "-C", str(root), "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "base")
    sp = root / "sales_points/lai-chau/diem-mau.yaml"
    text = sp.read_text(encoding="utf-8").replace("id: diem-mau", "id: diem-moi")
    (root / "sales_points/lai-chau/diem-moi.yaml").write_text(
        text.replace(re.search(r"name: .*", text).group(), 'name: "Điểm <!-- [x](https://evil.example) *ẩn*"'),
        encoding="utf-8")
    product = root / PRODUCT
    product.write_text(product.read_text(encoding="utf-8").replace("  stars: 4", "  stars: 3"), encoding="utf-8")
    md = run_cli("diff", "HEAD", "--root", root, "--format", "markdown", "--as-of", AS_OF.isoformat()).output
    assert "<!--" not in md and "Điểm &lt;!-- \\[x\\](https\u2060://evil.example) \\*ẩn\\*" in md  # no link made of the bare address either
    assert "Đổi hạng sao Sản phẩm mẫu: 4 → 3 sao." in md  # the real change is still there, after it
    empty = {"product": {}, "producer": {}, "sales_point": {}, "village": {}}
    lines = compare(empty, {**empty, "producer": {"x": {"name": "Hợp tác xã\r\x1b[2KGiả"}}})
    assert lines == ["Thêm chủ thể Hợp tác xã\\u000d\\u001b[2KGiả (x)."]


def test_markdown_escaping_keeps_the_text_and_removes_the_markup():
    assert markdown_inline("a <b> & [l](u) *x* _y_ `c` $m$ ~~s~~ \\") == (
        "a &lt;b&gt; &amp; \\[l\\](u) \\*x\\* \\_y\\_ \\`c\\` \\$m\\$ \\~\\~s\\~\\~ \\\\")
    assert "\n" not in markdown_inline("a\n# b")
    assert visible("a\rb\u202ec\x1b") == "a\\u000db\\u202ec\\u001b"


def test_removed_published_ids_are_named_in_the_diff(tmp_path, run_cli):
    root = tmp_path / "r"
    shutil.copytree(BASE, root)
    (root / "published-ids.txt").write_text("product san-pham-mau\nproducer htx-mau\n", encoding="utf-8")

    def git(*args):
        subprocess.run(["git", "-C", str(root), "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "base")
    (root / "published-ids.txt").write_text("producer htx-mau\n", encoding="utf-8")
    out = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat()).output
    assert "Xoá 1 mã đã công bố khỏi published-ids.txt: product san-pham-mau." in out


# --- spreadsheets -------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"Bấm\")", "+1+1", "-2+3", "@SUM(A1)", "\uff1d1+1"]


def test_formulas_in_the_published_csv_are_neutralised_and_json_stays_exact(tmp_path):
    from catalog.site.build import build

    root = root_with(tmp_path, old="name: Sản phẩm mẫu", new=f"name: '{FORMULAS[0]}'")
    root = root_with(tmp_path, rel="producers/lai-chau/htx-mau.yaml", old="name: Hợp tác xã Mẫu", new="name: '@SUM(1+1)*cmd'")
    root = root_with(tmp_path, old="    name: UBND tỉnh Lai Châu", new="    name: '-UBND tỉnh Lai Châu'")
    assert check(root, AS_OF).errors == []
    site = build(root, tmp_path / "site", AS_OF).out
    text = (site / "api/v1/catalogue.csv").read_text(encoding="utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["id"] == "san-pham-mau")
    assert row["name"] == "'" + FORMULAS[0]
    assert row["producer_name"] == "'@SUM(1+1)*cmd"
    assert row["deciding_body"] == "'-UBND tỉnh Lai Châu"
    for value in next(csv.reader(io.StringIO(text.splitlines()[1]))):
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    doc = json.loads((site / "api/v1/catalogue.json").read_text(encoding="utf-8"))
    summary = next(p for p in doc["products"] if p["id"] == "san-pham-mau")
    assert summary["name"] == FORMULAS[0] and summary["producer_name"] == "@SUM(1+1)*cmd"


@pytest.mark.parametrize("value", FORMULAS + ["\tx", "\rx"])
def test_every_formula_trigger_gets_an_apostrophe(value):
    assert csv_cell(value) == "'" + value
    assert csv_cell("Chè -5") == "Chè -5" and csv_cell(5) == 5


# --- the build's own placeholders ----------------------------------------------------------------

def test_names_holding_the_builds_placeholders_change_no_title(tmp_path):
    """Stamping (catalog/site/build.py) fills frames with placeholder words: a product name, a description
    or the catalogue's title holding them (or an exemplar's URL) must show as typed and pull nothing
    else in; the stamped build stays byte-identical to the one MkDocs renders page by page."""
    from html.parser import HTMLParser

    from catalog.site.build import STAMP, _exemplar_url
    from catalog.site.build import ALTERNATES_TOKEN, DESCRIPTION_TOKEN, SWITCH_TOKEN, TITLE_TOKEN

    from .test_stamp import assert_same_builds

    exemplar = _exemplar_url(("product.html", "san-pham", 2, True))
    name = f"Chè {DESCRIPTION_TOKEN} {exemplar} {ALTERNATES_TOKEN} {SWITCH_TOKEN}"  # the last two: issue #18
    root = root_with(tmp_path, old="name: Sản phẩm mẫu", new=f"name: '{name}'")
    root = root_with(tmp_path, old="description: Chè mẫu dùng cho kiểm thử.", new=f"description: 'Mô tả {TITLE_TOKEN}'")
    root = root_with(tmp_path, rel="ocop.yaml", old="title: Danh mục kiểm thử",
                     new=f"title: 'Danh mục {TITLE_TOKEN} {STAMP.upper()}BODY {ALTERNATES_TOKEN} {SWITCH_TOKEN}'")
    assert check(root, AS_OF).errors == []
    assert_same_builds(root, tmp_path / "b")

    class Title(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.inside, self.title, self.h1 = None, "", ""

        def handle_starttag(self, tag, attrs):
            self.inside = tag

        def handle_endtag(self, tag):
            self.inside = None

        def handle_data(self, data):
            if self.inside == "title":
                self.title += data
            elif self.inside == "h1":
                self.h1 += data

    def parsed(url):
        p = Title()
        p.feed((tmp_path / "b/stamped" / url / "index.html").read_text(encoding="utf-8"))
        return p

    site_name = f"Danh mục {TITLE_TOKEN} {STAMP.upper()}BODY {ALTERNATES_TOKEN} {SWITCH_TOKEN}"
    product = parsed("san-pham/san-pham-mau")
    assert product.title == f"{name} - {site_name}"
    assert name in product.h1 and "Mô tả" not in product.title
    assert parsed("chu-the/htx-mau").title == f"Hợp tác xã Mẫu - {site_name}"
    assert parsed("").title in (site_name, f"{site_name} - {site_name}")
    assert parsed("en/san-pham/san-pham-mau").title == f"{name} - {site_name}"
    home = (tmp_path / "b/stamped/index.html").read_text(encoding="utf-8")
    assert home.count('hreflang="en"') == 2 and home.count('class="ocop-lang"') == 1  # the head's link, the switch
