"""`ocop build` on the shipped data: every record has its page, links resolve, output is stable."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import jsonschema
import pytest

from catalog.records.urls import scan_path
from catalog.site.pages import PageBuilder
from catalog.checks.validate import check

from .conftest import AS_OF, BASE, REPO
from .site_helpers import build_shipped, parse, resolve_local
from catalog.runtime import output

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "site"
    report = build_shipped(out)
    return out, report


def is_redirect(page: Path) -> bool:
    """Old addresses of renamed products (former_ids): a bare meta-refresh page."""
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")


def test_renamed_products_redirect_from_every_old_address(site):
    out, _ = site
    cat = check(REPO, AS_OF).catalogue
    olds = [(old, p.id) for p in cat.products.values() for old in p.data.get("former_ids", [])]
    assert sorted(olds) == [("che-long-hai-phong", "cha-muc-cat-hai"), ("gao-bac-thom-dien-bien", "gao-dien-bien"),
                            ("mien-dong-binh-lieu-ls", "mang-kho-chi-lang"), ("ruou-sau-chit-tua-chua", "ruou-ngo-tua-chua"),
                            ("ruou-thuoc-kien-thuy", "nuoc-cot-gung-ninh-giang")]
    for old, new in olds:
        for lang in ("", "en/"):
            page = out / lang / "san-pham" / old / "index.html"
            assert is_redirect(page) and f"url=../{new}/" in page.read_text(encoding="utf-8")
            # the old label address: straight to the page the label leads to now, in one step (#27)
            page = out / lang / "p" / old / "index.html"
            target = out / lang / scan_path(cat.products[new].data)
            target = target / "index.html" if target.is_dir() else target.with_name(target.name + ".html")
            (to,) = re.findall(r'content="0; url=([^"]+)"', page.read_text(encoding="utf-8"))
            assert is_redirect(page) and resolve_local(page, to, out) == target.resolve() and target.is_file()
    assert scan_path(cat.products["cha-muc-cat-hai"].data).startswith("01/")  # one of them has a GTIN


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_records_in_equal_pages_out(site):
    out, _ = site
    cat = check(REPO, AS_OF).catalogue
    for url, table in (("san-pham", cat.products), ("chu-the", cat.producers),
                       ("diem-ban", cat.sales_points), ("lang", cat.villages)):
        built = {p.parent.name for p in (out / url).glob("*/index.html") if not is_redirect(p)}
        assert built == set(table), url
        assert len(list((out / "api/v1" / {"san-pham": "products", "chu-the": "producers", "diem-ban": "sales_points",
                                           "lang": "villages"}[url]).glob("*.json"))) == len(table)


def test_every_internal_link_and_image_resolves(site):
    out, _ = site
    broken = []
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 90
    for page in pages:
        for url in parse(page).urls:
            target = resolve_local(page, url, out)
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(out)} → {url}")
    assert broken == []


def test_external_links_are_only_https_osm_and_data_links(site):
    out, _ = site
    for page in out.rglob("*.html"):
        for url in parse(page).urls:
            if url.startswith(("http:", "//")):
                raise AssertionError(f"{page}: {url}")


def test_sample_banner_and_as_of_on_every_page(site):
    out, _ = site
    for page in out.rglob("*.html"):
        if is_redirect(page) or page.relative_to(out).parts[0] == "admin":  # admin/: not a catalogue page (#26)
            continue
        text = page.read_text(encoding="utf-8")
        if page.relative_to(out).parts[0] == "en":  # the English twins (issue #18)
            assert "SAMPLE DATA" in text, page
            assert "Information as of 23 November 2026." in text, page
            continue
        assert "DỮ LIỆU MẪU" in text, page
        assert "Thông tin tính đến ngày 23/11/2026." in text, page


def test_product_page_is_light_and_fetches_no_search_index(site):
    out, _ = site
    html = (out / "san-pham/nuoc-mam-cat-hai/index.html").read_text(encoding="utf-8")
    assert "search/index.json" not in html and "search_index.json" not in html
    assert not (out / "search/search_index.json").exists()  # Material's search plugin is off
    assert 'lang="vi"' in html


def test_the_frame_repeats_nothing_no_page_uses(site):
    """issue #27: what every framed page repeats is only what it shows — Material's markup and
    inline scripts for its bundle (never loaded), its generator tag, its palette style sheet (our
    colours are in ocop.css) are gone; the frame around a product page's body is ≤ 2.8 KB with the
    sample-data banner (was 4.0 KB)."""
    from catalog.site.build import MATERIAL_UNUSED

    out, _ = site
    for page in ("san-pham/nuoc-mam-cat-hai/", "chu-the/htx-che-sin-ho/", "", "en/san-pham/", "thong-ke/"):
        html = (out / page / "index.html").read_text(encoding="utf-8")
        for unused in (*MATERIAL_UNUSED, "__md_scope", "__tabbed_", 'name="generator"', "palette.", "data-md-component",
                       "data-md-color"):
            assert unused not in html, (page, unused)
        assert 'class="md-content__inner md-typeset"' in html and "md-header" in html  # Material's grid stays
    html = (out / "san-pham/nuoc-mam-cat-hai/index.html").read_text(encoding="utf-8")
    body_at, body_end = html.index('<article class="md-content__inner md-typeset">'), html.index("</article>")
    assert len(html[:body_at].encode()) + len(html[body_end:].encode()) <= 2800


def test_certificate_block_and_status(site):
    out, _ = site
    html = (out / "san-pham/nuoc-mam-cat-hai/index.html").read_text(encoding="utf-8")
    assert 'data-t-c="2026-11-23=valid 2027-08-21=expiring 2027-11-20=expired"' in html
    assert 'aria-label="Hạng 5 sao OCOP"' in html and "★★★★★" in html
    assert "ocop-badge--valid" in html and "4012/QĐ-BNN-VPĐP" in html
    assert '<span data-c="0 valid"><span class="ocop-badge ocop-badge--valid">GCN còn hiệu lực</span> đến hết ngày ' \
        '19/11/2027</span>' in html and '<span data-c="0"> (theo dữ liệu ngày 23/11/2026)</span>' in html
    revoked = (out / "san-pham/bo-kho-ha-giang/index.html").read_text(encoding="utf-8")
    assert "ocop-badge--revoked" in revoked and 'data-t-c="2026-11-23=revoked"' in revoked
    assert "Đã thu hồi giấy chứng nhận OCOP</span> từ ngày 18/03/2025" in revoked
    assert "Quyết định thu hồi số 412/QĐ-UBND ngày 18/03/2025" in revoked
    withdrawn = (out / "san-pham/khau-nhuc-tuyen-quang/index.html").read_text(encoding="utf-8")
    assert "ocop-badge--withdrawn" in withdrawn and "Chủ thể ngừng sản xuất" in withdrawn
    expired = (out / "san-pham/mam-tep-hai-phong/index.html").read_text(encoding="utf-8")
    assert "ocop-badge--expired" in expired and "GCN hết hiệu lực</span> từ ngày 20/03/2026" in expired
    assert "★★★☆" not in expired and "☆" not in html  # only the stars earned


def test_structured_data_uses_certification_never_aggregate_rating(site):
    out, _ = site
    (block,) = parse(out / "san-pham/nuoc-mam-cat-hai/index.html").json_ld
    doc = json.loads(block)
    assert doc["@type"] == "Product"
    cert = doc["hasCertification"]
    assert cert["@type"] == "Certification" and cert["certificationRating"]["ratingValue"] == 5
    assert cert["expires"] == "2027-11-19" and cert["issuedBy"]["name"]
    assert cert["certificationStatus"] == "https://schema.org/CertificationActive"
    for page in out.rglob("*.html"):
        assert "AggregateRating" not in page.read_text(encoding="utf-8")
    (store,) = parse(out / "diem-ban/diem-ocop-lai-chau-trung-tam/index.html").json_ld
    assert json.loads(store)["@type"] == "Store"
    # once per record: not again on the English twin, which names its Vietnamese alternate (#27)
    for twin in ("en/san-pham/nuoc-mam-cat-hai/index.html", "en/diem-ban/diem-ocop-lai-chau-trung-tam/index.html"):
        assert parse(out / twin).json_ld == [] and 'hreflang="vi"' in (out / twin).read_text(encoding="utf-8")


def test_producer_and_sales_point_link_both_ways(site):
    out, _ = site
    product = (out / "san-pham/che-shan-tuyet-sin-ho/index.html").read_text(encoding="utf-8")
    assert "../../chu-the/htx-che-sin-ho/" in product and "../../diem-ban/diem-ocop-lai-chau-trung-tam/" in product
    producer = (out / "chu-the/htx-che-sin-ho/index.html").read_text(encoding="utf-8")
    assert "../../san-pham/che-shan-tuyet-sin-ho/" in producer
    village = (out / "lang/ban-sin-suoi-ho/index.html").read_text(encoding="utf-8")
    assert "../../san-pham/ban-du-lich-sin-suoi-ho/" in village and "openstreetmap.org" in village


def test_photos_are_resized_with_dimensions_and_lazy(site):
    out, _ = site
    html = (out / "sao/4/index.html").read_text(encoding="utf-8")
    assert 'loading="lazy"' in html and 'width="480" height="360"' in html
    assert (out / "assets/img/lai-chau/che-shan-tuyet-sin-ho-480.jpg").stat().st_size < 60_000


def test_open_data_validates_against_its_schema(site):
    out, _ = site
    doc = json.loads((out / "api/v1/catalogue.json").read_text(encoding="utf-8"))
    schema = json.loads((out / "api/v1/catalogue.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(doc)
    assert len(doc["products"]) == 40 and doc["sample_data"] is True and doc["as_of"] == "2026-11-23"
    rows = list(csv.DictReader((out / "api/v1/catalogue.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 40 and {r["status"] for r in rows} >= {"valid", "expired", "revoked", "withdrawn"}
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    # recognitions and endings, recounted from the records in tests/test_stats.py
    assert feed.count("<entry>") > 40 and "https://ocop.example.vn/san-pham/" in feed
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://ocop.example.vn/san-pham/nuoc-mam-cat-hai/" in sitemap


def test_search_index_is_folded_and_small(site):
    out, _ = site
    rows = json.loads((out / "search/index.json").read_text(encoding="utf-8"))
    nuoc_mam = [r for r in rows if r[0] == "san-pham/nuoc-mam-cat-hai/"][0]
    assert "nuoc mam cat hai" in nuoc_mam[2] and "đ" not in "".join(r[2] for r in rows)
    assert (out / "search/index.json").stat().st_size < 40 * 400  # ~ a few hundred bytes per product


def test_golden_pages_and_catalogue(site):
    """Reviewed as diffs: regenerate with OCOP_UPDATE_GOLDEN=1 and read the git diff."""
    out, _ = site
    cat = check(REPO, AS_OF).catalogue
    builder = PageBuilder(cat)
    pages = {p.path: p for p in builder.pages()}
    got = {
        "product-che-shan-tuyet-sin-ho.md": pages["san-pham/che-shan-tuyet-sin-ho.md"].render(),
        "producer-htx-che-sin-ho.md": pages["chu-the/htx-che-sin-ho.md"].render(),
        "scan-che-shan-tuyet-sin-ho.html": pages["01/08936012340013.html"].body,
        "catalogue.json": (out / "api/v1/catalogue.json").read_text(encoding="utf-8"),
    }
    for name, text in got.items():
        path = GOLDEN / name
        if os.environ.get("OCOP_UPDATE_GOLDEN"):
            path.write_text(text, encoding="utf-8")
        assert text == path.read_text(encoding="utf-8"), f"{name} differs from tests/golden (see the diff)"


def test_two_builds_are_byte_identical_across_time_zones(site, tmp_path):
    out, _ = site
    old_tz = os.environ.get("TZ")
    os.environ["TZ"] = "America/Los_Angeles"
    time.tzset()
    try:
        build_shipped(tmp_path / "again" / "other-name")
    finally:
        if old_tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old_tz
        time.tzset()
    assert digest(tmp_path / "again" / "other-name") == digest(out)


def test_build_refuses_on_errors_and_keeps_the_last_good_site(tmp_path, run_cli):
    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    out = tmp_path / "site"
    assert run_cli("build", "--root", root, "--out", out, "--as-of", AS_OF.isoformat()).exit_code == 0
    before = digest(out)
    p = root / "products/lai-chau/san-pham-mau.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("  stars: 4", "  stars: 7"), encoding="utf-8")
    result = run_cli("build", "--root", root, "--out", out, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 1
    assert "products/lai-chau/san-pham-mau.yaml:19:10: error: certificate.stars:" in result.output
    assert digest(out) == before
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == [output.work_dir(out)]  # only the work folder


def test_base_url_option_changes_absolute_urls_only(tmp_path, run_cli):
    out = tmp_path / "site"
    run_cli("build", "--root", BASE, "--out", out, "--as-of", AS_OF.isoformat(), "--base-url", "https://ocop.laichau.gov.vn")
    doc = json.loads((out / "api/v1/catalogue.json").read_text(encoding="utf-8"))
    assert doc["products"][0]["url"] == "https://ocop.laichau.gov.vn/san-pham/san-pham-mau/"


# Markdown extensions and MkDocs plugins that can read files or run templates from page text
# (pymdownx.snippets, macros, include-markdown, …) must never be enabled: records are untrusted input.
ALLOWED_PLUGINS: set[str] = set()
ALLOWED_EXTENSIONS: set[str] = set()


def test_only_allow_listed_plugins_and_extensions(tmp_path):
    from catalog.site.build import mkdocs_base_config, mkdocs_config

    for config in (mkdocs_base_config(), mkdocs_config(check(BASE, AS_OF).catalogue, tmp_path, tmp_path)):
        plugins = config.get("plugins") or []
        names = {p if isinstance(p, str) else next(iter(p)) for p in plugins}
        assert names <= ALLOWED_PLUGINS, names - ALLOWED_PLUGINS
        extensions = config.get("markdown_extensions") or []
        names = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
        assert names <= ALLOWED_EXTENSIONS, names - ALLOWED_EXTENSIONS
        assert "hooks" not in config
    import importlib.metadata

    version = tuple(int(x) for x in importlib.metadata.version("mkdocs-material").split(".")[:3])
    assert version >= (9, 7, 7)  # search-suggestion XSS fix (and search is off anyway)


def test_external_links_do_not_leak_the_opener(site):
    out, _ = site
    import re

    for page in out.rglob("*.html"):
        for tag in re.findall(r"<a\s[^>]*href=\"https?://[^\"]*\"[^>]*>", page.read_text(encoding="utf-8")):
            assert 'rel="noopener noreferrer"' in tag, f"{page}: {tag}"


def test_build_in_another_process_locale_and_time_zone_is_byte_identical(site, tmp_path):
    import subprocess
    import sys

    out, _ = site
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "LC_ALL": "C", "LANG": "C", "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "catalog.cli", "build", "--root", str(REPO), "--out", str(tmp_path / "x"),
                    "--as-of", AS_OF.isoformat()], check=True, capture_output=True, env=env, cwd=tmp_path)
    assert digest(tmp_path / "x") == digest(out)


def test_a_revocation_names_who_revoked_it_and_who_holds_that_office_now(site):
    """The shopper asks "who decided it" of a revocation too: the body that signed it (a district
    abolished on 1 July 2025 → the province that holds its powers now), on the label's page and the
    product page, in both languages."""
    out, _ = site
    for page, words in (("p/bo-kho-ha-giang/index.html", "Cơ quan thu hồi</dt><dd>UBND huyện Mèo Vạc (nay là UBND tỉnh Tuyên Quang)"),
                        ("san-pham/bo-kho-ha-giang/index.html", "Cơ quan thu hồi</dt><dd>UBND huyện Mèo Vạc (nay là UBND tỉnh Tuyên Quang)"),
                        ("en/p/bo-kho-ha-giang/index.html", "Revoked by</dt><dd>UBND huyện Mèo Vạc (now UBND tỉnh Tuyên Quang)")):
        assert words in (out / page).read_text(encoding="utf-8"), page
