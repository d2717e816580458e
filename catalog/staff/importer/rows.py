"""Understanding each row: which rows below the header are products (:func:`classify_rows`: the
title block, blank rows, column numbers, group and section headings, totals, the signature block,
repeated headers, hidden rows and continuations are skipped and named), and what one product row
says (:func:`understand_row` → :class:`Row`, split along the parts of a row: its kind, decision,
certificate, classification, place, phone and id). Every problem becomes a :class:`Note` through
:class:`Bad`. Matching the row to records already there is :mod:`.match`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ...checks.rules import RESERVED_ID
from ...records.problems import ERROR
from ...reference import places, rulebook
from .. import annex
from .cells import (ID_MAX, ID_PATTERN, Where, _drop_address_prefix, _group_by_name, _taxonomy_for,
                    _text, _where, group_heading, looks_like_formula, parse_phone, parse_score, parse_stars, read_date,
                    split_producer, suggest_set, vn_date)
from .columns import (_NUMBER, Columns, _current_province, Decision, Note, _decision_number, field_words, heading_key, normalise_body,
                      row_kind_of, section_of)


# --- the plan --------------------------------------------------------------------------------------


@dataclass
class Row:
    """What one product row was understood to say."""

    row: int
    name: str
    producer_typed: str
    producer_id: str | None = None
    producer_new: bool = False
    producer_note: str | None = None
    stars: int | None = None
    score: float | None = None
    group: str | None = None
    product_set: str | None = None
    set_suggestion: str | None = None
    legal_basis: str | None = None
    decision: Decision = field(default_factory=Decision)
    certificate_number: str | None = None
    valid_until: dt.date | None = None
    phone: str | None = None
    phone_note: str | None = None
    where: Where | None = None
    province: str | None = None  # in force: "Lạng Sơn"
    folder: str | None = None
    id: str | None = None
    description: str | None = None
    note: str | None = None
    representative: str | None = None
    ok: bool = True  # no error on the row
    sheet: str | None = None  # the sheet's name when the file has several lists
    kind: str = "recognition"  # recognition | re-recognition | revocation
    stars_from: str | None = None  # where the stars came from when no column had them
    old_certificate_number: str | None = None
    old_stars: int | None = None
    # what the note or "Hình thức" column says of the stars: (column heading, word, as typed, "nang hang" |
    # "giu hang" | "ha hang"), checked against the old stars here or, when the table has none, the record's
    stars_said: list[tuple[str, str, str, str]] = field(default_factory=list)
    revocation_reason: str | None = None
    revocation_effective: dt.date | None = None
    address_from_producer: bool = False  # the address was split off the producer cell


@dataclass
class Skipped:
    row: int
    kind: str  # title | numbering | group | blank | total | signature | header | hidden | no-name | continuation | continued | footnote | none
    text: str
    sheet: str | None = None


SKIP_WORDS_VI = {"numbering": "hàng số thứ tự cột", "group": "tiêu đề nhóm", "blank": "dòng trống",
                 "total": "dòng tổng cộng", "signature": "phần chữ ký", "header": "tiêu đề cột lặp lại",
                 "continuation": "dòng nối tiếp (ô tên gộp) đã ghép vào dòng trên",
                 "continued": "dòng nối tiếp (không số thứ tự, ô tên trống hoặc lặp lại) đã ghép vào dòng trên",
                 "footnote": "ghi chú dưới bảng", "none": "dòng ghi không có sản phẩm"}



def _skip_kind(texts: list[str], stt: Any, name: Any, header_keys: list[str], basis: str) -> str | None:
    if not texts:
        return "blank"
    joined = heading_key(" ".join(texts))
    if all(re.fullmatch(r"\(?\d{1,2}\)?", t) for t in texts) and len(texts) >= 3:
        return "numbering"
    if [heading_key(t) for t in texts] == [k for k in header_keys if k][:len(texts)] and len(texts) >= 3:
        return "header"
    if re.match(r"^(?:tong cong|tong so|cong|tong)\b", joined):
        return "total"
    numbered = isinstance(stt, (int, float)) and not isinstance(stt, bool)
    # a footnote under the table ("Ghi chú: …", "(*) Sản phẩm tiềm năng 5 sao …"), or the one row of a
    # star level without products ("Không có sản phẩm"): neither is a product nor worth a warning
    if not numbered and (re.match(r"^(?:ghi chu|chu thich|chu y|luu y)\b", joined) or texts[0].lstrip().startswith("(*)")):
        return "footnote"
    if not numbered and re.fullmatch(r"(?:khong co|chua co)(?: san pham(?: nao)?)?(?: \w+ sao)?", heading_key(_text(name) or "")):
        return "none"
    if re.search(r"\b(?:kt chu tich|tm uy ban nhan dan|tm ubnd|pho chu tich|chu tich|noi nhan|nguoi lap bieu|da ky|giam doc)\b",
                 joined) and not isinstance(stt, (int, float)):
        return "signature"
    stt_text = _text(stt) or ""
    if re.fullmatch(r"[IVXLC]+\.?|[A-D]\.?", stt_text) or (len(texts) <= 2 and any(group_heading(t, basis) for t in texts)):
        return "group"
    if not isinstance(stt, (int, float)) and section_of(texts) != (None, None):
        return "group"
    if not _text(name):
        return "no-name"
    return None


def _joined(previous: annex.Row, r: annex.Row) -> annex.Row:
    """``previous`` with the cells of ``r``, the row that continues it, as their next lines. A cell merged
    from above, empty, or repeating the cell above adds nothing."""
    joined = list(previous.cells) + [None] * max(0, len(r.cells) - len(previous.cells))
    for i, value in enumerate(r.cells):
        before = joined[i]
        if i in r.merged or value in (None, "") or _text(value) == _text(before):
            continue
        # the next line of the same cell: a producer's address below its name splits as in one
        # cell with a line break (probe, round six: joined by a space, the hamlet and commune
        # became part of the producer's name); a name's or an address's lines are joined by _text
        joined[i] = value if before in (None, "") else f"{before}\n{value}"
    return annex.Row(previous.number, joined, previous.hidden, previous.merged)


# A row that continues the product above gives none of these of its own: a row that does is another product.
OWN_FIELDS = ("certificate_number", "old_certificate_number", "id", "stars", "score", "decision_number")


def _continues_above(r: annex.Row, above: annex.Row, kind: str | None, cell, has_stt: bool) -> bool:
    """Is ``r`` the next line of the product row ``above`` although no cell is merged (round seven: a
    Word table typed with the producer's address in the row below, its name and STT cells left empty
    or the name typed again, was "a row without a product name", and the address was lost)? Only a
    row with no STT, no name or the name above again (then only where the table has an STT column:
    without one, two products of one name may follow each other), and nothing that names a product
    of its own (a certificate number, stars, score, id, decision); a footnote, a total, a signature
    or a section row is not (``kind`` from :func:`_skip_kind`)."""
    if _text(cell(r, "stt")):
        return False
    name = _text(cell(r, "name"))
    if kind == "no-name":
        pass
    elif kind is None and name and has_stt and heading_key(name) == heading_key(_text(cell(above, "name")) or ""):
        pass
    else:
        return False
    return all(not _text(cell(r, f)) or _text(cell(r, f)) == _text(cell(above, f)) for f in OWN_FIELDS)


@dataclass
class Context:
    """What the rows above a product row say about it: group, stars, kind (section rows)."""

    group: str | None = None
    stars: int | None = None
    stars_from: str | None = None
    kind: str | None = None


def classify_rows(sheet: annex.Sheet, columns: Columns, cell, basis: str, notes: list[Note],
                  skipped: list[Skipped], sheet_stars: tuple[int, str] | None = None,
                  sheet_name: str | None = None, rows_before: int = 0) -> list[tuple[annex.Row, Context]]:
    """The product rows below the header, each with what its section rows named (group, stars,
    kind); every other row (hidden, blank, numbering, group, total, signature, repeated header, no
    name, continuation) into ``skipped``."""
    header_keys = [heading_key(h) for h in sheet.header]
    name_column = next((i for i, f in columns.fields.items() if f == "name"), None)
    has_stt = "stt" in columns.fields.values()
    product_rows: list[tuple[annex.Row, Context]] = []
    now = Context(stars=sheet_stars[0] if sheet_stars else None, stars_from=sheet_stars[1] if sheet_stars else None)
    after_signature = False
    total_claimed: tuple[int, int] | None = None
    follows_product = False  # the row above was a product row (or its continuation)
    for r in sheet.rows:
        texts = annex._texts(r)
        if r.hidden and texts:
            how, undo = (("chữ của dòng bị ẩn trong Word (Font → Hidden)", "bỏ ẩn chữ") if sheet.kind == "docx"
                         else ("dòng bị ẩn trong Excel", "bỏ ẩn dòng"))
            notes.append(Note(r.number, "", f"{how}, không nhập ('{' | '.join(texts)[:120]}'): "
                                            "bản in của phụ lục không có dòng này. Nếu đó là sản phẩm được công nhận, "
                                            f"{undo} rồi chạy lại", "warning", sheet_name))
            skipped.append(Skipped(r.number, "hidden", " | ".join(texts), sheet_name))
            follows_product = False
            continue
        if (name_column is not None and name_column in r.merged and product_rows and follows_product and texts
                and cell(r, "name") == cell(product_rows[-1][0], "name")):
            product_rows[-1] = (_joined(product_rows[-1][0], r), product_rows[-1][1])
            skipped.append(Skipped(r.number, "continuation", " | ".join(texts), sheet_name))
            continue
        kind = "signature" if after_signature and texts else _skip_kind(texts, cell(r, "stt"), cell(r, "name"), header_keys, basis)
        if product_rows and follows_product and _continues_above(r, product_rows[-1][0], kind, cell, has_stt):
            product_rows[-1] = (_joined(product_rows[-1][0], r), product_rows[-1][1])
            skipped.append(Skipped(r.number, "continued", " | ".join(texts), sheet_name))
            continue
        if kind == "no-name" and any(_text(cell(r, f)) for f in ("certificate_number", "old_certificate_number", "id")):
            kind = None  # named by its certificate (a revocation annex lists only the numbers): the row says which
        follows_product = kind is None
        if kind == "signature":
            after_signature = True
        if kind == "group":
            named = next((g for t in texts if (g := group_heading(t, basis))), None)
            if named:
                now = Context(named, now.stars, now.stars_from, now.kind)
            stars, section_kind = section_of(texts)
            if stars:
                now = Context(now.group, stars, f"dòng tiêu đề mục {r.number}", now.kind)
            if section_kind:
                now = Context(now.group, now.stars, now.stars_from, section_kind)
        if kind == "total":
            m = re.search(r"(\d+)", " ".join(texts))
            if m:
                total_claimed = (r.number, int(m.group(1)))
        if kind == "no-name":
            notes.append(Note(r.number, columns.headings.get("name", ""),
                              f"dòng không có tên sản phẩm, không nhập ('{' | '.join(texts)[:120]}')", "warning", sheet_name))
        if kind is not None:
            skipped.append(Skipped(r.number, kind, " | ".join(texts), sheet_name))
            continue
        for column, formula in sorted(r.formulas.items()):
            if columns.fields.get(column) not in (None, "stt"):  # a numbering formula (=A5+1) imports nothing
                value = r.cells[column] if column < len(r.cells) else None
                notes.append(Note(r.number, columns.headings.get(columns.fields[column], ""),
                                  f"ô {annex._cell_name(r.number, column)} là công thức ({formula}): giá trị lưu trong tệp "
                                  f"là '{'' if value is None else value}', nhưng Excel tính lại khi mở và có thể hiện số khác. "
                                  "Đối chiếu với bản đã ký; chọn cả bảng → Sao chép → Dán giá trị, lưu rồi nhập lại",
                                  "warning", sheet_name))
        product_rows.append((r, now))
    # the total under the last sheet may count the whole list ("Tổng cộng: 3" after the 4-star sheet of
    # a list with 2 three-star products): ``rows_before`` are the product rows of the sheets before
    counted = {len(product_rows), rows_before + len(product_rows)}
    if total_claimed and total_claimed[1] not in counted:
        notes.append(Note(total_claimed[0], "", f"dòng tổng cộng ghi {total_claimed[1]} sản phẩm, nhưng bảng có "
                                                 f"{len(product_rows)} dòng sản phẩm: kiểm tra dòng thiếu hoặc dòng bị ẩn", "warning",
                          sheet_name))
    return product_rows



# --- one product row: what its cells say ----------------------------------------------------------


@dataclass
class Bad:
    """Says something about one row: ``bad(field, message, severity)`` adds a :class:`Note` naming
    the row, its sheet and the heading of the field's column."""

    notes: list[Note]
    row: int
    columns: Columns
    sheet: str | None

    def __call__(self, name: str, message: str, severity: str = ERROR) -> None:
        self.notes.append(Note(self.row, self.columns.headings.get(name, ""), message, severity, self.sheet))

    def said(self, name: str) -> bool:
        """Is there a note on this row's cell of ``name`` already?"""
        return any(n.row == self.row and n.sheet == self.sheet and n.column == self.columns.headings.get(name)
                   for n in self.notes)


