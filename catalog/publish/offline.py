"""The offline copy: the site opened from a USB stick or a laptop with no network (``file://``).

* Links end in ``index.html`` (a browser shows a folder listing for ``file:///…/x/``): every relative
  link (and form action) in the built pages that points at a folder is rewritten to the folder's ``index.html``, and
  one to an extensionless page (``01/<gtin>``) to its file (``01/<gtin>.html``). The copy's
  ``404.html`` links relatively too (root-absolute ``/`` would open the reader's disk, catalog/site/scan.py).
* Search works without fetch (not allowed on ``file://``): the index ships as ``search/index.js``,
  loaded by the search page only.
* Nothing is requested from another origin (fonts, scripts and styles are all in the copy; map
  links are plain links), and every page carries a Content-Security-Policy for ``file://``
  (catalog/site/csp.py): only local files and the known inline scripts run.
* ``ocop offline`` also zips one copy per province (that province's products, their producers, and
  the province's sales points and villages), deterministically (sorted entries, fixed times).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

from ..records.model import Catalogue, Product

_HREF = re.compile(r'(\s(?:href|src|action))="([^"]*)"')  # action: a search form's tim-kiem/ (issue #22)


def _fix(url: str) -> str:
    """A relative link to a folder → the folder's index.html; to an extensionless page (a GS1
    Digital Link page, ``01/<gtin>``, written as ``01/<gtin>.html``) → that file; anything else
    unchanged."""
    if not url or re.match(r"^[a-z][a-z0-9+.-]*:|^[#/]", url, re.I):
        return url
    path, rest = re.match(r"^([^?#]*)(.*)$", url, re.S).groups()  # type: ignore[union-attr]  # always matches
    if path == "":
        return url
    if path in (".", "..") or path.endswith(("/.", "/..")):
        path += "/"
    if path.endswith("/"):
        path += "index.html"
    elif "." not in path.rsplit("/", 1)[-1]:
        path += ".html"
    return path + rest


_REFRESH = re.compile(r'(<meta http-equiv="refresh" content="0; url=)([^"]*)"')


def rewrite_links(html: str) -> str:
    html = _REFRESH.sub(lambda m: f'{m.group(1)}{_fix(m.group(2))}"', html)
    return _HREF.sub(lambda m: f'{m.group(1)}="{_fix(m.group(2))}"', html)


def write_search_script(rows: list, site: Path) -> None:
    """The search index (export.search_index) as a script (fetch is not allowed on file://); pages
    are rewritten with :func:`rewrite_links` as they are written (catalog/site/build.py, ``finisher``)."""
    (site / "search" / "index.js").write_text(
        "window.OCOP_SEARCH_INDEX = " + json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + ";\n",
        encoding="utf-8")


def province_catalogue(cat: Catalogue, folder: str) -> Catalogue:
    """The part of a catalogue a province's fair or sales point needs, references kept whole."""
    products = {pid: p for pid, p in cat.products.items() if p.folder == folder}
    producer_ids = {p.data["producer"] for p in products.values()}
    producers = {rid: r for rid, r in cat.producers.items() if rid in producer_ids or r.folder == folder}
    sales_points = {}
    for rid, r in cat.sales_points.items():
        if r.folder == folder:
            sales_points[rid] = _with(r, products=[i for i in r.data.get("products", []) if i in products])
    villages = {}
    for rid, r in cat.villages.items():
        if r.folder == folder:
            data = {k: v for k, v in r.data.items() if not (k == "tourism_product" and v not in products)}
            data["products"] = [i for i in r.data.get("products", []) if i in products]
            if not data["products"]:
                data.pop("products")
            villages[rid] = type(r)(r.kind, r.id, r.folder, r.file, data)
    part = Catalogue(as_of=cat.as_of, config=cat.config, producers=producers, sales_points=sales_points,
                     villages=villages)
    for pid, p in products.items():
        copy = Product(p.kind, p.id, p.folder, p.file, p.data, p.status)
        copy.sales_points = [s for s in p.sales_points if s in sales_points]
        copy.villages = [v for v in p.villages if v in villages]
        part.products[pid] = copy
    return part


def _with(record, **changes):
    data = dict(record.data)
    data.update(changes)
    if "products" in changes and not changes["products"]:
        data["products"] = []
    return type(record)(record.kind, record.id, record.folder, record.file, data)


def zip_folder(folder: Path, target: Path, as_of: dt.date, tmp: Path) -> None:
    """A deterministic ZIP of ``folder`` (entries sorted, every time set to the as-of date), written
    into ``tmp`` and renamed onto ``target`` when whole. ``tmp`` is a new file of this run beside
    ``target`` (catalog/runtime/leftovers.py ``fresh_temp``: never a name a checkout planted as a
    link; two runs never share one)."""
    stamp = (as_of.year, as_of.month, as_of.day, 0, 0, 0)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(target)
