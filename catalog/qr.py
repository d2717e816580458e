"""URL → QR matrix → SVG / PNG at an exact print resolution.

Print rules (DOMAIN.md, TCVN 13275 / ISO/IEC 18004): error correction M by default, quiet zone of
4 modules, module ≥ 0.4 mm, whole printer dots per module (no resampling blur): at 300 dpi a
module is 5 dots = 0.423 mm. The URL must fit a version-4 code at level M (62 characters); a
longer one is an error, never a silently denser code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

from .errors import CatalogError

QUIET_ZONE = 4
MIN_MODULE_MM = 0.4
MAX_VERSION = 4
DPI = 300
LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}


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


def encode(url: str, level: str = "M", max_version: int = MAX_VERSION) -> QR:
    if not url.isascii():
        raise CatalogError(f"địa chỉ trên nhãn phải là ASCII: {url}")
    code = qrcode.QRCode(version=None, error_correction=LEVELS[level], border=0)
    code.add_data(url.encode("ascii"), optimize=0)
    code.make(fit=True)
    if code.version > max_version:
        raise CatalogError(
            f"địa chỉ {url} ({len(url)} ký tự) cần mã QR phiên bản {code.version} ở mức sửa lỗi {level}, "
            f"quá phiên bản {max_version}: rút ngắn mã hồ sơ hoặc base_url")
    return QR(url, code.version, tuple(tuple(bool(c) for c in row) for row in code.get_matrix()))


def dots_per_module(dpi: int = DPI, min_mm: float = MIN_MODULE_MM) -> int:
    return math.ceil(min_mm / 25.4 * dpi - 1e-9)


def module_mm(dpi: int = DPI) -> float:
    return dots_per_module(dpi) * 25.4 / dpi


def dots_to_fit(qr: QR, max_mm: float, dpi: int = DPI) -> int:
    """The largest whole number of dots per module that keeps the code (with quiet zone) within
    ``max_mm``; never below the 0.4 mm minimum (bigger modules scan better on cheap phones)."""
    return max(dots_per_module(dpi), math.floor(max_mm / qr.size_with_quiet_zone / (25.4 / dpi)))


def runs(qr: QR):
    """(row, start column, length) of horizontal runs of dark modules: few, large rectangles."""
    for y, row in enumerate(qr.modules):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                yield y, start, x - start
            else:
                x += 1


def to_png(qr: QR, dpi: int = DPI, dots: int | None = None) -> Image.Image:
    """1-bit image, whole dots per module (at least the 0.4 mm minimum), quiet zone included."""
    scale = max(dots or 0, dots_per_module(dpi))
    side = qr.size_with_quiet_zone * scale
    img = Image.new("1", (side, side), 1)
    for y, x, length in runs(qr):
        x0, y0 = (x + QUIET_ZONE) * scale, (y + QUIET_ZONE) * scale
        img.paste(0, (x0, y0, x0 + length * scale, y0 + scale))
    img.info["dpi"] = (dpi, dpi)
    return img


def to_svg(qr: QR, dpi: int = DPI, title: str | None = None) -> str:
    """Vector QR: one path, viewBox in modules, physical size in mm at the print module size."""
    n = qr.size_with_quiet_zone
    mm = n * module_mm(dpi)
    d = "".join(f"M{x + QUIET_ZONE} {y + QUIET_ZONE}h{length}v1h-{length}z" for y, x, length in runs(qr))
    label = f'<title>{_xml(title)}</title>' if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="{mm:.2f}mm" height="{mm:.2f}mm" '
        f'shape-rendering="crispEdges" role="img">{label}<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="#000" d="{d}"/></svg>\n'
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
