"""Every invalid fixture is paired with the exact problems it must produce, and the other way round.

Fixtures live in ``fixtures/invalid/<kind folder>/<province folder>/<name>.yaml``; each is placed,
alone, into a copy of the clean data root ``fixtures/base`` at the same relative path and the whole
root is validated. ``fixtures/invalid/expected.yaml`` lists, per fixture, every problem the run
must report as ``[code, line, col]`` (plus the file when the problem is reported elsewhere).
Valid fixtures in ``fixtures/valid`` must produce no problem at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from catalog.checks.validate import check

from .conftest import AS_OF, FIXTURES, make_root

INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
EXPECTED = yaml.safe_load((INVALID / "expected.yaml").read_text(encoding="utf-8"))


def fixture_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != "expected.yaml")


def problems_for(tmp_path: Path, folder: Path, rel: str) -> list:
    root = make_root(tmp_path, (folder / rel, rel))
    return check(root, AS_OF).problems


def test_every_fixture_has_an_expectation_and_every_expectation_a_fixture():
    files = set(fixture_files(INVALID))
    assert files - set(EXPECTED) == set(), "invalid fixtures without an entry in expected.yaml"
    assert set(EXPECTED) - files == set(), "entries in expected.yaml without a fixture file"


@pytest.mark.parametrize("rel", fixture_files(INVALID))
def test_invalid_fixture_reports_exactly_what_is_expected(tmp_path, rel):
    got = []
    for p in problems_for(tmp_path, INVALID, rel):
        entry = [p.code, p.line, p.col]
        if p.file != rel:
            entry.append(p.file)
        got.append(entry)
    want = [list(e) for e in EXPECTED[rel]]
    assert sorted(got, key=str) == sorted(want, key=str)


@pytest.mark.parametrize("rel", fixture_files(VALID))
def test_valid_fixture_reports_nothing(tmp_path, rel):
    assert [(p.code, p.line, p.col, p.message()) for p in problems_for(tmp_path, VALID, rel)] == []


def test_base_root_is_clean():
    assert check(FIXTURES / "base", AS_OF).problems == []


def test_an_unreadable_record_is_one_error_not_a_cascade(tmp_path):
    """A product file that cannot be read (here: a key written twice) gets its own error; the sales
    point and village that list it are not also told it does not exist."""
    import shutil

    from .conftest import BASE

    root = tmp_path / "root"
    shutil.copytree(BASE, root)
    product = root / "products/lai-chau/san-pham-mau.yaml"
    product.write_text(product.read_text(encoding="utf-8").replace("name: Sản phẩm mẫu", "name: Sản phẩm mẫu\nname: Lặp", 1),
                       encoding="utf-8")
    errors = check(root, AS_OF).errors
    assert [(p.file, p.code) for p in errors] == [("products/lai-chau/san-pham-mau.yaml", "duplicate-key")]
