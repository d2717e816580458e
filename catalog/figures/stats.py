"""Statistics: the figures provincial OCOP plans are run on, computed from the records.

One job: numbers. :class:`Figures` takes the catalogue, a scope (the whole country or one
province) and a date, and returns :class:`catalog.figures.tables.Table` objects. The statistics pages,
their CSV/XLSX downloads and ``ocop report summary`` print these same tables, so the numbers agree
everywhere by construction; ``tests/test_stats.py`` recounts them from the YAML files by another
route. Labels come from ``catalog/data/ui.vi.yaml`` (``stats``).

Definitions (every number depends on them; the statistics page repeats them for its readers):

* **valid** on a date: the certificate is valid or expiring (``model.Status.is_valid``). On the
  catalogue's as-of date the status is exactly the one every other page shows
  (``Product.status``). On an earlier date (the report of a past year) it is the status of the
  certificate in force that day: the current one if it had been decided, otherwise the newest
  earlier rating decided by then (valid until its ``valid_until``, or decision + 36 months − 1 day
  when the record does not say).
* **not valid** (*không còn hiệu lực*): expired, revoked or withdrawn; *pending* (a decision dated
  after the day) is counted apart.
* **recognitions** of a product: its ``earlier_ratings`` and its current certificate, in order of
  decision date. The first is *new*; each later one is *upgraded*, *downgraded* or
  *re-recognised* (same stars) against the one before. Counted in the year of the decision.
* **lapsed** in a year: a certificate whose last valid day fell in that year, before the day of
  the figures, with no later recognition decided by the next day, and not revoked or withdrawn
  first. **revoked**: the year of the revocation decision. **withdrawn**: the year of
  ``status_date``; a withdrawal without a date counts in the totals, under no year.
* **year of recognition**: of the current certificate's decision, for valid products.
* **communes**: the record's current address (``address.commune``) matched to the official 2025
  name; coverage = communes with at least one valid product / all communes of the province
  (:func:`communes_in`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, Callable
from ..reference import places, rulebook
from ..reference.collation import sort_key
from ..records.model import Catalogue, Product, Status, certificate_status
from .tables import Chart, Linked, Table
from ..reference.lang import date, ui as load

STARS = (3, 4, 5)
LAPSED = (Status.EXPIRED, Status.REVOKED, Status.WITHDRAWN)
RECOGNITION_KINDS = ("new", "renewed", "upgraded", "downgraded")
ENDING_KINDS = ("lapsed", "revoked", "withdrawn")
COMMUNE_CHART_LIMIT = 15


def ui(lang: str = "vi") -> dict:
    return load(lang)


def lang_date(day: dt.date, lang: str) -> str:
    return date(day, lang)


# --- Vietnamese alphabetical order ------------------------------------------------------------------
# The shared collation (catalog/reference/collation.py, issue #16): letters in the Vietnamese alphabet's order,
# tones only break ties, then case.
vi_key = sort_key


# --- communes ---------------------------------------------------------------------------------------
def communes_in(province: str) -> list[str]:
    """The official names of a province's communes (2025 list), in Vietnamese order."""
    return sorted(places.communes_in(province), key=vi_key)


@lru_cache(maxsize=None)
def commune_slugs(province: str) -> dict[str, str]:
    """Official commune name → URL slug, unique within the province. Names that differ only by
    diacritics fold to one slug (Xã Văn Lang, Xã Văn Lăng): in code-point order of the name the
    first keeps it, the next get -2, -3. The 2025 list is fixed by decision, so is this."""
    out: dict[str, str] = {}
    used: Counter = Counter()
    for name in sorted(communes_in(province)):
        base = places.slug(name)
        used[base] += 1
        out[name] = base if used[base] == 1 else f"{base}-{used[base]}"
    return out


def official_commune(province: str, commune: str) -> str:
    """The official spelling of a record's commune (validation guarantees it exists)."""
    return places.find_commune(province, commune) or commune


def province_name(folder: str) -> str:
    return places.provinces_by_folder()[folder].name


# --- history: recognitions and events ---------------------------------------------------------------
@dataclass(frozen=True)
class Recognition:
    stars: int
    decided: dt.date
    last_day: dt.date  # the last day the certificate is valid
    decision: str
    body: str
    certificate: str
    current: bool


@dataclass(frozen=True)
class Event:
    """Something that happened to a product's certificate on a day (statistics, feed)."""

    kind: str  # new | renewed | upgraded | downgraded | lapsed | revoked | withdrawn
    day: dt.date
    product: Product
    stars: int
    decision: str  # the decision number the event is about ("" when there is none)
    decision_date: dt.date | None
    body: str
    certificate: str
    valid_until: dt.date | None = None  # of the certificate a recognition granted


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def recognitions(p: Product) -> list[Recognition]:
    """Earlier ratings and the current certificate, oldest first."""
    out = []
    for r in p.data.get("earlier_ratings", []):
        decided = _day(r["decision"]["date"])
        last = _day(r["valid_until"]) if r.get("valid_until") else rulebook.expected_valid_until(decided)
        out.append(Recognition(int(r["stars"]), decided, last, r["decision"]["number"],
                               (r.get("deciding_body") or {}).get("name", ""), r.get("certificate_number", ""), False))
    cert = p.data["certificate"]
    out.append(Recognition(int(cert["stars"]), _day(cert["decision"]["date"]), _day(cert["valid_until"]),
                           cert["decision"]["number"], cert["deciding_body"]["name"], cert["number"], True))
    return sorted(out, key=lambda r: (r.decided, not r.current))


def withdrawal_day(p: Product) -> dt.date | None:
    return _day(p.data["status_date"]) if p.data.get("status") == "withdrawn" and p.data.get("status_date") else None


def events(p: Product, on: dt.date) -> list[Event]:
    """What happened to ``p``'s certificates up to and including ``on`` (see the module's
    definitions), oldest first."""
    out: list[Event] = []
    history = recognitions(p)
    cert = p.data["certificate"]
    revocation = cert.get("revocation")
    revoked = _day(revocation["decision"]["date"]) if revocation else None
    withdrawn = p.data.get("status") == "withdrawn"
    withdrawn_on = withdrawal_day(p)
    # an earlier rating revoked before the product was recognised again: its revocation, kept with it
    earlier_revoked = {(r["decision"]["number"], _day(r["decision"]["date"])): r["revocation"]
                       for r in p.data.get("earlier_ratings", []) if r.get("revocation")}
    for k, rec in enumerate(history):
        if rec.decided <= on:
            if k == 0:
                kind = "new"
            else:
                before = history[k - 1].stars
                kind = "upgraded" if rec.stars > before else "downgraded" if rec.stars < before else "renewed"
            out.append(Event(kind, rec.decided, p, rec.stars, rec.decision, rec.decided, rec.body, rec.certificate,
                             rec.last_day))
        earlier = earlier_revoked.get((rec.decision, rec.decided)) if not rec.current else None
        if earlier is not None:
            ended = _day(earlier["decision"]["date"])
            if ended <= on:
                out.append(Event("revoked", ended, p, rec.stars, earlier["decision"]["number"], ended, rec.body,
                                 rec.certificate))
            if ended <= rec.last_day:
                continue  # ended by the revocation, not by a lapse
        lapse = rec.last_day + dt.timedelta(days=1)
        if lapse > on or rec.decided > on:
            continue
        following = history[k + 1] if k + 1 < len(history) else None
        if following is not None and following.decided <= lapse:
            continue  # renewed in time
        if rec.current and revoked is not None and revoked <= rec.last_day:
            continue  # ended by the revocation
        if rec.current and withdrawn and (withdrawn_on is None or withdrawn_on <= rec.last_day):
            continue  # ended by the withdrawal (or we cannot tell which came first)
        out.append(Event("lapsed", lapse, p, rec.stars, rec.decision, rec.decided, rec.body, rec.certificate))
    if revoked is not None and revoked <= on:
        out.append(Event("revoked", revoked, p, int(cert["stars"]), revocation["decision"]["number"], revoked,
                         cert["deciding_body"]["name"], cert["number"]))
    if withdrawn_on is not None and withdrawn_on <= on:
        decision = p.data.get("status_decision") or {}
        out.append(Event("withdrawn", withdrawn_on, p, int(cert["stars"]), decision.get("number", ""),
                         _day(decision["date"]) if decision.get("date") else None, cert["deciding_body"]["name"],
                         cert["number"]))
    return sorted(out, key=lambda e: (e.day, e.kind in ENDING_KINDS, e.kind))


def catalogue_events(cat: Catalogue, p: Product, on: dt.date) -> list[Event]:
    """``events(p, on)`` for a product of ``cat``, made once per catalogue: the national and the
    province scope of each language and the feed all ask (45,000 calls at 15,000 products, ~0.3 s of
    every build, issue #27). The list is shared: never change it."""
    key = ("events", p.id, on)
    found = cat.memo.get(key)
    if found is None:
        found = cat.memo[key] = events(p, on)
    return found


def state_on(cat: Catalogue, p: Product, on: dt.date) -> tuple[Status, int, dt.date]:
    """(status, stars, decision date) of the certificate that counts for ``p`` on ``on``."""
    cert = p.data["certificate"]
    decided = _day(cert["decision"]["date"])
    if on == cat.as_of:
        return p.status, p.stars, decided
    data = p.data
    if data.get("status") == "withdrawn":
        withdrawn_on = withdrawal_day(p)
        if withdrawn_on is None or withdrawn_on <= on:
            return Status.WITHDRAWN, p.stars, decided
        data = {k: v for k, v in data.items() if k != "status"}  # withdrawn later than ``on``
    if decided <= on:
        return certificate_status(data, on), p.stars, decided
    earlier = [r for r in recognitions(p) if not r.current and r.decided <= on]
    if not earlier:
        return Status.PENDING, p.stars, decided
    rec = earlier[-1]
    if rec.last_day < on:
        return Status.EXPIRED, rec.stars, rec.decided
    if (rec.last_day - on).days <= rulebook.expiring_within_days():
        return Status.EXPIRING, rec.stars, rec.decided
    return Status.VALID, rec.stars, rec.decided


# --- figures ----------------------------------------------------------------------------------------
def percent(part: int, whole: int) -> float:
    """One decimal, half up (45.25 → 45.3), the same in every format."""
    if not whole:
        return 0.0
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class Row:
    """One product as the figures see it on the day."""

    product: Product
    status: Status
    stars: int
    decided: dt.date
    group: str
    product_set: str
    kind: str  # producer kind
    producer: str
    commune: str  # official name
    folder: str

    @property
    def valid(self) -> bool:
        return self.status.is_valid


class _Scope:
    """One scope on one day: the products (as :class:`Row`), the valid ones, the counts and the
    events every table is made from. The tables are in the classes below, one per kind of
    question, put together by :class:`Figures` (issue #23: one class of 279 lines before)."""

    def __init__(self, cat: Catalogue, folder: str | None = None, on: dt.date | None = None, lang: str = "vi") -> None:
        self.cat = cat
        self.lang = lang  # the words of the tables (the statistics pages in English, issue #18)
        self.folder = folder
        self.on = on or cat.as_of
        self.t = ui(self.lang)["stats"]
        key = ("scope rows", folder, self.on)  # the same in both languages: made once per catalogue
        if key not in cat.memo:
            rows: list[Row] = []
            for p in cat.products.values():
                if folder is not None and p.folder != folder:
                    continue
                status, stars, decided = state_on(cat, p, self.on)
                producer = cat.producers[p.data["producer"]]
                cls = p.data["classification"]
                rows.append(Row(p, status, stars, decided, cls["group"], cls.get("product_set", ""),
                                producer.data["kind"], producer.id,
                                official_commune(p.data["address"]["province"], p.data["address"]["commune"]), p.folder))
            cat.memo[key] = (rows, [r for r in rows if r.valid])
        self.rows, self.valid = cat.memo[key]  # shared: never changed

    def _in_scope(self, kind: str) -> list:
        return [r for r in self.cat.table(kind).values() if self.folder is None or r.folder == self.folder]

    @property
    def scope_name(self) -> str:
        return province_name(self.folder) if self.folder else self.t["national"]

    def provinces(self) -> list[str]:
        """Folders of the provinces in the scope: all 34 nationally (a province without products
        is a zero, not a gap)."""
        if self.folder:
            return [self.folder]
        return [info.folder for info in sorted(places.provinces().values(), key=lambda i: vi_key(i.name))]

    def counts(self) -> dict[str, int]:
        by_status = Counter(r.status for r in self.rows)
        communes = self.commune_coverage()
        return {
            "valid": len(self.valid),
            "five_star": sum(r.stars == 5 for r in self.valid),
            "potential_five_star": sum(1 for r in self.valid if r.stars == 4
                                       and rulebook.potential_five_star(r.product.data["certificate"])),
            "expiring": by_status[Status.EXPIRING],
            "expired": by_status[Status.EXPIRED],
            "revoked": by_status[Status.REVOKED],
            "withdrawn": by_status[Status.WITHDRAWN],
            "pending": by_status[Status.PENDING],
            "records": len(self.rows),
            "producers": len({r.producer for r in self.valid}),
            "sales_points": len(self._in_scope("sales_point")),
            "sales_points_lapsed": sum(1 for sp in self._in_scope("sales_point")
                                       if any(pid in self.cat.products and not self.cat.products[pid].status.is_valid
                                              for pid in sp.data.get("products", []))),
            "villages": len(self._in_scope("village")),
            "communes_covered": sum(covered for covered, _ in communes.values()),
            "communes": sum(total for _, total in communes.values()),
        }

    def commune_coverage(self) -> dict[str, tuple[int, int]]:
        """Province folder → (communes with a valid product, communes)."""
        covered: dict[str, set[str]] = defaultdict(set)
        for r in self.valid:
            covered[r.folder].add(r.commune)
        return {f: (len(covered[f]), len(communes_in(province_name(f)))) for f in self.provinces()}

    def groups(self) -> list[str]:
        """Group codes to show: the six of 148 always, a 1048 sector while a valid product has it."""
        taxonomy = rulebook.taxonomy()
        present = {r.group for r in self.valid}
        return list(taxonomy["groups_148"]) + [g for g in taxonomy.get("sectors_1048", {}) if g in present]

    def _unit_counts(self, key: Callable[[Row], str]) -> dict:
        out: dict = defaultdict(lambda: {"valid": 0, 3: 0, 4: 0, 5: 0, "lapsed": 0, "records": 0})
        for r in self.rows:
            u = out[key(r)]
            u["records"] += 1
            if r.valid:
                u["valid"] += 1
                u[r.stars] += 1
            elif r.status in LAPSED:
                u["lapsed"] += 1
        return out

    def product_events(self, r: Row) -> list[Event]:
        return catalogue_events(self.cat, r.product, self.on)

    def events(self) -> list[Event]:
        return [e for r in self.rows for e in self.product_events(r)]

    def flow_counts(self) -> dict[int, Counter]:
        years: dict[int, Counter] = defaultdict(Counter)
        for e in self.events():
            years[e.day.year][e.kind] += 1
        return years


