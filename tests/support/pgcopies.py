"""Fresh PostgreSQL databases for tests, copied from the session's migrated template ahead of need.

CREATE DATABASE ... TEMPLATE and DROP DATABASE each make PostgreSQL write the whole copy out (the
drop waits for a checkpoint of the cluster), which takes longer than many tests do. A thread of
this worker's own makes the next copies while the tests run and drops the used ones after them,
so a test only waits for a copy that is ready. Each copy is still a new database made from the
untouched template, used by one test and dropped: the same fresh database as before, made earlier.
"""

from __future__ import annotations

import asyncio
import itertools
import queue
import threading
import uuid

import asyncpg

# Jobs in the order they are done: copies a test may be waiting for first, then drops, then stop.
MAKE, DROP, STOP = 0, 1, 2


class CopyPool:
    def __init__(self, admin_url: str, template: str, *, ahead: int = 2) -> None:
        self.admin_url = admin_url
        self.template = template
        self.ready: queue.Queue[str | BaseException] = queue.Queue()
        self.jobs: queue.PriorityQueue[tuple[int, int, str]] = queue.PriorityQueue()
        self._order = itertools.count()
        self.errors: list[BaseException] = []  # drops that failed, raised by close()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), name="pg-copies", daemon=True)
        self._thread.start()
        for _ in range(ahead):
            self._ask(MAKE)

    def _ask(self, job: int, name: str = "") -> None:
        self.jobs.put((job, next(self._order), name))

    def take(self, timeout: float = 240) -> str:
        """A fresh copy of the template (blocks until one is ready); another is started in its place."""
        got = self.ready.get(timeout=timeout)
        if isinstance(got, BaseException):
            raise got
        self._ask(MAKE)
        return got

    def give_back(self, name: str) -> None:
        """The test is done with this database (a copy, or one it made itself): it is dropped (WITH FORCE) in the background."""
        self._ask(DROP, name)

    def close(self) -> None:
        """Drop every copy, used or not, and wait for that; a drop that failed fails here."""
        self._ask(STOP)
        self._thread.join(timeout=300)
        if self.errors:
            raise self.errors[0]

    async def _execute(self, conn: asyncpg.Connection | None, sql: str) -> asyncpg.Connection:
        for attempt in (1, 2):  # one reconnect: a test may have restarted or cut the server's connections
            try:
                if conn is None or conn.is_closed():
                    conn = await asyncpg.connect(self.admin_url + "/postgres")
                await conn.execute(sql)
                return conn
            except (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError):
                conn = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _drop(self, conn: asyncpg.Connection | None, name: str) -> asyncpg.Connection | None:
        try:
            return await self._execute(conn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as exc:  # noqa: BLE001 - kept for close(): the other copies are still dropped
            self.errors.append(exc)
            return None

    async def _serve(self) -> None:
        conn: asyncpg.Connection | None = None
        try:
            while True:
                job, _, name = self.jobs.get()
                if job == MAKE:
                    name = f"policybot_t_{uuid.uuid4().hex[:12]}"
                    try:
                        conn = await self._execute(conn, f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
                        self.ready.put(name)
                    except Exception as exc:  # noqa: BLE001 - handed to the test that waits for it
                        self.ready.put(exc)
                elif job == DROP:
                    conn = await self._drop(conn, name)
                else:
                    while not self.ready.empty():
                        left = self.ready.get()
                        if isinstance(left, str):
                            conn = await self._drop(conn, left)
                    return
        finally:
            if conn is not None and not conn.is_closed():
                await conn.close()
