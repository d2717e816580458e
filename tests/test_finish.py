"""A stamped page finished the quick way (catalog/site/build.py ``Shell.finished``: the frame compacted,
stripped of Material's unused markup and hashed for the CSP once) is byte for byte the page
finished the plain way (``finish(shell.fill(page))``) — for frames shaped like Material's and for
pages whose values and bodies sit on every edge the quick way has to respect: whitespace and line
breaks at the edges of a value, an empty value or body, Material's unused markup or a CSP tag typed
into a title, inline scripts (known and unknown) and the map marker in the body."""

from __future__ import annotations

import itertools
import random
from types import SimpleNamespace
from typing import cast

from catalog.site import build
from catalog.site.csp import page_script
from catalog.site.maps import MAP_MARKER
from catalog.records.model import Catalogue
from catalog.site.page import Page

BASE = "https://ocop.example.vn"

EXEMPLAR = "san-pham/_ocopkhuon_product_2_1/"
SCOPE = '__md_scope=new URL("../..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),' \
        '__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=' \
        'localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'


def frame(indent: str, with_twins: bool) -> tuple[str, str]:
    """A head and tail like the ones MkDocs writes around an exemplar (Material's frame)."""
    i = indent
    head = (f'<!doctype html>\n<html lang="vi">\n{i}<head>\n{i}{i}<meta charset="utf-8">\n'
            f'{i}{i}<title>{build.TITLE_TOKEN} - Danh mục</title>\n'
            f'{i}{i}<meta name="description" content="{build.DESCRIPTION_TOKEN}">\n'
            f'{i}{i}<link rel="canonical" href="https://ocop.example.vn/{EXEMPLAR}">\n'
            + (f'{i}{i}{build.ALTERNATES_TOKEN}\n' if with_twins else '')
            + f'{i}{i}<script>{SCOPE}</script>\n{i}</head>\n{i}<body>\n'
            + "".join(f'{i}{u}' for u in build.MATERIAL_UNUSED[:4])
            + f'{i}<div data-md-component="announce"><p>Dữ liệu mẫu</p></div>\n'
            + (f'{i}<header>{build.SWITCH_TOKEN}</header>\n' if with_twins else '')
            + f'{i}<div data-md-component="container">\n{i}{i}<article>\n{i}{i}{i}')
    tail = (f'\n{i}{i}</article>\n{i}</div>\n{i}{build.MATERIAL_UNUSED[4]}'
            f'{i}<footer><a href="../../{EXEMPLAR}">{build.TITLE_TOKEN}</a></footer>\n</body>\n</html>\n')
    return head, tail


TITLES = ["Chè Shan tuyết", " Chè ", "Chè\n  Shan", "Chè\tShan", "", "a data-md-component=\"announce\"",
          'x http-equiv="Content-Security-Policy"', "<b>&amp;</b>", "Trà OCOPKHUONDESCRIPTION", "md-overlay"]
BODIES = ["<h1>Chè</h1>\n  <p>x</p>", "", "   ", "<p>a</p>\n\n    \t<p>b</p>",
          f"<p>x</p><script>{page_script('ocop-status')}</script>", "<script>alert(1)</script><p>y</p>",
          f'{MAP_MARKER}{{"a": 1}}</script>\n  <p>map</p>', '<p data-md-component="skip">z</p>',
          "<p>\n</p>\n"]


def test_the_quick_way_finishes_like_the_plain_way():
    rng = random.Random(27)
    compared = 0
    for indent, twins, origins in itertools.product(("  ", "    ", "\t"), (False, True), ((), ("https://tile.example",))):
        head, tail = frame(indent, twins)
        # the twin links read only the base URL of the catalogue
        shell = build.Shell(head, tail, EXEMPLAR, cast(Catalogue, SimpleNamespace(config={"base_url": BASE})) if twins else None)
        finish = build.finisher(False, origins)
        for title, body in itertools.product(TITLES, BODIES):
            description = rng.choice(["", "Mô tả ngắn", " mô tả\n", "OCOPKHUONTITLE"])
            page = Page("san-pham/x.md", "san-pham/che-shan/", "product.html", title, body, description)
            assert shell.finished(page, finish) == finish(shell.fill(page)), (title, body, description)
            compared += 1
    assert compared == 3 * 2 * 2 * len(TITLES) * len(BODIES)


def test_offline_pages_take_the_plain_way():
    head, tail = frame("  ", False)
    shell = build.Shell(head, tail, EXEMPLAR)
    page = Page("san-pham/x.md", "san-pham/che-shan/", "product.html", "Chè", "<p>x</p>", "")
    finish = build.finisher(True)
    assert shell.finished(page, finish) == finish(shell.fill(page))
