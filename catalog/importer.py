"""`ocop import`: the spreadsheet that comes with a recognition decision → product records.

One row per product (name, producer, stars, score, group, decision number and date…). Headings
are recognised with or without diacritics (``catalog/data/import_columns.yaml``); a mapping file
handles the rest. A dry run (the default) lists, row by row, what would be created or changed and
every problem (row number, column, what is wrong); ``--write`` applies it.

Existing records are matched — by id, else by product name and producer — and updated, never
duplicated: a new decision number is a renewal (the current certificate moves to
``earlier_ratings``); the same decision updates the certificate in place. Updates go through
ruamel.yaml (see :mod:`catalog.fmt`), so comments and key order in existing files survive.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import places, rulebook
from .errors import CatalogError
from .fmt import _normalise, _yaml
from .schemas import load_schema
from .templates import province_folder
from .validate import check

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def known_columns() -> dict[str, str]:
    with open(DATA / "import_columns.yaml", encoding="utf-8") as fh:
        table = yaml.safe_load(fh)["columns"]
    return {alias: name for name, aliases in table.items() for alias in aliases}


def heading_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", places.fold(str(text))).split())


@dataclass
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" + (f", cột '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Action:
    row: int
    kind: str  # create | update | unchanged | skip
    path: Path | None = None
    record: dict | None = None
    changes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    renewal: bool = False


@dataclass
class Plan:
    actions: list[Action]
    problems: list[RowProblem]
    ignored_columns: list[str]


def read_table(path: Path, extra_headings: set[str] = frozenset()) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """Header and (spreadsheet row number, cells) of the first sheet (XLSX) or of a CSV file."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise CatalogError(f"{path}: không đọc được tệp Excel ({exc})") from exc
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    elif suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CatalogError(f"{path}: không phải UTF-8 — trong Excel chọn 'CSV UTF-8' khi lưu") from exc
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        rows = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    else:
        raise CatalogError(f"{path}: chỉ nhận tệp .xlsx hoặc .csv")
    # the header is the first row with at least two recognised headings (decision sheets often
    # start with a title line)
    for i, row in enumerate(rows):
        if sum(1 for c in row if c is not None and (heading_key(c) in known_columns() or heading_key(c) in extra_headings)) >= 2:
            header = ["" if c is None else str(c).strip() for c in row]
            body = [(i + j + 2, r) for j, r in enumerate(rows[i + 1:]) if any(c not in (None, "") for c in r)]
            return header, body
    raise CatalogError(f"{path}: không tìm thấy dòng tiêu đề cột (ví dụ: Tên sản phẩm, Chủ thể, Số sao)")


def map_columns(header: list[str], mapping: dict[str, str]) -> tuple[dict[int, str], list[str]]:
    extra = {heading_key(k): v for k, v in mapping.items()}
    known = known_columns()
    fields, ignored = {}, []
    for i, heading in enumerate(header):
        key = heading_key(heading)
        name = extra.get(key) or known.get(key)
        if name:
            fields[i] = name
        elif heading:
            ignored.append(heading)
    return fields, ignored


def _date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(text) from None


def _int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip().replace("sao", "").replace("★", "").strip()
    if not re.fullmatch(r"\d+", text):
        raise ValueError(str(value))
    return int(text)


def _group(value: str) -> tuple[str | None, str | None]:
    """(group code, product set code) from a code or a Vietnamese name of either."""
    key = heading_key(value)
    tax = rulebook.taxonomy()
    for table in ("groups_148", "sectors_1048"):
        for code, entry in tax[table].items():
            if key in (heading_key(code), heading_key(entry["name"])):
                return code, None
    for code, entry in tax["groups_148"].items():
        for set_code, info in entry["sets"].items():
            if key in (heading_key(set_code), heading_key(info["name"])):
                return code, set_code
    return None, None


def _legal_basis(decision_date: str) -> str:
    return rulebook.legal_basis_on(dt.date.fromisoformat(decision_date)) or rulebook.legal_basis_codes()[0]


def _level(body: str) -> str:
    key = heading_key(body)
    if key.startswith("bo ") or " bo " in f" {key} " and "ubnd" not in key:
        return "central"
    if "huyen" in key:
        return "district"
    return "province"


def parse_row(row: int, cells: list[Any], columns: dict[int, str], header: list[str], default_province: str | None,
              producers: dict[str, str]) -> tuple[dict[str, Any], list[RowProblem]]:
    raw = {name: cells[i] if i < len(cells) else None for i, name in columns.items()}
    col = {name: header[i] for i, name in columns.items()}
    out: dict[str, Any] = {}
    problems: list[RowProblem] = []

    def bad(name: str, message: str) -> None:
        problems.append(RowProblem(row, col.get(name, ""), message))

    def text(name: str) -> str | None:
        value = raw.get(name)
        return None if value in (None, "") else " ".join(str(value).split())

    out["name"] = text("name")
    if not out["name"]:
        bad("name", "thiếu tên sản phẩm")
    producer = text("producer")
    if producer:
        pid = producer if producer in producers.values() else producers.get(heading_key(producer))
        if pid is None:
            bad("producer", f"'{producer}' không khớp chủ thể nào trong producers/ (ghi đúng tên hoặc mã chủ thể; "
                            f"nếu là chủ thể mới, tạo hồ sơ bằng: ocop new producer)")
        out["producer"] = pid
    else:
        bad("producer", "thiếu chủ thể sản xuất")
    try:
        out["stars"] = _int(raw.get("stars"))
        if out["stars"] not in (3, 4, 5):
            bad("stars", f"'{raw.get('stars')}' — chỉ sản phẩm 3, 4 hoặc 5 sao được cấp giấy chứng nhận")
    except ValueError as exc:
        bad("stars", f"'{exc}' không phải số sao (ghi 3, 4 hoặc 5)")
    try:
        out["score"] = _int(raw.get("score"))
    except ValueError as exc:
        bad("score", f"'{exc}' không phải số điểm (ghi số nguyên từ 0 đến 100)")
    for name in ("decision_date", "valid_until"):
        try:
            out[name] = _date(raw.get(name))
        except ValueError as exc:
            bad(name, f"'{exc}' không phải ngày (ghi ngày/tháng/năm, ví dụ 15/03/2024)")
    if not out.get("decision_date") and "decision_date" not in [p.column for p in problems]:
        bad("decision_date", "thiếu ngày quyết định")
    out["decision_number"] = text("decision_number")
    if not out["decision_number"]:
        bad("decision_number", "thiếu số quyết định")
    out["certificate_number"] = text("certificate_number")
    if not out["certificate_number"]:
        bad("certificate_number", "thiếu số giấy chứng nhận")
    body = text("deciding_body")
    out["deciding_body"] = body
    if group := text("group"):
        code, set_code = _group(group)
        if code is None:
            bad("group", f"'{group}' không phải nhóm sản phẩm (ví dụ: Thực phẩm, Đồ uống, thuc-pham)")
        out["group"], out["product_set"] = code, set_code
    if product_set := text("product_set"):
        code, set_code = _group(product_set)
        if set_code is None:
            bad("product_set", f"'{product_set}' không phải bộ sản phẩm (xem catalog/data/taxonomy.yaml)")
        else:
            out["group"] = out.get("group") or code
            out["product_set"] = set_code
    if basis := text("legal_basis"):
        out["legal_basis"] = basis
    province = text("province") or default_province
    if province:
        try:
            out["folder"] = province_folder(province)
        except CatalogError as exc:
            bad("province", str(exc))
    else:
        bad("province", "thiếu tỉnh (thêm cột Tỉnh hoặc dùng --province)")
    out["commune"] = text("commune")
    out["certified_address"] = text("certified_address")
    out["description"] = text("description")
    out["id"] = text("id")
    return out, problems


