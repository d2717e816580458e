"""Validation: every file checked (validate), the cross-record rules (rules, rules_status: each
check registers itself with ``@check``), look-alike names (lookalike).

Importing this package registers the date checks of rules_status beside those of rules, so every
caller of ``rules.check_all`` (validate, the importer) runs all of them.

May import: catalog.reference, catalog.runtime, catalog.records.
"""
from . import rules_status  # noqa: F401  (its checks register themselves with catalog.checks.rules)
