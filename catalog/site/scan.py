"""The pages a QR label leads to (``/01/<GTIN-14>[/10/<lot>]``, ``/p/<id>/[<lot>/]``) and the
"not found" page: whole documents in a light frame of their own, built for a weak link.

A shopper scans at a market stall on a slow connection (measured profile: 400 kbit/s, 300 ms round
trips, a phone 4× slower than a laptop). What must be on screen is the certificate's status, so:

* **one request**: the styles are inline (~3 KB), there is no web font (the phone's own Vietnamese
  font: Be Vietnam Pro cost 58 KB in two weights) and no theme script (Material's bundle, 35 KB,
  only opened menus and the search box this page does not have); the only script is the status
  check (catalog/site/status.py), inline and hashed in the CSP. ``tools/bench_scan.py`` measures it.
* **no redirect**: a GS1 Digital Link label encodes ``/01/<gtin>`` without a trailing slash; the
  page is the file ``01/<gtin>.html``, which GitHub Pages serves at ``/01/<gtin>`` with a 200 (a
  folder ``01/<gtin>/index.html`` costs a 301 to ``/01/<gtin>/`` first). Lot pages live beside it
  (``01/<gtin>/10/<lot>.html``); when a file and a folder share a name GitHub Pages serves the
  file (catalog/publish/hosting.py follows those rules and the tests use it). ``/p/<id>/`` labels end with a
  slash and stay folders.
* **one canonical**: the ``/01/…`` and ``/p/…`` copies of a page both name the URL the label
  encodes (the Digital Link when there is a GTIN).
* Rendered by our own autoescaping templates only (``pages/scan.html`` around ``pages/trace.html``);
  MkDocs and the theme are not involved, so the page is the same in a stamped and a full build.
"""

from __future__ import annotations

from functools import lru_cache, partial
from typing import TYPE_CHECKING, Iterator, Sequence
from urllib.parse import urlsplit

from markupsafe import Markup

from . import status
from ..reference.paths import DATA_DIR
from ..records.urls import digital_link_path, is_shared_file, label_url, relative, trace_path
from .page import Page, Spec, summary as _summary, twin_links

if TYPE_CHECKING:
    from ..records.model import Product
    from .pages import PageBuilder

STANDALONE = "-"  # Spec.template of a page that is a whole document (no MkDocs frame)
NOT_FOUND = "404.html"
# The English twin of a scan page is not a page a label leads to (labels encode the root edition's
# address): it links the styles (this file, written by catalog/site/build.py when both languages are
# built) and the status check (assets/ocop-status.js, as the catalogue pages do) instead of carrying
# 3.3 KB of them inline — ~100 MB of a national bilingual site (issue #27). A reader who switches
# language on a weak link pays one request for them, once.
SHEET = "assets/ocop-scan.css"


def output_path(url: str) -> str:
    """The file that answers ``url``: 'p/x/' → 'p/x/index.html', '01/123' → '01/123.html'."""
    return f"{url}index.html" if not url or url.endswith("/") else f"{url}.html"


def folder_of(url: str) -> str:
    """The folder relative links start from: the URL itself when it ends with '/', else its parent."""
    return url if not url or url.endswith("/") else url.rpartition("/")[0] + "/" if "/" in url else ""


@lru_cache(maxsize=None)
def css(extra: str = "", lot: bool = False, certs: bool = False) -> str:
    """The frame's whole style sheet, written into each page (no second request): the frame's, the
    status check's (its lot rules only on a lot's page, its two certificates' only on the page of a
    product whose earlier certificate runs until a re-recognition takes effect) and ``extra``, the
    name of a sheet only one page needs (catalog/data/<extra>.css)."""
    data = DATA_DIR
    return ((data / "scan.css").read_text(encoding="utf-8") + status.variant_css(lot=lot, certs=certs)
            + ((data / f"{extra}.css").read_text(encoding="utf-8") if extra else ""))


