"""In-memory cases (with draft versions and sent cards), the outbox and the scheduler lease: the
same methods and rules as store/case_repo.py and store/outbox_repo.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from services.ports import CaseSnapshot, ConcurrencyConflict, DocumentSnapshot, OutboxItem
from tests.service.fakes.records import Case, DraftVersion, OutboxMessage, SchedulerLease, SentCard, SweepRun, change
from tests.service.fakes.repos_core import FakeRepo, doc_record


def case_record(row: Any) -> CaseSnapshot:
    """The row as the frozen record the store's repositories hand out (store/case_repo.py)."""
    return CaseSnapshot(row.id, row.document_id, row.preset, row.kind, row.stage, row.status, dict(row.state or {}),
                        list(row.waiting_for or []), row.due_on, row.opened_by, row.opened_at, row.updated_at, row.version)


class FakeCaseRepo(FakeRepo):
    table_name = "cases"

    async def get(self, case_id: int) -> CaseSnapshot | None:
        row = self.uow.table("cases").get(case_id)
        return case_record(row) if row is not None else None

    def _with_document(self, case: Any) -> tuple[CaseSnapshot, DocumentSnapshot]:
        return case_record(case), doc_record(self.uow, self.uow.table("documents")[case.document_id])

    async def full(self, case_id: int) -> tuple[CaseSnapshot, DocumentSnapshot] | None:
        case = self.uow.table("cases").get(case_id)
        return self._with_document(case) if case else None

    async def full_many(self, case_ids: Iterable[int]) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        table = self.uow.table("cases")
        return [self._with_document(table[i]) for i in sorted(set(case_ids)) if i in table]

    async def open_with_documents(self) -> list[tuple[CaseSnapshot, DocumentSnapshot]]:
        return [self._with_document(c) for c in self._open()]

    async def create(self, **fields: Any) -> CaseSnapshot:
        return case_record(self.uow.add(Case(**fields)))

    async def open_for_document(self, document_id: int) -> list[CaseSnapshot]:
        return [case_record(c) for c in self._open() if c.document_id == document_id]

    def _open(self) -> list[Any]:
        return sorted((c for c in self._rows() if c.status == "open"), key=lambda c: c.id)

    async def all_open(self) -> list[CaseSnapshot]:
        return [case_record(c) for c in self._open()]

    async def save(self, case: Any, *, expected_version: int, state: dict, stage: str, status: str,
                   waiting_for: list, now: datetime) -> CaseSnapshot:
        """Compare-and-swap on the version, here and again against what is committed at commit()."""
        mine = self.uow.table("cases").get(case.id)
        if mine is None or mine.version != expected_version:  # type: ignore[attr-defined]
            raise ConcurrencyConflict(f"case {case.id} changed since version {expected_version}")
        self.uow.case_saved(case.id, expected_version)
        values = dict(state=state, stage=stage, status=status, waiting_for=waiting_for, updated_at=now,
                      version=expected_version + 1)
        for key, value in values.items():
            setattr(mine, key, value)
        return case_record(mine)

    async def add_draft(self, **fields: Any) -> DraftVersion:
        numbers = [d.number for d in self._rows("draft_versions") if d.document_id == fields["document_id"]]
        return self.uow.add(DraftVersion(number=max(numbers, default=0) + 1, **fields))  # type: ignore[return-value]

    async def update_draft(self, draft_id: int, **values: Any) -> DraftVersion:
        """Change a stored draft version (what changed in it): the use cases change drafts only through here."""
        return change(self.uow.table("draft_versions").get(draft_id), f"DraftVersion {draft_id}", values)  # type: ignore[return-value]

    async def drafts(self, document_id: int) -> list[DraftVersion]:
        return sorted((d for d in self._rows("draft_versions") if d.document_id == document_id), key=lambda d: d.number)

    async def draft_heads(self, document_id: int) -> list[DraftVersion]:
        """The document's draft versions (their files are in the file store, by SHA-256)."""
        return await self.drafts(document_id)

    async def latest_drafts(self) -> dict[int, tuple[int, str, str]]:
        """{document id: (draft id, sha256, filename)} of every document's latest draft."""
        latest: dict[int, Any] = {}
        for d in self._rows("draft_versions"):
            if d.document_id not in latest or d.number > latest[d.document_id].number:
                latest[d.document_id] = d
        return {doc_id: (d.id, d.sha256, d.filename) for doc_id, d in latest.items()}

    async def draft_heads_of_cases(self, case_ids: Iterable[int]) -> list[DraftVersion]:
        """The draft versions of these cases, oldest first."""
        ids = set(case_ids)
        return sorted((d for d in self._rows("draft_versions") if d.case_id in ids), key=lambda d: (d.case_id, d.number))

    async def has_draft_file(self, sha256: str) -> bool:
        return any(d.sha256 == sha256 for d in self._rows("draft_versions"))

    async def record_card(self, **fields: Any) -> SentCard:
        return self.uow.add(SentCard(**fields))  # type: ignore[return-value]

    async def cards_for(self, case_id: int) -> list[SentCard]:
        return [c for c in self._rows("sent_cards") if c.case_id == case_id]

    async def cards_refreshed(self, card_ids: Iterable[int], case_version: int) -> None:
        """Record copies of a case card as showing `case_version`."""
        cards = self.uow.table("sent_cards")
        for card_id in card_ids:
            if card_id in cards:
                cards[card_id].case_version = case_version  # type: ignore[attr-defined]


