"""How the deploy host (GitHub Pages) answers a path, for the preview server and the tests.

The rules, as GitHub Pages applies them (documented by Jekyll for extensionless permalinks, and
measured host by host in slorber/trailing-slash-guide):

* ``/a/b`` — the file ``a/b`` if there is one; else ``a/b.html`` (200, no redirect) — even when a
  folder ``a/b/`` exists too; else, if ``a/b/`` is a folder, a 301 to ``/a/b/``; else 404.
* ``/a/b/`` — ``a/b/index.html``; else 404 (a file ``a/b.html`` is *not* served with a slash).
* A 404 answers with the site's ``404.html`` when there is one.

The scan pages rely on the second rule of the first line: ``/01/<gtin>`` is ``01/<gtin>.html``
(catalog/site/scan.py), and a printed label must reach it without a redirect.
"""

from __future__ import annotations

import http.server
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


def resolve(root: Path, request_path: str) -> tuple[int, Path | str | None]:
    """(HTTP status, the file to send — or, for a 301, the Location path) for a request path."""
    path = posixpath.normpath(unquote(urlsplit(request_path).path))
    if request_path.split("?", 1)[0].endswith("/") and not path.endswith("/"):
        path += "/"
    if ".." in path.split("/"):
        return 404, _not_found(root)
    rel = path.lstrip("/")
    target = root / rel
    if path.endswith("/"):
        index = target / "index.html"
        return (200, index) if index.is_file() else (404, _not_found(root))
    if target.is_file():
        return 200, target
    html = target.with_name(target.name + ".html")
    if html.is_file():
        return 200, html
    if target.is_dir():
        return 301, path + "/"
    return 404, _not_found(root)


def _not_found(root: Path) -> Path | None:
    page = root / "404.html"
    return page if page.is_file() else None


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """SimpleHTTPRequestHandler answering like GitHub Pages (see :func:`resolve`). Types as GitHub
    Pages sends them where Python's table differs: ``.yml``/``.yaml`` as ``text/yaml`` — the form
    editor takes admin/config.yml only with a YAML type when it starts with settings of its own
    (catalog/publish/cms.py ``start_script``, a pull request's branch)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml", ".yaml": "text/yaml"}

    def send_head(self) -> Any:  # noqa: D401 — the one hook SimpleHTTPRequestHandler reads files through
        status, found = resolve(Path(self.directory), self.path)
        if status == 301:
            self.send_response(301)
            self.send_header("Location", str(found))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if found is None:
            self.send_error(404)
            return None
        body = open(found, "rb")  # noqa: SIM115 — closed by the caller (copyfile, then close)
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(found)))
        self.send_header("Content-Length", str(found.stat().st_size))  # type: ignore[union-attr]  # a Path unless 301
        self.end_headers()
        return body

    def log_message(self, *args: Any) -> None:  # quiet
        pass
