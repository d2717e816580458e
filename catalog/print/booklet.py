"""The printed catalogue: an A4 PDF for fairs and sales points, made without internet.

Cover (title, province, date, "sample data" when it is), table of contents, one card per product
grouped by product group (or by province) — photo, name, stars, group, producer and contact, short
description, certificate number and valid-until, the QR code as vector with its URL — page numbers,
and an index by producer. Be Vietnam Pro is embedded. Vietnamese is written in syllables separated
by spaces, so lines break at spaces and no hyphenation dictionary is needed (decision, see
docs/DOMAIN.md); NFC text keeps every diacritic a single glyph of the font.

Only products with a valid certificate on the as-of date are printed unless ``include_all``; the
as-of date is in every page footer ("thông tin tại ngày …"). Output is deterministic
(reportlab's invariant mode, photos re-encoded with fixed settings).
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Flowable, Frame, Image, KeepTogether, PageBreak, PageTemplate,
                                Paragraph, Spacer, Table, TableStyle)
from xml.sax.saxutils import escape

from ..runtime.leftovers import clean_after_killed_runs, fresh_temp, work_prefix
from ..reference import places, rulebook, wording
from . import qr as qrlib
from ..reference.collation import sort_key
from ..reference.errors import CatalogError
from ..records.model import Catalogue, Product
from ..reference.lang import date as lang_date, site_title, ui
from .printing import FONT_BOLD, FONT_REGULAR, STAR_COLOUR, choose, standalone_dots, star_points
from ..runtime.progress import SILENT, Phase, Progress
from ..records.urls import label_url

GREEN = colors.HexColor("#1b5e20")


def _fonts() -> None:
    pdfmetrics.registerFont(TTFont("BeVietnamPro", str(FONT_REGULAR)))
    pdfmetrics.registerFont(TTFont("BeVietnamPro-SemiBold", str(FONT_BOLD)))
    pdfmetrics.registerFontFamily("BeVietnamPro", normal="BeVietnamPro", bold="BeVietnamPro-SemiBold")


STYLES = {
    "title": ParagraphStyle("title", fontName="BeVietnamPro-SemiBold", fontSize=26, leading=32, alignment=TA_CENTER,
                            textColor=GREEN),
    "subtitle": ParagraphStyle("subtitle", fontName="BeVietnamPro", fontSize=14, leading=20, alignment=TA_CENTER),
    "sample": ParagraphStyle("sample", fontName="BeVietnamPro-SemiBold", fontSize=12, leading=16, alignment=TA_CENTER,
                             textColor=colors.HexColor("#7a4a00")),
    "h1": ParagraphStyle("h1", fontName="BeVietnamPro-SemiBold", fontSize=16, leading=20, spaceBefore=4, spaceAfter=6,
                         textColor=GREEN),
    "name": ParagraphStyle("name", fontName="BeVietnamPro-SemiBold", fontSize=11.5, leading=14),
    "text": ParagraphStyle("text", fontName="BeVietnamPro", fontSize=8.5, leading=11),
    "small": ParagraphStyle("small", fontName="BeVietnamPro", fontSize=6.5, leading=8),
    "toc": ParagraphStyle("toc", fontName="BeVietnamPro", fontSize=11, leading=16),
    "index": ParagraphStyle("index", fontName="BeVietnamPro", fontSize=9, leading=12),
}


class Stars(Flowable):
    """The stars earned, and only those: a certification grade, not a review."""

    def __init__(self, n: int, size: float = 3.2 * mm) -> None:
        super().__init__()
        self.n, self.size = n, size
        self.width, self.height = n * size * 1.15, size

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColorRGB(*(v / 255 for v in STAR_COLOUR))
        c.setFillColorRGB(*(v / 255 for v in STAR_COLOUR))
        for i in range(self.n):
            pts = star_points(self.size / 2 + i * self.size * 1.15, self.size / 2, self.size / 2)
            path = c.beginPath()
            path.moveTo(pts[0][0], self.size - pts[0][1])
            for x, y in pts[1:]:
                path.lineTo(x, self.size - y)
            path.close()
            c.drawPath(path, stroke=1, fill=1)


@lru_cache(maxsize=None)
def _encode(url: str) -> qrlib.QR:
    return qrlib.encode(url)


class QRFlowable(Flowable):
    """The QR as vector rectangles (one path) at the label's module size (printing.standalone_dots:
    0.68–0.76 mm, what a cheap phone reads at a stall), quiet zone included. A draft QR only takes
    its place (first layout pass)."""

    def __init__(self, url: str, draft: bool = False) -> None:
        super().__init__()
        self.code = _encode(url)
        self.draft = draft
        self.module = standalone_dots(self.code) * 25.4 / qrlib.DPI * mm
        self.width = self.height = self.code.size_with_quiet_zone * self.module

    def draw(self) -> None:
        if self.draft:
            return
        c = self.canv
        c.setFillColorRGB(0, 0, 0)
        n = self.code.size_with_quiet_zone
        path = c.beginPath()
        for y, x, length in self.code.runs:
            path.rect((x + qrlib.QUIET_ZONE) * self.module, (n - y - qrlib.QUIET_ZONE - 1) * self.module,
                      length * self.module, self.module)
        c.drawPath(path, stroke=0, fill=1)


class Heading(Paragraph):
    """A section heading that registers itself in the table of contents."""


class _Doc(BaseDocTemplate):
    def __init__(self, path, footer: str, title: str, step: Phase | None = None, **kw) -> None:
        super().__init__(path, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                         bottomMargin=16 * mm, title=title, author="ocop booklet", creator="ocop booklet",
                         invariant=1, **kw)
        self.footer = footer
        self.step = step or Phase()  # a card laid out: one more done (catalog/runtime/progress.py)
        self.producer_pages: dict[str, set[int]] = defaultdict(set)
        self.heading_pages: dict[str, int] = {}
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._page)])

    def _page(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("BeVietnamPro", 8)
        canvas.setFillColorRGB(0.3, 0.3, 0.3)
        canvas.drawString(self.leftMargin, 9 * mm, self.footer)
        canvas.drawRightString(A4[0] - self.rightMargin, 9 * mm, str(doc.page))
        canvas.restoreState()

    def beforeDocument(self) -> None:
        self.producer_pages.clear()
        self.heading_pages.clear()

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Heading):
            self.heading_pages.setdefault(flowable.getPlainText(), self.page)
        producer = getattr(flowable, "ocop_producer", None)
        if producer:
            self.producer_pages[producer].add(self.page)
        if getattr(flowable, "ocop_card", False):
            self.step.advance()


@dataclass
class BookletReport:
    path: Path
    products: list[Product]
    pages: int
    refusals: list[str]


PHOTO_BOX = (34 * mm, 48 * mm)  # the largest a card's photo is drawn (width, height)


class _Photos:
    """Card-sized JPEG copies of the photos, one file each, made once per booklet. reportlab embeds
    a JPEG file as it is (no decoding) and only once however many cards show it."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root, self.folder, self.made = root, folder, {}  # type: ignore[var-annotated]

    def get(self, name: str) -> tuple[str, int, int]:
        if name not in self.made:
            with PILImage.open(self.root / "images" / name) as src:
                img = src.convert("RGB")
            img.thumbnail((480, 480))
            target = f"{len(self.made):06d}.jpg"  # relative: reportlab names the image by its path
            img.save(self.folder / target, "JPEG", quality=70, optimize=True)
            self.made[name] = (target, img.width, img.height)
        return self.made[name]


