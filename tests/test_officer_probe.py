"""An officer's hand edits and provincial annexes, tried as an outsider would (the officer3 probe).

Every input is made here by code, shaped like what a province keeps or sends: a record saved with a
tab, in Windows-1258 or UTF-16, with a key typed twice or a quote left open; each test names the
mistake and checks that ``ocop validate`` says it once, where it is, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.records.loader import load_bytes
from tests.conftest import AS_OF, make_root
from tests.officer_annexes import to_cp1258

PRODUCT = "products/lai-chau/san-pham-mau.yaml"


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


# --- annexes as provinces type them (tests/officer_annexes.py) --------------------------------------


def _import(run_cli, source, root, *args):
    result = run_cli("import", source, "--root", root, "--as-of", AS_OF.isoformat(), *args)
    assert "Traceback" not in result.output
    return result


def _yaml(path: Path) -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_a_sheet_per_star_level_with_a_two_row_producer_header_lands_whole(tmp_path, run_cli):
    """'Chủ thể' merged over 'Tên' | 'Địa chỉ' (the lower 'Tên' alone is the product's name heading),
    dates as Excel day numbers and 'ngày 12 tháng 3 năm 2025', stars '★★★', '3*', '04', '★★★★', a
    totals row and footnotes under each table, a 5-star sheet saying 'Không có sản phẩm', an existing
    cooperative spelled 'HTX  NA chi  lăng'."""
    from tests import officer_annexes as annexes
    from tests.conftest import copy_data

    root = copy_data(tmp_path)
    source = annexes.star_sheets_two_row_header_xlsx(root, tmp_path / "phu-luc-512.xlsx")
    result = _import(run_cli, source, root, "--write")
    out = result.output
    assert result.exit_code == 0, out
    assert "4 tạo mới" in out and "0 không ghi vì lỗi" in out, out
    assert "không có tên sản phẩm" not in out and "Không có sản phẩm ·" not in out, out
    assert "ghi chú dưới bảng dòng 12" in out and "dòng ghi không có sản phẩm dòng 9" in out, out
    assert out.count("là ngày theo cách Excel đếm") == 2, out
    products = root / "products" / "lang-son"
    na = _yaml(products / "na-dai-say-deo-chi-lang.yaml")
    assert na["producer"] == "htx-na-chi-lang" and na["certificate"]["stars"] == 3
    assert str(na["certificate"]["decision"]["date"]) == "2025-03-12"
    assert "huyện Chi Lăng" in na["certified_address"]["text"]
    thach = _yaml(products / "thach-den-trang-dinh-loai-dac-biet.yaml")
    assert thach["certificate"]["stars"] == 4 and thach["certificate"]["score"] == 78
    mien = _yaml(products / "mien-dong-binh-gia.yaml")
    assert mien["certificate"]["stars"] == 3 and mien["certificate"]["score"] == 61.5
    assert _yaml(products / "quyt-vang-bac-son-say.yaml")["certificate"]["stars"] == 4
    assert not (root / "producers" / "lang-son" / "htx-na-chi-lang-2.yaml").exists()


@pytest.mark.parametrize("typed,stars", [("04", 4), ("03 sao", 3), (4.0, 4), ("★★★★★", 5), ("4*", 4)])
def test_stars_as_officers_type_them(typed, stars):
    from catalog.staff.importer.cells import parse_stars

    assert parse_stars(typed) == stars


@pytest.mark.parametrize("typed", ["00", "06", "4.5", "45", ""])
def test_stars_that_are_not_a_level_are_refused(typed):
    from catalog.staff.importer.cells import parse_stars

    with pytest.raises(ValueError):
        parse_stars(typed)


def test_an_excel_day_number_is_a_date_but_a_score_or_year_is_not():
    import datetime as dt

    from catalog.staff.importer.cells import read_date
    from tests.officer_annexes import excel_serial

    day = dt.date(2025, 3, 12)
    for typed in (excel_serial(day), float(excel_serial(day)), str(excel_serial(day))):
        reading = read_date(typed, False)
        assert reading.date == day and reading.warning and "12/03/2025" in reading.warning and not reading.error
    for typed in (2025, 88.5, "12345", 99999):
        assert read_date(typed, False).date is None


@pytest.mark.parametrize("repeat_header", [True, False])
def test_a_word_table_over_a_page_break_with_line_breaks_in_a_cell(tmp_path, run_cli, repeat_header):
    """Shift+Enter in a Word cell (w:br) parts the producer's name from its address; a long name
    wrapped onto a second line stays one name; the second table is read too, with the header of the
    first when it has none (it was dropped with a note) — and a signature table after it is not."""
    from tests import officer_annexes as annexes
    from tests.conftest import copy_data

    root = copy_data(tmp_path)
    source = annexes.split_table_docx(tmp_path / "phu-luc.docx", repeat_header=repeat_header)
    result = _import(run_cli, source, root, "--write")
    assert result.exit_code == 0 and "3 tạo mới" in result.output, result.output
    # a Word table is a "Bảng", not an Excel sheet ("Trang tính 'bảng 2'")
    assert "Bảng 2, dòng " in result.output and "Trang tính 'bảng" not in result.output, result.output
    producers = sorted(p.name for p in (root / "producers" / "dien-bien").iterdir())
    assert {"htx-che-ta-phin.yaml", "hkd-lo-thi-on.yaml", "htx-nong-san-sinh-phinh.yaml"} <= set(producers), producers
    che = _yaml(root / "products" / "dien-bien" / "che-shan-tuyet-ta-phin.yaml")
    assert che["producer"] == "htx-che-ta-phin" and che["address"]["commune"] == "Xã Tủa Chùa"
    assert _yaml(root / "producers" / "dien-bien" / "htx-nong-san-sinh-phinh.yaml")["name"] == "HTX Nông sản Sính Phình"


@pytest.mark.parametrize("cell,name,address", [
    ("HTX Nông sản\nSính Phình", "HTX Nông sản Sính Phình", None),
    ("HTX Chè\nMường Phăng, Điện Biên", "HTX Chè", "Mường Phăng, Điện Biên"),
    ("Công ty TNHH\nChè Mộc Châu\nSố 12 đường Lê Lợi", "Công ty TNHH Chè Mộc Châu", "Số 12 đường Lê Lợi"),
    ("Hộ kinh doanh Lò Văn Pánh\nBản Na Son, xã Na Son\nĐT: 0912 468 024", "Hộ kinh doanh Lò Văn Pánh", "Bản Na Son, xã Na Son"),
])
def test_a_producer_cell_over_several_lines(cell, name, address):
    from catalog.staff.importer.cells import split_producer

    assert split_producer(cell)[:2] == (name, address)


def test_a_revocation_annex_of_certificate_numbers_only_revokes_them(tmp_path, run_cli):
    """'STT | Số GCN | Lý do thu hồi': each row names its product by the certificate alone; an
    unknown number is an error on its row, never a silently skipped line."""
    from tests import officer_annexes as annexes
    from tests.conftest import copy_data

    root = copy_data(tmp_path)
    hoi, thach = (_yaml(root / "products" / "lang-son" / f"{rid}.yaml") for rid in ("hoi-kho-van-quan", "thach-den-trang-dinh"))
    numbers = [hoi["certificate"]["number"], "999/GCN-UBND", thach["certificate"]["number"]]
    source = annexes.certificate_numbers_revocation_xlsx(tmp_path / "thu-hoi.xlsx", numbers)
    dry = _import(run_cli, source, root)
    assert "2 thu hồi" in dry.output and "1 không ghi vì lỗi" in dry.output, dry.output
    assert "không có tên sản phẩm" not in dry.output and "hiểu là:  ·" not in dry.output, dry.output
    assert f"hiểu là: {hoi['name']} · THU HỒI" in dry.output
    assert "GCN 999/GCN-UBND" in dry.output
    _import(run_cli, source, root, "--write")
    for rid in ("hoi-kho-van-quan", "thach-den-trang-dinh"):
        revocation = _yaml(root / "products" / "lang-son" / f"{rid}.yaml")["certificate"]["revocation"]
        assert revocation["decision"]["number"] == "2290/QĐ-UBND" and revocation["reason"]
    assert run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).exit_code == 0


def test_a_re_recognition_at_another_level_reads_the_new_stars_not_the_old(tmp_path, run_cli):
    """'Hạng sao' merged over 'Đã công nhận' | 'Công nhận lại': the second header row was read as a
    product row and the OLD stars as the new ones (a 4-star product re-recognised at 3 kept 4)."""
    from tests import officer_annexes as annexes
    from tests.conftest import copy_data

    root = copy_data(tmp_path)
    folder = root / "products" / "lang-son"
    before = {rid: _yaml(folder / f"{rid}.yaml")["certificate"] for rid in ("na-chi-lang", "thach-den-trang-dinh", "mang-kho-chi-lang")}
    names = {rid: _yaml(folder / f"{rid}.yaml")["name"] for rid in before}
    source = annexes.rerecognition_other_level_xlsx(root, tmp_path / "cong-nhan-lai.xlsx")
    result = _import(run_cli, source, root, "--write")
    assert result.exit_code == 0 and "3 công nhận lại" in result.output and "0 không ghi vì lỗi" in result.output, result.output
    assert "tiêu đề cột ở hai dòng" in result.output and "Các cột không dùng" not in result.output, result.output
    expected = {"na-chi-lang": ("601/GCN-UBND", before["na-chi-lang"]["stars"] - 1),
                "thach-den-trang-dinh": ("602/GCN-UBND", 4),
                "mang-kho-chi-lang": ("603/GCN-UBND", before["mang-kho-chi-lang"]["stars"])}
    for rid, (number, stars) in expected.items():
        data = _yaml(folder / f"{rid}.yaml")
        assert (data["certificate"]["number"], data["certificate"]["stars"]) == (number, stars), rid
        earlier = data["earlier_ratings"][-1]
        assert (earlier["certificate_number"], earlier["stars"]) == (before[rid]["number"], before[rid]["stars"]), rid
        assert data["name"] == names[rid]  # the annex's capitals are not the record's name


def test_a_second_header_row_of_unknown_words_is_never_a_product(tmp_path, run_cli):
    """The same annex with 'Cũ trước đây' | 'Sau đánh giá' under 'Hạng sao': not understood, so the
    import stops naming the headings it read ('Hạng sao Sau đánh giá'), and --mapping with those
    headings imports it — never the header row as a product, never the group's stars."""
    from openpyxl import load_workbook

    from tests import officer_annexes as annexes
    from tests.conftest import copy_data

    root = copy_data(tmp_path)
    source = annexes.rerecognition_other_level_xlsx(root, tmp_path / "cong-nhan-lai.xlsx")
    wb = load_workbook(source)
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 5).value == "Đã công nhận")
    ws.cell(row, 5).value, ws.cell(row, 6).value = "Cũ trước đây", "Sau đánh giá"
    wb.save(source)
    refused = _import(run_cli, source, root)
    assert refused.exit_code != 0 and "thiếu cột Hạng sao" in refused.output, refused.output
    assert "'Hạng sao Cũ trước đây', 'Hạng sao Sau đánh giá'" in refused.output, refused.output
    mapping = tmp_path / "cot.yaml"
    mapping.write_text("Hạng sao Cũ trước đây: old_stars\nHạng sao Sau đánh giá: stars\n", encoding="utf-8")
    result = _import(run_cli, source, root, "--mapping", mapping, "--write")
    assert result.exit_code == 0 and "3 công nhận lại" in result.output, result.output
    assert _yaml(root / "products" / "lang-son" / "thach-den-trang-dinh.yaml")["certificate"]["stars"] == 4


