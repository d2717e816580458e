"""Product photos: resized once per width, with their pixel size for width/height attributes.

Takes real JPEG/PNG photos of any size. Each referenced image is written as JPEG at the widths in
``WIDTHS`` (never enlarged), EXIF orientation applied and metadata dropped (phones put GPS in
EXIF). Output is deterministic: same input bytes, same output bytes.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PIL import Image, ImageOps

from .errors import CatalogError

WIDTHS = (480, 960)
QUALITY = 80
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the largest we open


@dataclass
class SiteImage:
    src: str  # site path of the smallest rendition, e.g. "assets/img/lai-chau/x-480.jpg"
    width: int
    height: int
    renditions: list[tuple[str, int]] = field(default_factory=list)  # (site path, width)

    def srcset_rel(self, link) -> str:
        return ", ".join(f"{link(path)} {w}w" for path, w in self.renditions)


def process(root: Path, names: list[str], store: Path) -> tuple[dict[str, SiteImage], list[tuple[str, Path, str]]]:
    """Resize every image in ``names`` (paths under <root>/images) once: renditions are kept in
    ``store`` (the build cache, catalog/cache.py) under the SHA-256 of the source bytes, so an
    unchanged photo is never decoded again, and new ones are resized on all cores. Returns the
    images for the pages and, per rendition, (site path, file in the store, source digest) —
    catalog/site.py copies a rendition into the site only when its digest changed."""
    from . import parallel
    from .cache import code_fingerprint, read_json, signature, write_json

    store.mkdir(parents=True, exist_ok=True)
    index_path = store / "index.json"
    doc = read_json(index_path) or {}
    old = doc.get("images", {}) if doc.get("code") == code_fingerprint() else {}  # new tool: new renditions
    index: dict[str, dict] = {}
    todo: list[tuple[str, Path, str]] = []
    for name in sorted(set(names)):
        source = root / "images" / name
        try:
            st = source.stat()
        except OSError as exc:
            raise CatalogError(f"images/{name}: không mở được ảnh ({exc})") from exc
        sig = signature(st)
        entry = old.get(name)
        if entry is not None and sig is not None and entry.get("sig") == list(sig) and _stored(store, entry):
            index[name] = entry
            continue
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        if entry is not None and entry["digest"] == digest and _stored(store, entry):
            index[name] = {**entry, "sig": list(sig) if sig else None}
            continue
        todo.append((name, source, digest))
        index[name] = {"digest": digest, "sig": list(sig) if sig else None}
    for name, renditions, size in parallel.map_ordered(partial(_render, store), todo, parallel_from=8):
        index[name].update(renditions=renditions, size=size)
    write_json(index_path, {"code": code_fingerprint(), "images": index})
    used = {e["digest"] for e in index.values()}
    for stale in [*store.glob("*.jpg"), *store.glob("*.part")]:  # photos no longer used, interrupted writes
        if stale.suffix == ".part" or stale.name.split("-", 1)[0] not in used:
            stale.unlink()
    out: dict[str, SiteImage] = {}
    files: list[tuple[str, Path, str]] = []
    for name, entry in index.items():
        stem = name.rsplit(".", 1)[0]
        renditions = [(f"assets/img/{stem}-{width}.jpg", w) for width, w in entry["renditions"]]
        out[name] = SiteImage(renditions[0][0], entry["size"][0], entry["size"][1], renditions)
        files += [(path, store / f"{entry['digest']}-{width}.jpg", entry["digest"])
                  for (path, _), (width, _) in zip(renditions, entry["renditions"])]
    return out, files


def _stored(store: Path, entry: dict) -> bool:
    return "renditions" in entry and all((store / f"{entry['digest']}-{width}.jpg").is_file()
                                         for width, _ in entry["renditions"])


def _render(store: Path, job: tuple[str, Path, str]) -> tuple[str, list[tuple[int, int]], tuple[int, int]]:
    """Resize one photo into the store: (name, [(nominal width, real width)], size of the first)."""
    name, source, digest = job
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(source) as opened:
            img = ImageOps.exif_transpose(opened).convert("RGB")
    except (OSError, Image.DecompressionBombError) as exc:
        raise CatalogError(f"images/{name}: không mở được ảnh ({exc})") from exc
    renditions: list[tuple[int, int]] = []
    first: tuple[int, int] | None = None
    for width in WIDTHS:
        w = min(width, img.width)
        h = round(img.height * w / img.width)
        target = store / f"{digest}-{width}.jpg"
        partial_path = target.with_suffix(f".{os.getpid()}.part")
        img.resize((w, h), Image.LANCZOS).save(partial_path, "JPEG", quality=QUALITY, optimize=True)
        os.replace(partial_path, target)  # never a half-written rendition in the store
        renditions.append((width, w))
        if first is None:
            first = (w, h)
        if w == img.width:
            break
    assert first is not None
    return name, renditions, first
