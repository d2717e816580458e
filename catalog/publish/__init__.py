"""Files published beside the pages: downloads (export: CSV, JSON, JSON-LD), the news feed (feed),
open data (opendata), the offline copy's rewriting (offline), hosting files (hosting).

May import: catalog.reference, catalog.records, catalog.figures.
"""
