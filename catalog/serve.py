"""`ocop serve`: build, serve the output on 127.0.0.1, rebuild when a record or image changes.

Polling (once a second) keeps this dependency-free. A rebuild with errors prints them and keeps
serving the last good site. Reload the browser page to see a rebuild.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from pathlib import Path
from typing import Callable

from .errors import CatalogError
from .hosting import PagesHandler
from .model import today
from .problems import report_text
from .site import BuildRefused, build
from .validate import CONFIG_FILE

WATCHED = ("products", "producers", "sales_points", "villages", "images")


def snapshot(root: Path) -> tuple:
    items = []
    for name in WATCHED:
        for p in sorted((root / name).rglob("*")) if (root / name).is_dir() else []:
            if p.is_file():
                st = p.stat()
                items.append((str(p), st.st_mtime_ns, st.st_size))
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


class _Handler(PagesHandler):
    """Answers like the deploy host (``/01/<gtin>`` from ``01/<gtin>.html``, catalog/hosting.py)."""


def serve(root: Path, out: Path, as_of: dt.date | None, port: int, echo: Callable[[str], None],
          stop: threading.Event | None = None) -> None:
    root, out = Path(root), Path(out).resolve()
    _build(root, out, as_of, echo)
    # Serve through the parent folder so the swap of `out` does not pull the ground from under us.
    handler = functools.partial(_Handler, directory=str(out.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    echo(f"Xem trước tại http://127.0.0.1:{server.server_address[1]}/{out.name}/ (Ctrl+C để dừng)")
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
