"""What every page kind is made of: a page before rendering (:class:`Spec`), a rendered page
(:class:`Page`), the language twins, paging of long listings, JSON-LD and where the page templates
are. Taken out of catalog/site/pages.py (issue #23) so the page kinds (scan, maps, stats_pages) and
the builder import it instead of each other: the builder imports the kinds, the kinds import this.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup

from ..records.model import Catalogue
from ..records.urls import page_lang, relative, twin
from ..reference import lang as language
from ..reference.lang import ui
from ..reference.paths import shipped


def site_templates_dir() -> Path:
    return shipped("site_templates")


@dataclass(frozen=True)
class Spec:
    """A page before it is rendered (rendering is the cost: specs let a build share the work out)."""
    url: str
    template: str
    make: Callable[[], "Page"]
    # Everything the page is made from besides the tool, the configuration and the as-of date
    # (record digests, the order and paging of a listing…): an incremental build renders the page
    # again only when this changes. None: always render. A function (no arguments) returning it:
    # computed only when asked for (`key_of`), so a build can list its pages first and compute
    # the keys of 50,000 pages on another core while MkDocs runs (catalog/site/build.py).
    key: Any = None

    def key_of(self) -> Any:
        return self.key() if callable(self.key) else self.key


@dataclass
class Page:
    path: str  # relative .md path inside docs_dir, e.g. "san-pham/abc.md"
    url: str  # "san-pham/abc/"
    template: str  # MkDocs frame template
    title: str  # plain text; escaped when written
    body: str  # HTML, already escaped by construction
    description: str = ""
    lang: str = "vi"  # the frame's language (site_templates/partials/language.html reads it)

    def render(self) -> str:
        front = {"template": self.template, "title": html.escape(self.title, quote=False)}
        if self.description:
            front["description"] = html.escape(self.description)
        if self.lang != language.DEFAULT:
            front["lang"] = self.lang
        # json.dumps makes every value a safe double-quoted YAML scalar
        head = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items())
        return f"---\n{head}\n---\n\n{self.body.strip()}\n"

    @property
    def title_html(self) -> str:
        """The title as the frame writes it (the front-matter value)."""
        return html.escape(self.title, quote=False)

    @property
    def description_html(self) -> str:
        return html.escape(self.description) if self.description else ""


def twin_links(cat: Catalogue, url: str, folder: str | None = None) -> dict:
    """The hreflang alternates (absolute URLs) and the language switch of the page at ``url`` (its
    real path: 'san-pham/x/', 'en/san-pham/x/'); ``folder``: where its relative links start, when
    that is not ``url`` itself (a scan page '01/<gtin>' is the file 01/<gtin>.html)."""
    other = twin(url)
    vi, en = (other, url) if page_lang(url) == "en" else (url, other)
    base = cat.config["base_url"]
    switch = ui(page_lang(url))["lang_switch"]
    return {"alternates": [("vi", f"{base}/{vi}"), ("en", f"{base}/{en}"), ("x-default", f"{base}/{vi}")],
            "switch": {"href": relative(url if folder is None else folder, other), "text": switch["text"],
                       "lang": switch["lang"], "hint": switch["hint"]}}


def twin_links_html(cat: Catalogue, url: str) -> tuple[str, str]:
    """twin_links as the frame writes them: (the <link> elements of <head>, the switch's <a>)."""
    links = twin_links(cat, url)
    head = "".join(f'<link rel="alternate" hreflang="{code}" href="{html.escape(href)}">'
                   for code, href in links["alternates"])
    s = links["switch"]
    switch = (f'<a class="ocop-lang" href="{html.escape(s["href"])}" hreflang="{s["lang"]}" lang="{s["lang"]}" '
              f'title="{html.escape(s["hint"])}">{html.escape(s["text"])}</a>')
    return head, switch


LISTING_PAGE_SIZE = 60  # cards a listing page shows: ~40 KB of HTML, ~8 KB compressed


def paginate(url: str, items: list) -> list[tuple[str, list, dict | None]]:
    """A long listing as pages: the first at ``url``, the others at ``url``trang-<n>/ (ids of that
    form are refused by the validator, catalog/checks/rules.py RESERVED_ID). Each page gets a pager: the
    previous and next page and a window of page numbers (first, last, current ± 2)."""
    size = LISTING_PAGE_SIZE
    count = max(1, -(-len(items) // size))
    urls = [url] + [f"{url}trang-{n}/" for n in range(2, count + 1)]
    out = []
    for i, page_url in enumerate(urls):
        pager = None
        if count > 1:
            shown = sorted({0, count - 1, *range(max(0, i - 2), min(count, i + 3))})
            window: list[tuple[int, str | None]] = []  # (page number, url); (0, None) is a gap "…"
            for previous, k in zip([None, *shown], shown):
                if previous is not None and k - previous > 1:
                    window.append((0, None))
                window.append((k + 1, urls[k]))
            pager = {"current": i + 1, "count": count, "window": window,
                     "prev": urls[i - 1] if i else None, "next": urls[i + 1] if i + 1 < count else None}
        out.append((page_url, items[i * size:(i + 1) * size], pager))
    return out


def summary(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def json_ld(doc: dict) -> Markup:
    """JSON for a <script type="application/ld+json"> element.

    The one place data is marked safe for the templates: HTML entities mean nothing inside a
    script element, so instead every '<', '>' and '&' is written as a JSON unicode escape — the
    text can never close the element or start markup.
    """
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
