"""Work shared out to all cores by forked worker processes.

The work is a list of thunks (or any function of a share) built in the parent; forked workers
inherit it copy-on-write, so nothing big is pickled on the way in — only results come back. Each
worker takes every n-th item (items of one kind sit together, so interleaving balances the load).
Below ``parallel_from`` items, or on one core, everything runs in this process: starting workers
costs ~0.1 s. An exception in a worker is raised here. Linux and macOS only (fork), which is where
the tool is run; elsewhere it falls back to one process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from contextlib import contextmanager
from typing import Any, Callable, Sequence

_JOB: Callable[[int, int], Any] | None = None


def cores() -> int:
    try:
        return max(1, min(len(os.sched_getaffinity(0)), 8))
    except AttributeError:
        return max(1, min(os.cpu_count() or 1, 8))


@contextmanager
def _forking():
    """Around creating forked workers: every object the parent holds is frozen out of the cycle
    collector first, so a collection in a worker does not write to (and so copy) every page of
    the inherited heap — at national scale that copying cost more system time than the work."""
    gc.freeze()
    try:
        yield multiprocessing.get_context("fork")
    finally:
        gc.unfreeze()


def _share(args: tuple[int, int]) -> Any:
    assert _JOB is not None
    return _JOB(*args)


def shares(job: Callable[[int, int], Any], items: int, parallel_from: int = 400) -> list[Any]:
    """``job(index, count)`` for each of ``count`` shares, in parallel; their results in order."""
    global _JOB
    count = cores()
    if count < 2 or items < parallel_from or "fork" not in multiprocessing.get_all_start_methods():
        return [job(0, 1)]
    _JOB = job
    try:
        with _forking() as context, context.Pool(count) as pool:
            return pool.map(_share, [(i, count) for i in range(count)])
    finally:
        _JOB = None


def run_all(thunks: Sequence[Callable[[], Any]], parallel_from: int = 400) -> None:
    """Call every thunk (each writes its own files), on all cores. Thunks are handed out in small
    runs to whichever worker is free, so one long thunk (a sheet of 16,000 labels) does not leave
    the other cores idle at the end."""
    global _JOB
    count = cores()
    if count < 2 or len(thunks) < parallel_from or "fork" not in multiprocessing.get_all_start_methods():
        for thunk in thunks:
            thunk()
        return
    size = max(1, len(thunks) // (count * 32))
    _JOB = lambda start, _: [thunk() for thunk in thunks[start:start + size]] and None  # noqa: E731
    try:
        with _forking() as context, context.Pool(count) as pool:
            for _ in pool.imap_unordered(_share, [(start, 0) for start in range(0, len(thunks), size)]):
                pass
    finally:
        _JOB = None


def map_ordered(fn: Callable[[Any], Any], items: Sequence[Any], parallel_from: int = 400) -> list[Any]:
    """[fn(item) for item in items], on all cores (results are pickled back)."""
    def job(index: int, count: int) -> list[Any]:
        return [fn(item) for item in items[index::count]]

    parts = shares(job, len(items), parallel_from)
    out: list[Any] = [None] * len(items)
    for index, part in enumerate(parts):
        out[index::len(parts)] = part
    return out


class Background:
    """``fn()`` started in a forked process now, its (pickled) result collected by `result`.
    On one core, or without fork, ``fn`` simply runs when the result is asked for."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        global _JOB
        self._fn: Callable[[], Any] | None = fn
        self._pool = None
        self._async = None
        if cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        _JOB = lambda index, count: fn()  # noqa: E731 — inherited by the fork, never pickled
        try:
            with _forking() as context:
                self._pool = context.Pool(1)
            self._async = self._pool.apply_async(_share, ((0, 1),))
        finally:
            _JOB = None

    def result(self) -> Any:
        """The result (an exception in the worker is raised here)."""
        if self._pool is None:
            assert self._fn is not None
            return self._fn()
        try:
            return self._async.get()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker if it still runs (the caller failed before asking for the result)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            self._fn = lambda: None

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def background(fn: Callable[[], Any]) -> Background:
    """``with background(fn) as job: … job.result()`` — the worker never outlives the block."""
    return Background(fn)
