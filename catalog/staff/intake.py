"""`ocop intake`: what the officer's desk workflow runs on a pull request (issue #26).

An officer who has only a browser does two things on the git host, and this command finishes both
on the pull request's own branch:

1. **An annex in** — she uploads the decision annex (``.xlsx``, ``.csv``; whatever
   :func:`catalog.staff.importer.plan` reads) into ``intake/`` on a new branch and opens a pull request.
   Each annex there is imported exactly as ``ocop import --write`` would (the importer's public
   ``plan``/``describe``/``summary``/``apply``: the same words as the dry run), so the records
   land on the same branch. Re-running after she fixes the annex imports it again: records already
   written are "không đổi" or updated, never duplicated. Nothing of hers is removed: the annex stays
   in ``intake/`` (the site is built from the record folders only, so it is never published) and
   records she edited are not touched by the import unless the annex says otherwise.
   An annex needing options the title does not give (decision, date, body, province, column
   mapping) takes them from ``intake/<annex name>.yaml`` (``decision: 1234/QĐ-UBND``,
   ``date: 15/08/2025``, ``body: UBND tỉnh Lạng Sơn``, ``province: lang-son``, and ``mapping:``
   with ``Tiêu đề cột: tên trường`` lines) — the same options as the command line.
2. **A form in** — records written by the form editor (Decap CMS, catalog/publish/cms.py) lose their
   comments and get Decap's key order and quoting: every record changed on the branch since
   ``--base`` is rewritten by :func:`catalog.staff.fmt.restore_text` (the form's values laid onto the base
   version), so ``ocop fmt --check`` passes and ``git diff`` shows only what she changed.

The Markdown report (``--report``) is what the workflow posts as the pull request's comment (one
comment, updated on each run): per annex the dry-run text, what was written, what each record still
needs; the records normalised; and what ``ocop validate`` still says.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..reference.errors import CatalogError
from .fmt import restore_text
from .importer import apply, describe, plan, summary

INTAKE_DIR = "intake"
ANNEX_SUFFIXES = (".xlsx", ".csv", ".docx")
KIND_FOLDERS = {"products": "product", "producers": "producer", "sales_points": "sales_point", "villages": "village"}
OPTIONS = ("decision", "date", "body", "province")
COMMENT_MARK = "<!-- ocop-intake -->"  # the workflow finds its own comment by this line and updates it


@dataclass
class Outcome:
    annexes: list[tuple[str, list[str], list[Path]]] = field(default_factory=list)  # (name, dry-run lines, written)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (annex, why)
    restored: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=check)
    except FileNotFoundError as exc:
        raise CatalogError("cần git để so với nhánh chính") from exc
    except subprocess.CalledProcessError as exc:
        raise CatalogError(f"git {' '.join(args)}: {exc.stderr.decode(errors='replace').strip()}") from exc


def changed_records(root: Path, base: str) -> list[str]:
    """Record files added or changed since ``base`` (committed on the branch or in the work tree)."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.decode().strip())
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.decode().strip()
    merge_base = _git(root, "merge-base", base, "HEAD").stdout.decode().strip()
    names = _git(root, "diff", "--name-only", "--diff-filter=AMR", merge_base, "--", *KIND_FOLDERS).stdout.decode()
    names += _git(root, "ls-files", "--others", "--exclude-standard", "--", *KIND_FOLDERS).stdout.decode()
    out = set()
    for name in names.splitlines():
        rel = name[len(prefix):] if prefix and name.startswith(prefix) else name
        if rel.endswith(".yaml") and (top / prefix / rel).is_file():
            out.add(rel)
    return sorted(out)


def _base_text(root: Path, base: str, rel: str) -> str | None:
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.decode().strip()
    merge_base = _git(root, "merge-base", base, "HEAD").stdout.decode().strip()
    shown = _git(root, "show", f"{merge_base}:{prefix}{rel}", check=False)
    return shown.stdout.decode("utf-8") if shown.returncode == 0 else None


