"""Content-Security-Policy for every built page (a meta tag; static hosts rarely allow headers).

Scripts only from the site itself, plus the inline scripts we *know*, allowed by their SHA-256
hash: no script that comes from data can run, and no request can go to another origin (fonts,
styles, images, fetches: 'self' only). Inline style attributes stay allowed (Material sets some;
data never reaches an attribute unescaped).

Which inline scripts are known (issue #14: the policy used to allow-list *every* inline script it
found in the finished page, so a script that reached the HTML from data would have been allowed
too):

* :data:`THEME_SCRIPTS` — those Material for MkDocs writes into each frame, by name, each a
  pattern over the whole script (the only part that varies is the relative URL of the site root).
  A Material upgrade that changes one makes ``tests/test_csp.py`` fail until the pattern here is
  updated — its script would otherwise be blocked.
* :data:`PAGE_SCRIPTS` — our own inline scripts, by name → the file (under ``site_templates/``)
  holding the script's exact text. To add one: write the file, put it in a template with
  ``{{ inline_script("name") }}`` (a global of the page templates, catalog/site/pages.py) or
  ``<script>{% include "<file>" %}</script>`` in a frame, and add its name and file here.

Any other inline script is left out of the policy, so the browser refuses to run it. Data blocks
(JSON, JSON-LD) never run and are not listed.

The offline copy (``file://``) gets a policy too (:func:`with_offline_csp`): on ``file:`` there
is no origin for 'self' to mean, so local files are allowed by the ``file:`` scheme — the copy
has no network to reach — and fetches are refused outright ('none': the search index is a script).

Pages with a map (issue #18, catalog/site/maps.py) also allow images from the tile servers — and only
those pages: a page is one when it carries ``maps.MAP_MARKER``, a tag only a template can write.
The offline copy has no map (coordinates and links instead), so its policy never names a tile server.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from markupsafe import Markup

from .maps import MAP_MARKER
from .page import site_templates_dir

CSP_MARK = 'http-equiv="Content-Security-Policy"'  # a page that has its policy already
_INLINE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_HEAD = re.compile(r"(<head[^>]*>\s*(?:<meta charset=\"utf-8\">)?)", re.I)

# Every directive the pages need, and no other: what is not named falls back to default-src 'none'
# (fonts — the pages use the phone's own —, manifests, plugins: object-src), so naming those
# again as 'self' or 'none' only made every page 57 bytes longer (~13 MB of the national site; #27).
BASE_POLICY = ("default-src 'none'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'")
OFFLINE_POLICY = ("default-src 'none'; script-src 'self' file:{hashes}; style-src 'self' file: 'unsafe-inline'; "
                  "img-src 'self' file: data:; font-src 'self' file:; connect-src 'none'; "
                  "base-uri 'none'; form-action 'self' file:; object-src 'none'")

_ROOT_URL = r'(?:/|\.|\.\.(?:/\.\.)*)'  # the site root, relative to the page ("..", "../..") or absolute
THEME_SCRIPTS: dict[str, re.Pattern] = {
    # material/templates/base.html: the localStorage helpers, scoped to the site root
    "material-scope": re.compile(
        re.escape('__md_scope=new URL("') + _ROOT_URL + re.escape('",location),__md_hash=e=>[...e].reduce(((e,_)=>'
                                                                   '(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_='
                                                                   'localStorage,t=__md_scope)=>JSON.parse(_.getItem('
                                                                   't.pathname+"."+e)),__md_set=(e,_,t=localStorage,'
                                                                   'a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,'
                                                                   'JSON.stringify(_))}catch(e){}}')),
    # material/templates/base.html: opens the content tab named in the URL's fragment
    "material-tabbed": re.compile(re.escape(
        'var target=document.getElementById(location.hash.slice(1));target&&target.name&&'
        '(target.checked=target.name.startsWith("__tabbed_"))')),
}

# name → file under site_templates/ holding the exact text of one of our inline scripts
PAGE_SCRIPTS: dict[str, str] = {
    # issue 16: the status check of catalog/site/status.py, written into every page a label leads to
    "ocop-status": "assets/ocop-status.js",
}


def _templates() -> Path:
    return site_templates_dir()


@lru_cache(maxsize=None)
def page_script(name: str) -> str:
    """The text of one of our inline scripts (see :data:`PAGE_SCRIPTS`)."""
    return (_templates() / PAGE_SCRIPTS[name]).read_text(encoding="utf-8").rstrip("\n")


def inline_script(name: str) -> Markup:
    """``<script>…</script>`` for a template: the one way our own inline scripts enter a page."""
    return Markup(f"<script>{page_script(name)}</script>")


def known_script(body: str) -> str | None:
    """The name of the known inline script ``body`` is, or None."""
    for name, pattern in THEME_SCRIPTS.items():
        if pattern.fullmatch(body):
            return name
    for name in PAGE_SCRIPTS:
        if body in (page_script(name), page_script(name) + "\n"):
            return name
    return None


def inline_scripts(html: str) -> list[tuple[str, str | None]]:
    """(text, known name or None) of every inline script of ``html`` that a browser would run."""
    return [(body, known_script(body)) for body in _running_scripts(html)]


def _running_scripts(html: str) -> Iterator[str]:
    """The text of every inline script of ``html`` that a browser would run."""
    for m in _INLINE.finditer(html):
        attrs = m.group("attrs").lower()
        if "src=" in attrs:
            continue
        kind = re.search(r'type="([^"]+)"', attrs)
        if kind and kind.group(1) not in ("text/javascript", "module"):
            continue  # data blocks (JSON, JSON-LD) never run
        yield m.group("body")


def policy_for(html: str, offline: bool = False, map_origins: tuple[str, ...] = ()) -> str:
    return policy_of(script_hashes(html), MAP_MARKER in html, offline, map_origins)


def script_hashes(html: str) -> set[str]:
    """The policy's sources of the known inline scripts of ``html`` (" 'sha256-…'")."""
    # an unknown inline script is not allowed (None): the browser will not run it
    return {source for body in _running_scripts(html) if (source := _source_of(body)) is not None}


