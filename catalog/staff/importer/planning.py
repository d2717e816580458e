"""The plan: :func:`plan` runs the stages in order — reading the annex (:mod:`catalog.staff.annex`),
the decision, its kind and the columns it needs (:mod:`.columns`), which rows are products and what
each says (:mod:`.rows`), the records already there and the producer of each row (:mod:`.match`),
the file each row makes (:mod:`.records`), and what ``ocop validate`` will say about every planned
file (:func:`_validate_plan`) — into a :class:`Plan`. Nothing is written here (:mod:`.write`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...checks.rules import Checked, check_all
from ...records.loader import load_bytes
from ...records.problems import ERROR, Problem, sort_problems
from ...records.schemas import validate_record
from ...reference import places, rulebook
from ...reference.errors import CatalogError
from .. import annex
from .cells import PlannedProducer, _text, month_first, read_date
from .columns import (Columns, Decision, Note, _table, decision_kind, field_words, heading_key, kind_option, kind_table,
                      known_columns, map_columns, normalise_body, read_mapping, read_title, section_of, stars_named)
from .match import NAME_SAME, Existing, existing_records, find_named, match_producer, match_product, same_product_here, _product_id
from .records import Action, _create, _inside, _producer_text, _revoke, _update
from .rows import Bad, Context, ListFacts, Row, Skipped, classify_rows, understand_row


@dataclass
class Plan:
    source: Path
    sheet: annex.Sheet
    columns: Columns
    decision: Decision
    actions: list[Action]
    producers: list[PlannedProducer]
    notes: list[Note]
    skipped: list[Skipped]
    producer_problems: dict[str, list[Problem]] = field(default_factory=dict)
    kind: str = "recognition"
    kind_source: str = "mặc định"
    sheets: list[annex.Sheet] = field(default_factory=list)
    sheet_columns: list[Columns] = field(default_factory=list)  # each sheet's own columns, as ``sheets``

    @property
    def errors(self) -> list[Note]:
        return [n for n in self.notes if n.severity == ERROR]

    @property
    def written(self) -> list[Action]:
        return [a for a in self.actions if a.kind in ("create", "update", "renew", "revoke")]


def _validate_plan(root: Path, existing: list[Checked], files: dict[str, tuple[str, str]], as_of: dt.date,
                   base_url: str | None) -> dict[str, list[Problem]]:
    """What ``ocop validate`` will report on each planned file, with every other record around it."""
    checked = [c for c in existing if c.file not in files]
    problems: list[Problem] = []
    for rel, (kind, text) in sorted(files.items()):
        loaded = load_bytes(text.encode("utf-8"), rel)
        problems.extend(loaded.problems)
        data, schema_ok = None, False
        if loaded.data is not None:
            data, schema_problems = validate_record(kind, loaded)
            problems.extend(schema_problems)
            schema_ok = not schema_problems
        parts = rel.split("/")
        checked.append(Checked(kind, rel, parts[1], Path(rel).stem, loaded, data, schema_ok, root))
    problems.extend(check_all(checked, as_of, base_url))
    out: dict[str, list[Problem]] = {rel: [] for rel in files}
    for p in sort_problems(problems):
        if p.file in out:
            out[p.file].append(p)
    return out


def plan(root: Path, source: Path, mapping_file: Path | None = None, default_province: str | None = None,
         as_of: dt.date | None = None, decision_number: str | None = None, decision_date: str | None = None,
         body: str | None = None, kind: str | None = None) -> Plan:
    """Read ``source`` and plan every record; nothing is written. ``kind``: --kind (see
    :func:`kind_option`), else recognised from the columns and the title."""
    root = Path(root)
    as_of = as_of or dt.date.today()
    mapping = read_mapping(mapping_file) if mapping_file else {}

    # reading the annex: every sheet with a header row, and its columns
    known = set(known_columns()) | {k for k, v in mapping.items() if v}
    sheets = annex.read_sheets(source, lambda text: heading_key(text) in known)
    all_columns = [map_columns(s.header, mapping) for s in sheets]

    # the decision, its kind, the columns it needs (every missing one at once)
    decision = _list_decision(sheets, decision_number, decision_date, body)
    all_fields = {f for c in all_columns for f in c.fields.values()}
    if kind:
        list_kind, kind_source = kind_option(kind), "--kind"
    else:
        list_kind, kind_source = decision_kind([t for sh in sheets for t in sh.title], all_fields)
    sheet_stars = _required_columns(source, sheets, all_columns, list_kind, decision)
    province_arg = None
    if default_province:
        province_arg = places.provinces_by_folder()[places.province_folder(default_province)].name
    list_province = province_arg or decision.province

    # the records already there
    existing = existing_records(root, as_of)
    notes: list[Note] = [Note(0, "", n, "warning") for n in sheets[0].notes]
    if mapping:
        notes.extend(_unused_mapping(mapping, mapping_file, sheets))
    skipped: list[Skipped] = []

    # which rows are products, and what each says
    basis_guess = rulebook.legal_basis_on(decision.date or as_of) or rulebook.legal_basis_codes()[-1]
    col_ofs = [{name: i for i, name in cols.fields.items()} for cols in all_columns]
    product_rows = _product_rows(sheets, all_columns, col_ofs, basis_guess, notes, skipped, sheet_stars)
    facts = ListFacts(list_kind, decision, as_of, basis_guess, list_province, _month_first_columns(product_rows, col_ofs))
    rows, planned_producers = _understand_rows(product_rows, sheets, all_columns, col_ofs, facts, existing, notes)
    # the columns of the first sheet with product rows: what a one-list annex always had. Each row is
    # planned with its own sheet's columns (a workbook with a sheet per star level may name them apart)
    columns = all_columns[product_rows[0][0]] if product_rows else all_columns[0]
    by_sheet = {(sh.sheet if len(sheets) > 1 else None): cols for sh, cols in zip(sheets, all_columns)}

    # each record: create, re-recognise, revoke, update; the new producers the written rows use
    actions = _plan_products(rows, existing, root, notes, by_sheet)
    producers = _used_producers(actions, planned_producers, root, source)

    # what validate will say about every planned file
    producer_problems = _attach_problems(root, existing, actions, producers, as_of)
    order = {(sh.sheet if len(sheets) > 1 else None): i for i, sh in enumerate(sheets)}
    notes.sort(key=lambda n: (order.get(n.sheet, 0), n.row, n.severity != ERROR))
    return Plan(source, sheets[0], columns, decision, actions, producers, notes, skipped, producer_problems, list_kind,
                kind_source, sheets, all_columns)


# --- the decision and the columns ------------------------------------------------------------------


def _list_decision(sheets: list[annex.Sheet], decision_number: str | None, decision_date: str | None,
                   body: str | None) -> Decision:
    """The decision: title block (the first sheet's, then the others' for what it lacks), then the
    options, which win. A column wins for its row (:func:`understand_row`)."""
    decision = read_title(sheets[0].title)
    for other in sheets[1:]:
        more = read_title(other.title)
        for part in ("number", "date", "body"):
            if getattr(decision, part) is None and getattr(more, part) is not None:
                setattr(decision, part, getattr(more, part))
                decision.sources[part] = more.sources[part]
    if decision_number:
        if not re.fullmatch(r"[0-9]{1,5}[A-Za-z]?/(QĐ|QD)-[A-ZĐ0-9-]+", decision_number.strip()):
            raise CatalogError(f"--decision '{decision_number}': viết số quyết định dạng SỐ/QĐ-CƠQUAN, ví dụ 1234/QĐ-UBND")
        decision.number, decision.sources["number"] = decision_number.strip(), "--decision"
    if decision_date:
        reading = read_date(decision_date.strip(), False)
        if reading.date is None:
            raise CatalogError(f"--date '{decision_date}': ghi ngày/tháng/năm, ví dụ 15/08/2025")
        decision.date, decision.sources["date"] = reading.date, "--date"
    if body:
        decision.body, decision.sources["body"] = normalise_body(body), "--body"
        if rulebook.parse_body(decision.body).level is None:
            raise CatalogError(f"--body '{body}': không nhận ra cơ quan (ví dụ: \"UBND tỉnh Lạng Sơn\", "
                               "\"Bộ Nông nghiệp và Môi trường\")")
    return decision


def _required_columns(source: Path, sheets: list[annex.Sheet], all_columns: list[Columns], list_kind: str,
                      decision: Decision) -> list[tuple[int, str] | None]:
    """Every missing column at once, in the officer's words, with what was read (an error); else
    each sheet's stars when no column has them (its name, else the title)."""
    sheet_stars: list[tuple[int, str] | None] = []
    title_stars = stars_named(" ".join(sheets[0].title))
    for sh, cols in zip(sheets, all_columns):
        from_name = stars_named(sh.sheet) if sh.kind == "xlsx" else None
        stars_here = ((from_name, f"tên trang tính '{sh.sheet}'") if from_name else
                      (title_stars, "tiêu đề bảng") if title_stars else None)
        sheet_stars.append(stars_here)
        fields = set(cols.fields.values())
        has_sections = any(section_of(annex._texts(r))[0] for r in sh.rows)
        required = list(kind_table()[list_kind].get("required", _table()["required"]))
        missing = [n for n in required if n not in fields and not (n == "stars" and (stars_here or has_sections))]
        if list_kind == "revocation" and "name" in missing and ({"certificate_number", "id"} & fields):
            missing.remove("name")
        for part, name in (("number", "decision_number"), ("date", "decision_date"), ("body", "deciding_body")):
            if name not in fields and getattr(decision, part) is None:
                missing.append(name)
        if missing:
            options = {"decision_number": "--decision", "decision_date": "--date", "deciding_body": "--body"}
            if list_kind == "revocation":  # a revocation may name its products by certificate alone (above)
                options["name"] = f"hoặc cột {field_words('certificate_number')} (certificate_number)"
            words = "; ".join(f"{field_words(n)} ({n}" + (f", {'' if n == 'name' else 'hoặc '}{options[n]}" if n in options else "")
                              + ")" for n in missing)
            read = ", ".join(f"'{h}'" for h in sh.header if h) or "(không có)"
            where = f"trang tính '{sh.sheet}': " if len(sheets) > 1 else ""
            raise CatalogError(f"{source}: {where}thiếu cột {words}. Các cột đọc được (dòng {sh.header_row}): {read}. "
                               "Dùng --mapping cot.yaml ('Tiêu đề cột: tên trường') cho cột có tên khác")
    return sheet_stars


