"""Maps (issue #18): a map page per province and a small map on each sales point and village page.

One job: the map's settings, its page specs and data, and the vendored map library. Decisions:

* **The list is the content, the map an enhancement.** ``/tinh/<province>/ban-do/`` lists every sales
  point and village of the province with its address and coordinates (or says it has none) and works
  with no script at all. ``site_templates/assets/ocop-map.js`` adds two buttons: "Hiện bản đồ" and
  "Gần tôi". Markers come from the same records as the list (only those with ``location``), handed to
  the script as JSON escaped like JSON-LD (``page.json_ld``), never as HTML; popups are built with
  ``textContent``.
* **Nothing leaves the site before a tap.** The page loads only our own small script. The map library
  (Leaflet) and the tiles are requested when the visitor taps "Hiện bản đồ"; the page has no
  preconnect or prefetch to the tile server. The Content-Security-Policy allows the tile origins in
  ``img-src`` only on pages that carry a map (``MAP_MARKER``, a tag no data can write: data never
  produces a literal '<'); every other page keeps ``img-src 'self' data:``. "Gần tôi" asks the
  browser for the position and sorts the lists in the page: the position is sent nowhere.
* **Tiles are a setting** (``map`` in ``ocop.yaml``): OpenStreetMap's own tile server by default, as
  its tile usage policy asks (https://tile.openstreetmap.org/{z}/{x}/{y}.png, no subdomains, the
  URL not hard-coded in the tool, a valid Referer — the browser's own: the site sets no referrer
  policy that hides it — no bulk downloads: the offline copy has no tiles). That server runs on
  donations for light use; a national deployment should run its own tile server or contract a
  provider and set ``map.tiles``, ``map.attribution`` and ``map.attribution_url``.
* **Attribution as OpenStreetMap asks**: "© OpenStreetMap contributors" linked to
  https://www.openstreetmap.org/copyright, in the bottom-right corner of the map while it shows
  (Leaflet's attribution control; its text is built from the settings with DOM calls, not HTML).
* **The library**: Leaflet 1.9.4 (BSD-2-Clause, © Vladimir Agafonkin, CloudMade), 147 KB (42 KB gzip)
  of script and 15 KB of CSS, served from ``assets/vendor/leaflet-1.9.4/`` with its licence. It comes
  from the PyPI package ``django-js-lib-leaflet==1.9.4.1``, a files-only repackaging (no code of
  it is imported) pinned by hash in ``requirements-ci.txt``; its files are byte-identical to npm's
  ``leaflet@1.9.4`` (checked by ``tests/test_maps.py`` against tests/js, hash-locked too). Every file
  copied is checked here against its SHA-256, so a different package version cannot slip in.
  Why Leaflet: small among full map libraries (OpenLayers and MapLibre are 5–10× larger), no WebGL,
  keyboard-usable markers and zoom buttons, works on old phones.
* **The offline copy** (``ocop offline``) shows coordinates and a plain link to openstreetmap.org
  instead of a map, and ships neither the script nor the library.

Incremental builds: a province map page's key is made of the digests of the sales points and
villages it lists; a record page's small map comes from that record alone (its page key already has
its digest). The settings are part of the configuration, so changing them means a cold build.
"""

from __future__ import annotations

import hashlib
import re
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from ..reference import places
from ..reference.errors import CatalogError
from ..records.model import Record
from .page import json_ld, Page, Spec

if TYPE_CHECKING:
    from .pages import PageBuilder

MAP_SEGMENT = "ban-do"
KINDS = ("sales_point", "village")

# --- settings -------------------------------------------------------------------------------------
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"
DEFAULTS = {"tiles": OSM_TILES, "subdomains": "abc", "max_zoom": 19,
            "attribution": OSM_ATTRIBUTION, "attribution_url": OSM_COPYRIGHT}
SINGLE_ZOOM = 15  # a record page's map: a village or a market and the streets around it
FIT_MAX_ZOOM = 14  # a province map never zooms closer than this to fit its markers


def settings(config: dict) -> dict[str, Any]:
    """The ``map`` settings of ``ocop.yaml`` with their defaults (OpenStreetMap's tile server)."""
    given = config.get("map") or {}
    out = {**DEFAULTS, **given}
    if "tiles" in given and "attribution" not in given:
        out["attribution"] = OSM_ATTRIBUTION  # another server of OSM data: still OSM's data
    out["attribution_lang"] = "en" if out["attribution"] == OSM_ATTRIBUTION else None
    return out


