"""`ocop new`: a complete, commented record template generated from the schema (never hand-kept).

Every field of the schema appears, in schema order, with its Vietnamese title and description as
a comment. Required fields are present with an **empty** value, so the new file fails validation
until someone fills it in (an example value could otherwise be published by mistake); the
example is shown in the comment. Optional fields are commented out, ready to uncomment.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from ..reference import places
from ..reference.places import province_folder
from ..reference.errors import CatalogError
from ..checks.rules import KIND_FOLDERS, producer_key
from ..records.schemas import load_schema, resolve

KIND_ALIASES = {"product": "product", "producer": "producer", "sales-point": "sales_point", "sales_point": "sales_point",
                "village": "village"}
DEFAULT_STEM = {"product": "san-pham-moi", "producer": "chu-the-moi", "sales_point": "diem-ban-moi", "village": "lang-moi"}


def _scalar(value) -> str:
    if isinstance(value, str):
        plain = re.fullmatch(r"[A-Za-zÀ-ỹĐđ][^:#'\"\[\]{},&*!|>%@`]*", value) and value.strip() == value
        if plain and value.lower() not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n"):
            return value
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def _example(fragment: dict) -> str:
    examples = fragment.get("examples") or []
    if not examples:
        return ""
    ex = examples[0]
    if isinstance(ex, (dict, list)):
        return json.dumps(ex, ensure_ascii=False)
    return _scalar(ex)


def _comment(fragment: dict, required: bool) -> list[str]:
    need = "bắt buộc" if required else "không bắt buộc"
    lines = [f"{fragment.get('title', '')} ({need}). {fragment.get('description', '')}".strip()]
    if "enum" in fragment:
        names = fragment.get("enumDescriptions") or []
        choices = [f"{v} = {n}" if n else str(v) for v, n in zip(fragment["enum"], names + [""] * len(fragment["enum"]))]
        lines.append("Chọn một trong: " + "; ".join(choices))
    ex = _example(fragment)
    if ex:
        lines.append(f"Ví dụ: {ex}")
    return lines


def _emit(fragment: dict, base: str, indent: int, out: list[str], values: dict, commented: bool) -> None:
    pad = " " * indent
    required = set(fragment.get("required", []))
    for key, sub in fragment.get("properties", {}).items():
        sub, sub_base = resolve(sub, base)
        is_required = key in required
        hide = commented or not is_required
        mark = "# " if hide else ""
        for line in _comment(sub, is_required):
            out.append(f"{pad}# {line}")
        if key in values and not hide:
            out.append(f"{pad}{key}: {_scalar(values[key])}")
        elif sub.get("type") == "object" and "properties" in sub:
            out.append(f"{pad}{mark}{key}:")
            _emit(sub, sub_base, indent + 2, out, {}, hide)
        elif sub.get("type") == "array":
            items, items_base = resolve(sub.get("items", {}), sub_base)
            if items.get("type") == "object":
                out.append(f"{pad}{mark}{key}:")
                item_lines: list[str] = []
                _emit(items, items_base, indent + 4, item_lines, {}, hide)
                first = next(i for i, line in enumerate(item_lines) if _is_field(line[indent + 4:]))
                field = item_lines[first][indent + 4:]
                item_lines[first] = f"{pad}  # - {field[2:]}" if field.startswith("# ") else f"{pad}  - {field}"
                out.extend(item_lines)
            else:
                out.append(f"{pad}{mark}{key}:" + ("" if not hide else f" {_example(sub)}"))
                if not hide:
                    out.append(f"{pad}  - ")
        else:
            out.append(f"{pad}{mark}{key}:" + (f" {_example(sub)}" if hide else ""))
        out.append("") if indent == 0 else None


def _is_field(line: str) -> bool:
    return bool(re.match(r"(# )?[a-z_]+:", line))


def template(kind: str, values: dict | None = None) -> str:
    base = f"{kind}.schema.json"
    out = [
        f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json",
        "# Mẫu hồ sơ tạo bằng `ocop new`. Điền các trường bắt buộc (đang để trống), bỏ dấu # ở đầu",
        "# các trường không bắt buộc muốn dùng, rồi chạy `ocop validate`.",
        "",
    ]
    _emit(load_schema(base), base, 0, out, values or {}, False)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def required_fields(kind: str) -> list[str]:
    base = f"{kind}.schema.json"
    names: list[str] = []

    def walk(fragment: dict, base: str, prefix: str) -> None:
        for key in fragment.get("required", []):
            sub, sub_base = resolve(fragment["properties"][key], base)
            if sub.get("type") == "object" and "properties" in sub:
                walk(sub, sub_base, f"{prefix}{key}.")
            else:
                names.append(prefix + key)

    walk(load_schema(base), base, "")
    return names


_NAME_LINE = re.compile(r"^name:[ \t]*(.+?)[ \t]*$", re.M)


def same_name(root: Path, kind: str, name: str) -> Path | None:
    """A record of ``kind`` whose name is ``name`` once case, accents and spacing are folded (for
    producers also 'HTX' = 'Hợp tác xã', see rules.producer_key), or None. Reads only each file's
    top-level ``name:`` line (fast enough for a national catalogue)."""
    def key(text: str) -> str:
        return producer_key(text) if kind == "producer" else places.fold(" ".join(text.split()))

    wanted = key(name)
    folder = root / KIND_FOLDERS[kind]
    for path in sorted(folder.rglob("*.yaml")) if folder.is_dir() else []:
        try:
            match = _NAME_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
            typed = yaml.safe_load(match.group(1)) if match else None
        except yaml.YAMLError:
            continue
        if isinstance(typed, str) and key(typed) == wanted:
            return path
    return None


def new_record(root: Path, kind_arg: str, province: str, name: str | None = None,
               same_name_ok: bool = False) -> tuple[Path, list[str]]:
    kind = KIND_ALIASES.get(kind_arg)
    if kind is None:
        raise CatalogError(f"loại hồ sơ '{kind_arg}' không có; chọn product, producer, sales-point hoặc village")
    folder = province_folder(province)
    existing = same_name(root, kind, name) if name and not same_name_ok else None
    if existing is not None:
        how = (" (gia hạn, nâng hạng: chuyển giấy chứng nhận cũ vào earlier_ratings)" if kind == "product" else "")
        other = "một sản phẩm khác trùng tên (của chủ thể khác)" if kind == "product" else "một hồ sơ khác trùng tên"
        raise CatalogError(
            f"đã có hồ sơ cùng tên: {existing.relative_to(root).as_posix()}. Sửa hồ sơ đó{how} thay vì tạo hồ sơ mới. "
            f"Nếu đúng là {other}, chạy lại với --same-name-ok")
    taken = {p.stem for p in (root / KIND_FOLDERS[kind]).rglob("*.yaml")} if (root / KIND_FOLDERS[kind]).is_dir() else set()
    stem = places.slug(name)[:40].strip("-") if name else DEFAULT_STEM[kind]
    rid, n = stem, 2 if name else 1
    if not name:
        rid = f"{stem}-1"
    while rid in taken:
        rid = f"{stem}-{n}"
        n += 1
    values = {"id": rid}
    if name:
        values["name"] = name
    text = template(kind, values)
    info = places.provinces_by_folder()[folder]
    text = text.replace("\n  province:\n", f"\n  province: {info.name}\n", 1)
    path = root / KIND_FOLDERS[kind] / folder / f"{rid}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as fh:  # never overwrite
        fh.write(text)
    return path, required_fields(kind)
