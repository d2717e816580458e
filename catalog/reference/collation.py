"""Vietnamese alphabetical order, for every listing and facet a reader sees sorted.

Python's ``sorted`` compares code points, which puts "Đ" (U+0110) after "Z" and "Cần Thơ" after
"Cao Bằng" only by accident; folding to ASCII ("Đ" → "d") puts "Điện Biên" among the D's and
"Cần Thơ" before "Cao Bằng". The Vietnamese alphabet has its own letters and order:

    a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y

and the tone marks only decide between words that are otherwise equal, in the order
no mark < huyền (à) < hỏi (ả) < ngã (ã) < sắc (á) < nặng (ạ) — the order of CLDR's Vietnamese
collation, which Chromium's ``Intl.Collator("vi")`` implements (tests/test_browser.py compares).
Letters are compared first across the whole text, then tones, then case (lower before upper);
spaces and punctuation come before digits, digits before letters. f, j, w, z (loan words) take
their Latin places.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: 200 + i for i, letter in enumerate(ALPHABET)}
# combining marks that make a letter of its own: breve (ă), circumflex (â ê ô), horn (ơ ư)
_LETTER_MARKS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
                 ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
# tones, in CLDR's order (0 = no mark)
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _units(text: str) -> list[tuple[str, int, bool]]:
    """(letter or character, tone, upper case) for each base character of ``text``."""
    out: list[tuple[str, int, bool]] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out:
            base, tone, upper = out[-1]
            if (base, ch) in _LETTER_MARKS:
                out[-1] = (_LETTER_MARKS[(base, ch)], tone, upper)
            elif ch in _TONES:
                out[-1] = (base, _TONES[ch], upper)
            continue
        lower = ch.lower()
        out.append((lower, 0, lower != ch))
    return out


def _primary(unit: str) -> int:
    if unit in _RANK:
        return _RANK[unit]
    if unit.isspace():
        return 1
    if unit.isdigit() and unit.isascii():
        return 100 + int(unit)
    if unit.isalnum():
        return 1000 + ord(unit)  # letters of other scripts: after Vietnamese, by code point
    return 2 + min(ord(unit), 90)  # punctuation: before digits


@lru_cache(maxsize=4096)
def _char_units(ch: str) -> tuple[tuple[str, int, bool], ...] | None:
    """_units of one precomposed character, or None when it cannot be taken on its own (a
    combining mark, or a character whose decomposition starts with one: it would change the
    letter before it)."""
    decomposed = unicodedata.normalize("NFD", ch)
    if unicodedata.combining(decomposed[0]):
        return None
    return tuple(_units(ch))


@lru_cache(maxsize=1 << 16)
def sort_key(text: str) -> tuple:
    """Key for ``sorted`` in Vietnamese order: letters, then tones, then case, then the text itself
    (so that different spellings never compare equal and the order is total and stable).

    Each of the first three parts is a string with one character per unit (code point = the
    letter's rank, the tone, or 1 for upper case): strings compare code point by code point, a
    prefix first — exactly as the tuples of numbers of :func:`reference_key` compare, so the order
    is the same (tests/test_collation.py). The strings are made by ``str.translate`` over tables of
    every character met so far (issue #27: 15,000 product names took 0.2 s at every build one unit
    at a time, ~0.05 s so). A character at a time is right: after NFC every mark that belongs to a
    letter sits inside that letter's character, and a character's decomposition only ever changes
    its own letter; a text with a mark left on its own (not composable) takes the reference path."""
    folded = unicodedata.normalize("NFC", " ".join(text.split()))
    new = set(folded).difference(_KNOWN)
    if new and not _learn(new):
        return _encoded(reference_key(text))
    primary, tones, case = (folded.translate(table) for table in _TABLES)
    return (primary, tones, case, text)


def reference_key(text: str) -> tuple:
    """:func:`sort_key` as tuples of numbers, one unit at a time (the definition it is tested against)."""
    units = _units(" ".join(text.split()))
    return (tuple(_primary(u) for u, _, _ in units), tuple(t for _, t, _ in units),
            tuple(up for _, _, up in units), text)


def _encoded(key: tuple) -> tuple:
    primary, tones, case, text = key
    return ("".join(map(chr, primary)), "".join(map(chr, tones)), "".join(chr(int(up)) for up in case), text)


# character → its units' primary ranks, tones and case as strings (see sort_key); grown as met
_TABLES: tuple[dict[int, str], dict[int, str], dict[int, str]] = ({}, {}, {})
_KNOWN: set[str] = set()


def _learn(chars: set[str]) -> bool:
    """Add ``chars`` to the tables; False when one of them cannot be taken on its own (_char_units)."""
    learnt = {}
    for ch in chars:
        units = _char_units(ch)
        if units is None:
            return False
        learnt[ch] = _encoded((tuple(_primary(u) for u, _, _ in units), tuple(t for _, t, _ in units),
                               tuple(up for _, _, up in units), ""))
    for ch, parts in learnt.items():
        for table, part in zip(_TABLES, parts[:3]):
            table[ord(ch)] = part
    _KNOWN.update(learnt)
    return True
