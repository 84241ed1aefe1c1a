"""Detect writes by capturing the SQL a block sends, instead of hashing every table.

A request that should change nothing must send no INSERT, UPDATE or DELETE, except to the
tables that record the request itself: the session, the login throttle (axes) and the audit
trail. Capturing the statements costs nothing beside the request and names the table written.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.I)
BOOKKEEPING = re.compile(r"^(django_session|axes_\w+|rpjmd_auditevent)$")


def written_tables(queries: CaptureQueriesContext) -> list[str]:
    """The application tables the captured statements wrote to, in order."""
    tables = []
    for query in queries.captured_queries:
        match = WRITE.match(query["sql"])
        if match and not BOOKKEEPING.match(match.group(1)):
            tables.append(match.group(1))
    return tables


@contextmanager
def changes_nothing(context: str = ""):
    """Fail if the block writes to any application table."""
    with CaptureQueriesContext(connection) as queries:
        yield queries
    assert written_tables(queries) == [], f"{context}: wrote {written_tables(queries)}"


@contextmanager
def rolled_back():
    """Run the block in a savepoint that is rolled back afterwards, capturing its SQL.

    The walks build their world once per route and send many requests to it; each request
    must meet the world as it was built, whatever the one before it did."""
    with CaptureQueriesContext(connection) as queries:
        savepoint = transaction.savepoint()
        try:
            yield queries
        finally:
            transaction.savepoint_rollback(savepoint)
