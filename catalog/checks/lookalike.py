"""Names that imitate what the catalogue computes: a status or a star rating written into a name.

A product page shows the certificate's stars and status next to the name, computed from the
decision and today's date. A 3-star product named "Chè Shan tuyết ★★★★★ — Còn hiệu lực ✔" would
show both, and a buyer reads the one in the name. Such text is a warning (``status-lookalike``):
it can be legitimate ("Rượu Năm Sao" is a brand), so it does not stop the build, but the officer
is told on the line.

The words are matched on the text as typed (NFC), not folded: "sao" without a tone mark means
"star", while "sáo" (a bamboo flute — a real OCOP handicraft) must not match.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from ..records.problems import Problem
from ..records.schemas import title_for

# Fields of every record kind holding a name, as shown next to the computed status.
NAME_FIELDS = ("name", "name_en")

# Each is matched as a whole word: not inside a longer word, nor inside a hyphenated code
# ("deciding-level-5-stars-province" is an id, not a claim).
_EDGE_L, _EDGE_R = r"(?<![\w-])", r"(?![\w-])"
_LOOKALIKES = [
    # star signs and check marks
    re.compile(r"[\u2605\u2606\u2729-\u2730\u2b50\u2b51\U0001f31f\u2713\u2714\u2611\u2705\u2715\u2716\u2717\u2718\u274c]"),
    # "5 sao", "năm sao", "5-star", "5 stars", "5*"
    re.compile(_EDGE_L + r"([1-5]|một|hai|ba|bốn|năm)[\s-]*(sao|stars?)" + _EDGE_R, re.I),
    re.compile(r"(?<![\w*])[1-5]\s*\*(?![\w*])"),
    # the status words the site shows (catalog/data/ui.vi.yaml)
    re.compile(_EDGE_L + r"(còn hiệu lực|hết hiệu lực|hết hạn|sắp hết hạn|đã thu hồi|bị thu hồi|chưa có hiệu lực|"
               r"rút khỏi danh mục|đã được công nhận|được chứng nhận)" + _EDGE_R, re.I),
]


def found_in(text: str) -> list[str]:
    """The pieces of ``text`` that imitate a status or a rating, in order."""
    hits: list[tuple[int, str]] = []
    for pattern in _LOOKALIKES:
        hits += [(m.start(), m.group()) for m in pattern.finditer(text)]
    return [piece for _, piece in sorted(hits)]


def check(checked: Iterable[Any]) -> Iterator[Problem]:
    """``status-lookalike`` warnings for the names of every readable record (catalog/checks/validate.py)."""
    for item in checked:
        data = item.data
        if not isinstance(data, dict):
            continue
        for key in NAME_FIELDS:
            value = data.get(key)
            if not isinstance(value, str):
                continue
            pieces = found_in(value)
            if pieces:
                title = title_for(f"{item.kind}.schema.json", (key,)) or key
                yield item.problem("status-lookalike", (key,), value, title=title,
                                   found=", ".join(f"'{p}'" for p in dict.fromkeys(pieces)))
