"""Product photos: resized once per width, with their pixel size for width/height attributes.

Takes real JPEG/PNG photos of any size. Each referenced image is written as JPEG at the widths in
``WIDTHS`` (never enlarged), EXIF orientation applied and metadata dropped (phones put GPS in
EXIF): no EXIF, XMP, ICC profile or JPEG comment segment is written. Output is deterministic: same
input bytes, same output bytes.

``ocop validate`` opens every photo with :func:`inspect`, which decodes it exactly as the build
does (:func:`_open`), so a file that would fail the build — a truncated JPEG, a PNG whose text
chunks inflate to gigabytes, a decompression bomb — is a problem on its line, never a traceback in
``ocop build``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from PIL import Image, ImageOps

from ..reference.errors import CatalogError
from ..runtime import parallel
from ..runtime.cache import code_fingerprint, read_json, signature, write_json

WIDTHS = (480, 960)
QUALITY = 80
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the largest we open
# the long side at most this many times the short one: a panorama is 4–6, and a 30,000 × 1 "photo"
# passed validation, then its rendition, one pixel high at 480 wide, rounded to 0 and the build
# stopped with a traceback (probe, round six)
MAX_ASPECT = 20


@dataclass
class SiteImage:
    src: str  # site path of the smallest rendition, e.g. "assets/img/lai-chau/x-480.jpg"
    width: int
    height: int
    renditions: list[tuple[str, int]] = field(default_factory=list)  # (site path, width)

    def srcset_rel(self, link: Callable[[str], str]) -> str:
        return ", ".join(f"{link(path)} {w}w" for path, w in self.renditions)


def process(root: Path, names: list[str], store: Path) -> tuple[dict[str, SiteImage], list[tuple[str, Path, str]]]:
    """Resize every image in ``names`` (paths under <root>/images) once: renditions are kept in
    ``store`` (the build cache, catalog/runtime/cache.py) under the SHA-256 of the source bytes, so an
    unchanged photo is never decoded again, and new ones are resized on all cores. Returns the
    images for the pages and, per rendition, (site path, file in the store, source digest) —
    catalog/site/build.py copies a rendition into the site only when its digest changed."""
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


class BadImage(Exception):
    """A photo that cannot be used: ``code`` and ``args`` of the problem (catalog/records/problems.py)."""

    def __init__(self, code: str, **args: str) -> None:
        super().__init__(code)
        self.code, self.args_ = code, args


MAX_BYTES = 20 * 1024 * 1024


def _open(source: Path, draft: bool = False) -> Image.Image:
    """The photo decoded, upright, in RGB — what every rendition is made from — or BadImage.

    ``draft`` (``ocop validate``): a JPEG is decoded at 1/8 scale. Every byte of it is still read
    and entropy-decoded (a truncated or corrupt file fails the same way), at a tenth of the cost:
    a national catalogue has one photo per product.

    Pillow's own limits stay on (text chunks, pixels); anything it raises on a hostile file (a
    ValueError for a text-chunk bomb, SyntaxError or struct errors for a broken PNG, OSError for a
    truncated JPEG) becomes BadImage."""
    import warnings

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        size = source.stat().st_size
        if size > MAX_BYTES:
            raise BadImage("image-too-large", detail=f"{size // 1_048_576} MB", limit="20 MB")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as opened:
                if opened.format not in ("JPEG", "PNG"):
                    raise BadImage("bad-image", detail=f"định dạng {opened.format}")
                if opened.width * opened.height > MAX_PIXELS:
                    raise BadImage("image-too-large", detail=f"{opened.width * opened.height // 1_000_000} megapixel",
                                   limit="40 megapixel")
                if max(opened.size) > MAX_ASPECT * min(opened.size):
                    raise BadImage("image-shape", detail=f"{opened.width} × {opened.height} điểm ảnh", limit=str(MAX_ASPECT))
                if draft and opened.format == "JPEG":
                    opened.draft("RGB", (max(1, opened.width // 8), max(1, opened.height // 8)))
                img = ImageOps.exif_transpose(opened).convert("RGB")
    except BadImage:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise BadImage("image-too-large", detail="quá nhiều điểm ảnh", limit="40 megapixel") from None
    except MemoryError:
        raise BadImage("image-too-large", detail="không đủ bộ nhớ để mở", limit="40 megapixel") from None
    except Exception as exc:  # noqa: BLE001 — whatever a hostile file makes Pillow raise
        raise BadImage("bad-image", detail=type(exc).__name__) from None
    img.info.clear()  # nothing of the source (comment, XMP, EXIF, ICC) travels to a rendition
    return img


def inspect(source: Path) -> tuple[str, dict] | None:
    """(problem code, message arguments) for a photo the build could not use, else None."""
    try:
        _open(source, draft=True).close()
    except BadImage as exc:
        return exc.code, exc.args_
    return None


def _render(store: Path, job: tuple[str, Path, str]) -> tuple[str, list[tuple[int, int]], tuple[int, int]]:
    """Resize one photo into the store: (name, [(nominal width, real width)], size of the first)."""
    name, source, digest = job
    try:
        img = _open(source)
    except BadImage as exc:
        raise CatalogError(f"images/{name}: không dùng được ảnh ({exc.code}: {exc.args_.get('detail', '')})") from None
    renditions: list[tuple[int, int]] = []
    first: tuple[int, int] | None = None
    for width in WIDTHS:
        w = min(width, img.width)
        h = max(1, round(img.height * w / img.width))
        target = store / f"{digest}-{width}.jpg"
        partial_path = target.with_suffix(f".{os.getpid()}.part")
        # comment/exif/icc/xmp given empty: Pillow copies a source JPEG's comment segment otherwise
        img.resize((w, h), Image.Resampling.LANCZOS).save(partial_path, "JPEG", quality=QUALITY, optimize=True,
                                               comment=b"", exif=b"", icc_profile=None)
        os.replace(partial_path, target)  # never a half-written rendition in the store
        renditions.append((width, w))
        if first is None:
            first = (w, h)
        if w == img.width:
            break
    assert first is not None
    return name, renditions, first
