"""The audit log as tamper-evident history (issue 22, item 10).

Every entry carries its position (`seq`), the hash of the entry before it and its own hash:
SHA-256 over a canonical form of what it says (when, who, what, on which record, the summary, the
reason, the details) and the previous hash. The chain's head (the last position and hash) is one
row in `audit_chain`, updated in the same transaction as the entry, which also serialises writers.
The database refuses UPDATE and DELETE on `audit_log` (triggers, migration 0011_harden).

`verify(sessionmaker)` walks the chain and names the first entry that was changed, removed or
inserted out of turn, and notices entries removed from the end.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, UTC

from sqlalchemy import event, insert, select, update
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import Session

from store.audit_models import AuditChain
from store.models import AuditEntry

GENESIS = "0" * 64


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(seq: int, prev_hash: str | None, at: datetime, actor_id: str | None, actor_name: str | None,
               entity: str, entity_id: str, action: str, summary: str, reason: str | None, details: dict | None) -> str:
    canonical = json.dumps(
        [seq, prev_hash or GENESIS, _moment(at), actor_id, actor_name, entity, entity_id, action, summary, reason,
         details or {}],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hash_of(entry) -> str:
    return entry_hash(entry.seq, entry.prev_hash, entry.at, entry.actor_id, entry.actor_name, entry.entity,
                      entry.entity_id, entry.action, entry.summary, entry.reason, entry.details)


def _link(connection, entries: list) -> None:
    """Give `entries` the next positions in the chain, inside the inserting transaction. The UPDATE
    comes first, so the head is locked (PostgreSQL row lock, SQLite write lock) before it is read;
    a flush of many entries (an import) takes the lock once."""
    n = len(entries)
    moved = connection.execute(update(AuditChain).where(AuditChain.id == 1).values(seq=AuditChain.seq + n))
    if not moved.rowcount:
        connection.execute(insert(AuditChain).values(id=1, seq=n, head=None))
    last, head = connection.execute(select(AuditChain.seq, AuditChain.head).where(AuditChain.id == 1)).one()
    prev = head or GENESIS
    for seq, entry in enumerate(entries, start=last - n + 1):
        if entry.details is None:
            entry.details = {}
        entry.seq, entry.prev_hash = seq, prev
        entry.entry_hash = prev = hash_of(entry)
    connection.execute(update(AuditChain).where(AuditChain.id == 1).values(head=prev))


@event.listens_for(Session, "before_flush")
def _chain_new_entries(session: Session, _context, _instances) -> None:
    entries = [o for o in session.new if isinstance(o, AuditEntry) and o.seq is None]
    if entries:
        entries.sort(key=lambda e: (e.at, e.entity, str(e.entity_id), e.action, e.summary))
        _link(session.connection(), entries)


@event.listens_for(AuditEntry, "before_insert")
def _chain_stragglers(_mapper, connection, target: AuditEntry) -> None:
    """Anything the flush hook did not see (an entry added during the flush) is chained here."""
    if target.seq is None:
        _link(connection, [target])


@dataclass
class Verdict:
    entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _named(e) -> str:
    return f"entry {e.seq} ({e.action} on {e.entity} {e.entity_id} by {e.actor_name or 'policybot'} at {_moment(e.at)})"


async def verify(sessionmaker: async_sessionmaker, *, batch: int = 2000) -> Verdict:
    verdict = Verdict()
    expected_seq, prev = 1, GENESIS
    async with sessionmaker() as session:
        chain = (await session.execute(select(AuditChain).where(AuditChain.id == 1))).scalar_one_or_none()
        unchained = (await session.execute(select(AuditEntry.id).where(AuditEntry.seq.is_(None)).limit(1))).first()
        if unchained is not None:
            verdict.problems.append(f"audit row {unchained[0]} is not in the chain (written around the chain)")
        last_seq = 0
        while True:
            rows = list((await session.execute(
                select(AuditEntry).where(AuditEntry.seq >= expected_seq).order_by(AuditEntry.seq).limit(batch))).scalars())
            if not rows:
                break
            for e in rows:
                verdict.entries += 1
                if e.seq != expected_seq:
                    gone = f"{expected_seq}" if e.seq == expected_seq + 1 else f"{expected_seq} to {e.seq - 1}"
                    verdict.problems.append(f"entry {gone} was removed (the chain jumps to {e.seq})")
                elif e.prev_hash != prev:
                    verdict.problems.append(f"{_named(e)} does not follow the entry before it")
                if hash_of(e) != e.entry_hash:
                    verdict.problems.append(f"{_named(e)} was changed after it was written")
                prev, expected_seq, last_seq = e.entry_hash, e.seq + 1, e.seq
            session.expunge_all()
        if chain is not None and chain.seq > last_seq:
            verdict.problems.append(f"the newest entries were removed: the chain reached {chain.seq}, the log ends at {last_seq}")
        elif chain is not None and chain.seq == last_seq and (chain.head or GENESIS) != prev:
            verdict.problems.append(f"entry {last_seq}, the newest, was replaced")
    return verdict
