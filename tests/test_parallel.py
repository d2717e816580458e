"""Work shared out to forked workers gives what one process gives (catalog/runtime/parallel.py)."""

from __future__ import annotations

from catalog.runtime import parallel
from catalog.checks import rules, validate

from .conftest import AS_OF, FIXTURES


def test_map_ordered_keeps_order_across_workers():
    items = list(range(1001))
    assert parallel.map_ordered(lambda x: x * x, items, parallel_from=1) == [x * x for x in items]


def test_validation_on_workers_reports_the_same_problems_at_the_same_places(monkeypatch):
    """In workers, a loaded file comes back pickled and is unpickled only when a rule reports on it
    (cache.LazyLoaded): lines and columns must not change."""
    serial = validate.check(FIXTURES / "invalid", AS_OF)
    monkeypatch.setattr(validate, "PARALLEL_FROM", 1)
    monkeypatch.setattr(rules, "PARALLEL_FROM", 1)  # the checks of each record, on workers too
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    shared = validate.check(FIXTURES / "invalid", AS_OF)
    key = lambda p: (p.file, p.line, p.col, p.code, p.field, str(p.args))  # noqa: E731
    assert len(serial.problems) > 60
    assert [key(p) for p in shared.problems] == [key(p) for p in serial.problems]


def test_background_runs_in_another_process_and_raises_its_errors(monkeypatch):
    import os

    import pytest

    monkeypatch.setattr(parallel, "cores", lambda: 2)
    data = list(range(10_000))  # inherited by the fork, never pickled
    job = parallel.background(lambda: (os.getpid(), sum(data)))
    pid, total = job.result()
    assert pid != os.getpid() and total == sum(data)
    with pytest.raises(ZeroDivisionError):
        parallel.background(lambda: 1 / 0).result()
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    assert parallel.background(lambda: os.getpid()).result() == os.getpid()  # one core: here, when asked


def test_run_all_calls_every_thunk_once_on_workers(tmp_path, monkeypatch):
    import os
    from functools import partial

    import pytest

    monkeypatch.setattr(parallel, "cores", lambda: 2)

    def write(i: int) -> None:
        with open(tmp_path / f"{i}.txt", "x") as fh:  # "x": a second call would fail
            fh.write(str(os.getpid()))

    parallel.run_all([partial(write, i) for i in range(1001)], parallel_from=1)
    written = sorted(int(p.stem) for p in tmp_path.glob("*.txt"))
    assert written == list(range(1001))
    assert {p.read_text() for p in tmp_path.glob("*.txt")} != {str(os.getpid())}  # not in this process
    with pytest.raises(ZeroDivisionError):
        parallel.run_all([lambda: None] * 50 + [lambda: 1 / 0], parallel_from=1)


def test_a_background_job_is_stopped_when_the_block_fails(monkeypatch):
    import time

    import pytest

    monkeypatch.setattr(parallel, "cores", lambda: 2)
    with pytest.raises(RuntimeError):
        with parallel.background(lambda: time.sleep(60)) as job:
            pool = job._pool
            raise RuntimeError("MkDocs failed")
    assert job._pool is None and all(not p.is_alive() for p in pool._pool)  # the sleeping worker is gone