# --- the English report says everything in English ---------------------------------------------------

_VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


@pytest.mark.parametrize("how,words", [
    ("revoked", "which had its OCOP certificate revoked"),
    ("withdrawn", "which was withdrawn from the OCOP catalogue"),
    ("lapsed", "which has a lapsed OCOP certificate"),
])
def test_a_sales_point_listing_a_product_no_longer_certified_in_english(tmp_path, run_cli, how, words):
    """The status was spliced in Vietnamese into the English sentence ('which is đã bị thu hồi …')."""
    root = make_root(tmp_path)
    path = root / PRODUCT
    text = path.read_text(encoding="utf-8")
    if how == "revoked":
        text = text.replace("  valid_until: 2028-08-31\n", "  valid_until: 2028-08-31\n  revocation:\n    decision:\n"
                            "      number: 310/QĐ-UBND\n      date: 2026-03-02\n    deciding_body:\n      level: province\n"
                            "      name: UBND tỉnh Lai Châu\n    reason: Chủ thể không duy trì chất lượng sản phẩm\n")
    elif how == "withdrawn":
        text += "status: withdrawn\nstatus_date: 2026-05-04\n"
    else:
        text = text.replace("valid_until: 2028-08-31", "valid_until: 2026-09-30")
    path.write_text(text, encoding="utf-8")
    for lang in ("vi", "en"):
        out = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--lang", lang).output
        lines = [ln for ln in out.splitlines() if "[sales-point-lapsed-product]" in ln]
        assert len(lines) == 1, out
        if lang == "en":
            assert words in lines[0] and not (_VIETNAMESE & set(lines[0].lower())), lines[0]


