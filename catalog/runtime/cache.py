"""What an incremental build or validation remembers between runs (``ocop build``, ``ocop validate``).

It lives in the tool's own cache folder, outside the data folder and the output
(catalog/runtime/output.py ``cache_dir``: ``~/.cache/ocop/<out>-<hash>/``), and is only an accelerator:
delete it and the next build is a cold one with the same result. Everything in it is keyed by
:func:`code_fingerprint` — any change to the tool, its schemas, templates, rule tables or the
MkDocs/Material versions makes it count for nothing.

* ``files.pickle`` — per record file: the SHA-256 of its bytes → the result of loading and
  schema-checking it (catalog/checks/validate.py), and the problems of the checks that read that
  record alone (catalog/checks/rules.py ``LOCAL``, look-alike names, its own personal data) with the
  as-of date and base URL they were made with. Rules across records always run again. Pickle is kept
  because the results hold the loader's positions and problems (a JSON form would cost a second
  model of them), but it is **signed**: an HMAC-SHA-256 with a random key made once per machine
  user (``<cache root>/key``, mode 600, never in a repository) is checked before a byte is
  unpickled, so a file planted or altered by anyone else is only a slower build (issue #22).
* ``site.json`` and ``site-keys.pickle`` — the last build: its id, global key and output folder
  (the JSON, which also tells ``guard`` the output is the tool's), and, per output file, the key of
  everything it was made from (catalog/site/build.py, "Incremental builds"), its groups of pages,
  and what MkDocs was given and made (its key, its files and the frames), so that an edit no
  navigation page shows runs no MkDocs — in the pickle, signed like ``files.pickle`` and bound to
  the JSON by the build id (issue #27: 22 MB of JSON read and written at every edit, ~0.4 s).
* ``fragments.pickle`` — per product, its object in catalogue.json and its row of catalogue.csv,
  keyed by the digests of its record files (:class:`Fragments`); signed like ``files.pickle``.
* ``validate.pickle`` — ``ocop validate``'s own ``files.pickle``, in the folder of the data
  path (:func:`validation_cache`): after one edit only that file is read and checked alone again.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import json
import os
import pickle
import time
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ..reference.errors import CatalogError
from ..reference.paths import PACKAGE_DIR
from .output import cache_dir, cache_root, read_json, write_atomic  # noqa: F401  (read_json: cache.read_json for its users)

FORMAT = 1


@lru_cache(maxsize=None)
def code_fingerprint() -> str:
    """Hash of the tool's own code and data, and of the versions of the libraries that render."""
    package = PACKAGE_DIR
    roots = [package, package.parent / "schemas", package.parent / "site_templates", package.parent / "mkdocs.yml"]
    h = hashlib.sha256(f"format {FORMAT}".encode())
    for root in (r for r in roots if r.exists()):
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            h.update(path.as_posix().encode())
            h.update(path.read_bytes())
    for dist in ("mkdocs", "mkdocs-material", "jinja2", "markupsafe", "pyyaml", "jsonschema", "fastjsonschema",
                 "vietnam-provinces", "pillow", "zxing-cpp"):
        try:
            h.update(f"{dist}=={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(dist.encode())
    return h.hexdigest()


__all__ = ["cache_dir", "code_fingerprint", "FileCache", "Fragments", "LazyLoaded", "read_json", "write_json", "signature",
           "validation_cache", "read_signed", "write_signed"]

SIGNED = b"OCOP-SIGNED-1\n"  # then the 32-byte HMAC-SHA-256 of the rest, then the pickle


def signing_key() -> bytes:
    """This user's key for signing cached pickles (module doc), made on first use."""
    path = cache_root() / "key"
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, os.O_RDONLY | nofollow)
    except FileNotFoundError:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
        except FileExistsError:
            return signing_key()  # made by a run started at the same moment
        with os.fdopen(fd, "wb") as fh:
            key = os.urandom(32)
            fh.write(key)
        return key
    with os.fdopen(fd, "rb") as fh:
        key = fh.read(64)
    if len(key) != 32:
        raise OSError(f"{path}: not a signing key")
    return key


def _sign(payload: bytes) -> bytes:
    return SIGNED + hmac.new(signing_key(), payload, hashlib.sha256).digest() + payload


def _verified(doc: bytes) -> bytes | None:
    """The payload of a signed file, or None when it is unsigned or was altered."""
    if not doc.startswith(SIGNED) or len(doc) < len(SIGNED) + 32:
        return None
    mac, payload = doc[len(SIGNED):len(SIGNED) + 32], doc[len(SIGNED) + 32:]
    return payload if hmac.compare_digest(mac, hmac.new(signing_key(), payload, hashlib.sha256).digest()) else None


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)


