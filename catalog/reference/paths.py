"""Paths: where the tool's own files are, and paths named by data kept inside the data root.

The tool's own files (written once here, used by schemas, the page templates and the site build):
``catalog/data/`` is package data; ``schemas/``, ``site_templates/`` and ``mkdocs.yml`` sit at the
top of a checkout and are copied into ``catalog/`` in a wheel (pyproject's force-include), so
:func:`shipped` looks in the installed package first and in the checkout second.

Paths named by data (an image file, a record folder) stay inside the data root.

A path is followed one component at a time from the root: no component may be a symbolic link
(``images/`` linked to ``/`` made every file on the machine an "image"), nor ``..``, and the last
one must be a regular file (a FIFO would hang whoever opens it).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # catalog/
DATA_DIR = PACKAGE_DIR / "data"  # catalog/data/: rule tables, places, interface text (package data)


def shipped(name: str) -> Path:
    """The tool's file or folder ``name`` (schemas, site_templates, mkdocs.yml): inside the
    installed package (a wheel), else at the top of the checkout."""
    packaged = PACKAGE_DIR / name
    return packaged if packaged.exists() else PACKAGE_DIR.parent / name


def regular_file_below(root: Path, parts: tuple[str, ...]) -> bool:
    """Is ``root/parts[0]/…/parts[-1]`` a regular file reached without any link or ``..``?"""
    if not parts or any(part in ("", ".", "..") or "/" in part or "\\" in part for part in parts):
        return False
    path = Path(root)
    for i, part in enumerate(parts):
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return False
        last = i == len(parts) - 1
        if stat.S_ISLNK(mode) or (last and not stat.S_ISREG(mode)) or (not last and not stat.S_ISDIR(mode)):
            return False
    return True
