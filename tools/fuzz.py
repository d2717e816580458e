"""Fuzz `load → validate → render` for as long as you like; stops at the first escaped exception.

    .venv/bin/python tools/fuzz.py [--seconds 300] [--seed 1]

Prints how many inputs were tried and how they ended (invalid / valid and rendered / refused).
Anything but CatalogError escaping is a bug: the input is saved to fuzz-crash.yaml.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.harness.fuzz import mutate, run_one, tempdir  # noqa: E402

BASE = ROOT / "tests" / "fixtures" / "base"
TARGETS = ["products/lai-chau/san-pham-mau.yaml", "producers/lai-chau/htx-mau.yaml",
           "sales_points/lai-chau/diem-mau.yaml", "villages/lai-chau/ban-mau.yaml", "ocop.yaml"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = tempdir()
    outcomes: Counter[str] = Counter()
    end = time.monotonic() + args.seconds
    try:
        while time.monotonic() < end:
            target = rng.choice(TARGETS)
            text = mutate((BASE / target).read_bytes(), [rng.randrange(1 << 30) for _ in range(rng.randint(1, 6))])
            try:
                outcomes[run_one(BASE, target, text, work)] += 1
            except Exception:
                (ROOT / "fuzz-crash.yaml").write_bytes(text)
                print(f"crash on {target}; input saved to fuzz-crash.yaml", file=sys.stderr)
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = sum(outcomes.values())
    print(f"{total} inputs in {args.seconds:.0f} s: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))


if __name__ == "__main__":
    main()
