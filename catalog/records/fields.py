"""The names of record fields, said once: the schema's ``title`` (Vietnamese) and ``x-title-en``
(English) of each property (schemas/ are the one source of the record format). The fact rows of
the product and scan pages, the column titles of the catalogue CSV (in its JSON Schema) and the
staff's field reference (docs/truong-du-lieu.md) read them from here — never a second label in
ui.<lang>.yaml.

Adding an optional field — what it must satisfy, and the test that says so when it does not:

1. The schema property has a ``title`` and an ``x-title-en`` (:func:`title` raises naming the
   missing one). Free text a buyer reads gets an English twin ``<field>_en`` referring to the same
   definition, so both are guarded alike (tests/test_english.py ``…as_guarded_as…``).
2. A product fact a buyer reads: its name in :data:`PRODUCT_FACTS` (and :data:`TRACE_FACTS` if the
   page a label leads to repeats it), with how its value is written in :data:`FORMAT`.
3. The shipped sample product ``che-shan-tuyet-sin-ho`` (written by tools/make_sample_data.py)
   carries every fact of :data:`PRODUCT_FACTS`: the English tests read its page in both languages
   (tests/test_english.py, :data:`SAMPLE_PRODUCT`).
4. A field that holds text: tests/test_xss.py ``_complete()`` gives every record every optional part
   holding text, then fills each text field of every schema with a hostile payload — add the new
   field (or the object or list it lives in) there.
5. In the downloads: a column in :data:`CSV_COLUMNS` (its title then comes from the schema). A
   list of text is one cell, its items joined with "; " (:func:`csv_value`): the CSV and the JSON
   catalogue (whose schema says each column is text) stay one value per column (found by trying this
   checklist with a list field, issue #23).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .schemas import load_schema, resolve

SAMPLE_PRODUCT = "products/lai-chau/che-shan-tuyet-sin-ho.yaml"  # carries every optional fact (rule 3 above)

# the optional facts of a product page, in order, and those the page a label leads to repeats
PRODUCT_FACTS = ("ingredients", "standards", "net_quantity", "packaging", "shelf_life", "raw_material_origin", "gtin")
TRACE_FACTS = ("raw_material_origin", "standards", "shelf_life")
# how a value is written: a list joined with commas, the standards, a quantity whose number and unit
# stay on one line, free text with an English twin (``<field>_en``), as typed
FORMAT = {"ingredients": "list", "standards": "standards", "net_quantity": "units", "packaging": "units",
          "shelf_life": "units", "raw_material_origin": "free", "gtin": "plain"}

# The catalogue CSV and catalogue.json (catalog/publish/export.py), the one table of its columns,
# in order: column → (record kind, dotted path of the field its value and title come from), or None
# for a column made by the tool (its title is in DERIVED_TITLES, its value in export.py). A missing
# optional field is written as "". docs and the open-data schema read the titles from here.
CSV_COLUMNS: dict[str, tuple[str, str] | None] = {
    "id": ("product", "id"), "name": ("product", "name"), "stars": ("product", "certificate.stars"),
    "status": None, "valid_until": ("product", "certificate.valid_until"),
    "certificate_number": ("product", "certificate.number"),
    "decision_number": ("product", "certificate.decision.number"),
    "decision_date": ("product", "certificate.decision.date"),
    "deciding_body": ("product", "certificate.deciding_body.name"),
    "legal_basis": ("product", "classification.legal_basis"), "group": ("product", "classification.group"),
    "product_set": ("product", "classification.product_set"), "province": ("product", "address.province"),
    "commune": ("product", "address.commune"), "producer_id": ("product", "producer"),
    "producer_name": ("producer", "name"), "gtin": ("product", "gtin"), "url": None,
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
    source = CSV_COLUMNS[column]
    if source is None:
        raise KeyError(f"catalog/records/fields.py: CSV column {column!r} is made by the tool: give it a title in DERIVED_TITLES")
    kind, path = source
    return title(kind, path, lang)


def csv_value(column: str, product: dict, producer: dict) -> Any:
    """The value of a CSV column that comes from a record field ("" when the optional field is absent)."""
    source = CSV_COLUMNS[column]
    assert source is not None, column
    kind, path = source
    value: Any = product if kind == "product" else producer
    for part in path.split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    if isinstance(value, list):  # a list of text: one cell (rule 5 above)
        return "; ".join(str(item) for item in value)
    return value
