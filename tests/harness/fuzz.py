"""Fuzz target: mutated record text → load → validate → render. Only CatalogError may escape.

Used by `tools/fuzz.py` (run it for minutes) and, briefly, by the test suite. Mutations start
from a real record so that most inputs get deep into the validator and, when still valid, into
page rendering.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from catalog.reference.errors import CatalogError
from catalog.site.pages import PageBuilder
from catalog.checks.validate import check

AS_OF = dt.date(2026, 11, 23)


def run_one(base: Path, relpath: str, text: bytes, workdir: Path) -> str:
    """Validate ``base`` with ``relpath`` replaced by ``text``; render pages if valid.
    Returns 'invalid', 'valid' or 'refused' (a CatalogError, which is allowed)."""
    root = workdir / "root"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(base, root)
    (root / relpath).write_bytes(text)
    try:
        result = check(root, AS_OF)
        if result.catalogue is None:
            return "invalid"
        for page in PageBuilder(result.catalogue).pages():
            page.render()
        return "valid"
    except CatalogError:
        return "refused"


def mutate(data: bytes, choices) -> bytes:
    """Apply a few byte/line mutations chosen by ``choices`` (a list of ints)."""
    out = bytearray(data)
    lines = None
    for c in choices:
        op = c % 7
        pos = (c // 7) % max(len(out), 1)
        if op == 0 and out:
            del out[pos]
        elif op == 1:
            out.insert(pos, (c // 13) % 256)
        elif op == 2 and out:
            out[pos] = (c // 17) % 128
        elif op == 3:
            out[pos:pos] = [b":", b"- ", b"&a ", b"*a", b"!!", b"\t", b"\n  ", b'"', b"{", b"["][(c // 11) % 10]
        elif op == 4:
            lines = bytes(out).split(b"\n")
            if len(lines) > 2:
                i, j = pos % len(lines), (c // 19) % len(lines)
                lines[i], lines[j] = lines[j], lines[i]
                out = bytearray(b"\n".join(lines))
        elif op == 5:
            out[pos:pos] = "ưđ\u202e\u200b\x00ả".encode()[(c // 23) % 12:(c // 23) % 12 + 3]
        else:
            out += out[pos:pos + 40]
    return bytes(out)


def tempdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="ocop-fuzz-"))
