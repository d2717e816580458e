"""Strict YAML → plain data with the source position of every key and value.

Decisions (for the next engineer):

* **YAML 1.2 behaviour.** libyaml (PyYAML's C parser) only *parses*; we build the data ourselves
  from its events, so YAML 1.1 resolution never happens: ``yes``/``no``/``on``/``off`` and dates
  stay text, ``0912345678`` keeps its leading zero, ``1.10`` is never ``1.1``. An unquoted
  (plain) scalar is loaded as :class:`Plain` text; :mod:`catalog.records.schemas` turns it into a number,
  boolean or null **only where the schema asks for one** and only when it is spelled the
  YAML 1.2 core-schema way (``true``, ``42``, ``22.36``, ``null``).
* **Refused outright:** duplicate keys (both lines named), anchors, aliases and merge keys (so no
  alias bombs), tags of any kind (``!!python/object`` never runs anything; nothing is constructed
  from tags), more than one document, tabs used for indentation, files over ``MAX_BYTES``, nesting
  deeper than ``MAX_DEPTH``, non-UTF-8 bytes (the byte is named), UTF-16, links and special files
  (a FIFO would hang the reader), and control, zero-width or bidirectional-override characters.
* **Hidden characters are looked for twice** (issue #14): in the bytes as typed, and in the
  *loaded* values, because a double-quoted YAML scalar can write them as escapes (``"\\u202e"``,
  ``"\\x01"``, ``"\\0"``, ``"\\e"``, ``"\\r"``) that no byte check sees. Either way the file is
  still read, with the characters taken out, so that one hidden character does not hide the
  file's other problems; the errors it raises keep the record out of every build.
* **Line breaks and tabs inside values** are noted (``Loaded.breaks``): :mod:`catalog.records.schemas`
  refuses them in single-line fields (a ``gtin: |`` block scalar ends in a newline that every
  pattern used to accept).
* **A UTF-8 byte-order mark is accepted** and skipped: Windows Notepad writes one.
* **Text is NFC-normalised on load, not rejected.** Vietnamese typed on macOS or pasted from Word
  is often decomposed (NFD); the two look identical and officers cannot see the difference, so
  refusing would only frustrate them. Nothing is written back: ``ocop fmt`` rewrites files.
* Only :class:`catalog.reference.errors.CatalogError` (for I/O failures) escapes; every data mistake is a
  :class:`catalog.records.problems.Problem` in :attr:`Loaded.problems`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..reference.errors import CatalogError
from .problems import Hint, Problem, quote

# Only the parser part of these loaders is used (check_event/get_event): no resolver or
# constructor ever runs. The C one is ~8x faster; the pure one behaves the same.
_Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

MAX_BYTES = 512 * 1024
MAX_DEPTH = 24

Path_ = tuple  # a path into the data: ("certificate", "decision", "date") or ("images", 0, "file")


class Plain(str):
    """An unquoted scalar as typed. It is text unless the schema wants a number/bool/null."""

    __slots__ = ()


@dataclass
class Loaded:
    """The outcome of reading one file. ``data`` is None when the file could not be read."""

    file: str
    data: Any = None
    problems: list[Problem] = field(default_factory=list)
    # path -> (line, col) of the value; key_positions: path -> (line, col) of the key naming it
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # path -> the text value as loaded, for the few values holding a line break or a tab
    breaks: dict[Path_, str] = field(default_factory=dict)
    # values from which hidden characters were taken out: their problem is reported, and the
    # rules across records never see them (one mistake, one message)
    hidden: list[Path_] = field(default_factory=list)

    def where(self, path: Path_, key: bool = False) -> tuple[int, int]:
        """Best position for a path: the key (or value), else the nearest parent's."""
        path = tuple(path)
        while True:
            table = self.key_positions if key else self.positions
            if path in table:
                return table[path]
            if not key and path in self.key_positions:
                return self.key_positions[path]
            if not path:
                return (1, 1)
            path = path[:-1]