@lru_cache(maxsize=256)
def _source_of(body: str) -> str | None:
    """The policy's source for an inline script (" 'sha256-…'"), None when it is not a known one.
    Cached: every page carries the same few scripts (issue #27: matched and hashed again on each
    of ~26,000 pages at 3,000 products); the cache is bounded, as an unknown body is remembered too."""
    if known_script(body) is None:
        return None
    return f" 'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode()}'"


def policy_of(hashes: set[str], has_map: bool, offline: bool = False, map_origins: tuple[str, ...] = ()) -> str:
    """The policy of a page whose known inline scripts have ``hashes`` (script_hashes) and which
    carries a map (MAP_MARKER) or not. A page stamped into a frame (catalog/site/build.py) gets it
    from the hashes of its frame, computed once, and of its body."""
    policy = (OFFLINE_POLICY if offline else BASE_POLICY).format(hashes="".join(sorted(hashes)))
    if map_origins and not offline and has_map:
        policy = policy.replace("img-src 'self' data:", "img-src 'self' data: " + " ".join(map_origins), 1)
    return policy


def meta_tag(policy: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy}">'


def head_end(html: str) -> int | None:
    """Where with_csp puts the meta tag: after ``<head>`` (and the charset tag); None without one."""
    m = _HEAD.search(html)
    return m.end() if m else None


def with_csp(html: str, offline: bool = False, map_origins: tuple[str, ...] = ()) -> str:
    """The page with its CSP meta tag first in <head> (unchanged if it has one or no <head>)."""
    if CSP_MARK in html:
        return html
    meta = meta_tag(policy_for(html, offline, map_origins))
    return _HEAD.sub(lambda m: m.group(1) + meta, html, count=1)


def with_offline_csp(html: str) -> str:
    return with_csp(html, offline=True)
