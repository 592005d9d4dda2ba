"""Issue 14 (a turn's time): on SQLite each statement takes one trip to aiosqlite's thread, and a
unit of work that only read sends no ROLLBACK, while the database behaves as before: rows, row
counts and new ids come back, errors are SQLAlchemy's, a write not committed is rolled back and a
committed one is kept. Counted, never timed."""

from __future__ import annotations

import asyncio
from collections import Counter

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from store.db import make_engine, normalise_database_url
from store.sqlite_driver import OneTripConnection


@pytest.fixture
def trips(monkeypatch):
    """Every call aiosqlite runs on a connection's thread, by name."""
    seen: Counter[str] = Counter()
    real = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        seen[getattr(fn, "__name__", type(fn).__name__)] += 1
        return await real(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return seen


async def test_issue_14_one_trip_a_statement_and_no_rollback_after_reads(tmp_path, trips):
    engine = make_engine(normalise_database_url(f"sqlite:///{tmp_path}/one.db"))
    try:
        async with engine.begin() as conn:
            raw = await conn.get_raw_connection()
            assert isinstance(raw.dbapi_connection, OneTripConnection)
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)"))
            await conn.execute(text("INSERT INTO t (name) VALUES (:n)"), [{"n": f"row {i}"} for i in range(50)])
        trips.clear()
        async with engine.connect() as conn:  # reads only: three statements, three trips, nothing else
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 50
            rows = (await conn.execute(text("SELECT id, name FROM t ORDER BY id LIMIT 3"))).all()
            assert [tuple(r) for r in rows] == [(1, "row 0"), (2, "row 1"), (3, "row 2")]
            assert (await conn.execute(text("SELECT name FROM t WHERE id = 999"))).first() is None
        assert trips == Counter({"_run": 3})

        trips.clear()
        async with engine.begin() as conn:  # a write: the statement and its COMMIT
            result = await conn.execute(text("INSERT INTO t (name) VALUES ('new')"))
            assert result.lastrowid == 51 and result.rowcount == 1
        assert trips == Counter({"_run": 1, "commit": 1})

        async with engine.connect() as conn:  # a write not committed is rolled back
            changed = await conn.execute(text("UPDATE t SET name = name || '!' WHERE id <= 10"))
            assert changed.rowcount == 10
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t WHERE name LIKE '%!'"))).scalar_one() == 0
            assert (await conn.execute(text("SELECT name FROM t WHERE id = 51"))).scalar_one() == "new"

        async with engine.begin() as conn:  # the driver's errors are SQLAlchemy's, and the connection goes on
            with pytest.raises(IntegrityError):
                await conn.execute(text("INSERT INTO t (name) VALUES ('row 1')"))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 51
    finally:
        await engine.dispose()


async def test_issue_14_write_transactions_wait_in_line_and_a_stuck_one_fails_as_sqlite_does(tmp_path):
    """Writers wait for one another on the event loop, in order, instead of polling SQLite's lock
    (where one could lose the race until its busy timeout); one that waits longer than that timeout
    gets SQLite's own "database is locked", and the line moves on after a commit or a rollback."""
    engine = make_engine(normalise_database_url(f"sqlite:///{tmp_path}/gate.db"))
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT NOT NULL)"))
        order: list[str] = []

        async def write(who: str, hold: float) -> None:
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO t (who) VALUES (:w)"), {"w": who})
                order.append(who)
                await asyncio.sleep(hold)  # the transaction stays open meanwhile

        await asyncio.gather(*(write(f"w{i}", 0.05) for i in range(6)))
        async with engine.connect() as conn:
            assert [r[0] for r in await conn.execute(text("SELECT who FROM t ORDER BY id"))] == order
            assert sorted(order) == [f"w{i}" for i in range(6)]

        async with engine.connect() as conn:
            (await conn.get_raw_connection()).dbapi_connection._gate.within = 0.2  # the engine's one gate
        async with engine.connect() as holder:
            await holder.execute(text("INSERT INTO t (who) VALUES ('holder')"))  # open, not committed
            with pytest.raises(OperationalError, match="database is locked"):
                async with engine.begin() as other:
                    await other.execute(text("INSERT INTO t (who) VALUES ('other')"))
            await holder.rollback()
        async with engine.begin() as conn:  # the rollback let the next writer in
            await conn.execute(text("INSERT INTO t (who) VALUES ('after')"))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t WHERE who IN ('holder', 'other', 'after')"))).scalar_one() == 1
    finally:
        await engine.dispose()
