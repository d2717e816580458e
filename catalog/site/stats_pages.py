"""The pages and files of issue #17: statistics, commune coverage, province listings.

One job: turn :mod:`catalog.figures.stats` figures and the catalogue into page specs (rendered by the
:class:`catalog.site.pages.PageBuilder` that owns this object, with its autoescaping templates) and
download files. URLs:

* ``/thong-ke/`` national statistics (in the navigation), ``/thong-ke/<province>/`` a province's;
  every table also as ``<table id>.csv`` beside the page and all of them as one XLSX workbook
  (``thong-ke/thong-ke-toan-quoc.xlsx``, ``thong-ke/<province>/thong-ke-<province>.xlsx``).
* ``/tinh/<province>/`` valid products only, with counts and star/group facets scoped to the
  province (``sao/<n>/``, ``nhom/<group>/``, valid products too); the others at
  ``/tinh/<province>/het-hieu-luc/``. Long lists are paged like every listing (``trang-<n>/``).
* ``/tinh/<province>/xa/`` every commune of the province (2025 list) with its counts and coverage;
  ``/tinh/<province>/xa/<commune>/`` a page per commune that has any record (products, producers,
  sales points, villages) — kept light (lists, no photos): at national scale there are ~3,000.

Incremental builds: every page and file has a key made of what it shows — a statistics page and
its files what every record of its scope holds that a figure counts (:func:`catalog.figures.stats.scope_digest`:
a name or a description changes no figure, so not these pages), a listing
its cards and facet counts, a commune page its records. Figures are computed once per process,
when first asked for (the parent or a forked worker), never for an unchanged scope of an
incremental build.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from numbers import Number
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from markupsafe import Markup, escape

from . import charts
from ..reference import rulebook
from ..figures import stats
from ..reference.lang import date as lang_date, number as lang_number
from ..records.model import Product
from ..figures.tables import Linked, Table, to_csv, to_xlsx
from ..records.urls import is_shared_file, url_for
from .page import Page, paginate, Spec

if TYPE_CHECKING:
    from .pages import PageBuilder

STATS_URL = "thong-ke/"
LAPSED_SEGMENT = "het-hieu-luc"


def stats_url(folder: str | None) -> str:
    return STATS_URL if folder is None else f"{STATS_URL}{folder}/"


def workbook_name(folder: str | None) -> str:
    return f"thong-ke-{folder or 'toan-quoc'}.xlsx"


class _Scopes:
    """What every statistics page of a builder shares: its figures and tables per scope (computed
    once per process) and the keys that decide whether a page is rendered again. The pages are in
    the classes below, by heading, put together by :class:`StatsPages` (issue #23)."""

    def __init__(self, builder: "PageBuilder") -> None:
        self.b = builder
        self.cat = builder.cat
        self.t = builder.t
        self._figures: dict[str | None, stats.Figures] = {}
        self._tables: dict[str | None, list[Table]] = {}
        self._scope_keys: dict[str | None, str] = {}
        self._communes: dict[tuple[str, str], dict[str, list]] | None = None
        self._cards: dict[str, str] = {}

    def figures(self, folder: str | None) -> stats.Figures:
        if folder not in self._figures:
            self._figures[folder] = stats.Figures(self.cat, folder, lang=self.b.lang)
        return self._figures[folder]

    def tables(self, folder: str | None) -> list[Table]:
        if folder not in self._tables:
            self._tables[folder] = self.figures(folder).tables()
        return self._tables[folder]

    def scope_key(self, folder: str | None) -> str:
        if folder not in self._scope_keys:
            self._scope_keys[folder] = stats.scope_digest(self.cat, folder)
        return self._scope_keys[folder]

    def _scope_page_key(self, kind: str, folder: str | None) -> str | None:
        return self.b._keyed(kind, folder, self.scope_key(folder) if self.b.digests is not None else None)


class _Communes(_Scopes):
    """A page per commune with products: what it has, by kind of record."""

    def commune_index(self) -> dict[tuple[str, str], dict[str, list]]:
        """(province folder, official commune name) → its records by kind, each list sorted. Made once
        per catalogue, shared by both languages' builders (issue #27: ~0.1 s each at 15,000 products)."""
        if self._communes is None and "commune index" in self.cat.memo:
            self._communes = self.cat.memo["commune index"]
        if self._communes is None:
            index: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: {k: [] for k in
                                                                                 ("product", "producer", "sales_point", "village")})
            for kind in ("product", "producer", "sales_point", "village"):
                for rec in self.cat.table(kind).values():
                    address = rec.data["address"]
                    index[(rec.folder, stats.official_commune(address["province"], address["commune"]))][kind].append(rec)
            slugs_ok = {}
            rank = self.cat.listing_rank()  # = (not valid, -stars, vi_key(name), id): Catalogue.listing_rank
            for (folder, commune), records in index.items():
                for kind, items in records.items():
                    if kind == "product":
                        items.sort(key=lambda p: rank[p.id])
                    else:
                        items.sort(key=lambda r: (stats.vi_key(r.name), r.id))
                slugs_ok[(folder, commune)] = commune in stats.commune_slugs(stats.province_name(folder))
            self._communes = self.cat.memo["commune index"] = {k: v for k, v in index.items() if slugs_ok[k]}
        return self._communes

    def _commune_key(self, folder: str, commune: str) -> str | None:
        records = self.commune_index()[(folder, commune)]
        return self.b._keyed("commune", folder, commune,
                             [self.b._card_key(p) for p in records["product"]],
                             [(r.id, self.b._d(r)) for kind in ("producer", "sales_point", "village") for r in records[kind]])

    def commune_page(self, folder: str, commune: str, url: str) -> "Page":
        records = self.commune_index()[(folder, commune)]
        province = stats.province_name(folder)
        c = self.t["commune"]
        products = [self.b.product_card(p) for p in records["product"]]
        valid = sum(1 for p in records["product"] if p.status.is_valid)

        def rows(kind: str) -> list[dict]:
            return [{"name": r.name, "url": url_for(kind, r.id), "kind_label": self.t[kind]["kinds"][r.data["kind"]]}
                    for r in records[kind]]

        title = c["title"].format(commune=commune, province=province)
        body = self.b._render("commune.html", **self.b._ctx(
            url, title=title, products=products, producers=rows("producer"), sales_points=rows("sales_point"),
            villages=rows("village"), folder=folder,
            counts=c["counts"].format(valid=valid, other=len(records["product"]) - valid)))
        return Page(f"{url}index.md", url, "listing.html", title, body,
                    c["description"].format(commune=commune, province=self.b.province_in_sentence(province)))


