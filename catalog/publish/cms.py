"""The officer's form editor (issue #26): Decap CMS's ``config.yml``, generated from ``schemas/``
and ``catalog/data/`` — never written by hand — and the admin page that loads the vendored bundle.

``ocop cms-config`` prints (or writes, ``--out``) the configuration; ``ocop build`` writes the same
configuration into ``admin/config.yml`` of the site beside ``admin/index.html`` (see
:func:`write_admin`).

How the schemas become a form (:func:`widget_for`, one rule per JSON Schema shape; a shape with no
rule raises :class:`UnmappedField`, and ``tests/test_cms.py`` walks every schema property so that a
new field without a widget fails the suite):

* labels are the schema ``title``\\s, hints the ``description``\\s (Vietnamese, the officer's words
  already used by ``ocop validate`` and docs/truong-du-lieu.md); a field the schema does not
  require is ``required: false``;
* an ``enum`` is a ``select`` (labels from ``enumDescriptions`` where the schema has them); the code
  lists filled from catalog/data (``x-enum``: legal basis, group, product set) are selects with the
  names from ocop_rules.yaml / taxonomy.yaml. **Product set filtered by group**: Decap's ``select``
  has static options and its ``relation`` widget only filters by fixed values, not by another
  field of the entry being edited — so every set's label names its group ("Chè tươi, chè chế biến
  — Thực phẩm (QĐ 148)") and ``ocop validate`` (rule ``product-set-mismatch``) refuses a set of
  another group in the pull request's check;
* the current province (``address.province``) is the collection's province and the current
  commune a searchable ``select`` of that province's communes in force (places_2025.json);
* references to other records are ``relation`` widgets on the record's id: a product's
  ``producer`` (producers), a sales point's or village's ``products`` (products, several), a
  village's ``tourism_product`` and a lot event's ``sales_point``;
* dates (``format: date``) are ``string`` widgets typed as ``YYYY-MM-DD`` (the schema's hint says
  so, with the day it means), checked by the form as the officer types (:data:`DATE_PATTERN`): Decap's
  ``datetime`` picker saved a typed 12/03/2025 as 1905-12-03 (its issue #7939, open in 2026) and let
  a required date be saved empty — both found by the probe of round seven;
* multi-line text (descriptions) is ``text``; whole numbers and numbers ``number`` (int/float);
* a list of objects is a ``list`` with ``fields``, a list of texts a ``list`` with one ``field``
  (so the file keeps a YAML list of strings), a list of enum values a multiple ``select``;
* a product image's ``file`` is an ``image`` widget: uploads go to ``images/<province>/`` of the
  repository (the collection's ``media_folder``) and the field stores ``<province>/<file>`` as the
  schema asks (``public_folder``).

One collection per record kind and province folder (:func:`collection`): ``products/lai-chau`` is
"Sản phẩm OCOP — Lai Châu", files kept where the tool reads them (``products/<province>/<id>.yaml``,
``identifier_field: id``). The provinces are the folders the data root has (:func:`province_folders`;
all 34 for an empty repository). A relation points into the same province's collection (Decap's
relation widget names one collection): a sales point selling another province's product gets that id
typed in the file, or the form of that province.

Decap writes the YAML itself (no comments, its own key order and quoting; measured for every shipped
record in tests/test_cms_browser.py): on the pull request, ``ocop intake --base`` (workflow
``.github/workflows/ban-lam-viec.yml``) lays the form's values onto the base version of each changed
record (catalog/staff/fmt.py ``restore_text``) and commits the result, so ``ocop fmt --check`` passes and
``git diff`` shows only the officer's lines; see CONTRIBUTING.md, "Bàn làm việc trên trình duyệt".

Measured in Chromium and kept here: Decap validates its configuration with ajv (``new Function``),
so the admin page's policy has 'unsafe-eval'; it fetches ``blob:`` URLs (connect-src blob:); a
nested field marked required inside an optional object blocks saving every record without that
object; a list ``min`` or a date ``default`` makes Decap add empty items to a new entry's lists.

The output is deterministic: the same schemas, data and province folders give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from ..records.loader import load_file
from ..records.schemas import is_multiline, load_schema, resolve
from ..reference import places, rulebook
from ..reference.errors import CatalogError
from ..reference.paths import DATA_DIR, PACKAGE_DIR

# the bundle: npm decap-cms@DECAP_VERSION, dist/decap-cms.js, vendored in catalog/vendor/ (the site
# build never reaches the network). tools/vendor_decap.py fetches it with `npm pack` (which checks the
# registry's integrity), checks the tarball against DECAP_INTEGRITY (the lock entry) and writes the file;
# tests/test_cms.py checks the vendored bytes against DECAP_SHA256.
DECAP_VERSION = "3.16.3"
DECAP_INTEGRITY = ("sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==")
DECAP_FILES = {  # file in the npm package's dist/ → SHA-256
    "decap-cms.js": "7c1efd6b616b4786e279aeef194dd21649a72058d3bc8d1f78901b574610dfb8",
    "decap-cms.js.LICENSE.txt": "c6ce115db01da234282652ca162b96f71507dac9ab85e6994a4eb3aed3155779",
}
# The bundle lazy-loads further chunks (dist/<n>.decap-cms.js: CodeMirror language modes of the
# `code` widget, a WebP encoder for image optimisation) only for features this configuration does
# not use, so they are not vendored: the one dist file and its licence notice are.
VENDOR_DIR = PACKAGE_DIR / "vendor" / f"decap-cms-{DECAP_VERSION}"
ADMIN_DIR = "admin"  # the form editor's folder in the site: not a catalogue page (noindex, no sitemap)

COLLECTIONS = {  # record kind → (collection name, folder, label, one record)
    "product": ("products", "products", "Sản phẩm OCOP", "sản phẩm"),
    "producer": ("producers", "producers", "Chủ thể sản xuất", "chủ thể"),
    "sales_point": ("sales_points", "sales_points", "Điểm bán OCOP", "điểm bán"),
    "village": ("villages", "villages", "Làng nghề, làng du lịch", "làng"),
}
# (kind, dotted path; "[]" for a list's items) → the collection a field refers to by id
REFERENCES = {
    ("product", "producer"): "producers",
    ("product", "lots[].events[].sales_point"): "sales_points",
    ("sales_point", "products"): "products",
    ("village", "products"): "products",
    ("village", "tourism_product"): "products",
}
COMMUNE_FIELD = "address.commune"
PROVINCE_FIELD = "address.province"
IMAGE_FIELD = ("product", "images[].file")
# a date as the form accepts it: YEAR-MONTH-DAY with a month 01–12 and a day 01–31 (a day the month
# does not have, 2025-02-30, is ocop validate's to refuse: `bad-date`)
DATE_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"

SLUG = {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
COMMIT_MESSAGES = {  # Decap's templates; the pull request of the editorial workflow takes this title
    "create": "Thêm {{collection}}: {{slug}} (sửa trên trình duyệt, {{author-name}})",
    "update": "Sửa {{collection}}: {{slug}} (sửa trên trình duyệt, {{author-name}})",
    "delete": "Xoá {{collection}}: {{slug}} (sửa trên trình duyệt, {{author-name}})",
    "uploadMedia": "Tải ảnh lên: {{path}}",
    "deleteMedia": "Xoá ảnh: {{path}}",
    "openAuthoring": "{{message}}",
}


class UnmappedField(CatalogError):
    """A schema shape the form generator has no widget for (a new field needs a rule here)."""


def _label(fragment: dict, name: str) -> str:
    return fragment.get("title") or name


def _hint(fragment: dict) -> str | None:
    text = fragment.get("description")
    return " ".join(text.split()) if text else None


def _enum_options(fragment: dict) -> list:
    values = fragment["enum"]
    names = fragment.get("enumDescriptions")
    if names and len(names) == len(values):
        return [{"label": f"{n} ({v})" if n != v else n, "value": v} for v, n in zip(values, names)]
    return list(values)


def _code_list_options(which: str) -> list[dict]:
    if which == "legal_bases":
        return [{"label": f"{code} — {rulebook.legal_basis(code).title}", "value": code}
                for code in rulebook.legal_basis_codes()]
    tables = {table: f"QĐ {table.split('_')[-1]}" for table in sorted(
        {rulebook.legal_basis(c).taxonomy for c in rulebook.legal_basis_codes()})}
    options = []
    for table, law in tables.items():
        for group, entry in rulebook.taxonomy()[table].items():
            if which == "groups":
                name = entry["name"]
                options.append({"label": name if law.split()[-1] in name else f"{name} ({law})", "value": group})
            else:
                for code, s in entry.get("sets", {}).items():
                    number = f"{s['number']}. " if "number" in s else ""
                    options.append({"label": f"{number}{s['name']} — {entry['name']} ({law})", "value": code})
    return options


class _Walker:
    def __init__(self, kind: str, province: str) -> None:
        self.kind = kind
        self.province = province

    def communes(self) -> list[str]:
        return places.communes_in(self.province)

    def fields(self, fragment: dict, base: str, path: str, optional: bool = False) -> list[dict]:
        """The fields of an object. Inside an optional object (``certificate.revocation``,
        ``location``) no field is required: Decap checks a nested field's ``required`` even when the
        record has no such object, and would refuse to save every record without one (measured
        in Chromium); ``ocop validate`` still requires them once the object is there."""
        fragment, base = resolve(fragment, base)
        required = set(fragment.get("required", ()))
        out = []
        for name, prop in fragment.get("properties", {}).items():
            field = self.field(name, prop, base, f"{path}.{name}" if path else name, optional or name not in required)
            if optional or name not in required:
                field["required"] = False
            out.append(field)
        return out

    def field(self, name: str, prop: dict, base: str, path: str, optional: bool = False) -> dict:
        fragment, inner_base = resolve(prop, base)
        field: dict[str, Any] = {"label": _label(fragment, name), "name": name}
        hint = _hint(fragment)
        if hint:
            field["hint"] = hint
        field.update(self.widget_for(fragment, inner_base, path, optional))
        return field

    def widget_for(self, fragment: dict, base: str, path: str, optional: bool = False) -> dict:
        kind_path = (self.kind, path)
        typ = fragment.get("type")
        if kind_path in REFERENCES:
            target = collection_name(next(k for k, v in COLLECTIONS.items() if v[0] == REFERENCES[kind_path]),
                                     places.provinces()[self.province].folder)
            relation = {"widget": "relation", "collection": target, "value_field": "id",
                        "search_fields": ["name", "id"], "display_fields": ["{{name}} ({{id}})"],
                        "options_length": 50}
            if typ == "array":
                relation["multiple"] = True
                if "maxItems" in fragment:
                    relation["max"] = fragment["maxItems"]
            return relation
        if typ == "object":
            return {"widget": "object", "collapsed": optional, "fields": self.fields(fragment, base, path, optional)}
        if typ == "array":
            items, item_base = resolve(fragment["items"], base)
            # no `min`: Decap fills a new entry's list with that many empty items (a lot without an
            # id the officer never asked for — measured in Chromium); ocop validate checks minItems
            limits = {"max": fragment["maxItems"]} if "maxItems" in fragment else {}
            if items.get("type") == "object":
                out: dict[str, Any] = {"widget": "list", "fields": self.fields(items, item_base, f"{path}[]")}
                summary = [n for n in items.get("properties", {}) if n in ("name", "file", "number", "id", "kind", "type")]
                if summary:
                    out["summary"] = " · ".join(f"{{{{fields.{n}}}}}" for n in summary[:2])
                return {**out, **limits}
            if items.get("type") == "string" and "enum" in items:
                return {"widget": "select", "multiple": True, "options": _enum_options(items), **limits}
            if items.get("type") == "string":
                inner = self.field("item", fragment["items"], base, f"{path}[]")
                inner.pop("hint", None)
                return {"widget": "list", "field": inner, **limits}
            raise UnmappedField(f"schemas/{self.kind}.schema.json: {path}: danh sách kiểu {items.get('type')} chưa có ô nhập")
        if typ == "string":
            if (self.kind, path) == IMAGE_FIELD:
                return {"widget": "image", "choose_url": False, "allow_multiple": False}
            if path == COMMUNE_FIELD:
                return {"widget": "select", "options": self.communes()}
            if path == PROVINCE_FIELD:
                return {"widget": "select", "options": [self.province], "default": self.province}
            if "x-enum" in fragment:
                return {"widget": "select", "options": _code_list_options(fragment["x-enum"])}
            if "enum" in fragment:
                return {"widget": "select", "options": _enum_options(fragment)}
            if fragment.get("format") == "date":
                # typed, not Decap's datetime picker: typing a year into it saved 1905 for 2025 (probe,
                # round seven; decap-cms issue #7939, open) — and a required date could be saved empty
                return {"widget": "string", "pattern": [DATE_PATTERN, fragment.get("patternErrorMessage")
                                                        or "Viết ngày theo dạng NĂM-THÁNG-NGÀY, ví dụ 2024-03-15"]}
            out = {"widget": "text" if is_multiline(fragment) else "string"}
            if "pattern" in fragment:
                out["pattern"] = [fragment["pattern"], fragment.get("patternErrorMessage")
                                  or f"Viết đúng dạng, ví dụ {fragment.get('examples', [''])[0]}"]
            return out
        if typ in ("integer", "number"):
            out = {"widget": "number", "value_type": "int" if typ == "integer" else "float"}
            for key, opt in (("minimum", "min"), ("maximum", "max")):
                if key in fragment:
                    out[opt] = fragment[key]
            if typ == "number":
                out["step"] = 0.01
            return out
        if typ == "boolean":
            return {"widget": "boolean"}
        raise UnmappedField(f"schemas/{self.kind}.schema.json: {path}: kiểu {typ!r} chưa có ô nhập trong biểu mẫu")


def collection_name(kind: str, province_folder: str) -> str:
    return f"{COLLECTIONS[kind][0]}-{province_folder}"


def collection(kind: str, province_folder: str) -> dict:
    """The collection of one record kind in one province folder (``products/lai-chau``).

    One collection per kind *and* province: Decap cannot put a new entry into a sub-folder taken from
    the record (a ``path`` template cannot name ``address.province`` — Decap turns its dots into
    dashes — and a nested collection names new files after a ``title`` field our records do not
    have; both measured in Chromium), so each province folder is its own collection. Its
    ``address.province`` is that province only, its commune select lists that province's communes,
    uploads go to ``images/<province>/`` and the image field stores ``<province>/<file>``."""
    name, folder, label, singular = COLLECTIONS[kind]
    info = places.provinces_by_folder()[province_folder]
    base = f"{kind}.schema.json"
    schema = load_schema(base)
    out: dict[str, Any] = {
        "name": collection_name(kind, province_folder), "label": f"{label} — {info.name}",
        "label_singular": f"{singular} ({info.name})",
        "description": _hint(schema) or label,
        "folder": f"{folder}/{province_folder}", "extension": "yaml", "format": "yaml", "create": True, "delete": False,
        "identifier_field": "id", "slug": "{{fields.id}}",
        "summary": "{{name}} ({{id}})",
        "sortable_fields": ["name", "id"],
    }
    if kind == "product":
        out["media_folder"] = f"/images/{province_folder}"
        out["public_folder"] = province_folder
    out["fields"] = _Walker(kind, info.name).fields(schema, base, "")
    return out


def province_folders(root: Path | None = None, found: set[str] | None = None) -> list[str]:
    """The province folders the form edits: those the data root has (a province's repository has
    one; or ``found``, the catalogue's), else every province in force (a new repository)."""
    known = places.provinces_by_folder()
    found = {f for f in (found or set()) if f in known}
    if root is not None:
        for _, folder, *_ in COLLECTIONS.values():
            if (root / folder).is_dir():
                found |= {p.name for p in (root / folder).iterdir() if p.is_dir() and p.name in known}
    return sorted(found) if found else sorted(known)


def config(repo: str = "OWNER/REPO", branch: str = "main", base_url: str | None = None,
           backend: str = "github", folders: list[str] | None = None, auth_url: str | None = None) -> dict:
    """Decap's configuration for this catalogue (a dict; :func:`config_text` writes it).
    ``auth_url``: the province's own OAuth endpoint (``editor.auth_url``); none: Decap's default,
    Netlify's sign-in service."""
    backend_cfg: dict[str, Any] = {"name": backend, "repo": repo, "branch": branch,
                                   "commit_messages": COMMIT_MESSAGES, "cms_label_prefix": "ocop/"}
    if auth_url:
        backend_cfg["base_url"] = auth_url
        backend_cfg["auth_endpoint"] = "auth"
    out: dict[str, Any] = {
        "backend": backend_cfg,
        # `npx decap-server` on the officer's own machine, used when the page is opened on localhost
        "local_backend": True,
        "publish_mode": "editorial_workflow",
        "locale": "vi",
        "media_folder": "images",
        "public_folder": "",
        "slug": SLUG,
        "search": True,
        "show_preview_links": False,
        "editor": {"preview": False},
    }
    if base_url:
        out["site_url"] = base_url
        out["display_url"] = base_url
    out["collections"] = [collection(kind, folder) for folder in (folders or province_folders()) for kind in COLLECTIONS]
    return out


class _PureDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # every list written out: no anchors for Decap's parser
        return True


# libyaml's emitter when PyYAML has it: the national config.yml (34 provinces' collections, ~2 MB) took
# 1.9 s to write in pure Python on every build, 0.46 s with libyaml (issue #27: one edit at 15,000).
# The two write the same bytes (tests/test_cms.py compares them), so a machine without libyaml
# builds the same admin/config.yml.
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def config_text(cfg: dict, dumper: type = _Dumper) -> str:
    head = ("# Cấu hình biểu mẫu Decap CMS — SINH TỰ ĐỘNG bởi `ocop cms-config` từ schemas/ và catalog/data/.\n"
            "# Đừng sửa tay: sửa schema hoặc bảng dữ liệu rồi chạy lại lệnh.\n")
    return head + yaml.dump(cfg, Dumper=dumper, allow_unicode=True, sort_keys=False, width=4096,
                            default_flow_style=False)


def site_settings(root: Path) -> dict:
    """repo, branch and base_url from the data root's ocop.yaml (defaults when it has none)."""
    found: dict = {}
    path = root / "ocop.yaml"
    if path.is_file():
        loaded = load_file(path)
        found = loaded.data if isinstance(getattr(loaded, "data", None), dict) else {}
    editor: dict = found["editor"] if isinstance(found.get("editor"), dict) else {}

    def text(value: Any, default: str | None) -> str | None:
        return str(value) if isinstance(value, str) and value else default  # the loader's Plain → str

    return {"repo": text(editor.get("repo"), "OWNER/REPO"), "branch": text(editor.get("branch"), "main"),
            "auth_url": text(editor.get("auth_url"), None), "base_url": text(found.get("base_url"), None)}


# --- the admin page ------------------------------------------------------------------------------
# Its own policy: the bundle from the site itself, the git host's API (GitHub) and, for trying the
# form on one's own machine, the local decap-server (loopback only). Decap validates its configuration
# with ajv, which compiles the validator with `new Function`: 'unsafe-eval' is needed here, and only
# here (the public pages' policy, catalog/site/csp.py, is unchanged). Images are shown from blob:/data:
# URLs Decap makes of the files it reads through the API. Styles are injected by the bundle (emotion).
GIT_HOST_API = "https://api.github.com"
LOCAL_PROXY = ("http://localhost:8081", "http://127.0.0.1:8081")
ADMIN_POLICY = ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data: blob: https://avatars.githubusercontent.com; font-src 'self' data:; "
                f"connect-src 'self' blob: {GIT_HOST_API} {' '.join(LOCAL_PROXY)}; "
                "frame-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'")


