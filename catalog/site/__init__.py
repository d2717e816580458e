"""The static site: the build (build: validate, render, MkDocs, swap in), what a page is (page),
the page builder (pages) and the page kinds it calls (scan, maps, stats_pages, charts, status),
the Content-Security-Policy (csp) and sitemap dates (lastmod).

Ten modules (the most tests/test_architecture.py allows a room), kept together: they are the builder
and the kinds it calls. The kinds import ``page`` and what they show of each other — the scan pages the
status sentences (status), the statistics pages their charts (charts), status the policy of its inline
script (csp), csp and lastmod the map pages' names (maps) — never the builder (only under TYPE_CHECKING).

May import: catalog.reference, catalog.runtime, catalog.records, catalog.checks, catalog.figures,
catalog.print, catalog.publish.
"""