@dataclass
class ListFacts:
    """What every row of the list shares: its kind, the decision of its title block and options,
    the day of the run, the legal basis guessed from the decision's date, its province, and which
    date columns are month first."""

    kind: str
    decision: Decision
    as_of: dt.date
    basis_guess: str
    province: str | None
    month_first: dict[str, bool]


# a footnote mark at the end of a name: (*), (**), *, ¹ ², (1) — "(1)" only in brackets
_FOOTNOTE_MARK = re.compile(r"\s*(?:\(\*{1,3}\)|\*{1,3}|[¹²³]+|\(\d\))\s*$")


def understand_row(r: annex.Row, context: Context, values: dict[str, Any], facts: ListFacts, bad: Bad) -> Row:
    """One product row's cells → :class:`Row`; every problem goes through ``bad``. ``values``
    (field → cell) gets the phone split off the producer cell. The producer is matched after
    this (:func:`catalog.staff.importer.match.match_producer`)."""
    for name in ("name", "producer", "certified_address", "description", "representative", "certificate_number"):
        text = _text(values.get(name))
        if text and looks_like_formula(text):
            bad(name, f"'{text[:60]}' bắt đầu như một công thức Excel ({text[0]!r}): ghi giá trị, không ghi công thức")
    producer_name, producer_address, producer_phone = split_producer(values.get("producer"))
    name = _name_cell(values.get("name"), bad)
    marker = _FOOTNOTE_MARK.search(name)
    if marker and marker.start() > 0:
        # "Miến dong Bình Gia (*)": the mark points at a note under the table ("(*) tiềm năng 5 sao"),
        # it is not part of the name the certificate prints
        bad("name", f"bỏ dấu chú thích '{marker.group().strip()}' ở cuối tên (xem ghi chú dưới bảng): tên là '{name[:marker.start()]}'",
            "warning")
        name = name[:marker.start()]
    u = Row(r.number, name, producer_name or "")
    u.sheet = bad.sheet
    u.kind = _row_kind(values, facts.kind, context, bad)
    _row_decision(u, values, facts, bad)
    basis = u.legal_basis or facts.basis_guess
    _row_certificate(u, values, context, facts, bad)
    _row_classification(u, values, basis, context.group, bad)
    _row_where(u, values, producer_address, facts.province, bad)
    _row_phone(u, values, producer_phone, bad)
    u.description = _text(values.get("description"))
    u.note = _text(values.get("note"))
    u.representative = _text(values.get("representative"))
    if typed_id := _text(values.get("id")):
        if (not ID_PATTERN.fullmatch(typed_id) or not 3 <= len(typed_id) <= ID_MAX or RESERVED_ID.fullmatch(typed_id)):
            bad("id", f"'{typed_id[:80]}' không phải mã hồ sơ: chỉ chữ thường không dấu, chữ số và dấu gạch ngang, "
                      f"3–{ID_MAX} ký tự (ví dụ mat-ong-bac-ha); bỏ trống để máy tạo từ tên")
        else:
            u.id = typed_id
    if not u.name and not (u.kind in ("revocation", "re-recognition") and (u.certificate_number or u.old_certificate_number or u.id)):
        bad("name", "thiếu tên sản phẩm")
    if not u.producer_typed and u.kind == "recognition":
        bad("producer", "thiếu chủ thể sản xuất")
    return u