class _ByKind(_Scope):
    """The tables by kind: the summary, stars, groups, product sets, kinds of producer."""

    def summary(self) -> Table:
        c, t = self.counts(), self.t["summary"]
        rows = [[t[key], c[key]] for key in ("valid", "five_star", "potential_five_star", "expiring", "expired",
                                             "revoked", "withdrawn", "pending", "records", "producers", "sales_points",
                                             "sales_points_lapsed", "villages", "communes_covered", "communes")]
        rows.append([t["coverage"], percent(c["communes_covered"], c["communes"])])
        return Table("tong-quan", self.t["tables"]["summary"], [t["figure"], t["value"]], rows)

    def by_stars(self) -> Table:
        counts = Counter(r.stars for r in self.valid)
        rows = [[ui(self.lang)["stars_word"].format(n=n), counts[n]] for n in STARS]
        return Table("hang-sao", self.t["tables"]["stars"], [self.t["col"]["stars"], self.t["col"]["valid"]], rows,
                     total=[self.t["col"]["total"], len(self.valid)], chart=Chart())

    def by_group(self) -> Table:
        counts = Counter(r.group for r in self.valid)
        rows: list[list[Any]] = [[rulebook.group_name(g, self.lang), counts[g]] for g in self.groups()]
        rows.sort(key=lambda row: -row[1])  # stable: taxonomy order among equals
        return Table("nhom", self.t["tables"]["groups"], [self.t["col"]["group"], self.t["col"]["valid"]], rows,
                     total=[self.t["col"]["total"], len(self.valid)], chart=Chart())

    def by_set(self) -> Table:
        counts = Counter((r.group, r.product_set) for r in self.valid)
        rows = []
        for code, group in rulebook.taxonomy()["groups_148"].items():
            for set_code, entry in group.get("sets", {}).items():
                rows.append([set_number(entry), rulebook.product_set_name(code, set_code, self.lang),
                             rulebook.group_name(code, self.lang), counts[(code, set_code)]])
        others = sorted((k for k in counts if rulebook.product_set(k[0], k[1]) is None), key=lambda k: (k[0], k[1]))
        for g, s in others:  # a 1048 sector (no sets) or a set the taxonomy does not know
            rows.append([None, s or self.t["no_set"], rulebook.group_name(g, self.lang), counts[(g, s)]])
        c = self.t["col"]
        return Table("bo-san-pham", self.t["tables"]["sets"], [c["set_no"], c["set"], c["group"], c["valid"]], rows,
                     total=[None, c["total"], None, len(self.valid)], header=1)

    def by_producer_kind(self) -> Table:
        products = Counter(r.kind for r in self.valid)
        producers: dict[str, set] = defaultdict(set)
        for r in self.valid:
            producers[r.kind].add(r.producer)
        kinds = ui(self.lang)["producer"]["kinds"]
        rows = [[kinds[k], products[k], len(producers[k])] for k in kinds]
        c = self.t["col"]
        return Table("loai-chu-the", self.t["tables"]["kinds"], [c["kind"], c["valid"], c["producers"]], rows,
                     total=[c["total"], len(self.valid), len({r.producer for r in self.valid})], chart=Chart())


