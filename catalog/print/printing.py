"""What a printed QR code needs wherever it is printed (a label, the booklet, the product page's
download): the font files, the star, where things go on the 70 × 37 mm label and the module size a
code printed on its own gets from it. Shared by catalog/print/labels.py, catalog/print/booklet.py and
catalog/site/pages.py so that none of them imports another; and which products the print commands'
filters choose (:func:`choose`, for labels and the booklet alike).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import fontpkg_be_vietnam_pro as font_family

from . import qr as qrlib
from ..records.model import Catalogue, Product
from ..reference.errors import CatalogError

FONT_REGULAR = font_family.ROOT / "files" / "BeVietnamPro-Regular.ttf"
FONT_BOLD = font_family.ROOT / "files" / "BeVietnamPro-SemiBold.ttf"
LABEL_MM = (70.0, 37.0)  # the PNG label design; sheets scale the same layout to their cells
STAR_COLOUR = (141, 93, 0)


def star_points(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    import math

    pts = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        pts.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    return pts


@dataclass(frozen=True)
class Geometry:
    """Where things go on a label, in mm from the top-left corner. Shared by PNG and PDF."""

    width: float
    height: float
    margin: float
    dots: int  # printer dots per QR module at qr.DPI
    module: float  # mm
    qr_size: float  # mm, quiet zone included
    text_x: float
    url_y: float  # top of the URL line under the code
    name_size: float = 3.2  # font sizes (mm, cap-to-descender box as Pillow/reportlab size)
    text_size: float = 2.5
    url_size: float = 2.0


def geometry(width: float, height: float, code: qrlib.QR) -> Geometry:
    margin = 1.5
    url_line = 2.8
    dots = qrlib.dots_to_fit(code, height - 2 * margin - url_line)
    module = dots * 25.4 / qrlib.DPI
    qr_size = code.size_with_quiet_zone * module
    return Geometry(width, height, margin, dots, module, qr_size, margin + qr_size + 0.5, margin + qr_size + 0.2)


def standalone_dots(code: qrlib.QR) -> int:
    """Printer dots per module of a code printed on its own (qr.png, qr.svg, the product page's
    download): the module size the 70 × 37 mm label gives the same code."""
    return geometry(*LABEL_MM, code).dots


def min_print_mm(code: qrlib.QR) -> float:
    """The smallest side, quiet zone included, a standalone code should be printed at."""
    return code.size_with_quiet_zone * standalone_dots(code) * 25.4 / qrlib.DPI


def choose(cat: Catalogue, province: str | None = None, group: str | None = None, sales_point: str | None = None,
           ids: Iterable[str] | None = None) -> list[Product]:
    """The products the print commands' filters name (labels and the booklet, the one filter): ``ids``
    in the order given (an unknown id refused), then a province (its folder or its name), a group,
    the products a sales point stocks (an unknown sales point refused)."""
    chosen = list(cat.products.values())
    if ids:
        wanted = list(dict.fromkeys(ids))
        unknown = [i for i in wanted if i not in cat.products]
        if unknown:
            raise CatalogError("không có sản phẩm mã " + ", ".join(unknown))
        chosen = [cat.products[i] for i in wanted]
    if province:
        chosen = [p for p in chosen if p.folder == province or p.data["address"]["province"] == province]
    if group:
        chosen = [p for p in chosen if p.data["classification"]["group"] == group]
    if sales_point:
        if sales_point not in cat.sales_points:
            raise CatalogError(f"không có điểm bán mã {sales_point}")
        stocked = set(cat.sales_points[sales_point].data.get("products", []))
        chosen = [p for p in chosen if p.id in stocked]
    return chosen