def _unused_mapping(mapping: dict[str, str | None], mapping_file: Path | None, sheets: list[annex.Sheet]) -> list[Note]:
    """A warning naming the mapping keys that match no column of any sheet."""
    headers = {heading_key(h) for sh in sheets for h in sh.header if h}
    unused = [k for k in mapping if k not in headers]
    if not unused:
        return []
    return [Note(0, "", f"ánh xạ cột trong {mapping_file.name if mapping_file else 'tệp ánh xạ'} không khớp cột nào của bảng: "
                        + ", ".join(f"'{k}'" for k in unused)
                        + " — kiểm tra chính tả tiêu đề cột (so không dấu, không phân biệt hoa thường)", "warning")]


# --- the rows --------------------------------------------------------------------------------------


def _cell(r: annex.Row, i: int | None) -> Any:
    return r.cells[i] if i is not None and i < len(r.cells) else None


def _product_rows(sheets: list[annex.Sheet], all_columns: list[Columns], col_ofs: list[dict[str, int]], basis_guess: str,
                  notes: list[Note], skipped: list[Skipped],
                  sheet_stars: list[tuple[int, str] | None]) -> list[tuple[int, annex.Row, Context]]:
    """Which rows are products, sheet by sheet: (sheet index, row, what the rows above say)."""
    product_rows: list[tuple[int, annex.Row, Context]] = []
    for index, (sh, cols) in enumerate(zip(sheets, all_columns)):
        col_of_s = col_ofs[index]

        def sheet_cell(r: annex.Row, name: str, col_of_s: dict[str, int] = col_of_s) -> Any:
            return _cell(r, col_of_s.get(name))

        found_rows = classify_rows(sh, cols, sheet_cell, basis_guess, notes, skipped, sheet_stars[index],
                                   sh.sheet if len(sheets) > 1 else None, rows_before=len(product_rows))
        product_rows.extend((index, r, ctx) for r, ctx in found_rows)
    return product_rows


