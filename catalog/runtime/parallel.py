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
import threading
from typing import Any, Callable, Sequence

_JOB: Callable[[int, int], Any] | None = None


def cores() -> int:
    try:
        return max(1, min(len(os.sched_getaffinity(0)), 8))
    except AttributeError:
        return max(1, min(os.cpu_count() or 1, 8))


def _can_fork(items: int = 1, parallel_from: int = 0) -> bool:
    return cores() > 1 and items >= parallel_from and "fork" in multiprocessing.get_all_start_methods()


def _start_pool(job: Callable[[int, int], Any], processes: int) -> Any:
    """A pool of forked workers that call ``job`` (inherited, never pickled) through `_share`.
    Every object the parent holds is frozen out of the cycle collector while the workers are
    forked, so a collection in a worker does not write to (and so copy) every page of the
    inherited heap — at national scale that copying cost more system time than the work."""
    global _JOB
    _JOB = job
    gc.freeze()
    try:
        return multiprocessing.get_context("fork").Pool(processes)  # the workers are forked here
    finally:
        gc.unfreeze()
        _JOB = None


def _share(args: tuple[int, int]) -> Any:
    assert _JOB is not None
    return _JOB(*args)


def shares(job: Callable[[int, int], Any], items: int, parallel_from: int = 400) -> list[Any]:
    """``job(index, count)`` for each of ``count`` shares, in parallel; their results in order."""
    if not _can_fork(items, parallel_from):
        return [job(0, 1)]
    count = cores()
    with _start_pool(job, count) as pool:
        return pool.map(_share, [(i, count) for i in range(count)])


def run_all(thunks: Sequence[Callable[[], Any]], parallel_from: int = 400,
            on_done: Callable[[int], None] | None = None) -> None:
    """Call every thunk (each writes its own files), on all cores. Thunks are handed out in small
    runs to whichever worker is free, so one long thunk (a sheet of 16,000 labels) does not leave
    the other cores idle at the end. ``on_done(n)`` is called here, in this process, as each run
    of n thunks finishes (progress, catalog/runtime/progress.py)."""
    if not _can_fork(len(thunks), parallel_from):
        for thunk in thunks:
            thunk()
            if on_done is not None:
                on_done(1)
        return
    size = max(1, len(thunks) // (cores() * 32))

    def run(start: int, _: int) -> int:
        run_of = thunks[start:start + size]
        for thunk in run_of:
            thunk()
        return len(run_of)

    with _start_pool(run, cores()) as pool:
        for done in pool.imap_unordered(_share, [(start, 0) for start in range(0, len(thunks), size)]):
            if on_done is not None:
                on_done(done)


def map_ordered(fn: Callable[[Any], Any], items: Sequence[Any], parallel_from: int = 400,
                on_done: Callable[[int], None] | None = None) -> list[Any]:
    """[fn(item) for item in items], on all cores (results are pickled back). With ``on_done``
    the items are cut into more, smaller shares, and ``on_done(n)`` is called here as each share of
    n items comes back."""
    if on_done is None:
        def job(index: int, count: int) -> list[Any]:
            return [fn(item) for item in items[index::count]]

        parts = shares(job, len(items), parallel_from)
        out: list[Any] = [None] * len(items)
        for index, part in enumerate(parts):
            out[index::len(parts)] = part
        return out
    if not _can_fork(len(items), parallel_from):
        done = []
        for item in items:
            done.append(fn(item))
            on_done(1)
        return done
    count = cores() * 8

    def piece(index: int, _: int) -> tuple[int, list[Any]]:
        return index, [fn(item) for item in items[index::count]]

    out = [None] * len(items)
    with _start_pool(piece, cores()) as pool:
        for index, part in pool.imap_unordered(_share, [(i, 0) for i in range(count)]):
            out[index::count] = part
            on_done(len(part))
    return out


def flag() -> Any:
    """A flag (``set()``, ``is_set()``) that this process sets and a worker forked before it (a
    `Background`) sees; without fork, a plain in-process one (the worker's function then runs here)."""
    if _can_fork():
        return multiprocessing.get_context("fork").Event()
    return threading.Event()


class Counter:
    """Numbers 0, 1, 2 … each handed out once, to this process and to workers forked after the
    counter was made: work claimed piece by piece, whoever is free takes the next piece (a
    `Background` and then its parent, once the parent has nothing else to do)."""

    def __init__(self) -> None:
        self._shared = multiprocessing.get_context("fork").Value("q", 0) if _can_fork() else None
        self._here = 0

    def take(self) -> int:
        if self._shared is None:
            self._here += 1
            return self._here - 1
        with self._shared.get_lock():
            number = self._shared.value
            self._shared.value = number + 1
        return number


class Background:
    """``fn()`` started in a forked process now, its (pickled) result collected by `result`.
    On one core, or without fork, ``fn`` simply runs when the result is asked for. Used as a
    context manager, the worker never outlives the block (the caller may fail before asking)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self._fn = fn
        self._pool = _start_pool(lambda index, count: fn(), 1) if _can_fork() else None
        self._async = self._pool.apply_async(_share, ((0, 1),)) if self._pool is not None else None

    def result(self) -> Any:
        """The result (an exception in the worker is raised here)."""
        if self._async is None:
            return self._fn()
        try:
            return self._async.get()
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> "Background":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def background(fn: Callable[[], Any]) -> Background:
    """``with background(fn) as job: … job.result()``."""
    return Background(fn)
