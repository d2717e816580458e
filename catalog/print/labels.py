"""QR labels: one label per product with a valid certificate (and per lot where asked), and A4
sheets for common sticker layouts.

For each label: ``qr.svg`` (vector), ``qr.png`` (1-bit, 300 dpi, whole dots per module) and
``nhan.png`` (the label design at 300 dpi: QR, "OCOP", the earned stars only, product name,
"Số GCN: …" with the province and year of the certificate, valid-until date, the URL printed under
the code). The standalone codes have the label's own module size (0.68–0.76 mm: the size that read
36/36 at a market stall; the 0.4 mm minimum did not), and ``nhan.csv`` states the smallest size
each may be printed at. Lots past their use-by date (``expires_on``) get no label. Sheets are PDF with the QR drawn as vector
rectangles and Be Vietnam Pro embedded, so Vietnamese prints correctly without internet.

Only changed labels are regenerated: ``labels.json`` in the cache folder beside the output
(catalog/runtime/output.py ``cache_dir``: never inside a published site, even for ``--out site/nhan-in``)
keeps a hash of each label's inputs and the output folder it describes. The output folder is
guarded, locked and replaced whole (built beside it, then swapped in), and is byte-identical for
the same inputs (reportlab's invariant mode, no timestamps).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterable

from PIL import Image, ImageDraw, ImageFont

from . import qr as qrlib
from ..reference.errors import CatalogError
from ..records.model import Catalogue, Product, lot_expired, lot_window, revocation_effective, withdrawal_effective
from ..reference.lang import ui, vn_date
from .printing import (FONT_BOLD, FONT_REGULAR, LABEL_MM, STAR_COLOUR, Geometry, choose, geometry, min_print_mm,  # noqa: F401
                       standalone_dots, star_points)
from ..runtime.progress import SILENT, Progress
from ..records.urls import MAX_LABEL_URL, label_url
from ..reference.escaping import csv_cell
from ..runtime import output, parallel
from ..runtime.cache import cache_dir, read_json, write_json
from ..runtime.output import swap_in

LABEL_VERSION = "5"  # bump when the design changes: every cached label is redrawn


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    left_mm: float
    top_mm: float
    gap_x_mm: float
    gap_y_mm: float


LAYOUTS = {
    "a4-3x8": Layout("a4-3x8", "A4, 24 nhãn 70 × 37 mm (3 cột × 8 hàng)", 3, 8, 70.0, 37.0, 0.0, 0.5, 0.0, 0.0),
    "a4-2x7": Layout("a4-2x7", "A4, 14 nhãn 99,1 × 38,1 mm (2 cột × 7 hàng)", 2, 7, 99.1, 38.1, 4.65, 15.15, 2.5, 0.0),
}


@dataclass(frozen=True)
class Label:
    product: Product
    lot: str | None
    url: str
    key: str  # "id" or "id/LOT": also the folder name under the output

    @property
    def lines(self) -> dict:
        cert = self.product.data["certificate"]
        t = ui()["printed_label"]
        return {
            "name": self.product.name,
            "stars": self.product.stars,
            "certificate": t["certificate"].format(number=cert["number"]),
            "origin": t["origin"].format(province=self.product.data["certified_address"]["province"],
                                         year=cert["decision"]["date"][:4]),
            "valid_until": t["valid_until"].format(date=vn_date(cert["valid_until"])),
            "lot": t["lot"].format(lot=self.lot) if self.lot else "",
            "url": self.url,
        }

    def fingerprint(self) -> str:
        doc = {"v": LABEL_VERSION, "lines": self.lines, "dpi": qrlib.DPI}
        return hashlib.sha256(json.dumps(doc, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def refusal(product: Product) -> str | None:
    """Why no label may be printed for a product, or None. Only valid certificates get labels, and
    not one that a revocation or withdrawal already on record will end (it would outlive it).

    Nor while an earlier certificate runs until a re-recognition decided ahead takes effect (round
    seven; ``product.earlier``): a label printed now must carry the certificate in force now, and the
    earlier one's number and stars would contradict the page from the new one's first day on (the page
    then shows the new one, and "compare the certificate number" is what it tells the shopper). The
    new certificate is not in force yet, so neither may be printed: the refusal names the day to
    print from. Labels printed earlier under the earlier certificate stay true — their page lists the
    earlier number for packs made until the day before the new one."""
    cert = product.data["certificate"]
    texts = ui()["refusal"]
    # on the same day a revocation is named before a withdrawal
    ending = [(day, why) for day, why in ((withdrawal_effective(product.data), "withdrawal_ahead"),
                                          (revocation_effective(product.data), "revocation_ahead"))
              if day is not None]
    if product.earlier is not None:
        ending.append((dt.date.fromisoformat(cert["decision"]["date"]), "new_certificate_ahead"))
    if product.status.is_valid and not ending:
        return None
    if product.status.is_valid:
        day, why = min(ending, key=lambda e: (e[0], e[1] != "revocation_ahead"))
        reason = texts["reasons"][why].format(day=vn_date(day), number=cert.get("number", ""))  # named only by new_certificate_ahead
    else:
        reason = texts["reasons"][product.status.value].format(day=vn_date(cert["valid_until"]))
    return texts["product"].format(name=product.name, id=product.id, reason=reason)


def lot_refusal(product: Product, lot: dict, as_of) -> str | None:
    """Why a lot may not get a label (past its use-by date on ``as_of``, or made under an earlier
    certificate: the label carries the current one — probe, round six: a 2025 lot reprinted after a
    2026 downgrade bore the new number and stars, and its own page called that number wrong), or None."""
    texts = ui()["refusal"]
    earlier = lot_window(product.data, lot)
    if earlier is not None:
        return texts["lot_earlier"].format(lot=lot["id"], name=product.name, id=product.id, day=vn_date(lot["produced_on"]),
                                           number=earlier.number or texts["no_number"], stars=earlier.stars,
                                           since=vn_date(product.data["certificate"]["decision"]["date"]))
    if not lot_expired(lot, as_of):
        return None
    return texts["lot"].format(lot=lot["id"], name=product.name, id=product.id, day=vn_date(lot["expires_on"]))


def select(cat: Catalogue, province: str | None = None, group: str | None = None, sales_point: str | None = None,
           ids: Iterable[str] | None = None) -> tuple[list[Product], list[str]]:
    """Products chosen for labels (catalog/print/printing.py ``choose``), and the refusals (one clear line each)."""
    chosen = choose(cat, province, group, sales_point, ids)
    refusals = [r for p in chosen if (r := refusal(p))]
    return [p for p in chosen if refusal(p) is None], refusals


def labels_for(cat: Catalogue, products: list[Product], lots: bool) -> tuple[list[Label], list[str]]:
    """The labels for ``products`` (and their lots), and one line for each lot refused."""
    base = cat.config["base_url"]
    out, refused = [], []
    for p in products:
        out.append(Label(p, None, label_url(base, p.data), p.id))
        if lots:
            for lot in p.data.get("lots", []):
                why = lot_refusal(p, lot, cat.as_of)
                if why:
                    refused.append(why)
                    continue
                out.append(Label(p, lot["id"], label_url(base, p.data, lot["id"]), f"{p.id}/{lot['id']}"))
    for label in out:
        if len(label.url) > MAX_LABEL_URL:
            raise CatalogError(f"địa chỉ nhãn {label.url} dài {len(label.url)} ký tự, quá {MAX_LABEL_URL}")
    return out, refused


_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def _min_mm_for(url: str) -> float:
    """min_print_mm of the URL's code without encoding every URL: the code's version (so its size)
    depends only on the length and on whether the text fits QR's alphanumeric mode."""
    shape = (len(url), set(url) <= _ALPHANUMERIC)
    if shape not in _SHAPES:
        _SHAPES[shape] = min_print_mm(qrlib.encode(url))
    return _SHAPES[shape]


