"""The field reference for staff (docs/truong-du-lieu.md), generated from the schemas.

`tools/setup.sh test` checks the committed file is what this generates, so it cannot drift from
the format: regenerate with `ocop field-reference > docs/truong-du-lieu.md`.
"""

from __future__ import annotations

from ..records.schemas import load_schema, resolve
from ..records.problems import MESSAGES

KINDS = [("product", "Sản phẩm OCOP", "products/<tỉnh>/<mã>.yaml"),
         ("producer", "Chủ thể", "producers/<tỉnh>/<mã>.yaml"),
         ("sales_point", "Điểm bán", "sales_points/<tỉnh>/<mã>.yaml"),
         ("village", "Làng nghề, bản du lịch", "villages/<tỉnh>/<mã>.yaml"),
         ("config", "Cấu hình kho dữ liệu", "ocop.yaml")]


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _rows(fragment: dict, base: str, prefix: str, out: list[str]) -> None:
    required = set(fragment.get("required", []))
    for key, sub in fragment.get("properties", {}).items():
        sub, sub_base = resolve(sub, base)
        name = f"{prefix}{key}"
        kind = sub.get("type", "")
        if kind == "array":
            items, items_base = resolve(sub.get("items", {}), sub_base)
            kind = f"danh sách {items.get('type', '')}".strip()
        allowed = ", ".join(f"`{v}`" for v in sub.get("enum", []))
        example = sub.get("examples", [""])[0]
        example = "" if isinstance(example, (dict, list)) else f"`{example}`"
        desc = sub.get("description", "") + (f" Giá trị: {allowed}." if allowed and len(allowed) < 400 else "")
        out.append(f"| `{name}` | {'có' if key in required else ''} | {_cell(sub.get('title', ''))} | {_cell(desc)} | {_cell(example)} |")
        if sub.get("type") == "object":
            _rows(sub, sub_base, f"{name}.", out)
        elif sub.get("type") == "array":
            items, items_base = resolve(sub.get("items", {}), sub_base)
            if items.get("type") == "object":
                _rows(items, items_base, f"{name}[].", out)


def field_reference() -> str:
    out = ["# Các trường dữ liệu", "",
           "Tài liệu này được sinh tự động từ `schemas/` (`ocop field-reference`); đừng sửa tay.", ""]
    for kind, title, where in KINDS:
        schema = load_schema(f"{kind}.schema.json")
        out += [f"## {title}", "", f"Tệp: `{where}`. {schema.get('description', '')}", "",
                "| trường | bắt buộc | tên | ý nghĩa | ví dụ |", "|---|---|---|---|---|"]
        _rows(schema, f"{kind}.schema.json", "", out)
        out.append("")
    return "\n".join(out)


def problem_reference() -> str:
    """Every problem code with its Vietnamese message (docs/ma-loi.md)."""
    import re

    out = ["# Mã lỗi và cảnh báo của `ocop validate`", "",
           "Sinh tự động từ `catalog/records/problems.py` (`ocop field-reference --problems`); đừng sửa tay.",
           "Chữ trong {ngoặc nhọn} được thay bằng giá trị cụ thể trong từng thông báo.", "",
           "| mã | mức | thông báo |", "|---|---|---|"]
    for code in sorted(MESSAGES):
        severity, vi, _ = MESSAGES[code]
        text = re.sub(r"\{(\w+)\}", r"‹\1›", vi)
        out.append(f"| `{code}` | {'lỗi' if severity == 'error' else 'cảnh báo'} | {_cell(text)} |")
    return "\n".join(out) + "\n"
