"""Reference data and plain text helpers: what the law and the map say, and how text is written.

places (2025 provinces and communes), rulebook (OCOP rule tables in catalog/data), wording (legal
sentences), lang (interface text vi/en), collation (Vietnamese sort order), escaping (HTML, CSV,
Markdown), errors (CatalogError), paths (where the tool's own files are; paths kept inside the data root).

May import: nothing else of ``catalog`` (only its own modules). Everything else may import it.
"""
