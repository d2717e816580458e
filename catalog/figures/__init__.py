"""Counts and tables: the catalogue's figures (stats), tables written as CSV, XLSX and Markdown
(tables), the officers' report (report).

May import: catalog.reference, catalog.runtime (report writes its file through output.write_atomic), catalog.records.
"""