def _row_kind(values: dict[str, Any], list_kind: str, context: Context, bad: Bad) -> str:
    """The kind of this row: the list's, or in a mixed list its own column, section or cells."""
    if list_kind != "mixed":
        return list_kind
    typed_kind = _text(values.get("row_kind"))
    named_kind = row_kind_of(typed_kind) if typed_kind else None
    if typed_kind and named_kind is None:
        bad("row_kind", f"'{typed_kind}' không phải hình thức (ghi: Công nhận mới; Công nhận lại, Nâng hạng, Giữ hạng, "
                        "Hạ hạng; hoặc Thu hồi)")
    return (named_kind or context.kind
            or ("revocation" if _text(values.get("revocation_reason")) else None)
            or ("re-recognition" if _text(values.get("old_certificate_number")) or _text(values.get("old_stars")) else None)
            or "recognition")


def _date_cell(name: str, raw: Any, facts: ListFacts, bad: Bad) -> Any:
    """A date cell read the way the list writes its dates (``facts.month_first``); its error or
    warning said on the row. Returns the reading (``.date`` None when unreadable)."""
    reading = read_date(raw, facts.month_first[name])
    if reading.error:
        bad(name, reading.error)
    elif reading.warning:
        bad(name, reading.warning, "warning")
    return reading


