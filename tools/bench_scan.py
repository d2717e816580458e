"""What a shopper's phone goes through after scanning a label, for every label URL (issue #16).

    .venv/bin/python tools/bench_scan.py [--root DIR] [--as-of YYYY-MM-DD] [--site BUILT_SITE] [--runs N]
                                         [--limit N] [--also san-pham/<id>/ …]

Builds the site (or takes an already built one with --site), serves it the way GitHub Pages does
(catalog/publish/hosting.py: /01/<gtin> from 01/<gtin>.html, a folder without its slash → 301) with gzip
like GitHub Pages, and loads every URL a label encodes (products and lots) in headless Chromium on
the weak-link profile of the issue: 400 kbit/s down and up, 300 ms latency, CPU slowed 4×,
360×740, cold cache. For each URL:

* **status** — when the certificate's status line was painted (Element Timing on
  ``.ocop-cert__status``) or changed last (by a script re-checking it), whichever is later: the
  moment the status a shopper reads is the final one;
* FCP (first contentful paint) and load; CLS (cumulative layout shift: a late web font moving text);
* **bytes** — bytes on the wire (gzip-compressed bodies and their headers), and the number of requests;
* redirects on the way.

Prints one line per URL and the medians; a tool, not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from catalog.publish.hosting import PagesHandler  # noqa: E402
from tests import browser  # noqa: E402

PROFILE = {"down_kbit": 400, "up_kbit": 400, "latency_ms": 300, "cpu": 4, "width": 360, "height": 740}

# Runs in every document before its own scripts: marks the status line for Element Timing as soon
# as the parser inserts it, and notes when it (or the <html> flags of the status check) last changed.
PROBE = """
(function () {
  window.__ocop = {changed: 0, painted: 0, cls: 0};
  new PerformanceObserver(function (list) {  // cumulative layout shift (e.g. a web font swapping in)
    list.getEntries().forEach(function (e) { if (!e.hadRecentInput) window.__ocop.cls += e.value; });
  }).observe({type: 'layout-shift', buffered: true});
  new PerformanceObserver(function (list) {
    list.getEntries().forEach(function (e) {
      if (e.identifier === 'ocop-status') window.__ocop.painted = e.renderTime || e.loadTime;
    });
  }).observe({type: 'element', buffered: true});
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      var nodes = r.type === 'childList' ? Array.prototype.slice.call(r.addedNodes) : [r.target];
      nodes.forEach(function (n) {
        if (n.nodeType !== 1 && n.parentElement) n = n.parentElement;
        if (!n || n.nodeType !== 1) return;
        var line = n.matches('.ocop-cert__status') ? n : n.querySelector && n.querySelector('.ocop-cert__status');
        if (line && !line.hasAttribute('elementtiming')) line.setAttribute('elementtiming', 'ocop-status');
        if (r.type === 'attributes' && n === document.documentElement && /^data-ocop-/.test(r.attributeName)
            || n.closest && n.closest('.ocop-cert__status') && window.__ocop.painted)
          window.__ocop.changed = performance.now();
      });
    });
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();
"""


class GzipPagesHandler(PagesHandler):
    """PagesHandler that answers gzip-compressed when the browser asks, like GitHub Pages."""

    protocol_version = "HTTP/1.1"

    def send_head(self):
        from catalog.publish.hosting import resolve

        status, found = resolve(Path(self.directory), self.path)
        if status != 200 or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(Path(found).read_bytes(), 6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(found)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io

        return io.BytesIO(body)


def label_paths(root: Path, as_of: dt.date) -> list[str]:
    """Site paths of every URL a label encodes (products and lots that may carry a label)."""
    from catalog.print import labels as lab
    from catalog.checks.validate import check

    cat = check(root, as_of).catalogue
    chosen, _ = lab.select(cat)
    labels, _ = lab.labels_for(cat, chosen, lots=True)
    return sorted({urlsplit(lb.url).path for lb in labels})


def measure(driver, url: str) -> dict:
    driver.get_log("performance")  # drop what came before
    start = time.perf_counter()
    driver.get(url)
    deadline = time.perf_counter() + 60
    probe = {}
    while time.perf_counter() < deadline:
        probe = driver.execute_script(
            "var n = performance.getEntriesByType('navigation')[0] || {};"
            "var fcp = performance.getEntriesByName('first-contentful-paint')[0];"
            "return {painted: (window.__ocop || {}).painted || 0, changed: (window.__ocop || {}).changed || 0,"
            " fcp: fcp ? fcp.startTime : 0, load: n.loadEventEnd || 0, redirects: n.redirectCount || 0,"
            " verdict: !!document.querySelector('.ocop-cert__status')};")
        if probe["load"] and (probe["painted"] or not probe["verdict"]):  # a page without a status line: its load
            break
        time.sleep(0.2)
    time.sleep(0.5)  # late re-checks
    probe.update(driver.execute_script("return {changed: (window.__ocop || {}).changed || 0, cls: (window.__ocop || {}).cls || 0};"))
    sizes: dict[str, int] = {}
    redirected = 0
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            redirected += "redirectResponse" in msg["params"]
            sizes.setdefault(msg["params"]["requestId"], 0)
        elif msg["method"] == "Network.loadingFinished":  # bytes on the wire, headers included
            sizes[msg["params"]["requestId"]] = int(msg["params"]["encodedDataLength"])
    return {"status_ms": round(max(probe["painted"], probe["changed"])), "painted_ms": round(probe["painted"]),
            "fcp_ms": round(probe["fcp"]), "load_ms": round(probe["load"]), "cls": round(probe["cls"], 3), "requests": len(sizes),
            "bytes": sum(sizes.values()), "redirects": redirected, "wall_s": round(time.perf_counter() - start, 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(REPO))
    ap.add_argument("--as-of", default="2026-11-23")
    ap.add_argument("--site", default=None, help="an already built site (default: build --root into a temporary folder)")
    ap.add_argument("--runs", type=int, default=1, help="loads per URL (median)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N label URLs (0: all)")
    ap.add_argument("--also", nargs="*", default=["san-pham/nuoc-mam-cat-hai/"], help="other pages, for comparison")
    args = ap.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    paths = label_paths(Path(args.root), as_of)
    if args.limit:
        paths = paths[:args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(args.site) if args.site else Path(tmp) / "site"
        if not args.site:
            from catalog.site.build import build

            build(Path(args.root), site, as_of)
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipPagesHandler, directory=str(site)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        d = browser.chrome(PROFILE["width"], PROFILE["height"])
        try:
            d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
            d.execute_cdp_cmd("Network.enable", {})
            d.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
            d.execute_cdp_cmd("Network.emulateNetworkConditions", {
                "offline": False, "latency": PROFILE["latency_ms"],
                "downloadThroughput": PROFILE["down_kbit"] * 1000 / 8, "uploadThroughput": PROFILE["up_kbit"] * 1000 / 8})
            d.execute_cdp_cmd("Emulation.setCPUThrottlingRate", {"rate": PROFILE["cpu"]})
            print(f"profile: {PROFILE}; site: {site}")
            print(f"{'status ms':>9} {'FCP ms':>7} {'load ms':>8} {'bytes':>7} {'req':>3} {'redir':>5} {'CLS':>5}  URL")
            rows = []
            for path in [*paths, *("/" + p for p in args.also)]:
                runs = [measure(d, base + path) for _ in range(args.runs)]
                row = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
                row["path"] = path
                row["label"] = path in paths
                rows.append(row)
                print(f"{row['status_ms']:>9.0f} {row['fcp_ms']:>7.0f} {row['load_ms']:>8.0f} {row['bytes']:>7.0f} "
                      f"{row['requests']:>3.0f} {row['redirects']:>5.0f} {row['cls']:>5.3f}  {path}", flush=True)
        finally:
            d.quit()
            httpd.shutdown()
    labels = [r for r in rows if r["label"]]
    if labels:
        print(f"\n{len(labels)} label URLs: status median {statistics.median(r['status_ms'] for r in labels):.0f} ms "
              f"(max {max(r['status_ms'] for r in labels):.0f}), bytes median "
              f"{statistics.median(r['bytes'] for r in labels):.0f} (max {max(r['bytes'] for r in labels):.0f}), "
              f"requests max {max(r['requests'] for r in labels):.0f}, redirects {sum(r['redirects'] for r in labels):.0f}")


if __name__ == "__main__":
    main()
