"""Product photos: resized once per width, with their pixel size for width/height attributes.

Takes real JPEG/PNG photos of any size. Each referenced image is written as JPEG at the widths in
``WIDTHS`` (never enlarged), EXIF orientation applied and metadata dropped (phones put GPS in
EXIF). Output is deterministic: same input bytes, same output bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


def process(root: Path, names: list[str], docs_dir: Path) -> dict[str, SiteImage]:
    """Resize every image in ``names`` (paths under <root>/images) into ``docs_dir/assets/img``."""
    out: dict[str, SiteImage] = {}
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    for name in sorted(set(names)):
        source = root / "images" / name
        stem = name.rsplit(".", 1)[0]
        try:
            with Image.open(source) as opened:
                img = ImageOps.exif_transpose(opened).convert("RGB")
        except (OSError, Image.DecompressionBombError) as exc:
            raise CatalogError(f"images/{name}: không mở được ảnh ({exc})") from exc
        renditions = []
        first: tuple[int, int] | None = None
        for width in WIDTHS:
            w = min(width, img.width)
            h = round(img.height * w / img.width)
            path = f"assets/img/{stem}-{width}.jpg"
            target = docs_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            img.resize((w, h), Image.LANCZOS).save(target, "JPEG", quality=QUALITY, optimize=True)
            renditions.append((path, w))
            if first is None:
                first = (w, h)
            if w == img.width:
                break
        assert first is not None
        out[name] = SiteImage(renditions[0][0], first[0], first[1], renditions)
    return out
