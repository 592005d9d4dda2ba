"""Round-trip counting on an engine, for benches and tests (SQLAlchemy stays inside store/)."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

from sqlalchemy import event


class StatementCounter:
    """Counts the statements, transactions and commits an engine runs while `counting()` is open
    (for benches and tests that prove how many round trips a use case takes)."""

    def __init__(self, engine) -> None:
        self.engine = engine.sync_engine
        self.c: Counter = Counter()
        self.on = False
        event.listen(self.engine, "before_cursor_execute", self._stmt)
        event.listen(self.engine, "begin", self._begin)
        event.listen(self.engine, "commit", self._commit)

    trace = False

    def _stmt(self, conn, cursor, statement, params, context, executemany) -> None:
        if self.on:
            self.c["statements"] += 1
            words = statement.split(None, 3)
            if len(words) > 2 and words[0].upper() == "INSERT" and words[1].upper() == "INTO":
                self.c[f"insert {words[2].strip(chr(34))}"] += 1  # e.g. c["insert outbox"]: the rows written where
            if self.trace:
                print("   ", " ".join(statement.split())[:110])

    def _begin(self, conn) -> None:
        if self.on:
            self.c["transactions"] += 1
            if self.trace:
                print("  BEGIN")

    def _commit(self, conn) -> None:
        if self.on:
            self.c["commits"] += 1
            if self.trace:
                print("  COMMIT")

    @contextmanager
    def counting(self):
        self.c = Counter()
        self.on = True
        try:
            yield self.c
        finally:
            self.on = False
