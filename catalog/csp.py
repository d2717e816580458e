"""Content-Security-Policy for every built page (a meta tag; static hosts rarely allow headers).

Scripts only from the site itself, plus the exact inline scripts Material for MkDocs writes into
each page, allowed by their SHA-256 hash: no script that comes from data can run, and no request
can go to another origin (fonts, styles, images, fetches: 'self' only). Inline style attributes
stay allowed (Material sets some; data never reaches an attribute unescaped). The offline copy has
no CSP: on file:// there is no origin for 'self' to mean.

Pages with a map (issue #18, catalog/maps.py) also allow images from the tile servers — and only
those pages: a page is one when it carries ``maps.MAP_MARKER``, a tag only a template can write.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_HEAD = re.compile(r"(<head[^>]*>\s*(?:<meta charset=\"utf-8\">)?)", re.I)

BASE_POLICY = ("default-src 'none'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; "
               "base-uri 'none'; form-action 'self'; object-src 'none'")


def policy_for(html: str, map_origins: tuple[str, ...] = ()) -> str:
    hashes = []
    for m in _INLINE.finditer(html):
        attrs = m.group("attrs").lower()
        if "src=" in attrs:
            continue
        kind = re.search(r'type="([^"]+)"', attrs)
        if kind and kind.group(1) not in ("text/javascript", "module"):
            continue  # data blocks (JSON, JSON-LD) never run
        digest = base64.b64encode(hashlib.sha256(m.group("body").encode("utf-8")).digest()).decode()
        hashes.append(f" 'sha256-{digest}'")
    policy = BASE_POLICY.format(hashes="".join(sorted(set(hashes))))
    if map_origins:
        from .maps import MAP_MARKER

        if MAP_MARKER in html:
            policy = policy.replace("img-src 'self' data:", "img-src 'self' data: " + " ".join(map_origins), 1)
    return policy


def with_csp(html: str, map_origins: tuple[str, ...] = ()) -> str:
    """The page with its CSP meta tag first in <head> (unchanged if it has one or no <head>)."""
    if 'http-equiv="Content-Security-Policy"' in html:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy_for(html, map_origins)}">'
    return _HEAD.sub(lambda m: m.group(1) + meta, html, count=1)