_ORIGIN = re.compile(r"^(https?://[^/]+)/")


def tile_origins(config: dict) -> tuple[str, ...]:
    """Every origin the tile URL can point to ({s} expanded over the subdomains), for the CSP."""
    s = settings(config)
    match = _ORIGIN.match(s["tiles"])
    if not match:
        raise CatalogError(f"map.tiles '{s['tiles']}' không phải địa chỉ http(s) đầy đủ")
    origin = match.group(1)
    if "{s}" in origin:
        return tuple(sorted({origin.replace("{s}", sub) for sub in s["subdomains"]}))
    return (origin,)


# --- the vendored library -------------------------------------------------------------------------
LEAFLET_DIST = "django-js-lib-leaflet"
LEAFLET_VERSION = "1.9.4"
LEAFLET_DIR = f"assets/vendor/leaflet-{LEAFLET_VERSION}/"
LEAFLET_PREFIX = "js_lib_leaflet/static/js_lib_leaflet/"
LEAFLET_FILES = {  # file → SHA-256 (= npm leaflet@1.9.4's dist/ files)
    "leaflet.js": "db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a",
    "leaflet.css": "a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6",
    "images/marker-icon.png": "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437",
    "images/marker-icon-2x.png": "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528",
    "images/marker-shadow.png": "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da",
    "images/layers.png": "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6",
    "images/layers-2x.png": "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf",
}
LICENCE_FILE = "LICENSE.txt"


def leaflet_files() -> dict[str, Path]:
    """Where the installed package keeps each file we ship (its licence as LICENSE.txt)."""
    try:
        dist = metadata.distribution(LEAFLET_DIST)
    except metadata.PackageNotFoundError:
        raise CatalogError(f"thiếu gói {LEAFLET_DIST} (thư viện bản đồ Leaflet): cài lại công cụ, "
                           "ví dụ pip install -e .") from None
    found: dict[str, Path] = {}
    for entry in dist.files or []:
        name = entry.as_posix()
        if name.startswith(LEAFLET_PREFIX) and name[len(LEAFLET_PREFIX):] in LEAFLET_FILES:
            found[name[len(LEAFLET_PREFIX):]] = Path(dist.locate_file(entry))  # type: ignore[arg-type]
        elif name.endswith(".dist-info/LICENSE"):
            found[LICENCE_FILE] = Path(dist.locate_file(entry))  # type: ignore[arg-type]
    missing = sorted((set(LEAFLET_FILES) | {LICENCE_FILE}) - set(found))
    if missing:
        raise CatalogError(f"gói {LEAFLET_DIST} thiếu tệp {', '.join(missing)}")
    return found


def write_leaflet(site: Path) -> None:
    """Copy Leaflet into ``site/assets/vendor/leaflet-<version>/``, each file checked by hash."""
    for name, source in sorted(leaflet_files().items()):
        data = source.read_bytes()
        if name in LEAFLET_FILES and hashlib.sha256(data).hexdigest() != LEAFLET_FILES[name]:
            raise CatalogError(f"{source}: không phải tệp của Leaflet {LEAFLET_VERSION} "
                               f"(gói {LEAFLET_DIST} {metadata.version(LEAFLET_DIST)} đã đổi?)")
        target = site / LEAFLET_DIR / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


# --- pages ----------------------------------------------------------------------------------------
SCRIPT = "assets/ocop-map.js"
MAP_DATA_ID = "ocop-map-data"
MAP_MARKER = f'<script type="application/json" id="{MAP_DATA_ID}">'  # only templates write it


def map_url(folder: str) -> str:
    return f"tinh/{folder}/{MAP_SEGMENT}/"


def has_location(rec: Record) -> bool:
    return bool(rec.data.get("location"))


def coordinates(location: dict) -> str:
    """'22.394, 103.459': latitude, longitude as map applications take them (decimal points)."""
    return f"{location['lat']}, {location['lon']}"