# Characters that must never reach a page: C0/C1 controls (tab, LF, CR allowed), DEL,
# zero-width and bidirectional formatting characters, the BOM inside text, and
# Unicode non-characters at the end of the BMP.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff0-\ufffb\ufffe\uffff]"
)
# In a loaded value (escapes decoded) a CR and the Unicode line/paragraph separators are refused
# too: typed as bytes they are line breaks, so they can only come from an escape.
_FORBIDDEN_VALUE = re.compile(_FORBIDDEN.pattern[:-1] + "\r\u2028\u2029]")
# Stands in for a forbidden character typed as bytes while the file is parsed (same length, so
# every line and column stays right), and is taken out of every value afterwards.
_STAND_IN = "\ufffd"
_TAB_INDENT = re.compile(r"^( *)\t", re.MULTILINE)
MAX_CONTROL_REPORTS = 5

# (what PyYAML says, Vietnamese, English): the detail of a yaml-syntax problem in both languages
_SYNTAX = [
    ("mapping values are not allowed",
     "có dấu hai chấm ở chỗ không được phép. Nếu giá trị chứa dấu hai chấm, hãy đặt cả giá trị trong dấu nháy kép",
     "a colon where none may stand. If the value holds a colon, put the whole value in double quotes"),
    ("could not find expected ':'", "thiếu dấu hai chấm sau tên trường, hoặc dòng trước chưa đóng dấu nháy",
     "a colon is missing after the field name, or a quote on the line before is not closed"),
    ("did not find expected key", "thụt lề không đều: các trường cùng cấp phải thẳng cột với nhau",
     "uneven indentation: fields of the same level must start in the same column"),
    ("expected <block end>", "thụt lề không đều: các trường cùng cấp phải thẳng cột với nhau",
     "uneven indentation: fields of the same level must start in the same column"),
    ("did not find expected '-' indicator", "thụt lề danh sách không đều: các dòng '- ' phải thẳng cột",
     "uneven list indentation: the '- ' lines must start in the same column"),
    ("found unexpected end of stream", "dấu nháy được mở nhưng chưa đóng", "a quote is opened but never closed"),
    ("while scanning a quoted scalar", "dấu nháy được mở nhưng chưa đóng", "a quote is opened but never closed"),
    ("found unknown escape character",
     "dấu \\ trong dấu nháy kép bắt đầu một mã thoát không hợp lệ; dùng dấu nháy đơn hoặc viết \\\\",
     "a \\ inside double quotes starts an invalid escape; use single quotes or write \\\\"),
    ("found character that cannot start any token",
     "có ký tự không được đứng đầu giá trị (như @ hoặc `): đặt giá trị trong dấu nháy kép",
     "a character that may not start a value (such as @ or `): put the value in double quotes"),
    ("while scanning an alias", "dấu * ở đầu giá trị: đặt giá trị trong dấu nháy kép",
     "a * at the start of a value: put the value in double quotes"),
    ("while scanning an anchor", "dấu & ở đầu giá trị: đặt giá trị trong dấu nháy kép",
     "a & at the start of a value: put the value in double quotes"),
    ("while scanning a block scalar", "dòng bắt đầu bằng | hoặc > viết sai", "a line starting with | or > is malformed"),
    ("found undefined tag handle", "dấu ! ở đầu giá trị: đặt giá trị trong dấu nháy kép",
     "a ! at the start of a value: put the value in double quotes"),
    ("while parsing a flow",
     "dấu ngoặc [ ] hoặc { } chưa đóng: đặt giá trị trong dấu nháy kép nếu nó là văn bản",
     "a bracket [ ] or { } is not closed: put the value in double quotes if it is text"),
    ("expected ',' or ']'", "dấu ngoặc [ ] chưa đóng hoặc thiếu dấu phẩy", "a bracket [ ] is not closed, or a comma is missing"),
    ("expected ',' or '}'", "dấu ngoặc { } chưa đóng hoặc thiếu dấu phẩy", "a brace { } is not closed, or a comma is missing"),
    ("while parsing a block collection", "thụt lề danh sách không đều", "uneven list indentation"),
    ("while parsing a block mapping", "thụt lề không đều hoặc thiếu dấu hai chấm", "uneven indentation or a missing colon"),
]