@pytest.mark.parametrize("typed,number", [("★★★★", 4), ("3★", 3), ("4*", 4), ("⭐⭐⭐⭐⭐", 5)])
def test_stars_drawn_as_stars_get_the_number_to_write(tmp_path, run_cli, typed, number):
    root = make_root(tmp_path)
    path = root / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace("  stars: 4", f'  stars: "{typed}"'), encoding="utf-8")
    vi = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).output
    en = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--lang", "en").output
    assert f"Viết {number} (số sao bằng chữ số" in vi and f"Write {number} (the number of stars" in en, vi + en


def test_a_pre_merger_csv_of_a_former_province_lands_in_the_province_of_today(tmp_path, run_cli):
    """Hà Giang, March 2025, saved by Excel as Windows-1258 CSV: the records go to tuyen-quang/, the
    certified address keeps 'tỉnh Hà Giang', the phone gets back the 0 Excel dropped."""
    from tests import officer_annexes as annexes
    from tests.conftest import copy_data

    root = copy_data(tmp_path)
    result = _import(run_cli, annexes.former_province_csv(tmp_path / "ha-giang.csv"), root, "--write")
    assert result.exit_code == 0 and "2 tạo mới" in result.output and "Windows-1258" in result.output, result.output
    che = _yaml(root / "products" / "tuyen-quang" / "che-shan-tuyet-cao-bo.yaml")
    assert che["certified_address"]["province"] == "Hà Giang" and "huyện Vị Xuyên" in che["certified_address"]["text"]
    assert che["address"] == {"province": "Tuyên Quang", "commune": "Xã Cao Bồ"} or che["address"]["commune"] == "Xã Cao Bồ"
    assert che["certificate"]["deciding_body"]["name"] == "UBND tỉnh Hà Giang"
    assert _yaml(root / "producers" / "tuyen-quang" / "htx-che-cao-bo.yaml")["phone"] == "0912468024"
    assert _yaml(root / "products" / "tuyen-quang" / "mat-ong-bac-ha-dong-van.yaml")["certificate"]["stars"] == 3


