"""What a run killed with SIGKILL leaves behind, cleaned at the next run (issue #22).

A run that is killed cannot tidy up: ``ocop booklet`` and ``ocop offline`` leave their half-written
file beside the output (``.<name>.tmp-<pid>``, renamed into place only when whole) and their work
folders in the temporary folder (``/tmp/ocop-booklet-…``, ``ocop-offline-…``, ``ocop-pages-…``). The
next run removes them, by these rules:

* **Only names the tool makes.** A work folder is named ``ocop-<kind>-<pid>-<random>``
  (:func:`work_prefix`; ``<kind>`` one of :data:`WORK_KINDS`); a half-written file
  ``.<output name>.tmp-<pid>`` beside that output. Nothing else is looked at.
* **Only when the run that made it is gone.** The ``<pid>`` in the name is not a running process
  (``kill(pid, 0)``). A run still going (another ``ocop booklet`` in parallel) keeps its files; a
  pid reused since by another process only delays the cleaning to a later run.
* **Checked with lstat, never following a link.** The folder holding the names is opened once
  and every entry is examined and removed relative to it (``dir_fd``): a half-written file must be
  a regular file, a work folder a real folder owned by this user. A link with such a name — planted
  to make the tool delete what it points to — is left alone, and so is its target. Work folders are
  deleted with ``shutil.rmtree``, which on Linux does not follow the links inside them.

The half-written file of the *current* run is made by :func:`fresh_temp`: its name is predictable,
so whatever a checkout holds under it (a link) is removed, never followed, and the file is created
exclusively before anything is written into it.

Nothing here raises for a file that cannot be removed (another user's, a read-only disk): the
cleaning is best effort and never stops the run that does it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path

from ..reference.errors import CatalogError

WORK_KINDS = ("booklet", "offline", "pages")
_WORK = re.compile(r"^ocop-(?:%s)-([0-9]{1,10})-[A-Za-z0-9_]{1,32}$" % "|".join(WORK_KINDS))


def work_prefix(kind: str) -> str:
    """The ``prefix`` of a work folder of this run (``tempfile.TemporaryDirectory(prefix=…)``)."""
    assert kind in WORK_KINDS, kind
    return f"ocop-{kind}-{os.getpid()}-"


def _gone(pid: int) -> bool:
    """No process has this id (a run that was killed)."""
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError, OSError):
        return False  # PermissionError: a process of another user runs with this id
    return False


def _sweep(folder: Path, pattern: re.Pattern[str], want_dir: bool) -> list[str]:
    """Remove the entries of ``folder`` whose name matches ``pattern`` (group 1: the pid of the run
    that made it) when that run is gone; the names removed."""
    removed: list[str] = []
    flags = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return removed  # no folder (or a link in its place): nothing of ours there
    try:
        for name in sorted(os.listdir(fd)):
            found = pattern.match(name)
            if found is None or not _gone(int(found.group(1))):
                continue
            try:
                st = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except OSError:
                continue
            try:
                if want_dir and stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid():
                    shutil.rmtree(name, dir_fd=fd)
                elif not want_dir and stat.S_ISREG(st.st_mode):
                    os.unlink(name, dir_fd=fd)
                else:
                    continue  # a link, a folder where a file was expected…: not ours
            except OSError:
                continue
            removed.append(name)
    finally:
        os.close(fd)
    return removed


def clean_work_folders(temp: Path | None = None) -> list[str]:
    """Remove the work folders of killed runs from the temporary folder; the names removed."""
    return _sweep(Path(temp or tempfile.gettempdir()), _WORK, want_dir=True)


def temp_name(target: Path) -> Path:
    """The half-written file beside ``target`` (renamed onto it when whole)."""
    return target.with_name(f".{target.name}.tmp-{os.getpid()}")


def fresh_temp(target: Path) -> Path:
    """:func:`temp_name` of ``target``, made now as a new, empty regular file of this run. The name is
    predictable (the cleaning above needs the pid in it), so a checkout can hold a link with it, or a
    run killed earlier with the same pid left a file there: whatever is there is removed first — a
    link itself, never what it points to — and the name is created exclusively without following a
    link (written through, a planted link let ``ocop offline`` overwrite its target and ``ocop
    booklet`` rename its target onto the booklet). The run then writes into its own file only."""
    tmp = temp_name(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(3):
        try:
            os.close(os.open(tmp, flags, 0o666))
            return tmp
        except FileExistsError:
            if stat.S_ISDIR(os.lstat(tmp).st_mode):
                raise CatalogError(f"{tmp}: một thư mục mang tên tệp tạm của lệnh; xoá hoặc đổi tên nó rồi chạy lại") from None
            os.unlink(tmp)
    raise CatalogError(f"{tmp}: tên tệp tạm bị tạo lại liên tục (một chương trình khác?); chạy lại lệnh")


def clean_temp_files(target: Path) -> list[str]:
    """Remove the half-written ``.<target name>.tmp-<pid>`` files of killed runs beside ``target``."""
    pattern = re.compile(r"^\.%s\.tmp-([0-9]{1,10})$" % re.escape(target.name))
    return _sweep(target.parent, pattern, want_dir=False)


def clean_zip_temp_files(folder: Path) -> list[str]:
    """Remove the half-written ZIPs of killed ``ocop offline`` runs (``.ocop-<province>[-<lang>].zip.tmp-<pid>``)."""
    return _sweep(folder, re.compile(r"^\.ocop-[a-z0-9-]{1,80}\.zip\.tmp-([0-9]{1,10})$"), want_dir=False)


def clean_after_killed_runs(*, beside: Path | None = None, zips_in: Path | None = None) -> None:
    """Everything a killed run of ``ocop booklet`` (``beside``: its output file) or ``ocop offline``
    (``zips_in``: its --out folder) left; the work folders of any killed run."""
    with contextlib.suppress(OSError):
        clean_work_folders()
        if beside is not None:
            clean_temp_files(beside)
        if zips_in is not None:
            clean_zip_temp_files(zips_in)
