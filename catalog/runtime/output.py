"""Where the tool writes: an output folder is checked, locked and marked before it is replaced,
and replaced atomically.

``ocop build``, ``ocop labels`` and ``ocop serve`` replace their output folder whole
(:func:`swap_in`: the new output is built in a temporary sibling and renamed into place — or
exchanged with the old one in one step where the kernel can; :func:`recover` repairs what a run
killed between two renames left). These rules keep that from destroying or mixing anything (issue #14):

* **Guard** (:func:`guard`). The output may not be the data root, contain it (``--out .`` or
  ``--out ..`` used to delete the records and ``.git``), lie inside a record folder, ``images/``,
  ``schemas/``, ``.git`` or ``.github`` (``ocop labels --out products`` deleted every record), nor
  be a link. A folder that exists and is not empty must carry the marker of a previous output of
  the same command (:data:`MARKER`, a small text file written into every output); anything else —
  somebody's documents, another project — is refused, never replaced. Outputs made before the
  marker existed are recognised by their build state beside them.
* **Lock** (:func:`locked`). One command at a time per output folder: a second ``ocop build`` on
  the same ``--out`` refuses with one line instead of mixing its pages with the first's. The lock
  is an advisory ``flock`` on ``lock`` in the cache folder beside the output; the kernel drops it
  when the process ends, however it ends.
* **Old outputs are deleted off the critical path** (:func:`discard`). The folder a new output
  replaced is moved into ``trash/`` of the cache folder (a rename) and deleted by a detached
  process; a national site is ~45,000 folders, and deleting them took longer than building the
  pages that changed. Whatever is left there (a machine switched off) goes at the next run.
* **Caches stay out of published folders** (:func:`cache_dir`). A cache lives beside its output
  (``.<out>.cache/``), and when the output is itself inside another output (``ocop labels --out
  site/nhan-in``) beside the outermost one, so nothing of it is uploaded with the site.

Outputs of other commands are single files (``ocop booklet``, the ZIPs of ``ocop offline``):
:func:`guard_file` keeps them out of the data and off files the tool did not make.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

from ..reference.errors import CatalogError

MARKER = ".ocop-output"
PROTECTED = ("products", "producers", "sales_points", "villages", "images", "schemas", ".git", ".github")


def marker_text(command: str) -> str:
    return f"ocop {command}: thư mục này do công cụ tạo ra và được thay thế trọn vẹn ở mỗi lần chạy.\n"


def made_by(folder: Path) -> str | None:
    """The command whose output ``folder`` is (from its marker), else None."""
    try:
        first = (folder / MARKER).read_text(encoding="utf-8").split(":", 1)[0]
    except (OSError, UnicodeDecodeError):
        return None
    return first.removeprefix("ocop ") if first.startswith("ocop ") else None


def git_top(start: Path) -> Path | None:
    """The work tree holding ``start`` (the nearest folder with a ``.git``), or None."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _refuse(out: Path, why: str) -> CatalogError:
    return CatalogError(f"không ghi vào --out {out}: {why}")


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _check_place(out: Path, root: Path) -> Path:
    """The resolved output path, or an error when it is, holds or sits among the data."""
    if out.is_symlink():
        raise _refuse(out, "đây là liên kết tượng trưng (symlink); chọn một thư mục thật")
    resolved = out.resolve()
    data = root.resolve()
    if _inside(data, resolved):
        raise _refuse(out, f"thư mục này {'là' if resolved == data else 'chứa'} thư mục dữ liệu {root} — "
                           "nó sẽ bị xoá khi thay bằng bản mới. Chọn một thư mục con mới, ví dụ --out site")
    top = git_top(data)
    for base in dict.fromkeys(b for b in (data, top) if b is not None):
        for name in PROTECTED:
            if _inside(resolved, base / name):
                raise _refuse(out, f"thư mục này nằm trong {name}/ của {base} (hồ sơ, ảnh, lịch sử git). "
                                   "Chọn một thư mục riêng, ví dụ --out site")
    if top is not None and _inside(top, resolved):
        raise _refuse(out, f"thư mục này chứa kho git {top}")
    return resolved


def guard(out: Path, root: Path, command: str, state_file: str | None = None) -> Path:
    """Check that ``out`` may be replaced by ``command``'s output (see the module doc); returns
    it resolved. ``state_file``: the name, in :func:`cache_dir`, of a state that recognises an
    output made before markers existed (it records the folder's inode)."""
    resolved = _check_place(Path(out), Path(root))
    if not resolved.exists():
        return resolved
    if not resolved.is_dir():
        raise _refuse(out, "đã có một tệp tên này (không phải thư mục)")
    owner = made_by(resolved)
    if owner == command:
        return resolved
    if owner is not None:
        raise _refuse(out, f"đây là kết quả của lệnh ocop {owner}; chọn thư mục khác cho ocop {command}")
    if not any(resolved.iterdir()) or _legacy_output(resolved, state_file):
        return resolved
    raise _refuse(out, "thư mục đã có nội dung không do công cụ tạo ra (thiếu tệp " + MARKER + "). "
                       "Công cụ chỉ thay thế thư mục trống hoặc thư mục nó đã tạo: chọn --out khác, "
                       "hoặc tự xoá thư mục nếu chắc chắn đó là bản cũ")


