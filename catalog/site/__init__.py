"""The static site: the build (build: validate, render, MkDocs, swap in), what a page is (page),
the page builder (pages) and the page kinds it calls (scan, maps, stats_pages, charts, status),
the Content-Security-Policy (csp) and sitemap dates (lastmod).

Ten modules, one more than the other packages allow, kept together: they are the builder and
the kinds it calls, and the kinds import only ``page`` (the builder only under TYPE_CHECKING).

May import: catalog.reference, catalog.runtime, catalog.records, catalog.checks, catalog.figures,
catalog.print, catalog.publish.
"""
