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


def test_the_legal_bases_are_named_as_the_data_names_them():
    """One place per fact (issue #23): the legal bases are the keys of catalog/data/ocop_rules.yaml.
    The import column vocabulary fills them in from there (``{legal_bases}``), the schema names
    none (its enum is filled from the data, ``x-enum``), and the hand-written paragraph of
    docs/record-format.md must name exactly those codes — add a new legal basis to the data, then
    to that paragraph."""
    import json
    import re

    from catalog.reference import rulebook
    from catalog.staff.importer import columns

    codes = rulebook.legal_basis_codes()
    pattern = re.compile(r"`([0-9]+(?:\+[0-9]+)?/[0-9]{4})`")
    paragraph = next(p for p in (REPO / "docs/record-format.md").read_text(encoding="utf-8").split("\n* ")
                     if p.startswith("Legal bases:"))
    assert sorted(set(pattern.findall(paragraph))) == sorted(codes), (
        "docs/record-format.md, 'Legal bases:': name exactly the legal bases of catalog/data/ocop_rules.yaml")
    example = next(line for line in (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8").splitlines()
                   if "# bộ tiêu chí đã dùng:" in line)
    assert example.split("# bộ tiêu chí đã dùng:")[1].strip().split(", ") == codes, (
        "CONTRIBUTING.md's example record: list the legal bases of catalog/data/ocop_rules.yaml")
    help_text = columns._table()["fields"]["legal_basis"]["help"]
    assert all(code in help_text for code in codes) and "{" not in help_text
    raw = json.loads((REPO / "schemas/product.schema.json").read_text(encoding="utf-8"))
    described = json.dumps(raw, ensure_ascii=False)
    assert not [c for c in codes if f"{c} (" in described], "the schema's descriptions name no legal basis by hand"


def test_every_file_and_module_the_code_names_exists():
    """A newcomer follows the paths the comments, docstrings and rule tables give ("catalog/print/labels.py",
    ``catalog.records.loader``): each must exist (probe, round six: 27 still named the flat layout of
    before the rooms, issue #23)."""
    import importlib
    import re

    path = re.compile(r"(?<![\w./~-])((?:catalog|tests|tools|schemas|site_templates|docs)/[\w./-]*\.(?:py|yaml|json|md|html|js|css))")
    dotted = re.compile(r"(?<![\w/.])(catalog(?:\.[a-z_]+)+)")
    missing = []
    files = [p for p in (REPO / "catalog").rglob("*") if p.suffix in (".py", ".yaml") and "vendor" not in p.parts]
    for file in files:
        text = file.read_text(encoding="utf-8")
        for n, line in enumerate(text.splitlines(), 1):
            for found in path.findall(line):
                if not (REPO / found).exists():
                    missing.append(f"{file.relative_to(REPO)}:{n}: {found}")
            for ref in dotted.findall(line):
                parts = ref.split(".")
                for i in range(len(parts), 1, -1):  # the longest prefix that is a module
                    try:
                        module = importlib.import_module(".".join(parts[:i]))
                    except ImportError:
                        continue
                    if i == len(parts) or hasattr(module, parts[i]):
                        break
                    missing.append(f"{file.relative_to(REPO)}:{n}: {ref}")
                    break
                else:
                    missing.append(f"{file.relative_to(REPO)}:{n}: {ref}")
    assert missing == []