class _ProvinceListings(_Scopes):
    """A province's products as listings, valid first, with their facets."""

    def province_listings(self, folder: str, products: list[Product]) -> Iterator["Spec"]:
        """The province's listing pages: valid products with scoped facets, the others apart."""
        name = self.b.province_in_sentence(stats.province_name(folder))  # "tỉnh Lai Châu", "thành phố Hải Phòng"
        base = f"tinh/{folder}/"
        valid = [p for p in products if p.status.is_valid]
        other = [p for p in products if not p.status.is_valid]
        facets = self._facets(folder, valid, other)
        p = self.t["province"]
        yield from self._specs(f"tinh/{folder}.md", base, self.t["listing"]["by_province"].format(name=name), valid,
                               facets, "valid")
        if other:
            yield from self._specs(None, f"{base}{LAPSED_SEGMENT}/", p["lapsed_title"].format(name=name), other,
                                   facets, "lapsed")
        for n in sorted({q.stars for q in valid}, reverse=True):
            yield from self._specs(None, f"{base}sao/{n}/", p["by_stars_title"].format(n=n, name=name),
                                   [q for q in valid if q.stars == n], facets, f"sao/{n}")
        for group in sorted({q.data["classification"]["group"] for q in valid}):
            yield from self._specs(None, f"{base}nhom/{group}/",
                                   p["by_group_title"].format(group=rulebook.group_name(group), name=name),
                                   [q for q in valid if q.data["classification"]["group"] == group], facets,
                                   f"nhom/{group}")

    def _facets(self, folder: str, valid: list[Product], other: list[Product]) -> dict[str, Any]:
        stars = Counter(p.stars for p in valid)
        groups = Counter(p.data["classification"]["group"] for p in valid)
        base = f"tinh/{folder}/"
        return {
            "base": base, "valid": len(valid), "other": len(other),
            "lapsed_url": f"{base}{LAPSED_SEGMENT}/" if other else None,
            "stars": [(n, f"{base}sao/{n}/", stars[n]) for n in sorted(stars, reverse=True)],
            "groups": [(rulebook.group_name(g), f"{base}nhom/{g}/", groups[g], f"nhom/{g}") for g in sorted(groups)],
            "stats": stats_url(folder), "coverage": f"{base}xa/",
            "map": f"{base}ban-do/",  # issue #18 (catalog/site/maps.py)
        }

    def _specs(self, first_path: str | None, url: str, title: str, products: list[Product], facets: dict,
               current: str) -> Iterator["Spec"]:
        rank = self.cat.listing_rank()  # = sorted by (not valid, -stars, vi_key(name), id): Catalogue.listing_rank
        ordered = sorted(products, key=lambda p: rank[p.id])
        for i, (page_url, chunk, pager) in enumerate(paginate(url, ordered)):
            path = first_path if i == 0 and first_path else f"{page_url}index.md"
            page_title = self.b._page_title(title, i)
            yield Spec(page_url, "listing.html",
                       partial(self._province_page, path, page_url, page_title, chunk, len(ordered), pager, facets, current),
                       partial(self._province_key, page_title, i, len(ordered), pager, facets, current, chunk))

    def _card_html(self, p: Product) -> str:
        """A product card rendered once, its links written from the site root behind ROOT_TOKEN.
        Province listing pages (``tinh/<province>/…``) share no first folder with the card's links
        (``san-pham/``, ``img/``), so each link is "../" × depth + the path — what ``relative`` gives."""
        if p.id not in self._cards:
            prefix = self.b.prefix  # an English card links to English pages, and to the shared photos
            card = self.b.macro("card", lambda to: ROOT_TOKEN + (to if is_shared_file(to) else prefix + to))
            self._cards[p.id] = str(card(self.b.product_card(p)))
        return self._cards[p.id]

    def _province_key(self, title: str, index: int, total: int, pager: dict | None, facets: dict, current: str,
                      chunk: list[Product]) -> str | None:
        return self.b._keyed("province", title, index, total, pager, facets, current,
                             [self.b._card_key(p) for p in chunk])

    def _province_page(self, path: str, url: str, title: str, products: list[Product], total: int,
                       pager: dict | None, facets: dict, current: str) -> "Page":
        root = "../" * (self.b.prefix + url).count("/")
        cards = [Markup(self._card_html(p).replace(ROOT_TOKEN, root)) for p in products]
        body = self.b._render("province.html", **self.b._ctx(
            url, title=title, cards=cards, total=total, paging=pager, facets=facets, current=current))
        return Page(path, url, "listing.html", title, body,
                    self.t["descriptions"]["listing"].format(title=title, n=total))


