"""Model → page files for MkDocs: Markdown files whose body is HTML we render ourselves.

No MkDocs import here. Each page is ``<url path>.md`` with front matter choosing the frame
template (``template: product.html``) and a title, then a block of HTML rendered by our own
Jinja environment **with autoescaping** from ``site_templates/pages/*.html``. MkDocs does not
autoescape, so data never goes through MkDocs templates: titles handed to MkDocs in front
matter are HTML-escaped here, and the body is escaped by construction.

URLs (also a contract for QR labels, see issue #4): products ``/san-pham/<id>/``, producers
``/chu-the/<id>/``, sales points ``/diem-ban/<id>/``, villages ``/lang/<id>/``; listings by
province ``/tinh/<folder>/`` (made by catalog/site/stats_pages.py with the province's figures),
group ``/nhom/<code>/``, stars ``/sao/<n>/``. Ids never contain
the province, so moving a record between provinces does not change its URL.

English (issue #18): every page has an English twin at ``/en/`` + the same path — ``/en/san-pham/<id>/``,
``/en/tinh/<folder>/ban-do/``, ``/en/01/<gtin>`` — made by a second builder (``lang="en"``) from the
same templates with ui.en.yaml. Paths keep their Vietnamese segments: one rule maps a page to its
twin both ways (strip or add ``en/``), ids never change, and no second set of URLs has to be kept
stable. A builder makes its pages as if at the Vietnamese path and moves them under its prefix at
the end, so links between pages of one language stay relative; links to files both editions share
(assets, photos, open data, the search index, downloads) go to the one copy at the site's root
(:meth:`PageBuilder.link_from`). The label URLs and ``/01/<gtin>`` paths are untouched: the scan
page links to its English twin. Free text a buyer reads has optional English fields
(``description_en``…); where a record has none the English page shows the Vietnamese text marked
``lang="vi"`` and says no English translation was supplied — never a machine translation.

:class:`PageBuilder` is a few classes along its old headings (issue #23), each a base of the next:
``_Templates`` (state, Jinja environment, helpers handed to templates) → ``_Keys`` (what several pages
look up once, and the keys of incremental builds) → ``_ProductPages`` / ``_RecordPages`` (the page
families) → ``PageBuilder`` (adds the scan, statistics and map pages of their own modules and lists
every page in ``specs()``). A new page of a family goes into its class; a new family of its own
module is made in ``PageBuilder.__init__`` like ``ScanPages``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from functools import partial
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any, Callable, Iterator, MutableMapping

import jinja2
import jinja2.runtime
from markupsafe import Markup

from ..records import fields, privacy
from ..runtime.cache import read_signed, write_signed
from ..reference import places, rulebook, wording
from . import status
from ..reference.collation import sort_key
from .csp import inline_script
from ..records.model import Catalogue, Product, Record, earlier_windows, lot_window, may_carry_label
from ..reference import lang as language
from ..reference.lang import ui
from .page import Page, Spec, json_ld, paginate, site_templates_dir, summary as _summary
from ..records.urls import (KIND_URL, absolute, is_shared_file, label_url, relative, scan_path, trace_path, twin_prefix, url_for)
from ..print import printing, qr as qrlib
from ..publish.opendata import international_phone
from .maps import map_url, MapPages
from .scan import ScanPages
from .stats_pages import StatsPages

TEMPLATE_DIR = "pages"
NEWEST_COUNT = 12
# Per-page work that does not change a page's bytes, done once (issue #27; profiled in README "How the
# build scales"): the label QR of a product page (its PNG is the same on the English twin; 40 % of
# a product page's cost), and the templates — compiled once for both languages (a bytecode cache
# shared by the builders) and before the workers fork, never looked at again on disk during a build.
_QR_MADE: dict[str, dict] = {}


# The shared fragments. Page templates import them *without* context (`{% from "_macros.html" import
# … %}`), so Jinja runs the module once per environment and keeps it (Template.module) instead of
# once per page: 0.17 ms of a 0.6 ms product page, ~26,000 renders at 3,000 products (issue #27).
# What a macro needs from the page is then a parameter (cert_block's label_page, inline_status) or
# the global `link`, which calls the link function of the page being rendered (_Templates._render).
MACROS = "_macros.html"


def _no_link(to: str) -> str:
    raise RuntimeError(f"a macro linked to {to!r} from a template rendered without `link`")


class _SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in memory, shared by the Vietnamese and the English builders, and
    kept between builds in the output's state folder (:meth:`keep`; a signed pickle, as bytecode is
    code): each build compiled the ~30 templates again, 0.15–0.2 s of a 5 s edit at 15,000 products
    (issue #27). Jinja keys a bucket by template name and file, and refuses bytecode whose source
    checksum or marshal format (Python version) differs: a changed template is compiled again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}
        self.path: Path | None = None
        self.changed = False
        self.on_disk: set[str] = set()  # what the file at `path` holds

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
        self.changed = True

    def keep(self, path: Path | None) -> None:
        """Take the templates an earlier build compiled from ``path`` (if it is this user's, of this
        tool's code: cache.read_signed); :meth:`save` writes them back there when any was compiled."""
        self.path, self.changed, self.on_disk = path, False, set()
        if path is not None:
            kept = read_signed(path).get("templates")
            if isinstance(kept, dict):
                self.store.update((k, v) for k, v in kept.items() if k not in self.store)
                self.on_disk = set(kept)

    def save(self) -> None:
        """Write what this process compiled or holds to the file :meth:`keep` named, when that
        differs from what the file holds (this process may have compiled for an earlier build)."""
        if self.path is not None and (self.changed or self.on_disk != set(self.store)):
            write_signed(self.path, {"templates": self.store})
        self.changed, self.on_disk = False, set(self.store)


_BYTECODE = _SharedBytecode()
keep_compiled_templates, save_compiled_templates = _BYTECODE.keep, _BYTECODE.save


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Context(jinja2.runtime.Context):
    """Jinja's context with a quicker call from a template (``link(…)``, a macro, a fragment, a filter-like
    global): Jinja's ``Context.call`` asks every callable, its ``__call__`` and so on whether it wants
    the context, the evaluation context or the environment passed first (``jinja_pass_arg``, set by
    ``pass_context``…) — ~35 calls a page, each with four attribute probes (issue #27). A macro, a
    ``partial``, a plain function or a method of one, or a built-in, whose own attributes do not
    carry ``jinja_pass_arg``, is called directly: what ``Context.call`` would do for it. Anything
    else (and any call with Jinja's loop or block variables) takes Jinja's own way."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        kind = type(__obj)
        if kind is MethodType:
            plain = type(__obj.__func__) is FunctionType and "jinja_pass_arg" not in __obj.__func__.__dict__
        elif kind is jinja2.runtime.Macro or kind is partial or kind is FunctionType:
            plain = "jinja_pass_arg" not in __obj.__dict__
        else:
            plain = kind is BuiltinFunctionType
        if not plain or "_loop_vars" in kwargs or "_block_vars" in kwargs:
            return super().call(__obj, *args, **kwargs)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


class _Environment(jinja2.Environment):
    """Jinja's environment with a quicker ``a.b`` on a plain dict (the interface strings ``t``, the
    records' data, cards): Jinja tries the attribute first, which a dict never has unless ``b`` is
    one of its methods, and raises and catches an AttributeError each time — ~160 lookups a
    page (issue #27). For a plain dict and a name that is not a dict attribute, the item is
    looked up directly: the same result. Calls from templates go through :class:`_Context`."""

    context_class = _Context

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one plain dict, not Jinja's ``ChainMap`` over the environment's:
        every render copies them into the page's context (``dict(globals, **vars)``), and a
        ``ChainMap`` is copied key by key in Python — ~40 lookups a page, ~7 % of a scan page's
        time (issue #27). The snapshot is taken when a template is loaded; a builder sets all its
        globals before it loads any (:class:`PageBuilder` loads them all at the end of ``__init__``),
        as Jinja asks ("avoid modifying any globals after a template is loaded")."""
        return {**self.globals, **(d or {})}

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def osm_url(location: dict | None) -> str | None:
    if not location:
        return None
    lat, lon = location["lat"], location["lon"]
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"


class _Templates:
    """The builder's state: its language, where its pages live, the record digests that key them, and
    the Jinja environment with the helpers handed to templates. The page families below share it;
    :class:`PageBuilder` adds the families of their own modules (scan, statistics, maps)."""

    scan: ScanPages  # made by PageBuilder.__init__, once the builder is whole
    stats: StatsPages
    maps: MapPages

    def __init__(self, cat: Catalogue, images: dict[str, dict] | None = None, lang: str = "vi",
                 digests: dict[str, str] | None = None, offline: bool = False, prefix: str | None = None,
                 twins: bool = False) -> None:
        self.cat = cat
        self.offline = offline  # the offline copy: coordinates and links instead of maps (catalog/site/maps.py)
        self.digests = digests  # record file → SHA-256 of its bytes; None: no page keys
        self._facet_cache: dict | None = None
        self._by_producer: dict[str, list[str]] | None = None
        self._maps_of: dict[str, list[tuple[str, str]]] = {}
        self._card_keys: dict[str, str | None] = {}  # shared by language twins: share_keys_with
        self._image_keys: dict[str, str] = {}
        self._record_keys: dict[tuple, str | None] = {}  # shared by language twins: share_keys_with
        self.lang = lang
        # where this language's pages live: "" or "en/" (an offline copy in English: "")
        self.prefix = twin_prefix(lang) if prefix is None else prefix
        self.twins = twins  # both languages are built: pages link to their twin (twin_links)
        self.t = ui(lang)
        self.images = images or {}  # image file → {"src": site path, "width": …, "height": …, "srcset": …}
        self._link_here: Callable[[str], str] = _no_link  # the link function of the page being rendered
        self.env = _Environment(
            loader=jinja2.FileSystemLoader(str(site_templates_dir() / TEMPLATE_DIR)),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            auto_reload=False,  # the templates do not change during a build
            bytecode_cache=_BYTECODE,
            cache_size=-1,  # every template stays compiled
        )
        # the filters keep their old names; they write the page's language (catalog/reference/lang.py)
        self.env.filters["vn_date"] = partial(language.date, lang=lang)
        self.env.filters["units"] = wording.keep_units
        self.env.filters["vn_number"] = partial(language.score, lang=lang)
        self.env.filters["private"] = partial(privacy.shown, text=self.t["withheld"])  # catalog/records/privacy.py
        self.env.globals.update(
            t=self.t,
            lang=lang,
            site_title=language.site_title(cat.config, lang),
            en_text=self.en_text,
            field_title=partial(_field_title, lang=lang),  # names of fields: the schema's (catalog/records/fields.py)
            fact_format=fields.FORMAT, product_facts=fields.PRODUCT_FACTS, trace_facts=fields.TRACE_FACTS,
            group_name=partial(rulebook.group_name, lang=lang),
            set_name=partial(rulebook.product_set_name, lang=lang),
            legal_basis_title=partial(_legal_basis_title, lang=lang),
            potential_five_star=rulebook.potential_five_star,
            osm_url=osm_url,
            as_of=cat.as_of,
            trace_url=trace_path,
            scan_url=scan_path,
            address_parts=wording.address_parts,
            province_in_sentence=self.province_in_sentence,
            successor=wording.successor, body_text=self.body_text,
            earlier_windows=earlier_windows, lot_window=lot_window,  # which certificate a pack carries (model.py)
            status_script=Markup(status.script()),  # our own constant script (hashed by catalog/site/csp.py)
            link=self._page_link,  # the macros' `link`: the page being rendered's (see _render)
            number=partial(language.number, lang=lang),
            offline=offline,
            inline_script=inline_script,  # our own inline scripts, allowed by the CSP (catalog/site/csp.py)
        )
        # the hottest shared fragments, in Python (catalog/site/status.py Fragments): the certificate block, stars,
        # status badge and decision, called by the templates like the macros they were
        self.fragments = status.Fragments(self.t, self._page_link, Markup(status.script()), cat.as_of,
                                   self.env.filters["vn_date"], self.env.filters["vn_number"], scan_path, self.body_text,
                                   partial(_legal_basis_title, lang=lang), rulebook.potential_five_star)
        self.env.globals.update(self.fragments.globals())

    # --- helpers handed to templates ----------------------------------------------------------
    def body_text(self, name: str, on: dt.date, province: str | None = None) -> str:
        """'UBND tỉnh Hà Giang (nay là UBND tỉnh Tuyên Quang)'; the name alone if the body exists."""
        now = wording.successor(name, on, province)
        return f"{name} ({self.t['product']['successor'].format(name=now)})" if now else name

    def province_in_sentence(self, name: str) -> str:
        """'tỉnh Lai Châu' / 'thành phố Hải Phòng'; in English 'Lai Châu Province' / 'Hải Phòng City'."""
        return wording.province_in_sentence(name) if self.lang == "vi" else wording.province_en(name)

    def _province_name(self, name: str) -> str:
        """A province where a sentence names it alone: 'Lai Châu' (the Vietnamese strings say 'tỉnh {name}'),
        'Lai Châu Province' / 'Hải Phòng City' in English."""
        return name if self.lang == "vi" else wording.province_en(name)

    def en_text(self, data: dict, key: str) -> dict:
        """A free-text field in the page's language: {"text", "lang" (None: the page's own),
        "missing" (True: an English page shows the Vietnamese text, no translation was supplied)}."""
        if self.lang == "vi":
            return {"text": data.get(key, ""), "lang": None, "missing": False}
        if data.get(f"{key}_{self.lang}"):
            return {"text": data[f"{key}_{self.lang}"], "lang": None, "missing": False}
        return {"text": data.get(key, ""), "lang": "vi", "missing": bool(data.get(key))}

    def link_from(self, url: str) -> Callable[[str], str]:
        """Links from the page at ``url`` (a Vietnamese path): to another page of this language,
        or to a file both languages share (one copy at the root: assets, photos, data)."""
        if not self.prefix:
            return partial(relative, url)
        here = self.prefix + url

        def link(to: str) -> str:
            return relative(here, to if is_shared_file(to) else self.prefix + to)

        return link

    def _ctx(self, url: str, **extra: Any) -> dict:
        return {"link": self.link_from(url), "url": url, "cat": self.cat, **extra}

    def product_card(self, p: Product) -> dict:
        cert = p.certificate
        return {
            "id": p.id, "name": p.name, "stars": p.stars, "status": p.status.value,
            "potential_five_star": p.potential_five_star,
            "status_label": self.t["status"][p.status.value], "url": url_for("product", p.id),
            "province": places.provinces_by_folder()[p.folder].name, "valid_until": cert["valid_until"],
            "producer": self.cat.producers[p.data["producer"]].name, "group": p.data["classification"]["group"],
            "image": self.images.get(p.data["images"][0]["file"]) if p.data.get("images") else None,
        }

    def _structured_data(self, make: Callable[[Catalogue, Any], dict], rec: Any) -> Markup | None:
        """The schema.org JSON-LD of a record page — on the root edition's page only: it describes
        the record in its own (Vietnamese) words, the same document on both twins, and the English
        page names its Vietnamese alternate (issue #27: ~1 KB × every English product page)."""
        return None if self.prefix else json_ld(make(self.cat, rec))

    def _render(self, template: str, **ctx: Any) -> str:
        self._link_here = ctx.get("link", _no_link)
        return self.env.get_template(template).render(**ctx)

    def _page_link(self, to: str) -> str:
        """``link`` as the macros of ``_macros.html`` see it: the ``link`` of the page being rendered.
        The macros are imported without context (one module per environment, made once: see
        MACROS), so they cannot read the page's own; a builder renders one page at a time."""
        return self._link_here(to)

    def macro(self, name: str, link: Callable[[str], str]) -> Callable[..., Markup]:
        """A macro of ``_macros.html``, or a fragment of status.Fragments, to call outside a page
        template, its links made by ``link`` (catalog/site/stats_pages.py renders each product card once)."""
        self._link_here = link
        return self.fragments.globals().get(name) or getattr(self.env.get_template(MACROS).module, name)

    def _page_title(self, title: str, index: int) -> str:
        return title if index == 0 else f"{title} — {self.t['listing']['page'].format(n=index + 1)}"


class _Keys(_Templates):
    """What several pages show, looked up once, and the keys of incremental builds (see Spec.key):
    a page's key is the hash of the digests of the records it shows and of its place in a listing."""

    # --- looked up once per build -------------------------------------------------------------
    def _facets(self) -> dict:
        if self._facet_cache is None:
            self._facet_cache = self._compute_facets()
        return self._facet_cache

    def _compute_facets(self) -> dict:
        products = self.cat.products.values()
        return {
            "provinces": sorted({(places.provinces_by_folder()[p.folder].name, p.folder) for p in products},
                                key=lambda row: sort_key(row[0])),
            "groups": sorted({p.data["classification"]["group"] for p in products},
                             key=lambda code: sort_key(rulebook.group_name(code))),
            "stars": sorted({p.stars for p in products}, reverse=True),
        }

    def _products_of(self, rec: Record) -> list[str]:
        if rec.kind == "producer":
            if self._by_producer is None:  # one pass, not one per producer (8,000 × 15,000 nationally)
                self._by_producer = {}
                for p in self.cat.products.values():
                    self._by_producer.setdefault(p.data["producer"], []).append(p.id)
            return sorted(self._by_producer.get(rec.id, []))
        ids = list(rec.data.get("products", []))
        if rec.kind == "village" and rec.data.get("tourism_product"):
            ids = [rec.data["tourism_product"]] + [i for i in ids if i != rec.data["tourism_product"]]
        return ids

    def _province_maps(self, kind: str) -> list[tuple[str, str]]:
        """(province name, map page) of each province with a record of ``kind`` (sales points and
        villages: their index pages link to the province maps, catalog/site/maps.py)."""
        if kind not in ("sales_point", "village"):
            return []
        if kind not in self._maps_of:  # once per kind, not once per index page

            folders = sorted({r.folder for r in self.cat.table(kind).values()})
            self._maps_of[kind] = [(places.provinces_by_folder()[f].name, map_url(f)) for f in folders]
        return self._maps_of[kind]

    _group: Callable[..., Iterator["Spec"]]  # PageBuilder._group: pages kept from the last build

    def _alone(self, index: int, spec: "Spec") -> Iterator["Spec"]:
        """A listing's page after the first as a group of its own, keyed by the page's own key
        (see "a record's pages kept from the last build" below): an edit lists only the pages whose
        cards changed. A first page is always listed: some are navigation pages, which MkDocs
        renders from the Markdown written for it (build.py NAV_URLS, _write_docs)."""
        if index == 0:
            yield spec
            return
        yield from self._group(f"page:{spec.url}", spec.key_of, partial(iter, (spec,)))

    # --- keys of incremental builds (see Spec.key) ---------------------------------------------
    def _d(self, rec: Record) -> str:
        return self.digests.get(rec.file, "") if self.digests is not None else ""

    def _keyed(self, *parts: Any) -> str | None:
        if self.digests is None:
            return None
        return hashlib.sha256(repr(parts).encode()).hexdigest()  # parts: strings, numbers, lists, dicts

    def _images_key(self, p: Product, first_only: bool = False) -> list:
        images = p.data.get("images", [])[:1] if first_only else p.data.get("images", [])
        return [self._image_key(i["file"]) for i in images]

    def _image_key(self, name: str) -> str:
        if name not in self._image_keys:  # a shared photo's key is made once
            self._image_keys[name] = f"{name}={self.images.get(name)!r}"
        return self._image_keys[name]

    def _card_key(self, p: Product) -> str | None:
        if p.id not in self._card_keys:  # hashed once: a listing's key repeats 48 of them (issue #27)
            self._card_keys[p.id] = self._keyed("card", p.id, self._d(p), self._d(self.cat.producers[p.data["producer"]]),
                                                self._images_key(p, first_only=True))
        return self._card_keys[p.id]

    def share_keys_with(self, other: "_Keys") -> None:
        """Take the keys of record pages (product, label and record pages: made of digests only,
        the same in every language) from ``other``, the builder of the other language of the same
        build — computed once instead of once per language (issue #27: ~0.6 s at 15,000). Only
        when both show the same catalogue, digests and photos."""
        if other.cat is self.cat and other.digests is self.digests and other.images == self.images:
            self._record_keys, self._card_keys = other._record_keys, other._card_keys

    def _product_key(self, p: Product) -> str | None:
        memo = ("product", p.id)
        if memo not in self._record_keys:
            self._record_keys[memo] = self._keyed("product", *self._product_parts(p))
        return self._record_keys[memo]

    def _product_parts(self, p: Product) -> list:
        """What a product's page is made of: its file, its producer's, its sales points' and
        villages', and its photos (the key of its page, and part of its group's)."""
        return [self._d(p), self._d(self.cat.producers[p.data["producer"]]),
                [self._d(self.cat.sales_points[s]) for s in p.sales_points],
                [self._d(self.cat.villages[v]) for v in p.villages], self._images_key(p)]

    def _record_key(self, rec: Record) -> str | None:
        memo = ("record", rec.kind, rec.id)
        if memo not in self._record_keys:
            self._record_keys[memo] = self._keyed(
                "record", self._d(rec), [self._card_key(self.cat.products[pid])
                                         for pid in self._products_of(rec) if pid in self.cat.products])
        return self._record_keys[memo]

    def _listing_key(self, title: str, index: int, total: int, pager: dict | None, chunk: list[Product]) -> str | None:
        return self._keyed("listing", title, index, total, pager, self._facets_key(), [self._card_key(p) for p in chunk])

    _facets_digest: str | None = None  # the facets' hash, made once per builder

    def _facets_key(self) -> str | None:
        if self._facets_digest is None:
            self._facets_digest = self._keyed(self._facets())
        return self._facets_digest

    def _trace_key(self, p: Product, lot: dict | None) -> str | None:
        memo = ("trace", p.id, lot["id"] if lot else None)
        if memo not in self._record_keys:
            points = sorted({e["sales_point"] for e in (lot or {}).get("events", []) if e.get("sales_point")})
            self._record_keys[memo] = self._keyed(
                "trace", lot["id"] if lot else None, self._d(p), self._d(self.cat.producers[p.data["producer"]]),
                [self._d(self.cat.sales_points[s]) for s in points if s in self.cat.sales_points])
        return self._record_keys[memo]

    def _index_key(self, kind: str, title: str, index: int, total: int, pager: dict | None,
                   chunk: list[Record]) -> str | None:
        return self._keyed("index", kind, title, index, total, pager, [(r.id, self._d(r)) for r in chunk],
                           self._province_maps(kind))


class _ProductPages(_Keys):
    """The home page, the product listings (all, by group, by stars; by province: catalog/site/stats_pages.py),
    each product's page with its label QR code, and the pages its label leads to (catalog/site/scan.py)."""

    def home(self) -> Page:
        products = list(self.cat.products.values())
        valid = [p for p in products if p.status.is_valid]
        by_stars = Counter(p.stars for p in valid)
        by_group = Counter(p.data["classification"]["group"] for p in valid)
        by_province = Counter(p.folder for p in valid)
        newest = sorted(products, key=lambda p: (p.data["certificate"]["decision"]["date"], p.id), reverse=True)
        newest = [p for p in newest if p.status.is_valid][:NEWEST_COUNT]
        body = self._render(
            "home.html", **self._ctx(
                "",
                valid_count=len(valid),
                by_stars=sorted(by_stars.items(), reverse=True),
                by_group=sorted(by_group.items(), key=lambda kv: (-kv[1], kv[0])),
                by_province=sorted(((places.provinces_by_folder()[f].name, f, n) for f, n in by_province.items()),
                                   key=lambda row: sort_key(row[0])),
                newest=[self.product_card(p) for p in newest],
            ))
        return Page("index.md", "", "home.html", language.site_title(self.cat.config, self.lang), body,
                    self.t["descriptions"]["home"].format(n=len(valid), date=language.date(self.cat.as_of, self.lang)))

    def _province_group_key(self, products: list[Product]) -> str | None:
        """A province's listing pages (catalog/site/stats_pages.py province_listings) show its products'
        cards, in listing order, valid and lapsed apart, with facets counted from them: all of it made
        from the products' and their producers' files and photos (the cards' keys), and the as-of date
        and the tool (the cold key the groups are scoped by)."""
        return self._keyed("province", [self._card_key(p) for p in products])

    def product_listings(self) -> Iterator["Spec"]:
        products, by_folder, by_group, by_stars = self._listing_parts()
        yield from self._listing_specs("san-pham/index.md", "san-pham/", self.t["listing"]["all_products"], products)
        for folder in sorted(by_folder):  # valid and lapsed apart, facets scoped (#17)
            yield from self._group(f"province:{folder}", partial(self._province_group_key, by_folder[folder]),
                                   partial(self.stats.province_listings, folder, by_folder[folder]))
        for group in sorted(by_group):
            yield from self._listing_specs(f"nhom/{group}.md", f"nhom/{group}/",
                                           self.t["listing"]["by_group"].format(name=rulebook.group_name(group)),
                                           by_group[group])
        for stars in sorted(by_stars):
            yield from self._listing_specs(f"sao/{stars}.md", f"sao/{stars}/", self.t["listing"]["by_stars"].format(n=stars),
                                           by_stars[stars])

    def _listing_parts(self) -> tuple[list[Product], dict, dict, dict]:
        """Every product in listing order, and the same split by province folder, group and stars
        (each part keeps that order): one pass per catalogue for both languages (issue #27: a pass
        per province, group and star level per language was ~0.3 s at 15,000 products)."""
        if "listing parts" not in self.cat.memo:
            rank = self.cat.listing_rank()
            ranked = sorted(self.cat.products.values(), key=lambda p: rank[p.id])
            by_folder: dict[str, list[Product]] = {}
            by_group: dict[str, list[Product]] = {}
            by_stars: dict[int, list[Product]] = {}
            for p in ranked:
                by_folder.setdefault(p.folder, []).append(p)
                by_group.setdefault(p.data["classification"]["group"], []).append(p)
                by_stars.setdefault(p.stars, []).append(p)
            self.cat.memo["listing parts"] = (ranked, by_folder, by_group, by_stars)
        return self.cat.memo["listing parts"]

    def _listing_specs(self, path: str, url: str, title: str, ordered: list[Product]) -> Iterator["Spec"]:
        """The pages of a listing of ``ordered``: products already in listing order (Catalogue.listing_rank,
        as :meth:`_listing_parts` gives them — not sorted again: 15,000 products a language, issue #27)."""
        for i, (page_url, chunk, pager) in enumerate(paginate(url, ordered)):
            yield from self._alone(i, Spec(page_url, "listing.html", partial(
                self._listing, path if i == 0 else f"{page_url}index.md", page_url, self._page_title(title, i),
                chunk, len(ordered), pager), partial(self._listing_key, title, i, len(ordered), pager, chunk)))

    def _listing(self, path: str, url: str, title: str, products: list[Product], total: int,
                 pager: dict | None, description: str = "") -> Page:
        body = self._render("listing.html", **self._ctx(url, title=title, products=[self.product_card(p) for p in products],
                                                       total=total, paging=pager, facets=self._facets()))
        return Page(path, url, "listing.html", title, body,
                    description or self.t["descriptions"]["listing"].format(title=title, n=total))

    def product_page(self, p: Product) -> Page:
        url = url_for("product", p.id)
        data = p.data
        producer = self.cat.producers[data["producer"]]
        sales_points = [self.cat.sales_points[s] for s in p.sales_points]
        villages = [self.cat.villages[v] for v in p.villages]
        body = self._render(
            "product.html", **self._ctx(
                url, p=p, d=data, cert=data["certificate"], sv=status.view(data, self.cat.as_of, self.t),
                producer=producer, sales_points=sales_points, villages=villages,
                images=[(self.images.get(i["file"]), i["alt"]) for i in data.get("images", [])],
                qr=self._qr_on_page(p, url),
                province=places.provinces_by_folder()[p.folder].name,
                structured_data=self._structured_data(product_structured_data, p),
            ))
        return Page(f"{KIND_URL['product']}/{p.id}.md", url, "product.html", data["name"], body,
                    _summary(data["description"]))

    def _qr_on_page(self, p: Product, url: str) -> dict | None:
        """The label's QR code on a product page. On an English twin (under a prefix) not the image
        again but its URL, the print size and a link to the image on the root edition's page: the
        same PNG, ~1.4 KB a page (issue #27)."""
        if not self.prefix:
            return self._qr(p, None)
        if not may_carry_label(p):
            return None
        qr_url = label_url(self.cat.config["base_url"], p.data, None)
        made = _QR_MADE.get(qr_url)  # the twin's, when this worker made it; else the code without its PNG
        min_mm = made["min_mm"] if made else math.ceil(printing.min_print_mm(qrlib.encode(qr_url)))
        return {"url": qr_url, "min_mm": min_mm, "elsewhere": relative(self.prefix + url, url) + "#ocop-qr-title"}

    def _qr(self, p: Product, lot: str | None) -> dict | None:
        """The label's QR code for the page: a 1-bit PNG at 300 dpi with the label's module size,
        as a data: URI (~0.7 KB; no file, no request; once: saved from the image itself), with the
        smallest size it may be printed at. None when the product may not carry a label
        (model.may_carry_label: expired, revoked, withdrawn, a revocation or withdrawal on record)."""
        import base64

        if not may_carry_label(p):
            return None
        url = label_url(self.cat.config["base_url"], p.data, lot)
        if url in _QR_MADE:  # the page's twin in the other language made it (same label, same bytes)
            return _QR_MADE[url]
        code = qrlib.encode(url)
        png = qrlib.png_bytes(code, dots=printing.standalone_dots(code))  # the label folder's qr.png, byte for byte
        made = {"url": url, "png": "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
                "px": code.size_with_quiet_zone * 4, "min_mm": math.ceil(printing.min_print_mm(code))}
        if len(_QR_MADE) > 4096:  # bounded: a national build has 30,000 labels; twins are made close together
            _QR_MADE.clear()
        _QR_MADE[url] = made
        return made

    def trace_pages(self, p: Product) -> Iterator["Spec"]:
        """The pages a label leads to, per product and per lot (catalog/site/scan.py)."""
        return self.scan.specs(p)


class _RecordPages(_Keys):
    """The pages of producers, sales points and villages and their indexes; the search and open-data pages."""

    def record_page(self, rec: Record) -> Page:
        url = url_for(rec.kind, rec.id)
        products = [self.cat.products[pid] for pid in self._products_of(rec) if pid in self.cat.products]
        extra: dict[str, Any] = {}
        if rec.kind == "sales_point":
            extra["structured_data"] = self._structured_data(sales_point_structured_data, rec)
        if rec.kind in ("sales_point", "village"):
            extra["place_map"] = self.maps.record_map(rec, url)
        body = self._render(
            f"{rec.kind}.html", **self._ctx(
                url, r=rec, d=rec.data, products=[self.product_card(p) for p in products],
                province=self._province_name(places.provinces_by_folder()[rec.folder].name), **extra,
            ))
        return Page(f"{KIND_URL[rec.kind]}/{rec.id}.md", url, f"{rec.kind}.html", rec.data["name"], body,
                    _summary(rec.data.get("description", rec.data["name"])))

    def kind_index_specs(self, kind: str) -> Iterator["Spec"]:
        url = f"{KIND_URL[kind]}/"
        memo = f"index order {kind}"  # the same for both languages: sorted once per catalogue (issue #27)
        if memo not in self.cat.memo:
            folders = {f: sort_key(p.name) for f, p in places.provinces_by_folder().items()}
            self.cat.memo[memo] = sorted(self.cat.table(kind).values(), key=lambda r: (folders[r.folder], sort_key(r.name), r.id))
        records = self.cat.memo[memo]
        title = self.t["listing"][{"producer": "producers", "sales_point": "sales_points", "village": "villages"}[kind]]
        for i, (page_url, chunk, pager) in enumerate(paginate(url, records)):
            yield from self._alone(i, Spec(page_url, "listing.html", partial(
                self.kind_index, kind, f"{url}index.md" if i == 0 else f"{page_url}index.md", page_url,
                self._page_title(title, i), chunk, len(records), pager),
                partial(self._index_key, kind, title, i, len(records), pager, chunk)))

    def kind_index(self, kind: str, path: str, url: str, title: str, records: list[Record], total: int,
                   pager: dict | None) -> Page:
        body = self._render("index_of.html", **self._ctx(
            url, title=title, kind=kind, total=total, paging=pager,
            rows=[{"name": r.name, "url": url_for(kind, r.id), "province": places.provinces_by_folder()[r.folder].name,
                   "kind_label": self.t[kind]["kinds"][r.data["kind"]]} for r in records],
            province_maps=self._province_maps(kind)))
        return Page(path, url, "listing.html", title, body,
                    self.t["descriptions"]["index"].format(title=title, n=total))

    def search_page(self) -> Page:
        body = self._render("search.html", **self._ctx("tim-kiem/"))
        return Page("tim-kiem.md", "tim-kiem/", "search.html", self.t["search"]["title"], body,
                    self.t["descriptions"]["search"])

    def open_data_page(self) -> Page:
        body = self._render("open_data.html", **self._ctx("du-lieu-mo/"))
        return Page("du-lieu-mo.md", "du-lieu-mo/", "listing.html", self.t["open_data"]["title"], body,
                    self.t["descriptions"]["open_data"])


class PageBuilder(_ProductPages, _RecordPages):
    """Every page of one language's edition (see the module's docstring): the page families above,
    the scan pages (catalog/site/scan.py), statistics (catalog/site/stats_pages.py) and maps
    (catalog/site/maps.py), assembled in :meth:`specs`."""

    def __init__(self, cat: Catalogue, images: dict[str, dict] | None = None, lang: str = "vi",
                 digests: dict[str, str] | None = None, offline: bool = False, prefix: str | None = None,
                 twins: bool = False) -> None:
        super().__init__(cat, images, lang, digests, offline, prefix, twins)
        self.scan = ScanPages(self)
        self.stats = StatsPages(self)
        self.maps = MapPages(self)
        self.env.globals["map_script"] = self.maps.script
        self.env.globals["stat_cells"] = self.stats.row_cells  # a statistics table's row (_stats.html)
        for name in self.env.list_templates():  # compiled here, before a build forks its workers
            self.env.get_template(name)
        _ = self.env.get_template(MACROS).module  # its module too: made once, shared by the workers

    # --- pages ----------------------------------------------------------------------------------
    def pages(self) -> Iterator[Page]:
        for spec in self.specs():
            yield spec.make()

    def specs(self) -> Iterator["Spec"]:
        """Every page of the site, not rendered yet: its URL, frame template and how to make it.
        ``url`` and ``template`` must be those of the Page that ``make()`` returns. An English
        builder's pages are moved under ``en/`` (see the module's docstring)."""
        if not self.prefix:
            yield from self._specs()
            return
        for spec in self._specs():
            yield Spec(self.prefix + spec.url, spec.template, partial(self._moved_under_prefix, spec.make), spec.key)

    def label_specs(self) -> Iterator["Spec"]:
        """The pages of :meth:`specs` that are whole documents (the pages a label leads to,
        catalog/site/scan.py), in the same order, without listing the others: what a cold build makes
        before the MkDocs frames exist (build._early_pages)."""
        for p in self.cat.products.values():
            for spec in self.trace_pages(p):
                yield spec if not self.prefix else Spec(self.prefix + spec.url, spec.template,
                                                         partial(self._moved_under_prefix, spec.make), spec.key)

    # --- a record's pages kept from the last build (issue #27) -----------------------------------
    # A record's own pages — a product's page and the pages its label leads to; a producer's, sales
    # point's or village's page — form a *group* with a key made of the digests of everything they
    # show (the keys of its pages are functions of the same digests: _product_key, _trace_key,
    # _record_key). The build's state keeps each group's key with the URL and frame of each of its
    # pages (site.json "groups", scoped by the cold key: tool, configuration, as-of date). When a
    # group's key is the last build's, its pages are not listed at all: `kept` holds their (URL,
    # frame) and the build takes their keys and files from the last build (build.render_site). At
    # 15,000 products an edit then lists ~10,000 specs instead of 93,000 and computes no key of an
    # unchanged record's page. If the last build's keys cannot be used after all (other MkDocs frames),
    # the build lists everything again (build._Relist). A province's listing pages are a group too,
    # keyed by its products' cards (_province_group_key); each commune's page (stats_pages.py) and each
    # page after the first of a paged listing (_alone) is a group of its own, keyed by its own key: at
    # 15,000 products a name edit lists ~330 specs instead of ~8,000. tests/test_incremental.py
    # compares with cold builds.
    def _product_specs(self, p: Product) -> Iterator["Spec"]:
        yield Spec(url_for("product", p.id), "product.html", partial(self.product_page, p), partial(self._product_key, p))
        yield from self.trace_pages(p)

    def _record_specs(self, rec: Record) -> Iterator["Spec"]:
        yield Spec(url_for(rec.kind, rec.id), f"{rec.kind}.html", partial(self.record_page, rec),
                   partial(self._record_key, rec))

    def _product_group_key(self, p: Product) -> str | None:
        """Everything a product's group of pages is made of: its page's key (product, producer,
        sales points, villages, photos) and the sales points its lots' events name (_trace_key)."""
        memo = ("group", p.id)
        if memo not in self._record_keys:  # shared by the language twins, like the pages' keys
            points = sorted({e["sales_point"] for lot in p.data.get("lots", []) for e in lot.get("events", [])
                             if e.get("sales_point")})
            self._record_keys[memo] = self._keyed(  # what _product_key is made of, and the lots' sales points
                "group", *self._product_parts(p),
                [(s, self._d(self.cat.sales_points[s])) for s in points if s in self.cat.sales_points])
        return self._record_keys[memo]

    def keep_from(self, cold_key: str, last: dict | None) -> None:
        """Record this build's groups (``self.groups``, for the next build) and, when ``last`` (the
        last build's "groups": {"cold": key, "groups": {id: "key\nURL\tframe\n…"}}) was made
        with the same cold key, leave its unchanged groups out of :meth:`specs` (see above)."""
        self.groups, self.kept = {}, []
        if last is not None and last.get("cold") == cold_key and isinstance(last.get("groups"), dict):
            self._last_groups = last["groups"]

    groups: dict | None = None  # this build's groups; None: no groups (no digests, or not asked)
    kept: list[tuple[str, str]] = []  # (URL, frame) of every page of the unchanged groups
    _last_groups: dict = {}

    def _group(self, gid: str, key: Callable[[], str | None], specs: Callable[[], Iterator["Spec"]]) -> Iterator["Spec"]:
        if self.groups is None or self.digests is None:
            yield from specs()
            return
        gid = self.prefix + gid
        group_key = key()
        last = self._last_groups.get(gid)
        if isinstance(last, str) and last.startswith(f"{group_key}\n"):
            self.groups[gid] = last
            pages = last.split("\n")[1:]  # "URL\tframe" each
            self.kept.extend((self.prefix + url, template) for url, _, template in (page.partition("\t") for page in pages))
            return
        made = list(specs())
        # one string per group (its key, then "URL\tframe" per page): ~48,000 groups at 15,000
        # products, read and written with the state at every build — a list of lists of strings was
        # five objects a page to make
        self.groups[gid] = "\n".join([str(group_key)] + [f"{s.url}\t{s.template}" for s in made])
        yield from made

    def _moved_under_prefix(self, make: Callable[[], "Page"]) -> "Page":
        page = make()
        page.path, page.url, page.lang = self.prefix + page.path, self.prefix + page.url, self.lang
        return page

    def _specs(self) -> Iterator["Spec"]:
        yield Spec("", "home.html", self.home)
        yield from self.product_listings()
        for p in self.cat.products.values():
            yield from self._group(f"product:{p.id}", partial(self._product_group_key, p), partial(self._product_specs, p))
        for kind in ("producer", "sales_point", "village"):
            yield from self.kind_index_specs(kind)
            for rec in self.cat.table(kind).values():
                yield from self._group(f"{kind}:{rec.id}", partial(self._record_key, rec), partial(self._record_specs, rec))
        yield from self.stats.specs()
        yield from self.maps.specs()
        yield Spec("tim-kiem/", "search.html", self.search_page)
        yield Spec("du-lieu-mo/", "listing.html", self.open_data_page)


def _legal_basis_title(code: str, lang: str = "vi") -> str:
    """The criteria's title (ocop_rules.yaml ``title``; ``title_en`` on English pages)."""
    english = rulebook.rules()["legal_bases"][code].get("title_en") if lang == "en" else None
    return english or rulebook.legal_basis(code).title


def _field_title(kind: str, name: str, lang: str = "vi") -> str:
    return fields.title(kind, name, lang)


def product_structured_data(cat: Catalogue, p: Product) -> dict:
    """schema.org Product with hasCertification → Certification. Stars are a certification grade,
    never an AggregateRating."""
    cert = p.certificate  # the one in force on the as-of date (an earlier one until a re-recognition takes effect)
    producer = cat.producers[p.data["producer"]]
    certification: dict[str, Any] = {
        "@type": "Certification",
        "name": f"OCOP {p.stars} sao",
        "certificationIdentification": cert["number"],
        "certificationRating": {"@type": "Rating", "ratingValue": p.stars, "bestRating": 5, "worstRating": 1},
        "certificationStatus": "https://schema.org/CertificationActive" if p.status.is_valid else "https://schema.org/CertificationInactive",
        "validFrom": cert["decision"]["date"],
        "expires": cert["valid_until"],
    }
    if "deciding_body" in cert:
        certification["issuedBy"] = {"@type": "Organization", "name": cert["deciding_body"]["name"]}
    if not cert["number"]:
        del certification["certificationIdentification"]
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": absolute(cat, url_for("product", p.id)),
        "name": p.name,
        "description": p.data["description"],
        "url": absolute(cat, url_for("product", p.id)),
        "manufacturer": {"@type": "Organization", "name": producer.name, "url": absolute(cat, url_for("producer", producer.id))},
        "hasCertification": certification,
    }
    if p.data.get("gtin"):
        doc["gtin"] = p.data["gtin"]
    return doc


def sales_point_structured_data(cat: Catalogue, rec: Record) -> dict:
    d = rec.data
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Store",
        "@id": absolute(cat, url_for("sales_point", rec.id)),
        "name": d["name"],
        "url": absolute(cat, url_for("sales_point", rec.id)),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": d["address"].get("street", ""),
            "addressLocality": d["address"]["commune"],
            "addressRegion": d["address"]["province"],
            "addressCountry": "VN",
        },
    }
    if d.get("phone"):
        doc["telephone"] = international_phone(d["phone"])  # schema.org wants the country code
    if d.get("location"):
        doc["geo"] = {"@type": "GeoCoordinates", "latitude": d["location"]["lat"], "longitude": d["location"]["lon"]}
    return doc