class MapPages:
    """The map pages and the small maps of record pages, rendered by the owning PageBuilder."""

    script = SCRIPT

    def __init__(self, builder: "PageBuilder") -> None:
        self.b = builder
        self.cat = builder.cat
        self.t = builder.t

    def folders(self) -> list[str]:
        """Provinces with a map page: every province with a product (its listing links here), a
        sales point or a village."""
        found = {p.folder for p in self.cat.products.values()}
        for kind in KINDS:
            found |= {r.folder for r in self.cat.table(kind).values()}
        return sorted(found)

    def records(self, folder: str, kind: str) -> list[Record]:
        return sorted((r for r in self.cat.table(kind).values() if r.folder == folder),
                      key=lambda r: (places.fold(r.name), r.id))

    def specs(self) -> Iterator["Spec"]:
        for folder in self.folders():
            yield Spec(map_url(folder), "listing.html", partial(self.province_page, folder),
                       partial(self._key, folder))

    def _key(self, folder: str) -> str | None:
        return self.b._keyed("map", folder, [[(r.id, self.b._d(r)) for r in self.records(folder, kind)] for kind in KINDS])

    # --- what a template gets ------------------------------------------------------------------------
    def point(self, rec: Record, link) -> dict[str, Any]:
        """A record as a map marker (the JSON the script reads)."""
        loc = rec.data["location"]
        return {"id": rec.id, "kind": rec.kind, "name": rec.name, "lat": loc["lat"], "lon": loc["lon"],
                "label": self.t[rec.kind]["kinds"][rec.data["kind"]], "address": address_text(rec.data["address"]),
                "url": link(f"{'diem-ban' if rec.kind == 'sales_point' else 'lang'}/{rec.id}/")}

    def data(self, points: list[dict], link, single: bool) -> dict[str, Any]:
        s = settings(self.cat.config)
        return {
            "tiles": s["tiles"], "subdomains": s["subdomains"], "max_zoom": s["max_zoom"],
            "attribution": s["attribution"], "attribution_url": s["attribution_url"],
            "attribution_lang": s["attribution_lang"],
            "zoom": SINGLE_ZOOM if single else None, "fit_max_zoom": FIT_MAX_ZOOM,
            "leaflet": {"js": link(f"{LEAFLET_DIR}leaflet.js"), "css": link(f"{LEAFLET_DIR}leaflet.css")},
            "points": points, "text": self.t["maps"]["script"],
        }

    def record_map(self, rec: Record, url: str) -> dict[str, Any]:
        """The small map block of a sales point or village page."""
        link = self.b.link_from(url)

        located = has_location(rec)
        return {
            "location": rec.data.get("location"), "coordinates": coordinates(rec.data["location"]) if located else None,
            "province_map": map_url(rec.folder),
            "json": json_ld(self.data([self.point(rec, link)], link, single=True)) if located and not self.b.offline else None,
        }

    def province_page(self, folder: str) -> "Page":
        url = map_url(folder)
        link = self.b.link_from(url)

        name = places.provinces_by_folder()[folder].name
        m = self.t["maps"]
        groups = []
        points = []
        for kind in KINDS:
            rows = []
            for rec in self.records(folder, kind):
                located = has_location(rec)
                rows.append({"id": rec.id, "name": rec.name, "url": f"{'diem-ban' if kind == 'sales_point' else 'lang'}/{rec.id}/",
                             "label": self.t[kind]["kinds"][rec.data["kind"]], "address": address_text(rec.data["address"]),
                             "location": rec.data.get("location"),
                             "coordinates": coordinates(rec.data["location"]) if located else None})
                if located:
                    points.append(self.point(rec, link))
            groups.append({"kind": kind, "title": m["groups"][kind], "rows": rows})
        counts = {g["kind"]: len(g["rows"]) for g in groups}
        if self.b.lang != "vi":  # "Lai Châu Province", "Hải Phòng City" (the Vietnamese strings say "tỉnh {name}")
            name = self.b.province_in_sentence(name)
        title = m["page_title"].format(name=name)
        body = self.b._render("map.html", **self.b._ctx(
            url, title=title, groups=groups, located=len(points), counts=counts, province=name,
            listing=f"tinh/{folder}/",
            json=json_ld(self.data(points, link, single=False)) if not self.b.offline else None))
        return Page(f"{url}index.md", url, "listing.html", title, body,
                    m["description"].format(name=name, sales_points=counts["sales_point"], villages=counts["village"]))


def address_text(a: dict) -> str:
    return ", ".join(part for part in (a.get("street"), a["commune"], a["province"]) if part)