def _photo(photos: _Photos, product: Product, draft: bool) -> Flowable | None:
    images = product.data.get("images") or []
    if not images:
        return None
    path, w, h = photos.get(images[0]["file"])
    # fitted inside the card's photo cell: a valid 2 × 4000 px photo drawn 34 mm wide would be 68 m
    # tall, more than a page, and reportlab would stop with a LayoutError (issue #22)
    scale = min(PHOTO_BOX[0] / w, PHOTO_BOX[1] / h)
    width, height = w * scale, h * scale
    if draft:
        return Spacer(width, height)
    return Image(path, width=width, height=height)


def _address(address: dict, lang: str) -> str:
    if lang == "vi":
        return wording.address_text(address)
    return ", ".join(wording.address_parts(address) + [wording.province_en(address["province"])])


def _card(photos: _Photos, cat: Catalogue, p: Product, draft: bool, lang: str = "vi") -> Flowable:
    t = ui(lang)
    cert = p.certificate  # in force on the as-of date, as its stars (an earlier one until a re-recognition starts)
    producer = cat.producers[p.data["producer"]]
    contact = producer.data.get("phone", "")
    group = rulebook.group_name(p.data["classification"]["group"], lang)
    english = lang != "vi" and bool(p.data.get(f"description_{lang}"))
    description = " ".join(p.data[f"description_{lang}" if english else "description"].split())
    if len(description) > 260:
        description = description[:257].rsplit(" ", 1)[0] + "…"
    if lang != "vi" and not english:  # never a machine translation: the Vietnamese, said to be so
        description += f" ({t['untranslated_short']})"
    status = "" if p.status.is_valid else f" — <b>{escape(t['status'][p.status.value])}</b>"
    url = label_url(cat.config["base_url"], p.data)
    text = [
        Paragraph(escape(p.name), STYLES["name"]),
        *([Paragraph(escape(p.data["name_en"]), STYLES["text"])] if lang != "vi" and p.data.get("name_en") else []),
        Stars(p.stars),
        Paragraph(f"{escape(group)}", STYLES["text"]),
        Paragraph(f"<b>{escape(producer.name)}</b> — {escape(_address(producer.data['address'], lang))}"
                  + (" · " + escape(t["booklet"]["phone"].format(phone=contact)).replace(" ", wording.NBSP) if contact else ""),
                  STYLES["text"]),
        Paragraph(escape(wording.keep_units(description)), STYLES["text"]),
        Paragraph(f"{escape(t['product']['certificate_number'])}: <b>{escape(cert['number'] or t['product']['number_unrecorded'])}</b> · "
                  f"{escape(t['product']['valid_until'])}: <b>{escape(lang_date(cert['valid_until'], lang))}</b>{status}",
                  STYLES["text"]),
    ]
    qr = QRFlowable(url, draft=draft)
    photo = _photo(photos, p, draft)
    url_style = ParagraphStyle("url", parent=STYLES["small"], alignment=2)
    table = Table([[photo or "", text, qr], [Paragraph(escape(url), url_style), "", ""]],
                  colWidths=[36 * mm, None, qr.width + 2 * mm])
    table.setStyle(TableStyle([
        ("SPAN", (0, 1), (2, 1)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#bbbbbb")),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    card = KeepTogether([table, Spacer(1, 4 * mm)])
    card.ocop_producer = producer.name  # for the producer index
    table.ocop_producer = producer.name
    table.ocop_card = True  # the card's own flowable, drawn once: progress counts it
    return card


def select(cat: Catalogue, province: str | None, group: str | None, sales_point: str | None, ids: list[str] | None,
           include_all: bool, labelled: tuple[list[Product], list[str]]) -> tuple[list[Product], list[str]]:
    """The products to print: with a valid certificate (``labelled``: what catalog/print/labels.py
    ``select`` chose with the same filters, and its refusals), or all."""
    chosen, refusals = labelled
    if not include_all:
        return chosen, refusals
    picked = {p.id for p in choose(cat, province, group, sales_point, ids)}  # the labels' filter, catalogue order
    return [p for p in cat.products.values() if p.id in picked], []


def make_booklet(root: Path, cat: Catalogue, out: Path, products: list[Product], refusals: list[str],
                 province: str | None = None, by: str = "group", progress: Progress = SILENT,
                 lang: str = "vi") -> BookletReport:
    """The booklet in ``lang`` (vi, en: the words, dates, group and province names; each product's
    English description where its record has one, else the Vietnamese one marked as such)."""
    if not products:
        raise CatalogError("không có sản phẩm nào để in")
    _fonts()
    t = ui(lang)
    as_of = lang_date(cat.as_of, lang)

    def province_of(name: str) -> str:
        return name if lang == "vi" else wording.province_en(name)

    province_name = (province_of(places.provinces_by_folder()[province].name) if province in places.provinces_by_folder()
                     else province)
    catalogue_name = site_title(cat.config, lang)
    title = catalogue_name + (f" — {province_name}" if province_name else "")
    tb = t["booklet"]
    footer = f"{catalogue_name} · {tb['as_of'].format(date=as_of)}" + (f" · {tb['sample']}" if cat.sample_data else "")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_after_killed_runs(beside=out)  # what a run killed with SIGKILL left (catalog/runtime/leftovers.py)

    def key(p: Product) -> str:
        return (rulebook.group_name(p.data["classification"]["group"], lang) if by == "group"
                else province_of(places.provinces_by_folder()[p.folder].name))

    sections: dict[str, list[Product]] = defaultdict(list)
    for p in products:
        sections[key(p)].append(p)
    section_names = sorted(sections, key=sort_key)
    index_title = tb["index"]

    def story(index: dict[str, set[int]] | None, toc_pages: dict[str, int] | None) -> list[Flowable]:
        draft = index is None
        parts: list[Flowable] = [Spacer(1, 60 * mm), Paragraph(escape(catalogue_name), STYLES["title"])]
        if province_name:
            parts.append(Paragraph(escape(province_name), STYLES["subtitle"]))
        parts += [Spacer(1, 8 * mm),
                  Paragraph(escape(wording.keep_units(f"{tb['count'].format(n=len(products))} · "
                                                      f"{tb['as_of'].format(date=as_of)}")), STYLES["subtitle"])]
        if cat.config.get("publisher"):
            parts.append(Paragraph(escape(cat.config["publisher"]), STYLES["subtitle"]))
        if cat.sample_data:
            parts += [Spacer(1, 10 * mm), Paragraph(escape(t["sample_banner"]), STYLES["sample"])]
        parts += [Spacer(1, 10 * mm), Paragraph(escape(tb["intro"]), STYLES["text"]), PageBreak()]
        rows = [[Paragraph(escape(name), STYLES["toc"]), Paragraph(str((toc_pages or {}).get(name, 0)), STYLES["toc"])]
                for name in section_names + [index_title]]
        toc = Table(rows, colWidths=[None, 14 * mm])
        toc.setStyle(TableStyle([("ALIGN", (1, 0), (1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        parts += [Paragraph(escape(tb["contents"]), STYLES["h1"]), toc, PageBreak()]
        for name in section_names:
            parts.append(Heading(escape(name), STYLES["h1"]))
            for p in sorted(sections[name], key=lambda p: (-p.stars, sort_key(p.name), p.id)):
                parts.append(_card(photos, cat, p, draft, lang))
        parts += [PageBreak(), Heading(index_title, STYLES["h1"])]
        for name, pages in sorted((index or {}).items(), key=lambda kv: sort_key(kv[0])):
            numbers = ", ".join(str(n) for n in sorted(pages))
            parts.append(Paragraph(f"{escape(name)} — {escape(tb['pages'].format(pages=numbers))}", STYLES["index"]))
        return parts

    # Pass 1 lays the booklet out with placeholder photos and QR codes of the same size, to find
    # every heading's and card's page (the index comes last, so it cannot move them); pass 2
    # writes it with the table of contents and the producer index filled in.
    root = Path(root).resolve()
    tmp = fresh_temp(out).resolve()  # a new file of this run: never a planted link's target (leftovers.fresh_temp)
    try:
        # the photo copies are opened by relative name from the work folder, so the PDF does not
        # depend on where the temporary folder was (determinism)
        with tempfile.TemporaryDirectory(prefix=work_prefix("booklet")) as work, contextlib.chdir(work):
            photos = _Photos(root, Path(work))
            with progress.phase("booklet_layout", total=len(products)) as step:
                layout = _Doc(io.BytesIO(), footer, title, step)
                layout.build(story(None, None))
            with progress.phase("booklet_write", total=len(products)) as step:
                doc = _Doc(str(tmp), footer, title, step)
                doc.build(story(dict(layout.producer_pages), dict(layout.heading_pages)))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(out)
    return BookletReport(out, products, doc.page, refusals)
