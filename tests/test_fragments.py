"""The fragments written in Python for speed (catalog/site/status.py Fragments, issue #27) give exactly the
markup of the Jinja macros they replaced (kept in tests/fixtures/macros_before_fragments.html):
every product of a synthetic catalogue (tools/make_national_dataset.py: valid, expiring, expired,
revoked and withdrawn products, lots, earlier ratings), in both languages, on a product page and
on the pages a label leads to (with and without a lot, the status check inline or linked), once
as generated and once with every text the block shows replaced by markup-like payloads."""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from catalog.checks.validate import check
from catalog.site import status
from catalog.site.pages import PageBuilder

from .conftest import FIXTURES

REPO = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 23)
PAYLOADS = ['<script>alert(1)</script>', '" onmouseover="x', "Tom & Jerry's <b>", "{{ 7*7 }} {% raw %}"]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    data = tmp_path_factory.mktemp("fragments") / "data"
    subprocess.run([sys.executable, str(REPO / "tools/make_national_dataset.py"), str(data), "--products", "150"],
                   check=True, capture_output=True)
    result = check(data, AS_OF)
    assert result.catalogue is not None
    return result.catalogue


def _reference(builder: PageBuilder) -> jinja2.Template:
    """The replaced macros, in the builder's own environment without the Python fragments."""
    env = builder.env.overlay()
    env.globals = {k: v for k, v in builder.env.globals.items() if k not in builder.fragments.globals()}
    return env.from_string((FIXTURES / "macros_before_fragments.html").read_text(encoding="utf-8"))


def _poisoned(data: dict, n: int) -> dict:
    """The record with the texts the certificate block writes replaced by payloads."""
    d = copy.deepcopy(data)
    payload = PAYLOADS[n % len(PAYLOADS)]
    cert = d["certificate"]
    cert["number"] = payload
    cert["decision"]["number"] = payload
    cert["decision"]["url"] = "https://example.vn/?a=1&b=" + payload
    cert["deciding_body"]["name"] = payload
    if "revocation" in cert:
        cert["revocation"]["reason"] = payload
        cert["revocation"]["decision"]["number"] = payload
    if "status_reason" in d:
        d["status_reason"] = payload
    return d


@pytest.mark.parametrize("lang,prefix", [("vi", ""), ("en", "en/")])
def test_fragments_write_what_the_macros_wrote(catalogue, lang, prefix):
    builder = PageBuilder(catalogue, {}, lang=lang, prefix=prefix, twins=True)
    module = _reference(builder).module
    states, compared = set(), 0
    for n, p in enumerate(catalogue.products.values()):
        for d in (p.data, _poisoned(p.data, n)):
            lots: list = [None] + list(d.get("lots", []))[:2]
            for lot, day in [(lot, catalogue.as_of) for lot in lots] + [(None, catalogue.as_of + dt.timedelta(days=1500))]:
                sv = status.view(d, day, builder.t, lot)  # and years later: expired
                states.add(sv.build)
                for label_page, inline in ((False, False), (True, True), (True, False)):
                    builder._link_here = builder.link_from("san-pham/x/" if not label_page else "p/x/")
                    expected = str(module.cert_block(d, d["certificate"], sv, lot, label_page, inline))
                    assert str(builder.fragments.cert_block(d, d["certificate"], sv, lot, label_page, inline)) == expected
                    compared += 1
            for e in d.get("earlier_ratings", []):
                assert str(builder.fragments.decision(e["decision"])) == str(module.decision(e["decision"]))
        assert str(builder.fragments.stars(p.stars)) == str(module.stars(p.stars))
        assert str(builder.fragments.stars(p.stars, void=True)) == str(module.stars(p.stars, void=True))
        assert str(builder.fragments.status_badge(p.status.value)) == str(module.status_badge(p.status.value))
    assert compared > 900
    assert {"valid", "expiring", "expired", "revoked"} <= states


