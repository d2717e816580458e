"""The Vietnamese sort key's fast path (one precomposed character at a time, issue #27) gives the
same units as the reference path over the decomposed text, for every kind of text a record has:
precomposed and decomposed Vietnamese, stacked marks, marks with nothing to sit on, other scripts."""

from __future__ import annotations

import random
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
    for text in texts:
        assert collation._text_units(text) == collation._units(text), repr(text)


def _reference_key(text: str) -> tuple:
    units = collation._units(" ".join(text.split()))
    return (tuple(collation._primary(u) for u, _, _ in units), tuple(t for _, t, _ in units),
            tuple(up for _, _, up in units), text)


def test_sort_order_unchanged():
    texts = _words(random.Random(7), 3000) + ["Cao Bằng", "Cần Thơ", "Điện Biên", "Đà Nẵng", "Bắc Kạn", "Bạc Liêu"]
    assert [collation.sort_key(t) for t in texts] == [_reference_key(t) for t in texts]
    assert sorted(texts, key=collation.sort_key) == sorted(texts, key=_reference_key)
