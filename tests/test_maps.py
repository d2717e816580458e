"""Maps (issue #18, catalog/site/maps.py), without a browser: what the pages carry, the settings, the CSP,
the vendored library and the offline copy. tests/test_maps_browser.py drives the same pages in Chromium."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from catalog.site import maps
from catalog.site.build import build

from .conftest import AS_OF, REPO, copy_data

NPM_LEAFLET = Path(__file__).resolve().parent / "js" / "node_modules" / "leaflet"
DATA_BLOCK = re.compile(r'<script type="application/json" id="ocop-map-data">(.*?)</script>', re.S)
CSP = re.compile(r'http-equiv="Content-Security-Policy" content="([^"]*)"')


def records(root: Path, kind_folder: str, province: str) -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((root / kind_folder / province).glob("*.yaml"))]


def map_data(html: str) -> dict | None:
    found = DATA_BLOCK.findall(html)
    assert len(found) <= 1
    return json.loads(found[0]) if found else None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("maps") / "site"
    build(REPO, out, AS_OF)
    return out


def test_every_province_with_records_has_a_map_page_whose_markers_are_its_located_records(site):
    provinces = sorted({p.name for kind in ("products", "sales_points", "villages") for p in (REPO / kind).iterdir()})
    assert sorted(p.parent.name for p in (site / "tinh").glob("*/ban-do")) == provinces
    for province in provinces:
        html = (site / "tinh" / province / "ban-do" / "index.html").read_text(encoding="utf-8")
        listed = [r for kind in ("sales_points", "villages") for r in records(REPO, kind, province)]
        located = [r for r in listed if r.get("location")]
        data = map_data(html)
        if not located:
            assert data is None and "ocop-map.js" not in html
            continue
        assert sorted((p["name"], p["lat"], p["lon"]) for p in data["points"]) == \
            sorted((r["name"], r["location"]["lat"], r["location"]["lon"]) for r in located)
        assert html.count("data-ocop-place=") == len(listed)  # the list has them all, located or not
        for r in listed:
            assert f'>{r["name"]}</a>' in html


def test_a_record_without_coordinates_is_listed_and_says_so(tmp_path):
    root = copy_data(tmp_path)
    path = root / "sales_points/lai-chau/diem-ocop-sin-suoi-ho.yaml"
    path.write_text(re.sub(r"(?m)^location:\n  lat: .*\n  lon: .*\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "site"
    build(root, out, AS_OF)
    html = (out / "tinh/lai-chau/ban-do/index.html").read_text(encoding="utf-8")
    item = html.split('data-ocop-place="sales_point/diem-ocop-sin-suoi-ho"', 1)[1].split("</li>", 1)[0]
    assert "Chưa có toạ độ nên không hiện trên bản đồ." in item
    assert "diem-ocop-sin-suoi-ho" not in {p["id"] for p in map_data(html)["points"]}
    page = (out / "diem-ban/diem-ocop-sin-suoi-ho/index.html").read_text(encoding="utf-8")
    assert "Chưa có toạ độ nên không hiện trên bản đồ." in page
    assert map_data(page) is None and "ocop-map.js" not in page and "tile.openstreetmap.org" not in page


def test_the_csp_allows_the_tile_server_only_on_pages_with_a_map(site):
    with_map = 0
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0] == "admin":
            continue  # the officers' form editor: its own policy (tests/test_cms.py)
        html = page.read_text(encoding="utf-8")
        policy = CSP.search(html).group(1)
        img = next(part for part in policy.split("; ") if part.startswith("img-src"))
        if maps.MAP_MARKER in html:
            with_map += 1
            assert img == "img-src 'self' data: https://tile.openstreetmap.org", page
        else:
            assert img == "img-src 'self' data:", page
        assert not re.search(r'<link[^>]+rel="(?:preconnect|dns-prefetch|prefetch)"', html), page
    sales_points_and_villages = [p for kind in ("sales_points", "villages") for p in REPO.glob(f"{kind}/*/*.yaml")]
    # each page with a map, and its English twin (issue #18)
    assert with_map == 2 * (len(list(site.glob("tinh/*/ban-do/index.html"))) + len(sales_points_and_villages))
    assert len(list(site.glob("en/tinh/*/ban-do/index.html"))) == len(list(site.glob("tinh/*/ban-do/index.html")))


def test_settings_default_to_openstreetmap_and_follow_ocop_yaml():
    s = maps.settings({})
    assert s["tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert s["attribution"] == "© OpenStreetMap contributors" and s["attribution_url"] == "https://www.openstreetmap.org/copyright"
    assert maps.tile_origins({}) == ("https://tile.openstreetmap.org",)
    own = {"map": {"tiles": "https://{s}.tiles.example.vn/osm/{z}/{x}/{y}.png", "subdomains": "ab",
                   "attribution": "© Bản đồ Việt", "attribution_url": "https://tiles.example.vn/ban-quyen"}}
    assert maps.tile_origins(own) == ("https://a.tiles.example.vn", "https://b.tiles.example.vn")
    assert maps.settings(own)["attribution"] == "© Bản đồ Việt" and maps.settings(own)["attribution_lang"] is None
    # another server of OpenStreetMap data still credits OpenStreetMap unless told otherwise
    assert maps.settings({"map": {"tiles": "https://t.example.vn/{z}/{x}/{y}.png"}})["attribution"] == "© OpenStreetMap contributors"


@pytest.mark.parametrize("tiles, ok", [
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", True),
    ("https://{s}.tile.example.vn/{z}/{x}/{y}.png", True),
    ("http://127.0.0.1:8123/{z}/{x}/{y}.png", True),  # a test server on this machine
    ("http://tile.example.vn/{z}/{x}/{y}.png", False),  # plain http to the world
    ("https://tile.example.vn/{z}/{x}.png", False),  # no {y}
    ("https://tile.example.vn/{z}/{x}/{y}{r}.png", False),  # a placeholder Leaflet would not fill
    ("https://tile.example.vn/{z}/{x}/{y}.png'; script-src *", False),
])
def test_ocop_yaml_map_tiles_is_checked(tmp_path, run_cli, tiles, ok):
    root = copy_data(tmp_path)
    with open(root / "ocop.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"map:\n  tiles: {json.dumps(tiles)}\n")
    result = run_cli("validate", "--root", root, "--as-of", AS_OF.isoformat())
    assert (result.exit_code == 0) == ok, result.output
    if not ok:
        assert "ocop.yaml:" in result.output and "map.tiles" in result.output


def test_leaflet_is_copied_with_its_licence_and_is_npm_s_leaflet(site):
    folder = site / maps.LEAFLET_DIR
    shipped = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert shipped == set(maps.LEAFLET_FILES) | {"LICENSE.txt"}
    licence = (folder / "LICENSE.txt").read_text(encoding="utf-8")
    assert "BSD 2-Clause License" in licence and "Agafonkin" in licence
    assert (folder / "leaflet.js").read_text(encoding="utf-8").startswith("/* @preserve\n * Leaflet 1.9.4,")
    for name, digest in maps.LEAFLET_FILES.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    if not NPM_LEAFLET.is_dir():
        pytest.skip("npm packages in tests/js not installed")
    assert json.loads((NPM_LEAFLET / "package.json").read_text(encoding="utf-8"))["version"] == maps.LEAFLET_VERSION
    for name in maps.LEAFLET_FILES:
        assert (folder / name).read_bytes() == (NPM_LEAFLET / "dist" / name).read_bytes(), name


def test_a_changed_library_file_is_refused(tmp_path, monkeypatch):
    from catalog.reference.errors import CatalogError

    real = maps.leaflet_files()
    forged = tmp_path / "leaflet.js"
    forged.write_bytes(real["leaflet.js"].read_bytes() + b"\n// changed\n")
    monkeypatch.setattr(maps, "leaflet_files", lambda: {**real, "leaflet.js": forged})
    with pytest.raises(CatalogError, match="không phải tệp của Leaflet 1.9.4"):
        maps.write_leaflet(tmp_path / "site")


def test_pages_without_a_map_do_not_carry_the_map_script_or_library(site):
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if maps.MAP_MARKER not in html:
            assert "ocop-map.js" not in html and "leaflet" not in html, page
        else:
            assert "leaflet.js" not in re.sub(DATA_BLOCK, "", html), page  # only named in the data, loaded on a tap


def test_the_offline_copy_shows_coordinates_and_links_instead_of_a_map(tmp_path, run_cli):
    import zipfile

    result = run_cli("offline", "--root", REPO, "--out", tmp_path, "--province", "lai-chau", "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "ocop-lai-chau.zip") as zf:
        names = zf.namelist()
        page = zf.read("ocop-lai-chau/tinh/lai-chau/ban-do/index.html").decode("utf-8")
        point = zf.read("ocop-lai-chau/diem-ban/diem-ocop-lai-chau-trung-tam/index.html").decode("utf-8")
    assert not [n for n in names if "leaflet" in n or n.endswith("ocop-map.js")]
    for html in (page, point):
        assert map_data(html) is None and "ocop-map.js" not in html and "data-ocop-map-toggle" not in html
        assert "22.394, 103.459" in html
        assert 'href="https://www.openstreetmap.org/?mlat=22.394&amp;mlon=103.459#map=16/22.394/103.459"' in html
    assert "Bản xem không cần mạng không có bản đồ" in page
    assert 'href="../../../diem-ban/diem-ocop-lai-chau-trung-tam/index.html"' in page


def test_the_sitemap_dates_a_map_page_by_its_sales_points_and_villages(site):
    from catalog.site.lastmod import record_day
    from catalog.checks.validate import check

    cat = check(REPO, AS_OF).catalogue
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    for folder in ("lai-chau", "tuyen-quang"):
        records = [r for kind in ("sales_point", "village") for r in cat.table(kind).values() if r.folder == folder]
        day = max(d for d in (record_day(r, AS_OF) for r in records) if d)
        assert f"<loc>https://ocop.example.vn/tinh/{folder}/ban-do/</loc><lastmod>{day.isoformat()}</lastmod>" in sitemap


def test_listings_link_to_the_province_maps(site):
    province = (site / "tinh/lai-chau/index.html").read_text(encoding="utf-8")
    assert '<a href="ban-do/">Bản đồ điểm bán, làng nghề</a>' in province
    index = (site / "diem-ban/index.html").read_text(encoding="utf-8")
    for folder in sorted(p.name for p in (REPO / "sales_points").iterdir()):
        assert f'href="../tinh/{folder}/ban-do/"' in index


