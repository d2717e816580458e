"""One place for language and formatting (issue #18): the outputs stand side by side."""

from __future__ import annotations

import datetime as dt

from catalog.print import labels
from catalog.reference import lang
from catalog.records.model import may_carry_label
from catalog.checks.validate import check

from .conftest import AS_OF, REPO
from .test_architecture import edges_of

OUTPUTS = ("catalog.site.pages", "catalog.publish.export", "catalog.print.labels", "catalog.print.booklet")


def test_the_outputs_do_not_import_each_other():
    """The import graph is the one tests/test_architecture.py parses (imports inside functions too)."""
    for name in OUTPUTS:
        path = REPO.joinpath(*name.split(".")).with_suffix(".py")
        others = {edge.target for edge in edges_of(path)} & (set(OUTPUTS) - {name})
        assert not others, f"{name} imports {sorted(others)}: take the helper from lang, urls, printing or model"


def test_the_label_rule_and_its_reason_agree():
    cat = check(REPO, AS_OF).catalogue
    for p in cat.products.values():
        assert may_carry_label(p) == (labels.refusal(p) is None), p.id


def test_dates_and_numbers_per_language():
    day = dt.date(2026, 12, 1)
    assert lang.date(day, "vi") == "01/12/2026"
    assert lang.date("2026-12-01", "en") == "1 December 2026"
    assert lang.score(90.75, "vi") == "90,75" and lang.score(90.75, "en") == "90.75"
    assert lang.score(81.0, "en") == "81"
    assert lang.number(14642, "vi") == "14.642" and lang.number(14642, "en") == "14,642"
    assert lang.number(45.25, "en") == "45.2" or lang.number(45.25, "en") == "45.3"
    assert lang.number(45.3, "vi") == "45,3"
