"""`ocop serve` rebuilds when a record changes and keeps the last good site on errors."""

from __future__ import annotations

import shutil
import threading
import time
import urllib.request

from catalog.serve import serve

from .conftest import AS_OF, BASE


def fetch(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return response.read().decode()


def test_serve_rebuilds_on_change_and_keeps_last_good_site(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    out = tmp_path / "site"
    said: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(root, out, AS_OF, 0, said.append, stop), daemon=True)
    thread.start()
    try:
        deadline = time.time() + 60
        while not any(s.startswith("Xem trước tại") for s in said) and time.time() < deadline:
            time.sleep(0.1)
        url = [s for s in said if s.startswith("Xem trước tại")][0].split()[3]
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
    finally:
        stop.set()
        thread.join(10)
