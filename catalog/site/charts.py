"""Charts for the statistics pages: static SVG bar charts drawn at build time.

One job: numbers → an SVG an autoescaping template writes (``site_templates/pages/_chart.svg.html``:
named ``.html`` so that MkDocs, which copies every other file of the theme folder into the site,
does not publish it — issue #22).
No script, no external file, no font of its own (the page's), deterministic bytes (coordinates
rounded to 0.1), a ``<title>`` and a ``<desc>`` holding every value (the chart is ``role="img"``;
the same numbers are in the table beside it), colours from ``ocop.css`` with presentation
attributes as fallback, dark bars on white that print.

Decision — our own template rather than a chart package (measured 2026-12, same bar chart of six
Vietnamese labels at 360 px):

=============  =========  ========  ==============  ==========================================
               per chart  bytes     same bytes?     accessible / safe
=============  =========  ========  ==============  ==========================================
pygal 3.1.3    11.6 ms    17.9 KB   no (uuid ids,   <title>/<desc> yes; an inline <script>
                                    a dated          (our CSP would have to allow it by hash)
                                    comment)         and a <style> block per chart
leather 0.4.1  1.1 ms     3.5 KB    yes             no <title>/<desc>; labels at a fixed
                                                     offset: a long group name leaves 76 px of
                                                     the 360 for the bars; 28-digit decimals
this module    0.1 ms     ~2 KB     yes             <title>/<desc>, labels wrapped above their
                                                     bar, values printed on the bars
=============  =========  ========  ==============  ==========================================

Horizontal bars because the labels are long Vietnamese names (a group, a province, a commune):
each label gets its own line(s) above its bar, so nothing is cut at 360 px.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Sequence

import jinja2
from markupsafe import Markup

from .page import site_templates_dir

WIDTH = 320  # viewBox units: about one CSS pixel on a 360-px phone (the figure is 100 % wide)
FONT = 15
CHAR = 8.0  # average advance of a character at FONT (Be Vietnam Pro, Vietnamese text), for wrapping
VALUE_ROOM = 52  # room right of the longest bar for its value
BAR = 18
GAP = 2
LINE = 18
SERIES_FILLS = ("#1b5e20", "#8d5d00")


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(site_templates_dir() / "pages")),
                              autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def number(value: int | float) -> str:
    """Vietnamese digit grouping: 14.642; one decimal with a comma: 45,3."""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _fmt(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def wrap(text: str, width: float = WIDTH) -> list[str]:
    """Split a label into lines that fit ``width`` (by words; a word longer than a line stays whole)."""
    limit = max(8, int(width / CHAR))
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) > limit and current:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines


def bar_chart(chart_id: str, title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | float]]]) -> Markup:
    """A horizontal bar chart: one group of bars per label, one bar per series."""
    highest = max((v for _, values in series for v in values), default=0)
    plot = WIDTH - VALUE_ROOM
    scale = plot / highest if highest else 0.0
    y = 0.0
    legend = []
    if len(series) > 1:
        x = 0.0
        for i, (name, _) in enumerate(series):
            advance = 18 + len(name) * CHAR + 14
            if x and x + advance > WIDTH:
                x, y = 0.0, y + LINE + 4
            legend.append({"x": _fmt(x), "y": _fmt(y + 1), "text_x": _fmt(x + 18), "text_y": _fmt(y + 12),
                           "name": name, "fill": SERIES_FILLS[i % len(SERIES_FILLS)], "n": i})
            x += advance
        y += LINE + 10
    rows: list[dict[str, Any]] = []
    for k, label in enumerate(labels):
        lines = []
        for text in wrap(str(label)):
            y += LINE
            lines.append({"y": _fmt(y - 4), "text": text})
        y += 2
        bars = []
        for i, (name, values) in enumerate(series):
            value = values[k]
            width = round(value * scale, 1)
            inside = width > plot * 0.85
            bars.append({
                "y": _fmt(y), "width": _fmt(width), "value": value, "label": number(value), "name": name, "n": i,
                "fill": SERIES_FILLS[i % len(SERIES_FILLS)],
                "text_x": _fmt(width - 4 if inside else width + 4), "text_y": _fmt(y + BAR - 4),
                "anchor": "end" if inside else "start", "inside": inside,
            })
            y += BAR + GAP
        y += 8
        rows.append({"lines": lines, "bars": bars, "label": str(label)})
    if len(series) > 1:
        desc = "; ".join(f"{row['label']}: " + ", ".join(f"{b['name']} {b['label']}" for b in row["bars"]) for row in rows)
    else:
        desc = "; ".join(f"{row['label']}: {row['bars'][0]['label']}" for row in rows)
    return Markup(_env().get_template("_chart.svg.html").render(
        id=chart_id, title=title, desc=desc + ".", width=WIDTH, height=_fmt(max(y, LINE)), rows=rows, legend=legend,
        bar=BAR, font=FONT).strip())
