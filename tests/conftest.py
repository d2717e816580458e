"""Shared helpers: a fixed as-of date, copies of fixture data roots, running the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog.cli import main

from . import browser

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASE = FIXTURES / "base"
AS_OF = dt.date(2026, 11, 23)  # tests never depend on today's date


def suggest_commune(province: str, commune: str, certified_text: str | None = None) -> str | None:
    """The one commune in force places.commune_suggestion offers for ``commune``, or None (tests only:
    the tool shows every candidate, issue #23 took this shortcut out of catalog/reference/places.py)."""
    from catalog.reference import places

    found = places.commune_suggestion(province, commune, certified_text)
    return found.communes[0] if found is not None and len(found.communes) == 1 else None


def make_root(tmp_path: Path, *extra: tuple[Path, str]) -> Path:
    """A copy of the clean base data root with extra files placed at root-relative paths."""
    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    for source, rel in extra:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return root


# what a data repository holds (the shipped records): copy these, never the whole checkout, which
# holds virtual environments (.venv-3.1x in CI), node_modules and caches of hundreds of MB
DATA = ("ocop.yaml", "products", "producers", "sales_points", "villages", "images", "published-ids.txt")


def copy_data(tmp_path: Path, name: str = "data") -> Path:
    """A copy of the shipped data root (records, images, configuration) in ``tmp_path / name``."""
    root = tmp_path / name
    root.mkdir()
    for item in DATA:
        src = REPO / item
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / item)
    return root


def digest(folder: Path) -> str:
    """One hash of every file under ``folder`` with its path: equal digests, equal outputs."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory):
    """The tool's cache folder (catalog/runtime/output.py ``cache_root``) for this test run only, inherited
    by the commands the tests start: no test reads a cache another run left in ~/.cache/ocop."""
    import os

    previous = os.environ.get("OCOP_CACHE_DIR")
    os.environ["OCOP_CACHE_DIR"] = str(tmp_path_factory.mktemp("ocop-cache"))
    yield
    if previous is None:
        os.environ.pop("OCOP_CACHE_DIR", None)
    else:
        os.environ["OCOP_CACHE_DIR"] = previous


@pytest.fixture
def run_cli():
    def run(*args: str):
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return run


# Tests whose subject is the built output itself — pages in a real browser, SIGKILL during builds,
# stamped pages against full MkDocs, incremental builds against cold ones, label images and sheets
# decoded, the status shown in Chromium with a faked clock, the form editor (Decap CMS, a JavaScript
# bundle) driven in Chromium — are marked `output`. .ci/run runs them
# on one Python only: it builds site/ and labels/ on every supported Python and requires the builds
# to be byte-identical, so these tests would check the same bytes again. Every other test runs on
# every Python (`-m "not output"`).
OUTPUT_MODULES = frozenset({"test_browser", "test_kill", "test_stamp", "test_labels", "test_maps_browser",
                            "test_incremental", "test_differential", "test_status_truth", "test_cms_browser",
                            "test_cms_workflow", "test_intake_browser"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in OUTPUT_MODULES:
            item.add_marker(pytest.mark.output)


# --- fixtures for the pages' status in a real browser (tests/test_status_truth.py,
# tests/test_future_rerecognition.py; a module with its own fixture of a name keeps it) -------------------------------------

@pytest.fixture(scope="module")
def served(site):
    """The module's built ``site`` on a local server: its URL."""
    server = browser.Server(site)
    yield server.url
    server.close()


@pytest.fixture(scope="module")
def driver():
    """One headless Chromium for the module."""
    if not browser.available():
        pytest.skip("needs Debian chromium + chromium-driver")
    d = browser.chrome()
    yield d
    d.quit()


@pytest.fixture
def clock(driver):
    """``clock("2027-01-15")``: the phone's day (09:00 in Vietnam) for the pages loaded after it."""
    ids = []

    def at(iso_day: str) -> None:
        ids.append(browser.set_clock(driver, f"{iso_day}T09:00:00+07:00"))

    yield at
    for identifier in ids:
        browser.clear_clock(driver, identifier)