@pytest.mark.parametrize("old,new,vi,en", [
    ("  stars: 4", "  stars: 4.0", "Viết 4 (số nguyên, không có phần thập phân)", "Write 4 (a whole number, no decimals)"),
    ("file: lai-chau/san-pham-mau.jpg", "file: lai-chau/san-pham-mau.JPG", "Viết 'lai-chau/san-pham-mau.jpg'",
     "Write 'lai-chau/san-pham-mau.jpg'"),
    ("commune: Xã Sìn Hồ", "commune: Sìn Hồ", "Thiếu chữ Xã, Phường hoặc Đặc khu ở đầu tên: viết 'Xã Sìn Hồ'",
     "lacks its Xã, Phường or Đặc khu: write 'Xã Sìn Hồ'"),
])
def test_a_hand_slip_gets_the_value_to_write(tmp_path, run_cli, old, new, vi, en):
    """'4.0' pasted from a spreadsheet, a camera's '.JPG', a commune typed without 'Xã': each message
    says exactly what to write (the commune one said 'no such commune … it is now Xã Sìn Hồ')."""
    root = make_root(tmp_path)
    path = root / PRODUCT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    out_vi = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).output
    out_en = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--lang", "en").output
    errors = [ln for ln in out_vi.splitlines() if ": error:" in ln]
    assert len(errors) == 1 and vi in errors[0], out_vi
    assert en in out_en and "nay là" not in errors[0], out_en


@pytest.mark.parametrize("text,stars", [("Sản phẩm 5 sao", 5), ("SP 4 sao", 4), ("4 SAO", 4), ("4 sao (tiềm năng 5 sao)", 4),
                                        ("DANH SÁCH SẢN PHẨM ĐẠT 3 SAO VÀ 4 SAO", None), ("Sản phẩm 3 sao, 4 sao", None)])
def test_the_stars_a_sheet_name_or_title_gives(text, stars):
    """'Sản phẩm 5 sao' named no level (the import stopped: 'thiếu cột Hạng sao'); a title naming two
    levels gave its rows the first."""
    from catalog.staff.importer.columns import stars_named

    assert stars_named(text) == stars