class StatsPages(_Communes, _ProvinceListings):
    """The statistics pages of one PageBuilder: every spec, the downloadable tables, the
    statistics and coverage pages, and (from the classes above) communes and province listings."""

    def row_cells(self, row: list, header: int) -> Markup:
        """A table row's cells, as ``_stats.html``'s ``data_table`` writes them (its ``stat_cells``):
        the ``header`` column a row header, numbers right-aligned (class ``n``), a percentage with
        " %", a :class:`Linked` name as a link from the page being rendered, None empty. In Python, as
        the certificate block is (status.Fragments): it was two macros called ~36,000 times on the
        70 statistics pages at 3,000 products, half of their time (issue #27)."""
        out = []
        for i, value in enumerate(row):
            text = self._cell(value)
            if i == header:
                out.append(f'<th scope="row">{text}</th>')
            else:
                out.append(f'<td class="n">{text}</td>' if isinstance(value, Number) else f"<td>{text}</td>")
        return Markup("".join(out))

    def _cell(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{escape(lang_number(value, self.b.lang))} %"
        if isinstance(value, Number):
            return str(escape(lang_number(value, self.b.lang)))  # type: ignore[arg-type]  # Jinja's `is number`
        if isinstance(value, Linked):
            return f'<a href="{escape(self.b._page_link(value.url))}">{escape(value)}</a>'
        return str(escape(value))

    def specs(self) -> Iterator["Spec"]:
        yield Spec(STATS_URL, "listing.html", partial(self.stats_page, None),
                   partial(self._scope_page_key, "stats", None))  # a navigation page: build.py _write_docs
        for folder in stats.folders(self.cat):
            yield Spec(stats_url(folder), "listing.html", partial(self.stats_page, folder),
                       partial(self._scope_page_key, "stats", folder))
            yield Spec(f"tinh/{folder}/xa/", "listing.html", partial(self.coverage_page, folder),
                       partial(self._scope_page_key, "coverage", folder))
        for (folder, commune), _records in sorted(self.commune_index().items()):
            slug = stats.commune_slugs(stats.province_name(folder))[commune]
            url = stats.commune_url(folder, slug)
            spec = Spec(url, "listing.html", partial(self.commune_page, folder, commune, url),
                        partial(self._commune_key, folder, commune))
            # a group of its own (pages.py PageBuilder._group): an edit lists only its own commune's page
            yield from self.b._group(f"page:{url}", spec.key_of, partial(iter, (spec,)))

    def file_jobs(self, site: Path) -> list[tuple[str, Callable[[], None], list]]:
        """(path, thunk writing it, what it is made from) of every download: a CSV per table and an
        XLSX per scope. The key value is the scope's digest (catalog/site/build.py hashes it)."""
        jobs: list[tuple[str, Callable[[], None], list]] = []
        for folder in [None] + stats.folders(self.cat):
            base = stats_url(folder)
            deps = [("scope", self.scope_key(folder) if self.b.digests is not None else "")]
            for table_id in self._table_ids(folder):
                rel = f"{base}{table_id}.csv"
                jobs.append((rel, partial(self._write_csv, folder, table_id, site / rel), deps))
            rel = f"{base}{workbook_name(folder)}"
            jobs.append((rel, partial(self._write_xlsx, folder, site / rel), deps))
        return jobs

    @staticmethod
    def _table_ids(folder: str | None) -> list[str]:
        ids = ["tong-quan", "hang-sao", "nhom", "bo-san-pham", "loai-chu-the", "tinh" if folder is None else "xa",
               "nam-cong-nhan", "bien-dong", "lang-diem-ban", "bao-cao"]
        return ids + ([] if folder is None else ["phu-xa"])

    def _write_csv(self, folder: str | None, table_id: str, target: Path) -> None:
        table = next(t for t in self.tables(folder) if t.id == table_id)
        _write(target, to_csv(table).encode("utf-8"))

    def _write_xlsx(self, folder: str | None, target: Path) -> None:
        _write(target, to_xlsx(self.tables(folder)))

    def chart(self, table: Table) -> Markup | None:
        spec = table.chart
        if spec is None or not table.rows:
            return None
        rows = table.rows[: spec.limit] if spec.limit else table.rows
        series = [(table.columns[v], [row[v] or 0 for row in rows]) for v in spec.values]
        return charts.bar_chart(f"bd-{table.id}", spec.title or table.title, [str(row[spec.label]) for row in rows], series)

    def blocks(self, folder: str | None, tables: list[Table]) -> list[dict]:
        base = stats_url(folder)
        return [{"table": t, "chart": self.chart(t), "csv": f"{base}{t.id}.csv", "xlsx": f"{base}{workbook_name(folder)}"}
                for t in tables]

    def stats_page(self, folder: str | None) -> "Page":
        url = stats_url(folder)
        fig = self.figures(folder)
        tables = [t for t in self.tables(folder) if t.id != "phu-xa"]
        counts = fig.counts()
        s = self.t["stats"]
        title = s["title_national"] if folder is None else s["title_province"].format(name=self.b.province_in_sentence(fig.scope_name))
        date = lang_date(self.cat.as_of, self.b.lang)
        body = self.b._render("stats.html", **self.b._ctx(
            url, title=title, folder=folder, counts=counts, blocks=self.blocks(folder, tables),
            intro=s["intro"].format(date=date, n=lang_number(counts["records"], self.b.lang)),
            coverage=stats.percent(counts["communes_covered"], counts["communes"]),
            provinces=[(stats.province_name(f), stats_url(f)) for f in stats.folders(self.cat)] if folder is None else [],
            listing=f"tinh/{folder}/" if folder is not None and any(p.folder == folder for p in self.cat.products.values()) else None,
            ))
        path = f"{url}index.md"
        return Page(path, url, "listing.html", title, body,
                    s["description"].format(scope=fig.scope_name, date=date))

    def coverage_page(self, folder: str) -> "Page":
        url = f"tinh/{folder}/xa/"
        fig = self.figures(folder)
        table = next(t for t in self.tables(folder) if t.id == "phu-xa")
        name = fig.scope_name
        covered, total = fig.commune_coverage()[folder]
        c = self.t["commune"]
        title = c["coverage_title"].format(name=self.b.province_in_sentence(name))
        block = {"table": table, "chart": None, "csv": f"{stats_url(folder)}phu-xa.csv",
                 "xlsx": f"{stats_url(folder)}{workbook_name(folder)}"}
        body = self.b._render("coverage.html", **self.b._ctx(
            url, title=title, coverage=block, folder=folder,
            lead=c["coverage_lead"].format(covered=lang_number(covered, self.b.lang), total=lang_number(total, self.b.lang),
                                           percent=lang_number(stats.percent(covered, total), self.b.lang))))
        return Page(f"{url}index.md", url, "listing.html", title, body,
                    c["coverage_description"].format(name=self.b.province_in_sentence(name)))


ROOT_TOKEN = "\x00ocop-root\x00"  # cannot occur in escaped HTML


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)