LOCALE_SUPPLEMENT = DATA_DIR / "decap-vi.json"
START_SCRIPT = "khoi-dong.js"
CONFIG_JSON = "config.json"  # config.yml's settings as JSON, for the start script (a branch given)
BRANCH_PARAM = "nhanh"  # admin/?nhanh=<branch>: the form works on that branch (a pull request's)
# A branch name as git's check-ref-format allows it (Vietnamese letters included: "nhập-phụ-lục-lạng-sơn"),
# less what could name another ref than a pull request's branch: "refs/…", "heads/…", "origin/…", HEAD.
# Matched case-insensitively, in Python (form_link) and in the page (start_script).
BRANCH_PATTERN = (r"^(?!-)(?!/)(?!.*\.\.)(?!.*//)(?!.*@\{)(?!.*\.lock$)(?!.*[/.]$)(?!(?:refs|heads|remotes|origin)/)"
                  r"(?!head$)[^\x00-\x20\x7f~^:?*\[\\]{1,200}$")


def start_script() -> str:
    """admin/khoi-dong.js, loaded before the bundle; Decap starts by hand (``CMS_MANUAL_INIT``) so that
    this script can, first:

    * merge into Decap's Vietnamese locale the phrases it lacks (catalog/data/decap-vi.json) —
      without them a list's button read "Add ảnh sản phẩm";
    * with ``?nhanh=<branch>`` in the address, work on that branch, saving straight onto it
      (``publish_mode: simple``): the records an annex brought on a pull request's branch are not on
      ``main`` yet, so the form could not open them otherwise. ``ocop intake``'s report links each
      record still to complete this way (:func:`form_link`). A banner says which branch is edited.
      Never the main branch (``backend.branch``): a link naming it opens the usual editorial workflow,
      so no link can make "Công bố" write to ``main`` past review.

    A file of our own, so the admin policy needs no inline script."""
    phrases = json.loads(LOCALE_SUPPLEMENT.read_text(encoding="utf-8"))
    phrases.pop("_comment", None)
    return ("// Written by catalog/publish/cms.py (start_script): Decap's Vietnamese locale completed from\n"
            "// catalog/data/decap-vi.json, and ?nhanh=<branch> to edit a pull request's branch.\n"
            "window.CMS_MANUAL_INIT = true;\n"
            "window.addEventListener(\"DOMContentLoaded\", function () {\n"
            f"  var more = {json.dumps(phrases, ensure_ascii=False, sort_keys=True)};\n"
            "  function merge(into, from) {\n"
            "    Object.keys(from).forEach(function (k) {\n"
            "      into[k] = from[k] !== null && typeof from[k] === \"object\" ? merge(into[k] || {}, from[k]) : from[k];\n"
            "    });\n"
            "    return into;\n"
            "  }\n"
            "  window.CMS.registerLocale(\"vi\", merge(window.CMS.getLocale(\"vi\") || {}, more));\n"
            f"  var branch = new URLSearchParams(window.location.search).get(\"{BRANCH_PARAM}\");\n"
            f"  if (!branch || !new RegExp({json.dumps(BRANCH_PATTERN)}, \"i\").test(branch)) {{\n"
            "    window.CMS.init();\n"
            "    return;\n"
            "  }\n"
            "  // the whole configuration from config.json (the same as config.yml): Decap reads config.yml\n"
            "  // beside settings of its own only when the host sends it with a YAML type, and not every host does\n"
            f"  fetch(\"{CONFIG_JSON}\", {{credentials: \"same-origin\"}}).then(function (r) {{\n"
            "    if (!r.ok) { throw new Error(\"HTTP \" + r.status); }\n"
            "    return r.json();\n"
            "  }).then(function (cfg) {\n"
            "    if (branch.toLowerCase() === String(cfg.backend.branch).toLowerCase()) {  // main: only through pull requests\n"
            "      window.CMS.init();\n"
            "      return;\n"
            "    }\n"
            "    cfg.backend.branch = branch;\n"
            "    cfg.publish_mode = \"simple\";\n"
            "    cfg.load_config_file = false;\n"
            "    var bar = document.createElement(\"div\");\n"
            "    bar.id = \"ocop-nhanh\";\n"
            "    bar.setAttribute(\"role\", \"status\");\n"
            "    bar.style.cssText = \"position:fixed;left:0;right:0;bottom:0;z-index:9999;padding:6px 12px;\" +\n"
            "      \"background:#fff4ce;border-top:1px solid #d4a72c;color:#4d2d00;font:14px/1.4 sans-serif\";\n"
            "    bar.textContent = \"Đang sửa trên nhánh \" + branch + \" (pull request): bấm Công bố là ghi thẳng vào \" +\n"
            "      \"nhánh này, máy kiểm tra lại và cập nhật bình luận.\";\n"
            "    document.body.appendChild(bar);\n"
            "    document.body.style.paddingBottom = \"3em\";\n"
            "    window.CMS.init({config: cfg});\n"
            "  }).catch(function (e) {\n"
            "    var p = document.createElement(\"p\");\n"
            "    p.textContent = \"Không mở được biểu mẫu trên nhánh \" + branch + \" (\" + e.message + \"). Tải lại trang; \" +\n"
            "      \"nếu vẫn vậy, mở trang sửa danh mục không kèm ?nhanh= và báo người quản trị kho.\";\n"
            "    document.body.appendChild(p);\n"
            "  });\n"
            "});\n")