def read_json(path: Path) -> dict | None:
    """A JSON file's object, or None when it is missing or unreadable (the caches' state files)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _legacy_output(folder: Path, state_file: str | None) -> bool:
    if state_file is None:
        return False
    state = read_json(cache_dir(folder) / state_file) or {}
    return state.get("out_inode") == folder.stat().st_ino


def guard_file(target: Path, root: Path, suffix: str, magic: bytes) -> Path:
    """A single output file (a PDF, a ZIP): not among the data, and never replacing a file that
    does not start like one the tool writes (``magic``)."""
    target = Path(target)
    if target.suffix.lower() != suffix:
        raise _refuse(target, f"tên tệp phải có đuôi {suffix}")
    resolved = _check_place(target, root) if not target.is_symlink() else None
    if resolved is None:
        raise _refuse(target, "đây là liên kết tượng trưng (symlink)")
    if resolved.exists():
        try:
            with open(resolved, "rb") as fh:
                head = fh.read(len(magic))
        except OSError:
            head = b""
        if not resolved.is_file() or head != magic:
            raise _refuse(target, f"đã có tệp này nhưng không phải tệp {suffix} do công cụ tạo; chọn tên khác")
    return resolved


def cache_dir(out: Path) -> Path:
    """``.<out>.cache`` beside ``out``, or beside the outermost tool output holding ``out``."""
    out = Path(out).resolve()
    outer = None
    for folder in out.parents:
        if made_by(folder) is not None:
            outer = folder
    if outer is None:
        return out.parent / f".{out.name}.cache"
    inner = ".".join(out.relative_to(outer).parts)
    return outer.parent / f".{outer.name}.{inner}.cache"


@contextlib.contextmanager
def locked(out: Path, command: str) -> Iterator[None]:
    """Hold the lock of ``out`` for the block, or refuse at once with one line (module doc)."""
    lock_dir = cache_dir(out)
    lock_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            _lock(fd)
        except OSError:
            try:
                holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            except OSError:
                holder = "?"
            raise CatalogError(f"một lệnh ocop khác (tiến trình {holder}) đang ghi vào {out}; "
                               f"chờ lệnh đó xong rồi chạy lại ocop {command}") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]  # Windows only
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def write_marker(folder: Path, command: str) -> None:
    (Path(folder) / MARKER).write_text(marker_text(command), encoding="utf-8")


# Deletes a folder from a grandchild in its own session: the command does not wait for it, and
# no process of ours is left to reap (the child exits at once, after forking).
_REMOVER = ("import os, shutil, sys\n"
            "if os.fork() == 0:\n"
            "    os.setsid()\n"
            "    shutil.rmtree(sys.argv[1], ignore_errors=True)\n"
            "    os._exit(0)\n")


def discard(folder: Path, beside: Path) -> None:
    """Delete ``folder`` (an old output, a stale staging folder) without waiting: moved into the
    trash of ``beside``'s cache folder, then deleted by a detached process (see module doc)."""
    folder = Path(folder)
    if not folder.exists():
        return
    trash = cache_dir(beside) / "trash"
    try:
        trash.mkdir(parents=True, exist_ok=True)
        target = trash / f"{os.getpid()}-{folder.name}-{os.urandom(4).hex()}"
        os.rename(folder, target)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)  # another file system: delete it here
        return
    _remove_detached(target)


def empty_trash(beside: Path) -> None:
    """Delete what earlier runs left in the trash (their detached deletion was interrupted)."""
    trash = cache_dir(beside) / "trash"
    if trash.is_dir():
        for entry in sorted(trash.iterdir()):
            _remove_detached(entry)


def _remove_detached(path: Path) -> None:
    if not hasattr(os, "fork") or os.environ.get("OCOP_DELETE_NOW"):
        shutil.rmtree(path, ignore_errors=True)
        return
    try:
        subprocess.run([sys.executable, "-c", _REMOVER, str(path)], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(path, ignore_errors=True)


def recover(out: Path) -> None:
    """Undo what an interrupted run left behind (a process killed at any moment).

    Finished output is only ever moved by renames: ``out`` → ``.out.old-PID`` → (new) ``out``. A
    run killed between the two renames leaves no ``out`` but a complete ``.out.old-*``: put it
    back. Staging folders (``.out.building-*``) are incomplete by definition: remove them.
    """
    out = Path(out)
    olds = sorted(out.parent.glob(f".{out.name}.old-*"))
    if not out.exists() and olds:
        os.rename(olds[-1], out)
        olds = olds[:-1]
    for stale in olds + sorted(out.parent.glob(f".{out.name}.building-*")):
        discard(stale, out)
    empty_trash(out)


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE). False where unsupported."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0


def swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` with ``new`` so that ``out`` is never half-written or missing.

    Where the kernel can, the two folders are exchanged in one atomic step; elsewhere two renames
    are used and :func:`recover` repairs a run killed between them.
    """
    if out.exists() and not out.is_dir():
        raise CatalogError(f"{out} đã tồn tại và không phải thư mục")
    if out.exists() and exchange(new, out):
        discard(new, out)  # `new` now holds the previous output: deleted without waiting
        return
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(out, old)
    os.rename(new, out)
    if old is not None:
        discard(old, out)
