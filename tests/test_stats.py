"""Statistics (issue #17): every figure on the built pages and in the downloads equals a count made
here, from the YAML files, without catalog.figures.stats.

The recount reads the record files with PyYAML, works out each certificate's status and history
with its own date arithmetic (the rules written in docs/DOMAIN.md and in catalog/figures/stats.py's docstring),
and builds the expected table rows. The built site is read back as a visitor or a spreadsheet would:
the HTML tables of every statistics page, every CSV file, every XLSX workbook (openpyxl), and the
bars of every SVG chart (their widths must be proportional to the values, their titles present).
Two catalogues: the shipped sample records, and a synthetic one with earlier ratings, gaps,
revocations and withdrawals (tools/make_national_dataset.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
import yaml

from catalog.reference import places
from catalog.site.build import build

from .conftest import AS_OF, REPO

SVG = "{http://www.w3.org/2000/svg}"
KINDS = {"cooperative": "Hợp tác xã", "company": "Doanh nghiệp", "cooperative_group": "Tổ hợp tác",
         "household_business": "Hộ kinh doanh"}


# --- the recount ------------------------------------------------------------------------------------
def day(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    for dd in (d.day, 30, 29, 28):
        try:
            return dt.date(d.year + y, m + 1, dd)
        except ValueError:
            pass
    raise ValueError(d)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


class Recount:
    def __init__(self, root: Path, on: dt.date = AS_OF) -> None:
        self.on = on
        self.records: dict[str, list[dict]] = {}
        for kind in ("products", "producers", "sales_points", "villages"):
            rows = []
            for path in sorted((root / kind).rglob("*.yaml")):
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
                data["_folder"] = path.parent.name
                rows.append(data)
            self.records[kind] = rows
        self.producers = {p["id"]: p for p in self.records["producers"]}
        taxonomy = yaml.safe_load((REPO / "catalog/data/taxonomy.yaml").read_text(encoding="utf-8"))
        self.group_names = {code: g["name"] for table in ("groups_148", "sectors_1048") for code, g in taxonomy[table].items()}
        self.set_names = {(g, s): e["name"] for g, grp in taxonomy["groups_148"].items() for s, e in grp["sets"].items()}
        self.province_names = {p.folder: p.name for p in places.provinces().values()}

    def status(self, p: dict) -> str:
        cert = p["certificate"]
        if p.get("status") == "withdrawn":
            return "withdrawn"
        if cert.get("revocation") and day(cert["revocation"]["decision"]["date"]) <= self.on:
            return "revoked"
        if day(cert["decision"]["date"]) > self.on:
            return "pending"
        if day(cert["valid_until"]) < self.on:
            return "expired"
        return "valid"  # valid or expiring: both "còn hiệu lực"

    def valid(self, folder: str | None = None) -> list[dict]:
        return [p for p in self.products(folder) if self.status(p) == "valid"]

    def products(self, folder: str | None = None) -> list[dict]:
        return [p for p in self.records["products"] if folder is None or p["_folder"] == folder]

    def in_folder(self, kind: str, folder: str | None) -> list[dict]:
        return [r for r in self.records[kind] if folder is None or r["_folder"] == folder]

    def events(self, p: dict) -> list[tuple[str, dt.date]]:
        """(kind, day) of everything that happened to p's certificates up to self.on."""
        ratings = []
        for r in p.get("earlier_ratings", []):
            decided = day(r["decision"]["date"])
            last = day(r["valid_until"]) if r.get("valid_until") else add_months(decided, 36) - dt.timedelta(days=1)
            ratings.append((decided, int(r["stars"]), last, False))
        cert = p["certificate"]
        ratings.append((day(cert["decision"]["date"]), int(cert["stars"]), day(cert["valid_until"]), True))
        ratings.sort(key=lambda r: (r[0], r[3]))
        revoked = day(cert["revocation"]["decision"]["date"]) if cert.get("revocation") else None
        withdrawn = p.get("status") == "withdrawn"
        withdrawn_on = day(p["status_date"]) if withdrawn and p.get("status_date") else None
        out = []
        for i, (decided, stars, last, current) in enumerate(ratings):
            if decided <= self.on:
                if i == 0:
                    out.append(("new", decided))
                else:
                    prev = ratings[i - 1][1]
                    out.append(("upgraded" if stars > prev else "downgraded" if stars < prev else "renewed", decided))
            ended = last + dt.timedelta(days=1)
            if decided > self.on or ended > self.on:
                continue
            if i + 1 < len(ratings) and ratings[i + 1][0] <= ended:
                continue
            if current and revoked is not None and revoked <= last:
                continue
            if current and withdrawn and (withdrawn_on is None or withdrawn_on <= last):
                continue
            out.append(("lapsed", ended))
        if revoked is not None and revoked <= self.on:
            out.append(("revoked", revoked))
        if withdrawn_on is not None and withdrawn_on <= self.on:
            out.append(("withdrawn", withdrawn_on))
        return out

    # expected tables: {row label: [numbers]}
    def stars(self, folder):
        n = Counter(int(p["certificate"]["stars"]) for p in self.valid(folder))
        return {f"{s} sao": [n[s]] for s in (3, 4, 5)} | {"Tổng cộng": [sum(n.values())]}

    def groups(self, folder):
        valid = self.valid(folder)
        n = Counter(p["classification"]["group"] for p in valid)
        shown = {code for code in self.group_names if not code.endswith("1048")} | {g for g in n if g.endswith("1048")}
        return {self.group_names[g]: [n[g]] for g in shown} | {"Tổng cộng": [len(valid)]}

    def sets(self, folder):
        valid = self.valid(folder)
        n = Counter((p["classification"]["group"], p["classification"].get("product_set", "")) for p in valid)
        out = {name: [n[key]] for key, name in self.set_names.items()}
        return out | {"Tổng cộng": [len(valid)]}

    def kinds(self, folder):
        valid = self.valid(folder)
        kind_of = {p["id"]: self.producers[p["producer"]]["kind"] for p in valid}
        products = Counter(kind_of.values())
        producers = {k: len({p["producer"] for p in valid if kind_of[p["id"]] == k}) for k in KINDS}
        return ({label: [products[k], producers[k]] for k, label in KINDS.items()}
                | {"Tổng cộng": [len(valid), len({p["producer"] for p in valid})]})

    def communes_of(self, folder: str) -> list[str]:
        name = self.province_names[folder]
        official = getattr(places, "communes_in", None)  # the 2025 list: reference data, not the code under test
        if official is not None:
            return list(official(name))
        return list(places._communes()[places.provinces()[name].code].values())

    def covered(self, folder: str) -> tuple[int, int]:
        communes = {nfc(p["address"]["commune"]) for p in self.valid(folder)}
        return len(communes), len(self.communes_of(folder))

    def units(self, folder):
        out = {}
        if folder is None:
            for f in self.province_names:
                valid = self.valid(f)
                n = Counter(int(p["certificate"]["stars"]) for p in valid)
                lapsed = sum(self.status(p) in ("expired", "revoked", "withdrawn") for p in self.products(f))
                covered, total = self.covered(f)
                pct = round(covered * 100 / total + 1e-9, 1) if total else 0.0
                out[self.province_names[f]] = [len(valid), n[3], n[4], n[5], lapsed, covered, total, pct]
            sums = [sum(v[i] for v in out.values()) for i in range(7)]
            out["Tổng cộng"] = sums + [round(sums[5] * 100 / sums[6] + 1e-9, 1)]
            return out
        for p in self.products(folder):
            row = out.setdefault(p["address"]["commune"], [0, 0, 0, 0, 0])
            status = self.status(p)
            if status == "valid":
                row[0] += 1
                row[int(p["certificate"]["stars"]) - 2] += 1
            elif status in ("expired", "revoked", "withdrawn"):
                row[4] += 1
        out["Tổng cộng"] = [sum(v[i] for v in list(out.values())) for i in range(5)]
        return out

    def years(self, folder):
        valid = self.valid(folder)
        n = Counter(str(day(p["certificate"]["decision"]["date"]).year) for p in valid)
        return {y: [c] for y, c in n.items()} | {"Tổng cộng": [len(valid)]}

    def flows(self, folder):
        kinds = ["new", "renewed", "upgraded", "downgraded", "lapsed", "revoked", "withdrawn"]
        years: dict[int, Counter] = defaultdict(Counter)
        for p in self.products(folder):
            for kind, d in self.events(p):
                years[d.year][kind] += 1
        out = {}
        if years:
            for y in range(min(years), self.on.year + 1):
                row = [years[y][k] for k in kinds]
                out[str(y)] = row + [sum(row[:4]), sum(row[4:])]
        out["Tổng cộng"] = [sum(v[i] for v in out.values()) for i in range(9)]
        return out

    def summary(self, folder):
        products = self.products(folder)
        statuses = Counter(self.status(p) for p in products)
        valid = self.valid(folder)
        expiring = sum(1 for p in valid if (day(p["certificate"]["valid_until"]) - self.on).days <= 90)
        status_of = {p["id"]: self.status(p) for p in self.records["products"]}
        points = self.in_folder("sales_points", folder)
        folders = [folder] if folder else list(self.province_names)
        covered = sum(self.covered(f)[0] for f in folders)
        communes = sum(self.covered(f)[1] for f in folders)
        potential = sum(1 for p in valid if int(p["certificate"]["stars"]) == 4 and p["certificate"].get("score", 0) >= 90
                        and p["certificate"]["deciding_body"]["level"] == "province")
        return {
            "Sản phẩm có giấy chứng nhận còn hiệu lực": [len(valid)],
            "— trong đó 5 sao": [sum(int(p["certificate"]["stars"]) == 5 for p in valid)],
            "— trong đó tiềm năng 5 sao": [potential],
            "— trong đó sắp hết hạn (trong 90 ngày)": [expiring],
            "Giấy chứng nhận đã hết hạn": [statuses["expired"]],
            "Giấy chứng nhận đã bị thu hồi": [statuses["revoked"]],
            "Sản phẩm đã rút khỏi danh mục": [statuses["withdrawn"]],
            "Quyết định chưa có hiệu lực": [statuses["pending"]],
            "Tổng số hồ sơ sản phẩm": [len(products)],
            "Chủ thể có sản phẩm còn hiệu lực": [len({p["producer"] for p in valid})],
            "Điểm giới thiệu và bán sản phẩm OCOP": [len(points)],
            "— trong đó đang bày sản phẩm không còn hiệu lực": [sum(1 for s in points if any(
                status_of.get(pid, "valid") != "valid" for pid in s.get("products", [])))],
            "Làng nghề, bản du lịch cộng đồng": [len(self.in_folder("villages", folder))],
            "Xã, phường có sản phẩm còn hiệu lực": [covered],
            "Tổng số xã, phường, đặc khu": [communes],
            "Tỷ lệ xã, phường có sản phẩm (%)": [round(covered * 100 / communes + 1e-9, 1)],
        }

    def coverage(self, folder):
        out = {c: [0, 0, 0, 0, 0] for c in self.communes_of(folder)}
        for p in self.products(folder):
            out[p["address"]["commune"]][0 if self.status(p) == "valid" else 1] += 1
        for i, kind in ((2, "producers"), (3, "sales_points"), (4, "villages")):
            for r in self.in_folder(kind, folder):
                out[r["address"]["commune"]][i] += 1
        out["Tổng cộng"] = [sum(v[i] for v in out.values()) for i in range(5)]
        return out

    def report_totals(self, folder):
        """The periodic report's total row: valid, 3★, 4★, 5★, …, recognised in the year, ended in the year."""
        valid = self.valid(folder)
        n = Counter(int(p["certificate"]["stars"]) for p in valid)
        events = [(k, d) for p in self.products(folder) for k, d in self.events(p) if d.year == self.on.year]
        return ([len(valid), n[3], n[4], n[5]],
                sum(k in ("new", "renewed", "upgraded", "downgraded") for k, _ in events),
                sum(k in ("lapsed", "revoked", "withdrawn") for k, _ in events))