def _month_first_columns(product_rows: list[tuple[int, annex.Row, Context]], col_ofs: list[dict[str, int]]) -> dict[str, bool]:
    """Date columns: month first anywhere in the column?"""
    return {name: month_first([r.cells[col_ofs[i][name]] for i, r, _ in product_rows
                               if name in col_ofs[i] and col_ofs[i][name] < len(r.cells)])
            for name in ("decision_date", "valid_until", "revocation_effective")}


def _understand_rows(product_rows: list[tuple[int, annex.Row, Context]], sheets: list[annex.Sheet], all_columns: list[Columns],
                     col_ofs: list[dict[str, int]], facts: ListFacts, existing: Existing,
                     notes: list[Note]) -> tuple[list[Row], dict[tuple[str, str], PlannedProducer]]:
    """Each product row → :class:`Row` with its producer; the producers this run creates."""
    fill_down = sheets[0].kind == "csv"  # CSV saved from a sheet with merged producer cells: the value is only in the first row
    previous: dict[str, Any] = {}  # the product row just above (a merged cell spans adjacent rows only)
    previous_row = -1
    rows: list[Row] = []
    planned_producers: dict[tuple[str, str], PlannedProducer] = {}
    taken_producer_ids = set(existing.producers)
    for index, r, context in product_rows:
        errors_before = len([n for n in notes if n.severity == ERROR])
        bad = Bad(notes, r.number, all_columns[index], sheets[index].sheet if len(sheets) > 1 else None)
        values = {name: _cell(r, i) for name, i in col_ofs[index].items()}
        if fill_down and not _text(values.get("producer")) and _text(previous.get("producer")) and previous_row == r.number - 1:
            for name in ("producer", "certified_address", "phone", "representative"):
                if name in col_ofs[index] and not _text(values.get(name)):
                    values[name] = previous.get(name)
            bad("producer", f"ô trống — lấy '{_text(values['producer'])}' của dòng trên (ô gộp trong Excel); "
                            "nếu không phải, ghi tên chủ thể vào ô này", "warning")
        previous, previous_row = values, r.number
        u = understand_row(r, context, values, facts, bad)
        match_producer(u, values, existing, planned_producers, taken_producer_ids, bad)
        u.ok = len([n for n in notes if n.severity == ERROR]) - errors_before == 0
        rows.append(u)
    return rows, planned_producers


