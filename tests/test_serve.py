"""`ocop serve` rebuilds when a record changes and keeps the last good site on errors."""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
import urllib.request
from typing import Iterator

from catalog.staff.serve import serve

from .conftest import AS_OF, BASE


def fetch(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return response.read().decode()


@contextlib.contextmanager
def serving(root, out) -> Iterator[tuple[str, list[str]]]:
    """`ocop serve` in a thread on a free port: (its URL once it says it, every line it said)."""
    said: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(root, out, AS_OF, 0, said.append, stop), daemon=True)
    thread.start()
    try:
        deadline = time.time() + 60
        while not any(s.startswith("Xem trước tại") for s in said) and time.time() < deadline:
            time.sleep(0.1)
        yield [s for s in said if s.startswith("Xem trước tại")][0].split()[3], said
    finally:
        stop.set()
        thread.join(10)


def test_serve_rebuilds_on_change_and_keeps_last_good_site(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    out = tmp_path / "site"
    with serving(root, out) as (url, said):
        deadline = time.time() + 60
        page = url + "san-pham/san-pham-mau/"
        assert "Sản phẩm mẫu" in fetch(page)

        record = root / "products/lai-chau/san-pham-mau.yaml"
        record.write_text(record.read_text(encoding="utf-8").replace("name: Sản phẩm mẫu", "name: Chè mẫu mới"), encoding="utf-8")
        while "Chè mẫu mới" not in fetch(page) and time.time() < deadline:
            time.sleep(0.2)
        assert "Chè mẫu mới" in fetch(page)

        record.write_text(record.read_text(encoding="utf-8").replace("  stars: 4", "  stars: 9"), encoding="utf-8")
        while not any("Giữ nguyên" in s for s in said) and time.time() < deadline:
            time.sleep(0.2)
        assert any("[out-of-range]" in s for s in said)
        assert "Chè mẫu mới" in fetch(page)


def request(port: int, path: str, host: str | None = None) -> tuple[int, bytes]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("GET", path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_serve_serves_the_built_site_only_to_this_machine(tmp_path):
    """Issue #14: the web root is the site (the data root and its .git are not reachable), links
    inside it lead nowhere, folders are not listed, and a foreign Host header (DNS rebinding) is
    refused."""
    import os

    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[remote]\n  url = https://token@example.invalid\n", encoding="utf-8")
    out = root / "site"  # the default place: inside the data root
    with serving(root, out) as (url, said):
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert url == f"http://127.0.0.1:{port}/"
        local = f"127.0.0.1:{port}"
        assert request(port, "/", local)[0] == 200
        assert request(port, "/san-pham/san-pham-mau/", f"localhost:{port}")[0] == 200
        assert request(port, "/san-pham/san-pham-mau/", "[::1]")[0] == 200
        for path in ("/.git/config", "/../.git/config", "/%2e%2e/ocop.yaml", "/../ocop.yaml", "/site/index.html",
                     "/assets/", "/api/v1/"):
            status, body = request(port, path, local)
            assert status == 404 and b"token" not in body and b"title:" not in body, path
        os.symlink("/etc/passwd", out / "mat-khau.txt")
        os.symlink(root, out / "du-lieu")
        for path in ("/mat-khau.txt", "/du-lieu/ocop.yaml", "/du-lieu/.git/config"):
            status, body = request(port, path, local)
            assert status == 404 and b"root:" not in body and b"token" not in body, path
        for host in ("evil.example", f"evil.example:{port}", None, f"127.0.0.1.evil.example:{port}"):
            assert request(port, "/", host)[0] == 403, host
        # as the host answers (probe, round six): the site's own 404 page, YAML with its type
        status, body = request(port, "/khong-co/", local)
        assert status == 404 and body == (out / "404.html").read_bytes()
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/admin/config.yml", headers={"Host": local})
        response = conn.getresponse()
        assert response.status == 200 and response.getheader("Content-Type") == "text/yaml"
        conn.close()


def test_a_busy_port_is_one_line(tmp_path):
    import socket
    import subprocess
    import sys

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        run = subprocess.run([sys.executable, "-m", "catalog.cli", "serve", "--root", str(BASE), "--out",
                              str(tmp_path / "site"), "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr == f"ocop: cổng {port} đang được dùng (có thể một ocop serve khác đang chạy): chạy lại với --port {port + 1}\n"
