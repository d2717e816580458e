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