@pytest.mark.parametrize("how", sorted(BREAKS))
def test_ocop_fmt_says_why_it_cannot_read_a_file_in_the_officers_words(tmp_path, run_cli, how):
    """It said 'không đọc được (AliasInRecord)' for a tab and '(UnicodeDecodeError)' for Windows-1258:
    now the line, the column and validate's own sentence."""
    root = make_root(tmp_path)
    path = root / PRODUCT
    breaker, code = BREAKS[how]
    path.write_bytes(breaker(path.read_text(encoding="utf-8")))
    expected = load_bytes(path.read_bytes(), PRODUCT).problems[0]
    result = run_cli("fmt", "--root", root, "--check")
    line = next(ln for ln in result.output.splitlines() if "không đọc được" in ln)
    assert "Error" not in line and "AliasInRecord" not in line, line
    assert f"dòng {expected.line}, cột {expected.col}: {expected.message('vi')}" in line, line


def test_one_total_for_the_whole_list_and_a_footnote_mark_in_a_name(tmp_path, run_cli):
    """'Tổng cộng: 03' under the last of two sheets counts both (it warned '3 claimed, 1 row'); the
    '(*)' after a name is a footnote mark, not part of the name written."""
    from tests import officer_annexes as annexes
    from tests.conftest import copy_data

    root = copy_data(tmp_path)
    result = _import(run_cli, annexes.total_at_the_end_xlsx(tmp_path / "phu-luc.xlsx"), root, "--write")
    assert result.exit_code == 0 and "3 tạo mới" in result.output, result.output
    assert "dòng tổng cộng ghi" not in result.output, result.output
    assert "bỏ dấu chú thích '(*)'" in result.output, result.output
    assert _yaml(root / "products" / "lang-son" / "mien-dong-binh-gia.yaml")["name"] == "Miến dong Bình Gia"


def test_a_total_that_counts_neither_the_sheet_nor_the_list_is_still_said(tmp_path, run_cli):
    from openpyxl import load_workbook

    from tests import officer_annexes as annexes
    from tests.conftest import copy_data

    root = copy_data(tmp_path)
    source = annexes.total_at_the_end_xlsx(tmp_path / "phu-luc.xlsx")
    wb = load_workbook(source)
    ws = wb["4 sao"]
    row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 2).value or "").startswith("Tổng cộng"))
    ws.cell(row, 2).value = "Tổng cộng: 04 sản phẩm"
    wb.save(source)
    result = _import(run_cli, source, root)
    assert "dòng tổng cộng ghi 4 sản phẩm, nhưng bảng có 1 dòng sản phẩm" in result.output, result.output


@pytest.mark.parametrize("heading,lands", [("Số Giấy chứng nhận bị thu hồi", True), ("GCN số", True), ("Mã số", False)])
def test_a_revocation_annex_with_its_own_certificate_heading(tmp_path, run_cli, heading, lands):
    """'Số Giấy chứng nhận bị thu hồi' is the certificate column; a heading not known stops the import
    saying a revocation needs the product's name OR its certificate (it named the name only)."""
    from openpyxl import load_workbook

    from tests import officer_annexes as annexes
    from tests.conftest import copy_data

    root = copy_data(tmp_path)
    number = _yaml(root / "products" / "lang-son" / "hoi-kho-van-quan.yaml")["certificate"]["number"]
    source = annexes.certificate_numbers_revocation_xlsx(tmp_path / "thu-hoi.xlsx", [number])
    wb = load_workbook(source)
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Số GCN")
    ws.cell(row, 2).value = heading
    wb.save(source)
    result = _import(run_cli, source, root)
    if lands:
        assert result.exit_code == 0 and "1 thu hồi" in result.output, result.output
    else:
        assert result.exit_code != 0 and "Tên sản phẩm (name, hoặc cột Số giấy chứng nhận (certificate_number))" in result.output


def _committed_root(tmp_path: Path):
    """The test data root as a git repository with one commit, and a ``git(*args)`` for it."""
    import subprocess

    root = make_root(tmp_path)

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "base")
    return root, git


@pytest.mark.parametrize("how", ["tab", "cp1258"])
def test_ocop_diff_does_not_call_an_unreadable_record_removed(tmp_path, run_cli, how):
    """A product (and a producer) saved with a tab or in Windows-1258 was summarised 'Xoá sản phẩm …
    nhãn đã in sẽ không còn trang' on the pull request: the file is there, it cannot be read."""
    root, git = _committed_root(tmp_path)
    breaker = BREAKS[how][0]
    for rel in (PRODUCT, "producers/lai-chau/htx-mau.yaml"):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        path.write_bytes(breaker(text) if "  stars: 4" in text or how == "cp1258" else text.replace("\nname:", "\n\tname:", 1).encode())
    out = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat()).output
    assert "Xoá sản phẩm" not in out and "Xoá chủ thể" not in out, out
    assert f"Không đọc được hồ sơ sản phẩm Sản phẩm mẫu (san-pham-mau, {PRODUCT}): dòng " in out, out
    assert "Không đọc được hồ sơ chủ thể" in out and "hồ sơ vẫn còn, chưa bị xoá" in out, out
    (root / PRODUCT).unlink()
    assert "Xoá sản phẩm Sản phẩm mẫu (san-pham-mau)." in run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat()).output


