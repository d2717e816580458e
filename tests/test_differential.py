"""Issue #14: an incremental build equals a cold one after every step of a seeded sequence of
officer edits (tests/harness/differential.py). Here a short sequence doing each kind of edit once;
tools/differential.py runs long random ones."""

from __future__ import annotations

from tests.harness.differential import EDITS, run

from .conftest import AS_OF, BASE

ORDER = ("rename", "new", "stock", "photo", "producer", "consent", "lapse", "withdraw", "delete", "title")


def test_every_kind_of_edit_is_in_the_sequence():
    assert sorted(ORDER) == sorted(EDITS)


def test_incremental_equals_cold_after_each_officer_edit(tmp_path):
    outcome = run(BASE, tmp_path, seed=14, steps=len(ORDER) + 2, as_of=AS_OF, required=ORDER)
    assert outcome.steps == len(ORDER) + 2
    assert outcome.kinds[:len(ORDER)] == list(ORDER)
    assert all(r >= 0 for r in outcome.rendered[:-3])  # incremental, not cold, before the title change
