"""Probe, round six: what outside testers found in a pull request's summary (`ocop diff`) and in
validation — a hostile pull request that makes a revoked product look valid, or takes over its
printed labels, must be named where the reviewer reads."""

from __future__ import annotations

import pytest

from tests.conftest import AS_OF
from tests.test_officer_probe import PRODUCT, _committed_root


@pytest.mark.parametrize("line,said", [
    ("publisher: 2026-02-30\n", "'2026-02-30'"),  # PyYAML's safe_load: ValueError, day is out of range
    ("extra_a: &a {x: *a}\n", "'không đọc được'"),  # a self-referencing alias: RecursionError
    ("x0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)),
     "'không đọc được'"),  # nine levels of aliases: 24 GB of memory
])
def test_a_hostile_config_file_never_empties_the_pull_requests_summary(tmp_path, run_cli, line, said):
    root, git = _committed_root(tmp_path)
    config = root / "ocop.yaml"
    config.write_text(config.read_text(encoding="utf-8") + line, encoding="utf-8")
    (root / PRODUCT).write_text((root / PRODUCT).read_text(encoding="utf-8").replace("  stars: 4", "  stars: 5"), encoding="utf-8")
    result = run_cli("diff", "HEAD", "--root", root, "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert "Cấu hình ocop.yaml:" in result.output and said in result.output, result.output
    assert "Đổi hạng sao" in result.output  # the rest of the summary is there
