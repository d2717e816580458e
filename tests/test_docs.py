"""Docs tests: generated references match the code, and every command is documented with --help."""

from __future__ import annotations

import pytest

from catalog.cli import main
from catalog.staff.fieldref import field_reference, problem_reference
from catalog.records.problems import MESSAGES

from .conftest import REPO


def test_field_reference_is_generated_from_the_schemas():
    assert (REPO / "docs/truong-du-lieu.md").read_text(encoding="utf-8") == field_reference(), \
        "regenerate: .venv/bin/ocop field-reference > docs/truong-du-lieu.md"


def test_problem_reference_lists_every_code():
    text = (REPO / "docs/ma-loi.md").read_text(encoding="utf-8")
    assert text == problem_reference(), "regenerate: .venv/bin/ocop field-reference --problems > docs/ma-loi.md"
    for code in MESSAGES:
        assert f"`{code}`" in text


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_documented_and_has_help(name, run_cli):
    docs = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8") + (REPO / "README.md").read_text(encoding="utf-8")
    assert f"ocop {name}" in docs, f"`ocop {name}` is not in README.md or CONTRIBUTING.md"
    result = run_cli(name, "--help")
    assert result.exit_code == 0 and len(main.commands[name].help or "") > 10


def test_contributing_example_record_is_valid(tmp_path):
    import re
    import shutil

    from catalog.checks.validate import check

    from .conftest import AS_OF

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# yaml-language-server.*?)```", text, re.S).group(1)
    root = tmp_path / "data"
    root.mkdir()
    for name in ("ocop.yaml", "products", "producers", "sales_points", "villages", "images"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, root / name)
    (root / "products/lai-chau/che-shan-tuyet-sin-ho.yaml").write_text(example, encoding="utf-8")
    result = check(root, AS_OF)
    assert [p for p in result.problems if "che-shan-tuyet-sin-ho" in p.file] == []