# --- the records -----------------------------------------------------------------------------------


def _plan_products(rows: list[Row], existing: Existing, root: Path, notes: list[Note],
                   columns: dict[str | None, Columns]) -> list[Action]:
    """Products: match existing ones, plan files."""
    taken_ids = set(existing.products)
    name_count: dict[tuple[str, str], int] = {}
    for u in rows:
        if u.folder and u.name:
            k = (u.folder, places.slug(u.name))
            name_count[k] = name_count.get(k, 0) + 1
    seen: dict[str, int] = {}
    actions = [_plan_product(u, existing, root, notes, columns[u.sheet], name_count, taken_ids, seen) for u in rows]
    for action in actions:
        if action.kind == "create" and action.understood is not None:  # updates write files validate found; a new path is made from the sheet
            _inside(root, action.path, "products", action.understood.folder)
    return actions


def _named_otherwise(u: Row, found: Checked, existing: Existing) -> str | None:
    """Why a revocation or re-recognition row found by its id or certificate number must not be
    written: the product name it gives is not this product's (probe, round six: a typo in the number
    of a revocation revoked whichever product held that number, with no word — while a number matching
    no product was an error). None when the row names no product, or this one: the same words, one
    name inside the other ("Hồi khô Văn Quan" in "Hoa hồi khô Văn Quan"), or a spelling this close."""
    typed, ours = heading_key(u.name) if u.name else "", heading_key(found.data.get("name") or "")
    if not typed or not ours:
        return None
    other = next((c for c in existing.products.values() if c is not found and c.folder == found.folder
                  and heading_key(c.data.get("name") or "") == typed), None)
    if other is None and (typed in ours or ours in typed
                          or difflib.SequenceMatcher(None, typed, ours).ratio() >= NAME_SAME):
        return None
    what = "thu hồi" if u.kind == "revocation" else "công nhận lại"
    number = u.old_certificate_number if u.kind == "re-recognition" else u.certificate_number
    named = f" (tên đó là của {other.file})" if other is not None else ""
    return (f"bảng ghi sản phẩm '{u.name}'" + (f" với số GCN {number}" if number else "") + f", nhưng số đó là của "
            f"{found.data.get('name')} ({found.file}){named}: tên và số GCN không cùng một sản phẩm — không {what}. "
            "Kiểm tra lại tên và số GCN của dòng này")


