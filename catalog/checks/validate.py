"""Validate a data root: every file, every problem, one run. Read-only.

A data root holds ``ocop.yaml`` and four record folders, each organised by province folder,
one record per file, file name = record id::

    ocop.yaml
    products/<province>/<id>.yaml      producers/<province>/<id>.yaml
    sales_points/<province>/<id>.yaml  villages/<province>/<id>.yaml
    images/…                           photos referenced by records
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import re
import stat
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from . import lookalike
from ..runtime import parallel
from ..reference import places
from ..records import privacy
from ..records.urls import digital_link_path
from ..reference.errors import CatalogError
from ..runtime.cache import FileCache, LazyLoaded
from ..runtime.output import write_atomic
from ..records.loader import load_bytes, load_file, read_regular
from ..records.model import Catalogue, Record, build_catalogue
from ..records.problems import ERROR, Problem, did_you_mean, sort_problems
from ..runtime.progress import SILENT, Progress
from .rules import _ANY_MARKER as LEGACY_MARKER_CHARS, KIND_FOLDERS, Checked, run_checks
from ..records.schemas import is_valid_fast, validate_record

CONFIG_FILE = "ocop.yaml"
MANIFEST_FILE = "published-ids.txt"
IGNORED_NAMES = {"README.md", ".gitkeep", ".DS_Store"}


@dataclass
class Result:
    problems: list[Problem]
    files: int
    catalogue: Catalogue | None = None
    checked: list[Checked] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)  # record file → SHA-256 of its bytes

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def ok(self) -> bool:
        return not self.errors


def discover(root: Path) -> tuple[list[tuple[str, str, Path]], list[Problem]]:
    """(kind, province folder, path) for every record file, sorted; plus stray-file problems."""
    found: list[tuple[str, str, Path]] = []
    problems: list[Problem] = []
    for kind, folder_name in KIND_FOLDERS.items():
        base = root / folder_name
        if base.is_symlink():  # a linked kind folder could be anywhere on the machine: not read
            problems.append(Problem("linked-folder", folder_name))
            continue
        if not base.is_dir():
            continue
        for entry in sorted(base.iterdir()):
            rel = entry.relative_to(root).as_posix()
            if entry.name in IGNORED_NAMES or entry.name.startswith("."):
                continue
            if entry.is_symlink() and entry.is_dir():
                problems.append(Problem("linked-folder", rel))
                continue
            if not entry.is_dir():
                problems.append(Problem("stray-file", rel, args={"kind": folder_name}))
                continue
            if entry.name not in places.provinces_by_folder():
                s = places.suggest_province(entry.name, list(places.provinces_by_folder()))
                problems.append(Problem("unknown-province-folder", rel, args={
                    "folder": entry.name, "suggestion": did_you_mean(s)}))
            # (parts below the province folder, folder, name, a linked folder?): os.walk and plain
            # strings, not rglob and Path objects (24,000 files nationally; issue #27)
            top = os.fspath(entry)
            inside: list[tuple[tuple[str, ...], str, str, bool]] = []
            for dirpath, dirnames, filenames in os.walk(top):
                below = () if dirpath == top else tuple(os.path.relpath(dirpath, top).split(os.sep))
                inside += [(below + (name,), dirpath, name, False) for name in filenames]
                inside += [(below + (name,), dirpath, name, True) for name in dirnames
                           if os.path.islink(os.path.join(dirpath, name))]  # a linked folder: reported below
            for parts, dirpath, name, linked_folder in sorted(inside):
                if linked_folder:
                    problems.append(Problem("linked-folder", "/".join((rel, *parts))))
                    continue
                if name in IGNORED_NAMES:
                    continue
                # Path(name).suffix == ".yaml": a name of more than the suffix alone (".yaml" has none)
                if not (name.endswith(".yaml") and len(name) > len(".yaml")) or len(parts) != 1:
                    problems.append(Problem("stray-file", "/".join((rel, *parts)), args={"kind": folder_name}))
                    continue
                found.append((kind, entry.name, Path(dirpath, name)))
    return found, problems


def load_config(root: Path) -> tuple[dict | None, list[Problem]]:
    """``ocop.yaml``: checked against ``schemas/config.schema.json`` like any record."""
    path = root / CONFIG_FILE
    if not (path.exists() or path.is_symlink()):
        return None, [Problem("missing-config", CONFIG_FILE)]
    loaded = load_file(path, CONFIG_FILE)
    if loaded.data is None:
        return None, loaded.problems
    data, problems = validate_record("config", loaded)
    return (None if problems else data), problems


MAX_MANIFEST_BYTES = 16 * 1024 * 1024  # ~400,000 ids


def read_manifest(root: Path) -> tuple[list[tuple[int, str, str]], list[Problem]]:
    """``published-ids.txt``: one 'kind id' line per record ever published (see ``ocop manifest``).

    Read only when it is a regular file inside the root (a link to /etc/passwd would be printed
    line by line as bad lines; a FIFO would hang the validation)."""
    path = root / MANIFEST_FILE
    if not (path.exists() or path.is_symlink()):
        return [], []
    raw, problem = read_regular(path, MANIFEST_FILE, MAX_MANIFEST_BYTES)
    if raw is None:
        return [], [problem] if problem else []
    if len(raw) > MAX_MANIFEST_BYTES:
        return [], [Problem("file-too-large", MANIFEST_FILE, args={"size": len(raw), "limit": MAX_MANIFEST_BYTES})]
    entries, problems = [], []
    for n, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        parts = text.split()
        if _gtin_line(parts):
            entries.append((n, GTIN, f"{parts[1]} {parts[2]}"))
            continue
        if len(parts) != 2 or parts[0] not in KIND_FOLDERS:
            problems.append(Problem("bad-manifest-line", MANIFEST_FILE, n, 1, args={"value": f"'{text}'"}))
            continue
        entries.append((n, parts[0], parts[1]))
    return entries, problems


# A product's GTIN is published with it: labels printed with it encode 01/<GTIN> (GS1 Digital Link),
# so the manifest also holds "gtin <14 digits> <product id>" lines (probe, round six: a pull request
# moved a revoked product's GTIN to a new valid product, and every label of the revoked one then
# opened a valid page; removing it sent them all to a 404 — validate said nothing of either).
GTIN = "gtin"


def _gtin_line(parts: list[str]) -> bool:
    return len(parts) == 3 and parts[0] == GTIN and parts[1].isdigit() and len(parts[1]) == 14 and parts[1].isascii()


def gtin14(value: Any) -> str | None:
    """A record's GTIN as the 14 digits its label's URL carries, or None."""
    text = str(value) if value not in (None, "") else ""
    return text.zfill(14) if text.isdigit() and text.isascii() else None


def published_history(root: Path) -> tuple[str | None, dict[tuple[str, str], str]]:
    """What git remembers of ``published-ids.txt``: (the newest commit reachable from HEAD that
    holds the file, or None: never published) and every 'kind id' line ever added to it → the
    commit that added it.

    This is how "never published" is known: a catalogue is published once a commit has held
    ``published-ids.txt`` (``ocop manifest`` runs in the deploy workflow after each deploy and
    commits it). Deleting the file or some of its lines therefore never turns the check off: the
    ids come back from history. Without git (or outside a work tree) there is no history: then
    only the file is read. The deploy workflow checks out the whole history for this.
    The lines are read whatever the pull request's own ``.gitattributes`` says: ``--text`` and
    ``--no-textconv`` (probe, round five: ``published-ids.txt -diff`` made git print "Binary files
    differ" instead of the lines, and every published id was forgotten)."""
    import subprocess

    try:
        run = subprocess.run(
            ["git", "-C", str(root), "log", "--no-color", "--no-ext-diff", "--no-renames", "--format=commit %h",
             "-p", "--text", "--no-textconv", "--unified=0", "--", MANIFEST_FILE],
            capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return None, {}
    if run.returncode != 0:
        return None, {}
    newest: str | None = None
    ids: dict[tuple[str, str], str] = {}
    commit = ""
    for line in run.stdout.decode("utf-8", errors="replace").splitlines():
        if line.startswith("commit "):
            commit = line.split()[1]
            newest = newest or commit
        elif line.startswith("+") and not line.startswith("+++"):
            parts = line[1:].split("#", 1)[0].split()
            if len(parts) == 2 and parts[0] in KIND_FOLDERS:
                ids[(parts[0], parts[1])] = commit  # newest first: the oldest adder is kept
            elif _gtin_line(parts):
                ids[(GTIN, f"{parts[1]} {parts[2]}")] = commit
    return newest, ids


# What a data repository must never track (issue #22): the tool's outputs and caches. The tool
# no longer reads any of them from the data folder (catalog/runtime/output.py), but a pull request that
# adds them is either a mistake (a built site committed by hand) or an attack on older versions.
TRACKED_OUTPUT_PATTERNS = (":(glob)**/.ocop-output", ":(glob)**/*.pickle",
                           *(f":(glob)**/.*.{kind}{tail}" for kind in ("cache", "ocop-*", "building-*", "old-*")
                             for tail in ("", "/**")))


def tracked_outputs(root: Path) -> list[Problem]:
    """One error per build output or cache the git repository holding ``root`` tracks (above).
    Nothing when ``root`` is not in a git work tree or git is missing. ``core.fsmonitor`` is
    switched off: a read-only check runs no program named by a repository's settings."""
    import subprocess

    try:
        run = subprocess.run(["git", "-c", "core.fsmonitor=false", "-C", str(root), "ls-files", "-z", "--cached",
                              "--", *TRACKED_OUTPUT_PATTERNS], capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    if run.returncode != 0:
        return []
    names = sorted(n for n in run.stdout.decode("utf-8", errors="replace").split("\0") if n)
    outputs = sorted({n.rsplit("/", 1)[0] if n.endswith(".ocop-output") and "/" in n else n for n in names})
    outputs = [n for n in outputs if not any(n.startswith(o + "/") for o in outputs)]  # a folder named once
    return [Problem("tracked-output", name, args={"value": f"'{name}'"}) for name in outputs[:20]]


def check_manifest(root: Path, checked: list[Checked]) -> list[Problem]:
    """Every id ever published must still lead somewhere: a record, or a record's former_ids.

    "Ever published" is the file and, in a git work tree, every line it ever held (see
    :func:`published_history`); deleting the file of a published catalogue is an error."""
    entries, problems = read_manifest(root)
    newest, history = published_history(root)
    path = root / MANIFEST_FILE
    if newest is not None and not (path.exists() or path.is_symlink()):
        problems.append(Problem("published-ids-deleted", MANIFEST_FILE, args={"manifest": MANIFEST_FILE, "commit": newest}))
    listed = {(kind, rid) for _, kind, rid in entries}
    removed = sorted(set(history) - listed)
    if removed and (path.exists() and not path.is_symlink()):
        problems.append(Problem("published-ids-lines-removed", MANIFEST_FILE, args={
            "count": len(removed), "value": f"'{removed[0][0]} {removed[0][1]}'", "manifest": MANIFEST_FILE}))
    known: set[tuple[str, str]] = set()
    unreadable: dict[str, list[str]] = {}  # kind -> the text of its files that could not be read
    for c in checked:
        if c.data is None:
            known.add((c.kind, c.stem))  # unreadable file: its own error says so
            unreadable.setdefault(c.kind, []).append(_text_of(root / c.file))
            continue
        known.add((c.kind, str(c.data.get("id", c.stem))))
        known.add((c.kind, c.stem))  # an id unlike its file name is id-mismatch's error, not a published id gone
        for old in c.data.get("former_ids", []) or []:
            known.add((c.kind, str(old)))
    # An id named in a file that could not be read (a tab, a YAML slip, an old code page) may be one
    # of its former_ids: that file's own error is the one mistake, not a published id gone missing.
    for kind, texts in unreadable.items():
        for _, k, rid in entries:
            if k == kind and (k, rid) not in known and any(_names_id(text, rid) for text in texts):
                known.add((k, rid))
        for k, rid in removed:
            if k == kind and (k, rid) not in known and any(_names_id(text, rid) for text in texts):
                known.add((k, rid))
    for n, kind, rid in entries:
        if kind != GTIN and (kind, rid) not in known:
            problems.append(Problem("published-id-missing", MANIFEST_FILE, n, 1,
                                    args={"value": f"'{rid}'", "manifest": MANIFEST_FILE}))
    for kind, rid in removed:
        if kind != GTIN and (kind, rid) not in known:
            problems.append(Problem("published-id-missing", MANIFEST_FILE, 0, 0, args={
                "value": f"'{rid}'", "manifest": f"{MANIFEST_FILE} @ {history[(kind, rid)]}"}))
    published_gtins = {rid: MANIFEST_FILE for _, kind, rid in entries if kind == GTIN}
    published_gtins.update({rid: f"{MANIFEST_FILE} @ {commit}" for (kind, rid), commit in history.items()
                            if kind == GTIN and rid not in published_gtins})
    problems.extend(_published_gtins_kept(checked, published_gtins))
    return problems


def _published_gtins_kept(checked: list[Checked], published: dict[str, str]) -> list[Problem]:
    """Each published "GTIN product" pair: the product (under its id or a later one naming it in
    former_ids) still carries that GTIN. Another product given it is then duplicate-gtin's error.
    A product whose record cannot be read, or that is gone, has its own error already."""
    products: dict[str, Checked] = {}
    for c in checked:
        if c.kind == "product" and c.data is not None:
            products.setdefault(str(c.data.get("id", c.stem)), c)
            for old in c.data.get("former_ids", []) or []:
                products.setdefault(str(old), c)
    problems = []
    for pair, where in sorted(published.items()):
        number, pid = pair.split(" ", 1)
        item = products.get(pid)
        if item is None or gtin14(item.data.get("gtin")) == number:
            continue
        has = item.data.get("gtin")
        problems.append(item.problem("published-gtin-changed", ("gtin",),
                                     has if has not in (None, "") else "(không có)", published=number[1:] if number.startswith("0") else number,
                                     product=pid, manifest=where, address=digital_link_path(number)))
    return problems


def _text_of(path: Path) -> str:
    """A record file's text however it was saved (UTF-8, UTF-16, an old code page), for ids only."""
    try:
        raw = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
    except OSError:
        return ""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", errors="replace")
    return raw.decode("utf-8", errors="replace")


def _names_id(text: str, rid: str) -> bool:
    """``rid`` appears in ``text`` as a whole id (not part of a longer one)."""
    return re.search(r"(?<![a-z0-9-])" + re.escape(rid) + r"(?![a-z0-9-])", text) is not None


def write_manifest(root: Path, catalogue: Catalogue) -> Path:
    """Add every current id to the manifest (ids are never removed from it)."""
    entries, _ = read_manifest(root)
    lines = {f"{kind} {rid}" for _, kind, rid in entries}
    lines |= {f"{kind} {rid}" for kind, rid in published_history(root)[1]}  # lines removed by hand come back
    for kind in KIND_FOLDERS:
        lines |= {f"{kind} {rid}" for rid in catalogue.table(kind)}
    lines |= {f"{GTIN} {number} {p.id}" for p in catalogue.products.values() if (number := gtin14(p.data.get("gtin")))}
    path = root / MANIFEST_FILE
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise CatalogError(f"{MANIFEST_FILE} không phải tệp thường (liên kết hoặc tệp đặc biệt): không ghi vào nó")
    header = ("# Ids published on the public site. A label printed with one of these ids must keep working:\n"
              "# `ocop validate` fails if one disappears. Updated by `ocop manifest`; never remove lines.\n"
              "# 'gtin <14 digits> <product id>': the GTIN a product's labels carry (01/<GTIN>) stays with it.\n")
    write_atomic(path, (header + "".join(f"{line}\n" for line in sorted(lines))).encode("utf-8"))
    return path


PARALLEL_FROM = 2000  # files; below this one process is quicker than starting workers


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None  # load_file reports it


def _check_file(job: tuple[str, Path, str, bytes | None, bool]) -> tuple:
    """Load and schema-check one file (independent of every other: run on all cores).

    ``as_blob`` (in a worker process): the loaded file (raw data, line/column positions) comes back
    pickled, and is only unpickled if a rule reports a problem on it (cache.LazyLoaded): sending it
    back whole cost as much as reading it."""
    kind, path, rel, raw, as_blob = job
    loaded = load_file(path, rel) if raw is None else load_bytes(raw, rel)
    problems = list(loaded.problems)
    data, schema_ok = None, False
    if loaded.data is not None:
        data, schema_problems = validate_record(kind, loaded)
        problems.extend(schema_problems)
        # values holding a reported hidden character are taken out: a required one (an id) leaves data the
        # rules may not rely on (they read data["id"] of a schema-valid record)
        schema_ok = not schema_problems and (not loaded.hidden or is_valid_fast(kind, data))
    if as_blob:
        return rel, pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL), data, schema_ok, problems
    return rel, loaded, data, schema_ok, problems


def _local_extras(item: Checked) -> list[Problem]:
    """The problems besides catalog/checks/rules.py's LOCAL checks that depend on one record alone:
    cached with them (rules.run_checks ``extra_local``)."""
    return [*lookalike.check([item]), *privacy.local_check(item)]


@dataclass
class _Read:
    """What the first step of a check has read: every record file loaded and schema-checked."""
    root: Path
    config: dict | None
    problems: list[Problem]
    files: int
    checked: list[Checked]
    digests: dict[str, str]


def _read_records(root: Path, cache: FileCache | None, progress: Progress) -> _Read:
    """The first step of :func:`check`: the configuration and every record file, loaded and
    checked against its schema (from ``cache`` for files whose bytes it knows)."""
    root = Path(root)
    if not root.is_dir():
        raise CatalogError(f"Không tìm thấy thư mục dữ liệu {root}")
    if not any((root / name).is_dir() for name in KIND_FOLDERS.values()) and not (root / CONFIG_FILE).exists():
        raise CatalogError(
            f"{root} không phải thư mục dữ liệu OCOP: cần tệp {CONFIG_FILE} và các thư mục "
            + ", ".join(f"{n}/" for n in KIND_FOLDERS.values())
        )
    config, problems = load_config(root)
    files, stray = discover(root)
    problems.extend(stray)
    with progress.phase("records", total=len(files)) as reading:
        checked: list[Checked] = []
        digests: dict[str, str] = {}
        results: dict[str, tuple] = {}
        jobs = []
        # = path.relative_to(root).as_posix(), without its cost for 24,000 files. Path(".") / "x" is
        # "x", not "./x": the current folder (the default root) has no prefix at all.
        prefix = "" if str(root) == "." else str(root).rstrip(os.sep) + os.sep
        # a list beside ``files``, not a dict keyed by Path: hashing 24,000 Paths cost ~0.08 s (issue #27)
        rels = [str(path)[len(prefix):].replace(os.sep, "/") if str(path).startswith(prefix)
                else path.relative_to(root).as_posix() for _, _, path in files]
        maybe_legacy: dict[str, bool] = {}
        stats: dict[str, os.stat_result | None] = {}  # of the files read, for the cache
        for (kind, _, path), rel in zip(files, rels):
            try:
                st = os.lstat(path)
            except OSError:
                st = None
            if cache is not None and st is not None and stat.S_ISREG(st.st_mode):
                hit = cache.get_unchanged(rel, st)  # same file, untouched since it was read: not read again
                if hit is not None:
                    digests[rel], maybe_legacy[rel], results[rel] = hit
                    continue
            # only a regular file is read here; a link, FIFO or device becomes its problem in load_file
            raw = _read(path) if st is not None and stat.S_ISREG(st.st_mode) else None
            if raw is not None:
                digests[rel] = hashlib.sha256(raw).hexdigest()
                maybe_legacy[rel] = not LEGACY_MARKER_CHARS.isdisjoint(raw.decode("utf-8", "replace"))
                hit = cache.get(rel, digests[rel], st, maybe_legacy[rel]) if cache is not None else None
                if hit is not None:
                    results[rel] = hit
                    continue
            jobs.append([kind, path, rel, raw, False])
            stats[rel] = st
        if len(jobs) >= PARALLEL_FROM and parallel.cores() > 1:
            for job in jobs:
                job[4] = True
        reading.advance(len(files) - len(jobs))  # unchanged since the last build: nothing to read
        for result in parallel.map_ordered(_check_file, [tuple(j) for j in jobs], parallel_from=PARALLEL_FROM,
                                           on_done=reading.advance):
            if isinstance(result[1], bytes):
                result = (result[0], LazyLoaded(result[1]), *result[2:])
            results[result[0]] = result
            if cache is not None and result[0] in digests:
                cache.put(result[0], digests[result[0]], result, stats[result[0]], maybe_legacy[result[0]])
        for (kind, folder, path), rel in zip(files, rels):
            _, loaded, data, schema_ok, file_problems = results[rel]
            problems.extend(file_problems)
            checked.append(Checked(kind, rel, folder, path.stem, loaded, data, schema_ok, root, maybe_legacy.get(rel, True)))
    return _Read(root, config, problems, len(files), checked, digests)


def _stamp(read: _Read, as_of: dt.date) -> str:
    """What the local checks' problems were made with besides the file: the as-of date and base URL."""
    return json.dumps([as_of.isoformat(), read.config.get("base_url") if read.config else None])


def _rule_problems(read: _Read, as_of: dt.date, known: dict[str, list[Problem]],
                   alone: bool = False) -> tuple[list[Problem], dict[str, list[Problem]]]:
    """The second step of :func:`check`: the rules on every record (the local ones only for files
    not in ``known``), the personal-data checks, the manifest and tracked outputs. Returns the
    problems and the local problems computed now (for the cache). ``alone``: in this process only
    (a build's background process may not start workers, :func:`check_ahead`)."""
    root, checked = read.root, read.checked
    published = frozenset((kind, rid) for _, kind, rid in read_manifest(root)[0])  # "the existing record" of a twin
    base_url = read.config.get("base_url") if read.config else None
    problems, fresh = run_checks(checked, as_of, base_url, published, known, _local_extras, alone=alone)
    producers = privacy.producer_table(checked)
    for item in checked:
        problems.extend(privacy.product_check(item, producers))
    problems.extend(check_manifest(root, checked))
    problems.extend(tracked_outputs(root))
    return problems, fresh


def _result(read: _Read, rule_problems: list[Problem]) -> Result:
    return Result(sort_problems(read.problems + rule_problems), read.files + 1, checked=read.checked,
                  digests=read.digests)


def _assemble(read: _Read, as_of: dt.date) -> Catalogue:
    records = [Record(c.kind, c.data["id"], c.folder, c.file, c.data) for c in read.checked]
    return build_catalogue(records, read.config, as_of)


def check(root: Path, as_of: dt.date, cache: FileCache | None = None, progress: Progress = SILENT,
          assemble: bool = True) -> Result:
    """Load and validate everything under ``root``; build the catalogue when there are no errors.

    ``cache`` (catalog/runtime/cache.py) reuses, for each file whose bytes have not changed, the
    load-and-schema result and the problems of the checks that read that record alone (with the
    same as-of date and base URL); the rules across records always run on every record, so the
    problems are those of a run without a cache (tests/test_validate_cache.py). ``progress``: the
    phases and the files done (catalog/runtime/progress.py). ``assemble=False`` (``ocop validate``:
    problems only): no catalogue is assembled (~0.4 s at 15,000 products; no problem comes of it)."""
    read = _read_records(root, cache, progress)
    progress.phase("rules").close()
    stamp = _stamp(read, as_of)
    known = cache.known_checks(stamp, read.digests) if cache is not None else {}
    rule_problems, fresh = _rule_problems(read, as_of, known)
    if cache is not None:
        cache.put_checks(stamp, read.digests, fresh)
    result = _result(read, rule_problems)
    if result.ok and read.config is not None and assemble:
        result.catalogue = _assemble(read, as_of)
    return result


class Ahead:
    """A check whose second step runs on another core while the caller goes on (:func:`check_ahead`).
    ``catalogue``: assembled from the first step, before any rule across records has run — None
    when there is none to assemble (errors already, or no configuration). ``result()`` waits for
    the rules and gives the whole :class:`Result`, the same as :func:`check`'s."""

    def __init__(self, read: _Read, catalogue: Catalogue | None, result: Result | None = None,
                 job: Any = None, cache: FileCache | None = None, stamp: str = "") -> None:
        self.read, self.catalogue, self.digests = read, catalogue, read.digests
        self._result, self._job, self._cache, self._stamp = result, job, cache, stamp

    def result(self) -> Result:
        if self._result is None:
            problems, fresh = self._job.result()
            if self._cache is not None:
                self._cache.put_checks(self._stamp, self.digests, fresh)
            self._result = _result(self.read, problems)
            if self._result.ok:
                self._result.catalogue = self.catalogue
        return self._result

    def close(self) -> None:
        if self._job is not None:
            self._job.close()


AHEAD_UP_TO = 400  # records whose local checks must run; above this (a cold build) the rules run first, on all cores


def check_ahead(root: Path, as_of: dt.date, cache: FileCache | None = None, progress: Progress = SILENT,
                beside: bool = True) -> Ahead:
    """:func:`check` for ``ocop build`` (issue #27): after one edit at 15,000 products the rules
    across records take ~1 s of the ~7 s. When the first step found no error and only a few records
    need their local checks again (an incremental build), the rules run in a background process on
    the other core, and the catalogue is assembled at once from the records as read, so that the
    build renders its pages into its staging folder meanwhile. **The build publishes nothing before
    ``result()`` says the records have no error** (catalog/site/build.py, ``gate``): a refused
    build leaves the live site and its state as they were, exactly like one that checked first.
    A catalogue that cannot even be assembled (a reference to a missing producer, which a rule
    reports) waits for the rules at once. Otherwise, or without a second core, the same steps in
    turn (the result is then final), and with ``beside`` False (the other core has other work: the
    build makes its shadow there)."""
    read = _read_records(root, cache, progress)
    progress.phase("rules").close()
    stamp = _stamp(read, as_of)
    known = cache.known_checks(stamp, read.digests) if cache is not None else {}
    misses = sum(1 for item in read.checked if item.data is not None and item.file not in known)
    if not beside or read.config is None or any(p.severity == ERROR for p in read.problems) or misses > AHEAD_UP_TO:
        problems, fresh = _rule_problems(read, as_of, known)
        if cache is not None:
            cache.put_checks(stamp, read.digests, fresh)
        result = _result(read, problems)
        if result.ok:
            result.catalogue = _assemble(read, as_of)
        return Ahead(read, result.catalogue, result)
    job = parallel.background(partial(_rule_problems, read, as_of, known, True))
    ahead = Ahead(read, None, job=job, cache=cache, stamp=stamp)
    try:
        ahead.catalogue = _assemble(read, as_of)
    except Exception:
        if ahead.result().ok:  # the rules found nothing: the failure is the tool's own
            ahead.close()
            raise
    return ahead
