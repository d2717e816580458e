"""Headless Chromium (Debian's chromium + chromedriver) driven by Selenium, and a local server."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--hide-scrollbars", "--lang=vi"]


def available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class Server:
    """Serves a folder on 127.0.0.1 on a free port for the duration of a test module, answering
    paths as GitHub Pages does (catalog/publish/hosting.py: ``/01/x`` from ``01/x.html``, no redirect)."""

    def __init__(self, folder: Path) -> None:
        from catalog.publish.hosting import PagesHandler

        handler = functools.partial(PagesHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def chrome(width: int = 360, height: int = 740, page_load_strategy: str = "normal"):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    opts.page_load_strategy = page_load_strategy
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
    return driver


def set_clock(driver, iso_datetime: str) -> str:
    """Make the page's Date say ``iso_datetime`` (applies to documents loaded afterwards). Returns
    the identifier :func:`clear_clock` takes."""
    script = """
    (function () {
      var fixed = Date.parse(%r);
      var Real = Date;
      function FakeDate() {
        if (!(this instanceof FakeDate)) return new Real(fixed).toString();
        var args = Array.prototype.slice.call(arguments);
        return args.length ? new (Function.prototype.bind.apply(Real, [null].concat(args)))() : new Real(fixed);
      }
      FakeDate.prototype = Real.prototype;
      FakeDate.now = function () { return fixed; };
      FakeDate.parse = Real.parse;
      FakeDate.UTC = Real.UTC;
      window.Date = FakeDate;
    })();
    """ % iso_datetime
    return driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": script})["identifier"]


def clear_clock(driver, identifier: str) -> None:
    driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": identifier})


def severe_console_messages(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


class TileServer:
    """A stand-in map tile server on 127.0.0.1 (tests never reach the network): any
    ``/<z>/<x>/<y>.png`` gets a placeholder tile — a grid with its coordinates written on it — and
    every request is recorded with its Referer header."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str | None]] = []  # (path, Referer)
        self.failing = False  # True: every tile is answered 503, as by a tile server that is down
        self._tiles: dict[str, bytes] = {}
        self._lock = threading.Lock()
        server = self

        class Handler(Quiet):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                with server._lock:
                    server.requests.append((self.path, self.headers.get("Referer")))
                body = None if server.failing else server.tile(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.template = self.origin + "/{z}/{x}/{y}.png"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def tile(self, path: str) -> bytes | None:
        import io
        import re

        from PIL import Image, ImageDraw

        match = re.fullmatch(r"/(\d+)/(\d+)/(\d+)\.png", path)
        if not match:
            return None
        if path not in self._tiles:
            img = Image.new("RGB", (256, 256), (236, 233, 224))
            draw = ImageDraw.Draw(img)
            for k in range(0, 256, 32):
                draw.line([(k, 0), (k, 255)], fill=(214, 210, 198))
                draw.line([(0, k), (255, k)], fill=(214, 210, 198))
            draw.rectangle([0, 0, 255, 255], outline=(170, 165, 150))
            draw.text((8, 8), "tile {}/{}/{}".format(*match.groups()), fill=(110, 105, 95))
            buf = io.BytesIO()
            img.save(buf, "PNG")
            self._tiles[path] = buf.getvalue()
        return self._tiles[path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def requested_urls(driver) -> list[str]:
    """Every URL the browser asked for since the last call (CDP Network.requestWillBeSent events in
    the performance log, which reading empties)."""
    import json

    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls

