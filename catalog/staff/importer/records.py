"""Planning each record: the file a row makes or changes, as text, and the :class:`Action` that
carries it — a new product (:func:`_create`), a renewal or update of an existing one
(:func:`_update`: refused when it would renew backwards or hide a revocation; a renewal moves the
current certificate to ``earlier_ratings``), a revocation (:func:`_revoke`: ``certificate.revocation``
only), a new producer's file (:func:`_producer_text`); and the path check that keeps every file
inside its province folder (:func:`_inside`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ...checks.rules import Checked
from ...records.loader import load_file
from ...records.privacy import certified_text_without_street, consented
from ...records.problems import Problem
from ...records.schemas import load_schema
from ...reference import places, rulebook
from ...reference.errors import CatalogError
from ..fmt import _normalise, _yaml
from .cells import PlannedProducer, _taxonomy_for, producer_kind, vn_date
from .columns import Note, heading_key
from .rows import Row, stars_said_wrongly


@dataclass
class Action:
    row: int
    kind: str  # create | update | renew | revoke | unchanged | skip
    understood: Row | None = None
    path: Path | None = None
    rel: str | None = None
    text: str | None = None  # the file as it will be written
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # what validate will report on the file

    @property
    def sheet(self) -> str | None:
        return self.understood.sheet if self.understood else None



def _inside(root: Path, path: Path, kind_folder: str, folder: str) -> None:
    """The path a row makes must be a record file directly inside its province folder."""
    base = (root / kind_folder / folder).resolve()
    target = path.resolve()
    if target.parent != base or not folder or not target.name.endswith(".yaml"):
        raise CatalogError(f"{path}: đường dẫn ra ngoài thư mục {kind_folder}/{folder}: không ghi")


def _certificate(u: Row) -> dict:
    cert: dict[str, Any] = {"stars": u.stars}
    if u.score is not None:
        cert["score"] = u.score
    body = u.decision.body or ""
    cert.update({
        "number": u.certificate_number or "",
        "decision": {"number": u.decision.number or "", "date": u.decision.date.isoformat() if u.decision.date else ""},
        "deciding_body": {"level": rulebook.parse_body(body).level or "" if body else "", "name": body},
        "valid_until": u.valid_until.isoformat() if u.valid_until else "",
    })
    return cert


HEADER = ("# yaml-language-server: $schema=../../schemas/{kind}.schema.json\n"
          "# Tạo bằng `ocop import` từ {source} (dòng {rows}). Điền các trường còn trống rồi chạy ocop validate.\n")


def _dump(data: dict, kind: str) -> str:
    schema = load_schema(f"{kind}.schema.json")
    doc = _to_commented(data)
    _normalise(doc, schema, f"{kind}.schema.json")
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


def _street_consented(u: Row, root: Path) -> bool:
    """May the certificate's address keep the hamlet/street (issue #22, catalog/records/privacy.py)? For an
    organisation yes; for a person (household business, cooperative group — or a new producer whose
    kind its name does not say) only with ``street`` in the publish_consent of its existing record."""

    if u.producer_new or not u.producer_id:
        return producer_kind(u.producer_typed) in ("cooperative", "company")
    for path in sorted((root / "producers").glob(f"*/{u.producer_id}.yaml")):
        data = load_file(path).data
        if isinstance(data, dict):
            return "street" in consented(data)
    return False


def _certified(u: Row, root: Path) -> dict[str, Any]:
    """The certified address a row gives, as a record holds it: a person's hamlet kept out unless the
    producer consented to it (issue #22) — on creation and on re-recognition alike (probe, round six:
    a re-recognition wrote the household's hamlet that the creation had left out)."""
    certified = {"text": u.where.text if u.where and u.where.text else "",
                 "province": (u.where.printed_province if u.where and u.where.printed_province else u.province)}
    if certified["text"] and not _street_consented(u, root):  # a person's hamlet: kept in address.street only
        certified["text"] = certified_text_without_street(certified, u.province)
    return certified


def _address_changes(doc: Any, u: Row, root: Path, notes: list[Note]) -> list[str]:
    """The certified address the annex gives, where it differs from the record's (a corrected annex
    uploaded again: probe, round six — reported "không thay đổi" while the record kept the cut address),
    the current commune where the record has none, and the street where it has none
    (:func:`_street_change`). Changes ``doc``; returns them in words."""
    changes = []
    if u.where and u.where.text:
        certified = _certified(u, root)
        before = doc.get("certified_address") if isinstance(doc.get("certified_address"), dict) else {}
        if (before.get("text"), before.get("province")) != (certified["text"], certified["province"]):
            changes.append(f"certified_address: '{before.get('text') or '(trống)'}' (tỉnh {before.get('province') or '—'}) → "
                           f"'{certified['text']}' (tỉnh {certified['province']})")
            doc["certified_address"] = _to_commented(certified)
    address = doc.get("address")
    if u.where and u.where.commune and isinstance(address, dict) and not address.get("commune"):
        changes.append(f"address.commune: (trống) → {u.where.commune}")
        address["commune"] = u.where.commune
    if isinstance(address, dict):
        changes.extend(_street_change(address, u, notes))
    return changes


def _street_change(address: Any, u: Row, notes: list[Note]) -> list[str]:
    """``address.street`` from the hamlet or street the annex prints (round seven: a corrected annex
    uploaded again filled the certified address and the commune, and left the street empty). The
    annex is the source of the certified address only; ``address`` is where the producer is now, which
    the officer keeps: the street is filled only when the record has none and the annex's commune is
    the record's. A street the officer typed is never replaced — when the annex prints another, a
    warning names both."""
    street = u.where.street if u.where else None
    if not street or not u.where or not u.where.commune or not address.get("commune"):
        return []
    if places.canonical(str(address["commune"])) != places.canonical(u.where.commune):
        return []  # the producer is in another commune now: the annex's hamlet is not its street
    typed = address.get("street")
    if not typed:
        address["street"] = street
        return [f"address.street: (trống) → {street}"]
    if heading_key(str(typed)) != heading_key(street):
        notes.append(Note(u.row, "", f"address.street: phụ lục ghi '{street}', hồ sơ ghi '{typed}' — giữ '{typed}' (địa chỉ "
                                     "hiện nay của chủ thể, do cán bộ ghi; phụ lục chỉ thay địa chỉ trên giấy chứng nhận). "
                                     "Nếu chủ thể đã chuyển về địa chỉ trên phụ lục, sửa address.street trong hồ sơ",
                          "warning", u.sheet))
    return []


def _create(u: Row, root: Path) -> Action:
    classification: dict[str, Any] = {"legal_basis": u.legal_basis or "", "group": u.group or ""}
    if u.product_set:
        classification["product_set"] = u.product_set
    address: dict[str, Any] = {"province": u.province, "commune": (u.where.commune if u.where else None) or ""}
    if u.where and u.where.street:
        address["street"] = u.where.street
    certified = _certified(u, root)
    record = {"id": u.id, "name": u.name, "classification": classification, "description": u.description or "",
              "producer": u.producer_id, "address": address, "certified_address": certified, "certificate": _certificate(u)}
    text = _dump(record, "product")
    comments = []
    if u.set_suggestion:
        comments.append(f"  # gợi ý: product_set: {u.set_suggestion} ({rulebook.product_set_name(u.group, u.set_suggestion)}) — kiểm tra rồi thêm")
    if u.where and u.where.candidates:
        comments.append(f"  # xã hiện nay là một trong: {', '.join(u.where.candidates)} ({u.where.old_commune} cũ đã chia) — chọn theo thôn")
    text = _with_comments(text, u, comments)
    rel = f"products/{u.folder}/{u.id}.yaml"
    header = HEADER.format(kind="product", source="bảng tính", rows=u.row)
    return Action(u.row, "create", u, root / rel, rel, header + text)


def _with_comments(text: str, u: Row, comments: list[str]) -> str:
    """Put a suggestion comment under the line it is about (classification / address)."""
    lines = text.splitlines()
    for comment in comments:
        anchor = "classification:" if "product_set" in comment else "address:"
        if anchor in lines:
            lines.insert(lines.index(anchor) + 1, comment)
    return "\n".join(lines) + "\n"


def _producer_text(p: PlannedProducer, source: str) -> str:
    record: dict[str, Any] = {"id": p.id, "name": p.name, "kind": p.kind or ""}
    if p.representative:
        record["representative"] = p.representative
    address: dict[str, Any] = {"province": places.provinces_by_folder()[p.folder].name,
                               "commune": (p.where.commune if p.where else None) or ""}
    if p.where and p.where.street:
        address["street"] = p.where.street
    record["address"] = address
    if p.phone:
        record["phone"] = p.phone
    text = HEADER.format(kind="producer", source="bảng tính", rows=", ".join(map(str, p.rows))) + _dump(record, "producer")
    for row, raw in p.bad_phones:
        text += (f"# Số điện thoại trong bảng tính (dòng {row}): '{raw}' — không đúng dạng số Việt Nam; "
                 "hỏi lại chủ thể rồi ghi vào trường phone.\n")
    if p.where and p.where.candidates:
        text += f"# Xã hiện nay là một trong: {', '.join(p.where.candidates)} — chọn theo thôn.\n"
    return text


RECENT_DAYS = 365  # a re-recognition this soon after the last decision is worth a look (probe, round five)


def _update(u: Row, existing: Checked, root: Path, notes: list[Note],
            revocation_decisions: dict[tuple[str, str], set[str]] | None = None) -> Action:
    """A recognition or re-recognition row for an existing product: a newer decision renews it
    (the current certificate moves to ``earlier_ratings``), the same decision fills in what the
    record lacks; an older one, or one that would hide a revocation, is refused."""
    path = root / existing.file
    original = path.read_text(encoding="utf-8")
    doc = _yaml().load(original)
    typed = existing.data  # coerced, schema-valid values
    cert = typed.get("certificate") if isinstance(typed.get("certificate"), dict) else {}
    current_date = (cert.get("decision") or {}).get("date")
    current_number = (cert.get("decision") or {}).get("number")
    new_date = u.decision.date
    new = _certificate(u)
    if current_date and new_date and new_date < dt.date.fromisoformat(current_date):
        notes.append(Note(u.row, "", f"Quyết định {u.decision.number} ngày {vn_date(new_date)} cũ hơn giấy chứng nhận hiện hành "
                                     f"của {existing.file} ({current_number} ngày {vn_date(current_date)}) — công nhận lùi, "
                                     "không ghi. Nếu đó là một lần công nhận trước, thêm vào earlier_ratings", sheet=u.sheet))
        return Action(u.row, "skip", u, path, existing.file)
    renewal = current_number != u.decision.number or current_date != (new_date.isoformat() if new_date else None)
    if renewal:
        refusal = _renewal_refused(u, existing, cert, revocation_decisions)
        if refusal is not None:
            notes.append(Note(u.row, "", refusal, sheet=u.sheet))
            return Action(u.row, "skip", u, path, existing.file)
    changes: list[str] = []
    cls = doc.get("classification")
    if renewal:
        changes.extend(_renew(doc, u, new, current_number, current_date, root, notes))
        if current_date and new_date and (new_date - dt.date.fromisoformat(current_date)).days < RECENT_DAYS:
            notes.append(Note(u.row, "", f"giấy chứng nhận hiện hành của {existing.file} mới cấp "
                                         f"{(new_date - dt.date.fromisoformat(current_date)).days} ngày trước quyết định này "
                                         f"(Quyết định {current_number} ngày {vn_date(current_date)}): công nhận lại sau "
                                         "chưa đầy một năm là bất thường — kiểm tra dòng này có đúng là sản phẩm đó "
                                         "(không phải một sản phẩm khác cùng tên)", "warning", u.sheet))
        if not u.old_stars and cert.get("stars") is not None:  # the table has no old stars: the record's
            notes.extend(Note(u.row, heading, message, "warning", u.sheet)
                         for heading, message in stars_said_wrongly(u, int(cert["stars"])))
    else:
        target = doc.get("certificate")
        for key, value in _flat({"certificate": new}).items():
            old_value = _flat({"certificate": _plain(target)}).get(key) if isinstance(target, dict) else None
            if value not in ("", None) and str(old_value) != str(value):
                changes.append(f"{key}: {old_value if old_value not in (None, '') else '(trống)'} → {value}")
        if isinstance(target, CommentedMap):
            _merge(target, new)
        changes.extend(_address_changes(doc, u, root, notes))
    if isinstance(cls, dict):
        for key in ("group", "product_set"):
            value = getattr(u, key)
            if value and cls.get(key) != value:
                changes.append(f"classification.{key}: {cls.get(key) or '(trống)'} → {value}")
                cls[key] = value
    if not changes:
        return Action(u.row, "unchanged", u, path, existing.file)
    schema = load_schema("product.schema.json")
    _normalise(doc, schema, "product.schema.json")
    out = io.StringIO()
    _yaml().dump(doc, out)
    return Action(u.row, "renew" if renewal else "update", u, path, existing.file, out.getvalue(), changes)


def _renewal_refused(u: Row, existing: Checked, cert: dict,
                     revocation_decisions: dict[tuple[str, str], set[str]] | None) -> str | None:
    """Why a newer decision may not renew this record (the message), or None: the certificate was
    revoked, the decision is a revocation on record, the new certificate reuses the current GCN
    number, a re-recognition's old certificate is not the current one, or the same date carries
    another decision number."""
    current_date = (cert.get("decision") or {}).get("date")
    current_number = (cert.get("decision") or {}).get("number")
    new_date = u.decision.date
    revoked = cert.get("revocation") if isinstance(cert.get("revocation"), dict) else None
    if revoked:
        revoking = (revoked.get("decision") or {})
        if u.decision.number == revoking.get("number"):
            return (f"Quyết định {u.decision.number} là quyết định thu hồi giấy chứng nhận của {existing.file} (lý do: "
                    f"{revoked.get('reason')}), không phải quyết định công nhận: không ghi. Nếu bảng là danh sách thu hồi, "
                    "dùng --kind thu-hoi")
        return (f"giấy chứng nhận {cert.get('number')} của {existing.file} đã bị thu hồi (Quyết định {revoking.get('number')} "
                f"ngày {vn_date(revoking.get('date'))}): nhập bảng không công nhận lại một sản phẩm đã bị thu hồi (sẽ làm mất "
                "việc thu hồi). Nếu sản phẩm được đánh giá, công nhận lại sau thu hồi, cán bộ sửa hồ sơ bằng tay và giữ "
                "quyết định thu hồi trong lịch sử; không ghi")
    revoked_by_it = (revocation_decisions or {}).get((u.decision.number or "", new_date.isoformat() if new_date else ""), set())
    if existing.file in revoked_by_it:  # revoked by this very decision (an earlier certificate of the record)
        return (f"Quyết định {u.decision.number} là quyết định thu hồi giấy chứng nhận của {existing.file}, không phải "
                "quyết định công nhận nó: không ghi. Nếu bảng là danh sách thu hồi, dùng --kind thu-hoi")
    if u.certificate_number and cert.get("number") and heading_key(u.certificate_number) == heading_key(cert["number"]):
        return (f"số GCN '{u.certificate_number}' của giấy chứng nhận mới trùng số GCN đang có của {existing.file} (Quyết định "
                f"{current_number} ngày {vn_date(current_date)}): một giấy chứng nhận mới mang số mới. Nếu cột này là số GCN "
                "đã cấp, ánh xạ nó thành old_certificate_number; nếu bảng là danh sách thu hồi, dùng --kind thu-hoi; không ghi")
    if u.kind == "re-recognition":
        if u.old_certificate_number and heading_key(u.old_certificate_number) != heading_key(str(cert.get("number") or "")):
            return (f"số GCN đã cấp '{u.old_certificate_number}' khác giấy chứng nhận hiện hành của {existing.file} "
                    f"({cert.get('number')}, Quyết định {current_number}): kiểm tra dòng này; không ghi")
        if u.old_stars and cert.get("stars") is not None and int(cert["stars"]) != u.old_stars:
            return (f"hạng sao đã công nhận {u.old_stars} sao khác hồ sơ {existing.file} ({cert.get('stars')} sao, Quyết định "
                    f"{current_number}): kiểm tra dòng này; không ghi")
    if current_date == (new_date.isoformat() if new_date else None):
        return (f"cùng ngày {vn_date(new_date)} nhưng số quyết định khác ({current_number} trong "
                f"{existing.file}, {u.decision.number} trong bảng): kiểm tra lại, không ghi")
    return None


def _renew(doc: Any, u: Row, new: dict, current_number: Any, current_date: Any, root: Path,
           notes: list[Note]) -> list[str]:
    """A newer certificate: the current one moves to ``earlier_ratings``, the new one is current,
    the address the annex prints replaces the certified one, a new legal basis asks for its group.
    Returns the changes, in the officer's words."""
    changes: list[str] = []
    cls = doc.get("classification")
    new_basis = u.legal_basis or (cls.get("legal_basis") if isinstance(cls, dict) else None)
    old = doc.get("certificate") if isinstance(doc.get("certificate"), CommentedMap) else CommentedMap()
    earlier: dict[str, Any] = {"stars": old.get("stars")}
    if old.get("score") is not None:
        earlier["score"] = old.get("score")
    earlier["legal_basis"] = cls.get("legal_basis") if isinstance(cls, dict) else ""
    for key_from, key_to in (("decision", "decision"), ("deciding_body", "deciding_body"), ("number", "certificate_number"),
                             ("valid_until", "valid_until")):
        if old.get(key_from) not in (None, ""):
            earlier[key_to] = old.get(key_from)
    if "earlier_ratings" not in doc or not isinstance(doc.get("earlier_ratings"), list):
        doc["earlier_ratings"] = _to_commented([])
    doc["earlier_ratings"].append(_to_commented(_plain(earlier)))
    doc["certificate"] = _to_commented(new)
    changes.append(f"giấy chứng nhận {old.get('number') or '—'} ({current_number} ngày {vn_date(current_date)}, "
                   f"{old.get('stars')} sao) chuyển vào earlier_ratings")
    changes.append(f"giấy chứng nhận mới {new['number'] or '—'}: {u.decision.number} ngày {vn_date(u.decision.date)}, {u.stars} sao, "
                   f"hiệu lực đến {vn_date(u.valid_until)}")
    changes.extend(_address_changes(doc, u, root, notes))  # the new certificate prints the address the annex gives
    if isinstance(cls, dict) and new_basis and cls.get("legal_basis") != new_basis:
        old_taxonomy = _taxonomy_for(cls["legal_basis"]) if cls.get("legal_basis") in rulebook.legal_basis_codes() else None
        changes.append(f"classification.legal_basis: {cls.get('legal_basis')} → {new_basis}")
        cls["legal_basis"] = new_basis
        if old_taxonomy != _taxonomy_for(new_basis) and not u.group:
            cls["group"] = ""
            cls.pop("product_set", None)
            changes.append("classification.group: bộ tiêu chí mới có nhóm khác — cần điền")
    return changes


def _revoke(u: Row, existing: Checked, root: Path, notes: list[Note]) -> Action:
    """A revocation row: ``certificate.revocation`` and nothing else of the record."""
    path = root / existing.file
    doc = _yaml().load(path.read_text(encoding="utf-8"))
    cert = existing.data.get("certificate") if isinstance(existing.data.get("certificate"), dict) else {}
    decided = (cert.get("decision") or {})

    def refuse(message: str) -> Action:
        notes.append(Note(u.row, "", message, sheet=u.sheet))
        return Action(u.row, "skip", u, path, existing.file)

    earlier = existing.data.get("revocation") or cert.get("revocation")
    if isinstance(earlier, dict):
        number = (earlier.get("decision") or {}).get("number")
        if number == u.decision.number:
            return Action(u.row, "unchanged", u, path, existing.file)
        return refuse(f"giấy chứng nhận {cert.get('number')} của {existing.file} đã bị thu hồi theo Quyết định {number} ngày "
                      f"{vn_date((earlier.get('decision') or {}).get('date'))}: không ghi quyết định thu hồi thứ hai; kiểm tra lại")
    if u.certificate_number and cert.get("number") and heading_key(u.certificate_number) != heading_key(str(cert["number"])):
        older = [r.get("certificate_number") for r in existing.data.get("earlier_ratings") or [] if isinstance(r, dict)]
        why = " (đó là giấy chứng nhận cũ, đã được thay)" if any(heading_key(str(o)) == heading_key(u.certificate_number) for o in older if o) else ""
        return refuse(f"số GCN '{u.certificate_number}' khác giấy chứng nhận hiện hành của {existing.file} ({cert.get('number')}, "
                      f"Quyết định {decided.get('number')}){why}: kiểm tra dòng này; không ghi")
    if u.decision.date and decided.get("date") and u.decision.date < dt.date.fromisoformat(decided["date"]):
        return refuse(f"Quyết định thu hồi {u.decision.number} ngày {vn_date(u.decision.date)} trước quyết định công nhận "
                      f"{decided.get('number')} ngày {vn_date(decided.get('date'))} của {existing.file}: kiểm tra ngày; không ghi")
    if u.revocation_effective and u.decision.date and u.revocation_effective < u.decision.date:
        return refuse(f"ngày thu hồi có hiệu lực {vn_date(u.revocation_effective)} trước ngày ký quyết định thu hồi "
                      f"{vn_date(u.decision.date)}: kiểm tra ngày; không ghi")
    body = u.decision.body or ""
    revocation: dict[str, Any] = {
        "decision": {"number": u.decision.number or "", "date": u.decision.date.isoformat() if u.decision.date else ""},
        "deciding_body": {"level": (rulebook.parse_body(body).level or "") if body else "", "name": body},
        "reason": u.revocation_reason or "",
    }
    changes = [f"certificate.revocation: thu hồi giấy chứng nhận {cert.get('number') or '—'} ({cert.get('stars')} sao, Quyết định "
               f"{decided.get('number')}) theo Quyết định {u.decision.number} ngày {vn_date(u.decision.date)} của {body or '?'}; "
               f"lý do: {u.revocation_reason}"]
    if u.revocation_effective and u.decision.date and u.revocation_effective > u.decision.date:
        revocation["effective_from"] = u.revocation_effective.isoformat()
        changes.append(f"certificate.revocation.effective_from: thu hồi có hiệu lực từ {vn_date(u.revocation_effective)}")
    target = doc.get("certificate")
    if not isinstance(target, dict):
        return refuse(f"{existing.file} không có khối certificate: sửa hồ sơ trước khi nhập quyết định thu hồi; không ghi")
    target["revocation"] = _to_commented(revocation)
    schema = load_schema("product.schema.json")
    _normalise(doc, schema, "product.schema.json")
    out = io.StringIO()
    _yaml().dump(doc, out)
    return Action(u.row, "revoke", u, path, existing.file, out.getvalue(), changes)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _flat(doc: dict, prefix: str = "") -> dict[str, Any]:
    out = {}
    for k, v in doc.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v
    return out


def _merge(target, source: dict) -> None:
    for k, v in source.items():
        if isinstance(v, dict) and isinstance(target.get(k), dict):
            _merge(target[k], v)
        elif v not in ("", None):
            target[k] = _to_commented(v)


def _to_commented(value):
    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _to_commented(v)
        return m
    if isinstance(value, list):
        return CommentedSeq(_to_commented(v) for v in value)
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value

