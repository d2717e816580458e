"""Output is never half-written: SIGKILL `ocop build` / `ocop labels` at random moments, 20 times
each; the last complete output is always there, whole, and the next run cleans up."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import AS_OF, BASE

OCOP = [sys.executable, "-m", "catalog.cli"]


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(folder).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("command", ["build", "labels"])
def test_sigkill_at_random_points_leaves_the_last_complete_output(tmp_path, command):
    out = tmp_path / "out"
    args = OCOP + [command, "--root", str(BASE), "--out", str(out), "--as-of", AS_OF.isoformat()]
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    full = time.perf_counter() - start
    reference = digest(out)
    rng = random.Random(20261123)
    killed = 0
    for _ in range(20):
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, full * 1.1))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()
        assert out.is_dir(), "the output folder disappeared"
        assert digest(out) == reference, "the output is not the last complete one"
    assert killed >= 10  # most runs were really interrupted
    subprocess.run(args, check=True, capture_output=True)
    assert digest(out) == reference
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # the next run cleaned up
