"""Bulk rows for benches and large tests: plain multi-row INSERTs and UPDATEs by primary key, in
one transaction, without the ORM's per-object bookkeeping (100,000 documents in seconds).

Not for use cases: nothing here writes an audit record or raises a notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, insert, update

from store.models import Base

CHUNK = 5000


def _table(name: str):
    return Base.metadata.tables[name]


async def bulk_insert(engine, table: str, rows: Sequence[dict[str, Any]]) -> int:
    """Insert `rows` (column -> value, the same columns in every row) into `table`."""
    t = _table(table)
    async with engine.begin() as conn:
        for i in range(0, len(rows), CHUNK):
            await conn.execute(insert(t), list(rows[i:i + CHUNK]))
    return len(rows)


async def bulk_update(engine, table: str, rows: Sequence[dict[str, Any]], key: str = "id") -> int:
    """Set the given columns on each row found by `key` (every row names the same columns)."""
    if not rows:
        return 0
    t = _table(table)
    columns = [c for c in rows[0] if c != key]
    stmt = (update(t).where(t.c[key] == bindparam("_key"))
            .values({c: bindparam(f"_v_{c}") for c in columns}))
    params = [{"_key": r[key], **{f"_v_{c}": r[c] for c in columns}} for r in rows]
    async with engine.begin() as conn:
        for i in range(0, len(params), CHUNK):
            await conn.execute(stmt, params[i:i + CHUNK])
    return len(rows)


async def analyze(engine) -> None:
    """Give PostgreSQL's planner the statistics of what was just loaded, as autovacuum's ANALYZE does
    a minute after a bulk load in production (a test server may run with autovacuum off, and without
    statistics the planner scans whole tables where an index finds a few rows). SQLite is left as it
    runs in production: policybot never runs ANALYZE there."""
    if engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE")
