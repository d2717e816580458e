"""The built site in a real browser at phone size (360×740): what a shopper sees after a scan."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from catalog.publish.hosting import resolve
from catalog.site.build import build

from . import browser
from .conftest import AS_OF, REPO

pytestmark = pytest.mark.skipif(not browser.available(), reason="needs Debian chromium + chromium-driver (tools/setup.sh test installs them)")
ARTIFACTS = REPO / "test-artifacts"
JS = Path(__file__).resolve().parent / "js" / "node_modules"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    out = tmp_path_factory.mktemp("b") / "site"
    build(REPO, out, AS_OF)
    server = browser.Server(out)
    yield server.url, out
    server.close()


@pytest.fixture(scope="module")
def driver():
    d = browser.chrome()
    yield d
    d.quit()


def text_of(driver, css: str) -> str:
    return driver.find_element("css selector", css).text


def test_product_page_shows_stars_and_status_on_a_phone(served, driver):
    url, _ = served
    driver.get(url + "san-pham/nuoc-mam-cat-hai/")
    assert text_of(driver, "h1") == "Nước mắm Cát Hải"
    stars = driver.find_element("css selector", ".ocop-cert .ocop-stars")
    assert stars.get_attribute("aria-label") == "Hạng 5 sao OCOP"
    # the browser checked on the build's day (the real clock is later, but never earlier)
    browser.set_clock(driver, "2026-11-23T09:00:00+07:00")
    driver.get(url + "san-pham/nuoc-mam-cat-hai/")
    assert text_of(driver, ".ocop-cert__status") == "GCN còn hiệu lực đến hết ngày 19/11/2027"
    cert = driver.find_element("css selector", ".ocop-cert")
    assert cert.location["y"] < 740 and cert.is_displayed()  # on the first screen
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "product-360x740.png"))
    assert browser.severe_console_messages(driver) == []


def test_english_product_page_on_a_phone(served, driver):
    """The English twin: stars, "OCOP certificate", number, deciding body, valid until and the status
    in English on the first screen; the switch leads back to the Vietnamese page."""
    url, _ = served
    browser.set_clock(driver, "2026-11-23T09:00:00+07:00")
    driver.get(url + "en/san-pham/nuoc-mam-cat-hai/")
    assert driver.find_element("css selector", "html").get_attribute("lang") == "en"
    stars = driver.find_element("css selector", ".ocop-cert .ocop-stars")
    assert stars.get_attribute("aria-label") == "OCOP 5-star certification grade"
    cert = text_of(driver, ".ocop-cert")
    for words in ("OCOP certificate", "Certificate number", "Deciding body", "Valid until", "not a customer review"):
        assert words in cert, words
    assert text_of(driver, ".ocop-cert__status") == "OCOP certificate valid until the end of 19 November 2027"
    block = driver.find_element("css selector", ".ocop-cert")
    assert block.location["y"] < 740 and block.is_displayed()
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "en-product-360.png"))
    assert browser.severe_console_messages(driver) == []
    driver.find_element("css selector", "a.ocop-lang").click()
    assert driver.current_url.endswith("/san-pham/nuoc-mam-cat-hai/") and "/en/" not in driver.current_url
    assert text_of(driver, "h1") == "Nước mắm Cát Hải"


def test_english_scan_page_and_map_page_on_a_phone(served, driver):
    url, _ = served
    driver.get(url + "01/08936012340013")
    link = driver.find_element("css selector", "a.ocop-lang")
    assert link.get_attribute("hreflang") == "en"
    link.click()
    assert driver.current_url.endswith("/en/01/08936012340013")
    assert "How to check this label" in driver.find_element("css selector", "body").text
    driver.get(url + "en/tinh/lai-chau/ban-do/")
    assert driver.find_element("css selector", "html").get_attribute("lang") == "en"
    assert text_of(driver, "h1") == "Map of sales points and villages — Lai Châu Province"
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "en-map-360.png"))
    assert browser.severe_console_messages(driver) == []


def test_revoked_page_says_so(served, driver):
    url, _ = served
    driver.get(url + "san-pham/bo-kho-ha-giang/")
    assert text_of(driver, ".ocop-cert__status") == "Đã thu hồi giấy chứng nhận OCOP từ ngày 18/03/2025"
    assert text_of(driver, ".ocop-cert__lead").startswith("Quyết định thu hồi số 412/QĐ-UBND ngày 18/03/2025")


@pytest.mark.parametrize("query, expected", [
    ("nuoc mam", "Nước mắm Cát Hải"),
    ("NƯỚC MẮM", "Nước mắm Cát Hải"),
    ("mat ong meo vac", "Mật ong bạc hà Mèo Vạc"),
    ("dien bien gao", "Gạo Điện Biên"),
])
def test_search_without_diacritics(served, driver, query, expected):
    url, _ = served
    driver.get(url + "tim-kiem/")
    box = driver.find_element("css selector", "#ocop-q")
    box.send_keys(query)
    box.submit()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", "[data-ocop-results] a"))
    names = [a.text for a in driver.find_elements("css selector", "[data-ocop-results] a")]
    assert expected in names
    assert browser.severe_console_messages(driver) == []


def test_english_search_finds_english_words_and_leads_to_english_pages(served, driver):
    from selenium.webdriver.support.ui import WebDriverWait

    url, _ = served
    driver.get(url + "en/tim-kiem/")
    assert driver.find_element("css selector", "#ocop-q").get_attribute("placeholder").startswith("e.g.")
    box = driver.find_element("css selector", "#ocop-q")
    box.send_keys("fish sauce")
    box.submit()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", "[data-ocop-results] a"))
    assert text_of(driver, "[data-ocop-count]").endswith("results") or text_of(driver, "[data-ocop-count]").endswith("result")
    link = next(a for a in driver.find_elements("css selector", "[data-ocop-results] a") if a.text == "Nước mắm Cát Hải")
    link.click()
    assert driver.current_url.endswith("/en/san-pham/nuoc-mam-cat-hai/")
    assert driver.find_element("css selector", "html").get_attribute("lang") == "en"
    assert browser.severe_console_messages(driver) == []


def test_search_results_in_vietnamese_order(served, driver):
    from selenium.webdriver.support.ui import WebDriverWait

    from catalog.reference.collation import sort_key

    url, _ = served
    driver.get(url + "tim-kiem/?q=a")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements("css selector", "[data-ocop-results] li"))
    rows = [(li.find_element("css selector", ".ocop-card__meta").text.count("★"),
             li.find_element("css selector", "a").text) for li in driver.find_elements("css selector", "[data-ocop-results] li")]
    names = [name for _, name in rows]  # code-point order would put "Cam sành" before "Cà phê"
    assert names.index("Cà phê Arabica Mường Ảng") < names.index("Cam sành Hàm Yên")
    assert rows == sorted(rows, key=lambda r: (-r[0], sort_key(r[1])))


def test_product_page_downloads_no_search_index(served):
    url, _ = served
    d = browser.chrome()
    try:
        d.get(url + "san-pham/gao-dien-bien/")
        requested = [json.loads(e["message"])["message"]["params"].get("request", {}).get("url", "")
                     for e in d.get_log("performance")
                     if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
        assert requested and not [u for u in requested if "search" in u and u.endswith(".json")]
        assert all(u.startswith(url) or u.startswith("data:") for u in requested), requested
    finally:
        d.quit()


# Markup that Material for MkDocs' own base.html emits outside any overridable block (its drawer and
# search toggles are checkboxes with autocomplete="off"). Listed exactly, so anything of ours fails.
UPSTREAM_MATERIAL = {
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
    "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, or “week”.",
}

PAGES = ["", "san-pham/", "tinh/lai-chau/", "san-pham/che-shan-tuyet-sin-ho/", "san-pham/bo-kho-ha-giang/",
         "chu-the/htx-che-sin-ho/", "diem-ban/diem-ocop-lai-chau-trung-tam/", "lang/ban-sin-suoi-ho/",
         "tim-kiem/", "du-lieu-mo/", "diem-ban/", "lang/",
         "thong-ke/", "thong-ke/lai-chau/", "tinh/lai-chau/xa/", "tinh/lai-chau/xa/xa-nam-cuoi/", "tinh/lai-chau/sao/4/",
         "tinh/lai-chau/ban-do/", "diem-ban/diem-ocop-dong-van/",
         # the pages a label leads to, and the page a fake label leads to
         "01/08936012340013", "p/che-shan-tuyet-sin-ho/L2025-04/", "p/bo-kho-ha-giang/", "khong-co-trang-nay"]
# and their English twins (issue #18; the 404 page is one for the whole site). A GTIN product's p/ page
# only forwards to its 01/ page and has no English twin (#27): the English lot's page is its 01/ one
EN_PAGES = ["en/" + {"p/che-shan-tuyet-sin-ho/L2025-04/": "01/08936012340013/10/L2025-04"}.get(p, p)
            for p in PAGES if p != "khong-co-trang-nay"]


@pytest.mark.skipif(not (JS / "axe-core").is_dir(), reason="npm packages in tests/js not installed")
@pytest.mark.parametrize("page", PAGES + EN_PAGES)
def test_accessibility_no_serious_violations(served, driver, page):
    url, _ = served
    driver.get(url + page)
    driver.execute_script((JS / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations); });")
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
               for v in result if v["impact"] in ("serious", "critical")]
    assert serious == []
    assert driver.find_element("css selector", "html").get_attribute("lang") == ("en" if page.startswith("en/") else "vi")


@pytest.mark.skipif(not (JS / "vnu-jar").is_dir(), reason="npm packages in tests/js not installed")
def test_every_page_kind_passes_the_nu_html_checker(served):
    _, out = served
    files = [str(resolve(out, "/" + p)[1]) for p in PAGES + EN_PAGES]
    proc = subprocess.run(["java", "-jar", str(JS / "vnu-jar" / "build" / "dist" / "vnu.jar"), "--errors-only",
                           "--format", "json", *files], capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
              if m.get("type") == "error" and m["message"] not in UPSTREAM_MATERIAL]
    assert errors == []


def test_print_stylesheet_hides_navigation_chrome(served, driver):
    url, _ = served
    driver.get(url + "san-pham/che-shan-tuyet-sin-ho/")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = driver.execute_script(
            "return ['.md-header', '.md-sidebar--primary', '.md-footer'].map(function (s) {"
            "  var e = document.querySelector(s); return !e || getComputedStyle(e).display === 'none'; });")
        assert hidden == [True, True, True]
        assert driver.find_element("css selector", ".ocop-cert").is_displayed()
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69})
        assert len(pdf["data"]) > 1000
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_every_page_has_a_csp_that_blocks_injected_scripts(served, driver):
    url, out = served
    pages = [p for p in out.rglob("*.html") if p.relative_to(out).parts[0] != "admin"]  # admin/: its own policy (test_cms.py)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in html, page
        policy = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
        if '<script type="application/json" id="ocop-map-data">' in html:  # a map: its tiles (issue #18, test_maps.py)
            policy = policy.replace("img-src 'self' data: https://tile.openstreetmap.org;", "img-src 'self' data:;")
        assert "http" not in policy and "unsafe-eval" not in policy and "script-src 'self'" in policy
    target = out / "san-pham/gao-dien-bien/index.html"
    html = target.read_text(encoding="utf-8")
    target.write_text(html.replace("<h1>", "<script>document.title='pwned'</script><h1>", 1), encoding="utf-8")
    try:
        driver.get(url + "san-pham/gao-dien-bien/")
        assert driver.title != "pwned"
        assert any("Content Security Policy" in m for m in browser.severe_console_messages(driver))
    finally:
        target.write_text(html, encoding="utf-8")


def test_statistics_page_on_a_phone_charts_fit_and_tables_carry_the_numbers(served, driver):
    """issue #17: the national statistics page at 360×740: charts as wide as the text column (no
    horizontal scroll of the page), readable labels, the table under each chart; screenshots kept."""
    url, _ = served
    driver.get(url + "thong-ke/")
    assert text_of(driver, "h1") == "Thống kê sản phẩm OCOP toàn quốc"
    # nothing of the page body sticks out of the phone's 360 px (wide tables scroll in their own box;
    # Material's header topic overflows with any long page title, product pages included)
    outside = driver.execute_script(
        "var out = []; document.querySelectorAll('.md-content *').forEach(function (e) {"
        "  if (e.closest('.ocop-table-wrap')) return;"
        "  if (e.getBoundingClientRect().right > 361) out.push(e.tagName + '.' + e.className); });"
        "return out;")
    assert outside == []
    charts = driver.find_elements("css selector", "svg.ocop-chart")
    assert len(charts) == 6
    for svg in charts:
        box = svg.rect
        assert 280 <= box["width"] <= 340, box
        size = driver.execute_script(
            "var t = arguments[0].querySelector('.ocop-chart__label');"
            "return t.getBoundingClientRect().height;", svg)
        assert size >= 12  # label text at least 12 px tall on the phone
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "stats-360x740.png"))
    stars = driver.find_element("css selector", "#hang-sao")
    driver.execute_script("arguments[0].scrollIntoView()", stars)
    driver.save_screenshot(str(ARTIFACTS / "stats-stars-360x740.png"))
    driver.execute_script("arguments[0].scrollIntoView()", driver.find_element("css selector", "#bien-dong"))
    driver.save_screenshot(str(ARTIFACTS / "stats-flows-360x740.png"))
    driver.get(url + "tinh/lai-chau/xa/")
    driver.save_screenshot(str(ARTIFACTS / "coverage-360x740.png"))
    assert browser.severe_console_messages(driver) == []


# --- issue #27: small truths ------------------------------------------------------------------------
STATES = ["valid", "expiring", "expired", "revoked", "withdrawn", "pending"]


def badge_looks(driver) -> dict[str, tuple[str, str]]:
    """(the icon drawn before the words, the corner radius) of a badge of each state, as the page's
    own style sheet draws it (a badge of each kind added to the loaded page, then removed)."""
    return driver.execute_script("""
        var out = {};
        arguments[0].forEach(function (s) {
          var b = document.createElement('span');
          b.className = 'ocop-badge ocop-badge--' + s;
          b.textContent = s;
          (document.querySelector('main, article, body')).appendChild(b);
          out[s] = [getComputedStyle(b, '::before').content, getComputedStyle(b).borderTopLeftRadius];
          b.remove();
        });
        return out;""", STATES)


@pytest.mark.parametrize("page", ["san-pham/nuoc-mam-cat-hai/", "01/08936012340013", "p/bo-kho-ha-giang/",
                                  "en/san-pham/nuoc-mam-cat-hai/"])
def test_each_certificate_state_has_its_own_icon_not_colour_alone(served, driver, page):
    """Under deuteranopia the green of "valid" and the amber of "about to lapse" (and the red of
    "lapsed") look alike: each state draws its own icon, and "valid" its own shape (issue #27),
    in the site's style sheet and in the scan page's inline one."""
    url, _ = served
    driver.get(url + page)
    looks = badge_looks(driver)
    icons = {state: icon for state, (icon, _) in looks.items()}
    assert all(icon not in ("none", "normal", "") for icon in icons.values()), icons
    assert len(set(icons.values())) == len(STATES), icons
    assert looks["valid"][1] != looks["expired"][1] and looks["valid"][1] != looks["expiring"][1]
    # the icon is decoration: the words read by a screen reader stay the status alone
    badge = driver.find_element("css selector", ".ocop-cert__status .ocop-badge")
    assert badge.is_displayed()
    name = [n.get("name", {}).get("value", "") for n in driver.execute_cdp_cmd(
        "Accessibility.getPartialAXTree", {"backendNodeId": driver.execute_cdp_cmd(
            "DOM.describeNode", {"objectId": driver.execute_cdp_cmd(
                "Runtime.evaluate", {"expression": "document.querySelector('.ocop-cert__status .ocop-badge:not([hidden])')"
                                     })["result"]["objectId"]})["node"]["backendNodeId"], "fetchRelatives": False})["nodes"]]
    assert not any(ch in "".join(name) for ch in "✓✕⊘⊖…!"), name


@pytest.mark.parametrize("page", ["", "san-pham/nuoc-mam-cat-hai/", "en/san-pham/nuoc-mam-cat-hai/", "en/thong-ke/"])
def test_every_header_link_is_in_view_at_360_px(served, driver, page):
    """The header's links (English and Search last) all within the 360 px screen, each the element
    a finger lands on at its middle — not scrolled out of a row past the edge (issue #27)."""
    url, _ = served
    driver.get(url + page)
    links = driver.execute_script("""
        return Array.from(document.querySelectorAll('.ocop-header__links a')).map(function (a) {
          var r = a.getBoundingClientRect();
          var hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return [a.textContent, r.left, r.right, window.innerWidth, hit === a || a.contains(hit)];
        });""")
    assert len(links) == 7, links
    outside = [text for text, left, right, width, hit in links if left < 0 or right > width or not hit]
    assert outside == [], links
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("page", ["thong-ke/", "thong-ke/lai-chau/", "en/thong-ke/"])
def test_statistics_cards_have_no_list_bullets(served, driver, page):
    """The lead figures are cards: Material's `.md-typeset ul` bullets and indentation must not
    reach them (issue #27)."""
    url, _ = served
    driver.get(url + page)
    cards = driver.execute_script("""
        return Array.from(document.querySelectorAll('.ocop-lead-figures > li')).map(function (li) {
          var s = getComputedStyle(li);
          return [s.listStyleType, s.display, s.marginLeft];
        });""")
    assert cards and all(style == "none" and margin == "0px" for style, _, margin in cards), cards


@pytest.mark.parametrize("page", ["", "san-pham/", "en/", "en/san-pham/"])
def test_home_and_product_listing_link_the_atom_feed(served, driver, page):
    """Feed readers find feed.xml from the home page and the product listing of each language."""
    url, out = served
    driver.get(url + page)
    feeds = driver.execute_script(
        "return Array.from(document.querySelectorAll('link[rel=alternate][type=\"application/atom+xml\"]'))"
        ".map(function (l) { return [l.href, l.title]; });")
    assert len(feeds) == 1 and feeds[0][0] == url + "feed.xml" and feeds[0][1], feeds
    assert (out / "feed.xml").read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize("page", ["san-pham/nuoc-mam-cat-hai/", "en/san-pham/nuoc-mam-cat-hai/", "", "thong-ke/"])
def test_catalogue_pages_load_no_web_font_and_nothing_shifts(served, page):
    """issue #27: no web font on a first visit (the phone's own fonts, as on the scan page), the text
    never moves once painted (CLS 0), and a product page's first load ≤ 40 KB compressed, photos
    apart (it was 94 KB, 59 KB of them two font weights)."""
    import gzip
    from urllib.parse import urlsplit

    url, out = served
    d = browser.chrome()
    try:
        d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source":
            "window.__cls = 0; new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) {"
            " if (!e.hadRecentInput) window.__cls += e.value; }); }).observe({type: 'layout-shift', buffered: true});"})
        d.get(url + page)
        d.execute_async_script("var done = arguments[arguments.length - 1]; document.fonts.ready.then(function () {"
                               " setTimeout(done, 500); });")
        assert d.execute_script("return window.__cls") == 0
        assert d.execute_script("return document.fonts.size") == 0  # no @font-face at all
        requested = [json.loads(e["message"])["message"]["params"]["request"]["url"] for e in d.get_log("performance")
                     if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
    finally:
        d.quit()
    assert not [u for u in requested if u.endswith((".woff2", ".woff", ".ttf"))], requested
    weight = 0
    for u in dict.fromkeys(requested):
        if not u.startswith(url) or "/assets/img/" in u:
            continue  # data: URIs are in the page already; photos are the product's own
        path = urlsplit(u).path.lstrip("/")
        f = out / path / "index.html" if not path or path.endswith("/") else out / path
        weight += len(gzip.compress(f.read_bytes(), 6, mtime=0))
    if page.endswith("nuoc-mam-cat-hai/"):
        assert weight <= 40 * 1024, weight


SHOWN = ["san-pham/nuoc-mam-cat-hai/", "san-pham/bo-kho-ha-giang/", "", "san-pham/", "thong-ke/", "chu-the/htx-che-sin-ho/",
         "diem-ban/diem-ocop-lai-chau-trung-tam/", "tim-kiem/", "du-lieu-mo/", "tinh/lai-chau/ban-do/", "en/san-pham/nuoc-mam-cat-hai/"]


def test_the_pruned_material_style_sheet_draws_every_page_the_same(served):
    """issue #27: catalog/site/build.py prune_material_css drops the rules of components no page has
    (137 → 37 KB before the first paint). Each kind of page, at 360 and 1,280 px and printed, is
    the same pixel for pixel with Material's full style sheet."""
    import base64
    import io

    import material
    from PIL import Image, ImageChops

    url, out = served
    sheet = next((out / "assets/stylesheets").glob("main.*.min.css"))
    full = (Path(material.__file__).parent / "templates/assets/stylesheets" / sheet.name).read_text(encoding="utf-8")
    pruned = sheet.read_text(encoding="utf-8")
    assert len(pruned) < len(full) / 3

    def shots() -> dict:
        d = browser.chrome()
        got = {}
        try:
            browser.set_clock(d, "2026-11-23T09:00:00+07:00")
            for width in (360, 1280):
                d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                  {"width": width, "height": 740, "deviceScaleFactor": 1, "mobile": width < 600})
                for media in ("", "print"):
                    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
                    for page in SHOWN:
                        d.get(url + page)
                        d.execute_async_script(  # every photo in (lazy ones too), or a shot depends on timing
                            "var done = arguments[arguments.length - 1];"
                            "Promise.all(Array.from(document.images).map(function (i) { i.loading = 'eager';"
                            " return i.complete ? 0 : new Promise(function (r) { i.onload = i.onerror = r; }); }))"
                            ".then(function () { requestAnimationFrame(function () { setTimeout(done, 100); }); });")
                        png = d.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True})["data"]
                        got[(width, media, page)] = Image.open(io.BytesIO(base64.b64decode(png))).convert("RGB")
        finally:
            d.quit()
        return got

    with_pruned = shots()
    try:
        sheet.write_text(full, encoding="utf-8")
        with_full = shots()
    finally:
        sheet.write_text(pruned, encoding="utf-8")
    differ = [key for key in with_pruned if with_pruned[key].size != with_full[key].size
              or ImageChops.difference(with_pruned[key], with_full[key]).getbbox() is not None]
    assert differ == []