class _ByPlace(_Scope):
    """The tables by place: provinces or communes, villages and sales points, commune coverage."""

    def by_unit(self) -> Table:
        """Nationally: every province with its commune coverage. For a province: its communes
        with products (all communes, covered or not, are on the coverage page)."""
        c = self.t["col"]
        if self.folder is None:
            counts = self._unit_counts(lambda r: r.folder)
            coverage = self.commune_coverage()
            with_pages = set(folders(self.cat))
            rows = []
            for f in self.provinces():
                u = counts.get(f) or {"valid": 0, 3: 0, 4: 0, 5: 0, "lapsed": 0}
                covered, total = coverage[f]
                name = Linked(province_name(f), f"thong-ke/{f}/") if f in with_pages else province_name(f)
                rows.append([name, u["valid"], u[3], u[4], u[5], u["lapsed"],
                             covered, total, percent(covered, total)])
            rows.sort(key=lambda row: (-row[1], vi_key(str(row[0]))))
            covered = sum(row[6] for row in rows)
            total = sum(row[7] for row in rows)
            total_row = [c["total"]] + [sum(row[i] for row in rows) for i in range(1, 8)] + [percent(covered, total)]
            return Table("tinh", self.t["tables"]["provinces"],
                         [c["province"], c["valid"], c["stars3"], c["stars4"], c["stars5"], c["lapsed"],
                          c["communes_covered"], c["communes"], c["coverage"]], rows, total=total_row,
                         chart=Chart(limit=sum(1 for row in rows if row[1]) or 1))
        counts = self._unit_counts(lambda r: r.commune)
        slugs = commune_slugs(province_name(self.folder))
        rows = [[Linked(name, commune_url(self.folder, slugs[name])) if name in slugs else name,
                 u["valid"], u[3], u[4], u[5], u["lapsed"]] for name, u in counts.items()]
        rows.sort(key=lambda row: (-row[1], vi_key(str(row[0]))))
        totals = [c["total"]] + [sum(row[i] for row in rows) for i in range(1, 6)]
        with_valid = sum(1 for row in rows if row[1])
        return Table("xa", self.t["tables"]["communes"],
                     [c["commune"], c["valid"], c["stars3"], c["stars4"], c["stars5"], c["lapsed"]], rows, total=totals,
                     chart=Chart(limit=min(COMMUNE_CHART_LIMIT, with_valid) or 1,
                                 title=self.t["chart_top_communes"].format(n=min(COMMUNE_CHART_LIMIT, with_valid))))

    def villages_and_sales_points(self) -> Table:
        t = ui(self.lang)
        c = self.t["col"]
        villages = Counter(v.data["kind"] for v in self._in_scope("village"))
        points = Counter(s.data["kind"] for s in self._in_scope("sales_point"))
        rows = [[t["nav"]["villages"], t["village"]["kinds"][k], villages[k]] for k in t["village"]["kinds"]]
        rows += [[self.t["sales_points"], t["sales_point"]["kinds"][k], points[k]]
                 for k in t["sales_point"]["kinds"] if points[k]]
        return Table("lang-diem-ban", self.t["tables"]["places"], [c["what"], c["kind"], c["count"]], rows,
                     total=[c["total"], None, sum(villages.values()) + sum(points.values())])

    def coverage(self) -> Table:
        """Every commune of the province (2025 list): valid and not-valid products, producers,
        sales points and villages; ordered by valid products, then name."""
        assert self.folder is not None
        name = province_name(self.folder)
        slugs = commune_slugs(name)
        n: dict[str, Counter] = {commune: Counter() for commune in communes_in(name)}
        for r in self.rows:
            n.setdefault(r.commune, Counter())["valid" if r.valid else "other"] += 1
        for kind in ("producer", "sales_point", "village"):
            for rec in self._in_scope(kind):
                commune = official_commune(rec.data["address"]["province"], rec.data["address"]["commune"])
                n.setdefault(commune, Counter())[kind] += 1
        rows: list[list[Any]] = []
        for commune, counts in n.items():
            label = Linked(commune, commune_url(self.folder, slugs[commune])) if sum(counts.values()) and commune in slugs else commune
            rows.append([label, counts["valid"], counts["other"], counts["producer"], counts["sales_point"],
                         counts["village"]])
        rows.sort(key=lambda row: (-row[1], vi_key(str(row[0]))))
        c = self.t["col"]
        total = [c["total"]] + [sum(row[i] for row in rows) for i in range(1, 6)]
        return Table("phu-xa", self.t["tables"]["coverage"],
                     [c["commune"], c["valid"], c["not_valid"], c["producers"], c["sales_points"], c["villages"]],
                     rows, total=total)