def _syntax_detail(exc: yaml.MarkedYAMLError) -> Hint:
    text = f"{exc.context or ''} {exc.problem or ''}"
    for needle, vi, en in _SYNTAX:
        if needle in text:
            return Hint(vi, en)
    return Hint("viết sai cú pháp (kiểm tra dấu hai chấm, thụt lề bằng dấu cách và dấu nháy)",
                "malformed (check the colons, indentation with spaces and the quotes)")


# What an officer's keyboard or a text pasted from Word puts into a file that YAML cannot read, and
# that PyYAML reports lines later as something else ("a colon where none may stand", "uneven
# indentation"). On a syntax error the text up to the reported line is searched for these first, and
# the one found is reported where it stands instead (issue #26 probe by officer3).
_NBSP_AFTER_COLON = re.compile(r"^[ -]*[A-Za-z_][A-Za-z0-9_]*:(\u00a0|\u202f|\u3000)", re.MULTILINE)
_NBSP_INDENT = re.compile(r"^ *(\u00a0|\u202f|\u3000)", re.MULTILINE)
_WIDE_COLON = re.compile(r"^[ -]*[A-Za-z_][A-Za-z0-9_]*[ ]*(\uff1a)", re.MULTILINE)
_QUOTED_START = re.compile(r"^[ -]*(?:[A-Za-z_][A-Za-z0-9_]*: +)?(\")", re.MULTILINE)


def _open_quote(line: str, start: int) -> bool:
    """The double-quoted value starting at ``start`` is not closed on its line."""
    i = start + 1
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == '"':
            return False
        i += 1
    return True


# Slips that YAML reports later than where they were typed: the pattern (group 1 at the slip) and
# what to do, in both languages (_likely_cause).
_SLIPS = (
    (_NBSP_AFTER_COLON, Hint(
        "sau dấu hai chấm là một dấu cách không ngắt (U+00A0, thường lẫn vào khi chép từ Word hoặc trang web), "
        "YAML không nhận: xoá nó và gõ lại một dấu cách thường",
        "the space after the colon is a no-break space (U+00A0, usually pasted from Word or a web page), "
        "which YAML does not accept: delete it and type an ordinary space")),
    (_NBSP_INDENT, Hint(
        "thụt lề có một dấu cách không ngắt (U+00A0, thường lẫn vào khi chép từ Word hoặc trang web): "
        "xoá phần thụt lề của dòng và gõ lại bằng dấu cách thường",
        "the indentation holds a no-break space (U+00A0, usually pasted from Word or a web page): "
        "delete the line's indentation and type it again with ordinary spaces")),
    (_WIDE_COLON, Hint(
        "dấu hai chấm '：' là dấu toàn độ rộng (bộ gõ tiếng Trung/Nhật), YAML không nhận: gõ lại dấu ':' thường",
        "the colon '：' is a full-width one (from a Chinese or Japanese input method): type an ordinary ':'")),
)


def _likely_cause(text: str, error_line: int) -> tuple[int, int, Hint] | None:
    """The slip that made a syntax error reported at ``error_line`` (1-based): (line, col, detail)."""
    cut = 0
    for _ in range(error_line):
        nxt = text.find("\n", cut)
        if nxt < 0:
            cut = len(text)
            break
        cut = nxt + 1
    head = text[:cut] if cut else text
    found: list[tuple[int, int, Hint]] = []
    for pattern, hint in _SLIPS:  # the first of each kind of slip before the reported line
        m = pattern.search(head)
        if m is not None:
            line, col = _line_col(text, m.start(1))
            found.append((line, col, hint))
    for m in _QUOTED_START.finditer(head):
        line_start = text.rfind("\n", 0, m.start(1)) + 1
        line_end = text.find("\n", m.start(1))
        whole = text[line_start: line_end if line_end >= 0 else len(text)]
        if _open_quote(whole, m.start(1) - line_start):
            line, col = _line_col(text, m.start(1))
            found.append((line, col, Hint(
                "dấu nháy kép mở ở đây nhưng không đóng trên cùng dòng: thêm dấu \" ở cuối giá trị",
                "a double quote opens here but is not closed on the same line: add a \" at the end of the value")))
            break
    return min(found, key=lambda f: (f[0], f[1])) if found else None


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _nfc(value: str) -> str:
    if value.isascii() or unicodedata.is_normalized("NFC", value):
        return value
    return unicodedata.normalize("NFC", value)


