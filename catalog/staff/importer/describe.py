"""Describing the plan: the dry run's words — the headline (kind, decision, counts), per row what
was understood and everything still to fill (:func:`describe`), the one-line :func:`summary`, and
the ``--report`` CSV (:func:`write_report`; cells that look like formulas neutralised).
"""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from pathlib import Path

from ...records.problems import ERROR, WARNING, Problem
from ...records.schemas import load_schema, resolve
from ...reference import places, rulebook
from .cells import neutralise, vn_date
from .columns import Note, kind_table, sheet_place
from .planning import Plan
from .rows import SKIP_WORDS_VI, Row


# --- telling the officer ---------------------------------------------------------------------------

TO_FILL = {"missing-field", "empty-field", "product-set-missing"}


@lru_cache(maxsize=None)
def field_title(kind: str, dotted: str) -> str:
    fragment, base = load_schema(f"{kind}.schema.json"), f"{kind}.schema.json"
    for part in dotted.split("."):
        if part.isdigit():
            fragment, base = resolve(fragment.get("items", {}), base)
            continue
        fragment, base = resolve(fragment, base)
        fragment, base = resolve(fragment.get("properties", {}).get(part, {}), base)
    return fragment.get("title", dotted)


def to_fill(problems: list[Problem], kind: str, basis: str | None = None) -> list[str]:
    """'description (Giới thiệu sản phẩm)' for every field validate will say is missing or empty.
    ``basis``: the product's legal basis — under a basis with product sets, a missing group hides
    the set's own check until the group is filled, so the set is named with it (probe, round five:
    CONTRIBUTING.md promises the list validate will give, and product_set came in a second pass)."""
    out = []
    for p in problems:
        if p.code not in TO_FILL:
            continue
        dotted = p.field if p.code != "product-set-missing" else "classification.product_set"
        if p.code == "missing-field" and p.args.get("field"):
            dotted = f"{p.field}.{p.args['field']}" if p.field else str(p.args["field"])
        label = f"{dotted} ({field_title(kind, dotted)})"
        if label not in out:
            out.append(label)
        if dotted == "classification.group" and basis and _needs_set(basis):
            label = f"classification.product_set ({field_title(kind, 'classification.product_set')})"
            if label not in out:
                out.append(label)
    return out


def _needs_set(basis: str) -> bool:
    try:
        return rulebook.legal_basis(basis).taxonomy != "sectors_1048"
    except (KeyError, ValueError):
        return False


def _understood(u: Row) -> str:
    parts = [u.name or "(bảng không ghi tên sản phẩm)"]
    if u.producer_typed:
        who = f"chủ thể {u.producer_typed}"
        if u.producer_id:
            who += f" → {'mới: ' if u.producer_new else ''}{u.producer_id}"
        parts.append(who)
    if u.kind == "revocation":
        d = u.decision
        parts.append(f"THU HỒI theo QĐ {d.number or '?'} ngày {vn_date(d.date)} của {d.body or '?'}"
                     + (f" (từ {', '.join(sorted(set(d.sources.values())))})" if d.sources else ""))
        if u.certificate_number:
            parts.append(f"GCN bị thu hồi {u.certificate_number}")
        parts.append(f"lý do: {u.revocation_reason or '?'}")
        if u.revocation_effective:
            parts.append(f"thu hồi có hiệu lực từ {vn_date(u.revocation_effective)}")
        return " · ".join(parts)
    if u.kind == "re-recognition" and (u.old_certificate_number or u.old_stars):
        parts.append("công nhận lại: GCN đã cấp " + (u.old_certificate_number or "?")
                     + (f", {u.old_stars} sao" if u.old_stars else ""))
    if u.stars:
        parts.append(f"{u.stars} sao" + (f" (từ {u.stars_from})" if u.stars_from else "")
                     + (f", {str(u.score).replace('.', ',')} điểm" if u.score is not None else ""))
    if u.group:
        group = rulebook.group_name(u.group)
        if u.product_set:
            group += f" / {rulebook.product_set_name(u.group, u.product_set)}"
        elif u.set_suggestion:
            group += f" / bộ gợi ý: {u.set_suggestion} ({rulebook.product_set_name(u.group, u.set_suggestion)})"
        parts.append(group)
    d = u.decision
    parts.append(f"QĐ {d.number or '?'} ngày {vn_date(d.date)} của {d.body or '?'}"
                 + (f" (từ {', '.join(sorted(set(d.sources.values())))})" if d.sources else ""))
    if u.certificate_number:
        parts.append(f"GCN {u.certificate_number}")
    if u.valid_until:
        parts.append(f"hiệu lực đến {vn_date(u.valid_until)}")
    if u.phone:
        parts.append(f"ĐT {u.phone}" + (f" ({u.phone_note})" if u.phone_note else ""))
    if u.where:
        if u.where.commune:
            old = f" (từ {u.where.old_commune})" if u.where.old_commune and places.canonical(u.where.old_commune) != places.canonical(u.where.commune) else ""
            parts.append(f"xã hiện nay {u.where.commune}{old}")
        elif u.where.candidates:
            parts.append(f"xã hiện nay: một trong {', '.join(u.where.candidates)}")
        if u.where.printed_province and u.where.printed_province != u.province:
            parts.append(f"địa chỉ trên giấy: tỉnh {u.where.printed_province} (nay là {u.province})")
        if u.address_from_producer:
            parts.append(f"địa chỉ tách từ ô chủ thể: {u.where.text}")
    if u.note:
        parts.append(f"ghi chú: {u.note}")
    return " · ".join(parts)


