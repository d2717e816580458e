"""The form editor in a real browser (issue #26): headless Chromium on the admin page `ocop build`
writes, the vendored Decap CMS bundle, against the real `decap-server` (npm, locked in tests/cms) on a
scratch git clone of the shipped data.

decap-server runs in its ``fs`` mode (files written straight into the clone; the editorial workflow —
a branch and pull request per entry — needs the git host, so the form falls back to "publish now"
locally, which is the same serialisation). The round trip: every shipped record is opened in the form,
its name changed and saved; the file Decap wrote has every field (no field lost), and after
``fmt.restore_text`` (what ``ocop intake`` runs in the pull request) the only line that differs from
the original is the name's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from catalog.publish import cms
from catalog.staff.fmt import _yaml, restore_text
from catalog.checks.validate import check

from . import browser
from .conftest import AS_OF, REPO, copy_data

SERVER = Path(__file__).resolve().parent / "cms" / "node_modules" / "decap-server" / "dist" / "index.js"
ARTIFACTS = REPO / "test-artifacts"
KIND_FOLDERS = ("products", "producers", "sales_points", "villages")

pytestmark = [
    pytest.mark.skipif(not browser.available(), reason="needs Debian chromium + chromium-driver (tools/setup.sh test installs them)"),
    pytest.mark.skipif(not SERVER.exists() or shutil.which("node") is None,
                       reason="needs decap-server: cd tests/cms && npm ci (tools/setup.sh test does it)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
                          capture_output=True, text=True, check=True).stdout


@contextlib.contextmanager
def served_desk(root: Path, base: Path, mode: str):
    """The admin page ``ocop build`` writes, served on 127.0.0.1, and the real decap-server on the
    repository ``root`` in ``mode`` (``fs``: files written straight; ``git``: the editorial workflow's
    branches). Yields the admin page's URL. The server listens on a free port, not 8081: the config
    (config.yml, and config.json the start script reads for a branch) and the policy say which."""
    site = base / "site"
    cms.write_admin(site, "https://ocop.example.vn", folders=cms.province_folders(root))
    port = _free_port()
    admin = site / cms.ADMIN_DIR
    config = (admin / "config.yml").read_text(encoding="utf-8")
    assert "publish_mode: editorial_workflow" in config
    (admin / "config.yml").write_text(config.replace("local_backend: true", f"local_backend:\n  url: http://127.0.0.1:{port}/api/v1"),
                                      encoding="utf-8")
    settings = (admin / cms.CONFIG_JSON).read_text(encoding="utf-8")
    assert '"local_backend":true' in settings
    (admin / cms.CONFIG_JSON).write_text(settings.replace('"local_backend":true', f'"local_backend":{{"url":"http://127.0.0.1:{port}/api/v1"}}'),
                                         encoding="utf-8")
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert " ".join(cms.LOCAL_PROXY) in page
    (admin / "index.html").write_text(page.replace(" ".join(cms.LOCAL_PROXY), f"http://127.0.0.1:{port}"), encoding="utf-8")
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "GIT_REPO_DIRECTORY": str(root), "MODE": mode,
           "LOG_LEVEL": "warn"}
    with open(base / "decap-server.log", "w") as log:
        proc = subprocess.Popen(["node", str(SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT)
        server = browser.Server(site)
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            yield f"{server.url}{cms.ADMIN_DIR}/"
        finally:
            server.close()
            proc.terminate()
            proc.wait(timeout=10)


def committed_copy(base: Path, name: str) -> Path:
    """A scratch git repository of the shipped data, its one commit on ``main``."""
    root = copy_data(base, name)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "Cán bộ thử")
    _git(root, "config", "user.email", "canbo@example.invalid")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "dữ liệu mẫu")
    return root


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """(admin URL, scratch clone): the admin page served on 127.0.0.1, decap-server on the clone."""
    base = tmp_path_factory.mktemp("desk")
    root = committed_copy(base, "clone")
    with served_desk(root, base, "fs") as url:
        yield url, root


@pytest.fixture(scope="module")
def driver(desk):

    d = browser.chrome(1280, 1000)
    d.get(desk[0])
    click_button(d, "Đăng nhập")
    wait(d, lambda d: "Sản phẩm OCOP" in d.execute_script("return document.body.innerText"))
    yield d
    d.quit()


def wait(driver, condition, seconds: float = 20):
    """Poll until `condition` is truthy. React re-renders Decap's buttons while we read them, so an
    element found a moment ago may be gone: that is "not yet", not a failure (CI failed once on it)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.1,
                         ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def click_first(driver, candidates, seconds: float = 20) -> None:
    """Click the first element `candidates(driver)` returns, looking again if React replaced it
    between finding and clicking."""
    from selenium.common.exceptions import StaleElementReferenceException

    def clicked(d) -> bool:
        try:
            found = candidates(d)
            if found:
                found[0].click()
                return True
        except StaleElementReferenceException:
            pass
        return False

    wait(driver, clicked, seconds)


