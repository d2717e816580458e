"""The Vietnamese sort key's fast path (one precomposed character at a time, issue #27) gives the
same units as the reference path over the decomposed text, for every kind of text a record has:
precomposed and decomposed Vietnamese, stacked marks, marks with nothing to sit on, other scripts."""

from __future__ import annotations

import random
import subprocess
import sys
import unicodedata

from catalog.reference import collation

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ"
MARKS = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
OTHER = ["0", "7", " ", "-", "(", ")", ",", "&", "'", "\u00a0", "ß", "Ω", "日", "한", "\u0308", "\u0301", "\u0344",
         "\u0345", "e\u0302\u0323", "ﬁ", "Å", "\u212b"]


def _words(rng: random.Random, n: int) -> list[str]:
    texts = []
    for _ in range(n):
        chars = []
        for _ in range(rng.randint(1, 14)):
            if rng.random() < 0.8:
                chars.append(unicodedata.normalize("NFC", rng.choice(VIETNAMESE) + rng.choice(MARKS)))
            else:
                chars.append(rng.choice(OTHER))
        text = "".join(chars)
        form = rng.choice(["NFC", "NFD", None])
        texts.append(unicodedata.normalize(form, text) if form else text)
    return texts


def test_fast_units_equal_the_reference_path():
    rng = random.Random(27)
    texts = _words(rng, 5000) + ["\u0301a", "a\u0301\u0323", "Đặc sản Hà Giang", "Mắm tôm Cát Hải", "\u0323"]
    for text in texts:  # what sort_key's tables rest on: one NFC character's units at a time
        parts = [collation._char_units(ch) for ch in unicodedata.normalize("NFC", text)]
        if all(part is not None for part in parts):
            assert [u for part in parts for u in part] == collation._units(text), repr(text)


def _reference_key(text: str) -> tuple:
    units = collation._units(" ".join(text.split()))
    return (tuple(collation._primary(u) for u, _, _ in units), tuple(t for _, t, _ in units),
            tuple(up for _, _, up in units), text)


def test_sort_order_unchanged():
    """The key's strings (one character per unit, translated from tables) order every pair of
    texts exactly as the reference tuples of numbers do — equal, before or after."""
    rng = random.Random(7)
    texts = _words(rng, 3000) + ["Cao Bằng", "Cần Thơ", "Điện Biên", "Đà Nẵng", "Bắc Kạn", "Bạc Liêu", "Cao Bằng",
                                 "Bắc kạn", "\u0301a", "a\u0301\u0323", "日本", "한국", "ﬁ"]
    ours = {t: collation.sort_key(t) for t in texts}
    refs = {t: _reference_key(t) for t in texts}
    for t in texts:
        primary, tones, case, text = ours[t]
        ref = refs[t]
        assert ([ord(c) for c in primary], [ord(c) for c in tones], [bool(ord(c)) for c in case], text) \
            == (list(ref[0]), list(ref[1]), list(ref[2]), ref[3]), repr(t)
    for _ in range(20000):
        a, b = rng.choice(texts), rng.choice(texts)
        assert (ours[a] < ours[b], ours[a] == ours[b]) == (refs[a] < refs[b], refs[a] == refs[b]), (a, b)
    assert sorted(texts, key=collation.sort_key) == sorted(texts, key=_reference_key)


def test_listing_rank_orders_every_subset_like_the_full_key(tmp_path):
    """Catalogue.listing_rank (issue #27: the listings sort by one precomputed rank) puts any
    subset of products — a province, a group, a star level — in the order of the full key."""
    from catalog.checks.validate import check

    from .conftest import AS_OF, REPO

    root = tmp_path / "d"
    subprocess.run([sys.executable, str(REPO / "tools/make_national_dataset.py"), str(root), "--products", "120"],
                   check=True, capture_output=True)
    cat = check(root, AS_OF).catalogue
    assert cat is not None
    products = list(cat.products.values())
    # names that differ only by tone, case or spacing, and equal names: the key's later parts decide
    for p, name in zip(products, ["Chè Tân", "chè tân", "Chè Tấn", "Chè  Tân", "Chè Tân", "Chè tần"]):
        p.data["name"] = name
    rank = cat.listing_rank()

    def full(p):
        return (not p.status.is_valid, -p.stars, collation.sort_key(p.name), p.id)

    rng = random.Random(3)
    for _ in range(50):
        subset = rng.sample(products, rng.randint(0, len(products)))
        assert sorted(subset, key=lambda p: rank[p.id]) == sorted(subset, key=full)
