"""OCOP catalogue: load → validate → model → pages, labels, print, export.

The package is a library first; ``catalog.cli`` is a thin click layer over it.
"""

__version__ = "0.1.0"
