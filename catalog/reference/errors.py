"""The one exception type the tool lets escape.

Data mistakes are never exceptions: they are :class:`catalog.records.problems.Problem` values collected
and reported together. ``CatalogError`` is for failures that stop a command as a whole (no data
root, an output folder that cannot be written); the CLI prints its message as one line.
"""


class CatalogError(Exception):
    """A failure the user can act on, reported as one line without a traceback."""
