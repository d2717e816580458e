"""When what a page shows last changed: the sitemap's ``<lastmod>``.

Decision: **from the records' own dates, not from git and not from the build.** A record's last
change is the latest of the dates it states that are not after the as-of date — its decisions
(current, earlier ratings, revocation, withdrawal), its lots' production and events, a sales
point's or village's recognition — and of the days its certificate's status changed on its own
(it became *expiring* 90 days before ``valid_until``, *expired* the day after). Those are exactly
the changes a page shows. Git history was rejected: CI checks out one commit (``fetch-depth: 1``
gives every file the same date), an offline copy or a data folder without ``.git`` has none, and
reading the history of 25,000 files costs seconds at national scale. The price: an edit that
changes no date (a corrected description) does not move ``lastmod``; search engines recrawl such
pages anyway, and a wrong date would be worse than a missing one.

A record page takes its record's day (a producer, sales point or village also the days of the
products it lists); a province's map page (catalog/site/maps.py) the latest day of its sales points and
villages themselves; a listing, statistics or commune page the latest day of the records it covers;
the home page and the catalogue-wide listings the latest of all. Pages that show no dated record
(search, open data) get no ``<lastmod>`` (the protocol makes it optional). Same records, same
as-of date → same sitemap.
"""

from __future__ import annotations

import datetime as dt

from ..reference import rulebook
from ..figures import stats
from ..records.model import Catalogue, Product, Record
from .maps import MAP_SEGMENT
from ..records.urls import KIND_URL, url_for
from ..records.urls import digital_link_path, trace_path

UNDATED = ("tim-kiem/", "du-lieu-mo/")


def _days(texts, as_of: dt.date) -> dt.date | None:
    found = [d for d in (dt.date.fromisoformat(t) for t in texts if t) if d <= as_of]
    return max(found) if found else None


def product_day(p: Product, as_of: dt.date) -> dt.date | None:
    d = p.data
    cert = d["certificate"]
    texts = [cert["decision"]["date"], (cert.get("revocation") or {}).get("decision", {}).get("date"),
             d.get("status_date"), (d.get("status_decision") or {}).get("date")]
    texts += [r["decision"]["date"] for r in d.get("earlier_ratings", [])]
    for lot in d.get("lots", []):
        texts += [lot.get("produced_on")] + [e["date"] for e in lot.get("events", [])]
    valid_until = dt.date.fromisoformat(cert["valid_until"])
    ends = [dt.date.fromisoformat(t) for t in ((cert.get("revocation") or {}).get("decision", {}).get("date"),
                                               d.get("status_date")) if t]
    if d.get("status") == "withdrawn" and not d.get("status_date"):
        ends.append(dt.date.min)  # withdrawn, date unknown: its validity no longer changes the page
    for changed in (valid_until - dt.timedelta(days=rulebook.expiring_within_days()), valid_until + dt.timedelta(days=1)):
        if not ends or changed < min(ends):  # a revoked or withdrawn page no longer changes with validity
            texts.append(changed.isoformat())
    return _days(texts, as_of)


def record_day(rec: Record, as_of: dt.date) -> dt.date | None:
    d = rec.data
    if rec.kind == "sales_point":
        return _days([(d.get("criteria_decision") or {}).get("decision", {}).get("date")], as_of)
    if rec.kind == "village":
        return _days([(d.get("recognition") or {}).get("decision", {}).get("date")], as_of)
    return None


def _latest(*days: dt.date | None) -> dt.date | None:
    found = [d for d in days if d is not None]
    return max(found) if found else None


def page_days(cat: Catalogue, urls: list[str]) -> dict[str, dt.date | None]:
    """URL → the day what it shows last changed (None: undated)."""
    as_of = cat.as_of
    pday = {pid: product_day(p, as_of) for pid, p in cat.products.items()}
    exact: dict[str, dt.date | None] = {}
    by_folder: dict[str, dt.date | None] = {}
    by_group: dict[str, dt.date | None] = {}
    by_stars: dict[int, dt.date | None] = {}
    by_commune: dict[str, dt.date | None] = {}
    by_producer: dict[str, dt.date | None] = {}
    by_map: dict[str, dt.date | None] = {}  # a province's map page: its sales points and villages (catalog/site/maps.py)
    for p in cat.products.values():
        day = pday[p.id]
        for url in [url_for("product", p.id), trace_path(p.id)] + [trace_path(p.id, lot["id"]) for lot in p.data.get("lots", [])]:
            exact[url] = day
        if p.data.get("gtin"):  # the page's URL has no trailing slash (01/<gtin>, catalog/site/scan.py)
            exact[digital_link_path(p.data["gtin"])] = day
            for lot in p.data.get("lots", []):
                exact[digital_link_path(p.data["gtin"], lot["id"])] = day
        by_folder[p.folder] = _latest(by_folder.get(p.folder), day)
        group = p.data["classification"]["group"]
        by_group[group] = _latest(by_group.get(group), day)
        by_stars[p.stars] = _latest(by_stars.get(p.stars), day)
        by_producer[p.data["producer"]] = _latest(by_producer.get(p.data["producer"]), day)
    slugs_of: dict[str, dict[str, str]] = {}
    for kind in ("producer", "sales_point", "village", "product"):
        for rec in cat.table(kind).values():
            if kind == "product":
                day = pday[rec.id]
            elif kind == "producer":
                day = by_producer.get(rec.id)
            else:
                day = _latest(record_day(rec, as_of), *[pday[pid] for pid in rec.data.get("products", []) if pid in pday])
            if kind != "product":
                exact[url_for(kind, rec.id)] = day
                by_folder[rec.folder] = _latest(by_folder.get(rec.folder), day)
            if kind in ("sales_point", "village"):
                by_map[rec.folder] = _latest(by_map.get(rec.folder), record_day(rec, as_of))
            province = stats.province_name(rec.folder)
            slugs = slugs_of.setdefault(rec.folder, stats.commune_slugs(province))
            commune = stats.official_commune(rec.data["address"]["province"], rec.data["address"]["commune"])
            if commune in slugs:
                url = stats.commune_url(rec.folder, slugs[commune])
                by_commune[url] = _latest(by_commune.get(url), day)
    everything = _latest(*by_folder.values())
    kinds = {f"{KIND_URL[k]}/": _latest(*[exact.get(url_for(k, r)) for r in cat.table(k)]) for k in KIND_URL if k != "product"}
    out: dict[str, dt.date | None] = {}
    for url in urls:
        if url in exact:
            out[url] = exact[url]
        elif url in by_commune:
            out[url] = by_commune[url]
        elif url in UNDATED:
            out[url] = None
        else:
            parts = url.split("/")
            if parts[0] == "tinh" and len(parts) == 4 and parts[2] == MAP_SEGMENT:
                out[url] = by_map.get(parts[1])
            elif parts[0] in ("tinh", "thong-ke") and len(parts) > 2 and parts[1] in by_folder:
                out[url] = by_folder[parts[1]]
            elif parts[0] == "nhom" and len(parts) > 2:
                out[url] = by_group.get(parts[1])
            elif parts[0] == "sao" and len(parts) > 2 and parts[1].isdigit():
                out[url] = by_stars.get(int(parts[1]))
            elif f"{parts[0]}/" in kinds:
                out[url] = kinds[f"{parts[0]}/"]
            else:
                out[url] = everything
    return out
