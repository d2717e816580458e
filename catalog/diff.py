"""`ocop diff BASE [HEAD]`: what a change does to the catalogue, in plain Vietnamese.

Both sides are read from git (``git archive`` of the data root at each revision; HEAD omitted =
the working tree), loaded and validated the usual way, and compared record by record: products
added, removed or renamed, stars changed, certificates renewed, revoked or withdrawn, sales points,
producers and villages added, removed or changed, and ids taken out of ``published-ids.txt``. Used
for the pull-request job summary.

Every value from the records goes through one escaping function (``esc``): in a terminal
control and bidirectional characters are shown as ``\\uXXXX`` (a CR in a name cannot overwrite the
line before it), and in the Markdown job summary nothing typed can become a link, a heading or an
HTML comment that hides the lines after it (catalog/escaping.py).
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any, Callable

from .errors import CatalogError
from .escaping import markdown_inline, visible
from .rules import KIND_FOLDERS
from .validate import MANIFEST_FILE, check, read_manifest

KIND_WORDS = {"product": "sản phẩm", "producer": "chủ thể", "sales_point": "điểm bán", "village": "làng, bản"}


def _git(root: Path, *args: str) -> bytes:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=True).stdout
    except FileNotFoundError as exc:
        raise CatalogError("cần git để so sánh hai phiên bản") from exc
    except subprocess.CalledProcessError as exc:
        raise CatalogError(f"git {' '.join(args)}: {exc.stderr.decode(errors='replace').strip()}") from exc


def records_at(root: Path, rev: str | None, as_of: dt.date) -> dict[str, dict[str, dict]]:
    """kind → id → record data, for the data root at a git revision (None: the working tree)."""
    if rev is None:
        return _records(root, as_of)
    prefix = _git(root, "rev-parse", "--show-prefix").decode().strip()
    with tempfile.TemporaryDirectory(prefix="ocop-diff-") as tmp:
        archive = _git(root, "archive", "--format=tar", rev, "--", f"./{prefix}" if prefix else ".")
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        return _records(Path(tmp) / prefix, as_of)


def _records(root: Path, as_of: dt.date) -> dict[str, dict[str, dict]]:
    """kind → id → data, and under ``PUBLISHED`` the 'kind id' lines of published-ids.txt."""
    out: dict[str, dict[str, dict]] = {k: {} for k in KIND_FOLDERS}
    out[PUBLISHED] = {}
    if not root.is_dir():
        return out
    for c in check(root, as_of).checked:
        if c.data is not None and isinstance(c.data.get("id"), str):
            out[c.kind][c.data["id"]] = c.data
    out[PUBLISHED] = {f"{kind} {rid}": {} for _, kind, rid in read_manifest(root)[0]}
    return out


PUBLISHED = "published-ids"


def _get(d: dict, *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict):
            return None
        d = d.get(p)
    return d


def compare(base: dict[str, dict[str, dict]], head: dict[str, dict[str, dict]],
            esc: Callable[[str], str] = visible) -> list[str]:
    """The changes in words. Every value taken from the records passes through ``esc``."""
    base, head = _escaped(base, esc), _escaped(head, esc)
    lines: list[str] = []
    renamed = {old: pid for pid, rec in head["product"].items() for old in rec.get("former_ids", []) or []}
    for pid in sorted(set(head["product"]) - set(base["product"])):
        rec = head["product"][pid]
        olds = [o for o, new in renamed.items() if new == pid and o in base["product"]]
        if olds:
            lines.append(f"Đổi mã sản phẩm {olds[0]} → {pid} ({rec.get('name')}); địa chỉ cũ được chuyển hướng.")
        else:
            lines.append(f"Thêm sản phẩm {rec.get('name')} ({pid}), {_get(rec, 'certificate', 'stars')} sao, "
                         f"quyết định {_get(rec, 'certificate', 'decision', 'number')}.")
    for pid in sorted(set(base["product"]) - set(head["product"])):
        if pid not in renamed:
            lines.append(f"Xoá sản phẩm {base['product'][pid].get('name')} ({pid}). "
                         "Lưu ý: nhãn đã in với mã này sẽ không còn trang; nên giữ hồ sơ với status: withdrawn.")
    for pid in sorted(set(base["product"]) & set(head["product"])):
        old, new = base["product"][pid], head["product"][pid]
        name = new.get("name")
        if _get(old, "certificate", "decision", "number") != _get(new, "certificate", "decision", "number"):
            lines.append(f"Công nhận lại {name}: quyết định {_get(new, 'certificate', 'decision', 'number')} ngày "
                         f"{_get(new, 'certificate', 'decision', 'date')}, hiệu lực đến {_get(new, 'certificate', 'valid_until')}.")
        if _get(old, "certificate", "stars") != _get(new, "certificate", "stars"):
            lines.append(f"Đổi hạng sao {name}: {_get(old, 'certificate', 'stars')} → {_get(new, 'certificate', 'stars')} sao.")
        if not _get(old, "certificate", "revocation") and _get(new, "certificate", "revocation"):
            lines.append(f"Thu hồi giấy chứng nhận {name}: quyết định {_get(new, 'certificate', 'revocation', 'decision', 'number')}.")
        if old.get("status") != "withdrawn" and new.get("status") == "withdrawn":
            lines.append(f"Rút khỏi danh mục: {name}.")
        if old.get("status") == "withdrawn" and new.get("status") != "withdrawn":
            lines.append(f"Đưa trở lại danh mục: {name}.")
        if old.get("name") != new.get("name"):
            lines.append(f"Đổi tên sản phẩm {pid}: {old.get('name')} → {name}.")
        if _get(old, "certificate", "valid_until") != _get(new, "certificate", "valid_until") and \
                _get(old, "certificate", "decision", "number") == _get(new, "certificate", "decision", "number"):
            lines.append(f"Sửa ngày hiệu lực {name}: {_get(old, 'certificate', 'valid_until')} → {_get(new, 'certificate', 'valid_until')}.")
    for kind in ("producer", "sales_point", "village"):
        word = KIND_WORDS[kind]
        for rid in sorted(set(head[kind]) - set(base[kind])):
            lines.append(f"Thêm {word} {head[kind][rid].get('name')} ({rid}).")
        for rid in sorted(set(base[kind]) - set(head[kind])):
            lines.append(f"Xoá {word} {base[kind][rid].get('name')} ({rid}).")
        for rid in sorted(set(base[kind]) & set(head[kind])):
            old, new = base[kind][rid], head[kind][rid]
            if kind == "sales_point":
                added = [p for p in new.get("products", []) or [] if p not in (old.get("products") or [])]
                gone = [p for p in old.get("products", []) or [] if p not in (new.get("products") or [])]
                if added:
                    lines.append(f"Điểm bán {new.get('name')} bày thêm: {', '.join(added)}.")
                if gone:
                    lines.append(f"Điểm bán {new.get('name')} thôi bày: {', '.join(gone)}.")
            elif old != new:
                lines.append(f"Sửa thông tin {word} {new.get('name')} ({rid}).")
    dropped = sorted(set(base.get(PUBLISHED, {})) - set(head.get(PUBLISHED, {})))
    if dropped:
        lines.append(f"Xoá {len(dropped)} mã đã công bố khỏi {MANIFEST_FILE}: {', '.join(dropped[:20])}"
                     f"{', …' if len(dropped) > 20 else ''}. Nhãn đã in với các mã này có thể không còn trang.")
    other = sum(1 for pid in set(base["product"]) & set(head["product"])
                if base["product"][pid] != head["product"][pid])
    if not lines and other:
        lines.append(f"Sửa thông tin {other} sản phẩm (không đổi sao, giấy chứng nhận hay trạng thái).")
    return lines


def _escaped(side: dict[str, dict[str, dict]], esc: Callable[[str], str]) -> dict[str, dict[str, dict]]:
    """A copy in which every text (keys of the tables, ids, names, numbers as typed) went through ``esc``."""
    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return esc(value)
        if isinstance(value, dict):
            return {walk(k): walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return {kind: {esc(rid): walk(rec) for rid, rec in table.items()} for kind, table in side.items()}


def diff(root: Path, base_rev: str, head_rev: str | None, as_of: dt.date, markdown: bool = False) -> list[str]:
    esc = markdown_inline if markdown else visible
    return compare(records_at(root, base_rev, as_of), records_at(root, head_rev, as_of), esc)
