"""Matching existing records: the data root checked the way ``ocop validate`` does, indexed by id,
name + producer, certificate number and revocation decision (:class:`Existing`); the producer a
row names (:func:`match_producer`: an existing one, one planned in this run, or a new one — same
key, else near-identical ≥ ``NEAR_MATCH``); the product a revocation or re-recognition row names
(:func:`find_named`) or a recognition renews (:func:`match_product`); and the id a new product
gets.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...checks.rules import RESERVED_ID, Checked, producer_key
from ...checks.validate import check, load_config
from ...reference import places
from .cells import ID_MAX, PlannedProducer, _text, producer_kind
from .columns import heading_key
from .rows import Bad, Row

NEAR_MATCH = 0.9  # difflib ratio of producer keys above which a new name is taken as an existing producer
# At or above this likeness (difflib, folded words) a row's product name is a spelling of the record's
# (planning._named_otherwise), and a producer's name a spelling of the producer of a product with the
# same name in the same commune (:func:`same_product_here`). Products of one producer share the place in
# their names ("Na Chi Lăng", "Măng khô Chi Lăng": 0.71), so a lower bar let a wrong certificate number
# revoke a sibling product (re-probe, round six).
NAME_SAME = 0.85
# the legal forms as producer_key writes them: not words that tell two producers apart
LEGAL_WORDS = frozenset({"htx", "cty", "tnhh", "cp", "tht", "hkd", "dntn"})
# --- the records already in the data root ----------------------------------------------------------


@dataclass
class Existing:
    """The data root as ``ocop validate`` reads it, indexed the ways a row names a record."""

    checked: list[Checked]
    base_url: str | None
    products: dict[str, Checked]  # id → record
    producers: dict[str, Checked]
    producer_keys: dict[tuple[str, str], str]  # (folder, producer_key(name)) → id
    by_name: dict[tuple[str, Any], Checked]  # (folded name, producer id) → product
    by_certificate: dict[tuple[str, str, str], Checked]  # (folder, certificate number, decision year) → product
    revocation_decisions: dict[tuple[str, str], set[str]]  # (decision number, date) → the files whose revocation it is
    by_number: dict[tuple[str, str], list[Checked]]  # (folder, certificate number) → products
    by_folded_name: dict[tuple[str, str], list[Checked]]  # (folder, folded name) → products
    by_name_key: dict[tuple[str, str], list[Checked]] = field(default_factory=dict)  # (folder, heading_key(name)) → products


def existing_records(root: Path, as_of: dt.date) -> Existing:
    """Check the data root (what ``ocop validate`` sees) and index its products and producers."""
    result = check(root, as_of)
    config, _ = load_config(root)
    base_url = config.get("base_url") if config else None
    products: dict[str, Checked] = {}
    producers: dict[str, Checked] = {}
    for c in result.checked:
        if c.data is None or not isinstance(c.data.get("id"), str):
            continue
        if c.kind == "product":
            products[c.data["id"]] = c
        elif c.kind == "producer":
            producers[c.data["id"]] = c
    producer_keys: dict[tuple[str, str], str] = {}
    for pid, c in sorted(producers.items()):
        if isinstance(c.data.get("name"), str):
            producer_keys.setdefault((c.folder, producer_key(c.data["name"])), pid)
    by_name = {(places.fold(" ".join(str(c.data.get("name", "")).split())), c.data.get("producer")): c
               for c in products.values()}
    by_certificate = {}
    # (decision number, date) → the files whose revocation it is (numbers repeat across bodies and years)
    revocation_decisions: dict[tuple[str, str], set[str]] = {}
    by_number: dict[tuple[str, str], list[Checked]] = {}
    by_folded_name: dict[tuple[str, str], list[Checked]] = {}
    for c in products.values():
        cert = c.data.get("certificate") if isinstance(c.data.get("certificate"), dict) else {}
        if isinstance(cert.get("number"), str):
            by_certificate[(c.folder, heading_key(cert["number"]), str((cert.get("decision") or {}).get("date", ""))[:4])] = c
            by_number.setdefault((c.folder, heading_key(cert["number"])), []).append(c)
        revoked = cert.get("revocation") if isinstance(cert.get("revocation"), dict) else {}
        if isinstance((revoked.get("decision") or {}).get("number"), str):
            revocation_decisions.setdefault((revoked["decision"]["number"], str(revoked["decision"].get("date"))), set()).add(c.file)
        by_folded_name.setdefault((c.folder, places.fold(" ".join(str(c.data.get("name", "")).split()))), []).append(c)
    by_name_key: dict[tuple[str, str], list[Checked]] = {}
    for c in products.values():
        by_name_key.setdefault((c.folder, heading_key(c.data.get("name") or "")), []).append(c)
    return Existing(result.checked, base_url, products, producers, producer_keys, by_name, by_certificate,
                    revocation_decisions, by_number, by_folded_name, by_name_key)


# --- the producer of a row: an existing one, one planned in this run, or a new one ------------------


def match_producer(u: Row, values: dict[str, Any], existing: Existing, planned_producers: dict[tuple[str, str], PlannedProducer],
                   taken_producer_ids: set[str], bad: Bad) -> None:
    """Set ``u.producer_id``: an existing producer (id, same name, near name), one planned in this
    run, or a new one added to ``planned_producers`` (a revocation or a re-recognition names an
    existing product, so never a new producer)."""
    producer_keys = existing.producer_keys
    if u.producer_typed and u.folder and u.kind != "recognition":
        key = producer_key(u.producer_typed)
        u.producer_id = (u.producer_typed if u.producer_typed in existing.producers
                         else producer_keys.get((u.folder, key))
                         or (producer_keys.get((u.folder, near)) if (near := _near(key, [k for (f, k) in producer_keys
                                                                                           if f == u.folder])) else None))
        return
    if not (u.producer_typed and u.folder):
        return
    key = producer_key(u.producer_typed)
    same = producer_keys.get((u.folder, key))
    if u.producer_typed in existing.producers:
        u.producer_id = u.producer_typed
    elif same is not None and not _communes_differ(u, _commune_of(existing.producers[same].data)):
        u.producer_id = same
    elif (u.folder, key) in planned_producers:
        planned = planned_producers[(u.folder, key)]
        u.producer_id, u.producer_new = planned.id, True
    else:
        near = _near(key, [k for (f, k) in producer_keys if f == u.folder])
        if near and _communes_differ(u, _commune_of(existing.producers[producer_keys[(u.folder, near)]].data)):
            near = None
        near_new = _near(key, [k for (f, k) in planned_producers if f == u.folder])
        if near_new and _communes_differ(u, getattr(planned_producers[(u.folder, near_new)].where, "commune", None)):
            near_new = None
        if near:
            u.producer_id = producer_keys[(u.folder, near)]
            u.producer_note = (f"gần giống chủ thể có sẵn '{existing.producers[u.producer_id].data['name']}' "
                               f"(producers/{u.folder}/{u.producer_id}.yaml): dùng chủ thể này")
            bad("producer", f"'{u.producer_typed}' {u.producer_note}. Nếu là chủ thể khác, ghi rõ tên trong bảng", "warning")
        elif near_new:
            planned = planned_producers[(u.folder, near_new)]
            u.producer_id, u.producer_new = planned.id, True
            bad("producer", f"'{u.producer_typed}' gần giống '{planned.names[0]}' (dòng {planned.rows[0]}): "
                            "coi là một chủ thể", "warning")
            key = near_new
        else:
            pid = _unique(_id_from(producer_key(u.producer_typed)), taken_producer_ids)
            planned = PlannedProducer(pid, u.folder, key, [], [], producer_kind(u.producer_typed), None, None)
            planned_producers[(u.folder, key)] = planned
            u.producer_id, u.producer_new = pid, True
            # A name inside an existing producer's of the same commune ("HTX Mật ong Mèo Vạc", "Hợp tác
            # xã Mật ong bạc hà Mèo Vạc") may be an annex shortening it — or another producer: "Hộ kinh
            # doanh Nguyễn Thị Hoa" is not "… Nguyễn Thị Hồng Hoa", "HTX Nông nghiệp X" not "HTX Dịch vụ
            # Nông nghiệp X" (re-check, round seven). Never merged on that guess: a new producer, and the
            # candidate named so the officer decides (its id in the producer column merges them).
            inside = _inside_here(u, key, existing)
            if inside is not None:
                bad("producer", f"'{u.producer_typed}' có thể là chủ thể có sẵn cùng xã "
                                f"'{existing.producers[inside].data['name']}' (producers/{u.folder}/{inside}.yaml): đã tạo "
                                f"chủ thể mới '{pid}'. Nếu là cùng một chủ thể, ghi mã '{inside}' vào cột chủ thể", "warning")
            elif pid != (base := _id_from(producer_key(u.producer_typed))) and base in existing.producers and same is None:
                # the id its name makes is an existing producer's ("HTX NN Hữu Liên" → htx-nn-huu-lien-2): say so
                bad("producer", f"'{u.producer_typed}': mã '{base}' đã là của chủ thể có sẵn "
                                f"'{existing.producers[base].data['name']}' (producers/{existing.producers[base].folder}/{base}.yaml): "
                                f"đã tạo chủ thể mới '{pid}'. Nếu là cùng một chủ thể, ghi mã '{base}' vào cột chủ thể", "warning")
            if same is not None:  # the same name in another commune: another producer (probe, round five)
                where = _commune_of(existing.producers[same].data)
                bad("producer", f"'{u.producer_typed}' trùng tên chủ thể có sẵn (producers/{u.folder}/{same}.yaml, "
                                f"{where}) nhưng dòng này ở {u.where.commune if u.where else '—'}: tạo chủ thể mới "
                                f"'{pid}'. Nếu là cùng một chủ thể (đã đổi địa chỉ), ghi mã '{same}' vào cột chủ thể",
                    "warning")
    if u.producer_new:
        _add_row_to(planned_producers[(u.folder, key)], u, values)


def words_inside(a: str, b: str) -> bool:
    """One producer name (its :func:`producer_key`) inside the other, word for word and in order,
    with at least three words besides the legal form: "htx mat ong meo vac" in "htx mat ong bac ha
    meo vac" (an annex shortening a name; probe, round seven: the record "Hợp tác xã Mật ong bạc hà
    Mèo Vạc" became a second producer "Hợp tác xã Mật ong Mèo Vạc"). "HTX Mèo Vạc" is too short to
    say, and "… số 1" is never "… số 2"."""
    short, long = sorted((a.split(), b.split()), key=len)
    if len([w for w in short if w not in LEGAL_WORDS]) < 3 or _numbers_differ(a, b):
        return False
    rest = iter(long)
    return all(word in rest for word in short)


def _inside_here(u: Row, key: str, existing: Existing) -> str | None:
    """The one existing producer of the row's commune whose name holds the row's, or is held in it
    (:func:`words_inside`); None when none, or several, or the row or the producer has no commune."""
    found = {pid for (folder, other), pid in existing.producer_keys.items()
             if folder == u.folder and words_inside(key, other) and _same_commune(u, _commune_of(existing.producers[pid].data))}
    return found.pop() if len(found) == 1 else None


def same_product_here(u: Row, existing: Existing) -> tuple[Checked | None, list[Checked]]:
    """A new product's row against the products of its province with the same name (heading_key) in
    the same commune: (the one whose producer is the row's — the same producer, matched by its exact
    name or id —, the others). The first is the product the annex recognises again; the others may be duplicates."""
    if not (u.name and u.folder) or u.where is None:
        return None, []
    twins = [c for c in existing.by_name_key.get((u.folder, heading_key(u.name)), [])
             if _same_commune(u, _commune_of(c.data))]
    # Recognised again only when the row's producer IS the record's: the same name, or the record's id in
    # the producer column — never a near spelling or a shortened name (re-check, round seven: a 0.94-alike
    # "HTX Nông nghiệp Hữu Lân" took "Hợp tác xã Nông nghiệp Hữu Liên"'s product and replaced its certificate
    # and address). Any other twin is named as a possible duplicate, written as a new product.
    for c in twins:
        if c.data.get("producer") == u.producer_id and not u.producer_note and not u.producer_new:
            return c, [t for t in twins if t is not c]
    return None, twins


def _add_row_to(planned: PlannedProducer, u: Row, values: dict[str, Any]) -> None:
    """A row of a new producer: its spelling, row, kind, address, phone and representative."""
    planned.names.append(u.producer_typed)
    planned.rows.append(u.row)
    planned.kind = planned.kind or producer_kind(u.producer_typed)
    if planned.where is None and u.where is not None:
        planned.where = u.where
    if planned.phone is None and u.phone:
        planned.phone = u.phone
    if u.phone is None and (raw := _text(values.get("phone"))):
        planned.bad_phones.append((u.row, raw))
    if planned.representative is None and u.representative:
        planned.representative = u.representative


# --- the product a row names, and the id a new one gets ---------------------------------------------


def find_named(u: Row, existing: Existing) -> Checked | None:
    """The existing product a revocation or re-recognition row names: its id, its certificate
    number (the old one in a re-recognition), its name and producer, or its name alone when only
    one product of the province has it."""
    if u.id and u.id in existing.products:
        return existing.products[u.id]
    number = u.old_certificate_number if u.kind == "re-recognition" else u.certificate_number
    if number and u.folder:
        hits = existing.by_number.get((u.folder, heading_key(number)), [])
        if len(hits) == 1:
            return hits[0]
    if u.producer_id and u.name:
        hit = existing.by_name.get((places.fold(u.name), u.producer_id))
        if hit is not None:
            return hit
    if u.name and u.folder:
        hits = existing.by_folded_name.get((u.folder, places.fold(u.name)), [])
        if len(hits) == 1:
            return hits[0]
    return None


def match_product(u: Row, existing: Existing) -> Checked | None:
    """The existing product a recognition row renews or updates: the same id, the same folded name
    and producer, or the same certificate number in the decision's year."""
    found = None
    if u.id and u.id in existing.products:
        found = existing.products[u.id]
    elif u.producer_id and not u.producer_new and not u.producer_note:
        # by name only with the record's own producer, named exactly: a producer only alike by spelling
        # (``producer_note``) may be another one ("HTX Nông nghiệp Hữu Lân", "… Hữu Liên": re-check, round
        # seven) — its row is not taken for the record's renewal on that guess (same_product_here names it)
        found = existing.by_name.get((places.fold(u.name), u.producer_id))
    if found is None and u.certificate_number and u.decision.date:
        found = existing.by_certificate.get((u.folder, heading_key(u.certificate_number), str(u.decision.date.year)))
    return found


