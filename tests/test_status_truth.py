"""The scan tells the truth at first glance (issue #16).

A page is built on one day and read on another, on a phone whose clock may be wrong, over a weak
link, sometimes with JavaScript off. These tests build a small catalogue on the as-of date, then
read it in Chromium with a faked clock, with Material's script held back, with the HTML stream
stalled right after the certificate block (what is on screen before anything else arrives), and
with scripts disabled — and check that the status said is the true one for the reader's day.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from catalog.print import labels as lab
from catalog.site import status
from catalog.reference.collation import sort_key
from catalog.publish.hosting import PagesHandler, resolve
from catalog.records.model import Status, status_timeline
from catalog.site.scan import css as scan_css
from catalog.site.build import build
from catalog.checks.validate import check

from . import browser
from .conftest import AS_OF, BASE, REPO

ARTIFACTS = REPO / "test-artifacts"
needs_browser = pytest.mark.skipif(not browser.available(), reason="needs Debian chromium + chromium-driver")
GTIN = "8936012340013"  # the base sample product's


def product(base: str, pid: str, name: str, number: int, *changes: tuple[str, str], extra: str = "") -> str:
    """Another product made from the base sample: its own id, name and certificate number, no GTIN."""
    text = base.replace("id: san-pham-mau", f"id: {pid}").replace("name: Sản phẩm mẫu", f"name: {name}")
    text = text.replace("number: 1/GCN-UBND", f"number: {number}/GCN-UBND").replace(f'gtin: "{GTIN}"\n', "")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    return text + extra


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """The base data root, plus: a lapsed certificate, a revocation that takes effect after the
    build, and a product with one lot past its use-by date and one that passes it later."""
    root = tmp_path_factory.mktemp("data") / "root"
    shutil.copytree(BASE, root)
    folder = root / "products/lai-chau"
    base = (folder / "san-pham-mau.yaml").read_text(encoding="utf-8")
    assert f'gtin: "{GTIN}"' in base
    base = base.replace("    date: 2025-09-01\n", "    date: 2025-09-01\n    url: https://laichau.gov.vn/van-ban/100-qd-ubnd.pdf\n")
    (folder / "san-pham-mau.yaml").write_text(base, encoding="utf-8")
    (folder / "het-han.yaml").write_text(product(
        base, "het-han", "Chè đã hết hạn giấy chứng nhận", 2, ("148+1489/2025", "148/2023"),
        ("date: 2025-09-01", "date: 2023-10-02"), ("valid_until: 2028-08-31", "valid_until: 2026-10-01")), encoding="utf-8")
    (folder / "thu-hoi-sau.yaml").write_text(product(
        base, "thu-hoi-sau", "Chè sắp bị thu hồi", 3, extra=(
            "  revocation:\n    decision:\n      number: 9/QĐ-UBND\n      date: 2026-11-20\n"
            "      url: https://laichau.gov.vn/van-ban/9-qd-ubnd.pdf\n"
            "    effective_from: 2027-01-01\n    reason: Không duy trì chất lượng đã công bố\n")), encoding="utf-8")
    (folder / "co-lo.yaml").write_text(product(
        base, "co-lo", "Chè có lô hàng", 4, extra=(
            "lots:\n  - id: L1\n    produced_on: 2025-10-01\n    expires_on: 2026-10-01\n"
            "  - id: L2\n    produced_on: 2025-12-01\n    expires_on: 2026-12-31\n")), encoding="utf-8")
    config = root / "ocop.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "report_contact:\n  name: Đường dây nóng OCOP tỉnh\n"
                      '  phone: "02133000000"\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(root, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build(root, out, AS_OF)
    return out


# --- the build ----------------------------------------------------------------------------------

def test_validate_reports_the_revocation_that_takes_effect_later(root):
    result = check(root, AS_OF)
    assert result.ok
    found = [(p.code, p.file, p.line) for p in result.problems if p.code == "revocation-in-future"]
    assert found == [("revocation-in-future", "products/lai-chau/thu-hoi-sau.yaml", 35)]  # at effective_from


def test_timeline_follows_every_date_on_record(root):
    cat = check(root, AS_OF).catalogue
    day = dt.date.fromisoformat
    assert status_timeline(cat.products["san-pham-mau"].data, AS_OF) == [
        (AS_OF, Status.VALID), (day("2028-06-02"), Status.EXPIRING), (day("2028-09-01"), Status.EXPIRED)]
    assert status_timeline(cat.products["thu-hoi-sau"].data, AS_OF) == [
        (AS_OF, Status.VALID), (day("2027-01-01"), Status.REVOKED)]
    assert status_timeline(cat.products["het-han"].data, AS_OF) == [(AS_OF, Status.EXPIRED)]
    # the build's own status respects the effective date
    assert cat.products["thu-hoi-sau"].status is Status.VALID
    assert check(root, day("2027-01-01")).catalogue.products["thu-hoi-sau"].status is Status.REVOKED


def test_labels_respect_revocations_on_record_and_lot_use_by_dates(root, tmp_path):
    cat = check(root, AS_OF).catalogue
    chosen, refusals = lab.select(cat)
    assert {p.id for p in chosen} == {"san-pham-mau", "co-lo"}
    assert "Không in nhãn cho Chè sắp bị thu hồi (thu-hoi-sau): giấy chứng nhận sẽ bị thu hồi từ ngày 01/01/2027." \
        in refusals
    report = lab.generate(cat, tmp_path / "labels", chosen, refusals, lots=True)
    assert sorted(lb.key for lb in report.labels) == ["co-lo", "co-lo/L2", "san-pham-mau"]
    assert "Không in nhãn cho lô L1 của Chè có lô hàng (co-lo): lô đã hết hạn sử dụng ngày 01/10/2026." \
        in report.refusals


def test_the_status_check_is_the_one_inline_script_of_a_scan_page_and_its_csp_allows_it(site):
    import base64
    import hashlib
    import re

    from catalog.site.csp import PAGE_SCRIPTS
    from catalog.site.page import site_templates_dir

    text = (site_templates_dir() / PAGE_SCRIPTS["ocop-status"]).read_text(encoding="utf-8").rstrip("\n")
    html = (site / f"01/0{GTIN}.html").read_text(encoding="utf-8")
    bodies = [m.group(1) for m in re.finditer(r"<script[^>]*>(.*?)</script>", html, re.S)]
    assert bodies == [text] == [status.script()]
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in html


def test_the_decision_document_is_linked_where_it_is_on_record(site):
    scan = (site / f"01/0{GTIN}.html").read_text(encoding="utf-8")
    assert scan.count('href="https://laichau.gov.vn/van-ban/100-qd-ubnd.pdf"') == 2  # certificate block, how to check
    revoked = (site / "p/thu-hoi-sau/index.html").read_text(encoding="utf-8")
    assert '<a href="https://laichau.gov.vn/van-ban/9-qd-ubnd.pdf" rel="noopener noreferrer">Xem văn bản quyết định</a>' \
        in revoked.split('class="ocop-cert__lead"', 1)[1].split("</p>", 1)[0]


def test_status_css_is_the_same_everywhere():
    assert status.CSS in (REPO / "site_templates/assets/ocop.css").read_text(encoding="utf-8")
    assert status.CSS in scan_css(lot=True, certs=True)
    assert status.variant_css(lot=False, certs=False) in scan_css() and "data-ocop-l" not in scan_css()
    assert "data-ocop-g" not in scan_css(lot=True)  # only on the page of a product with two certificates


def test_label_url_is_a_page_the_host_serves_without_redirect(site):
    assert resolve(site, f"/01/0{GTIN}") == (200, site / f"01/0{GTIN}.html")
    assert resolve(site, "/p/co-lo/L1/") == (200, site / "p/co-lo/L1/index.html")
    assert resolve(site, "/01/x") == (404, site / "404.html")
    assert resolve(site, "/p/co-lo")[0] == 301  # a folder without its slash: redirected (not a label URL)


def test_vietnamese_collation_orders_letters_then_tones():
    names = ["Hải Phòng", "Đà Nẵng", "Điện Biên", "Cần Thơ", "Cao Bằng", "Dak", "Đắk Lắk", "Hà Nội", "Hà Giang",
             "Huế", "Hồ Chí Minh", "Ánh", "Anh", "Ảnh", "ánh", "Ăn", "Ân", "ong", "ông", "ơn", "Zô", "Yên", "Ưng", "Uông"]
    assert sorted(names, key=sort_key) == [
        "Anh", "Ảnh", "ánh", "Ánh", "Ăn", "Ân", "Cao Bằng", "Cần Thơ", "Dak", "Đà Nẵng", "Đắk Lắk", "Điện Biên",
        "Hà Giang", "Hà Nội", "Hải Phòng", "Hồ Chí Minh", "Huế", "ong", "ông", "ơn", "Uông", "Ưng", "Yên", "Zô"]


# --- the browser ----------------------------------------------------------------------------------

# served (the module's ``site`` on a local server), driver (one Chromium for the module) and clock (the
# phone's day, 09:00 in Vietnam): tests/conftest.py
def status_text(driver) -> str:
    return driver.find_element("css selector", ".ocop-cert__status").text


SCAN = f"01/0{GTIN}"
PRODUCT = "san-pham/san-pham-mau/"


@needs_browser
@pytest.mark.parametrize("page", [SCAN, PRODUCT])
def test_lapsed_after_the_build_with_the_theme_script_held_back(served, driver, clock, page):
    """Built when valid; read after valid_until: lapsed, at once, without Material's bundle."""
    clock("2028-09-05")
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*bundle*.js"]})
    try:
        driver.get(served + page)
        assert status_text(driver) == "GCN hết hiệu lực từ ngày 01/09/2028"
        assert "không còn được dùng biểu trưng OCOP" in driver.find_element("css selector", ".ocop-cert__notice").text
        (stars,) = [e for e in driver.find_elements("css selector", ".ocop-cert .ocop-stars") if e.is_displayed()]
        assert stars.value_of_css_property("color") == "rgba(107, 107, 107, 1)"  # grey, not gold
        assert "(giấy chứng nhận không còn hiệu lực)" in driver.find_element("css selector", ".ocop-cert__stars").text
        until = driver.find_element("css selector", ".ocop-cert dl s time")
        assert until.is_displayed() and until.text == "31/08/2028"
        assert "Hiệu lực ban đầu đến" in driver.find_element("css selector", ".ocop-cert dl").text
        if page == PRODUCT:
            assert driver.execute_script("return typeof document$") == "undefined"  # the bundle never ran
    finally:
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})


