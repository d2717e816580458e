"""Counts and tables: the catalogue's figures (stats), tables written as CSV, XLSX and Markdown
(tables), the officers' report (report).

May import: catalog.reference, catalog.records.
"""
