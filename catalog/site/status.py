"""The certificate's status as a page tells it: right on first paint, right with JavaScript off,
right on the reader's day.

A static page is built on one day (the as-of date) and read on another. The record's own dates
already decide every later change — the expiring window, the lapse, a revocation or withdrawal
that takes effect later (:func:`catalog.records.model.status_timeline`) — so the build writes the sentence
for **each** state the certificate can still reach, and a tiny inline script
(``site_templates/assets/ocop-status.js``, ~0.7 KB; written into the scan pages, where it is hashed
in the CSP, and loaded from the site by the other pages) picks the state for the reader's day:

* it stands right before the certificate block and runs while the page is parsed, before the block
  exists: it only sets ``data-ocop-c`` (certificate), ``-l`` (lot) and ``-a`` (age of the data) on
  ``<html>``, and CSS shows the matching sentences. The block is never painted with an answer the
  script would change, and nothing waits for the theme's bundle or any other file;
* the reader's day is today in Vietnam and never earlier than the as-of date (a phone clock set in
  the past does not revive a lapsed certificate);
* with JavaScript off (or before it ran, or if it fails) the ``"0"`` sentences show: the build's
  status *with its dates and the as-of date* ("GCN còn hiệu lực đến hết ngày 31/08/2028 (theo dữ
  liệu ngày 23/11/2026)") — never a bare "valid";
* the age of the data: the page says when it was published and, once that is more than 7 days ago,
  that a newer decision may exist and how to check (the "how to check this label" box).

Elements carry ``data-c`` / ``data-l`` / ``data-a`` lists of the states they belong to ("0" = no
script); the rules that hide the others are :data:`VARIANT_CSS`, in every page that has a block.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from ..records.model import Status, lot_expired, revocation_effective, status_timeline, withdrawal_effective
from ..reference.lang import date
from .csp import page_script

STALE_AFTER_DAYS = 7  # "older than a week": a newer decision may exist


@lru_cache(maxsize=None)
def script() -> str:
    """The status check, exactly as it is written into scan pages (and hashed by catalog/site/csp.py,
    which knows it by name: PAGE_SCRIPTS["ocop-status"])."""
    return page_script("ocop-status")


def _rules(dimension: str, states: list[str]) -> list[str]:
    out = [f'html:not([data-ocop-{dimension}]) [data-{dimension}]:not([data-{dimension}~="0"])']
    out += [f'html[data-ocop-{dimension}={s}] [data-{dimension}]:not([data-{dimension}~={s}])' for s in states]
    return out


def variant_css(lot: bool = True) -> str:
    """Hide every sentence that is not for the current state (no script: the "0" ones); the lot's
    rules only where a page has a lot."""
    return ",\n".join(_rules("c", [s.value for s in Status]) + (_rules("l", ["ok", "over"]) if lot else [])
                       + _rules("a", ["fresh", "stale"])) + " {display: none !important}\n"


VARIANT_CSS = variant_css()

OVER = ("expired", "revoked", "withdrawn")  # the certificate no longer stands


# Everything a page with a certificate block needs; catalog/data/scan.css and
# site_templates/assets/ocop.css carry it verbatim (tests/test_status_truth.py checks). The state
# shows in the badge's colour and in grey stars, both sentences of their own: no rule depends on
# the state beyond these.
CSS = VARIANT_CSS


def vn(day: dt.date | str, lang: str = "vi") -> str:
    """A day as the page's language writes it (catalog/reference/lang.py): 01/12/2026, 1 December 2026."""
    return date(day, lang)


_date = vn


def _timeline(steps: list[tuple[dt.date, str]]) -> str:
    return " ".join(f"{day.isoformat()}={state}" for day, state in steps)


@dataclass
class Variant:
    when: str  # data-* value: the states it shows in ("0": no script)
    status: str
    text: str