class LazyLoaded:
    """A cached :class:`catalog.records.loader.Loaded` (raw text data and line/column positions), unpickled
    only when something asks for it — a rule reporting a problem with its line and column. Most
    files never need it, and unpickling every one cost more than the rest of a cached validation."""

    __slots__ = ("_blob", "_value")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._value = None

    def blob(self) -> bytes:
        return self._blob

    def __getattr__(self, name: str) -> Any:
        if self._value is None:
            self._value = pickle.loads(self._blob)
        return getattr(self._value, name)


def signature(st: os.stat_result) -> tuple | None:
    """What identifies a file's state without reading it (like git's index): modification and
    change times in ns, size, inode, device. Any write changes the change time, which no tool can
    set back, so an equal signature means untouched bytes. A file changed within the last
    ``RACY_NS`` gets no signature: a second write in the same clock tick could keep it equal."""
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < RACY_NS:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)


RACY_NS = 2_000_000_000


def _load_signed(path: Path | None) -> dict:
    """The dict in a signed pickle this user wrote with this tool's code ({} for anything else:
    missing, a link, unsigned, altered, another code fingerprint, not a dict, damaged — a cache that
    cannot be trusted is only a slower build). Unpickled only after its signature is checked (module doc)."""
    if path is None or not path.is_file() or path.is_symlink():
        return {}
    try:
        with open(path, "rb") as fh:
            payload = _verified(fh.read())
        doc = _unpickled(payload) if payload is not None else {}  # signed by this user: module doc
    except Exception:  # noqa: BLE001 — a damaged cache is only a slower build
        return {}
    return doc if isinstance(doc, dict) and doc.get("code") == code_fingerprint() else {}


def _unpickled(payload: bytes) -> Any:
    """``pickle.loads`` with the cycle collector paused: unpickling creates hundreds of thousands of
    containers, each a reason for a collection that walks every one made so far (the file cache at
    15,000 products: 0.50 s with collections, 0.32 s without; issue #27). Nothing unpickled here
    is garbage yet, so no collection could free anything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(payload)
    finally:
        if enabled:
            gc.enable()


def write_signed(path: Path, doc: dict) -> None:
    """``doc`` as a signed pickle with this tool's code fingerprint (read back by :func:`read_signed`)."""
    _write_atomic(path, _sign(pickle.dumps({**doc, "code": code_fingerprint()}, protocol=pickle.HIGHEST_PROTOCOL)))


def read_signed(path: Path) -> dict:
    """What :func:`write_signed` wrote, or {} for anything else (see _load_signed)."""
    return _load_signed(path)