def _row_decision(u: Row, values: dict[str, Any], facts: ListFacts, bad: Bad) -> None:
    """The decision of this row (the list's, or its own columns) and its legal basis."""
    decision = facts.decision
    u.decision = Decision(decision.number, decision.date, decision.body, dict(decision.sources))
    if (number := _text(values.get("decision_number"))) and number != decision.number:
        m = _NUMBER.search(f"QĐ {number}") if not re.match(r"^\d", number) else None
        typed = _decision_number(m.group(1)) if m else re.sub(r"\s+", "", number)
        if not re.fullmatch(r"[0-9]{1,5}[A-Za-z]?/(QĐ|QD)-[A-ZĐ0-9-]+", typed):
            bad("decision_number", f"'{number}' không phải số quyết định (ví dụ 1234/QĐ-UBND)")
        u.decision.number, u.decision.sources["number"] = typed, "cột"
    raw_date = values.get("decision_date")
    if raw_date not in (None, ""):
        reading = _date_cell("decision_date", raw_date, facts, bad)
        if reading.date and reading.date != decision.date:
            if decision.date and not _text(values.get("decision_number")) and decision.sources.get("date"):
                bad("decision_date", f"{vn_date(reading.date)} khác ngày của Quyết định {decision.number} "
                                     f"({vn_date(decision.date)}, {decision.sources['date']}): sửa ô này hoặc tiêu đề")
            u.decision.date, u.decision.sources["date"] = reading.date, "cột"
    if (body_text := _text(values.get("deciding_body"))) and normalise_body(body_text) != decision.body:
        u.decision.body, u.decision.sources["body"] = normalise_body(body_text), "cột"
    for part, name in (("number", "decision_number"), ("date", "decision_date"), ("body", "deciding_body")):
        if getattr(u.decision, part) is None and not bad.said(name):
            bad(name, f"thiếu {field_words(name).lower()} (không có trong cột, tiêu đề bảng hay tuỳ chọn "
                      f"{ {'number': '--decision', 'date': '--date', 'body': '--body'}[part]})")
    if u.decision.date and u.decision.date > facts.as_of:
        bad("decision_date", f"ngày quyết định {vn_date(u.decision.date)} chưa tới (hôm nay {vn_date(facts.as_of)})")
    u.legal_basis = _text(values.get("legal_basis"))
    if u.legal_basis and u.legal_basis not in rulebook.legal_basis_codes():
        bad("legal_basis", f"'{u.legal_basis}' không phải bộ tiêu chí ({', '.join(rulebook.legal_basis_codes())})")
        u.legal_basis = None
    if not u.legal_basis and u.decision.date:
        u.legal_basis = rulebook.legal_basis_on(u.decision.date)


