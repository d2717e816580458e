"""Checks of dates that change a certificate's status later: revocations and withdrawals that
take effect after the as-of date (issue #16). They register with :mod:`catalog.checks.rules` like every
other check; the dates themselves are interpreted in :mod:`catalog.records.model` (``status_timeline``).
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from ..records.problems import Hint, Problem
from ..reference import rulebook
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
    if _date(effective or decided) > _date(item.data["certificate"]["valid_until"]):
        yield _after_lapse(item, path, effective or decided, item.data["certificate"])
        return
    if _date(effective or decided) > ctx.as_of:
        yield item.problem("revocation-in-future", path, effective or decided, as_of=ctx.as_of.isoformat())


@check("product", local=True)
def check_withdrawal_date(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """A withdrawal dated after the as-of date (``status_date``; its other checks: catalog/checks/rules.py)."""
    since = item.data["status_date"]
    if item.data.get("status") == "withdrawn" and _date(since) > ctx.as_of:
        yield item.problem("withdrawal-in-future", ("status_date",), since, as_of=ctx.as_of.isoformat())


@check("product", local=True)
def check_earlier_revocation_dates(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """An earlier rating's revocation taking effect after that certificate had lapsed (probe, round
    six: one dated two years after its certificate was replaced and had lapsed was announced in the
    feed as a revocation while the product was valid)."""
    for i, rating in enumerate(item.data.get("earlier_ratings", [])):
        revocation = rating.get("revocation")
        if not revocation:
            continue
        day = revocation.get("effective_from") or revocation["decision"]["date"]
        if _date(day) > _lapse(rating):
            path = ("earlier_ratings", i, "revocation") + (("effective_from",) if revocation.get("effective_from")
                                                           else ("decision", "date"))
            yield _after_lapse(item, path, day, rating)


def _lapse(rating: dict) -> dt.date:
    """An earlier certificate's last day: its ``valid_until``, else its decision date plus the term
    (``certificate_months`` in catalog/data/ocop_rules.yaml), as the importer fills a current
    certificate's and the product page ends the rating's window (catalog/records/model.py
    ``earlier_windows``). Round seven: a rating without valid_until was not checked at all."""
    if rating.get("valid_until"):
        return _date(rating["valid_until"])
    return rulebook.expected_valid_until(_date(rating["decision"]["date"]))


def _after_lapse(item: Checked, path: tuple, day: str, certificate: dict) -> Problem:
    """A revocation that takes effect after the certificate lapsed revokes nothing: the page would
    show the certificate valid up to its last day, then lapsed, and announce a revocation years on
    (probe, round six: effective_from 2099 kept a revoked product valid, with a warning only)."""
    reckoned: Hint | str = ""
    if not certificate.get("valid_until"):
        decided = certificate["decision"]["date"]
        months = rulebook.certificate_months()
        reckoned = Hint(f" — hồ sơ không ghi valid_until: tính từ ngày quyết định {_vn(decided)} cộng {months} tháng",
                        f" — the record gives no valid_until: reckoned from the decision of {decided} plus {months} months")
    return item.problem("revocation-after-lapse", path, day, valid_until=_lapse(certificate).isoformat(), reckoned=reckoned,
                        number=certificate.get("number") or certificate.get("certificate_number") or "—")


def _vn(iso: str) -> str:
    return _date(iso).strftime("%d/%m/%Y")
