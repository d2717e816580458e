"""How a command runs: the atomic output folder (output), the per-file and per-page caches (cache),
work spread over cores (parallel), the progress line on standard error (progress) and the cleaning
of what a run killed with SIGKILL left in the temporary folder (leftovers).

May import: catalog.reference.
"""