@needs_browser
@pytest.mark.parametrize("phone_day, page, expected", [
    ("2024-01-01", "san-pham/het-han/", "GCN hết hiệu lực từ ngày 02/10/2026"),  # the past revives nothing
    ("2020-06-01", SCAN, "GCN còn hiệu lực đến hết ngày 31/08/2028"),  # nor makes a valid one "not yet valid"
    ("2026-11-24", "p/thu-hoi-sau/", "GCN còn hiệu lực đến hết ngày 31/08/2028"),
    ("2027-01-01", "p/thu-hoi-sau/", "Đã thu hồi giấy chứng nhận OCOP từ ngày 01/01/2027"),  # on its effective day
    ("2028-06-02", SCAN, "GCN sắp hết hiệu lực còn hiệu lực đến hết ngày 31/08/2028"),
])
def test_the_browser_never_judges_before_the_build_date(served, driver, clock, phone_day, page, expected):
    clock(phone_day)
    driver.get(served + page)
    assert status_text(driver) == expected


@needs_browser
def test_a_revocation_on_record_is_said_before_and_leads_after(served, driver, clock):
    clock("2026-12-01")
    driver.get(served + "p/thu-hoi-sau/")
    assert "Giấy chứng nhận sẽ bị thu hồi từ ngày 01/01/2027." in driver.find_element("css selector", ".ocop-cert").text
    clock("2027-02-01")
    driver.get(served + "p/thu-hoi-sau/")
    cert = driver.find_element("css selector", ".ocop-cert").text
    lines = cert.splitlines()
    assert lines[1] == "Đã thu hồi giấy chứng nhận OCOP từ ngày 01/01/2027"
    assert lines[2].startswith("Quyết định thu hồi số 9/QĐ-UBND ngày 20/11/2026")  # leads, right under the status
    assert "sẽ bị thu hồi" not in cert


