"""Measure `ocop build` and what a phone downloads for a product page.

    .venv/bin/python tools/bench_site.py [--root DIR] [--runs N] [--page san-pham/<id>/]

1. Wall time of `ocop build` (fresh process each run, median of N) and the output size.
2. First load of a product page in headless Chromium at 360×740: every request the page makes,
   with the bytes it would transfer gzip-compressed (gzip -6 of the file, as a static host or CDN
   serves it), photos listed apart. Needs Debian's chromium + chromium-driver.
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests import browser  # noqa: E402


def build_times(root: str, runs: int, out: Path) -> list[float]:
    ocop = Path(sys.executable).parent / "ocop"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(ocop), "build", "--root", root, "--out", str(out)], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def page_weight(site: Path, page: str) -> list[tuple[str, int, int]]:
    server = browser.Server(site)
    driver = browser.chrome()
    try:
        driver.get(server.url + page)
        time.sleep(1.0)
        urls = []
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] == "Network.requestWillBeSent":
                urls.append(msg["params"]["request"]["url"])
    finally:
        driver.quit()
        server.close()
    rows = []
    for url in dict.fromkeys(urls):
        if not url.startswith(server.url):
            rows.append((url, -1, -1))
            continue
        path = urlsplit(url).path.lstrip("/")
        f = site / path
        if f.is_dir() or path.endswith("/") or not path:
            f = f / "index.html"
        raw = f.read_bytes()
        rows.append((path or "index.html", len(raw), len(gzip.compress(raw, 6, mtime=0))))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(REPO))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--page", default="san-pham/nuoc-mam-cat-hai/")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        times = build_times(args.root, args.runs, out)
        files = [p for p in out.rglob("*") if p.is_file()]
        pages = [p for p in files if p.name == "index.html"]
        print(f"ocop build --root {args.root}")
        print("  runs (s): " + " ".join(f"{t:.2f}" for t in times))
        print(f"  median: {statistics.median(times):.2f} s; {len(pages)} pages, {len(files)} files, "
              f"{sum(p.stat().st_size for p in files) / 1e6:.1f} MB")
        rows = page_weight(out, args.page)
    print(f"\nFirst load of /{args.page} at 360x740 (gzip bytes as served compressed):")
    total = photos = 0
    for path, raw, gz in rows:
        is_photo = path.endswith((".jpg", ".jpeg", ".png", ".webp")) and "/img/" in path
        flag = "photo (excluded)" if is_photo else ""
        print(f"  {gz:>8} {raw:>8}  {path} {flag}")
        if gz < 0:
            print("  ^ request to another origin!")
        elif is_photo:
            photos += gz
        else:
            total += gz
    print(f"  total without photos: {total} bytes ({total / 1024:.1f} KiB); photos: {photos} bytes")


if __name__ == "__main__":
    main()
