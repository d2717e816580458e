"""Smoke run of the synthetic national dataset generator used by tools/bench_national.py."""

from __future__ import annotations

import subprocess
import sys

from catalog.checks.validate import check

from .conftest import AS_OF, REPO


def test_generator_makes_a_valid_catalogue_across_provinces(tmp_path):
    subprocess.run([sys.executable, str(REPO / "tools/make_national_dataset.py"), str(tmp_path / "d"), "--products", "120"],
                   check=True, capture_output=True)
    result = check(tmp_path / "d", AS_OF)
    assert result.errors == []
    cat = result.catalogue
    assert len(cat.products) == 120 and len({p.folder for p in cat.products.values()}) == 34
    assert len(cat.producers) == round(120 * 8086 / 14642)
    assert any(p.data.get("lots") for p in cat.products.values())
