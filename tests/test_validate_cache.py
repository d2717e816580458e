"""Validation with the per-file cache (issue #27) says exactly what a run without it says.

The cache (catalog/runtime/cache.py) keeps, per record file, the load-and-schema result and the
problems of the checks that read that record alone (catalog/checks/rules.py ``LOCAL``). The rules
across records always run. Here a synthetic catalogue (tools/make_national_dataset.py) is edited
step by step in ways that change what *other* records are told — a duplicate certificate number,
a producer removed, a duplicate GTIN, a producer turned into a household business, a longer base
URL, another as-of date — and after each step the cached run is compared with a cold one.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from catalog.checks import rules
from catalog.checks.validate import check
from catalog.runtime import cache as cache_module
from catalog.runtime.cache import FileCache

from .conftest import AS_OF, REPO


def _problems(result) -> list[tuple]:
    return [(p.file, p.line, p.col, p.field, p.code, p.severity, p.message("vi"), p.message("en"))
            for p in result.problems]


class _Data:
    """A generated catalogue and the edits an officer makes to it (each write gets a new
    modification time, so the cache's stat signature sees it whatever the clock's resolution)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tick = 1_700_000_000

    def files(self, kind: str) -> list[Path]:
        return sorted((self.root / kind).rglob("*.yaml"))

    def read(self, path: Path) -> dict:
        return yaml.safe_load(path.read_text(encoding="utf-8"))

    def write(self, path: Path, data: dict) -> None:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        self.touch(path)

    def touch(self, path: Path) -> None:
        self.tick += 10
        os.utime(path, ns=(self.tick * 10**9, self.tick * 10**9))


@pytest.fixture
def data(tmp_path, monkeypatch) -> _Data:
    # every file gets a signature at once (the racy window is covered by _Data.touch)
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    root = tmp_path / "d"
    subprocess.run([sys.executable, str(REPO / "tools/make_national_dataset.py"), str(root), "--products", "90"],
                   check=True, capture_output=True)
    made = _Data(root)
    for path in sorted(root.rglob("*.yaml")):
        made.touch(path)
    return made


def _compare(data: _Data, cache_path: Path, as_of: dt.date = AS_OF) -> tuple[list[tuple], FileCache]:
    """The cached run (a fresh FileCache read from disk, as a new process would) against a cold
    one; returns the problems and the cache used. The cached run is ``ocop validate``'s: problems
    only, no catalogue assembled (``assemble=False``, issue #27) — the same problems."""
    files_cache = FileCache(cache_path)
    cached = check(data.root, as_of, files_cache, assemble=False)
    files_cache.save()
    cold = check(data.root, as_of)
    assert cached.catalogue is None and (cold.catalogue is not None) == cold.ok
    assert _problems(cached) == _problems(cold)
    assert cached.digests == cold.digests
    return _problems(cold), files_cache