def click_button(driver, label: str, selector: str = "button", seconds: float = 20) -> None:
    """Click the enabled button whose text is `label`."""
    from selenium.webdriver.common.by import By

    click_first(driver, lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, selector)
                                   if b.text.strip() == label and b.is_enabled()], seconds)


def _publish(driver) -> None:
    from selenium.webdriver.common.by import By

    click_button(driver, "Công bố", "[role=button]")
    click_first(driver, lambda d: [s for s in d.find_elements(By.XPATH, "//*[text()='Công bố ngay']") if s.is_displayed()])


def _publish_refused(driver, message: str) -> None:
    """"Công bố ngay" with a field the form refuses: the field's message appears, nothing is written."""
    _publish(driver)
    wait(driver, lambda d: message in d.find_element("tag name", "body").get_attribute("textContent"))


def _plain(node):
    """A ruamel tree (every scalar read as text) as plain lists, dicts and strings."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return None if node is None else str(node)


def _records(root: Path) -> list[Path]:
    return sorted(p for folder in KIND_FOLDERS for p in (root / folder).rglob("*.yaml"))


def test_every_shipped_record_survives_the_form(desk, driver):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, root = desk
    records = _records(root)
    assert len(records) >= 70
    lost, extra_lines = [], []
    for path in records:
        rel = path.relative_to(root)
        collection, entry = f"{rel.parts[0]}-{rel.parts[1]}", path.stem  # one collection per kind and province
        original = path.read_text(encoding="utf-8")
        before = path.stat().st_mtime_ns
        driver.get(f"{url}#/collections/{collection}")  # through the list: the editor is mounted afresh
        wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, '[id^="id-field"]'))
        driver.get(f"{url}#/collections/{collection}/entries/{entry}")
        # the editor of this record, not the one still on screen from the previous record
        stem = path.stem
        try:
            wait(driver, lambda d, want=stem: [f for f in d.find_elements(By.CSS_SELECTOR, '[id^="id-field"]')
                                               if f.get_attribute("value") == want])
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            driver.save_screenshot(str(ARTIFACTS / "bieu-mau-khong-mo-duoc.png"))
            raise AssertionError(f"{rel}: the form did not open it: test-artifacts/bieu-mau-khong-mo-duoc.png") from None
        name = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[id^="name-field"]'))[0]
        wait(driver, lambda d, field=name: field.get_attribute("value"))
        name.send_keys(Keys.END, " mới")
        _publish(driver)
        try:
            wait(driver, lambda d, p=path, t=before: p.stat().st_mtime_ns != t)
        except Exception:
            ARTIFACTS.mkdir(exist_ok=True)
            driver.save_screenshot(str(ARTIFACTS / "bieu-mau-khong-luu-duoc.png"))
            raise AssertionError(f"{rel}: the form did not save: test-artifacts/bieu-mau-khong-luu-duoc.png") from None
        time.sleep(0.05)
        written = path.read_text(encoding="utf-8")
        old, new = _plain(_yaml().load(original)), _plain(_yaml().load(written))
        old["name"] += " mới"
        if new != old:
            lost.append((rel.as_posix(), {k for k in set(old) | set(new) if old.get(k) != new.get(k)}))
        restored = restore_text(written, original, {"products": "product", "producers": "producer",
                                                    "sales_points": "sales_point", "villages": "village"}[rel.parts[0]])
        changed = [line for line in set(restored.splitlines()) ^ set(original.splitlines())]
        if sorted(changed) != sorted([line for line in original.splitlines() if line.startswith("name: ")]
                                     + [line for line in restored.splitlines() if line.startswith("name: ")]):
            extra_lines.append((rel.as_posix(), changed))
        path.write_text(restored, encoding="utf-8")
    assert not lost, lost
    assert not extra_lines, extra_lines
    result = check(root, AS_OF)
    assert result.ok, [p for p in result.problems if p.severity == "error"][:5]
    diff = _git(root, "diff", "--numstat")
    assert all(line.split()[:2] == ["1", "1"] for line in diff.splitlines()), diff
    assert len(diff.splitlines()) == len(records)
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "bieu-mau-sua-ho-so.png"))


def _set_date(driver, element, iso: str) -> None:
    """A date input's value as a person picks it (the typed order of a date field depends on the
    browser's locale): set through the input's own setter, then the events React listens to."""
    driver.execute_script(
        "const [el, v] = arguments; Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, v);"
        "el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true}));",
        element, iso)


def test_a_new_product_through_the_form_with_a_photo_validates(desk, driver, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, root = desk

    def field(prefix: str, index: int = 0):
        return wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'[id^="{prefix}-field-"]'))[index]

    def pick(prefix: str, typed: str, index: int = 0) -> None:
        box = field(prefix, index)
        box.send_keys(typed)
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "[class*='option']"))
        box.send_keys(Keys.ENTER)

    driver.get(f"{url}#/collections/products")  # leave any open editor
    driver.get(f"{url}#/collections/products-lai-chau/new")
    field("id").send_keys("mat-ong-bac-ha-ban-lang")
    field("name").send_keys("Mật ong bạc hà Bản Lang")
    pick("legal_basis", "148+1489/2025")
    pick("group", "Thực phẩm (QĐ 148)")
    pick("product_set", "Mật ong, mật khác")
    field("description").send_keys("Mật ong hoa bạc hà thu hoạch vào mùa đông trên vùng núi đá.")
    pick("producer", "htx-che-sin-ho")
    pick("commune", "Xã Sìn Hồ")
    field("text").send_keys("Bản Lang, xã Sìn Hồ, huyện Sìn Hồ, tỉnh Lai Châu")
    field("province", 1).send_keys("Lai Châu")
    field("stars").send_keys("4")
    field("score").send_keys("78.5")
    field("number").send_keys("315/GCN-UBND")
    field("number", 1).send_keys("2015/QĐ-UBND")
    # a date is typed as the hint says; typed the Vietnamese way first, the form refuses it as typed
    # (Decap's date picker saved a typed 12/03/2025 as 1905-12-03: probe, round seven)
    field("date").send_keys("12/09/2025")
    _publish_refused(driver, "Viết ngày theo dạng NĂM-THÁNG-NGÀY")  # the pattern's message, not the hint
    assert not (root / "products" / "lai-chau" / "mat-ong-bac-ha-ban-lang.yaml").exists()
    field("date").send_keys(Keys.CONTROL, "a")
    field("date").send_keys("2025-09-12")
    pick("level", "Tỉnh, thành phố")
    driver.find_elements(By.CSS_SELECTOR, '[id^="name-field-"]')[1].send_keys("UBND tỉnh Lai Châu")
    field("valid_until").send_keys("2028-09-11")
    # the photo: "Add", "Chọn một hình", upload, insert
    click_button(driver, "Thêm ảnh sản phẩm")  # Decap says "Add …" without catalog/data/decap-vi.json
    click_button(driver, "Chọn một hình")
    photo = tmp_path / "mat-ong-bac-ha-ban-lang.jpg"
    photo.write_bytes((REPO / "images" / "lai-chau" / "che-shan-tuyet-sin-ho.jpg").read_bytes())
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "input[type=file]"))[0].send_keys(str(photo))
    click_button(driver, "Lấy những cái đã chọn")
    field("alt").send_keys("Hũ mật ong bạc hà Bản Lang 500 g")
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / "bieu-mau-san-pham-moi.png"))
    record = root / "products" / "lai-chau" / "mat-ong-bac-ha-ban-lang.yaml"
    _publish(driver)
    wait(driver, lambda d: record.exists())
    time.sleep(0.3)
    assert (root / "images" / "lai-chau" / photo.name).read_bytes() == photo.read_bytes()
    text = record.read_text(encoding="utf-8")
    assert "file: lai-chau/mat-ong-bac-ha-ban-lang.jpg" in text and "producer: htx-che-sin-ho" in text
    record.write_text(restore_text(text, None, "product"), encoding="utf-8")  # what ocop intake does on the pull request
    result = check(root, AS_OF)
    mine = [p for p in result.problems if "mat-ong-bac-ha-ban-lang" in str(p.file)]
    assert not [p for p in mine if p.severity == "error"], mine
    assert record.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schemas/product.schema.json\nid: mat-ong-bac-ha-ban-lang\n")