def _rel(path: Path | None, root: Path) -> str:
    if path is None:
        return ""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _ranges(numbers: list[int]) -> str:
    out, start, prev = [], None, None
    for n in sorted(numbers):
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            out.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = n
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(out)


def describe(p: Plan, root: Path) -> list[str]:
    """What the dry run prints: the list read, one block per row, producers, what was skipped."""
    lines: list[str] = [headline(p)]
    sheet = p.sheet
    sheets = p.sheets or [sheet]
    several = len(sheets) > 1
    for sh in sheets:
        if sh.kind == "docx":
            where = f"{sh.sheet} của tệp Word"
        else:
            where = f"trang tính '{sh.sheet}'" if sh.sheet else f"tệp CSV ({sh.encoding})"
        if sh.header_rows == 0:  # a Word table cut at a page break (catalog/staff/annex.py _continues)
            lines.append(f"Đọc {p.source.name}: {where}, không có dòng tiêu đề cột: đọc tiếp bảng trước (cùng các cột).")
            continue
        rows = f"dòng {sh.header_row}" if sh.header_rows == 1 else f"hai dòng {sh.header_row}–{sh.header_row + 1} (ghép)"
        lines.append(f"Đọc {p.source.name}: {where}, tiêu đề cột ở {rows}.")
    d = p.decision
    known = [f"số {d.number}" if d.number else "", f"ngày {vn_date(d.date)}" if d.date else "", f"của {d.body}" if d.body else ""]
    if any(known):
        lines.append(f"Quyết định (từ {', '.join(sorted(set(d.sources.values())))}): {' '.join(k for k in known if k)}"
                     + ("" if d.number and d.date else "; phần còn thiếu lấy theo từng dòng") + ".")
    for n in p.notes:
        if n.row == 0:  # the table's own: named as the summary counts it (re-probe, round five)
            word = "Lỗi" if n.severity == ERROR else "Cảnh báo" if n.severity == "warning" else "Lưu ý"
            lines.append(f"{word}: {n.message}")
    by_row: dict[tuple[str | None, int], list[Note]] = {}
    for n in p.notes:
        if n.row:
            by_row.setdefault((n.sheet, n.row), []).append(n)
    actions = {(a.sheet, a.row): a for a in p.actions}
    order = {(sh.sheet if several else None): i for i, sh in enumerate(sheets)}
    for key in sorted(set(actions) | set(by_row), key=lambda k: (order.get(k[0], 0), k[1])):
        a = actions.get(key)
        if a is None:
            for n in by_row.get(key, []):
                lines.append(f"{n} [{'lỗi' if n.severity == ERROR else 'cảnh báo'}]")
            continue
        rel = _rel(a.path, root)
        head = {"create": f"tạo mới {rel}", "update": f"cập nhật {rel}", "renew": f"công nhận lại {rel}",
                "revoke": f"thu hồi giấy chứng nhận {rel}",
                "unchanged": f"không thay đổi ({rel})", "skip": "KHÔNG GHI (có lỗi)"}[a.kind]
        lines.append(f"{sheet_place(key[0])}, dòng {key[1]}: {head}" if key[0] else f"Dòng {key[1]}: {head}")
        if a.understood:
            lines.append(f"    hiểu là: {_understood(a.understood)}")
        for change in a.changes:
            lines.append(f"    thay đổi: {change}")
        for n in by_row.get(key, []):
            lines.append(f"    {'lỗi' if n.severity == ERROR else 'cảnh báo'}: "
                         + (f"cột '{n.column}': " if n.column else "") + n.message)
        fill = to_fill(a.problems, "product", a.understood.legal_basis if a.understood else None)
        if fill:
            lines.append("    cần bổ sung: " + "; ".join(fill))
        for prob in a.problems:
            if prob.code not in TO_FILL:
                lines.append(f"    validate sẽ báo: {prob.field}: {prob.message()} [{prob.code}]")
    for pr in p.producers:
        rel = f"producers/{pr.folder}/{pr.id}.yaml"
        spellings = " / ".join(dict.fromkeys(pr.names))
        lines.append(f"Chủ thể mới {rel}: {pr.name} (dòng {_ranges(pr.rows)}; tên trong bảng: {spellings})")
        problems = p.producer_problems.get(rel, [])
        fill = to_fill(problems, "producer")
        if fill:
            lines.append("    cần bổ sung: " + "; ".join(fill))
        for prob in problems:
            if prob.code not in TO_FILL:
                lines.append(f"    validate sẽ báo: {prob.field}: {prob.message()} [{prob.code}]")
    for sh in sheets:
        name = sh.sheet if several else None
        groups: dict[str, list[int]] = {}
        for s in p.skipped:
            if s.kind in SKIP_WORDS_VI and s.sheet == name:
                groups.setdefault(s.kind, []).append(s.row)
        if groups:
            lines.append("Bỏ qua" + (f" ở {sheet_place(name, lower=True)}" if name else "") + " (không phải dòng sản phẩm): "
                         + "; ".join(f"{SKIP_WORDS_VI[k]} dòng {_ranges(v)}" for k, v in groups.items()) + ".")
    per_sheet = list(zip(p.sheets, p.sheet_columns)) if len(p.sheet_columns) > 1 else []
    if per_sheet and len({tuple(c.ignored) for _, c in per_sheet}) > 1:  # sheets that differ: each its own line
        for sh, cols in per_sheet:
            if cols.ignored:
                lines.append(f"Các cột không dùng ở {sheet_place(sh.sheet or '', lower=True)}: " + ", ".join(cols.ignored))
    elif p.columns.ignored:
        lines.append("Các cột không dùng: " + ", ".join(p.columns.ignored))
    return lines


