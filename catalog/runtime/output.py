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
  is an advisory ``flock`` on ``lock`` in the output's cache folder; the kernel drops it when the
  process ends, however it ends.
* **Old outputs are deleted off the critical path** (:func:`discard`). The folder a new output
  replaced is moved into ``trash/`` of the output's work folder (a rename) and deleted by a
  detached process; a national site is ~45,000 folders, and deleting them took longer than
  building the pages that changed. Whatever is left there (a machine switched off) goes at the
  next run.
* **Nothing a repository holds is trusted as the tool's own** (issue #22: a pull request that
  committed ``.site.cache/files.pickle`` ran code on the build machine; one that committed a link
  ``.site.cache/trash -> ~`` made the build delete a home folder). So:

  - the **cache** of an output (:func:`cache_dir`: build state, the per-file results, image
    renditions, the lock) lives in the tool's own folder outside every work tree —
    ``$OCOP_CACHE_DIR``, else ``$XDG_CACHE_HOME/ocop``, else ``~/.cache/ocop`` — in a subfolder
    named after the output's resolved path; a ``.site.cache/`` in the data folder is never read;
  - the **work folder** (:func:`work_dir`: staging folders, the incremental build's shadow, the
    trash, a replaced output) must sit beside the output, on the same file system, for the
    renames that make a swap atomic. Its name carries a random token chosen on first use and
    remembered in the cache with the folder's inode; a folder of that name that is a link, is
    not ours or has another inode is never used — a new one is made. A repository cannot plant
    it: the name is unknown when the pull request is written;
  - every folder of the tool's own is checked with ``lstat`` (a real folder, owned by this
    user, never a link) before anything is written or deleted in it; deletion walks only names
    the tool made itself (``building-*``, ``old-*``, ``pages-*``, ``trash/``) and never follows a
    link (``shutil.rmtree`` on Linux works from file descriptors);
  - the per-file results are pickled (they hold the loader's positions) and signed with a key
    kept in the cache folder (catalog/runtime/cache.py): an unsigned or altered file is never unpickled.

Outputs of other commands are single files (``ocop booklet``, the ZIPs of ``ocop offline``):
:func:`guard_file` keeps them out of the data and off files the tool did not make.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
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
    """The command whose output ``folder`` is (from its marker), else None.

    The marker is read only when it is a regular file (opened without following a link, never
    blocking on a FIFO) and only its first line's worth of bytes: a pull request that committed
    ``site/.ocop-output`` as a link to ``/dev/zero`` made ``ocop build --out site`` read until the
    memory ran out, before ``ocop validate`` could refuse the tracked output (probe 4). Every
    folder above an output is asked too (:func:`work_dir`), the checkout's root among them."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(Path(folder) / MARKER, flags)
    except (OSError, ValueError):  # missing, a link, a NUL byte in the name
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        head = os.read(fd, 256)  # "ocop <command>:" is all that is read of it
    except OSError:
        return None
    finally:
        os.close(fd)
    first = head.decode("utf-8", "replace").split(":", 1)[0]
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
    _no_link_on_the_way(out, root)
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


def _no_link_on_the_way(out: Path, root: Path) -> None:
    """No folder on the way to ``out`` inside the data folder (or its git work tree) is a symbolic
    link: those are the pull request's to make, and ``--out site/nhan-in`` with a committed link
    ``site → ../elsewhere`` wrote outside the checkout (probe, round five). Links above the data
    folder (a home on another disk) are the machine's own and are followed."""
    path = Path(os.path.abspath(out))
    bases = [Path(os.path.abspath(root))]
    top = git_top(root.resolve())
    if top is not None:
        bases.append(top)
    for parent in path.parents:
        if parent.is_symlink() and any(_inside(parent, base) and parent != base for base in bases):
            raise _refuse(out, f"thư mục {parent} trên đường tới thư mục này là liên kết tượng trưng (symlink) trong "
                               "thư mục dữ liệu: chọn một thư mục thật, không qua liên kết đó")


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
    try:
        state = json.loads((cache_dir(folder) / state_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(state, dict) and state.get("out_inode") == folder.stat().st_ino


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


def cache_root() -> Path:
    """The tool's own cache folder, outside every work tree (module doc): ``$OCOP_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/ocop``, else ``~/.cache/ocop`` (``%LOCALAPPDATA%\\ocop`` on Windows)."""
    chosen = os.environ.get("OCOP_CACHE_DIR")
    if not chosen:
        base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
        chosen = os.path.join(base, "ocop") if base else os.path.join(os.path.expanduser("~"), ".cache", "ocop")
    root = Path(os.path.abspath(chosen))
    own_folder(root)
    return root


def own_folder(folder: Path) -> Path:
    """Make ``folder`` (and missing parents) for this user only, and check with ``lstat`` that it
    is a real folder owned by this user — never a link someone else planted (module doc)."""
    folder = Path(folder)
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        folder.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        st = os.lstat(folder)
    if not stat.S_ISDIR(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
        what = "liên kết tượng trưng" if stat.S_ISLNK(st.st_mode) else (
            "không phải thư mục" if not stat.S_ISDIR(st.st_mode) else "thư mục của người dùng khác")
        raise CatalogError(f"thư mục riêng của công cụ {folder} là {what}: không dùng. Xoá nó (hoặc đặt "
                           "OCOP_CACHE_DIR tới một thư mục khác) rồi chạy lại")
    return folder


def cache_dir(out: Path) -> Path:
    """The cache of the output ``out``: ``<cache_root>/<name>-<hash of the resolved path>``,
    outside the data folder and the output (module doc). Made on first use, for this user only.

    Keyed by the output alone: two data folders built into one output share it, which is safe —
    every entry is keyed by the bytes it was made from (catalog/runtime/cache.py)."""
    resolved = Path(os.path.abspath(out))
    with contextlib.suppress(OSError):
        resolved = resolved.parent.resolve() / resolved.name
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", resolved.name)[:40] or "out"
    digest = hashlib.sha256(os.fsencode(resolved)).hexdigest()[:24]
    return own_folder(cache_root() / f"{name}-{digest}")


WORK_STATE = "work.json"


def work_dir(out: Path) -> Path:
    """The work folder of ``out`` (staging, shadow, trash, replaced outputs; module doc):
    ``.<out>.ocop-<random token>`` beside it — beside the outermost tool output holding it
    (``ocop labels --out site/nhan-in``), so that nothing of it is published — recognised only by
    the name and inode the cache remembers."""
    out = Path(os.path.realpath(Path(os.path.abspath(out)).parent)) / Path(out).name
    parent, stem = out.parent, out.name
    for folder in reversed(out.parents):  # the outermost tool output holding `out`, if any
        if made_by(folder) is not None:
            parent, stem = folder.parent, ".".join(out.relative_to(folder.parent).parts)
            break
    state_path = cache_dir(out) / WORK_STATE
    try:
        known = json.loads(state_path.read_text(encoding="utf-8"))
        name, ino, dev = known["name"], known["ino"], known["dev"]
        if not re.fullmatch(rf"\.{re.escape(stem)}\.ocop-[0-9a-f]{{32}}", name):
            raise ValueError(name)
        st = os.lstat(parent / name)
        if stat.S_ISDIR(st.st_mode) and (st.st_ino, st.st_dev) == (ino, dev) and (
                not hasattr(os, "geteuid") or st.st_uid == os.geteuid()):
            return parent / name
    except (OSError, ValueError, KeyError, TypeError):
        pass
    parent.mkdir(parents=True, exist_ok=True)
    while True:
        name = f".{stem}.ocop-{os.urandom(16).hex()}"
        try:
            os.mkdir(parent / name, 0o700)
            break
        except FileExistsError:
            continue
    st = os.lstat(parent / name)
    tmp = state_path.with_name(f".{WORK_STATE}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps({"name": name, "ino": st.st_ino, "dev": st.st_dev}), encoding="utf-8")
    os.replace(tmp, state_path)
    return parent / name


def _own_entries(work: Path, prefix: str) -> list[str]:
    """Names in the work folder starting with ``prefix`` that are real folders (never links)."""
    try:
        entries = list(os.scandir(work))
    except OSError:
        return []
    return sorted(e.name for e in entries if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False))


def staging_dir(out: Path, prefix: str = "building-") -> Path:
    """A new empty folder in the work folder of ``out`` (removed by the next :func:`recover` if the
    run is killed before it is swapped in or deleted)."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix=prefix, dir=work_dir(out)))


@contextlib.contextmanager
def locked(out: Path, command: str) -> Iterator[None]:
    """Hold the lock of ``out`` for the block, or refuse at once with one line (module doc)."""
    lock_dir = cache_dir(out)
    fd = os.open(lock_dir / "lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
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


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file ``path`` with ``data`` in one step. The temporary file beside it gets a fresh
    random name, created exclusively (``mkstemp``: never a name a repository could plant as a link
    to somewhere else, issue #22); the rename replaces a link at ``path`` itself, never its target.
    The file keeps the permissions of the one it replaces (a new one: the usual 0666 less umask)."""
    import tempfile

    path = Path(path)
    try:
        st = os.lstat(path)
        mode = stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else None
    except FileNotFoundError:
        mode = None
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
    """Delete ``folder`` (an old output, a stale staging folder, the shadow) without waiting: moved
    into the trash of ``beside``'s work folder, then deleted by a detached process (module doc).
    A link is only unlinked, never followed."""
    folder = Path(folder)
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode):
        os.unlink(folder)
        return
    try:
        trash = own_folder(work_dir(beside) / "trash")
        target = trash / f"{os.getpid()}-{folder.name}-{os.urandom(4).hex()}"
        os.rename(folder, target)
    except (OSError, CatalogError):
        shutil.rmtree(folder, ignore_errors=True)  # another file system: delete it here
        return
    _remove_detached(target)


def empty_trash(beside: Path) -> None:
    """Delete what earlier runs left in the trash (their detached deletion was interrupted)."""
    trash = work_dir(beside) / "trash"
    try:
        st = os.lstat(trash)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode):
        os.unlink(trash)  # not the tool's: only the name goes, never what it points to
        return
    for entry in sorted(os.scandir(trash), key=lambda e: e.name):
        if entry.is_dir(follow_symlinks=False):
            _remove_detached(Path(entry.path))
        else:
            os.unlink(entry.path)


def _remove_detached(path: Path) -> None:
    if not hasattr(os, "fork") or os.environ.get("OCOP_DELETE_NOW"):
        shutil.rmtree(path, ignore_errors=True)
        return
    try:
        subprocess.run([sys.executable, "-c", _REMOVER, str(path)], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(path, ignore_errors=True)


# Names the tool makes in a work folder; only these are ever removed by recover().
_MADE = ("old-", "building-", "pages-")


def recover(out: Path) -> None:
    """Undo what an interrupted run left behind (a process killed at any moment).

    Finished output is only ever moved by renames: ``out`` → ``<work>/old-PID`` → (new) ``out``. A
    run killed between the two renames leaves no ``out`` but a complete ``old-*``: put it back.
    Staging folders (``building-*``, ``pages-*``) are incomplete by definition: remove them. Only
    the work folder the cache remembers is looked in (module doc), never the data folder.
    """
    out = Path(out)
    work = work_dir(out)
    olds = _own_entries(work, "old-")
    if not os.path.lexists(out) and olds:
        os.rename(work / olds[-1], out)
        olds = olds[:-1]
    for name in olds + _own_entries(work, "building-") + _own_entries(work, "pages-"):
        discard(work / name, out)
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
        old = work_dir(out) / f"old-{os.getpid()}-{os.urandom(4).hex()}"
        os.rename(out, old)
    os.rename(new, out)
    if old is not None:
        discard(old, out)
