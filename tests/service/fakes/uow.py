"""An in-memory database and its unit of work, with the store's transaction semantics.

Each unit of work reads and changes its own copy of the rows it touches; nothing it does is seen by
another unit of work before `commit()`. `commit()` first writes the raised notices to the outbox
through the same `NoticeWriter` the store is given (services.delivery.outbox.OutboxWriter: channels
per person, the digest hold, each key once), then checks every compare-and-swap made on a case
against what is committed now, and only then publishes the changed rows. Leaving without a commit,
or `rollback()`, throws the copy away.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from services.ports import ConcurrencyConflict, Notice, NoticeWriter
from tests.service.fakes.records import Row
from tests.service.fakes.repos_cases import FakeCaseRepo, FakeLeaseRepo, FakeOutboxRepo
from tests.service.fakes.repos_core import (
    FakeAuditRepo,
    FakeConversationRepo,
    FakeDocumentRepo,
    FakeKeyValueRepo,
    FakePeopleRepo,
)
from tests.service.fakes.repos_due import FakeAnswerRepo, FakeDueRepo
from tests.service.fakes.repos_manual import FakeManualRepo
from tests.service.fakes.repos_more import FakeMeetingRepo, FakeMisunderstoodRepo, FakeRegisterRepo


class FakeDatabase:
    """The committed rows, table by table, and the id sequences (which, as in a real database, do
    not roll back)."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[Any, Row]] = defaultdict(dict)
        self._ids: dict[str, int] = defaultdict(int)
        self.commits = 0

    def next_id(self, table: str) -> int:
        self._ids[table] += 1
        return self._ids[table]

    def rows(self, table: str) -> list[Row]:
        """The committed rows of a table (copies: a test reads, it never changes them in place)."""
        return [row.stored() for row in self.tables[table].values()]

    def uow(self, writer: NoticeWriter | None = None) -> FakeUnitOfWork:
        return FakeUnitOfWork(self, writer)


class FakeSession:
    """The one session call a use case still makes on main (`refresh` of a new document's owners)."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def refresh(self, row: Row, attributes: Sequence[str] | None = None) -> None:
        self._uow.load(row)


class FakeUnitOfWork:
    def __init__(self, db: FakeDatabase, writer: NoticeWriter | None = None) -> None:
        self.db = db
        self._writer = writer
        self._notices: list[Notice] = []
        self._base: dict[str, dict[Any, Row]] = {}
        self._work: dict[str, dict[Any, Row]] = {}
        self._saved_cases: dict[int, int] = {}  # case id -> the version it was read at
        self.session = FakeSession(self)
        self.people = FakePeopleRepo(self)
        self.documents = FakeDocumentRepo(self)
        self.audit = FakeAuditRepo(self)
        self.conversations = FakeConversationRepo(self)
        self.kv = FakeKeyValueRepo(self)
        self.cases = FakeCaseRepo(self)
        self.outbox = FakeOutboxRepo(self)
        self.leases = FakeLeaseRepo(self)
        self.meetings = FakeMeetingRepo(self)
        self.manual = FakeManualRepo(self)
        self.register = FakeRegisterRepo(self)
        self.misunderstood = FakeMisunderstoodRepo(self)
        self.answers = FakeAnswerRepo(self)
        self.due = FakeDueRepo(self)

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._discard()

    # ------------------------------------------------------------ rows, for the repositories
    def table(self, name: str) -> dict[Any, Row]:
        """This unit of work's copy of a table, taken the first time it is touched."""
        if name not in self._work:
            committed = self.db.tables[name]
            self._base[name] = dict(committed)
            self._work[name] = {key: row.stored() for key, row in committed.items()}
        return self._work[name]

    def add(self, row: Row, key: str = "id") -> Row:
        rows = self.table(row.TABLE)
        if key == "id" and row.id is None:  # type: ignore[attr-defined]
            row.id = self.db.next_id(row.TABLE)  # type: ignore[attr-defined]
        rows[getattr(row, key)] = row
        return self.load(row)

    def load(self, row: Row) -> Row:
        """Fill a row's relationships from this unit of work's rows (a document's owners)."""
        if "ro" in row.RELATIONS:
            people = self.table("people")
            row.ro = people.get(row.ro_id)  # type: ignore[attr-defined]
            row.rsm = people.get(row.rsm_id)  # type: ignore[attr-defined]
        return row

    def case_saved(self, case_id: int, read_at: int) -> None:
        self._saved_cases.setdefault(case_id, read_at)

    # ------------------------------------------------------------ the port
    def notify(self, *notices: Notice) -> None:
        for n in notices:
            if not isinstance(n, Notice):
                raise TypeError(f"notify takes services.ports.Notice, not {type(n).__name__}")
        self._notices.extend(notices)

    @property
    def notices(self) -> Sequence[Notice]:
        return tuple(self._notices)

    async def write_notices(self) -> int:
        if not self._notices:
            return 0
        if self._writer is None:
            raise RuntimeError("this unit of work has no notice writer: build it with fake_services()")
        pending, self._notices = self._notices, []
        return await self._writer(self, pending)

    async def commit(self) -> None:
        await self.write_notices()
        committed_cases = self.db.tables["cases"]
        for case_id, read_at in self._saved_cases.items():
            now = committed_cases.get(case_id)
            if now is not None and now.version != read_at:  # type: ignore[attr-defined]
                self._discard()
                raise ConcurrencyConflict(f"case {case_id} changed since version {read_at}")
        for name, rows in self._work.items():
            self._publish(name, rows)
        self.db.commits += 1
        self._saved_cases.clear()
        self._base = {name: dict(self.db.tables[name]) for name in self._work}

    def _publish(self, name: str, rows: dict[Any, Row]) -> None:
        committed, base = self.db.tables[name], self._base[name]
        for key, row in rows.items():
            before = base.get(key)
            if before is None and key in committed:
                continue  # someone else committed the same key first: theirs stands (ON CONFLICT DO NOTHING)
            if before is None or before != row:
                committed[key] = row.stored()
        for key in set(base) - set(rows):
            committed.pop(key, None)
        if name == "outbox":  # the outbox's key is unique across rows, not only the id
            seen: set[str] = set()
            for key in sorted(committed):
                row_key = committed[key].key  # type: ignore[attr-defined]
                if row_key in seen:
                    del committed[key]
                seen.add(row_key)

    async def rollback(self) -> None:
        self._discard()

    def _discard(self) -> None:
        self._notices.clear()
        self._work.clear()
        self._base.clear()
        self._saved_cases.clear()
