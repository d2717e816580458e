"""How fast this machine's disk makes the folders and pages of a site — the part of `ocop build`
neither the tool nor Hugo controls (issue #27: in a cold build at 3,000 products ~40% of the
workers' time is `mkdir` and `open`).

    python tools/bench_fs.py [FOLDER] [--pages N] [--runs R]

Two processes each make N/2 folders with one 12 KB page in each, in one parent folder ("same")
and in one parent each ("apart"), R times, deleting the previous run's files first — as a build
after a build does. Prints the wall time of each run. On this project's VM (ext4 with `discard`)
12,000 pages took 1.7 s in one run and 4.6 s in the next.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import tempfile
import time

DATA = b"x" * 12_000


def _work(args: tuple[str, str, int, int]) -> float:
    base, mode, worker, pages = args
    start = time.perf_counter()
    for i in range(worker, pages, 2):
        folder = f"{base}/a/{i:06d}" if mode == "same" else f"{base}/a{worker}/{i:06d}"
        os.makedirs(folder, exist_ok=True)
        fd = os.open(folder + "/index.html", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        os.write(fd, DATA)
        os.close(fd)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=None)
    ap.add_argument("--pages", type=int, default=12_000)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    parent = args.folder or tempfile.mkdtemp(prefix="ocop-bench-fs-")
    base = os.path.join(parent, "pages")
    try:
        for run in range(args.runs):
            for mode in ("same", "apart"):
                shutil.rmtree(base, ignore_errors=True)
                for name in ("a", "a0", "a1"):
                    os.makedirs(os.path.join(base, name))
                start = time.perf_counter()
                with multiprocessing.get_context("fork").Pool(2) as pool:
                    pool.map(_work, [(base, mode, w, args.pages) for w in (0, 1)])
                wall = time.perf_counter() - start
                print(f"run {run + 1} {mode:5s} {args.pages} pages: {wall:.2f} s ({1e3 * wall / args.pages:.3f} ms a page)")
    finally:
        shutil.rmtree(base, ignore_errors=True)
        if args.folder is None:
            shutil.rmtree(parent, ignore_errors=True)


if __name__ == "__main__":
    main()
