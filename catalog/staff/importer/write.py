"""Applying the plan: writing every planned file, all or nothing (each first to a temporary name
beside its target, then renamed into place; a failure while renaming puts back what was there).

A pull request can run ``ocop import --write`` on the build machine (``ocop intake``, issue #26), so
nothing here follows a link a repository could hold (issue #22): the kind folder, the province
folder and the record itself must not be links, and each temporary file gets a fresh random name,
created exclusively (``mkstemp``), never a fixed name a link could have been committed under.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ...reference.errors import CatalogError
from .planning import Plan


# --- writing ---------------------------------------------------------------------------------------


def apply(p: Plan) -> list[Path]:
    """Write every planned file, all or nothing. Returns the paths written."""
    targets: list[tuple[Path, str, bool]] = []  # (path, text, must be new)
    for pr in p.producers:
        targets.append((pr.path, pr.text, True))
    for a in p.written:
        targets.append((a.path, a.text, a.kind == "create"))
    for path, _, new in targets:
        linked = next((f for f in (path, path.parent, path.parent.parent) if f.is_symlink()), None)
        if linked is not None:
            raise CatalogError(f"{linked}: là liên kết tượng trưng (symlink), có thể trỏ ra ngoài thư mục dữ liệu; "
                               "không ghi gì. Thay bằng thư mục/tệp thật rồi chạy lại")
        if new and path.exists():
            raise CatalogError(f"{path}: tệp đã có (có thể vừa được tạo): chạy lại ocop import để lập kế hoạch mới; không ghi gì")
    temps: list[tuple[Path, Path, bytes | None]] = []  # (temp, target, previous bytes)
    try:
        for path, text, new in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.import-tmp-")
            tmp = Path(name)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                temps.append((tmp, path, None if new else path.read_bytes()))
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
    except OSError as exc:
        for tmp, _, _ in temps:
            tmp.unlink(missing_ok=True)
        raise CatalogError(f"không ghi được ({exc.strerror}: {exc.filename}); chưa thay đổi tệp nào") from None
    done: list[tuple[Path, Path, bytes | None]] = []
    try:
        for tmp, path, previous in temps:
            os.replace(tmp, path)
            done.append((tmp, path, previous))
    except OSError as exc:
        for _, path, previous in reversed(done):
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(previous)
        for tmp, _, _ in temps:
            tmp.unlink(missing_ok=True)
        raise CatalogError(f"không ghi được ({exc.strerror}: {exc.filename}); đã trả lại các tệp như trước") from None
    return [path for _, path, _ in temps]

