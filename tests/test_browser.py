"""The built site in a real browser at phone size (360×740): what a shopper sees after a scan."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from catalog.site import build

from . import browser
from .conftest import AS_OF, BASE, REPO

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
    assert stars.get_attribute("aria-label") == "5 trên 5 sao"
    assert text_of(driver, "[data-ocop-status-label]") == "Còn hiệu lực"
    cert = driver.find_element("css selector", ".ocop-cert")
    assert cert.location["y"] < 740 and cert.is_displayed()  # on the first screen
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "product-360x740.png"))
    assert browser.severe_console_messages(driver) == []


def test_revoked_page_says_so(served, driver):
    url, _ = served
    driver.get(url + "san-pham/bo-kho-ha-giang/")
    assert text_of(driver, "[data-ocop-status-label]") == "Đã thu hồi"
    assert "thu hồi" in text_of(driver, "[data-ocop-notice]")


def test_certificate_lapsing_after_the_build_shows_expired_in_the_browser(tmp_path):
    out = tmp_path / "site"
    build(BASE, out, AS_OF)  # the sample product is valid until 2028-08-31 at build time
    server = browser.Server(out)
    d = browser.chrome()
    try:
        browser.set_clock(d, "2028-09-05T09:00:00+07:00")
        d.get(server.url + "san-pham/san-pham-mau/")
        assert text_of(d, "[data-ocop-status-label]") == "Hết hạn"
        assert "đã hết hạn" in text_of(d, "[data-ocop-notice]")
        assert "05/09/2028" in text_of(d, "[data-ocop-checked]")
        html = (out / "san-pham/san-pham-mau/index.html").read_text(encoding="utf-8")
        assert "ocop-badge--valid" in html  # the built page itself said valid
        d.save_screenshot(str(tmp_path / "expired.png"))
        assert browser.severe_console_messages(d) == []
    finally:
        d.quit()
        server.close()


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
         "thong-ke/", "thong-ke/lai-chau/", "tinh/lai-chau/xa/", "tinh/lai-chau/xa/xa-nam-cuoi/", "tinh/lai-chau/sao/4/"]


@pytest.mark.skipif(not (JS / "axe-core").is_dir(), reason="npm packages in tests/js not installed")
@pytest.mark.parametrize("page", PAGES)
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
    assert driver.find_element("css selector", "html").get_attribute("lang") == "vi"


@pytest.mark.skipif(not (JS / "vnu-jar").is_dir(), reason="npm packages in tests/js not installed")
def test_every_page_kind_passes_the_nu_html_checker(served):
    _, out = served
    files = [str(out / p / "index.html") for p in PAGES]
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
    pages = list(out.rglob("*.html"))
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in html, page
        policy = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
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
