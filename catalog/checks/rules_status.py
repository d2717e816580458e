"""Checks of dates that change a certificate's status later: revocations and withdrawals that
take effect after the as-of date (issue #16). They register with :mod:`catalog.checks.rules` like every
other check; the dates themselves are interpreted in :mod:`catalog.records.model` (``status_timeline``).
"""

from __future__ import annotations

from typing import Iterator

from ..records.problems import Problem
from .rules import Checked, _Context, _date, check


@check("product", local=True)
def check_revocation_dates(item: Checked, ctx: _Context) -> Iterator[Problem]:
    revocation = item.data["certificate"]["revocation"]
    decided = revocation["decision"]["date"]
    effective = revocation.get("effective_from")
    if effective is not None and _date(effective) < _date(decided):
        yield item.problem("revocation-effective-before-decision", ("certificate", "revocation", "effective_from"),
                           effective, decision_date=decided)
        return
    path = ("certificate", "revocation") + (("effective_from",) if effective else ("decision", "date"))
    if _date(effective or decided) > ctx.as_of:
        yield item.problem("revocation-in-future", path, effective or decided, as_of=ctx.as_of.isoformat())


@check("product", local=True)
def check_withdrawal_date(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """A withdrawal dated after the as-of date (``status_date``; its other checks: catalog/checks/rules.py)."""
    since = item.data["status_date"]
    if item.data.get("status") == "withdrawn" and _date(since) > ctx.as_of:
        yield item.problem("withdrawal-in-future", ("status_date",), since, as_of=ctx.as_of.isoformat())
