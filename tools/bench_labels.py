"""Time `ocop labels --lots`: cold (empty output folder) and cached (nothing changed), medians.

    .venv/bin/python tools/bench_labels.py [--root DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(ocop: Path, root: str, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(ocop), "labels", "--root", root, "--out", str(out), "--lots"], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    ocop = Path(sys.executable).parent / "ocop"
    cold, cached = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "labels"
        for _ in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            cold.append(run(ocop, args.root, out))
            cached.append(run(ocop, args.root, out))
        count = len(list(out.glob("**/nhan.png")))
    print(f"ocop labels --lots --root {args.root}: {count} labels + A4 sheets")
    print("  cold   (s): " + " ".join(f"{t:.2f}" for t in cold) + f"  median {statistics.median(cold):.2f}")
    print("  cached (s): " + " ".join(f"{t:.2f}" for t in cached) + f"  median {statistics.median(cached):.2f}")


if __name__ == "__main__":
    main()
