"""Tools officers run on their data folder: the spreadsheet import (importer — a package of its own
stages, see its ``__init__`` — and annex: the decision's annex table), record formatting (fmt), new
records from the schemas (templates), what changed between two versions (diff), the field and
problem reference (fieldref), the live preview server (serve) and the browser desk's annex intake and
pull-request texts (intake).

May import: every other package (it is the top floor, beside catalog.cli).
"""
