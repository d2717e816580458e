"""Words a shopper reads (issue #16's Vietnamese review), on the built pages and the printed label."""

from __future__ import annotations

import re

import pytest
import zxingcpp
from PIL import Image

from catalog.print import labels as lab
from catalog.print import qr as qrlib
from catalog.reference.collation import sort_key
from catalog.checks.validate import check
from catalog.reference.wording import address_text, keep_units, province_in_sentence

from .conftest import AS_OF, REPO
from .site_helpers import build_shipped


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("w") / "site"
    build_shipped(out)
    return out


def read(site, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_cities_are_cities_and_provinces_provinces(site):
    assert "<h1>Sản phẩm OCOP thành phố Hải Phòng</h1>" in read(site, "tinh/hai-phong/index.html")
    assert "<h1>Sản phẩm OCOP tỉnh Lai Châu</h1>" in read(site, "tinh/lai-chau/index.html")
    assert province_in_sentence("Hải Phòng") == "thành phố Hải Phòng"
    assert province_in_sentence("Hà Giang") == "tỉnh Hà Giang"  # a former province


def test_listings_and_facets_in_vietnamese_order(site):
    html = read(site, "san-pham/index.html")
    facet = re.search(r"Theo tỉnh, thành phố:(.*?)</p>", html, re.S).group(1)
    names = re.findall(r">([^<]+)</a>", facet)
    assert names == sorted(names, key=sort_key) and names.index("Điện Biên") < names.index("Hải Phòng")
    cards = re.findall(r'<li class="ocop-card ocop-card--(\w+)">.*?class="ocop-card__name"[^>]*>([^<]+)<',
                       read(site, "sao/4/index.html"), re.S)
    valid = [name for status, name in cards if status in ("valid", "expiring")]
    lapsed = [name for status, name in cards if status not in ("valid", "expiring")]
    assert len(valid) > 3 and [n for _, n in cards] == valid + lapsed  # in force first, then by name
    assert valid == sorted(valid, key=sort_key) and lapsed == sorted(lapsed, key=sort_key)


def test_bodies_that_no_longer_exist_say_who_holds_their_function_now(site):
    for path, body in (("p/ruou-ngo-dong-van/index.html", "UBND tỉnh Hà Giang (nay là UBND tỉnh Tuyên Quang)"),
                       ("p/bo-kho-ha-giang/index.html", "UBND huyện Mèo Vạc (nay là UBND tỉnh Tuyên Quang)"),
                       ("01/08936012340037.html",
                        "Bộ Nông nghiệp và Phát triển nông thôn (nay là Bộ Nông nghiệp và Môi trường)")):
        html = read(site, path)
        assert body in text_of(html), path
        assert "Khi nghi ngờ, hỏi " + body.split("(nay là ")[1].rstrip(")") in text_of(html)
    assert "(nay là" not in read(site, "01/08936012340013.html")  # UBND tỉnh Lai Châu still exists


def test_product_page_cleanups(site):
    html = text_of(read(site, "san-pham/che-shan-tuyet-sin-ho/index.html"))
    assert "Tiêu chuẩn cơ sở: 01:2023/HCSH; Hữu cơ: TCVN 11041-6:2018" in html  # never the raw "organic"
    assert "Quyết định số 1032/QĐ-UBND ngày 15/03/2024" in html
    assert "Bản Nậm Cuổi, xã Nậm Cuổi, tỉnh Lai Châu" in html and "Lai Châu (Lai Châu)" not in html
    assert "200\u00a0g" in read(site, "san-pham/che-shan-tuyet-sin-ho/index.html")  # number and unit together
    assert "ocop labels" not in html and "cán bộ" not in html  # no staff instructions on a public page
    # "how to check" for data that may be old: the label's page has the box; the product page links to it
    assert 'href="../../01/08936012340013#ocop-howto-title">Cách kiểm tra</a>' in \
        read(site, "san-pham/che-shan-tuyet-sin-ho/index.html")
    assert 'href="#ocop-howto-title">Cách kiểm tra</a>' in read(site, "01/08936012340013.html")
    assert address_text({"street": "Thôn Tả Chải", "commune": "Xã Mèo Vạc", "province": "Tuyên Quang"}) == \
        "Thôn Tả Chải, xã Mèo Vạc, tỉnh Tuyên Quang"
    assert keep_units("Hộp 200 g, 24 tháng") == "Hộp 200\u00a0g, 24\u00a0tháng"


def test_after_a_re_recognition_the_label_page_names_the_earlier_number_too(site):
    """Probe, round five: a pack printed under the earlier certificate was, by the page's words, a
    fake — "the number printed on the pack must be …" named only the current one. Each earlier
    number is given with the days packs could carry it (no more: a lapsed or revoked one is not
    good for "any pack made before")."""
    text = text_of(read(site, "01/08936012340013.html"))
    assert ("Số giấy chứng nhận in trên bao bì phải là 100/GCN-UBND (Lai Châu, 2024). Bao bì làm khi giấy chứng nhận "
            "trước đó còn hiệu lực mang số của giấy đó: 45/GCN-UBND (3 sao) cho bao bì làm từ 20/07/2020 đến "
            "19/07/2023.") in text
    assert ("Packs made while an earlier certificate was in force carry its number: 45/GCN-UBND (3 stars) for packs "
            "made from 20 July 2020 to 19 July 2023.") in text_of(read(site, "en/01/08936012340013.html"))
    assert "trước đó" not in text_of(read(site, "01/08936012340020.html"))  # no earlier rating: nothing said


def test_a_lot_made_under_an_earlier_certificate_names_that_number():
    """Probe, round five: the page of a lot made under the earlier 3★ certificate said the pack must
    carry the current 4★ number."""
    from catalog.records.model import earlier_windows, lot_window

    record = {"certificate": {"decision": {"date": "2025-10-20"}},
              "earlier_ratings": [
                  {"stars": 3, "decision": {"date": "2024-03-01"}, "certificate_number": "301/GCN-UBND",
                   "valid_until": "2027-02-28", "revocation": {"decision": {"date": "2024-09-01"}}},
                  {"stars": 3, "decision": {"date": "2020-03-01"}, "certificate_number": "88/GCN-UBND",
                   "valid_until": "2023-02-28"}]}  # not oldest first: the windows do not depend on the order
    windows = [(w.number, w.start, w.end, w.ended_by) for w in earlier_windows(record)]
    assert windows == [("301/GCN-UBND", "2024-03-01", "2024-08-31", "revoked"),
                       ("88/GCN-UBND", "2020-03-01", "2023-02-28", "lapse")]
    assert lot_window(record, {"produced_on": "2024-06-01"}).number == "301/GCN-UBND"
    assert lot_window(record, {"produced_on": "2024-09-01"}) is None  # after the revocation
    assert lot_window(record, {"produced_on": "2025-11-01"}) is None  # the current certificate's


def test_every_scan_page_names_where_to_report_a_fake_label(site):
    pages = list((site / "p").rglob("index.html")) + list((site / "01").rglob("*.html"))
    full = [p for p in pages if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    assert len(full) > 30
    for page in full:
        html = page.read_text(encoding="utf-8")
        assert "Báo nhãn giả" in html and 'href="tel:02133000000"' in html, page


def test_not_found_page_warns_of_fake_labels_with_search_and_contact(site):
    html = read(site, "404.html")
    assert '<html lang="vi">' in html and "Không tìm thấy trang" in html
    assert "trang không tồn tại có thể là dấu hiệu nhãn giả" in html
    assert 'action="/tim-kiem/"' in html and 'href="tel:02133000000"' in html


def test_printed_label_says_so_gcn_with_province_and_year(tmp_path):
    cat = check(REPO, AS_OF).catalogue
    label = lab.Label(cat.products["mat-ong-bac-ha-meo-vac"], None, "https://ocop.example.vn/p/x/", "x")
    lines = lab.text_lines(label, lab.geometry(*lab.LABEL_MM, qrlib.encode(label.url)), lambda t: len(t))
    texts = [t for _, t in lines]
    assert "Số GCN: " + cat.products["mat-ong-bac-ha-meo-vac"].data["certificate"]["number"] in texts
    year = cat.products["mat-ong-bac-ha-meo-vac"].data["certificate"]["decision"]["date"][:4]
    assert f"Hà Giang, {year}" in texts  # the province on the certificate, the year of the decision


def test_product_page_code_is_the_labels_size_and_says_its_smallest_print(site):
    import base64
    import io

    html = read(site, "san-pham/nuoc-mam-cat-hai/index.html")
    data = re.search(r'<img class="ocop-qr__code" src="data:image/png;base64,([^"]+)"', html).group(1)
    img = Image.open(io.BytesIO(base64.b64decode(data)))
    url = re.search(r'<p class="ocop-qr__url">([^<]+)</p>', html).group(1)
    assert [r.text for r in zxingcpp.read_barcodes(img)] == [url]
    code = qrlib.encode(url)
    module_mm = img.width / code.size_with_quiet_zone / img.info["dpi"][0] * 25.4
    assert module_mm >= 0.67  # the label's module size, not the 0.42 mm minimum
    mm = -(-img.width * 25.4 // img.info["dpi"][0])
    assert f"In cạnh mã không nhỏ hơn {int(mm)} mm" in html


def test_the_english_product_page_links_the_code_instead_of_repeating_it(site):
    """Issue #27: the English twin shows the label's URL and print size and links the image on the
    Vietnamese page (the same PNG) instead of a second copy of it."""
    vi = read(site, "san-pham/nuoc-mam-cat-hai/index.html")
    en = read(site, "en/san-pham/nuoc-mam-cat-hai/index.html")
    url = re.search(r'<p class="ocop-qr__url">([^<]+)</p>', vi).group(1)
    mm = re.search(r"In cạnh mã không nhỏ hơn (\d+) mm", vi).group(1)
    assert "data:image/png" in vi and "data:image/png" not in en
    assert f'<p class="ocop-qr__url">{url}</p>' in en and f"no smaller than {mm} mm" in en
    assert '<a href="../../../san-pham/nuoc-mam-cat-hai/#ocop-qr-title">The code as an image' in en
    assert 'id="ocop-qr-title"' in vi and len(en.encode()) < len(vi.encode()) - 1000