def plan(root: Path, source: Path, mapping_file: Path | None = None, default_province: str | None = None,
         as_of: dt.date | None = None) -> Plan:
    mapping = {}
    if mapping_file:
        with open(mapping_file, encoding="utf-8") as fh:
            mapping = yaml.safe_load(fh) or {}
        if not isinstance(mapping, dict):
            raise CatalogError(f"{mapping_file}: cần các dòng 'Tiêu đề cột: tên trường'")
    header, rows = read_table(source, {heading_key(k) for k in mapping})
    columns, ignored = map_columns(header, mapping)
    for needed in ("name", "producer", "stars", "decision_number", "decision_date"):
        if needed not in columns.values():
            raise CatalogError(f"{source}: không có cột cho '{needed}'. Các cột đọc được: {', '.join(header)}. "
                               "Dùng --mapping để chỉ rõ cột nào là trường nào.")
    result = check(root, as_of or dt.date.today())
    producers: dict[str, str] = {}
    products: dict[str, Any] = {}
    for c in result.checked:
        if c.data is None or "id" not in c.data:
            continue
        if c.kind == "producer":
            producers[heading_key(c.data.get("name", ""))] = c.data["id"]
            producers[c.data["id"]] = c.data["id"]
        elif c.kind == "product":
            products[c.data["id"]] = c
    by_name = {(heading_key(c.data.get("name", "")), c.data.get("producer")): c for c in products.values()}
    actions, problems, seen = [], [], set()
    for row, cells in rows:
        values, row_problems = parse_row(row, cells, columns, header, default_province, producers)
        problems += row_problems
        if row_problems:
            actions.append(Action(row, "skip"))
            continue
        existing = products.get(values["id"]) if values.get("id") else by_name.get((heading_key(values["name"]), values["producer"]))
        key = existing.data["id"] if existing else (values["folder"], heading_key(values["name"]))
        if key in seen:
            problems.append(RowProblem(row, "", "trùng với một dòng phía trên (cùng sản phẩm)"))
            actions.append(Action(row, "skip"))
            continue
        seen.add(key)
        if existing:
            actions.append(_update(row, existing, values))
        else:
            actions.append(_create(row, root, values, set(products)))
    return Plan(actions, problems, ignored)


def _certificate(values: dict, old: dict | None = None) -> dict:
    valid_until = values.get("valid_until") or (
        rulebook.add_months(dt.date.fromisoformat(values["decision_date"]), rulebook.certificate_months())
        - dt.timedelta(days=1)).isoformat()
    body = values.get("deciding_body") or (old or {}).get("deciding_body", {}).get("name") or ""
    cert = {"stars": values["stars"]}
    if values.get("score") is not None:
        cert["score"] = values["score"]
    cert.update({
        "number": values["certificate_number"],
        "decision": {"number": values["decision_number"], "date": values["decision_date"]},
        "deciding_body": {"level": _level(body) if body else "", "name": body},
        "valid_until": valid_until,
    })
    return cert


def _create(row: int, root: Path, values: dict, taken: set[str]) -> Action:
    rid = values.get("id") or places.slug(values["name"])[:44].strip("-")
    base, n = rid, 2
    while rid in taken:
        rid, n = f"{base}-{n}", n + 1
    taken.add(rid)
    info = places.provinces_by_folder()[values["folder"]]
    classification = {"legal_basis": values.get("legal_basis") or _legal_basis(values["decision_date"]),
                      "group": values.get("group") or ""}
    if values.get("product_set"):
        classification["product_set"] = values["product_set"]
    record = {
        "id": rid,
        "name": values["name"],
        "classification": classification,
        "description": values.get("description") or "",
        "producer": values["producer"],
        "address": {"province": info.name, "commune": values.get("commune") or ""},
        "certified_address": {"text": values.get("certified_address") or "", "province": info.name},
        "certificate": _certificate(values),
    }
    missing = [k for k, v in _flat(record).items() if v == ""]
    return Action(row, "create", root / "products" / values["folder"] / f"{rid}.yaml", record, missing=missing)


def _update(row: int, existing, values: dict) -> Action:
    current = existing.loaded.data  # as typed (strings), not coerced
    old_cert = current.get("certificate", {}) if isinstance(current.get("certificate"), dict) else {}
    new_cert = _certificate(values, old_cert)
    renewal = str(old_cert.get("decision", {}).get("number", "")) != values["decision_number"]
    changes = []
    for key, new in _flat({"certificate": new_cert}).items():
        old = _flat({"certificate": old_cert}).get(key)
        if str(old if old is not None else "") != str(new) and not (new == "" and old):
            changes.append(f"{key}: {old if old is not None else '(trống)'} → {new}")
    cls = current.get("classification", {}) if isinstance(current.get("classification"), dict) else {}
    for key in ("group", "product_set"):
        if values.get(key) and cls.get(key) != values[key]:
            changes.append(f"classification.{key}: {cls.get(key, '(trống)')} → {values[key]}")
    root_path = Path(existing.root) / existing.file
    if not changes:
        return Action(row, "unchanged", root_path)
    return Action(row, "update", root_path, {"certificate": new_cert, "values": values}, changes, renewal=renewal)


