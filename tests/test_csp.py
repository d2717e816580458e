"""Issue #14: the Content-Security-Policy allows only the inline scripts we know (Material's, by
pattern, and our own by name), not whatever inline script the finished page happens to hold; the
offline copy has a policy too. Checked in Chromium, over HTTP and from file://."""

from __future__ import annotations

import re

import pytest

from catalog.site import csp, maps
from catalog.site.build import build
from catalog.checks.validate import check

from . import browser
from .conftest import AS_OF, REPO

INJECTED = "<script>document.title='pwned'</script>"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    from click.testing import CliRunner

    from catalog.cli import main

    base = tmp_path_factory.mktemp("csp")
    online = build(REPO, base / "site", AS_OF).out
    result = CliRunner().invoke(main, ["offline", "--root", str(REPO), "--out", str(base / "zips"), "--province",
                                       "lai-chau", "--as-of", AS_OF.isoformat()])
    assert result.exit_code == 0, result.output
    import zipfile

    with zipfile.ZipFile(base / "zips/ocop-lai-chau.zip") as zf:
        zf.extractall(base / "offline")
    return online, base / "offline/ocop-lai-chau"


def test_every_inline_script_of_the_built_pages_is_a_known_one(sites):
    """A Material upgrade that changes one of its inline scripts fails here (its script would be
    blocked by the policy) until catalog/site/csp.py THEME_SCRIPTS knows it."""
    for site, offline in zip(sites, (False, True)):
        names = set()
        for page in site.rglob("*.html"):
            if page.relative_to(site).parts[0] == "admin":
                continue  # the officers' form editor: its own policy (tests/test_cms.py)
            html = page.read_text(encoding="utf-8")
            found = csp.inline_scripts(html)
            assert all(name is not None for _, name in found), (page, [b[:80] for b, n in found if n is None])
            names |= {name for _, name in found}
            policy = re.search(r'Content-Security-Policy" content="([^"]*)"', html).group(1)
            if not offline and maps.MAP_MARKER in html:  # a map page: its tile server only (tests/test_maps.py)
                for origin in maps.tile_origins(check(REPO, AS_OF).catalogue.config):
                    policy = policy.replace(f" {origin}", "")
            assert ("file:" in policy) is offline and "unsafe-eval" not in policy and "http" not in policy
            assert len(re.findall(r"'sha256-", policy)) == len({b for b, _ in found})
        # ocop-status: label pages (#16); Material's two scripts are gone (issue #27: they served its
        # bundle, which no page loads — site_templates/partials/javascripts/)
        assert names == {"ocop-status"}, names


def test_an_unknown_inline_script_is_not_allowed_even_when_present_before_the_policy_is_made(sites):
    online, _ = sites
    html = (online / "san-pham/che-shan-tuyet-sin-ho/index.html").read_text(encoding="utf-8")
    bare = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', "", html)
    assert csp.with_csp(bare) == html
    injected = bare.replace("<h1", INJECTED + "<h1", 1)
    assert csp.policy_for(injected) == csp.policy_for(bare)  # its hash is not added


def test_page_scripts_are_allowed_by_name(tmp_path, monkeypatch):
    script = tmp_path / "kiem-tra.js"
    script.write_text("document.documentElement.dataset.kiemTra='1';\n", encoding="utf-8")
    monkeypatch.setattr(csp, "_templates", lambda: tmp_path)
    monkeypatch.setattr(csp, "PAGE_SCRIPTS", {"kiem-tra": "kiem-tra.js"})  # only the test's, from tmp_path
    csp.page_script.cache_clear()
    try:
        tag = str(csp.inline_script("kiem-tra"))
        assert tag == "<script>document.documentElement.dataset.kiemTra='1';</script>"
        html = f"<html><head><meta charset=\"utf-8\"></head><body>{tag}{INJECTED}</body></html>"
        assert [n for _, n in csp.inline_scripts(html)] == ["kiem-tra", None]
        assert csp.policy_for(html).count("'sha256-") == 1
    finally:
        csp.page_script.cache_clear()


needs_browser = pytest.mark.skipif(not browser.available(), reason="needs Debian chromium + chromium-driver")


@needs_browser
@pytest.mark.parametrize("offline", [False, True], ids=["http", "file"])
def test_in_chromium_the_injected_script_is_blocked_and_our_scripts_run(sites, tmp_path, offline):
    site = sites[1] if offline else sites[0]
    page = site / "san-pham/che-shan-tuyet-sin-ho/index.html"
    html = page.read_text(encoding="utf-8")
    bare = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', "", html)
    finish = csp.with_offline_csp if offline else csp.with_csp
    page.write_text(finish(bare.replace("<h1", INJECTED + "<h1", 1)), encoding="utf-8")
    server = None if offline else browser.Server(site)
    d = browser.chrome()
    try:
        d.get(page.as_uri() if offline else server.url + "san-pham/che-shan-tuyet-sin-ho/")
        assert d.title != "pwned"
        # Material's inline scripts are no longer written (issue #27: they served its bundle, never loaded)
        assert d.execute_script("return typeof __md_get") == "undefined"
        # our scripts from files ran (the status check marks <html> with the state it found)
        assert d.execute_script("return document.documentElement.getAttribute('data-ocop-c')")
        messages = browser.severe_console_messages(d)
        assert messages and all("Content Security Policy" in m for m in messages), messages
    finally:
        d.quit()
        page.write_text(html, encoding="utf-8")
        if server is not None:
            server.close()