def _near(key: str, keys: list[str]) -> str | None:
    close = difflib.get_close_matches(key, sorted(keys), n=1, cutoff=NEAR_MATCH)
    return close[0] if close and not _numbers_differ(key, close[0]) else None


def _numbers_differ(a: str, b: str) -> bool:
    """"HTX … số 1" and "HTX … số 2" are two producers however alike the rest."""
    return re.findall(r"\d+", a) != re.findall(r"\d+", b)


def _commune_of(record: dict) -> Any:
    address = record.get("address")
    return address.get("commune") if isinstance(address, dict) else None


def _communes_differ(u: Row, commune: Any) -> bool:
    """A near name in another commune is another producer ("HTX Nông nghiệp Hữu Liên" in xã Hữu
    Liên, "HTX Nông nghiệp Hữu Lũng" in xã Vân Nham): only a near name in the same commune, or where
    one side has none, is taken for a typo of the other."""
    here = u.where.commune if u.where is not None else None
    return bool(here and isinstance(commune, str) and commune and places.fold(here) != places.fold(commune))


def _same_commune(u: Row, commune: Any) -> bool:
    """The row's commune in force is ``commune`` (both known)."""
    here = u.where.commune if u.where is not None else None
    return bool(here and isinstance(commune, str) and places.fold(here) == places.fold(commune))


def _id_from(text: str, limit: int = ID_MAX) -> str:
    slug = places.slug(text)
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def _unique(base: str, taken: set[str]) -> str:
    rid, n = base, 2
    while rid in taken or RESERVED_ID.fullmatch(rid) or len(rid) < 3:
        suffix = f"-{n}"
        rid, n = base[: ID_MAX - len(suffix)] + suffix, n + 1
    taken.add(rid)
    return rid


def _product_id(u: Row, name_count: dict, taken: set[str]) -> str | None:
    base = _id_from(u.name)
    if not base:
        return None
    if name_count.get((u.folder, places.slug(u.name)), 0) > 1 or base in taken:
        place = None
        if u.where and (u.where.commune or u.where.old_commune):
            place = places.slug(re.sub(r"^(?:xã|phường|thị trấn|đặc khu)\s+", "", (u.where.commune or u.where.old_commune), flags=re.I))
        for extra in filter(None, [place, _id_from(producer_key(u.producer_typed), 20)]):
            candidate = _id_from(f"{base}-{extra}")
            if candidate not in taken:
                return candidate
    return _unique(base, set(taken)) if base in taken or len(base) < 3 else base
