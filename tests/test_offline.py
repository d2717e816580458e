"""The offline copy, opened from file:// with the network switched off, as at a rural fair."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from . import browser
from .conftest import AS_OF, REPO
from .site_helpers import parse

pytestmark = pytest.mark.skipif(not browser.available(), reason="needs Debian chromium + chromium-driver")


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    from click.testing import CliRunner

    from catalog.cli import main

    out = tmp_path_factory.mktemp("o")
    result = CliRunner().invoke(main, ["offline", "--root", str(REPO), "--out", str(out / "zips"),
                                       "--province", "lai-chau", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    archive = out / "zips" / "ocop-lai-chau.zip"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(out / "x")
    return archive, out / "x" / "ocop-lai-chau"


def test_only_the_province_and_every_link_is_a_file(unpacked):
    _, site = unpacked
    products = {p.parent.name for p in (site / "san-pham").glob("*/index.html")}
    assert "che-shan-tuyet-sin-ho" in products and "nuoc-mam-cat-hai" not in products
    for page in site.rglob("*.html"):
        for url in parse(page).urls:
            if url.startswith(("http:", "https:", "mailto:", "tel:", "#", "data:")) or url.startswith("/"):
                continue
            target = (page.parent / url.split("#")[0].split("?")[0]).resolve()
            assert target.is_file(), f"{page.relative_to(site)} → {url}"


def test_zip_is_deterministic(unpacked, tmp_path, run_cli):
    archive, _ = unpacked
    run_cli("offline", "--root", REPO, "--out", tmp_path, "--province", "Lai Châu", "--as-of", AS_OF.isoformat())
    assert hashlib.sha256((tmp_path / "ocop-lai-chau.zip").read_bytes()).digest() == \
        hashlib.sha256(archive.read_bytes()).digest()


def test_opens_from_file_with_the_network_off(unpacked):
    _, site = unpacked
    d = browser.chrome()
    try:
        browser.set_clock(d, "2026-11-23T09:00:00+07:00")  # the as-of date: the status must not depend on today
        d.execute_cdp_cmd("Network.enable", {})
        d.execute_cdp_cmd("Network.emulateNetworkConditions",
                          {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        d.get((site / "index.html").as_uri())
        d.find_element("css selector", "a[href='san-pham/index.html']")
        d.get((site / "san-pham/che-shan-tuyet-sin-ho/index.html").as_uri())
        assert d.find_element("css selector", "h1").text == "Chè Shan tuyết Sìn Hồ"
        assert d.find_element("css selector", ".ocop-cert__status").text == "GCN còn hiệu lực đến hết ngày 14/03/2027"
        qr = d.find_element("css selector", ".ocop-qr img")
        d.execute_script("arguments[0].scrollIntoView()", qr)
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(d, 10).until(lambda drv: drv.execute_script("return arguments[0].naturalWidth", qr) > 0)
        d.get((site / "tim-kiem/index.html").as_uri() + "?q=che%20shan%20tuyet")
        WebDriverWait(d, 10).until(lambda drv: drv.find_elements("css selector", "[data-ocop-results] a"))
        names = [a.text for a in d.find_elements("css selector", "[data-ocop-results] a")]
        assert "Chè Shan tuyết Sìn Hồ" in names
        d.find_elements("css selector", "[data-ocop-results] a")[0].click()
        assert d.current_url.endswith("/index.html")
        requests = [json.loads(e["message"])["message"]["params"]["request"]["url"] for e in d.get_log("performance")
                    if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
        assert requests and [u for u in requests if not u.startswith(("file:", "data:"))] == []
        assert browser.severe_console_messages(d) == []
    finally:
        d.quit()


def test_a_link_with_a_line_break_in_its_query_is_rewritten_not_a_crash():
    """mypy (issue #18): the pattern splitting a link at ?/# did not match across a line break, and
    the rewrite raised AttributeError on such an href (HTML allows one inside an attribute)."""
    from catalog.publish.offline import rewrite_links

    assert rewrite_links('<a href="../san-pham/a/?q=1\n2">x</a>') == '<a href="../san-pham/a/index.html?q=1\n2">x</a>'


def test_offline_copy_in_english(tmp_path, run_cli):
    """``ocop offline --lang en`` (issue #18): the English pages at the copy's root (open index.html),
    every link a file, no switch to a Vietnamese twin the copy does not hold."""
    result = run_cli("offline", "--root", REPO, "--out", tmp_path / "zips", "--province", "lai-chau", "--lang", "en",
                     "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "zips" / "ocop-lai-chau-en.zip") as zf:
        zf.extractall(tmp_path / "x")
    site = tmp_path / "x" / "ocop-lai-chau-en"
    assert not (site / "en").exists()
    page = (site / "san-pham/che-shan-tuyet-sin-ho/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in page and "OCOP certificate" in page and "Lai Châu Province" in page
    assert "ocop-lang" not in page and 'hreflang="' not in page
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in home and "What is OCOP?" in home
    for p in site.rglob("*.html"):
        for url in parse(p).urls:
            if url.startswith(("http:", "https:", "mailto:", "tel:", "#", "data:")) or url.startswith("/"):
                continue
            assert (p.parent / url.split("#")[0].split("?")[0]).resolve().is_file(), f"{p.relative_to(site)} → {url}"
