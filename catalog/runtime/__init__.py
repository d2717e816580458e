"""How a command runs: the atomic output folder (output), the per-file and per-page caches (cache),
work spread over cores (parallel) and the progress line on standard error (progress).

May import: catalog.reference.
"""