# --- reading the built site back --------------------------------------------------------------------
def number(text: str):
    text = text.strip()
    if text == "":
        return None
    if text.endswith("%"):
        return float(text.rstrip(" %").replace(".", "").replace(",", "."))
    if re.fullmatch(r"-?[0-9.]+", text):
        return int(text.replace(".", ""))
    return text


class Tables(HTMLParser):
    """Every <table data-table> of a page: {id: [[cell text, …], …]} (body and foot rows)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self._table = None
        self._row = None
        self._cell = None
        self._in_head = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-table" in a:
            self._table = self.tables.setdefault(a["data-table"], [])
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr" and self._table is not None and not self._in_head:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self._table.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(path: Path) -> dict[str, list[list]]:
    parser = Tables()
    parser.feed(path.read_text(encoding="utf-8"))
    return {k: [[number(c) for c in row] for row in rows] for k, rows in parser.tables.items()}


def csv_cell(text: str):
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if re.fullmatch(r"-?[0-9]+\.[0-9]", text):
        return float(text)
    return text or None


def csv_rows(path: Path) -> list[list]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    return [[csv_cell(c) for c in row] for row in rows[1:]]


def keyed(rows: list[list], label: int = 0, skip: tuple[int, ...] = ()) -> dict:
    """{row label: [the numbers of the other columns]}"""
    out = {}
    for row in rows:
        name = row[label]
        values = [v for i, v in enumerate(row) if i != label and i not in skip]
        out[nfc(str(name)) if isinstance(name, str) else str(name)] = values
    return out


def norm(expected: dict) -> dict:
    return {nfc(k) if isinstance(k, str) else str(k): v for k, v in expected.items()}


def expected_tables(rc: Recount, folder: str | None) -> dict[str, tuple[dict, int, tuple]]:
    """table id → (expected {label: numbers}, label column, columns to leave out)."""
    out = {
        "tong-quan": (rc.summary(folder), 0, ()),
        "hang-sao": (rc.stars(folder), 0, ()),
        "nhom": (rc.groups(folder), 0, ()),
        "bo-san-pham": (rc.sets(folder), 1, (0, 2)),
        "loai-chu-the": (rc.kinds(folder), 0, ()),
        "nam-cong-nhan": (rc.years(folder), 0, ()),
        "bien-dong": (rc.flows(folder), 0, ()),
    }
    out["tinh" if folder is None else "xa"] = (rc.units(folder), 0, ())
    return out


def check_tables(found: dict[str, list[list]], rc: Recount, folder: str | None, where: str) -> int:
    checked = 0
    for table_id, (expected, label, skip) in expected_tables(rc, folder).items():
        got = keyed(found[table_id], label, skip)
        want = norm(expected)
        if table_id == "bo-san-pham":  # sets nobody has are rows of zeros: compare the named ones
            got = {k: v for k, v in got.items() if k in want}
        assert got == want, f"{where}: {table_id}"
        checked += 1
    return checked


def check_report(rows: list[list], rc: Recount, folder: str | None, where: str) -> None:
    stars, recognised, ended = rc.report_totals(folder)
    total = rows[-1]
    assert total[0] == "Tổng cộng" and total[1:5] == stars and total[-2:] == [recognised, ended], where
    assert sum(total[5:-2]) == stars[0], where  # group × stars cells add up to the valid products


# --- fixtures ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    out = tmp_path_factory.mktemp("stats") / "site"
    build(REPO, out, AS_OF)
    return REPO, out


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    base = tmp_path_factory.mktemp("stats-synthetic")
    subprocess.run([sys.executable, str(REPO / "tools/make_national_dataset.py"), str(base / "data"), "--products", "260"],
                   check=True, capture_output=True)
    build(base / "data", base / "site", AS_OF)
    return base / "data", base / "site"


@pytest.fixture(params=["shipped", "synthetic"])
def catalogue(request):
    return request.getfixturevalue(request.param)


# --- tests ------------------------------------------------------------------------------------------
def test_every_statistics_page_equals_the_recount(catalogue):
    root, site = catalogue
    rc = Recount(root)
    folders = sorted({p["_folder"] for kind in rc.records.values() for p in kind})
    assert (site / "thong-ke/index.html").is_file()
    checked = check_tables(page_tables(site / "thong-ke/index.html"), rc, None, "thong-ke/")
    for folder in folders:
        page = site / "thong-ke" / folder / "index.html"
        checked += check_tables(page_tables(page), rc, folder, str(page))
        check_report(page_tables(page)["bao-cao"], rc, folder, str(page))
    check_report(page_tables(site / "thong-ke/index.html")["bao-cao"], rc, None, "thong-ke/")
    assert checked == 8 * (len(folders) + 1)
    assert rc.flows(None)["Tổng cộng"][0] == len(rc.records["products"])  # every product was new once


def test_every_download_equals_the_recount(catalogue):
    root, site = catalogue
    rc = Recount(root)
    for folder in [None] + sorted({p["_folder"] for p in rc.records["products"]}):
        base = site / "thong-ke" / (folder or "")
        found = {t: csv_rows(base / f"{t}.csv") for t in ("tong-quan", "hang-sao", "nhom", "bo-san-pham", "loai-chu-the",
                                                          "tinh" if folder is None else "xa", "nam-cong-nhan", "bien-dong")}
        check_tables(found, rc, folder, f"{base} (CSV)")
        check_report(csv_rows(base / "bao-cao.csv"), rc, folder, f"{base}/bao-cao.csv")
        book = openpyxl.load_workbook(base / f"thong-ke-{folder or 'toan-quoc'}.xlsx")
        sheets = {ws.title: [[c for c in row] for row in ws.iter_rows(min_row=2, values_only=True)] for ws in book}
        by_title = dict(zip([t for t in ("tong-quan", "hang-sao", "nhom", "bo-san-pham", "loai-chu-the",
                                         "tinh" if folder is None else "xa", "nam-cong-nhan", "bien-dong",
                                         "lang-diem-ban", "bao-cao", "phu-xa")], sheets.values()))
        check_tables({k: [[v if v is not None else None for v in row] for row in rows] for k, rows in by_title.items()},
                     rc, folder, f"{base} (XLSX)")


def test_commune_coverage_lists_every_commune_and_recounts(catalogue):
    root, site = catalogue
    rc = Recount(root)
    for folder in sorted({p["_folder"] for kind in rc.records.values() for p in kind}):
        rows = page_tables(site / "tinh" / folder / "xa" / "index.html")["phu-xa"]
        assert len(rows) == len(rc.communes_of(folder)) + 1  # every commune of the 2025 list, and the total
        assert keyed(rows) == norm(rc.coverage(folder))
        valid = [r[1] for r in rows[:-1]]
        assert valid == sorted(valid, reverse=True)  # most products first
        html = (site / "tinh" / folder / "xa" / "index.html").read_text(encoding="utf-8")
        covered, total = rc.covered(folder)
        assert f"{covered}/{total} xã" in html
    # a commune page lists exactly that commune's records
    p = rc.records["products"][0]
    from catalog.figures.stats import commune_slugs

    slug = commune_slugs(rc.province_names[p["_folder"]])[p["address"]["commune"]]
    html = (site / "tinh" / p["_folder"] / "xa" / slug / "index.html").read_text(encoding="utf-8")
    same = [q for q in rc.records["products"] if q["_folder"] == p["_folder"] and q["address"]["commune"] == p["address"]["commune"]]
    assert all(f"san-pham/{q['id']}/" in html for q in same)
    assert html.count('class="ocop-badge') == len(same)


def test_province_listing_shows_valid_and_lapsed_apart_with_scoped_facets(shipped):
    root, site = shipped
    rc = Recount(root)
    for folder in sorted({p["_folder"] for p in rc.records["products"]}):
        html = (site / "tinh" / folder / "index.html").read_text(encoding="utf-8")
        valid = rc.valid(folder)
        others = [p for p in rc.products(folder) if rc.status(p) != "valid"]
        assert f"{len(valid)} sản phẩm còn hiệu lực" in html
        assert html.count('class="ocop-card ') == len(valid)
        for n, count in Counter(int(p["certificate"]["stars"]) for p in valid).items():
            assert f'href="sao/{n}/">{n} sao</a> ({count})' in html
            facet = (site / "tinh" / folder / "sao" / str(n) / "index.html").read_text(encoding="utf-8")
            assert facet.count('class="ocop-card ') == count
        for group, count in Counter(p["classification"]["group"] for p in valid).items():
            facet = (site / "tinh" / folder / "nhom" / group / "index.html").read_text(encoding="utf-8")
            assert facet.count('class="ocop-card ') == count
            assert "../../../../nhom/" not in facet  # facets stay in the province
        if others:
            lapsed = (site / "tinh" / folder / "het-hieu-luc" / "index.html").read_text(encoding="utf-8")
            assert lapsed.count('class="ocop-card ') == len(others)
            assert "ocop-card--valid" not in lapsed and "ocop-card--expiring" not in lapsed


def bars(svg: ET.Element) -> list[tuple[float, float]]:
    return [(float(r.get("width")), float(r.get("data-value"))) for r in svg.iter(f"{SVG}rect") if r.get("data-value")]


def test_charts_are_svg_with_titles_and_bars_proportional_to_the_table(catalogue):
    root, site = catalogue
    pages = [site / "thong-ke/index.html"] + sorted((site / "thong-ke").glob("*/index.html"))
    per_page = []
    for page in pages:
        charts = 0
        html = page.read_text(encoding="utf-8")
        tables = page_tables(page)
        for match in re.finditer(r'<section class="ocop-stat" id="([a-z-]+)".*?</section>', html, re.S):
            table_id = match.group(1)
            svg_text = re.search(r"<svg .*?</svg>", match.group(0), re.S)
            if svg_text is None:
                continue
            svg = ET.fromstring(svg_text.group(0))
            title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
            assert title is not None and title.text.strip() and desc is not None and desc.text.strip()
            assert svg.get("role") == "img" and svg.get("aria-labelledby") == f"bd-{table_id}-t bd-{table_id}-d"
            assert not list(svg.iter(f"{SVG}script")) and "style=" not in svg_text.group(0)
            found = bars(svg)
            assert found
            top = max(v for _, v in found)
            widest = max(w for w, _ in found)
            for width, value in found:  # bar length ∝ value (to the 0.1 unit the coordinates keep)
                assert abs(width - value * widest / top) <= 0.06 if top else width == 0
            # the chart shows the table's numbers: the first column(s) of its first rows
            rows = [r for r in tables[table_id] if r[0] != "Tổng cộng"]
            values = [v for _, v in found]
            if table_id == "bien-dong":
                assert values == [float(x) for r in rows for x in r[-2:]]
            elif table_id == "loai-chu-the":
                assert values == [float(r[1]) for r in rows]
            else:
                assert values == [float(r[1]) for r in rows[:len(values)]]
            for row in rows[:len(values)]:
                assert str(row[0]) in desc.text
            charts += 1
        per_page.append(charts)
    assert per_page[0] == 6 and all(per_page)  # national: stars, groups, kinds, provinces, years, flows


def test_chart_labels_are_escaped_and_wrapped():
    from catalog.site.charts import bar_chart

    svg = bar_chart("x", "Tiêu đề <b>", ["<script>alert(1)</script> & một tên rất dài " * 3, "Đồ uống"], [("Số", [5, 0])])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp;" in svg
    root = ET.fromstring(str(svg))
    labels = [t.text for t in root.iter(f"{SVG}text") if "ocop-chart__label" in t.get("class")]
    assert len(labels) > 3 and all(len(t) <= 40 for t in labels)  # wrapped to the 320-unit width
    assert bars(root) == [(268.0, 5.0), (0.0, 0.0)]
    assert bar_chart("x", "t", ["a"], [("s", [1])]) == bar_chart("x", "t", ["a"], [("s", [1])])


def test_feed_announces_revocations_withdrawals_and_lapses(synthetic, shipped):
    for root, site in (shipped, synthetic):
        rc = Recount(root)
        expected = sorted(((d, p["id"], k) for p in rc.records["products"] for k, d in rc.events(p)), reverse=True)[:50]
        feed = ET.parse(site / "feed.xml").getroot()
        atom = "{http://www.w3.org/2005/Atom}"
        entries = feed.findall(f"{atom}entry")
        got = [(dt.date.fromisoformat(e.find(f"{atom}updated").text[:10]), e.find(f"{atom}link").get("href").split("/")[-2],
                e.find(f"{atom}category").get("term")) for e in entries]
        assert got == expected
        kinds = {k for _, _, k in got}
        summaries = {e.find(f"{atom}category").get("term"): e.find(f"{atom}summary").text for e in entries}
        if root == REPO:
            assert {"revoked", "withdrawn", "lapsed"} <= kinds
            assert "412/QĐ-UBND" in summaries["revoked"] and "18/03/2025" in summaries["revoked"]
            assert "15/07/2025" in summaries["withdrawn"]
            assert re.search(r"hết hiệu lực từ ngày \d\d/\d\d/\d{4}", summaries["lapsed"])
            assert "quyết định" in summaries["lapsed"]


def test_sitemap_lastmod_comes_from_the_records(shipped):
    root, site = shipped
    text = (site / "sitemap.xml").read_text(encoding="utf-8")
    entries = dict(re.findall(r"<loc>https://ocop.example.vn/([^<]*)</loc>(?:<lastmod>([^<]*)</lastmod>)?", text))
    assert entries["san-pham/nuoc-mam-cat-hai/"] == "2025-01-20"  # its lot's last event (decision 20/11/2024)
    assert entries["01/08936012340099"] == "2025-01-20"  # its label's page
    assert "p/nuoc-mam-cat-hai/" not in entries  # a GTIN product's p/ page only forwards (noindex): not listed (#27)
    assert entries["san-pham/thit-lon-gac-bep/"] == "2024-11-18"  # lapsed: valid until 17/11/2024
    assert entries["san-pham/bo-kho-ha-giang/"] == "2025-03-18"  # revoked on 18/03/2025
    assert entries["san-pham/khau-nhuc-tuyen-quang/"] == "2025-07-15"  # withdrawn
    assert entries["tim-kiem/"] == "" and entries["du-lieu-mo/"] == ""
    dates = {v for v in entries.values() if v}
    assert len(dates) > 5 and max(dates) <= AS_OF.isoformat()


def test_robots_schemas_descriptions_and_international_phones(shipped):
    import json

    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    root, site = shipped
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Sitemap: https://ocop.example.vn/sitemap.xml" in robots
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((site / "api/v1/schemas").glob("*.json"))]
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s, default_specification=DRAFT7)) for s in schemas])
    for kind, plural in (("product", "products"), ("producer", "producers"), ("sales_point", "sales_points"),
                         ("village", "villages")):
        schema = json.loads((site / f"api/v1/schemas/{kind}-file.schema.json").read_text(encoding="utf-8"))
        validator = jsonschema.Draft7Validator(schema, registry=registry, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
        files = sorted((site / "api/v1" / plural).glob("*.json"))
        assert files
        for path in files:
            errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
            assert errors == [], (path, errors[:1])
        broken = {**json.loads(files[0].read_text(encoding="utf-8")), "surprise": 1}
        assert list(validator.iter_errors(broken))  # the schema can fail
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0] == "admin":
            continue  # the officers' form editor (#26), not a catalogue page
        assert '<meta name="description" content="' in page.read_text(encoding="utf-8"), page
    store = (site / "diem-ban/diem-ocop-lai-chau-trung-tam/index.html").read_text(encoding="utf-8")
    assert '"telephone": "+842133876600"' in store
    from catalog.publish.opendata import international_phone

    assert [international_phone(x) for x in ("0912345678", "+84912345678", "02133876600", "18001234")] == \
        ["+84912345678", "+84912345678", "+842133876600", "18001234"]


# --- a scope's key (incremental builds, issue #27) -------------------------------------------------
def _uncounted_changed(value, path=""):
    """``value`` with every text, number and date inside it changed (lists keep their length)."""
    if isinstance(value, dict):
        return {k: _uncounted_changed(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_uncounted_changed(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str):
        return value + " (đã sửa)"
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value + 1
    return value


def _scope_records(cat, folder):
    """The definition, record by record, that stats._scope_files makes in one pass: the records a scope's figures are made from: its products, their producers (kind), its
    producers, sales points and villages (the coverage table counts every producer of a commune,
    with products or not), and, for the lapsed-product count, the products its sales points list."""
    found: dict = {}
    for p in cat.products.values():
        if folder is None or p.folder == folder:
            found[p.file] = p
            producer = cat.producers[p.data["producer"]]
            found[producer.file] = producer
    for kind in ("producer", "sales_point", "village"):
        for rec in cat.table(kind).values():
            if folder is None or rec.folder == folder:
                found[rec.file] = rec
                for pid in rec.data.get("products", []):
                    if pid in cat.products:
                        found[cat.products[pid].file] = cat.products[pid]
    return [found[name] for name in sorted(found)]


def _all_tables(cat, folders):
    from catalog.figures import stats

    return {(folder, lang): [(t.id, t.title, t.columns, [[str(c) for c in row] for row in t.rows], t.total)
                             for t in stats.Figures(cat, folder, lang=lang).tables()]
            for folder in [None, *folders] for lang in ("vi", "en")}


@pytest.mark.parametrize("source", ["shipped", "synthetic-data"])
def test_a_scope_key_ignores_exactly_what_no_table_counts(source, tmp_path):
    """catalog/figures/stats.py ``NOT_COUNTED``: change every such field of every record (names,
    descriptions, photos' alt texts, lots, phones…) and every table of every scope, in both
    languages, is the same, and so is every scope's key — the statistics pages and downloads of an
    incremental build are then rightly not made again. A table that starts reading one of these
    fields fails here. Change what a table counts (a star level, a producer's kind, a producer of a
    province that has no product yet) and the key changes."""
    import copy

    from catalog.checks.validate import check
    from catalog.figures import stats

    if source == "shipped":
        root = REPO
    else:
        root = tmp_path / "data"
        subprocess.run([sys.executable, str(REPO / "tools/make_national_dataset.py"), str(root), "--products", "180"],
                       check=True, capture_output=True)
    cat = check(root, AS_OF).catalogue
    assert cat is not None
    folders = stats.folders(cat)
    before_tables = _all_tables(cat, folders)
    before_keys = {folder: stats.scope_digest(cat, folder) for folder in [None, *folders]}
    changed = copy.deepcopy(cat)
    changed.memo.clear()
    touched = 0
    for kind in ("product", "producer", "sales_point", "village"):
        for rec in changed.table(kind).values():
            for field in stats.NOT_COUNTED & set(rec.data):
                rec.data[field] = _uncounted_changed(rec.data[field])
                touched += 1
    assert touched > 50
    assert _all_tables(changed, folders) == before_tables
    assert {folder: stats.scope_digest(changed, folder) for folder in [None, *folders]} == before_keys

    for folder in [None, *folders]:  # the one-pass index is the definition's
        assert stats._scope_files(cat)[folder] == [r.file for r in _scope_records(cat, folder)]

    # a catalogue is not changed once assembled (Catalogue.memo): these changes make new ones
    product = next(iter(changed.products.values()))
    product.data["certificate"] = {**product.data["certificate"], "stars": 5 if product.stars != 5 else 4}
    changed.memo.clear()
    assert stats.scope_digest(changed, None) != before_keys[None]
    assert stats.scope_digest(changed, product.folder) != before_keys[product.folder]
    lonely = copy.deepcopy(next(iter(changed.producers.values())))
    lonely.id, lonely.file = "chu-the-chua-co-san-pham", lonely.file.rsplit("/", 1)[0] + "/chu-the-chua-co-san-pham.yaml"
    changed.producers[lonely.id] = lonely  # counted by the coverage table of its province
    changed.memo.clear()
    after = stats.scope_digest(changed, lonely.folder)
    del changed.producers[lonely.id]
    changed.memo.clear()
    assert after != stats.scope_digest(changed, lonely.folder)