def _card_images() -> list:
    """Photos as the image pipeline describes them (catalog/records/images.py), with names a real
    province folder and product file might have, and one with markup-like characters."""
    from catalog.records.images import SiteImage

    return [None] + [SiteImage(f"assets/img/{folder}/{stem}-480.jpg", 480, height,
                               [(f"assets/img/{folder}/{stem}-{w}.jpg", w) for w in (480, 960)])
                     for folder, stem, height in (("ha-giang", "mat-ong-bac-ha", 360), ("lai-chau", "che-san-tuyet", 640),
                                                  ("ha-noi", 'a&b "c" <d>', 480))]


@pytest.mark.parametrize("lang,prefix", [("vi", ""), ("en", "en/")])
def test_cards_write_what_the_macros_wrote(catalogue, lang, prefix):
    """The product cards (status.Fragments card/cards) against the replaced macros: every product's
    card, with each kind of photo, on pages at different depths, the text fields as generated and as
    markup-like payloads, a card drawn twice (its text is kept between calls) and lists of cards."""
    builder = PageBuilder(catalogue, {}, lang=lang, prefix=prefix, twins=True)
    module = _reference(builder).module
    images = _card_images()
    cards = []
    for n, p in enumerate(catalogue.products.values()):
        card = builder.product_card(p)
        card["image"] = images[n % len(images)]
        if n % 3 == 0:
            payload = PAYLOADS[n % len(PAYLOADS)]
            card = {**card, "name": payload + card["name"], "producer": payload, "province": payload}
        if n % 5 == 0:
            card = {**card, "potential_five_star": not card["potential_five_star"]}
        cards.append(card)
    states = sorted(builder.t["status"])  # every state a card can show, also those this catalogue has none of
    cards += [{**cards[i], "status": state} for i, state in enumerate(states)]
    assert {c["status"] for c in cards} >= {"valid", "expiring", "expired", "revoked", "withdrawn"}
    assert any(c["potential_five_star"] for c in cards) and not all(c["potential_five_star"] for c in cards)
    compared = 0
    for here in ("", "san-pham/x/", "tinh/ha-giang/trang-2/", "chu-the/y/"):
        builder._link_here = builder.link_from(here)
        for c in cards:
            for show_image in (True, False):
                assert str(builder.fragments.card(c, show_image)) == str(module.card(c, show_image))
                compared += 1
        for size in (0, 1, 7):
            assert str(builder.fragments.cards(cards[:size])) == str(module.cards(cards[:size]))
    assert compared > 1000


class _Greeter:
    """Callables of every kind a template may call."""

    @jinja2.pass_context
    def with_context(self, context, name):
        return f"{context['who']}:{name}"

    def plain(self, name):
        return f"plain:{name}"

    @jinja2.pass_context
    def __call__(self, context, name):
        return f"call:{context['who']}:{name}"


def test_calls_from_templates_pass_what_jinja_passes(catalogue):
    """pages._Context.call calls a plain callable directly and leaves the others to Jinja: a function,
    method or callable object asking for the context, the evaluation context or the environment still
    gets it, a StopIteration still becomes undefined, and macros, partials and built-ins still work."""
    from functools import partial

    builder = PageBuilder(catalogue, {}, lang="vi", twins=True)
    greeter = _Greeter()

    def stops():
        raise StopIteration

    env = builder.env.overlay()
    env.globals.update(
        ctx_fn=jinja2.pass_context(lambda context, x: f"{context['who']}-{x}"),
        env_fn=jinja2.pass_environment(lambda e, x: f"{e is env}-{x}"),
        eval_fn=jinja2.pass_eval_context(lambda e, x: f"{e.autoescape}-{x}"),
        method_ctx=greeter.with_context, method=greeter.plain, obj=greeter,
        part=partial(lambda a, b: f"{a}+{b}", "p"), builtin=len, stops=stops)
    text = env.from_string(
        "{% macro m(x) %}[{{ x }}]{% endmacro %}"
        "{{ ctx_fn(1) }} {{ env_fn(2) }} {{ eval_fn(3) }} {{ method_ctx('a') }} {{ method('b') }} {{ obj('c') }} "
        "{{ part('q') }} {{ builtin('four') }} {{ m('<&>') }} {{ stops() is undefined }} "
        "{% for i in [1] %}{{ ctx_fn(i) }}{% endfor %}").render(who="W")
    assert text == "W-1 True-2 True-3 W:a plain:b call:W:c p+q 4 [&lt;&amp;&gt;] True W-1"
