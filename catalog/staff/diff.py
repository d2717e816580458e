"""`ocop diff BASE [HEAD]`: what a change does to the catalogue, in plain Vietnamese.

Both sides are read from git (``git archive`` of the data root at each revision; HEAD omitted =
the working tree), loaded and validated the usual way, and compared record by record: products
added, removed or renamed, stars changed, certificates renewed, revoked (decision, date and
reason) or withdrawn, sales points, producers and villages added, removed or changed. Used for
the pull-request job summary, so a reviewer reads the change without opening YAML. Ids taken out
of ``published-ids.txt`` are named too (issue #14).

Every value from the records goes through one escaping function (``esc``, issue #14): in a
terminal control and bidirectional characters are shown as ``\\uXXXX`` (a CR in a name cannot
overwrite the line before it), and in the Markdown job summary nothing typed can become a link, a
heading or an HTML comment that hides the lines after it (catalog/reference/escaping.py).

Decisions (issue #15): dates are written dd/mm/yyyy, as officers write them. A renewal whose
previous certificate is not in ``earlier_ratings`` on the new side, or earlier ratings that
disappeared, is said plainly ("lịch sử không được giữ"): the validator cannot know what was
there before, only the diff can. Warnings that ``ocop validate`` gives on the records the change
touches (a near-twin producer, a certificate about to lapse, an unusual valid-until) are listed at
the end, so they are seen in the summary and not only in the check log.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any, Callable

from ..reference.errors import CatalogError
from ..reference.escaping import markdown_inline, visible
from ..records.loader import MAX_BYTES, load_bytes
from ..records.urls import digital_link_path
from ..records.problems import WARNING, Problem
from ..checks.rules import KIND_FOLDERS
from ..checks.validate import CONFIG_FILE, MANIFEST_FILE, check, read_manifest

KIND_WORDS = {"product": "sản phẩm", "producer": "chủ thể", "sales_point": "điểm bán", "village": "làng, bản"}


def _git(root: Path, *args: str) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True).stdout
    except FileNotFoundError as exc:
        raise CatalogError("cần git để so sánh hai phiên bản") from exc
    except subprocess.CalledProcessError as exc:
        raise CatalogError(f"git {' '.join(args)}: {exc.stderr.decode(errors='replace').strip()}") from exc


def side_at(root: Path, rev: str | None, as_of: dt.date) -> tuple[dict[str, dict[str, dict]], list[Problem]]:
    """(kind → id → record data, the problems validate gives) at a git revision (None: the working tree)."""
    if rev is None:
        return _records(root, as_of)
    with tempfile.TemporaryDirectory(prefix="ocop-diff-") as tmp:
        # run in the data root, git archive takes "." as this folder and writes its entries relative
        # to it: a data root inside a repository (``--root data``) works too (``./<prefix>`` matched
        # nothing there: "pathspec did not match any files")
        archive = _git(root, "archive", "--format=tar", rev, "--", ".")
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        return _records(Path(tmp), as_of)


def _records(root: Path, as_of: dt.date) -> tuple[dict[str, dict[str, dict]], list[Problem]]:
    """kind → id → data (and under ``PUBLISHED`` the 'kind id' lines of published-ids.txt)."""
    out: dict[str, dict[str, dict]] = {k: {} for k in KIND_FOLDERS}
    out[PUBLISHED] = {}
    out[UNREADABLE] = {}
    if not root.is_dir():
        return out, []
    result = check(root, as_of)
    for c in result.checked:
        if c.data is not None and isinstance(c.data.get("id"), str):
            out[c.kind][c.data["id"]] = {**c.data, "__file__": c.file}
            if not c.schema_ok and _words_unreadable(c.file, result.problems):  # told as "not valid yet" (INVALID)
                out[c.kind][c.data["id"]][INVALID] = True
            if not isinstance(c.data.get("name"), str):  # a name the schema refused is not shown as "None"
                out[c.kind][c.data["id"]]["name"] = "(tên chưa hợp lệ)"
    out[PUBLISHED] = {f"{kind} {rid}": {} for _, kind, rid in read_manifest(root)[0]}
    # a record file that is there but cannot be read (a tab, an old code page): its record is not
    # "removed" — the first error of the file says why (issue #26 probe)
    out[UNREADABLE] = {}
    for c in result.checked:
        if c.data is None:
            first = next((p for p in result.problems if p.file == c.file and p.severity != WARNING), None)
            out[UNREADABLE][c.file] = {"why": f"dòng {first.line}: {first.message()}" if first is not None and first.line
                                       else first.message() if first is not None else ""}
    return out, result.problems


PUBLISHED = "published-ids"
UNREADABLE = "unreadable-files"
# a record the schema refuses: its stars or dates may be missing or typed wrongly, so its changes are
# not put in words (probe, round five: "3 → None sao", and a date typed 15/10/2026 told as a
# re-recognition that lost its history) — one line says it is not valid yet
INVALID = "__invalid__"


# the fields `compare` puts in words: a schema error in one of them (or in no field) makes the
# record's changes untold; a missing description or group does not (an imported record lacks them)
WORDED_FIELDS = frozenset({"id", "name", "status", "certificate", "earlier_ratings", "certified_address", "products"})


def _words_unreadable(file: str, problems: list[Problem]) -> bool:
    return any(p.file == file and p.severity != WARNING and (not p.field or re.split(r"[.\[]", p.field)[0] in WORDED_FIELDS)
               for p in problems)


def _not_valid_yet(word: str, old: dict | None, new: dict, rid: str) -> str:
    """The line for a record that is not valid on one side (``old`` None: added)."""
    if not new.get(INVALID):
        return f"Sửa {word} {new.get('name')} ({rid}): hồ sơ trước đây chưa hợp lệ, nay đã hợp lệ."
    return (f"{'Thêm' if old is None else 'Sửa'} {word} {new.get('name')} ({rid}): hồ sơ chưa hợp lệ "
            f"({new.get('__file__')}) — sửa theo lỗi ocop validate báo; thay đổi sẽ được tóm tắt khi hồ sơ hợp lệ.")


def vn_date(value: Any) -> str:
    """'2025-08-15' → '15/08/2025'; anything else as it is."""
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _get(d: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict):
            return None
        d = d.get(p)
    return d


def _cert_key(rating: dict | None) -> tuple:
    decision = (rating or {}).get("decision") or {}
    return str(decision.get("number")), str(decision.get("date"))


def compare(base: dict[str, dict[str, dict]], head: dict[str, dict[str, dict]],
            esc: Callable[[str], str] = visible) -> list[str]:
    """The changes in words. Every value taken from the records passes through ``esc``."""
    base, head = _escaped(base, esc), _escaped(head, esc)
    lines: list[str] = []
    unreadable = head.get(UNREADABLE, {})
    renamed = {old: pid for pid, rec in head["product"].items() for old in rec.get("former_ids", []) or []}
    for pid in sorted(set(head["product"]) - set(base["product"])):
        rec = head["product"][pid]
        olds = [o for o, new in renamed.items() if new == pid and o in base["product"]]
        if olds:
            lines.append(f"Đổi mã sản phẩm {olds[0]} → {pid} ({rec.get('name')}); địa chỉ cũ được chuyển hướng.")
            # and what else changed with it: a revocation left behind by a rename made the old label
            # URL lead to a valid page, with only "renamed" in the summary (probe, round six)
            lines.extend(_product_changes(base["product"][olds[0]], rec, pid))
        elif rec.get(INVALID):
            lines.append(_not_valid_yet("sản phẩm", None, rec, pid))
        else:
            lines.append(f"Thêm sản phẩm {rec.get('name')} ({pid}), {_get(rec, 'certificate', 'stars')} sao, "
                         f"quyết định {_get(rec, 'certificate', 'decision', 'number')} ngày "
                         f"{vn_date(_get(rec, 'certificate', 'decision', 'date'))}.")
    for pid in sorted(set(base["product"]) - set(head["product"])):
        if pid not in renamed:
            lines.append(_no_longer(base["product"][pid], unreadable, "product", pid,
                                    f"Xoá sản phẩm {base['product'][pid].get('name')} ({pid}). Lưu ý: nhãn đã in "
                                    "với mã này sẽ không còn trang; nên giữ hồ sơ với status: withdrawn."))
    for pid in sorted(set(base["product"]) & set(head["product"])):
        lines.extend(_product_changes(base["product"][pid], head["product"][pid], pid))
    for kind in ("producer", "sales_point", "village"):
        word = KIND_WORDS[kind]
        for rid in sorted(set(head[kind]) - set(base[kind])):
            lines.append(f"Thêm {word} {head[kind][rid].get('name')} ({rid}).")
        for rid in sorted(set(base[kind]) - set(head[kind])):
            lines.append(_no_longer(base[kind][rid], unreadable, kind, rid, f"Xoá {word} {base[kind][rid].get('name')} ({rid})."))
        for rid in sorted(set(base[kind]) & set(head[kind])):
            old, new = base[kind][rid], head[kind][rid]
            if (new.get(INVALID) or old.get(INVALID)) and _content(old) != _content(new):
                lines.append(_not_valid_yet(word, old, new, rid))
            elif kind == "sales_point":
                added = [p for p in new.get("products", []) or [] if p not in (old.get("products") or [])]
                gone = [p for p in old.get("products", []) or [] if p not in (new.get("products") or [])]
                if added:
                    lines.append(f"Điểm bán {new.get('name')} bày thêm: {', '.join(added)}.")
                if gone:
                    lines.append(f"Điểm bán {new.get('name')} thôi bày: {', '.join(gone)}.")
            elif _content(old) != _content(new):
                lines.append(f"Sửa thông tin {word} {new.get('name')} ({rid}).")
    # a file the change adds that cannot be read has no record to name: said by its path (probe, round
    # six: 17 hostile files added, 4 named in the summary)
    known = {rec.get("__file__") for kind in KIND_FOLDERS for rec in base[kind].values()} | set(base.get(UNREADABLE, {}))
    for file in sorted(set(unreadable) - known):
        why = unreadable[file].get("why")
        lines.append(f"Thêm tệp {file}: chưa đọc được{': ' + why if why else ''} — sửa theo lỗi ocop validate báo.")
    dropped_ids = sorted(set(base.get(PUBLISHED, {})) - set(head.get(PUBLISHED, {})))
    if dropped_ids:
        lines.append(f"Xoá {len(dropped_ids)} mã đã công bố khỏi {MANIFEST_FILE}: {', '.join(dropped_ids[:20])}"
                     f"{', …' if len(dropped_ids) > 20 else ''}. Nhãn đã in với các mã này có thể không còn trang.")
    other = sum(1 for pid in set(base["product"]) & set(head["product"])
                if _content(base["product"][pid]) != _content(head["product"][pid]))
    if not lines and other:
        lines.append(f"Sửa thông tin {other} sản phẩm (không đổi sao, giấy chứng nhận hay trạng thái).")
    return lines


def _no_longer(rec: dict, unreadable: dict[str, dict], kind: str, rid: str, what: str) -> str:
    """A record no longer on the head side: removed (``what``), or its file is there but cannot be read."""
    if rec.get("__file__") not in unreadable:
        return what
    why = unreadable[rec["__file__"]].get("why")
    return (f"Không đọc được hồ sơ {KIND_WORDS[kind]} {rec.get('name')} ({rid}, {rec['__file__']})"
            f"{': ' + why if why else ''} — hồ sơ vẫn còn, chưa bị xoá: sửa lỗi này (ocop validate) rồi xem lại.")


def _product_changes(old: dict, new: dict, pid: str) -> list[str]:
    """The changes to one product kept by the change, in words."""
    lines: list[str] = []
    name = new.get("name")
    if new.get(INVALID) or old.get(INVALID):
        if _content(old) != _content(new):
            lines.append(_not_valid_yet("sản phẩm", old, new, pid))
        return lines
    old_cert, new_cert = old.get("certificate") or {}, new.get("certificate") or {}
    renewed = _cert_key(old_cert) != _cert_key(new_cert)
    if renewed:
        lines.append(f"Công nhận lại {name}: quyết định {_get(new, 'certificate', 'decision', 'number')} ngày "
                     f"{vn_date(_get(new, 'certificate', 'decision', 'date'))}, hiệu lực đến "
                     f"{vn_date(_get(new, 'certificate', 'valid_until'))}.")
    replaced, dropped = history_lost(old, new)
    if replaced:
        lines.append(f"Lịch sử không được giữ: giấy chứng nhận cũ của {name} ({old_cert.get('number') or '—'}, quyết định "
                     f"{_get(old, 'certificate', 'decision', 'number')} ngày {vn_date(_get(old, 'certificate', 'decision', 'date'))}, "
                     f"{old_cert.get('stars')} sao) không có trong earlier_ratings — thêm vào để giữ lịch sử công nhận.")
    if dropped:
        lines.append(f"Lịch sử không được giữ: {name} mất {len(dropped)} lần công nhận trước trong earlier_ratings ("
                     + ", ".join(f"{_get(r, 'decision', 'number')} ngày {vn_date(_get(r, 'decision', 'date'))}" for r in dropped)
                     + ").")
    if old_cert.get("stars") != new_cert.get("stars"):
        lines.append(f"Đổi hạng sao {name}: {old_cert.get('stars')} → {new_cert.get('stars')} sao.")
    revocation = new_cert.get("revocation")
    if revocation and (renewed or not old_cert.get("revocation")):
        lines.append(f"Thu hồi giấy chứng nhận {name}: quyết định {_get(revocation, 'decision', 'number')} ngày "
                     f"{vn_date(_get(revocation, 'decision', 'date'))}, lý do: {revocation.get('reason')}.")
    elif old_cert.get("revocation") and not revocation:  # a renewal must not hide it either (issue #24)
        lines.append(f"Bỏ thu hồi giấy chứng nhận {name} (quyết định thu hồi "
                     f"{_get(old_cert, 'revocation', 'decision', 'number')} không còn trong hồ sơ).")
    old_place, new_place = old.get("certified_address") or {}, new.get("certified_address") or {}
    if isinstance(old_place, dict) and isinstance(new_place, dict) and old_place.get("text") != new_place.get("text"):
        lines.append(f"Đổi địa chỉ trên giấy chứng nhận {name}: {old_place.get('text') or '(trống)'} → "
                     f"{new_place.get('text') or '(trống)'}.")
    if old.get("status") != "withdrawn" and new.get("status") == "withdrawn":
        reason = f" Lý do: {new.get('status_reason')}." if new.get("status_reason") else ""
        lines.append(f"Rút khỏi danh mục: {name}.{reason}")
    if old.get("status") == "withdrawn" and new.get("status") != "withdrawn":
        lines.append(f"Đưa trở lại danh mục: {name}.")
    if old.get("name") != new.get("name"):
        lines.append(f"Đổi tên sản phẩm {pid}: {old.get('name')} → {name}.")
    if old_cert.get("valid_until") != new_cert.get("valid_until") and not renewed:
        lines.append(f"Sửa ngày hiệu lực {name}: {vn_date(old_cert.get('valid_until'))} → {vn_date(new_cert.get('valid_until'))}.")
    lines.extend(_ending_changes(old, new, name))
    if old.get("gtin") != new.get("gtin"):
        said = f"{old.get('gtin') or '(chưa có)'} → {new.get('gtin') or '(bỏ đi)'}"
        lines.append(f"Đổi mã GTIN {name}: {said}." + (
            f" Nhãn đã in với mã vạch {old['gtin']} (địa chỉ {digital_link_path(str(old['gtin']))}) sẽ không còn dẫn tới "
            "sản phẩm này."
            if old.get("gtin") else ""))
    return lines


def history_lost(old: dict, new: dict) -> tuple[bool, list[dict]]:
    """What a change to one product drops of its certificate history: (the certificate was replaced by
    another and is not in the new ``earlier_ratings``, the earlier ratings no longer there). The
    validator cannot see either — only the two sides can (issue #15)."""
    kept = {_cert_key(r) for r in new.get("earlier_ratings") or [] if isinstance(r, dict)}
    old_cert, new_cert = old.get("certificate") or {}, new.get("certificate") or {}
    # kept means copied as it was: the same decision with another certificate number or stars is a
    # copy typed wrong (re-check, round seven: "1O2/GCN-UBND" for 102/GCN-UBND passed, and the label page
    # then told a shopper holding a real pack of 102 that it must say 1O2)
    copies = [r for r in new.get("earlier_ratings") or [] if isinstance(r, dict) and _cert_key(r) == _cert_key(old_cert)]
    faithful = any(str(r.get("certificate_number")) == str(old_cert.get("number")) and str(r.get("stars")) == str(old_cert.get("stars"))
                   for r in copies)
    replaced = _cert_key(old_cert) != _cert_key(new_cert) and not faithful
    dropped = [r for r in old.get("earlier_ratings") or [] if isinstance(r, dict) and _cert_key(r) not in kept]
    return replaced, dropped


def history_losses(base: dict[str, dict[str, dict]], head: dict[str, dict[str, dict]]) -> list[tuple[str, dict, dict]]:
    """(product id, before, after) of every product whose certificate history the change drops
    (:func:`history_lost`), a renamed one under its new id; records not valid on either side are left
    to the validator's errors."""
    renamed = {old: pid for pid, rec in head["product"].items() for old in rec.get("former_ids", []) or []}
    pairs = [(pid, base["product"][pid], head["product"][pid]) for pid in sorted(set(base["product"]) & set(head["product"]))]
    pairs += [(new, base["product"][old], head["product"][new]) for old, new in sorted(renamed.items())
              if old in base["product"] and new in head["product"] and new not in base["product"]]
    return [(pid, old, new) for pid, old, new in pairs
            if not (old.get(INVALID) or new.get(INVALID)) and any(history_lost(old, new))]


def _ending_changes(old: dict, new: dict, name: Any) -> list[str]:
    """A revocation or withdrawal kept but moved in time: pushed years ahead it makes a revoked
    product valid again on every page while the summary said "no change to the status" (probe,
    round six)."""
    lines = []
    before, after = _get(old, "certificate", "revocation") or {}, _get(new, "certificate", "revocation") or {}
    if before and after:
        for label, path in (("ngày hiệu lực của việc thu hồi", ("effective_from",)), ("ngày quyết định thu hồi", ("decision", "date")),
                            ("số quyết định thu hồi", ("decision", "number"))):
            a, b = _get(before, *path), _get(after, *path)
            if a != b:
                shown = (_day(a), _day(b)) if "ngày" in label else (a or "(trống)", b or "(trống)")
                lines.append(f"Sửa {label} {name}: {shown[0]} → {shown[1]}.")
    if old.get("status") == new.get("status") == "withdrawn":
        for label, a, b in (("ngày rút khỏi danh mục", old.get("status_date"), new.get("status_date")),
                            ("ngày quyết định rút", _get(old, "status_decision", "date"), _get(new, "status_decision", "date"))):
            if a != b:
                lines.append(f"Sửa {label} {name}: {_day(a)} → {_day(b)}.")
    return lines


def _day(value: Any) -> str:
    return vn_date(value) if value else "(trống)"


def _content(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "__file__"}


def touched_files(base: dict[str, dict[str, dict]], head: dict[str, dict[str, dict]]) -> set[str]:
    """The head files of records the change adds or alters."""
    out = set()
    for kind, records in head.items():
        if kind in (PUBLISHED, UNREADABLE):
            continue
        for rid, rec in records.items():
            if rid not in base[kind] or _content(base[kind][rid]) != _content(rec):
                out.add(rec["__file__"])
    return out


def warnings_on(problems: list[Problem], files: set[str]) -> list[str]:
    return [f"Cảnh báo: {p.file}:{p.line}: {p.field + ': ' if p.field else ''}{p.message()} [{p.code}]"
            for p in problems if p.severity == WARNING and p.file in files]


def _escaped(side: dict[str, dict[str, dict]], esc: Callable[[str], str]) -> dict[str, dict[str, dict]]:
    """A copy in which every text value (ids, names, numbers as typed) went through ``esc``; field
    names stay as they are (the comparison reads known fields only)."""
    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return esc(value)
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return {kind: {esc(rid): walk(rec) for rid, rec in table.items()} for kind, table in side.items()}


def diff(root: Path, base_rev: str, head_rev: str | None, as_of: dt.date, markdown: bool = False) -> list[str]:
    esc = markdown_inline if markdown else visible
    base, _ = side_at(root, base_rev, as_of)
    head, problems = side_at(root, head_rev, as_of)
    return (compare(base, head, esc) + outside_records(root, base_rev, head_rev, esc)
            + [esc(line) for line in warnings_on(problems, touched_files(base, head))])


# What a change does besides the records (probe, round four): a branch that moved ``base_url`` to
# another domain (every QR label printed after the merge leads there), pointed the form editor's
# sign-in elsewhere, or replaced a product's photo (one showing "5 sao") was summarised as "no change".
# Every changed file of the data root outside the record folders is named, and for the configuration
# every changed setting, old → new. A setting's value is shown as typed, escaped like any record text.
WATCHED_OUTSIDE = (CONFIG_FILE, "images", MANIFEST_FILE)
STATUS_WORDS = {"A": "thêm", "M": "sửa", "D": "xoá", "T": "đổi loại tệp"}


def outside_records(root: Path, base_rev: str, head_rev: str | None, esc: Callable[[str], str]) -> list[str]:
    """Lines naming the changed files of the data root that are not records (configuration, photos,
    the published-ids list) and the configuration's changed settings."""
    revs = [base_rev] + ([head_rev] if head_rev else [])
    # -z: status and path are separate fields (a name may hold any character)
    raw = _git(root, "diff", "--relative", "--name-status", "--no-renames", "-z", *revs, "--", *WATCHED_OUTSIDE).decode("utf-8", "replace")
    fields = [f for f in raw.split("\0") if f]
    changed = [(fields[i][:1], fields[i + 1]) for i in range(0, len(fields) - 1, 2)]
    if head_rev is None:  # the working tree: new files git does not track yet count too
        untracked = _git(root, "ls-files", "--others", "--exclude-standard", "-z", "--", *WATCHED_OUTSIDE)
        changed += [("A", name) for name in untracked.decode("utf-8", "replace").split("\0") if name]
    lines = []
    for status, name in sorted(changed, key=lambda c: c[1]):
        if name == CONFIG_FILE and status == "M":
            lines += _config_changes(root, base_rev, head_rev, esc)
        elif name != MANIFEST_FILE:  # its dropped ids are said by compare()
            lines.append(f"Tệp {esc(name)}: {STATUS_WORDS.get(status, 'thay đổi')}"
                         + (" (ảnh trên trang sản phẩm)" if name.startswith("images/") else ""))
    return lines


def _config_changes(root: Path, base_rev: str, head_rev: str | None, esc: Callable[[str], str]) -> list[str]:
    def settings(text: bytes) -> dict[str, Any]:
        # read as validate reads it (size limit, no anchors, aliases or tags, depth limit, values as
        # typed): PyYAML's safe_load gave a traceback on "publisher: 2026-02-30" and ran out of memory
        # on nested aliases, so the pull request's summary came out empty (probe, round six)
        if len(text) > MAX_BYTES:
            return {"(tệp)": "quá lớn, không đọc"}
        loaded = load_bytes(text, CONFIG_FILE)
        if loaded.data is None or any(p.severity != WARNING for p in loaded.problems):
            return {"(tệp)": "không đọc được"}
        doc = loaded.data
        flat: dict[str, Any] = {}

        def walk(value: Any, path: str) -> None:
            if isinstance(value, dict) and value:
                for key, inner in value.items():
                    walk(inner, f"{path}.{key}" if path else str(key))
            else:
                flat[path or "(tệp)"] = value

        walk(doc, "")
        return flat

    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    before = settings(_git(root, "show", f"{base_rev}:{prefix}{CONFIG_FILE}"))
    after = settings(_git(root, "show", f"{head_rev}:{prefix}{CONFIG_FILE}") if head_rev
                     else (root / CONFIG_FILE).read_bytes())
    lines = []
    if "(tệp)" in after and after != before:  # unreadable now: one line, not every setting "removed"
        return [f"Cấu hình {CONFIG_FILE}: {after['(tệp)']} — ocop validate nói lý do; các thay đổi cấu hình sẽ được "
                "tóm tắt khi tệp đọc được."]
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            old, new = before.get(key, "(chưa có)"), after.get(key, "(bỏ đi)")
            note = {"base_url": " — mọi nhãn QR in sau khi gộp sẽ dẫn tới địa chỉ mới; nhãn đã in vẫn dẫn tới địa chỉ cũ",
                    "editor.auth_url": " — nơi cán bộ đăng nhập GitHub để sửa hồ sơ trên trình duyệt"}.get(key, "")
            lines.append(f"Cấu hình {CONFIG_FILE}: {esc(key)} '{esc(str(old))}' → '{esc(str(new))}'{note}")
    return lines