class _OverTime(_Scope):
    """The tables over time: recognitions by year, the flows in and out, the periodic report."""

    def by_year(self) -> Table:
        counts = Counter(r.decided.year for r in self.valid)
        c = self.t["col"]
        rows = [[str(year), counts[year]] for year in sorted(counts)]
        return Table("nam-cong-nhan", self.t["tables"]["years"], [c["year"], c["valid"]], rows,
                     total=[c["total"], len(self.valid)], chart=Chart())

    def flows(self) -> Table:
        years = self.flow_counts()
        c = self.t["col"]
        kinds = RECOGNITION_KINDS + ENDING_KINDS
        rows: list[list[Any]] = []
        if years:
            for year in range(min(years), self.on.year + 1):
                n = years.get(year, Counter())
                rows.append([str(year)] + [n[k] for k in kinds] + [sum(n[k] for k in RECOGNITION_KINDS),
                                                                    sum(n[k] for k in ENDING_KINDS)])
        total = [c["total"]] + [sum(row[i] for row in rows) for i in range(1, len(kinds) + 3)]
        return Table("bien-dong", self.t["tables"]["flows"],
                     [c["year"]] + [c["lapsed_in"] if k == "lapsed" else c[k] for k in kinds] + [c["recognised"], c["ended"]], rows, total=total,
                     chart=Chart(values=(len(kinds) + 1, len(kinds) + 2)), note=self.t["flows_note"])

    def report(self) -> Table:
        """The periodic-report table: unit × stars × group, with the year's recognitions and
        endings (provinces nationally; communes with products in a province)."""
        c = self.t["col"]
        groups = [g for g in self.groups() if any(r.group == g for r in self.valid)]
        year = self.on.year
        unit_of = (lambda r: r.folder) if self.folder is None else (lambda r: r.commune)
        units = self.provinces() if self.folder is None else sorted({r.commune for r in self.rows}, key=vi_key)
        cube: dict = defaultdict(Counter)
        for r in self.valid:
            cube[unit_of(r)][(r.group, r.stars)] += 1
            cube[unit_of(r)][r.stars] += 1
        flows: dict = defaultdict(Counter)
        for r in self.rows:
            for e in self.product_events(r):
                if e.day.year == year:
                    flows[unit_of(r)]["in" if e.kind in RECOGNITION_KINDS else "out"] += 1
        rows = []
        for unit in units:
            n = cube[unit]
            label = province_name(unit) if self.folder is None else unit
            rows.append([label, sum(n[s] for s in STARS)] + [n[s] for s in STARS]
                        + [n[(g, s)] for g in groups for s in STARS] + [flows[unit]["in"], flows[unit]["out"]])
        width = 5 + 3 * len(groups) + 2
        total = [c["total"]] + [sum(row[i] for row in rows) for i in range(1, width)]
        columns = ([c["province"] if self.folder is None else c["commune"], c["valid"], c["stars3"], c["stars4"],
                    c["stars5"]]
                   + [f"{rulebook.group_name(g, self.lang)} — {ui(self.lang)['stars_word'].format(n=s)}" for g in groups for s in STARS]
                   + [c["recognised_in"].format(year=year), c["ended_in"].format(year=year)])
        return Table("bao-cao", self.t["tables"]["report"].format(year=year), columns, rows, total=total,
                     note=self.t["report_note"].format(date=lang_date(self.on, self.lang)))


class Figures(_ByKind, _ByPlace, _OverTime):
    """Every statistics table for one scope (``folder``: a province; None: the whole catalogue)
    on one day (default: the catalogue's as-of date)."""

    def tables(self) -> list[Table]:
        """The statistics page's tables, in page order."""
        tables = [self.summary(), self.by_stars(), self.by_group(), self.by_set(), self.by_producer_kind(),
                  self.by_unit(), self.by_year(), self.flows(), self.villages_and_sales_points(), self.report()]
        if self.folder:
            tables.append(self.coverage())
        return tables


def set_number(entry: dict) -> int | None:
    """A product set's number (1–26 in 148/QĐ-TTg's annex)."""
    return entry.get("number")


def commune_url(folder: str, slug: str) -> str:
    return f"tinh/{folder}/xa/{slug}/"


def feed_events(cat: Catalogue) -> list[Event]:
    """Every event up to the as-of date, newest first (the Atom feed's entries)."""
    found = [e for p in cat.products.values() for e in catalogue_events(cat, p, cat.as_of)]
    return sorted(found, key=lambda e: (e.day, e.product.id, e.kind), reverse=True)


# --- the records behind a scope (keys of incremental builds) ----------------------------------------
# Fields of a record that no table of this module reads: a change to them (a product's name, its
# description, photos, lots, a phone number…) leaves every figure of every scope the same, so a
# scope's key (scope_digest) leaves them out — issue #27: an officer correcting a name no longer
# makes the statistics pages and their downloads again (~1 s of an edit at 15,000 products).
# tests/test_stats.py changes every one of them in every record and compares every table of every
# scope in both languages: a table that starts reading one of them fails there. Anything not
# named here counts, including fields added later.
NOT_COUNTED = frozenset({"name", "name_en", "description", "description_en", "images", "lots", "gtin",
                         "phone", "email", "website"})


