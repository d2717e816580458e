"""Long differential runs of incremental builds (tests/harness/differential.py): seeded random sequences
of officer edits on a copy of a data root; after every edit the incremental build must equal a cold
build byte for byte. Stops at the first difference and prints the seed, the step and the edits.

    .venv/bin/python tools/differential.py [--root .] [--sequences 5] [--steps 20] [--seed 1]

Prints, per sequence, the edits made and the time of the incremental and cold builds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.harness.differential import Mismatch, run  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="data root to copy (default: the shipped sample data)")
    ap.add_argument("--sequences", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2026-11-23")
    args = ap.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    kinds: Counter[str] = Counter()
    total_inc = total_cold = 0.0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ocop-differential-") as tmp:
        for n in range(args.sequences):
            seed = args.seed + n
            try:
                out = run(args.root, Path(tmp), seed, args.steps, as_of)
            except Mismatch as exc:
                print(f"KHÁC NHAU: {exc}", file=sys.stderr)
                return 1
            kinds.update(out.kinds)
            total_inc += out.incremental_seconds
            total_cold += out.cold_seconds
            print(f"seed {seed}: {out.steps} edits equal; incremental {out.incremental_seconds:.1f} s, "
                  f"cold {out.cold_seconds:.1f} s; rendered per step {out.rendered}")
    steps = args.sequences * args.steps
    print(f"{args.sequences} sequences × {args.steps} edits = {steps} edits, every incremental build equal to the cold "
          f"one; edits by kind: {dict(sorted(kinds.items()))}; incremental {total_inc:.1f} s, cold {total_cold:.1f} s, "
          f"wall {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
