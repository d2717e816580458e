"""The half-written files of `ocop booklet` and `ocop offline` (``.<output>.tmp-<pid>``) as an
outside tester tried them against 766d639: the name is predictable, so a checkout can hold a link
with it. SHOWS: the run wrote through the link — the booklet even resolved it and then *renamed the
link's target* onto its output, taking the victim file away from where it was; the offline ZIP was
written into the target. Now the half-written file is always a new regular file the run created
itself (a link or a stale file of that name is removed first, never followed), as
``output.write_atomic`` does for the records (issue #22).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from .conftest import AS_OF
from .test_hardening_three import root_of


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "ngoai-kho" / "ghi-chu-rieng.txt"  # a file of the officer's, outside the output
    victim.parent.mkdir()
    victim.write_text("ghi chú riêng của cán bộ\n", encoding="utf-8")
    return victim


def test_the_booklets_half_written_file_is_never_a_planted_link(tmp_path, run_cli):
    root = root_of(tmp_path)
    out = root / "lai-chau.pdf"  # as README's example writes it: in the checkout
    victim = _victim(tmp_path)
    link = out.with_name(f".{out.name}.tmp-{os.getpid()}")  # this run's name (the command runs in this process)
    link.symlink_to(victim)
    result = run_cli("booklet", "--root", root, "--as-of", AS_OF.isoformat(), "--province", "lai-chau", "--out", out)
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "ghi chú riêng của cán bộ\n"
    assert out.is_file() and not out.is_symlink() and out.read_bytes().startswith(b"%PDF")
    assert not os.path.lexists(link)


def test_the_offline_zips_half_written_file_is_never_a_planted_link(tmp_path, run_cli):
    root = root_of(tmp_path)
    out = root / "offline"
    out.mkdir()
    victim = _victim(tmp_path)
    link = out / f".ocop-lai-chau.zip.tmp-{os.getpid()}"
    link.symlink_to(victim)
    result = run_cli("offline", "--root", root, "--as-of", AS_OF.isoformat(), "--out", out, "--province", "lai-chau")
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "ghi chú riêng của cán bộ\n"
    with zipfile.ZipFile(out / "ocop-lai-chau.zip") as zf:
        assert zf.testzip() is None and any(name.endswith("index.html") for name in zf.namelist())
    assert not os.path.lexists(link)
