"""URL → QR matrix → SVG / PNG at an exact print resolution.

Print rules (docs/DOMAIN.md, TCVN 13275 / ISO/IEC 18004): error correction M by default, quiet zone of
4 modules, module ≥ 0.4 mm, whole printer dots per module (no resampling blur): at 300 dpi a
module is 5 dots = 0.423 mm. The URL must fit a version-4 code at level M (62 characters); a
longer one is an error, never a silently denser code.

The matrix comes from zxing-cpp's encoder (C++): 0.25 ms per code against 4.4 ms for the pure-Python
``qrcode`` package measured here — at national scale (~20,000 labels) that is the difference between
5 s and 90 s of CPU. It picks the smallest version for the level and the mode (byte, or alphanumeric
for upper-case GS1 Digital Links). The tests decode every label with zbar, an independent decoder.
"""

from __future__ import annotations

import math
import operator
import struct
import zlib
from dataclasses import dataclass
from functools import cached_property

import zxingcpp
from PIL import Image

from ..reference.errors import CatalogError

QUIET_ZONE = 4
MIN_MODULE_MM = 0.4
MAX_VERSION = 4
DPI = 300
LEVELS = ("L", "M", "Q", "H")


@dataclass(frozen=True)
class QR:
    url: str
    version: int
    modules: tuple[tuple[bool, ...], ...]  # without quiet zone; True = dark

    @property
    def size(self) -> int:
        return len(self.modules)

    @property
    def size_with_quiet_zone(self) -> int:
        return self.size + 2 * QUIET_ZONE

    @cached_property
    def runs(self) -> tuple[tuple[int, int, int], ...]:
        """(row, start column, length) of horizontal runs of dark modules: few, large rectangles."""
        out = []
        for y, row in enumerate(self.modules):
            x, n = 0, len(row)
            while x < n:
                if row[x]:
                    start = x
                    while x < n and row[x]:
                        x += 1
                    out.append((y, start, x - start))
                else:
                    x += 1
        return tuple(out)

    @cached_property
    def pdf_path(self) -> str:
        """PDF operators filling the dark modules, in module units with y growing downwards."""
        return " ".join(f"{x} {y} {length} 1 re" for y, x, length in self.runs) + " f"


def encode(url: str, level: str = "M", max_version: int = MAX_VERSION) -> QR:
    if not url.isascii():
        raise CatalogError(f"địa chỉ trên nhãn phải là ASCII: {url}")
    if level not in LEVELS:
        raise ValueError(f"error correction level {level!r} not in {LEVELS}")
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
    rows: list = memoryview(code.to_image(scale=1, add_quiet_zones=False)).tolist()  # type: ignore[arg-type, unused-ignore]  # 0 = dark, 255 = light
    version = (len(rows) - 17) // 4
    if version > max_version:
        raise CatalogError(
            f"địa chỉ {url} ({len(url)} ký tự) cần mã QR phiên bản {version} ở mức sửa lỗi {level}, "
            f"quá phiên bản {max_version}: rút ngắn mã hồ sơ hoặc base_url")
    return QR(url, version, tuple(tuple(map(operator.not_, row)) for row in rows))  # 0 (dark) → True


def dots_per_module(dpi: int = DPI, min_mm: float = MIN_MODULE_MM) -> int:
    return math.ceil(min_mm / 25.4 * dpi - 1e-9)


def dots_to_fit(qr: QR, max_mm: float, dpi: int = DPI) -> int:
    """The largest whole number of dots per module that keeps the code (with quiet zone) within
    ``max_mm``; never below the 0.4 mm minimum (bigger modules scan better on cheap phones)."""
    return max(dots_per_module(dpi), math.floor(max_mm / qr.size_with_quiet_zone / (25.4 / dpi)))


def module_image(qr: QR, scale: int, dark: int = 0, light: int = 255, mode: str = "L") -> Image.Image:
    """The code with its quiet zone, ``scale`` pixels per module, values ``dark``/``light`` (one
    frombytes and a nearest-neighbour enlargement: exact whole-pixel modules, no per-module drawing)."""
    n = qr.size_with_quiet_zone
    pad = bytes([light]) * QUIET_ZONE
    blank = bytes([light]) * (n * QUIET_ZONE)
    table = bytes([light, dark]) + bytes(254)
    rows = b"".join(pad + bytes(row).translate(table) + pad for row in qr.modules)  # True → 1 → dark
    return Image.frombytes(mode, (n, n), blank + rows + blank).resize((n * scale, n * scale), Image.Resampling.NEAREST)


