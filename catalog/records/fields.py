"""The names of record fields, said once: the schema's ``title`` (Vietnamese) and ``x-title-en``
(English) of each property (schemas/ are the one source of the record format). The fact rows of
the product and scan pages, the column titles of the catalogue CSV (in its JSON Schema) and the
staff's field reference (docs/truong-du-lieu.md) read them from here — never a second label in
ui.<lang>.yaml.

Adding an optional product field a buyer reads: the schema (with ``title`` and ``x-title-en``), and
its name in :data:`PRODUCT_FACTS` (with how its value is written, :data:`FORMAT`).
"""

from __future__ import annotations

from functools import lru_cache

from .schemas import load_schema, resolve

# the optional facts of a product page, in order, and those the page a label leads to repeats
PRODUCT_FACTS = ("ingredients", "standards", "net_quantity", "packaging", "shelf_life", "raw_material_origin", "gtin")
TRACE_FACTS = ("raw_material_origin", "standards", "shelf_life")
# how a value is written: a list joined with commas, the standards, a quantity whose number and unit
# stay on one line, free text with an English twin (``<field>_en``), as typed
FORMAT = {"ingredients": "list", "standards": "standards", "net_quantity": "units", "packaging": "units",
          "shelf_life": "units", "raw_material_origin": "free", "gtin": "plain"}

# the catalogue CSV (catalog/publish/export.py): column → (record kind, dotted path of the field it comes
# from). Columns made by the tool (status, url…) are not record fields: their titles are here.
CSV_FIELDS = {
    "id": ("product", "id"), "name": ("product", "name"), "stars": ("product", "certificate.stars"),
    "valid_until": ("product", "certificate.valid_until"), "certificate_number": ("product", "certificate.number"),
    "decision_number": ("product", "certificate.decision.number"),
    "deciding_body": ("product", "certificate.deciding_body.name"),
    "legal_basis": ("product", "classification.legal_basis"), "group": ("product", "classification.group"),
    "product_set": ("product", "classification.product_set"), "province": ("product", "address.province"),
    "commune": ("product", "address.commune"), "producer_id": ("product", "producer"),
    "producer_name": ("producer", "name"), "gtin": ("product", "gtin"),
}
DERIVED_TITLES = {"status": {"vi": "Trạng thái giấy chứng nhận", "en": "Certificate status"},
                  "decision_date": {"vi": "Ngày quyết định", "en": "Decision date"},  # the schema's title is "Ngày"
                  "url": {"vi": "Địa chỉ trang sản phẩm", "en": "Product page URL"}}


def _key(lang: str) -> str:
    return "title" if lang == "vi" else f"x-title-{lang}"


@lru_cache(maxsize=None)
def title(kind: str, path: str, lang: str = "vi") -> str:
    """The name of field ``path`` ('shelf_life', 'certificate.valid_until') of a ``kind`` record in
    ``lang``: the property's own title, else the title of the definition it refers to."""
    fragment, base = load_schema(f"{kind}.schema.json"), f"{kind}.schema.json"
    prop: dict = {}
    for part in path.split("."):
        prop = fragment["properties"][part]
        fragment, base = resolve(prop, base)
    name = prop.get(_key(lang)) or fragment.get(_key(lang))
    if not name:
        raise KeyError(f"schemas/{kind}.schema.json: {path} has no {_key(lang)}")
    return name


def column_title(column: str, lang: str = "vi") -> str:
    """The title of a catalogue CSV column."""
    if column in DERIVED_TITLES:
        return DERIVED_TITLES[column][lang]
    kind, path = CSV_FIELDS[column]
    return title(kind, path, lang)
