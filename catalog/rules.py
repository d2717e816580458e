"""Checks beyond the schema: across records, against places, and against the OCOP rules.

Each check reads the typed data of records that passed their schema (a record with schema errors
is still used for id look-ups, so one mistake does not cascade into "missing producer" noise
elsewhere) and yields :class:`~catalog.problems.Problem` values positioned on the field concerned.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import parallel, places, rulebook
from .loader import Loaded, dotted
from .model import Status, certificate_status
from .problems import Hint, Problem, did_you_mean, quote
from .urls import MAX_LABEL_URL, label_urls


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
        from .paths import regular_file_below

        return regular_file_below(self.root, ("images", *name.split("/")))

    def problem(self, code: str, path: tuple, value: Any = None, key: bool = False, **args: Any) -> Problem:
        line, col = self.loaded.where(path, key=key)
        if value is not None:
            args["value"] = quote(value)
        return Problem(code, self.file, line, col, dotted(path), args)


KIND_FOLDERS = {"product": "products", "producer": "producers", "sales_point": "sales_points", "village": "villages"}


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _suggest(value: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(value, candidates, n=1, cutoff=0.6)
    return did_you_mean(close[0] if close else None)


# Listing pages beyond the first live at <listing>/trang-<n>/ (catalog/pages.py), beside record pages.
RESERVED_ID = re.compile(r"trang-[0-9]+")


def check_all(items: list[Checked], as_of: dt.date, base_url: str | None = None) -> Iterator[Problem]:
    ids: dict[str, dict[str, Checked]] = {k: {} for k in KIND_FOLDERS}
    lower_names: dict[tuple[str, str], Checked] = {}
    for item in sorted(items, key=lambda i: i.file):
        # file names: case-insensitively unique within a kind (Windows and macOS fold case)
        key = (item.kind, item.stem.lower())
        if key in lower_names and lower_names[key].stem != item.stem:
            yield Problem("id-case-collision", item.file, 0, 0, "", {"other": lower_names[key].file})
        lower_names.setdefault(key, item)
        if item.data is None or not isinstance(item.data.get("id"), str):
            continue
        rid = item.data["id"]
        if rid != item.stem:
            yield item.problem("id-mismatch", ("id",), rid, stem=item.stem)
        if RESERVED_ID.fullmatch(rid):
            yield item.problem("reserved-id", ("id",), rid)
        table = ids[item.kind]
        if rid in table:
            yield item.problem("duplicate-id", ("id",), rid, other=table[rid].file)
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
    readable = [item for item in items if item.data is not None]

    def share(index: int, count: int) -> list[Problem]:
        out: list[Problem] = []
        for item in readable[index::count]:
            for check in CHECKS["any"] + CHECKS[item.kind]:
                out.extend(_guarded(check(item, context)))
        return out

    # Each record's checks read only that record and the context: on all cores for a national
    # catalogue (forked workers share the records; only the problems come back). The caller sorts.
    for part in parallel.shares(share, len(readable), parallel_from=PARALLEL_FROM):
        yield from part


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


def _guarded(problems: Iterator[Problem]) -> Iterator[Problem]:
    """Run one check. ``item.data`` holds only schema-valid values (see validate.prune): a check
    whose inputs are missing (a pruned list item is None) stops and is skipped — the schema problem already
    told the officer what to fix, and one typo must not cascade into misleading messages."""
    try:
        yield from problems
    except (KeyError, TypeError, ValueError, AttributeError):
        return


CHECKS: dict[str, list] = {"any": [], "product": [], "producer": [], "sales_point": [], "village": []}


def check(*kinds: str):
    def register(fn):
        for kind in kinds:
            CHECKS[kind].append(fn)
        return fn
    return register


def _check_refs(item: Checked, path: tuple, table: dict, code: str, unreadable: set = frozenset()) -> Iterator[Problem]:
    for i, ref in enumerate(item.data.get(path[0], [])):
        if ref not in table and ref not in unreadable:
            yield item.problem(code, path + (i,), ref, suggestion=_suggest(ref, list(table)))


@check("any")
def check_province_folder(item: Checked, ctx: _Context) -> Iterator[Problem]:
    province = item.data["address"]["province"]
    folder_info = places.provinces_by_folder().get(item.folder)
    info = places.provinces()[province]
    if folder_info is not None and folder_info.name != province:
        yield item.problem(
            "province-folder-mismatch", ("address", "province"), province,
            folder=item.folder, folder_province=folder_info.name, expected_folder=f"{KIND_FOLDERS[item.kind]}/{info.folder}",
        )


@check("any")
def check_commune(item: Checked, ctx: _Context) -> Iterator[Problem]:
    address = item.data["address"]
    province, commune = address["province"], address["commune"]
    if places.find_commune(province, commune) is None:
        suggestion = places.suggest_commune(province, commune)
        hint = did_you_mean(suggestion) or Hint(
            " Ghi đầy đủ tên mới, ví dụ 'Xã …' hoặc 'Phường …' (danh mục theo Quyết định 19/2025/QĐ-TTg).",
            " Write the full new name, e.g. 'Xã …' or 'Phường …' (list of Decision 19/2025/QĐ-TTg).")
        yield item.problem("unknown-commune", ("address", "commune"), commune, province=province, suggestion=hint)


@check("sales_point", "village")
def check_product_refs(item: Checked, ctx: _Context) -> Iterator[Problem]:
    yield from _check_refs(item, ("products",), ctx.ids["product"], "missing-product", ctx.unreadable["product"])


@check("sales_point")
def check_lapsed_products(item: Checked, ctx: _Context) -> Iterator[Problem]:
    for i, pid in enumerate(item.data.get("products", [])):
        status = ctx.product_status.get(pid)
        if status is not None and not status.is_valid:
            yield item.problem("sales-point-lapsed-product", ("products", i), pid, status=status.label)


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


@check("product")
def check_certified_province(item: Checked, ctx: _Context) -> Iterator[Problem]:
    certified = item.data["certified_address"]["province"]
    if not places.is_known_certified_province(certified):
        names = list(places.former_provinces()) + list(places.provinces())
        s = places.suggest_province(certified, names)
        yield item.problem("unknown-former-province", ("certified_address", "province"), certified,
                           suggestion=did_you_mean(s))


@check("product")
def check_score_band(item: Checked, ctx: _Context) -> Iterator[Problem]:
    cert = item.data["certificate"]
    score, stars = cert["score"], int(cert["stars"])
    band = rulebook.stars_for_score(int(score))
    if band != stars:
        low, high = rulebook.star_band(stars)
        yield item.problem("score-stars-mismatch", ("certificate", "score"), score,
                           band_stars=band, stars=stars, low=low, high=high)


@check("product")
def check_validity_window(item: Checked, ctx: _Context) -> Iterator[Problem]:
    cert = item.data["certificate"]
    decided = cert["decision"]["date"]
    decision_date, valid_until = _date(decided), _date(cert["valid_until"])
    latest = rulebook.add_months(decision_date, rulebook.certificate_months())
    if valid_until <= decision_date:
        yield item.problem("valid-until-before-decision", ("certificate", "valid_until"), cert["valid_until"],
                           decision_date=decided)
    elif valid_until > latest:
        yield item.problem("valid-until-too-late", ("certificate", "valid_until"), cert["valid_until"],
                           decision_date=decided, latest=latest.isoformat())


@check("product")
def check_deciding_level(item: Checked, ctx: _Context) -> Iterator[Problem]:
    cert = item.data["certificate"]
    level, stars = cert["deciding_body"]["level"], int(cert["stars"])
    allowed = rulebook.deciding_levels(_date(cert["decision"]["date"]), stars)
    if allowed is None:
        return
    verdict = allowed.get(level, "error")
    if verdict != "ok":
        expected = " hoặc ".join(rulebook.LEVEL_NAMES[k] for k, v in allowed.items() if v == "ok")
        code = "deciding-level" if verdict == "error" else "deciding-level-unusual"
        yield item.problem(code, ("certificate", "deciding_body", "level"), None,
                           decision_date=cert["decision"]["date"], stars=stars,
                           level_name=rulebook.LEVEL_NAMES[level], expected=expected)


@check("product")
def check_legal_basis_date(item: Checked, ctx: _Context) -> Iterator[Problem]:
    decided = item.data["certificate"]["decision"]["date"]
    basis = rulebook.legal_basis(item.data["classification"]["legal_basis"])
    decision_date = _date(decided)
    if decision_date < basis.in_force_from:
        yield item.problem("legal-basis-not-in-force", ("classification", "legal_basis"), basis.code,
                           in_force_from=basis.in_force_from.isoformat(), decision_date=decided)
    elif basis.replaced_on and decision_date >= basis.replaced_on:
        yield item.problem("legal-basis-replaced", ("classification", "legal_basis"), basis.code,
                           replaced_on=basis.replaced_on.isoformat(), decision_date=decided)


@check("product")
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
        if product_set is None:
            yield item.problem("product-set-missing", ("classification",), None, key=True,
                               basis=basis.code, group=group, allowed=", ".join(sets))
        elif product_set not in sets:
            yield item.problem("product-set-mismatch", ("classification", "product_set"), product_set,
                               group=group, allowed=", ".join(sets))


@check("product")
def check_gtin(item: Checked, ctx: _Context) -> Iterator[Problem]:
    gtin = item.data["gtin"]
    expected = gtin_check_digit(gtin[:-1])
    if int(gtin[-1]) != expected:
        yield item.problem("gtin-check-digit", ("gtin",), gtin, expected=expected)


@check("product")
def check_revocation(item: Checked, ctx: _Context) -> Iterator[Problem]:
    cert = item.data["certificate"]
    revoked = cert["revocation"]["decision"]["date"]
    if _date(revoked) < _date(cert["decision"]["date"]):
        yield item.problem("revocation-before-decision", ("certificate", "revocation", "decision", "date"),
                           revoked, decision_date=cert["decision"]["date"])


@check("product")
def check_status_reason(item: Checked, ctx: _Context) -> Iterator[Problem]:
    if item.data.get("status_reason") and item.data.get("status") != "withdrawn":
        yield item.problem("status-reason-without-status", ("status_reason",), None, key=True)


@check("product")
def check_earlier_ratings(item: Checked, ctx: _Context) -> Iterator[Problem]:
    decided = item.data["certificate"]["decision"]["date"]
    for i, earlier in enumerate(item.data.get("earlier_ratings", [])):
        if _date(earlier["decision"]["date"]) >= _date(decided):
            yield item.problem("earlier-rating-after-current", ("earlier_ratings", i, "decision", "date"),
                               earlier["decision"]["date"], decision_date=decided)


@check("product")
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
    photo is decoded the way the build decodes it (catalog/images.py ``inspect``)."""
    from .images import inspect

    if not item.image_exists(name):
        return "missing-image", {}
    return inspect(item.root / "images" / name)