def test_cached_validation_equals_a_cold_one_after_edits_across_records(data, tmp_path):
    cache_path = tmp_path / "cache" / "validate.pickle"
    first, files_cache = _compare(data, cache_path)
    assert files_cache.check_misses > 0 and cache_path.is_file()
    again, files_cache = _compare(data, cache_path)
    assert again == first
    assert files_cache.check_misses == 0 and files_cache.hits == len(files_cache.new), "nothing read or checked again"

    products = data.files("products")
    a, b, c = products[3], products[40], products[20]
    producer_of = data.read(products[10])["producer"]

    def duplicate_certificate() -> set:  # B takes A's body, number and decision (same year)
        da, db = data.read(a), data.read(b)
        for key in ("number", "decision", "deciding_body", "valid_until"):
            db["certificate"][key] = da["certificate"][key]
        db["certified_address"], db["address"] = da["certified_address"], da["address"]
        data.write(b, db)
        return {b}

    def producer_removed() -> set:  # its products now name a producer that does not exist
        next(p for p in data.files("producers") if p.stem == producer_of).unlink()
        return set()

    def lookalike_name() -> set:
        dc = data.read(c)
        dc["name"] = dc["name"] + " ★★★★★ còn hiệu lực"
        data.write(c, dc)
        return {c}

    def duplicate_gtin() -> set:  # E takes D's code
        with_gtin = [p for p in products if "gtin" in data.read(p) and p not in (a, b, c)]
        without = [p for p in products if "gtin" not in data.read(p) and p not in (a, b, c)]
        d, e = (with_gtin[0], with_gtin[1]) if len(with_gtin) > 1 else (with_gtin[0], without[0])
        de = data.read(e)
        de["gtin"] = data.read(d)["gtin"]
        data.write(e, de)
        return {e}

    def household_without_consent() -> set:
        # the lot events of its product (a file that did not change) become personal data held back
        organisations = {p.stem: p for p in data.files("producers")
                         if data.read(p)["kind"] not in ("household_business", "cooperative_group")}
        maker = next(organisations[data.read(p)["producer"]] for p in products
                     if data.read(p).get("lots") and data.read(p)["producer"] in organisations)
        dm = data.read(maker)
        dm["kind"] = "household_business"
        dm.pop("publish_consent", None)
        data.write(maker, dm)
        return {maker}

    previous = first
    for code, edit in (("duplicate-certificate", duplicate_certificate), ("missing-producer", producer_removed),
                       ("status-lookalike", lookalike_name), ("duplicate-gtin", duplicate_gtin),
                       ("product-personal-data-unpublished", household_without_consent)):
        edited = edit()
        now, files_cache = _compare(data, cache_path)
        assert now != previous, f"the edit for {code} changed nothing"
        assert Counter(p[4] for p in now)[code] > Counter(p[4] for p in previous)[code], code
        assert files_cache.check_misses == len(edited), (code, files_cache.check_misses)
        previous = now

    # 6. a longer base URL: the label URLs of unchanged files grow past what a QR holds
    config = data.root / "ocop.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("https://ocop.example.vn", "https://cong-thong-tin-ocop.tinh-rat-dai.example.gov.vn"),
                      encoding="utf-8")
    now, _ = _compare(data, cache_path)
    assert "label-url-too-long" in {p[4] for p in now} and now != previous
    config.write_text(text, encoding="utf-8")

    # 7. another as-of date: every record's local checks run again (decision-in-future, expiring…)
    later, files_cache = _compare(data, cache_path, dt.date(2028, 6, 1))
    assert later != previous and files_cache.check_misses > 0

    # 8. a file that no longer parses: one line for it, and the others as before
    broken = products[50]
    broken.write_text(broken.read_text(encoding="utf-8").replace("certificate:", "certificate: [", 1), encoding="utf-8")
    data.touch(broken)
    now, _ = _compare(data, cache_path)
    assert [p for p in now if p[0].endswith(broken.name)][0][4] == "yaml-syntax"


def test_a_tampered_cache_is_ignored(data, tmp_path):
    """Problems planted in the cache file never reach the report: an altered file is not unpickled."""
    cache_path = tmp_path / "cache" / "validate.pickle"
    first, _ = _compare(data, cache_path)
    raw = bytearray(cache_path.read_bytes())
    raw[-40] ^= 0x01
    cache_path.write_bytes(bytes(raw))
    tampered = FileCache(cache_path)
    assert tampered.old == {} and tampered.checks_old == {}
    assert _problems(check(data.root, AS_OF, tampered)) == first


def test_a_stale_stamp_is_not_reused(data, tmp_path):
    """Entries made with another as-of date or base URL are checked again, not reused."""
    cache_path = tmp_path / "cache" / "validate.pickle"
    _compare(data, cache_path)
    files_cache = FileCache(cache_path)
    digests = check(data.root, AS_OF).digests
    assert files_cache.known_checks('["2026-11-23", "https://ocop.example.vn"]', digests)
    assert files_cache.known_checks('["2026-11-24", "https://ocop.example.vn"]', digests) == {}


def test_local_checks_read_only_their_record():
    """A check registered with local=True names no attribute of the context but the as-of date
    and base URL (its results are cached per file); at run time _LocalContext raises NotLocal."""
    for kind_checks in rules.CHECKS.values():
        for fn in kind_checks:
            if fn not in rules.LOCAL:
                continue
            tree = ast.parse(inspect.getsource(fn).lstrip())
            read = {n.attr for n in ast.walk(tree)
                    if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "ctx"}
            assert read <= {"as_of", "base_url"}, (fn.__name__, read)
    with pytest.raises(rules.NotLocal):
        _ = rules._LocalContext(AS_OF).ids