def form_link(base_url: str, branch: str, file: str) -> str | None:
    """The address that opens record ``file`` (``products/lang-son/x.yaml``) in the form, on ``branch``;
    None when the file is not a record in a province folder or the branch name is not one we pass on."""
    parts = file.split("/")
    kind = {v[1]: kind for kind, v in COLLECTIONS.items()}.get(parts[0]) if len(parts) == 3 else None
    if kind is None or not parts[2].endswith(".yaml") or not re.match(BRANCH_PATTERN, branch, re.I):
        return None
    return (f"{base_url.rstrip('/')}/{ADMIN_DIR}/?{BRANCH_PARAM}={quote(branch, safe='')}"
            f"#/collections/{quote(collection_name(kind, parts[1]))}/entries/{quote(parts[2][:-5])}")


def admin_page() -> str:
    script = f"decap-cms-{DECAP_VERSION}.js"
    return ("<!doctype html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{ADMIN_POLICY}\">\n"
            "<meta name=\"robots\" content=\"noindex, nofollow\">\n"
            "<meta name=\"referrer\" content=\"no-referrer\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Sửa danh mục OCOP (dành cho cán bộ)</title>\n"
            "<link href=\"config.yml\" type=\"text/yaml\" rel=\"cms-config-url\">\n"
            "</head>\n<body>\n"
            "<noscript>Trang sửa danh mục cần bật JavaScript.</noscript>\n"
            f"<script src=\"{START_SCRIPT}\"></script>\n"
            f"<script src=\"{script}\"></script>\n</body>\n</html>\n")