def _flat(doc: dict, prefix: str = "") -> dict[str, Any]:
    out = {}
    for k, v in doc.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


HEADER = ("# yaml-language-server: $schema=../../schemas/product.schema.json\n"
          "# Tạo bằng `ocop import` từ bảng tính kèm quyết định công nhận. Bổ sung các trường còn trống.\n")


def apply(p: Plan) -> None:
    from ruamel.yaml.comments import CommentedMap

    yaml_rt = _yaml()
    schema = load_schema("product.schema.json")
    for action in p.actions:
        if action.kind == "create":
            action.path.parent.mkdir(parents=True, exist_ok=True)
            data = _to_commented(action.record)
            _normalise(data, schema, "product.schema.json")
            out = io.StringIO()
            yaml_rt.dump(data, out)
            with open(action.path, "x", encoding="utf-8") as fh:
                fh.write(HEADER + out.getvalue())
        elif action.kind == "update":
            data = yaml_rt.load(action.path.read_text(encoding="utf-8"))
            cert = data.get("certificate")
            new_cert = action.record["certificate"]
            if action.renewal and isinstance(cert, CommentedMap):
                earlier = {"stars": cert.get("stars"), "legal_basis": data["classification"]["legal_basis"],
                           "decision": dict(cert.get("decision", {}))}
                if cert.get("number"):
                    earlier["certificate_number"] = cert["number"]
                if "earlier_ratings" not in data:
                    data["earlier_ratings"] = _to_commented([])
                data["earlier_ratings"].append(_to_commented(earlier))
                data["certificate"] = _to_commented(new_cert)
                data["classification"]["legal_basis"] = action.record["values"].get("legal_basis") or _legal_basis(
                    new_cert["decision"]["date"])
            else:
                _merge(cert, new_cert)
            for key in ("group", "product_set"):
                if action.record["values"].get(key):
                    data["classification"][key] = action.record["values"][key]
            _normalise(data, schema, "product.schema.json")
            out = io.StringIO()
            yaml_rt.dump(data, out)
            tmp = action.path.with_name(f".{action.path.name}.import")
            tmp.write_text(out.getvalue(), encoding="utf-8")
            tmp.replace(action.path)


def _merge(target, source: dict) -> None:
    for k, v in source.items():
        if isinstance(v, dict) and isinstance(target.get(k), dict):
            _merge(target[k], v)
        elif v not in ("", None):
            target[k] = v


def _to_commented(value):
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _to_commented(v)
        return m
    if isinstance(value, list):
        return CommentedSeq(_to_commented(v) for v in value)
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def describe(p: Plan, root: Path) -> list[str]:
    """One line per row (what would happen) and per problem, in row order."""
    rows: list[tuple[int, int, str]] = []
    for a in p.actions:
        rel = a.path.resolve().relative_to(root.resolve()).as_posix() if a.path else ""
        if a.kind == "create":
            line = f"Dòng {a.row}: tạo mới {rel}"
            if a.missing:
                line += " — cần bổ sung: " + ", ".join(a.missing)
            rows.append((a.row, 0, line))
        elif a.kind == "update":
            rows.append((a.row, 0, f"Dòng {a.row}: {'công nhận lại' if a.renewal else 'cập nhật'} {rel}: " + "; ".join(a.changes)))
        elif a.kind == "unchanged":
            rows.append((a.row, 0, f"Dòng {a.row}: không thay đổi ({rel})"))
    rows += [(problem.row, 1, f"{problem} [lỗi]") for problem in p.problems]
    lines = [text for _, _, text in sorted(rows)]
    if p.ignored_columns:
        lines.append("Các cột không dùng: " + ", ".join(p.ignored_columns))
    return lines