def _row_certificate(u: Row, values: dict[str, Any], context: Context, facts: ListFacts, bad: Bad) -> None:
    """Stars, score, certificate, validity (a revocation carries none of them but the certificate
    number; a re-recognition also the old certificate)."""
    u.certificate_number = certificate_number_cell(values.get("certificate_number"))
    if u.kind == "revocation":
        u.revocation_reason = _text(values.get("revocation_reason"))
        if not u.revocation_reason or len(u.revocation_reason) < 3:
            bad("revocation_reason", "thiếu lý do thu hồi (ghi như trong quyết định, ví dụ: Chủ thể không duy trì "
                                     "chất lượng sản phẩm)")
        raw_effective = values.get("revocation_effective")
        if raw_effective not in (None, ""):
            u.revocation_effective = _date_cell("revocation_effective", raw_effective, facts, bad).date
        said = next((values.get(k) for k in ("stars", "old_stars") if _text(values.get(k))), None)
        if said is not None:  # only compared with the record's (planning: a second sign of the wrong row)
            try:  # "Hạng sao" or "Hạng sao đã công nhận" (the header of a revocation list: re-probe, round six)
                u.stars = parse_stars(said)
            except ValueError:
                pass
    elif _text(values.get("stars")) is None and context.stars:
        u.stars, u.stars_from = context.stars, context.stars_from
    else:
        try:
            u.stars = parse_stars(values.get("stars"))
            if u.stars not in rulebook.rules()["certified_stars"]:
                bad("stars", f"'{_text(values.get('stars'))}': chỉ sản phẩm 3, 4 hoặc 5 sao được cấp giấy chứng nhận")
            elif context.stars and u.stars != context.stars:  # one of the two is a typo (probe, round five)
                bad("stars", f"'{_text(values.get('stars'))}' nhưng {context.stars_from} ghi {context.stars} sao: ghi {u.stars} sao "
                             "theo cột này — kiểm tra lại với quyết định", "warning")
        except ValueError:
            bad("stars", f"'{_text(values.get('stars')) or ''}' không phải hạng sao (ghi 3, 4 hoặc 5; '4 sao', '4★' cũng được)")
    if u.kind == "re-recognition":
        _row_old_certificate(u, values, bad)
    if u.kind != "revocation":
        try:
            u.score = parse_score(values.get("score"))
        except ValueError as exc:
            bad("score", f"'{exc}' không phải số điểm (ví dụ 78,5)")
    raw_until = values.get("valid_until")
    if u.kind == "revocation":
        pass
    elif raw_until not in (None, ""):
        u.valid_until = _date_cell("valid_until", raw_until, facts, bad).date
    elif u.decision.date:
        u.valid_until = rulebook.expected_valid_until(u.decision.date)


