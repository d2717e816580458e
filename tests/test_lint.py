"""The linter and the type checker are part of the test command: ``bash tools/setup.sh test`` and
.ci/run (on every Python the tool supports) fail on a finding, with ruff's or mypy's own lines.
Their settings are in pyproject.toml ([tool.ruff], [tool.mypy]); both are in the hash lock."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "--no-cache", "catalog", "tools", "tests")
    assert result.returncode == 0, "ruff check catalog tools tests:\n" + result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = run("mypy")  # files, options and per-module settings: [tool.mypy] in pyproject.toml
    assert result.returncode == 0, "mypy:\n" + result.stdout + result.stderr


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_the_tools_are_the_locked_ones(tool):
    locked = (REPO / "requirements-ci.txt").read_text(encoding="utf-8")
    assert f"\n{tool}==" in locked, f"{tool} is not in requirements-ci.txt: regenerate the lock (tools/setup.sh)"
