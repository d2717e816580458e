"""Maps in a real browser (issue #18): headless Chromium at 360×740, every request logged through CDP.

The site is built with its tile server pointed at a local stand-in (browser.TileServer, placeholder
tiles): no test reaches the network. The site and the tile server are two origins on 127.0.0.1, so
"a request to another origin" is exactly what a visitor's browser would send to the tile server.
"""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import pytest
import yaml

from catalog.reference.lang import ui
from catalog.site.build import build

from . import browser
from .conftest import AS_OF, REPO, copy_data

pytestmark = pytest.mark.skipif(not browser.available(), reason="needs Debian chromium + chromium-driver (tools/setup.sh test installs them)")
ARTIFACTS = REPO / "test-artifacts"
JS = Path(__file__).resolve().parent / "js" / "node_modules"
TEXT = ui()["maps"]
UNLOCATED = "sales_points/lai-chau/diem-ocop-sin-suoi-ho.yaml"  # first of its list by name: "Gần tôi" moves it last


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """(site URL, built folder, data root, tile server)."""
    tiles = browser.TileServer()
    base = tmp_path_factory.mktemp("mapsite")
    root = copy_data(base)
    with open(root / "ocop.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"map:\n  tiles: {tiles.template}\n")
    path = root / UNLOCATED
    path.write_text(re.sub(r"(?m)^location:\n  lat: .*\n  lon: .*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    build(root, base / "site", AS_OF)
    server = browser.Server(base / "site")
    yield server.url, base / "site", root, tiles
    server.close()
    tiles.close()


@pytest.fixture
def driver():
    d = browser.chrome()
    yield d
    d.quit()


def wait(driver, condition, seconds: float = 15):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def css(driver, selector: str):
    return driver.find_elements("css selector", selector)


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait(driver, lambda d: css(d, "[data-ocop-map-toggle]") and css(d, "[data-ocop-map-toggle]")[0].is_displayed())


def show_map(driver, markers: int) -> None:
    tap(driver, css(driver, "[data-ocop-map-toggle]")[0])
    wait(driver, lambda d: len(css(d, ".leaflet-marker-icon")) == markers)
    wait(driver, lambda d: css(d, "img.leaflet-tile") and all(
        "leaflet-tile-loaded" in t.get_attribute("class") for t in css(d, "img.leaflet-tile")))
    wait(driver, lambda d: not moving(d))  # the view may still be settling: a tap must land on its marker


def moving(driver) -> bool:
    import time

    where = "return Array.from(document.querySelectorAll('.leaflet-marker-icon')).map(m => m.getBoundingClientRect().x)"
    before = driver.execute_script(where)
    time.sleep(0.3)
    return driver.execute_script(where) != before


def tap_until(driver, element, condition, taps: int = 3):
    """Tap ``element`` until ``condition`` holds: on a loaded machine a touch sent while the map is
    still laying out can land before Leaflet listens (seen under a load average of 11 on 2 cores).
    A real finger taps again too; the condition, not the timing, is what the test checks."""
    from selenium.common.exceptions import TimeoutException

    for attempt in range(taps):
        tap(driver, element)
        try:
            return wait(driver, condition, 15 if attempt == taps - 1 else 5)
        except TimeoutException:
            if attempt == taps - 1:
                raise
    return None


def tap(driver, element) -> None:
    """A finger's tap at the middle of ``element``: a phone sends touch events, not mouse clicks (and
    chromedriver's clicks land beside the element once a page emulating a phone has scrolled)."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    box = driver.execute_script("var r = arguments[0].getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2];",
                                element)
    point = {"x": box[0], "y": box[1]}
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    driver.execute_cdp_cmd("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def located(root: Path, province: str) -> list[dict]:
    found = []
    for kind in ("sales_points", "villages"):
        for path in sorted((root / kind / province).glob("*.yaml")):
            rec = yaml.safe_load(path.read_text(encoding="utf-8"))
            if rec.get("location"):
                found.append(rec)
    return found


def test_no_request_leaves_the_site_before_the_tap_and_tiles_come_only_from_the_tile_server_after(world, driver):
    site, _, root, tiles = world
    before_count = len(tiles.requests)
    open_page(driver, site + "tinh/lai-chau/ban-do/")
    time.sleep(0.5)  # anything the page would fetch by itself has started by now
    before = browser.requested_urls(driver)
    assert before and all(u.startswith(site) for u in before), before
    assert not [u for u in before if "leaflet" in u]  # the library too waits for the tap
    assert len(tiles.requests) == before_count
    show_map(driver, len(located(root, "lai-chau")))
    after = browser.requested_urls(driver)
    elsewhere = [u for u in after if not u.startswith(site)]
    assert elsewhere and all(re.fullmatch(re.escape(tiles.origin) + r"/\d+/\d+/\d+\.png", u) for u in elsewhere), elsewhere
    assert [u for u in after if u.endswith("/leaflet.js")] and [u for u in after if u.endswith("/leaflet.css")]
    new = tiles.requests[before_count:]
    assert new and {referer for _, referer in new} == {site}  # the tile server's policy: a valid Referer
    attribution = css(driver, ".leaflet-control-attribution a")
    assert [(a.text, a.get_attribute("href")) for a in attribution] == \
        [("© OpenStreetMap contributors", "https://www.openstreetmap.org/copyright")]
    assert attribution[0].is_displayed()
    assert browser.severe_console_messages(driver) == []


def test_markers_are_the_records_with_coordinates_and_the_others_are_listed_saying_so(world, driver):
    site, _, root, _ = world
    open_page(driver, site + "tinh/lai-chau/ban-do/")
    expected = located(root, "lai-chau")
    show_map(driver, len(expected))
    names = sorted(m.get_attribute("alt").split(" — ")[0] for m in css(driver, ".leaflet-marker-icon"))
    assert names == sorted(r["name"] for r in expected)
    unlocated = yaml.safe_load((root / UNLOCATED).read_text(encoding="utf-8"))
    assert unlocated["name"] not in names
    items = css(driver, "[data-ocop-place]")
    listed = len(list((root / "sales_points/lai-chau").glob("*.yaml"))) + len(list((root / "villages/lai-chau").glob("*.yaml")))
    assert len(items) == listed
    item = css(driver, f'[data-ocop-place="sales_point/{unlocated["id"]}"]')[0]
    assert unlocated["name"] in item.text and TEXT["no_location"] in item.text
    # a marker opens a popup naming its record, with a link to the record's page
    marker = css(driver, ".leaflet-marker-icon")[0]
    tap_until(driver, marker, lambda d: css(d, ".leaflet-popup-content a") and css(d, ".leaflet-popup-content a")[0].is_displayed())  # faded in
    link = css(driver, ".leaflet-popup-content a")[0]
    assert link.text == marker.get_attribute("alt").split(" — ")[0]
    assert re.search(r"/(diem-ban|lang)/[a-z0-9-]+/$", link.get_attribute("href"))


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    rad = math.pi / 180
    h = (math.sin((b[0] - a[0]) * rad / 2) ** 2
         + math.cos(a[0] * rad) * math.cos(b[0] * rad) * math.sin((b[1] - a[1]) * rad / 2) ** 2)
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h)))


def place_at(driver, site: str, lat: float, lon: float) -> None:
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": site.rstrip("/"), "permissions": ["geolocation"]})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lon, "accuracy": 30})


def list_order(driver, kind: str) -> list[str]:
    return [li.get_attribute("data-ocop-place").split("/", 1)[1] for li in css(driver, f'[data-ocop-place^="{kind}/"]')]


@pytest.mark.parametrize("province, here", [
    ("tuyen-quang", (21.82, 105.21)),  # beside the supermarket in the city: Đồng Văn (first by name) is far
    ("lai-chau", (22.40, 103.45)),  # the one sales point without coordinates goes last
])
def test_near_me_sorts_the_lists_by_distance_computed_in_the_page(world, driver, province, here):
    site, _, root, tiles = world
    before_count = len(tiles.requests)
    place_at(driver, site, *here)
    open_page(driver, site + f"tinh/{province}/ban-do/")
    browser.requested_urls(driver)
    for kind, folder in (("sales_point", "sales_points"), ("village", "villages")):
        recs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / folder / province).glob("*.yaml"))]
        assert sorted(list_order(driver, kind)) == sorted(r["id"] for r in recs)
    by_name = list_order(driver, "sales_point")
    tap(driver, css(driver, "[data-ocop-near]")[0])
    status = css(driver, "[data-ocop-map-status]")[0]
    wait(driver, lambda d: status.text.startswith("Đã xếp danh sách"))
    for kind, folder in (("sales_point", "sales_points"), ("village", "villages")):
        recs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / folder / province).glob("*.yaml"))]
        far = float("inf")
        expected = sorted(recs, key=lambda r: (metres(here, (r["location"]["lat"], r["location"]["lon"]))
                                               if r.get("location") else far, by_name.index(r["id"]) if kind == "sales_point" else 0))
        assert list_order(driver, kind) == [r["id"] for r in expected], kind
        for r in recs:
            distance = css(driver, f'[data-ocop-place="{kind}/{r["id"]}"] [data-ocop-distance]')[0]
            assert distance.is_displayed() == bool(r.get("location"))
            if r.get("location"):
                assert distance.text.startswith("Cách bạn khoảng ")
    assert list_order(driver, "sales_point") != by_name
    # the position went nowhere: no request at all after the tap, none to the tile server
    assert [u for u in browser.requested_urls(driver) if not u.startswith(site)] == []
    assert len(tiles.requests) == before_count
    assert browser.severe_console_messages(driver) == []


def test_near_me_when_the_position_is_refused_or_unavailable_says_so_and_keeps_the_list(world, driver):
    site, _, _, _ = world
    driver.execute_cdp_cmd("Browser.setPermission", {"origin": site.rstrip("/"), "permission": {"name": "geolocation"},
                                                     "setting": "denied"})
    open_page(driver, site + "tinh/tuyen-quang/ban-do/")
    order = list_order(driver, "sales_point")
    tap(driver, css(driver, "[data-ocop-near]")[0])
    status = css(driver, "[data-ocop-map-status]")[0]
    wait(driver, lambda d: status.text == TEXT["script"]["denied"])
    assert list_order(driver, "sales_point") == order
    assert not [d for d in css(driver, "[data-ocop-distance]") if d.is_displayed()]
    # allowed, but the device cannot tell where it is (CDP: an override without coordinates)
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": site.rstrip("/"), "permissions": ["geolocation"]})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {})
    open_page(driver, site + "tinh/tuyen-quang/ban-do/")
    tap(driver, css(driver, "[data-ocop-near]")[0])
    status = css(driver, "[data-ocop-map-status]")[0]
    wait(driver, lambda d: status.text == TEXT["script"]["unavailable"])
    assert list_order(driver, "sales_point") == order


def test_keyboard_reaches_the_buttons_then_the_markers_then_the_list(world, driver):
    from selenium.webdriver.common.keys import Keys

    site, _, root, _ = world
    open_page(driver, site + "tinh/lai-chau/ban-do/")
    # start where the page's content starts (as after the skip link): the heading
    driver.execute_script("var h = document.querySelector('h1'); h.setAttribute('tabindex', '-1'); h.focus();")

    def active():
        return driver.switch_to.active_element

    def tab():
        active().send_keys(Keys.TAB)
        return active()

    assert tab().text == "Sản phẩm OCOP tỉnh Lai Châu"
    toggle = tab()
    assert toggle.tag_name == "button" and toggle.text == "Hiện bản đồ" and toggle.get_attribute("aria-expanded") == "false"
    assert tab().text == "Gần tôi"
    first_in_list = css(driver, "[data-ocop-place] a")[0]
    assert tab() == first_in_list  # the map is not in the way until it is shown
    # Enter on the button shows the map; the button says what it does now
    toggle.send_keys(Keys.ENTER)
    expected = located(root, "lai-chau")
    wait(driver, lambda d: len(css(d, ".leaflet-marker-icon")) == len(expected))
    assert toggle.get_attribute("aria-expanded") == "true" and toggle.text == "Ẩn bản đồ"
    assert active() == toggle
    assert tab().text == "Gần tôi"
    reached = []
    for _ in range(20):
        element = tab()
        if element == first_in_list:
            break
        reached.append((element.get_attribute("role"), element.get_attribute("alt") or element.get_attribute("aria-label")
                        or element.get_attribute("title") or element.text))
    else:
        pytest.fail(f"the list is never reached from the map: {reached}")
    markers = [name for role, name in reached if role == "button" and name and " — " in name]
    assert sorted(m.split(" — ")[0] for m in markers) == sorted(r["name"] for r in expected)
    assert ("button", "Phóng to") in reached and ("button", "Thu nhỏ") in reached
    # Enter on a marker opens its popup
    marker = css(driver, ".leaflet-marker-icon")[0]
    marker.send_keys(Keys.ENTER)
    wait(driver, lambda d: css(d, ".leaflet-popup-content a") and css(d, ".leaflet-popup-content a")[0].is_displayed())  # faded in
    assert css(driver, ".leaflet-popup-content a")[0].text == marker.get_attribute("alt").split(" — ")[0]
    toggle.send_keys(Keys.ENTER)
    assert toggle.get_attribute("aria-expanded") == "false" and not css(driver, "#ocop-map-box")[0].is_displayed()


def ax_nodes(driver) -> list[tuple[str, str, dict]]:
    """(role, name, properties) of every node of Chromium's accessibility tree: what a screen reader gets."""
    out = []
    for node in driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]:
        if node.get("ignored"):
            continue
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        out.append((node.get("role", {}).get("value", ""), node.get("name", {}).get("value", ""), props))
    return out


def test_screen_reader_gets_named_buttons_a_list_of_places_and_a_named_map(world, driver):
    site, _, root, _ = world
    open_page(driver, site + "tinh/lai-chau/ban-do/")
    nodes = ax_nodes(driver)
    buttons = {name: props for role, name, props in nodes if role == "button"}
    assert buttons["Hiện bản đồ"].get("expanded") is False and "Gần tôi" in buttons
    recs = [yaml.safe_load(p.read_text(encoding="utf-8")) for kind in ("sales_points", "villages")
            for p in sorted((root / kind / "lai-chau").glob("*.yaml"))]
    links = {name for role, name, _ in nodes if role == "link"}
    assert {r["name"] for r in recs} <= links
    assert sum(1 for role, _, _ in nodes if role == "list") >= 2
    assert sum(1 for role, _, _ in nodes if role == "listitem") >= len(recs)
    assert [role for role, _, _ in nodes if role == "status"] == ["status"]
    show_map(driver, len(located(root, "lai-chau")))
    nodes = ax_nodes(driver)
    assert ("region", "Bản đồ điểm bán và làng nghề tỉnh Lai Châu") in {(role, name) for role, name, _ in nodes}
    marker_names = sorted(name.split(" — ")[0] for role, name, _ in nodes if role == "button" and " — " in name)
    assert marker_names == sorted(r["name"] for r in located(root, "lai-chau"))
    assert {name: props for role, name, props in nodes if role == "button"}["Ẩn bản đồ"].get("expanded") is True
    status = [name for role, name, _ in nodes if role == "status"]
    assert status == [TEXT["script"]["shown"].format(n=len(marker_names))] or \
        css(driver, "[data-ocop-map-status]")[0].text == TEXT["script"]["shown"].format(n=len(marker_names))


def test_a_map_whose_tiles_all_fail_does_not_say_it_is_shown(world, driver):
    """Leaflet itself loads (it is on the site) but every tile fails: the markers are there, the
    status says the background could not be loaded — never "Bản đồ đã hiện" (issue #27)."""
    site, _, root, tiles = world
    markers = len(located(root, "lai-chau"))
    tiles.failing = True
    try:
        open_page(driver, site + "tinh/lai-chau/ban-do/")
        tap(driver, css(driver, "[data-ocop-map-toggle]")[0])
        wait(driver, lambda d: len(css(d, ".leaflet-marker-icon")) == markers)
        status = css(driver, "[data-ocop-map-status]")[0]
        wait(driver, lambda d: status.text == TEXT["script"]["tiles_failed"].format(n=markers))
        assert css(driver, "img.leaflet-tile") and not css(driver, "img.leaflet-tile-loaded")
        time.sleep(0.5)  # nothing comes later to overwrite it
        assert status.text == TEXT["script"]["tiles_failed"].format(n=markers)
    finally:
        tiles.failing = False
    open_page(driver, site + "tinh/lai-chau/ban-do/")  # the tiles back: "shown" again
    show_map(driver, markers)
    assert css(driver, "[data-ocop-map-status]")[0].text == TEXT["script"]["shown"].format(n=markers)


def axe(driver) -> list[str]:
    driver.execute_script((JS / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations); });")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.skipif(not (JS / "axe-core").is_dir(), reason="npm packages in tests/js not installed")
@pytest.mark.parametrize("page, markers", [("tinh/lai-chau/ban-do/", None), ("diem-ban/diem-ocop-dong-van/", 1),
                                           ("lang/ban-him-lam/", 1)])
def test_axe_finds_nothing_serious_before_or_after_the_map_is_shown(world, driver, page, markers):
    site, _, root, _ = world
    open_page(driver, site + page)
    assert axe(driver) == []
    show_map(driver, markers or len(located(root, "lai-chau")))
    assert axe(driver) == []


def test_a_place_s_page_shows_its_own_small_map_on_a_tap(world, driver):
    site, out, _, tiles = world
    open_page(driver, site + "diem-ban/diem-ocop-dong-van/")
    assert [u for u in browser.requested_urls(driver) if not u.startswith(site)] == []
    show_map(driver, 1)
    assert css(driver, ".leaflet-marker-icon")[0].get_attribute("alt") == \
        "Điểm giới thiệu sản phẩm OCOP phố cổ Đồng Văn — Khu, điểm du lịch"
    elsewhere = [u for u in browser.requested_urls(driver) if not u.startswith(site)]
    assert elsewhere and all(u.startswith(tiles.origin + "/") for u in elsewhere)
    # the place without coordinates: no button, no script, the CSP keeps images to the site
    html = (out / "diem-ban/diem-ocop-sin-suoi-ho/index.html").read_text(encoding="utf-8")
    assert "data-ocop-map-toggle" not in html and "ocop-map.js" not in html and tiles.origin not in html
    driver.get(site + "diem-ban/diem-ocop-sin-suoi-ho/")
    assert TEXT["no_location"] in css(driver, ".ocop-where")[0].text


def test_the_csp_lets_only_map_pages_load_tiles(world, driver):
    """An image from the tile server, put into a page by hand: loaded on a map page, blocked elsewhere."""
    site, _, _, tiles = world
    probe = ("var done = arguments[arguments.length - 1], img = new Image();"
             "img.onload = function () { done('loaded'); }; img.onerror = function () { done('blocked'); };"
             "img.src = arguments[0]; document.body.appendChild(img);")
    driver.get(site + "san-pham/nuoc-mam-cat-hai/")
    count = len(tiles.requests)
    assert driver.execute_async_script(probe, tiles.origin + "/3/6/3.png") == "blocked"
    assert len(tiles.requests) == count  # refused by the browser: the server never heard of it
    assert any("Content Security Policy" in m for m in browser.severe_console_messages(driver))
    open_page(driver, site + "tinh/lai-chau/ban-do/")
    assert driver.execute_async_script(probe, tiles.origin + "/3/6/3.png") == "loaded"
    assert tiles.requests[-1][0] == "/3/6/3.png"


def test_screenshots_of_a_province_map_before_and_after_the_tap(world, driver):
    site, _, root, _ = world
    ARTIFACTS.mkdir(exist_ok=True)
    place_at(driver, site, 21.82, 105.21)
    open_page(driver, site + "tinh/tuyen-quang/ban-do/")
    driver.save_screenshot(str(ARTIFACTS / "map-before-360x740.png"))
    show_map(driver, len(located(root, "tuyen-quang")))
    # the buttons just under Material's header, the whole map (with its attribution) below them
    driver.execute_script("var r = document.querySelector('.ocop-mapview__buttons').getBoundingClientRect();"
                          "window.scrollTo(0, window.scrollY + r.top - 56);")
    box = css(driver, "#ocop-map-box")[0]
    assert driver.execute_script("return arguments[0].getBoundingClientRect().bottom", box) <= 740
    assert box.rect["width"] >= 300 and box.rect["height"] >= 250
    driver.save_screenshot(str(ARTIFACTS / "map-after-360x740.png"))
    tap(driver, css(driver, "[data-ocop-near]")[0])
    status = css(driver, "[data-ocop-map-status]")[0]
    try:
        wait(driver, lambda d: status.text.startswith("Đã xếp"))
    except Exception:
        raise AssertionError(status.text) from None
    driver.execute_script("document.querySelector('[data-ocop-near-list]').scrollIntoView()")
    driver.save_screenshot(str(ARTIFACTS / "map-near-me-360x740.png"))
    assert browser.severe_console_messages(driver) == []