def vendored_files() -> dict[str, Path]:
    return {name: VENDOR_DIR / name for name in DECAP_FILES}


def write_admin(site: Path, base_url: str, repo: str = "OWNER/REPO", branch: str = "main",
                folders: list[str] | None = None, auth_url: str | None = None) -> None:
    """``admin/``: the form editor page, its generated config.yml and the vendored bundle (each file
    checked against its SHA-256 — a changed bundle is never published)."""
    folder = site / ADMIN_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in sorted(vendored_files().items()):
        data = source.read_bytes()
        if hashlib.sha256(data).hexdigest() != DECAP_FILES[name]:
            raise CatalogError(f"{source}: không phải tệp của decap-cms@{DECAP_VERSION} đã khoá (SHA-256 khác); "
                               "chạy lại tools/vendor_decap.py")
        target = name.replace("decap-cms.js", f"decap-cms-{DECAP_VERSION}.js")
        (folder / target).write_bytes(data)
    settings = config(repo=repo, branch=branch, base_url=base_url, folders=folders, auth_url=auth_url)
    (folder / "config.yml").write_text(config_text(settings), encoding="utf-8")
    (folder / CONFIG_JSON).write_text(json.dumps(settings, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    (folder / START_SCRIPT).write_text(start_script(), encoding="utf-8")
    (folder / "index.html").write_text(admin_page(), encoding="utf-8")
