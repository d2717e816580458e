"""`ocop fmt`: normalise records without losing comments. Running it twice changes nothing.

* Keys in schema order (unknown keys keep their place after the known ones, for validate to report).
* Text NFC-normalised.
* Single-line fields lose the line breaks around their value: ``gtin: |`` (a block scalar, which
  ends in a newline) becomes ``gtin: "8936012340013"``; a line break inside the value stays,
  written ``\\n`` in double quotes, for ``ocop validate`` to report (fmt never guesses text).
* Quoting: a text field is written plain when every YAML reader takes it as text, and in double
  quotes when a YAML 1.1 or 1.2 reader could take it for something else (``yes``, ``0912345678``,
  ``2024-03-15``, ``1.10``); numbers and true/false stay plain where the schema wants them.

ruamel.yaml keeps comments; it is used with a resolver that types nothing, so no value is ever
re-interpreted on the way through (a phone number never becomes an integer).
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import yaml as pyyaml
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, PlainScalarString, ScalarString

from ..records.loader import load_bytes
from ..records.schemas import is_multiline, load_schema, resolve
from ..runtime.output import write_atomic

# Plain scalars that some YAML reader (1.1 or 1.2 core) would not read as text.
_AMBIGUOUS = re.compile(
    r"""^(?:
      ~|null|Null|NULL|
      y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|
      [-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+|
      [-+]?0[xob][0-9a-fA-F_]+|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|
      [-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|
      [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?|
      <<|=
    )$""",
    re.VERBOSE,
)


class _TextResolver(VersionedResolver):
    """Every plain scalar is text: nothing is re-typed on the way through."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            return super().resolve(kind, value, (False, True))  # as if quoted: the str tag
        return super().resolve(kind, value, implicit)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Resolver = _TextResolver
    yaml.preserve_quotes = False
    yaml.width = 4096  # never fold long text: diffs stay one line per field
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    return yaml


def _normalise(node, fragment: dict, base: str):
    fragment, base = resolve(fragment, base) if fragment else ({}, base)
    if isinstance(node, CommentedMap):
        props = fragment.get("properties", {})
        order = [k for k in props if k in node] + [k for k in node if k not in props]
        if list(node.keys()) != order:
            items = [(k, node[k]) for k in order]
            comments = {k: node.ca.items.get(k) for k in order}
            for k in list(node.keys()):
                del node[k]
            for k, v in items:
                node[k] = v
                if comments[k] is not None:
                    node.ca.items[k] = comments[k]
        for k in list(node.keys()):
            node[k] = _normalise(node[k], props.get(k, {}), base)
        return node
    if isinstance(node, CommentedSeq):
        item_schema = fragment.get("items") if isinstance(fragment.get("items"), dict) else {}
        for i, v in enumerate(node):
            node[i] = _normalise(v, item_schema, base)  # type: ignore[arg-type]
        return node
    if isinstance(node, str):
        text = unicodedata.normalize("NFC", str(node))
        wanted = fragment.get("type")
        if wanted in ("integer", "number", "boolean"):
            return text.strip("\n")  # plain, so the loader types it
        if wanted == "string" and not is_multiline(fragment):
            text = text.strip("\n")  # a single-line field never keeps a block scalar's newline
            if "\n" in text or "\t" in text:
                return DoubleQuotedScalarString(text)
            if _AMBIGUOUS.match(text) or text != text.strip() or text == "":
                return DoubleQuotedScalarString(text)
            # ruamel keeps the old style (| or >) of a value replaced by a plain str: say plain
            return PlainScalarString(text) if isinstance(node, ScalarString) else text
        if _AMBIGUOUS.match(text) or text != text.strip() or text == "":
            return DoubleQuotedScalarString(text)
        if isinstance(node, ScalarString) and not isinstance(node, DoubleQuotedScalarString):
            return type(node)(text)  # keep block styles (| and >) for long text
        return text
    return node


class AliasInRecord(YAMLError):
    """A record with a YAML anchor or alias (``&x`` / ``*x``): never formatted. Records do not use
    them (``ocop validate`` refuses them), and expanding one nested in others (an "alias bomb") would
    take the formatter — run on every pull request — hours."""


def refuse_aliases(text: str) -> None:
    """Raise :class:`AliasInRecord` if ``text`` has an anchor or an alias, found by libyaml's event
    parser (linear: nothing is expanded)."""
    try:
        for event in pyyaml.parse(text, Loader=getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)):
            if isinstance(event, pyyaml.AliasEvent) or getattr(event, "anchor", None):
                raise AliasInRecord("bản ghi dùng neo/bí danh YAML (&, *)")
    except pyyaml.YAMLError as exc:
        raise AliasInRecord(str(exc)) from None


def why_unreadable(path: Path, shown: str, lang: str = "vi") -> str:
    """Why ``ocop fmt`` could not read a record file, in the words ``ocop validate`` uses for it
    ("dòng 37, cột 1: Thụt lề bằng phím Tab …") — not an exception's class name ("AliasInRecord"
    for a tab, "UnicodeDecodeError" for a file saved in Windows-1258)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return exc.strerror or str(exc)
    problems = [p for p in load_bytes(raw, shown).problems if p.severity == "error"]
    if not problems:
        return "bản ghi dùng neo/bí danh YAML (&, *)" if lang == "vi" else "the record uses YAML anchors or aliases (&, *)"
    first = problems[0]
    where = (f"dòng {first.line}, cột {first.col}: " if lang == "vi" else f"line {first.line}, column {first.col}: ") if first.line else ""
    return where + first.message(lang)


def format_text(text: str, kind: str) -> str:
    refuse_aliases(text)
    yaml = _yaml()
    data = yaml.load(text)
    if not isinstance(data, CommentedMap):
        return text
    base = f"{kind}.schema.json"
    _normalise(data, load_schema(base), base)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def format_file(path: Path, kind: str, check_only: bool = False) -> bool:
    """Rewrite ``path`` in canonical form. Returns True if it changed (or would change)."""
    original = path.read_text(encoding="utf-8")
    formatted = format_text(original, kind)
    if formatted == original:
        return False
    if not check_only:
        write_atomic(path, formatted.encode("utf-8"))
    return True


# --- records written by the form editor (issue #26) ---------------------------------------------
# Decap CMS writes a record's YAML itself: no comments, its own key order and quoting. The desk
# workflow (.github/workflows/ban-lam-viec.yml, `ocop intake`) rewrites each record the form changed
# with :func:`restore_text`: the values of the form's file laid onto the previous version of the
# record (the base branch's), so the comments, the schema line and the quoting stay and `git diff`
# shows only the lines the officer changed; a new record gets the schema line. Then :func:`format_text`.

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"


def _same_scalar(old, new) -> bool:
    return not isinstance(old, (CommentedMap, CommentedSeq)) and not isinstance(new, (CommentedMap, CommentedSeq)) \
        and old is not None and new is not None and str(old) == str(new)


def _lay_onto(old, new):
    """``old`` (with its comments) holding ``new``'s values."""
    if isinstance(old, CommentedMap) and isinstance(new, CommentedMap):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _lay_onto(old[key], value) if key in old else value
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, CommentedSeq):
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = _lay_onto(old[i], value)
            else:
                old.append(value)
        del old[len(new):]
        return old
    return old if _same_scalar(old, new) else new


def restore_text(new_text: str, base_text: str | None, kind: str) -> str:
    """A record as the form wrote it (``new_text``), in the project's form: on top of the previous
    version's text (``base_text``; None for a new record, which gets the schema line)."""
    refuse_aliases(new_text)
    yaml = _yaml()
    new = yaml.load(new_text)
    if not isinstance(new, CommentedMap):
        return new_text  # not a record: left for ocop validate to report
    if base_text is not None:
        old = yaml.load(base_text)
        if isinstance(old, CommentedMap):
            out = io.StringIO()
            yaml.dump(_lay_onto(old, new), out)
            return format_text(out.getvalue(), kind)
    text = format_text(new_text, kind)
    line = SCHEMA_LINE.format(kind=kind)
    return text if text.startswith(line) else line + text
