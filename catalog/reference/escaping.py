"""Text from the records made safe for each place it is shown outside HTML (HTML and XML have
their own escaping: autoescaping templates, ``html.escape``, ``xml.sax.saxutils.escape``).

* :func:`visible` — for a terminal or a log: control, zero-width and bidirectional characters
  are written as ``\\u202e`` so that a value can neither move the cursor (a CR overwrites the line
  ``ocop diff`` or ``ocop validate`` just printed) nor reorder what follows it on screen.
* :func:`markdown_code` — a name shown as code in that Markdown (annexes, files), exactly as typed.
* :func:`markdown_inline` — for Markdown that GitHub renders (the pull-request job summary):
  every character Markdown or the HTML it allows could read as markup is escaped, so a product
  name can neither become a link, a heading or a table, nor open an HTML comment that would hide
  the lines after it (and with them a real change).
* :func:`csv_cell` — for a CSV (or any sheet) that staff open in Excel or LibreOffice: a cell
  starting with a formula trigger (``=``, ``+``, ``-``, ``@``, tab, CR, LF, NUL, or their
  full-width forms, which some spreadsheet locales also read as formulas) gets a leading ``'``,
  OWASP's advice for CSV injection. JSON output is never changed: it is data for programs.
"""

from __future__ import annotations

import re

# What must never reach a terminal as itself: C0/C1 controls (LF and TAB included: one value, one
# line), DEL, the line/paragraph separators, zero-width and bidirectional formatting characters.
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff0-\ufffb\ufffe\uffff]"
)


def visible(text: str) -> str:
    """``text`` with every invisible or cursor-moving character written as ``\\uXXXX``."""
    if text.isprintable() and not _INVISIBLE.search(text):
        return text
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# What can make inline Markdown (GitHub's, with its HTML subset, math and strikethrough) differ
# from the text: backslash, code spans, emphasis, links and images, math, and raw HTML. '<', '>' and
# '&' become entities (an entity is never markup: no <!-- comment --> can hide the lines after it);
# the rest get a backslash. Block syntax (headings, lists, tables) needs a line start, and
# markdown_inline never returns a line break.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]$])|(~~)")


# What GitHub makes of plain text after Markdown: @mentions (a notification to that person), #123
# references, and links made from bare addresses (https://…, www.…, e-mail). A WORD JOINER (U+2060,
# invisible, no width) after "@", "#", the scheme and "www" keeps the text as typed to the eye and
# breaks each pattern.
_GITHUB_AUTO = re.compile(r"(@)|(#)(?=\d)|(?i:\b(https?|ftp)(?=:))|(?i:\b(www)(?=\.))")
WORD_JOINER = "\u2060"


def markdown_inline(text: str) -> str:
    """One line of plain text that GitHub's Markdown shows exactly as typed: no markup, and no
    mention, issue reference or link made from it."""
    text = visible(" ".join(str(text).split()))  # no line breaks: a new line could start a block
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(lambda m: "\\" + m.group(1) if m.group(1) else "\\~\\~", text)
    return _GITHUB_AUTO.sub(lambda m: m.group() + WORD_JOINER, text)


def markdown_code(text: str) -> str:
    """A code span that GitHub's Markdown shows exactly as ``text`` (an annex's or a file's name):
    one line (line breaks and other invisible characters written as ``\\uXXXX``, so no block can start
    inside it), delimited by a run of backticks longer than any inside, padded when the text starts
    or ends with one (CommonMark's rule). Nothing in a code span is a link, a mention or HTML."""
    text = visible(str(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()) else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else "` `"


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00", "\uff1d", "\uff0b", "\uff0d", "\uff20")


# A trigger after a separator a spreadsheet may split the line at instead of the file's own: Excel
# on a Vietnamese Windows opens a .csv split at ';' (the region's list separator), and a pasted row
# splits at tabs — so 'Chè;=HYPERLINK(…)' would be a formula cell there (probe, round four). Spaces
# between are skipped by some readers. A quote only counts at a cell's start, so quoting does not help.
_TRIGGER_INSIDE = re.compile("([;\t] *)(?=[" + re.escape("".join(t for t in FORMULA_TRIGGERS if not t.isspace() and t != "\0"))
                             + "])")


def csv_cell(value: object) -> object:
    """A spreadsheet cell that is never read as a formula (OWASP CSV injection): text starting with
    a trigger gets a leading apostrophe, which spreadsheets take as "this is text" and hide, and so
    does a trigger after a ';' or a tab inside it (above). Numbers and booleans are left alone: they
    are written by the tool, never typed into a formula. Every CSV the tool writes goes through here
    (catalogue.csv, the statistics tables, a sheet of labels' nhan.csv)."""
    if isinstance(value, str):
        if value.startswith(FORMULA_TRIGGERS):
            value = "'" + value
        if ";" in value or "\t" in value:
            value = _TRIGGER_INSIDE.sub(r"\1'", value)
    return value


def csv_row(row: dict) -> dict:
    return {key: csv_cell(value) for key, value in row.items()}
