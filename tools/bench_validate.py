"""Time `ocop validate` on a data root: median of several runs, in a fresh process each time.

    .venv/bin/python tools/bench_validate.py [--root DIR] [--runs N]

Prints the per-run wall times and the median. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ocop = Path(sys.executable).parent / "ocop"
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        proc = subprocess.run([str(ocop), "validate", "--root", args.root], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            sys.exit(proc.stderr)
    files = proc.stdout.strip().splitlines()[-1]
    print(f"ocop validate --root {args.root}")
    print(f"  {files}")
    print("  runs (s): " + " ".join(f"{t:.3f}" for t in times))
    print(f"  median: {statistics.median(times):.3f} s (whole process, including Python start-up and imports)")


if __name__ == "__main__":
    main()