def to_png(qr: QR, dpi: int = DPI, dots: int | None = None) -> Image.Image:
    """1-bit image, whole dots per module (at least the 0.4 mm minimum), quiet zone included. The
    tool writes its PNG files with :func:`png_bytes`; this Pillow image is the reference the tests
    hold those files to, pixel for pixel."""
    scale = max(dots or 0, dots_per_module(dpi))
    img = module_image(qr, scale).convert("1", dither=Image.Dither.NONE)
    img.info["dpi"] = (dpi, dpi)
    return img


def png_bytes(qr: QR, dpi: int = DPI, dots: int | None = None) -> bytes:
    """The PNG file of :func:`to_png` — the same pixels (1-bit, quiet zone included, whole dots per
    module) and the same ``pHYs`` resolution — made straight from the modules, without Pillow: the
    first pixel row of each module row unfiltered, the ``dots - 1`` rows that repeat it with PNG's
    "Up" filter (all zero bytes), one zlib stream at level 6. A third of the time of Pillow's writer
    (0.15 ms against 0.53 ms a code: a product page's QR and a label's ``qr.png``, issue #27) and
    ~25 % smaller (510 bytes against 700 for a version-3 code; level 9 is slower on this data and
    saves 50 bytes). tests/test_labels.py decodes it with Pillow against :func:`to_png` pixel for
    pixel, and with zbar, on codes of every version, byte and alphanumeric mode, several sizes."""
    scale = max(dots or 0, dots_per_module(dpi))
    width = qr.size_with_quiet_zone * scale
    stride = (width + 7) // 8
    padding = "0" * (stride * 8 - width)  # the last byte's unused bits
    light, dark = "1" * scale, "0" * scale  # 1-bit grey: 1 is white
    quiet = light * QUIET_ZONE
    repeat = b"\x02" + bytes(stride)  # filter "Up", no change from the row above

    def row(bits: str) -> bytes:
        return b"\x00" + int(bits + padding, 2).to_bytes(stride, "big") + repeat * (scale - 1)

    blank = row(light * qr.size_with_quiet_zone) + repeat * (scale * (QUIET_ZONE - 1))
    rows = b"".join(row(quiet + "".join([dark if m else light for m in modules]) + quiet) for modules in qr.modules)
    ppm = int(dpi / 0.0254 + 0.5)
    return b"".join([b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", struct.pack(">IIBBBBB", width, width, 1, 0, 0, 0, 0)),
                     _chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1)),
                     _chunk(b"IDAT", zlib.compress(blank + rows + blank, 6)), _chunk(b"IEND", b"")])


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


def to_svg(qr: QR, dpi: int = DPI, title: str | None = None, dots: int | None = None) -> str:
    """Vector QR: one filled path (no strokes: print tools scale strokes unpredictably), viewBox in
    modules, physical size in mm at ``dots`` printer dots per module (at least the 0.4 mm minimum).
    Runs of a row are drawn relative to the previous one and numbers are separated by commas, so
    the text is short and needs no escaping inside a data: URI."""
    n = qr.size_with_quiet_zone
    mm = n * max(dots or 0, dots_per_module(dpi)) * 25.4 / dpi
    parts, row, start = [], None, 0
    for y, x, length in qr.runs:
        if y != row:
            parts.append(f"M{x + QUIET_ZONE},{y + QUIET_ZONE}")
            row = y
        else:
            parts.append(f"m{x - start},0")
        start = x
        parts.append(f"h{length}v1h-{length}z")
    label = f'<title>{_xml(title)}</title>' if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="{mm:.2f}mm" height="{mm:.2f}mm" '
        f'shape-rendering="crispEdges" role="img">{label}<rect width="{n}" height="{n}" fill="white"/>'
        f'<path d="{"".join(parts)}"/></svg>\n'
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