def _plan_product(u: Row, existing: Existing, root: Path, notes: list[Note], columns: Columns,
                  name_count: dict[tuple[str, str], int], taken_ids: set[str], seen: dict[str, int]) -> Action:
    """One row's action: skip (with the reason in ``notes``), revoke, re-recognise, renew or update
    the product it names, or create a new one. ``seen``: product id → the row that took it."""
    if not u.ok:
        return Action(u.row, "skip", u)
    if u.kind in ("revocation", "re-recognition"):
        found = find_named(u, existing)
        if found is None:
            what = "quyết định thu hồi" if u.kind == "revocation" else "quyết định công nhận lại"
            typed = " · ".join(x for x in (f"'{u.name}'" if u.name else "", f"chủ thể '{u.producer_typed}'" if u.producer_typed else "",
                                           f"GCN {u.old_certificate_number or u.certificate_number}"
                                           if (u.old_certificate_number or u.certificate_number) else "") if x)
            notes.append(Note(u.row, "", f"không có hồ sơ sản phẩm {typed} trong products/{u.folder or '?'}/: {what} chỉ áp dụng "
                                         "cho sản phẩm đã có hồ sơ — kiểm tra tên, số GCN, hoặc thêm cột Mã sản phẩm; không tạo "
                                         "sản phẩm mới", sheet=u.sheet))
            return Action(u.row, "skip", u)
        conflict = _named_otherwise(u, found, existing)
        if conflict is not None:
            notes.append(Note(u.row, "", conflict, sheet=u.sheet))
            return Action(u.row, "skip", u)
        if not u.name:
            u.name = str(found.data.get("name") or "")  # a row naming only the certificate: say which product it is
        elif u.stars and found.data.get("certificate", {}).get("stars") not in (None, u.stars) and u.kind == "revocation":
            notes.append(Note(u.row, "", f"bảng ghi {u.stars} sao, hồ sơ {found.file} ghi "
                                         f"{found.data['certificate']['stars']} sao: kiểm tra dòng này có đúng là sản phẩm đó",
                              "warning", u.sheet))
        if _taken(u, found.data["id"], f"cùng sản phẩm {found.file}", seen, notes):
            return Action(u.row, "skip", u)
        if u.kind == "revocation":
            return _revoke(u, found, root, notes)
        return _update(u, found, root, notes, existing.revocation_decisions)
    found = match_product(u, existing)
    if found is None and not u.id:
        found = _same_product_here(u, existing, notes)
    # One decision may recognise some products and revoke others (Điều 1, Điều 2; probe, round six: a
    # mixed decision imported twice, or its annexes in two files, refused every recognition row). A
    # product that decision revoked is refused below (records._renewal_refused); a new product under
    # the number of a revocation on record is written, with a word in case the table was a revocation list.
    revoked_by_it = existing.revocation_decisions.get((u.decision.number or "", u.decision.date.isoformat())) \
        if u.decision.date else None
    if found is None and revoked_by_it:
        notes.append(Note(u.row, "", f"Quyết định {u.decision.number} cũng thu hồi giấy chứng nhận của "
                                     f"{', '.join(sorted(revoked_by_it))}: dòng này được ghi là công nhận một sản phẩm mới. "
                                     "Nếu bảng là danh sách thu hồi, dùng --kind thu-hoi", "warning", u.sheet))
    if found is not None:
        if _taken(u, found.data["id"], f"cùng sản phẩm {found.file}", seen, notes):
            return Action(u.row, "skip", u)
        return _update(u, found, root, notes, existing.revocation_decisions)
    rid = u.id or _product_id(u, name_count, taken_ids)
    if rid is None:
        notes.append(Note(u.row, columns.headings.get("name", ""), f"không tạo được mã hồ sơ từ tên '{u.name}': thêm cột Mã sản phẩm", sheet=u.sheet))
        return Action(u.row, "skip", u)
    if _taken(u, rid, f"cùng mã {rid}", seen, notes):
        return Action(u.row, "skip", u)
    taken_ids.add(rid)
    u.id = rid
    return _create(u, root)


