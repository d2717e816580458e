"""The catalogue in English (issue #18): every page has its twin under /en/, both name each other
(hreflang) and link to each other (the language switch), the words, dates and field names are
English, and a text without an English version is shown in Vietnamese and said to be so."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from catalog.records import fields
from catalog.reference import lang
from catalog.site.build import build
from catalog.records.urls import twin

from .conftest import AS_OF, REPO, copy_data
from .site_helpers import resolve_local

BASE_URL = "https://ocop.example.vn"


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.alternates: dict[str, str] = {}
        self.switch: list[tuple[str, str]] = []  # (href, hreflang)
        self.refresh = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "a" and "ocop-lang" in (a.get("class") or ""):
            self.switch.append((a["href"], a.get("hreflang")))
        elif tag == "meta" and a.get("http-equiv") == "refresh":
            self.refresh = a.get("content") or True


def head(path: Path) -> Head:
    h = Head()
    h.feed(path.read_text(encoding="utf-8"))
    return h


def url_of(site: Path, page: Path) -> str:
    """The site path a file answers: 'san-pham/x/' for san-pham/x/index.html, '01/<gtin>' for 01/<gtin>.html."""
    rel = page.relative_to(site).as_posix()
    return rel.removesuffix("index.html") if rel.endswith("index.html") else rel.removesuffix(".html")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("en") / "site"
    build(REPO, out, AS_OF)
    return out


def pages(site: Path) -> dict[str, Path]:
    return {url_of(site, p): p for p in site.rglob("*.html")
            if p.name != "404.html" and p.relative_to(site).parts[0] != "admin"}  # admin/: the form editor (#26)


def test_every_page_has_its_twin_and_both_name_each_other(site):
    found = pages(site)
    vi = {u for u in found if not u.startswith("en/")}
    en = {u for u in found if u.startswith("en/")}
    assert len(vi) > 200
    # p/<id>/ of a product with a GTIN only forwards to 01/<gtin> (a label printed before the GTIN):
    # no label ever leads to an English address, so it has no English twin (issue #27)
    from catalog.checks.validate import check
    from catalog.records.urls import trace_path

    gtin = [p for p in check(REPO, AS_OF).catalogue.products.values() if p.data.get("gtin")]
    forwarding = {trace_path(p.id, lot) for p in gtin for lot in [None] + [lot["id"] for lot in p.data.get("lots", [])]}
    assert all("/01/" in str(head(found[u]).refresh) for u in forwarding)
    assert {"p/nuoc-mam-cat-hai/", "p/nuoc-mam-cat-hai/CH2025-01/"} <= forwarding
    assert {twin(u) for u in vi - forwarding} == en, "a Vietnamese page without its English twin, or the other way round"
    kinds = set()
    for url in sorted(vi - forwarding):
        v, e = head(found[url]), head(found[twin(url)])
        if v.refresh:  # the old address of a renamed product: a bare redirect, in each language
            assert e.refresh
            continue
        kinds.add(url.split("/", 1)[0])
        assert (v.html_lang, e.html_lang) == ("vi", "en"), url
        for h in (v, e):
            assert h.alternates == {"vi": f"{BASE_URL}/{url}", "en": f"{BASE_URL}/en/{url}",
                                    "x-default": f"{BASE_URL}/{url}"}, url
        # the switch leads to the same record in the other language, and back
        (href_vi, code_vi), = v.switch
        (href_en, code_en), = e.switch
        assert code_vi == "en" and code_en == "vi", url
        assert resolve_local(found[url], href_vi, site) == found[twin(url)].resolve(), url
        assert resolve_local(found[twin(url)], href_en, site) == found[url].resolve(), url
    # every kind of page is among them (home is '', the scan pages 01/ and p/)
    assert {"", "san-pham", "chu-the", "diem-ban", "lang", "tinh", "nhom", "sao", "thong-ke", "tim-kiem",
            "du-lieu-mo", "01", "p"} <= kinds


def text_of(path: Path) -> str:
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", text).replace("&nbsp;", " ").split())


def test_english_product_page_says_it_in_english(site):
    page = site / "en/san-pham/nuoc-mam-cat-hai/index.html"
    text = text_of(page)
    for words in ("OCOP certificate", "Certificate number", "Deciding body", "Valid until",
                  "certification grade, not a customer review", "OCOP certificate valid", "Hải Phòng City"):
        assert words in text, words
    assert re.search(r"valid until the end of \d{1,2} (January|February|March|April|May|June|July|August|September"
                     r"|October|November|December) \d{4}", text)
    assert not re.search(r"\b\d\d/\d\d/\d{4}\b", text), "a dd/mm/yyyy date on an English page"
    assert "Information as of 23 November 2026." in text
    assert "Lai Châu Province" in text_of(site / "en/san-pham/che-shan-tuyet-sin-ho/index.html")


def test_revoked_in_english(site):
    text = text_of(site / "en/san-pham/bo-kho-ha-giang/index.html")
    assert "OCOP certificate revoked" in text or "Withdrawn from the OCOP catalogue" in text


def test_no_english_text_shows_the_vietnamese_marked_and_says_so(site):
    page = (site / "en/san-pham/nuoc-mam-cat-hai/index.html").read_text(encoding="utf-8")
    record = yaml.safe_load((REPO / "products/hai-phong/nuoc-mam-cat-hai.yaml").read_text(encoding="utf-8"))
    assert "description_en" not in record
    description = re.escape(record["description"].split()[0])
    assert re.search(r'<p lang="vi">' + description, page)
    assert lang.ui("en")["untranslated"] in page


def test_an_english_text_is_used_when_given(tmp_path):
    root = copy_data(tmp_path, "root")
    path = root / "products/hai-phong/nuoc-mam-cat-hai.yaml"
    path.write_text(path.read_text(encoding="utf-8")
                    + "description_en: Fish sauce from Cát Hải, aged in wooden barrels.\n", encoding="utf-8")
    out = tmp_path / "site"
    build(root, out, AS_OF)
    page = (out / "en/san-pham/nuoc-mam-cat-hai/index.html").read_text(encoding="utf-8")
    assert "<p>Fish sauce from Cát Hải, aged in wooden barrels.</p>" in page
    assert lang.ui("en")["untranslated"] not in page.split("ocop-facts")[-1].split("<h2")[0]
    vi = (out / "san-pham/nuoc-mam-cat-hai/index.html").read_text(encoding="utf-8")
    assert "Fish sauce from Cát Hải" not in vi


def test_a_fact_is_named_by_the_schema_in_each_language(site):
    for language, prefix in (("vi", ""), ("en", "en/")):
        page = (site / f"{prefix}san-pham/che-shan-tuyet-sin-ho/index.html").read_text(encoding="utf-8")
        for name in fields.PRODUCT_FACTS:
            assert f"<dt>{fields.title('product', name, language)}</dt>" in page, (
                f"the {language} page of {fields.SAMPLE_PRODUCT} shows no '{name}': every fact of fields.PRODUCT_FACTS "
                f"must be in that sample record — add '{name}' to it in tools/make_sample_data.py and run it "
                "(rule 3 of catalog/records/fields.py)")
    schema = json.loads((REPO / "schemas/product.schema.json").read_text(encoding="utf-8"))
    assert fields.title("product", "shelf_life") == schema["properties"]["shelf_life"]["title"]
    assert fields.title("product", "shelf_life", "en") == schema["properties"]["shelf_life"]["x-title-en"]


def test_csv_columns_are_titled_from_the_schemas(site):
    schema = json.loads((site / "api/v1/catalogue.schema.json").read_text(encoding="utf-8"))
    columns = schema["properties"]["products"]["items"]["properties"]
    header = (site / "api/v1/catalogue.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header == list(fields.CSV_COLUMNS) and set(header) == set(columns)
    for column in header:
        assert columns[column]["title"] == fields.column_title(column, "vi")
        assert columns[column]["x-title-en"] == fields.column_title(column, "en")
    assert columns["gtin"]["title"] == fields.title("product", "gtin")


def test_the_english_strings_have_the_same_keys_and_placeholders():
    def shape(node, path=""):
        if isinstance(node, dict):
            return {k: v for key, sub in node.items() for k, v in shape(sub, f"{path}.{key}").items()}
        text = " ".join(map(str, node)) if isinstance(node, list) else str(node)
        return {path: sorted(set(re.findall(r"\{(\w*)\}", text)))}

    assert shape(lang.ui("vi")) == shape(lang.ui("en"))
    assert lang.ui("en")["lang"] == "en"


def test_english_fields_are_as_guarded_as_their_vietnamese_twins():
    """description_en & co. refer to the same definitions (length, control characters, no HTML)."""
    from catalog.records.schemas import load_schema

    for kind, name in (("product", "description"), ("product", "raw_material_origin"), ("village", "description"),
                       ("sales_point", "opening_hours")):
        props = load_schema(f"{kind}.schema.json")["properties"]
        strip = lambda d: {k: v for k, v in d.items() if k not in ("title", "x-title-en", "description", "examples")}  # noqa: E731
        assert strip(props[f"{name}_en"]) == strip(props[name]), (kind, name)


def test_sitemap_lists_both_languages_without_repeating_the_alternates(site):
    """Both languages are listed; the pairs are named once, in each page's <head> (test above), not
    again as three xhtml:link per URL (issue #27: ~60 MB of a national bilingual sitemap). Pages
    that only forward (p/<id>/ of a GTIN product, noindex) are not listed."""
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE_URL}/en/san-pham/nuoc-mam-cat-hai/</loc>" in text
    assert "xhtml:link" not in text and "xmlns:xhtml" not in text
    listed = set(re.findall(r"<loc>" + re.escape(BASE_URL) + r"/([^<]*)</loc>", text))
    assert len(listed) > 400 and {twin(u) for u in listed} == listed  # each page with its twin
    assert "01/08936012340099" in listed and "p/nuoc-mam-cat-hai/" not in listed
    assert "en/p/nuoc-mam-cat-hai/" not in listed


def test_the_search_page_in_english_links_to_english_pages(site):
    page = (site / "en/tim-kiem/index.html").read_text(encoding="utf-8")
    assert 'data-index="../../search/index.json"' in page and 'data-base="../"' in page


def test_a_site_in_vietnamese_only(tmp_path, run_cli):
    """``ocop build --lang vi``: half the pages (a national site under GitHub Pages' 1 GB), no
    English twins, so no alternates and no switch to a page that is not there."""
    result = run_cli("build", "--root", REPO, "--out", tmp_path / "site", "--as-of", AS_OF.isoformat(), "--lang", "vi")
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    assert not (site / "en").exists()
    for page in ("index.html", "san-pham/nuoc-mam-cat-hai/index.html", "01/08936012340013.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "hreflang" not in text and "ocop-lang" not in text, page
    assert "xhtml:link" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    refused = run_cli("build", "--root", REPO, "--out", tmp_path / "en", "--as-of", AS_OF.isoformat(), "--lang", "en")
    assert refused.exit_code == 1 and "--offline" in refused.output


def test_the_not_found_page_speaks_both_languages(site):
    """404.html is one page for the whole site (a missing /en/ page gets it too): Vietnamese first,
    then the same in English, marked lang="en", its links to the English pages."""
    page = (site / "404.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in page and '<section lang="en" class="ocop-other-lang">' in page
    english = page.split('<section lang="en"', 1)[1]
    assert "Page not found" in english and 'href="/en/"' in english and 'action="/en/tim-kiem/"' in english
    assert page.count('id="ocop-q"') == 1 and 'id="ocop-q-en"' in english


def test_the_catalogue_is_named_in_english_where_ocop_yaml_says_so(site):
    config = yaml.safe_load((REPO / "ocop.yaml").read_text(encoding="utf-8"))
    home = (site / "en/index.html").read_text(encoding="utf-8")
    assert f"<h1>{config['title_en']}</h1>" in home and f"<title>{config['title_en']} - " in home
    assert f"- {config['title_en']}</title>" in (site / "en/01/08936012340013.html").read_text(encoding="utf-8")
    assert config["title_en"] not in (site / "index.html").read_text(encoding="utf-8")


def test_the_english_scan_page_links_what_the_label_page_carries_inline(site):
    """Issue #27: the page a label leads to stays one request (styles and status check inline, the
    check hashed in its CSP); its English twin — no label leads there — links the same styles and
    script as files. And the English twin of a GTIN product's forwarding p/ page is not made, while
    every address a label may carry still answers with a 200."""
    from catalog.publish.hosting import resolve
    from catalog.site.scan import SHEET, css

    vi = (site / "01/08936012340013.html").read_text(encoding="utf-8")
    en = (site / "en/01/08936012340013.html").read_text(encoding="utf-8")
    assert "<style>" in vi and 'rel="stylesheet"' not in vi and "ocop-status.js" not in vi
    assert "script-src 'self' 'sha256-" in vi
    assert "<style>" not in en and "script-src 'self';" in en
    assert f'<link rel="stylesheet" href="../../{SHEET}">' in en
    assert '<script src="../../assets/ocop-status.js" data-as-of=' in en
    assert (site / SHEET).read_text(encoding="utf-8") == css(lot=True, certs=True)
    assert (site / "assets/ocop-status.js").is_file()
    assert len(en.encode()) < len(vi.encode()) - 2500
    lot = (site / "en/01/08936012340013/10/L2025-04.html").read_text(encoding="utf-8")
    assert "<style>" not in lot and f'href="../../../../{SHEET}"' in lot
    for url, file in (("/01/08936012340013", "01/08936012340013.html"), ("/p/nuoc-mam-cat-hai/", "p/nuoc-mam-cat-hai/index.html"),
                      ("/p/nuoc-mam-cat-hai/CH2025-01/", "p/nuoc-mam-cat-hai/CH2025-01/index.html"),
                      ("/p/che-shan-tuyet-sin-ho/L2025-04/", "p/che-shan-tuyet-sin-ho/L2025-04/index.html")):
        assert resolve(site, url) == (200, site / file), url
    assert not (site / "en/p/nuoc-mam-cat-hai").exists() and not (site / "en/p/che-shan-tuyet-sin-ho").exists()