@dataclass
class StatusView:
    """What a certificate block needs: the build's status, the states the browser may reach, the
    timelines for the script and a sentence per state."""

    build: str
    states: list[str]
    script_attrs: dict[str, str]
    lines: list[Variant] = field(default_factory=list)
    notices: list[Variant] = field(default_factory=list)
    lot_lines: list[Variant] = field(default_factory=list)
    as_of_note: str = ""

    def when(self, *states: str) -> str | None:
        """The data-c value of an element shown in ``states`` (None: it can never show)."""
        chosen = (["0"] if self.build in states else []) + [s for s in self.states if s in states]
        return " ".join(chosen) or None

    @property
    def over(self) -> str | None:
        return self.when(*OVER)

    @property
    def standing(self) -> str | None:
        return self.when("valid", "expiring", "pending")

    @property
    def gold(self) -> str | None:
        """Full gold stars only while the certificate is in force."""
        return self.when("valid", "expiring")

    @property
    def grey(self) -> str | None:
        return self.when(*OVER, "pending")


def view(record: dict[str, Any], as_of: dt.date, t: dict, lot: dict | None = None) -> StatusView:
    cert = record["certificate"]
    steps = [(day, status.value) for day, status in status_timeline(record, as_of)]
    build = steps[0][1]
    states = list(dict.fromkeys(state for _, state in steps))
    valid_until = dt.date.fromisoformat(cert["valid_until"])
    revoked, withdrawn = revocation_effective(record), withdrawal_effective(record)
    decided = dt.date.fromisoformat(cert["decision"]["date"])
    lines = t["status_line"]
    vn = partial(_date, lang=t.get("lang", "vi"))  # the strings' own language (ui.<lang>.yaml)

    def sentence(state: str) -> str:
        if state == "withdrawn" and withdrawn == dt.date.min:
            return lines["withdrawn_undated"]
        day = {"revoked": revoked, "withdrawn": withdrawn, "pending": decided}.get(state)
        return lines[state].format(until=vn(valid_until), after=vn(valid_until + dt.timedelta(days=1)),
                                   day=vn(day) if day else "")

    out = StatusView(build, states, {"data-as-of": as_of.isoformat(), "data-t-c": _timeline(steps)})
    out.lines += [Variant(out.when(state), state, sentence(state)) for state in states]  # type: ignore[arg-type]  # never None here
    out.as_of_note = lines["as_of"].format(date=vn(as_of))  # after the build's sentence, without the script
    for day, key in ((revoked, "will_be_revoked"), (withdrawn, "will_be_withdrawn")):
        when = out.when("valid", "expiring", "pending")  # said while the certificate still stands
        if day is not None and day > as_of and when:
            out.notices.append(Variant(when, "", lines[key].format(day=vn(day))))
    for state, text in t["status_notice"].items():
        when = out.when(state)
        if when:
            out.notices.append(Variant(when, state, text))

    stale = as_of + dt.timedelta(days=STALE_AFTER_DAYS + 1)
    out.script_attrs["data-t-a"] = _timeline([(as_of, "fresh"), (stale, "stale")])
    if lot is not None:
        lot_t = t["lot_status"]
        if "expires_on" not in lot:
            out.lot_lines.append(Variant("0 ok", "", lot_t["undated"].format(lot=lot["id"])))
        else:
            expires = dt.date.fromisoformat(lot["expires_on"])
            after = expires + dt.timedelta(days=1)
            lot_steps = [(as_of, "over")] if lot_expired(lot, as_of) else [(as_of, "ok"), (after, "over")]
            out.script_attrs["data-t-l"] = _timeline(lot_steps)
            lot_states = [s for _, s in lot_steps]
            build_lot = lot_steps[0][1]
            for state in ("ok", "over"):
                shown = (["0"] if build_lot == state else []) + ([state] if state in lot_states else [])
                if shown:
                    key = "fresh" if state == "ok" else "over"
                    out.lot_lines.append(Variant(" ".join(shown), state, lot_t[key].format(
                        lot=lot["id"], date=vn(expires), after=vn(after))))
    return out
