"""Paths named by data (an image file, a record folder) stay inside the data root.

A path is followed one component at a time from the root: no component may be a symbolic link
(``images/`` linked to ``/`` made every file on the machine an "image"), nor ``..``, and the last
one must be a regular file (a FIFO would hang whoever opens it).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


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
