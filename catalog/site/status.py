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

**Two certificates** (round seven). A re-recognition may be decided ahead of the day it takes effect
while the earlier certificate still runs (:func:`catalog.records.model.earlier_in_force`). Until
that day the shopper must see the earlier certificate — in force, with its stars, number, decision,
deciding body and valid-until — and a line that the new one takes effect on its date; from that day
the new one; in a gap between the two, "not yet in force". A fourth dimension says which
certificate's facts show: ``data-t-g`` on the script (``e`` = the earlier one, ``n`` = the record's
``certificate``), ``data-g`` on the stars line, the facts list and the status sentences whose dates
depend on it. It is written only on the pages of such products (their scan pages carry its three
CSS rules, like a lot's); every other page is byte for byte what it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any, Callable

from markupsafe import Markup, escape

from ..records.model import (Status, certificate_timeline, earlier_certificate, lot_expired, revocation_effective,
                             withdrawal_effective)
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


CERTS = ("e", "n")  # data-g: the earlier certificate in force / the record's certificate


def variant_css(lot: bool = True, certs: bool = True) -> str:
    """Hide every sentence that is not for the current state (no script: the "0" ones); the lot's
    rules only where a page has a lot, the two certificates' only where a page has both."""
    return ",\n".join(_rules("c", [s.value for s in Status]) + (_rules("l", ["ok", "over"]) if lot else [])
                       + _rules("a", ["fresh", "stale"]) + (_rules("g", list(CERTS)) if certs else [])
                       ) + " {display: none !important}\n"


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
    when: str | None  # data-* value: the states it shows in ("0": no script); None: in every one
    status: str
    text: str
    cert: str | None = None  # data-g value: the certificate it belongs to (None: either)

    def attrs(self, name: str = "data-c") -> str:
        """` data-c="…" data-g="…"`, each when set."""
        return ((f' {name}="{escape(self.when)}"' if self.when else "")
                + (f' data-g="{escape(self.cert)}"' if self.cert else ""))


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
    certs: list[str] = field(default_factory=list)  # data-g tokens the browser may reach (CERTS)
    build_cert: str = "n"
    earlier: dict | None = None  # the earlier certificate (model.earlier_certificate) while it may show
    next_cert: Variant | None = None  # "the new certificate takes effect on …", while the earlier one shows

    def shows(self, cert: str) -> str | None:
        """The data-g value of the facts of certificate ``cert`` (None: a page with one certificate)."""
        if self.earlier is None:
            return None
        return " ".join((["0"] if self.build_cert == cert else []) + ([cert] if cert in self.certs else [])) or None

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


def _merged(steps: list[tuple[dt.date, str]]) -> list[tuple[dt.date, str]]:
    return [step for i, step in enumerate(steps) if not i or steps[i - 1][1] != step[1]]


def view(record: dict[str, Any], as_of: dt.date, t: dict, lot: dict | None = None) -> StatusView:
    cert = record["certificate"]
    timeline = certificate_timeline(record, as_of)
    full = [(day, status.value, "n" if earlier is None else "e") for day, status, earlier in timeline]
    steps = _merged([(day, state) for day, state, _ in full])
    build = steps[0][1]
    states = list(dict.fromkeys(state for _, state in steps))
    earlier_index = next((e for _, _, e in timeline if e is not None), None)
    earlier = earlier_certificate(record, earlier_index) if earlier_index is not None else None
    revoked, withdrawn = revocation_effective(record), withdrawal_effective(record)
    decided = dt.date.fromisoformat(cert["decision"]["date"])
    lines = t["status_line"]
    vn = partial(_date, lang=t.get("lang", "vi"))  # the strings' own language (ui.<lang>.yaml)

    def sentence(state: str, which: str) -> str:
        if state == "withdrawn" and withdrawn == dt.date.min:
            return lines["withdrawn_undated"]
        day = {"revoked": revoked, "withdrawn": withdrawn, "pending": decided}.get(state)
        valid_until = dt.date.fromisoformat((earlier if which == "e" and earlier else cert)["valid_until"])
        return lines[state].format(until=vn(valid_until), after=vn(valid_until + dt.timedelta(days=1)),
                                   day=vn(day) if day else "")

    out = StatusView(build, states, {"data-as-of": as_of.isoformat(), "data-t-c": _timeline(steps)})
    if earlier is not None:  # two certificates: which one's facts show, day by day
        out.earlier, out.build_cert = earlier, full[0][2]
        cert_steps = _merged([(day, which) for day, _, which in full])
        out.certs = list(dict.fromkeys(which for _, which in cert_steps))
        out.script_attrs["data-t-g"] = _timeline(cert_steps)
        out.next_cert = Variant(None, "", lines["new_certificate"].format(
            number=cert["number"], stars=cert["stars"], day=vn(decided)), out.shows("e"))
    for state, which in dict.fromkeys((state, which) for _, state, which in full):
        out.lines.append(Variant(out.when(state), state, sentence(state, which),
                                 out.shows(which) if state in ("valid", "expiring") else None))
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

# --- The certificate block in HTML -----------------------------------------------------------------
# The hottest shared fragments of the page templates, in Python (issue #27): the certificate block
# with its status check, the stars, the status badge and a decision. Every product page and every
# page a label leads to carries a certificate block — 12,600 of them at 3,000 products, both
# languages — and as a Jinja macro it cost about as much as the rest of the page (each ``t.x.y``
# lookup, nested macro call and escape goes through Jinja's runtime). Here each is one function
# returning Markup, every value from data escaped once with markupsafe.escape, exactly as the
# autoescaping macro wrote it: byte for byte the same (tests/test_fragments.py renders them against
# the Jinja macros they replaced, kept in tests/fixtures/macros_before_fragments.html; tests/test_stamp.py
# and tests/test_xss.py go through them on every page). The page templates call them like the
# macros they were (``{{ cert_block(d, cert, sv) }}``): globals of each page builder's environment
# (catalog/site/pages.py), made per builder. Change one as you would the template; the reference
# test says where the two differ.

HOWTO = "#ocop-howto-title"


def _card_parts(c: dict, img: Any, stars: Markup, badge: Markup, potential_text: Markup) -> tuple[str, str | None, str]:
    """A card's markup around its two links (the photo's, the page's; Fragments.card): before the
    first, between them (None: no photo, one link) and after the last."""
    potential = f' <span class="ocop-potential">{potential_text}</span>' if c["potential_five_star"] else ""
    rest = (f'">{escape(c["name"])}</a>\n  <span class="ocop-card__meta">{stars}{potential} · '
            f'{escape(c["producer"])} · {escape(c["province"])}</span>\n  {badge}\n</li>')
    head = f'<li class="ocop-card ocop-card--{escape(c["status"])}">\n'
    name_link = '  <a class="ocop-card__name" href="'
    if not img:
        return head + name_link, None, rest
    return (head + '<img src="', f'" width="{escape(img.width)}" height="{escape(img.height)}" alt="" loading="lazy">'
            f'{name_link}', rest)


class Fragments:
    """The fragments of one page builder: ``t`` its strings, ``link`` the link function of the
    page being rendered (pages._Templates._page_link), the rest the helpers its templates get."""

    def __init__(self, t: dict, link: Callable[[str], str], status_script: Markup, as_of: Any,
                 vn_date: Callable[[Any], str], vn_number: Callable[[Any], str], scan_url: Callable[..., str],
                 body_text: Callable[..., str], legal_basis_title: Callable[[str], str],
                 potential_five_star: Callable[[dict], bool]) -> None:
        self.t = t
        self.link = link
        self.status_script = status_script
        self.as_of = as_of
        self.vn_date = vn_date
        self.vn_number = vn_number
        self.scan_url = scan_url
        self.body_text = body_text
        self.legal_basis_title = legal_basis_title
        self.potential_five_star = potential_five_star
        product = t["product"]
        # the strings every certificate block writes, escaped once per builder
        self._words = {key: escape(product[key]) for key in (
            "certificate", "certificate_number", "valid_until", "valid_until_over", "decision", "deciding_body",
            "score", "legal_basis", "revocation", "revocation_reason", "revoking_body", "withdrawn_reason",
            "decision_document")}
        self._age = (escape(t["data_age"]["unknown"]), escape(t["data_age"]["stale"]), escape(t["data_age"]["howto"]))
        self._potential = escape(t["potential_five_star"])
        self._cards: dict[tuple, tuple[str, str | None, str]] = {}  # card → its text around the two links

    def globals(self) -> dict[str, Callable[..., Markup]]:
        return {"cert_block": self.cert_block, "stars": self.stars, "status_badge": self.status_badge,
                "decision": self.decision, "card": self.card, "cards": self.cards}

    # a certification grade, not a review: only the stars earned are drawn
    def stars(self, n: int, void: bool = False) -> Markup:
        return Markup(f'<span class="ocop-stars{" ocop-stars--void" if void else ""}" role="img" aria-label="'
                      f'{escape(self.t["stars_aria"].format(n=n))}">{escape("★" * n)}</span>')

    def status_badge(self, status: str) -> Markup:
        return Markup(f'<span class="ocop-badge ocop-badge--{escape(status)}">{escape(self.t["status"][status])}</span>')

    # A product card (pages._Templates.product_card) in a list of cards: home, listings, record pages,
    # statistics (~8 a product; the hottest macro before it moved here, issue #27). Its photo is one
    # 480-pixel rendition (a card is at most 240 CSS pixels wide) and decoration (empty alt): the
    # name link says what it shows.
    def card(self, c: dict, show_image: bool = True) -> Markup:
        img = c["image"] if show_image else None
        key = (c["status"], c["potential_five_star"], c["name"], c["producer"], c["province"], c["stars"],
               (img.src, img.width, img.height) if img else None)
        parts = self._cards.get(key)
        if parts is None:  # the card's text, escaped once per builder; only its two links depend on the page
            parts = self._cards[key] = _card_parts(c, img, self.stars(c["stars"]), self.status_badge(c["status"]),
                                                   self._potential)
        first, middle, rest = parts
        if middle is None:
            return Markup(f"{first}{escape(self.link(c['url']))}{rest}")
        return Markup(f"{first}{escape(self.link(img.src))}{middle}{escape(self.link(c['url']))}{rest}")  # type: ignore[union-attr]

    def cards(self, cards: list) -> Markup:
        return Markup('<ul class="ocop-cards">\n' + "".join(f"  {self.card(c)}\n" for c in cards) + "</ul>")

    def decision(self, dec: dict) -> Markup:
        text = escape(self.t["product"]["decision_text"].format(number=dec["number"], date=self.vn_date(dec["date"])))
        if "url" in dec:
            return Markup(f'{text} (<a href="{escape(dec["url"])}" rel="noopener noreferrer">'
                          f'{self._words["decision_document"]}</a>)')
        return text

    def cert_block(self, d: dict, cert: dict, sv: StatusView, lot: dict | None = None, label_page: bool = False,
                   inline_status: bool = False) -> Markup:
        """The certificate block with its status check (catalog/site/status.py): the script stands
        before the block and only marks <html>; each sentence carries the states it is true in
        (data-c, data-l, data-a, data-g; "0" = no script). The script is inline on the pages a label leads
        to (no second request), from the site elsewhere (cached); score and criteria are for the
        product page, not the shopper's scan (``label_page``). With two certificates (an earlier one
        running until a re-recognition takes effect) the stars line and the facts are written for
        each (:func:`_earlier_parts`)."""
        t, w = self.t, self._words
        out = ["<script"]
        if not inline_status:
            out.append(f' src="{escape(self.link("assets/ocop-status.js"))}"')
        out.extend(f' {escape(name)}="{escape(value)}"' for name, value in sv.script_attrs.items())
        out.append(">")
        if inline_status:
            out.append(escape(self.status_script))
        out.append(f'</script>\n<section class="ocop-cert ocop-cert--{escape(sv.build)}" aria-labelledby="ocop-cert-title">\n'
                   f'  <h2 id="ocop-cert-title">{w["certificate"]}</h2>\n  <p class="ocop-cert__status">')
        out.extend(f'<span{v.attrs()}>{self.status_badge(v.status)} {escape(v.text)}</span>' for v in sv.lines)
        out.append(f'<span data-c="0"> {escape(sv.as_of_note)}</span></p>\n')
        out.append(_leads(self, d, cert, sv))
        out.extend(f'  <p class="ocop-cert__notice" data-c="{escape(v.when)}">{escape(v.text)}</p>\n' for v in sv.notices)
        if sv.next_cert is not None:
            out.append(f'  <p class="ocop-cert__next"{sv.next_cert.attrs()}>{escape(sv.next_cert.text)}</p>\n')
        out.extend(f'  <p class="ocop-cert__lot ocop-cert__lot--{escape(v.status)}" data-l="{escape(v.when)}">'
                   f'{escape(v.text)}</p>\n' for v in sv.lot_lines)
        current = f' data-g="{escape(sv.shows("n"))}"' if sv.earlier is not None else ""
        earlier_stars, earlier_facts = _earlier_parts(self, d, sv, label_page)
        out.append(f'{earlier_stars}  <p class="ocop-cert__stars"{current}>')
        gold, grey, over, standing = sv.gold, sv.grey, sv.over, sv.standing
        if gold:
            out.append(f'<span data-c="{escape(gold)}">{self.stars(cert["stars"])}</span>')
        if grey:
            out.append(f'<span data-c="{escape(grey)}">{self.stars(cert["stars"], void=True)}</span>')
        out.append(f' <strong>{escape(t["stars_grade"].format(n=cert["stars"]))}</strong>')
        if over:
            out.append(f'<span data-c="{escape(over)}"> {escape(t["stars_void"])}</span>')
        out.append("</p>\n")
        if self.potential_five_star(cert):
            out.append(f'<p class="ocop-cert__potential"{current}><strong>{escape(t["potential_five_star"])}</strong>: '
                       f'{escape(t["potential_five_star_note"])}</p>')
        unknown, stale, howto = self._age
        href = HOWTO if label_page else self.link(self.scan_url(d)) + HOWTO
        out.append(f'  <p class="ocop-cert__data">{escape(t["data_age"]["published"].format(date=self.vn_date(self.as_of)))}'
                   f' <span data-a="0">{unknown}</span><span data-a="stale">{stale}</span><span data-a="0 stale"> '
                   f'<a href="{escape(href)}">{howto}</a>.</span></p>\n{earlier_facts}  <dl class="ocop-facts"{current}>\n'
                   f'    <dt>{w["certificate_number"]}</dt><dd>{escape(cert["number"])}</dd>\n    <dt>')
        if standing:
            out.append(f'<span data-c="{escape(standing)}">{w["valid_until"]}</span>')
        if over:
            out.append(f'<span data-c="{escape(over)}">{w["valid_until_over"]}</span>')
        out.append("</dt>\n    <dd>")
        until = f'<time datetime="{escape(cert["valid_until"])}">{escape(self.vn_date(cert["valid_until"]))}</time>'
        if standing:
            out.append(f'<span data-c="{escape(standing)}">{until}</span>')
        if over:
            out.append(f'<s data-c="{escape(over)}">{until}</s>')
        out.append(f'</dd>\n{_decided_by(self, d, cert, label_page)}')
        if "revocation" in cert:
            revocation = cert["revocation"]
            out.append(f'    <dt>{w["revocation"]}</dt><dd>{self.decision(revocation["decision"])}</dd>\n')
            if "deciding_body" in revocation:  # who revoked it, as the shopper asks of any decision (and who holds it now)
                revoker = self.body_text(revocation["deciding_body"]["name"], self.as_of, d["certified_address"]["province"])
                out.append(f'    <dt>{w["revoking_body"]}</dt><dd>{escape(revoker)}</dd>\n')
            out.append(f'    <dt>{w["revocation_reason"]}</dt><dd>{escape(revocation["reason"])}</dd>\n')
        if "status_reason" in d:
            out.append(f'<dt>{w["withdrawn_reason"]}</dt><dd>{escape(d["status_reason"])}</dd>')
        out.append("  </dl>\n</section>")
        return Markup("".join(out))


def _leads(frag: Fragments, d: dict, cert: dict, sv: StatusView) -> str:
    """A revocation's decision and reason, a withdrawal's reason: right under the status."""
    out = []
    if "revocation" in cert and sv.when("revoked"):
        decided = cert["revocation"]["decision"]
        out.append(f'  <p class="ocop-cert__lead" data-c="{escape(sv.when("revoked"))}"><strong>'
                   f'{escape(frag.t["revocation_lead"].format(number=decided["number"], date=frag.vn_date(decided["date"])))}'
                   '</strong>')
        if "url" in decided:
            out.append(f' (<a href="{escape(decided["url"])}" rel="noopener noreferrer">{frag._words["decision_document"]}</a>)')
        out.append(f': {escape(cert["revocation"]["reason"])}</p>\n')
    if "status_reason" in d and sv.when("withdrawn"):
        out.append(f'  <p class="ocop-cert__lead" data-c="{escape(sv.when("withdrawn"))}"><strong>'
                   f'{escape(frag.t["withdrawal_lead"])}:</strong> {escape(d["status_reason"])}</p>\n')
    return "".join(out)


def _decided_by(frag: Fragments, d: dict, cert: dict, label_page: bool) -> str:
    """The facts rows of a certificate's decision and deciding body (score and criteria on the
    product page); ``cert`` may be an earlier one (model.earlier_certificate), its body unrecorded."""
    w = frag._words
    out = [f'    <dt>{w["decision"]}</dt><dd>{frag.decision(cert["decision"])}</dd>\n']
    if "deciding_body" in cert:
        body = frag.body_text(cert["deciding_body"]["name"], frag.as_of, d["certified_address"]["province"])
        out.append(f'    <dt>{w["deciding_body"]}</dt><dd>{escape(body)}</dd>\n')
    if not label_page:
        if "score" in cert:
            out.append(f'<dt>{w["score"]}</dt><dd>{escape(frag.vn_number(cert["score"]))}/100</dd>')
        basis = cert.get("legal_basis") or d["classification"]["legal_basis"]  # an earlier rating's own
        out.append(f'    <dt>{w["legal_basis"]}</dt><dd>{escape(frag.legal_basis_title(basis))}</dd>\n')
    return "".join(out)


def _earlier_parts(frag: Fragments, d: dict, sv: StatusView, label_page: bool) -> tuple[str, str]:
    """The stars line and the facts of the earlier certificate while it runs (``sv.earlier``; two
    empty strings without one): it shows only while valid (or about to lapse), so its stars are
    gold and its valid-until stands."""
    e = sv.earlier
    if e is None:
        return "", ""
    shown = escape(sv.shows("e"))
    w, t = frag._words, frag.t
    stars = (f'  <p class="ocop-cert__stars" data-g="{shown}">{frag.stars(e["stars"])} '
             f'<strong>{escape(t["stars_grade"].format(n=e["stars"]))}</strong></p>\n')
    number = escape(e["number"]) if e["number"] else escape(t["product"]["number_unrecorded"])
    facts = (f'  <dl class="ocop-facts" data-g="{shown}">\n    <dt>{w["certificate_number"]}</dt><dd>{number}</dd>\n'
             f'    <dt>{w["valid_until"]}</dt>\n    <dd><time datetime="{escape(e["valid_until"])}">'
             f'{escape(frag.vn_date(e["valid_until"]))}</time></dd>\n{_decided_by(frag, d, e, label_page)}  </dl>\n')
    return stars, facts
