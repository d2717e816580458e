"""One place for language and formatting (issue #18): the outputs stand side by side."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from catalog.print import labels
from catalog.reference import lang
from catalog.records.model import may_carry_label
from catalog.checks.validate import check

from .conftest import AS_OF, REPO

OUTPUTS = ("pages", "export", "labels", "booklet")


def _imported_modules(path: Path) -> set[str]:
    """Every catalog module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:  # from .pages import x
                found.add(node.module.split(".")[0])
            elif node.level == 1:  # from . import pages, qr as qrlib
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("catalog"):
                parts = node.module.split(".")
                found.update([parts[1]] if len(parts) > 1 else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("catalog."))
    return found


def test_the_outputs_do_not_import_each_other():
    package = REPO / "catalog"
    for name in OUTPUTS:
        others = _imported_modules(package / f"{name}.py") & (set(OUTPUTS) - {name})
        assert not others, f"catalog/{name}.py imports {sorted(others)}: take the helper from lang, urls, printing or model"


def test_the_import_graph_parser_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("def f():\n    from .labels import refusal\n    from . import booklet as b\n", encoding="utf-8")
    assert _imported_modules(sample) == {"labels", "booklet"}


def test_the_label_rule_and_its_reason_agree():
    cat = check(REPO, AS_OF).catalogue
    for p in cat.products.values():
        assert may_carry_label(p) == (labels.refusal(p) is None), p.id


def test_dates_and_numbers_per_language():
    day = dt.date(2026, 12, 1)
    assert lang.date(day, "vi") == "01/12/2026"
    assert lang.date("2026-12-01", "en") == "1 December 2026"
    assert lang.score(90.75, "vi") == "90,75" and lang.score(90.75, "en") == "90.75"
    assert lang.score(81.0, "en") == "81"
    assert lang.number(14642, "vi") == "14.642" and lang.number(14642, "en") == "14,642"
    assert lang.number(45.25, "en") == "45.2" or lang.number(45.25, "en") == "45.3"
    assert lang.number(45.3, "vi") == "45,3"