@pytest.mark.parametrize("old,new", [("  stars: 4", "  stars: 6"), ("    date: 2025-09-01", "    date: 01/09/2025")])
def test_ocop_diff_says_a_record_is_not_valid_yet_instead_of_none(tmp_path, run_cli, old, new):
    """Probe, round five: 'Đổi hạng sao …: 3 → None sao', and a date typed 15/10/2026 told as a
    re-recognition dated None whose history was lost — in the pull request's summary."""
    root, git = _committed_root(tmp_path)
    path = root / PRODUCT
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    out = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat()).output
    assert "None" not in out and "Công nhận lại" not in out and "Lịch sử không được giữ" not in out, out
    assert f"Sửa sản phẩm Sản phẩm mẫu (san-pham-mau): hồ sơ chưa hợp lệ ({PRODUCT})" in out, out
    git("commit", "-qam", "broken")
    path.write_text(text, encoding="utf-8")
    assert "hồ sơ trước đây chưa hợp lệ, nay đã hợp lệ" in run_cli("diff", "HEAD", "--root", root, "--as-of",
                                                                   AS_OF.isoformat()).output


def test_an_id_typed_unlike_its_file_name_is_one_error(tmp_path, run_cli):
    """'id: san-pham-mau-2' in san-pham-mau.yaml gave three errors — id-mismatch, a published id gone
    missing, and the sales point told 'Did you mean san-pham-mau-2?' (the wrong fix)."""
    root = _renamed_root(tmp_path)
    path = root / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace("id: san-pham-mau\n", "id: san-pham-mau-2\n"), encoding="utf-8")
    out = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).output
    errors = [ln for ln in out.splitlines() if ": error:" in ln]
    assert len(errors) == 1 and "[id-mismatch]" in errors[0], out


@pytest.mark.parametrize("text,kind", [("Tái công nhận", "re-recognition"), ("Công nhận lại (nâng hạng từ 3 sao lên 4 sao)", "re-recognition"),
                                       ("Công nhận lần đầu", "recognition"), ("Thu hồi (hết hạn, không đánh giá lại)", "revocation")])
def test_the_kind_a_mixed_list_row_names(text, kind):
    """'Tái công nhận' (re-recognition) was read as a first recognition: a new product beside the old."""
    from catalog.staff.importer.columns import decision_kind, row_kind_of

    assert row_kind_of(text) == kind
    if kind == "re-recognition":
        assert decision_kind([f"DANH SÁCH SẢN PHẨM OCOP ĐƯỢC {text.upper()} NĂM 2026"], set())[0] == kind


def test_a_valid_until_before_the_decision_gets_the_date_it_should_be(tmp_path, run_cli):
    root = make_root(tmp_path)
    path = root / PRODUCT
    path.write_text(path.read_text(encoding="utf-8").replace("valid_until: 2028-08-31", "valid_until: 2025-08-31"), encoding="utf-8")
    vi = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat()).output
    en = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat(), "--lang", "en").output
    assert "giấy chứng nhận 36 tháng thì hiệu lực đến 31/08/2028" in vi, vi
    assert "a 36-month certificate is valid until 2028-08-31" in en, en


@pytest.mark.parametrize("typed,now", [("ha-giang", "Tuyên Quang"), ("Ha Giang", "Tuyên Quang"), ("hai duong", "Hải Phòng"),
                                       ("Hà Giang", "Tuyên Quang")])
def test_a_former_province_typed_as_a_folder_says_where_it_went(tmp_path, run_cli, typed, now):
    """`ocop new --province ha-giang` answered 'Có phải ý bạn là "An Giang"?'."""
    root = make_root(tmp_path)
    result = run_cli("new", "product", "--root", root, "--province", typed, "--name", "Chè thử")
    assert result.exit_code != 0 and f'từ 01/7/2025 thuộc "{now}"' in result.output and "An Giang" not in result.output, result.output