class FileCache:
    """Load-and-schema results per record file, keyed by the file's bytes. A result is the tuple
    (file, loaded, data, schema_ok, problems) of catalog/checks/validate.py ``_check_file``. An entry is
    (SHA-256 of the bytes, result, stat signature or None, may the text hold legacy-font
    characters); a file whose signature is unchanged is not even read again (`get_unchanged`)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict[str, tuple] = {}
        self.new: dict[str, tuple] = {}
        self.hits = 0
        # per record file: (SHA-256 of its bytes, stamp, the problems of its local checks) — see
        # `known_checks`; kept in the same signed file
        self.checks_old: dict[str, tuple] = {}
        self.checks_new: dict[str, tuple] = {}
        self.check_misses = 0
        doc = _load_signed(path)
        files, checks = doc.get("files"), doc.get("checks", {})
        if isinstance(files, dict) and isinstance(checks, dict):
            self.old, self.checks_old = files, checks

    def get_unchanged(self, rel: str, st: os.stat_result) -> tuple[str, bool, tuple] | None:
        """(digest, maybe legacy, result) of a file not touched since it was cached, else None."""
        entry = self.old.get(rel)
        if entry is None or entry[2] is None or entry[2] != signature(st):
            return None
        self.hits += 1
        self.new[rel] = entry
        return entry[0], entry[3], self._result(entry)

    def get(self, rel: str, digest: str, st: os.stat_result | None = None, maybe_legacy: bool = True) -> tuple | None:
        entry = self.old.get(rel)
        if entry is not None and entry[0] == digest:
            self.hits += 1
            self.new[rel] = (digest, entry[1], signature(st) if st is not None else None, maybe_legacy)
            return self._result(entry)
        return None

    @staticmethod
    def _result(entry: tuple) -> tuple:
        file, blob, data, schema_ok, problems = entry[1]
        return file, LazyLoaded(blob), data, schema_ok, problems

    def put(self, rel: str, digest: str, result: tuple, st: os.stat_result | None = None,
            maybe_legacy: bool = True) -> None:
        file, loaded, data, schema_ok, problems = result
        blob = loaded.blob() if isinstance(loaded, LazyLoaded) else pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL)
        self.new[rel] = (digest, (file, blob, data, schema_ok, problems), signature(st) if st is not None else None,
                         maybe_legacy)

    def known_checks(self, stamp: str, digests: dict[str, str]) -> dict[str, list]:
        """Record file → the problems of its local checks (catalog/checks/rules.py ``LOCAL``), for
        each file of ``digests`` (file → SHA-256 of its bytes) whose bytes and ``stamp`` (the
        as-of date and base URL they were checked with) are those of the cached entry."""
        known = {}
        for rel, digest in digests.items():
            entry = self.checks_old.get(rel)
            if entry is not None and entry[0] == digest and entry[1] == stamp:
                known[rel] = entry[2]
                self.checks_new[rel] = entry
        return known

    def put_checks(self, stamp: str, digests: dict[str, str], fresh: dict[str, list]) -> None:
        """Remember the local problems just computed (``fresh``: file → problems) for the files read."""
        for rel, problems in fresh.items():
            if rel in digests:
                self.checks_new[rel] = (digests[rel], stamp, problems)
                self.check_misses += 1

    RESAVE_SHARE = 0.01  # rewrite the cache when more than this share of files missed it

    def save(self) -> None:
        """Write the cache when it is missing or stale enough. A few edited files are not worth
        rewriting the whole cache (0.8 s for 24,000 files): they are simply read again next time."""
        if self.path is None:
            return
        misses = len(self.new) - self.hits + self.check_misses
        gone = len(set(self.old) - set(self.new)) + len(set(self.checks_old) - set(self.checks_new))
        if self.path.is_file() and self.old and misses + gone <= self.RESAVE_SHARE * max(len(self.new), 1):
            return
        _write_atomic(self.path, _sign(pickle.dumps({"code": code_fingerprint(), "files": self.new,
                                                     "checks": self.checks_new},
                                                    protocol=pickle.HIGHEST_PROTOCOL)))


class Fragments:
    """Pieces of the catalogue-wide files (catalog/publish/export.py: a product's object in
    catalogue.json and its row of catalogue.csv), kept between builds in a signed pickle in the
    output's cache folder (``fragments.pickle``, signed like ``files.pickle``) under ``scope`` —
    the build's cold key: the tool, configuration and as-of date — and, per piece, a key made of
    the digests of the record files it is made from. A file of another scope, unsigned or altered
    counts for nothing (an empty store). Issue #27: after one officer edit, 15,000 rows were
    made again for one changed product (~1 s)."""

    def __init__(self, path: Path | None, scope: str) -> None:
        self.path, self.scope = path, scope
        self.old: dict[str, Any] = {}
        self.new: dict[str, Any] = {}
        self.misses = 0
        doc = _load_signed(path)
        if doc.get("scope") == scope and isinstance(doc.get("pieces"), dict):
            self.old = doc["pieces"]

    def get(self, key: str) -> Any:
        value = self.old.get(key)
        if value is not None:
            self.new[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.new[key] = value
        self.misses += 1

    def taken(self) -> set[str]:
        """The keys taken or given so far: where :meth:`since` starts."""
        return set(self.new)

    def since(self, before: set[str]) -> tuple[list[str], dict[str, Any]]:
        """What this store took from the last build (keys) and was given (pieces) since ``before``
        (:meth:`taken`): what a forked process hands back to the one that saves the store
        (:meth:`replay`; catalog/site/build.py ``_beside_mkdocs``)."""
        kept = [k for k, v in self.new.items() if k not in before and self.old.get(k) is v]
        made = {k: v for k, v in self.new.items() if k not in before and self.old.get(k) is not v}
        return kept, made

    def replay(self, journal: tuple[list[str], dict[str, Any]]) -> None:
        """Take in what :meth:`since` handed back; in the same process (no fork) it is here already."""
        kept, made = journal
        for key in kept:
            if key in self.old:
                self.new[key] = self.old[key]
        for key, value in made.items():
            if key not in self.new:
                self.put(key, value)

    def save(self) -> None:
        """Written when missing or stale enough (FileCache.RESAVE_SHARE): a few changed pieces
        are simply made again next time."""
        if self.path is None:
            return
        gone = len(set(self.old) - set(self.new))
        if self.path.is_file() and self.old and self.misses + gone <= FileCache.RESAVE_SHARE * max(len(self.new), 1):
            return
        _write_atomic(self.path, _sign(pickle.dumps({"code": code_fingerprint(), "scope": self.scope,
                                                     "pieces": self.new}, protocol=pickle.HIGHEST_PROTOCOL)))


def validation_cache(root: Path) -> FileCache | None:
    """``ocop validate``'s cache of the data folder ``root``: ``validate.pickle`` in the tool's own
    folder for that path (output.py ``cache_dir``; never in the data folder), the same signed
    per-file results as a build's. None when that folder cannot be used: a validation never fails
    because of its cache. Only ever written to the tool's own folder: the command stays read-only
    for the data."""
    try:
        return FileCache(cache_dir(root) / "validate.pickle")
    except (OSError, CatalogError):
        return None


def write_json(path: Path, doc: dict) -> None:
    _write_atomic(path, json.dumps(doc, separators=(",", ":"), sort_keys=True).encode("utf-8"))