class ScanPages:
    """Scan pages of a catalogue; shares the page builder's templates, strings and keys."""

    def __init__(self, builder: "PageBuilder") -> None:
        self.b = builder
        self.cat = builder.cat

    def specs(self, p: "Product") -> Iterator["Spec"]:
        """The label's page per product and lot: ``p/<id>/[<lot>/]``, and for a product with a GTIN
        ``01/<gtin>[/10/<lot>]`` — then the ``p/`` address (not on its labels now; on those printed
        before it had a GTIN) is a small page that sends the reader on to it, rather than a second
        copy of it. That small page only in the site's root language: no label ever encodes an
        ``en/`` address and no page links to it (issue #27: one file and folder per GTIN product
        and lot fewer)."""
        lots: list[dict | None] = [None] + list(p.data.get("lots", []))
        for lot in lots:
            lot_id = lot["id"] if lot else None
            key = partial(self.b._trace_key, p, lot)
            if p.data.get("gtin"):
                url = digital_link_path(p.data["gtin"], lot_id)
                yield Spec(url, STANDALONE, partial(self.page, p, lot, url), key)
                if not self.b.prefix:
                    yield Spec(trace_path(p.id, lot_id), STANDALONE, partial(self.moved, p, lot_id), key)
            else:
                url = trace_path(p.id, lot_id)
                yield Spec(url, STANDALONE, partial(self.page, p, lot, url), key)

    def moved(self, p: "Product", lot_id: str | None) -> "Page":
        """``p/<id>/`` of a product with a GTIN: on to its Digital Link page (meta refresh)."""
        url = trace_path(p.id, lot_id)
        target = self._canonical(p, lot_id)
        rel = relative(url, digital_link_path(p.data["gtin"], lot_id))
        document = self.b._render("moved.html", title=p.name, target=target, rel=rel)
        return Page(output_path(url), url, STANDALONE, p.name, document)

    def page(self, p: "Product", lot: dict | None, url: str) -> "Page":
        lot_id = lot["id"] if lot else None
        folder = folder_of(url)
        sv = status.view(p.data, self.cat.as_of, self.b.t, lot)
        inline = not self.b.prefix  # the page a label leads to: one request (see SHEET)
        body = self.b._render("trace.html", **self.b._ctx(
            folder, p=p, d=p.data, cert=p.data["certificate"], sv=sv, lot=lot,
            producer=self.cat.producers[p.data["producer"]], host=urlsplit(self.cat.config["base_url"]).netloc,
            contact=self.cat.config.get("report_contact"), label_page=True, inline_status=inline))
        title = p.name + (f" — {self.b.t['trace']['lot']} {lot_id}" if lot_id else "")
        description = _summary(p.data["description"])
        document = self._frame(folder, title, description, self._canonical(p, lot_id), body,
                               css(lot=lot is not None, certs=sv.earlier is not None) if inline else "", url)
        return Page(output_path(url), url, STANDALONE, title, document, description)

    def not_found_body(self, secondary: bool = False) -> str:
        """What 404.html says, in this builder's language; its links root-absolute (under the base
        URL's path), to this language's pages."""
        root = urlsplit(self.cat.config["base_url"]).path.rstrip("/") + "/"
        prefix = self.b.prefix
        if self.b.offline:  # opened from file://: "/" is the reader's disk, not the copy (issue #22)
            return self.b._render("not_found.html", link=self.b.link_from(""), cat=self.cat,
                                  contact=self.cat.config.get("report_contact"), secondary=secondary)
        return self.b._render("not_found.html", link=lambda to: root + (to if is_shared_file(to) else prefix + to),
                              cat=self.cat, contact=self.cat.config.get("report_contact"), secondary=secondary)

    def not_found(self, others: Sequence[tuple[str, str]] = ()) -> str:
        """404.html: GitHub Pages serves it for any missing path at any depth, so its links are
        root-absolute (under the base URL's path); in the offline copy, relative (it is at the root). ``others``: (language, not_found_body) of the
        other languages built, said below (a missing /en/ page gets the same file)."""
        root = urlsplit(self.cat.config["base_url"]).path.rstrip("/") + "/"
        body = self.not_found_body() + "".join(
            f'\n<section lang="{code}" class="ocop-other-lang">\n{text}\n</section>' for code, text in others)
        t = self.b.t["not_found"]
        link = self.b.link_from("") if self.b.offline else (lambda to: root + to)  # offline: relative, at the copy's root
        return self.b._render("scan.html", **self._frame_ctx(link, t["title"], t["text"], None, body, css("not-found")))

    def _canonical(self, p: "Product", lot_id: str | None) -> str:
        """The label's URL; for the English twin, the same path under en/ (labels never change)."""
        base = self.cat.config["base_url"]
        if not self.b.prefix:
            return label_url(base, p.data, lot_id)
        path = digital_link_path(p.data["gtin"], lot_id) if p.data.get("gtin") else trace_path(p.id, lot_id)
        return f"{base}/{self.b.prefix}{path}"

    def _frame(self, folder: str, title: str, description: str, canonical: str | None, body: str,
               style: str | None = None, url: str | None = None) -> str:
        twins = None
        if url is not None and self.b.twins:  # the English twin of a scan page, and back (issue #18)
            twins = twin_links(self.cat, self.b.prefix + url, self.b.prefix + folder)
        return self.b._render("scan.html", **self._frame_ctx(self.b.link_from(folder), title, description,
                                                             canonical, body, style, twins))

    def _frame_ctx(self, link, title: str, description: str, canonical: str | None, body: str,
                   style: str | None = None, twins: dict | None = None) -> dict:
        return {"link": link, "cat": self.cat, "title": title, "description": description, "canonical": canonical,
                "scan_css": Markup(css() if style is None else style), "scan_sheet": SHEET,  # "": link SHEET
                "body": Markup(body), "twins": twins}  # body: our own autoescaped HTML
