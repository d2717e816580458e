"""Checks beyond the schema: across records, against places, and against the OCOP rules.

Each check reads the typed data of records that passed their schema (a record with schema errors
is still used for id look-ups, so one mistake does not cascade into "missing producer" noise
elsewhere) and yields :class:`~catalog.records.problems.Problem` values positioned on the field concerned.

Dates (issue #25): every rule about the law is judged on the date of the decision it concerns —
the current certificate's, each earlier rating's own, a sales point's or a village's recognition —
and the message states that date. A body's name is read with that date and the certificate's
province (a district UBND must be one of that province's districts before 1 Jul 2025; "UBND thành
phố Bắc Ninh" is a district-level city's before 20/9/2026). An earlier rating has no address of its
own: it may come from any former province merged into the product's province today. A certified
address must name units that still existed on the decision date (``check_certified_address_in_force``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import AbstractSet, Any, Callable, Iterable, Iterator

from ..runtime import parallel
from ..reference import places, rulebook
from ..records.loader import Loaded, dotted
from ..records.model import (Status, certificate_status, earlier_certificate, earlier_in_force, earlier_windows,
                             revocation_effective)
from ..records.problems import Hint, Problem, did_you_mean, former_commune_hint, one_of, quote
from ..records.urls import MAX_LABEL_URL, label_urls
from ..reference.paths import regular_file_below


@dataclass
class Checked:
    """One record file after loading and schema validation."""

    kind: str
    file: str
    folder: str
    stem: str
    loaded: Loaded
    data: dict[str, Any] | None  # typed data, None if the file could not be read
    schema_ok: bool
    root: Path
    maybe_legacy: bool = True  # False: the file's text has no legacy-font marker character at all

    def image_exists(self, name: str) -> bool:
        """A regular file inside <root>/images (no links, nothing outside the folder)."""
        return regular_file_below(self.root, ("images", *name.split("/")))

    def problem(self, code: str, path: tuple, value: Any = None, key: bool = False, **args: Any) -> Problem:
        line, col = self.loaded.where(path, key=key)
        if value is not None:
            args["value"] = quote(value)
        return Problem(code, self.file, line, col, dotted(path), args)


KIND_FOLDERS = {"product": "products", "producer": "producers", "sales_point": "sales_points", "village": "villages"}


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _suggest(value: str, candidates: list[str]) -> Hint | str:
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    return did_you_mean(close[0] if close else None)


# Listing pages beyond the first live at <listing>/trang-<n>/ (catalog/site/pages.py), beside record pages.
RESERVED_ID = re.compile(r"trang-[0-9]+")


def check_all(items: list[Checked], as_of: dt.date, base_url: str | None = None,
              published: frozenset[tuple[str, str]] = frozenset()) -> Iterator[Problem]:
    """Every rule on every record. ``published``: (kind, id) pairs from published-ids.txt — of two
    records that are the same product, the published one is "the existing record" the other is
    reported against."""
    yield from run_checks(items, as_of, base_url, published)[0]


def run_checks(items: list[Checked], as_of: dt.date, base_url: str | None = None,
               published: frozenset[tuple[str, str]] = frozenset(), known_local: dict[str, list[Problem]] | None = None,
               extra_local: Callable[[Checked], Iterable[Problem]] | None = None, alone: bool = False
               ) -> tuple[list[Problem], dict[str, list[Problem]]]:
    """Every rule on every record, reusing what is known: returns (problems, the local problems
    computed now, per record file).

    ``known_local``: record file → the problems of its LOCAL checks (and ``extra_local``), from an
    earlier run on the same bytes, as-of date and base URL — those checks are not run again for it.
    The rules across records (ids, references, duplicates, photos…) always run on every record:
    they are cheap once the local ones are known (~0.8 s at 15,000 products with their index, measured on a busy machine), and no index of what
    each one read can go stale. ``extra_local``: more per-record problems of the same nature
    (catalog/checks/validate.py: look-alike names, personal data in one record). ``alone``: in this
    process, never on other cores (a build's background process may not start workers)."""
    known_local = known_local or {}
    out: list[Problem] = []
    ids: dict[str, dict[str, Checked]] = {k: {} for k in KIND_FOLDERS}
    lower_names: dict[tuple[str, str], Checked] = {}
    for item in sorted(items, key=lambda i: i.file):
        # file names: case-insensitively unique within a kind (Windows and macOS fold case)
        key = (item.kind, item.stem.lower())
        if key in lower_names and lower_names[key].stem != item.stem:
            out.append(Problem("id-case-collision", item.file, 0, 0, "", {"other": lower_names[key].file}))
        lower_names.setdefault(key, item)
        if item.data is None or not isinstance(item.data.get("id"), str):
            continue
        rid = item.data["id"]
        if rid != item.stem:
            out.append(item.problem("id-mismatch", ("id",), rid, stem=item.stem))
        if RESERVED_ID.fullmatch(rid):
            out.append(item.problem("reserved-id", ("id",), rid))
        table = ids[item.kind]
        if rid in table:
            out.append(item.problem("duplicate-id", ("id",), rid, other=table[rid].file))
        else:
            table[rid] = item

    product_status: dict[str, Status] = {}
    for item in items:
        if item.kind == "product" and item.schema_ok:
            product_status[item.data["id"]] = certificate_status(item.data, as_of)

    context = _Context(ids, product_status, as_of, base_url)
    for item in items:
        if item.data is None or not isinstance(item.data.get("id"), str):  # no usable id: its own error says why
            context.unreadable[item.kind].add(item.stem)
        elif item.data["id"] != item.stem:
            # id-mismatch: which of the two is meant is that error's question; a sales point naming the
            # file's name is not a second mistake (nor told to take the mistyped id)
            context.unreadable[item.kind].add(item.stem)
    _index_duplicates(context, items, published)
    readable = [item for item in items if item.data is not None]
    local_context = _LocalContext(as_of, base_url)
    runs = {kind: [(fn, fn in LOCAL) for fn in CHECKS["any"] + CHECKS[kind]] for kind in KIND_FOLDERS}

    def share(index: int, count: int) -> tuple[list[Problem], dict[str, list[Problem]]]:
        found: list[Problem] = []
        fresh: dict[str, list[Problem]] = {}
        for item in readable[index::count]:
            own: list[Problem] | None = None if item.file in known_local else []
            for fn, local in runs[item.kind]:
                if not local:
                    found.extend(_guarded(fn(item, context)))
                elif own is not None:
                    own.extend(_guarded(fn(item, local_context)))
            if own is not None:
                if extra_local is not None:
                    own.extend(extra_local(item))
                fresh[item.file] = own
        return found, fresh

    # Each record's checks read only that record and the context: on all cores for a national
    # catalogue (forked workers share the records; only the problems come back). The caller sorts.
    # Counted for sharing out: the records whose local checks run, and a tenth of the others (the
    # rules across records alone are ~10x cheaper than all of them).
    misses = sum(1 for item in readable if item.file not in known_local)
    fresh: dict[str, list[Problem]] = {}
    shares = [share(0, 1)] if alone else parallel.shares(share, misses + (len(readable) - misses) // 10,
                                                         parallel_from=PARALLEL_FROM)
    for found, part_fresh in shares:
        out.extend(found)
        fresh.update(part_fresh)
    for item in readable:
        out.extend(known_local[item.file] if item.file in known_local else fresh[item.file])
    return out, fresh


PARALLEL_FROM = 4000  # records; below this one process is quicker than starting workers


@dataclass
class _Context:
    ids: dict[str, dict[str, Checked]]
    product_status: dict[str, Status]
    as_of: dt.date
    base_url: str | None = None
    images: dict[str, tuple] = field(default_factory=dict)  # image file → facts (a shared photo is read once)
    # ids (file names) of records whose file could not be read: its own error says why, so a
    # reference to it is not reported again as "not found" (one mistake, one message)
    unreadable: dict[str, set] = field(default_factory=lambda: {k: set() for k in KIND_FOLDERS})
    # Facts that two records must not share (see _index_duplicates): key → the records having it,
    # the existing one first. A record is reported against the first when it is not the first.
    gtins: dict[str, list[Checked]] = field(default_factory=dict)
    certificates: dict[tuple, list[Checked]] = field(default_factory=dict)
    products: dict[tuple, list[Checked]] = field(default_factory=dict)
    producers: dict[tuple, list[Checked]] = field(default_factory=dict)
    # (folder, folded name, folded commune) → the products not withdrawn having them (check_possible_duplicate)
    namesakes: dict[tuple, list[Checked]] = field(default_factory=dict)


def _index_duplicates(ctx: _Context, items: list[Checked], published: frozenset) -> None:
    """Index the facts that identify a product or producer, across all records (one pass, before
    the per-record checks share the records out). Order within a key: published records first,
    then by file — so "the existing record" is the one already on the public site."""
    def order(item: Checked) -> tuple:
        return ((item.kind, item.stem) not in published, item.file)

    for item in sorted((i for i in items if i.data is not None), key=order):
        data = item.data
        if item.kind == "product":
            if isinstance(data.get("gtin"), str):
                ctx.gtins.setdefault(data["gtin"].zfill(14), []).append(item)
            cert = data.get("certificate") or {}
            body = (cert.get("deciding_body") or {}).get("name")
            number = cert.get("number")
            decided = (cert.get("decision") or {}).get("date")
            if isinstance(body, str) and isinstance(number, str) and isinstance(decided, str):
                ctx.certificates.setdefault(_certificate_key(body, number, decided), []).append(item)
            if isinstance(data.get("name"), str) and isinstance(data.get("producer"), str):
                ctx.products.setdefault((places.fold(" ".join(data["name"].split())), data["producer"]), []).append(item)
                if _namesake_key(item) is not None and data.get("status") != "withdrawn":
                    ctx.namesakes.setdefault(_namesake_key(item), []).append(item)
        elif item.kind == "producer" and isinstance(data.get("name"), str):
            ctx.producers.setdefault((item.folder, producer_key(data["name"])), []).append(item)


def _namesake_key(item: Checked) -> tuple | None:
    """(province folder, name, commune) folded — punctuation, case and accents aside; None without a commune."""
    commune = (item.data.get("address") or {}).get("commune") if isinstance(item.data.get("address"), dict) else None
    if not isinstance(commune, str) or not commune.strip():
        return None
    return item.folder, producer_key(item.data["name"]), producer_key(commune)


def _certificate_key(body: str, number: str, decided: str) -> tuple:
    # Vietnamese documents are numbered per year ("Số 100/GCN-UBND" again each January): the same
    # number from the same body in another year is another certificate.
    parsed = rulebook.parse_body(body)
    who = parsed.body.name if parsed.body is not None else places.fold(" ".join(body.split()))
    return who, places.fold(number).replace(" ", ""), decided[:4]


# Legal forms written several ways in producer names (longest first).
_LEGAL_FORMS = [
    (r"\bhop tac xa\b", "htx"), (r"\bcong ty trach nhiem huu han\b", "cty tnhh"), (r"\bcong ty co phan\b", "cty cp"),
    (r"\bcong ty\b", "cty"), (r"\bc ty\b", "cty"), (r"\btrach nhiem huu han\b", "tnhh"), (r"\bco phan\b", "cp"),
    (r"\bto hop tac\b", "tht"), (r"\bho kinh doanh\b", "hkd"), (r"\bdoanh nghiep tu nhan\b", "dntn"),
]
_LEGAL_FORM_PATTERNS = [(re.compile(pattern), short) for pattern, short in _LEGAL_FORMS]
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def producer_key(name: str) -> str:
    """A producer's name as duplicates are compared: folded, punctuation gone, legal forms in one
    spelling ('Hợp tác xã Nông nghiệp Hữu Liên' = 'HTX nông nghiệp Hữu Liên'). Made once per name
    with compiled patterns (issue #27: 16,000 calls of eleven re.sub each at 15,000 products)."""
    text = _NOT_ALNUM.sub(" ", places.fold(name)).strip()
    for pattern, short in _LEGAL_FORM_PATTERNS:
        text = pattern.sub(short, text)
    return " ".join(text.split())


def _guarded(problems: Iterator[Problem]) -> Iterator[Problem]:
    """Run one check. ``item.data`` holds only schema-valid values (see validate.prune): a check
    whose inputs are missing (a pruned list item is None) stops and is skipped — the schema problem already
    told the officer what to fix, and one typo must not cascade into misleading messages."""
    try:
        yield from problems
    except (KeyError, TypeError, ValueError, AttributeError):
        return


CHECKS: dict[str, list] = {"any": [], "product": [], "producer": [], "sales_point": [], "village": []}
# Checks that read only their record (its data, loaded file, folder and name), the as-of date and
# the base URL: their problems are a function of the file's bytes, its path and those two values,
# so a build or validation may reuse them for an unchanged file (catalog/checks/validate.py, the
# per-record cache of catalog/runtime/cache.py). They are given a _LocalContext, which raises
# NotLocal on any other attribute: a check marked local by mistake fails loudly, never silently.
LOCAL: set = set()


def check(*kinds: str, local: bool = False):
    def register(fn):
        for kind in kinds:
            CHECKS[kind].append(fn)
        if local:
            LOCAL.add(fn)
        return fn
    return register


class NotLocal(RuntimeError):
    """A check marked ``local`` read something of the other records (see LOCAL)."""


@dataclass(frozen=True)
class _LocalContext:
    """What a local check may read of the run (see LOCAL)."""

    as_of: dt.date
    base_url: str | None = None

    def __getattr__(self, name: str) -> Any:
        raise NotLocal(f"a check marked local read ctx.{name}: register it without local=True")


def _check_refs(item: Checked, path: tuple, table: dict, code: str, unreadable: AbstractSet = frozenset()) -> Iterator[Problem]:
    for i, ref in enumerate(item.data.get(path[0], [])):
        if ref not in table and ref not in unreadable:
            yield item.problem(code, path + (i,), ref, suggestion=_suggest(ref, list(table)))


@check("any", local=True)
def check_province_folder(item: Checked, ctx: _Context) -> Iterator[Problem]:
    province = item.data["address"]["province"]
    folder_info = places.provinces_by_folder().get(item.folder)
    info = places.provinces()[province]
    if folder_info is not None and folder_info.name != province:
        yield item.problem(
            "province-folder-mismatch", ("address", "province"), province,
            folder=item.folder, folder_province=folder_info.name, expected_folder=f"{KIND_FOLDERS[item.kind]}/{info.folder}",
        )


@check("any", local=True)
def check_commune(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """A commune not in force; the suggestion comes from the official old → new conversion, within
    the former district named in ``certified_address.text`` when there is one (places.commune_suggestion)."""
    address = item.data["address"]
    province, commune = address["province"], address["commune"]
    if places.find_commune(province, commune) is None:
        certified = (item.data.get("certified_address") or {}).get("text")
        found = places.commune_suggestion(province, commune, certified if isinstance(certified, str) else None)
        # 'Thanh Nưa' for 'Xã Thanh Nưa': the name is right, its kind is missing (the list of 2025 names each
        # with Xã, Phường or Đặc khu) — said before any conversion, which would name the commune as itself
        prefixed = [name for kind in ("Xã", "Phường", "Đặc khu") if (name := places.find_commune(province, f"{kind} {commune}"))]
        if prefixed:
            hint: Hint | str = Hint(f" Thiếu chữ Xã, Phường hoặc Đặc khu ở đầu tên: viết {one_of(prefixed).vi}.",
                                    f" The name lacks its Xã, Phường or Đặc khu: write {one_of(prefixed).en}.")
        elif found is not None and found.conversion is not None:
            hint = former_commune_hint(found.conversion.status, _former_wards(found.conversion))
        elif found is not None:
            hint = did_you_mean(found.communes[0])
        else:
            hint = Hint(" Ghi đầy đủ tên mới, ví dụ 'Xã …' hoặc 'Phường …' (danh mục theo Quyết định 19/2025/QĐ-TTg).",
                        " Write the full new name, e.g. 'Xã …' or 'Phường …' (list of Decision 19/2025/QĐ-TTg).")
        yield item.problem("unknown-commune", ("address", "commune"), commune, province=province, suggestion=hint)


def _former_wards(conversion: places.Conversion) -> list[tuple[str, str, str, list[str]]]:
    by_code = {c.code: c.name for c in conversion.communes}
    return [(w.name, w.district.name, w.district.province, [by_code[c] for c in w.became if c in by_code])
            for w in conversion.old]


@check("product", local=True)
def check_certified_commune(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """The commune in force contradicts what the certificate's address became (a warning)."""
    address, certified = item.data["address"], item.data["certified_address"]
    official = places.find_commune(address["province"], address["commune"])
    if official is None or not isinstance(certified.get("text"), str):
        return
    conversion = places.certified_communes(certified["text"], certified.get("province"), address["province"])
    if conversion is None or any(c.province == address["province"] and c.name == official for c in conversion.communes):
        return
    old = conversion.address
    named = ", ".join(part for part in (old.commune, old.district) if part)
    in_other = {c.province for c in conversion.communes} != {address["province"]}
    became = [f"{c.name}, {c.province}" if in_other else c.name for c in conversion.communes]
    yield item.problem("commune-differs-from-certified", ("address", "commune"), address["commune"],
                       certified=quote(named), became=one_of(became))


@check("sales_point", "village")
def check_product_refs(item: Checked, ctx: _Context) -> Iterator[Problem]:
    yield from _check_refs(item, ("products",), ctx.ids["product"], "missing-product", ctx.unreadable["product"])


@check("sales_point")
def check_lapsed_products(item: Checked, ctx: _Context) -> Iterator[Problem]:
    for i, pid in enumerate(item.data.get("products", [])):
        status = ctx.product_status.get(pid)
        if status is not None and not status.is_valid:
            yield item.problem("sales-point-lapsed-product", ("products", i), pid, status=Hint(status.label, status.label_en))


@check("village")
def check_tourism_product(item: Checked, ctx: _Context) -> Iterator[Problem]:
    tp = item.data["tourism_product"]
    if tp not in ctx.ids["product"] and tp not in ctx.unreadable["product"]:
        yield item.problem("missing-product", ("tourism_product",), tp, suggestion=_suggest(tp, list(ctx.ids["product"])))
        return
    target = ctx.ids["product"][tp]
    if target.data["classification"]["group"] not in TOURISM_GROUPS:
        yield item.problem("not-a-tourism-product", ("tourism_product",), tp)


TOURISM_GROUPS = ("du-lich", "dich-vu-du-lich-1048")


@check("product")
def check_producer_ref(item: Checked, ctx: _Context) -> Iterator[Problem]:
    producer = item.data["producer"]
    if producer not in ctx.ids["producer"] and producer not in ctx.unreadable["producer"]:
        yield item.problem("missing-producer", ("producer",), producer, suggestion=_suggest(producer, list(ctx.ids["producer"])))


@check("product", local=True)
def check_certified_province(item: Checked, ctx: _Context) -> Iterator[Problem]:
    certified = item.data["certified_address"]["province"]
    if not places.is_known_certified_province(certified):
        names = list(places.former_provinces()) + list(places.provinces())
        s = places.suggest_province(certified, names)
        yield item.problem("unknown-former-province", ("certified_address", "province"), certified,
                           suggestion=did_you_mean(s))


@check("any", local=True)
def check_street_without_units(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """``address.street`` is what comes before the commune (hamlet, house number, street): the pages
    print the commune and province after it, so a street line that names a commune, district or
    province of its own shows old and new units side by side ("thị trấn Đồng Mỏ, huyện Chi Lăng, xã
    Chi Lăng, tỉnh Lạng Sơn" — probe, round five)."""
    address = item.data.get("address")
    street = address.get("street") if isinstance(address, dict) else None
    if not isinstance(street, str) or not isinstance(address.get("province"), str):
        return
    old = places.parse_old_address(street, address["province"])
    named = [part for part in (old.commune, old.district, old.province) if part]
    if named:
        yield item.problem("street-names-units", ("address", "street"), street, named=_all_of(named),
                           street_only=old.street or "—")


@check("product", local=True)
def check_certified_address_in_force(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """The address as certified names places that existed on the decision date: a certificate of
    September 2025 cannot say "huyện Đồng Văn, tỉnh Hà Giang" (no district level since 01/7/2025,
    Hà Giang merged into Tuyên Quang). Reported once, on the text when it names them, else on the
    province; special zones (đặc khu) and communes are not districts."""
    certified, cert = item.data["certified_address"], item.data["certificate"]
    decided = _date(cert["decision"]["date"])
    gone: list[tuple[str, dt.date]] = []
    now = item.data["address"]["province"]
    text = certified.get("text")
    if isinstance(text, str):
        old = places.parse_old_address(text, now)
        end = rulebook.district_body_until()
        if old.district and end is not None and decided > end:
            gone.append((old.district, end))
        if old.province:
            ceased = rulebook.province_ceased(old.province_name or old.province, decided)
            if ceased:
                gone.append((old.province, ceased[0]))
    path: tuple = ("certified_address", "text")
    typed = certified.get("province")
    if not gone and isinstance(typed, str):
        ceased = rulebook.province_ceased(places.normalise_province(typed) or typed, decided)
        if ceased:
            gone.append((typed, ceased[0]))
            path = ("certified_address", "province")
    if not gone:
        return
    since = min(day for _, day in gone) + dt.timedelta(days=1)
    value = text if path[-1] == "text" else typed
    yield item.problem("certified-address-ceased", path, value, named=_all_of([part for part, _ in gone]),
                       since=since, decision_date=decided, province=now)


def _all_of(names: list[str]) -> Hint:
    """'A' / 'A' và 'B' (English: and)."""
    quoted = [f"'{n}'" for n in names]
    return Hint(" và ".join(quoted), " and ".join(quoted))


@check("product", local=True)
def check_score_band(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """A score below the band of the stars given is an error; above it is legal (under 148 the
    mandatory criteria can hold a 72-point product at 3★) and not reported."""
    for path, rating in [(("certificate",), item.data["certificate"])] + [
            (("earlier_ratings", i), r) for i, r in enumerate(item.data.get("earlier_ratings", []))]:
        score, stars = rating.get("score"), int(rating["stars"])
        if score is None:
            continue
        decimals = rulebook.score_decimals()
        if round(score, decimals) != score:
            yield item.problem("score-precision", path + ("score",), score, decimals=decimals)
            continue
        band = rulebook.stars_for_score(score)
        if band < stars:
            low, _ = rulebook.star_band(stars)
            yield item.problem("score-stars-mismatch", path + ("score",), score,
                               band_stars=band, stars=stars, low=_number(low))


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _ratings(item: Checked) -> list[tuple[tuple, dict]]:
    """(path, rating) for the current certificate and each earlier rating (issue #25: an earlier
    certificate is checked like the current one, on its own decision date — shoppers read it too)."""
    return [(("certificate",), item.data["certificate"])] + [
        (("earlier_ratings", i), r) for i, r in enumerate(item.data.get("earlier_ratings", [])) if isinstance(r, dict)]


@check("product", local=True)
def check_validity_window(item: Checked, ctx: _Context) -> Iterator[Problem]:
    for path, cert in _ratings(item):
        if cert.get("valid_until") is None or not isinstance(cert.get("decision"), dict):
            continue  # an earlier rating may leave its valid-until out
        yield from _validity_problems(item, path, cert)


def _validity_problems(item: Checked, path: tuple, cert: dict) -> Iterator[Problem]:
    decided = cert["decision"]["date"]
    decision_date, valid_until = _date(decided), _date(cert["valid_until"])
    tolerance = dt.timedelta(days=rulebook.valid_until_tolerance())
    expected = rulebook.expected_valid_until(decision_date)
    latest = rulebook.add_months(decision_date, rulebook.certificate_months()) + tolerance
    if valid_until <= decision_date:
        yield item.problem("valid-until-before-decision", path + ("valid_until",), cert["valid_until"],
                           decision_date=decided, expected=expected)
    elif valid_until > latest:
        yield item.problem("valid-until-too-late", path + ("valid_until",), cert["valid_until"],
                           decision_date=decided, latest=latest, expected=expected)
    elif abs(valid_until - expected) > tolerance:
        # a shorter certificate is legal (a decision may say so) but a one-year typo is the usual cause
        yield item.problem("valid-until-unexpected", path + ("valid_until",), cert["valid_until"],
                           decision_date=decided, expected=expected)
    elif valid_until > rulebook.add_months(decision_date, rulebook.certificate_months()):
        # within the tolerance but past 36 months on any reading of the term: right only when the
        # certificate itself says so (dated from its issue) — the pages show this date to shoppers
        # as the last valid day (probe, round five)
        yield item.problem("valid-until-past-term", path + ("valid_until",), cert["valid_until"],
                           decision_date=decided, expected=expected)


@check("product", local=True)
def check_deciding_level(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """Who may recognise how many stars, on each rating's own decision date (an earlier 3★ by a
    district UBND in August 2025 is refused like a current one)."""
    for path, cert in _ratings(item):
        if not isinstance(cert.get("deciding_body"), dict) or not isinstance(cert.get("decision"), dict):
            continue
        level, stars = cert["deciding_body"]["level"], int(cert["stars"])
        decided = _date(cert["decision"]["date"])
        allowed = rulebook.deciding_levels(decided, stars)
        if allowed is None:
            continue
        # the level typed, and the level of the body named when it is known: "UBND tỉnh …" with
        # level "central" is a provincial decision whatever the level says (probe, round five: a 5★
        # of a provincial UBND typed as central was published as a valid 5★)
        named = rulebook.parse_body(cert["deciding_body"]["name"], decided).level
        for where, said in (("level", level), ("name", named)):
            if said is None or (where == "name" and said == level):
                continue
            verdict = allowed.get(said, "error")
            if verdict != "ok":
                oks = [k for k, v in allowed.items() if v == "ok"]
                expected = Hint(" hoặc ".join(rulebook.LEVEL_NAMES[k] for k in oks), " or ".join(oks))
                code = "deciding-level" if verdict == "error" else "deciding-level-unusual"
                yield item.problem(code, path + ("deciding_body", where), None,
                                   decision_date=cert["decision"]["date"], stars=stars,
                                   level_name=Hint(rulebook.LEVEL_NAMES[said], said), expected=expected)


_LATIN_QD = re.compile(r"/QD(?=-|$)", re.IGNORECASE)


@check("any", local=True)
def check_decision_number_letters(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """'1700/QD-UBND' with a Latin D: decisions print "QĐ", and one decision typed both ways reads as
    two (probe, round five: one row of an annex typed so passed without a word)."""
    for path, decision in _decisions(item.data):
        number = decision.get("number")
        if isinstance(number, str) and _LATIN_QD.search(number):
            yield item.problem("decision-number-latin-d", path + ("number",), number,
                               fixed=_LATIN_QD.sub("/QĐ", number))


def _decisions(data: dict) -> Iterator[tuple[tuple, dict]]:
    """(path, decision) of every decision a record names."""
    def walk(node: Any, path: tuple) -> Iterator[tuple[tuple, dict]]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "decision" and isinstance(value, dict):
                    yield path + (key,), value
                else:
                    yield from walk(value, path + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from walk(value, path + (i,))
    yield from walk(data, ())


@check("product", local=True)
def check_deciding_body(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """The body's name fits its level, its period and the certificate's province (and so for every
    earlier certificate that names its body).

    Each rating is judged on its own date and at its own address (issue #25). The current
    certificate's address is ``certified_address``: its body must be that province's (or, after that
    province merged, the UBND of the unit it merged into). An earlier rating records no address of
    its own: the product was then somewhere in the unit it belongs to now, so the UBND of any former
    province merged into that unit fits ("UBND tỉnh Hải Dương" in 2022 for a product now in Hải
    Phòng), and a district UBND must be a district of one of those former provinces."""
    certified = (item.data.get("certified_address") or {}).get("province")
    current = (item.data.get("address") or {}).get("province")
    own = places.normalise_province(certified) if isinstance(certified, str) else None
    own = own or (places.normalise_province(current) if isinstance(current, str) else None)
    lineage: list[str] = []
    for name in (certified, current):
        if isinstance(name, str) and places.normalise_province(name):
            lineage += [p for p in places.province_lineage(name) if p not in lineage]
    for path, rating in _ratings(item):
        if not isinstance(rating.get("deciding_body"), dict) or not isinstance(rating.get("decision"), dict):
            continue
        scope = [own] if path == ("certificate",) and own else lineage
        yield from _body_problems(item, path, rating["deciding_body"], rating["decision"], scope,
                                  own or certified or current)
        revocation = rating.get("revocation")
        if isinstance(revocation, dict) and isinstance(revocation.get("deciding_body"), dict) \
                and isinstance(revocation.get("decision"), dict):
            yield from _revoking_body_problems(item, path, rating, revocation, scope, own or certified or current)


def _revoking_body_problems(item: Checked, path: tuple, rating: dict, revocation: dict, scope: list[str],
                            label: str | None) -> Iterator[Problem]:
    """The body that revokes a certificate is read like the one that recognised it — its name, level,
    period and province — and is the one that recognised it, or the body that took over from it
    (probe, round six: "UBND huyện Chi Lăng" revoking in 2026, a year after districts were abolished,
    and a province's UBND revoking a ministry's 5★ certificate passed without a word)."""
    at = path + ("revocation",)
    body, decided = revocation["deciding_body"], _date(revocation["decision"]["date"])
    for problem in _body_problems(item, at, body, revocation["decision"], scope, label):
        if problem.code in ("deciding-body-other-province", "deciding-body-district-other-province"):
            yield _revoked_by_other_province(item, at, rating, problem, label, decided)
        else:
            yield problem
    end = rulebook.district_body_until()
    if body["level"] == "district" and end is not None and decided > end:
        yield item.problem("deciding-body-ceased", at + ("deciding_body", "name"), body["name"], until=end, decision_date=decided,
                           successor=rulebook.body_successor(body["name"], decided, label) or Hint("UBND cấp tỉnh", "the provincial UBND"))
        return
    recognised = (rating.get("deciding_body") or {}).get("level")
    takes_over = {recognised} | ({"province"} if recognised == "district" and end is not None and decided > end else set())
    if recognised and body["level"] not in takes_over:
        yield item.problem("revocation-body-level", at + ("deciding_body", "level"), None,
                           level_name=Hint(rulebook.LEVEL_NAMES.get(body["level"], body["level"]), body["level"]),
                           recognised=Hint(rulebook.LEVEL_NAMES.get(recognised, recognised), recognised))


def _revoked_by_other_province(item: Checked, at: tuple, rating: dict, problem: Problem, label: str | None,
                               decided: dt.date) -> Problem:
    """A revocation signed by another province's UBND (or one of its districts): said as a revocation —
    the revoking body, whose it is, and the province and recognition of the certificate it revokes
    (round seven: it read "the certificate (decision of <the revocation's date>) belongs to …", the
    revocation's date given as the certificate's)."""
    if problem.code == "deciding-body-other-province":
        body_of = Hint(f"UBND của {problem.args['body_province']}", f"the UBND of {problem.args['body_province']}")
    else:
        where = problem.args["district_province"]
        body_of = Hint(f"UBND cấp huyện của {where.vi} (trước 01/7/2025)", f"a district UBND of {where.en} (before 1 Jul 2025)")
    number = rating.get("number") or rating.get("certificate_number")
    return item.problem("revocation-body-other-province", at + ("deciding_body", "name"), rating["revocation"]["deciding_body"]["name"],
                        body_of=body_of,
                        province=label or Hint("tỉnh khác", "another province"), decision_date=decided,
                        number=number or Hint("(hồ sơ không ghi số)", "(no number recorded)"),
                        recognised_by=rating["deciding_body"]["name"],
                        recognised_date=rating["decision"]["date"])


def _province_key(name: str | None) -> str | None:
    if not name:
        return None
    key = rulebook._key(name)
    for prefix in ("tỉnh ", "thành phố ", "tp "):
        key = key.removeprefix(prefix)
    return key


def _body_problems(item: Checked, path: tuple, body: dict, decision: dict, provinces: list[str],
                   label: str | None) -> Iterator[Problem]:
    """``provinces``: the official short names the rating may belong to on its date (see
    check_deciding_body); ``label``: the province named in messages."""
    name, level = body["name"], body["level"]
    decided = _date(decision["date"])
    parsed = rulebook.parse_body(name, decided)
    name_path = path + ("deciding_body", "name")
    if parsed.level is None:
        yield item.problem("deciding-body-unknown", name_path, name, suggestion=_body_suggestion(name, decided))
        return
    if parsed.level != level:
        yield item.problem("deciding-body-level-mismatch", name_path, name, named_level=rulebook.LEVEL_NAMES[parsed.level],
                           named_level_en=parsed.level, level=level, level_name=rulebook.LEVEL_NAMES.get(level, level))
    known = parsed.body
    if parsed.level == "district":
        end = rulebook.district_body_until()
        # declared a district decision after the reform: check_deciding_level already refuses it
        if end is not None and decided > end and level != "district":
            yield item.problem("deciding-body-ceased", name_path, name, until=end, decision_date=decided,
                               successor=rulebook.body_successor(name, decided, label) or Hint("UBND cấp tỉnh", "the provincial UBND"))
        yield from _district_province(item, name_path, name, parsed, provinces, label, decided)
        return
    if known is None:
        return
    if known.end is not None and decided > known.end:
        # a body merged into another or abolished signs nothing after its end: the date or the body
        # is wrong, and a shopper would read a certificate no one could have issued (probe, round
        # five: "UBND tỉnh Hà Giang" on 15/07/2025 was published as valid) — an error. A province
        # that became a city is the same body under a new title: a warning.
        code = "deciding-body-renamed" if _renamed(known) else "deciding-body-ceased"
        yield item.problem(code, name_path, name, until=known.end, decision_date=decided,
                           successor=rulebook.body_successor(name, decided, label) or "")
    if known.start is not None and decided < known.start:
        before = [b for b in _all_bodies() if b.successor and rulebook.parse_body(b.successor).body == known]
        yield item.problem("deciding-body-not-yet", name_path, name, since=known.start, decision_date=decided,
                           before=" / ".join(b.name for b in before) or "—")
    # A province that became a city keeps its name: "UBND tỉnh Quảng Ninh" after 31/08/2026 has ceased
    # (said above), but it is not another province's UBND (issue #25).
    if known.level == "province" and provinces and not any(
            places.same_province(known.province, p) or known in _bodies_for(p, decided) for p in provinces):
        yield item.problem("deciding-body-other-province", name_path, name, body_province=known.province,
                           province=label, decision_date=decided)
    if known.decision_suffix:
        yield from _decision_number_form(item, path, known, decision, decided)


def _renamed(known: rulebook.Body) -> bool:
    """Whether the body that took over from ``known`` is the same province's UBND under another title
    (Thừa Thiên Huế → Huế, tỉnh → thành phố Quảng Ninh), not another province's or a new ministry."""
    if known.province is None or not known.successor or known.successor == "province":
        return False
    after = rulebook.parse_body(known.successor).body
    return after is not None and after.province is not None and places.same_province(after.province, known.province)


def _decision_number_form(item: Checked, path: tuple, known: rulebook.Body, decision: dict,
                          decided: dt.date) -> Iterator[Problem]:
    """A central decision's number carries its ministry's abbreviation: …/QĐ-BNN-VPĐP until 28/02/2025,
    the new ministry's form after (deciding_bodies.yaml ``decision_suffix``; [check] when unconfirmed)."""
    number = decision["number"]
    suffix = number.split("/", 1)[1].split("-", 1)[1] if "/" in number and "-" in number.split("/", 1)[1] else ""
    wanted = places.fold(known.decision_suffix or "")
    if places.fold(suffix) == wanted or places.fold(suffix).startswith(wanted + "-"):
        return
    former: Hint | str = ""
    for other in _all_bodies():
        if (other.decision_suffix and other is not known and other.end is not None and decided > other.end
                and places.fold(suffix) == places.fold(other.decision_suffix)):
            former = Hint(f" …/QĐ-{other.decision_suffix} là dạng số của {other.name}, chỉ ký đến {other.end.strftime('%d/%m/%Y')}.",
                          f" …/QĐ-{other.decision_suffix} is the form of {other.name}, which signed until {other.end.isoformat()}.")
    unsure = Hint(" (Dạng số này chưa được đối chiếu với một quyết định [check]: nếu văn bản ghi khác, báo để sửa bảng dữ liệu.)",
                  " (This form is not yet confirmed from a decision [check]: if the decision reads otherwise, report it so the table is corrected.)"
                  ) if known.decision_suffix_check else ""
    yield item.problem("decision-number-body", path + ("decision", "number"), number, body=known.name,
                       suffix=known.decision_suffix, decision_date=decided, former=former, unsure=unsure)


def _district_province(item: Checked, name_path: tuple, name: str, parsed: rulebook.BodyName, provinces: list[str],
                       label: str | None, decided: dt.date) -> Iterator[Problem]:
    """A district UBND signs for its own district: "UBND huyện Bắc Sơn" (Lạng Sơn) cannot recognise a
    Lai Châu product. The 696 districts before 1 Jul 2025 are in places_2025.json; a name found in
    none of them (a district merged away before 2025, a spelling) is not reported here."""
    if not provinces or parsed.place is None:
        return
    districts = places.former_districts_named(f"{parsed.place_kind} {parsed.place}")
    if not districts:
        return
    formers: list[str] = []
    for province in provinces:
        known_former = any(places.same_province(province, old) for old in places.former_provinces())
        formers += [province] if known_former else places.province_lineage(province)[1:]
    if any(places.same_province(d.province, p) for d in districts for p in formers):
        return
    where = sorted({places.normalise_province(d.province) or d.province for d in districts})
    yield item.problem("deciding-body-district-other-province", name_path, name, district_province=one_of(where),
                       province=label, decision_date=decided)


def _bodies_for(province: str, on: dt.date) -> list:
    """The provincial UBNDs that could sign a certificate of ``province`` (as printed) on ``on``: its
    own, or after it merged, the UBND of the province it merged into."""
    bodies = [rulebook.provincial_body(province, on)]
    current = places.former_provinces().get(province)
    if current and bodies[0] is not None and bodies[0].end is not None and on > bodies[0].end:
        bodies.append(rulebook.provincial_body(current, on))
    return [b for b in bodies if b is not None]


def _all_bodies() -> list:
    central, provinces = rulebook._bodies()
    return list(dict.fromkeys([*central.values(), *(b for bodies in provinces.values() for b in bodies)]))


def _body_suggestion(name: str, decided: dt.date) -> Hint | str:
    """'Sở Nông nghiệp … Lai Châu' → the province's UBND; otherwise the closest known name."""
    folded = f" {places.fold(name)} "
    for province in sorted(places.former_provinces(), key=len, reverse=True):
        if f" {places.fold(province)} " in folded:
            body = rulebook.provincial_body(province, decided)
            if body is not None:
                return did_you_mean(body.name)
    return _suggest(name, _known_bodies())


def _known_bodies() -> list[str]:
    return [b.name for b in _all_bodies()]


@check("sales_point", local=True)
def check_sales_point_criteria(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """920/QĐ-BCT (from its signing, 16/4/2019 [check]) for points recognised before 950/QĐ-BCT came
    into force (18/4/2023), 950 after; the dates are ocop_rules.yaml's."""
    crit = item.data["criteria_decision"]
    period = rulebook.sales_point_criteria(crit["criteria"])
    if period is None:
        return
    start, end, _title = period
    decided = _date(crit["decision"]["date"])
    if decided < start or (end is not None and decided >= end):
        until = Hint(f" đến trước {end.strftime('%d/%m/%Y')}", f" until {end.isoformat()}") if end else ""
        yield item.problem("sales-point-criteria-date", ("criteria_decision", "criteria"), crit["criteria"],
                           in_force_from=start, until_text=until, decision_date=decided, fix=_criteria_fix(decided))


def _criteria_fix(decided: dt.date) -> Hint:
    """Which criteria a point recognised on ``decided`` follows — or none, before the first."""
    in_force = [(code, rulebook.sales_point_criteria(code)) for code in rulebook.rules().get("sales_point_criteria", {})]
    for code, period in in_force:
        if period is not None and period[0] <= decided and (period[1] is None or decided < period[1]):
            return Hint(f" Ngày đó áp dụng {code}: sửa criteria thành {code}, hoặc kiểm tra lại ngày quyết định.",
                        f" On that date {code} applied: write criteria {code}, or check the decision date.")
    first = rulebook.first_sales_point_criteria()
    since = first[1] if first else decided
    return Hint(f" Trước {since.strftime('%d/%m/%Y')} chưa có bộ tiêu chí điểm bán OCOP: kiểm tra lại ngày quyết định.",
                f" Before {since.isoformat()} there were no OCOP sales-point criteria: check the decision date.")


@check("sales_point", local=True)
def check_sales_point_kind(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """The kind of place is one the point's criteria list (950 added craft villages in general,
    industrial zones/clusters and post offices; ocop_rules.yaml ``kinds``)."""
    crit = item.data["criteria_decision"]
    kinds = rulebook.sales_point_kinds(crit["criteria"])
    kind = item.data["kind"]
    if kinds is None or kind in kinds:
        return
    since = [code for code in rulebook.rules().get("sales_point_criteria", {}) if kind in (rulebook.sales_point_kinds(code) or ())]
    yield item.problem("sales-point-kind-criteria", ("kind",), kind, criteria=crit["criteria"],
                       decision_date=crit["decision"]["date"], listed_in=one_of(since) if since else "—")


@check("village", local=True)
def check_village_body(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """A craft village is recognised by the provincial chairman (Decree 52/2018/NĐ-CP, art. 5)."""
    if item.data["kind"] not in ("craft_village", "traditional_craft_village"):
        return
    body = item.data["recognition"]["body"]
    decided = _date(item.data["recognition"]["decision"]["date"])
    # read with the decision's date: "UBND thành phố Bắc Ninh" in 2020 was a district-level city's
    level = rulebook.parse_body(body, decided).level
    if level in ("district", "central"):
        yield item.problem("village-body-level", ("recognition", "body"), body, decision_date=decided,
                           named_level=Hint(rulebook.LEVEL_NAMES[level], level))


@check("product", local=True)
def check_legal_basis_date(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """The criteria were in force on the decision's date (each earlier rating on its own). An
    amendment is not a replacement: 148/2023 after 1489/QĐ-TTg (06/7/2025) is still 148 (issue #25)."""
    pairs: list[tuple[tuple, str, str]] = [(("classification", "legal_basis"), item.data["classification"]["legal_basis"],
              item.data["certificate"]["decision"]["date"])]
    for i, earlier in enumerate(item.data.get("earlier_ratings", [])):
        if isinstance(earlier, dict) and isinstance(earlier.get("decision"), dict) and earlier.get("legal_basis"):
            pairs.append((("earlier_ratings", i, "legal_basis"), earlier["legal_basis"], earlier["decision"]["date"]))
    for path, code, decided in pairs:
        basis = rulebook.legal_basis(code)
        decision_date = _date(decided)
        if decision_date < basis.in_force_from:
            yield item.problem("legal-basis-not-in-force", path, basis.code,
                               in_force_from=basis.in_force_from.isoformat(), decision_date=decided)
        elif basis.replaced_on and decision_date >= basis.replaced_on:
            yield item.problem("legal-basis-replaced", path, basis.code,
                               replaced_on=basis.replaced_on.isoformat(), decision_date=decided)


@check("product", local=True)
def check_taxonomy(item: Checked, ctx: _Context) -> Iterator[Problem]:
    cls = item.data["classification"]
    basis = rulebook.legal_basis(cls["legal_basis"])
    groups = rulebook.groups_for(basis.code)
    group, product_set = cls["group"], cls.get("product_set")
    if group not in groups:
        yield item.problem("group-basis-mismatch", ("classification", "group"), group,
                           basis=basis.code, allowed=", ".join(groups))
    elif basis.taxonomy == "sectors_1048":
        if product_set is not None:
            yield item.problem("product-set-not-1048", ("classification", "product_set"), product_set)
    else:
        sets = groups[group]["sets"]
        if product_set is None and not item.schema_ok:  # (reading the raw file is not free: only here)
            typed = item.loaded.data.get("classification") if isinstance(item.loaded.data, dict) else None
            if isinstance(typed, dict) and "product_set" in typed:
                return  # typed but not a set code: the schema's message says which code to use
        if product_set is None:
            yield item.problem("product-set-missing", ("classification",), None, key=True,
                               basis=basis.code, group=group, allowed=sets_named(group, sets))
        elif product_set not in sets:
            yield item.problem("product-set-mismatch", ("classification", "product_set"), product_set,
                               group=group, allowed=sets_named(group, sets))


def sets_named(group: str, sets: Iterable[str]) -> Hint:
    """Each product set as "code (number. name)", the name as the form lists it (probe, round seven:
    the message gave codes only, the form's list names only — "4. Mật ong, …")."""
    def named(code: str, lang: str) -> str:
        entry = rulebook.product_set(group, code) or {}
        number = f"{entry['number']}. " if "number" in entry else ""
        return f"{code} ({number}{rulebook.product_set_name(group, code, lang)})"

    return Hint("; ".join(named(c, "vi") for c in sets), "; ".join(named(c, "en") for c in sets))


@check("product")
def check_gtin(item: Checked, ctx: _Context) -> Iterator[Problem]:
    gtin = item.data["gtin"]
    expected = gtin_check_digit(gtin[:-1])
    if int(gtin[-1]) != expected:
        # the fix this message suggests must not turn a typo into another product's code
        owners = [o for o in ctx.gtins.get((gtin[:-1] + str(expected)).zfill(14), []) if o is not item]
        taken = Hint(f" Nhưng mã {gtin[:-1]}{expected} đã thuộc về sản phẩm khác ({owners[0].file}): kiểm tra lại cả dãy số.",
                     f" But {gtin[:-1]}{expected} already belongs to another product ({owners[0].file}): check every digit.") if owners else ""
        yield item.problem("gtin-check-digit", ("gtin",), gtin, expected=expected, taken=taken)
        return
    yield from _duplicate(item, ctx.gtins.get(gtin.zfill(14), []), "duplicate-gtin", ("gtin",), gtin)


def _duplicate(item: Checked, holders: list[Checked], code: str, path: tuple, value: Any, **args: Any) -> Iterator[Problem]:
    """Report ``item`` when another record holds the same fact before it (see _index_duplicates)."""
    if len(holders) > 1 and holders[0] is not item and item in holders:
        yield item.problem(code, path, value, other=holders[0].file, **args)


@check("product")
def check_duplicate_product(item: Checked, ctx: _Context) -> Iterator[Problem]:
    data = item.data
    key = (places.fold(" ".join(data["name"].split())), data["producer"])
    yield from _duplicate(item, ctx.products.get(key, []), "duplicate-product", ("name",), data["name"],
                          producer=data["producer"])
    cert = data["certificate"]
    ckey = _certificate_key(cert["deciding_body"]["name"], cert["number"], cert["decision"]["date"])
    if not (len(ctx.products.get(key, [])) > 1 and ctx.products[key][0] is not item):  # one mistake, one message
        yield from _duplicate(item, ctx.certificates.get(ckey, []), "duplicate-certificate", ("certificate", "number"),
                              cert["number"], body=cert["deciding_body"]["name"], year=ckey[2])


@check("product")
def check_possible_duplicate(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """Two products of one province with the same name in the same commune, by two producers: one
    product entered twice, most often (probe, round seven: an annex that shortened the producer's name
    made a second producer and a second page). Same name and producer is duplicate-product, an error."""
    key = _namesake_key(item)
    holders = ctx.namesakes.get(key, []) if key is not None else []
    at = next((i for i, h in enumerate(holders) if h is item), None)
    other = next((h for h in holders[:at] if h.data["producer"] != item.data["producer"]), None) if at else None
    if other is not None:
        yield item.problem("possible-duplicate-product", ("name",), item.data["name"], other=other.file,
                           commune=item.data["address"]["commune"], producer=item.data["producer"],
                           other_producer=other.data["producer"])


@check("producer")
def check_similar_producer(item: Checked, ctx: _Context) -> Iterator[Problem]:
    holders = ctx.producers.get((item.folder, producer_key(item.data["name"])), [])
    if len(holders) > 1 and holders[0] is not item:
        yield item.problem("similar-producer", ("name",), item.data["name"], other=holders[0].file,
                           other_name=holders[0].data["name"])


@check("product", local=True)
def check_revocation(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """A revocation comes after the recognition it revokes: the current certificate's, and an
    earlier rating's (kept with it when the product was recognised again)."""
    for path, rating in _ratings(item):
        revocation = rating.get("revocation")
        if not isinstance(revocation, dict) or not isinstance(rating.get("decision"), dict):
            continue
        revoked = revocation["decision"]["date"]
        if _date(revoked) < _date(rating["decision"]["date"]):
            yield item.problem("revocation-before-decision", path + ("revocation", "decision", "date"),
                               revoked, decision_date=rating["decision"]["date"])


@check("product", local=True)
def check_status_reason(item: Checked, ctx: _Context) -> Iterator[Problem]:
    if item.data.get("status_reason") and item.data.get("status") != "withdrawn":
        yield item.problem("status-reason-without-status", ("status_reason",), None, key=True)


@check("product", local=True)
def check_withdrawal(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """issue #17: a withdrawal's date (and decision) belong to a withdrawn product; a withdrawn
    product should say when (the statistics count it per year, the feed announces it)."""
    data = item.data
    if data.get("status") != "withdrawn":
        for name in ("status_date", "status_decision"):
            if name in data:
                yield item.problem("withdrawal-without-status", (name,), None, key=True, field=name)
        return
    if not data.get("status_date"):
        yield item.problem("withdrawn-without-date", ("status",), data["status"])
    elif _date(data["status_date"]) < _date(data["certificate"]["decision"]["date"]):
        yield item.problem("withdrawal-before-decision", ("status_date",), data["status_date"],
                           decision_date=data["certificate"]["decision"]["date"])


@check("product", local=True)
def check_earlier_ratings(item: Checked, ctx: _Context) -> Iterator[Problem]:
    decided = item.data["certificate"]["decision"]["date"]
    for i, earlier in enumerate(item.data.get("earlier_ratings", [])):
        if _date(earlier["decision"]["date"]) >= _date(decided):
            yield item.problem("earlier-rating-after-current", ("earlier_ratings", i, "decision", "date"),
                               earlier["decision"]["date"], decision_date=decided)


@check("product", local=True)
def check_lots(item: Checked, ctx: _Context) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, lot in enumerate(item.data.get("lots", [])):
        if lot["id"] in seen:
            yield item.problem("duplicate-lot", ("lots", i, "id"), lot["id"])
        seen.add(lot["id"])
        if "expires_on" in lot and _date(lot["expires_on"]) < _date(lot["produced_on"]):
            yield item.problem("lot-dates", ("lots", i, "expires_on"), lot["expires_on"],
                               lot=lot["id"], produced_on=lot["produced_on"])


@check("product")
def check_images(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """The file exists inside images/ (no links, nothing outside), is a JPEG or PNG by its
    content, and is not absurdly large (the build resizes it; a 200-megapixel file would not)."""
    for i, image in enumerate(item.data.get("images", [])):
        path = ("images", i, "file")
        name = image["file"]
        if name not in ctx.images:
            ctx.images[name] = _image_facts(item, name)
        facts = ctx.images[name]
        if facts is not None:
            code, args = facts
            yield item.problem(code, path, name, **args)


def _image_facts(item: Checked, name: str) -> tuple[str, dict] | None:
    """The problem with one image file (code, message arguments), or None when it is fine. The
    photo is decoded the way the build decodes it (catalog/records/images.py ``inspect``)."""
    from ..records.images import inspect  # start-up: Pillow adds ~28 ms to every `ocop validate`; only photos need it

    if not item.image_exists(name):
        return "missing-image", {}
    return inspect(item.root / "images" / name)


# Characters that occur in text typed with legacy Vietnamese fonts but never in Unicode Vietnamese.
LEGACY_MARKERS = {"TCVN3": set("¸µ¶·¹¨»¾¼½©®ª«÷Æ×Þßþ"), "VNI": set("öøûïñÿÖØÛÏÑ")}
_ANY_MARKER = frozenset().union(*LEGACY_MARKERS.values())


@check("any", local=True)
def check_legacy_font_text(item: Checked, ctx: _Context) -> Iterator[Problem]:
    if not item.maybe_legacy:
        return
    # the typed, schema-checked data when the file is valid (no need to unpickle a cached raw copy)
    stack: list[tuple[Any, tuple]] = [(item.data if item.schema_ok else item.loaded.data, ())]
    found = []
    while stack:  # iterative, depth-first, in document order
        node, path = stack.pop()
        if isinstance(node, str):
            if not _ANY_MARKER.isdisjoint(node):
                for font, markers in LEGACY_MARKERS.items():
                    if sum(ch in markers for ch in node) >= 2:
                        found.append(item.problem("legacy-font-text", path, node, font=font))
                        break
        elif isinstance(node, dict):
            stack.extend((v, path + (k,)) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((v, path + (i,)) for i, v in reversed(list(enumerate(node))))
    yield from found


@check("product", local=True)
def check_status_on_date(item: Checked, ctx: _Context) -> Iterator[Problem]:
    cert = item.data["certificate"]
    if _date(cert["decision"]["date"]) > ctx.as_of:
        earlier = earlier_in_force(item.data, ctx.as_of) if item.schema_ok else None
        if earlier is None:
            yield item.problem("decision-in-future", ("certificate", "decision", "date"), cert["decision"]["date"],
                               as_of=ctx.as_of.isoformat())
        else:  # a re-recognition decided ahead: the earlier certificate is shown until then (round seven)
            shown = earlier_certificate(item.data, earlier[0])
            last = _date(earlier[1].end)  # its last day in force (before a revocation, or its own lapse, reckoned)
            start = _date(cert["decision"]["date"])
            after, before = last + dt.timedelta(days=1), start - dt.timedelta(days=1)
            # the gap sentence carries two dates of its own: each language's way of writing them, as _Args
            # writes a date argument (problems.py)
            gap = Hint("", "") if after >= start else Hint(
                f" Từ {after:%d/%m/%Y} đến {before:%d/%m/%Y} không giấy nào còn hiệu lực: trang hiện 'chưa có hiệu lực'.",
                f" From {after.isoformat()} to {before.isoformat()} neither is in force: the page says 'not yet in force'.")
            yield item.problem("decision-ahead-earlier-shown", ("certificate", "decision", "date"),
                               cert["decision"]["date"], as_of=ctx.as_of.isoformat(),
                               number=shown.get("number") or Hint("không ghi số", "no number on record"),
                               stars=str(shown["stars"]), until=last.isoformat(), gap=gap)
    if not item.schema_ok:
        return
    if certificate_status(item.data, ctx.as_of) is Status.EXPIRING:
        valid_until = _date(cert["valid_until"])
        days = (valid_until - ctx.as_of).days
        left = Hint("hôm nay là ngày cuối cùng", "today is its last day") if days == 0 else \
            Hint(f"còn {days} ngày", f"{days} days left")  # "còn 0 ngày" read as lapsed (probe, round five)
        yield item.problem("certificate-expiring", ("certificate", "valid_until"), cert["valid_until"], left=left)


EVENT_NAMES = {"harvest": "thu hoạch", "processing": "chế biến", "packing": "đóng gói", "testing": "kiểm nghiệm",
               "shipping": "vận chuyển"}


@check("product")
def check_lot_events(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """TCVN 12850 critical tracking events: in date order, nothing before harvest but harvest,
    no shipping before packing, nothing after the lot's expiry."""
    for i, lot in enumerate(item.data.get("lots", [])):
        events = lot.get("events", [])
        previous = None
        harvests = [_date(e["date"]) for e in events if e["type"] == "harvest"]
        packings = [_date(e["date"]) for e in events if e["type"] == "packing"]
        for j, event in enumerate(events):
            path = ("lots", i, "events", j, "date")
            day = _date(event["date"])
            if previous is not None and day < previous:
                yield item.problem("event-order", path, event["date"], lot=lot["id"], previous=previous.isoformat())
            previous = day if previous is None or day > previous else previous
            if harvests and event["type"] != "harvest" and day < min(harvests):
                yield item.problem("event-before-harvest", path, event["date"], lot=lot["id"],
                                   event=EVENT_NAMES[event["type"]], harvest=min(harvests).isoformat())
            if event["type"] == "shipping" and packings and day < min(packings):
                yield item.problem("shipping-before-packing", path, event["date"], lot=lot["id"],
                                   packing=min(packings).isoformat())
            if "expires_on" in lot and day > _date(lot["expires_on"]):
                yield item.problem("event-after-expiry", path, event["date"], lot=lot["id"], expires_on=lot["expires_on"])
            if ("sales_point" in event and event["sales_point"] not in ctx.ids["sales_point"]
                    and event["sales_point"] not in ctx.unreadable["sales_point"]):
                yield item.problem("missing-sales-point", ("lots", i, "events", j, "sales_point"), event["sales_point"],
                                   suggestion=_suggest(event["sales_point"], list(ctx.ids["sales_point"])))


@check("product", local=True)
def check_lot_in_certificate(item: Checked, ctx: _Context) -> Iterator[Problem]:
    """A lot is made while a certificate of the product was in force: the current one (up to the day
    before its revocation takes effect) or an earlier rating (probe, round five: after a
    re-recognition a lot made under the old certificate was an error, and the only way to build was
    to delete it; a lot made after the revocation passed)."""
    cert = item.data["certificate"]
    spans = _lot_spans(item)
    for i, lot in enumerate(item.data.get("lots", [])):
        produced = _date(lot["produced_on"])
        if not any(start <= produced <= end for start, end in spans):
            revoked = revocation_effective(item.data)
            if revoked is not None and _date(cert["decision"]["date"]) <= produced <= _date(cert["valid_until"]):
                yield item.problem("lot-after-revocation", ("lots", i, "produced_on"), lot["produced_on"], lot=lot["id"],
                                   revoked_from=revoked, number=cert["number"])
                continue
            yield item.problem("lot-outside-certificate", ("lots", i, "produced_on"), lot["produced_on"], lot=lot["id"],
                               decision_date=cert["decision"]["date"], valid_until=cert["valid_until"])


def _lot_spans(item: Checked) -> list[tuple[dt.date, dt.date]]:
    """(first, last day) a certificate of the product was in force: the current one until the day
    before its revocation takes effect, and each earlier rating for the days packs could carry it
    (catalog/records/model.py ``earlier_windows``: to its lapse, its revocation or the next decision,
    whichever comes first — what the label and lot pages say too)."""
    cert = item.data["certificate"]
    end = _date(cert["valid_until"])
    revoked = revocation_effective(item.data)
    if revoked is not None:
        end = min(end, revoked - dt.timedelta(days=1))
    return [(_date(cert["decision"]["date"]), end)] + [
        (_date(w.start), _date(w.end)) for w in earlier_windows(item.data)]


@check("product")
def check_former_ids(item: Checked, ctx: _Context) -> Iterator[Problem]:
    for i, old in enumerate(item.data.get("former_ids", [])):
        if old in ctx.ids["product"]:
            yield item.problem("former-id-in-use", ("former_ids", i), old, other=ctx.ids["product"][old].file)


@check("product", local=True)
def check_label_urls(item: Checked, ctx: _Context) -> Iterator[Problem]:
    if not ctx.base_url:
        return
    for lot, url in label_urls(ctx.base_url, item.data):
        if len(url) > MAX_LABEL_URL:
            path = ("lots", [lt["id"] for lt in item.data["lots"]].index(lot), "id") if lot else ("id",)
            yield item.problem("label-url-too-long", path, None, url=url, length=len(url), limit=MAX_LABEL_URL)


def gtin_check_digit(body: str) -> int:
    """GS1 check digit for the digits before it (weights 3,1,3,… from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10

