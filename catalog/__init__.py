"""OCOP catalogue: load → validate → model → pages, labels, print, export.

The package is a library first; ``catalog.cli`` is a click layer over it (each command's steps; what
a command orchestrates across rooms — the offline copies per province, the deploy in parts — is there
too). The rooms, from the ground floor up (each ``__init__`` says what it holds and may import;
tests/test_architecture.py keeps both true):

* ``reference`` — the law's and the map's tables, text helpers (nothing else of catalog)
* ``runtime`` — how a command runs: atomic outputs, caches, cores, progress
* ``records`` — the officers' records: reading, schemas, problems, the model, URLs, photos
* ``checks`` — validation: every file, the rules across records
* ``figures`` — counts and tables, the officers' report
* ``print`` — QR codes, labels, the booklet
* ``publish`` — files published beside the pages: downloads, feed, open data, the form editor, hosting
* ``site`` — the static site build
* ``staff`` — the officers' tools: import, intake, fmt, diff, serve, templates

``data/`` holds the rule and text tables (YAML, JSON), ``vendor/`` the pinned browser bundles.
"""

__version__ = "0.1.0"
