"""`ocop serve`: build, serve the output on 127.0.0.1, rebuild when a record or image changes.

Polling (once a second) keeps this dependency-free. A rebuild with errors prints them and keeps
serving the last good site. Reload the browser page to see a rebuild.

Paths are answered as the deploy host does: ``/01/<gtin>`` from ``01/<gtin>.html`` (catalog/publish/hosting.py).

What it serves (issue #14): the built site and nothing else — the output folder is the web root
(never its parent, which by default is the data root with ``.git``), no path may pass through a
symbolic link, folders are not listed, and a request must name the local machine in its
``Host`` header (``localhost``, ``127.0.0.1`` or ``[::1]``), so a web page that rebinds its own
domain to 127.0.0.1 cannot read the preview. A busy port is one line, not a traceback. A path
with a NUL byte (``%00``) is answered 400 (issue #22).
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import http.server
import os
import stat
import threading
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from ..publish import hosting
from ..runtime import output
from ..reference.errors import CatalogError
from ..records.model import today
from ..records.problems import report_text
from ..site.build import COMMAND, BuildRefused, build, prepare_shadow
from ..checks.validate import CONFIG_FILE

WATCHED = ("products", "producers", "sales_points", "villages", "images")


def snapshot(root: Path) -> tuple:
    items = []
    for name in WATCHED:
        if os.path.islink(root / name):
            # never read (ocop validate: linked-folder), so never watched: os.walk follows a link at its
            # top, and a committed `products -> /` walked the whole disk every second (probe 4)
            continue
        for dirpath, _, names in os.walk(root / name):  # links below are not followed
            for file in sorted(names):
                try:
                    st = os.lstat(os.path.join(dirpath, file))
                except OSError:
                    continue
                items.append((os.path.join(dirpath, file), st.st_mtime_ns, st.st_size))
    items.sort()
    config = root / CONFIG_FILE
    if config.is_file():
        items.append((str(config), config.stat().st_mtime_ns, config.stat().st_size))
    return tuple(items)


def _build(root: Path, out: Path, as_of: dt.date | None, echo: Callable[[str], None]) -> None:
    try:
        report = build(root, out, as_of or today())
        echo(f"Đã xây dựng {report.pages} trang.")
    except BuildRefused as exc:
        echo(report_text(exc.result.problems, exc.result.files))
        echo("Giữ nguyên trang đã xây dựng trước đó.")
    except CatalogError as exc:
        echo(f"ocop: {exc}")
        return
    try:  # while the officer edits: the next rebuild is then as quick as the ones after it (issue #27)
        prepare_shadow(out)
    except (CatalogError, OSError):
        pass  # only a slower next rebuild: it makes the shadow itself


LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def allowed_host(header: str | None, port: int) -> bool:
    """Does a Host header name this machine (with this port or none)?"""
    if not header:
        return False
    host = header.strip().lower()
    for name in LOCAL_HOSTS:
        if host in (name, f"{name}:{port}"):
            return True
    return False


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files of the site folder only: no links out, no listings, local Host only. Answers as the host
    does (catalog/publish/hosting.py, the rules the tests use): YAML with its type (the form editor
    reads admin/config.yml only so), and a missing page with the site's own 404 page — in Vietnamese,
    with the report contact — not Python's English "Error response" (probe, round six)."""

    extensions_map = hosting.PagesHandler.extensions_map

    def log_message(self, format: str, *args) -> None:  # quiet
        pass

    def _refuse(self, code: int) -> None:
        page = _file_inside(Path(self.directory), os.path.join(self.directory, "404.html"), False) if code == 404 else None
        if page is None:
            self.send_error(code)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _host_ok(self) -> bool:
        if allowed_host(self.headers.get("Host"), self.server.server_address[1]):  # type: ignore[index, arg-type]
            return True
        self._refuse(403)  # DNS rebinding: a foreign page asking under its own name
        return False

    def do_GET(self) -> None:
        if self._host_ok():
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._host_ok():
            super().do_HEAD()

    def send_head(self):
        path = self.translate_path(self.path)
        if "\0" in path:  # "%00": no file has one; os.lstat would raise (no answer, a traceback; issue #22)
            self._refuse(400)
            return None
        wants_folder = urlsplit(self.path).path.endswith("/")
        if not wants_folder and not os.path.isfile(path):
            # as GitHub Pages does (catalog/publish/hosting.py): /01/<gtin> is answered from 01/<gtin>.html
            page = _file_inside(Path(self.directory), path + ".html", False)
            if page is not None:
                self.path = "/" + page.relative_to(Path(self.directory)).as_posix()
                return super().send_head()
        target = _file_inside(Path(self.directory), path, wants_folder)
        if target is None:
            self._refuse(404)
            return None
        if os.path.isdir(path) and not urlsplit(self.path).path.endswith("/"):
            self.send_response(301)  # the browser needs the slash for relative links
            parts = urlsplit(self.path)
            self.send_header("Location", parts.path + "/" + (f"?{parts.query}" if parts.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        self.path = "/" + target.relative_to(Path(self.directory)).as_posix()
        return super().send_head()

    def list_directory(self, path):  # never reached (send_head serves files only); no listings
        self._refuse(404)
        return None


def _file_inside(root: Path, path: str, wants_folder: bool) -> Path | None:
    """The regular file a request names (a folder's index.html), reached from ``root`` without
    passing through any link; None if there is none."""
    try:
        rel = Path(path).relative_to(root)
    except ValueError:
        return None
    current = root
    parts = [p for p in rel.parts if p not in ("", ".")]
    if ".." in parts:
        return None
    for part in parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except (OSError, ValueError):  # ValueError: a NUL byte
            return None
        if stat.S_ISLNK(mode):
            return None
    try:
        mode = os.lstat(current).st_mode
    except OSError:
        return None
    if stat.S_ISDIR(mode):
        index = current / "index.html"
        try:
            if not stat.S_ISREG(os.lstat(index).st_mode):
                return None
        except OSError:
            return None
        return index
    return current if stat.S_ISREG(mode) else None


def serve(root: Path, out: Path, as_of: dt.date | None, port: int, echo: Callable[[str], None],
          stop: threading.Event | None = None) -> None:
    root = Path(root)
    out = output.guard(out, root, COMMAND, state_file="site.json")  # refused before anything is served
    # The web root is the site folder by name: after a rebuild swaps a new folder in, the same name
    # leads to it (every request opens its file by path).
    handler = functools.partial(_Handler, directory=str(out))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CatalogError(f"cổng {port} đang được dùng (có thể một ocop serve khác đang chạy): "
                               f"chạy lại với --port {port + 1}") from None
        raise CatalogError(f"không mở được cổng {port} ({exc.strerror}): chọn --port khác, ví dụ 8001") from None
    try:
        _build(root, out, as_of, echo)
    except BaseException:
        server.server_close()
        raise
    threading.Thread(target=server.serve_forever, daemon=True).start()
    echo(f"Xem trước tại http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C để dừng)")
    stop = stop or threading.Event()
    last = snapshot(root)
    try:
        while not stop.wait(1.0):
            now = snapshot(root)
            if now != last:
                last = now
                echo("Có thay đổi trong hồ sơ, đang xây dựng lại…")
                _build(root, out, as_of, echo)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
