"""Round seven, the officer's side: `ocop intake`'s exit code, a product continued over two Word rows
that are not merged, a corrected annex and the producer's street, the summary's warnings, an earlier
certificate's lapse when its record gives no valid_until, and a revocation by another province's body.

Every annex is made here with python-docx or as text, shaped like a province's; every record is the
shipped data changed as an officer would change it."""

from __future__ import annotations

import os
import subprocess
import sys

from catalog.checks.validate import check
from tests.conftest import AS_OF, REPO
from tests.test_intake import _git, _intake, _repo

# --- 1. `ocop intake` exits 1 when errors are left, 0 on warnings alone ------------------------------


def test_intake_exits_1_while_errors_are_left_and_0_on_warnings_alone(tmp_path):
    """`ocop intake` exited 0 with validation errors in its report: a script, or the officer reading the
    check's colour, took the run as clean. Now as `ocop validate` and `ocop import`: 1 on any error."""
    root = _repo(tmp_path)
    problems = check(root, AS_OF).problems
    assert problems and all(p.severity == "warning" for p in problems)  # the shipped data: warnings only
    path = root / "products/lai-chau/ban-du-lich-sin-suoi-ho.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  score: 76\n", "  score: 78\n"), encoding="utf-8")  # a sound edit in the form
    _git(root, "commit", "-qam", "điểm")
    clean = _intake(root, tmp_path / "bao-cao.md")
    assert clean.exit_code == 0, clean.output
    # a mistyped date saved on the branch: an error validate gives (bad-date)
    path.write_text(text.replace('  valid_until: "2027-07-29"', '  valid_until: "2027-02-30"'), encoding="utf-8")
    _git(root, "commit", "-qam", "ngày")
    report = tmp_path / "bao-cao-2.md"
    wrong = _intake(root, report)
    assert wrong.exit_code == 1, wrong.output
    assert "2027-02-30" in report.read_text(encoding="utf-8")  # the report is written all the same
    # the real command, as the workflow runs it: the process's exit status
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    ran = subprocess.run([sys.executable, "-m", "catalog.cli", "intake", "--root", str(root), "--base", "main",
                          "--as-of", AS_OF.isoformat()], capture_output=True, text=True, env=env, timeout=300)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "2027-02-30" in ran.stdout


def test_intake_says_its_exit_code_in_its_help(run_cli):
    out = run_cli("intake", "--help").output
    assert "Mã thoát" in out and "chỉ có cảnh báo" in out
