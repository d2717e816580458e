"""Module boundaries (issue #18): the outputs stand side by side. Labels, the booklet and the open
data do not reach into the site build; the atomic output folder (swap in, recover) lives in
catalog/output.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "catalog"


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in the file (inside functions too), as absolute
    dotted names; ``from catalog import site`` counts as importing ``catalog.site``."""
    package = "catalog"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("line", ["import catalog.site", "from .site import build", "from . import site",
                                  "from catalog import site as s", "from catalog.site import build"])
def test_the_import_walk_sees_every_form(tmp_path, line):
    source = tmp_path / "example.py"
    source.write_text(f"def f():\n    {line}\n", encoding="utf-8")
    assert "catalog.site" in imported_modules(source)


@pytest.mark.parametrize("name", ["labels.py", "booklet.py", "export.py"])
def test_outputs_do_not_import_the_site_build(name):
    modules = imported_modules(PACKAGE / name)
    assert "catalog.site" not in modules, f"catalog/{name} imports catalog.site"


def test_the_atomic_swap_lives_in_output():
    from catalog.runtime import output
    from catalog.site import build as site

    for name in ("swap_in", "recover", "exchange"):
        assert callable(getattr(output, name))
        assert not hasattr(site, name), f"catalog.site.{name} still defined: one place for atomic output"