def headline(p: Plan) -> str:
    """The dry run's first line: which decision, how many products ('Quyết định thu hồi 2210/QĐ-UBND
    ngày 03/11/2025 của UBND tỉnh Lạng Sơn: 2 sản phẩm')."""
    d = p.decision
    words = kind_table()[p.kind]["words"]
    named = " ".join(x for x in (d.number or "", f"ngày {vn_date(d.date)}" if d.date else "", f"của {d.body}" if d.body else "") if x)
    count = f"{len(p.actions)} sản phẩm"
    if p.kind == "mixed":
        kinds = {k: sum(1 for a in p.actions if a.understood and a.understood.kind == k)
                 for k in ("recognition", "re-recognition", "revocation")}
        count += " (" + ", ".join(f"{n} {kind_table()[k]['words'].removeprefix('Quyết định ')}" for k, n in kinds.items() if n) + ")"
    why = (f"nhận ra từ {p.kind_source}" if p.kind_source != "mặc định"
           else "tiêu đề bảng và các cột không nói rõ loại quyết định: coi là công nhận")
    return f"{words}{' ' + named if named else ''}: {count} ({why}; đổi bằng --kind)."


def summary(p: Plan) -> str:
    count = {k: sum(a.kind == k for a in p.actions) for k in ("create", "renew", "update", "unchanged", "skip", "revoke")}
    fill = sum(len(to_fill(a.problems, "product")) for a in p.written) + sum(
        len(to_fill(v, "producer")) for v in p.producer_problems.values())
    warnings = sum(n.severity != ERROR for n in p.notes)
    revoked = f"{count['revoke']} thu hồi, " if count["revoke"] else ""
    # the errors validate will give the files written (listed under their rows as "validate sẽ báo"): the
    # officer reads this line first (probe, round six: "0 lỗi" above a record validate then refused)
    # and, a number of their own, the warnings it will give them (round seven: a written record that
    # validate then warned of — a body of another province, a level unusual on its date — was not counted)
    said = [prob for a in p.written for prob in a.problems if prob.code not in TO_FILL] + [
        prob for problems in p.producer_problems.values() for prob in problems if prob.code not in TO_FILL]
    later = [f"{n} {word}" for n, word in ((sum(prob.severity == ERROR for prob in said), "lỗi"),
                                           (sum(prob.severity == WARNING for prob in said), "cảnh báo")) if n]
    then = f" (và {', '.join(later)} validate sẽ báo ở hồ sơ ghi ra: xem 'validate sẽ báo' ở trên)" if later else ""
    return (f"{len(p.actions)} dòng sản phẩm: {count['create']} tạo mới, {count['renew']} công nhận lại, {revoked}{count['update']} cập nhật, "
            f"{count['unchanged']} không đổi, {count['skip']} không ghi vì lỗi; {len(p.producers)} chủ thể mới; "
            f"{fill} trường cần bổ sung; {len(p.errors)} lỗi, {warnings} cảnh báo{then}.")


def write_report(p: Plan, root: Path, path: Path) -> None:
    """One line per row for Excel (UTF-8 with BOM, ';'), every cell neutralised against formulas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Dòng", "Việc", "Tệp", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Quyết định", "Ngày", "Xã hiện nay",
                     "Cần bổ sung", "Lỗi, cảnh báo"])
    notes: dict[int, list[str]] = {}
    for n in p.notes:
        notes.setdefault(n.row, []).append(n.message)
    for a in p.actions:
        u = a.understood
        writer.writerow([neutralise(v) for v in (
            a.row, a.kind, _rel(a.path, root), u.name if u else "", u.producer_typed if u else "", u.stars if u else "",
            u.decision.number if u else "", vn_date(u.decision.date) if u else "",
            (u.where.commune if u and u.where else "") or "", "; ".join(to_fill(a.problems, "product")),
            " | ".join(notes.get(a.row, [])))])
    path.write_text(out.getvalue(), encoding="utf-8-sig", newline="")