def _item(r: Any) -> OutboxItem:
    payload = r.payload if isinstance(r.payload, dict) else {}
    return OutboxItem(id=r.id, key=r.key, kind=r.kind, channel=r.channel, person_id=r.person_id, address=r.address,
                      subject=r.subject, body=r.body, case_id=r.case_id, document_ref=r.document_ref,
                      due_on=date.fromisoformat(r.due_on) if r.due_on else None,
                      lines=tuple(str(x) for x in payload.get("lines") or ()), with_chart=bool(payload.get("chart")),
                      requests=tuple(str(x) for x in payload.get("requests") or ()), calendar=payload.get("ics") or None,
                      attempts=r.attempts or 0, last_error=r.last_error, possible_repeat=(r.claims or 0) > 1)


class FakeOutboxRepo(FakeRepo):
    table_name = "outbox"

    async def insert_new(self, rows: list[dict[str, Any]]) -> int:
        have = {r.key for r in self._rows()}
        new = 0
        for values in rows:
            if values["key"] not in have:
                have.add(values["key"])
                self.uow.add(OutboxMessage(**values))
                new += 1
        return new

    @staticmethod
    def _due(r: Any, now: datetime, channel: str | None, keys: list[str] | None) -> bool:
        return (r.status == "pending" and r.not_before <= now and (r.claimed_until is None or r.claimed_until < now)
                and (not channel or r.channel == channel)
                and (not keys or any(r.key.startswith(k + "|") for k in keys)))

    async def claim(self, token: str, now: datetime, limit: int, claim_seconds: int, *,
                    channel: str | None = None, keys: list[str] | None = None) -> list[OutboxItem]:
        due = sorted((r for r in self._rows() if self._due(r, now, channel, keys)), key=lambda r: r.id)[:limit]
        for r in due:
            r.claimed_by, r.claimed_until = token, now + timedelta(seconds=claim_seconds)
            r.claims = (r.claims or 0) + 1
        return [_item(r) for r in due]

    async def set(self, row_id: int, **values: Any) -> int:
        row = self.uow.table("outbox").get(row_id)
        if row is None:
            return 0
        for key, value in values.items():
            setattr(row, key, value)
        return 1

    async def sent(self, row_id: int, now: datetime, provider_id: str | None, attempts: int | None = None) -> None:
        row = self.uow.table("outbox").get(row_id)
        if row is not None:
            await self.set(row_id, status="sent", sent_at=now, provider_id=(provider_id or "")[:500] or None,
                           claimed_until=None, last_error=None,
                           attempts=(row.attempts if attempts is None else attempts) + 1)  # type: ignore[attr-defined]

    async def sent_many(self, marks: list[tuple[int, datetime, str | None, int]]) -> None:
        for row_id, at, pid, attempts in marks:
            await self.sent(row_id, at, pid, attempts)

    async def withdraw(self, person_id: str, refs: list[str], kinds, why: str) -> int:
        kinds = {str(k) for k in kinds}
        hit = [r for r in self._rows() if r.person_id == person_id and r.document_ref in refs and r.kind in kinds
               and r.status in ("pending", "held")]
        for r in hit:
            r.status, r.last_error, r.claimed_until = "skipped", why, None
        return len(hit)

    async def requeue(self, row_id: int, now: datetime) -> bool:
        row = self.uow.table("outbox").get(row_id)
        if row is None or row.status not in ("failed", "skipped"):  # type: ignore[attr-defined]
            return False
        await self.set(row_id, status="pending", attempts=0, not_before=now, claimed_until=None)
        return True

    async def listing(self, status: str | None, limit: int) -> list[OutboxMessage]:
        rows = sorted((r for r in self._rows() if not status or r.status == status), key=lambda r: -r.id)
        return rows[:limit]

    async def by_key_prefix(self, prefix: str) -> list[OutboxMessage]:
        return sorted((r for r in self._rows() if r.key.startswith(prefix)), key=lambda r: r.id)

    async def held_for(self, person_id: str) -> list[OutboxMessage]:
        return sorted((r for r in self._rows() if r.person_id == person_id and r.status == "held"), key=lambda r: r.id)

    async def people_with_held(self) -> list[str]:
        return list(dict.fromkeys(r.person_id for r in self._rows() if r.status == "held" and r.person_id))

    async def counts(self) -> dict[str, int]:
        return dict(Counter(r.status for r in self._rows()))

    async def start_sweep(self, sweep: str, now: datetime, holder: str) -> int:
        run: Any = self.uow.add(SweepRun(sweep=sweep, started_at=now, holder=holder, queued=0))
        return int(run.id)

    async def finish_sweep(self, run_id: int, *, queued: int, finished_at: datetime) -> None:
        change(self.uow.table("sweep_runs").get(run_id), f"SweepRun {run_id}", {"queued": queued, "finished_at": finished_at})

    async def last_sweeps(self, limit: int = 20) -> list[SweepRun]:
        return sorted(self._rows("sweep_runs"), key=lambda r: -r.id)[:limit]


class FakeLeaseRepo(FakeRepo):
    table_name = "scheduler_leases"

    async def take(self, name: str, holder: str, now: datetime, seconds: float) -> bool:
        until = now + timedelta(seconds=seconds)
        lease = self.uow.table("scheduler_leases").get(name)
        if lease is None:
            self.uow.add(SchedulerLease(name=name, holder=holder, expires_at=until, acquired_at=now), key="name")
            return True
        if lease.holder == holder or lease.expires_at < now:  # type: ignore[attr-defined]
            lease.holder, lease.expires_at = holder, until  # type: ignore[attr-defined]
            return True
        return False

    async def release(self, name: str, holder: str) -> None:
        lease = self.uow.table("scheduler_leases").get(name)
        if lease is not None and lease.holder == holder:  # type: ignore[attr-defined]
            lease.expires_at = datetime(2000, 1, 1, tzinfo=UTC)  # type: ignore[attr-defined]

    async def holder(self, name: str) -> SchedulerLease | None:
        return self.uow.table("scheduler_leases").get(name)  # type: ignore[return-value]
