"""An officer's hand edits and provincial annexes, tried as an outsider would (the officer3 probe).

Every input is made here by code, shaped like what a province keeps or sends: a record saved with a
tab, in Windows-1258 or UTF-16, with a key typed twice or a quote left open; each test names the
mistake and checks that ``ocop validate`` says it once, where it is, and nothing else."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from tests.conftest import AS_OF, make_root

PRODUCT = "products/lai-chau/san-pham-mau.yaml"


def to_cp1258(text: str) -> bytes:
    """``text`` as Windows-1258 saves it: a letter with a tone mark is the base letter (ơ, ư, â, ê,
    ô, ă, đ have their own byte) followed by a combining tone, as Vietnamese Windows writes them."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = [c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323"]
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append((base + "".join(tones)).encode("cp1258"))
    return b"".join(out)


def _renamed_root(tmp_path: Path) -> Path:
    """The base root whose product was renamed: its old id, printed on labels, is in former_ids and
    in published-ids.txt."""
    root = make_root(tmp_path)
    path = root / PRODUCT
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: Sản phẩm mẫu\n", "former_ids:\n  - che-mau-sin-ho\nname: Sản phẩm mẫu\n"),
                    encoding="utf-8")
    (root / "published-ids.txt").write_text("product che-mau-sin-ho\nproduct san-pham-mau\n", encoding="utf-8")
    return root


def _tab(text: str) -> bytes:
    return text.replace("  stars: 4", "\tstars: 4").encode("utf-8")


def _key_twice(text: str) -> bytes:
    return text.replace("  stars: 4\n", "  stars: 4\n  stars: 5\n").encode("utf-8")


def _open_quote(text: str) -> bytes:
    return text.replace("description: Chè mẫu dùng cho kiểm thử.", 'description: "Chè mẫu dùng cho kiểm thử.').encode("utf-8")


def _utf16(text: str) -> bytes:
    return text.encode("utf-16")


BREAKS = {"tab": (_tab, "[tab-indent]"), "key-twice": (_key_twice, "[duplicate-key]"),
          "open-quote": (_open_quote, "[yaml-syntax]"), "utf16": (_utf16, "[utf16-file]"),
          "cp1258": (to_cp1258, "[bad-encoding]")}


@pytest.mark.parametrize("how", sorted(BREAKS))
def test_a_file_that_cannot_be_read_is_one_error_not_a_published_id_gone_too(tmp_path, run_cli, how):
    """A renamed product's file saved with a tab (or in an old code page …) could not be read, so its
    former_ids were not either: the one mistake is the file's, not 'a published id leads nowhere'."""
    root = _renamed_root(tmp_path)
    assert run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).exit_code == 0
    path = root / PRODUCT
    breaker, code = BREAKS[how]
    path.write_bytes(breaker(path.read_text(encoding="utf-8")))
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    errors = [line for line in result.output.splitlines() if ": error:" in line]
    assert len(errors) == 1 and errors[0].startswith(PRODUCT + ":") and code in errors[0], result.output
    assert "published-id-missing" not in result.output


def test_a_published_id_no_file_names_is_still_missing_beside_an_unreadable_file(tmp_path, run_cli):
    root = _renamed_root(tmp_path)
    manifest = root / "published-ids.txt"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "product mien-dong-da-xoa\n", encoding="utf-8")
    path = root / PRODUCT
    path.write_bytes(_tab(path.read_text(encoding="utf-8")))
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    missing = [line for line in result.output.splitlines() if "[published-id-missing]" in line]
    assert len(missing) == 1 and "'mien-dong-da-xoa'" in missing[0], result.output


def _line_of(text: str, needle: str) -> int:
    return text.splitlines().index(next(ln for ln in text.splitlines() if needle in ln)) + 1


# (how the line was typed, what to look for in the Vietnamese message, in the English one)
SLIPS = {
    "no-break space after the colon (pasted from Word)": (
        lambda t: t.replace("  score: 75", "  score:\u00a075"), "  score:", 9, "dấu cách không ngắt", "no-break space"),
    "no-break space in the indentation": (
        lambda t: t.replace("  score: 75", "\u00a0 score: 75"), "score: 75", 1, "dấu cách không ngắt", "no-break space"),
    "full-width colon from a Chinese input method": (
        lambda t: t.replace("  score: 75", "  score： 75"), "  score", 8, "toàn độ rộng", "full-width"),
    "a quote opened and never closed": (
        lambda t: t.replace("  number: 1/GCN-UBND", '  number: "1/GCN-UBND'), "1/GCN-UBND", 11, "dấu nháy kép mở ở đây",
        "double quote opens here"),
}


@pytest.mark.parametrize("slip", sorted(SLIPS))
def test_a_yaml_slip_is_reported_where_it_was_typed_in_both_languages(tmp_path, run_cli, slip):
    """PyYAML reports these a line or more later as 'a colon where none may stand' or 'uneven
    indentation'; the officer is pointed at the character typed, told what it is, in each language."""
    change, needle, col, vi, en = SLIPS[slip]
    root = make_root(tmp_path)
    path = root / PRODUCT
    text = change(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    line = _line_of(text, needle)
    for lang, words in (("vi", vi), ("en", en)):
        result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--lang", lang)
        errors = [ln for ln in result.output.splitlines() if ": error:" in ln]
        assert errors == [next(e for e in errors if e.startswith(f"{PRODUCT}:{line}:{col}: error:"))], result.output
        assert words in errors[0] and "[yaml-syntax]" in errors[0], errors[0]


def test_english_yaml_syntax_messages_are_english(tmp_path, run_cli):
    """Uneven indentation, a stray colon: the detail PyYAML's words map to was Vietnamese under --lang en."""
    root = make_root(tmp_path)
    path = root / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace("  score: 75", "   score: 75"), encoding="utf-8")
    (root / "products/lai-chau/che-hai.yaml").write_text(
        (root / PRODUCT).read_text(encoding="utf-8").replace("id: san-pham-mau", "id: che-hai")
        .replace("   score: 75", "  score: 75").replace("description: Chè", "description: Chè: loại 1: Chè"), encoding="utf-8")
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--lang", "en")
    syntax = [ln for ln in result.output.splitlines() if "[yaml-syntax]" in ln]
    assert len(syntax) == 2, result.output
    for line in syntax:
        message = line.split("YAML syntax error:", 1)[1]
        assert message.isascii(), line
    assert result.output.rstrip().endswith("Checked 6 files: 2 errors, 0 warnings.")


def test_english_summary_says_one_error_not_one_errors(tmp_path, run_cli):
    root = make_root(tmp_path)
    path = root / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace("  stars: 4", "  stars: 6"), encoding="utf-8")
    out = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--lang", "en").output
    assert out.rstrip().splitlines()[-1] == "Checked 5 files: 1 error, 0 warnings.", out
