"""Building the shipped data once per test session, and reading the built pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from catalog.site.build import build

from .conftest import AS_OF, REPO


class Links(HTMLParser):
    """Collects every URL an HTML page refers to (href, src, srcset), JSON-LD blocks and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key):
                self.urls.append(a[key])
        if a.get("srcset"):
            self.urls += [part.strip().split(" ")[0] for part in a["srcset"].split(",")]
        self._in_ld = tag == "script" and a.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(data)


def parse(path: Path) -> Links:
    p = Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def build_shipped(out: Path):
    return build(REPO, out, AS_OF)


def resolve_local(page: Path, url: str, site: Path) -> Path | None:
    """The file a relative URL on ``page`` points to, or None for external / anchor-only URLs."""
    parts = urlsplit(url)
    if parts.scheme or url.startswith(("#", "//")) or not parts.path:
        return None
    path = unquote(parts.path)
    # root-absolute paths (only 404.html uses them: it is served at any depth) start at the site root
    target = (site / path.lstrip("/")).resolve() if path.startswith("/") else (page.parent / path).resolve()
    if not url.endswith("/") and not target.is_file() and target.with_name(target.name + ".html").is_file():
        return target.with_name(target.name + ".html")  # /01/<gtin> is 01/<gtin>.html (catalog/publish/hosting.py)
    if url.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


ASSET_RE = re.compile(r'(?:href|src)="([^"]+)"')