# "Số 126/GCN-UBND", "GCN số 127/GCN-UBND", "Giấy chứng nhận số: 128/…" (probe, round six: the last two were
# quoted back as 'GCNsố127/GCN-UBND' and matched no product)
_NUMBER_WORD = re.compile(r"^(?:(?:giấy chứng nhận|gcn)(?:\s*ocop)?\s*)?(?:số|so|no\.?)?\s*[:.]?\s*(?=\d)", re.IGNORECASE)
# a list mark at the start of a line of a name cell ("• Mật ong …", "- Chai 500 ml"), a typed number ("1. ")
_BULLET = re.compile(r"^[•◦▪‣●○■□·*+\-–—]+\s*")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")


def _name_cell(value: Any, bad: Bad) -> str:
    """A product name as its cell holds it, without a list mark in front, and without the lines listed
    under it ("Rượu ngô Thanh Vân:⏎- Chai 500 ml⏎- Bình 2 lít": the packs, not the name) — probe, round six:
    both went into the name, its page and its id."""
    if not isinstance(value, str):
        return _text(value) or ""
    lines = [line.strip() for line in re.split(r"[\r\n]+", value) if line.strip()]
    if not lines:
        return ""
    listed = [line for line in lines[1:] if _BULLET.match(line)]
    first = _NUMBERED.sub("", _BULLET.sub("", lines[0]))  # "1. Bánh …" typed into the name (re-probe, round six)
    if not listed:
        return _text(" ".join([first] + lines[1:])) or ""
    name = (_text(" ".join([first] + [line for line in lines[1:] if not _BULLET.match(line)])) or "").rstrip(" :")
    bad("name", f"các dòng liệt kê dưới tên ({'; '.join(_BULLET.sub('', line) for line in listed)[:120]}) không đưa vào "
                f"tên sản phẩm '{name}': ghi vào mô tả hoặc quy cách đóng gói", "warning")
    return name


