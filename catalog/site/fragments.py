"""The hottest shared fragments of the page templates, in Python (issue #27): the certificate block
with its status check, the stars, the status badge and a decision. Every product page and every
page a label leads to carries a certificate block — 12,600 of them at 3,000 products, both
languages — and as a Jinja macro it cost about as much as the rest of the page (each ``t.x.y``
lookup, each nested macro call and each escape goes through Jinja's runtime). Here each is one
function returning :class:`~markupsafe.Markup`, every value from data escaped once with
:func:`markupsafe.escape`, exactly as the autoescaping template wrote it: the output is byte for
byte the same (tests/test_fragments.py renders them against the Jinja macros they replaced, kept
there as the reference; tests/test_stamp.py and tests/test_xss.py go through them on every page).

The page templates call them like the macros they were (``{{ cert_block(d, cert, sv) }}``): they
are globals of the page builder's environment (catalog/site/pages.py), made per builder (its
language's strings, its link function, its filters). Markup stays in the templates for
everything else; change one of these as you would the template, and the reference test tells you
where the two differ.
"""

from __future__ import annotations

from typing import Any, Callable

from markupsafe import Markup, escape

from .status import StatusView

HOWTO = "#ocop-howto-title"


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
            "score", "legal_basis", "revocation", "revocation_reason", "withdrawn_reason", "decision_document")}
        self._age = (escape(t["data_age"]["unknown"]), escape(t["data_age"]["stale"]), escape(t["data_age"]["howto"]))

    def globals(self) -> dict[str, Callable[..., Markup]]:
        return {"cert_block": self.cert_block, "stars": self.stars, "status_badge": self.status_badge,
                "decision": self.decision}

    # a certification grade, not a review: only the stars earned are drawn
    def stars(self, n: int, void: bool = False) -> Markup:
        return Markup(f'<span class="ocop-stars{" ocop-stars--void" if void else ""}" role="img" aria-label="'
                      f'{escape(self.t["stars_aria"].format(n=n))}">{escape("★" * n)}</span>')

    def status_badge(self, status: str) -> Markup:
        return Markup(f'<span class="ocop-badge ocop-badge--{escape(status)}">{escape(self.t["status"][status])}</span>')

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
        (data-c, data-l, data-a; "0" = no script). The script is inline on the pages a label leads
        to (no second request), from the site elsewhere (cached); score and criteria are for the
        product page, not the shopper's scan (``label_page``)."""
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
        out.extend(f'<span data-c="{escape(v.when)}">{self.status_badge(v.status)} {escape(v.text)}</span>' for v in sv.lines)
        out.append(f'<span data-c="0"> {escape(sv.as_of_note)}</span></p>\n')
        if "revocation" in cert and sv.when("revoked"):
            decided = cert["revocation"]["decision"]
            out.append(f'  <p class="ocop-cert__lead" data-c="{escape(sv.when("revoked"))}"><strong>'
                       f'{escape(t["revocation_lead"].format(number=decided["number"], date=self.vn_date(decided["date"])))}'
                       '</strong>')
            if "url" in decided:
                out.append(f' (<a href="{escape(decided["url"])}" rel="noopener noreferrer">{w["decision_document"]}</a>)')
            out.append(f': {escape(cert["revocation"]["reason"])}</p>\n')
        if "status_reason" in d and sv.when("withdrawn"):
            out.append(f'  <p class="ocop-cert__lead" data-c="{escape(sv.when("withdrawn"))}"><strong>'
                       f'{escape(t["withdrawal_lead"])}:</strong> {escape(d["status_reason"])}</p>\n')
        out.extend(f'  <p class="ocop-cert__notice" data-c="{escape(v.when)}">{escape(v.text)}</p>\n' for v in sv.notices)
        out.extend(f'  <p class="ocop-cert__lot ocop-cert__lot--{escape(v.status)}" data-l="{escape(v.when)}">'
                   f'{escape(v.text)}</p>\n' for v in sv.lot_lines)
        out.append('  <p class="ocop-cert__stars">')
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
            out.append(f'<p class="ocop-cert__potential"><strong>{escape(t["potential_five_star"])}</strong>: '
                       f'{escape(t["potential_five_star_note"])}</p>')
        unknown, stale, howto = self._age
        href = HOWTO if label_page else self.link(self.scan_url(d)) + HOWTO
        out.append(f'  <p class="ocop-cert__data">{escape(t["data_age"]["published"].format(date=self.vn_date(self.as_of)))}'
                   f' <span data-a="0">{unknown}</span><span data-a="stale">{stale}</span><span data-a="0 stale"> '
                   f'<a href="{escape(href)}">{howto}</a>.</span></p>\n  <dl class="ocop-facts">\n'
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
        body = self.body_text(cert["deciding_body"]["name"], self.as_of, d["certified_address"]["province"])
        out.append(f'</dd>\n    <dt>{w["decision"]}</dt><dd>{self.decision(cert["decision"])}</dd>\n'
                   f'    <dt>{w["deciding_body"]}</dt><dd>{escape(body)}</dd>\n')
        if not label_page:
            if "score" in cert:
                out.append(f'<dt>{w["score"]}</dt><dd>{escape(self.vn_number(cert["score"]))}/100</dd>')
            out.append(f'    <dt>{w["legal_basis"]}</dt><dd>'
                       f'{escape(self.legal_basis_title(d["classification"]["legal_basis"]))}</dd>\n')
        if "revocation" in cert:
            revocation = cert["revocation"]
            out.append(f'    <dt>{w["revocation"]}</dt><dd>{self.decision(revocation["decision"])}</dd>\n'
                       f'    <dt>{w["revocation_reason"]}</dt><dd>{escape(revocation["reason"])}</dd>\n')
        if "status_reason" in d:
            out.append(f'<dt>{w["withdrawn_reason"]}</dt><dd>{escape(d["status_reason"])}</dd>')
        out.append("  </dl>\n</section>")
        return Markup("".join(out))
