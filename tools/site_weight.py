"""What a built site is made of: files and bytes by kind of output and language, and the same site
projected to another catalogue size without building it (issue #27).

    .venv/bin/python tools/site_weight.py SITE                      # the table of a built site
    .venv/bin/python tools/site_weight.py SITE --project DATA       # + projected to the records in DATA

A kind is what a file is for (the product page, the page a label leads to, a lot's page, the
per-record JSON…; see ``kind``), in each language (``en`` for what lies under ``en/``). ``tar`` is
what GitHub Pages' upload makes of it (a 512-byte header per file and folder, contents padded to 512
bytes; ``tools/bench_national.py`` ``folder_size``).

Projection: the outputs of a bilingual build of DATA are listed exactly, without rendering one (the
page builders' specs, the per-record files and statistics downloads: what ``ocop build`` would
write, and their folders); each kind's bytes are its average in SITE times its count for DATA.
Files no spec lists are taken as measured (assets, the form editor, photos of the shared pool,
schemas), except those made from the whole catalogue, scaled by the number of products
(``catalogue.json``/``.csv``, the search index) or of listed pages (the sitemap). Checked against a
real build (README "Speed and weight"): a projection of 3,000 products from a 3,000 build is the
build to the file.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RECORD_PAGES = ("san-pham", "chu-the", "diem-ban", "lang")
BY_PRODUCTS = {"api catalogue.json", "api catalogue.csv", "search index"}  # made from every product


def kind(rel: str) -> tuple[str, str]:
    """(kind, language) of a site path."""
    lang = "en" if rel.startswith("en/") else "vi"
    r = rel[3:] if lang == "en" else rel
    parts = r.split("/")
    if r.startswith("01/"):
        return ("label page 01/<gtin>/10/<lot>" if "/10/" in r else "label page 01/<gtin>"), lang
    if r.startswith("p/"):
        return ("label page p/<id>/" if len(parts) == 3 else "label page p/<id>/<lot>/"), lang
    if r.startswith("api/v1/"):
        sub = parts[2]
        return (f"api {sub}/<id>" if len(parts) > 3 and sub != "schemas" else f"api {sub}"), lang
    if r.startswith("assets/img/"):
        return "photos", lang
    if r.startswith("sitemap"):
        return "sitemap", lang
    if r.startswith("search/"):
        return "search index", lang
    if parts[0] in RECORD_PAGES and len(parts) == 3 and not parts[1].startswith("trang-"):
        return f"{parts[0]}/<id>/ page", lang
    if parts[0] in RECORD_PAGES + ("tinh", "nhom", "sao"):
        return f"{parts[0]}/ listing", lang
    if len(parts) == 1:
        return ("home page" if r == "index.html" else r), lang  # 404.html, feed.xml, robots.txt
    return parts[0], lang


def part_of_folder(rel: str) -> str:
    """The deploy part (catalog/publish/parts.py) a folder is counted in, were en/ and api/ separated."""
    top = rel.split("/")[0]
    return top if top in ("en", "api") and rel != top else ""


def part_of(key: tuple[str, str]) -> str:
    """The deploy part a kind lies in, were en/ and api/ separated: "" (the main part), "en" or "api"."""
    kind_, lang = key
    if kind_ == "folders":
        return lang
    return "en" if lang == "en" else "api" if kind_.startswith("api ") else ""


def measure(site: Path) -> dict[tuple[str, str], list[int]]:
    """kind → [files, bytes, tar bytes]; the key ("folders", "") holds the folders."""
    table: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for dirpath, _, names in os.walk(site):
        folder = table[("folders", part_of_folder(os.path.relpath(dirpath, site).replace(os.sep, "/")))]
        folder[0] += 1
        folder[2] += 512
        for name in names:
            path = os.path.join(dirpath, name)
            size = os.path.getsize(path)
            row = table[kind(os.path.relpath(path, site).replace(os.sep, "/"))]
            row[0] += 1
            row[1] += size
            row[2] += 512 + -(-size // 512) * 512
    return dict(table)


def listed_outputs(data: Path, as_of: dt.date = dt.date(2026, 11, 23)) -> tuple[collections.Counter, set, int, int]:
    """The outputs a bilingual ``ocop build`` of ``data`` writes, listed without rendering: (kind →
    count, their folders, products, pages)."""
    from catalog.checks.validate import check
    from catalog.publish import export
    from catalog.site.build import editions
    from catalog.site.pages import PageBuilder
    from catalog.site.scan import STANDALONE, output_path

    result = check(data, as_of)
    if not result.ok or result.catalogue is None:
        raise SystemExit(f"{data}: the records have errors")
    cat = result.catalogue
    counts: collections.Counter = collections.Counter()
    paths = []
    pages = 0
    for lang, prefix in editions(False, None):
        builder = PageBuilder(cat, {}, lang=lang, prefix=prefix, twins=True)
        for spec in builder.specs():
            paths.append(output_path(spec.url) if spec.template == STANDALONE else f"{spec.url}index.html")
            pages += 1
        if not prefix:
            paths += [rel for rel, _, _ in export.record_jobs(cat, Path("/")) + builder.stats.file_jobs(Path("/"))]
    folders = {""}
    for rel in paths:
        counts[kind(rel)] += 1
        parts = rel.split("/")[:-1]
        folders.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return counts, folders, len(cat.products), pages


def project(site: Path, data: Path) -> dict:
    """``site`` (a bilingual build) projected to the records in ``data``: see the module's docstring."""
    measured = measure(site)
    counts, folders, products, pages = listed_outputs(data)
    here_products = sum(1 for _ in (site / "api/v1/products").glob("*.json"))
    here_pages = sum(1 for path in site.rglob("*.html")  # the pages its specs made (not the form editor, not 404)
                     if path.name != "404.html" and path.relative_to(site).parts[0] != "admin")
    rows = {}
    for key, (n, size, tar) in measured.items():
        if key[0] == "folders":
            continue
        if key in counts:
            scale = counts[key] / n
        elif key[0] in BY_PRODUCTS:
            scale = products / here_products
        elif key[0] == "sitemap":
            scale = pages / here_pages
        else:
            scale = 1.0
        rows[key] = [round(n * scale) if key in counts else n, size * scale, tar * scale]
    for key in set(counts) - set(measured):  # a kind the measured site does not have (rare)
        rows[key] = [counts[key], 0, 0]
    # folders no spec lists (the theme's assets, the form editor…): as in the measured site
    for dirpath, _, _ in os.walk(site):
        rel = os.path.relpath(dirpath, site).replace(os.sep, "/")
        if rel.split("/")[0] in ("assets", "admin", "search", "api") and rel not in folders:
            folders.add(rel)
    by_part = collections.Counter(part_of_folder(rel) for rel in folders)
    for part in ("", "en", "api"):
        rows[("folders", part)] = [by_part[part], 0, 512 * by_part[part]]
    return rows


