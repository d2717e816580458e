"""QR labels that always scan: real decoders (zxing-cpp, zbar) on the PNGs, on the PDF sheets
rendered at 300 dpi, and after a simulated print-and-photo; every label leads to a built page."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image, ImageEnhance, ImageFilter

from catalog.print import labels as lab
from catalog.print import qr as qrlib
from catalog.reference.errors import CatalogError
from catalog.publish.hosting import resolve
from catalog.site.build import build
from catalog.checks.validate import check

from .conftest import AS_OF, BASE, REPO
from catalog.runtime import output

try:
    from pyzbar import pyzbar
except ImportError:  # pragma: no cover - libzbar0 missing: tools/setup.sh test installs it
    pyzbar = None

BASE_URL = "https://ocop.example.vn"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    cat = check(REPO, AS_OF).catalogue
    products, refusals = lab.select(cat)
    out = tmp_path_factory.mktemp("l") / "labels"
    report = lab.generate(cat, out, products, refusals, lots=True)
    return cat, report


def zxing(img: Image.Image) -> list[str]:
    return sorted(r.text for r in zxingcpp.read_barcodes(img))


def zbar(img: Image.Image) -> list[str]:
    assert pyzbar is not None, "zbar (libzbar0) is required"
    return sorted(d.data.decode("ascii") for d in pyzbar.decode(img.convert("L")))


def test_every_valid_product_and_lot_gets_a_label(made):
    cat, report = made
    valid = {p.id for p in cat.products.values() if p.status.is_valid}
    assert {lb.key for lb in report.labels if lb.lot is None} == valid
    # NA2025-08's use-by date (12/08/2025) has passed: no label, and one line saying so
    assert {lb.key for lb in report.labels if lb.lot} == {"che-shan-tuyet-sin-ho/L2025-04", "nuoc-mam-cat-hai/CH2025-01"}
    assert len(report.refusals) == len(cat.products) - len(valid) + 1
    assert "Không in nhãn cho lô NA2025-08 của Na Chi Lăng (na-chi-lang): lô đã hết hạn sử dụng ngày 12/08/2025." \
        in report.refusals


def test_every_label_decodes_to_exactly_its_url_with_zxing_and_zbar(made):
    _, report = made
    for label in report.labels:
        for name in ("qr.png", "nhan.png"):
            img = Image.open(report.out / label.key / name)
            assert zxing(img) == [label.url], (label.key, name)
            assert zbar(img) == [label.url], (label.key, name)


def test_qr_png_has_exact_print_geometry(made):
    _, report = made
    for label in report.labels:
        img = Image.open(report.out / label.key / "qr.png")
        assert img.mode == "1" and round(img.info["dpi"][0]) == 300
        code = qrlib.encode(label.url)
        assert code.version <= 4
        dots = img.width / code.size_with_quiet_zone
        assert dots == int(dots) and dots * 25.4 / 300 >= 0.4  # whole dots, module ≥ 0.4 mm
        quiet = int(4 * dots)
        px = img.load()
        assert all(px[x, y] for y in range(quiet) for x in range(img.width))  # 4-module quiet zone


def test_svg_is_vector_with_physical_size(made):
    _, report = made
    svg = (report.out / "nuoc-mam-cat-hai" / "qr.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<path" in svg and "mm" in svg and "<image" not in svg


def test_sheets_decode_when_rendered_at_300_dpi(made, tmp_path):
    _, report = made
    urls = sorted(lb.url for lb in report.labels)
    for sheet in report.sheets:
        assert sheet.read_bytes().startswith(b"%PDF")
        prefix = tmp_path / sheet.stem
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(sheet), str(prefix)], check=True)
        found_zx, found_zb = [], []
        layout = lab.LAYOUTS[sheet.stem]
        px = lambda v: round(v / 25.4 * 300)  # noqa: E731
        for page in sorted(tmp_path.glob(f"{sheet.stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1])):
            img = Image.open(page)
            found_zx += zxing(img)  # the whole page at once
            for i in range(layout.columns * layout.rows):  # one label at a time, as a phone scans it
                col, row = i % layout.columns, i // layout.columns
                x = layout.left_mm + col * (layout.width_mm + layout.gap_x_mm)
                y = layout.top_mm + row * (layout.height_mm + layout.gap_y_mm)
                found_zb += zbar(img.crop((px(x), px(y), px(x + layout.width_mm), px(y + layout.height_mm))))
        assert sorted(found_zx) == urls, sheet.name
        assert found_zb == [lb.url for lb in report.labels], sheet.name  # every label, in order


def test_sheet_text_layer_has_vietnamese_names(made, tmp_path):
    _, report = made
    text = subprocess.run(["pdftotext", str(report.sheets[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert "Nước mắm Cát Hải" in text and "Chè Shan tuyết Sìn Hồ" in text
    assert "https://ocop.example.vn/01/08936012340099" in text


def print_and_photo(img: Image.Image) -> Image.Image:
    """A cheap phone's photo of a printed label: soft focus, 15° tilt, low contrast, JPEG."""
    img = img.convert("L").filter(ImageFilter.GaussianBlur(1.6))
    img = ImageEnhance.Contrast(img).enhance(0.45)
    img = img.rotate(15, resample=Image.BICUBIC, expand=True, fillcolor=235)
    img = img.resize((img.width // 2, img.height // 2), Image.BILINEAR)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=35)
    return Image.open(io.BytesIO(buf.getvalue()))


def test_labels_still_scan_after_print_and_photo(made):
    _, report = made
    for label in report.labels:
        photo = print_and_photo(Image.open(report.out / label.key / "nhan.png"))
        assert zxing(photo) == [label.url], label.key


def test_every_label_url_resolves_to_a_built_page(made, tmp_path):
    cat, report = made
    site = tmp_path / "site"
    build(REPO, site, AS_OF)
    for label in report.labels:
        status, page = resolve(site, urlsplit(label.url).path)  # as GitHub Pages answers it
        assert status == 200 and page.is_file(), label.url  # no redirect, no 404
        html = page.read_text(encoding="utf-8")
        assert label.product.data["certificate"]["number"] in html
        assert "Cách kiểm tra nhãn này" in html and "ocop.example.vn" in html
        if label.lot:
            assert f"Lô {label.lot}" in html


def test_digital_link_urls_are_canonical_gs1_syntax(made):
    import biip

    _, report = made
    gtin_labels = [lb for lb in report.labels if lb.product.data.get("gtin")]
    assert len(gtin_labels) >= 8
    for label in gtin_labels:
        parsed = biip.parse(label.url).gs1_digital_link_uri
        assert parsed is not None, label.url
        assert parsed.as_uri(domain="ocop.example.vn") == label.url
        assert parsed.element_strings[0].value == label.product.data["gtin"].zfill(14)
        if label.lot:
            assert parsed.element_strings[1].ai.ai == "10" and parsed.element_strings[1].value == label.lot


def test_label_urls_carry_nothing_from_the_records_but_ids(made):
    _, report = made
    for label in report.labels:
        assert label.url.isascii() and len(label.url) <= 62
        assert label.url.startswith(BASE_URL + "/p/" + label.product.id + "/") or "/01/" in label.url


def test_too_long_url_is_an_error_not_a_denser_code():
    with pytest.raises(CatalogError):
        qrlib.encode("https://ocop.example.vn/p/" + "x" * 60 + "/")


def test_refused_products_get_a_clear_message(run_cli, tmp_path):
    result = run_cli("labels", "--root", REPO, "--as-of", AS_OF.isoformat(), "--out", tmp_path / "l",
                     "--ids", "mam-tep-hai-phong,nuoc-mam-cat-hai")
    assert result.exit_code == 1
    assert ("Không in nhãn cho Mắm tép Cát Hải (mam-tep-hai-phong): giấy chứng nhận OCOP đã hết hiệu lực sau ngày "
            "19/03/2026.") in result.output
    assert (tmp_path / "l/nuoc-mam-cat-hai/nhan.png").is_file()
    assert not (tmp_path / "l/mam-tep-hai-phong").exists()
    for pid, why in (("bo-kho-ha-giang", "thu hồi"), ("khau-nhuc-tuyen-quang", "rút khỏi danh mục")):
        result = run_cli("labels", "--root", REPO, "--as-of", AS_OF.isoformat(), "--out", tmp_path / pid, "--ids", pid)
        assert result.exit_code == 1 and why in result.output and "Traceback" not in result.output


def test_selection_by_province_group_and_sales_point(tmp_path):
    cat = check(REPO, AS_OF).catalogue
    by_province, _ = lab.select(cat, province="lang-son")
    assert {p.folder for p in by_province} == {"lang-son"}
    by_group, _ = lab.select(cat, group="sinh-vat-canh")
    assert {p.data["classification"]["group"] for p in by_group} == {"sinh-vat-canh"}
    stocked, refused = lab.select(cat, sales_point="cho-dong-kinh-lang-son")
    assert "quyt-vang-bac-son" not in {p.id for p in stocked} and any("quyt-vang-bac-son" in r for r in refused)


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_only_changed_labels_are_redrawn_and_output_is_deterministic(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    cat = check(root, AS_OF).catalogue
    out = tmp_path / "labels"
    first = lab.generate(cat, out, *lab.select(cat))
    assert (first.drawn, first.reused) == (1, 0)
    snapshot = tree(out)
    sheet_inode = (out / "sheets/a4-3x8.pdf").stat().st_ino
    again = lab.generate(cat, out, *lab.select(cat))
    assert (again.drawn, again.reused) == (0, 1) and tree(out) == snapshot
    assert (out / "sheets/a4-3x8.pdf").stat().st_ino == sheet_inode  # unchanged sheet reused, not redrawn
    other = lab.generate(cat, tmp_path / "elsewhere", *lab.select(cat))
    assert tree(tmp_path / "elsewhere") == snapshot and other.drawn == 1
    p = root / "products/lai-chau/san-pham-mau.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("name: Sản phẩm mẫu", "name: Chè mẫu"), encoding="utf-8")
    cat = check(root, AS_OF).catalogue
    changed = lab.generate(cat, out, *lab.select(cat))
    assert (changed.drawn, changed.reused) == (1, 0)
    assert (out / "sheets/a4-3x8.pdf").stat().st_ino != sheet_inode
    assert tree(out)["sheets/a4-3x8.pdf"] != snapshot["sheets/a4-3x8.pdf"]  # the sheet shows the new name
    # no staging folder left behind; the state (fingerprints, lock) lives in the tool's cache folder
    # (catalog/runtime/output.py), beside each output only its work folder
    assert sorted(n for n in tmp_path.iterdir() if n.name.startswith(".")) == sorted(
        [output.work_dir(tmp_path / "elsewhere"), output.work_dir(out)])
    assert (output.cache_dir(out) / "labels.json").is_file()
    assert not (out / "cache.json").exists()


def test_label_text_composed_from_cached_glyphs_matches_pillow(made):
    """nhan.png text is pasted from glyphs and words drawn once (labels.draw_text). Against Pillow
    drawing each whole line: the same glyphs at the same places, every ink pixel of either within
    one pixel of the other's ink (Pillow rounds the line's box, which can move a glyph by one
    pixel), for every line of every shipped label and for text that stresses the composition."""
    from PIL import ImageChops, ImageDraw, ImageFilter

    _, report = made
    lines = [lb.lines["url"] for lb in report.labels]
    for label in report.labels:
        lines += [text for _, text in lab.text_lines(label, lab.geometry(*lab.LABEL_MM, qrlib.encode(label.url)),
                                                     lambda t: 0.0)]
    lines += ["Nước mắm Cát Hải", "Nu\u031bo\u031b\u0301c ma\u0306\u0301m", "日本 ☃ x", "  hai  khoảng  ", "AVAWa Tốt …",
              "Số GCN: 12/QĐ-UBND", "ỉ ì í", ""]
    identical = 0
    sizes = {(str(lab.FONT_BOLD), 43), (str(lab.FONT_BOLD), 38), (str(lab.FONT_REGULAR), 30), (str(lab.FONT_REGULAR), 24)}
    for path, size in sorted(sizes):
        font = lab._font(path, size)
        for text in lines:
            expected = Image.new("L", (1800, 90), 0)
            draw = ImageDraw.Draw(expected)
            draw.fontmode = "1"
            draw.text((7, 9), text, font=font, fill=255)
            got = Image.new("L", (1800, 90), 0)
            lab.draw_text(got, (7, 9), text, font, 255)
            assert lab.text_width(font, text) == font.getlength(text), (size, text)
            identical += got.tobytes() == expected.tobytes()
            for a, b in ((got, expected), (expected, got)):
                stray = ImageChops.subtract(a, b.filter(ImageFilter.MaxFilter(3)))
                assert stray.getbbox() is None, (path, size, text, stray.getbbox())
            assert abs(got.histogram()[255] - expected.histogram()[255]) <= got.histogram()[255] // 50, (size, text)
    assert identical >= 0.75 * len(lines) * len(sizes)  # most lines come out exactly the same (83 % here)


def test_the_qr_png_has_the_pixels_and_resolution_of_to_png_and_scans():
    """qr.png_bytes (the label's QR on a product page and the label folder's qr.png, issue #27),
    written without Pillow, is a PNG with the very pixels of ``to_png`` and its resolution: codes of
    every version a label allows, byte and alphanumeric mode (lower-case addresses, upper-case GS1
    Digital Links), at several module sizes and resolutions; and zbar reads the URL back."""
    versions = set()
    short = ["https://a.vn/", "HTTPS://A.VN/01/1", "http://b.vn/p/x"]  # version 1
    for n in range(0, 60, 3):
        for url in [f"https://ocop.example.gov.vn/p/{'hg-' * (n // 3)}{n}/"[:62],
                    f"HTTPS://OCOP.VN/01/0893{n:010d}/10/{'L' * (n // 4)}"[:62]] + short[n:n + 3]:
            code = qrlib.encode(url)
            versions.add(code.version)
            for dots, dpi in ((None, qrlib.DPI), (5, qrlib.DPI), (9, qrlib.DPI), (12, 600)):
                expected = qrlib.to_png(code, dpi, dots)
                data = qrlib.png_bytes(code, dpi, dots)
                got = Image.open(io.BytesIO(data))
                got.load()
                assert (got.format, got.mode, got.size) == ("PNG", "1", expected.size), (url, dots, dpi)
                assert got.tobytes() == expected.tobytes(), (url, dots, dpi)
                assert tuple(round(v) for v in got.info["dpi"]) == (dpi, dpi)
                with io.BytesIO() as pillows:  # never larger than what Pillow's own writer makes
                    expected.save(pillows, "PNG", dpi=(dpi, dpi))
                    assert len(data) <= len(pillows.getvalue()), (url, dots, dpi)
            if n % 9 == 0:
                assert zbar(Image.open(io.BytesIO(qrlib.png_bytes(code)))) == [url]
    assert versions == {1, 2, 3, 4}
