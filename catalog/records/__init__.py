"""The officers' records: YAML read with positions (loader), the JSON Schemas and their messages
(schemas), field titles and the optional-field rules (fields), problems and their reporters
(problems), the catalogue model and certificate status (model), what is never published
(privacy), URLs (urls) and product photos (images).

May import: catalog.reference, catalog.runtime.
"""