def certificate_number_cell(value: Any) -> str | None:
    """A certificate number as the cell holds it, without spaces and without a leading "Số" ("Số
    126/GCN-UBND" is 126/GCN-UBND; probe, round five: it was refused and quoted as 'Số126/GCN-UBND')."""
    text = _NUMBER_WORD.sub("", (_text(value) or "").strip())
    text = re.split(r"\s*[,;(]?\s*\bngày\b", text, maxsplit=1, flags=re.IGNORECASE)[0]  # "126/GCN-UBND ngày 15/03/2024"
    return re.sub(r"\s+", "", text) or None


def _row_old_certificate(u: Row, values: dict[str, Any], bad: Bad) -> None:
    """A re-recognition row's old certificate: its number, its stars, and the note's "Nâng hạng /
    Giữ hạng / Hạ hạng" against them."""
    u.old_certificate_number = certificate_number_cell(values.get("old_certificate_number"))
    if _text(values.get("old_stars")):
        try:
            u.old_stars = parse_stars(values.get("old_stars"))
        except ValueError:
            bad("old_stars", f"'{_text(values.get('old_stars'))}' không phải hạng sao (ghi 3, 4 hoặc 5)")
    if (u.certificate_number and u.old_certificate_number
            and heading_key(u.certificate_number) == heading_key(u.old_certificate_number)):
        bad("certificate_number", f"số GCN mới '{u.certificate_number}' trùng số GCN đã cấp: giấy chứng nhận công nhận "
                                  "lại mang số mới — kiểm tra cột (Số GCN mới / Số GCN đã cấp)")
    # the note, and the "Hình thức" column CONTRIBUTING.md names for it (probe, round five: "Hạ hạng"
    # there with 3 → 4 stars passed without a word)
    for column, word in (("note", "ghi chú"), ("row_kind", "hình thức")):
        typed = _text(values.get(column)) or ""
        said = next((w for w in ("nang hang", "giu hang", "ha hang") if w in heading_key(typed)), None)
        if said:
            u.stars_said.append((bad.columns.headings.get(column, ""), word, typed, said))
    if u.old_stars:
        for note in stars_said_wrongly(u, u.old_stars):
            bad.notes.append(Note(u.row, note[0], note[1], "warning", bad.sheet))


def stars_said_wrongly(u: Row, old_stars: int) -> list[tuple[str, str]]:
    """(column heading, message) for each "Nâng hạng / Giữ hạng / Hạ hạng" of the row that the
    stars ``old_stars`` → ``u.stars`` contradict."""
    if not u.stars:
        return []
    expected = "nang hang" if u.stars > old_stars else "ha hang" if u.stars < old_stars else "giu hang"
    return [(heading, f"{word} '{typed}' nhưng hạng sao {old_stars} → {u.stars}: kiểm tra lại hạng sao hoặc {word}")
            for heading, word, typed, said in u.stars_said if said != expected]