@needs_browser
def test_lots_past_their_use_by_date_say_so_in_the_status_block(served, driver, clock):
    clock("2026-11-23")
    driver.get(served + "p/co-lo/L1/")
    block = driver.find_element("css selector", ".ocop-cert")
    assert "Lô L1 đã hết hạn sử dụng từ ngày 02/10/2026 (hạn in trên bao bì: 01/10/2026)." in block.text
    driver.get(served + "p/co-lo/L2/")
    assert "Lô L2: hạn sử dụng đến hết ngày 31/12/2026." in driver.find_element("css selector", ".ocop-cert").text
    clock("2027-01-05")
    driver.get(served + "p/co-lo/L2/")
    assert "Lô L2 đã hết hạn sử dụng từ ngày 01/01/2027" in driver.find_element("css selector", ".ocop-cert").text


@needs_browser
@pytest.mark.parametrize("phone_day, stale", [("2026-11-30", False), ("2026-12-01", True)])
def test_the_page_says_when_its_data_was_published_and_when_that_is_old(served, driver, clock, phone_day, stale):
    clock(phone_day)
    driver.get(served + SCAN)
    data = driver.find_element("css selector", ".ocop-cert__data").text
    assert data.startswith("Dữ liệu công bố ngày 23/11/2026.")
    assert ("Đã hơn 7 ngày kể từ ngày đó: có thể đã có quyết định mới" in data) is stale
    assert "Cách kiểm tra nhãn này" in driver.find_element("css selector", ".ocop-howto").text
    assert "Đường dây nóng OCOP tỉnh" in driver.find_element("css selector", ".ocop-report").text