def _scope_files(cat: Catalogue) -> dict[str | None, list[str]]:
    """Every scope's record files, all made in one pass over the catalogue and once per catalogue
    (35 scopes × 24,000 records at national scale): a province's products and their producers, its
    producers, sales points and villages (the coverage table counts every producer of a commune,
    with products or not), and, for the lapsed-product count, the products its sales points list;
    the whole catalogue's for the national scope (None)."""
    if "scope files" not in cat.memo:
        scopes: dict[str | None, set[str]] = defaultdict(set)
        for p in cat.products.values():
            scopes[p.folder].update((p.file, cat.producers[p.data["producer"]].file))
        for kind in ("producer", "sales_point", "village"):
            for rec in cat.table(kind).values():
                scopes[rec.folder].add(rec.file)
                scopes[rec.folder].update(cat.products[pid].file for pid in rec.data.get("products", [])
                                          if pid in cat.products)
        scopes[None] = set().union(*scopes.values()) if scopes else set()
        cat.memo["scope files"] = {folder: sorted(files) for folder, files in scopes.items()}
    return cat.memo["scope files"]


def _counted_digests(cat: Catalogue) -> dict[str, bytes]:
    """Record file → the hash of what it holds that a figure counts (published form, without
    :data:`NOT_COUNTED`), once per catalogue."""
    if "counted" not in cat.memo:
        remember_counted(cat)
    return cat.memo["counted"]


def _counted(rec: Any) -> bytes:
    return hashlib.sha256(repr([(k, v) for k, v in rec.data.items() if k not in NOT_COUNTED]).encode()).digest()


def remember_counted(cat: Catalogue, store: Any = None, digests: dict[str, str] | None = None) -> None:
    """Make :func:`_counted_digests` for this catalogue, taking each record's from ``store`` (an
    incremental build's signed pieces, catalog/runtime/cache.py Fragments, scoped by the tool,
    configuration and as-of date) when the bytes it comes from are unchanged: the record's file
    (``digests``: file → SHA-256 of its bytes) and, for a product, its producer's — the public form
    of a product depends on its producer's consent (catalog/records/privacy.py public_catalogue),
    the others' on themselves alone. Issue #27: hashing every record's counted form was ~0.25 s of
    each edit at 15,000 products."""
    found = {}
    for kind in ("product", "producer", "sales_point", "village"):
        for rec in cat.table(kind).values():
            if store is None or digests is None:
                found[rec.file] = _counted(rec)
                continue
            key = digests.get(rec.file, "")
            if kind == "product":
                key += ":" + digests.get(cat.producers[rec.data["producer"]].file, "")
            kept = store.get(f"counted:{rec.file}")
            if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == key and isinstance(kept[1], bytes):
                found[rec.file] = kept[1]
            else:
                found[rec.file] = _counted(rec)
                store.put(f"counted:{rec.file}", (key, found[rec.file]))
    cat.memo["counted"] = found


def scope_digest(cat: Catalogue, folder: str | None) -> str:
    """The key of a scope's figures: each record of its scope (_scope_files) by its file and what it
    holds, published form (catalog/records/privacy.py), without the fields :data:`NOT_COUNTED`
    (the tool, configuration and as-of date are in every key already: catalog/site/build.py)."""
    counted = _counted_digests(cat)
    h = hashlib.sha256(f"scope:{folder}".encode())
    for name in _scope_files(cat).get(folder, []):
        h.update(name.encode() + b"\0" + counted[name])
    return h.hexdigest()


def folders(cat: Catalogue) -> list[str]:
    """Provinces with at least one record of any kind (each gets statistics pages)."""
    found: set[str] = set()
    for kind in ("product", "producer", "sales_point", "village"):
        found.update(r.folder for r in cat.table(kind).values())
    return sorted(found)