def _row_classification(u: Row, values: dict[str, Any], basis: str, group_context: str | None, bad: Bad) -> None:
    """Group and product set: the columns, else the group heading above; a set only suggested."""
    if group_text := _text(values.get("group")):
        g, s = _group_by_name(group_text, basis)
        if g is None:
            bad("group", f"'{group_text}' không phải nhóm hay bộ sản phẩm (ví dụ: Thực phẩm; Chè tươi, chè chế biến)",
                "warning")
        u.group, u.product_set = g, s
    if set_text := _text(values.get("product_set")):
        g, s = _group_by_name(set_text, basis)
        if s is None and g is not None:  # the column holds a group ("Thực phẩm" under "Phân nhóm")
            if u.group and u.group != g:
                bad("product_set", f"nhóm '{set_text}' khác nhóm '{rulebook.group_name(u.group)}' của cột nhóm", "warning")
            u.group = u.group or g
        elif s is None:
            bad("product_set", f"'{set_text}' không phải bộ sản phẩm (xem catalog/data/taxonomy.yaml)", "warning")
        else:
            u.group, u.product_set = u.group or g, s
    if u.group is None and group_context and group_context in rulebook.taxonomy()[_taxonomy_for(basis)]:
        u.group = group_context
    if u.group and group_context and u.group != group_context:
        bad("group", f"nhóm '{rulebook.group_name(u.group)}' khác tiêu đề nhóm phía trên ('{rulebook.group_name(group_context)}')",
            "warning")
    if u.product_set is None and _taxonomy_for(basis) == "groups_148":
        u.set_suggestion = suggest_set(u.name, u.group)


def _row_where(u: Row, values: dict[str, Any], producer_address: str | None, list_province: str | None, bad: Bad) -> None:
    """Province, address as printed, commune in force."""
    address_text = _text(_drop_address_prefix(values.get("certified_address")))
    if not address_text and producer_address:
        address_text, u.address_from_producer = producer_address, True
    row_province = _text(values.get("province"))
    current = None
    if row_province:
        current = _current_province(row_province)
        if current is None:
            bad("province", f"'{row_province}' không phải tỉnh, thành phố (ví dụ: Lạng Sơn)")
    current = current or list_province
    if address_text:
        u.where = _where(address_text, current)
        from_address = _current_province(u.where.printed_province) if u.where.printed_province else None
        if current is None:
            current = from_address
        elif from_address and from_address != current:
            bad("certified_address", f"địa chỉ ở tỉnh {u.where.printed_province}, nhưng danh sách của tỉnh {current}", "warning")
    if current is None:
        bad("province", "không biết tỉnh của sản phẩm: thêm cột Tỉnh hoặc dùng --province")
    else:
        u.province = current
        u.folder = places.provinces()[current].folder
    if commune_text := _text(values.get("commune")):
        commune = places.find_commune(current, commune_text) if current else None
        if u.where is None:
            u.where = Where("", None, None, commune)
        else:
            u.where.commune, u.where.candidates = commune or u.where.commune, ()
        if not commune:
            bad("commune", f"'{commune_text}' không phải xã, phường hiện nay của tỉnh {current}", "warning")


def _row_phone(u: Row, values: dict[str, Any], producer_phone: str | None, bad: Bad) -> None:
    """The phone column, else the phone in the producer cell (kept in ``values`` for the producer)."""
    raw_phone = values.get("phone")
    if raw_phone in (None, "") and producer_phone:
        raw_phone = values["phone"] = producer_phone
    if raw_phone not in (None, ""):
        u.phone, u.phone_note = parse_phone(raw_phone)
        if u.phone is None:
            bad("phone", f"'{_text(raw_phone)}' không phải số điện thoại Việt Nam (10 số, bắt đầu bằng 0): không ghi "
                         "vào hồ sơ, chép vào tệp chủ thể dưới dạng chú thích — hỏi lại chủ thể", "warning")