@needs_browser
@pytest.mark.parametrize("page", [SCAN, PRODUCT])
def test_javascript_off_still_says_until_when_and_as_of_when(served, page):
    d = browser.chrome()
    try:
        d.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        d.get(served + page)
        assert status_text(d) == "GCN còn hiệu lực đến hết ngày 31/08/2028 (theo dữ liệu ngày 23/11/2026)"
        assert "nếu ngày này đã cách hôm nay hơn 7 ngày" in d.find_element("css selector", ".ocop-cert__data").text
    finally:
        d.quit()


class _Stalling(PagesHandler):
    """Sends a page up to the end of its certificate block, then holds the rest back until released."""

    release: threading.Event
    stalled: str

    def send_head(self):
        found = super().send_head()
        if found is None or not self.path.rstrip("/").endswith(self.stalled):
            return found
        html = found.read()
        found.close()
        cut = html.index(b"</section>") + len(b"</section>")
        self.wfile.write(html[:cut])
        self.wfile.flush()
        self.release.wait(30)
        self.wfile.write(html[cut:])
        return None


@needs_browser
@pytest.mark.parametrize("page, shot", [(SCAN, "scan-first-paint-lapsed-360.png"),
                                        (PRODUCT, "product-first-paint-lapsed-360.png")])
def test_first_paint_is_already_true_with_the_rest_of_the_page_held_back(site, page, shot):
    """The HTML stops right after the certificate block (the theme's script and everything else not
    even referenced yet): what is on screen then must already be the truth for the reader's day."""
    release = threading.Event()
    handler = type("H", (_Stalling,), {"release": release, "stalled": page.rstrip("/")})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser.chrome(page_load_strategy="none")
    try:
        browser.set_clock(d, "2028-09-05T09:00:00+07:00")
        d.get(f"http://127.0.0.1:{httpd.server_address[1]}/{page}")
        # wait until the block is parsed and styled (styles block the first paint until then)
        WebDriverWait(d, 20).until(lambda drv: drv.execute_script(
            "var s = document.querySelector('.ocop-cert__status');"
            "return s && getComputedStyle(document.querySelector('.ocop-cert')).borderTopStyle === 'solid'"
            " && s.innerText.trim()"))
        assert d.execute_script("return document.readyState") == "loading"  # the rest is still held back
        assert not d.find_elements("css selector", ".ocop-howto, .ocop-photos")
        assert status_text(d) == "GCN hết hiệu lực từ ngày 01/09/2028"
        ARTIFACTS.mkdir(exist_ok=True)
        d.save_screenshot(str(ARTIFACTS / shot))
    finally:
        release.set()
        d.quit()
        httpd.shutdown()
        httpd.server_close()