def read_text(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Bytes → text, or the reasons it cannot be text. Text comes back with problems when it held
    forbidden characters: they are reported where they are, and replaced by ``_STAND_IN`` so the
    rest of the file can still be read and checked."""
    if len(raw) > MAX_BYTES:
        return None, [Problem("file-too-large", file, args={"size": len(raw), "limit": MAX_BYTES})]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(raw) >= 2 and (raw[0] == 0) != (raw[1] == 0)):
        return None, [Problem("utf16-file", file, 1, 1)]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _line_col(good, len(good))
        return None, [Problem("bad-encoding", file, line, col, args={"byte": f"0x{raw[exc.start]:02X}"})]
    problems: list[Problem] = []
    for m in _TAB_INDENT.finditer(text):
        line, col = _line_col(text, m.end() - 1)
        problems.append(Problem("tab-indent", file, line, col))
    if problems:
        return None, problems
    for m in _FORBIDDEN.finditer(text):
        if len(problems) >= MAX_CONTROL_REPORTS:
            break
        line, col = _line_col(text, m.start())
        problems.append(Problem("control-character", file, line, col, args=_char_args(m.group())))
    if problems:
        text = _FORBIDDEN.sub(_STAND_IN, text)
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, problems + [Problem("empty-file", file, 1, 1)]
    return text, problems


def _char_args(ch: str) -> dict:
    return {"char": f"U+{ord(ch):04X}", "name": unicodedata.name(ch, "ký tự điều khiển"),
            "escape": f"\\u{ord(ch):04x}" if ord(ch) > 0xFF else f"\\x{ord(ch):02x}"}


# Problems after which the data is still worth checking (the offending characters were taken out).
_KEEPS_DATA = frozenset({"control-character", "control-escape"})


def load_text(text: str, file: str, carried: list[Problem] | None = None) -> Loaded:
    """Parse YAML text into plain data (dict/list/str/Plain) with positions. ``carried``: the
    problems :func:`read_text` found in the bytes (the text then holds stand-ins to take out)."""
    out = Loaded(file, problems=list(carried or []))
    try:
        _compose(text, out, stand_ins=bool(carried))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and "quoted scalar" in (exc.context or ""):
            mark = exc.context_mark  # point at the opening quote, not the end of the file
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = _syntax_detail(exc)
        cause = _likely_cause(text, line)
        if cause is not None:
            line, col, detail = cause
        out.data = None
        out.problems.append(Problem("yaml-syntax", file, line, col, args={"detail": detail}))
    except yaml.YAMLError as exc:  # reader errors and the like, without a mark
        out.data = None
        out.problems.append(Problem("yaml-syntax", file, 1, 1, args={"detail": str(exc).splitlines()[0]}))
    if any(p.severity == "error" and p.code not in _KEEPS_DATA for p in out.problems):
        out.data = None
    elif out.data is not None and not isinstance(out.data, dict):
        found = quote(out.data) if isinstance(out.data, list) else Hint(
            f"giá trị {quote(out.data)}", f"the value {quote(out.data)}")
        out.problems.append(Problem("not-a-mapping", file, 1, 1, args={"found": found}))
        out.data = None
    return out


def load_bytes(raw: bytes, file: str) -> Loaded:
    text, problems = read_text(raw, file)
    if text is None:
        return Loaded(file, problems=problems)
    return load_text(text, file, problems)


def load_file(path: Path, display: str | None = None) -> Loaded:
    """Read one record file. ``display`` is the path shown in messages (relative to the root).

    A link, a FIFO or any other special file is a problem, never read: a link could point anywhere
    on the machine that builds the site, and a FIFO would wait for a writer for ever."""
    display = display or str(path)
    raw, problem = read_regular(Path(path), display, MAX_BYTES)
    if raw is None:
        return Loaded(display, problems=[problem] if problem else [])
    return load_bytes(raw, display)


def special_file_kind(st_mode: int) -> str | None:
    """What a file is when it is not a regular file (in Vietnamese, for messages), else None."""
    import stat

    if stat.S_ISREG(st_mode):
        return None
    for test, name in ((stat.S_ISLNK, "liên kết tượng trưng (symlink)"), (stat.S_ISDIR, "thư mục"),
                       (stat.S_ISFIFO, "ống dữ liệu (FIFO)"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "thiết bị"), (stat.S_ISBLK, "thiết bị")):
        if test(st_mode):
            return name
    return "tệp đặc biệt"


def read_regular(path: Path, display: str, limit: int) -> tuple[bytes | None, Problem | None]:
    """The bytes of a regular file that is not a link (at most ``limit`` + 1 of them are read when
    it is larger), or (None, the problem). Opened without following a link and without blocking,
    then checked again on the open file: nothing can be swapped in between."""
    import os
    import stat

    try:
        kind = special_file_kind(os.lstat(path).st_mode)
        if kind is not None:
            return None, Problem("not-a-regular-file", display, args={"what": kind})
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise CatalogError(f"{display}: không đọc được tệp ({exc.strerror})") from exc
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            return None, Problem("not-a-regular-file", display, args={"what": special_file_kind(st.st_mode)})
        raw = fh.read(limit + 1)
        if len(raw) > limit:
            raw += fh.read()
    return raw, None


def _compose(text: str, out: Loaded, stand_ins: bool = False) -> None:
    """Build the data from parser events. Iterative: no recursion, whatever the nesting.

    ``stand_ins``: the text holds ``_STAND_IN`` characters for forbidden bytes already reported;
    they are taken out of every key and value."""
    _Composer(out, stand_ins).run(_Parser(text))


class _Tree:
    """The data being built: the open containers, the root, and the attaching of each finished
    value to its parent (keys checked: not text, ``<<``, given twice)."""

    def __init__(self, out: Loaded, stand_ins: bool) -> None:
        self.out = out
        self.file = out.file
        self.stand_ins = stand_ins
        # Each stack entry: [container, path, pending_key, pending_key_pos, seen_keys]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.root_set = False

    def place(self, value: Any, mark: Any) -> tuple[Any, ...] | None:
        """Attach a finished value to its parent; returns its path (None if dropped)."""
        out = self.out
        pos = (mark.line + 1, mark.column + 1)
        if not self.stack:
            self.root, self.root_set = value, True
            out.positions[()] = pos
            return ()
        top = self.stack[-1]
        container, path = top[0], top[1]
        if isinstance(container, list):
            child = path + (len(container),)
            container.append(value)
            out.positions[child] = pos
            return child
        # mapping: either this is a key or a value
        if top[2] is _NO_KEY:
            self._key(top, value, pos)
            return None
        key, key_pos = top[2], top[3]
        top[2] = _NO_KEY
        if key is _BAD_KEY:
            return None
        child = path + (key,)
        container[key] = value
        out.key_positions[child] = key_pos
        out.positions[child] = pos
        return child

    def _key(self, top: list[Any], value: Any, pos: tuple[int, int]) -> None:
        """A mapping key: kept as the pending key, or refused (then its value is dropped)."""
        path, file = top[1], self.file
        if not isinstance(value, str):
            self.out.problems.append(Problem("non-string-key", file, *pos, field=_dotted(path)))
            top[2], top[3] = _BAD_KEY, pos
            return
        key = _nfc(str(value))
        if key == "<<" and isinstance(value, Plain):
            self.out.problems.append(Problem("merge-key", file, *pos, field=_dotted(path)))
            top[2], top[3] = _BAD_KEY, pos
            return
        seen = top[4]
        if key in seen:
            first_line = seen[key]
            self.out.problems.append(
                Problem("duplicate-key", file, *pos, field=_dotted(path + (key,)),
                        args={"key": key, "first_line": first_line, "line": pos[0]})
            )
            top[2], top[3] = _BAD_KEY, pos
            return
        seen[key] = pos[0]
        top[2], top[3] = key, pos


class _Composer(_Tree):
    """One composition (:func:`_compose`): the handling of each kind of parser event. A handler
    returns False when the file is refused as a whole (an anchor, a tag, too deep): composition
    stops there and ``out.data`` stays unset."""

    def run(self, parser: Any) -> None:
        documents = 0
        while parser.check_event():
            event = parser.get_event()
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    m = event.start_mark
                    self.out.problems.append(Problem("multiple-documents", self.file, m.line + 1, m.column + 1))
                    return
                continue
            if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
                continue
            if not self._no_anchor(event, kind):
                return
            if kind is yaml.ScalarEvent:
                if not self._scalar(event):
                    return
            elif kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                if not self._open(event, kind):
                    return
            elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                self.stack.pop()
        self.out.data = self.root if self.root_set else None

    # --- anchors, aliases, tags: refused ---------------------------------------------------------
    def _no_anchor(self, event: Any, kind: type) -> bool:
        m = event.start_mark
        if kind is yaml.AliasEvent:
            self.out.problems.append(Problem("anchor", self.file, m.line + 1, m.column + 1,
                                             args={"value": f"'*{event.anchor}'"}))
            return False
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.out.problems.append(Problem("anchor", self.file, m.line + 1, m.column + 1, args={"value": f"'&{anchor}'"}))
            return False
        return True

    def _tag_refused(self, tag: str, m: Any) -> bool:
        self.out.problems.append(Problem("tag", self.file, m.line + 1, m.column + 1, args={"value": f"'{_short_tag(tag)}'"}))
        return False

    # --- scalars ---------------------------------------------------------------------------------
    def _scalar(self, event: Any) -> bool:
        m = event.start_mark
        tag = getattr(event, "tag", None)
        if tag is not None and not (event.implicit[0] or event.implicit[1]):
            return self._tag_refused(tag, m)
        out = self.out
        value = event.value
        stripped = self.stand_ins and _STAND_IN in value
        if stripped:
            value = value.replace(_STAND_IN, "")
        hidden = None
        if event.style == '"':  # only double quotes decode escapes; other bytes were checked as typed
            hidden = _FORBIDDEN_VALUE.search(value)
            if hidden is not None:
                value = _FORBIDDEN_VALUE.sub("", value)
        value = _nfc(value)
        path = self.place(Plain(value) if not event.style else value, m)  # C parser: "", pure: None
        if hidden is not None:
            where = _dotted(path) if path is not None else _dotted(self.stack[-1][1]) if self.stack else ""
            out.problems.append(Problem("control-escape", self.file, m.line + 1, m.column + 1, where,
                                        _char_args(hidden.group())))
        if path is not None and (stripped or hidden is not None):
            out.hidden.append(path)
        if path is not None and ("\n" in value or "\t" in value):
            out.breaks[path] = value
        return True

    # --- mappings and sequences ------------------------------------------------------------------
    def _open(self, event: Any, kind: type) -> bool:
        m = event.start_mark
        tag = getattr(event, "tag", None)
        if tag is not None and not event.implicit:
            return self._tag_refused(tag, m)
        if len(self.stack) >= MAX_DEPTH:
            self.out.problems.append(Problem("too-deep", self.file, m.line + 1, m.column + 1, args={"limit": MAX_DEPTH}))
            return False
        container: Any = {} if kind is yaml.MappingStartEvent else []
        path = self.place(container, m)
        # A container used as a key (or under a refused key) is still walked, then dropped.
        self.stack.append([container, path if path is not None else ("\x00dropped",), _NO_KEY, None, {}])
        return True


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return self.name


_NO_KEY = _Marker("NO_KEY")
_BAD_KEY = _Marker("BAD_KEY")


def _dotted(path: tuple) -> str:
    """("images", 0, "file") → "images[0].file" — how the field is named in messages."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "\x00dropped":
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


dotted = _dotted