def print_table(rows: dict, title: str) -> dict:
    print(f"\n{title}")
    print(f"{'kind':34} {'lang':4} {'files':>8} {'MB':>9} {'avg KB':>7} {'tar MB':>9}")
    total = [0, 0.0, 0.0]
    by_lang: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0, 0.0])
    for (k, lang), (n, size, tar) in sorted(rows.items(), key=lambda kv: (-kv[1][1], kv[0])):
        if k == "folders":
            continue
        print(f"{k:34} {lang:4} {n:8} {size / 1e6:9.1f} {size / max(n, 1) / 1e3:7.2f} {tar / 1e6:9.1f}")
        for acc in (total, by_lang[lang]):
            acc[0] += n
            acc[1] += size
            acc[2] += tar
    folders = [sum(row[i] for (k, _), row in rows.items() if k == "folders") for i in range(3)]
    for lang, (n, size, tar) in sorted(by_lang.items()):
        print(f"{'all of ' + lang:34} {'':4} {n:8} {size / 1e6:9.1f} {'':7} {tar / 1e6:9.1f}")
    print(f"{'folders':34} {'':4} {folders[0]:8} {'':9} {'':7} {folders[2] / 1e6:9.1f}")
    summary = {"files": int(total[0]), "mb": round(total[1] / 1e6, 1), "tar_mb": round((total[2] + folders[2]) / 1e6, 1)}
    print(f"{'total':34} {'':4} {summary['files']:8} {summary['mb']:9.1f} {'':7} {summary['tar_mb']:9.1f}")
    summary["parts"] = deploy_parts(rows)
    for separate, parts in summary["parts"].items():
        print(f"deploy_parts: [{separate}]".ljust(40) + "   ".join(
            f"{p['prefix']} {p['files']:,} files {p['mb']:,.1f} MB tar {p['tar_mb']:,.1f} MB" for p in parts))
    return summary


def deploy_parts(rows: dict) -> dict[str, list[dict]]:
    """Each way of publishing (catalog/publish/parts.py: nothing separated, en/, en/ and api/) → its
    parts' files, MB and tar MB (404.html, copied into each separated part, is left out: 5 KB)."""
    out = {}
    for separate in ((), ("en",), ("en", "api")):
        totals: dict[str, list[float]] = {p: [0, 0.0, 1024.0] for p in ("", *separate)}
        for key, (n, size, tar) in rows.items():
            part = part_of(key)
            acc = totals[part if part in totals else ""]
            if key[0] != "folders":
                acc[0] += n
                acc[1] += size
            acc[2] += tar
        out[", ".join(separate)] = [{"prefix": f"/{p}/" if p else "/", "files": int(f), "mb": round(b / 1e6, 1),
                                     "tar_mb": round(t / 1e6, 1)} for p, (f, b, t) in totals.items()]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", type=Path, help="a site built by `ocop build` (both languages)")
    ap.add_argument("--project", type=Path, metavar="DATA", help="project to the records in DATA (a data root)")
    args = ap.parse_args()
    print_table(measure(args.site), f"{args.site}: measured")
    if args.project:
        print_table(project(args.site, args.project), f"projected to the records in {args.project}")


if __name__ == "__main__":
    main()
