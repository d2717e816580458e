"""Permanent URLs: what a QR label encodes, and the pages that answer it.

A label URL is made **only** from the configured base URL and record ids — no YAML field can set
where a label points. A product with a GTIN gets the GS1 Digital Link form
``{base}/01/{GTIN-14}`` (``/10/{lot}`` for a lot; GTIN-8/12/13 left-padded to 14 digits);
one without gets ``{base}/p/{id}/`` (``/p/{id}/{lot}/``). Both forms are real static pages
(``01/<gtin14>/index.html``, ``p/<id>/index.html``) holding the traceability page.

A URL longer than ``MAX_LABEL_URL`` characters would need a QR code denser than version 4 at
error correction M: that is an error, never a silently denser code.
"""

from __future__ import annotations

from typing import Any

MAX_LABEL_URL = 62
KIND_URL = {"product": "san-pham", "producer": "chu-the", "sales_point": "diem-ban", "village": "lang"}


def url_for(kind: str, rid: str) -> str:
    """Site-relative URL path of a record page, with a trailing slash: 'san-pham/abc/'."""
    return f"{KIND_URL[kind]}/{rid}/"


def absolute(cat: Any, url: str) -> str:
    """The full URL of a site path (``cat``: anything with ``config['base_url']``)."""
    return f"{cat.config['base_url']}/{url}"


def relative(from_url: str, to_url: str) -> str:
    """A relative link between two directory-style URL paths (works offline and under any base)."""
    if to_url.startswith(("http:", "https:", "mailto:", "tel:")):
        return to_url
    target, _, anchor = to_url.partition("#")
    # posixpath.relpath without its getcwd/abspath calls (site paths are relative, never "..")
    to_parts = [part for part in target.split("/") if part and part != "."]
    from_parts = [part for part in from_url.split("/") if part and part != "."]
    common = 0
    for a, b in zip(to_parts, from_parts):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(from_parts) - common) + to_parts[common:]) or "."
    if target.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel + (f"#{anchor}" if anchor else "")


def scan_path(product: dict, lot: str | None = None) -> str:
    """Site path of the page a product's (or lot's) label leads to."""
    return digital_link_path(product["gtin"], lot) if product.get("gtin") else trace_path(product["id"], lot)


def gtin14(gtin: str) -> str:
    return gtin.zfill(14)


def trace_path(product_id: str, lot: str | None = None) -> str:
    """Site path of the plain traceability page (always exists, GTIN or not)."""
    return f"p/{product_id}/" + (f"{lot}/" if lot else "")


def digital_link_path(gtin: str, lot: str | None = None) -> str:
    """Site path of the GS1 Digital Link page (no trailing slash in the canonical URI)."""
    return f"01/{gtin14(gtin)}" + (f"/10/{lot}" if lot else "")


def label_url(base_url: str, product: dict, lot: str | None = None) -> str:
    """The URL a label for ``product`` (and optionally one of its lots) encodes."""
    if product.get("gtin"):
        return f"{base_url}/{digital_link_path(product['gtin'], lot)}"
    return f"{base_url}/{trace_path(product['id'], lot)}"


def label_urls(base_url: str, product: dict) -> list[tuple[str | None, str]]:
    """(lot or None, URL) for the product and each recorded lot."""
    out: list[tuple[str | None, str]] = [(None, label_url(base_url, product))]
    for lot in product.get("lots", []):
        out.append((lot["id"], label_url(base_url, product, lot["id"])))
    return out


# --- the English twin of a page (issue #18; see catalog/site/pages.py) ----------------------------------
EN = "en/"


def twin_prefix(lang: str) -> str:
    """Where a language's pages live: "" (Vietnamese, the site's root) or "en/"."""
    return "" if lang == "vi" else f"{lang}/"


def page_lang(url: str) -> str:
    return "en" if url.startswith(EN) else "vi"


def twin(url: str) -> str:
    """The same page in the other language: 'san-pham/x/' ↔ 'en/san-pham/x/', '' ↔ 'en/'."""
    return url[len(EN):] if url.startswith(EN) else EN + url


def is_shared_file(path: str) -> bool:
    """A file both languages link to (one copy at the root): its last segment has an extension
    ('assets/ocop.css', 'api/v1/catalogue.csv', a photo). Pages end with '/', or are a Digital
    Link path ('01/<gtin>[/10/<lot>]': digits and lot numbers, never a dot)."""
    target = path.partition("#")[0]
    if not target or target.endswith("/") or target.startswith("01/"):
        return False
    return "." in target.rsplit("/", 1)[-1]