# Characters that occur in text typed with legacy Vietnamese fonts but never in Unicode Vietnamese.
LEGACY_MARKERS = {"TCVN3": set("¸µ¶·¹¨»¾¼½©®ª«÷Æ×Þßþ"), "VNI": set("öøûïñÿÖØÛÏÑ")}
_ANY_MARKER = frozenset().union(*LEGACY_MARKERS.values())


@check("any")
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


@check("product")
def check_status_on_date(item: Checked, ctx: _Context) -> Iterator[Problem]:
    cert = item.data["certificate"]
    if _date(cert["decision"]["date"]) > ctx.as_of:
        yield item.problem("decision-in-future", ("certificate", "decision", "date"), cert["decision"]["date"],
                           as_of=ctx.as_of.isoformat())
    if not item.schema_ok:
        return
    if certificate_status(item.data, ctx.as_of) is Status.EXPIRING:
        valid_until = _date(cert["valid_until"])
        yield item.problem("certificate-expiring", ("certificate", "valid_until"), cert["valid_until"],
                           days=(valid_until - ctx.as_of).days)


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


@check("product")
def check_lot_in_certificate(item: Checked, ctx: _Context) -> Iterator[Problem]:
    cert = item.data["certificate"]
    start, end = _date(cert["decision"]["date"]), _date(cert["valid_until"])
    for i, lot in enumerate(item.data.get("lots", [])):
        produced = _date(lot["produced_on"])
        if not start <= produced <= end:
            yield item.problem("lot-outside-certificate", ("lots", i, "produced_on"), lot["produced_on"], lot=lot["id"],
                               decision_date=cert["decision"]["date"], valid_until=cert["valid_until"])


@check("product")
def check_former_ids(item: Checked, ctx: _Context) -> Iterator[Problem]:
    for i, old in enumerate(item.data.get("former_ids", [])):
        if old in ctx.ids["product"]:
            yield item.problem("former-id-in-use", ("former_ids", i), old, other=ctx.ids["product"][old].file)


@check("product")
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