@needs_browser
def test_scan_page_is_one_request(served):
    """Everything the status needs comes in the page itself: no style sheet, font, script or icon."""
    import json

    d = browser.chrome()
    try:
        d.get(served + SCAN)
        requested = [json.loads(e["message"])["message"]["params"]["request"]["url"] for e in d.get_log("performance")
                     if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
        assert requested == [served + SCAN]
    finally:
        d.quit()


@needs_browser
def test_collation_agrees_with_chromium_intl_collator(driver):
    from catalog.reference import places

    names = sorted({p.name for p in places.provinces().values()} | set(places.former_provinces())
                   | {"Đà Lạt", "Dĩ An", "Hòa Bình", "Hoà Bình", "Ấp Bắc", "An Lão", "Ân Thi", "Ăn Uống", "Ủy ban", "Ưu tiên"})
    chromium = driver.execute_script("return arguments[0].slice().sort(new Intl.Collator('vi').compare)", names)
    ours = sorted(names, key=sort_key)
    assert ours == chromium
    assert ours.index("Điện Biên") < ours.index("Hải Phòng") and ours.index("Dĩ An") < ours.index("Đà Lạt")


@needs_browser
@pytest.mark.parametrize("name, page, day", [
    ("scan-valid-360.png", SCAN, "2026-11-23"),
    ("scan-lapsed-360.png", SCAN, "2028-09-05"),
    ("scan-revoked-360.png", "p/thu-hoi-sau/", "2027-02-01"),
    ("scan-lot-expired-360.png", "p/co-lo/L1/", "2026-11-23"),
    ("not-found-360.png", "01/08930000000000", "2026-11-23"),
])
def test_screenshots_at_360_px(served, driver, clock, name, page, day):
    clock(day)
    driver.get(served + page)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))
    if not name.startswith("not-found"):
        assert browser.severe_console_messages(driver) == []


def test_an_earlier_rating_keeps_its_revocation(tmp_path, run_cli):
    """Probe, round five: a certificate revoked, then recognised again, went into earlier_ratings
    without its revocation (the schema had no place for it) and the history read as if it had run
    its course. It is kept now: said on the product page, counted as a revocation in its year, and it
    ends the rating (no lapse; a lot made after it belongs to no certificate)."""
    from catalog.figures import stats

    from .conftest import copy_data

    data = copy_data(tmp_path)
    path = data / "products/lai-chau/che-shan-tuyet-sin-ho.yaml"
    text = path.read_text(encoding="utf-8")
    earlier = '    certificate_number: 45/GCN-UBND\n    valid_until: "2023-07-19"\n'
    assert earlier in text
    revoked = earlier + ('    revocation:\n      decision:\n        number: 500/QĐ-UBND\n        date: "2022-05-10"\n'
                         '      reason: Chủ thể không duy trì chất lượng sản phẩm\n')
    path.write_text(text.replace(earlier, revoked), encoding="utf-8")
    result = check(data, AS_OF)
    assert [p for p in result.problems if p.severity == "error"] == []
    product = result.catalogue.products["che-shan-tuyet-sin-ho"]
    kinds = [(e.kind, e.day.isoformat()) for e in stats.events(product, AS_OF)]
    assert ("revoked", "2022-05-10") in kinds and ("lapsed", "2023-07-20") not in kinds, kinds
    out = tmp_path / "site"
    assert run_cli("build", "--root", data, "--out", out, "--as-of", AS_OF.isoformat()).exit_code == 0
    page = (out / "san-pham/che-shan-tuyet-sin-ho/index.html").read_text(encoding="utf-8")
    assert "45/GCN-UBND, hiệu lực đến 19/07/2023; <strong>bị thu hồi theo Quyết định số 500/QĐ-UBND từ ngày 10/05/2022</strong>" in page
    # the label page gives the earlier number for packs made until the day before that revocation only
    label = (out / "01/08936012340013.html").read_text(encoding="utf-8")
    assert "45/GCN-UBND (3 sao) cho bao bì làm từ 20/07/2020 đến 09/05/2022." in label
    # a lot made after that revocation and before the next recognition belongs to no certificate
    path.write_text(text.replace(earlier, revoked).replace('produced_on: "2025-04-10"', 'produced_on: "2022-06-01"'),
                    encoding="utf-8")
    assert "lot-outside-certificate" in [p.code for p in check(data, AS_OF).problems]
    # and a revocation dated before the rating it revokes is refused, as for the current certificate
    path.write_text(text.replace(earlier, revoked.replace('"2022-05-10"', '"2020-01-10"')), encoding="utf-8")
    assert [(p.code, p.field) for p in check(data, AS_OF).problems if p.severity == "error"] == [
        ("revocation-before-decision", "earlier_ratings[0].revocation.decision.date")]
