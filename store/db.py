"""Engine and session factory."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import String, event, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

import store.audit  # noqa: F401 - chains every audit entry as it is written
from store.outbox_models import OutboxMessage
from store.sqlite_driver import one_trip_dbapi

log = logging.getLogger(__name__)


def normalise_database_url(url: str) -> str:
    """Accept the URLs people paste and pick the async driver we ship."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url[len("postgresql://"):]
    if url.startswith("postgresql+psycopg2://") or url.startswith("postgresql+psycopg://"):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://"):]
    return url


def mask_url(url: str) -> str:
    """Hide a password inside a database URL."""
    if "://" not in url or "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    if ":" in creds:
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:****@{host}"
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # pragma: no cover - driver callback
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class ValueRejected(ValueError):
    """A value the database would store differently (or refuse) depending on which database it is:
    text longer than its column (PostgreSQL refuses it, SQLite keeps it), a NUL character
    (PostgreSQL refuses it), a lone surrogate. Raised on both, before the statement runs."""


_LIMITS: WeakKeyDictionary[Any, dict[str, int]] = WeakKeyDictionary()  # per compiled statement: its text columns' lengths


def _limits(compiled: Any, binds: dict[str, Any]) -> dict[str, int]:
    """{bind name: the length of its text column}, worked out once per compiled statement (a sweep's
    insert of thousands of rows checks each value against it without looking the type up again)."""
    found = _LIMITS.get(compiled)
    if found is None:
        found = {}
        for name, bind in binds.items():
            length = getattr(getattr(bind, "type", None), "length", None)
            if length and isinstance(bind.type, String):
                found[name] = length
        _LIMITS[compiled] = found
    return found


def _check_parameters(conn, cursor, statement, parameters, context, executemany) -> None:
    """Make SQLite and PostgreSQL accept and refuse the same values (a driver-level event, so it
    covers ORM flushes and Core statements alike)."""
    compiled = getattr(context, "compiled", None)
    if compiled is None:
        return
    writing = context.isinsert or context.isupdate
    binds = getattr(compiled, "binds", None)
    if binds is None:  # DDL
        return
    limits = _limits(compiled, binds) if writing else {}
    for params in context.compiled_parameters or ():
        for name, value in params.items():
            if not isinstance(value, str):
                continue
            if "\x00" in value:
                raise ValueRejected(f"a text value for {name!r} contains a NUL character")
            length = limits.get(name)
            if length is not None and len(value) > length:
                raise ValueRejected(f"{name!r} is at most {length} characters, and this value has {len(value)}")


def make_engine(database_url: str) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        # one trip to aiosqlite's thread a statement (store/sqlite_driver.py)
        engine = create_async_engine(url, connect_args={"timeout": 30}, module=one_trip_dbapi())
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        engine = create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    event.listen(engine.sync_engine, "before_cursor_execute", _check_parameters)
    return engine


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_unavailable(exc: BaseException) -> bool:
    """True when an exception (or one it was raised from) means the database cannot be reached
    just now (refused or dropped connections, a timeout, a server shutting down, a locked or
    missing SQLite file), as opposed to a fault in our own statements."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError,
                                sa_exc.DisconnectionError, ConnectionError, TimeoutError)):
            return True
        if isinstance(current, sa_exc.DBAPIError) and current.connection_invalidated:
            return True
        name = type(current).__name__
        if name in _DRIVER_OUTAGES or "ConnectionError" in name:
            return True
        if isinstance(current, OSError) and not isinstance(current, FileNotFoundError):
            return True
        current = current.__cause__ or current.__context__
    return False


# asyncpg's names for a server that is gone, starting or stopping (matched by name: only store/ knows drivers)
_DRIVER_OUTAGES = {"ConnectionDoesNotExistError", "CannotConnectNowError", "AdminShutdownError",
                   "CrashShutdownError", "ConnectionFailureError", "TooManyConnectionsError",
                   "InvalidCatalogNameError", "ConnectionRejectionError"}


def describe_outage(exc: BaseException) -> str:
    """One line for /healthz and the log: what the driver said, without the statement."""
    current: BaseException = exc
    while isinstance(current, sa_exc.StatementError) and current.orig is not None:
        current = current.orig
    words = str(current).splitlines()[0] if str(current) else type(current).__name__
    return f"{type(current).__name__}: {words}"[:200]


async def ping(engine: AsyncEngine) -> bool:
    reason = await outage(engine)
    if reason is not None:
        log.warning("database ping failed: %s", reason)
    return reason is None


async def outage(engine: AsyncEngine, within: float = 5.0) -> str | None:
    """None when the database answers, else the reason it does not (one line)."""
    try:
        async with asyncio.timeout(within):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"; the caller says so
        return describe_outage(exc) if not isinstance(exc, TimeoutError) else f"no answer within {within:g} s"


async def release_outbox_claims(sessionmaker: async_sessionmaker, holder: str) -> int:
    """At a clean stop, give back the outbox rows this process claimed but did not finish, so
    another process sends them now instead of after the claim lapses. Returns how many."""
    async with sessionmaker() as session:
        res = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "pending", OutboxMessage.claimed_by.startswith(holder + ":", autoescape=True))
            .values(claimed_by=None, claimed_until=None))
        await session.commit()
        return res.rowcount or 0