_SHAPES: dict[tuple[int, bool], float] = {}


# --- drawing ------------------------------------------------------------------------------------

def _pieces(word: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """A word wider than the line cut into pieces that fit: a name typed without spaces (114
    characters) would otherwise print across the neighbouring labels of the sheet (issue #22)."""
    if measure(word) <= width:
        return [word]
    pieces, current = [], ""
    for char in word:
        if current and measure(current + char) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return pieces + [current]


def wrap(text: str, width: float, measure: Callable[[str], float], max_lines: int) -> list[str]:
    """``text`` in at most ``max_lines`` lines no wider than ``width`` (the last one cut with "…")."""
    words = [piece for word in text.split() for piece in _pieces(word, width, measure)]
    lines, current = [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if measure(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while lines[-1] and measure(lines[-1] + "…") > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines


def text_lines(label: Label, g: Geometry, measure_name: Callable[[str], float]) -> list[tuple[str, str]]:
    """(style, text) lines of the text column, top to bottom: 'head' (OCOP + stars), 'name', 'text'."""
    lines = label.lines
    out = [("head", "OCOP")]
    out += [("name", t) for t in wrap(lines["name"], g.width - g.text_x - g.margin, measure_name, 3)]
    out += [("text", lines[k]) for k in ("certificate", "origin", "valid_until", "lot") if lines[k]]
    return out


LINE_STEP = {"head": 4.6, "name": 3.9, "text": 3.1}


@lru_cache(maxsize=64)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    # Basic layout (FreeType only, no HarfBuzz shaping): every glyph sits at the sum of the hinted
    # advances before it, so a line can be composed from glyphs drawn once (see `draw_text`). The
    # only thing shaping would add for Be Vietnam Pro is GPOS kerning, invisible at 2–3 mm text.
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=4096)
def _glyph(font: ImageFont.FreeTypeFont, char: str, first: bool) -> tuple[Image.Image | None, int, int, float]:
    """One character drawn once, without anti-aliasing: (1-bit mask or None if blank, left, top,
    advance), left and top from the pen position. Pillow places a glyph with a negative left bearing
    (ì, ỉ, …) one pixel differently at the start of a line than after another glyph, so a glyph is
    drawn either alone (``first``) or after a space, exactly as it will sit in a line."""
    prefix = "" if first else " "
    shift = 0 if first else font.getlength(prefix)
    left, top, right, bottom = font.getbbox(prefix + char, mode="1")
    advance = font.getlength(char)
    if right <= left or bottom <= top:
        return None, 0, 0, advance
    mask = Image.new("1", (right - left, bottom - top), 0)  # type: ignore[arg-type]  # ints in mode "1"
    draw = ImageDraw.Draw(mask)
    draw.fontmode = "1"
    draw.text((-left, -top), prefix + char, font=font, fill=1)
    if mask.getbbox() is None:
        return None, 0, 0, advance
    return mask, int(left - shift), top, advance  # type: ignore[return-value]


@lru_cache(maxsize=8192)
def _word(font: ImageFont.FreeTypeFont, word: str, first: bool) -> tuple[Image.Image | None, int, int, float]:
    """A run of characters without spaces, composed from its glyphs once (words, dates and names
    repeat across thousands of labels): (mask or None, left, top, advance) like `_glyph`."""
    placed, x = [], 0.0
    for i, char in enumerate(word):
        mask, left, top, advance = _glyph(font, char, first and i == 0)
        if mask is not None:
            placed.append((mask, int(x) + left, top))
        x += advance
    if not placed:
        return None, 0, 0, x
    left = min(dx for _, dx, _ in placed)
    top = min(dy for _, _, dy in placed)
    right = max(dx + m.width for m, dx, _ in placed)
    bottom = max(dy + m.height for m, _, dy in placed)
    mask = Image.new("1", (right - left, bottom - top), 0)
    for m, dx, dy in placed:
        mask.paste(1, (dx - left, dy - top), m)
    return mask, left, top, x


def text_width(font: ImageFont.FreeTypeFont, text: str) -> float:
    """Width in pixels of one line as `draw_text` draws it (= ``font.getlength`` with basic layout)."""
    return sum(_glyph(font, char, False)[3] for char in text)


def draw_text(img: Image.Image, xy: tuple[int, int], text: str, font: ImageFont.FreeTypeFont, ink: int) -> None:
    """What ``ImageDraw.text`` draws with ``fontmode = "1"`` and basic layout, pixel for pixel
    (tests/test_labels.py compares them), but from cached glyphs and words: FreeType rasterising
    each line anew cost ~1.5 ms, 80 % of a label's time. Hinted advances are whole pixels, so a
    glyph drawn once is the same glyph wherever it lands. Single lines only."""
    x = 0.0
    for i, word in enumerate(text.split(" ")):
        if i:
            x += _glyph(font, " ", False)[3]
        mask, left, top, advance = _word(font, word, x == 0.0 and i == 0)
        if mask is not None:
            img.paste(ink, (xy[0] + int(x) + left, xy[1] + top), mask)
        x += advance


# Palette of the PNG label: the file is drawn directly as a 3-colour palette image with text
# rendered without anti-aliasing. At 300 dpi that is what a printer does anyway, and it is ~5×
# faster than drawing in RGB and quantising (24 ms → 5 ms a label; 15,000 labels on 2 cores).
_PALETTE = {"white": 0, "black": 1, "star": 2}


def draw_png(label: Label, code: qrlib.QR, dpi: int = qrlib.DPI) -> Image.Image:
    """The label design as a palette image (white, black, star colour) at ``dpi`` (70 × 37 mm)."""
    g = geometry(*LABEL_MM, code)
    px = lambda mm: round(mm / 25.4 * dpi)  # noqa: E731
    img = Image.new("P", (px(g.width), px(g.height)), _PALETTE["white"])
    img.putpalette([255, 255, 255, 0, 0, 0, *STAR_COLOUR])
    black = _PALETTE["black"]
    scale = max(g.dots, qrlib.dots_per_module(dpi))
    img.paste(qrlib.module_image(code, scale, dark=black, light=_PALETTE["white"], mode="P"), (px(g.margin), px(g.margin)))
    draw = ImageDraw.Draw(img)
    fonts = {"head": _font(str(FONT_BOLD), px(3.6)), "name": _font(str(FONT_BOLD), px(g.name_size)),
             "text": _font(str(FONT_REGULAR), px(g.text_size))}
    y = g.margin + 1.0
    for style, text in text_lines(label, g, lambda t: text_width(fonts["name"], t) * 25.4 / dpi):
        draw_text(img, (px(g.text_x), px(y)), text, fonts[style], black)
        if style == "head":
            x = g.text_x + text_width(fonts["head"], "OCOP") * 25.4 / dpi + 2.5
            for i in range(label.lines["stars"]):  # a grade, not a review: only the stars earned
                pts = [(px(a), px(b)) for a, b in star_points(x + i * 3.4, y + 2.3, 1.5)]
                draw.polygon(pts, fill=_PALETTE["star"], outline=_PALETTE["star"])
        y += LINE_STEP[style]
    draw_text(img, (px(g.margin), px(g.url_y)), label.lines["url"], _font(str(FONT_REGULAR), px(g.url_size)), black)
    img.info["dpi"] = (dpi, dpi)
    return img


def draw_pdf_label(canvas, label: Label, code: qrlib.QR, x0: float, y0: float, width: float, height: float) -> None:
    """Draw one label with its bottom-left corner at (x0, y0) points; the QR as vector rectangles."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    g = geometry(width / mm, height / mm, code)
    top = y0 + height  # PDF y grows upwards: a point at `d` mm below the top is top - d*mm
    canvas.saveState()  # nothing drawn outside the label's own rectangle, whatever a field holds
    edge = canvas.beginPath()
    edge.rect(x0, y0, width, height)
    canvas.clipPath(edge, stroke=0, fill=0)
    canvas.setFillColorRGB(0, 0, 0)
    # The QR as one filled path in module units (whole numbers, y down from the code's top-left
    # corner): one transform instead of a formatted rectangle per run (4× faster sheets).
    canvas.saveState()
    canvas.transform(g.module * mm, 0, 0, -g.module * mm, x0 + (g.margin + qrlib.QUIET_ZONE * g.module) * mm,
                     top - (g.margin + qrlib.QUIET_ZONE * g.module) * mm)
    canvas.addLiteral(code.pdf_path)
    canvas.restoreState()
    pt = lambda size_mm: size_mm * mm * 0.92  # noqa: E731  font size in points for a size box in mm
    faces = {"head": ("BeVietnamPro-SemiBold", pt(3.6)), "name": ("BeVietnamPro-SemiBold", pt(g.name_size)),
             "text": ("BeVietnamPro", pt(g.text_size))}
    y = g.margin + 1.0
    for style, text in text_lines(label, g, lambda t: stringWidth(t, faces["name"][0], faces["name"][1]) / mm):
        face, size = faces[style]
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(face, size)
        baseline = top - (y + size / mm * 0.95) * mm
        canvas.drawString(x0 + g.text_x * mm, baseline, text)
        if style == "head":
            sx = g.text_x + stringWidth("OCOP", face, size) / mm + 2.5
            canvas.setStrokeColorRGB(*(c / 255 for c in STAR_COLOUR))
            canvas.setFillColorRGB(*(c / 255 for c in STAR_COLOUR))
            for i in range(label.lines["stars"]):  # only the stars earned
                pts = [(x0 + a * mm, top - b * mm) for a, b in star_points(sx + i * 3.4, y + 2.3, 1.5)]
                path = canvas.beginPath()
                path.moveTo(*pts[0])
                for p in pts[1:]:
                    path.lineTo(*p)
                path.close()
                canvas.drawPath(path, stroke=1, fill=1)
        y += LINE_STEP[style]
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont("BeVietnamPro", pt(g.url_size))
    canvas.drawString(x0 + g.margin * mm, top - (g.url_y + g.url_size * 0.95) * mm, label.lines["url"])
    canvas.restoreState()


def write_sheet(path: Path, labels: list[Label], codes: dict[str, qrlib.QR], layout: Layout, title: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("BeVietnamPro", str(FONT_REGULAR)))
    pdfmetrics.registerFont(TTFont("BeVietnamPro-SemiBold", str(FONT_BOLD)))
    canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("ocop labels")
    canvas.setCreator("ocop labels")
    per_page = layout.columns * layout.rows
    page_h = A4[1]
    for start in range(0, len(labels), per_page):
        for i, label in enumerate(labels[start:start + per_page]):
            col, row = i % layout.columns, i // layout.columns
            x0 = (layout.left_mm + col * (layout.width_mm + layout.gap_x_mm)) * mm
            top = page_h - (layout.top_mm + row * (layout.height_mm + layout.gap_y_mm)) * mm
            draw_pdf_label(canvas, label, codes[label.key], x0, top - layout.height_mm * mm,
                           layout.width_mm * mm, layout.height_mm * mm)
        canvas.showPage()
    canvas.save()


# --- output ---------------------------------------------------------------------------------------

@dataclass
class LabelReport:
    out: Path
    labels: list[Label]
    drawn: int
    reused: int
    refusals: list[str]
    sheets: list[Path]


def write_label_files(folder: Path, label: Label, code: qrlib.QR) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("qr.svg", "qr.png", "nhan.png"):
        (folder / name).unlink(missing_ok=True)  # never write through a hard link into the old output
    dots = standalone_dots(code)
    (folder / "qr.svg").write_text(qrlib.to_svg(code, title=label.url, dots=dots), encoding="utf-8")
    # the code alone: the very file the product page shows (qr.png_bytes, no Pillow). The label:
    # zlib level 1 (6.6 KB instead of 6.2 KB at level 3, 0.65 ms instead of 0.8 ms: at 20,000
    # labels the time matters more than the bytes).
    (folder / "qr.png").write_bytes(qrlib.png_bytes(code, dots=dots))
    draw_png(label, code).save(folder / "nhan.png", dpi=(qrlib.DPI, qrlib.DPI), compress_level=1)


def _draw_job(job: tuple[Path, Label]) -> None:
    folder, label = job
    write_label_files(folder, label, qrlib.encode(label.url))


PARALLEL_FROM = 64  # below this, starting worker processes costs more than it saves


def draw_all(jobs: list[tuple[Path, Label]], extra: Iterable[Callable[[], None]] = (),
             progress: Progress = SILENT) -> None:
    """Write the label files for every (folder, label), and run ``extra`` thunks (sheets), on all
    cores (catalog/runtime/parallel.py: forked workers, nothing pickled on the way in)."""
    thunks: list[Callable[[], None]] = list(extra) + [partial(_draw_job, job) for job in jobs]
    with progress.phase("labels", total=len(thunks)) as step:
        parallel.run_all(thunks, parallel_from=PARALLEL_FROM, on_done=step.advance)


COMMAND = "labels"
STATE_FILE = "labels.json"


def generate(cat: Catalogue, out: Path, products: list[Product], refusals: list[str], lots: bool = False,
             layouts: Iterable[str] = tuple(LAYOUTS), title: str | None = None, root: Path | None = None,
             progress: Progress = SILENT) -> LabelReport:
    """Labels and sheets into ``out`` (guarded against the data root ``root`` and locked: see
    catalog/runtime/output.py)."""
    out = output.guard(out, root if root is not None else Path("."), COMMAND, state_file=STATE_FILE)
    refuse_example_domain(cat)
    with output.locked(out, COMMAND):
        return _generate(cat, out, products, refusals, lots, layouts, title, progress)


EXAMPLE_HOSTS = ("example.com", "example.net", "example.org", "example.vn", "example.gov.vn", "example.edu.vn")


def refuse_example_domain(cat: Catalogue) -> None:
    """A printed QR code lasts for years: with ``sample_data: false`` it must not lead to the
    example domain of the shipped configuration (or any reserved test name: RFC 2606/6761)."""
    from urllib.parse import urlsplit

    host = (urlsplit(cat.config["base_url"]).hostname or "").lower()
    labels = host.split(".")
    example = (any(host == h or host.endswith("." + h) for h in EXAMPLE_HOSTS) or "example" in labels
               or labels[-1] in ("test", "example", "invalid", "localhost", "local"))
    if example and not cat.sample_data:
        raise CatalogError(f"base_url {cat.config['base_url']} vẫn là tên miền ví dụ mà sample_data là false: "
                           "nhãn in ra sẽ dẫn tới trang không có thật. Ghi địa chỉ thật của trang vào base_url "
                           "trong ocop.yaml (hoặc dùng --base-url)")


def _generate(cat: Catalogue, out: Path, products: list[Product], refusals: list[str], lots: bool,
              layouts: Iterable[str], title: str | None, progress: Progress = SILENT) -> LabelReport:
    labels, lot_refusals = labels_for(cat, products, lots)
    refusals = refusals + lot_refusals
    out.parent.mkdir(parents=True, exist_ok=True)
    state_path = cache_dir(out) / STATE_FILE
    output.recover(out)
    sheet_title = title or cat.config["title"]
    fingerprints = {label.key: label.fingerprint() for label in labels}
    sheet_fps = {name: _sheet_fingerprint(name, f"{sheet_title} — {LAYOUTS[name].title}", labels, fingerprints)
                 for name in layouts}
    csv_text = label_list_csv(labels)
    cache_text = json.dumps({"version": LABEL_VERSION, "labels": fingerprints, "sheets": sheet_fps}, indent=1,
                            sort_keys=True) + "\n"
    state = read_json(state_path) or {}
    if out.is_dir() and state.get("out_inode") != out.stat().st_ino:
        state = {}  # the state describes another folder (a run killed between its two writes)
    if _unchanged(out, state, cache_text, csv_text, labels, layouts):
        # The folder already holds exactly these labels and sheets: leave it alone (a national
        # folder has ~50,000 files; relinking them all would cost more than the check).
        return LabelReport(out, labels, 0, len(labels), refusals, [out / "sheets" / f"{n}.pdf" for n in layouts])
    staging = output.staging_dir(out) / "labels"
    try:
        old_cache = _read_cache(state)
        staging.mkdir()
        new_cache: dict[str, str] = {}
        reused = 0
        jobs: list[tuple[Path, Label]] = []
        for label in labels:
            fp = fingerprints[label.key]
            new_cache[label.key] = fp
            target = staging / label.key
            previous = out / label.key
            if old_cache.get(label.key) == fp and all((previous / n).is_file() for n in ("qr.svg", "qr.png", "nhan.png")):
                target.mkdir(parents=True, exist_ok=True)
                for name in ("qr.svg", "qr.png", "nhan.png"):
                    _link_or_copy(previous / name, target / name)
                reused += 1
            else:
                jobs.append((target, label))
        drawn = len(jobs)
        sheets, sheet_jobs = [], []
        (staging / "sheets").mkdir()
        old_sheets = _read_cache(state, "sheets")
        for name in layouts:
            path = staging / "sheets" / f"{name}.pdf"
            heading = f"{sheet_title} — {LAYOUTS[name].title}"
            previous = out / "sheets" / path.name
            if old_sheets.get(name) == sheet_fps[name] and previous.is_file():
                _link_or_copy(previous, path)  # same labels in the same order: the same sheet
            else:
                sheet_jobs.append((path, LAYOUTS[name], heading))
            sheets.append(out / "sheets" / path.name)
        # the sheets first: one long job (the codes encoded once for all of them)
        draw_all(jobs, [partial(_sheets_job, sheet_jobs, labels)] if sheet_jobs else [], progress)
        (staging / "nhan.csv").write_text(csv_text, encoding="utf-8")
        output.write_marker(staging, COMMAND)
        # the state names the folder it describes (its inode travels with it into place): killed
        # before the swap, the state does not match the output and nothing is reused from it
        write_json(state_path, {**json.loads(cache_text), "out_inode": staging.stat().st_ino})
        _swap(staging, out)
    finally:
        shutil.rmtree(staging.parent, ignore_errors=True)
    return LabelReport(out, labels, drawn, reused, refusals, sheets)


def label_list_csv(labels: list[Label]) -> str:
    """nhan.csv: one row per label (id, lot, URL, file, smallest print size in mm) — through the same formula guard as every
    CSV the tool writes (catalog/reference/escaping.py), although ids, lots and URLs cannot start like one."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    # canh_toi_thieu_mm: the smallest side qr.png / qr.svg may be printed at (their own size)
    writer.writerow(["ma", "lo", "dia_chi", "tep", "canh_toi_thieu_mm"])
    writer.writerows([csv_cell(v) for v in (lb.product.id, lb.lot or "", lb.url, f"{lb.key}/nhan.png",
                                            f"{_min_mm_for(lb.url):.1f}")] for lb in labels)
    return buf.getvalue()


def _sheets_job(sheets: list[tuple[Path, Layout, str]], labels: list[Label]) -> None:
    codes = {label.key: qrlib.encode(label.url) for label in labels}
    for path, layout, heading in sheets:
        write_sheet(path, labels, codes, layout, heading)


def _sheet_fingerprint(name: str, heading: str, labels: list[Label], fingerprints: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps([name, heading, [fingerprints[lb.key] for lb in labels]]).encode()).hexdigest()


def _unchanged(out: Path, state: dict, cache_text: str, csv_text: str, labels: list[Label],
               layouts: Iterable[str]) -> bool:
    """Does ``out`` already hold exactly this output? (Same fingerprints, same list, every file there.)"""
    doc = json.loads(cache_text)
    if not state or any(state.get(k) != v for k, v in doc.items()):
        return False
    try:
        if (out / "nhan.csv").read_text(encoding="utf-8") != csv_text:
            return False
    except OSError:
        return False
    names = ("qr.svg", "qr.png", "nhan.png")
    return (all((out / "sheets" / f"{n}.pdf").is_file() for n in layouts)
            and all((out / lb.key / n).is_file() for lb in labels for n in names))


def _read_cache(state: dict, part: str = "labels") -> dict[str, str]:
    return state.get(part, {}) if state.get("version") == LABEL_VERSION else {}


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _swap(new: Path, out: Path) -> None:
    swap_in(new, out)