def _same_product_here(u: Row, existing: Existing, notes: list[Note]) -> Checked | None:
    """A row naming a product the province has, in the same commune, by another producer id (probe,
    round seven: an annex shortening the producer's name made a second page for one product). A
    producer plausibly the same: that product, recognised again (said). Else the row is written as a
    new product, with a line naming the record it may duplicate."""
    found, others = same_product_here(u, existing)
    where = u.where.commune if u.where is not None else ""
    if found is not None:
        theirs = (existing.producers.get(found.data.get("producer")) or found).data.get("name")
        notes.append(Note(u.row, "", f"'{u.name}' cùng tên, cùng xã ({where}) với sản phẩm đã có {found.file} của chủ thể "
                                     f"'{theirs}' ('{u.producer_typed}' trong bảng): coi là công nhận lại hồ sơ đó, không tạo "
                                     "sản phẩm mới. Nếu là sản phẩm khác, thêm cột Mã sản phẩm với mã mới", "warning", u.sheet))
        u.producer_id, u.producer_new = found.data.get("producer"), False
    for other in others:
        theirs = (existing.producers.get(other.data.get("producer")) or other).data.get("name")
        notes.append(Note(u.row, "", f"'{u.name}' có thể trùng với sản phẩm đã có {other.file} (chủ thể '{theirs}') "
                                     f"(cùng tên, cùng xã {where}) — nếu là công nhận lại, sửa hồ sơ đó thay vì tạo mới",
                          "warning", u.sheet))
    return found


def _taken(u: Row, rid: str, same: str, seen: dict[str, int], notes: list[Note]) -> bool:
    """Did an earlier row take this product already (then say so)? Else this row takes it."""
    if rid in seen:
        notes.append(Note(u.row, "", f"trùng với dòng {seen[rid]} ({same}): không nhập lần hai", sheet=u.sheet))
        return True
    seen[rid] = u.row
    return False


def _used_producers(actions: list[Action], planned_producers: dict[tuple[str, str], PlannedProducer], root: Path,
                    source: Path) -> list[PlannedProducer]:
    """The new producers that some written row uses, with their paths and files."""
    used = {a.understood.producer_id for a in actions if a.kind in ("create", "update", "renew") and a.understood}
    producers = [p for p in planned_producers.values() if p.id in used]
    for p in producers:
        p.path = root / "producers" / p.folder / f"{p.id}.yaml"
        _inside(root, p.path, "producers", p.folder)
        p.text = _producer_text(p, source.name)
    return producers


def _attach_problems(root: Path, existing: Existing, actions: list[Action], producers: list[PlannedProducer],
                     as_of: dt.date) -> dict[str, list[Problem]]:
    """What validate will say about every planned file: onto each action; the producers' returned."""
    files = {a.rel: ("product", a.text) for a in actions if a.text is not None and a.rel}
    files.update({f"producers/{p.folder}/{p.id}.yaml": ("producer", p.text) for p in producers})
    found_problems = _validate_plan(root, existing.checked, files, as_of, existing.base_url)
    for a in actions:
        if a.rel in found_problems:
            a.problems = found_problems[a.rel]
    return {f"producers/{p.folder}/{p.id}.yaml": found_problems[f"producers/{p.folder}/{p.id}.yaml"] for p in producers}
