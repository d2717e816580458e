"""Files published beside the pages: downloads (export: CSV, JSON, JSON-LD), the news feed (feed),
open data and robots.txt (opendata), the offline copy's rewriting (offline), the officers' form editor
at admin/ (cms), the national site split into deploy parts of one address (parts), and how the deploy
host answers a path (hosting: used by ``ocop serve`` and the tests).

May import: catalog.reference, catalog.records, catalog.figures.
"""