def restore_records(root: Path, base: str) -> list[Path]:
    """Rewrite the records changed since ``base`` in the project's form (see module docstring)."""
    from ruamel.yaml import YAMLError

    done = []
    for rel in changed_records(root, base):
        kind = KIND_FOLDERS.get(rel.split("/", 1)[0])
        if kind is None:
            continue
        path = root / rel
        try:
            text = path.read_text(encoding="utf-8")
            restored = restore_text(text, _base_text(root, base, rel), kind)
        except (YAMLError, UnicodeDecodeError):
            continue  # not readable: ocop validate reports it, nothing is rewritten
        if restored != text:
            tmp = path.with_name(f".{path.name}.intake")
            tmp.write_text(restored, encoding="utf-8")
            tmp.replace(path)
            done.append(path)
    return done


def annexes(root: Path) -> list[Path]:
    folder = root / INTAKE_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in ANNEX_SUFFIXES)


def _options(annex: Path) -> tuple[dict, Path | None]:
    """intake/<annex name>.yaml: decision, date, body, province and a column mapping (optional)."""
    side = annex.with_name(annex.name + ".yaml")
    if not side.is_file():
        return {}, None
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{side.name}: không đọc được ({type(exc).__name__}); viết mỗi dòng 'tên: giá trị'") from None
    if not isinstance(data, dict):
        raise CatalogError(f"{side.name}: cần các dòng 'tên: giá trị' (decision, date, body, province, mapping)")
    unknown = sorted(set(map(str, data)) - set(OPTIONS) - {"mapping"})
    if unknown:
        raise CatalogError(f"{side.name}: không hiểu {', '.join(unknown)}; chỉ dùng {', '.join(OPTIONS)}, mapping")
    mapping_file = None
    if isinstance(data.get("mapping"), dict):
        mapping_file = side.with_name(f".{side.name}.mapping")
        mapping_file.write_text(yaml.safe_dump(data["mapping"], allow_unicode=True), encoding="utf-8")
    return {k: str(data[k]) for k in OPTIONS if data.get(k) is not None}, mapping_file


def run(root: Path, base: str | None, as_of: dt.date) -> Outcome:
    """Import every annex in intake/, then restore the records the form changed since ``base``."""
    out = Outcome()
    for annex in annexes(root):
        try:
            options, mapping_file = _options(annex)
            try:
                p = plan(root, annex, mapping_file, options.get("province"), as_of, options.get("decision"),
                         options.get("date"), options.get("body"))
            finally:
                if mapping_file is not None:
                    mapping_file.unlink(missing_ok=True)
        except CatalogError as exc:
            out.refused.append((annex.name, str(exc)))
            continue
        lines = [*describe(p, root), summary(p)]
        written = apply(p)
        out.annexes.append((annex.name, lines, written))
        out.written.extend(written)
    if base is not None:
        out.restored = restore_records(root, base)
    return out


def _fence(lines: list[str]) -> str:
    body = "\n".join(lines).replace("```", "ʼʼʼ")
    return f"```text\n{body}\n```"


def report(out: Outcome, root: Path, validate_lines: list[str]) -> str:
    """The pull request comment (Markdown, Vietnamese)."""
    parts = [COMMENT_MARK, "## Kết quả nhập phụ lục và chuẩn hoá hồ sơ", ""]
    if not out.annexes and not out.refused:
        parts.append(f"Không có phụ lục nào trong thư mục `{INTAKE_DIR}/` (tệp .xlsx, .csv, .docx).")
    for name, lines, written in out.annexes:
        parts += [f"### Phụ lục `{name}`", "", _fence(lines), ""]
        parts.append(f"Đã ghi {len(written)} tệp vào nhánh này" + (":" if written else "."))
        parts += [f"- `{path.relative_to(root).as_posix()}`" for path in written]
        parts.append("")
    for name, why in out.refused:
        parts += [f"### Phụ lục `{name}`: không nhập được", "", _fence([why]), ""]
    if out.restored:
        parts.append("Hồ sơ sửa bằng biểu mẫu đã được đưa về định dạng chuẩn (giữ chú thích, thứ tự trường):")
        parts += [f"- `{path.relative_to(root).as_posix()}`" for path in out.restored]
        parts.append("")
    if validate_lines:
        parts += ["### Còn phải sửa (ocop validate)", "", _fence(validate_lines), "",
                  "Mở từng hồ sơ trong trang sửa danh mục (admin/) để điền các trường còn thiếu; "
                  "máy chạy lại và cập nhật bình luận này sau mỗi lần lưu."]
    else:
        parts.append("`ocop validate`: không còn lỗi nào. Hồ sơ sẵn sàng để duyệt và gộp.")
    return "\n".join(parts).rstrip("\n") + "\n"
