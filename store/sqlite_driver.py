"""SQLite through aiosqlite with one trip to its thread per statement.

aiosqlite runs each sqlite3 call on the connection's own thread, and SQLAlchemy's adapter makes
four such calls a statement (open a cursor, execute, fetch the rows, close the cursor), plus a
ROLLBACK when a unit of work that only read ends and another when the pool takes the connection
back. Each call is a hand-over between threads (a queue, a wake-up, the GIL, the event loop's
self-pipe): under 40 concurrent conversations they were most of a question's database time.

Here a statement is one call: it runs whole on the connection's thread and hands back its rows,
description, row count and last row id together. A ROLLBACK or COMMIT with no transaction open
(sqlite3 opens one only before a write; a read-only unit of work never has one) is not sent:
sqlite3 would do nothing with it. Write transactions queue for one another in a `WriteGate` on the
event loop (SQLite's own wait is polling, which a writer can lose for seconds once turns are
fast). Everything else is SQLAlchemy's own aiosqlite dialect.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator, Sequence
from typing import Any, cast

import asyncio
import re
import sqlite3
import weakref

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_


BUSY_SECONDS = 10.0  # as long as a writer waits for SQLite's lock (PRAGMA busy_timeout in store/db.py)
# Statements before which sqlite3 opens a transaction (its legacy transaction control), or that open one.
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|SAVEPOINT|BEGIN)\b", re.IGNORECASE)


def _run(conn: Any, operation: str, parameters: Any, many: bool) -> tuple[Any, list[Any], int, int | None]:
    """On the connection's thread: the whole statement, and everything the cursor has to say."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered DB-API cursor whose statements each take one trip to aiosqlite's thread."""

    __slots__ = ("_description", "_rowcount", "_lastrowid", "_arraysize")

    def __init__(self, adapt_connection: OneTripConnection) -> None:  # no aiosqlite cursor is opened
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._rows: collections.deque[Any] = collections.deque()
        self._soft_closed_memoized = {}  # type: ignore[assignment]
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        return None  # nothing is left open on the thread

    def close(self) -> None:
        self._rows.clear()

    def _send(self, operation: Any, parameters: Any, many: bool) -> None:
        try:
            found = await_(self._run_async(operation, parameters, many))
        except Exception as error:  # noqa: BLE001 - mapped to the DB-API's errors as SQLAlchemy's own cursor does
            self._adapt_connection._handle_exception(error)
        self._description, rows, self._rowcount, self._lastrowid = found
        self._rows = collections.deque(rows)

    async def _run_async(self, operation: Any, parameters: Any, many: bool) -> Any:
        conn = cast("OneTripConnection", self._adapt_connection)
        async with conn._execute_mutex:
            driver = self._connection
            if not conn._writing and _WRITES.match(operation) and not driver.in_transaction:
                await conn._gate.enter()  # this statement opens a write transaction: wait in line for it
                conn._writing = True
            try:
                return await driver._execute(_run, driver._conn, operation, parameters, many)
            finally:
                conn._done_writing()

    def execute(self, operation: Any, parameters: Any = None) -> None:
        self._send(operation, parameters, False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> None:
        self._send(operation, seq_of_parameters, True)

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None

    def nextset(self) -> None:
        return None

    def __iter__(self) -> Iterator[Any]:
        while self._rows:
            yield self._rows.popleft()

    def fetchone(self) -> Any | None:
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        size = self._arraysize if size is None else size
        return [self._rows.popleft() for _ in range(min(size, len(self._rows)))]

    def fetchall(self) -> Sequence[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows


class WriteGate:
    """The engine's write transactions, one at a time in the order they asked, waiting on the event
    loop. SQLite lets one connection write at a time and makes the others poll for the lock (sleeps
    of up to 100 ms): when turns write faster than that, a writer can lose the race for seconds, and
    after the busy timeout its turn fails with "database is locked". Waiting in line here longer than
    the same timeout fails the same way."""

    def __init__(self, within: float = BUSY_SECONDS) -> None:
        self.within = within
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._locks.get(loop)
        if lock is None:
            lock = self._locks[loop] = asyncio.Lock()
        return lock

    async def enter(self) -> None:
        try:
            await asyncio.wait_for(self._lock().acquire(), self.within)
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked") from None

    def leave(self) -> None:
        self._lock().release()


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_gate", "_writing")
    _cursor_cls = OneTripCursor  # type: ignore[assignment]  # a subclass; mypy reads the class variable as invariant

    def __init__(self, dbapi: Any, connection: Any, gate: WriteGate) -> None:
        super().__init__(dbapi, connection)
        self._gate = gate
        self._writing = False  # this connection is in the gate (its write transaction is open)

    def _open_transaction(self) -> bool:
        try:
            return bool(self._connection.in_transaction)
        except ValueError:  # closed: let SQLAlchemy's own path say so
            return True

    def _done_writing(self) -> None:
        """Out of the gate once the write transaction has ended (or never began)."""
        if self._writing:
            try:
                still = self._connection.in_transaction
            except ValueError:  # closed
                still = False
            if not still:
                self._writing = False
                self._gate.leave()

    def rollback(self) -> None:
        try:
            if self._open_transaction():
                super().rollback()
        finally:
            self._done_writing()

    def commit(self) -> None:
        try:
            if self._open_transaction():
                super().commit()
        finally:
            self._done_writing()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._done_writing()

    def terminate(self) -> None:  # a connection dropped in the middle of its work (a cancelled turn) leaves the gate too
        try:
            super().terminate()
        finally:
            self._done_writing()


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    def __init__(self, aiosqlite: Any, sqlite: Any) -> None:
        super().__init__(aiosqlite, sqlite)
        self.gate = WriteGate()  # one per engine (make_engine builds a module for each)

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection, self.gate)


def one_trip_dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """The DB-API module for `create_async_engine(..., module=...)` on a SQLite URL: SQLAlchemy's
    aiosqlite dialect as it is, with these connections; its own when aiosqlite has changed."""
    usable = callable(getattr(aiosqlite.Connection, "_execute", None)) and hasattr(aiosqlite.Connection, "_conn")
    return (OneTripDBAPI if usable else AsyncAdapt_aiosqlite_dbapi)(aiosqlite, sqlite3)
